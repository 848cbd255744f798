-- The provider's side of the iJw exchange (iJw 3.2 §3), for providers hosted in
-- this installation, SQLite dialect. Keep in step with
-- ../postgres/0012_aanbieder_berichten.sql.

-- Every version of every allocation (ToegewezenProduct of a JW301) a provider
-- received, as sent: the latest version per number is the one with the latest
-- Toewijzingsdatum and Toewijzingstijd; earlier versions stay as history. The
-- client's BSN and name are kept as the gemeente sent them.
CREATE TABLE ontvangen_toewijzing (
    id                    INTEGER PRIMARY KEY,
    aanbieder_agb         TEXT NOT NULL REFERENCES aanbieder (agb_code),
    gemeente_code         TEXT NOT NULL CHECK (length(gemeente_code) = 4),
    toewijzing_nummer     INTEGER NOT NULL,
    bsn                   TEXT NOT NULL CHECK (length(bsn) = 9),
    naam                  TEXT NOT NULL CHECK (length(naam) <= 400),
    geboortedatum         TEXT NOT NULL,
    -- NULL for a generic allocation (no Product).
    product_categorie     TEXT CHECK (length(product_categorie) = 2),
    product_code          TEXT CHECK (length(product_code) <= 5),
    toewijzingsdatum      TEXT NOT NULL,
    toewijzingstijd       TEXT NOT NULL,
    ingangsdatum          TEXT NOT NULL,
    einddatum             TEXT,
    reden_wijziging       TEXT CHECK (length(reden_wijziging) = 2),
    volume                INTEGER,
    eenheid               TEXT CHECK (length(eenheid) = 2),
    frequentie            TEXT CHECK (length(frequentie) = 1),
    budget                INTEGER,
    referentie_aanbieder  TEXT CHECK (length(referentie_aanbieder) <= 36),
    inbox_id              INTEGER NOT NULL REFERENCES inbox (id),
    created_at            TEXT NOT NULL
) STRICT;
CREATE INDEX ontvangen_toewijzing_nummer
    ON ontvangen_toewijzing (aanbieder_agb, gemeente_code, toewijzing_nummer);

-- The messages a provider wrote here (JW305, JW307, JW315, JW317, JW323), each
-- with its outbox row. The Identificatie is the type and a number counted per
-- provider and type, unique (TR056).
CREATE TABLE aanbieder_bericht (
    id                    INTEGER PRIMARY KEY,
    aanbieder_agb         TEXT NOT NULL REFERENCES aanbieder (agb_code),
    gemeente_code         TEXT NOT NULL CHECK (length(gemeente_code) = 4),
    berichtsoort          TEXT NOT NULL
        CHECK (berichtsoort IN ('JW305', 'JW307', 'JW315', 'JW317', 'JW323')),
    volgnummer            INTEGER NOT NULL CHECK (volgnummer > 0),
    identificatie         TEXT NOT NULL CHECK (length(identificatie) <= 12),
    -- The allocation it is about (a start, a stop, a change requested); none
    -- for a JW315 or a JW323.
    toewijzing_nummer     INTEGER,
    -- The client, for a message about one client (all but a JW323).
    bsn                   TEXT CHECK (length(bsn) = 9),
    -- A request's ReferentieAanbieder (JW315, JW317).
    referentie_aanbieder  TEXT CHECK (length(referentie_aanbieder) <= 36),
    -- A declaration's number and total in eurocent, debet positive (JW323).
    declaratie_nummer     TEXT CHECK (length(declaratie_nummer) <= 12),
    ingediend_bedrag      INTEGER,
    -- A removal (StatusAanlevering 3) names the start or stop it removes.
    verwijdert_id         INTEGER REFERENCES aanbieder_bericht (id),
    outbox_id             INTEGER NOT NULL REFERENCES outbox (id),
    created_at            TEXT NOT NULL,
    UNIQUE (aanbieder_agb, berichtsoort, volgnummer),
    UNIQUE (aanbieder_agb, berichtsoort, identificatie)
) STRICT;
CREATE INDEX aanbieder_bericht_toewijzing
    ON aanbieder_bericht (aanbieder_agb, gemeente_code, toewijzing_nummer);

-- The answers a provider received on its requests (JW319) and declarations
-- (JW325), matched to the message they answer.
CREATE TABLE ontvangen_antwoord (
    id                    INTEGER PRIMARY KEY,
    bericht_id            INTEGER NOT NULL REFERENCES aanbieder_bericht (id),
    berichtsoort          TEXT NOT NULL CHECK (berichtsoort IN ('JW319', 'JW325')),
    -- JW319: VerzoekAntwoord (WJ760) and RedenAfwijzingVerzoek.
    verzoek_antwoord      TEXT CHECK (length(verzoek_antwoord) = 1),
    reden_afwijzing       TEXT CHECK (length(reden_afwijzing) <= 2),
    woonplaats_gemeente   TEXT CHECK (length(woonplaats_gemeente) = 4),
    -- JW325: the header's retour codes; the approved total in eurocent.
    retour_codes          TEXT CHECK (length(retour_codes) <= 200),
    toegekend_bedrag      INTEGER,
    inbox_id              INTEGER NOT NULL REFERENCES inbox (id),
    created_at            TEXT NOT NULL
) STRICT;
CREATE INDEX ontvangen_antwoord_bericht ON ontvangen_antwoord (bericht_id);

-- Every prestatie of a provider's declarations, as sent, with what the JW325
-- made of it.
CREATE TABLE aanbieder_prestatie (
    id                       INTEGER PRIMARY KEY,
    bericht_id               INTEGER NOT NULL REFERENCES aanbieder_bericht (id),
    aanbieder_agb            TEXT NOT NULL REFERENCES aanbieder (agb_code),
    bsn                      TEXT NOT NULL CHECK (length(bsn) = 9),
    referentie_nummer        TEXT NOT NULL CHECK (length(referentie_nummer) <= 36),
    vorig_referentie_nummer  TEXT CHECK (length(vorig_referentie_nummer) <= 36),
    toewijzing_nummer        INTEGER NOT NULL,
    product_categorie        TEXT NOT NULL CHECK (length(product_categorie) = 2),
    product_code             TEXT NOT NULL CHECK (length(product_code) <= 5),
    begindatum               TEXT NOT NULL,
    einddatum                TEXT NOT NULL,
    geleverd_volume          INTEGER NOT NULL,
    eenheid                  TEXT NOT NULL CHECK (length(eenheid) = 2),
    product_tarief           INTEGER,
    bedrag                   INTEGER NOT NULL,
    credit                   INTEGER NOT NULL CHECK (credit IN (0, 1)),
    status                   TEXT NOT NULL DEFAULT 'ingediend'
        CHECK (status IN ('ingediend', 'goedgekeurd', 'afgewezen')),
    retour_codes             TEXT CHECK (length(retour_codes) <= 200),
    UNIQUE (aanbieder_agb, referentie_nummer)
) STRICT;
CREATE INDEX aanbieder_prestatie_bericht ON aanbieder_prestatie (bericht_id);
