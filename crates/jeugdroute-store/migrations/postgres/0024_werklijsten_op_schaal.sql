-- Worklists at scale, PostgreSQL dialect. Keep in step with
-- ../sqlite/0024_werklijsten_op_schaal.sql.

-- A worklist page is read per gemeente (and per phase or urgency when
-- filtered), newest first, from a cursor: each of these indexes hands out the
-- next fifty cases of one such branch in order, without a sort.
DROP INDEX casus_gemeente;
CREATE INDEX casus_gemeente ON casus (gemeente_code, id);
CREATE INDEX casus_gemeente_fase ON casus (gemeente_code, phase, id);
CREATE INDEX casus_gemeente_urgentie ON casus (gemeente_code, urgentie, id);
DROP INDEX casus_gi;
CREATE INDEX casus_gi ON casus (gi_agb, id);

-- The case page reads its messages by case; a worklist line asks whether one
-- of its case's messages was refused.
CREATE INDEX outbox_casus ON outbox (casus_id, id);
CREATE INDEX outbox_afgekeurd ON outbox (casus_id) WHERE retour_state = 'afgekeurd';

-- A provider's worklist reads its requests.
CREATE INDEX verzoek_aanbieder ON verzoek (aanbieder_agb, id);

-- Search by part of a name: the name as searched (lower case, made by the
-- application so that both backends fold letters alike), and a trigram index
-- (pg_trgm, GIN) that answers `LIKE '%deel%'` without reading every youth.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE jeugdige ADD COLUMN zoeknaam TEXT NOT NULL DEFAULT '' CHECK (length(zoeknaam) <= 1000);
UPDATE jeugdige SET zoeknaam = lower(first_names || ' ' || surname);
CREATE INDEX jeugdige_zoeknaam ON jeugdige USING gin (zoeknaam gin_trgm_ops);
