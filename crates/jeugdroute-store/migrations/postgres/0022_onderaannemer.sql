-- Onderaannemers, PostgreSQL dialect. Keep in step with
-- ../sqlite/0022_onderaannemer.sql.

-- A provider the hoofdaannemer of an allocation called in to deliver part of
-- it: per allocation (gemeente and ToewijzingNummer) of a case, who registered
-- it and when. The onderaannemer sees the goals and the period, not the plan.
CREATE TABLE onderaannemer (
    casus_id           BIGINT NOT NULL REFERENCES casus (id),
    gemeente_code      TEXT NOT NULL CHECK (length(gemeente_code) = 4),
    toewijzing_nummer  BIGINT NOT NULL,
    hoofdaannemer_agb  TEXT NOT NULL REFERENCES aanbieder (agb_code),
    onderaannemer_agb  TEXT NOT NULL REFERENCES aanbieder (agb_code),
    geregistreerd_op   TIMESTAMPTZ NOT NULL,
    CHECK (hoofdaannemer_agb <> onderaannemer_agb),
    PRIMARY KEY (casus_id, toewijzing_nummer, onderaannemer_agb)
);
CREATE INDEX onderaannemer_agb ON onderaannemer (onderaannemer_agb, casus_id);
