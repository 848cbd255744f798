//! Providers with their waiting times, in one place for whoever chooses: the
//! choice at match en intake (the providers contracted for the determined
//! code) and the directory (aanbiedergids) a worker searches by arrangement
//! code, name or place, and opnamestop. Each provider carries its waiting times
//! as measured from the region's own trail (match to intake and toewijzing to
//! start, per code, the last 90 days) beside what it reported itself.

use std::collections::HashMap;

use chrono::NaiveDate;
use jeugdroute_domain::{
    Aanbieder, AgbCode, Contract, GemetenWachttijd, Productcode, Wacht, WachttijdWarning,
    Wachttijdmelding, amsterdam_today,
};
use jeugdroute_store::Tx;

use crate::access::{Actor, UseCase};
use crate::{App, AppError, FieldError};

/// A provider that may deliver the chosen code, with its waiting times as
/// measured from the region's own trail (this code, the last 90 days), what it
/// reported itself (its expected wait, an opnamestop)
/// and, when it reports a wait longer than the intake deadline, the warning
/// shown before the worker chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AanbiederKeuze {
    pub aanbieder: Aanbieder,
    /// From toewijzing to start; none without a code: a wait is measured per
    /// arrangement code.
    pub gemeten: Option<GemetenWachttijd>,
    /// From match to intake, likewise.
    pub gemeten_intake: Option<GemetenWachttijd>,
    pub gemeld: Wachttijdmelding,
    pub waarschuwing: Option<WachttijdWarning>,
    /// How many cases came back to it under the warranty of its earlier help
    /// in the last twelve months: its recurrence.
    pub garantiezaken: i64,
}

impl AanbiederKeuze {
    /// Days the family may expect to wait: the measured median where there is
    /// one, else the reported weeks; none when neither is known.
    fn verwachte_dagen(&self) -> Option<i64> {
        self.gemeten
            .map(|g| g.mediaan_dagen)
            .or(self.gemeld.weken.map(|w| w.saturating_mul(7)))
    }
}

/// How many providers a page of the directory shows.
pub const GIDS_PAGINA: usize = 25;

/// The longest search text the directory takes, in characters.
pub const GIDS_ZOEK_MAX: usize = 100;

/// What a worker looks for in the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GidsZoek {
    /// Only providers contracted for this code today, with their measured wait.
    pub code: Option<Productcode>,
    /// Part of the name or place, any case.
    pub zoek: String,
    /// Leave out providers that take no new clients.
    pub zonder_opnamestop: bool,
    /// From 1.
    pub pagina: usize,
}

/// One provider in the directory, with the codes it is contracted for today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GidsRegel {
    pub keuze: AanbiederKeuze,
    pub codes: Vec<Productcode>,
}

/// A page of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gids {
    pub regels: Vec<GidsRegel>,
    /// How many providers match, over all pages.
    pub totaal: usize,
    pub pagina: usize,
}

impl Gids {
    /// The number of pages, at least one.
    pub fn paginas(&self) -> usize {
        self.totaal.div_ceil(GIDS_PAGINA).max(1)
    }
}

impl App {
    /// The directory: the providers the region contracted today, those taking
    /// new clients first, then (for a code) the shortest expected wait, else
    /// by name; a page of [`GIDS_PAGINA`].
    pub async fn aanbiedergids(&self, actor: &Actor, zoek: &GidsZoek) -> Result<Gids, AppError> {
        self.require(actor, UseCase::Aanbiedergids, "aanbiedergids.bekijken")
            .await?;
        if zoek.zoek.chars().count() > GIDS_ZOEK_MAX {
            return Err(AppError::Fields(vec![FieldError {
                field: "zoek",
                message: format!("Zoeken: hoogstens {GIDS_ZOEK_MAX} tekens."),
            }]));
        }
        let today = amsterdam_today(self.now());
        let mut tx = self.store.begin().await?;
        let contracts = tx.contracts_on(today).await?;
        let contracted: Vec<Contract> = contracts
            .iter()
            .filter(|c| zoek.code.as_ref().is_none_or(|code| c.productcode == *code))
            .cloned()
            .collect();
        let keuze = self
            .keuze_uit(&mut tx, zoek.code.as_ref(), &contracted, today)
            .await?;
        tx.commit().await?;
        let gezocht = zoek.zoek.trim().to_lowercase();
        let gevonden: Vec<AanbiederKeuze> = keuze
            .into_iter()
            .filter(|k| !(zoek.zonder_opnamestop && k.gemeld.opnamestop))
            .filter(|k| {
                k.aanbieder.name.to_lowercase().contains(&gezocht)
                    || k.aanbieder.city.to_lowercase().contains(&gezocht)
            })
            .collect();
        let pagina = zoek.pagina.max(1);
        let regels = gevonden
            .iter()
            .skip((pagina - 1).saturating_mul(GIDS_PAGINA))
            .take(GIDS_PAGINA)
            .map(|k| GidsRegel {
                codes: contracts
                    .iter()
                    .filter(|c| c.aanbieder == k.aanbieder.agb)
                    .map(|c| c.productcode.clone())
                    .collect(),
                keuze: k.clone(),
            })
            .collect();
        Ok(Gids {
            regels,
            totaal: gevonden.len(),
            pagina,
        })
    }

    /// The providers contracted today (the Dutch date) for `code`: those taking
    /// new clients first, then the shortest expected wait, then by name; each
    /// with its waiting time measured for `code` and as it reported it, and its
    /// warning when it reports a wait longer than the intake deadline.
    pub(crate) async fn keuze(
        &self,
        tx: &mut Tx,
        code: &Productcode,
    ) -> Result<Vec<AanbiederKeuze>, AppError> {
        let today = amsterdam_today(self.now());
        let contracted = tx.contracts_for(code, today).await?;
        self.keuze_uit(tx, Some(code), &contracted, today).await
    }

    /// As [`App::keuze`], of the providers of the `contracted` lines, for
    /// `code` or (without a code, so without a measured wait) by name.
    async fn keuze_uit(
        &self,
        tx: &mut Tx,
        code: Option<&Productcode>,
        contracted: &[Contract],
        today: NaiveDate,
    ) -> Result<Vec<AanbiederKeuze>, AppError> {
        let meldingen = tx.wachttijdmeldingen().await?;
        let wachten = match code {
            Some(code) => Wachten::lezen(tx, Some(code), None, today).await?,
            None => Wachten::default(),
        };
        let tot_start = gemeten_per(&wachten.tot_start, |w| &w.agb, today);
        let tot_intake = gemeten_per(&wachten.tot_intake, |w| &w.agb, today);
        let now = self.now();
        let jaar_terug = now
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(now);
        let terug: HashMap<String, i64> = (tx.garantiezaken_sinds(jaar_terug).await?)
            .into_iter()
            .collect();
        let mut keuze: Vec<AanbiederKeuze> = tx
            .aanbieders()
            .await?
            .into_iter()
            .filter(|a| contracted.iter().any(|c| c.aanbieder == a.agb))
            .map(|aanbieder| {
                let agb = aanbieder.agb.as_str();
                let gemeld = meldingen
                    .iter()
                    .find(|(a, _)| a == agb)
                    .map(|(_, m)| *m)
                    .unwrap_or_default();
                AanbiederKeuze {
                    gemeten: tot_start.get(agb).copied(),
                    gemeten_intake: tot_intake.get(agb).copied(),
                    waarschuwing: WachttijdWarning::for_wachttijd(gemeld.weken),
                    garantiezaken: terug.get(agb).copied().unwrap_or(0),
                    gemeld,
                    aanbieder,
                }
            })
            .collect();
        keuze.sort_by_key(|k| {
            (
                k.gemeld.opnamestop,
                code.and(k.verwachte_dagen()).unwrap_or(i64::MAX),
                k.aanbieder.name.clone(),
            )
        });
        Ok(keuze)
    }
}

/// One wait that ended, with the provider and the code it counts for.
#[derive(Debug, Clone)]
pub(crate) struct Gewacht {
    pub agb: String,
    pub code: String,
    pub wacht: Wacht,
}

/// The waits that ended in the window of a measured waiting time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wachten {
    /// From the toewijzing to the first day of care reported (JW305).
    pub tot_start: Vec<Gewacht>,
    /// From the match to the intake the provider registered.
    pub tot_intake: Vec<Gewacht>,
}

impl Wachten {
    /// The waits that ended in the window ending `today`, of `code` and of
    /// `aanbieder` (either left out: all).
    pub(crate) async fn lezen(
        tx: &mut Tx,
        code: Option<&Productcode>,
        aanbieder: Option<&AgbCode>,
        today: NaiveDate,
    ) -> Result<Wachten, AppError> {
        let vanaf = GemetenWachttijd::vanaf(today);
        let starts = tx.gemeten_wachten(code, aanbieder, vanaf, today).await?;
        let intakes = tx.gemeten_intakes(code, aanbieder, vanaf, today).await?;
        Ok(Wachten {
            tot_start: (starts.into_iter())
                .map(|w| Gewacht {
                    agb: w.aanbieder_agb,
                    code: w.productcode,
                    wacht: Wacht {
                        begin: amsterdam_today(w.toegewezen_op),
                        einde: w.gestart,
                    },
                })
                .collect(),
            tot_intake: (intakes.into_iter())
                .map(|w| Gewacht {
                    agb: w.aanbieder_agb,
                    code: w.productcode,
                    wacht: Wacht {
                        begin: w.gematcht,
                        einde: w.intake,
                    },
                })
                .collect(),
        })
    }
}

/// The waiting time measured over `wachten` on `today`, per provider or per
/// code (as `key` says), in one pass.
pub(crate) fn gemeten_per<'a>(
    wachten: &'a [Gewacht],
    key: impl Fn(&'a Gewacht) -> &'a str,
    today: NaiveDate,
) -> HashMap<&'a str, GemetenWachttijd> {
    let mut per: HashMap<&str, Vec<Wacht>> = HashMap::new();
    for w in wachten {
        per.entry(key(w)).or_default().push(w.wacht);
    }
    per.into_iter()
        .filter_map(|(k, waits)| GemetenWachttijd::meet(&waits, today).map(|g| (k, g)))
        .collect()
}
