-- Consultations that coordinators manage (issue 17): a consultation is prepared as a `concept`,
-- opened, closed and archived; it invites a set of gemeenten and carries its own documents. The
-- register of gemeenten can change: a gemeente can be marked as merged into another from a date.
-- (0004 is the outbox, on another branch; this migration does not depend on it.)
--
-- Existing data keeps its meaning: the seeded consultation stays `open`, keeps its themes, and
-- invites every gemeente that was in the register; versions, remarks and attachments are untouched.

-- raadplegingen: the status gains `concept` (being prepared, invisible to griffies) and
-- `gearchiveerd`. SQLite cannot change a CHECK in place and the table is the parent of five
-- others, so the column is replaced: a new column with the new CHECK, the values copied, the old
-- column dropped (its CHECK is its own, so DROP COLUMN allows it) and the new one renamed.
ALTER TABLE raadplegingen ADD COLUMN status_nieuw TEXT NOT NULL DEFAULT 'concept'
    CHECK (status_nieuw IN ('concept', 'open', 'gesloten', 'gearchiveerd'));
UPDATE raadplegingen SET status_nieuw = status;
ALTER TABLE raadplegingen DROP COLUMN status;
ALTER TABLE raadplegingen RENAME COLUMN status_nieuw TO status;

ALTER TABLE raadplegingen ADD COLUMN omschrijving TEXT NOT NULL DEFAULT '';
ALTER TABLE raadplegingen ADD COLUMN raadsbesluit_verplicht INTEGER NOT NULL DEFAULT 0
    CHECK (raadsbesluit_verplicht IN (0, 1));
-- When the consultation was created (Unix ms): a gemeente merged on or before that day cannot take
-- part. The seeded consultation was created when the seed ran, which the migrator recorded (Unix
-- ms) in `schema_migrations`, the table it creates before any migration runs; the fallback `now`
-- only matters if that row were missing.
ALTER TABLE raadplegingen ADD COLUMN aangemaakt_op INTEGER NOT NULL DEFAULT 0;
UPDATE raadplegingen SET aangemaakt_op = coalesce(
    (SELECT applied_at FROM schema_migrations WHERE name = '0002_seed'),
    CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- gemeenten: merged into another gemeente from a date (both set, or neither).
ALTER TABLE gemeenten ADD COLUMN samengevoegd_in TEXT REFERENCES gemeenten (code)
    CHECK (samengevoegd_in IS NULL OR samengevoegd_in <> code);
ALTER TABLE gemeenten ADD COLUMN samengevoegd_op TEXT
    CHECK ((samengevoegd_op IS NULL) = (samengevoegd_in IS NULL)
           AND (samengevoegd_op IS NULL OR samengevoegd_op GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'));

-- Which gemeenten a consultation invites. Only their griffies may submit to it; the status
-- overview and the export list exactly these gemeenten.
CREATE TABLE uitnodigingen (
    raadpleging TEXT NOT NULL REFERENCES raadplegingen (id),
    gemeente    TEXT NOT NULL REFERENCES gemeenten (code),
    PRIMARY KEY (raadpleging, gemeente)
) STRICT, WITHOUT ROWID;

INSERT INTO uitnodigingen (raadpleging, gemeente) SELECT r.id, g.code FROM raadplegingen r CROSS JOIN gemeenten g;

-- The documents of a consultation (the draft plan, the letter that came with it, an addendum):
-- PDFs whose bytes live in the attachments' piece store (`bijlage_inhoud`, `bijlage_delen`);
-- a document's id is the id of its content. `openbaar`: downloadable without an access code.
CREATE TABLE documenten (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32) REFERENCES bijlage_inhoud (id),
    raadpleging     TEXT NOT NULL REFERENCES raadplegingen (id),
    soort           TEXT NOT NULL CHECK (soort IN ('ontwerpbeleidsplan', 'aanbiedingsbrief', 'addendum', 'overig')),
    titel           TEXT NOT NULL CHECK (length(titel) BETWEEN 1 AND 200),
    bestandsnaam    TEXT NOT NULL CHECK (length(bestandsnaam) BETWEEN 1 AND 255),
    mediatype       TEXT NOT NULL CHECK (mediatype = 'application/pdf'),
    grootte         INTEGER NOT NULL CHECK (grootte > 0),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    positie         INTEGER NOT NULL,
    openbaar        INTEGER NOT NULL DEFAULT 0 CHECK (openbaar IN (0, 1)),
    toegevoegd_op   INTEGER NOT NULL,
    toegangscode_id INTEGER REFERENCES toegangscodes (id),
    UNIQUE (raadpleging, positie)
) STRICT;

CREATE INDEX documenten_raadpleging ON documenten (raadpleging, positie);

-- A document lists only complete content of the same size and digest, and its file never changes
-- (its title, kind, position and publication may).
CREATE TRIGGER documenten_volledige_inhoud BEFORE INSERT ON documenten
WHEN NOT EXISTS (SELECT 1 FROM bijlage_inhoud i WHERE i.id = NEW.id AND i.compleet = 1
                 AND i.grootte = NEW.grootte AND i.sha256 = NEW.sha256)
BEGIN SELECT RAISE(ABORT, 'documenten need complete content of the same size and digest'); END;
CREATE TRIGGER documenten_bestand_vast BEFORE UPDATE OF id, raadpleging, bestandsnaam, mediatype, grootte, sha256 ON documenten
BEGIN SELECT RAISE(ABORT, 'the file of a document never changes'); END;

-- Content a document lists never goes (pruning staged uploads must pass it by).
CREATE TRIGGER bijlage_inhoud_in_document BEFORE DELETE ON bijlage_inhoud
WHEN EXISTS (SELECT 1 FROM documenten WHERE id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'bijlage_inhoud in use by a document'); END;
CREATE TRIGGER bijlage_delen_in_document BEFORE DELETE ON bijlage_delen
WHEN EXISTS (SELECT 1 FROM documenten WHERE id = OLD.inhoud)
BEGIN SELECT RAISE(ABORT, 'bijlage_delen in use by a document'); END;
