//! How much of an allocated Omvang a period may hold (TR321, TR322), by the
//! reckoning of the standard's instructions IV076–IV078: per day, per calendar
//! week (inspanningsgericht: the ISO weeks touched; outputgericht: the Sundays,
//! plus the broken last week), per month, or once for the whole allocation.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::KnownAllocation;

/// Units of the outputgericht variant: 82 stuks (output), 83 euro's.
fn outputgericht(eenheid: &str) -> bool {
    matches!(eenheid, "82" | "83")
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// The calendar (ISO) weeks a period touches.
fn weeks(from: NaiveDate, to: NaiveDate) -> i64 {
    let monday = |d: NaiveDate| back(d, d.weekday().num_days_from_monday());
    (monday(to) - monday(from)).num_days() / 7 + 1
}

/// `days` before `date`; at the far edge of the calendar, `date` itself.
fn back(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(date)
}

/// The last Sunday on or before `date`.
fn sunday_before(date: NaiveDate) -> NaiveDate {
    back(date, date.weekday().num_days_from_sunday())
}

fn sundays(from: NaiveDate, to: NaiveDate) -> i64 {
    let last = sunday_before(to);
    if last < from {
        0
    } else {
        (last - from).num_days() / 7 + 1
    }
}

fn months(from: NaiveDate, to: NaiveDate) -> i64 {
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    index(to) - index(from) + 1
}

/// How many units of the prestatie one unit of the allocation is: minutes may
/// be declared on hours (TR341); `None` when the units do not fit.
pub(super) fn factor(allocated: &str, declared: &str) -> Option<i64> {
    match (allocated, declared) {
        ("04", "01") => Some(60),
        (a, d) if a == d => Some(1),
        _ => None,
    }
}

/// The most the allocation's Omvang allows within `from..=to`, in the
/// allocation's unit; `None` without an Omvang or without a limit.
pub(super) fn most_in(a: &KnownAllocation, from: NaiveDate, to: NaiveDate) -> Option<i64> {
    let (volume, eenheid, frequentie) =
        (a.volume?, a.eenheid.as_deref()?, a.frequentie.as_deref()?);
    let from = from.max(a.ingangsdatum);
    let to = a.einddatum.map_or(to, |end| to.min(end));
    if to < from {
        return Some(0);
    }
    let times = match frequentie {
        "1" => days(from, to),
        "2" if outputgericht(eenheid) => {
            // The broken last week counts in the period holding the allocation's last Sunday.
            let broken_last_week = a.einddatum.is_some_and(|end| {
                let last = sunday_before(end);
                end.weekday() != Weekday::Sun && last >= from && last <= to
            });
            sundays(from, to) + i64::from(broken_last_week)
        }
        "2" => weeks(from, to),
        "4" => months(from, to),
        "6" => 1,
        _ => return None,
    };
    Some(volume.saturating_mul(times))
}

/// The most the allocation allows over its whole period; `None` without an
/// Omvang, or when an open end leaves no limit.
pub(super) fn most_in_total(a: &KnownAllocation) -> Option<i64> {
    match a.frequentie.as_deref() {
        Some("6") => a.volume,
        _ => most_in(a, a.ingangsdatum, a.einddatum?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    fn per_week(eenheid: &str, from: &str, to: &str) -> KnownAllocation {
        KnownAllocation {
            volume: Some(3),
            eenheid: Some(eenheid.into()),
            frequentie: Some("2".into()),
            ingangsdatum: date(from),
            einddatum: Some(date(to)),
            ..KnownAllocation::default()
        }
    }

    #[test]
    fn weeks_are_counted_as_the_instructions_count_them() {
        // IV077, inspanningsgericht: 3 hours a week, 7 Oct – 30 Dec 2025.
        let a = per_week("04", "2025-10-07", "2025-12-30");
        let month = |from, to| most_in(&a, date(from), date(to));
        assert_eq!(month("2025-10-01", "2025-10-31"), Some(12));
        assert_eq!(month("2025-11-01", "2025-11-30"), Some(15));
        assert_eq!(month("2025-12-01", "2025-12-31"), Some(15));
        assert_eq!(most_in_total(&a), Some(39));
        // IV077, outputgericht, example 2: 7 Jul – 5 Sep 2025, 3 Sundays in
        // July, 5 in August plus the broken last week.
        let b = per_week("83", "2025-07-07", "2025-09-05");
        assert_eq!(most_in(&b, date("2025-07-01"), date("2025-07-31")), Some(9));
        assert_eq!(
            most_in(&b, date("2025-08-01"), date("2025-08-31")),
            Some(18)
        );
        assert_eq!(most_in(&b, date("2025-09-01"), date("2025-09-30")), Some(0));
        assert_eq!(most_in_total(&b), Some(27));
    }

    #[test]
    fn days_months_and_totals() {
        let mut a = per_week("04", "2026-11-12", "2027-01-10");
        a.frequentie = Some("1".into());
        assert_eq!(
            most_in(&a, date("2026-11-01"), date("2026-11-30")),
            Some(57)
        );
        a.frequentie = Some("4".into());
        assert_eq!(most_in(&a, date("2026-11-01"), date("2026-11-30")), Some(3));
        assert_eq!(most_in_total(&a), Some(9));
        a.frequentie = Some("6".into());
        a.einddatum = None;
        assert_eq!(most_in_total(&a), Some(3));
        a.frequentie = Some("4".into());
        assert_eq!(most_in_total(&a), None, "an open end has no total");
        assert_eq!(factor("04", "01"), Some(60));
        assert_eq!(factor("01", "04"), None);
    }
}
