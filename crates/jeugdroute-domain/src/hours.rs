//! Hours of help as people write them ("75", "75,5", "75.25"), kept exactly as
//! hundredths of an hour so that threshold comparisons never suffer from
//! floating-point rounding: 75 hours is not more than 75, 75.01 is.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// A non-negative number of hours, exact to the hundredth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hours(u32);

/// More hours than any plan could need; larger input is a typing error.
const MAX_HUNDREDTHS: u32 = 100_000 * 100;

impl Hours {
    pub fn whole(hours: u32) -> Option<Hours> {
        hours
            .checked_mul(100)
            .filter(|h| *h <= MAX_HUNDREDTHS)
            .map(Hours)
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }
}

impl FromStr for Hours {
    type Err = ParseError;

    /// Accepts a decimal point or a Dutch decimal comma, at most two decimals.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || {
            ParseError::new(
                "uren",
                format!(
                    "'{text}' is geen geldig aantal uren: gebruik een getal van 0 of meer, zoals 75 of 75,5."
                ),
            )
        };
        let text = text.trim();
        let (whole, fraction) = match text.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 2 {
            return Err(error());
        }
        let whole: u32 = whole.parse().map_err(|_| error())?;
        let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| error())?;
        whole
            .checked_mul(100)
            .and_then(|h| h.checked_add(fraction))
            .filter(|h| *h <= MAX_HUNDREDTHS)
            .map(Hours)
            .ok_or_else(error)
    }
}

impl fmt::Display for Hours {
    /// Dutch notation: `75 uur`, `75,5 uur`, `75,25 uur`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => write!(f, "{whole} uur"),
            f10 if f10 % 10 == 0 => write!(f, "{whole},{} uur", f10 / 10),
            _ => write!(f, "{whole},{fraction:02} uur"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type_and_shows_it_the_dutch_way() {
        let show = |t: &str| {
            t.parse::<Hours>()
                .map(|h| h.to_string())
                .map_err(|e| e.message)
        };
        assert_eq!(show("75"), Ok("75 uur".into()));
        assert_eq!(show("75,5"), Ok("75,5 uur".into()));
        assert_eq!(show("75.50"), Ok("75,5 uur".into()));
        assert_eq!(show(" 0.05 "), Ok("0,05 uur".into()));
        for bad in ["", "-3", "abc", "7,5,5", "75.555", ",5", "1e3", "100001"] {
            assert!(show(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            show("-3"),
            Err("'-3' is geen geldig aantal uren: gebruik een getal van 0 of meer, zoals 75 of 75,5.".into())
        );
    }

    #[test]
    fn compares_exactly() {
        let h = |t: &str| t.parse::<Hours>().unwrap();
        assert!(h("75.01") > h("75"));
        assert_eq!(h("75,0"), Hours::whole(75).unwrap());
    }
}
