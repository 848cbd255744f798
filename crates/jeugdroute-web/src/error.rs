//! The one place where failures become HTTP responses: a status code and a Dutch
//! page. Internal errors are logged with their cause chain and shown as an opaque
//! page with the request id, so a user can quote it and an operator can find it.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use jeugdroute_app::AppError;

use crate::X_REQUEST_ID;

#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage<'a> {
    pub banner: &'a str,
    pub title: &'a str,
    pub explanation: &'a str,
    pub request_id: Option<&'a str>,
}

/// A failed request, ready to become a response.
#[derive(Debug)]
pub(crate) struct WebError {
    status: StatusCode,
    request_id: Option<String>,
    /// A message the user can act on (invalid input only).
    message: Option<String>,
}

impl WebError {
    /// An internal failure: logged in full here, shown without detail.
    pub(crate) fn internal(cause: &dyn std::fmt::Display, headers: &HeaderMap) -> WebError {
        tracing::error!(error = %cause, "request failed");
        WebError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            request_id: headers
                .get(X_REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            message: None,
        }
    }

    pub(crate) fn not_found() -> WebError {
        WebError {
            status: StatusCode::NOT_FOUND,
            request_id: None,
            message: None,
        }
    }

    /// A refusal the user can act on, with the application's Dutch message.
    fn status(status: StatusCode, error: &AppError) -> WebError {
        WebError {
            status,
            request_id: None,
            message: Some(error.to_string()),
        }
    }

    /// Maps an application error, logging what the user must not see.
    pub(crate) fn from_app(error: &AppError, headers: &HeaderMap) -> WebError {
        match error {
            AppError::Invalid(_) | AppError::Fields(_) => {
                WebError::status(StatusCode::UNPROCESSABLE_ENTITY, error)
            }
            AppError::SignInRefused => WebError::status(StatusCode::UNAUTHORIZED, error),
            AppError::TooManyAttempts => WebError::status(StatusCode::TOO_MANY_REQUESTS, error),
            AppError::Forbidden => WebError::status(StatusCode::FORBIDDEN, error),
            AppError::NotFound => WebError::not_found(),
            AppError::Internal(cause) => WebError::internal(&format_args!("{cause:#}"), headers),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (title, explanation) = match (self.status, self.message.as_deref()) {
            (StatusCode::NOT_FOUND, _) => (
                "Pagina niet gevonden",
                "De pagina die u zoekt bestaat niet of niet meer. Controleer het adres, of ga naar de startpagina.",
            ),
            (_, Some(message)) => ("Controleer uw invoer", message),
            _ => (
                "Er ging iets mis",
                "Door een fout aan onze kant kon uw verzoek niet worden afgerond. Er is niets opgeslagen. Probeer het later opnieuw.",
            ),
        };
        let page = ErrorPage {
            banner: "Toegang tot jeugdhulp",
            title,
            explanation,
            request_id: self.request_id.as_deref(),
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "rendering the error page failed");
                (self.status, title).into_response()
            }
        }
    }
}
