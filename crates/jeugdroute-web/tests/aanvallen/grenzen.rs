//! Attacks with oversized, malformed or slow input, and what the answers may reveal or leave cached.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::time::{Duration, Instant};

use jeugdroute_app::{App, DEMO_PASSWORD, DatabaseUrl};
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_web::ServeSettings;
use reqwest::header::{
    ALLOW, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, PRAGMA,
};
use reqwest::{Method, StatusCode};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::support::{NOOR, serve};

const WORKER: &str = "medewerker.amersfoort";

/// A user signed in over the API: the bearer token, and the session cookie
/// with its CSRF token for the pages and forms.
struct Session {
    addr: String,
    client: reqwest::Client,
    token: String,
    cookie: String,
    csrf: String,
}

impl Session {
    async fn new(addr: &str, username: &str) -> Session {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = client
            .post(format!("{addr}/api/v1/login"))
            .json(&serde_json::json!({"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let body: serde_json::Value = response.json().await.unwrap();
        Session {
            addr: addr.to_owned(),
            client,
            token: body["token"].as_str().unwrap().to_owned(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    /// A request of the browser: with the session cookie.
    fn page(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.addr))
            .header(COOKIE, &self.cookie)
    }

    /// A form of the browser, with the session's CSRF token.
    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.page(Method::POST, path)
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// A melding over the API: the status and the JSON answer.
    async fn melding(&self, melding: &serde_json::Value) -> (StatusCode, serde_json::Value) {
        let response = self
            .api(Method::POST, "/api/v1/casussen")
            .json(melding)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A request of an API client: with the bearer token.
    fn api(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.addr))
            .bearer_auth(&self.token)
    }
}

/// Noor's melding with `field` set to `value`: as form fields, and as JSON.
fn noor_with(field: &str, value: &str) -> (Vec<(&'static str, String)>, serde_json::Value) {
    let fields: Vec<(&'static str, String)> = NOOR
        .iter()
        .map(|(k, v)| (*k, if *k == field { value } else { v }.to_owned()))
        .collect();
    let json = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(v.as_str())))
        .collect();
    (fields, serde_json::Value::Object(json))
}

/// Sends Noor's melding form with `field` set to `value`; it must be refused
/// with `message`.
async fn melding_refused(worker: &Session, field: &str, value: &str, message: &str) {
    let (fields, _) = noor_with(field, value);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, kind, html) = read(worker.form("/meldingen/nieuw", &fields).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
    assert!(kind.starts_with("text/html"), "{field}");
    assert!(html.contains(message), "{field}: {html}");
}

/// The answer's content type and body.
async fn read(response: reqwest::Response) -> (StatusCode, String, String) {
    let status = response.status();
    let kind = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    (status, kind, response.text().await.unwrap())
}

/// An oversized text in any field is refused by the field's Dutch name and
/// its maximum, and nothing is stored or audit-logged: the melding form, the
/// melding over the API, the worklist search.
async fn oversize_fields_are_refused_by_name(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let worker = Session::new(&addr, WORKER).await;
    let before = app.row_counts().await.unwrap();

    let long = "ë".repeat(2001);
    melding_refused(
        &worker,
        "vraag",
        &long,
        "Vraag: gebruik ten hoogste 2000 tekens.",
    )
    .await;
    let long_name = "a".repeat(201);
    melding_refused(
        &worker,
        "achternaam",
        &long_name,
        "Achternaam: gebruik ten hoogste 200 tekens.",
    )
    .await;

    let (status, body) = worker.melding(&noor_with("vraag", &long).1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["velden"][0]["veld"], "vraag", "{body}");
    assert!(
        body["velden"][0]["melding"]
            .as_str()
            .unwrap()
            .contains("2000"),
        "{body}"
    );

    let zoek = "a".repeat(201);
    let (status, _, html) = read(worker.form("/werkvoorraad", &[("zoek", &zoek)]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Zoeken: gebruik ten hoogste 200 tekens."),
        "{html}"
    );

    assert_eq!(app.row_counts().await.unwrap(), before, "nothing stored");

    let beheer = Session::new(&addr, "beheer").await;
    let before = app.row_counts().await.unwrap();
    let gebruiker = "a".repeat(101);
    let (status, _, html) = read(
        beheer
            .form("/beheer/audit", &[("gebruiker", &gebruiker)])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Gebruiker: gebruik ten hoogste 100 tekens."),
        "{html}"
    );
    assert_eq!(
        app.row_counts().await.unwrap(),
        before,
        "nothing stored, nothing logged"
    );
    app.close().await;
}

jeugdroute_store::backend_tests!(oversize_fields_are_refused_by_name);

/// What the framework refuses before a handler runs is answered as the product
/// answers: a Dutch page for the browser, JSON (`Fout`) under `/api` — never
/// English plain text.
async fn refusals_answer_as_the_product_does(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let worker = Session::new(&addr, WORKER).await;
    let big = "a".repeat(100 * 1024);
    let long = "a".repeat(3000);
    let page = |status: StatusCode, words: &'static str| (status, "text/html", words);
    let json = |status: StatusCode, words: &'static str| (status, "application/json", words);
    let cases = [
        (
            worker
                .page(Method::POST, "/aanmelden")
                .form(&[("gebruikersnaam", big.as_str())]),
            page(StatusCode::PAYLOAD_TOO_LARGE, "te groot"),
        ),
        (
            worker
                .api(Method::POST, "/api/v1/casussen")
                .body(big.clone()),
            json(StatusCode::PAYLOAD_TOO_LARGE, "te groot"),
        ),
        (
            worker.page(Method::GET, &format!("/werkvoorraad?fase={long}")),
            page(StatusCode::URI_TOO_LONG, "te lang"),
        ),
        (
            worker.api(Method::GET, &format!("/api/v1/casussen?fase={long}")),
            json(StatusCode::URI_TOO_LONG, "te lang"),
        ),
        (
            worker
                .page(Method::POST, "/aanmelden")
                .header(CONTENT_TYPE, "text/plain")
                .body("gebruikersnaam=a"),
            page(StatusCode::UNSUPPORTED_MEDIA_TYPE, "formulier"),
        ),
        (
            worker
                .page(Method::POST, "/aanmelden")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("gebruikersnaam=a&gebruikersnaam=b"),
            page(StatusCode::UNPROCESSABLE_ENTITY, "kon niet worden gelezen"),
        ),
        (
            worker.page(Method::GET, "/werkvoorraad?fase=plan&fase=melding"),
            page(StatusCode::BAD_REQUEST, "kon niet worden gelezen"),
        ),
        (
            worker.page(Method::GET, "/casussen/%FF"),
            page(StatusCode::BAD_REQUEST, "kon niet worden gelezen"),
        ),
        (
            worker.page(Method::PUT, "/werkvoorraad"),
            page(
                StatusCode::METHOD_NOT_ALLOWED,
                "Dit kan niet op deze pagina",
            ),
        ),
        (
            worker.api(Method::DELETE, "/api/v1/casussen"),
            json(StatusCode::METHOD_NOT_ALLOWED, "Allow"),
        ),
        (
            worker.api(Method::GET, "/api/v1/bestaat-niet"),
            json(StatusCode::NOT_FOUND, "niet gevonden"),
        ),
    ];
    for (request, (status, kind, words)) in cases {
        let request = request.build().unwrap();
        let what = format!("{} {}", request.method(), request.url().path());
        let response = worker.client.execute(request).await.unwrap();
        let allow = response.headers().get(ALLOW).cloned();
        let csp = response.headers().get(CONTENT_SECURITY_POLICY).cloned();
        let (got, got_kind, body) = read(response).await;
        assert_eq!(got, status, "{what}: {body}");
        assert!(got_kind.starts_with(kind), "{what}: {got_kind}");
        assert!(body.contains(words), "{what}: {body}");
        assert!(csp.is_some(), "{what}: the security headers too");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(allow.is_some(), "{what}: Allow says what can");
        }
        if kind == "application/json" {
            let fout: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(
                fout["fout"].is_string() && fout["velden"].is_array(),
                "{what}: {body}"
            );
        } else {
            assert!(body.contains("lang=\"nl\""), "{what}: the Dutch page");
        }
    }
    app.close().await;
}

jeugdroute_store::backend_tests!(refusals_answer_as_the_product_does);

/// No answer with personal data may be kept by a browser or a proxy: a case
/// page and the API's case file are `no-store`, like every answer but the
/// static assets; the CSP forbids a `<base>` as well as framing and foreign forms.
async fn personal_answers_are_not_cached(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let worker = Session::new(&addr, WORKER).await;
    let (status, casus) = worker.melding(&noor_with("", "").1).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = casus["id"].as_i64().unwrap();
    let answers = [
        worker.page(Method::GET, &format!("/casussen/{id}")),
        worker.page(Method::GET, "/werkvoorraad"),
        worker.api(Method::GET, &format!("/api/v1/casussen/{id}")),
        worker.api(Method::GET, "/api/v1/casussen"),
        worker.page(Method::GET, "/casussen/999999"),
    ];
    for request in answers {
        let response = request.send().await.unwrap();
        let what = response.url().path().to_owned();
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store", "{what}");
        assert_eq!(response.headers()[PRAGMA], "no-cache", "{what}");
        let csp = response.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        for part in [
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{what}: {csp}");
        }
    }
    let css = worker
        .page(Method::GET, "/static/jeugdroute.css")
        .send()
        .await
        .unwrap();
    assert_eq!(css.headers()[CACHE_CONTROL], "public, max-age=3600");
    assert!(css.headers().get(PRAGMA).is_none());
    app.close().await;
}

jeugdroute_store::backend_tests!(personal_answers_are_not_cached);

/// A server with the given transport limits in front of a fresh SQLite database.
async fn serve_with(settings: ServeSettings) -> (String, TestDatabase) {
    let db = TestDatabase::sqlite();
    let app = App::open(&db.url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let settings = jeugdroute_web::Settings {
        transport: settings,
        ..jeugdroute_web::Settings::default()
    };
    tokio::spawn(jeugdroute_web::serve(
        listener,
        app,
        settings,
        std::future::pending(),
    ));
    (addr, db)
}

/// Whether the server has closed this connection (what it may have sent first
/// is read and dropped).
fn closed(stream: &TcpStream) -> bool {
    let mut buf = [0_u8; 1024];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// A server within `settings`, and one connection to it that has sent `bytes`.
async fn one_connection(settings: ServeSettings, bytes: &[u8]) -> (TcpStream, TestDatabase) {
    let (addr, db) = serve_with(settings).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    (stream, db)
}

/// Waits until the server closes `stream`: not before `earliest` after `since`,
/// and within 5 s.
async fn wait_closed(stream: &TcpStream, since: Instant, earliest: Duration) {
    while !closed(stream) {
        assert!(
            since.elapsed() < Duration::from_secs(5),
            "still open after {:?}",
            since.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        since.elapsed() >= earliest,
        "closed after {:?}",
        since.elapsed()
    );
}

/// 500 connections that send half a request head, a byte at a time, do not stop
/// `/healthz` from answering at once, and each is closed after the header-read
/// timeout (before the fix they stayed open for good).
#[tokio::test]
async fn slow_request_heads_do_not_hold_the_server() {
    let timeout = Duration::from_secs(2);
    let (addr, _db) = serve_with(ServeSettings {
        header_read_timeout: timeout,
        ..ServeSettings::default()
    })
    .await;
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..500 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: jeugdroute\r\nX-Langzaam: ")
            .await
            .unwrap();
        slow.push(stream);
    }
    let asked = Instant::now();
    let healthz = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(healthz.status(), StatusCode::OK);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "/healthz took {:?} beside 500 slow connections",
        asked.elapsed()
    );
    assert!(
        slow.iter().all(|s| !closed(s)),
        "the slow connections are still open while /healthz answers"
    );
    // Keep sending a byte now and then, as a slow client does, until all are closed.
    while !slow.is_empty() && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let mut open = Vec::new();
        for mut stream in slow {
            if !closed(&stream) && stream.write_all(b"a").await.is_ok() {
                open.push(stream);
            }
        }
        slow = open;
        if !slow.is_empty() {
            assert!(
                started.elapsed() < timeout * 4,
                "{} slow connections still open after {:?}",
                slow.len(),
                started.elapsed()
            );
        }
    }
    assert!(slow.is_empty());
    assert!(
        started.elapsed() >= timeout,
        "closed only after the header-read timeout"
    );
}

/// A connection that stops sending in the middle of a request body is closed
/// after the idle timeout (before the fix it was kept open for good).
#[tokio::test]
async fn a_stalled_body_is_closed_after_the_idle_timeout() {
    let settings = ServeSettings {
        idle_timeout: Duration::from_millis(500),
        ..ServeSettings::default()
    };
    let head = b"POST /aanmelden HTTP/1.1\r\nHost: jeugdroute\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngebruikers";
    let (stream, _db) = one_connection(settings, head).await;
    let started = Instant::now();
    wait_closed(&stream, started, Duration::from_millis(500)).await;
}

/// A request id the client brings is logged with every line and shown on error
/// pages: one that is too long or not plain is replaced by our own.
#[tokio::test]
async fn a_foreign_request_id_is_bounded() {
    let (addr, _db) = serve_with(ServeSettings::default()).await;
    let client = reqwest::Client::new();
    for (sent, kept) in [
        ("keten-123".to_owned(), true),
        ("a".repeat(65), false),
        ("<script>".to_owned(), false),
    ] {
        let response = client
            .get(format!("http://{addr}/healthz"))
            .header("x-request-id", &sent)
            .send()
            .await
            .unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap();
        assert_eq!(id == sent, kept, "{sent:?} -> {id:?}");
        assert!(id.len() <= 64);
    }
}

/// A kept-alive connection that asks nothing more is closed once the
/// header-read timeout has passed (hyper starts that clock while it waits for
/// the next request), well before the idle timeout.
#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let settings = ServeSettings {
        header_read_timeout: Duration::from_secs(1),
        ..ServeSettings::default()
    };
    let head = b"GET /healthz HTTP/1.1\r\nHost: jeugdroute\r\n\r\n";
    let (stream, _db) = one_connection(settings, head).await;
    let started = Instant::now();
    stream.readable().await.unwrap();
    let mut answer = [0_u8; 4096];
    let n = stream.try_read(&mut answer).unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200 OK"));
    assert!(!closed(&stream), "kept alive after the answer");
    wait_closed(&stream, started, Duration::from_millis(900)).await;
}

/// A request head beyond its bounds (16 KiB, 64 lines) is refused with 431
/// before anything reads it.
#[tokio::test]
async fn oversized_request_heads_are_refused() {
    let (addr, _db) = serve_with(ServeSettings::default()).await;
    let client = reqwest::Client::new();
    let many = (0..70).fold(client.get(format!("http://{addr}/healthz")), |r, i| {
        r.header(format!("x-veld-{i}"), "a")
    });
    let big = client
        .get(format!("http://{addr}/healthz"))
        .header("x-groot", "a".repeat(20 * 1024));
    for request in [many, big] {
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
    }
}

/// Over the connection limit a new connection waits for a free slot: with one
/// slot held by a slow client, `/healthz` is answered once the header-read
/// timeout has closed the slow one, not before.
#[tokio::test]
async fn over_the_connection_limit_a_client_waits_for_a_slot() {
    let settings = ServeSettings {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 1,
        ..ServeSettings::default()
    };
    let (slow, _db) = one_connection(settings, b"GET /healthz HTTP/1.1\r\n").await;
    let started = Instant::now();
    let addr = slow.peer_addr().unwrap();
    let healthz = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(healthz.status(), StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(closed(&slow));
}
