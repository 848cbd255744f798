//! The use cases of the application layer, on SQLite always and on PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jeugdroute_app::{
    Actor, App, AppError, Clock, DEMO_PASSWORD, DemoRegio, FREE_FAILURES, MAX_DELAY, NieuweMelding,
    NieuweOuder, WerkvoorraadFilter, beschikking_pdf, default_catalogue, parse_catalogue,
};
use jeugdroute_domain::{
    Behoefte, Beoordeling, BeschikkingGegevens, Block, Brief, Grondslag, Intensiteit, Leefgebied,
    Opvoedsituatie, Ouder, Resultaat, ResultaatStatus, Role, Section, Wet,
};
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{AuditQuery, DatabaseUrl, Store};

#[test]
fn the_demo_region_is_regio_amersfoort_with_contracts_for_every_arrangement_code() {
    let demo = DemoRegio::embedded(&default_catalogue().unwrap()).unwrap();
    assert_eq!(demo.regio.name, "Regio Amersfoort");
    let gemeenten: Vec<String> = demo
        .gemeenten
        .iter()
        .map(|g| format!("{} {}", g.name, g.code))
        .collect();
    assert_eq!(
        gemeenten,
        [
            "Amersfoort 0307",
            "Baarn 0308",
            "Bunschoten 0313",
            "Eemnes 0317",
            "Leusden 0327",
            "Soest 0342",
            "Woudenberg 0351"
        ]
    );
    for g in &demo.gemeenten {
        let contact = g.contact.as_ref().unwrap();
        assert!(
            contact.email.ends_with(".example"),
            "fictional: {}",
            contact.email
        );
        assert!(
            contact.telefoon.contains(" 000 "),
            "fictional: {}",
            contact.telefoon
        );
    }
    assert!(demo.aanbieders.len() >= 12);
    // Seed 002, step 5: arrangement 1-9 x intensity 1-5 gives the codes 50H11 … 50H95.
    let contracted: BTreeSet<&str> = demo
        .contracten
        .iter()
        .map(|c| c.productcode.as_str())
        .collect();
    for arrangement in 1..=9 {
        for intensiteit in 1..=5 {
            let code = format!("50H{arrangement}{intensiteit}");
            assert!(contracted.contains(code.as_str()), "no contract for {code}");
        }
    }
    let bsns: BTreeSet<&str> = demo
        .gezinnen
        .iter()
        .flat_map(|(_, j)| j.iter().map(|k| k.bsn.as_str()))
        .collect();
    assert!(
        bsns.iter().all(|b| b.starts_with("99999")),
        "demo BSNs must be test numbers"
    );
    assert_eq!(
        bsns.len(),
        demo.gezinnen.iter().map(|(_, j)| j.len()).sum::<usize>(),
        "BSNs are unique"
    );
    let accounts: Vec<(&str, Role)> = demo
        .accounts
        .iter()
        .map(|a| (a.user.username.as_str(), a.user.role))
        .collect();
    assert_eq!(
        accounts,
        [
            ("medewerker.amersfoort", Role::Toegangsmedewerker),
            ("medewerker.soest", Role::Toegangsmedewerker),
            ("gi.medewerker", Role::GiMedewerker),
            ("aanbieder.demo", Role::Aanbieder),
            ("beleid", Role::Beleidsmedewerker),
            ("beheer", Role::Beheerder),
            ("berichten.amersfoort", Role::Berichtenbeheerder),
        ]
    );
}

#[test]
fn contracts_take_their_tariff_from_the_catalogue() {
    let catalogue = default_catalogue().unwrap();
    let demo = DemoRegio::embedded(&catalogue).unwrap();
    for contract in &demo.contracten {
        assert_eq!(
            Some(contract.tariff_cents),
            catalogue.tariff_cents(&contract.productcode)
        );
    }
}

#[test]
fn a_region_can_bring_its_own_catalogue_and_a_broken_one_is_refused_whole() {
    let own = jeugdroute_domain::DEFAULT_CATALOGUE
        .replacen(
            "version = \"7-stappenplan-2018\"",
            "version = \"regio-eemland-2027\"",
            1,
        )
        .replacen("behandeling_hours = 75", "behandeling_hours = 80", 1);
    let catalogue = parse_catalogue(&own).unwrap();
    assert_eq!(catalogue.version, "regio-eemland-2027");
    assert_eq!(catalogue.segment3.behandeling.hundredths(), 8_000);
    let Err(AppError::Invalid(message)) = parse_catalogue("version = ") else {
        panic!("a syntax error must be refused")
    };
    assert!(message.starts_with("catalogus: "), "{message}");
    let broken = own.replacen("name = \"Licht\"", "name = \"Licht\"\nkleur = \"groen\"", 1);
    let Err(AppError::Invalid(message)) = parse_catalogue(&broken) else {
        panic!("unknown fields must be refused")
    };
    assert!(message.contains("kleur"), "{message}");
}

fn invalid(text: &str) -> String {
    match DemoRegio::parse(text, &default_catalogue().unwrap()) {
        Err(AppError::Invalid(message)) => message,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_broken_region_file_is_refused_naming_the_field() {
    let good = include_str!("../demo/regio-amersfoort.toml");
    let bsn = good.replacen("bsn = \"999990214\"", "bsn = \"999990215\"", 1);
    assert!(
        invalid(&bsn).starts_with("gezin[0].jeugdige[0].bsn: Dit BSN klopt niet"),
        "{}",
        invalid(&bsn)
    );
    let gemeente = good.replacen("gemeente = \"0351\"", "gemeente = \"0363\"", 1);
    assert_eq!(
        invalid(&gemeente),
        "gezin[6].gemeente: gemeente 0363 hoort niet bij de regio"
    );
    let tariff = good.replacen("\"50H91\", \"50H92\"", "\"50H91\", \"50H99\"", 1);
    assert_eq!(
        invalid(&tariff),
        "aanbieder[8].products[1]: geen tarief voor 50H99 in catalogus 7-stappenplan-2018"
    );
    let telefoon = good.replacen("telefoon = \"033 000 03 13\"", "telefoon = \"bel ons\"", 1);
    assert!(
        invalid(&telefoon).starts_with("gemeente[2].telefoon: 'bel ons' is geen telefoonnummer"),
        "{}",
        invalid(&telefoon)
    );
    let email = good.replacen("email = \"jeugd@soest.example\"\n", "", 1);
    assert_eq!(invalid(&email), "gemeente[5].email: ontbreekt");
    let postcode = good.replacen("postcode = \"3751 AH\"", "postcode = \"3751\"", 1);
    assert!(
        invalid(&postcode).starts_with("gemeente[2].postcode: '3751' is geen Nederlandse postcode"),
        "{}",
        invalid(&postcode)
    );
    let unknown = good.replacen("[regio]", "[regio]\nkleur = \"blauw\"", 1);
    assert!(invalid(&unknown).contains("kleur"), "{}", invalid(&unknown));
    assert!(invalid("geen toml [").starts_with("regiobestand: "));
}

async fn demo_loads_once_and_signs_in(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    let first = app.load_demo().await.unwrap();
    assert_eq!((first.gemeenten, first.accounts), (7, 7));
    assert!(first.aanbieders >= 12 && first.jeugdigen > 0 && first.contracten >= 45);
    let before = app.row_counts().await.unwrap();

    let second = app.load_demo().await.unwrap();
    assert!(second.is_empty(), "{second:?}");
    assert_eq!(
        app.row_counts().await.unwrap(),
        before,
        "a second load must change nothing"
    );
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let created = tx
        .search_audit(&AuditQuery {
            event: Some("jeugdige.aanmaken"),
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        created.len(),
        first.jeugdigen,
        "every youth of the region file is audit-logged"
    );
    let meldingen = tx
        .search_audit(&AuditQuery {
            event: Some("casus.aanmaken"),
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        meldingen.len(),
        first.casussen,
        "every generated case is a melding in the audit log"
    );
    assert!(
        meldingen.iter().all(|r| r.actor.starts_with("demo.")
            && r.role.as_deref() == Some("toegangsmedewerker")
            && r.on_behalf_of.is_some()),
        "made by a generator account, for the case's gemeente"
    );
    drop(tx);
    store.close().await;
    assert_eq!(app.audit_verifieren_geheel().await.unwrap().reason, None);
    // The generator's accounts cannot sign in, with the demo password or any.
    assert!(matches!(
        app.sign_in("demo.amersfoort", DEMO_PASSWORD, None).await,
        Err(AppError::SignInRefused)
    ));

    let overview = app.regio_overview().await.unwrap().unwrap();
    assert_eq!(overview.gemeenten.len(), 7);
    assert_eq!(overview.aanbieder_count, first.aanbieders);

    let signed_in = app
        .sign_in("medewerker.amersfoort", DEMO_PASSWORD, Some("127.0.0.1"))
        .await
        .unwrap();
    let worker = &signed_in.current.user;
    assert_eq!(worker.role, Role::Toegangsmedewerker);
    assert_eq!(
        worker
            .gemeenten
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>(),
        ["0307"]
    );
    // The token finds the session until sign-out; the CSRF token is its own.
    let session = app.session(&signed_in.token).await.unwrap().unwrap();
    assert_eq!(session, signed_in.current);
    assert_ne!(session.csrf_token, signed_in.token);
    app.sign_out(&signed_in.token).await.unwrap();
    assert_eq!(app.session(&signed_in.token).await.unwrap(), None);

    let aanbieder = app
        .sign_in("aanbieder.demo", DEMO_PASSWORD, None)
        .await
        .unwrap()
        .current
        .user;
    assert_eq!(
        aanbieder.aanbieder.map(|a| a.to_string()).as_deref(),
        Some("98990011")
    );
    assert!(matches!(
        app.sign_in("onbekend", DEMO_PASSWORD, None).await,
        Err(AppError::SignInRefused)
    ));
    app.close().await;
}

fn melding(gemeente: &str) -> NieuweMelding {
    NieuweMelding {
        bsn: "999990342".into(),
        voornamen: "Noor".into(),
        achternaam: "de Vries".into(),
        geboortedatum: "2015-03-02".into(),
        gemeente: gemeente.into(),
        straat: "Stationsplein".into(),
        huisnummer: "3".into(),
        postcode: "3818le".into(),
        woonplaats: "Amersfoort".into(),
        vindplaats: "school".into(),
        verwijzer: "02".into(),
        verwijzer_naam: "Huisartsenpraktijk Eemland".into(),
        urgentie: "regulier".into(),
        vraag: "Noor is vaak boos en wil niet naar school.".into(),
        geslacht: "vrouw".into(),
        ouders: vec![NieuweOuder {
            naam: "Eva de Vries".into(),
            telefoon: "06 12345678".into(),
            email: "eva@voorbeeld.nl".into(),
            gezag: true,
        }],
        ..NieuweMelding::default()
    }
}

/// Every line of a worklist, page after page.
async fn hele_werkvoorraad(
    app: &App,
    actor: &Actor,
    filter: &WerkvoorraadFilter,
    today: NaiveDate,
) -> Vec<jeugdroute_app::WerkvoorraadRegel> {
    let mut regels = Vec::new();
    let mut voor = None;
    loop {
        let page = app
            .werkvoorraad(actor, None, filter, voor, today)
            .await
            .unwrap();
        regels.extend(page.regels);
        match page.volgende {
            Some(v) => voor = Some(v),
            None => return regels,
        }
    }
}

async fn actor(app: &App, username: &str) -> Actor {
    let user = app
        .sign_in(username, DEMO_PASSWORD, None)
        .await
        .unwrap()
        .current
        .user;
    Actor {
        user,
        source: Some("192.0.2.1".into()),
    }
}

/// A melding becomes a case that its gemeente's worker sees and finds, that
/// another gemeente's worker gets "not found" for, and that other roles may not
/// reach at all; every look, and every refusal, is in the audit chain.
async fn melding_to_case_with_access_and_audit(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let amersfoort = actor(&app, "medewerker.amersfoort").await;
    let id = app
        .nieuwe_melding(&amersfoort, &melding("0307"))
        .await
        .unwrap();
    let view = app.casus(&amersfoort, id).await.unwrap();
    assert_eq!(
        (
            view.jeugdige.first_names.as_str(),
            view.casus.gemeente.as_str(),
            view.casus.melding.verwijzer.code()
        ),
        ("Noor", "0307", "02")
    );
    let (alle, today) = (
        WerkvoorraadFilter::default(),
        jeugdroute_domain::amsterdam_today(Utc::now()),
    );
    let found = |page: jeugdroute_app::Werkvoorraad| page.regels.iter().any(|l| l.casus.id == id);
    assert!(found(
        app.werkvoorraad(&amersfoort, None, &alle, None, today)
            .await
            .unwrap()
    ));
    assert!(found(
        app.werkvoorraad(&amersfoort, Some("999990342"), &alle, None, today)
            .await
            .unwrap()
    ));
    assert!(found(
        app.werkvoorraad(&amersfoort, Some("noor de"), &alle, None, today)
            .await
            .unwrap()
    ));
    assert!(!found(
        app.werkvoorraad(&amersfoort, Some("Pieter"), &alle, None, today)
            .await
            .unwrap()
    ));

    // Every wrong field at once, each named.
    let wrong = NieuweMelding {
        bsn: "123456789".into(),
        geboortedatum: "21-05-2014".into(),
        postcode: "0123 AB".into(),
        verwijzer_naam: String::new(),
        ..melding("0307")
    };
    match app.nieuwe_melding(&amersfoort, &wrong).await {
        Err(AppError::Fields(fields)) => assert_eq!(
            fields.iter().map(|f| f.field).collect::<Vec<_>>(),
            ["bsn", "geboortedatum", "postcode", "verwijzer_naam"]
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        app.nieuwe_melding(&amersfoort, &melding("0342")).await,
        Err(AppError::Fields(f)) if f[0].field == "gemeente"
    ));

    // Another gemeente's worker: not found, and not in the worklist.
    let soest = actor(&app, "medewerker.soest").await;
    assert!(matches!(
        app.casus(&soest, id).await,
        Err(AppError::NotFound)
    ));
    assert!(!found(
        app.werkvoorraad(&soest, None, &alle, None, today)
            .await
            .unwrap()
    ));
    assert!(matches!(
        app.casus(&soest, id + 999).await,
        Err(AppError::NotFound)
    ));
    // Roles without client files: refused outright.
    for username in ["beleid", "beheer", "aanbieder.demo"] {
        let other = actor(&app, username).await;
        assert!(
            matches!(app.casus(&other, id).await, Err(AppError::Forbidden)),
            "{username}"
        );
        assert!(
            matches!(
                app.werkvoorraad(&other, None, &alle, None, today).await,
                Err(AppError::Forbidden)
            ),
            "{username}"
        );
    }
    assert_eq!(app.audit_verifieren_geheel().await.unwrap().reason, None);
    app.close().await;

    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let about_case = tx
        .search_audit(&AuditQuery {
            casus_id: Some(id),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let events: Vec<(&str, &str, &str)> = about_case
        .iter()
        .rev()
        .map(|r| (r.actor.as_str(), r.event.as_str(), r.outcome.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            (
                "medewerker.amersfoort",
                "jeugdige.bsn-controle",
                "nieuwe jeugdige"
            ),
            ("medewerker.amersfoort", "casus.aanmaken", "gelukt"),
            ("medewerker.amersfoort", "casus.bekijken", "gelukt"),
            ("medewerker.amersfoort", "casus.zoeken", "gelukt"),
            ("medewerker.amersfoort", "casus.zoeken", "gelukt"),
            ("medewerker.soest", "casus.bekijken", "geweigerd"),
        ]
    );
    // The worklist is one record naming every youth on it, found through each.
    let jeugdige_id = about_case[0].jeugdige_id.unwrap();
    let lists: Vec<_> = tx
        .audit_for_jeugdige(jeugdige_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.event == "werkvoorraad.bekijken" && r.actor == "medewerker.amersfoort")
        .collect();
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert!(lists[0].jeugdigen.contains(&jeugdige_id) && lists[0].jeugdigen.len() > 1);
    assert_eq!(lists[0].casus_id, None);
    let refused = tx
        .search_audit(&AuditQuery {
            actor: Some("beleid"),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(refused.iter().any(|r| r.outcome == "geweigerd"));
    drop(tx);
    store.close().await;
}

/// A provider account without its AGB code is denied its worklist (deny by
/// default), and the refusal is in the audit log like any other.
async fn a_provider_without_an_agb_code_sees_nothing(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let mut zonder_agb = actor(&app, "aanbieder.demo").await;
    assert!(
        app.toewijzingen(&zonder_agb).await.is_ok(),
        "with its AGB code"
    );
    zonder_agb.user.aanbieder = None;
    assert!(matches!(
        app.toewijzingen(&zonder_agb).await,
        Err(AppError::Forbidden)
    ));
    app.close().await;
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let refused = tx
        .search_audit(&AuditQuery {
            actor: Some("aanbieder.demo"),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(
        refused
            .iter()
            .any(|r| r.event == "toewijzingen.bekijken" && r.outcome == "geweigerd"),
        "{refused:?}"
    );
    drop(tx);
    store.close().await;
}

/// One youth, one truth per gemeente: a known BSN with another name is refused
/// (and logged), an open case needs a confirmed second one, another gemeente's
/// youth is never shown or changed, and two meldingen at once make one youth.
async fn identity_without_leaks(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let amersfoort = actor(&app, "medewerker.amersfoort").await;
    let first = app
        .nieuwe_melding(&amersfoort, &melding("0307"))
        .await
        .unwrap();
    let noor = app.casus(&amersfoort, first).await.unwrap();
    assert_eq!(noor.ouders.len(), 1);
    assert_eq!(noor.jeugdige.geslacht.key(), "vrouw");
    assert_eq!(
        noor.casus.woonplaats_regel,
        "Het woonadres ligt in Amersfoort: Amersfoort beslist en betaalt."
    );

    // A mistyped BSN that belongs to another child of the gemeente: refused,
    // naming the fields, and nothing stored.
    let other_child = NieuweMelding {
        voornamen: "Daan".into(),
        geboortedatum: "2012-01-01".into(),
        ..melding("0307")
    };
    match app.nieuwe_melding(&amersfoort, &other_child).await {
        Err(AppError::Fields(f)) => assert_eq!(
            f.iter().map(|f| f.field).collect::<Vec<_>>(),
            ["voornamen", "geboortedatum"]
        ),
        other => panic!("{other:?}"),
    }
    // The same youth again: the open case is named; confirmed, a second opens.
    match app.nieuwe_melding(&amersfoort, &melding("0307")).await {
        Err(AppError::OpenCasus(open)) => assert_eq!(open, vec![first]),
        other => panic!("{other:?}"),
    }
    let second = NieuweMelding {
        tweede_casus: true,
        ..melding("0307")
    };
    let second = app.nieuwe_melding(&amersfoort, &second).await.unwrap();
    let view = app.casus(&amersfoort, second).await.unwrap();
    assert_eq!(view.casus.jeugdige_id, noor.casus.jeugdige_id);

    // Soest registers the same BSN at a Soest address: its own youth, from what
    // its worker typed; Amersfoort's record is untouched and never shown.
    let soest = actor(&app, "medewerker.soest").await;
    let in_soest = NieuweMelding {
        voornamen: "Noortje".into(),
        straat: "Steenhoffstraat".into(),
        postcode: "3764 BH".into(),
        woonplaats: "Soest".into(),
        ..melding("0342")
    };
    let soest_id = app.nieuwe_melding(&soest, &in_soest).await.unwrap();
    let view = app.casus(&soest, soest_id).await.unwrap();
    assert_eq!(view.jeugdige.first_names, "Noortje");
    assert_ne!(view.casus.jeugdige_id, noor.casus.jeugdige_id);
    assert_eq!(
        app.casus(&amersfoort, first)
            .await
            .unwrap()
            .jeugdige
            .first_names,
        "Noor"
    );

    // Woonplaatsbeginsel: an Amersfoort address is not Soest's to decide…
    match app.nieuwe_melding(&soest, &melding("0342")).await {
        Err(AppError::Fields(f)) => {
            assert_eq!(f[0].field, "gemeente");
            assert!(f[0].message.contains("Amersfoort"), "{}", f[0].message);
        }
        other => panic!("{other:?}"),
    }
    // …unless the youth stays there and lived in Soest just before.
    let stay = NieuweMelding {
        bsn: "999990354".into(),
        verblijf_sinds: "2026-03-01".into(),
        postcode_voor_verblijf: "3764 BH".into(),
        ..melding("0342")
    };
    let stay_id = app.nieuwe_melding(&soest, &stay).await.unwrap();
    let regel = app
        .casus(&soest, stay_id)
        .await
        .unwrap()
        .casus
        .woonplaats_regel;
    assert_eq!(
        regel,
        "De jeugdige verblijft sinds 01-03-2026 elders en woonde vlak daarvoor in Soest: Soest beslist en betaalt."
    );

    // Text an iJw message cannot carry is refused by field.
    let control = NieuweMelding {
        bsn: "999990366".into(),
        vraag: "hulp\u{0}nodig".into(),
        ..melding("0307")
    };
    match app.nieuwe_melding(&amersfoort, &control).await {
        Err(AppError::Fields(f)) => assert_eq!(f[0].field, "vraag"),
        other => panic!("{other:?}"),
    }

    // Two meldingen of the same new BSN at once: one youth, no error.
    let twin = |n: &str| NieuweMelding {
        bsn: "999990378".into(),
        vindplaats: n.into(),
        tweede_casus: true,
        ..melding("0307")
    };
    let (school, huisarts) = (twin("school"), twin("huisarts"));
    let (a, b) = tokio::join!(
        app.nieuwe_melding(&amersfoort, &school),
        app.nieuwe_melding(&amersfoort, &huisarts)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        app.casus(&amersfoort, a).await.unwrap().casus.jeugdige_id,
        app.casus(&amersfoort, b).await.unwrap().casus.jeugdige_id
    );
    app.close().await;

    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let checks = tx
        .search_audit(&AuditQuery {
            actor: Some("medewerker.amersfoort"),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let outcomes: BTreeSet<&str> = checks
        .iter()
        .filter(|r| r.event == "jeugdige.bsn-controle")
        .map(|r| r.outcome.as_str())
        .collect();
    assert_eq!(
        outcomes,
        BTreeSet::from([
            "bekende jeugdige",
            "geweigerd: andere naam of geboortedatum",
            "geweigerd: open casus, niet bevestigd",
            "nieuwe jeugdige"
        ])
    );
    drop(tx);
    store.close().await;
}

/// The GI worker sees only the forced cases of its own GI, and registers
/// only in that framework.
async fn the_gi_sees_only_its_forced_cases(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let amersfoort = actor(&app, "medewerker.amersfoort").await;
    let gi = actor(&app, "gi.medewerker").await;
    let today = Utc::now().date_naive();
    // The demo's own forced cases of this GI, newest first.
    let demo: Vec<i64> = hele_werkvoorraad(&app, &gi, &WerkvoorraadFilter::default(), today)
        .await
        .iter()
        .map(|r| r.casus.id)
        .collect();
    let voluntary = app
        .nieuwe_melding(&amersfoort, &melding("0307"))
        .await
        .unwrap();
    let forced = |bsn: &str, gi: &str| NieuweMelding {
        bsn: bsn.into(),
        kader: "ondertoezichtstelling".into(),
        gi: gi.into(),
        ..melding("0307")
    };
    let own = app
        .nieuwe_melding(&amersfoort, &forced("999990354", "98991001"))
        .await
        .unwrap();
    let other_gi = app
        .nieuwe_melding(&amersfoort, &forced("999990366", "98991002"))
        .await
        .unwrap();
    assert!(app.casus(&gi, own).await.is_ok());
    for id in [voluntary, other_gi] {
        assert!(matches!(app.casus(&gi, id).await, Err(AppError::NotFound)));
    }
    let list = hele_werkvoorraad(&app, &gi, &WerkvoorraadFilter::default(), today).await;
    assert_eq!(
        list.iter().map(|r| r.casus.id).collect::<Vec<_>>(),
        [vec![own], demo].concat(),
        "of the new cases only its own GI's forced one"
    );
    let searched = app
        .werkvoorraad(
            &gi,
            Some("999990342"),
            &WerkvoorraadFilter::default(),
            None,
            today,
        )
        .await
        .unwrap();
    assert!(searched.regels.is_empty(), "a BSN unlocks nothing");
    // A GI worker registers in its own forced framework only.
    let vrijwillig = NieuweMelding {
        bsn: "999990378".into(),
        ..melding("0307")
    };
    assert!(matches!(
        app.nieuwe_melding(&gi, &vrijwillig).await,
        Err(AppError::Fields(f)) if f[0].field == "kader"
    ));
    let by_gi = app
        .nieuwe_melding(&gi, &forced("999990378", "98991001"))
        .await
        .unwrap();
    assert!(app.casus(&gi, by_gi).await.is_ok());
    // Within the worker's own gemeenten a known BSN is the same child: in Baarn
    // the BSN with another first name is refused, with the same one it is a
    // youth of Baarn's own.
    let in_baarn = |voornamen: &str| NieuweMelding {
        voornamen: voornamen.into(),
        gemeente: "0308".into(),
        straat: "Laanstraat".into(),
        postcode: "3743 BD".into(),
        woonplaats: "Baarn".into(),
        ..forced("999990378", "98991001")
    };
    match app.nieuwe_melding(&gi, &in_baarn("Piet")).await {
        Err(AppError::Fields(f)) => assert_eq!(f[0].field, "voornamen"),
        other => panic!("{other:?}"),
    }
    let baarn = app.nieuwe_melding(&gi, &in_baarn("Noor")).await.unwrap();
    assert_ne!(
        app.casus(&gi, baarn).await.unwrap().casus.jeugdige_id,
        app.casus(&gi, by_gi).await.unwrap().casus.jeugdige_id,
        "one history per gemeente"
    );
    app.close().await;
}

/// One line per case the demo made, in id order: who, where, how far, since
/// when, and what was allocated to whom (and changed).
async fn demo_summary(url: &DatabaseUrl) -> Vec<String> {
    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let mut lines = Vec::new();
    for id in 1.. {
        let Ok(casus) = tx.casus(id).await else { break };
        let jeugdige = tx.jeugdige(casus.jeugdige_id).await.unwrap();
        let steps = tx.steps(id).await.unwrap();
        let toewijzingen: Vec<String> = tx
            .toewijzingen(id)
            .await
            .unwrap()
            .iter()
            .map(|t| {
                format!(
                    "{} {} {}..{} v{}",
                    t.productcode.as_str(),
                    t.aanbieder.as_str(),
                    t.start_date,
                    t.end_date,
                    t.versie
                )
            })
            .collect();
        lines.push(format!(
            "{id} {} {} {} {} {:?} {:?} {} {} steps, last {} [{}]",
            casus.gemeente.as_str(),
            jeugdige.bsn.as_str(),
            jeugdige.first_names,
            casus.phase.key(),
            casus.melding.urgentie,
            casus.melding.kader,
            casus.created_at.format("%Y-%m-%dT%H:%M:%S"),
            steps.len(),
            steps
                .last()
                .map(|s| s.at.format("%Y-%m-%dT%H:%M:%S").to_string())
                .unwrap_or_default(),
            toewijzingen.join("; ")
        ));
    }
    drop(tx);
    store.close().await;
    lines
}

/// The load's "now" in the demo tests: the cases lie in the 18 months before it.
fn demo_now() -> DateTime<Utc> {
    "2026-11-16T09:30:00Z".parse().unwrap()
}

/// The demo's cases: the same on every load for the same "now" (here compared
/// with a load into a fresh SQLite database), made once, in every phase the
/// route reaches, with signals, crisis and forced cases and changed allocations;
/// the provider sees its allocations, the GI only its forced cases.
async fn the_demo_cases_are_deterministic_and_show_real_work(url: &DatabaseUrl) {
    let app = App::open(url)
        .await
        .unwrap()
        .with_clock(Clock::at(demo_now()));
    let first = app.load_demo().await.unwrap();
    assert_eq!(first.casussen, 300);
    let summary = demo_summary(url).await;
    assert_eq!(summary.len(), 300);

    let other = TestDatabase::sqlite();
    let again = App::open(&other.url)
        .await
        .unwrap()
        .with_clock(Clock::at(demo_now()));
    assert_eq!(again.load_demo().await.unwrap(), first);
    assert_eq!(demo_summary(&other.url).await, summary, "deterministic");
    again.close().await;

    let before = app.row_counts().await.unwrap();
    assert!(app.load_demo().await.unwrap().is_empty());
    assert_eq!(
        app.row_counts().await.unwrap(),
        before,
        "a second load adds nothing"
    );

    let phases: BTreeSet<&str> = summary
        .iter()
        .map(|l| l.split(' ').nth(4).unwrap())
        .collect();
    for phase in [
        "melding",
        "vraagverheldering",
        "vraagduiding",
        "plan",
        "bemiddeling",
        "match-en-intake",
        "beschikking",
        "toewijzing",
        "uitvoering",
        "afgesloten",
    ] {
        assert!(phases.contains(phase), "{phase} in {phases:?}");
    }
    // Segment 3 (a product of the region's list) and crisis help at once (46C01).
    assert!(
        summary.iter().any(|l| l.contains("46C01")),
        "crisis help allocated"
    );
    assert!(
        summary
            .iter()
            .any(|l| ["43S01", "45S01", "41S01"].iter().any(|c| l.contains(c))),
        "a segment-3 product allocated"
    );
    let gemeenten: BTreeSet<&str> = summary
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(gemeenten.len(), 7, "every gemeente has cases");
    assert!(summary.iter().any(|l| l.contains(" Crisis ")));
    assert!(
        summary.iter().any(|l| l.contains(" v2]")),
        "an allocation withdrawn"
    );
    let earliest = demo_now() - chrono::Duration::days(549);
    for line in &summary {
        let created: chrono::NaiveDateTime = line
            .split(' ')
            .find(|w| w.len() == 19 && w.contains('T'))
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            created.and_utc() > earliest && created.and_utc() < demo_now(),
            "{line}"
        );
    }
    // Test BSNs, unique in each gemeente (and beyond).
    let bsns: BTreeSet<(&str, &str)> = summary
        .iter()
        .map(|l| {
            let mut words = l.split(' ').skip(1);
            (words.next().unwrap(), words.next().unwrap())
        })
        .collect();
    assert_eq!(bsns.len(), 300);
    assert!(bsns.iter().all(|(_, bsn)| bsn.starts_with("999")));

    let today = jeugdroute_domain::amsterdam_today(demo_now());
    let amersfoort = actor(&app, "medewerker.amersfoort").await;
    let signal = WerkvoorraadFilter {
        alleen_signaal: true,
        ..WerkvoorraadFilter::default()
    };
    let signalled = hele_werkvoorraad(&app, &amersfoort, &signal, today).await;
    assert!(
        signalled
            .iter()
            .any(|r| r.casus.phase == jeugdroute_domain::Fase::Beschikking),
        "a decision waiting for its intake"
    );
    let all = hele_werkvoorraad(&app, &amersfoort, &WerkvoorraadFilter::default(), today).await;
    assert!(all.len() > 50 && all.len() < 200, "{} cases", all.len());

    let aanbieder = actor(&app, "aanbieder.demo").await;
    let werklijst = app.toewijzingen(&aanbieder).await.unwrap();
    let allocated = werklijst.toewijzingen;
    assert!(
        werklijst.garanties.is_empty(),
        "no warranty cases in the demo"
    );
    assert!(allocated.len() >= 10, "{}", allocated.len());

    let gi = actor(&app, "gi.medewerker").await;
    let forced = hele_werkvoorraad(&app, &gi, &WerkvoorraadFilter::default(), today).await;
    assert!(!forced.is_empty());
    let gi_agb = jeugdroute_domain::AgbCode::parse("98991001").unwrap();
    assert!(
        forced
            .iter()
            .all(|r| r.casus.melding.kader.gi() == Some(&gi_agb)),
        "only the forced cases of its own GI"
    );
    app.close().await;
}

/// Issue 12: "on whose behalf" (NEN 7513) was missing when a worker viewed a
/// JW301, and a worker's free-text toelichting went into the audit record's
/// purpose. A walk over the demo's cases (made through the use cases) and one
/// worker's and the provider's looks at a case: every record of a worker or
/// provider about a client names on whose behalf it was made (only an access
/// refusal names nobody), and the toelichting is kept with the change only.
async fn every_worker_record_says_on_whose_behalf(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let worker = actor(&app, "medewerker.amersfoort").await;
    let provider = actor(&app, "aanbieder.demo").await;
    let line = app
        .toewijzingen(&provider)
        .await
        .unwrap()
        .toewijzingen
        .into_iter()
        .map(|r| r.line.toewijzing)
        .find(|t| t.gemeente.as_str() == "0307")
        .unwrap();
    let (id, nummer) = (line.casus_id, line.nummer);
    app.toegewezen_casus(&provider, id).await.unwrap();
    app.jw301_van(&provider, id).await.unwrap();
    app.casus(&worker, id).await.unwrap();
    app.jw301_van(&worker, id).await.unwrap();
    let today = jeugdroute_domain::amsterdam_today(Utc::now());
    app.werkvoorraad(
        &worker,
        Some("van"),
        &WerkvoorraadFilter::default(),
        None,
        today,
    )
    .await
    .unwrap();
    let geheim = "Moeder belde: vader mag niets weten van de hulp";
    let invoer: jeugdroute_app::Invoer = [
        ("soort".to_owned(), "verwijderen".to_owned()),
        ("toelichting".to_owned(), geheim.to_owned()),
    ]
    .into();
    let refused: jeugdroute_app::Invoer = [("soort".to_owned(), "verwijderen".to_owned())].into();
    assert!(
        app.toewijzing_wijzigen(&worker, id, nummer, &refused)
            .await
            .is_err()
    );
    app.toewijzing_wijzigen(&worker, id, nummer, &invoer)
        .await
        .unwrap();
    app.close().await;

    let store = Store::connect(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let kept = tx.toewijzing_wijzigingen(id).await.unwrap();
    assert_eq!(
        kept.last().unwrap().toelichting,
        geheim,
        "kept with the change"
    );
    let records = tx
        .search_audit(&AuditQuery {
            limit: 1_000_000,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let by_workers: Vec<_> = records
        .iter()
        .filter(|r| {
            matches!(
                r.role.as_deref(),
                Some("toegangsmedewerker" | "gi-medewerker" | "aanbieder")
            ) && (r.jeugdige_id.is_some() || r.casus_id.is_some())
        })
        .collect();
    for event in [
        "jw301.bekijken",
        "toewijzing.wijzigen",
        "casus.stap",
        "casus.aanmaken",
    ] {
        assert!(
            by_workers.iter().any(|r| r.event == event),
            "{event} walked"
        );
    }
    let lacking: Vec<_> = by_workers
        .iter()
        .filter(|r| r.outcome != "geweigerd" && r.on_behalf_of.is_none())
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.actor,
                r.role.as_deref().unwrap_or(""),
                r.event,
                r.outcome
            )
        })
        .collect();
    assert!(lacking.is_empty(), "without on whose behalf: {lacking:#?}");
    let viewed: Vec<_> = by_workers
        .iter()
        .filter(|r| r.event == "jw301.bekijken" && r.casus_id == Some(id))
        .map(|r| (r.actor.as_str(), r.on_behalf_of.as_deref()))
        .collect();
    assert_eq!(
        viewed,
        [
            ("medewerker.amersfoort", Some("0307")),
            (
                "aanbieder.demo",
                Some(provider.user.aanbieder.as_ref().unwrap().as_str())
            )
        ]
    );
    assert!(
        records.iter().all(|r| !r.purpose.contains("vader")),
        "the toelichting stays out of the audit log"
    );
    drop(tx);
    store.close().await;
}

jeugdroute_store::backend_tests!(
    the_demo_cases_are_deterministic_and_show_real_work,
    every_worker_record_says_on_whose_behalf,
    demo_loads_once_and_signs_in,
    melding_to_case_with_access_and_audit,
    a_provider_without_an_agb_code_sees_nothing,
    identity_without_leaks,
    the_gi_sees_only_its_forced_cases,
    sign_in_backs_off_the_attacker_not_the_user,
    oversized_sign_ins_are_refused_before_anything_is_kept,
    sessions_end_when_idle_and_everywhere_at_once
);

#[tokio::test]
async fn an_empty_database_has_no_region_and_a_closed_one_is_not_ready() {
    let db = TestDatabase::sqlite();
    let app = App::open(&db.url).await.unwrap();
    assert!(app.regio_overview().await.unwrap().is_none());
    app.ready().await.unwrap();
    app.close().await;
    assert!(app.ready().await.is_err());
    // The store itself stays usable for a fresh connection.
    Store::connect(&db.url).await.unwrap().ping().await.unwrap();
}

// ---------------------------------------------------------------- beschikking PDF

/// A decision for the first youth of the demo region, with the catalogue's
/// arrangement 2 at intensity Midden.
fn beschikking() -> BeschikkingGegevens {
    let catalogue = default_catalogue().unwrap();
    let demo = DemoRegio::embedded(&catalogue).unwrap();
    let (gezin, jeugdigen) = demo.gezinnen[0].clone();
    let gemeente = demo
        .gemeenten
        .iter()
        .find(|g| g.code == gezin.gemeente)
        .unwrap()
        .clone();
    let arrangement = catalogue.arrangement(2).unwrap();
    let date = |text: &str| text.parse::<NaiveDate>().unwrap();
    BeschikkingGegevens {
        gemeente,
        kenmerk: "JR-2026-000123".into(),
        date: date("2026-11-24"),
        request_date: date("2026-10-05"),
        jeugdige: jeugdigen[0].clone(),
        gezin,
        ouders: vec![Ouder {
            naam: "Fatima El Amrani".into(),
            telefoon: None,
            email: None,
            gezag: true,
        }],
        vraag: "Wij willen leren hoe wij samen rust en regelmaat in huis brengen.".into(),
        grondslag: Grondslag::Beoordeeld(Beoordeling {
            opvoedsituatie: Opvoedsituatie::VerhoogdeOpvoedingsspanning,
            behoefte: Behoefte::Specialistisch,
            resultaten: vec![
                resultaat(
                    Leefgebied::Opvoeding,
                    "Er zijn vaste afspraken over eten en slapen.",
                ),
                resultaat(
                    Leefgebied::Opleiding,
                    "Het kind gaat weer elke dag naar school.",
                ),
            ],
            arrangement_description: arrangement.description.clone(),
            intensiteit: Intensiteit::Midden,
        }),
        productcode: arrangement.code(Intensiteit::Midden).unwrap().clone(),
        arrangement_name: arrangement.name.clone(),
        start_date: date("2026-12-01"),
        end_date: date("2027-11-30"),
        aanbieder: demo.aanbieders[0].clone(),
    }
}

fn resultaat(leefgebied: Leefgebied, omschrijving: &str) -> Resultaat {
    Resultaat {
        omschrijving: omschrijving.into(),
        leefgebied,
        wet: Wet::Jeugdwet,
        status: ResultaatStatus::Open,
    }
}

/// A PDF as poppler reads it back.
struct Poppler {
    /// `pdftotext`, whitespace folded.
    text: String,
    pages: u32,
    /// `pdfinfo`.
    info: String,
    /// `pdfinfo -meta`: the XMP metadata.
    meta: String,
    /// `pdffonts`.
    fonts: String,
    /// `pdfinfo -struct-text`: the structure tree with the text of each element.
    structure: String,
}

/// The PDF read back by poppler-utils; `None` (a skip) without them, a failure
/// under `CI=true`.
fn poppler(pdf: &[u8]) -> Option<Poppler> {
    let found = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "pdftotext is missing, but CI=true: install poppler-utils"
        );
        eprintln!("pdftotext not found (poppler-utils): skipping the PDF check");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brief.pdf");
    std::fs::write(&file, pdf).unwrap();
    let run = |tool: &str, args: &[&str]| {
        let out = std::process::Command::new(tool)
            .args(args)
            .arg(&file)
            .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("pdftotext", &["-enc", "UTF-8"]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let info = run("pdfinfo", &[]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    Some(Poppler {
        text,
        pages,
        meta: run("pdfinfo", &["-meta"]),
        structure: run("pdfinfo", &["-struct-text"]),
        fonts: run("pdffonts", &[]),
        info,
    })
}

/// A tagged PDF/UA-1 in Dutch with its fonts embedded, as poppler reads it; and
/// veraPDF's PDF/UA-1 verdict where veraPDF is installed (Debian and PyPI have
/// none, so CI relies on the structure read back).
fn assert_accessible(pdf: &[u8], read: &Poppler) {
    assert!(read.info.contains("Tagged:          yes"), "{}", read.info);
    assert!(
        read.info
            .contains("Title:           Besluit over jeugdhulp, kenmerk "),
        "{}",
        read.info
    );
    assert!(
        read.meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "no PDF/UA-1 claim: {}",
        read.meta
    );
    assert!(
        read.meta
            .contains("<dc:language><rdf:Bag><rdf:li>nl-NL</rdf:li></rdf:Bag></dc:language>"),
        "{}",
        read.meta
    );
    // The catalog's /Lang (poppler prints no language; the catalog is not compressed).
    let catalog = pdf
        .windows(b"/Type/Catalog".len())
        .position(|w| w == b"/Type/Catalog")
        .unwrap();
    let catalog = String::from_utf8_lossy(&pdf[catalog..(catalog + 200).min(pdf.len())]);
    assert!(catalog.contains("/Lang(nl-NL)"), "{catalog}");
    // Every font embedded: a row per font after the two header lines, each "emb yes".
    let fonts: Vec<&str> = read.fonts.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "{}", read.fonts);
    for row in &fonts {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert!(row.contains("LiberationSans"), "{row}");
        assert_eq!(
            columns.get(columns.len() - 5),
            Some(&"yes"),
            "not embedded: {row}"
        );
    }
    for element in [
        "Document",
        "  Part",
        "    H1 \"Besluit over jeugdhulp\"",
        "    H2 \"Uw aanvraag\"",
        "    H2 \"Waarom wij zo besluiten\"",
        "    H2 \"Bezwaar maken\"",
        "    P (block)",
        "    L (block)",
        "      LI (block)",
        "        Lbl (block)",
        "        LBody (block)",
    ] {
        assert!(
            read.structure.lines().any(|l| l.starts_with(element)),
            "no {element:?} in the structure tree:\n{}",
            read.structure
        );
    }
    if std::process::Command::new("verapdf")
        .arg("--version")
        .output()
        .is_ok()
    {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("brief.pdf");
        std::fs::write(&file, pdf).unwrap();
        let out = std::process::Command::new("verapdf")
            .args(["--flavour", "ua1"])
            .arg(&file)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(report.contains("isCompliant=\"true\""), "veraPDF: {report}");
    }
}

#[test]
fn a_beschikking_renders_as_a_tagged_accessible_pdf_with_its_dutch_text() {
    let brief = beschikking().brief().unwrap();
    let pdf = beschikking_pdf(&brief).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(dir) = std::env::var("JEUGDROUTE_KEEP_PDF") {
        std::fs::write(format!("{dir}/beschikking.pdf"), &pdf).unwrap();
    }
    let Some(read) = poppler(&pdf) else {
        return;
    };
    assert_accessible(&pdf, &read);
    for expected in [
        "Gemeente Amersfoort",
        "Stadsring 100",
        "Telefoon 033 000 03 07",
        "E-mail jeugd@amersfoort.example",
        "Besluit over jeugdhulp",
        "JR-2026-000123",
        "Amersfoort, 24 november 2026",
        "50H22",
        "Opvoedvaardigheden van ouders schieten tekort",
        "1 december 2026 tot en met 30 november 2027",
        "Jeugdhulp De Eem in Amersfoort",
        "wordt de hulp beëindigd",
        "binnen zes weken na de datum van deze brief",
        "uiterlijk op 5 januari 2027",
        "voorlopige voorziening",
        "Zo’n brief heet een bezwaarschrift.",
        "Uw vraag aan ons was: “Wij willen leren hoe wij samen rust en regelmaat in huis brengen.”",
        "Opvoeding: “Er zijn vaste afspraken over eten en slapen.”",
        "namens het college van burgemeester en wethouders van Amersfoort,",
        "J. de Boer teammanager Jeugd en Gezin",
    ] {
        assert!(
            read.text.contains(expected),
            "missing {expected:?} in:\n{}",
            read.text
        );
    }
    // The youth is 12: the parent's letter (two pages), then the youth's copy.
    assert_eq!(brief.addressee[0], "Fatima El Amrani");
    assert_eq!(read.pages, 4);
    let copy = read
        .text
        .find("Kopie Sam Jansen")
        .expect("the copy's address block");
    let (letter, copy) = read.text.split_at(copy);
    assert!(letter.contains("Fatima El Amrani") && letter.contains("Pagina 2 van 2"));
    assert!(copy.contains("Pagina 1 van 2") && copy.contains("J. de Boer"));
    assert_eq!(
        read.structure.lines().filter(|l| *l == "  Part").count(),
        2,
        "the letter and its copy"
    );
    // The struct tree carries the text, word breaks included.
    assert!(
        read.structure.contains("\"Kenmerk: \"") && read.structure.contains("\"Stadsring 100 \""),
        "{}",
        read.structure
    );
}

#[test]
fn a_long_letter_breaks_over_pages_and_a_short_one_has_no_page_numbers() {
    let mut gegevens = beschikking();
    // Sixteen: the letter goes to the youth, with no copy.
    gegevens.jeugdige.birth_date = "2008-01-01".parse().unwrap();
    if let Grondslag::Beoordeeld(b) = &mut gegevens.grondslag {
        b.resultaten = (1..=40)
            .map(|i| resultaat(Leefgebied::Opvoeding, &format!("Resultaat {i}: het gezin en de aanbieder zijn het eens over het doel en de aanpak van de hulp.")))
            .collect();
    }
    let long = beschikking_pdf(&gegevens.brief().unwrap()).unwrap();
    let short = Brief {
        sender: "Gemeente Baarn".into(),
        sender_details: vec!["Laanstraat 40".into()],
        addressee: vec!["Sam Jansen".into()],
        copy_to: None,
        place_and_date: "Baarn, 1 maart 2027".into(),
        kenmerk: "JR-1".into(),
        subject: "Besluit over jeugdhulp".into(),
        salutation: "Beste Sam Jansen,".into(),
        sections: vec![Section {
            heading: "Ons besluit".into(),
            blocks: vec![Block::Paragraph("Naïef, één, café’s, 字.".into())],
        }],
        closing: vec!["Met vriendelijke groet,".into()],
        signatory: vec!["S. Visser".into()],
    };
    let short = beschikking_pdf(&short).unwrap();
    let (Some(long_read), Some(short_read)) = (poppler(&long), poppler(&short)) else {
        return;
    };
    assert_accessible(&long, &long_read);
    let (long_text, long_pages) = (long_read.text, long_read.pages);
    let (short_text, short_pages) = (short_read.text, short_read.pages);
    assert!(long_pages >= 3, "{long_pages} pages");
    assert!(long_text.contains(&format!("Pagina {long_pages} van {long_pages}")));
    assert!(long_text.contains("Resultaat 40: het gezin"));
    assert_eq!(short_pages, 1);
    assert!(!short_text.contains("Pagina"));
    assert!(
        short_text.contains("Naïef, één, café’s, ?."),
        "{short_text}"
    );
}

const PASSWORD: &str = "juist wachtwoord";

/// An app on a clock standing at `at`, with one account (`name`, [`PASSWORD`]),
/// and the store to look into.
async fn app_with_account(url: &DatabaseUrl, name: &str, at: DateTime<Utc>) -> (App, Store) {
    use argon2::password_hash::PasswordHasher;
    let app = App::open(url).await.unwrap().with_clock(Clock::at(at));
    let store = Store::connect(url).await.unwrap();
    let hash = argon2::Argon2::default()
        .hash_password(PASSWORD.as_bytes())
        .unwrap()
        .to_string();
    let user = jeugdroute_domain::User {
        username: name.into(),
        display_name: "Mila Medewerker".into(),
        role: Role::Beheerder,
        gemeenten: vec![],
        aanbieder: None,
        gi: None,
    };
    let mut tx = store.begin().await.unwrap();
    assert!(tx.insert_user(&user, &hash).await.unwrap());
    tx.commit().await.unwrap();
    (app, store)
}

async fn count(store: &Store, sql: &str) -> i64 {
    let mut tx = store.begin().await.unwrap();
    tx.scalar_text_raw(&format!("SELECT CAST(COUNT(*) AS TEXT) {sql}"))
        .await
        .unwrap()
        .parse()
        .unwrap()
}

/// Attack: guess a user's password from one address, or lock the user out by
/// failing on purpose. The attacker's address backs off exponentially and is
/// refused without a password check; the real user from another address signs in
/// at once; a hot user name holds back only addresses that failed for it; the
/// wait never exceeds the cap, and held-back attempts write nothing.
async fn sign_in_backs_off_the_attacker_not_the_user(url: &DatabaseUrl) {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let name = "medewerker.amersfoort";
    let (app, store) = app_with_account(url, name, t0).await;
    let (attacker, user, other) = (
        Some("192.0.2.66"),
        Some("198.51.100.7"),
        Some("203.0.113.9"),
    );
    let refused = |r: Result<jeugdroute_app::SignedIn, AppError>| match r {
        Err(AppError::SignInRefused) => "geweigerd",
        Err(AppError::TooManyAttempts) => "wachten",
        Ok(_) => "binnen",
        Err(e) => panic!("{e:?}"),
    };
    let mut answers = Vec::new();
    for _ in 0..20 {
        answers.push(refused(app.sign_in(name, "geraden", attacker).await));
    }
    let free = usize::try_from(FREE_FAILURES).unwrap();
    assert_eq!(answers[..free], ["geweigerd"; 5]);
    assert!(
        answers[free..].iter().all(|a| *a == "wachten"),
        "{answers:?}"
    );
    // The held-back attempts checked no password and wrote nothing.
    assert_eq!(count(&store, "FROM sign_in_failure").await, FREE_FAILURES);
    assert_eq!(
        count(&store, "FROM audit_log WHERE event = 'aanmelden'").await,
        FREE_FAILURES
    );
    // Not even the right password gets the attacker's address in now ...
    assert_eq!(
        refused(app.sign_in(name, PASSWORD, attacker).await),
        "wachten"
    );
    // ... but the real user, from an address that did not fail, gets in at once.
    assert_eq!(refused(app.sign_in(name, PASSWORD, user).await), "binnen");

    // The wait doubles: 1 s after the fifth failure, then 2 s after the sixth.
    let clock = |at| app.with_clock(Clock::at(at));
    let t1 = t0 + chrono::Duration::seconds(1);
    assert_eq!(
        refused(clock(t1).sign_in(name, "geraden", attacker).await),
        "geweigerd"
    );
    let t2 = t1 + chrono::Duration::seconds(1);
    assert_eq!(
        refused(clock(t2).sign_in(name, "geraden", attacker).await),
        "wachten"
    );
    let t3 = t1 + chrono::Duration::seconds(2);
    assert_eq!(
        refused(clock(t3).sign_in(name, "geraden", attacker).await),
        "geweigerd"
    );

    // The name is hot (7 failures): a second address gets one try, then waits for it.
    assert_eq!(
        refused(clock(t3).sign_in(name, "geraden", other).await),
        "geweigerd"
    );
    assert_eq!(
        refused(clock(t3).sign_in(name, PASSWORD, other).await),
        "wachten"
    );
    // The real user's address still never failed for it.
    assert_eq!(
        refused(clock(t3).sign_in(name, PASSWORD, user).await),
        "binnen"
    );
    // However many failures, the wait is at most the cap.
    let later = t3 + MAX_DELAY;
    assert_eq!(
        refused(clock(later).sign_in(name, PASSWORD, attacker).await),
        "binnen"
    );
    // Failures older than the window are pruned when a new one is written.
    let much_later = later + chrono::Duration::hours(2);
    assert_eq!(
        refused(clock(much_later).sign_in(name, "x", other).await),
        "geweigerd"
    );
    assert_eq!(count(&store, "FROM sign_in_failure").await, 1);
    store.close().await;
    app.close().await;
}

/// Attack: a 1.9 MB user name (or an endless password) to grow the database and
/// burn CPU. It is refused by field before anything is hashed, stored or logged.
async fn oversized_sign_ins_are_refused_before_anything_is_kept(url: &DatabaseUrl) {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let (app, store) = app_with_account(url, "beheer", t0).await;
    let huge = "a".repeat(1_900_000);
    let fields = |r: Result<jeugdroute_app::SignedIn, AppError>| match r {
        Err(AppError::Fields(f)) => f.iter().map(|f| f.field).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        fields(app.sign_in(&huge, "x", Some("192.0.2.1")).await),
        ["gebruikersnaam"]
    );
    assert_eq!(
        fields(app.sign_in("beheer", &huge, Some("192.0.2.1")).await),
        ["wachtwoord"]
    );
    assert_eq!(
        fields(app.sign_in(&huge[..101], &huge[..1025], None).await),
        ["gebruikersnaam", "wachtwoord"]
    );
    assert_eq!(count(&store, "FROM audit_log").await, 0);
    assert_eq!(count(&store, "FROM sign_in_failure").await, 0);
    // At the limits themselves a sign-in is checked as usual.
    let (name, password) = ("b".repeat(100), "c".repeat(1024));
    assert!(matches!(
        app.sign_in(&name, &password, None).await,
        Err(AppError::SignInRefused)
    ));
    store.close().await;
    app.close().await;
}

/// Attack: a stolen token used long after the user walked away, or after they
/// signed out elsewhere. A session ends after 30 minutes idle (its last use is
/// written at most once a minute), and "overal afmelden" ends all of them.
async fn sessions_end_when_idle_and_everywhere_at_once(url: &DatabaseUrl) {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let (app, store) = app_with_account(url, "beheer", t0).await;
    let at = |minutes: i64, seconds: i64| {
        app.with_clock(Clock::at(
            t0 + chrono::Duration::minutes(minutes) + chrono::Duration::seconds(seconds),
        ))
    };
    let token = app.sign_in("beheer", PASSWORD, None).await.unwrap().token;
    // Used after 30 s: not written (under a minute), so 30 minutes after sign-in it ended.
    assert!(at(0, 30).session(&token).await.unwrap().is_some());
    assert!(at(30, 1).session(&token).await.unwrap().is_none());

    let token = app.sign_in("beheer", PASSWORD, None).await.unwrap().token;
    // Used every 29 minutes it lives on, up to the 9 hours.
    for step in 1..=18 {
        assert!(
            at(29 * step, 0).session(&token).await.unwrap().is_some(),
            "{step}"
        );
    }
    assert!(
        at(9 * 60, 0).session(&token).await.unwrap().is_none(),
        "9 hours"
    );

    let phone = app.sign_in("beheer", PASSWORD, None).await.unwrap().token;
    let desk = app.sign_in("beheer", PASSWORD, None).await.unwrap().token;
    app.sign_out_everywhere(&desk).await.unwrap();
    assert!(app.session(&phone).await.unwrap().is_none());
    assert!(app.session(&desk).await.unwrap().is_none());
    store.close().await;
    app.close().await;
}
