//! Where the data lives: a database URL, checked before anything connects.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A database location Jeugdroute can use: `sqlite://PATH` or `postgres://…`.
///
/// `Display` and `Debug` hide a PostgreSQL password, so the URL can be logged.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite database file; created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL server; the full connection URL.
    Postgres(String),
}

/// The text is not a database URL Jeugdroute supports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "onbekende database-URL '{0}': gebruik sqlite://PAD (bijvoorbeeld sqlite://data/jeugdroute.sqlite) of postgres://GEBRUIKER@HOST:POORT/DATABASE"
)]
pub struct InvalidDatabaseUrl(String);

impl DatabaseUrl {
    /// An SQLite database at `path`.
    pub fn sqlite(path: impl AsRef<Path>) -> Self {
        Self::Sqlite(path.as_ref().to_path_buf())
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_password(url),
        }
    }
}

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl FromStr for DatabaseUrl {
    type Err = InvalidDatabaseUrl;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = || InvalidDatabaseUrl(redact_password(text));
        if let Some(path) = text.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(refuse());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        let is_postgres = ["postgres://", "postgresql://"]
            .iter()
            .any(|scheme| text.len() > scheme.len() && text.starts_with(scheme));
        if is_postgres {
            Ok(Self::Postgres(text.to_owned()))
        } else {
            Err(refuse())
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_backends_and_refuses_the_rest() {
        assert_eq!(
            "sqlite://data/x.sqlite".parse(),
            Ok(DatabaseUrl::sqlite("data/x.sqlite"))
        );
        assert!(matches!(
            "postgres://postgres@127.0.0.1:5432/test".parse(),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            "postgresql://localhost/x".parse(),
            Ok(DatabaseUrl::Postgres(_))
        ));
        for bad in [
            "mysql://root@localhost/x",
            "sqlite://",
            "postgres://",
            "data.sqlite",
            "",
        ] {
            assert!(
                bad.parse::<DatabaseUrl>().is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn never_shows_a_password() {
        let url: DatabaseUrl = "postgres://jr:geheim@db.example:5432/jr".parse().unwrap();
        assert_eq!(url.to_string(), "postgres://jr:***@db.example:5432/jr");
        assert!(!format!("{url:?}").contains("geheim"));
        let err = "mysql://jr:geheim@db/jr"
            .parse::<DatabaseUrl>()
            .unwrap_err();
        assert!(!err.to_string().contains("geheim"));
    }
}
