//! The hoofdaannemer's part of a case as rows: per case and provider its answer
//! to the allocation, the intake it held and its beknopt plan, and the goals of
//! its behandelplan with the results of the perspectiefplan each serves. Each
//! part is replaced whole when the provider records it again.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{Aanbiederreactie, AgbCode, Behandelplan, Doel};

use crate::store::on_tx;
use crate::{Result, StoreError, Tx};

/// What a provider recorded of its part of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behandeling {
    pub aanbieder: String,
    pub reactie: Option<(Aanbiederreactie, DateTime<Utc>)>,
    pub intake: Option<(NaiveDate, DateTime<Utc>)>,
    pub plan: Option<OpgeslagenBehandelplan>,
}

/// A behandelplan as recorded (it was checked whole when it was saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpgeslagenBehandelplan {
    pub beknopt_plan: String,
    pub doelen: Vec<Doel>,
    pub opgesteld_op: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct BehandelingRow {
    aanbieder_agb: String,
    reactie: Option<String>,
    reactie_toelichting: Option<String>,
    reactie_op: Option<DateTime<Utc>>,
    intake_datum: Option<NaiveDate>,
    intake_op: Option<DateTime<Utc>>,
    beknopt_plan: Option<String>,
    plan_op: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct DoelRow {
    aanbieder_agb: String,
    volgnummer: i32,
    omschrijving: String,
    activiteiten: String,
    frequentie: String,
}

/// Each part of the row is set by its own upsert; the other parts stay as they are.
const REACTIE: &str = "INSERT INTO behandeling (casus_id, aanbieder_agb, reactie, \
       reactie_toelichting, reactie_op) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (casus_id, aanbieder_agb) DO UPDATE SET reactie = excluded.reactie, \
       reactie_toelichting = excluded.reactie_toelichting, reactie_op = excluded.reactie_op";
const INTAKE: &str = "INSERT INTO behandeling (casus_id, aanbieder_agb, intake_datum, intake_op) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (casus_id, aanbieder_agb) DO UPDATE SET \
       intake_datum = excluded.intake_datum, intake_op = excluded.intake_op";
const PLAN: &str = "INSERT INTO behandeling (casus_id, aanbieder_agb, beknopt_plan, plan_op) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (casus_id, aanbieder_agb) DO UPDATE SET \
       beknopt_plan = excluded.beknopt_plan, plan_op = excluded.plan_op";

impl Tx {
    /// What the providers recorded of their part of a case, by AGB code; with
    /// `aanbieder`, only that provider's.
    pub async fn behandelingen(
        &mut self,
        casus_id: i64,
        aanbieder: Option<&AgbCode>,
    ) -> Result<Vec<Behandeling>> {
        let agb = aanbieder.map(AgbCode::as_str);
        let rows: Vec<BehandelingRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, reactie, reactie_toelichting, reactie_op, intake_datum, \
                   intake_op, beknopt_plan, plan_op FROM behandeling \
                 WHERE casus_id = $1 AND ($2 IS NULL OR aanbieder_agb = $2) \
                 ORDER BY aanbieder_agb",
            )
            .bind(casus_id)
            .bind(agb)
            .fetch_all(&mut *conn)
            .await?
        });
        let doelen: Vec<DoelRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, volgnummer, omschrijving, activiteiten, frequentie \
                 FROM behandeldoel WHERE casus_id = $1 AND ($2 IS NULL OR aanbieder_agb = $2) \
                 ORDER BY aanbieder_agb, volgnummer",
            )
            .bind(casus_id)
            .bind(agb)
            .fetch_all(&mut *conn)
            .await?
        });
        let links: Vec<(String, i32, i32)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, doel, resultaat FROM behandeldoel_resultaat \
                 WHERE casus_id = $1 AND ($2 IS NULL OR aanbieder_agb = $2) \
                 ORDER BY aanbieder_agb, doel, resultaat",
            )
            .bind(casus_id)
            .bind(agb)
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter()
            .map(|row| row.into_behandeling(&doelen, &links))
            .collect()
    }

    /// Records the provider's answer to the allocation of a case.
    pub async fn set_reactie(
        &mut self,
        casus_id: i64,
        aanbieder: &AgbCode,
        reactie: &Aanbiederreactie,
        at: DateTime<Utc>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(REACTIE)
                .bind(casus_id)
                .bind(aanbieder.as_str())
                .bind(reactie.reactie.key())
                .bind(reactie.toelichting.as_deref())
                .bind(at)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Records the day the provider held the intake of a case.
    pub async fn set_intake(
        &mut self,
        casus_id: i64,
        aanbieder: &AgbCode,
        datum: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(INTAKE)
                .bind(casus_id)
                .bind(aanbieder.as_str())
                .bind(datum)
                .bind(at)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Records the provider's behandelplan of a case, replacing an earlier one.
    pub async fn save_behandelplan(
        &mut self,
        casus_id: i64,
        aanbieder: &AgbCode,
        plan: &Behandelplan,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let agb = aanbieder.as_str();
        on_tx!(self, |conn| {
            sqlx::query(PLAN)
                .bind(casus_id)
                .bind(agb)
                .bind(plan.beknopt_plan().as_str())
                .bind(at)
                .execute(&mut *conn)
                .await?;
            for delete in [
                "DELETE FROM behandeldoel_resultaat WHERE casus_id = $1 AND aanbieder_agb = $2",
                "DELETE FROM behandeldoel WHERE casus_id = $1 AND aanbieder_agb = $2",
            ] {
                sqlx::query(delete)
                    .bind(casus_id)
                    .bind(agb)
                    .execute(&mut *conn)
                    .await?;
            }
        });
        for (n, doel) in (1_i32..).zip(plan.doelen()) {
            self.insert_doel(casus_id, agb, n, doel).await?;
        }
        Ok(())
    }

    async fn insert_doel(&mut self, casus_id: i64, agb: &str, n: i32, doel: &Doel) -> Result<()> {
        // The domain bounds a result's number to the plan's results (1 to 20);
        // one beyond an i32 is refused, never stored as another number.
        let resultaten = (doel.resultaten.iter())
            .map(|r| {
                i32::try_from(*r)
                    .map_err(|_| StoreError::Corrupt(format!("resultaatnummer {r} te groot")))
            })
            .collect::<Result<Vec<i32>>>()?;
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO behandeldoel (casus_id, aanbieder_agb, volgnummer, omschrijving, \
                   activiteiten, frequentie) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(casus_id)
            .bind(agb)
            .bind(n)
            .bind(&doel.omschrijving)
            .bind(&doel.activiteiten)
            .bind(&doel.frequentie)
            .execute(&mut *conn)
            .await?;
            for r in &resultaten {
                sqlx::query(
                    "INSERT INTO behandeldoel_resultaat (casus_id, aanbieder_agb, doel, resultaat) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(casus_id)
                .bind(agb)
                .bind(n)
                .bind(r)
                .execute(&mut *conn)
                .await?;
            }
        });
        Ok(())
    }
}

impl BehandelingRow {
    fn into_behandeling(
        self,
        doelen: &[DoelRow],
        links: &[(String, i32, i32)],
    ) -> Result<Behandeling> {
        let agb = self.aanbieder_agb;
        let reactie = match (self.reactie, self.reactie_op) {
            (Some(key), Some(op)) => Some((
                Aanbiederreactie {
                    reactie: key.parse()?,
                    toelichting: self.reactie_toelichting,
                },
                op,
            )),
            _ => None,
        };
        let doelen_van = |d: &&DoelRow| d.aanbieder_agb == agb;
        let plan = self
            .beknopt_plan
            .zip(self.plan_op)
            .map(|(beknopt_plan, opgesteld_op)| OpgeslagenBehandelplan {
                beknopt_plan,
                doelen: doelen
                    .iter()
                    .filter(doelen_van)
                    .map(|d| Doel {
                        omschrijving: d.omschrijving.clone(),
                        activiteiten: d.activiteiten.clone(),
                        frequentie: d.frequentie.clone(),
                        resultaten: links
                            .iter()
                            .filter(|(a, doel, _)| *a == agb && *doel == d.volgnummer)
                            .filter_map(|(_, _, r)| usize::try_from(*r).ok())
                            .collect(),
                    })
                    .collect(),
                opgesteld_op,
            });
        Ok(Behandeling {
            reactie,
            intake: self.intake_datum.zip(self.intake_op),
            plan,
            aanbieder: agb,
        })
    }
}
