//! The roles people have in Jeugdroute. A role decides what a person may see and
//! do; the decisions themselves live in the application layer.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// A user's role, stored by its stable name (see [`Role::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
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
    /// Back-office worker of one or more gemeenten who watches the iJw message
    /// traffic (the message desk): what came in, what went out, what was refused.
    Berichtenbeheerder,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Toegangsmedewerker,
        Role::GiMedewerker,
        Role::Aanbieder,
        Role::Beleidsmedewerker,
        Role::Beheerder,
        Role::Berichtenbeheerder,
    ];

    /// The stable name used in storage and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Toegangsmedewerker => "toegangsmedewerker",
            Role::GiMedewerker => "gi-medewerker",
            Role::Aanbieder => "aanbieder",
            Role::Beleidsmedewerker => "beleidsmedewerker",
            Role::Beheerder => "beheerder",
            Role::Berichtenbeheerder => "berichtenbeheerder",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Toegangsmedewerker => "Toegangsmedewerker",
            Role::GiMedewerker => "Medewerker gecertificeerde instelling",
            Role::Aanbieder => "Jeugdhulpaanbieder",
            Role::Beleidsmedewerker => "Beleidsmedewerker",
            Role::Beheerder => "Beheerder",
            Role::Berichtenbeheerder => "Berichtenbeheerder",
        }
    }
}

impl FromStr for Role {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| ParseError::new("rol", format!("Onbekende rol: '{text}'.")))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
