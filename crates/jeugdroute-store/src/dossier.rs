//! The case file as rows: a row per step's facts, a row per leefgebied, plan
//! result, reason and match, so the region counts them in plain SQL. Each step's
//! facts are written whole (a correction replaces them), inside the use case's
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    AgbCode, Bemiddeling, BeschikkingInfo, Dossier, Fase, Gezinsanalyse, Leefgebied, MatchEnIntake,
    Plan, PlanResultaat, Productcode, Vraagverheldering,
};

use crate::route::corrupt;
use crate::store::on_tx;
use crate::{Result, Tx};

/// A correction of an earlier step: which, why, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correctie {
    pub stap: Fase,
    pub reden: String,
    pub username: String,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct BepalingRow {
    arrangement: i32,
    arrangement_name: String,
    intensiteit: String,
    productcode: String,
    catalogue_version: String,
}

#[derive(sqlx::FromRow)]
struct MatchRow {
    aanbieder_agb: String,
    name: String,
    gekozen_door: String,
    match_date: NaiveDate,
    intake_date: NaiveDate,
    start_date: NaiveDate,
    end_date: NaiveDate,
}

/// Deletes the rows of one step's facts for a case, children first.
macro_rules! wipe {
    ($tx:expr, $casus_id:expr, $($table:literal),+) => {
        $(
            on_tx!($tx, |conn| {
                sqlx::query(concat!("DELETE FROM ", $table, " WHERE casus_id = $1"))
                    .bind($casus_id)
                    .execute(&mut *conn)
                    .await?;
            });
        )+
    };
}

impl Tx {
    /// Everything the route established for a case.
    pub async fn dossier(&mut self, casus_id: i64) -> Result<Dossier> {
        Ok(Dossier {
            vraagverheldering: self.vraagverheldering(casus_id).await?,
            gezinsanalyse: self.gezinsanalyse(casus_id).await?,
            plan: self.plan(casus_id).await?,
            bemiddeling: self.bemiddeling(casus_id).await?,
            match_en_intake: self.match_en_intake(casus_id).await?,
            beschikking: self.beschikking_info(casus_id).await?,
            evaluatie: self.evaluatie(casus_id).await?,
        })
    }

    async fn vraagverheldering(&mut self, casus_id: i64) -> Result<Option<Vraagverheldering>> {
        let row: Option<(String, String, String)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT opvoedsituatie, netwerk, vraag FROM vraagverheldering WHERE casus_id = $1",
            )
            .bind(casus_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some((opvoedsituatie, netwerk, vraag)) = row else {
            return Ok(None);
        };
        let leefgebieden: Vec<String> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT leefgebied FROM vraagverheldering_leefgebied WHERE casus_id = $1 ORDER BY leefgebied",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        let mut leefgebieden: Vec<Leefgebied> = leefgebieden
            .iter()
            .map(|l| l.parse())
            .collect::<std::result::Result<_, _>>()?;
        leefgebieden.sort();
        Ok(Some(Vraagverheldering {
            opvoedsituatie: opvoedsituatie.parse()?,
            leefgebieden,
            netwerk,
            vraag,
        }))
    }

    async fn gezinsanalyse(&mut self, casus_id: i64) -> Result<Option<Gezinsanalyse>> {
        let row: Option<(String, String)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT behoefte, vrij_toegankelijk FROM gezinsanalyse WHERE casus_id = $1",
            )
            .bind(casus_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        row.map(|(behoefte, vrij_toegankelijk)| {
            Ok(Gezinsanalyse {
                behoefte: behoefte.parse()?,
                vrij_toegankelijk,
            })
        })
        .transpose()
    }

    pub async fn plan(&mut self, casus_id: i64) -> Result<Option<Plan>> {
        let row: Option<(String, bool)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT regie, familiegroepsplan FROM perspectiefplan WHERE casus_id = $1",
            )
            .bind(casus_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some((regie, familiegroepsplan)) = row else {
            return Ok(None);
        };
        let resultaten: Vec<(String, String)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT leefgebied, omschrijving FROM plan_resultaat WHERE casus_id = $1 ORDER BY volgnummer",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(Some(Plan {
            regie: regie.parse()?,
            familiegroepsplan,
            resultaten: resultaten
                .into_iter()
                .map(|(leefgebied, omschrijving)| {
                    Ok(PlanResultaat {
                        leefgebied: leefgebied.parse()?,
                        omschrijving,
                    })
                })
                .collect::<Result<_>>()?,
        }))
    }

    async fn bemiddeling(&mut self, casus_id: i64) -> Result<Option<Bemiddeling>> {
        let row: Option<BepalingRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT arrangement, arrangement_name, intensiteit, productcode, catalogue_version \
                 FROM bepaling WHERE casus_id = $1",
            )
            .bind(casus_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        let reasons: Vec<String> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT tekst FROM bepaling_reden WHERE casus_id = $1 ORDER BY volgnummer",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(Some(Bemiddeling {
            arrangement: u8::try_from(row.arrangement).map_err(|e| corrupt("arrangement", e))?,
            arrangement_name: row.arrangement_name,
            intensiteit: row.intensiteit.parse()?,
            productcode: Productcode::parse(&row.productcode)?,
            reasons,
            catalogue_version: row.catalogue_version,
        }))
    }

    async fn match_en_intake(&mut self, casus_id: i64) -> Result<Option<MatchEnIntake>> {
        let row: Option<MatchRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT m.aanbieder_agb, a.name, m.gekozen_door, m.match_date, m.intake_date, \
                 m.start_date, m.end_date FROM match_intake m \
                 JOIN aanbieder a ON a.agb_code = m.aanbieder_agb WHERE m.casus_id = $1",
            )
            .bind(casus_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        row.map(|r| {
            Ok(MatchEnIntake {
                aanbieder: AgbCode::parse(&r.aanbieder_agb)?,
                aanbieder_name: r.name,
                gekozen_door: r.gekozen_door.parse()?,
                match_date: r.match_date,
                intake_date: r.intake_date,
                start_date: r.start_date,
                end_date: r.end_date,
            })
        })
        .transpose()
    }

    async fn beschikking_info(&mut self, casus_id: i64) -> Result<Option<BeschikkingInfo>> {
        let row: Option<(String, NaiveDate)> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT kenmerk, decided_on FROM beschikking WHERE casus_id = $1")
                .bind(casus_id)
                .fetch_optional(&mut *conn)
                .await?
        });
        Ok(row.map(|(kenmerk, decided_on)| BeschikkingInfo {
            kenmerk,
            decided_on,
        }))
    }

    /// Records (or replaces) the vraagverheldering of a case.
    pub async fn save_vraagverheldering(
        &mut self,
        casus_id: i64,
        v: &Vraagverheldering,
    ) -> Result<()> {
        wipe!(
            self,
            casus_id,
            "vraagverheldering_leefgebied",
            "vraagverheldering"
        );
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO vraagverheldering (casus_id, opvoedsituatie, netwerk, vraag) VALUES ($1, $2, $3, $4)",
            )
            .bind(casus_id)
            .bind(v.opvoedsituatie.key())
            .bind(&v.netwerk)
            .bind(&v.vraag)
            .execute(&mut *conn)
            .await?;
        });
        for leefgebied in &v.leefgebieden {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO vraagverheldering_leefgebied (casus_id, leefgebied) VALUES ($1, $2)",
                )
                .bind(casus_id)
                .bind(leefgebied.key())
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Records (or replaces) the gezinsanalyse of a case.
    pub async fn save_gezinsanalyse(&mut self, casus_id: i64, g: &Gezinsanalyse) -> Result<()> {
        wipe!(self, casus_id, "gezinsanalyse");
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO gezinsanalyse (casus_id, behoefte, vrij_toegankelijk) VALUES ($1, $2, $3)",
            )
            .bind(casus_id)
            .bind(g.behoefte.key())
            .bind(&g.vrij_toegankelijk)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records (or replaces) the perspectiefplan of a case with its results.
    pub async fn save_plan(&mut self, casus_id: i64, plan: &Plan) -> Result<()> {
        wipe!(self, casus_id, "plan_resultaat", "perspectiefplan");
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO perspectiefplan (casus_id, regie, familiegroepsplan) VALUES ($1, $2, $3)",
            )
            .bind(casus_id)
            .bind(plan.regie.key())
            .bind(plan.familiegroepsplan)
            .execute(&mut *conn)
            .await?;
        });
        for (volgnummer, r) in (1_i32..).zip(&plan.resultaten) {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO plan_resultaat (casus_id, volgnummer, leefgebied, omschrijving) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(casus_id)
                .bind(volgnummer)
                .bind(r.leefgebied.key())
                .bind(&r.omschrijving)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Records (or replaces) the determination of a case with its reasons.
    pub async fn save_bemiddeling(&mut self, casus_id: i64, b: &Bemiddeling) -> Result<()> {
        wipe!(self, casus_id, "bepaling_reden", "bepaling");
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO bepaling (casus_id, arrangement, arrangement_name, intensiteit, productcode, \
                 catalogue_version) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(casus_id)
            .bind(i32::from(b.arrangement))
            .bind(&b.arrangement_name)
            .bind(b.intensiteit.key())
            .bind(b.productcode.as_str())
            .bind(&b.catalogue_version)
            .execute(&mut *conn)
            .await?;
        });
        for (volgnummer, tekst) in (1_i32..).zip(&b.reasons) {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO bepaling_reden (casus_id, volgnummer, tekst) VALUES ($1, $2, $3)",
                )
                .bind(casus_id)
                .bind(volgnummer)
                .bind(tekst)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(())
    }

    /// Records (or replaces) the match of a case.
    pub async fn save_match(&mut self, casus_id: i64, m: &MatchEnIntake) -> Result<()> {
        wipe!(self, casus_id, "match_intake");
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO match_intake (casus_id, aanbieder_agb, gekozen_door, match_date, intake_date, \
                 start_date, end_date) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(casus_id)
            .bind(m.aanbieder.as_str())
            .bind(m.gekozen_door.key())
            .bind(m.match_date)
            .bind(m.intake_date)
            .bind(m.start_date)
            .bind(m.end_date)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Per gemeente, how many cases closed to free-access help after the
    /// gezinsanalyse found need A.
    pub async fn afgesloten_lokaal_aanbod(&mut self) -> Result<Vec<(String, i64)>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT c.gemeente_code, COUNT(*) FROM casus c \
                 JOIN gezinsanalyse g ON g.casus_id = c.id \
                 WHERE c.phase = 'afgesloten' AND g.behoefte = 'a' \
                 GROUP BY c.gemeente_code ORDER BY c.gemeente_code",
            )
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    /// Records that an earlier step of a case was corrected, and why.
    pub async fn insert_correctie(&mut self, casus_id: i64, c: &Correctie) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO casus_correctie (casus_id, stap, reden, username, occurred_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(casus_id)
            .bind(c.stap.key())
            .bind(&c.reden)
            .bind(&c.username)
            .bind(c.at)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The corrections of a case, oldest first.
    pub async fn correcties(&mut self, casus_id: i64) -> Result<Vec<Correctie>> {
        let rows: Vec<(String, String, String, DateTime<Utc>)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT stap, reden, username, occurred_at FROM casus_correctie WHERE casus_id = $1 ORDER BY id",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter()
            .map(|(stap, reden, username, at)| {
                Ok(Correctie {
                    stap: stap.parse()?,
                    reden,
                    username,
                    at,
                })
            })
            .collect()
    }
}
