//! The outbox of iJw messages: a message to send is stored in the same
//! transaction as the decision that caused it, and delivered later (the inbox,
//! for what comes in, is inbox.rs).

use chrono::{DateTime, Utc};

use crate::store::{on_tx, placeholders};
use crate::{Result, StoreError, Tx};

/// Eight values a row, well below either backend's limit of bound values.
const ANSWERS_PER_INSERT: usize = 500;

/// A message waiting in (or taken from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutgoingMessage {
    /// The iJw message type, e.g. `JW301`.
    pub berichtsoort: String,
    /// The sending gemeente (CBS code).
    pub sender: String,
    /// The receiving provider (AGB code).
    pub receiver: String,
    pub casus_id: Option<i64>,
    /// The XML of the message.
    pub body: String,
    /// Its BerichtIdentificatie, to match the retour that answers it.
    pub identificatie: Option<String>,
    /// The received message it answers (a retour, a JW319 or a JW325).
    pub answers_id: Option<i64>,
}

/// A message in the outbox with where it stands: sent, and what the receiver's
/// retour said of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Outgoing {
    pub id: i64,
    #[sqlx(flatten)]
    pub message: OutgoingMessage,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// `goedgekeurd` or `afgekeurd`, once the retour came.
    pub retour_state: Option<String>,
    pub retour_inbox_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct WithId<T> {
    id: i64,
    #[sqlx(flatten)]
    message: T,
}

impl Tx {
    pub async fn enqueue_outbox(
        &mut self,
        message: &OutgoingMessage,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO outbox (berichtsoort, sender, receiver, casus_id, body, created_at, \
                 identificatie, answers_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&message.berichtsoort)
            .bind(&message.sender)
            .bind(&message.receiver)
            .bind(message.casus_id)
            .bind(&message.body)
            .bind(at)
            .bind(&message.identificatie)
            .bind(message.answers_id)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Puts answers to received messages in the outbox, many per statement, and
    /// gives their ids in the order given. Each must answer a message
    /// (`answers_id`), and a different one: that is how an id is matched to its
    /// answer, as neither backend promises the order of the rows it returns.
    pub async fn enqueue_answers(
        &mut self,
        answers: &[(&OutgoingMessage, DateTime<Utc>)],
    ) -> Result<Vec<i64>> {
        let mut ids: Vec<(i64, i64)> = Vec::with_capacity(answers.len());
        for chunk in answers.chunks(ANSWERS_PER_INSERT) {
            let rows: Vec<(i64, Option<i64>)> = on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO outbox (berichtsoort, sender, receiver, casus_id, body, \
                     created_at, identificatie, answers_id) ",
                );
                insert.push_values(chunk, |mut row, (m, at)| {
                    row.push_bind(&m.berichtsoort)
                        .push_bind(&m.sender)
                        .push_bind(&m.receiver)
                        .push_bind(m.casus_id)
                        .push_bind(&m.body)
                        .push_bind(at)
                        .push_bind(&m.identificatie)
                        .push_bind(m.answers_id);
                });
                insert.push(" RETURNING id, answers_id");
                insert.build_query_as().fetch_all(&mut *conn).await?
            });
            ids.extend(
                rows.into_iter()
                    .filter_map(|(id, answers)| Some((answers?, id))),
            );
        }
        answers
            .iter()
            .map(|(m, _)| {
                let answered = m.answers_id?;
                ids.iter().find(|(a, _)| *a == answered).map(|(_, id)| *id)
            })
            .collect::<Option<Vec<i64>>>()
            .ok_or(StoreError::NotFound("antwoord in de outbox"))
    }

    /// Up to `max` unsent messages with their ids, oldest first.
    pub async fn outbox_pending(&mut self, max: i64) -> Result<Vec<(i64, OutgoingMessage)>> {
        let rows: Vec<WithId<OutgoingMessage>> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, berichtsoort, sender, receiver, casus_id, body, identificatie, answers_id FROM outbox \
                 WHERE sent_at IS NULL ORDER BY id LIMIT $1",
            )
            .bind(max)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rows.into_iter().map(|r| (r.id, r.message)).collect())
    }

    pub async fn mark_outbox_sent(&mut self, id: i64, at: DateTime<Utc>) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE outbox SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
                .bind(id)
                .bind(at)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Outgoing messages, newest first, `limit` at most, before id `before`
    /// (keyset paging): those from or to the parties given, or all (`None`).
    pub async fn outbox_of(
        &mut self,
        parties: Option<&[String]>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Outgoing>> {
        let scope = match parties {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            Some(list) => {
                let list = placeholders(3, list.len());
                format!("AND (sender IN ({list}) OR receiver IN ({list}))")
            }
        };
        let sql = format!(
            "SELECT id, berichtsoort, sender, receiver, casus_id, body, identificatie, answers_id, \
             created_at, sent_at, retour_state, retour_inbox_id FROM outbox \
             WHERE id < $1 {scope} ORDER BY id DESC LIMIT $2"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit);
            for party in parties.unwrap_or_default() {
                query = query.bind(party);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }
}
