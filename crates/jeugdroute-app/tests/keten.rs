//! The whole iJw chain between two parties of the demo region — a gemeente and a
//! provider hosted in the same installation — through the product's own use
//! cases, on SQLite always and on PostgreSQL when `JEUGDROUTE_TEST_POSTGRES_URL`
//! is set: JW301 → JW302 → JW305 → JW306 → JW323 → JW325 → JW307 → JW308; a
//! verzoek om toewijzing honoured by a JW301 and one refused by a JW319 for the
//! woonplaatsbeginsel; a verzoek om wijziging honoured and one refused; and a
//! declaration from the provider's own system with a prestatie outside its
//! allocation, refused with its code. No message is made by hand but that last
//! one, which comes in as a provider's system would send it. Every message that
//! went out passes the crate's checks and xmllint against the official XSD.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

use chrono::{Datelike, Days, NaiveDate};
use ijw::types::jw301;
use ijw::{Bericht, Berichtsoort};
use jeugdroute_app::{
    Aanlevering, App, DeclaratieInvoer, DemoRegio, OmvangInvoer, PrestatieInvoer, StartInvoer,
    StopInvoer, Toewijzingsleutel, Verwerking, VerzoekBeantwoorden, VerzoekOmToewijzingInvoer,
    VerzoekOmWijzigingInvoer, default_catalogue,
};
use jeugdroute_domain::Role;
use jeugdroute_store::{DatabaseUrl, Outgoing, Store};
use support::{actor, codes, every_message_is_valid, exchange, month_end, outbox};

mod support;

/// The newest outgoing message of a type, after `after` (an outbox id).
async fn newest(store: &Store, soort: &str, after: i64) -> Outgoing {
    outbox(store)
        .await
        .into_iter()
        .rev()
        .find(|o| o.id > after && o.message.berichtsoort == soort)
        .unwrap_or_else(|| panic!("no {soort} after {after}"))
}

async fn last_id(store: &Store) -> i64 {
    outbox(store).await.last().map_or(0, |o| o.id)
}

/// Two allocations of one gemeente to one provider, for two clients, each the
/// only version of its number, the second still current today.
fn two_allocations(
    allocations: &[jw301::Bericht],
    today: NaiveDate,
) -> (&jw301::Bericht, &jw301::Bericht) {
    let product = |a: &jw301::Bericht| a.client.toegewezen_producten.toegewezen_product[0].clone();
    let once = |a: &jw301::Bericht| {
        allocations
            .iter()
            .filter(|b| {
                b.header.afzender == a.header.afzender
                    && product(b).toewijzing_nummer == product(a).toewijzing_nummer
            })
            .count()
            == 1
    };
    allocations
        .iter()
        .filter(|a| once(a) && product(a).einddatum.is_some_and(|e| e >= today))
        .find_map(|a| {
            let b = allocations.iter().find(|b| {
                b.header.ontvanger == a.header.ontvanger
                    && b.header.afzender == a.header.afzender
                    && b.client.bsn != a.client.bsn
                    && once(b)
                    && product(b).reden_wijziging.is_none()
                    && product(b).einddatum.is_some_and(|e| e >= today)
            })?;
            Some((a, b))
        })
        .expect("a provider with two current clients of one gemeente")
}

async fn de_hele_keten(url: &DatabaseUrl) {
    let app = App::open(url).await.unwrap();
    app.load_demo().await.unwrap();
    let store = Store::connect(url).await.unwrap();

    // JW301 → JW302: every allocation of the demo reaches its provider and is
    // approved; the gemeente matches each JW302 to its JW301.
    let done = exchange(&app).await;
    assert_eq!(
        done.afgekeurd + done.onleesbaar + done.dubbel,
        0,
        "{done:?}"
    );
    let allocations: Vec<jw301::Bericht> = outbox(&store)
        .await
        .into_iter()
        .filter(|o| o.message.berichtsoort == "JW301")
        .inspect(|o| assert_eq!(o.retour_state.as_deref(), Some("goedgekeurd"), "{}", o.id))
        .map(|o| match ijw::decode(o.message.body.as_bytes()).unwrap() {
            Bericht::Jw301(b) => b,
            _ => panic!("JW301"),
        })
        .collect();
    let today = jeugdroute_domain::amsterdam_today(app.now());
    let (first, second) = two_allocations(&allocations, today);
    let agb = first.header.ontvanger.clone();
    let gemeente = first.header.afzender.clone();
    let aanbieder = actor(Role::Aanbieder, &gemeente, Some(&agb));
    let medewerker = actor(Role::Toegangsmedewerker, &gemeente, None);
    let product = first.client.toegewezen_producten.toegewezen_product[0].clone();
    let sleutel = Toewijzingsleutel {
        gemeente: gemeente.clone(),
        toewijzingnummer: product.toewijzing_nummer,
    };

    // JW305 → JW306.
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
    assert_eq!(
        exchange(&app).await,
        Verwerking {
            verwerkt: 2,
            ..Verwerking::default()
        }
    );
    let jw306 = newest(&store, "JW306", start.outbox_id).await;
    assert!(
        codes(&jw306.message.body).is_empty(),
        "a JW306 without remarks"
    );

    // JW323 → JW325, approved in full: header 0200 and DeclaratieAntwoord 8001
    // with the submitted and granted totals equal (IV087), at the contract's tariff.
    let contract = DemoRegio::embedded(&default_catalogue().unwrap())
        .unwrap()
        .contracten
        .into_iter()
        .find(|c| {
            c.aanbieder.as_str() == agb
                && Some(c.productcode.as_str())
                    == product.product.as_ref().and_then(|p| p.code.as_deref())
                && c.covers(product.ingangsdatum)
        })
        .expect("the contract of the allocation");
    let maand = product.ingangsdatum.with_day(1).unwrap();
    let einde = product
        .einddatum
        .map_or(month_end(maand), |e| e.min(month_end(maand)));
    let declaratie = app
        .declareren(
            &aanbieder,
            &DeclaratieInvoer {
                gemeente: gemeente.clone(),
                begindatum: maand,
                einddatum: month_end(maand),
                prestaties: vec![PrestatieInvoer {
                    toewijzingnummer: product.toewijzing_nummer,
                    begindatum: product.ingangsdatum,
                    einddatum: einde,
                    volume: 1,
                    tarief: contract.tariff_cents,
                }],
            },
        )
        .await
        .unwrap();
    assert_eq!(exchange(&app).await.totaal(), 2, "the JW323 and its JW325");
    let jw325 = newest(&store, "JW325", declaratie.outbox_id).await;
    let Bericht::Jw325(antwoord) = ijw::decode(jw325.message.body.as_bytes()).unwrap() else {
        panic!("JW325")
    };
    assert_eq!(codes(&jw325.message.body), ["0200", "8001"]);
    let da = antwoord
        .declaratie_antwoord
        .as_ref()
        .expect("a DeclaratieAntwoord");
    assert!(da.clienten.is_none(), "nothing rejected, nothing listed");
    assert_eq!(
        da.totaal_toegekend_bedrag.totaal_bedrag, contract.tariff_cents,
        "granted what was submitted"
    );

    // JW307 → JW308: the care ends as planned (reason 31).
    let stop = app
        .aanbieder_stop(
            &aanbieder,
            &StopInvoer {
                toewijzing: sleutel.clone(),
                begindatum: product.ingangsdatum,
                einddatum: einde,
                reden: "31".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(exchange(&app).await.totaal(), 2, "the JW307 and its JW308");
    let jw308 = newest(&store, "JW308", stop.outbox_id).await;
    assert!(
        codes(&jw308.message.body).is_empty(),
        "a JW308 without remarks"
    );
    let mut tx = store.begin().await.unwrap();
    let leveringen = tx
        .leveringen(&gemeente, product.toewijzing_nummer)
        .await
        .unwrap();
    assert_eq!(
        leveringen
            .iter()
            .map(|l| l.soort.as_str())
            .collect::<Vec<_>>(),
        ["start", "stop"]
    );
    drop(tx);

    // A verzoek om toewijzing, honoured: a JW301 with the provider's reference.
    let vot = |ingang: NaiveDate| VerzoekOmToewijzingInvoer {
        toewijzing: sleutel.clone(),
        productcategorie: product.product.as_ref().unwrap().categorie.code().into(),
        productcode: product.product.as_ref().unwrap().code.clone(),
        ingangsdatum: ingang,
        einddatum: Some(ingang + Days::new(90)),
        omvang: OmvangInvoer {
            volume: 10,
            eenheid: "04".into(),
            frequentie: "2".into(),
        },
        verwijzer: "01".into(),
    };
    let ingang = today.max(einde) + Days::new(7);
    let verzoek = app
        .verzoek_om_toewijzing(&aanbieder, &vot(ingang))
        .await
        .unwrap();
    exchange(&app).await;
    let open = app.verzoeken(&medewerker, true, None).await.unwrap();
    // A JW315 carries its reference per product; one request of a client waits at a time.
    let te_doen = open
        .iter()
        .find(|v| v.soort == "JW315" && v.bsn == first.client.bsn)
        .expect("the request on the worker's list");
    assert_eq!(te_doen.soort, "JW315");
    let voor = last_id(&store).await;
    app.verzoek_beantwoorden(
        &medewerker,
        te_doen.id,
        &VerzoekBeantwoorden {
            antwoord: "toewijzen".into(),
            ..VerzoekBeantwoorden::default()
        },
    )
    .await
    .unwrap();
    let toegewezen = newest(&store, "JW301", voor).await;
    let Bericht::Jw301(nieuw) = ijw::decode(toegewezen.message.body.as_bytes()).unwrap() else {
        panic!("JW301")
    };
    assert_eq!(
        nieuw.client.toegewezen_producten.toegewezen_product[0].referentie_aanbieder,
        verzoek.referentie_aanbieder
    );
    exchange(&app).await;
    let toegewezen = outbox(&store)
        .await
        .into_iter()
        .find(|o| o.id == toegewezen.id)
        .unwrap();
    assert_eq!(
        toegewezen.retour_state.as_deref(),
        Some("goedgekeurd"),
        "the provider's JW302"
    );

    // A second verzoek om toewijzing, refused for the woonplaatsbeginsel (reason
    // 8) naming the responsible gemeente.
    let verantwoordelijk = if gemeente == "0342" { "0307" } else { "0342" };
    let verzoek = app
        .verzoek_om_toewijzing(&aanbieder, &vot(ingang + Days::new(120)))
        .await
        .unwrap();
    assert_eq!(verzoek.berichtsoort, "JW315");
    exchange(&app).await;
    let te_doen = app
        .verzoeken(&medewerker, true, None)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.soort == "JW315" && v.bsn == first.client.bsn)
        .unwrap();
    let voor = last_id(&store).await;
    app.verzoek_beantwoorden(
        &medewerker,
        te_doen.id,
        &VerzoekBeantwoorden {
            antwoord: "afwijzen".into(),
            reden: "8".into(),
            gemeente: verantwoordelijk.into(),
            ..VerzoekBeantwoorden::default()
        },
    )
    .await
    .unwrap();
    let jw319 = newest(&store, "JW319", voor).await;
    let Bericht::Jw319(afwijzing) = ijw::decode(jw319.message.body.as_bytes()).unwrap() else {
        panic!("JW319")
    };
    assert_eq!(afwijzing.antwoord.verzoek_antwoord.code(), "1");
    assert_eq!(
        afwijzing.antwoord.reden_afwijzing_verzoek.map(|r| r.code()),
        Some("8")
    );
    assert_eq!(
        afwijzing
            .antwoord
            .woonplaatsbeginsel
            .as_ref()
            .map(|w| w.gemeente.as_str()),
        Some(verantwoordelijk)
    );
    exchange(&app).await;
    let jw319 = outbox(&store)
        .await
        .into_iter()
        .find(|o| o.id == jw319.id)
        .unwrap();
    assert_eq!(
        jw319.retour_state.as_deref(),
        Some("goedgekeurd"),
        "the provider's JW320"
    );

    // A verzoek om wijziging honoured (a JW301 changing the allocation), and a
    // second one refused (a JW319).
    let tweede = second.client.toegewezen_producten.toegewezen_product[0].clone();
    let vow = |volume: i64| VerzoekOmWijzigingInvoer {
        toewijzing: Toewijzingsleutel {
            gemeente: gemeente.clone(),
            toewijzingnummer: tweede.toewijzing_nummer,
        },
        reden: "2".into(),
        ingangsdatum: tweede.ingangsdatum,
        einddatum: tweede.einddatum.map(|e| e - Days::new(1)),
        omvang: Some(OmvangInvoer {
            volume,
            eenheid: "82".into(),
            frequentie: "6".into(),
        }),
    };
    for (antwoord, soort) in [("toewijzen", "JW301"), ("afwijzen", "JW319")] {
        let verzoek = app.verzoek_om_wijziging(&aanbieder, &vow(1)).await.unwrap();
        assert_eq!(verzoek.berichtsoort, "JW317");
        let done = exchange(&app).await;
        assert_eq!(done.afgekeurd + done.onleesbaar, 0, "{antwoord}: {done:?}");
        let te_doen = app
            .verzoeken(&medewerker, true, None)
            .await
            .unwrap()
            .into_iter()
            .find(|v| v.soort == "JW317" && v.bsn == second.client.bsn)
            .unwrap_or_else(|| panic!("{antwoord}: the JW317 on the worker's list"));
        assert_eq!(te_doen.soort, "JW317");
        let voor = last_id(&store).await;
        app.verzoek_beantwoorden(
            &medewerker,
            te_doen.id,
            &VerzoekBeantwoorden {
                antwoord: antwoord.into(),
                reden: if antwoord == "afwijzen" {
                    "1".into()
                } else {
                    String::new()
                },
                ..VerzoekBeantwoorden::default()
            },
        )
        .await
        .unwrap();
        let answer = newest(&store, soort, voor).await;
        exchange(&app).await;
        let answer = outbox(&store)
            .await
            .into_iter()
            .find(|o| o.id == answer.id)
            .unwrap();
        assert_eq!(
            answer.retour_state.as_deref(),
            Some("goedgekeurd"),
            "{soort}"
        );
    }

    // The provider's own system declares a prestatie before its allocation
    // began: refused with the code of the rule it breaks, nothing granted.
    let Bericht::Jw323(mut buiten) = ijw::decode(
        outbox(&store)
            .await
            .into_iter()
            .find(|o| o.id == declaratie.outbox_id)
            .unwrap()
            .message
            .body
            .as_bytes(),
    )
    .unwrap() else {
        panic!("JW323")
    };
    buiten.header.bericht_identificatie.identificatie = "ECD000000001".into();
    let d = &mut buiten.declaratie;
    d.declaratie_nummer = "ECD00001".into();
    let vorige = (maand - Days::new(1)).with_day(1).unwrap();
    d.declaratie_periode.begindatum = vorige;
    d.declaratie_periode.einddatum = month_end(vorige);
    let prestatie = &mut d.clienten.client[0].prestaties.prestatie[0];
    prestatie.product_referentie.referentie_nummer = "ECD00001-001".into();
    prestatie.product_periode.begindatum = vorige;
    prestatie.product_periode.einddatum = vorige + Days::new(4);
    let xml = ijw::encode(&Bericht::Jw323(buiten));
    assert!(ijw::validate(xml.as_bytes()).is_valid(), "valid in itself");
    let Aanlevering::Beantwoord {
        antwoord: Some(antwoord),
        ..
    } = app
        .bericht_aanleveren(&aanbieder, xml.as_bytes())
        .await
        .unwrap()
    else {
        panic!("a JW325")
    };
    let Bericht::Jw325(geweigerd) = ijw::decode(antwoord.as_bytes()).unwrap() else {
        panic!("JW325")
    };
    let da = geweigerd.declaratie_antwoord.as_ref().unwrap();
    assert_eq!(
        da.totaal_toegekend_bedrag.totaal_bedrag, 0,
        "nothing granted"
    );
    let prestatie_codes = codes(&antwoord);
    assert!(
        prestatie_codes
            .iter()
            .any(|c| !["0200", "8001"].contains(&c.as_str())),
        "the rejected prestatie carries its code: {prestatie_codes:?}"
    );
    exchange(&app).await;

    // Every message of the whole chain passes the checks and the official XSD.
    let all = outbox(&store).await;
    let soorten: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|o| o.message.berichtsoort.as_str())
        .collect();
    for soort in Berichtsoort::ALL {
        assert!(
            soorten.contains(soort.name()),
            "{soort} went out: {soorten:?}"
        );
    }
    every_message_is_valid(&all);
    store.close().await;
}

jeugdroute_store::backend_tests!(de_hele_keten);
