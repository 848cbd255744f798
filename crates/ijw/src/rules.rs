//! The rules within one message (iJw control level 2: the CD conditions, CS
//! constraints and in-message TR rules). A failure rejects the whole message with
//! retour code 0001 (iJw §8.2). Rules that hold wherever their elements appear are
//! checked on the element tree, so they cover every message and carry a line;
//! rules of one message are checked on its typed form.

use chrono::NaiveDate;

use crate::Bericht;
use crate::report::Finding;
use crate::types::{jw301, jw323};
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
            // Rule: TR061 — at least one address of Soort 01 (BRP), 02 (correspondence) or 03 (stay).
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
    // Rule CS003: an end date is not before its start date. A stop's end date is
    // TR018's and the closed periods of a declaration are TR137's (technical rules below).
    let technical_period = || {
        matches!(
            element.name.as_str(),
            "StopProduct" | "DeclaratiePeriode" | "ProductPeriode"
        )
    };
    if element.children.len() >= 2 && !technical_period() {
        for ((start, end), (s, e)) in PERIODS.iter().zip(period_dates(element)) {
            if let (Some(s), Some(e)) = (s, e)
                && e < s
            {
                findings.push(here("CS003", format!("{end} {e} ligt voor {start} {s}")));
            }
        }
    }
    for child in trail.children() {
        walk(&child, findings);
    }
}

/// The periods of CS003, by the names of their start and end dates.
const PERIODS: [(&str, &str); 3] = [
    ("Ingangsdatum", "Einddatum"),
    ("Begindatum", "Einddatum"),
    ("ToewijzingIngangsdatum", "ToewijzingEinddatum"),
];

/// The start and end date of each of [`PERIODS`]: the first child of that name,
/// as a date (`None` when there is none or it is no date). Found in one pass over
/// the children rather than one pass per name: this runs for most elements of
/// every message.
fn period_dates(element: &Element) -> [(Option<NaiveDate>, Option<NaiveDate>); 3] {
    let mut dates = [(None, None); 3];
    let mut seen = [(false, false); 3];
    fn first(name: &str, seen: &mut bool, date: &mut Option<NaiveDate>, child: &Element) {
        if !*seen && child.name == name {
            *seen = true;
            *date = crate::codec::date(child.text.trim());
        }
    }
    for child in &element.children {
        for (((start, end), date), seen) in PERIODS.iter().zip(&mut dates).zip(&mut seen) {
            first(start, &mut seen.0, &mut date.0, child);
            first(end, &mut seen.1, &mut date.1, child);
        }
    }
    dates
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
    // Rule: TR006 — a contact can be reached: a telephone, or a house number and postcode.
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

/// Rules CD067, CD068: a referrer of type 02-05 (huisarts, jeugdarts, GI,
/// medisch specialist) is named by AGB code or else by name; other types carry no
/// AGB code. (CD066, not both, is in condities.rs.)
fn verwijzer_rules(verwijzer: &Element, here: &Here<'_>) -> Vec<Finding> {
    let kind = child(verwijzer, "Type").map_or("", |t| t.text.trim());
    let agb = child(verwijzer, "ZorgverlenerCode").is_some();
    let named = child(verwijzer, "Naam").is_some();
    match kind {
        // Rule: CD067 — a referrer of type 02-05 without AGB code has a name.
        "02" | "03" | "04" | "05" if !agb && !named => {
            vec![here(
                "CD067",
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
    let mut findings = match bericht {
        Bericht::Jw301(b) => check_jw301(b),
        Bericht::Jw323(b) => check_jw323(b),
        _ => Vec::new(),
    };
    findings.extend(technisch::check(bericht));
    findings
}

/// An amount with its debet/credit sign: debet counts up, credit down.
pub(crate) fn signed(amount: i64, dc: crate::types::codes::DebetCredit) -> i64 {
    if dc.code() == "C" { -amount } else { amount }
}

/// The rules of a declaration (iJw §5.7).
fn check_jw323(bericht: &jw323::Bericht) -> Vec<Finding> {
    let d = &bericht.declaratie;
    let mut findings = Vec::new();
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
    let total = &d.totaal_ingediend_bedrag;
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

/// The path of the `i`-th allocated product.
fn product_path(i: usize, count: usize) -> String {
    indexed(
        "Bericht/Client/ToegewezenProducten/ToegewezenProduct",
        i,
        count,
    )
}

mod overlap;

/// The technical rules within one message (`technische-regels/xslt`), each on the
/// messages its rule text names. The rule texts name the iWmo twins (WMO301 …);
/// the iJw message of the same number is meant. Every failure is answered with
/// retour code 0001, like the conditions and constraints above.
mod technisch {
    use std::collections::{HashMap, HashSet};

    use chrono::{Months, NaiveDate};

    use super::overlap::overlapping;
    use super::{finding, indexed, product_path, signed};
    use crate::Bericht;
    use crate::report::Finding;
    use crate::types::{basis, codes, jw301, jw305, jw307, jw315, jw317, jw319, jw323, jw325};

    /// Collects the findings of one message.
    #[derive(Debug, Default)]
    struct Findings(Vec<Finding>);

    impl Findings {
        fn add(&mut self, rule: &str, element: impl Into<String>, message: String) {
            self.0.push(finding(rule, element.into(), 0, message));
        }
    }

    /// Every technical rule within the message that applies to its type.
    pub(super) fn check(bericht: &Bericht) -> Vec<Finding> {
        let mut out = Findings::default();
        match bericht {
            Bericht::Jw301(b) => jw301_rules(b, &mut out),
            Bericht::Jw305(b) => jw305_rules(b, &mut out),
            Bericht::Jw307(b) => jw307_rules(b, &mut out),
            Bericht::Jw315(b) => jw315_rules(b, &mut out),
            Bericht::Jw317(b) => jw317_rules(b, &mut out),
            Bericht::Jw319(b) => jw319_rules(&b.antwoord, &mut out),
            Bericht::Jw323(b) => jw323_rules(b, &mut out),
            Bericht::Jw325(b) => jw325_rules(b, &mut out),
            _ => {}
        }
        out.0
    }

    fn date(d: NaiveDate) -> String {
        d.format("%d-%m-%Y").to_string()
    }

    /// Rules TR002 and TR134 on the client's birth date (JW301, JW305, JW307, JW315).
    fn client_birth(
        geboortedatum: &basis::Geboortedatum,
        dagtekening: NaiveDate,
        out: &mut Findings,
    ) {
        let path = "Bericht/Client/Geboortedatum";
        let datum = geboortedatum.datum;
        // Rule: TR002 — a birth date lies at most 120 years before the Dagtekening,
        // unless it is unknown altogether (DatumGebruik 3 with 01-01-1900).
        let unknown = geboortedatum
            .datum_gebruik
            .is_some_and(|g| g == codes::DatumGebruik::DagMaandEnJaarOnbekend)
            && NaiveDate::from_ymd_opt(1900, 1, 1) == Some(datum);
        let oldest = dagtekening.checked_sub_months(Months::new(120 * 12));
        if !unknown && oldest.is_some_and(|oldest| datum < oldest) {
            out.add(
                "TR002",
                path,
                format!(
                    "Geboortedatum {} ligt meer dan 120 jaar voor de Dagtekening {}; \
                     is de datum onbekend, geef dan 01-01-1900 met DatumGebruik 3",
                    date(datum),
                    date(dagtekening)
                ),
            );
        }
        birth_not_after(geboortedatum, dagtekening, path, out);
    }

    /// Rule: TR134 — a birth date is not after the message's Dagtekening.
    fn birth_not_after(
        geboortedatum: &basis::Geboortedatum,
        dagtekening: NaiveDate,
        path: &str,
        out: &mut Findings,
    ) {
        if geboortedatum.datum > dagtekening {
            out.add(
                "TR134",
                format!("{path}/Datum"),
                format!(
                    "Geboortedatum {} ligt na de Dagtekening {} van het bericht",
                    date(geboortedatum.datum),
                    date(dagtekening)
                ),
            );
        }
    }

    /// Rules TR134 and TR137 on a closed period of a declaration (JW323, JW325).
    fn closed_period(
        period: &basis::GeslotenPeriode,
        dagtekening: NaiveDate,
        path: &str,
        out: &mut Findings,
    ) {
        let (begin, end) = (period.begindatum, period.einddatum);
        // Rule: TR134 — the period does not begin after the message's Dagtekening.
        if begin > dagtekening {
            out.add(
                "TR134",
                format!("{path}/Begindatum"),
                format!(
                    "Begindatum {} ligt na de Dagtekening {} van het bericht",
                    date(begin),
                    date(dagtekening)
                ),
            );
        }
        // Rule: TR137 — the period ends on or after its start, and not after the Dagtekening.
        if end < begin || end > dagtekening {
            out.add(
                "TR137",
                format!("{path}/Einddatum"),
                format!(
                    "Einddatum {} moet op of na Begindatum {} liggen en niet na de Dagtekening {} van het bericht",
                    date(end),
                    date(begin),
                    date(dagtekening)
                ),
            );
        }
    }

    /// Rule: TR101 — no class twice in a message: the logical key of a class, within
    /// its parent, appears once. Reports every repeat of a key already seen.
    fn unique<K: Eq + std::hash::Hash>(
        keys: impl IntoIterator<Item = K>,
        count: usize,
        path: &str,
        what: &str,
        out: &mut Findings,
    ) {
        // A single key cannot repeat: no set to build, and no key to make.
        if count < 2 {
            return;
        }
        let mut seen = HashSet::new();
        for (i, key) in keys.into_iter().enumerate() {
            if !seen.insert(key) {
                out.add(
                    "TR101",
                    indexed(path, i, count),
                    format!("{what} komt dubbel voor in het bericht"),
                );
            }
        }
    }

    fn jw301_rules(b: &jw301::Bericht, out: &mut Findings) {
        let day = b.header.bericht_identificatie.dagtekening;
        let client = &b.client;
        client_birth(&client.geboortedatum, day, out);
        if let Some(relaties) = &client.relaties {
            let all = &relaties.relatie;
            let path = "Bericht/Client/Relaties/Relatie";
            for (i, relatie) in all.iter().enumerate() {
                if let Some(geboortedatum) = &relatie.geboortedatum {
                    let here = format!("{}/Geboortedatum", indexed(path, i, all.len()));
                    birth_not_after(geboortedatum, day, &here, out);
                }
            }
            // A relation is identified by its Nummer (stable per gemeente per client).
            let keys = all.iter().map(|r| r.nummer.as_str());
            unique(keys, all.len(), path, "een Relatie met dit Nummer", out);
        }
        let contacts = &client.contactgegevens.contact;
        // A Contact has no key of its own: the same Contact twice (all its elements
        // equal) is the duplicate. Compared as values, not by a rendering of each.
        unique(
            contacts,
            contacts.len(),
            "Bericht/Client/Contactgegevens/Contact",
            "hetzelfde Contact",
            out,
        );
        let products = &client.toegewezen_producten.toegewezen_product;
        unique(
            products.iter().map(|p| p.toewijzing_nummer),
            products.len(),
            "Bericht/Client/ToegewezenProducten/ToegewezenProduct",
            "een ToegewezenProduct met dit ToewijzingNummer",
            out,
        );
        allocation_overlaps(products, out);
    }

    /// Whether an allocation was removed: its Einddatum equals its Ingangsdatum and
    /// its reason is 13 (verwijderd) or the retired 01.
    fn removed(p: &jw301::ToegewezenProduct) -> bool {
        let reden = p.reden_wijziging.map(|r| r.code());
        matches!(reden, Some("13" | "01")) && p.einddatum == Some(p.ingangsdatum)
    }

    /// Rule: TR302 — no two allocations of the same product (the same code; the
    /// same category when one has no code; anything when one has no product) with
    /// overlapping periods. Removed allocations do not count.
    fn allocation_overlaps(products: &[jw301::ToegewezenProduct], out: &mut Findings) {
        let live = products.iter().enumerate().filter(|(_, p)| !removed(p));
        let periods = live.map(|(i, p)| {
            let label = format!("toewijzing {}", p.toewijzing_nummer);
            (i, label, p.product.as_ref(), p.ingangsdatum, p.einddatum)
        });
        for (j, message) in overlapping(&periods.collect::<Vec<_>>()) {
            out.add("TR302", product_path(j, products.len()), message);
        }
    }

    /// The key of a start or stop: allocation, product (category and code) and start date.
    type DeliveryKey = (
        Option<i64>,
        Option<(&'static str, Option<String>)>,
        NaiveDate,
    );

    fn delivery_key(
        toewijzing: Option<i64>,
        product: Option<&basis::Product>,
        begindatum: NaiveDate,
    ) -> DeliveryKey {
        let product = product.map(|p| (p.categorie.code(), p.code.clone()));
        (toewijzing, product, begindatum)
    }

    fn jw305_rules(b: &jw305::Bericht, out: &mut Findings) {
        client_birth(
            &b.client.geboortedatum,
            b.header.bericht_identificatie.dagtekening,
            out,
        );
        let starts = &b.client.start_producten.start_product;
        // A start is identified by allocation, product and Begindatum; a removal (3)
        // and a new delivery (1) of the same key do not go in one message.
        let keys = starts
            .iter()
            .map(|s| delivery_key(s.toewijzing_nummer, s.product.as_ref(), s.begindatum));
        unique(
            keys,
            starts.len(),
            "Bericht/Client/StartProducten/StartProduct",
            "een StartProduct met dezelfde toewijzing, hetzelfde product en dezelfde Begindatum",
            out,
        );
    }

    fn jw307_rules(b: &jw307::Bericht, out: &mut Findings) {
        client_birth(
            &b.client.geboortedatum,
            b.header.bericht_identificatie.dagtekening,
            out,
        );
        let stops = &b.client.stop_producten.stop_product;
        let path = "Bericht/Client/StopProducten/StopProduct";
        for (i, stop) in stops.iter().enumerate() {
            // Rule: TR018 — a stop does not end before the start it stops.
            if stop.einddatum < stop.begindatum {
                out.add(
                    "TR018",
                    format!("{}/Einddatum", indexed(path, i, stops.len())),
                    format!(
                        "Einddatum {} ligt voor Begindatum {}",
                        date(stop.einddatum),
                        date(stop.begindatum)
                    ),
                );
            }
        }
        // A stop is identified by the key of its start and its RedenBeeindiging.
        let keys = stops.iter().map(|s| {
            (
                delivery_key(s.toewijzing_nummer, s.product.as_ref(), s.begindatum),
                s.reden_beeindiging.code(),
            )
        });
        unique(
            keys,
            stops.len(),
            path,
            "een StopProduct met dezelfde toewijzing, hetzelfde product, dezelfde Begindatum en reden",
            out,
        );
    }

    fn jw315_rules(b: &jw315::Bericht, out: &mut Findings) {
        client_birth(
            &b.client.geboortedatum,
            b.header.bericht_identificatie.dagtekening,
            out,
        );
        let products = &b.client.aangevraagde_producten.aangevraagd_product;
        let path = "Bericht/Client/AangevraagdeProducten/AangevraagdProduct";
        // Rule: TR383 — each requested product has its own ReferentieAanbieder. This
        // is the logical key of AangevraagdProduct, so TR383 also stands for TR101 here.
        let mut seen = HashSet::new();
        for (i, p) in products.iter().enumerate() {
            if !seen.insert(p.referentie_aanbieder.as_str()) {
                out.add(
                    "TR383",
                    format!("{}/ReferentieAanbieder", indexed(path, i, products.len())),
                    format!(
                        "ReferentieAanbieder {} is al gebruikt voor een ander AangevraagdProduct in dit bericht",
                        p.referentie_aanbieder
                    ),
                );
            }
        }
        // Rule: TR386 — the same product is not asked for twice in overlapping periods
        // (category level without a code; without a product, with no other product).
        let periods = products.iter().enumerate().map(|(i, p)| {
            let label = format!("aanvraag {}", p.referentie_aanbieder);
            (
                i,
                label,
                p.product.as_ref(),
                p.toewijzing_ingangsdatum,
                p.toewijzing_einddatum,
            )
        });
        for (j, message) in overlapping(&periods.collect::<Vec<_>>()) {
            out.add("TR386", indexed(path, j, products.len()), message);
        }
    }

    fn jw317_rules(b: &jw317::Bericht, out: &mut Findings) {
        let verzoek = &b.client.verzoek;
        let path = "Bericht/Client/Verzoek";
        let ongewijzigd = verzoek
            .ongewijzigde_producten
            .as_ref()
            .map_or(&[][..], |o| o.ongewijzigd_product.as_slice());
        let te_wijzigen = verzoek
            .te_wijzigen_producten
            .as_ref()
            .map_or(&[][..], |t| t.te_wijzigen_product.as_slice());
        let nieuw = verzoek
            .nieuwe_producten
            .as_ref()
            .map_or(&[][..], |n| n.nieuw_product.as_slice());
        // Rule: TR352 — a request to change starts from a current allocation, so it
        // names at least one allocation, unchanged or to change.
        if ongewijzigd.is_empty() && te_wijzigen.is_empty() {
            out.add(
                "TR352",
                path,
                "een verzoek om wijziging noemt minstens één OngewijzigdProduct of TeWijzigenProduct".to_owned(),
            );
        }
        // Rule: TR353 — and it asks for something: at least one change or new product.
        if te_wijzigen.is_empty() && nieuw.is_empty() {
            out.add(
                "TR353",
                path,
                "een verzoek om wijziging vraagt minstens één TeWijzigenProduct of NieuwProduct"
                    .to_owned(),
            );
        }
        unique(
            ongewijzigd.iter().map(|p| p.toewijzing_nummer),
            ongewijzigd.len(),
            &format!("{path}/OngewijzigdeProducten/OngewijzigdProduct"),
            "een OngewijzigdProduct met dit ToewijzingNummer",
            out,
        );
        unique(
            te_wijzigen.iter().map(|p| p.toewijzing_nummer),
            te_wijzigen.len(),
            &format!("{path}/TeWijzigenProducten/TeWijzigenProduct"),
            "een TeWijzigenProduct met dit ToewijzingNummer",
            out,
        );
        let day = b.header.bericht_identificatie.dagtekening;
        let nieuw_path = format!("{path}/NieuweProducten/NieuwProduct");
        for (i, p) in nieuw.iter().enumerate() {
            // Rule: TR380 — a new product is asked for from a date after the Dagtekening.
            if p.gewenste_ingangsdatum <= day {
                out.add(
                    "TR380",
                    format!(
                        "{}/GewensteIngangsdatum",
                        indexed(&nieuw_path, i, nieuw.len())
                    ),
                    format!(
                        "GewensteIngangsdatum {} moet na de Dagtekening {} van het bericht liggen",
                        date(p.gewenste_ingangsdatum),
                        date(day)
                    ),
                );
            }
        }
        // Rule: TR410 — the same new product is not asked for twice in overlapping
        // periods (category level without a code; without a product, with no other
        // product). Overlapping new products also stand for TR101 on NieuwProduct.
        let periods = nieuw.iter().enumerate().map(|(i, p)| {
            let label = format!("nieuw product {}", i + 1);
            (
                i,
                label,
                p.product.as_ref(),
                p.gewenste_ingangsdatum,
                p.einddatum,
            )
        });
        for (j, message) in overlapping(&periods.collect::<Vec<_>>()) {
            out.add("TR410", indexed(&nieuw_path, j, nieuw.len()), message);
        }
    }

    fn jw319_rules(antwoord: &jw319::Antwoord, out: &mut Findings) {
        let reason_8 = antwoord
            .reden_afwijzing_verzoek
            .is_some_and(|r| r == codes::RedenAfwijzingVerzoek::Woonplaatsbeginsel);
        let named = antwoord.woonplaatsbeginsel.is_some();
        // Rule: TR377 — a rejection for the woonplaatsbeginsel (reason 8) names the responsible gemeente.
        if reason_8 && !named {
            out.add(
                "TR377",
                "Bericht/Antwoord",
                "bij RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) is Woonplaatsbeginsel verplicht"
                    .to_owned(),
            );
        }
        // Rule: TR409 — with any other reason, or none, there is no Woonplaatsbeginsel.
        if !reason_8 && named {
            out.add(
                "TR409",
                "Bericht/Antwoord/Woonplaatsbeginsel",
                "Woonplaatsbeginsel hoort alleen bij RedenAfwijzingVerzoek 8 (woonplaatsbeginsel)"
                    .to_owned(),
            );
        }
    }

    fn jw323_rules(b: &jw323::Bericht, out: &mut Findings) {
        let day = b.header.bericht_identificatie.dagtekening;
        let d = &b.declaratie;
        closed_period(
            &d.declaratie_periode,
            day,
            "Bericht/Declaratie/DeclaratiePeriode",
            out,
        );
        let clients = &d.clienten.client;
        let clients_path = "Bericht/Declaratie/Clienten/Client";
        unique(
            clients.iter().map(|c| c.bsn.as_str()),
            clients.len(),
            clients_path,
            "een Client met dit BSN",
            out,
        );
        let references: HashSet<&str> = clients
            .iter()
            .flat_map(|c| &c.prestaties.prestatie)
            .map(|p| p.product_referentie.referentie_nummer.as_str())
            .collect();
        let mut previous: HashSet<&str> = HashSet::new();
        let mut sum = 0;
        let oldest_end = d
            .declaratie_dagtekening
            .checked_sub_months(Months::new(5 * 12));
        for (ci, client) in clients.iter().enumerate() {
            let prestaties = &client.prestaties.prestatie;
            let path = format!(
                "{}/Prestaties/Prestatie",
                indexed(clients_path, ci, clients.len())
            );
            unique(
                prestaties
                    .iter()
                    .map(|p| p.product_referentie.referentie_nummer.as_str()),
                prestaties.len(),
                &path,
                "een Prestatie met dit ReferentieNummer",
                out,
            );
            let mut debets = HashMap::new();
            for (pi, p) in prestaties.iter().enumerate() {
                let here = indexed(&path, pi, prestaties.len());
                let amount = &p.ingediend_bedrag;
                sum += signed(amount.bedrag, amount.debet_credit);
                let period = &p.product_periode;
                closed_period(period, day, &format!("{here}/ProductPeriode"), out);
                // Rule: TR335 — a prestatie ended at most five years before the DeclaratieDagtekening.
                if oldest_end.is_some_and(|oldest| period.einddatum < oldest) {
                    out.add(
                        "TR335",
                        format!("{here}/ProductPeriode/Einddatum"),
                        format!(
                            "Einddatum {} ligt meer dan 5 jaar voor de DeclaratieDagtekening {}",
                            date(period.einddatum),
                            date(d.declaratie_dagtekening)
                        ),
                    );
                }
                if let Some(vorig) = p.product_referentie.vorig_referentie_nummer.as_deref() {
                    let at = format!("{here}/ProductReferentie/VorigReferentieNummer");
                    // Rule: TR315 — two credit lines do not cancel the same prestatie.
                    if !previous.insert(vorig) {
                        out.add(
                            "TR315",
                            at.clone(),
                            format!(
                                "VorigReferentieNummer {vorig} komt al eerder voor in het bericht"
                            ),
                        );
                    }
                    // Rule: TR316 — a debet line is not credited in the message that declares it.
                    if references.contains(vorig) {
                        out.add(
                            "TR316",
                            at,
                            format!(
                                "de prestatie {vorig} wordt in hetzelfde bericht gedeclareerd en gecrediteerd"
                            ),
                        );
                    }
                }
                // Rule: TR416 — one debet per allocation, product and ProductPeriode.
                if amount.debet_credit == codes::DebetCredit::Debet {
                    let key = (
                        p.toewijzing_nummer,
                        p.product_categorie.code(),
                        p.product_code.as_str(),
                        period.begindatum,
                        period.einddatum,
                    );
                    if let Some(first) =
                        debets.insert(key, p.product_referentie.referentie_nummer.as_str())
                    {
                        out.add(
                            "TR416",
                            here.clone(),
                            format!(
                                "er is al een debetprestatie ({first}) voor dezelfde toewijzing, hetzelfde product en dezelfde ProductPeriode"
                            ),
                        );
                    }
                }
            }
        }
        // Rule: TR358 — the total submitted is the sum of the prestaties, debet minus credit.
        let total = &d.totaal_ingediend_bedrag;
        if signed(total.totaal_bedrag, total.debet_credit) != sum {
            out.add(
                "TR358",
                "Bericht/Declaratie/TotaalIngediendBedrag",
                format!("het totaal is niet de som van de prestaties ({sum} cent)"),
            );
        }
    }

    /// Whether a class of a declaration answer is rejected: it carries a code other
    /// than "no remark" (0200), "not judged" (0233) or "fully approved" (8001).
    fn rejects(codes: &jw325::RetourCodes) -> bool {
        codes.retour_code.iter().any(|c| {
            !matches!(
                c,
                codes::RetourCode::R0200 | codes::RetourCode::R0233 | codes::RetourCode::R8001
            )
        })
    }

    fn jw325_rules(b: &jw325::Bericht, out: &mut Findings) {
        let Some(antwoord) = &b.declaratie_antwoord else {
            return;
        };
        let day = b.header.bericht_identificatie.dagtekening;
        let path = "Bericht/DeclaratieAntwoord";
        let clients = antwoord
            .clienten
            .as_ref()
            .map_or(&[][..], |c| c.client.as_slice());
        let clients_path = format!("{path}/Clienten/Client");
        unique(
            clients.iter().map(|c| c.bsn.as_str()),
            clients.len(),
            &clients_path,
            "een Client met dit BSN",
            out,
        );
        let mut listed = 0;
        for (ci, client) in clients.iter().enumerate() {
            let prestaties = &client.prestaties.prestatie;
            let prestaties_path = format!(
                "{}/Prestaties/Prestatie",
                indexed(&clients_path, ci, clients.len())
            );
            unique(
                prestaties
                    .iter()
                    .map(|p| p.product_referentie.referentie_nummer.as_str()),
                prestaties.len(),
                &prestaties_path,
                "een Prestatie met dit ReferentieNummer",
                out,
            );
            let client_rejected = rejects(&client.retour_codes);
            for (pi, p) in prestaties.iter().enumerate() {
                let here = indexed(&prestaties_path, pi, prestaties.len());
                closed_period(
                    &p.product_periode,
                    day,
                    &format!("{here}/ProductPeriode"),
                    out,
                );
                listed += signed(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit);
                // Rule: TR342 — only rejected prestaties are listed in the answer (a
                // prestatie under a rejected client is rejected with it, unjudged).
                if !client_rejected && !rejects(&p.retour_codes) {
                    out.add(
                        "TR342",
                        here,
                        "alleen afgewezen prestaties horen in het declaratie-antwoord; deze heeft geen afwijzingscode".to_owned(),
                    );
                }
            }
        }
        let submitted = signed(
            antwoord.totaal_ingediend_bedrag.totaal_bedrag,
            antwoord.totaal_ingediend_bedrag.debet_credit,
        );
        let granted = signed(
            antwoord.totaal_toegekend_bedrag.totaal_bedrag,
            antwoord.totaal_toegekend_bedrag.debet_credit,
        );
        let at = format!("{path}/TotaalToegekendBedrag");
        // Rule: TR342 — a rejected declaration grants nothing; otherwise the submitted
        // total minus the granted total is the sum of the rejected prestaties listed.
        if rejects(&antwoord.retour_codes) {
            if granted != 0 {
                out.add(
                    "TR342",
                    at,
                    "bij een afgekeurde declaratie is het TotaalToegekendBedrag 0".to_owned(),
                );
            }
        } else if submitted - granted != listed {
            out.add(
                "TR342",
                at,
                format!(
                    "ingediend min toegekend ({} cent) is niet de som van de afgewezen prestaties ({listed} cent)",
                    submitted - granted
                ),
            );
        }
    }
}
