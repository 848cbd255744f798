//! The errors a use case can answer with. The web crate turns them into status
//! codes and Dutch pages in one place; the CLI into messages and exit codes.

use jeugdroute_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is not acceptable; the message says which field and why.
    #[error("{0}")]
    Invalid(String),
    /// Fields of the input that are not acceptable, each with the reason.
    #[error("{}", .0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))]
    Fields(Vec<FieldError>),
    /// The youth has these open cases in the gemeente (the ones the user may
    /// see); a second case needs an explicit confirmation.
    #[error("er loopt al een casus voor deze jeugdige: casus {}", .0.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))]
    OpenCasus(Vec<i64>),
    /// Wrong user name or password, or an inactive account; never says which.
    #[error("de gebruikersnaam of het wachtwoord klopt niet")]
    SignInRefused,
    /// Too many failed sign-ins from this address or for this name: wait a while.
    #[error("te veel mislukte pogingen; wacht even en probeer het dan opnieuw")]
    TooManyAttempts,
    /// The server is checking as many passwords as it can; try again shortly.
    #[error("het is nu erg druk; probeer het over enkele seconden opnieuw")]
    Busy,
    /// Not there, or not for this user: the two are answered alike, so nobody
    /// learns that a case of another gemeente exists.
    #[error("niet gevonden")]
    NotFound,
    /// The user's role may not do this at all.
    #[error("uw rol geeft geen toegang tot deze functie")]
    Forbidden,
    /// Anything the user cannot fix: database down, a bug. Logged with its cause.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What is wrong with one field of the input, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the form and the JSON API call it.
    pub field: &'static str,
    pub message: String,
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Internal(error.into())
    }
}
