//! A provider's requests (JW315 verzoek om toewijzing, JW317 verzoek om
//! wijziging) as the gemeente received them, and the answers it sent (JW319);
//! and the declarations (JW323) it judged, with each prestatie's outcome. These
//! are the history the rules across messages judge the next message against.

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::{on_tx, placeholders};
use crate::{Result, Tx};

/// A request that passed every check, with its products.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NieuwVerzoek {
    pub inbox_id: i64,
    /// `JW315` or `JW317`.
    pub soort: String,
    pub gemeente: String,
    pub aanbieder: String,
    pub bsn: String,
    pub geslachtsnaam: Option<String>,
    pub voornamen: Option<String>,
    pub geboortedatum: Option<NaiveDate>,
    pub geslacht: Option<String>,
    pub referentie_aanbieder: Option<String>,
    pub reden_verzoek: Option<String>,
    pub commentaar: Option<String>,
    pub received_on: NaiveDate,
    pub deadline: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub producten: Vec<VerzoekProduct>,
}

/// A request as it stands.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Verzoek {
    pub id: i64,
    pub inbox_id: i64,
    pub soort: String,
    pub gemeente_code: String,
    pub aanbieder_agb: String,
    pub bsn: String,
    pub geslachtsnaam: Option<String>,
    pub voornamen: Option<String>,
    pub geboortedatum: Option<NaiveDate>,
    pub geslacht: Option<String>,
    pub referentie_aanbieder: Option<String>,
    pub reden_verzoek: Option<String>,
    pub commentaar: Option<String>,
    pub received_on: NaiveDate,
    pub deadline: NaiveDate,
    /// `open`, `in_onderzoek`, `toegewezen` or `afgewezen`.
    pub state: String,
    pub casus_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<String>,
}

/// One product of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct VerzoekProduct {
    pub id: i64,
    /// `aangevraagd` (JW315), `ongewijzigd`, `te_wijzigen` or `nieuw` (JW317).
    pub soort: String,
    pub referentie_aanbieder: Option<String>,
    pub toewijzing_nummer: Option<i64>,
    pub productcategorie: Option<String>,
    pub productcode: Option<String>,
    pub ingangsdatum: Option<NaiveDate>,
    pub einddatum: Option<NaiveDate>,
    pub volume: Option<i64>,
    pub eenheid: Option<String>,
    pub frequentie: Option<String>,
    pub budget_cents: Option<i64>,
    pub verwijzer_type: Option<String>,
    pub verwijzer_naam: Option<String>,
    pub verwijzer_zorgverlenerscode: Option<String>,
    pub commentaar: Option<String>,
    /// The ToewijzingNummer of the allocation that honoured it.
    pub toegewezen_nummer: Option<i64>,
}

/// A JW319 sent on a request.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VerzoekAntwoord {
    /// `1` afgewezen, `2` in onderzoek.
    pub verzoek_antwoord: String,
    pub reden: Option<String>,
    pub woonplaats_gemeente: Option<String>,
    pub outbox_id: i64,
    pub answered_by: String,
    pub answered_at: DateTime<Utc>,
}

/// A request reference of a provider with what became of it: the input of the
/// rules across messages on requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerzoekReferentie {
    pub verzoek_id: i64,
    pub bsn: String,
    pub referentie_aanbieder: String,
    pub state: String,
    /// The VerzoekAntwoord code of each answer sent, oldest first.
    pub antwoorden: Vec<String>,
}

/// How many request references one question names at most.
const REFERENTIES_PER_QUERY: usize = 500;

/// A request reference with one of its answers, or none.
#[derive(sqlx::FromRow)]
struct VerzoekReferentieRow {
    verzoek_id: i64,
    bsn: String,
    referentie_aanbieder: String,
    state: String,
    verzoek_antwoord: Option<String>,
}

/// How a request's state changes when the worker answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerzoekAfgehandeld<'a> {
    pub id: i64,
    pub state: &'a str,
    pub deadline: NaiveDate,
    pub casus_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub by: &'a str,
}

const VERZOEK_COLUMNS: &str = "id, inbox_id, soort, gemeente_code, aanbieder_agb, bsn, geslachtsnaam, \
     voornamen, geboortedatum, geslacht, referentie_aanbieder, reden_verzoek, commentaar, received_on, \
     deadline, state, casus_id, created_at, answered_at, answered_by";

const PRODUCT_COLUMNS: &str = "id, soort, referentie_aanbieder, toewijzing_nummer, productcategorie, \
     productcode, ingangsdatum, einddatum, volume, eenheid, frequentie, budget_cents, verwijzer_type, \
     verwijzer_naam, verwijzer_zorgverlenerscode, commentaar, toegewezen_nummer";

impl Tx {
    /// Stores a request with its products; answers its id.
    pub async fn insert_verzoek(&mut self, v: &NieuwVerzoek) -> Result<i64> {
        let id: i64 = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "INSERT INTO verzoek (inbox_id, soort, gemeente_code, aanbieder_agb, bsn, geslachtsnaam, \
                 voornamen, geboortedatum, geslacht, referentie_aanbieder, reden_verzoek, commentaar, \
                 received_on, deadline, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(v.inbox_id)
            .bind(&v.soort)
            .bind(&v.gemeente)
            .bind(&v.aanbieder)
            .bind(&v.bsn)
            .bind(&v.geslachtsnaam)
            .bind(&v.voornamen)
            .bind(v.geboortedatum)
            .bind(&v.geslacht)
            .bind(&v.referentie_aanbieder)
            .bind(&v.reden_verzoek)
            .bind(&v.commentaar)
            .bind(v.received_on)
            .bind(v.deadline)
            .bind(v.created_at)
            .fetch_one(&mut *conn)
            .await?
        });
        for p in &v.producten {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO verzoek_product (verzoek_id, soort, referentie_aanbieder, toewijzing_nummer, \
                     productcategorie, productcode, ingangsdatum, einddatum, volume, eenheid, frequentie, \
                     budget_cents, verwijzer_type, verwijzer_naam, verwijzer_zorgverlenerscode, commentaar) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                )
                .bind(id)
                .bind(&p.soort)
                .bind(&p.referentie_aanbieder)
                .bind(p.toewijzing_nummer)
                .bind(&p.productcategorie)
                .bind(&p.productcode)
                .bind(p.ingangsdatum)
                .bind(p.einddatum)
                .bind(p.volume)
                .bind(&p.eenheid)
                .bind(&p.frequentie)
                .bind(p.budget_cents)
                .bind(&p.verwijzer_type)
                .bind(&p.verwijzer_naam)
                .bind(&p.verwijzer_zorgverlenerscode)
                .bind(&p.commentaar)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(id)
    }

    pub async fn verzoek(&mut self, id: i64) -> Result<Option<Verzoek>> {
        self.verzoek_by("id", id).await
    }

    /// The request stored from received message `inbox_id`.
    pub async fn verzoek_van_bericht(&mut self, inbox_id: i64) -> Result<Option<Verzoek>> {
        self.verzoek_by("inbox_id", inbox_id).await
    }

    /// The request whose unique `column` (a fixed name, never input) is `value`.
    async fn verzoek_by(&mut self, column: &'static str, value: i64) -> Result<Option<Verzoek>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {VERZOEK_COLUMNS} FROM verzoek WHERE {column} = $1"
        ));
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(value)
                .fetch_optional(&mut *conn)
                .await?
        }))
    }

    pub async fn verzoek_producten(&mut self, verzoek_id: i64) -> Result<Vec<VerzoekProduct>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {PRODUCT_COLUMNS} FROM verzoek_product WHERE verzoek_id = $1 ORDER BY id"
        ));
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(verzoek_id)
                .fetch_all(&mut *conn)
                .await?
        }))
    }

    pub async fn verzoek_antwoorden(&mut self, verzoek_id: i64) -> Result<Vec<VerzoekAntwoord>> {
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT verzoek_antwoord, reden, woonplaats_gemeente, outbox_id, answered_by, answered_at \
                 FROM verzoek_antwoord WHERE verzoek_id = $1 ORDER BY id",
            )
            .bind(verzoek_id)
            .fetch_all(&mut *conn)
            .await?
        }))
    }

    /// Requests of the gemeenten given, newest first, `limit` at most, before id
    /// `before` (keyset paging); only those still waiting for an answer when
    /// `waiting`.
    pub async fn verzoeken(
        &mut self,
        gemeenten: &[String],
        waiting: bool,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Verzoek>> {
        if gemeenten.is_empty() {
            return Ok(Vec::new());
        }
        let list = placeholders(4, gemeenten.len());
        let sql = format!(
            "SELECT {VERZOEK_COLUMNS} FROM verzoek WHERE id < $1 \
             AND ($2 = 0 OR state IN ('open', 'in_onderzoek')) AND gemeente_code IN ({list}) \
             ORDER BY id DESC LIMIT $3"
        );
        Ok(on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(before.unwrap_or(i64::MAX))
                .bind(i64::from(waiting))
                .bind(limit);
            for g in gemeenten {
                query = query.bind(g);
            }
            query.fetch_all(&mut *conn).await?
        }))
    }

    /// The requests of provider `agb` still waiting for the gemeente's
    /// answer, the oldest deadline first, `limit` at most.
    pub async fn open_verzoeken_van(&mut self, agb: &str, limit: i64) -> Result<Vec<Verzoek>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {VERZOEK_COLUMNS} FROM verzoek WHERE aanbieder_agb = $1 \
             AND state IN ('open', 'in_onderzoek') ORDER BY deadline, id LIMIT $2"
        ));
        Ok(on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(agb)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        }))
    }

    /// The provider's request references that the rules on a request about
    /// the youth with `bsn` naming `referenties` look at: those of that youth
    /// (an open request, TR374) and those with one of these references (TR347),
    /// each with its answers — in one question, not one per request.
    pub async fn verzoek_referenties(
        &mut self,
        gemeente: &str,
        aanbieder: &str,
        bsn: &str,
        referenties: &[&str],
    ) -> Result<Vec<VerzoekReferentie>> {
        // A JW315 may name any number of products (the XSD sets no maximum), a
        // statement only so many parameters: the references go in parts.
        let mut referenties = referenties.to_vec();
        referenties.sort_unstable();
        referenties.dedup();
        let parts: Vec<&[&str]> = if referenties.is_empty() {
            vec![&[]]
        } else {
            referenties.chunks(REFERENTIES_PER_QUERY).collect()
        };
        let mut found: Vec<VerzoekReferentie> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for part in parts {
            for r in self
                .verzoek_referenties_deel(gemeente, aanbieder, bsn, part)
                .await?
            {
                if seen.insert((r.verzoek_id, r.referentie_aanbieder.clone())) {
                    found.push(r);
                }
            }
        }
        Ok(found)
    }

    /// [`Tx::verzoek_referenties`] for up to [`REFERENTIES_PER_QUERY`] references.
    async fn verzoek_referenties_deel(
        &mut self,
        gemeente: &str,
        aanbieder: &str,
        bsn: &str,
        referenties: &[&str],
    ) -> Result<Vec<VerzoekReferentie>> {
        const REFERENTIE: &str = "COALESCE(p.referentie_aanbieder, v.referentie_aanbieder)";
        // The requests are first found by what an index answers (the client; a
        // product's reference; the request's own), then their products filtered
        // by the reference they stand under: a condition on the COALESCE of two
        // tables alone would leave the database only a scan.
        let (by_referentie, candidates) = match referenties.len() {
            0 => (String::new(), String::new()),
            n => {
                let list = placeholders(4, n);
                (
                    format!("OR {REFERENTIE} IN ({list})"),
                    format!(
                        "UNION SELECT id FROM verzoek WHERE gemeente_code = $1 \
                         AND aanbieder_agb = $2 AND referentie_aanbieder IN ({list}) \
                         UNION SELECT q.verzoek_id FROM verzoek_product q \
                         WHERE q.referentie_aanbieder IN ({list})"
                    ),
                )
            }
        };
        let sql = format!(
            "WITH gekozen (id) AS (SELECT id FROM verzoek WHERE gemeente_code = $1 \
             AND aanbieder_agb = $2 AND bsn = $3 {candidates}) \
             SELECT DISTINCT v.id AS verzoek_id, v.bsn, {REFERENTIE} AS referentie_aanbieder, \
             v.state, a.id AS antwoord_id, a.verzoek_antwoord \
             FROM verzoek v JOIN verzoek_product p ON p.verzoek_id = v.id \
             LEFT JOIN verzoek_antwoord a ON a.verzoek_id = v.id \
             WHERE v.id IN (SELECT id FROM gekozen) \
             AND v.gemeente_code = $1 AND v.aanbieder_agb = $2 AND {REFERENTIE} IS NOT NULL \
             AND (v.bsn = $3 {by_referentie}) \
             ORDER BY verzoek_id, referentie_aanbieder, antwoord_id"
        );
        let rows: Vec<VerzoekReferentieRow> = on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(gemeente)
                .bind(aanbieder)
                .bind(bsn);
            for referentie in referenties {
                query = query.bind(*referentie);
            }
            query.fetch_all(&mut *conn).await?
        });
        let mut found: Vec<VerzoekReferentie> = Vec::new();
        for row in rows {
            let same = found.last().is_some_and(|f| {
                f.verzoek_id == row.verzoek_id && f.referentie_aanbieder == row.referentie_aanbieder
            });
            if !same {
                found.push(VerzoekReferentie {
                    verzoek_id: row.verzoek_id,
                    bsn: row.bsn,
                    referentie_aanbieder: row.referentie_aanbieder,
                    state: row.state,
                    antwoorden: Vec::new(),
                });
            }
            if let (Some(last), Some(antwoord)) = (found.last_mut(), row.verzoek_antwoord) {
                last.antwoorden.push(antwoord);
            }
        }
        Ok(found)
    }

    pub async fn insert_verzoek_antwoord(
        &mut self,
        verzoek_id: i64,
        a: &VerzoekAntwoord,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO verzoek_antwoord (verzoek_id, verzoek_antwoord, reden, woonplaats_gemeente, \
                 outbox_id, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(verzoek_id)
            .bind(&a.verzoek_antwoord)
            .bind(&a.reden)
            .bind(&a.woonplaats_gemeente)
            .bind(a.outbox_id)
            .bind(&a.answered_by)
            .bind(a.answered_at)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Moves a request that still waits to its new state; `false` when it was
    /// answered meanwhile (nothing changed).
    pub async fn verzoek_afhandelen(&mut self, a: &VerzoekAfgehandeld<'_>) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "UPDATE verzoek SET state = $2, deadline = $3, casus_id = COALESCE($4, casus_id), \
                 answered_at = $5, answered_by = $6 \
                 WHERE id = $1 AND state IN ('open', 'in_onderzoek')",
            )
            .bind(a.id)
            .bind(a.state)
            .bind(a.deadline)
            .bind(a.casus_id)
            .bind(a.at)
            .bind(a.by)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Records the allocation that honoured a product of a request.
    pub async fn verzoek_product_toegewezen(&mut self, product_id: i64, nummer: i64) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE verzoek_product SET toegewezen_nummer = $2 WHERE id = $1")
                .bind(product_id)
                .bind(nummer)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
