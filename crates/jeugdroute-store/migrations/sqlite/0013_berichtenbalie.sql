-- no-transaction
-- The message desk and the provider's own system (iJw exchange, issue 13 points
-- 5b and 6). SQLite dialect; keep in step with ../postgres/0013_berichtenbalie.sql.
--
-- SQLite cannot change a CHECK constraint, so `account` is rebuilt with the new
-- role. That needs foreign keys off, which SQLite allows only outside a
-- transaction: hence `no-transaction` above and the explicit transaction below.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

-- A berichtenbeheerder watches the iJw message traffic of its gemeenten (the
-- message desk, "Berichten"); like a toegangsmedewerker it works for the
-- gemeenten of `account_gemeente`.
CREATE TABLE account_new (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('toegangsmedewerker', 'gi-medewerker', 'aanbieder', 'beleidsmedewerker', 'beheerder', 'berichtenbeheerder')),
    aanbieder_agb   TEXT REFERENCES aanbieder (agb_code),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    gi_agb          TEXT REFERENCES gi (agb_code),
    CHECK ((role = 'aanbieder') = (aanbieder_agb IS NOT NULL))
) STRICT;
INSERT INTO account_new (id, username, display_name, password_hash, role, aanbieder_agb, active, gi_agb)
    SELECT id, username, display_name, password_hash, role, aanbieder_agb, active, gi_agb FROM account;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;

-- When the provider's own system confirmed it received an outgoing message it
-- fetched through the API (`POST /api/v1/berichten/{id}/ontvangen`).
ALTER TABLE outbox ADD COLUMN acknowledged_at TEXT;

COMMIT;
PRAGMA foreign_keys = ON;
