//! The five intensities of step 4 of the 7-step plan: how far the family is from
//! the result. Fixed by the plan itself; what each one means for a region (its
//! guidelines, whether it needs the segment check) lives in the catalogue.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// Intensiteit: the distance to the result (seed 002, step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Intensiteit {
    Licht,
    Midden,
    Zwaar,
    Doorlopend,
    Chronisch,
}

impl Intensiteit {
    pub const ALL: [Intensiteit; 5] = [
        Intensiteit::Licht,
        Intensiteit::Midden,
        Intensiteit::Zwaar,
        Intensiteit::Doorlopend,
        Intensiteit::Chronisch,
    ];

    /// The stable lower-case key, e.g. `midden`.
    pub fn key(self) -> &'static str {
        match self {
            Intensiteit::Licht => "licht",
            Intensiteit::Midden => "midden",
            Intensiteit::Zwaar => "zwaar",
            Intensiteit::Doorlopend => "doorlopend",
            Intensiteit::Chronisch => "chronisch",
        }
    }

    /// The name shown to people, e.g. `Midden`.
    pub fn label(self) -> &'static str {
        match self {
            Intensiteit::Licht => "Licht",
            Intensiteit::Midden => "Midden",
            Intensiteit::Zwaar => "Zwaar",
            Intensiteit::Doorlopend => "Doorlopend",
            Intensiteit::Chronisch => "Chronisch",
        }
    }
}

impl FromStr for Intensiteit {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Intensiteit::ALL
            .into_iter()
            .find(|i| i.key().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                ParseError::new(
                    "intensiteit",
                    format!(
                        "Onbekende intensiteit '{text}': kies licht, midden, zwaar, doorlopend of chronisch."
                    ),
                )
            })
    }
}

impl fmt::Display for Intensiteit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_its_keys_in_any_case_and_nothing_else() {
        for i in Intensiteit::ALL {
            assert_eq!(i.key().parse(), Ok(i));
            assert_eq!(i.label().to_uppercase().parse(), Ok(i));
        }
        let err = "middel".parse::<Intensiteit>().unwrap_err();
        assert_eq!(
            err.message,
            "Onbekende intensiteit 'middel': kies licht, midden, zwaar, doorlopend of chronisch."
        );
    }
}
