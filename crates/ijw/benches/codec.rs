//! Decode-and-validate and encode throughput per message type, on the crate's own
//! example of each message. Run with `cargo bench -p ijw`; figures go into
//! docs/benchmarks.md with the machine they were measured on.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ijw::Berichtsoort;

fn codec(c: &mut Criterion) {
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
