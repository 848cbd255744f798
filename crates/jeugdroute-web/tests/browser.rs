//! The access worker's route in a real browser: Debian's Chromium, headless and
//! driven over WebDriver, signs in as `medewerker.amersfoort` and clicks from a
//! new melding to the JW301 and through the provider directory; then the demo
//! provider reports its waiting time on its worklist, answers an allocation,
//! registers the intake, writes its behandelplan and notes progress; the worker
//! evaluates that case per result and closes it, and sends the youth's new
//! melding back to the same provider under the warranty. axe-core checks every page
//! it shows for accessibility problems (WCAG 2.1 A/AA and best practices: zero
//! violations).
//!
//! It needs `chromedriver`, `chromium` and axe-core's `axe.min.js` (found through
//! `JEUGDROUTE_AXE`, or where `.ci/run` installs it: `target/axe`). Without them
//! it says so and passes, except under `CI=true`, where their absence fails.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use jeugdroute_app::{Actor, App, DEMO_PASSWORD};
use jeugdroute_store::testing::TestDatabase;
use serde_json::{Value, json};

/// What the browser test needs from the machine.
struct Tools {
    chromedriver: PathBuf,
    chromium: PathBuf,
    axe: String,
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

#[allow(clippy::print_stderr, reason = "a skipped test says so")]
fn tools() -> Option<Tools> {
    let axe = std::env::var_os("JEUGDROUTE_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        });
    let found = (
        on_path("chromedriver"),
        on_path("chromium"),
        std::fs::read_to_string(&axe).ok(),
    );
    match found {
        (Some(chromedriver), Some(chromium), Some(axe)) => Some(Tools {
            chromedriver,
            chromium,
            axe,
        }),
        missing => {
            let message = format!(
                "the browser test needs chromedriver ({}), chromium ({}) and axe-core at {} ({})",
                missing.0.is_some(),
                missing.1.is_some(),
                axe.display(),
                missing.2.is_some()
            );
            assert!(!support::in_ci(), "{message}, but CI=true");
            eprintln!("{message}: skipping");
            None
        }
    }
}

/// A chromedriver on a free local port, stopped when dropped.
struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    fn start(tools: &Tools) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn browser(&self, tools: &Tools) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": tools.chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1024", "--lang=nl"],
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// The browser and what it checks on every page.
struct Visit {
    client: Client,
    axe: String,
    pages: usize,
}

impl Visit {
    /// Runs axe-core on the page shown now; every violation fails the test.
    async fn check(&mut self, page: &str) {
        let loaded = self
            .client
            .execute("return typeof axe !== 'undefined';", vec![])
            .await
            .unwrap();
        if loaded != Value::Bool(true) {
            self.client.execute(&self.axe, vec![]).await.unwrap();
        }
        let violations = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations.map(v =>
                       v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(violations, json!([]), "axe-core on {page}");
        self.pages += 1;
    }

    async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Sets a date field the way its date picker would (typing depends on the locale).
    async fn date(&self, name: &str, value: &str) {
        self.client
            .execute(
                "document.querySelector(\"[name='\" + arguments[0] + \"']\").value = arguments[1];",
                vec![json!(name), json!(value)],
            )
            .await
            .unwrap();
    }

    async fn select(&self, name: &str, value: &str) {
        self.client
            .find(Locator::Css(&format!("select[name='{name}']")))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Clicks the button with this text (or else the link), and waits for the page that
    /// shows `then` (text anywhere in the main content).
    async fn press(&self, text: &str, then: &str) {
        let button = format!("//button[normalize-space()='{text}']");
        let link = format!("//a[normalize-space()='{text}']");
        let target = match self.client.find(Locator::XPath(&button)).await {
            Ok(button) => button,
            Err(_) => self
                .client
                .find(Locator::XPath(&link))
                .await
                .unwrap_or_else(|e| panic!("no button or link '{text}': {e}")),
        };
        target.click().await.unwrap();
        self.shows(then).await;
    }

    async fn shows(&self, text: &str) {
        let xpath = format!("//*[contains(normalize-space(.), '{text}')]");
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&xpath))
            .await;
        if found.is_err() {
            let source = self.client.source().await.unwrap_or_default();
            let url = self
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let shot = std::env::temp_dir().join("jeugdroute-browser-fout.png");
            let png = self.client.screenshot().await.unwrap_or_default();
            std::fs::write(&shot, png).ok();
            panic!(
                "the page at {url} does not show '{text}' (screenshot: {}):\n{source}",
                shot.display()
            );
        }
    }
}

#[tokio::test]
async fn from_melding_to_jw301_in_chromium() {
    let Some(tools) = tools() else { return };
    let db = TestDatabase::sqlite();
    let (addr, app) = support::serve(&db.url, true).await;
    let driver = Driver::start(&tools);
    let mut visit = Visit {
        client: driver.browser(&tools).await,
        axe: tools.axe.clone(),
        pages: 0,
    };
    route(&mut visit, &addr).await;
    evaluatie_en_garantie(&mut visit, &addr, &app).await;
    assert!(visit.pages >= 28, "axe-core ran on {} pages", visit.pages);
    visit.client.close().await.unwrap();
}

async fn route(v: &mut Visit, addr: &str) {
    v.client.goto(&format!("{addr}/aanmelden")).await.unwrap();
    v.check("aanmelden").await;
    v.fill("gebruikersnaam", "medewerker.amersfoort").await;
    v.fill("wachtwoord", DEMO_PASSWORD).await;
    v.press("Aanmelden", "Afmelden").await;
    v.check("start").await;
    v.press("Werkvoorraad", "Zoek op naam of BSN").await;
    v.check("werkvoorraad").await;

    v.press("Nieuwe melding", "Melding opslaan").await;
    v.check("nieuwe melding").await;
    v.press("Melding opslaan", "Vul dit veld in.").await;
    v.check("nieuwe melding met fouten").await;
    for (name, value) in [
        ("bsn", "999990342"),
        ("voornamen", "Noor"),
        ("achternaam", "de Vries"),
        ("straat", "Stationsplein"),
        ("huisnummer", "3"),
        ("postcode", "3818 LE"),
        ("woonplaats", "Amersfoort"),
        ("vindplaats", "spreekuur op school"),
        ("verwijzer_naam", "Huisartsenpraktijk Eemland"),
        ("vraag", "Noor is vaak boos en wil niet meer naar school."),
        ("ouder_1_naam", "Eva de Vries"),
    ] {
        v.fill(name, value).await;
    }
    v.date("geboortedatum", "2015-03-02").await;
    v.select("gemeente", "0307").await;
    v.select("verwijzer", "02").await;
    v.click("#urgentie-urgent").await;
    v.press("Melding opslaan", "Melding oppakken").await;
    v.check("casus: melding").await;

    v.press("Melding oppakken", "Vraagverheldering opslaan")
        .await;
    v.check("vraagverheldering").await;
    v.fill("vraag", "Ruzie thuis en Noor gaat niet meer naar school")
        .await;
    v.click("#opvoedsituatie-verhoogde-spanning").await;
    v.click("#leefgebied_opvoeding").await;
    v.click("#leefgebied_opleiding").await;
    v.fill("netwerk", "Oma woont dichtbij").await;
    v.press("Vraagverheldering opslaan", "Gezinsanalyse opslaan")
        .await;
    v.check("gezinsanalyse").await;

    v.fill("vrij_toegankelijk", "Opvoedcursus gevolgd; niet genoeg")
        .await;
    v.click("#behoefte-b").await;
    v.press("Gezinsanalyse opslaan", "Perspectiefplan opslaan")
        .await;
    v.check("perspectiefplan").await;

    v.select("resultaat_1_leefgebied", "opleiding").await;
    v.fill("resultaat_1", "Noor gaat weer elke dag naar school")
        .await;
    v.press("Perspectiefplan opslaan", "Arrangement vastleggen")
        .await;
    v.check("bemiddeling").await;

    // The script shows the determination while the worker chooses.
    let show = v
        .client
        .find(Locator::Css("button[value='bepalen']"))
        .await
        .unwrap();
    assert!(!show.is_displayed().await.unwrap(), "the script took over");
    v.click("#arrangement-2").await;
    for guideline in ["midden.ontwikkelen", "midden.gemiddeld", "licht.dichtbij"] {
        v.click(&format!("[name='richtlijn_{guideline}']")).await;
    }
    v.shows("Voorstel: Midden").await;
    v.click("#intensiteit-midden").await;
    v.shows("Uitkomst: arrangementcode 50H22").await;
    v.check("bemiddeling met uitkomst").await;
    v.fill("dagdelen", "twee").await;
    v.shows("Geef een heel aantal dagdelen.").await;
    v.check("bemiddeling met een fout in de uitkomst").await;
    v.fill("dagdelen", "").await;
    v.shows("Uitkomst: arrangementcode 50H22").await;
    v.press(
        "Arrangement vastleggen",
        "Match vastleggen en beschikking maken",
    )
    .await;
    v.check("match en intake").await;

    // An earlier step corrected before the beschikking: licht instead of midden.
    v.click("#corrigeer-bemiddeling").await;
    v.check("match en intake, correctie open").await;
    v.click("#intensiteit-licht").await;
    v.click("#reden-bemiddeling").await;
    v.client
        .find(Locator::Css("#reden-bemiddeling"))
        .await
        .unwrap()
        .send_keys("Het doel ligt dichterbij dan gedacht")
        .await
        .unwrap();
    v.press(
        "Correctie opslaan: Bemiddeling",
        "Het doel ligt dichterbij dan gedacht",
    )
    .await;
    v.shows("50H21").await;
    v.check("match en intake na de correctie").await;

    v.click("#aanbieder input[type='radio']").await;
    let today = support::today();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    for (name, n) in [
        ("match_datum", 0),
        ("intake_datum", 14),
        ("ingangsdatum", 14),
        ("einddatum", 200),
    ] {
        v.date(name, &day(n)).await;
    }
    v.press(
        "Match vastleggen en beschikking maken",
        "Akkoord: hulp toewijzen",
    )
    .await;
    v.check("beschikking").await;
    v.press("Akkoord: hulp toewijzen", "Toewijzingsbericht JW301 (XML)")
        .await;
    v.check("toewijzing").await;

    v.press("Toewijzingsbericht JW301 (XML)", "ToewijzingNummer")
        .await;
    let url = v.client.current_url().await.unwrap();
    assert!(url.path().ends_with("/jw301.xml"), "{url}");
    let session = v
        .client
        .get_named_cookie("jeugdroute_sessie")
        .await
        .unwrap();
    let xml = reqwest::Client::new()
        .get(url.as_str())
        .header("cookie", format!("jeugdroute_sessie={}", session.value()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.contains(">50H21<"), "the corrected arrangement code");
    support::assert_valid_jw301(&xml);
    crisis(v, addr).await;
    aanbieders(v, addr).await;
}

/// The worker searches the provider directory; then the provider signs in and
/// reports its expected wait and an opnamestop on its worklist.
async fn aanbieders(v: &mut Visit, addr: &str) {
    v.client
        .goto(&format!("{addr}/werkvoorraad"))
        .await
        .unwrap();
    v.press("Aanbieders", "Naam of plaats").await;
    v.check("aanbieders").await;
    v.fill("code", "50H-2").await;
    v.press("Zoeken", "Er is niet gezocht").await;
    v.check("aanbieders met een fout").await;
    v.fill("code", "50H12").await;
    v.press("Zoeken", "3 aanbieders").await;
    v.check("aanbieders voor 50H12").await;

    v.press("Afmelden", "Aanmelden").await;
    v.client.goto(&format!("{addr}/aanmelden")).await.unwrap();
    v.fill("gebruikersnaam", "aanbieder.demo").await;
    v.fill("wachtwoord", DEMO_PASSWORD).await;
    v.press("Aanmelden", "Afmelden").await;
    v.press("Toewijzingen", "Uw wachttijd en opnamestop").await;
    v.check("toewijzingen van de aanbieder").await;
    v.fill("wachttijd_weken", "veel").await;
    v.press("Wachttijd melden", "De wachttijd is niet gemeld")
        .await;
    v.check("wachttijd met een fout").await;
    v.fill("wachttijd_weken", "4").await;
    v.click("#wachttijd-opnamestop").await;
    v.press("Wachttijd melden", "U meldde dit het laatst op")
        .await;
    v.check("wachttijd gemeld").await;
    behandeling(v, addr).await;
}

/// The provider answers an allocation of the demo (case 124), registers the
/// intake and writes its behandelplan against the family's results.
async fn behandeling(v: &mut Visit, addr: &str) {
    v.client
        .goto(&format!("{addr}/casussen/124"))
        .await
        .unwrap();
    v.shows("Uw reactie op de toewijzing").await;
    v.check("casus bij de aanbieder").await;
    v.click("#reactie-probleem").await;
    v.press("Reactie opslaan", "Het is niet opgeslagen").await;
    v.check("reactie met een fout").await;
    v.click("#reactie-geaccepteerd").await;
    v.press("Reactie opslaan", "Wij nemen de jeugdige in zorg.")
        .await;
    v.date("intakedatum", &support::today().to_string()).await;
    v.press("Intake registreren", "Intake gehouden op").await;
    v.fill("beknopt_plan", "Thuis, met ouders en kind samen.")
        .await;
    v.fill("doel_1_omschrijving", "Rustige avonden thuis").await;
    v.click("#doel-1-resultaat-1").await;
    v.fill("doel_1_activiteiten", "Video-hometraining").await;
    v.fill("doel_1_frequentie", "Wekelijks een uur").await;
    v.press("Behandelplan opslaan", "Laatst opgeslagen op")
        .await;
    v.check("behandelplan opgeslagen").await;
    v.fill("voortgang", "Eerste gesprekken thuis gaan goed.")
        .await;
    v.press("Voortgang opslaan", "Eerste gesprekken thuis gaan goed.")
        .await;
}

/// The worker follows demo case 124, evaluates it per result and closes it;
/// the youth comes back within four months and goes back to the same
/// hoofdaannemer under the warranty, all on the pages.
async fn evaluatie_en_garantie(v: &mut Visit, addr: &str, app: &App) {
    let user = app
        .sign_in("medewerker.amersfoort", DEMO_PASSWORD, None)
        .await
        .unwrap()
        .current
        .user;
    let jeugdige = app
        .casus(&Actor { user, source: None }, 124)
        .await
        .unwrap()
        .jeugdige;
    v.press("Afmelden", "Aanmelden").await;
    v.client.goto(&format!("{addr}/aanmelden")).await.unwrap();
    v.fill("gebruikersnaam", "medewerker.amersfoort").await;
    v.fill("wachtwoord", DEMO_PASSWORD).await;
    v.press("Aanmelden", "Afmelden").await;
    v.client
        .goto(&format!("{addr}/casussen/124"))
        .await
        .unwrap();
    v.shows("Eerste gesprekken thuis gaan goed.").await;
    v.check("casus in uitvoering").await;
    v.press("Evaluatie starten", "Evaluatie vastleggen en afsluiten")
        .await;
    v.check("evaluatie").await;
    v.press("Evaluatie vastleggen en afsluiten", "Kies bij resultaat 1")
        .await;
    v.check("evaluatie met fouten").await;
    for keuze in ["#oordeel_1-behaald", "#oordeel_2-deels", "#oordeel_3-niet"] {
        v.click(keuze).await;
    }
    v.fill("gezin_1", "Het is thuis veel rustiger.").await;
    v.select("reden_einde", "31").await;
    let gisteren = support::today().pred_opt().unwrap();
    v.date("einddatum", &gisteren.to_string()).await;
    v.press(
        "Evaluatie vastleggen en afsluiten",
        "De garantie loopt tot en met",
    )
    .await;
    v.check("afgesloten onder garantie").await;

    v.press("Werkvoorraad", "Zoek op naam of BSN").await;
    v.press("Nieuwe melding", "Melding opslaan").await;
    for (name, value) in [
        ("bsn", jeugdige.bsn.as_str()),
        ("voornamen", jeugdige.first_names.as_str()),
        ("achternaam", jeugdige.surname.as_str()),
        ("straat", "Stationsplein"),
        ("huisnummer", "3"),
        ("postcode", "3818 LE"),
        ("woonplaats", "Amersfoort"),
        ("vindplaats", "het gezin belde zelf"),
        ("vraag", "Het gaat thuis weer mis."),
    ] {
        v.fill(name, value).await;
    }
    v.date("geboortedatum", &jeugdige.birth_date.to_string())
        .await;
    v.select("gemeente", "0307").await;
    v.select("verwijzer", "06").await;
    v.click("#urgentie-regulier").await;
    v.press("Melding opslaan", "Onder garantie terug naar")
        .await;
    v.check("melding onder garantie").await;
    v.press(
        "Onder garantie terug naar Jeugdhulp De Eem",
        "Garantiezaak:",
    )
    .await;
    v.check("garantiezaak").await;
}

/// A crisis melding: the help starts at once, the beschikking and the JW301
/// follow, then the assessment with its deadline.
async fn crisis(v: &mut Visit, addr: &str) {
    v.client
        .goto(&format!("{addr}/meldingen/nieuw"))
        .await
        .unwrap();
    for (name, value) in [
        ("bsn", "999990354"),
        ("voornamen", "Daan"),
        ("achternaam", "Bakker"),
        ("straat", "Stationsplein"),
        ("huisnummer", "5"),
        ("postcode", "3818 LE"),
        ("woonplaats", "Amersfoort"),
        ("vindplaats", "politie"),
        ("vraag", "Het gaat thuis niet meer."),
    ] {
        v.fill(name, value).await;
    }
    v.date("geboortedatum", "2012-06-01").await;
    v.select("gemeente", "0307").await;
    v.select("verwijzer", "06").await;
    v.click("#urgentie-crisis").await;
    v.press("Melding opslaan", "Crisis: de hulp direct starten")
        .await;
    v.check("crisismelding").await;
    v.click("#aanbieder input[type='radio']").await;
    v.press(
        "Crisishulp starten en beschikking maken",
        "Crisishulp loopt sinds",
    )
    .await;
    v.check("crisis: beschikking").await;
    v.press(
        "Akkoord: hulp toewijzen",
        "De crisishulp loopt: beoordeling starten",
    )
    .await;
    v.check("crisis: toewijzing").await;
    v.press(
        "De crisishulp loopt: beoordeling starten",
        "Vraagverheldering opslaan",
    )
    .await;
    v.shows("moet uiterlijk").await;
    v.check("crisis: beoordeling").await;
}
