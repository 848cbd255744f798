//! Any bytes through every level of the codec. Besides "never panic" it checks
//! the strongest property the codec has: whatever decodes, encodes to a message
//! that decodes to the same value again, and can be answered with a retour. What
//! decodes is also judged against an empty history and against a history that
//! already holds the message's own allocations, so the rules across messages run
//! on every shape of message the fuzzer finds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = ijw::validate(data);
    if let Some(bericht) = report.bericht {
        let xml = ijw::encode(&bericht);
        let again = ijw::validate(xml.as_bytes());
        assert_eq!(again.bericht.as_ref(), Some(&bericht), "decode(encode(x)) == x");
        let id = ijw::RetourId {
            identificatie: "FUZZ",
            dagtekening: chrono::NaiveDate::MIN,
        };
        if let Ok(retour) = ijw::retour(&bericht, &report.findings, id) {
            let _ = ijw::encode(&retour);
        }
        let _ = ijw::check_against(&bericht, &ijw::History::default());
        let _ = ijw::check_against(&bericht, &own_allocations(&bericht));
    }
});

/// A history holding the allocations a JW301 names (for any other message: none),
/// each as a generic allocation of the message's client.
fn own_allocations(bericht: &ijw::Bericht) -> ijw::History {
    let ijw::Bericht::Jw301(b) = bericht else {
        return ijw::History::default();
    };
    let products = &b.client.toegewezen_producten.toegewezen_product;
    ijw::History {
        allocations: products
            .iter()
            .map(|p| ijw::KnownAllocation {
                bsn: b.client.bsn.clone(),
                toewijzing_nummer: p.toewijzing_nummer,
                ingangsdatum: p.ingangsdatum,
                einddatum: p.einddatum,
                ..ijw::KnownAllocation::default()
            })
            .collect(),
        ..ijw::History::default()
    }
}
