-- The rules across messages ask for the few rows a new message concerns, not
-- for all of a provider's history: these indexes answer those questions.
CREATE INDEX declaratie_nummer ON declaratie (gemeente_code, aanbieder_agb, declaratie_nummer);
CREATE INDEX declaratie_einde ON declaratie (gemeente_code, aanbieder_agb, einddatum);
CREATE INDEX prestatie_referentie ON prestatie (referentie_nummer);
CREATE INDEX prestatie_vorige ON prestatie (vorig_referentie_nummer);
