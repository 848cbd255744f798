//! The end of the help (domain.md steps 9-11): while it runs, the provider and
//! the local team write down how it goes (voortgang); at the end family,
//! hoofdaannemer and local team judge every result of the perspectiefplan
//! together — behaald, deels behaald or niet behaald, with the family's own
//! view — and the case is closed with the reason the help ended (the CBS
//! reasons, as iJw's JZ588 lists them). After specialist help the warranty runs
//! from the last day of help.

use chrono::NaiveDate;

use crate::ParseError;
use crate::keyed::keyed;
use crate::warranty::garantie_tot;

/// How far a result of the perspectiefplan was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Oordeel {
    Behaald,
    DeelsBehaald,
    NietBehaald,
}

keyed!(Oordeel, "oordeel", {
    Behaald => ("behaald", "Behaald"),
    DeelsBehaald => ("deels", "Deels behaald"),
    NietBehaald => ("niet", "Niet behaald"),
});

/// Why the help ended: the CBS reasons of iJw's JZ588, without the temporary
/// stop (20), which ends nothing, and without the change request (37), which
/// goes on as other help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedenEinde {
    VolgensPlan,
    VoortijdigClient,
    VoortijdigAanbieder,
    VoortijdigInOvereenstemming,
    ExterneOmstandigheden,
    DoorGemeente,
    OverstapAanbieder,
    AnderDomein,
    Overlijden,
}

keyed!(RedenEinde, "reden_einde", {
    VolgensPlan => ("31", "Volgens plan beëindigd"),
    VoortijdigClient => ("32", "Voortijdig, door de cliënt"),
    VoortijdigAanbieder => ("33", "Voortijdig, door de aanbieder"),
    VoortijdigInOvereenstemming => ("34", "Voortijdig, in overeenstemming"),
    ExterneOmstandigheden => ("35", "Voortijdig, door externe omstandigheden"),
    DoorGemeente => ("36", "Op initiatief van de gemeente"),
    OverstapAanbieder => ("38", "Overstap naar een andere aanbieder"),
    AnderDomein => ("39", "Uitstroom naar een ander domein"),
    Overlijden => ("02", "Overlijden"),
});

/// The judgement of one result: how far it was reached, and what the family
/// itself says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resultaatoordeel {
    pub oordeel: Oordeel,
    pub gezin: String,
}

/// The evaluation that closes the help: a judgement per result of the plan,
/// in the plan's order, why the help ended, and its last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluatie {
    oordelen: Vec<Resultaatoordeel>,
    reden: RedenEinde,
    einddatum: NaiveDate,
}

impl Evaluatie {
    /// Rule: domain.md step 10 — every result of the perspectiefplan is
    /// judged (`resultaten` of them); the help ended on a day already come.
    pub fn new(
        oordelen: Vec<Resultaatoordeel>,
        resultaten: usize,
        reden: RedenEinde,
        einddatum: NaiveDate,
        vandaag: NaiveDate,
    ) -> Result<Self, ParseError> {
        if oordelen.len() != resultaten {
            return Err(ParseError::new(
                "evaluatie",
                format!(
                    "Beoordeel elk resultaat van het perspectiefplan: {} van de {} zijn beoordeeld.",
                    oordelen.len(),
                    resultaten
                ),
            ));
        }
        if einddatum > vandaag {
            return Err(ParseError::new(
                "einddatum",
                "Einddatum: sluit af als de hulp is geëindigd; deze datum ligt in de toekomst.",
            ));
        }
        Ok(Evaluatie {
            oordelen,
            reden,
            einddatum,
        })
    }

    /// An evaluation as it was recorded (checked when it was made).
    pub fn opgeslagen(
        oordelen: Vec<Resultaatoordeel>,
        reden: RedenEinde,
        einddatum: NaiveDate,
    ) -> Self {
        Evaluatie {
            oordelen,
            reden,
            einddatum,
        }
    }

    pub fn oordelen(&self) -> &[Resultaatoordeel] {
        &self.oordelen
    }

    pub fn reden(&self) -> RedenEinde {
        self.reden
    }

    pub fn einddatum(&self) -> NaiveDate {
        self.einddatum
    }

    /// Rule: domain.md step 11 — the warranty runs four months from the last
    /// day of help; a youth who died has none.
    pub fn garantie_tot(&self) -> Option<NaiveDate> {
        (self.reden != RedenEinde::Overlijden)
            .then(|| garantie_tot(self.einddatum))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn oordeel(oordeel: Oordeel) -> Resultaatoordeel {
        Resultaatoordeel {
            oordeel,
            gezin: String::new(),
        }
    }

    #[test]
    fn every_result_is_judged_after_the_help_ended() {
        let vandaag = day("2026-11-30");
        let één = vec![oordeel(Oordeel::Behaald)];
        let err =
            Evaluatie::new(één.clone(), 2, RedenEinde::VolgensPlan, vandaag, vandaag).unwrap_err();
        assert_eq!(
            err.message,
            "Beoordeel elk resultaat van het perspectiefplan: 1 van de 2 zijn beoordeeld."
        );
        let morgen = day("2026-12-01");
        let err =
            Evaluatie::new(één.clone(), 1, RedenEinde::VolgensPlan, morgen, vandaag).unwrap_err();
        assert_eq!(err.kind, "einddatum");
        let e = Evaluatie::new(één, 1, RedenEinde::VolgensPlan, vandaag, vandaag).unwrap();
        assert_eq!(e.garantie_tot(), Some(day("2027-03-30")));
    }

    #[test]
    fn the_warranty_runs_four_months_except_after_death() {
        let einde = day("2026-10-31");
        let evaluatie = |reden| {
            Evaluatie::new(vec![oordeel(Oordeel::NietBehaald)], 1, reden, einde, einde).unwrap()
        };
        assert_eq!(
            evaluatie(RedenEinde::VoortijdigClient).garantie_tot(),
            Some(day("2027-02-28")),
            "the last day of a shorter month"
        );
        assert_eq!(evaluatie(RedenEinde::Overlijden).garantie_tot(), None);
    }

    #[test]
    fn the_reasons_are_the_cbs_codes() {
        let codes: Vec<&str> = RedenEinde::ALL.iter().map(|r| r.key()).collect();
        assert_eq!(
            codes,
            ["31", "32", "33", "34", "35", "36", "38", "39", "02"]
        );
        assert_eq!(
            "34".parse::<RedenEinde>(),
            Ok(RedenEinde::VoortijdigInOvereenstemming)
        );
        assert!(
            "20".parse::<RedenEinde>().is_err(),
            "a temporary stop ends nothing"
        );
    }
}
