//! While the help runs, the provider and the local team write down how it goes
//! (domain.md step 9: family, hoofdaannemer and local team keep in touch on
//! progress). Each sees the other's notes on the case; a note is only ever
//! added, with who wrote it and when, in the transaction of its audit record.
//! A provider writes only on a case allocated to it, a worker only on a case of
//! its gemeenten; notes are written from the toewijzing to the evaluation.

use jeugdroute_domain::Fase;
use jeugdroute_store::NieuweVoortgang;

use crate::access::{Actor, UseCase};
use crate::casus::Check;
use crate::{App, AppError, grenzen};

/// Rule: domain.md step 9 — progress is noted while the help is allocated and
/// runs, up to its evaluation.
pub fn voortgang_open(fase: Fase) -> bool {
    matches!(fase, Fase::Toewijzing | Fase::Uitvoering | Fase::Evaluatie)
}

impl App {
    /// Adds a progress note to a case, by its provider or by the local team.
    pub async fn voortgang_schrijven(
        &self,
        actor: &Actor,
        id: i64,
        tekst: &str,
    ) -> Result<(), AppError> {
        let event = "voortgang.schrijven";
        self.require(actor, UseCase::Voortgang, event).await?;
        let mut check = Check::default();
        let tekst = check.required(&grenzen::VOORTGANG, tekst);
        check.finish()?;
        let now = self.now();
        let (mut tx, casus, aanbieder) = if actor.user.aanbieder.is_some() {
            let eigen = self.eigen_casus(actor, id, event).await?;
            (eigen.tx, eigen.casus, Some(eigen.aanbieder))
        } else {
            let (tx, casus) = self.gedekte_casus(actor, id, event).await?;
            (tx, casus, None)
        };
        if !voortgang_open(casus.phase) {
            return Err(AppError::Fields(vec![crate::FieldError {
                field: grenzen::VOORTGANG.naam,
                message: format!(
                    "Voortgang schrijft u zolang de hulp loopt; deze casus is bij de stap {}.",
                    casus.phase.label()
                ),
            }]));
        }
        tx.insert_voortgang(&NieuweVoortgang {
            casus_id: id,
            auteur: &actor.user.username,
            aanbieder_agb: aanbieder.as_ref().map(|a| a.as_str()),
            tekst: &tekst,
            geschreven_op: now,
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
