//! The client route (cliëntroute) as a state machine: the steps a family's question
//! goes through, from melding to the warranty period, with the two shortcuts the
//! seeds describe — 'ordinary' free-access help that answers the question without
//! specialist care (seed 003), and the crisis route where help starts at once.
//! An illegal step is refused with a typed error; every step records who, when
//! and why.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::ParseError;

/// A step of the client route (domain.md, "The client route").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fase {
    Melding,
    Vraagverheldering,
    /// Vraagduiding and gezinsanalyse: what is going on, which need (A/B/C).
    Vraagduiding,
    /// The perspectiefplan.
    Plan,
    /// Choosing arrangement, results, intensity and code (7-step plan steps 2-5a).
    Bemiddeling,
    MatchEnIntake,
    Beschikking,
    Toewijzing,
    Uitvoering,
    Evaluatie,
    Afgesloten,
    Garantieperiode,
}

/// The kind of route a case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routesoort {
    Regulier,
    /// Help starts at once: from melding straight to the beschikking.
    Crisis,
}

impl Fase {
    pub const ALL: [Fase; 12] = [
        Fase::Melding,
        Fase::Vraagverheldering,
        Fase::Vraagduiding,
        Fase::Plan,
        Fase::Bemiddeling,
        Fase::MatchEnIntake,
        Fase::Beschikking,
        Fase::Toewijzing,
        Fase::Uitvoering,
        Fase::Evaluatie,
        Fase::Afgesloten,
        Fase::Garantieperiode,
    ];

    /// The stable key used in storage, e.g. `match-en-intake`.
    pub fn key(self) -> &'static str {
        self.names().0
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Fase::Melding => ("melding", "Melding"),
            Fase::Vraagverheldering => ("vraagverheldering", "Vraagverheldering"),
            Fase::Vraagduiding => ("vraagduiding", "Vraagduiding en gezinsanalyse"),
            Fase::Plan => ("plan", "Perspectiefplan"),
            Fase::Bemiddeling => ("bemiddeling", "Bemiddeling"),
            Fase::MatchEnIntake => ("match-en-intake", "Match en intake"),
            Fase::Beschikking => ("beschikking", "Beschikking"),
            Fase::Toewijzing => ("toewijzing", "Toewijzing"),
            Fase::Uitvoering => ("uitvoering", "Uitvoering"),
            Fase::Evaluatie => ("evaluatie", "Evaluatie"),
            Fase::Afgesloten => ("afgesloten", "Afgesloten"),
            Fase::Garantieperiode => ("garantieperiode", "Garantieperiode"),
        }
    }

    /// The steps that may follow this one on a route of `soort`.
    pub fn next(self, soort: Routesoort) -> &'static [Fase] {
        use Fase::*;
        match (self, soort) {
            // Rule: domain.md step 11 — problems back within the warranty: the
            // same hoofdaannemer helps again, without a new determination.
            (Melding, Routesoort::Regulier) => &[Vraagverheldering, Uitvoering, Afgesloten],
            // Rule: crisis route — the help starts first, the assessment follows it.
            (Melding, Routesoort::Crisis) => &[Beschikking, Vraagverheldering, Afgesloten],
            (Vraagverheldering, _) => &[Vraagduiding, Afgesloten],
            // Rule: seed 003 — ordinary help without referral may answer the question:
            // the case then closes without specialist care.
            (Vraagduiding, _) => &[Plan, Afgesloten],
            // Rule: crisis route — when crisis help came first, the plan ends the
            // assessment and the help is carried out; a crisis melding taken up
            // the regular way goes on to the bemiddeling.
            (Plan, Routesoort::Crisis) => &[Bemiddeling, Uitvoering, Afgesloten],
            (Plan, Routesoort::Regulier) => &[Bemiddeling, Afgesloten],
            (Bemiddeling, _) => &[MatchEnIntake, Afgesloten],
            // No match with the provider: back to choosing one.
            (MatchEnIntake, _) => &[Beschikking, Bemiddeling, Afgesloten],
            (Beschikking, _) => &[Toewijzing, Afgesloten],
            // Rule: crisis route — after the crisis help is allocated, the
            // assessment follows (vraagverheldering up to the plan).
            // (A crisis melding taken up the regular way goes to uitvoering.)
            (Toewijzing, Routesoort::Crisis) => &[Vraagverheldering, Uitvoering],
            (Toewijzing, Routesoort::Regulier) => &[Uitvoering],
            (Uitvoering, _) => &[Evaluatie],
            (Evaluatie, _) => &[Uitvoering, Afgesloten],
            // Rule: domain.md step 11 — after specialist help the warranty period starts.
            (Afgesloten, _) => &[Garantieperiode],
            // Rule: problems back within the warranty: the question is taken up again.
            (Garantieperiode, _) => &[Vraagverheldering],
        }
    }
}

impl FromStr for Fase {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Fase::ALL
            .into_iter()
            .find(|f| f.key() == text)
            .ok_or_else(|| ParseError::new("fase", format!("Onbekende fase '{text}'.")))
    }
}

impl fmt::Display for Fase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One recorded step: from where to where, by whom, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Fase,
    pub to: Fase,
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTransition {
    #[error("van {from} kan de route niet naar {to}; wel naar: {allowed}")]
    NotAllowed {
        from: Fase,
        to: Fase,
        allowed: String,
    },
    #[error("de garantieperiode geldt alleen na specialistische hulp met een toewijzing")]
    NoWarrantyWithoutToewijzing,
    #[error("geef een reden voor de stap naar {0}")]
    NoReason(Fase),
    #[error("geef aan wie de stap naar {0} zet")]
    NoActor(Fase),
    #[error("de stap naar {to} ligt in tijd voor de vorige stap")]
    BeforePrevious { to: Fase },
}

/// The route of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clientroute {
    soort: Routesoort,
    fase: Fase,
    history: Vec<Transition>,
}

impl Clientroute {
    /// A new case starts at the melding.
    pub fn new(soort: Routesoort) -> Clientroute {
        Clientroute {
            soort,
            fase: Fase::Melding,
            history: Vec::new(),
        }
    }

    /// Rebuilds a route from its stored steps, checking every one.
    pub fn replay(
        soort: Routesoort,
        steps: impl IntoIterator<Item = Transition>,
    ) -> Result<Clientroute, InvalidTransition> {
        let mut route = Clientroute::new(soort);
        for step in steps {
            route.go_to(step.to, &step.by, step.at, &step.reason)?;
        }
        Ok(route)
    }

    pub fn fase(&self) -> Fase {
        self.fase
    }

    pub fn soort(&self) -> Routesoort {
        self.soort
    }

    pub fn history(&self) -> &[Transition] {
        &self.history
    }

    /// Whether care was ever allocated on this route.
    pub fn had_toewijzing(&self) -> bool {
        self.history.iter().any(|t| t.to == Fase::Toewijzing)
    }

    /// Takes the step to `to`, recording who, when and why; refuses an illegal one
    /// and leaves the route unchanged.
    pub fn go_to(
        &mut self,
        to: Fase,
        by: &str,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), InvalidTransition> {
        let from = self.fase;
        if !from.next(self.soort).contains(&to) {
            let allowed = from
                .next(self.soort)
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(InvalidTransition::NotAllowed { from, to, allowed });
        }
        if to == Fase::Garantieperiode && !self.had_toewijzing() {
            return Err(InvalidTransition::NoWarrantyWithoutToewijzing);
        }
        if by.trim().is_empty() {
            return Err(InvalidTransition::NoActor(to));
        }
        if reason.trim().is_empty() {
            return Err(InvalidTransition::NoReason(to));
        }
        if self.history.last().is_some_and(|last| at < last.at) {
            return Err(InvalidTransition::BeforePrevious { to });
        }
        self.history.push(Transition {
            from,
            to,
            by: by.to_owned(),
            at,
            reason: reason.to_owned(),
        });
        self.fase = to;
        Ok(())
    }
}
