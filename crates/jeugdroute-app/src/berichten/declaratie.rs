//! A provider's declaration (JW323) as the gemeente judges it (iJw 3.2 §3.6):
//! every prestatie against its allocation and the earlier declarations (the
//! `ijw` crate's rules on a History filled from the database) and against the
//! contract's tariff (TR418, which needs the contract and so is checked here);
//! what the JW325 granted and rejected is kept per prestatie and per
//! declaration, so later declarations and credits are judged against it.

use chrono::{DateTime, Utc};
use ijw::types::codes::DebetCredit;
use ijw::types::{jw323, jw325};
use ijw::{Finding, History, KnownDeclaratie, KnownPrestatie, PrestatieStatus};
use jeugdroute_domain::{Contract, Productcode};
use jeugdroute_store::{Declaratie, Prestatie, Tx};

use super::Ontvangst;
use crate::{App, AppError};

/// Rule: iJw TR418 (retourcode 0611) — ProductTarief is the contractual tariff.
const TR418: &str = "0611";

/// Rule: iJw IV087 — a DeclaratieAntwoord with 0200 (partly approved) or 8001
/// (fully approved) judged the prestaties; any other code rejected the whole
/// declaration, which then counts as not sent.
const BEOORDEELD: [&str; 2] = ["0200", "8001"];

fn signed(amount: i64, dc: DebetCredit) -> i64 {
    if dc == DebetCredit::Credit {
        -amount
    } else {
        amount
    }
}

impl App {
    /// The provider's earlier declarations and prestaties that the rules on this
    /// one look at, and the allocations to every client of this declaration: the
    /// history of the rules on declarations.
    pub(super) async fn declaratie_history(
        &self,
        tx: &mut Tx,
        gemeente: &str,
        aanbieder: &str,
        bericht: &jw323::Bericht,
        history: &mut History,
    ) -> Result<(), AppError> {
        let declaratie = &bericht.declaratie;
        for d in tx
            .declaraties_voor(gemeente, aanbieder, &declaratie.declaratie_nummer)
            .await?
        {
            history.declaraties.push(KnownDeclaratie {
                identificatie: d.identificatie,
                dagtekening: d.dagtekening,
                declaratie_nummer: d.declaratie_nummer,
                begindatum: d.begindatum,
                einddatum: d.einddatum,
                basisschema_xsd_versie: d.basisschema_xsd_versie,
                bericht_xsd_versie: d.bericht_xsd_versie,
            });
        }
        let prestaties = || {
            declaratie
                .clienten
                .client
                .iter()
                .flat_map(|c| &c.prestaties.prestatie)
        };
        let mut toewijzingen: Vec<i64> = prestaties().map(|p| p.toewijzing_nummer).collect();
        toewijzingen.sort_unstable();
        toewijzingen.dedup();
        let mut referenties: Vec<&str> = prestaties()
            .flat_map(|p| {
                let r = &p.product_referentie;
                std::iter::once(r.referentie_nummer.as_str())
                    .chain(r.vorig_referentie_nummer.as_deref())
            })
            .collect();
        referenties.sort_unstable();
        referenties.dedup();
        for p in tx
            .prestaties_voor(gemeente, aanbieder, &toewijzingen, &referenties)
            .await?
        {
            history.prestaties.push(KnownPrestatie {
                bsn: p.bsn,
                referentie_nummer: p.referentie_nummer,
                vorig_referentie_nummer: p.vorig_referentie_nummer,
                toewijzing_nummer: p.toewijzing_nummer,
                product_categorie: p.productcategorie,
                product_code: p.productcode,
                begindatum: p.begindatum,
                einddatum: p.einddatum,
                geleverd_volume: p.geleverd_volume,
                eenheid: p.eenheid,
                product_tarief: p.tarief_cents,
                bedrag: p.bedrag_cents,
                credit: p.credit,
                status: if p.status == "afgewezen" {
                    PrestatieStatus::Afgewezen
                } else {
                    PrestatieStatus::Goedgekeurd
                },
            });
        }
        let mut bsns: Vec<&str> = bericht
            .declaratie
            .clienten
            .client
            .iter()
            .map(|c| c.bsn.as_str())
            .collect();
        bsns.sort_unstable();
        bsns.dedup();
        for bsn in bsns {
            for t in tx.toewijzingen_voor_bsn(gemeente, bsn).await? {
                if t.aanbieder.as_str() == aanbieder {
                    history.allocations.push(self.known_allocation(bsn, &t));
                }
            }
        }
        Ok(())
    }

    /// Every prestatie whose ProductTarief is not the tariff of the provider's
    /// contract for its product on its first day (or that has no contract).
    pub(super) async fn tarieven_toetsen(
        &self,
        tx: &mut Tx,
        aanbieder: &str,
        bericht: &jw323::Bericht,
    ) -> Result<Vec<Finding>, AppError> {
        let mut findings = Vec::new();
        // The provider's contracts, asked once per product code of the message.
        let mut contracten: Vec<(&str, Vec<Contract>)> = Vec::new();
        let clients = &bericht.declaratie.clienten.client;
        for (ci, client) in clients.iter().enumerate() {
            let client_path =
                ijw::xml::indexed("Bericht/Declaratie/Clienten/Client", ci, clients.len());
            let prestaties = &client.prestaties.prestatie;
            for (pi, p) in prestaties.iter().enumerate() {
                let Some(tarief) = p.product_tarief else {
                    continue;
                };
                if !contracten.iter().any(|(code, _)| *code == p.product_code) {
                    let of_code = match Productcode::parse(&p.product_code) {
                        Ok(code) => tx.contracts_of(aanbieder, &code).await?,
                        Err(_) => Vec::new(),
                    };
                    contracten.push((&p.product_code, of_code));
                }
                let agreed = contracten
                    .iter()
                    .filter(|(code, _)| *code == p.product_code)
                    .flat_map(|(_, of_code)| of_code)
                    .find(|c| c.covers(p.product_periode.begindatum));
                if agreed.as_ref().is_some_and(|c| c.agreed_tariff(tarief)) {
                    continue;
                }
                let message = match agreed {
                    Some(c) => format!(
                        "ProductTarief {tarief} is niet het tarief {} uit het contract voor ProductCode {}",
                        c.tariff_cents, p.product_code
                    ),
                    None => format!(
                        "er is geen contract met deze aanbieder voor ProductCode {} op {}",
                        p.product_code, p.product_periode.begindatum
                    ),
                };
                findings.push(Finding {
                    code: Some(TR418),
                    rule: "TR418".to_owned(),
                    element: ijw::xml::indexed(
                        &format!("{client_path}/Prestaties/Prestatie"),
                        pi,
                        prestaties.len(),
                    ),
                    line: 0,
                    message,
                });
            }
        }
        Ok(findings)
    }

    /// Keeps a judged declaration with what its JW325 granted and rejected
    /// (when [`beoordeeld`] gives the judgement);
    /// a declaration rejected whole is not kept (it counts as not sent).
    pub(super) async fn declaratie_vastleggen(
        &self,
        tx: &mut Tx,
        ontvangst: Ontvangst<'_>,
        bericht: &jw323::Bericht,
        antwoord: &jw325::Bericht,
        antwoord_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let Some(a) = beoordeeld(antwoord) else {
            return Ok(());
        };
        let d = &bericht.declaratie;
        let afgewezen: Vec<&jw325::Prestatie> = a
            .clienten
            .iter()
            .flat_map(|c| &c.client)
            .flat_map(|c| &c.prestaties.prestatie)
            .collect();
        let mut prestaties = Vec::new();
        for client in &d.clienten.client {
            for p in &client.prestaties.prestatie {
                let codes = afgewezen
                    .iter()
                    .find(|r| r.product_referentie == p.product_referentie)
                    .map(|r| {
                        r.retour_codes
                            .retour_code
                            .iter()
                            .map(|c| c.code())
                            .collect::<Vec<_>>()
                            .join(",")
                    });
                prestaties.push(Prestatie {
                    bsn: client.bsn.clone(),
                    referentie_nummer: p.product_referentie.referentie_nummer.clone(),
                    vorig_referentie_nummer: p.product_referentie.vorig_referentie_nummer.clone(),
                    toewijzing_nummer: p.toewijzing_nummer,
                    productcategorie: p.product_categorie.code().to_owned(),
                    productcode: p.product_code.clone(),
                    begindatum: p.product_periode.begindatum,
                    einddatum: p.product_periode.einddatum,
                    geleverd_volume: p.geleverd_volume,
                    eenheid: p.eenheid.code().to_owned(),
                    tarief_cents: p.product_tarief,
                    bedrag_cents: p.ingediend_bedrag.bedrag,
                    credit: p.ingediend_bedrag.debet_credit == DebetCredit::Credit,
                    status: if codes.is_some() {
                        "afgewezen"
                    } else {
                        "goedgekeurd"
                    }
                    .into(),
                    retour_codes: codes,
                });
            }
        }
        let h = &bericht.header;
        tx.insert_declaratie(
            &Declaratie {
                inbox_id: ontvangst.inbox_id,
                gemeente_code: ontvangst.receiver.to_owned(),
                aanbieder_agb: ontvangst.sender.to_owned(),
                identificatie: h.bericht_identificatie.identificatie.clone(),
                dagtekening: h.bericht_identificatie.dagtekening,
                declaratie_nummer: d.declaratie_nummer.clone(),
                begindatum: d.declaratie_periode.begindatum,
                einddatum: d.declaratie_periode.einddatum,
                basisschema_xsd_versie: h.xsd_versie.basisschema_xsd_versie.clone(),
                bericht_xsd_versie: h.xsd_versie.bericht_xsd_versie.clone(),
                ingediend_cents: signed(
                    d.totaal_ingediend_bedrag.totaal_bedrag,
                    d.totaal_ingediend_bedrag.debet_credit,
                ),
                toegekend_cents: signed(
                    a.totaal_toegekend_bedrag.totaal_bedrag,
                    a.totaal_toegekend_bedrag.debet_credit,
                ),
                antwoord_id,
                created_at: now,
            },
            &prestaties,
        )
        .await?;
        Ok(())
    }
}

/// The judgement of a declaration its JW325 holds, when the declaration was
/// judged (approved whole or in part); `None` when it was rejected whole.
pub(super) fn beoordeeld(antwoord: &jw325::Bericht) -> Option<&jw325::DeclaratieAntwoord> {
    antwoord.declaratie_antwoord.as_ref().filter(|a| {
        a.retour_codes
            .retour_code
            .iter()
            .all(|c| BEOORDEELD.contains(&c.code()))
    })
}
