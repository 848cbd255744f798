//! A provider's queries read the part of its exchange a message or page concerns
//! ([`Deel`]), never the whole of it and never another provider's or gemeente's,
//! on every backend: SQLite always, PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL`
//! is set (CI sets it).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use jeugdroute_domain::{Aanbieder, AgbCode};
use jeugdroute_store::{
    AanbiederPrestatie, DatabaseUrl, Deel, NewAanbiederBericht, NewIncoming, OntvangenAntwoord,
    OntvangenToewijzing, OutgoingMessage, Store, Tx,
};

const AGB: &str = "98000001";
const ANDERE: &str = "98000002";
const GEMEENTE: &str = "0342";
const ELDERS: &str = "0307";
const CLIENT: &str = "999993653";
const BUUR: &str = "999990019";

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}

fn versie(agb: &str, gemeente: &str, nummer: i64, bsn: &str, inbox_id: i64) -> OntvangenToewijzing {
    OntvangenToewijzing {
        id: 0,
        aanbieder_agb: agb.into(),
        gemeente_code: gemeente.into(),
        toewijzing_nummer: nummer,
        bsn: bsn.into(),
        naam: "J. Jansen".into(),
        geboortedatum: NaiveDate::from_ymd_opt(2014, 3, 1).unwrap(),
        product_categorie: Some("45".into()),
        product_code: Some("45A48".into()),
        toewijzingsdatum: date(2),
        toewijzingstijd: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        ingangsdatum: date(2),
        einddatum: None,
        reden_wijziging: None,
        volume: None,
        eenheid: None,
        frequentie: None,
        budget: Some(10_000),
        referentie_aanbieder: None,
        inbox_id,
    }
}

fn prestatie(
    bericht_id: i64,
    nummer: i64,
    referentie: &str,
    vorig: Option<&str>,
) -> AanbiederPrestatie {
    AanbiederPrestatie {
        id: 0,
        bericht_id,
        aanbieder_agb: AGB.into(),
        bsn: CLIENT.into(),
        referentie_nummer: referentie.into(),
        vorig_referentie_nummer: vorig.map(str::to_owned),
        toewijzing_nummer: nummer,
        product_categorie: "45".into(),
        product_code: "45A48".into(),
        begindatum: date(1),
        einddatum: date(30),
        geleverd_volume: 1,
        eenheid: "83".into(),
        product_tarief: None,
        bedrag: 10_000,
        credit: i64::from(vorig.is_some()),
        status: "ingediend".into(),
        retour_codes: None,
    }
}

/// A message of the provider to `gemeente`, about `bsn` and allocation `nummer`.
async fn bericht(
    tx: &mut Tx,
    (gemeente, soort, volgnummer): (&str, &str, i64),
    (bsn, nummer, referentie): (Option<&str>, Option<i64>, Option<&str>),
) -> i64 {
    let at = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
    let identificatie = format!("{soort}-{volgnummer}");
    let outbox_id = tx
        .enqueue_outbox(
            &OutgoingMessage {
                berichtsoort: soort.into(),
                sender: AGB.into(),
                receiver: gemeente.into(),
                casus_id: None,
                body: "<Bericht/>".into(),
                identificatie: Some(identificatie.clone()),
                answers_id: None,
            },
            at,
        )
        .await
        .unwrap();
    tx.insert_aanbieder_bericht(
        &NewAanbiederBericht {
            aanbieder_agb: AGB,
            gemeente_code: gemeente,
            berichtsoort: soort,
            volgnummer,
            identificatie: &identificatie,
            toewijzing_nummer: nummer,
            bsn,
            referentie_aanbieder: referentie,
            declaratie_nummer: None,
            ingediend_bedrag: None,
            verwijdert_id: None,
            outbox_id,
        },
        at,
    )
    .await
    .unwrap()
}

async fn parts(url: &DatabaseUrl) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    for (agb, name) in [(AGB, "De Linde"), (ANDERE, "Het Anker")] {
        let aanbieder = Aanbieder {
            agb: AgbCode::parse(agb).unwrap(),
            name: name.into(),
            city: "Baarn".into(),
        };
        tx.insert_aanbieder(&aanbieder).await.unwrap();
    }
    let inbox_id = tx
        .receive(
            &NewIncoming {
                channel: "api",
                body: b"<Bericht/>",
                digest: &[7; 32],
                berichtsoort: Some("JW301"),
                sender: Some(GEMEENTE),
                receiver: Some(AGB),
                identificatie: Some("T1"),
            },
            at,
        )
        .await
        .unwrap();

    // The client's allocations 1..=1,201, one of the neighbour's (2,000, with a
    // request's reference), and the client's under another gemeente and with
    // another provider.
    for nummer in 1..=1_201 {
        let v = versie(AGB, GEMEENTE, nummer, CLIENT, inbox_id);
        tx.insert_ontvangen_toewijzing(&v, at).await.unwrap();
    }
    let mut buur = versie(AGB, GEMEENTE, 2_000, BUUR, inbox_id);
    buur.referentie_aanbieder = Some("VOT-1".into());
    tx.insert_ontvangen_toewijzing(&buur, at).await.unwrap();
    for (agb, gemeente) in [(AGB, ELDERS), (ANDERE, GEMEENTE)] {
        let v = versie(agb, gemeente, 1, CLIENT, inbox_id);
        tx.insert_ontvangen_toewijzing(&v, at).await.unwrap();
    }

    let nummers = |versies: &[OntvangenToewijzing]| {
        versies
            .iter()
            .map(|v| v.toewijzing_nummer)
            .collect::<Vec<_>>()
    };
    let of_client = tx
        .ontvangen_toewijzingen(AGB, GEMEENTE, &Deel::client(CLIENT))
        .await
        .unwrap();
    assert_eq!(nummers(&of_client), (1..=1_201).collect::<Vec<_>>());
    assert!(
        of_client
            .iter()
            .all(|v| v.aanbieder_agb == AGB && v.gemeente_code == GEMEENTE)
    );
    // Numbers beyond one statement's share come back all, once, in order.
    let many = Deel {
        nummers: (1..=1_201).rev().chain([2_000, 5, 5]).collect(),
        ..Deel::default()
    };
    let found = tx
        .ontvangen_toewijzingen(AGB, GEMEENTE, &many)
        .await
        .unwrap();
    assert_eq!(
        nummers(&found),
        (1..=1_201).chain([2_000]).collect::<Vec<_>>()
    );
    let by_reference = Deel {
        referenties: vec!["VOT-1"],
        ..Deel::default()
    };
    let found = tx
        .ontvangen_toewijzingen(AGB, GEMEENTE, &by_reference)
        .await
        .unwrap();
    assert_eq!(nummers(&found), [2_000]);
    // Nothing asked, nothing read; another provider's or gemeente's never.
    assert!(
        tx.ontvangen_toewijzingen(AGB, GEMEENTE, &Deel::default())
            .await
            .unwrap()
            .is_empty()
    );
    let elders = tx
        .ontvangen_toewijzingen(AGB, ELDERS, &Deel::toewijzing(2_000))
        .await
        .unwrap();
    assert!(elders.is_empty());
    let anker = tx
        .ontvangen_toewijzingen(ANDERE, GEMEENTE, &Deel::client(CLIENT))
        .await
        .unwrap();
    assert_eq!(nummers(&anker), [1]);

    // Messages: by client, by allocation, by reference, by id, by type.
    let start = bericht(
        &mut tx,
        (GEMEENTE, "JW305", 1),
        (Some(CLIENT), Some(1), None),
    )
    .await;
    let vot = bericht(
        &mut tx,
        (GEMEENTE, "JW315", 1),
        (Some(BUUR), None, Some("VOT-1")),
    )
    .await;
    let elders = bericht(&mut tx, (ELDERS, "JW305", 2), (Some(CLIENT), Some(1), None)).await;
    let declaratie = bericht(&mut tx, (GEMEENTE, "JW323", 1), (None, None, None)).await;
    let ids = |berichten: Vec<jeugdroute_store::AanbiederBericht>| {
        berichten.iter().map(|b| b.id).collect::<Vec<_>>()
    };
    let client = Deel::client(CLIENT);
    assert_eq!(
        ids(tx
            .aanbieder_berichten(AGB, GEMEENTE, &client, &[])
            .await
            .unwrap()),
        [start]
    );
    let requests = tx
        .aanbieder_berichten(AGB, GEMEENTE, &by_reference, &["JW315", "JW317"])
        .await
        .unwrap();
    assert_eq!(ids(requests), [vot]);
    let starts_only = tx
        .aanbieder_berichten(AGB, GEMEENTE, &by_reference, &["JW305"])
        .await
        .unwrap();
    assert!(starts_only.is_empty());
    let by_id = Deel {
        berichten: vec![elders, declaratie],
        ..Deel::default()
    };
    assert_eq!(
        ids(tx
            .aanbieder_berichten(AGB, GEMEENTE, &by_id, &[])
            .await
            .unwrap()),
        [declaratie]
    );
    assert_eq!(
        tx.aanbieder_declaraties(AGB, GEMEENTE).await.unwrap().len(),
        1
    );

    // Prestaties: by allocation, and asked by a debet's reference, with its credit.
    let debet = prestatie(declaratie, 1, "P1", None);
    let credit = prestatie(declaratie, 1, "P2", Some("P1"));
    let other = prestatie(declaratie, 7, "P3", None);
    for p in [&debet, &credit, &other] {
        tx.insert_aanbieder_prestatie(p).await.unwrap();
    }
    let refs = |ps: Vec<AanbiederPrestatie>| {
        ps.into_iter()
            .map(|p| p.referentie_nummer)
            .collect::<Vec<_>>()
    };
    let on_7 = tx
        .aanbieder_prestaties(AGB, GEMEENTE, &Deel::toewijzing(7))
        .await
        .unwrap();
    assert_eq!(refs(on_7), ["P3"]);
    let p1 = Deel {
        referenties: vec!["P1"],
        ..Deel::default()
    };
    assert_eq!(
        refs(tx.aanbieder_prestaties(AGB, GEMEENTE, &p1).await.unwrap()),
        ["P1", "P2"]
    );
    assert!(
        tx.aanbieder_prestaties(AGB, ELDERS, &p1)
            .await
            .unwrap()
            .is_empty()
    );

    // Answers: only on the messages named.
    for (bericht_id, soort) in [(vot, "JW319"), (declaratie, "JW325")] {
        let antwoord = OntvangenAntwoord {
            id: 0,
            bericht_id,
            berichtsoort: soort.into(),
            verzoek_antwoord: None,
            reden_afwijzing: None,
            woonplaats_gemeente: None,
            retour_codes: None,
            toegekend_bedrag: None,
            inbox_id,
        };
        tx.insert_ontvangen_antwoord(&antwoord, at).await.unwrap();
    }
    let on_vot = Deel {
        berichten: vec![vot],
        ..Deel::default()
    };
    let answers = tx
        .ontvangen_antwoorden(AGB, GEMEENTE, &on_vot)
        .await
        .unwrap();
    assert_eq!(
        answers.iter().map(|a| a.bericht_id).collect::<Vec<_>>(),
        [vot]
    );
    assert!(
        tx.ontvangen_antwoorden(AGB, ELDERS, &on_vot)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
}

jeugdroute_store::backend_tests!(parts);
