//! The productions of XML 1.0 (fifth edition) that quick-xml does not check:
//! the characters a document may hold, names, attribute lists, comments,
//! processing-instruction targets and the XML declaration. The reader asks these
//! so that it refuses exactly what `xmllint --noout` refuses (the corpus in
//! `tests/welgevormd/` holds the two to that).

/// Rule: XML 1.0 §2.2 (Char) — #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF]. A Rust `char` is never a surrogate.
pub(crate) fn is_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// The byte offset and value of the first character XML 1.0 does not allow.
/// In UTF-8 those are the single bytes below 0x20 other than tab, line feed and
/// carriage return, and U+FFFE and U+FFFF, which start with the byte 0xEF; so the
/// text is scanned eight bytes at a time, and only a word holding such a byte (or
/// an 0xEF, the start of other characters too) is looked at closer.
pub(super) fn first_illegal_char(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let words = bytes.chunks_exact(8);
    let tail = bytes.len() - words.remainder().len();
    for (index, word) in words.enumerate() {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        if suspect(u64::from_le_bytes(eight)) {
            let start = index * 8;
            if let Some(found) = illegal_in(text, start, start + 8) {
                return Some(found);
            }
        }
    }
    illegal_in(text, tail, bytes.len())
}

/// Whether eight bytes hold a control character other than tab, line feed and
/// carriage return, or an 0xEF. Exact per byte: line ends do not make a word
/// suspect.
fn suspect(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The high bit of each byte of `word` that is zero, and of no other byte.
    let zero = |word: u64| {
        const LOW: u64 = ONES * 0x7F;
        !(((word & LOW) + LOW) | word | LOW)
    };
    let control = zero(word & (ONES * 0xE0));
    let allowed = zero(word ^ (ONES * u64::from(b'\t')))
        | zero(word ^ (ONES * u64::from(b'\n')))
        | zero(word ^ (ONES * u64::from(b'\r')));
    control & !allowed | zero(word ^ (ONES * 0xEF)) != 0
}

/// The first character XML 1.0 does not allow that starts in `text[from..to]`.
fn illegal_in(text: &str, from: usize, to: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes().get(from..to)?;
    for (i, b) in bytes.iter().enumerate() {
        if (*b < 0x20 && !matches!(*b, b'\t' | b'\n' | b'\r')) || *b == 0xEF {
            let offset = from + i;
            let c = text.get(offset..)?.chars().next()?;
            if !is_char(c) {
                return Some((offset, c));
            }
        }
    }
    None
}

/// Rule: XML 1.0 §2.3 (S) — space, tab, carriage return, line feed.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Rule: XML 1.0 §2.3 (NameStartChar).
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// Rule: XML 1.0 §2.3 (NameChar).
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Rule: XML 1.0 §2.3 (Name).
fn is_name(name: &str) -> bool {
    // Nearly every name is ASCII: letters, digits, `_`, `-`, `.` and `:`.
    if let Some((first, rest)) = name.as_bytes().split_first()
        && (first.is_ascii_alphabetic() || matches!(first, b'_' | b':'))
        && rest
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.'))
    {
        return true;
    }
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// Rule: Namespaces in XML 1.0 §4 (QName) — a Name with at most one colon, not at
/// either end.
pub(super) fn is_qname(name: &str) -> bool {
    let ncname = |part: &str| !part.contains(':') && is_name(part);
    match name.split_once(':') {
        Some((prefix, local)) => ncname(prefix) && ncname(local),
        None => ncname(name),
    }
}

/// Rule: XML 1.0 §3.1 (Attribute, S) — each attribute preceded by white space, a
/// Name, `=`, and a quoted value without `<`. The name-value pairs, or what is wrong.
pub(super) fn attribute_list(raw: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut pairs = Vec::new();
    let mut rest = raw;
    loop {
        let trimmed = rest.trim_start_matches(is_space);
        if trimmed.is_empty() {
            return Ok(pairs);
        }
        if trimmed.len() == rest.len() {
            return Err(format!("vóór '{}' hoort een spatie", head(trimmed)));
        }
        let name_end = trimmed
            .find(|c: char| c == '=' || is_space(c))
            .unwrap_or(trimmed.len());
        let (name, after) = trimmed.split_at_checked(name_end).unwrap_or((trimmed, ""));
        if !is_name(name) {
            return Err(format!("'{}' is geen geldige attribuutnaam", head(name)));
        }
        let value_part = after
            .trim_start_matches(is_space)
            .strip_prefix('=')
            .map(|v| v.trim_start_matches(is_space))
            .ok_or_else(|| format!("attribuut '{name}' heeft geen waarde"))?;
        let (value, after) = quoted(value_part).ok_or_else(|| {
            format!("de waarde van attribuut '{name}' staat niet tussen aanhalingstekens")
        })?;
        if value.contains('<') {
            return Err(format!("de waarde van attribuut '{name}' bevat '<'"));
        }
        pairs.push((name, value));
        rest = after;
    }
}

/// The value between matching quotes at the start of `text`, and what follows.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = text.strip_prefix(quote)?;
    let end = body.find(quote)?;
    let (value, after) = body.split_at_checked(end)?;
    Some((value, after.strip_prefix(quote)?))
}

/// The start of a text, for a message.
fn head(text: &str) -> String {
    text.chars().take(20).collect()
}

/// Rule: XML 1.0 §2.5 (Comment) — no `--` inside, and not ending in `-`.
pub(super) fn comment(content: &str) -> Result<(), String> {
    if content.contains("--") || content.ends_with('-') {
        return Err("een commentaar mag geen '--' bevatten en niet op '-' eindigen".to_owned());
    }
    Ok(())
}

/// Rule: XML 1.0 §2.6 (PITarget) — a Name other than `xml` in any case; the
/// declaration itself arrives as a declaration, not here.
pub(super) fn pi_target(target: &str) -> Result<(), String> {
    if !is_name(target) {
        return Err(format!(
            "'{}' is geen geldige naam van een verwerkingsinstructie",
            head(target)
        ));
    }
    if target.eq_ignore_ascii_case("xml") {
        return Err(
            "de naam 'xml' is gereserveerd; een XML-declaratie hoort alleen aan het begin"
                .to_owned(),
        );
    }
    Ok(())
}

/// Rule: XML 1.0 §2.8 (XMLDecl) — `version` (1.x), then optionally `encoding`
/// (EncName), then optionally `standalone` (yes or no), in this order. `content`
/// is what stands between `<?` and `?>`.
pub(super) fn declaration(content: &str) -> Result<(), String> {
    let pairs = content
        .strip_prefix("xml")
        .ok_or_else(|| "ongeldige XML-declaratie".to_owned())
        .and_then(attribute_list)?;
    let mut expected = ["version", "encoding", "standalone"].into_iter();
    let mut seen_version = false;
    for (name, value) in pairs {
        if !expected.any(|e| e == name) {
            return Err(format!("onverwacht '{name}' in de XML-declaratie"));
        }
        let fine = match name {
            "version" => {
                seen_version = true;
                value.strip_prefix("1.").is_some_and(|minor| {
                    !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())
                })
            }
            "encoding" => {
                let mut chars = value.chars();
                chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                    && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            }
            _ => matches!(value, "yes" | "no"),
        };
        if !fine || !seen_version {
            return Err(format!(
                "'{name}=\"{}\"' is ongeldig in de XML-declaratie",
                head(value)
            ));
        }
    }
    if !seen_version {
        return Err("de XML-declaratie mist 'version'".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn illegal_characters_are_found_wherever_they_stand() {
        let naive = |text: &str| text.char_indices().find(|(_, c)| !is_char(*c));
        let fillers = [
            "abcdefghijklmnopqrstuvw",
            "a\nb\tc\rdé\u{F000}ë\n\n",
            "\u{FFFD}x",
        ];
        for filler in fillers {
            for bad in ['\u{0}', '\u{1F}', '\u{FFFE}', '\u{FFFF}', '\u{8}'] {
                for at in 0..=filler.chars().count() {
                    let mut text: String = filler.chars().take(at).collect();
                    text.push(bad);
                    text.extend(filler.chars().skip(at));
                    assert_eq!(first_illegal_char(&text), naive(&text), "{text:?}");
                    assert!(first_illegal_char(&text).is_some());
                }
            }
            assert_eq!(first_illegal_char(filler), None);
        }
        assert!(!suspect(u64::from_le_bytes(*b"\n\t\r ab\n ")));
        assert!(suspect(u64::from_le_bytes(*b"\n\t\r\x08ab\n ")));
    }

    #[test]
    fn names_follow_the_production() {
        for good in ["a", "_x", "a.b-c", "é", "p:a", "a\u{B7}"] {
            assert!(is_qname(good), "{good}");
        }
        for bad in ["", "1a", "-a", "a@b", "a:b:c", ":a", "a:", "a b"] {
            assert!(!is_qname(bad), "{bad}");
        }
    }

    #[test]
    fn attribute_lists_need_space_names_and_quotes() {
        assert_eq!(
            attribute_list(" x=\"1\" y = '2' "),
            Ok(vec![("x", "1"), ("y", "2")])
        );
        for bad in [
            "x=\"1\"",
            " x=\"1\"y=\"2\"",
            " x=1",
            " x",
            " -x=\"1\"",
            " x=\"<\"",
            " x=\"1'",
        ] {
            assert!(attribute_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn declarations_follow_the_production() {
        for good in [
            "xml version=\"1.0\"",
            "xml version='1.1' encoding=\"UTF-8\" standalone=\"no\" ",
        ] {
            assert_eq!(declaration(good), Ok(()), "{good}");
        }
        for bad in [
            "xml",
            "xml encoding=\"UTF-8\"",
            "xml encoding=\"UTF-8\" version=\"1.0\"",
            "xml version=\"2.0\"",
            "xml version=\"1.\"",
            "xml version=\"1.0\" standalone=\"maybe\"",
            "xml version=\"1.0\" encoding=\"8bit\"",
            "xml version=\"1.0\" version=\"1.0\"",
        ] {
            assert!(declaration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn comments_and_targets() {
        assert!(comment(" a - b ").is_ok());
        assert!(comment(" a -- b ").is_err());
        assert!(comment(" a -").is_err());
        assert!(pi_target("xml-stylesheet").is_ok());
        for bad in ["xml", "XmL", "", "1x"] {
            assert!(pi_target(bad).is_err(), "{bad}");
        }
    }
}
