//! The access worker's cases: registering a melding, the worklist, and one case.
//! Each use case checks access first, then reads or writes the client's data and
//! its audit record in one transaction — a refusal is audit-logged as well.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    AgbCode, Bsn, DeadlineStatus, Fase, Gemeentecode, Gezin, IntakeDeadline, Jeugdige, Melding,
    Urgentie, Verwijzer,
};
use jeugdroute_store::{Casus, CasusFilter, CasusLine, NewAuditRecord};

use crate::access::{Actor, UseCase, allowed, covers};
use crate::{App, AppError, FieldError};

/// A melding as a form or the JSON API hands it in: text, checked here.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NieuweMelding {
    pub bsn: String,
    pub voornamen: String,
    pub achternaam: String,
    /// `JJJJ-MM-DD`.
    pub geboortedatum: String,
    /// CBS code of the gemeente that decides (woonplaatsbeginsel).
    pub gemeente: String,
    pub straat: String,
    pub huisnummer: String,
    pub postcode: String,
    pub woonplaats: String,
    pub vindplaats: String,
    /// COD327 code, e.g. `02` for the huisarts.
    pub verwijzer: String,
    pub verwijzer_naam: String,
    /// `regulier`, `urgent` or `crisis`.
    pub urgentie: String,
}

/// One case with its youth, as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasusView {
    pub casus: Casus,
    pub jeugdige: Jeugdige,
}

/// What the worklist is narrowed to. None of it is personal data, so it may
/// travel in a URL; a search by name or BSN never does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WerkvoorraadFilter {
    pub fase: Option<Fase>,
    /// One of the user's gemeenten; another gives an empty list.
    pub gemeente: Option<Gemeentecode>,
    pub urgentie: Option<Urgentie>,
    /// Only cases whose intake deadline is near or past.
    pub alleen_signaal: bool,
}

impl WerkvoorraadFilter {
    /// The phases the store narrows to (`None`: every phase): the chosen one,
    /// and for "only with a signal" the phases in which a case can wait for its
    /// intake.
    fn phases(&self) -> Option<Vec<Fase>> {
        (self.fase.is_some() || self.alleen_signaal).then(|| {
            Fase::ALL
                .into_iter()
                .filter(|f| self.fase.is_none_or(|chosen| chosen == *f))
                .filter(|f| !self.alleen_signaal || IntakeDeadline::can_be_awaited(*f))
                .collect()
        })
    }
}

/// Where a case's intake deadline stands on the day the worklist is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signaal {
    pub deadline: IntakeDeadline,
    pub status: DeadlineStatus,
}

impl Signaal {
    /// Whether the worklist should draw attention to it.
    pub fn flagged(&self) -> bool {
        self.status != DeadlineStatus::OnTime
    }
}

/// A line of the worklist: the case, its youth's name and its signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WerkvoorraadRegel {
    pub casus: Casus,
    pub first_names: String,
    pub surname: String,
    pub signaal: Option<Signaal>,
}

impl WerkvoorraadRegel {
    fn of(line: CasusLine, today: NaiveDate) -> Result<WerkvoorraadRegel, AppError> {
        let dossier = crate::route::read_dossier(&line.dossier, line.casus.id)?;
        let match_date = dossier.match_en_intake.map(|m| m.match_date);
        let signaal =
            IntakeDeadline::awaited(line.casus.phase, match_date).map(|deadline| Signaal {
                deadline,
                status: deadline.status(today),
            });
        Ok(WerkvoorraadRegel {
            casus: line.casus,
            first_names: line.first_names,
            surname: line.surname,
            signaal,
        })
    }
}

/// Collects every field error, so the form can show them all at once.
#[derive(Default)]
pub(crate) struct Check(Vec<FieldError>);

impl Check {
    pub(crate) fn required(&mut self, field: &'static str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, "Vul dit veld in.");
        } else if value.chars().count() > max {
            self.fail(field, format!("Gebruik hoogstens {max} tekens."));
        }
        value.to_owned()
    }

    pub(crate) fn parsed<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.fail(field, e.to_string())).ok()
    }

    pub(crate) fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Every failure so far, as one error; none is `Ok`.
    pub(crate) fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Fields(self.0))
        }
    }
}

/// A Dutch postcode: four digits (the first not 0), an optional space, two capitals.
fn postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_uppercase();
    let (digits, letters) = compact.split_at_checked(4)?;
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
        && letters.len() == 2
        && letters.chars().all(|c| c.is_ascii_uppercase());
    ok.then(|| format!("{digits} {letters}"))
}

impl NieuweMelding {
    /// The household, the youth and the melding, or every field that is wrong.
    fn check(&self, today: NaiveDate) -> Result<(Gezin, Jeugdige, Melding), AppError> {
        let mut c = Check::default();
        let bsn = c.parsed("bsn", Bsn::parse(self.bsn.trim()).map_err(|e| e.message));
        let first_names = c.required("voornamen", &self.voornamen, 200);
        let surname = c.required("achternaam", &self.achternaam, 200);
        let birth_date = c.parsed(
            "geboortedatum",
            NaiveDate::parse_from_str(self.geboortedatum.trim(), "%Y-%m-%d")
                .map_err(|_| "Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2014-05-21.")
                .and_then(|d| {
                    if d > today {
                        Err("De geboortedatum ligt in de toekomst.")
                    } else {
                        Ok(d)
                    }
                }),
        );
        let gemeente = c.parsed(
            "gemeente",
            Gemeentecode::parse(self.gemeente.trim()).map_err(|e| e.message),
        );
        let street = c.required("straat", &self.straat, 24);
        let house_number = c.required("huisnummer", &self.huisnummer, 10);
        let number: String = house_number
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !house_number.is_empty()
            && (number.is_empty() || number.starts_with('0') || number.len() > 5)
        {
            c.fail(
                "huisnummer",
                "Een huisnummer begint met een getal van 1 tot 99999, zoals 12 of 12a.",
            );
        }
        let postcode = c.parsed(
            "postcode",
            postcode(&self.postcode).ok_or("Geef een Nederlandse postcode, zoals 3811 AB."),
        );
        let city = c.required("woonplaats", &self.woonplaats, 80);
        let vindplaats = c.required("vindplaats", &self.vindplaats, 200);
        let verwijzer = c.parsed(
            "verwijzer",
            self.verwijzer
                .trim()
                .parse::<Verwijzer>()
                .map_err(|e| e.message),
        );
        let urgentie = c.parsed(
            "urgentie",
            self.urgentie
                .trim()
                .parse::<Urgentie>()
                .map_err(|e| e.message),
        );
        let verwijzer_naam = Some(self.verwijzer_naam.trim().to_owned()).filter(|n| !n.is_empty());
        if verwijzer.is_some_and(Verwijzer::needs_name) && verwijzer_naam.is_none() {
            c.fail("verwijzer_naam", "Noem de verwijzer bij naam of AGB-code.");
        }
        match (
            bsn,
            birth_date,
            gemeente,
            postcode,
            verwijzer,
            urgentie,
            c.0.is_empty(),
        ) {
            (
                Some(bsn),
                Some(birth_date),
                Some(gemeente),
                Some(postcode),
                Some(verwijzer),
                Some(urgentie),
                true,
            ) => Ok((
                Gezin {
                    surname: surname.clone(),
                    street,
                    house_number,
                    postcode,
                    city,
                    gemeente: gemeente.clone(),
                },
                Jeugdige {
                    bsn,
                    first_names,
                    surname,
                    birth_date,
                    gemeente,
                },
                Melding {
                    vindplaats,
                    verwijzer,
                    verwijzer_naam,
                    urgentie,
                },
            )),
            _ => Err(AppError::Fields(c.0)),
        }
    }
}

/// The audit record of one use case on one client.
pub(crate) fn record<'a>(
    actor: &'a Actor,
    event: &'a str,
    purpose: &'a str,
    outcome: &'a str,
    now: DateTime<Utc>,
) -> NewAuditRecord<'a> {
    NewAuditRecord {
        occurred_at: now,
        actor: &actor.user.username,
        role: Some(actor.user.role.as_str()),
        // A provider acts for its organisation; a worker for the gemeente of the
        // case (see `over_casus`).
        on_behalf_of: actor.user.aanbieder.as_ref().map(AgbCode::as_str),
        event,
        jeugdige_id: None,
        casus_id: None,
        purpose,
        outcome,
        source: actor.source.as_deref(),
    }
}

/// The audit record of a use case on one case: its youth, the case, and — when
/// the worker acts for the case's gemeente — that gemeente, on whose behalf the
/// client's data is processed (NEN 7513: "namens wie").
pub(crate) fn over_casus<'a>(
    actor: &Actor,
    casus: &'a Casus,
    record: NewAuditRecord<'a>,
) -> NewAuditRecord<'a> {
    NewAuditRecord {
        jeugdige_id: Some(casus.jeugdige_id),
        casus_id: Some(casus.id),
        on_behalf_of: covers(&actor.user, &casus.gemeente)
            .then(|| casus.gemeente.as_str())
            .or(record.on_behalf_of),
        ..record
    }
}

impl App {
    /// Refuses a use case the actor's role may not run. The refusal is logged in a
    /// transaction of its own, so it stays when the use case's work is dropped.
    pub async fn require(
        &self,
        actor: &Actor,
        use_case: UseCase,
        event: &str,
    ) -> Result<(), AppError> {
        if allowed(actor.user.role, use_case) {
            return Ok(());
        }
        Err(self.refuse(actor, event).await)
    }

    /// Logs a refused use case in a transaction of its own and answers
    /// [`AppError::Forbidden`] (or the error that kept it from being logged).
    pub(crate) async fn refuse(&self, actor: &Actor, event: &str) -> AppError {
        let logged = async {
            let mut tx = self.store.begin().await?;
            tx.append_audit(&record(
                actor,
                event,
                "toegang geweigerd",
                "geweigerd",
                Utc::now(),
            ))
            .await?;
            tx.commit().await
        };
        match logged.await {
            Ok(()) => AppError::Forbidden,
            Err(e) => e.into(),
        }
    }

    /// Registers a melding: the youth (found by BSN, or added with the household)
    /// and a new case in the melding phase, for a gemeente the worker works for.
    pub async fn nieuwe_melding(
        &self,
        actor: &Actor,
        melding: &NieuweMelding,
    ) -> Result<i64, AppError> {
        let now = Utc::now();
        self.require(actor, UseCase::NieuweMelding, "casus.aanmaken")
            .await?;
        let mut tx = self.store.begin().await?;
        let (gezin, jeugdige, melding) = melding.check(jeugdroute_domain::amsterdam_today(now))?;
        if !covers(&actor.user, &gezin.gemeente) {
            return Err(AppError::Fields(vec![FieldError {
                field: "gemeente",
                message: "U werkt niet voor deze gemeente.".into(),
            }]));
        }
        let jeugdige_id = match tx.jeugdige_id_by_bsn(&jeugdige.bsn).await? {
            Some(id) => id,
            None => {
                let gezin_id = tx.ensure_gezin(&gezin).await?;
                tx.insert_jeugdige(gezin_id, &jeugdige)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("youth appeared during the melding"))?
            }
        };
        let casus_id = tx
            .insert_casus(jeugdige_id, &gezin.gemeente, Fase::Melding, &melding, now)
            .await?;
        tx.append_audit(&NewAuditRecord {
            jeugdige_id: Some(jeugdige_id),
            casus_id: Some(casus_id),
            on_behalf_of: Some(gezin.gemeente.as_str()),
            ..record(actor, "casus.aanmaken", "melding vastleggen", "gelukt", now)
        })
        .await?;
        tx.commit().await?;
        Ok(casus_id)
    }

    /// One case, when the actor may see it; otherwise [`AppError::NotFound`], the
    /// same answer as for a case that does not exist.
    pub async fn casus(&self, actor: &Actor, id: i64) -> Result<CasusView, AppError> {
        let now = Utc::now();
        self.require(actor, UseCase::CasusBekijken, "casus.bekijken")
            .await?;
        let mut tx = self.store.begin().await?;
        let casus = match tx.casus(id).await {
            Ok(casus) => casus,
            Err(jeugdroute_store::StoreError::NotFound(_)) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let seen = covers(&actor.user, &casus.gemeente);
        let outcome = if seen { "gelukt" } else { "geweigerd" };
        tx.append_audit(&over_casus(
            actor,
            &casus,
            record(actor, "casus.bekijken", "zorgtoewijzing", outcome, now),
        ))
        .await?;
        if !seen {
            // The refusal is committed; the youth's data is never read.
            tx.commit().await?;
            return Err(AppError::NotFound);
        }
        let jeugdige = tx.jeugdige(casus.jeugdige_id).await?;
        tx.commit().await?;
        Ok(CasusView { casus, jeugdige })
    }

    /// The actor's worklist: the cases of their gemeenten, newest first, narrowed
    /// by `filter`, each with its intake signal on `today`. `zoek` is a BSN (nine
    /// digits) or part of a name. Every case shown is audit-logged.
    pub async fn werkvoorraad(
        &self,
        actor: &Actor,
        zoek: Option<&str>,
        filter: &WerkvoorraadFilter,
        today: NaiveDate,
    ) -> Result<Vec<WerkvoorraadRegel>, AppError> {
        let now = Utc::now();
        self.require(actor, UseCase::Werkvoorraad, "werkvoorraad.bekijken")
            .await?;
        let mut tx = self.store.begin().await?;
        let zoek = zoek.map(str::trim).filter(|z| !z.is_empty());
        let bsn = zoek.and_then(|z| Bsn::parse(z).ok());
        let gemeenten: Vec<Gemeentecode> = actor
            .user
            .gemeenten
            .iter()
            .filter(|g| filter.gemeente.as_ref().is_none_or(|f| f == *g))
            .cloned()
            .collect();
        let phases = filter.phases();
        let lines = tx
            .casussen(&CasusFilter {
                gemeenten: &gemeenten,
                bsn: bsn.as_ref(),
                name: zoek.filter(|_| bsn.is_none()),
                phases: phases.as_deref(),
                urgentie: filter.urgentie,
                limit: 200,
            })
            .await?;
        let mut regels = Vec::with_capacity(lines.len());
        for line in lines {
            let regel = WerkvoorraadRegel::of(line, today)?;
            if !filter.alleen_signaal || regel.signaal.is_some_and(|s| s.flagged()) {
                regels.push(regel);
            }
        }
        let event = if zoek.is_some() {
            "casus.zoeken"
        } else {
            "werkvoorraad.bekijken"
        };
        for regel in &regels {
            tx.append_audit(&over_casus(
                actor,
                &regel.casus,
                record(actor, event, "werkvoorraad", "gelukt", now),
            ))
            .await?;
        }
        tx.commit().await?;
        Ok(regels)
    }
}
