//! The client route after the melding, one use case per step: each step's form
//! is checked, what it establishes goes into the case's dossier, and the route
//! moves on — in one transaction with its audit record. Bemiddeling asks the
//! domain's rule engine for the arrangement code and shows every reason; the
//! beschikking is a PDF kept with the case; the toewijzing is a JW301 checked by
//! the `ijw` crate before it enters the outbox.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::Catalogue;
use jeugdroute_domain::{
    Behoefte, Bemiddeling, Beoordeling, BeoordelingDeadline, BeschikkingGegevens, BeschikkingInfo,
    Clientroute, Determination, DeterminationInput, Dossier, Evaluatie, Fase, GekozenDoor,
    Gezinsanalyse, Grondslag, Hours, IntakeDeadline, Intensiteit, Leefgebied, MatchEnIntake,
    Oordeel, Opvoedsituatie, Outcome, Plan, PlanResultaat, Productcode, RedenEinde, Regie,
    Resultaatoordeel, SegmentAnswers, Suggestion, Transition, Urgentie, Vraagverheldering,
    amsterdam_today, short_date, toewijzingsmoment, toewijzingsmoment_after,
};
use jeugdroute_store::{
    Behandeling, CaseMessage, Correctie, Garantiezaak, NewAuditRecord, NewBeschikking,
    Onderaanneming, OutgoingMessage, Toewijzing, ToewijzingWijziging, Voortgang,
};

use crate::access::{Actor, UseCase, covers};
use crate::casus::{Check, over_casus, record};
use crate::garantie::Garantievoorstel;
use crate::grenzen::{self, Veld};
use crate::{AanbiederKeuze, App, AppError, CasusView, FieldError};

/// A step's form as text fields by name: the same for an HTML form and JSON.
pub type Invoer = BTreeMap<String, String>;

/// Everything the case page shows beyond the melding.
#[derive(Debug, Clone, Default)]
pub struct Verloop {
    pub steps: Vec<Transition>,
    pub dossier: Dossier,
    /// Every correction of an earlier step, oldest first.
    pub correcties: Vec<Correctie>,
    /// After crisis help: by when the assessment must be done.
    pub beoordeling: Option<BeoordelingDeadline>,
    pub messages: Vec<CaseMessage>,
    pub toewijzingen: Vec<Toewijzing>,
    /// Every change of those allocations, oldest first.
    pub wijzigingen: Vec<ToewijzingWijziging>,
    /// At match and intake: the providers to choose from.
    pub keuze: Vec<AanbiederKeuze>,
    /// What each provider recorded of its part: answer, intake, behandelplan.
    pub behandelingen: Vec<Behandeling>,
    /// How the help goes, by the provider and the local team, newest first.
    pub voortgang: Vec<Voortgang>,
    /// At the melding: the earlier help whose warranty it falls under.
    pub garantievoorstel: Option<Garantievoorstel>,
    /// The case went back to an earlier hoofdaannemer under the warranty.
    pub garantie: Option<Garantiezaak>,
    /// Who delivers beside the hoofdaannemer: its onderaannemers.
    pub onderaannemers: Vec<Onderaanneming>,
}

impl Check {
    pub(crate) fn text(&mut self, invoer: &Invoer, veld: &Veld) -> String {
        self.required(veld, invoer.get(veld.naam).map_or("", String::as_str))
    }

    pub(crate) fn keyed<T: std::str::FromStr<Err = jeugdroute_domain::ParseError>>(
        &mut self,
        invoer: &Invoer,
        field: &'static str,
    ) -> Option<T> {
        let value = invoer.get(field).map_or("", |v| v.trim());
        self.parsed(field, value.parse::<T>().map_err(|e| e.message))
    }

    pub(crate) fn date(&mut self, invoer: &Invoer, field: &'static str) -> Option<NaiveDate> {
        let value = invoer.get(field).map_or("", |v| v.trim());
        self.parsed(
            field,
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map_err(|_| "Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-12-01."),
        )
    }
}

fn ticked(invoer: &Invoer, field: &str) -> bool {
    invoer.get(field).is_some_and(|v| !v.is_empty())
}

/// The determination of the bemiddeling form (7-step plan steps 2-5a), for the
/// live preview and for the step itself.
pub fn bepaling(app: &App, invoer: &Invoer) -> Result<Determination, AppError> {
    determination(app.catalogue(), invoer)
}

/// [`bepaling`] on a catalogue.
pub(crate) fn determination(
    catalogue: &Catalogue,
    invoer: &Invoer,
) -> Result<Determination, AppError> {
    let mut c = Check::default();
    let arrangement = c.parsed(
        "arrangement",
        invoer
            .get("arrangement")
            .map_or("", |v| v.trim())
            .parse::<u8>()
            .map_err(|_| "Kies een arrangement."),
    );
    let intensiteit: Option<Intensiteit> = c.keyed(invoer, "intensiteit");
    let hours = |c: &mut Check, field: &'static str| {
        let value = invoer.get(field).map_or("", |v| v.trim());
        (!value.is_empty())
            .then(|| c.parsed(field, value.parse::<Hours>().map_err(|e| e.message)))
            .flatten()
    };
    let behandeling = hours(&mut c, "behandeling_uren");
    let begeleiding = hours(&mut c, "begeleiding_uren");
    let dagdelen = Some(invoer.get("dagdelen").map_or("", |v| v.trim()))
        .filter(|v| !v.is_empty())
        .and_then(|v| {
            c.parsed(
                "dagdelen",
                v.parse::<u32>()
                    .map_err(|_| "Geef een heel aantal dagdelen."),
            )
        });
    c.finish()?;
    let (Some(arrangement), Some(intensiteit)) = (arrangement, intensiteit) else {
        return Err(AppError::Invalid(
            "arrangement en intensiteit ontbreken".into(),
        ));
    };
    let segment = ticked(invoer, "segment_beantwoord").then_some(SegmentAnswers {
        intramuraal: ticked(invoer, "intramuraal"),
        behandeling,
        begeleiding,
        dagdelen,
        tarief_buiten_segment_2: ticked(invoer, "tarief_buiten_segment_2"),
    });
    catalogue
        .determine(&DeterminationInput {
            arrangement,
            intensiteit,
            segment,
        })
        .map_err(|e| {
            AppError::Fields(vec![FieldError {
                field: "arrangement",
                message: e.to_string(),
            }])
        })
}

/// The guidelines of step 4 ticked on the bemiddeling form (`richtlijn_<id>`).
pub fn richtlijnen(invoer: &Invoer) -> Vec<&str> {
    invoer
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .filter_map(|(field, _)| field.strip_prefix("richtlijn_"))
        .collect()
}

/// An intensity proposal from the ticked guidelines (7-step plan step 4); none
/// when nothing is ticked. It only proposes: the worker chooses.
pub fn voorstel(app: &App, ticked: &[&str]) -> Result<Option<Suggestion>, AppError> {
    suggestion(app.catalogue(), ticked)
}

/// [`voorstel`] on a catalogue.
pub(crate) fn suggestion(
    catalogue: &Catalogue,
    ticked: &[&str],
) -> Result<Option<Suggestion>, AppError> {
    if ticked.is_empty() {
        return Ok(None);
    }
    catalogue
        .suggest_intensiteit(ticked)
        .map(Some)
        .map_err(|e| {
            AppError::Fields(vec![FieldError {
                field: "richtlijnen",
                message: e.to_string(),
            }])
        })
}

impl App {
    /// The intensity proposal for a worker at the bemiddeling step, as
    /// [`voorstel`]; only those who take the step may ask.
    pub async fn voorstellen(
        &self,
        actor: &Actor,
        ticked: &[&str],
    ) -> Result<Option<Suggestion>, AppError> {
        self.require(actor, UseCase::StapZetten, "voorstel.tonen")
            .await?;
        voorstel(self, ticked)
    }

    /// The live determination for a worker at the bemiddeling step: the rules of
    /// the catalogue on the given answers. It reads no client data, so it writes
    /// no audit record — but only those who take the step may ask.
    pub async fn bepalen(&self, actor: &Actor, invoer: &Invoer) -> Result<Determination, AppError> {
        self.require(actor, UseCase::StapZetten, "bepaling.tonen")
            .await?;
        bepaling(self, invoer)
    }
}

/// A house number as iJw wants it: the number, and what follows it.
fn huisnummer(text: &str) -> (i64, Option<String>) {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = text[digits.len()..].trim_matches(|c: char| c == '-' || c.is_whitespace());
    (
        digits.parse().unwrap_or(0),
        Some(rest.chars().take(4).collect()).filter(|r: &String| !r.is_empty()),
    )
}

fn code<T: std::str::FromStr>(text: &str) -> Result<T, AppError>
where
    T::Err: std::fmt::Display,
{
    text.parse::<T>()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("iJw code {text}: {e}")))
}

/// The BerichtIdentificatie of an allocation's first JW301. Unique per sender:
/// one first JW301 per ToewijzingNummer of the gemeente. Changes have their own
/// scheme (`wijziging::identificatie`).
pub(crate) fn eerste_identificatie(nummer: i64) -> String {
    format!("JW301{nummer:07}")
}

/// The JW301 of an allocation as it stands (its first version, or a change with
/// its RedenWijziging), checked by the `ijw` crate: a message that does not pass
/// is an internal error and never reaches the outbox.
#[allow(clippy::too_many_arguments, reason = "the facts of one JW301")]
pub(crate) fn jw301(
    categorie: &str,
    view: &CasusView,
    gezin: &jeugdroute_domain::Gezin,
    t: &Toewijzing,
    identificatie: &str,
    (today, time): (NaiveDate, chrono::NaiveTime),
    referentie_aanbieder: Option<&str>,
) -> Result<String, AppError> {
    use ijw::types::{basis, jw301 as m};
    let (nummer, toevoeging) = huisnummer(&gezin.house_number);
    let contact = m::Contact {
        soort: code("01")?,
        adres: Some(basis::Adres {
            huis: Some(basis::Huis {
                huisnummer: nummer,
                huisletter: None,
                huisnummer_toevoeging: toevoeging,
                aanduiding_woonadres: None,
            }),
            postcode: Some(gezin.postcode.replace(' ', "")),
            straatnaam: Some(gezin.street.chars().take(24).collect()),
            plaatsnaam: Some(gezin.city.chars().take(80).collect()),
            land_code: Some(code("NL")?),
        }),
        organisatie: None,
        telefoon: None,
        emailadres: None,
        periode: None,
    };
    let bericht = m::Bericht {
        header: m::Header {
            bericht_code: "436".into(),
            bericht_versie: 3,
            bericht_subversie: 2,
            afzender: t.gemeente.as_str().into(),
            ontvanger: t.aanbieder.as_str().into(),
            bericht_identificatie: basis::BerichtIdentificatie {
                identificatie: identificatie.into(),
                dagtekening: today,
            },
            xsd_versie: basis::XsdVersie {
                basisschema_xsd_versie: "1.0.0".into(),
                bericht_xsd_versie: "1.0.0".into(),
            },
        },
        client: m::Client {
            bsn: view.jeugdige.bsn.as_str().into(),
            geboortedatum: basis::Geboortedatum {
                datum: view.jeugdige.birth_date,
                datum_gebruik: None,
            },
            geslacht: code(view.jeugdige.geslacht.ijw_code())?,
            naam: basis::VolledigeNaam {
                geslachtsnaam: basis::Achternaam {
                    achternaam: view.jeugdige.surname.chars().take(200).collect(),
                    voorvoegsel: None,
                },
                partnernaam: None,
                voornamen: Some(view.jeugdige.first_names.chars().take(200).collect()),
                voorletters: None,
                naam_gebruik: code("1")?,
            },
            communicatie: None,
            juridische_status: None,
            wettelijke_vertegenwoordiging: None,
            commentaar: None,
            relaties: None,
            contactgegevens: m::Contactgegevens {
                contact: vec![contact],
            },
            toegewezen_producten: m::ToegewezenProducten {
                toegewezen_product: vec![m::ToegewezenProduct {
                    toewijzing_nummer: t.nummer,
                    referentie_aanbieder: referentie_aanbieder.map(str::to_owned),
                    product: Some(basis::Product {
                        categorie: code(categorie)?,
                        code: Some(t.productcode.as_str().into()),
                    }),
                    toewijzingsdatum: today,
                    toewijzingstijd: time,
                    ingangsdatum: t.start_date,
                    einddatum: Some(t.end_date),
                    reden_wijziging: t.reden_wijziging.as_deref().map(code).transpose()?,
                    omvang: Some(basis::Omvang {
                        volume: 1,
                        eenheid: code("82")?,
                        frequentie: code("6")?,
                    }),
                    budget: None,
                    commentaar: None,
                }],
            },
        },
    };
    let xml = ijw::encode(&ijw::Bericht::Jw301(bericht));
    let report = ijw::validate(xml.as_bytes());
    if !report.is_valid() {
        let findings: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{} {}: {}", f.rule, f.element, f.message))
            .collect();
        return Err(AppError::Internal(anyhow::anyhow!(
            "the JW301 of case {} does not pass its own checks: {}",
            view.casus.id,
            findings.join("; ")
        )));
    }
    Ok(xml)
}

/// What the family and the worker established before the decision.
pub(crate) fn assessed(
    dossier: &Dossier,
) -> Result<(&Vraagverheldering, &Gezinsanalyse, &Plan), AppError> {
    match (
        &dossier.vraagverheldering,
        &dossier.gezinsanalyse,
        &dossier.plan,
    ) {
        (Some(v), Some(g), Some(p)) => Ok((v, g, p)),
        _ => Err(internal(
            "a decision without vraagverheldering, gezinsanalyse and plan",
        )),
    }
}

/// Whether the case got crisis help before its assessment: a crisis melding
/// with a match and no bemiddeling.
fn crisishulp_gegeven(view: &CasusView, dossier: &Dossier) -> bool {
    view.casus.melding.urgentie == Urgentie::Crisis
        && dossier.bemiddeling.is_none()
        && dossier.match_en_intake.is_some()
}

/// The help decided for a case: its product and name, the match (with the
/// period) and the beschikking. Regular help comes from the bemiddeling; crisis
/// help, decided before any assessment, is the catalogue's crisis product.
pub(crate) struct Besloten<'a> {
    pub productcode: Productcode,
    pub name: String,
    pub bemiddeling: Option<&'a Bemiddeling>,
    pub match_en_intake: &'a MatchEnIntake,
    pub beschikking: &'a BeschikkingInfo,
}

pub(crate) fn decided<'a>(app: &App, dossier: &'a Dossier) -> Result<Besloten<'a>, AppError> {
    let (Some(m), Some(info)) = (&dossier.match_en_intake, &dossier.beschikking) else {
        return Err(internal("a decision without a match"));
    };
    let (productcode, name) = match &dossier.bemiddeling {
        Some(b) => (b.productcode.clone(), b.arrangement_name.clone()),
        None => {
            let crisis = app
                .catalogue()
                .crisis()
                .ok_or_else(|| internal("crisis help without a crisis product"))?;
            (crisis.product.code.clone(), crisis.product.name.clone())
        }
    };
    Ok(Besloten {
        productcode,
        name,
        bemiddeling: dossier.bemiddeling.as_ref(),
        match_en_intake: m,
        beschikking: info,
    })
}

pub(crate) fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{e}"))
}

/// The decision's reference: the gemeente and the case.
fn kenmerk(view: &CasusView) -> String {
    format!("JR-{}-{}", view.casus.gemeente.as_str(), view.casus.id)
}

impl App {
    /// The route of a case as its page shows it: its steps, dossier, messages,
    /// allocations and, at match and intake, the providers to choose from.
    pub async fn verloop(&self, actor: &Actor, view: &CasusView) -> Result<Verloop, AppError> {
        if !covers(&actor.user, &view.casus.gemeente, &view.casus.melding.kader) {
            return Err(AppError::NotFound);
        }
        let mut tx = self.store.begin().await?;
        let dossier = tx.dossier(view.casus.id).await?;
        let crisis = view.casus.melding.urgentie == Urgentie::Crisis;
        let keuze = match (
            view.casus.phase,
            &dossier.bemiddeling,
            self.catalogue().crisis(),
        ) {
            (Fase::MatchEnIntake, Some(b), _) => self.keuze(&mut tx, &b.productcode).await?,
            (Fase::Melding, _, Some(c)) if crisis => self.keuze(&mut tx, &c.product.code).await?,
            _ => Vec::new(),
        };
        // Crisis help without a bemiddeling: the assessment still owed.
        let beoordeling = match (&dossier.match_en_intake, &dossier.bemiddeling) {
            (Some(m), None) if crisis && BeoordelingDeadline::awaited(view.casus.phase) => {
                Some(self.beoordeling_deadline(m)?)
            }
            _ => None,
        };
        let garantievoorstel = match view.casus.phase {
            Fase::Melding => self.garantievoorstel(&mut tx, &view.casus).await?,
            _ => None,
        };
        let verloop = Verloop {
            steps: tx.steps(view.casus.id).await?,
            messages: tx.case_messages(view.casus.id).await?,
            toewijzingen: tx.toewijzingen(view.casus.id).await?,
            wijzigingen: tx.toewijzing_wijzigingen(view.casus.id).await?,
            behandelingen: tx.behandelingen(view.casus.id, None).await?,
            voortgang: tx.voortgang(view.casus.id).await?,
            garantievoorstel,
            garantie: tx.garantie(view.casus.id).await?,
            onderaannemers: tx.onderaannemers(view.casus.id, None).await?,
            correcties: tx.correcties(view.casus.id).await?,
            dossier,
            keuze,
            beoordeling,
        };
        tx.commit().await?;
        Ok(verloop)
    }

    /// Takes the next step of a case's route with the step's form. `fase` in the
    /// form is the step it was made for: a form of an earlier step (a second tab,
    /// a double click) is refused instead of applied twice.
    pub async fn stap(
        &self,
        actor: &Actor,
        casus_id: i64,
        invoer: &Invoer,
    ) -> Result<Fase, AppError> {
        let now = self.now();
        self.require(actor, UseCase::StapZetten, "casus.stap")
            .await?;
        let view = self.casus(actor, casus_id).await?;
        let current = view.casus.phase;
        if invoer.get("fase").map(String::as_str) != Some(current.key()) {
            return Err(AppError::Invalid(format!(
                "deze casus staat inmiddels bij de stap {}; laad de pagina opnieuw",
                current.label()
            )));
        }
        let mut tx = self.store.begin().await?;
        let mut dossier = tx.dossier(casus_id).await?;
        let (to, reason) = self.work(&mut tx, &mut dossier, &view, invoer, now).await?;
        let soort = view.casus.melding.urgentie.routesoort();
        let mut route = Clientroute::replay(soort, tx.steps(casus_id).await?).map_err(internal)?;
        route
            .go_to(to, &actor.user.username, now, &reason)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let step = route
            .history()
            .last()
            .cloned()
            .ok_or_else(|| internal("no step"))?;
        tx.record_step(casus_id, &step).await?;
        // Rule: domain.md step 11 — after the evaluation that closed the help,
        // the warranty runs at once.
        let to = match dossier.evaluatie.as_ref().and_then(Evaluatie::garantie_tot) {
            Some(tot) if to == Fase::Afgesloten => {
                let reason = format!("garantie tot en met {}", short_date(tot));
                route
                    .go_to(Fase::Garantieperiode, &actor.user.username, now, &reason)
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                let garantie = route.history().last().cloned();
                let garantie = garantie.ok_or_else(|| internal("no step"))?;
                tx.record_step(casus_id, &garantie).await?;
                Fase::Garantieperiode
            }
            _ => to,
        };
        match (current, to) {
            (_, Fase::Beschikking) => {
                self.beschikking_maken(&mut tx, &view, &dossier, now)
                    .await?;
            }
            (Fase::Beschikking, Fase::Toewijzing) => {
                self.toewijzen(&mut tx, &view, &dossier, now).await?;
            }
            _ => {}
        }
        tx.append_audit(&over_casus(
            actor,
            &view.casus,
            record(actor, "casus.stap", to.key(), "gelukt", now),
        ))
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// Checks the form of the current step, records what it establishes, and
    /// says where the route goes next and why.
    async fn work(
        &self,
        tx: &mut jeugdroute_store::Tx,
        dossier: &mut Dossier,
        view: &CasusView,
        invoer: &Invoer,
        now: DateTime<Utc>,
    ) -> Result<(Fase, String), AppError> {
        let mut c = Check::default();
        let next = match view.casus.phase {
            Fase::Melding if invoer.get("actie").map(String::as_str) == Some("crisishulp") => {
                self.crisishulp(tx, dossier, view, invoer, now).await?
            }
            Fase::Melding if invoer.get("actie").map(String::as_str) == Some("garantie") => {
                self.onder_garantie(tx, dossier, &view.casus, now).await?
            }
            Fase::Melding => (Fase::Vraagverheldering, "melding opgepakt".to_owned()),
            Fase::Vraagverheldering | Fase::Vraagduiding | Fase::Plan | Fase::Bemiddeling => {
                let feit = Stapfeit::uit(self.catalogue(), view.casus.phase, invoer)?;
                feit.vastleggen(tx, view.casus.id).await?;
                let next = feit.volgende(crisishulp_gegeven(view, dossier));
                feit.in_dossier(dossier);
                next
            }
            Fase::MatchEnIntake => {
                let code = dossier
                    .bemiddeling
                    .as_ref()
                    .map(|b| b.productcode.clone())
                    .ok_or_else(|| internal("a match without bemiddeling"))?;
                let keuze = self.keuze(tx, &code).await?;
                let agb = invoer.get("aanbieder").map_or("", |v| v.trim());
                let chosen = keuze.iter().find(|k| k.aanbieder.agb.as_str() == agb);
                if chosen.is_none() {
                    c.fail(
                        "aanbieder",
                        "Kies een aanbieder met een contract voor deze arrangementcode.",
                    );
                }
                let gekozen_door = match invoer.get("gekozen_door").map_or("", |v| v.trim()) {
                    // Rule: seed 000 step 6 — the family chooses; unsaid, it chose itself.
                    "" => Some(GekozenDoor::Gezin),
                    key => c.parsed(
                        "gekozen_door",
                        key.parse::<GekozenDoor>().map_err(|e| e.message),
                    ),
                };
                let match_date = c.date(invoer, "match_datum");
                let intake_date = c.date(invoer, "intake_datum");
                let start = c.date(invoer, "ingangsdatum");
                let end = c.date(invoer, "einddatum");
                if let (Some(m), Some(i)) = (match_date, intake_date) {
                    let deadline = IntakeDeadline::after_match(m);
                    if i < m {
                        c.fail("intake_datum", "De intake ligt voor de match.");
                    } else if i > deadline.due {
                        c.fail(
                            "intake_datum",
                            format!(
                                "De intake moet uiterlijk op {} zijn: vier weken na de match.",
                                short_date(deadline.due)
                            ),
                        );
                    }
                }
                if let (Some(s), Some(e)) = (start, end)
                    && e < s
                {
                    c.fail("einddatum", "De einddatum ligt voor de ingangsdatum.");
                }
                c.finish()?;
                let (
                    Some(k),
                    Some(gekozen_door),
                    Some(match_date),
                    Some(intake_date),
                    Some(start_date),
                    Some(end_date),
                ) = (chosen, gekozen_door, match_date, intake_date, start, end)
                else {
                    return Err(internal("checked fields missing"));
                };
                let m = MatchEnIntake {
                    aanbieder: k.aanbieder.agb.clone(),
                    aanbieder_name: k.aanbieder.name.clone(),
                    gekozen_door,
                    match_date,
                    intake_date,
                    start_date,
                    end_date,
                };
                tx.save_match(view.casus.id, &m).await?;
                dossier.match_en_intake = Some(m);
                dossier.beschikking = Some(BeschikkingInfo {
                    kenmerk: kenmerk(view),
                    decided_on: amsterdam_today(now),
                });
                (Fase::Beschikking, format!("match met {}", k.aanbieder.name))
            }
            Fase::Beschikking => (
                Fase::Toewijzing,
                "akkoord gezin en gemeente: toegewezen".to_owned(),
            ),
            // Rule: crisis route — the crisis help runs; the assessment follows it.
            Fase::Toewijzing if crisishulp_gegeven(view, dossier) => (
                Fase::Vraagverheldering,
                "crisishulp loopt; de beoordeling volgt".to_owned(),
            ),
            Fase::Toewijzing => (
                Fase::Uitvoering,
                "de aanbieder is met de hulp begonnen".to_owned(),
            ),
            Fase::Uitvoering => (
                Fase::Evaluatie,
                "evaluatie met gezin, aanbieder en lokaal team".to_owned(),
            ),
            Fase::Evaluatie => {
                self.evaluatie(tx, dossier, view.casus.id, invoer, now)
                    .await?
            }
            other => {
                return Err(AppError::Invalid(format!(
                    "bij de stap {} hoort nog geen formulier in Jeugdroute",
                    other.label()
                )));
            }
        };
        Ok(next)
    }

    /// The evaluation: the help goes on (back to uitvoering), or it is closed
    /// with a judgement of every result of the plan, the family's view, why the
    /// help ended and its last day.
    async fn evaluatie(
        &self,
        tx: &mut jeugdroute_store::Tx,
        dossier: &mut Dossier,
        casus_id: i64,
        invoer: &Invoer,
        now: DateTime<Utc>,
    ) -> Result<(Fase, String), AppError> {
        if invoer.get("besluit").map(|b| b.trim()) == Some("doorgaan") {
            return Ok((
                Fase::Uitvoering,
                "geëvalueerd: de hulp gaat door".to_owned(),
            ));
        }
        let mut c = Check::default();
        let resultaten = dossier.plan.as_ref().map_or(0, |p| p.resultaten.len());
        let mut oordelen = Vec::new();
        for n in 1..=resultaten {
            let gezin = invoer.get(&format!("gezin_{n}")).map_or("", String::as_str);
            let gezin = c.optional(&grenzen::GEZIN_OORDEEL, gezin);
            let key = invoer.get(&format!("oordeel_{n}")).map_or("", |v| v.trim());
            match key.parse::<Oordeel>() {
                Ok(oordeel) => oordelen.push(Resultaatoordeel { oordeel, gezin }),
                Err(_) => c.fail(
                    "evaluatie",
                    format!(
                        "Kies bij resultaat {n} of het behaald, deels behaald of niet behaald is."
                    ),
                ),
            }
        }
        let reden = c.keyed::<RedenEinde>(invoer, "reden_einde");
        let einddatum = c.date(invoer, "einddatum");
        c.finish()?;
        let (Some(reden), Some(einddatum)) = (reden, einddatum) else {
            return Err(internal("an evaluation without reason or end date"));
        };
        let evaluatie =
            Evaluatie::new(oordelen, resultaten, reden, einddatum, amsterdam_today(now)).map_err(
                |e| {
                    AppError::Fields(vec![FieldError {
                        field: e.kind,
                        message: e.message,
                    }])
                },
            )?;
        tx.save_evaluatie(casus_id, &evaluatie).await?;
        let reason = format!("afgesloten: {}", reden.label().to_lowercase());
        dossier.evaluatie = Some(evaluatie);
        Ok((Fase::Afgesloten, reason))
    }

    /// Starts crisis help at the melding of a crisis: a provider contracted for
    /// the region's crisis product, from the start day for the catalogue's days;
    /// the beschikking follows at once, the assessment after the toewijzing.
    async fn crisishulp(
        &self,
        tx: &mut jeugdroute_store::Tx,
        dossier: &mut Dossier,
        view: &CasusView,
        invoer: &Invoer,
        now: DateTime<Utc>,
    ) -> Result<(Fase, String), AppError> {
        if view.casus.melding.urgentie != Urgentie::Crisis {
            return Err(AppError::Invalid(
                "alleen een crisismelding krijgt direct crisishulp".into(),
            ));
        }
        let crisis = self.catalogue().crisis().cloned().ok_or_else(|| {
            AppError::Invalid("de catalogus van deze regio kent geen crisishulp".into())
        })?;
        let keuze = self.keuze(tx, &crisis.product.code).await?;
        let mut c = Check::default();
        let agb = invoer.get("aanbieder").map_or("", |v| v.trim());
        let chosen = keuze.iter().find(|k| k.aanbieder.agb.as_str() == agb);
        if chosen.is_none() {
            c.fail("aanbieder", "Kies een aanbieder die crisishulp biedt.");
        }
        let start = c.date(invoer, "ingangsdatum");
        let today = amsterdam_today(now);
        if let Some(start) = start {
            // Rule: crisis route — the help starts at once: not before the
            // melding, and within a week from today.
            if start < amsterdam_today(view.casus.created_at) {
                c.fail(
                    "ingangsdatum",
                    "De crisishulp kan niet voor de melding beginnen.",
                );
            } else if start > today + chrono::Days::new(7) {
                c.fail(
                    "ingangsdatum",
                    "Crisishulp begint direct: kies vandaag of een dag in de komende week.",
                );
            }
        }
        c.finish()?;
        let (Some(k), Some(start)) = (chosen, start) else {
            return Err(internal("checked fields missing"));
        };
        let deadline = BeoordelingDeadline::after_start(start, crisis.beoordeling_dagen);
        let m = MatchEnIntake {
            aanbieder: k.aanbieder.agb.clone(),
            aanbieder_name: k.aanbieder.name.clone(),
            gekozen_door: GekozenDoor::OpAdvies,
            match_date: start,
            intake_date: start,
            start_date: start,
            end_date: deadline.due,
        };
        tx.save_match(view.casus.id, &m).await?;
        dossier.match_en_intake = Some(m);
        dossier.beschikking = Some(BeschikkingInfo {
            kenmerk: kenmerk(view),
            decided_on: today,
        });
        Ok((
            Fase::Beschikking,
            format!("crisishulp bij {}", k.aanbieder.name),
        ))
    }

    /// When the assessment after crisis help must be done.
    fn beoordeling_deadline(&self, m: &MatchEnIntake) -> Result<BeoordelingDeadline, AppError> {
        let crisis = self
            .catalogue()
            .crisis()
            .ok_or_else(|| internal("crisis help without a crisis product"))?;
        Ok(BeoordelingDeadline::after_start(
            m.start_date,
            crisis.beoordeling_dagen,
        ))
    }

    /// Makes the decision letter and keeps it with the case.
    async fn beschikking_maken(
        &self,
        tx: &mut jeugdroute_store::Tx,
        view: &CasusView,
        dossier: &Dossier,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let besloten = decided(self, dossier)?;
        let (m, info) = (besloten.match_en_intake, besloten.beschikking);
        let gemeente = tx
            .gemeenten()
            .await?
            .into_iter()
            .find(|g| g.code == view.casus.gemeente)
            .ok_or_else(|| internal("gemeente of case"))?;
        let aanbieder = tx
            .aanbieders()
            .await?
            .into_iter()
            .find(|a| a.agb == m.aanbieder)
            .ok_or_else(|| internal("aanbieder of match"))?;
        let (vraag, grondslag) = match besloten.bemiddeling {
            Some(b) => {
                let (vraagverheldering, gezinsanalyse, plan) = assessed(dossier)?;
                let beoordeling = Beoordeling {
                    opvoedsituatie: vraagverheldering.opvoedsituatie,
                    behoefte: gezinsanalyse.behoefte,
                    resultaten: plan
                        .resultaten
                        .iter()
                        .map(|r| jeugdroute_domain::Resultaat {
                            omschrijving: r.omschrijving.clone(),
                            leefgebied: r.leefgebied,
                            wet: jeugdroute_domain::Wet::Jeugdwet,
                            status: jeugdroute_domain::ResultaatStatus::Open,
                        })
                        .collect(),
                    arrangement_description: self
                        .catalogue()
                        .arrangement(b.arrangement)
                        .map(|a| a.description.clone())
                        .unwrap_or_default(),
                    intensiteit: b.intensiteit,
                };
                (
                    vraagverheldering.vraag.clone(),
                    Grondslag::Beoordeeld(beoordeling),
                )
            }
            // Crisis help: the family's question from the melding; the
            // assessment follows by the deadline.
            None => (
                view.casus.melding.vraag.clone(),
                Grondslag::Crisis {
                    beoordeling_uiterlijk: self.beoordeling_deadline(m)?.due,
                },
            ),
        };
        let gegevens = BeschikkingGegevens {
            gemeente,
            kenmerk: info.kenmerk.clone(),
            date: info.decided_on,
            request_date: amsterdam_today(view.casus.created_at),
            jeugdige: view.jeugdige.clone(),
            gezin: tx.gezin_of(view.casus.jeugdige_id).await?,
            // The parents recorded at the melding; without one with gezag the
            // letter goes to "de ouder(s) of verzorger(s)" (or to a youth of 16+).
            ouders: view.ouders.clone(),
            vraag,
            grondslag,
            productcode: besloten.productcode.clone(),
            arrangement_name: besloten.name.clone(),
            start_date: m.start_date,
            end_date: m.end_date,
            aanbieder,
        };
        let brief = gegevens
            .brief()
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let pdf = crate::beschikking_pdf(&brief).map_err(internal)?;
        tx.insert_beschikking(
            &NewBeschikking {
                casus_id: view.casus.id,
                kenmerk: &info.kenmerk,
                decided_on: info.decided_on,
                pdf: &pdf,
            },
            now,
        )
        .await?;
        Ok(())
    }

    /// Allocates the decided help: a ToewijzingNummer of the gemeente, and a
    /// checked JW301 in the outbox for the provider.
    async fn toewijzen(
        &self,
        tx: &mut jeugdroute_store::Tx,
        view: &CasusView,
        dossier: &Dossier,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let besloten = decided(self, dossier)?;
        let m = besloten.match_en_intake;
        let toewijzing = Toewijzing {
            gemeente: view.casus.gemeente.clone(),
            nummer: tx.next_toewijzingnummer(&view.casus.gemeente).await?,
            casus_id: view.casus.id,
            aanbieder: m.aanbieder.clone(),
            productcode: besloten.productcode,
            start_date: m.start_date,
            end_date: m.end_date,
            created_at: now,
            versie: 1,
            reden_wijziging: None,
        };
        tx.insert_toewijzing(&toewijzing).await?;
        let identificatie = eerste_identificatie(toewijzing.nummer);
        self.send_jw301(tx, view, &toewijzing, &identificatie, now, None, None)
            .await?;
        Ok(())
    }

    /// Puts the JW301 of `toewijzing` as it stands in the outbox for its provider,
    /// once it passes the `ijw` checks; answers the outbox id. `previous` is when
    /// the allocation's previous version was sent, for a change;
    /// `referentie_aanbieder` the provider's request it honours, if any.
    #[allow(clippy::too_many_arguments, reason = "the facts of one JW301")]
    pub(crate) async fn send_jw301(
        &self,
        tx: &mut jeugdroute_store::Tx,
        view: &CasusView,
        toewijzing: &Toewijzing,
        identificatie: &str,
        now: DateTime<Utc>,
        previous: Option<DateTime<Utc>>,
        referentie_aanbieder: Option<&str>,
    ) -> Result<i64, AppError> {
        let gezin = tx.gezin_of(view.casus.jeugdige_id).await?;
        let categorie = self
            .catalogue()
            .categorie_van(&toewijzing.productcode)
            .as_str()
            .to_owned();
        // Rule: issue 11 point 8 — Dagtekening, Toewijzingsdatum and Toewijzingstijd
        // in Dutch local time (iJw LDT_Datum and LDT_Tijd carry no time zone), a
        // change always later than the version before it.
        let moment = previous.map_or_else(
            || toewijzingsmoment(now),
            |previous| toewijzingsmoment_after(now, previous),
        );
        let xml = jw301(
            &categorie,
            view,
            &gezin,
            toewijzing,
            identificatie,
            moment,
            referentie_aanbieder,
        )?;
        Ok(tx
            .enqueue_outbox(
                &OutgoingMessage {
                    berichtsoort: "JW301".into(),
                    sender: toewijzing.gemeente.as_str().into(),
                    receiver: toewijzing.aanbieder.as_str().into(),
                    casus_id: Some(view.casus.id),
                    body: xml,
                    identificatie: Some(identificatie.to_owned()),
                    answers_id: None,
                },
                now,
            )
            .await?)
    }

    /// The decision letter of a case, for those who may see the case; every
    /// download is audit-logged.
    pub async fn beschikking_downloaden(
        &self,
        actor: &Actor,
        casus_id: i64,
    ) -> Result<(String, Vec<u8>), AppError> {
        let view = self.casus(actor, casus_id).await?;
        let mut tx = self.store.begin().await?;
        let letter = tx
            .beschikking_pdf(casus_id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.append_audit(&over_casus(
            actor,
            &view.casus,
            record(
                actor,
                "beschikking.downloaden",
                "beschikking afdrukken",
                "gelukt",
                self.now(),
            ),
        ))
        .await?;
        tx.commit().await?;
        Ok(letter)
    }

    /// The newest JW301 of a case as XML, for those who may see the case and
    /// for the provider it was sent to.
    pub async fn jw301_van(&self, actor: &Actor, casus_id: i64) -> Result<String, AppError> {
        let inzage = self.jw301_inzage(actor, casus_id).await?;
        let mut tx = self.store.begin().await?;
        let message = tx
            .case_messages(casus_id)
            .await?
            .into_iter()
            .rev()
            .filter(|m| {
                inzage
                    .ontvanger
                    .as_ref()
                    .is_none_or(|a| a.as_str() == m.message.receiver)
            })
            .find(|m| m.message.berichtsoort == "JW301")
            .ok_or(AppError::NotFound)?;
        tx.append_audit(&NewAuditRecord {
            jeugdige_id: Some(inzage.jeugdige_id),
            casus_id: Some(casus_id),
            on_behalf_of: inzage.namens.as_deref(),
            ..record(actor, "jw301.bekijken", "toewijzing", "gelukt", self.now())
        })
        .await?;
        tx.commit().await?;
        Ok(message.message.body)
    }
}

/// The facts one assessment step establishes, checked from its form: the same
/// for taking the step and for correcting it later.
#[derive(Debug, Clone)]
pub(crate) enum Stapfeit {
    Vraagverheldering(Vraagverheldering),
    Gezinsanalyse(Gezinsanalyse),
    Plan(Plan),
    Bemiddeling(Bemiddeling),
}

impl Stapfeit {
    /// The facts of step `fase` from its form, or every field that is wrong.
    pub(crate) fn uit(
        catalogue: &Catalogue,
        fase: Fase,
        invoer: &Invoer,
    ) -> Result<Stapfeit, AppError> {
        let mut c = Check::default();
        match fase {
            Fase::Vraagverheldering => {
                let opvoedsituatie: Option<Opvoedsituatie> = c.keyed(invoer, "opvoedsituatie");
                let leefgebieden: Vec<Leefgebied> = Leefgebied::ALL
                    .iter()
                    .copied()
                    .filter(|l| ticked(invoer, &format!("leefgebied_{}", l.key())))
                    .collect();
                if leefgebieden.is_empty() {
                    c.fail(
                        "leefgebieden",
                        "Kies minstens één leefgebied waar de vraag speelt.",
                    );
                }
                let netwerk = c.text(invoer, &grenzen::NETWERK);
                let vraag = c.text(invoer, &grenzen::VRAAG);
                c.finish()?;
                Ok(Stapfeit::Vraagverheldering(Vraagverheldering {
                    opvoedsituatie: opvoedsituatie.ok_or_else(|| internal("opvoedsituatie"))?,
                    leefgebieden,
                    netwerk,
                    vraag,
                }))
            }
            Fase::Vraagduiding => {
                let behoefte: Option<Behoefte> = c.keyed(invoer, "behoefte");
                let vrij_toegankelijk = c.text(invoer, &grenzen::VRIJ_TOEGANKELIJK);
                c.finish()?;
                Ok(Stapfeit::Gezinsanalyse(Gezinsanalyse {
                    behoefte: behoefte.ok_or_else(|| internal("behoefte"))?,
                    vrij_toegankelijk,
                }))
            }
            Fase::Plan => Ok(Stapfeit::Plan(plan(&mut c, invoer)?)),
            Fase::Bemiddeling => Ok(Stapfeit::Bemiddeling(bemiddeling(catalogue, invoer)?)),
            other => Err(AppError::Invalid(format!(
                "de stap {} legt geen gegevens vast die te corrigeren zijn",
                other.label()
            ))),
        }
    }

    /// Writes the facts (replacing earlier ones of the same step).
    pub(crate) async fn vastleggen(
        &self,
        tx: &mut jeugdroute_store::Tx,
        casus_id: i64,
    ) -> Result<(), AppError> {
        match self {
            Stapfeit::Vraagverheldering(v) => tx.save_vraagverheldering(casus_id, v).await?,
            Stapfeit::Gezinsanalyse(g) => tx.save_gezinsanalyse(casus_id, g).await?,
            Stapfeit::Plan(p) => tx.save_plan(casus_id, p).await?,
            Stapfeit::Bemiddeling(b) => tx.save_bemiddeling(casus_id, b).await?,
        }
        Ok(())
    }

    /// Where the route goes after this step, and why.
    /// `crisishulp`: crisis help came first, so the assessment ends with the plan.
    fn volgende(&self, crisishulp: bool) -> (Fase, String) {
        match self {
            Stapfeit::Vraagverheldering(_) => (Fase::Vraagduiding, "vraag verhelderd".to_owned()),
            Stapfeit::Gezinsanalyse(g) if g.behoefte.needs_specialist_help() => {
                (Fase::Plan, format!("behoefte {}", g.behoefte.label()))
            }
            // Rule: seed 003 — need A is answered by free-access help alone.
            Stapfeit::Gezinsanalyse(_) => (
                Fase::Afgesloten,
                "lokaal aanbod beantwoordt de vraag (behoefte A)".to_owned(),
            ),
            // Rule: crisis route — with the plan the assessment after the crisis
            // help is done; the help runs on.
            Stapfeit::Plan(_) if crisishulp => (
                Fase::Uitvoering,
                "perspectiefplan vastgesteld; de beoordeling na de crisis is af".to_owned(),
            ),
            Stapfeit::Plan(_) => (Fase::Bemiddeling, "perspectiefplan vastgesteld".to_owned()),
            Stapfeit::Bemiddeling(b) => (
                Fase::MatchEnIntake,
                format!("arrangementcode {}", b.productcode.as_str()),
            ),
        }
    }

    pub(crate) fn in_dossier(self, dossier: &mut Dossier) {
        match self {
            Stapfeit::Vraagverheldering(v) => dossier.vraagverheldering = Some(v),
            Stapfeit::Gezinsanalyse(g) => dossier.gezinsanalyse = Some(g),
            Stapfeit::Plan(p) => dossier.plan = Some(p),
            Stapfeit::Bemiddeling(b) => dossier.bemiddeling = Some(b),
        }
    }
}

/// The determination of the bemiddeling form as recorded: only a final code
/// (a segment check still to answer, or segment 3, is a field error).
fn bemiddeling(catalogue: &Catalogue, invoer: &Invoer) -> Result<Bemiddeling, AppError> {
    let d = determination(catalogue, invoer)?;
    let mut reasons: Vec<String> = d.reasons.iter().map(|r| r.text.clone()).collect();
    let (productcode, name) = match &d.outcome {
        Outcome::Code(code) => (code.clone(), d.arrangement_name.clone()),
        // Rule: seed 002 step 5a — segment 3 uses a product of the region's list.
        Outcome::Segment3 => {
            let chosen = invoer.get("segment3_product").map_or("", |v| v.trim());
            let product = catalogue
                .segment3_producten()
                .iter()
                .find(|p| p.code.as_str() == chosen)
                .ok_or_else(|| {
                    AppError::Fields(vec![FieldError {
                        field: "segment3_product",
                        message: "Dit is hoogspecialistische hulp (segment 3): kies een product uit de regionale lijst.".into(),
                    }])
                })?;
            reasons.push(format!(
                "Gekozen uit de regionale lijst voor segment 3: {} ({}).",
                product.name, product.code
            ));
            (product.code.clone(), product.name.clone())
        }
        Outcome::SegmentCheckNeeded => {
            return Err(AppError::Fields(vec![FieldError {
                field: "segment_beantwoord",
                message: "Beantwoord eerst de vragen van stap 5a (segment 3).".into(),
            }]));
        }
    };
    Ok(Bemiddeling {
        arrangement: d.arrangement,
        arrangement_name: name,
        intensiteit: d.intensiteit,
        productcode,
        reasons,
        catalogue_version: d.catalogue_version,
    })
}

/// The perspectiefplan of the form, checked by the domain.
fn plan(c: &mut Check, invoer: &Invoer) -> Result<Plan, AppError> {
    let regie: Option<Regie> = c.keyed(invoer, "regie");
    let familiegroepsplan = ticked(invoer, "familiegroepsplan");
    let mut resultaten = Vec::new();
    for (i, veld) in (1..).zip(&grenzen::RESULTATEN) {
        let omschrijving = c.optional(veld, invoer.get(veld.naam).map_or("", String::as_str));
        if omschrijving.is_empty() {
            continue;
        }
        let key = invoer
            .get(&format!("resultaat_{i}_leefgebied"))
            .map_or("", |v| v.trim());
        if let Ok(leefgebied) = key.parse::<Leefgebied>() {
            resultaten.push((leefgebied, omschrijving));
        } else {
            c.fail(
                "resultaat_1_leefgebied",
                format!("Kies bij resultaat {i} een leefgebied."),
            );
        }
    }
    let regie = regie.unwrap_or(Regie::Gezin);
    let checked = jeugdroute_domain::Perspectiefplan::new(
        regie,
        familiegroepsplan,
        resultaten
            .iter()
            .map(|(leefgebied, omschrijving)| jeugdroute_domain::Resultaat {
                omschrijving: omschrijving.clone(),
                leefgebied: *leefgebied,
                wet: jeugdroute_domain::Wet::Jeugdwet,
                status: jeugdroute_domain::ResultaatStatus::Open,
            })
            .collect(),
    );
    if let Err(problems) = checked {
        for p in problems {
            let field = if p.kind == "regie" {
                "regie"
            } else {
                "resultaat_1"
            };
            c.fail(field, p.message);
        }
    }
    std::mem::take(c).finish()?;
    Ok(Plan {
        regie,
        familiegroepsplan,
        resultaten: resultaten
            .into_iter()
            .map(|(leefgebied, omschrijving)| PlanResultaat {
                leefgebied,
                omschrijving,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use chrono::NaiveDate;
    use jeugdroute_domain::{Bsn, Gemeentecode, Gezin, Jeugdige, Melding, Urgentie, Verwijzer};
    use jeugdroute_store::Casus;

    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The JW301 of a demo allocation sent at the instant `now` (RFC 3339), as text.
    fn sent_at(now: &str) -> String {
        let now: DateTime<Utc> = now.parse().unwrap();
        let gemeente = Gemeentecode::parse("0307").unwrap();
        let view = CasusView {
            casus: Casus {
                id: 7,
                jeugdige_id: 1,
                gemeente: gemeente.clone(),
                phase: Fase::Beschikking,
                melding: Melding {
                    vraag: "Noor wil weer naar school.".into(),
                    vindplaats: "school".into(),
                    verwijzer: Verwijzer::Gemeente,
                    verwijzer_naam: None,
                    urgentie: Urgentie::Regulier,
                    kader: jeugdroute_domain::Kader::Vrijwillig,
                },
                woonplaats_regel: String::new(),
                created_at: now,
                updated_at: now,
            },
            jeugdige: Jeugdige {
                bsn: Bsn::parse("999990019").unwrap(),
                first_names: "Noor".into(),
                surname: "Jansen".into(),
                birth_date: date("2015-03-02"),
                gemeente: gemeente.clone(),
                geslacht: jeugdroute_domain::Geslacht::Vrouw,
            },
            ouders: Vec::new(),
        };
        let gezin = Gezin {
            surname: "Jansen".into(),
            street: "Lieve Vrouwestraat".into(),
            house_number: "12".into(),
            postcode: "3811 BR".into(),
            city: "Amersfoort".into(),
            gemeente: gemeente.clone(),
        };
        let toewijzing = Toewijzing {
            gemeente,
            nummer: 1,
            casus_id: 7,
            aanbieder: jeugdroute_domain::AgbCode::parse("98990011").unwrap(),
            productcode: Productcode::parse("50H22").unwrap(),
            start_date: date("2026-07-15"),
            end_date: date("2027-01-31"),
            created_at: now,
            versie: 1,
            reden_wijziging: None,
        };
        jw301(
            "50",
            &view,
            &gezin,
            &toewijzing,
            "JW3010000001",
            toewijzingsmoment(now),
            None,
        )
        .unwrap()
    }

    fn element<'a>(xml: &'a str, name: &str) -> &'a str {
        let start = xml.find(&format!("<{name}>")).unwrap() + name.len() + 2;
        let end = start + xml[start..].find('<').unwrap();
        &xml[start..end]
    }

    /// Dagtekening, Toewijzingsdatum and Toewijzingstijd of a JW301 sent at `now`.
    fn moment(now: &str) -> [String; 3] {
        let xml = sent_at(now);
        [
            element(&xml, "ijw:Dagtekening"),
            element(&xml, "jw301:Toewijzingsdatum"),
            element(&xml, "jw301:Toewijzingstijd"),
        ]
        .map(str::to_owned)
    }

    #[test]
    fn a_jw301_carries_dutch_summer_time() {
        // 22:30 UTC on 1 July is half past midnight on 2 July in Amsterdam.
        assert_eq!(
            moment("2026-07-01T22:30:00Z"),
            ["2026-07-02", "2026-07-02", "00:30:00"]
        );
    }

    #[test]
    fn a_jw301_carries_dutch_winter_time() {
        assert_eq!(
            moment("2026-01-15T22:30:00.75Z"),
            ["2026-01-15", "2026-01-15", "23:30:00"]
        );
    }

    #[test]
    fn a_jw301_follows_the_clocks_across_the_change_of_summer_time() {
        assert_eq!(
            moment("2026-03-29T00:59:59Z"),
            ["2026-03-29", "2026-03-29", "01:59:59"]
        );
        assert_eq!(
            moment("2026-03-29T01:00:00Z"),
            ["2026-03-29", "2026-03-29", "03:00:00"]
        );
        // The hour from 02:00 to 03:00 on 25 October happens twice.
        assert_eq!(
            moment("2026-10-25T00:59:59Z"),
            ["2026-10-25", "2026-10-25", "02:59:59"]
        );
        assert_eq!(
            moment("2026-10-25T01:00:00Z"),
            ["2026-10-25", "2026-10-25", "02:00:00"]
        );
    }

    /// A result of the perspectiefplan longer than its maximum, or with a
    /// character no JW301 can carry, is refused by its field.
    #[test]
    fn a_plan_result_is_bounded_and_named() {
        let form = |text: String| -> Invoer {
            [
                ("regie".to_owned(), "gezin".to_owned()),
                (
                    "resultaat_1".to_owned(),
                    "Noor gaat weer naar school.".to_owned(),
                ),
                ("resultaat_1_leefgebied".to_owned(), "opleiding".to_owned()),
                ("resultaat_2".to_owned(), text),
                ("resultaat_2_leefgebied".to_owned(), "opvoeding".to_owned()),
            ]
            .into()
        };
        let fouten = |text: String| match plan(&mut Check::default(), &form(text)) {
            Err(AppError::Fields(f)) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fouten("é".repeat(501)),
            [FieldError {
                field: "resultaat_2",
                message: "Resultaat 2: gebruik ten hoogste 500 tekens.".into(),
            }]
        );
        assert_eq!(fouten("rust\u{1}".into())[0].field, "resultaat_2");
        let plan = plan(&mut Check::default(), &form("é".repeat(500))).unwrap();
        assert_eq!(plan.resultaten.len(), 2);
    }
}
