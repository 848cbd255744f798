//! The demo region: regio Amersfoort with fictional providers, contracts, families
//! and accounts, so that a region can try Jeugdroute on a laptop. The data is a
//! TOML file embedded in the binary (`demo/regio-amersfoort.toml`); this module
//! reads it into domain types, naming the field of any error, and loads it in one
//! transaction. Loading twice changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Utc};
use jeugdroute_domain::{
    Aanbieder, AgbCode, Bsn, Contract, Gebruiker, Gemeente, Gemeentecode, Gezin, Jeugdige,
    ParseError, Productcategorie, Productcode, Regio, Rol,
};
use jeugdroute_store::NieuwAuditRecord;
use serde::Deserialize;

use crate::{App, AppError, wachtwoord};

const DEMO_BESTAND: &str = include_str!("../demo/regio-amersfoort.toml");

/// The password of every demo account. Demo accounts exist only in demo mode.
pub const DEMO_WACHTWOORD: &str = "demo";

/// The demo region, read and checked.
#[derive(Debug, Clone)]
pub struct DemoRegio {
    pub regio: Regio,
    pub gemeenten: Vec<Gemeente>,
    pub aanbieders: Vec<Aanbieder>,
    pub contracten: Vec<Contract>,
    pub gezinnen: Vec<(Gezin, Vec<Jeugdige>)>,
    pub accounts: Vec<DemoAccount>,
}

/// A demo account; its password is [`DEMO_WACHTWOORD`].
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub gebruiker: Gebruiker,
}

/// What a load added; all zero when the region was already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoVerslag {
    pub gemeenten: usize,
    pub aanbieders: usize,
    pub contracten: usize,
    pub jeugdigen: usize,
    pub accounts: usize,
}

impl DemoVerslag {
    pub fn niets_toegevoegd(&self) -> bool {
        *self == DemoVerslag::default()
    }
}

mod bestand {
    //! The file's shape, as written; checked into domain types by `DemoRegio::lees`.
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Bestand {
        pub regio: RegioRegel,
        pub gemeente: Vec<NaamCode>,
        pub tarieven: BTreeMap<String, i64>,
        pub contract: ContractVoorwaarden,
        pub aanbieder: Vec<AanbiederRegel>,
        pub gezin: Vec<GezinRegel>,
        pub account: Vec<AccountRegel>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct RegioRegel {
        pub code: String,
        pub naam: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct NaamCode {
        pub code: String,
        pub naam: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct ContractVoorwaarden {
        pub productcategorie: String,
        pub eenheid: String,
        pub ingangsdatum: toml::value::Datetime,
        pub einddatum: Option<toml::value::Datetime>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct AanbiederRegel {
        pub agb: String,
        pub naam: String,
        pub plaats: String,
        pub producten: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct GezinRegel {
        pub achternaam: String,
        pub straat: String,
        pub huisnummer: String,
        pub postcode: String,
        pub woonplaats: String,
        pub gemeente: String,
        pub jeugdige: Vec<JeugdigeRegel>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct JeugdigeRegel {
        pub bsn: String,
        pub voornamen: String,
        pub geboortedatum: toml::value::Datetime,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct AccountRegel {
        pub gebruikersnaam: String,
        pub weergavenaam: String,
        pub rol: String,
        #[serde(default)]
        pub gemeenten: Vec<String>,
        pub aanbieder: Option<String>,
    }
}

/// Prefixes a parse error with the field it concerns, e.g. `gezin[2].jeugdige[1].bsn`.
fn veld<T>(pad: impl FnOnce() -> String, uitkomst: Result<T, ParseError>) -> Result<T, AppError> {
    uitkomst.map_err(|e| AppError::Invalid(format!("{}: {}", pad(), e.melding)))
}

fn datum(
    pad: impl FnOnce() -> String,
    waarde: &toml::value::Datetime,
) -> Result<NaiveDate, AppError> {
    let fout = || AppError::Invalid(format!("{}: verwacht een datum zoals 2024-01-01", pad()));
    let (Some(d), None) = (waarde.date, waarde.time) else {
        return Err(fout());
    };
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .ok_or_else(fout)
}

impl DemoRegio {
    /// The demo region embedded in the binary.
    pub fn ingebouwd() -> Result<DemoRegio, AppError> {
        DemoRegio::lees(DEMO_BESTAND)
    }

    /// Reads a region file in the demo's shape; every error names its field.
    pub fn lees(tekst: &str) -> Result<DemoRegio, AppError> {
        let b: bestand::Bestand = toml::from_str(tekst)
            .map_err(|e| AppError::Invalid(format!("regiobestand: {}", e.message())))?;
        let gemeenten = b
            .gemeente
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let code = veld(
                    || format!("gemeente[{i}].code"),
                    Gemeentecode::parse(&g.code),
                )?;
                Ok(Gemeente {
                    code,
                    naam: g.naam.clone(),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let bekend: BTreeSet<&Gemeentecode> = gemeenten.iter().map(|g| &g.code).collect();
        let gemeente_in_regio = |pad: &dyn Fn() -> String, code: &str| {
            let code = veld(pad, Gemeentecode::parse(code))?;
            if bekend.contains(&code) {
                Ok(code)
            } else {
                Err(AppError::Invalid(format!(
                    "{}: gemeente {code} hoort niet bij de regio",
                    pad()
                )))
            }
        };
        let (aanbieders, contracten) = lees_aanbieders(&b)?;
        let gezinnen = b
            .gezin
            .iter()
            .enumerate()
            .map(|(i, g)| lees_gezin(i, g, &gemeente_in_regio))
            .collect::<Result<Vec<_>, AppError>>()?;
        let accounts = b
            .account
            .iter()
            .enumerate()
            .map(|(i, a)| lees_account(i, a, &aanbieders, &gemeente_in_regio))
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(DemoRegio {
            regio: Regio {
                code: b.regio.code,
                naam: b.regio.naam,
            },
            gemeenten,
            aanbieders,
            contracten,
            gezinnen,
            accounts,
        })
    }
}

fn lees_aanbieders(b: &bestand::Bestand) -> Result<(Vec<Aanbieder>, Vec<Contract>), AppError> {
    let voorwaarden = &b.contract;
    let productcategorie = veld(
        || "contract.productcategorie".into(),
        Productcategorie::parse(&voorwaarden.productcategorie),
    )?;
    let ingangsdatum = datum(|| "contract.ingangsdatum".into(), &voorwaarden.ingangsdatum)?;
    let einddatum = voorwaarden
        .einddatum
        .as_ref()
        .map(|d| datum(|| "contract.einddatum".into(), d))
        .transpose()?;
    let mut aanbieders = Vec::new();
    let mut contracten = Vec::new();
    for (i, a) in b.aanbieder.iter().enumerate() {
        let agb = veld(|| format!("aanbieder[{i}].agb"), AgbCode::parse(&a.agb))?;
        for (j, product) in a.producten.iter().enumerate() {
            let pad = || format!("aanbieder[{i}].producten[{j}]");
            let productcode = veld(pad, Productcode::parse(product))?;
            let tarief_cent = *b.tarieven.get(product).ok_or_else(|| {
                AppError::Invalid(format!(
                    "{}: geen tarief voor {product} in [tarieven]",
                    pad()
                ))
            })?;
            contracten.push(Contract {
                aanbieder: agb.clone(),
                productcategorie: productcategorie.clone(),
                productcode,
                ingangsdatum,
                einddatum,
                tarief_cent,
                eenheid: voorwaarden.eenheid.clone(),
            });
        }
        aanbieders.push(Aanbieder {
            agb,
            naam: a.naam.clone(),
            plaats: a.plaats.clone(),
        });
    }
    Ok((aanbieders, contracten))
}

type GemeenteCheck<'a> = dyn Fn(&dyn Fn() -> String, &str) -> Result<Gemeentecode, AppError> + 'a;

fn lees_gezin(
    i: usize,
    g: &bestand::GezinRegel,
    gemeente: &GemeenteCheck<'_>,
) -> Result<(Gezin, Vec<Jeugdige>), AppError> {
    let code = gemeente(&|| format!("gezin[{i}].gemeente"), &g.gemeente)?;
    let jeugdigen = g
        .jeugdige
        .iter()
        .enumerate()
        .map(|(j, k)| {
            Ok(Jeugdige {
                bsn: veld(
                    || format!("gezin[{i}].jeugdige[{j}].bsn"),
                    Bsn::parse(&k.bsn),
                )?,
                voornamen: k.voornamen.clone(),
                achternaam: g.achternaam.clone(),
                geboortedatum: datum(
                    || format!("gezin[{i}].jeugdige[{j}].geboortedatum"),
                    &k.geboortedatum,
                )?,
                gemeente: code.clone(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let gezin = Gezin {
        achternaam: g.achternaam.clone(),
        straat: g.straat.clone(),
        huisnummer: g.huisnummer.clone(),
        postcode: g.postcode.clone(),
        woonplaats: g.woonplaats.clone(),
        gemeente: code,
    };
    Ok((gezin, jeugdigen))
}

fn lees_account(
    i: usize,
    a: &bestand::AccountRegel,
    aanbieders: &[Aanbieder],
    gemeente: &GemeenteCheck<'_>,
) -> Result<DemoAccount, AppError> {
    let rol = veld(|| format!("account[{i}].rol"), a.rol.parse::<Rol>())?;
    let gemeenten = a
        .gemeenten
        .iter()
        .enumerate()
        .map(|(j, code)| gemeente(&|| format!("account[{i}].gemeenten[{j}]"), code))
        .collect::<Result<Vec<_>, AppError>>()?;
    let aanbieder = match (&a.aanbieder, rol) {
        (Some(agb), Rol::Aanbieder) => {
            let agb = veld(|| format!("account[{i}].aanbieder"), AgbCode::parse(agb))?;
            if !aanbieders.iter().any(|x| x.agb == agb) {
                return Err(AppError::Invalid(format!(
                    "account[{i}].aanbieder: aanbieder {agb} staat niet in het bestand"
                )));
            }
            Some(agb)
        }
        (None, Rol::Aanbieder) => {
            return Err(AppError::Invalid(format!(
                "account[{i}].aanbieder: een aanbieder-account noemt zijn AGB-code"
            )));
        }
        (Some(_), _) => {
            return Err(AppError::Invalid(format!(
                "account[{i}].aanbieder: alleen de rol aanbieder hoort bij een aanbieder"
            )));
        }
        (None, _) => None,
    };
    let gebruiker = Gebruiker {
        gebruikersnaam: a.gebruikersnaam.clone(),
        weergavenaam: a.weergavenaam.clone(),
        rol,
        gemeenten,
        aanbieder,
    };
    Ok(DemoAccount { gebruiker })
}

impl App {
    /// Loads the embedded demo region, with demo accounts (password
    /// [`DEMO_WACHTWOORD`]), in one transaction. What already exists is left as it is.
    pub async fn laad_demo(&self) -> Result<DemoVerslag, AppError> {
        let demo = DemoRegio::ingebouwd()?;
        let nu = Utc::now();
        let mut verslag = DemoVerslag::default();
        let mut tx = self.store.begin().await?;
        tx.regio_vastleggen(&demo.regio).await?;
        for gemeente in &demo.gemeenten {
            verslag.gemeenten +=
                usize::from(tx.gemeente_vastleggen(&demo.regio.code, gemeente).await?);
        }
        for aanbieder in &demo.aanbieders {
            verslag.aanbieders += usize::from(tx.aanbieder_vastleggen(aanbieder).await?);
        }
        for contract in &demo.contracten {
            verslag.contracten +=
                usize::from(tx.contract_vastleggen(&demo.regio.code, contract).await?);
        }
        for (gezin, jeugdigen) in &demo.gezinnen {
            let gezin_id = tx.gezin_vastleggen(gezin).await?;
            for jeugdige in jeugdigen {
                let Some(jeugdige_id) = tx.jeugdige_vastleggen(gezin_id, jeugdige).await? else {
                    continue;
                };
                verslag.jeugdigen += 1;
                tx.audit_vastleggen(&NieuwAuditRecord {
                    tijdstip: nu,
                    gebruiker: "systeem",
                    rol: None,
                    namens: None,
                    gebeurtenis: "jeugdige.aanmaken",
                    jeugdige_id: Some(jeugdige_id),
                    casus_id: None,
                    doel: "demogegevens laden",
                    uitkomst: "gelukt",
                    bron: None,
                })
                .await?;
            }
        }
        for account in &demo.accounts {
            // Hash only for accounts that are new: hashing is deliberately slow.
            if tx
                .account(&account.gebruiker.gebruikersnaam)
                .await?
                .is_none()
            {
                let hash = wachtwoord::hash(DEMO_WACHTWOORD)?;
                verslag.accounts +=
                    usize::from(tx.gebruiker_vastleggen(&account.gebruiker, &hash).await?);
            }
        }
        tx.commit().await?;
        Ok(verslag)
    }
}
