//! The web application as a black box over HTTP: a real server on port 0 in front
//! of a fresh database, spoken to with a real HTTP client.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

mod support;

use jeugdroute_app::{Actor, App, DEMO_PASSWORD, DatabaseUrl, WachttijdInvoer};
use jeugdroute_store::testing::TestDatabase;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use support::{NOOR, assert_valid_jw301, serve};

struct TestServer {
    addr: String,
    app: App,
    _db: TestDatabase,
}

async fn spawn_app(with_demo: bool) -> TestServer {
    let db = TestDatabase::sqlite();
    let (addr, app) = serve(&db.url, with_demo).await;
    TestServer { addr, app, _db: db }
}

/// A browser without JavaScript: it keeps its cookies, follows no redirects by
/// itself, and reads the CSRF token from the last form it was shown.
struct Browser {
    addr: String,
    client: reqwest::Client,
    cookies: Vec<(String, String)>,
    csrf: String,
}

/// What a page request answered.
struct Page {
    status: StatusCode,
    location: Option<String>,
    html: String,
}

impl Browser {
    fn new(addr: &str) -> Browser {
        Browser {
            addr: addr.to_owned(),
            client: support::client_without_redirects(),
            cookies: Vec::new(),
            csrf: String::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request.header(COOKIE, cookie).send().await.unwrap();
        for set in response.headers().get_all(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, _) = set.split_once(';').unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !set.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_owned());
        let html = response.text().await.unwrap();
        if let Some(token) = csrf_in(&html) {
            self.csrf = token;
        }
        Page {
            status,
            location,
            html,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.addr));
        self.send(request).await
    }

    /// Submits a form with this browser's CSRF token.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        form.extend_from_slice(fields);
        let request = self.client.post(format!("{}{path}", self.addr)).form(&form);
        self.send(request).await
    }

    async fn sign_in(&mut self, username: &str) {
        self.get("/aanmelden").await;
        let page = self
            .post(
                "/aanmelden",
                &[("gebruikersnaam", username), ("wachtwoord", DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{username} signs in");
        // The first page after signing in carries the session's own CSRF token.
        self.get("/").await;
    }
}

/// `medewerker.amersfoort` signed in with a new case of Noor: the browser and
/// the case's path.
async fn worker_with_case(addr: &str) -> (Browser, String) {
    let mut worker = Browser::new(addr);
    worker.sign_in("medewerker.amersfoort").await;
    let melding = [
        &NOOR[..],
        &[
            ("ouder_1_naam", "Eva de Vries"),
            ("ouder_1_telefoon", "06 12345678"),
            ("ouder_1_gezag", "ja"),
            ("ouder_2_naam", "Oma de Vries"),
        ],
    ]
    .concat();
    let case = worker
        .post("/meldingen/nieuw", &melding)
        .await
        .location
        .unwrap();
    (worker, case)
}

fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    reqwest::get(format!("{}{path}", server.addr))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_start_page_names_the_region_and_all_seven_gemeenten() {
    let server = spawn_app(true).await;
    let response = get(&server, "/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("<h1 class=\"nl-heading nl-heading--level-1\">Regio Amersfoort</h1>"));
    for (name, code) in [
        ("Amersfoort", "0307"),
        ("Baarn", "0308"),
        ("Bunschoten", "0313"),
        ("Eemnes", "0317"),
        ("Leusden", "0327"),
        ("Soest", "0342"),
        ("Woudenberg", "0351"),
    ] {
        // The count of cases closed to local help: fewer than 5 never as a number.
        let overview = server.app.regio_overview().await.unwrap().unwrap();
        let gemeente = jeugdroute_domain::Gemeentecode::parse(code).unwrap();
        let shown = overview.lokaal_aanbod_van(&gemeente).replace('<', "&#60;");
        assert!(
            html.contains(&format!(
                "<tr><td>{name}</td><td>{code}</td><td>{shown}</td></tr>"
            )),
            "{name} missing, or its count of closed cases not as the overview says"
        );
        assert!(
            !["1", "2", "3", "4"].contains(&shown.as_str()),
            "{name}: {shown}"
        );
    }
    assert!(html.contains("afspraken met 12 jeugdhulpaanbieders"));
}

#[tokio::test]
async fn without_a_region_the_start_page_says_how_to_set_one_up() {
    let server = spawn_app(false).await;
    let html = get(&server, "/").await.text().await.unwrap();
    assert!(html.contains("Er is nog geen regio ingericht"));
    assert!(html.contains("jeugdroute demo"));
}

#[tokio::test]
async fn the_sign_in_page_names_the_demo_accounts_only_in_demo_mode() {
    let server = spawn_app(false).await;
    let html = get(&server, "/aanmelden").await.text().await.unwrap();
    assert!(!html.contains("Dit is een demo"), "no demo, no hint");
    let demo = spawn_app(true).await;
    let html = get(&demo, "/aanmelden").await.text().await.unwrap();
    assert!(html.contains("Dit is een demo"));
    assert!(html.contains("het wachtwoord is steeds <strong>demo</strong>"));
    for account in ["medewerker.amersfoort", "aanbieder.demo", "beheer"] {
        assert!(html.contains(&format!("<td>{account}</td>")), "{account}");
    }
}

#[tokio::test]
async fn every_response_has_a_request_id_and_security_headers() {
    let server = spawn_app(false).await;
    let mut ids = Vec::new();
    for path in ["/", "/healthz", "/bestaat-niet", "/static/jeugdroute.css"] {
        let response = get(&server, path).await;
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("{path}: no x-request-id"));
        ids.push(id.to_str().unwrap().to_owned());
        assert_eq!(
            response.headers()["x-content-type-options"],
            "nosniff",
            "{path}"
        );
        assert!(
            response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "each request gets its own id");

    // An id the caller sends is kept, so a request can be traced across systems.
    let response = reqwest::Client::new()
        .get(format!("{}/healthz", server.addr))
        .header("x-request-id", "keten-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "keten-123");
}

#[tokio::test]
async fn unknown_paths_get_a_dutch_not_found_page() {
    let server = spawn_app(false).await;
    let response = get(&server, "/bestaat/niet").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("Pagina niet gevonden"));
    assert!(html.contains("href=\"/\""));
}

#[tokio::test]
async fn liveness_and_readiness_follow_the_database() {
    let server = spawn_app(false).await;
    assert_eq!(get(&server, "/healthz").await.status(), StatusCode::OK);
    assert_eq!(get(&server, "/readyz").await.status(), StatusCode::OK);

    server.app.close().await;
    assert_eq!(
        get(&server, "/healthz").await.status(),
        StatusCode::OK,
        "the process still lives"
    );
    let response = get(&server, "/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.text().await.unwrap(), "database onbereikbaar");

    // A page that needs the database fails opaquely, with the request id to quote.
    let response = get(&server, "/").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(html.contains("Er ging iets mis"));
    assert!(html.contains(&id), "the error page quotes the request id");
    assert!(
        !html.to_lowercase().contains("pool"),
        "no internal detail on the page"
    );
}

fn set_cookie_of(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no cookie {name}"))
}

/// Signing in and out in a browser: the form's token must match its cookie, a
/// wrong password is refused without saying why, the session cookie is HttpOnly
/// and SameSite=Strict (Secure only by configuration), and after signing out the pages
/// send the user back to the sign-in form.
async fn signing_in_and_out(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let mut browser = Browser::new(&addr);

    let page = browser.get("/werkvoorraad").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/aanmelden"));

    let page = browser.get("/aanmelden").await;
    assert!(
        page.html
            .contains("<label class=\"nl-form-label\" for=\"wachtwoord\">Wachtwoord</label>")
    );
    let page = browser
        .post(
            "/aanmelden",
            &[
                ("gebruikersnaam", "medewerker.amersfoort"),
                ("wachtwoord", "fout"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.html
            .contains("De gebruikersnaam of het wachtwoord klopt niet.")
    );
    assert!(
        page.html.contains("value=\"medewerker.amersfoort\""),
        "the name is kept"
    );

    // A sign-in form posted from elsewhere (no matching cookie) is refused.
    let mut stranger = Browser::new(&addr);
    stranger.csrf = browser.csrf.clone();
    let page = stranger
        .post(
            "/aanmelden",
            &[
                ("gebruikersnaam", "medewerker.amersfoort"),
                ("wachtwoord", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        stranger
            .cookies
            .iter()
            .all(|(k, _)| k != "jeugdroute_sessie")
    );

    // The cookie's attributes: a client's X-Forwarded-Proto never makes it
    // Secure (only the configured public URL does).
    let cookie = browser
        .cookies
        .iter()
        .find(|(k, _)| k == "jeugdroute_aanmelden")
        .unwrap()
        .1
        .clone();
    let form = [
        ("csrf", cookie.as_str()),
        ("gebruikersnaam", "medewerker.amersfoort"),
        ("wachtwoord", DEMO_PASSWORD),
    ];
    for (proto, secure) in [("http", false), ("https", false)] {
        let response = browser
            .client
            .post(format!("{addr}/aanmelden"))
            .header(COOKIE, format!("jeugdroute_aanmelden={cookie}"))
            .header("x-forwarded-proto", proto)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/werkvoorraad");
        let session = set_cookie_of(&response, "jeugdroute_sessie");
        assert!(
            session.contains("HttpOnly") && session.contains("SameSite=Strict"),
            "{session}"
        );
        assert_eq!(session.contains("Secure"), secure, "{session}");
    }

    browser.sign_in("medewerker.amersfoort").await;
    let page = browser.get("/werkvoorraad").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("Medewerker Amersfoort") || page.html.contains("(Toegangsmedewerker)")
    );
    assert!(page.html.contains("href=\"/meldingen/nieuw\""));

    // Signing out needs the session's token too.
    let csrf = std::mem::replace(&mut browser.csrf, "vervalst".into());
    let page = browser.post("/afmelden", &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    browser.csrf = csrf;
    let page = browser.post("/afmelden", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        browser
            .cookies
            .iter()
            .all(|(k, _)| k != "jeugdroute_sessie")
    );
    let page = browser.get("/werkvoorraad").await;
    assert_eq!(page.location.as_deref(), Some("/aanmelden"));
    app.close().await;
}

/// From the melding form to the case page and the worklist, in a browser: every
/// field error at once and nothing stored, then the case; the search sends the
/// BSN in the body, never in a URL; another gemeente's worker gets 404; and the
/// beheerder finds every step, the refusal included, in the audit log.
async fn melding_in_the_browser(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let demo_cases = casus_rows(&app).await;
    let mut worker = Browser::new(&addr);
    worker.sign_in("medewerker.amersfoort").await;
    let page = worker.get("/meldingen/nieuw").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("<option value=\"0307\">Amersfoort</option>")
    );
    assert!(
        !page.html.contains("Soest"),
        "only the worker's own gemeenten"
    );

    let mut wrong = NOOR.to_vec();
    wrong[0] = ("bsn", "123456789");
    wrong[7] = ("postcode", "38 LE");
    wrong[11] = ("verwijzer_naam", "");
    let page = worker.post("/meldingen/nieuw", &wrong).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("Verbeter deze 3 velden"),
        "{}",
        page.html
    );
    for field in ["bsn", "postcode", "verwijzer_naam"] {
        assert!(page.html.contains(&format!("href=\"#{field}\"")), "{field}");
        assert!(
            page.html.contains(&format!("id=\"{field}-fout\"")),
            "{field}"
        );
    }
    assert!(
        page.html.contains("value=\"Noor\""),
        "what was typed is kept"
    );
    assert_eq!(casus_rows(&app).await, demo_cases, "nothing stored");

    let page = worker.post("/meldingen/nieuw", &NOOR).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let case_path = page.location.unwrap();
    let id: i64 = case_path
        .strip_prefix("/casussen/")
        .unwrap()
        .parse()
        .unwrap();
    let page = worker.get(&case_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("<h1 class=\"nl-heading nl-heading--level-1\">Noor de Vries</h1>")
    );
    assert!(page.html.contains("Huisarts (Huisartsenpraktijk Eemland)"));

    let page = worker.post("/werkvoorraad", &[("zoek", "999990342")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains(&format!("href=\"/casussen/{id}\">Noor de Vries</a>"))
    );
    assert!(
        !page.html.contains("href=\"/werkvoorraad?"),
        "no search in a URL"
    );
    let page = worker
        .post("/werkvoorraad", &[("zoek", "Jansen-onbekend")])
        .await;
    assert!(page.html.contains("Geen casussen gevonden"));

    let mut soest = Browser::new(&addr);
    soest.sign_in("medewerker.soest").await;
    let page = soest.get(&case_path).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.html.contains("Noor"));

    let mut beheer = Browser::new(&addr);
    beheer.sign_in("beheer").await;
    let page = beheer.get("/beheer/audit").await;
    assert!(page.html.contains("De keten is nog niet gecontroleerd."));
    let page = beheer.post("/beheer/audit/verifieer", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = beheer.get(&format!("/beheer/audit?casus={id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("De keten van het auditlog is compleet."));
    let page = beheer.get("/beheer/audit?gebeurtenis=casus.aanmaken").await;
    assert!(
        page.html
            .contains("href=\"/beheer/audit?gebeurtenis=casus.aanmaken&amp;pagina=2\""),
        "the next page keeps the filters"
    );
    assert!(
        page.html
            .contains("href=\"/beheer/audit.csv?gebeurtenis=casus.aanmaken\"")
    );
    let page = beheer
        .post("/beheer/audit", &[("casus", &id.to_string())])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for (actor, event, outcome) in [
        ("medewerker.amersfoort", "casus.aanmaken", "gelukt"),
        ("medewerker.amersfoort", "casus.bekijken", "gelukt"),
        ("medewerker.amersfoort", "casus.zoeken", "gelukt"),
        ("medewerker.soest", "casus.bekijken", "geweigerd"),
    ] {
        assert!(
            page.html.contains(&format!("<td>{actor}</td>"))
                && page.html.contains(&format!("<td>{event}</td>"))
                && page.html.contains(&format!("<td>{outcome}</td>")),
            "{actor} {event} {outcome}"
        );
    }
    // On whose behalf: the gemeente of the case, for the worker who acts for it.
    assert!(page.html.contains("<td>0307</td><td>casus.bekijken</td>"));
    assert!(page.html.contains("<td>0307</td><td>casus.aanmaken</td>"));
    assert!(
        page.html.contains("<td>–</td><td>casus.bekijken</td><td>"),
        "Soest's refused look was not on Amersfoort's behalf"
    );
    assert!(!page.html.contains("999990342"), "no BSN in the audit page");
    let page = beheer.post("/beheer/audit", &[("van", "22-11-2026")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("href=\"#van\""));
    app.close().await;
}

async fn api_login(addr: &str, username: &str) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{addr}/api/v1/login"))
        .json(&serde_json::json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{username}");
    response.json().await.unwrap()
}

/// The JSON API: sign-in, a melding with errors named per field, the case, and
/// the same access rules as the pages.
async fn melding_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let demo_cases = casus_rows(&app).await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{addr}/api/v1/login"))
        .json(&serde_json::json!({"gebruikersnaam": "medewerker.amersfoort", "wachtwoord": "fout"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["fout"],
        "de gebruikersnaam of het wachtwoord klopt niet"
    );

    let session = api_login(&addr, "medewerker.amersfoort").await;
    assert_eq!(session["rol"], "toegangsmedewerker");
    let token = session["token"].as_str().unwrap();
    let casussen = format!("{addr}/api/v1/casussen");

    let response = client
        .post(&casussen)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "no session");

    let mut melding = object(&NOOR);
    melding.insert("huisnummer".into(), 3.into());
    melding.insert("hobby".into(), "voetbal".into());
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    let velden = body["velden"].as_array().unwrap();
    assert!(
        velden
            .iter()
            .any(|v| v["veld"] == "huisnummer" && v["melding"] == "geef dit veld als tekst")
    );
    assert!(
        velden
            .iter()
            .any(|v| v["melding"] == "onbekend veld 'hobby'")
    );

    melding.remove("hobby");
    melding.insert("huisnummer".into(), "3".into());
    // Typed fields: a parent's gezag is a boolean, and text an iJw message
    // cannot carry is refused by field.
    melding.insert(
        "ouders".into(),
        serde_json::json!([{"naam": "Eva de Vries", "gezag": "ja"}]),
    );
    melding.insert("vraag".into(), "hulp\u{1}nodig".into());
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "ouders");
    assert_eq!(
        body["velden"][0]["melding"],
        "ouders[0].gezag: geef dit veld als true of false"
    );
    melding.insert(
        "ouders".into(),
        serde_json::json!([{"naam": "Eva de Vries", "telefoon": "06 12345678", "gezag": true}]),
    );
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "vraag");
    melding.insert("vraag".into(), NOOR[13].1.into());
    melding.insert("bsn".into(), "123456789".into());
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "bsn");

    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .body("{niet json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(casus_rows(&app).await, demo_cases, "nothing stored");

    melding.insert("bsn".into(), "999990342".into());
    // A house number iJw cannot carry is refused here, not when the JW301 is made.
    let mut geen_nummer = melding.clone();
    geen_nummer.insert("huisnummer".into(), "A1".into());
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&geen_nummer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "huisnummer");
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
    let created: serde_json::Value = response.json().await.unwrap();
    assert_eq!(created["fase"], "melding");
    assert_eq!(created["melding"]["urgentie"], "urgent");
    assert_eq!(created["melding"]["kader"], "vrijwillig");
    assert_eq!(created["ouders"][0]["gezag"], true);
    assert_eq!(created["jeugdige"]["geslacht"], "vrouw");
    // The same youth again: 409 with the open case, until a second is confirmed.
    let response = client
        .post(&casussen)
        .bearer_auth(token)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["open_casussen"], serde_json::json!([created["id"]]));
    assert_eq!(body["velden"][0]["veld"], "tweede_casus");
    assert_eq!(location, format!("/api/v1/casussen/{}", created["id"]));

    let response = client
        .get(format!("{addr}{location}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let fetched: serde_json::Value = response.json().await.unwrap();
    assert_eq!(fetched, created);
    assert_eq!(fetched["jeugdige"]["achternaam"], "de Vries");

    let soest = api_login(&addr, "medewerker.soest").await;
    let response = client
        .get(format!("{addr}{location}"))
        .bearer_auth(soest["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["fout"], "niet gevonden");

    // With the browser's cookie instead of the bearer token, a change needs the
    // session's CSRF token in a header.
    let cookie = format!("jeugdroute_sessie={token}");
    let response = client
        .post(&casussen)
        .header(COOKIE, &cookie)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = client
        .get(format!("{addr}{location}"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "reading needs no CSRF token"
    );
    app.close().await;
}

jeugdroute_store::backend_tests!(
    signing_in_and_out,
    melding_in_the_browser,
    melding_over_the_api
);

#[tokio::test]
async fn the_openapi_document_describes_the_routes_it_names() {
    let server = spawn_app(false).await;
    let response = get(&server, "/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/login",
        "/api/v1/casussen",
        "/api/v1/casussen/{id}",
        "/api/v1/casussen/{id}/jw301",
        "/api/v1/bepaling",
        "/api/v1/voorstel",
        "/api/v1/casussen/{id}/toewijzingen/{nummer}",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path}");
    }
    assert!(
        paths["/api/v1/casussen"]["get"].is_object(),
        "the worklist is documented"
    );
    // Every field the melding schema names is one the API accepts, and back.
    let fields: Vec<&str> = doc["components"]["schemas"]["Melding"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut accepted: Vec<&str> = NOOR.iter().map(|(k, _)| *k).collect();
    accepted.extend([
        "verblijf_sinds",
        "postcode_voor_verblijf",
        "ouders",
        "kader",
        "gi",
        "tweede_casus",
    ]);
    let mut sorted = accepted.clone();
    sorted.sort_unstable();
    let mut documented = fields.clone();
    documented.sort_unstable();
    assert_eq!(documented, sorted);
}

/// Every role on every route, and nobody signed in: what each may reach is
/// exactly what its work needs. A case of another gemeente (or, for a provider,
/// one not allocated to it) is 404, a use case the role may not run is 403, and
/// without a session pages send to the sign-in form and the API answers 401.
async fn every_role_on_every_route(url: &DatabaseUrl) {
    const OK: u16 = 200;
    const CREATED: u16 = 201;
    const TO: u16 = 303;
    const BAD: u16 = 401;
    const NO: u16 = 403;
    const GONE: u16 = 404;
    const FIX: u16 = 422;
    let (addr, app) = serve(url, true).await;
    let (mut owner, case) = worker_with_case(&addr).await;
    let api_case = format!("/api/v1{case}");
    let today = support::today();
    // A case allocated to the demo provider, Jeugdhulp De Eem.
    let given = allocated_case(&mut owner, &NOOR, EEM, today).await;
    let api_given = format!("/api/v1{given}");
    // A case in the forced framework of the demo GI (Jeugdbescherming Eemland);
    // the two above are voluntary, so the GI worker never sees them.
    let forced_form = [
        &NOOR[..],
        &[
            ("tweede_casus", "ja"),
            ("kader", "ondertoezichtstelling"),
            ("gi", "98991001"),
        ],
    ]
    .concat();
    let forced = owner
        .post("/meldingen/nieuw", &forced_form)
        .await
        .location
        .unwrap();
    let (api_forced, forced_stap) = (format!("/api/v1{forced}"), format!("{forced}/stap"));
    let (stap, pdf, xml, page_xml) = (
        format!("{case}/stap"),
        format!("{case}/beschikking.pdf"),
        format!("{api_case}/jw301"),
        format!("{case}/jw301.xml"),
    );
    let (given_stap, given_pdf, given_xml, given_api_xml) = (
        format!("{given}/stap"),
        format!("{given}/beschikking.pdf"),
        format!("{given}/jw301.xml"),
        format!("{api_given}/jw301"),
    );
    let (wijzig, api_wijzig) = (
        format!("{case}/toewijzing/1"),
        format!("{api_case}/toewijzingen/1"),
    );
    let users = [
        "medewerker.amersfoort",
        "medewerker.soest",
        "gi.medewerker",
        "aanbieder.demo",
        "beleid",
        "beheer",
        "",
    ];
    // One row per route: the status for each user above, in that order. The
    // provider sees only the case allocated to it, read-only.
    let (reactie, api_reactie) = (
        format!("{given}/behandeling/reactie"),
        format!("{api_given}/reactie"),
    );
    let (onderaanneming, api_onderaanneming) = (
        given.replace("/casussen/", "/onderaanneming/"),
        given.replace("/casussen/", "/api/v1/onderaanneming/"),
    );
    let matrix: [(&str, &str, [u16; 7]); 39] = [
        ("GET", "/", [OK, OK, OK, OK, OK, OK, OK]),
        ("GET", "/werkvoorraad", [OK, OK, OK, OK, NO, NO, TO]),
        (
            "GET",
            "/werkvoorraad?fase=melding&signaal=ja",
            [OK, OK, OK, OK, NO, NO, TO],
        ),
        ("POST", "/werkvoorraad", [OK, OK, OK, NO, NO, NO, TO]),
        ("GET", "/meldingen/nieuw", [OK, OK, OK, NO, NO, NO, TO]),
        ("POST", "/meldingen/nieuw", [TO, FIX, TO, NO, NO, NO, TO]),
        ("GET", &case, [OK, GONE, GONE, GONE, NO, NO, TO]),
        (
            "GET",
            "/casussen/999999",
            [GONE, GONE, GONE, GONE, NO, NO, TO],
        ),
        // A step form without its step: refused as stale, after the access check.
        ("POST", &stap, [FIX, GONE, GONE, NO, NO, NO, TO]),
        // No letter yet: not found for those who may see the case.
        ("GET", &pdf, [GONE, GONE, GONE, NO, NO, NO, TO]),
        ("GET", &page_xml, [GONE, GONE, GONE, GONE, NO, NO, TO]),
        ("GET", &xml, [GONE, GONE, GONE, GONE, NO, NO, BAD]),
        // No toewijzing yet: not found for those who may change the case.
        ("POST", &wijzig, [GONE, GONE, GONE, NO, NO, NO, TO]),
        ("POST", &api_wijzig, [GONE, GONE, GONE, NO, NO, NO, BAD]),
        ("GET", &given, [OK, GONE, GONE, OK, NO, NO, TO]),
        ("GET", &forced, [OK, GONE, OK, GONE, NO, NO, TO]),
        ("POST", &forced_stap, [FIX, GONE, FIX, NO, NO, NO, TO]),
        ("POST", &given_stap, [FIX, GONE, GONE, NO, NO, NO, TO]),
        ("GET", &given_pdf, [OK, GONE, GONE, NO, NO, NO, TO]),
        ("GET", &given_xml, [OK, GONE, GONE, OK, NO, NO, TO]),
        ("GET", &given_api_xml, [OK, GONE, GONE, OK, NO, NO, BAD]),
        // The provider's own part: only the provider writes it (here a form and
        // a body without its answer).
        ("POST", &reactie, [NO, NO, NO, FIX, NO, NO, TO]),
        ("POST", &api_reactie, [NO, NO, NO, FIX, NO, NO, BAD]),
        // Only an onderaannemer of the case sees its page; its hoofdaannemer has
        // its own.
        ("GET", &onderaanneming, [NO, NO, NO, GONE, NO, NO, TO]),
        ("GET", &api_onderaanneming, [NO, NO, NO, GONE, NO, NO, BAD]),
        ("GET", "/beheer/audit", [NO, NO, NO, NO, NO, OK, TO]),
        ("POST", "/beheer/audit", [NO, NO, NO, NO, NO, OK, TO]),
        ("GET", "/api/v1/casussen", [OK, OK, OK, OK, NO, NO, BAD]),
        (
            "POST",
            "/api/v1/casussen",
            [CREATED, FIX, CREATED, NO, NO, NO, BAD],
        ),
        ("GET", &api_case, [OK, GONE, GONE, GONE, NO, NO, BAD]),
        ("GET", &api_forced, [OK, GONE, OK, GONE, NO, NO, BAD]),
        ("GET", &api_given, [OK, GONE, GONE, OK, NO, NO, BAD]),
        (
            "GET",
            "/api/v1/casussen/999999",
            [GONE, GONE, GONE, GONE, NO, NO, BAD],
        ),
        ("GET", "/api/v1/openapi.json", [OK, OK, OK, OK, OK, OK, OK]),
        // The directory has no client's data: workers and policy staff.
        ("GET", "/aanbieders", [OK, OK, OK, NO, OK, NO, TO]),
        ("GET", "/api/v1/aanbieders", [OK, OK, OK, NO, OK, NO, BAD]),
        (
            "GET",
            "/api/v1/aanbieder/wachttijd",
            [NO, NO, NO, OK, NO, NO, BAD],
        ),
        ("POST", "/api/v1/bepaling", [OK, OK, OK, NO, NO, NO, BAD]),
        ("POST", "/api/v1/voorstel", [OK, OK, OK, NO, NO, NO, BAD]),
    ];
    let mut melding = object(&forced_form[..forced_form.len() - 3]);
    melding.insert("tweede_casus".into(), true.into());
    melding.insert("kader".into(), "ondertoezichtstelling".into());
    melding.insert("gi".into(), "98991001".into());
    let wijziging =
        serde_json::json!({"soort": "verwijderen", "toelichting": "Verkeerd verstuurd"});
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for (i, username) in users.iter().enumerate() {
        let mut browser = Browser::new(&addr);
        let mut token = None;
        if !username.is_empty() {
            browser.sign_in(username).await;
            token = api_login(&addr, username).await["token"]
                .as_str()
                .map(str::to_owned);
        }
        for (method, path, expected) in &matrix {
            let status = if path.starts_with("/api/") {
                let mut request = match *method {
                    "GET" => client.get(format!("{addr}{path}")),
                    _ if path.ends_with("/bepaling") => client
                        .post(format!("{addr}{path}"))
                        .json(&object(&BEPALING)),
                    _ if path.ends_with("/voorstel") => client
                        .post(format!("{addr}{path}"))
                        .json(&object(&[("richtlijnen", "midden.gemiddeld")])),
                    _ if path.ends_with("/casussen") => {
                        client.post(format!("{addr}{path}")).json(&melding)
                    }
                    _ => client.post(format!("{addr}{path}")).json(&wijziging),
                };
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                request.send().await.unwrap().status()
            } else if *method == "GET" {
                browser.get(path).await.status
            } else {
                browser.post(path, &forced_form).await.status
            };
            if status.as_u16() != expected[i] {
                failures.push(format!(
                    "{method} {path} as {username:?}: {status}, expected {}",
                    expected[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.close().await;
}

jeugdroute_store::backend_tests!(every_role_on_every_route);

/// Form fields as a JSON object of text.
fn object(fields: &[(&str, &str)]) -> serde_json::Map<String, serde_json::Value> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).into()))
        .collect()
}

/// The answers of the bemiddeling step that give arrangement code 50H22.
const BEPALING: [(&str, &str); 2] = [("arrangement", "2"), ("intensiteit", "midden")];

/// The live determination over the API: the code and its reasons for a worker,
/// the wrong answers named per field, and every field as the OpenAPI document says.
async fn bepaling_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let token = api_login(&addr, "medewerker.amersfoort").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ask = |body: serde_json::Value| {
        reqwest::Client::new()
            .post(format!("{addr}/api/v1/bepaling"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let response = ask(object(&BEPALING).into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let d: serde_json::Value = response.json().await.unwrap();
    assert_eq!(d["code"], "50H22");
    assert_eq!(d["uitkomst"], "code");
    assert_eq!(d["intensiteit"], "midden");
    assert!(!d["redenen"].as_array().unwrap().is_empty(), "{d}");
    for reden in d["redenen"].as_array().unwrap() {
        assert!(reden["tekst"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(reden["bron"].as_str().is_some_and(|t| !t.is_empty()));
    }

    let response =
        ask(serde_json::json!({"arrangement": "twee", "intensiteit": "midden", "dagdelen": "2,5"}))
            .await
            .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fout: serde_json::Value = response.json().await.unwrap();
    let velden: Vec<&str> = fout["velden"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["veld"].as_str().unwrap())
        .collect();
    assert_eq!(velden, ["arrangement", "dagdelen"], "{fout}");
    let response = ask(serde_json::json!({"arrangement": 2, "intensiteit": "midden", "bsn": "x"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fout = response.text().await.unwrap();
    assert!(
        fout.contains("geef dit veld als tekst") && fout.contains("onbekend veld 'bsn'"),
        "{fout}"
    );

    // Step 4: an intensity proposal from the guidelines that fit.
    let voorstel = |richtlijnen: &str| {
        reqwest::Client::new()
            .post(format!("{addr}/api/v1/voorstel"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "richtlijnen": richtlijnen }))
            .send()
    };
    let v: serde_json::Value = voorstel("midden.ontwikkelen, midden.gemiddeld,licht.dichtbij")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["intensiteit"], "midden", "{v}");
    assert!(v["uitleg"].as_str().unwrap().contains("u kiest zelf"));
    let none = voorstel("").await.unwrap();
    assert_eq!(none.status(), StatusCode::OK);
    assert_eq!(
        none.text().await.unwrap(),
        "null",
        "nothing ticked, no proposal"
    );
    let unknown = voorstel("midden.verzonnen").await.unwrap();
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().await.unwrap().contains("midden.verzonnen"));
    app.close().await;
}

jeugdroute_store::backend_tests!(bepaling_over_the_api);

/// The first value of a radio button named `name` in a page.
fn first_option(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// The whole route in a browser without JavaScript: melding, vraagverheldering,
/// gezinsanalyse, perspectiefplan, bemiddeling with the determination and its
/// reasons, a provider with its waiting time, match and intake within the
/// deadline, the beschikking as a PDF, and the toewijzing as a JW301 in the
/// outbox that passes the official schema — each step refusing bad input
/// without storing it, and each recorded on the timeline.
async fn from_melding_to_jw301(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    wachttijden_melden(&app, &[(EEM, 3), ("98990055", 5), (KOMPAS, 6)]).await;
    let demo = app.row_counts().await.unwrap();
    let (mut worker, case) = worker_with_case(&addr).await;
    let stap = format!("{case}/stap");
    let page = worker.get(&case).await;
    assert!(page.html.contains("Melding oppakken"));
    assert_eq!(
        worker.post(&stap, &[("fase", "melding")]).await.status,
        StatusCode::SEE_OTHER
    );
    // The same form again (a double click) is refused, not applied twice.
    assert_eq!(
        worker.post(&stap, &[("fase", "melding")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    worker.get(&case).await;
    let page = worker
        .post(
            &stap,
            &[("fase", "vraagverheldering"), ("vraag", "Ruzie thuis")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["opvoedsituatie", "leefgebieden", "netwerk"] {
        assert!(page.html.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    assert!(
        page.html.contains(">Ruzie thuis</textarea>"),
        "what was typed is kept"
    );
    let page = worker
        .post(
            &stap,
            &[
                ("fase", "vraagverheldering"),
                ("vraag", "Ruzie thuis en Noor gaat niet meer naar school"),
                ("opvoedsituatie", "verhoogde-spanning"),
                ("leefgebied_opvoeding", "ja"),
                ("leefgebied_opleiding", "ja"),
                ("netwerk", "Oma woont dichtbij"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    worker.get(&case).await;
    let analyse = [
        ("fase", "vraagduiding"),
        ("behoefte", "b"),
        ("vrij_toegankelijk", "Opvoedcursus gevolgd; niet genoeg"),
    ];
    assert_eq!(
        worker.post(&stap, &analyse).await.status,
        StatusCode::SEE_OTHER
    );
    worker.get(&case).await;
    let plan = [
        ("fase", "plan"),
        ("resultaat_1_leefgebied", "opleiding"),
        ("resultaat_1", "Noor gaat weer elke dag naar school"),
        ("regie", "gi"),
        ("familiegroepsplan", "ja"),
    ];
    let page = worker.post(&stap, &plan).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a familiegroepsplan is the family's"
    );
    assert!(page.html.contains("de regie ligt dan bij het gezin"));
    let mut plan = plan.to_vec();
    plan[3] = ("regie", "gezin");
    assert_eq!(
        worker.post(&stap, &plan).await.status,
        StatusCode::SEE_OTHER
    );

    worker.get(&case).await;
    let keuze = [
        ("fase", "bemiddeling"),
        ("arrangement", "2"),
        ("intensiteit", "midden"),
    ];
    let mut bepalen = keuze.to_vec();
    bepalen.push(("actie", "bepalen"));
    bepalen.push(("richtlijn_midden.gemiddeld", "ja"));
    let page = worker.post(&stap, &bepalen).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("Voorstel: Midden"),
        "the intensity proposal from the ticked guideline"
    );
    bepalen.push(("richtlijn_midden.verzonnen", "ja"));
    let page = worker.post(&stap, &bepalen).await;
    assert!(
        page.html.contains("href=\"#richtlijnen\"")
            && page
                .html
                .contains("onbekende richtlijnen: midden.verzonnen"),
        "a guideline the catalogue does not know is named, not ignored"
    );
    bepalen.pop();
    assert!(
        page.html.contains("Uitkomst: arrangementcode 50H22"),
        "the live determination"
    );
    let page = worker.get(&case).await;
    assert!(
        page.html.contains("stap: <strong>Bemiddeling</strong>"),
        "showing is not deciding"
    );
    assert_eq!(
        worker.post(&stap, &keuze).await.status,
        StatusCode::SEE_OTHER
    );

    let page = worker.get(&case).await;
    assert!(page.html.contains("arrangementcode <strong>50H22</strong>"));
    assert!(
        page.html
            .contains("tot de intake nog niet gemeten; tot de start nog niet gemeten; door de aanbieder gemeld: 3 weken"),
        "waiting times shown, measured and reported"
    );
    the_match_form_proposes_working_days(&page.html);
    slow_providers_are_shown_with_a_warning(&page.html);
    let token = api_login(&addr, "medewerker.amersfoort").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    slow_providers_carry_their_warning_in_the_json(&addr, &token, &case).await;
    let aanbieder = first_option(&page.html, "aanbieder");
    let today = support::today();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    let (match_datum, te_laat, intake, start, end) = (day(0), day(40), day(14), day(14), day(200));
    let mut matchform = vec![
        ("fase", "match-en-intake"),
        ("aanbieder", aanbieder.as_str()),
        ("match_datum", match_datum.as_str()),
        ("intake_datum", te_laat.as_str()),
        ("ingangsdatum", start.as_str()),
        ("einddatum", end.as_str()),
    ];
    let page = worker.post(&stap, &matchform).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("vier weken na de match"));
    matchform[3] = ("intake_datum", intake.as_str());
    assert_eq!(
        worker.post(&stap, &matchform).await.status,
        StatusCode::SEE_OTHER
    );

    let page = worker.get(&case).await;
    assert!(page.html.contains("Beschikking bekijken (PDF)"));
    let pdf = worker
        .client
        .get(format!("{addr}{case}/beschikking.pdf"))
        .header(
            COOKIE,
            worker
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // The letter speaks of this family, in its words, for its gemeente.
    assert!(!pdf_text(&pdf).is_some_and(|text| text.contains("Oma de Vries")));
    letter_says(
        &pdf,
        &[
            "Uw vraag aan ons was: “Ruzie thuis en Noor gaat niet meer naar school”",
            "De opvoeding geeft vaak spanning",
            "Opleiding en school: “Noor gaat weer elke dag naar school”",
            // To the parent with gezag recorded at the melding, not to the
            // grandmother who has none.
            "Eva de Vries",
            "namens het college van burgemeester en wethouders van Amersfoort,",
            "jeugd@amersfoort.example",
        ],
    );
    let mut soest = Browser::new(&addr);
    soest.sign_in("medewerker.soest").await;
    assert_eq!(
        soest.get(&format!("{case}/beschikking.pdf")).await.status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        worker.post(&stap, &[("fase", "beschikking")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = worker.get(&case).await;
    assert!(page.html.contains("stap: <strong>Toewijzing</strong>"));
    assert!(page.html.contains("Bericht JW301</strong> aan"));
    for step in [
        "Vraagverheldering",
        "Vraagduiding en gezinsanalyse",
        "Perspectiefplan",
        "Bemiddeling",
        "Match en intake",
        "Beschikking",
        "Toewijzing",
    ] {
        assert!(
            page.html.contains(&format!("<li><strong>{step}</strong>")),
            "{step} on the timeline"
        );
    }
    let xml = worker.get(&format!("{case}/jw301.xml")).await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(xml.html.contains("<jw301:Code>50H22</jw301:Code>") || xml.html.contains(">50H22<"));
    assert!(
        xml.html.contains(&format!(">{aanbieder}<")),
        "sent to the chosen provider"
    );
    let nummer = toewijzingnummer(&page.html, &case);
    assert!(
        xml.html.contains(&format!(
            "<jw301:ToewijzingNummer>{nummer}</jw301:ToewijzingNummer>"
        )),
        "the allocation's own number"
    );
    assert_valid_jw301(&xml.html);
    // What this case added to the demo's rows.
    let counts = app.row_counts().await.unwrap();
    for (table, n) in [
        ("outbox", 1),
        ("toewijzing", 1),
        ("beschikking", 1),
        ("casus_stap", 7),
    ] {
        let count = |rows: &[(&str, i64)]| rows.iter().find(|(t, _)| *t == table).unwrap().1;
        assert_eq!(count(&counts) - count(&demo), n, "{table}: {counts:?}");
    }

    // The API gives the same JW301 to those allowed, and nothing to others.
    let api = format!("{addr}/api/v1{case}/jw301");
    let response = reqwest::Client::new()
        .get(&api)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), xml.html);
    let soest_token = api_login(&addr, "medewerker.soest").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = reqwest::Client::new()
        .get(&api)
        .bearer_auth(&soest_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    app.close().await;
}

jeugdroute_store::backend_tests!(from_melding_to_jw301);

/// The value of the input `name` in a page.
fn input_value(html: &str, name: &str) -> String {
    let input = &html[html.find(&format!("name=\"{name}\"")).unwrap()..];
    let start = input.find("value=\"").unwrap() + "value=\"".len();
    input[start..start + input[start..].find('"').unwrap()].to_owned()
}

/// The match form's pre-filled match, intake and start dates are working days,
/// the intake within four weeks of the match.
fn the_match_form_proposes_working_days(html: &str) {
    let date = |name| {
        let value = input_value(html, name);
        chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
            .unwrap_or_else(|_| panic!("{name}: {value}"))
    };
    let (matched, intake, start) = (
        date("match_datum"),
        date("intake_datum"),
        date("ingangsdatum"),
    );
    for (name, day) in [("match", matched), ("intake", intake), ("start", start)] {
        assert!(
            jeugdroute_domain::is_working_day(day),
            "{name} on {day} is a working day"
        );
    }
    let today = support::today();
    assert!(today <= matched && matched <= today + chrono::Days::new(4));
    assert!(matched <= intake && intake <= matched + chrono::Days::new(28));
    assert!(intake <= start && start < date("einddatum"));
    // The deadline beside the form counts from the proposed match, as dd-mm-jjjj.
    assert!(html.contains(&format!(
        "bij een match op {} uiterlijk op <strong>{}</strong>",
        jeugdroute_domain::short_date(matched),
        jeugdroute_domain::short_date(matched + chrono::Days::new(28))
    )));
}

/// The providers for 50H22 as they reported: De Eem waits 3 weeks, Samen
/// Sterk 5 and Kompas 6; the two beyond the four weeks of the intake deadline carry a
/// warning before the choice, De Eem none.
fn slow_providers_are_shown_with_a_warning(html: &str) {
    for (agb, weken) in [(KOMPAS, 6), ("98990055", 5)] {
        let warning = format!(
            "<p class=\"nl-radio__hint\" id=\"aanbieder-{agb}-waarschuwing\"><span class=\"nl-badge nl-badge--signaal\">Let op</span> Wachttijd {weken} weken: langer dan de intaketermijn van 4 weken. Overleg met de aanbieder of kies een andere.</p>"
        );
        assert!(html.contains(&warning), "{agb}: {html}");
        assert!(html.contains(&format!(
            "aria-describedby=\"aanbieder-{agb}-waarschuwing\""
        )));
    }
    assert!(!html.contains(&format!("aanbieder-{EEM}-waarschuwing")));
}

/// The case's JSON at match en intake lists the providers with the same warning.
async fn slow_providers_carry_their_warning_in_the_json(addr: &str, token: &str, case: &str) {
    let body: serde_json::Value = reqwest::Client::new()
        .get(format!("{addr}/api/v1{case}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let aanbieders = body["aanbieders"].as_array().unwrap();
    let of = |agb: &str| {
        aanbieders
            .iter()
            .find(|a| a["agb"] == agb)
            .unwrap_or_else(|| panic!("{agb} in {body}"))
    };
    assert_eq!(of(EEM)["wachttijd_weken"], 3);
    assert!(
        of(EEM)["gemeten_wachttijd"].is_null(),
        "nothing of 50H22 started lately"
    );
    assert!(of(EEM)["waarschuwing"].is_null());
    let kompas = &of(KOMPAS)["waarschuwing"];
    assert_eq!(kompas["wachttijd_weken"], 6);
    assert_eq!(kompas["intaketermijn_weken"], 4);
    assert_eq!(
        kompas["tekst"],
        "Wachttijd 6 weken: langer dan de intaketermijn van 4 weken. Overleg met de aanbieder of kies een andere."
    );
}

/// Providers report their expected waits in weeks, as on their worklist
/// (the demo reports none: its waits are measured).
async fn wachttijden_melden(app: &App, wachttijden: &[(&str, i64)]) {
    for (agb, weken) in wachttijden {
        let aanbieder = Actor {
            user: jeugdroute_domain::User {
                username: format!("test.{agb}"),
                display_name: "Test".into(),
                role: jeugdroute_domain::Role::Aanbieder,
                gemeenten: Vec::new(),
                aanbieder: Some(jeugdroute_domain::AgbCode::parse(agb).unwrap()),
                gi: None,
            },
            source: None,
        };
        let invoer = WachttijdInvoer {
            wachttijd_weken: Some(*weken),
            opnamestop: false,
        };
        app.wachttijd_melden(&aanbieder, &invoer).await.unwrap();
    }
}

/// The AGB codes of two demo providers with a contract for 50H22.
const EEM: &str = "98990011";
const KOMPAS: &str = "98990022";

/// A melding for another youth than Noor: Sem Bakker, in the same street.
fn sem() -> Vec<(&'static str, &'static str)> {
    let mut melding = NOOR.to_vec();
    melding[0] = ("bsn", "999990019");
    melding[1] = ("voornamen", "Sem");
    melding[2] = ("achternaam", "Bakker");
    melding[12] = ("urgentie", "regulier");
    melding
}

/// Takes a new melding along the whole route to its JW301, allocated to the
/// provider `agb` with a match on `matched`; answers the case's path.
async fn allocated_case(
    worker: &mut Browser,
    melding: &[(&str, &str)],
    agb: &str,
    matched: chrono::NaiveDate,
) -> String {
    let mut melding = melding.to_vec();
    melding.push(("tweede_casus", "ja"));
    let case = worker
        .post("/meldingen/nieuw", &melding)
        .await
        .location
        .unwrap();
    allocate(worker, &case, agb, matched).await;
    case
}

/// Takes the case at `case` from its melding to its JW301, allocated to `agb`
/// with a match on `matched` and help from 14 to 200 days after it.
async fn allocate(worker: &mut Browser, case: &str, agb: &str, matched: chrono::NaiveDate) {
    walk(worker, case, agb, matched, 7).await;
}

/// Takes the first `steps` steps of the route of `case` (7: up to the JW301),
/// with a match on `matched` with provider `agb`.
async fn walk(
    worker: &mut Browser,
    case: &str,
    agb: &str,
    matched: chrono::NaiveDate,
    steps: usize,
) {
    let stap = format!("{case}/stap");
    let day = |n: u64| (matched + chrono::Days::new(n)).to_string();
    let (match_datum, intake, start, end) = (day(0), day(14), day(14), day(200));
    let forms: [&[(&str, &str)]; 7] = [
        &[("fase", "melding")],
        &[
            ("fase", "vraagverheldering"),
            ("vraag", "Ruzie thuis"),
            ("opvoedsituatie", "verhoogde-spanning"),
            ("leefgebied_opvoeding", "ja"),
            ("netwerk", "Oma woont dichtbij"),
        ],
        &[
            ("fase", "vraagduiding"),
            ("behoefte", "b"),
            ("vrij_toegankelijk", "Opvoedcursus gevolgd; niet genoeg"),
        ],
        &[
            ("fase", "plan"),
            ("resultaat_1_leefgebied", "opleiding"),
            ("resultaat_1", "Weer elke dag naar school"),
            ("regie", "gezin"),
        ],
        &[
            ("fase", "bemiddeling"),
            ("arrangement", "2"),
            ("intensiteit", "midden"),
        ],
        &[
            ("fase", "match-en-intake"),
            ("aanbieder", agb),
            ("match_datum", &match_datum),
            ("intake_datum", &intake),
            ("ingangsdatum", &start),
            ("einddatum", &end),
        ],
        &[("fase", "beschikking")],
    ];
    for form in forms.into_iter().take(steps) {
        let page = worker.post(&stap, form).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{form:?}: {}",
            page.html
        );
    }
}

/// Before the beschikking an earlier step is corrected with a reason: the case
/// file shows every step, a correction without a reason (or to need A) is
/// refused and changes nothing, a new arrangement brings the providers
/// contracted for the new code, and the correction is on the page and in the
/// audit log. After the beschikking, no step can be corrected.
async fn correcting_an_earlier_step(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let (mut worker, case) = worker_with_case(&addr).await;
    let today = support::today();
    walk(&mut worker, &case, EEM, today, 5).await;
    let page = worker.get(&case).await;
    for shown in [
        "Het dossier, stap voor stap",
        "Ruzie thuis",
        "Verhoogde opvoedingsspanning: de spanning is dagelijks merkbaar en raakt het hele gezin",
        "Oma woont dichtbij",
        "Opvoedcursus gevolgd; niet genoeg",
        "Weer elke dag naar school",
        "50H22",
        "Bemiddeling corrigeren",
    ] {
        assert!(page.html.contains(shown), "{shown}");
    }
    assert!(
        page.html.contains(&format!("value=\"{EEM}\"")),
        "De Eem is contracted for 50H22"
    );
    let correctie = format!("{case}/correctie");
    let page = worker
        .post(
            &correctie,
            &[
                ("stap", "bemiddeling"),
                ("arrangement", "9"),
                ("intensiteit", "licht"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("id=\"reden-bemiddeling-fout\""),
        "{}",
        page.html
    );
    assert!(page.html.contains("<details class=\"nl-details\" open>"));
    let page = worker
        .post(
            &correctie,
            &[
                ("stap", "vraagduiding"),
                ("behoefte", "a"),
                ("vrij_toegankelijk", "x"),
                ("reden", "x"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html
            .contains("Met behoefte A gaat het gezin naar het lokale aanbod")
    );
    let page = worker.get(&case).await;
    assert!(page.html.contains("50H22"), "nothing changed");
    assert!(
        !page
            .html
            .contains("<h3 class=\"nl-heading nl-heading--level-3\">Correcties</h3>")
    );

    let page = worker
        .post(
            &correctie,
            &[
                ("stap", "bemiddeling"),
                ("arrangement", "9"),
                ("intensiteit", "licht"),
                ("reden", "Het gaat om een lichamelijke beperking"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = worker.get(&case).await;
    assert!(page.html.contains("50H91"));
    assert!(page.html.contains("Het gaat om een lichamelijke beperking"));
    assert!(
        !page.html.contains(&format!("value=\"{EEM}\"")),
        "De Eem has no contract for 50H91"
    );
    assert!(page.html.contains("value=\"98990099\""));

    // The melding's own data, corrected in the page with a reason.
    let page = worker
        .post(
            &format!("{case}/melding"),
            &[
                (
                    "vraag",
                    "Thuis is het onrustig en Noor gaat niet naar school.",
                ),
                ("vindplaats", "spreekuur op school"),
                ("verwijzer", "02"),
                ("verwijzer_naam", "Huisartsenpraktijk Eemland"),
                ("ouder_1_naam", "Eva de Vries"),
                ("ouder_1_gezag", "ja"),
                ("reden", "De vraag stond er verkort in"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = worker.get(&case).await;
    assert!(
        page.html
            .contains("Thuis is het onrustig en Noor gaat niet naar school.")
    );
    assert!(page.html.contains("De vraag stond er verkort in"));

    // The match and the beschikking: from then on, no correction.
    walk_match(&mut worker, &case, "98990099", today).await;
    let page = worker
        .post(
            &correctie,
            &[
                ("stap", "bemiddeling"),
                ("arrangement", "2"),
                ("intensiteit", "midden"),
                ("reden", "x"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = worker.get(&case).await;
    assert!(page.html.contains("50H91"));
    assert!(!page.html.contains("Bemiddeling corrigeren"));
    app.close().await;

    let store = jeugdroute_store::Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let id: i64 = case.trim_start_matches("/casussen/").parse().unwrap();
    let records = tx
        .search_audit(&jeugdroute_store::AuditQuery {
            casus_id: Some(id),
            limit: 200,
            ..jeugdroute_store::AuditQuery::default()
        })
        .await
        .unwrap();
    let corrected: Vec<&str> = records
        .iter()
        .filter(|r| r.event == "casus.corrigeren")
        .map(|r| r.purpose.as_str())
        .collect();
    assert_eq!(corrected, ["melding", "bemiddeling"], "newest first");
    drop(tx);
    store.close().await;
}

/// The match of a case at match en intake, with provider `agb`.
async fn walk_match(worker: &mut Browser, case: &str, agb: &str, matched: chrono::NaiveDate) {
    let day = |n: u64| (matched + chrono::Days::new(n)).to_string();
    let page = worker
        .post(
            &format!("{case}/stap"),
            &[
                ("fase", "match-en-intake"),
                ("aanbieder", agb),
                ("gekozen_door", "advies"),
                ("match_datum", &day(0)),
                ("intake_datum", &day(14)),
                ("ingangsdatum", &day(14)),
                ("einddatum", &day(200)),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = worker.get(case).await;
    assert!(page.html.contains("Het gezin, op advies van de toegang"));
}

jeugdroute_store::backend_tests!(correcting_an_earlier_step);

/// A second provider account, for Kompas Gezinsbegeleiding, with the demo
/// password (its hash taken from the demo provider's account).
async fn kompas_account(url: &DatabaseUrl) {
    let store = jeugdroute_store::Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let demo = tx.account("aanbieder.demo").await.unwrap().unwrap();
    let user = jeugdroute_domain::User {
        username: "aanbieder.kompas".into(),
        display_name: "Kompas".into(),
        aanbieder: Some(jeugdroute_domain::AgbCode::parse(KOMPAS).unwrap()),
        ..demo.user
    };
    assert!(tx.insert_user(&user, &demo.password_hash).await.unwrap());
    tx.commit().await.unwrap();
    store.close().await;
}

async fn bearer_get(addr: &str, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{addr}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// A provider signs in and sees the cases allocated to it, each with only what
/// the help needs and its JW301; a case allocated to another provider, or to
/// nobody, is 404 with nothing of its content (and the refusal is in the audit
/// log); and it cannot take a step or read the decision letter.
async fn the_provider_sees_only_what_was_allocated_to_it(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    kompas_account(url).await;
    let mut eem = Browser::new(&addr);
    eem.sign_in("aanbieder.demo").await;
    // The demo's own allocations to Jeugdhulp De Eem.
    let demo = caption_count(&eem.get("/werkvoorraad").await.html, "toewijzing");
    assert!(demo >= 10, "the demo provider has work: {demo}");

    let mut worker = Browser::new(&addr);
    worker.sign_in("medewerker.amersfoort").await;
    let today = support::today();
    let noor = allocated_case(&mut worker, &NOOR, EEM, today).await;
    let sem = allocated_case(&mut worker, &sem(), KOMPAS, today).await;
    let open = worker
        .post(
            "/meldingen/nieuw",
            &[&NOOR[..], &[("tweede_casus", "ja")]].concat(),
        )
        .await
        .location
        .unwrap();

    let page = eem.get("/werkvoorraad").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains(&format!("href=\"{noor}\">Noor de Vries</a>"))
    );
    assert_eq!(
        caption_count(&page.html, "toewijzing"),
        demo + 1,
        "only Noor's of the new ones"
    );
    assert!(
        !page.html.contains(&format!("\"{sem}\"")) && !page.html.contains(&format!("\"{open}\""))
    );
    assert!(
        page.html.contains(">Toewijzingen</a>"),
        "the provider's menu"
    );

    let page = eem.get(&noor).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Noor de Vries",
        "02-03-2015",
        "Amersfoort",
        "50H22",
        "Midden",
        "jw301.xml",
        // The results of the family's plan, which its behandelplan serves.
        "Weer elke dag naar school",
    ] {
        assert!(page.html.contains(shown), "{shown} shown");
    }
    // Not the question, the network, the analysis, the letter or the referrer.
    for hidden in [
        "999990342",
        "wil niet meer naar school",
        "Ruzie thuis",
        "Oma woont",
        "Opvoedcursus",
        "beschikking.pdf",
        "/stap",
        "Huisartsenpraktijk",
    ] {
        assert!(
            !page.html.contains(hidden),
            "{hidden} is not the provider's"
        );
    }
    let xml = eem.get(&format!("{noor}/jw301.xml")).await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(ijw::validate(xml.html.as_bytes()).is_valid());
    assert!(xml.html.contains(&format!(">{EEM}<")));

    for path in [sem.clone(), open.clone(), format!("{sem}/jw301.xml")] {
        let page = eem.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !page.html.contains("Sem") && !page.html.contains("Noor"),
            "{path}"
        );
    }
    let page = eem
        .post(&format!("{noor}/stap"), &[("fase", "toewijzing")])
        .await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "no steps for a provider"
    );
    let page = eem.get(&format!("{noor}/beschikking.pdf")).await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "the letter is the family's"
    );

    let mut kompas = Browser::new(&addr);
    kompas.sign_in("aanbieder.kompas").await;
    let page = kompas.get("/werkvoorraad").await;
    assert!(page.html.contains("Sem Bakker") && !page.html.contains("Noor"));
    for path in [noor.clone(), format!("{noor}/jw301.xml")] {
        let page = kompas.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.html.contains("Noor") && !page.html.contains("999990342"));
    }

    // The API, scoped the same way.
    let token = api_login(&addr, "aanbieder.demo").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let list: serde_json::Value = bearer_get(&addr, &token, "/api/v1/casussen")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = list["casussen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("/casussen/{}", c["id"]))
        .collect();
    assert_eq!(ids.first(), Some(&noor), "newest first");
    assert_eq!(ids.len(), demo + 1, "the demo's and Noor's, nothing else");
    assert!(!ids.contains(&sem) && !ids.contains(&open));
    let response = bearer_get(&addr, &token, &format!("/api/v1{noor}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["toewijzingen"][0]["productcode"], "50H22");
    assert_eq!(body["toewijzingen"][0]["intensiteit"], "midden");
    assert!(!body.to_string().contains("999990342"), "no BSN: {body}");
    let response = bearer_get(&addr, &token, &format!("/api/v1{noor}/jw301")).await;
    assert_eq!(response.text().await.unwrap(), xml.html);
    for path in [format!("/api/v1{sem}"), format!("/api/v1{sem}/jw301")] {
        let response = bearer_get(&addr, &token, &path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!response.text().await.unwrap().contains("Sem"));
    }

    let mut beheer = Browser::new(&addr);
    beheer.sign_in("beheer").await;
    let id = noor.strip_prefix("/casussen/").unwrap();
    let page = beheer.post("/beheer/audit", &[("casus", id)]).await;
    for (actor, outcome) in [
        ("aanbieder.demo", "gelukt"),
        ("aanbieder.kompas", "geweigerd"),
    ] {
        assert!(
            page.html.contains(&format!("<td>{actor}</td>"))
                && page.html.contains("<td>toewijzing.bekijken</td>")
                && page.html.contains(&format!("<td>{outcome}</td>")),
            "{actor} {outcome}"
        );
    }
    app.close().await;
}

/// The worklist's filters travel in the URL (no personal data) and narrow the
/// list; the intake signal shows in words and with a badge, and "only with a
/// signal" keeps the cases whose intake is near or past.
async fn the_worklist_filters_and_signals(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let mut worker = Browser::new(&addr);
    worker.sign_in("medewerker.amersfoort").await;
    // The demo's own cases of Amersfoort, in all and at the melding.
    let demo = worklist_cases(&mut worker, "").await;
    let demo_meldingen = worklist_cases(&mut worker, "fase=melding&").await;
    assert!(demo.len() > 50, "more than one page: {}", demo.len());
    let today = support::today();
    let near_match = today - chrono::Days::new(22);
    let near = allocated_case(&mut worker, &NOOR, EEM, near_match).await;
    let past = allocated_case(&mut worker, &sem(), KOMPAS, today - chrono::Days::new(30)).await;
    let fresh = worker
        .post(
            "/meldingen/nieuw",
            &[&NOOR[..], &[("tweede_casus", "ja")]].concat(),
        )
        .await
        .location
        .unwrap();
    let link = |path: &str| format!("href=\"{path}\"");

    let all = worklist_cases(&mut worker, "").await;
    assert_eq!(all.len(), demo.len() + 3);
    assert_eq!(all[..3], [fresh.clone(), past.clone(), near.clone()]);
    let page = worker.get("/werkvoorraad").await;
    assert_eq!(caption_count(&page.html, "casus"), 50, "a page of fifty");
    assert!(page.html.contains("op deze pagina</caption>"));
    for control in [
        "filter-fase",
        "filter-gemeente",
        "filter-urgentie",
        "filter-signaal",
        "zoek",
    ] {
        assert!(
            page.html.contains(&format!(
                "<label class=\"nl-form-label\" for=\"{control}\">"
            )) || page.html.contains(&format!("<label for=\"{control}\">")),
            "{control} has a label"
        );
    }
    assert!(
        page.html
            .contains("<option value=\"0307\">Amersfoort</option>")
    );
    assert!(
        !page.html.contains("value=\"0342\""),
        "only the worker's own gemeenten"
    );
    let due = jeugdroute_domain::short_date(near_match + chrono::Days::new(28));
    assert!(page.html.contains(&format!(
        "<span class=\"nl-badge nl-badge--signaal\">Intake bijna te laat</span> Intake uiterlijk {due}"
    )));
    assert!(
        page.html
            .contains("<span class=\"nl-badge nl-badge--verlopen\">Termijn verlopen</span>")
    );

    let page = worker.get("/werkvoorraad?fase=toewijzing").await;
    assert!(page.html.contains(&link(&near)) && page.html.contains(&link(&past)));
    assert!(!page.html.contains(&link(&fresh)));
    assert!(page.html.contains("<option value=\"toewijzing\" selected>"));
    let page = worker.get("/werkvoorraad?fase=melding").await;
    assert!(page.html.contains(&link(&fresh)) && !page.html.contains(&link(&near)));
    assert_eq!(
        worklist_cases(&mut worker, "fase=melding&").await,
        [vec![fresh.clone()], demo_meldingen].concat()
    );

    let page = worker.get("/werkvoorraad?signaal=ja&urgentie=urgent").await;
    assert!(page.html.contains(&link(&near)), "Noor's melding is urgent");
    assert!(!page.html.contains(&link(&past)) && !page.html.contains(&link(&fresh)));
    let page = worker.get("/werkvoorraad?gemeente=0342").await;
    assert!(
        page.html
            .contains("Geen casussen die bij deze filters passen.")
    );

    // A search is sent in the body and keeps the filters.
    let page = worker
        .post(
            "/werkvoorraad",
            &[("zoek", "999990342"), ("fase", "melding")],
        )
        .await;
    assert!(page.html.contains(&link(&fresh)) && !page.html.contains(&link(&near)));
    app.close().await;
}

/// The directory on its page and over the API: searched by code (with the
/// measured wait column), a wrong code refused by field in Dutch, paged, and a
/// query that names a filter twice refused.
async fn the_directory_of_providers(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    wachttijden_melden(&app, &[("98990088", 1), (EEM, 3), ("98990055", 5)]).await;
    let mut worker = Browser::new(&addr);
    worker.sign_in("medewerker.amersfoort").await;
    let page = worker.get("/").await;
    assert!(
        page.html.contains("href=\"/aanbieders\""),
        "in the menu: {}",
        page.html
    );
    let page = worker.get("/aanbieders").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("12 aanbieders"), "{}", page.html);
    assert!(
        page.html.contains("kies een arrangementcode"),
        "{}",
        page.html
    );
    let page = worker.get("/aanbieders?code=50h12&zoek=").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("3 aanbieders"), "{}", page.html);
    assert!(page.html.contains("nog niet gemeten"), "{}", page.html);
    assert!(
        page.html.contains("value=\"50h12\""),
        "as typed: {}",
        page.html
    );
    let page = worker.get("/aanbieders?code=50H1-&pagina=0").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html
            .contains("Arrangementcode: geef 1 tot 5 letters of cijfers, zoals 50H12."),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("Pagina: geef een nummer van 1 tot en met 10000."),
        "{}",
        page.html
    );

    let token = api_login(&addr, "medewerker.amersfoort").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = bearer_get(&addr, &token, "/api/v1/aanbieders?code=50H12").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["totaal"], 3);
    assert_eq!(
        (body["pagina"].clone(), body["paginas"].clone()),
        (1.into(), 1.into())
    );
    let eerste = &body["aanbieders"][0];
    assert_eq!(
        eerste["aanbieder"]["agb"], "98990088",
        "1 week reported: {body}"
    );
    assert!(eerste["aanbieder"]["gemeten_wachttijd"].is_null(), "{body}");
    assert!(
        eerste["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "50H12"),
        "{body}"
    );
    for (query, status) in [
        ("?code=50H12&code=50H11", StatusCode::BAD_REQUEST),
        ("?pagina=nul", StatusCode::UNPROCESSABLE_ENTITY),
        (
            "?zonder_opnamestop=misschien",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let response = bearer_get(&addr, &token, &format!("/api/v1/aanbieders{query}")).await;
        assert_eq!(response.status(), status, "{query}");
    }
    app.close().await;
}

jeugdroute_store::backend_tests!(
    the_provider_sees_only_what_was_allocated_to_it,
    the_worklist_filters_and_signals,
    the_directory_of_providers
);

/// A date `n` days from today, as forms take it.
fn day(n: u64) -> String {
    (support::today() + chrono::Days::new(n)).to_string()
}

/// A new case of `medewerker.amersfoort` taken along the route to its toewijzing
/// with De Eem (help from `day(14)` to `day(200)`): the worker's browser and the
/// case's path.
async fn toegewezen(addr: &str) -> (Browser, String) {
    let (mut worker, case) = worker_with_case(addr).await;
    let today = support::today();
    allocate(&mut worker, &case, EEM, today).await;
    (worker, case)
}

/// The text of the first element `name` (with its prefix) in a message.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    Some(&xml[start..start + xml[start..].find('<')?])
}

/// The JW301s in the outbox of a case, oldest first.
async fn jw301s(url: &DatabaseUrl, casus_id: i64) -> Vec<String> {
    let store = jeugdroute_store::Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let messages = tx.case_messages(casus_id).await.unwrap();
    tx.commit().await.unwrap();
    store.close().await;
    messages
        .into_iter()
        .filter(|m| m.message.berichtsoort == "JW301")
        .map(|m| m.message.body)
        .collect()
}

async fn outbox_rows(app: &App) -> i64 {
    let counts = app.row_counts().await.unwrap();
    counts.iter().find(|(t, _)| *t == "outbox").unwrap().1
}

/// The number of cases in the database (the demo's own included).
async fn casus_rows(app: &App) -> i64 {
    let counts = app.row_counts().await.unwrap();
    counts.iter().find(|(t, _)| *t == "casus").unwrap().1
}

/// The ToewijzingNummer of a case's allocation, from the change form on its page
/// (numbered per gemeente, after the demo's own allocations).
fn toewijzingnummer(html: &str, case: &str) -> i64 {
    let action = format!("action=\"{case}/toewijzing/");
    let start = html.find(&action).unwrap() + action.len();
    let digits: String = html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

/// The cases of a worklist with the filters of `query` (each ending in `&`),
/// page after page: the link to every case, following "Oudere casussen" until
/// the last page, which has none.
async fn worklist_cases(worker: &mut Browser, query: &str) -> Vec<String> {
    let mut path = format!("/werkvoorraad?{query}");
    let mut cases = Vec::new();
    loop {
        let html = worker.get(&path).await.html;
        for part in html.split("href=\"/casussen/").skip(1) {
            let id = part.split('"').next().unwrap();
            cases.push(format!("/casussen/{id}"));
        }
        let Some((_, rest)) = html.split_once("rel=\"next\" href=\"") else {
            return cases;
        };
        let next = rest.split('"').next().unwrap().replace("&amp;", "&");
        assert!(
            next.starts_with(&format!("/werkvoorraad?{query}voor=")),
            "{next}"
        );
        path = next;
    }
}

/// The count in a list's caption, e.g. `: 3 casussen</caption>` or `: 1 toewijzing`.
fn caption_count(html: &str, noun: &str) -> usize {
    let end = html.find("</caption>").unwrap();
    let caption = &html[..end];
    let at = caption.rfind(": ").unwrap() + 2;
    let (count, rest) = caption[at..].split_once(' ').unwrap();
    assert!(rest.starts_with(noun), "{rest}");
    count.parse().unwrap()
}

/// A sent toewijzing changed as iJw 3.2 §3.2 says: a wrong Einddatum is refused
/// by field and sends nothing; intrekken sends a second JW301 with the same
/// ToewijzingNummer, its own identificatie, RedenWijziging 05 and the new
/// Einddatum, shown on the timeline with the worker's toelichting; verwijderen
/// over the API sends Einddatum = Ingangsdatum with reason 13, after which the
/// allocation cannot change any more. Every JW301 passes the official schema.
async fn toewijzing_wijzigen(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let (mut worker, case) = toegewezen(&addr).await;
    let casus_id: i64 = case.rsplit('/').next().unwrap().parse().unwrap();
    let page = worker.get(&case).await;
    // Numbered per gemeente, after the demo's own allocations.
    let n = toewijzingnummer(&page.html, &case);
    let wijzig = format!("{case}/toewijzing/{n}");
    assert!(page.html.contains("Toewijzing wijzigen"));
    assert!(page.html.contains(&format!("action=\"{wijzig}\"")));
    let (start, end, nieuw) = (day(14), day(200), day(100));

    let sent = outbox_rows(&app).await;
    for (einddatum, melding) in [
        (end.clone(), "vóór de huidige einddatum"),
        (day(300), "vóór de huidige einddatum"),
        (day(13), "ligt vóór de ingangsdatum"),
        ("31-12-2026".to_owned(), "JJJJ-MM-DD"),
    ] {
        let page = worker
            .post(
                &wijzig,
                &[
                    ("soort", "intrekken"),
                    ("einddatum", &einddatum),
                    ("reden", "05"),
                    ("toelichting", "Doel bereikt"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{einddatum}");
        assert!(page.html.contains("De wijziging is nog niet verstuurd"));
        assert!(page.html.contains("href=\"#einddatum\""), "{einddatum}");
        assert!(page.html.contains(melding), "{einddatum}: {melding}");
    }
    let page = worker.post(&wijzig, &[("einddatum", &nieuw)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["soort", "toelichting"] {
        assert!(page.html.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    assert_eq!(
        outbox_rows(&app).await,
        sent,
        "a refused change sends nothing"
    );

    let intrekken = [
        ("versie", "1"),
        ("soort", "intrekken"),
        ("einddatum", nieuw.as_str()),
        ("reden", "05"),
        (
            "toelichting",
            "Doel eerder bereikt, afgesproken met de aanbieder",
        ),
    ];
    let page = worker.post(&wijzig, &intrekken).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = worker.post(&wijzig, &intrekken).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "made for version 1"
    );
    assert!(page.html.contains("intussen gewijzigd"));
    let page = worker.get(&case).await;
    assert!(
        page.html
            .contains(&format!("toewijzing {n} versie 2: 05 Herbeoordeling"))
    );
    assert!(
        page.html
            .contains("Doel eerder bereikt, afgesproken met de aanbieder")
    );

    let messages = jw301s(url, casus_id).await;
    assert_eq!(messages.len(), 2);
    let (first, second) = (&messages[0], &messages[1]);
    let nummer = "jw301:ToewijzingNummer";
    let number = n.to_string();
    assert_eq!(element(first, nummer), Some(number.as_str()));
    assert_eq!(element(second, nummer), Some(number.as_str()));
    let id = "ijw:Identificatie";
    let identificatie = |versie: u32| {
        if versie == 1 {
            format!("JW301{n:07}")
        } else {
            format!("{n:09}-{versie:02}")
        }
    };
    assert_eq!(element(first, id), Some(identificatie(1).as_str()));
    assert_eq!(element(second, id), Some(identificatie(2).as_str()));
    assert_eq!(element(first, "jw301:RedenWijziging"), None);
    assert_eq!(element(second, "jw301:RedenWijziging"), Some("05"));
    assert_eq!(element(first, "jw301:Einddatum"), Some(end.as_str()));
    assert_eq!(element(second, "jw301:Einddatum"), Some(nieuw.as_str()));
    assert_eq!(element(second, "jw301:Ingangsdatum"), Some(start.as_str()));
    for xml in &messages {
        assert_valid_jw301(xml);
    }

    // Over the API: errors by field, then verwijderen.
    let token = api_login(&addr, "medewerker.amersfoort").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let api = format!("{addr}/api/v1{case}/toewijzingen/{n}");
    let client = reqwest::Client::new();
    let post = |body: serde_json::Value| client.post(&api).bearer_auth(&token).json(&body).send();
    let response = post(serde_json::json!({
        "soort": "correctie", "einddatum": day(400), "toelichting": "Typfout"
    }))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "einddatum");
    assert!(
        body["velden"][0]["melding"]
            .as_str()
            .unwrap()
            .contains("beschikking")
    );
    let response = post(serde_json::json!({"soort": "verwijderen", "toelichting": 3}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = post(serde_json::json!({
        "versie": "2", "soort": "verwijderen", "toelichting": "Naar de verkeerde aanbieder"
    }))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["versie"], 3);
    assert_eq!(body["reden_wijziging"], "13");
    assert_eq!(body["einddatum"], start.as_str());
    assert_eq!(body["bericht_identificatie"], identificatie(3));
    let newest = client
        .get(format!("{addr}/api/v1{case}/jw301"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(element(&newest, "jw301:RedenWijziging"), Some("13"));
    assert_eq!(element(&newest, "jw301:Einddatum"), Some(start.as_str()));
    assert_eq!(element(&newest, "jw301:Ingangsdatum"), Some(start.as_str()));
    assert_eq!(element(&newest, id), Some(identificatie(3).as_str()));
    assert_valid_jw301(&newest);

    // A removed allocation counts as never sent: nothing more to change.
    let response = post(serde_json::json!({"soort": "verwijderen", "toelichting": "Nog eens"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "soort");
    let page = worker.get(&case).await;
    assert!(!page.html.contains(&format!("action=\"{wijzig}\"")));
    assert!(page.html.contains("13 Verwijderd"));
    assert_eq!(outbox_rows(&app).await, sent + 2);
    assert_eq!(jw301s(url, casus_id).await.len(), 3);
    app.close().await;
}

jeugdroute_store::backend_tests!(toewijzing_wijzigen);

/// Every time on a page is Dutch local time, every date dd-mm-jjjj, whatever
/// the season: a melding received at 22:30 UTC on 1 July shows as received on
/// 02-07-2026 at 00:30 (summer time, UTC+2) on the case page and in the
/// worklist; an audit record of 22:30 UTC on 15 January shows at 23:30 the same
/// day (winter time, UTC+1); the audit search's days are Dutch days.
async fn times_and_dates_are_dutch(url: &DatabaseUrl) {
    use jeugdroute_domain::{Bsn, Fase, Gemeentecode, Melding, Urgentie, Verwijzer};
    let (addr, app) = serve(url, true).await;
    let (mut worker, _) = worker_with_case(&addr).await;
    let summer: chrono::DateTime<chrono::Utc> = "2026-07-01T22:30:00Z".parse().unwrap();
    let winter: chrono::DateTime<chrono::Utc> = "2026-01-15T22:30:00Z".parse().unwrap();
    let store = jeugdroute_store::Store::connect(url)
        .await
        .unwrap()
        .with_audit(jeugdroute_app::AuditSetup::for_database(url).unwrap());
    let mut tx = store.begin().await.unwrap();
    let amersfoort = Gemeentecode::parse("0307").unwrap();
    let jeugdige_id = tx
        .bekende_jeugdige(&amersfoort, &Bsn::parse(NOOR[0].1).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let melding = Melding {
        vraag: "Noor wil weer naar school.".into(),
        vindplaats: "spreekuur op school".into(),
        verwijzer: Verwijzer::Gemeente,
        verwijzer_naam: None,
        urgentie: Urgentie::Regulier,
        kader: jeugdroute_domain::Kader::Vrijwillig,
    };
    let id = tx
        .insert_casus(&jeugdroute_store::NewCasus {
            jeugdige_id,
            gemeente: &amersfoort,
            phase: Fase::Melding,
            melding: &melding,
            woonplaats_regel: "",
            ouders: &[],
            at: summer,
        })
        .await
        .unwrap();
    for (at, event) in [(summer, "tijd.zomer"), (winter, "tijd.winter")] {
        tx.append_audit(&jeugdroute_store::NewAuditRecord {
            occurred_at: at,
            actor: "systeem",
            role: None,
            on_behalf_of: None,
            event,
            jeugdige_id: None,
            casus_id: None,
            purpose: "test van de tijdzone",
            outcome: "gelukt",
            source: None,
            jeugdigen: &[],
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let page = worker.get(&format!("/casussen/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("<dt>Ontvangen</dt><dd>02-07-2026 00:30</dd>"),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("<li><strong>Melding</strong> · 02-07-2026 00:30</li>")
    );
    assert!(!page.html.contains("22:30"), "no UTC on the page");
    assert!(
        page.html
            .contains("<dt>Geboortedatum</dt><dd>02-03-2015</dd>")
    );

    let page = worker.get("/werkvoorraad").await;
    let row = &page.html[page.html.find(&format!("href=\"/casussen/{id}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td>02-07-2026</td>"), "{row}");

    let mut beheer = Browser::new(&addr);
    beheer.sign_in("beheer").await;
    let page = beheer
        .post("/beheer/audit", &[("gebeurtenis", "tijd.winter")])
        .await;
    assert!(
        page.html.contains("<th scope=\"col\">Tijdstip</th>"),
        "no longer UTC"
    );
    assert!(
        page.html.contains("<td>15-01-2026 23:30:00</td>"),
        "{}",
        page.html
    );
    // 22:30 UTC on 1 July falls on the Dutch 2 July, not on 1 July.
    let search = |day: &'static str| [("gebeurtenis", "tijd.zomer"), ("van", day), ("tot", day)];
    let page = beheer.post("/beheer/audit", &search("2026-07-02")).await;
    assert!(
        page.html.contains("<td>02-07-2026 00:30:00</td>"),
        "{}",
        page.html
    );
    let page = beheer.post("/beheer/audit", &search("2026-07-01")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("<td>tijd.zomer</td>"), "{}", page.html);
    app.close().await;
}

jeugdroute_store::backend_tests!(times_and_dates_are_dutch);

/// The PDF's text by poppler's `pdftotext` contains each of `expected`; skipped
/// with a message without poppler-utils, a failure under `CI=true`.
fn letter_says(pdf: &[u8], expected: &[&str]) {
    let Some(text) = pdf_text(pdf) else { return };
    for e in expected {
        assert!(text.contains(e), "missing {e:?} in the letter:\n{text}");
    }
}

/// The PDF's text by poppler's `pdftotext`, words joined by single spaces;
/// `None` (with a message) without poppler-utils, a failure under `CI=true`.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("beschikking.pdf");
    std::fs::write(&file, pdf).unwrap();
    let Ok(out) = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
    else {
        assert!(
            !support::in_ci(),
            "pdftotext is missing, but CI=true: install poppler-utils"
        );
        eprintln!("pdftotext not found (poppler-utils): skipping the letter's text");
        return None;
    };
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8(out.stdout).unwrap();
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The routes that do not end in a regular bemiddeling: crisis help at once with
/// its beschikking and JW301 and the assessment after it (within a deadline the
/// case shows), a segment-3 product from the region's list, need A closing to
/// local help (and counted), and after a toewijzing the move to uitvoering.
async fn every_real_route_can_be_finished(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let mut worker = Browser::new(&addr);
    worker.sign_in("medewerker.amersfoort").await;
    let today = support::today().to_string();

    // Crisis: melding, crisis help with De Eem today, the letter, the JW301.
    let mut crisis = NOOR.to_vec();
    crisis[12] = ("urgentie", "crisis");
    let case = worker
        .post("/meldingen/nieuw", &crisis)
        .await
        .location
        .unwrap();
    let page = worker.get(&case).await;
    assert!(page.html.contains("Crisis: de hulp direct starten"));
    assert!(
        page.html.contains(&format!("value=\"{EEM}\"")),
        "De Eem takes crisis help"
    );
    let stap = format!("{case}/stap");
    let page = worker
        .post(
            &stap,
            &[
                ("fase", "melding"),
                ("actie", "crisishulp"),
                ("ingangsdatum", &today),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a provider is needed"
    );
    let page = worker
        .post(
            &stap,
            &[
                ("fase", "melding"),
                ("actie", "crisishulp"),
                ("aanbieder", EEM),
                ("ingangsdatum", &today),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = worker.get(&case).await;
    assert!(
        page.html.contains("Akkoord: hulp toewijzen"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Crisishulp loopt sinds"));
    let id: i64 = case.trim_start_matches("/casussen/").parse().unwrap();
    let page = worker.post(&stap, &[("fase", "beschikking")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let xml = jw301s(url, id).await.pop().unwrap();
    assert_valid_jw301(&xml);
    assert!(
        xml.contains("Categorie>46</") && xml.contains("Code>46C01</"),
        "{xml}"
    );
    // The assessment follows the crisis help, and ends in uitvoering.
    for form in [
        &[("fase", "toewijzing")][..],
        &[
            ("fase", "vraagverheldering"),
            ("vraag", "Het liep thuis uit de hand"),
            ("opvoedsituatie", "crisis"),
            ("leefgebied_veiligheid", "ja"),
            ("netwerk", "Buren"),
        ],
        &[
            ("fase", "vraagduiding"),
            ("behoefte", "b"),
            ("vrij_toegankelijk", "Niet genoeg"),
        ],
        &[
            ("fase", "plan"),
            ("resultaat_1_leefgebied", "veiligheid"),
            ("resultaat_1", "Weer veilig thuis"),
            ("regie", "gezin"),
        ],
    ] {
        let page = worker.post(&stap, form).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{form:?}: {}",
            page.html
        );
    }
    let page = worker.get(&case).await;
    assert!(
        page.html.contains("stap: <strong>Uitvoering</strong>"),
        "{}",
        page.html
    );
    assert!(
        !page.html.contains("Crisishulp loopt sinds"),
        "the assessment is done"
    );

    // Segment 3: the region's list, a contracted provider, a JW301 in its category.
    let mut sem = sem();
    sem.push(("tweede_casus", "ja"));
    let case = worker
        .post("/meldingen/nieuw", &sem)
        .await
        .location
        .unwrap();
    walk(&mut worker, &case, EEM, support::today(), 4).await;
    let stap = format!("{case}/stap");
    let zwaar = [
        ("fase", "bemiddeling"),
        ("arrangement", "5"),
        ("intensiteit", "zwaar"),
        ("segment_beantwoord", "ja"),
        ("behandeling_uren", "80"),
    ];
    let page = worker.post(&stap, &zwaar).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html
            .contains("kies een product uit de regionale lijst")
    );
    let page = worker
        .post(
            &stap,
            &[&zwaar[..], &[("segment3_product", "45S01")]].concat(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = worker.get(&case).await;
    assert!(page.html.contains("45S01"));
    assert!(
        page.html.contains("value=\"98990033\""),
        "Horizonhuis is contracted for 45S01"
    );
    walk_match(&mut worker, &case, "98990033", support::today()).await;
    assert_eq!(
        worker.post(&stap, &[("fase", "beschikking")]).await.status,
        StatusCode::SEE_OTHER
    );
    let id: i64 = case.trim_start_matches("/casussen/").parse().unwrap();
    let xml = jw301s(url, id).await.pop().unwrap();
    assert_valid_jw301(&xml);
    assert!(
        xml.contains("Categorie>45</") && xml.contains("Code>45S01</"),
        "{xml}"
    );
    assert_eq!(
        worker.post(&stap, &[("fase", "toewijzing")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        worker
            .get(&case)
            .await
            .html
            .contains("stap: <strong>Uitvoering</strong>")
    );

    // Need A: the case closes to local help, and the region counts it.
    let closed_before = app
        .regio_overview()
        .await
        .unwrap()
        .unwrap()
        .lokaal_aanbod
        .iter()
        .find(|(g, _)| g == "0307")
        .map_or(0, |(_, n)| *n);
    let mut local = NOOR.to_vec();
    local.push(("tweede_casus", "ja"));
    let case = worker
        .post("/meldingen/nieuw", &local)
        .await
        .location
        .unwrap();
    walk(&mut worker, &case, EEM, support::today(), 2).await;
    let page = worker
        .post(
            &format!("{case}/stap"),
            &[
                ("fase", "vraagduiding"),
                ("behoefte", "a"),
                ("vrij_toegankelijk", "Cursus bij het lokale team"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        worker
            .get(&case)
            .await
            .html
            .contains("stap: <strong>Afgesloten</strong>")
    );
    let closed = |o: &jeugdroute_app::RegioOverview| {
        o.lokaal_aanbod
            .iter()
            .find(|(g, _)| g == "0307")
            .map_or(0, |(_, n)| *n)
    };
    let overview = app.regio_overview().await.unwrap().unwrap();
    assert_eq!(
        closed(&overview),
        closed_before + 1,
        "counted as closed to local help"
    );
    assert!(
        worker
            .get("/")
            .await
            .html
            .contains("Gesloten naar lokaal aanbod (behoefte A)")
    );
    app.close().await;
}

jeugdroute_store::backend_tests!(every_real_route_can_be_finished);

/// The whole route over `POST /api/v1/casussen/{id}/stap` with typed JSON, from
/// the melding to the JW301; a wrongly typed field is a 422 naming it, a stale
/// step is a 422 that changes nothing, and the case file grows step by step.
async fn route_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let token = api_login(&addr, "medewerker.amersfoort").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{addr}/api/v1/casussen"))
        .bearer_auth(&token)
        .json(&object(&NOOR))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let stap = format!("{addr}/api/v1/casussen/{id}/stap");
    let send = |body: serde_json::Value| client.post(&stap).bearer_auth(&token).json(&body).send();
    let fields_of = |body: &serde_json::Value| -> Vec<String> {
        body["velden"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["veld"].as_str().unwrap().to_owned())
            .collect()
    };
    let today = support::today();
    let steps = [
        serde_json::json!({"fase": "melding"}),
        serde_json::json!({"fase": "vraagverheldering", "opvoedsituatie": "spanning",
            "leefgebieden": ["opvoeding", "opleiding"], "netwerk": "Oma helpt op woensdag.",
            "vraag": "Rust thuis en weer naar school."}),
        serde_json::json!({"fase": "vraagduiding", "behoefte": "b",
            "vrij_toegankelijk": "Schoolmaatschappelijk werk was niet genoeg."}),
        serde_json::json!({"fase": "plan", "regie": "gezin", "familiegroepsplan": false,
            "resultaten": [{"leefgebied": "opleiding", "omschrijving": "Noor gaat vier dagen per week naar school."}]}),
        serde_json::json!({"fase": "bemiddeling", "arrangement": 2, "intensiteit": "midden",
            "richtlijnen": []}),
    ];
    // Wrongly typed fields, each named; nothing changes.
    let response = send(
        serde_json::json!({"fase": "vraagverheldering", "opvoedsituatie": "spanning",
        "leefgebieden": "opvoeding", "netwerk": "x", "vraag": "y"}),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(fields_of(&body), ["leefgebieden"], "{body}");
    // A step for another phase than the case is in: stale, refused.
    let response = send(steps[1].clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut file = serde_json::Value::Null;
    for (i, step) in steps.iter().enumerate() {
        if i == 4 {
            let response = send(serde_json::json!({"fase": "bemiddeling", "arrangement": "twee", "intensiteit": "midden"}))
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(fields_of(&body), ["arrangement"], "{body}");
        }
        let response = send(step.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{step}");
        file = response.json().await.unwrap();
        assert_eq!(file["stappen"].as_array().unwrap().len(), i + 1, "{file}");
    }
    assert_eq!(file["fase"], "match-en-intake");
    assert_eq!(file["dossier"]["bemiddeling"]["productcode"], "50H22");
    assert_eq!(file["dossier"]["plan"]["familiegroepsplan"], false);
    assert_eq!(file["dossier"]["bemiddeling"]["arrangement"], 2);
    assert_eq!(
        file["dossier"]["vraagverheldering"]["leefgebieden"],
        serde_json::json!(["opleiding", "opvoeding"])
    );
    let aanbieders = file["aanbieders"].as_array().unwrap();
    assert!(aanbieders.iter().any(|a| a["agb"] == EEM), "{file}");
    let response = send(
        serde_json::json!({"fase": "match-en-intake", "aanbieder": EEM,
        "match_datum": today.to_string(), "intake_datum": today.to_string(),
        "ingangsdatum": today.to_string(),
        "einddatum": (today + chrono::Duration::days(180)).to_string()}),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let file: serde_json::Value = response.json().await.unwrap();
    assert_eq!(file["fase"], "beschikking");
    assert!(file["dossier"]["beschikking"]["kenmerk"].is_string());
    let response = send(serde_json::json!({"fase": "beschikking"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let file: serde_json::Value = response.json().await.unwrap();
    assert_eq!(file["fase"], "toewijzing");
    assert_eq!(file["toewijzingen"][0]["aanbieder"], EEM);
    assert_eq!(file["toewijzingen"][0]["versie"], 1);
    assert_eq!(file["berichten"][0]["berichtsoort"], "JW301");
    // The same file from GET, and the JW301 it names.
    let got: serde_json::Value = client
        .get(format!("{addr}/api/v1/casussen/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["stappen"], file["stappen"]);
    assert_eq!(got["melding"]["vraag"], NOOR[13].1);
    let xml = client
        .get(format!("{addr}/api/v1/casussen/{id}/jw301"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_valid_jw301(&xml);
    app.close().await;
}

jeugdroute_store::backend_tests!(route_over_the_api);

/// A correction over the API: typed answers and a reason, the case file back,
/// every wrong field named.
async fn correcting_over_the_api(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let (mut worker, case) = worker_with_case(&addr).await;
    walk(&mut worker, &case, EEM, support::today(), 5).await;
    let token = api_login(&addr, "medewerker.amersfoort").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::new();
    let post = |body: serde_json::Value| {
        client
            .post(format!("{addr}/api/v1{case}/correcties"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let response = post(serde_json::json!({
        "reden": "x",
        "stap": {"fase": "bemiddeling", "arrangement": "negen", "intensiteit": "licht"}
    }))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = post(serde_json::json!({
        "reden": "",
        "stap": {"fase": "bemiddeling", "arrangement": 9, "intensiteit": "licht"}
    }))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = post(serde_json::json!({
        "reden": "Een lichamelijke beperking",
        "stap": {"fase": "bemiddeling", "arrangement": 9, "intensiteit": "licht"}
    }))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let file: serde_json::Value = response.json().await.unwrap();
    assert_eq!(file["dossier"]["bemiddeling"]["productcode"], "50H91");
    assert_eq!(file["dossier"]["bemiddeling"]["intensiteit"], "licht");
    assert_eq!(file["correcties"][0]["stap"], "bemiddeling");
    assert_eq!(file["correcties"][0]["reden"], "Een lichamelijke beperking");
    assert_eq!(
        file["dossier"]["vraagverheldering"]["leefgebieden"],
        serde_json::json!(["opvoeding"])
    );
    // The melding itself: its question, referrer and parents, with a reason.
    let melding = |body: serde_json::Value| {
        client
            .post(format!("{addr}/api/v1{case}/melding"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let nieuw = serde_json::json!({
        "vraag": "Noor wil weer naar school en thuis minder ruzie.",
        "vindplaats": "spreekuur op school",
        "verwijzer": "02",
        "verwijzer_naam": "Huisartsenpraktijk Eemland",
        "ouders": [{"naam": "Eva de Vries", "gezag": true}, {"naam": "Tom de Vries", "gezag": true}]
    });
    let response = melding(nieuw.clone()).await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let mut met_reden = nieuw;
    met_reden["reden"] = "De vader heeft ook gezag".into();
    let response = melding(met_reden).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let file: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        file["melding"]["vraag"],
        "Noor wil weer naar school en thuis minder ruzie."
    );
    assert_eq!(file["ouders"][1]["naam"], "Tom de Vries");
    assert_eq!(file["correcties"][1]["stap"], "melding");
    app.close().await;
}

jeugdroute_store::backend_tests!(correcting_over_the_api);
