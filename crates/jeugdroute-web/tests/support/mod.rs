//! What the black-box tests share: a real server in front of a fresh database,
//! and the official schema check of a JW301 the application produced.
#![allow(
    dead_code,
    reason = "each test binary uses its own part of the support"
)]

use std::path::PathBuf;

use jeugdroute_app::{App, DatabaseUrl};

/// A server on port 0 in front of the database at `url`, with default settings
/// (plain HTTP, as the demo).
pub async fn serve(url: &DatabaseUrl, with_demo: bool) -> (String, App) {
    serve_with(url, with_demo, jeugdroute_web::Settings::default()).await
}

/// A server on port 0 with these settings.
pub async fn serve_with(
    url: &DatabaseUrl,
    with_demo: bool,
    settings: jeugdroute_web::Settings,
) -> (String, App) {
    let app = App::open(url).await.unwrap();
    if with_demo {
        app.load_demo().await.unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(jeugdroute_web::serve(
        listener,
        app.clone(),
        settings,
        std::future::pending(),
    ));
    (addr, app)
}

/// The password of the accounts [`account`] makes.
pub const PASSWORD: &str = "geheim wachtwoord";
/// Its Argon2id hash, made once with the application's own hashing.
const PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$K2aRL1osFs/3i5F/e9n47w$IBVqk6EsRxX4rlqVBRsJa4oVYpzkVQzxyFjC9mS9WzQ";

/// Adds a toegangsmedewerker `name` (of no gemeente) with [`PASSWORD`]: an
/// account to sign in with, without loading the whole demo region.
pub async fn account(url: &DatabaseUrl, name: &str) {
    let store = jeugdroute_store::Store::connect(url).await.unwrap();
    let user = jeugdroute_domain::User {
        username: name.into(),
        display_name: "Mila Medewerker".into(),
        role: jeugdroute_domain::Role::Toegangsmedewerker,
        gemeenten: vec![],
        aanbieder: None,
        gi: None,
    };
    let mut tx = store.begin().await.unwrap();
    assert!(tx.insert_user(&user, PASSWORD_HASH).await.unwrap());
    tx.commit().await.unwrap();
    store.close().await;
}

/// An HTTP client that follows no redirect by itself, like a test's browser.
pub fn client_without_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Whether the tests run in CI, where every tool and `../shared` must be present.
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A file of the reference material beside the checkout (`../shared`).
pub fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
}

/// Checks a JW301 with xmllint against the official XSD. Without the schema or
/// xmllint it says so and skips, except under `CI=true`, where that fails.
#[allow(clippy::print_stderr, reason = "a skipped check says so")]
pub fn check_jw301_against_xsd(xml: &str) {
    let xsd = shared("ijw/xsd/ijw-3.2/jw301.xsd");
    let xmllint = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !(xsd.is_file() && xmllint) {
        assert!(
            !in_ci(),
            "{} or xmllint is missing, but CI=true",
            xsd.display()
        );
        eprintln!("no JW301 schema or xmllint: skipping the XSD check of the produced JW301");
        return;
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&xsd)
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A JW301 as produced passes `ijw::validate` and, where it is at hand, xmllint
/// against the official XSD.
pub fn assert_valid_jw301(xml: &str) {
    let report = ijw::validate(xml.as_bytes());
    assert!(report.is_valid(), "{:?}", report.findings);
    check_jw301_against_xsd(xml);
}

/// Today's date in the Netherlands, as the application counts it.
pub fn today() -> chrono::NaiveDate {
    jeugdroute_domain::amsterdam_today(chrono::Utc::now())
}

/// A melding of Noor that the application accepts, as form fields.
pub const NOOR: [(&str, &str); 15] = [
    ("bsn", "999990342"),
    ("voornamen", "Noor"),
    ("achternaam", "de Vries"),
    ("geboortedatum", "2015-03-02"),
    ("gemeente", "0307"),
    ("straat", "Stationsplein"),
    ("huisnummer", "3"),
    ("postcode", "3818 LE"),
    ("woonplaats", "Amersfoort"),
    ("vindplaats", "spreekuur op school"),
    ("verwijzer", "02"),
    ("verwijzer_naam", "Huisartsenpraktijk Eemland"),
    ("urgentie", "urgent"),
    ("vraag", "Noor is vaak boos en wil niet meer naar school."),
    ("geslacht", "vrouw"),
];
