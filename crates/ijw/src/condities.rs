//! The conditions (CD) and constraints (CS) of the iJw 3.2 rule texts that the
//! official XSD leaves open and that `rules.rs` does not (fully) check yet. Like
//! the other rules within one message, a failure rejects the whole message with
//! retour code 0001. Rules that hold wherever their elements stand are checked on
//! the element tree (so they carry a line); rules of one message on its typed form.
//!
//! Where `rules.rs` already checks a rule for some messages or for one direction
//! only, this module adds just the missing part, so a message never gets the same
//! fault twice.

use chrono::{Datelike, NaiveDate};

use crate::Bericht;
use crate::report::Finding;
use crate::types::{basis, codes, jw301, jw315, jw317, jw323, jw325};
use crate::xml::{Element, Trail, indexed};

/// iJw §8.2: a broken rule within the message is answered with retour code 0001.
const IN_MESSAGE: Option<&str> = Some("0001");

fn finding(rule: &str, element: String, line: usize, message: String) -> Finding {
    Finding {
        code: IN_MESSAGE,
        rule: rule.to_owned(),
        element,
        line,
        message,
    }
}

/// Every condition and constraint of this module on one decoded message.
pub(crate) fn check(root: &Element, bericht: &Bericht) -> Vec<Finding> {
    let mut findings = Vec::new();
    walk(&Trail::root(root), &mut findings);
    match bericht {
        Bericht::Jw301(b) => findings.extend(check_jw301(b)),
        Bericht::Jw315(b) => findings.extend(check_jw315(b)),
        Bericht::Jw317(b) => findings.extend(check_jw317(b)),
        Bericht::Jw323(b) => findings.extend(check_jw323(b)),
        Bericht::Jw325(b) => findings.extend(check_jw325(b)),
        _ => {}
    }
    findings
}

fn child<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    element.children.iter().find(|c| c.name == name)
}

fn text<'a>(element: &'a Element, name: &str) -> Option<&'a str> {
    child(element, name).map(|c| c.text.trim())
}

fn walk(trail: &Trail<'_>, findings: &mut Vec<Finding>) {
    let element = trail.element();
    // Every condition here is on an element's children: a leaf has none to check
    // and no children to walk, and most elements are leaves.
    if element.children.is_empty() {
        return;
    }
    let mut add = |rule: &str, message: String| {
        findings.push(finding(rule, trail.render(), element.line, message));
    };
    match element.name.as_str() {
        "Communicatie" => {
            // Rule: CD007 — a language belongs to an interpreter for a language
            // (Vorm 1) only; rules.rs checks that it is given there, this the
            // other half: no Taal with a sign-language interpreter.
            if let Some(vorm) = text(element, "Vorm")
                && vorm != "1"
                && child(element, "Taal").is_some()
            {
                add(
                    "CD007",
                    format!(
                        "Taal hoort alleen bij een tolk voor een taal (Vorm 1), niet bij Vorm {vorm}"
                    ),
                );
            }
        }
        "Contact" => {
            // Rule: CD034 — a BRP address (01) or an address of stay (03) has a
            // postcode. rules.rs asks for the Adres; this asks for its Postcode.
            let soort = text(element, "Soort").unwrap_or_default();
            if matches!(soort, "01" | "03")
                && child(element, "Adres").is_some_and(|a| child(a, "Postcode").is_none())
            {
                add(
                    "CD034",
                    format!("bij een adres van soort {soort} is Adres/Postcode verplicht"),
                );
            }
        }
        "Adres" => {
            // Rule: CD005 — the country code is given exactly when a postcode is.
            let postcode = child(element, "Postcode").is_some();
            let land = child(element, "LandCode").is_some();
            if postcode && !land {
                add(
                    "CD005",
                    "bij een Postcode is Adres/LandCode verplicht".to_owned(),
                );
            } else if land && !postcode {
                add(
                    "CD005",
                    "zonder Postcode hoort er geen Adres/LandCode bij".to_owned(),
                );
            }
            // Rule: CD025 — an address in the Netherlands has a house number (Huis).
            if text(element, "LandCode") == Some("NL") && child(element, "Huis").is_none() {
                add(
                    "CD025",
                    "een Nederlands adres (LandCode NL) heeft een Huis met huisnummer".to_owned(),
                );
            }
        }
        // Rule: CS050 — the way a name is used fits whether a partner's name is
        // given: with a Partnernaam one of 1 to 4, without one 1 or 6.
        "Naam" if child(element, "NaamGebruik").is_some() => {
            let gebruik = text(element, "NaamGebruik").unwrap_or_default();
            let partner = child(element, "Partnernaam").is_some();
            let allowed: &[&str] = if partner {
                &["1", "2", "3", "4"]
            } else {
                &["1", "6"]
            };
            if !allowed.contains(&gebruik) {
                let why = if partner {
                    "met een Partnernaam is NaamGebruik 1, 2, 3 of 4"
                } else {
                    "zonder Partnernaam is NaamGebruik 1 of 6"
                };
                add("CS050", format!("NaamGebruik {gebruik} past niet: {why}"));
            }
        }
        "Geboortedatum" => {
            if let Some(message) = birth_date_problem(element) {
                add("CS139", message);
            }
        }
        // Rule: CD066 — a referrer of type 02 to 05 named by AGB code carries no
        // name as well. (The case of neither, CD067, is in rules.rs.)
        "Verwijzer"
            if matches!(
                text(element, "Type").unwrap_or_default(),
                "02" | "03" | "04" | "05"
            ) && child(element, "ZorgverlenerCode").is_some()
                && child(element, "Naam").is_some() =>
        {
            add(
                "CD066",
                "een verwijzer met ZorgverlenerCode krijgt geen Naam erbij".to_owned(),
            );
        }
        _ => {}
    }
    // Rule: CS003 — the end date of a requested product is not before the date
    // it is wanted from (the other date pairs are checked in rules.rs).
    if let (Some(start), Some(end)) = (
        date(element, "GewensteIngangsdatum"),
        date(element, "Einddatum"),
    ) && end < start
    {
        add(
            "CS003",
            format!("Einddatum {end} ligt voor GewensteIngangsdatum {start}"),
        );
    }
    for next in trail.children() {
        walk(&next, findings);
    }
}

fn date(element: &Element, name: &str) -> Option<NaiveDate> {
    text(element, name).and_then(crate::codec::date)
}

/// Rule: CS139 — a birth date whose day, month or year is unknown is written
/// in its fixed form: day unknown (1) on the first of the month, day and month
/// unknown (2) on 1 January, all unknown (3) as 1 January 1900.
fn birth_date_problem(element: &Element) -> Option<String> {
    let datum = date(element, "Datum")?;
    let gebruik = text(element, "DatumGebruik")?;
    let (fits, form) = match gebruik {
        "1" => (datum.day() == 1, "de eerste van de maand"),
        "2" => (
            datum.day() == 1 && datum.month() == 1,
            "1 januari van het jaar",
        ),
        "3" => (
            NaiveDate::from_ymd_opt(1900, 1, 1) == Some(datum),
            "1900-01-01",
        ),
        _ => return None,
    };
    (!fits).then(|| {
        format!("bij DatumGebruik {gebruik} is de Datum van de Geboortedatum {form}, niet {datum}")
    })
}

/// The first day after the transition to the 2021 product rules.
fn first_of_2021() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2021, 1, 1)
}

/// Whether a date is after 31-12-2020, or absent (open-ended).
fn after_2020_or_open(einddatum: Option<NaiveDate>) -> bool {
    einddatum.is_none_or(|e| first_of_2021().is_none_or(|first| e >= first))
}

/// The parts of a product (allocated, requested, new or changed) these rules look at.
struct ProductParts<'a> {
    /// `None` when the class has no Product element at all (TeWijzigenProduct).
    product: Option<Option<&'a basis::Product>>,
    einddatum: Option<NaiveDate>,
    /// The name of the end date in this class.
    einddatum_naam: &'static str,
    omvang: Option<&'a basis::Omvang>,
    budget: Option<i64>,
}

/// The conditions on Product, Omvang, Budget and end date of a requested or
/// changed product in JW315 and JW317 (rules.rs checks those of the JW301).
fn product_conditions(
    p: &ProductParts<'_>,
    zonder_code: &'static str,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let eind = p.einddatum_naam;
    if let Some(product) = p.product {
        let code = product.and_then(|pr| pr.code.as_ref());
        // Rule: CD079 — without a Budget the Product is given.
        if product.is_none() && p.budget.is_none() {
            problems.push(("CD079", "zonder Budget is Product verplicht".to_owned()));
        }
        // Rule: CD041 — a product with a code has an Omvang; read, as rules.rs
        // does for the JW301, together with CD077: a Budget takes its place.
        if code.is_some() && p.budget.is_none() && p.omvang.is_none() {
            problems.push((
                "CD041",
                "met een productcode en zonder Budget is Omvang verplicht".to_owned(),
            ));
        }
        // Rule: CD095 — (JW315) and
        // Rule: CD096 — (JW317): a product without a code (a whole category, or
        // no Product at all), ending after 2020 or open-ended, has no Omvang;
        // rules.rs reads CD080 of the JW301 the same way.
        if code.is_none() && p.omvang.is_some() && after_2020_or_open(p.einddatum) {
            problems.push((
                zonder_code,
                format!("zonder productcode hoort er geen Omvang bij (bij een {eind} na 2020 of zonder {eind})"),
            ));
        }
    }
    // Rule: CD077 — no Omvang next to a Budget, and
    // Rule: CD078 — no Budget next to an Omvang: both given is
    // one fault, reported as CD078 (as rules.rs does).
    if p.omvang.is_some() && p.budget.is_some() {
        problems.push(("CD078", "vul Omvang of Budget, niet allebei".to_owned()));
    }
    // Rule: CD075 — a Budget needs an end date.
    if p.budget.is_some() && p.einddatum.is_none() {
        problems.push(("CD075", format!("met een Budget is {eind} verplicht")));
    }
    // Rule: CD076 — an Omvang per week (Frequentie 2) needs an end date.
    if p.omvang.is_some_and(|o| o.frequentie.code() == "2") && p.einddatum.is_none() {
        problems.push((
            "CD076",
            format!("met Frequentie per week (2) is {eind} verplicht"),
        ));
    }
    problems
}

/// Rule: CS338 — (JW301, JW317) and
/// Rule: CS343 — (JW315): days, part-days, euro's and
/// pieces (Eenheid 14, 16, 83, 84) are allocated per week, per month or in
/// total (Frequentie 2, 4, 6), when the product ends after 2020 or is open-ended.
fn frequency_problem(
    omvang: Option<&basis::Omvang>,
    einddatum: Option<NaiveDate>,
) -> Option<String> {
    let o = omvang?;
    let eenheid = o.eenheid.code();
    let frequentie = o.frequentie.code();
    let counted = matches!(eenheid, "14" | "16" | "83" | "84");
    (counted && after_2020_or_open(einddatum) && !matches!(frequentie, "2" | "4" | "6")).then(
        || {
            format!(
                "bij Eenheid {eenheid} is de Frequentie in de Omvang 2, 4 of 6, niet {frequentie}"
            )
        },
    )
}

fn check_jw301(bericht: &jw301::Bericht) -> Vec<Finding> {
    let products = &bericht.client.toegewezen_producten.toegewezen_product;
    products
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let message = frequency_problem(p.omvang.as_ref(), p.einddatum)?;
            let path = indexed(
                "Bericht/Client/ToegewezenProducten/ToegewezenProduct",
                i,
                products.len(),
            );
            Some(finding("CS338", format!("{path}/Omvang"), 0, message))
        })
        .collect()
}

fn check_jw315(bericht: &jw315::Bericht) -> Vec<Finding> {
    let products = &bericht.client.aangevraagde_producten.aangevraagd_product;
    let mut findings = Vec::new();
    for (i, p) in products.iter().enumerate() {
        let path = indexed(
            "Bericht/Client/AangevraagdeProducten/AangevraagdProduct",
            i,
            products.len(),
        );
        let parts = ProductParts {
            product: Some(p.product.as_ref()),
            einddatum: p.toewijzing_einddatum,
            einddatum_naam: "ToewijzingEinddatum",
            omvang: p.omvang.as_ref(),
            budget: p.budget,
        };
        for (rule, message) in product_conditions(&parts, "CD095") {
            findings.push(finding(rule, path.clone(), 0, message));
        }
        if let Some(message) = frequency_problem(p.omvang.as_ref(), p.toewijzing_einddatum) {
            findings.push(finding("CS343", format!("{path}/Omvang"), 0, message));
        }
    }
    findings
}

fn check_jw317(bericht: &jw317::Bericht) -> Vec<Finding> {
    let verzoek = &bericht.client.verzoek;
    let mut findings = Vec::new();
    let mut each = |path: String, parts: ProductParts<'_>| {
        for (rule, message) in product_conditions(&parts, "CD096") {
            findings.push(finding(rule, path.clone(), 0, message));
        }
        if let Some(message) = frequency_problem(parts.omvang, parts.einddatum) {
            findings.push(finding("CS338", format!("{path}/Omvang"), 0, message));
        }
    };
    if let Some(te_wijzigen) = &verzoek.te_wijzigen_producten {
        let list = &te_wijzigen.te_wijzigen_product;
        for (i, p) in list.iter().enumerate() {
            each(
                indexed(
                    "Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct",
                    i,
                    list.len(),
                ),
                ProductParts {
                    product: None,
                    einddatum: p.einddatum,
                    einddatum_naam: "Einddatum",
                    omvang: p.omvang.as_ref(),
                    budget: p.budget,
                },
            );
        }
    }
    if let Some(nieuw) = &verzoek.nieuwe_producten {
        let list = &nieuw.nieuw_product;
        for (i, p) in list.iter().enumerate() {
            each(
                indexed(
                    "Bericht/Client/Verzoek/NieuweProducten/NieuwProduct",
                    i,
                    list.len(),
                ),
                ProductParts {
                    product: Some(p.product.as_ref()),
                    einddatum: p.einddatum,
                    einddatum_naam: "Einddatum",
                    omvang: p.omvang.as_ref(),
                    budget: p.budget,
                },
            );
        }
    }
    findings
}

/// Whether a period is exactly one whole calendar month.
fn whole_month(periode: &basis::GeslotenPeriode) -> bool {
    let b = periode.begindatum;
    let last = NaiveDate::from_ymd_opt(b.year(), b.month(), 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt());
    b.day() == 1 && last == Some(periode.einddatum)
}

fn is_credit(dc: codes::DebetCredit) -> bool {
    dc.code() == "C"
}

/// The rules of a declaration that rules.rs does not check.
fn check_jw323(bericht: &jw323::Bericht) -> Vec<Finding> {
    let d = &bericht.declaratie;
    let mut findings = Vec::new();
    let periode = &d.declaratie_periode;
    // Rule: CS100 — nothing is declared over a period before 1 January 2021.
    // Rule: CS340 — a declaration covers exactly one whole calendar month.
    // (An end before the start is CS003, in rules.rs, and not reported again.)
    let problem = if first_of_2021().is_some_and(|first| periode.begindatum < first) {
        Some((
            "CS100",
            format!(
                "de DeclaratiePeriode begint op {}, voor 1 januari 2021",
                periode.begindatum
            ),
        ))
    } else if periode.einddatum >= periode.begindatum && !whole_month(periode) {
        Some((
            "CS340",
            format!(
                "de DeclaratiePeriode {} tot en met {} is niet precies één hele kalendermaand",
                periode.begindatum, periode.einddatum
            ),
        ))
    } else {
        None
    };
    if let Some((rule, message)) = problem {
        findings.push(finding(
            rule,
            "Bericht/Declaratie/DeclaratiePeriode".to_owned(),
            0,
            message,
        ));
    }
    let clients = &d.clienten.client;
    for (ci, client) in clients.iter().enumerate() {
        let prestaties = &client.prestaties.prestatie;
        for (pi, p) in prestaties.iter().enumerate() {
            let path = format!(
                "{}/Prestaties/{}",
                indexed("Bericht/Declaratie/Clienten/Client", ci, clients.len()),
                indexed("Prestatie", pi, prestaties.len())
            );
            let mut add = |rule: &str, message: String| {
                findings.push(finding(rule, path.clone(), 0, message));
            };
            // Rule: CD060 — a credit names the reference it credits (rules.rs
            // checks the other half: no previous reference on a debet).
            if is_credit(p.ingediend_bedrag.debet_credit)
                && p.product_referentie.vorig_referentie_nummer.is_none()
            {
                add(
                    "CD060",
                    "een creditregel heeft een ProductReferentie/VorigReferentieNummer".to_owned(),
                );
            }
            // Rule: CD087 — with the unit euro's (83) there is no tariff (rules.rs
            // checks the other half: a tariff for every other unit).
            if p.eenheid.code() == "83" && p.product_tarief.is_some() {
                add(
                    "CD087",
                    "bij Eenheid 83 (euro's) hoort er geen ProductTarief bij".to_owned(),
                );
            }
            let pp = &p.product_periode;
            // Rule: CS100 — no prestatie before 1 January 2021.
            if first_of_2021().is_some_and(|first| pp.begindatum < first) {
                add(
                    "CS100",
                    format!(
                        "de ProductPeriode begint op {}, voor 1 januari 2021",
                        pp.begindatum
                    ),
                );
            }
            // Rule: CS337 — a product period ends in the month it starts in (an
            // end before the start is CS003, in rules.rs).
            if pp.einddatum >= pp.begindatum
                && (pp.einddatum.year(), pp.einddatum.month())
                    != (pp.begindatum.year(), pp.begindatum.month())
            {
                add(
                    "CS337",
                    format!(
                        "de ProductPeriode loopt van {} tot {}: de Einddatum valt niet in dezelfde maand",
                        pp.begindatum, pp.einddatum
                    ),
                );
            }
            // Rule: CS339 — with the unit euro's (83) the amount is the volume.
            if p.eenheid.code() == "83" && p.ingediend_bedrag.bedrag != p.geleverd_volume {
                add(
                    "CS339",
                    format!(
                        "bij Eenheid 83 (euro's) is het IngediendBedrag ({}) gelijk aan het GeleverdVolume ({})",
                        p.ingediend_bedrag.bedrag, p.geleverd_volume
                    ),
                );
            }
        }
    }
    findings
}

/// The rules of a declaration answer: rules.rs checks CD060 and CS325 on the
/// JW323 only.
fn check_jw325(bericht: &jw325::Bericht) -> Vec<Finding> {
    let Some(antwoord) = &bericht.declaratie_antwoord else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    // Rule: CS325 — an amount of 0 is debet (D), in the totals as well.
    for (name, total) in [
        ("TotaalIngediendBedrag", &antwoord.totaal_ingediend_bedrag),
        ("TotaalToegekendBedrag", &antwoord.totaal_toegekend_bedrag),
    ] {
        if total.totaal_bedrag == 0 && is_credit(total.debet_credit) {
            findings.push(finding(
                "CS325",
                format!("Bericht/DeclaratieAntwoord/{name}"),
                0,
                format!("een {name} van 0 is debet (D)"),
            ));
        }
    }
    let Some(clienten) = &antwoord.clienten else {
        return findings;
    };
    let clients = &clienten.client;
    for (ci, client) in clients.iter().enumerate() {
        let prestaties = &client.prestaties.prestatie;
        for (pi, p) in prestaties.iter().enumerate() {
            let path = format!(
                "{}/Prestaties/{}",
                indexed(
                    "Bericht/DeclaratieAntwoord/Clienten/Client",
                    ci,
                    clients.len()
                ),
                indexed("Prestatie", pi, prestaties.len())
            );
            let credit = is_credit(p.ingediend_bedrag.debet_credit);
            let vorig = p.product_referentie.vorig_referentie_nummer.is_some();
            // Rule: CD060 — a previous reference exactly on a credit.
            if credit != vorig {
                let message = if credit {
                    "een creditregel heeft een ProductReferentie/VorigReferentieNummer"
                } else {
                    "VorigReferentieNummer hoort alleen bij een creditregel"
                };
                findings.push(finding("CD060", path.clone(), 0, message.to_owned()));
            }
            // Rule: CS325 — an amount of 0 is debet (D).
            if p.ingediend_bedrag.bedrag == 0 && credit {
                findings.push(finding(
                    "CS325",
                    path,
                    0,
                    "een IngediendBedrag van 0 is debet (D)".to_owned(),
                ));
            }
        }
    }
    findings
}
