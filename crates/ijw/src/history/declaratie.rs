//! Declarations (JW323) against the allocations and the earlier declarations,
//! and declaration answers (JW325) against the declaration they answer.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::{Known, KnownAllocation, KnownPrestatie, PrestatieStatus, finding, volume};
use crate::report::Finding;
use crate::rules::signed;
use crate::types::{jw323, jw325};
use crate::xml::indexed;

type Problem = (&'static str, &'static str, String);

/// A prestatie of the message with where it stands.
struct Here<'a> {
    path: String,
    bsn: &'a str,
    p: &'a jw323::Prestatie,
}

fn is_credit(p: &jw323::Prestatie) -> bool {
    p.ingediend_bedrag.debet_credit.code() == "C"
}

/// A rejected prestatie counts as never sent.
fn counts(k: &KnownPrestatie) -> bool {
    k.status != PrestatieStatus::Afgewezen
}

pub(super) fn declaratie(b: &jw323::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let d = &b.declaratie;
    let mut findings = Vec::new();
    // Rule: TR333 (9333) — a provider uses a DeclaratieNummer once.
    if history.declaratienummers.contains(&d.declaratie_nummer)
        || history
            .declaraties
            .iter()
            .any(|k| k.declaratie_nummer == d.declaratie_nummer)
    {
        findings.push(finding(
            "Bericht/Declaratie".to_owned(),
            Some("9333"),
            "TR333",
            format!(
                "DeclaratieNummer {} is al eerder gebruikt",
                d.declaratie_nummer
            ),
        ));
    }
    // Rule: TR318 (8214) — each DeclaratiePeriode follows the previous one. A
    // month may be skipped when no care was given in it, which the messages do
    // not tell; a period that does not lie after the last one is always wrong.
    if let Some(last) = history.declaraties.iter().map(|k| k.einddatum).max()
        && d.declaratie_periode.begindatum <= last
    {
        findings.push(finding(
            "Bericht/Declaratie".to_owned(),
            Some("8214"),
            "TR318",
            format!(
                "DeclaratiePeriode begint op {} en volgt daarmee niet op de vorige declaratieperiode (tot en met {last})",
                d.declaratie_periode.begindatum
            ),
        ));
    }
    let clients = &d.clienten.client;
    let mut all: Vec<Here<'_>> = Vec::new();
    for (ci, client) in clients.iter().enumerate() {
        let client_path = indexed("Bericht/Declaratie/Clienten/Client", ci, clients.len());
        let prestaties = &client.prestaties.prestatie;
        for (pi, p) in prestaties.iter().enumerate() {
            all.push(Here {
                path: indexed(
                    &format!("{client_path}/Prestaties/Prestatie"),
                    pi,
                    prestaties.len(),
                ),
                bsn: &client.bsn,
                p,
            });
        }
    }
    let mut seen = Seen::default();
    for here in &all {
        let mut problems = references(here.p, &seen, history);
        // Rule: TR319 (9319) — a prestatie lies in the declaration's period or an earlier one.
        if here.p.product_periode.einddatum > d.declaratie_periode.einddatum {
            problems.push((
                "9319",
                "TR319",
                format!(
                    "ProductPeriode eindigt na de DeclaratiePeriode ({})",
                    d.declaratie_periode.einddatum
                ),
            ));
        }
        problems.extend(against_allocation(here, history));
        for (code, rule, message) in problems {
            findings.push(finding(here.path.clone(), Some(code), rule, message));
        }
        seen.add(here.p);
    }
    findings.extend(totals(&all, history));
    findings
}

/// What the prestaties before this one in the message used: their
/// ReferentieNummers, and the VorigReferentieNummers their credits name.
#[derive(Default)]
struct Seen<'a> {
    referenties: HashSet<&'a str>,
    credited: HashSet<&'a str>,
}

impl<'a> Seen<'a> {
    fn add(&mut self, p: &'a jw323::Prestatie) {
        self.referenties
            .insert(p.product_referentie.referentie_nummer.as_str());
        if let Some(vorig) = p.product_referentie.vorig_referentie_nummer.as_deref()
            && is_credit(p)
        {
            self.credited.insert(vorig);
        }
    }
}

/// The rules on the ProductReferentie: unique, and a credit on an approved debet.
fn references(p: &jw323::Prestatie, seen: &Seen<'_>, history: &Known<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let referentie = &p.product_referentie.referentie_nummer;
    // Rule: TR314 (8021) — a ReferentieNummer is used once, in this message and across messages.
    if history.prestatie_declared(referentie) || seen.referenties.contains(referentie.as_str()) {
        problems.push((
            "8021",
            "TR314",
            format!("ReferentieNummer {referentie} is al eerder gebruikt"),
        ));
    }
    let vorig = p.product_referentie.vorig_referentie_nummer.as_deref();
    if is_credit(p) {
        // Rule: TR323 (8017) — a credit names, by VorigReferentieNummer, an
        // approved debet sent before.
        let debet_known = vorig.is_some_and(|v| {
            history
                .prestaties(v)
                .iter()
                .any(|k| !k.credit && k.status == PrestatieStatus::Goedgekeurd)
        });
        if !debet_known {
            problems.push((
                "8017",
                "TR323",
                format!(
                    "deze creditprestatie hoort bij geen eerder goedgekeurde debetprestatie (VorigReferentieNummer {})",
                    vorig.unwrap_or("ontbreekt")
                ),
            ));
        }
        // Rule: TR390 (9390) — a debet prestatie is credited once.
        let credited_before = vorig.is_some_and(|v| {
            history.credits(v).iter().any(|k| counts(k)) || seen.credited.contains(v)
        });
        if credited_before {
            problems.push((
                "9390",
                "TR390",
                format!(
                    "VorigReferentieNummer {}: deze debetprestatie is al eerder gecrediteerd",
                    vorig.unwrap_or_default()
                ),
            ));
        }
    } else {
        // Rule: TR389 (9389) — one debet per ToewijzingNummer, product and
        // ProductPeriode, unless the earlier debet was credited (before, or in
        // this message).
        let credited_here = |k: &KnownPrestatie| {
            history.credited(k) || seen.credited.contains(k.referentie_nummer.as_str())
        };
        if let Some(k) = history.prestaties_of(p.toewijzing_nummer).iter().find(|k| {
            !k.credit
                && counts(k)
                && k.toewijzing_nummer == p.toewijzing_nummer
                && k.product_categorie == p.product_categorie.code()
                && k.product_code == p.product_code
                && k.begindatum == p.product_periode.begindatum
                && k.einddatum == p.product_periode.einddatum
                && !credited_here(k)
        }) {
            problems.push((
                "9389",
                "TR389",
                format!(
                    "voor deze toewijzing, dit product en deze ProductPeriode is al debetprestatie {} ingediend; crediteer die eerst",
                    k.referentie_nummer
                ),
            ));
        }
    }
    problems
}

/// The allocation a prestatie is declared on, when it may be judged against it.
fn allocation_of<'h>(here: &Here<'_>, history: &Known<'h>) -> Option<&'h KnownAllocation> {
    history
        .allocation(here.p.toewijzing_nummer)
        .filter(|a| a.bsn == here.bsn && a.reden_wijziging.as_deref() != Some("13"))
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn last_of_month(date: NaiveDate) -> NaiveDate {
    let next = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year().saturating_add(1), 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(date)
}

fn against_allocation(here: &Here<'_>, history: &Known<'_>) -> Vec<Problem> {
    let p = here.p;
    let mut problems = Vec::new();
    let nummer = p.toewijzing_nummer;
    // Rule: TR338 (9338) — a prestatie names a known allocation by its ToewijzingNummer.
    let Some(a) = history.allocation(nummer) else {
        problems.push((
            "9338",
            "TR338",
            format!("ToewijzingNummer {nummer} hoort bij geen bekende toewijzing"),
        ));
        return problems;
    };
    // Rule: TR304 (8187) — the client's Bsn is the one of the allocation.
    if a.bsn != here.bsn {
        problems.push((
            "8187",
            "TR304",
            format!("Bsn van de client hoort niet bij ToewijzingNummer {nummer}"),
        ));
        return problems;
    }
    // Rule: TR384 (9384) — nothing is declared on a removed allocation
    // (RedenWijziging 13), which counts as never sent.
    if a.reden_wijziging.as_deref() == Some("13") {
        problems.push((
            "9384",
            "TR384",
            format!("ToewijzingNummer {nummer}: de toewijzing is verwijderd (RedenWijziging 13); declareren is niet toegestaan"),
        ));
        return problems;
    }
    // Rule: TR339 (9339) — the ProductCategorie of the allocation, when it has one.
    if !a.is_generic() && p.product_categorie.code() != a.categorie {
        problems.push((
            "9339",
            "TR339",
            format!(
                "ProductCategorie {} hoort niet bij de toewijzing ({})",
                p.product_categorie.code(),
                a.categorie
            ),
        ));
    }
    // Rule: TR340 (9340) — the ProductCode of the allocation, when it has one.
    if a.code.as_ref().is_some_and(|code| *code != p.product_code) {
        problems.push((
            "9340",
            "TR340",
            format!(
                "ProductCode {} hoort niet bij de toewijzing",
                p.product_code
            ),
        ));
    }
    // Rule: TR341 (9341) — the unit of the allocation; minutes may be declared on
    // hours. Without an Omvang the unit is the contract's, not in any message.
    let unit = p.eenheid.code();
    let factor = a
        .eenheid
        .as_deref()
        .map(|allocated| volume::factor(allocated, unit));
    if factor == Some(None) {
        problems.push((
            "9341",
            "TR341",
            format!("Eenheid {unit} hoort niet bij de toewijzing"),
        ));
    }
    let periode = &p.product_periode;
    // Rule: TR307 (9307) — the ProductPeriode does not begin before the allocation.
    let begins_inside = periode.begindatum >= a.ingangsdatum;
    if !begins_inside {
        problems.push((
            "9307",
            "TR307",
            format!(
                "ProductPeriode begint voor de Ingangsdatum {} van de toewijzing",
                a.ingangsdatum
            ),
        ));
    }
    // Rule: TR308 (9308) — nor end after it.
    let ends_inside = a.einddatum.is_none_or(|end| periode.einddatum <= end);
    if !ends_inside {
        problems.push((
            "9308",
            "TR308",
            "ProductPeriode eindigt na de Einddatum van de toewijzing".to_owned(),
        ));
    }
    // Rule: TR387 (9387) — a ProductPeriode begins on the first of its month,
    // or on the allocation's Ingangsdatum when that lies later in the month.
    let month_start = first_of_month(periode.begindatum);
    let begin = month_start.max(a.ingangsdatum);
    if begins_inside && periode.begindatum != begin {
        problems.push((
            "9387",
            "TR387",
            format!("ProductPeriode hoort te beginnen op {begin}"),
        ));
    }
    // Rule: TR388 (9388) — it ends on the last day of its month, or on the
    // allocation's Einddatum when that lies earlier in the month.
    let month_end = last_of_month(periode.einddatum);
    let end = a.einddatum.map_or(month_end, |e| month_end.min(e));
    if ends_inside && periode.einddatum != end {
        problems.push((
            "9388",
            "TR388",
            format!("ProductPeriode hoort te eindigen op {end}"),
        ));
    }
    // Rule: TR321 (9321) — a debet's GeleverdVolume fits the Omvang allowed in
    // its ProductPeriode (IV076–IV078).
    if let Some(Some(factor)) = factor
        && !is_credit(p)
        && begins_inside
        && ends_inside
        && let Some(most) = volume::most_in(a, periode.begindatum, periode.einddatum)
        && p.geleverd_volume > most.saturating_mul(factor)
    {
        problems.push((
            "9321",
            "TR321",
            format!(
                "GeleverdVolume {} is meer dan de toewijzing in deze ProductPeriode toestaat ({})",
                p.geleverd_volume,
                most.saturating_mul(factor)
            ),
        ));
    }
    // Rule: TR346 (9346, a rule against outside sources, kept here) — outside unit 83 (euro's), the amount is volume × tariff.
    if unit != "83"
        && let Some(tarief) = p.product_tarief
        && p.ingediend_bedrag.bedrag != p.geleverd_volume.saturating_mul(tarief)
    {
        problems.push((
            "9346",
            "TR346",
            format!(
                "bedrag {} is niet volume {} × tarief {}",
                p.ingediend_bedrag.bedrag, p.geleverd_volume, tarief
            ),
        ));
    }
    problems
}

/// The rules over all prestaties of one allocation: TR322 on the Omvang, TR369
/// on the Budget. Each debet that brings the total over the limit is reported.
fn totals(all: &[Here<'_>], history: &Known<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut by_nummer: BTreeMap<i64, Vec<&Here<'_>>> = BTreeMap::new();
    for h in all.iter().filter(|h| allocation_of(h, history).is_some()) {
        by_nummer.entry(h.p.toewijzing_nummer).or_default().push(h);
    }
    for (nummer, mine) in by_nummer {
        let Some(a) = mine.first().and_then(|h| allocation_of(h, history)) else {
            continue;
        };
        let earlier = history.prestaties_of(nummer).iter().filter(|k| counts(k));
        // Rule: TR322 (9322) — all prestaties of an allocation together fit its
        // Omvang over the allocation's whole period (IV077), in the smallest
        // unit used (minutes on an allocation in hours).
        if let (Some(allocated), Some(most)) = (a.eenheid.as_deref(), volume::most_in_total(a)) {
            let base = if allocated == "04" { 60 } else { 1 };
            let in_base = |unit: &str, volume: i64| {
                volume::factor(allocated, unit).map(|f| volume.saturating_mul(base / f))
            };
            let mut total: i64 = earlier
                .clone()
                .filter_map(|k| {
                    in_base(&k.eenheid, k.geleverd_volume)
                        .map(|v| if k.credit { v.saturating_neg() } else { v })
                })
                .fold(0, i64::saturating_add);
            for h in &mine {
                let Some(v) = in_base(h.p.eenheid.code(), h.p.geleverd_volume) else {
                    continue;
                };
                total = total.saturating_add(if is_credit(h.p) {
                    v.saturating_neg()
                } else {
                    v
                });
                if !is_credit(h.p) && total > most.saturating_mul(base) {
                    findings.push(finding(
                        h.path.clone(),
                        Some("9322"),
                        "TR322",
                        format!(
                            "samen met de eerdere prestaties gaat GeleverdVolume over de toegewezen Omvang van toewijzing {nummer}"
                        ),
                    ));
                }
            }
        }
        // Rule: TR369 (9369) — all prestaties of an allocation with a Budget
        // together fit the Budget. Read as amounts: with unit 83 (euro's) the
        // GeleverdVolume is the amount (CS339); with other units only the
        // amount is in the Budget's own unit.
        if let Some(budget) = a.budget {
            let mut total: i64 = earlier
                .map(|k| {
                    if k.credit {
                        k.bedrag.saturating_neg()
                    } else {
                        k.bedrag
                    }
                })
                .fold(0, i64::saturating_add);
            for h in &mine {
                let amount = &h.p.ingediend_bedrag;
                total = total.saturating_add(signed(amount.bedrag, amount.debet_credit));
                if !is_credit(h.p) && total > budget {
                    findings.push(finding(
                        h.path.clone(),
                        Some("9369"),
                        "TR369",
                        format!(
                            "samen met de eerdere prestaties gaat het gedeclareerde bedrag over het Budget ({budget} cent) van toewijzing {nummer}"
                        ),
                    ));
                }
            }
        }
    }
    findings
}

pub(super) fn antwoord(b: &jw325::Bericht, history: &Known<'_>) -> Vec<Finding> {
    let h = &b.header;
    let mut findings = Vec::new();
    let id = &h.declaratie_identificatie;
    let declared = history
        .declaraties
        .iter()
        .find(|k| k.identificatie == id.identificatie && k.dagtekening == id.dagtekening);
    match declared {
        // Rule: TR337 (no retour code) — the answer names a declaration that was sent.
        None => findings.push(finding(
            "Bericht/Header".to_owned(),
            None,
            "TR337",
            format!(
                "DeclaratieIdentificatie {} van {} hoort bij geen verstuurde declaratie",
                id.identificatie, id.dagtekening
            ),
        )),
        // Rule: TR371 (no retour code) — XsdVersieDeclaratie is the declaration's XsdVersie.
        Some(k)
            if k.basisschema_xsd_versie != h.xsd_versie_declaratie.basisschema_xsd_versie
                || k.bericht_xsd_versie != h.xsd_versie_declaratie.bericht_xsd_versie =>
        {
            findings.push(finding(
                "Bericht/Header".to_owned(),
                None,
                "TR371",
                format!(
                    "XsdVersieDeclaratie is niet de XsdVersie van de declaratie ({} / {})",
                    k.basisschema_xsd_versie, k.bericht_xsd_versie
                ),
            ));
        }
        Some(_) => {}
    }
    let Some(antwoord) = &b.declaratie_antwoord else {
        return findings;
    };
    // Rule: TR376 (no retour code) — the DeclaratieNummer of the declaration answered.
    let nummer = &antwoord.declaratie_nummer;
    let fits = match declared {
        Some(k) => k.declaratie_nummer == *nummer,
        None => history
            .declaraties
            .iter()
            .any(|k| k.declaratie_nummer == *nummer),
    };
    if !fits {
        findings.push(finding(
            "Bericht/DeclaratieAntwoord".to_owned(),
            None,
            "TR376",
            format!("DeclaratieNummer {nummer} hoort niet bij de beantwoorde declaratie"),
        ));
    }
    let clients = antwoord.clienten.as_ref().map_or(&[][..], |c| &c.client);
    for (ci, client) in clients.iter().enumerate() {
        let client_path = indexed(
            "Bericht/DeclaratieAntwoord/Clienten/Client",
            ci,
            clients.len(),
        );
        let prestaties = &client.prestaties.prestatie;
        for (pi, p) in prestaties.iter().enumerate() {
            let path = indexed(
                &format!("{client_path}/Prestaties/Prestatie"),
                pi,
                prestaties.len(),
            );
            let referentie = &p.product_referentie.referentie_nummer;
            let known = history.prestaties(referentie).first();
            let problem = match known {
                // Rule: TR366 (9366) — every prestatie answered was declared.
                None => Some((
                    "9366",
                    "TR366",
                    format!(
                        "ReferentieNummer {referentie} komt in geen verstuurde declaratie voor"
                    ),
                )),
                // Rule: TR304 (8187) — under the Bsn it was declared for.
                Some(k) if k.bsn != client.bsn => Some((
                    "8187",
                    "TR304",
                    format!(
                        "Bsn van de client hoort niet bij prestatie {referentie} (ReferentieNummer)"
                    ),
                )),
                Some(k) => {
                    let differ = differences(p, k);
                    // Rule: TR367 (9367) — with the values it was declared with.
                    (!differ.is_empty()).then(|| {
                        (
                            "9367",
                            "TR367",
                            format!("{} wijkt af van de declaratie", differ.join(", ")),
                        )
                    })
                }
            };
            if let Some((code, rule, message)) = problem {
                findings.push(finding(path, Some(code), rule, message));
            }
        }
    }
    findings
}

/// The elements of an answered prestatie that differ from the declared one.
fn differences(p: &jw325::Prestatie, k: &KnownPrestatie) -> Vec<&'static str> {
    let amount = &p.ingediend_bedrag;
    [
        (
            "VorigReferentieNummer",
            p.product_referentie.vorig_referentie_nummer == k.vorig_referentie_nummer,
        ),
        (
            "ToewijzingNummer",
            p.toewijzing_nummer == k.toewijzing_nummer,
        ),
        (
            "ProductCategorie",
            p.product_categorie.code() == k.product_categorie,
        ),
        ("ProductCode", p.product_code == k.product_code),
        (
            "ProductPeriode",
            p.product_periode.begindatum == k.begindatum
                && p.product_periode.einddatum == k.einddatum,
        ),
        ("GeleverdVolume", p.geleverd_volume == k.geleverd_volume),
        ("Eenheid", p.eenheid.code() == k.eenheid),
        ("ProductTarief", p.product_tarief == k.product_tarief),
        (
            "IngediendBedrag",
            amount.bedrag == k.bedrag && (amount.debet_credit.code() == "C") == k.credit,
        ),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name)
    .collect()
}
