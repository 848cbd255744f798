//! The deadlines of the iJw message traffic (iJw 3.2 §3.7) as the message desk
//! watches them: what the receiver of a message owes, by when, and where that
//! stands today. "Today" is always a parameter; days are Dutch calendar days.

use chrono::{Days, NaiveDate};

use crate::deadlines::{working_day_on_or_after, working_days_after};

/// A deadline the receiver of a message must meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Berichttermijn {
    /// The retour (JW302, 306, 308, 316, 318, 320) on a message.
    Retour,
    /// The gemeente's answer to a request (JW315 per product, JW317 whole):
    /// a JW301 or a JW319.
    Antwoord,
    /// The final answer to a request answered "aanvraag in onderzoek".
    AntwoordNaOnderzoek,
    /// The JW325 on a declaration (JW323).
    Declaratieantwoord,
}

impl Berichttermijn {
    /// What the receiver of a message of this type owes, by when.
    ///
    /// Rule: iJw OP090 — every message but a retour and the JW323/JW325 pair
    /// gets a retour; OP090x4 — a JW323 gets its JW325 (and no retour);
    /// OP274 and OP346 — a JW315 or JW317 also gets a JW301 or JW319.
    pub fn van(berichtsoort: &str) -> &'static [Berichttermijn] {
        match berichtsoort {
            "JW323" => &[Berichttermijn::Declaratieantwoord],
            "JW315" | "JW317" => &[Berichttermijn::Retour, Berichttermijn::Antwoord],
            "JW301" | "JW305" | "JW307" | "JW319" => &[Berichttermijn::Retour],
            _ => &[],
        }
    }

    /// The stable key (API, storage of nothing).
    pub fn key(self) -> &'static str {
        match self {
            Berichttermijn::Retour => "retour",
            Berichttermijn::Antwoord => "antwoord",
            Berichttermijn::AntwoordNaOnderzoek => "antwoord-na-onderzoek",
            Berichttermijn::Declaratieantwoord => "declaratieantwoord",
        }
    }

    /// The deadline in plain words.
    pub fn omschrijving(self) -> &'static str {
        match self {
            Berichttermijn::Retour => "Retourbericht binnen 3 werkdagen na ontvangst",
            Berichttermijn::Antwoord => {
                "Toewijzing (JW301) of antwoord (JW319) binnen 5 werkdagen na ontvangst"
            }
            Berichttermijn::AntwoordNaOnderzoek => {
                "Besluit na 'aanvraag in onderzoek' binnen 8 weken na de dagtekening van het verzoek"
            }
            Berichttermijn::Declaratieantwoord => {
                "Declaratie-antwoord (JW325) binnen 10 werkdagen na ontvangst"
            }
        }
    }

    /// The last day to meet it, counting from `vanaf`: the day the message came
    /// in (for [`Berichttermijn::AntwoordNaOnderzoek`], the request's dagtekening).
    pub fn uiterlijk(self, vanaf: NaiveDate) -> NaiveDate {
        match self {
            // Rule: iJw OP090 — a retour within three working days after receipt.
            Berichttermijn::Retour => working_days_after(vanaf, 3),
            // Rule: iJw OP274 (JW315) and OP346 (JW317) — a JW301 or JW319
            // within five working days.
            Berichttermijn::Antwoord => working_days_after(vanaf, 5),
            // Rule: iJw OP274 and OP346 — after VerzoekAntwoord 2 the decision
            // follows within eight weeks of the request's dagtekening; a period
            // ending on a weekend or holiday runs to the next working day
            // (Algemene termijnenwet art. 1).
            Berichttermijn::AntwoordNaOnderzoek => {
                working_day_on_or_after(vanaf + Days::new(8 * 7))
            }
            // Rule: iJw OP090x4 — the JW325 within ten working days after receipt.
            Berichttermijn::Declaratieantwoord => working_days_after(vanaf, 10),
        }
    }

    /// Where the deadline stands on `vandaag`, given the day it was met (if it was).
    pub fn stand(
        self,
        vanaf: NaiveDate,
        vandaag: NaiveDate,
        voldaan: Option<NaiveDate>,
    ) -> Termijnstand {
        Termijnstand::op(self.uiterlijk(vanaf), vandaag, voldaan)
    }

    /// The first start day (`vanaf`) whose deadline has not passed on `vandaag`:
    /// every earlier start day's has. Lets a store count passed deadlines with
    /// one comparison (the last day grows with the start day).
    pub fn verlopen_voor(self, vandaag: NaiveDate) -> NaiveDate {
        self.first_start_due_after(vandaag.pred_opt().unwrap_or(vandaag))
    }

    /// The first start day whose deadline is neither passed nor signalled on
    /// `vandaag` (see [`Berichttermijn::stand`]): the start days from
    /// [`Berichttermijn::verlopen_voor`] up to this one are near.
    pub fn bijna_voor(self, vandaag: NaiveDate) -> NaiveDate {
        self.first_start_due_after(working_days_after(vandaag, 1))
    }

    /// The smallest start day whose last day falls after `limit`.
    fn first_start_due_after(self, limit: NaiveDate) -> NaiveDate {
        // The last day lies after its start day, so `limit` itself qualifies;
        // step back while the day before still does (at most some sixty days).
        let mut day = limit;
        while let Some(before) = day.pred_opt() {
            if self.uiterlijk(before) <= limit {
                break;
            }
            day = before;
        }
        day
    }
}

/// Where a message deadline stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termijnstand {
    /// More than one working day left.
    Open,
    /// One working day left: the last day is the next working day.
    Morgen,
    /// Today is the last day.
    Vandaag,
    /// The last day has passed and it was not met.
    Verlopen,
    /// Met, in time or late.
    Voldaan { op_tijd: bool },
}

impl Termijnstand {
    /// Where a deadline with last day `uiterlijk` stands on `vandaag`, given the
    /// day it was met (if it was).
    pub fn op(
        uiterlijk: NaiveDate,
        vandaag: NaiveDate,
        voldaan: Option<NaiveDate>,
    ) -> Termijnstand {
        match voldaan {
            Some(dag) => Termijnstand::Voldaan {
                op_tijd: dag <= uiterlijk,
            },
            None if vandaag > uiterlijk => Termijnstand::Verlopen,
            None if vandaag == uiterlijk => Termijnstand::Vandaag,
            // Rule: the desk signals a deadline on the working day before it passes.
            None if uiterlijk <= working_days_after(vandaag, 1) => Termijnstand::Morgen,
            None => Termijnstand::Open,
        }
    }

    /// The stable key (API).
    pub fn key(self) -> &'static str {
        match self {
            Termijnstand::Open => "open",
            Termijnstand::Morgen => "morgen",
            Termijnstand::Vandaag => "vandaag",
            Termijnstand::Verlopen => "verlopen",
            Termijnstand::Voldaan { op_tijd: true } => "op-tijd",
            Termijnstand::Voldaan { op_tijd: false } => "te-laat",
        }
    }

    /// The signal in words.
    pub fn label(self) -> &'static str {
        match self {
            Termijnstand::Open => "loopt",
            Termijnstand::Morgen => "laatste dag is de volgende werkdag",
            Termijnstand::Vandaag => "vandaag de laatste dag",
            Termijnstand::Verlopen => "verlopen",
            Termijnstand::Voldaan { op_tijd: true } => "op tijd",
            Termijnstand::Voldaan { op_tijd: false } => "te laat",
        }
    }

    /// Whether the desk flags it: the last day is near or passed.
    pub fn signaal(self) -> bool {
        matches!(
            self,
            Termijnstand::Morgen | Termijnstand::Vandaag | Termijnstand::Verlopen
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn each_message_deadline_counts_its_own_days() {
        // Thursday 2 April 2026; Good Friday is no holiday, Easter Monday is.
        let donderdag = day("2026-04-02");
        assert_eq!(
            Berichttermijn::Retour.uiterlijk(donderdag),
            day("2026-04-08")
        );
        assert_eq!(
            Berichttermijn::Antwoord.uiterlijk(donderdag),
            day("2026-04-10")
        );
        assert_eq!(
            Berichttermijn::Declaratieantwoord.uiterlijk(donderdag),
            day("2026-04-17")
        );
        // Eight weeks from Saturday 7 March 2026 is a Saturday: the next Monday.
        assert_eq!(
            Berichttermijn::AntwoordNaOnderzoek.uiterlijk(day("2026-03-07")),
            day("2026-05-04")
        );
        assert_eq!(
            Berichttermijn::van("JW315"),
            [Berichttermijn::Retour, Berichttermijn::Antwoord]
        );
        assert_eq!(
            Berichttermijn::van("JW323"),
            [Berichttermijn::Declaratieantwoord]
        );
        assert!(Berichttermijn::van("JW302").is_empty());
    }

    #[test]
    fn the_signal_comes_the_working_day_before_the_last() {
        let t = Berichttermijn::Retour;
        // Received Thursday 2 April 2026: last day Wednesday 8 April.
        let vanaf = day("2026-04-02");
        assert_eq!(t.stand(vanaf, day("2026-04-03"), None), Termijnstand::Open);
        assert_eq!(
            t.stand(vanaf, day("2026-04-07"), None),
            Termijnstand::Morgen
        );
        assert_eq!(
            t.stand(vanaf, day("2026-04-08"), None),
            Termijnstand::Vandaag
        );
        assert_eq!(
            t.stand(vanaf, day("2026-04-09"), None),
            Termijnstand::Verlopen
        );
        assert_eq!(
            t.stand(vanaf, day("2026-04-20"), Some(day("2026-04-08"))),
            Termijnstand::Voldaan { op_tijd: true }
        );
        assert_eq!(
            t.stand(vanaf, day("2026-04-20"), Some(day("2026-04-09"))),
            Termijnstand::Voldaan { op_tijd: false }
        );
    }

    #[test]
    fn the_cut_off_days_agree_with_the_stand_of_every_start_day() {
        let termijnen = [
            Berichttermijn::Retour,
            Berichttermijn::Antwoord,
            Berichttermijn::AntwoordNaOnderzoek,
            Berichttermijn::Declaratieantwoord,
        ];
        for t in termijnen {
            for vandaag in day("2026-03-28").iter_days().take(50) {
                let verlopen = t.verlopen_voor(vandaag);
                let bijna = t.bijna_voor(vandaag);
                for vanaf in day("2026-01-01").iter_days().take(130) {
                    let stand = t.stand(vanaf, vandaag, None);
                    assert_eq!(
                        stand == Termijnstand::Verlopen,
                        vanaf < verlopen,
                        "{t:?} {vanaf} on {vandaag}"
                    );
                    assert_eq!(stand.signaal(), vanaf < bijna, "{t:?} {vanaf} on {vandaag}");
                }
            }
        }
    }
}
