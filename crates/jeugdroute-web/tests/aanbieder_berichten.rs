//! The provider's messages over the JSON API, black box, on SQLite always and
//! on PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo provider
//! reads an allocation it received and reports its start; wrong input is
//! refused by field, another gemeente's number is not found, and a worker may
//! not write a provider's messages.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use ijw::Bericht;
use jeugdroute_app::{App, DEMO_PASSWORD, DatabaseUrl};
use reqwest::StatusCode;
use serde_json::json;
use support::serve;

async fn token(addr: &str, username: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{addr}/api/v1/login"))
        .json(&json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{username}");
    let body: serde_json::Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// Delivers and processes until nothing moves.
async fn exchange(app: &App) {
    loop {
        let delivered = app.berichten_bezorgen(10_000).await.unwrap();
        let done = app.berichten_verwerken(10_000).await.unwrap();
        if delivered == 0 && done.totaal() == 0 {
            return;
        }
    }
}

async fn the_provider_writes_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    exchange(&app).await;
    let provider = "98990011";
    let mut tx = app.store().begin().await.unwrap();
    let mut out = tx.outbox_of(None, None, 100_000).await.unwrap();
    drop(tx);
    out.reverse();
    let Bericht::Jw301(allocation) = out
        .iter()
        .filter(|o| o.message.berichtsoort == "JW301" && o.message.receiver == provider)
        .map(|o| ijw::decode(o.message.body.as_bytes()).unwrap())
        .next()
        .unwrap()
    else {
        panic!("JW301")
    };
    let gemeente = allocation.header.afzender.clone();
    let product = &allocation.client.toegewezen_producten.toegewezen_product[0];
    let path = format!(
        "{addr}/api/v1/toewijzingen/{gemeente}/{}",
        product.toewijzing_nummer
    );
    let client = reqwest::Client::new();
    let aanbieder = token(&addr, "aanbieder.demo").await;

    let response = client
        .get(&path)
        .bearer_auth(&aanbieder)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["toewijzingnummer"], product.toewijzing_nummer);
    assert!(!body["versies"].as_array().unwrap().is_empty());

    // Wrong input, by field: an unknown reason, and a field the document lacks.
    let response = client
        .post(format!("{path}/stop"))
        .bearer_auth(&aanbieder)
        .json(&json!({"begindatum": product.ingangsdatum, "einddatum": product.ingangsdatum, "reden_beeindiging": "99"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fout = response.text().await.unwrap();
    assert!(fout.contains("reden_beeindiging"), "{fout}");
    let response = client
        .post(format!("{path}/start"))
        .bearer_auth(&aanbieder)
        .json(&json!({"begindatum": product.ingangsdatum, "bsn": "123456782"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The start: a JW305 waiting for the gemeente.
    let response = client
        .post(format!("{path}/start"))
        .bearer_auth(&aanbieder)
        .json(&json!({"begindatum": product.ingangsdatum}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bericht: serde_json::Value = response.json().await.unwrap();
    assert_eq!(bericht["berichtsoort"], "JW305");
    assert!(bericht["verzonden"].is_null());
    exchange(&app).await;
    let body: serde_json::Value = client
        .get(&path)
        .bearer_auth(&aanbieder)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["berichten"][0]["retour"], "goedgekeurd");

    // Another gemeente's number, or none at all: not found.
    let other = if gemeente == "0307" { "0342" } else { "0307" };
    for wrong in [
        format!("{addr}/api/v1/toewijzingen/{other}/99999"),
        format!("{addr}/api/v1/toewijzingen/{gemeente}/abc"),
    ] {
        let response = client
            .post(format!("{wrong}/start"))
            .bearer_auth(&aanbieder)
            .json(&json!({"begindatum": product.ingangsdatum}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{wrong}");
    }
    // A worker may not write a provider's messages.
    let worker = token(&addr, "medewerker.amersfoort").await;
    let response = client.get(&path).bearer_auth(&worker).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    app.close().await;
}

/// The cookies a response sets, as one `Cookie` header with those given.
fn cookies(response: &reqwest::Response, mut jar: Vec<String>) -> Vec<String> {
    for set in response.headers().get_all(reqwest::header::SET_COOKIE) {
        let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
        let name = pair.split('=').next().unwrap().to_owned();
        jar.retain(|c| !c.starts_with(&format!("{name}=")));
        jar.push(pair);
    }
    jar
}

fn csrf_in(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_owned()
}

/// The allocation page of the demo provider, its forms without JavaScript: a
/// start reported, a stop with a wrong date shown again with the error.
async fn the_provider_writes_on_its_pages(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    exchange(&app).await;
    let mut tx = app.store().begin().await.unwrap();
    let out = tx.outbox_of(None, None, 100_000).await.unwrap();
    drop(tx);
    let Bericht::Jw301(allocation) = out
        .iter()
        .rev()
        .filter(|o| o.message.berichtsoort == "JW301" && o.message.receiver == "98990011")
        .map(|o| ijw::decode(o.message.body.as_bytes()).unwrap())
        .next()
        .unwrap()
    else {
        panic!("JW301")
    };
    let product = &allocation.client.toegewezen_producten.toegewezen_product[0];
    let page = format!(
        "/toewijzingen/{}/{}",
        allocation.header.afzender, product.toewijzing_nummer
    );
    let client = support::client_without_redirects();
    let form = client
        .get(format!("{addr}/aanmelden"))
        .send()
        .await
        .unwrap();
    let jar = cookies(&form, Vec::new());
    let csrf = csrf_in(&form.text().await.unwrap());
    let signed_in = client
        .post(format!("{addr}/aanmelden"))
        .header(reqwest::header::COOKIE, jar.join("; "))
        .form(&[
            ("csrf", csrf.as_str()),
            ("gebruikersnaam", "aanbieder.demo"),
            ("wachtwoord", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let jar = cookies(&signed_in, jar).join("; ");
    let shown = client
        .get(format!("{addr}{page}"))
        .header(reqwest::header::COOKIE, &jar)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    let html = shown.text().await.unwrap();
    assert!(html.contains("Start van de zorg melden (JW305)"), "{html}");
    let csrf = csrf_in(&html);
    let begin = product.ingangsdatum.to_string();
    let started = client
        .post(format!("{addr}{page}/start"))
        .header(reqwest::header::COOKIE, &jar)
        .form(&[("csrf", csrf.as_str()), ("begindatum", begin.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let refused = client
        .post(format!("{addr}{page}/stop"))
        .header(reqwest::header::COOKIE, &jar)
        .form(&[
            ("csrf", csrf.as_str()),
            ("begindatum", begin.as_str()),
            ("einddatum", "gisteren"),
            ("reden_beeindiging", "31"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Einddatum: geef een datum als JJJJ-MM-DD."),
        "{html}"
    );
    assert!(html.contains("JW3050000001"), "the start is listed: {html}");
    app.close().await;
}

jeugdroute_store::backend_tests!(
    the_provider_writes_over_the_api,
    the_provider_writes_on_its_pages
);
