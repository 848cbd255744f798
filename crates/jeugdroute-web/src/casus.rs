//! The access worker's pages: the worklist with its search (sent by POST, so a
//! BSN never appears in a URL), the melding form, and one case.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jeugdroute_app::{AppError, CasusLine, CasusView, FieldError, NieuweMelding, UseCase};
use jeugdroute_domain::{Gemeente, Urgentie, Verwijzer};

use crate::AppState;
use crate::auth::Signed;
use crate::error::WebError;
use crate::layout::Layout;

/// Renders a page template or fails as an internal error.
pub(crate) fn render(page: &impl Template, headers: &HeaderMap) -> Result<Html<String>, WebError> {
    page.render()
        .map(Html)
        .map_err(|e| WebError::internal(&e, headers))
}

/// The gemeenten of the region, for names beside codes (no personal data).
async fn gemeenten(state: &AppState, headers: &HeaderMap) -> Result<Vec<Gemeente>, WebError> {
    Ok(state
        .app
        .regio_overview()
        .await
        .map_err(|e| WebError::from_app(&e, headers))?
        .map(|o| o.gemeenten)
        .unwrap_or_default())
}

fn gemeente_name(gemeenten: &[Gemeente], code: &str) -> String {
    gemeenten
        .iter()
        .find(|g| g.code.as_str() == code)
        .map_or_else(|| code.to_owned(), |g| g.name.clone())
}

/// One row of the worklist.
pub(crate) struct Row {
    id: i64,
    name: String,
    gemeente: String,
    fase: &'static str,
    urgentie: Urgentie,
    ontvangen: String,
}

#[derive(Template)]
#[template(path = "werkvoorraad.html")]
struct WerkvoorraadPage {
    layout: Layout,
    zoek: String,
    rows: Vec<Row>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ZoekForm {
    csrf: String,
    zoek: String,
}

async fn werkvoorraad_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    zoek: &str,
) -> Result<Html<String>, WebError> {
    let lines = state
        .app
        .werkvoorraad(&signed.actor, Some(zoek))
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let gemeenten = gemeenten(state, headers).await?;
    let rows = lines
        .into_iter()
        .map(
            |CasusLine {
                 casus,
                 first_names,
                 surname,
             }| Row {
                id: casus.id,
                name: format!("{first_names} {surname}"),
                gemeente: gemeente_name(&gemeenten, casus.gemeente.as_str()),
                fase: casus.phase.label(),
                urgentie: casus.melding.urgentie,
                ontvangen: casus.created_at.format("%d-%m-%Y").to_string(),
            },
        )
        .collect();
    let page = WerkvoorraadPage {
        layout: signed.layout(),
        zoek: zoek.to_owned(),
        rows,
    };
    render(&page, headers)
}

/// `GET /werkvoorraad`: the user's cases, newest first.
pub(crate) async fn werkvoorraad(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    werkvoorraad_page(&state, &signed, &headers, "").await
}

/// `POST /werkvoorraad`: the worklist searched by BSN or name.
pub(crate) async fn werkvoorraad_zoeken(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<ZoekForm>,
) -> Result<Html<String>, WebError> {
    signed.check_csrf(&form.csrf)?;
    werkvoorraad_page(&state, &signed, &headers, &form.zoek).await
}

#[derive(Template)]
#[template(path = "melding.html")]
struct MeldingPage {
    layout: Layout,
    melding: NieuweMelding,
    fouten: Vec<FieldError>,
    gemeenten: Vec<Gemeente>,
}

impl MeldingPage {
    /// The error of one field, for the message beside it.
    fn fout(&self, field: &str) -> Option<&str> {
        self.fouten
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.message.as_str())
    }

    fn verwijzers(&self) -> &'static [Verwijzer] {
        &Verwijzer::ALL
    }

    fn urgenties(&self) -> &'static [Urgentie] {
        &Urgentie::ALL
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct MeldingForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    melding: NieuweMelding,
}

async fn melding_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    melding: NieuweMelding,
    fouten: Vec<FieldError>,
) -> Result<Html<String>, WebError> {
    let gemeenten = gemeenten(state, headers)
        .await?
        .into_iter()
        .filter(|g| signed.current.user.gemeenten.contains(&g.code))
        .collect();
    let page = MeldingPage {
        layout: signed.layout(),
        melding,
        fouten,
        gemeenten,
    };
    render(&page, headers)
}

/// `GET /meldingen/nieuw`: the empty melding form.
pub(crate) async fn nieuwe_melding(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    state
        .app
        .require(&signed.actor, UseCase::NieuweMelding, "melding.formulier")
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let melding = NieuweMelding {
        urgentie: Urgentie::Regulier.key().into(),
        ..NieuweMelding::default()
    };
    Ok(melding_page(&state, &signed, &headers, melding, Vec::new())
        .await?
        .into_response())
}

/// `POST /meldingen/nieuw`: registers the melding and opens its case, or shows
/// the form again with every field error.
pub(crate) async fn melding_opslaan(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<MeldingForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    match state.app.nieuwe_melding(&signed.actor, &form.melding).await {
        Ok(id) => Ok(Redirect::to(&format!("/casussen/{id}")).into_response()),
        Err(AppError::Fields(fouten)) => {
            let page = melding_page(&state, &signed, &headers, form.melding, fouten).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(WebError::from_app(&e, &headers)),
    }
}

#[derive(Template)]
#[template(path = "casus.html")]
struct CasusPage {
    layout: Layout,
    view: CasusView,
    gemeente: String,
}

/// `GET /casussen/{id}`: one case, or "not found" for a case out of reach.
pub(crate) async fn casus(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = id.parse::<i64>().map_err(|_| WebError::not_found())?;
    let view = state
        .app
        .casus(&signed.actor, id)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let gemeenten = gemeenten(&state, &headers).await?;
    let page = CasusPage {
        layout: signed.layout(),
        gemeente: gemeente_name(&gemeenten, view.casus.gemeente.as_str()),
        view,
    };
    render(&page, &headers)
}
