//! The worklist at scale: a page of cases, newest first, from a cursor.
//!
//! A region holds up to a million cases, so a page is never found by reading
//! them all. The query is built from the filters that are set (no catch-all
//! `$n IS NULL OR …`, which PostgreSQL turns into one generic plan for every
//! filter), and it is the union of one branch per gemeente (and per phase
//! when phases are chosen): each branch walks an index on
//! `(gemeente_code[, phase | urgentie], id)` backwards from the cursor and
//! stops after a page, so a page costs a page per branch whatever the size of
//! the table. The cursor is the id of the last case shown (keyset paging, not
//! OFFSET), so a case added while someone pages never shifts or repeats a line.
//!
//! A name is searched in `jeugdige.zoeknaam`, the name as the application
//! lower-cases it (so both backends fold letters alike), through a trigram
//! index: FTS5 on SQLite, `pg_trgm` on PostgreSQL.

use chrono::NaiveDate;
use jeugdroute_domain::{AgbCode, Bsn, Fase, Gemeentecode, Urgentie};
use sqlx::Row;

use crate::gezin::{CASUS_COLUMNS, Casus, CasusRow};
use crate::store::{TxInner, on_tx};
use crate::{Result, Tx};

/// The most cases one page may hold.
pub const PAGINA_MAX: i64 = 50;

/// The fewest characters a search by part of a name needs: a trigram index
/// finds nothing shorter without reading every youth.
pub const ZOEKDEEL_MIN: usize = 3;

/// A line of a worklist: the case with the name of its youth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasusLine {
    pub casus: Casus,
    /// The day of the match, when there is one: the worklist's intake signal.
    pub match_date: Option<NaiveDate>,
    pub first_names: String,
    pub surname: String,
    /// A message of the case was refused by its receiver's retour.
    pub bericht_afgekeurd: bool,
}

/// Which cases a worklist asks for. Only the gemeenten are required; every
/// other part narrows the list when it is set.
#[derive(Debug, Clone, Copy, Default)]
pub struct CasusFilter<'a> {
    pub gemeenten: &'a [Gemeentecode],
    /// Only the youth with this BSN.
    pub bsn: Option<&'a Bsn>,
    /// Only youth whose name contains this (case-insensitive; at least
    /// [`ZOEKDEEL_MIN`] characters, or nothing is found).
    pub name: Option<&'a str>,
    /// Only cases in the forced framework of this GI (for a GI worker).
    pub gi: Option<&'a AgbCode>,
    /// Only cases in one of these phases; `None` is every phase.
    pub phases: Option<&'a [Fase]>,
    pub urgentie: Option<Urgentie>,
    /// Only cases matched on or before this day (the intake signal).
    pub matched_by: Option<NaiveDate>,
    /// Only cases older than this one: the cursor of the next page.
    pub before: Option<i64>,
    /// At most this many lines, and never more than [`PAGINA_MAX`] + 1 (one
    /// more than a page tells the caller there is a next page).
    pub limit: i64,
}

#[derive(sqlx::FromRow)]
struct CasusLineRow {
    #[sqlx(flatten)]
    casus: CasusRow,
    match_date: Option<NaiveDate>,
    first_names: String,
    surname: String,
    bericht_afgekeurd: bool,
}

/// A youth's name as it is searched: lower case by Rust's Unicode rules, the
/// same on both backends.
pub(crate) fn zoeknaam(first_names: &str, surname: &str) -> String {
    format!("{first_names} {surname}").to_lowercase()
}

/// How a backend matches a part of a name inside `zoeknaam` through its
/// trigram index, every character of the part taken literally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Patroon {
    /// SQLite: GLOB, which FTS5's trigram index answers (a LIKE with an ESCAPE
    /// clause it would answer by reading the whole table); `*`, `?` and `[`
    /// are written as a class of one.
    Glob,
    /// PostgreSQL: LIKE with its default escape, the backslash, which pg_trgm
    /// reads.
    Like,
}

/// The pattern for a part of a name, in lower case like `zoeknaam`; `None`
/// when the part is shorter than [`ZOEKDEEL_MIN`].
fn zoekpatroon(deel: &str, patroon: Patroon) -> Option<String> {
    let deel = deel.to_lowercase();
    if deel.chars().count() < ZOEKDEEL_MIN {
        return None;
    }
    let mut pattern = String::with_capacity(deel.len() + 4);
    let wildcard = match patroon {
        Patroon::Glob => '*',
        Patroon::Like => '%',
    };
    pattern.push(wildcard);
    for c in deel.chars() {
        match (patroon, c) {
            (Patroon::Glob, '*' | '?' | '[') => {
                pattern.push('[');
                pattern.push(c);
                pattern.push(']');
            }
            (Patroon::Like, '%' | '_' | '\\') => {
                pattern.push('\\');
                pattern.push(c);
            }
            _ => pattern.push(c),
        }
    }
    pattern.push(wildcard);
    Some(pattern)
}

/// A value bound to a numbered placeholder.
enum Waarde {
    Tekst(String),
    Getal(i64),
    Dag(NaiveDate),
}

/// The values of a query built from parts, in placeholder order.
#[derive(Default)]
struct Waarden(Vec<Waarde>);

impl Waarden {
    /// Adds a value and gives its placeholder.
    fn bind(&mut self, waarde: Waarde) -> String {
        self.0.push(waarde);
        format!("${}", self.0.len())
    }
}

/// `$query` with every value of `$waarden` bound in order.
macro_rules! bound {
    ($query:expr, $waarden:expr) => {{
        let mut query = $query;
        for waarde in &$waarden.0 {
            query = match waarde {
                Waarde::Tekst(t) => query.bind(t.as_str()),
                Waarde::Getal(n) => query.bind(*n),
                Waarde::Dag(d) => query.bind(*d),
            };
        }
        query
    }};
}

impl Tx {
    /// The cases a worklist asks for (see [`CasusFilter`]), newest first.
    pub async fn casussen(&mut self, filter: &CasusFilter<'_>) -> Result<Vec<CasusLine>> {
        let Some((sql, waarden)) = self.werklijst_sql(filter) else {
            return Ok(Vec::new());
        };
        let sql = sqlx::AssertSqlSafe(sql);
        let rows: Vec<CasusLineRow> = on_tx!(self, |conn| {
            bound!(sqlx::query_as::<_, CasusLineRow>(sql), waarden)
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(CasusLine {
                    casus: row.casus.into_casus()?,
                    match_date: row.match_date,
                    first_names: row.first_names,
                    surname: row.surname,
                    bericht_afgekeurd: row.bericht_afgekeurd,
                })
            })
            .collect()
    }

    /// How the database would answer [`Tx::casussen`] for `filter`, a line per
    /// step: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL. For an
    /// operator who wonders why a list is slow, and for the tests that hold
    /// every worklist to its indexes.
    pub async fn werklijst_plan(&mut self, filter: &CasusFilter<'_>) -> Result<Vec<String>> {
        let Some((sql, waarden)) = self.werklijst_sql(filter) else {
            return Ok(Vec::new());
        };
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => {
                let sql = sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"));
                let rows = bound!(sqlx::query(sql), waarden)
                    .fetch_all(&mut **tx)
                    .await?;
                rows.iter()
                    .map(|row| row.try_get("detail"))
                    .collect::<std::result::Result<_, _>>()?
            }
            TxInner::Postgres(tx) => {
                let sql = sqlx::AssertSqlSafe(format!("EXPLAIN {sql}"));
                let rows = bound!(sqlx::query(sql), waarden)
                    .fetch_all(&mut **tx)
                    .await?;
                rows.iter()
                    .map(|row| row.try_get(0))
                    .collect::<std::result::Result<_, _>>()?
            }
        })
    }

    /// The worklist's SQL and values, or `None` when the filter can match
    /// nothing (no gemeente, no phase, a name part too short).
    fn werklijst_sql(&self, filter: &CasusFilter<'_>) -> Option<(String, Waarden)> {
        if filter.gemeenten.is_empty() || filter.phases.is_some_and(<[Fase]>::is_empty) {
            return None;
        }
        let mut w = Waarden::default();
        let limit = w.bind(Waarde::Getal(filter.limit.clamp(0, PAGINA_MAX + 1)));
        let rest = self.common_conditions(filter, &mut w)?;
        // Each phase's condition, bound once and shared by every gemeente's branch.
        let phases: Vec<String> = match filter.phases {
            None => vec![String::new()],
            Some(phases) => phases
                .iter()
                .map(|p| {
                    format!(
                        " AND c.phase = {}",
                        w.bind(Waarde::Tekst(p.key().to_owned()))
                    )
                })
                .collect(),
        };
        let mut branches = Vec::with_capacity(filter.gemeenten.len() * phases.len());
        for gemeente in filter.gemeenten {
            let gemeente = w.bind(Waarde::Tekst(gemeente.as_str().to_owned()));
            for phase in &phases {
                branches.push(format!(
                    "SELECT id FROM (SELECT c.id FROM casus c WHERE c.gemeente_code = {gemeente}\
                     {phase}{rest} ORDER BY c.id DESC LIMIT {limit}) AS tak{}",
                    branches.len()
                ));
            }
        }
        let sql = format!(
            "SELECT {CASUS_COLUMNS}, m.match_date, j.first_names, j.surname, \
             EXISTS (SELECT 1 FROM outbox o WHERE o.casus_id = c.id AND o.retour_state = 'afgekeurd') \
             AS bericht_afgekeurd FROM (SELECT id FROM ({}) AS takken ORDER BY id DESC LIMIT {limit}) AS pagina \
             JOIN casus c ON c.id = pagina.id \
             JOIN jeugdige j ON j.id = c.jeugdige_id \
             LEFT JOIN match_intake m ON m.casus_id = c.id \
             ORDER BY c.id DESC LIMIT {limit}",
            branches.join(" UNION ALL ")
        );
        Some((sql, w))
    }

    /// The conditions every branch shares, each starting with ` AND`; `None`
    /// when a name part is too short to search.
    fn common_conditions(&self, filter: &CasusFilter<'_>, w: &mut Waarden) -> Option<String> {
        let mut sql = String::new();
        if let Some(urgentie) = filter.urgentie {
            let p = w.bind(Waarde::Tekst(urgentie.key().to_owned()));
            sql.push_str(&format!(" AND c.urgentie = {p}"));
        }
        if let Some(gi) = filter.gi {
            let p = w.bind(Waarde::Tekst(gi.as_str().to_owned()));
            sql.push_str(&format!(" AND c.gi_agb = {p}"));
        }
        if let Some(before) = filter.before {
            let p = w.bind(Waarde::Getal(before));
            sql.push_str(&format!(" AND c.id < {p}"));
        }
        if let Some(bsn) = filter.bsn {
            let p = w.bind(Waarde::Tekst(bsn.as_str().to_owned()));
            sql.push_str(&format!(
                " AND c.jeugdige_id IN (SELECT id FROM jeugdige WHERE bsn = {p})"
            ));
        }
        if let Some(name) = filter.name {
            let patroon = match self.inner {
                TxInner::Sqlite(_) => Patroon::Glob,
                TxInner::Postgres(_) => Patroon::Like,
            };
            let p = w.bind(Waarde::Tekst(zoekpatroon(name, patroon)?));
            sql.push_str(&match patroon {
                Patroon::Glob => format!(
                    " AND c.jeugdige_id IN (SELECT rowid FROM jeugdige_naam WHERE zoeknaam GLOB {p})"
                ),
                Patroon::Like => format!(
                    " AND c.jeugdige_id IN (SELECT id FROM jeugdige WHERE zoeknaam LIKE {p})"
                ),
            });
        }
        if let Some(day) = filter.matched_by {
            let p = w.bind(Waarde::Dag(day));
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM match_intake mi WHERE mi.casus_id = c.id AND mi.match_date <= {p})"
            ));
        }
        Some(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_part_is_searched_in_lower_case_every_character_literally() {
        let like = |deel| zoekpatroon(deel, Patroon::Like);
        let glob = |deel| zoekpatroon(deel, Patroon::Glob);
        assert_eq!(like("ÖzDe"), Some("%özde%".to_owned()));
        assert_eq!(glob("ÖzDe"), Some("*özde*".to_owned()));
        assert_eq!(like("a%"), None, "shorter than three");
        assert_eq!(like("m_u"), Some("%m\\_u%".to_owned()));
        assert_eq!(like("5%\\"), Some("%5\\%\\\\%".to_owned()));
        assert_eq!(glob("m_u%"), Some("*m_u%*".to_owned()));
        assert_eq!(glob("a*?["), Some("*a[*][?][[]*".to_owned()));
        assert_eq!(zoeknaam("Émile", "Çelik"), "émile çelik");
    }
}
