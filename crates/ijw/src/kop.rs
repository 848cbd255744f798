//! The routing facts of a message — which message it is, who sent it, to whom,
//! and its Identificatie — read from the header alone, by streaming: a receiver
//! needs them to route, authorise and recognise a message before (and apart from)
//! checking it whole. Reading stops at the end of the header; nothing is fetched
//! or expanded, and the input is bounded as in [`crate::xml::read`].

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use crate::Berichtsoort;
use crate::xml::{MAX_DEPTH, MAX_INPUT_BYTES};

/// The header's routing facts; each `None` when the header lacks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kop {
    pub soort: Berichtsoort,
    /// Afzender: a gemeente's CBS code or a provider's AGB code.
    pub afzender: Option<String>,
    /// Ontvanger, the same way.
    pub ontvanger: Option<String>,
    /// BerichtIdentificatie/Identificatie.
    pub identificatie: Option<String>,
}

impl Kop {
    /// Whether these bytes are a retour (JW302, 306, 308, 316, 318, 320): a retour
    /// copies the header of the message it answers, Afzender and Ontvanger
    /// unswapped, and its BerichtIdentificatie is that message's.
    pub fn is_retour(&self) -> bool {
        self.soort.is_retour()
    }

    /// The party that sent these bytes.
    pub fn van(&self) -> Option<&str> {
        if self.is_retour() {
            &self.ontvanger
        } else {
            &self.afzender
        }
        .as_deref()
    }

    /// The party these bytes are for.
    pub fn aan(&self) -> Option<&str> {
        if self.is_retour() {
            &self.afzender
        } else {
            &self.ontvanger
        }
        .as_deref()
    }
}

/// The routing facts of `bytes`, or `None` when they are not an iJw 3.2 message
/// whose header can be read. A `Some` says nothing of the message's validity.
pub fn kop(bytes: &[u8]) -> Option<Kop> {
    if bytes.len() > MAX_INPUT_BYTES {
        return None;
    }
    let mut reader = NsReader::from_reader(bytes);
    let mut path: Vec<String> = Vec::new();
    let mut kop: Option<Kop> = None;
    loop {
        match reader.read_resolved_event().ok()? {
            (ResolveResult::Bound(ns), Event::Start(start)) => {
                let name = start.local_name().as_ref().to_owned();
                if path.is_empty() {
                    let soort =
                        Berichtsoort::from_namespace(ns.as_ref()).filter(|_| name == "Bericht")?;
                    kop = Some(Kop {
                        soort,
                        afzender: None,
                        ontvanger: None,
                        identificatie: None,
                    });
                }
                path.push(name);
                if path.len() > MAX_DEPTH {
                    return None;
                }
            }
            (_, Event::Start(_) | Event::DocType(_)) => return None,
            (_, Event::Text(text)) => {
                let Some(found) = kop.as_mut() else {
                    continue;
                };
                let value = text.xml10_content().trim().to_owned();
                let slot = match path.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                    ["Bericht", "Header", "Afzender"] => &mut found.afzender,
                    ["Bericht", "Header", "Ontvanger"] => &mut found.ontvanger,
                    ["Bericht", "Header", "BerichtIdentificatie", "Identificatie"] => {
                        &mut found.identificatie
                    }
                    _ => continue,
                };
                *slot = Some(value);
            }
            (_, Event::End(end)) => {
                if end.local_name().as_ref() == "Header" && path.len() == 2 {
                    return kop;
                }
                path.pop();
            }
            (_, Event::Eof) => return kop,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn the_header_of_every_example_is_read() {
        for soort in Berichtsoort::ALL {
            let xml = crate::encode(&crate::voorbeeld(soort));
            let kop = kop(xml.as_bytes()).unwrap();
            assert_eq!(kop.soort, soort);
            assert!(kop.afzender.is_some() && kop.ontvanger.is_some());
            assert!(kop.identificatie.is_some(), "{soort}");
            // A retour goes back to the sender of the message it answers.
            let (afzender, ontvanger) = (kop.afzender.as_deref(), kop.ontvanger.as_deref());
            let expected = if kop.is_retour() {
                (ontvanger, afzender)
            } else {
                (afzender, ontvanger)
            };
            assert_eq!((kop.van(), kop.aan()), expected, "{soort}");
        }
    }

    #[test]
    fn the_six_retours_are_known_as_such() {
        let retours: Vec<&str> = Berichtsoort::ALL
            .into_iter()
            .filter(|s| s.is_retour())
            .map(Berichtsoort::name)
            .collect();
        assert_eq!(
            retours,
            ["JW302", "JW306", "JW308", "JW316", "JW318", "JW320"]
        );
    }

    #[test]
    fn what_is_not_an_ijw_message_has_no_header() {
        for bytes in [
            &b""[..],
            b"<a/>",
            b"not xml",
            b"<!DOCTYPE x [<!ENTITY e 'x'>]><Bericht/>",
            b"<Bericht xmlns='http://www.istandaarden.nl/ijw/3_0/jw301/schema'/>",
        ] {
            assert_eq!(kop(bytes), None, "{}", String::from_utf8_lossy(bytes));
        }
    }
}
