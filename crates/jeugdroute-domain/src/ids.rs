//! Identifiers of the parties in youth care: the youth (BSN), the gemeente (CBS
//! code) and the provider (AGB code). Parsing is the only way to make one, so a
//! value of these types is always well-formed.

use std::fmt;

/// Why a piece of text is not a valid identifier or code. The message is Dutch
/// because it is shown to people as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What was being parsed, e.g. "BSN".
    pub kind: &'static str,
    /// Plain-language explanation of what is wrong.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

/// Digits only, exactly `len` of them.
pub(crate) fn check_digits(kind: &'static str, text: &str, len: usize) -> Result<(), ParseError> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(
            kind,
            format!("Een {kind} bestaat uit precies {len} cijfers."),
        ));
    }
    Ok(())
}

/// Burgerservicenummer: the citizen number of a youth.
///
/// `Debug` never shows the number, so a BSN cannot leak into a log line by
/// accident; use [`Bsn::as_str`] where the full number is needed and allowed, and
/// [`Bsn::masked`] on lists.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bsn(String);

impl Bsn {
    /// Rule (national, Wet algemene bepalingen burgerservicenummer): nine digits
    /// that pass the 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11.
    /// An all-zero number passes the sum but is not a BSN.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        check_digits("BSN", text, 9)?;
        let digits: Vec<i64> = text.bytes().map(|b| i64::from(b - b'0')).collect();
        let weights = [9, 8, 7, 6, 5, 4, 3, 2, -1];
        let sum: i64 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
        if sum == 0 || sum % 11 != 0 {
            return Err(ParseError::new(
                "BSN",
                "Dit BSN klopt niet: het voldoet niet aan de 11-proef. Controleer de cijfers.",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The full number, for storage and for those allowed to see it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as shown on lists: only the last four digits, e.g. `*****0019`.
    pub fn masked(&self) -> String {
        let tail = self.0.get(5..).unwrap_or_default();
        format!("*****{tail}")
    }
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(<verborgen>)")
    }
}

/// Declares a code that is exactly `$len` digits, e.g. a CBS or AGB code: a
/// newtype with `parse`, `as_str` and `Display`.
macro_rules! digit_code {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $len:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn parse(text: &str) -> Result<Self, $crate::ParseError> {
                $crate::ids::check_digits($kind, text, $len)?;
                Ok(Self(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use digit_code;

digit_code!(
    /// A gemeente's four-digit code from the CBS list (e.g. `0307` Amersfoort).
    Gemeentecode,
    "gemeentecode",
    4
);

digit_code!(
    /// A care provider's eight-digit AGB code (Algemeen GegevensBeheer zorgverleners).
    AgbCode,
    "AGB-code",
    8
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The 11-proef written out the long way, as the oracle for the property test.
    fn elfproef(digits: &[u32; 9]) -> bool {
        let mut sum = 0i64;
        for (i, d) in digits.iter().enumerate() {
            let weight = if i == 8 { -1 } else { 9 - i as i64 };
            sum += weight * i64::from(*d);
        }
        sum != 0 && sum % 11 == 0
    }

    #[test]
    fn bsn_accepts_test_numbers_and_refuses_near_misses() {
        assert!(Bsn::parse("999990019").is_ok());
        assert!(Bsn::parse("111222333").is_ok());
        assert!(Bsn::parse("999990018").is_err());
        assert!(Bsn::parse("000000000").is_err());
        assert!(Bsn::parse("12345678").is_err());
        assert!(Bsn::parse("1234567890").is_err());
        assert!(Bsn::parse("99999001a").is_err());
        assert!(Bsn::parse("٩٩٩٩٩٠٠١٩").is_err());
    }

    #[test]
    fn bsn_never_shows_in_debug_and_is_masked_on_lists() {
        let bsn = Bsn::parse("999990019").unwrap();
        assert_eq!(format!("{bsn:?}"), "Bsn(<verborgen>)");
        assert_eq!(bsn.masked(), "*****0019");
        assert_eq!(bsn.as_str(), "999990019");
    }

    #[test]
    fn codes_have_fixed_lengths() {
        assert_eq!(Gemeentecode::parse("0307").unwrap().as_str(), "0307");
        assert!(Gemeentecode::parse("307").is_err());
        assert_eq!(AgbCode::parse("12345678").unwrap().to_string(), "12345678");
        assert!(AgbCode::parse("1234567").is_err());
        let err = AgbCode::parse("abcdefgh").unwrap_err();
        assert_eq!(err.message, "Een AGB-code bestaat uit precies 8 cijfers.");
    }

    proptest! {
        #[test]
        fn bsn_parse_accepts_exactly_the_elfproef(digits in proptest::array::uniform9(0u32..10)) {
            let text: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert_eq!(Bsn::parse(&text).is_ok(), elfproef(&digits));
        }
    }
}
