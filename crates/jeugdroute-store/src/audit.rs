//! The audit log (NEN 7513): who did what with whose data, when and why. The table
//! is append-only; database triggers refuse every change and deletion.

use chrono::{DateTime, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// An audit record to append.
#[derive(Debug, Clone)]
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
}

impl Tx {
    pub async fn append_audit(&mut self, record: &NewAuditRecord<'_>) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO audit_log (occurred_at, actor, role, on_behalf_of, event, jeugdige_id, casus_id, \
                 purpose, outcome, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
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
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Every record about one youth, oldest first.
    pub async fn audit_for_jeugdige(&mut self, jeugdige_id: i64) -> Result<Vec<AuditRecord>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT id, occurred_at, actor, role, on_behalf_of, event, jeugdige_id, casus_id, purpose, outcome, source \
                 FROM audit_log WHERE jeugdige_id = $1 ORDER BY id",
            )
            .bind(jeugdige_id)
            .fetch_all(&mut *conn)
            .await?)
        })
    }
}
