//! One verdict on one message: which message it is and every problem found, each
//! with the level it was found at (XML, XSD, or the standard's rule number), the
//! element and line it concerns, and a Dutch message for the sender.

use crate::rules;
use crate::schema;
use crate::{Bericht, Berichtsoort};

/// A problem in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The retour code the standard attaches to it; `None` for XML and XSD level
    /// problems, which are answered at transport level, without a retour message.
    pub code: Option<&'static str>,
    /// `XML`, `XSD`, or the rule, e.g. `CS002`.
    pub rule: String,
    /// Path of the element, e.g. `Bericht/Client/Bsn`; empty for the document.
    pub element: String,
    pub line: usize,
    pub message: String,
}

/// The verdict on a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The message type, when the root element named one.
    pub soort: Option<Berichtsoort>,
    pub findings: Vec<Finding>,
    /// The typed message, when it passed the schema.
    pub bericht: Option<Bericht>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.findings.is_empty()
    }
}

fn level(rule: &str, element: String, line: usize, message: String) -> Finding {
    Finding {
        code: None,
        rule: rule.to_owned(),
        element,
        line,
        message,
    }
}

/// Checks a message at every level this crate knows: well-formed and safe XML,
/// the schema, and the rules within the message.
pub fn validate(bytes: &[u8]) -> Report {
    let root = match crate::xml::read(bytes) {
        Ok(root) => root,
        Err(e) => {
            return Report {
                soort: None,
                findings: vec![level("XML", String::new(), 0, e.to_string())],
                bericht: None,
            };
        }
    };
    let soort = match Berichtsoort::of_root(&root) {
        Ok(soort) => soort,
        Err(e) => {
            return Report {
                soort: None,
                findings: vec![level("XML", root.name.clone(), root.line, e.to_string())],
                bericht: None,
            };
        }
    };
    let schema: Vec<Finding> = schema::check(soort, &root)
        .into_iter()
        .map(|f| level("XSD", f.path, f.line, f.message))
        .collect();
    if !schema.is_empty() {
        return Report {
            soort: Some(soort),
            findings: schema,
            bericht: None,
        };
    }
    let mut findings = rules::check_tree(&root);
    let bericht = match Bericht::decode_root(soort, &root) {
        Ok(bericht) => bericht,
        Err(e) => {
            findings.push(level("XSD", e.element.clone(), e.line, e.to_string()));
            return Report {
                soort: Some(soort),
                findings,
                bericht: None,
            };
        }
    };
    findings.extend(rules::check_typed(&bericht));
    Report {
        soort: Some(soort),
        findings,
        bericht: Some(bericht),
    }
}
