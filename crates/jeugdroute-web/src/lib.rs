//! The HTTP face of Jeugdroute: server-rendered Dutch pages, health endpoints and
//! the JSON API. The only crate that knows HTTP, HTML, JSON and sessions; it asks
//! the application layer for everything and decides nothing itself.
//!
//! Every response carries an `x-request-id`; every request is logged with that id,
//! its method, path and status (never a query string or a body).

mod aanbieder;
mod api;
mod auth;
mod behandeling;
mod beheer;
mod berichten;
mod casus;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod gids;
mod grenzen;
mod layout;
mod limit;
mod onderaannemer;
mod openapi;
mod pages;
mod schema;
mod server;
mod settings;
mod tijd;
mod verzoek;
mod voortgang;

pub use server::ServeSettings;
pub use settings::{PublicUrl, PublicUrlError, Settings};

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::{get, post, put};
use axum::{Router, middleware};
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
    settings: Arc<Settings>,
}

const X_REQUEST_ID: &str = "x-request-id";

/// The whole web application as one router.
pub fn router(app: App, settings: Settings) -> Router {
    let limit = limit::SignInLimit::new();
    let hsts = settings.hsts();
    Router::new()
        .route("/", get(pages::start))
        .route("/healthz", get(pages::healthz))
        .route("/readyz", get(pages::readyz))
        .route("/static/jeugdroute.css", get(pages::stylesheet))
        .route("/static/jeugdroute.js", get(pages::script))
        .route(
            "/aanmelden",
            limited(post(auth::sign_in), limit.as_ref().map(limit::SignInLimit::pages))
                .get(auth::sign_in_page),
        )
        .route("/afmelden", post(auth::sign_out))
        .route("/afmelden/overal", post(auth::sign_out_everywhere))
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
        .route(
            "/casussen/{id}/behandeling/{onderdeel}",
            post(behandeling::opslaan),
        )
        .route("/casussen/{id}/voortgang", post(voortgang::schrijven))
        .route("/onderaanneming/{id}", get(onderaannemer::pagina))
        .route("/berichten", get(berichten::ontvangen))
        .route("/berichten/verzonden", get(berichten::verzonden))
        .route("/berichten/ontvangen/{id}", get(berichten::ontvangen_bericht))
        .route("/berichten/verzonden/{id}", get(berichten::verzonden_bericht))
        .route("/toewijzingen/{gemeente}/{nummer}", get(aanbieder::toewijzing))
        .route(
            "/toewijzingen/{gemeente}/{nummer}/{actie}",
            post(aanbieder::toewijzing_actie),
        )
        .route(
            "/aanbieder/berichten/{id}/verwijdering",
            post(aanbieder::verwijdering),
        )
        .route("/aanbieder/wachttijd", post(aanbieder::wachttijd_melden))
        .route("/aanbieders", get(gids::aanbieders))
        .route("/verzoeken", get(verzoek::verzoeken))
        .route(
            "/verzoeken/{id}",
            get(verzoek::verzoek).post(verzoek::beantwoorden),
        )
        .route("/beheer/audit", get(beheer::audit).post(beheer::audit_zoeken))
        .route("/beheer/audit/verifieer", post(beheer::audit_verifieren))
        .route("/beheer/audit.csv", get(beheer::audit_csv))
        .route(
            "/api/v1/login",
            limited(post(auth::api_login), limit.as_ref().map(limit::SignInLimit::api)),
        )
        .route("/api/v1/afmelden", post(auth::api_sign_out))
        .route("/api/v1/afmelden/overal", post(auth::api_sign_out_everywhere))
        .route(
            "/api/v1/casussen",
            get(api::casussen).post(api::casus_aanmaken),
        )
        .route("/api/v1/casussen/{id}", get(api::casus))
        .route("/api/v1/casussen/{id}/stap", post(api::stap))
        .route("/api/v1/casussen/{id}/correcties", post(api::correctie))
        .route("/api/v1/casussen/{id}/melding", post(api::melding_correctie))
        .route("/api/v1/casussen/{id}/jw301", get(api::jw301))
        .route("/api/v1/casussen/{id}/reactie", post(behandeling::api_reactie))
        .route("/api/v1/casussen/{id}/intake", post(behandeling::api_intake))
        .route(
            "/api/v1/casussen/{id}/voortgang",
            post(voortgang::api_schrijven),
        )
        .route(
            "/api/v1/casussen/{id}/onderaannemers",
            post(onderaannemer::api_toevoegen),
        )
        .route(
            "/api/v1/casussen/{id}/onderaannemers/beeindiging",
            post(onderaannemer::api_beeindigen),
        )
        .route("/api/v1/onderaanneming/{id}", get(onderaannemer::api_pagina))
        .route(
            "/api/v1/casussen/{id}/behandelplan",
            put(behandeling::api_behandelplan),
        )
        .route("/api/v1/bepaling", post(api::bepaling))
        .route("/api/v1/voorstel", post(api::voorstel))
        .route(
            "/api/v1/casussen/{id}/toewijzingen/{nummer}",
            post(api::toewijzing_wijzigen),
        )
        .route("/api/v1/verzoeken", get(verzoek::api_verzoeken))
        .route("/api/v1/verzoeken/{id}", get(verzoek::api_verzoek))
        .route(
            "/api/v1/verzoeken/{id}/antwoord",
            post(verzoek::api_beantwoorden),
        )
        .route("/api/v1/beheer/audit", get(beheer::api_audit))
        .route(
            "/api/v1/beheer/audit/verificatie",
            post(beheer::api_verifieren),
        )
        .route("/api/v1/beheer/audit/csv", get(beheer::api_csv))
        .route(
            "/api/v1/berichten",
            get(berichten::api_ophalen)
                .post(berichten::api_aanleveren)
                .layer(DefaultBodyLimit::max(jeugdroute_app::MAX_BERICHT_BYTES)),
        )
        .route(
            "/api/v1/berichten/{id}/ontvangen",
            post(berichten::api_ontvangen),
        )
        .route("/api/v1/berichten/inbox", get(berichten::api_inbox))
        .route("/api/v1/berichten/inbox/{id}", get(berichten::api_inbox_bericht))
        .route("/api/v1/berichten/outbox", get(berichten::api_outbox))
        .route(
            "/api/v1/berichten/outbox/{id}",
            get(berichten::api_outbox_bericht),
        )
        .route(
            "/api/v1/toewijzingen/{gemeente}/{nummer}",
            get(aanbieder::api_toewijzing),
        )
        .route(
            "/api/v1/toewijzingen/{gemeente}/{nummer}/start",
            post(aanbieder::api_start),
        )
        .route(
            "/api/v1/toewijzingen/{gemeente}/{nummer}/stop",
            post(aanbieder::api_stop),
        )
        .route(
            "/api/v1/toewijzingen/{gemeente}/{nummer}/verzoek-om-toewijzing",
            post(aanbieder::api_verzoek_om_toewijzing),
        )
        .route(
            "/api/v1/toewijzingen/{gemeente}/{nummer}/verzoek-om-wijziging",
            post(aanbieder::api_verzoek_om_wijziging),
        )
        .route("/api/v1/declaraties", post(aanbieder::api_declaratie))
        .route("/api/v1/aanbieders", get(gids::api_aanbieders))
        .route(
            "/api/v1/aanbieder/wachttijd",
            get(aanbieder::api_wachttijd).put(aanbieder::api_wachttijd_melden),
        )
        .route(
            "/api/v1/aanbieder/berichten/{id}/verwijdering",
            post(aanbieder::api_verwijdering),
        )
        .route("/api/v1/openapi.json", get(api::openapi))
        .fallback(pages::not_found)
        .with_state(AppState {
            app,
            settings: Arc::new(settings),
        })
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(grenzen::foreign_request_id))
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
                .layer(SetResponseHeaderLayer::overriding(
                    header::STRICT_TRANSPORT_SECURITY,
                    move |_: &axum::response::Response| hsts.clone(),
                ))
                .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(default_header(header::REFERRER_POLICY, "no-referrer"))
                .layer(default_header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(default_header(
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
                ))
                .layer(middleware::from_fn(grenzen::no_store))
                .layer(middleware::from_fn(grenzen::bounded_uri))
                .layer(middleware::from_fn(grenzen::own_rejections))
                .layer(DefaultBodyLimit::max(grenzen::MAX_BODY_BYTES)),
        )
}

/// A sign-in route behind the per-address rate limit (when it could be made),
/// its refusals answered slowly (`limit::tarpit`).
fn limited(
    route: axum::routing::MethodRouter<AppState>,
    limit: Option<limit::Layer>,
) -> axum::routing::MethodRouter<AppState> {
    let route = match limit {
        Some(limit) => route.layer(limit),
        None => route,
    };
    route.layer(middleware::from_fn(limit::tarpit))
}

/// A security header set on every response that does not set its own.
fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Serves within the settings' transport limits until `shutdown` completes,
/// then lets running requests finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let transport = settings.transport;
    server::serve(listener, router(app, settings), transport, shutdown).await
}
