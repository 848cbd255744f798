//! The technical rules within one message (technische-regels/xslt): one golden invalid message each, with retour code 0001.
//!
//! TR006, TR061, TR302, TR358 and TR377 keep their golden examples in `main.rs`
//! (`every_rule_within_a_message_has_a_golden_invalid_example`); the others are here,
//! with tests for the messages a rule covers beyond its golden example.

use ijw::Berichtsoort;
use ijw::types::codes::{DatumGebruik, DebetCredit, RedenAfwijzingVerzoek, RetourCode};
use ijw::types::{basis, jw301, jw305, jw307, jw315, jw317, jw319, jw323, jw325};

use crate::check_golden_invalid;

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

fn jw301(edit: impl FnOnce(&mut jw301::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw301(mut b) = ijw::voorbeeld(Berichtsoort::Jw301) else {
        panic!("JW301")
    };
    edit(&mut b);
    ijw::Bericht::Jw301(b)
}

fn jw305(edit: impl FnOnce(&mut jw305::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw305(mut b) = ijw::voorbeeld(Berichtsoort::Jw305) else {
        panic!("JW305")
    };
    edit(&mut b);
    ijw::Bericht::Jw305(b)
}

fn jw307(edit: impl FnOnce(&mut jw307::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw307(mut b) = ijw::voorbeeld(Berichtsoort::Jw307) else {
        panic!("JW307")
    };
    edit(&mut b);
    ijw::Bericht::Jw307(b)
}

fn jw315(edit: impl FnOnce(&mut jw315::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw315(mut b) = ijw::voorbeeld(Berichtsoort::Jw315) else {
        panic!("JW315")
    };
    edit(&mut b);
    ijw::Bericht::Jw315(b)
}

fn jw317(edit: impl FnOnce(&mut jw317::Verzoek)) -> ijw::Bericht {
    let ijw::Bericht::Jw317(mut b) = ijw::voorbeeld(Berichtsoort::Jw317) else {
        panic!("JW317")
    };
    edit(&mut b.client.verzoek);
    ijw::Bericht::Jw317(b)
}

fn jw319(edit: impl FnOnce(&mut jw319::Antwoord)) -> ijw::Bericht {
    let ijw::Bericht::Jw319(mut b) = ijw::voorbeeld(Berichtsoort::Jw319) else {
        panic!("JW319")
    };
    edit(&mut b.antwoord);
    ijw::Bericht::Jw319(b)
}

fn jw323(edit: impl FnOnce(&mut jw323::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw323(mut b) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!("JW323")
    };
    edit(&mut b);
    ijw::Bericht::Jw323(b)
}

fn jw325(edit: impl FnOnce(&mut jw325::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw325(mut b) = ijw::voorbeeld(Berichtsoort::Jw325) else {
        panic!("JW325")
    };
    edit(&mut b);
    ijw::Bericht::Jw325(b)
}

/// `(rule, element)` of every finding on a message, each checked to carry 0001.
fn findings(bericht: &ijw::Bericht) -> Vec<(String, String)> {
    let report = ijw::validate(ijw::encode(bericht).as_bytes());
    assert!(
        report.findings.iter().all(|f| f.code == Some("0001")),
        "{:?}",
        report.findings
    );
    report
        .findings
        .into_iter()
        .map(|f| (f.rule, f.element))
        .collect()
}

fn rules(bericht: &ijw::Bericht) -> Vec<String> {
    findings(bericht)
        .into_iter()
        .map(|(rule, _)| rule)
        .collect()
}

/// Our example's prestatie of Sam, a second time: another reference, another month.
fn october(d: &mut jw323::Declaratie, reference: &str) -> jw323::Prestatie {
    let mut second = d.clienten.client[0].prestaties.prestatie[0].clone();
    second.product_referentie.referentie_nummer = reference.into();
    second.product_periode = basis::GeslotenPeriode {
        begindatum: date("2026-10-01"),
        einddatum: date("2026-10-31"),
    };
    second
}

/// A credit line for `previous`, of € 750,00.
fn credit(d: &jw323::Declaratie, reference: &str, previous: &str) -> jw323::Prestatie {
    let mut credit = d.clienten.client[0].prestaties.prestatie[0].clone();
    credit.product_referentie = basis::Referentie {
        referentie_nummer: reference.into(),
        vorig_referentie_nummer: Some(previous.into()),
    };
    credit.ingediend_bedrag.debet_credit = DebetCredit::Credit;
    credit
}

fn set_total(d: &mut jw323::Declaratie, cents: i64) {
    d.totaal_ingediend_bedrag = basis::TotaalBedragMetDC {
        totaal_bedrag: cents.abs(),
        debet_credit: if cents < 0 {
            DebetCredit::Credit
        } else {
            DebetCredit::Debet
        },
    };
}

#[test]
fn every_technical_rule_within_a_message_has_a_golden_invalid_example() {
    check_golden_invalid(
        "TR002",
        &jw301(|b| b.client.geboortedatum.datum = date("1905-06-01")),
    );
    check_golden_invalid(
        "TR018",
        &jw307(|b| b.client.stop_producten.stop_product[0].einddatum = date("2026-11-08")),
    );
    check_golden_invalid(
        "TR101",
        &jw301(|b| {
            let relaties = &mut b.client.relaties.as_mut().unwrap().relatie;
            relaties.push(relaties[0].clone());
        }),
    );
    check_golden_invalid(
        "TR101-JW305",
        &jw305(|b| {
            let starts = &mut b.client.start_producten.start_product;
            starts.push(starts[0].clone());
        }),
    );
    check_golden_invalid(
        "TR101-JW323",
        &jw323(|b| {
            let d = &mut b.declaratie;
            let second = october(d, "P2026110001");
            d.clienten.client[0].prestaties.prestatie.push(second);
            set_total(d, 150_000);
        }),
    );
    check_golden_invalid(
        "TR134",
        &jw301(|b| b.client.geboortedatum.datum = date("2026-12-01")),
    );
    check_golden_invalid(
        "TR137",
        &jw323(|b| {
            b.header.bericht_identificatie.dagtekening = date("2026-11-20");
            b.declaratie.clienten.client[0].prestaties.prestatie[0]
                .product_periode
                .einddatum = date("2026-11-15");
        }),
    );
    check_golden_invalid(
        "TR315",
        &jw323(|b| {
            let d = &mut b.declaratie;
            let first = credit(d, "P2026110002", "P2026100001");
            let second = credit(d, "P2026110003", "P2026100001");
            d.clienten.client[0].prestaties.prestatie = vec![first, second];
            set_total(d, -150_000);
        }),
    );
    check_golden_invalid(
        "TR316",
        &jw323(|b| {
            let d = &mut b.declaratie;
            let undo = credit(d, "P2026110002", "P2026110001");
            d.clienten.client[0].prestaties.prestatie.push(undo);
            set_total(d, 0);
        }),
    );
    check_golden_invalid(
        "TR335",
        &jw323(|b| {
            let d = &mut b.declaratie;
            d.clienten.client[0].prestaties.prestatie[0].product_periode = basis::GeslotenPeriode {
                begindatum: date("2021-06-01"),
                einddatum: date("2021-06-30"),
            };
        }),
    );
    check_golden_invalid(
        "TR342",
        &jw325(|b| {
            let antwoord = b.declaratie_antwoord.as_mut().unwrap();
            antwoord.totaal_toegekend_bedrag.totaal_bedrag = 70_000;
        }),
    );
    check_golden_invalid(
        "TR352",
        &jw317(|v| (v.ongewijzigde_producten, v.te_wijzigen_producten) = (None, None)),
    );
    check_golden_invalid(
        "TR353",
        &jw317(|v| (v.te_wijzigen_producten, v.nieuwe_producten) = (None, None)),
    );
    check_golden_invalid(
        "TR380",
        &jw317(|v| {
            v.nieuwe_producten.as_mut().unwrap().nieuw_product[0].gewenste_ingangsdatum =
                date("2026-11-02");
        }),
    );
    check_golden_invalid(
        "TR383",
        &jw315(|b| {
            let products = &mut b.client.aangevraagde_producten.aangevraagd_product;
            let mut other = products[0].clone();
            other.product.as_mut().unwrap().code = Some("45A54".into());
            products.push(other);
        }),
    );
    check_golden_invalid(
        "TR386",
        &jw315(|b| {
            let products = &mut b.client.aangevraagde_producten.aangevraagd_product;
            let mut again = products[0].clone();
            again.referentie_aanbieder = "VOT-2026-0002".into();
            products.push(again);
        }),
    );
    check_golden_invalid(
        "TR409",
        &jw319(|a| {
            a.woonplaatsbeginsel = Some(jw319::Woonplaatsbeginsel {
                gemeente: "0344".into(),
            });
        }),
    );
    check_golden_invalid(
        "TR410",
        &jw317(|v| {
            let nieuw = &mut v.nieuwe_producten.as_mut().unwrap().nieuw_product;
            let mut later = nieuw[0].clone();
            later.gewenste_ingangsdatum = date("2027-01-01");
            nieuw.push(later);
        }),
    );
    check_golden_invalid(
        "TR416",
        &jw323(|b| {
            let d = &mut b.declaratie;
            let mut again = d.clienten.client[0].prestaties.prestatie[0].clone();
            again.product_referentie.referentie_nummer = "P2026110002".into();
            d.clienten.client[0].prestaties.prestatie.push(again);
            set_total(d, 150_000);
        }),
    );
}

#[test]
fn birth_dates_are_known_to_lie_within_120_years_and_not_after_the_dagtekening() {
    let old = date("1905-06-01");
    let future = date("2026-12-01");
    // TR002 and TR134 on the client of every message that carries one.
    assert_eq!(
        rules(&jw305(|b| b.client.geboortedatum.datum = old)),
        ["TR002"]
    );
    assert_eq!(
        rules(&jw307(|b| b.client.geboortedatum.datum = old)),
        ["TR002"]
    );
    assert_eq!(
        rules(&jw315(|b| b.client.geboortedatum.datum = future)),
        ["TR134"]
    );
    assert_eq!(
        rules(&jw307(|b| b.client.geboortedatum.datum = future)),
        ["TR134"]
    );
    // Exactly 120 years before the Dagtekening is still allowed.
    assert!(rules(&jw301(|b| b.client.geboortedatum.datum = date("1906-11-02"))).is_empty());
    assert_eq!(
        rules(&jw301(|b| b.client.geboortedatum.datum = date("1906-11-01"))),
        ["TR002"]
    );
    // An unknown birth date (01-01-1900 with DatumGebruik 3) is no age.
    let unknown = |g: &mut basis::Geboortedatum| {
        (g.datum, g.datum_gebruik) = (
            date("1900-01-01"),
            Some(DatumGebruik::DagMaandEnJaarOnbekend),
        );
    };
    assert!(rules(&jw305(|b| unknown(&mut b.client.geboortedatum))).is_empty());
    assert_eq!(
        rules(&jw305(|b| b.client.geboortedatum.datum = date("1900-01-01"))),
        ["TR002"],
        "01-01-1900 without DatumGebruik 3 is a real date"
    );
    // TR134 on a relation's birth date (JW301), not TR002.
    assert_eq!(
        findings(&jw301(|b| {
            let relatie = &mut b.client.relaties.as_mut().unwrap().relatie[0];
            relatie.geboortedatum.as_mut().unwrap().datum = future;
        })),
        [(
            "TR134".to_owned(),
            "Bericht/Client/Relaties/Relatie/Geboortedatum/Datum".to_owned()
        )]
    );
}

#[test]
fn the_periods_of_a_declaration_and_its_answer_lie_before_the_dagtekening() {
    // A declaration dated before its own period: begins (TR134) and ends (TR137) too late.
    let early = jw323(|b| b.header.bericht_identificatie.dagtekening = date("2026-10-15"));
    let found = findings(&early);
    let at = |rule: &str, element: &str| (rule.to_owned(), element.to_owned());
    assert_eq!(
        found,
        [
            at("TR134", "Bericht/Declaratie/DeclaratiePeriode/Begindatum"),
            at("TR137", "Bericht/Declaratie/DeclaratiePeriode/Einddatum"),
            at(
                "TR134",
                "Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ProductPeriode/Begindatum"
            ),
            at(
                "TR137",
                "Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ProductPeriode/Einddatum"
            ),
        ]
    );
    // An end before the begin is TR137, not CS003, in a declaration.
    assert_eq!(
        rules(&jw323(
            |b| b.declaratie.declaratie_periode.einddatum = date("2026-10-31")
        )),
        ["TR137"]
    );
    // The answer's listed prestaties: their period against the answer's own Dagtekening.
    let rejected = |b: &mut jw325::Bericht| {
        let ijw::Bericht::Jw323(declaratie) = ijw::voorbeeld(Berichtsoort::Jw323) else {
            panic!("JW323")
        };
        let finding = ijw::Finding {
            code: Some("9338"),
            rule: "TR338".into(),
            element: "Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie".into(),
            line: 0,
            message: String::new(),
        };
        let retour = ijw::retour(
            &ijw::Bericht::Jw323(declaratie),
            &[finding],
            ijw::RetourId {
                identificatie: "RET000000001",
                dagtekening: b.header.bericht_identificatie.dagtekening,
            },
        )
        .unwrap();
        let ijw::Bericht::Jw325(answer) = retour else {
            panic!("JW325")
        };
        *b = answer;
    };
    assert!(rules(&jw325(rejected)).is_empty());
    assert_eq!(
        rules(&jw325(|b| {
            b.header.bericht_identificatie.dagtekening = date("2026-11-20");
            rejected(b);
        })),
        ["TR137"]
    );
}

#[test]
fn a_stop_does_not_end_before_its_start() {
    assert!(
        rules(&jw307(|b| {
            let stop = &mut b.client.stop_producten.stop_product[0];
            stop.einddatum = stop.begindatum;
        }))
        .is_empty(),
        "the same day is fine"
    );
}

#[test]
fn every_message_with_classes_refuses_a_class_twice() {
    let twice = |found: Vec<(String, String)>, element: &str| {
        assert_eq!(found, [("TR101".to_owned(), element.to_owned())]);
    };
    twice(
        findings(&jw301(|b| {
            let contacts = &mut b.client.contactgegevens.contact;
            contacts.push(contacts[0].clone());
        })),
        "Bericht/Client/Contactgegevens/Contact[2]",
    );
    // The same allocation twice also stacks with itself (TR302).
    assert_eq!(
        rules(&jw301(|b| {
            let products = &mut b.client.toegewezen_producten.toegewezen_product;
            products.push(products[0].clone());
        })),
        ["TR101", "TR302"]
    );
    twice(
        findings(&jw307(|b| {
            let stops = &mut b.client.stop_producten.stop_product;
            stops.push(stops[0].clone());
        })),
        "Bericht/Client/StopProducten/StopProduct[2]",
    );
    // A removal (3) and a new delivery (1) of the same start is the same start twice.
    twice(
        findings(&jw305(|b| {
            let starts = &mut b.client.start_producten.start_product;
            let mut removal = starts[0].clone();
            removal.status_aanlevering =
                ijw::types::codes::StatusAanlevering::VerwijderenAanlevering;
            starts.insert(0, removal);
        })),
        "Bericht/Client/StartProducten/StartProduct[2]",
    );
    twice(
        findings(&jw317(|v| {
            let unchanged = &mut v
                .ongewijzigde_producten
                .as_mut()
                .unwrap()
                .ongewijzigd_product;
            unchanged.push(unchanged[0].clone());
        })),
        "Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct[2]",
    );
    twice(
        findings(&jw317(|v| {
            let change = &mut v
                .te_wijzigen_producten
                .as_mut()
                .unwrap()
                .te_wijzigen_product;
            change.push(change[0].clone());
        })),
        "Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[2]",
    );
    twice(
        findings(&jw323(|b| {
            let clients = &mut b.declaratie.clienten.client;
            let mut again = clients[0].clone();
            again.prestaties.prestatie[0]
                .product_referentie
                .referentie_nummer = "P2026110002".into();
            again.prestaties.prestatie[0].product_periode = basis::GeslotenPeriode {
                begindatum: date("2026-10-01"),
                einddatum: date("2026-10-31"),
            };
            clients.push(again);
            set_total(&mut b.declaratie, 150_000);
        })),
        "Bericht/Declaratie/Clienten/Client[2]",
    );
    // A prestatie's key is its ReferentieNummer within its client: the same number
    // under another client is not a duplicate class (TR314 refuses it across messages).
    assert!(
        rules(&jw323(|b| {
            let clients = &mut b.declaratie.clienten.client;
            let mut other = clients[0].clone();
            other.bsn = "999990020".into();
            other.prestaties.prestatie[0].toewijzing_nummer = 20_260_002;
            clients.push(other);
            set_total(&mut b.declaratie, 150_000);
        }))
        .is_empty()
    );
}

#[test]
fn credits_and_debets_in_one_declaration() {
    // A credit of an earlier month's prestatie beside this month's debet is fine.
    assert!(
        rules(&jw323(|b| {
            let d = &mut b.declaratie;
            let undo = credit(d, "P2026110002", "P2026100001");
            d.clienten.client[0].prestaties.prestatie.push(undo);
            set_total(d, 0);
        }))
        .is_empty()
    );
    // A debet again after its credit (a correction) is a second debet for the
    // same period in one message: TR416.
    assert_eq!(
        rules(&jw323(|b| {
            let d = &mut b.declaratie;
            let undo = credit(d, "P2026110002", "P2026100001");
            let mut redo = d.clienten.client[0].prestaties.prestatie[0].clone();
            redo.product_referentie.referentie_nummer = "P2026110003".into();
            d.clienten.client[0]
                .prestaties
                .prestatie
                .extend([undo, redo]);
            set_total(d, 75_000);
        })),
        ["TR416"]
    );
    // Five years before the DeclaratieDagtekening, to the day, is still allowed (TR335).
    assert!(
        rules(&jw323(|b| {
            let d = &mut b.declaratie;
            d.declaratie_dagtekening = date("2031-11-30");
            b.header.bericht_identificatie.dagtekening = date("2031-11-30");
        }))
        .is_empty()
    );
    assert_eq!(
        rules(&jw323(|b| {
            let d = &mut b.declaratie;
            d.declaratie_dagtekening = date("2031-12-01");
            b.header.bericht_identificatie.dagtekening = date("2031-12-01");
        })),
        ["TR335"]
    );
}

#[test]
fn a_declaration_answer_lists_only_rejected_prestaties_that_explain_the_difference() {
    let ijw::Bericht::Jw323(declaratie) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!("JW323")
    };
    let finding = ijw::Finding {
        code: Some("9338"),
        rule: "TR338".into(),
        element: "Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie".into(),
        line: 0,
        message: String::new(),
    };
    let id = ijw::RetourId {
        identificatie: "RET000000001",
        dagtekening: date("2026-12-08"),
    };
    let ijw::Bericht::Jw325(answer) =
        ijw::retour(&ijw::Bericht::Jw323(declaratie), &[finding], id).unwrap()
    else {
        panic!("JW325")
    };
    let answer = |edit: &dyn Fn(&mut jw325::DeclaratieAntwoord)| {
        let mut b = answer.clone();
        edit(b.declaratie_antwoord.as_mut().unwrap());
        ijw::Bericht::Jw325(b)
    };
    assert!(
        rules(&answer(&|_| {})).is_empty(),
        "rejected, nothing granted"
    );
    // A listed prestatie without a rejection code, granted all the same.
    assert_eq!(
        findings(&answer(&|a| {
            a.totaal_toegekend_bedrag.totaal_bedrag = 75_000;
            a.clienten.as_mut().unwrap().client[0].prestaties.prestatie[0]
                .retour_codes
                .retour_code = vec![RetourCode::R0200];
        })),
        [
            (
                "TR342".to_owned(),
                "Bericht/DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie".to_owned()
            ),
            (
                "TR342".to_owned(),
                "Bericht/DeclaratieAntwoord/TotaalToegekendBedrag".to_owned()
            )
        ]
    );
    // Under a rejected client the prestaties are not judged (0233): that is a rejection.
    assert!(
        rules(&answer(&|a| {
            let client = &mut a.clienten.as_mut().unwrap().client[0];
            client.retour_codes.retour_code = vec![RetourCode::R8187];
            client.prestaties.prestatie[0].retour_codes.retour_code = vec![RetourCode::R0233];
        }))
        .is_empty()
    );
    // A rejected declaration grants nothing.
    let rejected = |granted: i64| {
        rules(&answer(&|a| {
            a.clienten = None;
            a.retour_codes.retour_code = vec![RetourCode::R9333];
            a.totaal_toegekend_bedrag.totaal_bedrag = granted;
        }))
    };
    assert!(rejected(0).is_empty());
    assert_eq!(rejected(75_000), ["TR342"]);
}

#[test]
fn a_request_to_change_names_what_stays_and_what_changes() {
    // Only unchanged and new products: fine for TR352 and TR353.
    assert!(rules(&jw317(|v| v.te_wijzigen_producten = None)).is_empty());
    // Only new products: nothing current is named.
    assert_eq!(
        rules(&jw317(|v| (
            v.ongewijzigde_producten,
            v.te_wijzigen_producten
        ) = (None, None))),
        ["TR352"]
    );
    // New products of another code may overlap (TR410).
    assert!(
        rules(&jw317(|v| {
            let nieuw = &mut v.nieuwe_producten.as_mut().unwrap().nieuw_product;
            let mut other = nieuw[0].clone();
            other.product.as_mut().unwrap().code = Some("45A54".into());
            nieuw.push(other);
        }))
        .is_empty()
    );
    // Without a product (generic), a new product overlaps every other one.
    assert_eq!(
        rules(&jw317(|v| {
            let nieuw = &mut v.nieuwe_producten.as_mut().unwrap().nieuw_product;
            let mut generic = nieuw[0].clone();
            (generic.product, generic.omvang, generic.budget) = (None, None, Some(10_000));
            nieuw.push(generic);
        })),
        ["TR410"]
    );
}

#[test]
fn a_rejection_names_the_responsible_gemeente_exactly_for_the_woonplaatsbeginsel() {
    use ijw::types::codes::VerzoekAntwoord;
    let reason_8 = |named: bool| {
        rules(&jw319(|a| {
            a.verzoek_antwoord = VerzoekAntwoord::VerzoekAfgewezen;
            a.reden_afwijzing_verzoek = Some(RedenAfwijzingVerzoek::Woonplaatsbeginsel);
            a.woonplaatsbeginsel = named.then(|| jw319::Woonplaatsbeginsel {
                gemeente: "0344".into(),
            });
        }))
    };
    assert!(reason_8(true).is_empty());
    assert_eq!(reason_8(false), ["TR377"]);
    assert_eq!(
        rules(&jw319(|a| {
            a.verzoek_antwoord = VerzoekAntwoord::VerzoekAfgewezen;
            a.reden_afwijzing_verzoek = Some(RedenAfwijzingVerzoek::AndereGemeente);
            a.woonplaatsbeginsel = Some(jw319::Woonplaatsbeginsel {
                gemeente: "0344".into(),
            });
        })),
        ["TR409"]
    );
}
