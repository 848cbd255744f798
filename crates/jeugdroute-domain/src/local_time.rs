//! Dutch time: every moment shown to people or sent to a provider is local time
//! in Europe/Amsterdam, summer time included, from the IANA time-zone database
//! (`chrono-tz`), never a fixed offset; dates are shown as dd-mm-jjjj, times as
//! HH:MM. The caller hands in the instant: this module reads no clock.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;
use chrono_tz::Tz;

/// An instant as the clock on the wall in the Netherlands shows it.
///
/// Rule: issue 11 point 8 — every time shown or sent is Europe/Amsterdam local
/// time, summer time included (CET, UTC+1, in winter; CEST, UTC+2, from the last
/// Sunday of March to the last Sunday of October, EU directive 2000/84/EC).
pub fn amsterdam(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&Amsterdam)
}

/// The calendar date in the Netherlands at `now`: at 23:30 UTC on a summer
/// evening it is already the next day there.
pub fn amsterdam_today(now: DateTime<Utc>) -> NaiveDate {
    amsterdam(now).date_naive()
}

/// The instant a Dutch calendar day begins (local midnight), for searching by
/// day. Midnight always exists in Amsterdam (the clocks change at 02:00 and
/// 03:00); should it not, the day begins at the first instant that does.
pub fn amsterdam_day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    Amsterdam
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}

/// A date as people read it on a page: `05-04-2026` (dd-mm-jjjj).
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// The time of an instant on the wall in the Netherlands: `14:05` (HH:MM).
pub fn clock_time(at: DateTime<Utc>) -> String {
    amsterdam(at).format("%H:%M").to_string()
}

/// An instant as people read it: its Dutch date and time, `05-04-2026 14:05`.
pub fn moment(at: DateTime<Utc>) -> String {
    amsterdam(at).format("%d-%m-%Y %H:%M").to_string()
}

/// An instant to the second, for the audit log: `05-04-2026 14:05:09`.
pub fn moment_seconds(at: DateTime<Utc>) -> String {
    amsterdam(at).format("%d-%m-%Y %H:%M:%S").to_string()
}

/// An instant in RFC 3339 with the Dutch offset of that day, for the API:
/// `2026-07-01T14:05:09+02:00`.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    amsterdam(at).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The Toewijzingsdatum and Toewijzingstijd of a JW301 sent at `now`: the Dutch
/// date and time, whole seconds (iJw LDT_Datum and LDT_Tijd carry no time zone,
/// so they are read as Dutch time).
pub fn toewijzingsmoment(now: DateTime<Utc>) -> (NaiveDate, NaiveTime) {
    let local = amsterdam(now);
    let time = local.time();
    (local.date_naive(), time.with_nanosecond(0).unwrap_or(time))
}

/// The Toewijzingsdatum and -tijd of a later version of an allocation, sent at
/// `now` after a version sent at `previous`.
///
/// Rule: iJw README §5.1 and §9 — the versions of one ToewijzingNummer are
/// ordered by Toewijzingsdatum + Toewijzingstijd, the latest wins. When the clocks go back (the last Sunday of October) the hour from
/// 02:00 to 03:00 happens twice, so a change sent in the second 02:10 would read
/// as older than a version of the first 02:50; a moment that is not later than
/// the previous version's is moved to one second after it.
pub fn toewijzingsmoment_after(
    now: DateTime<Utc>,
    previous: DateTime<Utc>,
) -> (NaiveDate, NaiveTime) {
    let (date, time) = toewijzingsmoment(now);
    let (previous_date, previous_time) = toewijzingsmoment(previous);
    let (moment, before) = (date.and_time(time), previous_date.and_time(previous_time));
    if moment > before {
        (date, time)
    } else {
        let later = before + chrono::TimeDelta::seconds(1);
        (later.date(), later.time())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    #[test]
    fn a_summer_evening_in_utc_is_already_tomorrow_in_amsterdam() {
        let at = utc("2026-07-01T22:30:00Z");
        assert_eq!(amsterdam_today(at), date(2026, 7, 2));
        assert_eq!(toewijzingsmoment(at), (date(2026, 7, 2), hms(0, 30, 0)));
        assert_eq!(moment(at), "02-07-2026 00:30");
        assert_eq!(clock_time(at), "00:30");
        assert_eq!(rfc3339(at), "2026-07-02T00:30:00+02:00");
    }

    #[test]
    fn a_winter_evening_is_one_hour_ahead_on_the_same_day() {
        let at = utc("2026-01-15T22:30:00Z");
        assert_eq!(amsterdam_today(at), date(2026, 1, 15));
        assert_eq!(toewijzingsmoment(at), (date(2026, 1, 15), hms(23, 30, 0)));
        assert_eq!(moment(at), "15-01-2026 23:30");
        assert_eq!(rfc3339(at), "2026-01-15T23:30:00+01:00");
    }

    #[test]
    fn summer_time_begins_and_ends_on_the_last_sundays_of_march_and_october() {
        // 29 March 2026: at 01:00 UTC the clocks jump from 02:00 to 03:00.
        assert_eq!(moment(utc("2026-03-29T00:59:59Z")), "29-03-2026 01:59");
        assert_eq!(moment(utc("2026-03-29T01:00:00Z")), "29-03-2026 03:00");
        // 25 October 2026: at 01:00 UTC the clocks go back from 03:00 to 02:00,
        // so 02:30 happens twice.
        assert_eq!(
            toewijzingsmoment(utc("2026-10-25T00:30:00Z")),
            (date(2026, 10, 25), hms(2, 30, 0))
        );
        assert_eq!(
            toewijzingsmoment(utc("2026-10-25T01:30:00Z")),
            (date(2026, 10, 25), hms(2, 30, 0))
        );
        assert_eq!(
            rfc3339(utc("2026-10-25T00:30:00Z")),
            "2026-10-25T02:30:00+02:00"
        );
        assert_eq!(
            rfc3339(utc("2026-10-25T01:30:00Z")),
            "2026-10-25T02:30:00+01:00"
        );
    }

    #[test]
    fn a_later_version_never_reads_as_older_when_the_clocks_go_back() {
        // 00:50 UTC is 02:50 summer time; 01:10 UTC is 02:10 winter time.
        let (first, change) = (utc("2026-10-25T00:50:00Z"), utc("2026-10-25T01:10:00Z"));
        assert_eq!(
            toewijzingsmoment_after(change, first),
            (date(2026, 10, 25), hms(2, 50, 1))
        );
        // The same second (02:30 twice) moves on too.
        assert_eq!(
            toewijzingsmoment_after(utc("2026-10-25T01:30:00Z"), utc("2026-10-25T00:30:00Z")),
            (date(2026, 10, 25), hms(2, 30, 1))
        );
        // Otherwise the moment is simply the Dutch time of sending.
        assert_eq!(
            toewijzingsmoment_after(utc("2026-10-25T02:10:00Z"), first),
            (date(2026, 10, 25), hms(3, 10, 0))
        );
        assert_eq!(
            toewijzingsmoment_after(utc("2026-07-01T22:30:00Z"), utc("2026-07-01T08:00:00Z")),
            (date(2026, 7, 2), hms(0, 30, 0))
        );
    }

    #[test]
    fn a_toewijzingstijd_has_whole_seconds() {
        let at = utc("2026-01-15T10:11:12.987654Z");
        assert_eq!(toewijzingsmoment(at).1, hms(11, 11, 12));
        assert_eq!(moment_seconds(at), "15-01-2026 11:11:12");
    }

    #[test]
    fn a_dutch_day_begins_at_local_midnight() {
        assert_eq!(
            amsterdam_day_start(date(2026, 7, 2)),
            utc("2026-07-01T22:00:00Z")
        );
        assert_eq!(
            amsterdam_day_start(date(2026, 1, 15)),
            utc("2026-01-14T23:00:00Z")
        );
        // The days the clocks change still begin at midnight, in the old offset.
        assert_eq!(
            amsterdam_day_start(date(2026, 3, 29)),
            utc("2026-03-28T23:00:00Z")
        );
        assert_eq!(
            amsterdam_day_start(date(2026, 10, 25)),
            utc("2026-10-24T22:00:00Z")
        );
    }

    #[test]
    fn dates_are_shown_as_dd_mm_jjjj() {
        assert_eq!(short_date(date(2026, 4, 5)), "05-04-2026");
    }
}
