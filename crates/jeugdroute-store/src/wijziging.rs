//! Changes to a sent allocation: the allocation row moves to its new version,
//! and every change is kept as a row of its own with the JW301 that carried it,
//! so the case's history stays visible after the row has moved on.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::Gemeentecode;

use crate::route::gemeente;
use crate::store::on_tx;
use crate::{Result, Tx};

/// One change of an allocation, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToewijzingWijziging {
    pub gemeente: Gemeentecode,
    /// The ToewijzingNummer, the same as the first version's.
    pub nummer: i64,
    /// The version this change made: 2 for the first change.
    pub versie: i64,
    /// The JZ002 code sent as RedenWijziging.
    pub reden_wijziging: String,
    pub einddatum_was: NaiveDate,
    pub einddatum: NaiveDate,
    /// The worker's explanation; never sent to the provider.
    pub toelichting: String,
    pub username: String,
    pub bericht_identificatie: String,
    /// The JW301 in the outbox that carries this change.
    pub outbox_id: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct WijzigingRow {
    gemeente_code: String,
    nummer: i64,
    versie: i64,
    reden_wijziging: String,
    einddatum_was: NaiveDate,
    einddatum: NaiveDate,
    toelichting: String,
    username: String,
    bericht_identificatie: String,
    outbox_id: i64,
    created_at: DateTime<Utc>,
}

impl TryFrom<WijzigingRow> for ToewijzingWijziging {
    type Error = crate::StoreError;

    fn try_from(r: WijzigingRow) -> Result<Self> {
        Ok(ToewijzingWijziging {
            gemeente: gemeente(&r.gemeente_code)?,
            nummer: r.nummer,
            versie: r.versie,
            reden_wijziging: r.reden_wijziging,
            einddatum_was: r.einddatum_was,
            einddatum: r.einddatum,
            toelichting: r.toelichting,
            username: r.username,
            bericht_identificatie: r.bericht_identificatie,
            outbox_id: r.outbox_id,
            created_at: r.created_at,
        })
    }
}

impl Tx {
    /// Moves an allocation from version `w.versie - 1` to `w.versie` with its new
    /// Einddatum and reason. `false` when it is no longer at that version (a change
    /// made meanwhile): then nothing is written.
    pub async fn advance_toewijzing(&mut self, w: &ToewijzingWijziging) -> Result<bool> {
        let updated = on_tx!(self, |conn| {
            sqlx::query(
                "UPDATE toewijzing SET versie = $1, end_date = $2, reden_wijziging = $3 \
                 WHERE gemeente_code = $4 AND nummer = $5 AND versie = $6",
            )
            .bind(w.versie)
            .bind(w.einddatum)
            .bind(&w.reden_wijziging)
            .bind(w.gemeente.as_str())
            .bind(w.nummer)
            .bind(w.versie - 1)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        Ok(updated == 1)
    }

    /// Keeps a change in the allocation's history.
    pub async fn insert_toewijzing_wijziging(&mut self, w: &ToewijzingWijziging) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO toewijzing_wijziging (gemeente_code, nummer, versie, reden_wijziging, \
                 einddatum_was, einddatum, toelichting, username, bericht_identificatie, outbox_id, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(w.gemeente.as_str())
            .bind(w.nummer)
            .bind(w.versie)
            .bind(&w.reden_wijziging)
            .bind(w.einddatum_was)
            .bind(w.einddatum)
            .bind(&w.toelichting)
            .bind(&w.username)
            .bind(&w.bericht_identificatie)
            .bind(w.outbox_id)
            .bind(w.created_at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// The changes of the allocations of a case, oldest first.
    pub async fn toewijzing_wijzigingen(
        &mut self,
        casus_id: i64,
    ) -> Result<Vec<ToewijzingWijziging>> {
        let rows: Vec<WijzigingRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT w.gemeente_code, w.nummer, w.versie, w.reden_wijziging, w.einddatum_was, \
                 w.einddatum, w.toelichting, w.username, w.bericht_identificatie, w.outbox_id, \
                 w.created_at FROM toewijzing_wijziging w JOIN toewijzing t \
                 ON t.gemeente_code = w.gemeente_code AND t.nummer = w.nummer \
                 WHERE t.casus_id = $1 ORDER BY w.id",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter()
            .map(ToewijzingWijziging::try_from)
            .collect()
    }
}
