//! The list "Verzoeken" and a request's page over HTTP, and the same as JSON:
//! Amersfoort's worker sees and answers a provider's request, Soest's worker
//! gets "not found", a provider may not, and the API documents its routes.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use chrono::Days;
use ijw::types::basis;
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::{DEMO_PASSWORD, DatabaseUrl, Kanaal};
use reqwest::StatusCode;
use support::serve;

async fn token(addr: &str, username: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{addr}/api/v1/login"))
        .json(&serde_json::json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{username}");
    let body: serde_json::Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

async fn a_request_is_listed_shown_and_answered_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let today = jeugdroute_domain::amsterdam_today(app.now());
    let Bericht::Jw315(mut b) = ijw::voorbeeld(Berichtsoort::Jw315) else {
        panic!("JW315")
    };
    b.header.ontvanger = "0307".into();
    b.header.afzender = "98990011".into();
    b.header.bericht_identificatie = basis::BerichtIdentificatie {
        identificatie: "WEB1".into(),
        dagtekening: today,
    };
    b.client.bsn = "111222333".into();
    let p = &mut b.client.aangevraagde_producten.aangevraagd_product[0];
    p.toewijzing_ingangsdatum = today + Days::new(7);
    p.toewijzing_einddatum = Some(today + Days::new(180));
    let xml = ijw::encode(&Bericht::Jw315(b));
    let inbox = app
        .bericht_ontvangen(Kanaal::Api, xml.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        app.bericht_verwerken(inbox).await.unwrap().state,
        "verwerkt"
    );

    let client = reqwest::Client::new();
    let get = |path: String, token: String| {
        let client = client.clone();
        async move { client.get(path).bearer_auth(token).send().await.unwrap() }
    };
    let amersfoort = token(&addr, "medewerker.amersfoort").await;
    let list: serde_json::Value = get(format!("{addr}/api/v1/verzoeken"), amersfoort.clone())
        .await
        .json()
        .await
        .unwrap();
    let id = list["verzoeken"][0]["id"].as_i64().unwrap();
    assert_eq!(list["verzoeken"][0]["status"], "open");
    assert_eq!(list["verzoeken"][0]["berichtsoort"], "JW315");
    // Received today, five working days to answer: the deadline runs, unflagged.
    assert_eq!(list["verzoeken"][0]["termijn"], "open");
    assert_eq!(list["verzoeken"][0]["te_laat"], false);

    let soest = token(&addr, "medewerker.soest").await;
    let other: serde_json::Value = get(format!("{addr}/api/v1/verzoeken"), soest.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["verzoeken"].as_array().unwrap().len(), 0);
    let response = get(format!("{addr}/api/v1/verzoeken/{id}"), soest.clone()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let aanbieder = token(&addr, "aanbieder.demo").await;
    let response = get(format!("{addr}/api/v1/verzoeken"), aanbieder.clone()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The provider that sent it finds it on its worklist, waiting for the
    // gemeente's answer within five working days.
    let eigen = |aanbieder: String| {
        let get = get(format!("{addr}/api/v1/casussen"), aanbieder);
        async move {
            let body: serde_json::Value = get.await.json().await.unwrap();
            body["verzoeken"].as_array().unwrap().clone()
        }
    };
    let open = eigen(aanbieder.clone()).await;
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["berichtsoort"], "JW315");
    assert_eq!(open[0]["gemeente"], "0307");
    assert_eq!(open[0]["ontvangen"], today.to_string());
    assert_eq!(open[0]["termijn"]["soort"], "antwoord");
    assert_eq!(open[0]["termijn"]["stand"], "open");
    let uiterlijk: chrono::NaiveDate = open[0]["termijn"]["uiterlijk"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        uiterlijk >= today + Days::new(7),
        "five working days span a weekend: {uiterlijk}"
    );
    // A GI answers no provider's requests: neither the list nor one request,
    // though it works for the same gemeente.
    let gi = token(&addr, "gi.medewerker").await;
    let response = get(format!("{addr}/api/v1/verzoeken"), gi.clone()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = get(format!("{addr}/api/v1/verzoeken/{id}"), gi).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // An unknown field and an answer without its reason are refused by name.
    let post = |body: serde_json::Value, token: &str| {
        client
            .post(format!("{addr}/api/v1/verzoeken/{id}/antwoord"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let response = post(
        serde_json::json!({"antwoord": "afwijzen", "x": 1}),
        &amersfoort,
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = post(serde_json::json!({"antwoord": "afwijzen"}), &amersfoort)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("reden"));
    let response = post(serde_json::json!({"antwoord": "in_onderzoek"}), &soest)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let response = post(
        serde_json::json!({"antwoord": "afwijzen", "reden_afwijzing": "8", "gemeente": "0342"}),
        &amersfoort,
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let answered: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answered["status"], "afgewezen");
    assert_eq!(answered["antwoorden"][0]["gemeente"], "0342");
    assert_eq!(
        eigen(aanbieder).await,
        Vec::<serde_json::Value>::new(),
        "answered"
    );

    // The document names the routes.
    let doc: serde_json::Value = get(format!("{addr}/api/v1/openapi.json"), amersfoort)
        .await
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/verzoeken",
        "/api/v1/verzoeken/{id}",
        "/api/v1/verzoeken/{id}/antwoord",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

jeugdroute_store::backend_tests!(a_request_is_listed_shown_and_answered_over_the_api);
