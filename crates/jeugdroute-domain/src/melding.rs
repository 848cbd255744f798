//! How a question reaches the access team: where it was found (vindplaats), who
//! refers (verwijzer, with the iJw COD327 codes the JW301 carries later), and how
//! urgent it is. A crisis melding follows the crisis route.

use std::fmt;
use std::str::FromStr;

use crate::keyed::keyed;
use crate::{AgbCode, ParseError, Routesoort};

/// Who refers the youth, by the iJw code list COD327.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verwijzer {
    Gemeente,
    Huisarts,
    Jeugdarts,
    GecertificeerdeInstelling,
    MedischSpecialist,
    /// The family itself, or no referrer at all.
    Zelfverwijzer,
    /// A judge, public prosecutor or official of a youth custodial institution.
    Rechter,
}

impl Verwijzer {
    pub const ALL: [Verwijzer; 7] = [
        Verwijzer::Gemeente,
        Verwijzer::Huisarts,
        Verwijzer::Jeugdarts,
        Verwijzer::GecertificeerdeInstelling,
        Verwijzer::MedischSpecialist,
        Verwijzer::Zelfverwijzer,
        Verwijzer::Rechter,
    ];

    /// The COD327 code, e.g. `02` for the huisarts.
    pub fn code(self) -> &'static str {
        match self {
            Verwijzer::Gemeente => "01",
            Verwijzer::Huisarts => "02",
            Verwijzer::Jeugdarts => "03",
            Verwijzer::GecertificeerdeInstelling => "04",
            Verwijzer::MedischSpecialist => "05",
            Verwijzer::Zelfverwijzer => "06",
            Verwijzer::Rechter => "08",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verwijzer::Gemeente => "Gemeente (lokaal team)",
            Verwijzer::Huisarts => "Huisarts",
            Verwijzer::Jeugdarts => "Jeugdarts",
            Verwijzer::GecertificeerdeInstelling => "Gecertificeerde instelling",
            Verwijzer::MedischSpecialist => "Medisch specialist",
            Verwijzer::Zelfverwijzer => "Gezin zelf / geen verwijzer",
            Verwijzer::Rechter => "Rechter, officier van justitie of JJI",
        }
    }

    /// Rule: iJw CD066/CD067 — a huisarts, jeugdarts, GI or medisch specialist is
    /// named (by AGB code or name) in the JW301.
    pub fn needs_name(self) -> bool {
        matches!(
            self,
            Verwijzer::Huisarts
                | Verwijzer::Jeugdarts
                | Verwijzer::GecertificeerdeInstelling
                | Verwijzer::MedischSpecialist
        )
    }
}

impl FromStr for Verwijzer {
    type Err = ParseError;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Verwijzer::ALL
            .into_iter()
            .find(|v| v.code() == code)
            .ok_or_else(|| ParseError::new("verwijzer", format!("Onbekende verwijzer: '{code}'.")))
    }
}

impl fmt::Display for Verwijzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How fast the access team must act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Urgentie {
    Regulier,
    /// Soon, but along the regular route.
    Urgent,
    /// Help starts at once; the beschikking follows the melding directly.
    Crisis,
}

impl Urgentie {
    pub const ALL: [Urgentie; 3] = [Urgentie::Regulier, Urgentie::Urgent, Urgentie::Crisis];

    /// The stable key used in storage and forms.
    pub fn key(self) -> &'static str {
        match self {
            Urgentie::Regulier => "regulier",
            Urgentie::Urgent => "urgent",
            Urgentie::Crisis => "crisis",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgentie::Regulier => "Regulier",
            Urgentie::Urgent => "Urgent",
            Urgentie::Crisis => "Crisis",
        }
    }

    /// The route a melding of this urgency follows.
    pub fn routesoort(self) -> Routesoort {
        match self {
            Urgentie::Crisis => Routesoort::Crisis,
            Urgentie::Regulier | Urgentie::Urgent => Routesoort::Regulier,
        }
    }
}

impl FromStr for Urgentie {
    type Err = ParseError;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        Urgentie::ALL
            .into_iter()
            .find(|u| u.key() == key)
            .ok_or_else(|| ParseError::new("urgentie", format!("Onbekende urgentie: '{key}'.")))
    }
}

/// Why a case is in the forced framework (gedwongen kader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grond {
    /// A court measure: a youth placed under supervision.
    Ondertoezichtstelling,
    /// A court measure: guardianship held by the GI.
    Voogdij,
    /// Youth probation, after a judge or public prosecutor.
    Jeugdreclassering,
    /// A referral by the GI without a measure (yet).
    VerwijzingGi,
}

keyed!(Grond, "grond", {
    Ondertoezichtstelling => ("ondertoezichtstelling", "Ondertoezichtstelling (OTS)"),
    Voogdij => ("voogdij", "Voogdij"),
    Jeugdreclassering => ("jeugdreclassering", "Jeugdreclassering"),
    VerwijzingGi => ("verwijzing-gi", "Verwijzing door de GI"),
});

/// A gecertificeerde instelling of the region, by its AGB code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gi {
    pub agb: AgbCode,
    pub name: String,
}

/// The framework a case runs in. In the forced framework a gecertificeerde
/// instelling holds the regie, and only that GI's workers see the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kader {
    Vrijwillig,
    Gedwongen { grond: Grond, gi: AgbCode },
}

impl Kader {
    /// The GI that holds the regie; none in the voluntary framework.
    pub fn gi(&self) -> Option<&AgbCode> {
        match self {
            Kader::Vrijwillig => None,
            Kader::Gedwongen { gi, .. } => Some(gi),
        }
    }

    pub fn grond(&self) -> Option<Grond> {
        match self {
            Kader::Vrijwillig => None,
            Kader::Gedwongen { grond, .. } => Some(*grond),
        }
    }
}

/// The question as it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Melding {
    /// The family's question, in their own words.
    pub vraag: String,
    /// Where the need was found, in the worker's words (school, consultatiebureau …).
    pub vindplaats: String,
    pub verwijzer: Verwijzer,
    /// Name or AGB code of the referring professional, where there is one.
    pub verwijzer_naam: Option<String>,
    pub urgentie: Urgentie,
    pub kader: Kader,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verwijzers_round_trip_through_their_cod327_codes() {
        for v in Verwijzer::ALL {
            assert_eq!(v.code().parse::<Verwijzer>(), Ok(v));
        }
        assert!("07".parse::<Verwijzer>().is_err());
        for u in Urgentie::ALL {
            assert_eq!(u.key().parse::<Urgentie>(), Ok(u));
        }
        assert_eq!(Urgentie::Crisis.routesoort(), Routesoort::Crisis);
        assert_eq!(Urgentie::Urgent.routesoort(), Routesoort::Regulier);
    }
}
