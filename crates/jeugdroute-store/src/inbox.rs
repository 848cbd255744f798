//! The inbox of iJw messages and what processing them writes: every message is
//! kept as the bytes that came in, claimed by one processor at a time, and closed
//! with its outcome; starts and stops land on their allocation; a retour on one of
//! our own messages is matched to it.
//!
//! Claiming is part of the processing transaction: on PostgreSQL the row is taken
//! with `FOR UPDATE SKIP LOCKED`, so several processes work one inbox without ever
//! taking the same message, and a crash releases the claim by rolling back; on
//! SQLite the transaction holds the database's write lock, which serialises
//! processors on its own.

use chrono::{DateTime, NaiveDate, Utc};

use crate::route::{TOEWIJZING_COLUMNS, ToewijzingRow};
use crate::store::{TxInner, on_tx, placeholders};
use crate::transport::RECEIVER_HOSTED;
use crate::{Result, Toewijzing, Tx};

/// A message as it arrived, before processing. The header fields are what could
/// be read from it at receipt (`None` when it could not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncoming<'a> {
    /// How it came in: `intern`, `api`, `map` or `ggk`.
    pub channel: &'a str,
    pub body: &'a [u8],
    /// BLAKE2b-256 of the body: the same message twice has the same digest.
    pub digest: &'a [u8; 32],
    pub berichtsoort: Option<&'a str>,
    pub sender: Option<&'a str>,
    pub receiver: Option<&'a str>,
    pub identificatie: Option<&'a str>,
}

/// A received message, as the inbox holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Incoming {
    pub id: i64,
    pub channel: String,
    pub body: Vec<u8>,
    pub digest: Vec<u8>,
    pub berichtsoort: Option<String>,
    pub sender: Option<String>,
    pub receiver: Option<String>,
    pub identificatie: Option<String>,
    /// `ontvangen`, `verwerkt`, `afgekeurd`, `onleesbaar` or `dubbel`.
    pub state: String,
    /// Why it was refused or could not be read, in Dutch.
    pub reason: Option<String>,
    /// The findings as JSON (an array of objects with rule, code, element, message).
    pub findings: Option<String>,
    pub retour_id: Option<i64>,
    pub casus_id: Option<i64>,
    pub received_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

/// A message taken for processing.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    #[sqlx(flatten)]
    pub message: Incoming,
    /// A message with the same bytes came in before it: it may be a duplicate.
    pub seen_before: bool,
    /// Another message of this sender and type has its Identificatie: it may
    /// break TR056 ([`Tx::identificatie_used`] tells).
    pub identificatie_seen: bool,
}

/// What a party code names in this installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partijsoort {
    Gemeente,
    Aanbieder,
}

/// How processing ended for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// `verwerkt`, `afgekeurd`, `onleesbaar` or `dubbel`.
    pub state: &'a str,
    pub reason: Option<&'a str>,
    pub findings: Option<&'a str>,
    pub retour_id: Option<i64>,
    pub casus_id: Option<i64>,
}

/// A claimed message with how its processing ended, at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing<'a> {
    pub id: i64,
    pub outcome: Outcome<'a>,
    pub at: DateTime<Utc>,
}

/// Seven values a row, well below either backend's limit of bound values.
const CLOSINGS_PER_UPDATE: usize = 500;

/// A start (JW305) or stop (JW307) reported on an allocation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Levering {
    pub id: i64,
    pub gemeente_code: String,
    pub toewijzing_nummer: i64,
    /// `start` or `stop`.
    pub soort: String,
    pub begindatum: NaiveDate,
    /// Only on a stop.
    pub einddatum: Option<NaiveDate>,
    /// The RedenBeeindiging (JZ588) of a stop.
    pub reden_beeindiging: Option<String>,
    /// Product/Categorie and Product/Code as sent.
    pub product_categorie: Option<String>,
    pub product_code: Option<String>,
    pub inbox_id: i64,
    /// The message that removed it (StatusAanlevering 3), if any.
    pub removed_by: Option<i64>,
}

/// A youth's allocations from one gemeente to one provider, each with the
/// youth's id, and the starts and stops on them, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientToewijzingen {
    pub toewijzingen: Vec<(Toewijzing, i64)>,
    pub leveringen: Vec<Levering>,
}

/// An allocation with one of its starts or stops, or none.
#[derive(sqlx::FromRow)]
struct ToewijzingLeveringRow {
    #[sqlx(flatten)]
    toewijzing: ToewijzingRow,
    jeugdige_id: i64,
    levering_id: Option<i64>,
    soort: Option<String>,
    begindatum: Option<NaiveDate>,
    einddatum: Option<NaiveDate>,
    reden_beeindiging: Option<String>,
    product_categorie: Option<String>,
    product_code: Option<String>,
    inbox_id: Option<i64>,
    removed_by: Option<i64>,
}

impl ToewijzingLeveringRow {
    fn levering(&self, gemeente: &str) -> Option<Levering> {
        Some(Levering {
            id: self.levering_id?,
            gemeente_code: gemeente.to_owned(),
            toewijzing_nummer: self.toewijzing.nummer,
            soort: self.soort.clone()?,
            begindatum: self.begindatum?,
            einddatum: self.einddatum,
            reden_beeindiging: self.reden_beeindiging.clone(),
            product_categorie: self.product_categorie.clone(),
            product_code: self.product_code.clone(),
            inbox_id: self.inbox_id?,
            removed_by: self.removed_by,
        })
    }
}

const LEVERING_COLUMNS: &str = "l.id, l.gemeente_code, l.toewijzing_nummer, l.soort, \
     l.begindatum, l.einddatum, l.reden_beeindiging, l.product_categorie, l.product_code, \
     l.inbox_id, l.removed_by";

const INCOMING_COLUMNS: &str = "id, channel, body, digest, berichtsoort, sender, receiver, \
     identificatie, state, reason, findings, retour_id, casus_id, received_at, processed_at";

impl Tx {
    /// Keeps a message that came in; it waits as `ontvangen`.
    pub async fn receive(&mut self, m: &NewIncoming<'_>, at: DateTime<Utc>) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO inbox (channel, body, digest, berichtsoort, sender, receiver, \
                 identificatie, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(m.channel)
            .bind(m.body)
            .bind(m.digest.as_slice())
            .bind(m.berichtsoort)
            .bind(m.sender)
            .bind(m.receiver)
            .bind(m.identificatie)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Takes waiting messages for this transaction, oldest first: message `id`,
    /// or up to `limit` of them (`None`). Each holds its bytes, so a batch holds
    /// at most `limit` × 25 MB (OP179). On PostgreSQL a message another process
    /// holds is skipped. A message whose bytes an earlier message still waiting
    /// has is not taken before that one is done, so two processes never judge
    /// the same bytes at once (the second becomes `dubbel`).
    pub async fn claim_incoming(&mut self, id: Option<i64>, limit: i64) -> Result<Vec<Claimed>> {
        // One text per case, so the index on (state, id) serves it: PostgreSQL's
        // generic plan for `$1 IS NULL OR id = $1` scanned the whole waiting inbox.
        // The candidates are chosen by id alone, so a plan that sorts them sorts
        // numbers, not messages; the copy check is a lookup in the waiting
        // digests' index, kept one per candidate by `OFFSET 0` (as an anti-join
        // PostgreSQL hashed the whole waiting inbox for every claim).
        let which = match id {
            Some(_) => "c.id = $1",
            None => "$1 IS NULL",
        };
        let (fence, lock) = match self.inner {
            TxInner::Sqlite(_) => ("", ""),
            TxInner::Postgres(_) => ("OFFSET 0", "FOR UPDATE SKIP LOCKED"),
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {INCOMING_COLUMNS}, EXISTS (SELECT 1 FROM inbox e \
             WHERE e.digest = inbox.digest AND e.id < inbox.id) AS seen_before, \
             EXISTS (SELECT 1 FROM inbox u WHERE u.sender = inbox.sender \
             AND u.berichtsoort = inbox.berichtsoort AND u.identificatie = inbox.identificatie \
             AND u.id <> inbox.id) AS identificatie_seen \
             FROM inbox WHERE id IN (SELECT c.id FROM inbox c \
             WHERE c.state = 'ontvangen' AND {which} \
             AND NOT EXISTS (SELECT 1 FROM inbox w WHERE w.digest = c.digest \
             AND w.state = 'ontvangen' AND w.id < c.id {fence}) ORDER BY c.id LIMIT $2 {lock}) \
             ORDER BY id"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?))
    }

    /// Closes claimed messages with their outcomes, many per statement: a batch
    /// of messages is closed in one round trip, not one per message.
    pub async fn finish_incoming(&mut self, closings: &[Closing<'_>]) -> Result<()> {
        for chunk in closings.chunks(CLOSINGS_PER_UPDATE) {
            on_tx!(self, |conn| {
                let mut update = sqlx::QueryBuilder::new(
                    "UPDATE inbox SET state = v.column2, reason = v.column3, \
                     findings = v.column4, retour_id = v.column5, casus_id = v.column6, \
                     processed_at = v.column7 FROM (",
                );
                update.push_values(chunk, |mut row, c| {
                    row.push_bind(c.id)
                        .push_bind(c.outcome.state)
                        .push_bind(c.outcome.reason)
                        .push_bind(c.outcome.findings)
                        .push_bind(c.outcome.retour_id)
                        .push_bind(c.outcome.casus_id)
                        .push_bind(c.at);
                });
                update.push(") AS v WHERE inbox.id = v.column1 AND inbox.state = 'ontvangen'");
                update.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    /// The earliest processed message with these bytes, other than `id`: a message
    /// that came twice is answered again, never applied again.
    pub async fn processed_with_digest(
        &mut self,
        digest: &[u8],
        id: i64,
    ) -> Result<Option<Incoming>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {INCOMING_COLUMNS} FROM inbox WHERE digest = $1 AND id <> $2 \
             AND state IN ('verwerkt', 'afgekeurd', 'onleesbaar') ORDER BY id LIMIT 1"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(digest)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?))
    }

    /// The Identificaties this sender already used for this message type, other
    /// than on message `id`, among those given (TR056).
    pub async fn identificatie_used(
        &mut self,
        sender: &str,
        berichtsoort: &str,
        identificatie: &str,
        id: i64,
    ) -> Result<bool> {
        let found: Option<i64> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT id FROM inbox WHERE sender = $1 AND berichtsoort = $2 \
                 AND identificatie = $3 AND id <> $4 AND state IN ('verwerkt', 'afgekeurd') LIMIT 1",
            )
            .bind(sender)
            .bind(berichtsoort)
            .bind(identificatie)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        });
        Ok(found.is_some())
    }

    /// One received message.
    pub async fn incoming(&mut self, id: i64) -> Result<Option<Incoming>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {INCOMING_COLUMNS} FROM inbox WHERE id = $1"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?))
    }

    /// Received messages, newest first, `limit` at most, before id `before`
    /// (keyset paging): those for the parties given, or all (`None`, for the
    /// beheerder, who also sees those whose receiver could not be read).
    pub async fn inbox_of(
        &mut self,
        receivers: Option<&[String]>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Incoming>> {
        let scope = match receivers {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            Some(list) => format!("AND receiver IN ({})", placeholders(3, list.len())),
        };
        let sql = format!(
            "SELECT {INCOMING_COLUMNS} FROM inbox WHERE id < $1 {scope} ORDER BY id DESC LIMIT $2"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit);
            for receiver in receivers.unwrap_or_default() {
                query = query.bind(receiver);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }

    /// The number of received messages in each state.
    pub async fn inbox_counts(&mut self) -> Result<Vec<(String, i64)>> {
        Ok(on_tx!(self, |conn| sqlx::query_as(
            "SELECT state, COUNT(*) FROM inbox GROUP BY state ORDER BY state"
        )
        .fetch_all(&mut *conn)
        .await?))
    }

    /// Our own message that a retour answers: sent by `sender` (the retour's
    /// receiver) as `berichtsoort` with this Identificatie.
    pub async fn outbox_answered(
        &mut self,
        sender: &str,
        berichtsoort: &str,
        identificatie: &str,
    ) -> Result<Option<(i64, Option<i64>)>> {
        Ok(on_tx!(self, |conn| sqlx::query_as(
            "SELECT id, casus_id FROM outbox WHERE sender = $1 AND berichtsoort = $2 \
             AND identificatie = $3 ORDER BY id DESC LIMIT 1"
        )
        .bind(sender)
        .bind(berichtsoort)
        .bind(identificatie)
        .fetch_optional(&mut *conn)
        .await?))
    }

    /// Records what the receiver's retour said of our message.
    pub async fn record_retour(
        &mut self,
        outbox_id: i64,
        inbox_id: i64,
        approved: bool,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE outbox SET retour_inbox_id = $2, retour_state = $3 WHERE id = $1")
                .bind(outbox_id)
                .bind(inbox_id)
                .bind(if approved { "goedgekeurd" } else { "afgekeurd" })
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Stores a start or stop reported on an allocation.
    pub async fn insert_levering(&mut self, l: &Levering, at: DateTime<Utc>) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO levering (gemeente_code, toewijzing_nummer, soort, begindatum, \
                 einddatum, reden_beeindiging, product_categorie, product_code, inbox_id, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(&l.gemeente_code)
            .bind(l.toewijzing_nummer)
            .bind(&l.soort)
            .bind(l.begindatum)
            .bind(l.einddatum)
            .bind(&l.reden_beeindiging)
            .bind(&l.product_categorie)
            .bind(&l.product_code)
            .bind(l.inbox_id)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Marks a start or stop removed by a later message (StatusAanlevering 3).
    pub async fn remove_levering(&mut self, id: i64, by: i64) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE levering SET removed_by = $2 WHERE id = $1 AND removed_by IS NULL")
                .bind(id)
                .bind(by)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// The starts and stops of an allocation, in force or removed, oldest first.
    pub async fn leveringen(&mut self, gemeente: &str, nummer: i64) -> Result<Vec<Levering>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {LEVERING_COLUMNS} FROM levering l \
             WHERE l.gemeente_code = $1 AND l.toewijzing_nummer = $2 ORDER BY l.id"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(gemeente)
            .bind(nummer)
            .fetch_all(&mut *conn)
            .await?))
    }

    /// Every allocation of a gemeente to a provider for the youth with this BSN,
    /// with the youth's id, and the starts and stops on them (in force or
    /// removed, oldest first): what the rules across messages need of them, in
    /// one question.
    pub async fn toewijzingen_van_client(
        &mut self,
        gemeente: &str,
        aanbieder: &str,
        bsn: &str,
    ) -> Result<ClientToewijzingen> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TOEWIJZING_COLUMNS}, c.jeugdige_id, l.id AS levering_id, l.soort, \
             l.begindatum, l.einddatum, l.reden_beeindiging, l.product_categorie, l.product_code, \
             l.inbox_id, l.removed_by FROM toewijzing t JOIN casus c ON c.id = t.casus_id \
             JOIN jeugdige j ON j.id = c.jeugdige_id LEFT JOIN levering l \
             ON l.gemeente_code = t.gemeente_code AND l.toewijzing_nummer = t.nummer \
             WHERE t.gemeente_code = $1 AND t.aanbieder_agb = $2 AND j.bsn = $3 ORDER BY t.id, l.id"
        ));
        let rows: Vec<ToewijzingLeveringRow> = on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(gemeente)
            .bind(aanbieder)
            .bind(bsn)
            .fetch_all(&mut *conn)
            .await?);
        let mut found = ClientToewijzingen::default();
        for row in rows {
            let levering = row.levering(gemeente);
            if found.toewijzingen.last().map(|(t, _)| t.nummer) != Some(row.toewijzing.nummer) {
                let t = Toewijzing::try_from(row.toewijzing)?;
                found.toewijzingen.push((t, row.jeugdige_id));
            }
            found.leveringen.extend(levering);
        }
        found.leveringen.sort_by_key(|l| l.id);
        Ok(found)
    }

    /// What a party code (a gemeente's CBS code or a provider's AGB code) names
    /// in this installation; `None` when it is not kept here, so messages to it
    /// are neither received nor delivered here.
    pub async fn partij(&mut self, code: &str) -> Result<Option<Partijsoort>> {
        let found: Option<String> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT 'gemeente' FROM gemeente WHERE cbs_code = $1 \
                 UNION ALL SELECT 'aanbieder' FROM aanbieder WHERE agb_code = $1 LIMIT 1",
            )
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?
        });
        Ok(found.map(|soort| {
            if soort == "aanbieder" {
                Partijsoort::Aanbieder
            } else {
                Partijsoort::Gemeente
            }
        }))
    }

    /// The case of an allocation and its youth, by the gemeente and its
    /// ToewijzingNummer.
    pub async fn casus_van_toewijzing(
        &mut self,
        gemeente: &str,
        nummer: i64,
    ) -> Result<Option<(i64, i64)>> {
        Ok(on_tx!(self, |conn| sqlx::query_as(
            "SELECT t.casus_id, c.jeugdige_id FROM toewijzing t JOIN casus c ON c.id = t.casus_id \
             WHERE t.gemeente_code = $1 AND t.nummer = $2"
        )
        .bind(gemeente)
        .bind(nummer)
        .fetch_optional(&mut *conn)
        .await?))
    }

    /// Puts a copy of an earlier outgoing message in the outbox again, now as the
    /// answer to received message `answers`: the answer to a message that came twice.
    pub async fn resend_outbox(&mut self, id: i64, answers: i64, at: DateTime<Utc>) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO outbox (berichtsoort, sender, receiver, casus_id, body, created_at, \
                 identificatie, answers_id) SELECT berichtsoort, sender, receiver, casus_id, body, \
                 $2, identificatie, $3 FROM outbox WHERE id = $1 RETURNING id",
            )
            .bind(id)
            .bind(at)
            .bind(answers)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Up to `max` unsent messages to parties of this installation, oldest first,
    /// taken for this transaction (on PostgreSQL skipping those another process
    /// holds): delivered to the inbox and marked sent in the same transaction.
    pub async fn claim_internal_outbox(&mut self, max: i64) -> Result<Vec<(i64, String)>> {
        let base = format!(
            "SELECT o.id, o.body FROM outbox o WHERE o.sent_at IS NULL AND {RECEIVER_HOSTED} \
             ORDER BY o.id LIMIT $1"
        );
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => {
                sqlx::query_as(sqlx::AssertSqlSafe(base))
                    .bind(max)
                    .fetch_all(&mut **tx)
                    .await?
            }
            TxInner::Postgres(tx) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{base} FOR UPDATE OF o SKIP LOCKED"
                )))
                .bind(max)
                .fetch_all(&mut **tx)
                .await?
            }
        })
    }
}
