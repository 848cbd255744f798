//! The provider's side of the exchange in one installation, on SQLite always and
//! on PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL` is set: the demo region's
//! allocations reach a provider hosted here and are recorded there; the
//! provider's start, stop (temporary, and removed again), requests and
//! declaration go to the gemeente, are checked and answered there, and the
//! answers come back to the provider. A provider never acts on another's
//! allocation. Every message produced passes `ijw::validate` and, when the
//! official schemas are beside the checkout, xmllint.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

use chrono::{Datelike, Days};
use ijw::types::codes::{RedenAfwijzingVerzoek, VerzoekAntwoord};
use ijw::types::jw301;
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::OutgoingMessage;
use jeugdroute_app::{
    Actor, App, AppError, DeclaratieInvoer, MAX_PRESTATIES, OmvangInvoer, PrestatieInvoer,
    StartInvoer, StopInvoer, Toewijzingsleutel, Verwerking, VerzoekOmToewijzingInvoer,
    VerzoekOmWijzigingInvoer,
};
use jeugdroute_domain::{AgbCode, Gemeentecode, Role, User};
use jeugdroute_store::{DatabaseUrl, Outgoing, Store};
use support::{every_message_is_valid, exchange, month_end, outbox};

mod support;

fn user(role: Role, aanbieder: Option<&str>) -> Actor {
    Actor {
        user: User {
            username: format!("test.{}", aanbieder.unwrap_or("medewerker")),
            display_name: "Test".into(),
            role,
            gemeenten: vec![Gemeentecode::parse("0307").unwrap()],
            aanbieder: aanbieder.map(|a| AgbCode::parse(a).unwrap()),
            gi: None,
        },
        source: None,
    }
}

/// The whole exchange from the provider's side.
async fn a_provider_exchanges_with_its_gemeente(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let done = exchange(&app).await;
    assert_eq!(done.afgekeurd + done.onleesbaar, 0, "{done:?}");
    let store = Store::connect(url).await.unwrap();

    // The provider with allocations for at least two clients of one gemeente.
    let allocations: Vec<jw301::Bericht> = outbox(&store)
        .await
        .into_iter()
        .filter(|o| o.message.berichtsoort == "JW301")
        .map(|o| match ijw::decode(o.message.body.as_bytes()).unwrap() {
            Bericht::Jw301(b) => b,
            _ => panic!("JW301"),
        })
        .collect();
    // The second is current today, so a change can be asked for it.
    let today = jeugdroute_domain::amsterdam_today(app.now());
    let once = |a: &jw301::Bericht| {
        let nummer = a.client.toegewezen_producten.toegewezen_product[0].toewijzing_nummer;
        allocations
            .iter()
            .filter(|b| {
                b.header.afzender == a.header.afzender
                    && b.client.toegewezen_producten.toegewezen_product[0].toewijzing_nummer
                        == nummer
            })
            .count()
            == 1
    };
    let (first, second) = allocations
        .iter()
        .filter(|a| once(a))
        .find_map(|a| {
            let b = allocations.iter().find(|b| {
                let p = &b.client.toegewezen_producten.toegewezen_product[0];
                b.header.ontvanger == a.header.ontvanger
                    && b.header.afzender == a.header.afzender
                    && b.client.bsn != a.client.bsn
                    && p.reden_wijziging.is_none()
                    && p.einddatum.is_none_or(|e| e >= today)
            })?;
            Some((a, b))
        })
        .expect("a provider with two clients of one gemeente");
    let agb = first.header.ontvanger.clone();
    let gemeente = first.header.afzender.clone();
    let aanbieder = user(Role::Aanbieder, Some(&agb));
    let product = &first.client.toegewezen_producten.toegewezen_product[0];
    let nummer = product.toewijzing_nummer;
    let sleutel = Toewijzingsleutel {
        gemeente: gemeente.clone(),
        toewijzingnummer: nummer,
    };

    // What the provider received is recorded with it.
    let hulp = app
        .ontvangen_toewijzing(&aanbieder, &sleutel)
        .await
        .unwrap();
    assert_eq!(hulp.versies.len(), 1);
    let versie = hulp.actueel().unwrap();
    assert_eq!(versie.bsn, first.client.bsn);
    assert_eq!(versie.aanbieder_agb, agb);
    assert_eq!(versie.gemeente_code, gemeente);
    assert_eq!(versie.ingangsdatum, product.ingangsdatum);
    assert_eq!(
        versie.product_code,
        product.product.as_ref().and_then(|p| p.code.clone())
    );
    assert!(
        versie
            .naam
            .contains(&first.client.naam.geslachtsnaam.achternaam)
    );
    assert!(hulp.berichten.is_empty());
    let leveringen = || async {
        let mut tx = store.begin().await.unwrap();
        tx.leveringen(&gemeente, nummer).await.unwrap()
    };

    // A start: delivered, recorded by the gemeente, approved by its JW306.
    let start = app
        .aanbieder_start(
            &aanbieder,
            &StartInvoer {
                toewijzing: sleutel.clone(),
                begindatum: product.ingangsdatum,
            },
        )
        .await
        .unwrap();
    assert_eq!(start.berichtsoort, "JW305");
    // Numbered on from the starts the provider reported in the demo's history.
    let eerder = outbox(&store)
        .await
        .iter()
        .filter(|o| o.message.berichtsoort == "JW305" && o.message.sender == agb)
        .count();
    assert_eq!(start.identificatie, format!("JW305{:07}", eerder));
    assert!(start.sent_at.is_none());
    let done = exchange(&app).await;
    assert_eq!(
        done,
        Verwerking {
            verwerkt: 2,
            ..Verwerking::default()
        },
        "the JW305 and its JW306"
    );
    let recorded = leveringen().await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].soort, "start");
    assert_eq!(recorded[0].begindatum, product.ingangsdatum);
    let hulp = app
        .ontvangen_toewijzing(&aanbieder, &sleutel)
        .await
        .unwrap();
    assert_eq!(hulp.berichten.len(), 1);
    assert!(hulp.berichten[0].sent_at.is_some());
    assert_eq!(
        hulp.berichten[0].retour_state.as_deref(),
        Some("goedgekeurd")
    );
    assert!(hulp.berichten[0].retour_inbox_id.is_some());

    // The same start again is not sent: the gemeente would refuse it (TR074).
    let again = app
        .aanbieder_start(
            &aanbieder,
            &StartInvoer {
                toewijzing: sleutel.clone(),
                begindatum: product.ingangsdatum,
            },
        )
        .await;
    match again {
        Err(AppError::Fields(fields)) => {
            assert!(
                fields.iter().any(|f| f.message.contains("TR074")),
                "{fields:?}"
            );
        }
        other => panic!("a second start is refused before it is sent: {other:?}"),
    }

    // A temporary stop (reason 20), then its removal.
    let einde = product.ingangsdatum + Days::new(9);
    let stop = app
        .aanbieder_stop(
            &aanbieder,
            &StopInvoer {
                toewijzing: sleutel.clone(),
                begindatum: product.ingangsdatum,
                einddatum: einde,
                reden: "20".into(),
            },
        )
        .await
        .unwrap();
    exchange(&app).await;
    let recorded = leveringen().await;
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1].reden_beeindiging.as_deref(), Some("20"));
    assert_eq!(recorded[1].einddatum, Some(einde));
    let removal = app
        .aanbieder_verwijderen(&aanbieder, stop.id)
        .await
        .unwrap();
    assert_eq!(removal.berichtsoort, "JW307");
    assert_eq!(removal.verwijdert_id, Some(stop.id));
    exchange(&app).await;
    let recorded = leveringen().await;
    assert!(recorded[0].removed_by.is_none(), "the start stays");
    assert!(recorded[1].removed_by.is_some(), "the stop is removed");
    let hulp = app
        .ontvangen_toewijzing(&aanbieder, &sleutel)
        .await
        .unwrap();
    assert_eq!(
        hulp.berichten
            .iter()
            .map(|b| (b.berichtsoort.as_str(), b.retour_state.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("JW305", Some("goedgekeurd")),
            ("JW307", Some("goedgekeurd")),
            ("JW307", Some("goedgekeurd")),
        ]
    );
    // A removal cannot be removed again, nor the stop twice.
    for id in [stop.id, removal.id] {
        let refused = app.aanbieder_verwijderen(&aanbieder, id).await.unwrap_err();
        assert!(
            matches!(&refused, AppError::Fields(f) if f[0].field == "bericht"),
            "{refused:?}"
        );
    }

    // A request for an allocation (for the first client) and for a change (of
    // the second client's): delivered, checked and answered with their retour.
    let vot_invoer = VerzoekOmToewijzingInvoer {
        toewijzing: sleutel.clone(),
        productcategorie: product.product.as_ref().unwrap().categorie.code().into(),
        productcode: product.product.as_ref().unwrap().code.clone(),
        ingangsdatum: product.ingangsdatum + Days::new(40),
        einddatum: Some(product.ingangsdatum + Days::new(200)),
        omvang: OmvangInvoer {
            volume: 10,
            eenheid: "04".into(),
            frequentie: "2".into(),
        },
        verwijzer: "01".into(),
    };
    let vot = app
        .verzoek_om_toewijzing(&aanbieder, &vot_invoer)
        .await
        .unwrap();
    assert_eq!(vot.referentie_aanbieder.as_deref(), Some("JW3150000001"));
    // While it waits for its answer, no second request for the client (TR374).
    let refused = app
        .verzoek_om_toewijzing(&aanbieder, &vot_invoer)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, AppError::Fields(f) if f[0].message.starts_with("TR374")),
        "{refused:?}"
    );
    let tweede = &second.client.toegewezen_producten.toegewezen_product[0];
    let tweede_sleutel = Toewijzingsleutel {
        gemeente: gemeente.clone(),
        toewijzingnummer: tweede.toewijzing_nummer,
    };
    let vow = app
        .verzoek_om_wijziging(
            &aanbieder,
            &VerzoekOmWijzigingInvoer {
                toewijzing: tweede_sleutel.clone(),
                reden: "2".into(),
                ingangsdatum: tweede.ingangsdatum,
                einddatum: tweede.einddatum,
                omvang: Some(OmvangInvoer {
                    volume: 2,
                    eenheid: "82".into(),
                    frequentie: "6".into(),
                }),
            },
        )
        .await
        .unwrap();
    assert_eq!(vow.berichtsoort, "JW317");

    // A declaration of the first month on the started allocation.
    let maand = product.ingangsdatum.with_day(1).unwrap();
    let declaratie = app
        .declareren(
            &aanbieder,
            &DeclaratieInvoer {
                gemeente: gemeente.clone(),
                begindatum: maand,
                einddatum: month_end(maand),
                prestaties: vec![PrestatieInvoer {
                    toewijzingnummer: nummer,
                    begindatum: product.ingangsdatum,
                    einddatum: product
                        .einddatum
                        .map_or(month_end(maand), |e| e.min(month_end(maand))),
                    volume: 1,
                    tarief: 125_000,
                }],
            },
        )
        .await
        .unwrap();
    assert_eq!(declaratie.declaratie_nummer.as_deref(), Some("D0000001"));
    assert_eq!(declaratie.ingediend_bedrag, Some(125_000));

    exchange(&app).await;
    let mut tx = store.begin().await.unwrap();
    for sent in [&vot, &vow, &declaratie] {
        let now = tx.aanbieder_bericht(&agb, sent.id).await.unwrap().unwrap();
        assert!(now.sent_at.is_some(), "{} delivered", sent.berichtsoort);
        let received = tx
            .inbox_of(Some(std::slice::from_ref(&gemeente)), None, 10_000)
            .await
            .unwrap()
            .into_iter()
            .find(|m| {
                m.berichtsoort.as_deref() == Some(sent.berichtsoort.as_str())
                    && m.identificatie.as_deref() == Some(sent.identificatie.as_str())
            })
            .unwrap();
        assert!(
            ["verwerkt", "afgekeurd"].contains(&received.state.as_str()),
            "{} checked at the gemeente: {} {:?}",
            sent.berichtsoort,
            received.state,
            received.reason
        );
        assert!(
            received.retour_id.is_some(),
            "{} answered",
            sent.berichtsoort
        );
        assert!(
            now.retour_state.is_some(),
            "the answer to {} came back to the provider",
            sent.berichtsoort
        );
    }
    drop(tx);
    // The JW325 is recorded with the provider: the prestatie is judged.
    let hulp = app
        .ontvangen_toewijzing(&aanbieder, &sleutel)
        .await
        .unwrap();
    assert_eq!(hulp.prestaties.len(), 1);
    assert_ne!(hulp.prestaties[0].status, "ingediend");
    let jw325 = hulp
        .antwoorden
        .iter()
        .find(|a| a.berichtsoort == "JW325")
        .unwrap();
    assert_eq!(jw325.bericht_id, declaratie.id);
    if hulp.prestaties[0].status == "goedgekeurd" {
        assert_eq!(jw325.toegekend_bedrag, Some(125_000));
    }

    // An answer on the request (JW319), as the gemeente sends it when it
    // rejects or investigates: checked against the provider's request, recorded
    // with it, answered with a JW320. Here a rejection.
    if !hulp.antwoorden.iter().any(|a| a.berichtsoort == "JW319") {
        // The gemeente's answer, and one on a request the provider never made.
        let mut tx = store.begin().await.unwrap();
        for (identificatie, referentie) in [("A1", vot.identificatie.as_str()), ("A2", "ONBEKEND")]
        {
            let Bericht::Jw319(mut antwoord) = ijw::voorbeeld(Berichtsoort::Jw319) else {
                panic!("JW319")
            };
            antwoord.header.afzender = gemeente.clone();
            antwoord.header.ontvanger = agb.clone();
            antwoord.header.bericht_identificatie.identificatie = identificatie.into();
            antwoord.antwoord.referentie_aanbieder = referentie.into();
            antwoord.antwoord.verzoek_antwoord = VerzoekAntwoord::VerzoekAfgewezen;
            antwoord.antwoord.reden_afwijzing_verzoek = Some(RedenAfwijzingVerzoek::GeenContract);
            tx.enqueue_outbox(
                &OutgoingMessage {
                    berichtsoort: "JW319".into(),
                    sender: gemeente.clone(),
                    receiver: agb.clone(),
                    casus_id: None,
                    body: ijw::encode(&Bericht::Jw319(antwoord)),
                    identificatie: Some(identificatie.into()),
                    answers_id: None,
                },
                app.now(),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        exchange(&app).await;
        let mut tx = store.begin().await.unwrap();
        let received = tx
            .inbox_of(Some(std::slice::from_ref(&agb)), None, 10_000)
            .await
            .unwrap();
        drop(tx);
        let state_of = |id: &str| {
            received
                .iter()
                .find(|m| {
                    m.berichtsoort.as_deref() == Some("JW319")
                        && m.identificatie.as_deref() == Some(id)
                })
                .map(|m| (m.state.clone(), m.retour_id.is_some()))
                .unwrap()
        };
        assert_eq!(
            state_of("A1"),
            ("verwerkt".to_owned(), true),
            "answered with a JW320"
        );
        assert_eq!(state_of("A2"), ("afgekeurd".to_owned(), true));
    }
    let mut tx = store.begin().await.unwrap();
    let on_vot = jeugdroute_store::Deel {
        berichten: vec![vot.id],
        ..jeugdroute_store::Deel::default()
    };
    let vot_answers = tx
        .ontvangen_antwoorden(&agb, &gemeente, &on_vot)
        .await
        .unwrap();
    drop(tx);
    assert!(
        vot_answers.iter().any(|a| a.berichtsoort == "JW319"
            && a.bericht_id == vot.id
            && a.verzoek_antwoord.is_some()),
        "{vot_answers:?}"
    );
    // Rejected, the request is no longer open: the provider may ask again.
    let again = app
        .verzoek_om_toewijzing(&aanbieder, &vot_invoer)
        .await
        .unwrap();
    assert_eq!(again.berichtsoort, "JW315");
    exchange(&app).await;

    // Nothing the provider received or sent was refused or left unread, and
    // every message produced is valid.
    let mut tx = store.begin().await.unwrap();
    let unread = tx
        .inbox_of(None, None, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.state == "onleesbaar")
        .map(|m| m.reason)
        .collect::<Vec<_>>();
    assert!(unread.is_empty(), "{unread:?}");
    drop(tx);
    let all = outbox(&store).await;
    let mine: Vec<Outgoing> = all
        .into_iter()
        .filter(|o| {
            o.message.sender == agb
                || o.message.receiver == agb
                    && !["JW301"].contains(&o.message.berichtsoort.as_str())
        })
        .collect();
    let kinds: std::collections::BTreeSet<&str> = mine
        .iter()
        .map(|o| o.message.berichtsoort.as_str())
        .collect();
    for kind in [
        "JW302", "JW305", "JW306", "JW307", "JW308", "JW315", "JW316", "JW317", "JW318", "JW323",
        "JW325",
    ] {
        assert!(kinds.contains(kind), "{kind} produced: {kinds:?}");
    }
    every_message_is_valid(&mine);
    store.close().await;
}

/// A provider acts only on its own allocations: another provider's number,
/// message or a gemeente without an allocation to it is not found; a worker may
/// not act as a provider; bad input is refused by field.
async fn a_provider_cannot_act_on_another_providers_allocation(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    exchange(&app).await;
    let store = Store::connect(url).await.unwrap();
    let jw301 = outbox(&store)
        .await
        .into_iter()
        .find(|o| o.message.berichtsoort == "JW301")
        .unwrap();
    let Bericht::Jw301(allocation) = ijw::decode(jw301.message.body.as_bytes()).unwrap() else {
        panic!("JW301")
    };
    let agb = allocation.header.ontvanger.clone();
    let gemeente = allocation.header.afzender.clone();
    let product = &allocation.client.toegewezen_producten.toegewezen_product[0];
    let sleutel = Toewijzingsleutel {
        gemeente: gemeente.clone(),
        toewijzingnummer: product.toewijzing_nummer,
    };
    let owner = user(Role::Aanbieder, Some(&agb));
    let other_agb = if agb == "98990022" {
        "98990033"
    } else {
        "98990022"
    };
    let other = user(Role::Aanbieder, Some(other_agb));
    let before = outbox(&store).await.len();

    let start = StartInvoer {
        toewijzing: sleutel.clone(),
        begindatum: product.ingangsdatum,
    };
    assert!(matches!(
        app.ontvangen_toewijzing(&other, &sleutel).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        app.aanbieder_start(&other, &start).await,
        Err(AppError::NotFound)
    ));
    // The owner's own message cannot be removed by another provider.
    let own = app.aanbieder_start(&owner, &start).await.unwrap();
    assert!(matches!(
        app.aanbieder_verwijderen(&other, own.id).await,
        Err(AppError::NotFound)
    ));
    // A declaration to a gemeente that allocated nothing to the provider.
    let maand = product.ingangsdatum.with_day(1).unwrap();
    let elsewhere = DeclaratieInvoer {
        gemeente: "0999".into(),
        begindatum: maand,
        einddatum: month_end(maand),
        prestaties: vec![PrestatieInvoer {
            toewijzingnummer: product.toewijzing_nummer,
            begindatum: product.ingangsdatum,
            einddatum: product.ingangsdatum,
            volume: 1,
            tarief: 100,
        }],
    };
    let refused = app.declareren(&owner, &elsewhere).await;
    assert!(matches!(refused, Err(AppError::NotFound)), "{refused:?}");
    assert!(matches!(
        app.declareren(
            &other,
            &DeclaratieInvoer {
                gemeente: gemeente.clone(),
                ..elsewhere.clone()
            }
        )
        .await,
        Err(AppError::NotFound)
    ));
    // A worker may not write a provider's messages; a provider account
    // without its AGB code neither.
    let worker = user(Role::Toegangsmedewerker, None);
    assert!(matches!(
        app.aanbieder_start(&worker, &start).await,
        Err(AppError::Forbidden)
    ));
    let without = user(Role::Aanbieder, None);
    assert!(matches!(
        app.aanbieder_start(&without, &start).await,
        Err(AppError::Forbidden)
    ));
    // Bad input is refused by field, before anything is looked up.
    let refused = app
        .aanbieder_stop(
            &owner,
            &StopInvoer {
                toewijzing: sleutel.clone(),
                begindatum: product.ingangsdatum,
                einddatum: product.ingangsdatum - Days::new(1),
                reden: "99".into(),
            },
        )
        .await
        .unwrap_err();
    let AppError::Fields(fields) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(
        fields.iter().map(|f| f.field).collect::<Vec<_>>(),
        ["reden_beeindiging", "einddatum"]
    );
    assert!(fields[0].message.starts_with("Reden van het einde:"));
    let too_many = DeclaratieInvoer {
        gemeente: gemeente.clone(),
        prestaties: vec![elsewhere.prestaties[0].clone(); MAX_PRESTATIES + 1],
        ..elsewhere.clone()
    };
    assert!(matches!(
        app.declareren(&owner, &too_many).await,
        Err(AppError::Fields(f)) if f[0].field == "prestaties"
    ));
    // A start before the allocation began is what the gemeente would refuse:
    // refused here, by the rule, and nothing is sent.
    let early = app
        .aanbieder_start(
            &owner,
            &StartInvoer {
                toewijzing: sleutel.clone(),
                begindatum: product.ingangsdatum - Days::new(30),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&early, AppError::Fields(f) if f[0].field == "bericht"),
        "{early:?}"
    );
    assert_eq!(
        outbox(&store).await.len(),
        before + 1,
        "only the owner's start"
    );

    // Every refusal is in the audit log, on behalf of the provider that tried.
    let mut tx = store.begin().await.unwrap();
    let refusals = tx
        .search_audit(&jeugdroute_store::AuditQuery {
            actor: Some(&other.user.username),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    drop(tx);
    assert_eq!(
        refusals
            .iter()
            .filter(|r| r.outcome == "geweigerd")
            .map(|r| r.event.as_str())
            .collect::<Vec<_>>()
            .len(),
        4,
        "{refusals:?}"
    );
    store.close().await;
}

jeugdroute_store::backend_tests!(
    a_provider_exchanges_with_its_gemeente,
    a_provider_cannot_act_on_another_providers_allocation
);
