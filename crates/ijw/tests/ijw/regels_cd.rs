//! The condities, constraints and restrictions (CD, CS, RS) of the rule texts that the XSD does not enforce: one golden invalid message each.
//!
//! A rule that `rules.rs` already checks for one message or one direction gets a
//! golden file per added part: `RULE-JWnnn.xml` for another message,
//! `RULE-<part>.xml` for the other half of a condition.

use std::path::PathBuf;

use ijw::Berichtsoort;
use ijw::types::codes::{
    AdresSoort, Communicatievorm, DatumGebruik, DebetCredit, Eenheid, Frequentie, NaamGebruik,
};
use ijw::types::{basis, jw301, jw315, jw317, jw323, jw325};

use crate::check_golden_invalid;

/// As [`check_golden_invalid`], for a file named other than its rule.
fn check_golden_invalid_as(file: &str, rule: &str, bericht: &ijw::Bericht) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voorbeelden/ongeldig");
    let path = dir.join(format!("{file}.xml"));
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, ijw::encode(bericht)).unwrap();
    }
    let golden = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = ijw::validate(&golden);
    let found: Vec<(&str, Option<&str>)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.code))
        .collect();
    assert_eq!(found, [(rule, Some("0001"))], "{}", path.display());
}

fn jw301(edit: &dyn Fn(&mut jw301::Bericht)) -> ijw::Bericht {
    let ijw::Bericht::Jw301(mut b) = ijw::voorbeeld(Berichtsoort::Jw301) else {
        panic!("JW301")
    };
    edit(&mut b);
    ijw::Bericht::Jw301(b)
}

fn jw315(edit: &dyn Fn(&mut jw315::AangevraagdProduct)) -> ijw::Bericht {
    let ijw::Bericht::Jw315(mut b) = ijw::voorbeeld(Berichtsoort::Jw315) else {
        panic!("JW315")
    };
    edit(&mut b.client.aangevraagde_producten.aangevraagd_product[0]);
    ijw::Bericht::Jw315(b)
}

fn jw317(edit: &dyn Fn(&mut jw317::Verzoek)) -> ijw::Bericht {
    let ijw::Bericht::Jw317(mut b) = ijw::voorbeeld(Berichtsoort::Jw317) else {
        panic!("JW317")
    };
    edit(&mut b.client.verzoek);
    ijw::Bericht::Jw317(b)
}

fn nieuw(v: &mut jw317::Verzoek) -> &mut jw317::NieuwProduct {
    &mut v.nieuwe_producten.as_mut().unwrap().nieuw_product[0]
}

fn te_wijzigen(v: &mut jw317::Verzoek) -> &mut jw317::TeWijzigenProduct {
    &mut v
        .te_wijzigen_producten
        .as_mut()
        .unwrap()
        .te_wijzigen_product[0]
}

fn jw323(edit: &dyn Fn(&mut jw323::Declaratie)) -> ijw::Bericht {
    let ijw::Bericht::Jw323(mut b) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!("JW323")
    };
    edit(&mut b.declaratie);
    ijw::Bericht::Jw323(b)
}

fn prestatie(d: &mut jw323::Declaratie) -> &mut jw323::Prestatie {
    &mut d.clienten.client[0].prestaties.prestatie[0]
}

/// The answer to our example declaration with its one prestatie rejected (TR338),
/// edited: a JW325 that lists a prestatie.
fn jw325(edit: &dyn Fn(&mut jw325::DeclaratieAntwoord)) -> ijw::Bericht {
    let rejected = ijw::Finding {
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
    let declaratie = ijw::voorbeeld(Berichtsoort::Jw323);
    let Ok(ijw::Bericht::Jw325(mut b)) = ijw::retour(&declaratie, &[rejected], id) else {
        panic!("JW325")
    };
    edit(b.declaratie_antwoord.as_mut().unwrap());
    ijw::Bericht::Jw325(b)
}

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

fn adres(b: &mut jw301::Bericht) -> &mut basis::Adres {
    b.client.contactgegevens.contact[0].adres.as_mut().unwrap()
}

#[test]
fn every_condition_of_one_element_has_a_golden_invalid_example() {
    check_golden_invalid("CD005", &jw301(&|b| adres(b).land_code = None));
    check_golden_invalid("CD025", &jw301(&|b| adres(b).huis = None));
    check_golden_invalid(
        "CS050",
        &jw301(&|b| {
            b.client.naam.naam_gebruik = NaamGebruik::NaamEchtgenootOfGeregistreerdPartner;
        }),
    );
    check_golden_invalid(
        "CS139",
        &jw301(&|b| {
            b.client.geboortedatum.datum_gebruik = Some(DatumGebruik::DagOnbekendAlleenMaandEn);
        }),
    );
    check_golden_invalid(
        "CS338",
        &jw301(&|b| {
            let omvang = b.client.toegewezen_producten.toegewezen_product[0]
                .omvang
                .as_mut()
                .unwrap();
            (omvang.eenheid, omvang.frequentie) = (Eenheid::Etmaal, Frequentie::PerDag);
        }),
    );
    // The halves rules.rs leaves open.
    check_golden_invalid_as(
        "CD007-leeg",
        "CD007",
        &jw301(&|b| b.client.communicatie.as_mut().unwrap().vorm = Communicatievorm::Doventolk),
    );
    check_golden_invalid_as(
        "CD034-postcode",
        "CD034",
        &jw301(&|b| (adres(b).postcode, adres(b).land_code) = (None, None)),
    );
    check_golden_invalid_as(
        "CD066-beide",
        "CD066",
        &jw315(&|p| p.verwijzer.naam = Some("Huisartsenpraktijk De Eem".into())),
    );
}

#[test]
fn every_condition_of_a_requested_product_has_a_golden_invalid_example() {
    check_golden_invalid(
        "CD095",
        &jw315(&|p| p.product.as_mut().unwrap().code = None),
    );
    check_golden_invalid(
        "CS343",
        &jw315(&|p| {
            let omvang = p.omvang.as_mut().unwrap();
            (omvang.eenheid, omvang.frequentie) = (Eenheid::Euros, Frequentie::PerDag);
        }),
    );
    check_golden_invalid_as("CD041-JW315", "CD041", &jw315(&|p| p.omvang = None));
    check_golden_invalid_as(
        "CD075-JW315",
        "CD075",
        &jw315(&|p| (p.omvang, p.budget, p.toewijzing_einddatum) = (None, Some(50_000), None)),
    );
    check_golden_invalid_as(
        "CD076-JW315",
        "CD076",
        &jw315(&|p| p.toewijzing_einddatum = None),
    );
    check_golden_invalid_as("CD078-JW315", "CD078", &jw315(&|p| p.budget = Some(50_000)));
    check_golden_invalid_as(
        "CD079-JW315",
        "CD079",
        &jw315(&|p| (p.product, p.omvang) = (None, None)),
    );

    check_golden_invalid(
        "CD096",
        &jw317(&|v| nieuw(v).product.as_mut().unwrap().code = None),
    );
    check_golden_invalid_as(
        "CS003-JW317",
        "CS003",
        &jw317(&|v| te_wijzigen(v).einddatum = Some(date("2026-10-31"))),
    );
    check_golden_invalid_as("CD041-JW317", "CD041", &jw317(&|v| nieuw(v).omvang = None));
    check_golden_invalid_as(
        "CD075-JW317",
        "CD075",
        &jw317(&|v| {
            let p = nieuw(v);
            (p.omvang, p.budget, p.einddatum) = (None, Some(50_000), None);
        }),
    );
    check_golden_invalid_as(
        "CD076-JW317",
        "CD076",
        &jw317(&|v| te_wijzigen(v).einddatum = None),
    );
    check_golden_invalid_as(
        "CD078-JW317",
        "CD078",
        &jw317(&|v| nieuw(v).budget = Some(50_000)),
    );
    check_golden_invalid_as(
        "CD079-JW317",
        "CD079",
        &jw317(&|v| (nieuw(v).product, nieuw(v).omvang) = (None, None)),
    );
    check_golden_invalid_as(
        "CS338-JW317",
        "CS338",
        &jw317(&|v| {
            let omvang = te_wijzigen(v).omvang.as_mut().unwrap();
            (omvang.eenheid, omvang.frequentie) = (Eenheid::Etmaal, Frequentie::PerDag);
        }),
    );
}

#[test]
fn every_condition_of_a_declaration_has_a_golden_invalid_example() {
    check_golden_invalid(
        "CS100",
        &jw323(&|d| {
            d.declaratie_periode = basis::GeslotenPeriode {
                begindatum: date("2020-12-01"),
                einddatum: date("2020-12-31"),
            };
        }),
    );
    check_golden_invalid(
        "CS337",
        &jw323(&|d| prestatie(d).product_periode.einddatum = date("2026-12-01")),
    );
    check_golden_invalid(
        "CS339",
        &jw323(&|d| (prestatie(d).eenheid, prestatie(d).product_tarief) = (Eenheid::Euros, None)),
    );
    check_golden_invalid(
        "CS340",
        &jw323(&|d| d.declaratie_periode.einddatum = date("2026-11-29")),
    );
    check_golden_invalid_as(
        "CD060-JW323",
        "CD060",
        &jw323(&|d| {
            prestatie(d).ingediend_bedrag.debet_credit = DebetCredit::Credit;
            d.totaal_ingediend_bedrag.debet_credit = DebetCredit::Credit;
        }),
    );
    check_golden_invalid_as(
        "CD087-leeg",
        "CD087",
        &jw323(&|d| {
            let p = prestatie(d);
            (p.eenheid, p.geleverd_volume) = (Eenheid::Euros, 75_000);
        }),
    );
    check_golden_invalid_as(
        "CD060-JW325",
        "CD060",
        &jw325(&|a| {
            a.clienten.as_mut().unwrap().client[0].prestaties.prestatie[0]
                .product_referentie
                .vorig_referentie_nummer = Some("P2026100001".into());
        }),
    );
    check_golden_invalid_as(
        "CS325-JW325",
        "CS325",
        &jw325(&|a| {
            a.totaal_toegekend_bedrag = basis::TotaalBedragMetDC {
                totaal_bedrag: 0,
                debet_credit: DebetCredit::Credit,
            };
        }),
    );
}

/// The rules found in `bericht`, in order.
fn rules(bericht: &ijw::Bericht) -> Vec<String> {
    ijw::validate(ijw::encode(bericht).as_bytes())
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn the_conditions_hold_at_their_edges() {
    let none: Vec<String> = Vec::new();
    // Products without a code may carry an Omvang when they ended by 31-12-2020.
    assert_eq!(
        rules(&jw315(&|p| {
            p.product.as_mut().unwrap().code = None;
            (p.toewijzing_ingangsdatum, p.toewijzing_einddatum) =
                (date("2020-06-01"), Some(date("2020-12-31")));
        })),
        none
    );
    assert_eq!(
        rules(&jw315(&|p| {
            p.product.as_mut().unwrap().code = None;
            (p.toewijzing_ingangsdatum, p.toewijzing_einddatum) =
                (date("2020-06-01"), Some(date("2021-01-01")));
        })),
        ["CD095"]
    );
    // Days per week are fine; the same before 2021 is not checked.
    let etmaal = |frequentie: Frequentie, einddatum: &str| {
        jw317(&|v| {
            let p = te_wijzigen(v);
            p.einddatum = Some(date(einddatum));
            p.gewenste_ingangsdatum = date("2020-01-01");
            let omvang = p.omvang.as_mut().unwrap();
            (omvang.eenheid, omvang.frequentie) = (Eenheid::Etmaal, frequentie);
        })
    };
    assert_eq!(rules(&etmaal(Frequentie::PerWeek, "2027-01-01")), none);
    assert_eq!(rules(&etmaal(Frequentie::PerDag, "2020-12-31")), none);
    assert_eq!(rules(&etmaal(Frequentie::PerDag, "2021-01-01")), ["CS338"]);
    // A changed product with a Budget and an Omvang, and a Budget without end date.
    assert_eq!(
        rules(&jw317(&|v| te_wijzigen(v).budget = Some(1))),
        ["CD078"]
    );
    assert_eq!(
        rules(&jw317(&|v| {
            let p = te_wijzigen(v);
            (p.omvang, p.budget, p.einddatum) = (None, Some(1), None);
        })),
        ["CD075"]
    );
    // A country code without a postcode (on a correspondence address, which needs none).
    assert_eq!(
        rules(&jw301(&|b| {
            b.client.contactgegevens.contact[0].soort = AdresSoort::CorrespondentieAdres;
            adres(b).postcode = None;
        })),
        ["CD005"]
    );
    // A leap February is a whole month; a period starting on the 2nd is not.
    // Dated after the period, as a declaration is (TR134, TR137).
    let periode = |begin: &str, eind: &str| {
        let ijw::Bericht::Jw323(mut b) = jw323(&|d| {
            d.declaratie_periode = basis::GeslotenPeriode {
                begindatum: date(begin),
                einddatum: date(eind),
            };
        }) else {
            panic!("JW323")
        };
        b.header.bericht_identificatie.dagtekening = date("2029-01-05");
        ijw::Bericht::Jw323(b)
    };
    assert_eq!(rules(&periode("2028-02-01", "2028-02-29")), none);
    assert_eq!(rules(&periode("2027-02-01", "2027-02-28")), none);
    assert_eq!(rules(&periode("2026-11-02", "2026-11-30")), ["CS340"]);
    assert_eq!(rules(&periode("2026-11-01", "2026-12-31")), ["CS340"]);
    // A prestatie before 2021 and a credit in a declaration answer without its reference.
    assert_eq!(
        rules(&jw323(&|d| {
            prestatie(d).product_periode = basis::GeslotenPeriode {
                begindatum: date("2020-12-01"),
                einddatum: date("2020-12-31"),
            };
        })),
        // Declared in December 2026, it is also more than five years old (TR335).
        ["TR335", "CS100"]
    );
    assert_eq!(
        rules(&jw325(&|a| {
            let p = &mut a.clienten.as_mut().unwrap().client[0].prestaties.prestatie[0];
            p.ingediend_bedrag.debet_credit = DebetCredit::Credit;
        })),
        // A rejected credit no longer explains the difference of the totals (TR342).
        ["TR342", "CD060"]
    );
}

#[test]
fn names_and_birth_dates_are_written_as_their_use_says() {
    let none: Vec<String> = Vec::new();
    let partner = || basis::Achternaam {
        achternaam: "de Vries".into(),
        voorvoegsel: None,
    };
    // With a partner's name every use 1 to 4 fits, 6 does not; without one, 1 and 6 fit.
    for (gebruik, with_partner, expected) in [
        (
            NaamGebruik::NaamEchtgenootOfGeregistreerdPartner3,
            true,
            none.clone(),
        ),
        (NaamGebruik::EigenNaamGevolgdDoorNaam, true, none.clone()),
        (NaamGebruik::Pseudoniem, true, vec!["CS050".to_owned()]),
        (NaamGebruik::Pseudoniem, false, vec!["CS050".to_owned()]),
    ] {
        let bericht = jw301(&|b| {
            let naam = &mut b.client.relaties.as_mut().unwrap().relatie[0].naam;
            naam.naam_gebruik = gebruik;
            naam.partnernaam = with_partner.then(partner);
        });
        assert_eq!(
            rules(&bericht),
            expected,
            "{gebruik:?}, partner {with_partner}"
        );
    }
    for (gebruik, datum, fits) in [
        (DatumGebruik::DagOnbekendAlleenMaandEn, "2014-05-01", true),
        (DatumGebruik::DagEnMaandOnbekendAlleen, "2014-01-01", true),
        (DatumGebruik::DagEnMaandOnbekendAlleen, "2014-05-01", false),
        (DatumGebruik::DagMaandEnJaarOnbekend, "1900-01-01", true),
        (DatumGebruik::DagMaandEnJaarOnbekend, "2014-01-01", false),
    ] {
        let bericht = jw301(&|b| {
            let g = b.client.relaties.as_mut().unwrap().relatie[0]
                .geboortedatum
                .as_mut()
                .unwrap();
            (g.datum, g.datum_gebruik) = (date(datum), Some(gebruik));
        });
        let expected = if fits {
            none.clone()
        } else {
            vec!["CS139".to_owned()]
        };
        assert_eq!(rules(&bericht), expected, "{gebruik:?} {datum}");
    }
}

/// The restrictions (RS) and the constraints CS015, CS025 and CS319 are left to
/// the XSD (docs/ijw-regels.md): a sample of each kind is refused at XSD level,
/// before any rule within the message runs.
#[test]
fn the_restrictions_left_to_the_xsd_are_refused_there() {
    let cases: [(Berichtsoort, &str, &str, &str); 17] = [
        (
            Berichtsoort::Jw301,
            "RS032",
            "<ijw:Dagtekening>2026-11-02<",
            "<ijw:Dagtekening>2026-11-02Z<",
        ),
        (
            Berichtsoort::Jw301,
            "RS034",
            ">10:15:00<",
            ">10:15:00+01:00<",
        ),
        (
            Berichtsoort::Jw301,
            "RS031",
            "Afgesproken met het gezin en de jeugdhulpaanbieder.",
            "  ",
        ),
        (Berichtsoort::Jw301, "RS033", ">Lindelaan<", "> <"),
        (
            Berichtsoort::Jw301,
            "RS045",
            "<ijw:Voorletters>S<",
            "<ijw:Voorletters>S.<",
        ),
        (
            Berichtsoort::Jw301,
            "RS046",
            ">0331234567<",
            ">033 1234567<",
        ),
        (Berichtsoort::Jw301, "RS047", ">436<", ">437<"),
        (
            Berichtsoort::Jw301,
            "CS025",
            "BerichtVersie>3<",
            "BerichtVersie>4<",
        ),
        (
            Berichtsoort::Jw301,
            "CS015",
            "BerichtSubversie>2<",
            "BerichtSubversie>1<",
        ),
        (
            Berichtsoort::Jw301,
            "RS048",
            "BerichtXsdVersie>1.0.0<",
            "BerichtXsdVersie>1.0<",
        ),
        (
            Berichtsoort::Jw301,
            "RS035",
            "Afzender>0307<",
            "Afzender>307<",
        ),
        (
            Berichtsoort::Jw301,
            "RS004",
            "Huisnummer>12<",
            "Huisnummer>100000<",
        ),
        (Berichtsoort::Jw301, "RS002", "Volgorde>1<", "Volgorde>100<"),
        (
            Berichtsoort::Jw301,
            "RS005",
            "Volume>3<",
            "Volume>100000000<",
        ),
        (
            Berichtsoort::Jw301,
            "RS017",
            ">JR2026110001<",
            ">JR20261100012<",
        ),
        (
            Berichtsoort::Jw323,
            "CS319",
            ">D2026110001<",
            ">D-2026-0001<",
        ),
        (
            Berichtsoort::Jw323,
            "RS040",
            "TotaalBedrag>75000<",
            "TotaalBedrag>1000000000000<",
        ),
    ];
    for (soort, rule, from, to) in cases {
        let xml = ijw::encode(&ijw::voorbeeld(soort));
        assert!(
            xml.contains(from),
            "{rule}: {from} not in the {soort} example"
        );
        let report = ijw::validate(xml.replacen(from, to, 1).as_bytes());
        assert!(
            !report.findings.is_empty() && report.findings.iter().all(|f| f.rule == "XSD"),
            "{rule}: {:?}",
            report.findings
        );
    }
}
