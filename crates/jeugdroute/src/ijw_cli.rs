//! `jeugdroute ijw …`: the iJw codec for people and scripts. `valideer` reads each
//! file, checks it at every level the `ijw` crate knows and prints the verdict,
//! readable or as JSON; `retour` writes the answer to a message; `voorbeeld`
//! prints a valid example of a message type.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use crate::cli::{IjwArgs, IjwCommand, RetourArgs, ValideerArgs};
use crate::config::ConfigError;
use crate::{Stop, say};

pub fn run(args: &IjwArgs) -> Result<(), Stop> {
    match &args.command {
        IjwCommand::Valideer(args) => valideer(args),
        IjwCommand::Retour(args) => retour(args),
        IjwCommand::Voorbeeld { bericht } => {
            say(ijw::encode(&ijw::voorbeeld(*bericht)).trim_end());
            Ok(())
        }
    }
}

fn valideer(args: &ValideerArgs) -> Result<(), Stop> {
    let verdicts = validate_all(&args.files, args.json)?;
    let valid = verdicts.iter().all(|v| v.valid);
    if args.json {
        let mut objects: Vec<serde_json::Value> =
            verdicts.into_iter().filter_map(|v| v.json).collect();
        match objects.len() {
            1 => say(objects.swap_remove(0)),
            _ => say(serde_json::Value::from(objects)),
        }
    } else {
        // One write for all files: thousands of lines, not thousands of system calls.
        let text: Vec<String> = verdicts.into_iter().filter_map(|v| v.text).collect();
        say(text.join("\n"));
    }
    if valid { Ok(()) } else { Err(Stop::Rejected) }
}

/// What `valideer` keeps of one file: its verdict, rendered as asked. The report
/// itself (with the decoded message) is dropped at once, so a batch of thousands
/// of files holds only their verdicts.
struct Verdict {
    valid: bool,
    json: Option<serde_json::Value>,
    text: Option<String>,
}

fn verdict(path: &Path, json: bool, buffer: &mut Vec<u8>) -> Result<Verdict, ConfigError> {
    let report = report_in(path, buffer)?;
    let name = path.display().to_string();
    Ok(Verdict {
        valid: report.is_valid(),
        json: json.then(|| as_json(&name, &report)),
        text: (!json).then(|| as_text(&name, &report)),
    })
}

/// The verdict on the file at `path`, or a usage error when it cannot be read.
fn report_of(path: &Path) -> Result<ijw::Report, ConfigError> {
    report_in(path, &mut Vec::new())
}

/// As [`report_of`], reading the file into `buffer`: a worker reuses one buffer
/// for all its files instead of allocating and freeing one per file.
fn report_in(path: &Path, buffer: &mut Vec<u8>) -> Result<ijw::Report, ConfigError> {
    let unreadable =
        |e: std::io::Error| ConfigError(format!("{} kan niet gelezen worden: {e}", path.display()));
    Ok(match read_message(path, buffer).map_err(unreadable)? {
        Ok(()) => ijw::validate(buffer),
        Err(size) => ijw::Report::unreadable(&ijw::xml::ReadError::TooLarge(size)),
    })
}

/// What a read buffer starts with: more than nearly every message holds.
const START_CAPACITY: usize = 64 * 1024;

/// Reads the file into `bytes`, or gives its size when it is larger than a message
/// may be (iJw OP179). The read is bounded: a larger file (or one that grows
/// meanwhile, or a pipe) is refused after the limit and one byte, and only then is
/// its size asked for, to be told. A worker reuses its buffer, so after the first
/// file a message is read in one system call and its end seen in a second, with
/// no call for its size: a batch of thousands of small files spends a fifth less
/// time in the kernel.
pub(crate) fn read_message(path: &Path, bytes: &mut Vec<u8>) -> std::io::Result<Result<(), usize>> {
    let max = ijw::xml::MAX_INPUT_BYTES;
    let limit = u64::try_from(max).unwrap_or(u64::MAX);
    let file = std::fs::File::open(path)?;
    bytes.clear();
    // Room for a usual message at once, so that the first file (and the only one
    // of `retour` or a single-file run) is not read through a doubling buffer.
    bytes.reserve(START_CAPACITY);
    (&file).take(limit + 1).read_to_end(bytes)?;
    if bytes.len() <= max {
        return Ok(Ok(()));
    }
    let size = file.metadata().map_or(0, |m| m.len()).max(limit + 1);
    Ok(Err(usize::try_from(size).unwrap_or(usize::MAX)))
}

/// Reads and validates on every core: files are independent, and a region's daily
/// batch can be thousands of messages. Each worker takes the next file not yet
/// taken, so a core slowed by other work takes fewer. The order of the answers is
/// the order of the files. Nothing is printed until every file is done, so an
/// unreadable file (a usage error) stops the command without any verdict, and the
/// error told is that of the first such file.
fn validate_all(files: &[PathBuf], json: bool) -> Result<Vec<Verdict>, ConfigError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut buffer = Vec::new();
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = files.get(index) else {
                return done;
            };
            done.push((index, verdict(path, json, &mut buffer)));
        }
    };
    let taken = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut taken = work();
        // validate() never panics; should it ever, the panic goes on rather than a file going missing.
        for helper in helpers {
            taken.extend(
                helper
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        taken
    });
    let mut verdicts: Vec<Option<Result<Verdict, ConfigError>>> =
        std::iter::repeat_with(|| None).take(files.len()).collect();
    for (index, verdict) in taken {
        if let Some(slot) = verdicts.get_mut(index) {
            *slot = Some(verdict);
        }
    }
    verdicts.into_iter().flatten().collect()
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

fn retour(args: &RetourArgs) -> Result<(), Stop> {
    let report = report_of(&args.file)?;
    let Some(request) = &report.bericht else {
        // Rule: iJw §8.2 — an XML or XSD failure is answered at transport level,
        // without a retour message.
        say(as_text(&args.file.display().to_string(), &report));
        say(
            "Geen retourbericht: dit bericht faalt op XML- of XSD-niveau; dat meldt het transport aan de afzender.",
        );
        return Err(Stop::Rejected);
    };
    // Rule: issue 11 point 8 — what is sent is dated in Dutch local time, whatever
    // the machine's time zone.
    let now = jeugdroute_domain::amsterdam(chrono::Utc::now());
    let identificatie = args
        .identificatie
        .clone()
        .unwrap_or_else(|| now.format("%y%m%d%H%M%S").to_string());
    let id = ijw::RetourId {
        identificatie: &identificatie,
        dagtekening: now.date_naive(),
    };
    let retour =
        ijw::retour(request, &report.findings, id).map_err(|e| ConfigError(e.to_string()))?;
    let xml = ijw::encode(&retour);
    // What we write must itself pass every check, e.g. an over-long --identificatie.
    let check = ijw::validate(xml.as_bytes());
    if !check.is_valid() {
        let reasons: Vec<String> = check
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.element, f.message))
            .collect();
        return Err(ConfigError(format!(
            "het retourbericht zou ongeldig zijn: {}",
            reasons.join("; ")
        ))
        .into());
    }
    match &args.output {
        Some(path) => std::fs::write(path, &xml)
            .map_err(|e| Stop::Failed(anyhow::anyhow!("{} schrijven: {e}", path.display())))?,
        None => say(xml.trim_end()),
    }
    Ok(())
}
