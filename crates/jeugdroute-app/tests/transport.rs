//! Messages across the edge of the installation, on SQLite always and on
//! PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the gemeente's link to
//! the GGk (envelopes written that validate with xmllint against the StUF-GGk
//! XSD, envelopes and routing errors read once), and plain files out.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests; a skip says so"
)]

use std::path::{Path, PathBuf};

use ijw::envelop::{self, Envelop, Partij, Versie, Verzending};
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::{App, GgkUitkomst, Kanaal, OutgoingMessage, Uitweg};
use jeugdroute_store::DatabaseUrl;

/// A provider outside the demo region.
const BUITEN: &str = "98991234";

/// The StUF-GGk envelope schema beside the checkout; `None` (a skip) without it,
/// a failure under `CI=true`.
fn envelope_schema() -> Option<PathBuf> {
    let xsd = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/ijw/xsd/stuf-ggk-envelope-2.1-patch04-v3/ggk0210/ggkberichten/ggk0210_msg_ggkberichten.xsd",
    );
    if xsd.exists() {
        return Some(xsd);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing, but CI=true",
        xsd.display()
    );
    eprintln!("{} not found: skipping the xmllint check", xsd.display());
    None
}

fn xmllint_valid(xsd: &Path, file: &Path) {
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A JW305 of provider `afzender` to gemeente 0307 about an allocation it does not
/// have: refused with TR019, answered with a JW306 to that provider.
fn start_van(afzender: &str, identificatie: &str) -> Vec<u8> {
    let Bericht::Jw305(mut start) = ijw::voorbeeld(Berichtsoort::Jw305) else {
        panic!("JW305")
    };
    start.header.afzender = afzender.into();
    start.header.bericht_identificatie.identificatie = identificatie.into();
    ijw::encode(&Bericht::Jw305(start)).into_bytes()
}

/// The JW305 as the GGk hands it over: in a Di01.
fn di01(payload: &[u8], referentienummer: &str) -> Vec<u8> {
    let zender = Partij {
        organisatie: BUITEN.into(),
        applicatie: "ECD van de aanbieder".into(),
        ..Partij::default()
    };
    let ontvanger = Partij {
        organisatie: "0307".into(),
        applicatie: "Jeugdroute".into(),
        ..Partij::default()
    };
    envelop::heenbericht(
        payload,
        &Verzending {
            functie: Berichtsoort::Jw305,
            zender: &zender,
            ontvanger: &ontvanger,
            applicatieversie: Versie::default(),
            referentienummer,
            tijdstip: chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        },
    )
    .unwrap()
    .into_bytes()
}

fn fo01(cross_refnummer: &str, code: &str) -> Vec<u8> {
    format!(
        "<StUF:Fo01Bericht xmlns:StUF=\"http://www.egem.nl/StUF/StUF0301\"><StUF:stuurgegevens>\
         <StUF:berichtcode>Fo01</StUF:berichtcode>\
         <StUF:zender><StUF:organisatie>IB</StUF:organisatie><StUF:applicatie>GGK</StUF:applicatie></StUF:zender>\
         <StUF:ontvanger><StUF:organisatie>0307</StUF:organisatie><StUF:applicatie>Jeugdroute</StUF:applicatie></StUF:ontvanger>\
         <StUF:referentienummer>5f0e8c1a-1b2c-4d3e-8f40-{code}0000000</StUF:referentienummer>\
         <StUF:tijdstipBericht>20261102100000</StUF:tijdstipBericht>\
         <StUF:crossRefnummer>{cross_refnummer}</StUF:crossRefnummer></StUF:stuurgegevens>\
         <StUF:body><StUF:code>{code}</StUF:code><StUF:plek>client</StUF:plek>\
         <StUF:omschrijving>Ontvangende organisatie onbekend</StUF:omschrijving></StUF:body></StUF:Fo01Bericht>"
    )
    .into_bytes()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    all
}

/// Gemeente 0307's JW301 to a provider outside the installation leaves in a
/// Di01, its JW306 on a start that came through the GGk in a Du01 naming that
/// start's Di01; a JW306 on a start that came otherwise is left for the folder.
/// Every envelope validates against the StUF-GGk XSD. The GGk's envelopes and
/// routing errors are read once, and a Fo01 lands on the message it names, shown
/// only to its gemeente.
async fn the_ggk_link_carries_envelopes_both_ways(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    app.berichten_afhandelen(None).await.unwrap();

    // A JW301 of 0307 to a provider outside the installation.
    let mut tx = app.store().begin().await.unwrap();
    let jw301 = tx
        .outbox_of(Some(&["0307".to_owned()]), None, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.message.berichtsoort == "JW301")
        .unwrap();
    let Bericht::Jw301(mut allocation) = ijw::decode(jw301.message.body.as_bytes()).unwrap() else {
        panic!("JW301")
    };
    allocation.header.ontvanger = BUITEN.into();
    allocation.header.bericht_identificatie.identificatie = "BUITEN1".into();
    let jw301_id = tx
        .enqueue_outbox(
            &OutgoingMessage {
                berichtsoort: "JW301".into(),
                sender: "0307".into(),
                receiver: BUITEN.into(),
                casus_id: jw301.message.casus_id,
                body: ijw::encode(&Bericht::Jw301(allocation)),
                identificatie: Some("BUITEN1".into()),
                answers_id: None,
            },
            app.now(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // A start through the GGk, read once; one through the API.
    let heen = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    let envelop = di01(&start_van(BUITEN, "G1"), heen);
    let gelezen = app
        .ggk_importeren(&[envelop.clone(), envelop, b"<geen envelop/>".to_vec()])
        .await
        .unwrap();
    assert!(matches!(gelezen[0], GgkUitkomst::Bericht(_)), "{gelezen:?}");
    assert_eq!(gelezen[1], GgkUitkomst::AlGelezen);
    assert!(
        matches!(gelezen[2], GgkUitkomst::Onleesbaar(_)),
        "{gelezen:?}"
    );
    app.bericht_ontvangen(Kanaal::Api, &start_van(BUITEN, "A1"))
        .await
        .unwrap();
    let done = app.berichten_afhandelen(None).await.unwrap();
    assert_eq!(done.verwerking.afgekeurd, 2, "{done:?}");

    let out = tempfile::tempdir().unwrap();
    let uitvoer = app
        .berichten_exporteren(Uitweg::Ggk, out.path())
        .await
        .unwrap();
    assert_eq!(uitvoer.geschreven, 2, "{uitvoer:?}");
    assert_eq!(uitvoer.overgeslagen.len(), 1, "{uitvoer:?}");
    assert!(
        uitvoer.overgeslagen[0].contains("kwam niet via het GGk binnen"),
        "{uitvoer:?}"
    );
    let written = files(out.path());
    assert_eq!(written.len(), 2, "{written:?}");
    let xsd = envelope_schema();
    let mut di01_ref = None;
    for file in &written {
        if let Some(xsd) = &xsd {
            xmllint_valid(xsd, file);
        }
        match envelop::lees(&std::fs::read(file).unwrap()).unwrap() {
            Envelop::Di01(e) => {
                assert_eq!(e.functie, "JW301");
                assert_eq!(e.ontvanger.organisatie, BUITEN);
                assert!(matches!(
                    ijw::decode(e.inhoud.bytes()),
                    Ok(Bericht::Jw301(_))
                ));
                di01_ref = Some(e.referentienummer);
            }
            Envelop::Du01(e) => {
                assert_eq!(e.functie, "JW306");
                assert_eq!(e.cross_refnummer.as_deref(), Some(heen));
            }
            Envelop::Fo01(_) => panic!("we write no Fo01"),
        }
    }
    assert_eq!(
        app.berichten_exporteren(Uitweg::Ggk, out.path())
            .await
            .unwrap()
            .geschreven,
        0,
        "sent once"
    );

    // The knooppunt refuses the JW301's envelope: kept with it, read once.
    let di01_ref = di01_ref.unwrap();
    let fout = fo01(&di01_ref, "IB010");
    let gelezen = app
        .ggk_importeren(std::slice::from_ref(&fout))
        .await
        .unwrap();
    assert_eq!(gelezen, [GgkUitkomst::Fout(Some(jw301_id))]);
    assert_eq!(
        app.ggk_importeren(&[fout]).await.unwrap(),
        [GgkUitkomst::AlGelezen]
    );
    let fouten = app
        .ggk_fouten(Some(&["0307".to_owned()]), None, 50)
        .await
        .unwrap();
    assert_eq!(fouten.len(), 1);
    assert_eq!(fouten[0].code, "IB010");
    assert!(fouten[0].betekenis.unwrap().contains("niet aangesloten"));
    assert_eq!(fouten[0].omschrijving, "Ontvangende organisatie onbekend");
    let bericht = fouten[0].bericht.as_ref().unwrap();
    assert_eq!(
        (bericht.outbox_id, bericht.identificatie.as_deref()),
        (jw301_id, Some("BUITEN1"))
    );
    // Another gemeente does not see it; a Fo01 on no envelope of ours only the beheerder.
    assert!(
        app.ggk_fouten(Some(&["0308".to_owned()]), None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    let vreemd = "1a2b3c4d-5e6f-4a7b-9c8d-0e1f2a3b4c5d";
    assert_eq!(
        app.ggk_importeren(&[fo01(vreemd, "IB005")]).await.unwrap(),
        [GgkUitkomst::Fout(None)]
    );
    assert_eq!(app.ggk_fouten(None, None, 50).await.unwrap().len(), 2);
    assert_eq!(
        app.ggk_fouten(Some(&["0307".to_owned()]), None, 50)
            .await
            .unwrap()
            .len(),
        1
    );

    // What the GGk cannot carry leaves by the folder, as it is, once.
    let plain = tempfile::tempdir().unwrap();
    let uitvoer = app
        .berichten_exporteren(Uitweg::Map, plain.path())
        .await
        .unwrap();
    assert_eq!(uitvoer.geschreven, 1, "{uitvoer:?}");
    let written = files(plain.path());
    let name = written[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("JW306_0307_R") && name.ends_with(".xml"),
        "{name}"
    );
    let Bericht::Jw306(retour) = ijw::decode(&std::fs::read(&written[0]).unwrap()).unwrap() else {
        panic!("JW306")
    };
    // A retour repeats the header of the message it answers.
    assert_eq!(
        (
            retour.header.afzender.as_str(),
            retour.header.bericht_identificatie.identificatie.as_str()
        ),
        (BUITEN, "A1")
    );
    assert_eq!(
        app.berichten_exporteren(Uitweg::Map, plain.path())
            .await
            .unwrap()
            .geschreven,
        0
    );
    app.close().await;
}

jeugdroute_store::backend_tests!(the_ggk_link_carries_envelopes_both_ways);
