//! What a request may be, and how the answers may be kept. A request body is
//! bounded (every extractor that reads one stops at [`MAX_BODY_BYTES`]), an
//! address with its query at [`MAX_URI_BYTES`]. Whatever the framework refuses
//! before a handler runs (an unreadable form or query, a body too large, a wrong
//! method or content type) is answered as the product answers: the Dutch page
//! for people, the JSON error (`Fout`) under `/api`. Every answer except the
//! static assets carries `Cache-Control: no-store`, since most hold personal data.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::X_REQUEST_ID;
use crate::error::{ApiError, WebError};

/// The largest request body: a form or JSON body of the largest step with every
/// free-text field full of four-byte characters, percent-encoded, stays below it.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// The longest path with its query string, in bytes.
pub(crate) const MAX_URI_BYTES: usize = 2 * 1024;

/// Whether `path` is the JSON API's, which answers in JSON.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The product's refusal: a Dutch page, or under `/api` the JSON error.
fn refusal(api: bool, status: StatusCode) -> Response {
    let (page, json) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Wat u verstuurde is te groot: ten hoogste 64 KiB. Maak de tekst korter en probeer het opnieuw.",
            "de inhoud is te groot: ten hoogste 65536 bytes",
        ),
        StatusCode::URI_TOO_LONG => (
            "Het adres is te lang: ten hoogste 2048 tekens. Ga naar de startpagina en probeer het opnieuw.",
            "het adres met de zoekvraag is te lang: ten hoogste 2048 bytes",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Dit kan niet op deze pagina. Ga terug en gebruik de knoppen op de pagina.",
            "deze methode kan niet op dit adres; de header Allow noemt wat wel kan",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "Het formulier kwam niet goed aan. Laad de pagina opnieuw en verstuur het nog eens.",
            "stuur de inhoud als application/json",
        ),
        StatusCode::NOT_FOUND => ("", "niet gevonden"),
        _ => (
            "Het verzoek kon niet worden gelezen: een veld of het adres klopt niet. Laad de pagina opnieuw en probeer het nog eens.",
            "het verzoek kon niet worden gelezen: controleer de zoekvraag, het adres en de inhoud",
        ),
    };
    if api {
        ApiError::refused(status, json).into_response()
    } else if status == StatusCode::NOT_FOUND {
        WebError::not_found().into_response()
    } else {
        WebError::refused(status, page).into_response()
    }
}

/// The longest request id a client may bring (a UUID has 36 characters).
const MAX_REQUEST_ID_BYTES: usize = 64;

/// Drops a request id from the client that is too long or holds more than
/// letters, digits, `-`, `_` and `.`, so that a fresh one is made: the id is
/// logged with every line of the request and shown on error pages.
pub(crate) async fn foreign_request_id(mut request: Request, next: Next) -> Response {
    let acceptable = request.headers().get(X_REQUEST_ID).is_none_or(|id| {
        id.len() <= MAX_REQUEST_ID_BYTES
            && id
                .as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
    });
    if !acceptable {
        request.headers_mut().remove(X_REQUEST_ID);
    }
    next.run(request).await
}

/// Refuses an address longer than [`MAX_URI_BYTES`] (414) before a handler
/// reads it.
pub(crate) async fn bounded_uri(request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > MAX_URI_BYTES {
        return refusal(is_api(request.uri().path()), StatusCode::URI_TOO_LONG);
    }
    next.run(request).await
}

/// Answers a refusal of the framework (plain English text, or no body at all)
/// as the product does, keeping the headers that say what to do (`Allow`,
/// `Retry-After`). The product's own answers (HTML or JSON) pass unchanged.
pub(crate) async fn own_rejections(request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() || is_own(&response, api) {
        return response;
    }
    let mut answer = refusal(api, status);
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}

/// Whether the product itself made this answer: a page, or under `/api` JSON.
fn is_own(response: &Response, api: bool) -> bool {
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if api {
        kind.starts_with("application/json")
    } else {
        kind.starts_with("text/html")
    }
}

/// Marks an answer that did not say how it may be kept as never to be stored
/// (`no-store`, and `Pragma: no-cache` for HTTP/1.0 caches). Only the static
/// assets say otherwise.
pub(crate) async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if headers.get(header::CACHE_CONTROL) == Some(&HeaderValue::from_static("no-store")) {
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    }
    response
}
