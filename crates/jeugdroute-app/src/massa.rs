//! The load generator behind `jeugdroute demo --casussen N`: many synthetic but
//! realistic cases in the demo region, to see how the worklists, the message
//! desk and the audit log behave with a region's years of work (a million cases
//! and more). The demo's own cases go through the use cases one step at a time;
//! that takes minutes for a few hundred, so this generator chooses the facts
//! here (pure, from a seed) and hands them to the store in bulk
//! (`Tx::insert_massa`, many rows per statement, 10,000 cases per transaction).
//!
//! What a case holds: a household at an address in a gemeente of the region
//! (about 70% in Amersfoort), one youth with a valid, new BSN, a melding with a
//! parent, the route's steps up to the phase it stands in (`Fase::ALL`, most in
//! help or closed), the match for a case past the match, the toewijzing with its
//! JW301 (built and checked as the route builds it, marked sent) for a case that
//! reached the allocation, and its audit records (the BSN check and
//! `casus.aanmaken` of the melding, and `casus.stap` of its latest step),
//! chained through the store like every other record. The assessment's facts
//! (vraagverheldering … bepaling), the letter and the evaluation are not made.
//!
//! BSNs are numbered on from the highest one in the generator's range (first
//! seven digits 1000000 … 8999999; the demo's own start with 9), so a second
//! run, with any seed, never meets a BSN it made before.

use std::collections::HashMap;

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use jeugdroute_domain::{
    AgbCode, Bsn, Catalogue, Fase, GekozenDoor, Gemeentecode, Geslacht, Gezin, Grond, Jeugdige,
    Kader, MatchEnIntake, Melding, MeldingWoonplaats, Ouder, Productcode, Role, Transition,
    Urgentie, Verwijzer, amsterdam_today, short_date, toewijzingsmoment,
};
use jeugdroute_store::{Casus, MassaCasus, MassaIds, MassaToewijzing, NewAuditRecord, Toewijzing};

use crate::demo_casussen::{ACHTERNAMEN, Rng};
use crate::route::{eerste_identificatie, internal, jw301};
use crate::{App, AppError, CasusView, DemoRegio};

/// Cases per transaction.
pub const MASSA_PER_TRANSACTIE: u64 = 10_000;

/// The generator's BSNs: the first seven digits run from here …
const BSN_EERSTE: u64 = 1_000_000;
/// … to below here.
const BSN_GRENS: u64 = 9_000_000;

/// The gemeente most cases are in, and its share in percent.
const HOOFDGEMEENTE: &str = "0307";
const HOOFDGEMEENTE_PROCENT: u64 = 70;

/// How the cases are spread over the phases (per thousand), and how long ago
/// (in days, from … to) a case in that phase came in. Most are in help or
/// closed; the early phases hold recent cases only.
const FASEN: [(Eindfase, u64, (u64, u64)); 13] = [
    (Eindfase::Open(Fase::Melding), 15, (0, 10)),
    (Eindfase::Open(Fase::Vraagverheldering), 25, (3, 30)),
    (Eindfase::Open(Fase::Vraagduiding), 25, (7, 45)),
    (Eindfase::Open(Fase::Plan), 20, (14, 60)),
    (Eindfase::Open(Fase::Bemiddeling), 20, (21, 75)),
    (Eindfase::Open(Fase::MatchEnIntake), 25, (28, 90)),
    (Eindfase::Open(Fase::Beschikking), 15, (35, 100)),
    (Eindfase::Open(Fase::Toewijzing), 30, (40, 110)),
    (Eindfase::Open(Fase::Uitvoering), 280, (60, 1000)),
    (Eindfase::Open(Fase::Evaluatie), 40, (150, 1095)),
    (Eindfase::LokaalAfgesloten, 140, (20, 1095)),
    (Eindfase::NaHulpAfgesloten, 95, (150, 1095)),
    (Eindfase::Garantie, 250, (150, 1095)),
];

/// Where a generated case's route ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Eindfase {
    /// Along the regular route up to and including this phase.
    Open(Fase),
    /// Closed after the gezinsanalyse: free-access help answers the question.
    LokaalAfgesloten,
    /// Closed at the evaluation, without a warranty.
    NaHulpAfgesloten,
    /// Closed at the evaluation; the warranty runs.
    Garantie,
}

/// The regular route from the melding to the evaluation.
const ROUTE: [(Fase, &str); 9] = [
    (Fase::Vraagverheldering, "melding opgepakt"),
    (Fase::Vraagduiding, "vraag verhelderd"),
    (Fase::Plan, "behoefte B: specialistische jeugdhulp nodig"),
    (
        Fase::Bemiddeling,
        "perspectiefplan vastgesteld met het gezin",
    ),
    (Fase::MatchEnIntake, "arrangement en intensiteit bepaald"),
    (Fase::Beschikking, "match met de aanbieder"),
    (Fase::Toewijzing, "akkoord gezin en gemeente: toegewezen"),
    (Fase::Uitvoering, "de aanbieder is met de hulp begonnen"),
    (
        Fase::Evaluatie,
        "evaluatie met gezin, aanbieder en lokaal team",
    ),
];

impl Eindfase {
    /// The steps to this end, each with its reason.
    fn route(self) -> Vec<(Fase, &'static str)> {
        let upto = |fase: Fase| {
            ROUTE
                .iter()
                .position(|(f, _)| *f == fase)
                .map_or(0, |i| i + 1)
        };
        let mut steps: Vec<(Fase, &'static str)> = match self {
            Eindfase::Open(fase) => ROUTE.iter().take(upto(fase)).copied().collect(),
            Eindfase::LokaalAfgesloten => ROUTE.iter().take(2).copied().collect(),
            Eindfase::NaHulpAfgesloten | Eindfase::Garantie => ROUTE.to_vec(),
        };
        match self {
            Eindfase::Open(_) => {}
            Eindfase::LokaalAfgesloten => steps.push((
                Fase::Afgesloten,
                "behoefte A: vrij toegankelijke hulp beantwoordt de vraag",
            )),
            Eindfase::NaHulpAfgesloten => {
                steps.push((Fase::Afgesloten, "afgesloten: verhuisd buiten de regio"));
            }
            Eindfase::Garantie => {
                steps.push((Fase::Afgesloten, "afgesloten: volgens plan beëindigd"));
                steps.push((Fase::Garantieperiode, "garantie"));
            }
        }
        steps
    }
}

const VOORNAMEN: [(&str, Geslacht); 24] = [
    ("Liam", Geslacht::Man),
    ("Emma", Geslacht::Vrouw),
    ("Noah", Geslacht::Man),
    ("Julia", Geslacht::Vrouw),
    ("Lucas", Geslacht::Man),
    ("Mila", Geslacht::Vrouw),
    ("Finn", Geslacht::Man),
    ("Tess", Geslacht::Vrouw),
    ("Levi", Geslacht::Man),
    ("Sophie", Geslacht::Vrouw),
    ("Sem", Geslacht::Man),
    ("Sara", Geslacht::Vrouw),
    ("Luuk", Geslacht::Man),
    ("Yara", Geslacht::Vrouw),
    ("Daan", Geslacht::Man),
    ("Noor", Geslacht::Vrouw),
    ("Mohamed", Geslacht::Man),
    ("Amira", Geslacht::Vrouw),
    ("Bram", Geslacht::Man),
    ("Lotte", Geslacht::Vrouw),
    ("Thijs", Geslacht::Man),
    ("Fenna", Geslacht::Vrouw),
    ("Jesse", Geslacht::Man),
    ("Roos", Geslacht::Vrouw),
];

const OUDERS: [&str; 12] = [
    "Anouk", "Mark", "Linda", "Dennis", "Sanne", "Kevin", "Fatima", "Youssef", "Marieke", "Erik",
    "Esther", "Jeroen",
];

const STRATEN: [&str; 16] = [
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsweg",
    "Schoolstraat",
    "Julianalaan",
    "Beukenlaan",
    "Eikenlaan",
    "Lindelaan",
    "Utrechtseweg",
    "Kastanjelaan",
    "Prins Bernhardlaan",
    "Wilhelminastraat",
    "Nieuwstraat",
    "Zandweg",
    "Vogelzang",
];

const VRAGEN: [&str; 8] = [
    "Ons kind heeft veel driftbuien en wij weten niet meer hoe we moeten reageren.",
    "Onze zoon gaat al weken niet naar school en zit vooral op zijn kamer.",
    "Onze dochter is somber en slaapt slecht sinds de scheiding.",
    "Ons kind heeft moeite met leren en raakt achter op school.",
    "Er is veel spanning thuis; wij willen hulp bij de opvoeding.",
    "Onze zoon heeft ADHD en thuis loopt het vast.",
    "Onze dochter heeft angsten en durft niet meer naar sport.",
    "Wij zoeken begeleiding voor ons kind met een beperking.",
];

const VINDPLAATSEN: [&str; 6] = [
    "school",
    "consultatiebureau",
    "huisarts",
    "wijkteam",
    "kinderopvang",
    "het gezin zelf",
];

/// Who refers, with its weight.
const VERWIJZERS: [(Verwijzer, u64); 6] = [
    (Verwijzer::Gemeente, 30),
    (Verwijzer::Huisarts, 30),
    (Verwijzer::Jeugdarts, 15),
    (Verwijzer::Zelfverwijzer, 17),
    (Verwijzer::MedischSpecialist, 6),
    (Verwijzer::Rechter, 2),
];

const GRONDEN: [Grond; 4] = [
    Grond::Ondertoezichtstelling,
    Grond::Voogdij,
    Grond::Jeugdreclassering,
    Grond::VerwijzingGi,
];

/// A gemeente of the region as the generator uses it.
#[derive(Debug)]
struct Plaats {
    code: Gemeentecode,
    name: String,
    /// Its four-digit postcode areas.
    postcodes: Vec<u16>,
    /// The generator account that acts for it (`demo.<gemeente>`).
    username: String,
}

/// A provider's contract for a product, as a match may choose it.
#[derive(Debug)]
struct Aanbod {
    aanbieder: AgbCode,
    name: String,
    productcode: Productcode,
}

/// What the generator needs of the region and the catalogue.
#[derive(Debug)]
struct Regio {
    plaatsen: Vec<Plaats>,
    /// The share of each gemeente (same order as `plaatsen`).
    gewichten: Vec<u64>,
    aanbod: Vec<Aanbod>,
    gi: Option<AgbCode>,
}

impl Regio {
    fn new(demo: &DemoRegio, catalogue: &Catalogue) -> Result<Regio, AppError> {
        let plaatsen: Vec<Plaats> = demo
            .gemeenten
            .iter()
            .map(|g| Plaats {
                code: g.code.clone(),
                name: g.name.clone(),
                postcodes: demo
                    .postcodegebieden
                    .iter()
                    .filter(|(_, code)| *code == g.code)
                    .map(|(pc4, _)| *pc4)
                    .collect(),
                username: crate::demo_casussen::generator_user(g).username,
            })
            .filter(|p| !p.postcodes.is_empty())
            .collect();
        let rest = u64::try_from(plaatsen.len().saturating_sub(1))
            .unwrap_or(1)
            .max(1);
        let gewichten = plaatsen
            .iter()
            .map(|p| {
                if p.code.as_str() == HOOFDGEMEENTE {
                    HOOFDGEMEENTE_PROCENT * rest
                } else {
                    100 - HOOFDGEMEENTE_PROCENT
                }
            })
            .collect();
        let crisis = catalogue.crisis().map(|c| c.product.code.clone());
        let aanbod: Vec<Aanbod> = demo
            .contracten
            .iter()
            .filter(|c| Some(&c.productcode) != crisis.as_ref())
            .filter_map(|c| {
                let a = demo.aanbieders.iter().find(|a| a.agb == c.aanbieder)?;
                Some(Aanbod {
                    aanbieder: c.aanbieder.clone(),
                    name: a.name.clone(),
                    productcode: c.productcode.clone(),
                })
            })
            .collect();
        if plaatsen.is_empty() || aanbod.is_empty() {
            return Err(internal("the demo region has no gemeente or no contract"));
        }
        Ok(Regio {
            plaatsen,
            gewichten,
            aanbod,
            gi: demo.gis.first().map(|g| g.agb.clone()),
        })
    }
}

/// The BSN numbered `index` in the generator's range: its first seven digits
/// are `BSN_EERSTE + index`, the eighth and ninth make the 11-proef hold.
fn bsn(index: u64) -> Result<Bsn, AppError> {
    let stem = BSN_EERSTE + index;
    if stem >= BSN_GRENS {
        return Err(AppError::Invalid(
            "--casussen: de reeks BSN's van de generator is op; begin met een nieuwe database"
                .into(),
        ));
    }
    let digits = format!("{stem:07}");
    let weighted: u64 = digits
        .bytes()
        .zip([9_u64, 8, 7, 6, 5, 4, 3])
        .map(|(d, w)| u64::from(d - b'0') * w)
        .sum();
    // Rule (11-proef): 9·d1 + … + 2·d8 − d9 is a multiple of 11, and not 0.
    for d8 in 0..=9_u64 {
        let d9 = (weighted + 2 * d8) % 11;
        if d9 <= 9 && weighted + 2 * d8 != d9 {
            let text = format!("{digits}{d8}{d9}");
            return Bsn::parse(&text).map_err(|e| internal(e.message));
        }
    }
    Err(internal("no BSN for this number"))
}

/// The number in the generator's range that follows `highest`.
fn next_index(highest: Option<&str>) -> u64 {
    highest
        .and_then(|b| b.get(..7))
        .and_then(|stem| stem.parse::<u64>().ok())
        .map_or(0, |stem| stem.saturating_sub(BSN_EERSTE) + 1)
}

/// One case's facts, before the store gives it ids.
struct Generator<'a> {
    regio: &'a Regio,
    catalogue: &'a Catalogue,
    now: DateTime<Utc>,
    /// The last toewijzing number per gemeente.
    nummers: HashMap<String, i64>,
}

impl Generator<'_> {
    fn casus(&mut self, rng: &mut Rng, index: u64) -> Result<MassaCasus, AppError> {
        let regio = self.regio;
        let plaats = regio
            .plaatsen
            .get(rng.weighted(regio.gewichten.iter().copied()))
            .ok_or_else(|| internal("no gemeente"))?;
        let (eind, _, (min_days, max_days)) = FASEN
            .get(rng.weighted(FASEN.iter().map(|(_, w, _)| *w)))
            .copied()
            .ok_or_else(|| internal("no phase"))?;
        // When it came in, to the second.
        let age_seconds = rng.range(min_days * 86_400, max_days * 86_400 + 86_399);
        let created_at = self.now - Duration::seconds(i64::try_from(age_seconds).unwrap_or(0));
        let melddag = amsterdam_today(created_at);

        let surname = *rng.pick(&ACHTERNAMEN).unwrap_or(&"Jansen");
        let (first, geslacht) = *rng.pick(&VOORNAMEN).unwrap_or(&("Sam", Geslacht::Onbekend));
        let pc4 = *rng.pick(&plaats.postcodes).unwrap_or(&1000);
        let letters: String = (0..2)
            .map(|_| char::from(b'A' + u8::try_from(rng.range(0, 25)).unwrap_or(0)))
            .collect();
        let gezin = Gezin {
            surname: surname.to_owned(),
            street: (*rng.pick(&STRATEN).unwrap_or(&"Kerkstraat")).to_owned(),
            house_number: rng.range(1, 250).to_string(),
            postcode: format!("{pc4} {letters}"),
            city: plaats.name.clone(),
            gemeente: plaats.code.clone(),
        };
        // Rule: a youth is under 18 at the melding.
        let birth_date = melddag
            .checked_sub_days(Days::new(rng.range(30, 18 * 365 - 2)))
            .unwrap_or(melddag);
        let jeugdige = Jeugdige {
            bsn: bsn(index)?,
            first_names: first.to_owned(),
            surname: surname.to_owned(),
            birth_date,
            gemeente: plaats.code.clone(),
            geslacht,
        };
        let ouder = Ouder {
            naam: format!("{} {surname}", rng.pick(&OUDERS).unwrap_or(&"Sam")),
            telefoon: None,
            email: None,
            gezag: true,
        };
        let gedwongen = rng.percent(3).then_some(()).and(regio.gi.clone());
        let kader = match gedwongen {
            Some(gi) => Kader::Gedwongen {
                grond: *rng.pick(&GRONDEN).unwrap_or(&Grond::Ondertoezichtstelling),
                gi,
            },
            None => Kader::Vrijwillig,
        };
        let verwijzer = match kader {
            Kader::Gedwongen { .. } => Verwijzer::GecertificeerdeInstelling,
            Kader::Vrijwillig => VERWIJZERS
                .get(rng.weighted(VERWIJZERS.iter().map(|(_, w)| *w)))
                .map_or(Verwijzer::Gemeente, |(v, _)| *v),
        };
        let urgentie = match rng.range(0, 99) {
            0..=89 => Urgentie::Regulier,
            90..=97 => Urgentie::Urgent,
            _ => Urgentie::Crisis,
        };
        let melding = Melding {
            vraag: (*rng.pick(&VRAGEN).unwrap_or(&"Hulp bij de opvoeding.")).to_owned(),
            vindplaats: (*rng.pick(&VINDPLAATSEN).unwrap_or(&"school")).to_owned(),
            verwijzer,
            verwijzer_naam: (verwijzer == Verwijzer::Huisarts)
                .then(|| format!("Huisartsenpraktijk {}", gezin.street)),
            urgentie,
            kader,
        };
        // The woonplaatsbeginsel as the melding checks it: the address decides.
        let woonplaats_regel = MeldingWoonplaats {
            adres: vec![plaats.code.clone()],
            verblijf: None,
        }
        .toets(&plaats.code, &plaats.name, melddag)
        .map(|reason| reason.text)
        .map_err(|_| internal("the generated address lies outside its gemeente"))?;

        // The route so far took part of the time since the melding.
        let route = eind.route();
        let span = age_seconds * rng.range(55, 95) / 100;
        let n = u64::try_from(route.len()).unwrap_or(1).max(1);
        let aanbod = rng
            .pick(&regio.aanbod)
            .ok_or_else(|| internal("no contract"))?;
        let mut steps: Vec<Transition> = Vec::with_capacity(route.len());
        let mut from = Fase::Melding;
        for (k, (to, reason)) in (1_u64..).zip(&route) {
            let at = match (to, steps.last()) {
                // The warranty starts with the evaluation that closed the help.
                (Fase::Garantieperiode, Some(last)) => last.at,
                _ => created_at + Duration::seconds(i64::try_from(span * k / n).unwrap_or(0)),
            };
            let reason = match to {
                Fase::Beschikking => format!("match met {}", aanbod.name),
                Fase::Garantieperiode => format!(
                    "garantie tot en met {}",
                    short_date(
                        amsterdam_today(at)
                            .checked_add_months(chrono::Months::new(4))
                            .unwrap_or(melddag)
                    )
                ),
                _ => (*reason).to_owned(),
            };
            steps.push(Transition {
                from,
                to: *to,
                by: plaats.username.clone(),
                at,
                reason,
            });
            from = *to;
        }
        let match_step = steps.iter().find(|s| s.to == Fase::Beschikking);
        let match_intake = match_step.map(|s| {
            let match_date = amsterdam_today(s.at);
            let plus = |days: u64| match_date.checked_add_days(Days::new(days));
            let start_date = plus(rng.range(7, 28)).unwrap_or(match_date);
            MatchEnIntake {
                aanbieder: aanbod.aanbieder.clone(),
                aanbieder_name: aanbod.name.clone(),
                gekozen_door: if rng.percent(80) {
                    GekozenDoor::Gezin
                } else {
                    GekozenDoor::OpAdvies
                },
                match_date,
                // Rule: the intake within four weeks of the match.
                intake_date: plus(rng.range(0, 20)).unwrap_or(match_date),
                start_date,
                end_date: start_date
                    .checked_add_months(chrono::Months::new(if rng.percent(60) { 12 } else { 6 }))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(start_date),
            }
        });
        let mut casus = MassaCasus {
            gezin,
            jeugdige,
            ouder,
            melding,
            woonplaats_regel,
            created_at,
            steps,
            match_intake,
            toewijzing: None,
        };
        let toegewezen = casus.steps.iter().find(|s| s.to == Fase::Toewijzing);
        if let (Some(step), Some(m)) = (toegewezen, &casus.match_intake) {
            let at = step.at;
            let (start_date, end_date) = (m.start_date, m.end_date);
            casus.toewijzing = Some(self.toewijzing(&casus, aanbod, at, start_date, end_date)?);
        }
        Ok(casus)
    }

    /// The allocation of a case and its JW301, built and checked as the route does.
    fn toewijzing(
        &mut self,
        casus: &MassaCasus,
        aanbod: &Aanbod,
        at: DateTime<Utc>,
        start_date: NaiveDate,
        end_date: NaiveDate,
    ) -> Result<MassaToewijzing, AppError> {
        let gemeente = &casus.jeugdige.gemeente;
        let nummer = self
            .nummers
            .entry(gemeente.as_str().to_owned())
            .and_modify(|n| *n += 1)
            .or_insert(1);
        let toewijzing = Toewijzing {
            gemeente: gemeente.clone(),
            nummer: *nummer,
            casus_id: 0,
            aanbieder: aanbod.aanbieder.clone(),
            productcode: aanbod.productcode.clone(),
            start_date,
            end_date,
            created_at: at,
            versie: 1,
            reden_wijziging: None,
        };
        let view = CasusView {
            casus: Casus {
                id: 0,
                jeugdige_id: 0,
                gemeente: gemeente.clone(),
                phase: Fase::Toewijzing,
                melding: casus.melding.clone(),
                woonplaats_regel: casus.woonplaats_regel.clone(),
                created_at: casus.created_at,
                updated_at: at,
            },
            jeugdige: casus.jeugdige.clone(),
            ouders: Vec::new(),
        };
        let identificatie = eerste_identificatie(toewijzing.nummer);
        let body = jw301(
            self.catalogue
                .categorie_van(&toewijzing.productcode)
                .as_str(),
            &view,
            &casus.gezin,
            &toewijzing,
            &identificatie,
            toewijzingsmoment(at),
            None,
        )?;
        Ok(MassaToewijzing {
            nummer: toewijzing.nummer,
            aanbieder: toewijzing.aanbieder,
            productcode: toewijzing.productcode,
            start_date,
            end_date,
            created_at: at,
            identificatie,
            body,
            sent_at: at + Duration::minutes(2),
        })
    }
}

/// The audit records of a stored case: the melding's BSN check and
/// `casus.aanmaken`, as `nieuwe_melding` writes them, and the latest step's
/// `casus.stap`, as `stap` writes it.
fn audit_records<'a>(
    casus: &'a MassaCasus,
    ids: MassaIds,
    role: &'a str,
) -> impl Iterator<Item = NewAuditRecord<'a>> {
    let by = casus.steps.first().map_or("systeem", |s| s.by.as_str());
    let record = move |event, purpose, outcome, occurred_at| NewAuditRecord {
        occurred_at,
        actor: by,
        role: Some(role),
        on_behalf_of: Some(casus.jeugdige.gemeente.as_str()),
        event,
        jeugdige_id: Some(ids.jeugdige_id),
        casus_id: Some(ids.casus_id),
        purpose,
        outcome,
        source: None,
        jeugdigen: &[],
    };
    [
        Some(record(
            "jeugdige.bsn-controle",
            "melding vastleggen",
            "nieuwe jeugdige",
            casus.created_at,
        )),
        Some(record(
            "casus.aanmaken",
            "melding vastleggen",
            "gelukt",
            casus.created_at,
        )),
        casus
            .steps
            .last()
            .map(|s| record("casus.stap", s.to.key(), "gelukt", s.at)),
    ]
    .into_iter()
    .flatten()
}

impl App {
    /// Adds `aantal` generated cases to the demo region (which must be loaded:
    /// [`App::load_demo`]), [`MASSA_PER_TRANSACTIE`] per transaction, from
    /// `seed`; calls `voortgang` with the number done after every transaction.
    /// Answers how many were added.
    pub async fn massa_casussen(
        &self,
        aantal: u64,
        seed: u64,
        mut voortgang: impl FnMut(u64),
    ) -> Result<u64, AppError> {
        let demo = DemoRegio::embedded(self.catalogue())?;
        let regio = Regio::new(&demo, self.catalogue())?;
        let now = self.now();
        let mut tx = self.store.begin_read().await?;
        let first = next_index(
            tx.hoogste_bsn_tussen(&format!("{BSN_EERSTE}00"), &format!("{BSN_GRENS}00"))
                .await?
                .as_deref(),
        );
        let nummers = tx.toewijzingnummers().await?.into_iter().collect();
        drop(tx);
        let mut generator = Generator {
            regio: &regio,
            catalogue: self.catalogue(),
            now,
            nummers,
        };
        // Another start, another stream: a second run makes other families.
        let mut rng = Rng(seed ^ first.wrapping_mul(0xd1b5_4a32_d192_ed03));
        let role = Role::Toegangsmedewerker.as_str();
        let mut done = 0;
        while done < aantal {
            let n = MASSA_PER_TRANSACTIE.min(aantal - done);
            let cases = (done..done + n)
                .map(|i| generator.casus(&mut rng, first + i))
                .collect::<Result<Vec<_>, AppError>>()?;
            let mut tx = self.store.begin().await?;
            let ids = tx.insert_massa(&cases).await?;
            let records: Vec<NewAuditRecord<'_>> = cases
                .iter()
                .zip(ids)
                .flat_map(|(c, ids)| audit_records(c, ids, role))
                .collect();
            tx.append_audits(&records).await?;
            tx.commit().await?;
            done += n;
            voortgang(done);
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use super::*;
    use jeugdroute_domain::{Clientroute, Routesoort};

    #[test]
    fn every_bsn_passes_the_11_proef_and_is_new() {
        let mut seen = std::collections::BTreeSet::new();
        for index in (0..20_000).chain(7_999_000..8_000_000) {
            let bsn = bsn(index).unwrap();
            assert!(Bsn::parse(bsn.as_str()).is_ok());
            assert!(seen.insert(bsn.as_str().to_owned()), "{index}");
            assert_eq!(next_index(Some(bsn.as_str())), index + 1);
        }
        assert!(bsn(BSN_GRENS - BSN_EERSTE).is_err());
        assert_eq!(next_index(None), 0);
    }

    #[test]
    fn every_route_replays_and_every_phase_is_reached() {
        let mut reached = std::collections::BTreeSet::new();
        for (eind, _, _) in FASEN {
            for soort in [Routesoort::Regulier, Routesoort::Crisis] {
                let at = Utc::now();
                let steps = eind
                    .route()
                    .into_iter()
                    .scan(Fase::Melding, |from, (to, reason)| {
                        let step = Transition {
                            from: *from,
                            to,
                            by: "demo.amersfoort".into(),
                            at,
                            reason: reason.into(),
                        };
                        *from = to;
                        Some(step)
                    });
                let route = Clientroute::replay(soort, steps).unwrap();
                reached.insert(route.fase());
            }
        }
        assert_eq!(reached.len(), Fase::ALL.len());
    }
}
