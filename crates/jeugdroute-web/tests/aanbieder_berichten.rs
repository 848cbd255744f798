//! The provider's messages over the JSON API, black box, on SQLite always and
//! on PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo provider
//! reads an allocation it received and reports its start; wrong input is
//! refused by field, another gemeente's number is not found, and a worker may
//! not write a provider's messages. The provider reports its waiting time and
//! opnamestop on its worklist and over the API.
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
    // Once the gemeente accepted the start, no start is owed on it.
    let nummer = product.toewijzing_nummer;
    let owed = termijnen(&client, &addr, &aanbieder, &gemeente, nummer).await;
    assert!(!owed.contains(&"start".to_owned()), "{owed:?}");

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

/// What the provider behind `token` owes on allocation `nummer` of
/// `gemeente`, by kind, as its worklist in the API says.
async fn termijnen(
    client: &reqwest::Client,
    addr: &str,
    token: &str,
    gemeente: &str,
    nummer: i64,
) -> Vec<String> {
    let body: serde_json::Value = (client.get(format!("{addr}/api/v1/casussen")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let regel = (body["casussen"].as_array().unwrap().iter())
        .find(|r| r["gemeente"] == gemeente && r["toewijzingnummer"] == nummer)
        .unwrap()
        .clone();
    (regel["termijnen"].as_array().unwrap().iter())
        .map(|t| t["soort"].as_str().unwrap().to_owned())
        .collect()
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

/// A provider account `name` for AGB code `agb`, with the demo password.
async fn aanbieder_account(url: &DatabaseUrl, name: &str, agb: &str) {
    let store = jeugdroute_store::Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let demo = tx.account("aanbieder.demo").await.unwrap().unwrap();
    let user = jeugdroute_domain::User {
        username: name.into(),
        display_name: name.into(),
        aanbieder: Some(jeugdroute_domain::AgbCode::parse(agb).unwrap()),
        ..demo.user
    };
    assert!(tx.insert_user(&user, &demo.password_hash).await.unwrap());
    tx.commit().await.unwrap();
    store.close().await;
}

/// A page as the signed-in browser (its cookies in `jar`) gets it: 200, HTML.
async fn pagina(client: &reqwest::Client, addr: &str, jar: &str, path: &str) -> String {
    let shown = client
        .get(format!("{addr}{path}"))
        .header(reqwest::header::COOKIE, jar)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK, "{path}");
    shown.text().await.unwrap()
}

/// Signs in on the page, as a browser without JavaScript would: the session's
/// cookies as one `Cookie` header.
async fn sign_in(client: &reqwest::Client, addr: &str, username: &str) -> String {
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
            ("gebruikersnaam", username),
            ("wachtwoord", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{username}");
    cookies(&signed_in, jar).join("; ")
}

/// The allocation page of the demo provider, its forms without JavaScript: a
/// start reported, a stop with a wrong date shown again with the error.
async fn the_provider_writes_on_its_pages(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    exchange(&app).await;
    let mut tx = app.store().begin().await.unwrap();
    let out = tx.outbox_of(None, None, 100_000).await.unwrap();
    drop(tx);
    // The demo's provider started some of its allocations already.
    let gestart: Vec<(String, i64)> = (out.iter())
        .filter(|o| o.message.berichtsoort == "JW305" && o.message.sender == "98990011")
        .map(|o| match ijw::decode(o.message.body.as_bytes()).unwrap() {
            Bericht::Jw305(b) => (
                b.header.ontvanger.clone(),
                b.client.start_producten.start_product[0]
                    .toewijzing_nummer
                    .unwrap(),
            ),
            _ => panic!("JW305"),
        })
        .collect();
    assert!(!gestart.is_empty(), "the demo's trail");
    let Bericht::Jw301(allocation) = out
        .iter()
        .rev()
        .filter(|o| o.message.berichtsoort == "JW301" && o.message.receiver == "98990011")
        .map(|o| ijw::decode(o.message.body.as_bytes()).unwrap())
        .find(|b| match b {
            Bericht::Jw301(a) => !gestart.contains(&(
                a.header.afzender.clone(),
                a.client.toegewezen_producten.toegewezen_product[0].toewijzing_nummer,
            )),
            _ => false,
        })
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
    let jar = sign_in(&client, &addr, "aanbieder.demo").await;
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
    // A date with more after it is refused, not cut to its first ten characters.
    let trailing = format!("{begin}x");
    let refused = client
        .post(format!("{addr}{page}/start"))
        .header(reqwest::header::COOKIE, &jar)
        .form(&[("csrf", csrf.as_str()), ("begindatum", trailing.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
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
    let nummer = format!("JW305{:07}", gestart.len() + 1);
    assert!(html.contains(&nummer), "the start is listed: {html}");
    app.close().await;
}

/// The provider reports its expected wait and opnamestop on its worklist and
/// over the API; a wrong number is refused by field and changes nothing; a
/// form without its CSRF token and a worker are refused.
async fn the_provider_reports_its_waiting_time(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let client = support::client_without_redirects();
    let jar = sign_in(&client, &addr, "aanbieder.demo").await;
    let worklist = || pagina(&client, &addr, &jar, "/werkvoorraad");
    let html = worklist().await;
    assert!(html.contains("Uw wachttijd en opnamestop"), "{html}");
    assert!(
        html.contains("Uw gemeten wachttijd per arrangementcode"),
        "measured from the demo's trail: {html}"
    );
    assert!(
        html.contains("name=\"wachttijd_weken\" maxlength=\"3\" value=\"\""),
        "the demo reports no wait: {html}"
    );
    assert!(
        html.contains("U heeft via Jeugdroute nog niets gemeld."),
        "{html}"
    );
    let csrf = csrf_in(&html);
    let post = |form: Vec<(&'static str, String)>| {
        client
            .post(format!("{addr}/aanbieder/wachttijd"))
            .header(reqwest::header::COOKIE, &jar)
            .form(&form)
            .send()
    };
    let forged = post(vec![("wachttijd_weken", "0".into())]).await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let wrong = post(vec![
        ("csrf", csrf.clone()),
        ("wachttijd_weken", "twee".into()),
        ("opnamestop", "ja".into()),
    ])
    .await
    .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("Verwachte wachttijd: geef een aantal weken in cijfers, of laat het leeg."),
        "{html}"
    );
    assert!(html.contains("value=\"twee\""), "shown as typed: {html}");
    // A number followed by more is refused whole, not cut to its first digits.
    let long = post(vec![
        ("csrf", csrf.clone()),
        ("wachttijd_weken", "00000000001x".into()),
    ])
    .await
    .unwrap();
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reported = post(vec![
        ("csrf", csrf.clone()),
        ("wachttijd_weken", " 2 ".into()),
        ("opnamestop", "ja".into()),
    ])
    .await
    .unwrap();
    assert_eq!(reported.status(), StatusCode::SEE_OTHER);
    let html = worklist().await;
    assert!(html.contains("value=\"2\""), "{html}");
    assert!(
        html.contains("name=\"opnamestop\" value=\"ja\" checked"),
        "{html}"
    );
    assert!(html.contains("U meldde dit het laatst op "), "{html}");

    let api = format!("{addr}/api/v1/aanbieder/wachttijd");
    let aanbieder = token(&addr, "aanbieder.demo").await;
    let body: serde_json::Value = client
        .get(&api)
        .bearer_auth(&aanbieder)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["wachttijd_weken"], 2);
    let gemeten = body["gemeten"].as_array().unwrap();
    assert!(
        !gemeten.is_empty()
            && gemeten
                .iter()
                .all(|g| g["wachttijd"]["mediaan_dagen"].is_i64()),
        "measured from the demo's trail: {body}"
    );
    assert_eq!(body["opnamestop"], true);
    let gemeld_op = body["gemeld_op"].as_str().unwrap();
    assert!(
        gemeld_op.ends_with("+01:00") || gemeld_op.ends_with("+02:00"),
        "Dutch time: {body}"
    );
    for wrong in [
        json!({"wachttijd_weken": 105, "opnamestop": false}),
        json!({"wachttijd_weken": -1, "opnamestop": false}),
        json!({"wachttijd_weken": 3}),
        json!({"wachttijd_weken": 3, "opnamestop": false, "bsn": "999993653"}),
    ] {
        let refused = client
            .put(&api)
            .bearer_auth(&aanbieder)
            .json(&wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{wrong}"
        );
    }
    let cleared = client
        .put(&api)
        .bearer_auth(&aanbieder)
        .json(&json!({"wachttijd_weken": null, "opnamestop": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::OK);
    let body: serde_json::Value = cleared.json().await.unwrap();
    assert!(body["wachttijd_weken"].is_null(), "{body}");
    assert_eq!(body["opnamestop"], false);

    let worker = token(&addr, "medewerker.amersfoort").await;
    for request in [
        client.get(&api),
        client
            .put(&api)
            .json(&json!({"wachttijd_weken": 1, "opnamestop": false})),
    ] {
        let refused = request.bearer_auth(&worker).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    app.close().await;
}

/// The hoofdaannemer's part of demo case 124 (allocated to the demo provider
/// after a plan of three results) through its page, without JavaScript, and
/// through the API: refused out of order and without a token, then answered,
/// the intake registered and the behandelplan recorded; the worker of the
/// gemeente sees each on the case, and may not write it.
async fn the_provider_answers_plans_and_the_gemeente_sees_it(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let client = support::client_without_redirects();
    let jar = sign_in(&client, &addr, "aanbieder.demo").await;
    let page = || pagina(&client, &addr, &jar, "/casussen/124");
    let lijst = pagina(&client, &addr, &jar, "/werkvoorraad").await;
    assert!(lijst.contains("<th scope=\"col\">Te doen</th>"), "{lijst}");
    assert!(
        lijst.contains("Reageren op de toewijzing uiterlijk "),
        "{lijst}"
    );
    let html = page().await;
    assert!(html.contains("Uw reactie op de toewijzing"), "{html}");
    assert!(
        html.contains("U heeft nog geen intake geregistreerd."),
        "{html}"
    );
    assert!(
        html.contains("name=\"doel_1_resultaat_3\""),
        "a tick per result: {html}"
    );
    let csrf = csrf_in(&html);
    let post = |onderdeel: &'static str, form: Vec<(&'static str, String)>| {
        client
            .post(format!("{addr}/casussen/124/behandeling/{onderdeel}"))
            .header(reqwest::header::COOKIE, &jar)
            .form(&form)
            .send()
    };
    let today = support::today().format("%Y-%m-%d").to_string();
    let forged = post("intake", vec![("intakedatum", today.clone())])
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let early = post(
        "intake",
        vec![("csrf", csrf.clone()), ("intakedatum", today.clone())],
    )
    .await
    .unwrap();
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = early.text().await.unwrap();
    assert!(html.contains("neem de jeugdige eerst in zorg"), "{html}");
    let silent = post(
        "reactie",
        vec![("csrf", csrf.clone()), ("reactie", "probleem".into())],
    )
    .await
    .unwrap();
    assert_eq!(silent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = silent.text().await.unwrap();
    assert!(html.contains("beschrijf het probleem"), "{html}");
    assert!(
        html.contains("value=\"probleem\" checked"),
        "kept as chosen: {html}"
    );

    let accepted = post(
        "reactie",
        vec![("csrf", csrf.clone()), ("reactie", "geaccepteerd".into())],
    )
    .await
    .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let aanbieder = token(&addr, "aanbieder.demo").await;
    let owed = termijnen(&client, &addr, &aanbieder, "0307", 15).await;
    assert!(!owed.contains(&"reageren".to_owned()), "answered: {owed:?}");
    let held = post(
        "intake",
        vec![("csrf", csrf.clone()), ("intakedatum", today.clone())],
    )
    .await
    .unwrap();
    assert_eq!(held.status(), StatusCode::SEE_OTHER);
    let planned = post(
        "behandelplan",
        vec![
            ("csrf", csrf.clone()),
            ("beknopt_plan", "Thuis, met ouders en kind samen.".into()),
            ("doel_1_omschrijving", "Rustige avonden thuis".into()),
            ("doel_1_resultaat_1", "ja".into()),
            ("doel_1_activiteiten", "Video-hometraining".into()),
            ("doel_1_frequentie", "Wekelijks een uur".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(planned.status(), StatusCode::SEE_OTHER);
    let html = page().await;
    assert!(html.contains("Wij nemen de jeugdige in zorg."), "{html}");
    let dag = support::today().format("%d-%m-%Y").to_string();
    assert!(
        html.contains(&format!("Intake gehouden op {dag}")),
        "{html}"
    );
    assert!(html.contains("<td>Rustige avonden thuis</td>"), "{html}");
    // A goal without a result is refused and shown as typed.
    let unlinked = post(
        "behandelplan",
        vec![
            ("csrf", csrf.clone()),
            ("doel_1_omschrijving", "Zonder resultaat".into()),
            ("doel_1_activiteiten", "Gesprekken".into()),
            ("doel_1_frequentie", "Maandelijks".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(unlinked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = unlinked.text().await.unwrap();
    assert!(
        html.contains("Doel 1: kies minstens één resultaat van het perspectiefplan."),
        "{html}"
    );
    assert!(html.contains("value=\"Zonder resultaat\""), "{html}");

    // The API: the plan replaced, a result the plan lacks refused.
    let aanbieder = token(&addr, "aanbieder.demo").await;
    let api = format!("{addr}/api/v1/casussen/124/behandelplan");
    let doel = |resultaten: serde_json::Value| {
        json!({"beknopt_plan": "", "doelen": [{"omschrijving": "Weer naar school",
            "resultaten": resultaten, "activiteiten": "Overleg met school", "hoe_vaak": "Elke twee weken"}]})
    };
    let wrong = client
        .put(&api)
        .bearer_auth(&aanbieder)
        .json(&doel(json!([4])))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = client
        .put(&api)
        .bearer_auth(&aanbieder)
        .json(&doel(json!([2, 3])))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let body: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(
        body["behandelplan"]["doelen"][0]["resultaten"],
        json!([2, 3])
    );
    assert_eq!(body["reactie"]["reactie"], "geaccepteerd");
    assert_eq!(body["intake"]["intakedatum"], today.as_str());
    let casus: serde_json::Value = client
        .get(format!("{addr}/api/v1/casussen/124"))
        .bearer_auth(&aanbieder)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(casus["resultaten"].as_array().unwrap().len(), 3);
    assert_eq!(casus["behandeling"]["aanbieder"], "98990011");

    // An onderaannemer: registered on the page, then it sees the youth, the
    // period and the goals on a page of its own — not the family's plan, and
    // not the hoofdaannemer's page.
    let onder = post(
        "onderaannemer",
        vec![
            ("csrf", csrf.clone()),
            ("toewijzing", "15".into()),
            ("onderaannemer", "98990088".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(onder.status(), StatusCode::SEE_OTHER);
    let html = page().await;
    assert!(html.contains("(AGB 98990088) bij toewijzing 15"), "{html}");
    aanbieder_account(url, "aanbieder.onder", "98990088").await;
    let ojar = sign_in(&client, &addr, "aanbieder.onder").await;
    let gedeeld = pagina(&client, &addr, &ojar, "/onderaanneming/124").await;
    assert!(gedeeld.contains("<td>Weer naar school</td>"), "{gedeeld}");
    assert!(
        gedeeld.contains("U helpt als onderaannemer van Jeugdhulp De Eem"),
        "{gedeeld}"
    );
    for resultaat in casus["resultaten"].as_array().unwrap() {
        let tekst = resultaat["omschrijving"].as_str().unwrap();
        assert!(
            !gedeeld.contains(tekst),
            "the plan's result '{tekst}' is not shared"
        );
    }
    let hoofd = client
        .get(format!("{addr}/casussen/124"))
        .header(reqwest::header::COOKIE, &ojar)
        .send()
        .await
        .unwrap();
    assert_eq!(hoofd.status(), StatusCode::NOT_FOUND);
    let lijst = pagina(&client, &addr, &ojar, "/werkvoorraad").await;
    assert!(lijst.contains("href=\"/onderaanneming/124\""), "{lijst}");
    let otoken = token(&addr, "aanbieder.onder").await;
    let api: serde_json::Value = client
        .get(format!("{addr}/api/v1/onderaanneming/124"))
        .bearer_auth(&otoken)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["doelen"][0]["omschrijving"], "Weer naar school");
    assert_eq!(api["doelen"][0]["resultaten"], json!([]));
    assert_eq!(api["toewijzingen"][0]["toewijzingnummer"], 15);

    // The gemeente sees it, and may not write it.
    let worker = token(&addr, "medewerker.amersfoort").await;
    let casus: serde_json::Value = client
        .get(format!("{addr}/api/v1/casussen/124"))
        .bearer_auth(&worker)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let b = &casus["behandelingen"][0];
    assert_eq!(b["aanbieder"], "98990011");
    assert_eq!(
        b["behandelplan"]["doelen"][0]["omschrijving"],
        "Weer naar school"
    );
    let refused = client
        .post(format!("{addr}/api/v1/casussen/124/reactie"))
        .bearer_auth(&worker)
        .json(&json!({"reactie": "geaccepteerd"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let jar = sign_in(&client, &addr, "medewerker.amersfoort").await;
    let html = pagina(&client, &addr, &jar, "/casussen/124").await;
    assert!(html.contains("Bij de aanbieder"), "{html}");
    assert!(
        html.contains("Onderaannemers: AGB 98990088 bij toewijzing 15"),
        "{html}"
    );
    assert!(html.contains("<td>Weer naar school</td>"), "{html}");
    // The results the goal serves, by number and in the plan's own words.
    let resultaat = |i: usize| {
        casus["dossier"]["plan"]["resultaten"][i]["omschrijving"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let gediend = format!("2. {}; 3. {}", resultaat(1), resultaat(2));
    assert!(html.contains(&gediend), "{gediend} in {html}");

    // The onderaannemer finds the allocation in its API list too.
    let regels: serde_json::Value = client
        .get(format!("{addr}/api/v1/casussen"))
        .bearer_auth(&otoken)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let als_onder: Vec<_> = (regels["casussen"].as_array().unwrap().iter())
        .filter(|r| r["hoofdaannemer"].is_string())
        .map(|r| {
            (
                r["id"].as_i64(),
                r["hoofdaannemer"].as_str(),
                r["toewijzingnummer"].as_i64(),
            )
        })
        .collect();
    assert_eq!(als_onder, [(Some(124), Some("98990011"), Some(15))]);

    // The hoofdaannemer ends it: a reason is required; then the onderaannemer
    // no longer sees the case, and both pages show until when and why.
    let zonder = post(
        "onderaannemer-einde",
        vec![
            ("csrf", csrf.clone()),
            ("einde", "15-98990088".into()),
            ("reden", " ".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(zonder.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = zonder.text().await.unwrap();
    assert!(html.contains("href=\"#reden\""), "{html}");
    let einde = format!("{addr}/api/v1/casussen/124/onderaannemers/beeindiging");
    let beeindig = |agb: &'static str| {
        client
            .post(&einde)
            .bearer_auth(&aanbieder)
            .json(&json!({"toewijzingnummer": 15, "onderaannemer": agb, "reden": "Het deel is klaar."}))
            .send()
    };
    let onzin = beeindig("9899OR1=").await.unwrap();
    assert_eq!(
        onzin.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no AGB code"
    );
    let body = onzin.text().await.unwrap();
    assert!(
        body.contains("Onderaannemer: kies een onderaannemer."),
        "{body}"
    );
    let vreemd = beeindig("98990055").await.unwrap();
    assert_eq!(
        vreemd.status(),
        StatusCode::NOT_FOUND,
        "not an onderaannemer there"
    );
    let klaar = beeindig("98990088").await.unwrap();
    assert_eq!(klaar.status(), StatusCode::OK);
    let body: serde_json::Value = klaar.json().await.unwrap();
    assert_eq!(body[0]["einde_reden"], "Het deel is klaar.");
    assert!(body[0]["beeindigd_op"].is_string(), "{body}");
    let nogmaals = beeindig("98990088").await.unwrap();
    assert_eq!(nogmaals.status(), StatusCode::NOT_FOUND, "ended once");
    let weg = client
        .get(format!("{addr}/onderaanneming/124"))
        .header(reqwest::header::COOKIE, &ojar)
        .send()
        .await
        .unwrap();
    assert_eq!(weg.status(), StatusCode::NOT_FOUND);
    let lijst = pagina(&client, &addr, &ojar, "/werkvoorraad").await;
    assert!(!lijst.contains("href=\"/onderaanneming/124\""), "{lijst}");
    let html = page().await;
    assert!(html.contains("; beëindigd op "), "{html}");
    assert!(
        !html.contains("action=\"/casussen/124/behandeling/onderaannemer-einde\""),
        "none left to end: {html}"
    );
    // `jar` is the worker's by now.
    let html = pagina(&client, &addr, &jar, "/casussen/124").await;
    assert!(html.contains(": Het deel is klaar.)"), "{html}");
    app.close().await;
}

/// Demo case 124 runs: the provider notes progress on its page, the worker
/// through the API; the worker starts the evaluation on the page, is told what
/// is missing, and closes it through the API with a judgement per result; both
/// pages then show the evaluation and the warranty, and the notes close.
async fn the_help_is_followed_and_closed_on_the_pages(url: &DatabaseUrl) {
    let (addr, app) = serve(url, true).await;
    let client = support::client_without_redirects();
    let jar = sign_in(&client, &addr, "aanbieder.demo").await;
    let provider_page = || pagina(&client, &addr, &jar, "/casussen/124");
    let html = provider_page().await;
    assert!(
        html.contains("stap: <strong>Uitvoering</strong> sinds"),
        "{html}"
    );
    let csrf = csrf_in(&html);
    let noted = client
        .post(format!("{addr}/casussen/124/voortgang"))
        .header(reqwest::header::COOKIE, &jar)
        .form(&[
            ("csrf", csrf.as_str()),
            ("voortgang", "Drie gesprekken gehad."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(noted.status(), StatusCode::SEE_OTHER);
    let worker = token(&addr, "medewerker.amersfoort").await;
    let notes: serde_json::Value = client
        .post(format!("{addr}/api/v1/casussen/124/voortgang"))
        .bearer_auth(&worker)
        .json(&json!({"voortgang": "School meldt minder verzuim."}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(notes[0]["namens"], "toegang");
    assert_eq!(notes[1]["tekst"], "Drie gesprekken gehad.");
    assert!(
        provider_page()
            .await
            .contains("School meldt minder verzuim.")
    );

    let wjar = sign_in(&client, &addr, "medewerker.amersfoort").await;
    let wpage = pagina(&client, &addr, &wjar, "/casussen/124").await;
    assert!(wpage.contains("Drie gesprekken gehad."), "{wpage}");
    let wcsrf = csrf_in(&wpage);
    let stap = |form: Vec<(&'static str, String)>| {
        client
            .post(format!("{addr}/casussen/124/stap"))
            .header(reqwest::header::COOKIE, &wjar)
            .form(&form)
            .send()
    };
    let started = stap(vec![("csrf", wcsrf.clone()), ("fase", "uitvoering".into())])
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let half = stap(vec![
        ("csrf", wcsrf.clone()),
        ("fase", "evaluatie".into()),
        ("besluit", "afsluiten".into()),
        ("oordeel_2", "deels".into()),
        ("reden_einde", "31".into()),
        ("einddatum", support::today().to_string()),
    ])
    .await
    .unwrap();
    assert_eq!(half.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = half.text().await.unwrap();
    assert!(
        html.contains("Kies bij resultaat 1 of het behaald"),
        "{html}"
    );
    assert!(
        html.contains("value=\"deels\" checked"),
        "kept as chosen: {html}"
    );

    // The help ended yesterday; the warranty runs from there.
    let gisteren = support::today().pred_opt().unwrap();
    let closed = client
        .post(format!("{addr}/api/v1/casussen/124/stap"))
        .bearer_auth(&worker)
        .json(&json!({"fase": "evaluatie", "besluit": "afsluiten",
            "oordelen": [{"oordeel": "behaald", "gezin": "Veel rustiger thuis."},
                         {"oordeel": "deels"}, {"oordeel": "niet"}],
            "reden_einde": "31", "einddatum": gisteren}))
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), StatusCode::OK);
    let casus: serde_json::Value = closed.json().await.unwrap();
    assert_eq!(casus["fase"], "garantieperiode");
    let tot = gisteren.checked_add_months(chrono::Months::new(4)).unwrap();
    assert_eq!(
        casus["dossier"]["evaluatie"]["garantie_tot"],
        tot.to_string()
    );
    assert_eq!(
        casus["dossier"]["evaluatie"]["oordelen"][0]["gezin"],
        "Veel rustiger thuis."
    );

    let html = provider_page().await;
    let tot = tot.format("%d-%m-%Y").to_string();
    assert!(
        html.contains(&format!("De garantie loopt tot en met {tot}")),
        "{html}"
    );
    assert!(html.contains("<td>Deels behaald</td>"), "{html}");
    assert!(
        !html.contains("Voortgang opslaan"),
        "the notes close with the help"
    );
    let late = client
        .post(format!("{addr}/casussen/124/voortgang"))
        .header(reqwest::header::COOKIE, &jar)
        .form(&[("csrf", csrf.as_str()), ("voortgang", "Nog iets.")])
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The problems come back: a new melding for the youth is flagged on its
    // page, sent back under the warranty through the API, and the provider
    // finds it among its warranty cases.
    let jeugdige = &casus["jeugdige"];
    let melding = json!({"bsn": jeugdige["bsn"], "voornamen": jeugdige["voornamen"],
        "achternaam": jeugdige["achternaam"], "geboortedatum": jeugdige["geboortedatum"],
        "geslacht": jeugdige["geslacht"], "gemeente": "0307", "straat": "Stationsplein",
        "huisnummer": "3", "postcode": "3818 LE", "woonplaats": "Amersfoort",
        "vindplaats": "gezin", "verwijzer": "06", "urgentie": "regulier",
        "vraag": "Het gaat thuis weer mis."});
    let created = client
        .post(format!("{addr}/api/v1/casussen"))
        .bearer_auth(&worker)
        .json(&melding)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let nieuw: serde_json::Value = created.json().await.unwrap();
    let id = nieuw["id"].as_i64().unwrap();
    assert_eq!(nieuw["garantievoorstel"]["aanbieder"], "98990011");
    assert_eq!(nieuw["garantievoorstel"]["eerdere_casus"], 124);
    let wpage = pagina(&client, &addr, &wjar, &format!("/casussen/{id}")).await;
    assert!(
        wpage.contains("Onder garantie terug naar Jeugdhulp De Eem"),
        "{wpage}"
    );
    let terug: serde_json::Value = client
        .post(format!("{addr}/api/v1/casussen/{id}/stap"))
        .bearer_auth(&worker)
        .json(&json!({"fase": "garantie"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(terug["fase"], "uitvoering");
    assert_eq!(terug["garantie"]["eerdere_casus"], 124);
    let lijst = pagina(&client, &addr, &jar, "/werkvoorraad").await;
    assert!(lijst.contains("Garantiezaken"), "{lijst}");
    assert!(
        lijst.contains(&format!("href=\"/casussen/{id}\"")),
        "{lijst}"
    );
    let zaak = pagina(&client, &addr, &jar, &format!("/casussen/{id}")).await;
    assert!(zaak.contains("Garantiezaak."), "{zaak}");
    app.close().await;
}

jeugdroute_store::backend_tests!(
    the_help_is_followed_and_closed_on_the_pages,
    the_provider_writes_over_the_api,
    the_provider_writes_on_its_pages,
    the_provider_reports_its_waiting_time,
    the_provider_answers_plans_and_the_gemeente_sees_it
);
