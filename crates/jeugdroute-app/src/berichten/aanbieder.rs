//! The provider's side of the exchange, for providers hosted in this
//! installation (iJw 3.2 §3 in the other direction). What a provider receives
//! is recorded in its own tables: every version of every allocation (JW301),
//! the answers on its requests (JW319) and declarations (JW325). What it writes
//! — a start (JW305), a stop (JW307) or the removal of either, a request for an
//! allocation (JW315) or for a change (JW317), a declaration (JW323) — is built
//! from the allocation it received, checked with `ijw::validate` and against
//! everything it knows of the exchange (`ijw::check_against`, so the gemeente's
//! verdict is known before the message leaves), and put in the outbox with its
//! audit record, in one transaction.
//!
//! A provider sees and writes only for allocations to its own AGB code: any
//! other number, message or gemeente is answered as not found, and the refusal
//! is audit-logged.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use ijw::types::codes::{self, StatusAanlevering};
use ijw::types::{basis, jw301, jw305, jw307, jw315, jw317, jw319, jw323, jw325};
use ijw::{
    Bericht, Berichtsoort, History, KnownAllocation, KnownDeclaratie, KnownDelivery,
    KnownPrestatie, KnownRequest, PrestatieStatus,
};
use jeugdroute_domain::amsterdam_today;
use jeugdroute_store::{
    AanbiederBericht, AanbiederPrestatie, Deel, NewAanbiederBericht, NewAuditRecord,
    OntvangenAntwoord, OntvangenToewijzing, Tx,
};

use super::{Antwoord, Beoordeeld, GEEN_OPMERKING, Ontvangst, Partij, retourcodes};
use crate::access::{Actor, UseCase};
use crate::casus::{Check, record};
use crate::{App, AppError, FieldError, OutgoingMessage};

/// Rule: iJw 3.2 — the BerichtVersie and BerichtSubversie of every message.
const BERICHT_VERSIE: i64 = 3;
const BERICHT_SUBVERSIE: i64 = 2;
/// The XSD versions of iJw 3.2 (XsdVersie).
const XSD_VERSIE: &str = "1.0.0";
/// Rule: iJw 3.2 JW323 — at most this many prestaties in one declaration here
/// (the form and the API keep declarations small; the standard has no bound).
pub const MAX_PRESTATIES: usize = 100;
/// Rule: iJw LDT_Bedrag and LDT_Volume — at most eight digits.
const MAX_GETAL: i64 = 99_999_999;

/// An allocation a provider received, with everything of the exchange about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OntvangenHulp {
    /// Every version received, oldest first; the last is in force.
    pub versies: Vec<OntvangenToewijzing>,
    /// What the provider wrote about it (start, stop, removal, requests), oldest
    /// first, each with its delivery and the retour it got.
    pub berichten: Vec<AanbiederBericht>,
    /// The answers (JW319, JW325) on those messages and on its declarations.
    pub antwoorden: Vec<OntvangenAntwoord>,
    /// The prestaties declared on it, with what the JW325 made of them.
    pub prestaties: Vec<AanbiederPrestatie>,
}

impl OntvangenHulp {
    /// The version in force.
    pub fn actueel(&self) -> Option<&OntvangenToewijzing> {
        self.versies.last()
    }
}

/// Which allocation a provider's message is about: the gemeente that sent it
/// and its ToewijzingNummer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toewijzingsleutel {
    pub gemeente: String,
    pub toewijzingnummer: i64,
}

/// A start of care (JW305).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartInvoer {
    pub toewijzing: Toewijzingsleutel,
    pub begindatum: NaiveDate,
}

/// A stop of care (JW307): of the start on `begindatum`, on `einddatum`, for
/// `reden` (RedenBeeindiging, JZ588; `20` is a temporary stop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopInvoer {
    pub toewijzing: Toewijzingsleutel,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub reden: String,
}

/// The size of the help asked for: volume, unit (WJ756) and frequency (WJ757).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OmvangInvoer {
    pub volume: i64,
    pub eenheid: String,
    pub frequentie: String,
}

/// A request for a new allocation (JW315) for the client of an allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerzoekOmToewijzingInvoer {
    /// The allocation whose client the request is for.
    pub toewijzing: Toewijzingsleutel,
    pub productcategorie: String,
    pub productcode: Option<String>,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub omvang: OmvangInvoer,
    /// TypeVerwijzer (code list LDT_TypeVerwijzer), e.g. `01` gemeente.
    pub verwijzer: String,
}

/// A request to change an allocation (JW317): from `ingangsdatum`, to the new
/// end date and size; the client's other current allocations stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerzoekOmWijzigingInvoer {
    pub toewijzing: Toewijzingsleutel,
    /// RedenVerzoek: `1` verandering cliëntsituatie, `2` wijziging zorgplan.
    pub reden: String,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub omvang: Option<OmvangInvoer>,
}

/// One prestatie of a declaration: what was delivered on an allocation in a
/// period, at a tariff in eurocent per unit of the allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrestatieInvoer {
    pub toewijzingnummer: i64,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub volume: i64,
    pub tarief: i64,
}

/// A declaration (JW323) to one gemeente over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaratieInvoer {
    pub gemeente: String,
    pub begindatum: NaiveDate,
    pub einddatum: NaiveDate,
    pub prestaties: Vec<PrestatieInvoer>,
}

/// The header of a provider's message: from the provider to the gemeente,
/// dated today (Dutch time).
macro_rules! header {
    ($m:ident, $soort:expr, $van:expr, $aan:expr, $id:expr, $now:expr) => {
        $m::Header {
            bericht_code: $soort.code().to_string(),
            bericht_versie: BERICHT_VERSIE,
            bericht_subversie: BERICHT_SUBVERSIE,
            afzender: ($van).to_owned(),
            ontvanger: ($aan).to_owned(),
            bericht_identificatie: ident($id, amsterdam_today($now)),
            xsd_versie: basis::XsdVersie {
                basisschema_xsd_versie: XSD_VERSIE.into(),
                bericht_xsd_versie: XSD_VERSIE.into(),
            },
        }
    };
}

/// The audit purpose of the provider's exchange.
const DOEL: &str = "zorgverlening";

impl App {
    /// One allocation the actor's provider received, with every version and
    /// everything it wrote and got about it; another provider's is not found.
    pub async fn ontvangen_toewijzing(
        &self,
        actor: &Actor,
        sleutel: &Toewijzingsleutel,
    ) -> Result<OntvangenHulp, AppError> {
        let event = "aanbieder.toewijzing.bekijken";
        let agb = self.aanbieder_van(actor, event).await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let deze = Deel::toewijzing(sleutel.toewijzingnummer);
        let versies = tx
            .ontvangen_toewijzingen(&agb, &sleutel.gemeente, &deze)
            .await?;
        if versies.is_empty() {
            return Err(self.buiten_bereik(tx, actor, event, now).await);
        }
        let berichten = tx
            .aanbieder_berichten(&agb, &sleutel.gemeente, &deze, &[])
            .await?;
        let prestaties: Vec<AanbiederPrestatie> = tx
            .aanbieder_prestaties(&agb, &sleutel.gemeente, &deze)
            .await?;
        // The answers on its messages, and those on the declarations of its prestaties.
        let beantwoord = Deel {
            berichten: (berichten.iter().map(|b| b.id))
                .chain(prestaties.iter().map(|p| p.bericht_id))
                .collect(),
            ..Deel::default()
        };
        let antwoorden = if beantwoord.is_leeg() {
            Vec::new()
        } else {
            tx.ontvangen_antwoorden(&agb, &sleutel.gemeente, &beantwoord)
                .await?
        };
        let client = client_van(&mut tx, sleutel).await?;
        tx.append_audit(&NewAuditRecord {
            jeugdige_id: client.map(|(_, j)| j),
            casus_id: client.map(|(c, _)| c),
            ..record(actor, event, DOEL, "gelukt", now)
        })
        .await?;
        tx.commit().await?;
        Ok(OntvangenHulp {
            versies,
            berichten,
            antwoorden,
            prestaties,
        })
    }

    /// The provider reports the start of care on an allocation (JW305).
    pub async fn aanbieder_start(
        &self,
        actor: &Actor,
        invoer: &StartInvoer,
    ) -> Result<AanbiederBericht, AppError> {
        let event = "aanbieder.start";
        let agb = self.aanbieder_van(actor, event).await?;
        let Concept {
            tx,
            now,
            gegeven,
            soort,
            volgnummer,
            id,
        } = self
            .concept(actor, event, &agb, &invoer.toewijzing, Berichtsoort::Jw305)
            .await?;
        let a = &gegeven.actueel;
        let bericht = Bericht::Jw305(jw305::Bericht {
            header: header!(jw305, soort, &agb, &a.gemeente_code, &id, now),
            client: jw305::Client {
                bsn: a.bsn.clone(),
                geboortedatum: gegeven.client.geboortedatum.clone(),
                geslacht: gegeven.client.geslacht,
                naam: verkort(&gegeven.client.naam),
                start_producten: jw305::StartProducten {
                    start_product: vec![jw305::StartProduct {
                        toewijzing_nummer: Some(a.toewijzing_nummer),
                        product: product(a)?,
                        toewijzing_ingangsdatum: Some(a.ingangsdatum),
                        begindatum: invoer.begindatum,
                        status_aanlevering: StatusAanlevering::EersteAanlevering,
                    }],
                },
            },
        });
        let nieuw = Nieuw::over(soort, volgnummer, &id, a);
        self.verstuur(tx, actor, event, &agb, &bericht, &nieuw, now)
            .await
    }

    /// The provider reports the end of care on an allocation (JW307); reason
    /// `20` is a temporary stop, after which a new start may follow.
    pub async fn aanbieder_stop(
        &self,
        actor: &Actor,
        invoer: &StopInvoer,
    ) -> Result<AanbiederBericht, AppError> {
        let event = "aanbieder.stop";
        let agb = self.aanbieder_van(actor, event).await?;
        let mut check = Check::default();
        let reden = code::<codes::RedenBeeindiging>(&mut check, "reden_beeindiging", &invoer.reden);
        if invoer.einddatum < invoer.begindatum {
            check.fail(
                "einddatum",
                "Einddatum: de zorg kan niet eindigen vóór de begindatum.",
            );
        }
        check.finish()?;
        let Some(reden) = reden else {
            return Err(AppError::Invalid("reden: onbekende code".into()));
        };
        let Concept {
            tx,
            now,
            gegeven,
            soort,
            volgnummer,
            id,
        } = self
            .concept(actor, event, &agb, &invoer.toewijzing, Berichtsoort::Jw307)
            .await?;
        let a = &gegeven.actueel;
        let bericht = Bericht::Jw307(jw307::Bericht {
            header: header!(jw307, soort, &agb, &a.gemeente_code, &id, now),
            client: jw307::Client {
                bsn: a.bsn.clone(),
                geboortedatum: gegeven.client.geboortedatum.clone(),
                geslacht: gegeven.client.geslacht,
                naam: verkort(&gegeven.client.naam),
                stop_producten: jw307::StopProducten {
                    stop_product: vec![jw307::StopProduct {
                        toewijzing_nummer: Some(a.toewijzing_nummer),
                        product: product(a)?,
                        toewijzing_ingangsdatum: Some(a.ingangsdatum),
                        begindatum: invoer.begindatum,
                        reden_beeindiging: reden,
                        einddatum: invoer.einddatum,
                        status_aanlevering: StatusAanlevering::EersteAanlevering,
                    }],
                },
            },
        });
        let nieuw = Nieuw::over(soort, volgnummer, &id, a);
        self.verstuur(tx, actor, event, &agb, &bericht, &nieuw, now)
            .await
    }

    /// The provider removes a start or stop it sent earlier (the same message
    /// with StatusAanlevering 3), e.g. one sent by mistake.
    pub async fn aanbieder_verwijderen(
        &self,
        actor: &Actor,
        bericht_id: i64,
    ) -> Result<AanbiederBericht, AppError> {
        let event = "aanbieder.verwijderen";
        let agb = self.aanbieder_van(actor, event).await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let Some(eerder) = tx.aanbieder_bericht(&agb, bericht_id).await? else {
            return Err(self.buiten_bereik(tx, actor, event, now).await);
        };
        // A removal is about the same client and allocation as what it removes.
        let zelfde = Deel {
            bsn: eerder.bsn.as_deref(),
            nummers: eerder.toewijzing_nummer.into_iter().collect(),
            ..Deel::default()
        };
        let al = !zelfde.is_leeg()
            && tx
                .aanbieder_berichten(&agb, &eerder.gemeente_code, &zelfde, &[])
                .await?
                .iter()
                .any(|b| b.verwijdert_id == Some(eerder.id));
        if eerder.verwijdert_id.is_some()
            || al
            || eerder.retour_state.as_deref() == Some("afgekeurd")
        {
            return Err(AppError::Fields(vec![FieldError {
                field: "bericht",
                message: "Bericht: dit bericht is al verwijderd, is zelf een verwijdering of werd afgekeurd; er valt niets te verwijderen.".into(),
            }]));
        }
        let sleutel = Toewijzingsleutel {
            gemeente: eerder.gemeente_code.clone(),
            toewijzingnummer: eerder.toewijzing_nummer.unwrap_or_default(),
        };
        let Some(gegeven) = self.gegeven(&mut tx, &agb, &sleutel).await? else {
            return Err(self.buiten_bereik(tx, actor, event, now).await);
        };
        let mut bericht = ijw::decode(eerder.body.as_bytes())
            .map_err(|e| anyhow::anyhow!("eigen bericht {bericht_id}: {e:?}"))?;
        let soort = bericht.soort();
        let volgnummer = tx.volgend_aanbieder_bericht(&agb, soort.name()).await?;
        let id = identificatie(soort, volgnummer);
        let dag = amsterdam_today(now);
        match &mut bericht {
            Bericht::Jw305(b) => {
                b.header.bericht_identificatie = ident(&id, dag);
                for p in &mut b.client.start_producten.start_product {
                    p.status_aanlevering = StatusAanlevering::VerwijderenAanlevering;
                }
            }
            Bericht::Jw307(b) => {
                b.header.bericht_identificatie = ident(&id, dag);
                for p in &mut b.client.stop_producten.stop_product {
                    p.status_aanlevering = StatusAanlevering::VerwijderenAanlevering;
                }
            }
            _ => {
                return Err(AppError::Fields(vec![FieldError {
                    field: "bericht",
                    message: "Bericht: alleen een start of een stop kan worden verwijderd.".into(),
                }]));
            }
        }
        let nieuw = Nieuw {
            verwijdert: Some(eerder.id),
            ..Nieuw::over(soort, volgnummer, &id, &gegeven.actueel)
        };
        self.verstuur(tx, actor, event, &agb, &bericht, &nieuw, now)
            .await
    }

    /// The provider asks the gemeente for a new allocation (JW315) for the
    /// client of an allocation it has. Its ReferentieAanbieder is the message's
    /// own Identificatie, so it is never used twice (TR347).
    pub async fn verzoek_om_toewijzing(
        &self,
        actor: &Actor,
        invoer: &VerzoekOmToewijzingInvoer,
    ) -> Result<AanbiederBericht, AppError> {
        let event = "aanbieder.verzoek-om-toewijzing";
        let agb = self.aanbieder_van(actor, event).await?;
        let mut check = Check::default();
        let categorie = code::<codes::ProductCategorie>(
            &mut check,
            "productcategorie",
            &invoer.productcategorie,
        );
        let productcode = invoer
            .productcode
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if productcode.is_some_and(|c| c.len() > 5 || !c.chars().all(|x| x.is_ascii_alphanumeric()))
        {
            check.fail(
                "productcode",
                "Productcode: gebruik ten hoogste 5 letters of cijfers.",
            );
        }
        let omvang = omvang(&mut check, &invoer.omvang);
        let verwijzer = code::<codes::TypeVerwijzer>(&mut check, "verwijzer", &invoer.verwijzer);
        einde_na_begin(&mut check, invoer.ingangsdatum, invoer.einddatum);
        check.finish()?;
        let (Some(categorie), Some(omvang), Some(verwijzer)) = (categorie, omvang, verwijzer)
        else {
            return Err(AppError::Invalid("verzoek: onvolledig".into()));
        };
        let Concept {
            tx,
            now,
            gegeven,
            soort,
            volgnummer,
            id,
        } = self
            .concept(actor, event, &agb, &invoer.toewijzing, Berichtsoort::Jw315)
            .await?;
        let a = &gegeven.actueel;
        let bericht = Bericht::Jw315(jw315::Bericht {
            header: header!(jw315, soort, &agb, &a.gemeente_code, &id, now),
            client: jw315::Client {
                bsn: a.bsn.clone(),
                geboortedatum: gegeven.client.geboortedatum.clone(),
                geslacht: gegeven.client.geslacht,
                naam: verkort(&gegeven.client.naam),
                gezagsdrager_bekend: None,
                commentaar: None,
                aangevraagde_producten: jw315::AangevraagdeProducten {
                    aangevraagd_product: vec![jw315::AangevraagdProduct {
                        referentie_aanbieder: id.clone(),
                        beschikking_nummer: None,
                        product: Some(basis::Product {
                            categorie,
                            code: productcode.map(str::to_owned),
                        }),
                        beschikking_ingangsdatum: None,
                        toewijzing_ingangsdatum: invoer.ingangsdatum,
                        toewijzing_einddatum: invoer.einddatum,
                        omvang: Some(omvang),
                        budget: None,
                        verwijzer: basis::Verwijzer {
                            r#type: verwijzer,
                            naam: None,
                            zorgverlener_code: None,
                        },
                        raamcontract: None,
                        commentaar: None,
                    }],
                },
            },
        });
        let nieuw = Nieuw {
            referentie: Some(&id),
            ..Nieuw::over(soort, volgnummer, &id, a)
        };
        self.verstuur(tx, actor, event, &agb, &bericht, &nieuw, now)
            .await
    }

    /// The provider asks the gemeente to change an allocation (JW317); every
    /// other current allocation of the client stays as it is.
    pub async fn verzoek_om_wijziging(
        &self,
        actor: &Actor,
        invoer: &VerzoekOmWijzigingInvoer,
    ) -> Result<AanbiederBericht, AppError> {
        let event = "aanbieder.verzoek-om-wijziging";
        let agb = self.aanbieder_van(actor, event).await?;
        let mut check = Check::default();
        let reden = code::<codes::RedenVerzoek>(&mut check, "reden_verzoek", &invoer.reden);
        let omvang = invoer.omvang.as_ref().map(|o| omvang(&mut check, o));
        einde_na_begin(&mut check, invoer.ingangsdatum, invoer.einddatum);
        check.finish()?;
        let Some(reden) = reden else {
            return Err(AppError::Invalid("reden: onbekende code".into()));
        };
        let Concept {
            mut tx,
            now,
            gegeven,
            soort,
            volgnummer,
            id,
        } = self
            .concept(actor, event, &agb, &invoer.toewijzing, Berichtsoort::Jw317)
            .await?;
        let a = &gegeven.actueel;
        let dag = amsterdam_today(now);
        let ongewijzigd: Vec<jw317::OngewijzigdProduct> = laatste_versies(
            tx.ontvangen_toewijzingen(&agb, &a.gemeente_code, &Deel::client(&a.bsn))
                .await?,
        )
        .into_iter()
        .filter(|o| {
            o.bsn == a.bsn
                        && o.toewijzing_nummer != a.toewijzing_nummer
                        // Rule: iJw TR350 — an OngewijzigdProduct names a
                        // current allocation: not removed, not yet ended.
                        && o.reden_wijziging.as_deref() != Some("13")
                        && o.einddatum.is_none_or(|e| e >= dag)
        })
        .map(|o| jw317::OngewijzigdProduct {
            toewijzing_nummer: o.toewijzing_nummer,
        })
        .collect();
        let bericht = Bericht::Jw317(jw317::Bericht {
            header: header!(jw317, soort, &agb, &a.gemeente_code, &id, now),
            client: jw317::Client {
                bsn: a.bsn.clone(),
                verzoek: jw317::Verzoek {
                    referentie_aanbieder: id.clone(),
                    reden_verzoek: reden,
                    ongewijzigde_producten: (!ongewijzigd.is_empty()).then_some(
                        jw317::OngewijzigdeProducten {
                            ongewijzigd_product: ongewijzigd,
                        },
                    ),
                    te_wijzigen_producten: Some(jw317::TeWijzigenProducten {
                        te_wijzigen_product: vec![jw317::TeWijzigenProduct {
                            toewijzing_nummer: a.toewijzing_nummer,
                            gewenste_ingangsdatum: invoer.ingangsdatum,
                            einddatum: invoer.einddatum,
                            omvang: omvang.flatten(),
                            budget: None,
                        }],
                    }),
                    nieuwe_producten: None,
                },
            },
        });
        let nieuw = Nieuw {
            referentie: Some(&id),
            ..Nieuw::over(soort, volgnummer, &id, a)
        };
        self.verstuur(tx, actor, event, &agb, &bericht, &nieuw, now)
            .await
    }

    /// The provider declares what it delivered (JW323): each prestatie on an
    /// allocation of its own from the gemeente, at the allocation's product and
    /// unit, its amount the volume times the tariff.
    pub async fn declareren(
        &self,
        actor: &Actor,
        invoer: &DeclaratieInvoer,
    ) -> Result<AanbiederBericht, AppError> {
        let event = "aanbieder.declareren";
        let agb = self.aanbieder_van(actor, event).await?;
        let mut check = Check::default();
        if invoer.prestaties.is_empty() || invoer.prestaties.len() > MAX_PRESTATIES {
            check.fail(
                "prestaties",
                format!("Prestaties: geef 1 tot en met {MAX_PRESTATIES} prestaties."),
            );
        }
        if invoer.einddatum < invoer.begindatum {
            check.fail(
                "einddatum",
                "Einddatum: de periode kan niet eindigen vóór de begindatum.",
            );
        }
        for p in &invoer.prestaties {
            if !(1..=MAX_GETAL).contains(&p.volume) {
                check.fail(
                    "volume",
                    "Volume: geef een geheel getal van 1 tot en met 99999999.",
                );
            }
            if !(1..=MAX_GETAL).contains(&p.tarief) {
                check.fail(
                    "tarief",
                    "Tarief: geef een bedrag in centen van 1 tot en met 99999999.",
                );
            }
            if p.einddatum < p.begindatum {
                check.fail(
                    "prestaties",
                    "Prestaties: een prestatie kan niet eindigen vóór haar begindatum.",
                );
            }
        }
        check.finish()?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let soort = Berichtsoort::Jw323;
        let volgnummer = tx.volgend_aanbieder_bericht(&agb, soort.name()).await?;
        let id = identificatie(soort, volgnummer);
        // Rule: iJw TR333 — a DeclaratieNummer is unique per provider: the
        // message's own number makes it so.
        let declaratie_nummer = format!("D{volgnummer:07}");
        let mut clienten: Vec<jw323::Client> = Vec::new();
        let mut totaal: i64 = 0;
        let mut eerste = None;
        for (i, p) in invoer.prestaties.iter().enumerate() {
            let sleutel = Toewijzingsleutel {
                gemeente: invoer.gemeente.clone(),
                toewijzingnummer: p.toewijzingnummer,
            };
            let Some(gegeven) = self.gegeven(&mut tx, &agb, &sleutel).await? else {
                return Err(self.buiten_bereik(tx, actor, event, now).await);
            };
            let a = gegeven.actueel;
            let (Some(categorie), Some(productcode), Some(eenheid)) =
                (&a.product_categorie, &a.product_code, &a.eenheid)
            else {
                return Err(AppError::Fields(vec![FieldError {
                    field: "prestaties",
                    message: format!(
                        "Prestaties: toewijzing {} heeft geen product met een eenheid en kan niet per prestatie worden gedeclareerd.",
                        a.toewijzing_nummer
                    ),
                }]));
            };
            let bedrag = p.volume.checked_mul(p.tarief).filter(|b| *b <= MAX_GETAL);
            let Some(bedrag) = bedrag else {
                return Err(AppError::Fields(vec![FieldError {
                    field: "tarief",
                    message: "Tarief: volume maal tarief is meer dan het grootste bedrag van een prestatie (999999,99 euro).".into(),
                }]));
            };
            totaal = totaal.saturating_add(bedrag);
            let prestatie = jw323::Prestatie {
                product_referentie: basis::Referentie {
                    // Rule: iJw TR314 — a ReferentieNummer is used once: the
                    // declaration's Identificatie with the prestatie's place.
                    referentie_nummer: format!("{id}-{:03}", i + 1),
                    vorig_referentie_nummer: None,
                },
                toewijzing_nummer: a.toewijzing_nummer,
                product_categorie: parse_opgeslagen(categorie)?,
                product_code: productcode.clone(),
                product_periode: basis::GeslotenPeriode {
                    begindatum: p.begindatum,
                    einddatum: p.einddatum,
                },
                geleverd_volume: p.volume,
                eenheid: parse_opgeslagen(eenheid)?,
                product_tarief: Some(p.tarief),
                ingediend_bedrag: basis::BedragMetDC {
                    bedrag,
                    debet_credit: codes::DebetCredit::Debet,
                },
            };
            match clienten.iter_mut().find(|c| c.bsn == a.bsn) {
                Some(c) => c.prestaties.prestatie.push(prestatie),
                None => clienten.push(jw323::Client {
                    bsn: a.bsn.clone(),
                    prestaties: jw323::Prestaties {
                        prestatie: vec![prestatie],
                    },
                }),
            }
            eerste.get_or_insert(a);
        }
        let Some(eerste) = eerste else {
            return Err(AppError::Invalid("prestaties: geen prestaties".into()));
        };
        let bericht = Bericht::Jw323(jw323::Bericht {
            header: header!(jw323, soort, &agb, &invoer.gemeente, &id, now),
            declaratie: jw323::Declaratie {
                declaratie_nummer: declaratie_nummer.clone(),
                declaratie_periode: basis::GeslotenPeriode {
                    begindatum: invoer.begindatum,
                    einddatum: invoer.einddatum,
                },
                declaratie_dagtekening: amsterdam_today(now),
                totaal_ingediend_bedrag: basis::TotaalBedragMetDC {
                    totaal_bedrag: totaal,
                    debet_credit: codes::DebetCredit::Debet,
                },
                clienten: jw323::Clienten { client: clienten },
            },
        });
        let nieuw = Nieuw {
            declaratie: Some((&declaratie_nummer, totaal)),
            ..Nieuw::over(soort, volgnummer, &id, &eerste)
        };
        self.verstuur(tx, actor, event, &agb, &bericht, &nieuw, now)
            .await
    }

    /// Starts a message on an allocation the provider received: its
    /// transaction, the allocation in force, and the message's number and
    /// Identificatie; another provider's allocation is not found (logged).
    async fn concept(
        &self,
        actor: &Actor,
        event: &str,
        agb: &str,
        sleutel: &Toewijzingsleutel,
        soort: Berichtsoort,
    ) -> Result<Concept, AppError> {
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let Some(gegeven) = self.gegeven(&mut tx, agb, sleutel).await? else {
            return Err(self.buiten_bereik(tx, actor, event, now).await);
        };
        let volgnummer = tx.volgend_aanbieder_bericht(agb, soort.name()).await?;
        Ok(Concept {
            tx,
            now,
            gegeven,
            soort,
            volgnummer,
            id: identificatie(soort, volgnummer),
        })
    }

    /// The AGB code of the provider the actor works for; a role that may not
    /// act for a provider, or an account without its code, is refused.
    async fn aanbieder_van(&self, actor: &Actor, event: &str) -> Result<String, AppError> {
        self.require(actor, UseCase::ToewijzingBekijken, event)
            .await?;
        match actor.user.aanbieder.as_ref() {
            Some(agb) => Ok(agb.as_str().to_owned()),
            None => Err(self.refuse(actor, event).await),
        }
    }

    /// Logs a look outside the provider's scope and answers it as not found.
    async fn buiten_bereik(
        &self,
        mut tx: Tx,
        actor: &Actor,
        event: &str,
        now: DateTime<Utc>,
    ) -> AppError {
        let logged = async {
            tx.append_audit(&record(actor, event, DOEL, "geweigerd", now))
                .await?;
            tx.commit().await
        };
        match logged.await {
            Ok(()) => AppError::NotFound,
            Err(e) => e.into(),
        }
    }

    /// The allocation in force with its client as the gemeente sent it; `None`
    /// when the provider received no such allocation.
    async fn gegeven(
        &self,
        tx: &mut Tx,
        agb: &str,
        sleutel: &Toewijzingsleutel,
    ) -> Result<Option<Gegeven>, AppError> {
        let Some(actueel) = tx
            .ontvangen_toewijzingen(
                agb,
                &sleutel.gemeente,
                &Deel::toewijzing(sleutel.toewijzingnummer),
            )
            .await?
            .pop()
        else {
            return Ok(None);
        };
        let inbox = tx
            .incoming(actueel.inbox_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("ontvangen JW301 {} ontbreekt", actueel.inbox_id))?;
        let Ok(Bericht::Jw301(jw301)) = ijw::decode(&inbox.body) else {
            return Err(anyhow::anyhow!("inbox {} is geen JW301", actueel.inbox_id).into());
        };
        Ok(Some(Gegeven {
            actueel,
            client: jw301.client,
        }))
    }

    /// Checks a provider's message at every level it can be checked here, then
    /// puts it in the outbox with its own record and the audit record, and
    /// commits.
    #[allow(clippy::too_many_arguments, reason = "one call site per message type")]
    async fn verstuur(
        &self,
        mut tx: Tx,
        actor: &Actor,
        event: &str,
        agb: &str,
        bericht: &Bericht,
        nieuw: &Nieuw<'_>,
        now: DateTime<Utc>,
    ) -> Result<AanbiederBericht, AppError> {
        let body = ijw::encode(bericht);
        let report = ijw::validate(body.as_bytes());
        let gemeente = nieuw
            .toewijzing
            .map_or_else(String::new, |a| a.gemeente_code.clone());
        let mut findings = report.findings;
        if findings.is_empty() {
            let mut history = History::default();
            vul_history(&mut tx, &mut history, (agb, &gemeente), bericht).await?;
            findings = ijw::check_against(bericht, &history);
        }
        if !findings.is_empty() {
            // Nothing is sent: the gemeente would refuse it for the same reason.
            return Err(AppError::Fields(
                findings
                    .iter()
                    .map(|f| FieldError {
                        field: "bericht",
                        message: format!("{} ({}): {}", f.rule, f.element, f.message),
                    })
                    .collect(),
            ));
        }
        let client = match nieuw.toewijzing {
            Some(a) => {
                client_van(
                    &mut tx,
                    &Toewijzingsleutel {
                        gemeente: a.gemeente_code.clone(),
                        toewijzingnummer: a.toewijzing_nummer,
                    },
                )
                .await?
            }
            None => None,
        };
        let outbox_id = tx
            .enqueue_outbox(
                &OutgoingMessage {
                    berichtsoort: nieuw.soort.name().to_owned(),
                    sender: agb.to_owned(),
                    receiver: gemeente.clone(),
                    casus_id: client.map(|(c, _)| c),
                    body,
                    identificatie: Some(nieuw.identificatie.to_owned()),
                    answers_id: None,
                },
                now,
            )
            .await?;
        let over_een = nieuw.soort != Berichtsoort::Jw323;
        let toewijzing = nieuw.toewijzing.filter(|_| over_een);
        let id = tx
            .insert_aanbieder_bericht(
                &NewAanbiederBericht {
                    aanbieder_agb: agb,
                    gemeente_code: &gemeente,
                    berichtsoort: nieuw.soort.name(),
                    volgnummer: nieuw.volgnummer,
                    identificatie: nieuw.identificatie,
                    toewijzing_nummer: toewijzing.map(|a| a.toewijzing_nummer),
                    bsn: toewijzing.map(|a| a.bsn.as_str()),
                    referentie_aanbieder: nieuw.referentie,
                    declaratie_nummer: nieuw.declaratie.map(|(n, _)| n),
                    ingediend_bedrag: nieuw.declaratie.map(|(_, t)| t),
                    verwijdert_id: nieuw.verwijdert,
                    outbox_id,
                },
                now,
            )
            .await?;
        if let Bericht::Jw323(b) = bericht {
            for c in &b.declaratie.clienten.client {
                for p in &c.prestaties.prestatie {
                    tx.insert_aanbieder_prestatie(&AanbiederPrestatie {
                        id: 0,
                        bericht_id: id,
                        aanbieder_agb: agb.to_owned(),
                        bsn: c.bsn.clone(),
                        referentie_nummer: p.product_referentie.referentie_nummer.clone(),
                        vorig_referentie_nummer: p
                            .product_referentie
                            .vorig_referentie_nummer
                            .clone(),
                        toewijzing_nummer: p.toewijzing_nummer,
                        product_categorie: p.product_categorie.code().to_owned(),
                        product_code: p.product_code.clone(),
                        begindatum: p.product_periode.begindatum,
                        einddatum: p.product_periode.einddatum,
                        geleverd_volume: p.geleverd_volume,
                        eenheid: p.eenheid.code().to_owned(),
                        product_tarief: p.product_tarief,
                        bedrag: p.ingediend_bedrag.bedrag,
                        credit: i64::from(
                            p.ingediend_bedrag.debet_credit == codes::DebetCredit::Credit,
                        ),
                        status: "ingediend".into(),
                        retour_codes: None,
                    })
                    .await?;
                }
            }
        }
        tx.append_audit(&NewAuditRecord {
            jeugdige_id: client.map(|(_, j)| j),
            casus_id: client.map(|(c, _)| c),
            ..record(actor, event, DOEL, "gelukt", now)
        })
        .await?;
        let stored = tx
            .aanbieder_bericht(agb, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("aanbieder_bericht {id} verdween"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// A JW301, JW319 or JW325 that passed every check, applied at the provider
    /// it was sent to: the allocation's versions, or the answer with its
    /// request or declaration.
    pub(super) async fn aanbieder_pas_toe(
        &self,
        tx: &mut Tx,
        ontvangst: Ontvangst<'_>,
        bericht: &Bericht,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let agb = ontvangst.receiver;
        let gemeente = ontvangst.sender;
        match bericht {
            Bericht::Jw301(b) => {
                for p in &b.client.toegewezen_producten.toegewezen_product {
                    tx.insert_ontvangen_toewijzing(
                        &versie(agb, gemeente, &b.client, p, ontvangst.inbox_id),
                        now,
                    )
                    .await?;
                }
            }
            Bericht::Jw319(b) => {
                let referentie = b.antwoord.referentie_aanbieder.as_str();
                let verzoek = tx
                    .aanbieder_berichten(
                        agb,
                        gemeente,
                        &Deel {
                            referenties: vec![referentie],
                            ..Deel::default()
                        },
                        &["JW315", "JW317"],
                    )
                    .await?
                    .into_iter()
                    .find(|v| v.referentie_aanbieder.as_deref() == Some(referentie));
                if let Some(verzoek) = verzoek {
                    tx.insert_ontvangen_antwoord(
                        &antwoord_319(&b.antwoord, verzoek.id, ontvangst.inbox_id),
                        now,
                    )
                    .await?;
                }
            }
            Bericht::Jw325(b) => {
                let Some(declaratie) = tx
                    .aanbieder_bericht_met(
                        agb,
                        "JW323",
                        &b.header.declaratie_identificatie.identificatie,
                    )
                    .await?
                else {
                    return Ok(());
                };
                let beoordeling = Beoordeling::van(b, body);
                for p in tx
                    .aanbieder_prestaties(
                        agb,
                        gemeente,
                        &Deel {
                            berichten: vec![declaratie.id],
                            ..Deel::default()
                        },
                    )
                    .await?
                {
                    let (status, codes) = beoordeling.van_prestatie(&p.referentie_nummer);
                    tx.beoordeel_aanbieder_prestatie(p.id, status, codes.as_deref())
                        .await?;
                }
                tx.insert_ontvangen_antwoord(
                    &OntvangenAntwoord {
                        id: 0,
                        bericht_id: declaratie.id,
                        berichtsoort: "JW325".into(),
                        verzoek_antwoord: None,
                        reden_afwijzing: None,
                        woonplaats_gemeente: None,
                        retour_codes: Some(beoordeling.codes.join(",")),
                        toegekend_bedrag: Some(beoordeling.toegekend),
                        inbox_id: ontvangst.inbox_id,
                    },
                    now,
                )
                .await?;
                let goedgekeurd = declaratie.ingediend_bedrag == Some(beoordeling.toegekend)
                    && !beoordeling.geheel_afgewezen;
                tx.record_retour(declaratie.outbox_id, ontvangst.inbox_id, goedgekeurd)
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A JW325 at a provider hosted here: it answers one of its declarations,
    /// is judged against what the provider sent, and recorded; a JW325 itself
    /// is never answered.
    #[allow(
        clippy::too_many_arguments,
        reason = "one message judged within its batch"
    )]
    pub(super) async fn declaratie_antwoord_ontvangen(
        &self,
        tx: &mut Tx,
        claimed: &jeugdroute_store::Claimed,
        partij: &Partij,
        ontvangst: Ontvangst<'_>,
        bericht: &Bericht,
        mut findings: Vec<ijw::Finding>,
        now: DateTime<Utc>,
    ) -> Result<Beoordeeld, AppError> {
        let Bericht::Jw325(b) = bericht else {
            return Ok(Beoordeeld::onleesbaar("geen JW325".into(), Vec::new()));
        };
        let declaratie_id = &b.header.declaratie_identificatie.identificatie;
        let declaratie = tx
            .aanbieder_bericht_met(ontvangst.receiver, "JW323", declaratie_id)
            .await?
            .filter(|d| d.gemeente_code == ontvangst.sender);
        if declaratie.is_none() {
            return Ok(Beoordeeld::onleesbaar(
                format!(
                    "JW325 van {}: wij stuurden geen JW323 met identificatie {declaratie_id}",
                    ontvangst.sender
                ),
                Vec::new(),
            ));
        }
        if findings.is_empty() {
            let (history, _) = self
                .history(tx, claimed, partij, ontvangst, bericht)
                .await?;
            findings = ijw::check_against(bericht, &history);
        }
        if findings.is_empty() {
            self.aanbieder_pas_toe(tx, ontvangst, bericht, &claimed.message.body, now)
                .await?;
        }
        Ok(Beoordeeld {
            state: if findings.is_empty() {
                "verwerkt"
            } else {
                "afgekeurd"
            },
            reden: findings.first().map(|f| f.message.clone()),
            bevindingen: findings.iter().map(super::Bevinding::from).collect(),
            antwoord: Antwoord::Geen,
            casus: None,
        })
    }
}

/// What a provider knows of its exchange with one gemeente, as the rules
/// across messages on `bericht` (its own, or one it received) need it, and only
/// the part of it that `bericht` concerns ([`Sleutels`]): the allocations of its
/// client or with its numbers (latest version each); its requests of that client
/// or with its references, with what became of them, only for an allocation, a
/// request or an answer to one; the client's starts and stops in force only for a
/// start or stop; its declarations only for a declaration or its answer; the
/// prestaties on its allocations or with its references (and their credits) only
/// for an allocation, a declaration or its answer. The declaration a JW325
/// answers counts even when it was rejected whole.
pub(super) async fn vul_history(
    tx: &mut Tx,
    history: &mut History,
    (agb, gemeente): (&str, &str),
    bericht: &Bericht,
) -> Result<(), AppError> {
    let sleutels = Sleutels::van(bericht);
    let toewijzingen = Deel {
        bsn: sleutels.bsn,
        nummers: sleutels.nummers.clone(),
        ..Deel::default()
    };
    if !toewijzingen.is_leeg() {
        let versies = tx
            .ontvangen_toewijzingen(agb, gemeente, &toewijzingen)
            .await?;
        history
            .allocations
            .extend(laatste_versies(versies).iter().map(bekend));
    }
    if matches!(
        bericht,
        Bericht::Jw301(_) | Bericht::Jw315(_) | Bericht::Jw317(_) | Bericht::Jw319(_)
    ) {
        verzoeken(tx, history, (agb, gemeente), &sleutels).await?;
    }
    if let (Bericht::Jw305(_) | Bericht::Jw307(_), Some(bsn)) = (bericht, sleutels.bsn) {
        let berichten = tx
            .aanbieder_berichten(agb, gemeente, &Deel::client(bsn), &["JW305", "JW307"])
            .await?;
        let verwijderd: HashSet<i64> = berichten.iter().filter_map(|b| b.verwijdert_id).collect();
        for b in &berichten {
            let afgekeurd = b.retour_state.as_deref() == Some("afgekeurd");
            if !afgekeurd && b.verwijdert_id.is_none() && !verwijderd.contains(&b.id) {
                levering(history, b)?;
            }
        }
    }
    if let Bericht::Jw323(_) | Bericht::Jw325(_) = bericht {
        declaraties(tx, history, (agb, gemeente), bericht).await?;
    }
    if let Bericht::Jw301(_) | Bericht::Jw323(_) | Bericht::Jw325(_) = bericht {
        prestaties(tx, history, (agb, gemeente), &sleutels).await?;
    }
    Ok(())
}

/// What a message is about, for the part of the history it is judged against:
/// its client, the allocations it names, the ReferentieAanbieder of its
/// requests and the ReferentieNummers of its prestaties (their own and those
/// they credit).
#[derive(Default)]
struct Sleutels<'a> {
    bsn: Option<&'a str>,
    nummers: Vec<i64>,
    referenties: Vec<&'a str>,
    prestaties: Vec<&'a str>,
}

impl<'a> Sleutels<'a> {
    fn van(bericht: &'a Bericht) -> Self {
        let mut s = Sleutels::default();
        match bericht {
            Bericht::Jw301(b) => {
                s.bsn = Some(&b.client.bsn);
                for p in &b.client.toegewezen_producten.toegewezen_product {
                    s.nummers.push(p.toewijzing_nummer);
                    s.referenties.extend(p.referentie_aanbieder.as_deref());
                }
            }
            Bericht::Jw305(b) => {
                s.bsn = Some(&b.client.bsn);
                let starts = &b.client.start_producten.start_product;
                s.nummers
                    .extend(starts.iter().filter_map(|p| p.toewijzing_nummer));
            }
            Bericht::Jw307(b) => {
                s.bsn = Some(&b.client.bsn);
                let stops = &b.client.stop_producten.stop_product;
                s.nummers
                    .extend(stops.iter().filter_map(|p| p.toewijzing_nummer));
            }
            Bericht::Jw315(b) => {
                s.bsn = Some(&b.client.bsn);
                let products = &b.client.aangevraagde_producten.aangevraagd_product;
                s.referenties
                    .extend(products.iter().map(|p| p.referentie_aanbieder.as_str()));
            }
            Bericht::Jw317(b) => {
                let v = &b.client.verzoek;
                s.bsn = Some(&b.client.bsn);
                s.referenties.push(&v.referentie_aanbieder);
                let ongewijzigd = v
                    .ongewijzigde_producten
                    .iter()
                    .flat_map(|o| &o.ongewijzigd_product);
                s.nummers.extend(ongewijzigd.map(|p| p.toewijzing_nummer));
                let te_wijzigen = v
                    .te_wijzigen_producten
                    .iter()
                    .flat_map(|t| &t.te_wijzigen_product);
                s.nummers.extend(te_wijzigen.map(|p| p.toewijzing_nummer));
            }
            Bericht::Jw319(b) => s.referenties.push(&b.antwoord.referentie_aanbieder),
            Bericht::Jw323(b) => {
                for p in b
                    .declaratie
                    .clienten
                    .client
                    .iter()
                    .flat_map(|c| &c.prestaties.prestatie)
                {
                    s.nummers.push(p.toewijzing_nummer);
                    let r = &p.product_referentie;
                    s.prestaties.push(&r.referentie_nummer);
                    s.prestaties.extend(r.vorig_referentie_nummer.as_deref());
                }
            }
            Bericht::Jw325(b) => {
                let clients = b.declaratie_antwoord.iter().flat_map(|a| a.clienten.iter());
                for p in clients
                    .flat_map(|c| &c.client)
                    .flat_map(|c| &c.prestaties.prestatie)
                {
                    s.prestaties.push(&p.product_referentie.referentie_nummer);
                }
            }
            _ => {}
        }
        s
    }
}

/// The provider's requests of the message's client or with its references, each
/// with whether an allocation honoured it and the JW319 answers it got.
async fn verzoeken(
    tx: &mut Tx,
    history: &mut History,
    (agb, gemeente): (&str, &str),
    sleutels: &Sleutels<'_>,
) -> Result<(), AppError> {
    let deel = Deel {
        bsn: sleutels.bsn,
        referenties: sleutels.referenties.clone(),
        ..Deel::default()
    };
    let berichten = tx
        .aanbieder_berichten(agb, gemeente, &deel, &["JW315", "JW317"])
        .await?;
    let gevraagd = Deel {
        referenties: berichten
            .iter()
            .filter_map(|b| b.referentie_aanbieder.as_deref())
            .collect(),
        ..Deel::default()
    };
    let toegewezen: HashSet<String> = if gevraagd.is_leeg() {
        HashSet::new()
    } else {
        let versies = tx.ontvangen_toewijzingen(agb, gemeente, &gevraagd).await?;
        versies
            .into_iter()
            .filter_map(|v| v.referentie_aanbieder)
            .collect()
    };
    let antwoorden = antwoorden_op(tx, (agb, gemeente), &berichten).await?;
    for b in &berichten {
        if let (Some(referentie), Some(bsn)) = (&b.referentie_aanbieder, &b.bsn) {
            history.requests.push(KnownRequest {
                bsn: bsn.clone(),
                referentie_aanbieder: referentie.clone(),
                toegewezen: toegewezen.contains(referentie),
                antwoorden: antwoorden
                    .get(&b.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.verzoek_antwoord.clone())
                    .collect(),
            });
        }
    }
    Ok(())
}

/// The answers received on these messages of the provider, by the message they
/// answer, oldest first.
async fn antwoorden_op(
    tx: &mut Tx,
    (agb, gemeente): (&str, &str),
    berichten: &[AanbiederBericht],
) -> Result<HashMap<i64, Vec<OntvangenAntwoord>>, AppError> {
    let deel = Deel {
        berichten: berichten.iter().map(|b| b.id).collect(),
        ..Deel::default()
    };
    let mut per_bericht: HashMap<i64, Vec<OntvangenAntwoord>> = HashMap::new();
    if !deel.is_leeg() {
        for a in tx.ontvangen_antwoorden(agb, gemeente, &deel).await? {
            per_bericht.entry(a.bericht_id).or_default().push(a);
        }
    }
    Ok(per_bericht)
}

/// The provider's declarations to the gemeente, but those rejected whole (other
/// than the one a JW325 answers). A provider declares about once a month, so
/// these are read whole: a few a year.
async fn declaraties(
    tx: &mut Tx,
    history: &mut History,
    (agb, gemeente): (&str, &str),
    bericht: &Bericht,
) -> Result<(), AppError> {
    let judged = match bericht {
        Bericht::Jw325(b) => Some(b.header.declaratie_identificatie.identificatie.as_str()),
        _ => None,
    };
    let berichten = tx.aanbieder_declaraties(agb, gemeente).await?;
    let antwoorden = antwoorden_op(tx, (agb, gemeente), &berichten).await?;
    for b in &berichten {
        let answer = antwoorden.get(&b.id).and_then(|a| a.first());
        let geheel_afgewezen = answer.is_some_and(|a| {
            a.toegekend_bedrag == Some(0) && b.retour_state.as_deref() == Some("afgekeurd")
        });
        if geheel_afgewezen && judged != Some(b.identificatie.as_str()) {
            continue;
        }
        if let Ok(Bericht::Jw323(d)) = ijw::decode(b.body.as_bytes()) {
            history.declaraties.push(KnownDeclaratie {
                identificatie: d.header.bericht_identificatie.identificatie.clone(),
                dagtekening: d.header.bericht_identificatie.dagtekening,
                declaratie_nummer: d.declaratie.declaratie_nummer.clone(),
                begindatum: d.declaratie.declaratie_periode.begindatum,
                einddatum: d.declaratie.declaratie_periode.einddatum,
                basisschema_xsd_versie: d.header.xsd_versie.basisschema_xsd_versie.clone(),
                bericht_xsd_versie: d.header.xsd_versie.bericht_xsd_versie.clone(),
            });
        }
    }
    Ok(())
}

/// The prestaties on the message's allocations or with its ReferentieNummers,
/// and the credits on those.
async fn prestaties(
    tx: &mut Tx,
    history: &mut History,
    (agb, gemeente): (&str, &str),
    sleutels: &Sleutels<'_>,
) -> Result<(), AppError> {
    let deel = Deel {
        nummers: sleutels.nummers.clone(),
        referenties: sleutels.prestaties.clone(),
        ..Deel::default()
    };
    if deel.is_leeg() {
        return Ok(());
    }
    let gevonden = tx.aanbieder_prestaties(agb, gemeente, &deel).await?;
    // Asked again by their own ReferentieNummers, they come back with their credits.
    let met_credits = Deel {
        referenties: gevonden
            .iter()
            .map(|p| p.referentie_nummer.as_str())
            .collect(),
        ..Deel::default()
    };
    let gevonden = if met_credits.is_leeg() {
        gevonden
    } else {
        tx.aanbieder_prestaties(agb, gemeente, &met_credits).await?
    };
    for p in gevonden {
        history.prestaties.push(KnownPrestatie {
            bsn: p.bsn,
            referentie_nummer: p.referentie_nummer,
            vorig_referentie_nummer: p.vorig_referentie_nummer,
            toewijzing_nummer: p.toewijzing_nummer,
            product_categorie: p.product_categorie,
            product_code: p.product_code,
            begindatum: p.begindatum,
            einddatum: p.einddatum,
            geleverd_volume: p.geleverd_volume,
            eenheid: p.eenheid,
            product_tarief: p.product_tarief,
            bedrag: p.bedrag,
            credit: p.credit != 0,
            status: match p.status.as_str() {
                "goedgekeurd" => PrestatieStatus::Goedgekeurd,
                "afgewezen" => PrestatieStatus::Afgewezen,
                _ => PrestatieStatus::Ingediend,
            },
        });
    }
    Ok(())
}

/// A start or stop the provider sent and did not remove, as the gemeente knows it.
fn levering(history: &mut History, b: &AanbiederBericht) -> Result<(), AppError> {
    let bericht = ijw::decode(b.body.as_bytes())
        .map_err(|e| anyhow::anyhow!("eigen bericht {}: {e:?}", b.id))?;
    match bericht {
        Bericht::Jw305(s) => {
            for p in s.client.start_producten.start_product {
                let (categorie, code) = product_strings(p.product.as_ref());
                history.starts.push(KnownDelivery {
                    bsn: s.client.bsn.clone(),
                    toewijzing_nummer: p.toewijzing_nummer,
                    categorie,
                    code,
                    begindatum: p.begindatum,
                    reden_beeindiging: None,
                    einddatum: None,
                });
            }
        }
        Bericht::Jw307(s) => {
            for p in s.client.stop_producten.stop_product {
                let (categorie, code) = product_strings(p.product.as_ref());
                history.stops.push(KnownDelivery {
                    bsn: s.client.bsn.clone(),
                    toewijzing_nummer: p.toewijzing_nummer,
                    categorie,
                    code,
                    begindatum: p.begindatum,
                    reden_beeindiging: Some(p.reden_beeindiging.code().to_owned()),
                    einddatum: Some(p.einddatum),
                });
            }
        }
        _ => {}
    }
    Ok(())
}

fn product_strings(product: Option<&basis::Product>) -> (Option<String>, Option<String>) {
    match product {
        Some(p) => (Some(p.categorie.code().to_owned()), p.code.clone()),
        None => (None, None),
    }
}

/// The latest version of each allocation, from versions ordered by number and
/// then oldest first.
fn laatste_versies(versies: Vec<OntvangenToewijzing>) -> Vec<OntvangenToewijzing> {
    let mut laatste: Vec<OntvangenToewijzing> = Vec::new();
    for v in versies {
        match laatste.last_mut() {
            Some(l) if l.toewijzing_nummer == v.toewijzing_nummer => *l = v,
            _ => laatste.push(v),
        }
    }
    laatste
}

/// A received allocation as the rules across messages know it.
fn bekend(v: &OntvangenToewijzing) -> KnownAllocation {
    KnownAllocation {
        bsn: v.bsn.clone(),
        toewijzing_nummer: v.toewijzing_nummer,
        categorie: v.product_categorie.clone().unwrap_or_default(),
        code: v.product_code.clone(),
        eenheid: v.eenheid.clone(),
        volume: v.volume,
        frequentie: v.frequentie.clone(),
        budget: v.budget,
        ingangsdatum: v.ingangsdatum,
        einddatum: v.einddatum,
        reden_wijziging: v.reden_wijziging.clone(),
    }
}

/// One version of a ToegewezenProduct as the provider keeps it.
fn versie(
    agb: &str,
    gemeente: &str,
    client: &jw301::Client,
    p: &jw301::ToegewezenProduct,
    inbox_id: i64,
) -> OntvangenToewijzing {
    let naam = &client.naam;
    let achternaam = match &naam.geslachtsnaam.voorvoegsel {
        Some(v) => format!("{v} {}", naam.geslachtsnaam.achternaam),
        None => naam.geslachtsnaam.achternaam.clone(),
    };
    let voor = naam.voornamen.as_ref().or(naam.voorletters.as_ref());
    OntvangenToewijzing {
        id: 0,
        aanbieder_agb: agb.to_owned(),
        gemeente_code: gemeente.to_owned(),
        toewijzing_nummer: p.toewijzing_nummer,
        bsn: client.bsn.clone(),
        naam: match voor {
            Some(v) => format!("{v} {achternaam}"),
            None => achternaam,
        }
        .chars()
        .take(400)
        .collect(),
        geboortedatum: client.geboortedatum.datum,
        product_categorie: p.product.as_ref().map(|x| x.categorie.code().to_owned()),
        product_code: p.product.as_ref().and_then(|x| x.code.clone()),
        toewijzingsdatum: p.toewijzingsdatum,
        toewijzingstijd: p.toewijzingstijd,
        ingangsdatum: p.ingangsdatum,
        einddatum: p.einddatum,
        reden_wijziging: p.reden_wijziging.map(|r| r.code().to_owned()),
        volume: p.omvang.as_ref().map(|o| o.volume),
        eenheid: p.omvang.as_ref().map(|o| o.eenheid.code().to_owned()),
        frequentie: p.omvang.as_ref().map(|o| o.frequentie.code().to_owned()),
        budget: p.budget,
        referentie_aanbieder: p.referentie_aanbieder.clone(),
        inbox_id,
    }
}

fn antwoord_319(a: &jw319::Antwoord, bericht_id: i64, inbox_id: i64) -> OntvangenAntwoord {
    OntvangenAntwoord {
        id: 0,
        bericht_id,
        berichtsoort: "JW319".into(),
        verzoek_antwoord: Some(a.verzoek_antwoord.code().to_owned()),
        reden_afwijzing: a.reden_afwijzing_verzoek.map(|r| r.code().to_owned()),
        woonplaats_gemeente: a.woonplaatsbeginsel.as_ref().map(|w| w.gemeente.clone()),
        retour_codes: None,
        toegekend_bedrag: None,
        inbox_id,
    }
}

/// What a JW325 says of a declaration.
struct Beoordeling {
    /// The codes of the header and of the DeclaratieAntwoord.
    codes: Vec<String>,
    /// The approved total, debet positive, in eurocent.
    toegekend: i64,
    /// Refused as a whole: no DeclaratieAntwoord, or one whose codes are not
    /// 0200 or 8001.
    geheel_afgewezen: bool,
    /// Prestaties the JW325 lists, by ReferentieNummer, with their codes.
    genoemd: Vec<(String, Vec<String>)>,
}

/// Rule: iJw IV087 — 8001: the declaration is approved in full.
const GOEDGEKEURD: &str = "8001";

impl Beoordeling {
    fn van(b: &jw325::Bericht, body: &[u8]) -> Beoordeling {
        let mut codes: Vec<String> = b
            .header
            .retour_codes
            .retour_code
            .iter()
            .map(|c| c.code().to_owned())
            .collect();
        let Some(antwoord) = &b.declaratie_antwoord else {
            return Beoordeling {
                codes: if codes.is_empty() {
                    retourcodes(body)
                } else {
                    codes
                },
                toegekend: 0,
                geheel_afgewezen: true,
                genoemd: Vec::new(),
            };
        };
        let eigen: Vec<String> = antwoord
            .retour_codes
            .retour_code
            .iter()
            .map(|c| c.code().to_owned())
            .collect();
        let geheel_afgewezen = eigen
            .iter()
            .any(|c| c != GEEN_OPMERKING && c != GOEDGEKEURD);
        codes.extend(eigen);
        let t = &antwoord.totaal_toegekend_bedrag;
        let toegekend = if t.debet_credit == codes::DebetCredit::Credit {
            -t.totaal_bedrag
        } else {
            t.totaal_bedrag
        };
        let genoemd = antwoord
            .clienten
            .iter()
            .flat_map(|c| &c.client)
            .flat_map(|c| &c.prestaties.prestatie)
            .map(|p| {
                (
                    p.product_referentie.referentie_nummer.clone(),
                    p.retour_codes
                        .retour_code
                        .iter()
                        .map(|c| c.code().to_owned())
                        .collect(),
                )
            })
            .collect();
        Beoordeling {
            codes,
            toegekend,
            geheel_afgewezen,
            genoemd,
        }
    }

    /// A prestatie's status and codes: rejected when the declaration was, or
    /// when the JW325 lists it with a code other than 0200; approved otherwise.
    fn van_prestatie(&self, referentie: &str) -> (&'static str, Option<String>) {
        if self.geheel_afgewezen {
            return ("afgewezen", Some(self.codes.join(",")));
        }
        match self.genoemd.iter().find(|(r, _)| r == referentie) {
            Some((_, codes)) if codes.iter().any(|c| c != GEEN_OPMERKING) => {
                ("afgewezen", Some(codes.join(",")))
            }
            _ => ("goedgekeurd", None),
        }
    }
}

/// An allocation in force and its client as the JW301 carried it.
struct Gegeven {
    actueel: OntvangenToewijzing,
    client: jw301::Client,
}

/// A message being written: see [`App::concept`].
struct Concept {
    tx: Tx,
    now: DateTime<Utc>,
    gegeven: Gegeven,
    soort: Berichtsoort,
    volgnummer: i64,
    id: String,
}

/// What the provider's own record of a message says besides its XML.
struct Nieuw<'a> {
    soort: Berichtsoort,
    volgnummer: i64,
    identificatie: &'a str,
    toewijzing: Option<&'a OntvangenToewijzing>,
    referentie: Option<&'a str>,
    declaratie: Option<(&'a str, i64)>,
    verwijdert: Option<i64>,
}

impl<'a> Nieuw<'a> {
    /// A message about one allocation, with no request, declaration or removal.
    fn over(
        soort: Berichtsoort,
        volgnummer: i64,
        identificatie: &'a str,
        toewijzing: &'a OntvangenToewijzing,
    ) -> Nieuw<'a> {
        Nieuw {
            soort,
            volgnummer,
            identificatie,
            toewijzing: Some(toewijzing),
            referentie: None,
            declaratie: None,
            verwijdert: None,
        }
    }
}

/// Rule: iJw TR056 — a provider uses an Identificatie once per message type:
/// the type and its own count (12 positions, like `JW3050000001`).
fn identificatie(soort: Berichtsoort, volgnummer: i64) -> String {
    format!("{}{volgnummer:07}", soort.name())
}

fn ident(identificatie: &str, dagtekening: NaiveDate) -> basis::BerichtIdentificatie {
    basis::BerichtIdentificatie {
        identificatie: identificatie.to_owned(),
        dagtekening,
    }
}

fn verkort(naam: &basis::VolledigeNaam) -> basis::VerkorteNaam {
    basis::VerkorteNaam {
        geslachtsnaam: naam.geslachtsnaam.clone(),
        voornamen: naam.voornamen.clone(),
        voorletters: naam.voorletters.clone(),
    }
}

/// The allocation's product as it was sent; `None` for a generic allocation.
fn product(a: &OntvangenToewijzing) -> Result<Option<basis::Product>, AppError> {
    Ok(match &a.product_categorie {
        Some(categorie) => Some(basis::Product {
            categorie: parse_opgeslagen(categorie)?,
            code: a.product_code.clone(),
        }),
        None => None,
    })
}

/// A code kept from a received message (it passed the schema then).
fn parse_opgeslagen<T: FromStr>(value: &str) -> Result<T, AppError> {
    value
        .parse()
        .map_err(|_| anyhow::anyhow!("opgeslagen code {value} is niet geldig").into())
}

/// A code of an iJw code list, by field; a wrong code fails with the field.
fn code<T: FromStr>(check: &mut Check, field: &'static str, value: &str) -> Option<T> {
    let value = value.trim();
    let parsed = value.parse().ok();
    if parsed.is_none() {
        check.fail(
            field,
            format!(
                "{}: '{}' is geen geldige code.",
                label(field),
                value.chars().take(10).collect::<String>()
            ),
        );
    }
    parsed
}

fn label(field: &str) -> &'static str {
    match field {
        "reden_beeindiging" => "Reden van het einde",
        "reden_verzoek" => "Reden van het verzoek",
        "productcategorie" => "Productcategorie",
        "eenheid" => "Eenheid",
        "frequentie" => "Frequentie",
        "verwijzer" => "Verwijzer",
        _ => "Veld",
    }
}

fn omvang(check: &mut Check, o: &OmvangInvoer) -> Option<basis::Omvang> {
    if !(1..=MAX_GETAL).contains(&o.volume) {
        check.fail(
            "volume",
            "Volume: geef een geheel getal van 1 tot en met 99999999.",
        );
    }
    let eenheid = code::<codes::Eenheid>(check, "eenheid", &o.eenheid);
    let frequentie = code::<codes::Frequentie>(check, "frequentie", &o.frequentie);
    Some(basis::Omvang {
        volume: o.volume,
        eenheid: eenheid?,
        frequentie: frequentie?,
    })
}

fn einde_na_begin(check: &mut Check, begin: NaiveDate, einde: Option<NaiveDate>) {
    if einde.is_some_and(|e| e < begin) {
        check.fail(
            "einddatum",
            "Einddatum: de periode kan niet eindigen vóór de ingangsdatum.",
        );
    }
}

/// The gemeente's case and youth of an allocation, when the gemeente is a
/// party of this installation (for the audit record and the outbox row).
async fn client_van(
    tx: &mut Tx,
    sleutel: &Toewijzingsleutel,
) -> Result<Option<(i64, i64)>, AppError> {
    Ok(tx
        .casus_van_toewijzing(&sleutel.gemeente, sleutel.toewijzingnummer)
        .await?)
}
