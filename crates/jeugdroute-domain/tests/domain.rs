//! The rules of the domain crate, each with a `check` helper and readable
//! snapshots (expect-test: `UPDATE_EXPECT=1 cargo test` rewrites them after a
//! deliberate change), plus property tests for the invariants.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]
#![allow(
    clippy::needless_pass_by_value,
    reason = "expect-test takes snapshots by value"
)]

use std::sync::LazyLock;

use chrono::{NaiveDate, TimeZone, Utc};
use expect_test::{Expect, expect};
use jeugdroute_domain::*;
use proptest::prelude::*;

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| catalogue_from(DEFAULT_CATALOGUE).unwrap());

fn catalogue_from(text: &str) -> Result<Catalogue, CatalogueErrors> {
    let definition: CatalogueDefinition = toml::from_str(text).unwrap();
    Catalogue::from_definition(definition)
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

// ---------------------------------------------------------------- catalogue

#[test]
fn the_default_catalogue_is_the_matrix_of_seed_002() {
    let c = &*CATALOGUE;
    assert_eq!(c.version, "7-stappenplan-2018");
    assert_eq!(c.arrangementen().len(), 9);
    let matrix: Vec<String> = c
        .arrangementen()
        .iter()
        .map(|a| {
            let row: Vec<String> = Intensiteit::ALL
                .iter()
                .map(|i| a.code(*i).unwrap().to_string())
                .collect();
            format!("{} {}", a.number, row.join(" "))
        })
        .collect();
    expect![[r#"
        1 50H11 50H12 50H13 50H14 50H15
        2 50H21 50H22 50H23 50H24 50H25
        3 50H31 50H32 50H33 50H34 50H35
        4 50H41 50H42 50H43 50H44 50H45
        5 50H51 50H52 50H53 50H54 50H55
        6 50H61 50H62 50H63 50H64 50H65
        7 50H71 50H72 50H73 50H74 50H75
        8 50H81 50H82 50H83 50H84 50H85
        9 50H91 50H92 50H93 50H94 50H95"#]]
    .assert_eq(&matrix.join("\n"));
    // Rule: seed 002 step 5 — Zwaar and Chronisch carry the *.
    let starred: Vec<Intensiteit> = c
        .intensiteiten()
        .iter()
        .filter(|r| r.segment_check)
        .map(|r| r.intensiteit)
        .collect();
    assert_eq!(starred, [Intensiteit::Zwaar, Intensiteit::Chronisch]);
    assert_eq!(c.segment3.behandeling, Hours::whole(75).unwrap());
    assert_eq!(c.segment3.begeleiding, Hours::whole(110).unwrap());
    assert_eq!(c.segment3.dagdelen, 110);
    assert_eq!(c.productcategorie.as_str(), "50");
    let code = Productcode::parse("50H22").unwrap();
    assert!(c.tariff_cents(&code).is_some_and(|t| t > 0));
}

#[test]
fn a_broken_catalogue_reports_every_problem_with_its_field() {
    let broken = DEFAULT_CATALOGUE
        .replacen("productcategorie = \"50\"", "productcategorie = \"5X\"", 1)
        .replacen("behandeling_hours = 75", "behandeling_hours = 0", 1)
        .replacen("chronisch = \"50H15\"", "chronisch = \"50H14\"", 1)
        .replacen("\"50H95\" = ", "\"50H99\" = ", 1)
        .replacen("key = \"doorlopend\"", "key = \"midden\"", 1);
    let errors = catalogue_from(&broken).unwrap_err();
    expect![[r#"
        de catalogus klopt niet:
        - productcategorie: Een productcategorie bestaat uit precies 2 cijfers.
        - segment3.behandeling_hours: moet groter zijn dan 0
        - intensiteit[3].key: midden staat er twee keer in
        - intensiteit: doorlopend ontbreekt
        - arrangement[0].codes.chronisch: 50H14 staat er twee keer in
        - tariffs.50H15: geen arrangementscode uit deze catalogus
        - tariffs.50H99: geen arrangementscode uit deze catalogus
        - tariffs: geen tarief voor 50H95"#]]
    .assert_eq(&errors.to_string());
}

// ------------------------------------------------------------ determination

/// `check("2 midden", …)`; segment answers as `intramuraal`, `behandeling=75,5`,
/// `begeleiding=110`, `dagdelen=111`, `tarief`, or `geen` (answered, none applies).
fn check(input: &str, expected: Expect) {
    let mut words = input.split_whitespace();
    let arrangement = words.next().unwrap().parse().unwrap();
    let intensiteit = words.next().unwrap().parse().unwrap();
    let mut segment: Option<SegmentAnswers> = None;
    for word in words {
        let answers = segment.get_or_insert_with(SegmentAnswers::default);
        match word.split_once('=') {
            None if word == "intramuraal" => answers.intramuraal = true,
            None if word == "tarief" => answers.tarief_buiten_segment_2 = true,
            None if word == "geen" => {}
            Some(("behandeling", h)) => answers.behandeling = Some(h.parse().unwrap()),
            Some(("begeleiding", h)) => answers.begeleiding = Some(h.parse().unwrap()),
            Some(("dagdelen", n)) => answers.dagdelen = Some(n.parse().unwrap()),
            _ => panic!("unknown answer {word}"),
        }
    }
    let determination = CATALOGUE
        .determine(&DeterminationInput {
            arrangement,
            intensiteit,
            segment,
        })
        .unwrap();
    expected.assert_eq(&determination.to_string());
}

#[test]
fn a_light_intensity_gives_the_code_without_segment_check() {
    check(
        "2 midden",
        expect![[r#"
            Arrangement 2 (Opvoedvaardigheden van ouders schieten tekort), intensiteit Midden
            Uitkomst: arrangementscode 50H22
            Waarom:
            - Gekozen arrangement 2: Opvoedvaardigheden van ouders schieten tekort. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Midden. [INTENSITEIT; 7-stappenplan, stap 4]
            - Bij intensiteit Midden hoort geen * in de codetabel: de segmentcheck is niet nodig. [GEEN_SEGMENTCHECK; 7-stappenplan, stap 5]
            - De arrangementscode is 50H22: arrangement 2 met intensiteit Midden. [CODE; 7-stappenplan, stap 5]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn zwaar_without_segment_answers_has_no_code_yet() {
    check(
        "5 zwaar",
        expect![[r#"
            Arrangement 5 (Eigen problematiek van het kind), intensiteit Zwaar
            Uitkomst: nog geen code, eerst de segmentcheck
            Waarom:
            - Gekozen arrangement 5: Eigen problematiek van het kind. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Zwaar. [INTENSITEIT; 7-stappenplan, stap 4]
            - Bij intensiteit Zwaar hoort een * in de codetabel: beantwoord eerst de segmentvragen (stap 5a). Pas daarna staat de code vast. [SEGMENTCHECK_NODIG; 7-stappenplan, stap 5]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn seventy_five_hours_of_treatment_is_not_segment_3() {
    check(
        "5 zwaar behandeling=75 begeleiding=110 dagdelen=110",
        expect![[r#"
            Arrangement 5 (Eigen problematiek van het kind), intensiteit Zwaar
            Uitkomst: arrangementscode 50H53
            Waarom:
            - Gekozen arrangement 5: Eigen problematiek van het kind. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Zwaar. [INTENSITEIT; 7-stappenplan, stap 4]
            - Ambulante behandeling van 75 uur is niet meer dan 75 uur. [BEHANDELING_BINNEN_SEGMENT2; 7-stappenplan, stap 5a]
            - Individuele ambulante begeleiding van 110 uur is niet meer dan 110 uur. [BEGELEIDING_BINNEN_SEGMENT2; 7-stappenplan, stap 5a]
            - Groepsbegeleiding van 110 dagdelen is niet meer dan 110 dagdelen. [DAGDELEN_BINNEN_SEGMENT2; 7-stappenplan, stap 5a]
            - Geen enkel kenmerk van segment 3 is van toepassing: de arrangementscode geldt. [GEEN_SEGMENT3; 7-stappenplan, stap 5a]
            - De arrangementscode is 50H53: arrangement 5 met intensiteit Zwaar. [CODE; 7-stappenplan, stap 5]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn seventy_five_and_a_half_hours_of_treatment_is_segment_3() {
    check(
        "5 zwaar behandeling=75,5",
        expect![[r#"
            Arrangement 5 (Eigen problematiek van het kind), intensiteit Zwaar
            Uitkomst: hoogspecialistische jeugdhulp (segment 3)
            Waarom:
            - Gekozen arrangement 5: Eigen problematiek van het kind. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Zwaar. [INTENSITEIT; 7-stappenplan, stap 4]
            - Ambulante behandeling van 75,5 uur is meer dan 75 uur. [SEGMENT3_BEHANDELING; 7-stappenplan, stap 5a]
            - Dit is hoogspecialistische jeugdhulp (segment 3). Gebruik een productcode uit de regionale lijst voor hoogspecialistische jeugdhulp, niet de arrangementscode. [SEGMENT3; 7-stappenplan, stap 5a]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn every_segment_3_feature_is_named() {
    check(
        "8 chronisch intramuraal begeleiding=110,01 dagdelen=111 tarief",
        expect![[r#"
            Arrangement 8 (Beneden gemiddelde intelligentie met gedragsproblemen), intensiteit Chronisch
            Uitkomst: hoogspecialistische jeugdhulp (segment 3)
            Waarom:
            - Gekozen arrangement 8: Beneden gemiddelde intelligentie met gedragsproblemen. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Chronisch. [INTENSITEIT; 7-stappenplan, stap 4]
            - Het gaat om intramurale jeugdhulp (dag of 24 uur per dag). [SEGMENT3_INTRAMURAAL; 7-stappenplan, stap 5a]
            - Individuele ambulante begeleiding van 110,01 uur is meer dan 110 uur. [SEGMENT3_BEGELEIDING; 7-stappenplan, stap 5a]
            - Groepsbegeleiding van 111 dagdelen is meer dan 110 dagdelen. [SEGMENT3_DAGDELEN; 7-stappenplan, stap 5a]
            - Het tarief past niet binnen segment 2 (afgestemd met de contractmanager). [SEGMENT3_TARIEF; 7-stappenplan, stap 5a]
            - Dit is hoogspecialistische jeugdhulp (segment 3). Gebruik een productcode uit de regionale lijst voor hoogspecialistische jeugdhulp, niet de arrangementscode. [SEGMENT3; 7-stappenplan, stap 5a]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn answered_with_no_feature_gives_the_starred_code() {
    check(
        "1 chronisch geen",
        expect![[r#"
            Arrangement 1 (Spanning tussen ouders raakt het kind), intensiteit Chronisch
            Uitkomst: arrangementscode 50H15
            Waarom:
            - Gekozen arrangement 1: Spanning tussen ouders raakt het kind. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Chronisch. [INTENSITEIT; 7-stappenplan, stap 4]
            - Geen enkel kenmerk van segment 3 is van toepassing: de arrangementscode geldt. [GEEN_SEGMENT3; 7-stappenplan, stap 5a]
            - De arrangementscode is 50H15: arrangement 1 met intensiteit Chronisch. [CODE; 7-stappenplan, stap 5]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn segment_answers_on_a_light_intensity_are_noted_and_not_used() {
    check(
        "9 licht intramuraal",
        expect![[r#"
            Arrangement 9 (Lichamelijke beperking of hersenletsel), intensiteit Licht
            Uitkomst: arrangementscode 50H91
            Waarom:
            - Gekozen arrangement 9: Lichamelijke beperking of hersenletsel. [ARRANGEMENT; 7-stappenplan, stap 2]
            - Gekozen intensiteit: Licht. [INTENSITEIT; 7-stappenplan, stap 4]
            - Bij intensiteit Licht hoort geen * in de codetabel: de segmentcheck is niet nodig. [GEEN_SEGMENTCHECK; 7-stappenplan, stap 5]
            - De antwoorden op de segmentvragen tellen bij deze intensiteit niet mee. [SEGMENTANTWOORDEN_NIET_GEBRUIKT; 7-stappenplan, stap 5]
            - De arrangementscode is 50H91: arrangement 9 met intensiteit Licht. [CODE; 7-stappenplan, stap 5]
            Catalogus: 7-stappenplan-2018"#]],
    );
}

#[test]
fn an_arrangement_outside_the_catalogue_is_refused() {
    let input = DeterminationInput {
        arrangement: 10,
        intensiteit: Intensiteit::Licht,
        segment: None,
    };
    let err = CATALOGUE.determine(&input).unwrap_err();
    assert_eq!(
        err.to_string(),
        "arrangement 10 bestaat niet in catalogus 7-stappenplan-2018: kies 1 tot en met 9"
    );
}

fn any_intensiteit() -> impl Strategy<Value = Intensiteit> {
    proptest::sample::select(Intensiteit::ALL.to_vec())
}

fn any_answers() -> impl Strategy<Value = Option<SegmentAnswers>> {
    let hours = proptest::option::of((0u32..20_000).prop_map(|h| {
        format!("{}.{:02}", h / 100, h % 100)
            .parse::<Hours>()
            .unwrap()
    }));
    proptest::option::of(
        (
            any::<bool>(),
            hours.clone(),
            hours,
            proptest::option::of(0u32..300),
            any::<bool>(),
        )
            .prop_map(
                |(intramuraal, behandeling, begeleiding, dagdelen, tarief_buiten_segment_2)| {
                    SegmentAnswers {
                        intramuraal,
                        behandeling,
                        begeleiding,
                        dagdelen,
                        tarief_buiten_segment_2,
                    }
                },
            ),
    )
}

proptest! {
    /// Every arrangement × intensity (× any answers) has exactly one outcome, with
    /// reasons, and a code exactly when the outcome is a code.
    #[test]
    fn every_arrangement_and_intensity_has_exactly_one_outcome(
        arrangement in 1u8..=9, intensiteit in any_intensiteit(), segment in any_answers()
    ) {
        let d = CATALOGUE.determine(&DeterminationInput { arrangement, intensiteit, segment }).unwrap();
        prop_assert!(d.reasons.len() >= 3);
        let starred = matches!(intensiteit, Intensiteit::Zwaar | Intensiteit::Chronisch);
        match (&d.outcome, starred, segment) {
            (Outcome::Code(code), _, _) => {
                prop_assert_eq!(code.as_str(), format!("50H{arrangement}{}", intensiteit as u8 + 1));
                prop_assert_eq!(d.code(), Some(code));
            }
            (Outcome::SegmentCheckNeeded, true, None) => prop_assert!(d.code().is_none()),
            (Outcome::Segment3, true, Some(_)) => prop_assert!(d.code().is_none()),
            (outcome, _, _) => prop_assert!(false, "unexpected {:?} for {:?}", outcome, intensiteit),
        }
    }

    /// The thresholds are strict: exactly at the limit is segment 2, a hundredth
    /// of an hour (or one dagdeel) more is segment 3.
    #[test]
    fn thresholds_are_strict_at_their_edges(arrangement in 1u8..=9, which in 0usize..3, above in any::<bool>()) {
        let limits = CATALOGUE.segment3;
        let mut answers = SegmentAnswers::default();
        let bump = u32::from(above);
        match which {
            0 => answers.behandeling = Some(format!("75.0{bump}").parse().unwrap()),
            1 => answers.begeleiding = Some(format!("110.0{bump}").parse().unwrap()),
            _ => answers.dagdelen = Some(limits.dagdelen + bump),
        }
        let d = CATALOGUE.determine(&DeterminationInput { arrangement, intensiteit: Intensiteit::Zwaar, segment: Some(answers) }).unwrap();
        prop_assert_eq!(d.outcome == Outcome::Segment3, above);
    }
}

// ---------------------------------------------------------------- suggestion

fn check_suggestion(ticked: &[&str], expected: Expect) {
    let s = CATALOGUE.suggest_intensiteit(ticked).unwrap();
    let proposal = s.proposal.map_or("geen".to_owned(), |i| i.key().to_owned());
    expected.assert_eq(&format!("{proposal}: {}", s.explanation));
}

#[test]
fn the_intensity_suggestion_explains_itself_and_never_forces() {
    check_suggestion(
        &[],
        expect!["geen: Er is geen richtlijn aangevinkt, dus er is geen voorstel."],
    );
    check_suggestion(
        &[
            "zwaar.intensief",
            "zwaar.onveiligheid",
            "zwaar.taal-cultuur",
            "midden.ontwikkelen",
        ],
        expect![
            "zwaar: Voorstel: Zwaar, omdat daarvan naar verhouding de meeste richtlijnen passen (Midden: 1 van 5; Zwaar: 3 van 8). Dit is een voorstel; u kiest zelf de intensiteit."
        ],
    );
    check_suggestion(
        &["licht.dichtbij", "midden.gemiddeld"],
        expect![
            "geen: Geen voorstel: Licht en Midden passen even goed (Licht: 1 van 5; Midden: 1 van 5). Kies zelf de intensiteit."
        ],
    );
    let err = CATALOGUE
        .suggest_intensiteit(&["zwaar.bestaat-niet"])
        .unwrap_err();
    assert_eq!(err.to_string(), "onbekende richtlijnen: zwaar.bestaat-niet");
}

// --------------------------------------------------------------------- route

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
        + chrono::Duration::minutes(i64::from(minute))
}

fn walk(soort: Routesoort, steps: &[Fase]) -> Result<Clientroute, InvalidTransition> {
    let mut route = Clientroute::new(soort);
    for (i, step) in steps.iter().enumerate() {
        route.go_to(
            *step,
            "medewerker.amersfoort",
            at(i as u32),
            "volgende stap",
        )?;
    }
    Ok(route)
}

/// Walks the route through `steps` (phase keys) and renders each recorded step, or
/// the refusal that stopped the walk.
fn check_route(soort: Routesoort, steps: &str, expected: Expect) {
    let mut route = Clientroute::new(soort);
    let refusal = steps.split_whitespace().enumerate().find_map(|(i, key)| {
        let to: Fase = key.parse().unwrap();
        route
            .go_to(to, "medewerker.amersfoort", at(i as u32), "volgende stap")
            .err()
    });
    let mut lines: Vec<String> = route
        .history()
        .iter()
        .map(|t| {
            format!(
                "{} -> {} ({}, {}, {})",
                t.from,
                t.to,
                t.by,
                t.at.format("%d-%m-%Y %H:%M"),
                t.reason
            )
        })
        .collect();
    lines.extend(refusal.map(|r| format!("geweigerd: {r}")));
    expected.assert_eq(&lines.join("\n"));
}

#[test]
fn a_route_shows_who_took_each_step_when_and_why() {
    check_route(
        Routesoort::Regulier,
        "vraagverheldering vraagduiding afgesloten garantieperiode",
        expect![[r#"
            Melding -> Vraagverheldering (medewerker.amersfoort, 02-03-2026 09:00, volgende stap)
            Vraagverheldering -> Vraagduiding en gezinsanalyse (medewerker.amersfoort, 02-03-2026 09:01, volgende stap)
            Vraagduiding en gezinsanalyse -> Afgesloten (medewerker.amersfoort, 02-03-2026 09:02, volgende stap)
            geweigerd: de garantieperiode geldt alleen na specialistische hulp met een toewijzing"#]],
    );
    check_route(
        Routesoort::Crisis,
        "beschikking toewijzing vraagverheldering vraagduiding plan uitvoering",
        expect![[r#"
            Melding -> Beschikking (medewerker.amersfoort, 02-03-2026 09:00, volgende stap)
            Beschikking -> Toewijzing (medewerker.amersfoort, 02-03-2026 09:01, volgende stap)
            Toewijzing -> Vraagverheldering (medewerker.amersfoort, 02-03-2026 09:02, volgende stap)
            Vraagverheldering -> Vraagduiding en gezinsanalyse (medewerker.amersfoort, 02-03-2026 09:03, volgende stap)
            Vraagduiding en gezinsanalyse -> Perspectiefplan (medewerker.amersfoort, 02-03-2026 09:04, volgende stap)
            Perspectiefplan -> Uitvoering (medewerker.amersfoort, 02-03-2026 09:05, volgende stap)"#]],
    );
}

#[test]
fn the_regular_route_runs_from_melding_to_the_warranty_period() {
    use Fase::*;
    let route = walk(
        Routesoort::Regulier,
        &[
            Vraagverheldering,
            Vraagduiding,
            Plan,
            Bemiddeling,
            MatchEnIntake,
            Bemiddeling,
            MatchEnIntake,
            Beschikking,
            Toewijzing,
            Uitvoering,
            Evaluatie,
            Uitvoering,
            Evaluatie,
            Afgesloten,
            Garantieperiode,
        ],
    )
    .unwrap();
    assert_eq!(route.fase(), Garantieperiode);
    assert_eq!(route.history().len(), 15);
    let first = &route.history()[0];
    assert_eq!(
        (first.from, first.to, first.by.as_str(), first.at),
        (Melding, Vraagverheldering, "medewerker.amersfoort", at(0))
    );
}

#[test]
fn ordinary_help_closes_the_case_without_specialist_care_or_warranty() {
    use Fase::*;
    let mut route = walk(
        Routesoort::Regulier,
        &[Vraagverheldering, Vraagduiding, Afgesloten],
    )
    .unwrap();
    assert_eq!(
        route.go_to(Garantieperiode, "x", at(9), "klaar"),
        Err(InvalidTransition::NoWarrantyWithoutToewijzing)
    );
    assert_eq!(route.fase(), Afgesloten);
}

#[test]
fn the_crisis_route_starts_with_the_beschikking() {
    use Fase::*;
    // Rule: the help first, then the assessment up to the plan, then uitvoering.
    assert!(
        walk(
            Routesoort::Crisis,
            &[
                Beschikking,
                Toewijzing,
                Vraagverheldering,
                Vraagduiding,
                Plan,
                Uitvoering
            ]
        )
        .is_ok()
    );
    // A crisis melding may also be taken up the regular way.
    assert!(
        walk(
            Routesoort::Crisis,
            &[
                Vraagverheldering,
                Vraagduiding,
                Plan,
                Bemiddeling,
                MatchEnIntake
            ]
        )
        .is_ok()
    );
    let err = walk(Routesoort::Regulier, &[Beschikking]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "van Melding kan de route niet naar Beschikking; wel naar: Vraagverheldering, Uitvoering, Afgesloten"
    );
    // Under the warranty a regular melding goes straight back to the help.
    assert!(walk(Routesoort::Regulier, &[Uitvoering, Evaluatie, Afgesloten]).is_ok());
}

#[test]
fn a_step_needs_an_actor_a_reason_and_time_moving_forward() {
    let mut route = Clientroute::new(Routesoort::Regulier);
    assert_eq!(
        route.go_to(Fase::Vraagverheldering, " ", at(1), "gesprek"),
        Err(InvalidTransition::NoActor(Fase::Vraagverheldering))
    );
    assert_eq!(
        route.go_to(Fase::Vraagverheldering, "a", at(1), ""),
        Err(InvalidTransition::NoReason(Fase::Vraagverheldering))
    );
    route
        .go_to(Fase::Vraagverheldering, "a", at(5), "gesprek")
        .unwrap();
    assert_eq!(
        route.go_to(Fase::Vraagduiding, "a", at(4), "analyse"),
        Err(InvalidTransition::BeforePrevious {
            to: Fase::Vraagduiding
        })
    );
    assert!(route.history().len() == 1 && route.fase() == Fase::Vraagverheldering);
}

#[test]
fn a_stored_route_replays_and_a_tampered_one_is_refused() {
    let route = walk(
        Routesoort::Regulier,
        &[Fase::Vraagverheldering, Fase::Vraagduiding],
    )
    .unwrap();
    let replayed = Clientroute::replay(Routesoort::Regulier, route.history().to_vec()).unwrap();
    assert_eq!(replayed, route);
    let mut tampered = route.history().to_vec();
    tampered.remove(0);
    assert!(Clientroute::replay(Routesoort::Regulier, tampered).is_err());
    for fase in Fase::ALL {
        assert_eq!(fase.key().parse(), Ok(fase));
    }
}

proptest! {
    /// Whatever is attempted, the route only ever takes allowed steps: a refused
    /// step changes nothing, the history is a chain of allowed steps ending in the
    /// current phase, and a warranty period always follows a toewijzing.
    #[test]
    fn the_route_never_reaches_an_invalid_state(
        crisis in any::<bool>(),
        attempts in proptest::collection::vec(proptest::sample::select(Fase::ALL.to_vec()), 0..60)
    ) {
        let soort = if crisis { Routesoort::Crisis } else { Routesoort::Regulier };
        let mut route = Clientroute::new(soort);
        for (i, to) in attempts.into_iter().enumerate() {
            let before = route.clone();
            match route.go_to(to, "tester", at(i as u32), "poging") {
                Ok(()) => prop_assert_eq!(route.fase(), to),
                Err(_) => prop_assert_eq!(&route, &before),
            }
        }
        let mut current = Fase::Melding;
        for step in route.history() {
            prop_assert_eq!(step.from, current);
            prop_assert!(current.next(soort).contains(&step.to));
            current = step.to;
        }
        prop_assert_eq!(current, route.fase());
        if route.history().iter().any(|t| t.to == Fase::Garantieperiode) {
            prop_assert!(route.had_toewijzing());
        }
    }
}

// ----------------------------------------------------------------- deadlines

#[test]
fn the_intake_is_flagged_at_three_weeks_and_overdue_after_four() {
    let deadline = IntakeDeadline::after_match(date("2026-03-02"));
    assert_eq!(
        (deadline.signal, deadline.due),
        (date("2026-03-23"), date("2026-03-30"))
    );
    assert_eq!(deadline.status(date("2026-03-22")), DeadlineStatus::OnTime);
    assert_eq!(deadline.status(date("2026-03-23")), DeadlineStatus::Signal);
    assert_eq!(deadline.status(date("2026-03-30")), DeadlineStatus::Signal);
    assert_eq!(deadline.status(date("2026-03-31")), DeadlineStatus::Overdue);
}

#[test]
fn a_case_waits_for_its_intake_from_the_match_until_the_help_starts() {
    let matched = Some(date("2026-03-02"));
    let status =
        |fase, today: &str| IntakeDeadline::awaited(fase, matched).map(|d| d.status(date(today)));
    assert_eq!(
        status(Fase::Beschikking, "2026-03-10"),
        Some(DeadlineStatus::OnTime)
    );
    assert_eq!(
        status(Fase::Toewijzing, "2026-03-23"),
        Some(DeadlineStatus::Signal)
    );
    assert_eq!(
        status(Fase::MatchEnIntake, "2026-03-31"),
        Some(DeadlineStatus::Overdue)
    );
    assert_eq!(
        status(Fase::Uitvoering, "2026-03-31"),
        None,
        "the help has started"
    );
    assert_eq!(
        status(Fase::Bemiddeling, "2026-03-31"),
        None,
        "no match yet"
    );
    assert_eq!(IntakeDeadline::awaited(Fase::Beschikking, None), None);
}

proptest! {
    /// The worklist asks its database for the cases matched by a day instead of
    /// flagging each one: the day must pick out exactly the flagged ones.
    #[test]
    fn the_last_flagged_match_day_picks_out_exactly_the_flagged_deadlines(
        today in 0u32..5000,
        matched in 0u32..5000,
    ) {
        let start = date("2020-01-01");
        let today = start + chrono::Days::new(u64::from(today));
        let matched = start + chrono::Days::new(u64::from(matched));
        let flagged = IntakeDeadline::after_match(matched).status(today) != DeadlineStatus::OnTime;
        prop_assert_eq!(flagged, matched <= IntakeDeadline::flagged_if_matched_by(today));
    }
}

#[test]
fn an_arrangement_code_reads_back_to_its_arrangement_and_intensity() {
    let code = Productcode::parse("50H22").unwrap();
    let (arrangement, intensiteit) = CATALOGUE.meaning(&code).unwrap();
    assert_eq!((arrangement.number, intensiteit), (2, Intensiteit::Midden));
    assert_eq!(
        CATALOGUE.meaning(&Productcode::parse("50H99").unwrap()),
        None
    );
}

#[test]
fn dutch_public_holidays_follow_the_algemene_termijnenwet() {
    let list = |year| {
        public_holidays(year)
            .iter()
            .map(|(d, n)| format!("{} {n}", d.format("%d-%m")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    expect!["01-01 Nieuwjaarsdag, 06-04 Tweede Paasdag, 27-04 Koningsdag, 05-05 Bevrijdingsdag, 14-05 Hemelvaartsdag, 25-05 Tweede Pinksterdag, 25-12 Eerste Kerstdag, 26-12 Tweede Kerstdag"]
        .assert_eq(&list(2026));
    // 27 April 2025 was a Sunday: Koningsdag moved to Saturday the 26th.
    assert!(list(2025).contains("26-04 Koningsdag"));
    for (year, easter_day) in [
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2038, "2038-04-25"),
    ] {
        assert_eq!(easter(year), Some(date(easter_day)));
    }
}

#[test]
fn ijw_answer_deadlines_count_working_days() {
    // Thursday 2 April 2026 + 3 working days: Fri 3, (weekend, Easter Monday 6), Tue 7, Wed 8.
    assert_eq!(
        AnswerDeadline::Retour.due(date("2026-04-02")),
        date("2026-04-08")
    );
    // Friday 24 April + 5: Mon 27 is Koningsdag, Tue 5 May is Bevrijdingsdag.
    assert_eq!(
        AnswerDeadline::AnswerToRequest.due(date("2026-04-24")),
        date("2026-05-04")
    );
    assert_eq!(
        AnswerDeadline::Declaratieantwoord.due(date("2026-12-18")),
        date("2027-01-05")
    );
    assert!(!is_working_day(date("2026-12-26")) && is_working_day(date("2026-12-28")));
}

#[test]
fn a_date_moves_to_the_nearest_working_day_in_the_direction_asked() {
    // Saturday 4 April 2026: Sunday is Easter, Monday 6 April Tweede Paasdag.
    assert_eq!(
        working_day_on_or_after(date("2026-04-04")),
        date("2026-04-07")
    );
    assert_eq!(
        working_day_on_or_before(date("2026-04-06")),
        date("2026-04-03")
    );
    // A working day stays where it is (Goede Vrijdag is no holiday of the Atw).
    assert_eq!(
        working_day_on_or_after(date("2026-04-03")),
        date("2026-04-03")
    );
    assert_eq!(
        working_day_on_or_before(date("2026-12-24")),
        date("2026-12-24")
    );
    // Christmas on Friday and Saturday: on to Monday the 28th.
    assert_eq!(
        working_day_on_or_after(date("2026-12-25")),
        date("2026-12-28")
    );
}

fn check_proposal(today: &str, expected: Expect) {
    let p = MatchProposal::on(date(today));
    let show = |d: NaiveDate| format!("{} {}", d.format("%a"), short_date(d));
    expected.assert_eq(&format!(
        "match {}, intake {}, start {}",
        show(p.match_date),
        show(p.intake_date),
        show(p.start_date)
    ));
}

#[test]
fn the_match_form_proposes_working_days_within_the_intake_deadline() {
    // An ordinary Wednesday: match today, intake and start two weeks later.
    check_proposal(
        "2026-11-25",
        expect!["match Wed 25-11-2026, intake Wed 09-12-2026, start Wed 09-12-2026"],
    );
    // A Sunday: the match moves to Monday.
    check_proposal(
        "2026-11-29",
        expect!["match Mon 30-11-2026, intake Mon 14-12-2026, start Mon 14-12-2026"],
    );
    // Easter weekend: the match on Tuesday after Tweede Paasdag.
    check_proposal(
        "2026-04-04",
        expect!["match Tue 07-04-2026, intake Tue 21-04-2026, start Tue 21-04-2026"],
    );
    // Two weeks after the match is Koningsdag: the intake moves to the 28th.
    check_proposal(
        "2026-04-13",
        expect!["match Mon 13-04-2026, intake Tue 28-04-2026, start Tue 28-04-2026"],
    );
    // Two weeks after the match is Eerste Kerstdag.
    check_proposal(
        "2026-12-11",
        expect!["match Fri 11-12-2026, intake Mon 28-12-2026, start Mon 28-12-2026"],
    );
}

proptest! {
    #[test]
    fn every_proposed_date_is_a_working_day_within_the_deadline(days in 0u64..(366 * 12)) {
        let today = date("2024-01-01") + chrono::Days::new(days);
        let p = MatchProposal::on(today);
        let deadline = IntakeDeadline::after_match(p.match_date);
        prop_assert!(is_working_day(p.match_date) && p.match_date >= today);
        prop_assert!(is_working_day(p.intake_date) && is_working_day(p.start_date));
        prop_assert!(p.match_date <= p.intake_date && p.intake_date <= deadline.due);
        prop_assert!(p.intake_date <= p.start_date);
        // Never more than a long weekend away from today.
        prop_assert!(p.match_date <= today + chrono::Days::new(4));
    }
}

#[test]
fn a_waiting_time_beyond_the_intake_deadline_is_a_warning() {
    let warning = |weken| WachttijdWarning::for_wachttijd(weken).map(|w| w.message());
    assert_eq!(warning(None), None, "no waiting time reported");
    assert_eq!(warning(Some(3)), None);
    assert_eq!(warning(Some(4)), None, "four weeks fits the deadline");
    expect!["Wachttijd 5 weken: langer dan de intaketermijn van 4 weken. Overleg met de aanbieder of kies een andere."]
        .assert_eq(&warning(Some(5)).unwrap());
    assert_eq!(
        WachttijdWarning::for_wachttijd(Some(9)),
        Some(WachttijdWarning {
            wachttijd_weken: 9,
            intake_weken: IntakeDeadline::WEEKS
        })
    );
}

// ------------------------------------------------------------------ warranty

#[test]
fn a_new_request_within_four_months_goes_back_to_the_same_hoofdaannemer() {
    let ended = |agb: &str, end: &str| EndedToewijzing {
        hoofdaannemer: AgbCode::parse(agb).unwrap(),
        einddatum: date(end),
    };
    let history = [
        ended("98990011", "2026-01-31"),
        ended("98990022", "2026-03-15"),
    ];
    let garantie = warranty(&history, date("2026-07-15")).unwrap();
    assert_eq!(
        (garantie.hoofdaannemer.as_str(), garantie.until),
        ("98990022", date("2026-07-15"))
    );
    assert_eq!(
        warranty(&history, date("2026-07-16")),
        None,
        "four months and a day is too late"
    );
    assert_eq!(
        warranty(&history, date("2026-03-15"))
            .unwrap()
            .hoofdaannemer
            .as_str(),
        "98990011",
        "not on its own end day"
    );
    assert_eq!(warranty(&[], date("2026-03-15")), None);
}

// ---------------------------------------------------------------- woonplaats

#[test]
fn the_woonplaats_follows_the_brp_address_and_before_a_stay_the_address_before_it() {
    let period = |code: &str, from: &str, until: Option<&str>| Adresperiode {
        gemeente: Gemeentecode::parse(code).unwrap(),
        from: date(from),
        until: until.map(date),
    };
    let addresses = [
        period("0307", "2015-01-01", Some("2025-06-01")),
        period("0342", "2025-06-01", None),
    ];
    let at = |day: &str, stay: Option<&Verblijf>| {
        let w = woonplaats(&addresses, stay, date(day));
        format!(
            "{} | {}",
            w.gemeente.map_or("-".to_owned(), |g| g.to_string()),
            w.reason.text
        )
    };
    expect!["0342 | Het BRP-adres op 01-06-2025 ligt in gemeente 0342."]
        .assert_eq(&at("2025-06-01", None));
    expect!["0307 | Het BRP-adres op 31-05-2025 ligt in gemeente 0307."]
        .assert_eq(&at("2025-05-31", None));
    let stay = Verblijf {
        from: date("2025-06-01"),
        until: None,
    };
    expect!["0307 | De jeugdige verblijft sinds 01-06-2025; verantwoordelijk is de gemeente van het BRP-adres vlak daarvoor: 0307."]
        .assert_eq(&at("2026-01-10", Some(&stay)));
    expect!["- | Er is geen BRP-adres bekend op 01-01-2010."].assert_eq(&at("2010-01-01", None));
}

// ---------------------------------------------------------------- toewijzing

fn check_wijziging(wijziging: Wijziging, verwijderd: bool, expected: Expect) {
    let periode = Toewijzingsperiode {
        ingangsdatum: date("2026-03-01"),
        einddatum: date("2026-12-31"),
        verwijderd,
        beschikking_tot: date("2027-02-28"),
    };
    let actual = match periode.wijzig(wijziging) {
        Ok((einddatum, reden)) => format!("{einddatum} reden {}", reden.code()),
        Err(e) => e.to_string(),
    };
    expected.assert_eq(&actual);
}

#[test]
fn an_allocation_is_shortened_removed_or_corrected_in_place_never_lengthened() {
    let intrekken = |einddatum: &str, reden| Wijziging::Intrekken {
        einddatum: date(einddatum),
        reden,
    };
    let verkorting = RedenWijziging::HerbeoordelingVerkorting;
    check_wijziging(
        intrekken("2026-09-30", verkorting),
        false,
        expect!["2026-09-30 reden 05"],
    );
    check_wijziging(
        intrekken("2026-03-01", RedenWijziging::Verhuizing),
        false,
        expect!["2026-03-01 reden 07"],
    );
    check_wijziging(
        intrekken("2026-12-31", verkorting),
        false,
        expect![
            "einddatum: Kies bij intrekken een einddatum vóór de huidige einddatum (31 december 2026). Langer helpen kan alleen met een nieuwe beschikking."
        ],
    );
    check_wijziging(
        intrekken("2026-02-28", verkorting),
        false,
        expect!["einddatum: De einddatum ligt vóór de ingangsdatum (1 maart 2026)."],
    );
    check_wijziging(
        intrekken("2026-09-30", RedenWijziging::Verwijderd),
        false,
        expect!["reden: Kies een reden voor het intrekken."],
    );
    check_wijziging(
        Wijziging::Verwijderen,
        false,
        expect!["2026-03-01 reden 13"],
    );
    check_wijziging(
        Wijziging::Correctie {
            einddatum: date("2027-02-28"),
        },
        false,
        expect!["2027-02-28 reden 14"],
    );
    check_wijziging(
        Wijziging::Correctie {
            einddatum: date("2027-03-01"),
        },
        false,
        expect![
            "einddatum: De einddatum valt na het einde van de beschikking (28 februari 2027). Langer helpen kan alleen met een nieuwe beschikking."
        ],
    );
    check_wijziging(
        Wijziging::Verwijderen,
        true,
        expect!["soort: Deze toewijzing is verwijderd en kan niet meer worden gewijzigd."],
    );
    let codes: Vec<&str> = RedenWijziging::INTREKKEN.iter().map(|r| r.code()).collect();
    assert_eq!(codes, ["05", "02", "06", "07", "09"]);
}

#[test]
fn the_region_products_for_segment_3_and_crisis_are_catalogue_data() {
    let c = &*CATALOGUE;
    let codes: Vec<&str> = c
        .segment3_producten()
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(codes, ["43S01", "45S01", "41S01"]);
    let crisis = c.crisis().unwrap();
    assert_eq!(
        (crisis.product.code.as_str(), crisis.beoordeling_dagen),
        ("46C01", 28)
    );
    let code = |t: &str| Productcode::parse(t).unwrap();
    assert_eq!(c.categorie_van(&code("45S01")).as_str(), "45");
    assert_eq!(c.categorie_van(&code("46C01")).as_str(), "46");
    assert_eq!(c.categorie_van(&code("50H22")).as_str(), "50");
    assert_eq!(c.tariff_cents(&code("43S01")), Some(2_850_000));
    // Text a letter or message could not carry is refused by its field.
    let control = DEFAULT_CATALOGUE.replacen(
        "name = \"Crisishulp jeugd\"",
        "name = \"Crisis\\u0000hulp\"",
        1,
    );
    let err = catalogue_from(&control).unwrap_err();
    assert!(
        err.to_string()
            .contains("crisis.name: Dit veld bevat een onzichtbaar stuurteken"),
        "{err}"
    );
    // A region product may not reuse a code of the matrix.
    let twice = DEFAULT_CATALOGUE.replacen("code = \"45S01\"", "code = \"50H22\"", 1);
    let err = catalogue_from(&twice).unwrap_err();
    assert!(
        err.to_string()
            .contains("50H22: deze productcode staat er twee keer in"),
        "{err}"
    );
}

#[test]
fn the_assessment_after_crisis_help_is_due_within_the_catalogue_days() {
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let d = BeoordelingDeadline::after_start(start, 28);
    assert_eq!(d.due, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    assert_eq!(d.signal, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    assert_eq!(
        d.status(d.signal.pred_opt().unwrap()),
        DeadlineStatus::OnTime
    );
    assert_eq!(d.status(d.signal), DeadlineStatus::Signal);
    assert_eq!(d.status(d.due), DeadlineStatus::Signal);
    assert_eq!(d.status(d.due.succ_opt().unwrap()), DeadlineStatus::Overdue);
    assert!(BeoordelingDeadline::awaited(Fase::Plan));
    assert!(!BeoordelingDeadline::awaited(Fase::Uitvoering));
}

/// A wait from its toewijzing's day to its start, both as yyyy-mm-dd.
fn wacht(begin: &str, einde: &str) -> Wacht {
    Wacht {
        begin: date(begin),
        einde: date(einde),
    }
}

#[test]
fn a_measured_waiting_time_is_the_median_and_80th_percentile_by_nearest_rank() {
    let today = date("2026-11-30");
    // Five waits of 7, 3, 20, 1 and 10 days: sorted 1 3 7 10 20. The median is
    // the 3rd (rank ⌈5 × 0.5⌉), the 80th percentile the 4th (rank ⌈5 × 0.8⌉).
    let waits = [
        wacht("2026-11-01", "2026-11-08"),
        wacht("2026-10-01", "2026-10-04"),
        wacht("2026-09-10", "2026-09-30"),
        wacht("2026-11-28", "2026-11-29"),
        wacht("2026-11-10", "2026-11-20"),
    ];
    assert_eq!(
        GemetenWachttijd::meet(&waits, today),
        Some(GemetenWachttijd {
            mediaan_dagen: 7,
            p80_dagen: 10,
            aantal: 5,
        })
    );
    // Of four (2 4 6 8), the median is the lower middle one and the 80th
    // percentile the last (rank ⌈3.2⌉ = 4).
    let waits = [
        wacht("2026-11-01", "2026-11-09"),
        wacht("2026-11-01", "2026-11-03"),
        wacht("2026-11-01", "2026-11-07"),
        wacht("2026-11-01", "2026-11-05"),
    ];
    assert_eq!(
        GemetenWachttijd::meet(&waits, today),
        Some(GemetenWachttijd {
            mediaan_dagen: 4,
            p80_dagen: 8,
            aantal: 4,
        })
    );
    assert_eq!(GemetenWachttijd::meet(&[], today), None);
}

#[test]
fn a_measured_waiting_time_counts_the_starts_of_the_last_90_days_only() {
    let today = date("2026-11-30");
    assert_eq!(GemetenWachttijd::vanaf(today), date("2026-09-02"));
    let measured = |waits: &[Wacht]| GemetenWachttijd::meet(waits, today);
    let first_day = wacht("2026-08-01", "2026-09-02");
    assert_eq!(measured(&[first_day]).map(|m| m.mediaan_dagen), Some(32));
    // The day before the window, and a start reported for a day still to come.
    assert_eq!(measured(&[wacht("2026-08-01", "2026-09-01")]), None);
    assert_eq!(measured(&[wacht("2026-11-20", "2026-12-01")]), None);
    // Care that started before its toewijzing was sent waited no days.
    assert_eq!(
        measured(&[wacht("2026-11-20", "2026-11-10")]).map(|m| m.p80_dagen),
        Some(0)
    );
}

#[test]
fn a_measured_waiting_time_reads_as_plain_dutch() {
    let gemeten = |mediaan_dagen, p80_dagen, aantal| {
        GemetenWachttijd {
            mediaan_dagen,
            p80_dagen,
            aantal,
        }
        .omschrijving()
    };
    expect!["gemeten: de helft begon binnen 7 dagen, 4 op de 5 binnen 10 dagen (5 starts in de laatste 90 dagen)"]
        .assert_eq(&gemeten(7, 10, 5));
    expect!["gemeten: de helft begon binnen 1 dag, 4 op de 5 binnen 1 dag (1 start in de laatste 90 dagen)"]
        .assert_eq(&gemeten(1, 1, 1));
    let intake = GemetenWachttijd {
        mediaan_dagen: 12,
        p80_dagen: 20,
        aantal: 1,
    };
    expect!["gemeten: de helft had de intake binnen 12 dagen, 4 op de 5 binnen 20 dagen (1 intake in de laatste 90 dagen)"]
        .assert_eq(&intake.omschrijving_intake());
}
