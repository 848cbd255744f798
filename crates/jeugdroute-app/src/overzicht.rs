//! The region at a glance, as the start page shows it: no personal data.

use jeugdroute_domain::{Gemeente, Regio};

use crate::{App, AppError};

/// The region with its gemeenten and the number of contracted providers.
#[derive(Debug, Clone)]
pub struct RegioOverzicht {
    pub regio: Regio,
    pub gemeenten: Vec<Gemeente>,
    pub aantal_aanbieders: usize,
}

impl App {
    /// The region this installation serves; `None` before one is set up.
    pub async fn regio_overzicht(&self) -> Result<Option<RegioOverzicht>, AppError> {
        let mut tx = self.store.begin().await?;
        let Some(regio) = tx.regio().await? else {
            return Ok(None);
        };
        Ok(Some(RegioOverzicht {
            regio,
            gemeenten: tx.gemeenten().await?,
            aantal_aanbieders: tx.aanbieders().await?.len(),
        }))
    }
}
