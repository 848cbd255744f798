//! A realistic, valid example of every message, made from the schema itself: the
//! walk follows the generated tables, so the example always has the right shape,
//! and the values come from one fictional case — the youth Sam Jansen in
//! Amersfoort (gemeente 0307) with provider 98990011 — so they fit the rules
//! within the message too. Optional elements that would contradict each other
//! (an Omvang *and* a Budget, a reason for rejection on an "in onderzoek"
//! answer) are left out.

use crate::schema::{ComplexType, SimpleType, Type, tables};
use crate::xml::Element;
use crate::{Bericht, Berichtsoort};

/// Optional elements the example leaves out, each because it only belongs to
/// another situation than the one the example tells.
const LEFT_OUT: &[&str] = &[
    "Budget",                // the example allocates an Omvang (CD077/CD078)
    "RedenWijziging",        // a first allocation has no reason for change (IV099)
    "ReferentieAanbieder",   // JW301: only when honouring a request (TR379)
    "RedenAfwijzingVerzoek", // the answer is "in onderzoek" (CD086)
    "Woonplaatsbeginsel",    // only with rejection reason 8 (TR377)
    "BeschikkingNummer",     // given together with its Ingangsdatum or not at all (CD043)
    "BeschikkingIngangsdatum",
    "VorigReferentieNummer", // only on a credit (CD060)
    "Periode",               // only with contact Soort 04 (CD009)
    "Naam",                  // the referrer is named by its AGB code, so not by name too (CD066)
    "Organisatie",           // only for a stay in an institution (IV002)
    "DatumGebruik",          // the birth date is known
    "Partnernaam",
    "Voorvoegsel",
    "Huisletter",
    "HuisnummerToevoeging",
    "AanduidingWoonadres",
    "Telefoon02",
    "JuridischeStatus",
    "WettelijkeVertegenwoordiging",
    "XsltVersie",
];

/// A valid example of `soort`.
pub fn voorbeeld(soort: Berichtsoort) -> Bericht {
    let root = tables::root_type(soort);
    let element = Element {
        namespace: root.namespace.into(),
        name: "Bericht".into(),
        children: children(root, soort, &[]),
        ..Element::default()
    };
    match Bericht::decode_root(soort, &element) {
        Ok(bericht) => bericht,
        // The walk follows the schema, so decoding cannot fail; the tests prove it
        // for all fourteen messages. Should it ever, the example is the bare header.
        Err(e) => unreachable_example(soort, &e),
    }
}

#[allow(
    clippy::panic,
    reason = "the example generator is proven total by the tests for all fourteen messages"
)]
fn unreachable_example(soort: Berichtsoort, error: &crate::codec::DecodeError) -> Bericht {
    panic!("the example of {soort} does not fit its own schema: {error}")
}

/// The elements of `ty`, inside the elements named by `ancestors` (outermost first).
fn children(ty: &ComplexType, soort: Berichtsoort, ancestors: &[&'static str]) -> Vec<Element> {
    let mut out = Vec::new();
    for particle in ty.particles {
        if particle.min == 0 && LEFT_OUT.contains(&particle.name) {
            continue;
        }
        // A declaration approved in full is answered without prestaties (IV087).
        if soort == Berichtsoort::Jw325 && particle.name == "Clienten" {
            continue;
        }
        let mut element = Element {
            namespace: ty.namespace.into(),
            name: particle.name.into(),
            ..Element::default()
        };
        match particle.ty {
            Type::Complex(complex) => {
                let inner = [ancestors, &[particle.name]].concat();
                element.children = children(complex, soort, &inner);
            }
            Type::Simple(simple) => element.text = value(particle.name, simple, soort, ancestors),
        }
        out.push(element);
    }
    out
}

/// Whether `simple` is, or restricts, the named basisschema type.
fn is(simple: &SimpleType, name: &str) -> bool {
    let mut current = Some(simple);
    while let Some(t) = current {
        if t.name == name {
            return true;
        }
        current = t.parent;
    }
    false
}

fn value(element: &str, simple: &SimpleType, soort: Berichtsoort, ancestors: &[&str]) -> String {
    // The values of a Relatie describe the youth's parent rather than the youth.
    let parent = ancestors.contains(&"Relatie");
    let within = |class: &str| ancestors.contains(&class);
    let declaration = matches!(soort, Berichtsoort::Jw323 | Berichtsoort::Jw325);
    let gemeente_sends = matches!(
        soort,
        Berichtsoort::Jw301
            | Berichtsoort::Jw302
            | Berichtsoort::Jw319
            | Berichtsoort::Jw320
            | Berichtsoort::Jw325
    );
    let text = match element {
        // A fixed header value: the pattern is the only allowed value.
        _ if simple.patterns.len() == 1
            && simple
                .patterns
                .iter()
                .all(|p| p.text.bytes().all(|b| b.is_ascii_digit())) =>
        {
            simple.patterns.first().map_or("", |p| p.text)
        }
        "Afzender" if gemeente_sends => "0307",
        "Afzender" => "98990011",
        "Ontvanger" if gemeente_sends => "98990011",
        "Ontvanger" => "0307",
        "Identificatie" | "DeclaratieIdentificatie" => "JR2026110001",
        "IdentificatieRetour" => "JR2026110002",
        // A declaration of November is made in December, and answered days later.
        "Dagtekening" if soort == Berichtsoort::Jw325 && !within("DeclaratieIdentificatie") => {
            "2026-12-08"
        }
        "Dagtekening" if declaration => "2026-12-04",
        "Dagtekening" | "Toewijzingsdatum" => "2026-11-02",
        "DagtekeningRetour" => "2026-11-03",
        "DeclaratieDagtekening" => "2026-12-04",
        "Toewijzingstijd" => "10:15:00",
        "BasisschemaXsdVersie" | "BerichtXsdVersie" => "1.0.0",
        "Bsn" => "999990019",
        // The youth's mother, Eva Jansen.
        "Datum" if parent => "1986-03-12",
        "Geslacht" if parent => "2",
        "Voornamen" if parent => "Eva",
        "Voorletters" if parent => "E",
        "Datum" => "2014-05-21",
        "Geslacht" => "1",
        "Achternaam" => "Jansen",
        "Voornamen" => "Sam",
        "Voorletters" => "S",
        "NaamGebruik" => "1",
        "Vorm" => "1",
        "Taal" => "Arabisch",
        "Commentaar" => "Afgesproken met het gezin en de jeugdhulpaanbieder.",
        "Nummer" => "1",
        "Volgorde" => "1",
        "Soort" if is(simple, "ijw:LDT_SoortRelatie") => "10",
        "Soort" => "01",
        "Huisnummer" => "12",
        "Postcode" => "3812AB",
        "Straatnaam" => "Lindelaan",
        "Plaatsnaam" => "Amersfoort",
        "LandCode" => "NL",
        "Telefoonnummer" => "0331234567",
        "Landnummer" => "0031",
        "Emailadres" => "gezin.jansen@example.nl",
        "ToewijzingNummer" => "20260001",
        "Categorie" | "ProductCategorie" => "45",
        "Code" | "ProductCode" => "45A53",
        // A new product is asked for from after the request's Dagtekening (TR380).
        "GewensteIngangsdatum" if within("NieuwProduct") => "2026-12-01",
        "Ingangsdatum" | "ToewijzingIngangsdatum" | "GewensteIngangsdatum" => "2026-11-01",
        // Stops, and the periods of a declaration, lie in November 2026.
        "Einddatum"
            if matches!(
                soort,
                Berichtsoort::Jw307
                    | Berichtsoort::Jw308
                    | Berichtsoort::Jw323
                    | Berichtsoort::Jw325
            ) =>
        {
            "2026-11-30"
        }
        "Einddatum" | "ToewijzingEinddatum" => "2027-05-08",
        "Begindatum" if matches!(soort, Berichtsoort::Jw323 | Berichtsoort::Jw325) => "2026-11-01",
        "Begindatum" => "2026-11-09",
        "Volume" => "3",
        "Eenheid" => "04",
        "Frequentie" => "2",
        "StatusAanlevering" => "1",
        "RedenBeeindiging" => "31",
        "ReferentieAanbieder" => "VOT-2026-0001",
        "Type" => "02",
        "Naam" => "Huisartsenpraktijk De Eem",
        "ZorgverlenerCode" => "01012345",
        "Raamcontract" => "2",
        "GezagsdragerBekend" => "1",
        "RedenVerzoek" => "1",
        "VerzoekAntwoord" => "2",
        // The declaration answer approves the declaration in full (IV087).
        "RetourCode" if soort == Berichtsoort::Jw325 && within("DeclaratieAntwoord") => "8001",
        "RetourCode" => "0200",
        "DeclaratieNummer" => "D2026110001",
        "ReferentieNummer" => "P2026110001",
        "GeleverdVolume" => "12",
        "ProductTarief" => "6250",
        "Bedrag" | "TotaalBedrag" | "TotaalIngediendBedrag" | "TotaalToegekendBedrag" => "75000",
        "DebetCredit" => "D",
        _ => fallback(simple),
    };
    text.to_owned()
}

/// A value for an element the case does not name: the first code of its list,
/// or a plain value of its base type.
fn fallback(simple: &SimpleType) -> &'static str {
    let mut current = Some(simple);
    while let Some(t) = current {
        if let Some(first) = t.enumeration.first() {
            return first;
        }
        current = t.parent;
    }
    match simple.base {
        crate::schema::Base::Integer => "1",
        crate::schema::Base::Date => "2026-11-09",
        crate::schema::Base::Time => "10:15:00",
        crate::schema::Base::String => "Voorbeeld",
    }
}
