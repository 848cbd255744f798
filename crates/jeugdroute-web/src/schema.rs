//! The JSON API's request and response types. The OpenAPI document is
//! generated from them (`utoipa`), and every request body is checked against
//! that document before it is read (`crate::openapi::check`), so what the
//! document promises and what the server accepts are one thing.
//!
//! The domain's enums are mirrored here rather than given `ToSchema` in the
//! domain crate, which stays free of HTTP concerns; a test holds every mirror to
//! the domain's list of keys.

use chrono::NaiveDate;
use jeugdroute_app::Invoer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An error: what went wrong, every field that is wrong, and for an internal
/// failure the request id to quote.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Fout {
    /// What went wrong, in Dutch.
    pub fout: String,
    pub velden: Vec<Veldfout>,
    /// The request id of an internal failure, to quote to the administrator.
    pub verzoek: Option<String>,
    /// At a melding refused with 409: the open cases of the youth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_casussen: Option<Vec<i64>>,
}

/// A field that is wrong, and how to fix it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Veldfout {
    pub veld: String,
    pub melding: String,
}

/// `POST /api/v1/login`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct Login {
    /// At most `jeugdroute_app::MAX_GEBRUIKERSNAAM` characters (a test holds them equal).
    #[schema(max_length = 100)]
    pub gebruikersnaam: String,
    /// At most `jeugdroute_app::MAX_WACHTWOORD` characters.
    #[schema(max_length = 1024, format = Password)]
    pub wachtwoord: String,
}

/// A session: send `token` as `Authorization: Bearer <token>`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Sessie {
    pub token: String,
    /// Only for a client that uses the session cookie instead: send it as `X-CSRF-Token`.
    pub csrf_token: String,
    pub gebruikersnaam: String,
    #[schema(value_type = String, example = "toegangsmedewerker")]
    pub rol: &'static str,
    pub verloopt_over_seconden: i64,
}

/// A parent or carer named at the melding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct MeldingOuder {
    #[schema(max_length = 200)]
    pub naam: String,
    #[schema(max_length = 20)]
    pub telefoon: Option<String>,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Holds gezag: the beschikking goes to them.
    pub gezag: Option<bool>,
}

/// `POST /api/v1/casussen`: a melding. Text fields are checked by the
/// application too (BSN elfproef, postcode, the woonplaatsbeginsel), each error
/// naming its field (422).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct Melding {
    /// BSN of the youth: nine digits that pass the elfproef.
    #[schema(example = "999990019", max_length = 9)]
    pub bsn: String,
    #[schema(min_length = 1, max_length = 200)]
    pub voornamen: String,
    #[schema(min_length = 1, max_length = 200)]
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub geslacht: Option<Geslacht>,
    /// CBS code of the gemeente that decides (woonplaatsbeginsel).
    #[schema(example = "0307", max_length = 4)]
    pub gemeente: String,
    #[schema(min_length = 1, max_length = 24)]
    pub straat: String,
    #[schema(min_length = 1, max_length = 10)]
    pub huisnummer: String,
    #[schema(example = "3811 AB", max_length = 7)]
    pub postcode: String,
    #[schema(min_length = 1, max_length = 80)]
    pub woonplaats: String,
    /// At a stay elsewhere: since when. The gemeente of the address just before it decides.
    pub verblijf_sinds: Option<NaiveDate>,
    /// At a stay elsewhere: the postcode of the address just before it.
    #[schema(max_length = 7)]
    pub postcode_voor_verblijf: Option<String>,
    /// The family's question, in their own words.
    #[schema(min_length = 1, max_length = 2000)]
    pub vraag: String,
    /// Parents and carers; those with gezag receive the beschikking.
    #[schema(max_items = 4, inline)]
    pub ouders: Option<Vec<MeldingOuder>>,
    /// Where the question was found.
    #[schema(min_length = 1, max_length = 200)]
    pub vindplaats: String,
    /// The referrer, iJw code list COD327.
    pub verwijzer: Verwijzer,
    /// Name or AGB code of the referrer; required with 02, 03, 04 and 05.
    #[schema(max_length = 200)]
    pub verwijzer_naam: Option<String>,
    pub urgentie: Urgentie,
    pub kader: Option<Kader>,
    /// AGB code of the GI that holds the regie (forced framework only).
    #[schema(example = "98991001", max_length = 8)]
    pub gi: Option<String>,
    /// Open a second case although the youth has an open one here (409 otherwise).
    pub tweede_casus: Option<bool>,
}

/// Mirrors of the domain's keyed enums: the same keys, for the document.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "kebab-case")]
        pub(crate) enum $name {
            $($variant),+
        }

        impl $name {
            #[allow(dead_code, reason = "the mirror test reads every key")]
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key the forms and the application use.
            #[allow(dead_code, reason = "not every mirror is read back")]
            pub(crate) fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
        }
    };
}

mirror!(
    /// The five-step scale of the parenting situation.
    Opvoedsituatie { Vragen => "vragen", Spanning => "spanning", VerhoogdeSpanning => "verhoogde-spanning", Nood => "nood", Crisis => "crisis" }
);
mirror!(
    /// A domain of life where the question plays.
    Leefgebied {
        Wonen => "wonen", Inkomen => "inkomen", Opleiding => "opleiding", Werk => "werk",
        Opvoeding => "opvoeding", Gezondheid => "gezondheid", Veiligheid => "veiligheid",
        SocialeRelaties => "sociale-relaties", VrijeTijd => "vrije-tijd",
    }
);
mirror!(
    /// The kind of help needed: a lokaal aanbod (closes the case), b specialist, c highly specialist.
    Behoefte { A => "a", B => "b", C => "c" }
);
mirror!(
    /// Who holds the regie of the plan.
    Regie { Gezin => "gezin", Gi => "gi" }
);
mirror!(
    /// The intensity of step 4 of the 7-step plan.
    Intensiteit { Licht => "licht", Midden => "midden", Zwaar => "zwaar", Doorlopend => "doorlopend", Chronisch => "chronisch" }
);
mirror!(
    /// A step of the cliëntroute.
    Fase {
        Melding => "melding", Vraagverheldering => "vraagverheldering", Vraagduiding => "vraagduiding",
        Plan => "plan", Bemiddeling => "bemiddeling", MatchEnIntake => "match-en-intake",
        Beschikking => "beschikking", Toewijzing => "toewijzing", Uitvoering => "uitvoering",
        Evaluatie => "evaluatie", Afgesloten => "afgesloten", Garantieperiode => "garantieperiode",
    }
);
mirror!(
    /// The youth's sex as the JW301 carries it.
    Geslacht { Onbekend => "onbekend", Man => "man", Vrouw => "vrouw" }
);
mirror!(
    /// How urgent the melding is; crisis follows the crisis route.
    Urgentie { Regulier => "regulier", Urgent => "urgent", Crisis => "crisis" }
);
mirror!(
    /// How far a result of the perspectiefplan was reached.
    Oordeel { Behaald => "behaald", Deels => "deels", Niet => "niet" }
);
/// Why the help ended: the CBS reasons of iJw's JZ588 (codes, so no mirror
/// macro); not 20 (a temporary stop) nor 37.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub(crate) enum RedenEinde {
    #[serde(rename = "31")]
    VolgensPlan,
    #[serde(rename = "32")]
    VoortijdigClient,
    #[serde(rename = "33")]
    VoortijdigAanbieder,
    #[serde(rename = "34")]
    VoortijdigInOvereenstemming,
    #[serde(rename = "35")]
    ExterneOmstandigheden,
    #[serde(rename = "36")]
    DoorGemeente,
    #[serde(rename = "38")]
    OverstapAanbieder,
    #[serde(rename = "39")]
    AnderDomein,
    #[serde(rename = "02")]
    Overlijden,
}

impl RedenEinde {
    /// Every reason, in the domain's order.
    pub(crate) const ALL: &'static [RedenEinde] = &[
        RedenEinde::VolgensPlan,
        RedenEinde::VoortijdigClient,
        RedenEinde::VoortijdigAanbieder,
        RedenEinde::VoortijdigInOvereenstemming,
        RedenEinde::ExterneOmstandigheden,
        RedenEinde::DoorGemeente,
        RedenEinde::OverstapAanbieder,
        RedenEinde::AnderDomein,
        RedenEinde::Overlijden,
    ];

    /// The CBS code, as the application reads it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            RedenEinde::VolgensPlan => "31",
            RedenEinde::VoortijdigClient => "32",
            RedenEinde::VoortijdigAanbieder => "33",
            RedenEinde::VoortijdigInOvereenstemming => "34",
            RedenEinde::ExterneOmstandigheden => "35",
            RedenEinde::DoorGemeente => "36",
            RedenEinde::OverstapAanbieder => "38",
            RedenEinde::AnderDomein => "39",
            RedenEinde::Overlijden => "02",
        }
    }
}

/// The referrer by iJw code list COD327 (its codes are not words, so no mirror macro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub(crate) enum Verwijzer {
    #[serde(rename = "01")]
    Gemeente,
    #[serde(rename = "02")]
    Huisarts,
    #[serde(rename = "03")]
    Jeugdarts,
    #[serde(rename = "04")]
    Gi,
    #[serde(rename = "05")]
    Medisch,
    #[serde(rename = "06")]
    Zelf,
    #[serde(rename = "08")]
    Rechter,
}
mirror!(
    /// Voluntary, or the ground of the forced framework.
    Kader { Vrijwillig => "vrijwillig", Ondertoezichtstelling => "ondertoezichtstelling", Voogdij => "voogdij", Jeugdreclassering => "jeugdreclassering", VerwijzingGi => "verwijzing-gi" }
);

/// A result of the perspectiefplan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StapResultaat {
    pub leefgebied: Leefgebied,
    #[schema(min_length = 1, max_length = 500)]
    pub omschrijving: String,
}

/// `POST /api/v1/casussen/{id}/stap`: the step the case is in, with its
/// answers. `fase` names the step the client means; a case that has moved on
/// answers 422 and stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "fase", rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) enum Stap {
    /// The melding is taken up.
    Melding {},
    /// A crisis melding: the crisis help starts at once with a provider that
    /// takes crisis help (one of `aanbieders` in the case file); the beschikking
    /// follows, the assessment after the toewijzing.
    Crisishulp {
        #[schema(example = "98990011", max_length = 8)]
        aanbieder: String,
        /// Today or within a week, not before the melding.
        ingangsdatum: NaiveDate,
    },
    /// A melding for a youth whose help ended less than four months before
    /// (`garantievoorstel` in the case file): back to that help's hoofdaannemer
    /// under the warranty, with the earlier plan, without a new determination.
    Garantie {},
    /// What the question is: the parenting situation, where it plays, the network.
    Vraagverheldering {
        opvoedsituatie: Opvoedsituatie,
        #[schema(min_items = 1, max_items = 9)]
        leefgebieden: Vec<Leefgebied>,
        #[schema(min_length = 1, max_length = 2000)]
        netwerk: String,
        #[schema(min_length = 1, max_length = 2000)]
        vraag: String,
    },
    /// The need (behoefte a closes the case with local help) and the free-access help looked at first.
    Vraagduiding {
        behoefte: Behoefte,
        #[schema(min_length = 1, max_length = 2000)]
        vrij_toegankelijk: String,
    },
    /// The perspectiefplan: who holds the regie and up to three results.
    Plan {
        regie: Regie,
        familiegroepsplan: Option<bool>,
        #[schema(min_items = 1, max_items = 3, inline)]
        resultaten: Vec<StapResultaat>,
    },
    /// The arrangement and intensity (7-step plan steps 2-5a); the answers of the
    /// segment check where the intensity needs it.
    Bemiddeling {
        #[schema(minimum = 1, maximum = 9)]
        arrangement: u8,
        intensiteit: Intensiteit,
        segment_beantwoord: Option<bool>,
        intramuraal: Option<bool>,
        /// Hours of ambulant treatment, at most two decimals.
        #[schema(minimum = 0, maximum = 100000)]
        behandeling_uren: Option<f64>,
        /// Hours of individual guidance, at most two decimals.
        #[schema(minimum = 0, maximum = 100000)]
        begeleiding_uren: Option<f64>,
        /// Half days of group guidance.
        #[schema(minimum = 0, maximum = 100000)]
        dagdelen: Option<u32>,
        tarief_buiten_segment_2: Option<bool>,
        /// Ids of the guidelines of step 4 that fit the family.
        #[schema(max_items = 50)]
        richtlijnen: Option<Vec<String>>,
        /// Segment 3: the product of the region's list (step 5a).
        #[schema(example = "45S01", max_length = 5)]
        segment3_product: Option<String>,
    },
    /// The provider (one of `aanbieders` in the case file), the match and intake
    /// (at most four weeks after the match) and the period of the beschikking.
    MatchEnIntake {
        #[schema(example = "98990001", max_length = 8)]
        aanbieder: String,
        /// Who chose the provider; the family itself when left out.
        gekozen_door: Option<GekozenDoor>,
        match_datum: NaiveDate,
        intake_datum: NaiveDate,
        ingangsdatum: NaiveDate,
        einddatum: NaiveDate,
    },
    /// Agreement of family and gemeente: the JW301 goes to the provider.
    Beschikking {},
    /// After the toewijzing: the help has started (uitvoering), or after crisis
    /// help the assessment starts.
    Toewijzing {},
    /// The help runs; family, provider and local team evaluate it.
    Uitvoering {},
    /// The evaluation: the help goes on (`doorgaan`), or it is closed
    /// (`afsluiten`) with a judgement of every result of the perspectiefplan in
    /// its order, why the help ended and its last day; the warranty follows.
    Evaluatie {
        besluit: Besluit,
        #[schema(max_items = 20)]
        oordelen: Option<Vec<ResultaatOordeel>>,
        reden_einde: Option<RedenEinde>,
        /// The last day of help: not after today.
        einddatum: Option<NaiveDate>,
    },
}

/// What the evaluation decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Besluit {
    Doorgaan,
    Afsluiten,
}

/// The judgement of one result, with what the family itself says of it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResultaatOordeel {
    pub oordeel: Oordeel,
    #[schema(max_length = 1000)]
    pub gezin: Option<String>,
}

/// A correction of the melding, before the beschikking: the family's question,
/// where it came in, who refers and the parents (all of them, as they now are),
/// and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "the schema of the body; the application reads it")]
pub(crate) struct MeldingCorrectie {
    #[schema(min_length = 1, max_length = 500)]
    pub reden: String,
    #[schema(min_length = 1, max_length = 2000)]
    pub vraag: String,
    #[schema(min_length = 1, max_length = 200)]
    pub vindplaats: String,
    pub verwijzer: Verwijzer,
    #[schema(max_length = 200)]
    pub verwijzer_naam: Option<String>,
    #[schema(max_items = 4)]
    pub ouders: Option<Vec<MeldingOuder>>,
}

/// A correction of an earlier step, before the beschikking: the step's answers
/// as `stap` takes them, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Correctie {
    #[schema(min_length = 1, max_length = 500)]
    pub reden: String,
    pub stap: Stap,
}

fn put(invoer: &mut Invoer, field: &str, value: &str) {
    invoer.insert(field.into(), value.into());
}

fn ja(invoer: &mut Invoer, field: &str, value: Option<bool>) {
    if value == Some(true) {
        invoer.insert(field.into(), "ja".into());
    }
}

fn number(invoer: &mut Invoer, field: &str, value: Option<impl ToString>) {
    if let Some(value) = value {
        invoer.insert(field.into(), value.to_string());
    }
}

impl Stap {
    /// The step's form as the application reads it from the page.
    pub(crate) fn invoer(&self) -> Invoer {
        let mut invoer = Invoer::new();
        let fase = match self {
            Stap::Melding {} => "melding",
            Stap::Crisishulp {
                aanbieder,
                ingangsdatum,
            } => {
                put(&mut invoer, "actie", "crisishulp");
                put(&mut invoer, "aanbieder", aanbieder);
                put(&mut invoer, "ingangsdatum", &ingangsdatum.to_string());
                "melding"
            }
            Stap::Garantie {} => {
                put(&mut invoer, "actie", "garantie");
                "melding"
            }
            Stap::Vraagverheldering {
                opvoedsituatie,
                leefgebieden,
                netwerk,
                vraag,
            } => {
                put(&mut invoer, "opvoedsituatie", opvoedsituatie.key());
                for l in leefgebieden {
                    put(&mut invoer, &format!("leefgebied_{}", l.key()), "ja");
                }
                put(&mut invoer, "netwerk", netwerk);
                put(&mut invoer, "vraag", vraag);
                "vraagverheldering"
            }
            Stap::Vraagduiding {
                behoefte,
                vrij_toegankelijk,
            } => {
                put(&mut invoer, "behoefte", behoefte.key());
                put(&mut invoer, "vrij_toegankelijk", vrij_toegankelijk);
                "vraagduiding"
            }
            Stap::Plan {
                regie,
                familiegroepsplan,
                resultaten,
            } => {
                put(&mut invoer, "regie", regie.key());
                for (i, r) in resultaten.iter().enumerate() {
                    put(
                        &mut invoer,
                        &format!("resultaat_{}", i + 1),
                        &r.omschrijving,
                    );
                    put(
                        &mut invoer,
                        &format!("resultaat_{}_leefgebied", i + 1),
                        r.leefgebied.key(),
                    );
                }
                ja(&mut invoer, "familiegroepsplan", *familiegroepsplan);
                "plan"
            }
            Stap::Bemiddeling {
                arrangement,
                intensiteit,
                segment_beantwoord,
                intramuraal,
                behandeling_uren,
                begeleiding_uren,
                dagdelen,
                tarief_buiten_segment_2,
                richtlijnen,
                segment3_product,
            } => {
                if let Some(code) = segment3_product {
                    put(&mut invoer, "segment3_product", code);
                }
                put(&mut invoer, "arrangement", &arrangement.to_string());
                put(&mut invoer, "intensiteit", intensiteit.key());
                for id in richtlijnen.iter().flatten() {
                    put(&mut invoer, &format!("richtlijn_{id}"), "ja");
                }
                ja(&mut invoer, "segment_beantwoord", *segment_beantwoord);
                ja(&mut invoer, "intramuraal", *intramuraal);
                ja(
                    &mut invoer,
                    "tarief_buiten_segment_2",
                    *tarief_buiten_segment_2,
                );
                number(&mut invoer, "behandeling_uren", *behandeling_uren);
                number(&mut invoer, "begeleiding_uren", *begeleiding_uren);
                number(&mut invoer, "dagdelen", *dagdelen);
                "bemiddeling"
            }
            Stap::MatchEnIntake {
                aanbieder,
                gekozen_door,
                match_datum,
                intake_datum,
                ingangsdatum,
                einddatum,
            } => {
                put(&mut invoer, "aanbieder", aanbieder);
                if let Some(g) = gekozen_door {
                    put(&mut invoer, "gekozen_door", g.key());
                }
                put(&mut invoer, "match_datum", &match_datum.to_string());
                put(&mut invoer, "intake_datum", &intake_datum.to_string());
                put(&mut invoer, "ingangsdatum", &ingangsdatum.to_string());
                put(&mut invoer, "einddatum", &einddatum.to_string());
                "match-en-intake"
            }
            Stap::Beschikking {} => "beschikking",
            Stap::Toewijzing {} => "toewijzing",
            Stap::Uitvoering {} => "uitvoering",
            Stap::Evaluatie {
                besluit,
                oordelen,
                reden_einde,
                einddatum,
            } => {
                let besluit = match besluit {
                    Besluit::Doorgaan => "doorgaan",
                    Besluit::Afsluiten => "afsluiten",
                };
                put(&mut invoer, "besluit", besluit);
                for (n, o) in (1..).zip(oordelen.iter().flatten()) {
                    put(&mut invoer, &format!("oordeel_{n}"), o.oordeel.key());
                    put(
                        &mut invoer,
                        &format!("gezin_{n}"),
                        o.gezin.as_deref().unwrap_or(""),
                    );
                }
                if let Some(reden) = reden_einde {
                    put(&mut invoer, "reden_einde", reden.code());
                }
                if let Some(einddatum) = einddatum {
                    put(&mut invoer, "einddatum", &einddatum.to_string());
                }
                "evaluatie"
            }
        };
        invoer.insert("fase".into(), fase.into());
        invoer
    }
}

/// The answers of the bemiddeling form for the live determination, as the
/// form sends them: text, a box ticked when not empty.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct BepalingVraag {
    /// Number of the arrangement, e.g. "2".
    #[schema(example = "2", max_length = 20)]
    pub arrangement: String,
    /// Key of the intensity, e.g. "midden".
    #[schema(example = "midden", max_length = 20)]
    pub intensiteit: String,
    /// Not empty: the questions of the segment check (step 5a) are answered.
    #[schema(max_length = 10)]
    pub segment_beantwoord: Option<String>,
    /// Not empty: a stay is needed.
    #[schema(max_length = 10)]
    pub intramuraal: Option<String>,
    /// Not empty: the tariff does not fit segment 2.
    #[schema(max_length = 10)]
    pub tarief_buiten_segment_2: Option<String>,
    /// Hours of ambulant treatment, e.g. "75,5".
    #[schema(max_length = 12)]
    pub behandeling_uren: Option<String>,
    /// Hours of individual guidance.
    #[schema(max_length = 12)]
    pub begeleiding_uren: Option<String>,
    /// Half days of group guidance, a whole number.
    #[schema(max_length = 12)]
    pub dagdelen: Option<String>,
}

/// `POST /api/v1/voorstel`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct VoorstelVraag {
    /// The ids of the ticked guidelines, separated by commas, e.g. "midden.ontwikkelen,midden.gemiddeld".
    #[schema(max_length = 2000)]
    pub richtlijnen: Option<String>,
}

/// How a sent allocation changes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Wijzigingsoort {
    /// The help stops earlier (RedenWijziging from `reden`).
    Intrekken,
    /// Sent by mistake: Einddatum becomes the Ingangsdatum, RedenWijziging 13.
    Verwijderen,
    /// An administrative correction (RedenWijziging 14) within the beschikking.
    Correctie,
}

/// `POST /api/v1/casussen/{id}/toewijzingen/{nummer}`. Verlengen needs a new beschikking.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct ToewijzingWijziging {
    pub soort: Wijzigingsoort,
    /// Required with intrekken (before the current Einddatum, not before the Ingangsdatum) and correctie.
    pub einddatum: Option<NaiveDate>,
    /// JZ002 code, required with intrekken: 05 herbeoordeling, 02 overleden, 06 ander domein, 07 verhuisd, 09 andere aanbieder.
    pub reden: Option<Reden>,
    /// Why the allocation changes; stays in Jeugdroute, never sent to the provider.
    #[schema(min_length = 1, max_length = 1000)]
    pub toelichting: String,
    /// The version the change is based on; a version changed meanwhile answers 422.
    #[schema(example = "1", max_length = 6)]
    pub versie: Option<String>,
}

/// A RedenWijziging for intrekken (JZ002).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub(crate) enum Reden {
    #[serde(rename = "05")]
    Herbeoordeling,
    #[serde(rename = "02")]
    Overleden,
    #[serde(rename = "06")]
    AnderDomein,
    #[serde(rename = "07")]
    Verhuisd,
    #[serde(rename = "09")]
    AndereAanbieder,
}

/// A changed allocation.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Toewijzingsversie {
    pub toewijzingnummer: i64,
    pub versie: i64,
    pub reden_wijziging: String,
    pub einddatum: NaiveDate,
    pub bericht_identificatie: String,
    /// Where the new JW301 is.
    pub jw301: String,
}

/// A reason of a determination.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Grondslag {
    pub code: String,
    pub tekst: String,
    pub bron: String,
}

/// What the determination decided.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub(crate) enum Uitkomst {
    #[serde(rename = "code")]
    Code,
    #[serde(rename = "segment-3")]
    Segment3,
    #[serde(rename = "segmentcheck-nodig")]
    SegmentcheckNodig,
}

/// The arrangement code for the answers, with every reason.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Bepaling {
    pub arrangement: u8,
    pub arrangement_naam: String,
    pub intensiteit: Intensiteit,
    pub intensiteit_naam: String,
    pub uitkomst: Uitkomst,
    /// The arrangement code, e.g. 50H22; null without one.
    pub code: Option<String>,
    pub redenen: Vec<Grondslag>,
    /// The catalogue version used.
    pub catalogus: String,
}

/// How many guidelines of an intensity are ticked.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Score {
    pub intensiteit: Intensiteit,
    pub aangevinkt: u64,
    pub totaal: u64,
}

/// An intensity proposal (null when nothing is ticked); the worker chooses.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Voorstel {
    pub intensiteit: Option<Intensiteit>,
    pub uitleg: String,
    pub scores: Vec<Score>,
}

/// The youth as a provider sees it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JeugdigeKort {
    pub voornamen: String,
    pub achternaam: String,
    /// Provider only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geboortedatum: Option<NaiveDate>,
}

/// When the intake is due after the match, and how that stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Signaal {
    pub intake_uiterlijk: NaiveDate,
    #[schema(value_type = String, example = "signaal")]
    pub status: &'static str,
}

/// A line of the worklist (worker), or of a provider's allocations: see the fields present.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Casusregel {
    pub id: i64,
    pub gemeente: String,
    /// Worker: the step the case is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fase: Option<Fase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgentie: Option<Urgentie>,
    pub jeugdige: JeugdigeKort,
    /// Worker: the intake signal of a case waiting for its intake.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signaal: Option<Signaal>,
    /// Worker: a message of the case (a JW301) was refused by the receiver's retour.
    pub bericht_afgekeurd: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aangemaakt: Option<String>,
    /// Provider: the allocation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toewijzingnummer: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub productcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingangsdatum: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub einddatum: Option<NaiveDate>,
    /// Provider: the case came back to it under the warranty of earlier help
    /// (the case it came from); no allocation then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub garantie_van: Option<i64>,
    /// Provider: the allocation is another provider's (this AGB code), which
    /// it helps with as onderaannemer; read it at `/api/v1/onderaanneming/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hoofdaannemer: Option<String>,
    /// Provider: what it owes on the allocation today (reageren, start or
    /// stop), each with its last day; empty when nothing is due.
    pub termijnen: Vec<BerichtTermijn>,
}

/// `GET /api/v1/casussen`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Casussen {
    pub casussen: Vec<Casusregel>,
    /// Provider: its requests (JW315, JW317) the gemeente has yet to answer,
    /// the nearest deadline first; empty for other roles.
    pub verzoeken: Vec<EigenVerzoek>,
    /// Worklist: give as `voor` for the next page; none on the last (keyset
    /// paging: a case added meanwhile never repeats or shifts a line).
    #[schema(minimum = 1)]
    pub volgende: Option<i64>,
}

/// A provider's own request waiting for the gemeente's answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EigenVerzoek {
    /// JW315 (a new allocation) or JW317 (a change).
    #[schema(example = "JW315")]
    pub berichtsoort: String,
    pub gemeente: String,
    /// As the request named the youth (a JW317 names none).
    pub voornamen: Option<String>,
    pub achternaam: Option<String>,
    pub geboortedatum: Option<NaiveDate>,
    /// The day the gemeente received it.
    pub ontvangen: NaiveDate,
    /// The gemeente's answer: within five working days, or eight weeks once
    /// it said "in onderzoek".
    pub termijn: BerichtTermijn,
}

/// The melding as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MeldingInfo {
    pub vraag: String,
    pub vindplaats: String,
    /// COD327 code.
    pub verwijzer: String,
    pub verwijzer_naam: Option<String>,
    pub urgentie: Urgentie,
    /// vrijwillig, or the ground of the forced framework.
    pub kader: String,
    /// AGB code of the GI in the forced framework.
    pub gi: Option<String>,
}

/// The youth.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Jeugdige {
    pub bsn: String,
    pub voornamen: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub geslacht: Geslacht,
}

/// A parent or carer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Ouder {
    pub naam: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub gezag: bool,
}

/// A step taken on the route.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Stapinfo {
    pub van: Fase,
    pub naar: Fase,
    pub door: String,
    /// RFC 3339, Dutch time.
    pub op: String,
    pub reden: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VraagverhelderingInfo {
    pub opvoedsituatie: Opvoedsituatie,
    pub leefgebieden: Vec<Leefgebied>,
    pub netwerk: String,
    pub vraag: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GezinsanalyseInfo {
    pub behoefte: Behoefte,
    pub vrij_toegankelijk: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ResultaatInfo {
    pub leefgebied: Leefgebied,
    pub omschrijving: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlanInfo {
    pub regie: Regie,
    pub familiegroepsplan: bool,
    pub resultaten: Vec<ResultaatInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BemiddelingInfo {
    #[schema(minimum = 1, maximum = 9)]
    pub arrangement: u8,
    pub arrangement_naam: String,
    pub intensiteit: Intensiteit,
    /// An arrangement code, or a segment-3 product of the region.
    pub productcode: String,
    pub redenen: Vec<String>,
    pub catalogus: String,
}

mirror!(
    /// Who chose the provider: the family itself, or on the worker's advice.
    GekozenDoor { Gezin => "gezin", Advies => "advies" }
);

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MatchInfo {
    /// AGB code.
    pub aanbieder: String,
    pub aanbieder_naam: String,
    pub gekozen_door: GekozenDoor,
    pub match_datum: NaiveDate,
    pub intake_datum: NaiveDate,
    /// The period of help asked: first and last day.
    pub ingangsdatum: NaiveDate,
    pub einddatum: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BeschikkingInfo {
    pub kenmerk: String,
    pub datum: NaiveDate,
}

/// A correction of an earlier step before the beschikking.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CorrectieInfo {
    pub stap: Fase,
    pub reden: String,
    pub door: String,
    pub op: String,
}

/// After crisis help: by when the assessment must be done.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BeoordelingInfo {
    pub start: NaiveDate,
    pub signaal: NaiveDate,
    pub uiterlijk: NaiveDate,
}

/// What was established along the route; a step not yet taken is null.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Dossier {
    pub vraagverheldering: Option<VraagverhelderingInfo>,
    pub gezinsanalyse: Option<GezinsanalyseInfo>,
    pub plan: Option<PlanInfo>,
    pub bemiddeling: Option<BemiddelingInfo>,
    pub match_en_intake: Option<MatchInfo>,
    pub beschikking: Option<BeschikkingInfo>,
    pub evaluatie: Option<EvaluatieInfo>,
}

/// The evaluation that closed the help.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EvaluatieInfo {
    /// Per result of the perspectiefplan, in its order.
    pub oordelen: Vec<ResultaatOordeel>,
    pub reden_einde: RedenEinde,
    pub einddatum: NaiveDate,
    /// The last day of the warranty; null after death.
    pub garantie_tot: Option<NaiveDate>,
}

/// A progress note of the provider or the local team.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VoortgangInfo {
    /// The user name of who wrote it.
    pub auteur: String,
    /// `aanbieder` or `toegang`.
    pub namens: String,
    /// The provider's AGB code, for a note of the provider.
    pub aanbieder: Option<String>,
    pub tekst: String,
    /// RFC 3339, Dutch time.
    pub geschreven_op: String,
}

/// `POST /api/v1/casussen/{id}/voortgang`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VoortgangSchrijven {
    #[schema(min_length = 1, max_length = 2000)]
    pub voortgang: String,
}

/// An allocation as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ToewijzingInfo {
    pub toewijzingnummer: i64,
    /// AGB code of the provider.
    pub aanbieder: String,
    pub productcode: String,
    pub ingangsdatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub versie: i64,
    /// JZ002 code of the latest change; null for the first version.
    pub reden_wijziging: Option<String>,
    pub aangemaakt: String,
}

/// A change of an allocation.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WijzigingInfo {
    pub toewijzingnummer: i64,
    pub versie: i64,
    pub reden_wijziging: String,
    pub einddatum_was: NaiveDate,
    pub einddatum: NaiveDate,
    pub toelichting: String,
    pub door: String,
    pub bericht_identificatie: String,
    pub aangemaakt: String,
}

/// An iJw message of the case in the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Bericht {
    pub id: i64,
    #[schema(example = "JW301")]
    pub berichtsoort: String,
    /// CBS code of the sending gemeente.
    pub afzender: String,
    /// AGB code of the receiving provider.
    pub ontvanger: String,
    pub aangemaakt: String,
    /// What the receiver's retour said: `goedgekeurd`, `afgekeurd` (act on it), or absent while none came.
    pub retour: Option<String>,
    /// The XML of the message.
    pub xml: String,
}

/// A provider's waiting time longer than the intake deadline.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Wachttijdwaarschuwing {
    pub wachttijd_weken: i64,
    pub intaketermijn_weken: u32,
    pub tekst: String,
}

/// A provider's waiting time measured from the region's own messages: from
/// toewijzing to the start the provider reported (JW305), for this code, over
/// the starts of the last 90 days.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GemetenWachttijd {
    /// Half of the waits were at most this many days.
    pub mediaan_dagen: i64,
    /// Four in five waits were at most this many days.
    pub p80_dagen: i64,
    /// How many waits were measured.
    pub aantal: usize,
    pub tekst: String,
}

/// A page of the provider directory.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Aanbiedergids {
    pub aanbieders: Vec<GidsAanbieder>,
    /// How many providers match, over all pages.
    pub totaal: usize,
    pub pagina: usize,
    pub paginas: usize,
}

/// A provider in the directory, with the arrangement codes it is contracted
/// for today.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GidsAanbieder {
    pub aanbieder: AanbiederKeuze,
    pub codes: Vec<String>,
}

impl GemetenWachttijd {
    pub(crate) fn of(g: &jeugdroute_domain::GemetenWachttijd) -> GemetenWachttijd {
        GemetenWachttijd {
            mediaan_dagen: g.mediaan_dagen,
            p80_dagen: g.p80_dagen,
            aantal: g.aantal,
            tekst: g.omschrijving(),
        }
    }
}

/// A provider to choose at match en intake.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AanbiederKeuze {
    pub agb: String,
    pub naam: String,
    pub plaats: String,
    /// From toewijzing to start; none when no allocation of this code to the
    /// provider started lately.
    pub gemeten_wachttijd: Option<GemetenWachttijd>,
    /// From match to intake; none when the provider held no intake for this
    /// code lately.
    pub gemeten_wachttijd_intake: Option<GemetenWachttijd>,
    /// The waiting time the provider reported, in weeks.
    pub wachttijd_weken: Option<i64>,
    /// The provider reported that it takes no new clients for now.
    pub opnamestop: bool,
    /// When the provider last reported its waiting time or opnamestop (RFC 3339,
    /// Dutch time); none when it never did through Jeugdroute.
    pub wachttijd_gemeld_op: Option<String>,
    pub waarschuwing: Option<Wachttijdwaarschuwing>,
    /// How many cases came back to it under the warranty of its earlier help
    /// in the last twelve months (recurrence).
    pub garantiezaken: i64,
}

/// The whole case file as a worker sees it: the melding, the youth and
/// parents, every step, the dossier, the allocations with their changes, the
/// messages, and at match en intake the providers to choose from. Moments are
/// RFC 3339 in Dutch time.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Casus {
    pub id: i64,
    /// CBS code of the gemeente that decides and pays.
    pub gemeente: String,
    pub fase: Fase,
    pub melding: MeldingInfo,
    /// Which rule of the woonplaatsbeginsel decided the gemeente.
    pub woonplaats_regel: String,
    pub jeugdige: Jeugdige,
    pub ouders: Vec<Ouder>,
    pub aangemaakt: String,
    pub gewijzigd: String,
    pub stappen: Vec<Stapinfo>,
    pub dossier: Dossier,
    /// Corrections of earlier steps, oldest first.
    pub correcties: Vec<CorrectieInfo>,
    /// After crisis help, while the assessment is owed.
    pub beoordeling: Option<BeoordelingInfo>,
    pub toewijzingen: Vec<ToewijzingInfo>,
    pub wijzigingen: Vec<WijzigingInfo>,
    pub berichten: Vec<Bericht>,
    /// At match en intake: the providers to choose from, shortest wait first.
    pub aanbieders: Vec<AanbiederKeuze>,
    /// What each provider recorded of its part: answer, intake, behandelplan.
    pub behandelingen: Vec<Behandeling>,
    /// How the help goes, newest first (the newest 100).
    pub voortgang: Vec<VoortgangInfo>,
    /// The case went back to the hoofdaannemer of earlier help under the warranty.
    pub garantie: Option<GarantieInfo>,
    /// At the melding: the earlier help whose warranty it falls under (step
    /// `garantie` sends the case back).
    pub garantievoorstel: Option<GarantieInfo>,
    /// Who delivers beside the hoofdaannemer.
    pub onderaannemers: Vec<OnderaannemerInfo>,
}

/// An allocation as its provider sees it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ToegewezenHulp {
    pub toewijzingnummer: i64,
    pub productcode: String,
    pub arrangement: Option<String>,
    pub intensiteit: Option<Intensiteit>,
    pub ingangsdatum: NaiveDate,
    pub einddatum: NaiveDate,
}

/// A case as the provider it was allocated to sees it: the results of the
/// family's plan, never the analysis behind them or the letter.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ToegewezenCasus {
    pub id: i64,
    pub gemeente: String,
    pub jeugdige: JeugdigeKort,
    pub toewijzingen: Vec<ToegewezenHulp>,
    /// Whether a JW301 was sent to this provider.
    pub jw301: bool,
    /// The results of the perspectiefplan, numbered from 1 in this order: the
    /// goals of the behandelplan name them by number.
    pub resultaten: Vec<ResultaatInfo>,
    /// What the provider recorded of its own part; null before anything.
    pub behandeling: Option<Behandeling>,
    /// Where the case is on its route, and since when (RFC 3339, Dutch time).
    pub fase: Fase,
    pub fase_sinds: Option<String>,
    /// How the help goes, newest first (the newest 100).
    pub voortgang: Vec<VoortgangInfo>,
    /// The evaluation that closed the help.
    pub evaluatie: Option<EvaluatieInfo>,
    /// The case came back to the provider under the warranty of earlier help.
    pub garantie: Option<GarantieInfo>,
    /// The onderaannemers it called in.
    pub onderaannemers: Vec<OnderaannemerInfo>,
}

/// `POST /api/v1/casussen/{id}/onderaannemers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OnderaannemerToevoegen {
    /// One of the case's allocations to the hoofdaannemer.
    pub toewijzingnummer: i64,
    /// The AGB code of a provider contracted for that allocation's code.
    #[schema(example = "98990088", max_length = 8)]
    pub onderaannemer: String,
}

/// `POST /api/v1/casussen/{id}/onderaannemers/beeindiging`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OnderaannemerBeeindigen {
    pub toewijzingnummer: i64,
    /// The AGB code of a current onderaannemer of that allocation.
    #[schema(example = "98990088", max_length = 8)]
    pub onderaannemer: String,
    /// Why it ends: its part is done, or it was called in by mistake.
    #[schema(min_length = 1, max_length = 500)]
    pub reden: String,
}

/// An onderaannemer of an allocation.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OnderaannemerInfo {
    pub toewijzingnummer: i64,
    pub onderaannemer: String,
    pub hoofdaannemer: String,
    /// RFC 3339, Dutch time.
    pub geregistreerd_op: String,
    /// When the hoofdaannemer ended its part (RFC 3339, Dutch time), and why;
    /// null while it delivers.
    pub beeindigd_op: Option<String>,
    pub einde_reden: Option<String>,
}

/// An allocation's number and period.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Periode {
    pub toewijzingnummer: i64,
    pub ingangsdatum: NaiveDate,
    pub einddatum: NaiveDate,
}

/// `GET /api/v1/onderaanneming/{id}`: what an onderaannemer sees of a case —
/// never the family's plan.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Onderaanneming {
    pub id: i64,
    pub gemeente: String,
    pub jeugdige: JeugdigeKort,
    /// The hoofdaannemer's AGB code.
    pub hoofdaannemer: String,
    pub toewijzingen: Vec<Periode>,
    /// The goals of the hoofdaannemer's behandelplan (`resultaten` empty).
    pub doelen: Vec<DoelInfo>,
}

/// A case sent back to the hoofdaannemer of earlier help under the warranty.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GarantieInfo {
    pub eerdere_casus: i64,
    /// The hoofdaannemer's AGB code.
    pub aanbieder: String,
    /// The last day of the earlier help, and of its warranty.
    pub einddatum: NaiveDate,
    pub garantie_tot: NaiveDate,
    /// When it was sent back (RFC 3339, Dutch time); null for a proposal.
    pub teruggelegd_op: Option<String>,
}

// The hoofdaannemer's part of a case: its answer to the allocation, the intake
// and the behandelplan.

mirror!(
    /// The provider's answer to an allocation: it takes the youth in care, or
    /// something in the allocation does not fit (the toelichting says what).
    Reactie { Geaccepteerd => "geaccepteerd", Probleem => "probleem" }
);

/// `POST /api/v1/casussen/{id}/reactie`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReactieGeven {
    pub reactie: Reactie,
    /// Required with a problem: what the problem is.
    #[schema(max_length = 1000)]
    #[serde(default)]
    pub toelichting: String,
}

/// `POST /api/v1/casussen/{id}/intake`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IntakeRegistreren {
    /// The day the intake was held: not in the future, not before the match.
    pub intakedatum: NaiveDate,
}

/// `PUT /api/v1/casussen/{id}/behandelplan`: replaces the provider's plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BehandelplanOpslaan {
    /// The beknopt plan: at most 1,000 characters.
    #[schema(max_length = 1000)]
    #[serde(default)]
    pub beknopt_plan: String,
    #[schema(min_items = 1, max_items = 10)]
    pub doelen: Vec<DoelInvoer>,
}

/// A goal of the behandelplan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DoelInvoer {
    #[schema(min_length = 1, max_length = 500)]
    pub omschrijving: String,
    /// The numbers (from 1) of the perspectiefplan's results it serves.
    #[schema(min_items = 1, max_items = 20)]
    pub resultaten: Vec<u8>,
    #[schema(min_length = 1, max_length = 1000)]
    pub activiteiten: String,
    /// How often, e.g. "wekelijks een uur".
    #[schema(min_length = 1, max_length = 200)]
    pub hoe_vaak: String,
}

/// What a provider recorded of its part of a case.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Behandeling {
    /// The provider's AGB code.
    pub aanbieder: String,
    pub reactie: Option<ReactieInfo>,
    pub intake: Option<IntakeInfo>,
    pub behandelplan: Option<BehandelplanInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReactieInfo {
    pub reactie: Reactie,
    pub toelichting: Option<String>,
    /// When it was given (RFC 3339, Dutch time).
    pub gegeven_op: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IntakeInfo {
    pub intakedatum: NaiveDate,
    /// When it was registered (RFC 3339, Dutch time).
    pub geregistreerd_op: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BehandelplanInfo {
    pub beknopt_plan: String,
    pub doelen: Vec<DoelInfo>,
    /// When it was last saved (RFC 3339, Dutch time).
    pub opgesteld_op: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DoelInfo {
    pub omschrijving: String,
    /// The numbers (from 1) of the perspectiefplan's results it serves.
    pub resultaten: Vec<usize>,
    pub activiteiten: String,
    pub hoe_vaak: String,
}

/// `GET /api/v1/casussen/{id}`: a worker gets the whole case file, a provider its allocation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum Casusdossier {
    Casus(Box<Casus>),
    Toegewezen(Box<ToegewezenCasus>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use jeugdroute_domain as domain;

    fn keys<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| key(*v)).collect()
    }

    /// Each mirror has exactly the domain's keys, in its order, and serde and
    /// the document write the same key.
    #[test]
    fn every_mirror_lists_every_domain_variant() {
        fn same<T: Copy + Serialize>(
            mirror: &[T],
            key: impl Fn(T) -> &'static str,
            domain: &[&str],
        ) {
            assert_eq!(keys(mirror, &key), domain);
            for v in mirror {
                assert_eq!(serde_json::to_value(v).ok(), Some(key(*v).into()));
            }
        }
        same(
            Opvoedsituatie::ALL,
            Opvoedsituatie::key,
            &keys(domain::Opvoedsituatie::ALL, domain::Opvoedsituatie::key),
        );
        same(
            Leefgebied::ALL,
            Leefgebied::key,
            &keys(domain::Leefgebied::ALL, domain::Leefgebied::key),
        );
        same(
            Behoefte::ALL,
            Behoefte::key,
            &keys(domain::Behoefte::ALL, domain::Behoefte::key),
        );
        same(
            Regie::ALL,
            Regie::key,
            &keys(domain::Regie::ALL, domain::Regie::key),
        );
        same(
            Intensiteit::ALL,
            Intensiteit::key,
            &keys(&domain::Intensiteit::ALL, domain::Intensiteit::key),
        );
        same(
            Fase::ALL,
            Fase::key,
            &keys(&domain::Fase::ALL, domain::Fase::key),
        );
        same(
            Urgentie::ALL,
            Urgentie::key,
            &keys(&domain::Urgentie::ALL, domain::Urgentie::key),
        );
        same(
            Geslacht::ALL,
            Geslacht::key,
            &keys(domain::Geslacht::ALL, domain::Geslacht::key),
        );
        same(
            Reactie::ALL,
            Reactie::key,
            &keys(domain::Reactie::ALL, domain::Reactie::key),
        );
        same(
            Oordeel::ALL,
            Oordeel::key,
            &keys(domain::Oordeel::ALL, domain::Oordeel::key),
        );
        let redenen: Vec<serde_json::Value> =
            keys(domain::RedenEinde::ALL, domain::RedenEinde::key)
                .into_iter()
                .map(Into::into)
                .collect();
        let mirror: Vec<serde_json::Value> = (RedenEinde::ALL.iter())
            .map(|r| {
                assert_eq!(serde_json::to_value(r).ok(), Some(r.code().into()));
                r.code().into()
            })
            .collect();
        assert_eq!(mirror, redenen);
        same(
            GekozenDoor::ALL,
            GekozenDoor::key,
            &keys(domain::GekozenDoor::ALL, domain::GekozenDoor::key),
        );
        let mut kader = vec!["vrijwillig"];
        kader.extend(keys(domain::Grond::ALL, domain::Grond::key));
        same(Kader::ALL, Kader::key, &kader);
        let verwijzers: Vec<serde_json::Value> =
            keys(&domain::Verwijzer::ALL, domain::Verwijzer::code)
                .into_iter()
                .map(Into::into)
                .collect();
        let mirror: Vec<serde_json::Value> = [
            Verwijzer::Gemeente,
            Verwijzer::Huisarts,
            Verwijzer::Jeugdarts,
            Verwijzer::Gi,
            Verwijzer::Medisch,
            Verwijzer::Zelf,
            Verwijzer::Rechter,
        ]
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .collect();
        assert_eq!(mirror, verwijzers);
    }
}

/// One record of the audit log (NEN 7513). No BSN: clients by their number.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditRegel {
    pub id: i64,
    /// Dutch local time, RFC 3339.
    pub tijdstip: String,
    pub gebruiker: String,
    pub rol: Option<String>,
    /// On whose behalf: the gemeente(n) or the provider's AGB code.
    pub namens: Option<String>,
    pub gebeurtenis: String,
    pub jeugdige: Option<i64>,
    pub casus: Option<i64>,
    /// Every client a list showed (one record per list).
    pub jeugdigen: Vec<i64>,
    pub doel: String,
    pub uitkomst: String,
    pub bron: Option<String>,
}

/// A page of a search of the audit log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditPagina {
    pub regels: Vec<AuditRegel>,
    pub pagina: i64,
    pub per_pagina: i64,
    /// Whether the next page has records.
    pub meer: bool,
}

/// A verification of the audit log's chain against its key and witness.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditControle {
    /// When, Dutch local time, RFC 3339.
    pub tijdstip: String,
    /// Whether every record checked is whole.
    pub heel: bool,
    /// How many records were checked.
    pub gecontroleerd: i64,
    /// The newest record that verified.
    pub tot_en_met_regel: Option<i64>,
    /// The first record that did not verify.
    pub eerste_foute_regel: Option<i64>,
    /// Why it did not, in Dutch.
    pub reden: Option<String>,
}

/// A finding on a message: the rule it broke and where.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtBevinding {
    /// `XML`, `XSD` or the rule, e.g. `TR071`.
    pub regel: String,
    /// The retour code, e.g. `9069`; none for XML and XSD problems.
    pub code: Option<String>,
    pub element: String,
    pub melding: String,
}

/// A retour code with what it means, in plain Dutch.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Retourcode {
    #[schema(example = "9069")]
    pub code: String,
    pub uitleg: String,
}

/// A deadline of iJw §3.7 on a message and where it stands today.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtTermijn {
    /// retour, antwoord, antwoord-na-onderzoek or declaratieantwoord; on a
    /// provider's allocation reageren, start or stop.
    #[schema(example = "retour")]
    pub soort: &'static str,
    pub omschrijving: &'static str,
    /// The last day.
    pub uiterlijk: NaiveDate,
    /// open, morgen, vandaag, verlopen, op-tijd or te-laat.
    #[schema(example = "vandaag")]
    pub stand: &'static str,
    /// Whether the last day is near or passed.
    pub signaal: bool,
}

impl BerichtTermijn {
    /// A deadline of kind `soort` (its key and description), due `uiterlijk`,
    /// where it stands.
    pub(crate) fn van(
        (soort, omschrijving): (&'static str, &'static str),
        uiterlijk: NaiveDate,
        stand: jeugdroute_domain::Termijnstand,
    ) -> BerichtTermijn {
        BerichtTermijn {
            soort,
            omschrijving,
            uiterlijk,
            stand: stand.key(),
            signaal: stand.signaal(),
        }
    }
}

/// A received iJw message on the message desk.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtOntvangen {
    pub id: i64,
    /// intern, api, map or ggk.
    pub kanaal: String,
    #[schema(example = "JW305")]
    pub berichtsoort: Option<String>,
    pub afzender: Option<String>,
    pub ontvanger: Option<String>,
    pub identificatie: Option<String>,
    /// ontvangen, verwerkt, afgekeurd, onleesbaar or dubbel.
    pub status: String,
    /// Why it was refused or could not be read.
    pub reden: Option<String>,
    pub bevindingen: Vec<BerichtBevinding>,
    /// The retour codes of its findings, explained.
    pub retourcodes: Vec<Retourcode>,
    pub casus: Option<i64>,
    /// Dutch local time, RFC 3339.
    pub ontvangen_op: String,
    pub verwerkt_op: Option<String>,
    /// The outgoing message that answers it (its retour or JW325).
    pub retour: Option<i64>,
    pub termijnen: Vec<BerichtTermijn>,
}

/// An outgoing iJw message on the message desk.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtVerzonden {
    pub id: i64,
    #[schema(example = "JW301")]
    pub berichtsoort: String,
    pub afzender: String,
    pub ontvanger: String,
    pub identificatie: Option<String>,
    /// wachtend, verzonden, goedgekeurd or afgekeurd.
    pub status: &'static str,
    pub casus: Option<i64>,
    /// The received message it answers.
    pub antwoord_op: Option<i64>,
    /// Dutch local time, RFC 3339.
    pub aangemaakt_op: String,
    pub verzonden_op: Option<String>,
    /// The received retour on it.
    pub retour: Option<i64>,
    /// When the provider's own system confirmed it received it.
    pub ontvangst_bevestigd_op: Option<String>,
    pub termijnen: Vec<BerichtTermijn>,
}

/// A page of received messages, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtenOntvangen {
    pub berichten: Vec<BerichtOntvangen>,
    /// Give as `voor` for the next page; none on the last.
    pub volgende: Option<i64>,
}

/// A page of outgoing messages, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtenVerzonden {
    pub berichten: Vec<BerichtVerzonden>,
    /// Give as `voor` for the next page; none on the last.
    pub volgende: Option<i64>,
}

/// A received message with its XML and our answers.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtOntvangenDetail {
    pub bericht: BerichtOntvangen,
    pub xml: String,
    pub antwoorden: Vec<BerichtVerzonden>,
}

/// An outgoing message with its XML, the message it answers and the retour on it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BerichtVerzondenDetail {
    pub bericht: BerichtVerzonden,
    pub xml: String,
    /// The retour codes in it (a retour or JW325 of ours), explained.
    pub retourcodes: Vec<Retourcode>,
    pub vraag: Option<BerichtOntvangen>,
    pub retour: Option<BerichtOntvangen>,
    /// The codes of that retour, explained.
    pub retour_codes: Vec<Retourcode>,
}

/// An outgoing message for a provider's own system.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UitgaandBericht {
    /// The cursor: give the last one as `na` for what came after.
    pub id: i64,
    #[schema(example = "JW301")]
    pub berichtsoort: String,
    pub afzender: String,
    pub identificatie: Option<String>,
    /// Dutch local time, RFC 3339.
    pub aangemaakt_op: String,
    pub ontvangst_bevestigd_op: Option<String>,
    /// The iJw message.
    pub xml: String,
}

/// The outgoing messages after a cursor, oldest first (at most 100).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UitgaandeBerichten {
    pub berichten: Vec<UitgaandBericht>,
    /// Give as `na` next time: the last id given, or the cursor sent.
    pub volgende: i64,
}

/// A message the provider's system confirmed it received.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Ontvangstbevestiging {
    pub id: i64,
    /// Dutch local time, RFC 3339; the first confirmation counts.
    pub ontvangst_bevestigd_op: String,
}

// The provider's side of the exchange: what a provider hosted here received on
// an allocation, and the messages it writes about it.

/// What a provider reports of its waiting time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WachttijdMelden {
    /// The wait it expects for a new client, in weeks (0 to 104); null for no
    /// estimate.
    #[schema(minimum = 0, maximum = 104)]
    pub wachttijd_weken: Option<i64>,
    /// Whether it takes no new clients for now.
    pub opnamestop: bool,
}

/// What a provider last reported of its waiting time, and its waiting time as
/// measured per arrangement code.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Wachttijdmelding {
    pub wachttijd_weken: Option<i64>,
    pub opnamestop: bool,
    /// When it was reported (RFC 3339, Dutch time); null when never reported
    /// through Jeugdroute.
    pub gemeld_op: Option<String>,
    /// From toewijzing to start, per arrangement code with a start in the
    /// last 90 days.
    pub gemeten: Vec<GemetenPerCode>,
    /// From match to intake, per arrangement code with an intake in the last
    /// 90 days.
    pub gemeten_intake: Vec<GemetenPerCode>,
}

/// The measured waiting time for one arrangement code.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GemetenPerCode {
    pub code: String,
    pub wachttijd: GemetenWachttijd,
}

/// A start of care (JW305) on the allocation of the path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AanbiederStart {
    /// The first day of care, within the allocation's period.
    pub begindatum: NaiveDate,
}

/// A stop of care (JW307) on the allocation of the path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AanbiederStop {
    /// The Begindatum of the start that stops.
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    /// RedenBeeindiging (JZ588), e.g. 20 tijdelijk beëindigd, 31 volgens plan beëindigd.
    #[schema(example = "31", min_length = 2, max_length = 2)]
    pub reden_beeindiging: String,
}

/// The size of the help asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Omvang {
    #[schema(minimum = 1, maximum = 99_999_999)]
    pub volume: i64,
    /// Eenheid (WJ756), e.g. 04 uur, 14 etmaal, 82 stuks (output).
    #[schema(example = "04", min_length = 2, max_length = 2)]
    pub eenheid: String,
    /// Frequentie (WJ757): 1 per dag, 2 per week, 4 per maand, 6 totaal.
    #[schema(example = "2", min_length = 1, max_length = 1)]
    pub frequentie: String,
}

/// A request for a new allocation (JW315) for the client of the allocation of the path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerzoekOmToewijzing {
    /// Productcategorie (JZ020), e.g. 45.
    #[schema(example = "45", min_length = 2, max_length = 2)]
    pub productcategorie: String,
    #[schema(example = "45A13", min_length = 1, max_length = 5)]
    pub productcode: Option<String>,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub omvang: Omvang,
    /// TypeVerwijzer, e.g. 01 gemeente, 02 huisarts.
    #[schema(example = "01", min_length = 2, max_length = 2)]
    pub verwijzer: String,
}

/// A request to change the allocation of the path (JW317).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerzoekOmWijziging {
    /// RedenVerzoek: 1 verandering cliëntsituatie, 2 wijziging zorgplan.
    #[schema(example = "2", min_length = 1, max_length = 1)]
    pub reden_verzoek: String,
    /// GewensteIngangsdatum of the change.
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub omvang: Option<Omvang>,
}

/// One prestatie of a declaration, on an allocation of the gemeente.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PrestatieInvoer {
    #[schema(minimum = 1, maximum = 99_999_999)]
    pub toewijzingnummer: i64,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    /// Delivered, in the allocation's unit.
    #[schema(minimum = 1, maximum = 99_999_999)]
    pub volume: i64,
    /// Tariff per unit in eurocent.
    #[schema(minimum = 1, maximum = 99_999_999)]
    pub tarief: i64,
}

/// A declaration (JW323) to a gemeente over one calendar month.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Declaratie {
    /// The gemeente's CBS code.
    #[schema(example = "0307", min_length = 4, max_length = 4)]
    pub gemeente: String,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    #[schema(min_items = 1, max_items = 100)]
    pub prestaties: Vec<PrestatieInvoer>,
}

/// A message the provider wrote, with where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AanbiederBericht {
    pub id: i64,
    /// JW305, JW307, JW315, JW317 or JW323.
    pub berichtsoort: String,
    pub identificatie: String,
    pub toewijzingnummer: Option<i64>,
    pub referentie_aanbieder: Option<String>,
    pub declaratienummer: Option<String>,
    /// In eurocent.
    pub ingediend_bedrag: Option<i64>,
    /// A removal: the message it removes.
    pub verwijdert: Option<i64>,
    /// RFC 3339, Dutch time.
    pub aangemaakt: String,
    pub verzonden: Option<String>,
    /// goedgekeurd or afgekeurd, once the retour (or JW325) came.
    pub retour: Option<String>,
}

/// One version of the allocation as received (JW301).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OntvangenVersie {
    pub toewijzingsdatum: NaiveDate,
    /// HH:MM:SS.
    pub toewijzingstijd: String,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub productcategorie: Option<String>,
    pub productcode: Option<String>,
    pub reden_wijziging: Option<String>,
    pub volume: Option<i64>,
    pub eenheid: Option<String>,
    pub frequentie: Option<String>,
    pub referentie_aanbieder: Option<String>,
}

/// An answer received on a request (JW319) or a declaration (JW325).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OntvangenAntwoord {
    /// The provider's message it answers.
    pub bericht: i64,
    pub berichtsoort: String,
    /// JW319: 1 afgewezen, 2 in onderzoek.
    pub verzoek_antwoord: Option<String>,
    pub reden_afwijzing: Option<String>,
    pub woonplaats_gemeente: Option<String>,
    pub retourcodes: Option<String>,
    /// JW325: approved, in eurocent.
    pub toegekend_bedrag: Option<i64>,
}

/// A declared prestatie with what the JW325 made of it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GedeclareerdePrestatie {
    /// The JW323 that declared it.
    pub bericht: i64,
    pub referentienummer: String,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub volume: i64,
    /// In eurocent.
    pub bedrag: i64,
    /// ingediend, goedgekeurd or afgewezen.
    pub status: String,
    pub retourcodes: Option<String>,
}

/// An allocation the provider received, with everything of the exchange about it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OntvangenToewijzing {
    pub gemeente: String,
    pub toewijzingnummer: i64,
    /// The client's name as the gemeente sent it.
    pub naam: String,
    pub geboortedatum: NaiveDate,
    /// Oldest first; the last is in force.
    pub versies: Vec<OntvangenVersie>,
    pub berichten: Vec<AanbiederBericht>,
    pub antwoorden: Vec<OntvangenAntwoord>,
    pub prestaties: Vec<GedeclareerdePrestatie>,
}
