//! `jeugdroute ijw …`: the iJw codec for people and scripts. `valideer` reads each
//! file, checks it at every level the `ijw` crate knows and prints the verdict,
//! readable or as JSON; `voorbeeld` prints a valid example of a message type.

use serde_json::json;

use crate::cli::{IjwArgs, IjwCommand, ValideerArgs};
use crate::config::ConfigError;
use crate::{Stop, say};

pub fn run(args: &IjwArgs) -> Result<(), Stop> {
    match &args.command {
        IjwCommand::Valideer(args) => valideer(args),
        IjwCommand::Voorbeeld { bericht } => {
            say(ijw::encode(&ijw::voorbeeld(*bericht)).trim_end());
            Ok(())
        }
    }
}

fn valideer(args: &ValideerArgs) -> Result<(), Stop> {
    // Every file must be readable before any verdict: a wrong path is a usage error.
    let files = args
        .files
        .iter()
        .map(|path| {
            std::fs::read(path)
                .map(|bytes| (path.display().to_string(), bytes))
                .map_err(|e| {
                    ConfigError(format!("{} kan niet gelezen worden: {e}", path.display()))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let reports: Vec<(String, ijw::Report)> = files
        .into_iter()
        .map(|(name, bytes)| (name, ijw::validate(&bytes)))
        .collect();
    if args.json {
        let objects: Vec<serde_json::Value> = reports
            .iter()
            .map(|(name, report)| as_json(name, report))
            .collect();
        match objects.as_slice() {
            [one] => say(one),
            _ => say(serde_json::Value::from(objects)),
        }
    } else {
        for (name, report) in &reports {
            say(as_text(name, report));
        }
    }
    if reports.iter().all(|(_, r)| r.is_valid()) {
        Ok(())
    } else {
        Err(Stop::Rejected)
    }
}

fn as_json(name: &str, report: &ijw::Report) -> serde_json::Value {
    let errors: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| json!({ "code": f.code, "regel": f.rule, "element": f.element, "melding": f.message }))
        .collect();
    json!({
        "bestand": name,
        "bericht": report.soort.map(|s| s.name()),
        "geldig": report.is_valid(),
        "fouten": errors,
    })
}

fn as_text(name: &str, report: &ijw::Report) -> String {
    let soort = report
        .soort
        .map_or("onbekend bericht".to_owned(), |s| s.name().to_owned());
    let verdict = if report.is_valid() {
        "geldig"
    } else {
        "ongeldig"
    };
    let mut text = format!("{name}: {verdict} ({soort})");
    for f in &report.findings {
        let code = f
            .code
            .map(|c| format!(", retourcode {c}"))
            .unwrap_or_default();
        let line = if f.line > 0 {
            format!("regel {}, ", f.line)
        } else {
            String::new()
        };
        let element = if f.element.is_empty() {
            String::new()
        } else {
            format!("{}: ", f.element)
        };
        text.push_str(&format!(
            "\n  - [{}{code}] {line}{element}{}",
            f.rule, f.message
        ));
    }
    text
}
