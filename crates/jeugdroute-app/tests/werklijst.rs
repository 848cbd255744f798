//! The worklist in pages: every case once across the pages while cases are
//! added, every filter answered by the database exactly as the signal and the
//! phase say, and a name search with the same answer on both backends.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_app::{
    Actor, App, AppError, Clock, NieuweMelding, NieuweOuder, WerkvoorraadFilter, WerkvoorraadRegel,
};
use jeugdroute_domain::{AgbCode, Bsn, Fase, Gemeentecode, Urgentie, amsterdam_today};
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{CasusFilter, DatabaseUrl, PAGINA_MAX, Store};
use support::signed_in;

/// The demo's "now": its cases lie in the eighteen months before.
fn demo_now() -> DateTime<Utc> {
    "2026-11-16T09:30:00Z".parse().unwrap()
}

async fn demo(url: &DatabaseUrl) -> App {
    let app = App::open(url)
        .await
        .unwrap()
        .with_clock(Clock::at(demo_now()));
    app.load_demo().await.unwrap();
    app
}

fn melding(bsn: &str, voornamen: &str, achternaam: &str) -> NieuweMelding {
    NieuweMelding {
        bsn: bsn.into(),
        voornamen: voornamen.into(),
        achternaam: achternaam.into(),
        geboortedatum: "2014-05-21".into(),
        gemeente: "0307".into(),
        straat: "Stationsplein".into(),
        huisnummer: "3".into(),
        postcode: "3818le".into(),
        woonplaats: "Amersfoort".into(),
        vindplaats: "school".into(),
        verwijzer: "02".into(),
        verwijzer_naam: "Huisartsenpraktijk Eemland".into(),
        urgentie: "regulier".into(),
        vraag: "Wil niet naar school.".into(),
        geslacht: "vrouw".into(),
        ouders: vec![NieuweOuder {
            naam: "Eva".into(),
            telefoon: "06 12345678".into(),
            email: String::new(),
            gezag: true,
        }],
        ..NieuweMelding::default()
    }
}

/// Every line of a worklist, page after page, with the size of each page.
async fn pages(
    app: &App,
    actor: &Actor,
    zoek: Option<&str>,
    filter: &WerkvoorraadFilter,
    today: NaiveDate,
) -> (Vec<WerkvoorraadRegel>, Vec<usize>) {
    let (mut regels, mut sizes, mut voor) = (Vec::new(), Vec::new(), None);
    loop {
        let page = app
            .werkvoorraad(actor, zoek, filter, voor, today)
            .await
            .unwrap();
        sizes.push(page.regels.len());
        regels.extend(page.regels);
        match page.volgende {
            Some(v) => voor = Some(v),
            None => return (regels, sizes),
        }
    }
}

fn ids(regels: &[WerkvoorraadRegel]) -> Vec<i64> {
    regels.iter().map(|r| r.casus.id).collect()
}

async fn count(url: &DatabaseUrl, sql: &str) -> usize {
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let n = tx
        .scalar_text_raw(&format!("SELECT CAST(COUNT(*) AS TEXT) {sql}"))
        .await
        .unwrap()
        .parse()
        .unwrap();
    drop(tx);
    store.close().await;
    n
}

/// Paging through the worklist of a worker with a case added halfway: every
/// case of the worker's gemeenten that was there at the start comes exactly
/// once, newest first, in pages of fifty; the new case is not slipped into a
/// later page (it heads a fresh first page), and nothing repeats.
async fn every_case_once_across_pages_while_cases_are_added(url: &DatabaseUrl) {
    let app = demo(url).await;
    let today = amsterdam_today(demo_now());
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let gemeenten: Vec<String> = worker
        .user
        .gemeenten
        .iter()
        .map(|g| format!("'{}'", g.as_str()))
        .collect();
    let there = count(
        url,
        &format!(
            "FROM casus WHERE gemeente_code IN ({})",
            gemeenten.join(", ")
        ),
    )
    .await;
    assert!(
        there > 2 * PAGINA_MAX as usize,
        "{there} cases: several pages"
    );

    let alle = WerkvoorraadFilter::default();
    let first = app
        .werkvoorraad(&worker, None, &alle, None, today)
        .await
        .unwrap();
    assert_eq!(first.regels.len(), PAGINA_MAX as usize);
    let added = app
        .nieuwe_melding(&worker, &melding("999990342", "Noor", "de Vries"))
        .await
        .unwrap();
    let mut seen = ids(&first.regels);
    let mut voor = first.volgende;
    while let Some(cursor) = voor {
        let page = app
            .werkvoorraad(&worker, None, &alle, Some(cursor), today)
            .await
            .unwrap();
        assert!(page.regels.len() <= PAGINA_MAX as usize);
        seen.extend(ids(&page.regels));
        voor = page.volgende;
    }
    assert_eq!(seen.len(), there, "every case that was there, once");
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeat"
    );
    assert!(!seen.contains(&added));
    let fresh = app
        .werkvoorraad(&worker, None, &alle, None, today)
        .await
        .unwrap();
    assert_eq!(fresh.regels[0].casus.id, added);
    app.close().await;
}

/// The database narrows the list exactly as the domain would: paging through
/// a filter gives the lines of the whole list that the filter keeps — the
/// intake signal (asked of the database as a match day), the phase and the
/// urgency — in the same order. Before paging by the database, "only with a
/// signal" was applied after a cut at 200 lines and showed nothing.
async fn every_filter_is_the_whole_list_narrowed(url: &DatabaseUrl) {
    let app = demo(url).await;
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    // Two moments: the demo's now, and a month later when more intakes are late.
    for today in [
        amsterdam_today(demo_now()),
        amsterdam_today(demo_now()) + chrono::Days::new(30),
    ] {
        let (all, _) = pages(&app, &worker, None, &WerkvoorraadFilter::default(), today).await;
        let narrowed = |keep: &dyn Fn(&WerkvoorraadRegel) -> bool| {
            all.iter()
                .filter(|r| keep(r))
                .map(|r| r.casus.id)
                .collect::<Vec<_>>()
        };
        let signaal = WerkvoorraadFilter {
            alleen_signaal: true,
            ..WerkvoorraadFilter::default()
        };
        let (flagged, _) = pages(&app, &worker, None, &signaal, today).await;
        let expected = narrowed(&|r| r.signaal.is_some_and(|s| s.flagged()));
        assert!(!expected.is_empty(), "the demo has late intakes");
        assert_eq!(ids(&flagged), expected, "signal on {today}");
        for fase in [Fase::Melding, Fase::Toewijzing, Fase::Uitvoering] {
            let filter = WerkvoorraadFilter {
                fase: Some(fase),
                ..WerkvoorraadFilter::default()
            };
            let (lines, _) = pages(&app, &worker, None, &filter, today).await;
            assert_eq!(
                ids(&lines),
                narrowed(&|r| r.casus.phase == fase),
                "{fase:?}"
            );
        }
        let urgent = WerkvoorraadFilter {
            urgentie: Some(Urgentie::Crisis),
            fase: Some(Fase::Afgesloten),
            ..WerkvoorraadFilter::default()
        };
        let (lines, _) = pages(&app, &worker, None, &urgent, today).await;
        assert_eq!(
            ids(&lines),
            narrowed(&|r| r.casus.melding.urgentie == Urgentie::Crisis
                && r.casus.phase == Fase::Afgesloten)
        );
    }
    app.close().await;
}

/// A search by part of a name needs three characters (a trigram index finds
/// nothing shorter without reading every youth) and says so on the field.
async fn a_name_search_needs_three_characters(url: &DatabaseUrl) {
    let app = demo(url).await;
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let today = amsterdam_today(demo_now());
    let alle = WerkvoorraadFilter::default();
    for kort in ["a", " de ", "%_"] {
        match app
            .werkvoorraad(&worker, Some(kort), &alle, None, today)
            .await
        {
            Err(AppError::Fields(f)) => assert_eq!(f[0].field, "zoek", "{kort}"),
            other => panic!("{kort}: {other:?}"),
        }
    }
    app.close().await;
}

jeugdroute_store::backend_tests!(
    every_case_once_across_pages_while_cases_are_added,
    every_filter_is_the_whole_list_narrowed,
    a_name_search_needs_three_characters
);

/// The searches a worker makes, each with its answer (case ids, page after page).
async fn searches(url: &DatabaseUrl) -> Vec<(&'static str, Vec<i64>)> {
    let app = demo(url).await;
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let today = amsterdam_today(demo_now());
    for (bsn, voornamen, achternaam) in [
        ("999990342", "Émile", "Özdemir"),
        ("999990354", "Noor", "de Vries-Çelik"),
        ("999990366", "ZOË", "van den Berg-Ünal"),
    ] {
        app.nieuwe_melding(&worker, &melding(bsn, voornamen, achternaam))
            .await
            .unwrap();
    }
    let mut answers = Vec::new();
    for zoek in [
        "özdemir",
        "ÖZDE",
        "émile",
        "çelik",
        "zoë",
        "ünal",
        "BERG-Ü",
        "de v",
        "van",
        "jan",
        "100%",
        "999990342",
        "999990343",
    ] {
        let (lines, _) = pages(
            &app,
            &worker,
            Some(zoek),
            &WerkvoorraadFilter::default(),
            today,
        )
        .await;
        answers.push((zoek, ids(&lines)));
    }
    app.close().await;
    answers
}

/// A name search gives the same cases on SQLite (FTS5 trigram index) and
/// PostgreSQL (pg_trgm), letters with diacritics and capitals included,
/// and the answers are the ones a reader expects.
#[tokio::test]
async fn a_name_search_finds_the_same_cases_on_both_backends() {
    let sqlite = TestDatabase::sqlite();
    let on_sqlite = searches(&sqlite.url).await;
    let found = |zoek: &str| {
        on_sqlite
            .iter()
            .find(|(z, _)| *z == zoek)
            .map(|(_, ids)| ids.len())
            .unwrap()
    };
    for zoek in [
        "özdemir",
        "ÖZDE",
        "émile",
        "çelik",
        "ünal",
        "BERG-Ü",
        "999990342",
    ] {
        assert_eq!(found(zoek), 1, "{zoek}");
    }
    assert!(found("zoë") > 1, "the demo's Zoës and ours");
    assert_eq!(found("100%"), 0);
    assert_eq!(found("999990343"), 0, "not a valid BSN: searched as a name");
    assert!(found("van") > 5, "every youth whose name has it");
    let distinct: BTreeSet<usize> = on_sqlite.iter().map(|(_, ids)| ids.len()).collect();
    assert!(distinct.len() > 3, "{on_sqlite:?}");
    let Some(postgres) = TestDatabase::postgres().await else {
        return;
    };
    assert_eq!(searches(&postgres.url).await, on_sqlite);
    postgres.drop_database().await.unwrap();
}

const ALFABET: &str = "abcdefghijklmnopqrstuvwxyz";
const NAAMLETTERS: u32 = 6;
const NAAMFACTOR: i64 = 7919;

/// The synthetic first name of youth `i` (see [`veel_casussen`]).
fn naam(i: i64) -> String {
    (0..NAAMLETTERS)
        .map(|k| {
            let at = (i * NAAMFACTOR / 26_i64.pow(k)) % 26;
            char::from(ALFABET.as_bytes()[usize::try_from(at).unwrap()])
        })
        .collect()
}

/// Adds `n` synthetic cases (ids from a million up, past the demo's) in the
/// demo region: most in Amersfoort, every phase and urgency, a match for the
/// cases that can wait for an intake; then refreshes the planner's statistics.
async fn veel_casussen(url: &DatabaseUrl, n: usize) {
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let gemeente = "CASE WHEN i % 10 < 7 THEN '0307' WHEN i % 10 = 7 THEN '0342' ELSE '0351' END";
    let phases: Vec<String> = Fase::ALL
        .iter()
        .enumerate()
        .map(|(k, f)| format!("WHEN {k} THEN '{}'", f.key()))
        .collect();
    let phase = format!("CASE i % {} {} END", Fase::ALL.len(), phases.join(" "));
    let awaited: Vec<String> = Fase::ALL
        .iter()
        .filter(|f| jeugdroute_domain::IntakeDeadline::can_be_awaited(**f))
        .map(|f| format!("'{}'", f.key()))
        .collect();
    let awaited = awaited.join(", ");
    // Names as varied as real ones (their trigrams spread like a register's),
    // so that the planner weighs the name index as it would at scale.
    let letters: Vec<String> = (0..NAAMLETTERS)
        .map(|k| {
            format!(
                "substr('{ALFABET}', CAST((CAST(i AS BIGINT) * {NAAMFACTOR} / {}) % 26 AS INTEGER) + 1, 1)",
                26_i64.pow(k)
            )
        })
        .collect();
    let naam = letters.join(" || ");
    let rows = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1000000 UNION ALL SELECT i + 1 FROM n WHERE i < {}) ",
        1_000_000 + n - 1
    );
    for sql in [
        format!(
            "{rows}INSERT INTO gezin (id, surname, street, house_number, postcode, city, gemeente_code) \
         SELECT i, 'Achternaam', 'Straat', CAST(i AS TEXT), '3811AA', 'Amersfoort', {gemeente} FROM n"
        ),
        format!(
            "{rows}INSERT INTO jeugdige (id, gezin_id, bsn, first_names, surname, birth_date, gemeente_code, zoeknaam) \
         SELECT i, i, CAST(i + 100000000 AS TEXT), {naam}, 'Achternaam', '2015-01-01', {gemeente}, \
         {naam} || ' achternaam' FROM n"
        ),
        format!(
            "{rows}INSERT INTO casus (id, jeugdige_id, gemeente_code, phase, urgentie, created_at, updated_at) \
         SELECT i, i, {gemeente}, {phase}, CASE WHEN i % 50 = 0 THEN 'crisis' WHEN i % 10 = 1 THEN 'urgent' \
         ELSE 'regulier' END, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z' FROM n"
        ),
        format!(
            "INSERT INTO match_intake (casus_id, aanbieder_agb, gekozen_door, match_date, intake_date, start_date, end_date) \
         SELECT id, '98990011', 'gezin', '2025-01-01', '2025-01-10', '2025-01-10', '2025-12-31' FROM casus \
         WHERE id >= 1000000 AND phase IN ({awaited})"
        ),
        "ANALYZE".to_owned(),
    ] {
        tx.execute_raw(&sql).await.unwrap();
    }
    if matches!(url, DatabaseUrl::Postgres(_)) {
        // What autovacuum does soon after a bulk insert: move the name index's
        // pending entries (GIN fastupdate) into the index proper, without which
        // the planner prices the index as a scan of the pending list.
        tx.execute_raw("SELECT gin_clean_pending_list('jeugdige_zoeknaam'::regclass)")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    store.close().await;
}

/// Every worklist query is answered from its indexes on both backends: with
/// twenty thousand cases and fresh statistics, no plan reads all of `casus`,
/// `jeugdige` or `audit_log` (SQLite: no `SCAN` of them; PostgreSQL: no `Seq
/// Scan` on them), for every filter, the search by BSN and by name, and a
/// later page.
async fn every_worklist_query_uses_its_indexes(url: &DatabaseUrl) {
    let app = demo(url).await;
    app.close().await;
    veel_casussen(url, 20_000).await;
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let regio: Vec<Gemeentecode> = ["0307", "0308", "0313", "0317", "0327", "0342", "0351"]
        .iter()
        .map(|g| Gemeentecode::parse(g).unwrap())
        .collect();
    let (bsn, gi) = (
        Bsn::parse("999990342").unwrap(),
        AgbCode::parse("98991001").unwrap(),
    );
    let searched = naam(1_001_234);
    let awaited: Vec<Fase> = Fase::ALL
        .into_iter()
        .filter(|f| jeugdroute_domain::IntakeDeadline::can_be_awaited(*f))
        .collect();
    let all = CasusFilter {
        gemeenten: &regio,
        limit: PAGINA_MAX + 1,
        ..CasusFilter::default()
    };
    let shapes = [
        ("alle", all),
        (
            "één gemeente",
            CasusFilter {
                gemeenten: &regio[..1],
                ..all
            },
        ),
        (
            "volgende pagina",
            CasusFilter {
                before: Some(1_010_000),
                ..all
            },
        ),
        (
            "stap",
            CasusFilter {
                phases: Some(&[Fase::Toewijzing]),
                ..all
            },
        ),
        (
            "urgentie",
            CasusFilter {
                urgentie: Some(Urgentie::Crisis),
                ..all
            },
        ),
        (
            "signaal",
            CasusFilter {
                phases: Some(&awaited),
                matched_by: NaiveDate::from_ymd_opt(2025, 6, 1),
                ..all
            },
        ),
        (
            "gi",
            CasusFilter {
                gi: Some(&gi),
                ..all
            },
        ),
        (
            "bsn",
            CasusFilter {
                bsn: Some(&bsn),
                ..all
            },
        ),
        (
            "naam",
            CasusFilter {
                name: Some(&searched),
                ..all
            },
        ),
    ];
    for (shape, filter) in shapes {
        let plan = tx.werklijst_plan(&filter).await.unwrap();
        assert!(!plan.is_empty(), "{shape}");
        for step in &plan {
            let step = step.trim_start_matches([' ', '-', '>']);
            assert!(
                !step.ends_with("VIRTUAL TABLE INDEX 0:"),
                "{shape}: the whole name index read:\n{}",
                plan.join("\n")
            );
            for table in ["casus", "jeugdige", "audit_log", "c", "j"] {
                assert!(
                    step != format!("SCAN {table}")
                        && !step.starts_with(&format!("SCAN {table} "))
                        && !step.starts_with(&format!("Seq Scan on {table} ")),
                    "{shape}: a full scan of {table}:\n{}",
                    plan.join("\n")
                );
            }
        }
        let lines = tx.casussen(&filter).await.unwrap();
        assert!(lines.len() <= PAGINA_MAX as usize + 1, "{shape}");
    }
    let named = CasusFilter {
        name: Some(&searched),
        ..all
    };
    let found: Vec<i64> = tx
        .casussen(&named)
        .await
        .unwrap()
        .iter()
        .map(|l| l.casus.id)
        .collect();
    assert_eq!(found, [1_001_234], "{searched}");
    drop(tx);
    store.close().await;
}

jeugdroute_store::backend_tests!(every_worklist_query_uses_its_indexes);
