//! `jeugdroute demo --casussen N`: the load generator adds N cases to the demo
//! region in bulk, each youth with a valid BSN of its own, cases in every phase,
//! and an audit log that still verifies; a second run adds as many again.

use std::collections::BTreeSet;
use std::process::Output;
use std::time::Duration;

use jeugdroute_domain::{Bsn, Fase};
use jeugdroute_store::{DatabaseUrl, Store, StoreError};
use tokio::process::Command;

use crate::cli::{database, jeugdroute, text};

/// Loading the demo runs its 300 cases through the use cases (and makes their
/// letters): slower than the other commands in a debug build.
const TIMEOUT: Duration = Duration::from_secs(600);

async fn run(command: &mut Command) -> Output {
    let out = tokio::time::timeout(TIMEOUT, command.output())
        .await
        .unwrap_or_else(|_| panic!("command timed out"))
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// Every case, with its youth's BSN (read back through `Bsn::parse`, so a
/// stored number that fails the 11-proef fails here). Cases are read by id, as
/// many as the table counts.
async fn cases(url: &DatabaseUrl) -> Vec<(Fase, Bsn)> {
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    let count = tx
        .row_counts()
        .await
        .unwrap()
        .into_iter()
        .find(|(table, _)| *table == "casus")
        .map(|(_, n)| usize::try_from(n).unwrap())
        .unwrap();
    let mut found = Vec::with_capacity(count);
    let mut id = 0;
    while found.len() < count {
        id += 1;
        assert!(id < 10 * count as i64 + 100, "casus ids run out");
        let casus = match tx.casus(id).await {
            Ok(casus) => casus,
            Err(StoreError::NotFound(_)) => continue,
            Err(e) => panic!("{e}"),
        };
        let jeugdige = tx.jeugdige(casus.jeugdige_id).await.unwrap();
        found.push((casus.phase, jeugdige.bsn));
    }
    drop(tx);
    store.close().await;
    found
}

/// The demo's own youth have BSNs from 999…; the generator's start lower.
fn generated(cases: &[(Fase, Bsn)]) -> Vec<&(Fase, Bsn)> {
    cases
        .iter()
        .filter(|(_, bsn)| !bsn.as_str().starts_with('9'))
        .collect()
}

async fn verifieer(dir: &std::path::Path, database: &str) {
    let out = run(jeugdroute(dir).args(["audit", "--database", database, "verifieer"])).await;
    assert!(
        text(&out.stdout).starts_with("Het auditlog is compleet: "),
        "{}",
        text(&out.stdout)
    );
}

async fn demo_casussen(url: &DatabaseUrl) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let database = database(url);
    let database = database.as_str();
    let massa = [
        "demo",
        "--database",
        database,
        "--casussen",
        "500",
        "--seed",
        "7",
    ];

    let out = run(jeugdroute(dir).args(massa)).await;
    let stdout = text(&out.stdout);
    // The plain demo's report comes first: how many cases it made itself.
    let demo: usize = stdout
        .lines()
        .next()
        .and_then(|l| l.strip_suffix(" casussen."))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no demo report: {stdout}"));
    assert!(stdout.contains("500 casussen toegevoegd"), "{stdout}");
    assert!(
        text(&out.stderr).contains("500 van 500 casussen"),
        "the progress line: {}",
        text(&out.stderr)
    );

    let first = cases(url).await;
    assert_eq!(first.len(), demo + 500);
    let made = generated(&first);
    assert_eq!(made.len(), 500);
    let phases: BTreeSet<Fase> = made.iter().map(|(fase, _)| *fase).collect();
    assert_eq!(
        phases,
        Fase::ALL.into_iter().collect(),
        "every phase has generated cases"
    );
    let bsns: BTreeSet<&str> = first.iter().map(|(_, bsn)| bsn.as_str()).collect();
    assert_eq!(bsns.len(), first.len(), "every youth its own BSN");
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    let unsearchable = tx
        .scalar_text_raw("SELECT CAST(COUNT(*) AS TEXT) FROM jeugdige WHERE zoeknaam = ''")
        .await
        .unwrap();
    assert_eq!(unsearchable, "0", "every youth can be found by name");
    drop(tx);
    store.close().await;
    verifieer(dir, database).await;

    // The same seed again: 500 more, with BSNs numbered on.
    let out = run(jeugdroute(dir).args(massa)).await;
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "De demoregio stond er al; er is niets veranderd.\n500 casussen toegevoegd"
        ),
        "{stdout}"
    );
    let second = cases(url).await;
    assert_eq!(second.len(), demo + 1000);
    assert_eq!(generated(&second).len(), 1000);
    let bsns: BTreeSet<&str> = second.iter().map(|(_, bsn)| bsn.as_str()).collect();
    assert_eq!(bsns.len(), second.len(), "no BSN twice after a second run");
    verifieer(dir, database).await;
}

jeugdroute_store::backend_tests!(demo_casussen);
