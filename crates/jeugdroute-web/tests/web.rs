//! The web application as a black box over HTTP: a real server on port 0 in front
//! of a fresh database, spoken to with a real HTTP client.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use jeugdroute_app::App;
use jeugdroute_store::testing::TestDatabase;
use reqwest::StatusCode;

struct TestServer {
    addr: String,
    app: App,
    _db: TestDatabase,
}

async fn spawn_app(with_demo: bool) -> TestServer {
    let db = TestDatabase::sqlite();
    let app = App::open(&db.url).await.unwrap();
    if with_demo {
        app.load_demo().await.unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let server_app = app.clone();
    tokio::spawn(jeugdroute_web::serve(
        listener,
        server_app,
        std::future::pending(),
    ));
    TestServer { addr, app, _db: db }
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
        assert!(
            html.contains(&format!("<tr><td>{name}</td><td>{code}</td></tr>")),
            "{name} missing"
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
    let response = get(&server, "/casussen/onbekend").await;
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
