//! What can go wrong in the store, with database errors mapped to meaning.

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("niet gevonden: {0}")]
    NotFound(&'static str),
    /// A uniqueness or reference constraint refused the change.
    #[error("conflict met bestaande gegevens ({constraint})")]
    Conflict { constraint: String },
    /// Stored data that no longer parses as its domain type.
    #[error("ongeldige opgeslagen gegevens: {0}")]
    Corrupt(String),
    /// The migrations could not be applied.
    #[error("migratie mislukt: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The audit log's key or witness cannot be used (a file missing or unreadable).
    #[error("auditlog: {0}")]
    Audit(String),
    /// Any other database failure (connection, syntax, I/O).
    #[error("databasefout: {0}")]
    Backend(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error {
            use sqlx::error::ErrorKind;
            if matches!(
                db.kind(),
                ErrorKind::UniqueViolation
                    | ErrorKind::ForeignKeyViolation
                    | ErrorKind::CheckViolation
            ) {
                let constraint = db.constraint().unwrap_or(db.message()).to_owned();
                return StoreError::Conflict { constraint };
            }
        }
        StoreError::Backend(error)
    }
}

impl From<jeugdroute_domain::ParseError> for StoreError {
    fn from(error: jeugdroute_domain::ParseError) -> Self {
        StoreError::Corrupt(format!("{}: {}", error.kind, error.message))
    }
}
