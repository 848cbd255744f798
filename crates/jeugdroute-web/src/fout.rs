//! The one place where failures become HTTP responses: a status code and a Dutch
//! page. Internal errors are logged with their cause chain and shown as an opaque
//! page with the request id, so a user can quote it and an operator can find it.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use jeugdroute_app::AppError;

use crate::X_REQUEST_ID;

#[derive(Template)]
#[template(path = "fout.html")]
pub(crate) struct FoutPagina<'a> {
    pub kop: &'a str,
    pub titel: &'a str,
    pub uitleg: &'a str,
    pub verzoek_id: Option<&'a str>,
}

/// A failed request, ready to become a response.
#[derive(Debug)]
pub(crate) struct Fout {
    status: StatusCode,
    verzoek_id: Option<String>,
    /// A message the user can act on (invalid input only).
    melding: Option<String>,
}

impl Fout {
    /// An internal failure: logged in full here, shown without detail.
    pub(crate) fn intern(oorzaak: &dyn std::fmt::Display, headers: &HeaderMap) -> Fout {
        tracing::error!(error = %oorzaak, "request failed");
        Fout {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            verzoek_id: headers
                .get(X_REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            melding: None,
        }
    }

    pub(crate) fn niet_gevonden() -> Fout {
        Fout {
            status: StatusCode::NOT_FOUND,
            verzoek_id: None,
            melding: None,
        }
    }

    /// Maps an application error, logging what the user must not see.
    pub(crate) fn van(error: &AppError, headers: &HeaderMap) -> Fout {
        match error {
            AppError::Invalid(melding) => Fout {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                verzoek_id: None,
                melding: Some(melding.clone()),
            },
            AppError::Internal(oorzaak) => Fout::intern(&format_args!("{oorzaak:#}"), headers),
        }
    }
}

impl IntoResponse for Fout {
    fn into_response(self) -> Response {
        let (titel, uitleg) = match (self.status, self.melding.as_deref()) {
            (StatusCode::NOT_FOUND, _) => (
                "Pagina niet gevonden",
                "De pagina die u zoekt bestaat niet of niet meer. Controleer het adres, of ga naar de startpagina.",
            ),
            (_, Some(melding)) => ("Controleer uw invoer", melding),
            _ => (
                "Er ging iets mis",
                "Door een fout aan onze kant kon uw verzoek niet worden afgerond. Er is niets opgeslagen. Probeer het later opnieuw.",
            ),
        };
        let pagina = FoutPagina {
            kop: "Toegang tot jeugdhulp",
            titel,
            uitleg,
            verzoek_id: self.verzoek_id.as_deref(),
        };
        match pagina.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "rendering the error page failed");
                (self.status, titel).into_response()
            }
        }
    }
}
