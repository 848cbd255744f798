//! Families, their youth and the cases (casussen) opened for them. This is the
//! most sensitive data in the system: the application writes an audit record in
//! the same transaction as every read or change of it.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{Bsn, Fase, Gemeentecode, Gezin, Jeugdige};

use crate::store::on_tx;
use crate::{Result, StoreError, Tx};

#[derive(sqlx::FromRow)]
struct JeugdigeRow {
    bsn: String,
    first_names: String,
    surname: String,
    birth_date: NaiveDate,
    gemeente_code: String,
}

#[derive(sqlx::FromRow)]
struct CasusRow {
    id: i64,
    jeugdige_id: i64,
    gemeente_code: String,
    phase: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A case: the route of one youth's question through access and allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Casus {
    pub id: i64,
    pub jeugdige_id: i64,
    /// The gemeente that decides and pays (woonplaatsbeginsel).
    pub gemeente: Gemeentecode,
    /// The step of the client route the case is in.
    pub phase: Fase,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Tx {
    /// The id of the household at this address, inserting it when new.
    pub async fn ensure_gezin(&mut self, gezin: &Gezin) -> Result<i64> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO gezin (surname, street, house_number, postcode, city, gemeente_code) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(&gezin.surname)
            .bind(&gezin.street)
            .bind(&gezin.house_number)
            .bind(&gezin.postcode)
            .bind(&gezin.city)
            .bind(gezin.gemeente.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(sqlx::query_scalar(
                "SELECT id FROM gezin WHERE postcode = $1 AND house_number = $2 AND surname = $3",
            )
            .bind(&gezin.postcode)
            .bind(&gezin.house_number)
            .bind(&gezin.surname)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Inserts the youth into the household; `None` when the BSN is already known.
    pub async fn insert_jeugdige(
        &mut self,
        gezin_id: i64,
        jeugdige: &Jeugdige,
    ) -> Result<Option<i64>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO jeugdige (gezin_id, bsn, first_names, surname, birth_date, gemeente_code) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(gezin_id)
            .bind(jeugdige.bsn.as_str())
            .bind(&jeugdige.first_names)
            .bind(&jeugdige.surname)
            .bind(jeugdige.birth_date)
            .bind(jeugdige.gemeente.as_str())
            .fetch_optional(&mut *conn)
            .await?)
        })
    }

    pub async fn jeugdige(&mut self, id: i64) -> Result<Jeugdige> {
        let row: Option<JeugdigeRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT bsn, first_names, surname, birth_date, gemeente_code FROM jeugdige WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let row = row.ok_or(StoreError::NotFound("jeugdige"))?;
        Ok(Jeugdige {
            bsn: Bsn::parse(&row.bsn)?,
            first_names: row.first_names,
            surname: row.surname,
            birth_date: row.birth_date,
            gemeente: Gemeentecode::parse(&row.gemeente_code)?,
        })
    }

    /// The id of the youth with this BSN, if known.
    pub async fn jeugdige_id_by_bsn(&mut self, bsn: &Bsn) -> Result<Option<i64>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar("SELECT id FROM jeugdige WHERE bsn = $1")
                .bind(bsn.as_str())
                .fetch_optional(&mut *conn)
                .await?)
        })
    }

    pub async fn insert_casus(
        &mut self,
        jeugdige_id: i64,
        gemeente: &Gemeentecode,
        phase: Fase,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO casus (jeugdige_id, gemeente_code, phase, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(jeugdige_id)
            .bind(gemeente.as_str())
            .bind(phase.key())
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    pub async fn casus(&mut self, id: i64) -> Result<Casus> {
        let row: Option<CasusRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, jeugdige_id, gemeente_code, phase, created_at, updated_at FROM casus WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let row = row.ok_or(StoreError::NotFound("casus"))?;
        Ok(Casus {
            id: row.id,
            jeugdige_id: row.jeugdige_id,
            gemeente: Gemeentecode::parse(&row.gemeente_code)?,
            phase: row.phase.parse()?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
