-- How the help goes and how it ended, SQLite dialect. Keep in step with
-- ../postgres/0020_voortgang_en_evaluatie.sql.

-- Progress notes while the help runs, by the provider or the local team: who
-- wrote it, for which side (and which provider), and when. A note is only
-- ever added, never changed.
CREATE TABLE voortgang (
    id             INTEGER PRIMARY KEY,
    casus_id       INTEGER NOT NULL REFERENCES casus (id),
    auteur         TEXT NOT NULL CHECK (length(auteur) <= 100),
    namens         TEXT NOT NULL CHECK (namens IN ('aanbieder', 'toegang')),
    aanbieder_agb  TEXT REFERENCES aanbieder (agb_code),
    tekst          TEXT NOT NULL CHECK (length(tekst) <= 2000),
    geschreven_op  TEXT NOT NULL,
    CHECK ((namens = 'aanbieder') = (aanbieder_agb IS NOT NULL))
) STRICT;
CREATE INDEX voortgang_casus ON voortgang (casus_id, id);

-- The evaluation that closed the help: why it ended (the CBS reasons of iJw's
-- JZ588) and its last day; and per result of the perspectiefplan how far it
-- was reached, with the family's own view.
CREATE TABLE evaluatie (
    casus_id     INTEGER PRIMARY KEY NOT NULL REFERENCES casus (id),
    reden_einde  TEXT NOT NULL
        CHECK (reden_einde IN ('31', '32', '33', '34', '35', '36', '38', '39', '02')),
    einddatum    TEXT NOT NULL
) STRICT;
CREATE TABLE evaluatie_resultaat (
    casus_id    INTEGER NOT NULL REFERENCES evaluatie (casus_id),
    volgnummer  INTEGER NOT NULL CHECK (volgnummer BETWEEN 1 AND 20),
    oordeel     TEXT NOT NULL CHECK (oordeel IN ('behaald', 'deels', 'niet')),
    gezin       TEXT NOT NULL CHECK (length(gezin) <= 1000),
    PRIMARY KEY (casus_id, volgnummer)
) STRICT;
