//! The regional catalogue as data: the arrangements, what each intensity means,
//! the code matrix, the segment-3 thresholds and the tariffs. A region can
//! replace it; every determination records the version it used.
//!
//! [`CatalogueDefinition`] is the shape of the file as written (read by the
//! application with a TOML parser); [`Catalogue::from_definition`] checks it whole
//! and reports every problem with the field it concerns.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::{Hours, Intensiteit, Productcategorie, Productcode};

/// The default catalogue, from the 7-step plan for result-based purchasing (seed 002).
pub const DEFAULT_CATALOGUE: &str = include_str!("../catalogus/7-stappenplan.toml");

/// The catalogue file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueDefinition {
    pub version: String,
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub productcategorie: String,
    pub segment3: Segment3Definition,
    pub intensiteit: Vec<IntensiteitDefinition>,
    pub arrangement: Vec<ArrangementDefinition>,
    pub tariffs: BTreeMap<String, i64>,
    /// The region's products for highly specialist care (segment 3, step 5a).
    #[serde(default)]
    pub segment3_product: Vec<ProductDefinition>,
    /// The region's crisis product, and how soon the assessment must follow.
    pub crisis: Option<CrisisDefinition>,
}

/// A product of the region outside the arrangement matrix, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductDefinition {
    pub categorie: String,
    pub code: String,
    pub name: String,
    /// Euro cents per traject.
    pub tariff: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisDefinition {
    pub categorie: String,
    pub code: String,
    pub name: String,
    pub tariff: i64,
    /// Days from the start of crisis help within which the assessment
    /// (vraagverheldering to plan) must be done, and how long the help runs.
    pub beoordeling_dagen: u32,
}

/// A product of the region outside the arrangement matrix: for segment 3, or crisis help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegioProduct {
    pub categorie: Productcategorie,
    pub code: Productcode,
    pub name: String,
    pub tariff_cents: i64,
}

/// The region's crisis help: its product and the days the assessment may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crisis {
    pub product: RegioProduct,
    pub beoordeling_dagen: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment3Definition {
    pub behandeling_hours: u32,
    pub begeleiding_hours: u32,
    pub dagdelen: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntensiteitDefinition {
    pub key: Intensiteit,
    pub name: String,
    pub segment_check: bool,
    pub guidelines: Vec<Guideline>,
}

/// One guideline item of step 4 (e.g. "the result is close by").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guideline {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrangementDefinition {
    pub number: u8,
    pub name: String,
    pub description: String,
    pub codes: BTreeMap<Intensiteit, String>,
}

/// The thresholds of step 5a; each is strict: *more than* the value is segment 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment3Thresholds {
    /// Ambulant treatment (behandeling) hours.
    pub behandeling: Hours,
    /// Individual ambulant guidance (begeleiding) hours.
    pub begeleiding: Hours,
    /// Group guidance, in dagdelen (half-days).
    pub dagdelen: u32,
}

/// What an intensity means in this catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntensiteitRule {
    pub intensiteit: Intensiteit,
    pub name: String,
    /// Marked `*` in the code matrix: the segment check (step 5a) must be answered.
    pub segment_check: bool,
    pub guidelines: Vec<Guideline>,
}

/// One of the arrangements of step 2, with its row of the code matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub number: u8,
    pub name: String,
    pub description: String,
    codes: BTreeMap<Intensiteit, Productcode>,
}

impl Arrangement {
    /// The arrangement code for this intensity (step 5).
    pub fn code(&self, intensiteit: Intensiteit) -> Option<&Productcode> {
        self.codes.get(&intensiteit)
    }
}

/// A checked catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    pub version: String,
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub productcategorie: Productcategorie,
    pub segment3: Segment3Thresholds,
    intensiteiten: Vec<IntensiteitRule>,
    arrangementen: Vec<Arrangement>,
    tariffs: BTreeMap<Productcode, i64>,
    segment3_producten: Vec<RegioProduct>,
    crisis: Option<Crisis>,
}

/// Every problem found in a catalogue definition, each naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("de catalogus klopt niet:\n- {}", .0.join("\n- "))]
pub struct CatalogueErrors(pub Vec<String>);

impl Catalogue {
    /// Checks a definition whole: all five intensities once, every arrangement a
    /// code for each intensity, codes unique and well-formed, a tariff for every
    /// code and none for unknown codes, thresholds above zero.
    pub fn from_definition(def: CatalogueDefinition) -> Result<Catalogue, CatalogueErrors> {
        let mut errors = check_texts(&def);
        if def.version.trim().is_empty() {
            errors.push("version: een catalogus heeft een versie".to_owned());
        }
        if def.valid_until.is_some_and(|until| until < def.valid_from) {
            errors.push("valid_until: ligt voor valid_from".to_owned());
        }
        let productcategorie = Productcategorie::parse(&def.productcategorie)
            .map_err(|e| errors.push(format!("productcategorie: {}", e.message)))
            .ok();
        let segment3 = check_segment3(&def.segment3, &mut errors);
        let intensiteiten = check_intensiteiten(def.intensiteit, &mut errors);
        let arrangementen = check_arrangementen(def.arrangement, &mut errors);
        let tariffs = check_tariffs(&def.tariffs, &arrangementen, &mut errors);
        let segment3_producten: Vec<RegioProduct> = def
            .segment3_product
            .iter()
            .enumerate()
            .filter_map(|(i, p)| check_product(&format!("segment3_product[{i}]"), p, &mut errors))
            .collect();
        let crisis = def.crisis.as_ref().and_then(|c| {
            if c.beoordeling_dagen == 0 {
                errors.push("crisis.beoordeling_dagen: moet groter zijn dan 0".to_owned());
            }
            let product = ProductDefinition {
                categorie: c.categorie.clone(),
                code: c.code.clone(),
                name: c.name.clone(),
                tariff: c.tariff,
            };
            check_product("crisis", &product, &mut errors).map(|product| Crisis {
                product,
                beoordeling_dagen: c.beoordeling_dagen,
            })
        });
        let mut own = BTreeSet::new();
        for code in arrangementen
            .iter()
            .flat_map(|a| a.codes.values())
            .chain(segment3_producten.iter().map(|p| &p.code))
            .chain(crisis.iter().map(|c| &c.product.code))
        {
            if !own.insert(code) {
                errors.push(format!("{code}: deze productcode staat er twee keer in"));
            }
        }
        match (productcategorie, segment3, errors.is_empty()) {
            (Some(productcategorie), Some(segment3), true) => Ok(Catalogue {
                version: def.version,
                name: def.name,
                valid_from: def.valid_from,
                valid_until: def.valid_until,
                productcategorie,
                segment3,
                intensiteiten,
                arrangementen,
                tariffs,
                segment3_producten,
                crisis,
            }),
            _ => Err(CatalogueErrors(errors)),
        }
    }

    pub fn arrangementen(&self) -> &[Arrangement] {
        &self.arrangementen
    }

    pub fn arrangement(&self, number: u8) -> Option<&Arrangement> {
        self.arrangementen.iter().find(|a| a.number == number)
    }

    /// The rule of an intensity; every catalogue has all five.
    pub fn intensiteit(&self, intensiteit: Intensiteit) -> Option<&IntensiteitRule> {
        self.intensiteiten
            .iter()
            .find(|r| r.intensiteit == intensiteit)
    }

    pub fn intensiteiten(&self) -> &[IntensiteitRule] {
        &self.intensiteiten
    }

    /// What an arrangement code stands for: its arrangement and intensity (the
    /// code matrix read backwards); `None` for a code outside the matrix.
    pub fn meaning(&self, code: &Productcode) -> Option<(&Arrangement, Intensiteit)> {
        self.arrangementen.iter().find_map(|a| {
            a.codes
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(intensiteit, _)| (a, *intensiteit))
        })
    }

    /// The regional tariff of a product code (an arrangement code or a region
    /// product), in euro cents.
    pub fn tariff_cents(&self, code: &Productcode) -> Option<i64> {
        self.tariffs
            .get(code)
            .copied()
            .or_else(|| self.regio_product(code).map(|p| p.tariff_cents))
    }

    /// The region's products for highly specialist care (segment 3).
    pub fn segment3_producten(&self) -> &[RegioProduct] {
        &self.segment3_producten
    }

    /// The region's crisis help, when the catalogue has one.
    pub fn crisis(&self) -> Option<&Crisis> {
        self.crisis.as_ref()
    }

    /// A segment-3 or crisis product of the region by its code.
    pub fn regio_product(&self, code: &Productcode) -> Option<&RegioProduct> {
        self.segment3_producten
            .iter()
            .chain(self.crisis.iter().map(|c| &c.product))
            .find(|p| &p.code == code)
    }

    /// The iJw productcategorie of a product code: the region product's own, or
    /// the arrangement codes' category.
    pub fn categorie_van(&self, code: &Productcode) -> &Productcategorie {
        self.regio_product(code)
            .map_or(&self.productcategorie, |p| &p.categorie)
    }
}

/// Every text a worker or a family reads from the catalogue: nothing an iJw
/// message or a letter could not carry (`xml_tekst`), each named by its field.
fn check_texts(def: &CatalogueDefinition) -> Vec<String> {
    let mut texts: Vec<(String, &str)> =
        vec![("version".into(), &def.version), ("name".into(), &def.name)];
    for (i, a) in def.arrangement.iter().enumerate() {
        texts.push((format!("arrangement[{i}].name"), &a.name));
        texts.push((format!("arrangement[{i}].description"), &a.description));
    }
    for (i, r) in def.intensiteit.iter().enumerate() {
        texts.push((format!("intensiteit[{i}].name"), &r.name));
        for (j, g) in r.guidelines.iter().enumerate() {
            texts.push((format!("intensiteit[{i}].guidelines[{j}].text"), &g.text));
        }
    }
    for (i, p) in def.segment3_product.iter().enumerate() {
        texts.push((format!("segment3_product[{i}].name"), &p.name));
    }
    if let Some(c) = &def.crisis {
        texts.push(("crisis.name".into(), &c.name));
    }
    texts
        .into_iter()
        .filter_map(|(path, text)| {
            crate::xml_tekst("tekst", text)
                .err()
                .map(|e| format!("{path}: {}", e.message))
        })
        .collect()
}

fn check_product(
    path: &str,
    def: &ProductDefinition,
    errors: &mut Vec<String>,
) -> Option<RegioProduct> {
    let categorie = Productcategorie::parse(&def.categorie)
        .map_err(|e| errors.push(format!("{path}.categorie: {}", e.message)))
        .ok();
    let code = Productcode::parse(&def.code)
        .map_err(|e| errors.push(format!("{path}.code: {}", e.message)))
        .ok();
    if def.name.trim().is_empty() {
        errors.push(format!("{path}.name: is leeg"));
    }
    if def.tariff < 0 {
        errors.push(format!("{path}.tariff: een tarief is niet negatief"));
    }
    Some(RegioProduct {
        categorie: categorie?,
        code: code?,
        name: def.name.clone(),
        tariff_cents: def.tariff,
    })
}

fn check_segment3(
    def: &Segment3Definition,
    errors: &mut Vec<String>,
) -> Option<Segment3Thresholds> {
    let positive = |field: &str, value: u32, errors: &mut Vec<String>| {
        if value == 0 {
            errors.push(format!("segment3.{field}: moet groter zijn dan 0"));
        }
    };
    positive("behandeling_hours", def.behandeling_hours, errors);
    positive("begeleiding_hours", def.begeleiding_hours, errors);
    positive("dagdelen", def.dagdelen, errors);
    let behandeling = Hours::whole(def.behandeling_hours);
    let begeleiding = Hours::whole(def.begeleiding_hours);
    if behandeling.is_none() || begeleiding.is_none() {
        errors.push("segment3: een drempel in uren is te groot".to_owned());
    }
    Some(Segment3Thresholds {
        behandeling: behandeling?,
        begeleiding: begeleiding?,
        dagdelen: def.dagdelen,
    })
}

fn check_intensiteiten(
    defs: Vec<IntensiteitDefinition>,
    errors: &mut Vec<String>,
) -> Vec<IntensiteitRule> {
    let mut rules: Vec<IntensiteitRule> = Vec::new();
    let mut guideline_ids = BTreeSet::new();
    for (i, def) in defs.into_iter().enumerate() {
        if rules.iter().any(|r| r.intensiteit == def.key) {
            errors.push(format!(
                "intensiteit[{i}].key: {} staat er twee keer in",
                def.key.key()
            ));
            continue;
        }
        for (j, guideline) in def.guidelines.iter().enumerate() {
            if !guideline_ids.insert(guideline.id.clone()) {
                errors.push(format!(
                    "intensiteit[{i}].guidelines[{j}].id: '{}' staat er twee keer in",
                    guideline.id
                ));
            }
            if guideline.text.trim().is_empty() {
                errors.push(format!("intensiteit[{i}].guidelines[{j}].text: is leeg"));
            }
        }
        rules.push(IntensiteitRule {
            intensiteit: def.key,
            name: def.name,
            segment_check: def.segment_check,
            guidelines: def.guidelines,
        });
    }
    for missing in Intensiteit::ALL
        .iter()
        .filter(|i| !rules.iter().any(|r| r.intensiteit == **i))
    {
        errors.push(format!("intensiteit: {} ontbreekt", missing.key()));
    }
    rules.sort_by_key(|r| r.intensiteit);
    rules
}

fn check_arrangementen(
    defs: Vec<ArrangementDefinition>,
    errors: &mut Vec<String>,
) -> Vec<Arrangement> {
    let mut arrangementen: Vec<Arrangement> = Vec::new();
    let mut seen_codes = BTreeSet::new();
    for (i, def) in defs.into_iter().enumerate() {
        if def.number == 0 || arrangementen.iter().any(|a| a.number == def.number) {
            errors.push(format!(
                "arrangement[{i}].number: {} is 0 of staat er twee keer in",
                def.number
            ));
        }
        let mut codes = BTreeMap::new();
        for intensiteit in Intensiteit::ALL {
            let Some(text) = def.codes.get(&intensiteit) else {
                errors.push(format!(
                    "arrangement[{i}].codes: de code voor {} ontbreekt",
                    intensiteit.key()
                ));
                continue;
            };
            match Productcode::parse(text) {
                Ok(code) if !seen_codes.insert(code.clone()) => {
                    errors.push(format!(
                        "arrangement[{i}].codes.{}: {code} staat er twee keer in",
                        intensiteit.key()
                    ));
                }
                Ok(code) => {
                    codes.insert(intensiteit, code);
                }
                Err(e) => errors.push(format!(
                    "arrangement[{i}].codes.{}: {}",
                    intensiteit.key(),
                    e.message
                )),
            }
        }
        arrangementen.push(Arrangement {
            number: def.number,
            name: def.name,
            description: def.description,
            codes,
        });
    }
    if arrangementen.is_empty() {
        errors.push("arrangement: de catalogus heeft geen arrangementen".to_owned());
    }
    arrangementen.sort_by_key(|a| a.number);
    arrangementen
}

fn check_tariffs(
    defs: &BTreeMap<String, i64>,
    arrangementen: &[Arrangement],
    errors: &mut Vec<String>,
) -> BTreeMap<Productcode, i64> {
    let codes: BTreeSet<&Productcode> = arrangementen
        .iter()
        .flat_map(|a| a.codes.values())
        .collect();
    let mut tariffs = BTreeMap::new();
    for (text, cents) in defs {
        match Productcode::parse(text) {
            Ok(code) if !codes.contains(&code) => errors.push(format!(
                "tariffs.{text}: geen arrangementscode uit deze catalogus"
            )),
            Ok(_) if *cents < 0 => {
                errors.push(format!("tariffs.{text}: een tarief is niet negatief"));
            }
            Ok(code) => {
                tariffs.insert(code, *cents);
            }
            Err(e) => errors.push(format!("tariffs.{text}: {}", e.message)),
        }
    }
    for code in codes.into_iter().filter(|c| !tariffs.contains_key(*c)) {
        errors.push(format!("tariffs: geen tarief voor {code}"));
    }
    tariffs
}
