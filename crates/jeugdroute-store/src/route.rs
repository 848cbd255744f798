//! The route of a case after its melding: each step taken (the timeline), what
//! was established on the way (the dossier, in dossier.rs), the decision letter, and the
//! allocations with their number unique per gemeente.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{AgbCode, Gemeentecode, Gezin, Productcode, Transition, Wachttijdmelding};

use crate::store::on_tx;
use crate::{OutgoingMessage, Result, StoreError, Tx};

/// A decision letter to keep with its case.
#[derive(Debug, Clone)]
pub struct NewBeschikking<'a> {
    pub casus_id: i64,
    pub kenmerk: &'a str,
    pub decided_on: NaiveDate,
    pub pdf: &'a [u8],
}

/// An allocation of care to a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toewijzing {
    pub gemeente: Gemeentecode,
    /// The ToewijzingNummer: unique per gemeente.
    pub nummer: i64,
    pub casus_id: i64,
    pub aanbieder: AgbCode,
    pub productcode: Productcode,
    pub start_date: NaiveDate,
    /// The current Einddatum: changed by every later version.
    pub end_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// 1 when first sent, one more with every change.
    pub versie: i64,
    /// The JZ002 code of the latest change; `None` for the first version.
    pub reden_wijziging: Option<String>,
}

/// A line of a provider's worklist: an allocation with the youth it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToewijzingLine {
    pub toewijzing: Toewijzing,
    pub jeugdige_id: i64,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
    /// Whether the provider answered the allocation (accepted or a problem).
    pub gereageerd: bool,
    /// Whether the gemeente accepted a start (JW305) on it, not removed.
    pub gestart: bool,
    /// Whether the gemeente accepted a stop (JW307) on it, not removed.
    pub gestopt: bool,
}

/// A message of a case, as its timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMessage {
    pub id: i64,
    pub message: OutgoingMessage,
    pub created_at: DateTime<Utc>,
    /// What the receiver's retour said of it: `goedgekeurd` or `afgekeurd`.
    pub retour_state: Option<String>,
}

impl CaseMessage {
    /// Refused by its receiver's retour: the worker must act on it.
    pub fn afgekeurd(&self) -> bool {
        self.retour_state.as_deref() == Some("afgekeurd")
    }
}

#[derive(sqlx::FromRow)]
struct StapRow {
    from_phase: String,
    to_phase: String,
    username: String,
    occurred_at: DateTime<Utc>,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    #[sqlx(flatten)]
    message: OutgoingMessage,
    created_at: DateTime<Utc>,
    retour_state: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ToewijzingRow {
    gemeente_code: String,
    pub(crate) nummer: i64,
    casus_id: i64,
    aanbieder_agb: String,
    productcode: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    created_at: DateTime<Utc>,
    versie: i64,
    reden_wijziging: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ToewijzingLineRow {
    #[sqlx(flatten)]
    toewijzing: ToewijzingRow,
    jeugdige_id: i64,
    first_names: String,
    surname: String,
    birth_date: NaiveDate,
    gereageerd: bool,
    gestart: bool,
    gestopt: bool,
}

pub(crate) const TOEWIJZING_COLUMNS: &str = "t.gemeente_code, t.nummer, t.casus_id, t.aanbieder_agb, \
     t.productcode, t.start_date, t.end_date, t.created_at, t.versie, t.reden_wijziging";

/// Whether the gemeente accepted a delivery message of `soort` (a fixed word,
/// never input) on allocation `t` that was not removed since.
fn geleverd(soort: &'static str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM levering l WHERE l.gemeente_code = t.gemeente_code \
           AND l.toewijzing_nummer = t.nummer AND l.soort = '{soort}' AND l.removed_by IS NULL)"
    )
}

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// A gemeente's code as stored.
pub(crate) fn gemeente(code: &str) -> Result<Gemeentecode> {
    Gemeentecode::parse(code).map_err(|e| corrupt("gemeente", e.message))
}

/// One wait that ended, as [`Tx::gemeten_wachten`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GemetenWacht {
    pub aanbieder_agb: String,
    pub productcode: String,
    pub toegewezen_op: DateTime<Utc>,
    pub gestart: NaiveDate,
}

/// One wait from match to intake, as [`Tx::gemeten_intakes`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GemetenIntake {
    pub aanbieder_agb: String,
    pub productcode: String,
    pub gematcht: NaiveDate,
    pub intake: NaiveDate,
}

/// A provider's report of its waiting time, as stored.
#[derive(sqlx::FromRow)]
struct MeldingRow {
    agb_code: String,
    wachttijd_weken: Option<i64>,
    opnamestop: bool,
    wachttijd_gemeld_op: Option<DateTime<Utc>>,
}

impl MeldingRow {
    fn split(self) -> (String, Wachttijdmelding) {
        let melding = Wachttijdmelding {
            weken: self.wachttijd_weken,
            opnamestop: self.opnamestop,
            gemeld_op: self.wachttijd_gemeld_op,
        };
        (self.agb_code, melding)
    }
}

impl TryFrom<ToewijzingRow> for Toewijzing {
    type Error = StoreError;

    fn try_from(r: ToewijzingRow) -> Result<Self> {
        Ok(Toewijzing {
            gemeente: gemeente(&r.gemeente_code)?,
            nummer: r.nummer,
            casus_id: r.casus_id,
            aanbieder: AgbCode::parse(&r.aanbieder_agb)
                .map_err(|e| corrupt("aanbieder", e.message))?,
            productcode: Productcode::parse(&r.productcode)
                .map_err(|e| corrupt("productcode", e.message))?,
            start_date: r.start_date,
            end_date: r.end_date,
            created_at: r.created_at,
            versie: r.versie,
            reden_wijziging: r.reden_wijziging,
        })
    }
}

impl Tx {
    /// Records a step of the route and moves the case to it.
    pub async fn record_step(&mut self, casus_id: i64, step: &Transition) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO casus_stap (casus_id, from_phase, to_phase, username, occurred_at, reason) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(casus_id)
            .bind(step.from.key())
            .bind(step.to.key())
            .bind(&step.by)
            .bind(step.at)
            .bind(&step.reason)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE casus SET phase = $1, updated_at = $2 WHERE id = $3")
                .bind(step.to.key())
                .bind(step.at)
                .bind(casus_id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
    }

    /// The steps of a case, oldest first.
    pub async fn steps(&mut self, casus_id: i64) -> Result<Vec<Transition>> {
        let rows: Vec<StapRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT from_phase, to_phase, username, occurred_at, reason FROM casus_stap \
                 WHERE casus_id = $1 ORDER BY id",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Transition {
                    from: r
                        .from_phase
                        .parse()
                        .map_err(|e: jeugdroute_domain::ParseError| corrupt("fase", e.message))?,
                    to: r
                        .to_phase
                        .parse()
                        .map_err(|e: jeugdroute_domain::ParseError| corrupt("fase", e.message))?,
                    by: r.username,
                    at: r.occurred_at,
                    reason: r.reason,
                })
            })
            .collect()
    }

    /// The household of a youth, for letters and messages.
    pub async fn gezin_of(&mut self, jeugdige_id: i64) -> Result<Gezin> {
        let row: Option<(String, String, String, String, String, String)> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT g.surname, g.street, g.house_number, g.postcode, g.city, g.gemeente_code \
                 FROM gezin g JOIN jeugdige j ON j.gezin_id = g.id WHERE j.id = $1",
            )
            .bind(jeugdige_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let (surname, street, house_number, postcode, city, gemeente) =
            row.ok_or_else(|| StoreError::NotFound("gezin"))?;
        Ok(Gezin {
            surname,
            street,
            house_number,
            postcode,
            city,
            gemeente: self::gemeente(&gemeente)?,
        })
    }

    /// What each provider reported of its waiting time, by AGB code.
    pub async fn wachttijdmeldingen(&mut self) -> Result<Vec<(String, Wachttijdmelding)>> {
        self.meldingen(None).await
    }

    /// What one provider reported of its waiting time.
    pub async fn wachttijdmelding(&mut self, agb: &AgbCode) -> Result<Wachttijdmelding> {
        let mut found = self.meldingen(Some(agb)).await?;
        let (_, melding) = found.pop().ok_or(StoreError::NotFound("aanbieder"))?;
        Ok(melding)
    }

    /// The reports of every provider, or of one.
    async fn meldingen(
        &mut self,
        agb: Option<&AgbCode>,
    ) -> Result<Vec<(String, Wachttijdmelding)>> {
        let rows: Vec<MeldingRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT agb_code, wachttijd_weken, opnamestop, wachttijd_gemeld_op \
                 FROM aanbieder WHERE ($1 IS NULL OR agb_code = $1) ORDER BY agb_code",
            )
            .bind(agb.map(AgbCode::as_str))
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rows.into_iter().map(MeldingRow::split).collect())
    }

    /// Records what a provider reports of its waiting time; a provider the
    /// region does not know is not found (nothing is recorded).
    pub async fn set_wachttijd(&mut self, agb: &AgbCode, melding: &Wachttijdmelding) -> Result<()> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "UPDATE aanbieder SET wachttijd_weken = $1, opnamestop = $2, \
                 wachttijd_gemeld_op = $3 WHERE agb_code = $4",
            )
            .bind(melding.weken)
            .bind(melding.opnamestop)
            .bind(melding.gemeld_op)
            .bind(agb.as_str())
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("aanbieder"));
            }
            Ok(())
        })
    }

    /// The waits that ended between `vanaf` and `tot` (both included), of the
    /// allocations of `code` and of `aanbieder` (either left out: all): per
    /// allocation the provider's AGB code, its product code, when the
    /// toewijzing was made, and the first day of its first start that still
    /// stands (a start removed by a later report does not count), if that day
    /// lies in the window. By provider and code.
    pub async fn gemeten_wachten(
        &mut self,
        code: Option<&Productcode>,
        aanbieder: Option<&AgbCode>,
        vanaf: NaiveDate,
        tot: NaiveDate,
    ) -> Result<Vec<GemetenWacht>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT t.aanbieder_agb, t.productcode, t.created_at AS toegewezen_op, \
                   l.begindatum AS gestart \
                 FROM levering l JOIN toewijzing t \
                   ON t.gemeente_code = l.gemeente_code AND t.nummer = l.toewijzing_nummer \
                 WHERE l.soort = 'start' AND l.removed_by IS NULL \
                   AND l.begindatum >= $3 AND l.begindatum <= $4 \
                   AND ($1 IS NULL OR t.productcode = $1) \
                   AND ($2 IS NULL OR t.aanbieder_agb = $2) \
                   AND NOT EXISTS (SELECT 1 FROM levering e \
                     WHERE e.gemeente_code = l.gemeente_code \
                       AND e.toewijzing_nummer = l.toewijzing_nummer \
                       AND e.soort = 'start' AND e.removed_by IS NULL \
                       AND (e.begindatum < l.begindatum \
                         OR (e.begindatum = l.begindatum AND e.id < l.id))) \
                 ORDER BY t.aanbieder_agb, t.productcode, l.id",
            )
            .bind(code.map(Productcode::as_str))
            .bind(aanbieder.map(AgbCode::as_str))
            .bind(vanaf)
            .bind(tot)
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    /// The intakes held between `vanaf` and `tot` (both included) by the
    /// provider a case was matched with, for the determined `code` and by
    /// `aanbieder` (either left out: all): per case the day of the match and
    /// the day of the intake the provider registered. By provider and code.
    pub async fn gemeten_intakes(
        &mut self,
        code: Option<&Productcode>,
        aanbieder: Option<&AgbCode>,
        vanaf: NaiveDate,
        tot: NaiveDate,
    ) -> Result<Vec<GemetenIntake>> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_as(
                "SELECT b.aanbieder_agb, p.productcode, m.match_date AS gematcht, \
                   b.intake_datum AS intake \
                 FROM behandeling b \
                 JOIN match_intake m \
                   ON m.casus_id = b.casus_id AND m.aanbieder_agb = b.aanbieder_agb \
                 JOIN bepaling p ON p.casus_id = b.casus_id \
                 WHERE b.intake_datum >= $3 AND b.intake_datum <= $4 \
                   AND ($1 IS NULL OR p.productcode = $1) \
                   AND ($2 IS NULL OR b.aanbieder_agb = $2) \
                 ORDER BY b.aanbieder_agb, p.productcode, b.casus_id",
            )
            .bind(code.map(Productcode::as_str))
            .bind(aanbieder.map(AgbCode::as_str))
            .bind(vanaf)
            .bind(tot)
            .fetch_all(&mut *conn)
            .await?)
        })
    }

    pub async fn insert_beschikking(
        &mut self,
        b: &NewBeschikking<'_>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO beschikking (casus_id, kenmerk, decided_on, pdf, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(b.casus_id)
            .bind(b.kenmerk)
            .bind(b.decided_on)
            .bind(b.pdf)
            .bind(at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// The decision letter of a case: its kenmerk and the PDF.
    pub async fn beschikking_pdf(&mut self, casus_id: i64) -> Result<Option<(String, Vec<u8>)>> {
        on_tx!(self, |conn| {
            Ok(
                sqlx::query_as("SELECT kenmerk, pdf FROM beschikking WHERE casus_id = $1")
                    .bind(casus_id)
                    .fetch_optional(&mut *conn)
                    .await?,
            )
        })
    }

    /// The next free ToewijzingNummer of a gemeente. Two transactions that ask at
    /// once get the same number; the unique key then refuses the second insert.
    pub async fn next_toewijzingnummer(&mut self, gemeente: &Gemeentecode) -> Result<i64> {
        on_tx!(self, |conn| {
            let max: Option<i64> =
                sqlx::query_scalar("SELECT MAX(nummer) FROM toewijzing WHERE gemeente_code = $1")
                    .bind(gemeente.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
            Ok(max.unwrap_or(0) + 1)
        })
    }

    /// Stores a first version: `versie` and `reden_wijziging` start as 1 and none.
    pub async fn insert_toewijzing(&mut self, t: &Toewijzing) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "INSERT INTO toewijzing (gemeente_code, nummer, casus_id, aanbieder_agb, productcode, \
                 start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(t.gemeente.as_str())
            .bind(t.nummer)
            .bind(t.casus_id)
            .bind(t.aanbieder.as_str())
            .bind(t.productcode.as_str())
            .bind(t.start_date)
            .bind(t.end_date)
            .bind(t.created_at)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// The allocations of a case, oldest first.
    pub async fn toewijzingen(&mut self, casus_id: i64) -> Result<Vec<Toewijzing>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TOEWIJZING_COLUMNS} FROM toewijzing t WHERE t.casus_id = $1 ORDER BY t.id"
        ));
        let rows: Vec<ToewijzingRow> = on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(casus_id)
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter().map(Toewijzing::try_from).collect()
    }

    /// The allocations of a gemeente to the youth with this BSN, oldest first:
    /// the history a message about that youth is judged against.
    pub async fn toewijzingen_voor_bsn(
        &mut self,
        gemeente: &str,
        bsn: &str,
    ) -> Result<Vec<Toewijzing>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TOEWIJZING_COLUMNS} FROM toewijzing t JOIN casus c ON c.id = t.casus_id \
             JOIN jeugdige j ON j.id = c.jeugdige_id \
             WHERE t.gemeente_code = $1 AND j.bsn = $2 ORDER BY t.id"
        ));
        let rows: Vec<ToewijzingRow> = on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(gemeente)
                .bind(bsn)
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter().map(Toewijzing::try_from).collect()
    }

    /// The allocations to one provider with their youth, newest first, without
    /// those whose last change had RedenWijziging `removed` (sent by mistake: they
    /// count as never sent, so they give the provider no access).
    pub async fn toewijzingen_aan(
        &mut self,
        aanbieder: &AgbCode,
        removed: &str,
        limit: i64,
    ) -> Result<Vec<ToewijzingLine>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TOEWIJZING_COLUMNS}, c.jeugdige_id, j.first_names, j.surname, j.birth_date, \
               EXISTS (SELECT 1 FROM behandeling b WHERE b.casus_id = t.casus_id \
                 AND b.aanbieder_agb = t.aanbieder_agb AND b.reactie IS NOT NULL) AS gereageerd, \
               {geleverd_start} AS gestart, {geleverd_stop} AS gestopt \
             FROM toewijzing t JOIN casus c ON c.id = t.casus_id \
             JOIN jeugdige j ON j.id = c.jeugdige_id \
             WHERE t.aanbieder_agb = $1 AND (t.reden_wijziging IS NULL OR t.reden_wijziging <> $2) \
             ORDER BY t.id DESC LIMIT $3",
            geleverd_start = geleverd("start"),
            geleverd_stop = geleverd("stop"),
        ));
        let rows: Vec<ToewijzingLineRow> = on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(aanbieder.as_str())
                .bind(removed)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(ToewijzingLine {
                    toewijzing: r.toewijzing.try_into()?,
                    jeugdige_id: r.jeugdige_id,
                    first_names: r.first_names,
                    surname: r.surname,
                    birth_date: r.birth_date,
                    gereageerd: r.gereageerd,
                    gestart: r.gestart,
                    gestopt: r.gestopt,
                })
            })
            .collect()
    }

    /// The messages sent about a case, oldest first.
    pub async fn case_messages(&mut self, casus_id: i64) -> Result<Vec<CaseMessage>> {
        let rows: Vec<OutboxRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, berichtsoort, sender, receiver, casus_id, body, identificatie, answers_id, \
                 created_at, retour_state FROM outbox WHERE casus_id = $1 ORDER BY id",
            )
            .bind(casus_id)
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| CaseMessage {
                id: r.id,
                message: r.message,
                created_at: r.created_at,
                retour_state: r.retour_state,
            })
            .collect())
    }
}
