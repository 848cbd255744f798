-- Changes to sent allocations (iJw 3.2 §3.2), SQLite dialect. Keep in step with
-- ../postgres/0004_toewijzing_wijziging.sql.

-- The allocation as it stands: its version (1 when first sent, one more with every
-- change) and the RedenWijziging (JZ002) of the latest change; end_date is the
-- current Einddatum. The version makes the BerichtIdentificatie of a change.
ALTER TABLE toewijzing ADD COLUMN versie INTEGER NOT NULL DEFAULT 1
    CHECK (versie BETWEEN 1 AND 99);
ALTER TABLE toewijzing ADD COLUMN reden_wijziging TEXT
    CHECK (length(reden_wijziging) = 2 AND reden_wijziging <> '01');

-- Every change, kept: what the Einddatum was and became, why (the JZ002 code and
-- the worker's toelichting), by whom, and the JW301 that carried it. The
-- BerichtIdentificatie is unique per gemeente, as TR056 asks of a sender.
CREATE TABLE toewijzing_wijziging (
    id                    INTEGER PRIMARY KEY,
    gemeente_code         TEXT NOT NULL,
    nummer                INTEGER NOT NULL,
    versie                INTEGER NOT NULL CHECK (versie BETWEEN 2 AND 99),
    reden_wijziging       TEXT NOT NULL
        CHECK (length(reden_wijziging) = 2 AND reden_wijziging <> '01'),
    einddatum_was         TEXT NOT NULL,
    einddatum             TEXT NOT NULL,
    toelichting           TEXT NOT NULL,
    username              TEXT NOT NULL,
    bericht_identificatie TEXT NOT NULL,
    outbox_id             INTEGER NOT NULL UNIQUE REFERENCES outbox (id),
    created_at            TEXT NOT NULL,
    FOREIGN KEY (gemeente_code, nummer) REFERENCES toewijzing (gemeente_code, nummer),
    UNIQUE (gemeente_code, nummer, versie),
    UNIQUE (gemeente_code, bericht_identificatie)
) STRICT;
