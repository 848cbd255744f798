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
use jeugdroute_domain::Outcome;
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
    let not_found = || ApiError::from_app(&jeugdroute_app::AppError::NotFound, &headers);
    let id = id.parse::<i64>().map_err(|_| not_found())?;
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
    let not_found = || ApiError::from_app(&jeugdroute_app::AppError::NotFound, &headers);
    let id = id.parse::<i64>().map_err(|_| not_found())?;
    let xml = state
        .app
        .jw301_van(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(crate::casus::xml_response(xml))
}

/// The answers of the bemiddeling step (7-step plan steps 2-5a).
const BEPALING_FIELDS: [&str; 8] = [
    "arrangement",
    "intensiteit",
    "segment_beantwoord",
    "intramuraal",
    "tarief_buiten_segment_2",
    "behandeling_uren",
    "begeleiding_uren",
    "dagdelen",
];

/// `POST /api/v1/bepaling`: the live determination of an arrangement code, with
/// its reasons; the bemiddeling form asks it while the worker chooses.
pub(crate) async fn bepaling(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let invoer: Invoer = json_body(&body, &BEPALING_FIELDS)?;
    let d = state
        .app
        .bepalen(&user.actor, &invoer)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    let uitkomst = match d.outcome {
        Outcome::Code(_) => "code",
        Outcome::Segment3 => "segment-3",
        Outcome::SegmentCheckNeeded => "segmentcheck-nodig",
    };
    let redenen: Vec<Value> = d
        .reasons
        .iter()
        .map(|r| json!({ "code": r.code, "tekst": r.text, "bron": r.source }))
        .collect();
    Ok(Json(json!({
        "arrangement": d.arrangement,
        "arrangement_naam": d.arrangement_name,
        "intensiteit": d.intensiteit.key(),
        "intensiteit_naam": d.intensiteit.label(),
        "uitkomst": uitkomst,
        "code": d.code().map(|c| c.as_str()),
        "redenen": redenen,
        "catalogus": d.catalogue_version,
    })))
}

/// `POST /api/v1/voorstel`: an intensity proposal from the guidelines of step 4
/// that fit the family (`richtlijnen`: their ids, separated by commas).
pub(crate) async fn voorstel(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let invoer: Invoer = json_body(&body, &["richtlijnen"])?;
    let ticked: Vec<&str> = invoer
        .get("richtlijnen")
        .map_or("", String::as_str)
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect();
    let suggestion = state
        .app
        .voorstellen(&user.actor, &ticked)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(suggestion.map_or(Value::Null, |s| {
        let scores: Vec<Value> = s
            .scores
            .iter()
            .map(|g| json!({ "intensiteit": g.intensiteit.key(), "aangevinkt": g.ticked, "totaal": g.total }))
            .collect();
        json!({
            "intensiteit": s.proposal.map(|i| i.key()),
            "uitleg": s.explanation,
            "scores": scores,
        })
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
