//! The family and its youth: the people the care is for. A youth is identified by
//! BSN; the gemeente where the youth is registered decides and pays.

use chrono::NaiveDate;

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
    /// The gemeente where the youth is registered in the BRP.
    pub gemeente: Gemeentecode,
}
