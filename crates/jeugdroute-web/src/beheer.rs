//! The beheerder's audit page: search the log of who saw or changed whose data,
//! and see at a glance whether its hash chain is whole.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jeugdroute_app::{AUDIT_SEARCH_LIMIT, AppError, AuditResult, AuditZoek, FieldError};

use crate::AppState;
use crate::auth::Signed;
use crate::casus::render;
use crate::error::WebError;
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    zoek: AuditZoek,
    fouten: Vec<FieldError>,
    result: Option<AuditResult>,
    limit: i64,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AuditForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    zoek: AuditZoek,
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
    let page = AuditPage {
        layout: signed.layout(),
        zoek,
        fouten,
        result,
        limit: AUDIT_SEARCH_LIMIT,
    };
    Ok((status, render(&page, headers)?).into_response())
}

/// `GET /beheer/audit`: the newest records.
pub(crate) async fn audit(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    audit_page(&state, &signed, &headers, AuditZoek::default()).await
}

/// `POST /beheer/audit`: a search by user, event, case or period.
pub(crate) async fn audit_zoeken(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<AuditForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    audit_page(&state, &signed, &headers, form.zoek).await
}
