//! The pages and probes: the start page with the region, liveness and readiness,
//! the stylesheet, and the Dutch "not found" page.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use jeugdroute_app::RegioOverzicht;

use crate::Staat;
use crate::fout::Fout;

#[derive(Template)]
#[template(path = "start.html")]
struct StartPagina<'a> {
    kop: &'a str,
    overzicht: Option<RegioOverzicht>,
}

/// The start page: the region and its gemeenten (no personal data).
pub(crate) async fn start(
    State(staat): State<Staat>,
    headers: HeaderMap,
) -> Result<Html<String>, Fout> {
    let overzicht = staat
        .app
        .regio_overzicht()
        .await
        .map_err(|e| Fout::van(&e, &headers))?;
    let kop = overzicht.as_ref().map_or_else(
        || "Toegang tot jeugdhulp".to_owned(),
        |o| o.regio.naam.clone(),
    );
    let pagina = StartPagina {
        kop: &kop,
        overzicht,
    };
    pagina
        .render()
        .map(Html)
        .map_err(|e| Fout::intern(&e, &headers))
}

/// Liveness: the process answers.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers too.
pub(crate) async fn readyz(State(staat): State<Staat>) -> Response {
    match staat.app.gereed().await {
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

pub(crate) async fn niet_gevonden() -> Fout {
    Fout::niet_gevonden()
}
