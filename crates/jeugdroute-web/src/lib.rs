//! The HTTP face of Jeugdroute: server-rendered Dutch pages, health endpoints and
//! the JSON API. The only crate that knows HTTP, HTML, JSON and sessions; it asks
//! the application layer for everything and decides nothing itself.
//!
//! Every response carries an `x-request-id`; every request is logged with that id,
//! its method, path and status (never a query string or a body).

mod aanbieder;
mod api;
mod auth;
mod beheer;
mod casus;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod layout;
mod openapi;
mod pages;
mod schema;
mod tijd;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::{get, post};
use jeugdroute_app::App;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// What every handler can reach.
#[derive(Debug, Clone)]
struct AppState {
    app: App,
}

const X_REQUEST_ID: &str = "x-request-id";

/// The whole web application as one router.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(pages::start))
        .route("/healthz", get(pages::healthz))
        .route("/readyz", get(pages::readyz))
        .route("/static/jeugdroute.css", get(pages::stylesheet))
        .route("/static/jeugdroute.js", get(pages::script))
        .route("/aanmelden", get(auth::sign_in_page).post(auth::sign_in))
        .route("/afmelden", post(auth::sign_out))
        .route(
            "/werkvoorraad",
            get(casus::werkvoorraad).post(casus::werkvoorraad_zoeken),
        )
        .route(
            "/meldingen/nieuw",
            get(casus::nieuwe_melding).post(casus::melding_opslaan),
        )
        .route("/casussen/{id}", get(casus::casus))
        .route("/casussen/{id}/stap", post(casus::stap))
        .route("/casussen/{id}/correctie", post(casus::correctie))
        .route("/casussen/{id}/melding", post(casus::melding_correctie))
        .route(
            "/casussen/{id}/toewijzing/{nummer}",
            post(casus::toewijzing_wijzigen),
        )
        .route("/casussen/{id}/beschikking.pdf", get(casus::beschikking_pdf))
        .route("/casussen/{id}/jw301.xml", get(casus::jw301))
        .route("/beheer/audit", get(beheer::audit).post(beheer::audit_zoeken))
        .route("/api/v1/login", post(auth::api_login))
        .route(
            "/api/v1/casussen",
            get(api::casussen).post(api::casus_aanmaken),
        )
        .route("/api/v1/casussen/{id}", get(api::casus))
        .route("/api/v1/casussen/{id}/stap", post(api::stap))
        .route("/api/v1/casussen/{id}/correcties", post(api::correctie))
        .route("/api/v1/casussen/{id}/melding", post(api::melding_correctie))
        .route("/api/v1/casussen/{id}/jw301", get(api::jw301))
        .route("/api/v1/bepaling", post(api::bepaling))
        .route("/api/v1/voorstel", post(api::voorstel))
        .route(
            "/api/v1/casussen/{id}/toewijzingen/{nummer}",
            post(api::toewijzing_wijzigen),
        )
        .route("/api/v1/openapi.json", get(api::openapi))
        .fallback(pages::not_found)
        .with_state(AppState { app })
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<_>| {
                            let id = request.headers().get(X_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                            tracing::info_span!("verzoek", request_id = %id, method = %request.method(), path = %request.uri().path())
                        })
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(default_header(header::REFERRER_POLICY, "no-referrer"))
                .layer(default_header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(default_header(
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
                )),
        )
}

/// A security header set on every response that does not set its own.
fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Serves until `shutdown` completes, then lets running requests finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
