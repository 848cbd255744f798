//! Choices that forms and storage name by a stable key and people read by a
//! label: one macro gives such an enum its list, key, label and parser, so the
//! four can never drift apart.

/// Implements `ALL`, `key`, `label` and `FromStr` (by key) for a fieldless enum.
macro_rules! keyed {
    ($ty:ident, $kind:literal, { $($variant:ident => ($key:literal, $label:literal)),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order forms show them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stable key used in forms and storage.
            pub fn key(self) -> &'static str {
                match self { $($ty::$variant => $key),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),+ }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::ParseError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.key() == text).ok_or_else(|| {
                    let labels: Vec<&str> = Self::ALL.iter().map(|v| v.label()).collect();
                    $crate::ParseError::new($kind, format!("Kies een van: {}.", labels.join(", ")))
                })
            }
        }
    };
}
pub(crate) use keyed;
