//! Product codes as the iJw standard and the regional contracts use them: a
//! two-digit category (JZ020, e.g. `50` maatwerkarrangementen) and a product code
//! of one to five characters (e.g. the arrangement code `50H22`).

use std::fmt;

use crate::ParseError;
use crate::ids::digit_code;

digit_code!(
    /// Productcategorie (iJw code list JZ020): two digits.
    Productcategorie,
    "productcategorie",
    2
);

/// Productcode: one to five letters or digits (iJw LDT_ProductCode).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Productcode(String);

impl Productcode {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ParseError::new(
                "productcode",
                "Een productcode bestaat uit 1 tot 5 letters of cijfers.",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Productcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_codes_follow_the_ijw_lengths() {
        assert!(Productcategorie::parse("50").is_ok());
        assert!(Productcategorie::parse("5").is_err());
        assert!(Productcategorie::parse("5a").is_err());
        assert_eq!(Productcode::parse("50H22").unwrap().as_str(), "50H22");
        assert!(Productcode::parse("").is_err());
        assert!(Productcode::parse("50H221").is_err());
        assert!(Productcode::parse("50-22").is_err());
    }
}
