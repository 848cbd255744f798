//! A provider's requests (verzoek om toewijzing, JW315; om wijziging, JW317) for
//! the access worker: the list "Verzoeken" of their gemeenten, a page per
//! request with its two answers (toewijzen; afwijzen or in onderzoek), and the
//! same as JSON under `/api/v1/verzoeken`. The application decides who may see
//! and answer; a request of another gemeente is not found.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use jeugdroute_app::{
    AppError, FieldError, VERZOEKEN_PAGE_SIZE, Verzoek, VerzoekAntwoord, VerzoekBeantwoorden,
    VerzoekProduct, VerzoekView,
};
use jeugdroute_domain::Termijnstand;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{number, read_body};
use crate::auth::{ApiUser, Signed};
use crate::casus::{case_id, render};
use crate::error::{ApiError, WebError};
use crate::layout::Layout;

/// What the list is narrowed to: none of it is personal data.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Lijst {
    /// The last id of the previous page.
    pub voor: Option<i64>,
    /// `ja`: answered requests too; otherwise only those still waiting. Any
    /// other value is refused (400), as the document says.
    pub alle: Option<JaNee>,
}

/// A yes-or-no choice in an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum JaNee {
    Ja,
    Nee,
}

impl Lijst {
    fn waiting(&self) -> bool {
        self.alle != Some(JaNee::Ja)
    }
}

/// A request's state in words.
pub(crate) fn toestand(state: &str) -> &'static str {
    match state {
        "open" => "Wacht op antwoord",
        "in_onderzoek" => "In onderzoek",
        "toegewezen" => "Toegewezen",
        _ => "Afgewezen",
    }
}

/// A request's kind in words.
pub(crate) fn soort(soort: &str) -> &'static str {
    if soort == "JW317" {
        "Verzoek om wijziging"
    } else {
        "Verzoek om toewijzing"
    }
}

/// The reasons to reject a request (RedenAfwijzingVerzoek), for the form.
pub(crate) fn redenen() -> Vec<(&'static str, &'static str)> {
    jeugdroute_app::redenen_afwijzing()
}

/// One line of the list.
struct Regel {
    verzoek: Verzoek,
    /// The deadline's signal, when it is near or passed.
    termijn: Option<Termijnstand>,
}

#[derive(Template)]
#[template(path = "verzoeken.html")]
struct VerzoekenPage {
    layout: Layout,
    regels: Vec<Regel>,
    volgende: Option<i64>,
    alle: bool,
}

/// `GET /verzoeken`: the requests to the worker's gemeenten, a page at a time.
pub(crate) async fn verzoeken(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Query(lijst): Query<Lijst>,
) -> Result<Html<String>, WebError> {
    let list = state
        .app
        .verzoeken(&signed.actor, lijst.waiting(), lijst.voor)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let today = jeugdroute_domain::amsterdam_today(state.app.now());
    let volgende = next_page(&list);
    render(
        &VerzoekenPage {
            layout: signed.layout(),
            regels: list
                .into_iter()
                .map(|verzoek| Regel {
                    termijn: jeugdroute_app::verzoek_termijn(&verzoek, today)
                        .filter(|t| t.signaal()),
                    verzoek,
                })
                .collect(),
            volgende,
            alle: !lijst.waiting(),
        },
        &headers,
    )
}

fn next_page(list: &[Verzoek]) -> Option<i64> {
    let full = i64::try_from(list.len()).is_ok_and(|n| n >= VERZOEKEN_PAGE_SIZE);
    full.then(|| list.last().map(|v| v.id)).flatten()
}

#[derive(Template)]
#[template(path = "verzoek.html")]
struct VerzoekPage {
    layout: Layout,
    view: VerzoekView,
    fouten: Vec<FieldError>,
    invoer: AntwoordForm,
}

/// The answer form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AntwoordForm {
    pub csrf: String,
    #[serde(flatten)]
    pub invoer: VerzoekBeantwoorden,
}

async fn verzoek_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    id: i64,
    fouten: Vec<FieldError>,
    invoer: AntwoordForm,
) -> Result<Html<String>, WebError> {
    let view = state
        .app
        .verzoek(&signed.actor, id)
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    render(
        &VerzoekPage {
            layout: signed.layout(),
            view,
            fouten,
            invoer,
        },
        headers,
    )
}

/// `GET /verzoeken/{id}`: one request with its answers.
pub(crate) async fn verzoek(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    verzoek_page(
        &state,
        &signed,
        &headers,
        case_id(&id)?,
        Vec::new(),
        AntwoordForm::default(),
    )
    .await
}

/// `POST /verzoeken/{id}`: the worker's answer; the page again with its errors.
pub(crate) async fn beantwoorden(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AntwoordForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    let id = case_id(&id)?;
    let fouten = match state
        .app
        .verzoek_beantwoorden(&signed.actor, id, &form.invoer)
        .await
    {
        Ok(_) => return Ok(Redirect::to(&format!("/verzoeken/{id}")).into_response()),
        Err(AppError::Fields(fouten)) => fouten,
        Err(AppError::Invalid(message)) => vec![FieldError {
            field: "antwoord",
            message,
        }],
        Err(e) => return Err(WebError::from_app(&e, &headers)),
    };
    Ok(verzoek_page(&state, &signed, &headers, id, fouten, form)
        .await?
        .into_response())
}

/// A request in a list (`GET /api/v1/verzoeken`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VerzoekRegel {
    pub id: i64,
    /// `JW315` (verzoek om toewijzing) or `JW317` (verzoek om wijziging).
    pub berichtsoort: String,
    pub gemeente: String,
    /// AGB code of the provider.
    pub aanbieder: String,
    /// `open`, `in_onderzoek`, `toegewezen` or `afgewezen`.
    pub status: String,
    pub ontvangen: NaiveDate,
    /// The last day to answer: 5 working days, 8 weeks once in onderzoek.
    pub uiterlijk: NaiveDate,
    /// The last day has passed without an answer.
    pub te_laat: bool,
    /// While it waits: `open`, `morgen` (the last day is the next working
    /// day), `vandaag` or `verlopen`; absent once answered.
    #[schema(max_length = 8)]
    pub termijn: Option<String>,
    pub casus: Option<i64>,
}

/// A page of requests.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Verzoeken {
    pub verzoeken: Vec<VerzoekRegel>,
    /// Pass as `voor` for the next page; absent on the last.
    pub volgende: Option<i64>,
}

/// A requested product.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GevraagdProduct {
    /// `aangevraagd`, `ongewijzigd`, `te_wijzigen` or `nieuw`.
    pub soort: String,
    pub referentie_aanbieder: Option<String>,
    pub toewijzingnummer: Option<i64>,
    pub productcategorie: Option<String>,
    pub productcode: Option<String>,
    pub ingangsdatum: Option<NaiveDate>,
    pub einddatum: Option<NaiveDate>,
    pub volume: Option<i64>,
    pub eenheid: Option<String>,
    pub frequentie: Option<String>,
    pub verwijzer_type: Option<String>,
    /// The allocation that honoured it.
    pub toegewezen: Option<i64>,
}

/// A JW319 sent on the request.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VerzoekAntwoordInfo {
    /// `1` afgewezen, `2` in onderzoek.
    pub verzoek_antwoord: String,
    /// RedenAfwijzingVerzoek of a rejection.
    pub reden_afwijzing: Option<String>,
    /// With reason 8: the responsible gemeente.
    pub gemeente: Option<String>,
    pub door: String,
}

/// One request with its products and answers (`GET /api/v1/verzoeken/{id}`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VerzoekInfo {
    #[serde(flatten)]
    pub regel: VerzoekRegel,
    pub geslachtsnaam: Option<String>,
    pub voornamen: Option<String>,
    pub geboortedatum: Option<NaiveDate>,
    pub referentie_aanbieder: Option<String>,
    pub producten: Vec<GevraagdProduct>,
    pub antwoorden: Vec<VerzoekAntwoordInfo>,
    /// The woonplaatsbeginsel as far as the worker may see: CBS codes of the
    /// worker's gemeenten where the youth of this BSN is registered.
    #[schema(max_items = 400)]
    pub bekend_in: Vec<String>,
}

/// The worker's answer (`POST /api/v1/verzoeken/{id}/antwoord`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the document's shape: a body is checked against it, then read by the application's own type"
)]
pub(crate) struct VerzoekAntwoordVraag {
    /// `toewijzen`, `afwijzen` or `in_onderzoek` (once per request).
    #[schema(max_length = 20)]
    pub antwoord: String,
    /// RedenAfwijzingVerzoek 1–9, with afwijzen.
    #[schema(max_length = 2)]
    pub reden_afwijzing: Option<String>,
    /// CBS code of the responsible gemeente, only with reason 8.
    #[schema(max_length = 4)]
    pub gemeente: Option<String>,
    /// The address of a youth the gemeente does not know yet, with toewijzen.
    #[schema(max_length = 24)]
    pub straat: Option<String>,
    #[schema(max_length = 10)]
    pub huisnummer: Option<String>,
    #[schema(max_length = 7)]
    pub postcode: Option<String>,
    #[schema(max_length = 80)]
    pub woonplaats: Option<String>,
}

fn regel(v: &Verzoek, today: NaiveDate) -> VerzoekRegel {
    let termijn = jeugdroute_app::verzoek_termijn(v, today);
    VerzoekRegel {
        id: v.id,
        berichtsoort: v.soort.clone(),
        gemeente: v.gemeente_code.clone(),
        aanbieder: v.aanbieder_agb.clone(),
        status: v.state.clone(),
        ontvangen: v.received_on,
        uiterlijk: v.deadline,
        te_laat: termijn == Some(Termijnstand::Verlopen),
        termijn: termijn.map(|t| t.key().to_owned()),
        casus: v.casus_id,
    }
}

fn product(p: &VerzoekProduct) -> GevraagdProduct {
    GevraagdProduct {
        soort: p.soort.clone(),
        referentie_aanbieder: p.referentie_aanbieder.clone(),
        toewijzingnummer: p.toewijzing_nummer,
        productcategorie: p.productcategorie.clone(),
        productcode: p.productcode.clone(),
        ingangsdatum: p.ingangsdatum,
        einddatum: p.einddatum,
        volume: p.volume,
        eenheid: p.eenheid.clone(),
        frequentie: p.frequentie.clone(),
        verwijzer_type: p.verwijzer_type.clone(),
        toegewezen: p.toegewezen_nummer,
    }
}

fn antwoord_info(a: &VerzoekAntwoord) -> VerzoekAntwoordInfo {
    VerzoekAntwoordInfo {
        verzoek_antwoord: a.verzoek_antwoord.clone(),
        reden_afwijzing: a.reden.clone(),
        gemeente: a.woonplaats_gemeente.clone(),
        door: a.answered_by.clone(),
    }
}

fn info(view: &VerzoekView, today: NaiveDate) -> VerzoekInfo {
    let v = &view.verzoek;
    VerzoekInfo {
        regel: regel(v, today),
        geslachtsnaam: v.geslachtsnaam.clone(),
        voornamen: v.voornamen.clone(),
        geboortedatum: v.geboortedatum,
        referentie_aanbieder: v.referentie_aanbieder.clone(),
        producten: view.producten.iter().map(product).collect(),
        antwoorden: view.antwoorden.iter().map(antwoord_info).collect(),
        bekend_in: view
            .bekend_in
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
    }
}

/// The woonplaatsbeginsel in words, from where the youth is known.
pub(crate) fn woonplaats(view: &VerzoekView) -> String {
    let hier = view.verzoek.gemeente_code.as_str();
    let elders: Vec<&str> = view
        .bekend_in
        .iter()
        .map(|g| g.as_str())
        .filter(|g| *g != hier)
        .collect();
    if view.bekend_in.iter().any(|g| g.as_str() == hier) {
        format!("De jeugdige is bekend bij gemeente {hier}.")
    } else if elders.is_empty() {
        format!(
            "De jeugdige is nog niet bekend bij gemeente {hier} of de andere gemeenten waarvoor u werkt."
        )
    } else {
        format!(
            "De jeugdige is niet bekend bij gemeente {hier}, wel bij gemeente {}. Hoort de jeugdige volgens het woonplaatsbeginsel bij die gemeente? Wijs het verzoek dan af met reden 8 en noem die gemeente.",
            elders.join(", ")
        )
    }
}

/// The requests of providers to the worker's gemeenten, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/verzoeken",
    tag = "verzoeken",
    params(
        ("voor" = Option<i64>, Query, description = "Het laatste nummer van de vorige pagina."),
        ("alle" = Option<String>, Query, description = "ja: ook beantwoorde verzoeken.", pattern = "^(ja|nee)$"),
    ),
    responses(
        (status = 200, description = "Een pagina verzoeken", body = Verzoeken),
        (status = 400, description = "Onleesbare zoekvraag", body = crate::schema::Fout),
        (status = 401, description = "Niet aangemeld", body = crate::schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = crate::schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = crate::schema::Fout),
    )
)]
pub(crate) async fn api_verzoeken(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Query(lijst): Query<Lijst>,
) -> Result<Json<Verzoeken>, ApiError> {
    let list = state
        .app
        .verzoeken(&user.actor, lijst.waiting(), lijst.voor)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    let today = jeugdroute_domain::amsterdam_today(state.app.now());
    Ok(Json(Verzoeken {
        volgende: next_page(&list),
        verzoeken: list.iter().map(|v| regel(v, today)).collect(),
    }))
}

/// One request with its products and the answers sent on it.
#[utoipa::path(
    get,
    path = "/api/v1/verzoeken/{id}",
    tag = "verzoeken",
    params(("id" = i64, Path, description = "Het nummer van het verzoek")),
    responses(
        (status = 200, description = "Het verzoek", body = VerzoekInfo),
        (status = 401, description = "Niet aangemeld", body = crate::schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = crate::schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = crate::schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = crate::schema::Fout),
    )
)]
pub(crate) async fn api_verzoek(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<VerzoekInfo>, ApiError> {
    let view = state
        .app
        .verzoek(&user.actor, number(&id, &headers)?)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    let today = jeugdroute_domain::amsterdam_today(state.app.now());
    Ok(Json(info(&view, today)))
}

/// Answers a request whole: toewijzen (a JW301 per product), afwijzen or in
/// onderzoek (a JW319).
#[utoipa::path(
    post,
    path = "/api/v1/verzoeken/{id}/antwoord",
    tag = "verzoeken",
    params(("id" = i64, Path, description = "Het nummer van het verzoek")),
    request_body = VerzoekAntwoordVraag,
    responses(
        (status = 200, description = "Het verzoek zoals het nu staat; de berichten staan klaar voor de aanbieder", body = VerzoekInfo),
        (status = 400, description = "Geen JSON-object", body = crate::schema::Fout),
        (status = 401, description = "Niet aangemeld", body = crate::schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = crate::schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = crate::schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of al beantwoord", body = crate::schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = crate::schema::Fout),
    )
)]
pub(crate) async fn api_beantwoorden(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<VerzoekInfo>, ApiError> {
    let id = number(&id, &headers)?;
    let invoer: VerzoekBeantwoorden = read_body(&body, "VerzoekAntwoordVraag")?;
    state
        .app
        .verzoek_beantwoorden(&user.actor, id, &invoer)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    api_verzoek(State(state), user, headers, Path(id.to_string())).await
}
