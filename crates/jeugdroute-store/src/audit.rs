//! The audit log (NEN 7513): who did what with whose data, when and why. The table
//! is append-only; database triggers refuse every change and deletion, and each
//! record carries a hash over its own fields and the hash of the record before it,
//! so a record changed or removed behind the application's back breaks the chain.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use chrono::{DateTime, SubsecRound, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// An audit record to append.
#[derive(Debug, Clone, Copy)]
pub struct NewAuditRecord<'a> {
    pub occurred_at: DateTime<Utc>,
    /// The user name, or `systeem` for the application itself.
    pub actor: &'a str,
    pub role: Option<&'a str>,
    /// On whose behalf the user acted, where that is someone else.
    pub on_behalf_of: Option<&'a str>,
    /// What happened, e.g. `jeugdige.aanmaken`.
    pub event: &'a str,
    pub jeugdige_id: Option<i64>,
    pub casus_id: Option<i64>,
    /// Why: the purpose of the access.
    pub purpose: &'a str,
    /// `gelukt` or `geweigerd`.
    pub outcome: &'a str,
    /// Source address of the request, when there was one.
    pub source: Option<&'a str>,
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub role: Option<String>,
    pub on_behalf_of: Option<String>,
    pub event: String,
    pub jeugdige_id: Option<i64>,
    pub casus_id: Option<i64>,
    pub purpose: String,
    pub outcome: String,
    pub source: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What [`Tx::search_audit`] looks for; every field left empty matches all.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery<'a> {
    pub actor: Option<&'a str>,
    pub event: Option<&'a str>,
    pub jeugdige_id: Option<i64>,
    pub casus_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
}

const COLUMNS: &str = "id, occurred_at, actor, role, on_behalf_of, event, jeugdige_id, casus_id, \
     purpose, outcome, source, prev_hash, hash";

/// The chain hash of one record: BLAKE2b-256, hex, over the previous hash and every
/// field, each ended by a unit separator so that no two records hash alike.
fn chain_hash(prev_hash: &str, r: &NewAuditRecord<'_>) -> String {
    let fields = [
        prev_hash.to_owned(),
        r.occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        r.actor.to_owned(),
        r.role.unwrap_or("").to_owned(),
        r.on_behalf_of.unwrap_or("").to_owned(),
        r.event.to_owned(),
        r.jeugdige_id.map(|id| id.to_string()).unwrap_or_default(),
        r.casus_id.map(|id| id.to_string()).unwrap_or_default(),
        r.purpose.to_owned(),
        r.outcome.to_owned(),
        r.source.unwrap_or("").to_owned(),
    ];
    let mut hasher = Blake2b::<U32>::new();
    for field in &fields {
        hasher.update(field.as_bytes());
        hasher.update([0x1f]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AuditRecord {
    fn as_new(&self) -> NewAuditRecord<'_> {
        NewAuditRecord {
            occurred_at: self.occurred_at,
            actor: &self.actor,
            role: self.role.as_deref(),
            on_behalf_of: self.on_behalf_of.as_deref(),
            event: &self.event,
            jeugdige_id: self.jeugdige_id,
            casus_id: self.casus_id,
            purpose: &self.purpose,
            outcome: &self.outcome,
            source: self.source.as_deref(),
        }
    }
}

impl Tx {
    /// Appends a record to the chain. On PostgreSQL an advisory lock held until
    /// the transaction ends keeps two writers from chaining onto the same record;
    /// SQLite's write transactions are serialised already.
    pub async fn append_audit(&mut self, record: &NewAuditRecord<'_>) -> Result<i64> {
        if let crate::store::TxInner::Postgres(tx) = &mut self.inner {
            sqlx::query("SELECT pg_advisory_xact_lock(7513)")
                .execute(&mut **tx)
                .await?;
        }
        let prev_hash: String = on_tx!(self, |conn| sqlx::query_scalar(
            "SELECT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '')"
        )
        .fetch_one(&mut *conn)
        .await?);
        // Stored and hashed to the microsecond, the precision both backends keep.
        let record = NewAuditRecord {
            occurred_at: record.occurred_at.trunc_subsecs(6),
            ..*record
        };
        let hash = chain_hash(&prev_hash, &record);
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO audit_log (occurred_at, actor, role, on_behalf_of, event, jeugdige_id, casus_id, \
                 purpose, outcome, source, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(record.occurred_at)
            .bind(record.actor)
            .bind(record.role)
            .bind(record.on_behalf_of)
            .bind(record.event)
            .bind(record.jeugdige_id)
            .bind(record.casus_id)
            .bind(record.purpose)
            .bind(record.outcome)
            .bind(record.source)
            .bind(&prev_hash)
            .bind(&hash)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Walks the whole chain; the id of the first record whose hashes do not
    /// follow from its fields and its predecessor, or `None` when all is intact.
    pub async fn verify_audit_chain(&mut self) -> Result<Option<i64>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"));
        let records: Vec<AuditRecord> = on_tx!(self, |conn| sqlx::query_as(sql)
            .fetch_all(&mut *conn)
            .await?);
        let mut prev = String::new();
        for record in records {
            if record.prev_hash != prev || record.hash != chain_hash(&prev, &record.as_new()) {
                return Ok(Some(record.id));
            }
            prev = record.hash;
        }
        Ok(None)
    }

    /// Records matching the query, newest first, at most `query.limit`.
    pub async fn search_audit(&mut self, query: &AuditQuery<'_>) -> Result<Vec<AuditRecord>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log \
             WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR event = $2) \
             AND ($3 IS NULL OR jeugdige_id = $3) AND ($4 IS NULL OR casus_id = $4) \
             AND ($5 IS NULL OR occurred_at >= $5) AND ($6 IS NULL OR occurred_at < $6) \
             ORDER BY id DESC LIMIT $7"
        ));
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(sql)
                .bind(query.actor)
                .bind(query.event)
                .bind(query.jeugdige_id)
                .bind(query.casus_id)
                .bind(query.from)
                .bind(query.until)
                .bind(query.limit)
                .fetch_all(&mut *conn)
                .await?)
        })
    }

    /// Every record about one youth, oldest first.
    pub async fn audit_for_jeugdige(&mut self, jeugdige_id: i64) -> Result<Vec<AuditRecord>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM audit_log WHERE jeugdige_id = $1 ORDER BY id"
            )))
            .bind(jeugdige_id)
            .fetch_all(&mut *conn)
            .await?)
        })
    }
}
