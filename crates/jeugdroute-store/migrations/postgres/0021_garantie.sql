-- Help under the warranty, PostgreSQL dialect. Keep in step with
-- ../sqlite/0021_garantie.sql.

-- A case that went back to the hoofdaannemer of earlier help because the
-- problems came back within four months of its end: which earlier case, which
-- provider, when that help ended and until when the warranty ran, and when
-- it was sent back (the route's step says by whom). Counted as recurrence.
CREATE TABLE garantie (
    casus_id          BIGINT PRIMARY KEY NOT NULL REFERENCES casus (id),
    eerdere_casus_id  BIGINT NOT NULL REFERENCES casus (id),
    aanbieder_agb     TEXT NOT NULL REFERENCES aanbieder (agb_code),
    einddatum         DATE NOT NULL,
    garantie_tot      DATE NOT NULL,
    teruggelegd_op    TIMESTAMPTZ NOT NULL,
    CHECK (casus_id <> eerdere_casus_id),
    CHECK (garantie_tot > einddatum)
);
CREATE INDEX garantie_aanbieder ON garantie (aanbieder_agb, casus_id);
