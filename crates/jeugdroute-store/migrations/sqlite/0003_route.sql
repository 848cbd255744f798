-- The route of a case after the melding, SQLite dialect. Keep in step with
-- ../postgres/0003_route.sql.

-- Every step of the client route: from where to where, by whom, when and why.
CREATE TABLE casus_stap (
    id          INTEGER PRIMARY KEY,
    casus_id    INTEGER NOT NULL REFERENCES casus (id),
    from_phase  TEXT NOT NULL,
    to_phase    TEXT NOT NULL,
    username    TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    reason      TEXT NOT NULL
) STRICT;
CREATE INDEX casus_stap_casus ON casus_stap (casus_id, id);

-- What was established at each step (vraagverheldering, gezinsanalyse, plan,
-- bemiddeling, match), as one JSON document the application reads and writes whole.
ALTER TABLE casus ADD COLUMN dossier TEXT NOT NULL DEFAULT '{}';

-- The waiting time a provider reports to the region, in weeks.
ALTER TABLE aanbieder ADD COLUMN wachttijd_weken INTEGER CHECK (wachttijd_weken >= 0);

-- The decision letter of a case, kept as sent.
CREATE TABLE beschikking (
    id          INTEGER PRIMARY KEY,
    casus_id    INTEGER NOT NULL UNIQUE REFERENCES casus (id),
    kenmerk     TEXT NOT NULL UNIQUE,
    decided_on  TEXT NOT NULL,
    pdf         BLOB NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- Allocations to providers; the number is unique per gemeente, as iJw requires.
CREATE TABLE toewijzing (
    id             INTEGER PRIMARY KEY,
    gemeente_code  TEXT NOT NULL REFERENCES gemeente (cbs_code),
    nummer         INTEGER NOT NULL CHECK (nummer > 0),
    casus_id       INTEGER NOT NULL REFERENCES casus (id),
    aanbieder_agb  TEXT NOT NULL REFERENCES aanbieder (agb_code),
    productcode    TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (gemeente_code, nummer),
    CHECK (end_date >= start_date)
) STRICT;
CREATE INDEX toewijzing_casus ON toewijzing (casus_id);
CREATE INDEX toewijzing_aanbieder ON toewijzing (aanbieder_agb);
