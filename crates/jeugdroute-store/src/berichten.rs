//! The outbox and inbox of iJw messages. A message to send is stored in the same
//! transaction as the decision that caused it, and sent later; a received message
//! is stored whole before it is processed, so nothing is lost on a crash.

use chrono::{DateTime, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// A message waiting in (or taken from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UitgaandBericht {
    /// The iJw message type, e.g. `JW301`.
    pub berichtsoort: String,
    /// The sending gemeente (CBS code).
    pub afzender: String,
    /// The receiving provider (AGB code).
    pub ontvanger: String,
    pub casus_id: Option<i64>,
    /// The XML of the message.
    pub inhoud: String,
}

/// A message received from a provider.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InkomendBericht {
    pub berichtsoort: String,
    /// The sending provider (AGB code).
    pub afzender: String,
    /// The receiving gemeente (CBS code).
    pub ontvanger: String,
    pub inhoud: String,
}

#[derive(sqlx::FromRow)]
struct Genummerd<T> {
    id: i64,
    #[sqlx(flatten)]
    bericht: T,
}

impl Tx {
    pub async fn outbox_plaatsen(
        &mut self,
        bericht: &UitgaandBericht,
        tijdstip: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO outbox (berichtsoort, afzender, ontvanger, casus_id, inhoud, aangemaakt_op) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&bericht.berichtsoort)
            .bind(&bericht.afzender)
            .bind(&bericht.ontvanger)
            .bind(bericht.casus_id)
            .bind(&bericht.inhoud)
            .bind(tijdstip)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Up to `max` unsent messages with their ids, oldest first.
    pub async fn outbox_te_verzenden(&mut self, max: i64) -> Result<Vec<(i64, UitgaandBericht)>> {
        let rijen: Vec<Genummerd<UitgaandBericht>> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, berichtsoort, afzender, ontvanger, casus_id, inhoud FROM outbox \
                 WHERE verzonden_op IS NULL ORDER BY id LIMIT $1",
            )
            .bind(max)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rijen.into_iter().map(|r| (r.id, r.bericht)).collect())
    }

    pub async fn outbox_verzonden(&mut self, id: i64, tijdstip: DateTime<Utc>) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "UPDATE outbox SET verzonden_op = $2 WHERE id = $1 AND verzonden_op IS NULL",
            )
            .bind(id)
            .bind(tijdstip)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    pub async fn inbox_ontvangen(
        &mut self,
        bericht: &InkomendBericht,
        tijdstip: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO inbox (berichtsoort, afzender, ontvanger, inhoud, ontvangen_op) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&bericht.berichtsoort)
            .bind(&bericht.afzender)
            .bind(&bericht.ontvanger)
            .bind(&bericht.inhoud)
            .bind(tijdstip)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Up to `max` unprocessed messages with their ids, oldest first.
    pub async fn inbox_te_verwerken(&mut self, max: i64) -> Result<Vec<(i64, InkomendBericht)>> {
        let rijen: Vec<Genummerd<InkomendBericht>> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, berichtsoort, afzender, ontvanger, inhoud FROM inbox \
                 WHERE verwerkt_op IS NULL ORDER BY id LIMIT $1",
            )
            .bind(max)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rijen.into_iter().map(|r| (r.id, r.bericht)).collect())
    }

    /// Marks a received message processed; `fout` says why processing failed.
    pub async fn inbox_verwerkt(
        &mut self,
        id: i64,
        tijdstip: DateTime<Utc>,
        fout: Option<&str>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE inbox SET verwerkt_op = $2, verwerkingsfout = $3 WHERE id = $1")
                .bind(id)
                .bind(tijdstip)
                .bind(fout)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
