-- Notifications (issue 16): the transactional outbox, webhook endpoints, reminders.
-- Outbox entries are written in the transaction of the change they report and delivered afterwards
-- by the server's delivery worker, at least once, in order per recipient.

-- Endpoints of the RSIV's and councils' own systems. The secret signs each delivery (Standard
-- Webhooks); it is kept in clear because signing needs it. Removed endpoints keep their row.
CREATE TABLE webhooks (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL CHECK ((url GLOB 'https://?*' OR url GLOB 'http://?*') AND length(url) <= 2000),
    geheim           TEXT NOT NULL CHECK (geheim GLOB 'whsec_?*'),
    gebeurtenissen   TEXT NOT NULL DEFAULT '' CHECK (gebeurtenissen NOT GLOB '*[^a-z,-]*'),  -- '' = all
    persoonsgegevens INTEGER NOT NULL CHECK (persoonsgegevens IN (0, 1)),
    omschrijving     TEXT NOT NULL DEFAULT '',
    actief           INTEGER NOT NULL CHECK (actief IN (0, 1)),
    mislukkingen     INTEGER NOT NULL DEFAULT 0 CHECK (mislukkingen >= 0),
    uitgeschakeld_op INTEGER,
    aangemaakt_op    INTEGER NOT NULL,
    verwijderd_op    INTEGER
) STRICT;

CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    kanaal             TEXT NOT NULL CHECK (kanaal IN ('email', 'webhook')),
    ontvanger          TEXT NOT NULL CHECK (ontvanger GLOB 'email:?*' OR ontvanger GLOB 'webhook:[0-9]*'),
    -- An event type or an e-mail-only kind; adding an event type needs no migration.
    soort              TEXT NOT NULL CHECK (soort GLOB '[a-z]*' AND soort NOT GLOB '*[^a-z-]*'),
    onderwerp          TEXT NOT NULL,
    bericht_id         TEXT NOT NULL,
    inhoud             BLOB NOT NULL,
    webhook_id         INTEGER REFERENCES webhooks (id),
    status             TEXT NOT NULL DEFAULT 'wachtend' CHECK (status IN ('wachtend', 'verzonden', 'mislukt')),
    pogingen           INTEGER NOT NULL DEFAULT 0 CHECK (pogingen >= 0),
    volgende_poging_op INTEGER,                      -- set while wachtend
    laatste_fout       TEXT,
    aangemaakt_op      INTEGER NOT NULL,
    verzonden_op       INTEGER,
    CHECK ((kanaal = 'webhook') = (webhook_id IS NOT NULL)),
    CHECK ((status = 'wachtend') = (volgende_poging_op IS NOT NULL)),
    CHECK ((status = 'verzonden') = (verzonden_op IS NOT NULL))
) STRICT;

CREATE INDEX outbox_wachtend ON outbox (status, volgende_poging_op);
CREATE INDEX outbox_ontvanger ON outbox (ontvanger, status, id);
CREATE INDEX outbox_verzonden ON outbox (verzonden_op) WHERE status = 'verzonden';

-- One row per reminder step reached for a gemeente: never twice, also across restarts.
CREATE TABLE herinneringen (
    raadpleging   TEXT NOT NULL REFERENCES raadplegingen (id),
    gemeente      TEXT NOT NULL REFERENCES gemeenten (code),
    stap          INTEGER NOT NULL CHECK (stap BETWEEN 1 AND 90),   -- days before the deadline
    deadline      INTEGER NOT NULL,                                  -- the deadline it was reached for
    verstuurd     INTEGER NOT NULL CHECK (verstuurd IN (0, 1)),      -- 0: reached together with a nearer step, or no address
    aangemaakt_op INTEGER NOT NULL,
    PRIMARY KEY (raadpleging, gemeente, stap)
) STRICT;

-- When the griffies of a consultation are reminded: days before the deadline, largest first.
ALTER TABLE raadplegingen ADD COLUMN herinneringen TEXT NOT NULL DEFAULT '14,7,2,1'
    CHECK (herinneringen NOT GLOB '*[^0-9,]*');

-- Where a griffie's reminders go (given when its code is issued).
ALTER TABLE toegangscodes ADD COLUMN email TEXT CHECK (email IS NULL OR (email GLOB '?*@?*' AND length(email) <= 254));
