//! The JSON API under `/api/v1`: the same use cases as the pages, for the
//! systems of gemeenten and providers. Input is read strictly (unknown fields and
//! values that are not text are refused by name), errors are JSON naming the
//! field, and the contract is the OpenAPI document at `/api/v1/openapi.json`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jeugdroute_app::{
    AanbiederKeuze, CasusView, FieldError, Invoer, NieuweMelding, ToegewezenCasus, ToewijzingLine,
    WerkvoorraadRegel,
};
use jeugdroute_domain::{DeadlineStatus, Outcome, amsterdam_today, rfc3339};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::AppState;
use crate::aanbieder::for_provider;
use crate::auth::ApiUser;
use crate::casus::FilterForm;
use crate::error::ApiError;

/// The JSON type of a field the API reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Soort {
    Tekst,
    JaNee,
    /// A list of objects with these fields.
    Lijst(&'static [(&'static str, Soort)]),
}

impl Soort {
    fn fits(self, value: &Value) -> bool {
        match self {
            Soort::Tekst => value.is_string(),
            Soort::JaNee => value.is_boolean(),
            Soort::Lijst(_) => value.is_array(),
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Soort::Tekst => "geef dit veld als tekst",
            Soort::JaNee => "geef dit veld als true of false",
            Soort::Lijst(_) => "geef dit veld als een lijst",
        }
    }
}

/// Reads a JSON object whose fields are all text and all among `fields`.
pub(crate) fn json_body<T: DeserializeOwned>(
    body: &Bytes,
    fields: &[&'static str],
) -> Result<T, ApiError> {
    let typed: Vec<(&'static str, Soort)> = fields.iter().map(|f| (*f, Soort::Tekst)).collect();
    typed_json_body(body, &typed)
}

/// Reads a JSON object whose fields are all among `fields`, each of its type
/// (`null` counts as absent); every field that is wrong is named.
pub(crate) fn typed_json_body<T: DeserializeOwned>(
    body: &Bytes,
    fields: &[(&'static str, Soort)],
) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("geen geldige JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(ApiError::bad_request("verwacht een JSON-object"));
    };
    let mut errors = Vec::new();
    let object = check_object(object, fields, None, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    serde_json::from_value(Value::Object(object))
        .map_err(|e| ApiError::bad_request(format!("onleesbare invoer: {e}")))
}

/// The object without its `null` fields, after checking every field's name and
/// type; nested lists of objects are checked the same way, their errors under
/// the list's field (`ouders[1].gezag: …`).
fn check_object(
    object: serde_json::Map<String, Value>,
    fields: &[(&'static str, Soort)],
    parent: Option<(&'static str, usize)>,
    errors: &mut Vec<FieldError>,
) -> serde_json::Map<String, Value> {
    let mut kept = serde_json::Map::new();
    for (key, value) in object {
        if value.is_null() {
            continue;
        }
        let name = |key: &str| match parent {
            Some((list, i)) => format!("{list}[{i}].{key}: "),
            None => String::new(),
        };
        let Some((field, soort)) = fields.iter().find(|(f, _)| *f == key) else {
            errors.push(FieldError {
                field: parent.map_or("(onbekend)", |(list, _)| list),
                message: format!("{}onbekend veld '{key}'", name(&key)),
            });
            continue;
        };
        if !soort.fits(&value) {
            errors.push(FieldError {
                field: parent.map_or(*field, |(list, _)| list),
                message: format!("{}{}", name(&key), soort.hint()),
            });
            continue;
        }
        let value = match (soort, value) {
            (Soort::Lijst(inner), Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Value::Object(o) => {
                            Value::Object(check_object(o, inner, Some((field, i)), errors))
                        }
                        _ => {
                            errors.push(FieldError {
                                field,
                                message: format!("{field}[{i}]: verwacht een JSON-object"),
                            });
                            Value::Null
                        }
                    })
                    .collect(),
            ),
            (_, value) => value,
        };
        kept.insert(key, value);
    }
    kept
}

const OUDER_FIELDS: [(&str, Soort); 4] = [
    ("naam", Soort::Tekst),
    ("telefoon", Soort::Tekst),
    ("email", Soort::Tekst),
    ("gezag", Soort::JaNee),
];

const MELDING_FIELDS: [(&str, Soort); 21] = [
    ("bsn", Soort::Tekst),
    ("voornamen", Soort::Tekst),
    ("achternaam", Soort::Tekst),
    ("geboortedatum", Soort::Tekst),
    ("geslacht", Soort::Tekst),
    ("gemeente", Soort::Tekst),
    ("straat", Soort::Tekst),
    ("huisnummer", Soort::Tekst),
    ("postcode", Soort::Tekst),
    ("woonplaats", Soort::Tekst),
    ("verblijf_sinds", Soort::Tekst),
    ("postcode_voor_verblijf", Soort::Tekst),
    ("vraag", Soort::Tekst),
    ("ouders", Soort::Lijst(&OUDER_FIELDS)),
    ("vindplaats", Soort::Tekst),
    ("verwijzer", Soort::Tekst),
    ("verwijzer_naam", Soort::Tekst),
    ("urgentie", Soort::Tekst),
    ("kader", Soort::Tekst),
    ("gi", Soort::Tekst),
    ("tweede_casus", Soort::JaNee),
];

/// A number in a path (a case, an allocation); anything else is not found.
fn number(text: &str, headers: &HeaderMap) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .map_err(|_| ApiError::from_app(&jeugdroute_app::AppError::NotFound, headers))
}

/// A provider to choose from at match en intake, with its waiting time and,
/// when that is longer than the intake deadline, the warning.
fn keuze_json(k: &AanbiederKeuze) -> Value {
    json!({
        "agb": k.aanbieder.agb.as_str(),
        "naam": k.aanbieder.name,
        "plaats": k.aanbieder.city,
        "wachttijd_weken": k.wachttijd_weken,
        "waarschuwing": k.waarschuwing.map(|w| json!({
            "wachttijd_weken": w.wachttijd_weken,
            "intaketermijn_weken": w.intake_weken,
            "tekst": w.message(),
        })),
    })
}

/// A case as the API shows it, with the providers to choose from when it is at
/// match en intake (`keuze`, empty otherwise). Moments are Dutch local time.
fn casus_json(view: &CasusView, keuze: &[AanbiederKeuze]) -> Value {
    let CasusView {
        casus,
        jeugdige,
        ouders,
    } = view;
    let ouders: Vec<Value> = ouders
        .iter()
        .map(|o| json!({ "naam": o.naam, "telefoon": o.telefoon, "email": o.email, "gezag": o.gezag }))
        .collect();
    json!({
        "id": casus.id,
        "gemeente": casus.gemeente.as_str(),
        "fase": casus.phase.key(),
        "melding": {
            "vraag": casus.melding.vraag,
            "vindplaats": casus.melding.vindplaats,
            "verwijzer": casus.melding.verwijzer.code(),
            "verwijzer_naam": casus.melding.verwijzer_naam,
            "urgentie": casus.melding.urgentie.key(),
            "kader": casus.melding.kader.grond().map_or("vrijwillig", |g| g.key()),
            "gi": casus.melding.kader.gi().map(|gi| gi.as_str()),
        },
        "woonplaats_regel": casus.woonplaats_regel,
        "jeugdige": {
            "bsn": jeugdige.bsn.as_str(),
            "voornamen": jeugdige.first_names,
            "achternaam": jeugdige.surname,
            "geboortedatum": jeugdige.birth_date.to_string(),
            "geslacht": jeugdige.geslacht.key(),
        },
        "ouders": ouders,
        "aangemaakt": rfc3339(casus.created_at),
        "gewijzigd": rfc3339(casus.updated_at),
        "aanbieders": keuze.iter().map(keuze_json).collect::<Vec<_>>(),
    })
}

/// A line of the worklist as the API shows it.
fn regel_json(regel: &WerkvoorraadRegel) -> Value {
    let signaal = regel.signaal.map(|s| {
        json!({
            "intake_uiterlijk": s.deadline.due.to_string(),
            "status": match s.status {
                DeadlineStatus::OnTime => "op-tijd",
                DeadlineStatus::Signal => "signaal",
                DeadlineStatus::Overdue => "verlopen",
            },
        })
    });
    json!({
        "id": regel.casus.id,
        "gemeente": regel.casus.gemeente.as_str(),
        "fase": regel.casus.phase.key(),
        "urgentie": regel.casus.melding.urgentie.key(),
        "jeugdige": {"voornamen": regel.first_names, "achternaam": regel.surname},
        "signaal": signaal,
        "aangemaakt": rfc3339(regel.casus.created_at),
    })
}

/// The youth as a provider sees it: no BSN beyond the JW301.
fn jeugdige_json(first_names: &str, surname: &str, birth_date: chrono::NaiveDate) -> Value {
    json!({
        "voornamen": first_names,
        "achternaam": surname,
        "geboortedatum": birth_date.to_string(),
    })
}

/// A line of a provider's worklist as the API shows it.
fn toewijzing_json(line: &ToewijzingLine) -> Value {
    let t = &line.toewijzing;
    json!({
        "id": t.casus_id,
        "gemeente": t.gemeente.as_str(),
        "toewijzingnummer": t.nummer,
        "productcode": t.productcode.as_str(),
        "ingangsdatum": t.start_date.to_string(),
        "einddatum": t.end_date.to_string(),
        "jeugdige": jeugdige_json(&line.first_names, &line.surname, line.birth_date),
    })
}

/// A case as the provider it was allocated to sees it.
fn toegewezen_json(casus: &ToegewezenCasus) -> Value {
    let hulp: Vec<Value> = casus
        .hulp
        .iter()
        .map(|h| {
            json!({
                "toewijzingnummer": h.toewijzing.nummer,
                "productcode": h.toewijzing.productcode.as_str(),
                "arrangement": h.arrangement,
                "intensiteit": h.intensiteit.map(|i| i.key()),
                "ingangsdatum": h.toewijzing.start_date.to_string(),
                "einddatum": h.toewijzing.end_date.to_string(),
            })
        })
        .collect();
    json!({
        "id": casus.casus_id,
        "gemeente": casus.gemeente.as_str(),
        "jeugdige": jeugdige_json(&casus.first_names, &casus.surname, casus.birth_date),
        "toewijzingen": hulp,
        "jw301": casus.jw301,
    })
}

/// `GET /api/v1/casussen`: the worklist with the filters of the query, or for
/// a provider the cases allocated to it.
pub(crate) async fn casussen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Query(filter): Query<FilterForm>,
) -> Result<Json<Value>, ApiError> {
    let app_error = |e| ApiError::from_app(&e, &headers);
    let casussen: Vec<Value> = if for_provider(&user.actor) {
        let lines = state.app.toewijzingen(&user.actor).await;
        lines
            .map_err(app_error)?
            .iter()
            .map(toewijzing_json)
            .collect()
    } else {
        let today = amsterdam_today(chrono::Utc::now());
        let regels = state
            .app
            .werkvoorraad(&user.actor, None, &filter.filter(), today)
            .await;
        regels.map_err(app_error)?.iter().map(regel_json).collect()
    };
    Ok(Json(json!({ "casussen": casussen })))
}

/// `POST /api/v1/casussen`: a melding; answers 201 with the new case.
pub(crate) async fn casus_aanmaken(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let melding: NieuweMelding = typed_json_body(&body, &MELDING_FIELDS)?;
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
        Json(casus_json(&view, &[])),
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
    let app_error = |e| ApiError::from_app(&e, &headers);
    if for_provider(&user.actor) {
        let casus = state.app.toegewezen_casus(&user.actor, id).await;
        return Ok(Json(toegewezen_json(&casus.map_err(app_error)?)));
    }
    let view = state.app.casus(&user.actor, id).await.map_err(app_error)?;
    let verloop = state
        .app
        .verloop(&user.actor, &view)
        .await
        .map_err(app_error)?;
    Ok(Json(casus_json(&view, &verloop.keuze)))
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
