//! The connection to the database and the transaction every use case runs in.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPoolOptions, Postgres};
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{PgPool, SqlitePool, Transaction};

use crate::audit_key::{AuditSetup, ChainHead};
use crate::{DatabaseUrl, Result, StoreError};

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The data of one Jeugdroute installation. Cheap to clone: it is a pool handle.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// The key and witness of the audit chain; without them no record is written.
    pub(crate) audit: Option<Arc<AuditSetup>>,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One open transaction. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx {
    pub(crate) inner: TxInner,
    pub(crate) audit: Option<Arc<AuditSetup>>,
    /// The newest audit record this transaction appended: the witness's next line.
    pub(crate) head: Option<ChainHead>,
}

#[derive(Debug)]
pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection. The body is
/// compiled once per backend, so one SQL text serves both while each backend
/// keeps its own column types (which sqlx's `Any` driver cannot decode).
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match &mut $tx.inner {
            $crate::store::TxInner::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::store::TxInner::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// `$first, $first+1, …` for `n` values: the list of an `IN (…)` whose length
/// the caller decides.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Connects to the database at `url`; creates an SQLite file (and its folder)
    /// when missing. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &DatabaseUrl) -> Result<Store> {
        let pool = match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder)
                        .map_err(|e| StoreError::Backend(sqlx::Error::Io(e)))?;
                }
                // Rule (durability): WAL with synchronous=FULL makes every commit durable.
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                Pool::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(8)
                        .connect_with(options)
                        .await?,
                )
            }
            DatabaseUrl::Postgres(url) => Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await?,
            ),
        };
        Ok(Store { pool, audit: None })
    }

    /// The same store, chaining audit records with this key and witness.
    #[must_use]
    pub fn with_audit(self, setup: AuditSetup) -> Store {
        Store {
            audit: Some(Arc::new(setup)),
            ..self
        }
    }

    /// The audit key and witness, when set.
    pub fn audit(&self) -> Option<&AuditSetup> {
        self.audit.as_deref()
    }

    /// Applies the embedded migrations of this backend that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Pool::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// PostgreSQL: gives `role` (the application's own connection) what it
    /// needs and no more: every right on the ordinary tables, but on the audit
    /// tables only SELECT and INSERT, and nothing on the migrations' table but
    /// reading it. Run over the owner's connection. SQLite has no roles.
    pub async fn grant_app_role(&self, role: &str) -> Result<()> {
        let valid = role.len() <= 63
            && role.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && role
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(StoreError::Audit(format!(
                "--app-rol: '{role}' is geen rolnaam (kleine letters, cijfers en _, hoogstens 63 tekens)"
            )));
        }
        let Pool::Postgres(pool) = &self.pool else {
            return Err(StoreError::Audit(
                "--app-rol: alleen voor PostgreSQL; SQLite kent geen rollen".into(),
            ));
        };
        let mut tx = pool.begin().await?;
        for statement in [
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_log_client FROM {role}",
            "REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM {role}",
        ] {
            let sql = sqlx::AssertSqlSafe(statement.replace("{role}", role));
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two use cases never deadlock upgrading a read lock.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.pool {
            Pool::Sqlite(pool) => TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(self.tx(inner))
    }

    fn tx(&self, inner: TxInner) -> Tx {
        Tx {
            inner,
            audit: self.audit.clone(),
            head: None,
        }
    }

    /// Starts a read-only transaction that takes no write lock: on SQLite a
    /// deferred `BEGIN` (in WAL mode readers and the writer do not wait for each
    /// other), on PostgreSQL `READ ONLY`. For long reads such as verifying the
    /// audit chain; writing in it fails.
    pub async fn begin_read(&self) -> Result<Tx> {
        let inner = match &self.pool {
            Pool::Sqlite(pool) => TxInner::Sqlite(pool.begin_with("BEGIN").await?),
            Pool::Postgres(pool) => TxInner::Postgres(pool.begin_with("BEGIN READ ONLY").await?),
        };
        Ok(self.tx(inner))
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
            Pool::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Closes every connection; later calls fail.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    /// Commits; when audit records were appended, then writes the new head of
    /// the chain to the witness. A witness that cannot be written is logged as an
    /// error (the records are committed; `jeugdroute audit verifieer` will say the
    /// witness is behind).
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        if let (Some(head), Some(setup)) = (&self.head, &self.audit)
            && let Err(e) = setup.witness.append(head)
        {
            tracing::error!(error = %e, "the audit witness could not be written");
        }
        Ok(())
    }
}

/// The tables whose row counts [`Tx::row_counts`] reports, in schema order.
const TABLES: [&str; 31] = [
    "regio",
    "gemeente",
    "aanbieder",
    "contract",
    "account",
    "account_gemeente",
    "gezin",
    "jeugdige",
    "casus",
    "audit_log",
    "outbox",
    "inbox",
    "session",
    "sign_in_failure",
    "casus_stap",
    "beschikking",
    "toewijzing",
    "toewijzing_wijziging",
    "audit_log_client",
    "audit_check",
    "levering",
    "ontvangen_toewijzing",
    "aanbieder_bericht",
    "ontvangen_antwoord",
    "aanbieder_prestatie",
    "verzoek",
    "verzoek_product",
    "verzoek_antwoord",
    "declaratie",
    "prestatie",
    "ggk_fout",
];

impl Tx {
    /// The number of rows in every table, for operators and for checks that a
    /// load changed nothing.
    pub async fn row_counts(&mut self) -> Result<Vec<(&'static str, i64)>> {
        let mut row_counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
            let count: i64 = on_tx!(self, |conn| sqlx::query_scalar(sql)
                .fetch_one(&mut *conn)
                .await?);
            row_counts.push((table, count));
        }
        Ok(row_counts)
    }
}
