//! The family and its youth: the people the care is for. A youth is identified by
//! BSN; the gemeente where the youth is registered decides and pays.

use chrono::NaiveDate;

use crate::keyed::keyed;
use crate::{Bsn, Gemeentecode};

/// A household, by the address where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gezin {
    pub surname: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub gemeente: Gemeentecode,
}

/// A youth (0 to 18, in some cases up to 23).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jeugdige {
    pub bsn: Bsn,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
    /// The gemeente whose records hold this youth. Gemeenten never share a
    /// youth's data: the same BSN has a record of its own in each gemeente.
    pub gemeente: Gemeentecode,
    pub geslacht: Geslacht,
}

/// A parent or carer of the youth, as the melding records them. Letters go to
/// those with gezag (parental authority); the others are contacts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ouder {
    pub naam: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    /// Whether this person holds gezag over the youth.
    pub gezag: bool,
}

/// The youth's geslacht as the JW301 carries it (iJw code list LDT_Geslacht).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Geslacht {
    #[default]
    Onbekend,
    Man,
    Vrouw,
}

keyed!(Geslacht, "geslacht", {
    Onbekend => ("onbekend", "Onbekend"),
    Man => ("man", "Man"),
    Vrouw => ("vrouw", "Vrouw"),
});

impl Geslacht {
    /// The iJw code: 0 onbekend, 1 man, 2 vrouw.
    pub fn ijw_code(self) -> &'static str {
        match self {
            Geslacht::Onbekend => "0",
            Geslacht::Man => "1",
            Geslacht::Vrouw => "2",
        }
    }
}
