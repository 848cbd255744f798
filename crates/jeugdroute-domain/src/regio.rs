//! The region and its parties: the gemeenten that buy youth care together, the
//! providers they contract, and the contracts that say which provider may deliver
//! which product, when, and at what tariff.

use chrono::NaiveDate;

use crate::{AgbCode, Gemeentecode, ParseError, Productcategorie, Productcode};

/// A youth care region: gemeenten that buy and steer youth care together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regio {
    /// A short stable key, e.g. `regio-amersfoort`.
    pub code: String,
    pub name: String,
}

/// A gemeente (municipality): decides on and pays for the care of its youth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gemeente {
    pub code: Gemeentecode,
    pub name: String,
    /// How families reach the gemeente and who signs its letters; `None` for a
    /// gemeente whose region configuration does not give it (yet).
    pub contact: Option<Gemeentecontact>,
}

/// How a family reaches its gemeente, as its letters print it: the postal address
/// (also where a bezwaarschrift goes), phone, e-mail, and the official who signs
/// on behalf of the college van burgemeester en wethouders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gemeentecontact {
    /// Street without the number, e.g. "Stadsring".
    pub street: String,
    pub house_number: String,
    /// Dutch postcode, e.g. "3811 HP".
    pub postcode: String,
    pub city: String,
    pub telefoon: String,
    pub email: String,
    /// Who signs, e.g. "J. de Boer".
    pub signatory_name: String,
    /// Their function, e.g. "teammanager Jeugd".
    pub signatory_function: String,
}

impl Gemeentecontact {
    /// Checks every field and returns every problem at once; each problem's `kind`
    /// is the field's name (`telefoon`, `postcode`, …), so a reader can prefix it
    /// with where the contact came from.
    pub fn check(&self) -> Result<(), Vec<ParseError>> {
        let mut problems = Vec::new();
        for (field, value, what) in [
            ("street", &self.street, "de straat"),
            ("house_number", &self.house_number, "het huisnummer"),
            ("city", &self.city, "de plaats"),
            (
                "signatory_name",
                &self.signatory_name,
                "de naam van wie ondertekent",
            ),
            (
                "signatory_function",
                &self.signatory_function,
                "de functie van wie ondertekent",
            ),
        ] {
            if value.trim().is_empty() {
                problems.push(ParseError::new(field, format!("vul {what} in")));
            }
        }
        if !is_postcode(&self.postcode) {
            problems.push(ParseError::new(
                "postcode",
                format!(
                    "'{}' is geen Nederlandse postcode; schrijf vier cijfers en twee hoofdletters, zoals 3811 HP",
                    self.postcode
                ),
            ));
        }
        let digits = self.telefoon.chars().filter(char::is_ascii_digit).count();
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')');
        if !(5..=15).contains(&digits) || !self.telefoon.chars().all(allowed) {
            problems.push(ParseError::new(
                "telefoon",
                format!(
                    "'{}' is geen telefoonnummer; schrijf alleen cijfers, spaties en eventueel +, zoals 033 469 00 00 of 14 033",
                    self.telefoon
                ),
            ));
        }
        if !is_email(&self.email) {
            problems.push(ParseError::new(
                "email",
                format!(
                    "'{}' is geen e-mailadres; schrijf het zoals jeugd@gemeente.nl",
                    self.email
                ),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Four digits (the first not 0), an optional space, two capital letters.
fn is_postcode(text: &str) -> bool {
    let compact: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
    text.chars().filter(|c| *c == ' ').count() <= 1
        && compact.len() == 6
        && compact.iter().take(4).all(char::is_ascii_digit)
        && compact.first().is_some_and(|c| *c != '0')
        && compact.iter().skip(4).all(char::is_ascii_uppercase)
}

/// One '@' with text before it and a domain with a dot after it; no spaces.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// A jeugdhulpaanbieder (care provider), known by its AGB code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aanbieder {
    pub agb: AgbCode,
    pub name: String,
    pub city: String,
}

/// A contract line: the provider may deliver this product from `start_date`
/// up to and including `end_date` (open-ended when `None`) at this tariff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub aanbieder: AgbCode,
    pub productcategorie: Productcategorie,
    pub productcode: Productcode,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// Tariff per unit, in euro cents.
    pub tariff_cents: i64,
    /// The unit of the tariff, an iJw WJ756 code (e.g. `82` stuks, output).
    pub unit: String,
}

impl Contract {
    /// Whether the contract covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.start_date <= date && self.end_date.is_none_or(|eind| date <= eind)
    }

    /// Whether a declared tariff is the one agreed.
    ///
    /// Rule: iJw TR418 (retourcode 0611) — the ProductTarief of a prestatie is the
    /// contractual tariff of its ProductCode.
    pub fn agreed_tariff(&self, tarief_cents: i64) -> bool {
        self.tariff_cents == tarief_cents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(eind: Option<NaiveDate>) -> Contract {
        Contract {
            aanbieder: AgbCode::parse("98000001").unwrap(),
            productcategorie: Productcategorie::parse("50").unwrap(),
            productcode: Productcode::parse("50H22").unwrap(),
            start_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            end_date: eind,
            tariff_cents: 310_000,
            unit: "82".into(),
        }
    }

    fn contact() -> Gemeentecontact {
        Gemeentecontact {
            street: "Stadsring".into(),
            house_number: "100".into(),
            postcode: "3811 HP".into(),
            city: "Amersfoort".into(),
            telefoon: "033 000 03 07".into(),
            email: "jeugd@amersfoort.example".into(),
            signatory_name: "J. de Boer".into(),
            signatory_function: "teammanager Jeugd".into(),
        }
    }

    #[test]
    fn a_gemeentecontact_names_every_wrong_field() {
        assert_eq!(contact().check(), Ok(()));
        let mut c = contact();
        c.telefoon = "14 033".into();
        c.postcode = "3811HP".into();
        assert_eq!(
            c.check(),
            Ok(()),
            "the short government number and a postcode without space"
        );
        c.street = " ".into();
        c.postcode = "0811 hp".into();
        c.telefoon = "bel ons".into();
        c.email = "jeugd@amersfoort".into();
        c.signatory_function = String::new();
        let problems = c.check().unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            fields,
            [
                "street",
                "signatory_function",
                "postcode",
                "telefoon",
                "email"
            ]
        );
        assert_eq!(problems[0].message, "vul de straat in");
    }

    #[test]
    fn a_contract_covers_its_first_and_last_day() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let closed = contract(Some(d(2027, 12, 31)));
        assert!(!closed.covers(d(2023, 12, 31)));
        assert!(closed.covers(d(2024, 1, 1)));
        assert!(closed.covers(d(2027, 12, 31)));
        assert!(!closed.covers(d(2028, 1, 1)));
        assert!(contract(None).covers(d(2099, 1, 1)));
    }
}
