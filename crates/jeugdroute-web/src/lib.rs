//! The HTTP face of Jeugdroute: server-rendered Dutch pages, health endpoints and
//! (later) the JSON API. The only crate that knows HTTP, HTML and sessions; it
//! asks the application layer for everything and decides nothing itself.
//!
//! Every response carries an `x-request-id`; every request is logged with that id,
//! its method, path and status (never a query string or a body).

mod fout;
mod pagina;

use std::future::Future;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::get;
use jeugdroute_app::App;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// What every handler can reach.
#[derive(Debug, Clone)]
struct Staat {
    app: App,
}

const X_REQUEST_ID: &str = "x-request-id";

/// The whole web application as one router.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(pagina::start))
        .route("/healthz", get(pagina::healthz))
        .route("/readyz", get(pagina::readyz))
        .route("/static/jeugdroute.css", get(pagina::stylesheet))
        .fallback(pagina::niet_gevonden)
        .with_state(Staat { app })
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
                .layer(vaste_kop(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(vaste_kop(header::REFERRER_POLICY, "no-referrer"))
                .layer(vaste_kop(header::X_FRAME_OPTIONS, "DENY"))
                .layer(vaste_kop(
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
                )),
        )
}

/// A security header set on every response that does not set its own.
fn vaste_kop(naam: HeaderName, waarde: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(naam, HeaderValue::from_static(waarde))
}

/// Serves until `shutdown` completes, then lets running requests finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}
