//! The rules across messages (iJw control levels 3 and 4): a message is judged
//! against what came before it — identifications already used, the allocations
//! in force, starts and stops already reported, requests still open, references
//! already declared. This crate stores nothing, so the caller hands that history
//! in as a [`History`]; each finding names the class it concerns and carries the
//! standard's retour code, ready for [`crate::retour`].

use chrono::NaiveDate;

use crate::Bericht;
use crate::report::Finding;
use crate::types::{basis, jw301, jw305, jw307, jw315, jw323};
use crate::xml::indexed;

/// An allocation in force (from an earlier JW301).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAllocation {
    pub bsn: String,
    pub toewijzing_nummer: i64,
    /// Productcategorie (JZ020), e.g. `45`.
    pub categorie: String,
    /// Product code; `None` for an allocation of a whole category.
    pub code: Option<String>,
    /// Unit of the Omvang (WJ756), when the allocation has one.
    pub eenheid: Option<String>,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
}

/// A start (JW305) or stop (JW307) already received, by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDelivery {
    pub bsn: String,
    pub toewijzing_nummer: Option<i64>,
    pub begindatum: NaiveDate,
}

/// What the receiver knows from earlier messages of the same sender.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Identificaties of earlier messages of this type from this sender (TR056).
    pub identificaties: Vec<String>,
    pub allocations: Vec<KnownAllocation>,
    pub starts: Vec<KnownDelivery>,
    pub stops: Vec<KnownDelivery>,
    /// ReferentieAanbieder values already used by this provider (TR347).
    pub referenties_aanbieder: Vec<String>,
    /// BSNs with a request (JW315/JW317) that has not been answered yet (TR374).
    pub open_requests: Vec<String>,
    /// DeclaratieNummers already used by this provider (TR333).
    pub declaratienummers: Vec<String>,
    /// ReferentieNummers of prestaties already declared (TR314).
    pub prestatie_referenties: Vec<String>,
}

fn class(path: String, code: &'static str, rule: &str, message: String) -> Finding {
    Finding {
        code: Some(code),
        rule: rule.to_owned(),
        element: path,
        line: 0,
        message,
    }
}

/// Judges `bericht` against `history`. Messages without rules across messages
/// here give no findings.
pub fn check_against(bericht: &Bericht, history: &History) -> Vec<Finding> {
    let mut findings = Vec::new();
    let identificatie = identificatie(bericht);
    // Rule TR056 (9056): an Identificatie is unique per sender per message type.
    if let Some(id) = identificatie.filter(|id| history.identificaties.iter().any(|k| k == id)) {
        findings.push(class(
            "Bericht/Header".to_owned(),
            "9056",
            "TR056",
            format!("Identificatie {id} is al eerder gebruikt"),
        ));
    }
    match bericht {
        Bericht::Jw301(b) => findings.extend(jw301_rules(b, history)),
        Bericht::Jw305(b) => findings.extend(start_rules(b, history)),
        Bericht::Jw307(b) => findings.extend(stop_rules(b, history)),
        Bericht::Jw315(b) => findings.extend(request_rules(b, history)),
        Bericht::Jw323(b) => findings.extend(declaration_rules(b, history)),
        _ => {}
    }
    findings
}

fn identificatie(bericht: &Bericht) -> Option<&str> {
    let id = match bericht {
        Bericht::Jw301(b) => &b.header.bericht_identificatie,
        Bericht::Jw305(b) => &b.header.bericht_identificatie,
        Bericht::Jw307(b) => &b.header.bericht_identificatie,
        Bericht::Jw315(b) => &b.header.bericht_identificatie,
        Bericht::Jw317(b) => &b.header.bericht_identificatie,
        Bericht::Jw319(b) => &b.header.bericht_identificatie,
        Bericht::Jw323(b) => &b.header.bericht_identificatie,
        Bericht::Jw325(b) => &b.header.bericht_identificatie,
        Bericht::Jw302(_)
        | Bericht::Jw306(_)
        | Bericht::Jw308(_)
        | Bericht::Jw316(_)
        | Bericht::Jw318(_)
        | Bericht::Jw320(_) => {
            return None;
        }
    };
    Some(id.identificatie.as_str())
}

/// Rule TR332 (9332): a ToewijzingNummer belongs to one client for good.
fn jw301_rules(b: &jw301::Bericht, history: &History) -> Vec<Finding> {
    let products = &b.client.toegewezen_producten.toegewezen_product;
    products
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            history
                .allocations
                .iter()
                .any(|a| a.toewijzing_nummer == p.toewijzing_nummer && a.bsn != b.client.bsn)
        })
        .map(|(i, p)| {
            class(
                indexed(
                    "Bericht/Client/ToegewezenProducten/ToegewezenProduct",
                    i,
                    products.len(),
                ),
                "9332",
                "TR332",
                format!(
                    "ToewijzingNummer {} hoort al bij een andere client",
                    p.toewijzing_nummer
                ),
            )
        })
        .collect()
}

fn allocation<'a>(history: &'a History, bsn: &str, nummer: i64) -> Option<&'a KnownAllocation> {
    history
        .allocations
        .iter()
        .find(|a| a.bsn == bsn && a.toewijzing_nummer == nummer)
}

fn same_key(known: &KnownDelivery, bsn: &str, nummer: Option<i64>, begindatum: NaiveDate) -> bool {
    known.bsn == bsn && known.toewijzing_nummer == nummer && known.begindatum == begindatum
}

/// StatusAanlevering: 1 first delivery, 3 removal of an earlier one.
fn is_removal(status: crate::types::codes::StatusAanlevering) -> bool {
    status.code() == "3"
}

/// The start rules: TR019 (9019) linked to an allocation, TR074 (9074) not twice,
/// TR063 (9063) no removal of what never came, TR326 (9326) no new start while
/// an earlier start of the same allocation is not stopped.
fn start_rules(b: &jw305::Bericht, history: &History) -> Vec<Finding> {
    let bsn = &b.client.bsn;
    let starts = &b.client.start_producten.start_product;
    let mut findings = Vec::new();
    for (i, s) in starts.iter().enumerate() {
        let path = indexed(
            "Bericht/Client/StartProducten/StartProduct",
            i,
            starts.len(),
        );
        let mut add = |code, rule, message: &str| {
            findings.push(class(path.clone(), code, rule, message.to_owned()));
        };
        let received = history
            .starts
            .iter()
            .any(|k| same_key(k, bsn, s.toewijzing_nummer, s.begindatum));
        if let Some(nummer) = s.toewijzing_nummer
            && allocation(history, bsn, nummer).is_none()
        {
            add(
                "9019",
                "TR019",
                "de start hoort niet bij een toewijzing voor deze client",
            );
        }
        if is_removal(s.status_aanlevering) {
            if !received {
                add(
                    "9063",
                    "TR063",
                    "er is geen eerdere start om te verwijderen",
                );
            }
        } else if received {
            add("9074", "TR074", "deze start is al eerder ontvangen");
        } else if history.starts.iter().any(|k| {
            k.bsn == *bsn
                && k.toewijzing_nummer == s.toewijzing_nummer
                && !history
                    .stops
                    .iter()
                    .any(|stop| same_key(stop, bsn, k.toewijzing_nummer, k.begindatum))
        }) {
            add(
                "9326",
                "TR326",
                "een eerdere levering van deze toewijzing is nog niet gestopt",
            );
        }
    }
    findings
}

/// The stop rules: TR019 (9019), TR382 (9069) a stop needs its start, TR074
/// (9074) not twice, TR063 (9063) no removal of a stop that never came.
fn stop_rules(b: &jw307::Bericht, history: &History) -> Vec<Finding> {
    let bsn = &b.client.bsn;
    let stops = &b.client.stop_producten.stop_product;
    let mut findings = Vec::new();
    for (i, s) in stops.iter().enumerate() {
        let path = indexed("Bericht/Client/StopProducten/StopProduct", i, stops.len());
        let mut add = |code, rule, message: &str| {
            findings.push(class(path.clone(), code, rule, message.to_owned()));
        };
        if let Some(nummer) = s.toewijzing_nummer
            && allocation(history, bsn, nummer).is_none()
        {
            add(
                "9019",
                "TR019",
                "de stop hoort niet bij een toewijzing voor deze client",
            );
        }
        let stopped = history
            .stops
            .iter()
            .any(|k| same_key(k, bsn, s.toewijzing_nummer, s.begindatum));
        if is_removal(s.status_aanlevering) {
            if !stopped {
                add("9063", "TR063", "er is geen eerdere stop om te verwijderen");
            }
        } else if stopped {
            add("9074", "TR074", "deze stop is al eerder ontvangen");
        } else if !history
            .starts
            .iter()
            .any(|k| same_key(k, bsn, s.toewijzing_nummer, s.begindatum))
        {
            add(
                "9069",
                "TR382",
                "er is geen start met dezelfde sleutel om te stoppen",
            );
        }
    }
    findings
}

/// Requests: TR347 (9347) a ReferentieAanbieder is used once; TR374 (9374) no
/// new request while another one for this client is open.
fn request_rules(b: &jw315::Bericht, history: &History) -> Vec<Finding> {
    let products = &b.client.aangevraagde_producten.aangevraagd_product;
    let mut findings = Vec::new();
    if history.open_requests.contains(&b.client.bsn) {
        findings.push(class(
            "Bericht/Client".to_owned(),
            "9374",
            "TR374",
            "er loopt nog een ander verzoek voor deze client".to_owned(),
        ));
    }
    for (i, p) in products.iter().enumerate() {
        if history
            .referenties_aanbieder
            .contains(&p.referentie_aanbieder)
        {
            findings.push(class(
                indexed(
                    "Bericht/Client/AangevraagdeProducten/AangevraagdProduct",
                    i,
                    products.len(),
                ),
                "9347",
                "TR347",
                format!(
                    "ReferentieAanbieder {} is al eerder gebruikt",
                    p.referentie_aanbieder
                ),
            ));
        }
    }
    findings
}

/// Declarations against allocations: TR333 (9333), TR314 (8021), TR338 (9338),
/// TR339 (9339), TR340 (9340), TR341 (9341), TR307 (9307), TR308 (9308), TR346 (9346).
fn declaration_rules(b: &jw323::Bericht, history: &History) -> Vec<Finding> {
    let d = &b.declaratie;
    let mut findings = Vec::new();
    if history.declaratienummers.contains(&d.declaratie_nummer) {
        findings.push(class(
            "Bericht/Declaratie".to_owned(),
            "9333",
            "TR333",
            format!(
                "DeclaratieNummer {} is al eerder gebruikt",
                d.declaratie_nummer
            ),
        ));
    }
    let clients = &d.clienten.client;
    for (ci, client) in clients.iter().enumerate() {
        let client_path = indexed("Bericht/Declaratie/Clienten/Client", ci, clients.len());
        let prestaties = &client.prestaties.prestatie;
        for (pi, p) in prestaties.iter().enumerate() {
            let path = indexed(
                &format!("{client_path}/Prestaties/Prestatie"),
                pi,
                prestaties.len(),
            );
            for (code, rule, message) in prestatie_rules(p, &client.bsn, history) {
                findings.push(class(path.clone(), code, rule, message));
            }
        }
    }
    findings
}

fn prestatie_rules(
    p: &jw323::Prestatie,
    bsn: &str,
    history: &History,
) -> Vec<(&'static str, &'static str, String)> {
    let mut problems = Vec::new();
    if history
        .prestatie_referenties
        .contains(&p.product_referentie.referentie_nummer)
    {
        problems.push((
            "8021",
            "TR314",
            format!(
                "ReferentieNummer {} is al eerder gedeclareerd",
                p.product_referentie.referentie_nummer
            ),
        ));
    }
    let Some(a) = allocation(history, bsn, p.toewijzing_nummer) else {
        problems.push((
            "9338",
            "TR338",
            format!(
                "er is geen toewijzing {} voor deze client",
                p.toewijzing_nummer
            ),
        ));
        return problems;
    };
    if p.product_categorie.code() != a.categorie {
        problems.push((
            "9339",
            "TR339",
            format!(
                "categorie {} hoort niet bij de toewijzing ({})",
                p.product_categorie.code(),
                a.categorie
            ),
        ));
    }
    if a.code.as_ref().is_some_and(|code| *code != p.product_code) {
        problems.push((
            "9340",
            "TR340",
            format!(
                "productcode {} hoort niet bij de toewijzing",
                p.product_code
            ),
        ));
    }
    // Rule TR341: the unit of the allocation; minutes may be declared on hours (04 -> 01).
    let unit = p.eenheid.code();
    if a.eenheid
        .as_deref()
        .is_some_and(|allocated| allocated != unit && !(allocated == "04" && unit == "01"))
    {
        problems.push((
            "9341",
            "TR341",
            format!("eenheid {unit} hoort niet bij de toewijzing"),
        ));
    }
    let periode: &basis::GeslotenPeriode = &p.product_periode;
    if periode.begindatum < a.ingangsdatum {
        problems.push((
            "9307",
            "TR307",
            "de productperiode begint voor de toewijzing".to_owned(),
        ));
    }
    if a.einddatum.is_some_and(|end| periode.einddatum > end) {
        problems.push((
            "9308",
            "TR308",
            "de productperiode eindigt na de toewijzing".to_owned(),
        ));
    }
    // Rule TR346: outside unit 83 (euro's), the amount is volume × tariff.
    if unit != "83"
        && let Some(tarief) = p.product_tarief
        && p.ingediend_bedrag.bedrag != p.geleverd_volume * tarief
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
