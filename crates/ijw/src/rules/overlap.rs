//! Overlapping periods of the same product in one message (TR302, TR386, TR410).
//!
//! A message may name any number of products, so the rules must not compare every
//! pair of them: a 25 MB message of identical products would cost billions of
//! comparisons and a finding per pair. Beyond a few periods, each is asked against
//! the earlier periods of the products it counts as the same, kept per kind of
//! product in a tree that answers "of those starting by my end, which ends latest"
//! in logarithmic time; the few products of an ordinary message are compared in
//! pairs. Either way each period is reported at most once, with one earlier period
//! it overlaps.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::types::basis::Product;

/// One period of a product in a message: its index, how to name it, the product
/// (none: generic), start and (open) end.
pub(super) type Period<'a> = (
    usize,
    String,
    Option<&'a Product>,
    NaiveDate,
    Option<NaiveDate>,
);

/// The kinds of product a period is kept under and asked against. The overlap rules
/// call two products the same when their codes are equal, when either has only a
/// category (then the categories must be equal), or when either is generic.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Soort<'a> {
    /// Products with this category and code.
    Code(&'static str, &'a str),
    /// Products with this category and no code.
    Categorie(&'static str),
    /// Every product of this category, with or without a code.
    HeleCategorie(&'static str),
    /// Generic periods: no product.
    Generiek,
    /// Every period.
    Alles,
}

/// Where a period is kept.
fn kept_under<'a>(product: Option<&'a Product>) -> Vec<Soort<'a>> {
    match product {
        Some(p) => {
            let categorie = p.categorie.code();
            let own = match &p.code {
                Some(code) => Soort::Code(categorie, code),
                None => Soort::Categorie(categorie),
            };
            vec![own, Soort::HeleCategorie(categorie), Soort::Alles]
        }
        None => vec![Soort::Generiek, Soort::Alles],
    }
}

/// What a period is asked against: every kind that holds a product the same as its own.
fn asked_against<'a>(product: Option<&'a Product>) -> Vec<Soort<'a>> {
    match product {
        Some(p) => {
            let categorie = p.categorie.code();
            match &p.code {
                Some(code) => vec![
                    Soort::Code(categorie, code),
                    Soort::Categorie(categorie),
                    Soort::Generiek,
                ],
                None => vec![Soort::HeleCategorie(categorie), Soort::Generiek],
            }
        }
        None => vec![Soort::Alles],
    }
}

/// The periods kept under one kind, sorted by start, with a Fenwick tree over that
/// order holding the latest end (and its period, the earliest on a tie) among the
/// periods added so far.
struct Kept {
    starts: Vec<(NaiveDate, usize)>,
    tree: Vec<Option<(NaiveDate, std::cmp::Reverse<usize>)>>,
}

impl Kept {
    fn new(mut starts: Vec<(NaiveDate, usize)>) -> Self {
        starts.sort_unstable();
        let tree = vec![None; starts.len()];
        Self { starts, tree }
    }

    /// Adds period `at` (its position among all periods), which starts on `start`.
    fn add(&mut self, start: NaiveDate, at: usize, end: NaiveDate) {
        let Ok(mut slot) = self.starts.binary_search(&(start, at)) else {
            return;
        };
        let value = Some((end, std::cmp::Reverse(at)));
        while let Some(cell) = self.tree.get_mut(slot) {
            *cell = (*cell).max(value);
            slot |= slot + 1;
        }
    }

    /// The added period that overlaps `start..=end` and ends latest, if any.
    fn overlapping(&self, start: NaiveDate, end: NaiveDate) -> Option<usize> {
        let mut count = self.starts.partition_point(|(s, _)| *s <= end);
        let mut latest = None;
        while let Some(below) = count.checked_sub(1) {
            latest = latest.max(self.tree.get(below).copied().flatten());
            count &= below;
        }
        latest
            .filter(|(last, _)| *last >= start)
            .map(|(_, at)| at.0)
    }
}

/// Up to this many periods every pair is compared: for the few products a message
/// nearly always holds that is cheaper than building the trees.
const FEW: usize = 16;

/// Each period that overlaps an earlier one of the same product, once, with a message
/// that names an earlier one it overlaps.
pub(super) fn overlapping(periods: &[Period<'_>]) -> Vec<(usize, String)> {
    let found = if periods.len() <= FEW {
        pairwise(periods)
    } else {
        through_trees(periods)
    };
    found
        .into_iter()
        .filter_map(|(later, earlier)| Some((periods.get(later)?, periods.get(earlier)?)))
        .map(|((index, label, ..), (_, first, ..))| {
            let message = format!("{label} overlapt in periode met {first} voor hetzelfde product");
            (*index, message)
        })
        .collect()
}

/// The rules' own words, pair by pair: the same product (the same code; the same
/// category where either has no code; anything where either is generic) in
/// periods that share a day.
fn clash(a: &Period<'_>, b: &Period<'_>) -> bool {
    let same = match (a.2, b.2) {
        (Some(p), Some(q)) => {
            p.categorie == q.categorie && (p.code.is_none() || q.code.is_none() || p.code == q.code)
        }
        _ => true,
    };
    let apart = a.4.is_some_and(|e| e < b.3) || b.4.is_some_and(|e| e < a.3);
    same && !apart
}

/// Each later period with the first earlier one it clashes with, by comparing pairs.
fn pairwise(periods: &[Period<'_>]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (later, period) in periods.iter().enumerate() {
        let before = periods.get(..later).unwrap_or_default();
        if let Some(earlier) = before.iter().position(|e| clash(e, period)) {
            found.push((later, earlier));
        }
    }
    found
}

/// Each later period with an earlier one it clashes with (of those, one that ends
/// latest), through a tree per kind of product.
fn through_trees(periods: &[Period<'_>]) -> Vec<(usize, usize)> {
    let end = |p: &Period<'_>| p.4.unwrap_or(NaiveDate::MAX);
    let mut starts: HashMap<Soort<'_>, Vec<(NaiveDate, usize)>> = HashMap::new();
    for (at, period) in periods.iter().enumerate() {
        for soort in kept_under(period.2) {
            starts.entry(soort).or_default().push((period.3, at));
        }
    }
    let mut kept: HashMap<_, _> = starts.into_iter().map(|(s, v)| (s, Kept::new(v))).collect();
    let mut found = Vec::new();
    for (at, period) in periods.iter().enumerate() {
        let (_, _, product, start, _) = period;
        let earlier = asked_against(*product)
            .into_iter()
            .filter_map(|soort| kept.get(&soort)?.overlapping(*start, end(period)))
            .min();
        if let Some(earlier) = earlier {
            found.push((at, earlier));
        }
        for soort in kept_under(*product) {
            if let Some(k) = kept.get_mut(&soort) {
                k.add(*start, at, end(period));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::types::codes::ProductCategorie;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(n.into())
    }

    fn periods<'a>(
        products: &'a [Option<Product>],
        dates: &[(u32, Option<u32>)],
    ) -> Vec<Period<'a>> {
        products
            .iter()
            .zip(dates)
            .enumerate()
            .map(|(i, (p, (start, length)))| {
                let end = length.map(|l| day(start + l));
                (i, format!("nr {i}"), p.as_ref(), day(*start), end)
            })
            .collect()
    }

    fn product() -> impl Strategy<Value = Option<Product>> {
        let categorie = prop_oneof![Just(ProductCategorie::C45), Just(ProductCategorie::C55)];
        let code = prop_oneof![
            Just(None),
            Just(Some("A".to_owned())),
            Just(Some("B".to_owned()))
        ];
        prop_oneof![
            1 => Just(None),
            6 => (categorie, code).prop_map(|(categorie, code)| Some(Product { categorie, code })),
        ]
    }

    proptest! {
        /// The trees agree with the pairs: a period is reported exactly when some
        /// earlier period of the same product overlaps it, and the one they name does.
        #[test]
        fn the_trees_find_what_the_pairs_find(
            products in proptest::collection::vec(product(), 0..40),
            dates in proptest::collection::vec((0u32..90, proptest::option::of(0u32..20)), 40),
        ) {
            let periods = periods(&products, &dates);
            let by_pairs = pairwise(&periods);
            let by_trees = through_trees(&periods);
            let later = |found: &[(usize, usize)]| found.iter().map(|f| f.0).collect::<Vec<_>>();
            prop_assert_eq!(later(&by_trees), later(&by_pairs));
            for (j, i) in by_trees.into_iter().chain(by_pairs) {
                prop_assert!(i < j && clash(&periods[i], &periods[j]), "{i} {j}");
            }
        }
    }

    #[test]
    fn the_same_product_is_the_same_code_or_a_category_or_generic() {
        let p = |categorie, code: Option<&str>| {
            Some(Product {
                categorie,
                code: code.map(str::to_owned),
            })
        };
        let products = [
            p(ProductCategorie::C45, Some("45A48")),
            p(ProductCategorie::C45, Some("45A49")),
            p(ProductCategorie::C45, None),
            p(ProductCategorie::C55, None),
            None,
        ];
        let all = periods(&products, &[(0, None); 5]);
        let clashes = |i: usize, j: usize| clash(&all[i], &all[j]);
        assert!(!clashes(0, 1), "two codes");
        assert!(clashes(0, 2) && clashes(1, 2), "a code and its category");
        assert!(!clashes(2, 3), "two categories");
        assert!((0..4).all(|i| clashes(i, 4)), "generic and anything");
        let apart = periods(&products[..2], &[(0, Some(9)), (10, None)]);
        assert!(!clash(&apart[0], &apart[1]));
        let twice = [products[0].clone(), products[0].clone()];
        let touching = periods(&twice, &[(0, Some(10)), (10, None)]);
        assert!(clash(&touching[0], &touching[1]), "the last day overlaps");
    }

    #[test]
    fn many_identical_products_give_one_finding_each_but_the_first() {
        let product = Some(Product {
            categorie: ProductCategorie::C55,
            code: Some("55A11".to_owned()),
        });
        let n = 50_000;
        let products = vec![product; n];
        let periods = periods(&products, &vec![(0, None); n]);
        let found = overlapping(&periods);
        assert_eq!(found.len(), n - 1);
        assert_eq!(
            found[0],
            (
                1,
                "nr 1 overlapt in periode met nr 0 voor hetzelfde product".to_owned()
            )
        );
    }
}
