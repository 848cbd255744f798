//! The beheerder's view of the audit log: searching who did what with whose data,
//! and checking that the hash chain is whole. Searching is itself audit-logged.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{amsterdam_day_start, amsterdam_today};
use jeugdroute_store::{AuditQuery, AuditRecord, NewAuditRecord};

use crate::access::{Actor, UseCase};
use crate::casus::{Check, record};
use crate::grenzen;
use crate::{App, AppError};

/// The most records one search shows.
pub const AUDIT_SEARCH_LIMIT: i64 = 500;

/// A search as the form or the API hands it in; empty fields match everything.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct AuditZoek {
    pub gebruiker: String,
    pub gebeurtenis: String,
    pub casus: String,
    /// `JJJJ-MM-DD`, inclusive, from Dutch midnight.
    pub van: String,
    /// `JJJJ-MM-DD`, inclusive, up to the next Dutch midnight.
    pub tot: String,
}

/// The records found, and whether the chain of the whole log is intact.
#[derive(Debug, Clone)]
pub struct AuditResult {
    pub records: Vec<AuditRecord>,
    /// The first record whose hash does not fit the chain, if any.
    pub broken_at: Option<i64>,
}

fn day_start(c: &mut Check, field: &'static str, text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    c.parsed(
        field,
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| "Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-11-22."),
    )
    .map(amsterdam_day_start)
}

/// The start of the Dutch day after the date in `text`: the end of a search
/// "tot en met" that date (a day is 23 or 25 hours when the clocks change).
fn day_after(c: &mut Check, field: &'static str, text: &str) -> Option<DateTime<Utc>> {
    let start = day_start(c, field, text)?;
    let next = amsterdam_today(start).succ_opt()?;
    Some(amsterdam_day_start(next))
}

impl App {
    /// Searches the audit log (beheerder only), newest first.
    pub async fn audit_zoeken(
        &self,
        actor: &Actor,
        zoek: &AuditZoek,
    ) -> Result<AuditResult, AppError> {
        let now = self.now();
        self.require(actor, UseCase::AuditZoeken, "audit.zoeken")
            .await?;
        let mut c = Check::default();
        let casus_id = Some(zoek.casus.trim())
            .filter(|t| !t.is_empty())
            .and_then(|t| {
                c.parsed(
                    "casus",
                    t.parse::<i64>()
                        .map_err(|_| "Geef het casusnummer in cijfers."),
                )
            });
        let from = day_start(&mut c, "van", &zoek.van);
        let until = day_after(&mut c, "tot", &zoek.tot);
        let gebruiker = c.optional(&grenzen::AUDIT_GEBRUIKER, &zoek.gebruiker);
        let gebeurtenis = c.optional(&grenzen::AUDIT_GEBEURTENIS, &zoek.gebeurtenis);
        c.finish()?;
        let query = AuditQuery {
            actor: Some(gebruiker.as_str()).filter(|t| !t.is_empty()),
            event: Some(gebeurtenis.as_str()).filter(|t| !t.is_empty()),
            jeugdige_id: None,
            casus_id,
            from,
            until,
            limit: AUDIT_SEARCH_LIMIT,
        };
        let mut tx = self.store.begin().await?;
        let records = tx.search_audit(&query).await?;
        let broken_at = tx.verify_audit_chain().await?;
        tx.append_audit(&NewAuditRecord {
            casus_id,
            ..record(actor, "audit.zoeken", "toezicht op gebruik", "gelukt", now)
        })
        .await?;
        tx.commit().await?;
        Ok(AuditResult { records, broken_at })
    }
}
