-- The gemeente's link to the GGk (StUF-GGk envelope, koppelvlak ggk0210), SQLite
-- dialect. Keep in step with ../postgres/0014_ggk.sql.

-- The referentienummer (UUID v4) of the Di01 or Du01 an outgoing message left in:
-- given before the envelope is written and kept, so a message written again after
-- a crash keeps its number, and a Fo01 names the message it refuses.
ALTER TABLE outbox ADD COLUMN ggk_referentienummer TEXT
    CHECK (length(ggk_referentienummer) = 36);
CREATE UNIQUE INDEX outbox_ggk_referentienummer ON outbox (ggk_referentienummer);

-- The referentienummer of the envelope a message came in: the Du01 that carries
-- our answer names it (crossRefnummer), and the same envelope is read only once.
ALTER TABLE inbox ADD COLUMN ggk_referentienummer TEXT
    CHECK (length(ggk_referentienummer) <= 40);
CREATE UNIQUE INDEX inbox_ggk_referentienummer ON inbox (ggk_referentienummer);

-- A routing error (StUF Fo01) of the knooppunt on one of our envelopes, kept
-- with the outgoing message it concerns when its crossRefnummer is ours.
CREATE TABLE ggk_fout (
    id                INTEGER PRIMARY KEY,
    -- BLAKE2b-256 of the Fo01 as read: the same file twice is kept once.
    digest            BLOB NOT NULL UNIQUE CHECK (length(digest) = 32),
    referentienummer  TEXT NOT NULL CHECK (length(referentienummer) <= 40),
    cross_refnummer   TEXT NOT NULL CHECK (length(cross_refnummer) <= 40),
    outbox_id         INTEGER REFERENCES outbox (id),
    code              TEXT NOT NULL CHECK (length(code) <= 7),
    plek              TEXT NOT NULL CHECK (plek IN ('client', 'server')),
    omschrijving      TEXT NOT NULL CHECK (length(omschrijving) <= 2000),
    details           TEXT CHECK (length(details) <= 2000),
    received_at       TEXT NOT NULL
) STRICT;
CREATE INDEX ggk_fout_outbox ON ggk_fout (outbox_id);
