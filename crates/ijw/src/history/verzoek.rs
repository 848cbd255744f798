//! Allocations (JW301), requests (JW315, JW317) and answers (JW319) against the
//! allocations, requests and declarations known before.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{Known, KnownAllocation, PrestatieStatus, finding, overlap, same_product};
use crate::report::Finding;
use crate::types::{basis, jw301, jw315, jw317, jw319};
use crate::xml::indexed;

pub(super) fn toewijzing(b: &jw301::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let bsn = b.client.bsn.as_str();
    let products = &b.client.toegewezen_producten.toegewezen_product;
    let mut findings = Vec::new();
    for (i, p) in products.iter().enumerate() {
        let path = indexed(
            "Bericht/Client/ToegewezenProducten/ToegewezenProduct",
            i,
            products.len(),
        );
        let mut add = |code, rule, message: String| {
            findings.push(finding(path.clone(), Some(code), rule, message));
        };
        let nummer = p.toewijzing_nummer;
        // Rule: TR332 (9332) — a ToewijzingNummer names one allocated product:
        // one client and one product, in every version.
        if let Some(a) = history.allocation(nummer) {
            if a.bsn != bsn {
                add(
                    "9332",
                    "TR332",
                    format!("ToewijzingNummer {nummer} hoort al bij een andere client"),
                );
            } else if !same_allocated_product(a, p.product.as_ref()) {
                add(
                    "9332",
                    "TR332",
                    format!(
                        "ToewijzingNummer {nummer} hoort al bij een ander product; een ander product krijgt een nieuw nummer"
                    ),
                );
            }
        }
        // Rule: TR379 (9379) — ReferentieAanbieder only in the first allocation
        // that honours a request of this client. Whether an allocation without
        // it honours a request cannot be told from the messages.
        if let Some(referentie) = &p.referentie_aanbieder {
            let problem = match history.request(referentie) {
                None => Some("hoort bij geen verzoek van de aanbieder"),
                Some(r) if r.bsn != bsn => Some("hoort bij een verzoek voor een andere client"),
                Some(r) if r.toegewezen => Some(
                    "is al eerder toegewezen; vul ReferentieAanbieder alleen bij de eerste toewijzing op het verzoek",
                ),
                Some(_) => None,
            };
            if let Some(problem) = problem {
                add(
                    "9379",
                    "TR379",
                    format!("ReferentieAanbieder {referentie} {problem}"),
                );
            }
        }
        // Rule: TR385 (9385) — an allocation with approved prestaties that are
        // not credited cannot be removed (RedenWijziging 13).
        let removed = p.reden_wijziging.is_some_and(|r| r.code() == "13");
        if removed
            && history.prestaties_of(nummer).iter().any(|q| {
                !q.credit && q.status == PrestatieStatus::Goedgekeurd && !history.credited(q)
            })
        {
            add(
                "9385",
                "TR385",
                format!(
                    "ToewijzingNummer {nummer}: de toewijzing heeft goedgekeurde prestaties die niet zijn gecrediteerd en kan niet worden verwijderd (RedenWijziging 13)"
                ),
            );
        }
    }
    findings
}

fn same_allocated_product(a: &KnownAllocation, product: Option<&basis::Product>) -> bool {
    match product {
        Some(p) => a.categorie == p.categorie.code() && a.code == p.code,
        None => a.is_generic(),
    }
}

pub(super) fn verzoek_om_toewijzing(b: &jw315::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let products = &b.client.aangevraagde_producten.aangevraagd_product;
    let mut findings = Vec::new();
    if history.open_request(&b.client.bsn) {
        findings.push(open_request());
    }
    for (i, p) in products.iter().enumerate() {
        if history.reference_used(&p.referentie_aanbieder) {
            findings.push(reference_used(
                indexed(
                    "Bericht/Client/AangevraagdeProducten/AangevraagdProduct",
                    i,
                    products.len(),
                ),
                &p.referentie_aanbieder,
            ));
        }
    }
    findings
}

/// Rule: TR374 (9374) — one open request per client of a provider: a request
/// stays open until a JW301 honours it or a JW319 rejects it.
fn open_request() -> Finding {
    finding(
        "Bericht/Client".to_owned(),
        Some("9374"),
        "TR374",
        "er loopt nog een ander verzoek van deze aanbieder voor deze client".to_owned(),
    )
}

/// Rule: TR347 (9347) — a provider uses a ReferentieAanbieder once.
fn reference_used(path: String, referentie: &str) -> Finding {
    finding(
        path,
        Some("9347"),
        "TR347",
        format!("ReferentieAanbieder {referentie} is al eerder gebruikt"),
    )
}

/// One product of a JW317 with the period and product it stands for (TR361).
struct Requested {
    path: String,
    categorie: String,
    code: Option<String>,
    period: (NaiveDate, Option<NaiveDate>),
}

pub(super) fn verzoek_om_wijziging(b: &jw317::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let bsn = b.client.bsn.as_str();
    let v = &b.client.verzoek;
    // The sender's own date: what was current when the request was made
    // (OP095: not judged on what the sender could not know).
    let dagtekening = b.header.bericht_identificatie.dagtekening;
    let mut findings = Vec::new();
    if history.open_request(bsn) {
        findings.push(open_request());
    }
    const VERZOEK: &str = "Bericht/Client/Verzoek";
    if history.reference_used(&v.referentie_aanbieder) {
        findings.push(reference_used(VERZOEK.to_owned(), &v.referentie_aanbieder));
    }
    let mut requested: Vec<Requested> = Vec::new();
    let mut named: HashSet<i64> = HashSet::new();
    // An allocation named twice (TR101, within the message) is compared once.
    let mut compared: HashSet<i64> = HashSet::new();
    // An allocation named in the request: current, and this client's.
    let mut current = |path: &str,
                       nummer: i64,
                       rule: &'static str,
                       code: &'static str,
                       findings: &mut Vec<Finding>| {
        named.insert(nummer);
        match history
            .allocation(nummer)
            .filter(|a| a.is_current(dagtekening))
        {
            // Rule: TR350 (9350) — an OngewijzigdProduct names a current allocation.
            // Rule: TR351 (9351) — so does a TeWijzigenProduct.
            None => {
                findings.push(finding(
                    path.to_owned(),
                    Some(code),
                    rule,
                    format!("ToewijzingNummer {nummer} is geen actuele toewijzing"),
                ));
                None
            }
            // Rule: TR304 (8187) — the Bsn is the client of the allocations named.
            Some(a) if a.bsn != bsn => {
                findings.push(finding(
                    "Bericht/Client".to_owned(),
                    Some("8187"),
                    "TR304",
                    format!("Bsn hoort niet bij de client van ToewijzingNummer {nummer}"),
                ));
                None
            }
            Some(a) => Some(a),
        }
    };
    let ongewijzigd = v
        .ongewijzigde_producten
        .as_ref()
        .map_or(&[][..], |o| &o.ongewijzigd_product);
    for (i, o) in ongewijzigd.iter().enumerate() {
        let path = indexed(
            &format!("{VERZOEK}/OngewijzigdeProducten/OngewijzigdProduct"),
            i,
            ongewijzigd.len(),
        );
        if let Some(a) = current(&path, o.toewijzing_nummer, "TR350", "9350", &mut findings)
            && compared.insert(a.toewijzing_nummer)
        {
            requested.push(Requested {
                path,
                categorie: a.categorie.clone(),
                code: a.code.clone(),
                period: (a.ingangsdatum, a.einddatum),
            });
        }
    }
    let te_wijzigen = v
        .te_wijzigen_producten
        .as_ref()
        .map_or(&[][..], |t| &t.te_wijzigen_product);
    for (i, t) in te_wijzigen.iter().enumerate() {
        let path = indexed(
            &format!("{VERZOEK}/TeWijzigenProducten/TeWijzigenProduct"),
            i,
            te_wijzigen.len(),
        );
        let Some(a) = current(&path, t.toewijzing_nummer, "TR351", "9351", &mut findings) else {
            continue;
        };
        for (code, rule, message) in change_rules(t, a, dagtekening) {
            findings.push(finding(path.clone(), Some(code), rule, message));
        }
        // The desired situation: the allocation as it started, up to the
        // Einddatum asked for (none: open-ended).
        if !compared.insert(a.toewijzing_nummer) {
            continue;
        }
        requested.push(Requested {
            path,
            categorie: a.categorie.clone(),
            code: a.code.clone(),
            period: (a.ingangsdatum.min(t.gewenste_ingangsdatum), t.einddatum),
        });
    }
    // Rule: TR349 (9349) — the request holds every current allocation of the
    // client, unchanged or to change.
    for a in history
        .allocations_of(bsn)
        .iter()
        .filter(|a| a.is_current(dagtekening) && !named.contains(&a.toewijzing_nummer))
    {
        findings.push(finding(
            VERZOEK.to_owned(),
            Some("9349"),
            "TR349",
            format!(
                "actuele toewijzing {} ontbreekt; neem haar ToewijzingNummer op in OngewijzigdProduct of TeWijzigenProduct",
                a.toewijzing_nummer
            ),
        ));
    }
    let existing = requested.len();
    let nieuw = v
        .nieuwe_producten
        .as_ref()
        .map_or(&[][..], |n| &n.nieuw_product);
    for (i, n) in nieuw.iter().enumerate() {
        requested.push(Requested {
            path: indexed(
                &format!("{VERZOEK}/NieuweProducten/NieuwProduct"),
                i,
                nieuw.len(),
            ),
            categorie: n
                .product
                .as_ref()
                .map_or(String::new(), |p| p.categorie.code().to_owned()),
            code: n.product.as_ref().and_then(|p| p.code.clone()),
            period: (n.gewenste_ingangsdatum, n.einddatum),
        });
    }
    // Rule: TR361 (9361) — an allocation named in the request does not overlap
    // another product of the request that is the same (same code; same
    // category without a code; anything when generic). Two new products are
    // TR410's, within the message: the allocations named come first in
    // `requested`, so each product is compared with the allocations before it.
    for (j, later) in requested.iter().enumerate() {
        let clash = requested.iter().take(j.min(existing)).find(|earlier| {
            same_product(
                (&earlier.categorie, earlier.code.as_deref()),
                (&later.categorie, later.code.as_deref()),
            ) && overlap(earlier.period, later.period)
        });
        if let Some(earlier) = clash {
            findings.push(finding(
                later.path.clone(),
                Some("9361"),
                "TR361",
                format!(
                    "dit product overlapt in periode met hetzelfde product in {}",
                    earlier.path
                ),
            ));
        }
    }
    findings
}

/// The rules of one TeWijzigenProduct against the allocation it changes.
fn change_rules(
    t: &jw317::TeWijzigenProduct,
    a: &KnownAllocation,
    dagtekening: NaiveDate,
) -> Vec<(&'static str, &'static str, String)> {
    let mut problems = Vec::new();
    let gewenst = t.gewenste_ingangsdatum;
    // Rule: TR357 (9357) — a change that does not lie ahead applies to the whole
    // allocation: GewensteIngangsdatum is then the allocation's Ingangsdatum.
    if gewenst <= dagtekening && gewenst != a.ingangsdatum {
        problems.push((
            "9357",
            "TR357",
            format!(
                "GewensteIngangsdatum {gewenst} ligt niet na de Dagtekening en moet dan de Ingangsdatum {} van de toewijzing zijn",
                a.ingangsdatum
            ),
        ));
    }
    // Rule: TR373 (9373) — a change of the Budget or of the total volume within
    // the allocation's period (Frequentie 6) applies to the whole allocation.
    let budget_changes = t.budget.is_some() && t.budget != a.budget;
    let total_changes = t.omvang.as_ref().is_some_and(|o| {
        o.frequentie.code() == "6"
            && (a.frequentie.as_deref() != Some("6")
                || a.volume != Some(o.volume)
                || a.eenheid.as_deref() != Some(o.eenheid.code()))
    });
    if (budget_changes || total_changes) && gewenst != a.ingangsdatum {
        problems.push((
            "9373",
            "TR373",
            format!(
                "een ander Budget of totaal volume geldt voor de hele toewijzing: GewensteIngangsdatum moet {} zijn",
                a.ingangsdatum
            ),
        ));
    }
    // The date (TR375, TR412) from which allocations without a code have no Omvang.
    let since_2021 = a
        .einddatum
        .is_none_or(|e| e > NaiveDate::from_ymd_opt(2020, 12, 31).unwrap_or_default());
    if t.omvang.is_some() && since_2021 {
        // Rule: TR375 (9375) — a generic allocation (no Product) gets no Omvang.
        if a.is_generic() {
            problems.push((
                "9375",
                "TR375",
                "toewijzing zonder Product (generiek): laat Omvang leeg".to_owned(),
            ));
        // Rule: TR412 (9412) — an allocation of a category without a code gets no Omvang.
        } else if a.code.is_none() {
            problems.push((
                "9412",
                "TR412",
                "toewijzing zonder productcode: laat Omvang leeg".to_owned(),
            ));
        }
    }
    // Rule: TR411 (9411) — an allocation with a product code gets an Omvang.
    if a.code.is_some() && t.omvang.is_none() {
        problems.push((
            "9411",
            "TR411",
            "toewijzing met productcode: Omvang is verplicht".to_owned(),
        ));
    }
    problems
}

pub(super) fn antwoord(b: &jw319::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let a = &b.antwoord;
    let referentie = a.referentie_aanbieder.as_str();
    let mut findings = Vec::new();
    let mut add = |code, rule, message: String| {
        findings.push(finding(
            "Bericht/Antwoord".to_owned(),
            Some(code),
            rule,
            message,
        ));
    };
    let Some(request) = history.request(referentie) else {
        // Rule: TR355 (9355) — an answer belongs to an earlier request.
        if !history.reference_used(referentie) {
            add(
                "9355",
                "TR355",
                format!("ReferentieAanbieder {referentie} hoort bij geen eerder verzoek"),
            );
        }
        return findings;
    };
    // Rule: TR359 (9359) — no answer on a request an allocation already honoured.
    if request.toegewezen {
        add(
            "9359",
            "TR359",
            format!(
                "ReferentieAanbieder {referentie}: op dit verzoek is al een toewijzing gestuurd"
            ),
        );
    }
    // Rule: TR365 (9365) — an answer may only follow an "in onderzoek" (2).
    if request.antwoorden.iter().any(|x| x != "2") {
        add(
            "9365",
            "TR365",
            format!(
                "ReferentieAanbieder {referentie}: dit verzoek is al afgewezen; er volgt geen antwoord meer"
            ),
        );
    }
    // Rule: TR360 (9360) — "in onderzoek" (2) is answered once per request.
    if a.verzoek_antwoord.code() == "2" && !request.antwoorden.is_empty() {
        add(
            "9360",
            "TR360",
            format!(
                "ReferentieAanbieder {referentie}: op dit verzoek is al geantwoord; VerzoekAntwoord 2 (in onderzoek) kan maar één keer"
            ),
        );
    }
    findings
}
