//! The provider's page of a case allocated to it, with its own part there: its
//! answer to the allocation, the intake it held and its behandelplan — as
//! forms and as JSON calls, both through the same use cases. The application
//! decides what the provider may see and write; a case not allocated to it is
//! not found.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jeugdroute_app::{
    AppError, Behandeling, BehandelplanInvoer, FieldError, Invoer, ToegewezenCasus, UseCase,
};
use jeugdroute_domain::{Doel, Evaluatie, MAX_DOELEN, Reactie, Resultaatoordeel, rfc3339};

use crate::AppState;
use crate::aanbieder::Velden;
use crate::api::{number, read_body};
use crate::auth::{ApiUser, Signed};
use crate::casus::{case_id, fout_in, gemeente_name, gemeenten, render};
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::schema;

/// The forms of the provider's part, by the last segment of their path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Onderdeel {
    Reactie,
    Intake,
    Behandelplan,
    Onderaannemer,
    OnderaannemerEinde,
}

impl Onderdeel {
    fn of(path: &str) -> Option<Onderdeel> {
        Some(match path {
            "reactie" => Onderdeel::Reactie,
            "intake" => Onderdeel::Intake,
            "behandelplan" => Onderdeel::Behandelplan,
            "onderaannemer" => Onderdeel::Onderaannemer,
            "onderaannemer-einde" => Onderdeel::OnderaannemerEinde,
            _ => return None,
        })
    }
}

/// The form of goal `doel` (from 1), field `veld`.
fn doelveld(doel: usize, veld: &str) -> String {
    format!("doel_{doel}_{veld}")
}

/// The tick of goal `doel` for result `resultaat`.
fn vinkveld(doel: usize, resultaat: usize) -> String {
    format!("doel_{doel}_resultaat_{resultaat}")
}

#[derive(Template)]
#[template(path = "toegewezen_casus.html")]
struct CasusPage {
    layout: Layout,
    casus: ToegewezenCasus,
    gemeente: String,
    fouten: Vec<FieldError>,
    /// The forms' values: what was recorded, with what was typed over it after
    /// an error.
    velden: Invoer,
    /// How many goals the plan form offers.
    doelen: usize,
}

impl CasusPage {
    fn new(
        layout: Layout,
        casus: ToegewezenCasus,
        gemeente: String,
        fouten: Vec<FieldError>,
        getypt: Invoer,
    ) -> CasusPage {
        let mut velden = casus
            .behandeling
            .as_ref()
            .map(opgeslagen)
            .unwrap_or_default();
        velden.extend(getypt);
        let gebruikt = (1..=MAX_DOELEN)
            .filter(|d| {
                let prefix = format!("doel_{d}_");
                (velden.iter()).any(|(k, v)| k.starts_with(&prefix) && !v.trim().is_empty())
            })
            .max()
            .unwrap_or(0);
        CasusPage {
            layout,
            casus,
            gemeente,
            fouten,
            velden,
            doelen: (gebruikt + 1).clamp(3, MAX_DOELEN),
        }
    }

    fn waarde(&self, veld: &str) -> &str {
        self.velden.get(veld).map_or("", String::as_str)
    }

    fn doel(&self, doel: &usize, veld: &str) -> &str {
        self.waarde(&doelveld(*doel, veld))
    }

    fn aangevinkt(&self, doel: &usize, resultaat: &usize) -> bool {
        !self.waarde(&vinkveld(*doel, *resultaat)).is_empty()
    }

    fn fout(&self, veld: &str) -> Option<&str> {
        fout_in(&self.fouten, veld)
    }

    fn doelnummers(&self) -> Vec<usize> {
        (1..=self.doelen).collect()
    }

    /// How many onderaannemers still deliver (not ended).
    fn actieve_onderaannemers(&self) -> usize {
        (self.casus.onderaannemers.iter())
            .filter(|o| o.beeindigd_op.is_none())
            .count()
    }

    fn reactie_is(&self, key: &str) -> bool {
        self.waarde("reactie") == key
    }

    fn voortgang_open(&self) -> bool {
        jeugdroute_app::voortgang_open(self.casus.fase)
    }

    /// A provider's name by its AGB code, from those it may call in.
    fn aanbieder_naam(&self, agb: &str) -> String {
        (self.casus.kandidaten.iter())
            .find(|a| a.agb.as_str() == agb)
            .map_or_else(|| agb.to_owned(), |a| a.name.clone())
    }

    fn afsluiting(&self, e: &Evaluatie) -> String {
        crate::tijd::afsluiting(e)
    }

    /// The judgements of the evaluation, numbered from 1 as the plan's results.
    fn oordelen<'a>(&self, e: &'a Evaluatie) -> Vec<(usize, &'a Resultaatoordeel)> {
        (1..).zip(e.oordelen()).collect()
    }

    /// The label of result `n` (from 1) of the perspectiefplan.
    fn resultaat(&self, n: &usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.casus.resultaten.get(i))
            .map_or("", |r| r.omschrijving.as_str())
    }
}

/// What was recorded, as the forms' fields.
fn opgeslagen(b: &Behandeling) -> Invoer {
    let mut velden = Invoer::new();
    if let Some((r, _)) = &b.reactie {
        velden.insert("reactie".into(), r.reactie.key().into());
        velden.insert(
            "toelichting".into(),
            r.toelichting.clone().unwrap_or_default(),
        );
    }
    if let Some((datum, _)) = b.intake {
        velden.insert("intakedatum".into(), datum.to_string());
    }
    if let Some(plan) = &b.plan {
        velden.insert("beknopt_plan".into(), plan.beknopt_plan.clone());
        for (d, doel) in (1..).zip(&plan.doelen) {
            velden.insert(doelveld(d, "omschrijving"), doel.omschrijving.clone());
            velden.insert(doelveld(d, "activiteiten"), doel.activiteiten.clone());
            velden.insert(doelveld(d, "frequentie"), doel.frequentie.clone());
            for r in &doel.resultaten {
                velden.insert(vinkveld(d, *r), "ja".into());
            }
        }
    }
    velden
}

/// One case allocated to the provider, with the forms of its own part.
pub(crate) async fn casus(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    id: i64,
) -> Result<Html<String>, WebError> {
    casus_page(state, signed, headers, id, Vec::new(), Invoer::new()).await
}

pub(crate) async fn casus_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    id: i64,
    fouten: Vec<FieldError>,
    getypt: Invoer,
) -> Result<Html<String>, WebError> {
    let casus = state
        .app
        .toegewezen_casus(&signed.actor, id)
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let gemeenten = gemeenten(state, headers).await?;
    let gemeente = gemeente_name(&gemeenten, casus.gemeente.as_str());
    render(
        &CasusPage::new(signed.layout(), casus, gemeente, fouten, getypt),
        headers,
    )
}

/// The goals of the plan form: every goal with something typed or ticked.
fn doelen_uit(invoer: &Invoer, resultaten: usize) -> Vec<Doel> {
    let tekst = |d: usize, veld: &str| {
        invoer
            .get(&doelveld(d, veld))
            .map_or("", |v| v.trim())
            .to_owned()
    };
    (1..=MAX_DOELEN)
        .map(|d| Doel {
            omschrijving: tekst(d, "omschrijving"),
            activiteiten: tekst(d, "activiteiten"),
            frequentie: tekst(d, "frequentie"),
            resultaten: (1..=resultaten)
                .filter(|r| invoer.get(&vinkveld(d, *r)).is_some_and(|v| !v.is_empty()))
                .collect(),
        })
        .filter(|d| {
            !(d.omschrijving.is_empty()
                && d.activiteiten.is_empty()
                && d.frequentie.is_empty()
                && d.resultaten.is_empty())
        })
        .collect()
}

/// The forms of the provider's part read as their handler reads them, and
/// checked as far as that goes without the case (for the fuzz targets).
#[cfg(feature = "fuzzing")]
pub(crate) fn lezen(invoer: &Invoer) {
    use jeugdroute_domain::{Aanbiederreactie, Behandelplan, BeknoptPlan, gehouden_intake};
    if let Some(Ok(reactie)) = invoer.get("reactie").map(|r| r.parse::<Reactie>()) {
        let _ = Aanbiederreactie::new(
            reactie,
            invoer.get("toelichting").map_or("", String::as_str),
        );
    }
    let mut velden = Velden {
        invoer,
        fouten: Vec::new(),
    };
    if let Some(datum) = velden.datum("intakedatum", "Intakedatum") {
        let _ = gehouden_intake(datum, datum, Some(datum));
    }
    let beknopt = invoer.get("beknopt_plan").map_or("", String::as_str);
    if let Ok(beknopt) = BeknoptPlan::parse(beknopt) {
        let _ = Behandelplan::new(beknopt, doelen_uit(invoer, 20), 20);
    }
}

/// `POST /casussen/{id}/behandeling/{onderdeel}`: the provider's answer, intake,
/// behandelplan, or an onderaannemer called in or ended, then back to the case;
/// or the case with the errors.
pub(crate) async fn opslaan(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path((id, onderdeel)): Path<(String, String)>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let id = case_id(&id)?;
    let onderdeel = Onderdeel::of(&onderdeel).ok_or_else(WebError::not_found)?;
    // Who may not write here hears that first, not what is wrong with the form.
    (state.app)
        .require(&signed.actor, UseCase::Behandelen, "behandeling.opslaan")
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let mut velden = Velden {
        invoer: &invoer,
        fouten: Vec::new(),
    };
    let app = &state.app;
    let actor = &signed.actor;
    let result = match onderdeel {
        Onderdeel::Reactie => match invoer.get("reactie").map(|r| r.parse::<Reactie>()) {
            Some(Ok(reactie)) => {
                let toelichting = invoer.get("toelichting").map_or("", String::as_str);
                app.aanbieder_reageren(actor, id, reactie, toelichting)
                    .await
            }
            _ => Err(AppError::Fields(vec![FieldError {
                field: "reactie",
                message: "Reactie: kies of u de jeugdige in zorg neemt of een probleem meldt."
                    .into(),
            }])),
        },
        Onderdeel::Intake => match velden.datum("intakedatum", "Intakedatum") {
            Some(datum) => app.intake_registreren(actor, id, datum).await,
            None => Err(AppError::Fields(velden.fouten)),
        },
        Onderdeel::Onderaannemer => {
            let nummer = invoer
                .get("toewijzing")
                .and_then(|n| n.trim().parse::<i64>().ok());
            let agb = invoer.get("onderaannemer").map_or("", String::as_str);
            match nummer {
                Some(nummer) => app.onderaannemer_toevoegen(actor, id, nummer, agb).await,
                None => Err(AppError::Fields(vec![FieldError {
                    field: "toewijzing",
                    message: "Toewijzing: kies een toewijzing van deze casus aan u.".into(),
                }])),
            }
        }
        Onderdeel::OnderaannemerEinde => {
            // "{toewijzing}-{AGB code}", as the form's choice gives it.
            let keuze = (invoer.get("einde"))
                .and_then(|k| k.split_once('-'))
                .and_then(|(n, agb)| Some((n.trim().parse::<i64>().ok()?, agb)));
            let reden = invoer.get("reden").map_or("", String::as_str);
            match keuze {
                Some((nummer, agb)) => {
                    app.onderaannemer_beeindigen(actor, id, nummer, agb, reden)
                        .await
                }
                None => Err(AppError::Fields(vec![FieldError {
                    field: "einde",
                    message: "Onderaannemer: kies wie u beëindigt.".into(),
                }])),
            }
        }
        Onderdeel::Behandelplan => {
            let plan = BehandelplanInvoer {
                beknopt_plan: invoer.get("beknopt_plan").cloned().unwrap_or_default(),
                doelen: doelen_uit(&invoer, 20),
            };
            app.behandelplan_opslaan(actor, id, &plan).await
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/casussen/{id}")).into_response()),
        Err(AppError::Fields(fouten)) => {
            let page = casus_page(&state, &signed, &headers, id, fouten, invoer).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(WebError::from_app(&e, &headers)),
    }
}

/// What a provider recorded of its part, as the API shows it.
pub(crate) fn api_behandeling(b: &Behandeling) -> schema::Behandeling {
    schema::Behandeling {
        aanbieder: b.aanbieder.clone(),
        reactie: b.reactie.as_ref().map(|(r, op)| schema::ReactieInfo {
            reactie: match r.reactie {
                Reactie::Geaccepteerd => schema::Reactie::Geaccepteerd,
                Reactie::Probleem => schema::Reactie::Probleem,
            },
            toelichting: r.toelichting.clone(),
            gegeven_op: rfc3339(*op),
        }),
        intake: b.intake.map(|(intakedatum, op)| schema::IntakeInfo {
            intakedatum,
            geregistreerd_op: rfc3339(op),
        }),
        behandelplan: b.plan.as_ref().map(|p| schema::BehandelplanInfo {
            beknopt_plan: p.beknopt_plan.clone(),
            doelen: (p.doelen.iter())
                .map(|d| schema::DoelInfo {
                    omschrijving: d.omschrijving.clone(),
                    resultaten: d.resultaten.clone(),
                    activiteiten: d.activiteiten.clone(),
                    hoe_vaak: d.frequentie.clone(),
                })
                .collect(),
            opgesteld_op: rfc3339(p.opgesteld_op),
        }),
    }
}

/// The provider's part of the case after a write, as the API answers it.
async fn na_schrijven(
    state: &AppState,
    user: &ApiUser,
    headers: &HeaderMap,
    id: i64,
) -> Result<Json<schema::Behandeling>, ApiError> {
    let casus = state
        .app
        .toegewezen_casus(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, headers))?;
    let b = casus
        .behandeling
        .as_ref()
        .ok_or_else(|| ApiError::internal(&"a write left no record"))?;
    Ok(Json(api_behandeling(b)))
}

/// Who may not write a provider's part hears that first, not what is wrong
/// with the body.
async fn mag_behandelen(
    state: &AppState,
    user: &ApiUser,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    (state.app)
        .require(&user.actor, UseCase::Behandelen, "behandeling.opslaan")
        .await
        .map_err(|e| ApiError::from_app(&e, headers))
}

/// The provider answers the allocation of a case: it takes the youth in care
/// (`geaccepteerd`) or reports a problem with it (`probleem`, with what the
/// problem is); the gemeente sees the answer on the case.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/reactie",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::ReactieGeven,
    responses(
        (status = 200, description = "Vastgelegd", body = schema::Behandeling),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Geen casus die aan u is toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets vastgelegd", body = schema::Fout),
    )
)]
pub(crate) async fn api_reactie(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<schema::Behandeling>, ApiError> {
    let lees = || Ok(Schrijven::Reactie(read_body(&body, "ReactieGeven")?));
    api_schrijven(&state, &user, &headers, &id, lees).await
}

/// The provider registers the day it held the intake, after it took the youth
/// in care: not a day to come, not before the match.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/intake",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::IntakeRegistreren,
    responses(
        (status = 200, description = "Geregistreerd", body = schema::Behandeling),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Geen casus die aan u is toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets geregistreerd", body = schema::Fout),
    )
)]
pub(crate) async fn api_intake(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<schema::Behandeling>, ApiError> {
    let lees = || Ok(Schrijven::Intake(read_body(&body, "IntakeRegistreren")?));
    api_schrijven(&state, &user, &headers, &id, lees).await
}

/// The provider records its beknopt plan and behandelplan, replacing an
/// earlier one, after the intake: each goal serves results of the family's
/// perspectiefplan, by their number in `resultaten` of the case.
#[utoipa::path(
    put,
    path = "/api/v1/casussen/{id}/behandelplan",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::BehandelplanOpslaan,
    responses(
        (status = 200, description = "Vastgelegd", body = schema::Behandeling),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Geen casus die aan u is toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets vastgelegd", body = schema::Fout),
    )
)]
pub(crate) async fn api_behandelplan(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<schema::Behandeling>, ApiError> {
    let lees = || {
        Ok(Schrijven::Behandelplan(read_body(
            &body,
            "BehandelplanOpslaan",
        )?))
    };
    api_schrijven(&state, &user, &headers, &id, lees).await
}

/// What a provider writes of its part through the API, as its body reads.
enum Schrijven {
    Reactie(schema::ReactieGeven),
    Intake(schema::IntakeRegistreren),
    Behandelplan(schema::BehandelplanOpslaan),
}

/// The API's writes of the provider's part: the case number, then whether the
/// role may write (before what is wrong with the body), then the body, the
/// use case, and the part as it now stands.
async fn api_schrijven(
    state: &AppState,
    user: &ApiUser,
    headers: &HeaderMap,
    id: &str,
    lees: impl FnOnce() -> Result<Schrijven, ApiError>,
) -> Result<Json<schema::Behandeling>, ApiError> {
    let id = number(id, headers)?;
    mag_behandelen(state, user, headers).await?;
    let (app, actor) = (&state.app, &user.actor);
    let result = match lees()? {
        Schrijven::Reactie(b) => {
            let reactie = (b.reactie.key().parse::<Reactie>())
                .map_err(|e| ApiError::internal(&format_args!("reactie: {}", e.message)))?;
            app.aanbieder_reageren(actor, id, reactie, &b.toelichting)
                .await
        }
        Schrijven::Intake(b) => app.intake_registreren(actor, id, b.intakedatum).await,
        Schrijven::Behandelplan(b) => {
            let plan = BehandelplanInvoer {
                beknopt_plan: b.beknopt_plan,
                doelen: (b.doelen.into_iter())
                    .map(|d| Doel {
                        omschrijving: d.omschrijving,
                        resultaten: d.resultaten.into_iter().map(usize::from).collect(),
                        activiteiten: d.activiteiten,
                        frequentie: d.hoe_vaak,
                    })
                    .collect(),
            };
            app.behandelplan_opslaan(actor, id, &plan).await
        }
    };
    result.map_err(|e| ApiError::from_app(&e, headers))?;
    na_schrijven(state, user, headers, id).await
}
