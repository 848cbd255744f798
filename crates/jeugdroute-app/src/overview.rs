//! The region at a glance, as the start page shows it: no personal data.

use jeugdroute_domain::{Gemeente, Gemeentecode, Gi, Regio};

use crate::{App, AppError};

/// The region with its gemeenten and the number of contracted providers.
#[derive(Debug, Clone)]
pub struct RegioOverview {
    pub regio: Regio,
    pub gemeenten: Vec<Gemeente>,
    /// The gecertificeerde instellingen working in the region.
    pub gis: Vec<Gi>,
    pub aanbieder_count: usize,
    /// Per gemeente (CBS code), the cases closed to free-access help (need A).
    pub lokaal_aanbod: Vec<(String, i64)>,
}

impl RegioOverview {
    /// The cases of a gemeente closed to free-access help, as the start page
    /// shows it: fewer than five as "< 5", so no family can be recognised.
    pub fn lokaal_aanbod_van(&self, gemeente: &Gemeentecode) -> String {
        let n = self
            .lokaal_aanbod
            .iter()
            .find(|(code, _)| code == gemeente.as_str())
            .map_or(0, |(_, n)| *n);
        if n < 5 {
            "< 5".to_owned()
        } else {
            n.to_string()
        }
    }
}

impl App {
    /// The region this installation serves; `None` before one is set up.
    pub async fn regio_overview(&self) -> Result<Option<RegioOverview>, AppError> {
        let mut tx = self.store.begin().await?;
        let Some(regio) = tx.regio().await? else {
            return Ok(None);
        };
        Ok(Some(RegioOverview {
            regio,
            gemeenten: tx.gemeenten().await?,
            gis: tx.gis().await?,
            aanbieder_count: tx.aanbieders().await?.len(),
            lokaal_aanbod: tx.afgesloten_lokaal_aanbod().await?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_than_five_closed_cases_are_never_shown_as_a_number() {
        let overview = |n: i64| RegioOverview {
            regio: Regio {
                code: "r".into(),
                name: "R".into(),
            },
            gemeenten: Vec::new(),
            gis: Vec::new(),
            aanbieder_count: 0,
            lokaal_aanbod: vec![("0307".into(), n)],
        };
        let amersfoort = Gemeentecode::parse("0307").unwrap();
        for (n, shown) in [(1, "< 5"), (4, "< 5"), (5, "5"), (23, "23")] {
            assert_eq!(overview(n).lokaal_aanbod_van(&amersfoort), shown);
        }
        let soest = Gemeentecode::parse("0342").unwrap();
        assert_eq!(overview(9).lokaal_aanbod_van(&soest), "< 5", "none at all");
    }
}
