//! The providers' side of the demo's history. Waiting times are measured from
//! the system's own trail (match → intake, toewijzing → start), so the demo
//! does not type them in: its providers work the allocations they received in
//! the last four months — one window of measured waits and a month before it —
//! through the same use cases a provider uses. Each accepts the allocation,
//! registers the intake it held and reports the start (JW305), each at its own
//! moment, and every message is delivered and answered as the running message
//! loop would. Older allocations are left as the generator made them, so the
//! demo provider (`aanbieder.demo`) finds work waiting in its worklist.
//!
//! The actor is a generator account per provider (`demo.aanbieder.<agb>`) that
//! cannot sign in, like the gemeenten's.

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};
use jeugdroute_domain::{Aanbieder, Reactie, Role, User, amsterdam_today};

use super::{Laden, Rng, internal};
use crate::{Actor, App, AppError, Clock, StartInvoer, Toewijzingsleutel};

/// How far back the providers' work goes: the 90 days of a measured wait and
/// the month in which the allocations that start in them were sent.
pub(super) const SPOOR_DAGEN: i64 = 120;

/// The generator account that works a provider's demo allocations.
pub(crate) fn generator_user(aanbieder: &Aanbieder) -> User {
    User {
        username: format!("demo.aanbieder.{}", aanbieder.agb),
        display_name: format!("Demogegevens {}", aanbieder.name),
        role: Role::Aanbieder,
        gemeenten: Vec::new(),
        aanbieder: Some(aanbieder.agb.clone()),
        gi: None,
    }
}

/// The stored instant of `day` at `hour` and some minutes, in UTC as every
/// stored moment is (pages and messages show it in Dutch time); the hours used
/// here (13 and 14) lie within the Dutch working day and on the same Dutch date,
/// summer and winter alike, as the case generator's moments do.
fn op(day: NaiveDate, hour: u32, rng: &mut Rng) -> Result<DateTime<Utc>, AppError> {
    let at = day
        .and_hms_opt(hour, 0, 0)
        .ok_or_else(|| internal("time"))?;
    let minutes = i64::try_from(rng.range(0, 50)).unwrap_or(0);
    Ok(Utc.from_utc_datetime(&at) + Duration::minutes(minutes))
}

fn later(day: NaiveDate, days: u64) -> Result<NaiveDate, AppError> {
    day.checked_add_days(Days::new(days))
        .ok_or_else(|| internal("date"))
}

impl App {
    /// Delivers and processes every waiting message between the parties of
    /// this installation, answers included, at the clock's moment.
    pub(super) async fn demo_bezorgen(&self) -> Result<(), AppError> {
        loop {
            let delivered = self.berichten_bezorgen(1_000).await?;
            let done = self.berichten_verwerken(1_000).await?;
            if delivered == 0 && done.totaal() == 0 {
                return Ok(());
            }
        }
    }

    /// The provider of case `id`'s allocation works it as far as the load's
    /// "now" allows: it accepts within days of receiving it, registers the
    /// intake on (or just after) the day planned at the match, and reports the
    /// start from the planned first day on. A crisis allocation has no match:
    /// it is accepted and started at once.
    pub(super) async fn demo_spoor(
        &self,
        clock: &Clock,
        worker: &Actor,
        id: i64,
        aanbieders: &[Aanbieder],
        Laden(now): Laden,
        rng: &mut Rng,
    ) -> Result<(), AppError> {
        let view = self.casus(worker, id).await?;
        let verloop = self.verloop(worker, &view).await?;
        let t = verloop
            .toewijzingen
            .first()
            .ok_or_else(|| internal("toewijzing"))?;
        let aanbieder = aanbieders
            .iter()
            .find(|a| a.agb == t.aanbieder)
            .ok_or_else(|| internal("aanbieder"))?;
        let provider = Actor {
            user: generator_user(aanbieder),
            source: None,
        };
        let today = amsterdam_today(now);
        let bijna = now - Duration::minutes(5);
        let hours = i64::try_from(rng.range(2, 50)).unwrap_or(2);
        let answered = t.created_at + Duration::hours(hours);
        if answered > bijna {
            return Ok(());
        }
        clock.set(answered);
        self.aanbieder_reageren(&provider, id, Reactie::Geaccepteerd, "")
            .await?;
        let mut first_day = t.start_date;
        if let Some(m) = &verloop.dossier.match_en_intake {
            let intake = later(m.intake_date, rng.range(0, 3))?.max(amsterdam_today(answered));
            let held = op(intake, 13, rng)?.max(answered);
            if intake > today || held > bijna {
                return Ok(());
            }
            clock.set(held);
            self.intake_registreren(&provider, id, intake).await?;
            first_day = first_day.max(intake);
        }
        let begindatum = later(first_day, rng.range(0, 4))?;
        let reported = op(later(begindatum, rng.range(0, 2))?, 14, rng)?.min(bijna);
        if begindatum > today || reported < answered {
            return Ok(());
        }
        clock.set(reported);
        let start = StartInvoer {
            toewijzing: Toewijzingsleutel {
                gemeente: t.gemeente.as_str().to_owned(),
                toewijzingnummer: t.nummer,
            },
            begindatum,
        };
        self.aanbieder_start(&provider, &start).await?;
        self.demo_bezorgen().await
    }
}
