//! Onderaannemers: the hoofdaannemer answers for the results and may call in
//! other providers to deliver part of an allocation. It registers them per
//! allocation, from the providers the region contracted for that allocation's
//! arrangement code; the gemeente sees who delivers. An onderaannemer sees what
//! the hoofdaannemer shares — the youth it helps, the goals of the behandelplan
//! and the period — never the family's plan or the analysis behind it.

use chrono::NaiveDate;
use jeugdroute_domain::{Aanbieder, AgbCode, Doel, Gemeentecode, amsterdam_today};
use jeugdroute_store::{NewAuditRecord, Onderaannemerschap, Onderaanneming, StoreError};

use crate::access::{Actor, UseCase};
use crate::casus::{Check, record};
use crate::{App, AppError, FieldError, grenzen};

/// An allocation an onderaannemer helps with, as it sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnderaannemerCasus {
    pub casus_id: i64,
    pub gemeente: Gemeentecode,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
    /// The hoofdaannemer that called it in and answers for the results.
    pub hoofdaannemer: Aanbieder,
    /// The allocations it helps with: number and period.
    pub toewijzingen: Vec<(i64, NaiveDate, NaiveDate)>,
    /// The goals of the hoofdaannemer's behandelplan, without the plan's
    /// results they serve.
    pub doelen: Vec<Doel>,
}

fn veld(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![FieldError {
        field,
        message: message.into(),
    }])
}

impl App {
    /// The hoofdaannemer registers provider `agb` as onderaannemer of its
    /// allocation `nummer` of case `id`: another provider contracted by the
    /// region for the allocation's arrangement code today.
    pub async fn onderaannemer_toevoegen(
        &self,
        actor: &Actor,
        id: i64,
        nummer: i64,
        agb: &str,
    ) -> Result<(), AppError> {
        let event = "onderaannemer.toevoegen";
        self.require(actor, UseCase::Behandelen, event).await?;
        let onder = AgbCode::parse(agb.trim())
            .map_err(|_| veld("onderaannemer", "Onderaannemer: kies een aanbieder."))?;
        let mut eigen = self.eigen_casus(actor, id, event).await?;
        let Some(t) = eigen.toewijzingen.iter().find(|t| t.nummer == nummer) else {
            return Err(veld(
                "toewijzing",
                "Toewijzing: kies een toewijzing van deze casus aan u.",
            ));
        };
        if onder == eigen.aanbieder {
            return Err(veld(
                "onderaannemer",
                "Onderaannemer: de hoofdaannemer is niet ook zijn eigen onderaannemer.",
            ));
        }
        let today = amsterdam_today(self.now());
        let gecontracteerd = (eigen
            .tx
            .gecontracteerd_voor(&[&t.productcode], today)
            .await?)
            .iter()
            .any(|a| a.agb == onder);
        if !gecontracteerd {
            return Err(veld(
                "onderaannemer",
                format!(
                    "Onderaannemer: deze aanbieder heeft geen contract met de regio voor {}.",
                    t.productcode.as_str()
                ),
            ));
        }
        let onderaanneming = Onderaanneming {
            casus_id: id,
            gemeente_code: t.gemeente.as_str().to_owned(),
            toewijzing_nummer: nummer,
            hoofdaannemer_agb: eigen.aanbieder.as_str().to_owned(),
            onderaannemer_agb: onder.as_str().to_owned(),
            geregistreerd_op: self.now(),
            beeindigd_op: None,
            einde_reden: None,
        };
        eigen.tx.insert_onderaannemer(&onderaanneming).await?;
        eigen.tx.commit().await?;
        Ok(())
    }

    /// The hoofdaannemer ends onderaannemer `agb` of its allocation `nummer`
    /// of case `id`, for `reden` (its part is done, or it was registered by
    /// mistake). The onderaannemer no longer sees the case; the hoofdaannemer
    /// and the gemeente still see who delivered, until when, and why.
    pub async fn onderaannemer_beeindigen(
        &self,
        actor: &Actor,
        id: i64,
        nummer: i64,
        agb: &str,
        reden: &str,
    ) -> Result<(), AppError> {
        let event = "onderaannemer.beeindigen";
        self.require(actor, UseCase::Behandelen, event).await?;
        let mut check = Check::default();
        let onder = check.parsed(
            "onderaannemer",
            AgbCode::parse(agb.trim()).map_err(|_| "Onderaannemer: kies een onderaannemer."),
        );
        let reden = check.required(&grenzen::REDEN, reden);
        check.finish()?;
        let Some(onder) = onder else {
            return Err(veld(
                "onderaannemer",
                "Onderaannemer: kies een onderaannemer.",
            ));
        };
        let mut eigen = self.eigen_casus(actor, id, event).await?;
        let wie = Onderaannemerschap {
            casus_id: id,
            toewijzing_nummer: nummer,
            hoofdaannemer: eigen.aanbieder.as_str(),
            onderaannemer: onder.as_str(),
        };
        let beeindigd = eigen
            .tx
            .beeindig_onderaannemer(&wie, self.now(), &reden)
            .await?;
        // Not (or no longer) an onderaannemer there: nothing changes, the look
        // stays logged.
        eigen.tx.commit().await?;
        if beeindigd {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// A case as an onderaannemer of one of its allocations sees it; a case it
    /// does not help with is not found (the refusal audit-logged, the youth's
    /// data never read).
    pub async fn onderaannemer_casus(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<OnderaannemerCasus, AppError> {
        let event = "onderaanneming.bekijken";
        self.require(actor, UseCase::ToewijzingBekijken, event)
            .await?;
        let Some(agb) = actor.user.aanbieder.as_ref() else {
            return Err(self.refuse(actor, event).await);
        };
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let casus = match tx.casus(id).await {
            Ok(casus) => casus,
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let mijn = tx.onderaannemers(id, Some(agb.as_str())).await?;
        let outcome = if mijn.is_empty() {
            "geweigerd"
        } else {
            "gelukt"
        };
        tx.append_audit(&NewAuditRecord {
            jeugdige_id: Some(casus.jeugdige_id),
            casus_id: Some(id),
            ..record(actor, event, "zorgverlening", outcome, now)
        })
        .await?;
        let Some(eerste) = mijn.first() else {
            tx.commit().await?;
            return Err(AppError::NotFound);
        };
        let hoofd = AgbCode::parse(&eerste.hoofdaannemer_agb)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{}", e.message)))?;
        let jeugdige = tx.jeugdige(casus.jeugdige_id).await?;
        let toewijzingen = (tx.toewijzingen(id).await?)
            .into_iter()
            .filter(|t| mijn.iter().any(|o| o.toewijzing_nummer == t.nummer))
            .map(|t| (t.nummer, t.start_date, t.end_date))
            .collect();
        let doelen = (tx.behandelingen(id, Some(&hoofd)).await?)
            .pop()
            .and_then(|b| b.plan)
            .map(|p| p.doelen)
            .unwrap_or_default()
            .into_iter()
            .map(|d| Doel {
                resultaten: Vec::new(),
                ..d
            })
            .collect();
        let hoofdaannemer = (tx.aanbieders().await?)
            .into_iter()
            .find(|a| a.agb == hoofd)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown hoofdaannemer")))?;
        tx.commit().await?;
        Ok(OnderaannemerCasus {
            casus_id: id,
            gemeente: casus.gemeente,
            first_names: jeugdige.first_names,
            surname: jeugdige.surname,
            birth_date: jeugdige.birth_date,
            hoofdaannemer,
            toewijzingen,
            doelen,
        })
    }
}
