//! Schema-level validation (iJw control level 1, "XSD"): structure, element order
//! and cardinality, and every simple value against its type's facets — the same
//! verdict as the official schemas, implemented in Rust. The tables in
//! `tables.rs` are generated from those schemas by `tools/ijw_schema.py`.
//!
//! A schema failure is answered at transport level, not with a retour message
//! (iJw §8.2), so findings here carry a path and a line, not a retour code.

mod lexical;
#[rustfmt::skip]
pub(crate) mod tables;

use std::sync::OnceLock;

use regex::Regex;

use crate::Berichtsoort;
use crate::xml::{Element, Trail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    String,
    Integer,
    Date,
    Time,
}

/// A simple type: its base, the type it restricts, and its own facets.
#[derive(Debug)]
pub(crate) struct SimpleType {
    pub name: &'static str,
    pub base: Base,
    pub parent: Option<&'static SimpleType>,
    pub patterns: &'static [&'static Pattern],
    /// The codes of a code list, sorted.
    pub enumeration: &'static [&'static str],
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_inclusive: Option<i128>,
    pub max_inclusive: Option<i128>,
}

/// A complex type: a sequence of elements in the namespace of its schema.
#[derive(Debug)]
pub(crate) struct ComplexType {
    pub namespace: &'static str,
    pub particles: &'static [Particle],
}

#[derive(Debug)]
pub(crate) struct Particle {
    pub name: &'static str,
    pub ty: Type,
    pub min: usize,
    /// `None` for unbounded.
    pub max: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Type {
    Simple(&'static SimpleType),
    Complex(&'static ComplexType),
}

/// One schema violation, at an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFinding {
    pub line: usize,
    /// Path of local names from the root, e.g. `Bericht/Client/Bsn`.
    pub path: String,
    pub message: String,
}

/// A pattern facet, made ready once, when a value first meets it: the forms of
/// [`lexical::Form`] at no cost, any other compiled as a regex, so that a process
/// that checks only JW301s compiles only the patterns a JW301 has. Each distinct
/// pattern is one static that the types refer to, so a value finds its matcher
/// by that reference rather than by hashing the pattern's text.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// The pattern as the schema writes it.
    pub text: &'static str,
    matcher: OnceLock<Option<Matcher>>,
}

#[derive(Debug)]
enum Matcher {
    Form(lexical::Form),
    Regex(Regex),
}

impl Pattern {
    pub(crate) const fn new(text: &'static str) -> Self {
        Pattern {
            text,
            matcher: OnceLock::new(),
        }
    }

    /// Whether the whole value matches; `None` for a pattern that cannot be compiled.
    fn matches(&self, value: &str) -> Option<bool> {
        let matcher = self
            .matcher
            .get_or_init(|| match lexical::Form::of(self.text) {
                Some(form) => Some(Matcher::Form(form)),
                None => self.regex().map(Matcher::Regex),
            });
        match matcher.as_ref()? {
            Matcher::Form(form) => Some(form.matches(value)),
            Matcher::Regex(regex) => Some(regex.is_match(value)),
        }
    }

    /// The compiled form; XSD patterns match the whole value.
    fn regex(&self) -> Option<Regex> {
        Regex::new(&format!("^(?:{})$", lexical::xsd_regex(self.text))).ok()
    }
}

/// Checks a message against the schema of its type; an empty list means valid.
pub fn check(soort: Berichtsoort, root: &Element) -> Vec<SchemaFinding> {
    let mut findings = Vec::new();
    let root_type = tables::root_type(soort);
    if root.name != "Bericht" || root.namespace != root_type.namespace {
        findings.push(SchemaFinding {
            line: root.line,
            path: root.name.to_string(),
            message: format!(
                "het hoofdelement moet <Bericht> zijn in namespace {}",
                root_type.namespace
            ),
        });
        return findings;
    }
    check_complex(root_type, &Trail::root(root), &mut findings);
    findings
}

fn finding_at(trail: &Trail<'_>, message: String) -> SchemaFinding {
    SchemaFinding {
        line: trail.element().line,
        path: trail.render(),
        message,
    }
}

fn check_complex(ty: &ComplexType, trail: &Trail<'_>, findings: &mut Vec<SchemaFinding>) {
    let element = trail.element();
    if !element.text.is_empty() && !element.text.trim_matches(lexical::is_xml_space).is_empty() {
        findings.push(finding_at(
            trail,
            "bevat tekst, maar mag alleen elementen bevatten".to_owned(),
        ));
    }
    check_attributes(trail, findings);
    let mut next = 0;
    for particle in ty.particles {
        let mut count = 0;
        while let Some(child) = trail.child(next) {
            let c = child.element();
            let fits = c.name == particle.name && c.namespace == ty.namespace;
            if !fits || particle.max.is_some_and(|max| count >= max) {
                break;
            }
            check_element(particle.ty, &child, findings);
            next += 1;
            count += 1;
        }
        if count < particle.min {
            findings.push(finding_at(
                trail,
                format!("element <{}> ontbreekt", particle.name),
            ));
            return;
        }
    }
    if let Some(extra) = trail.child(next) {
        let message = format!("element <{}> is hier niet toegestaan", extra.element().name);
        findings.push(finding_at(&extra, message));
    }
}

fn check_element(ty: Type, trail: &Trail<'_>, findings: &mut Vec<SchemaFinding>) {
    match ty {
        Type::Complex(complex) => check_complex(complex, trail, findings),
        Type::Simple(simple) => {
            check_attributes(trail, findings);
            let element = trail.element();
            let problem = if element.children.is_empty() {
                check_value(simple, &element.text).err()
            } else {
                Some("mag geen elementen bevatten, alleen een waarde".to_owned())
            };
            if let Some(message) = problem {
                findings.push(finding_at(trail, message));
            }
        }
    }
}

/// The schemas declare no attributes; only the schema-location hints of XML
/// Schema instances are tolerated, as every validator does.
fn check_attributes(trail: &Trail<'_>, findings: &mut Vec<SchemaFinding>) {
    for (name, _) in &trail.element().attributes {
        let local = name.rsplit(':').next().unwrap_or(name);
        if local != "schemaLocation" && local != "noNamespaceSchemaLocation" {
            findings.push(finding_at(
                trail,
                format!("attribuut '{name}' is niet toegestaan"),
            ));
        }
    }
}

/// Checks a value against a simple type and every type it restricts.
pub(crate) fn check_value(ty: &SimpleType, raw: &str) -> Result<(), String> {
    let value = match ty.base {
        Base::String => raw,
        // Every non-string base collapses white space before anything else.
        Base::Integer | Base::Date | Base::Time => raw.trim_matches(lexical::is_xml_space),
    };
    let number = match ty.base {
        Base::String => None,
        Base::Integer => {
            Some(lexical::integer(value).ok_or_else(|| format!("'{value}' is geen geheel getal"))?)
        }
        Base::Date => {
            lexical::date(value)
                .then_some(())
                .ok_or_else(|| format!("'{value}' is geen geldige datum (JJJJ-MM-DD)"))?;
            None
        }
        Base::Time => {
            lexical::time(value)
                .then_some(())
                .ok_or_else(|| format!("'{value}' is geen geldige tijd (uu:mm:ss)"))?;
            None
        }
    };
    let mut current = Some(ty);
    while let Some(t) = current {
        check_facets(t, value, number)?;
        current = t.parent;
    }
    Ok(())
}

fn check_facets(ty: &SimpleType, value: &str, number: Option<i128>) -> Result<(), String> {
    if !ty.patterns.is_empty()
        && !ty
            .patterns
            .iter()
            .any(|p| p.matches(value).unwrap_or(false))
    {
        return Err(format!(
            "'{value}' heeft niet de vorm die {} voorschrijft",
            ty.name
        ));
    }
    if !ty.enumeration.is_empty() && ty.enumeration.binary_search(&value).is_err() {
        return Err(format!(
            "'{value}' is geen code uit de lijst van {}",
            ty.name
        ));
    }
    // Characters, not bytes; a code or number is ASCII, whose length is its size.
    let length = if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    };
    if ty.min_length.is_some_and(|min| length < min)
        || ty.max_length.is_some_and(|max| length > max)
    {
        let (min, max) = (
            ty.min_length.unwrap_or(0),
            ty.max_length
                .map_or("onbeperkt".to_owned(), |m| m.to_string()),
        );
        return Err(format!(
            "'{value}' heeft {length} tekens; toegestaan is {min} tot {max}"
        ));
    }
    if let Some(n) = number
        && (ty.min_inclusive.is_some_and(|min| n < min)
            || ty.max_inclusive.is_some_and(|max| n > max))
    {
        return Err(format!(
            "{n} ligt buiten het toegestane bereik van {}",
            ty.name
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_of_the_schemas_compiles() {
        for pattern in tables::PATTERNS {
            assert!(pattern.regex().is_some(), "{}", pattern.text);
        }
    }

    /// A pattern of no known form (a later version of the schemas may bring one)
    /// is still checked, by its regex.
    #[test]
    fn a_pattern_of_no_known_form_is_checked_by_its_regex() {
        static OTHER: Pattern = Pattern::new("[a-c]{2}\\.[^\\s]");
        assert_eq!(lexical::Form::of(OTHER.text), None);
        assert_eq!(OTHER.matches("ab.x"), Some(true));
        assert_eq!(OTHER.matches("ab. "), Some(false));
        assert_eq!(OTHER.matches("ad.x"), Some(false));
        static BROKEN: Pattern = Pattern::new("[a-");
        assert_eq!(BROKEN.matches("a"), None);
    }

    /// A pattern checked directly gives the verdict its regex gives, on values
    /// made of the characters that tell the forms apart.
    #[test]
    fn a_pattern_checked_directly_agrees_with_its_regex() {
        let alphabet = [
            "0", "1", "4", "9", "3", "6", "a", "Z", " ", "\t", "\n", "\r", "-", "+", ":", ".", "é",
            "À", "ỳ", "ỵ", "¿", "\u{A0}", "٣",
        ];
        let mut direct = 0;
        for pattern in tables::PATTERNS {
            let Some(form) = lexical::Form::of(pattern.text) else {
                continue;
            };
            direct += 1;
            let regex = pattern
                .regex()
                .unwrap_or_else(|| panic!("{}", pattern.text));
            let mut values = vec![String::new(), pattern.text.to_owned()];
            for length in 1..=4 {
                let mut next = Vec::new();
                for value in values.iter().filter(|v| v.chars().count() == length - 1) {
                    for c in alphabet {
                        next.push(format!("{value}{c}"));
                    }
                }
                values.extend(next);
            }
            values.extend(
                [
                    "12345678",
                    "123456789",
                    "1234567a",
                    "436",
                    "4360",
                    " 436",
                    "1.0.0",
                    "10.20.3",
                    "01.0.0",
                    "1.0",
                    "1.0.0.0",
                    "1..0",
                    "0.0.0",
                    "1.00.0",
                    "1.0.0 ",
                ]
                .map(String::from),
            );
            for value in &values {
                assert_eq!(
                    form.matches(value),
                    regex.is_match(value),
                    "{} on {value:?}",
                    pattern.text
                );
            }
        }
        assert_eq!(
            direct,
            tables::PATTERNS.len(),
            "every pattern of the schemas has a form"
        );
    }

    /// A code is looked up by binary search, which finds nothing in an unsorted list.
    #[test]
    fn every_code_list_is_sorted_and_every_code_found() {
        let mut todo: Vec<&ComplexType> = Berichtsoort::ALL
            .iter()
            .map(|s| tables::root_type(*s))
            .collect();
        let mut lists = 0;
        while let Some(ty) = todo.pop() {
            for particle in ty.particles {
                match particle.ty {
                    Type::Complex(inner) => todo.push(inner),
                    Type::Simple(simple) => {
                        let mut current = Some(simple);
                        while let Some(t) = current {
                            assert!(t.enumeration.is_sorted(), "{}", t.name);
                            for code in t.enumeration {
                                assert!(check_facets(t, code, None).is_ok(), "{} {code}", t.name);
                            }
                            lists += usize::from(!t.enumeration.is_empty());
                            current = t.parent;
                        }
                    }
                }
            }
        }
        assert!(lists > 14, "{lists}");
        let land = &tables::IJW_LDT_LANDCODE;
        assert!(check_facets(land, "XX", None).is_err());
    }

    #[test]
    fn values_are_checked_against_the_whole_derivation_chain() {
        let code = &tables::JW301_HEADER_BERICHTCODE;
        assert_eq!(check_value(code, "436"), Ok(()));
        assert!(check_value(code, "437").is_err());
        assert!(check_value(code, "4360").is_err());
        let nummer = &tables::IJW_LDT_NUMMER;
        assert_eq!(check_value(nummer, " 999999999 "), Ok(()));
        assert!(check_value(nummer, "1000000000").is_err());
        assert!(check_value(nummer, "-1").is_err());
        assert!(check_value(nummer, "12a").is_err());
        let bsn = &tables::IJW_LDT_BURGERSERVICENUMMER;
        assert!(
            check_value(bsn, " 999900006").is_err(),
            "strings keep their white space"
        );
        let datum = &tables::IJW_LDT_DATUM;
        assert_eq!(check_value(datum, "2024-02-29"), Ok(()));
        assert!(check_value(datum, "2023-02-29").is_err());
        assert!(check_value(datum, "2027-06-31").is_err());
        assert!(check_value(datum, "2024-01-01Z").is_err(), "no time zone");
    }
}
