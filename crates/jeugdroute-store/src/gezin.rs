//! Families, their youth and the cases (casussen) opened for them. This is the
//! most sensitive data in the system: the application writes an audit record in
//! the same transaction as every read or change of it.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{Bsn, Gemeentecode, Gezin, Jeugdige};

use crate::store::on_tx;
use crate::{Result, StoreError, Tx};

#[derive(sqlx::FromRow)]
struct JeugdigeRij {
    bsn: String,
    voornamen: String,
    achternaam: String,
    geboortedatum: NaiveDate,
    gemeente_code: String,
}

#[derive(sqlx::FromRow)]
struct CasusRij {
    id: i64,
    jeugdige_id: i64,
    gemeente_code: String,
    fase: String,
    aangemaakt_op: DateTime<Utc>,
    bijgewerkt_op: DateTime<Utc>,
}

/// A case: the route of one youth's question through access and allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Casus {
    pub id: i64,
    pub jeugdige_id: i64,
    /// The gemeente that decides and pays (woonplaatsbeginsel).
    pub gemeente: Gemeentecode,
    /// The step of the client route the case is in.
    pub fase: String,
    pub aangemaakt_op: DateTime<Utc>,
    pub bijgewerkt_op: DateTime<Utc>,
}

impl Tx {
    /// The id of the household at this address, inserting it when new.
    pub async fn gezin_vastleggen(&mut self, gezin: &Gezin) -> Result<i64> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO gezin (achternaam, straat, huisnummer, postcode, woonplaats, gemeente_code) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(&gezin.achternaam)
            .bind(&gezin.straat)
            .bind(&gezin.huisnummer)
            .bind(&gezin.postcode)
            .bind(&gezin.woonplaats)
            .bind(gezin.gemeente.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(sqlx::query_scalar(
                "SELECT id FROM gezin WHERE postcode = $1 AND huisnummer = $2 AND achternaam = $3",
            )
            .bind(&gezin.postcode)
            .bind(&gezin.huisnummer)
            .bind(&gezin.achternaam)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Inserts the youth into the household; `None` when the BSN is already known.
    pub async fn jeugdige_vastleggen(
        &mut self,
        gezin_id: i64,
        jeugdige: &Jeugdige,
    ) -> Result<Option<i64>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO jeugdige (gezin_id, bsn, voornamen, achternaam, geboortedatum, gemeente_code) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(gezin_id)
            .bind(jeugdige.bsn.as_str())
            .bind(&jeugdige.voornamen)
            .bind(&jeugdige.achternaam)
            .bind(jeugdige.geboortedatum)
            .bind(jeugdige.gemeente.as_str())
            .fetch_optional(&mut *conn)
            .await?)
        })
    }

    pub async fn jeugdige(&mut self, id: i64) -> Result<Jeugdige> {
        let rij: Option<JeugdigeRij> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT bsn, voornamen, achternaam, geboortedatum, gemeente_code FROM jeugdige WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let rij = rij.ok_or(StoreError::NotFound("jeugdige"))?;
        Ok(Jeugdige {
            bsn: Bsn::parse(&rij.bsn)?,
            voornamen: rij.voornamen,
            achternaam: rij.achternaam,
            geboortedatum: rij.geboortedatum,
            gemeente: Gemeentecode::parse(&rij.gemeente_code)?,
        })
    }

    /// The id of the youth with this BSN, if known.
    pub async fn jeugdige_met_bsn(&mut self, bsn: &Bsn) -> Result<Option<i64>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar("SELECT id FROM jeugdige WHERE bsn = $1")
                .bind(bsn.as_str())
                .fetch_optional(&mut *conn)
                .await?)
        })
    }

    pub async fn casus_openen(
        &mut self,
        jeugdige_id: i64,
        gemeente: &Gemeentecode,
        fase: &str,
        tijdstip: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO casus (jeugdige_id, gemeente_code, fase, aangemaakt_op, bijgewerkt_op) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(jeugdige_id)
            .bind(gemeente.as_str())
            .bind(fase)
            .bind(tijdstip)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    pub async fn casus(&mut self, id: i64) -> Result<Casus> {
        let rij: Option<CasusRij> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, jeugdige_id, gemeente_code, fase, aangemaakt_op, bijgewerkt_op FROM casus WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let rij = rij.ok_or(StoreError::NotFound("casus"))?;
        Ok(Casus {
            id: rij.id,
            jeugdige_id: rij.jeugdige_id,
            gemeente: Gemeentecode::parse(&rij.gemeente_code)?,
            fase: rij.fase,
            aangemaakt_op: rij.aangemaakt_op,
            bijgewerkt_op: rij.bijgewerkt_op,
        })
    }
}
