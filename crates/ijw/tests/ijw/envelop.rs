//! The StUF-GGk envelope: what we write validates against the envelope schema of
//! `../shared/ijw/xsd`, the public example envelopes read as they are meant, and
//! whatever bytes come in give an answer in Dutch, never a panic.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use ijw::Berichtsoort;
use ijw::envelop::{
    self, Envelop, EnvelopFout, Foutplek, IJW_32, Inhoud, Partij, Versie, Verzending,
};
use proptest::prelude::*;

use crate::shared;

const REF: &str = "3f2b8c1e-7d4a-4b6e-9c2d-5a1e0f3b7c9d";
const CROSS: &str = "9c0f7b90-5c69-41e5-a837-0800200c9a66";

fn gemeente() -> Partij {
    Partij {
        organisatie: "0307".into(),
        applicatie: "Jeugdroute".into(),
        administratie: None,
        gebruiker: None,
    }
}

fn aanbieder() -> Partij {
    Partij {
        organisatie: "98990011".into(),
        applicatie: "GGk".into(),
        administratie: Some("jeugd".into()),
        gebruiker: Some("medewerker & co <1>".into()),
    }
}

fn tijdstip() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 29)
        .unwrap()
        .and_hms_opt(2, 30, 5)
        .unwrap()
}

fn verzending<'a>(
    functie: Berichtsoort,
    zender: &'a Partij,
    ontvanger: &'a Partij,
) -> Verzending<'a> {
    Verzending {
        functie,
        zender,
        ontvanger,
        applicatieversie: Versie {
            versie: 1,
            subversie: 12,
        },
        referentienummer: REF,
        tijdstip: tijdstip(),
    }
}

fn payload(soort: Berichtsoort) -> Vec<u8> {
    ijw::encode(&ijw::voorbeeld(soort)).into_bytes()
}

fn requests() -> impl Iterator<Item = Berichtsoort> {
    Berichtsoort::ALL
        .into_iter()
        .filter(|s| ijw::answer_to(*s).is_some())
}

fn retours() -> impl Iterator<Item = Berichtsoort> {
    Berichtsoort::ALL
        .into_iter()
        .filter(|s| ijw::answer_to(*s).is_none())
}

fn schema(shared: &Path) -> PathBuf {
    shared.join(
        "xsd/stuf-ggk-envelope-2.1-patch04-v3/ggk0210/ggkberichten/ggk0210_msg_ggkberichten.xsd",
    )
}

fn fo01_schema(shared: &Path) -> PathBuf {
    shared.join("xsd/stuf-ggk-envelope-2.1-patch04-v3/0301/stuf0301.xsd")
}

fn example(shared: &Path, name: &str) -> Vec<u8> {
    std::fs::read(shared.join("examples/envelope-stuf-ggk").join(name)).unwrap()
}

/// xmllint's verdict on each file: `true` when it validates against `xsd`.
fn xmllint_verdicts(xsd: &Path, files: &[PathBuf]) -> Vec<bool> {
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .args(files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            let valid = report.contains(&format!("{name} validates"));
            assert!(
                valid || report.contains(&name),
                "no verdict for {name}\n{report}"
            );
            valid
        })
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ijw-envelop-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_envelope_we_write_validates_against_the_envelope_schema() {
    let Some(shared) = shared() else { return };
    if !crate::xmllint() {
        return;
    }
    let dir = temp_dir("schema");
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    let mut files = Vec::new();
    for soort in requests() {
        let text = envelop::heenbericht(&payload(soort), &verzending(soort, &gemeente, &aanbieder))
            .unwrap();
        let path = dir.join(format!("di01-{soort}.xml"));
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    for soort in retours() {
        let text = envelop::retourbericht(
            &payload(soort),
            &verzending(soort, &aanbieder, &gemeente),
            CROSS,
        )
        .unwrap();
        let path = dir.join(format!("du01-{soort}.xml"));
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    assert_eq!(files.len(), 14);
    let verdicts = xmllint_verdicts(&schema(&shared), &files);
    let invalid: Vec<_> = files
        .iter()
        .zip(&verdicts)
        .filter(|(_, valid)| !**valid)
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(invalid.is_empty(), "xmllint refuses {invalid:?}");
    // The check itself can fail: a wrong referentienummer is refused by the schema.
    let broken = dir.join("broken.xml");
    let text = std::fs::read_to_string(&files[0])
        .unwrap()
        .replace(REF, CROSS.replace("41e5", "11e5").as_str());
    std::fs::write(&broken, text).unwrap();
    assert_eq!(xmllint_verdicts(&schema(&shared), &[broken]), vec![false]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_di01_carries_the_message_and_its_routing() {
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    let bericht = payload(Berichtsoort::Jw301);
    let text = envelop::heenbericht(
        &bericht,
        &verzending(Berichtsoort::Jw301, &gemeente, &aanbieder),
    )
    .unwrap();
    for expected in [
        "<StUF:berichtcode>Di01</StUF:berichtcode>",
        "<StUF:organisatie>0307</StUF:organisatie>",
        "<StUF:gebruiker>medewerker &amp; co &lt;1&gt;</StUF:gebruiker>",
        &format!("<StUF:referentienummer>{REF}</StUF:referentienummer>"),
        "<StUF:tijdstipBericht>20260329023005</StUF:tijdstipBericht>",
        "<StUF:functie>JW301</StUF:functie>",
        "<GGK:applicatieVersie>0001</GGK:applicatieVersie>",
        "<GGK:applicatieSubversie>0012</GGK:applicatieSubversie>",
        "<GGK:functieVersie>0003</GGK:functieVersie>",
        "<GGK:functieSubversie>0002</GGK:functieSubversie>",
    ] {
        assert!(text.contains(expected), "{expected} missing in\n{text}");
    }
    assert!(!text.contains("crossRefnummer"));
}

#[test]
fn what_we_write_reads_back_the_same() {
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    for soort in requests() {
        let bericht = payload(soort);
        let text =
            envelop::heenbericht(&bericht, &verzending(soort, &gemeente, &aanbieder)).unwrap();
        let Envelop::Di01(read) = envelop::lees(text.as_bytes()).unwrap() else {
            panic!("{soort}: not read as a Di01");
        };
        assert_eq!(read.inhoud, Inhoud::Xml(bericht));
        assert_eq!(read.berichtsoort(), Ok(soort));
        assert_eq!(
            (read.zender, read.ontvanger),
            (gemeente.clone(), aanbieder.clone())
        );
        assert_eq!(read.referentienummer, REF);
        assert_eq!(read.tijdstip, tijdstip());
        assert_eq!(read.cross_refnummer, None);
        assert_eq!(
            read.applicatieversie,
            Versie {
                versie: 1,
                subversie: 12
            }
        );
        assert_eq!(read.functieversie, IJW_32);
    }
    for soort in retours() {
        let bericht = payload(soort);
        let text =
            envelop::retourbericht(&bericht, &verzending(soort, &aanbieder, &gemeente), CROSS)
                .unwrap();
        let Envelop::Du01(read) = envelop::lees(text.as_bytes()).unwrap() else {
            panic!("{soort}: not read as a Du01");
        };
        assert_eq!(read.inhoud.bytes(), bericht.as_slice());
        assert_eq!(read.functie, soort.name());
        assert_eq!(read.cross_refnummer.as_deref(), Some(CROSS));
        assert_eq!(
            (read.zender, read.ontvanger),
            (aanbieder.clone(), gemeente.clone())
        );
    }
}

#[test]
fn the_public_example_envelopes_read_as_meant() {
    let Some(shared) = shared() else { return };
    let read = |name: &str| {
        envelop::lees(&example(&shared, name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };

    let Envelop::Di01(di01) = read("envelopHeenbericht-ggk_Di01_v21-xml.xml") else {
        panic!("not a Di01");
    };
    assert_eq!(
        di01.inhoud,
        Inhoud::Xml(b"Hier staat een iWmo/iJw-heenbericht.".to_vec())
    );
    assert_eq!(di01.functie, "WMO301");
    assert!(di01.berichtsoort().is_err(), "WMO301 is no iJw message");
    assert_eq!(
        (
            di01.zender.organisatie.as_str(),
            di01.zender.applicatie.as_str()
        ),
        ("0548", "Wmo Applicatie")
    );
    assert_eq!(
        (
            di01.ontvanger.organisatie.as_str(),
            di01.ontvanger.applicatie.as_str()
        ),
        ("01023456", "GGk")
    );
    assert_eq!(
        di01.referentienummer,
        "9c0f7b90-5c69-41e5-a837-0800200c9a66"
    );
    assert_eq!(
        di01.tijdstip,
        NaiveDate::from_ymd_opt(2016, 4, 21)
            .unwrap()
            .and_hms_opt(13, 25, 14)
            .unwrap()
    );
    assert_eq!(
        di01.applicatieversie,
        Versie {
            versie: 4,
            subversie: 3
        }
    );
    assert_eq!(
        di01.functieversie,
        Versie {
            versie: 2,
            subversie: 2
        }
    );

    let Envelop::Di01(tekst) = read("envelopHeenbericht-ggk_Di01_v21-tekst.xml") else {
        panic!("not a Di01");
    };
    assert_eq!(
        tekst.inhoud,
        Inhoud::Tekst {
            bestandsnaam: "AanleveringQ1.csv".into(),
            bytes: b"Hier staat een dummy-tekstbericht.".to_vec()
        }
    );

    let Envelop::Du01(du01) = read("envelopRetourbericht-ggk_Du01-v21.xml") else {
        panic!("not a Du01");
    };
    assert_eq!(
        du01.inhoud.bytes(),
        b"Hier staat een iWmo/iJw-retourbericht."
    );
    assert_eq!(du01.functie, "WMO302");
    assert_eq!(
        du01.referentienummer,
        "b6e9f182-bc44-4f27-9863-9a5ccc1e1cf0"
    );
    assert_eq!(
        du01.cross_refnummer.as_deref(),
        Some(di01.referentienummer.as_str())
    );

    let Envelop::Fo01(fo01) = read("Fo01.xml") else {
        panic!("not a Fo01");
    };
    assert_eq!(fo01.code, "IB210");
    assert_eq!(fo01.plek, Foutplek::Client);
    assert_eq!(
        fo01.omschrijving,
        "Ontvangende organisatie onbekend. Organisatie 99999"
    );
    assert_eq!(fo01.details.as_deref(), Some("JW315-00010004"));
    assert_eq!(fo01.cross_refnummer, "9c0f7b90-5c69-11e5-a837-0800200c9a66");
    assert_eq!(
        fo01.referentienummer,
        "78002f23-5bc5-4e3e-96ad-1d209d32a5d5"
    );
    assert_eq!(
        (
            fo01.zender.organisatie.as_str(),
            fo01.zender.applicatie.as_str()
        ),
        ("IB", "GGK")
    );
    assert_eq!(fo01.ontvanger.administratie.as_deref(), Some("test"));
    assert_eq!(fo01.ontvanger.gebruiker.as_deref(), Some("gebruiker1"));
    assert_eq!(
        fo01.betekenis(),
        None,
        "IB210 is not among the codes we know"
    );
    assert_eq!(
        envelop::betekenis("IB005"),
        Some("de gemeentecode is onbekend")
    );
}

fn fout(bytes: &[u8]) -> EnvelopFout {
    envelop::lees(bytes).unwrap_err()
}

/// A Di01 we wrote, with `from` replaced by `to`.
fn changed(from: &str, to: &str) -> Vec<u8> {
    let text = jw315_di01();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1).into_bytes()
}

/// The Di01 the gemeente writes around our JW315 example.
fn jw315_di01() -> String {
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    envelop::heenbericht(
        &payload(Berichtsoort::Jw315),
        &verzending(Berichtsoort::Jw315, &gemeente, &aanbieder),
    )
    .unwrap()
}

fn waarde_pad(error: &EnvelopFout) -> &str {
    match error {
        EnvelopFout::Waarde { pad, .. }
        | EnvelopFout::Ontbreekt { pad }
        | EnvelopFout::Onverwacht { pad, .. } => pad,
        other => panic!("not about an element: {other}"),
    }
}

#[test]
fn broken_envelopes_are_refused_naming_the_element() {
    // Not XML at all, or another document.
    assert!(matches!(fout(b"<a><b></a>"), EnvelopFout::Lezen(_)));
    assert!(matches!(fout(b""), EnvelopFout::Lezen(_)));
    let other = fout(&payload(Berichtsoort::Jw301));
    assert!(
        matches!(&other, EnvelopFout::GeenEnvelop { naam, .. } if naam == "Bericht"),
        "{other}"
    );
    assert!(other.to_string().contains("StUF-GGk-envelop"));

    // Wrong base64 in the payload.
    let e = fout(&changed("<GGK:xmlBestand>", "<GGK:xmlBestand>!"));
    assert_eq!(waarde_pad(&e), "parameters/bericht/xmlBestand");
    assert!(e.to_string().contains("geen geldige base64"), "{e}");
    let e = fout(&changed("</GGK:xmlBestand>", "A</GGK:xmlBestand>"));
    assert!(e.to_string().contains("base64"), "{e}");

    // The payload missing: no bericht, or an empty one.
    let without = jw315_di01();
    let start = without.find("    <GGK:bericht>").unwrap();
    let end = without.find("</GGK:bericht>\n").unwrap() + "</GGK:bericht>\n".len();
    let mut no_bericht = without.clone();
    no_bericht.replace_range(start..end, "");
    let e = fout(no_bericht.as_bytes());
    assert_eq!(
        e,
        EnvelopFout::Ontbreekt {
            pad: "parameters/bericht".into()
        }
    );
    assert_eq!(e.to_string(), "parameters/bericht: het element ontbreekt");
    let mut empty = without;
    empty.replace_range(start..end, "    <GGK:bericht></GGK:bericht>\n");
    assert_eq!(
        fout(empty.as_bytes()),
        EnvelopFout::Ontbreekt {
            pad: "parameters/bericht/xmlBestand".into()
        }
    );
    let mut blank = jw315_di01();
    let from = blank.find("<GGK:xmlBestand>").unwrap() + "<GGK:xmlBestand>".len();
    let to = blank.find("</GGK:xmlBestand>").unwrap();
    blank.replace_range(from..to, " \n\t ");
    assert_eq!(
        fout(blank.as_bytes()).to_string(),
        "parameters/bericht/xmlBestand: bevat geen bericht"
    );

    // Values the schema restricts.
    let e = fout(&changed(REF, &REF.to_uppercase()));
    assert_eq!(waarde_pad(&e), "stuurgegevens/referentienummer");
    assert!(e.to_string().contains("UUID versie 4"), "{e}");
    let e = fout(&changed("20260329023005", "20260229023005"));
    assert_eq!(waarde_pad(&e), "stuurgegevens/tijdstipBericht");
    let e = fout(&changed("<GGK:functieVersie>0003", "<GGK:functieVersie>3"));
    assert_eq!(waarde_pad(&e), "parameters/functieVersie");
    let e = fout(&changed("<StUF:applicatie>GGk", "<StUF:applicatie>G"));
    assert_eq!(waarde_pad(&e), "stuurgegevens/ontvanger/applicatie");
    assert!(e.to_string().contains("3 tot 50 tekens"), "{e}");
    let e = fout(&changed("<StUF:berichtcode>Di01", "<StUF:berichtcode>Du01"));
    assert_eq!(waarde_pad(&e), "stuurgegevens/berichtcode");

    // Structure: a missing, an extra, a misplaced element, one in another namespace.
    let e = fout(&changed("<StUF:functie>JW315</StUF:functie>", ""));
    assert_eq!(
        e,
        EnvelopFout::Ontbreekt {
            pad: "stuurgegevens/functie".into()
        }
    );
    let e = fout(&changed(
        "<StUF:functie>",
        "<StUF:crossRefnummer>x</StUF:crossRefnummer><StUF:functie>",
    ));
    assert_eq!(
        e.to_string(),
        "stuurgegevens: op de plaats van <functie> staat <crossRefnummer>"
    );
    let e = fout(&changed(
        "</GGK:parameters>",
        "<GGK:extra>x</GGK:extra></GGK:parameters>",
    ));
    assert_eq!(
        e,
        EnvelopFout::Onverwacht {
            pad: "parameters".into(),
            element: "extra".into()
        }
    );
    assert_eq!(e.to_string(), "parameters: element <extra> hoort hier niet");
    let e = fout(&changed(
        "<GGK:stuurgegevens>",
        "<GGK:stuurgegevens><StUF:zender><StUF:applicatie>abc</StUF:applicatie></StUF:zender>",
    ));
    assert_eq!(
        e.to_string(),
        "stuurgegevens: op de plaats van <berichtcode> staat <zender>"
    );
    let e = fout(&changed(
        "<StUF:functie>JW315</StUF:functie>",
        "<GGK:functie>JW315</GGK:functie>",
    ));
    assert!(e.to_string().contains("namespace"), "{e}");
}

#[test]
fn a_fo01_without_its_code_or_with_a_wrong_place_is_refused() {
    let fo01 = "<StUF:Fo01Bericht xmlns:StUF=\"http://www.egem.nl/StUF/StUF0301\"><StUF:stuurgegevens>\
        <StUF:berichtcode>Fo01</StUF:berichtcode><StUF:zender><StUF:applicatie>GGK</StUF:applicatie></StUF:zender>\
        <StUF:ontvanger><StUF:organisatie>0307</StUF:organisatie><StUF:applicatie>Jeugdroute</StUF:applicatie></StUF:ontvanger>\
        <StUF:referentienummer>r1</StUF:referentienummer><StUF:tijdstipBericht>2026032912000012</StUF:tijdstipBericht>\
        <StUF:crossRefnummer>r0</StUF:crossRefnummer></StUF:stuurgegevens><StUF:body>\
        <StUF:code>IB005</StUF:code><StUF:plek>server</StUF:plek><StUF:omschrijving>Onbekend</StUF:omschrijving>\
        </StUF:body></StUF:Fo01Bericht>";
    let Envelop::Fo01(read) = envelop::lees(fo01.as_bytes()).unwrap() else {
        panic!("not a Fo01");
    };
    assert_eq!(
        read.zender.organisatie, "",
        "a Fo01 may leave the organisation out"
    );
    assert_eq!(
        (read.code.as_str(), read.plek, read.details.as_deref()),
        ("IB005", Foutplek::Server, None)
    );
    assert_eq!(read.betekenis(), Some("de gemeentecode is onbekend"));
    assert_eq!(
        read.tijdstip,
        NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_milli_opt(12, 0, 0, 120)
            .unwrap()
    );
    let without_code = fo01.replace("<StUF:code>IB005</StUF:code>", "");
    let e = fout(without_code.as_bytes());
    assert_eq!(
        e,
        EnvelopFout::Ontbreekt {
            pad: "body/code".into()
        }
    );
    assert_eq!(e.to_string(), "body/code: het element ontbreekt");
    let e = fout(fo01.replace(">server<", ">ergens<").as_bytes());
    assert_eq!(waarde_pad(&e), "body/plek");
    let e = fout(fo01.replace(">IB005<", ">IB005123<").as_bytes());
    assert_eq!(waarde_pad(&e), "body/code");

    // A tijdstip may stop after the date, the hour, the minutes, the seconds or
    // any digit of the fraction; a half hour, a 13th month or a 61st second is no
    // moment.
    let day = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
    for (text, expected) in [
        ("20260329", day.and_hms_opt(0, 0, 0)),
        ("2026032914", day.and_hms_opt(14, 0, 0)),
        ("202603291405", day.and_hms_opt(14, 5, 0)),
        ("20260329140559", day.and_hms_opt(14, 5, 59)),
        ("202603291405591", day.and_hms_milli_opt(14, 5, 59, 100)),
        ("20260329140559007", day.and_hms_milli_opt(14, 5, 59, 7)),
        ("202603291", None),
        ("20261329", None),
        ("20260329140561", None),
        ("20260329240000", None),
        ("2026032914055900", day.and_hms_milli_opt(14, 5, 59, 0)),
    ] {
        let doc = fo01.replace("2026032912000012", text);
        match (envelop::lees(doc.as_bytes()), expected) {
            (Ok(Envelop::Fo01(read)), Some(at)) => assert_eq!(read.tijdstip, at, "{text}"),
            (Err(e), None) => assert_eq!(waarde_pad(&e), "stuurgegevens/tijdstipBericht"),
            (other, _) => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn giant_and_deep_input_is_refused_without_panic() {
    let big = vec![b' '; ijw::xml::MAX_INPUT_BYTES + 1];
    assert!(matches!(
        fout(&big),
        EnvelopFout::Lezen(ijw::xml::ReadError::TooLarge(_))
    ));
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    assert!(matches!(
        fout(deep.as_bytes()),
        EnvelopFout::Lezen(ijw::xml::ReadError::TooDeep { .. })
    ));
    // Deep inside an element of the envelope, too.
    let nested = changed(
        "<GGK:xmlBestand>",
        &format!(
            "<GGK:xmlBestand>{}{}",
            "<x>".repeat(100),
            "</x>".repeat(100)
        ),
    );
    assert!(matches!(
        fout(&nested),
        EnvelopFout::Lezen(ijw::xml::ReadError::TooDeep { .. })
    ));
    // A payload whose envelope would pass 25 MB is refused before it is sent.
    let namespace = Berichtsoort::Jw301.namespace();
    let huge = format!(
        "<Bericht xmlns=\"{namespace}\"><!--{}--></Bericht>",
        "x".repeat(19 * 1024 * 1024 + 512 * 1024)
    );
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    let e = envelop::heenbericht(
        huge.as_bytes(),
        &verzending(Berichtsoort::Jw301, &gemeente, &aanbieder),
    )
    .unwrap_err();
    assert!(
        matches!(e, EnvelopFout::TeGroot(n) if n > ijw::xml::MAX_INPUT_BYTES),
        "{e}"
    );
    assert!(e.to_string().contains("25 MB"));
}

#[test]
fn what_cannot_be_sent_is_refused_when_writing() {
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    let jw301 = payload(Berichtsoort::Jw301);
    let base = verzending(Berichtsoort::Jw301, &gemeente, &aanbieder);
    let refused = |v: &Verzending<'_>| envelop::heenbericht(&jw301, v).unwrap_err();

    for wrong in [
        "9C0F7B90-5C69-41E5-A837-0800200C9A66", // upper case
        "9c0f7b90-5c69-11e5-a837-0800200c9a66", // version 1
        "9c0f7b90-5c69-41e5-c837-0800200c9a66", // wrong variant
        "9c0f7b905c6941e5a8370800200c9a66",
        "",
    ] {
        let e = refused(&Verzending {
            referentienummer: wrong,
            ..base
        });
        assert_eq!(waarde_pad(&e), "stuurgegevens/referentienummer", "{wrong}");
    }
    let e = refused(&Verzending {
        functie: Berichtsoort::Jw315,
        ..base
    });
    assert!(matches!(e, EnvelopFout::Inhoud { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "het bericht in de envelop is geen JW315: het is een JW301"
    );
    let e = envelop::heenbericht(b"geen xml", &base).unwrap_err();
    assert!(matches!(e, EnvelopFout::Inhoud { .. }), "{e}");

    let kort = Partij {
        applicatie: "GG".into(),
        ..aanbieder.clone()
    };
    let e = refused(&Verzending {
        ontvanger: &kort,
        ..base
    });
    assert_eq!(
        e.to_string(),
        "stuurgegevens/ontvanger/applicatie: moet 3 tot 50 tekens lang zijn, niet 2"
    );
    let leeg = Partij {
        organisatie: String::new(),
        ..gemeente.clone()
    };
    let e = refused(&Verzending {
        zender: &leeg,
        ..base
    });
    assert_eq!(waarde_pad(&e), "stuurgegevens/zender/organisatie");
    let stuurteken = Partij {
        gebruiker: Some("a\u{7}b".into()),
        ..gemeente.clone()
    };
    let e = refused(&Verzending {
        zender: &stuurteken,
        ..base
    });
    assert_eq!(waarde_pad(&e), "stuurgegevens/zender/gebruiker");
    let e = refused(&Verzending {
        applicatieversie: Versie {
            versie: 10_000,
            subversie: 0,
        },
        ..base
    });
    assert_eq!(waarde_pad(&e), "parameters/applicatieVersie");
    let e = refused(&Verzending {
        tijdstip: NaiveDate::from_ymd_opt(10_000, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
        ..base
    });
    assert_eq!(waarde_pad(&e), "stuurgegevens/tijdstipBericht");

    // A request goes in a Di01, its answer in a Du01.
    let jw302 = payload(Berichtsoort::Jw302);
    let e = envelop::heenbericht(
        &jw302,
        &Verzending {
            functie: Berichtsoort::Jw302,
            ..base
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            EnvelopFout::Functie {
                berichtcode: "Di01",
                ..
            }
        ),
        "{e}"
    );
    let e = envelop::retourbericht(&jw301, &base, CROSS).unwrap_err();
    assert!(
        matches!(
            e,
            EnvelopFout::Functie {
                berichtcode: "Du01",
                ..
            }
        ),
        "{e}"
    );
    let e = envelop::retourbericht(
        &jw302,
        &Verzending {
            functie: Berichtsoort::Jw302,
            ..base
        },
        "r0",
    )
    .unwrap_err();
    assert_eq!(waarde_pad(&e), "stuurgegevens/crossRefnummer");
}

/// Every way the agreement test changes an envelope: each element removed or
/// doubled, each leaf's text replaced by something suspicious.
fn mutants(root: &ijw::xml::Element) -> Vec<ijw::xml::Element> {
    fn paths(element: &ijw::xml::Element, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        for (i, child) in element.children.iter().enumerate() {
            here.push(i);
            out.push(here.clone());
            paths(child, here, out);
            here.pop();
        }
    }
    fn at<'a>(root: &'a mut ijw::xml::Element, path: &[usize]) -> &'a mut ijw::xml::Element {
        path.iter().fold(root, |e, i| &mut e.children[*i])
    }
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let mut out = Vec::new();
    for path in all {
        let (last, parent) = path.split_last().unwrap();
        let mut removed = root.clone();
        at(&mut removed, parent).children.remove(*last);
        out.push(removed);
        let mut doubled = root.clone();
        let copy = at(&mut doubled, &path).clone();
        at(&mut doubled, parent).children.insert(*last, copy);
        out.push(doubled);
        let mut target = root.clone();
        if at(&mut target, &path).children.is_empty() {
            let original = at(&mut target, &path).text.clone();
            for value in [
                "x".to_owned(),
                "0001".to_owned(),
                "client".to_owned(),
                "AAAA".to_owned(),
                "A===".to_owned(),
                format!(" {original}"),
                format!("{original}0"),
                format!("{original}000"),
                original.chars().skip(1).collect(),
                format!("{original}{}", "9".repeat(200)),
            ] {
                let mut changed = root.clone();
                at(&mut changed, &path).text = value;
                out.push(changed);
            }
        }
    }
    out
}

/// Writes an element tree with the attributes it has (ijw::xml::write leaves
/// them out) and the prefixes the examples use.
fn write(element: &ijw::xml::Element, out: &mut String, root: bool) {
    let prefix = match element.namespace.as_str() {
        envelop::GGK_NAMESPACE => "GGK:",
        envelop::STUF_NAMESPACE => "StUF:",
        _ => "",
    };
    out.push_str(&format!("<{prefix}{}", element.name));
    if root {
        out.push_str(&format!(
            " xmlns:GGK=\"{}\" xmlns:StUF=\"{}\"",
            envelop::GGK_NAMESPACE,
            envelop::STUF_NAMESPACE
        ));
    }
    for (name, value) in &element.attributes {
        out.push_str(&format!(
            " {name}=\"{}\"",
            value
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
        ));
    }
    out.push('>');
    out.push_str(&element.text.replace('&', "&amp;").replace('<', "&lt;"));
    for child in &element.children {
        write(child, out, false);
    }
    out.push_str(&format!("</{prefix}{}>", element.name));
}

/// The reader agrees with xmllint and the envelope schema on the examples, on
/// what we write, and on every mutant of them — except where the reader is
/// knowingly stricter than the schema (see `stricter`).
#[test]
fn the_reader_agrees_with_the_envelope_schema_on_mutants() {
    let Some(shared) = shared() else { return };
    if !crate::xmllint() {
        return;
    }
    let (gemeente, aanbieder) = (gemeente(), aanbieder());
    let mut originals = vec![
        example(&shared, "envelopHeenbericht-ggk_Di01_v21-xml.xml"),
        example(&shared, "envelopHeenbericht-ggk_Di01_v21-tekst.xml"),
        example(&shared, "envelopRetourbericht-ggk_Du01-v21.xml"),
        example(&shared, "Fo01.xml"),
    ];
    originals.push(
        envelop::retourbericht(
            &payload(Berichtsoort::Jw306),
            &verzending(Berichtsoort::Jw306, &gemeente, &aanbieder),
            CROSS,
        )
        .unwrap()
        .into_bytes(),
    );
    let dir = temp_dir("mutants");
    let (mut envelopes, mut errors) = (Vec::new(), Vec::new());
    for (n, original) in originals.iter().enumerate() {
        let root = ijw::xml::read(original).unwrap();
        let mut docs = vec![original.clone()];
        for mutant in mutants(&root) {
            let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            write(&mutant, &mut text, true);
            docs.push(text.into_bytes());
        }
        for (i, doc) in docs.into_iter().enumerate() {
            let path = dir.join(format!("e{n}-{i:04}.xml"));
            std::fs::write(&path, &doc).unwrap();
            if root.name == "Fo01Bericht" {
                errors.push((path, doc));
            } else {
                envelopes.push((path, doc));
            }
        }
    }
    let (mut checked, mut valid) = (0, 0);
    let mut disagreements = Vec::new();
    for (xsd, docs) in [
        (schema(&shared), &envelopes),
        (fo01_schema(&shared), &errors),
    ] {
        let paths: Vec<PathBuf> = docs.iter().map(|(p, _)| p.clone()).collect();
        let verdicts = xmllint_verdicts(&xsd, &paths);
        for ((path, doc), lint) in docs.iter().zip(verdicts) {
            let ours = envelop::lees(doc);
            checked += 1;
            valid += usize::from(lint);
            if lint != ours.is_ok() && !stricter(&ours) {
                let ours = ours.map_or_else(|e| e.to_string(), |_| "gelezen".to_owned());
                disagreements.push(format!("{}: xmllint {lint}, lees: {ours}", path.display()));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        disagreements.is_empty(),
        "{} disagreements, e.g.\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        valid > 200 && checked - valid > 400,
        "{checked} documents, {valid} valid"
    );
}

/// Where the reader refuses what the schema lets through, on purpose: a
/// tijdstip that is no real moment, and an empty payload.
fn stricter(ours: &Result<Envelop, EnvelopFout>) -> bool {
    matches!(ours, Err(EnvelopFout::Waarde { pad, melding })
        if pad.ends_with("tijdstipBericht") || melding == "bevat geen bericht")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Arbitrary bytes: an answer, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = envelop::lees(&bytes);
    }

    /// An envelope with a few bytes changed, removed or inserted: never a panic,
    /// and an error message that says something.
    #[test]
    fn mutated_envelopes_never_panic(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut bytes = jw315_di01().into_bytes();
        for (at, byte, kind) in edits {
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        if let Err(e) = envelop::lees(&bytes) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    /// Any moment and any UUID v4 come back as they went in.
    #[test]
    fn tijdstip_and_reference_round_trip(
        seconds in 0i64..4_000_000_000,
        hex in "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
    ) {
        let (gemeente, aanbieder) = (gemeente(), aanbieder());
        let at = chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc();
        let v = Verzending { referentienummer: &hex, tijdstip: at, ..verzending(Berichtsoort::Jw319, &gemeente, &aanbieder) };
        let text = envelop::heenbericht(&payload(Berichtsoort::Jw319), &v).unwrap();
        let Envelop::Di01(read) = envelop::lees(text.as_bytes()).unwrap() else { panic!("no Di01") };
        prop_assert_eq!(read.tijdstip, at);
        prop_assert_eq!(read.referentienummer, hex);
    }
}
