//! Families, their youth and the cases (casussen) opened for them. This is the
//! most sensitive data in the system: the application writes an audit record in
//! the same transaction as every read or change of it.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{Bsn, Fase, Gemeentecode, Gezin, Jeugdige, Melding, Urgentie};

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
    vindplaats: String,
    verwijzer: String,
    verwijzer_naam: Option<String>,
    urgentie: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CasusLineRow {
    #[sqlx(flatten)]
    casus: CasusRow,
    dossier: String,
    first_names: String,
    surname: String,
}

const CASUS_COLUMNS: &str = "c.id, c.jeugdige_id, c.gemeente_code, c.phase, c.vindplaats, c.verwijzer, \
     c.verwijzer_naam, c.urgentie, c.created_at, c.updated_at";

impl CasusRow {
    fn into_casus(self) -> Result<Casus> {
        Ok(Casus {
            id: self.id,
            jeugdige_id: self.jeugdige_id,
            gemeente: Gemeentecode::parse(&self.gemeente_code)?,
            phase: self.phase.parse()?,
            melding: Melding {
                vindplaats: self.vindplaats,
                verwijzer: self.verwijzer.parse()?,
                verwijzer_naam: self.verwijzer_naam,
                urgentie: self.urgentie.parse()?,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A line of a worklist: the case with the name of its youth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasusLine {
    pub casus: Casus,
    /// The dossier as stored (JSON), for what the worklist signals.
    pub dossier: String,
    pub first_names: String,
    pub surname: String,
}

/// Which cases a worklist asks for. Only the gemeenten are required; every
/// other part narrows the list when it is set.
#[derive(Debug, Clone, Copy, Default)]
pub struct CasusFilter<'a> {
    pub gemeenten: &'a [Gemeentecode],
    /// Only the youth with this BSN.
    pub bsn: Option<&'a Bsn>,
    /// Only youth whose name contains this (case-insensitive).
    pub name: Option<&'a str>,
    /// Only cases in one of these phases; `None` is every phase.
    pub phases: Option<&'a [Fase]>,
    pub urgentie: Option<Urgentie>,
    pub limit: i64,
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
    pub melding: Melding,
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
        melding: &Melding,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO casus (jeugdige_id, gemeente_code, phase, vindplaats, verwijzer, verwijzer_naam, \
                 urgentie, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(jeugdige_id)
            .bind(gemeente.as_str())
            .bind(phase.key())
            .bind(&melding.vindplaats)
            .bind(melding.verwijzer.code())
            .bind(melding.verwijzer_naam.as_deref())
            .bind(melding.urgentie.key())
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    pub async fn casus(&mut self, id: i64) -> Result<Casus> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {CASUS_COLUMNS} FROM casus c WHERE c.id = $1"
        ));
        let row: Option<CasusRow> = on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        });
        row.ok_or(StoreError::NotFound("casus"))?.into_casus()
    }

    /// The cases a worklist asks for (see [`CasusFilter`]), newest first.
    pub async fn casussen(&mut self, filter: &CasusFilter<'_>) -> Result<Vec<CasusLine>> {
        let phase_list = filter.phases.unwrap_or_default();
        if filter.gemeenten.is_empty() || filter.phases.is_some_and(<[Fase]>::is_empty) {
            return Ok(Vec::new());
        }
        // One placeholder per gemeente and per phase: lists both backends bind
        // the same way.
        let list = |from: usize, n: usize| {
            (from..from + n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let gemeenten = list(5, filter.gemeenten.len());
        let phases = if phase_list.is_empty() {
            String::new()
        } else {
            format!(
                "AND c.phase IN ({}) ",
                list(5 + filter.gemeenten.len(), phase_list.len())
            )
        };
        let sql = format!(
            "SELECT {CASUS_COLUMNS}, c.dossier, j.first_names, j.surname FROM casus c \
             JOIN jeugdige j ON j.id = c.jeugdige_id \
             WHERE ($1 IS NULL OR j.bsn = $1) \
             AND ($2 IS NULL OR LOWER(j.first_names || ' ' || j.surname) LIKE '%' || LOWER($2) || '%') \
             AND ($4 IS NULL OR c.urgentie = $4) \
             AND c.gemeente_code IN ({gemeenten}) {phases}ORDER BY c.id DESC LIMIT $3"
        );
        let rows: Vec<CasusLineRow> = on_tx!(self, |conn| {
            let mut query = sqlx::query_as::<_, CasusLineRow>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(filter.bsn.map(Bsn::as_str))
                .bind(filter.name)
                .bind(filter.limit)
                .bind(filter.urgentie.map(Urgentie::key));
            for gemeente in filter.gemeenten {
                query = query.bind(gemeente.as_str());
            }
            for phase in phase_list {
                query = query.bind(phase.key());
            }
            query.fetch_all(&mut *conn).await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(CasusLine {
                    casus: row.casus.into_casus()?,
                    dossier: row.dossier,
                    first_names: row.first_names,
                    surname: row.surname,
                })
            })
            .collect()
    }
}
