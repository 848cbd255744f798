//! The provider's side of the exchange, for providers hosted in this
//! installation: every version of the allocations it received (JW301), the
//! messages it wrote (start, stop, requests, declarations) with their outbox
//! rows, the answers it received on them (JW319, JW325), and the prestaties it
//! declared with what became of them. Every query is scoped by the provider's
//! AGB code.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::deel::{Deel, Kolommen, Rij};
use crate::store::{on_tx, placeholders};
use crate::{Result, Tx};

/// One version of one allocation (ToegewezenProduct) as a provider received it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OntvangenToewijzing {
    pub id: i64,
    pub aanbieder_agb: String,
    /// The gemeente that sent it (CBS code).
    pub gemeente_code: String,
    pub toewijzing_nummer: i64,
    pub bsn: String,
    /// The client's name as sent: voornamen, voorvoegsel and achternaam.
    pub naam: String,
    pub geboortedatum: NaiveDate,
    /// `None` for a generic allocation (no Product).
    pub product_categorie: Option<String>,
    pub product_code: Option<String>,
    pub toewijzingsdatum: NaiveDate,
    pub toewijzingstijd: NaiveTime,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub reden_wijziging: Option<String>,
    pub volume: Option<i64>,
    pub eenheid: Option<String>,
    pub frequentie: Option<String>,
    pub budget: Option<i64>,
    pub referentie_aanbieder: Option<String>,
    /// The received JW301 that carried it.
    pub inbox_id: i64,
}

/// A message a provider wrote, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAanbiederBericht<'a> {
    pub aanbieder_agb: &'a str,
    pub gemeente_code: &'a str,
    pub berichtsoort: &'a str,
    pub volgnummer: i64,
    pub identificatie: &'a str,
    pub toewijzing_nummer: Option<i64>,
    pub bsn: Option<&'a str>,
    pub referentie_aanbieder: Option<&'a str>,
    pub declaratie_nummer: Option<&'a str>,
    pub ingediend_bedrag: Option<i64>,
    /// A removal (StatusAanlevering 3): the start or stop it removes.
    pub verwijdert_id: Option<i64>,
    pub outbox_id: i64,
}

/// A message a provider wrote, with where it stands: delivered, and what the
/// gemeente's retour said of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AanbiederBericht {
    pub id: i64,
    pub aanbieder_agb: String,
    pub gemeente_code: String,
    /// `JW305`, `JW307`, `JW315`, `JW317` or `JW323`.
    pub berichtsoort: String,
    pub identificatie: String,
    pub toewijzing_nummer: Option<i64>,
    pub bsn: Option<String>,
    pub referentie_aanbieder: Option<String>,
    pub declaratie_nummer: Option<String>,
    /// In eurocent, debet positive.
    pub ingediend_bedrag: Option<i64>,
    pub verwijdert_id: Option<i64>,
    pub outbox_id: i64,
    /// The XML as sent.
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// `goedgekeurd` or `afgekeurd`, once the retour (or JW325) came.
    pub retour_state: Option<String>,
    /// The received retour (or JW325).
    pub retour_inbox_id: Option<i64>,
}

/// An answer a provider received on a request (JW319) or a declaration (JW325).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OntvangenAntwoord {
    pub id: i64,
    /// The provider's message it answers.
    pub bericht_id: i64,
    /// `JW319` or `JW325`.
    pub berichtsoort: String,
    /// JW319: VerzoekAntwoord (WJ760), `1` afgewezen, `2` in onderzoek.
    pub verzoek_antwoord: Option<String>,
    /// JW319: RedenAfwijzingVerzoek.
    pub reden_afwijzing: Option<String>,
    /// JW319 with reason 8: the gemeente responsible by the woonplaatsbeginsel.
    pub woonplaats_gemeente: Option<String>,
    /// JW325: the retour codes of header and DeclaratieAntwoord, comma-separated.
    pub retour_codes: Option<String>,
    /// JW325: the approved total in eurocent, debet positive.
    pub toegekend_bedrag: Option<i64>,
    pub inbox_id: i64,
}

/// A prestatie a provider declared, as sent, with what the JW325 made of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AanbiederPrestatie {
    pub id: i64,
    /// The JW323 that declared it.
    pub bericht_id: i64,
    pub aanbieder_agb: String,
    pub bsn: String,
    pub referentie_nummer: String,
    pub vorig_referentie_nummer: Option<String>,
    pub toewijzing_nummer: i64,
    pub product_categorie: String,
    pub product_code: String,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub geleverd_volume: i64,
    pub eenheid: String,
    pub product_tarief: Option<i64>,
    /// In eurocent.
    pub bedrag: i64,
    /// 1 for a credit, 0 for a debet.
    pub credit: i64,
    /// `ingediend`, `goedgekeurd` or `afgewezen`.
    pub status: String,
    /// The JW325's retour codes for it, comma-separated.
    pub retour_codes: Option<String>,
}

const TOEWIJZING_COLUMNS: &str = "id, aanbieder_agb, gemeente_code, toewijzing_nummer, bsn, \
     naam, geboortedatum, product_categorie, product_code, toewijzingsdatum, toewijzingstijd, \
     ingangsdatum, einddatum, reden_wijziging, volume, eenheid, frequentie, budget, \
     referentie_aanbieder, inbox_id";

const BERICHT_SELECT: &str = "SELECT b.id, b.aanbieder_agb, b.gemeente_code, b.berichtsoort, \
     b.identificatie, b.toewijzing_nummer, b.bsn, b.referentie_aanbieder, b.declaratie_nummer, \
     b.ingediend_bedrag, b.verwijdert_id, b.outbox_id, o.body, b.created_at, o.sent_at, o.retour_state, \
     o.retour_inbox_id FROM aanbieder_bericht b JOIN outbox o ON o.id = b.outbox_id";

const PRESTATIE_COLUMNS: &str = "id, bericht_id, aanbieder_agb, bsn, referentie_nummer, \
     vorig_referentie_nummer, toewijzing_nummer, product_categorie, product_code, begindatum, \
     einddatum, geleverd_volume, eenheid, product_tarief, bedrag, credit, status, retour_codes";

impl Tx {
    /// Keeps one version of an allocation a provider received.
    pub async fn insert_ontvangen_toewijzing(
        &mut self,
        t: &OntvangenToewijzing,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO ontvangen_toewijzing (aanbieder_agb, gemeente_code, \
                 toewijzing_nummer, bsn, naam, geboortedatum, product_categorie, product_code, \
                 toewijzingsdatum, toewijzingstijd, ingangsdatum, einddatum, reden_wijziging, \
                 volume, eenheid, frequentie, budget, referentie_aanbieder, inbox_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                 $17, $18, $19, $20) RETURNING id",
            )
            .bind(&t.aanbieder_agb)
            .bind(&t.gemeente_code)
            .bind(t.toewijzing_nummer)
            .bind(&t.bsn)
            .bind(&t.naam)
            .bind(t.geboortedatum)
            .bind(&t.product_categorie)
            .bind(&t.product_code)
            .bind(t.toewijzingsdatum)
            .bind(t.toewijzingstijd)
            .bind(t.ingangsdatum)
            .bind(t.einddatum)
            .bind(&t.reden_wijziging)
            .bind(t.volume)
            .bind(&t.eenheid)
            .bind(&t.frequentie)
            .bind(t.budget)
            .bind(&t.referentie_aanbieder)
            .bind(t.inbox_id)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Every version a provider received from a gemeente of the allocations in
    /// `deel` (of its client, with its number, carrying its ReferentieAanbieder),
    /// by number and then oldest version first.
    pub async fn ontvangen_toewijzingen(
        &mut self,
        agb: &str,
        gemeente: &str,
        deel: &Deel<'_>,
    ) -> Result<Vec<OntvangenToewijzing>> {
        let select = format!(
            "SELECT {TOEWIJZING_COLUMNS} FROM ontvangen_toewijzing WHERE aanbieder_agb = $1 \
             AND gemeente_code = $2"
        );
        let kolommen = Kolommen {
            bsn: Some("bsn"),
            nummer: Some("toewijzing_nummer"),
            referentie: &["referentie_aanbieder"],
            bericht: None,
        };
        self.deel_rows(
            &select,
            &[agb, gemeente],
            deel,
            &kolommen,
            |a: &OntvangenToewijzing, b| {
                let key = |t: &OntvangenToewijzing| {
                    (
                        t.toewijzing_nummer,
                        t.toewijzingsdatum,
                        t.toewijzingstijd,
                        t.id,
                    )
                };
                key(a).cmp(&key(b))
            },
        )
        .await
    }

    /// The next number of a provider's messages of one type (1 for the first).
    pub async fn volgend_aanbieder_bericht(&mut self, agb: &str, soort: &str) -> Result<i64> {
        let last: Option<i64> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT MAX(volgnummer) FROM aanbieder_bericht \
                 WHERE aanbieder_agb = $1 AND berichtsoort = $2",
            )
            .bind(agb)
            .bind(soort)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok(last.unwrap_or(0) + 1)
    }

    /// Keeps a message a provider wrote, beside its outbox row.
    pub async fn insert_aanbieder_bericht(
        &mut self,
        b: &NewAanbiederBericht<'_>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO aanbieder_bericht (aanbieder_agb, gemeente_code, berichtsoort, \
                 volgnummer, identificatie, toewijzing_nummer, bsn, referentie_aanbieder, \
                 declaratie_nummer, ingediend_bedrag, verwijdert_id, outbox_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(b.aanbieder_agb)
            .bind(b.gemeente_code)
            .bind(b.berichtsoort)
            .bind(b.volgnummer)
            .bind(b.identificatie)
            .bind(b.toewijzing_nummer)
            .bind(b.bsn)
            .bind(b.referentie_aanbieder)
            .bind(b.declaratie_nummer)
            .bind(b.ingediend_bedrag)
            .bind(b.verwijdert_id)
            .bind(b.outbox_id)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// One message of this provider; `None` when it does not exist or is
    /// another provider's.
    pub async fn aanbieder_bericht(
        &mut self,
        agb: &str,
        id: i64,
    ) -> Result<Option<AanbiederBericht>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{BERICHT_SELECT} WHERE b.aanbieder_agb = $1 AND b.id = $2"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(agb)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?))
    }

    /// This provider's message of a type by its Identificatie.
    pub async fn aanbieder_bericht_met(
        &mut self,
        agb: &str,
        soort: &str,
        identificatie: &str,
    ) -> Result<Option<AanbiederBericht>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{BERICHT_SELECT} WHERE b.aanbieder_agb = $1 AND b.berichtsoort = $2 \
             AND b.identificatie = $3"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(agb)
            .bind(soort)
            .bind(identificatie)
            .fetch_optional(&mut *conn)
            .await?))
    }

    /// A provider's messages to a gemeente in `deel` (about its client or its
    /// allocations, with its ReferentieAanbieder, or by id), of the given types
    /// (`soorten`; empty: all), oldest first.
    pub async fn aanbieder_berichten(
        &mut self,
        agb: &str,
        gemeente: &str,
        deel: &Deel<'_>,
        soorten: &[&str],
    ) -> Result<Vec<AanbiederBericht>> {
        let soort_filter = if soorten.is_empty() {
            String::new()
        } else {
            format!("AND b.berichtsoort IN ({})", placeholders(3, soorten.len()))
        };
        let select = format!(
            "{BERICHT_SELECT} WHERE b.aanbieder_agb = $1 AND b.gemeente_code = $2 {soort_filter}"
        );
        let kolommen = Kolommen {
            bsn: Some("b.bsn"),
            nummer: Some("b.toewijzing_nummer"),
            referentie: &["b.referentie_aanbieder"],
            bericht: Some("b.id"),
        };
        let fixed: Vec<&str> = [agb, gemeente]
            .into_iter()
            .chain(soorten.iter().copied())
            .collect();
        self.deel_rows(
            &select,
            &fixed,
            deel,
            &kolommen,
            |a: &AanbiederBericht, b| a.id.cmp(&b.id),
        )
        .await
    }

    /// Every declaration (JW323) a provider sent a gemeente, oldest first. A
    /// provider declares about once a month: these are few.
    pub async fn aanbieder_declaraties(
        &mut self,
        agb: &str,
        gemeente: &str,
    ) -> Result<Vec<AanbiederBericht>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{BERICHT_SELECT} WHERE b.aanbieder_agb = $1 AND b.gemeente_code = $2 \
             AND b.berichtsoort = 'JW323' ORDER BY b.id"
        ));
        Ok(on_tx!(self, |conn| sqlx::query_as(sql)
            .bind(agb)
            .bind(gemeente)
            .fetch_all(&mut *conn)
            .await?))
    }

    /// Keeps an answer a provider received on one of its messages.
    pub async fn insert_ontvangen_antwoord(
        &mut self,
        a: &OntvangenAntwoord,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO ontvangen_antwoord (bericht_id, berichtsoort, verzoek_antwoord, \
                 reden_afwijzing, woonplaats_gemeente, retour_codes, toegekend_bedrag, inbox_id, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(a.bericht_id)
            .bind(&a.berichtsoort)
            .bind(&a.verzoek_antwoord)
            .bind(&a.reden_afwijzing)
            .bind(&a.woonplaats_gemeente)
            .bind(&a.retour_codes)
            .bind(a.toegekend_bedrag)
            .bind(a.inbox_id)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// The answers a provider received from a gemeente on the messages in
    /// `deel.berichten`, oldest first.
    pub async fn ontvangen_antwoorden(
        &mut self,
        agb: &str,
        gemeente: &str,
        deel: &Deel<'_>,
    ) -> Result<Vec<OntvangenAntwoord>> {
        let select = "SELECT a.id, a.bericht_id, a.berichtsoort, a.verzoek_antwoord, \
             a.reden_afwijzing, a.woonplaats_gemeente, a.retour_codes, a.toegekend_bedrag, \
             a.inbox_id FROM ontvangen_antwoord a JOIN aanbieder_bericht b ON b.id = a.bericht_id \
             WHERE b.aanbieder_agb = $1 AND b.gemeente_code = $2";
        let kolommen = Kolommen {
            bsn: None,
            nummer: None,
            referentie: &[],
            bericht: Some("a.bericht_id"),
        };
        self.deel_rows(
            select,
            &[agb, gemeente],
            deel,
            &kolommen,
            |a: &OntvangenAntwoord, b| a.id.cmp(&b.id),
        )
        .await
    }

    /// Keeps a prestatie of a provider's declaration, as sent.
    pub async fn insert_aanbieder_prestatie(&mut self, p: &AanbiederPrestatie) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO aanbieder_prestatie (bericht_id, aanbieder_agb, bsn, \
                 referentie_nummer, vorig_referentie_nummer, toewijzing_nummer, \
                 product_categorie, product_code, begindatum, einddatum, geleverd_volume, \
                 eenheid, product_tarief, bedrag, credit) VALUES ($1, $2, $3, $4, $5, $6, $7, \
                 $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(p.bericht_id)
            .bind(&p.aanbieder_agb)
            .bind(&p.bsn)
            .bind(&p.referentie_nummer)
            .bind(&p.vorig_referentie_nummer)
            .bind(p.toewijzing_nummer)
            .bind(&p.product_categorie)
            .bind(&p.product_code)
            .bind(p.begindatum)
            .bind(p.einddatum)
            .bind(p.geleverd_volume)
            .bind(&p.eenheid)
            .bind(p.product_tarief)
            .bind(p.bedrag)
            .bind(p.credit)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// A provider's declared prestaties to a gemeente in `deel` (for its client,
    /// on its allocations, with or crediting its ReferentieNummers, in its
    /// declarations), oldest first.
    pub async fn aanbieder_prestaties(
        &mut self,
        agb: &str,
        gemeente: &str,
        deel: &Deel<'_>,
    ) -> Result<Vec<AanbiederPrestatie>> {
        let select = format!(
            "SELECT {PRESTATIE_COLUMNS} FROM aanbieder_prestatie WHERE aanbieder_agb = $1 \
             AND bericht_id IN (SELECT id FROM aanbieder_bericht WHERE aanbieder_agb = $1 \
             AND gemeente_code = $2)"
        );
        let kolommen = Kolommen {
            bsn: Some("bsn"),
            nummer: Some("toewijzing_nummer"),
            referentie: &["referentie_nummer", "vorig_referentie_nummer"],
            bericht: Some("bericht_id"),
        };
        self.deel_rows(
            &select,
            &[agb, gemeente],
            deel,
            &kolommen,
            |a: &AanbiederPrestatie, b| a.id.cmp(&b.id),
        )
        .await
    }

    /// Records what a JW325 made of one prestatie.
    pub async fn beoordeel_aanbieder_prestatie(
        &mut self,
        id: i64,
        status: &str,
        retour_codes: Option<&str>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "UPDATE aanbieder_prestatie SET status = $2, retour_codes = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(retour_codes)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}

impl Rij for OntvangenToewijzing {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Rij for AanbiederBericht {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Rij for OntvangenAntwoord {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Rij for AanbiederPrestatie {
    fn id(&self) -> i64 {
        self.id
    }
}
