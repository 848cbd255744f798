//! The gemeente's processes on a provider's requests and declarations, on SQLite
//! always and on PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: a verzoek
//! om toewijzing (JW315) honoured by a JW301 that carries its reference, or
//! answered by a JW319 (in onderzoek once, rejected, reason 8 with the
//! responsible gemeente); a verzoek om wijziging (JW317) honoured or rejected; a
//! declaration (JW323) judged per prestatie against its allocation and the
//! contract's tariff. Only the gemeente's own worker sees and answers a request.
//! Every message made passes `ijw::validate` and, when installed, xmllint.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use ijw::types::basis;
use ijw::types::{jw301, jw315, jw317, jw323};
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::{Actor, App, AppError, Kanaal, VerzoekBeantwoorden, WerkvoorraadFilter};
use jeugdroute_domain::{AgbCode, Productcode, Role, User, amsterdam_today, verzoek_deadline};
use jeugdroute_store::{AuditQuery, DatabaseUrl, Incoming, Outgoing, Store};
use support::signed_in;

/// An unknown youth (BSN passes the elfproef).
const NIEUW: &str = "111222333";
const AMERSFOORT: &str = "0307";
const DE_EEM: &str = "98990011";

async fn outbox(store: &Store) -> Vec<Outgoing> {
    let mut tx = store.begin().await.unwrap();
    let mut all = tx.outbox_of(None, None, 100_000).await.unwrap();
    all.reverse();
    all
}

/// The demo region with its allocations answered.
async fn demo(url: &DatabaseUrl) -> (App, Store) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    loop {
        let delivered = app.berichten_bezorgen(10_000).await.unwrap();
        let done = app.berichten_verwerken(10_000).await.unwrap();
        if delivered == 0 && done.totaal() == 0 {
            break;
        }
    }
    (app, Store::connect(url).await.unwrap())
}

/// `../shared/ijw` beside the checkout; its absence fails only under `CI=true`.
fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ijw");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing, but CI=true",
        dir.display()
    );
    None
}

/// A message we made passes our checks and, when installed, xmllint.
fn valid(xml: &str) {
    let report = ijw::validate(xml.as_bytes());
    assert!(report.is_valid(), "{:?}\n{xml}", report.findings);
    let Some(shared) = shared() else { return };
    let found = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "xmllint is missing, but CI=true"
        );
        return;
    }
    let soort = report.bericht.unwrap().soort();
    // A file of its own: tests of this binary run side by side.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), xml).unwrap();
    let schema = shared.join(format!(
        "xsd/ijw-3.2/{}.xsd",
        soort.name().to_ascii_lowercase()
    ));
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "xmllint: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sends a provider's message and processes it; the message as it stands and
/// its answer.
async fn send(app: &App, store: &Store, bericht: &Bericht) -> (Incoming, Bericht) {
    let xml = ijw::encode(bericht);
    valid(&xml);
    let id = app
        .bericht_ontvangen(Kanaal::Api, xml.as_bytes())
        .await
        .unwrap();
    let message = app.bericht_verwerken(id).await.unwrap();
    let out = outbox(store).await;
    let retour = out
        .iter()
        .find(|o| Some(o.id) == message.retour_id)
        .unwrap();
    valid(&retour.message.body);
    (
        message,
        ijw::decode(retour.message.body.as_bytes()).unwrap(),
    )
}

fn codes(bericht: &Bericht) -> Vec<String> {
    fn walk(e: &ijw::xml::Element, out: &mut Vec<String>) {
        if e.name == "RetourCode" {
            out.push(e.text.clone());
        }
        e.children.iter().for_each(|c| walk(c, out));
    }
    let mut out = Vec::new();
    walk(
        &ijw::xml::read(ijw::encode(bericht).as_bytes()).unwrap(),
        &mut out,
    );
    out
}

/// A verzoek om toewijzing of De Eem to Amersfoort for `bsn`, product 50H22.
fn vot(bsn: &str, referentie: &str, identificatie: &str, today: NaiveDate) -> Bericht {
    let Bericht::Jw315(mut b) = ijw::voorbeeld(Berichtsoort::Jw315) else {
        panic!("JW315")
    };
    b.header.afzender = DE_EEM.into();
    b.header.ontvanger = AMERSFOORT.into();
    b.header.bericht_identificatie = basis::BerichtIdentificatie {
        identificatie: identificatie.into(),
        dagtekening: today,
    };
    b.client.bsn = bsn.into();
    let p: &mut jw315::AangevraagdProduct =
        &mut b.client.aangevraagde_producten.aangevraagd_product[0];
    p.referentie_aanbieder = referentie.into();
    p.product = Some(basis::Product {
        categorie: "50".parse().unwrap(),
        code: Some("50H22".into()),
    });
    p.toewijzing_ingangsdatum = today + Days::new(7);
    p.toewijzing_einddatum = Some(today + Days::new(180));
    p.omvang = Some(basis::Omvang {
        volume: 1,
        eenheid: "82".parse().unwrap(),
        frequentie: "6".parse().unwrap(),
    });
    Bericht::Jw315(b)
}

fn antwoord(antwoord: &str, reden: &str, gemeente: &str) -> VerzoekBeantwoorden {
    VerzoekBeantwoorden {
        antwoord: antwoord.into(),
        reden: reden.into(),
        gemeente: gemeente.into(),
        ..VerzoekBeantwoorden::default()
    }
}

fn adres() -> VerzoekBeantwoorden {
    VerzoekBeantwoorden {
        antwoord: "toewijzen".into(),
        straat: "Stadsring".into(),
        huisnummer: "12".into(),
        postcode: "3811 HP".into(),
        woonplaats: "Amersfoort".into(),
        ..VerzoekBeantwoorden::default()
    }
}

/// The id of the request received as message `inbox_id`.
async fn verzoek_id(store: &Store, inbox_id: i64) -> i64 {
    let mut tx = store.begin().await.unwrap();
    tx.verzoek_van_bericht(inbox_id).await.unwrap().unwrap().id
}

fn field(error: AppError) -> String {
    match error {
        AppError::Fields(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// A VOT for an unknown youth is stored with its deadline, shown to Amersfoort's
/// worker only, and honoured by a JW301 that carries its ReferentieAanbieder;
/// the youth and a case become known in Amersfoort.
async fn a_vot_is_honoured_by_a_jw301_with_its_reference(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    let (message, answer) = send(&app, &store, &vot(NIEUW, "VOT-1", "VOT1", today)).await;
    assert_eq!(message.state, "verwerkt", "{:?}", message.findings);
    assert_eq!(answer.soort(), Berichtsoort::Jw316);
    assert!(codes(&answer).is_empty());
    let id = verzoek_id(&store, message.id).await;

    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let list = app.verzoeken(&worker, true, None).await.unwrap();
    let verzoek = list.iter().find(|v| v.id == id).unwrap();
    assert_eq!(verzoek.deadline, verzoek_deadline(today, false));
    assert_eq!(verzoek.state, "open");
    let view = app.verzoek(&worker, id).await.unwrap();
    assert_eq!(
        view.producten[0].referentie_aanbieder.as_deref(),
        Some("VOT-1")
    );
    assert_eq!(view.verzoek.geslachtsnaam.as_deref(), Some("Jansen"));

    // Another gemeente's worker sees nothing and cannot answer; a provider may not at all.
    let soest = signed_in(&app, "medewerker.soest").await;
    assert!(
        app.verzoeken(&soest, false, None)
            .await
            .unwrap()
            .iter()
            .all(|v| v.id != id)
    );
    assert!(matches!(
        app.verzoek(&soest, id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        app.verzoek_beantwoorden(&soest, id, &adres()).await,
        Err(AppError::NotFound)
    ));
    let aanbieder = signed_in(&app, "aanbieder.demo").await;
    assert!(matches!(
        app.verzoek_beantwoorden(&aanbieder, id, &adres()).await,
        Err(AppError::Forbidden)
    ));

    // An unknown youth needs an address; an oversized one is refused by field.
    let error = app
        .verzoek_beantwoorden(&worker, id, &antwoord("toewijzen", "", ""))
        .await
        .unwrap_err();
    assert!(field(error).contains("postcode"));
    let te_lang = VerzoekBeantwoorden {
        straat: "s".repeat(500),
        ..adres()
    };
    let error = app
        .verzoek_beantwoorden(&worker, id, &te_lang)
        .await
        .unwrap_err();
    assert!(field(error).contains("straat"));

    let before = outbox(&store).await.len();
    let done = app
        .verzoek_beantwoorden(&worker, id, &adres())
        .await
        .unwrap();
    assert_eq!(done.state, "toegewezen");
    let casus_id = done.casus_id.unwrap();
    let out = outbox(&store).await;
    assert_eq!(out.len(), before + 1);
    let jw301 = &out[before];
    assert_eq!(jw301.message.berichtsoort, "JW301");
    assert_eq!(jw301.message.casus_id, Some(casus_id));
    valid(&jw301.message.body);
    let Bericht::Jw301(b) = ijw::decode(jw301.message.body.as_bytes()).unwrap() else {
        panic!("JW301")
    };
    let product: &jw301::ToegewezenProduct = &b.client.toegewezen_producten.toegewezen_product[0];
    assert_eq!(product.referentie_aanbieder.as_deref(), Some("VOT-1"));
    assert_eq!(b.client.bsn, NIEUW);
    assert_eq!(product.ingangsdatum, today + Days::new(7));
    let casus = app.casus(&worker, casus_id).await.unwrap();
    assert_eq!(casus.jeugdige.surname, "Jansen");

    // The provider refuses the JW301 (a JW302 with a code): flagged on the case
    // page and as a signal on the worklist.
    let refusal = ijw::retour(
        &Bericht::Jw301(b),
        &[ijw::Finding {
            code: Some("9332"),
            rule: "TR332".into(),
            element: "Bericht/Client/ToegewezenProducten/ToegewezenProduct".into(),
            line: 0,
            message: "ander product".into(),
        }],
        ijw::RetourId {
            identificatie: "R2",
            dagtekening: today,
        },
    )
    .unwrap();
    let xml = ijw::encode(&refusal);
    valid(&xml);
    let inbox = app
        .bericht_ontvangen(Kanaal::Api, xml.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        app.bericht_verwerken(inbox).await.unwrap().state,
        "verwerkt"
    );
    let verloop = app.verloop(&worker, &casus).await.unwrap();
    assert!(
        verloop
            .messages
            .iter()
            .any(|m| m.message.berichtsoort == "JW301" && m.afgekeurd())
    );
    let regels = app
        .werkvoorraad(&worker, None, &WerkvoorraadFilter::default(), None, today)
        .await
        .unwrap()
        .regels;
    assert!(
        regels
            .iter()
            .any(|r| r.casus.id == casus_id && r.bericht_afgekeurd)
    );
    assert!(
        regels
            .iter()
            .any(|r| r.casus.id != casus_id && !r.bericht_afgekeurd)
    );

    // Answered: it cannot be answered again, and a new request may follow.
    assert!(matches!(
        app.verzoek_beantwoorden(&worker, id, &antwoord("in_onderzoek", "", ""))
            .await,
        Err(AppError::Invalid(_))
    ));
    store.close().await;
}

/// "In onderzoek" moves the deadline to eight weeks and can be given once; a
/// new request while one is open is refused (TR374); then the rejection; the
/// provider's JW320 on a JW319 is matched to it.
async fn a_vot_in_onderzoek_once_then_rejected(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let (message, _) = send(&app, &store, &vot(NIEUW, "VOT-2", "VOT2", today)).await;
    let id = verzoek_id(&store, message.id).await;

    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("in_onderzoek", "", ""))
        .await
        .unwrap();
    assert_eq!(done.state, "in_onderzoek");
    assert_eq!(done.deadline, verzoek_deadline(today, true));
    let jw319 = outbox(&store).await.pop().unwrap();
    assert_eq!(jw319.message.berichtsoort, "JW319");
    valid(&jw319.message.body);
    assert!(
        jw319
            .message
            .body
            .contains("<jw319:VerzoekAntwoord>2</jw319:VerzoekAntwoord>")
    );

    // The eight weeks count on the desk and in /readyz: near on the last day,
    // passed the day after.
    let deadline = done.deadline;
    let mut tx = store.begin_read().await.unwrap();
    let on = tx.onderzoek_termijnen(deadline, deadline).await.unwrap();
    assert_eq!((on.bijna, on.verlopen), (1, 0));
    let after = deadline.succ_opt().unwrap();
    let on = tx.onderzoek_termijnen(after, after).await.unwrap();
    assert_eq!((on.bijna, on.verlopen), (0, 1));
    drop(tx);
    // The counts /readyz prints move with it: near on the last day, passed after.
    let on_day = |day: NaiveDate| {
        let noon = day.and_hms_opt(11, 0, 0).unwrap().and_utc();
        app.with_clock(jeugdroute_app::Clock::at(noon))
    };
    let last_day = on_day(deadline).berichten_tellingen().await.unwrap();
    let day_after = on_day(after).berichten_tellingen().await.unwrap();
    assert!(last_day.termijn_bijna >= 1, "{last_day:?}");
    assert_eq!(
        (day_after.termijn_bijna + 1, day_after.termijn_verlopen),
        (last_day.termijn_bijna, last_day.termijn_verlopen + 1),
        "{last_day:?} then {day_after:?}"
    );

    // TR360: "in onderzoek" only once.
    let error = app
        .verzoek_beantwoorden(&worker, id, &antwoord("in_onderzoek", "", ""))
        .await
        .unwrap_err();
    assert!(field(error).contains("TR360"));

    // TR374: another request for the same youth while this one is open.
    let (refused, answer) = send(&app, &store, &vot(NIEUW, "VOT-3", "VOT3", today)).await;
    assert_eq!(refused.state, "afgekeurd");
    assert!(codes(&answer).contains(&"9374".to_owned()));

    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("afwijzen", "7", ""))
        .await
        .unwrap();
    assert_eq!(done.state, "afgewezen");
    let view = app.verzoek(&worker, id).await.unwrap();
    assert_eq!(
        view.antwoorden
            .iter()
            .map(|a| (a.verzoek_antwoord.as_str(), a.reden.as_deref()))
            .collect::<Vec<_>>(),
        [("2", None), ("1", Some("7"))]
    );
    let rejection = outbox(&store).await.pop().unwrap();
    valid(&rejection.message.body);

    // TR347: the rejected request's reference, for another youth: used.
    // The same youth under a new reference: no longer an open request.
    // It stands last of 600 products, past the first part of the references
    // the store asks for at once.
    let other = "123456782";
    let Bericht::Jw315(mut many) = vot(other, "VOT-2", "VOT4", today) else {
        panic!("JW315")
    };
    let producten = &mut many.client.aangevraagde_producten.aangevraagd_product;
    let template = producten[0].clone();
    // One day each, so that no two overlap (TR386).
    *producten = (0..600u64)
        .map(|i| {
            let dag = today + Days::new(200 + i);
            jw315::AangevraagdProduct {
                referentie_aanbieder: format!("R-{i:03}"),
                toewijzing_ingangsdatum: dag,
                toewijzing_einddatum: Some(dag),
                ..template.clone()
            }
        })
        .collect();
    producten.push(template);
    let (reused, answer) = send(&app, &store, &Bericht::Jw315(many)).await;
    assert_eq!(reused.state, "afgekeurd");
    assert!(codes(&answer).contains(&"9347".to_owned()));
    let (again, _) = send(&app, &store, &vot(NIEUW, "VOT-5", "VOT5", today)).await;
    assert_eq!(again.state, "verwerkt", "{:?}", again.findings);

    // The provider's JW320 without remarks on the rejection is matched to it.
    let Bericht::Jw319(sent) = ijw::decode(rejection.message.body.as_bytes()).unwrap() else {
        panic!("JW319")
    };
    let jw320 = ijw::retour(
        &Bericht::Jw319(sent),
        &[],
        ijw::RetourId {
            identificatie: "R1",
            dagtekening: today,
        },
    )
    .unwrap();
    let xml = ijw::encode(&jw320);
    valid(&xml);
    let inbox = app
        .bericht_ontvangen(Kanaal::Api, xml.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        app.bericht_verwerken(inbox).await.unwrap().state,
        "verwerkt"
    );
    let matched = outbox(&store)
        .await
        .into_iter()
        .find(|o| o.id == rejection.id)
        .unwrap();
    assert_eq!(matched.retour_state.as_deref(), Some("goedgekeurd"));
    store.close().await;
}

/// The woonplaatsbeginsel on the request's page: where the youth of the BSN is
/// registered, among the gemeenten the worker works for and no other.
async fn the_request_shows_where_the_youth_is_known_within_scope(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    let mut worker = signed_in(&app, "medewerker.amersfoort").await;
    // Daan is registered in Baarn (0308); the request goes to Amersfoort.
    let (daan, _) = send(&app, &store, &vot("999991024", "VOT-5", "VOT5", today)).await;
    let daan = verzoek_id(&store, daan.id).await;
    let (sam, _) = send(&app, &store, &vot("999990214", "VOT-6", "VOT6", today)).await;
    let sam = verzoek_id(&store, sam.id).await;
    let known = |view: jeugdroute_app::VerzoekView| -> Vec<String> {
        view.bekend_in
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect()
    };
    // A worker of Amersfoort alone is not told that Baarn knows Daan.
    assert!(known(app.verzoek(&worker, daan).await.unwrap()).is_empty());
    assert_eq!(
        known(app.verzoek(&worker, sam).await.unwrap()),
        [AMERSFOORT]
    );
    // A worker of both gemeenten is: the request may belong to Baarn (reason 8).
    worker
        .user
        .gemeenten
        .push(jeugdroute_domain::Gemeentecode::parse("0308").unwrap());
    assert_eq!(known(app.verzoek(&worker, daan).await.unwrap()), ["0308"]);
    store.close().await;
}

/// Reason 8 (woonplaatsbeginsel) names the responsible gemeente, and only then.
async fn a_vot_rejected_for_the_woonplaatsbeginsel_names_the_gemeente(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let (message, _) = send(&app, &store, &vot(NIEUW, "VOT-4", "VOT4", today)).await;
    let id = verzoek_id(&store, message.id).await;
    for (reden, gemeente) in [("8", ""), ("7", "0342"), ("8", AMERSFOORT), ("99", "")] {
        let error = app
            .verzoek_beantwoorden(&worker, id, &antwoord("afwijzen", reden, gemeente))
            .await
            .unwrap_err();
        let text = field(error);
        assert!(
            text.contains("gemeente") || text.contains("reden"),
            "{reden} {gemeente}: {text}"
        );
    }
    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("afwijzen", "8", "0342"))
        .await
        .unwrap();
    assert_eq!(done.state, "afgewezen");
    let jw319 = outbox(&store).await.pop().unwrap();
    valid(&jw319.message.body);
    let Bericht::Jw319(b) = ijw::decode(jw319.message.body.as_bytes()).unwrap() else {
        panic!("JW319")
    };
    assert_eq!(b.antwoord.reden_afwijzing_verzoek.unwrap().code(), "8");
    assert_eq!(b.antwoord.woonplaatsbeginsel.unwrap().gemeente, "0342");
    assert_eq!(b.antwoord.referentie_aanbieder, "VOT-4");
    store.close().await;
}

/// Amersfoort's allocations in the outbox, oldest first.
async fn allocations(store: &Store) -> Vec<jw301::Bericht> {
    outbox(store)
        .await
        .into_iter()
        .filter(|o| o.message.berichtsoort == "JW301" && o.message.sender == AMERSFOORT)
        .filter_map(|o| match ijw::decode(o.message.body.as_bytes()) {
            Ok(Bericht::Jw301(b)) => Some(b),
            _ => None,
        })
        .collect()
}

/// A verzoek om wijziging of the provider of `allocation`: a longer allocation.
fn vow(
    allocation: &jw301::Bericht,
    referentie: &str,
    identificatie: &str,
    today: NaiveDate,
) -> Bericht {
    let Bericht::Jw317(mut b) = ijw::voorbeeld(Berichtsoort::Jw317) else {
        panic!("JW317")
    };
    let t = &allocation.client.toegewezen_producten.toegewezen_product[0];
    b.header.afzender = allocation.header.ontvanger.clone();
    b.header.ontvanger = allocation.header.afzender.clone();
    b.header.bericht_identificatie = basis::BerichtIdentificatie {
        identificatie: identificatie.into(),
        dagtekening: today,
    };
    b.client.bsn = allocation.client.bsn.clone();
    let v = &mut b.client.verzoek;
    v.referentie_aanbieder = referentie.into();
    v.ongewijzigde_producten = None;
    v.nieuwe_producten = None;
    let w: &mut jw317::TeWijzigenProduct = &mut v
        .te_wijzigen_producten
        .as_mut()
        .unwrap()
        .te_wijzigen_product[0];
    w.toewijzing_nummer = t.toewijzing_nummer;
    w.gewenste_ingangsdatum = t.ingangsdatum;
    w.einddatum = Some(t.einddatum.unwrap() + Days::new(30));
    w.omvang = t.omvang.clone();
    w.budget = None;
    Bericht::Jw317(b)
}

/// A VOW is honoured whole by a JW301 with the same number, RedenWijziging 12 and
/// its reference; a later one is rejected by a JW319.
async fn a_vow_is_honoured_and_another_rejected(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let allocation = allocations(&store).await.remove(0);
    let t = allocation.client.toegewezen_producten.toegewezen_product[0].clone();

    let (message, answer) = send(&app, &store, &vow(&allocation, "VOW-1", "VOW1", today)).await;
    assert_eq!(message.state, "verwerkt", "{:?}", message.findings);
    assert_eq!(answer.soort(), Berichtsoort::Jw318);
    let id = verzoek_id(&store, message.id).await;
    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("toewijzen", "", ""))
        .await
        .unwrap();
    assert_eq!(done.state, "toegewezen");
    let jw301 = outbox(&store).await.pop().unwrap();
    valid(&jw301.message.body);
    let Bericht::Jw301(changed) = ijw::decode(jw301.message.body.as_bytes()).unwrap() else {
        panic!("JW301")
    };
    let c = &changed.client.toegewezen_producten.toegewezen_product[0];
    assert_eq!(c.toewijzing_nummer, t.toewijzing_nummer);
    assert_eq!(c.einddatum, Some(t.einddatum.unwrap() + Days::new(30)));
    assert_eq!(c.reden_wijziging.unwrap().code(), "12");
    assert_eq!(c.referentie_aanbieder.as_deref(), Some("VOW-1"));

    // The next request names the allocation as it now stands; it is rejected.
    let again = vow(&changed, "VOW-2", "VOW2", today);
    let (message, _) = send(&app, &store, &again).await;
    assert_eq!(message.state, "verwerkt", "{:?}", message.findings);
    let id = verzoek_id(&store, message.id).await;
    // In onderzoek it stays open, now linked to the case it changes: on the
    // provider's worklist, and the look names the case's youth.
    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("in_onderzoek", "", ""))
        .await
        .unwrap();
    assert_eq!(done.state, "in_onderzoek");
    let aanbieder = Actor {
        user: User {
            username: "test.vow".into(),
            display_name: "Test".into(),
            role: Role::Aanbieder,
            gemeenten: Vec::new(),
            aanbieder: Some(AgbCode::parse(&allocation.header.ontvanger).unwrap()),
            gi: None,
        },
        source: None,
    };
    let werk = app.toewijzingen(&aanbieder).await.unwrap();
    let open: Vec<_> = werk.verzoeken.iter().map(|v| v.verzoek.id).collect();
    assert_eq!(open, [id]);
    let casus = werk.verzoeken[0].verzoek.casus_id.unwrap();
    let mut tx = store.begin().await.unwrap();
    let jeugdige = tx.casus(casus).await.unwrap().jeugdige_id;
    let records = tx
        .search_audit(&AuditQuery {
            actor: Some("test.vow"),
            event: Some("toewijzingen.bekijken"),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    drop(tx);
    assert!(records[0].jeugdigen.contains(&jeugdige), "{records:?}");
    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("afwijzen", "4", ""))
        .await
        .unwrap();
    assert_eq!(done.state, "afgewezen");
    let jw319 = outbox(&store).await.pop().unwrap();
    valid(&jw319.message.body);
    assert!(jw319.message.body.contains("VOW-2"));
    store.close().await;
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap()
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    (first_of_month(d) + chrono::Months::new(1))
        .pred_opt()
        .unwrap()
}

/// A declaration of one prestatie in the first month of `allocation`, at `tarief`.
fn declaratie(
    allocation: &jw301::Bericht,
    nummer: &str,
    tarief: i64,
    today: NaiveDate,
) -> jw323::Bericht {
    let Bericht::Jw323(mut b) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!("JW323")
    };
    let t = &allocation.client.toegewezen_producten.toegewezen_product[0];
    b.header.afzender = allocation.header.ontvanger.clone();
    b.header.ontvanger = allocation.header.afzender.clone();
    b.header.bericht_identificatie = basis::BerichtIdentificatie {
        identificatie: nummer.into(),
        dagtekening: today,
    };
    let d = &mut b.declaratie;
    d.declaratie_nummer = nummer.into();
    d.declaratie_periode = basis::GeslotenPeriode {
        begindatum: first_of_month(t.ingangsdatum),
        einddatum: last_of_month(t.ingangsdatum),
    };
    d.declaratie_dagtekening = today;
    let client = &mut d.clienten.client[0];
    client.bsn = allocation.client.bsn.clone();
    let p = &mut client.prestaties.prestatie[0];
    p.product_referentie.referentie_nummer = format!("{nummer}-1");
    p.toewijzing_nummer = t.toewijzing_nummer;
    let product = t.product.as_ref().unwrap();
    p.product_categorie = product.categorie;
    p.product_code = product.code.clone().unwrap();
    p.product_periode = basis::GeslotenPeriode {
        begindatum: t.ingangsdatum,
        einddatum: last_of_month(t.ingangsdatum).min(t.einddatum.unwrap()),
    };
    p.geleverd_volume = 1;
    p.eenheid = "82".parse().unwrap();
    p.product_tarief = Some(tarief);
    p.ingediend_bedrag.bedrag = tarief;
    d.totaal_ingediend_bedrag.totaal_bedrag = tarief;
    b
}

/// Adds a prestatie in the month before the allocation began.
fn with_prestatie_before(mut b: jw323::Bericht) -> jw323::Bericht {
    let d = &mut b.declaratie;
    let first = d.clienten.client[0].prestaties.prestatie[0].clone();
    let begin = first_of_month(first.product_periode.begindatum) - Days::new(1);
    let mut before = first.clone();
    before.product_referentie.referentie_nummer = format!("{}-0", d.declaratie_nummer);
    before.product_periode = basis::GeslotenPeriode {
        begindatum: first_of_month(begin),
        einddatum: last_of_month(begin),
    };
    d.clienten.client[0].prestaties.prestatie.push(before);
    d.totaal_ingediend_bedrag.totaal_bedrag += first.ingediend_bedrag.bedrag;
    b
}

async fn tarief(store: &Store, allocation: &jw301::Bericht) -> i64 {
    let t = &allocation.client.toegewezen_producten.toegewezen_product[0];
    let code = Productcode::parse(t.product.as_ref().unwrap().code.as_deref().unwrap()).unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.contracts_for(&code, t.ingangsdatum)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.aanbieder.as_str() == allocation.header.ontvanger)
        .unwrap()
        .tariff_cents
}

/// A declaration at the contract's tariff within its allocation is approved
/// whole (header 0200, DeclaratieAntwoord 8001); one with a prestatie before the
/// allocation has that prestatie rejected (9307) and the rest granted; a wrong
/// tariff is rejected with 0611. What was granted and rejected is kept.
async fn declarations_are_judged_per_prestatie(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    // Three allocations to three providers: each declaration is the first of its pair.
    let mut seen = Vec::new();
    let all: Vec<jw301::Bericht> = allocations(&store)
        .await
        .into_iter()
        .filter(|a| {
            let t = &a.client.toegewezen_producten.toegewezen_product[0];
            let new = !seen.contains(&a.header.ontvanger) && t.ingangsdatum < today;
            if new {
                seen.push(a.header.ontvanger.clone());
            }
            new
        })
        .collect();
    assert!(all.len() >= 3, "three providers with allocations begun");

    let good = tarief(&store, &all[0]).await;
    let (message, answer) = send(
        &app,
        &store,
        &Bericht::Jw323(declaratie(&all[0], "D1", good, today)),
    )
    .await;
    assert_eq!(message.state, "verwerkt", "{:?}", message.findings);
    let Bericht::Jw325(answer) = answer else {
        panic!("JW325")
    };
    assert_eq!(codes(&Bericht::Jw325(answer.clone())), ["0200", "8001"]);
    let a = answer.declaratie_antwoord.unwrap();
    assert_eq!(a.totaal_toegekend_bedrag.totaal_bedrag, good);
    let mut tx = store.begin().await.unwrap();
    let kept = tx.prestaties_van_bericht(message.id).await.unwrap();
    drop(tx);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].status, "goedgekeurd");

    let tarief1 = tarief(&store, &all[1]).await;
    let outside = with_prestatie_before(declaratie(&all[1], "D2", tarief1, today));
    let (message, answer) = send(&app, &store, &Bericht::Jw323(outside)).await;
    assert_eq!(message.state, "afgekeurd");
    let found = codes(&answer);
    assert!(found.contains(&"9307".to_owned()), "{found:?}");
    let Bericht::Jw325(answer) = answer else {
        panic!("JW325")
    };
    assert_eq!(
        answer
            .declaratie_antwoord
            .unwrap()
            .totaal_toegekend_bedrag
            .totaal_bedrag,
        tarief1
    );
    let mut tx = store.begin().await.unwrap();
    let kept = tx.prestaties_van_bericht(message.id).await.unwrap();
    drop(tx);
    let statuses: Vec<(&str, Option<&str>)> = kept
        .iter()
        .map(|p| (p.status.as_str(), p.retour_codes.as_deref()))
        .collect();
    assert!(statuses.contains(&("goedgekeurd", None)), "{statuses:?}");
    assert!(
        statuses
            .iter()
            .any(|(s, c)| *s == "afgewezen" && c.unwrap().contains("9307")),
        "{statuses:?}"
    );

    // The same referentie declared again is refused against what was kept (TR314).
    let mut again = declaratie(&all[1], "D2B", tarief1, today);
    again.declaratie.declaratie_periode.begindatum =
        last_of_month(again.declaratie.declaratie_periode.einddatum) + Days::new(1);
    again.declaratie.declaratie_periode.einddatum =
        last_of_month(again.declaratie.declaratie_periode.begindatum);
    again.declaratie.clienten.client[0].prestaties.prestatie[0]
        .product_referentie
        .referentie_nummer = "D2-1".into();
    let (_, answer) = send(&app, &store, &Bericht::Jw323(again)).await;
    assert!(
        codes(&answer).contains(&"8021".to_owned()),
        "{:?}",
        codes(&answer)
    );

    let wrong = tarief(&store, &all[2]).await + 100;
    let (message, answer) = send(
        &app,
        &store,
        &Bericht::Jw323(declaratie(&all[2], "D3", wrong, today)),
    )
    .await;
    assert_eq!(message.state, "afgekeurd");
    assert!(
        codes(&answer).contains(&"0611".to_owned()),
        "{:?}",
        codes(&answer)
    );
    assert!(message.findings.unwrap().contains("TR418"));
    let Bericht::Jw325(answer) = answer else {
        panic!("JW325")
    };
    assert_eq!(
        answer
            .declaratie_antwoord
            .unwrap()
            .totaal_toegekend_bedrag
            .totaal_bedrag,
        0
    );
    store.close().await;
}

/// A request about a youth the gemeente already knows is linked, once in
/// onderzoek, to the youth's open case: the provider's worklist shows it, and
/// the look's audit record names that youth, though nothing of the case is
/// allocated to the provider.
async fn a_linked_request_names_its_youth_in_the_worklist_audit(url: &DatabaseUrl) {
    let (app, store) = demo(url).await;
    let today = amsterdam_today(app.now());
    let worker = signed_in(&app, "medewerker.amersfoort").await;
    let filter = WerkvoorraadFilter {
        fase: Some(jeugdroute_domain::Fase::Melding),
        ..WerkvoorraadFilter::default()
    };
    let melding = app
        .werkvoorraad(&worker, None, &filter, None, today)
        .await
        .unwrap()
        .regels
        .remove(0)
        .casus;
    let mut tx = store.begin().await.unwrap();
    let bsn = tx.jeugdige(melding.jeugdige_id).await.unwrap().bsn;
    drop(tx);
    let (message, _) = send(&app, &store, &vot(bsn.as_str(), "VOT-7", "VOT7", today)).await;
    let id = verzoek_id(&store, message.id).await;
    let done = app
        .verzoek_beantwoorden(&worker, id, &antwoord("in_onderzoek", "", ""))
        .await
        .unwrap();
    assert_eq!(done.casus_id, Some(melding.id), "linked to the open case");

    let aanbieder = signed_in(&app, "aanbieder.demo").await;
    let werk = app.toewijzingen(&aanbieder).await.unwrap();
    let open: Vec<i64> = werk.verzoeken.iter().map(|v| v.verzoek.id).collect();
    assert_eq!(open, [id]);
    assert!(
        werk.toewijzingen
            .iter()
            .all(|w| w.line.jeugdige_id != melding.jeugdige_id),
        "nothing of the case is allocated to the provider"
    );
    let mut tx = store.begin().await.unwrap();
    let records = tx
        .search_audit(&AuditQuery {
            actor: Some("aanbieder.demo"),
            event: Some("toewijzingen.bekijken"),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    drop(tx);
    assert!(
        records[0].jeugdigen.contains(&melding.jeugdige_id),
        "{:?}",
        records[0].jeugdigen
    );
    store.close().await;
}

jeugdroute_store::backend_tests!(
    a_linked_request_names_its_youth_in_the_worklist_audit,
    a_vot_is_honoured_by_a_jw301_with_its_reference,
    a_vot_in_onderzoek_once_then_rejected,
    a_vot_rejected_for_the_woonplaatsbeginsel_names_the_gemeente,
    the_request_shows_where_the_youth_is_known_within_scope,
    a_vow_is_honoured_and_another_rejected,
    declarations_are_judged_per_prestatie
);
