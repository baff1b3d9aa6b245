-- Answers to the zienswijzen (issue 15): after the deadline the RSIV answers every zienswijze, per
-- remark and in general, and gathers the answers in the reactienota that the RBO adopts.
--
-- A reactie is the coordinator's answer to the zienswijze of one gemeente in one consultation. It
-- records the version it answers: when the council submits a newer version later, the answer
-- stays and shows that it answers an older one. Answers are drafts while the consultation's
-- reactienota is a `concept`; once it is `vastgesteld` (with the date of the RBO meeting) they
-- are frozen until a coordinator reopens the nota. Who changed what is in the audit log.

CREATE TABLE reacties (
    raadpleging        TEXT NOT NULL REFERENCES raadplegingen (id),
    gemeente           TEXT NOT NULL REFERENCES gemeenten (code),
    beantwoordt_versie INTEGER NOT NULL CHECK (beantwoordt_versie >= 1),
    algemeen           TEXT NOT NULL,
    gewijzigd_op       INTEGER NOT NULL,
    PRIMARY KEY (raadpleging, gemeente)
) STRICT, WITHOUT ROWID;

-- The reaction to one theme remark of the answered version.
CREATE TABLE reactie_opmerkingen (
    raadpleging TEXT NOT NULL,
    gemeente    TEXT NOT NULL,
    thema       TEXT NOT NULL,
    positie     INTEGER NOT NULL,
    tekst       TEXT NOT NULL CHECK (length(tekst) > 0),
    verwerking  TEXT NOT NULL
        CHECK (verwerking IN ('overgenomen', 'gedeeltelijk-overgenomen', 'niet-overgenomen', 'ter-kennisname')),
    PRIMARY KEY (raadpleging, gemeente, thema),
    FOREIGN KEY (raadpleging, gemeente) REFERENCES reacties (raadpleging, gemeente) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- The reactienota of a consultation: `concept` (no row means concept too) or `vastgesteld` on
-- the RBO's date.
CREATE TABLE reactienotas (
    raadpleging    TEXT PRIMARY KEY REFERENCES raadplegingen (id),
    status         TEXT NOT NULL CHECK (status IN ('concept', 'vastgesteld')),
    rbo_datum      TEXT CHECK (rbo_datum IS NULL OR rbo_datum GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    vastgesteld_op INTEGER,
    CHECK ((status = 'vastgesteld') = (rbo_datum IS NOT NULL AND vastgesteld_op IS NOT NULL))
) STRICT;

-- The published result (issue 15): a snapshot, as JSON, of exactly what is public (per gemeente
-- its standpunt, its remarks and the reactions; never the indiener, codes or audit data), taken
-- by an explicit act of a coordinator once the reactienota is vastgesteld. Withdrawing deletes
-- the row (the audit log keeps both acts); publishing again replaces it.
CREATE TABLE publicaties (
    raadpleging     TEXT PRIMARY KEY REFERENCES raadplegingen (id),
    inhoud          TEXT NOT NULL CHECK (json_valid(inhoud)),
    gepubliceerd_op INTEGER NOT NULL
) STRICT;
