//! The beheerder's audit page: search the log of who saw or changed whose data
//! (50 a page, the filters kept in the page links), export a search as CSV, see
//! the last verification of the chain and verify it now; and the same through
//! the JSON API under `/api/v1/beheer/audit`.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jeugdroute_app::{
    AUDIT_PAGE_SIZE, AppError, AuditCheck, AuditRecord, AuditResult, AuditZoek, FieldError,
};

use crate::AppState;
use crate::auth::{ApiUser, Signed};
use crate::casus::render;
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::schema;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    zoek: AuditZoek,
    fouten: Vec<FieldError>,
    result: Option<AuditResult>,
    controle: Option<AuditCheck>,
    /// The filters as a query string (no page), for the page and CSV links.
    filters: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AuditForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    zoek: AuditZoek,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `text` percent-encoded for a query string (unreserved characters kept).
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The search's filters as a query string, without the page: user, event, case
/// number and dates only (never a BSN).
fn filters(zoek: &AuditZoek) -> String {
    [
        ("gebruiker", &zoek.gebruiker),
        ("gebeurtenis", &zoek.gebeurtenis),
        ("casus", &zoek.casus),
        ("van", &zoek.van),
        ("tot", &zoek.tot),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}={}", encode(v.trim())))
    .collect::<Vec<_>>()
    .join("&")
}

async fn audit_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    zoek: AuditZoek,
) -> Result<Response, WebError> {
    let (result, fouten, status) = match state.app.audit_zoeken(&signed.actor, &zoek).await {
        Ok(result) => (Some(result), Vec::new(), StatusCode::OK),
        Err(AppError::Fields(fouten)) => (None, fouten, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(WebError::from_app(&e, headers)),
    };
    let controle = state
        .app
        .laatste_audit_controle()
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let page = AuditPage {
        layout: signed.layout(),
        filters: filters(&zoek),
        zoek,
        fouten,
        result,
        controle,
    };
    Ok((status, render(&page, headers)?).into_response())
}

/// The search of a query string; one that cannot be read (a filter twice) is
/// refused.
fn zoek_of(query: Result<Query<AuditZoek>, QueryRejection>) -> Result<AuditZoek, AppError> {
    query.map(|Query(zoek)| zoek).map_err(|_| {
        AppError::Invalid("onleesbare zoekvraag: geef elk filter hoogstens één keer".into())
    })
}

/// `GET /beheer/audit?gebruiker=…&pagina=2`: a page of the search (the newest
/// records without filters).
pub(crate) async fn audit(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    query: Result<Query<AuditZoek>, QueryRejection>,
) -> Result<Response, WebError> {
    let zoek = zoek_of(query).map_err(|e| WebError::from_app(&e, &headers))?;
    audit_page(&state, &signed, &headers, zoek).await
}

/// `POST /beheer/audit`: a search by user, event, case or period, page 1.
pub(crate) async fn audit_zoeken(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<AuditForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    audit_page(&state, &signed, &headers, form.zoek).await
}

/// `POST /beheer/audit/verifieer`: verifies the whole chain now, without a
/// write lock, and shows the page with the outcome as the last verification.
pub(crate) async fn audit_verifieren(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    state
        .app
        .audit_verifieren(&signed.actor)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    Ok(Redirect::to("/beheer/audit").into_response())
}

/// `GET /beheer/audit.csv?…`: the search as CSV.
pub(crate) async fn audit_csv(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    query: Result<Query<AuditZoek>, QueryRejection>,
) -> Result<Response, WebError> {
    let zoek = zoek_of(query).map_err(|e| WebError::from_app(&e, &headers))?;
    let records = state
        .app
        .audit_exporteren(&signed.actor, &zoek)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    Ok(csv_response(&records))
}

/// One CSV field: quoted, quotes doubled; a leading `=`, `+`, `-`, `@` or tab
/// gets a `'` so a spreadsheet never runs it as a formula.
fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

const CSV_HEADER: [&str; 13] = [
    "regel",
    "tijdstip",
    "gebruiker",
    "rol",
    "namens",
    "gebeurtenis",
    "jeugdige",
    "casus",
    "jeugdigen in lijst",
    "doel",
    "uitkomst",
    "bron",
    "mac",
];

/// Records as CSV (UTF-8, comma-separated, Dutch headers, times in Dutch local
/// time), never cached.
fn csv_response(records: &[AuditRecord]) -> Response {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut csv = CSV_HEADER.map(csv_field).join(",");
    csv.push_str("\r\n");
    for r in records {
        let jeugdigen: Vec<String> = r.jeugdigen.iter().map(i64::to_string).collect();
        let row = [
            r.id.to_string(),
            crate::tijd::tijdstip_seconden(&r.occurred_at),
            r.actor.clone(),
            r.role.clone().unwrap_or_default(),
            r.on_behalf_of.clone().unwrap_or_default(),
            r.event.clone(),
            number(r.jeugdige_id),
            number(r.casus_id),
            jeugdigen.join(" "),
            r.purpose.clone(),
            r.outcome.clone(),
            r.source.clone().unwrap_or_default(),
            r.hash.clone(),
        ];
        csv.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"auditlog.csv\"",
            ),
        ],
        csv,
    )
        .into_response()
}

fn regel(r: &AuditRecord) -> schema::AuditRegel {
    schema::AuditRegel {
        id: r.id,
        tijdstip: jeugdroute_domain::rfc3339(r.occurred_at),
        gebruiker: r.actor.clone(),
        rol: r.role.clone(),
        namens: r.on_behalf_of.clone(),
        gebeurtenis: r.event.clone(),
        jeugdige: r.jeugdige_id,
        casus: r.casus_id,
        jeugdigen: r.jeugdigen.clone(),
        doel: r.purpose.clone(),
        uitkomst: r.outcome.clone(),
        bron: r.source.clone(),
    }
}

fn controle(c: &AuditCheck) -> schema::AuditControle {
    schema::AuditControle {
        tijdstip: jeugdroute_domain::rfc3339(c.checked_at),
        heel: c.intact(),
        gecontroleerd: c.checked,
        tot_en_met_regel: c.up_to_id,
        eerste_foute_regel: c.first_bad_id,
        reden: c.reason.clone(),
    }
}

/// A search of the audit log, 50 records a page, newest first (beheerder).
#[utoipa::path(
    get,
    path = "/api/v1/beheer/audit",
    tag = "beheer",
    params(
        ("gebruiker" = Option<String>, Query, description = "Alleen deze gebruikersnaam.", max_length = 100),
        ("gebeurtenis" = Option<String>, Query, description = "Alleen deze gebeurtenis, zoals casus.bekijken.", max_length = 100),
        ("casus" = Option<String>, Query, description = "Alleen dit casusnummer.", max_length = 19, pattern = "^[0-9]*$"),
        ("van" = Option<String>, Query, description = "Vanaf deze dag (JJJJ-MM-DD).", max_length = 10),
        ("tot" = Option<String>, Query, description = "Tot en met deze dag (JJJJ-MM-DD).", max_length = 10),
        ("pagina" = Option<String>, Query, description = "De pagina, vanaf 1.", max_length = 7, pattern = "^[0-9]*$"),
    ),
    responses(
        (status = 200, description = "Een pagina gevonden regels", body = schema::AuditPagina),
        (status = 400, description = "Onleesbare zoekvraag", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 422, description = "Een filter klopt niet", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_audit(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<AuditZoek>, QueryRejection>,
) -> Result<Json<schema::AuditPagina>, ApiError> {
    let zoek = zoek_of(query).map_err(|e| ApiError::from_app(&e, &headers))?;
    let result = state
        .app
        .audit_zoeken(&user.actor, &zoek)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(schema::AuditPagina {
        regels: result.records.iter().map(regel).collect(),
        pagina: result.pagina,
        per_pagina: AUDIT_PAGE_SIZE,
        meer: result.meer,
    }))
}

/// Verifies the whole chain now against key and witness, without a write lock
/// (beheerder); the outcome becomes the last verification.
#[utoipa::path(
    post,
    path = "/api/v1/beheer/audit/verificatie",
    tag = "beheer",
    responses(
        (status = 200, description = "De uitkomst van de controle", body = schema::AuditControle),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_verifieren(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
) -> Result<Json<schema::AuditControle>, ApiError> {
    let check = state
        .app
        .audit_verifieren(&user.actor)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(controle(&check)))
}

/// The search as CSV, at most 10,000 records, newest first (beheerder).
#[utoipa::path(
    get,
    path = "/api/v1/beheer/audit/csv",
    tag = "beheer",
    params(
        ("gebruiker" = Option<String>, Query, description = "Alleen deze gebruikersnaam.", max_length = 100),
        ("gebeurtenis" = Option<String>, Query, description = "Alleen deze gebeurtenis.", max_length = 100),
        ("casus" = Option<String>, Query, description = "Alleen dit casusnummer.", max_length = 19, pattern = "^[0-9]*$"),
        ("van" = Option<String>, Query, description = "Vanaf deze dag (JJJJ-MM-DD).", max_length = 10),
        ("tot" = Option<String>, Query, description = "Tot en met deze dag (JJJJ-MM-DD).", max_length = 10),
    ),
    responses(
        (status = 200, description = "De gevonden regels als CSV", content_type = "text/csv", body = String),
        (status = 400, description = "Onleesbare zoekvraag", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 422, description = "Een filter klopt niet", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_csv(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<AuditZoek>, QueryRejection>,
) -> Result<Response, ApiError> {
    let zoek = zoek_of(query).map_err(|e| ApiError::from_app(&e, &headers))?;
    let records = state
        .app
        .audit_exporteren(&user.actor, &zoek)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(csv_response(&records))
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(super::csv_field("a\"b,c"), "\"a\"\"b,c\"");
        assert_eq!(super::csv_field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(super::encode("a b&c=d"), "a%20b%26c%3Dd");
    }
}
