-- The hoofdaannemer's part of a case allocated to it, PostgreSQL dialect. Keep in
-- step with ../sqlite/0019_behandeling.sql.

-- One row per case and provider: its answer to the allocation (it takes the
-- youth in care, or a problem with what it says), the intake it held, and the
-- beknopt plan of its behandelplan; each part with when it was last recorded.
-- Lengths are counted in characters, as the application bounds them.
CREATE TABLE behandeling (
    casus_id             BIGINT NOT NULL REFERENCES casus (id),
    aanbieder_agb        TEXT NOT NULL REFERENCES aanbieder (agb_code),
    reactie              TEXT CHECK (reactie IN ('geaccepteerd', 'probleem')),
    reactie_toelichting  TEXT CHECK (length(reactie_toelichting) <= 1000),
    reactie_op           TIMESTAMPTZ,
    intake_datum         DATE,
    intake_op            TIMESTAMPTZ,
    beknopt_plan         TEXT CHECK (length(beknopt_plan) <= 1000),
    plan_op              TIMESTAMPTZ,
    CHECK ((reactie IS NULL) = (reactie_op IS NULL)),
    CHECK ((intake_datum IS NULL) = (intake_op IS NULL)),
    CHECK ((beknopt_plan IS NULL) = (plan_op IS NULL)),
    PRIMARY KEY (casus_id, aanbieder_agb)
);
-- The measured wait from match to intake reads the intakes of a period.
CREATE INDEX behandeling_intake ON behandeling (intake_datum) WHERE intake_datum IS NOT NULL;

-- The goals of the behandelplan, in the provider's order, and the results of
-- the perspectiefplan (by their number) each serves.
CREATE TABLE behandeldoel (
    casus_id       BIGINT NOT NULL,
    aanbieder_agb  TEXT NOT NULL,
    volgnummer     INTEGER NOT NULL CHECK (volgnummer BETWEEN 1 AND 10),
    omschrijving   TEXT NOT NULL CHECK (length(omschrijving) <= 500),
    activiteiten   TEXT NOT NULL CHECK (length(activiteiten) <= 1000),
    frequentie     TEXT NOT NULL CHECK (length(frequentie) <= 200),
    PRIMARY KEY (casus_id, aanbieder_agb, volgnummer),
    FOREIGN KEY (casus_id, aanbieder_agb) REFERENCES behandeling (casus_id, aanbieder_agb)
);
CREATE TABLE behandeldoel_resultaat (
    casus_id       BIGINT NOT NULL,
    aanbieder_agb  TEXT NOT NULL,
    doel           INTEGER NOT NULL,
    resultaat      INTEGER NOT NULL CHECK (resultaat BETWEEN 1 AND 20),
    PRIMARY KEY (casus_id, aanbieder_agb, doel, resultaat),
    FOREIGN KEY (casus_id, aanbieder_agb, doel)
        REFERENCES behandeldoel (casus_id, aanbieder_agb, volgnummer)
);
