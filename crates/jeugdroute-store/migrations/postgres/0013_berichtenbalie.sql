-- The message desk and the provider's own system (iJw exchange, issue 13 points
-- 5b and 6), PostgreSQL dialect. Keep in step with ../sqlite/0013_berichtenbalie.sql.

-- A berichtenbeheerder watches the iJw message traffic of its gemeenten (the
-- message desk, "Berichten"); like a toegangsmedewerker it works for the
-- gemeenten of `account_gemeente`.
ALTER TABLE account DROP CONSTRAINT account_role_check;
ALTER TABLE account ADD CONSTRAINT account_role_check
    CHECK (role IN ('toegangsmedewerker', 'gi-medewerker', 'aanbieder', 'beleidsmedewerker', 'beheerder', 'berichtenbeheerder'));

-- When the provider's own system confirmed it received an outgoing message it
-- fetched through the API (`POST /api/v1/berichten/{id}/ontvangen`).
ALTER TABLE outbox ADD COLUMN acknowledged_at TIMESTAMPTZ;
