//! The message desk's reading of the inbox and outbox: pages of messages
//! without their bodies, scoped to the parties a user may see and filtered in
//! the query; one message with what answered it; the open deadlines counted; and
//! for a provider's own system its outgoing messages after a cursor, with the
//! acknowledgement that it received one.

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::{on_tx, placeholders};
use crate::{Result, Tx};

/// Which messages of a box a page shows, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BerichtFilter<'a> {
    /// The parties (CBS or AGB codes) whose messages are shown, or every
    /// message (`None`). In the inbox the receiver, in the outbox the sender or
    /// the receiver.
    pub parties: Option<&'a [String]>,
    /// Inbox: `ontvangen`, `verwerkt`, `afgekeurd`, `onleesbaar` or `dubbel`;
    /// outbox: `wachtend`, `verzonden`, `goedgekeurd` or `afgekeurd`.
    pub state: Option<&'a str>,
    /// The message type, e.g. `JW305`.
    pub berichtsoort: Option<&'a str>,
    /// Only messages with a smaller id (keyset paging).
    pub before: Option<i64>,
    pub limit: i64,
}

/// A received message as a list shows it: everything but its bytes, with the
/// youth of its case and when its answer left.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxRegel {
    pub id: i64,
    pub channel: String,
    pub berichtsoort: Option<String>,
    pub sender: Option<String>,
    pub receiver: Option<String>,
    pub identificatie: Option<String>,
    pub state: String,
    pub reason: Option<String>,
    /// The findings as JSON (see `Incoming::findings`).
    pub findings: Option<String>,
    pub retour_id: Option<i64>,
    pub casus_id: Option<i64>,
    pub jeugdige_id: Option<i64>,
    pub received_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
    /// When the retour (or JW325) that answers it was sent, if it was.
    pub retour_sent_at: Option<DateTime<Utc>>,
}

/// An outgoing message as a list shows it: everything but its bytes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRegel {
    pub id: i64,
    pub berichtsoort: String,
    pub sender: String,
    pub receiver: String,
    pub identificatie: Option<String>,
    pub casus_id: Option<i64>,
    pub jeugdige_id: Option<i64>,
    /// The received message it answers.
    pub answers_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// `goedgekeurd` or `afgekeurd`, once the receiver's retour came.
    pub retour_state: Option<String>,
    pub retour_inbox_id: Option<i64>,
    /// When that retour came in.
    pub retour_received_at: Option<DateTime<Utc>>,
    /// When the provider's own system confirmed it received the message.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// An outgoing message with its XML.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Uitgaand {
    #[sqlx(flatten)]
    pub regel: OutboxRegel,
    pub body: String,
}

/// The last days that split open deadlines into passed, near and running: a
/// deadline whose start lies before `verlopen` has passed, one before `bijna`
/// is near (see `jeugdroute_domain::Berichttermijn::verlopen_voor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grenzen {
    pub verlopen: DateTime<Utc>,
    pub bijna: DateTime<Utc>,
}

/// What this installation owes, by kind of deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenTermijnen {
    pub bijna: i64,
    pub verlopen: i64,
}

const INBOX_REGEL: &str = "SELECT i.id, i.channel, i.berichtsoort, i.sender, i.receiver, \
     i.identificatie, i.state, i.reason, i.findings, i.retour_id, i.casus_id, c.jeugdige_id, \
     i.received_at, i.processed_at, r.sent_at AS retour_sent_at FROM inbox i \
     LEFT JOIN casus c ON c.id = i.casus_id LEFT JOIN outbox r ON r.id = i.retour_id";

const OUTBOX_REGEL: &str = "SELECT o.id, o.berichtsoort, o.sender, o.receiver, o.identificatie, \
     o.casus_id, c.jeugdige_id, o.answers_id, o.created_at, o.sent_at, o.retour_state, \
     o.retour_inbox_id, ri.received_at AS retour_received_at, o.acknowledged_at";

const OUTBOX_FROM: &str = "FROM outbox o LEFT JOIN casus c ON c.id = o.casus_id \
     LEFT JOIN inbox ri ON ri.id = o.retour_inbox_id";

/// Where an outgoing message stands, as the filter names it.
const OUTBOX_STATE: &str = "CASE WHEN o.retour_state IS NOT NULL THEN o.retour_state \
     WHEN o.sent_at IS NULL THEN 'wachtend' ELSE 'verzonden' END";

impl Tx {
    /// A page of received messages, newest first (see [`BerichtFilter`]).
    pub async fn inbox_regels(&mut self, f: &BerichtFilter<'_>) -> Result<Vec<InboxRegel>> {
        let scope = match f.parties {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            Some(list) => format!("AND i.receiver IN ({})", placeholders(5, list.len())),
        };
        let sql = format!(
            "{INBOX_REGEL} WHERE i.id < $1 AND ($2 IS NULL OR i.state = $2) \
             AND ($3 IS NULL OR i.berichtsoort = $3) {scope} ORDER BY i.id DESC LIMIT $4"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(f.before.unwrap_or(i64::MAX))
                .bind(f.state)
                .bind(f.berichtsoort)
                .bind(f.limit);
            for party in f.parties.unwrap_or_default() {
                query = query.bind(party);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }

    /// A page of outgoing messages, newest first (see [`BerichtFilter`]).
    pub async fn outbox_regels(&mut self, f: &BerichtFilter<'_>) -> Result<Vec<OutboxRegel>> {
        let scope = match f.parties {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            Some(list) => {
                let list = placeholders(5, list.len());
                format!("AND (o.sender IN ({list}) OR o.receiver IN ({list}))")
            }
        };
        let sql = format!(
            "{OUTBOX_REGEL} {OUTBOX_FROM} WHERE o.id < $1 AND ($2 IS NULL OR {OUTBOX_STATE} = $2) \
             AND ($3 IS NULL OR o.berichtsoort = $3) {scope} ORDER BY o.id DESC LIMIT $4"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(f.before.unwrap_or(i64::MAX))
                .bind(f.state)
                .bind(f.berichtsoort)
                .bind(f.limit);
            for party in f.parties.unwrap_or_default() {
                query = query.bind(party);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }

    /// One received message as a list shows it.
    pub async fn inbox_regel(&mut self, id: i64) -> Result<Option<InboxRegel>> {
        let sql = sqlx::AssertSqlSafe(format!("{INBOX_REGEL} WHERE i.id = $1"));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?))
    }

    /// One outgoing message with its XML.
    pub async fn uitgaand(&mut self, id: i64) -> Result<Option<Uitgaand>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{OUTBOX_REGEL}, o.body {OUTBOX_FROM} WHERE o.id = $1"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?))
    }

    /// The outgoing messages that answer received messages `ids` (their retour,
    /// a JW301 or JW319 on a request, a JW325), oldest first.
    pub async fn antwoorden_op(&mut self, ids: &[i64]) -> Result<Vec<Uitgaand>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{OUTBOX_REGEL}, o.body {OUTBOX_FROM} WHERE o.answers_id IN ({}) ORDER BY o.id",
            placeholders(1, ids.len())
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }

    /// The number of received messages of these types that still owe their
    /// answer: waiting to be processed, or answered by a message not yet sent.
    /// A request (JW315, JW317) owes its JW301 or JW319 while none was made.
    pub async fn open_termijnen(
        &mut self,
        berichtsoorten: &[&str],
        verzoek: bool,
        grenzen: Grenzen,
    ) -> Result<OpenTermijnen> {
        if berichtsoorten.is_empty() {
            return Ok(OpenTermijnen::default());
        }
        let open = if verzoek {
            "i.state = 'verwerkt' AND NOT EXISTS (SELECT 1 FROM outbox a WHERE a.answers_id = i.id \
             AND a.berichtsoort IN ('JW301', 'JW319'))"
        } else {
            "(i.state = 'ontvangen' OR (i.retour_id IS NOT NULL AND r.sent_at IS NULL))"
        };
        let sql = format!(
            "SELECT \
             COALESCE(SUM(CASE WHEN i.received_at >= $1 AND i.received_at < $2 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN i.received_at < $1 THEN 1 ELSE 0 END), 0) \
             FROM inbox i LEFT JOIN outbox r ON r.id = i.retour_id \
             WHERE {open} AND i.berichtsoort IN ({})",
            placeholders(3, berichtsoorten.len())
        );
        let (bijna, verlopen): (i64, i64) = on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(grenzen.verlopen)
                .bind(grenzen.bijna);
            for soort in berichtsoorten {
                query = query.bind(*soort);
            }
            query.fetch_one(&mut *conn).await?
        });
        Ok(OpenTermijnen { bijna, verlopen })
    }

    /// The requests answered "aanvraag in onderzoek" that still owe their final
    /// answer, by their (eight-week) last day: on or before `bijna_tot` but not
    /// passed (near), or before `vandaag` (passed).
    pub async fn onderzoek_termijnen(
        &mut self,
        vandaag: NaiveDate,
        bijna_tot: NaiveDate,
    ) -> Result<OpenTermijnen> {
        let (bijna, verlopen): (i64, i64) = on_tx!(self, |conn| sqlx::query_as(
            "SELECT \
             COALESCE(SUM(CASE WHEN deadline >= $1 AND deadline <= $2 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN deadline < $1 THEN 1 ELSE 0 END), 0) \
             FROM verzoek WHERE state = 'in_onderzoek'"
        )
        .bind(vandaag)
        .bind(bijna_tot)
        .fetch_one(&mut *conn)
        .await?);
        Ok(OpenTermijnen { bijna, verlopen })
    }

    /// The number of outgoing messages not sent yet.
    pub async fn outbox_wachtend(&mut self) -> Result<i64> {
        Ok(on_tx!(self, |conn| sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"
        )
        .fetch_one(&mut *conn)
        .await?))
    }

    /// Up to `limit` outgoing messages to `receiver` after id `after`, oldest
    /// first, with their XML: what a provider's own system fetches.
    pub async fn uitgaand_voor(
        &mut self,
        receiver: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Uitgaand>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{OUTBOX_REGEL}, o.body {OUTBOX_FROM} WHERE o.receiver = $1 AND o.id > $2 \
             ORDER BY o.id LIMIT $3"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(receiver)
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?))
    }

    /// Records that `receiver`'s own system received outgoing message `id` (the
    /// first time counts); `None` when no such message is addressed to it.
    pub async fn bevestig_ontvangst(
        &mut self,
        id: i64,
        receiver: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<OutboxRegel>> {
        let updated: Option<i64> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "UPDATE outbox SET acknowledged_at = COALESCE(acknowledged_at, $3) \
                 WHERE id = $1 AND receiver = $2 RETURNING id",
            )
            .bind(id)
            .bind(receiver)
            .bind(at)
            .fetch_optional(&mut *conn)
            .await?
        });
        match updated {
            Some(id) => Ok(self.uitgaand(id).await?.map(|u| u.regel)),
            None => Ok(None),
        }
    }
}
