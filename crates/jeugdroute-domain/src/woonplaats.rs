//! The woonplaatsbeginsel: which gemeente decides and pays for a youth's care.

use chrono::{Days, NaiveDate};

use crate::{Gemeentecode, Reason, short_date};

/// A period at one BRP address: from `from`, up to (not including) `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adresperiode {
    pub gemeente: Gemeentecode,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Adresperiode {
    fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|until| day < until)
    }
}

/// A stay with a provider, foster parents, or another institution with stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verblijf {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// The responsible gemeente (if it can be established) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Woonplaats {
    pub gemeente: Option<Gemeentecode>,
    pub reason: Reason,
}

const SOURCE: &str = "Jeugdwet art. 1.1, woonplaats";

/// Rule (national, Jeugdwet art. 1.1 since 2022): the gemeente of the youth's BRP
/// address on `day`; during a stay (verblijf), the gemeente of the BRP address just
/// before the stay began. The further fallbacks of the law (the mother's address at
/// birth, where the youth actually stays) need facts this function is not given:
/// it then says the woonplaats cannot be established.
pub fn woonplaats(
    adressen: &[Adresperiode],
    verblijf: Option<&Verblijf>,
    day: NaiveDate,
) -> Woonplaats {
    let at = |d: NaiveDate| {
        adressen
            .iter()
            .find(|a| a.covers(d))
            .map(|a| a.gemeente.clone())
    };
    let in_stay = verblijf.filter(|v| v.from <= day && v.until.is_none_or(|until| day < until));
    let (gemeente, text) = match in_stay {
        Some(stay) => {
            let before = stay.from.checked_sub_days(Days::new(1)).and_then(at);
            let text = match &before {
                Some(g) => format!(
                    "De jeugdige verblijft sinds {}; verantwoordelijk is de gemeente van het BRP-adres vlak daarvoor: {g}.",
                    short_date(stay.from)
                ),
                None => "De jeugdige verblijft in een instelling, maar het BRP-adres vlak voor het verblijf is onbekend."
                    .to_owned(),
            };
            (before, text)
        }
        None => {
            let current = at(day);
            let text = match &current {
                Some(g) => format!("Het BRP-adres op {} ligt in gemeente {g}.", short_date(day)),
                None => format!("Er is geen BRP-adres bekend op {}.", short_date(day)),
            };
            (current, text)
        }
    };
    let code = if gemeente.is_some() {
        "WOONPLAATS"
    } else {
        "WOONPLAATS_ONBEKEND"
    };
    Woonplaats {
        gemeente,
        reason: Reason {
            code,
            text,
            source: SOURCE,
        },
    }
}
