//! The region and its parties: the gemeenten that buy youth care together, the
//! providers they contract, and the contracts that say which provider may deliver
//! which product, when, and at what tariff.

use chrono::NaiveDate;

use crate::{AgbCode, Gemeentecode, Productcategorie, Productcode};

/// A youth care region: gemeenten that buy and steer youth care together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regio {
    /// A short stable key, e.g. `regio-amersfoort`.
    pub code: String,
    pub name: String,
}

/// A gemeente (municipality): decides on and pays for the care of its youth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gemeente {
    pub code: Gemeentecode,
    pub name: String,
}

/// A jeugdhulpaanbieder (care provider), known by its AGB code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aanbieder {
    pub agb: AgbCode,
    pub name: String,
    pub city: String,
}

/// A contract line: the provider may deliver this product from `start_date`
/// up to and including `end_date` (open-ended when `None`) at this tariff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub aanbieder: AgbCode,
    pub productcategorie: Productcategorie,
    pub productcode: Productcode,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// Tariff per unit, in euro cents.
    pub tariff_cents: i64,
    /// The unit of the tariff, an iJw WJ756 code (e.g. `82` stuks, output).
    pub unit: String,
}

impl Contract {
    /// Whether the contract covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.start_date <= date && self.end_date.is_none_or(|eind| date <= eind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(eind: Option<NaiveDate>) -> Contract {
        Contract {
            aanbieder: AgbCode::parse("98000001").unwrap(),
            productcategorie: Productcategorie::parse("50").unwrap(),
            productcode: Productcode::parse("50H22").unwrap(),
            start_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            end_date: eind,
            tariff_cents: 310_000,
            unit: "82".into(),
        }
    }

    #[test]
    fn a_contract_covers_its_first_and_last_day() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let closed = contract(Some(d(2027, 12, 31)));
        assert!(!closed.covers(d(2023, 12, 31)));
        assert!(closed.covers(d(2024, 1, 1)));
        assert!(closed.covers(d(2027, 12, 31)));
        assert!(!closed.covers(d(2028, 1, 1)));
        assert!(contract(None).covers(d(2099, 1, 1)));
    }
}
