//! The errors a use case can answer with. The web crate turns them into status
//! codes and Dutch pages in one place; the CLI into messages and exit codes.

use jeugdroute_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is not acceptable; the message says which field and why.
    #[error("{0}")]
    Invalid(String),
    /// Anything the user cannot fix: database down, a bug. Logged with its cause.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Internal(error.into())
    }
}
