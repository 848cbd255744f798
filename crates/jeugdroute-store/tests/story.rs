//! One storage story, told against every backend: SQLite always, PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set (CI sets it). Each run gets a fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "tests fail loudly")]

use chrono::{NaiveDate, TimeZone, Utc};
use jeugdroute_domain::{
    Aanbieder, AgbCode, Bsn, Contract, Gebruiker, Gemeente, Gemeentecode, Gezin, Jeugdige,
    Productcategorie, Productcode, Regio, Rol,
};
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{
    DatabaseUrl, InkomendBericht, NieuwAuditRecord, Store, StoreError, UitgaandBericht,
};

fn datum(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn gemeente(code: &str, naam: &str) -> Gemeente {
    Gemeente {
        code: Gemeentecode::parse(code).unwrap(),
        naam: naam.into(),
    }
}

fn contract(agb: &str, code: &str, vanaf: NaiveDate, tot: Option<NaiveDate>) -> Contract {
    Contract {
        aanbieder: AgbCode::parse(agb).unwrap(),
        productcategorie: Productcategorie::parse("50").unwrap(),
        productcode: Productcode::parse(code).unwrap(),
        ingangsdatum: vanaf,
        einddatum: tot,
        tarief_cent: 310_000,
        eenheid: "82".into(),
    }
}

async fn story(url: &DatabaseUrl) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap(); // a second run finds nothing to do
    store.ping().await.unwrap();

    // A region with its gemeenten, providers and contracts; loading twice inserts once.
    let regio = Regio {
        code: "regio-test".into(),
        naam: "Regio Test".into(),
    };
    let mut tx = store.begin().await.unwrap();
    assert!(tx.regio_vastleggen(&regio).await.unwrap());
    assert!(!tx.regio_vastleggen(&regio).await.unwrap());
    for g in [gemeente("0342", "Soest"), gemeente("0307", "Amersfoort")] {
        assert!(tx.gemeente_vastleggen(&regio.code, &g).await.unwrap());
    }
    let aanbieder = Aanbieder {
        agb: AgbCode::parse("98000001").unwrap(),
        naam: "De Linde".into(),
        plaats: "Baarn".into(),
    };
    assert!(tx.aanbieder_vastleggen(&aanbieder).await.unwrap());
    let lopend = contract(
        "98000001",
        "50H22",
        datum(2024, 1, 1),
        Some(datum(2027, 12, 31)),
    );
    assert!(tx.contract_vastleggen(&regio.code, &lopend).await.unwrap());
    assert!(!tx.contract_vastleggen(&regio.code, &lopend).await.unwrap());
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.regio().await.unwrap(), Some(regio.clone()));
    let namen: Vec<String> = tx
        .gemeenten()
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.naam)
        .collect();
    assert_eq!(namen, ["Amersfoort", "Soest"]);
    assert_eq!(tx.aanbieders().await.unwrap(), vec![aanbieder.clone()]);
    let code = Productcode::parse("50H22").unwrap();
    assert_eq!(
        tx.contracten_voor(&code, datum(2027, 12, 31))
            .await
            .unwrap(),
        vec![lopend.clone()]
    );
    assert!(
        tx.contracten_voor(&code, datum(2023, 12, 31))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        tx.contracten_voor(&code, datum(2028, 1, 1))
            .await
            .unwrap()
            .is_empty()
    );
    drop(tx);

    // A contract for an unknown provider is a conflict, and the transaction that
    // tried it leaves nothing behind.
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.gemeente_vastleggen(&regio.code, &gemeente("0351", "Woudenberg"))
            .await
            .unwrap()
    );
    let err = tx
        .contract_vastleggen(
            &regio.code,
            &contract("98000099", "50H22", datum(2024, 1, 1), None),
        )
        .await;
    assert!(matches!(err, Err(StoreError::Conflict { .. })), "{err:?}");
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.gemeenten().await.unwrap().len(),
        2,
        "a rolled-back insert must not persist"
    );

    // Accounts with their scope.
    let medewerker = Gebruiker {
        gebruikersnaam: "medewerker.soest".into(),
        weergavenaam: "Medewerker Soest".into(),
        rol: Rol::Toegangsmedewerker,
        gemeenten: vec![
            Gemeentecode::parse("0307").unwrap(),
            Gemeentecode::parse("0342").unwrap(),
        ],
        aanbieder: None,
    };
    assert!(
        tx.gebruiker_vastleggen(&medewerker, "$argon2id$test")
            .await
            .unwrap()
    );
    assert!(
        !tx.gebruiker_vastleggen(&medewerker, "$argon2id$other")
            .await
            .unwrap()
    );
    let account = tx.account("medewerker.soest").await.unwrap().unwrap();
    assert_eq!(account.gebruiker, medewerker);
    assert_eq!(account.wachtwoord_hash, "$argon2id$test");
    assert!(account.actief);
    assert!(tx.account("niemand").await.unwrap().is_none());
    tx.commit().await.unwrap();

    // An aanbieder account must name its provider: the schema refuses it otherwise.
    let mut tx = store.begin().await.unwrap();
    let zonder_agb = Gebruiker {
        gebruikersnaam: "a".into(),
        rol: Rol::Aanbieder,
        gemeenten: vec![],
        ..medewerker.clone()
    };
    assert!(matches!(
        tx.gebruiker_vastleggen(&zonder_agb, "h").await,
        Err(StoreError::Conflict { .. })
    ));
    drop(tx);

    // A family, its youth, a case and the audit trail of it.
    let nu = Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    let gezin = Gezin {
        achternaam: "Jansen".into(),
        straat: "Lindelaan".into(),
        huisnummer: "12".into(),
        postcode: "3812 AB".into(),
        woonplaats: "Amersfoort".into(),
        gemeente: Gemeentecode::parse("0307").unwrap(),
    };
    let gezin_id = tx.gezin_vastleggen(&gezin).await.unwrap();
    assert_eq!(tx.gezin_vastleggen(&gezin).await.unwrap(), gezin_id);
    let bsn = Bsn::parse("999990019").unwrap();
    let jeugdige = Jeugdige {
        bsn: bsn.clone(),
        voornamen: "Sam".into(),
        achternaam: "Jansen".into(),
        geboortedatum: datum(2014, 5, 21),
        gemeente: Gemeentecode::parse("0307").unwrap(),
    };
    let jeugdige_id = tx
        .jeugdige_vastleggen(gezin_id, &jeugdige)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        tx.jeugdige_vastleggen(gezin_id, &jeugdige).await.unwrap(),
        None
    );
    assert_eq!(tx.jeugdige(jeugdige_id).await.unwrap(), jeugdige);
    assert_eq!(tx.jeugdige_met_bsn(&bsn).await.unwrap(), Some(jeugdige_id));
    assert!(matches!(
        tx.jeugdige(jeugdige_id + 1000).await,
        Err(StoreError::NotFound("jeugdige"))
    ));
    let casus_id = tx
        .casus_openen(jeugdige_id, &jeugdige.gemeente, "melding", nu)
        .await
        .unwrap();
    let casus = tx.casus(casus_id).await.unwrap();
    assert_eq!(
        (casus.jeugdige_id, casus.fase.as_str(), casus.aangemaakt_op),
        (jeugdige_id, "melding", nu)
    );
    let record = NieuwAuditRecord {
        tijdstip: nu,
        gebruiker: "medewerker.soest",
        rol: Some("toegangsmedewerker"),
        namens: None,
        gebeurtenis: "casus.aanmaken",
        jeugdige_id: Some(jeugdige_id),
        casus_id: Some(casus_id),
        doel: "melding vastleggen",
        uitkomst: "gelukt",
        bron: Some("127.0.0.1"),
    };
    tx.audit_vastleggen(&record).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let log = tx.audit_van_jeugdige(jeugdige_id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].tijdstip,
            log[0].gebeurtenis.as_str(),
            log[0].casus_id
        ),
        (nu, "casus.aanmaken", Some(casus_id))
    );
    drop(tx);

    // The audit log is append-only, for the application and for raw SQL alike.
    for poging in [
        "UPDATE audit_log SET uitkomst = 'geweigerd'",
        "DELETE FROM audit_log",
    ] {
        let mut tx = store.begin().await.unwrap();
        let err = tx.execute_raw(poging).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{poging}: {err}");
    }

    // Outbox and inbox: stored whole, handed out oldest first, marked once done.
    let mut tx = store.begin().await.unwrap();
    let uit = UitgaandBericht {
        berichtsoort: "JW301".into(),
        afzender: "0307".into(),
        ontvanger: "98000001".into(),
        casus_id: Some(casus_id),
        inhoud: "<Bericht/>".into(),
    };
    let eerste = tx.outbox_plaatsen(&uit, nu).await.unwrap();
    let tweede = tx
        .outbox_plaatsen(
            &UitgaandBericht {
                casus_id: None,
                ..uit.clone()
            },
            nu,
        )
        .await
        .unwrap();
    assert_eq!(
        tx.outbox_te_verzenden(10)
            .await
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        [eerste, tweede]
    );
    tx.outbox_verzonden(eerste, nu).await.unwrap();
    assert_eq!(tx.outbox_te_verzenden(10).await.unwrap().len(), 1);
    let binnen = InkomendBericht {
        berichtsoort: "JW305".into(),
        afzender: "98000001".into(),
        ontvanger: "0307".into(),
        inhoud: "<Bericht/>".into(),
    };
    let id = tx.inbox_ontvangen(&binnen, nu).await.unwrap();
    assert_eq!(tx.inbox_te_verwerken(10).await.unwrap(), vec![(id, binnen)]);
    tx.inbox_verwerkt(id, nu, Some("onbekende toewijzing"))
        .await
        .unwrap();
    assert!(tx.inbox_te_verwerken(10).await.unwrap().is_empty());

    let tellingen = tx.tellingen().await.unwrap();
    let telling = |tabel: &str| tellingen.iter().find(|(t, _)| *t == tabel).unwrap().1;
    assert_eq!(
        (
            telling("gemeente"),
            telling("jeugdige"),
            telling("audit_log"),
            telling("outbox")
        ),
        (2, 1, 1, 2)
    );
    tx.commit().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn story_on_sqlite() {
    let db = TestDatabase::sqlite();
    story(&db.url).await;
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    story(&db.url).await;
    db.drop_database().await.unwrap();
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_durable_commits() {
    let db = TestDatabase::sqlite();
    let store = Store::connect(&db.url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.scalar_text_raw("SELECT journal_mode FROM pragma_journal_mode")
            .await
            .unwrap(),
        "wal"
    );
    // 2 = FULL: every commit is synced to disk before it returns.
    assert_eq!(
        tx.scalar_text_raw("SELECT CAST(synchronous AS TEXT) FROM pragma_synchronous")
            .await
            .unwrap(),
        "2"
    );
    assert_eq!(
        tx.scalar_text_raw("SELECT CAST(foreign_keys AS TEXT) FROM pragma_foreign_keys")
            .await
            .unwrap(),
        "1"
    );
}
