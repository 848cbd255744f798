//! The one place where failures become HTTP responses: a status code and a Dutch
//! page for people, a status code and JSON for API clients. Internal errors are
//! logged with their cause chain and answered opaquely with the request id, so a
//! user can quote it and an operator can find it.

use askama::Template;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use jeugdroute_app::{AppError, FieldError};

use crate::X_REQUEST_ID;
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage<'a> {
    pub layout: Layout,
    pub title: &'a str,
    pub explanation: &'a str,
    pub request_id: Option<&'a str>,
}

/// A failed request: its status, what the user may be told, and the request id
/// of an internal failure.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    request_id: Option<String>,
    /// A message the user can act on (not for internal failures).
    message: Option<String>,
    fields: Vec<FieldError>,
    /// The open cases a second melding must confirm (409).
    open_casussen: Vec<i64>,
}

impl Failure {
    fn new(status: StatusCode, message: Option<String>) -> Failure {
        Failure {
            status,
            request_id: None,
            message,
            fields: Vec::new(),
            open_casussen: Vec::new(),
        }
    }

    /// An internal failure: logged in full here, shown without detail.
    fn internal(cause: &dyn std::fmt::Display, headers: &HeaderMap) -> Failure {
        tracing::error!(error = %cause, "request failed");
        Failure {
            request_id: headers
                .get(X_REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            ..Failure::new(StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }

    /// Maps an application error, logging what the user must not see.
    fn from_app(error: &AppError, headers: &HeaderMap) -> Failure {
        let status = match error {
            AppError::Invalid(_) | AppError::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::OpenCasus(_) => StatusCode::CONFLICT,
            AppError::SignInRefused => StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => return Failure::new(StatusCode::NOT_FOUND, None),
            AppError::Internal(cause) => {
                return Failure::internal(&format_args!("{cause:#}"), headers);
            }
        };
        let (fields, open_casussen) = match error {
            AppError::Fields(fields) => (fields.clone(), Vec::new()),
            AppError::OpenCasus(open) => (vec![open_casus_fout(open)], open.clone()),
            _ => (Vec::new(), Vec::new()),
        };
        Failure {
            fields,
            open_casussen,
            ..Failure::new(status, Some(error.to_string()))
        }
    }
}

/// The field error of a melding for a youth with an open case.
pub(crate) fn open_casus_fout(open: &[i64]) -> FieldError {
    let list: Vec<String> = open.iter().map(|id| format!("casus {id}")).collect();
    FieldError {
        field: "tweede_casus",
        message: format!(
            "Er loopt al een casus voor deze jeugdige in deze gemeente ({}). Werk daarin verder, of bevestig dat u toch een tweede casus opent.",
            list.join(", ")
        ),
    }
}

const CSRF_MESSAGE: &str = "het formulier is verlopen of kwam niet van deze site; laad de pagina opnieuw en probeer het nog eens";

/// A failed page request, answered with a Dutch page.
#[derive(Debug)]
pub(crate) struct WebError(Failure);

impl WebError {
    pub(crate) fn internal(cause: &dyn std::fmt::Display, headers: &HeaderMap) -> WebError {
        WebError(Failure::internal(cause, headers))
    }

    pub(crate) fn not_found() -> WebError {
        WebError(Failure::new(StatusCode::NOT_FOUND, None))
    }

    /// A form without this session's CSRF token.
    pub(crate) fn csrf() -> WebError {
        WebError(Failure::new(
            StatusCode::FORBIDDEN,
            Some(CSRF_MESSAGE.into()),
        ))
    }

    pub(crate) fn from_app(error: &AppError, headers: &HeaderMap) -> WebError {
        WebError(Failure::from_app(error, headers))
    }

    /// A request refused before any handler read it, with what to do instead.
    pub(crate) fn refused(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError(Failure::new(status, Some(message.into())))
    }

    /// Too many requests from this address (429).
    pub(crate) fn too_many(message: &str) -> WebError {
        WebError::refused(StatusCode::TOO_MANY_REQUESTS, message)
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.0.status
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let Failure {
            status,
            request_id,
            message,
            ..
        } = self.0;
        let (title, explanation) = match (status, message.as_deref()) {
            (StatusCode::NOT_FOUND, _) => (
                "Pagina niet gevonden",
                "De pagina die u zoekt bestaat niet of niet meer, of u heeft er geen toegang toe. Controleer het adres, of ga naar de startpagina.",
            ),
            (StatusCode::FORBIDDEN, Some(message)) => ("Geen toegang", message),
            (StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE, Some(message)) => {
                ("Even geduld", message)
            }
            (_, Some(message)) => ("Controleer uw invoer", message),
            _ => (
                "Er ging iets mis",
                "Door een fout aan onze kant kon uw verzoek niet worden afgerond. Er is niets opgeslagen. Probeer het later opnieuw.",
            ),
        };
        let page = ErrorPage {
            layout: Layout::anonymous(),
            title,
            explanation,
            request_id: request_id.as_deref(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "rendering the error page failed");
                (status, title).into_response()
            }
        }
    }
}

/// A failed API request, answered with JSON:
/// `{"fout": "…", "velden": [{"veld": "bsn", "melding": "…"}]}`.
#[derive(Debug)]
pub(crate) struct ApiError(Failure);

impl ApiError {
    pub(crate) fn from_app(error: &AppError, headers: &HeaderMap) -> ApiError {
        ApiError(Failure::from_app(error, headers))
    }

    /// An internal failure: logged here, answered opaquely (500).
    pub(crate) fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        ApiError(Failure::internal(cause, &HeaderMap::new()))
    }

    pub(crate) fn unauthenticated() -> ApiError {
        ApiError(Failure::new(
            StatusCode::UNAUTHORIZED,
            Some("meld u aan via POST /api/v1/login".into()),
        ))
    }

    pub(crate) fn csrf() -> ApiError {
        ApiError(Failure::new(
            StatusCode::FORBIDDEN,
            Some("stuur het csrf_token van de sessie mee in de header X-CSRF-Token".into()),
        ))
    }

    /// Input the API cannot read at all.
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError(Failure::new(StatusCode::BAD_REQUEST, Some(message.into())))
    }

    /// A request refused before any handler read it, with what to do instead.
    pub(crate) fn refused(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError(Failure::new(status, Some(message.into())))
    }

    /// Too many requests from this address (429).
    pub(crate) fn too_many(message: &str) -> ApiError {
        ApiError::refused(StatusCode::TOO_MANY_REQUESTS, message)
    }

    /// A body that is not `application/json` (415).
    pub(crate) fn not_json() -> ApiError {
        ApiError::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "stuur de gegevens als JSON, met de header Content-Type: application/json",
        )
    }

    /// A request a page of another website made the browser send (403).
    pub(crate) fn foreign_origin() -> ApiError {
        ApiError::refused(
            StatusCode::FORBIDDEN,
            "dit verzoek kwam van een andere website (Origin) en is geweigerd",
        )
    }

    pub(crate) fn fields(fields: Vec<FieldError>) -> ApiError {
        ApiError::from_app(&AppError::Fields(fields), &HeaderMap::new())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Failure {
            status,
            request_id,
            message,
            fields,
            open_casussen,
        } = self.0;
        let fout = match (status, message) {
            (StatusCode::NOT_FOUND, _) => "niet gevonden".to_owned(),
            (_, Some(message)) if fields.is_empty() => message,
            (_, Some(_)) => "controleer de velden".to_owned(),
            (_, None) => "er ging iets mis aan onze kant; er is niets opgeslagen".to_owned(),
        };
        let velden: Vec<_> = fields
            .iter()
            .map(|f| serde_json::json!({ "veld": f.field, "melding": f.message }))
            .collect();
        let mut body = serde_json::Map::new();
        body.insert("fout".into(), fout.into());
        body.insert("velden".into(), velden.into());
        body.insert("verzoek".into(), request_id.into());
        if !open_casussen.is_empty() {
            body.insert("open_casussen".into(), open_casussen.into());
        }
        (status, Json(body)).into_response()
    }
}
