//! Attacks on signing in and on sessions: guessing, locking others out, flooding, stolen tokens.

use std::net::{IpAddr, Ipv4Addr};

use jeugdroute_app::DatabaseUrl;
use jeugdroute_store::testing::TestDatabase;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

use crate::support::{PASSWORD, account, serve, serve_with};

const NAME: &str = "medewerker.amersfoort";

/// A client whose connections come from `127.0.0.<last>` (Linux routes all of
/// 127/8 to loopback), so the server sees another source address.
fn client_from(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn login(
    client: &reqwest::Client,
    addr: &str,
    name: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(format!("{addr}/api/v1/login"))
        .json(&json!({"gebruikersnaam": name, "wachtwoord": password}))
        .send()
        .await
        .unwrap()
}

async fn audit_records(url: &DatabaseUrl) -> i64 {
    let store = jeugdroute_store::Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let count = tx
        .scalar_text_raw("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log")
        .await
        .unwrap();
    drop(tx);
    store.close().await;
    count.parse().unwrap()
}

/// Attack: fail 20 times for `medewerker.amersfoort` from one address, to guess
/// the password or to lock the user out. The attacker's address is slowed down
/// and told nothing specific; the real user from another address gets in at once.
async fn an_attacker_elsewhere_cannot_lock_the_user_out(url: &DatabaseUrl) {
    let (addr, app) = serve(url, false).await;
    account(url, NAME).await;
    let attacker = client_from(66);
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let response = login(&attacker, &addr, NAME, "zomer2026").await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(
                body["fout"],
                "de gebruikersnaam of het wachtwoord klopt niet"
            );
        }
        statuses.push(status);
    }
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "the attacker is slowed down"
    );
    // Even the right password does not get the attacker's address in now.
    let response = login(&attacker, &addr, NAME, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    // The real user, from an address that did not fail, signs in at once.
    let started = std::time::Instant::now();
    let response = login(&client_from(1), &addr, NAME, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    app.close().await;
}

/// Attack: a 1.9 MB user name, on the form and on the API, to grow the
/// append-only audit log for good. It does not fit a request body (413); a name
/// or password just over its bound is refused by field (422); nothing is written.
async fn a_huge_user_name_is_refused_and_not_kept(url: &DatabaseUrl) {
    let (addr, app) = serve(url, false).await;
    let before = audit_records(url).await;
    let huge = "a".repeat(1_900_000);
    let long_name = "a".repeat(101);
    let long_password = "p".repeat(1025);
    let client = client_from(1);
    let response = login(&client, &addr, &huge, "x").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let response = login(&client, &addr, &long_name, "x").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["velden"][0]["veld"], "gebruikersnaam", "{body}");

    // The form: its token from the sign-in page and its cookie.
    let page = client
        .get(format!("{addr}/aanmelden"))
        .send()
        .await
        .unwrap();
    let cookie = page.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let token = cookie.split_once('=').unwrap().1.to_owned();
    let attempts = [
        (
            huge.as_str(),
            "x",
            StatusCode::PAYLOAD_TOO_LARGE,
            "ten hoogste 64 KiB",
        ),
        (
            long_name.as_str(),
            "x",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Gebruikersnaam: mag hoogstens 100 tekens",
        ),
        (
            "beheer",
            long_password.as_str(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Wachtwoord: mag hoogstens 1024 tekens",
        ),
    ];
    for (name, password, status, message) in attempts {
        let response = client
            .post(format!("{addr}/aanmelden"))
            .header(COOKIE, &cookie)
            .form(&[
                ("csrf", token.as_str()),
                ("gebruikersnaam", name),
                ("wachtwoord", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{message}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{}", &html[..html.len().min(3000)]);
        assert!(html.len() < 100_000, "the long input is not echoed");
    }
    assert_eq!(audit_records(url).await, before, "nothing in the audit log");
    app.close().await;
}

/// The status of a request.
async fn status(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.unwrap().status()
}

/// A session of [`NAME`] over the API: its token and its CSRF token.
async fn session(client: &reqwest::Client, addr: &str) -> (String, String) {
    let response = login(client, addr, NAME, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let text = |key: &str| body[key].as_str().unwrap().to_owned();
    (text("token"), text("csrf_token"))
}

/// Attack: a stolen API token, or a browser session left open elsewhere. The
/// token is revoked by `POST /api/v1/afmelden`; "overal afmelden" (the API and
/// the button on every page) ends every session of the user.
async fn tokens_can_be_revoked_one_or_all(url: &DatabaseUrl) {
    let (addr, app) = serve(url, false).await;
    account(url, NAME).await;
    let client = client_from(1);
    let read = |token: &str| {
        status(
            client
                .get(format!("{addr}/api/v1/casussen"))
                .bearer_auth(token),
        )
    };
    let sign_out = |path: &str, token: Option<&str>| {
        let request = client.post(format!("{addr}/api/v1/{path}"));
        status(match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        })
    };
    let page = |cookie: &str| {
        client
            .get(format!("{addr}/werkvoorraad"))
            .header(COOKIE, format!("jeugdroute_sessie={cookie}"))
    };

    let (first, _) = session(&client, &addr).await;
    assert_eq!(read(&first).await, StatusCode::OK);
    assert_eq!(
        sign_out("afmelden", Some(&first)).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(read(&first).await, StatusCode::UNAUTHORIZED, "revoked");
    assert_eq!(sign_out("afmelden", None).await, StatusCode::UNAUTHORIZED);

    // Two API tokens and a browser: "overal afmelden" over the API ends all three.
    let (second, _) = session(&client, &addr).await;
    let (browser, _) = session(&client, &addr).await;
    let html = page(&browser).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("formaction=\"/afmelden/overal\""),
        "the button on the page"
    );
    assert_eq!(
        sign_out("afmelden/overal", Some(&second)).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(read(&second).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(page(&browser)).await,
        StatusCode::SEE_OTHER,
        "the browser too"
    );

    // The button: a browser's "Overal afmelden", with its CSRF token, ends an API token.
    let (api, _) = session(&client, &addr).await;
    let (browser, csrf) = session(&client, &addr).await;
    let overal = |csrf: &str| {
        client
            .post(format!("{addr}/afmelden/overal"))
            .header(COOKIE, format!("jeugdroute_sessie={browser}"))
            .form(&[("csrf", csrf.to_owned())])
    };
    assert_eq!(
        status(overal("vervalst")).await,
        StatusCode::FORBIDDEN,
        "CSRF as on every form"
    );
    assert_eq!(status(overal(&csrf)).await, StatusCode::SEE_OTHER);
    assert_eq!(read(&api).await, StatusCode::UNAUTHORIZED);
    app.close().await;
}

/// Attack: login CSRF, a page elsewhere posting `text/plain` (no preflight) to
/// `/api/v1/login` to sign the victim's browser into the attacker's account.
/// Only JSON is taken (415), and a foreign `Origin` is refused (403).
async fn login_csrf_is_refused(url: &DatabaseUrl) {
    let (addr, app) = serve(url, false).await;
    account(url, NAME).await;
    let client = client_from(1);
    let body = json!({"gebruikersnaam": NAME, "wachtwoord": PASSWORD}).to_string();
    let post = |content_type: &str, origin: Option<&str>| {
        let mut request = client
            .post(format!("{addr}/api/v1/login"))
            .header("content-type", content_type)
            .body(body.clone());
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let cookie = response.headers().get(SET_COOKIE).is_some();
            let body: Value = response.json().await.unwrap();
            (status, cookie, body)
        }
    };
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, cookie, body) = post(content_type, None).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert!(!cookie);
        assert!(
            body["fout"].as_str().unwrap().contains("application/json"),
            "{body}"
        );
    }
    for origin in [
        "http://aanvaller.example",
        "null",
        "http://127.0.0.1.aanvaller.example",
    ] {
        let (status, cookie, body) = post("application/json", Some(origin)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin}");
        assert!(!cookie);
        assert!(
            body["fout"].as_str().unwrap().contains("andere website"),
            "{body}"
        );
    }
    let own = addr.clone();
    let (status, cookie, _) = post("application/json; charset=utf-8", Some(&own)).await;
    assert_eq!(
        (status, cookie),
        (StatusCode::OK, true),
        "our own origin signs in"
    );
    app.close().await;
}

/// Attack: a client header (`X-Forwarded-Proto: https`) deciding how cookies
/// are protected. `Secure`, the `__Host-` prefix and HSTS come only from the
/// configured public URL; the demo over plain HTTP keeps plain cookies.
async fn cookie_protection_comes_from_configuration(url: &DatabaseUrl) {
    let (addr, app) = serve(url, false).await;
    account(url, NAME).await;
    let client = client_from(1);
    let response = client
        .post(format!("{addr}/api/v1/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"gebruikersnaam": NAME, "wachtwoord": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("jeugdroute_sessie=") && !cookie.contains("Secure"),
        "{cookie}"
    );
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    app.close().await;

    let settings = jeugdroute_web::Settings {
        public_url: Some("https://jeugdroute.example.nl".parse().unwrap()),
        ..jeugdroute_web::Settings::default()
    };
    let (addr, app) = serve_with(url, false, settings).await;
    let page = client
        .get(format!("{addr}/aanmelden"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let form_cookie = page.headers()[SET_COOKIE].to_str().unwrap();
    assert!(
        form_cookie.starts_with("__Host-jeugdroute_aanmelden=") && form_cookie.contains("; Secure"),
        "{form_cookie}"
    );
    let response = client
        .post(format!("{addr}/api/v1/login"))
        .header("origin", "https://jeugdroute.example.nl")
        .json(&json!({"gebruikersnaam": NAME, "wachtwoord": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__Host-jeugdroute_sessie=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    // Only the prefixed cookie is a session: a plain one (settable over HTTP
    // by a network attacker) is ignored.
    let page = |name: &str| {
        client
            .get(format!("{addr}/werkvoorraad"))
            .header(COOKIE, format!("{name}={token}"))
            .send()
    };
    assert_eq!(
        page("__Host-jeugdroute_sessie").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        page("jeugdroute_sessie").await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    app.close().await;
}

jeugdroute_store::backend_tests!(
    an_attacker_elsewhere_cannot_lock_the_user_out,
    a_huge_user_name_is_refused_and_not_kept,
    tokens_can_be_revoked_one_or_all,
    login_csrf_is_refused,
    cookie_protection_comes_from_configuration
);

/// Attack: flood the sign-in routes from one address to burn CPU on password
/// hashes. Past the burst the address gets 429 with Retry-After, after a short
/// wait, as JSON on the API and as a Dutch page on the form (one limiter for
/// both); another address is not affected.
#[tokio::test]
async fn sign_in_is_rate_limited_per_address() {
    let db = TestDatabase::sqlite();
    let (addr, app) = serve(&db.url, false).await;
    let flooder = client_from(77);
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(login(&flooder, &addr, "iemand", "x").await.status());
    }
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(limited >= 5, "{statuses:?}");
    // A refusal is answered slowly, so a waiting client cannot flood.
    let started = std::time::Instant::now();
    let response = login(&flooder, &addr, "iemand", "x").await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(450));
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("retry-after").is_some());
    let body: Value = response.json().await.unwrap();
    assert!(
        body["fout"]
            .as_str()
            .unwrap()
            .contains("te veel aanmeldpogingen"),
        "{body}"
    );
    // The limiter lets one attempt through every PERIOD (3 s); a refusal takes
    // half a second, so the form may meet a freshly let-through attempt (then
    // refused by its CSRF check, 403). Past that one, the form is limited too.
    let mut response = None;
    for _ in 0..3 {
        let answer = flooder
            .post(format!("{addr}/aanmelden"))
            .form(&[
                ("csrf", "x"),
                ("gebruikersnaam", "iemand"),
                ("wachtwoord", "x"),
            ])
            .send()
            .await
            .unwrap();
        if answer.status() == StatusCode::TOO_MANY_REQUESTS {
            response = Some(answer);
            break;
        }
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "let through: CSRF");
    }
    let response = response.expect("the form is rate limited as the API is");
    let html = response.text().await.unwrap();
    assert!(
        html.contains("lang=\"nl\"") && html.contains("te veel aanmeldpogingen"),
        "{html}"
    );
    // The sign-in page itself, and another address, are not limited.
    let page = flooder
        .get(format!("{addr}/aanmelden"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        login(&client_from(78), &addr, "iemand", "x").await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.close().await;
}
