-- The provider's queries read the part of its exchange with a gemeente that a
-- message or page concerns: by client, by allocation, by reference. These indexes
-- answer each with a lookup instead of a scan of the whole exchange.
CREATE INDEX ontvangen_toewijzing_bsn
    ON ontvangen_toewijzing (aanbieder_agb, gemeente_code, bsn);
CREATE INDEX ontvangen_toewijzing_referentie
    ON ontvangen_toewijzing (aanbieder_agb, gemeente_code, referentie_aanbieder);
CREATE INDEX aanbieder_bericht_bsn
    ON aanbieder_bericht (aanbieder_agb, gemeente_code, bsn);
CREATE INDEX aanbieder_bericht_referentie
    ON aanbieder_bericht (aanbieder_agb, gemeente_code, referentie_aanbieder);
CREATE INDEX aanbieder_prestatie_bsn ON aanbieder_prestatie (aanbieder_agb, bsn);
CREATE INDEX aanbieder_prestatie_toewijzing
    ON aanbieder_prestatie (aanbieder_agb, toewijzing_nummer);
CREATE INDEX aanbieder_prestatie_vorig
    ON aanbieder_prestatie (aanbieder_agb, vorig_referentie_nummer);
-- The gemeente finds a provider's earlier requests by their references: the
-- request's own (a JW317) and each product's (a JW315).
CREATE INDEX verzoek_referentie
    ON verzoek (gemeente_code, aanbieder_agb, referentie_aanbieder);
CREATE INDEX verzoek_product_referentie ON verzoek_product (referentie_aanbieder);
