//! `jeugdroute berichten …` as cron and an operator run it: a batch imported from
//! files, processing killed with SIGKILL halfway and started again, and on
//! PostgreSQL two processes on one inbox — every message handled exactly once.
#![allow(
    clippy::expect_used,
    reason = "a timed-out process fails the test with its reason"
)]

use std::path::Path;
use std::time::Duration;

use ijw::{Bericht, Berichtsoort};
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{DatabaseUrl, Store};

use crate::cli::{Server, database, jeugdroute, run_to_end, text};

/// How many messages the batch has: enough that processing takes seconds, so
/// the kill lands in the middle.
const BATCH: usize = 1500;

/// One value from the database, as text.
async fn text_of(store: &Store, sql: &str) -> String {
    let mut tx = store.begin_read().await.unwrap();
    tx.scalar_text_raw(&format!("SELECT CAST(({sql}) AS TEXT)"))
        .await
        .unwrap()
}

/// One number from the database.
async fn count(store: &Store, sql: &str) -> i64 {
    text_of(store, sql).await.parse().unwrap()
}

/// The retours a party of the demo region receives (the demo's providers
/// report starts, answered with a JW306): answers, not answered themselves.
const RETOURS: &str = "('JW302', 'JW306')";

/// `BATCH` messages to parties of the demo region from parties outside it, as
/// files in `dir/in`: three in four a JW301 of gemeente 0599 to provider
/// 98990011 (answered with a JW302), one in four a JW305 to gemeente 0307 of a
/// provider without an allocation there (refused, TR019, answered with a JW306).
fn batch(dir: &Path) -> Vec<std::path::PathBuf> {
    let folder = dir.join("in");
    std::fs::create_dir_all(&folder).unwrap();
    (0..BATCH)
        .map(|n| {
            let mut bericht = ijw::voorbeeld(if n % 4 == 3 {
                Berichtsoort::Jw305
            } else {
                Berichtsoort::Jw301
            });
            let identificatie = format!("K{n:07}");
            match &mut bericht {
                Bericht::Jw301(b) => {
                    b.header.afzender = "0599".into();
                    b.header.bericht_identificatie.identificatie = identificatie;
                }
                Bericht::Jw305(b) => {
                    b.header.afzender = "98991234".into();
                    b.header.bericht_identificatie.identificatie = identificatie;
                }
                _ => panic!("a JW301 or JW305"),
            }
            let file = folder.join(format!("{n:05}.xml"));
            std::fs::write(&file, ijw::encode(&bericht)).unwrap();
            file
        })
        .collect()
}

/// Loads the demo region and imports the batch; gives the store.
async fn prepare(dir: &Path, url: &DatabaseUrl) -> Store {
    let database = database(url);
    let out = run_to_end(jeugdroute(dir).args(["demo", "--database", &database])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let files = batch(dir);
    let out = run_to_end(
        jeugdroute(dir)
            .args(["berichten", "--database", &database, "importeer"])
            .args(&files),
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(&format!("{BATCH} berichten in de inbox gezet")),
        "{}",
        text(&out.stdout)
    );
    Store::connect(url).await.unwrap()
}

/// Every received message was handled exactly once: checked or refused, each
/// request with exactly one answer in the outbox and one audit record, and the
/// audit chain whole.
async fn handled_exactly_once(dir: &Path, url: &DatabaseUrl, store: &Store) {
    let received = count(store, "SELECT COUNT(*) FROM inbox").await;
    assert!(received >= BATCH as i64, "{received}");
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM inbox WHERE state NOT IN ('verwerkt', 'afgekeurd')"
        )
        .await,
        0,
        "every message processed"
    );
    assert_eq!(
        count(
            store,
            &format!(
                "SELECT COUNT(*) FROM inbox i WHERE i.berichtsoort NOT IN {RETOURS} AND \
                 (i.retour_id IS NULL OR (SELECT COUNT(*) FROM outbox o WHERE o.answers_id = i.id) <> 1)"
            )
        )
        .await,
        0,
        "each request answered exactly once"
    );
    assert_eq!(
        count(
            store,
            &format!(
                "SELECT COUNT(*) FROM outbox WHERE answers_id IS NOT NULL AND answers_id NOT IN \
                 (SELECT id FROM inbox WHERE berichtsoort NOT IN {RETOURS})"
            )
        )
        .await,
        0,
        "no answer to a retour"
    );
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'bericht.verwerken'"
        )
        .await,
        received,
        "one audit record per message"
    );
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM inbox WHERE state = 'afgekeurd'"
        )
        .await,
        (BATCH / 4) as i64,
        "the JW305s without an allocation, and nothing else, refused"
    );
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM (SELECT inbox_id FROM levering GROUP BY inbox_id, \
             toewijzing_nummer, soort HAVING COUNT(*) > 1) twice"
        )
        .await,
        0,
        "no delivery recorded twice"
    );
    let out =
        run_to_end(jeugdroute(dir).args(["audit", "--database", &database(url), "verifieer"]))
            .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// `berichten verwerk` killed with SIGKILL halfway through the batch, then run
/// again: nothing lost, nothing twice.
async fn a_killed_batch_resumes_without_loss_or_duplicates(url: &DatabaseUrl) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = prepare(dir, url).await;
    let database = database(url);
    let done = "SELECT COUNT(*) FROM inbox WHERE state <> 'ontvangen'";
    // The demo's own messages were handled at its load.
    let before = count(&store, done).await;
    let mut child = jeugdroute(dir)
        .args(["berichten", "--database", &database, "verwerk"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let polled = tokio::time::timeout(Duration::from_secs(120), async {
        while count(&store, done).await < before + (BATCH / 10) as i64 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    polled.expect("processing never got going");
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert!(!status.success(), "killed, not finished: {status:?}");
    let at_kill = count(&store, done).await - before;
    let waiting = count(
        &store,
        "SELECT COUNT(*) FROM inbox WHERE state = 'ontvangen'",
    )
    .await;
    assert!(
        at_kill >= (BATCH / 10) as i64 && waiting > 0,
        "killed halfway: {at_kill} done, {waiting} waiting"
    );

    let out = tokio::time::timeout(
        Duration::from_secs(300),
        jeugdroute(dir)
            .args(["berichten", "--database", &database, "verwerk"])
            .output(),
    )
    .await
    .expect("verwerk timed out")
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Berichten afgehandeld: "),
        "{}",
        text(&out.stdout)
    );
    handled_exactly_once(dir, url, &store).await;
    store.close().await;
}

jeugdroute_store::backend_tests!(a_killed_batch_resumes_without_loss_or_duplicates);

/// The counts a `berichten verwerk` printed: verwerkt + afgekeurd.
fn handled(stdout: &str) -> i64 {
    let words: Vec<&str> = stdout.split_whitespace().collect();
    ["verwerkt,", "afgekeurd,"]
        .iter()
        .map(|label| {
            let at = words.iter().position(|w| w == label).unwrap();
            words[at - 1].parse::<i64>().unwrap()
        })
        .sum()
}

/// Two `berichten verwerk` on one PostgreSQL inbox at once: together they
/// handle every message, and none twice.
#[tokio::test]
async fn two_processes_share_one_postgres_inbox() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = prepare(dir, &db.url).await;
    let database = database(&db.url);
    // The demo's own messages were handled at its load; the batch waits.
    let waiting = count(
        &store,
        "SELECT COUNT(*) FROM inbox WHERE state = 'ontvangen'",
    )
    .await;
    assert_eq!(waiting, BATCH as i64);
    let start = || {
        jeugdroute(dir)
            .args(["berichten", "--database", &database, "verwerk"])
            .output()
    };
    let (a, b) = tokio::time::timeout(Duration::from_secs(300), async {
        tokio::join!(start(), start())
    })
    .await
    .expect("verwerk timed out");
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a.status.success() && b.status.success(),
        "{}{}",
        text(&a.stderr),
        text(&b.stderr)
    );
    assert_eq!(
        handled(&text(&a.stdout)) + handled(&text(&b.stdout)),
        waiting,
        "{}{}",
        text(&a.stdout),
        text(&b.stdout)
    );
    handled_exactly_once(dir, &db.url, &store).await;
    store.close().await;
    db.drop_database().await.unwrap();
}

/// Files that cannot be read (missing, larger than 25 MB) are each named, and
/// then nothing is imported, not even the good one; an export needs a folder.
#[tokio::test]
async fn importeer_names_every_unreadable_file_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let db = "sqlite://berichten.sqlite";
    let out = run_to_end(jeugdroute(dir).args(["migrate", "--database", db])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::write(
        dir.join("goed.xml"),
        ijw::encode(&ijw::voorbeeld(Berichtsoort::Jw301)),
    )
    .unwrap();
    std::fs::File::create(dir.join("groot.xml"))
        .unwrap()
        .set_len(30 << 20)
        .unwrap();
    let out = run_to_end(jeugdroute(dir).args([
        "berichten",
        "--database",
        db,
        "importeer",
        "goed.xml",
        "weg.xml",
        "groot.xml",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("weg.xml kan niet gelezen worden"), "{err}");
    assert!(
        err.contains("groot.xml is 31457280 bytes; een bericht mag hoogstens 25 MB zijn"),
        "{err}"
    );
    assert!(err.contains("Er is niets ingelezen."), "{err}");
    let url: DatabaseUrl = db.parse().unwrap();
    let url = match url {
        DatabaseUrl::Sqlite(path) => DatabaseUrl::Sqlite(dir.join(path)),
        other => other,
    };
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM inbox").await, 0);
    store.close().await;

    let out = run_to_end(jeugdroute(dir).args([
        "berichten",
        "--database",
        db,
        "exporteer",
        "--map",
        "bestaat-niet",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--map: bestaat-niet bestaat niet of is geen map"));
    let out = run_to_end(jeugdroute(dir).args(["berichten", "--database", db, "exporteer"])).await;
    assert_eq!(out.status.code(), Some(2), "--map or --ggk is required");
}

/// Waits until nothing is left to deliver or process; gives how many
/// messages were received.
async fn settled(store: &Store) -> i64 {
    tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            let unsent = count(store, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await;
            let waiting = count(
                store,
                "SELECT COUNT(*) FROM inbox WHERE state = 'ontvangen'",
            )
            .await;
            let received = count(store, "SELECT COUNT(*) FROM inbox").await;
            if unsent == 0 && waiting == 0 && received > 0 {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the exchange never settled")
}

/// The serving process delivers and processes by itself: the demo's messages
/// are all answered, and a start the demo provider reports over the API
/// reaches its gemeente and comes back answered while it serves; it stops its
/// loop cleanly on SIGTERM.
#[tokio::test]
async fn serve_runs_the_exchange_and_stops_it_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = jeugdroute(dir.path());
    command.args(["serve", "--demo", "--addr", "127.0.0.1:0"]);
    let server = Server::start(command).await;
    let store = Store::connect(&DatabaseUrl::Sqlite(dir.path().join("data/demo.sqlite")))
        .await
        .unwrap();
    let sent = |soort: &'static str| {
        let store = &store;
        async move {
            let sql = format!("SELECT COUNT(*) FROM outbox WHERE berichtsoort = '{soort}'");
            count(store, &sql).await
        }
    };
    let received = settled(&store).await;
    let (jw301s, jw305s) = (sent("JW301").await, sent("JW305").await);
    assert_eq!(
        received,
        2 * (jw301s + jw305s),
        "every JW301 and JW305 and its answer received"
    );

    // An allocation of the demo provider it has not started yet.
    let allocation = text_of(
        &store,
        "SELECT t.gemeente_code || '/' || CAST(t.nummer AS TEXT) || ' ' || t.start_date \
         FROM toewijzing t WHERE t.aanbieder_agb = '98990011' AND t.reden_wijziging IS NULL \
           AND NOT EXISTS (SELECT 1 FROM levering l WHERE l.gemeente_code = t.gemeente_code \
             AND l.toewijzing_nummer = t.nummer) \
         ORDER BY t.id LIMIT 1",
    )
    .await;
    let (path, begindatum) = allocation.split_once(' ').unwrap();
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{}/api/v1/login", server.addr))
        .json(&serde_json::json!({"gebruikersnaam": "aanbieder.demo", "wachtwoord": "demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = client
        .post(format!("{}/api/v1/toewijzingen/{path}/start", server.addr))
        .bearer_auth(login["token"].as_str().unwrap())
        .json(&serde_json::json!({ "begindatum": begindatum }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path} {begindatum}");
    assert_eq!(
        settled(&store).await,
        received + 2,
        "the JW305 and its JW306"
    );
    assert_eq!(sent("JW305").await, jw305s + 1);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM outbox WHERE berichtsoort IN ('JW301', 'JW305') AND retour_state = 'goedgekeurd'").await,
        jw301s + jw305s + 1
    );
    store.close().await;
    let (status, log) = server.stop("-TERM").await;
    assert!(status.success(), "{log}");
    assert!(log.contains("message loop stopped"), "{log}");
}
