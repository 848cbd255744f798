//! The outbox and inbox of iJw messages. A message to send is stored in the same
//! transaction as the decision that caused it, and sent later; a received message
//! is stored whole before it is processed, so nothing is lost on a crash.

use chrono::{DateTime, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

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
}

/// A message received from a provider.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IncomingMessage {
    pub berichtsoort: String,
    /// The sending provider (AGB code).
    pub sender: String,
    /// The receiving gemeente (CBS code).
    pub receiver: String,
    pub body: String,
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
                "INSERT INTO outbox (berichtsoort, sender, receiver, casus_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&message.berichtsoort)
            .bind(&message.sender)
            .bind(&message.receiver)
            .bind(message.casus_id)
            .bind(&message.body)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Up to `max` unsent messages with their ids, oldest first.
    pub async fn outbox_pending(&mut self, max: i64) -> Result<Vec<(i64, OutgoingMessage)>> {
        let rows: Vec<WithId<OutgoingMessage>> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, berichtsoort, sender, receiver, casus_id, body FROM outbox \
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

    pub async fn insert_inbox(
        &mut self,
        message: &IncomingMessage,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO inbox (berichtsoort, sender, receiver, body, received_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&message.berichtsoort)
            .bind(&message.sender)
            .bind(&message.receiver)
            .bind(&message.body)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Up to `max` unprocessed messages with their ids, oldest first.
    pub async fn inbox_pending(&mut self, max: i64) -> Result<Vec<(i64, IncomingMessage)>> {
        let rows: Vec<WithId<IncomingMessage>> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, berichtsoort, sender, receiver, body FROM inbox \
                 WHERE processed_at IS NULL ORDER BY id LIMIT $1",
            )
            .bind(max)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rows.into_iter().map(|r| (r.id, r.message)).collect())
    }

    /// Marks a received message processed; `err` says why processing failed.
    pub async fn mark_inbox_processed(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        err: Option<&str>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE inbox SET processed_at = $2, processing_error = $3 WHERE id = $1")
                .bind(id)
                .bind(at)
                .bind(err)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
