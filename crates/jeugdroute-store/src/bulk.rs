//! Bulk inserts for the load generator (`jeugdroute demo --casussen N`): a
//! region with a million cases cannot be made one use case at a time, so the
//! generator hands over cases whole and this module writes them many rows per
//! statement (multi-row INSERT, one SQL text for both backends), inside the
//! caller's transaction. The audit records the caller writes next go through
//! the ordinary chain (`Tx::append_audits`), so the log still verifies.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    AgbCode, Gezin, Grond, Jeugdige, MatchEnIntake, Melding, Ouder, Productcode, Transition,
};

use crate::store::on_tx;
use crate::werklijst::zoeknaam;
use crate::{Result, StoreError, Tx};

/// Rows per INSERT statement for the narrow tables (at most 13 values a row:
/// 13,000 bound values, below SQLite's 32,766 and PostgreSQL's 65,535).
const ROWS_PER_INSERT: usize = 1_000;

/// Outbox rows per INSERT statement: each carries a whole JW301.
const OUTBOX_ROWS_PER_INSERT: usize = 250;

/// One generated case with everything it holds.
#[derive(Debug, Clone)]
pub struct MassaCasus {
    pub gezin: Gezin,
    pub jeugdige: Jeugdige,
    /// The parent with gezag recorded at the melding.
    pub ouder: Ouder,
    pub melding: Melding,
    pub woonplaats_regel: String,
    pub created_at: DateTime<Utc>,
    /// The route's steps, oldest first; the case stands where the last one ends.
    pub steps: Vec<Transition>,
    /// For a case past the match.
    pub match_intake: Option<MatchEnIntake>,
    /// For a case that reached the allocation, with its JW301.
    pub toewijzing: Option<MassaToewijzing>,
}

/// The first version of an allocation and the JW301 that carried it.
#[derive(Debug, Clone)]
pub struct MassaToewijzing {
    /// Unique per gemeente: the caller counts on from [`Tx::toewijzingnummers`].
    pub nummer: i64,
    pub aanbieder: AgbCode,
    pub productcode: Productcode,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub identificatie: String,
    /// The JW301's XML.
    pub body: String,
    pub sent_at: DateTime<Utc>,
}

/// Where a generated case was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MassaIds {
    pub jeugdige_id: i64,
    pub casus_id: i64,
}

type GezinKey = (String, String, String, String);

fn gezin_key(g: &Gezin) -> GezinKey {
    (
        g.gemeente.as_str().to_owned(),
        g.postcode.clone(),
        g.house_number.clone(),
        g.surname.clone(),
    )
}

impl Tx {
    /// The highest BSN stored in `from..until` (nine-digit strings compare as
    /// numbers): where the generator goes on numbering.
    pub async fn hoogste_bsn_tussen(&mut self, from: &str, until: &str) -> Result<Option<String>> {
        on_tx!(self, |conn| Ok(sqlx::query_scalar(
            "SELECT MAX(bsn) FROM jeugdige WHERE bsn >= $1 AND bsn < $2"
        )
        .bind(from)
        .bind(until)
        .fetch_one(&mut *conn)
        .await?))
    }

    /// The highest toewijzing number of every gemeente that has one.
    pub async fn toewijzingnummers(&mut self) -> Result<Vec<(String, i64)>> {
        on_tx!(self, |conn| Ok(sqlx::query_as(
            "SELECT gemeente_code, MAX(nummer) FROM toewijzing GROUP BY gemeente_code"
        )
        .fetch_all(&mut *conn)
        .await?))
    }

    /// Stores generated cases whole — family (an existing household at the
    /// same address is reused), youth, case, parent, steps, match, allocation
    /// and its JW301 (marked sent) — and gives their ids in the order given.
    /// Every BSN must be new to its gemeente.
    pub async fn insert_massa(&mut self, cases: &[MassaCasus]) -> Result<Vec<MassaIds>> {
        let gezinnen = self.massa_gezinnen(cases).await?;
        let jeugdigen = self.massa_jeugdigen(cases, &gezinnen).await?;
        let ids = self.massa_casussen(cases, &jeugdigen).await?;
        self.massa_ouders(cases, &ids).await?;
        self.massa_steps(cases, &ids).await?;
        self.massa_matches(cases, &ids).await?;
        self.massa_toewijzingen(cases, &ids).await?;
        Ok(ids)
    }

    /// The household id of every case, in order.
    async fn massa_gezinnen(&mut self, cases: &[MassaCasus]) -> Result<Vec<i64>> {
        let mut found: HashMap<GezinKey, i64> = HashMap::with_capacity(cases.len());
        for chunk in cases.chunks(ROWS_PER_INSERT) {
            let rows: Vec<(i64, String, String, String, String)> = on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO gezin (surname, street, house_number, postcode, city, gemeente_code) ",
                );
                insert.push_values(chunk, |mut row, c| {
                    let g = &c.gezin;
                    row.push_bind(&g.surname)
                        .push_bind(&g.street)
                        .push_bind(&g.house_number)
                        .push_bind(&g.postcode)
                        .push_bind(&g.city)
                        .push_bind(g.gemeente.as_str());
                });
                insert.push(
                    " ON CONFLICT DO NOTHING \
                     RETURNING id, gemeente_code, postcode, house_number, surname",
                );
                insert.build_query_as().fetch_all(&mut *conn).await?
            });
            for (id, gemeente, postcode, house_number, surname) in rows {
                found.insert((gemeente, postcode, house_number, surname), id);
            }
        }
        let mut ids = Vec::with_capacity(cases.len());
        for c in cases {
            let key = gezin_key(&c.gezin);
            let id = match found.get(&key) {
                Some(id) => *id,
                // A household that was there before: the youth joins it.
                None => {
                    let id: i64 = on_tx!(self, |conn| sqlx::query_scalar(
                        "SELECT id FROM gezin WHERE gemeente_code = $1 AND postcode = $2 \
                         AND house_number = $3 AND surname = $4"
                    )
                    .bind(&key.0)
                    .bind(&key.1)
                    .bind(&key.2)
                    .bind(&key.3)
                    .fetch_one(&mut *conn)
                    .await?);
                    found.insert(key, id);
                    id
                }
            };
            ids.push(id);
        }
        Ok(ids)
    }

    /// The youth id of every case, in order.
    async fn massa_jeugdigen(
        &mut self,
        cases: &[MassaCasus],
        gezinnen: &[i64],
    ) -> Result<Vec<i64>> {
        let rows: Vec<(&MassaCasus, i64)> = cases.iter().zip(gezinnen.iter().copied()).collect();
        let mut found: HashMap<String, i64> = HashMap::with_capacity(cases.len());
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let returned: Vec<(i64, String)> = on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO jeugdige (gezin_id, bsn, first_names, surname, birth_date, \
                     gemeente_code, geslacht, zoeknaam) ",
                );
                insert.push_values(chunk, |mut row, (c, gezin_id)| {
                    let j = &c.jeugdige;
                    row.push_bind(*gezin_id)
                        .push_bind(j.bsn.as_str())
                        .push_bind(&j.first_names)
                        .push_bind(&j.surname)
                        .push_bind(j.birth_date)
                        .push_bind(j.gemeente.as_str())
                        .push_bind(j.geslacht.key())
                        .push_bind(zoeknaam(&j.first_names, &j.surname));
                });
                insert.push(" RETURNING id, bsn");
                insert.build_query_as().fetch_all(&mut *conn).await?
            });
            found.extend(returned.into_iter().map(|(id, bsn)| (bsn, id)));
        }
        cases
            .iter()
            .map(|c| {
                found
                    .get(c.jeugdige.bsn.as_str())
                    .copied()
                    .ok_or(StoreError::NotFound("jeugdige"))
            })
            .collect()
    }

    /// Opens the cases; their ids in order.
    async fn massa_casussen(
        &mut self,
        cases: &[MassaCasus],
        jeugdigen: &[i64],
    ) -> Result<Vec<MassaIds>> {
        let rows: Vec<(&MassaCasus, i64)> = cases.iter().zip(jeugdigen.iter().copied()).collect();
        let mut found: HashMap<i64, i64> = HashMap::with_capacity(cases.len());
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let returned: Vec<(i64, i64)> = on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO casus (jeugdige_id, gemeente_code, phase, vraag, vindplaats, \
                     verwijzer, verwijzer_naam, urgentie, kader_grond, gi_agb, woonplaats_regel, \
                     created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, (c, jeugdige_id)| {
                    let m = &c.melding;
                    let last = c.steps.last();
                    row.push_bind(*jeugdige_id)
                        .push_bind(c.jeugdige.gemeente.as_str())
                        .push_bind(last.map_or("melding", |s| s.to.key()))
                        .push_bind(&m.vraag)
                        .push_bind(&m.vindplaats)
                        .push_bind(m.verwijzer.code())
                        .push_bind(m.verwijzer_naam.as_deref())
                        .push_bind(m.urgentie.key())
                        .push_bind(m.kader.grond().map(Grond::key))
                        .push_bind(m.kader.gi().map(AgbCode::as_str))
                        .push_bind(&c.woonplaats_regel)
                        .push_bind(c.created_at)
                        .push_bind(last.map_or(c.created_at, |s| s.at));
                });
                insert.push(" RETURNING id, jeugdige_id");
                insert.build_query_as().fetch_all(&mut *conn).await?
            });
            found.extend(returned.into_iter().map(|(id, jeugdige)| (jeugdige, id)));
        }
        jeugdigen
            .iter()
            .map(|jeugdige_id| {
                let casus_id = found
                    .get(jeugdige_id)
                    .copied()
                    .ok_or(StoreError::NotFound("casus"))?;
                Ok(MassaIds {
                    jeugdige_id: *jeugdige_id,
                    casus_id,
                })
            })
            .collect()
    }

    async fn massa_ouders(&mut self, cases: &[MassaCasus], ids: &[MassaIds]) -> Result<()> {
        let rows: Vec<(&Ouder, i64)> = cases
            .iter()
            .zip(ids)
            .map(|(c, id)| (&c.ouder, id.casus_id))
            .collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO casus_ouder (casus_id, volgnummer, naam, telefoon, email, gezag) ",
                );
                insert.push_values(chunk, |mut row, (ouder, casus_id)| {
                    row.push_bind(*casus_id)
                        .push_bind(1_i32)
                        .push_bind(&ouder.naam)
                        .push_bind(ouder.telefoon.as_deref())
                        .push_bind(ouder.email.as_deref())
                        .push_bind(ouder.gezag);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    async fn massa_steps(&mut self, cases: &[MassaCasus], ids: &[MassaIds]) -> Result<()> {
        let rows: Vec<(&Transition, i64)> = cases
            .iter()
            .zip(ids)
            .flat_map(|(c, id)| c.steps.iter().map(move |s| (s, id.casus_id)))
            .collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO casus_stap (casus_id, from_phase, to_phase, username, occurred_at, reason) ",
                );
                insert.push_values(chunk, |mut row, (step, casus_id)| {
                    row.push_bind(*casus_id)
                        .push_bind(step.from.key())
                        .push_bind(step.to.key())
                        .push_bind(&step.by)
                        .push_bind(step.at)
                        .push_bind(&step.reason);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    async fn massa_matches(&mut self, cases: &[MassaCasus], ids: &[MassaIds]) -> Result<()> {
        let rows: Vec<(&MatchEnIntake, i64)> = cases
            .iter()
            .zip(ids)
            .filter_map(|(c, id)| Some((c.match_intake.as_ref()?, id.casus_id)))
            .collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO match_intake (casus_id, aanbieder_agb, gekozen_door, match_date, \
                     intake_date, start_date, end_date) ",
                );
                insert.push_values(chunk, |mut row, (m, casus_id)| {
                    row.push_bind(*casus_id)
                        .push_bind(m.aanbieder.as_str())
                        .push_bind(m.gekozen_door.key())
                        .push_bind(m.match_date)
                        .push_bind(m.intake_date)
                        .push_bind(m.start_date)
                        .push_bind(m.end_date);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    async fn massa_toewijzingen(&mut self, cases: &[MassaCasus], ids: &[MassaIds]) -> Result<()> {
        let rows: Vec<(&MassaToewijzing, &str, i64)> = cases
            .iter()
            .zip(ids)
            .filter_map(|(c, id)| {
                Some((
                    c.toewijzing.as_ref()?,
                    c.jeugdige.gemeente.as_str(),
                    id.casus_id,
                ))
            })
            .collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO toewijzing (gemeente_code, nummer, casus_id, aanbieder_agb, \
                     productcode, start_date, end_date, created_at) ",
                );
                insert.push_values(chunk, |mut row, (t, gemeente, casus_id)| {
                    row.push_bind(*gemeente)
                        .push_bind(t.nummer)
                        .push_bind(*casus_id)
                        .push_bind(t.aanbieder.as_str())
                        .push_bind(t.productcode.as_str())
                        .push_bind(t.start_date)
                        .push_bind(t.end_date)
                        .push_bind(t.created_at);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        for chunk in rows.chunks(OUTBOX_ROWS_PER_INSERT) {
            on_tx!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO outbox (berichtsoort, sender, receiver, casus_id, body, created_at, \
                     identificatie, sent_at) ",
                );
                insert.push_values(chunk, |mut row, (t, gemeente, casus_id)| {
                    row.push_bind("JW301")
                        .push_bind(*gemeente)
                        .push_bind(t.aanbieder.as_str())
                        .push_bind(*casus_id)
                        .push_bind(&t.body)
                        .push_bind(t.created_at)
                        .push_bind(&t.identificatie)
                        .push_bind(t.sent_at);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }
}
