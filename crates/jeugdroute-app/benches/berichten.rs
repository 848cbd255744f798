//! The whole message pipeline under load (issue 13, speed): 10,000 incoming
//! messages — starts, stops and declarations of 10 prestaties each, for the demo
//! region's allocations — received, then processed (XML, XSD, the rules within,
//! the rules against the database, applied, answered, audited) on SQLite and,
//! when `JEUGDROUTE_TEST_POSTGRES_URL` names a server, on a throw-away PostgreSQL
//! database. Prints messages per second and an estimate of where the time goes,
//! measured by running the codec's parts alone over the same messages.
//!
//! `cargo bench -p jeugdroute-app --bench berichten` (`BERICHTEN=2000` for fewer).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    reason = "a benchmark"
)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::Datelike;
use ijw::types::codes::StatusAanlevering;
use ijw::types::{jw301, jw305, jw307, jw323};
use ijw::{Bericht, Berichtsoort, History};
use jeugdroute_app::{App, Kanaal};
use jeugdroute_store::DatabaseUrl;
use jeugdroute_store::testing::TestDatabase;

fn main() {
    let n: usize = std::env::var("BERICHTEN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let sqlite = TestDatabase::sqlite();
        run("SQLite", &sqlite.url, n).await;
        if let Some(pg) = TestDatabase::postgres().await {
            run("PostgreSQL", &pg.url, n).await;
            pg.drop_database().await.unwrap();
        }
    });
}

/// The demo's allocations as their JW301s went out.
async fn allocations(app: &App) -> Vec<jw301::Bericht> {
    let mut tx = app.store().begin().await.unwrap();
    tx.outbox_of(None, None, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.message.berichtsoort == "JW301")
        .map(|o| match ijw::decode(o.message.body.as_bytes()).unwrap() {
            Bericht::Jw301(b) => b,
            _ => panic!("JW301"),
        })
        .collect()
}

/// Message `i` of the mix. The allocations are taken in rounds, three messages
/// each per round: in even rounds a start and then a stop, in odd rounds the
/// removal of that stop and then of that start (StatusAanlevering 3), so every
/// start and stop is applied; and in every round a declaration of 10 prestaties
/// over the allocation's first month, which the rules across messages refuse
/// (the demo allocates one unit over the whole allocation, and from the second
/// round on the prestaties were declared before; the benchmark prints the rules
/// that refused). Each message has an Identificatie of its own.
fn message(i: usize, allocations: &[jw301::Bericht]) -> Vec<u8> {
    let round = i / (3 * allocations.len());
    let a = &allocations[(i / 3) % allocations.len()];
    let identificatie = format!("B{i:09}");
    let removal = round % 2 == 1;
    let status = if removal {
        StatusAanlevering::VerwijderenAanlevering
    } else {
        StatusAanlevering::EersteAanlevering
    };
    let bericht = match (i % 3, removal) {
        (0, false) | (1, true) => start(a, identificatie, status),
        (0, true) | (1, false) => stop(a, identificatie, status),
        _ => declaratie(i, a, identificatie),
    };
    ijw::encode(&bericht).into_bytes()
}

/// The header of a provider's message about allocation `a`: from its provider to
/// its gemeente, under `identificatie`.
macro_rules! van_aanbieder {
    ($b:ident, $a:ident, $identificatie:ident) => {
        $b.header.afzender = $a.header.ontvanger.clone();
        $b.header.ontvanger = $a.header.afzender.clone();
        $b.header.bericht_identificatie.identificatie = $identificatie;
    };
}

/// The client of a start or stop: the youth of allocation `a`.
macro_rules! over_client {
    ($b:ident, $a:ident) => {
        $b.client.bsn = $a.client.bsn.clone();
        $b.client.geboortedatum = $a.client.geboortedatum.clone();
    };
}

fn start(a: &jw301::Bericht, identificatie: String, status: StatusAanlevering) -> Bericht {
    let product = &a.client.toegewezen_producten.toegewezen_product[0];
    let Bericht::Jw305(mut b) = ijw::voorbeeld(Berichtsoort::Jw305) else {
        panic!()
    };
    van_aanbieder!(b, a, identificatie);
    over_client!(b, a);
    let s: &mut jw305::StartProduct = &mut b.client.start_producten.start_product[0];
    s.toewijzing_nummer = Some(product.toewijzing_nummer);
    s.product = product.product.clone();
    s.toewijzing_ingangsdatum = Some(product.ingangsdatum);
    s.begindatum = product.ingangsdatum;
    s.status_aanlevering = status;
    Bericht::Jw305(b)
}

fn stop(a: &jw301::Bericht, identificatie: String, status: StatusAanlevering) -> Bericht {
    let product = &a.client.toegewezen_producten.toegewezen_product[0];
    let Bericht::Jw307(mut b) = ijw::voorbeeld(Berichtsoort::Jw307) else {
        panic!()
    };
    van_aanbieder!(b, a, identificatie);
    over_client!(b, a);
    let s: &mut jw307::StopProduct = &mut b.client.stop_producten.stop_product[0];
    s.toewijzing_nummer = Some(product.toewijzing_nummer);
    s.product = product.product.clone();
    s.toewijzing_ingangsdatum = Some(product.ingangsdatum);
    s.begindatum = product.ingangsdatum;
    let einde = product.ingangsdatum + chrono::Days::new(30);
    s.einddatum = product.einddatum.map_or(einde, |e| e.min(einde));
    s.status_aanlevering = status;
    Bericht::Jw307(b)
}

fn declaratie(i: usize, a: &jw301::Bericht, identificatie: String) -> Bericht {
    let product = &a.client.toegewezen_producten.toegewezen_product[0];
    let Bericht::Jw323(mut b) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!()
    };
    van_aanbieder!(b, a, identificatie);
    b.declaratie.declaratie_nummer = format!("D{i:09}");
    let client = &mut b.declaratie.clienten.client[0];
    client.bsn = a.client.bsn.clone();
    let template: jw323::Prestatie = client.prestaties.prestatie[0].clone();
    // The calendar month the allocation starts in (CS340), its days from the
    // allocation's first on, within the allocation.
    let day = product.ingangsdatum;
    let maand = day.with_day(1).unwrap();
    let volgende = maand.checked_add_months(chrono::Months::new(1)).unwrap();
    let laatste = product.einddatum.map_or(volgende.pred_opt().unwrap(), |e| {
        e.min(volgende.pred_opt().unwrap())
    });
    client.prestaties.prestatie = (0..10u64)
        .map(|k| {
            let mut p = template.clone();
            p.product_referentie.referentie_nummer = format!("P{i:09}{k}");
            p.product_referentie.vorig_referentie_nummer = None;
            p.toewijzing_nummer = product.toewijzing_nummer;
            if let Some(x) = &product.product {
                p.product_categorie = x.categorie;
                p.product_code = x.code.clone().unwrap_or_default();
            }
            let dag = (day + chrono::Days::new(k)).min(laatste);
            p.product_periode.begindatum = dag;
            p.product_periode.einddatum = dag;
            p
        })
        .collect();
    let total: i64 = client
        .prestaties
        .prestatie
        .iter()
        .map(|p| p.ingediend_bedrag.bedrag)
        .sum();
    b.declaratie.totaal_ingediend_bedrag.totaal_bedrag = total;
    b.declaratie.declaratie_periode.begindatum = maand;
    b.declaratie.declaratie_periode.einddatum = volgende.pred_opt().unwrap();
    Bericht::Jw323(b)
}

/// How many refused messages each message type and set of rules has.
async fn refusals(app: &App) -> BTreeMap<String, usize> {
    let mut tx = app.store().begin().await.unwrap();
    let mut tally = BTreeMap::new();
    for m in tx.inbox_of(None, None, 1_000_000).await.unwrap() {
        if m.state != "afgekeurd" {
            continue;
        }
        let findings: Vec<serde_json::Value> =
            serde_json::from_str(m.findings.as_deref().unwrap_or("[]")).unwrap();
        let mut rules: Vec<&str> = findings
            .iter()
            .filter_map(|f| f["regel"].as_str())
            .collect();
        rules.sort_unstable();
        rules.dedup();
        let key = format!("{} {}", m.berichtsoort.unwrap_or_default(), rules.join("+"));
        *tally.entry(key).or_insert(0) += 1;
    }
    tally
}

fn rate(n: usize, d: Duration) -> String {
    format!("{:.0}/s", n as f64 / d.as_secs_f64())
}

fn share(part: Duration, whole: Duration) -> String {
    format!("{:>4.1}%", 100.0 * part.as_secs_f64() / whole.as_secs_f64())
}

async fn run(backend: &str, url: &DatabaseUrl, n: usize) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    app.berichten_afhandelen(None).await.unwrap();
    let allocations = allocations(&app).await;
    let berichten: Vec<Vec<u8>> = (0..n).map(|i| message(i, &allocations)).collect();

    let started = Instant::now();
    for chunk in berichten.chunks(1000) {
        app.berichten_importeren(Kanaal::Api, chunk).await.unwrap();
    }
    let receiving = started.elapsed();
    let started = Instant::now();
    let done = app.berichten_verwerken(n).await.unwrap();
    let processing = started.elapsed();
    assert_eq!(done.totaal(), n, "{done:?}");

    // The codec's parts alone over the same messages.
    let started = Instant::now();
    let decoded: Vec<Bericht> = berichten.iter().map(|b| ijw::decode(b).unwrap()).collect();
    let xml = started.elapsed();
    let started = Instant::now();
    let reports: Vec<ijw::Report> = berichten.iter().map(|b| ijw::validate(b)).collect();
    let validating = started.elapsed();
    let started = Instant::now();
    for b in &decoded {
        let _ = ijw::check_against(b, &History::default());
    }
    let rules = validating.saturating_sub(xml) + started.elapsed();
    let started = Instant::now();
    for (b, r) in decoded.iter().zip(&reports) {
        let retour = ijw::retour(
            b,
            &r.findings,
            ijw::RetourId {
                identificatie: "R00000000001",
                dagtekening: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            },
        );
        if let Ok(retour) = retour {
            let _ = ijw::encode(&retour);
        }
    }
    let answering = started.elapsed();
    let rest = processing.saturating_sub(xml + rules + answering);

    println!(
        "{backend}: {n} messages ({} verwerkt, {} afgekeurd, {} onleesbaar, {} dubbel)",
        done.verwerkt, done.afgekeurd, done.onleesbaar, done.dubbel
    );
    println!(
        "  refused, by message type and rules: {:?}",
        refusals(&app).await
    );
    println!(
        "  received in {:.2} s ({}), processed in {:.2} s ({})",
        receiving.as_secs_f64(),
        rate(n, receiving),
        processing.as_secs_f64(),
        rate(n, processing)
    );
    println!(
        "  of processing: XML read+schema {}, rules {}, retour written {}, database and the rest {}",
        share(xml, processing),
        share(rules, processing),
        share(answering, processing),
        share(rest, processing)
    );
    app.close().await;
}
