//! Changing a toewijzing that was sent: intrekken, verwijderen or an
//! administratieve correctie (iJw 3.2 §3.2). The domain decides what the change
//! does; this use case checks the worker's form, moves the allocation to its next
//! version, sends a new JW301 with the same ToewijzingNummer, and keeps the
//! change with its toelichting and audit record — all in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{RedenWijziging, Toewijzingsperiode, Wijziging, Wijzigingsoort};
use jeugdroute_store::{Toewijzing, ToewijzingWijziging};

use crate::access::{Actor, UseCase};
use crate::casus::{Check, over_casus, record};
use crate::route::{decided, internal};
use crate::{App, AppError, CasusView, FieldError, Invoer};

const EVENT: &str = "toewijzing.wijzigen";

/// The highest version the BerichtIdentificatie (and the schema) can carry.
const MAX_VERSIE: i64 = 99;

/// The BerichtIdentificatie of a change: the ToewijzingNummer in nine digits (its
/// whole range) and the version, `000000012-02`. Twelve characters, the most the
/// XSD allows, and never like a first version's `JW301…`: unique per gemeente.
fn identificatie(nummer: i64, versie: i64) -> String {
    format!("{nummer:09}-{versie:02}")
}

/// The change the form asks for and the worker's toelichting, or every field
/// that is wrong.
pub(crate) fn gevraagd(invoer: &Invoer) -> Result<(Wijzigingsoort, Wijziging, String), AppError> {
    let mut c = Check::default();
    let soort: Option<Wijzigingsoort> = c.keyed(invoer, "soort");
    let toelichting = c.text(invoer, &crate::grenzen::TOELICHTING);
    let wijziging = match soort {
        Some(Wijzigingsoort::Intrekken) => {
            let einddatum = c.date(invoer, "einddatum");
            let code = invoer.get("reden").map_or("", |r| r.trim());
            let reden = c.parsed(
                "reden",
                RedenWijziging::INTREKKEN
                    .into_iter()
                    .find(|r| r.code() == code)
                    .ok_or("Kies een reden voor het intrekken."),
            );
            einddatum
                .zip(reden)
                .map(|(einddatum, reden)| Wijziging::Intrekken { einddatum, reden })
        }
        Some(Wijzigingsoort::Verwijderen) => Some(Wijziging::Verwijderen),
        Some(Wijzigingsoort::Correctie) => c
            .date(invoer, "einddatum")
            .map(|einddatum| Wijziging::Correctie { einddatum }),
        None => None,
    };
    c.finish()?;
    match (soort, wijziging) {
        (Some(soort), Some(wijziging)) => Ok((soort, wijziging, toelichting)),
        _ => Err(internal("a checked change without its kind")),
    }
}

fn stale() -> AppError {
    AppError::Invalid(
        "deze toewijzing is intussen gewijzigd; laad de pagina opnieuw en kijk of uw wijziging nog nodig is"
            .into(),
    )
}

/// The version a change of `toewijzing` makes, when the form was made for the
/// version it has now (a form without `versie` is taken as made for it).
fn next_version(toewijzing: &Toewijzing, invoer: &Invoer) -> Result<i64, AppError> {
    let versie = invoer.get("versie").map_or("", |v| v.trim());
    if !versie.is_empty() && versie != toewijzing.versie.to_string() {
        return Err(stale());
    }
    if toewijzing.versie >= MAX_VERSIE {
        return Err(AppError::Invalid(format!(
            "deze toewijzing heeft al {MAX_VERSIE} versies; meer kan een bericht niet dragen"
        )));
    }
    Ok(toewijzing.versie + 1)
}

/// Whether the allocation was removed as sent by mistake (RedenWijziging 13): it
/// counts as never sent, so it cannot change again and gives its provider no access.
pub(crate) fn verwijderd(toewijzing: &Toewijzing) -> bool {
    toewijzing.reden_wijziging.as_deref() == Some(RedenWijziging::Verwijderd.code())
}

/// An allocation's period as the domain judges a change of it.
fn periode(toewijzing: &Toewijzing, beschikking_tot: NaiveDate) -> Toewijzingsperiode {
    Toewijzingsperiode {
        ingangsdatum: toewijzing.start_date,
        einddatum: toewijzing.end_date,
        verwijderd: verwijderd(toewijzing),
        beschikking_tot,
    }
}

/// The next version of a sent allocation: its new Einddatum, why, and who.
pub(crate) struct NieuweVersie<'a> {
    pub versie: i64,
    /// The JZ002 RedenWijziging.
    pub reden: &'a str,
    pub einddatum: NaiveDate,
    /// Kept with the change, never sent nor logged.
    pub toelichting: String,
    pub username: &'a str,
    /// The provider's request the change honours, if any.
    pub referentie_aanbieder: Option<&'a str>,
}

impl App {
    /// Moves `toewijzing` to its next version, sends that version's JW301 (the
    /// same ToewijzingNummer) and keeps the change; refused as stale when the
    /// allocation changed meanwhile.
    pub(crate) async fn nieuwe_versie(
        &self,
        tx: &mut jeugdroute_store::Tx,
        view: &CasusView,
        mut toewijzing: Toewijzing,
        nieuw: NieuweVersie<'_>,
        now: DateTime<Utc>,
    ) -> Result<ToewijzingWijziging, AppError> {
        let nummer = toewijzing.nummer;
        // When the version being changed was sent: the first, or its latest change.
        let previous = tx
            .toewijzing_wijzigingen(view.casus.id)
            .await?
            .iter()
            .filter(|w| w.nummer == nummer)
            .map(|w| w.created_at)
            .fold(toewijzing.created_at, DateTime::max);
        let mut change = ToewijzingWijziging {
            gemeente: toewijzing.gemeente.clone(),
            nummer,
            versie: nieuw.versie,
            reden_wijziging: nieuw.reden.into(),
            einddatum_was: toewijzing.end_date,
            einddatum: nieuw.einddatum,
            toelichting: nieuw.toelichting,
            username: nieuw.username.to_owned(),
            bericht_identificatie: identificatie(nummer, nieuw.versie),
            outbox_id: 0,
            created_at: now,
        };
        if !tx.advance_toewijzing(&change).await? {
            return Err(stale());
        }
        toewijzing.versie = change.versie;
        toewijzing.end_date = change.einddatum;
        toewijzing.reden_wijziging = Some(change.reden_wijziging.clone());
        change.outbox_id = self
            .send_jw301(
                tx,
                view,
                &toewijzing,
                &change.bericht_identificatie,
                now,
                Some(previous),
                nieuw.referentie_aanbieder,
            )
            .await?;
        tx.insert_toewijzing_wijziging(&change).await?;
        Ok(change)
    }

    /// Changes allocation `nummer` of a case as the worker's form asks (`soort`:
    /// intrekken, verwijderen or correctie; `einddatum`, `reden` for intrekken,
    /// `toelichting`; optionally `versie`, the version the form was made for). A
    /// refused change is audit-logged in a transaction of its own.
    pub async fn toewijzing_wijzigen(
        &self,
        actor: &Actor,
        casus_id: i64,
        nummer: i64,
        invoer: &Invoer,
    ) -> Result<ToewijzingWijziging, AppError> {
        let now = self.now();
        self.require(actor, UseCase::ToewijzingWijzigen, EVENT)
            .await?;
        let view = self.casus(actor, casus_id).await?;
        let result = self.wijzig(actor, &view, nummer, invoer, now).await;
        if let Err(AppError::Fields(_) | AppError::Invalid(_) | AppError::NotFound) = &result {
            let mut tx = self.store.begin().await?;
            let purpose = format!("toewijzing {nummer}: wijziging afgewezen");
            tx.append_audit(&over_casus(
                actor,
                &view.casus,
                record(actor, EVENT, &purpose, "afgewezen", now),
            ))
            .await?;
            tx.commit().await?;
        }
        result
    }

    /// The change itself: allocation row, history, JW301 and audit record in one
    /// transaction, or nothing.
    async fn wijzig(
        &self,
        actor: &Actor,
        view: &CasusView,
        nummer: i64,
        invoer: &Invoer,
        now: DateTime<Utc>,
    ) -> Result<ToewijzingWijziging, AppError> {
        let mut tx = self.store.begin().await?;
        let toewijzing = tx
            .toewijzingen(view.casus.id)
            .await?
            .into_iter()
            .find(|t| t.nummer == nummer)
            .ok_or(AppError::NotFound)?;
        let (soort, wijziging, toelichting) = gevraagd(invoer)?;
        let versie = next_version(&toewijzing, invoer)?;
        let dossier = tx.dossier(view.casus.id).await?;
        let besloten = decided(self, &dossier)?;
        let (einddatum, reden) = periode(&toewijzing, besloten.match_en_intake.end_date)
            .wijzig(wijziging)
            .map_err(|e| {
                AppError::Fields(vec![FieldError {
                    field: e.field,
                    message: e.message,
                }])
            })?;
        let change = self
            .nieuwe_versie(
                &mut tx,
                view,
                toewijzing,
                NieuweVersie {
                    versie,
                    reden: reden.code(),
                    einddatum,
                    toelichting,
                    username: &actor.user.username,
                    referentie_aanbieder: None,
                },
                now,
            )
            .await?;
        // A fixed phrase: the worker's toelichting is kept with the change
        // (`toewijzing_wijziging`), never in the audit log.
        let purpose = format!("toewijzing {nummer} {}", soort.key());
        tx.append_audit(&over_casus(
            actor,
            &view.casus,
            record(actor, EVENT, &purpose, "gelukt", now),
        ))
        .await?;
        tx.commit().await?;
        Ok(change)
    }
}
