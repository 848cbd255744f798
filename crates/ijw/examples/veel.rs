//! The rules on messages of many items: each message type's repeating class is
//! filled with `n` copies (each with its own number or reference), and the time of
//! `validate()` and of the rules across messages is printed. A rule that compares
//! every pair of items shows as time growing with the square of `n`:
//!   cargo build --release -p ijw --example veel
//!   target/release/examples/veel 5000 && target/release/examples/veel 20000

use std::io::Write;
use std::time::Instant;

use ijw::Bericht;
use ijw::Berichtsoort;
use ijw::{History, KnownAllocation};

/// Replaces `list` by `n` copies of its first item, the `i`-th edited by `edit`.
fn copies<T: Clone>(list: &mut Vec<T>, n: usize, edit: impl Fn(&mut T, usize)) {
    if let Some(first) = list.first().cloned() {
        *list = (0..n)
            .map(|i| {
                let mut item = first.clone();
                edit(&mut item, i);
                item
            })
            .collect();
    }
}

fn many(soort: Berichtsoort, n: usize) -> Bericht {
    let mut bericht = ijw::voorbeeld(soort);
    let nummer = |i: usize| i64::try_from(i + 1).unwrap_or(i64::MAX);
    match &mut bericht {
        Bericht::Jw301(b) => copies(
            &mut b.client.toegewezen_producten.toegewezen_product,
            n,
            |p, i| p.toewijzing_nummer = nummer(i),
        ),
        Bericht::Jw305(b) => copies(&mut b.client.start_producten.start_product, n, |p, i| {
            p.toewijzing_nummer = Some(nummer(i));
        }),
        Bericht::Jw307(b) => copies(&mut b.client.stop_producten.stop_product, n, |p, i| {
            p.toewijzing_nummer = Some(nummer(i));
        }),
        Bericht::Jw315(b) => copies(
            &mut b.client.aangevraagde_producten.aangevraagd_product,
            n,
            |p, i| p.referentie_aanbieder = format!("REF-{i}"),
        ),
        Bericht::Jw317(b) => {
            if let Some(nieuw) = &mut b.client.verzoek.nieuwe_producten {
                copies(&mut nieuw.nieuw_product, n, |_, _| {});
            }
        }
        Bericht::Jw323(b) => {
            for client in &mut b.declaratie.clienten.client {
                copies(&mut client.prestaties.prestatie, n, |p, i| {
                    p.product_referentie.referentie_nummer = format!("P{i}");
                    p.toewijzing_nummer = nummer(i);
                });
            }
        }
        _ => {}
    }
    bericht
}

/// A history that names as many allocations as the message, none of them its own.
fn history(n: usize) -> History {
    History {
        allocations: (0..n)
            .map(|i| KnownAllocation {
                toewijzing_nummer: -i64::try_from(i).unwrap_or(0),
                ..KnownAllocation::default()
            })
            .collect(),
        ..History::default()
    }
}

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let history = history(n);
    let mut out = std::io::stdout();
    for soort in [
        Berichtsoort::Jw301,
        Berichtsoort::Jw305,
        Berichtsoort::Jw307,
        Berichtsoort::Jw315,
        Berichtsoort::Jw317,
        Berichtsoort::Jw323,
    ] {
        let xml = ijw::encode(&many(soort, n));
        let begin = Instant::now();
        let report = ijw::validate(xml.as_bytes());
        let validated = begin.elapsed();
        let begin = Instant::now();
        let across = report
            .bericht
            .as_ref()
            .map_or(0, |b| ijw::check_against(b, &history).len());
        writeln!(
            out,
            "{soort}: {n} items, {} kB: validate {validated:.2?} ({} findings), across {:.2?} ({across} findings)",
            xml.len() / 1024,
            report.findings.len(),
            begin.elapsed(),
        )?;
    }
    Ok(())
}
