//! How the help goes and how it ended, as rows: the progress notes of the
//! provider and the local team (only ever added), and the evaluation that
//! closed the help with a judgement per result of the perspectiefplan.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{Evaluatie, Resultaatoordeel};

use crate::store::on_tx;
use crate::{Result, Tx};

/// At most this many notes of a case are read, the newest.
pub const VOORTGANG_MAX: i64 = 100;

/// A progress note as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Voortgang {
    pub id: i64,
    pub casus_id: i64,
    /// The user name of who wrote it.
    pub auteur: String,
    /// `aanbieder` or `toegang`.
    pub namens: String,
    /// The provider it was written for, when `namens` is `aanbieder`.
    pub aanbieder_agb: Option<String>,
    pub tekst: String,
    pub geschreven_op: DateTime<Utc>,
}

/// A progress note to record.
#[derive(Debug, Clone, Copy)]
pub struct NieuweVoortgang<'a> {
    pub casus_id: i64,
    pub auteur: &'a str,
    /// The provider's AGB code for a note of the provider; none for the local team.
    pub aanbieder_agb: Option<&'a str>,
    pub tekst: &'a str,
    pub geschreven_op: DateTime<Utc>,
}

impl Tx {
    /// The newest [`VOORTGANG_MAX`] notes of a case, newest first.
    pub async fn voortgang(&mut self, casus_id: i64) -> Result<Vec<Voortgang>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT id, casus_id, auteur, namens, aanbieder_agb, tekst, geschreven_op \
                 FROM voortgang WHERE casus_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(casus_id)
            .bind(VOORTGANG_MAX)
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    /// Adds a progress note.
    pub async fn insert_voortgang(&mut self, n: &NieuweVoortgang<'_>) -> Result<()> {
        let namens = if n.aanbieder_agb.is_some() {
            "aanbieder"
        } else {
            "toegang"
        };
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO voortgang (casus_id, auteur, namens, aanbieder_agb, tekst, geschreven_op) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(n.casus_id)
            .bind(n.auteur)
            .bind(namens)
            .bind(n.aanbieder_agb)
            .bind(n.tekst)
            .bind(n.geschreven_op)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records the evaluation that closed the help of a case.
    pub async fn save_evaluatie(&mut self, casus_id: i64, e: &Evaluatie) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO evaluatie (casus_id, reden_einde, einddatum) VALUES ($1, $2, $3)",
            )
            .bind(casus_id)
            .bind(e.reden().key())
            .bind(e.einddatum())
            .execute(&mut *conn)
            .await?;
            for (volgnummer, o) in (1_i32..).zip(e.oordelen()) {
                sqlx::query(
                    "INSERT INTO evaluatie_resultaat (casus_id, volgnummer, oordeel, gezin) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(casus_id)
                .bind(volgnummer)
                .bind(o.oordeel.key())
                .bind(&o.gezin)
                .execute(&mut *conn)
                .await?;
            }
        });
        Ok(())
    }

    /// The evaluation that closed the help of a case, if it was closed so.
    pub async fn evaluatie(&mut self, casus_id: i64) -> Result<Option<Evaluatie>> {
        let row: Option<(String, NaiveDate)> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT reden_einde, einddatum FROM evaluatie WHERE casus_id = $1")
                .bind(casus_id)
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some((reden, einddatum)) = row else {
            return Ok(None);
        };
        let oordelen: Vec<(String, String)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT oordeel, gezin FROM evaluatie_resultaat WHERE casus_id = $1 \
                 ORDER BY volgnummer",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        let oordelen = oordelen
            .into_iter()
            .map(|(oordeel, gezin)| {
                Ok(Resultaatoordeel {
                    oordeel: oordeel.parse()?,
                    gezin,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Evaluatie::opgeslagen(
            oordelen,
            reden.parse()?,
            einddatum,
        )))
    }
}
