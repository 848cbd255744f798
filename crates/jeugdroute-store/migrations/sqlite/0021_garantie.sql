-- Help under the warranty, SQLite dialect. Keep in step with
-- ../postgres/0021_garantie.sql.

-- A case that went back to the hoofdaannemer of earlier help because the
-- problems came back within four months of its end: which earlier case, which
-- provider, when that help ended and until when the warranty ran, and when
-- it was sent back (the route's step says by whom). Counted as recurrence.
CREATE TABLE garantie (
    casus_id          INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    eerdere_casus_id  INTEGER NOT NULL REFERENCES casus (id),
    aanbieder_agb     TEXT NOT NULL REFERENCES aanbieder (agb_code),
    einddatum         TEXT NOT NULL,
    garantie_tot      TEXT NOT NULL,
    teruggelegd_op    TEXT NOT NULL,
    CHECK (casus_id <> eerdere_casus_id),
    CHECK (garantie_tot > einddatum)
) STRICT;
CREATE INDEX garantie_aanbieder ON garantie (aanbieder_agb, casus_id);
