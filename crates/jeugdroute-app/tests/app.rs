//! The use cases of the application layer, on SQLite always and on PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "tests fail loudly")]

use std::collections::BTreeSet;

use jeugdroute_app::{App, AppError, DEMO_WACHTWOORD, DemoRegio};
use jeugdroute_domain::Rol;
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{DatabaseUrl, Store};

#[test]
fn the_demo_region_is_regio_amersfoort_with_contracts_for_every_arrangement_code() {
    let demo = DemoRegio::ingebouwd().unwrap();
    assert_eq!(demo.regio.naam, "Regio Amersfoort");
    let gemeenten: Vec<String> = demo
        .gemeenten
        .iter()
        .map(|g| format!("{} {}", g.naam, g.code))
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
    let gecontracteerd: BTreeSet<&str> = demo
        .contracten
        .iter()
        .map(|c| c.productcode.as_str())
        .collect();
    for arrangement in 1..=9 {
        for intensiteit in 1..=5 {
            let code = format!("50H{arrangement}{intensiteit}");
            assert!(
                gecontracteerd.contains(code.as_str()),
                "no contract for {code}"
            );
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
    let accounts: Vec<(&str, Rol)> = demo
        .accounts
        .iter()
        .map(|a| (a.gebruiker.gebruikersnaam.as_str(), a.gebruiker.rol))
        .collect();
    assert_eq!(
        accounts,
        [
            ("medewerker.amersfoort", Rol::Toegangsmedewerker),
            ("medewerker.soest", Rol::Toegangsmedewerker),
            ("gi.medewerker", Rol::GiMedewerker),
            ("aanbieder.demo", Rol::Aanbieder),
            ("beleid", Rol::Beleidsmedewerker),
            ("beheer", Rol::Beheerder),
        ]
    );
}

fn invalid(tekst: &str) -> String {
    match DemoRegio::lees(tekst) {
        Err(AppError::Invalid(melding)) => melding,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_broken_region_file_is_refused_naming_the_field() {
    let goed = include_str!("../demo/regio-amersfoort.toml");
    let bsn = goed.replacen("bsn = \"999990214\"", "bsn = \"999990215\"", 1);
    assert!(
        invalid(&bsn).starts_with("gezin[0].jeugdige[0].bsn: Dit BSN klopt niet"),
        "{}",
        invalid(&bsn)
    );
    let gemeente = goed.replacen("gemeente = \"0351\"", "gemeente = \"0363\"", 1);
    assert_eq!(
        invalid(&gemeente),
        "gezin[6].gemeente: gemeente 0363 hoort niet bij de regio"
    );
    let tarief = goed.replacen("\"50H95\" = ", "\"50H99\" = ", 1);
    assert_eq!(
        invalid(&tarief),
        "aanbieder[8].producten[4]: geen tarief voor 50H95 in [tarieven]"
    );
    let onbekend = goed.replacen("[regio]", "[regio]\nkleur = \"blauw\"", 1);
    assert!(
        invalid(&onbekend).contains("kleur"),
        "{}",
        invalid(&onbekend)
    );
    assert!(invalid("geen toml [").starts_with("regiobestand: "));
}

async fn demo_loads_once_and_signs_in(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    let eerste = app.laad_demo().await.unwrap();
    assert_eq!((eerste.gemeenten, eerste.accounts), (7, 6));
    assert!(eerste.aanbieders >= 12 && eerste.jeugdigen > 0 && eerste.contracten >= 45);
    let voor = app.tellingen().await.unwrap();

    let tweede = app.laad_demo().await.unwrap();
    assert!(tweede.niets_toegevoegd(), "{tweede:?}");
    assert_eq!(
        app.tellingen().await.unwrap(),
        voor,
        "a second load must change nothing"
    );
    let audit = voor.iter().find(|(t, _)| *t == "audit_log").unwrap().1;
    assert_eq!(
        audit, eerste.jeugdigen as i64,
        "every youth created is audit-logged"
    );

    let overzicht = app.regio_overzicht().await.unwrap().unwrap();
    assert_eq!(overzicht.gemeenten.len(), 7);
    assert_eq!(overzicht.aantal_aanbieders, eerste.aanbieders);

    let medewerker = app
        .aanmelden("medewerker.amersfoort", DEMO_WACHTWOORD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(medewerker.rol, Rol::Toegangsmedewerker);
    assert_eq!(
        medewerker
            .gemeenten
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>(),
        ["0307"]
    );
    let aanbieder = app
        .aanmelden("aanbieder.demo", DEMO_WACHTWOORD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        aanbieder.aanbieder.map(|a| a.to_string()).as_deref(),
        Some("98990011")
    );
    assert!(
        app.aanmelden("medewerker.amersfoort", "Demo")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.aanmelden("onbekend", DEMO_WACHTWOORD)
            .await
            .unwrap()
            .is_none()
    );
    app.sluiten().await;
}

#[tokio::test]
async fn demo_on_sqlite() {
    let db = TestDatabase::sqlite();
    demo_loads_once_and_signs_in(&db.url).await;
}

#[tokio::test]
async fn demo_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    demo_loads_once_and_signs_in(&db.url).await;
    db.drop_database().await.unwrap();
}

#[tokio::test]
async fn an_empty_database_has_no_region_and_a_closed_one_is_not_ready() {
    let db = TestDatabase::sqlite();
    let app = App::open(&db.url).await.unwrap();
    assert!(app.regio_overzicht().await.unwrap().is_none());
    app.gereed().await.unwrap();
    app.sluiten().await;
    assert!(app.gereed().await.is_err());
    // The store itself stays usable for a fresh connection.
    Store::connect(&db.url).await.unwrap().ping().await.unwrap();
}
