//! The per-address rate limit on signing in (`POST /aanmelden` and
//! `POST /api/v1/login`), in front of the password check: an address gets a
//! burst of [`BURST`] attempts, then one more per [`PERIOD`]. The key is the peer
//! address of the TCP connection (`ConnectInfo`), never a header a client can
//! set. Both routes share one limiter, so the form and the API do not add up.
//! An address over the limit gets 429 with `Retry-After`: a Dutch page on the
//! form, the JSON error on the API. The back-off on failed attempts lives in the
//! application (`jeugdroute_app`'s `sign_in_limit`); this only bounds the rate.
//!
//! A refused attempt (429, or 503 when the password checks are full) is answered
//! only after [`TARPIT`]: a client that waits for its answer, as guessing tools
//! do on each connection, then makes at most two attempts a second per
//! connection instead of thousands, so a flood of refusals cannot crowd out the
//! requests of people who are signed in. Waiting costs the server a timer, no
//! thread.

use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::PeerIpKeyExtractor;

use crate::error::{ApiError, WebError};

/// Attempts an address may make at once.
pub(crate) const BURST: u32 = 20;
/// After the burst, one attempt per this period.
pub(crate) const PERIOD: Duration = Duration::from_secs(3);
/// How long a refused sign-in waits before it is answered.
pub(crate) const TARPIT: Duration = Duration::from_millis(500);
/// How often addresses that have been quiet long enough are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

type Config = GovernorConfig<PeerIpKeyExtractor, NoOpMiddleware>;
pub(crate) type Layer = GovernorLayer<PeerIpKeyExtractor, NoOpMiddleware, Body>;

/// The one sign-in limiter of a router.
#[derive(Debug, Clone)]
pub(crate) struct SignInLimit {
    config: Arc<Config>,
}

impl SignInLimit {
    /// A new limiter; inside a runtime it also forgets quiet addresses every
    /// minute (so memory stays bounded), until the router is dropped.
    pub(crate) fn new() -> Option<SignInLimit> {
        let config = Arc::new(
            GovernorConfigBuilder::default()
                .period(PERIOD)
                .burst_size(BURST)
                .finish()?,
        );
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(prune(Arc::downgrade(&config)));
        }
        Some(SignInLimit { config })
    }

    /// For the sign-in form: over the limit, the Dutch page.
    pub(crate) fn pages(&self) -> Layer {
        GovernorLayer::new(Arc::clone(&self.config))
            .error_handler(|e| answer(&e, |m| WebError::too_many(m).into_response()))
    }

    /// For `POST /api/v1/login`: over the limit, the JSON error.
    pub(crate) fn api(&self) -> Layer {
        GovernorLayer::new(Arc::clone(&self.config))
            .error_handler(|e| answer(&e, |m| ApiError::too_many(m).into_response()))
    }
}

async fn prune(config: Weak<Config>) {
    loop {
        tokio::time::sleep(PRUNE_EVERY).await;
        let Some(config) = config.upgrade() else {
            return;
        };
        config.limiter().retain_recent();
    }
}

const MESSAGE: &str =
    "te veel aanmeldpogingen vanaf uw adres; wacht even en probeer het dan opnieuw";

/// The answer to a refused attempt, with `Retry-After` when the wait is known.
fn answer(
    error: &GovernorError,
    respond: impl Fn(&'static str) -> Response<Body>,
) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let mut response = respond(MESSAGE);
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(wait_time.max(&1).to_owned()),
            );
            response
        }
        other => WebError::internal(other, &HeaderMap::new()).into_response(),
    }
}

/// Answers a refused sign-in (429 or 503) only after [`TARPIT`].
pub(crate) async fn tarpit(request: Request, next: Next) -> Response<Body> {
    let response = next.run(request).await;
    if matches!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        tokio::time::sleep(TARPIT).await;
    }
    response
}
