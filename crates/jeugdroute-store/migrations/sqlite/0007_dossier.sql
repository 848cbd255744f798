-- The case file as typed rows instead of one JSON document, SQLite dialect.
-- Keep in step with ../postgres/0007_dossier.sql.

-- Vraagverheldering: one row per case, and a row per leefgebied where the question plays.
CREATE TABLE vraagverheldering (
    casus_id       INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    opvoedsituatie TEXT NOT NULL CHECK (opvoedsituatie IN ('vragen', 'spanning', 'verhoogde-spanning', 'nood', 'crisis')),
    netwerk        TEXT NOT NULL,
    vraag          TEXT NOT NULL
) STRICT;
CREATE TABLE vraagverheldering_leefgebied (
    casus_id   INTEGER NOT NULL REFERENCES vraagverheldering (casus_id),
    leefgebied TEXT NOT NULL CHECK (leefgebied IN ('wonen', 'inkomen', 'opleiding', 'werk', 'opvoeding', 'gezondheid', 'veiligheid', 'sociale-relaties', 'vrije-tijd')),
    PRIMARY KEY (casus_id, leefgebied)
) STRICT;

-- Gezinsanalyse: the need (A, B or C) after free-access help was looked at.
CREATE TABLE gezinsanalyse (
    casus_id          INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    behoefte          TEXT NOT NULL CHECK (behoefte IN ('a', 'b', 'c')),
    vrij_toegankelijk TEXT NOT NULL
) STRICT;

-- The perspectiefplan and a row per result.
CREATE TABLE perspectiefplan (
    casus_id          INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    regie             TEXT NOT NULL CHECK (regie IN ('gezin', 'gi')),
    familiegroepsplan INTEGER NOT NULL CHECK (familiegroepsplan IN (0, 1))
) STRICT;
CREATE TABLE plan_resultaat (
    casus_id     INTEGER NOT NULL REFERENCES perspectiefplan (casus_id),
    volgnummer   INTEGER NOT NULL CHECK (volgnummer BETWEEN 1 AND 20),
    leefgebied   TEXT NOT NULL CHECK (leefgebied IN ('wonen', 'inkomen', 'opleiding', 'werk', 'opvoeding', 'gezondheid', 'veiligheid', 'sociale-relaties', 'vrije-tijd')),
    omschrijving TEXT NOT NULL,
    PRIMARY KEY (casus_id, volgnummer)
) STRICT;

-- The determination (7-step plan steps 2-5a) and a row per reason shown.
CREATE TABLE bepaling (
    casus_id          INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    arrangement       INTEGER NOT NULL CHECK (arrangement BETWEEN 1 AND 9),
    arrangement_name  TEXT NOT NULL,
    intensiteit       TEXT NOT NULL CHECK (intensiteit IN ('licht', 'midden', 'zwaar', 'doorlopend', 'chronisch')),
    productcode       TEXT NOT NULL,
    catalogue_version TEXT NOT NULL
) STRICT;
CREATE INDEX bepaling_productcode ON bepaling (productcode);
CREATE TABLE bepaling_reden (
    casus_id   INTEGER NOT NULL REFERENCES bepaling (casus_id),
    volgnummer INTEGER NOT NULL CHECK (volgnummer >= 1),
    tekst      TEXT NOT NULL,
    PRIMARY KEY (casus_id, volgnummer)
) STRICT;

-- The match: which provider, chosen by whom, the intake and the period asked.
CREATE TABLE match_intake (
    casus_id      INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    aanbieder_agb TEXT NOT NULL REFERENCES aanbieder (agb_code),
    gekozen_door  TEXT NOT NULL CHECK (gekozen_door IN ('gezin', 'advies')),
    match_date    TEXT NOT NULL,
    intake_date   TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    CHECK (intake_date >= match_date),
    CHECK (end_date >= start_date)
) STRICT;
CREATE INDEX match_intake_aanbieder ON match_intake (aanbieder_agb);

-- Every correction of an earlier step: which step, why, by whom, when.
CREATE TABLE casus_correctie (
    id          INTEGER PRIMARY KEY,
    casus_id    INTEGER NOT NULL REFERENCES casus (id),
    stap        TEXT NOT NULL,
    reden       TEXT NOT NULL,
    username    TEXT NOT NULL,
    occurred_at TEXT NOT NULL
) STRICT;
CREATE INDEX casus_correctie_casus ON casus_correctie (casus_id, id);

-- Existing dossiers move into the rows above; then the JSON column goes.
INSERT INTO vraagverheldering (casus_id, opvoedsituatie, netwerk, vraag)
    SELECT id, json_extract(dossier, '$.vraagverheldering.opvoedsituatie'),
        json_extract(dossier, '$.vraagverheldering.netwerk'),
        json_extract(dossier, '$.vraagverheldering.vraag')
    FROM casus WHERE json_extract(dossier, '$.vraagverheldering') IS NOT NULL;
INSERT INTO vraagverheldering_leefgebied (casus_id, leefgebied)
    SELECT c.id, l.value FROM casus c, json_each(c.dossier, '$.vraagverheldering.leefgebieden') l;
INSERT INTO gezinsanalyse (casus_id, behoefte, vrij_toegankelijk)
    SELECT id, json_extract(dossier, '$.gezinsanalyse.behoefte'),
        json_extract(dossier, '$.gezinsanalyse.vrij_toegankelijk')
    FROM casus WHERE json_extract(dossier, '$.gezinsanalyse') IS NOT NULL;
INSERT INTO perspectiefplan (casus_id, regie, familiegroepsplan)
    SELECT id, json_extract(dossier, '$.plan.regie'), json_extract(dossier, '$.plan.familiegroepsplan')
    FROM casus WHERE json_extract(dossier, '$.plan') IS NOT NULL;
INSERT INTO plan_resultaat (casus_id, volgnummer, leefgebied, omschrijving)
    SELECT c.id, r.key + 1, json_extract(r.value, '$.leefgebied'), json_extract(r.value, '$.omschrijving')
    FROM casus c, json_each(c.dossier, '$.plan.resultaten') r;
INSERT INTO bepaling (casus_id, arrangement, arrangement_name, intensiteit, productcode, catalogue_version)
    SELECT id, json_extract(dossier, '$.bemiddeling.arrangement'),
        json_extract(dossier, '$.bemiddeling.arrangement_name'),
        json_extract(dossier, '$.bemiddeling.intensiteit'),
        json_extract(dossier, '$.bemiddeling.productcode'),
        json_extract(dossier, '$.bemiddeling.catalogue_version')
    FROM casus WHERE json_extract(dossier, '$.bemiddeling') IS NOT NULL;
INSERT INTO bepaling_reden (casus_id, volgnummer, tekst)
    SELECT c.id, r.key + 1, r.value FROM casus c, json_each(c.dossier, '$.bemiddeling.reasons') r;
INSERT INTO match_intake (casus_id, aanbieder_agb, gekozen_door, match_date, intake_date, start_date, end_date)
    SELECT id, json_extract(dossier, '$.match_en_intake.aanbieder'), 'gezin',
        json_extract(dossier, '$.match_en_intake.match_date'),
        json_extract(dossier, '$.match_en_intake.intake_date'),
        json_extract(dossier, '$.beschikking.start_date'),
        json_extract(dossier, '$.beschikking.end_date')
    FROM casus WHERE json_extract(dossier, '$.match_en_intake') IS NOT NULL;
ALTER TABLE casus DROP COLUMN dossier;
