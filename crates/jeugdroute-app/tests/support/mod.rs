//! What the exchange's test binaries share: a user acting for a party, the
//! outbox as a list, delivering and processing until nothing moves, the retour
//! codes of a message, and the check of outgoing messages against the official
//! XSD with xmllint.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::print_stderr,
    reason = "test support: not every binary uses every helper"
)]

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use jeugdroute_app::{Actor, App, DEMO_PASSWORD, Verwerking};
use jeugdroute_domain::{AgbCode, Gemeentecode, Role, User};
use jeugdroute_store::{Outgoing, Store};

/// A user of one gemeente (and, for a provider, of one AGB code), named after
/// the party it acts for.
pub fn actor(role: Role, gemeente: &str, aanbieder: Option<&str>) -> Actor {
    Actor {
        user: User {
            username: format!("test.{}", aanbieder.unwrap_or(gemeente)),
            display_name: "Test".into(),
            role,
            gemeenten: vec![Gemeentecode::parse(gemeente).unwrap()],
            aanbieder: aanbieder.map(|a| AgbCode::parse(a).unwrap()),
            gi: None,
        },
        source: None,
    }
}

/// A demo account signed in with the demo password, as the actor of its session.
pub async fn signed_in(app: &App, username: &str) -> Actor {
    let user = app
        .sign_in(username, DEMO_PASSWORD, None)
        .await
        .unwrap()
        .current
        .user;
    Actor { user, source: None }
}

/// Every message in the outbox, oldest first.
pub async fn outbox(store: &Store) -> Vec<Outgoing> {
    let mut tx = store.begin().await.unwrap();
    let mut all = tx.outbox_of(None, None, 100_000).await.unwrap();
    all.reverse();
    all
}

/// Delivers and processes until nothing moves; what was processed.
pub async fn exchange(app: &App) -> Verwerking {
    let mut total = Verwerking::default();
    loop {
        let delivered = app.berichten_bezorgen(10_000).await.unwrap();
        let done = app.berichten_verwerken(10_000).await.unwrap();
        total += done;
        if delivered == 0 && done.totaal() == 0 {
            return total;
        }
    }
}

/// Every RetourCode of a message, in document order.
pub fn codes(xml: &str) -> Vec<String> {
    fn walk(e: &ijw::xml::Element, out: &mut Vec<String>) {
        if e.name == "RetourCode" {
            out.push(e.text.trim().to_owned());
        }
        e.children.iter().for_each(|c| walk(c, out));
    }
    let mut out = Vec::new();
    walk(&ijw::xml::read(xml.as_bytes()).unwrap(), &mut out);
    out
}

/// The last day of the month of `day`.
pub fn month_end(day: NaiveDate) -> NaiveDate {
    let next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    next.unwrap().pred_opt().unwrap()
}

/// `../shared/ijw` beside the checkout with xmllint; their absence fails under `CI=true`.
pub fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ijw");
    let xmllint = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if dir.is_dir() && xmllint {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} or xmllint is missing, but CI=true",
        dir.display()
    );
    eprintln!("no ../shared/ijw or xmllint: skipping the XSD check");
    None
}

/// Every message given passes `ijw::validate` and xmllint with its official XSD.
pub fn every_message_is_valid(messages: &[Outgoing]) {
    let shared = shared();
    for o in messages {
        let report = ijw::validate(o.message.body.as_bytes());
        assert!(
            report.findings.is_empty(),
            "{} {}: {:?}",
            o.message.berichtsoort,
            o.id,
            report.findings
        );
        let Some(dir) = &shared else { continue };
        let xsd = dir
            .join("xsd/ijw-3.2")
            .join(format!("{}.xsd", o.message.berichtsoort.to_lowercase()));
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &o.message.body).unwrap();
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(&xsd)
            .arg(file.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xmllint {} {}: {}",
            o.message.berichtsoort,
            o.id,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
