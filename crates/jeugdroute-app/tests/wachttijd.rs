//! Waiting times measured from the region's own messages, on SQLite always and on
//! PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo region loaded
//! at a fixed moment, its providers report starts (JW305) through the product,
//! and the providers offered at match en intake carry the waits from toewijzing
//! to start of the last 90 days, worked out by hand below.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_app::{App, Clock, StartInvoer, Toewijzingsleutel, Verwerking};
use jeugdroute_domain::{GemetenWachttijd, Role};
use jeugdroute_store::DatabaseUrl;
use support::{actor, exchange};

mod support;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The provider `agb` reports the start of its allocation `nummer` of `gemeente`.
async fn start(app: &App, agb: &str, gemeente: &str, nummer: i64, begindatum: &str) {
    app.aanbieder_start(
        &actor(Role::Aanbieder, gemeente, Some(agb)),
        &StartInvoer {
            toewijzing: Toewijzingsleutel {
                gemeente: gemeente.into(),
                toewijzingnummer: nummer,
            },
            begindatum: date(begindatum),
        },
    )
    .await
    .unwrap();
}

const JEUGDHULP_11: &str = "98990011";
const JEUGDHULP_88: &str = "98990088";
const JEUGDHULP_55: &str = "98990055";

async fn waits_are_measured_from_toewijzing_to_start(url: &DatabaseUrl) {
    // The demo as loaded on 16-11-2026: the window is 19-08-2026 to 16-11-2026.
    let now: DateTime<Utc> = "2026-11-16T09:30:00Z".parse().unwrap();
    let app = App::open(url).await.unwrap().with_clock(Clock::at(now));
    app.load_demo().await.unwrap();
    exchange(&app).await;

    // Allocations of arrangement code 50H12 in the demo, with the day each was
    // sent (its ToewijzingDatum) and the start reported here:
    // to 98990011, four starts in the window, one before it.
    start(&app, JEUGDHULP_11, "0307", 15, "2026-09-04").await; // sent 25-04-2026: 132 days
    start(&app, JEUGDHULP_11, "0307", 32, "2026-09-01").await; // sent 23-03-2026: 162 days
    start(&app, JEUGDHULP_11, "0307", 21, "2026-11-02").await; // sent 01-11-2025: 366 days
    start(&app, JEUGDHULP_11, "0308", 1, "2026-08-19").await; // sent 01-09-2025: 352 days, the window's first day
    start(&app, JEUGDHULP_11, "0327", 9, "2026-01-22").await; // sent 30-12-2025: 23 days, before the window
    // to 98990088, one.
    start(&app, JEUGDHULP_88, "0327", 4, "2026-10-01").await; // sent 24-09-2025: 372 days
    assert_eq!(
        exchange(&app).await,
        Verwerking {
            verwerkt: 12,
            ..Verwerking::default()
        },
        "six starts, each answered by a JW306 without remarks"
    );

    // Case 217 of the demo is at match en intake for 50H12.
    let worker = actor(Role::Toegangsmedewerker, "0307", None);
    let view = app.casus(&worker, 217).await.unwrap();
    let verloop = app.verloop(&worker, &view).await.unwrap();
    let gemeten = |agb: &str| {
        verloop
            .keuze
            .iter()
            .find(|k| k.aanbieder.agb.as_str() == agb)
            .unwrap_or_else(|| panic!("{agb} offered"))
            .gemeten
    };
    // 98990011: 132 162 352 366 — the median is the 2nd (rank ⌈4 × 0.5⌉), the
    // 80th percentile the 4th (rank ⌈3.2⌉); the start before the window is left out.
    assert_eq!(
        gemeten(JEUGDHULP_11),
        Some(GemetenWachttijd {
            mediaan_dagen: 162,
            p80_dagen: 366,
            aantal: 4,
        })
    );
    assert_eq!(
        gemeten(JEUGDHULP_88),
        Some(GemetenWachttijd {
            mediaan_dagen: 372,
            p80_dagen: 372,
            aantal: 1,
        })
    );
    assert_eq!(gemeten(JEUGDHULP_55), None, "no start of 50H12 lately");
    // Shortest expected wait first: the measured median where there is one
    // (98990088 reports 1 week, but waited 372 days), else the reported wait
    // (98990055: 5 weeks, 35 days).
    let order: Vec<&str> = verloop
        .keuze
        .iter()
        .map(|k| k.aanbieder.agb.as_str())
        .collect();
    assert_eq!(order, [JEUGDHULP_55, JEUGDHULP_11, JEUGDHULP_88]);
    app.close().await;
}

jeugdroute_store::backend_tests!(waits_are_measured_from_toewijzing_to_start);
