//! Carrying messages across the edge of this installation: outgoing messages to
//! parties that are not kept here (written to a folder, plain or in the StUF-GGk
//! envelope), the envelope numbers that tie a message to its envelope, and the
//! knooppunt's routing errors (StUF `Fo01`).

use chrono::{DateTime, Utc};

use crate::store::{TxInner, on_tx, placeholders};
use crate::{Result, Tx};

/// The condition on outbox row `o` that its receiver is a party of this
/// installation (a gemeente's CBS code or a provider's AGB code): such a message
/// is delivered to the inbox here, any other leaves by a transport.
pub(crate) const RECEIVER_HOSTED: &str = "(EXISTS (SELECT 1 FROM gemeente g WHERE \
     g.cbs_code = o.receiver) OR EXISTS (SELECT 1 FROM aanbieder a WHERE a.agb_code = o.receiver))";

/// An outgoing message to a party outside this installation, as a transport
/// needs it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Export {
    pub id: i64,
    pub berichtsoort: String,
    pub sender: String,
    pub receiver: String,
    pub identificatie: Option<String>,
    pub body: String,
    /// The referentienummer of its StUF-GGk envelope, once given.
    pub ggk_referentienummer: Option<String>,
    /// The referentienummer of the envelope in which the message it answers came
    /// (the `crossRefnummer` of a `Du01`), when that came from the GGk.
    pub ggk_cross_refnummer: Option<String>,
}

/// Which outgoing messages a transport takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uitweg {
    /// Every message to a party outside this installation.
    Map,
    /// Those of them that a gemeente of this installation sends (its GGk link).
    Ggk,
}

/// A knooppunt's refusal of an envelope, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGgkFout<'a> {
    /// BLAKE2b-256 of the `Fo01` as read: the same file twice is kept once.
    pub digest: &'a [u8; 32],
    pub referentienummer: &'a str,
    /// The referentienummer of the refused envelope.
    pub cross_refnummer: &'a str,
    pub code: &'a str,
    /// `client` or `server`.
    pub plek: &'a str,
    pub omschrijving: &'a str,
    pub details: Option<&'a str>,
}

/// A kept routing error with the outgoing message it concerns, when known.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GgkFout {
    pub id: i64,
    pub code: String,
    /// `client` or `server`.
    pub plek: String,
    pub omschrijving: String,
    pub details: Option<String>,
    pub cross_refnummer: String,
    pub received_at: DateTime<Utc>,
    pub outbox_id: Option<i64>,
    pub berichtsoort: Option<String>,
    pub identificatie: Option<String>,
    pub sender: Option<String>,
    pub receiver: Option<String>,
}

impl Tx {
    /// Up to `max` unsent messages to parties outside this installation with ids
    /// in `after < id <= upto`, oldest first, taken for this transaction (on
    /// PostgreSQL skipping those another process holds).
    pub async fn claim_external_outbox(
        &mut self,
        uitweg: Uitweg,
        after: i64,
        upto: i64,
        max: i64,
    ) -> Result<Vec<Export>> {
        let gemeente = match uitweg {
            Uitweg::Map => "",
            Uitweg::Ggk => "AND EXISTS (SELECT 1 FROM gemeente s WHERE s.cbs_code = o.sender)",
        };
        let base = format!(
            "SELECT o.id, o.berichtsoort, o.sender, o.receiver, o.identificatie, o.body, \
             o.ggk_referentienummer, i.ggk_referentienummer AS ggk_cross_refnummer \
             FROM outbox o LEFT JOIN inbox i ON i.id = o.answers_id \
             WHERE o.sent_at IS NULL AND o.id > $1 AND o.id <= $2 AND NOT {RECEIVER_HOSTED} \
             {gemeente} ORDER BY o.id LIMIT $3"
        );
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => {
                sqlx::query_as(sqlx::AssertSqlSafe(base))
                    .bind(after)
                    .bind(upto)
                    .bind(max)
                    .fetch_all(&mut **tx)
                    .await?
            }
            TxInner::Postgres(tx) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{base} FOR UPDATE OF o SKIP LOCKED"
                )))
                .bind(after)
                .bind(upto)
                .bind(max)
                .fetch_all(&mut **tx)
                .await?
            }
        })
    }

    /// Gives outgoing message `id` the referentienummer of its envelope, unless
    /// it has one.
    pub async fn set_ggk_referentienummer(
        &mut self,
        id: i64,
        referentienummer: &str,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "UPDATE outbox SET ggk_referentienummer = $2 \
                 WHERE id = $1 AND ggk_referentienummer IS NULL",
            )
            .bind(id)
            .bind(referentienummer)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Whether an envelope with this referentienummer was read before.
    pub async fn ggk_envelop_read(&mut self, referentienummer: &str) -> Result<bool> {
        let found: Option<i64> = on_tx!(self, |conn| {
            sqlx::query_scalar("SELECT id FROM inbox WHERE ggk_referentienummer = $1")
                .bind(referentienummer)
                .fetch_optional(&mut *conn)
                .await?
        });
        Ok(found.is_some())
    }

    /// Keeps the referentienummer of the envelope received message `id` came in.
    pub async fn keep_ggk_referentienummer(
        &mut self,
        id: i64,
        referentienummer: &str,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE inbox SET ggk_referentienummer = $2 WHERE id = $1")
                .bind(id)
                .bind(referentienummer)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Keeps a routing error with our outgoing message whose envelope it names:
    /// its id and that message's, `None` when the same `Fo01` was kept before.
    pub async fn insert_ggk_fout(
        &mut self,
        fout: &NewGgkFout<'_>,
        at: DateTime<Utc>,
    ) -> Result<Option<(i64, Option<i64>)>> {
        Ok(on_tx!(self, |conn| sqlx::query_as(
            "INSERT INTO ggk_fout (digest, referentienummer, cross_refnummer, outbox_id, code, \
             plek, omschrijving, details, received_at) SELECT $1, $2, $3, \
             (SELECT id FROM outbox WHERE ggk_referentienummer = $3), $4, $5, $6, $7, $8 \
             ON CONFLICT (digest) DO NOTHING RETURNING id, outbox_id"
        )
        .bind(fout.digest.as_slice())
        .bind(fout.referentienummer)
        .bind(fout.cross_refnummer)
        .bind(fout.code)
        .bind(fout.plek)
        .bind(fout.omschrijving)
        .bind(fout.details)
        .bind(at)
        .fetch_optional(&mut *conn)
        .await?))
    }

    /// Routing errors, newest first, `limit` at most, before id `before` (keyset
    /// paging): those on messages the parties given sent, or all (`None`, for
    /// the beheerder, who also sees those that name no message of ours).
    pub async fn ggk_fouten(
        &mut self,
        senders: Option<&[String]>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<GgkFout>> {
        let scope = match senders {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            Some(list) => format!("AND o.sender IN ({})", placeholders(3, list.len())),
        };
        let sql = format!(
            "SELECT f.id, f.code, f.plek, f.omschrijving, f.details, f.cross_refnummer, \
             f.received_at, f.outbox_id, o.berichtsoort, o.identificatie, o.sender, o.receiver \
             FROM ggk_fout f LEFT JOIN outbox o ON o.id = f.outbox_id \
             WHERE f.id < $1 {scope} ORDER BY f.id DESC LIMIT $2"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit);
            for sender in senders.unwrap_or_default() {
                query = query.bind(sender);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }
}
