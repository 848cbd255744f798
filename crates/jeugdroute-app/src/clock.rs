//! The application's clock. The use cases take "now" from [`App::now`](crate::App::now):
//! real time in production; an instant set from outside for the demo generator
//! (which makes up a history over the last months) and for tests. The domain
//! never reads a clock: it receives "now" and "today" as parameters.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// Where "now" comes from.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's time.
    #[default]
    System,
    /// An instant set from outside, in microseconds since the Unix epoch; clones share
    /// it, so moving it moves the clock of every clone of the `App`.
    Set(Arc<AtomicI64>),
}

impl Clock {
    /// A clock that stands at `at` until it is moved with [`Clock::set`].
    pub fn at(at: DateTime<Utc>) -> Clock {
        Clock::Set(Arc::new(AtomicI64::new(at.timestamp_micros())))
    }

    /// Moves a set clock to `at`; the system clock cannot be moved.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Clock::Set(micros) = self {
            micros.store(at.timestamp_micros(), Ordering::SeqCst);
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Set(micros) => DateTime::from_timestamp_micros(micros.load(Ordering::SeqCst))
                .unwrap_or_else(Utc::now),
        }
    }
}
