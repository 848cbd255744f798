//! The JSON API under `/api/v1`: the same use cases as the pages, for the
//! systems of gemeenten and providers. Input is read strictly (unknown fields and
//! values that are not text are refused by name), errors are JSON naming the
//! field, and the contract is the OpenAPI document at `/api/v1/openapi.json`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jeugdroute_app::{CasusView, FieldError, Invoer, NieuweMelding};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::ApiError;

/// Reads a JSON object whose fields are all text and all among `fields`.
pub(crate) fn json_body<T: DeserializeOwned>(
    body: &Bytes,
    fields: &[&'static str],
) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("geen geldige JSON: {e}")))?;
    let Value::Object(object) = &value else {
        return Err(ApiError::bad_request("verwacht een JSON-object"));
    };
    let mut errors = Vec::new();
    for (key, field_value) in object {
        match fields.iter().find(|f| **f == key) {
            None => errors.push(FieldError {
                field: "(onbekend)",
                message: format!("onbekend veld '{key}'"),
            }),
            Some(field) if !field_value.is_string() && !field_value.is_null() => {
                errors.push(FieldError {
                    field,
                    message: "geef dit veld als tekst".into(),
                });
            }
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    let strings: serde_json::Map<String, Value> = object
        .iter()
        .filter(|(_, v)| v.is_string())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::from_value(Value::Object(strings))
        .map_err(|e| ApiError::bad_request(format!("onleesbare invoer: {e}")))
}

const MELDING_FIELDS: [&str; 13] = [
    "bsn",
    "voornamen",
    "achternaam",
    "geboortedatum",
    "gemeente",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "vindplaats",
    "verwijzer",
    "verwijzer_naam",
    "urgentie",
];

/// A number in a path (a case, an allocation); anything else is not found.
fn number(text: &str, headers: &HeaderMap) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .map_err(|_| ApiError::from_app(&jeugdroute_app::AppError::NotFound, headers))
}

/// A case as the API shows it.
fn casus_json(view: &CasusView) -> Value {
    let CasusView { casus, jeugdige } = view;
    json!({
        "id": casus.id,
        "gemeente": casus.gemeente.as_str(),
        "fase": casus.phase.key(),
        "melding": {
            "vindplaats": casus.melding.vindplaats,
            "verwijzer": casus.melding.verwijzer.code(),
            "verwijzer_naam": casus.melding.verwijzer_naam,
            "urgentie": casus.melding.urgentie.key(),
        },
        "jeugdige": {
            "bsn": jeugdige.bsn.as_str(),
            "voornamen": jeugdige.first_names,
            "achternaam": jeugdige.surname,
            "geboortedatum": jeugdige.birth_date.to_string(),
        },
        "aangemaakt": casus.created_at.to_rfc3339(),
        "gewijzigd": casus.updated_at.to_rfc3339(),
    })
}

/// `POST /api/v1/casussen`: a melding; answers 201 with the new case.
pub(crate) async fn casus_aanmaken(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let melding: NieuweMelding = json_body(&body, &MELDING_FIELDS)?;
    let app_error = |e| ApiError::from_app(&e, &headers);
    let id = state
        .app
        .nieuwe_melding(&user.actor, &melding)
        .await
        .map_err(app_error)?;
    let view = state.app.casus(&user.actor, id).await.map_err(app_error)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/casussen/{id}"))],
        Json(casus_json(&view)),
    )
        .into_response())
}

/// `GET /api/v1/casussen/{id}`.
pub(crate) async fn casus(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = number(&id, &headers)?;
    let view = state
        .app
        .casus(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(casus_json(&view)))
}

/// `GET /api/v1/casussen/{id}/jw301`: the newest JW301 of the case, as XML.
pub(crate) async fn jw301(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = number(&id, &headers)?;
    let xml = state
        .app
        .jw301_van(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(crate::casus::xml_response(xml))
}

const WIJZIGING_FIELDS: [&str; 5] = ["soort", "einddatum", "reden", "toelichting", "versie"];

/// `POST /api/v1/casussen/{id}/toewijzingen/{nummer}`: changes a sent allocation
/// (intrekken, verwijderen, correctie); answers the new version and its JW301's
/// identificatie.
pub(crate) async fn toewijzing_wijzigen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((id, nummer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (id, nummer) = (number(&id, &headers)?, number(&nummer, &headers)?);
    let invoer: Invoer = json_body(&body, &WIJZIGING_FIELDS)?;
    let w = state
        .app
        .toewijzing_wijzigen(&user.actor, id, nummer, &invoer)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(json!({
        "toewijzingnummer": w.nummer,
        "versie": w.versie,
        "reden_wijziging": w.reden_wijziging,
        "einddatum": w.einddatum.to_string(),
        "bericht_identificatie": w.bericht_identificatie,
        "jw301": format!("/api/v1/casussen/{id}/jw301"),
    })))
}

/// `GET /api/v1/openapi.json`: the contract of this API.
pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../static/openapi.json"),
    )
        .into_response()
}
