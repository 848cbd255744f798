//! The pages and probes: the start page with the region, liveness and readiness,
//! the stylesheet and script, and the Dutch "not found" page.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use jeugdroute_app::RegioOverview;

use crate::AppState;
use crate::auth::Signed;
use crate::casus::render;
use crate::error::WebError;
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    layout: Layout,
    overview: Option<RegioOverview>,
}

/// The start page: the region and its gemeenten (no personal data).
pub(crate) async fn start(
    State(state): State<AppState>,
    signed: Option<Signed>,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let overview = state
        .app
        .regio_overview()
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let mut layout = signed
        .as_ref()
        .map_or_else(Layout::anonymous, Signed::layout);
    if let Some(o) = &overview {
        layout.banner.clone_from(&o.regio.name);
    }
    render(&StartPage { layout, overview }, &headers)
}

/// Liveness: the process answers.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers too. The detail, a line each, counts the
/// message traffic (no personal data): received messages waiting, refused and
/// unreadable, outgoing ones not sent, and the answer deadlines of iJw §3.7
/// this installation owes that are near (the next working day or today) or passed.
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    let ready = async {
        state.app.ready().await?;
        state.app.berichten_tellingen().await
    };
    match ready.await {
        Ok(t) => (
            StatusCode::OK,
            format!(
                "gereed\nberichten wachtend: {}\nberichten afgekeurd: {}\nberichten onleesbaar: {}\n\
                 uitgaand wachtend: {}\ntermijnen bijna verlopen: {}\ntermijnen verlopen: {}\n",
                t.wachtend,
                t.afgekeurd,
                t.onleesbaar,
                t.uitgaand_wachtend,
                t.termijn_bijna,
                t.termijn_verlopen
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database onbereikbaar").into_response()
        }
    }
}

pub(crate) async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../static/jeugdroute.css"),
    )
}

/// The script that enhances the pages; each works without it.
pub(crate) async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../static/jeugdroute.js"),
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn not_found() -> WebError {
    WebError::not_found()
}
