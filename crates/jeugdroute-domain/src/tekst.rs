//! Text that people type, checked once for what every later use can carry.
//! Whatever is stored may end up in an iJw message (XML 1.0), a letter or a log
//! line; a character XML 1.0 cannot carry would make a JW301 that is not
//! well-formed, so it is refused at the door, with the field it was typed in.

use crate::ParseError;

/// The text with line ends made `\n`, or an error when it holds a character
/// XML 1.0 cannot carry: a C0 control other than tab and newline, or U+FFFE or
/// U+FFFF. (A Rust string cannot hold an unpaired surrogate; the JSON and form
/// readers refuse one before it gets here.)
///
/// Rule: XML 1.0 §2.2 (Char) — #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
pub fn xml_tekst(field: &'static str, text: &str) -> Result<String, ParseError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    match text.chars().position(|c| !allowed(c)) {
        None => Ok(text),
        Some(at) => Err(ParseError::new(
            field,
            format!(
                "Dit veld bevat een onzichtbaar stuurteken (op positie {}) dat niet kan worden opgeslagen. Typ de tekst opnieuw of plak hem zonder opmaak.",
                at + 1
            ),
        )),
    }
}

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_line_ends_normalised() {
        assert_eq!(xml_tekst("v", "a\r\nb\rc\td").unwrap(), "a\nb\nc\td");
        for bad in ["\0", "a\u{1}b", "\u{1F}", "x\u{FFFE}", "\u{FFFF}", "\u{8}"] {
            let e = xml_tekst("vraag", bad).unwrap_err();
            assert_eq!(e.kind, "vraag");
            assert!(e.message.contains("stuurteken"), "{bad:?}");
        }
        assert_eq!(
            xml_tekst("v", "Zoë 😀 \u{FFFD}").unwrap(),
            "Zoë 😀 \u{FFFD}"
        );
    }

    /// Rule: XML 1.0 §2.2 (Char), without the carriage return.
    fn is_xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    proptest::proptest! {
        /// Whatever is typed, what `xml_tekst` lets through is XML 1.0 character
        /// data (Rule: XML 1.0 §2.2, Char) with `\n` line ends.
        #[test]
        fn what_passes_is_xml_character_data(text in proptest::prelude::any::<String>()) {
            if let Ok(kept) = xml_tekst("v", &text) {
                proptest::prop_assert!(kept.chars().all(is_xml_char), "{:?}", kept);
            }
        }
    }
}
