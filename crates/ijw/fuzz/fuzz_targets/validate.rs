//! Any bytes through every level of the codec. Besides "never panic" it checks
//! the strongest property the codec has: whatever decodes, encodes to a message
//! that decodes to the same value again, and can be answered with a retour.
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
    }
});
