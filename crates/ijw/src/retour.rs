//! The answer to a message (iJw §4.4, §8.2): the retour message JW302, 306, 308,
//! 316, 318 or 320 for the request it answers, and the declaration answer JW325
//! for a JW323.
//!
//! - No findings: a retour with the header only, without codes (JW325: header
//!   0200 and a DeclaratieAntwoord with code 8001, fully approved).
//! - A rule within the message failed: the header only, with code 0001.
//! - Rules across messages or against external sources failed on classes of the
//!   message: the failing client with all its classes, each coded with its
//!   finding's code, or 0200 (no remark) where there is none. A header finding
//!   gives the header only, with that code.
//!
//! The retour of a request is built by walking the retour's schema alongside the
//! request, so every retour has exactly the request's classes in the right order.

use chrono::NaiveDate;

use crate::report::Finding;
use crate::rules::signed;
use crate::schema::{ComplexType, Type, tables};
use crate::types::{basis, codes, jw323, jw325};
use crate::xml::{Element, Trail, indexed};
use crate::{BASISSCHEMA_NAMESPACE, Bericht, Berichtsoort};

/// Rule: iJw §8.2 — the code of a class without remark.
const NO_REMARK: &str = "0200";
/// Rule: iJw §8.2 — the code of a message that failed a rule within itself.
const IN_MESSAGE: &str = "0001";

/// What the retour needs beyond the request: its own identification and date.
#[derive(Debug, Clone, Copy)]
pub struct RetourId<'a> {
    pub identificatie: &'a str,
    pub dagtekening: NaiveDate,
}

/// The message cannot be answered with a retour.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRetour {
    #[error("op een {0} wordt geen retourbericht gestuurd")]
    NotARequest(Berichtsoort),
    #[error("een bevinding heeft geen retourcode: {0}")]
    NoCode(String),
    #[error("het retourbericht past niet in zijn eigen schema: {0}")]
    Build(String),
}

/// The message that answers `soort`, if any.
pub fn answer_to(soort: Berichtsoort) -> Option<Berichtsoort> {
    use Berichtsoort::*;
    match soort {
        Jw301 => Some(Jw302),
        Jw305 => Some(Jw306),
        Jw307 => Some(Jw308),
        Jw315 => Some(Jw316),
        Jw317 => Some(Jw318),
        Jw319 => Some(Jw320),
        Jw323 => Some(Jw325),
        Jw302 | Jw306 | Jw308 | Jw316 | Jw318 | Jw320 | Jw325 => None,
    }
}

/// Builds the answer to `request` given its findings (from [`crate::validate`]
/// and from the rules across messages, each naming the class it concerns).
pub fn retour(
    request: &Bericht,
    findings: &[Finding],
    id: RetourId<'_>,
) -> Result<Bericht, NoRetour> {
    if let Some(f) = findings.iter().find(|f| f.code.is_none()) {
        return Err(NoRetour::NoCode(format!("{} {}", f.rule, f.message)));
    }
    let soort = request.soort();
    let answer = answer_to(soort).ok_or(NoRetour::NotARequest(soort))?;
    if let Bericht::Jw323(declaratie) = request {
        return declaratie_antwoord(declaratie, findings, id).map(Bericht::Jw325);
    }
    let heen = request.encode_root();
    let header_codes = header_codes(findings);
    let root_type = tables::root_type(answer);
    let mut root = Element {
        namespace: root_type.namespace.into(),
        name: "Bericht".into(),
        ..Element::default()
    };
    let trail = Trail::root(&heen);
    for particle in root_type.particles {
        let Type::Complex(ty) = particle.ty else {
            continue;
        };
        let Some(child) = trail.children().find(|c| c.element().name == particle.name) else {
            continue;
        };
        if particle.name == "Header" {
            root.children.push(retour_header(
                child.element(),
                ty,
                answer,
                &header_codes,
                id,
            ));
        } else if header_codes == [NO_REMARK] {
            // Only classes below the header failed: the client with all its classes.
            root.children.push(mirror(&child, ty, findings));
        }
    }
    Bericht::decode_root(answer, &root).map_err(|e| NoRetour::Build(e.to_string()))
}

/// The codes on the header: 0001 for a rule within the message, the codes of
/// header findings, 0200 when classes below the header failed (iJw §8.2), none
/// when all is well.
fn header_codes(findings: &[Finding]) -> Vec<String> {
    if findings.iter().any(|f| f.code == Some(IN_MESSAGE)) {
        return vec![IN_MESSAGE.to_owned()];
    }
    let on_header =
        |f: &&Finding| f.element == "Bericht/Header" || f.element.starts_with("Bericht/Header/");
    let header: Vec<String> = findings
        .iter()
        .filter(on_header)
        .filter_map(|f| f.code.map(str::to_owned))
        .collect();
    match (header.is_empty(), findings.is_empty()) {
        (false, _) => header,
        (true, false) => vec![NO_REMARK.to_owned()],
        (true, true) => Vec::new(),
    }
}

fn leaf(namespace: &str, name: &str, text: &str) -> Element {
    Element {
        namespace: namespace.into(),
        name: name.into(),
        text: text.to_owned(),
        ..Element::default()
    }
}

fn retour_codes(namespace: &str, codes: &[String]) -> Element {
    Element {
        namespace: namespace.into(),
        name: "RetourCodes".into(),
        children: codes
            .iter()
            .map(|c| leaf(namespace, "RetourCode", c))
            .collect(),
        ..Element::default()
    }
}

fn xsd_versie(namespace: &str, name: &str) -> Element {
    Element {
        namespace: namespace.into(),
        name: name.into(),
        children: vec![
            leaf(BASISSCHEMA_NAMESPACE, "BasisschemaXsdVersie", "1.0.0"),
            leaf(BASISSCHEMA_NAMESPACE, "BerichtXsdVersie", "1.0.0"),
        ],
        ..Element::default()
    }
}

/// Rule: iJw §4.4 — the request's header unchanged (Afzender and Ontvanger not
/// swapped), with the retour's own BerichtCode and its identification, date and
/// schema versions added.
fn retour_header(
    heen: &Element,
    ty: &ComplexType,
    answer: Berichtsoort,
    codes: &[String],
    id: RetourId<'_>,
) -> Element {
    let ns = ty.namespace;
    let mut header = Element {
        namespace: ns.into(),
        name: "Header".into(),
        ..Element::default()
    };
    for particle in ty.particles {
        let element = match particle.name {
            "BerichtCode" => Some(leaf(ns, "BerichtCode", &answer.code().to_string())),
            "IdentificatieRetour" => Some(leaf(ns, "IdentificatieRetour", id.identificatie)),
            "DagtekeningRetour" => Some(leaf(
                ns,
                "DagtekeningRetour",
                &id.dagtekening.format("%Y-%m-%d").to_string(),
            )),
            "XsdVersieRetour" => Some(xsd_versie(ns, "XsdVersieRetour")),
            "RetourCodes" => (!codes.is_empty()).then(|| retour_codes(ns, codes)),
            name => heen.children_named(name).next().map(|c| Element {
                namespace: ns.into(),
                ..c.clone()
            }),
        };
        header.children.extend(element);
    }
    header
}

/// The request's class at `trail` as the retour's class of type `ty`: the same
/// elements, and a RetourCodes with the codes of the findings on this class.
fn mirror(trail: &Trail<'_>, ty: &ComplexType, findings: &[Finding]) -> Element {
    let ns = ty.namespace;
    let heen = trail.element();
    let path = trail.render();
    let mut element = Element {
        namespace: ns.into(),
        name: heen.name.clone(),
        line: heen.line,
        ..Element::default()
    };
    for particle in ty.particles {
        if particle.name == "RetourCodes" {
            let mut codes: Vec<String> = findings
                .iter()
                .filter(|f| f.element == path)
                .filter_map(|f| f.code.map(str::to_owned))
                .collect();
            if codes.is_empty() {
                codes.push(NO_REMARK.to_owned());
            }
            element.children.push(retour_codes(ns, &codes));
            continue;
        }
        for child in trail
            .children()
            .filter(|c| c.element().name == particle.name)
        {
            element.children.push(match particle.ty {
                Type::Complex(sub) if sub.namespace != BASISSCHEMA_NAMESPACE => {
                    mirror(&child, sub, findings)
                }
                _ => Element {
                    namespace: ns.into(),
                    ..child.element().clone()
                },
            });
        }
    }
    element
}

fn total(amount: i64) -> basis::TotaalBedragMetDC {
    // Rule CS325: an amount of 0 is debet.
    let debet_credit = if amount < 0 {
        codes::DebetCredit::Credit
    } else {
        codes::DebetCredit::Debet
    };
    basis::TotaalBedragMetDC {
        totaal_bedrag: amount.abs(),
        debet_credit,
    }
}

/// Whether a finding's element lies in the class at `class` (the class itself or
/// one of its elements).
fn within(element: &str, class: &str) -> bool {
    element
        .strip_prefix(class)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The retour codes of the findings whose element `belongs`.
fn codes_where(
    findings: &[Finding],
    belongs: impl Fn(&str) -> bool,
) -> Result<Vec<codes::RetourCode>, NoRetour> {
    findings
        .iter()
        .filter(|f| belongs(&f.element))
        .filter_map(|f| f.code)
        .map(|code| {
            code.parse()
                .map_err(|e: crate::codec::UnknownCode| NoRetour::Build(e.to_string()))
        })
        .collect()
}

/// Rule: iJw §5.8, IV087 and TR342 — the JW325 answers one JW323, always:
///
/// - a rule within the message failed: the header only, with 0001;
/// - a finding on the header: the header only, with its codes;
/// - a finding on the Declaratie class (e.g. 9333): header 0200, the
///   DeclaratieAntwoord with that code and nothing granted, no prestaties;
/// - findings on clients or prestaties: header 0200, DeclaratieAntwoord 0200 with
///   the submitted total minus the rejected prestaties granted, and only the
///   rejected prestaties listed — with their codes, under their client (0200); a
///   client with its own finding carries its code and all its prestaties, each
///   0233 (not judged);
/// - no findings: header 0200, DeclaratieAntwoord 8001 (fully approved) with the
///   granted total equal to the submitted total and no prestaties.
fn declaratie_antwoord(
    declaratie: &jw323::Bericht,
    findings: &[Finding],
    id: RetourId<'_>,
) -> Result<jw325::Bericht, NoRetour> {
    let h = &declaratie.header;
    let d = &declaratie.declaratie;
    let in_message = findings.iter().any(|f| f.code == Some(IN_MESSAGE));
    let on_header = codes_where(findings, |e| within(e, "Bericht/Header"))?;
    let (header_codes, antwoord) = if in_message {
        (vec![codes::RetourCode::R0001], None)
    } else if !on_header.is_empty() {
        (on_header, None)
    } else {
        (
            vec![codes::RetourCode::R0200],
            Some(answer_declaratie(d, findings)?),
        )
    };
    Ok(jw325::Bericht {
        header: jw325::Header {
            bericht_code: Berichtsoort::Jw325.code().to_string(),
            bericht_versie: h.bericht_versie,
            bericht_subversie: h.bericht_subversie,
            // The answer goes back: from the gemeente to the provider.
            afzender: h.ontvanger.clone(),
            ontvanger: h.afzender.clone(),
            bericht_identificatie: basis::BerichtIdentificatie {
                identificatie: id.identificatie.to_owned(),
                dagtekening: id.dagtekening,
            },
            xsd_versie: h.xsd_versie.clone(),
            declaratie_identificatie: h.bericht_identificatie.clone(),
            xslt_versie: None,
            xsd_versie_declaratie: h.xsd_versie.clone(),
            retour_codes: jw325::RetourCodes {
                retour_code: header_codes,
            },
        },
        declaratie_antwoord: antwoord,
    })
}

/// The DeclaratieAntwoord class of a JW325 whose header has no remark.
fn answer_declaratie(
    d: &jw323::Declaratie,
    findings: &[Finding],
) -> Result<jw325::DeclaratieAntwoord, NoRetour> {
    const DECLARATIE: &str = "Bericht/Declaratie";
    const CLIENTEN: &str = "Bericht/Declaratie/Clienten";
    let submitted = signed(
        d.totaal_ingediend_bedrag.totaal_bedrag,
        d.totaal_ingediend_bedrag.debet_credit,
    );
    let answer = |granted: i64, clienten, retour_code| jw325::DeclaratieAntwoord {
        declaratie_nummer: d.declaratie_nummer.clone(),
        totaal_ingediend_bedrag: d.totaal_ingediend_bedrag.clone(),
        totaal_toegekend_bedrag: total(granted),
        clienten,
        retour_codes: jw325::RetourCodes { retour_code },
    };
    let on_declaratie = codes_where(findings, |e| within(e, DECLARATIE) && !within(e, CLIENTEN))?;
    if !on_declaratie.is_empty() {
        // The declaration counts as not sent: nothing granted, no prestaties judged.
        return Ok(answer(0, None, on_declaratie));
    }
    let mut clients = Vec::new();
    let mut rejected_total = 0;
    let all = &d.clienten.client;
    for (ci, client) in all.iter().enumerate() {
        let client_path = indexed("Bericht/Declaratie/Clienten/Client", ci, all.len());
        let prestaties_path = format!("{client_path}/Prestaties");
        let on_client = codes_where(findings, |e| {
            within(e, &client_path) && !within(e, &prestaties_path)
        })?;
        let mut rejected = Vec::new();
        let count = client.prestaties.prestatie.len();
        for (pi, p) in client.prestaties.prestatie.iter().enumerate() {
            let path = indexed(&format!("{prestaties_path}/Prestatie"), pi, count);
            let on_prestatie = codes_where(findings, |e| within(e, &path))?;
            let retour_code = if !on_client.is_empty() {
                vec![codes::RetourCode::R0233]
            } else if on_prestatie.is_empty() {
                continue;
            } else {
                on_prestatie
            };
            rejected_total += signed(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit);
            rejected.push(jw325::Prestatie {
                product_referentie: p.product_referentie.clone(),
                toewijzing_nummer: p.toewijzing_nummer,
                product_categorie: p.product_categorie,
                product_code: p.product_code.clone(),
                product_periode: p.product_periode.clone(),
                geleverd_volume: p.geleverd_volume,
                eenheid: p.eenheid,
                product_tarief: p.product_tarief,
                ingediend_bedrag: p.ingediend_bedrag.clone(),
                retour_codes: jw325::RetourCodes { retour_code },
            });
        }
        if !rejected.is_empty() {
            clients.push(jw325::Client {
                bsn: client.bsn.clone(),
                prestaties: jw325::Prestaties {
                    prestatie: rejected,
                },
                retour_codes: jw325::RetourCodes {
                    retour_code: no_remark_if_empty(on_client),
                },
            });
        }
    }
    Ok(if clients.is_empty() {
        answer(submitted, None, vec![codes::RetourCode::R8001])
    } else {
        answer(
            submitted - rejected_total,
            Some(jw325::Clienten { client: clients }),
            vec![codes::RetourCode::R0200],
        )
    })
}

fn no_remark_if_empty(codes: Vec<codes::RetourCode>) -> Vec<codes::RetourCode> {
    if codes.is_empty() {
        vec![codes::RetourCode::R0200]
    } else {
        codes
    }
}
