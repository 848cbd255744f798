//! What the family and the access worker establish together: how the upbringing
//! is going (opvoedsituatie), what kind of help is needed (behoefte), the
//! family's own perspectiefplan with results across leefgebieden. The provider's
//! answer to it (beknopt plan, behandelplan) is in `behandeling.rs`.

use std::collections::BTreeSet;

use crate::ParseError;
use crate::keyed::keyed;

/// The five-step scale of the parenting situation (domain.md, vraagduiding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Opvoedsituatie {
    Opvoedingsvragen,
    Opvoedingsspanning,
    VerhoogdeOpvoedingsspanning,
    Opvoedingsnood,
    Opvoedingscrisis,
}

/// The kind of help needed (domain.md, vraagduiding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Behoefte {
    /// A: local offer (lokaal aanbod), often without referral.
    LokaalAanbod,
    /// B: specialist, single problem (specialistisch/enkelvoudig).
    Specialistisch,
    /// C: highly specialist, comprehensive (hoogspecialistisch/veelomvattend).
    Hoogspecialistisch,
}

impl Behoefte {
    /// The letter used in the region's documents.
    pub fn letter(self) -> char {
        match self {
            Behoefte::LokaalAanbod => 'A',
            Behoefte::Specialistisch => 'B',
            Behoefte::Hoogspecialistisch => 'C',
        }
    }

    /// Rule: seed 003 — look for ordinary help without referral first; specialist
    /// help only complements it. Need A is answered by that help alone.
    pub fn needs_specialist_help(self) -> bool {
        self != Behoefte::LokaalAanbod
    }
}

/// A domain of life the access worker looks at, beyond the youth alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Leefgebied {
    Wonen,
    Inkomen,
    Opleiding,
    Werk,
    Opvoeding,
    Gezondheid,
    Veiligheid,
    SocialeRelaties,
    VrijeTijd,
}

/// The law a result belongs to (1Gezin1Plan crosses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wet {
    Jeugdwet,
    Wmo,
    Participatiewet,
}

/// How far a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultaatStatus {
    Open,
    InUitvoering,
    Behaald,
    NietBehaald,
}

/// A result to reach, as concrete as possible (7-step plan, step 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resultaat {
    pub omschrijving: String,
    pub leefgebied: Leefgebied,
    pub wet: Wet,
    pub status: ResultaatStatus,
}

/// Who holds the regie (ownership) of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Regie {
    /// The family; the local team supports.
    Gezin,
    /// The gecertificeerde instelling, in the forced framework.
    Gi,
}

/// The family's plan: its results across leefgebieden and laws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Perspectiefplan {
    regie: Regie,
    familiegroepsplan: bool,
    resultaten: Vec<Resultaat>,
}

impl Perspectiefplan {
    /// Checks the plan whole and returns every problem at once.
    pub fn new(
        regie: Regie,
        familiegroepsplan: bool,
        resultaten: Vec<Resultaat>,
    ) -> Result<Self, Vec<ParseError>> {
        let mut problems = Vec::new();
        if resultaten.is_empty() {
            problems.push(ParseError::new(
                "resultaten",
                "Een perspectiefplan noemt minstens één resultaat.",
            ));
        }
        for (i, r) in resultaten.iter().enumerate() {
            if r.omschrijving.trim().is_empty() {
                problems.push(ParseError::new(
                    "resultaten",
                    format!("Resultaat {} heeft nog geen omschrijving.", i + 1),
                ));
            }
        }
        // Rule: domain.md step 4 — a familiegroepsplan is written by the family and its
        // network, so the regie is with the family.
        if familiegroepsplan && regie != Regie::Gezin {
            problems.push(ParseError::new(
                "regie",
                "Een familiegroepsplan is van het gezin zelf: de regie ligt dan bij het gezin.",
            ));
        }
        if problems.is_empty() {
            Ok(Perspectiefplan {
                regie,
                familiegroepsplan,
                resultaten,
            })
        } else {
            Err(problems)
        }
    }

    pub fn regie(&self) -> Regie {
        self.regie
    }

    pub fn familiegroepsplan(&self) -> bool {
        self.familiegroepsplan
    }

    pub fn resultaten(&self) -> &[Resultaat] {
        &self.resultaten
    }

    /// The laws the plan spans (1Gezin1Plan).
    pub fn wetten(&self) -> BTreeSet<Wet> {
        self.resultaten.iter().map(|r| r.wet).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resultaat(omschrijving: &str, wet: Wet) -> Resultaat {
        Resultaat {
            omschrijving: omschrijving.into(),
            leefgebied: Leefgebied::Opvoeding,
            wet,
            status: ResultaatStatus::Open,
        }
    }

    fn messages(problems: Vec<ParseError>) -> Vec<String> {
        problems.into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn a_perspectiefplan_reports_every_problem_at_once() {
        let problems =
            Perspectiefplan::new(Regie::Gi, true, vec![resultaat(" ", Wet::Jeugdwet)]).unwrap_err();
        assert_eq!(
            messages(problems),
            [
                "Resultaat 1 heeft nog geen omschrijving.",
                "Een familiegroepsplan is van het gezin zelf: de regie ligt dan bij het gezin."
            ]
        );
        let plan = Perspectiefplan::new(
            Regie::Gezin,
            true,
            vec![
                resultaat("Sam gaat weer naar school", Wet::Jeugdwet),
                resultaat("Schulden op orde", Wet::Participatiewet),
            ],
        )
        .unwrap();
        assert_eq!(
            plan.wetten().into_iter().collect::<Vec<_>>(),
            [Wet::Jeugdwet, Wet::Participatiewet]
        );
    }

    #[test]
    fn only_need_a_is_answered_without_specialist_help() {
        assert!(!Behoefte::LokaalAanbod.needs_specialist_help());
        assert!(Behoefte::Specialistisch.needs_specialist_help());
        assert_eq!(Behoefte::Hoogspecialistisch.letter(), 'C');
    }
}

impl Opvoedsituatie {
    /// What a level of the five-step scale means, in a worker's plain words.
    pub fn uitleg(self) -> &'static str {
        match self {
            Opvoedsituatie::Opvoedingsvragen => {
                "het gezin heeft vragen over de opvoeding; thuis lukt het meestal goed"
            }
            Opvoedsituatie::Opvoedingsspanning => {
                "de opvoeding geeft soms spanning; het gezin vindt nog zelf een weg"
            }
            Opvoedsituatie::VerhoogdeOpvoedingsspanning => {
                "de spanning is dagelijks merkbaar en raakt het hele gezin"
            }
            Opvoedsituatie::Opvoedingsnood => {
                "de opvoeding loopt vast; het gezin kan het niet meer zelf oplossen"
            }
            Opvoedsituatie::Opvoedingscrisis => {
                "de situatie is zo ernstig dat er direct hulp nodig is"
            }
        }
    }
}

keyed!(Opvoedsituatie, "opvoedsituatie", {
    Opvoedingsvragen => ("vragen", "Opvoedingsvragen"),
    Opvoedingsspanning => ("spanning", "Opvoedingsspanning"),
    VerhoogdeOpvoedingsspanning => ("verhoogde-spanning", "Verhoogde opvoedingsspanning"),
    Opvoedingsnood => ("nood", "Opvoedingsnood"),
    Opvoedingscrisis => ("crisis", "Opvoedingscrisis"),
});

keyed!(Behoefte, "behoefte", {
    LokaalAanbod => ("a", "A: lokaal aanbod"),
    Specialistisch => ("b", "B: specialistisch, enkelvoudig"),
    Hoogspecialistisch => ("c", "C: hoogspecialistisch, veelomvattend"),
});

keyed!(Leefgebied, "leefgebied", {
    Wonen => ("wonen", "Wonen"),
    Inkomen => ("inkomen", "Inkomen"),
    Opleiding => ("opleiding", "Opleiding en school"),
    Werk => ("werk", "Werk en dagbesteding"),
    Opvoeding => ("opvoeding", "Opvoeding"),
    Gezondheid => ("gezondheid", "Gezondheid"),
    Veiligheid => ("veiligheid", "Veiligheid"),
    SocialeRelaties => ("sociale-relaties", "Sociale relaties"),
    VrijeTijd => ("vrije-tijd", "Vrije tijd"),
});

keyed!(Regie, "regie", {
    Gezin => ("gezin", "Het gezin"),
    Gi => ("gi", "De gecertificeerde instelling"),
});
