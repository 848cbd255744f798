//! Progress notes on a case, by its provider and by the local team: one form
//! on both their case pages, and its JSON call. The application decides who may
//! write on which case; the page that comes back is the writer's own.

use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jeugdroute_app::{AppError, Invoer};

use crate::AppState;
use crate::aanbieder::for_provider;
use crate::api::{number, read_body, voortgang};
use crate::auth::{ApiUser, Signed};
use crate::casus::{answer, case_id};
use crate::error::{ApiError, WebError};
use crate::schema;

/// `POST /casussen/{id}/voortgang`: adds a note, then back to the case; or the
/// case with the error.
pub(crate) async fn schrijven(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let id = case_id(&id)?;
    let tekst = invoer.get("voortgang").map_or("", String::as_str);
    let result = state
        .app
        .voortgang_schrijven(&signed.actor, id, tekst)
        .await;
    if !for_provider(&signed.actor) {
        return answer(&state, &signed, &headers, id, invoer, result).await;
    }
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/casussen/{id}")).into_response()),
        Err(AppError::Fields(fouten)) => {
            let page =
                crate::behandeling::casus_page(&state, &signed, &headers, id, fouten, invoer)
                    .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(WebError::from_app(&e, &headers)),
    }
}

/// Adds a progress note to the case, as its provider or its local team;
/// answers the case's notes, newest first.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/voortgang",
    tag = "casussen",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::VoortgangSchrijven,
    responses(
        (status = 200, description = "Geschreven; de voortgang van de casus", body = Vec<schema::VoortgangInfo>),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of de hulp loopt niet (meer)", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets geschreven", body = schema::Fout),
    )
)]
pub(crate) async fn api_schrijven(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Vec<schema::VoortgangInfo>>, ApiError> {
    let id = number(&id, &headers)?;
    let b: schema::VoortgangSchrijven = read_body(&body, "VoortgangSchrijven")?;
    let app_error = |e| ApiError::from_app(&e, &headers);
    let app = &state.app;
    app.voortgang_schrijven(&user.actor, id, &b.voortgang)
        .await
        .map_err(app_error)?;
    let notes = if for_provider(&user.actor) {
        app.toegewezen_casus(&user.actor, id)
            .await
            .map_err(app_error)?
            .voortgang
    } else {
        let view = app.casus(&user.actor, id).await.map_err(app_error)?;
        app.verloop(&user.actor, &view)
            .await
            .map_err(app_error)?
            .voortgang
    };
    Ok(Json(notes.iter().map(voortgang).collect()))
}
