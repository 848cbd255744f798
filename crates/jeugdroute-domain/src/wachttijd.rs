//! Waiting times measured from the system's own trail instead of a number a
//! provider once typed in: for every allocation whose care started lately, the
//! days from the toewijzing to the first day of care the provider reported
//! (JW305), and for every intake held lately, the days from the match to the
//! intake the provider registered — each summed up per provider as a median
//! and an 80th percentile. Beside them stands what the provider says of
//! itself: the wait it expects and whether it takes new clients at all
//! (opnamestop).

use chrono::{DateTime, Days, NaiveDate, Utc};

/// How far back a measured waiting time looks: the waits that ended (care
/// started, or the intake held) on one of the last 90 days, today included.
pub const WACHTTIJD_VENSTER_DAGEN: u64 = 90;

/// The longest wait a provider may report: two years.
pub const MAX_WACHTTIJD_WEKEN: i64 = 104;

/// What a provider says of itself: the wait it expects for a new client, and
/// whether it takes none for now (opnamestop), with when it last said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Wachttijdmelding {
    pub weken: Option<i64>,
    pub opnamestop: bool,
    pub gemeld_op: Option<DateTime<Utc>>,
}

/// One wait that ended: the Dutch day it began (the toewijzing sent, or the
/// match) and the day it ended (the first day of care the provider reported,
/// or the intake it held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wacht {
    pub begin: NaiveDate,
    pub einde: NaiveDate,
}

impl Wacht {
    /// Days waited. Care that started before the toewijzing was sent (an
    /// allocation made afterwards, as after crisis help) waited no days.
    pub fn dagen(&self) -> i64 {
        (self.einde - self.begin).num_days().max(0)
    }
}

/// A provider's waiting time as measured: half of the waits were at most
/// `mediaan_dagen`, four in five at most `p80_dagen`, over `aantal` waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GemetenWachttijd {
    pub mediaan_dagen: i64,
    pub p80_dagen: i64,
    pub aantal: usize,
}

impl GemetenWachttijd {
    /// The first day on which an ended wait still counts on `today`.
    pub fn vanaf(today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_days(Days::new(WACHTTIJD_VENSTER_DAGEN - 1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The waiting time of the `waits` that ended in the window that ends
    /// `today`; none when no wait ended in it. Percentiles by nearest rank
    /// (the smallest wait that at least that share of the waits does not
    /// exceed), so every figure is a wait that really happened: of an even
    /// number of waits, the median is the lower of the middle two.
    pub fn meet(waits: &[Wacht], today: NaiveDate) -> Option<GemetenWachttijd> {
        let vanaf = Self::vanaf(today);
        let mut dagen: Vec<i64> = waits
            .iter()
            .filter(|w| (vanaf..=today).contains(&w.einde))
            .map(Wacht::dagen)
            .collect();
        dagen.sort_unstable();
        let rank = |percent: usize| {
            let n = dagen.len();
            dagen.get((percent * n).div_ceil(100).max(1) - 1).copied()
        };
        Some(GemetenWachttijd {
            mediaan_dagen: rank(50)?,
            p80_dagen: rank(80)?,
            aantal: dagen.len(),
        })
    }

    /// The measured wait from toewijzing to start in words, for whoever
    /// chooses a provider.
    pub fn omschrijving(&self) -> String {
        self.in_woorden("begon", "start", "starts")
    }

    /// The measured wait from match to intake in words.
    pub fn omschrijving_intake(&self) -> String {
        self.in_woorden("had de intake", "intake", "intakes")
    }

    fn in_woorden(&self, gebeurde: &str, een: &str, meer: &str) -> String {
        format!(
            "gemeten: de helft {gebeurde} binnen {}, 4 op de 5 binnen {} ({} in de laatste {} dagen)",
            dagen(self.mediaan_dagen),
            dagen(self.p80_dagen),
            if self.aantal == 1 {
                format!("1 {een}")
            } else {
                format!("{} {meer}", self.aantal)
            },
            WACHTTIJD_VENSTER_DAGEN
        )
    }
}

/// A number of days in words.
fn dagen(n: i64) -> String {
    if n == 1 {
        "1 dag".to_owned()
    } else {
        format!("{n} dagen")
    }
}
