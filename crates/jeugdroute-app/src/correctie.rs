//! Correcting an earlier step of a case. Until the beschikking exists, any step
//! whose facts were recorded (vraagverheldering, gezinsanalyse, plan,
//! bemiddeling) can be corrected, with a reason; the step's form is checked as
//! when it was taken, the facts are replaced, and the correction is kept and
//! audit-logged in the same transaction. After the beschikking, changes go
//! through the toewijzing (wijziging.rs).

use jeugdroute_domain::{Dossier, Fase, Leefgebied};
use jeugdroute_store::Correctie;

use crate::access::UseCase;
use crate::casus::{Check, over_casus, record};
use crate::route::{Invoer, Stapfeit};
use crate::{Actor, App, AppError, FieldError, NieuweMelding};

/// The longest reason a correction may carry.
pub const MAX_REDEN: usize = crate::grenzen::REDEN.max;

/// Rule: a step's facts may be corrected before the beschikking (the case is
/// at most at match en intake) and only for a step already taken; the
/// melding's own data from the start.
pub fn corrigeerbaar(fase: Fase, stap: Fase) -> bool {
    let genomen = match stap {
        Fase::Melding => true,
        Fase::Vraagverheldering | Fase::Vraagduiding | Fase::Plan | Fase::Bemiddeling => {
            stap < fase
        }
        _ => false,
    };
    genomen && fase <= Fase::MatchEnIntake
}

impl App {
    /// Corrects step `stap` of a case with the form `invoer` (the step's fields
    /// and `reden`). Refused by field when the form is wrong, and as invalid
    /// when the step cannot be corrected any more.
    pub async fn corrigeren(
        &self,
        actor: &Actor,
        casus_id: i64,
        stap: Fase,
        invoer: &Invoer,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.require(actor, UseCase::StapZetten, "casus.corrigeren")
            .await?;
        let view = self.casus(actor, casus_id).await?;
        if !corrigeerbaar(view.casus.phase, stap) {
            return Err(AppError::Invalid(format!(
                "de stap {} kan nu niet meer worden gecorrigeerd: dat kan tot de beschikking; daarna via een wijziging van de toewijzing",
                stap.label()
            )));
        }
        let mut c = Check::default();
        let reden = c.text(invoer, &crate::grenzen::REDEN);
        let feit = Stapfeit::uit(self.catalogue(), stap, invoer);
        let mut fouten = match c.finish() {
            Ok(()) => Vec::new(),
            Err(AppError::Fields(f)) => f,
            Err(e) => return Err(e),
        };
        let feit = match feit {
            Ok(feit) => feit,
            Err(AppError::Fields(f)) => {
                fouten.extend(f);
                return Err(AppError::Fields(fouten));
            }
            Err(e) => return Err(e),
        };
        if !fouten.is_empty() {
            return Err(AppError::Fields(fouten));
        }
        // Rule: seed 003 — need A closes the case to free-access help; a case
        // that went on to a plan is closed, not corrected to A.
        if let Stapfeit::Gezinsanalyse(g) = &feit
            && !g.behoefte.needs_specialist_help()
        {
            return Err(AppError::Fields(vec![FieldError {
                field: "behoefte",
                message: "Met behoefte A gaat het gezin naar het lokale aanbod en sluit de casus. Sluit de casus af in plaats van de gezinsanalyse te corrigeren.".into(),
            }]));
        }
        let mut tx = self.store.begin().await?;
        feit.vastleggen(&mut tx, casus_id).await?;
        tx.insert_correctie(
            casus_id,
            &Correctie {
                stap,
                reden,
                username: actor.user.username.clone(),
                at: now,
            },
        )
        .await?;
        tx.append_audit(&over_casus(
            actor,
            &view.casus,
            record(actor, "casus.corrigeren", stap.key(), "gelukt", now),
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// Corrects the melding of a case — the family's question, where it came
    /// in, who refers, and the parents — with a reason, before the beschikking;
    /// kept and audit-logged with the change.
    pub async fn melding_corrigeren(
        &self,
        actor: &Actor,
        casus_id: i64,
        melding: &NieuweMelding,
        reden: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.require(actor, UseCase::StapZetten, "casus.corrigeren")
            .await?;
        let view = self.casus(actor, casus_id).await?;
        if !corrigeerbaar(view.casus.phase, Fase::Melding) {
            return Err(AppError::Invalid(
                "de melding kan na de beschikking niet meer worden gecorrigeerd".into(),
            ));
        }
        let (gecorrigeerd, ouders, reden) = melding.correctie(&view.casus.melding, reden)?;
        let mut tx = self.store.begin().await?;
        tx.update_melding(casus_id, &gecorrigeerd).await?;
        tx.replace_ouders(casus_id, &ouders).await?;
        tx.insert_correctie(
            casus_id,
            &Correctie {
                stap: Fase::Melding,
                reden,
                username: actor.user.username.clone(),
                at: now,
            },
        )
        .await?;
        tx.append_audit(&over_casus(
            actor,
            &view.casus,
            record(
                actor,
                "casus.corrigeren",
                Fase::Melding.key(),
                "gelukt",
                now,
            ),
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The recorded facts of every step as the fields of their forms, so a
/// correction form starts from what was recorded.
pub fn invoer_van(dossier: &Dossier) -> Invoer {
    let mut invoer = Invoer::new();
    let mut put = |k: &str, v: String| {
        invoer.insert(k.to_owned(), v);
    };
    if let Some(v) = &dossier.vraagverheldering {
        put("opvoedsituatie", v.opvoedsituatie.key().into());
        put("netwerk", v.netwerk.clone());
        put("vraag", v.vraag.clone());
        for l in Leefgebied::ALL
            .iter()
            .filter(|l| v.leefgebieden.contains(l))
        {
            put(&format!("leefgebied_{}", l.key()), "ja".into());
        }
    }
    if let Some(g) = &dossier.gezinsanalyse {
        put("behoefte", g.behoefte.key().into());
        put("vrij_toegankelijk", g.vrij_toegankelijk.clone());
    }
    if let Some(p) = &dossier.plan {
        put("regie", p.regie.key().into());
        if p.familiegroepsplan {
            put("familiegroepsplan", "ja".into());
        }
        for (i, r) in (1..).zip(&p.resultaten) {
            put(&format!("resultaat_{i}"), r.omschrijving.clone());
            put(
                &format!("resultaat_{i}_leefgebied"),
                r.leefgebied.key().into(),
            );
        }
    }
    if let Some(b) = &dossier.bemiddeling {
        put("arrangement", b.arrangement.to_string());
        put("intensiteit", b.intensiteit.key().into());
    }
    invoer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_taken_steps_before_the_beschikking_can_be_corrected() {
        assert!(corrigeerbaar(Fase::MatchEnIntake, Fase::Bemiddeling));
        assert!(corrigeerbaar(Fase::Plan, Fase::Vraagverheldering));
        assert!(
            !corrigeerbaar(Fase::Plan, Fase::Plan),
            "the current step is taken, not corrected"
        );
        assert!(
            !corrigeerbaar(Fase::Beschikking, Fase::Plan),
            "after the beschikking"
        );
        assert!(!corrigeerbaar(Fase::Afgesloten, Fase::Vraagduiding));
        assert!(
            corrigeerbaar(Fase::Melding, Fase::Melding),
            "the melding's own data"
        );
        assert!(corrigeerbaar(Fase::MatchEnIntake, Fase::Melding));
        assert!(!corrigeerbaar(Fase::Beschikking, Fase::Melding));
    }
}
