//! The lexical rules of the XML Schema built-in types the iJw schemas use
//! (integer, date, time); the forms of pattern the iJw schemas have, checked
//! without a regex; and, for any other pattern, the translation of XSD pattern
//! syntax into the `regex` crate's, where the two differ.

/// XML white space: space, tab, line feed, carriage return.
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// An `xs:integer`: optional sign, one or more digits. `None` when out of i128.
pub(crate) fn integer(value: &str) -> Option<i128> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn two_digits(text: &str) -> Option<u32> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Splits an optional time zone (`Z`, `+hh:mm`, `-hh:mm`) off the end.
fn without_zone(value: &str) -> Option<&str> {
    if let Some(rest) = value.strip_suffix('Z') {
        return Some(rest);
    }
    let split = value.len().checked_sub(6)?;
    let sign = value.get(split..split + 1);
    let zone = value
        .get(split + 1..)
        .filter(|z| z.as_bytes().get(2) == Some(&b':'));
    match (sign, zone) {
        (Some("+" | "-"), Some(zone)) => {
            let (h, m) = zone.split_once(':')?;
            let ok =
                two_digits(h).is_some_and(|h| h <= 14) && two_digits(m).is_some_and(|m| m <= 59);
            ok.then(|| value.get(..split)).flatten()
        }
        _ => Some(value),
    }
}

/// An `xs:date` (XML Schema 1.0): `-?YYYY-MM-DD` with an optional time zone, a
/// real calendar day, year 0000 excluded.
pub(crate) fn date(value: &str) -> bool {
    let Some(value) = without_zone(value) else {
        return false;
    };
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let mut parts = unsigned.rsplitn(3, '-');
    let (Some(day), Some(month), Some(year)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let year_ok = year.len() >= 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && !(year.len() > 4 && year.starts_with('0'));
    let (Some(month), Some(day), Ok(y)) = (two_digits(month), two_digits(day), year.parse::<u64>())
    else {
        return false;
    };
    if !year_ok || y == 0 || !(1..=12).contains(&month) {
        return false;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
}

/// An `xs:time`: `hh:mm:ss` with optional fraction and time zone; `24:00:00` allowed.
pub(crate) fn time(value: &str) -> bool {
    let Some(value) = without_zone(value) else {
        return false;
    };
    let (clock, fraction) = value
        .split_once('.')
        .map_or((value, None), |(c, f)| (c, Some(f)));
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = clock.split(':');
    let (Some(h), Some(m), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    match (two_digits(h), two_digits(m), two_digits(s)) {
        (Some(24), Some(0), Some(0)) => fraction.is_none_or(|f| f.bytes().all(|b| b == b'0')),
        (Some(h), Some(m), Some(s)) => h < 24 && m < 60 && s < 60,
        _ => false,
    }
}

/// A pattern of a form the iJw schemas use for most values, checked directly:
/// finding the form takes no compiling, and checking it no automaton.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// No special character: the value is the pattern (a fixed code, `436`).
    Literal(&'static str),
    /// `[0-9]*` (any number of ASCII digits) or `[0-9]{n}` (exactly n).
    Digits(Option<usize>),
    /// `([a-zA-Z0-9])+`: one or more ASCII letters and digits.
    AsciiAlphanumeric,
    /// `([a-zA-ZÀ-ỳ])+`: one or more letters, ASCII or from À to ỳ.
    Letters,
    /// `.*[^\s].*`: one line that is not only white space.
    NotBlank,
    /// `([.\s]*\S+[.\s]*)+`: any text that is not only white space.
    NotOnlySpace,
    /// `(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)`: a version, `1.0.2`.
    Version,
    /// `[^:Z]*` or `[^Z+-]+`: none of these characters, and at least one
    /// character when `nonempty`.
    NoneOf {
        excluded: &'static str,
        nonempty: bool,
    },
}

impl Form {
    /// The form of an XSD pattern, if it has one of these; any other is the
    /// `regex` crate's.
    pub(crate) fn of(pattern: &'static str) -> Option<Form> {
        const SPECIAL: &[char] = &[
            '\\', '.', '[', ']', '(', ')', '{', '}', '*', '+', '?', '|', '^', '$',
        ];
        match pattern {
            "[0-9]*" => Some(Form::Digits(None)),
            "([a-zA-Z0-9])+" => Some(Form::AsciiAlphanumeric),
            "([a-zA-ZÀ-ỳ])+" => Some(Form::Letters),
            ".*[^\\s].*" => Some(Form::NotBlank),
            "([.\\s]*\\S+[.\\s]*)+" => Some(Form::NotOnlySpace),
            "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)" => Some(Form::Version),
            "[^:Z]*" => Some(Form::NoneOf {
                excluded: ":Z",
                nonempty: false,
            }),
            "[^Z+-]+" => Some(Form::NoneOf {
                excluded: "Z+-",
                nonempty: true,
            }),
            _ if !pattern.contains(SPECIAL) => Some(Form::Literal(pattern)),
            _ => {
                let count = pattern.strip_prefix("[0-9]{")?.strip_suffix('}')?;
                let count = count
                    .parse()
                    .ok()
                    .filter(|_| count.bytes().all(|b| b.is_ascii_digit()))?;
                Some(Form::Digits(Some(count)))
            }
        }
    }

    /// Whether the whole value matches, as the pattern would.
    pub(crate) fn matches(self, value: &str) -> bool {
        let bytes = value.as_bytes();
        let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match self {
            Form::Literal(literal) => value == literal,
            Form::Digits(count) => {
                count.is_none_or(|n| bytes.len() == n) && bytes.iter().all(u8::is_ascii_digit)
            }
            Form::AsciiAlphanumeric => {
                !bytes.is_empty() && bytes.iter().all(u8::is_ascii_alphanumeric)
            }
            Form::Letters => {
                !value.is_empty()
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphabetic() || ('À'..='ỳ').contains(&c))
            }
            Form::NotBlank => {
                !bytes.iter().any(|b| matches!(b, b'\n' | b'\r')) && !bytes.iter().all(space)
            }
            Form::NotOnlySpace => !bytes.iter().all(space),
            Form::Version => {
                let mut parts = value.split('.');
                let number = |part: Option<&str>| {
                    part.is_some_and(|p| {
                        !p.is_empty()
                            && p.bytes().all(|b| b.is_ascii_digit())
                            && (p == "0" || !p.starts_with('0'))
                    })
                };
                number(parts.next())
                    && number(parts.next())
                    && number(parts.next())
                    && parts.next().is_none()
            }
            Form::NoneOf { excluded, nonempty } => {
                (!nonempty || !value.is_empty()) && !value.contains(|c| excluded.contains(c))
            }
        }
    }
}

/// Rewrites an XSD pattern for the `regex` crate: XSD's `.` excludes both line
/// ends and its `\s`/`\S` mean only the four XML white-space characters.
pub(crate) fn xsd_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match (c, in_class) {
            ('\\', _) => match chars.next() {
                Some('s') if in_class => out.push_str(" \\t\\n\\r"),
                Some('s') => out.push_str("[ \\t\\n\\r]"),
                Some('S') => out.push_str("[^ \\t\\n\\r]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push_str("\\\\"),
            },
            ('.', false) => out.push_str("[^\\n\\r]"),
            ('[', false) => {
                in_class = true;
                out.push('[');
            }
            (']', true) => {
                in_class = false;
                out.push(']');
            }
            (c, _) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_xml_schema_1_0() {
        for ok in [
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "12024-01-01",
            "-0044-03-15",
            "2024-01-01Z",
            "2024-01-01+01:00",
        ] {
            assert!(date(ok), "{ok}");
        }
        for bad in [
            "1900-02-29",
            "0000-01-01",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "24-01-01",
            "2024-01-32",
            "2024-01-01+15:00",
            "02024-01-01",
            "",
        ] {
            assert!(!date(bad), "{bad}");
        }
    }

    #[test]
    fn times_follow_xml_schema_1_0() {
        for ok in [
            "00:00:00",
            "23:59:59",
            "10:05:00.125",
            "24:00:00",
            "12:00:00Z",
        ] {
            assert!(time(ok), "{ok}");
        }
        for bad in ["24:00:01", "12:60:00", "12:00", "12:00:00.", "1:00:00"] {
            assert!(!time(bad), "{bad}");
        }
    }

    #[test]
    fn patterns_translate_xsd_classes() {
        assert_eq!(xsd_regex(".*[^\\s].*"), "[^\\n\\r]*[^ \\t\\n\\r][^\\n\\r]*");
        assert_eq!(
            xsd_regex("([.\\s]*\\S+[.\\s]*)+"),
            "([. \\t\\n\\r]*[^ \\t\\n\\r]+[. \\t\\n\\r]*)+"
        );
        assert_eq!(
            xsd_regex("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"),
            "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
        );
    }
}
