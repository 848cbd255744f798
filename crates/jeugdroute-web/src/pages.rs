//! The pages and probes: the start page with the region, liveness and readiness,
//! the stylesheet, and the Dutch "not found" page.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use jeugdroute_app::RegioOverview;

use crate::AppState;
use crate::error::WebError;

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage<'a> {
    banner: &'a str,
    overview: Option<RegioOverview>,
}

/// The start page: the region and its gemeenten (no personal data).
pub(crate) async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let overview = state
        .app
        .regio_overview()
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let banner = overview.as_ref().map_or_else(
        || "Toegang tot jeugdhulp".to_owned(),
        |o| o.regio.name.clone(),
    );
    let page = StartPage {
        banner: &banner,
        overview,
    };
    page.render()
        .map(Html)
        .map_err(|e| WebError::internal(&e, &headers))
}

/// Liveness: the process answers.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers too.
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.ready().await {
        Ok(()) => (StatusCode::OK, "gereed").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database onbereikbaar").into_response()
        }
    }
}

pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/jeugdroute.css"),
    )
        .into_response()
}

pub(crate) async fn not_found() -> WebError {
    WebError::not_found()
}
