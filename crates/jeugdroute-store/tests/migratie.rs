//! A database made by an earlier version keeps its data: a case file stored as
//! one JSON document (migrations up to 0006) moves into typed rows (0007) on
//! both backends.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use chrono::NaiveDate;
use jeugdroute_domain::{
    AgbCode, Behoefte, Bemiddeling, BeschikkingInfo, GekozenDoor, Gezinsanalyse, Intensiteit,
    Leefgebied, MatchEnIntake, Opvoedsituatie, Plan, PlanResultaat, Productcode, Regie,
    Vraagverheldering,
};
use jeugdroute_store::{DatabaseUrl, Store};

const OLD_DOSSIER: &str = r#"{"vraagverheldering":{"opvoedsituatie":"nood","leefgebieden":["opvoeding","opleiding"],"netwerk":"Oma","vraag":"Ruzie thuis"},"gezinsanalyse":{"behoefte":"b","vrij_toegankelijk":"Cursus"},"plan":{"regie":"gezin","familiegroepsplan":true,"resultaten":[{"leefgebied":"opleiding","omschrijving":"Naar school"},{"leefgebied":"opvoeding","omschrijving":"Rust thuis"}]},"bemiddeling":{"arrangement":2,"arrangement_name":"Opvoeding","intensiteit":"midden","productcode":"50H22","reasons":["eerste","tweede"],"catalogue_version":"v1"},"match_en_intake":{"aanbieder":"98990011","aanbieder_name":"De Eem","match_date":"2026-02-02","intake_date":"2026-02-16"},"beschikking":{"kenmerk":"JR-0307-1","decided_on":"2026-02-02","start_date":"2026-02-16","end_date":"2026-12-31"}}"#;

const OLD_DATA: [&str; 6] = [
    "INSERT INTO regio (code, name) VALUES ('r', 'Regio')",
    "INSERT INTO gemeente (cbs_code, name, regio_code) VALUES ('0307', 'Amersfoort', 'r')",
    "INSERT INTO aanbieder (agb_code, name, city) VALUES ('98990011', 'De Eem', 'Amersfoort')",
    "INSERT INTO gezin (id, surname, street, house_number, postcode, city, gemeente_code) \
     VALUES (1, 'Jansen', 'Kamp', '1', '3811 AA', 'Amersfoort', '0307')",
    "INSERT INTO jeugdige (id, gezin_id, bsn, first_names, surname, birth_date, gemeente_code) \
     VALUES (1, 1, '999990019', 'Sam', 'Jansen', '2015-03-02', '0307')",
    "INSERT INTO casus (id, jeugdige_id, gemeente_code, phase, created_at, updated_at) \
     VALUES (1, 1, '0307', 'beschikking', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')",
];

/// The decision letter row; a blob literal is written differently per backend.
fn old_beschikking(url: &DatabaseUrl) -> String {
    let pdf = match url {
        DatabaseUrl::Sqlite(_) => "X'25504446'",
        DatabaseUrl::Postgres(_) => "'\\x25504446'::bytea",
    };
    format!(
        "INSERT INTO beschikking (casus_id, kenmerk, decided_on, pdf, created_at) \
         VALUES (1, 'JR-0307-1', '2026-02-02', {pdf}, '2026-02-02T10:00:00Z')"
    )
}

/// Runs the migrations before 0007 only, from a copy of their files.
async fn migrate_before_0007(url: &DatabaseUrl) {
    let backend = match url {
        DatabaseUrl::Sqlite(_) => "sqlite",
        DatabaseUrl::Postgres(_) => "postgres",
    };
    let old = tempfile::tempdir().unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < "0007" {
            std::fs::copy(&path, old.path().join(name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(old.path()).await.unwrap();
    match url {
        DatabaseUrl::Sqlite(path) => {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            migrator.run(&pool).await.unwrap();
            pool.close().await;
        }
        DatabaseUrl::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            migrator.run(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn json_dossiers_become_rows(url: &DatabaseUrl) {
    migrate_before_0007(url).await;
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    for sql in OLD_DATA {
        tx.execute_raw(sql).await.unwrap();
    }
    tx.execute_raw(&old_beschikking(url)).await.unwrap();
    tx.execute_raw(&format!(
        "UPDATE casus SET dossier = '{OLD_DOSSIER}' WHERE id = 1"
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
    store.migrate().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let dossier = tx.dossier(1).await.unwrap();
    assert_eq!(
        dossier.vraagverheldering,
        Some(Vraagverheldering {
            opvoedsituatie: Opvoedsituatie::Opvoedingsnood,
            leefgebieden: vec![Leefgebied::Opleiding, Leefgebied::Opvoeding],
            netwerk: "Oma".into(),
            vraag: "Ruzie thuis".into(),
        })
    );
    assert_eq!(
        dossier.gezinsanalyse,
        Some(Gezinsanalyse {
            behoefte: Behoefte::Specialistisch,
            vrij_toegankelijk: "Cursus".into(),
        })
    );
    assert_eq!(
        dossier.plan,
        Some(Plan {
            regie: Regie::Gezin,
            familiegroepsplan: true,
            resultaten: vec![
                PlanResultaat {
                    leefgebied: Leefgebied::Opleiding,
                    omschrijving: "Naar school".into(),
                },
                PlanResultaat {
                    leefgebied: Leefgebied::Opvoeding,
                    omschrijving: "Rust thuis".into(),
                },
            ],
        })
    );
    assert_eq!(
        dossier.bemiddeling,
        Some(Bemiddeling {
            arrangement: 2,
            arrangement_name: "Opvoeding".into(),
            intensiteit: Intensiteit::Midden,
            productcode: Productcode::parse("50H22").unwrap(),
            reasons: vec!["eerste".into(), "tweede".into()],
            catalogue_version: "v1".into(),
        })
    );
    assert_eq!(
        dossier.match_en_intake,
        Some(MatchEnIntake {
            aanbieder: AgbCode::parse("98990011").unwrap(),
            aanbieder_name: "De Eem".into(),
            gekozen_door: GekozenDoor::Gezin,
            match_date: day("2026-02-02"),
            intake_date: day("2026-02-16"),
            start_date: day("2026-02-16"),
            end_date: day("2026-12-31"),
        })
    );
    assert_eq!(
        dossier.beschikking,
        Some(BeschikkingInfo {
            kenmerk: "JR-0307-1".into(),
            decided_on: day("2026-02-02"),
        })
    );
    // Plain SQL counts now: cases by arrangement code and by leefgebied.
    assert_eq!(
        tx.scalar_text_raw("SELECT productcode FROM bepaling WHERE arrangement = 2")
            .await
            .unwrap(),
        "50H22"
    );
    drop(tx);
    store.close().await;
}

jeugdroute_store::backend_tests!(json_dossiers_become_rows);
