//! An intensity *suggestion* from the guideline items of step 4 that the worker
//! ticked. The guidelines say not every item has to hold, so this only proposes:
//! the intensity with the largest share of its items ticked, explained, never
//! forced. A tie or nothing ticked gives no proposal.

use crate::{Catalogue, Intensiteit};

/// How many of an intensity's guideline items were ticked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuidelineScore {
    pub intensiteit: Intensiteit,
    pub ticked: usize,
    pub total: usize,
}

/// A proposed intensity with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub proposal: Option<Intensiteit>,
    pub scores: Vec<GuidelineScore>,
    pub explanation: String,
}

/// Guideline ids that the catalogue does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("onbekende richtlijnen: {}", .0.join(", "))]
pub struct UnknownGuidelines(pub Vec<String>);

impl Catalogue {
    pub fn suggest_intensiteit(&self, ticked: &[&str]) -> Result<Suggestion, UnknownGuidelines> {
        let known = |id: &str| {
            self.intensiteiten()
                .iter()
                .any(|r| r.guidelines.iter().any(|g| g.id == id))
        };
        let unknown: Vec<String> = ticked
            .iter()
            .filter(|id| !known(id))
            .map(|id| (*id).to_owned())
            .collect();
        if !unknown.is_empty() {
            return Err(UnknownGuidelines(unknown));
        }
        let scores: Vec<GuidelineScore> = self
            .intensiteiten()
            .iter()
            .map(|rule| GuidelineScore {
                intensiteit: rule.intensiteit,
                ticked: rule
                    .guidelines
                    .iter()
                    .filter(|g| ticked.contains(&g.id.as_str()))
                    .count(),
                total: rule.guidelines.len(),
            })
            .collect();
        // Compare ticked/total as fractions without division: a/b > c/d  <=>  a·d > c·b.
        let better =
            |a: &GuidelineScore, b: &GuidelineScore| a.ticked * b.total > b.ticked * a.total;
        let best = scores.iter().filter(|s| s.ticked > 0).fold(
            Vec::<&GuidelineScore>::new(),
            |mut best, s| {
                match best.first() {
                    Some(b) if better(b, s) => {}
                    Some(b) if better(s, b) => best = vec![s],
                    _ => best.push(s),
                }
                best
            },
        );
        let line =
            |s: &GuidelineScore| format!("{}: {} van {}", s.intensiteit.label(), s.ticked, s.total);
        let tally = scores
            .iter()
            .filter(|s| s.ticked > 0)
            .map(line)
            .collect::<Vec<_>>()
            .join("; ");
        let (proposal, explanation) = match best.as_slice() {
            [] => (
                None,
                "Er is geen richtlijn aangevinkt, dus er is geen voorstel.".to_owned(),
            ),
            [only] => (
                Some(only.intensiteit),
                format!(
                    "Voorstel: {}, omdat daarvan naar verhouding de meeste richtlijnen passen ({tally}). \
                     Dit is een voorstel; u kiest zelf de intensiteit.",
                    only.intensiteit.label()
                ),
            ),
            tied => (
                None,
                format!(
                    "Geen voorstel: {} passen even goed ({tally}). Kies zelf de intensiteit.",
                    tied.iter()
                        .map(|s| s.intensiteit.label())
                        .collect::<Vec<_>>()
                        .join(" en ")
                ),
            ),
        };
        Ok(Suggestion {
            proposal,
            scores,
            explanation,
        })
    }
}
