//! The longest text each field people type may hold, in one place. Every free
//! text passes [`crate::casus::Check`] with its [`Veld`] before anything is
//! stored, logged or searched for, so no field can carry more than its maximum,
//! and the refusal names the field in Dutch ("Toelichting: gebruik ten hoogste
//! 1000 tekens."). The JSON API's document states the same maxima
//! (`jeugdroute-web/src/schema.rs`); a test there holds the two together.

/// A text field: its name in the form and the JSON API, its Dutch label and the
/// most characters (Unicode scalar values, as people count them) it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Veld {
    pub naam: &'static str,
    pub label: &'static str,
    pub max: usize,
}

impl Veld {
    const fn new(naam: &'static str, label: &'static str, max: usize) -> Veld {
        Veld { naam, label, max }
    }

    /// The refusal of a text that is too long, naming the field.
    pub fn te_lang(&self) -> String {
        format!("{}: gebruik ten hoogste {} tekens.", self.label, self.max)
    }
}

/// Names of people (200, as the API document has always said).
const NAAM: usize = 200;
/// A free text of the family's situation.
const TEKST: usize = 2000;

pub const VOORNAMEN: Veld = Veld::new("voornamen", "Voornamen", NAAM);
pub const ACHTERNAAM: Veld = Veld::new("achternaam", "Achternaam", NAAM);
/// Rule: iJw 3.2 LDT_Straatnaam, at most 24 characters (the JW301 carries it).
pub const STRAAT: Veld = Veld::new("straat", "Straat", 24);
pub const HUISNUMMER: Veld = Veld::new("huisnummer", "Huisnummer", 10);
/// Rule: iJw 3.2 LDT_Plaatsnaam, at most 80 characters.
pub const WOONPLAATS: Veld = Veld::new("woonplaats", "Woonplaats", 80);
pub const VRAAG: Veld = Veld::new("vraag", "Vraag", TEKST);
pub const VINDPLAATS: Veld = Veld::new("vindplaats", "Vindplaats", 200);
pub const VERWIJZER_NAAM: Veld = Veld::new("verwijzer_naam", "Naam van de verwijzer", NAAM);
pub const OUDER_NAAM: Veld = Veld::new("ouders", "Naam van de ouder of verzorger", NAAM);
pub const OUDER_TELEFOON: Veld = Veld::new("ouders", "Telefoonnummer van de ouder", 20);
/// Rule: RFC 5321 — an address of at most 254 characters.
pub const OUDER_EMAIL: Veld = Veld::new("ouders", "E-mailadres van de ouder", 254);
pub const NETWERK: Veld = Veld::new("netwerk", "Netwerk", TEKST);
pub const VRIJ_TOEGANKELIJK: Veld =
    Veld::new("vrij_toegankelijk", "Vrij toegankelijke hulp", TEKST);
/// The results of the perspectiefplan, by their place on the form.
pub const RESULTATEN: [Veld; 3] = [
    Veld::new("resultaat_1", "Resultaat 1", 500),
    Veld::new("resultaat_2", "Resultaat 2", 500),
    Veld::new("resultaat_3", "Resultaat 3", 500),
];
/// Why an earlier step or the melding is corrected.
pub const REDEN: Veld = Veld::new("reden", "Reden", 500);
/// Why a sent toewijzing changes.
pub const TOELICHTING: Veld = Veld::new("toelichting", "Toelichting", 1000);
/// The provider's beknopt plan (rule: seed 002 step 6, at most 1,000 characters).
pub const BEKNOPT_PLAN: Veld = Veld::new(
    "beknopt_plan",
    "Beknopt plan",
    jeugdroute_domain::BEKNOPT_PLAN_MAX_CHARS,
);
/// A goal of the behandelplan: what it is, what is done and how often.
pub const DOEL: Veld = Veld::new("doelen", "Omschrijving van het doel", 500);
pub const ACTIVITEITEN: Veld = Veld::new("doelen", "Activiteiten", 1000);
pub const FREQUENTIE: Veld = Veld::new("doelen", "Frequentie", 200);
/// A progress note of the provider or the local team.
pub const VOORTGANG: Veld = Veld::new("voortgang", "Voortgang", TEKST);
/// What the family says of a result at the evaluation.
pub const GEZIN_OORDEEL: Veld = Veld::new("evaluatie", "Wat het gezin zegt", 1000);
/// A search of the worklist: a BSN or part of a name.
pub const ZOEK: Veld = Veld::new("zoek", "Zoeken", NAAM);
/// The audit search by user name (a user name is at most 100 characters).
pub const AUDIT_GEBRUIKER: Veld = Veld::new("gebruiker", "Gebruiker", 100);
/// The audit search by event, such as `casus.bekijken`.
pub const AUDIT_GEBEURTENIS: Veld = Veld::new("gebeurtenis", "Gebeurtenis", 100);

/// Every bounded field, for the report of limits and the tests that hold the
/// API's document to them.
pub const ALLE: [&Veld; 27] = [
    &VOORNAMEN,
    &ACHTERNAAM,
    &STRAAT,
    &HUISNUMMER,
    &WOONPLAATS,
    &VRAAG,
    &VINDPLAATS,
    &VERWIJZER_NAAM,
    &OUDER_NAAM,
    &OUDER_TELEFOON,
    &OUDER_EMAIL,
    &NETWERK,
    &VRIJ_TOEGANKELIJK,
    &RESULTATEN[0],
    &RESULTATEN[1],
    &RESULTATEN[2],
    &REDEN,
    &TOELICHTING,
    &BEKNOPT_PLAN,
    &DOEL,
    &ACTIVITEITEN,
    &FREQUENTIE,
    &VOORTGANG,
    &GEZIN_OORDEEL,
    &ZOEK,
    &AUDIT_GEBRUIKER,
    &AUDIT_GEBEURTENIS,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_names_the_field_and_its_maximum() {
        assert_eq!(
            TOELICHTING.te_lang(),
            "Toelichting: gebruik ten hoogste 1000 tekens."
        );
        assert!(ALLE.iter().all(|v| v.max > 0 && !v.label.is_empty()));
    }
}
