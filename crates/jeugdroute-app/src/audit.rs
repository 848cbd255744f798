//! The beheerder's view of the audit log: searching who did what with whose data
//! (paged), exporting a search, and verifying the chain against its key and
//! witness without holding any write lock. Searching, exporting and verifying
//! are themselves audit-logged. Also the verification at start-up, from the last
//! checkpoint, and the whole-chain verification of `jeugdroute audit verifieer`.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{amsterdam_day_start, amsterdam_today};
use jeugdroute_store::{AuditCheck, AuditQuery, AuditRecord, AuditVerification, ChainHead};

use crate::access::{Actor, UseCase};
use crate::casus::{Check, record};
use crate::grenzen;
use crate::{App, AppError};

/// Records per page of a search.
pub const AUDIT_PAGE_SIZE: i64 = 50;
/// The most records one CSV export holds.
pub const AUDIT_EXPORT_LIMIT: i64 = 10_000;

/// A search as the form, the page links or the API hand it in; empty fields
/// match everything. No BSN: these may travel in a URL.
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
    /// The page, from 1; empty is 1.
    pub pagina: String,
}

/// One page of records found.
#[derive(Debug, Clone)]
pub struct AuditResult {
    pub records: Vec<AuditRecord>,
    /// This page's number, from 1.
    pub pagina: i64,
    /// Whether a next page has records.
    pub meer: bool,
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

/// A whole number typed in `field`, or `None` when left empty.
fn number(c: &mut Check, field: &'static str, text: &str, message: &'static str) -> Option<i64> {
    Some(text.trim())
        .filter(|t| !t.is_empty())
        .and_then(|t| c.parsed(field, t.parse::<i64>().map_err(|_| message)))
}

impl AuditZoek {
    /// The store's query for this search: `limit` records from `offset`; the
    /// page number asked for (from 1), or every field in error.
    fn query(&self) -> Result<(AuditQuery<'_>, i64), AppError> {
        let mut c = Check::default();
        let casus_id = number(
            &mut c,
            "casus",
            &self.casus,
            "Geef het casusnummer in cijfers.",
        );
        let pagina = number(
            &mut c,
            "pagina",
            &self.pagina,
            "Geef het paginanummer in cijfers.",
        )
        .unwrap_or(1);
        if !(1..=1_000_000).contains(&pagina) {
            c.fail("pagina", "Kies een pagina vanaf 1.");
        }
        let from = day_start(&mut c, "van", &self.van);
        let until = day_after(&mut c, "tot", &self.tot);
        // Bounded before the search runs or is logged; the query borrows the
        // trimmed text itself.
        c.optional(&grenzen::AUDIT_GEBRUIKER, &self.gebruiker);
        c.optional(&grenzen::AUDIT_GEBEURTENIS, &self.gebeurtenis);
        c.finish()?;
        let query = AuditQuery {
            actor: Some(self.gebruiker.trim()).filter(|t| !t.is_empty()),
            event: Some(self.gebeurtenis.trim()).filter(|t| !t.is_empty()),
            jeugdige_id: None,
            casus_id,
            from,
            until,
            limit: AUDIT_PAGE_SIZE,
            offset: 0,
        };
        Ok((query, pagina))
    }
}

impl App {
    /// One page of the audit log's records matching the search (beheerder
    /// only), newest first. Reads without a write lock; the search's own audit
    /// record is a short write afterwards.
    pub async fn audit_zoeken(
        &self,
        actor: &Actor,
        zoek: &AuditZoek,
    ) -> Result<AuditResult, AppError> {
        self.require(actor, UseCase::AuditZoeken, "audit.zoeken")
            .await?;
        let (query, pagina) = zoek.query()?;
        let query = AuditQuery {
            // One more than a page tells whether there is a next one.
            limit: AUDIT_PAGE_SIZE + 1,
            offset: (pagina - 1) * AUDIT_PAGE_SIZE,
            ..query
        };
        let mut read = self.store.begin_read().await?;
        let mut records = read.search_audit(&query).await?;
        drop(read);
        let meer = records.len() as i64 > AUDIT_PAGE_SIZE;
        records.truncate(AUDIT_PAGE_SIZE as usize);
        self.log_beheer(actor, "audit.zoeken", query.casus_id)
            .await?;
        Ok(AuditResult {
            records,
            pagina,
            meer,
        })
    }

    /// Every record matching the search, up to [`AUDIT_EXPORT_LIMIT`], newest
    /// first, for a CSV export (beheerder only; audit-logged as
    /// `audit.exporteren`).
    pub async fn audit_exporteren(
        &self,
        actor: &Actor,
        zoek: &AuditZoek,
    ) -> Result<Vec<AuditRecord>, AppError> {
        self.require(actor, UseCase::AuditZoeken, "audit.exporteren")
            .await?;
        let (query, _) = zoek.query()?;
        let query = AuditQuery {
            limit: AUDIT_EXPORT_LIMIT,
            ..query
        };
        let mut read = self.store.begin_read().await?;
        let records = read.search_audit(&query).await?;
        drop(read);
        self.log_beheer(actor, "audit.exporteren", query.casus_id)
            .await?;
        Ok(records)
    }

    /// Verifies the whole chain against key and witness (beheerder only), in
    /// chunks of short reads, so meldingen go on meanwhile; keeps the outcome as
    /// the last verification and audit-logs it.
    pub async fn audit_verifieren(&self, actor: &Actor) -> Result<AuditCheck, AppError> {
        self.require(actor, UseCase::AuditZoeken, "audit.verifieren")
            .await?;
        let check = self.verify_and_keep(None).await?;
        self.log_beheer(actor, "audit.verifieren", None).await?;
        Ok(check)
    }

    /// The whole chain verified, for `jeugdroute audit verifieer`; the outcome
    /// is kept as the last verification.
    pub async fn audit_verifieren_geheel(&self) -> Result<AuditCheck, AppError> {
        self.verify_and_keep(None).await
    }

    /// At start-up: the records since the last verification that found the
    /// chain whole (all of them when there was none), kept as a verification.
    pub async fn audit_verifieren_sinds_controle(&self) -> Result<AuditCheck, AppError> {
        let mut tx = self.store.begin_read().await?;
        let checkpoint = tx.last_audit_check(true).await?;
        drop(tx);
        let from = checkpoint
            .as_ref()
            .and_then(|c| Some((c.up_to_id?, c.up_to_mac.clone()?)));
        self.verify_and_keep(from).await
    }

    /// The newest verification, if any: what the beheerder's page shows.
    pub async fn laatste_audit_controle(&self) -> Result<Option<AuditCheck>, AppError> {
        let mut tx = self.store.begin_read().await?;
        Ok(tx.last_audit_check(false).await?)
    }

    /// The head of the chain, for `jeugdroute audit anker`.
    pub async fn audit_anker(&self) -> Result<Option<ChainHead>, AppError> {
        let mut tx = self.store.begin_read().await?;
        Ok(tx.audit_head().await?)
    }

    async fn verify_and_keep(&self, from: Option<(i64, String)>) -> Result<AuditCheck, AppError> {
        let AuditVerification {
            checked,
            head,
            fault,
        } = self
            .store
            .verify_audit(from.as_ref().map(|(id, mac)| (*id, mac.as_str())))
            .await?;
        let check = AuditCheck {
            checked_at: self.now(),
            whole_chain: from.is_none(),
            checked,
            up_to_id: head.as_ref().map(|h| h.id),
            up_to_mac: head.map(|h| h.mac),
            first_bad_id: fault.as_ref().map(|f| f.id),
            reason: fault.map(|f| f.reason),
        };
        let mut tx = self.store.begin().await?;
        tx.record_audit_check(&check).await?;
        tx.commit().await?;
        Ok(check)
    }

    /// The audit record of a beheerder's work on the log itself.
    async fn log_beheer(
        &self,
        actor: &Actor,
        event: &str,
        casus_id: Option<i64>,
    ) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        tx.append_audit(&jeugdroute_store::NewAuditRecord {
            casus_id,
            ..record(actor, event, "toezicht op gebruik", "gelukt", self.now())
        })
        .await?;
        Ok(tx.commit().await?)
    }
}
