//! The iJw exchange through the application, on SQLite always and on PostgreSQL
//! when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo region's allocations go to
//! its providers and come back answered, a provider's start and stop land on the
//! allocation, and what is wrong, twice or unreadable is handled as the standard
//! says — never applied twice, never lost.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use ijw::types::codes::{RedenBeeindiging, StatusAanlevering};
use ijw::types::{jw301, jw305, jw307};
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::{App, Kanaal, Verwerking};
use jeugdroute_store::{DatabaseUrl, Incoming, Store};
use support::{exchange, outbox};

mod support;

async fn inbox(store: &Store, id: i64) -> Incoming {
    let mut tx = store.begin().await.unwrap();
    tx.incoming(id).await.unwrap().unwrap()
}

/// A JW305 (or JW307) of the provider of `allocation`, about its client.
fn start_of(
    allocation: &jw301::Bericht,
    identificatie: &str,
    status: StatusAanlevering,
) -> Bericht {
    let Bericht::Jw305(mut start) = ijw::voorbeeld(Berichtsoort::Jw305) else {
        panic!("JW305")
    };
    let product = &allocation.client.toegewezen_producten.toegewezen_product[0];
    start.header.afzender = allocation.header.ontvanger.clone();
    start.header.ontvanger = allocation.header.afzender.clone();
    start.header.bericht_identificatie.identificatie = identificatie.into();
    start.client.bsn = allocation.client.bsn.clone();
    start.client.geboortedatum = allocation.client.geboortedatum.clone();
    let naam = &allocation.client.naam;
    start.client.naam = ijw::types::basis::VerkorteNaam {
        geslachtsnaam: naam.geslachtsnaam.clone(),
        voornamen: naam.voornamen.clone(),
        voorletters: naam.voorletters.clone(),
    };
    let s = &mut start.client.start_producten.start_product[0];
    s.toewijzing_nummer = Some(product.toewijzing_nummer);
    s.product = product.product.clone();
    s.toewijzing_ingangsdatum = Some(product.ingangsdatum);
    s.begindatum = product.ingangsdatum;
    s.status_aanlevering = status;
    Bericht::Jw305(start)
}

fn stop_of(allocation: &jw301::Bericht, identificatie: &str, status: StatusAanlevering) -> Bericht {
    let Bericht::Jw307(mut stop) = ijw::voorbeeld(Berichtsoort::Jw307) else {
        panic!("JW307")
    };
    let Bericht::Jw305(start) = start_of(
        allocation,
        identificatie,
        StatusAanlevering::EersteAanlevering,
    ) else {
        panic!("JW305")
    };
    stop.header.afzender = start.header.afzender;
    stop.header.ontvanger = start.header.ontvanger;
    stop.header.bericht_identificatie = start.header.bericht_identificatie;
    stop.client.bsn = start.client.bsn;
    stop.client.geboortedatum = start.client.geboortedatum;
    stop.client.naam = start.client.naam;
    let begun: &jw305::StartProduct = &start.client.start_producten.start_product[0];
    let s: &mut jw307::StopProduct = &mut stop.client.stop_producten.stop_product[0];
    s.toewijzing_nummer = begun.toewijzing_nummer;
    s.product = begun.product.clone();
    s.toewijzing_ingangsdatum = begun.toewijzing_ingangsdatum;
    s.begindatum = begun.begindatum;
    s.einddatum = begun.begindatum + chrono::Days::new(30);
    s.reden_beeindiging = RedenBeeindiging::ALL[0];
    s.status_aanlevering = status;
    Bericht::Jw307(stop)
}

/// Sends `bericht` as a provider's system would, processes the inbox, and gives
/// the message as it now stands with the answer it got.
async fn send(app: &App, store: &Store, bericht: &Bericht) -> (Incoming, Option<Bericht>) {
    send_bytes(app, store, ijw::encode(bericht).as_bytes()).await
}

async fn send_bytes(app: &App, store: &Store, bytes: &[u8]) -> (Incoming, Option<Bericht>) {
    let id = app.bericht_ontvangen(Kanaal::Api, bytes).await.unwrap();
    app.berichten_verwerken(10).await.unwrap();
    let message = inbox(store, id).await;
    let answer = match message.retour_id {
        Some(retour) => {
            let out = outbox(store).await;
            let retour = out.iter().find(|o| o.id == retour).unwrap();
            assert_eq!(retour.message.answers_id, Some(id));
            Some(ijw::decode(retour.message.body.as_bytes()).unwrap())
        }
        None => None,
    };
    (message, answer)
}

fn codes(bericht: &Bericht) -> Vec<String> {
    support::codes(&ijw::encode(bericht))
}

/// The demo's messages reached their parties as the demo made them: every
/// allocation answered with a JW302 without remarks and matched to its JW301,
/// every start its providers reported answered with a JW306 without remarks
/// and matched to its JW305; nothing is left waiting.
async fn allocations_are_delivered_and_answered(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let store = Store::connect(url).await.unwrap();
    assert_eq!(
        exchange(&app).await,
        Verwerking::default(),
        "the demo leaves nothing waiting"
    );
    let all = outbox(&store).await;
    let count = |soort: &str| {
        all.iter()
            .filter(|o| o.message.berichtsoort == soort)
            .count()
    };
    assert!(count("JW301") > 10, "the demo sends allocations");
    assert!(count("JW305") > 10, "its providers report starts");
    assert_eq!(count("JW302"), count("JW301"));
    assert_eq!(count("JW306"), count("JW305"));
    for o in &all {
        assert!(
            o.sent_at.is_some(),
            "{} {} delivered",
            o.message.berichtsoort,
            o.id
        );
        match o.message.berichtsoort.as_str() {
            "JW301" | "JW305" => {
                assert_eq!(o.retour_state.as_deref(), Some("goedgekeurd"), "{}", o.id);
            }
            "JW302" | "JW306" => {
                assert!(codes(&ijw::decode(o.message.body.as_bytes()).unwrap()).is_empty());
            }
            other => panic!("unexpected {other}"),
        }
    }
    store.close().await;
}

/// A start, a stop and their corrections land on the allocation; a start of an
/// allocation that does not exist is refused with TR019's code; the same bytes
/// twice are answered twice and applied once; bytes that are no message are kept
/// with the reason.
async fn starts_and_stops_land_on_their_allocation(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    exchange(&app).await;
    let store = Store::connect(url).await.unwrap();
    let first = outbox(&store)
        .await
        .into_iter()
        .find(|o| o.message.berichtsoort == "JW301")
        .unwrap();
    let Bericht::Jw301(allocation) = ijw::decode(first.message.body.as_bytes()).unwrap() else {
        panic!("JW301")
    };
    let nummer = allocation.client.toegewezen_producten.toegewezen_product[0].toewijzing_nummer;
    let gemeente = allocation.header.afzender.clone();
    let leveringen = || async {
        let mut tx = store.begin().await.unwrap();
        tx.leveringen(&gemeente, nummer).await.unwrap()
    };

    let start = start_of(&allocation, "S1", StatusAanlevering::EersteAanlevering);
    let (message, answer) = send(&app, &store, &start).await;
    assert_eq!(message.state, "verwerkt", "{:?}", message.reason);
    assert_eq!(message.casus_id, first.message.casus_id);
    let answer = answer.unwrap();
    assert_eq!(answer.soort(), Berichtsoort::Jw306);
    assert!(codes(&answer).is_empty());
    assert_eq!(leveringen().await.len(), 1);

    // The same bytes again: answered again, not applied again.
    let (again, answer) = send(&app, &store, &start).await;
    assert_eq!(again.state, "dubbel");
    assert_eq!(answer.unwrap().soort(), Berichtsoort::Jw306);
    assert_eq!(leveringen().await.len(), 1);

    // The same start under another Identificatie: refused, TR074.
    let twice = start_of(&allocation, "S2", StatusAanlevering::EersteAanlevering);
    let (refused, answer) = send(&app, &store, &twice).await;
    assert_eq!(refused.state, "afgekeurd");
    assert!(codes(&answer.unwrap()).contains(&"9074".to_owned()));
    assert!(refused.findings.unwrap().contains("TR074"));

    // A start of an allocation that does not exist: TR019, nothing recorded.
    let Bericht::Jw305(mut unknown) =
        start_of(&allocation, "S3", StatusAanlevering::EersteAanlevering)
    else {
        panic!()
    };
    unknown.client.start_producten.start_product[0].toewijzing_nummer = Some(nummer + 900_000);
    let (refused, answer) = send(&app, &store, &Bericht::Jw305(unknown)).await;
    assert_eq!(refused.state, "afgekeurd");
    assert!(codes(&answer.unwrap()).contains(&"9019".to_owned()));
    assert_eq!(leveringen().await.len(), 1);

    // A stop, then its removal (StatusAanlevering 3): kept as history.
    let stop = stop_of(&allocation, "T1", StatusAanlevering::EersteAanlevering);
    assert_eq!(send(&app, &store, &stop).await.0.state, "verwerkt");
    let removal = stop_of(&allocation, "T2", StatusAanlevering::VerwijderenAanlevering);
    let (removed, _) = send(&app, &store, &removal).await;
    assert_eq!(removed.state, "verwerkt", "{:?}", removed.reason);
    let now = leveringen().await;
    assert_eq!(
        now.iter()
            .map(|l| (l.soort.as_str(), l.removed_by.is_some()))
            .collect::<Vec<_>>(),
        [("start", false), ("stop", true)]
    );

    // What the rules across messages ask of this client: the allocations of
    // this gemeente to this provider with their starts and stops, nothing of
    // another provider or another youth.
    let mut tx = store.begin().await.unwrap();
    let aanbieder = allocation.header.ontvanger.clone();
    let bsn = allocation.client.bsn.clone();
    let found = tx
        .toewijzingen_van_client(&gemeente, &aanbieder, &bsn)
        .await
        .unwrap();
    assert!(found.toewijzingen.iter().any(|(t, _)| t.nummer == nummer));
    assert!(
        found
            .toewijzingen
            .iter()
            .all(|(t, _)| t.aanbieder.as_str() == aanbieder)
    );
    let of_this: Vec<_> = found
        .leveringen
        .iter()
        .filter(|l| l.toewijzing_nummer == nummer)
        .map(|l| (l.soort.as_str(), l.removed_by.is_some()))
        .collect();
    assert_eq!(of_this, [("start", false), ("stop", true)]);
    let other = tx
        .toewijzingen_van_client(&gemeente, "99999999", &bsn)
        .await
        .unwrap();
    assert!(other.toewijzingen.is_empty() && other.leveringen.is_empty());
    let nobody = tx
        .toewijzingen_van_client(&gemeente, &aanbieder, "000000012")
        .await
        .unwrap();
    assert!(nobody.toewijzingen.is_empty());
    drop(tx);

    // Not a message: kept with the reason, no retour, nothing applied.
    let (unreadable, answer) = send_bytes(&app, &store, b"<geen bericht").await;
    assert_eq!(unreadable.state, "onleesbaar");
    assert!(unreadable.reason.is_some() && answer.is_none());
    assert_eq!(unreadable.body, b"<geen bericht");
    store.close().await;
}

/// A provider uses an Identificatie once per message type (TR056): a second
/// start under it is refused with 9056 — whether the first was processed in an
/// earlier batch or earlier in the same one, where it is not yet closed.
async fn an_identificatie_is_used_once(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    exchange(&app).await;
    let store = Store::connect(url).await.unwrap();
    let allocations: Vec<jw301::Bericht> = outbox(&store)
        .await
        .into_iter()
        .filter(|o| o.message.berichtsoort == "JW301")
        .filter_map(|o| match ijw::decode(o.message.body.as_bytes()) {
            Ok(Bericht::Jw301(b)) => Some(b),
            _ => None,
        })
        .collect();
    let aanbieder = &allocations[0].header.ontvanger;
    let nummer =
        |b: &jw301::Bericht| b.client.toegewezen_producten.toegewezen_product[0].toewijzing_nummer;
    let mut same: Vec<&jw301::Bericht> = allocations
        .iter()
        .filter(|b| {
            &b.header.ontvanger == aanbieder && b.header.afzender == allocations[0].header.afzender
        })
        .collect();
    same.sort_by_key(|b| nummer(b));
    same.dedup_by_key(|b| nummer(b));
    assert!(
        same.len() >= 3,
        "the demo gives one provider three allocations"
    );
    let eerste = StatusAanlevering::EersteAanlevering;

    // Two starts under "D1", received before either is processed: one batch.
    let receive = async |bericht: Bericht| {
        let bytes = ijw::encode(&bericht);
        app.bericht_ontvangen(Kanaal::Api, bytes.as_bytes())
            .await
            .unwrap()
    };
    let first = receive(start_of(same[0], "D1", eerste)).await;
    let second = receive(start_of(same[1], "D1", eerste)).await;
    let done = app.berichten_verwerken(10).await.unwrap();
    assert_eq!((done.verwerkt, done.afgekeurd), (1, 1), "{done:?}");
    assert_eq!(inbox(&store, first).await.state, "verwerkt");
    let refused = inbox(&store, second).await;
    assert_eq!(refused.state, "afgekeurd");
    assert!(refused.findings.unwrap().contains("TR056"));
    let out = outbox(&store).await;
    let answer = out
        .iter()
        .find(|o| Some(o.id) == refused.retour_id)
        .unwrap();
    assert!(
        codes(&ijw::decode(answer.message.body.as_bytes()).unwrap()).contains(&"9056".to_owned())
    );

    // "D1" again in a later batch: refused; the refused start under a new
    // Identificatie: applied.
    let (again, answer) = send(&app, &store, &start_of(same[2], "D1", eerste)).await;
    assert_eq!(again.state, "afgekeurd");
    assert!(codes(&answer.unwrap()).contains(&"9056".to_owned()));
    let (fresh, _) = send(&app, &store, &start_of(same[1], "D2", eerste)).await;
    assert_eq!(fresh.state, "verwerkt", "{:?}", fresh.findings);
    store.close().await;
}

jeugdroute_store::backend_tests!(
    allocations_are_delivered_and_answered,
    starts_and_stops_land_on_their_allocation,
    an_identificatie_is_used_once
);
