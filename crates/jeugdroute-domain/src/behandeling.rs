//! The hoofdaannemer's part of a case once the help is allocated to it: its
//! answer to the allocation (it takes the youth in care, or reports a problem
//! with the allocation), the intake it held, and its plan — the beknopt plan
//! and the behandelplan, whose goals each serve results of the family's
//! perspectiefplan (seed 002 step 6). A plan is checked whole, so the provider
//! hears every problem at once.

use chrono::NaiveDate;

use crate::ParseError;
use crate::keyed::keyed;

/// The provider's answer to an allocation it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reactie {
    /// It takes the youth in care.
    Geaccepteerd,
    /// Something in the allocation does not fit (product, period, the youth).
    Probleem,
}

keyed!(Reactie, "reactie", {
    Geaccepteerd => ("geaccepteerd", "Wij nemen de jeugdige in zorg"),
    Probleem => ("probleem", "Er is een probleem met de toewijzing"),
});

/// The answer with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aanbiederreactie {
    pub reactie: Reactie,
    pub toelichting: Option<String>,
}

impl Aanbiederreactie {
    /// Rule: a reported problem says what the problem is, so the gemeente can
    /// act on it; an acceptance may carry a note.
    pub fn new(reactie: Reactie, toelichting: &str) -> Result<Self, ParseError> {
        let toelichting = Some(toelichting.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if reactie == Reactie::Probleem && toelichting.is_none() {
            return Err(ParseError::new(
                "toelichting",
                "Toelichting: beschrijf het probleem, zodat de gemeente het kan oplossen.",
            ));
        }
        Ok(Aanbiederreactie {
            reactie,
            toelichting,
        })
    }
}

/// Rule: an intake is registered once it was held — not on a day still to come,
/// and not before the match that led to it.
pub fn gehouden_intake(
    datum: NaiveDate,
    vandaag: NaiveDate,
    match_datum: Option<NaiveDate>,
) -> Result<NaiveDate, ParseError> {
    if datum > vandaag {
        return Err(ParseError::new(
            "intakedatum",
            "Intakedatum: registreer de intake als die gehouden is; deze datum ligt in de toekomst.",
        ));
    }
    match match_datum {
        Some(m) if datum < m => Err(ParseError::new(
            "intakedatum",
            format!(
                "Intakedatum: de intake kan niet vóór de match op {} liggen.",
                m.format("%d-%m-%Y")
            ),
        )),
        _ => Ok(datum),
    }
}

/// The provider's short plan: how it will reach the results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BeknoptPlan(String);

/// Rule: seed 002 step 6 — the Beknopt Plan Jeugdhulp has at most 1,000 characters.
pub const BEKNOPT_PLAN_MAX_CHARS: usize = 1_000;

impl BeknoptPlan {
    /// Counts characters as people see them (Unicode scalar values), not bytes:
    /// "é" is one character.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let count = text.chars().count();
        if count > BEKNOPT_PLAN_MAX_CHARS {
            return Err(ParseError::new(
                "beknopt_plan",
                format!(
                    "Het beknopt plan is {count} tekens; het mag er hoogstens {BEKNOPT_PLAN_MAX_CHARS} zijn."
                ),
            ));
        }
        Ok(BeknoptPlan(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A goal of the behandelplan, serving results of the perspectiefplan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doel {
    pub omschrijving: String,
    /// The numbers (from 1) of the perspectiefplan's results it serves.
    pub resultaten: Vec<usize>,
    /// What the provider and the family will do.
    pub activiteiten: String,
    /// How often, e.g. "twee keer per week een uur".
    pub frequentie: String,
}

/// A behandelplan holds at most this many goals.
pub const MAX_DOELEN: usize = 10;

/// Agreements between the family and the hoofdaannemer about the goals of the
/// specialist help, with the provider's beknopt plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behandelplan {
    beknopt_plan: BeknoptPlan,
    doelen: Vec<Doel>,
}

impl Behandelplan {
    /// Checks the plan whole against a perspectiefplan of `resultaten` results:
    /// at least one goal and at most [`MAX_DOELEN`], each described, with its
    /// activities and frequency, serving at least one existing result.
    pub fn new(
        beknopt_plan: BeknoptPlan,
        doelen: Vec<Doel>,
        resultaten: usize,
    ) -> Result<Self, Vec<ParseError>> {
        let mut problems = Vec::new();
        if doelen.is_empty() {
            problems.push(ParseError::new(
                "doelen",
                "Een behandelplan noemt minstens één doel.",
            ));
        }
        if doelen.len() > MAX_DOELEN {
            problems.push(ParseError::new(
                "doelen",
                format!("Een behandelplan noemt hoogstens {MAX_DOELEN} doelen."),
            ));
        }
        for (n, doel) in (1..).zip(&doelen) {
            problems.extend(doel.problemen(n, resultaten));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let doelen = doelen
            .into_iter()
            .map(|mut d| {
                d.resultaten.sort_unstable();
                d.resultaten.dedup();
                d
            })
            .collect();
        Ok(Behandelplan {
            beknopt_plan,
            doelen,
        })
    }

    pub fn beknopt_plan(&self) -> &BeknoptPlan {
        &self.beknopt_plan
    }

    pub fn doelen(&self) -> &[Doel] {
        &self.doelen
    }
}

impl Doel {
    /// What is missing or wrong in goal `n` of a plan against `resultaten` results.
    fn problemen(&self, n: usize, resultaten: usize) -> Vec<ParseError> {
        let mut problems = Vec::new();
        let mut leeg = |tekst: &str, wat: &str| {
            if tekst.trim().is_empty() {
                problems.push(ParseError::new(
                    "doelen",
                    format!("Doel {n}: vul {wat} in."),
                ));
            }
        };
        leeg(&self.omschrijving, "de omschrijving");
        leeg(&self.activiteiten, "de activiteiten");
        leeg(&self.frequentie, "de frequentie");
        if self.resultaten.is_empty() {
            problems.push(ParseError::new(
                "doelen",
                format!("Doel {n}: kies minstens één resultaat van het perspectiefplan."),
            ));
        }
        for r in self
            .resultaten
            .iter()
            .filter(|r| **r == 0 || **r > resultaten)
        {
            problems.push(ParseError::new(
                "doelen",
                format!("Doel {n} verwijst naar resultaat {r}, maar dat staat niet in het perspectiefplan."),
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(problems: Vec<ParseError>) -> Vec<String> {
        problems.into_iter().map(|p| p.message).collect()
    }

    fn doel(resultaten: Vec<usize>) -> Doel {
        Doel {
            omschrijving: "Ouders leren grenzen stellen".into(),
            resultaten,
            activiteiten: "Oudergesprekken en video-hometraining".into(),
            frequentie: "Wekelijks een uur".into(),
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_beknopt_plan_counts_characters_not_bytes() {
        let thousand_e_acute = "é".repeat(1_000);
        assert_eq!(thousand_e_acute.len(), 2_000, "2,000 bytes");
        assert!(BeknoptPlan::parse(&thousand_e_acute).is_ok());
        let err = BeknoptPlan::parse(&"a".repeat(1_001)).unwrap_err();
        assert_eq!(
            err.message,
            "Het beknopt plan is 1001 tekens; het mag er hoogstens 1000 zijn."
        );
        assert!(BeknoptPlan::parse("").is_ok());
    }

    #[test]
    fn a_behandelplan_links_every_goal_to_existing_results() {
        let plan = Behandelplan::new(BeknoptPlan::default(), vec![doel(vec![2, 1, 2])], 2)
            .expect("a goal serving results 1 and 2 of two");
        assert_eq!(plan.doelen()[0].resultaten, [1, 2], "sorted, once each");
        let leeg = Doel {
            omschrijving: " ".into(),
            activiteiten: String::new(),
            frequentie: String::new(),
            resultaten: vec![],
        };
        let problems =
            Behandelplan::new(BeknoptPlan::default(), vec![leeg, doel(vec![0, 3])], 2).unwrap_err();
        assert_eq!(
            messages(problems),
            [
                "Doel 1: vul de omschrijving in.",
                "Doel 1: vul de activiteiten in.",
                "Doel 1: vul de frequentie in.",
                "Doel 1: kies minstens één resultaat van het perspectiefplan.",
                "Doel 2 verwijst naar resultaat 0, maar dat staat niet in het perspectiefplan.",
                "Doel 2 verwijst naar resultaat 3, maar dat staat niet in het perspectiefplan.",
            ]
        );
    }

    #[test]
    fn a_behandelplan_has_between_one_and_ten_goals() {
        let geen = Behandelplan::new(BeknoptPlan::default(), vec![], 1).unwrap_err();
        assert_eq!(
            messages(geen),
            ["Een behandelplan noemt minstens één doel."]
        );
        assert!(Behandelplan::new(BeknoptPlan::default(), vec![doel(vec![1]); 10], 1).is_ok());
        let elf =
            Behandelplan::new(BeknoptPlan::default(), vec![doel(vec![1]); 11], 1).unwrap_err();
        assert_eq!(
            messages(elf),
            ["Een behandelplan noemt hoogstens 10 doelen."]
        );
    }

    #[test]
    fn a_problem_says_what_it_is_and_an_acceptance_may_say_nothing() {
        let err = Aanbiederreactie::new(Reactie::Probleem, "  ").unwrap_err();
        assert_eq!(err.kind, "toelichting");
        let probleem = Aanbiederreactie::new(Reactie::Probleem, " Verkeerde code ").unwrap();
        assert_eq!(probleem.toelichting.as_deref(), Some("Verkeerde code"));
        let akkoord = Aanbiederreactie::new(Reactie::Geaccepteerd, "").unwrap();
        assert_eq!(akkoord.toelichting, None);
    }

    #[test]
    fn an_intake_is_registered_once_held_and_after_the_match() {
        let vandaag = day("2026-11-30");
        assert_eq!(
            gehouden_intake(vandaag, vandaag, Some(vandaag)),
            Ok(vandaag),
            "held today, matched today"
        );
        let morgen = gehouden_intake(day("2026-12-01"), vandaag, None).unwrap_err();
        assert!(morgen.message.contains("toekomst"), "{}", morgen.message);
        let voor_match =
            gehouden_intake(day("2026-11-19"), vandaag, Some(day("2026-11-20"))).unwrap_err();
        assert_eq!(
            voor_match.message,
            "Intakedatum: de intake kan niet vóór de match op 20-11-2026 liggen."
        );
        assert!(
            gehouden_intake(day("2026-11-19"), vandaag, None).is_ok(),
            "no match: crisis route"
        );
    }
}
