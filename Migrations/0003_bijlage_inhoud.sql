-- Attachment bytes move out of `bijlagen` into pieces of at most 256 KiB, so that an upload is
-- written while it arrives (each piece in a short transaction, never holding the write lock while
-- a client is still sending) and a download is read in pieces (never the whole file in memory).
--
-- bijlage_inhoud: one row per file, `compleet` once every piece is in and the digest checked.
--   Staged content that no attachment refers to is pruned by the server (an upload refused late,
--   or a crash in between); complete content that an attachment lists can never change or go.
-- bijlage_delen:  the pieces, numbered from 0.
-- bijlagen:       the attachment (name, type, size, digest), as before, minus the bytes; its id is
--                 the id of its content.

CREATE TABLE bijlage_inhoud (
    id            TEXT PRIMARY KEY CHECK (length(id) = 32),
    grootte       INTEGER NOT NULL CHECK (grootte >= 0),
    sha256        TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    aangemaakt_op INTEGER NOT NULL,
    compleet      INTEGER NOT NULL DEFAULT 0 CHECK (compleet IN (0, 1)),
    CHECK (compleet = 0 OR sha256 IS NOT NULL)
) STRICT;

CREATE TABLE bijlage_delen (
    inhoud     TEXT NOT NULL REFERENCES bijlage_inhoud (id),
    volgnummer INTEGER NOT NULL CHECK (volgnummer >= 0),
    deel       BLOB NOT NULL CHECK (length(deel) BETWEEN 1 AND 262144),
    PRIMARY KEY (inhoud, volgnummer)
) STRICT;

-- The existing bytes, cut into pieces of 256 KiB.
INSERT INTO bijlage_inhoud (id, grootte, sha256, aangemaakt_op, compleet)
    SELECT id, grootte, sha256, ontvangen_op, 1 FROM bijlagen;
WITH RECURSIVE stukken (id, n) AS (
    SELECT id, 0 FROM bijlagen
    UNION ALL
    SELECT s.id, s.n + 1 FROM stukken s JOIN bijlagen b ON b.id = s.id WHERE (s.n + 1) * 262144 < b.grootte
)
INSERT INTO bijlage_delen (inhoud, volgnummer, deel)
    SELECT s.id, s.n, substr(b.inhoud, s.n * 262144 + 1, 262144) FROM stukken s JOIN bijlagen b ON b.id = s.id;

-- Rebuild `bijlagen` without its bytes. With foreign keys on (they cannot be switched off inside
-- the migration's transaction), the child table `versie_bijlagen` is rebuilt with it: both new
-- tables are filled, the old ones dropped (child first), and the new ones renamed into place;
-- renaming the new parent rewrites the new child's reference to the final name.
DROP TRIGGER bijlagen_onveranderlijk;
DROP TRIGGER bijlagen_onverwijderbaar;
DROP TRIGGER versie_bijlagen_onveranderlijk;
DROP TRIGGER versie_bijlagen_onverwijderbaar;
CREATE TABLE bijlagen_nieuw (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32) REFERENCES bijlage_inhoud (id),
    raadpleging     TEXT NOT NULL REFERENCES raadplegingen (id),
    gemeente        TEXT NOT NULL REFERENCES gemeenten (code),
    bestandsnaam    TEXT NOT NULL CHECK (length(bestandsnaam) BETWEEN 1 AND 255),
    mediatype       TEXT NOT NULL CHECK (mediatype = 'application/pdf'),
    grootte         INTEGER NOT NULL CHECK (grootte > 0),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    ontvangen_op    INTEGER NOT NULL,
    toegangscode_id INTEGER REFERENCES toegangscodes (id)
) STRICT;
INSERT INTO bijlagen_nieuw (id, raadpleging, gemeente, bestandsnaam, mediatype, grootte, sha256, ontvangen_op, toegangscode_id)
    SELECT id, raadpleging, gemeente, bestandsnaam, mediatype, grootte, sha256, ontvangen_op, toegangscode_id FROM bijlagen;
CREATE TABLE versie_bijlagen_nieuw (
    versie_id  INTEGER NOT NULL REFERENCES versies (id),
    bijlage_id TEXT NOT NULL REFERENCES bijlagen_nieuw (id),
    positie    INTEGER NOT NULL,
    PRIMARY KEY (versie_id, bijlage_id)
) STRICT;
INSERT INTO versie_bijlagen_nieuw (versie_id, bijlage_id, positie) SELECT versie_id, bijlage_id, positie FROM versie_bijlagen;
DROP TABLE versie_bijlagen;
DROP TABLE bijlagen;
ALTER TABLE bijlagen_nieuw RENAME TO bijlagen;
ALTER TABLE versie_bijlagen_nieuw RENAME TO versie_bijlagen;
CREATE INDEX bijlagen_gemeente ON bijlagen (raadpleging, gemeente);

CREATE TRIGGER versie_bijlagen_onveranderlijk BEFORE UPDATE ON versie_bijlagen
BEGIN SELECT RAISE(ABORT, 'versie_bijlagen are append-only'); END;
CREATE TRIGGER versie_bijlagen_onverwijderbaar BEFORE DELETE ON versie_bijlagen
BEGIN SELECT RAISE(ABORT, 'versie_bijlagen are append-only'); END;
CREATE TRIGGER bijlagen_onveranderlijk BEFORE UPDATE ON bijlagen
BEGIN SELECT RAISE(ABORT, 'bijlagen are append-only'); END;
CREATE TRIGGER bijlagen_onverwijderbaar BEFORE DELETE ON bijlagen
BEGIN SELECT RAISE(ABORT, 'bijlagen are append-only'); END;

-- An attachment lists only complete content of the same size and digest.
CREATE TRIGGER bijlagen_volledige_inhoud BEFORE INSERT ON bijlagen
WHEN NOT EXISTS (SELECT 1 FROM bijlage_inhoud i WHERE i.id = NEW.id AND i.compleet = 1
                 AND i.grootte = NEW.grootte AND i.sha256 = NEW.sha256)
BEGIN SELECT RAISE(ABORT, 'bijlagen need complete content of the same size and digest'); END;

-- Complete content never changes; content an attachment lists never goes.
CREATE TRIGGER bijlage_inhoud_onveranderlijk BEFORE UPDATE ON bijlage_inhoud WHEN OLD.compleet = 1
BEGIN SELECT RAISE(ABORT, 'complete bijlage_inhoud is immutable'); END;
CREATE TRIGGER bijlage_inhoud_in_gebruik BEFORE DELETE ON bijlage_inhoud
WHEN EXISTS (SELECT 1 FROM bijlagen WHERE id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'bijlage_inhoud in use'); END;
CREATE TRIGGER bijlage_delen_vast BEFORE UPDATE ON bijlage_delen
BEGIN SELECT RAISE(ABORT, 'bijlage_delen are written once'); END;
CREATE TRIGGER bijlage_delen_in_gebruik BEFORE DELETE ON bijlage_delen
WHEN EXISTS (SELECT 1 FROM bijlage_inhoud WHERE id = OLD.inhoud AND compleet = 1)
 AND EXISTS (SELECT 1 FROM bijlagen WHERE id = OLD.inhoud)
BEGIN SELECT RAISE(ABORT, 'bijlage_delen in use'); END;

CREATE INDEX bijlage_inhoud_onvoltooid ON bijlage_inhoud (compleet, aangemaakt_op);
