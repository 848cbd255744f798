-- The iJw exchange (iJw 3.2 §3 and §8.2), SQLite dialect. Keep in step with
-- ../postgres/0010_berichtenverkeer.sql.

-- Every message that reaches a party of this installation, kept as the bytes that
-- came in before anything else is done with it. The header's facts are filled in
-- when it could be read; `state` says where it stands:
--   ontvangen   waiting to be processed
--   verwerkt    checked at all four levels, applied, answered (retour_id)
--   afgekeurd   a rule refused it: answered with its retour, nothing applied
--   onleesbaar  not XML, not iJw, or not valid by the XSD: kept with the reason,
--               no retour (the standard answers these at transport level)
--   dubbel      the same bytes arrived before: the earlier answer was sent again
-- The old, unused inbox of 0001 had text bodies and no state; it is replaced.
DROP TABLE inbox;
CREATE TABLE inbox (
    id             INTEGER PRIMARY KEY,
    channel        TEXT NOT NULL CHECK (channel IN ('intern', 'api', 'map', 'ggk')),
    body           BLOB NOT NULL CHECK (length(body) <= 26214400),
    digest         BLOB NOT NULL CHECK (length(digest) = 32),
    berichtsoort   TEXT CHECK (length(berichtsoort) = 5),
    sender         TEXT CHECK (length(sender) <= 8),
    receiver       TEXT CHECK (length(receiver) <= 8),
    identificatie  TEXT CHECK (length(identificatie) <= 12),
    state          TEXT NOT NULL DEFAULT 'ontvangen'
        CHECK (state IN ('ontvangen', 'verwerkt', 'afgekeurd', 'onleesbaar', 'dubbel')),
    reason         TEXT,
    findings       TEXT,
    retour_id      INTEGER REFERENCES outbox (id),
    casus_id       INTEGER REFERENCES casus (id),
    received_at    TEXT NOT NULL,
    processed_at   TEXT
) STRICT;
CREATE INDEX inbox_waiting ON inbox (state, id);
CREATE INDEX inbox_digest ON inbox (digest);
CREATE INDEX inbox_identificatie ON inbox (sender, berichtsoort, identificatie);
CREATE INDEX inbox_casus ON inbox (casus_id);

-- Outgoing messages learn their BerichtIdentificatie (to match the retour that
-- answers them), the received message they answer (a retour or JW325), and what
-- the receiver's retour said of them.
ALTER TABLE outbox ADD COLUMN identificatie TEXT CHECK (length(identificatie) <= 12);
ALTER TABLE outbox ADD COLUMN answers_id INTEGER REFERENCES inbox (id);
ALTER TABLE outbox ADD COLUMN retour_inbox_id INTEGER REFERENCES inbox (id);
ALTER TABLE outbox ADD COLUMN retour_state TEXT
    CHECK (retour_state IN ('goedgekeurd', 'afgekeurd'));
CREATE INDEX outbox_identificatie ON outbox (sender, berichtsoort, identificatie);
CREATE INDEX outbox_receiver ON outbox (receiver, id);

-- The starts (JW305) and stops (JW307) a provider reported on an allocation. A
-- report with StatusAanlevering 3 removes the one it names: `removed_by` is set,
-- the row stays as history.
CREATE TABLE levering (
    id                 INTEGER PRIMARY KEY,
    gemeente_code      TEXT NOT NULL,
    toewijzing_nummer  INTEGER NOT NULL,
    soort              TEXT NOT NULL CHECK (soort IN ('start', 'stop')),
    begindatum         TEXT NOT NULL,
    einddatum          TEXT,
    reden_beeindiging  TEXT CHECK (length(reden_beeindiging) = 2),
    -- Product as sent (Categorie, Code): part of the key that matches a stop to
    -- its start and a removal to what it removes (TR063, TR074, TR382).
    product_categorie  TEXT CHECK (length(product_categorie) = 2),
    product_code       TEXT CHECK (length(product_code) <= 5),
    inbox_id           INTEGER NOT NULL REFERENCES inbox (id),
    removed_by         INTEGER REFERENCES inbox (id),
    created_at         TEXT NOT NULL,
    FOREIGN KEY (gemeente_code, toewijzing_nummer) REFERENCES toewijzing (gemeente_code, nummer),
    CHECK ((soort = 'start') = (einddatum IS NULL))
) STRICT;
CREATE INDEX levering_toewijzing ON levering (gemeente_code, toewijzing_nummer);
