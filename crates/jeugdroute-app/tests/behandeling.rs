//! The hoofdaannemer's part of a case, on SQLite always and on PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo provider answers the
//! allocation of a demo case, registers the intake and records its behandelplan
//! against the results of the family's perspectiefplan, in that order; the
//! gemeente sees each part on the case; another provider and another role are
//! refused, and every write is audit-logged with the case. Then the help runs,
//! is followed in notes by both sides, evaluated per result and closed under
//! the warranty.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use chrono::{DateTime, Days, NaiveDate, Utc};
use jeugdroute_app::{
    Actor, App, AppError, BehandelplanInvoer, Clock, GidsZoek, Invoer, NieuweMelding, StartInvoer,
    Toewijzingsleutel,
};
use jeugdroute_domain::{
    Doel, Fase, Oordeel, Reactie, RedenEinde, Role, Termijnstand, Zorgtermijn,
};
use jeugdroute_store::{AuditQuery, DatabaseUrl};
use support::{actor, exchange};

mod support;

/// Case 124 of the demo: allocation 15 of Amersfoort (0307) to this provider,
/// after a perspectiefplan of three results.
const CASUS: i64 = 124;
const AANBIEDER: &str = "98990011";
const ANDERE_AANBIEDER: &str = "98990088";

fn velden(result: Result<(), AppError>) -> Vec<(&'static str, String)> {
    match result {
        Err(AppError::Fields(fouten)) => fouten.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("field errors expected, got {other:?}"),
    }
}

fn doel(omschrijving: &str, resultaten: Vec<usize>) -> Doel {
    Doel {
        omschrijving: omschrijving.into(),
        resultaten,
        activiteiten: "Oudergesprekken thuis".into(),
        frequentie: "Wekelijks een uur".into(),
    }
}

async fn the_provider_answers_holds_the_intake_and_plans(url: &DatabaseUrl) {
    let now: DateTime<Utc> = "2026-11-16T09:30:00Z".parse().unwrap();
    let today: NaiveDate = "2026-11-16".parse().unwrap();
    let app = App::open(url).await.unwrap().with_clock(Clock::at(now));
    app.load_demo().await.unwrap();
    let aanbieder = actor(Role::Aanbieder, "0307", Some(AANBIEDER));
    let worker = actor(Role::Toegangsmedewerker, "0307", None);

    let casus = app.toegewezen_casus(&aanbieder, CASUS).await.unwrap();
    assert_eq!(
        casus.resultaten.len(),
        3,
        "the plan's results, to link goals to"
    );
    assert_eq!(casus.behandeling, None);

    // In order: no intake before the provider took the youth in care, no plan
    // before the intake; a problem says what it is.
    let intake = velden(app.intake_registreren(&aanbieder, CASUS, today).await);
    assert_eq!(intake[0].0, "intakedatum");
    assert!(intake[0].1.contains("eerst in zorg"), "{intake:?}");
    let plan = BehandelplanInvoer {
        beknopt_plan: "Wij werken thuis met ouders en kind.".into(),
        doelen: vec![doel("Rust bij het naar bed gaan", vec![1])],
    };
    let vroeg = velden(app.behandelplan_opslaan(&aanbieder, CASUS, &plan).await);
    assert!(
        vroeg[0].1.starts_with("Registreer eerst de intake"),
        "{vroeg:?}"
    );
    let stil = velden(
        app.aanbieder_reageren(&aanbieder, CASUS, Reactie::Probleem, " ")
            .await,
    );
    assert_eq!(stil[0].0, "toelichting");

    // On the worklist, what the provider owes on allocation 15, sent on
    // Saturday 25-04-2026 to start on Sunday 17-05-2026: an answer by Thursday
    // 30-04 (three working days; Monday 27-04 is Koningsdag) and the start by
    // Friday 22-05 (five working days after it), both passed.
    let termijnen = |app: App, aanbieder: Actor| async move {
        let werklijst = app.toewijzingen(&aanbieder).await.unwrap();
        let regel = (werklijst.toewijzingen.into_iter())
            .find(|r| r.line.toewijzing.casus_id == CASUS)
            .unwrap();
        (regel.termijnen.iter())
            .map(|o| (o.termijn, o.uiterlijk.to_string(), o.stand))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        termijnen(app.clone(), aanbieder.clone()).await,
        [
            (
                Zorgtermijn::Reageren,
                "2026-04-30".into(),
                Termijnstand::Verlopen
            ),
            (
                Zorgtermijn::Start,
                "2026-05-22".into(),
                Termijnstand::Verlopen
            ),
        ]
    );

    // A problem, which the gemeente sees with its reason; then the acceptance
    // replaces it.
    app.aanbieder_reageren(
        &aanbieder,
        CASUS,
        Reactie::Probleem,
        "De periode is te kort.",
    )
    .await
    .unwrap();
    let gezien = |app: &App| {
        let worker = worker.clone();
        let app = app.clone();
        async move {
            let view = app.casus(&worker, CASUS).await.unwrap();
            app.verloop(&worker, &view).await.unwrap().behandelingen
        }
    };
    let b = gezien(&app).await;
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].aanbieder, AANBIEDER);
    let (reactie, op) = b[0].reactie.clone().unwrap();
    assert_eq!(
        (reactie.reactie, reactie.toelichting.as_deref(), op),
        (Reactie::Probleem, Some("De periode is te kort."), now)
    );
    app.aanbieder_reageren(&aanbieder, CASUS, Reactie::Geaccepteerd, "")
        .await
        .unwrap();
    let start = (
        Zorgtermijn::Start,
        "2026-05-22".into(),
        Termijnstand::Verlopen,
    );
    assert_eq!(termijnen(app.clone(), aanbieder.clone()).await, [start]);
    // The start reported (JW305) and accepted by the gemeente: nothing owed.
    exchange(&app).await;
    let sleutel = Toewijzingsleutel {
        gemeente: "0307".into(),
        toewijzingnummer: 15,
    };
    let begindatum = "2026-05-17".parse().unwrap();
    (app.aanbieder_start(
        &aanbieder,
        &StartInvoer {
            toewijzing: sleutel,
            begindatum,
        },
    ))
    .await
    .unwrap();
    exchange(&app).await;
    assert_eq!(termijnen(app.clone(), aanbieder.clone()).await, []);

    // The intake: not tomorrow, not before the match, and then today.
    let morgen = today.checked_add_days(Days::new(1)).unwrap();
    let toekomst = velden(app.intake_registreren(&aanbieder, CASUS, morgen).await);
    assert!(toekomst[0].1.contains("toekomst"), "{toekomst:?}");
    let view = app.casus(&worker, CASUS).await.unwrap();
    let match_date = app
        .verloop(&worker, &view)
        .await
        .unwrap()
        .dossier
        .match_en_intake
        .unwrap()
        .match_date;
    let voor_match = match_date.checked_sub_days(Days::new(1)).unwrap();
    let te_vroeg = velden(app.intake_registreren(&aanbieder, CASUS, voor_match).await);
    assert!(te_vroeg[0].1.contains("vóór de match"), "{te_vroeg:?}");
    app.intake_registreren(&aanbieder, CASUS, today)
        .await
        .unwrap();

    // The plan: a goal for a result the family's plan does not have is refused,
    // text over its bound is refused by field, and a whole plan is recorded.
    let onbekend = BehandelplanInvoer {
        doelen: vec![doel("Naar school", vec![4])],
        ..plan.clone()
    };
    let fout = velden(app.behandelplan_opslaan(&aanbieder, CASUS, &onbekend).await);
    assert_eq!(
        fout,
        [(
            "doelen",
            "Doel 1 verwijst naar resultaat 4, maar dat staat niet in het perspectiefplan."
                .to_owned()
        )]
    );
    let lang = BehandelplanInvoer {
        beknopt_plan: "é".repeat(1_001),
        ..plan.clone()
    };
    let fout = velden(app.behandelplan_opslaan(&aanbieder, CASUS, &lang).await);
    assert_eq!(fout[0].0, "beknopt_plan");
    let heel = BehandelplanInvoer {
        beknopt_plan: "é".repeat(1_000),
        doelen: vec![
            doel("Rust bij het naar bed gaan", vec![1]),
            doel("Weer naar school", vec![3, 2]),
        ],
    };
    app.behandelplan_opslaan(&aanbieder, CASUS, &heel)
        .await
        .unwrap();
    let eigen = app.toegewezen_casus(&aanbieder, CASUS).await.unwrap();
    let b = eigen.behandeling.unwrap();
    assert_eq!(b.intake.map(|(d, _)| d), Some(today));
    let opgeslagen = b.plan.unwrap();
    assert_eq!(opgeslagen.beknopt_plan, "é".repeat(1_000));
    assert_eq!(opgeslagen.doelen.len(), 2);
    assert_eq!(opgeslagen.doelen[1].resultaten, [2, 3]);
    assert_eq!(opgeslagen.doelen[1].omschrijving, "Weer naar school");
    // Saved again, it replaces the first.
    app.behandelplan_opslaan(&aanbieder, CASUS, &plan)
        .await
        .unwrap();
    let b = gezien(&app).await;
    assert_eq!(b[0].plan.as_ref().unwrap().doelen, plan.doelen);
    assert_eq!(
        b[0].reactie.as_ref().unwrap().0.reactie,
        Reactie::Geaccepteerd
    );

    // Another provider and another role cannot write here.
    let ander = actor(Role::Aanbieder, "0307", Some(ANDERE_AANBIEDER));
    assert!(matches!(
        app.aanbieder_reageren(&ander, CASUS, Reactie::Probleem, "x")
            .await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        app.intake_registreren(&ander, CASUS, today).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        app.behandelplan_opslaan(&ander, CASUS, &plan).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        app.aanbieder_reageren(&worker, CASUS, Reactie::Geaccepteerd, "")
            .await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(gezien(&app).await.len(), 1, "nothing of the other provider");

    // Onderaannemers: the hoofdaannemer calls in a provider contracted for the
    // allocation's code (15, 50H12); not itself, not one without that contract.
    let zelf = velden(
        app.onderaannemer_toevoegen(&aanbieder, CASUS, 15, AANBIEDER)
            .await,
    );
    assert!(
        zelf[0].1.contains("niet ook zijn eigen onderaannemer"),
        "{zelf:?}"
    );
    let geen_contract = velden(
        app.onderaannemer_toevoegen(&aanbieder, CASUS, 15, "98990066")
            .await,
    );
    assert!(
        geen_contract[0].1.contains("geen contract"),
        "{geen_contract:?}"
    );
    let vreemd = velden(
        app.onderaannemer_toevoegen(&aanbieder, CASUS, 16, ANDERE_AANBIEDER)
            .await,
    );
    assert_eq!(vreemd[0].0, "toewijzing");
    let onder = actor(Role::Aanbieder, "0307", Some(ANDERE_AANBIEDER));
    assert!(matches!(
        app.onderaannemer_casus(&onder, CASUS).await,
        Err(AppError::NotFound)
    ));
    app.onderaannemer_toevoegen(&aanbieder, CASUS, 15, ANDERE_AANBIEDER)
        .await
        .unwrap();
    assert!(
        matches!(
            app.onderaannemer_toevoegen(&onder, CASUS, 15, AANBIEDER)
                .await,
            Err(AppError::NotFound)
        ),
        "an onderaannemer calls in no one on another's allocation"
    );
    // It sees the youth, the period and the goals — not the plan's results.
    let gedeeld = app.onderaannemer_casus(&onder, CASUS).await.unwrap();
    assert_eq!(gedeeld.hoofdaannemer.agb.as_str(), AANBIEDER);
    let nummers: Vec<i64> = gedeeld.toewijzingen.iter().map(|t| t.0).collect();
    assert_eq!(nummers, [15]);
    let doelen: Vec<(&str, bool)> = gedeeld
        .doelen
        .iter()
        .map(|d| (d.omschrijving.as_str(), d.resultaten.is_empty()))
        .collect();
    assert_eq!(doelen, [("Rust bij het naar bed gaan", true)]);
    assert!(
        matches!(
            app.toegewezen_casus(&onder, CASUS).await,
            Err(AppError::NotFound)
        ),
        "not the hoofdaannemer's view"
    );
    let werklijst = app.toewijzingen(&onder).await.unwrap();
    assert_eq!(
        (werklijst.onderaanneming.iter())
            .map(|o| o.onderaanneming.casus_id)
            .collect::<Vec<_>>(),
        [CASUS]
    );
    // The gemeente sees who delivers.
    let view = app.casus(&worker, CASUS).await.unwrap();
    let wie: Vec<String> = (app.verloop(&worker, &view).await.unwrap().onderaannemers)
        .into_iter()
        .map(|o| o.onderaannemer_agb)
        .collect();
    assert_eq!(wie, [ANDERE_AANBIEDER]);

    let mut tx = app.store().begin().await.unwrap();
    let records = tx
        .search_audit(&AuditQuery {
            casus_id: Some(CASUS),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    drop(tx);
    let writes: Vec<(&str, &str, &str)> = records
        .iter()
        .rev()
        .filter(|r| r.event.starts_with("behandeling."))
        .map(|r| (r.actor.as_str(), r.event.as_str(), r.outcome.as_str()))
        .collect();
    let mine = "test.98990011";
    let other = "test.98990088";
    assert_eq!(
        writes,
        [
            (mine, "behandeling.reactie", "gelukt"),
            (mine, "behandeling.reactie", "gelukt"),
            (mine, "behandeling.intake", "gelukt"),
            (mine, "behandeling.plan", "gelukt"),
            (mine, "behandeling.plan", "gelukt"),
            (other, "behandeling.reactie", "geweigerd"),
            (other, "behandeling.intake", "geweigerd"),
            (other, "behandeling.plan", "geweigerd"),
        ],
        "each recorded write once, each refusal; a refused check writes nothing"
    );
    app.close().await;
}

/// A step's form as the worker sends it for a case at `fase`.
fn stap(fase: &str, velden: &[(&str, &str)]) -> Invoer {
    let mut invoer: Invoer = velden
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    invoer.insert("fase".into(), fase.into());
    invoer
}

/// Demo case 124 runs (uitvoering): provider and local team note how it goes
/// and see each other's notes; the worker starts the evaluation, the help goes
/// on once, then every result is judged with the family's view and the case
/// closes with its CBS reason — and the warranty runs four months from the
/// last day of help. After death there is no warranty.
async fn the_help_is_followed_evaluated_and_closed_under_warranty(url: &DatabaseUrl) {
    let now: DateTime<Utc> = "2026-11-16T09:30:00Z".parse().unwrap();
    let app = App::open(url).await.unwrap().with_clock(Clock::at(now));
    app.load_demo().await.unwrap();
    let aanbieder = actor(Role::Aanbieder, "0307", Some(AANBIEDER));
    let worker = actor(Role::Toegangsmedewerker, "0307", None);
    assert_eq!(
        app.toegewezen_casus(&aanbieder, CASUS).await.unwrap().fase,
        Fase::Uitvoering
    );

    app.voortgang_schrijven(&aanbieder, CASUS, "Eerste gesprekken thuis gaan goed.")
        .await
        .unwrap();
    app.voortgang_schrijven(&worker, CASUS, "Moeder belde: school loopt beter.")
        .await
        .unwrap();
    let leeg = velden(app.voortgang_schrijven(&worker, CASUS, "  ").await);
    assert_eq!(leeg[0].0, "voortgang");
    let lang = velden(
        app.voortgang_schrijven(&worker, CASUS, &"x".repeat(2_001))
            .await,
    );
    assert_eq!(lang[0].1, "Voortgang: gebruik ten hoogste 2000 tekens.");
    let ander = actor(Role::Aanbieder, "0307", Some(ANDERE_AANBIEDER));
    assert!(matches!(
        app.voortgang_schrijven(&ander, CASUS, "x").await,
        Err(AppError::NotFound)
    ));
    let soest = actor(Role::Toegangsmedewerker, "0342", None);
    assert!(matches!(
        app.voortgang_schrijven(&soest, CASUS, "x").await,
        Err(AppError::NotFound)
    ));
    let beleid = actor(Role::Beleidsmedewerker, "0307", None);
    assert!(matches!(
        app.voortgang_schrijven(&beleid, CASUS, "x").await,
        Err(AppError::Forbidden)
    ));
    let gezien = app
        .toegewezen_casus(&aanbieder, CASUS)
        .await
        .unwrap()
        .voortgang;
    let notes: Vec<(&str, &str)> = gezien
        .iter()
        .map(|v| (v.namens.as_str(), v.tekst.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("toegang", "Moeder belde: school loopt beter."),
            ("aanbieder", "Eerste gesprekken thuis gaan goed.")
        ],
        "newest first, both sides"
    );

    // The evaluation; the help goes on once, then it is closed.
    assert_eq!(
        app.stap(&worker, CASUS, &stap("uitvoering", &[]))
            .await
            .unwrap(),
        Fase::Evaluatie
    );
    let door = stap("evaluatie", &[("besluit", "doorgaan")]);
    assert_eq!(
        app.stap(&worker, CASUS, &door).await.unwrap(),
        Fase::Uitvoering
    );
    app.stap(&worker, CASUS, &stap("uitvoering", &[]))
        .await
        .unwrap();
    let half = stap(
        "evaluatie",
        &[
            ("besluit", "afsluiten"),
            ("oordeel_1", "behaald"),
            ("oordeel_3", "gedeeltelijk"),
            ("reden_einde", "20"),
            ("einddatum", "2026-11-17"),
        ],
    );
    let fouten = velden(app.stap(&worker, CASUS, &half).await.map(|_| ()));
    assert_eq!(
        fouten.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        ["evaluatie", "evaluatie", "reden_einde"],
        "results 2 and 3 unjudged, a temporary stop is no reason to close: {fouten:?}"
    );
    let morgen = stap(
        "evaluatie",
        &[
            ("oordeel_1", "behaald"),
            ("oordeel_2", "deels"),
            ("oordeel_3", "niet"),
            ("reden_einde", "31"),
            ("einddatum", "2026-11-17"),
        ],
    );
    let fouten = velden(app.stap(&worker, CASUS, &morgen).await.map(|_| ()));
    assert_eq!(fouten[0].0, "einddatum");
    let heel = stap(
        "evaluatie",
        &[
            ("besluit", "afsluiten"),
            ("oordeel_1", "behaald"),
            ("gezin_1", "Het is thuis veel rustiger."),
            ("oordeel_2", "deels"),
            ("oordeel_3", "niet"),
            ("reden_einde", "31"),
            ("einddatum", "2026-11-13"),
        ],
    );
    assert_eq!(
        app.stap(&worker, CASUS, &heel).await.unwrap(),
        Fase::Garantieperiode
    );
    let view = app.casus(&worker, CASUS).await.unwrap();
    let verloop = app.verloop(&worker, &view).await.unwrap();
    let laatste: Vec<(Fase, Fase, &str)> = verloop.steps[verloop.steps.len() - 2..]
        .iter()
        .map(|t| (t.from, t.to, t.reason.as_str()))
        .collect();
    assert_eq!(
        laatste,
        [
            (
                Fase::Evaluatie,
                Fase::Afgesloten,
                "afgesloten: volgens plan beëindigd"
            ),
            (
                Fase::Afgesloten,
                Fase::Garantieperiode,
                "garantie tot en met 13-03-2027"
            ),
        ]
    );
    let evaluatie = verloop.dossier.evaluatie.unwrap();
    let oordelen: Vec<(Oordeel, &str)> = evaluatie
        .oordelen()
        .iter()
        .map(|o| (o.oordeel, o.gezin.as_str()))
        .collect();
    assert_eq!(
        oordelen,
        [
            (Oordeel::Behaald, "Het is thuis veel rustiger."),
            (Oordeel::DeelsBehaald, ""),
            (Oordeel::NietBehaald, "")
        ]
    );
    assert_eq!(evaluatie.reden(), RedenEinde::VolgensPlan);
    let eigen = app.toegewezen_casus(&aanbieder, CASUS).await.unwrap();
    assert_eq!(eigen.fase, Fase::Garantieperiode);
    assert_eq!(eigen.fase_sinds, Some(now));
    assert_eq!(
        eigen.evaluatie.map(|e| e.einddatum()),
        Some("2026-11-13".parse().unwrap())
    );
    let dicht = velden(app.voortgang_schrijven(&aanbieder, CASUS, "Nog iets").await);
    assert!(dicht[0].1.contains("zolang de hulp loopt"), "{dicht:?}");

    // The problems come back: a new melding for the same youth, within four
    // months, is flagged with the earlier help and goes back to its
    // hoofdaannemer in one step, with the earlier plan; the provider sees it as
    // a warranty case, another provider does not see it at all.
    let opnieuw = nieuwe_melding(&app, &worker, CASUS).await;
    let view = app.casus(&worker, opnieuw).await.unwrap();
    let voorstel = (app.verloop(&worker, &view).await.unwrap())
        .garantievoorstel
        .expect("flagged at once");
    assert_eq!(
        (
            voorstel.eerdere_casus,
            voorstel.aanbieder.agb.as_str(),
            voorstel.einddatum,
            voorstel.garantie_tot
        ),
        (
            CASUS,
            AANBIEDER,
            "2026-11-13".parse().unwrap(),
            "2027-03-13".parse().unwrap()
        )
    );
    let oordelen: Vec<Option<Oordeel>> = (voorstel.resultaten.iter())
        .map(|(_, o)| o.as_ref().map(|o| o.oordeel))
        .collect();
    assert_eq!(
        oordelen,
        [
            Some(Oordeel::Behaald),
            Some(Oordeel::DeelsBehaald),
            Some(Oordeel::NietBehaald)
        ]
    );
    assert!(matches!(
        app.toegewezen_casus(&aanbieder, opnieuw).await,
        Err(AppError::NotFound)
    ));
    // It counts as recurrence of the provider's help, where workers choose.
    let terugval = |app: App, worker: Actor| async move {
        let gids = app
            .aanbiedergids(&worker, &GidsZoek::default())
            .await
            .unwrap();
        (gids.regels.iter())
            .find(|r| r.keuze.aanbieder.agb.as_str() == AANBIEDER)
            .map(|r| r.keuze.garantiezaken)
    };
    assert_eq!(terugval(app.clone(), worker.clone()).await, Some(0));
    let terug = stap("melding", &[("actie", "garantie")]);
    assert_eq!(
        app.stap(&worker, opnieuw, &terug).await.unwrap(),
        Fase::Uitvoering
    );
    assert_eq!(terugval(app.clone(), worker.clone()).await, Some(1));
    let view = app.casus(&worker, opnieuw).await.unwrap();
    let verloop = app.verloop(&worker, &view).await.unwrap();
    assert_eq!(
        verloop.steps.last().unwrap().reason,
        "onder garantie terug naar Jeugdhulp De Eem (casus 124, hulp geëindigd op 13-11-2026)"
    );
    assert_eq!(
        verloop.dossier.plan.unwrap().resultaten.len(),
        3,
        "the earlier plan"
    );
    assert!(verloop.garantievoorstel.is_none());
    let zaak = app.toegewezen_casus(&aanbieder, opnieuw).await.unwrap();
    assert_eq!(zaak.garantie.map(|g| g.eerdere_casus_id), Some(CASUS));
    assert_eq!(zaak.resultaten.len(), 3);
    let werklijst = app.toewijzingen(&aanbieder).await.unwrap();
    assert_eq!(
        (werklijst.garanties.iter())
            .map(|g| g.zaak.casus_id)
            .collect::<Vec<_>>(),
        [opnieuw]
    );
    assert!(matches!(
        app.toegewezen_casus(&ander, opnieuw).await,
        Err(AppError::NotFound)
    ));
    app.voortgang_schrijven(&aanbieder, opnieuw, "Weer begonnen, onder garantie.")
        .await
        .unwrap();

    // Case 23 (one result) ends by death: closed, without warranty.
    app.stap(&worker, 23, &stap("uitvoering", &[]))
        .await
        .unwrap();
    let overleden = stap(
        "evaluatie",
        &[
            ("besluit", "afsluiten"),
            ("oordeel_1", "niet"),
            ("reden_einde", "02"),
            ("einddatum", "2026-11-10"),
        ],
    );
    assert_eq!(
        app.stap(&worker, 23, &overleden).await.unwrap(),
        Fase::Afgesloten
    );
    // Its youth comes back: no warranty to route to.
    let later = nieuwe_melding(&app, &worker, 23).await;
    let view = app.casus(&worker, later).await.unwrap();
    assert!(
        app.verloop(&worker, &view)
            .await
            .unwrap()
            .garantievoorstel
            .is_none()
    );
    let terug = stap("melding", &[("actie", "garantie")]);
    let fout = velden(app.stap(&worker, later, &terug).await.map(|_| ()));
    assert_eq!(fout[0].0, "actie");
    app.close().await;
}

/// A new melding for the youth of demo case `casus`, as its worker records it.
async fn nieuwe_melding(app: &App, worker: &Actor, casus: i64) -> i64 {
    let view = app.casus(worker, casus).await.unwrap();
    let j = &view.jeugdige;
    let melding = NieuweMelding {
        bsn: j.bsn.as_str().into(),
        voornamen: j.first_names.clone(),
        achternaam: j.surname.clone(),
        geboortedatum: j.birth_date.to_string(),
        geslacht: j.geslacht.key().into(),
        gemeente: "0307".into(),
        straat: "Stationsplein".into(),
        huisnummer: "3".into(),
        postcode: "3818le".into(),
        woonplaats: "Amersfoort".into(),
        vindplaats: "gezin".into(),
        verwijzer: "06".into(),
        urgentie: "regulier".into(),
        vraag: "Het gaat thuis weer mis.".into(),
        ..NieuweMelding::default()
    };
    app.nieuwe_melding(worker, &melding).await.unwrap()
}

jeugdroute_store::backend_tests!(
    the_provider_answers_holds_the_intake_and_plans,
    the_help_is_followed_evaluated_and_closed_under_warranty
);
