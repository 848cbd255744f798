//! Throw-away databases for tests: a fresh SQLite file, or a fresh PostgreSQL
//! database on the server named by `JEUGDROUTE_TEST_POSTGRES_URL`.
#![allow(
    clippy::panic,
    clippy::print_stderr,
    reason = "test support: a test database that cannot be made must fail the test loudly, and a skip must say so"
)]

use std::path::PathBuf;

use sqlx::Connection;

use crate::{DatabaseUrl, Result};

/// Declares, for each async fn `story(&DatabaseUrl)` named, a test module with two
/// tests: `story::on_sqlite` on a fresh SQLite file and `story::on_postgres` on a
/// fresh PostgreSQL database (skipped without `JEUGDROUTE_TEST_POSTGRES_URL`,
/// failing under `CI=true`). The caller needs `tokio` as a dev-dependency.
#[macro_export]
macro_rules! backend_tests {
    ($($story:ident),+ $(,)?) => {$(
        mod $story {
            #[tokio::test]
            async fn on_sqlite() {
                let db = $crate::testing::TestDatabase::sqlite();
                super::$story(&db.url).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let Some(db) = $crate::testing::TestDatabase::postgres().await else { return };
                super::$story(&db.url).await;
                if let Err(e) = db.drop_database().await {
                    panic!("dropping the test database failed: {e}");
                }
            }
        }
    )+};
}

/// The environment variable that names the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "JEUGDROUTE_TEST_POSTGRES_URL";

/// A database that exists for one test. Call [`TestDatabase::drop_database`] at
/// the end to remove a PostgreSQL database; SQLite files go with their folder.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: DatabaseUrl,
    admin_url: Option<String>,
    name: String,
    _folder: Option<TempFolder>,
}

#[derive(Debug)]
struct TempFolder(PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique_name() -> String {
    format!("jr_test_{}", uuid::Uuid::new_v4().simple())
}

impl TestDatabase {
    /// A new SQLite file in a new temporary folder.
    pub fn sqlite() -> TestDatabase {
        let name = unique_name();
        let folder = std::env::temp_dir().join(&name);
        TestDatabase {
            url: DatabaseUrl::sqlite(folder.join("jeugdroute.sqlite")),
            admin_url: None,
            name,
            _folder: Some(TempFolder(folder)),
        }
    }

    /// A new, empty PostgreSQL database, or `None` when the variable is unset.
    /// With `CI=true` an unset variable is a failure, never a silent skip.
    pub async fn postgres() -> Option<TestDatabase> {
        let admin_url = match std::env::var(POSTGRES_ENV) {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "{POSTGRES_ENV} is not set, but CI=true: the PostgreSQL suite must run in CI"
                );
                eprintln!("{POSTGRES_ENV} not set: skipping the PostgreSQL variant of this test");
                return None;
            }
        };
        let name = unique_name();
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {POSTGRES_ENV}: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let url = replace_database(&admin_url, &name);
        Some(TestDatabase {
            url: url.parse().unwrap_or_else(|e| panic!("{e}")),
            admin_url: Some(admin_url),
            name,
            _folder: None,
        })
    }

    /// Removes a PostgreSQL test database (SQLite: nothing to do).
    pub async fn drop_database(self) -> Result<()> {
        if let Some(admin_url) = &self.admin_url {
            let mut admin = sqlx::PgConnection::connect(admin_url).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            )))
            .execute(&mut admin)
            .await?;
        }
        Ok(())
    }
}

/// `postgres://u@h:5432/test?x=y` with database `name` -> `postgres://u@h:5432/name?x=y`.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

impl crate::Tx {
    /// Runs one SQL statement as is: for tests that must try what the
    /// application never does (such as editing the audit log).
    pub async fn execute_raw(&mut self, sql: &str) -> Result<u64> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        crate::store::on_tx!(self, |conn| Ok(sqlx::query(sql)
            .execute(&mut *conn)
            .await?
            .rows_affected()))
    }

    /// The first column of the first row of one SQL query, as text.
    pub async fn scalar_text_raw(&mut self, sql: &str) -> Result<String> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        crate::store::on_tx!(self, |conn| Ok(sqlx::query_scalar(sql)
            .fetch_one(&mut *conn)
            .await?))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_only_the_database_name() {
        use super::replace_database as r;
        assert_eq!(
            r("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            r("postgres://h/test?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(r("postgres://h:5432", "x"), "postgres://h:5432/x");
    }
}
