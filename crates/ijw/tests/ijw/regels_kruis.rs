//! The rules across messages (technische-regels/berichtoverstijgend): each against a History, with its own retour code.
//!
//! Every rule has a test that breaks exactly that rule — one of our own example
//! messages (`ijw::voorbeeld`) against a History — and a neighbouring case that
//! passes, so the test fails if the rule goes silent or over-eager.

use std::fmt::Debug;
use std::str::FromStr;

use ijw::types::{jw301, jw305, jw307, jw317, jw319, jw323, jw325};
use ijw::{
    Bericht, Berichtsoort, History, KnownAllocation, KnownDeclaratie, KnownDelivery,
    KnownPrestatie, KnownRequest, PrestatieStatus,
};

use super::retour_id;

const BSN: &str = "999990019";

/// A value from its text: a date, a code of a code list.
fn v<T: FromStr>(text: &str) -> T
where
    T::Err: Debug,
{
    text.parse().unwrap()
}

/// The allocation our examples are about: 20260001 for Sam, 45A53, 3 hours a
/// week from 1 November 2026 to 8 May 2027.
pub(crate) fn allocated() -> KnownAllocation {
    KnownAllocation {
        bsn: BSN.into(),
        toewijzing_nummer: 20_260_001,
        categorie: "45".into(),
        code: Some("45A53".into()),
        eenheid: Some("04".into()),
        volume: Some(3),
        frequentie: Some("2".into()),
        ingangsdatum: v("2026-11-01"),
        einddatum: Some(v("2027-05-08")),
        ..KnownAllocation::default()
    }
}

/// The start of our JW305 example: 20260001, 45A53, from 9 November 2026.
pub(crate) fn delivered() -> KnownDelivery {
    KnownDelivery {
        bsn: BSN.into(),
        toewijzing_nummer: Some(20_260_001),
        categorie: Some("45".into()),
        code: Some("45A53".into()),
        begindatum: v("2026-11-09"),
        ..KnownDelivery::default()
    }
}

/// A stop of that start.
fn stopped(reden: &str, einddatum: &str) -> KnownDelivery {
    KnownDelivery {
        reden_beeindiging: Some(reden.into()),
        einddatum: Some(v(einddatum)),
        ..delivered()
    }
}

/// The prestatie of our JW323 example as it was declared, approved.
fn declared_prestatie() -> KnownPrestatie {
    KnownPrestatie {
        bsn: BSN.into(),
        referentie_nummer: "P2026110001".into(),
        vorig_referentie_nummer: None,
        toewijzing_nummer: 20_260_001,
        product_categorie: "45".into(),
        product_code: "45A53".into(),
        begindatum: v("2026-11-01"),
        einddatum: v("2026-11-30"),
        geleverd_volume: 12,
        eenheid: "04".into(),
        product_tarief: Some(6250),
        bedrag: 75_000,
        credit: false,
        status: PrestatieStatus::Goedgekeurd,
    }
}

/// Our JW323 example as it was sent.
fn declared() -> KnownDeclaratie {
    KnownDeclaratie {
        identificatie: "JR2026110001".into(),
        dagtekening: v("2026-12-04"),
        declaratie_nummer: "D2026110001".into(),
        begindatum: v("2026-11-01"),
        einddatum: v("2026-11-30"),
        basisschema_xsd_versie: "1.0.0".into(),
        bericht_xsd_versie: "1.0.0".into(),
    }
}

/// The request our JW319 example answers, still open.
fn request() -> KnownRequest {
    KnownRequest {
        bsn: BSN.into(),
        referentie_aanbieder: "VOT-2026-0001".into(),
        ..KnownRequest::default()
    }
}

/// A History holding these allocations.
fn with(allocations: Vec<KnownAllocation>) -> History {
    History {
        allocations,
        ..History::default()
    }
}

/// `(code, rule, element)` of each finding of `soort`'s example against `history`.
fn against(soort: Berichtsoort, history: &History) -> Vec<(String, String, String)> {
    ijw::check_against(&ijw::voorbeeld(soort), history)
        .into_iter()
        .map(|f| (f.code.unwrap_or_default().to_owned(), f.rule, f.element))
        .collect()
}

fn codes(findings: &[(String, String, String)]) -> Vec<&str> {
    findings.iter().map(|(c, _, _)| c.as_str()).collect()
}

/// `bericht` against `history` breaks exactly `rule`, answered with `code`, on
/// `element`, with a Dutch message.
#[track_caller]
fn breaks(rule: &str, code: Option<&str>, element: &str, bericht: &Bericht, history: &History) {
    let findings = ijw::check_against(bericht, history);
    let found: Vec<(Option<&str>, &str, &str)> = findings
        .iter()
        .map(|f| (f.code, f.rule.as_str(), f.element.as_str()))
        .collect();
    assert_eq!(found, [(code, rule, element)], "{findings:#?}");
    assert!(!findings[0].message.is_empty());
}

/// `bericht` against `history` breaks no rule across messages.
#[track_caller]
fn passes(bericht: &Bericht, history: &History) {
    let findings = ijw::check_against(bericht, history);
    assert!(findings.is_empty(), "{findings:#?}");
}

fn jw301(edit: impl FnOnce(&mut jw301::ToegewezenProduct)) -> Bericht {
    let Bericht::Jw301(mut b) = ijw::voorbeeld(Berichtsoort::Jw301) else {
        panic!("JW301")
    };
    edit(&mut b.client.toegewezen_producten.toegewezen_product[0]);
    Bericht::Jw301(b)
}

fn jw305(edit: impl FnOnce(&mut jw305::StartProduct)) -> Bericht {
    let Bericht::Jw305(mut b) = ijw::voorbeeld(Berichtsoort::Jw305) else {
        panic!("JW305")
    };
    edit(&mut b.client.start_producten.start_product[0]);
    Bericht::Jw305(b)
}

/// Our JW307 example: 20260001 stopped "volgens plan" (31) on 30 November 2026.
fn jw307(edit: impl FnOnce(&mut jw307::StopProduct)) -> Bericht {
    let Bericht::Jw307(mut b) = ijw::voorbeeld(Berichtsoort::Jw307) else {
        panic!("JW307")
    };
    edit(&mut b.client.stop_producten.stop_product[0]);
    Bericht::Jw307(b)
}

/// A JW317 of 2 November 2026 that keeps allocation 20260001 as it is, as a
/// product to change; `edit` makes it what a test needs.
fn jw317(edit: impl FnOnce(&mut jw317::Verzoek)) -> Bericht {
    let Bericht::Jw317(mut b) = ijw::voorbeeld(Berichtsoort::Jw317) else {
        panic!("JW317")
    };
    let verzoek = &mut b.client.verzoek;
    (verzoek.ongewijzigde_producten, verzoek.nieuwe_producten) = (None, None);
    edit(verzoek);
    Bericht::Jw317(b)
}

fn te_wijzigen(verzoek: &mut jw317::Verzoek) -> &mut jw317::TeWijzigenProduct {
    &mut verzoek
        .te_wijzigen_producten
        .as_mut()
        .unwrap()
        .te_wijzigen_product[0]
}

fn ongewijzigd(nummer: i64) -> Option<jw317::OngewijzigdeProducten> {
    Some(jw317::OngewijzigdeProducten {
        ongewijzigd_product: vec![jw317::OngewijzigdProduct {
            toewijzing_nummer: nummer,
        }],
    })
}

/// A new product 45A54 from 1 December 2026 for the JW317.
fn nieuw(code: &str) -> Option<jw317::NieuweProducten> {
    let Bericht::Jw317(b) = ijw::voorbeeld(Berichtsoort::Jw317) else {
        panic!("JW317")
    };
    let mut nieuwe = b.client.verzoek.nieuwe_producten.unwrap();
    let product = &mut nieuwe.nieuw_product[0];
    product.product.as_mut().unwrap().code = Some(code.into());
    product.gewenste_ingangsdatum = v("2026-12-01");
    nieuwe.into()
}

/// Our JW319 example: "in onderzoek" (2) on VOT-2026-0001.
fn jw319(edit: impl FnOnce(&mut jw319::Antwoord)) -> Bericht {
    let Bericht::Jw319(mut b) = ijw::voorbeeld(Berichtsoort::Jw319) else {
        panic!("JW319")
    };
    edit(&mut b.antwoord);
    Bericht::Jw319(b)
}

fn jw323(edit: impl FnOnce(&mut jw323::Declaratie)) -> Bericht {
    let Bericht::Jw323(mut b) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!("JW323")
    };
    edit(&mut b.declaratie);
    Bericht::Jw323(b)
}

/// Our JW323 example with its one prestatie (12 hours in November 2026 on
/// 20260001, € 750,00) edited.
fn prestatie(edit: impl FnOnce(&mut jw323::Prestatie)) -> Bericht {
    jw323(|d| edit(&mut d.clienten.client[0].prestaties.prestatie[0]))
}

/// The prestatie as a credit of `vorig`, under a new ReferentieNummer.
fn credit(p: &mut jw323::Prestatie, vorig: &str) {
    p.product_referentie.referentie_nummer = "P2026110002".into();
    p.product_referentie.vorig_referentie_nummer = Some(vorig.into());
    p.ingediend_bedrag.debet_credit = v("C");
}

/// The answer to our JW323 example that rejects its one prestatie (TR338), so
/// that it lists the prestatie, edited.
fn jw325(edit: impl FnOnce(&mut jw325::Bericht)) -> Bericht {
    let rejected = ijw::Finding {
        code: Some("9338"),
        rule: "TR338".into(),
        element: "Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie".into(),
        line: 0,
        message: String::new(),
    };
    let id = ijw::RetourId {
        identificatie: "JR2026120001",
        dagtekening: v("2026-12-08"),
    };
    let declaratie = ijw::voorbeeld(Berichtsoort::Jw323);
    let Ok(Bericht::Jw325(mut b)) = ijw::retour(&declaratie, &[rejected], id) else {
        panic!("JW325")
    };
    edit(&mut b);
    Bericht::Jw325(b)
}

/// The History of a provider that sent our JW323 example and gets its answer.
fn provider_declared() -> History {
    History {
        declaraties: vec![declared()],
        prestaties: vec![declared_prestatie()],
        ..History::default()
    }
}

const START: &str = "Bericht/Client/StartProducten/StartProduct";
const STOP: &str = "Bericht/Client/StopProducten/StopProduct";
const PRODUCT: &str = "Bericht/Client/ToegewezenProducten/ToegewezenProduct";
const VERZOEK: &str = "Bericht/Client/Verzoek";
const TE_WIJZIGEN: &str = "Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct";
const PRESTATIE: &str = "Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie";
const ANTWOORD_PRESTATIE: &str = "Bericht/DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie";

#[test]
fn starts_and_stops_follow_their_allocation_and_each_other() {
    use Berichtsoort::{Jw305, Jw307};
    let fine = History {
        allocations: vec![allocated()],
        ..Default::default()
    };
    assert!(
        against(Jw305, &fine).is_empty(),
        "a first start of a known allocation"
    );
    assert_eq!(
        against(Jw305, &History::default())[0],
        (
            "9019".into(),
            "TR019".into(),
            "Bericht/Client/StartProducten/StartProduct".into()
        )
    );
    let started = History {
        starts: vec![delivered()],
        ..fine.clone()
    };
    assert_eq!(
        codes(&against(Jw305, &started)),
        ["9074"],
        "the same start twice"
    );
    let earlier = KnownDelivery {
        begindatum: "2026-10-01".parse().unwrap(),
        ..delivered()
    };
    let running = History {
        starts: vec![earlier.clone()],
        ..fine.clone()
    };
    assert_eq!(
        codes(&against(Jw305, &running)),
        ["9326"],
        "an earlier delivery is still running"
    );
    let ended = History {
        starts: vec![earlier.clone()],
        stops: vec![earlier],
        ..fine.clone()
    };
    assert!(
        against(Jw305, &ended).is_empty(),
        "after its stop a new start is fine"
    );

    assert_eq!(
        codes(&against(Jw307, &fine)),
        ["9069"],
        "a stop without its start"
    );
    assert!(
        against(Jw307, &started).is_empty(),
        "a stop of a known start"
    );
    let stopped = History {
        stops: vec![stopped("31", "2026-11-30")],
        ..started
    };
    assert_eq!(
        codes(&against(Jw307, &stopped)),
        ["9074"],
        "the same stop twice"
    );
}

#[test]
fn identifications_requests_and_allocation_numbers_are_unique() {
    let used = History {
        identificaties: vec!["JR2026110001".into()],
        ..Default::default()
    };
    let header = against(Berichtsoort::Jw301, &used);
    assert_eq!(
        header[0],
        ("9056".into(), "TR056".into(), "Bericht/Header".into())
    );
    let other_client = KnownAllocation {
        bsn: "999990020".into(),
        ..allocated()
    };
    let taken = History {
        allocations: vec![other_client],
        ..Default::default()
    };
    assert_eq!(codes(&against(Berichtsoort::Jw301, &taken)), ["9332"]);
    let open = History {
        open_requests: vec!["999990019".into()],
        referenties_aanbieder: vec!["VOT-2026-0001".into()],
        ..Default::default()
    };
    assert_eq!(
        codes(&against(Berichtsoort::Jw315, &open)),
        ["9374", "9347"]
    );
}

#[test]
fn declarations_are_checked_against_their_allocation() {
    use Berichtsoort::Jw323;
    let fine = History {
        allocations: vec![allocated()],
        ..Default::default()
    };
    assert!(
        against(Jw323, &fine).is_empty(),
        "12 hours in November at € 62,50 on a known allocation"
    );
    assert_eq!(codes(&against(Jw323, &History::default())), ["9338"]);
    let other = |a: KnownAllocation| History {
        allocations: vec![a],
        ..Default::default()
    };
    assert_eq!(
        codes(&against(
            Jw323,
            &other(KnownAllocation {
                categorie: "43".into(),
                ..allocated()
            })
        )),
        ["9339"]
    );
    assert_eq!(
        codes(&against(
            Jw323,
            &other(KnownAllocation {
                code: Some("45A54".into()),
                ..allocated()
            })
        )),
        ["9340"]
    );
    assert_eq!(
        codes(&against(
            Jw323,
            &other(KnownAllocation {
                eenheid: Some("14".into()),
                ..allocated()
            })
        )),
        ["9341"]
    );
    assert_eq!(
        codes(&against(
            Jw323,
            &other(KnownAllocation {
                ingangsdatum: "2026-11-15".parse().unwrap(),
                ..allocated()
            })
        )),
        ["9307"]
    );
    assert_eq!(
        codes(&against(
            Jw323,
            &other(KnownAllocation {
                einddatum: Some("2026-11-20".parse().unwrap()),
                ..allocated()
            })
        )),
        ["9308"]
    );
    let declared = History {
        prestatie_referenties: vec!["P2026110001".into()],
        declaratienummers: vec!["D2026110001".into()],
        ..fine
    };
    assert_eq!(codes(&against(Jw323, &declared)), ["9333", "8021"]);

    let Bericht::Jw323(mut wrong_amount) = ijw::voorbeeld(Jw323) else {
        panic!("JW323")
    };
    wrong_amount.declaratie.clienten.client[0]
        .prestaties
        .prestatie[0]
        .ingediend_bedrag
        .bedrag = 80_000;
    let findings = ijw::check_against(&Bericht::Jw323(wrong_amount.clone()), &other(allocated()));
    assert_eq!(
        findings
            .iter()
            .map(|f| f.code.unwrap_or_default())
            .collect::<Vec<_>>(),
        ["9346"]
    );
    // The findings across messages make the JW325: the prestatie rejected with its code.
    let answer = ijw::retour(&Bericht::Jw323(wrong_amount), &findings, retour_id()).unwrap();
    assert!(ijw::encode(&answer).contains("<jw325:RetourCode>9346</jw325:RetourCode>"));
}

// --- One test per rule: a message that breaks exactly that rule, and one that passes.

#[test]
fn tr019_a_start_or_stop_belongs_to_an_allocation_of_the_client() {
    let fine = with(vec![allocated()]);
    breaks(
        "TR019",
        Some("9019"),
        START,
        &jw305(|_| {}),
        &History::default(),
    );
    passes(&jw305(|_| {}), &fine);
    let other_client = with(vec![KnownAllocation {
        bsn: "999990020".into(),
        ..allocated()
    }]);
    breaks("TR019", Some("9019"), START, &jw305(|_| {}), &other_client);
    // Without a ToewijzingNummer: taakgericht care passes, but not on a
    // product the client has an allocation for.
    let taakgericht = |s: &mut jw305::StartProduct| s.toewijzing_nummer = None;
    breaks("TR019", Some("9019"), START, &jw305(taakgericht), &fine);
    passes(&jw305(taakgericht), &History::default());
    let started_only = History {
        starts: vec![delivered()],
        ..History::default()
    };
    breaks("TR019", Some("9019"), STOP, &jw307(|_| {}), &started_only);
    passes(
        &jw307(|_| {}),
        &History {
            allocations: vec![allocated()],
            ..started_only
        },
    );
}

#[test]
fn tr056_an_identificatie_is_used_once_per_sender_and_message_type() {
    // The JW319 answers a known request, so only the Identificatie is wrong.
    let used = History {
        identificaties: vec!["JR2026110001".into()],
        requests: vec![request()],
        ..History::default()
    };
    for soort in [Berichtsoort::Jw301, Berichtsoort::Jw319] {
        breaks(
            "TR056",
            Some("9056"),
            "Bericht/Header",
            &ijw::voorbeeld(soort),
            &used,
        );
    }
    let other = History {
        identificaties: vec!["JR2026100001".into()],
        ..History::default()
    };
    passes(&ijw::voorbeeld(Berichtsoort::Jw301), &other);
}

fn removal<T>(status: &mut T)
where
    T: FromStr,
    T::Err: Debug,
{
    *status = v("3");
}

#[test]
fn tr063_only_what_came_can_be_removed() {
    let fine = with(vec![allocated()]);
    let remove_start = jw305(|s| removal(&mut s.status_aanlevering));
    breaks("TR063", Some("9063"), START, &remove_start, &fine);
    let started = History {
        starts: vec![delivered()],
        ..fine
    };
    passes(&remove_start, &started);
    let remove_stop = jw307(|s| removal(&mut s.status_aanlevering));
    breaks("TR063", Some("9063"), STOP, &remove_stop, &started);
    // The stop's key holds RedenBeeindiging and Einddatum: another Einddatum is another stop.
    let other_stop = History {
        stops: vec![stopped("31", "2026-11-29")],
        ..started.clone()
    };
    breaks("TR063", Some("9063"), STOP, &remove_stop, &other_stop);
    let stopped = History {
        stops: vec![stopped("31", "2026-11-30")],
        ..started
    };
    passes(&remove_stop, &stopped);
}

#[test]
fn tr071_a_stopped_start_cannot_be_removed() {
    let remove_start = jw305(|s| removal(&mut s.status_aanlevering));
    let started = History {
        allocations: vec![allocated()],
        starts: vec![delivered()],
        ..History::default()
    };
    let stopped = History {
        stops: vec![stopped("31", "2026-11-30")],
        ..started.clone()
    };
    breaks("TR071", Some("9071"), START, &remove_start, &stopped);
    passes(&remove_start, &started);
}

#[test]
fn tr074_a_first_delivery_comes_once() {
    let started = History {
        allocations: vec![allocated()],
        starts: vec![delivered()],
        ..History::default()
    };
    breaks("TR074", Some("9074"), START, &jw305(|_| {}), &started);
    passes(&jw305(|_| {}), &with(vec![allocated()]));
    let stopped = History {
        stops: vec![stopped("31", "2026-11-30")],
        ..started.clone()
    };
    breaks("TR074", Some("9074"), STOP, &jw307(|_| {}), &stopped);
    passes(&jw307(|_| {}), &started);
}

#[test]
fn tr304_the_bsn_is_the_client_of_the_allocation_or_prestatie() {
    let other_client = with(vec![KnownAllocation {
        bsn: "999990020".into(),
        ..allocated()
    }]);
    breaks(
        "TR304",
        Some("8187"),
        PRESTATIE,
        &prestatie(|_| {}),
        &other_client,
    );
    passes(&prestatie(|_| {}), &with(vec![allocated()]));
    breaks(
        "TR304",
        Some("8187"),
        "Bericht/Client",
        &jw317(|_| {}),
        &other_client,
    );
    passes(&jw317(|_| {}), &with(vec![allocated()]));
    let mut answer = provider_declared();
    answer.prestaties[0].bsn = "999990020".into();
    breaks(
        "TR304",
        Some("8187"),
        ANTWOORD_PRESTATIE,
        &jw325(|_| {}),
        &answer,
    );
    passes(&jw325(|_| {}), &provider_declared());
}

#[test]
fn tr307_tr308_a_product_period_lies_within_the_allocation() {
    let starting = |date: &str| {
        with(vec![KnownAllocation {
            ingangsdatum: v(date),
            ..allocated()
        }])
    };
    breaks(
        "TR307",
        Some("9307"),
        PRESTATIE,
        &prestatie(|_| {}),
        &starting("2026-11-02"),
    );
    passes(&prestatie(|_| {}), &starting("2026-11-01"));
    let ending = |date: &str| {
        with(vec![KnownAllocation {
            einddatum: Some(v(date)),
            ..allocated()
        }])
    };
    breaks(
        "TR308",
        Some("9308"),
        PRESTATIE,
        &prestatie(|_| {}),
        &ending("2026-11-29"),
    );
    let november = |p: &mut jw323::Prestatie| p.product_periode.einddatum = v("2026-11-29");
    passes(&prestatie(november), &ending("2026-11-29"));
}

#[test]
fn tr314_a_prestatie_reference_is_used_once() {
    let fine = with(vec![allocated()]);
    let used = History {
        prestatie_referenties: vec!["P2026110001".into()],
        ..fine.clone()
    };
    breaks("TR314", Some("8021"), PRESTATIE, &prestatie(|_| {}), &used);
    passes(&prestatie(|_| {}), &fine);
    // Within one message as well: a second client with the same reference.
    let twice = jw323(|d| {
        let mut second = d.clienten.client[0].clone();
        second.bsn = "999990020".into();
        d.clienten.client.push(second);
    });
    let both = with(vec![
        allocated(),
        KnownAllocation {
            bsn: "999990020".into(),
            toewijzing_nummer: 20_260_001,
            ..allocated()
        },
    ]);
    let findings = ijw::check_against(&twice, &both);
    assert!(
        findings.iter().any(|f| f.rule == "TR314"
            && f.element == "Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie"),
        "{findings:#?}"
    );
}

#[test]
fn tr318_a_declaration_period_follows_the_previous_one() {
    let fine = with(vec![allocated()]);
    let november = History {
        declaraties: vec![KnownDeclaratie {
            declaratie_nummer: "D2026100001".into(),
            ..declared()
        }],
        ..fine.clone()
    };
    breaks(
        "TR318",
        Some("8214"),
        "Bericht/Declaratie",
        &jw323(|_| {}),
        &november,
    );
    let october = History {
        declaraties: vec![KnownDeclaratie {
            declaratie_nummer: "D2026100001".into(),
            begindatum: v("2026-10-01"),
            einddatum: v("2026-10-31"),
            ..declared()
        }],
        ..fine
    };
    passes(&jw323(|_| {}), &october);
}

#[test]
fn tr319_a_prestatie_lies_in_the_declaration_period_or_before() {
    let fine = with(vec![allocated()]);
    let october = jw323(|d| {
        d.declaratie_periode.begindatum = v("2026-10-01");
        d.declaratie_periode.einddatum = v("2026-10-31");
    });
    breaks("TR319", Some("9319"), PRESTATIE, &october, &fine);
    let december = jw323(|d| {
        d.declaratie_periode.begindatum = v("2026-12-01");
        d.declaratie_periode.einddatum = v("2026-12-31");
    });
    passes(&december, &fine);
}

#[test]
fn tr321_a_prestatie_fits_the_volume_of_its_period() {
    // One hour a week: November 2026 touches six calendar weeks, so six hours at most.
    let one_hour = |volume| {
        with(vec![KnownAllocation {
            volume: Some(volume),
            ..allocated()
        }])
    };
    breaks(
        "TR321",
        Some("9321"),
        PRESTATIE,
        &prestatie(|_| {}),
        &one_hour(1),
    );
    passes(
        &prestatie(|p| (p.geleverd_volume, p.ingediend_bedrag.bedrag) = (6, 37_500)),
        &one_hour(1),
    );
    // Minutes on an allocation in hours: six hours are 360 minutes.
    let minutes = |volume| {
        prestatie(move |p| {
            p.eenheid = v("01");
            p.geleverd_volume = volume;
            p.product_tarief = Some(100);
            p.ingediend_bedrag.bedrag = volume * 100;
        })
    };
    breaks(
        "TR321",
        Some("9321"),
        PRESTATIE,
        &minutes(361),
        &one_hour(1),
    );
    passes(&minutes(360), &one_hour(1));
}

#[test]
fn tr322_all_prestaties_together_fit_the_allocated_volume() {
    // 20 hours in total within the allocation's period.
    let total = |earlier| History {
        allocations: vec![KnownAllocation {
            volume: Some(20),
            frequentie: Some("6".into()),
            ..allocated()
        }],
        prestaties: vec![KnownPrestatie {
            referentie_nummer: "P2026100001".into(),
            begindatum: v("2026-10-01"),
            einddatum: v("2026-10-31"),
            geleverd_volume: earlier,
            ..declared_prestatie()
        }],
        ..History::default()
    };
    breaks(
        "TR322",
        Some("9322"),
        PRESTATIE,
        &prestatie(|_| {}),
        &total(9),
    );
    passes(&prestatie(|_| {}), &total(8));
    // A rejected prestatie counts as not sent.
    let mut rejected = total(9);
    rejected.prestaties[0].status = PrestatieStatus::Afgewezen;
    passes(&prestatie(|_| {}), &rejected);
}

#[test]
fn tr323_a_credit_follows_an_approved_debet() {
    let fine = with(vec![allocated()]);
    let credit_of_october = prestatie(|p| credit(p, "P2026100001"));
    breaks("TR323", Some("8017"), PRESTATIE, &credit_of_october, &fine);
    let october = KnownPrestatie {
        referentie_nummer: "P2026100001".into(),
        ..declared_prestatie()
    };
    let submitted = History {
        prestaties: vec![KnownPrestatie {
            status: PrestatieStatus::Ingediend,
            ..october.clone()
        }],
        ..fine.clone()
    };
    breaks(
        "TR323",
        Some("8017"),
        PRESTATIE,
        &credit_of_october,
        &submitted,
    );
    let approved = History {
        prestaties: vec![october],
        ..fine
    };
    passes(&credit_of_october, &approved);
}

#[test]
fn tr326_a_new_start_waits_for_the_stop_of_the_current_one() {
    let earlier = KnownDelivery {
        begindatum: v("2026-10-01"),
        ..delivered()
    };
    let running = History {
        allocations: vec![allocated()],
        starts: vec![earlier.clone()],
        ..History::default()
    };
    breaks("TR326", Some("9326"), START, &jw305(|_| {}), &running);
    let ended = History {
        stops: vec![KnownDelivery {
            reden_beeindiging: Some("20".into()),
            einddatum: Some(v("2026-10-31")),
            ..earlier
        }],
        ..running
    };
    passes(&jw305(|_| {}), &ended);
}

#[test]
fn tr332_an_allocation_number_names_one_client_and_one_product() {
    let other_client = with(vec![KnownAllocation {
        bsn: "999990020".into(),
        ..allocated()
    }]);
    breaks(
        "TR332",
        Some("9332"),
        PRODUCT,
        &jw301(|_| {}),
        &other_client,
    );
    let other_product = with(vec![KnownAllocation {
        code: Some("45A54".into()),
        ..allocated()
    }]);
    breaks(
        "TR332",
        Some("9332"),
        PRODUCT,
        &jw301(|_| {}),
        &other_product,
    );
    passes(&jw301(|_| {}), &with(vec![allocated()]));
}

#[test]
fn tr333_a_declaration_number_is_used_once() {
    let fine = with(vec![allocated()]);
    for used in [
        History {
            declaratienummers: vec!["D2026110001".into()],
            ..fine.clone()
        },
        History {
            declaraties: vec![KnownDeclaratie {
                begindatum: v("2026-10-01"),
                einddatum: v("2026-10-31"),
                ..declared()
            }],
            ..fine.clone()
        },
    ] {
        breaks(
            "TR333",
            Some("9333"),
            "Bericht/Declaratie",
            &jw323(|_| {}),
            &used,
        );
    }
    passes(&jw323(|_| {}), &fine);
}

#[test]
fn tr337_tr371_tr376_a_declaration_answer_names_the_declaration() {
    let other_id = History {
        declaraties: vec![KnownDeclaratie {
            identificatie: "JR2026109999".into(),
            ..declared()
        }],
        ..provider_declared()
    };
    breaks("TR337", None, "Bericht/Header", &jw325(|_| {}), &other_id);
    let other_schema = History {
        declaraties: vec![KnownDeclaratie {
            bericht_xsd_versie: "0.1.0".into(),
            ..declared()
        }],
        ..provider_declared()
    };
    breaks(
        "TR371",
        None,
        "Bericht/Header",
        &jw325(|_| {}),
        &other_schema,
    );
    let other_number = jw325(|b| {
        b.declaratie_antwoord.as_mut().unwrap().declaratie_nummer = "D2026119999".into();
    });
    breaks(
        "TR376",
        None,
        "Bericht/DeclaratieAntwoord",
        &other_number,
        &provider_declared(),
    );
    passes(&jw325(|_| {}), &provider_declared());
}

#[test]
fn tr338_to_tr341_a_prestatie_follows_its_allocation() {
    breaks(
        "TR338",
        Some("9338"),
        PRESTATIE,
        &prestatie(|_| {}),
        &History::default(),
    );
    let changed = |edit: fn(&mut KnownAllocation)| {
        let mut a = allocated();
        edit(&mut a);
        with(vec![a])
    };
    breaks(
        "TR339",
        Some("9339"),
        PRESTATIE,
        &prestatie(|_| {}),
        &changed(|a| a.categorie = "43".into()),
    );
    breaks(
        "TR340",
        Some("9340"),
        PRESTATIE,
        &prestatie(|_| {}),
        &changed(|a| a.code = Some("45A54".into())),
    );
    breaks(
        "TR341",
        Some("9341"),
        PRESTATIE,
        &prestatie(|_| {}),
        &changed(|a| a.eenheid = Some("14".into())),
    );
    // A category allocation takes any code of its category; a generic one any product.
    passes(
        &prestatie(|_| {}),
        &changed(|a| (a.code, a.volume, a.eenheid, a.frequentie) = (None, None, None, None)),
    );
    passes(
        &prestatie(|_| {}),
        &changed(|a| {
            (a.categorie, a.code, a.volume, a.eenheid, a.frequentie) =
                (String::new(), None, None, None, None);
        }),
    );
}

#[test]
fn tr347_a_request_reference_is_used_once() {
    let used = History {
        allocations: vec![allocated()],
        referenties_aanbieder: vec!["VOT-2026-0001".into()],
        ..History::default()
    };
    breaks(
        "TR347",
        Some("9347"),
        "Bericht/Client/AangevraagdeProducten/AangevraagdProduct",
        &ijw::voorbeeld(Berichtsoort::Jw315),
        &used,
    );
    breaks("TR347", Some("9347"), VERZOEK, &jw317(|_| {}), &used);
    let answered = History {
        requests: vec![KnownRequest {
            toegewezen: true,
            ..request()
        }],
        ..with(vec![allocated()])
    };
    breaks("TR347", Some("9347"), VERZOEK, &jw317(|_| {}), &answered);
    passes(&ijw::voorbeeld(Berichtsoort::Jw315), &History::default());
}

/// A second allocation of Sam, 45A54 (another product), running from November.
fn second() -> KnownAllocation {
    KnownAllocation {
        toewijzing_nummer: 20_260_002,
        code: Some("45A54".into()),
        ..allocated()
    }
}

#[test]
fn tr349_a_change_request_holds_every_current_allocation() {
    let two = with(vec![allocated(), second()]);
    breaks("TR349", Some("9349"), VERZOEK, &jw317(|_| {}), &two);
    passes(
        &jw317(|r| r.ongewijzigde_producten = ongewijzigd(20_260_002)),
        &two,
    );
    // An allocation that ended before the request, or was removed, is not current.
    let ended = with(vec![
        allocated(),
        KnownAllocation {
            einddatum: Some(v("2026-11-01")),
            ..second()
        },
    ]);
    passes(&jw317(|_| {}), &ended);
    let removed = with(vec![
        allocated(),
        KnownAllocation {
            einddatum: Some(v("2026-11-01")),
            reden_wijziging: Some("13".into()),
            ..second()
        },
    ]);
    passes(&jw317(|_| {}), &removed);
}

#[test]
fn tr350_tr351_unchanged_and_changed_products_name_current_allocations() {
    let ended = with(vec![
        allocated(),
        KnownAllocation {
            ingangsdatum: v("2026-10-01"),
            einddatum: Some(v("2026-10-31")),
            ..second()
        },
    ]);
    breaks(
        "TR350",
        Some("9350"),
        "Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct",
        &jw317(|r| r.ongewijzigde_producten = ongewijzigd(20_260_002)),
        &ended,
    );
    breaks(
        "TR351",
        Some("9351"),
        TE_WIJZIGEN,
        &jw317(|r| {
            te_wijzigen(r).toewijzing_nummer = 20_260_002;
            r.ongewijzigde_producten = ongewijzigd(20_260_001);
        }),
        &ended,
    );
    passes(
        &jw317(|r| r.ongewijzigde_producten = ongewijzigd(20_260_002)),
        &with(vec![allocated(), second()]),
    );
}

#[test]
fn tr355_tr359_tr360_tr365_an_answer_follows_an_open_request() {
    let open = History {
        requests: vec![request()],
        ..History::default()
    };
    breaks(
        "TR355",
        Some("9355"),
        "Bericht/Antwoord",
        &jw319(|_| {}),
        &History::default(),
    );
    passes(&jw319(|_| {}), &open);
    let honoured = History {
        requests: vec![KnownRequest {
            toegewezen: true,
            ..request()
        }],
        ..History::default()
    };
    breaks(
        "TR359",
        Some("9359"),
        "Bericht/Antwoord",
        &jw319(|_| {}),
        &honoured,
    );
    let answered = |earlier: &str| History {
        requests: vec![KnownRequest {
            antwoorden: vec![earlier.into()],
            ..request()
        }],
        ..History::default()
    };
    breaks(
        "TR360",
        Some("9360"),
        "Bericht/Antwoord",
        &jw319(|_| {}),
        &answered("2"),
    );
    let rejection = |a: &mut jw319::Antwoord| {
        a.verzoek_antwoord = v("1");
        a.reden_afwijzing_verzoek = Some(v("3"));
    };
    breaks(
        "TR365",
        Some("9365"),
        "Bericht/Antwoord",
        &jw319(rejection),
        &answered("1"),
    );
    passes(&jw319(rejection), &answered("2"));
}

#[test]
fn tr357_a_change_that_does_not_lie_ahead_applies_from_the_start() {
    let fine = with(vec![allocated()]);
    // Dagtekening 2 November 2026; the allocation began on 1 November.
    breaks(
        "TR357",
        Some("9357"),
        TE_WIJZIGEN,
        &jw317(|r| te_wijzigen(r).gewenste_ingangsdatum = v("2026-11-02")),
        &fine,
    );
    passes(
        &jw317(|r| te_wijzigen(r).gewenste_ingangsdatum = v("2026-11-03")),
        &fine,
    );
}

#[test]
fn tr361_a_product_of_a_change_request_does_not_overlap_itself() {
    let fine = with(vec![allocated()]);
    breaks(
        "TR361",
        Some("9361"),
        "Bericht/Client/Verzoek/NieuweProducten/NieuwProduct",
        &jw317(|r| r.nieuwe_producten = nieuw("45A53")),
        &fine,
    );
    passes(&jw317(|r| r.nieuwe_producten = nieuw("45A54")), &fine);
    // After the changed allocation ends, the same product may follow.
    passes(
        &jw317(|r| {
            te_wijzigen(r).einddatum = Some(v("2026-11-30"));
            r.nieuwe_producten = nieuw("45A53");
        }),
        &fine,
    );
}

#[test]
fn tr366_tr367_an_answered_prestatie_is_the_declared_one() {
    let unknown = History {
        prestaties: Vec::new(),
        ..provider_declared()
    };
    breaks(
        "TR366",
        Some("9366"),
        ANTWOORD_PRESTATIE,
        &jw325(|_| {}),
        &unknown,
    );
    let mut other_volume = provider_declared();
    other_volume.prestaties[0].geleverd_volume = 10;
    breaks(
        "TR367",
        Some("9367"),
        ANTWOORD_PRESTATIE,
        &jw325(|_| {}),
        &other_volume,
    );
    let message = &ijw::check_against(&jw325(|_| {}), &other_volume)[0].message;
    assert!(message.contains("GeleverdVolume"), "{message}");
}

#[test]
fn tr369_all_prestaties_together_fit_the_budget() {
    let budget = |cents| {
        with(vec![KnownAllocation {
            code: None,
            volume: None,
            eenheid: None,
            frequentie: None,
            budget: Some(cents),
            ..allocated()
        }])
    };
    breaks(
        "TR369",
        Some("9369"),
        PRESTATIE,
        &prestatie(|_| {}),
        &budget(74_999),
    );
    passes(&prestatie(|_| {}), &budget(75_000));
}

#[test]
fn tr373_a_new_budget_or_total_applies_from_the_start() {
    let total = with(vec![KnownAllocation {
        volume: Some(20),
        frequentie: Some("6".into()),
        ..allocated()
    }]);
    let more = |from: &'static str| {
        jw317(move |r| {
            let t = te_wijzigen(r);
            t.gewenste_ingangsdatum = v(from);
            let omvang = t.omvang.as_mut().unwrap();
            (omvang.volume, omvang.frequentie) = (30, v("6"));
        })
    };
    breaks(
        "TR373",
        Some("9373"),
        TE_WIJZIGEN,
        &more("2026-12-01"),
        &total,
    );
    passes(&more("2026-11-01"), &total);
}

#[test]
fn tr374_one_open_request_per_client() {
    let open = History {
        allocations: vec![allocated()],
        requests: vec![KnownRequest {
            referentie_aanbieder: "VOT-2026-0000".into(),
            ..request()
        }],
        ..History::default()
    };
    breaks(
        "TR374",
        Some("9374"),
        "Bericht/Client",
        &ijw::voorbeeld(Berichtsoort::Jw315),
        &open,
    );
    breaks(
        "TR374",
        Some("9374"),
        "Bericht/Client",
        &jw317(|_| {}),
        &open,
    );
    let listed = History {
        open_requests: vec![BSN.into()],
        ..with(vec![allocated()])
    };
    breaks(
        "TR374",
        Some("9374"),
        "Bericht/Client",
        &jw317(|_| {}),
        &listed,
    );
    let rejected = History {
        requests: vec![KnownRequest {
            antwoorden: vec!["2".into(), "1".into()],
            ..open.requests[0].clone()
        }],
        ..open
    };
    passes(&jw317(|_| {}), &rejected);
}

#[test]
fn tr375_tr411_tr412_the_omvang_follows_the_kind_of_allocation() {
    let kind = |categorie: &str, code: Option<&str>| {
        with(vec![KnownAllocation {
            categorie: categorie.into(),
            code: code.map(Into::into),
            volume: None,
            eenheid: None,
            frequentie: None,
            budget: Some(50_000),
            ..allocated()
        }])
    };
    let without_omvang = jw317(|r| te_wijzigen(r).omvang = None);
    breaks(
        "TR375",
        Some("9375"),
        TE_WIJZIGEN,
        &jw317(|_| {}),
        &kind("", None),
    );
    passes(&without_omvang, &kind("", None));
    breaks(
        "TR412",
        Some("9412"),
        TE_WIJZIGEN,
        &jw317(|_| {}),
        &kind("45", None),
    );
    passes(&without_omvang, &kind("45", None));
    // Before 2021 allocations without a code still had an Omvang.
    let old = with(vec![KnownAllocation {
        code: None,
        ingangsdatum: v("2020-01-01"),
        einddatum: None,
        ..allocated()
    }]);
    let mut old_ended = old.clone();
    old_ended.allocations[0].einddatum = Some(v("2020-12-31"));
    let Bericht::Jw317(mut in_2020) =
        jw317(|r| te_wijzigen(r).gewenste_ingangsdatum = v("2020-01-01"))
    else {
        panic!("JW317")
    };
    in_2020.header.bericht_identificatie.dagtekening = v("2020-12-01");
    let in_2020 = Bericht::Jw317(in_2020);
    breaks("TR412", Some("9412"), TE_WIJZIGEN, &in_2020, &old);
    passes(&in_2020, &old_ended);
    breaks(
        "TR411",
        Some("9411"),
        TE_WIJZIGEN,
        &without_omvang,
        &with(vec![allocated()]),
    );
    passes(&jw317(|_| {}), &with(vec![allocated()]));
}

#[test]
fn tr379_a_request_reference_only_on_the_allocation_that_honours_it() {
    let honouring = jw301(|p| p.referentie_aanbieder = Some("VOT-2026-0001".into()));
    breaks(
        "TR379",
        Some("9379"),
        PRODUCT,
        &honouring,
        &History::default(),
    );
    let open = History {
        requests: vec![request()],
        ..History::default()
    };
    passes(&honouring, &open);
    let honoured = History {
        requests: vec![KnownRequest {
            toegewezen: true,
            ..request()
        }],
        ..History::default()
    };
    breaks("TR379", Some("9379"), PRODUCT, &honouring, &honoured);
    let for_another = History {
        requests: vec![KnownRequest {
            bsn: "999990020".into(),
            ..request()
        }],
        ..History::default()
    };
    breaks("TR379", Some("9379"), PRODUCT, &honouring, &for_another);
}

#[test]
fn tr382_a_stop_repeats_the_key_of_a_start() {
    let fine = with(vec![allocated()]);
    breaks("TR382", Some("9069"), STOP, &jw307(|_| {}), &fine);
    let started = History {
        starts: vec![delivered()],
        ..fine
    };
    passes(&jw307(|_| {}), &started);
    breaks(
        "TR382",
        Some("9069"),
        STOP,
        &jw307(|s| s.begindatum = v("2026-11-10")),
        &started,
    );
}

#[test]
fn tr384_nothing_is_declared_on_a_removed_allocation() {
    let removed = with(vec![KnownAllocation {
        einddatum: Some(v("2026-11-01")),
        reden_wijziging: Some("13".into()),
        ..allocated()
    }]);
    breaks(
        "TR384",
        Some("9384"),
        PRESTATIE,
        &prestatie(|_| {}),
        &removed,
    );
    let shortened = with(vec![KnownAllocation {
        reden_wijziging: Some("05".into()),
        ..allocated()
    }]);
    passes(&prestatie(|_| {}), &shortened);
}

#[test]
fn tr385_an_allocation_with_approved_prestaties_is_not_removed() {
    let remove = jw301(|p| {
        p.reden_wijziging = Some(v("13"));
        p.einddatum = Some(p.ingangsdatum);
    });
    let declared = History {
        allocations: vec![allocated()],
        prestaties: vec![declared_prestatie()],
        ..History::default()
    };
    breaks("TR385", Some("9385"), PRODUCT, &remove, &declared);
    let mut credited = declared.clone();
    credited.prestaties.push(KnownPrestatie {
        referentie_nummer: "P2026110002".into(),
        vorig_referentie_nummer: Some("P2026110001".into()),
        credit: true,
        ..declared_prestatie()
    });
    passes(&remove, &credited);
    let mut rejected = declared;
    rejected.prestaties[0].status = PrestatieStatus::Afgewezen;
    passes(&remove, &rejected);
}

#[test]
fn tr387_tr388_a_product_period_is_its_calendar_month_within_the_allocation() {
    let fine = with(vec![allocated()]);
    breaks(
        "TR387",
        Some("9387"),
        PRESTATIE,
        &prestatie(|p| p.product_periode.begindatum = v("2026-11-02")),
        &fine,
    );
    breaks(
        "TR388",
        Some("9388"),
        PRESTATIE,
        &prestatie(|p| p.product_periode.einddatum = v("2026-11-29")),
        &fine,
    );
    // An allocation from 12 November: the period begins there.
    let later = with(vec![KnownAllocation {
        ingangsdatum: v("2026-11-12"),
        einddatum: Some(v("2026-11-26")),
        ..allocated()
    }]);
    passes(
        &prestatie(|p| {
            p.product_periode.begindatum = v("2026-11-12");
            p.product_periode.einddatum = v("2026-11-26");
            (p.geleverd_volume, p.ingediend_bedrag.bedrag) = (9, 56_250);
        }),
        &later,
    );
}

#[test]
fn tr389_tr390_one_debet_and_one_credit_per_prestatie() {
    let earlier = KnownPrestatie {
        referentie_nummer: "P2026110000".into(),
        ..declared_prestatie()
    };
    let debet_again = History {
        allocations: vec![allocated()],
        prestaties: vec![earlier],
        ..History::default()
    };
    breaks(
        "TR389",
        Some("9389"),
        PRESTATIE,
        &prestatie(|_| {}),
        &debet_again,
    );
    let credit_of_earlier = KnownPrestatie {
        referentie_nummer: "P2026110009".into(),
        vorig_referentie_nummer: Some("P2026110000".into()),
        credit: true,
        ..declared_prestatie()
    };
    let mut credited = debet_again.clone();
    credited.prestaties.push(credit_of_earlier);
    passes(&prestatie(|_| {}), &credited);
    // The credit may also come in the same message, before the new debet.
    let credit_then_debet = jw323(|d| {
        let client = &mut d.clienten.client[0];
        let mut c = client.prestaties.prestatie[0].clone();
        credit(&mut c, "P2026110000");
        client.prestaties.prestatie.insert(0, c);
    });
    passes(&credit_then_debet, &debet_again);

    let credit_again = prestatie(|p| credit(p, "P2026110000"));
    breaks("TR390", Some("9390"), PRESTATIE, &credit_again, &credited);
    passes(&credit_again, &debet_again);
}

#[test]
fn tr413_tr414_tr415_a_temporary_stop_is_followed_by_one_definitive_stop() {
    let history = |earlier: KnownDelivery| History {
        allocations: vec![allocated()],
        starts: vec![delivered()],
        stops: vec![earlier],
        ..History::default()
    };
    let temporary = |s: &mut jw307::StopProduct| s.reden_beeindiging = v("20");
    breaks(
        "TR413",
        Some("9413"),
        STOP,
        &jw307(temporary),
        &history(stopped("20", "2026-11-20")),
    );
    breaks(
        "TR414",
        Some("9414"),
        STOP,
        &jw307(|_| {}),
        &history(stopped("20", "2026-12-15")),
    );
    breaks(
        "TR415",
        Some("9415"),
        STOP,
        &jw307(|_| {}),
        &history(stopped("31", "2026-11-20")),
    );
    breaks(
        "TR415",
        Some("9415"),
        STOP,
        &jw307(temporary),
        &history(stopped("34", "2026-11-20")),
    );
    passes(&jw307(|_| {}), &history(stopped("20", "2026-11-20")));
    passes(&jw307(|_| {}), &history(stopped("20", "2026-11-30")));
}

/// A caller's History may hold anything: extreme numbers and dates at the edges
/// of the calendar give findings or none, never a panic.
#[test]
fn extreme_histories_never_panic() {
    let (min, max) = (chrono::NaiveDate::MIN, chrono::NaiveDate::MAX);
    let allocation = |ingangsdatum, einddatum, frequentie: &str, eenheid: &str| KnownAllocation {
        volume: Some(i64::MAX),
        frequentie: Some(frequentie.into()),
        eenheid: Some(eenheid.into()),
        budget: Some(i64::MIN),
        ingangsdatum,
        einddatum,
        ..allocated()
    };
    let prestatie = |bedrag, credit| KnownPrestatie {
        referentie_nummer: "P1".into(),
        vorig_referentie_nummer: Some("P2026110001".into()),
        geleverd_volume: bedrag,
        bedrag,
        credit,
        ..declared_prestatie()
    };
    for (ingangsdatum, einddatum) in [(min, Some(max)), (max, None), (min, Some(min))] {
        for (frequentie, eenheid) in [
            ("1", "04"),
            ("2", "83"),
            ("2", "01"),
            ("4", "04"),
            ("6", "04"),
        ] {
            let history = History {
                allocations: vec![allocation(ingangsdatum, einddatum, frequentie, eenheid)],
                prestaties: vec![prestatie(i64::MIN, true), prestatie(i64::MAX, false)],
                starts: vec![delivered()],
                stops: vec![KnownDelivery {
                    reden_beeindiging: Some("20".into()),
                    einddatum: Some(max),
                    ..delivered()
                }],
                declaraties: vec![KnownDeclaratie {
                    einddatum: max,
                    ..declared()
                }],
                ..History::default()
            };
            for soort in Berichtsoort::ALL {
                let _ = ijw::check_against(&ijw::voorbeeld(soort), &history);
            }
            for (from, to) in [(min, max), (max, max), (min, min)] {
                let _ = ijw::check_against(&prestatie_at(from, to), &history);
            }
        }
    }
}

/// Our JW323 example with a ProductPeriode from `begindatum` to `einddatum`.
fn prestatie_at(begindatum: chrono::NaiveDate, einddatum: chrono::NaiveDate) -> Bericht {
    prestatie(|p| {
        p.product_periode.begindatum = begindatum;
        p.product_periode.einddatum = einddatum;
    })
}

/// The findings across messages make the retour: each code lands on the class
/// its finding names, and the retour is a valid message.
#[test]
fn findings_across_messages_land_on_their_class_in_the_retour() {
    let two = with(vec![allocated(), second()]);
    let started = History {
        allocations: vec![allocated()],
        starts: vec![delivered()],
        ..History::default()
    };
    let cases: [(Bericht, History, &str); 6] = [
        (jw317(|_| {}), two.clone(), "9349"),
        (
            jw317(|r| te_wijzigen(r).gewenste_ingangsdatum = v("2026-11-02")),
            two,
            "9357",
        ),
        (jw319(|_| {}), History::default(), "9355"),
        (jw305(|_| {}), started, "9074"),
        (jw307(|_| {}), with(vec![allocated()]), "9069"),
        (
            jw301(|p| p.referentie_aanbieder = Some("VOT-2026-0001".into())),
            History::default(),
            "9379",
        ),
    ];
    for (bericht, history, code) in cases {
        let findings = ijw::check_against(&bericht, &history);
        assert!(!findings.is_empty(), "{code}");
        let retour = ijw::retour(&bericht, &findings, retour_id()).unwrap();
        let xml = ijw::encode(&retour);
        let report = ijw::validate(xml.as_bytes());
        assert!(report.is_valid(), "{:?}\n{xml}", report.findings);
        for f in &findings {
            let code = f.code.unwrap();
            assert!(
                xml.contains(&format!("RetourCode>{code}<")),
                "{code} missing:\n{xml}"
            );
        }
        assert!(
            xml.contains(&format!("RetourCode>{code}<")),
            "{code}:\n{xml}"
        );
    }
}
