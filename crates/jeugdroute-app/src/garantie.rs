//! Warranty routing (domain.md step 11): when a new melding comes in for a
//! youth whose help ended less than four months before, the case page says so
//! at once — the earlier hoofdaannemer, the results as they were judged and the
//! last day of help — and one step sends the case back to that hoofdaannemer:
//! the earlier plan and determination carry over, no new determination is made,
//! and the help runs again (uitvoering). The provider sees the case as a
//! warranty case; each one is recorded, so the region can count recurrence.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    Aanbieder, AgbCode, Dossier, EndedToewijzing, Fase, PlanResultaat, Resultaatoordeel,
    amsterdam_today, short_date, warranty,
};
use jeugdroute_store::{Casus, Garantiezaak, Tx};

use crate::{App, AppError, FieldError};

/// Earlier help a new melding falls under the warranty of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Garantievoorstel {
    pub eerdere_casus: i64,
    /// The hoofdaannemer of that help.
    pub aanbieder: Aanbieder,
    pub einddatum: NaiveDate,
    pub garantie_tot: NaiveDate,
    /// The results of the earlier plan, each with how it was judged.
    pub resultaten: Vec<(PlanResultaat, Option<Resultaatoordeel>)>,
}

impl App {
    /// The warranty a case's melding falls under: the most recently ended help
    /// of the same youth whose warranty ran on the day of the melding.
    pub(crate) async fn garantievoorstel(
        &self,
        tx: &mut Tx,
        casus: &Casus,
    ) -> Result<Option<Garantievoorstel>, AppError> {
        let eerder = tx.eerdere_hulp(casus.jeugdige_id, casus.id).await?;
        let ended: Vec<EndedToewijzing> = (eerder.iter())
            .filter_map(|e| {
                Some(EndedToewijzing {
                    hoofdaannemer: AgbCode::parse(&e.aanbieder_agb).ok()?,
                    einddatum: e.einddatum,
                })
            })
            .collect();
        let Some(garantie) = warranty(&ended, amsterdam_today(casus.created_at)) else {
            return Ok(None);
        };
        let Some(hulp) = eerder.iter().find(|e| {
            e.aanbieder_agb == garantie.hoofdaannemer.as_str()
                && jeugdroute_domain::garantie_tot(e.einddatum) == Some(garantie.until)
        }) else {
            return Ok(None);
        };
        let dossier = tx.dossier(hulp.casus_id).await?;
        let oordelen = dossier.evaluatie.as_ref().map(|e| e.oordelen().to_vec());
        let resultaten = (dossier.plan.map(|p| p.resultaten).unwrap_or_default())
            .into_iter()
            .enumerate()
            .map(|(i, r)| (r, oordelen.as_ref().and_then(|o| o.get(i).cloned())))
            .collect();
        let aanbieder = (tx.aanbieders().await?)
            .into_iter()
            .find(|a| a.agb == garantie.hoofdaannemer)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown hoofdaannemer")))?;
        Ok(Some(Garantievoorstel {
            eerdere_casus: hulp.casus_id,
            aanbieder,
            einddatum: hulp.einddatum,
            garantie_tot: garantie.until,
            resultaten,
        }))
    }

    /// The step that sends a new melding back to the earlier hoofdaannemer
    /// under the warranty: the earlier plan and determination carry over.
    pub(crate) async fn onder_garantie(
        &self,
        tx: &mut Tx,
        dossier: &mut Dossier,
        casus: &Casus,
        now: DateTime<Utc>,
    ) -> Result<(Fase, String), AppError> {
        let Some(voorstel) = self.garantievoorstel(tx, casus).await? else {
            return Err(AppError::Fields(vec![FieldError {
                field: "actie",
                message: "Voor deze jeugdige loopt geen garantie: de hulp eindigde niet in de vier maanden voor de melding.".into(),
            }]));
        };
        let eerder = tx.dossier(voorstel.eerdere_casus).await?;
        if let Some(plan) = &eerder.plan {
            tx.save_plan(casus.id, plan).await?;
        }
        if let Some(b) = &eerder.bemiddeling {
            tx.save_bemiddeling(casus.id, b).await?;
        }
        tx.insert_garantie(&Garantiezaak {
            casus_id: casus.id,
            eerdere_casus_id: voorstel.eerdere_casus,
            aanbieder_agb: voorstel.aanbieder.agb.as_str().to_owned(),
            einddatum: voorstel.einddatum,
            garantie_tot: voorstel.garantie_tot,
            teruggelegd_op: now,
        })
        .await?;
        dossier.plan = eerder.plan;
        dossier.bemiddeling = eerder.bemiddeling;
        Ok((
            Fase::Uitvoering,
            format!(
                "onder garantie terug naar {} (casus {}, hulp geëindigd op {})",
                voorstel.aanbieder.name,
                voorstel.eerdere_casus,
                short_date(voorstel.einddatum)
            ),
        ))
    }
}
