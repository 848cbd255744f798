//! The hoofdaannemer's work on a case allocated to it, before and beside the
//! messages of the exchange: it answers the allocation (takes the youth in
//! care, or reports a problem the gemeente sees on the case), registers the
//! intake it held, and records its beknopt plan and behandelplan against the
//! results of the family's perspectiefplan. The steps go in that order: an
//! intake follows an acceptance, a plan follows the intake. Each is checked
//! whole, written with its audit record in one transaction (the write is
//! recorded under its event as the look at the case), and refused as not found
//! for a case not allocated to the actor's provider.

use chrono::NaiveDate;
use jeugdroute_domain::{
    Aanbiederreactie, Behandelplan, BeknoptPlan, Doel, Reactie, amsterdam_today, gehouden_intake,
};
use jeugdroute_store::Behandeling;

use crate::aanbieder::EigenCasus;
use crate::access::{Actor, UseCase};
use crate::casus::Check;
use crate::{App, AppError, grenzen};

/// The provider's behandelplan as a form or JSON gives it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BehandelplanInvoer {
    pub beknopt_plan: String,
    pub doelen: Vec<Doel>,
}

impl App {
    /// The provider answers the allocation of a case: it takes the youth in
    /// care, or reports a problem (what the problem is is required).
    pub async fn aanbieder_reageren(
        &self,
        actor: &Actor,
        id: i64,
        reactie: Reactie,
        toelichting: &str,
    ) -> Result<(), AppError> {
        let event = "behandeling.reactie";
        self.require(actor, UseCase::Behandelen, event).await?;
        let mut check = Check::default();
        let toelichting = check.optional(&grenzen::TOELICHTING, toelichting);
        let reactie = check.parsed(
            "toelichting",
            Aanbiederreactie::new(reactie, &toelichting).map_err(|e| e.message),
        );
        check.finish()?;
        let Some(reactie) = reactie else {
            return Err(AppError::Invalid("reactie".into()));
        };
        let mut eigen = self.eigen_casus(actor, id, event).await?;
        let now = self.now();
        (eigen.tx)
            .set_reactie(id, &eigen.aanbieder, &reactie, now)
            .await?;
        eigen.tx.commit().await?;
        Ok(())
    }

    /// The provider registers the day it held the intake, once it took the
    /// youth in care; the day is not in the future nor before the match.
    pub async fn intake_registreren(
        &self,
        actor: &Actor,
        id: i64,
        datum: NaiveDate,
    ) -> Result<(), AppError> {
        let event = "behandeling.intake";
        self.require(actor, UseCase::Behandelen, event).await?;
        let mut eigen = self.eigen_casus(actor, id, event).await?;
        let eigen_deel = eigen.deel().await?;
        let mut check = Check::default();
        if !eigen_deel
            .as_ref()
            .and_then(|b| b.reactie.as_ref())
            .is_some_and(|(r, _)| r.reactie == Reactie::Geaccepteerd)
        {
            check.fail(
                "intakedatum",
                "Intakedatum: neem de jeugdige eerst in zorg; daarna registreert u de intake.",
            );
        }
        let match_datum = (eigen.tx.dossier(id).await?.match_en_intake).map(|m| m.match_date);
        let today = amsterdam_today(self.now());
        check.parsed(
            "intakedatum",
            gehouden_intake(datum, today, match_datum).map_err(|e| e.message),
        );
        check.finish()?;
        let now = self.now();
        (eigen.tx)
            .set_intake(id, &eigen.aanbieder, datum, now)
            .await?;
        eigen.tx.commit().await?;
        Ok(())
    }

    /// The provider records its beknopt plan and behandelplan (replacing an
    /// earlier one), once the intake was held: every goal serves results of
    /// the family's perspectiefplan.
    pub async fn behandelplan_opslaan(
        &self,
        actor: &Actor,
        id: i64,
        invoer: &BehandelplanInvoer,
    ) -> Result<(), AppError> {
        let event = "behandeling.plan";
        self.require(actor, UseCase::Behandelen, event).await?;
        let mut check = Check::default();
        let beknopt = check.optional(&grenzen::BEKNOPT_PLAN, &invoer.beknopt_plan);
        let doelen: Vec<Doel> = (invoer.doelen.iter())
            .map(|d| Doel {
                omschrijving: check.optional(&grenzen::DOEL, &d.omschrijving),
                activiteiten: check.optional(&grenzen::ACTIVITEITEN, &d.activiteiten),
                frequentie: check.optional(&grenzen::FREQUENTIE, &d.frequentie),
                resultaten: d.resultaten.clone(),
            })
            .collect();
        check.finish()?;
        let mut eigen = self.eigen_casus(actor, id, event).await?;
        let mut check = Check::default();
        if eigen.deel().await?.and_then(|b| b.intake).is_none() {
            check.fail(
                "doelen",
                "Registreer eerst de intake; het behandelplan maakt u met het gezin na de intake.",
            );
        }
        let resultaten = (eigen.tx.plan(id).await?).map_or(0, |p| p.resultaten.len());
        let plan = BeknoptPlan::parse(&beknopt)
            .map_err(|e| vec![e])
            .and_then(|b| Behandelplan::new(b, doelen, resultaten));
        let plan = match plan {
            Ok(plan) => Some(plan),
            Err(problems) => {
                for p in problems {
                    check.fail(p.kind, p.message);
                }
                None
            }
        };
        check.finish()?;
        let Some(plan) = plan else {
            return Err(AppError::Invalid("behandelplan".into()));
        };
        let now = self.now();
        (eigen.tx)
            .save_behandelplan(id, &eigen.aanbieder, &plan, now)
            .await?;
        eigen.tx.commit().await?;
        Ok(())
    }
}

impl EigenCasus {
    /// What the provider recorded of its part of the case so far.
    async fn deel(&mut self) -> Result<Option<Behandeling>, AppError> {
        let id = self.casus.id;
        Ok(self
            .tx
            .behandelingen(id, Some(&self.aanbieder))
            .await?
            .pop())
    }
}
