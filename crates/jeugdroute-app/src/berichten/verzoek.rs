//! A provider's requests, as the gemeente handles them (iJw 3.2 §3.4, §3.5): a
//! verzoek om toewijzing (JW315) or om wijziging (JW317) that passed every check
//! is stored and waits on the worker's list "Verzoeken" with its deadline; a
//! worker of that gemeente answers it whole — honoured by JW301s that carry the
//! provider's ReferentieAanbieder, or a JW319: rejected with a reason, or
//! "aanvraag in onderzoek" once (the deadline becomes eight weeks).

use chrono::{DateTime, NaiveDate, Utc};
use ijw::types::codes::{RedenAfwijzingVerzoek, VerzoekAntwoord as Antwoordcode};
use ijw::types::{basis, jw315, jw317, jw319};
use ijw::{Bericht, Berichtsoort, History, KnownRequest};
use jeugdroute_domain::{
    Bsn, Fase, Gemeentecode, Geslacht, Gezin, Jeugdige, Kader, Melding, Productcode,
    REDEN_OP_VERZOEK_AANBIEDER, Termijnstand, Urgentie, Verwijzer, amsterdam_today,
    verzoek_deadline,
};
use jeugdroute_store::{
    NewAuditRecord, NewCasus, NieuwVerzoek, OutgoingMessage, Toewijzing, Tx, Verzoek,
    VerzoekAfgehandeld, VerzoekAntwoord, VerzoekProduct,
};
use serde::Deserialize;

use super::Ontvangst;
use crate::access::{Actor, UseCase, covers};
use crate::casus::{Check, over_casus, postcode, record};
use crate::grenzen;
use crate::route::{eerste_identificatie, internal};
use crate::wijziging::NieuweVersie;
use crate::{App, AppError, CasusView, FieldError};

/// The most requests one page of the list shows.
pub const VERZOEKEN_PAGE_SIZE: i64 = 50;

/// A request with its products and the answers sent on it, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerzoekView {
    pub verzoek: Verzoek,
    pub producten: Vec<VerzoekProduct>,
    pub antwoorden: Vec<VerzoekAntwoord>,
    /// The woonplaatsbeginsel, as far as the worker may see: the gemeenten, of
    /// those the worker works for, where the youth of this BSN is registered.
    /// Only the request's own gemeente: it is known here. Only others: the
    /// request may belong to one of them (reason 8). None: a new youth.
    pub bekend_in: Vec<Gemeentecode>,
}

/// The worker's answer as a form or the JSON API hands it in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VerzoekBeantwoorden {
    /// `toewijzen`, `afwijzen` or `in_onderzoek`.
    pub antwoord: String,
    /// RedenAfwijzingVerzoek (1–9), when rejecting; `reden_afwijzing` in a
    /// form or JSON body (`reden` is a free-text reason elsewhere).
    #[serde(rename = "reden_afwijzing")]
    pub reden: String,
    /// CBS code of the gemeente that is responsible, with reason 8 (woonplaatsbeginsel).
    pub gemeente: String,
    /// The youth's address, when honouring a request for a youth this gemeente
    /// does not know yet (the request carries none).
    pub straat: String,
    pub huisnummer: String,
    pub postcode: String,
    pub woonplaats: String,
}

/// A checked answer.
pub(crate) enum Antwoord {
    Toewijzen(Option<Gezin>),
    Afwijzen {
        reden: RedenAfwijzingVerzoek,
        gemeente: Option<Gemeentecode>,
    },
    InOnderzoek,
}

const WAITING: [&str; 2] = ["open", "in_onderzoek"];

/// The youth and the references of an incoming request (JW315, JW317): what its
/// rules across messages look up; `None` for any other message.
pub(super) fn sleutels(bericht: &Bericht) -> Option<(&str, Vec<&str>)> {
    match bericht {
        Bericht::Jw315(b) => Some((
            b.client.bsn.as_str(),
            b.client
                .aangevraagde_producten
                .aangevraagd_product
                .iter()
                .map(|p| p.referentie_aanbieder.as_str())
                .collect(),
        )),
        Bericht::Jw317(b) => Some((
            b.client.bsn.as_str(),
            vec![b.client.verzoek.referentie_aanbieder.as_str()],
        )),
        _ => None,
    }
}

/// Whether the worker may see and answer requests to `gemeente`: an access
/// worker of that gemeente (a request is never in a GI's forced framework).
fn sees(actor: &Actor, gemeente: &str) -> bool {
    Gemeentecode::parse(gemeente).is_ok_and(|g| covers(&actor.user, &g, &Kader::Vrijwillig))
}

impl App {
    /// Stores a request that passed every check, with its deadline.
    pub(super) async fn verzoek_opslaan(
        &self,
        tx: &mut Tx,
        ontvangst: Ontvangst<'_>,
        bericht: &Bericht,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let received_on = amsterdam_today(now);
        let mut verzoek = NieuwVerzoek {
            inbox_id: ontvangst.inbox_id,
            soort: bericht.soort().name().to_owned(),
            gemeente: ontvangst.receiver.to_owned(),
            aanbieder: ontvangst.sender.to_owned(),
            bsn: String::new(),
            geslachtsnaam: None,
            voornamen: None,
            geboortedatum: None,
            geslacht: None,
            referentie_aanbieder: None,
            reden_verzoek: None,
            commentaar: None,
            received_on,
            deadline: verzoek_deadline(received_on, false),
            created_at: now,
            producten: Vec::new(),
        };
        match bericht {
            Bericht::Jw315(b) => vot(&mut verzoek, b),
            Bericht::Jw317(b) => vow(&mut verzoek, b),
            _ => return Ok(()),
        }
        tx.insert_verzoek(&verzoek).await?;
        Ok(())
    }

    /// The provider's requests that the rules on a request or an answer about
    /// the youth with `bsn` using `referenties` look at: that youth's and those
    /// with one of these references, with their answers.
    pub(super) async fn verzoek_history(
        &self,
        tx: &mut Tx,
        (gemeente, aanbieder): (&str, &str),
        (bsn, referenties): (&str, &[&str]),
        history: &mut History,
    ) -> Result<(), AppError> {
        for r in tx
            .verzoek_referenties(gemeente, aanbieder, bsn, referenties)
            .await?
        {
            history.requests.push(KnownRequest {
                bsn: r.bsn,
                referentie_aanbieder: r.referentie_aanbieder,
                toegewezen: r.state == "toegewezen",
                antwoorden: r.antwoorden,
            });
        }
        Ok(())
    }

    /// The requests to the worker's gemeenten, newest first, a page at a time
    /// (`before`: the last id of the previous page); only those still waiting
    /// when `waiting`. The list is audit-logged.
    pub async fn verzoeken(
        &self,
        actor: &Actor,
        waiting: bool,
        before: Option<i64>,
    ) -> Result<Vec<Verzoek>, AppError> {
        self.require(actor, UseCase::Verzoeken, "verzoek.lijst")
            .await?;
        let gemeenten: Vec<String> = actor
            .user
            .gemeenten
            .iter()
            .filter(|g| covers(&actor.user, g, &Kader::Vrijwillig))
            .map(|g| g.as_str().to_owned())
            .collect();
        let mut tx = self.store().begin().await?;
        let list = tx
            .verzoeken(&gemeenten, waiting, before, VERZOEKEN_PAGE_SIZE)
            .await?;
        let namens = gemeenten.join(",");
        tx.append_audit(&NewAuditRecord {
            on_behalf_of: (!namens.is_empty()).then_some(namens.as_str()),
            ..record(
                actor,
                "verzoek.lijst",
                "verzoeken beantwoorden",
                "gelukt",
                self.now(),
            )
        })
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    /// One request of the worker's gemeenten, audit-logged; another gemeente's
    /// request is not found (and the refusal logged).
    pub async fn verzoek(&self, actor: &Actor, id: i64) -> Result<VerzoekView, AppError> {
        self.require(actor, UseCase::Verzoeken, "verzoek.bekijken")
            .await?;
        let (mut tx, verzoek) = self.verzoek_in_scope(actor, id, "verzoek.bekijken").await?;
        let view = VerzoekView {
            producten: tx.verzoek_producten(id).await?,
            antwoorden: tx.verzoek_antwoorden(id).await?,
            bekend_in: bekend_in(&mut tx, actor, &verzoek.bsn).await?,
            verzoek,
        };
        tx.append_audit(&verzoek_record(
            actor,
            &view.verzoek,
            "verzoek.bekijken",
            "gelukt",
            self.now(),
        ))
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Answers a request whole, as the worker's form asks: honoured (a JW301 per
    /// product, the youth and a case made known when new), rejected or "in
    /// onderzoek" (a JW319 per ReferentieAanbieder). All in one transaction,
    /// audit-logged; a refusal is logged too.
    pub async fn verzoek_beantwoorden(
        &self,
        actor: &Actor,
        id: i64,
        invoer: &VerzoekBeantwoorden,
    ) -> Result<Verzoek, AppError> {
        const EVENT: &str = "verzoek.beantwoorden";
        self.require(actor, UseCase::Verzoeken, EVENT).await?;
        let now = self.now();
        let (mut tx, verzoek) = self.verzoek_in_scope(actor, id, EVENT).await?;
        let result = self
            .beantwoord_verzoek(&mut tx, actor, &verzoek, invoer, now)
            .await;
        match result {
            Ok(outcome) => {
                tx.append_audit(&NewAuditRecord {
                    casus_id: outcome.casus_id,
                    ..verzoek_record(actor, &outcome, EVENT, "gelukt", now)
                })
                .await?;
                tx.commit().await?;
                Ok(outcome)
            }
            Err(e) => {
                drop(tx);
                let mut log = self.store().begin().await?;
                log.append_audit(&verzoek_record(actor, &verzoek, EVENT, "afgewezen", now))
                    .await?;
                log.commit().await?;
                Err(e)
            }
        }
    }

    /// A transaction with the request, when it is one of the worker's
    /// gemeenten; otherwise the refusal is logged and it is not found.
    async fn verzoek_in_scope(
        &self,
        actor: &Actor,
        id: i64,
        event: &str,
    ) -> Result<(Tx, Verzoek), AppError> {
        let mut tx = self.store().begin().await?;
        match tx.verzoek(id).await? {
            Some(v) if sees(actor, &v.gemeente_code) => Ok((tx, v)),
            _ => {
                tx.append_audit(&record(
                    actor,
                    event,
                    "toegang geweigerd",
                    "geweigerd",
                    self.now(),
                ))
                .await?;
                tx.commit().await?;
                Err(AppError::NotFound)
            }
        }
    }

    async fn beantwoord_verzoek(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        verzoek: &Verzoek,
        invoer: &VerzoekBeantwoorden,
        now: DateTime<Utc>,
    ) -> Result<Verzoek, AppError> {
        if !WAITING.contains(&verzoek.state.as_str()) {
            return Err(AppError::Invalid(
                "dit verzoek is al beantwoord; laad de pagina opnieuw".into(),
            ));
        }
        let known = self.bekende_casus(tx, verzoek).await?;
        let antwoord = gecontroleerd(invoer, &verzoek.gemeente_code, known.is_some())?;
        let producten = tx.verzoek_producten(verzoek.id).await?;
        let (state, deadline, casus_id) = match antwoord {
            Antwoord::Toewijzen(gezin) => {
                let view = match known {
                    Some(casus_id) => self.casus_view(tx, casus_id).await?,
                    None => {
                        self.casus_uit_verzoek(tx, actor, verzoek, &producten, gezin, now)
                            .await?
                    }
                };
                self.honoreer(tx, actor, verzoek, &producten, &view, now)
                    .await?;
                ("toegewezen", verzoek.deadline, Some(view.casus.id))
            }
            Antwoord::Afwijzen { reden, gemeente } => {
                self.jw319(tx, actor, verzoek, &producten, Some((reden, gemeente)), now)
                    .await?;
                ("afgewezen", verzoek.deadline, known)
            }
            Antwoord::InOnderzoek => {
                self.jw319(tx, actor, verzoek, &producten, None, now)
                    .await?;
                (
                    "in_onderzoek",
                    verzoek_deadline(verzoek.received_on, true),
                    known,
                )
            }
        };
        let moved = tx
            .verzoek_afhandelen(&VerzoekAfgehandeld {
                id: verzoek.id,
                state,
                deadline,
                casus_id,
                at: now,
                by: &actor.user.username,
            })
            .await?;
        if !moved {
            return Err(AppError::Invalid(
                "dit verzoek is intussen beantwoord; laad de pagina opnieuw".into(),
            ));
        }
        tx.verzoek(verzoek.id)
            .await?
            .ok_or_else(|| internal("a request vanished while answered"))
    }

    /// The open case of the request's youth in the gemeente, when it has one: a
    /// JW317's the case of the allocations it changes.
    async fn bekende_casus(&self, tx: &mut Tx, verzoek: &Verzoek) -> Result<Option<i64>, AppError> {
        if let Some(id) = verzoek.casus_id {
            return Ok(Some(id));
        }
        if let Some(t) = tx
            .toewijzingen_voor_bsn(&verzoek.gemeente_code, &verzoek.bsn)
            .await?
            .into_iter()
            .rev()
            .find(|t| t.aanbieder.as_str() == verzoek.aanbieder_agb)
        {
            return Ok(Some(t.casus_id));
        }
        let (Ok(gemeente), Ok(bsn)) = (
            Gemeentecode::parse(&verzoek.gemeente_code),
            Bsn::parse(&verzoek.bsn),
        ) else {
            return Ok(None);
        };
        Ok(tx
            .bekende_jeugdige(&gemeente, &bsn)
            .await?
            .and_then(|b| b.open_casussen.first().map(|c| c.id)))
    }

    async fn casus_view(&self, tx: &mut Tx, casus_id: i64) -> Result<CasusView, AppError> {
        let casus = tx.casus(casus_id).await?;
        Ok(CasusView {
            jeugdige: tx.jeugdige(casus.jeugdige_id).await?,
            ouders: tx.ouders(casus.id).await?,
            casus,
        })
    }

    /// Makes the youth of a request known in the gemeente, as the provider sent
    /// it, at the address the worker gave, and opens a case for the help asked:
    /// at the melding, as every case starts.
    async fn casus_uit_verzoek(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        verzoek: &Verzoek,
        producten: &[VerzoekProduct],
        gezin: Option<Gezin>,
        now: DateTime<Utc>,
    ) -> Result<CasusView, AppError> {
        let mut gezin = gezin.ok_or_else(|| internal("a new youth without an address"))?;
        gezin.surname = verzoek.geslachtsnaam.clone().unwrap_or_default();
        let bsn = Bsn::parse(&verzoek.bsn).map_err(internal)?;
        let jeugdige = Jeugdige {
            bsn,
            first_names: verzoek.voornamen.clone().unwrap_or_default(),
            surname: verzoek.geslachtsnaam.clone().unwrap_or_default(),
            birth_date: verzoek
                .geboortedatum
                .ok_or_else(|| internal("a JW315 without a birth date"))?,
            gemeente: gezin.gemeente.clone(),
            geslacht: match verzoek.geslacht.as_deref() {
                Some("1") => Geslacht::Man,
                Some("2") => Geslacht::Vrouw,
                _ => Geslacht::Onbekend,
            },
        };
        let gezin_id = tx.ensure_gezin(&gezin).await?;
        let jeugdige_id = match tx.insert_jeugdige(gezin_id, &jeugdige).await? {
            Some(id) => id,
            None => tx
                .bekende_jeugdige(&gezin.gemeente, &jeugdige.bsn)
                .await?
                .map(|b| b.id)
                .ok_or_else(|| internal("youth vanished while a request was honoured"))?,
        };
        let eerste = producten.first();
        let melding = Melding {
            vraag: format!(
                "Verzoek om toewijzing van aanbieder {} (iJw-bericht JW315)",
                verzoek.aanbieder_agb
            ),
            vindplaats: "verzoek om toewijzing van de aanbieder".into(),
            verwijzer: eerste
                .and_then(|p| p.verwijzer_type.as_deref())
                .and_then(|c| c.parse::<Verwijzer>().ok())
                .unwrap_or(Verwijzer::ALL[0]),
            verwijzer_naam: eerste.and_then(|p| {
                p.verwijzer_naam
                    .clone()
                    .or_else(|| p.verwijzer_zorgverlenerscode.clone())
            }),
            urgentie: Urgentie::Regulier,
            kader: Kader::Vrijwillig,
        };
        let casus_id = tx
            .insert_casus(&NewCasus {
                jeugdige_id,
                gemeente: &gezin.gemeente,
                phase: Fase::Melding,
                melding: &melding,
                woonplaats_regel: "Het adres dat de medewerker bij het verzoek om toewijzing vastlegde.",
                ouders: &[],
                at: now,
            })
            .await?;
        let view = self.casus_view(tx, casus_id).await?;
        tx.append_audit(&over_casus(
            actor,
            &view.casus,
            record(
                actor,
                "casus.aanmaken",
                "verzoek om toewijzing",
                "gelukt",
                now,
            ),
        ))
        .await?;
        Ok(view)
    }

    /// Honours a request: a JW315's every product a new allocation, a JW317's
    /// products to change a new version (RedenWijziging 12) and its new products
    /// new allocations. Only the first JW301 carries the ReferentieAanbieder of a
    /// JW317 (TR379); each of a JW315's carries its own.
    async fn honoreer(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        verzoek: &Verzoek,
        producten: &[VerzoekProduct],
        view: &CasusView,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut vow_referentie = verzoek.referentie_aanbieder.as_deref();
        for p in producten.iter().filter(|p| p.soort != "ongewijzigd") {
            let referentie = p
                .referentie_aanbieder
                .as_deref()
                .or_else(|| vow_referentie.take());
            if p.soort == "te_wijzigen" {
                self.wijzig_op_verzoek(tx, actor, verzoek, p, view, referentie, now)
                    .await?;
            } else {
                let nummer = self
                    .nieuwe_toewijzing(tx, verzoek, p, view, referentie, now)
                    .await?;
                tx.verzoek_product_toegewezen(p.id, nummer).await?;
            }
        }
        Ok(())
    }

    async fn nieuwe_toewijzing(
        &self,
        tx: &mut Tx,
        verzoek: &Verzoek,
        p: &VerzoekProduct,
        view: &CasusView,
        referentie: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, AppError> {
        let (Some(code), Some(start), Some(end)) =
            (p.productcode.as_deref(), p.ingangsdatum, p.einddatum)
        else {
            return Err(AppError::Invalid(
                "antwoord: het verzoek vraagt een product zonder productcode of einddatum; wijs het toe via de route van de casus, of wijs het verzoek af"
                    .into(),
            ));
        };
        let productcode = Productcode::parse(code).map_err(|e| AppError::Invalid(e.to_string()))?;
        let toewijzing = Toewijzing {
            gemeente: view.casus.gemeente.clone(),
            nummer: tx.next_toewijzingnummer(&view.casus.gemeente).await?,
            casus_id: view.casus.id,
            aanbieder: jeugdroute_domain::AgbCode::parse(&verzoek.aanbieder_agb)
                .map_err(internal)?,
            productcode,
            start_date: start,
            end_date: end,
            created_at: now,
            versie: 1,
            reden_wijziging: None,
        };
        tx.insert_toewijzing(&toewijzing).await?;
        self.send_jw301(
            tx,
            view,
            &toewijzing,
            &eerste_identificatie(toewijzing.nummer),
            now,
            None,
            referentie,
        )
        .await?;
        Ok(toewijzing.nummer)
    }

    #[allow(clippy::too_many_arguments, reason = "one change of one request")]
    async fn wijzig_op_verzoek(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        verzoek: &Verzoek,
        p: &VerzoekProduct,
        view: &CasusView,
        referentie: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let toewijzing = tx
            .toewijzingen(view.casus.id)
            .await?
            .into_iter()
            .find(|t| Some(t.nummer) == p.toewijzing_nummer)
            .ok_or_else(|| internal("a checked JW317 names an unknown allocation"))?;
        let Some(einddatum) = p.einddatum else {
            return Err(AppError::Invalid(
                "antwoord: het verzoek vraagt een toewijzing zonder einddatum; dat kan hier niet, wijs het verzoek af"
                    .into(),
            ));
        };
        let nummer = toewijzing.nummer;
        let versie = toewijzing.versie + 1;
        self.nieuwe_versie(
            tx,
            view,
            toewijzing,
            NieuweVersie {
                versie,
                reden: REDEN_OP_VERZOEK_AANBIEDER,
                einddatum,
                toelichting: format!("verzoek om wijziging {}", verzoek.id),
                username: &actor.user.username,
                referentie_aanbieder: referentie,
            },
            now,
        )
        .await?;
        tx.verzoek_product_toegewezen(p.id, nummer).await?;
        Ok(())
    }

    /// A JW319 on every reference of the request: rejected with its reason (and
    /// for reason 8 the responsible gemeente), or "aanvraag in onderzoek" when
    /// `afwijzing` is `None`. Each is checked within itself and against the
    /// request's history (TR360: "in onderzoek" once) before it goes out.
    async fn jw319(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        verzoek: &Verzoek,
        producten: &[VerzoekProduct],
        afwijzing: Option<(RedenAfwijzingVerzoek, Option<Gemeentecode>)>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut referenties: Vec<&str> = producten
            .iter()
            .filter_map(|p| p.referentie_aanbieder.as_deref())
            .chain(verzoek.referentie_aanbieder.as_deref())
            .collect();
        referenties.dedup();
        let mut history = History::default();
        self.verzoek_history(
            tx,
            (&verzoek.gemeente_code, &verzoek.aanbieder_agb),
            (&verzoek.bsn, &referenties),
            &mut history,
        )
        .await?;
        let sent = tx.verzoek_antwoorden(verzoek.id).await?.len();
        let today = amsterdam_today(now);
        for (i, referentie) in referenties.into_iter().enumerate() {
            let identificatie = format!("V{:08}{:03}", verzoek.id, sent + i + 1);
            let bericht = Bericht::Jw319(jw319::Bericht {
                header: jw319::Header {
                    bericht_code: Berichtsoort::Jw319.code().to_string(),
                    bericht_versie: 3,
                    bericht_subversie: 2,
                    afzender: verzoek.gemeente_code.clone(),
                    ontvanger: verzoek.aanbieder_agb.clone(),
                    bericht_identificatie: basis::BerichtIdentificatie {
                        identificatie: identificatie.clone(),
                        dagtekening: today,
                    },
                    xsd_versie: basis::XsdVersie {
                        basisschema_xsd_versie: "1.0.0".into(),
                        bericht_xsd_versie: "1.0.0".into(),
                    },
                },
                antwoord: jw319::Antwoord {
                    referentie_aanbieder: referentie.to_owned(),
                    verzoek_antwoord: if afwijzing.is_some() {
                        Antwoordcode::VerzoekAfgewezen
                    } else {
                        Antwoordcode::AanvraagInOnderzoek
                    },
                    reden_afwijzing_verzoek: afwijzing.as_ref().map(|(r, _)| *r),
                    woonplaatsbeginsel: afwijzing.as_ref().and_then(|(_, g)| g.as_ref()).map(|g| {
                        jw319::Woonplaatsbeginsel {
                            gemeente: g.as_str().to_owned(),
                        }
                    }),
                },
            });
            let xml = ijw::encode(&bericht);
            let mut findings = ijw::validate(xml.as_bytes()).findings;
            findings.extend(ijw::check_against(&bericht, &history));
            if let Some(f) = findings.first() {
                return Err(AppError::Fields(vec![FieldError {
                    field: "antwoord",
                    message: format!("{} ({}): {}", f.message, f.rule, f.element),
                }]));
            }
            let outbox_id = tx
                .enqueue_outbox(
                    &OutgoingMessage {
                        berichtsoort: "JW319".into(),
                        sender: verzoek.gemeente_code.clone(),
                        receiver: verzoek.aanbieder_agb.clone(),
                        casus_id: verzoek.casus_id,
                        body: xml,
                        identificatie: Some(identificatie),
                        answers_id: Some(verzoek.inbox_id),
                    },
                    now,
                )
                .await?;
            tx.insert_verzoek_antwoord(
                verzoek.id,
                &VerzoekAntwoord {
                    verzoek_antwoord: if afwijzing.is_some() { "1" } else { "2" }.into(),
                    reden: afwijzing.as_ref().map(|(r, _)| r.code().to_owned()),
                    woonplaats_gemeente: afwijzing
                        .as_ref()
                        .and_then(|(_, g)| g.as_ref())
                        .map(|g| g.as_str().to_owned()),
                    outbox_id,
                    answered_by: actor.user.username.clone(),
                    answered_at: now,
                },
            )
            .await?;
        }
        Ok(())
    }
}

/// The audit record of a use case on one request: for the gemeente it was sent
/// to. The BSN stays out; the case, when there is one, is named.
fn verzoek_record<'a>(
    actor: &'a Actor,
    verzoek: &'a Verzoek,
    event: &'a str,
    outcome: &'a str,
    now: DateTime<Utc>,
) -> NewAuditRecord<'a> {
    NewAuditRecord {
        on_behalf_of: Some(verzoek.gemeente_code.as_str()),
        casus_id: verzoek.casus_id,
        ..record(actor, event, "verzoek van aanbieder", outcome, now)
    }
}

/// The worker's answer, checked: every field that is wrong, named.
pub(crate) fn gecontroleerd(
    invoer: &VerzoekBeantwoorden,
    gemeente: &str,
    known: bool,
) -> Result<Antwoord, AppError> {
    let mut c = Check::default();
    let antwoord = match invoer.antwoord.trim() {
        "toewijzen" if known => Some(Antwoord::Toewijzen(None)),
        "toewijzen" => {
            let street = c.required(&grenzen::STRAAT, &invoer.straat);
            let house_number = c.required(&grenzen::HUISNUMMER, &invoer.huisnummer);
            let city = c.required(&grenzen::WOONPLAATS, &invoer.woonplaats);
            let pc = postcode(&invoer.postcode);
            if pc.is_none() {
                c.fail(
                    "postcode",
                    "De jeugdige is nog niet bekend in deze gemeente: vul de postcode van het adres in, zoals 3811 AB.",
                );
            }
            match (pc, Gemeentecode::parse(gemeente)) {
                (Some(postcode), Ok(gemeente)) => Some(Antwoord::Toewijzen(Some(Gezin {
                    surname: String::new(),
                    street,
                    house_number,
                    postcode,
                    city,
                    gemeente,
                }))),
                _ => None,
            }
        }
        "in_onderzoek" => Some(Antwoord::InOnderzoek),
        "afwijzen" => {
            let reden = RedenAfwijzingVerzoek::ALL
                .into_iter()
                .find(|r| r.code() == invoer.reden.trim());
            if reden.is_none() {
                c.fail(
                    "reden_afwijzing",
                    "Kies een reden voor de afwijzing (1 tot en met 9).",
                );
            }
            let woonplaats = reden == Some(RedenAfwijzingVerzoek::Woonplaatsbeginsel);
            let verantwoordelijk = match invoer.gemeente.trim() {
                "" if woonplaats => {
                    c.fail(
                        "gemeente",
                        "Bij afwijzing om het woonplaatsbeginsel: vul de CBS-code in van de gemeente die verantwoordelijk is.",
                    );
                    None
                }
                "" => None,
                _ if !woonplaats => {
                    c.fail(
                        "gemeente",
                        "Vul alleen een gemeente in bij afwijzing om het woonplaatsbeginsel (reden 8).",
                    );
                    None
                }
                code => c.parsed("gemeente", Gemeentecode::parse(code)),
            };
            if verantwoordelijk
                .as_ref()
                .is_some_and(|g| g.as_str() == gemeente)
            {
                c.fail(
                    "gemeente",
                    "De verantwoordelijke gemeente is een andere dan uw eigen gemeente.",
                );
            }
            reden.map(|reden| Antwoord::Afwijzen {
                reden,
                gemeente: verantwoordelijk,
            })
        }
        _ => {
            c.fail("antwoord", "Kies toewijzen, afwijzen of in onderzoek.");
            None
        }
    };
    c.finish()?;
    antwoord.ok_or_else(|| internal("a checked answer without its kind"))
}

fn vot(verzoek: &mut NieuwVerzoek, b: &jw315::Bericht) {
    let client = &b.client;
    verzoek.bsn.clone_from(&client.bsn);
    verzoek.geslachtsnaam = Some(client.naam.geslachtsnaam.achternaam.clone());
    verzoek.voornamen.clone_from(&client.naam.voornamen);
    verzoek.geboortedatum = Some(client.geboortedatum.datum);
    verzoek.geslacht = Some(client.geslacht.code().to_owned());
    verzoek.commentaar.clone_from(&client.commentaar);
    verzoek.producten = client
        .aangevraagde_producten
        .aangevraagd_product
        .iter()
        .map(|p| VerzoekProduct {
            soort: "aangevraagd".into(),
            referentie_aanbieder: Some(p.referentie_aanbieder.clone()),
            ingangsdatum: Some(p.toewijzing_ingangsdatum),
            einddatum: p.toewijzing_einddatum,
            budget_cents: p.budget,
            verwijzer_type: Some(p.verwijzer.r#type.code().to_owned()),
            verwijzer_naam: p.verwijzer.naam.clone(),
            verwijzer_zorgverlenerscode: p.verwijzer.zorgverlener_code.clone(),
            commentaar: p.commentaar.clone(),
            ..product(p.product.as_ref(), p.omvang.as_ref())
        })
        .collect();
}

fn vow(verzoek: &mut NieuwVerzoek, b: &jw317::Bericht) {
    let v = &b.client.verzoek;
    verzoek.bsn.clone_from(&b.client.bsn);
    verzoek.referentie_aanbieder = Some(v.referentie_aanbieder.clone());
    verzoek.reden_verzoek = Some(v.reden_verzoek.code().to_owned());
    let mut producten = Vec::new();
    for o in v
        .ongewijzigde_producten
        .iter()
        .flat_map(|o| &o.ongewijzigd_product)
    {
        producten.push(VerzoekProduct {
            soort: "ongewijzigd".into(),
            toewijzing_nummer: Some(o.toewijzing_nummer),
            ..VerzoekProduct::default()
        });
    }
    for t in v
        .te_wijzigen_producten
        .iter()
        .flat_map(|t| &t.te_wijzigen_product)
    {
        producten.push(VerzoekProduct {
            soort: "te_wijzigen".into(),
            toewijzing_nummer: Some(t.toewijzing_nummer),
            ingangsdatum: Some(t.gewenste_ingangsdatum),
            einddatum: t.einddatum,
            budget_cents: t.budget,
            ..product(None, t.omvang.as_ref())
        });
    }
    for n in v.nieuwe_producten.iter().flat_map(|n| &n.nieuw_product) {
        producten.push(VerzoekProduct {
            soort: "nieuw".into(),
            ingangsdatum: Some(n.gewenste_ingangsdatum),
            einddatum: n.einddatum,
            budget_cents: n.budget,
            ..product(n.product.as_ref(), n.omvang.as_ref())
        });
    }
    verzoek.producten = producten;
}

/// The product and volume of a requested product, the rest left empty.
fn product(product: Option<&basis::Product>, omvang: Option<&basis::Omvang>) -> VerzoekProduct {
    VerzoekProduct {
        productcategorie: product.map(|p| p.categorie.code().to_owned()),
        productcode: product.and_then(|p| p.code.clone()),
        volume: omvang.map(|o| o.volume),
        eenheid: omvang.map(|o| o.eenheid.code().to_owned()),
        frequentie: omvang.map(|o| o.frequentie.code().to_owned()),
        ..VerzoekProduct::default()
    }
}

/// The gemeenten of the worker (in their voluntary framework) where the youth
/// of this BSN is registered: a BSN from a provider's message never reaches
/// beyond what the worker may see.
async fn bekend_in(tx: &mut Tx, actor: &Actor, bsn: &str) -> Result<Vec<Gemeentecode>, AppError> {
    let Ok(bsn) = Bsn::parse(bsn) else {
        return Ok(Vec::new());
    };
    let gezien: Vec<&Gemeentecode> = (actor.user.gemeenten.iter())
        .filter(|g| covers(&actor.user, g, &Kader::Vrijwillig))
        .collect();
    Ok(tx.jeugdige_bekend_in(&gezien, &bsn).await?)
}

/// Where the deadline of a request stands on `today` while it waits for its
/// answer (signalled the working day before, on the day, and once passed);
/// `None` once it is answered.
pub fn verzoek_termijn(verzoek: &Verzoek, today: NaiveDate) -> Option<Termijnstand> {
    WAITING
        .contains(&verzoek.state.as_str())
        .then(|| Termijnstand::op(verzoek.deadline, today, None))
}

/// The reasons a gemeente can give for rejecting a request (RedenAfwijzingVerzoek,
/// code list WJ759 of the JW319), each with its code.
pub fn redenen_afwijzing() -> Vec<(&'static str, &'static str)> {
    RedenAfwijzingVerzoek::ALL
        .into_iter()
        .map(|r| (r.code(), r.description()))
        .collect()
}
