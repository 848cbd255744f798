//! Families, their youth and the cases (casussen) opened for them. This is the
//! most sensitive data in the system: the application writes an audit record in
//! the same transaction as every read or change of it.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    AgbCode, Bsn, Fase, Gemeentecode, Gezin, Grond, Jeugdige, Kader, Melding, Ouder,
};

use crate::store::{on_tx, placeholders};
use crate::werklijst::zoeknaam;
use crate::{Result, StoreError, Tx};

#[derive(sqlx::FromRow)]
struct JeugdigeRow {
    bsn: String,
    first_names: String,
    surname: String,
    birth_date: NaiveDate,
    gemeente_code: String,
    geslacht: String,
}

impl JeugdigeRow {
    fn into_jeugdige(self) -> Result<Jeugdige> {
        Ok(Jeugdige {
            bsn: Bsn::parse(&self.bsn)?,
            first_names: self.first_names,
            surname: self.surname,
            birth_date: self.birth_date,
            gemeente: Gemeentecode::parse(&self.gemeente_code)?,
            geslacht: self.geslacht.parse()?,
        })
    }
}

const JEUGDIGE_COLUMNS: &str = "bsn, first_names, surname, birth_date, gemeente_code, geslacht";

#[derive(sqlx::FromRow)]
struct IdJeugdigeRow {
    id: i64,
    #[sqlx(flatten)]
    jeugdige: JeugdigeRow,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CasusRow {
    id: i64,
    jeugdige_id: i64,
    gemeente_code: String,
    phase: String,
    vraag: String,
    vindplaats: String,
    verwijzer: String,
    verwijzer_naam: Option<String>,
    urgentie: String,
    kader_grond: Option<String>,
    gi_agb: Option<String>,
    woonplaats_regel: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

pub(crate) const CASUS_COLUMNS: &str = "c.id, c.jeugdige_id, c.gemeente_code, c.phase, c.vraag, c.vindplaats, \
     c.verwijzer, c.verwijzer_naam, c.urgentie, c.kader_grond, c.gi_agb, c.woonplaats_regel, \
     c.created_at, c.updated_at";

impl CasusRow {
    pub(crate) fn into_casus(self) -> Result<Casus> {
        Ok(Casus {
            id: self.id,
            jeugdige_id: self.jeugdige_id,
            gemeente: Gemeentecode::parse(&self.gemeente_code)?,
            phase: self.phase.parse()?,
            melding: Melding {
                vraag: self.vraag,
                vindplaats: self.vindplaats,
                verwijzer: self.verwijzer.parse()?,
                verwijzer_naam: self.verwijzer_naam,
                urgentie: self.urgentie.parse()?,
                kader: match (self.kader_grond, self.gi_agb) {
                    (Some(grond), Some(gi)) => Kader::Gedwongen {
                        grond: grond.parse::<Grond>()?,
                        gi: AgbCode::parse(&gi)?,
                    },
                    _ => Kader::Vrijwillig,
                },
            },
            woonplaats_regel: self.woonplaats_regel,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
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
    /// Which rule of the woonplaatsbeginsel decided the paying gemeente.
    pub woonplaats_regel: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new case as the melding opens it.
#[derive(Debug, Clone, Copy)]
pub struct NewCasus<'a> {
    pub jeugdige_id: i64,
    pub gemeente: &'a Gemeentecode,
    pub phase: Fase,
    pub melding: &'a Melding,
    pub woonplaats_regel: &'a str,
    pub ouders: &'a [Ouder],
    pub at: DateTime<Utc>,
}

/// A youth a gemeente already knows, with the open cases it has there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BekendeJeugdige {
    pub id: i64,
    pub jeugdige: Jeugdige,
    /// Cases of this youth not closed yet, newest first.
    pub open_casussen: Vec<Casus>,
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
                "SELECT id FROM gezin WHERE postcode = $1 AND house_number = $2 AND surname = $3 \
                 AND gemeente_code = $4",
            )
            .bind(&gezin.postcode)
            .bind(&gezin.house_number)
            .bind(&gezin.surname)
            .bind(gezin.gemeente.as_str())
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Inserts the youth into the household; `None` when the gemeente already
    /// knows the BSN.
    pub async fn insert_jeugdige(
        &mut self,
        gezin_id: i64,
        jeugdige: &Jeugdige,
    ) -> Result<Option<i64>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO jeugdige (gezin_id, bsn, first_names, surname, birth_date, gemeente_code, geslacht, zoeknaam) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(gezin_id)
            .bind(jeugdige.bsn.as_str())
            .bind(&jeugdige.first_names)
            .bind(&jeugdige.surname)
            .bind(jeugdige.birth_date)
            .bind(jeugdige.gemeente.as_str())
            .bind(jeugdige.geslacht.key())
            .bind(zoeknaam(&jeugdige.first_names, &jeugdige.surname))
            .fetch_optional(&mut *conn)
            .await?)
        })
    }

    /// Moves a youth to another household of the same gemeente (the family moved).
    pub async fn set_gezin(&mut self, jeugdige_id: i64, gezin_id: i64) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE jeugdige SET gezin_id = $1 WHERE id = $2")
                .bind(gezin_id)
                .bind(jeugdige_id)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    pub async fn jeugdige(&mut self, id: i64) -> Result<Jeugdige> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {JEUGDIGE_COLUMNS} FROM jeugdige WHERE id = $1"
        ));
        let row: Option<JeugdigeRow> = on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        });
        row.ok_or(StoreError::NotFound("jeugdige"))?.into_jeugdige()
    }

    /// Of these gemeenten, those where a youth with this BSN is registered, in
    /// the order given.
    pub async fn jeugdige_bekend_in(
        &mut self,
        gemeenten: &[&Gemeentecode],
        bsn: &Bsn,
    ) -> Result<Vec<Gemeentecode>> {
        if gemeenten.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT gemeente_code FROM jeugdige WHERE bsn = $1 AND gemeente_code IN ({})",
            placeholders(2, gemeenten.len())
        );
        let found: Vec<String> = on_tx!(self, |conn| {
            let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(bsn.as_str());
            for gemeente in gemeenten {
                query = query.bind(gemeente.as_str());
            }
            query.fetch_all(&mut *conn).await?
        });
        Ok(gemeenten
            .iter()
            .filter(|g| found.iter().any(|f| f == g.as_str()))
            .map(|g| (*g).clone())
            .collect())
    }

    /// The youth with this BSN that `gemeente` knows, with its open cases there.
    /// Only ever asked within a gemeente the worker works for: another
    /// gemeente's youth stays invisible.
    pub async fn bekende_jeugdige(
        &mut self,
        gemeente: &Gemeentecode,
        bsn: &Bsn,
    ) -> Result<Option<BekendeJeugdige>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT id, {JEUGDIGE_COLUMNS} FROM jeugdige WHERE gemeente_code = $1 AND bsn = $2"
        ));
        let row: Option<(i64, JeugdigeRow)> = on_tx!(self, |conn| {
            sqlx::query_as::<_, IdJeugdigeRow>(sql)
                .bind(gemeente.as_str())
                .bind(bsn.as_str())
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| (r.id, r.jeugdige))
        });
        let Some((id, row)) = row else {
            return Ok(None);
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {CASUS_COLUMNS} FROM casus c WHERE c.jeugdige_id = $1 \
             AND c.phase NOT IN ('afgesloten', 'garantieperiode') ORDER BY c.id DESC"
        ));
        let open: Vec<CasusRow> = on_tx!(self, |conn| {
            sqlx::query_as(sql).bind(id).fetch_all(&mut *conn).await?
        });
        Ok(Some(BekendeJeugdige {
            id,
            jeugdige: row.into_jeugdige()?,
            open_casussen: open
                .into_iter()
                .map(CasusRow::into_casus)
                .collect::<Result<_>>()?,
        }))
    }

    /// Opens a case, with the parents recorded at its melding.
    pub async fn insert_casus(&mut self, new: &NewCasus<'_>) -> Result<i64> {
        let melding = new.melding;
        let id: i64 = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "INSERT INTO casus (jeugdige_id, gemeente_code, phase, vraag, vindplaats, verwijzer, \
                 verwijzer_naam, urgentie, kader_grond, gi_agb, woonplaats_regel, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(new.jeugdige_id)
            .bind(new.gemeente.as_str())
            .bind(new.phase.key())
            .bind(&melding.vraag)
            .bind(&melding.vindplaats)
            .bind(melding.verwijzer.code())
            .bind(melding.verwijzer_naam.as_deref())
            .bind(melding.urgentie.key())
            .bind(melding.kader.grond().map(Grond::key))
            .bind(melding.kader.gi().map(AgbCode::as_str))
            .bind(new.woonplaats_regel)
            .bind(new.at)
            .fetch_one(&mut *conn)
            .await?
        });
        self.replace_ouders(id, new.ouders).await?;
        Ok(id)
    }

    /// Records the parents and carers of a case's melding, replacing earlier ones.
    pub async fn replace_ouders(&mut self, casus_id: i64, ouders: &[Ouder]) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("DELETE FROM casus_ouder WHERE casus_id = $1")
                .bind(casus_id)
                .execute(&mut *conn)
                .await?;
        });
        for (volgnummer, ouder) in (1_i32..).zip(ouders) {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO casus_ouder (casus_id, volgnummer, naam, telefoon, email, gezag) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(casus_id)
                .bind(volgnummer)
                .bind(&ouder.naam)
                .bind(ouder.telefoon.as_deref())
                .bind(ouder.email.as_deref())
                .bind(ouder.gezag)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Corrects what the melding of a case says of the question and who refers.
    pub async fn update_melding(&mut self, casus_id: i64, melding: &Melding) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "UPDATE casus SET vraag = $1, vindplaats = $2, verwijzer = $3, verwijzer_naam = $4 \
                 WHERE id = $5",
            )
            .bind(&melding.vraag)
            .bind(&melding.vindplaats)
            .bind(melding.verwijzer.code())
            .bind(melding.verwijzer_naam.as_deref())
            .bind(casus_id)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The parents and others with gezag recorded at the melding of a case.
    pub async fn ouders(&mut self, casus_id: i64) -> Result<Vec<Ouder>> {
        let rows: Vec<(String, Option<String>, Option<String>, bool)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT naam, telefoon, email, gezag FROM casus_ouder WHERE casus_id = $1 \
                 ORDER BY volgnummer",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(naam, telefoon, email, gezag)| Ouder {
                naam,
                telefoon,
                email,
                gezag,
            })
            .collect())
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
}
