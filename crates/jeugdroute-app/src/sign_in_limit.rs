//! How failed sign-ins slow down guessing without letting anyone lock a user out.
//!
//! Policy (issue 12). Failures count for [`FAILURE_WINDOW`] (one hour) and are
//! pruned after it. Two keys are limited, each with exponential back-off:
//!
//! - **per source address** (any user name): after [`FREE_FAILURES`] failures from
//!   an address, its next attempt must wait [`FIRST_DELAY`] after its latest
//!   failure, doubling with every further failure, at most [`MAX_DELAY`];
//! - **per user name** (from any address): the same count and delays, but they
//!   hold only an address that has itself failed for that name within the window.
//!   An address that did not fail for the name is never slowed by it, so while an
//!   attacker hammers `medewerker.amersfoort` from elsewhere, the real user with
//!   the right password still gets in at once. Many addresses guessing one name
//!   get one free try each once the name is hot; the per-source rate limit of the
//!   web crate bounds how fast each may try.
//!
//! An attempt within a back-off is refused without checking the password (no
//! hash, no write, nothing logged to the audit log), so it neither reveals
//! anything nor extends the wait. A correct password clears only the failures of
//! that name from that address. Refusals never say which part was wrong.

use chrono::{DateTime, Duration, Utc};
use jeugdroute_store::{FailureCount, SignInFailures};

/// The window within which failed attempts count; older ones are pruned.
pub const FAILURE_WINDOW: Duration = Duration::hours(1);
/// Failures of one key before the back-off starts.
pub const FREE_FAILURES: i64 = 5;
/// The first wait once the free failures are used up; it doubles per failure.
pub const FIRST_DELAY: Duration = Duration::seconds(1);
/// The longest wait, however many failures.
pub const MAX_DELAY: Duration = Duration::minutes(15);

/// The wait after `count` failures of one key: none within the free failures,
/// then [`FIRST_DELAY`] doubling per failure, capped at [`MAX_DELAY`].
pub(crate) fn delay(count: i64) -> Duration {
    let Some(extra) = count.checked_sub(FREE_FAILURES).filter(|e| *e >= 0) else {
        return Duration::zero();
    };
    let doublings = u32::try_from(extra).unwrap_or(u32::MAX).min(30);
    let seconds = FIRST_DELAY.num_seconds().saturating_mul(1_i64 << doublings);
    Duration::seconds(seconds).min(MAX_DELAY)
}

/// When the key may try again, or `None` when it need not wait.
fn retry_at(failures: FailureCount) -> Option<DateTime<Utc>> {
    let wait = delay(failures.count);
    failures
        .last
        .filter(|_| wait > Duration::zero())
        .map(|last| last + wait)
}

/// Whether an attempt at `now` falls within a back-off (see the module's policy).
pub(crate) fn held_back(failures: &SignInFailures, now: DateTime<Utc>) -> bool {
    let by_source = retry_at(failures.by_source);
    let by_username = if failures.by_both > 0 {
        retry_at(failures.by_username)
    } else {
        None
    };
    [by_source, by_username]
        .into_iter()
        .flatten()
        .any(|at| now < at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(count: i64, last: DateTime<Utc>) -> FailureCount {
        FailureCount {
            count,
            last: Some(last),
        }
    }

    #[test]
    fn the_delay_doubles_after_the_free_failures_and_is_capped() {
        let seconds: Vec<i64> = [0, 4, 5, 6, 7, 14, 15, 40, i64::MAX]
            .into_iter()
            .map(|n| delay(n).num_seconds())
            .collect();
        assert_eq!(seconds, [0, 0, 1, 2, 4, 512, 900, 900, 900]);
        assert_eq!(delay(-3), Duration::zero());
    }

    #[test]
    fn a_hot_user_name_holds_back_only_sources_that_failed_for_it() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let hot = SignInFailures {
            by_source: FailureCount::default(),
            by_username: count(20, now),
            by_both: 0,
        };
        assert!(!held_back(&hot, now), "a clean source gets in");
        let tried = SignInFailures { by_both: 1, ..hot };
        assert!(held_back(&tried, now), "a source that failed for it waits");
        assert!(
            !held_back(&tried, now + MAX_DELAY),
            "never longer than the cap"
        );
        let source = SignInFailures {
            by_source: count(6, now),
            ..SignInFailures::default()
        };
        assert!(held_back(&source, now + Duration::seconds(1)));
        assert!(!held_back(&source, now + Duration::seconds(2)));
    }
}
