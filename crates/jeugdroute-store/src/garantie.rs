//! Help under the warranty as rows: the ended help of a youth a new melding is
//! checked against, and the cases that went back to an earlier hoofdaannemer
//! (each counted as recurrence).

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// Help a youth had that was closed by an evaluation, with its hoofdaannemer
/// (the provider matched) and its last day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EerdereHulp {
    pub casus_id: i64,
    pub aanbieder_agb: String,
    pub einddatum: NaiveDate,
}

/// A case that went back to the hoofdaannemer of earlier help.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Garantiezaak {
    pub casus_id: i64,
    pub eerdere_casus_id: i64,
    pub aanbieder_agb: String,
    pub einddatum: NaiveDate,
    pub garantie_tot: NaiveDate,
    pub teruggelegd_op: DateTime<Utc>,
}

/// A warranty case on a provider's worklist, with the youth's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GarantieRegel {
    #[sqlx(flatten)]
    pub zaak: Garantiezaak,
    /// The gemeente of the case.
    pub gemeente_code: String,
    pub jeugdige_id: i64,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
}

impl Tx {
    /// The help of youth `jeugdige_id` in other cases than `behalve` that an
    /// evaluation closed (not by death, which has no warranty), the most
    /// recently ended first; at most 20.
    pub async fn eerdere_hulp(
        &mut self,
        jeugdige_id: i64,
        behalve: i64,
    ) -> Result<Vec<EerdereHulp>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT c.id AS casus_id, m.aanbieder_agb, e.einddatum \
                 FROM casus c JOIN evaluatie e ON e.casus_id = c.id \
                 JOIN match_intake m ON m.casus_id = c.id \
                 WHERE c.jeugdige_id = $1 AND c.id <> $2 AND e.reden_einde <> '02' \
                 ORDER BY e.einddatum DESC, c.id DESC LIMIT 20",
            )
            .bind(jeugdige_id)
            .bind(behalve)
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    /// Per provider, how many cases went back to it under the warranty since
    /// `vanaf`: its recurrence. Providers without any are left out.
    pub async fn garantiezaken_sinds(
        &mut self,
        vanaf: DateTime<Utc>,
    ) -> Result<Vec<(String, i64)>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT aanbieder_agb, COUNT(*) FROM garantie WHERE teruggelegd_op >= $1 \
                 GROUP BY aanbieder_agb ORDER BY aanbieder_agb",
            )
            .bind(vanaf)
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    /// Records that a case went back to an earlier hoofdaannemer.
    pub async fn insert_garantie(&mut self, g: &Garantiezaak) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO garantie (casus_id, eerdere_casus_id, aanbieder_agb, einddatum, \
                   garantie_tot, teruggelegd_op) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(g.casus_id)
            .bind(g.eerdere_casus_id)
            .bind(&g.aanbieder_agb)
            .bind(g.einddatum)
            .bind(g.garantie_tot)
            .bind(g.teruggelegd_op)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Whether a case went back under the warranty, and to whom.
    pub async fn garantie(&mut self, casus_id: i64) -> Result<Option<Garantiezaak>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT casus_id, eerdere_casus_id, aanbieder_agb, einddatum, garantie_tot, \
                   teruggelegd_op FROM garantie WHERE casus_id = $1",
            )
            .bind(casus_id)
            .fetch_optional(&mut *conn)
            .await?)
        })
    }

    /// The warranty cases of a provider, newest first; at most `limit`.
    pub async fn garantiezaken_van(&mut self, agb: &str, limit: i64) -> Result<Vec<GarantieRegel>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT g.casus_id, g.eerdere_casus_id, g.aanbieder_agb, g.einddatum, \
                   g.garantie_tot, g.teruggelegd_op, c.gemeente_code, j.id AS jeugdige_id, \
                   j.first_names, j.surname, j.birth_date \
                 FROM garantie g JOIN casus c ON c.id = g.casus_id \
                 JOIN jeugdige j ON j.id = c.jeugdige_id \
                 WHERE g.aanbieder_agb = $1 ORDER BY g.casus_id DESC LIMIT $2",
            )
            .bind(agb)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?)
        })
    }
}
