//! The use cases of the application layer, on SQLite always and on PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::collections::BTreeSet;

use jeugdroute_app::{App, AppError, DEMO_PASSWORD, DemoRegio, default_catalogue, parse_catalogue};
use jeugdroute_domain::Role;
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{DatabaseUrl, Store};

#[test]
fn the_demo_region_is_regio_amersfoort_with_contracts_for_every_arrangement_code() {
    let demo = DemoRegio::embedded(&default_catalogue().unwrap()).unwrap();
    assert_eq!(demo.regio.name, "Regio Amersfoort");
    let gemeenten: Vec<String> = demo
        .gemeenten
        .iter()
        .map(|g| format!("{} {}", g.name, g.code))
        .collect();
    assert_eq!(
        gemeenten,
        [
            "Amersfoort 0307",
            "Baarn 0308",
            "Bunschoten 0313",
            "Eemnes 0317",
            "Leusden 0327",
            "Soest 0342",
            "Woudenberg 0351"
        ]
    );
    assert!(demo.aanbieders.len() >= 12);
    // Seed 002, step 5: arrangement 1-9 x intensity 1-5 gives the codes 50H11 … 50H95.
    let contracted: BTreeSet<&str> = demo
        .contracten
        .iter()
        .map(|c| c.productcode.as_str())
        .collect();
    for arrangement in 1..=9 {
        for intensiteit in 1..=5 {
            let code = format!("50H{arrangement}{intensiteit}");
            assert!(contracted.contains(code.as_str()), "no contract for {code}");
        }
    }
    let bsns: BTreeSet<&str> = demo
        .gezinnen
        .iter()
        .flat_map(|(_, j)| j.iter().map(|k| k.bsn.as_str()))
        .collect();
    assert!(
        bsns.iter().all(|b| b.starts_with("99999")),
        "demo BSNs must be test numbers"
    );
    assert_eq!(
        bsns.len(),
        demo.gezinnen.iter().map(|(_, j)| j.len()).sum::<usize>(),
        "BSNs are unique"
    );
    let accounts: Vec<(&str, Role)> = demo
        .accounts
        .iter()
        .map(|a| (a.user.username.as_str(), a.user.role))
        .collect();
    assert_eq!(
        accounts,
        [
            ("medewerker.amersfoort", Role::Toegangsmedewerker),
            ("medewerker.soest", Role::Toegangsmedewerker),
            ("gi.medewerker", Role::GiMedewerker),
            ("aanbieder.demo", Role::Aanbieder),
            ("beleid", Role::Beleidsmedewerker),
            ("beheer", Role::Beheerder),
        ]
    );
}

#[test]
fn contracts_take_their_tariff_from_the_catalogue() {
    let catalogue = default_catalogue().unwrap();
    let demo = DemoRegio::embedded(&catalogue).unwrap();
    for contract in &demo.contracten {
        assert_eq!(
            Some(contract.tariff_cents),
            catalogue.tariff_cents(&contract.productcode)
        );
    }
}

#[test]
fn a_region_can_bring_its_own_catalogue_and_a_broken_one_is_refused_whole() {
    let own = jeugdroute_domain::DEFAULT_CATALOGUE
        .replacen(
            "version = \"7-stappenplan-2018\"",
            "version = \"regio-eemland-2027\"",
            1,
        )
        .replacen("behandeling_hours = 75", "behandeling_hours = 80", 1);
    let catalogue = parse_catalogue(&own).unwrap();
    assert_eq!(catalogue.version, "regio-eemland-2027");
    assert_eq!(catalogue.segment3.behandeling.hundredths(), 8_000);
    let Err(AppError::Invalid(message)) = parse_catalogue("version = ") else {
        panic!("a syntax error must be refused")
    };
    assert!(message.starts_with("catalogus: "), "{message}");
    let broken = own.replacen("name = \"Licht\"", "name = \"Licht\"\nkleur = \"groen\"", 1);
    let Err(AppError::Invalid(message)) = parse_catalogue(&broken) else {
        panic!("unknown fields must be refused")
    };
    assert!(message.contains("kleur"), "{message}");
}

fn invalid(text: &str) -> String {
    match DemoRegio::parse(text, &default_catalogue().unwrap()) {
        Err(AppError::Invalid(message)) => message,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_broken_region_file_is_refused_naming_the_field() {
    let good = include_str!("../demo/regio-amersfoort.toml");
    let bsn = good.replacen("bsn = \"999990214\"", "bsn = \"999990215\"", 1);
    assert!(
        invalid(&bsn).starts_with("gezin[0].jeugdige[0].bsn: Dit BSN klopt niet"),
        "{}",
        invalid(&bsn)
    );
    let gemeente = good.replacen("gemeente = \"0351\"", "gemeente = \"0363\"", 1);
    assert_eq!(
        invalid(&gemeente),
        "gezin[6].gemeente: gemeente 0363 hoort niet bij de regio"
    );
    let tariff = good.replacen("\"50H91\", \"50H92\"", "\"50H91\", \"50H99\"", 1);
    assert_eq!(
        invalid(&tariff),
        "aanbieder[8].products[1]: geen tarief voor 50H99 in catalogus 7-stappenplan-2018"
    );
    let unknown = good.replacen("[regio]", "[regio]\nkleur = \"blauw\"", 1);
    assert!(invalid(&unknown).contains("kleur"), "{}", invalid(&unknown));
    assert!(invalid("geen toml [").starts_with("regiobestand: "));
}

async fn demo_loads_once_and_signs_in(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    let first = app.load_demo().await.unwrap();
    assert_eq!((first.gemeenten, first.accounts), (7, 6));
    assert!(first.aanbieders >= 12 && first.jeugdigen > 0 && first.contracten >= 45);
    let before = app.row_counts().await.unwrap();

    let second = app.load_demo().await.unwrap();
    assert!(second.is_empty(), "{second:?}");
    assert_eq!(
        app.row_counts().await.unwrap(),
        before,
        "a second load must change nothing"
    );
    let audit = before.iter().find(|(t, _)| *t == "audit_log").unwrap().1;
    assert_eq!(
        audit, first.jeugdigen as i64,
        "every youth created is audit-logged"
    );

    let overview = app.regio_overview().await.unwrap().unwrap();
    assert_eq!(overview.gemeenten.len(), 7);
    assert_eq!(overview.aanbieder_count, first.aanbieders);

    let worker = app
        .sign_in("medewerker.amersfoort", DEMO_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(worker.role, Role::Toegangsmedewerker);
    assert_eq!(
        worker
            .gemeenten
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>(),
        ["0307"]
    );
    let aanbieder = app
        .sign_in("aanbieder.demo", DEMO_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        aanbieder.aanbieder.map(|a| a.to_string()).as_deref(),
        Some("98990011")
    );
    assert!(
        app.sign_in("medewerker.amersfoort", "Demo")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.sign_in("onbekend", DEMO_PASSWORD)
            .await
            .unwrap()
            .is_none()
    );
    app.close().await;
}

jeugdroute_store::backend_tests!(demo_loads_once_and_signs_in);

#[tokio::test]
async fn an_empty_database_has_no_region_and_a_closed_one_is_not_ready() {
    let db = TestDatabase::sqlite();
    let app = App::open(&db.url).await.unwrap();
    assert!(app.regio_overview().await.unwrap().is_none());
    app.ready().await.unwrap();
    app.close().await;
    assert!(app.ready().await.is_err());
    // The store itself stays usable for a fresh connection.
    Store::connect(&db.url).await.unwrap().ping().await.unwrap();
}
