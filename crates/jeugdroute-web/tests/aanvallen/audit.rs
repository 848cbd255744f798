//! Attacks on the audit log: rewriting, removing and forging records, with the
//! access an attacker with the database (but not the key or the witness) has;
//! the verification must find each one. Plus the beheerder's paged search, CSV
//! export and verification over the API, and a write that goes on while the
//! chain is verified.

use chrono::{TimeZone, Utc};
use jeugdroute_app::{AuditKey, AuditSetup, DEMO_PASSWORD, DatabaseUrl};
use jeugdroute_store::{Backend, NewAuditRecord, Store};
use reqwest::StatusCode;

use crate::support::serve;

/// A store beside the application's, with the database's own key and witness:
/// the records it writes are the application's.
async fn store(url: &DatabaseUrl) -> Store {
    Store::connect(url)
        .await
        .unwrap()
        .with_audit(AuditSetup::for_database(url).unwrap())
}

/// A migrated store holding `n` of the application's records, the chain whole.
async fn chain_of(url: &DatabaseUrl, n: i64) -> Store {
    let store = store(url).await;
    store.migrate().await.unwrap();
    append(&store, n).await;
    store
}

/// Appends `n` records, each in its own transaction (so the witness follows).
async fn append(store: &Store, n: i64) {
    let at = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    for i in 0..n {
        let mut tx = store.begin().await.unwrap();
        tx.append_audit(&NewAuditRecord {
            occurred_at: at + chrono::Duration::minutes(i),
            actor: "medewerker.soest",
            role: Some("toegangsmedewerker"),
            on_behalf_of: Some("0342"),
            event: "werkvoorraad.bekijken",
            jeugdige_id: None,
            casus_id: None,
            purpose: "werkvoorraad",
            outcome: "gelukt",
            source: None,
            jeugdigen: &[i, i + 1],
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

/// Runs SQL as an attacker with the database file or the owner's connection,
/// the triggers taken away first.
async fn attack(store: &Store, statements: &[&str]) {
    let mut tx = store.begin().await.unwrap();
    let unguard: &[&str] = match store.backend() {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
            "DROP TRIGGER audit_log_no_replace",
            "DROP TRIGGER audit_log_client_no_delete",
            "DROP TRIGGER audit_log_client_only_newest",
        ],
        Backend::Postgres => &[
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "ALTER TABLE audit_log_client DISABLE TRIGGER audit_log_client_append_only",
        ],
    };
    for sql in unguard.iter().chain(statements) {
        tx.execute_raw(sql).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// The first bad record the application's verification names, and why.
async fn first_bad(url: &DatabaseUrl) -> (Option<i64>, String) {
    let app = jeugdroute_app::App::open(url).await.unwrap();
    let check = app.audit_verifieren_geheel().await.unwrap();
    app.close().await;
    (check.first_bad_id, check.reason.unwrap_or_default())
}

jeugdroute_store::backend_tests!(
    audit_edit_rechained_without_the_key_is_found,
    audit_newest_removed_is_found_by_the_witness,
    audit_middle_removed_is_found,
    audit_forged_record_appended_is_found,
    audit_list_client_removed_is_found,
);

/// A record edited, and it and every later record given a new MAC chained
/// properly — under the attacker's own key, since the real one is not in the
/// database.
async fn audit_edit_rechained_without_the_key_is_found(url: &DatabaseUrl) {
    let store = chain_of(url, 5).await;
    assert_eq!(first_bad(url).await.0, None, "whole before the attack");
    attack(
        &store,
        &["UPDATE audit_log SET actor = 'iemand.anders' WHERE id = 3"],
    )
    .await;
    let mut tx = store.begin().await.unwrap();
    tx.rechain_audit_with(AuditKey::from_bytes([7; 32]), 3)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (id, reason) = first_bad(url).await;
    assert_eq!(id, Some(3), "{reason}");
    assert!(reason.contains("MAC"), "{reason}");
}

/// The newest records deleted: the chain that is left is whole, but the
/// witness outside the database knows a newer record.
async fn audit_newest_removed_is_found_by_the_witness(url: &DatabaseUrl) {
    let store = chain_of(url, 5).await;
    attack(
        &store,
        &[
            "DELETE FROM audit_log_client WHERE audit_id > 3",
            "DELETE FROM audit_log WHERE id > 3",
        ],
    )
    .await;
    let (id, reason) = first_bad(url).await;
    assert_eq!(id, Some(5), "{reason}");
    assert!(reason.contains("ontbreekt"), "{reason}");
}

/// A record in the middle deleted: the next one no longer follows.
async fn audit_middle_removed_is_found(url: &DatabaseUrl) {
    let store = chain_of(url, 5).await;
    attack(
        &store,
        &[
            "DELETE FROM audit_log_client WHERE audit_id = 3",
            "DELETE FROM audit_log WHERE id = 3",
        ],
    )
    .await;
    let (id, reason) = first_bad(url).await;
    assert_eq!(id, Some(4), "{reason}");
    assert!(reason.contains("sluit niet aan"), "{reason}");
}

/// A record appended behind the application's back, chained to the real head
/// but without the key; and one posing as a record from before the key.
async fn audit_forged_record_appended_is_found(url: &DatabaseUrl) {
    let store = chain_of(url, 3).await;
    let mut tx = store.begin().await.unwrap();
    let head = tx.audit_head().await.unwrap().unwrap();
    for (id, version) in [(4, 1), (5, 0)] {
        tx.execute_raw(&format!(
            "INSERT INTO audit_log (id, occurred_at, actor, event, purpose, outcome, prev_hash, hash, mac_version) \
             VALUES ({id}, '2026-05-04T10:00:00Z', 'beheer', 'audit.zoeken', 'x', 'gelukt', '{}', '{}', {version})",
            head.mac,
            "0".repeat(64)
        ))
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (id, reason) = first_bad(url).await;
    assert_eq!(id, Some(4), "{reason}");
}

/// A client taken off a list record: the MAC covers the list.
async fn audit_list_client_removed_is_found(url: &DatabaseUrl) {
    let store = chain_of(url, 3).await;
    attack(
        &store,
        &["DELETE FROM audit_log_client WHERE audit_id = 2 AND jeugdige_id = 2"],
    )
    .await;
    assert_eq!(first_bad(url).await.0, Some(2));
}

/// On SQLite `INSERT OR REPLACE` deletes the old row without firing the DELETE
/// trigger; it is refused, for the records and for their client lists, and a
/// client cannot be added to an older record.
#[tokio::test]
async fn audit_insert_or_replace_is_refused_on_sqlite() {
    let db = jeugdroute_store::testing::TestDatabase::sqlite();
    let store = store(&db.url).await;
    store.migrate().await.unwrap();
    append(&store, 3).await;
    for sql in [
        "INSERT OR REPLACE INTO audit_log (id, occurred_at, actor, event, purpose, outcome, prev_hash, hash) \
         VALUES (2, '2026-05-04T10:00:00Z', 'beheer', 'x', 'x', 'gelukt', '', '')",
        "REPLACE INTO audit_log (id, occurred_at, actor, event, purpose, outcome, prev_hash, hash) \
         VALUES (3, '2026-05-04T10:00:00Z', 'beheer', 'x', 'x', 'gelukt', '', '')",
        "INSERT OR REPLACE INTO audit_log_client (audit_id, jeugdige_id) VALUES (1, 0)",
        "INSERT INTO audit_log_client (audit_id, jeugdige_id) VALUES (1, 99)",
        "UPDATE audit_log_client SET jeugdige_id = 5",
        "DELETE FROM audit_log_client",
    ] {
        let mut tx = store.begin().await.unwrap();
        let err = tx.execute_raw(sql).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(first_bad(&db.url).await.0, None);
}

/// On PostgreSQL the application connects as a role that may only add to and
/// read the audit tables: UPDATE, DELETE, TRUNCATE and switching the trigger
/// off are refused by the database, whatever the application does; adding a
/// record works. Migrations run over the owner's connection.
#[tokio::test]
async fn audit_the_postgres_app_role_cannot_rewrite() {
    let Some(db) = jeugdroute_store::testing::TestDatabase::postgres().await else {
        return;
    };
    let owner = Store::connect(&db.url).await.unwrap();
    owner.migrate().await.unwrap();
    let role = format!("jr_app_{}", std::process::id());
    let mut tx = owner.begin().await.unwrap();
    tx.execute_raw(&format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN; END IF; END $$"
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
    owner.grant_app_role(&role).await.unwrap();
    let DatabaseUrl::Postgres(text) = &db.url else {
        unreachable!()
    };
    let app_url: DatabaseUrl = text
        .replacen("postgres://postgres@", &format!("postgres://{role}@"), 1)
        .parse()
        .unwrap();
    assert_ne!(&app_url, &db.url, "the URL names the app role");
    let app = jeugdroute_app::App::open_with(
        &app_url,
        jeugdroute_app::default_catalogue().unwrap(),
        AuditSetup::for_database(&db.url).unwrap(),
        Some(&db.url),
    )
    .await
    .unwrap();
    let as_app = store(&app_url).await;
    append(&as_app, 2).await;
    for sql in [
        "UPDATE audit_log SET actor = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DELETE FROM audit_log_client",
        "TRUNCATE audit_log_client",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "DROP TRIGGER audit_log_append_only ON audit_log",
    ] {
        let mut tx = as_app.begin().await.unwrap();
        let err = tx.execute_raw(sql).await.unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("permission denied") || text.contains("must be owner"),
            "{sql}: {text}"
        );
    }
    app.close().await;
    as_app.close().await;
    owner.close().await;
    let mut admin = Store::connect(&db.url)
        .await
        .unwrap()
        .begin()
        .await
        .unwrap();
    admin
        .execute_raw(&format!("REASSIGN OWNED BY {role} TO postgres"))
        .await
        .unwrap();
    admin
        .execute_raw(&format!("DROP OWNED BY {role}"))
        .await
        .unwrap();
    // Roles belong to the whole server: leave none behind.
    admin
        .execute_raw(&format!("DROP ROLE {role}"))
        .await
        .unwrap();
    admin.commit().await.unwrap();
    db.drop_database().await.unwrap();
}

/// Verifying holds no write lock on SQLite: while a long chain is verified,
/// writes go on and each finishes quickly.
#[tokio::test]
async fn audit_verification_lets_writes_go_on_on_sqlite() {
    let db = jeugdroute_store::testing::TestDatabase::sqlite();
    let store = store(&db.url).await;
    store.migrate().await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    for i in 0..40_000 {
        tx.append_audit(&NewAuditRecord {
            occurred_at: at,
            actor: "medewerker.soest",
            role: None,
            on_behalf_of: None,
            event: "casus.bekijken",
            jeugdige_id: Some(i),
            casus_id: None,
            purpose: "werkvoorraad",
            outcome: "gelukt",
            source: None,
            jeugdigen: &[],
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let app = jeugdroute_app::App::open(&db.url).await.unwrap();
    let verifying = tokio::spawn({
        let app = app.clone();
        async move { app.audit_verifieren_geheel().await.unwrap() }
    });
    let mut during = 0;
    while !verifying.is_finished() {
        let started = std::time::Instant::now();
        append(&store, 1).await;
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "a write waited {:?} for the verification",
            started.elapsed()
        );
        during += 1;
    }
    let check = verifying.await.unwrap();
    assert!(during > 0, "no write happened while verifying");
    assert!(check.checked >= 40_000, "{check:?}");
    assert_eq!(check.first_bad_id, None, "{check:?}");
}

async fn api_token(addr: &str, username: &str) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{addr}/api/v1/login"))
        .json(&serde_json::json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().unwrap().to_owned()
}

jeugdroute_store::backend_tests!(audit_search_pages_exports_and_verifies_over_the_api);

/// The beheerder pages through the log 50 at a time, exports a search as CSV
/// (itself audit-logged), and verifies the chain; a worker's worklist is one
/// record naming every youth on it.
async fn audit_search_pages_exports_and_verifies_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let client = reqwest::Client::new();
    let worker = api_token(&addr, "medewerker.amersfoort").await;
    let list: serde_json::Value = client
        .get(format!("{addr}/api/v1/casussen"))
        .bearer_auth(&worker)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shown = list["casussen"].as_array().unwrap().len();
    assert!(shown > 1);
    let beheer = api_token(&addr, "beheer").await;
    let get = |path: String| client.get(format!("{addr}{path}")).bearer_auth(&beheer);
    let page = |query: &'static str| {
        let request = get(format!("/api/v1/beheer/audit?{query}"));
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let worklist = page("gebruiker=medewerker.amersfoort&gebeurtenis=werkvoorraad.bekijken").await;
    let records = worklist["regels"].as_array().unwrap();
    assert_eq!(records.len(), 1, "one record for the list: {worklist}");
    assert_eq!(records[0]["jeugdigen"].as_array().unwrap().len(), shown);

    let first = page("pagina=1").await;
    let second = page("pagina=2").await;
    assert_eq!(first["regels"].as_array().unwrap().len(), 50);
    assert_eq!(
        (first["meer"].as_bool(), first["per_pagina"].as_i64()),
        (Some(true), Some(50))
    );
    assert_ne!(first["regels"][0]["id"], second["regels"][0]["id"]);
    let response = get("/api/v1/beheer/audit?pagina=nul".into())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let response = get("/api/v1/beheer/audit/csv?gebeurtenis=casus.aanmaken".into())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with("\"regel\",\"tijdstip\",\"gebruiker\",\"rol\",\"namens\",\"gebeurtenis\""),
        "{csv}"
    );
    assert!(
        csv.lines().count() > 100
            && csv
                .lines()
                .skip(1)
                .all(|l| l.contains("\"casus.aanmaken\""))
    );
    let exported = page("gebruiker=beheer&gebeurtenis=audit.exporteren").await;
    assert_eq!(
        exported["regels"].as_array().unwrap().len(),
        1,
        "the export is logged"
    );

    let verified: serde_json::Value = client
        .post(format!("{addr}/api/v1/beheer/audit/verificatie"))
        .bearer_auth(&beheer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verified["heel"], true, "{verified}");
    assert!(
        verified["gecontroleerd"].as_i64().unwrap() > 300,
        "{verified}"
    );
    let refused = client
        .post(format!("{addr}/api/v1/beheer/audit/verificatie"))
        .bearer_auth(&worker)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.close().await;
}
