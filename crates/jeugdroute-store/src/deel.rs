//! A part of a provider's exchange with one gemeente: the rows about one client,
//! some allocations, some references or some messages. The exchange grows with
//! every message, so the provider's queries never read it whole: each names the
//! part it needs, and reads it in statements of a bounded number of parameters
//! (a message may name thousands of allocations or references).

use std::collections::HashSet;

use crate::store::{on_tx, placeholders};
use crate::{Result, Tx};

/// The most values of one list in one statement.
const PER_STATEMENT: usize = 500;

/// The rows about any of these: a client, allocations, references (a request's
/// ReferentieAanbieder, a prestatie's ReferentieNummer) or messages. Empty: none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deel<'a> {
    pub bsn: Option<&'a str>,
    pub nummers: Vec<i64>,
    pub referenties: Vec<&'a str>,
    pub berichten: Vec<i64>,
}

/// The columns a table answers a [`Deel`] with; `None` or empty where it has none.
pub(crate) struct Kolommen {
    pub bsn: Option<&'static str>,
    pub nummer: Option<&'static str>,
    /// Each compared with every reference (a prestatie: its own and the one it credits).
    pub referentie: &'static [&'static str],
    pub bericht: Option<&'static str>,
}

/// One value bound to a statement.
enum Waarde<'a> {
    Tekst(&'a str),
    Getal(i64),
}

/// A row that [`Tx::deel_rows`] can tell apart from another.
pub(crate) trait Rij {
    fn id(&self) -> i64;
}

impl<'a> Deel<'a> {
    /// The rows about this client.
    pub fn client(bsn: &'a str) -> Self {
        Deel {
            bsn: Some(bsn),
            ..Deel::default()
        }
    }

    /// The rows about this allocation.
    pub fn toewijzing(nummer: i64) -> Self {
        Deel {
            nummers: vec![nummer],
            ..Deel::default()
        }
    }

    /// Nothing to read.
    pub fn is_leeg(&self) -> bool {
        self.bsn.is_none()
            && self.nummers.is_empty()
            && self.referenties.is_empty()
            && self.berichten.is_empty()
    }

    /// This part in pieces of at most [`PER_STATEMENT`] values per list.
    fn stukken(&self) -> Vec<Deel<'a>> {
        let (nummers, referenties, berichten) = (
            distinct(&self.nummers),
            distinct(&self.referenties),
            distinct(&self.berichten),
        );
        let longest = nummers.len().max(referenties.len()).max(berichten.len());
        (0..longest.div_ceil(PER_STATEMENT).max(1))
            .map(|i| Deel {
                bsn: self.bsn,
                nummers: piece(&nummers, i),
                referenties: piece(&referenties, i),
                berichten: piece(&berichten, i),
            })
            .collect()
    }

    /// `(column IN ($first, …) OR column IN (…) …)` for the columns the table has, with the
    /// values to bind in order; `None` when nothing of this part is in the table.
    fn voorwaarde(&self, k: &Kolommen, first: usize) -> Option<(String, Vec<Waarde<'a>>)> {
        let mut terms = Vec::new();
        let mut values = Vec::new();
        let mut next = first;
        let mut list = |column: &str, items: Vec<Waarde<'a>>, terms: &mut Vec<String>| {
            if !items.is_empty() {
                terms.push(format!("{column} IN ({})", placeholders(next, items.len())));
                next += items.len();
                values.extend(items);
            }
        };
        if let (Some(column), Some(bsn)) = (k.bsn, self.bsn) {
            list(column, vec![Waarde::Tekst(bsn)], &mut terms);
        }
        if let Some(column) = k.nummer {
            list(
                column,
                self.nummers.iter().map(|n| Waarde::Getal(*n)).collect(),
                &mut terms,
            );
        }
        for column in k.referentie {
            let items = self.referenties.iter().map(|r| Waarde::Tekst(r)).collect();
            list(column, items, &mut terms);
        }
        if let Some(column) = k.bericht {
            list(
                column,
                self.berichten.iter().map(|b| Waarde::Getal(*b)).collect(),
                &mut terms,
            );
        }
        (!terms.is_empty()).then(|| (format!("({})", terms.join(" OR ")), values))
    }
}

/// The values of `list`, each once.
fn distinct<T: Ord + Copy>(list: &[T]) -> Vec<T> {
    let mut values = list.to_vec();
    values.sort_unstable();
    values.dedup();
    values
}

/// The `i`-th piece of [`PER_STATEMENT`] values of `list`.
fn piece<T: Copy>(list: &[T], i: usize) -> Vec<T> {
    list.iter()
        .skip(i * PER_STATEMENT)
        .take(PER_STATEMENT)
        .copied()
        .collect()
}

impl Tx {
    /// The rows of `select` (a statement ending in `WHERE …` with `fixed` as its first
    /// parameters, to which the part's condition is added with `AND`) that belong to
    /// `deel`, each once, in the order of `order`.
    pub(crate) async fn deel_rows<T>(
        &mut self,
        select: &str,
        fixed: &[&str],
        deel: &Deel<'_>,
        kolommen: &Kolommen,
        order: impl FnMut(&T, &T) -> std::cmp::Ordering,
    ) -> Result<Vec<T>>
    where
        T: Rij
            + Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let mut rows: Vec<T> = Vec::new();
        let mut seen = HashSet::new();
        for stuk in deel.stukken() {
            let Some((condition, values)) = stuk.voorwaarde(kolommen, fixed.len() + 1) else {
                continue;
            };
            let sql = format!("{select} AND {condition}");
            let found: Vec<T> = on_tx!(self, |conn| {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
                for value in fixed {
                    query = query.bind(*value);
                }
                for value in &values {
                    query = match value {
                        Waarde::Tekst(text) => query.bind(*text),
                        Waarde::Getal(number) => query.bind(*number),
                    };
                }
                query.fetch_all(&mut *conn).await?
            });
            rows.extend(found.into_iter().filter(|row| seen.insert(row.id())));
        }
        rows.sort_by(order);
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KOLOMMEN: Kolommen = Kolommen {
        bsn: Some("bsn"),
        nummer: Some("nummer"),
        referentie: &["eigen", "vorig"],
        bericht: None,
    };

    #[test]
    fn a_part_is_asked_for_by_each_column_the_table_has() {
        let deel = Deel {
            bsn: Some("999993653"),
            nummers: vec![7, 8],
            referenties: vec!["R1"],
            berichten: vec![3],
        };
        let (condition, values) = deel.voorwaarde(&KOLOMMEN, 3).unwrap();
        assert_eq!(
            condition,
            "(bsn IN ($3) OR nummer IN ($4, $5) OR eigen IN ($6) OR vorig IN ($7))"
        );
        assert_eq!(values.len(), 5);
        assert!(Deel::default().voorwaarde(&KOLOMMEN, 1).is_none());
        assert!(Deel::default().is_leeg());
    }

    #[test]
    fn long_lists_go_in_pieces_of_bounded_length() {
        let deel = Deel {
            bsn: Some("999993653"),
            nummers: (0..1_201).collect(),
            referenties: vec!["R1", "R1"],
            berichten: Vec::new(),
        };
        let stukken = deel.stukken();
        assert_eq!(stukken.len(), 3);
        assert!(stukken.iter().all(|s| s.nummers.len() <= PER_STATEMENT));
        assert_eq!(
            stukken.iter().map(|s| s.nummers.len()).sum::<usize>(),
            1_201
        );
        assert_eq!(stukken.first().map(|s| s.referenties.len()), Some(1));
        assert!(stukken.iter().all(|s| s.bsn == Some("999993653")));
    }
}
