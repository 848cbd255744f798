//! The audit log (NEN 7513): who did what with whose data, when and why. The table
//! is append-only; database triggers refuse every change and deletion.

use chrono::{DateTime, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// An audit record to append.
#[derive(Debug, Clone)]
pub struct NieuwAuditRecord<'a> {
    pub tijdstip: DateTime<Utc>,
    /// The user name, or `systeem` for the application itself.
    pub gebruiker: &'a str,
    pub rol: Option<&'a str>,
    /// On whose behalf the user acted, where that is someone else.
    pub namens: Option<&'a str>,
    /// What happened, e.g. `jeugdige.aanmaken`.
    pub gebeurtenis: &'a str,
    pub jeugdige_id: Option<i64>,
    pub casus_id: Option<i64>,
    /// Why: the purpose of the access.
    pub doel: &'a str,
    /// `gelukt` or `geweigerd`.
    pub uitkomst: &'a str,
    /// Source address of the request, when there was one.
    pub bron: Option<&'a str>,
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: i64,
    pub tijdstip: DateTime<Utc>,
    pub gebruiker: String,
    pub rol: Option<String>,
    pub namens: Option<String>,
    pub gebeurtenis: String,
    pub jeugdige_id: Option<i64>,
    pub casus_id: Option<i64>,
    pub doel: String,
    pub uitkomst: String,
    pub bron: Option<String>,
}

impl Tx {
    pub async fn audit_vastleggen(&mut self, record: &NieuwAuditRecord<'_>) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO audit_log (tijdstip, gebruiker, rol, namens, gebeurtenis, jeugdige_id, casus_id, \
                 doel, uitkomst, bron) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(record.tijdstip)
            .bind(record.gebruiker)
            .bind(record.rol)
            .bind(record.namens)
            .bind(record.gebeurtenis)
            .bind(record.jeugdige_id)
            .bind(record.casus_id)
            .bind(record.doel)
            .bind(record.uitkomst)
            .bind(record.bron)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Every record about one youth, oldest first.
    pub async fn audit_van_jeugdige(&mut self, jeugdige_id: i64) -> Result<Vec<AuditRecord>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT id, tijdstip, gebruiker, rol, namens, gebeurtenis, jeugdige_id, casus_id, doel, uitkomst, bron \
                 FROM audit_log WHERE jeugdige_id = $1 ORDER BY id",
            )
            .bind(jeugdige_id)
            .fetch_all(&mut *conn)
            .await?)
        })
    }
}
