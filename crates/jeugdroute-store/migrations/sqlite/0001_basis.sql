-- Jeugdroute base schema, SQLite dialect. Keep in step with ../postgres/0001_basis.sql:
-- the same tables, columns and constraints; only the types differ.
-- STRICT tables make SQLite refuse values of the wrong type.

CREATE TABLE regio (
    code TEXT PRIMARY KEY NOT NULL,
    naam TEXT NOT NULL
) STRICT;

CREATE TABLE gemeente (
    cbs_code   TEXT PRIMARY KEY NOT NULL CHECK (length(cbs_code) = 4),
    naam       TEXT NOT NULL,
    regio_code TEXT NOT NULL REFERENCES regio (code)
) STRICT;

CREATE TABLE aanbieder (
    agb_code TEXT PRIMARY KEY NOT NULL CHECK (length(agb_code) = 8),
    naam     TEXT NOT NULL,
    plaats   TEXT NOT NULL
) STRICT;

CREATE TABLE contract (
    id               INTEGER PRIMARY KEY,
    regio_code       TEXT NOT NULL REFERENCES regio (code),
    aanbieder_agb    TEXT NOT NULL REFERENCES aanbieder (agb_code),
    productcategorie TEXT NOT NULL CHECK (length(productcategorie) = 2),
    productcode      TEXT NOT NULL,
    ingangsdatum     TEXT NOT NULL,
    einddatum        TEXT,
    tarief_cent      INTEGER NOT NULL CHECK (tarief_cent >= 0),
    eenheid          TEXT NOT NULL,
    UNIQUE (aanbieder_agb, productcode, ingangsdatum),
    CHECK (einddatum IS NULL OR einddatum >= ingangsdatum)
) STRICT;
CREATE INDEX contract_productcode ON contract (productcode);

CREATE TABLE gebruiker (
    id              INTEGER PRIMARY KEY,
    gebruikersnaam  TEXT NOT NULL UNIQUE,
    weergavenaam    TEXT NOT NULL,
    wachtwoord_hash TEXT NOT NULL,
    rol             TEXT NOT NULL CHECK (rol IN ('toegangsmedewerker', 'gi-medewerker', 'aanbieder', 'beleidsmedewerker', 'beheerder')),
    aanbieder_agb   TEXT REFERENCES aanbieder (agb_code),
    actief          INTEGER NOT NULL DEFAULT 1 CHECK (actief IN (0, 1)),
    CHECK ((rol = 'aanbieder') = (aanbieder_agb IS NOT NULL))
) STRICT;

CREATE TABLE gebruiker_gemeente (
    gebruiker_id  INTEGER NOT NULL REFERENCES gebruiker (id),
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    PRIMARY KEY (gebruiker_id, gemeente_code)
) STRICT;

CREATE TABLE gezin (
    id            INTEGER PRIMARY KEY,
    achternaam    TEXT NOT NULL,
    straat        TEXT NOT NULL,
    huisnummer    TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    woonplaats    TEXT NOT NULL,
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    UNIQUE (postcode, huisnummer, achternaam)
) STRICT;

CREATE TABLE jeugdige (
    id            INTEGER PRIMARY KEY,
    gezin_id      INTEGER NOT NULL REFERENCES gezin (id),
    bsn           TEXT NOT NULL UNIQUE CHECK (length(bsn) = 9),
    voornamen     TEXT NOT NULL,
    achternaam    TEXT NOT NULL,
    geboortedatum TEXT NOT NULL,
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code)
) STRICT;

CREATE TABLE casus (
    id            INTEGER PRIMARY KEY,
    jeugdige_id   INTEGER NOT NULL REFERENCES jeugdige (id),
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    fase          TEXT NOT NULL,
    aangemaakt_op TEXT NOT NULL,
    bijgewerkt_op TEXT NOT NULL
) STRICT;
CREATE INDEX casus_gemeente ON casus (gemeente_code);
CREATE INDEX casus_jeugdige ON casus (jeugdige_id);

-- NEN 7513-style access log of client data. Append-only: the triggers below refuse
-- every UPDATE and DELETE, whoever asks.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    tijdstip    TEXT NOT NULL,
    gebruiker   TEXT NOT NULL,
    rol         TEXT,
    namens      TEXT,
    gebeurtenis TEXT NOT NULL,
    jeugdige_id INTEGER,
    casus_id    INTEGER,
    doel        TEXT NOT NULL,
    uitkomst    TEXT NOT NULL,
    bron        TEXT
) STRICT;
CREATE INDEX audit_log_jeugdige ON audit_log (jeugdige_id);

CREATE TRIGGER audit_log_geen_wijziging BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_geen_verwijdering BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- iJw messages we send (outbox) and receive (inbox), stored whole.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    berichtsoort  TEXT NOT NULL,
    afzender      TEXT NOT NULL,
    ontvanger     TEXT NOT NULL,
    casus_id      INTEGER REFERENCES casus (id),
    inhoud        TEXT NOT NULL,
    aangemaakt_op TEXT NOT NULL,
    verzonden_op  TEXT
) STRICT;
CREATE INDEX outbox_te_verzenden ON outbox (verzonden_op, id);

CREATE TABLE inbox (
    id             INTEGER PRIMARY KEY,
    berichtsoort   TEXT NOT NULL,
    afzender       TEXT NOT NULL,
    ontvanger      TEXT NOT NULL,
    inhoud         TEXT NOT NULL,
    ontvangen_op   TEXT NOT NULL,
    verwerkt_op    TEXT,
    verwerkingsfout TEXT
) STRICT;
CREATE INDEX inbox_te_verwerken ON inbox (verwerkt_op, id);
