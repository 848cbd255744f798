//! One step of `validate()` repeated, for timing by CPU time rather than wall time
//! on a busy machine (see docs/benchmarks.md):
//!   cargo build --release -p ijw --example steps
//!   perf stat -e task-clock target/release/examples/steps read 20000
//! Steps: `tokens` (quick-xml alone), `read`, `schema`, `decode`, `validate`; on
//! the crate's own JW301 example.

use std::io::Write;

use ijw::Berichtsoort;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let step = args.next().unwrap_or_else(|| "validate".to_owned());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let xml = ijw::encode(&ijw::voorbeeld(Berichtsoort::Jw301));
    let root = ijw::xml::read(xml.as_bytes()).unwrap_or_default();
    let mut sink = 0usize;
    for _ in 0..times {
        sink += match step.as_str() {
            "tokens" => {
                let mut reader = quick_xml::NsReader::from_str(std::hint::black_box(&xml));
                let mut events = 0;
                while !matches!(
                    reader.read_resolved_event(),
                    Ok((_, quick_xml::events::Event::Eof)) | Err(_)
                ) {
                    events += 1;
                }
                events
            }
            "read" => ijw::xml::read(std::hint::black_box(xml.as_bytes()))
                .map_or(0, |root| root.children.len()),
            "schema" => ijw::schema::check(Berichtsoort::Jw301, std::hint::black_box(&root)).len(),
            "decode" => usize::from(ijw::decode(std::hint::black_box(xml.as_bytes())).is_ok()),
            "validate" => ijw::validate(std::hint::black_box(xml.as_bytes()))
                .findings
                .len(),
            other => {
                writeln!(
                    std::io::stderr(),
                    "onbekende stap '{other}': tokens, read, schema, decode of validate"
                )?;
                std::process::exit(2);
            }
        };
    }
    // Printed, so that the work cannot be left out.
    writeln!(std::io::stdout(), "{sink}")
}
