//! One verdict on one message: which message it is and every problem found, each
//! with the level it was found at (XML, XSD, or the standard's rule number), the
//! element and line it concerns, and a Dutch message for the sender.

use crate::rules;
use crate::{Bericht, Berichtsoort, DecodeFailure};

/// A problem in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The retour code the standard attaches to it; `None` for XML and XSD level
    /// problems, which are answered at transport level, without a retour message,
    /// and for the rules on a JW325 (TR337, TR371, TR376), which is not answered.
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

    /// The verdict on bytes that could not be read as XML at all.
    pub fn unreadable(error: &crate::xml::ReadError) -> Report {
        Report {
            soort: None,
            findings: vec![level("XML", String::new(), 0, error.to_string())],
            bericht: None,
        }
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
    let failed = |soort, findings| Report {
        soort,
        findings,
        bericht: None,
    };
    let (soort, root) = match crate::schema_checked(bytes) {
        Ok(checked) => checked,
        Err(DecodeFailure::Read(e)) => return Report::unreadable(&e),
        Err(DecodeFailure::Root(e)) => {
            let element = match &e {
                crate::UnknownRoot::NotBericht(name) => name.clone(),
                _ => "Bericht".to_owned(),
            };
            return failed(None, vec![level("XML", element, 1, e.to_string())]);
        }
        Err(DecodeFailure::Schema { soort, findings }) => {
            let findings = findings
                .into_iter()
                .map(|f| level("XSD", f.path, f.line, f.message))
                .collect();
            return failed(Some(soort), findings);
        }
        Err(DecodeFailure::Value(e)) => {
            return failed(
                None,
                vec![level("XSD", e.element.clone(), e.line, e.to_string())],
            );
        }
    };
    let mut findings = rules::check_tree(&root);
    match Bericht::decode_root(soort, &root) {
        Ok(bericht) => {
            findings.extend(rules::check_typed(&bericht));
            findings.extend(crate::condities::check(&root, &bericht));
            Report {
                soort: Some(soort),
                findings,
                bericht: Some(bericht),
            }
        }
        Err(e) => {
            findings.push(level("XSD", e.element.clone(), e.line, e.to_string()));
            failed(Some(soort), findings)
        }
    }
}
