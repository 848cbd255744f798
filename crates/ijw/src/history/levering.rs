//! Starts (JW305) and stops (JW307) against the allocations and the starts and
//! stops received before: a small state machine per start.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{Known, KnownDelivery, finding, product_of};
use crate::report::Finding;
use crate::types::{basis, codes, jw305, jw307};
use crate::xml::indexed;

/// The logical key of a start, which a stop repeats: Bsn, ToewijzingNummer,
/// Product and Begindatum (iJw §9).
struct StartKey<'a> {
    bsn: &'a str,
    nummer: Option<i64>,
    categorie: Option<String>,
    code: Option<String>,
    begindatum: NaiveDate,
}

impl<'a> StartKey<'a> {
    fn new(
        bsn: &'a str,
        nummer: Option<i64>,
        product: Option<&basis::Product>,
        begindatum: NaiveDate,
    ) -> Self {
        let (categorie, code) = product_of(product);
        StartKey {
            bsn,
            nummer,
            categorie,
            code,
            begindatum,
        }
    }

    fn matches(&self, known: &KnownDelivery) -> bool {
        known.bsn == self.bsn
            && known.toewijzing_nummer == self.nummer
            && known.categorie == self.categorie
            && known.code == self.code
            && known.begindatum == self.begindatum
    }

    fn allocation(&self) -> Allocation<'_> {
        Allocation::new(self.nummer, self.categorie.as_deref(), self.code.as_deref())
    }
}

/// The allocation a start or stop belongs to: its ToewijzingNummer or, without
/// one (taakgericht), its product. Every rule compares starts and stops of one
/// allocation only, so the history's are grouped by it.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct Allocation<'a> {
    nummer: Option<i64>,
    product: Option<(Option<&'a str>, Option<&'a str>)>,
}

impl<'a> Allocation<'a> {
    fn new(nummer: Option<i64>, categorie: Option<&'a str>, code: Option<&'a str>) -> Self {
        let product = nummer.is_none().then_some((categorie, code));
        Allocation { nummer, product }
    }

    pub(super) fn of(known: &'a KnownDelivery) -> Self {
        Self::new(
            known.toewijzing_nummer,
            known.categorie.as_deref(),
            known.code.as_deref(),
        )
    }
}

/// StatusAanlevering 3: the removal of an earlier class with the same key.
fn is_removal(status: codes::StatusAanlevering) -> bool {
    status.code() == "3"
}

/// Rule: TR019 (9019) — in the inspannings- and outputgericht variants a start
/// or stop names the allocation it belongs to by its ToewijzingNummer. With a
/// number, the allocation must be this client's. Without one the message may be
/// taakgericht, which only the contract tells; but a product this client has an
/// allocation for is not taakgericht, so then the number is missing.
fn unlinked(
    history: &Known<'_>,
    bsn: &str,
    nummer: Option<i64>,
    product: Option<&basis::Product>,
) -> Option<String> {
    match nummer {
        Some(n) => (history.allocation(n).is_none_or(|a| a.bsn != bsn))
            .then(|| format!("ToewijzingNummer {n} hoort niet bij een toewijzing van deze client")),
        None => {
            let p = product?;
            history
                .allocations_of(bsn)
                .iter()
                .any(|a| {
                    a.categorie == p.categorie.code()
                        && (a.code.is_none() || p.code.is_none() || a.code == p.code)
                })
                .then(|| {
                    "ToewijzingNummer ontbreekt, terwijl de client een toewijzing voor dit product heeft"
                        .to_owned()
                })
        }
    }
}

pub(super) fn starts(b: &jw305::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let bsn = b.client.bsn.as_str();
    let starts = &b.client.start_producten.start_product;
    let mut findings = Vec::new();
    for (i, s) in starts.iter().enumerate() {
        let path = indexed(
            "Bericht/Client/StartProducten/StartProduct",
            i,
            starts.len(),
        );
        let mut add = |code, rule, message: String| {
            findings.push(finding(path.clone(), Some(code), rule, message));
        };
        let key = StartKey::new(bsn, s.toewijzing_nummer, s.product.as_ref(), s.begindatum);
        let (started, stopped) = (
            history.starts_of(&key.allocation()),
            history.stops_of(&key.allocation()),
        );
        let received = started.iter().any(|k| key.matches(k));
        if is_removal(s.status_aanlevering) {
            // Rule: TR063 (9063) — only a start that came can be removed.
            if !received {
                add(
                    "9063",
                    "TR063",
                    "er is geen eerdere StartProduct met dezelfde sleutel (ToewijzingNummer, Product, Begindatum) om te verwijderen".to_owned(),
                );
            // Rule: TR071 (9071) — a start that has a stop can no longer be removed.
            } else if stopped.iter().any(|k| key.matches(k)) {
                add(
                    "9071",
                    "TR071",
                    "deze StartProduct is al gestopt en kan niet meer worden verwijderd".to_owned(),
                );
            }
            continue;
        }
        if let Some(message) = unlinked(history, bsn, s.toewijzing_nummer, s.product.as_ref()) {
            add("9019", "TR019", message);
        }
        // Rule: TR074 (9074) — a first delivery's key is new across all messages.
        if received {
            add(
                "9074",
                "TR074",
                "deze StartProduct (zelfde ToewijzingNummer, Product en Begindatum) is al eerder ontvangen".to_owned(),
            );
            continue;
        }
        // Rule: TR326 (9326) — one current start per allocation: an earlier start
        // without a stop has to be stopped before a new one comes.
        // A start is stopped by a stop that repeats its key.
        let ends: HashSet<_> = stopped.iter().map(|stop| key_of(stop)).collect();
        if started
            .iter()
            .any(|k| k.bsn == bsn && !ends.contains(&key_of(k)))
        {
            add(
                "9326",
                "TR326",
                "een eerdere StartProduct van deze toewijzing is nog niet gestopt".to_owned(),
            );
        }
    }
    findings
}

/// The key a start and its stops share: Bsn, ToewijzingNummer, Product and Begindatum.
fn key_of(d: &KnownDelivery) -> (&str, Option<i64>, Option<&str>, Option<&str>, NaiveDate) {
    (
        d.bsn.as_str(),
        d.toewijzing_nummer,
        d.categorie.as_deref(),
        d.code.as_deref(),
        d.begindatum,
    )
}

/// RedenBeeindiging 20: delivery stopped for a while.
const TEMPORARY: &str = "20";

pub(super) fn stops(b: &jw307::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let bsn = b.client.bsn.as_str();
    let stops = &b.client.stop_producten.stop_product;
    let mut findings = Vec::new();
    for (i, s) in stops.iter().enumerate() {
        let path = indexed("Bericht/Client/StopProducten/StopProduct", i, stops.len());
        let mut add = |code, rule, message: String| {
            findings.push(finding(path.clone(), Some(code), rule, message));
        };
        let key = StartKey::new(bsn, s.toewijzing_nummer, s.product.as_ref(), s.begindatum);
        let reden = s.reden_beeindiging.code();
        // A stop's own key adds RedenBeeindiging and Einddatum to the start's.
        let (started, stopped) = (
            history.starts_of(&key.allocation()),
            history.stops_of(&key.allocation()),
        );
        let received = stopped.iter().any(|k| {
            key.matches(k)
                && k.reden_beeindiging.as_deref() == Some(reden)
                && k.einddatum == Some(s.einddatum)
        });
        if is_removal(s.status_aanlevering) {
            // Rule: TR063 (9063) — only a stop that came can be removed.
            if !received {
                add(
                    "9063",
                    "TR063",
                    "er is geen eerdere StopProduct met dezelfde sleutel om te verwijderen"
                        .to_owned(),
                );
            }
            continue;
        }
        if let Some(message) = unlinked(history, bsn, s.toewijzing_nummer, s.product.as_ref()) {
            add("9019", "TR019", message);
        }
        // Rule: TR074 (9074) — a first delivery's key is new across all messages.
        if received {
            add(
                "9074",
                "TR074",
                "deze StopProduct (zelfde sleutel, RedenBeeindiging en Einddatum) is al eerder ontvangen".to_owned(),
            );
            continue;
        }
        // Rule: TR382 (9069) — a stop repeats the key of a start that came.
        if !started.iter().any(|k| key.matches(k)) {
            add(
                "9069",
                "TR382",
                "er is geen StartProduct met dezelfde ToewijzingNummer, Product en Begindatum om te stoppen".to_owned(),
            );
            continue;
        }
        // The earlier stops of this start: of its allocation, client and Begindatum.
        let earlier: Vec<&KnownDelivery> = stopped
            .iter()
            .filter(|k| k.bsn == bsn && k.begindatum == s.begindatum)
            .copied()
            .collect();
        // Rule: TR415 (9415) — after a definitive stop no other stop follows.
        if earlier
            .iter()
            .any(|k| k.reden_beeindiging.as_deref() != Some(TEMPORARY))
        {
            add(
                "9415",
                "TR415",
                "deze levering is al definitief gestopt; een volgende StopProduct is niet mogelijk"
                    .to_owned(),
            );
            continue;
        }
        // Rule: TR413 (9413) — after a temporary stop (20) the next stop is definitive.
        if !earlier.is_empty() && reden == TEMPORARY {
            add(
                "9413",
                "TR413",
                "deze levering is al tijdelijk gestopt (RedenBeeindiging 20); de volgende StopProduct heeft een andere RedenBeeindiging".to_owned(),
            );
        }
        // Rule: TR414 (9414) — a later stop does not end before the earlier one.
        if let Some(last) = earlier.iter().filter_map(|k| k.einddatum).max()
            && s.einddatum < last
        {
            add(
                "9414",
                "TR414",
                format!(
                    "Einddatum {} ligt voor de Einddatum {last} van de eerdere StopProduct",
                    s.einddatum
                ),
            );
        }
    }
    findings
}
