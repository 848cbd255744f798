//! A person who works in Jeugdroute, with the role and scope that decide what
//! they may see: the gemeenten of an access worker, the AGB code of a provider.

use crate::{AgbCode, Gemeentecode, Role};

/// A user account (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The gemeenten whose cases this user works on (access and GI workers).
    pub gemeenten: Vec<Gemeentecode>,
    /// The provider this user works for (role aanbieder only).
    pub aanbieder: Option<AgbCode>,
    /// The gecertificeerde instelling this user works for (role gi-medewerker
    /// only): such a user sees only the cases in the forced framework of it.
    pub gi: Option<AgbCode>,
}
