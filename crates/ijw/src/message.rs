//! The fourteen iJw 3.2 message types, the numeric `BerichtCode` each carries in
//! its header, and the namespaces that tell them apart.

use std::fmt;
use std::str::FromStr;

use crate::xml::Element;

/// A message type of iJw 3.2, named as the standard names it (`JW301`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Berichtsoort {
    /// Toewijzing Jeugdhulp: the gemeente allocates care to a provider.
    Jw301,
    /// Retour on a JW301.
    Jw302,
    /// Start Jeugdhulp: the provider reports the start of care.
    Jw305,
    /// Retour on a JW305.
    Jw306,
    /// Stop Jeugdhulp: the provider reports the end of care.
    Jw307,
    /// Retour on a JW307.
    Jw308,
    /// Verzoek om toewijzing: the provider asks for an allocation.
    Jw315,
    /// Retour on a JW315.
    Jw316,
    /// Verzoek om wijziging: the provider asks to change allocations.
    Jw317,
    /// Retour on a JW317.
    Jw318,
    /// Antwoordbericht: the gemeente answers a JW315 or JW317.
    Jw319,
    /// Retour on a JW319.
    Jw320,
    /// Declaratie Jeugdhulp: the provider's monthly claim.
    Jw323,
    /// Declaratie-antwoord: the gemeente's answer to a JW323.
    Jw325,
}

/// The text named no iJw 3.2 message type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is geen iJw 3.2-bericht (verwacht JW301, JW302, …, JW325)")]
pub struct UnknownMessage(pub String);

impl Berichtsoort {
    pub const ALL: [Berichtsoort; 14] = [
        Berichtsoort::Jw301,
        Berichtsoort::Jw302,
        Berichtsoort::Jw305,
        Berichtsoort::Jw306,
        Berichtsoort::Jw307,
        Berichtsoort::Jw308,
        Berichtsoort::Jw315,
        Berichtsoort::Jw316,
        Berichtsoort::Jw317,
        Berichtsoort::Jw318,
        Berichtsoort::Jw319,
        Berichtsoort::Jw320,
        Berichtsoort::Jw323,
        Berichtsoort::Jw325,
    ];

    /// The name, e.g. `JW301`.
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// Whether this is a retour (JW302, 306, 308, 316, 318, 320): the answer to a
    /// message, answered by nothing itself.
    pub fn is_retour(self) -> bool {
        crate::answer_to(self).is_none()
            && !matches!(self, Berichtsoort::Jw319 | Berichtsoort::Jw325)
    }

    /// The `BerichtCode` of the header, e.g. 436 for JW301.
    pub fn code(self) -> u16 {
        self.info().1
    }

    fn info(self) -> (&'static str, u16) {
        match self {
            Berichtsoort::Jw301 => ("JW301", 436),
            Berichtsoort::Jw302 => ("JW302", 437),
            Berichtsoort::Jw305 => ("JW305", 438),
            Berichtsoort::Jw306 => ("JW306", 439),
            Berichtsoort::Jw307 => ("JW307", 440),
            Berichtsoort::Jw308 => ("JW308", 441),
            Berichtsoort::Jw315 => ("JW315", 446),
            Berichtsoort::Jw316 => ("JW316", 447),
            Berichtsoort::Jw317 => ("JW317", 486),
            Berichtsoort::Jw318 => ("JW318", 487),
            Berichtsoort::Jw319 => ("JW319", 488),
            Berichtsoort::Jw320 => ("JW320", 489),
            Berichtsoort::Jw323 => ("JW323", 490),
            Berichtsoort::Jw325 => ("JW325", 491),
        }
    }
}

/// The namespace of the shared types of iJw 3.2 (basisschema).
pub const BASISSCHEMA_NAMESPACE: &str = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema";

const RELEASE_32: &str = "http://www.istandaarden.nl/ijw/3_2/";

impl Berichtsoort {
    /// The namespace of this message's own elements, e.g.
    /// `http://www.istandaarden.nl/ijw/3_2/jw301/schema`.
    pub fn namespace(self) -> String {
        format!("{RELEASE_32}{}/schema", self.name().to_ascii_lowercase())
    }

    /// The message type whose namespace this is.
    pub fn from_namespace(namespace: &str) -> Option<Berichtsoort> {
        let name = namespace
            .strip_prefix(RELEASE_32)?
            .strip_suffix("/schema")?;
        Berichtsoort::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// Which message the root element of a document is. Every iJw message has the
    /// root `Bericht` in its own namespace.
    pub fn of_root(root: &Element) -> Result<Berichtsoort, UnknownRoot> {
        if root.name != "Bericht" {
            return Err(UnknownRoot::NotBericht(root.name.to_string()));
        }
        Berichtsoort::from_namespace(&root.namespace).ok_or_else(|| {
            if root.namespace.contains("/ijw/") && !root.namespace.starts_with(RELEASE_32) {
                UnknownRoot::OtherRelease(root.namespace.to_string())
            } else {
                UnknownRoot::UnknownNamespace(root.namespace.to_string())
            }
        })
    }
}

/// The root element is not an iJw 3.2 message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownRoot {
    #[error("het hoofdelement is <{0}>; een iJw-bericht begint met <Bericht>")]
    NotBericht(String),
    #[error("dit bericht hoort bij een andere iJw-release ({0}); alleen iJw 3.2 wordt ondersteund")]
    OtherRelease(String),
    #[error("onbekende namespace '{0}': geen iJw 3.2-bericht")]
    UnknownNamespace(String),
}

impl FromStr for Berichtsoort {
    type Err = UnknownMessage;

    /// Accepts the name in any case (`JW301`, `jw301`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Berichtsoort::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownMessage(text.to_owned()))
    }
}

impl fmt::Display for Berichtsoort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_name_the_message() {
        assert_eq!(
            Berichtsoort::Jw301.namespace(),
            "http://www.istandaarden.nl/ijw/3_2/jw301/schema"
        );
        for soort in Berichtsoort::ALL {
            assert_eq!(
                Berichtsoort::from_namespace(&soort.namespace()),
                Some(soort)
            );
        }
        assert_eq!(
            Berichtsoort::from_namespace("http://www.istandaarden.nl/ijw/3_0/jw301/schema"),
            None
        );
        assert_eq!(Berichtsoort::from_namespace(BASISSCHEMA_NAMESPACE), None);
    }

    #[test]
    fn names_and_codes_match_the_standard() {
        let table: Vec<String> = Berichtsoort::ALL
            .iter()
            .map(|s| format!("{} {}", s.name(), s.code()))
            .collect();
        assert_eq!(
            table.join(", "),
            "JW301 436, JW302 437, JW305 438, JW306 439, JW307 440, JW308 441, JW315 446, \
             JW316 447, JW317 486, JW318 487, JW319 488, JW320 489, JW323 490, JW325 491"
        );
    }

    #[test]
    fn parses_any_case_and_refuses_unknown_messages() {
        assert_eq!("jw315".parse(), Ok(Berichtsoort::Jw315));
        assert_eq!("JW325".parse(), Ok(Berichtsoort::Jw325));
        assert!("JW303".parse::<Berichtsoort>().is_err());
        assert!("WMO301".parse::<Berichtsoort>().is_err());
    }
}
