//! The declarations (JW323) a gemeente judged, and each prestatie with what the
//! JW325 said of it: later declarations and credits are judged against them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// A judged declaration, by its header and totals (signed eurocent: credit
/// negative).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Declaratie {
    pub inbox_id: i64,
    pub gemeente_code: String,
    pub aanbieder_agb: String,
    pub identificatie: String,
    pub dagtekening: NaiveDate,
    pub declaratie_nummer: String,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub basisschema_xsd_versie: String,
    pub bericht_xsd_versie: String,
    pub ingediend_cents: i64,
    pub toegekend_cents: i64,
    /// The JW325 in the outbox.
    pub antwoord_id: i64,
    pub created_at: DateTime<Utc>,
}

/// A declared prestatie as sent, with its outcome.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Prestatie {
    pub bsn: String,
    pub referentie_nummer: String,
    pub vorig_referentie_nummer: Option<String>,
    pub toewijzing_nummer: i64,
    pub productcategorie: String,
    pub productcode: String,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub geleverd_volume: i64,
    pub eenheid: String,
    pub tarief_cents: Option<i64>,
    pub bedrag_cents: i64,
    pub credit: bool,
    /// `goedgekeurd` or `afgewezen`.
    pub status: String,
    /// The JW325's retour codes of a rejected prestatie, comma-separated.
    pub retour_codes: Option<String>,
}

const PRESTATIE_COLUMNS: &str = "p.bsn, p.referentie_nummer, p.vorig_referentie_nummer, \
     p.toewijzing_nummer, p.productcategorie, p.productcode, p.begindatum, p.einddatum, \
     p.geleverd_volume, p.eenheid, p.tarief_cents, p.bedrag_cents, p.credit, p.status, p.retour_codes";

impl Tx {
    /// Stores a judged declaration with its prestaties; answers its id.
    pub async fn insert_declaratie(
        &mut self,
        d: &Declaratie,
        prestaties: &[Prestatie],
    ) -> Result<i64> {
        let id: i64 = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "INSERT INTO declaratie (inbox_id, gemeente_code, aanbieder_agb, identificatie, dagtekening, \
                 declaratie_nummer, begindatum, einddatum, basisschema_xsd_versie, bericht_xsd_versie, \
                 ingediend_cents, toegekend_cents, antwoord_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            )
            .bind(d.inbox_id)
            .bind(&d.gemeente_code)
            .bind(&d.aanbieder_agb)
            .bind(&d.identificatie)
            .bind(d.dagtekening)
            .bind(&d.declaratie_nummer)
            .bind(d.begindatum)
            .bind(d.einddatum)
            .bind(&d.basisschema_xsd_versie)
            .bind(&d.bericht_xsd_versie)
            .bind(d.ingediend_cents)
            .bind(d.toegekend_cents)
            .bind(d.antwoord_id)
            .bind(d.created_at)
            .fetch_one(&mut *conn)
            .await?
        });
        for p in prestaties {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO prestatie (declaratie_id, bsn, referentie_nummer, vorig_referentie_nummer, \
                     toewijzing_nummer, productcategorie, productcode, begindatum, einddatum, geleverd_volume, \
                     eenheid, tarief_cents, bedrag_cents, credit, status, retour_codes) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                )
                .bind(id)
                .bind(&p.bsn)
                .bind(&p.referentie_nummer)
                .bind(&p.vorig_referentie_nummer)
                .bind(p.toewijzing_nummer)
                .bind(&p.productcategorie)
                .bind(&p.productcode)
                .bind(p.begindatum)
                .bind(p.einddatum)
                .bind(p.geleverd_volume)
                .bind(&p.eenheid)
                .bind(p.tarief_cents)
                .bind(p.bedrag_cents)
                .bind(p.credit)
                .bind(&p.status)
                .bind(&p.retour_codes)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(id)
    }

    /// The declarations a provider sent a gemeente, oldest first.
    pub async fn declaraties(
        &mut self,
        gemeente: &str,
        aanbieder: &str,
    ) -> Result<Vec<Declaratie>> {
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT inbox_id, gemeente_code, aanbieder_agb, identificatie, dagtekening, declaratie_nummer, \
                 begindatum, einddatum, basisschema_xsd_versie, bericht_xsd_versie, ingediend_cents, \
                 toegekend_cents, antwoord_id, created_at FROM declaratie \
                 WHERE gemeente_code = $1 AND aanbieder_agb = $2 ORDER BY id",
            )
            .bind(gemeente)
            .bind(aanbieder)
            .fetch_all(&mut *conn)
            .await?
        }))
    }

    /// Every prestatie a provider declared to a gemeente, oldest first.
    pub async fn prestaties(&mut self, gemeente: &str, aanbieder: &str) -> Result<Vec<Prestatie>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {PRESTATIE_COLUMNS} FROM prestatie p JOIN declaratie d ON d.id = p.declaratie_id \
             WHERE d.gemeente_code = $1 AND d.aanbieder_agb = $2 ORDER BY p.id"
        ));
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(gemeente)
                .bind(aanbieder)
                .fetch_all(&mut *conn)
                .await?
        }))
    }

    /// The prestaties of the declaration received as message `inbox_id`.
    pub async fn prestaties_van_bericht(&mut self, inbox_id: i64) -> Result<Vec<Prestatie>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {PRESTATIE_COLUMNS} FROM prestatie p JOIN declaratie d ON d.id = p.declaratie_id \
             WHERE d.inbox_id = $1 ORDER BY p.id"
        ));
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(inbox_id)
                .fetch_all(&mut *conn)
                .await?
        }))
    }
}
