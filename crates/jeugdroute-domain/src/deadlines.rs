//! Deadlines: the intake after a match, and the answer deadlines of the iJw
//! message traffic counted in working days, with the Dutch public holidays.
//! "Today" is always a parameter.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::Fase;

/// Rule: seed 002 step 6 — after a match the provider has 3-4 weeks for the intake:
/// a signal at 3 weeks, due at 4 weeks at the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeDeadline {
    pub match_date: NaiveDate,
    /// From this day on the case is flagged.
    pub signal: NaiveDate,
    /// The last day for the intake.
    pub due: NaiveDate,
}

/// Rule: crisis route (catalogue `crisis.beoordeling_dagen`) — crisis help
/// starts first; the assessment (vraagverheldering up to the plan) must be done
/// within the catalogue's days after the help starts, with a signal a week before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeoordelingDeadline {
    pub start: NaiveDate,
    pub signal: NaiveDate,
    pub due: NaiveDate,
}

impl BeoordelingDeadline {
    pub fn after_start(start: NaiveDate, dagen: u32) -> BeoordelingDeadline {
        let due = start + Days::new(u64::from(dagen));
        BeoordelingDeadline {
            start,
            signal: due - Days::new(7).min(Days::new(u64::from(dagen))),
            due,
        }
    }

    /// Whether a crisis case in this phase still owes its assessment.
    pub fn awaited(fase: Fase) -> bool {
        matches!(
            fase,
            Fase::Beschikking
                | Fase::Toewijzing
                | Fase::Vraagverheldering
                | Fase::Vraagduiding
                | Fase::Plan
        )
    }

    pub fn status(&self, today: NaiveDate) -> DeadlineStatus {
        DeadlineStatus::on(today, self.signal, self.due)
    }
}

/// Where a deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineStatus {
    OnTime,
    Signal,
    Overdue,
}

impl DeadlineStatus {
    /// Overdue after `due`, signalled from `signal`, else on time.
    fn on(today: NaiveDate, signal: NaiveDate, due: NaiveDate) -> DeadlineStatus {
        if today > due {
            DeadlineStatus::Overdue
        } else if today >= signal {
            DeadlineStatus::Signal
        } else {
            DeadlineStatus::OnTime
        }
    }
}

impl IntakeDeadline {
    /// The weeks from the match to the last day for the intake.
    pub const WEEKS: u32 = 4;
    /// The weeks from the match to the signal.
    pub const SIGNAL_WEEKS: u32 = 3;

    pub fn after_match(match_date: NaiveDate) -> IntakeDeadline {
        IntakeDeadline {
            match_date,
            signal: match_date + Days::new(u64::from(IntakeDeadline::SIGNAL_WEEKS) * 7),
            due: match_date + Days::new(u64::from(IntakeDeadline::WEEKS) * 7),
        }
    }

    /// The intake deadline a case is waiting on, if any: from the match until the
    /// help starts.
    ///
    /// Rule: domain.md "Intake due 4 weeks after the match at the latest; flag at
    /// 3 weeks". Jeugdroute records no intake of its own (the intake date of the
    /// match form is a plan), so a case counts as waiting for its intake while
    /// it is at match en intake, beschikking or toewijzing with a match date;
    /// from uitvoering on the provider has started and the intake is done.
    pub fn awaited(fase: Fase, match_date: Option<NaiveDate>) -> Option<IntakeDeadline> {
        IntakeDeadline::can_be_awaited(fase)
            .then_some(match_date)
            .flatten()
            .map(IntakeDeadline::after_match)
    }

    /// The phases in which a case can wait for its intake (see [`Self::awaited`]).
    pub fn can_be_awaited(fase: Fase) -> bool {
        matches!(
            fase,
            Fase::MatchEnIntake | Fase::Beschikking | Fase::Toewijzing
        )
    }

    pub fn status(&self, today: NaiveDate) -> DeadlineStatus {
        DeadlineStatus::on(today, self.signal, self.due)
    }

    /// The last match day whose intake deadline is signalled or past on
    /// `today`: a case matched on or before it draws attention, so a worklist
    /// can ask its database for exactly the flagged cases.
    pub fn flagged_if_matched_by(today: NaiveDate) -> NaiveDate {
        today - Days::new(u64::from(IntakeDeadline::SIGNAL_WEEKS) * 7)
    }
}

/// Easter Sunday (Gregorian calendar), by the anonymous Gregorian algorithm.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (
        year.rem_euclid(19),
        year.div_euclid(100),
        year.rem_euclid(100),
    );
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The public holidays that stop a deadline, with their names.
///
/// Rule (national, Algemene termijnenwet art. 3): Nieuwjaarsdag, Tweede Paasdag,
/// Hemelvaartsdag, Tweede Pinksterdag, both Christmas days, the King's birthday as
/// celebrated (27 April, 26 April when that is a Sunday; before 2014 the Queen's
/// day, 30 April, 29 April when that is a Sunday) and 5 May. Easter and Whit
/// Sunday are Sundays already.
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut days = Vec::new();
    let mut add = |day: Option<NaiveDate>, name| {
        if let Some(day) = day {
            days.push((day, name));
        }
    };
    add(date(1, 1), "Nieuwjaarsdag");
    let easter = easter(year);
    add(
        easter.and_then(|e| e.checked_add_days(Days::new(1))),
        "Tweede Paasdag",
    );
    add(
        easter.and_then(|e| e.checked_add_days(Days::new(39))),
        "Hemelvaartsdag",
    );
    add(
        easter.and_then(|e| e.checked_add_days(Days::new(50))),
        "Tweede Pinksterdag",
    );
    let (kings_day, name) = if year >= 2014 {
        (27, "Koningsdag")
    } else {
        (30, "Koninginnedag")
    };
    let kings_day = date(4, kings_day).map(|d| {
        if d.weekday() == Weekday::Sun {
            d - Days::new(1)
        } else {
            d
        }
    });
    add(kings_day, name);
    add(date(5, 5), "Bevrijdingsdag");
    add(date(12, 25), "Eerste Kerstdag");
    add(date(12, 26), "Tweede Kerstdag");
    days.sort();
    days
}

/// A working day: Monday to Friday, and no public holiday.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        && !public_holidays(day.year())
            .iter()
            .any(|(holiday, _)| *holiday == day)
}

/// The `n`-th working day after `day` (the day itself does not count).
pub fn working_days_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut current = day;
    let mut left = n;
    while left > 0 {
        current = current.succ_opt().unwrap_or(current);
        if is_working_day(current) {
            left -= 1;
        }
    }
    current
}

/// The first working day on or after `day` (`day` itself when it is one).
pub fn working_day_on_or_after(day: NaiveDate) -> NaiveDate {
    first_working_day(day, NaiveDate::succ_opt)
}

/// The last working day on or before `day` (`day` itself when it is one).
pub fn working_day_on_or_before(day: NaiveDate) -> NaiveDate {
    first_working_day(day, NaiveDate::pred_opt)
}

/// The first working day from `day` on, stepping with `step` (a day forward or back).
fn first_working_day(day: NaiveDate, step: fn(&NaiveDate) -> Option<NaiveDate>) -> NaiveDate {
    let mut current = day;
    while !is_working_day(current) {
        match step(&current) {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// The dates the match-and-intake form proposes; the worker may change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchProposal {
    pub match_date: NaiveDate,
    pub intake_date: NaiveDate,
    /// The day the help starts.
    pub start_date: NaiveDate,
}

impl MatchProposal {
    /// How long after the match the proposed intake is: midway between the
    /// match and the signal at three weeks, so the provider can plan it.
    pub const INTAKE_AFTER_DAYS: u64 = 14;

    /// The proposal on `today` (the Dutch calendar date).
    ///
    /// Rule: issue 11 point 8 — the proposed match, intake and start dates fall
    /// on working days (Algemene termijnenwet, see [`is_working_day`]): the match
    /// on the first working day from today; the intake on the first working day
    /// two weeks after the match, and never after the intake deadline (seed 002
    /// step 6: four weeks after the match); the help starts on the intake day.
    pub fn on(today: NaiveDate) -> MatchProposal {
        let match_date = working_day_on_or_after(today);
        let due = IntakeDeadline::after_match(match_date).due;
        let intake_date = working_day_on_or_after(
            match_date
                .checked_add_days(Days::new(MatchProposal::INTAKE_AFTER_DAYS))
                .unwrap_or(match_date),
        )
        .min(working_day_on_or_before(due))
        .max(match_date);
        MatchProposal {
            match_date,
            intake_date,
            start_date: intake_date,
        }
    }
}

/// A provider whose reported waiting time is longer than the intake deadline:
/// chosen, it would not hold the intake in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WachttijdWarning {
    pub wachttijd_weken: i64,
    pub intake_weken: u32,
}

impl WachttijdWarning {
    /// The warning for a provider that reports `wachttijd_weken`, if any.
    ///
    /// Rule: domain.md "Intake due 4 weeks after the match at the latest" with
    /// the waiting times per provider it names (issue 11 point 8): a provider
    /// waiting longer than the four weeks is shown with this warning before the
    /// choice, rather than refused at the intake date after it. A wait of exactly
    /// four weeks fits; a provider that reports no waiting time gets no warning.
    pub fn for_wachttijd(wachttijd_weken: Option<i64>) -> Option<WachttijdWarning> {
        let intake_weken = IntakeDeadline::WEEKS;
        wachttijd_weken
            .filter(|weken| *weken > i64::from(intake_weken))
            .map(|wachttijd_weken| WachttijdWarning {
                wachttijd_weken,
                intake_weken,
            })
    }

    /// The warning in words, for the worker choosing a provider.
    pub fn message(&self) -> String {
        format!(
            "Wachttijd {} weken: langer dan de intaketermijn van {} weken. Overleg met de aanbieder of kies een andere.",
            self.wachttijd_weken, self.intake_weken
        )
    }
}

/// The answer deadlines of the iJw process (iJw README §3.7), in working days
/// after receipt (or after the event the message reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerDeadline {
    /// Every retour message (JW302, 306, 308, 316, 318, 320): 3 working days.
    Retour,
    /// JW301 or JW319 after a request (JW315 per product, JW317 whole): 5.
    AnswerToRequest,
    /// JW305 after the actual start of care: 5.
    Start,
    /// JW307 after the actual end of care: 5.
    Stop,
    /// JW325 after receipt of the JW323: 10.
    Declaratieantwoord,
}

impl AnswerDeadline {
    pub fn working_days(self) -> u32 {
        match self {
            AnswerDeadline::Retour => 3,
            AnswerDeadline::AnswerToRequest | AnswerDeadline::Start | AnswerDeadline::Stop => 5,
            AnswerDeadline::Declaratieantwoord => 10,
        }
    }

    /// The last day to answer, counting from `from`.
    pub fn due(self, from: NaiveDate) -> NaiveDate {
        working_days_after(from, self.working_days())
    }
}

/// The weeks a gemeente has to decide on a request it answered with "aanvraag in
/// onderzoek" (VerzoekAntwoord 2).
pub const IN_ONDERZOEK_WEKEN: u64 = 8;

/// The last day to answer a provider's request (JW315 or JW317) received on
/// `received`, and after an answer "aanvraag in onderzoek".
///
/// Rule: iJw OP274 (verzoek om toewijzing) and OP346 (verzoek om wijziging) —
/// within 5 working days of receipt a JW301 or a JW319; after VerzoekAntwoord 2
/// ("aanvraag in onderzoek") the decision (a JW301, or a JW319 with
/// VerzoekAntwoord 1) follows within eight weeks of the request.
pub fn verzoek_deadline(received: NaiveDate, in_onderzoek: bool) -> NaiveDate {
    if in_onderzoek {
        received + Days::new(7 * IN_ONDERZOEK_WEKEN)
    } else {
        AnswerDeadline::AnswerToRequest.due(received)
    }
}

#[cfg(test)]
mod verzoek_tests {
    use super::*;

    #[test]
    fn a_request_is_answered_within_five_working_days_or_eight_weeks_in_onderzoek() {
        // Friday 24 April 2026: Koningsdag (Monday 27th) and the weekend do not count.
        let friday = NaiveDate::from_ymd_opt(2026, 4, 24).unwrap_or_default();
        assert_eq!(
            verzoek_deadline(friday, false),
            NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default()
        );
        assert_eq!(
            verzoek_deadline(friday, true),
            NaiveDate::from_ymd_opt(2026, 6, 19).unwrap_or_default()
        );
    }
}
