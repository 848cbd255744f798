//! The declarations (JW323) a gemeente judged, and each prestatie with what the
//! JW325 said of it: later declarations and credits are judged against them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::{on_tx, placeholders};
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

/// At most this many values in the lists of [`Tx::prestaties_voor`]; well below
/// what either backend takes in one query.
const MAX_OPZOEKEN: usize = 2_000;

/// Prestaties per INSERT statement: 16 values each, well below what either
/// backend takes in one query.
const PRESTATIES_PER_INSERT: usize = 500;

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
        // Many rows per statement: one round trip for a declaration's prestaties.
        for chunk in prestaties.chunks(PRESTATIES_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO prestatie (declaratie_id, bsn, referentie_nummer, vorig_referentie_nummer, \
                     toewijzing_nummer, productcategorie, productcode, begindatum, einddatum, geleverd_volume, \
                     eenheid, tarief_cents, bedrag_cents, credit, status, retour_codes) ",
                );
                insert.push_values(chunk, |mut row, p| {
                    row.push_bind(id)
                        .push_bind(&p.bsn)
                        .push_bind(&p.referentie_nummer)
                        .push_bind(&p.vorig_referentie_nummer)
                        .push_bind(p.toewijzing_nummer)
                        .push_bind(&p.productcategorie)
                        .push_bind(&p.productcode)
                        .push_bind(p.begindatum)
                        .push_bind(p.einddatum)
                        .push_bind(p.geleverd_volume)
                        .push_bind(&p.eenheid)
                        .push_bind(p.tarief_cents)
                        .push_bind(p.bedrag_cents)
                        .push_bind(p.credit)
                        .push_bind(&p.status)
                        .push_bind(&p.retour_codes);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(id)
    }

    /// The declarations of a provider to a gemeente that the rules on a new one
    /// with DeclaratieNummer `nummer` look at: those with that number (TR333)
    /// and those that end last (TR318).
    pub async fn declaraties_voor(
        &mut self,
        gemeente: &str,
        aanbieder: &str,
        nummer: &str,
    ) -> Result<Vec<Declaratie>> {
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT inbox_id, gemeente_code, aanbieder_agb, identificatie, dagtekening, declaratie_nummer, \
                 begindatum, einddatum, basisschema_xsd_versie, bericht_xsd_versie, ingediend_cents, \
                 toegekend_cents, antwoord_id, created_at FROM declaratie \
                 WHERE gemeente_code = $1 AND aanbieder_agb = $2 AND (declaratie_nummer = $3 \
                 OR einddatum = (SELECT MAX(einddatum) FROM declaratie \
                 WHERE gemeente_code = $1 AND aanbieder_agb = $2)) ORDER BY id",
            )
            .bind(gemeente)
            .bind(aanbieder)
            .bind(nummer)
            .fetch_all(&mut *conn)
            .await?
        }))
    }

    /// The prestaties a provider declared to a gemeente that the rules on a new
    /// declaration look at, oldest first: those on its allocations (TR322,
    /// TR369, TR389), those whose ReferentieNummer or VorigReferentieNummer is
    /// one of `referenties` (the message's own and previous ones: TR314, TR323,
    /// TR390), and the credits of those on its allocations (TR389).
    pub async fn prestaties_voor(
        &mut self,
        gemeente: &str,
        aanbieder: &str,
        toewijzingen: &[i64],
        referenties: &[&str],
    ) -> Result<Vec<Prestatie>> {
        // A message with very many prestaties is judged against all of the
        // provider's: the list of values a query takes is bounded.
        let narrow = toewijzingen.len() + referenties.len() <= MAX_OPZOEKEN;
        let filter = if narrow {
            let nummers = placeholders(3, toewijzingen.len().max(1));
            let refs = placeholders(3 + toewijzingen.len().max(1), referenties.len().max(1));
            format!(
                "AND (p.toewijzing_nummer IN ({nummers}) \
                 OR p.referentie_nummer IN ({refs}) OR p.vorig_referentie_nummer IN ({refs}) \
                 OR p.vorig_referentie_nummer IN (SELECT q.referentie_nummer FROM prestatie q \
                 JOIN declaratie e ON e.id = q.declaratie_id WHERE e.gemeente_code = $1 \
                 AND e.aanbieder_agb = $2 AND q.toewijzing_nummer IN ({nummers})))"
            )
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT {PRESTATIE_COLUMNS} FROM prestatie p JOIN declaratie d ON d.id = p.declaratie_id \
             WHERE d.gemeente_code = $1 AND d.aanbieder_agb = $2 {filter} ORDER BY p.id"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(gemeente)
                .bind(aanbieder);
            if narrow {
                // An empty list still needs one value: 0 is no ToewijzingNummer,
                // and a ReferentieNummer is never empty.
                query = match toewijzingen {
                    [] => query.bind(0_i64),
                    _ => toewijzingen.iter().fold(query, |q, n| q.bind(*n)),
                };
                query = match referenties {
                    [] => query.bind(""),
                    _ => referenties.iter().fold(query, |q, r| q.bind(*r)),
                };
            }
            query.fetch_all(&mut *conn).await?
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
