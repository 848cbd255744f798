-- Jeugdroute base schema, SQLite dialect. Keep in step with ../postgres/0001_basis.sql:
-- the same tables, columns and constraints; only the types differ.
-- STRICT tables make SQLite refuse values of the wrong type.

CREATE TABLE regio (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE gemeente (
    cbs_code   TEXT PRIMARY KEY NOT NULL CHECK (length(cbs_code) = 4),
    name       TEXT NOT NULL,
    regio_code TEXT NOT NULL REFERENCES regio (code)
) STRICT;

CREATE TABLE aanbieder (
    agb_code TEXT PRIMARY KEY NOT NULL CHECK (length(agb_code) = 8),
    name     TEXT NOT NULL,
    city   TEXT NOT NULL
) STRICT;

CREATE TABLE contract (
    id               INTEGER PRIMARY KEY,
    regio_code       TEXT NOT NULL REFERENCES regio (code),
    aanbieder_agb    TEXT NOT NULL REFERENCES aanbieder (agb_code),
    productcategorie TEXT NOT NULL CHECK (length(productcategorie) = 2),
    productcode      TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date        TEXT,
    tariff_cents      INTEGER NOT NULL CHECK (tariff_cents >= 0),
    unit          TEXT NOT NULL,
    UNIQUE (aanbieder_agb, productcode, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX contract_productcode ON contract (productcode);

CREATE TABLE account (
    id              INTEGER PRIMARY KEY,
    username  TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('toegangsmedewerker', 'gi-medewerker', 'aanbieder', 'beleidsmedewerker', 'beheerder')),
    aanbieder_agb   TEXT REFERENCES aanbieder (agb_code),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK ((role = 'aanbieder') = (aanbieder_agb IS NOT NULL))
) STRICT;

CREATE TABLE account_gemeente (
    account_id  INTEGER NOT NULL REFERENCES account (id),
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    PRIMARY KEY (account_id, gemeente_code)
) STRICT;

CREATE TABLE gezin (
    id            INTEGER PRIMARY KEY,
    surname    TEXT NOT NULL,
    street        TEXT NOT NULL,
    house_number    TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    city    TEXT NOT NULL,
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    UNIQUE (postcode, house_number, surname)
) STRICT;

CREATE TABLE jeugdige (
    id            INTEGER PRIMARY KEY,
    gezin_id      INTEGER NOT NULL REFERENCES gezin (id),
    bsn           TEXT NOT NULL UNIQUE CHECK (length(bsn) = 9),
    first_names     TEXT NOT NULL,
    surname    TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code)
) STRICT;

CREATE TABLE casus (
    id            INTEGER PRIMARY KEY,
    jeugdige_id   INTEGER NOT NULL REFERENCES jeugdige (id),
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    phase          TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX casus_gemeente ON casus (gemeente_code);
CREATE INDEX casus_jeugdige ON casus (jeugdige_id);

-- NEN 7513-style access log of client data. Append-only: the triggers below refuse
-- every UPDATE and DELETE, whoever asks.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role         TEXT,
    on_behalf_of      TEXT,
    event TEXT NOT NULL,
    jeugdige_id INTEGER,
    casus_id    INTEGER,
    purpose        TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    source        TEXT
) STRICT;
CREATE INDEX audit_log_jeugdige ON audit_log (jeugdige_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- iJw messages we send (outbox) and receive (inbox), stored whole.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    berichtsoort  TEXT NOT NULL,
    sender      TEXT NOT NULL,
    receiver     TEXT NOT NULL,
    casus_id      INTEGER REFERENCES casus (id),
    body        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at  TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (sent_at, id);

CREATE TABLE inbox (
    id             INTEGER PRIMARY KEY,
    berichtsoort   TEXT NOT NULL,
    sender       TEXT NOT NULL,
    receiver      TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    processed_at    TEXT,
    processing_error TEXT
) STRICT;
CREATE INDEX inbox_pending ON inbox (processed_at, id);
