//! The provider's side: a jeugdhulpaanbieder sees the cases allocated to its AGB
//! code and, of each, only what it needs to start the help — who the youth is,
//! which gemeente allocated which product for which period, the JW301, and the
//! results of the family's plan its behandelplan serves. The analysis behind
//! the plan and the decision letter stay with the gemeente.
//! As everywhere, every look is audit-logged in the transaction that reads, and a
//! case not allocated to the provider is answered as not found.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    Aanbieder, AgbCode, Berichttermijn, Catalogue, Evaluatie, Fase, Gemeentecode, GemetenWachttijd,
    Intensiteit, MAX_WACHTTIJD_WEKEN, Openstaand, PlanResultaat, Productcode, RedenWijziging,
    Termijnstand, Toewijzingsstand, Wachttijdmelding, amsterdam_today,
};
use jeugdroute_store::{
    Behandeling, Casus, GarantieRegel, Garantiezaak, NewAuditRecord, OnderaannemerRegel,
    Onderaanneming, StoreError, Toewijzing, ToewijzingLine, Tx, Verzoek, Voortgang,
};

use crate::access::{Actor, UseCase, allowed, provides};
use crate::casus::record;
use crate::wijziging::verwijderd;
use crate::{App, AppError, FieldError, Termijn, gids};

/// One allocation with what its code stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToegewezenHulp {
    pub toewijzing: Toewijzing,
    /// The arrangement's name, when the code is in the catalogue's matrix.
    pub arrangement: Option<String>,
    pub intensiteit: Option<Intensiteit>,
}

impl ToegewezenHulp {
    fn of(catalogue: &Catalogue, toewijzing: Toewijzing) -> ToegewezenHulp {
        let meaning = catalogue.meaning(&toewijzing.productcode);
        ToegewezenHulp {
            arrangement: meaning.map(|(a, _)| a.name.clone()),
            intensiteit: meaning.map(|(_, i)| i),
            toewijzing,
        }
    }
}

/// A case as the provider it was allocated to sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToegewezenCasus {
    pub casus_id: i64,
    pub jeugdige_id: i64,
    /// The gemeente that allocated and pays.
    pub gemeente: Gemeentecode,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
    /// The allocations to this provider, oldest first.
    pub hulp: Vec<ToegewezenHulp>,
    /// Whether a JW301 was sent to this provider.
    pub jw301: bool,
    /// The results of the family's perspectiefplan, which the provider's
    /// behandelplan serves (not the analysis behind them).
    pub resultaten: Vec<PlanResultaat>,
    /// What the provider recorded of its own part: answer, intake, plan.
    pub behandeling: Option<Behandeling>,
    /// Where the case is on its route, and since when.
    pub fase: Fase,
    pub fase_sinds: Option<DateTime<Utc>>,
    /// How the help goes, by the provider and the local team, newest first.
    pub voortgang: Vec<Voortgang>,
    /// The evaluation that closed the help, which the provider took part in.
    pub evaluatie: Option<Evaluatie>,
    /// The case came back to the provider under the warranty of earlier help.
    pub garantie: Option<Garantiezaak>,
    /// The onderaannemers it called in, per allocation.
    pub onderaannemers: Vec<Onderaanneming>,
    /// The providers it may call in: contracted by the region today for the
    /// arrangement code of one of its allocations here.
    pub kandidaten: Vec<Aanbieder>,
}

/// A provider's worklist: its allocations, its warranty cases and the
/// allocations it helps with as onderaannemer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Werklijst {
    pub toewijzingen: Vec<Werkregel>,
    pub garanties: Vec<GarantieRegel>,
    pub onderaanneming: Vec<OnderaannemerRegel>,
    /// Its requests (JW315, JW317) still waiting for the gemeente's answer,
    /// the nearest deadline first.
    pub verzoeken: Vec<OpenVerzoek>,
}

/// A provider's request the gemeente has yet to answer, and by when it must.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenVerzoek {
    pub verzoek: Verzoek,
    pub termijn: Termijn,
}

impl OpenVerzoek {
    fn of(verzoek: Verzoek, today: NaiveDate) -> OpenVerzoek {
        // The stored deadline is the one that runs: five working days, or
        // eight weeks once the gemeente answered "in onderzoek".
        let soort = if verzoek.state == "in_onderzoek" {
            Berichttermijn::AntwoordNaOnderzoek
        } else {
            Berichttermijn::Antwoord
        };
        let termijn = Termijn {
            soort,
            uiterlijk: verzoek.deadline,
            stand: Termijnstand::op(verzoek.deadline, today, None),
        };
        OpenVerzoek { verzoek, termijn }
    }
}

/// An allocation on the provider's worklist, with what the provider owes on
/// it today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Werkregel {
    pub line: ToewijzingLine,
    pub termijnen: Vec<Openstaand>,
}

impl Werkregel {
    fn of(line: ToewijzingLine, today: NaiveDate) -> Werkregel {
        let t = &line.toewijzing;
        let stand = Toewijzingsstand {
            ontvangen: amsterdam_today(t.created_at),
            ingangsdatum: t.start_date,
            einddatum: t.end_date,
            gereageerd: line.gereageerd,
            gestart: line.gestart,
            gestopt: line.gestopt,
        };
        Werkregel {
            termijnen: stand.openstaand(today),
            line,
        }
    }
}

/// A provider's waiting time as it sees it: what it reported, and what was
/// measured per arrangement code (codes without a start, or an intake, lately
/// are left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EigenWachttijd {
    pub melding: Wachttijdmelding,
    /// From toewijzing to start.
    pub gemeten: Vec<(Productcode, GemetenWachttijd)>,
    /// From match to intake.
    pub gemeten_intake: Vec<(Productcode, GemetenWachttijd)>,
}

/// The waiting time measured over `wachten` per code, by code.
fn per_code(
    wachten: &[gids::Gewacht],
    today: NaiveDate,
) -> Result<Vec<(Productcode, GemetenWachttijd)>, AppError> {
    let mut gemeten = gids::gemeten_per(wachten, |w| &w.code, today)
        .into_iter()
        .map(|(code, g)| {
            Ok((
                Productcode::parse(code).map_err(|e| AppError::Internal(e.into()))?,
                g,
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    gemeten.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    Ok(gemeten)
}

/// A provider's report of its waiting time, as a form or JSON gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WachttijdInvoer {
    /// The wait it expects for a new client, in weeks; none for no estimate.
    pub wachttijd_weken: Option<i64>,
    /// Whether it takes no new clients for now.
    pub opnamestop: bool,
}

/// A case the actor's provider may work on, in the transaction that checked it.
pub(crate) struct EigenCasus {
    pub tx: Tx,
    pub casus: Casus,
    /// The provider it is allocated to: the actor's own.
    pub aanbieder: AgbCode,
    /// Its allocations to that provider, not removed as sent by mistake (none
    /// for a case sent back under the warranty).
    pub toewijzingen: Vec<Toewijzing>,
}

/// What [`App::jw301_inzage`] allows: whose JW301s, to which receiver only (a
/// provider), and on whose behalf (NEN 7513) they are read.
pub(crate) struct Jw301Inzage {
    pub jeugdige_id: i64,
    pub ontvanger: Option<AgbCode>,
    pub namens: Option<String>,
}

impl App {
    /// The provider's worklist: every allocation to its AGB code, newest first,
    /// the cases sent back to it under the warranty, and the allocations it
    /// helps with as onderaannemer. The list is
    /// audit-logged as one record naming every youth on it.
    pub async fn toewijzingen(&self, actor: &Actor) -> Result<Werklijst, AppError> {
        let event = "toewijzingen.bekijken";
        self.require(actor, UseCase::Toewijzingen, event).await?;
        // Deny by default: a provider account without its AGB code sees nothing,
        // and the refusal is logged like any other.
        let Some(agb) = actor.user.aanbieder.as_ref() else {
            return Err(self.refuse(actor, event).await);
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let removed = RedenWijziging::Verwijderd.code();
        let lines = tx.toewijzingen_aan(agb, removed, 200).await?;
        let garantie = tx.garantiezaken_van(agb.as_str(), 200).await?;
        let onder = tx.als_onderaannemer(agb.as_str(), 200).await?;
        let verzoeken = tx.open_verzoeken_van(agb.as_str(), 200).await?;
        // The youth of a request about a case the region knows (a change,
        // JW317) is on the list too; a new youth's request names no case yet.
        let mut gevraagd = Vec::new();
        for casus_id in verzoeken.iter().filter_map(|v| v.casus_id) {
            gevraagd.push((casus_id, tx.casus(casus_id).await?.jeugdige_id));
        }
        // One record names every youth on the list; a list of one case names
        // that case too.
        let jeugdigen: Vec<i64> = (lines.iter().map(|l| l.jeugdige_id))
            .chain(garantie.iter().map(|g| g.jeugdige_id))
            .chain(onder.iter().map(|o| o.jeugdige_id))
            .chain(gevraagd.iter().map(|(_, j)| *j))
            .collect();
        let mut casussen: Vec<i64> = (lines.iter().map(|l| l.toewijzing.casus_id))
            .chain(garantie.iter().map(|g| g.zaak.casus_id))
            .chain(onder.iter().map(|o| o.onderaanneming.casus_id))
            .chain(gevraagd.iter().map(|(c, _)| *c))
            .collect();
        casussen.sort_unstable();
        casussen.dedup();
        let one = match (casussen.as_slice(), jeugdigen.first()) {
            ([casus], Some(jeugdige)) => (Some(*jeugdige), Some(*casus)),
            _ => (None, None),
        };
        tx.append_audit(&NewAuditRecord {
            jeugdige_id: one.0,
            casus_id: one.1,
            jeugdigen: &jeugdigen,
            ..record(actor, event, "zorgverlening", "gelukt", now)
        })
        .await?;
        tx.commit().await?;
        let today = amsterdam_today(now);
        Ok(Werklijst {
            toewijzingen: (lines.into_iter())
                .map(|line| Werkregel::of(line, today))
                .collect(),
            garanties: garantie,
            onderaanneming: onder,
            verzoeken: (verzoeken.into_iter())
                .map(|v| OpenVerzoek::of(v, today))
                .collect(),
        })
    }

    /// One case as the provider sees it, when something of it was allocated to
    /// the actor's provider and not removed as sent by mistake, or it came back
    /// to the provider under the warranty; otherwise [`AppError::NotFound`],
    /// audit-logged.
    pub async fn toegewezen_casus(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<ToegewezenCasus, AppError> {
        let event = "toewijzing.bekijken";
        self.require(actor, UseCase::ToewijzingBekijken, event)
            .await?;
        let EigenCasus {
            mut tx,
            casus,
            aanbieder,
            toewijzingen: mine,
        } = self.eigen_casus(actor, id, event).await?;
        let jeugdige = tx.jeugdige(casus.jeugdige_id).await?;
        let resultaten = tx.plan(id).await?.map(|p| p.resultaten).unwrap_or_default();
        let behandeling = tx.behandelingen(id, Some(&aanbieder)).await?.pop();
        let voortgang = tx.voortgang(id).await?;
        let evaluatie = tx.evaluatie(id).await?;
        let fase_sinds = tx.steps(id).await?.last().map(|s| s.at);
        let garantie = (tx.garantie(id).await?).filter(|g| g.aanbieder_agb == aanbieder.as_str());
        // Its own onderaannemers only, not those of another provider's allocation.
        let onderaannemers: Vec<Onderaanneming> = (tx.onderaannemers(id, None).await?)
            .into_iter()
            .filter(|o| o.hoofdaannemer_agb == aanbieder.as_str())
            .collect();
        let today = amsterdam_today(self.now());
        let codes: Vec<&Productcode> = mine.iter().map(|t| &t.productcode).collect();
        let kandidaten = (tx.gecontracteerd_voor(&codes, today).await?)
            .into_iter()
            .filter(|a| a.agb != aanbieder)
            .collect();
        let jw301 = tx.case_messages(id).await?.iter().any(|m| {
            m.message.berichtsoort == "JW301"
                && mine
                    .iter()
                    .any(|t| t.aanbieder.as_str() == m.message.receiver)
        });
        tx.commit().await?;
        Ok(ToegewezenCasus {
            casus_id: id,
            jeugdige_id: casus.jeugdige_id,
            gemeente: casus.gemeente,
            first_names: jeugdige.first_names,
            surname: jeugdige.surname,
            birth_date: jeugdige.birth_date,
            hulp: mine
                .into_iter()
                .map(|t| ToegewezenHulp::of(self.catalogue(), t))
                .collect(),
            jw301,
            resultaten,
            behandeling,
            fase: casus.phase,
            fase_sinds,
            voortgang,
            evaluatie,
            garantie,
            onderaannemers,
            kandidaten,
        })
    }

    /// The case `id` with what of it is allocated to the actor's provider (not
    /// removed as sent by mistake), the look audit-logged under `event`. A case
    /// with none is not found: the refusal is committed and the youth's data is
    /// never read.
    pub(crate) async fn eigen_casus(
        &self,
        actor: &Actor,
        id: i64,
        event: &str,
    ) -> Result<EigenCasus, AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let casus = match tx.casus(id).await {
            Ok(casus) => casus,
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let mine: Vec<Toewijzing> = tx
            .toewijzingen(id)
            .await?
            .into_iter()
            .filter(|t| provides(&actor.user, &t.aanbieder) && !verwijderd(t))
            .collect();
        // A case sent back to the provider under the warranty is its case too.
        let garantie = match mine.first() {
            Some(t) => Some(t.aanbieder.clone()),
            None => (tx.garantie(id).await?)
                .and_then(|g| AgbCode::parse(&g.aanbieder_agb).ok())
                .filter(|agb| provides(&actor.user, agb)),
        };
        let outcome = if garantie.is_none() {
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
        let Some(aanbieder) = garantie else {
            tx.commit().await?;
            return Err(AppError::NotFound);
        };
        Ok(EigenCasus {
            tx,
            casus,
            aanbieder,
            toewijzingen: mine,
        })
    }

    /// Who may read a case's JW301s: the gemeente's workers every one, a provider
    /// only those sent to it. Answers the youth, the receiver to keep to, and on
    /// whose behalf the actor reads (the case's gemeente for a worker, the
    /// provider's AGB code for a provider).
    pub(crate) async fn jw301_inzage(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Jw301Inzage, AppError> {
        if allowed(actor.user.role, UseCase::ToewijzingBekijken) {
            let casus = self.toegewezen_casus(actor, id).await?;
            Ok(Jw301Inzage {
                jeugdige_id: casus.jeugdige_id,
                ontvanger: actor.user.aanbieder.clone(),
                namens: actor.user.aanbieder.as_ref().map(|a| a.as_str().to_owned()),
            })
        } else {
            let view = self.casus(actor, id).await?;
            Ok(Jw301Inzage {
                jeugdige_id: view.casus.jeugdige_id,
                ontvanger: None,
                namens: Some(view.casus.gemeente.as_str().to_owned()),
            })
        }
    }

    /// What the provider last reported of its waiting time, and its waiting
    /// time as measured per arrangement code.
    pub async fn eigen_wachttijd(&self, actor: &Actor) -> Result<EigenWachttijd, AppError> {
        let agb = self.melder(actor, "wachttijd.bekijken").await?;
        let today = amsterdam_today(self.now());
        let mut tx = self.store.begin().await?;
        // An account whose AGB code the region does not know reported nothing.
        let melding = match tx.wachttijdmelding(&agb).await {
            Err(StoreError::NotFound(_)) => Wachttijdmelding::default(),
            found => found?,
        };
        let wachten = gids::Wachten::lezen(&mut tx, None, Some(&agb), today).await?;
        tx.commit().await?;
        Ok(EigenWachttijd {
            melding,
            gemeten: per_code(&wachten.tot_start, today)?,
            gemeten_intake: per_code(&wachten.tot_intake, today)?,
        })
    }

    /// The provider reports the wait it expects for a new client (in weeks, or
    /// none) and whether it takes new clients at all (opnamestop). Shown beside
    /// the measured wait wherever a provider is chosen; the report is
    /// audit-logged.
    pub async fn wachttijd_melden(
        &self,
        actor: &Actor,
        invoer: &WachttijdInvoer,
    ) -> Result<Wachttijdmelding, AppError> {
        let event = "wachttijd.melden";
        let agb = self.melder(actor, event).await?;
        if invoer
            .wachttijd_weken
            .is_some_and(|w| !(0..=MAX_WACHTTIJD_WEKEN).contains(&w))
        {
            return Err(AppError::Fields(vec![FieldError {
                field: "wachttijd_weken",
                message: format!(
                    "Verwachte wachttijd: geef een aantal weken van 0 tot en met {MAX_WACHTTIJD_WEKEN}, of laat het leeg."
                ),
            }]));
        }
        let now = self.now();
        let melding = Wachttijdmelding {
            weken: invoer.wachttijd_weken,
            opnamestop: invoer.opnamestop,
            gemeld_op: Some(now),
        };
        let mut tx = self.store.begin().await?;
        match tx.set_wachttijd(&agb, &melding).await {
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound),
            done => done?,
        }
        tx.append_audit(&record(
            actor,
            event,
            "wachttijd en opnamestop melden",
            "gelukt",
            now,
        ))
        .await?;
        tx.commit().await?;
        Ok(melding)
    }

    /// The AGB code a provider reports for; any other user is refused (and
    /// the refusal logged).
    async fn melder(&self, actor: &Actor, event: &str) -> Result<AgbCode, AppError> {
        self.require(actor, UseCase::WachttijdMelden, event).await?;
        match actor.user.aanbieder.clone() {
            Some(agb) => Ok(agb),
            None => Err(self.refuse(actor, event).await),
        }
    }
}
