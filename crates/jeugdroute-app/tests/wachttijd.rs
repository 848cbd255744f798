//! Waiting times measured from the region's own messages, on SQLite always and on
//! PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo region loaded
//! at a fixed moment and looked at four months later, when the demo's own trail
//! lies before the 90-day window; its providers report starts (JW305) and
//! intakes through the product, and the providers offered at match en intake
//! carry the waits of the window, worked out by hand below. Providers report
//! their expected wait and opnamestop; workers search the directory.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_app::{
    AanbiederKeuze, App, AppError, Clock, EigenWachttijd, Gids, GidsZoek, StartInvoer,
    Toewijzingsleutel, Verwerking, WachttijdInvoer,
};
use jeugdroute_domain::{GemetenWachttijd, Productcode, Reactie, Role, Wachttijdmelding};
use jeugdroute_store::{AuditQuery, DatabaseUrl, Store};
use support::{actor, exchange};

mod support;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The demo as loaded on 16-11-2026, on 16-03-2027: the waits measured now
/// (from 17-12-2026 to 16-03-2027) are only those a test reports, since its
/// providers' trail ends at the load. Answers the app and "now".
async fn demo_vier_maanden_later(url: &DatabaseUrl) -> (App, DateTime<Utc>) {
    let geladen: DateTime<Utc> = "2026-11-16T09:30:00Z".parse().unwrap();
    let now: DateTime<Utc> = "2027-03-16T09:30:00Z".parse().unwrap();
    let clock = Clock::at(geladen);
    let app = App::open(url).await.unwrap().with_clock(clock.clone());
    app.load_demo().await.unwrap();
    exchange(&app).await;
    clock.set(now);
    (app, now)
}

/// The provider `agb` reports an expected wait of `weken` weeks.
async fn melden(app: &App, agb: &str, weken: i64) {
    app.wachttijd_melden(
        &actor(Role::Aanbieder, "0307", Some(agb)),
        &WachttijdInvoer {
            wachttijd_weken: Some(weken),
            opnamestop: false,
        },
    )
    .await
    .unwrap();
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

/// The provider `agb` takes demo case `casus` in care and registers the intake
/// it held on `datum`; answers the day the case was matched with it, as its
/// gemeente's worker sees it.
async fn intake(app: &App, agb: &str, gemeente: &str, casus: i64, datum: &str) -> NaiveDate {
    let aanbieder = actor(Role::Aanbieder, gemeente, Some(agb));
    app.aanbieder_reageren(&aanbieder, casus, Reactie::Geaccepteerd, "")
        .await
        .unwrap();
    app.intake_registreren(&aanbieder, casus, date(datum))
        .await
        .unwrap();
    let worker = actor(Role::Toegangsmedewerker, gemeente, None);
    let view = app.casus(&worker, casus).await.unwrap();
    let verloop = app.verloop(&worker, &view).await.unwrap();
    verloop.dossier.match_en_intake.unwrap().match_date
}

/// The provider `agb` among those offered.
fn aangeboden<'a>(keuze: &'a [AanbiederKeuze], agb: &str) -> &'a AanbiederKeuze {
    keuze
        .iter()
        .find(|k| k.aanbieder.agb.as_str() == agb)
        .unwrap_or_else(|| panic!("{agb} offered"))
}

const JEUGDHULP_11: &str = "98990011";
const JEUGDHULP_88: &str = "98990088";
const JEUGDHULP_55: &str = "98990055";

async fn waits_are_measured_from_toewijzing_to_start(url: &DatabaseUrl) {
    let (app, _) = demo_vier_maanden_later(url).await;

    // Allocations of arrangement code 50H12 in the demo that its providers
    // left unstarted, with the day each was sent (its ToewijzingDatum) and the
    // start reported here: to 98990011, four starts in the window, one before it.
    start(&app, JEUGDHULP_11, "0307", 15, "2027-01-02").await; // sent 25-04-2026: 252 days
    start(&app, JEUGDHULP_11, "0307", 32, "2026-12-30").await; // sent 23-03-2026: 282 days
    start(&app, JEUGDHULP_11, "0307", 21, "2027-03-02").await; // sent 01-11-2025: 486 days
    start(&app, JEUGDHULP_11, "0308", 1, "2026-12-17").await; // sent 01-09-2025: 472 days, the window's first day
    start(&app, JEUGDHULP_11, "0327", 9, "2026-05-22").await; // sent 30-12-2025: 143 days, before the window
    // to 98990088, one.
    start(&app, JEUGDHULP_88, "0327", 4, "2027-01-29").await; // sent 24-09-2025: 492 days
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
    let gemeten = |agb: &str| aangeboden(&verloop.keuze, agb).gemeten;
    // 98990011: 252 282 472 486 — the median is the 2nd (rank ⌈4 × 0.5⌉), the
    // 80th percentile the 4th (rank ⌈3.2⌉); the start before the window is left out.
    assert_eq!(
        gemeten(JEUGDHULP_11),
        Some(GemetenWachttijd {
            mediaan_dagen: 282,
            p80_dagen: 486,
            aantal: 4,
        })
    );
    assert_eq!(
        gemeten(JEUGDHULP_88),
        Some(GemetenWachttijd {
            mediaan_dagen: 492,
            p80_dagen: 492,
            aantal: 1,
        })
    );
    assert_eq!(gemeten(JEUGDHULP_55), None, "no start of 50H12 lately");
    // The provider sees its own, per code.
    let eigen = app
        .eigen_wachttijd(&actor(Role::Aanbieder, "0307", Some(JEUGDHULP_11)))
        .await
        .unwrap();
    assert_eq!(
        eigen.gemeten,
        [(
            Productcode::parse("50H12").unwrap(),
            gemeten(JEUGDHULP_11).unwrap()
        )]
    );
    let eigen = app
        .eigen_wachttijd(&actor(Role::Aanbieder, "0307", Some(JEUGDHULP_55)))
        .await
        .unwrap();
    assert!(eigen.gemeten.is_empty(), "{eigen:?}");
    // Shortest expected wait first: the measured median where there is one
    // (98990088 reports 1 week, but waited 492 days), else the reported wait
    // (98990055: 5 weeks, 35 days).
    melden(&app, JEUGDHULP_88, 1).await;
    melden(&app, JEUGDHULP_55, 5).await;
    let view = app.casus(&worker, 217).await.unwrap();
    let verloop = app.verloop(&worker, &view).await.unwrap();
    let order: Vec<&str> = verloop
        .keuze
        .iter()
        .map(|k| k.aanbieder.agb.as_str())
        .collect();
    assert_eq!(order, [JEUGDHULP_55, JEUGDHULP_11, JEUGDHULP_88]);
    app.close().await;
}

async fn waits_are_measured_from_match_to_intake(url: &DatabaseUrl) {
    let (app, _) = demo_vier_maanden_later(url).await;

    // Cases of arrangement code 50H12 in the demo, matched with the provider
    // on the day checked here, and the intake it registers:
    // with 98990011, three intakes in the window, one before it.
    let gematcht = [
        intake(&app, JEUGDHULP_11, "0307", 258, "2026-12-17").await, // 273 days, the window's first day
        intake(&app, JEUGDHULP_11, "0327", 207, "2026-12-30").await, // 366 days
        intake(&app, JEUGDHULP_11, "0307", 165, "2027-03-16").await, // 505 days, today
        intake(&app, JEUGDHULP_11, "0307", 124, "2026-05-04").await, // 10 days, before the window
        intake(&app, JEUGDHULP_88, "0327", 53, "2027-01-29").await,  // 494 days
    ];
    assert_eq!(
        gematcht,
        [
            "2026-03-19",
            "2025-12-29",
            "2025-10-27",
            "2026-04-24",
            "2025-09-22"
        ]
        .map(date)
    );
    // Of another code (50H24, matched 16-06-2026): not in the figure for 50H12.
    assert_eq!(
        intake(&app, JEUGDHULP_11, "0307", 23, "2027-01-08").await,
        date("2026-06-16")
    );

    let worker = actor(Role::Toegangsmedewerker, "0307", None);
    let view = app.casus(&worker, 217).await.unwrap();
    let verloop = app.verloop(&worker, &view).await.unwrap();
    let gemeten = |agb: &str| aangeboden(&verloop.keuze, agb).gemeten_intake;
    // 98990011: 273 366 505 — the median is the 2nd (rank ⌈3 × 0.5⌉), the
    // 80th percentile the 3rd (rank ⌈2.4⌉).
    let elf = GemetenWachttijd {
        mediaan_dagen: 366,
        p80_dagen: 505,
        aantal: 3,
    };
    assert_eq!(gemeten(JEUGDHULP_11), Some(elf));
    assert_eq!(
        gemeten(JEUGDHULP_88),
        Some(GemetenWachttijd {
            mediaan_dagen: 494,
            p80_dagen: 494,
            aantal: 1,
        })
    );
    assert_eq!(gemeten(JEUGDHULP_55), None, "no intake registered");
    // The provider sees its own, per code: 50H24 waited 206 days.
    let eigen = app
        .eigen_wachttijd(&actor(Role::Aanbieder, "0307", Some(JEUGDHULP_11)))
        .await
        .unwrap();
    let code = |c: &str| Productcode::parse(c).unwrap();
    let twee_honderd_zes = GemetenWachttijd {
        mediaan_dagen: 206,
        p80_dagen: 206,
        aantal: 1,
    };
    assert_eq!(
        eigen.gemeten_intake,
        [(code("50H12"), elf), (code("50H24"), twee_honderd_zes)]
    );
    assert!(eigen.gemeten.is_empty(), "no start reported: {eigen:?}");
    app.close().await;
}

/// A provider reports its expected wait and an opnamestop itself: shown beside
/// the measured wait, the opnamestop put last in the choice, out-of-range weeks
/// refused by field, the report audit-logged, and no other role may report.
async fn a_provider_reports_its_wait_and_opnamestop(url: &DatabaseUrl) {
    let (app, now) = demo_vier_maanden_later(url).await;
    let aanbieder = actor(Role::Aanbieder, "0307", Some(JEUGDHULP_55));
    let worker = actor(Role::Toegangsmedewerker, "0307", None);
    let keuze = || async {
        let view = app.casus(&worker, 217).await.unwrap();
        app.verloop(&worker, &view).await.unwrap().keuze
    };
    let order = |keuze: &[AanbiederKeuze]| -> Vec<String> {
        keuze
            .iter()
            .map(|k| k.aanbieder.agb.as_str().to_owned())
            .collect()
    };
    // Nothing measured in the window; the providers report 1 (88), 3 (11)
    // and 5 (55) weeks.
    melden(&app, JEUGDHULP_88, 1).await;
    melden(&app, JEUGDHULP_11, 3).await;
    melden(&app, JEUGDHULP_55, 5).await;
    assert_eq!(
        order(&keuze().await),
        [JEUGDHULP_88, JEUGDHULP_11, JEUGDHULP_55]
    );

    let melding = app
        .wachttijd_melden(
            &aanbieder,
            &WachttijdInvoer {
                wachttijd_weken: Some(0),
                opnamestop: true,
            },
        )
        .await
        .unwrap();
    let expected = Wachttijdmelding {
        weken: Some(0),
        opnamestop: true,
        gemeld_op: Some(now),
    };
    assert_eq!(melding, expected);
    assert_eq!(
        app.eigen_wachttijd(&aanbieder).await.unwrap().melding,
        expected
    );
    let gekozen = keuze().await;
    assert_eq!(
        order(&gekozen),
        [JEUGDHULP_88, JEUGDHULP_11, JEUGDHULP_55],
        "no wait at all, but no new clients either: last"
    );
    assert_eq!(gekozen[2].gemeld, expected);

    for weken in [-1, 105, i64::MAX] {
        let Err(AppError::Fields(fouten)) = app
            .wachttijd_melden(
                &aanbieder,
                &WachttijdInvoer {
                    wachttijd_weken: Some(weken),
                    opnamestop: false,
                },
            )
            .await
        else {
            panic!("{weken} weeks accepted")
        };
        assert_eq!(fouten[0].field, "wachttijd_weken");
        assert_eq!(
            fouten[0].message,
            "Verwachte wachttijd: geef een aantal weken van 0 tot en met 104, of laat het leeg."
        );
    }
    assert_eq!(
        app.eigen_wachttijd(&aanbieder).await.unwrap().melding,
        expected,
        "a refused report changes nothing"
    );
    let cleared = WachttijdInvoer {
        wachttijd_weken: None,
        opnamestop: false,
    };
    assert!(matches!(
        app.wachttijd_melden(&worker, &cleared).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        app.eigen_wachttijd(&worker).await,
        Err(AppError::Forbidden)
    ));
    // An account whose AGB code the region does not know records nothing.
    let onbekend = actor(Role::Aanbieder, "0307", Some("98990999"));
    assert!(matches!(
        app.wachttijd_melden(&onbekend, &cleared).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(
        app.eigen_wachttijd(&onbekend).await.unwrap(),
        EigenWachttijd::default(),
        "and has reported nothing"
    );
    let melding = app.wachttijd_melden(&aanbieder, &cleared).await.unwrap();
    assert_eq!(melding.weken, None, "no estimate");
    assert_eq!(
        order(&keuze().await),
        [JEUGDHULP_88, JEUGDHULP_11, JEUGDHULP_55],
        "without an estimate: after those with one"
    );

    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let records = tx
        .search_audit(&AuditQuery {
            event: Some("wachttijd.melden"),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    drop(tx);
    let seen: Vec<(&str, &str, Option<&str>)> = records
        .iter()
        .map(|r| {
            (
                r.actor.as_str(),
                r.outcome.as_str(),
                r.on_behalf_of.as_deref(),
            )
        })
        .collect();
    // Three first reports (one each), then 98990055's two here; each on
    // behalf of the reporting account's own provider.
    let gelukt: Vec<_> = seen.iter().filter(|(_, o, _)| *o == "gelukt").collect();
    assert_eq!(gelukt.len(), 5, "{seen:?}");
    assert!(
        gelukt
            .iter()
            .all(|(a, _, b)| b.is_some_and(|agb| *a == format!("test.{agb}"))),
        "{seen:?}"
    );
    assert_eq!(
        gelukt
            .iter()
            .filter(|(a, _, _)| *a == aanbieder.user.username)
            .count(),
        3,
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|(a, o, _)| *a == worker.user.username && *o == "geweigerd"),
        "{seen:?}"
    );
    store.close().await;
    app.close().await;
}

/// The directory: every contracted provider by name with its codes; for a code
/// only those contracted for it, by expected wait; by name or place; without
/// an opnamestop; a page at a time; for workers and policy staff, not providers.
async fn the_directory_finds_providers_by_code_place_and_opnamestop(url: &DatabaseUrl) {
    let (app, _) = demo_vier_maanden_later(url).await;
    let worker = actor(Role::Toegangsmedewerker, "0307", None);
    let gids = |zoek: GidsZoek| {
        let app = &app;
        let worker = &worker;
        async move { app.aanbiedergids(worker, &zoek).await.unwrap() }
    };
    let names = |gids: &Gids| -> Vec<String> {
        gids.regels
            .iter()
            .map(|r| r.keuze.aanbieder.name.clone())
            .collect()
    };

    let all = gids(GidsZoek::default()).await;
    assert_eq!(all.totaal, 12, "every demo provider has a contract");
    assert_eq!((all.pagina, all.paginas()), (1, 1));
    let mut sorted = names(&all);
    sorted.sort();
    assert_eq!(names(&all), sorted, "by name without a code");
    let eem = all
        .regels
        .iter()
        .find(|r| r.keuze.aanbieder.agb.as_str() == JEUGDHULP_11)
        .unwrap();
    assert!(eem.codes.iter().any(|c| c.as_str() == "50H12"), "{eem:?}");
    assert!(
        all.regels.iter().all(|r| r.keuze.gemeten.is_none()),
        "a wait is measured per code"
    );

    let soest = gids(GidsZoek {
        zoek: " SOEST ".into(),
        ..GidsZoek::default()
    })
    .await;
    assert_eq!(
        names(&soest),
        ["Jeugdteam Plus", "Kompas Gezinsbegeleiding"],
        "by place, any case"
    );
    let by_name = gids(GidsZoek {
        zoek: "kompas".into(),
        ..GidsZoek::default()
    })
    .await;
    assert_eq!(names(&by_name), ["Kompas Gezinsbegeleiding"]);

    let code = |zonder_opnamestop| GidsZoek {
        code: Some(Productcode::parse("50H12").unwrap()),
        zonder_opnamestop,
        ..GidsZoek::default()
    };
    let agbs = |gids: &Gids| -> Vec<String> {
        gids.regels
            .iter()
            .map(|r| r.keuze.aanbieder.agb.as_str().to_owned())
            .collect()
    };
    // Reported 1 (88), 3 (11) and 5 (55) weeks; nothing measured in the window.
    melden(&app, JEUGDHULP_88, 1).await;
    melden(&app, JEUGDHULP_11, 3).await;
    melden(&app, JEUGDHULP_55, 5).await;
    assert_eq!(
        agbs(&gids(code(false)).await),
        [JEUGDHULP_88, JEUGDHULP_11, JEUGDHULP_55]
    );
    app.wachttijd_melden(
        &actor(Role::Aanbieder, "0307", Some(JEUGDHULP_88)),
        &WachttijdInvoer {
            wachttijd_weken: Some(1),
            opnamestop: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        agbs(&gids(code(false)).await),
        [JEUGDHULP_11, JEUGDHULP_55, JEUGDHULP_88],
        "an opnamestop last"
    );
    assert_eq!(
        agbs(&gids(code(true)).await),
        [JEUGDHULP_11, JEUGDHULP_55],
        "and left out when asked"
    );

    let second = gids(GidsZoek {
        pagina: 2,
        ..GidsZoek::default()
    })
    .await;
    assert!(second.regels.is_empty(), "12 providers fit on one page");
    assert_eq!((second.totaal, second.pagina), (12, 2));

    let Err(AppError::Fields(fouten)) = app
        .aanbiedergids(
            &worker,
            &GidsZoek {
                zoek: "x".repeat(101),
                ..GidsZoek::default()
            },
        )
        .await
    else {
        panic!("a search of 101 characters")
    };
    assert_eq!(fouten[0].field, "zoek");
    let beleid = actor(Role::Beleidsmedewerker, "0307", None);
    assert_eq!(
        app.aanbiedergids(&beleid, &GidsZoek::default())
            .await
            .unwrap()
            .totaal,
        12
    );
    let aanbieder = actor(Role::Aanbieder, "0307", Some(JEUGDHULP_11));
    assert!(matches!(
        app.aanbiedergids(&aanbieder, &GidsZoek::default()).await,
        Err(AppError::Forbidden)
    ));
    app.close().await;
}

/// The demo states no waiting time: it measures them from its own trail. Its
/// providers worked the allocations of the last four months, so the window
/// holds real starts and intakes for most of them; the waits are what that
/// work took (days, not the year an untouched allocation would wait); older
/// allocations wait in the demo provider's worklist.
async fn the_demo_measures_its_waits_and_states_none(url: &DatabaseUrl) {
    let now: DateTime<Utc> = "2026-11-16T09:30:00Z".parse().unwrap();
    let app = App::open(url).await.unwrap().with_clock(Clock::at(now));
    app.load_demo().await.unwrap();
    let agbs = [
        "98990011", "98990022", "98990033", "98990044", "98990055", "98990066", "98990077",
        "98990088", "98990099", "98990100", "98990111", "98990122",
    ];
    let (mut starts, mut intakes) = (0, 0);
    for agb in agbs {
        let eigen = app
            .eigen_wachttijd(&actor(Role::Aanbieder, "0307", Some(agb)))
            .await
            .unwrap();
        assert_eq!(
            eigen.melding,
            Wachttijdmelding::default(),
            "{agb} reported nothing"
        );
        assert!(!eigen.gemeten.is_empty(), "{agb} started care: {eigen:?}");
        // A start follows the toewijzing within weeks: the intake is planned at
        // most 27 days after the match, the start at most a week after it.
        for (code, w) in eigen.gemeten.iter().chain(&eigen.gemeten_intake) {
            assert!(
                (0..=45).contains(&w.mediaan_dagen) && w.p80_dagen <= 45,
                "{agb} {code}: {w:?}"
            );
        }
        starts += eigen.gemeten.iter().map(|(_, w)| w.aantal).sum::<usize>();
        intakes += (eigen.gemeten_intake.iter())
            .map(|(_, w)| w.aantal)
            .sum::<usize>();
    }
    assert!(
        starts >= 12 && intakes >= 12,
        "{starts} starts, {intakes} intakes"
    );
    // The demo provider still has older allocations to answer.
    let werk = app
        .toewijzingen(&actor(Role::Aanbieder, "0307", Some(JEUGDHULP_11)))
        .await
        .unwrap();
    assert!(werk.toewijzingen.iter().any(|w| !w.line.gereageerd));
    assert!(werk.toewijzingen.iter().any(|w| w.line.gestart));
    app.close().await;
}

jeugdroute_store::backend_tests!(
    the_demo_measures_its_waits_and_states_none,
    waits_are_measured_from_toewijzing_to_start,
    waits_are_measured_from_match_to_intake,
    a_provider_reports_its_wait_and_opnamestop,
    the_directory_finds_providers_by_code_place_and_opnamestop
);
