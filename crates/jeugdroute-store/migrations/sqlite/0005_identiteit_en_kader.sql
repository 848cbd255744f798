-- no-transaction
-- One youth, one truth per gemeente; the forced framework; the woonplaats; the
-- melding's own data. SQLite dialect; keep in step with ../postgres/0005_identiteit_en_kader.sql.
--
-- SQLite cannot drop a UNIQUE constraint, so `gezin` and `jeugdige` are rebuilt.
-- That needs foreign keys off, which SQLite allows only outside a transaction:
-- hence `no-transaction` above and the explicit transaction below.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

-- A household and a youth belong to the gemeente that registered them: gemeenten
-- never share a youth's stored data, and a youth who moves has one history per
-- gemeente. The same BSN may so appear once per gemeente.
CREATE TABLE gezin_new (
    id            INTEGER PRIMARY KEY,
    surname       TEXT NOT NULL,
    street        TEXT NOT NULL,
    house_number  TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    city          TEXT NOT NULL,
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    UNIQUE (gemeente_code, postcode, house_number, surname)
) STRICT;
INSERT INTO gezin_new (id, surname, street, house_number, postcode, city, gemeente_code)
    SELECT id, surname, street, house_number, postcode, city, gemeente_code FROM gezin;

CREATE TABLE jeugdige_new (
    id            INTEGER PRIMARY KEY,
    gezin_id      INTEGER NOT NULL REFERENCES gezin (id),
    bsn           TEXT NOT NULL CHECK (length(bsn) = 9),
    first_names   TEXT NOT NULL,
    surname       TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    geslacht      TEXT NOT NULL DEFAULT 'onbekend' CHECK (geslacht IN ('onbekend', 'man', 'vrouw')),
    UNIQUE (gemeente_code, bsn)
) STRICT;
INSERT INTO jeugdige_new (id, gezin_id, bsn, first_names, surname, birth_date, gemeente_code)
    SELECT id, gezin_id, bsn, first_names, surname, birth_date, gemeente_code FROM jeugdige;

DROP TABLE jeugdige;
ALTER TABLE jeugdige_new RENAME TO jeugdige;
DROP TABLE gezin;
ALTER TABLE gezin_new RENAME TO gezin;

-- Cases that an earlier version linked to a youth of another gemeente get a youth
-- (and household) of their own gemeente, with the data their case already showed.
INSERT INTO gezin (surname, street, house_number, postcode, city, gemeente_code)
    SELECT DISTINCT g.surname, g.street, g.house_number, g.postcode, g.city, c.gemeente_code
    FROM casus c JOIN jeugdige j ON j.id = c.jeugdige_id JOIN gezin g ON g.id = j.gezin_id
    WHERE c.gemeente_code <> j.gemeente_code
    ON CONFLICT DO NOTHING;
INSERT INTO jeugdige (gezin_id, bsn, first_names, surname, birth_date, gemeente_code)
    SELECT DISTINCT
        (SELECT g2.id FROM gezin g2 WHERE g2.gemeente_code = c.gemeente_code
            AND g2.postcode = g.postcode AND g2.house_number = g.house_number AND g2.surname = g.surname),
        j.bsn, j.first_names, j.surname, j.birth_date, c.gemeente_code
    FROM casus c JOIN jeugdige j ON j.id = c.jeugdige_id JOIN gezin g ON g.id = j.gezin_id
    WHERE c.gemeente_code <> j.gemeente_code
    ON CONFLICT DO NOTHING;
UPDATE casus SET jeugdige_id = (
        SELECT jn.id FROM jeugdige jn JOIN jeugdige jo ON jo.bsn = jn.bsn
        WHERE jo.id = casus.jeugdige_id AND jn.gemeente_code = casus.gemeente_code)
    WHERE gemeente_code <> (SELECT j.gemeente_code FROM jeugdige j WHERE j.id = casus.jeugdige_id);

-- The gecertificeerde instellingen of the region. A GI worker works for one.
CREATE TABLE gi (
    agb_code TEXT PRIMARY KEY NOT NULL CHECK (length(agb_code) = 8),
    name     TEXT NOT NULL
) STRICT;
ALTER TABLE account ADD COLUMN gi_agb TEXT REFERENCES gi (agb_code);

-- Which gemeente each four-digit postcode area belongs to (a PC4 on a border
-- may belong to two): the region's data for the woonplaatsbeginsel.
CREATE TABLE postcodegebied (
    pc4           INTEGER NOT NULL CHECK (pc4 BETWEEN 1000 AND 9999),
    gemeente_code TEXT NOT NULL REFERENCES gemeente (cbs_code),
    PRIMARY KEY (pc4, gemeente_code)
) STRICT;

-- The melding's own data: the family's question in their words; the forced
-- framework (a court measure or a GI referral, with the GI that holds the
-- regie) or none; which woonplaats rule decided the paying gemeente.
ALTER TABLE casus ADD COLUMN vraag TEXT NOT NULL DEFAULT '';
ALTER TABLE casus ADD COLUMN kader_grond TEXT
    CHECK (kader_grond IN ('ondertoezichtstelling', 'voogdij', 'jeugdreclassering', 'verwijzing-gi'));
ALTER TABLE casus ADD COLUMN gi_agb TEXT REFERENCES gi (agb_code);
ALTER TABLE casus ADD COLUMN woonplaats_regel TEXT NOT NULL DEFAULT '';
CREATE INDEX casus_gi ON casus (gi_agb);

-- Parents and others with gezag, as recorded at the melding of a case.
CREATE TABLE casus_ouder (
    casus_id   INTEGER NOT NULL REFERENCES casus (id),
    volgnummer INTEGER NOT NULL CHECK (volgnummer BETWEEN 1 AND 4),
    naam       TEXT NOT NULL,
    telefoon   TEXT,
    email      TEXT,
    gezag      INTEGER NOT NULL CHECK (gezag IN (0, 1)),
    PRIMARY KEY (casus_id, volgnummer)
) STRICT;

COMMIT;
PRAGMA foreign_keys = ON;
