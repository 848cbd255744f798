//! Onderaannemers as rows: the providers a hoofdaannemer called in per
//! allocation, for the hoofdaannemer's and the gemeente's case pages and the
//! onderaannemer's own list.

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// An onderaannemer of an allocation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Onderaanneming {
    pub casus_id: i64,
    pub gemeente_code: String,
    pub toewijzing_nummer: i64,
    pub hoofdaannemer_agb: String,
    pub onderaannemer_agb: String,
    pub geregistreerd_op: DateTime<Utc>,
    /// When the hoofdaannemer ended its part, and why; an ended onderaannemer
    /// no longer sees the case.
    pub beeindigd_op: Option<DateTime<Utc>>,
    pub einde_reden: Option<String>,
}

/// Which onderaannemer of which allocation, by whose call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Onderaannemerschap<'a> {
    pub casus_id: i64,
    pub toewijzing_nummer: i64,
    pub hoofdaannemer: &'a str,
    pub onderaannemer: &'a str,
}

/// An allocation on an onderaannemer's list: the youth, and the period of the
/// allocation it helps with.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OnderaannemerRegel {
    #[sqlx(flatten)]
    pub onderaanneming: Onderaanneming,
    pub jeugdige_id: i64,
    pub first_names: String,
    pub surname: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

impl Tx {
    /// Records an onderaannemer of an allocation: once (a second time changes
    /// nothing), or again after it was ended (from now on, without the end).
    pub async fn insert_onderaannemer(&mut self, o: &Onderaanneming) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO onderaannemer (casus_id, gemeente_code, toewijzing_nummer, \
                   hoofdaannemer_agb, onderaannemer_agb, geregistreerd_op) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (casus_id, toewijzing_nummer, onderaannemer_agb) DO UPDATE \
                   SET geregistreerd_op = excluded.geregistreerd_op, beeindigd_op = NULL, \
                     einde_reden = NULL \
                   WHERE onderaannemer.beeindigd_op IS NOT NULL",
            )
            .bind(o.casus_id)
            .bind(&o.gemeente_code)
            .bind(o.toewijzing_nummer)
            .bind(&o.hoofdaannemer_agb)
            .bind(&o.onderaannemer_agb)
            .bind(o.geregistreerd_op)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Ends an onderaannemer of an allocation at `at` for `reden`; false when
    /// it is not (or no longer) an onderaannemer there.
    pub async fn beeindig_onderaannemer(
        &mut self,
        o: &Onderaannemerschap<'_>,
        at: DateTime<Utc>,
        reden: &str,
    ) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "UPDATE onderaannemer SET beeindigd_op = $1, einde_reden = $2 \
                 WHERE casus_id = $3 AND toewijzing_nummer = $4 AND onderaannemer_agb = $5 \
                   AND hoofdaannemer_agb = $6 AND beeindigd_op IS NULL",
            )
            .bind(at)
            .bind(reden)
            .bind(o.casus_id)
            .bind(o.toewijzing_nummer)
            .bind(o.onderaannemer)
            .bind(o.hoofdaannemer)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The onderaannemers of a case's allocations, ended ones too; with
    /// `onderaannemer`, only that provider's current ones.
    pub async fn onderaannemers(
        &mut self,
        casus_id: i64,
        onderaannemer: Option<&str>,
    ) -> Result<Vec<Onderaanneming>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT casus_id, gemeente_code, toewijzing_nummer, hoofdaannemer_agb, \
                   onderaannemer_agb, geregistreerd_op, beeindigd_op, einde_reden \
                 FROM onderaannemer WHERE casus_id = $1 \
                   AND ($2 IS NULL OR (onderaannemer_agb = $2 AND beeindigd_op IS NULL)) \
                 ORDER BY toewijzing_nummer, onderaannemer_agb",
            )
            .bind(casus_id)
            .bind(onderaannemer)
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    /// The allocations a provider helps with as onderaannemer (not ended),
    /// newest first; at most `limit`.
    pub async fn als_onderaannemer(
        &mut self,
        agb: &str,
        limit: i64,
    ) -> Result<Vec<OnderaannemerRegel>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT o.casus_id, o.gemeente_code, o.toewijzing_nummer, o.hoofdaannemer_agb, \
                   o.onderaannemer_agb, o.geregistreerd_op, o.beeindigd_op, o.einde_reden, \
                   j.id AS jeugdige_id, j.first_names, j.surname, \
                   t.start_date, t.end_date \
                 FROM onderaannemer o \
                 JOIN toewijzing t ON t.gemeente_code = o.gemeente_code \
                   AND t.nummer = o.toewijzing_nummer \
                 JOIN casus c ON c.id = o.casus_id JOIN jeugdige j ON j.id = c.jeugdige_id \
                 WHERE o.onderaannemer_agb = $1 AND o.beeindigd_op IS NULL \
                 ORDER BY o.casus_id DESC LIMIT $2",
            )
            .bind(agb)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?)
        })
    }
}
