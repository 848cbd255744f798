//! What a provider owes on an allocation it received, and by when (iJw 3.2
//! §3.7 seen from the provider's desk): answer the allocation, report the
//! start of care (JW305) and report its end (JW307). The provider's worklist
//! shows what is due on each allocation, so a late message is seen before the
//! gemeente has to chase it. "Today" is always a parameter.

use chrono::NaiveDate;

use crate::berichttermijn::Termijnstand;
use crate::deadlines::working_days_after;

/// A deadline a provider must meet on an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zorgtermijn {
    /// Take the youth in care or report a problem: the retour on the JW301.
    Reageren,
    /// Report the start of care (JW305).
    Start,
    /// Report the end of care (JW307).
    Stop,
}

impl Zorgtermijn {
    /// The stable key (API).
    pub fn key(self) -> &'static str {
        match self {
            Zorgtermijn::Reageren => "reageren",
            Zorgtermijn::Start => "start",
            Zorgtermijn::Stop => "stop",
        }
    }

    /// What is owed, in plain words.
    pub fn omschrijving(self) -> &'static str {
        match self {
            Zorgtermijn::Reageren => "Reageren op de toewijzing",
            Zorgtermijn::Start => "Start van de zorg melden (JW305)",
            Zorgtermijn::Stop => "Einde van de zorg melden (JW307)",
        }
    }
}

/// A deadline due on an allocation: what, its last day, where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Openstaand {
    pub termijn: Zorgtermijn,
    pub uiterlijk: NaiveDate,
    pub stand: Termijnstand,
}

/// What is known of one allocation to a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toewijzingsstand {
    /// The day the allocation was sent to the provider.
    pub ontvangen: NaiveDate,
    pub ingangsdatum: NaiveDate,
    pub einddatum: NaiveDate,
    /// Whether the provider answered it (accepted or reported a problem).
    pub gereageerd: bool,
    /// Whether a start of care was reported and accepted by the gemeente.
    pub gestart: bool,
    /// Whether an end of care was reported and accepted.
    pub gestopt: bool,
}

impl Toewijzingsstand {
    /// The deadlines open on `vandaag`, in the order the work comes: none for
    /// a start that lies ahead or an end not yet reached. An allocation whose
    /// period passed without a start owes nothing more: care that never began
    /// has no start or end to report.
    pub fn openstaand(&self, vandaag: NaiveDate) -> Vec<Openstaand> {
        let due = |termijn, uiterlijk| Openstaand {
            termijn,
            uiterlijk,
            stand: Termijnstand::op(uiterlijk, vandaag, None),
        };
        let mut open = Vec::new();
        let lopend = vandaag <= self.einddatum;
        if !self.gereageerd && lopend {
            // Rule: iJw OP090 — the retour within three working days after receipt.
            open.push(due(
                Zorgtermijn::Reageren,
                working_days_after(self.ontvangen, 3),
            ));
        }
        if !self.gestart && lopend && self.ingangsdatum <= vandaag {
            // Rule: iJw 3.2 §3.7 — the JW305 within five working days after the
            // start, or after receipt of an allocation that starts earlier.
            let vanaf = self.ingangsdatum.max(self.ontvangen);
            open.push(due(Zorgtermijn::Start, working_days_after(vanaf, 5)));
        }
        if self.gestart && !self.gestopt && self.einddatum < vandaag {
            // Rule: iJw 3.2 §3.7 — the JW307 within five working days after the end.
            open.push(due(
                Zorgtermijn::Stop,
                working_days_after(self.einddatum, 5),
            ));
        }
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// Sent on Monday 2 November 2026, to start on Monday 16 November, to end
    /// on Thursday 31 December.
    fn stand() -> Toewijzingsstand {
        Toewijzingsstand {
            ontvangen: day("2026-11-02"),
            ingangsdatum: day("2026-11-16"),
            einddatum: day("2026-12-31"),
            gereageerd: false,
            gestart: false,
            gestopt: false,
        }
    }

    #[test]
    fn a_new_allocation_is_answered_within_three_working_days() {
        let open = stand().openstaand(day("2026-11-03"));
        assert_eq!(
            open,
            [Openstaand {
                termijn: Zorgtermijn::Reageren,
                uiterlijk: day("2026-11-05"),
                stand: Termijnstand::Open,
            }]
        );
        assert_eq!(
            stand().openstaand(day("2026-11-06"))[0].stand,
            Termijnstand::Verlopen
        );
        let answered = Toewijzingsstand {
            gereageerd: true,
            ..stand()
        };
        assert!(answered.openstaand(day("2026-11-06")).is_empty());
    }

    #[test]
    fn the_start_is_due_five_working_days_after_it_began() {
        let answered = Toewijzingsstand {
            gereageerd: true,
            ..stand()
        };
        assert!(answered.openstaand(day("2026-11-15")).is_empty(), "ahead");
        let open = answered.openstaand(day("2026-11-20"));
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].termijn, Zorgtermijn::Start);
        // Monday 16 November plus five working days: Monday 23 November.
        assert_eq!(open[0].uiterlijk, day("2026-11-23"));
        assert_eq!(open[0].stand, Termijnstand::Morgen);
        // An allocation sent after its start counts from the day it came.
        let late = Toewijzingsstand {
            ontvangen: day("2026-11-19"),
            ..answered
        };
        assert_eq!(
            late.openstaand(day("2026-11-20"))[0].uiterlijk,
            day("2026-11-26")
        );
        let started = Toewijzingsstand {
            gestart: true,
            ..answered
        };
        assert!(started.openstaand(day("2026-12-31")).is_empty());
    }

    #[test]
    fn the_end_is_due_five_working_days_after_it() {
        let started = Toewijzingsstand {
            gereageerd: true,
            gestart: true,
            ..stand()
        };
        let open = started.openstaand(day("2027-01-04"));
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].termijn, Zorgtermijn::Stop);
        // Thursday 31 December plus five working days, 1 January a holiday.
        assert_eq!(open[0].uiterlijk, day("2027-01-08"));
        let stopped = Toewijzingsstand {
            gestopt: true,
            ..started
        };
        assert!(stopped.openstaand(day("2027-01-04")).is_empty());
    }

    #[test]
    fn a_period_that_passed_without_a_start_owes_nothing() {
        assert!(stand().openstaand(day("2027-01-01")).is_empty());
        assert_eq!(
            stand().openstaand(day("2026-12-31")).len(),
            2,
            "its last day"
        );
    }

    #[test]
    fn an_unanswered_late_allocation_owes_both() {
        let open = stand().openstaand(day("2026-11-30"));
        let termijnen: Vec<Zorgtermijn> = open.iter().map(|o| o.termijn).collect();
        assert_eq!(termijnen, [Zorgtermijn::Reageren, Zorgtermijn::Start]);
        assert!(open.iter().all(|o| o.stand == Termijnstand::Verlopen));
    }
}
