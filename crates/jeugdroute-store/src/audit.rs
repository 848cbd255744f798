//! The audit log (NEN 7513): who did what with whose data, when and why. The table
//! is append-only; database triggers refuse every change, deletion and
//! replacement, and each record carries a keyed MAC (BLAKE2b-256 with a key kept
//! outside the database, see `audit_key.rs`) over its own fields, the clients it
//! names and the MAC of the record before it. So a record changed, removed,
//! replaced or forged behind the application's back breaks the chain, and the
//! witness file finds the newest records removed.
//!
//! Records written before the key existed (`mac_version` 0) carry the older
//! unkeyed BLAKE2b hash; they still verify, but only before the first keyed
//! record: the first keyed record's MAC covers the last unkeyed hash, and an
//! unkeyed record after a keyed one is a forgery.

use blake2::digest::consts::U32;
use blake2::digest::{KeyInit, Mac};
use blake2::{Blake2b, Blake2bMac, Digest};
use chrono::{DateTime, SubsecRound, Utc};

use crate::audit_key::{AuditSetup, ChainHead};
use crate::store::on_tx;
use crate::{Result, Store, StoreError, Tx};

/// The version of the MAC in new records: keyed BLAKE2b-256.
const MAC_KEYED: i64 = 1;
/// Records from before the key: unkeyed BLAKE2b-256.
const MAC_LEGACY: i64 = 0;
/// How many records one read of the verification takes.
const VERIFY_CHUNK: i64 = 2000;

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
    /// Every client a list showed: one record names them all
    /// (table `audit_log_client`, covered by the MAC).
    pub jeugdigen: &'a [i64],
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
    /// The record's MAC (or, for `mac_version` 0, its unkeyed hash).
    pub hash: String,
    pub mac_version: i64,
    /// The clients a list record names, ascending.
    #[sqlx(skip)]
    pub jeugdigen: Vec<i64>,
}

/// What [`Tx::search_audit`] looks for; every field left empty matches all.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery<'a> {
    pub actor: Option<&'a str>,
    pub event: Option<&'a str>,
    /// Matches a record about the client and a list record naming it.
    pub jeugdige_id: Option<i64>,
    pub casus_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
    /// How many matching records to skip (paging).
    pub offset: i64,
}

/// The first record that does not verify, and why (in Dutch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFault {
    pub id: i64,
    pub reason: String,
}

/// The outcome of a verification of (part of) the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// How many records were checked.
    pub checked: i64,
    /// The newest record that verified.
    pub head: Option<ChainHead>,
    /// The first fault, if any.
    pub fault: Option<AuditFault>,
}

/// A verification as kept in `audit_check` (not an audit table: it may be
/// rewritten by whoever can write the database, and is only a starting point).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditCheck {
    pub checked_at: DateTime<Utc>,
    /// Whether the whole chain was checked, or only what followed a checkpoint.
    pub whole_chain: bool,
    pub checked: i64,
    pub up_to_id: Option<i64>,
    pub up_to_mac: Option<String>,
    pub first_bad_id: Option<i64>,
    pub reason: Option<String>,
}

impl AuditCheck {
    pub fn intact(&self) -> bool {
        self.first_bad_id.is_none()
    }
}

const COLUMNS: &str = "id, occurred_at, actor, role, on_behalf_of, event, jeugdige_id, casus_id, \
     purpose, outcome, source, prev_hash, hash, mac_version";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn micros(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The unkeyed hash of records from before the key: BLAKE2b-256 over the previous
/// hash and every field, each ended by a unit separator.
fn legacy_hash(prev_hash: &str, r: &NewAuditRecord<'_>) -> String {
    let fields = [
        prev_hash.to_owned(),
        micros(r.occurred_at),
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
    hex(&hasher.finalize())
}

/// The keyed MAC of a record: BLAKE2b-256 keyed with the audit key, over a
/// version tag, the previous MAC, the record's id, every field (each with its
/// length, an absent one apart from an empty one) and the clients it names.
fn record_mac(setup: &AuditSetup, prev: &str, id: i64, r: &NewAuditRecord<'_>) -> Result<String> {
    let mut mac = Blake2bMac::<U32>::new_from_slice(setup.key.bytes())
        .map_err(|_| StoreError::Audit("auditsleutel met een onbruikbare lengte".into()))?;
    let mut field = |value: Option<&str>| match value {
        None => mac.update(&[0]),
        Some(text) => {
            mac.update(&[1]);
            mac.update(&(text.len() as u64).to_le_bytes());
            mac.update(text.as_bytes());
        }
    };
    let at = micros(r.occurred_at);
    let (id, jeugdige, casus) = (
        id.to_string(),
        r.jeugdige_id.map(|j| j.to_string()),
        r.casus_id.map(|c| c.to_string()),
    );
    for value in [
        Some("jeugdroute-audit-v1"),
        Some(prev),
        Some(id.as_str()),
        Some(at.as_str()),
        Some(r.actor),
        r.role,
        r.on_behalf_of,
        Some(r.event),
        jeugdige.as_deref(),
        casus.as_deref(),
        Some(r.purpose),
        Some(r.outcome),
        r.source,
    ] {
        field(value);
    }
    mac.update(&(r.jeugdigen.len() as u64).to_le_bytes());
    for jeugdige in r.jeugdigen {
        mac.update(&jeugdige.to_le_bytes());
    }
    Ok(hex(&mac.finalize().into_bytes()))
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
            jeugdigen: &self.jeugdigen,
        }
    }

    /// Why this record does not follow from `prev` (the MAC of the record
    /// before), or `None` when it does.
    fn fault(&self, setup: &AuditSetup, prev: &str, keyed_seen: bool) -> Result<Option<String>> {
        if self.prev_hash != prev {
            return Ok(Some(
                "de regel ervoor ontbreekt of is gewijzigd (de keten sluit niet aan)".into(),
            ));
        }
        let expected = match self.mac_version {
            MAC_KEYED => record_mac(setup, prev, self.id, &self.as_new())?,
            MAC_LEGACY if keyed_seen => {
                return Ok(Some(
                    "een regel zonder sleutel na regels met sleutel: ingevoegd buiten de applicatie"
                        .into(),
                ));
            }
            MAC_LEGACY if !self.jeugdigen.is_empty() => {
                return Ok(Some("een oude regel met cliëntenlijst: gewijzigd".into()));
            }
            MAC_LEGACY => legacy_hash(prev, &self.as_new()),
            other => return Ok(Some(format!("onbekende MAC-versie {other}"))),
        };
        Ok((self.hash != expected).then(|| {
            "de inhoud past niet bij de MAC: gewijzigd of vervalst buiten de applicatie".into()
        }))
    }

    fn head(&self) -> ChainHead {
        ChainHead {
            id: self.id,
            mac: self.hash.clone(),
            occurred_at: self.occurred_at,
        }
    }
}

/// A record with its place in the chain, ready to be written.
struct Chained<'a> {
    id: i64,
    /// The record as stored (its clients are in `jeugdigen`).
    record: NewAuditRecord<'a>,
    prev: String,
    hash: String,
    /// The clients it names, sorted, each once.
    jeugdigen: Vec<i64>,
}

/// Audit records per INSERT statement (14 values each).
const AUDIT_ROWS_PER_INSERT: usize = 100;

/// Client rows per INSERT statement (2 values each).
const AUDIT_CLIENTS_PER_INSERT: usize = 1_000;

impl Tx {
    fn audit_setup(&self) -> Result<std::sync::Arc<AuditSetup>> {
        self.audit.clone().ok_or_else(|| {
            StoreError::Audit("geen auditsleutel ingesteld (Store::with_audit)".into())
        })
    }

    /// Appends a record to the chain, with the clients it names, and gives its id.
    /// See [`Tx::append_audits`].
    pub async fn append_audit(&mut self, record: &NewAuditRecord<'_>) -> Result<i64> {
        self.append_audits(std::slice::from_ref(record)).await?;
        Ok(self.head.as_ref().map_or(0, |h| h.id))
    }

    /// Appends records to the chain in their order, with the clients they name,
    /// in one statement per hundred records. On PostgreSQL an advisory lock held
    /// until the transaction ends keeps two writers from chaining onto the same
    /// record; SQLite's write transactions are serialised already. After commit
    /// the new head goes to the witness.
    pub async fn append_audits(&mut self, records: &[NewAuditRecord<'_>]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let setup = self.audit_setup()?;
        let (mut id, mut prev) = match &self.head {
            // This transaction appended before: it holds the lock (or SQLite's
            // write lock), so the record it wrote last is still the chain's end.
            Some(head) => (head.id + 1, head.mac.clone()),
            None => self.lock_audit_chain().await?,
        };
        let mut chained = Vec::with_capacity(records.len());
        for record in records {
            let mut jeugdigen = record.jeugdigen.to_vec();
            jeugdigen.sort_unstable();
            jeugdigen.dedup();
            // Stored and MAC'd to the microsecond, the precision both backends keep.
            let occurred_at = record.occurred_at.trunc_subsecs(6);
            let mac = record_mac(
                &setup,
                &prev,
                id,
                &NewAuditRecord {
                    occurred_at,
                    jeugdigen: &jeugdigen,
                    ..*record
                },
            )?;
            chained.push(Chained {
                id,
                record: NewAuditRecord {
                    occurred_at,
                    jeugdigen: &[],
                    ..*record
                },
                prev: std::mem::replace(&mut prev, mac.clone()),
                hash: mac,
                jeugdigen,
            });
            id += 1;
        }
        self.insert_audit_rows(&chained, MAC_KEYED).await?;
        if let Some(last) = chained.last() {
            self.head = Some(ChainHead {
                id: last.id,
                mac: last.hash.clone(),
                occurred_at: last.record.occurred_at,
            });
        }
        Ok(())
    }

    /// Takes the chain for this transaction and gives the id and hash the next
    /// record follows.
    async fn lock_audit_chain(&mut self) -> Result<(i64, String)> {
        if let crate::store::TxInner::Postgres(tx) = &mut self.inner {
            sqlx::query("SELECT pg_advisory_xact_lock(7513)")
                .execute(&mut **tx)
                .await?;
        }
        let last: Option<(i64, String)> = on_tx!(self, |conn| sqlx::query_as(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
        )
        .fetch_optional(&mut *conn)
        .await?);
        Ok(last.map_or((1, String::new()), |(id, hash)| (id + 1, hash)))
    }

    /// Writes chained records and the clients they name, many rows per statement.
    async fn insert_audit_rows(&mut self, rows: &[Chained<'_>], version: i64) -> Result<()> {
        for chunk in rows.chunks(AUDIT_ROWS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO audit_log (id, occurred_at, actor, role, on_behalf_of, event, \
                     jeugdige_id, casus_id, purpose, outcome, source, prev_hash, hash, mac_version) ",
                );
                insert.push_values(chunk, |mut row, c| {
                    let r = &c.record;
                    row.push_bind(c.id)
                        .push_bind(r.occurred_at)
                        .push_bind(r.actor)
                        .push_bind(r.role)
                        .push_bind(r.on_behalf_of)
                        .push_bind(r.event)
                        .push_bind(r.jeugdige_id)
                        .push_bind(r.casus_id)
                        .push_bind(r.purpose)
                        .push_bind(r.outcome)
                        .push_bind(r.source)
                        .push_bind(&c.prev)
                        .push_bind(&c.hash)
                        .push_bind(version);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        let clients: Vec<(i64, i64)> = rows
            .iter()
            .flat_map(|c| c.jeugdigen.iter().map(|j| (c.id, *j)))
            .collect();
        for chunk in clients.chunks(AUDIT_CLIENTS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO audit_log_client (audit_id, jeugdige_id) ",
                );
                insert.push_values(chunk, |mut row, (audit_id, jeugdige_id)| {
                    row.push_bind(*audit_id).push_bind(*jeugdige_id);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    /// Appends a record as versions before the key did (unkeyed hash, no client
    /// list): for tests of the upgrade path only.
    #[cfg(feature = "test-support")]
    pub async fn append_legacy_audit(&mut self, record: &NewAuditRecord<'_>) -> Result<i64> {
        let last: Option<(i64, String)> = on_tx!(self, |conn| sqlx::query_as(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
        )
        .fetch_optional(&mut *conn)
        .await?);
        let (id, prev) = last.map_or((1, String::new()), |(id, hash)| (id + 1, hash));
        let record = NewAuditRecord {
            occurred_at: record.occurred_at.trunc_subsecs(6),
            jeugdigen: &[],
            ..*record
        };
        let hash = legacy_hash(&prev, &record);
        let row = Chained {
            id,
            record,
            prev,
            hash,
            jeugdigen: Vec::new(),
        };
        self.insert_audit_rows(std::slice::from_ref(&row), MAC_LEGACY)
            .await?;
        Ok(id)
    }

    /// What an attacker without the key can do after editing a record: give it
    /// and every later record a new MAC under a key of their own, each chained
    /// to the one before. Needs the UPDATE triggers gone. For tests only.
    #[cfg(feature = "test-support")]
    pub async fn rechain_audit_with(&mut self, key: crate::AuditKey, from_id: i64) -> Result<()> {
        let setup = AuditSetup {
            key,
            witness: crate::Witness::new(std::path::PathBuf::new()),
        };
        let mut prev = match self.audit_record(from_id - 1).await? {
            Some(r) => r.hash,
            None => String::new(),
        };
        for record in self.audit_chunk(from_id - 1, i64::MAX).await? {
            let mac = record_mac(&setup, &prev, record.id, &record.as_new())?;
            on_tx!(self, |conn| sqlx::query(
                "UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3"
            )
            .bind(&prev)
            .bind(&mac)
            .bind(record.id)
            .execute(&mut *conn)
            .await
            .map(|_| ())?);
            prev = mac;
        }
        Ok(())
    }

    /// The clients named by the records with ids in `first..=last`, per record.
    async fn jeugdigen_between(&mut self, first: i64, last: i64) -> Result<Vec<(i64, i64)>> {
        on_tx!(self, |conn| Ok(sqlx::query_as(
            "SELECT audit_id, jeugdige_id FROM audit_log_client \
             WHERE audit_id >= $1 AND audit_id <= $2 ORDER BY audit_id, jeugdige_id"
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?))
    }

    /// Fills in the client lists of `records` (ordered by id either way).
    async fn with_jeugdigen(&mut self, mut records: Vec<AuditRecord>) -> Result<Vec<AuditRecord>> {
        let (Some(first), Some(last)) = (
            records.iter().map(|r| r.id).min(),
            records.iter().map(|r| r.id).max(),
        ) else {
            return Ok(records);
        };
        for (audit_id, jeugdige) in self.jeugdigen_between(first, last).await? {
            if let Some(r) = records.iter_mut().find(|r| r.id == audit_id) {
                r.jeugdigen.push(jeugdige);
            }
        }
        Ok(records)
    }

    /// At most `limit` records after id `after`, oldest first, with their clients.
    async fn audit_chunk(&mut self, after: i64, limit: i64) -> Result<Vec<AuditRecord>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2"
        ));
        let records = on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?);
        self.with_jeugdigen(records).await
    }

    /// Records matching the query, newest first: `query.limit` of them after
    /// skipping `query.offset`.
    pub async fn search_audit(&mut self, query: &AuditQuery<'_>) -> Result<Vec<AuditRecord>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log \
             WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR event = $2) \
             AND ($3 IS NULL OR jeugdige_id = $3 OR id IN \
                  (SELECT audit_id FROM audit_log_client WHERE jeugdige_id = $3)) \
             AND ($4 IS NULL OR casus_id = $4) \
             AND ($5 IS NULL OR occurred_at >= $5) AND ($6 IS NULL OR occurred_at < $6) \
             ORDER BY id DESC LIMIT $7 OFFSET $8"
        ));
        let records = on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(query.actor)
            .bind(query.event)
            .bind(query.jeugdige_id)
            .bind(query.casus_id)
            .bind(query.from)
            .bind(query.until)
            .bind(query.limit)
            .bind(query.offset)
            .fetch_all(&mut *conn)
            .await?);
        self.with_jeugdigen(records).await
    }

    /// Every record about one youth, oldest first: those about it alone and the
    /// list records that named it.
    pub async fn audit_for_jeugdige(&mut self, jeugdige_id: i64) -> Result<Vec<AuditRecord>> {
        let records = on_tx!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log WHERE jeugdige_id = $1 OR id IN \
             (SELECT audit_id FROM audit_log_client WHERE jeugdige_id = $1) ORDER BY id"
        )))
        .bind(jeugdige_id)
        .fetch_all(&mut *conn)
        .await?);
        let mut found = Vec::with_capacity(records.len());
        for record in records {
            let one: Vec<AuditRecord> = vec![record];
            found.extend(self.with_jeugdigen(one).await?);
        }
        Ok(found)
    }

    /// The record with this id, with its clients.
    async fn audit_record(&mut self, id: i64) -> Result<Option<AuditRecord>> {
        let mut chunk = self.audit_chunk(id - 1, 1).await?;
        Ok(chunk.pop().filter(|r| r.id == id))
    }

    /// The newest record's id, MAC and time: what `jeugdroute audit anker` prints.
    pub async fn audit_head(&mut self) -> Result<Option<ChainHead>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT 1"
        ));
        let record: Option<AuditRecord> = on_tx!(self, |conn| sqlx::query_as(sql)
            .fetch_optional(&mut *conn)
            .await?);
        Ok(record.map(|r| r.head()))
    }

    /// Keeps the outcome of a verification (`audit_check`).
    pub async fn record_audit_check(&mut self, check: &AuditCheck) -> Result<()> {
        on_tx!(self, |conn| sqlx::query(
            "INSERT INTO audit_check (checked_at, whole_chain, checked, up_to_id, up_to_mac, \
             first_bad_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(check.checked_at)
        .bind(check.whole_chain)
        .bind(check.checked)
        .bind(check.up_to_id)
        .bind(check.up_to_mac.as_deref())
        .bind(check.first_bad_id)
        .bind(check.reason.as_deref())
        .execute(&mut *conn)
        .await
        .map(|_| ())?);
        Ok(())
    }

    /// The newest verification; with `intact_only`, the newest that found the
    /// chain whole (the checkpoint start-up continues from).
    pub async fn last_audit_check(&mut self, intact_only: bool) -> Result<Option<AuditCheck>> {
        on_tx!(self, |conn| Ok(sqlx::query_as(
            "SELECT checked_at, whole_chain, checked, up_to_id, up_to_mac, first_bad_id, reason \
             FROM audit_check WHERE ($1 = FALSE OR first_bad_id IS NULL) ORDER BY id DESC LIMIT 1"
        )
        .bind(intact_only)
        .fetch_optional(&mut *conn)
        .await?))
    }
}

/// The state of a walk along the chain.
struct Walk {
    prev: String,
    keyed_seen: bool,
    checked: i64,
    head: Option<ChainHead>,
    witnessed: Option<ChainHead>,
}

impl Walk {
    fn step(&mut self, setup: &AuditSetup, record: &AuditRecord) -> Result<Option<AuditFault>> {
        let fault = |reason: String| {
            Ok(Some(AuditFault {
                id: record.id,
                reason,
            }))
        };
        if let Some(reason) = record.fault(setup, &self.prev, self.keyed_seen)? {
            return fault(reason);
        }
        if let Some(w) = self.witnessed.as_ref().filter(|w| w.id == record.id)
            && w.mac != record.hash
        {
            return fault("wijkt af van de getuige buiten de database: gewijzigd".into());
        }
        self.keyed_seen |= record.mac_version == MAC_KEYED;
        self.prev.clone_from(&record.hash);
        self.checked += 1;
        self.head = Some(record.head());
        Ok(None)
    }

    /// After the last record: the witness may not know a newer one.
    fn end(&self) -> Option<AuditFault> {
        let head_id = self.head.as_ref().map_or(0, |h| h.id);
        match &self.witnessed {
            Some(w) if w.id > head_id => Some(AuditFault {
                id: w.id,
                reason: format!(
                    "regel {} ontbreekt: de getuige kent hem, de database niet (de nieuwste regels zijn verwijderd)",
                    w.id
                ),
            }),
            None if self.keyed_seen => Some(AuditFault {
                id: head_id,
                reason: "de getuige buiten de database ontbreekt of is leeg".into(),
            }),
            _ => None,
        }
    }
}

impl Store {
    /// Verifies the chain against the key and the witness, from the start or,
    /// given a checkpoint (an id and the MAC it had), from that record on. Reads
    /// in chunks of a few thousand records, each in a short read-only
    /// transaction, so no write waits for it and memory stays small.
    pub async fn verify_audit(&self, from: Option<(i64, &str)>) -> Result<AuditVerification> {
        let setup = self.audit_setup()?;
        let mut walk = Walk {
            prev: String::new(),
            keyed_seen: false,
            checked: 0,
            head: None,
            witnessed: setup.witness.newest()?,
        };
        let mut after = 0;
        if let Some((id, mac)) = from {
            let mut tx = self.begin_read().await?;
            let record = tx.audit_record(id).await?;
            drop(tx);
            let Some(record) = record.filter(|r| r.hash == mac) else {
                return Ok(AuditVerification {
                    checked: 0,
                    head: None,
                    fault: Some(AuditFault {
                        id,
                        reason: "de laatst gecontroleerde regel ontbreekt of is gewijzigd".into(),
                    }),
                });
            };
            walk.keyed_seen = record.mac_version == MAC_KEYED;
            walk.prev.clone_from(&record.hash);
            walk.head = Some(record.head());
            after = id;
        }
        loop {
            let mut tx = self.begin_read().await?;
            let chunk = tx.audit_chunk(after, VERIFY_CHUNK).await?;
            drop(tx);
            let Some(last) = chunk.last() else { break };
            after = last.id;
            for record in &chunk {
                if let Some(fault) = walk.step(&setup, record)? {
                    return Ok(walk.verdict(Some(fault)));
                }
            }
        }
        let fault = walk.end();
        Ok(walk.verdict(fault))
    }

    fn audit_setup(&self) -> Result<std::sync::Arc<AuditSetup>> {
        self.audit.clone().ok_or_else(|| {
            StoreError::Audit("geen auditsleutel ingesteld (Store::with_audit)".into())
        })
    }
}

impl Walk {
    fn verdict(self, fault: Option<AuditFault>) -> AuditVerification {
        AuditVerification {
            checked: self.checked,
            head: self.head,
            fault,
        }
    }
}
