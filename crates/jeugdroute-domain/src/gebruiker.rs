//! A person who works in Jeugdroute, with the role and scope that decide what
//! they may see: the gemeenten of an access worker, the AGB code of a provider.

use crate::{AgbCode, Gemeentecode, Rol};

/// A user account (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gebruiker {
    pub gebruikersnaam: String,
    pub weergavenaam: String,
    pub rol: Rol,
    /// The gemeenten whose cases this user works on (access and GI workers).
    pub gemeenten: Vec<Gemeentecode>,
    /// The provider this user works for (role aanbieder only).
    pub aanbieder: Option<AgbCode>,
}
