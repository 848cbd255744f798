//! The rules within one message (iJw control level 2: the CD conditions, CS
//! constraints and in-message TR rules). A failure rejects the whole message with
//! retour code 0001 (iJw §8.2). Rules that hold wherever their elements appear are
//! checked on the element tree, so they cover every message and carry a line;
//! rules of one message are checked on its typed form.

use chrono::NaiveDate;

use crate::Bericht;
use crate::report::Finding;
use crate::types::{basis, jw301, jw323};
use crate::xml::{Element, Trail, indexed};

/// Rule: iJw §8.2 — every in-message rule failure is answered with retour code 0001.
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

/// The rules that hold wherever their elements stand.
pub fn check_tree(root: &Element) -> Vec<Finding> {
    let mut findings = Vec::new();
    walk(&Trail::root(root), &mut findings);
    findings
}

fn child<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    element.children.iter().find(|c| c.name == name)
}

fn date(element: &Element, name: &str) -> Option<NaiveDate> {
    child(element, name).and_then(|c| c.text.trim().parse().ok())
}

fn walk(trail: &Trail<'_>, findings: &mut Vec<Finding>) {
    let element = trail.element();
    let here = |rule: &str, message: String| finding(rule, trail.render(), element.line, message);
    match element.name.as_str() {
        // Rule CS002: a BSN passes the 11-proef.
        "Bsn" if !elfproef(element.text.trim()) => {
            findings.push(here(
                "CS002",
                format!("BSN {} voldoet niet aan de 11-proef", element.text.trim()),
            ));
        }
        // Rule CD007: with an interpreter for a language (Vorm 1), the language is given.
        "Communicatie"
            if child(element, "Vorm").is_some_and(|v| v.text.trim() == "1")
                && child(element, "Taal").is_none() =>
        {
            findings.push(here(
                "CD007",
                "bij een tolk (Vorm 1) is Taal verplicht".to_owned(),
            ));
        }
        // Rule CS089: a Dutch postcode is four digits (not starting with 0) and two capitals.
        "Adres" if child(element, "LandCode").is_some_and(|l| l.text.trim() == "NL") => {
            if let Some(postcode) = child(element, "Postcode")
                .map(|p| p.text.trim())
                .filter(|p| !dutch_postcode(p))
            {
                findings.push(here(
                    "CS089",
                    format!("'{postcode}' is geen Nederlandse postcode (zoals 3811AB)"),
                ));
            }
        }
        "Contact" if child(element, "Soort").is_some() => {
            findings.extend(contact_rules(element, &here));
        }
        "Contactgegevens" => {
            // Rule TR061: at least one address of Soort 01 (BRP), 02 (correspondence) or 03 (stay).
            let with_address = element.children.iter().any(|c| {
                child(c, "Soort").is_some_and(|s| matches!(s.text.trim(), "01" | "02" | "03"))
                    && child(c, "Adres").is_some()
            });
            if !with_address {
                findings.push(here(
                    "TR061",
                    "er is geen adres van soort 01, 02 of 03".to_owned(),
                ));
            }
        }
        "Verwijzer" => findings.extend(verwijzer_rules(element, &here)),
        // Rule CD043: a BeschikkingIngangsdatum exactly when there is a BeschikkingNummer.
        "AangevraagdProduct"
            if child(element, "BeschikkingNummer").is_some()
                != child(element, "BeschikkingIngangsdatum").is_some() =>
        {
            findings.push(here(
                "CD043",
                "BeschikkingNummer en BeschikkingIngangsdatum horen bij elkaar".to_owned(),
            ));
        }
        "Antwoord" => findings.extend(antwoord_rules(element, &here)),
        // Rule CS058: a start or stop is delivered (1) or removed (3), nothing else.
        "StatusAanlevering" if !matches!(element.text.trim(), "1" | "3") => {
            findings.push(here(
                "CS058",
                format!(
                    "StatusAanlevering {} is niet toegestaan; gebruik 1 of 3",
                    element.text.trim()
                ),
            ));
        }
        _ => {}
    }
    // Rule CS003: an end date is not before its start date.
    for (start, end) in [
        ("Ingangsdatum", "Einddatum"),
        ("Begindatum", "Einddatum"),
        ("ToewijzingIngangsdatum", "ToewijzingEinddatum"),
    ] {
        if let (Some(s), Some(e)) = (date(element, start), date(element, end))
            && e < s
        {
            findings.push(here("CS003", format!("{end} {e} ligt voor {start} {s}")));
        }
    }
    for child in trail.children() {
        walk(&child, findings);
    }
}

type Here<'a> = dyn Fn(&str, String) -> Finding + 'a;

/// The conditions of a Contact (iJw §5.1).
fn contact_rules(contact: &Element, here: &Here<'_>) -> Vec<Finding> {
    let soort = child(contact, "Soort").map_or("", |s| s.text.trim());
    let adres = child(contact, "Adres");
    let mut findings = Vec::new();
    // Rule CD034: a BRP address (01) or an address of stay (03) is given.
    if matches!(soort, "01" | "03") && adres.is_none() {
        findings.push(here(
            "CD034",
            format!("bij contact van soort {soort} is Adres verplicht"),
        ));
    }
    // Rule CD009: a Periode only with a temporary address (04).
    if soort != "04" && child(contact, "Periode").is_some() {
        findings.push(here(
            "CD009",
            "een Periode hoort alleen bij een tijdelijk adres (soort 04)".to_owned(),
        ));
    }
    // Rule TR006: a contact can be reached: a telephone, or a house number and postcode.
    let reachable_by_post =
        adres.is_some_and(|a| child(a, "Huis").is_some() && child(a, "Postcode").is_some());
    if child(contact, "Telefoon").is_none() && !reachable_by_post {
        findings.push(here(
            "TR006",
            "geef een telefoonnummer of een huisnummer met postcode".to_owned(),
        ));
    }
    findings
}

/// Rules CD066, CD067, CD068: a referrer of type 02-05 (huisarts, jeugdarts, GI,
/// medisch specialist) is named by AGB code or else by name; other types carry no AGB code.
fn verwijzer_rules(verwijzer: &Element, here: &Here<'_>) -> Vec<Finding> {
    let kind = child(verwijzer, "Type").map_or("", |t| t.text.trim());
    let agb = child(verwijzer, "ZorgverlenerCode").is_some();
    let named = child(verwijzer, "Naam").is_some();
    match kind {
        "02" | "03" | "04" | "05" if !agb && !named => {
            vec![here(
                "CD066",
                format!(
                    "bij verwijzer type {kind} is de ZorgverlenerCode of anders de Naam verplicht"
                ),
            )]
        }
        "02" | "03" | "04" | "05" => Vec::new(),
        _ if agb => vec![here(
            "CD068",
            format!("bij verwijzer type {kind} hoort geen ZorgverlenerCode"),
        )],
        _ => Vec::new(),
    }
}

/// The conditions of a JW319 Antwoord (iJw §5.6).
fn antwoord_rules(antwoord: &Element, here: &Here<'_>) -> Vec<Finding> {
    let rejected = child(antwoord, "VerzoekAntwoord").is_some_and(|v| v.text.trim() == "1");
    let reason = child(antwoord, "RedenAfwijzingVerzoek").map(|r| r.text.trim());
    let mut findings = Vec::new();
    // Rules CD085/CD086: a rejection (1) gives its reason; "in onderzoek" (2) gives none.
    if rejected && reason.is_none() {
        findings.push(here(
            "CD085",
            "bij een afwijzing is RedenAfwijzingVerzoek verplicht".to_owned(),
        ));
    }
    if !rejected && reason.is_some() {
        findings.push(here(
            "CD086",
            "zonder afwijzing hoort er geen RedenAfwijzingVerzoek bij".to_owned(),
        ));
    }
    // Rules TR377/TR409: the responsible gemeente is named exactly with reason 8 (woonplaatsbeginsel).
    if (reason == Some("8")) != child(antwoord, "Woonplaatsbeginsel").is_some() {
        findings.push(here(
            "TR377",
            "Woonplaatsbeginsel hoort precies bij reden 8".to_owned(),
        ));
    }
    findings
}

/// Rule (national) CS002: nine digits, 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11.
fn elfproef(bsn: &str) -> bool {
    let digits: Vec<i64> = bsn
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| i64::from(b - b'0'))
        .collect();
    if digits.len() != 9 || bsn.len() != 9 {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(d, w)| d * w)
        .sum();
    sum % 11 == 0
}

fn dutch_postcode(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 6
        && b.first().is_some_and(|d| (b'1'..=b'9').contains(d))
        && b.get(1..4)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && b.get(4..6)
            .is_some_and(|l| l.iter().all(u8::is_ascii_uppercase))
}

/// The rules of one message type, on its typed form.
pub fn check_typed(bericht: &Bericht) -> Vec<Finding> {
    match bericht {
        Bericht::Jw301(b) => check_jw301(b),
        Bericht::Jw323(b) => check_jw323(b),
        _ => Vec::new(),
    }
}

/// An amount with its debet/credit sign: debet counts up, credit down.
pub(crate) fn signed(amount: i64, dc: crate::types::codes::DebetCredit) -> i64 {
    if dc.code() == "C" { -amount } else { amount }
}

/// The rules of a declaration (iJw §5.7).
fn check_jw323(bericht: &jw323::Bericht) -> Vec<Finding> {
    let d = &bericht.declaratie;
    let mut findings = Vec::new();
    let mut sum = 0;
    let clients = &d.clienten.client;
    for (ci, client) in clients.iter().enumerate() {
        let prestaties = &client.prestaties.prestatie;
        for (pi, p) in prestaties.iter().enumerate() {
            let path = format!(
                "{}/Prestaties/{}",
                indexed("Bericht/Declaratie/Clienten/Client", ci, clients.len()),
                indexed("Prestatie", pi, prestaties.len())
            );
            let amount = &p.ingediend_bedrag;
            sum += signed(amount.bedrag, amount.debet_credit);
            let mut add = |rule: &str, message: &str| {
                findings.push(finding(rule, path.clone(), 0, message.to_owned()));
            };
            // Rule CD060: a previous reference only on a credit.
            if p.product_referentie.vorig_referentie_nummer.is_some()
                && amount.debet_credit.code() != "C"
            {
                add(
                    "CD060",
                    "VorigReferentieNummer hoort alleen bij een creditregel",
                );
            }
            // Rule CD087: a tariff unless the unit is euro's (83).
            if p.product_tarief.is_none() && p.eenheid.code() != "83" {
                add(
                    "CD087",
                    "ProductTarief is verplicht, behalve bij eenheid 83 (euro's)",
                );
            }
            // Rule CS325: an amount of 0 is debet.
            if amount.bedrag == 0 && amount.debet_credit.code() == "C" {
                add("CS325", "een bedrag van 0 is debet (D)");
            }
        }
    }
    // Rule TR358: the total submitted is the sum of the prestaties, debet minus credit.
    let total = &d.totaal_ingediend_bedrag;
    if signed(total.totaal_bedrag, total.debet_credit) != sum {
        findings.push(finding(
            "TR358",
            "Bericht/Declaratie/TotaalIngediendBedrag".to_owned(),
            0,
            format!("het totaal is niet de som van de prestaties ({sum} cent)"),
        ));
    }
    if total.totaal_bedrag == 0 && total.debet_credit.code() == "C" {
        findings.push(finding(
            "CS325",
            "Bericht/Declaratie/TotaalIngediendBedrag".to_owned(),
            0,
            "een bedrag van 0 is debet (D)".to_owned(),
        ));
    }
    findings
}

fn check_jw301(bericht: &jw301::Bericht) -> Vec<Finding> {
    let mut findings = Vec::new();
    if bericht.client.naam.naam_gebruik.code() == "6" {
        findings.push(finding(
            "CS318",
            "Bericht/Client/Naam/NaamGebruik".to_owned(),
            0,
            "NaamGebruik 6 (niet-natuurlijk persoon) is niet toegestaan voor de client".to_owned(),
        ));
    }
    let products = &bericht.client.toegewezen_producten.toegewezen_product;
    for (i, product) in products.iter().enumerate() {
        let path = product_path(i, products.len());
        for (rule, message) in product_rules(product) {
            findings.push(finding(rule, path.clone(), 0, message));
        }
    }
    findings.extend(overlaps(products));
    findings
}

/// The conditions of one allocated product (iJw §5.1).
fn product_rules(p: &jw301::ToegewezenProduct) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let code = p.product.as_ref().and_then(|pr| pr.code.as_ref());
    let mut need = |holds: bool, rule: &'static str, message: &str| {
        if !holds {
            problems.push((rule, message.to_owned()));
        }
    };
    need(
        p.product.is_some() || p.budget.is_some(),
        "CD079",
        "zonder Budget is Product verplicht",
    );
    // CD041 read together with CD077 (no Omvang with a Budget): a coded product
    // without a Budget needs an Omvang.
    need(
        code.is_none() || p.budget.is_some() || p.omvang.is_some(),
        "CD041",
        "met een productcode en zonder Budget is Omvang verplicht",
    );
    need(
        code.is_some() || p.omvang.is_none(),
        "CD080",
        "zonder productcode hoort er geen Omvang bij",
    );
    need(
        !(p.omvang.is_some() && p.budget.is_some()),
        "CD078",
        "vul Omvang of Budget, niet allebei",
    );
    need(
        p.budget.is_none() || p.einddatum.is_some(),
        "CD075",
        "met een Budget is Einddatum verplicht",
    );
    let per_week = p
        .omvang
        .as_ref()
        .is_some_and(|o| o.frequentie.code() == "2");
    need(
        !per_week || p.einddatum.is_some(),
        "CD076",
        "met Frequentie per week is Einddatum verplicht",
    );
    let reden = p.reden_wijziging.map(|r| r.code());
    need(
        reden != Some("13") || p.einddatum == Some(p.ingangsdatum),
        "CS335",
        "RedenWijziging 13 (verwijderd) vraagt Einddatum gelijk aan Ingangsdatum",
    );
    need(
        reden != Some("01"),
        "CS336",
        "RedenWijziging 01 is vervallen; gebruik 14 (administratieve correctie)",
    );
    problems
}

/// Rule TR302: no two allocations of the same product (same code; the same
/// category when one has no code; anything when one is generic) with overlapping
/// periods. Removed allocations (RedenWijziging 13) do not count.
fn overlaps(products: &[jw301::ToegewezenProduct]) -> Vec<Finding> {
    let live: Vec<(usize, &jw301::ToegewezenProduct)> = products
        .iter()
        .enumerate()
        .filter(|(_, p)| p.reden_wijziging.map(|r| r.code()) != Some("13"))
        .collect();
    let mut findings = Vec::new();
    for (a, (_, p)) in live.iter().enumerate() {
        for (j, q) in live.iter().skip(a + 1) {
            if same_product(p.product.as_ref(), q.product.as_ref()) && periods_overlap(p, q) {
                findings.push(finding(
                    "TR302",
                    product_path(*j, products.len()),
                    0,
                    format!(
                        "toewijzing {} overlapt in periode met toewijzing {} voor hetzelfde product",
                        q.toewijzing_nummer, p.toewijzing_nummer
                    ),
                ));
            }
        }
    }
    findings
}

fn same_product(a: Option<&basis::Product>, b: Option<&basis::Product>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.categorie == b.categorie && (a.code.is_none() || b.code.is_none() || a.code == b.code)
        }
        _ => true,
    }
}

fn periods_overlap(a: &jw301::ToegewezenProduct, b: &jw301::ToegewezenProduct) -> bool {
    let ends_before =
        |x: &jw301::ToegewezenProduct, start: NaiveDate| x.einddatum.is_some_and(|e| e < start);
    !ends_before(a, b.ingangsdatum) && !ends_before(b, a.ingangsdatum)
}

/// The path of the `i`-th allocated product.
fn product_path(i: usize, count: usize) -> String {
    indexed(
        "Bericht/Client/ToegewezenProducten/ToegewezenProduct",
        i,
        count,
    )
}
