//! The region at a glance, as the start page shows it: no personal data.

use jeugdroute_domain::{Gemeente, Gi, Regio};

use crate::{App, AppError};

/// The region with its gemeenten and the number of contracted providers.
#[derive(Debug, Clone)]
pub struct RegioOverview {
    pub regio: Regio,
    pub gemeenten: Vec<Gemeente>,
    /// The gecertificeerde instellingen working in the region.
    pub gis: Vec<Gi>,
    pub aanbieder_count: usize,
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
        }))
    }
}
