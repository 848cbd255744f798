//! Between the element tree and the typed messages of `types.rs`: the simple
//! values (text, integers, dates, times, codes), the cursor that decodes a
//! complex element child by child, and the builder that encodes one. Decoding
//! comes after the schema check, so its errors are the rare cases the schema
//! cannot see (a value that does not fit its Rust type); it never panics.

use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::xml::Element;

/// A simple value as it stands in a message.
pub trait Value: Sized {
    fn parse(text: &str) -> Result<Self, String>;
    /// The canonical text: what the writer puts in the message.
    fn render(&self) -> String;
}

fn collapsed(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

impl Value for String {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }

    fn render(&self) -> String {
        self.clone()
    }
}

impl Value for i64 {
    fn parse(text: &str) -> Result<Self, String> {
        let text = collapsed(text);
        text.strip_prefix('+')
            .unwrap_or(text)
            .parse()
            .map_err(|_| format!("'{text}' is geen geheel getal"))
    }

    fn render(&self) -> String {
        self.to_string()
    }
}

/// Two ASCII digits as a number.
fn two_digits(high: u8, low: u8) -> Option<u32> {
    (high.is_ascii_digit() && low.is_ascii_digit())
        .then(|| u32::from(high - b'0') * 10 + u32::from(low - b'0'))
}

/// A date in its usual form, `YYYY-MM-DD`, read without chrono's format parser;
/// `None` for any other form, which chrono then reads or refuses as before.
fn usual_date(text: &str) -> Option<NaiveDate> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text.as_bytes() else {
        return None;
    };
    let year = two_digits(y1, y2)? * 100 + two_digits(y3, y4)?;
    let year = i32::try_from(year).ok()?;
    NaiveDate::from_ymd_opt(year, two_digits(m1, m2)?, two_digits(d1, d2)?)
}

/// A date as chrono reads it (`str::parse`), the usual form without its parser.
pub(crate) fn date(text: &str) -> Option<NaiveDate> {
    usual_date(text).or_else(|| text.parse().ok())
}

/// A time in its usual form, `hh:mm:ss`, as [`usual_date`] reads a date.
fn usual_time(text: &str) -> Option<NaiveTime> {
    let &[h1, h2, b':', m1, m2, b':', s1, s2] = text.as_bytes() else {
        return None;
    };
    NaiveTime::from_hms_opt(
        two_digits(h1, h2)?,
        two_digits(m1, m2)?,
        two_digits(s1, s2)?,
    )
}

impl Value for NaiveDate {
    fn parse(text: &str) -> Result<Self, String> {
        let text = collapsed(text);
        if let Some(date) = usual_date(text) {
            return Ok(date);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("'{text}' is geen datum (JJJJ-MM-DD)"))
    }

    fn render(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl Value for NaiveTime {
    fn parse(text: &str) -> Result<Self, String> {
        let text = collapsed(text);
        if let Some(time) = usual_time(text) {
            return Ok(time);
        }
        NaiveTime::parse_from_str(text, "%H:%M:%S%.f")
            .map_err(|_| format!("'{text}' is geen tijd (uu:mm:ss)"))
    }

    fn render(&self) -> String {
        if self.nanosecond() == 0 {
            self.format("%H:%M:%S").to_string()
        } else {
            self.format("%H:%M:%S%.f").to_string()
        }
    }
}

/// A code that is not in its code list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{code}' is geen code uit codelijst {list}")]
pub struct UnknownCode {
    pub list: &'static str,
    pub code: String,
}

/// A message whose structure or values do not fit the typed model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line}: <{element}>: {message}")]
pub struct DecodeError {
    pub line: usize,
    pub element: String,
    pub message: String,
}

/// A complex element: a struct whose fields are its child elements.
pub trait Complex: Sized {
    /// The namespace of this type's child elements.
    const NAMESPACE: &'static str;

    fn decode(element: &Element) -> Result<Self, DecodeError>;

    fn encode_into(&self, builder: &mut Builder);

    /// This value as an element `name` in `namespace`.
    fn encode(&self, name: &str, namespace: &str) -> Element {
        let mut builder = Builder {
            namespace: Self::NAMESPACE,
            children: Vec::new(),
        };
        self.encode_into(&mut builder);
        Element {
            namespace: namespace.into(),
            name: name.into(),
            children: builder.children,
            ..Element::default()
        }
    }
}

/// Reads the children of one element in order.
#[derive(Debug)]
pub struct Cursor<'a> {
    element: &'a Element,
    namespace: &'static str,
    next: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(element: &'a Element, namespace: &'static str) -> Self {
        Cursor {
            element,
            namespace,
            next: 0,
        }
    }

    fn error(element: &Element, message: String) -> DecodeError {
        DecodeError {
            line: element.line,
            element: element.name.to_string(),
            message,
        }
    }

    /// The next child, when it is `name`.
    fn take(&mut self, name: &str) -> Option<&'a Element> {
        let child = self
            .element
            .children
            .get(self.next)
            .filter(|c| c.name == name && c.namespace == self.namespace)?;
        self.next += 1;
        Some(child)
    }

    fn value<T: Value>(child: &Element) -> Result<T, DecodeError> {
        if !child.children.is_empty() {
            return Err(Self::error(
                child,
                "verwacht een waarde, geen elementen".to_owned(),
            ));
        }
        T::parse(&child.text).map_err(|message| Self::error(child, message))
    }

    fn missing(&self, name: &str) -> DecodeError {
        Self::error(self.element, format!("element <{name}> ontbreekt"))
    }

    pub fn one<T: Value>(&mut self, name: &str) -> Result<T, DecodeError> {
        let child = self.take(name).ok_or_else(|| self.missing(name))?;
        Self::value(child)
    }

    pub fn optional<T: Value>(&mut self, name: &str) -> Result<Option<T>, DecodeError> {
        self.take(name).map(Self::value).transpose()
    }

    pub fn many<T: Value>(&mut self, name: &str) -> Result<Vec<T>, DecodeError> {
        std::iter::from_fn(|| self.take(name))
            .map(Self::value)
            .collect()
    }

    pub fn one_complex<T: Complex>(&mut self, name: &str) -> Result<T, DecodeError> {
        let child = self.take(name).ok_or_else(|| self.missing(name))?;
        T::decode(child)
    }

    pub fn optional_complex<T: Complex>(&mut self, name: &str) -> Result<Option<T>, DecodeError> {
        self.take(name).map(T::decode).transpose()
    }

    pub fn many_complex<T: Complex>(&mut self, name: &str) -> Result<Vec<T>, DecodeError> {
        std::iter::from_fn(|| self.take(name))
            .map(T::decode)
            .collect()
    }

    /// Every child was used.
    pub fn finish(self) -> Result<(), DecodeError> {
        match self.element.children.get(self.next) {
            Some(extra) => Err(Self::error(
                extra,
                "dit element is hier niet toegestaan".to_owned(),
            )),
            None => Ok(()),
        }
    }
}

/// Collects the children of one element, in the namespace of its type.
#[derive(Debug)]
pub struct Builder {
    namespace: &'static str,
    children: Vec<Element>,
}

impl Builder {
    fn leaf(&mut self, name: &str, text: String) {
        self.children.push(Element {
            namespace: self.namespace.into(),
            name: name.into(),
            text,
            ..Element::default()
        });
    }

    pub fn one<T: Value>(&mut self, name: &str, value: &T) {
        self.leaf(name, value.render());
    }

    pub fn optional<T: Value>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.one(name, value);
        }
    }

    pub fn many<T: Value>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.one(name, value);
        }
    }

    pub fn one_complex<T: Complex>(&mut self, name: &str, value: &T) {
        let element = value.encode(name, self.namespace);
        self.children.push(element);
    }

    pub fn optional_complex<T: Complex>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.one_complex(name, value);
        }
    }

    pub fn many_complex<T: Complex>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.one_complex(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_dates_and_times_read_as_chrono_reads_them() {
        for year in ["0000", "0001", "1999", "2024", "2100", "9999"] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year}-{month:02}-{day:02}");
                    let chrono = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
                    assert_eq!(usual_date(&text), chrono, "{text}");
                }
            }
        }
        for hour in 0..=25 {
            for minute in [0, 1, 59, 60] {
                for second in [0, 9, 59, 60, 61] {
                    let text = format!("{hour:02}:{minute:02}:{second:02}");
                    let chrono = NaiveTime::parse_from_str(&text, "%H:%M:%S%.f").ok();
                    assert!(
                        usual_time(&text).is_none_or(|t| Some(t) == chrono),
                        "{text}"
                    );
                }
            }
        }
        for other in [
            "2024-1-01",
            "+2024-01-01",
            "2024-01-01Z",
            "20240101",
            "12:00",
            "12:00:00.5",
        ] {
            assert_eq!(usual_date(other), None);
            assert_eq!(usual_time(other), None);
        }
    }
}
