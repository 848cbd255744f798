//! Attacks on scope and on what is kept: access after a withdrawn allocation, search wildcards, malformed XML.

use jeugdroute_app::{DEMO_PASSWORD, DatabaseUrl};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

use crate::support::{client_without_redirects, serve};

/// An API client signed in as `username` (a demo account).
struct Api {
    addr: String,
    token: String,
    client: reqwest::Client,
}

impl Api {
    async fn sign_in(addr: &str, username: &str) -> Api {
        let client = reqwest::Client::new();
        let response = client
            .post(format!("{addr}/api/v1/login"))
            .json(&json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{username} signs in");
        let body: Value = response.json().await.unwrap();
        Api {
            addr: addr.to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
            client,
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .client
            .get(format!("{}/api/v1{path}", self.addr))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}/api/v1{path}", self.addr))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The cases of the worklist (a provider's: its allocations) as JSON.
    async fn casussen(&self, query: &str) -> Vec<Value> {
        let (status, body) = self.get(&format!("/casussen{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        body["casussen"].as_array().unwrap().clone()
    }
}

/// A browser session on the pages: its cookies, after signing in as `username`.
struct Pages {
    addr: String,
    client: reqwest::Client,
    cookies: Vec<String>,
}

impl Pages {
    async fn sign_in(addr: &str, username: &str) -> Pages {
        let mut pages = Pages {
            addr: addr.to_owned(),
            client: client_without_redirects(),
            cookies: Vec::new(),
        };
        let (_, form) = pages.get("/aanmelden").await;
        let marker = "name=\"csrf\" value=\"";
        let start = form.find(marker).unwrap() + marker.len();
        let csrf = &form[start..start + form[start..].find('"').unwrap()];
        let request = pages.client.post(format!("{addr}/aanmelden")).form(&[
            ("csrf", csrf),
            ("gebruikersnaam", username),
            ("wachtwoord", DEMO_PASSWORD),
        ]);
        let (status, _) = pages.send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{username} signs in");
        pages
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> (StatusCode, String) {
        let response = request
            .header(COOKIE, self.cookies.join("; "))
            .send()
            .await
            .unwrap();
        for set in response.headers().get_all(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
            let name = pair.split('=').next().unwrap().to_owned();
            self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
            self.cookies.push(pair);
        }
        (response.status(), response.text().await.unwrap())
    }

    async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let request = self.client.get(format!("{}{path}", self.addr));
        self.send(request).await
    }
}

/// Issue 12: a provider kept seeing a youth after its only allocation to it was
/// removed as sent by mistake (RedenWijziging 13, "counts as never sent"). Now
/// the case, its JW301 and the youth answer 404 to that provider, on the pages
/// and the API, and the case leaves its list.
async fn verwijderde_toewijzing_geeft_geen_toegang(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let provider = Api::sign_in(&addr, "aanbieder.demo").await;
    let worker = Api::sign_in(&addr, "medewerker.amersfoort").await;
    let lines = provider.casussen("").await;
    // A case of Amersfoort with exactly one allocation to this provider (the demo has some).
    let line = lines
        .iter()
        .find(|l| {
            l["gemeente"] == "0307" && lines.iter().filter(|o| o["id"] == l["id"]).count() == 1
        })
        .unwrap();
    let (id, nummer) = (
        line["id"].as_i64().unwrap(),
        line["toewijzingnummer"].as_i64().unwrap(),
    );
    let case = format!("/casussen/{id}");
    let mut pages = Pages::sign_in(&addr, "aanbieder.demo").await;
    assert_eq!(provider.get(&case).await.0, StatusCode::OK);
    assert_eq!(pages.get(&case).await.0, StatusCode::OK);
    let (_, list) = pages.get("/werkvoorraad").await;
    assert!(list.contains(&format!("href=\"{case}\"")), "listed before");

    let (status, body) = worker
        .post(
            &format!("{case}/toewijzingen/{nummer}"),
            &json!({"soort": "verwijderen", "toelichting": "Naar de verkeerde aanbieder"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["reden_wijziging"], "13");

    for path in [case.clone(), format!("{case}/jw301")] {
        assert_eq!(
            provider.get(&path).await.0,
            StatusCode::NOT_FOUND,
            "API {path}"
        );
    }
    for path in [case.clone(), format!("{case}/jw301.xml")] {
        assert_eq!(
            pages.get(&path).await.0,
            StatusCode::NOT_FOUND,
            "page {path}"
        );
    }
    assert!(
        !provider.casussen("").await.iter().any(|l| l["id"] == id),
        "gone from the API list"
    );
    let (_, list) = pages.get("/werkvoorraad").await;
    assert!(
        !list.contains(&format!("href=\"{case}\"")),
        "gone from the list page"
    );
    // The gemeente still sees the case and its history.
    assert_eq!(worker.get(&case).await.0, StatusCode::OK);
    app.close().await;
}

jeugdroute_store::backend_tests!(verwijderde_toewijzing_geeft_geen_toegang);
