-- Seed: the 27 gemeenten of police unit Den Haag (shared/data/gemeenten.csv) and the consultation.
INSERT INTO gemeenten (code, naam, regio) VALUES
    ('GM0518', 'Den Haag', 'Haaglanden'),
    ('GM0503', 'Delft', 'Haaglanden'),
    ('GM1916', 'Leidschendam-Voorburg', 'Haaglanden'),
    ('GM1842', 'Midden-Delfland', 'Haaglanden'),
    ('GM1926', 'Pijnacker-Nootdorp', 'Haaglanden'),
    ('GM0603', 'Rijswijk', 'Haaglanden'),
    ('GM0629', 'Wassenaar', 'Haaglanden'),
    ('GM1783', 'Westland', 'Haaglanden'),
    ('GM0637', 'Zoetermeer', 'Haaglanden'),
    ('GM0484', 'Alphen aan den Rijn', 'Hollands Midden'),
    ('GM1901', 'Bodegraven-Reeuwijk', 'Hollands Midden'),
    ('GM0513', 'Gouda', 'Hollands Midden'),
    ('GM0534', 'Hillegom', 'Hollands Midden'),
    ('GM1884', 'Kaag en Braassem', 'Hollands Midden'),
    ('GM0537', 'Katwijk', 'Hollands Midden'),
    ('GM1931', 'Krimpenerwaard', 'Hollands Midden'),
    ('GM0546', 'Leiden', 'Hollands Midden'),
    ('GM0547', 'Leiderdorp', 'Hollands Midden'),
    ('GM0553', 'Lisse', 'Hollands Midden'),
    ('GM0569', 'Nieuwkoop', 'Hollands Midden'),
    ('GM0575', 'Noordwijk', 'Hollands Midden'),
    ('GM0579', 'Oegstgeest', 'Hollands Midden'),
    ('GM1525', 'Teylingen', 'Hollands Midden'),
    ('GM0626', 'Voorschoten', 'Hollands Midden'),
    ('GM0627', 'Waddinxveen', 'Hollands Midden'),
    ('GM0638', 'Zoeterwoude', 'Hollands Midden'),
    ('GM1892', 'Zuidplas', 'Hollands Midden');

INSERT INTO raadplegingen (id, titel, deadline, rbo_vergadering, status)
VALUES ('coalitie-voor-veiligheid-2023-2026', 'Coalitie voor veiligheid 2023-2026', NULL, NULL, 'open');

-- Summaries in our own words, after the letter that came with the draft plan.
INSERT INTO themas (raadpleging, code, titel, samenvatting, positie) VALUES
    ('coalitie-voor-veiligheid-2023-2026', 'maatschappelijk-ongenoegen', 'Maatschappelijk ongenoegen',
     'Voorkomen dat onvrede omslaat in activisme of extremisme: goede voorbeelden delen, samen duiden wat er speelt, inwoners weerbaar maken tegen desinformatie en een gezamenlijk handelingskader voor preventie.', 1),
    ('coalitie-voor-veiligheid-2023-2026', 'cybercrime', 'Cybercrime en gedigitaliseerde criminaliteit',
     'Inwoners en ondernemers weerbaarder maken tegen online criminaliteit, daderschap voorkomen, regelmatig een cyberbeeld opstellen en de rollen van politie, OM en gemeenten helder maken.', 2),
    ('coalitie-voor-veiligheid-2023-2026', 'jeugd-en-veiligheid', 'Jeugd en veiligheid',
     'Jeugdcriminaliteit terugdringen via betere samenwerking tussen scholen, zorg en veiligheid, vroegsignalering, meer zicht op online straatcultuur en aandacht voor wapenbezit onder jongeren.', 3),
    ('coalitie-voor-veiligheid-2023-2026', 'zorg-en-veiligheid', 'Zorg en veiligheid',
     'Samenwerking op verward of onbegrepen gedrag, huiselijk geweld, radicalisering en de terugkeer van ex-gedetineerden in de samenleving, onder meer via de Zorg- en Veiligheidshuizen.', 4),
    ('coalitie-voor-veiligheid-2023-2026', 'ondermijning', 'Ondermijning',
     'Als één overheid voorbeeldzaken met grote maatschappelijke impact aanpakken, ruimte houden voor lokale zaken en zichtbaar blijven optreden tegen ondermijnende criminaliteit, met het RIEC als regisseur.', 5),
    ('coalitie-voor-veiligheid-2023-2026', 'sterkteverdeling', 'Sterkteverdeling politie',
     'De huidige verdeling van de politiecapaciteit over de eenheid; extra formatie uit de motie-Hermans wordt later verdeeld, met oog voor gegroeide gemeenten.', 6),
    ('coalitie-voor-veiligheid-2023-2026', 'landelijke-veiligheidsagenda', 'Landelijke veiligheidsagenda 2023-2026',
     'De landelijke doelen voor de politie (cybercrime, ondermijning, maatschappelijke onrust en mensenhandel), die de regionale en lokale prioriteiten aanvullen en niet mogen verdringen.', 7);
