//! The message desk ("Berichten") and the API of a provider's own system, over
//! HTTP in front of the demo region, on SQLite always and on PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set: a provider posts its start and gets the
//! retour at once, its refused and unreadable messages show on the desk with
//! their reason and explained codes, a gemeente's desk never shows another's
//! messages, and the counts reach `/readyz`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use ijw::types::codes::{RetourCode, StatusAanlevering};
use ijw::types::{jw301, jw305};
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::{App, BerichtenZoek, Clock, DEMO_PASSWORD, DatabaseUrl, Kanaal};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::Value;
use support::serve;

/// De Eem, the demo provider of `aanbieder.demo`.
const EEM: &str = "98990011";
/// Amersfoort, the gemeente of `berichten.amersfoort`.
const AMERSFOORT: &str = "0307";

/// A signed-in API client: its bearer token.
async fn login(addr: &str, username: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{addr}/api/v1/login"))
        .json(&serde_json::json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{username}");
    let session: Value = response.json().await.unwrap();
    session["token"].as_str().unwrap().to_owned()
}

async fn get(addr: &str, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{addr}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// A page as the browser of the session `token` sees it (its cookie).
async fn page(addr: &str, token: &str, path: &str) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .get(format!("{addr}{path}"))
        .header(COOKIE, format!("jeugdroute_sessie={token}"))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn post_xml(addr: &str, token: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{addr}/api/v1/berichten"))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/xml")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A JW305 of the provider of `allocation`: the start of its first product.
fn start_of(allocation: &jw301::Bericht, identificatie: &str, status: StatusAanlevering) -> String {
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
    let s: &mut jw305::StartProduct = &mut start.client.start_producten.start_product[0];
    s.toewijzing_nummer = Some(product.toewijzing_nummer);
    s.product = product.product.clone();
    s.toewijzing_ingangsdatum = Some(product.ingangsdatum);
    s.begindatum = product.ingangsdatum;
    s.status_aanlevering = status;
    ijw::encode(&Bericht::Jw305(start))
}

/// Every outgoing message to De Eem through `GET /api/v1/berichten`, page by
/// page after the cursor: (id, the decoded JW301).
async fn fetch_all(addr: &str, token: &str) -> Vec<(i64, jw301::Bericht)> {
    let mut na = 0;
    let mut all = Vec::new();
    loop {
        let response = get(addr, token, &format!("/api/v1/berichten?na={na}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: Value = response.json().await.unwrap();
        let berichten = page["berichten"].as_array().unwrap();
        assert!(berichten.len() <= 100);
        for b in berichten {
            let id = b["id"].as_i64().unwrap();
            assert!(id > na, "oldest first, after the cursor");
            let xml = b["xml"].as_str().unwrap();
            assert_eq!(
                ijw::kop(xml.as_bytes()).unwrap().aan(),
                Some(EEM),
                "only what is addressed to De Eem"
            );
            if let Ok(Bericht::Jw301(jw301)) = ijw::decode(xml.as_bytes()) {
                all.push((id, jw301));
            }
        }
        let volgende = page["volgende"].as_i64().unwrap();
        if berichten.is_empty() {
            assert_eq!(volgende, na, "nothing after the last: the cursor stays");
            return all;
        }
        na = volgende;
    }
}

async fn inbox_total(app: &App) -> i64 {
    let mut tx = app.store().begin().await.unwrap();
    tx.inbox_counts()
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum()
}

/// The number after `label: ` in the readiness detail.
fn count(detail: &str, label: &str) -> i64 {
    detail
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .unwrap_or_else(|| panic!("{label} in {detail}"))
        .parse()
        .unwrap()
}

async fn berichten_story(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let eem = login(&addr, "aanbieder.demo").await;
    let desk = login(&addr, "berichten.amersfoort").await;
    let beheer = login(&addr, "beheer").await;
    let worker = login(&addr, "medewerker.amersfoort").await;

    // The provider's system fetches its JW301s, after a cursor, oldest first.
    let allocations = fetch_all(&addr, &eem).await;
    let (ours, theirs): (Vec<_>, Vec<_>) = allocations
        .iter()
        .partition(|(_, a)| a.header.afzender == AMERSFOORT);
    let (first_id, amersfoort) = ours.first().expect("an allocation of Amersfoort to De Eem");
    let (_, elders) = theirs
        .first()
        .expect("an allocation of another gemeente to De Eem");

    // It acknowledges one; another provider's message is not found.
    let response = reqwest::Client::new()
        .post(format!("{addr}/api/v1/berichten/{first_id}/ontvangen"))
        .bearer_auth(&eem)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let ack: Value = response.json().await.unwrap();
    assert_eq!(ack["id"], *first_id);
    assert!(ack["ontvangst_bevestigd_op"].is_string());
    let fetched = get(
        &addr,
        &eem,
        &format!("/api/v1/berichten?na={}", first_id - 1),
    )
    .await;
    let fetched: Value = fetched.json().await.unwrap();
    assert!(fetched["berichten"][0]["ontvangst_bevestigd_op"].is_string());
    let others = {
        let mut tx = app.store().begin().await.unwrap();
        tx.outbox_regels(&jeugdroute_store::BerichtFilter {
            parties: None,
            state: None,
            berichtsoort: None,
            before: None,
            limit: 10_000,
        })
        .await
        .unwrap()
    };
    let another = others.iter().find(|o| o.receiver != EEM).unwrap();
    let response = reqwest::Client::new()
        .post(format!("{addr}/api/v1/berichten/{}/ontvangen", another.id))
        .bearer_auth(&eem)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Removing a start that never came is refused, answered with its retour.
    let removal = start_of(
        amersfoort,
        "ST0000000001",
        StatusAanlevering::VerwijderenAanlevering,
    );
    let response = post_xml(&addr, &eem, removal).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "refused, with its retour"
    );
    let retour = response.bytes().await.unwrap();
    assert_eq!(ijw::kop(&retour).unwrap().soort, Berichtsoort::Jw306);

    // A start for Amersfoort's allocation is answered at once with its JW306.
    let start = start_of(
        amersfoort,
        "ST0000000002",
        StatusAanlevering::EersteAanlevering,
    );
    let response = post_xml(&addr, &eem, start).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let retour = response.bytes().await.unwrap();
    assert_eq!(ijw::kop(&retour).unwrap().soort, Berichtsoort::Jw306);
    assert!(ijw::validate(&retour).is_valid());

    // Bytes that are not XML: 422 with the findings.
    let response = post_xml(&addr, &eem, "dit is geen XML").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fout: Value = response.json().await.unwrap();
    assert!(!fout["velden"].as_array().unwrap().is_empty(), "{fout}");
    // A message to Amersfoort the schema refuses: unreadable, with its reason.
    let broken = start_of(
        amersfoort,
        "ST0000000003",
        StatusAanlevering::EersteAanlevering,
    )
    .replace(&amersfoort.client.bsn, "12AB");
    let response = post_xml(&addr, &eem, broken).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A message in another provider's name: 403, nothing stored.
    let before = inbox_total(&app).await;
    let foreign = start_of(
        amersfoort,
        "ST0000000004",
        StatusAanlevering::EersteAanlevering,
    )
    .replace(&format!(">{EEM}<"), ">98990022<");
    assert_ne!(ijw::kop(foreign.as_bytes()).unwrap().van(), Some(EEM));
    let response = post_xml(&addr, &eem, foreign).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(inbox_total(&app).await, before, "nothing stored");
    // Too large for the route: refused before anything is read.
    let response = post_xml(&addr, &eem, vec![b' '; 26 * 1024 * 1024]).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(inbox_total(&app).await, before);

    // A start for another gemeente's allocation: not on Amersfoort's desk.
    let elders_start = start_of(elders, "ST0000000005", StatusAanlevering::EersteAanlevering);
    assert_eq!(
        post_xml(&addr, &eem, elders_start).await.status(),
        StatusCode::OK
    );

    // The desk: the refused message with its reason and its code explained.
    let inbox: Value = get(&addr, &desk, "/api/v1/berichten/inbox")
        .await
        .json()
        .await
        .unwrap();
    let berichten = inbox["berichten"].as_array().unwrap();
    assert!(
        berichten.iter().all(|b| b["ontvanger"] == AMERSFOORT),
        "only Amersfoort's: {inbox}"
    );
    let refused = berichten
        .iter()
        .find(|b| b["status"] == "afgekeurd")
        .expect("the refused removal");
    let code = refused["retourcodes"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let explained = jeugdroute_app::uitleg(code.parse::<RetourCode>().unwrap());
    assert_eq!(refused["retourcodes"][0]["uitleg"], explained);
    assert!(refused["reden"].is_string());
    assert_eq!(refused["termijnen"][0]["soort"], "retour");
    let unreadable = berichten
        .iter()
        .find(|b| b["status"] == "onleesbaar")
        .expect("the broken message");
    let reden = unreadable["reden"].as_str().unwrap().to_owned();
    let (status, html) = page(&addr, &desk, "/berichten?status=afgekeurd").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("Retourcode {code}")), "{html}");
    assert!(html.contains(&askama_escaped(explained)));
    let (_, html) = page(&addr, &desk, "/berichten?status=onleesbaar").await;
    assert!(html.contains(&askama_escaped(&reden)), "{html}");
    // One message: its XML, escaped, and what answered it.
    let id = refused["id"].as_i64().unwrap();
    let (status, html) = page(&addr, &desk, &format!("/berichten/ontvangen/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("&#60;jw305:Bericht") && !html.contains("<jw305:"),
        "the XML is shown escaped: {html}"
    );
    assert!(html.contains("JW306"), "answered by its retour");
    let detail: Value = get(&addr, &desk, &format!("/api/v1/berichten/inbox/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["antwoorden"][0]["berichtsoort"], "JW306");
    // The outbox: Amersfoort's own and what went to it only.
    let outbox: Value = get(&addr, &desk, "/api/v1/berichten/outbox?soort=JW301")
        .await
        .json()
        .await
        .unwrap();
    let sent = outbox["berichten"].as_array().unwrap();
    assert!(!sent.is_empty());
    assert!(sent.iter().all(|b| b["afzender"] == AMERSFOORT));
    let (status, _) = page(&addr, &desk, "/berichten/verzonden?soort=JW301").await;
    assert_eq!(status, StatusCode::OK);

    // Another gemeente's message: not in the list, not by its number.
    let all: Value = get(&addr, &beheer, "/api/v1/berichten/inbox")
        .await
        .json()
        .await
        .unwrap();
    let other = all["berichten"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["ontvanger"] == elders.header.afzender.as_str())
        .expect("the beheerder sees every gemeente's");
    let other_id = other["id"].as_i64().unwrap();
    assert!(berichten.iter().all(|b| b["id"] != other_id));
    let (status, _) = page(&addr, &desk, &format!("/berichten/ontvangen/{other_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = get(&addr, &desk, &format!("/api/v1/berichten/inbox/{other_id}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let not_ours = others
        .iter()
        .find(|o| o.sender != AMERSFOORT && o.receiver != AMERSFOORT)
        .unwrap();
    let response = get(
        &addr,
        &desk,
        &format!("/api/v1/berichten/outbox/{}", not_ours.id),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Filters are checked by name.
    let response = get(&addr, &desk, "/api/v1/berichten/inbox?status=zoek").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A worker and a provider get no desk, and no menu item for it.
    for token in [&worker, &eem] {
        let (status, _) = page(&addr, token, "/berichten").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let response = get(&addr, token, "/api/v1/berichten/inbox").await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = get(&addr, token, &format!("/api/v1/berichten/inbox/{id}")).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let (_, html) = page(&addr, &worker, "/werkvoorraad").await;
    assert!(!html.contains("href=\"/berichten\""));
    let (_, html) = page(&addr, &desk, "/").await;
    assert!(html.contains("href=\"/berichten\""));
    // Nor does a worker post or fetch as a provider.
    let start = start_of(
        amersfoort,
        "ST0000000006",
        StatusAanlevering::EersteAanlevering,
    );
    assert_eq!(
        post_xml(&addr, &worker, start).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = get(&addr, &worker, "/api/v1/berichten?na=0").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Every list shown is in the audit log, naming its clients.
    let log: Value = get(
        &addr,
        &beheer,
        "/api/v1/beheer/audit?gebeurtenis=berichten.ontvangen-bekijken&gebruiker=berichten.amersfoort",
    )
    .await
    .json()
    .await
    .unwrap();
    let regels = log["regels"].as_array().unwrap();
    assert!(!regels.is_empty());
    assert!(
        regels
            .iter()
            .any(|r| !r["jeugdigen"].as_array().unwrap().is_empty())
    );
    let log: Value = get(
        &addr,
        &beheer,
        "/api/v1/beheer/audit?gebeurtenis=bericht.aanleveren",
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        log["regels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["uitkomst"] == "geweigerd")
    );

    // Readiness counts the traffic; a message left waiting past its retour
    // deadline counts as passed.
    let detail = reqwest::get(format!("{addr}/readyz")).await.unwrap();
    assert_eq!(detail.status(), StatusCode::OK);
    let detail = detail.text().await.unwrap();
    assert!(count(&detail, "berichten afgekeurd") >= 1, "{detail}");
    assert!(count(&detail, "berichten onleesbaar") >= 2, "{detail}");
    let passed = count(&detail, "termijnen verlopen");
    let weeks_ago = app.with_clock(Clock::at(chrono::Utc::now() - chrono::Days::new(14)));
    let late = start_of(
        amersfoort,
        "ST0000000007",
        StatusAanlevering::EersteAanlevering,
    );
    weeks_ago
        .bericht_ontvangen(Kanaal::Map, late.as_bytes())
        .await
        .unwrap();
    let detail = reqwest::get(format!("{addr}/readyz"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(count(&detail, "termijnen verlopen"), passed + 1, "{detail}");
    assert!(count(&detail, "berichten wachtend") >= 1);
    let user = {
        let mut tx = app.store().begin().await.unwrap();
        tx.account("berichten.amersfoort")
            .await
            .unwrap()
            .unwrap()
            .user
    };
    let zoek = BerichtenZoek {
        status: Some("ontvangen".into()),
        ..BerichtenZoek::default()
    };
    let actor = jeugdroute_app::Actor { user, source: None };
    let waiting = app.berichten_ontvangen(&actor, &zoek).await.unwrap();
    assert_eq!(
        waiting[0].termijnen[0].stand,
        jeugdroute_domain::Termijnstand::Verlopen
    );
    let (_, html) = page(&addr, &desk, "/berichten?status=ontvangen").await;
    assert!(
        html.contains("nl-badge--signaal\">verlopen</strong>"),
        "{html}"
    );
    app.close().await;
}

/// Text as askama writes it into a page.
fn askama_escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

jeugdroute_store::backend_tests!(berichten_story);
