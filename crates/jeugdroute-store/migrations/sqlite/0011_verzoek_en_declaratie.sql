-- The gemeente's processes on requests and declarations (iJw 3.2 §3.4-§3.6),
-- SQLite dialect. Keep in step with ../postgres/0011_verzoek_en_declaratie.sql.

-- A provider's request that passed every check: a verzoek om toewijzing (JW315)
-- or a verzoek om wijziging (JW317), with the client as the provider sent it.
-- `state`: open (waiting for the worker), in_onderzoek (answered "aanvraag in
-- onderzoek", deadline moved), toegewezen (honoured by JW301s), afgewezen
-- (rejected by a JW319). The worker answers the request whole.
CREATE TABLE verzoek (
    id               INTEGER PRIMARY KEY,
    inbox_id         INTEGER NOT NULL UNIQUE REFERENCES inbox (id),
    soort            TEXT NOT NULL CHECK (soort IN ('JW315', 'JW317')),
    gemeente_code    TEXT NOT NULL REFERENCES gemeente (cbs_code),
    aanbieder_agb    TEXT NOT NULL CHECK (length(aanbieder_agb) = 8),
    bsn              TEXT NOT NULL CHECK (length(bsn) = 9),
    -- As sent in a JW315; a JW317 carries only the BSN.
    geslachtsnaam    TEXT CHECK (length(geslachtsnaam) <= 200),
    voornamen        TEXT CHECK (length(voornamen) <= 200),
    geboortedatum    TEXT,
    geslacht         TEXT CHECK (length(geslacht) = 1),
    -- A JW317's own ReferentieAanbieder and RedenVerzoek (JW315: per product).
    referentie_aanbieder TEXT CHECK (length(referentie_aanbieder) <= 36),
    reden_verzoek    TEXT CHECK (length(reden_verzoek) <= 2),
    commentaar       TEXT CHECK (length(commentaar) <= 1000),
    received_on      TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'in_onderzoek', 'toegewezen', 'afgewezen')),
    casus_id         INTEGER REFERENCES casus (id),
    created_at       TEXT NOT NULL,
    answered_at      TEXT,
    answered_by      TEXT
) STRICT;
CREATE INDEX verzoek_gemeente ON verzoek (gemeente_code, id);
CREATE INDEX verzoek_partij ON verzoek (gemeente_code, aanbieder_agb, bsn);

-- The products of a request: a JW315's AangevraagdProduct (each with its own
-- ReferentieAanbieder and referrer), or a JW317's unchanged, to-change and new
-- products.
CREATE TABLE verzoek_product (
    id                   INTEGER PRIMARY KEY,
    verzoek_id           INTEGER NOT NULL REFERENCES verzoek (id),
    soort                TEXT NOT NULL
        CHECK (soort IN ('aangevraagd', 'ongewijzigd', 'te_wijzigen', 'nieuw')),
    referentie_aanbieder TEXT CHECK (length(referentie_aanbieder) <= 36),
    toewijzing_nummer    INTEGER,
    productcategorie     TEXT CHECK (length(productcategorie) = 2),
    productcode          TEXT CHECK (length(productcode) <= 5),
    ingangsdatum         TEXT,
    einddatum            TEXT,
    volume               INTEGER,
    eenheid              TEXT CHECK (length(eenheid) = 2),
    frequentie           TEXT CHECK (length(frequentie) = 1),
    budget_cents         INTEGER,
    verwijzer_type       TEXT CHECK (length(verwijzer_type) = 2),
    verwijzer_naam       TEXT CHECK (length(verwijzer_naam) <= 200),
    verwijzer_zorgverlenerscode TEXT CHECK (length(verwijzer_zorgverlenerscode) = 8),
    commentaar           TEXT CHECK (length(commentaar) <= 1000),
    -- The allocation that honoured it.
    toegewezen_nummer    INTEGER
) STRICT;
CREATE INDEX verzoek_product_verzoek ON verzoek_product (verzoek_id);

-- Every JW319 the gemeente sent on a request: VerzoekAntwoord 1 (afgewezen) or
-- 2 (in onderzoek), the reason, and for reason 8 the responsible gemeente.
CREATE TABLE verzoek_antwoord (
    id                   INTEGER PRIMARY KEY,
    verzoek_id           INTEGER NOT NULL REFERENCES verzoek (id),
    verzoek_antwoord     TEXT NOT NULL CHECK (verzoek_antwoord IN ('1', '2')),
    reden                TEXT CHECK (length(reden) <= 2),
    woonplaats_gemeente  TEXT CHECK (length(woonplaats_gemeente) = 4),
    outbox_id            INTEGER NOT NULL REFERENCES outbox (id),
    answered_by          TEXT NOT NULL,
    answered_at          TEXT NOT NULL
) STRICT;
CREATE INDEX verzoek_antwoord_verzoek ON verzoek_antwoord (verzoek_id);

-- A declaration (JW323) the gemeente judged, with what it granted: the
-- submitted and granted totals in signed eurocent (credit negative).
CREATE TABLE declaratie (
    id                      INTEGER PRIMARY KEY,
    inbox_id                INTEGER NOT NULL UNIQUE REFERENCES inbox (id),
    gemeente_code           TEXT NOT NULL REFERENCES gemeente (cbs_code),
    aanbieder_agb           TEXT NOT NULL CHECK (length(aanbieder_agb) = 8),
    identificatie           TEXT NOT NULL CHECK (length(identificatie) <= 12),
    dagtekening             TEXT NOT NULL,
    declaratie_nummer       TEXT NOT NULL CHECK (length(declaratie_nummer) <= 12),
    begindatum              TEXT NOT NULL,
    einddatum               TEXT NOT NULL,
    basisschema_xsd_versie  TEXT NOT NULL CHECK (length(basisschema_xsd_versie) <= 9),
    bericht_xsd_versie      TEXT NOT NULL CHECK (length(bericht_xsd_versie) <= 9),
    ingediend_cents         INTEGER NOT NULL,
    toegekend_cents         INTEGER NOT NULL,
    antwoord_id             INTEGER NOT NULL REFERENCES outbox (id),
    created_at              TEXT NOT NULL,
    UNIQUE (gemeente_code, aanbieder_agb, declaratie_nummer)
) STRICT;

-- Each prestatie of a judged declaration as sent, with its outcome:
-- goedgekeurd, or afgewezen with the retour codes of the JW325.
CREATE TABLE prestatie (
    id                      INTEGER PRIMARY KEY,
    declaratie_id           INTEGER NOT NULL REFERENCES declaratie (id),
    bsn                     TEXT NOT NULL CHECK (length(bsn) = 9),
    referentie_nummer       TEXT NOT NULL CHECK (length(referentie_nummer) <= 36),
    vorig_referentie_nummer TEXT CHECK (length(vorig_referentie_nummer) <= 36),
    toewijzing_nummer       INTEGER NOT NULL,
    productcategorie        TEXT NOT NULL CHECK (length(productcategorie) = 2),
    productcode             TEXT NOT NULL CHECK (length(productcode) <= 5),
    begindatum              TEXT NOT NULL,
    einddatum               TEXT NOT NULL,
    geleverd_volume         INTEGER NOT NULL,
    eenheid                 TEXT NOT NULL CHECK (length(eenheid) = 2),
    tarief_cents            INTEGER,
    bedrag_cents            INTEGER NOT NULL CHECK (bedrag_cents >= 0),
    credit                  INTEGER NOT NULL CHECK (credit IN (0, 1)),
    status                  TEXT NOT NULL CHECK (status IN ('goedgekeurd', 'afgewezen')),
    retour_codes            TEXT
) STRICT;
CREATE INDEX prestatie_declaratie ON prestatie (declaratie_id);
CREATE INDEX prestatie_toewijzing ON prestatie (toewijzing_nummer);
