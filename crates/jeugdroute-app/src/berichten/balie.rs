//! The message desk ("Berichten") and a provider's own system.
//!
//! The desk shows a berichtenbeheerder the iJw messages in and out of the
//! gemeenten it works for (the beheerder sees all): where each stands, why one
//! was refused or could not be read, every retour code in plain Dutch, and the
//! deadlines of iJw §3.7 with a signal before they pass. Every list shown and
//! every message opened is audit-logged, naming the clients where known.
//!
//! A provider's own system (ECD) posts its messages and is answered at once with
//! the retour, or with the findings of a message that cannot be read; it fetches
//! the messages addressed to its AGB code after a cursor and acknowledges each.
//! Only messages sent in its own AGB code's name are taken.

use chrono::{DateTime, NaiveDate, Utc};
use ijw::types::codes::{RetourCode, VerzoekAntwoord};
use jeugdroute_domain::{
    Berichttermijn, Termijnstand, amsterdam_day_start, amsterdam_today, working_days_after,
};
use jeugdroute_store::{
    BerichtFilter, Grenzen, InboxRegel, NewAuditRecord, OutboxRegel, Tx, Uitgaand,
};

use super::{Bevinding, Kanaal, receive, retourcodes};
use crate::casus::record;
use crate::{Actor, App, AppError, FieldError, UseCase, access};

/// Messages on one page of the desk.
pub const BERICHTEN_PAGINA: i64 = 50;

/// The largest iJw message a provider's system may post (rule OP179: 25 MB).
pub const MAX_BERICHT_BYTES: usize = ijw::xml::MAX_INPUT_BYTES;

/// The most outgoing messages a provider's system fetches at once.
pub const OPHALEN_MAX: i64 = 100;

/// The filters of a page of the desk, as typed (`None`: no filter).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct BerichtenZoek {
    /// Inbox: ontvangen, verwerkt, afgekeurd, onleesbaar, dubbel; outbox:
    /// wachtend, verzonden, goedgekeurd, afgekeurd.
    pub status: Option<String>,
    /// A message type, e.g. JW305.
    pub soort: Option<String>,
    /// Only messages with a smaller number (the next page).
    pub voor: Option<i64>,
}

/// The states a filter may name, per box.
const INBOX_STATES: [&str; 5] = ["ontvangen", "verwerkt", "afgekeurd", "onleesbaar", "dubbel"];
const OUTBOX_STATES: [&str; 4] = ["wachtend", "verzonden", "goedgekeurd", "afgekeurd"];

impl BerichtenZoek {
    /// Checks the filters; every wrong one is named.
    fn check<'a>(
        &'a self,
        states: &[&str],
        parties: Option<&'a [String]>,
    ) -> Result<BerichtFilter<'a>, AppError> {
        let mut fouten = Vec::new();
        let status = self.status.as_deref().filter(|s| !s.is_empty());
        if let Some(s) = status
            && !states.contains(&s)
        {
            fouten.push(FieldError {
                field: "status",
                message: format!("Kies een van: {}.", states.join(", ")),
            });
        }
        let soort = self.soort.as_deref().filter(|s| !s.is_empty());
        if let Some(s) = soort
            && !ijw::Berichtsoort::ALL.iter().any(|b| b.name() == s)
        {
            fouten.push(FieldError {
                field: "soort",
                message: "Kies een iJw-berichtsoort, zoals JW305.".into(),
            });
        }
        if self.voor.is_some_and(|v| v < 1) {
            fouten.push(FieldError {
                field: "voor",
                message: "Geef een berichtnummer van 1 of meer.".into(),
            });
        }
        if !fouten.is_empty() {
            return Err(AppError::Fields(fouten));
        }
        Ok(BerichtFilter {
            parties,
            state: status,
            berichtsoort: soort,
            before: self.voor,
            limit: BERICHTEN_PAGINA,
        })
    }
}

/// A retour code with what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetourcodeUitleg {
    pub code: String,
    pub uitleg: &'static str,
}

impl RetourcodeUitleg {
    fn of(code: &str) -> RetourcodeUitleg {
        RetourcodeUitleg {
            code: code.to_owned(),
            uitleg: code
                .parse::<RetourCode>()
                .map_or("Deze code staat niet in de iJw-codelijst.", uitleg),
        }
    }

    /// Each code once, in order of first appearance.
    fn all<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<RetourcodeUitleg> {
        let mut seen: Vec<RetourcodeUitleg> = Vec::new();
        for code in codes {
            if !seen.iter().any(|u| u.code == code) {
                seen.push(RetourcodeUitleg::of(code));
            }
        }
        seen
    }
}

/// A deadline of a message and where it stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termijn {
    pub soort: Berichttermijn,
    pub uiterlijk: NaiveDate,
    pub stand: Termijnstand,
}

impl Termijn {
    /// From the Dutch day `vanaf`, met on the day of `voldaan` (if it was).
    fn of(
        soort: Berichttermijn,
        vanaf: NaiveDate,
        vandaag: NaiveDate,
        voldaan: Option<DateTime<Utc>>,
    ) -> Termijn {
        Termijn {
            soort,
            uiterlijk: soort.uiterlijk(vanaf),
            stand: soort.stand(vanaf, vandaag, voldaan.map(amsterdam_today)),
        }
    }
}

/// How a request (JW315, JW317) was answered so far: by our JW301s and JW319s.
#[derive(Debug, Clone, Copy, Default)]
struct Verzoekantwoord {
    /// The first answer of any kind.
    eerste: Option<DateTime<Utc>>,
    /// Whether a JW319 said "aanvraag in onderzoek".
    onderzoek: bool,
    /// The first final answer: a JW301, or a JW319 that rejects.
    definitief: Option<DateTime<Utc>>,
}

impl Verzoekantwoord {
    /// What answered received message `id`, among `antwoorden` (oldest first).
    fn of(id: i64, antwoorden: &[Uitgaand]) -> Verzoekantwoord {
        let mut v = Verzoekantwoord::default();
        for a in antwoorden.iter().filter(|a| a.regel.answers_id == Some(id)) {
            let onderzoek = match a.regel.berichtsoort.as_str() {
                "JW301" => false,
                "JW319" => matches!(
                    ijw::decode(a.body.as_bytes()),
                    Ok(ijw::Bericht::Jw319(b))
                        if b.antwoord.verzoek_antwoord == VerzoekAntwoord::AanvraagInOnderzoek
                ),
                _ => continue,
            };
            v.eerste = v.eerste.or(Some(a.regel.created_at));
            v.onderzoek |= onderzoek;
            if !onderzoek {
                v.definitief = v.definitief.or(Some(a.regel.created_at));
            }
        }
        v
    }
}

/// The Dagtekening of a request (JW315, JW317): where the eight weeks after
/// "aanvraag in onderzoek" start.
fn dagtekening(body: &[u8]) -> Option<NaiveDate> {
    match ijw::decode(body).ok()? {
        ijw::Bericht::Jw315(b) => Some(b.header.bericht_identificatie.dagtekening),
        ijw::Bericht::Jw317(b) => Some(b.header.bericht_identificatie.dagtekening),
        _ => None,
    }
}

/// A received message on the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OntvangenBericht {
    pub regel: InboxRegel,
    pub bevindingen: Vec<Bevinding>,
    /// The retour codes of its findings, explained.
    pub codes: Vec<RetourcodeUitleg>,
    /// What its receiver owes, by when (none for a message that could not be
    /// read or came twice).
    pub termijnen: Vec<Termijn>,
}

/// An outgoing message on the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerzondenBericht {
    pub regel: OutboxRegel,
    /// The retour its receiver owes, by when, once it was sent.
    pub termijnen: Vec<Termijn>,
}

/// A received message opened: its XML and what answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OntvangenDetail {
    pub bericht: OntvangenBericht,
    /// The bytes as they came in (invalid UTF-8 shown as U+FFFD).
    pub xml: String,
    /// Our answers: its retour or JW325, a JW301 or JW319 on a request.
    pub antwoorden: Vec<VerzondenBericht>,
}

/// An outgoing message opened: its XML, the codes in it, and the messages
/// around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerzondenDetail {
    pub bericht: VerzondenBericht,
    pub xml: String,
    /// The retour codes it carries (a retour or JW325 of ours), explained.
    pub codes: Vec<RetourcodeUitleg>,
    /// The received message it answers.
    pub vraag: Option<OntvangenBericht>,
    /// The receiver's retour on it, with its codes explained.
    pub retour: Option<(OntvangenBericht, Vec<RetourcodeUitleg>)>,
}

/// The message traffic's state for operators (`/readyz`): no personal data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Berichtentelling {
    /// Received, not processed yet.
    pub wachtend: i64,
    pub afgekeurd: i64,
    pub onleesbaar: i64,
    /// Outgoing, not sent yet.
    pub uitgaand_wachtend: i64,
    /// Deadlines this installation owes whose last day is the next working day
    /// or today.
    pub termijn_bijna: i64,
    /// Deadlines this installation owes that passed unmet.
    pub termijn_verlopen: i64,
}

/// What became of a message a provider's system posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aanlevering {
    /// Processed (or recognised as sent before): the answer that goes back, if
    /// the message gets one (a retour on our own message gets none).
    Beantwoord { id: i64, antwoord: Option<String> },
    /// Not a readable iJw 3.2 message: kept with the reason, no retour.
    Onleesbaar {
        id: i64,
        reden: String,
        bevindingen: Vec<Bevinding>,
    },
}

/// The message types that owe a retour or JW325 (see [`Berichttermijn::van`]).
fn soorten_met(termijn: Berichttermijn) -> Vec<&'static str> {
    ijw::Berichtsoort::ALL
        .iter()
        .map(|s| s.name())
        .filter(|s| Berichttermijn::van(s).contains(&termijn))
        .collect()
}

fn ontvangen(
    regel: InboxRegel,
    antwoorden: &[Uitgaand],
    onderzocht: Option<NaiveDate>,
    vandaag: NaiveDate,
) -> OntvangenBericht {
    let bevindingen: Vec<Bevinding> = regel
        .findings
        .as_deref()
        .and_then(|f| serde_json::from_str(f).ok())
        .unwrap_or_default();
    let codes = RetourcodeUitleg::all(bevindingen.iter().filter_map(|b| b.code.as_deref()));
    let soort = regel.berichtsoort.as_deref().unwrap_or("");
    let ontvangen = amsterdam_today(regel.received_at);
    let mut termijnen = Vec::new();
    if !matches!(regel.state.as_str(), "onleesbaar" | "dubbel") {
        let verzoek = Verzoekantwoord::of(regel.id, antwoorden);
        for t in Berichttermijn::van(soort) {
            let voldaan = match t {
                Berichttermijn::Antwoord => verzoek.eerste,
                _ => regel.retour_sent_at,
            };
            termijnen.push(Termijn::of(*t, ontvangen, vandaag, voldaan));
        }
        if let Some(dag) = onderzocht.filter(|_| verzoek.onderzoek) {
            termijnen.push(Termijn::of(
                Berichttermijn::AntwoordNaOnderzoek,
                dag,
                vandaag,
                verzoek.definitief,
            ));
        }
    }
    OntvangenBericht {
        regel,
        bevindingen,
        codes,
        termijnen,
    }
}

/// The Dagtekening of each request among `regels` that was answered "in
/// onderzoek" (its eight weeks run from it).
async fn onderzochte_verzoeken(
    tx: &mut Tx,
    regels: &[InboxRegel],
    antwoorden: &[Uitgaand],
) -> Result<Vec<(i64, NaiveDate)>, AppError> {
    let mut dagen = Vec::new();
    for r in regels {
        if Verzoekantwoord::of(r.id, antwoorden).onderzoek
            && let Some(m) = tx.incoming(r.id).await?
            && let Some(dag) = dagtekening(&m.body)
        {
            dagen.push((r.id, dag));
        }
    }
    Ok(dagen)
}

fn dag_van(dagen: &[(i64, NaiveDate)], id: i64) -> Option<NaiveDate> {
    dagen.iter().find(|(i, _)| *i == id).map(|(_, d)| *d)
}

fn verzonden(regel: OutboxRegel, vandaag: NaiveDate) -> VerzondenBericht {
    let termijnen = match regel.sent_at {
        Some(sent) => Berichttermijn::van(&regel.berichtsoort)
            .iter()
            .filter(|t| {
                matches!(
                    t,
                    Berichttermijn::Retour | Berichttermijn::Declaratieantwoord
                )
            })
            .map(|t| Termijn::of(*t, amsterdam_today(sent), vandaag, regel.retour_received_at))
            .collect(),
        None => Vec::new(),
    };
    VerzondenBericht { regel, termijnen }
}

/// Every client named by the messages of a list, once.
fn jeugdigen(ids: impl IntoIterator<Item = Option<i64>>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.into_iter().flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl App {
    /// The parties whose messages the actor sees on the desk (see
    /// [`access::berichten_van`]), after the role check.
    async fn balie(&self, actor: &Actor, event: &str) -> Result<Option<Vec<String>>, AppError> {
        self.require(actor, UseCase::Berichtenbalie, event).await?;
        Ok(access::berichten_van(&actor.user))
    }

    /// A page of received messages of the actor's gemeenten, newest first.
    pub async fn berichten_ontvangen(
        &self,
        actor: &Actor,
        zoek: &BerichtenZoek,
    ) -> Result<Vec<OntvangenBericht>, AppError> {
        let event = "berichten.ontvangen-bekijken";
        let parties = self.balie(actor, event).await?;
        let filter = zoek.check(&INBOX_STATES, parties.as_deref())?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let regels = tx.inbox_regels(&filter).await?;
        let verzoeken: Vec<i64> = regels
            .iter()
            .filter(|r| {
                Berichttermijn::van(r.berichtsoort.as_deref().unwrap_or(""))
                    .contains(&Berichttermijn::Antwoord)
            })
            .map(|r| r.id)
            .collect();
        let antwoorden = tx.antwoorden_op(&verzoeken).await?;
        let dagen = onderzochte_verzoeken(&mut tx, &regels, &antwoorden).await?;
        let vandaag = amsterdam_today(now);
        let berichten: Vec<OntvangenBericht> = regels
            .into_iter()
            .map(|r| {
                let dag = dag_van(&dagen, r.id);
                ontvangen(r, &antwoorden, dag, vandaag)
            })
            .collect();
        let clients = jeugdigen(berichten.iter().map(|b| b.regel.jeugdige_id));
        self.log_list(&mut tx, actor, event, &clients, now).await?;
        tx.commit().await?;
        Ok(berichten)
    }

    /// A page of outgoing messages from or to the actor's gemeenten, newest first.
    pub async fn berichten_verzonden(
        &self,
        actor: &Actor,
        zoek: &BerichtenZoek,
    ) -> Result<Vec<VerzondenBericht>, AppError> {
        let event = "berichten.verzonden-bekijken";
        let parties = self.balie(actor, event).await?;
        let filter = zoek.check(&OUTBOX_STATES, parties.as_deref())?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let vandaag = amsterdam_today(now);
        let berichten: Vec<VerzondenBericht> = tx
            .outbox_regels(&filter)
            .await?
            .into_iter()
            .map(|r| verzonden(r, vandaag))
            .collect();
        let clients = jeugdigen(berichten.iter().map(|b| b.regel.jeugdige_id));
        self.log_list(&mut tx, actor, event, &clients, now).await?;
        tx.commit().await?;
        Ok(berichten)
    }

    /// One received message with its XML and our answers; a message outside the
    /// actor's gemeenten is not found.
    pub async fn bericht_ontvangen_bekijken(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<OntvangenDetail, AppError> {
        let event = "bericht.ontvangen-bekijken";
        let parties = self.balie(actor, event).await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let (Some(regel), Some(incoming)) = (tx.inbox_regel(id).await?, tx.incoming(id).await?)
        else {
            return Err(AppError::NotFound);
        };
        if !in_scope(parties.as_deref(), [regel.receiver.as_deref()]) {
            drop(tx);
            return Err(self.niet_gevonden(actor, event).await);
        }
        let vandaag = amsterdam_today(now);
        let antwoorden = tx.antwoorden_op(&[id]).await?;
        let onderzocht = dagtekening(&incoming.body);
        let bericht = ontvangen(regel, &antwoorden, onderzocht, vandaag);
        let clients = jeugdigen([bericht.regel.jeugdige_id]);
        self.log_list(&mut tx, actor, event, &clients, now).await?;
        tx.commit().await?;
        Ok(OntvangenDetail {
            bericht,
            xml: String::from_utf8_lossy(&incoming.body).into_owned(),
            antwoorden: antwoorden
                .into_iter()
                .map(|a| verzonden(a.regel, vandaag))
                .collect(),
        })
    }

    /// One outgoing message with its XML, the message it answers and the retour
    /// on it; a message neither from nor to the actor's gemeenten is not found.
    pub async fn bericht_verzonden_bekijken(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<VerzondenDetail, AppError> {
        let event = "bericht.verzonden-bekijken";
        let parties = self.balie(actor, event).await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let Some(uitgaand) = tx.uitgaand(id).await? else {
            return Err(AppError::NotFound);
        };
        let r = &uitgaand.regel;
        if !in_scope(
            parties.as_deref(),
            [Some(r.sender.as_str()), Some(r.receiver.as_str())],
        ) {
            drop(tx);
            return Err(self.niet_gevonden(actor, event).await);
        }
        let vandaag = amsterdam_today(now);
        let vraag = match r.answers_id {
            Some(id) => tx.inbox_regel(id).await?,
            None => None,
        }
        .map(|v| ontvangen(v, &[], None, vandaag));
        let retour = match r.retour_inbox_id {
            Some(id) => match (tx.inbox_regel(id).await?, tx.incoming(id).await?) {
                (Some(regel), Some(incoming)) => Some((
                    ontvangen(regel, &[], None, vandaag),
                    RetourcodeUitleg::all(retourcodes(&incoming.body).iter().map(String::as_str)),
                )),
                _ => None,
            },
            None => None,
        };
        let codes = RetourcodeUitleg::all(
            retourcodes(uitgaand.body.as_bytes())
                .iter()
                .map(String::as_str),
        );
        let clients = jeugdigen([r.jeugdige_id]);
        self.log_list(&mut tx, actor, event, &clients, now).await?;
        tx.commit().await?;
        Ok(VerzondenDetail {
            bericht: verzonden(uitgaand.regel, vandaag),
            xml: uitgaand.body,
            codes,
            vraag,
            retour,
        })
    }

    /// The message traffic's counts for operators: waiting, refused and
    /// unreadable messages, unsent answers, and the deadlines this installation
    /// owes that are near or passed (retour, answer to a request, JW325).
    pub async fn berichten_tellingen(&self) -> Result<Berichtentelling, AppError> {
        let vandaag = amsterdam_today(self.now());
        let mut tx = self.store().begin_read().await?;
        let mut telling = Berichtentelling::default();
        for (state, count) in tx.inbox_counts().await? {
            match state.as_str() {
                "ontvangen" => telling.wachtend = count,
                "afgekeurd" => telling.afgekeurd = count,
                "onleesbaar" => telling.onleesbaar = count,
                _ => {}
            }
        }
        telling.uitgaand_wachtend = tx.outbox_wachtend().await?;
        for termijn in [
            Berichttermijn::Retour,
            Berichttermijn::Antwoord,
            Berichttermijn::Declaratieantwoord,
        ] {
            let grenzen = Grenzen {
                verlopen: amsterdam_day_start(termijn.verlopen_voor(vandaag)),
                bijna: amsterdam_day_start(termijn.bijna_voor(vandaag)),
            };
            let open = tx
                .open_termijnen(
                    &soorten_met(termijn),
                    termijn == Berichttermijn::Antwoord,
                    grenzen,
                )
                .await?;
            telling.termijn_bijna += open.bijna;
            telling.termijn_verlopen += open.verlopen;
        }
        // Rule: iJw OP274 and OP346 — after "aanvraag in onderzoek" the final
        // answer within eight weeks, kept as the request's deadline.
        let onderzoek = tx
            .onderzoek_termijnen(vandaag, working_days_after(vandaag, 1))
            .await?;
        telling.termijn_bijna += onderzoek.bijna;
        telling.termijn_verlopen += onderzoek.verlopen;
        Ok(telling)
    }

    /// A message posted by a provider's own system: kept, processed at once and
    /// answered. Only a message sent in the name of the actor's own AGB code is
    /// taken; another's is refused (and logged) with nothing stored. Bytes whose
    /// header cannot be read are kept as unreadable, with their findings.
    pub async fn bericht_aanleveren(
        &self,
        actor: &Actor,
        bytes: &[u8],
    ) -> Result<Aanlevering, AppError> {
        let event = "bericht.aanleveren";
        self.require(actor, UseCase::BerichtenUitwisselen, event)
            .await?;
        let agb = eigen_agb(actor)?;
        if bytes.len() > ijw::xml::MAX_INPUT_BYTES {
            return Err(AppError::Invalid(
                "bericht: groter dan 25 MB (iJw-regel OP179)".into(),
            ));
        }
        let kop = ijw::kop(bytes);
        if let Some(van) = kop.as_ref().and_then(ijw::Kop::van)
            && van != agb
        {
            return Err(self.refuse(actor, event).await);
        }
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let id = receive(&mut tx, Kanaal::Api, bytes, now).await?;
        tx.append_audit(&record(actor, event, "iJw-berichtenverkeer", "gelukt", now))
            .await?;
        tx.commit().await?;
        let verwerkt = self.bericht_verwerken(id).await?;
        if verwerkt.state == "onleesbaar" {
            let bevindingen: Vec<Bevinding> = verwerkt
                .findings
                .as_deref()
                .and_then(|f| serde_json::from_str(f).ok())
                .unwrap_or_default();
            return Ok(Aanlevering::Onleesbaar {
                id,
                reden: verwerkt.reason.unwrap_or_default(),
                bevindingen,
            });
        }
        let antwoord = match verwerkt.retour_id {
            Some(retour) => {
                let mut tx = self.store().begin_read().await?;
                tx.uitgaand(retour).await?.map(|u| u.body)
            }
            None => None,
        };
        Ok(Aanlevering::Beantwoord { id, antwoord })
    }

    /// The outgoing messages addressed to the actor's AGB code after number
    /// `na`, oldest first, at most [`OPHALEN_MAX`], with their XML.
    pub async fn berichten_ophalen(
        &self,
        actor: &Actor,
        na: i64,
    ) -> Result<Vec<Uitgaand>, AppError> {
        let event = "berichten.ophalen";
        self.require(actor, UseCase::BerichtenUitwisselen, event)
            .await?;
        let agb = eigen_agb(actor)?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let berichten = tx.uitgaand_voor(agb, na.max(0), OPHALEN_MAX).await?;
        let clients = jeugdigen(berichten.iter().map(|b| b.regel.jeugdige_id));
        self.log_list(&mut tx, actor, event, &clients, now).await?;
        tx.commit().await?;
        Ok(berichten)
    }

    /// Records that the actor's own system received outgoing message `id`; a
    /// message addressed to another party is not found.
    pub async fn bericht_ontvangst_bevestigen(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<OutboxRegel, AppError> {
        let event = "bericht.ontvangst-bevestigen";
        self.require(actor, UseCase::BerichtenUitwisselen, event)
            .await?;
        let agb = eigen_agb(actor)?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let Some(regel) = tx.bevestig_ontvangst(id, agb, now).await? else {
            drop(tx);
            return Err(self.niet_gevonden(actor, event).await);
        };
        let clients = jeugdigen([regel.jeugdige_id]);
        self.log_list(&mut tx, actor, event, &clients, now).await?;
        tx.commit().await?;
        Ok(regel)
    }

    /// The one audit record of a list or message shown, naming its clients.
    async fn log_list(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        event: &str,
        clients: &[i64],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let on_behalf_of = match actor.user.aanbieder.as_ref() {
            Some(agb) => Some(agb.as_str().to_owned()),
            None => (!actor.user.gemeenten.is_empty()).then(|| {
                actor
                    .user
                    .gemeenten
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            }),
        };
        tx.append_audit(&NewAuditRecord {
            on_behalf_of: on_behalf_of.as_deref(),
            jeugdige_id: match clients {
                [one] => Some(*one),
                _ => None,
            },
            jeugdigen: clients,
            ..record(actor, event, "iJw-berichtenverkeer", "gelukt", now)
        })
        .await?;
        Ok(())
    }

    /// A message outside the actor's scope: the refusal is logged in a
    /// transaction of its own and answered as not found.
    async fn niet_gevonden(&self, actor: &Actor, event: &str) -> AppError {
        match self.refuse(actor, event).await {
            AppError::Forbidden => AppError::NotFound,
            other => other,
        }
    }
}

/// Whether any of a message's parties is in scope (`None`: everything is).
fn in_scope<'a>(parties: Option<&[String]>, of: impl IntoIterator<Item = Option<&'a str>>) -> bool {
    match parties {
        None => true,
        Some(list) => of
            .into_iter()
            .flatten()
            .any(|p| list.iter().any(|l| l == p)),
    }
}

/// The AGB code of the provider the actor works for.
fn eigen_agb(actor: &Actor) -> Result<&str, AppError> {
    actor
        .user
        .aanbieder
        .as_ref()
        .map(|a| a.as_str())
        .ok_or(AppError::Forbidden)
}

/// What a retour code means, in plain Dutch: what was wrong and what the
/// sender can do.
pub fn uitleg(code: RetourCode) -> &'static str {
    match code {
        RetourCode::R0001 => {
            "Het bericht voldoet niet aan de technische regels van de standaard. Het hele bericht is afgekeurd en telt als niet verstuurd: herstel het en stuur het opnieuw."
        }
        RetourCode::R0200 => "Geen opmerking: dit deel van het bericht is goed.",
        RetourCode::R0233 => {
            "Dit deel is niet beoordeeld, omdat een ander deel van het bericht al fout was."
        }
        RetourCode::R0611 => "Het gedeclareerde tarief is niet het tarief uit het contract.",
        RetourCode::R8001 => "De declaratie is helemaal goedgekeurd.",
        RetourCode::R8017 => {
            "Er is een creditregel gestuurd, maar de debetregel die daarbij hoort is niet bekend."
        }
        RetourCode::R8021 => "Dit referentienummer van een prestatie is al eerder gebruikt.",
        RetourCode::R8187 => "De prestatie hoort niet bij deze cliënt.",
        RetourCode::R8214 => {
            "De declaratieperiode sluit niet aan op de vorige: er ontbreekt een maand."
        }
        RetourCode::R8848 => {
            "De dagtekening ligt in de toekomst; die mag niet later zijn dan vandaag."
        }
        RetourCode::R9019 => {
            "Het start- of stopbericht hoort bij geen enkele toewijzing die wij kennen."
        }
        RetourCode::R9056 => {
            "De identificatie van dit bericht is al eerder gebruikt voor dit soort bericht."
        }
        RetourCode::R9063 => "Dit bericht verwijdert of wijzigt iets dat nooit is ontvangen.",
        RetourCode::R9069 => "Er is geen lopend startbericht met dezelfde gegevens om te stoppen.",
        RetourCode::R9071 => "Het startbericht kan niet worden verwijderd: de hulp is al gestopt.",
        RetourCode::R9074 => "Er is al eerder een bericht met dezelfde gegevens ontvangen.",
        RetourCode::R9307 => {
            "De begindatum van de prestatie ligt buiten de periode van de toewijzing."
        }
        RetourCode::R9308 => {
            "De einddatum van de prestatie ligt buiten de periode van de toewijzing."
        }
        RetourCode::R9319 => {
            "De periode van de prestatie valt niet helemaal in de declaratieperiode."
        }
        RetourCode::R9321 => "Er is meer gedeclareerd dan er voor deze periode is toegewezen.",
        RetourCode::R9322 => "Alle declaraties samen zijn meer dan er is toegewezen.",
        RetourCode::R9326 => "De hulp op deze toewijzing loopt nog: stuur eerst een stopbericht.",
        RetourCode::R9332 => "Dit toewijzingnummer is niet uniek.",
        RetourCode::R9333 => {
            "Dit declaratienummer is al eerder gebruikt. De declaratie telt als niet verstuurd."
        }
        RetourCode::R9338 => {
            "Niet elke prestatie hoort bij een toegewezen product: het toewijzingnummer klopt niet."
        }
        RetourCode::R9339 => "De productcategorie van de prestatie is niet die van de toewijzing.",
        RetourCode::R9340 => "De productcode van de prestatie is niet die van de toewijzing.",
        RetourCode::R9341 => {
            "De eenheid van de prestatie past niet bij de eenheid van de toewijzing."
        }
        RetourCode::R9346 => "Het bedrag is niet het geleverde volume maal het tarief.",
        RetourCode::R9347 => "Dit referentienummer van de aanbieder is al eerder gebruikt.",
        RetourCode::R9349 => {
            "Het verzoek om wijziging noemt niet alle lopende toewijzingen van de cliënt."
        }
        RetourCode::R9350 => {
            "Een product dat ongewijzigd moet blijven hoort bij geen lopende toewijzing."
        }
        RetourCode::R9351 => "Een product dat moet wijzigen hoort bij geen lopende toewijzing.",
        RetourCode::R9355 => {
            "Dit referentienummer hoort bij geen eerder verzoek om toewijzing of wijziging."
        }
        RetourCode::R9357 => {
            "De gewenste ingangsdatum ligt in het verleden en is niet de ingangsdatum van de toewijzing."
        }
        RetourCode::R9359 => "Op dit verzoek is al een toewijzing gestuurd.",
        RetourCode::R9360 => "Op dit verzoek is al een antwoord gestuurd.",
        RetourCode::R9361 => {
            "Hetzelfde product komt meer dan eens voor in perioden die overlappen."
        }
        RetourCode::R9365 => "Dit verzoek is al eerder afgewezen.",
        RetourCode::R9366 => "De prestatie waarnaar verwezen wordt komt in geen declaratie voor.",
        RetourCode::R9367 => {
            "Een waarde verschilt van die in het oorspronkelijke bericht met dezelfde referentie."
        }
        RetourCode::R9369 => "Alle declaraties samen passen niet in het toegewezen budget.",
        RetourCode::R9373 => {
            "Het budget is gewijzigd, maar de gewenste ingangsdatum is niet die van de lopende toewijzing."
        }
        RetourCode::R9374 => {
            "Er loopt al een verzoek van deze aanbieder voor deze cliënt: wacht eerst het antwoord af."
        }
        RetourCode::R9375 => {
            "De omvang is ingevuld, maar bij deze toewijzing zonder productcode hoort geen omvang."
        }
        RetourCode::R9379 => {
            "Het referentienummer van de aanbieder is ingevuld, maar er was geen verzoek."
        }
        RetourCode::R9384 => "Er is gedeclareerd op een toewijzing die is verwijderd.",
        RetourCode::R9385 => {
            "De toewijzing heeft al goedgekeurde declaraties en kan niet zo worden gewijzigd."
        }
        RetourCode::R9387 => {
            "De periode van de prestatie begint niet op de eerste dag van de maand (of op de ingangsdatum van de toewijzing)."
        }
        RetourCode::R9388 => {
            "De periode van de prestatie eindigt niet op de laatste dag van de maand (of op de einddatum van de toewijzing)."
        }
        RetourCode::R9389 => "Voor deze prestatie staat al een debetregel open zonder creditregel.",
        RetourCode::R9390 => "Deze prestatie is al eerder gecrediteerd.",
        RetourCode::R9411 => {
            "De omvang ontbreekt, maar de toewijzing heeft een productcode en dan hoort er een omvang bij."
        }
        RetourCode::R9412 => "De omvang is ingevuld, maar de toewijzing heeft geen productcode.",
        RetourCode::R9413 => {
            "De hulp is al tijdelijk gestopt; een tweede tijdelijke stop kan niet."
        }
        RetourCode::R9414 => "De einddatum ligt voor de einddatum van de eerdere stop.",
        RetourCode::R9415 => "De hulp is al definitief gestopt.",
        RetourCode::RS300 => "Deze gemeentecode staat niet in de lijst van het CBS.",
        RetourCode::RS329 => "Deze productcode hoort niet bij de productcategorie.",
    }
}
