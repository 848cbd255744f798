//! Messages across the edge of this installation (issue 13, transport): files
//! read into the inbox, outgoing messages to parties that are not kept here
//! written to a folder — as they are, or wrapped in the StUF-GGk envelope for the
//! gemeente's link to the Gemeentelijk Gegevensknooppunt — and the envelopes and
//! routing errors (`Fo01`) the knooppunt leaves in an incoming folder.
//!
//! A message is marked sent in the transaction that holds it, after its file is
//! durable (written beside, flushed, renamed, the folder flushed): a crash before
//! the commit writes the same file again, never loses one. A GGk envelope gets its
//! referentienummer in a transaction of its own before it is written, so a file
//! written again carries the same number and the knooppunt can recognise it.

use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};
use ijw::Berichtsoort;
use ijw::envelop::{self, Envelop, Foutplek, Partij, Versie, Verzending};
use jeugdroute_domain::amsterdam;
use jeugdroute_store::{Export, NewGgkFout, Tx, Uitweg};
use serde::Serialize;

use super::{Kanaal, binnen_grens, digest, receive};
use crate::{App, AppError};

/// How many outgoing messages one transaction writes.
const PARTIJ: i64 = 200;

/// The most routing errors one page lists.
const MAX_PAGINA: i64 = 500;

/// The longest description of a routing error kept.
const MAX_OMSCHRIJVING: usize = 2000;

/// What an export wrote, and what it left for another way out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Uitvoer {
    /// Files written, each message marked sent.
    pub geschreven: usize,
    /// Messages left in the outbox, each with why (in Dutch).
    pub overgeslagen: Vec<String>,
}

/// What became of one file read from the GGk's incoming folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum GgkUitkomst {
    /// A `Di01` or `Du01`: its message is in the inbox under this number.
    Bericht(i64),
    /// A `Fo01`: kept as a routing error (with the number of our message it
    /// concerns, when its crossRefnummer is ours).
    Fout(Option<i64>),
    /// This envelope (or this `Fo01`) was read before: nothing new.
    AlGelezen,
    /// Not an envelope that can be read; why, in Dutch.
    Onleesbaar(String),
}

/// A routing error of the knooppunt on one of our envelopes, for the message desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Routeringsfout {
    pub id: i64,
    /// The knooppunt's code, e.g. `IB010`.
    pub code: String,
    /// What the code means, in plain Dutch, for the codes the reference names.
    pub betekenis: Option<&'static str>,
    /// Whose side the knooppunt blames: `client` (ours) or `server`.
    pub plek: String,
    /// The knooppunt's own description, and its details when given.
    pub omschrijving: String,
    pub details: Option<String>,
    pub ontvangen: DateTime<Utc>,
    /// Our message it concerns, when its envelope is ours.
    pub bericht: Option<GgkBericht>,
}

/// The outgoing message a routing error concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GgkBericht {
    pub outbox_id: i64,
    pub berichtsoort: Option<String>,
    pub identificatie: Option<String>,
    pub afzender: Option<String>,
    pub ontvanger: Option<String>,
}

/// The version of this application as the envelope states it (major, minor).
fn applicatieversie() -> Versie {
    let mut parts = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse::<u16>().unwrap_or(0));
    Versie {
        versie: parts.next().unwrap_or(0),
        subversie: parts.next().unwrap_or(0),
    }
}

/// A fresh UUID version 4 in lower case (RFC 9562 §5.4).
fn uuid_v4() -> Result<String, AppError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    ))
}

/// The file name of an outgoing message: its type, sender and Identificatie
/// (which together are unique, TR056), in characters every file system takes.
fn bestandsnaam(m: &Export) -> String {
    let identificatie = m
        .identificatie
        .clone()
        .unwrap_or_else(|| format!("uit{}", m.id));
    let veilig = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "{}_{}_{}.xml",
        veilig(&m.berichtsoort),
        veilig(&m.sender),
        veilig(&identificatie)
    )
}

/// Writes `bytes` to `map/naam` whole or not at all: beside it first, flushed to
/// disk, then renamed over it.
fn schrijf(map: &Path, naam: &str, bytes: &[u8]) -> Result<(), AppError> {
    let doel = map.join(naam);
    let tijdelijk = map.join(format!(".{naam}.tmp"));
    let gelukt = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tijdelijk)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tijdelijk, &doel)
    })();
    gelukt.map_err(|e| anyhow::anyhow!("{} schrijven: {e}", doel.display()).into())
}

/// Flushes the folder itself, so the renamed files survive a crash.
fn map_vastleggen(map: &Path) -> Result<(), AppError> {
    std::fs::File::open(map)
        .and_then(|d| d.sync_all())
        .map_err(|e| anyhow::anyhow!("map {} vastleggen: {e}", map.display()).into())
}

/// How an outgoing message travels to the GGk, or why it cannot.
enum Envelopsoort<'a> {
    /// A request: a `Di01`.
    Heen(Berichtsoort),
    /// An answer: a `Du01` naming the `Di01` it answers.
    Retour(Berichtsoort, &'a str),
}

fn envelopsoort(m: &Export) -> Result<Envelopsoort<'_>, String> {
    let wat = format!(
        "{} {} aan {}",
        m.berichtsoort,
        m.identificatie.as_deref().unwrap_or("zonder identificatie"),
        m.receiver
    );
    let soort: Berichtsoort = m
        .berichtsoort
        .parse()
        .map_err(|_| format!("{wat}: geen iJw 3.2-bericht"))?;
    if ijw::answer_to(soort).is_some() {
        return Ok(Envelopsoort::Heen(soort));
    }
    // Rule: StUF-GGk — a Du01 answers a Di01 and names it (crossRefnummer).
    match m.ggk_cross_refnummer.as_deref() {
        Some(cross) => Ok(Envelopsoort::Retour(soort, cross)),
        None => Err(format!(
            "{wat}: het bericht waarop dit antwoordt kwam niet via het GGk binnen, \
             dus er is geen envelop om op te antwoorden"
        )),
    }
}

impl App {
    /// Keeps several messages that came in at once, all or none; refuses the
    /// whole set when one exceeds the standard's size. Gives their numbers.
    pub async fn berichten_importeren(
        &self,
        kanaal: Kanaal,
        berichten: &[Vec<u8>],
    ) -> Result<Vec<i64>, AppError> {
        for bytes in berichten {
            binnen_grens(bytes)?;
        }
        let mut tx = self.store().begin().await?;
        let now = self.now();
        let mut ids = Vec::with_capacity(berichten.len());
        for bytes in berichten {
            ids.push(receive(&mut tx, kanaal, bytes, now).await?);
        }
        tx.commit().await?;
        self.wekker.wek();
        Ok(ids)
    }

    /// Writes every unsent message to a party outside this installation into
    /// `map` and marks it sent: as it is ([`Uitweg::Map`]), or for the GGk in its
    /// StUF-GGk envelope ([`Uitweg::Ggk`]: only what a gemeente of this
    /// installation sends; an answer whose request did not come through the GGk
    /// is left for another way out).
    pub async fn berichten_exporteren(
        &self,
        uitweg: Uitweg,
        map: &Path,
    ) -> Result<Uitvoer, AppError> {
        let mut uitvoer = Uitvoer::default();
        let mut after = 0;
        loop {
            let batch = match uitweg {
                Uitweg::Map => self.exporteer_map(map, after, &mut uitvoer).await?,
                Uitweg::Ggk => self.exporteer_ggk(map, after, &mut uitvoer).await?,
            };
            match batch {
                Some(last) => after = last,
                None => return Ok(uitvoer),
            }
        }
    }

    /// One batch to a folder as they are; the last id looked at, `None` when
    /// there was nothing.
    async fn exporteer_map(
        &self,
        map: &Path,
        after: i64,
        uitvoer: &mut Uitvoer,
    ) -> Result<Option<i64>, AppError> {
        let mut tx = self.store().begin().await?;
        let berichten = tx
            .claim_external_outbox(Uitweg::Map, after, i64::MAX, PARTIJ)
            .await?;
        let Some(last) = berichten.last().map(|m| m.id) else {
            return Ok(None);
        };
        for m in &berichten {
            schrijf(map, &bestandsnaam(m), m.body.as_bytes())?;
        }
        self.verzonden(tx, map, &berichten).await?;
        uitvoer.geschreven += berichten.len();
        Ok(Some(last))
    }

    /// Marks written messages sent, once their folder is durable, and commits.
    async fn verzonden(
        &self,
        mut tx: Tx,
        map: &Path,
        berichten: &[Export],
    ) -> Result<(), AppError> {
        map_vastleggen(map)?;
        let now = self.now();
        for m in berichten {
            tx.mark_outbox_sent(m.id, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One batch to the GGk: first every message that can go gets its
    /// referentienummer (committed), then the envelopes are written and the
    /// messages marked sent.
    async fn exporteer_ggk(
        &self,
        map: &Path,
        after: i64,
        uitvoer: &mut Uitvoer,
    ) -> Result<Option<i64>, AppError> {
        let mut tx = self.store().begin().await?;
        let berichten = tx
            .claim_external_outbox(Uitweg::Ggk, after, i64::MAX, PARTIJ)
            .await?;
        let Some(last) = berichten.last().map(|m| m.id) else {
            return Ok(None);
        };
        for m in &berichten {
            match envelopsoort(m) {
                Ok(_) if m.ggk_referentienummer.is_none() => {
                    tx.set_ggk_referentienummer(m.id, &uuid_v4()?).await?;
                }
                Ok(_) => {}
                Err(reden) => uitvoer.overgeslagen.push(reden),
            }
        }
        tx.commit().await?;

        let mut tx = self.store().begin().await?;
        let berichten = tx
            .claim_external_outbox(Uitweg::Ggk, after, last, PARTIJ)
            .await?;
        let tijdstip = amsterdam(self.now()).naive_local();
        let mut geschreven = Vec::with_capacity(berichten.len());
        for m in berichten {
            let (Ok(soort), Some(referentienummer)) =
                (envelopsoort(&m), m.ggk_referentienummer.as_deref())
            else {
                continue;
            };
            let zender = Partij {
                organisatie: m.sender.clone(),
                applicatie: "Jeugdroute".into(),
                ..Partij::default()
            };
            let ontvanger = Partij {
                organisatie: m.receiver.clone(),
                applicatie: "GGk".into(),
                ..Partij::default()
            };
            let verzending = |functie| Verzending {
                functie,
                zender: &zender,
                ontvanger: &ontvanger,
                applicatieversie: applicatieversie(),
                referentienummer,
                tijdstip,
            };
            let envelop = match soort {
                Envelopsoort::Heen(functie) => {
                    envelop::heenbericht(m.body.as_bytes(), &verzending(functie))
                }
                Envelopsoort::Retour(functie, cross) => {
                    envelop::retourbericht(m.body.as_bytes(), &verzending(functie), cross)
                }
            };
            match envelop {
                Ok(envelop) => {
                    schrijf(map, &bestandsnaam(&m), envelop.as_bytes())?;
                    geschreven.push(m);
                }
                Err(e) => {
                    tracing::error!(outbox = m.id, error = %e, "no GGk envelope for an outgoing message");
                    uitvoer.overgeslagen.push(format!(
                        "{} {} aan {}: geen envelop mogelijk: {e}",
                        m.berichtsoort,
                        m.identificatie.as_deref().unwrap_or("zonder identificatie"),
                        m.receiver
                    ));
                }
            }
        }
        self.verzonden(tx, map, &geschreven).await?;
        uitvoer.geschreven += geschreven.len();
        Ok(Some(last))
    }

    /// Reads the files of the GGk's incoming folder, in one transaction: the
    /// message of a `Di01` or `Du01` into the inbox (its referentienummer kept, so
    /// our answer names it and the same envelope is read once), a `Fo01` kept as
    /// a routing error with the message it concerns. Gives an outcome per file,
    /// in the order given.
    pub async fn ggk_importeren(
        &self,
        bestanden: &[Vec<u8>],
    ) -> Result<Vec<GgkUitkomst>, AppError> {
        let mut tx = self.store().begin().await?;
        let now = self.now();
        let mut uitkomsten = Vec::with_capacity(bestanden.len());
        for bytes in bestanden {
            uitkomsten.push(ggk_bestand(&mut tx, bytes, now).await?);
        }
        tx.commit().await?;
        self.wekker.wek();
        Ok(uitkomsten)
    }

    /// The knooppunt's routing errors, newest first, at most `limit` (up to 500),
    /// before id `voor`: those on messages the gemeenten given sent, or all
    /// (`None`, for the beheerder). The caller decides who may see them.
    pub async fn ggk_fouten(
        &self,
        gemeenten: Option<&[String]>,
        voor: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Routeringsfout>, AppError> {
        let mut tx = self.store().begin_read().await?;
        let fouten = tx
            .ggk_fouten(gemeenten, voor, limit.clamp(1, MAX_PAGINA))
            .await?;
        Ok(fouten
            .into_iter()
            .map(|f| Routeringsfout {
                id: f.id,
                betekenis: envelop::betekenis(&f.code),
                code: f.code,
                plek: f.plek,
                omschrijving: f.omschrijving,
                details: f.details,
                ontvangen: f.received_at,
                bericht: f.outbox_id.map(|outbox_id| GgkBericht {
                    outbox_id,
                    berichtsoort: f.berichtsoort,
                    identificatie: f.identificatie,
                    afzender: f.sender,
                    ontvanger: f.receiver,
                }),
            })
            .collect())
    }
}

/// A text of the knooppunt, cut to what we keep.
fn ingekort(text: &str) -> String {
    text.chars().take(MAX_OMSCHRIJVING).collect()
}

/// One file of the GGk's incoming folder.
async fn ggk_bestand(
    tx: &mut Tx,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<GgkUitkomst, AppError> {
    let envelop = match envelop::lees(bytes) {
        Ok(envelop) => envelop,
        Err(e) => return Ok(GgkUitkomst::Onleesbaar(e.to_string())),
    };
    match envelop {
        Envelop::Di01(e) | Envelop::Du01(e) => {
            let inhoud = e.inhoud.bytes();
            if let Err(AppError::Invalid(reden)) = binnen_grens(inhoud) {
                return Ok(GgkUitkomst::Onleesbaar(reden));
            }
            if e.referentienummer.chars().count() > 40 {
                return Ok(GgkUitkomst::Onleesbaar(
                    "stuurgegevens/referentienummer: langer dan 40 tekens".into(),
                ));
            }
            if tx.ggk_envelop_read(&e.referentienummer).await? {
                return Ok(GgkUitkomst::AlGelezen);
            }
            let id = receive(tx, Kanaal::Ggk, inhoud, now).await?;
            tx.keep_ggk_referentienummer(id, &e.referentienummer)
                .await?;
            Ok(GgkUitkomst::Bericht(id))
        }
        Envelop::Fo01(f) => {
            if f.referentienummer.chars().count() > 40 || f.cross_refnummer.chars().count() > 40 {
                return Ok(GgkUitkomst::Onleesbaar(
                    "stuurgegevens: een referentienummer is langer dan 40 tekens".into(),
                ));
            }
            let omschrijving = ingekort(&f.omschrijving);
            let details = f.details.as_deref().map(ingekort);
            let kept = tx
                .insert_ggk_fout(
                    &NewGgkFout {
                        digest: &digest(bytes),
                        referentienummer: &f.referentienummer,
                        cross_refnummer: &f.cross_refnummer,
                        code: &f.code,
                        plek: match f.plek {
                            Foutplek::Client => "client",
                            Foutplek::Server => "server",
                        },
                        omschrijving: &omschrijving,
                        details: details.as_deref(),
                    },
                    now,
                )
                .await?;
            Ok(match kept {
                Some((_, outbox_id)) => GgkUitkomst::Fout(outbox_id),
                None => GgkUitkomst::AlGelezen,
            })
        }
    }
}
