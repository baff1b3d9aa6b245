-- The whole domain of the zienswijzen contract (shared/API.md).
-- Instants are INTEGER Unix milliseconds (UTC); dates are TEXT 'YYYY-MM-DD'.
-- Zienswijze versions, attachments and audit rows are append-only: triggers refuse UPDATE and DELETE.

CREATE TABLE gemeenten (
    code  TEXT PRIMARY KEY CHECK (code GLOB 'GM[0-9][0-9][0-9][0-9]'),
    naam  TEXT NOT NULL UNIQUE CHECK (length(naam) > 0),
    regio TEXT NOT NULL CHECK (length(regio) > 0)
) STRICT;

CREATE TABLE raadplegingen (
    id              TEXT PRIMARY KEY CHECK (id GLOB '[a-z0-9]*' AND length(id) BETWEEN 1 AND 100),
    titel           TEXT NOT NULL,
    deadline        INTEGER,                        -- NULL until an operator sets it
    rbo_vergadering TEXT CHECK (rbo_vergadering IS NULL OR rbo_vergadering GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'gesloten'))
) STRICT;

CREATE TABLE themas (
    raadpleging  TEXT NOT NULL REFERENCES raadplegingen (id),
    code         TEXT NOT NULL CHECK (code GLOB '[a-z]*'),
    titel        TEXT NOT NULL,
    samenvatting TEXT NOT NULL,
    positie      INTEGER NOT NULL,
    PRIMARY KEY (raadpleging, code),
    UNIQUE (raadpleging, positie)
) STRICT;

-- Access codes: only the SHA-256 of the normalized code is stored.
CREATE TABLE toegangscodes (
    id                 INTEGER PRIMARY KEY,
    code_hash          TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    rol                TEXT NOT NULL CHECK (rol IN ('griffie', 'coordinator')),
    gemeente           TEXT REFERENCES gemeenten (code),
    naam               TEXT NOT NULL,
    aangemaakt_op      INTEGER NOT NULL,
    ingetrokken_op     INTEGER,
    laatst_gebruikt_op INTEGER,
    CHECK ((rol = 'griffie') = (gemeente IS NOT NULL))
) STRICT;

-- One row per version; version n+1 of a (raadpleging, gemeente) is a new row, never an update.
CREATE TABLE versies (
    id                 INTEGER PRIMARY KEY,
    raadpleging        TEXT NOT NULL REFERENCES raadplegingen (id),
    gemeente           TEXT NOT NULL REFERENCES gemeenten (code),
    versie             INTEGER NOT NULL CHECK (versie >= 1),
    kenmerk            TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('ingediend', 'te-laat', 'ingetrokken')),
    ontvangen_op       INTEGER NOT NULL,
    te_laat            INTEGER NOT NULL CHECK (te_laat IN (0, 1)),
    standpunt          TEXT NOT NULL CHECK (standpunt IN ('instemmend', 'instemmend-met-opmerkingen', 'niet-instemmend', 'geen-zienswijze')),
    datum_raadsbesluit TEXT CHECK (datum_raadsbesluit IS NULL OR datum_raadsbesluit GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    indiener_naam      TEXT NOT NULL,
    indiener_email     TEXT NOT NULL,
    toelichting        TEXT NOT NULL,
    sha256             TEXT NOT NULL CHECK (length(sha256) = 64),
    toegangscode_id    INTEGER REFERENCES toegangscodes (id),
    UNIQUE (raadpleging, gemeente, versie),
    UNIQUE (raadpleging, kenmerk)
) STRICT;

CREATE TABLE opmerkingen (
    versie_id   INTEGER NOT NULL REFERENCES versies (id),
    raadpleging TEXT NOT NULL,
    thema       TEXT NOT NULL,
    positie     INTEGER NOT NULL,
    tekst       TEXT NOT NULL,
    PRIMARY KEY (versie_id, thema),
    FOREIGN KEY (raadpleging, thema) REFERENCES themas (raadpleging, code)
) STRICT;

-- Attachment bytes live in the database, so a backup holds everything.
CREATE TABLE bijlagen (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32),
    raadpleging     TEXT NOT NULL REFERENCES raadplegingen (id),
    gemeente        TEXT NOT NULL REFERENCES gemeenten (code),
    bestandsnaam    TEXT NOT NULL CHECK (length(bestandsnaam) BETWEEN 1 AND 255),
    mediatype       TEXT NOT NULL CHECK (mediatype = 'application/pdf'),
    grootte         INTEGER NOT NULL CHECK (grootte = length(inhoud)),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    inhoud          BLOB NOT NULL,
    ontvangen_op    INTEGER NOT NULL,
    toegangscode_id INTEGER REFERENCES toegangscodes (id)
) STRICT;

-- Which attachments a version carries (a new version carries its predecessor's, plus new ones).
CREATE TABLE versie_bijlagen (
    versie_id  INTEGER NOT NULL REFERENCES versies (id),
    bijlage_id TEXT NOT NULL REFERENCES bijlagen (id),
    positie    INTEGER NOT NULL,
    PRIMARY KEY (versie_id, bijlage_id)
) STRICT;

-- Web sessions: the cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessies (
    token_hash      TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    toegangscode_id INTEGER NOT NULL REFERENCES toegangscodes (id),
    csrf_token      TEXT NOT NULL,
    aangemaakt_op   INTEGER NOT NULL,
    verloopt_op     INTEGER NOT NULL
) STRICT;

-- Idempotency-Key: the first response to (code, key), replayed for a retry with the same request.
CREATE TABLE idempotentie (
    toegangscode_id INTEGER NOT NULL REFERENCES toegangscodes (id),
    sleutel         TEXT NOT NULL CHECK (length(sleutel) BETWEEN 1 AND 255),
    verzoek_hash    TEXT NOT NULL,
    status          INTEGER NOT NULL,
    headers         TEXT NOT NULL,
    body            BLOB NOT NULL,
    aangemaakt_op   INTEGER NOT NULL,
    PRIMARY KEY (toegangscode_id, sleutel)
) STRICT;

-- Who did what, when, from where. `actor` is 'griffie:<id>', 'coordinator:<id>', 'cli' or 'anoniem';
-- it names the code's id, never the code.
CREATE TABLE audit (
    id              INTEGER PRIMARY KEY,
    op              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    toegangscode_id INTEGER,
    actie           TEXT NOT NULL,
    onderwerp       TEXT NOT NULL DEFAULT '',
    details         TEXT NOT NULL DEFAULT '',
    adres           TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_op ON audit (op);
CREATE INDEX bijlagen_gemeente ON bijlagen (raadpleging, gemeente);
CREATE INDEX sessies_verloopt ON sessies (verloopt_op);

CREATE TRIGGER versies_onveranderlijk BEFORE UPDATE ON versies
BEGIN SELECT RAISE(ABORT, 'versies are append-only'); END;
CREATE TRIGGER versies_onverwijderbaar BEFORE DELETE ON versies
BEGIN SELECT RAISE(ABORT, 'versies are append-only'); END;
CREATE TRIGGER opmerkingen_onveranderlijk BEFORE UPDATE ON opmerkingen
BEGIN SELECT RAISE(ABORT, 'opmerkingen are append-only'); END;
CREATE TRIGGER opmerkingen_onverwijderbaar BEFORE DELETE ON opmerkingen
BEGIN SELECT RAISE(ABORT, 'opmerkingen are append-only'); END;
CREATE TRIGGER bijlagen_onveranderlijk BEFORE UPDATE ON bijlagen
BEGIN SELECT RAISE(ABORT, 'bijlagen are append-only'); END;
CREATE TRIGGER bijlagen_onverwijderbaar BEFORE DELETE ON bijlagen
BEGIN SELECT RAISE(ABORT, 'bijlagen are append-only'); END;
CREATE TRIGGER versie_bijlagen_onveranderlijk BEFORE UPDATE ON versie_bijlagen
BEGIN SELECT RAISE(ABORT, 'versie_bijlagen are append-only'); END;
CREATE TRIGGER versie_bijlagen_onverwijderbaar BEFORE DELETE ON versie_bijlagen
BEGIN SELECT RAISE(ABORT, 'versie_bijlagen are append-only'); END;
CREATE TRIGGER audit_onveranderlijk BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_onverwijderbaar BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
