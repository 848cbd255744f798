//! The iJw exchange run against this installation's own database (iJw 3.2 §3,
//! §8.2). A message that comes in is kept as its bytes first ([`App::bericht_ontvangen`]);
//! processing ([`App::berichten_verwerken`]) then takes one waiting message at a
//! time and, in one transaction, checks it at the four levels (XML, XSD, the rules
//! within it, the rules against what came before), applies it, puts its retour in
//! the outbox and writes the audit record — all or nothing. A crash rolls the
//! transaction back and the message waits again; a message that came before with
//! the same bytes is answered again, never applied twice.
//!
//! The receiving party decides what a message means: a gemeente records a
//! provider's start and stop on the allocation, and matches the retour on one of
//! its own messages; a provider hosted here answers a JW301 with its JW302.
//! Messages between parties of this installation are delivered from outbox to
//! inbox directly ([`App::berichten_bezorgen`]).

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use chrono::{DateTime, Utc};
use ijw::types::codes::StatusAanlevering;
use ijw::types::{jw305, jw307};
use ijw::{Bericht, Berichtsoort, Finding, History, KnownAllocation, KnownDelivery};
use jeugdroute_domain::amsterdam_today;
use jeugdroute_store::{
    Claimed, Closing, Incoming, Levering, NewAuditRecord, NewIncoming, Outcome, Partijsoort,
    Toewijzing, Tx,
};
use serde::Serialize;

use crate::{App, AppError, OutgoingMessage};

mod balie;

pub use balie::{
    Aanlevering, BERICHTEN_PAGINA, BerichtenZoek, Berichtentelling, MAX_BERICHT_BYTES,
    OntvangenBericht, OntvangenDetail, RetourcodeUitleg, Termijn, VerzondenBericht,
    VerzondenDetail, uitleg,
};

mod aanbieder;

pub use aanbieder::{
    DeclaratieInvoer, MAX_PRESTATIES, OmvangInvoer, OntvangenHulp, PrestatieInvoer, StartInvoer,
    StopInvoer, Toewijzingsleutel, VerzoekOmToewijzingInvoer, VerzoekOmWijzigingInvoer,
};

mod declaratie;
pub(crate) mod verzoek;

pub use verzoek::{
    VERZOEKEN_PAGE_SIZE, VerzoekBeantwoorden, VerzoekView, redenen_afwijzing, verzoek_termijn,
};
mod lus;
mod transport;

pub(crate) use lus::Wekker;
pub use lus::{Afhandeling, BERICHTEN_INTERVAL};
pub use transport::{GgkBericht, GgkUitkomst, Routeringsfout, Uitvoer};

/// How a message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kanaal {
    /// From the outbox of a party of this installation.
    Intern,
    /// Posted by a provider's own system (`POST /api/v1/berichten`).
    Api,
    /// Read from a folder (`jeugdroute berichten importeer`).
    Map,
    /// From the GGk, unwrapped from its StUF envelope.
    Ggk,
}

impl Kanaal {
    fn key(self) -> &'static str {
        match self {
            Kanaal::Intern => "intern",
            Kanaal::Api => "api",
            Kanaal::Map => "map",
            Kanaal::Ggk => "ggk",
        }
    }
}

/// What one run of processing did, by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Verwerking {
    /// Checked, applied and answered.
    pub verwerkt: usize,
    /// Refused by a rule: answered with the retour that says why.
    pub afgekeurd: usize,
    /// Not a readable iJw 3.2 message, kept with the reason.
    pub onleesbaar: usize,
    /// The same bytes came before: answered again, not applied again.
    pub dubbel: usize,
}

impl Verwerking {
    pub fn totaal(&self) -> usize {
        self.verwerkt + self.afgekeurd + self.onleesbaar + self.dubbel
    }

    fn tel(&mut self, state: &str) {
        match state {
            "verwerkt" => self.verwerkt += 1,
            "afgekeurd" => self.afgekeurd += 1,
            "dubbel" => self.dubbel += 1,
            _ => self.onleesbaar += 1,
        }
    }
}

/// One finding as kept with the message and shown on the message desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Bevinding {
    /// `XML`, `XSD` or the rule, e.g. `TR071`.
    pub regel: String,
    /// The retour code, e.g. `8052`; none for XML and XSD problems.
    pub code: Option<String>,
    pub element: String,
    pub melding: String,
}

impl From<&Finding> for Bevinding {
    fn from(f: &Finding) -> Self {
        Bevinding {
            regel: f.rule.clone(),
            code: f.code.map(str::to_owned),
            element: f.element.clone(),
            melding: f.message.clone(),
        }
    }
}

/// How many messages one transaction processes: enough that a commit and a
/// witness line per batch cost little, few enough that a batch rolled back on
/// an error costs little to do again.
pub const PARTIJ: usize = 50;

/// The audit actor of the exchange: the application itself.
const SYSTEEM: &str = "systeem";

/// BLAKE2b-256 of a message: the same bytes twice have the same digest.
fn digest(bytes: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(bytes).into()
}

impl App {
    /// Keeps a message as it came in, to be processed later; refuses only what
    /// exceeds the standard's size (rule OP179: 25 MB).
    pub async fn bericht_ontvangen(&self, kanaal: Kanaal, bytes: &[u8]) -> Result<i64, AppError> {
        binnen_grens(bytes)?;
        let mut tx = self.store().begin().await?;
        let id = receive(&mut tx, kanaal, bytes, self.now()).await?;
        tx.commit().await?;
        self.wekker.wek();
        Ok(id)
    }

    /// Delivers up to `max` waiting outgoing messages to parties of this
    /// installation: each lands in the inbox as received bytes and is marked sent,
    /// in one transaction. Returns how many were delivered.
    pub async fn berichten_bezorgen(&self, max: i64) -> Result<usize, AppError> {
        let mut tx = self.store().begin().await?;
        let now = self.now();
        let pending = tx.claim_internal_outbox(max).await?;
        for (id, body) in &pending {
            receive(&mut tx, Kanaal::Intern, body.as_bytes(), now).await?;
            tx.mark_outbox_sent(*id, now).await?;
        }
        tx.commit().await?;
        Ok(pending.len())
    }

    /// Processes waiting messages until none waits or `max` are done, in
    /// transactions of up to [`PARTIJ`] messages: one commit (and one line for
    /// the audit witness) per batch. Each message is still whole or absent — a
    /// batch that fails is rolled back whole, and its messages are then taken
    /// one transaction each, so the one that fails again fails alone.
    pub async fn berichten_verwerken(&self, max: usize) -> Result<Verwerking, AppError> {
        let mut verwerking = Verwerking::default();
        while verwerking.totaal() < max {
            let n = (max - verwerking.totaal()).min(PARTIJ);
            let partij = match self.verwerk_partij(n).await {
                Ok(partij) => partij,
                Err(e) => {
                    tracing::warn!(error = %e, "a batch of messages failed; one by one now");
                    self.verwerk_een_voor_een(n).await?
                }
            };
            if partij.totaal() == 0 {
                break;
            }
            verwerking += partij;
        }
        Ok(verwerking)
    }

    /// Up to `n` waiting messages, claimed together, in one transaction.
    async fn verwerk_partij(&self, n: usize) -> Result<Verwerking, AppError> {
        let mut tx = self.store().begin().await?;
        let mut verwerking = Verwerking::default();
        let mut partij = Partij::default();
        let limit = i64::try_from(n).unwrap_or(i64::MAX);
        for claimed in tx.claim_incoming(None, limit).await? {
            let state = self.verwerk_in(&mut tx, claimed, &mut partij).await?;
            verwerking.tel(state);
        }
        partij.sluit(&mut tx).await?;
        tx.commit().await?;
        Ok(verwerking)
    }

    /// Up to `n` waiting messages, each in a transaction of its own.
    async fn verwerk_een_voor_een(&self, n: usize) -> Result<Verwerking, AppError> {
        let mut verwerking = Verwerking::default();
        while verwerking.totaal() < n {
            let Some(state) = self.verwerk(None).await? else {
                break;
            };
            verwerking.tel(state);
        }
        Ok(verwerking)
    }

    /// Processes received message `id` now, if it still waits, and gives it as it
    /// then stands (with its outcome and the id of its answer).
    pub async fn bericht_verwerken(&self, id: i64) -> Result<Incoming, AppError> {
        self.verwerk(Some(id)).await?;
        let mut tx = self.store().begin_read().await?;
        tx.incoming(id).await?.ok_or(AppError::NotFound)
    }

    /// Takes a waiting message (`id`, or the oldest) and processes it whole, or
    /// not at all, in a transaction of its own; `None` when there was none to take.
    async fn verwerk(&self, id: Option<i64>) -> Result<Option<&'static str>, AppError> {
        let mut tx = self.store().begin().await?;
        let Some(claimed) = tx.claim_incoming(id, 1).await?.pop() else {
            return Ok(None);
        };
        let mut partij = Partij::default();
        let state = self.verwerk_in(&mut tx, claimed, &mut partij).await?;
        partij.sluit(&mut tx).await?;
        tx.commit().await?;
        Ok(Some(state))
    }

    /// Processes a claimed message in `tx`: judged and applied; its answer, its
    /// closing and its audit record are written with the batch's
    /// ([`Partij::sluit`]).
    async fn verwerk_in(
        &self,
        tx: &mut Tx,
        claimed: Claimed,
        partij: &mut Partij,
    ) -> Result<&'static str, AppError> {
        let now = self.now();
        let beoordeeld = self.beoordeel(tx, &claimed, partij, now).await?;
        let message = claimed.message;
        let findings = (!beoordeeld.bevindingen.is_empty())
            .then(|| serde_json::to_string(&beoordeeld.bevindingen))
            .transpose()
            .map_err(anyhow::Error::from)?;
        let state = beoordeeld.state;
        if matches!(state, "verwerkt" | "afgekeurd") {
            partij.gebruikt.push(Identiteit::van(&message));
        }
        partij.verwerkt.push(Verwerkt {
            inbox_id: message.id,
            at: now,
            receiver: message.receiver,
            state,
            reden: beoordeeld.reden,
            findings,
            antwoord: beoordeeld.antwoord,
            casus: beoordeeld.casus,
        });
        Ok(state)
    }

    /// Judges one claimed message and applies what it says.
    async fn beoordeel(
        &self,
        tx: &mut Tx,
        claimed: &Claimed,
        partij: &mut Partij,
        now: DateTime<Utc>,
    ) -> Result<Beoordeeld, AppError> {
        let message = &claimed.message;
        if claimed.seen_before
            && let Some(earlier) = tx
                .processed_with_digest(&message.digest, message.id)
                .await?
        {
            return self.opnieuw_beantwoord(tx, message, &earlier, now).await;
        }
        let report = ijw::validate(&message.body);
        let bevindingen: Vec<Bevinding> = report.findings.iter().map(Bevinding::from).collect();
        let Some(bericht) = report.bericht else {
            return Ok(Beoordeeld::onleesbaar(
                report
                    .findings
                    .first()
                    .map_or("geen iJw 3.2-bericht".into(), |f| f.message.clone()),
                bevindingen,
            ));
        };
        // A message that passed the schema had its header read at receipt.
        let (Some(sender), Some(receiver)) =
            (message.sender.as_deref(), message.receiver.as_deref())
        else {
            return Ok(Beoordeeld::onleesbaar(
                "de kop van het bericht is onvolledig".into(),
                bevindingen,
            ));
        };
        let Some(soort) = partij.soort(tx, receiver).await? else {
            return Ok(Beoordeeld::onleesbaar(
                format!("ontvanger {receiver} is in deze installatie niet bekend"),
                bevindingen,
            ));
        };
        let ontvangst = Ontvangst {
            inbox_id: message.id,
            sender,
            receiver,
            aanbieder: soort == Partijsoort::Aanbieder,
        };
        if ontvangst.aanbieder && bericht.soort() == Berichtsoort::Jw325 {
            return self
                .declaratie_antwoord_ontvangen(
                    tx,
                    claimed,
                    partij,
                    ontvangst,
                    &bericht,
                    report.findings,
                    now,
                )
                .await;
        }
        if ijw::answer_to(bericht.soort()).is_none() {
            return self
                .retour_ontvangen(tx, message, ontvangst, &bericht)
                .await;
        }
        let mut findings = report.findings;
        let nummer = toewijzing_nummer(&bericht);
        let mut casus = None;
        if findings.is_empty() {
            let (history, casussen) = self
                .history(tx, claimed, partij, ontvangst, &bericht)
                .await?;
            casus =
                nummer.and_then(|n| casussen.into_iter().find(|(t, _)| *t == n).map(|(_, c)| c));
            findings = ijw::check_against(&bericht, &history);
            if let Bericht::Jw323(b) = &bericht {
                findings.extend(self.tarieven_toetsen(tx, sender, b).await?);
            }
        }
        // The case of an allocation not among the sender's for this youth.
        if let (None, Some(nummer)) = (casus, nummer) {
            casus = tx.casus_van_toewijzing(receiver, nummer).await?;
        }
        if findings.is_empty() {
            if ontvangst.aanbieder {
                self.aanbieder_pas_toe(tx, ontvangst, &bericht, &message.body, now)
                    .await?;
            } else {
                self.pas_toe(tx, ontvangst, &bericht, now).await?;
            }
        }
        let (uitgaand, retour) = self.beantwoord(ontvangst, &bericht, &findings, casus, now)?;
        let antwoord = match (&bericht, &retour) {
            // A judged declaration refers to its JW325: that one is written now.
            (Bericht::Jw323(b), Bericht::Jw325(jw325))
                if declaratie::beoordeeld(jw325).is_some() =>
            {
                let id = tx.enqueue_outbox(&uitgaand, now).await?;
                self.declaratie_vastleggen(tx, ontvangst, b, jw325, id, now)
                    .await?;
                Antwoord::Verstuurd(id)
            }
            _ => Antwoord::Wacht(uitgaand),
        };
        Ok(Beoordeeld {
            state: if findings.is_empty() {
                "verwerkt"
            } else {
                "afgekeurd"
            },
            reden: findings.first().map(|f| f.message.clone()),
            bevindingen: findings.iter().map(Bevinding::from).collect(),
            antwoord,
            casus,
        })
    }

    /// The same bytes came before: the earlier answer goes out again.
    async fn opnieuw_beantwoord(
        &self,
        tx: &mut Tx,
        message: &Incoming,
        earlier: &Incoming,
        now: DateTime<Utc>,
    ) -> Result<Beoordeeld, AppError> {
        let antwoord = match earlier.retour_id {
            Some(id) => Antwoord::Verstuurd(tx.resend_outbox(id, message.id, now).await?),
            None => Antwoord::Geen,
        };
        Ok(Beoordeeld {
            state: "dubbel",
            reden: Some(format!(
                "dit bericht kwam eerder binnen (nummer {}); het antwoord is opnieuw verstuurd",
                earlier.id
            )),
            bevindingen: Vec::new(),
            antwoord,
            casus: match earlier.casus_id {
                Some(id) => Some((id, tx.casus(id).await?.jeugdige_id)),
                None => None,
            },
        })
    }

    /// A retour on one of our own messages: matched to it and kept with it.
    async fn retour_ontvangen(
        &self,
        tx: &mut Tx,
        message: &Incoming,
        ontvangst: Ontvangst<'_>,
        bericht: &Bericht,
    ) -> Result<Beoordeeld, AppError> {
        let soort = bericht.soort();
        let (Some(request), Some(identificatie)) =
            (request_of(soort), message.identificatie.as_deref())
        else {
            return Ok(Beoordeeld::onleesbaar(
                format!("een {soort} wordt hier (nog) niet verwerkt"),
                Vec::new(),
            ));
        };
        let Some((outbox_id, casus_id)) = tx
            .outbox_answered(ontvangst.receiver, request.name(), identificatie)
            .await?
        else {
            return Ok(Beoordeeld::onleesbaar(
                format!(
                    "{soort} van {}: wij stuurden geen {request} met identificatie {identificatie}",
                    ontvangst.sender
                ),
                Vec::new(),
            ));
        };
        let codes = retourcodes(&message.body);
        let approved = codes.iter().all(|c| c == GEEN_OPMERKING);
        tx.record_retour(outbox_id, message.id, approved).await?;
        let casus = match casus_id {
            Some(id) => Some((id, tx.casus(id).await?.jeugdige_id)),
            None => None,
        };
        Ok(Beoordeeld {
            state: "verwerkt",
            reden: (!approved)
                .then(|| format!("{request} afgekeurd: retourcode {}", codes.join(", "))),
            bevindingen: Vec::new(),
            antwoord: Antwoord::Geen,
            casus,
        })
    }

    /// What the receiver knows of earlier messages about this client from this
    /// sender: the input of the rules across messages; with the case and youth
    /// of each of the sender's allocations for this client, by ToewijzingNummer.
    async fn history(
        &self,
        tx: &mut Tx,
        claimed: &Claimed,
        partij: &Partij,
        Ontvangst {
            sender,
            receiver,
            aanbieder,
            ..
        }: Ontvangst<'_>,
        bericht: &Bericht,
    ) -> Result<(History, Vec<(i64, (i64, i64))>), AppError> {
        let mut history = History::default();
        let message = &claimed.message;
        if claimed.identificatie_seen
            && let Some(identificatie) = message.identificatie.as_deref()
            && (partij.gebruikt.contains(&Identiteit::van(message))
                || tx
                    .identificatie_used(sender, bericht.soort().name(), identificatie, message.id)
                    .await?)
        {
            history.identificaties.push(identificatie.to_owned());
        }
        if aanbieder {
            // A retour has no rule across messages but TR056 (above): the
            // provider's history is not read for it.
            if !bericht.soort().is_retour() {
                aanbieder::vul_history(tx, &mut history, (receiver, sender), bericht).await?;
            }
            return Ok((history, Vec::new()));
        }
        if let Some((bsn, referenties)) = verzoek::sleutels(bericht) {
            self.verzoek_history(tx, (receiver, sender), (bsn, &referenties), &mut history)
                .await?;
        }
        if let Bericht::Jw323(b) = bericht {
            self.declaratie_history(tx, receiver, sender, b, &mut history)
                .await?;
        }
        let Some(bsn) = client_bsn(bericht) else {
            return Ok((history, Vec::new()));
        };
        let client = tx.toewijzingen_van_client(receiver, sender, bsn).await?;
        let mut casussen = Vec::with_capacity(client.toewijzingen.len());
        for (t, jeugdige) in &client.toewijzingen {
            history.allocations.push(self.known_allocation(bsn, t));
            casussen.push((t.nummer, (t.casus_id, *jeugdige)));
        }
        for l in client
            .leveringen
            .into_iter()
            .filter(|l| l.removed_by.is_none())
        {
            let known = KnownDelivery {
                bsn: bsn.to_owned(),
                toewijzing_nummer: Some(l.toewijzing_nummer),
                categorie: l.product_categorie,
                code: l.product_code,
                begindatum: l.begindatum,
                reden_beeindiging: l.reden_beeindiging,
                einddatum: l.einddatum,
            };
            if l.soort == "start" {
                history.starts.push(known);
            } else {
                history.stops.push(known);
            }
        }
        Ok((history, casussen))
    }

    /// An allocation of ours as the rules across messages know it: the JW301
    /// that carried it had one unit (82) in total (frequency 6) and no budget.
    fn known_allocation(&self, bsn: &str, t: &Toewijzing) -> KnownAllocation {
        KnownAllocation {
            bsn: bsn.to_owned(),
            toewijzing_nummer: t.nummer,
            categorie: self
                .catalogue()
                .categorie_van(&t.productcode)
                .as_str()
                .to_owned(),
            code: Some(t.productcode.as_str().to_owned()),
            eenheid: Some("82".to_owned()),
            volume: Some(1),
            frequentie: Some("6".to_owned()),
            budget: None,
            ingangsdatum: t.start_date,
            einddatum: Some(t.end_date),
            reden_wijziging: t.reden_wijziging.clone(),
        }
    }

    /// Applies a message that passed every check.
    async fn pas_toe(
        &self,
        tx: &mut Tx,
        ontvangst: Ontvangst<'_>,
        bericht: &Bericht,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let (inbox_id, gemeente) = (ontvangst.inbox_id, ontvangst.receiver);
        if matches!(bericht, Bericht::Jw315(_) | Bericht::Jw317(_)) {
            return self.verzoek_opslaan(tx, ontvangst, bericht, now).await;
        }
        let leveringen: Vec<(Levering, StatusAanlevering)> = match bericht {
            Bericht::Jw305(b) => b
                .client
                .start_producten
                .start_product
                .iter()
                .filter_map(|p| start(p, gemeente, inbox_id))
                .collect(),
            Bericht::Jw307(b) => b
                .client
                .stop_producten
                .stop_product
                .iter()
                .filter_map(|p| stop(p, gemeente, inbox_id))
                .collect(),
            _ => Vec::new(),
        };
        for (levering, status) in leveringen {
            if status == StatusAanlevering::VerwijderenAanlevering {
                let earlier = tx
                    .leveringen(gemeente, levering.toewijzing_nummer)
                    .await?
                    .into_iter()
                    .find(|l| {
                        l.removed_by.is_none()
                            && l.soort == levering.soort
                            && l.begindatum == levering.begindatum
                            && l.einddatum == levering.einddatum
                            && l.product_code == levering.product_code
                    });
                if let Some(earlier) = earlier {
                    tx.remove_levering(earlier.id, inbox_id).await?;
                }
            } else {
                tx.insert_levering(&levering, now).await?;
            }
        }
        Ok(())
    }

    /// The answer to a request, for the outbox: its retour, or for a JW323 its
    /// JW325; with the answer itself.
    fn beantwoord(
        &self,
        ontvangst: Ontvangst<'_>,
        bericht: &Bericht,
        findings: &[Finding],
        casus: Option<(i64, i64)>,
        now: DateTime<Utc>,
    ) -> Result<(OutgoingMessage, Bericht), AppError> {
        let inbox_id = ontvangst.inbox_id;
        let identificatie = retour_identificatie(inbox_id);
        let retour = ijw::retour(
            bericht,
            findings,
            ijw::RetourId {
                identificatie: &identificatie,
                dagtekening: amsterdam_today(now),
            },
        )
        .map_err(|e| anyhow::anyhow!("retour op inbox {inbox_id}: {e}"))?;
        let uitgaand = OutgoingMessage {
            berichtsoort: retour.soort().name().to_owned(),
            sender: ontvangst.receiver.to_owned(),
            receiver: ontvangst.sender.to_owned(),
            casus_id: casus.map(|(id, _)| id),
            body: ijw::encode(&retour),
            identificatie: Some(identificatie),
            answers_id: Some(inbox_id),
        };
        Ok((uitgaand, retour))
    }
}

/// What one batch keeps while it runs: what its receivers are (asked once per
/// receiver), the Identificaties its messages used, and the messages it
/// processed, whose answers, closings and audit records it writes together
/// before it commits — three statements for the batch, not three per message.
#[derive(Debug, Default)]
struct Partij {
    soorten: Vec<(String, Option<Partijsoort>)>,
    gebruikt: Vec<Identiteit>,
    verwerkt: Vec<Verwerkt>,
}

/// A message's sender, type and Identificatie, as its header said at receipt:
/// one used by a message judged earlier in the batch is used (TR056), though
/// that message is closed only with the batch.
#[derive(Debug, PartialEq, Eq)]
struct Identiteit(Option<String>, Option<String>, Option<String>);

impl Identiteit {
    fn van(message: &Incoming) -> Identiteit {
        Identiteit(
            message.sender.clone(),
            message.berichtsoort.clone(),
            message.identificatie.clone(),
        )
    }
}

/// The answer a message gets in the outbox.
#[derive(Debug)]
enum Antwoord {
    /// None: a message that could not be read, or a retour on one of ours.
    Geen,
    /// Already there: a JW325 (the declaration refers to it), an answer sent again.
    Verstuurd(i64),
    /// Written with the batch's other answers when the batch closes.
    Wacht(OutgoingMessage),
}

/// One processed message, to be closed with the batch.
#[derive(Debug)]
struct Verwerkt {
    inbox_id: i64,
    at: DateTime<Utc>,
    receiver: Option<String>,
    state: &'static str,
    reden: Option<String>,
    findings: Option<String>,
    antwoord: Antwoord,
    casus: Option<(i64, i64)>,
}

impl Partij {
    async fn soort(&mut self, tx: &mut Tx, code: &str) -> Result<Option<Partijsoort>, AppError> {
        if let Some((_, soort)) = self.soorten.iter().find(|(known, _)| known == code) {
            return Ok(*soort);
        }
        let soort = tx.partij(code).await?;
        self.soorten.push((code.to_owned(), soort));
        Ok(soort)
    }

    /// Writes the answers of the messages the batch processed, closes each with
    /// its outcome and writes their audit records, in order.
    async fn sluit(self, tx: &mut Tx) -> Result<(), AppError> {
        let wachtend: Vec<(&OutgoingMessage, DateTime<Utc>)> = self
            .verwerkt
            .iter()
            .filter_map(|v| match &v.antwoord {
                Antwoord::Wacht(uitgaand) => Some((uitgaand, v.at)),
                _ => None,
            })
            .collect();
        let mut ids = tx.enqueue_answers(&wachtend).await?.into_iter();
        let closings: Vec<Closing<'_>> = self
            .verwerkt
            .iter()
            .map(|v| Closing {
                id: v.inbox_id,
                outcome: Outcome {
                    state: v.state,
                    reason: v.reden.as_deref(),
                    findings: v.findings.as_deref(),
                    retour_id: match v.antwoord {
                        Antwoord::Geen => None,
                        Antwoord::Verstuurd(id) => Some(id),
                        Antwoord::Wacht(_) => ids.next(),
                    },
                    casus_id: v.casus.map(|(casus, _)| casus),
                },
                at: v.at,
            })
            .collect();
        tx.finish_incoming(&closings).await?;
        let records: Vec<NewAuditRecord<'_>> = self
            .verwerkt
            .iter()
            .map(|v| NewAuditRecord {
                occurred_at: v.at,
                actor: SYSTEEM,
                role: None,
                on_behalf_of: v.receiver.as_deref(),
                event: "bericht.verwerken",
                jeugdige_id: v.casus.map(|(_, jeugdige)| jeugdige),
                casus_id: v.casus.map(|(casus, _)| casus),
                purpose: "iJw-berichtenverkeer",
                outcome: v.state,
                source: None,
                jeugdigen: &[],
            })
            .collect();
        tx.append_audits(&records).await?;
        Ok(())
    }
}

/// A received message by its number, who sent it and to whom (for a retour:
/// who sends the retour, and the sender of the message it answers).
#[derive(Debug, Clone, Copy)]
struct Ontvangst<'a> {
    inbox_id: i64,
    sender: &'a str,
    receiver: &'a str,
    /// The receiver is a provider hosted here: the provider's side applies.
    aanbieder: bool,
}

/// Rule: iJw §8.2 — a class without remark has retour code 0200.
const GEEN_OPMERKING: &str = "0200";

/// The message a retour answers (a JW302 answers a JW301, …).
fn request_of(retour: Berichtsoort) -> Option<Berichtsoort> {
    Berichtsoort::ALL
        .into_iter()
        .filter(|_| retour != Berichtsoort::Jw325)
        .find(|s| ijw::answer_to(*s) == Some(retour))
}

/// Every RetourCode in a message, in document order.
pub(super) fn retourcodes(body: &[u8]) -> Vec<String> {
    fn walk(e: &ijw::xml::Element, codes: &mut Vec<String>) {
        if e.name == "RetourCode" {
            codes.push(e.text.trim().to_owned());
        }
        for child in &e.children {
            walk(child, codes);
        }
    }
    let mut codes = Vec::new();
    if let Ok(root) = ijw::xml::read(body) {
        walk(&root, &mut codes);
    }
    codes
}

/// The allocation a start or stop is about (that of its first product).
fn toewijzing_nummer(bericht: &Bericht) -> Option<i64> {
    match bericht {
        Bericht::Jw305(b) => b
            .client
            .start_producten
            .start_product
            .iter()
            .find_map(|p| p.toewijzing_nummer),
        Bericht::Jw307(b) => b
            .client
            .stop_producten
            .stop_product
            .iter()
            .find_map(|p| p.toewijzing_nummer),
        _ => None,
    }
}

/// The BSN of the one client a request is about.
fn client_bsn(bericht: &Bericht) -> Option<&str> {
    Some(match bericht {
        Bericht::Jw301(b) => &b.client.bsn,
        Bericht::Jw305(b) => &b.client.bsn,
        Bericht::Jw307(b) => &b.client.bsn,
        Bericht::Jw315(b) => &b.client.bsn,
        Bericht::Jw317(b) => &b.client.bsn,
        _ => return None,
    })
}

/// Rule: iJw OP179 — a message is at most 25 MB.
fn binnen_grens(bytes: &[u8]) -> Result<(), AppError> {
    if bytes.len() > ijw::xml::MAX_INPUT_BYTES {
        return Err(AppError::Invalid(
            "bericht: groter dan 25 MB (iJw-regel OP179)".into(),
        ));
    }
    Ok(())
}

/// Keeps bytes in the inbox with what their header says.
pub(super) async fn receive(
    tx: &mut Tx,
    kanaal: Kanaal,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let kop = ijw::kop(bytes);
    let kop = kop.as_ref();
    fn bounded(value: Option<&str>, max: usize) -> Option<&str> {
        value.filter(|v| v.len() <= max)
    }
    Ok(tx
        .receive(
            &NewIncoming {
                channel: kanaal.key(),
                body: bytes,
                digest: &digest(bytes),
                berichtsoort: kop.map(|k| k.soort.name()),
                sender: bounded(kop.and_then(ijw::Kop::van), 8),
                receiver: bounded(kop.and_then(ijw::Kop::aan), 8),
                identificatie: bounded(kop.and_then(|k| k.identificatie.as_deref()), 12),
            },
            now,
        )
        .await?)
}

/// The outcome of judging one message.
struct Beoordeeld {
    state: &'static str,
    reden: Option<String>,
    bevindingen: Vec<Bevinding>,
    antwoord: Antwoord,
    /// The case and youth it concerns, when known here.
    casus: Option<(i64, i64)>,
}

impl Beoordeeld {
    fn onleesbaar(reden: String, bevindingen: Vec<Bevinding>) -> Beoordeeld {
        Beoordeeld {
            state: "onleesbaar",
            reden: Some(reden),
            bevindingen,
            antwoord: Antwoord::Geen,
            casus: None,
        }
    }
}

/// Rule: iJw TR056 — the Identificatie of our retour is unique per sender and
/// message type: the number of the message it answers makes it so (12 positions).
fn retour_identificatie(inbox_id: i64) -> String {
    format!("R{inbox_id:011}")
}

fn start(
    p: &jw305::StartProduct,
    gemeente: &str,
    inbox_id: i64,
) -> Option<(Levering, StatusAanlevering)> {
    Some((
        Levering {
            id: 0,
            gemeente_code: gemeente.to_owned(),
            toewijzing_nummer: p.toewijzing_nummer?,
            soort: "start".into(),
            begindatum: p.begindatum,
            einddatum: None,
            reden_beeindiging: None,
            product_categorie: p.product.as_ref().map(|x| x.categorie.code().to_owned()),
            product_code: p.product.as_ref().and_then(|x| x.code.clone()),
            inbox_id,
            removed_by: None,
        },
        p.status_aanlevering,
    ))
}

fn stop(
    p: &jw307::StopProduct,
    gemeente: &str,
    inbox_id: i64,
) -> Option<(Levering, StatusAanlevering)> {
    Some((
        Levering {
            id: 0,
            gemeente_code: gemeente.to_owned(),
            toewijzing_nummer: p.toewijzing_nummer?,
            soort: "stop".into(),
            begindatum: p.begindatum,
            einddatum: Some(p.einddatum),
            reden_beeindiging: Some(p.reden_beeindiging.code().to_owned()),
            product_categorie: p.product.as_ref().map(|x| x.categorie.code().to_owned()),
            product_code: p.product.as_ref().and_then(|x| x.code.clone()),
            inbox_id,
            removed_by: None,
        },
        p.status_aanlevering,
    ))
}
