//! The roles people have in Jeugdroute. A role decides what a person may see and
//! do; the decisions themselves live in the application layer.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// A user's role, stored by its stable name (see [`Rol::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rol {
    /// Municipal access worker for one or more gemeenten.
    Toegangsmedewerker,
    /// Worker of a gecertificeerde instelling (youth protection and probation).
    GiMedewerker,
    /// Staff of one care provider (one AGB code).
    Aanbieder,
    /// Policy or contract manager: aggregates only, no personal data.
    Beleidsmedewerker,
    /// Administrator of the installation.
    Beheerder,
}

impl Rol {
    pub const ALLE: [Rol; 5] = [
        Rol::Toegangsmedewerker,
        Rol::GiMedewerker,
        Rol::Aanbieder,
        Rol::Beleidsmedewerker,
        Rol::Beheerder,
    ];

    /// The stable name used in storage and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Rol::Toegangsmedewerker => "toegangsmedewerker",
            Rol::GiMedewerker => "gi-medewerker",
            Rol::Aanbieder => "aanbieder",
            Rol::Beleidsmedewerker => "beleidsmedewerker",
            Rol::Beheerder => "beheerder",
        }
    }

    /// The name shown to people.
    pub fn weergave(self) -> &'static str {
        match self {
            Rol::Toegangsmedewerker => "Toegangsmedewerker",
            Rol::GiMedewerker => "Medewerker gecertificeerde instelling",
            Rol::Aanbieder => "Jeugdhulpaanbieder",
            Rol::Beleidsmedewerker => "Beleidsmedewerker",
            Rol::Beheerder => "Beheerder",
        }
    }
}

impl FromStr for Rol {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Rol::ALLE
            .into_iter()
            .find(|rol| rol.as_str() == text)
            .ok_or_else(|| ParseError::new("rol", format!("Onbekende rol: '{text}'.")))
    }
}

impl fmt::Display for Rol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for rol in Rol::ALLE {
            assert_eq!(rol.as_str().parse::<Rol>(), Ok(rol));
        }
        assert!("admin".parse::<Rol>().is_err());
    }
}
