//! Decode-and-validate and encode throughput per message type, on the crate's own
//! example of each message. Run with `cargo bench -p ijw`; figures go into
//! docs/benchmarks.md with the machine they were measured on.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ijw::Berichtsoort;

fn codec(c: &mut Criterion) {
    // The steps of validate() for one message, to see where the time goes.
    let xml = ijw::encode(&ijw::voorbeeld(Berichtsoort::Jw301));
    let mut steps = c.benchmark_group("steps-JW301");
    steps.throughput(Throughput::Bytes(xml.len() as u64));
    // The floor: quick-xml's tokenizer alone, with namespaces resolved, building nothing.
    steps.bench_function("tokens", |b| {
        b.iter(|| {
            let mut reader = quick_xml::NsReader::from_str(std::hint::black_box(&xml));
            let mut events = 0usize;
            while !matches!(
                reader.read_resolved_event(),
                Ok((_, quick_xml::events::Event::Eof)) | Err(_)
            ) {
                events += 1;
            }
            events
        });
    });
    steps.bench_function("read", |b| {
        b.iter(|| ijw::xml::read(std::hint::black_box(xml.as_bytes())));
    });
    let root = ijw::xml::read(xml.as_bytes()).unwrap_or_default();
    steps.bench_function("schema", |b| {
        b.iter(|| ijw::schema::check(Berichtsoort::Jw301, std::hint::black_box(&root)));
    });
    steps.bench_function("decode", |b| {
        b.iter(|| ijw::decode(std::hint::black_box(xml.as_bytes())));
    });
    steps.finish();
    let mut validate = c.benchmark_group("validate");
    for soort in Berichtsoort::ALL {
        let xml = ijw::encode(&ijw::voorbeeld(soort));
        validate.throughput(Throughput::Bytes(xml.len() as u64));
        validate.bench_function(soort.name(), |b| {
            b.iter(|| ijw::validate(std::hint::black_box(xml.as_bytes())));
        });
    }
    validate.finish();
    let mut encode = c.benchmark_group("encode");
    for soort in Berichtsoort::ALL {
        let bericht = ijw::voorbeeld(soort);
        encode.bench_function(soort.name(), |b| {
            b.iter(|| ijw::encode(std::hint::black_box(&bericht)));
        });
    }
    encode.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
