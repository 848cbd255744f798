//! The demo region: regio Amersfoort with fictional providers, contracts, families
//! and accounts, so that a region can try Jeugdroute on a laptop. The data is a
//! TOML file embedded in the binary (`demo/regio-amersfoort.toml`); this module
//! reads it into domain types, naming the field of any error, and loads it in one
//! transaction. Loading twice changes nothing.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use jeugdroute_domain::{
    Aanbieder, AgbCode, Bsn, Catalogue, Contract, Gemeente, Gemeentecode, Gemeentecontact,
    Geslacht, Gezin, Gi, Jeugdige, ParseError, Productcategorie, Productcode, Regio, Role, User,
    xml_tekst,
};
use jeugdroute_store::NewAuditRecord;
use serde::Deserialize;

use crate::{App, AppError, passwords};

const DEMO_FILE: &str = include_str!("../demo/regio-amersfoort.toml");

/// The password of every demo account. Demo accounts exist only in demo mode.
pub const DEMO_PASSWORD: &str = "demo";

/// The demo region, read and checked.
#[derive(Debug, Clone)]
pub struct DemoRegio {
    pub regio: Regio,
    pub gemeenten: Vec<Gemeente>,
    /// The four-digit postcode areas of each gemeente (woonplaatsbeginsel).
    pub postcodegebieden: Vec<(u16, Gemeentecode)>,
    /// The gecertificeerde instellingen that work in the region.
    pub gis: Vec<Gi>,
    pub aanbieders: Vec<Aanbieder>,
    pub contracten: Vec<Contract>,
    pub gezinnen: Vec<(Gezin, Vec<Jeugdige>)>,
    pub accounts: Vec<DemoAccount>,
}

/// A demo account; its password is [`DEMO_PASSWORD`].
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub user: User,
}

/// What a load added; all zero when the region was already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub gemeenten: usize,
    pub aanbieders: usize,
    pub contracten: usize,
    pub jeugdigen: usize,
    pub accounts: usize,
    /// The generated fictional cases (see `demo_casussen`).
    pub casussen: usize,
}

impl DemoReport {
    pub fn is_empty(&self) -> bool {
        *self == DemoReport::default()
    }
}

mod file {
    //! The file's shape, as written; checked into domain types by `DemoRegio::parse`.
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct RegioFile {
        pub regio: RegioEntry,
        pub gemeente: Vec<GemeenteEntry>,
        pub gi: Vec<GiEntry>,
        pub contract: ContractTerms,
        pub aanbieder: Vec<AanbiederEntry>,
        pub gezin: Vec<GezinEntry>,
        pub account: Vec<AccountEntry>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct RegioEntry {
        pub code: String,
        pub name: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct GemeenteEntry {
        pub code: String,
        pub name: String,
        /// Four-digit postcode areas: `"3811"` or a range `"3811-3829"`.
        pub postcodes: Vec<String>,
        // The contact for letters; optional in the shape so that a missing one is
        // reported with its field, like a wrong one.
        pub street: Option<String>,
        pub house_number: Option<String>,
        pub postcode: Option<String>,
        pub city: Option<String>,
        pub telefoon: Option<String>,
        pub email: Option<String>,
        pub signatory_name: Option<String>,
        pub signatory_function: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct GiEntry {
        pub agb: String,
        pub name: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct ContractTerms {
        pub productcategorie: String,
        pub unit: String,
        pub start_date: toml::value::Datetime,
        pub end_date: Option<toml::value::Datetime>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct AanbiederEntry {
        pub agb: String,
        pub name: String,
        pub city: String,
        pub products: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct GezinEntry {
        pub surname: String,
        pub street: String,
        pub house_number: String,
        pub postcode: String,
        pub city: String,
        pub gemeente: String,
        pub jeugdige: Vec<JeugdigeEntry>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct JeugdigeEntry {
        pub bsn: String,
        pub first_names: String,
        pub birth_date: toml::value::Datetime,
        #[serde(default)]
        pub geslacht: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct AccountEntry {
        pub username: String,
        pub display_name: String,
        pub role: String,
        #[serde(default)]
        pub gemeenten: Vec<String>,
        pub aanbieder: Option<String>,
        pub gi: Option<String>,
    }
}

/// Prefixes a parse error with the field it concerns, e.g. `gezin[2].jeugdige[1].bsn`.
fn field<T>(path: impl FnOnce() -> String, outcome: Result<T, ParseError>) -> Result<T, AppError> {
    outcome.map_err(|e| AppError::Invalid(format!("{}: {}", path(), e.message)))
}

/// Text as stored: nothing an iJw message could not carry.
fn tekst(path: impl FnOnce() -> String, value: &str) -> Result<String, AppError> {
    field(path, xml_tekst("tekst", value))
}

/// A postcode area or a range of them: `"3811"` or `"3811-3829"`.
fn postcodes(path: impl Fn() -> String, value: &str) -> Result<Vec<u16>, AppError> {
    let pc4 = |t: &str| {
        t.trim()
            .parse::<u16>()
            .ok()
            .filter(|n| (1000..=9999).contains(n))
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "{}: verwacht een postcodegebied van vier cijfers (1000 tot 9999) of een reeks zoals 3811-3829",
                    path()
                ))
            })
    };
    let (from, to) = match value.split_once('-') {
        Some((from, to)) => (pc4(from)?, pc4(to)?),
        None => (pc4(value)?, pc4(value)?),
    };
    if to < from {
        return Err(AppError::Invalid(format!(
            "{}: de reeks loopt achteruit",
            path()
        )));
    }
    Ok((from..=to).collect())
}

fn date(
    path: impl FnOnce() -> String,
    value: &toml::value::Datetime,
) -> Result<NaiveDate, AppError> {
    let err = || AppError::Invalid(format!("{}: verwacht een datum zoals 2024-01-01", path()));
    let (Some(d), None) = (value.date, value.time) else {
        return Err(err());
    };
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)).ok_or_else(err)
}

impl DemoRegio {
    /// The demo region embedded in the binary.
    pub fn embedded(catalogue: &Catalogue) -> Result<DemoRegio, AppError> {
        DemoRegio::parse(DEMO_FILE, catalogue)
    }

    /// Reads a region file in the demo's shape; every error names its field.
    /// Contract tariffs come from the regional catalogue.
    pub fn parse(text: &str, catalogue: &Catalogue) -> Result<DemoRegio, AppError> {
        let b: file::RegioFile = toml::from_str(text)
            .map_err(|e| AppError::Invalid(format!("regiobestand: {}", e.message())))?;
        let gemeenten = b
            .gemeente
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let code = field(
                    || format!("gemeente[{i}].code"),
                    Gemeentecode::parse(&g.code),
                )?;
                Ok(Gemeente {
                    code,
                    name: tekst(|| format!("gemeente[{i}].name"), &g.name)?,
                    contact: Some(parse_contact(i, g)?),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let mut postcodegebieden = Vec::new();
        for (i, (g, gemeente)) in b.gemeente.iter().zip(&gemeenten).enumerate() {
            for (j, range) in g.postcodes.iter().enumerate() {
                let path = || format!("gemeente[{i}].postcodes[{j}]");
                for pc4 in postcodes(path, range)? {
                    postcodegebieden.push((pc4, gemeente.code.clone()));
                }
            }
        }
        let gis =
            b.gi.iter()
                .enumerate()
                .map(|(i, g)| {
                    Ok(Gi {
                        agb: field(|| format!("gi[{i}].agb"), AgbCode::parse(&g.agb))?,
                        name: tekst(|| format!("gi[{i}].name"), &g.name)?,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
        let known: BTreeSet<&Gemeentecode> = gemeenten.iter().map(|g| &g.code).collect();
        let gemeente_in_regio = |path: &dyn Fn() -> String, code: &str| {
            let code = field(path, Gemeentecode::parse(code))?;
            if known.contains(&code) {
                Ok(code)
            } else {
                Err(AppError::Invalid(format!(
                    "{}: gemeente {code} hoort niet bij de regio",
                    path()
                )))
            }
        };
        let (aanbieders, contracten) = parse_aanbieders(&b, catalogue)?;
        let gezinnen = b
            .gezin
            .iter()
            .enumerate()
            .map(|(i, g)| parse_gezin(i, g, &gemeente_in_regio))
            .collect::<Result<Vec<_>, AppError>>()?;
        let accounts = b
            .account
            .iter()
            .enumerate()
            .map(|(i, a)| parse_account(i, a, &aanbieders, &gis, &gemeente_in_regio))
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(DemoRegio {
            regio: Regio {
                code: b.regio.code,
                name: b.regio.name,
            },
            gemeenten,
            postcodegebieden,
            gis,
            aanbieders,
            contracten,
            gezinnen,
            accounts,
        })
    }
}

/// A gemeente's contact for letters; every missing or wrong field is named, e.g.
/// `gemeente[2].telefoon: …`.
fn parse_contact(i: usize, g: &file::GemeenteEntry) -> Result<Gemeentecontact, AppError> {
    let mut missing = Vec::new();
    // Missing, or holding what a letter cannot carry: each named by its field.
    let mut take = |key: &str, value: &Option<String>| match value {
        None => {
            missing.push(format!("gemeente[{i}].{key}: ontbreekt"));
            String::new()
        }
        Some(value) => xml_tekst("tekst", value).unwrap_or_else(|e| {
            missing.push(format!("gemeente[{i}].{key}: {}", e.message));
            String::new()
        }),
    };
    let contact = Gemeentecontact {
        street: take("street", &g.street),
        house_number: take("house_number", &g.house_number),
        postcode: take("postcode", &g.postcode),
        city: take("city", &g.city),
        telefoon: take("telefoon", &g.telefoon),
        email: take("email", &g.email),
        signatory_name: take("signatory_name", &g.signatory_name),
        signatory_function: take("signatory_function", &g.signatory_function),
    };
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing.join("; ")));
    }
    contact.check().map_err(|problems| {
        AppError::Invalid(
            problems
                .iter()
                .map(|p| format!("gemeente[{i}].{}: {}", p.kind, p.message))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(contact)
}

fn parse_aanbieders(
    b: &file::RegioFile,
    catalogue: &Catalogue,
) -> Result<(Vec<Aanbieder>, Vec<Contract>), AppError> {
    let terms = &b.contract;
    let productcategorie = field(
        || "contract.productcategorie".into(),
        Productcategorie::parse(&terms.productcategorie),
    )?;
    let start_date = date(|| "contract.start_date".into(), &terms.start_date)?;
    let end_date = terms
        .end_date
        .as_ref()
        .map(|d| date(|| "contract.end_date".into(), d))
        .transpose()?;
    let mut aanbieders = Vec::new();
    let mut contracten = Vec::new();
    for (i, a) in b.aanbieder.iter().enumerate() {
        let agb = field(|| format!("aanbieder[{i}].agb"), AgbCode::parse(&a.agb))?;
        for (j, product) in a.products.iter().enumerate() {
            let path = || format!("aanbieder[{i}].products[{j}]");
            let productcode = field(path, Productcode::parse(product))?;
            let tariff_cents = catalogue.tariff_cents(&productcode).ok_or_else(|| {
                AppError::Invalid(format!(
                    "{}: geen tarief voor {productcode} in catalogus {}",
                    path(),
                    catalogue.version
                ))
            })?;
            // A region product (segment 3, crisis) has its own category.
            let productcategorie = catalogue
                .regio_product(&productcode)
                .map_or(&productcategorie, |p| &p.categorie);
            contracten.push(Contract {
                aanbieder: agb.clone(),
                productcategorie: productcategorie.clone(),
                productcode,
                start_date,
                end_date,
                tariff_cents,
                unit: terms.unit.clone(),
            });
        }
        aanbieders.push(Aanbieder {
            agb,
            name: a.name.clone(),
            city: a.city.clone(),
        });
    }
    Ok((aanbieders, contracten))
}

type GemeenteCheck<'a> = dyn Fn(&dyn Fn() -> String, &str) -> Result<Gemeentecode, AppError> + 'a;

fn parse_gezin(
    i: usize,
    g: &file::GezinEntry,
    gemeente: &GemeenteCheck<'_>,
) -> Result<(Gezin, Vec<Jeugdige>), AppError> {
    let code = gemeente(&|| format!("gezin[{i}].gemeente"), &g.gemeente)?;
    let jeugdigen = g
        .jeugdige
        .iter()
        .enumerate()
        .map(|(j, k)| {
            Ok(Jeugdige {
                bsn: field(
                    || format!("gezin[{i}].jeugdige[{j}].bsn"),
                    Bsn::parse(&k.bsn),
                )?,
                first_names: tekst(
                    || format!("gezin[{i}].jeugdige[{j}].first_names"),
                    &k.first_names,
                )?,
                surname: g.surname.clone(),
                birth_date: date(
                    || format!("gezin[{i}].jeugdige[{j}].birth_date"),
                    &k.birth_date,
                )?,
                gemeente: code.clone(),
                geslacht: k
                    .geslacht
                    .as_deref()
                    .map(|v| {
                        field(
                            || format!("gezin[{i}].jeugdige[{j}].geslacht"),
                            v.parse::<Geslacht>(),
                        )
                    })
                    .transpose()?
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let at = |name: &str| format!("gezin[{i}].{name}");
    let gezin = Gezin {
        surname: tekst(|| at("surname"), &g.surname)?,
        street: tekst(|| at("street"), &g.street)?,
        house_number: tekst(|| at("house_number"), &g.house_number)?,
        postcode: tekst(|| at("postcode"), &g.postcode)?,
        city: tekst(|| at("city"), &g.city)?,
        gemeente: code,
    };
    Ok((gezin, jeugdigen))
}

/// The organisation (by AGB code) an account works for: required for exactly
/// the role that has one, and known in the file.
fn organisatie(
    path: &str,
    agb: Option<&str>,
    role_has_one: bool,
    role: &str,
    known: impl Fn(&AgbCode) -> bool,
) -> Result<Option<AgbCode>, AppError> {
    match (agb, role_has_one) {
        (Some(agb), true) => {
            let agb = field(|| path.to_owned(), AgbCode::parse(agb))?;
            if known(&agb) {
                Ok(Some(agb))
            } else {
                Err(AppError::Invalid(format!(
                    "{path}: {agb} staat niet in het bestand"
                )))
            }
        }
        (None, true) => Err(AppError::Invalid(format!(
            "{path}: een account met de rol {role} noemt de AGB-code van zijn organisatie"
        ))),
        (Some(_), false) => Err(AppError::Invalid(format!(
            "{path}: alleen de rol {role} hoort bij deze organisatie"
        ))),
        (None, false) => Ok(None),
    }
}

fn parse_account(
    i: usize,
    a: &file::AccountEntry,
    aanbieders: &[Aanbieder],
    gis: &[Gi],
    gemeente: &GemeenteCheck<'_>,
) -> Result<DemoAccount, AppError> {
    let role = field(|| format!("account[{i}].role"), a.role.parse::<Role>())?;
    let gemeenten = a
        .gemeenten
        .iter()
        .enumerate()
        .map(|(j, code)| gemeente(&|| format!("account[{i}].gemeenten[{j}]"), code))
        .collect::<Result<Vec<_>, AppError>>()?;
    let aanbieder = organisatie(
        &format!("account[{i}].aanbieder"),
        a.aanbieder.as_deref(),
        role == Role::Aanbieder,
        "aanbieder",
        |agb| aanbieders.iter().any(|x| &x.agb == agb),
    )?;
    let gi = organisatie(
        &format!("account[{i}].gi"),
        a.gi.as_deref(),
        role == Role::GiMedewerker,
        "gi-medewerker",
        |agb| gis.iter().any(|g| &g.agb == agb),
    )?;
    let user = User {
        username: tekst(|| format!("account[{i}].username"), &a.username)?,
        display_name: tekst(|| format!("account[{i}].display_name"), &a.display_name)?,
        role,
        gemeenten,
        aanbieder,
        gi,
    };
    Ok(DemoAccount { user })
}

impl App {
    /// Loads the embedded demo region, with demo accounts (password
    /// [`DEMO_PASSWORD`]), in one transaction; then, when the database holds no
    /// case yet, a few hundred fictional cases made through the use cases (one
    /// transaction per step). What already exists is left as it is.
    pub async fn load_demo(&self) -> Result<DemoReport, AppError> {
        let demo = DemoRegio::embedded(&self.catalogue)?;
        let now = self.now();
        let mut report = DemoReport::default();
        let mut tx = self.store.begin().await?;
        tx.insert_regio(&demo.regio).await?;
        for gemeente in &demo.gemeenten {
            report.gemeenten += usize::from(tx.insert_gemeente(&demo.regio.code, gemeente).await?);
        }
        for (pc4, gemeente) in &demo.postcodegebieden {
            tx.insert_postcodegebied(*pc4, gemeente).await?;
        }
        for gi in &demo.gis {
            tx.insert_gi(gi).await?;
        }
        for aanbieder in &demo.aanbieders {
            report.aanbieders += usize::from(tx.insert_aanbieder(aanbieder).await?);
        }
        for contract in &demo.contracten {
            report.contracten += usize::from(tx.insert_contract(&demo.regio.code, contract).await?);
        }
        for (gezin, jeugdigen) in &demo.gezinnen {
            let gezin_id = tx.ensure_gezin(gezin).await?;
            for jeugdige in jeugdigen {
                let Some(jeugdige_id) = tx.insert_jeugdige(gezin_id, jeugdige).await? else {
                    continue;
                };
                report.jeugdigen += 1;
                tx.append_audit(&NewAuditRecord {
                    occurred_at: now,
                    actor: "systeem",
                    role: None,
                    on_behalf_of: None,
                    event: "jeugdige.aanmaken",
                    jeugdige_id: Some(jeugdige_id),
                    casus_id: None,
                    purpose: "demogegevens laden",
                    outcome: "gelukt",
                    source: None,
                    jeugdigen: &[],
                })
                .await?;
            }
        }
        for account in &demo.accounts {
            // Hash only for accounts that are new: hashing is deliberately slow.
            if tx.account(&account.user.username).await?.is_none() {
                let hash = passwords::hash(DEMO_PASSWORD)?;
                report.accounts += usize::from(tx.insert_user(&account.user, &hash).await?);
            }
        }
        // The generator's actors, one per gemeente and one per provider: they
        // register the demo's cases and work its allocations, and cannot sign
        // in (no password hash, so none matches).
        let generators = (demo.gemeenten.iter())
            .map(crate::demo_casussen::generator_user)
            .chain((demo.aanbieders.iter()).map(crate::demo_casussen::aanbieder_generator_user));
        for user in generators {
            tx.insert_user(&user, crate::demo_casussen::generator_password())
                .await?;
        }
        tx.commit().await?;
        report.casussen = self.demo_casussen(&demo, now).await?;
        // Set once; a second load in the same process finds the same accounts.
        let _ = self.demo_accounts.set(demo.accounts);
        Ok(report)
    }
}
