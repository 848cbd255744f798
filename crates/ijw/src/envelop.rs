//! The StUF-GGk envelope (koppelvlak `ggk0210`, version 2.1 patch 04): how a
//! gemeente hands an iJw message to the Gemeentelijk Gegevensknooppunt and gets
//! messages and routing errors back.
//!
//! - [`heenbericht`] wraps an outgoing message that expects an answer (for a
//!   gemeente JW301 and JW319) in a `Di01` envelope; [`retourbericht`] wraps the
//!   answer to a received one (JW306, JW308, JW316, JW318, JW325) in a `Du01`,
//!   which names the `Di01` it answers in `crossRefnummer`.
//! - [`lees`] reads a `Di01`, a `Du01` or a StUF `Fo01` (the knooppunt refusing an
//!   envelope, codes such as IB001…IB023 and IB901…IB905) with the hardened reader
//!   [`crate::xml::read`], checks it as the envelope schema does, and decodes the
//!   payload from base64.
//!
//! The caller supplies what the crate cannot make without I/O or randomness: the
//! UUID (version 4) of each envelope and the time of sending, in Dutch local time.
//! The payload itself is not checked here beyond its root (see [`crate::validate`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::xml::{self, Element, MAX_INPUT_BYTES};
use crate::{Berichtsoort, answer_to};

/// The namespace of the envelope's own elements (`ggk0210`).
pub const GGK_NAMESPACE: &str = "http://www.stufstandaarden.nl/koppelvlak/ggk0210";
/// The namespace of StUF 03.01: the `stuurgegevens` and the `Fo01`.
pub const STUF_NAMESPACE: &str = "http://www.egem.nl/StUF/StUF0301";

/// The `functieVersie` and `functieSubversie` of an iJw 3.2 payload: the
/// `BerichtVersie` (3) and `BerichtSubversie` (2) of its header. Not confirmed by
/// the published envelope documents (their examples carry an iWmo 2 message).
pub const IJW_32: Versie = Versie {
    versie: 3,
    subversie: 2,
};

/// A sending or receiving system (StUF `Systeem`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Partij {
    /// The CBS gemeentecode (`0307`) or AGB code of the organisation; the knooppunt
    /// itself signs as e.g. `IB`. Empty only when a `Fo01` leaves it out.
    pub organisatie: String,
    /// The application, 3 to 50 characters.
    pub applicatie: String,
    /// An administration within the application, at most 50 characters.
    pub administratie: Option<String>,
    /// A user, at most 100 characters.
    pub gebruiker: Option<String>,
}

/// A version and subversion, each written as four digits (`0003`), so 0 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Versie {
    pub versie: u16,
    pub subversie: u16,
}

/// What an outgoing `Di01` or `Du01` says besides its payload. Named fields, so
/// that the two references of a `Du01` cannot be swapped by position.
#[derive(Debug, Clone, Copy)]
pub struct Verzending<'a> {
    /// The iJw message in the payload; its name is the envelope's `functie`.
    pub functie: Berichtsoort,
    pub zender: &'a Partij,
    pub ontvanger: &'a Partij,
    /// The version of the sending application (`applicatieVersie`,
    /// `applicatieSubversie`).
    pub applicatieversie: Versie,
    /// A fresh UUID version 4 in lower case, unique per envelope.
    pub referentienummer: &'a str,
    /// The moment of sending in Dutch local time; written to the second.
    pub tijdstip: NaiveDateTime,
}

/// The payload of a `Di01` or `Du01`, decoded from base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inhoud {
    /// An XML message (`xmlBestand`): for iJw always this.
    Xml(Vec<u8>),
    /// Another file (`tekstBestand`) with its file name.
    Tekst {
        bestandsnaam: String,
        bytes: Vec<u8>,
    },
}

impl Inhoud {
    /// The payload bytes, whatever kind of file they are.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Inhoud::Xml(bytes) | Inhoud::Tekst { bytes, .. } => bytes,
        }
    }
}

/// A read `Di01` or `Du01`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelopbericht {
    pub zender: Partij,
    pub ontvanger: Partij,
    pub referentienummer: String,
    pub tijdstip: NaiveDateTime,
    /// Only in a `Du01`: the `referentienummer` of the `Di01` it answers.
    pub cross_refnummer: Option<String>,
    /// The message name as written (`JW301`; other standards use e.g. `WMO301`).
    pub functie: String,
    pub applicatieversie: Versie,
    pub functieversie: Versie,
    pub inhoud: Inhoud,
}

impl Envelopbericht {
    /// The iJw 3.2 message the `functie` names.
    pub fn berichtsoort(&self) -> Result<Berichtsoort, crate::UnknownMessage> {
        self.functie.parse()
    }
}

/// Which side the knooppunt blames for a refusal (`plek`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foutplek {
    /// The sender's envelope or message.
    Client,
    /// The knooppunt or the receiving side.
    Server,
}

/// A read `Fo01`: the knooppunt (or a receiver) refused an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foutbericht {
    pub zender: Partij,
    pub ontvanger: Partij,
    /// The `Fo01`'s own reference.
    pub referentienummer: String,
    pub tijdstip: NaiveDateTime,
    /// The `referentienummer` of the refused envelope.
    pub cross_refnummer: String,
    /// The error code, e.g. `IB005`; at most 7 characters.
    pub code: String,
    pub plek: Foutplek,
    /// The sender's description of the error.
    pub omschrijving: String,
    /// Further details in text, when given (`details`; `detailsXML` is ignored).
    pub details: Option<String>,
}

impl Foutbericht {
    /// What the code means, in our own words, for the codes the reference names.
    pub fn betekenis(&self) -> Option<&'static str> {
        betekenis(&self.code)
    }
}

/// The meaning of a knooppunt error code, for the few the reference describes.
pub fn betekenis(code: &str) -> Option<&'static str> {
    Some(match code {
        "IB001" => "de envelop voldoet niet aan het schema",
        "IB003" => "het bericht is groter dan 25 MB",
        "IB004" => "de functie (het berichttype) wordt niet ondersteund",
        "IB005" => "de gemeentecode is onbekend",
        "IB010" => "de ontvanger is niet aangesloten of de AGB-code klopt niet",
        "IB014" => "het bericht in de envelop voldoet niet aan zijn XSD",
        "IB016" => "het referentienummer is niet uniek",
        _ => return None,
    })
}

/// A read envelope, by its `berichtcode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Envelop {
    /// `envelopHeenbericht-ggk_Di01`: a message that starts an exchange.
    Di01(Envelopbericht),
    /// `envelopRetourbericht-ggk_Du01`: the answer to a `Di01`.
    Du01(Envelopbericht),
    /// StUF `Fo01Bericht`: an envelope was refused.
    Fo01(Foutbericht),
}

/// Why an envelope could not be written or read. The messages are Dutch and name
/// the element concerned (`stuurgegevens/referentienummer`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopFout {
    #[error("{0}")]
    Lezen(#[from] xml::ReadError),
    #[error(
        "het hoofdelement is <{naam}> ({namespace}); verwacht een StUF-GGk-envelop \
         (envelopHeenbericht-ggk_Di01, envelopRetourbericht-ggk_Du01) of een StUF Fo01Bericht"
    )]
    GeenEnvelop { naam: String, namespace: String },
    #[error("{pad}: het element ontbreekt")]
    Ontbreekt { pad: String },
    #[error("{pad}: element <{element}> hoort hier niet")]
    Onverwacht { pad: String, element: String },
    #[error("{pad}: {melding}")]
    Waarde { pad: String, melding: String },
    #[error("het bericht in de envelop is geen {functie}: {melding}")]
    Inhoud {
        functie: Berichtsoort,
        melding: String,
    },
    #[error("{functie} past niet in een {berichtcode}: {melding}")]
    Functie {
        functie: Berichtsoort,
        berichtcode: &'static str,
        melding: &'static str,
    },
    #[error("de envelop wordt {0} bytes; hij mag hoogstens 25 MB zijn")]
    TeGroot(usize),
}

fn waarde(pad: &str, melding: impl Into<String>) -> EnvelopFout {
    EnvelopFout::Waarde {
        pad: pad.to_owned(),
        melding: melding.into(),
    }
}

// ---------------------------------------------------------------------------
// Writing

/// Wraps `payload`, an iJw message that expects an answer, in a `Di01` envelope:
/// the message base64-encoded in `xmlBestand`, its name as `functie`, and
/// [`IJW_32`] as `functieVersie`/`functieSubversie`.
///
/// Refused: a retour message (it goes in a [`retourbericht`]); a payload that is
/// not XML or not the message `functie` names; a `referentienummer` that is not a
/// lower-case UUID v4; a party, version or time the schema does not allow; an
/// envelope above 25 MB.
pub fn heenbericht(payload: &[u8], verzending: &Verzending<'_>) -> Result<String, EnvelopFout> {
    // Rule: StUF-GGk — a Di01 starts an exchange, so it carries a message that
    // is answered (a request), never a retour.
    if answer_to(verzending.functie).is_none() {
        return Err(EnvelopFout::Functie {
            functie: verzending.functie,
            berichtcode: "Di01",
            melding: "een retourbericht gaat in een Du01 met het crossRefnummer van de Di01",
        });
    }
    envelop(payload, verzending, None)
}

/// Wraps `payload`, the answer to a received message (JW306, JW308, JW316,
/// JW318, JW325 for a gemeente), in a `Du01` envelope whose `crossRefnummer` is
/// `cross_refnummer`, the `referentienummer` of that message's `Di01`. Refused as
/// [`heenbericht`] refuses, and when `functie` answers nothing or
/// `cross_refnummer` is not a lower-case UUID v4.
pub fn retourbericht(
    payload: &[u8],
    verzending: &Verzending<'_>,
    cross_refnummer: &str,
) -> Result<String, EnvelopFout> {
    // Rule: StUF-GGk — a Du01 answers a Di01, so it carries the answer to a request.
    if !Berichtsoort::ALL
        .into_iter()
        .any(|request| answer_to(request) == Some(verzending.functie))
    {
        return Err(EnvelopFout::Functie {
            functie: verzending.functie,
            berichtcode: "Du01",
            melding: "alleen het antwoord op een ontvangen bericht gaat in een Du01",
        });
    }
    envelop(payload, verzending, Some(cross_refnummer))
}

fn envelop(
    payload: &[u8],
    verzending: &Verzending<'_>,
    cross_refnummer: Option<&str>,
) -> Result<String, EnvelopFout> {
    let functie = verzending.functie;
    let root = xml::read(payload).map_err(|e| EnvelopFout::Inhoud {
        functie,
        melding: e.to_string(),
    })?;
    match Berichtsoort::of_root(&root) {
        Ok(soort) if soort == functie => {}
        Ok(soort) => {
            return Err(EnvelopFout::Inhoud {
                functie,
                melding: format!("het is een {soort}"),
            });
        }
        Err(e) => {
            return Err(EnvelopFout::Inhoud {
                functie,
                melding: e.to_string(),
            });
        }
    }
    let referentienummer = "stuurgegevens/referentienummer";
    uuid_v4(referentienummer, verzending.referentienummer)?;
    if let Some(cross) = cross_refnummer {
        uuid_v4("stuurgegevens/crossRefnummer", cross)?;
    }
    let tijdstip = tijdstip_tekst(verzending.tijdstip)?;
    let applicatieversie = verzending.applicatieversie;
    versie("parameters/applicatieVersie", applicatieversie.versie)?;
    versie("parameters/applicatieSubversie", applicatieversie.subversie)?;

    let (root_name, berichtcode) = match cross_refnummer {
        None => ("envelopHeenbericht-ggk_Di01", "Di01"),
        Some(_) => ("envelopRetourbericht-ggk_Du01", "Du01"),
    };
    let mut out = String::with_capacity(payload.len() / 3 * 4 + 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<GGK:{root_name} xmlns:GGK=\"{GGK_NAMESPACE}\" xmlns:StUF=\"{STUF_NAMESPACE}\">\n"
    ));
    out.push_str("  <GGK:stuurgegevens>\n");
    leaf(&mut out, 2, "StUF:berichtcode", berichtcode);
    partij(&mut out, "zender", verzending.zender)?;
    partij(&mut out, "ontvanger", verzending.ontvanger)?;
    leaf(
        &mut out,
        2,
        "StUF:referentienummer",
        verzending.referentienummer,
    );
    leaf(&mut out, 2, "StUF:tijdstipBericht", &tijdstip);
    if let Some(cross) = cross_refnummer {
        leaf(&mut out, 2, "StUF:crossRefnummer", cross);
    }
    leaf(&mut out, 2, "StUF:functie", functie.name());
    out.push_str("  </GGK:stuurgegevens>\n  <GGK:parameters>\n");
    for (name, number) in [
        ("GGK:applicatieVersie", applicatieversie.versie),
        ("GGK:applicatieSubversie", applicatieversie.subversie),
        ("GGK:functieVersie", IJW_32.versie),
        ("GGK:functieSubversie", IJW_32.subversie),
    ] {
        leaf(&mut out, 2, name, &format!("{number:04}"));
    }
    out.push_str("    <GGK:bericht>\n      <GGK:xmlBestand>");
    STANDARD.encode_string(payload, &mut out);
    out.push_str("</GGK:xmlBestand>\n    </GGK:bericht>\n  </GGK:parameters>\n");
    out.push_str(&format!("</GGK:{root_name}>\n"));
    // Rule: StUF-GGk IB003 — the knooppunt refuses an envelope above 25 MB.
    if out.len() > MAX_INPUT_BYTES {
        return Err(EnvelopFout::TeGroot(out.len()));
    }
    Ok(out)
}

fn leaf(out: &mut String, depth: usize, name: &str, text: &str) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&format!("<{name}>{}</{name}>\n", escape(text)));
}

fn partij(out: &mut String, rol: &str, partij: &Partij) -> Result<(), EnvelopFout> {
    let pad = format!("stuurgegevens/{rol}");
    // Rule: StUF-GGk — every envelope names the organisation of sender and receiver.
    if partij.organisatie.is_empty() {
        return Err(waarde(&format!("{pad}/organisatie"), "mag niet leeg zijn"));
    }
    tekst(&format!("{pad}/organisatie"), &partij.organisatie, 0, 200)?;
    tekst(&format!("{pad}/applicatie"), &partij.applicatie, 3, 50)?;
    out.push_str(&format!("    <StUF:{rol}>\n"));
    leaf(out, 3, "StUF:organisatie", &partij.organisatie);
    leaf(out, 3, "StUF:applicatie", &partij.applicatie);
    if let Some(administratie) = &partij.administratie {
        tekst(&format!("{pad}/administratie"), administratie, 0, 50)?;
        leaf(out, 3, "StUF:administratie", administratie);
    }
    if let Some(gebruiker) = &partij.gebruiker {
        tekst(&format!("{pad}/gebruiker"), gebruiker, 0, 100)?;
        leaf(out, 3, "StUF:gebruiker", gebruiker);
    }
    out.push_str(&format!("    </StUF:{rol}>\n"));
    Ok(())
}

/// A text value to write: its length as the schema allows, and no control
/// characters (names and codes have none, and XML cannot carry most of them).
fn tekst(pad: &str, value: &str, min: usize, max: usize) -> Result<(), EnvelopFout> {
    lengte(pad, value, min, max)?;
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    {
        return Err(waarde(
            pad,
            format!("het teken U+{:04X} is niet toegestaan", u32::from(c)),
        ));
    }
    Ok(())
}

fn versie(pad: &str, number: u16) -> Result<(), EnvelopFout> {
    // Rule: StUF Versienr — exactly four digits.
    if number > 9999 {
        return Err(waarde(
            pad,
            format!("moet in vier cijfers passen (0 tot 9999), niet {number}"),
        ));
    }
    Ok(())
}

/// Rule: StUF-GGk — `referentienummer` and `crossRefnummer` of a Di01 and Du01 are
/// a UUID version 4 in lower case (8-4-4-4-12 hexadecimal digits, the third
/// group starting with 4, the fourth with 8, 9, a or b).
fn uuid_v4(pad: &str, value: &str) -> Result<(), EnvelopFout> {
    let groups: Vec<&str> = value.split('-').collect();
    let lengths_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]);
    let hex_ok = groups
        .iter()
        .all(|g| g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    let version_ok = groups.get(2).is_some_and(|g| g.starts_with('4'));
    let variant_ok = groups
        .get(3)
        .is_some_and(|g| g.starts_with(['8', '9', 'a', 'b']));
    if lengths_ok && hex_ok && version_ok && variant_ok {
        return Ok(());
    }
    Err(waarde(
        pad,
        format!(
            "'{}' is geen UUID versie 4 in kleine letters (zoals 9c0f7b90-5c69-41e5-a837-0800200c9a66)",
            shown(value)
        ),
    ))
}

/// A value as shown in a message: at most 60 characters.
fn shown(value: &str) -> String {
    if value.chars().count() > 60 {
        format!("{}…", value.chars().take(60).collect::<String>())
    } else {
        value.to_owned()
    }
}

/// Rule: StUF Tijdstip — `jjjjmmdduummss`, the time to the second.
fn tijdstip_tekst(at: NaiveDateTime) -> Result<String, EnvelopFout> {
    if !(0..=9999).contains(&at.year()) {
        return Err(waarde(
            "stuurgegevens/tijdstipBericht",
            format!("het jaar {} past niet in vier cijfers", at.year()),
        ));
    }
    Ok(at.format("%Y%m%d%H%M%S").to_string())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Reading

/// Reads a `Di01`, `Du01` or `Fo01` and checks it as the envelope schema does;
/// the payload of a `Di01` or `Du01` is decoded from base64.
pub fn lees(bytes: &[u8]) -> Result<Envelop, EnvelopFout> {
    let root = xml::read(bytes)?;
    match (root.namespace.as_str(), root.name.as_str()) {
        (GGK_NAMESPACE, "envelopHeenbericht-ggk_Di01") => {
            Ok(Envelop::Di01(envelopbericht(&root, "Di01")?))
        }
        (GGK_NAMESPACE, "envelopRetourbericht-ggk_Du01") => {
            Ok(Envelop::Du01(envelopbericht(&root, "Du01")?))
        }
        (STUF_NAMESPACE, "Fo01Bericht") => Ok(Envelop::Fo01(foutbericht(&root)?)),
        (namespace, naam) => Err(EnvelopFout::GeenEnvelop {
            naam: naam.to_owned(),
            namespace: if namespace.is_empty() {
                "geen namespace".to_owned()
            } else {
                namespace.to_owned()
            },
        }),
    }
}

/// The children of one element, taken in the order the schema prescribes.
struct Volgorde<'a> {
    element: &'a Element,
    pad: String,
    next: usize,
}

impl<'a> Volgorde<'a> {
    fn of(element: &'a Element, pad: &str) -> Result<Self, EnvelopFout> {
        if !element.text.trim().is_empty() {
            return Err(waarde(
                pad,
                "hoort alleen elementen te bevatten, geen tekst",
            ));
        }
        Ok(Volgorde {
            element,
            pad: pad.to_owned(),
            next: 0,
        })
    }

    fn child_path(&self, name: &str) -> String {
        format!("{}/{name}", self.pad)
    }

    /// The next child if it is `name` in `namespace`.
    fn optioneel(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<&'a Element>, EnvelopFout> {
        let Some(child) = self.element.children.get(self.next) else {
            return Ok(None);
        };
        if child.name != name {
            return Ok(None);
        }
        if child.namespace != namespace {
            return Err(waarde(
                &self.child_path(name),
                format!(
                    "staat in namespace '{}' in plaats van '{namespace}'",
                    child.namespace
                ),
            ));
        }
        self.next += 1;
        Ok(Some(child))
    }

    fn verplicht(&mut self, namespace: &str, name: &str) -> Result<&'a Element, EnvelopFout> {
        if let Some(child) = self.optioneel(namespace, name)? {
            return Ok(child);
        }
        match self.element.children.get(self.next) {
            Some(other) if self.element.children.iter().any(|c| c.name == name) => Err(waarde(
                &self.pad,
                format!("op de plaats van <{name}> staat <{}>", other.name),
            )),
            _ => Err(EnvelopFout::Ontbreekt {
                pad: self.child_path(name),
            }),
        }
    }

    fn tekst(&mut self, namespace: &str, name: &str) -> Result<(&'a str, String), EnvelopFout> {
        let child = self.verplicht(namespace, name)?;
        let pad = self.child_path(name);
        Ok((leaf_text(child, &pad)?, pad))
    }

    fn optionele_tekst(
        &mut self,
        namespace: &str,
        name: &str,
        max: usize,
    ) -> Result<Option<String>, EnvelopFout> {
        let Some(child) = self.optioneel(namespace, name)? else {
            return Ok(None);
        };
        let pad = self.child_path(name);
        let text = leaf_text(child, &pad)?;
        lengte(&pad, text, 0, max)?;
        Ok(Some(text.to_owned()))
    }

    /// No children are left.
    fn einde(&self) -> Result<(), EnvelopFout> {
        match self.element.children.get(self.next) {
            Some(extra) => Err(EnvelopFout::Onverwacht {
                pad: self.pad.clone(),
                element: extra.name.to_string(),
            }),
            None => Ok(()),
        }
    }
}

fn leaf_text<'a>(element: &'a Element, pad: &str) -> Result<&'a str, EnvelopFout> {
    match element.children.first() {
        Some(child) => Err(EnvelopFout::Onverwacht {
            pad: pad.to_owned(),
            element: child.name.to_string(),
        }),
        None => Ok(&element.text),
    }
}

/// Rule: StUF — the minimum and maximum length of a text value, in characters.
fn lengte(pad: &str, value: &str, min: usize, max: usize) -> Result<(), EnvelopFout> {
    let length = value.chars().count();
    if length < min || length > max {
        let range = if min == 0 {
            format!("hoogstens {max} tekens")
        } else {
            format!("{min} tot {max} tekens")
        };
        return Err(waarde(
            pad,
            format!("moet {range} lang zijn, niet {length}"),
        ));
    }
    Ok(())
}

fn berichtcode(children: &mut Volgorde<'_>, expected: &str) -> Result<(), EnvelopFout> {
    let (code, pad) = children.tekst(STUF_NAMESPACE, "berichtcode")?;
    // Rule: StUF — the berichtcode agrees with the kind of envelope.
    if code != expected {
        return Err(waarde(
            &pad,
            format!("is '{}', maar dit envelop is een {expected}", shown(code)),
        ));
    }
    Ok(())
}

/// A `zender` or `ontvanger`; in a Di01 and Du01 the organisation is required.
fn partij_gelezen(
    children: &mut Volgorde<'_>,
    rol: &str,
    organisatie_verplicht: bool,
) -> Result<Partij, EnvelopFout> {
    let element = children.verplicht(STUF_NAMESPACE, rol)?;
    let mut velden = Volgorde::of(element, &children.child_path(rol))?;
    let organisatie = if organisatie_verplicht {
        let (text, pad) = velden.tekst(STUF_NAMESPACE, "organisatie")?;
        lengte(&pad, text, 0, 200)?;
        text.to_owned()
    } else {
        velden
            .optionele_tekst(STUF_NAMESPACE, "organisatie", 200)?
            .unwrap_or_default()
    };
    let (applicatie, pad) = velden.tekst(STUF_NAMESPACE, "applicatie")?;
    lengte(&pad, applicatie, 3, 50)?;
    let administratie = velden.optionele_tekst(STUF_NAMESPACE, "administratie", 50)?;
    let gebruiker = velden.optionele_tekst(STUF_NAMESPACE, "gebruiker", 100)?;
    velden.einde()?;
    Ok(Partij {
        organisatie,
        applicatie: applicatie.to_owned(),
        administratie,
        gebruiker,
    })
}

/// A `referentienummer` or `crossRefnummer`: a UUID v4 in a Di01 and Du01, any
/// text up to 40 characters in a Fo01.
fn refnummer(children: &mut Volgorde<'_>, name: &str, uuid: bool) -> Result<String, EnvelopFout> {
    let (text, pad) = children.tekst(STUF_NAMESPACE, name)?;
    if uuid {
        uuid_v4(&pad, text)?;
    } else {
        lengte(&pad, text, 0, 40)?;
    }
    Ok(text.to_owned())
}

/// Rule: StUF Tijdstip — `jjjjmmdd`, optionally followed by the hour, minutes,
/// seconds and up to three digits of a second's fraction.
fn tijdstip(children: &mut Volgorde<'_>) -> Result<NaiveDateTime, EnvelopFout> {
    let (text, pad) = children.tekst(STUF_NAMESPACE, "tijdstipBericht")?;
    let fout = || {
        waarde(
            &pad,
            format!(
                "'{}' is geen tijdstip jjjjmmdduummss (datum verplicht, tijd en duizendsten mogen ontbreken)",
                shown(text)
            ),
        )
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) || !matches!(text.len(), 8 | 10 | 12 | 14..=17) {
        return Err(fout());
    }
    let part = |from: usize, to: usize| -> u32 {
        text.get(from..to)
            .and_then(|s| s.parse().ok())
            .unwrap_or_default()
    };
    let year = i32::try_from(part(0, 4)).map_err(|_| fout())?;
    let date = NaiveDate::from_ymd_opt(year, part(4, 6), part(6, 8)).ok_or_else(fout)?;
    let fraction = text.get(14..).unwrap_or_default();
    let digits = part(14, text.len());
    let milli = match fraction.len() {
        0 => 0,
        1 => digits * 100,
        2 => digits * 10,
        _ => digits,
    };
    let time = NaiveTime::from_hms_milli_opt(part(8, 10), part(10, 12), part(12, 14), milli)
        .ok_or_else(fout)?;
    Ok(date.and_time(time))
}

fn versie_gelezen(children: &mut Volgorde<'_>, name: &str) -> Result<u16, EnvelopFout> {
    let (text, pad) = children.tekst(GGK_NAMESPACE, name)?;
    // Rule: StUF Versienr — exactly four digits.
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(waarde(
            &pad,
            format!("'{}' is geen versienummer van vier cijfers", shown(text)),
        ));
    }
    text.parse().map_err(|_| waarde(&pad, "geen getal"))
}

fn envelopbericht(root: &Element, soort: &'static str) -> Result<Envelopbericht, EnvelopFout> {
    let mut top = Volgorde::of(root, &root.name)?;
    let stuurgegevens = top.verplicht(GGK_NAMESPACE, "stuurgegevens")?;
    let parameters = top.verplicht(GGK_NAMESPACE, "parameters")?;
    top.einde()?;

    let mut sg = Volgorde::of(stuurgegevens, "stuurgegevens")?;
    berichtcode(&mut sg, soort)?;
    let zender = partij_gelezen(&mut sg, "zender", true)?;
    let ontvanger = partij_gelezen(&mut sg, "ontvanger", true)?;
    let referentienummer = refnummer(&mut sg, "referentienummer", true)?;
    let tijdstip = tijdstip(&mut sg)?;
    let cross_refnummer = match soort {
        "Du01" => Some(refnummer(&mut sg, "crossRefnummer", true)?),
        _ => None,
    };
    let (functie, pad) = sg.tekst(STUF_NAMESPACE, "functie")?;
    lengte(&pad, functie, 0, 30)?;
    sg.einde()?;

    let mut pm = Volgorde::of(parameters, "parameters")?;
    let applicatieversie = Versie {
        versie: versie_gelezen(&mut pm, "applicatieVersie")?,
        subversie: versie_gelezen(&mut pm, "applicatieSubversie")?,
    };
    let functieversie = Versie {
        versie: versie_gelezen(&mut pm, "functieVersie")?,
        subversie: versie_gelezen(&mut pm, "functieSubversie")?,
    };
    let bericht = pm.verplicht(GGK_NAMESPACE, "bericht")?;
    pm.einde()?;
    let inhoud = inhoud(bericht)?;

    Ok(Envelopbericht {
        zender,
        ontvanger,
        referentienummer,
        tijdstip,
        cross_refnummer,
        functie: functie.to_owned(),
        applicatieversie,
        functieversie,
        inhoud,
    })
}

/// Rule: StUF-GGk — `bericht` holds either an `xmlBestand` or a `tekstBestand`
/// with a `bestandsnaam` (4 to 255 of the characters A–Z, a–z, 0–9, `-`, `.`,
/// `_`), its content in base64.
fn inhoud(bericht: &Element) -> Result<Inhoud, EnvelopFout> {
    let mut children = Volgorde::of(bericht, "parameters/bericht")?;
    if let Some(xml) = children.optioneel(GGK_NAMESPACE, "xmlBestand")? {
        children.einde()?;
        let pad = "parameters/bericht/xmlBestand";
        return Ok(Inhoud::Xml(base64(pad, leaf_text(xml, pad)?)?));
    }
    if let Some(tekst) = children.optioneel(GGK_NAMESPACE, "tekstBestand")? {
        children.einde()?;
        let pad = "parameters/bericht/tekstBestand";
        let bestandsnaam = tekst
            .attributes
            .iter()
            .find(|(name, _)| name == "bestandsnaam")
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| waarde(pad, "het attribuut bestandsnaam ontbreekt"))?;
        let length = bestandsnaam.chars().count();
        if !(4..=255).contains(&length)
            || !bestandsnaam
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err(waarde(
                &format!("{pad}/@bestandsnaam"),
                format!(
                    "'{}' is geen geldige bestandsnaam (4 tot 255 tekens: letters, cijfers, '-', '.', '_')",
                    shown(bestandsnaam)
                ),
            ));
        }
        return Ok(Inhoud::Tekst {
            bestandsnaam: bestandsnaam.to_owned(),
            bytes: base64(pad, leaf_text(tekst, pad)?)?,
        });
    }
    match bericht.children.first() {
        Some(other) => Err(waarde(
            "parameters/bericht",
            format!(
                "verwacht <xmlBestand> of <tekstBestand>, niet <{}>",
                other.name
            ),
        )),
        None => Err(EnvelopFout::Ontbreekt {
            pad: "parameters/bericht/xmlBestand".to_owned(),
        }),
    }
}

/// Rule: XSD base64Binary — the payload in base64 with padding; white space
/// between the characters (line breaks) is allowed and ignored.
fn base64(pad: &str, text: &str) -> Result<Vec<u8>, EnvelopFout> {
    let compact: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .collect();
    if compact.is_empty() {
        return Err(waarde(pad, "bevat geen bericht"));
    }
    STANDARD
        .decode(&compact)
        .map_err(|e| waarde(pad, format!("is geen geldige base64: {}", base64_fout(&e))))
}

fn base64_fout(error: &base64::DecodeError) -> String {
    match error {
        base64::DecodeError::InvalidByte(offset, byte) => {
            format!("teken '{}' op positie {}", char::from(*byte), offset + 1)
        }
        base64::DecodeError::InvalidLength(_) => {
            "de lengte is geen veelvoud van vier tekens".to_owned()
        }
        base64::DecodeError::InvalidLastSymbol(offset, byte) => format!(
            "het laatste teken '{}' (positie {}) is niet toegestaan",
            char::from(*byte),
            offset + 1
        ),
        base64::DecodeError::InvalidPadding => "de opvulling met '=' klopt niet".to_owned(),
    }
}

fn foutbericht(root: &Element) -> Result<Foutbericht, EnvelopFout> {
    let mut top = Volgorde::of(root, &root.name)?;
    let stuurgegevens = top.verplicht(STUF_NAMESPACE, "stuurgegevens")?;
    let body = top.verplicht(STUF_NAMESPACE, "body")?;
    top.einde()?;

    let mut sg = Volgorde::of(stuurgegevens, "stuurgegevens")?;
    berichtcode(&mut sg, "Fo01")?;
    let zender = partij_gelezen(&mut sg, "zender", false)?;
    let ontvanger = partij_gelezen(&mut sg, "ontvanger", false)?;
    let referentienummer = refnummer(&mut sg, "referentienummer", false)?;
    let tijdstip = tijdstip(&mut sg)?;
    let cross_refnummer = refnummer(&mut sg, "crossRefnummer", false)?;
    sg.einde()?;

    let mut fout = Volgorde::of(body, "body")?;
    let (code, pad) = fout.tekst(STUF_NAMESPACE, "code")?;
    lengte(&pad, code, 0, 7)?;
    let (plek, pad) = fout.tekst(STUF_NAMESPACE, "plek")?;
    let plek = match plek {
        "client" => Foutplek::Client,
        "server" => Foutplek::Server,
        other => {
            return Err(waarde(
                &pad,
                format!("'{}' is geen 'client' of 'server'", shown(other)),
            ));
        }
    };
    let (omschrijving, pad) = fout.tekst(STUF_NAMESPACE, "omschrijving")?;
    lengte(&pad, omschrijving, 0, 200)?;
    let details = fout.optionele_tekst(STUF_NAMESPACE, "details", 1000)?;
    // Whatever XML the details carry is not needed and not looked at.
    let _ = fout.optioneel(STUF_NAMESPACE, "detailsXML")?;
    fout.einde()?;

    Ok(Foutbericht {
        zender,
        ontvanger,
        referentienummer,
        tijdstip,
        cross_refnummer,
        code: code.to_owned(),
        plek,
        omschrijving: omschrijving.to_owned(),
        details,
    })
}
