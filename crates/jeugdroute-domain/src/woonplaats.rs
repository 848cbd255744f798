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

/// Where the melding says the youth lives: the gemeenten of the address's
/// postcode area (none when it lies outside the region), and a stay, if the
/// worker recorded one, with the gemeenten of the address just before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeldingWoonplaats {
    pub adres: Vec<Gemeentecode>,
    pub verblijf: Option<VerblijfVoor>,
}

/// A stay (verblijf) as the melding records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerblijfVoor {
    pub sinds: NaiveDate,
    /// The gemeenten of the postcode area of the address before the stay.
    pub gemeenten: Vec<Gemeentecode>,
}

/// Why the chosen gemeente is not the one the woonplaatsbeginsel names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WoonplaatsFout {
    /// The address lies in these gemeenten (none: outside the region), and no
    /// stay was recorded.
    AdresElders { adres: Vec<Gemeentecode> },
    /// The address before the stay lies in these gemeenten (none: outside the region).
    VoorVerblijfElders { adres: Vec<Gemeentecode> },
    /// A stay cannot begin after the day of the melding.
    VerblijfInToekomst,
}

impl MeldingWoonplaats {
    /// Rule (national, Jeugdwet art. 1.1): the gemeente chosen at the melding
    /// must be the youth's woonplaats on `day` — the gemeente of the address, or
    /// during a stay the gemeente of the address just before it (see
    /// [`woonplaats`]). The answer is the reason that decided it, kept with the case.
    /// `naam` is the chosen gemeente's name, for the reason's text.
    pub fn toets(
        &self,
        gekozen: &Gemeentecode,
        naam: &str,
        day: NaiveDate,
    ) -> Result<Reason, WoonplaatsFout> {
        let (adressen, verblijf) = match &self.verblijf {
            None => {
                if !self.adres.contains(gekozen) {
                    return Err(WoonplaatsFout::AdresElders {
                        adres: self.adres.clone(),
                    });
                }
                let period = Adresperiode {
                    gemeente: gekozen.clone(),
                    from: NaiveDate::MIN,
                    until: None,
                };
                (vec![period], None)
            }
            Some(stay) => {
                if stay.sinds > day {
                    return Err(WoonplaatsFout::VerblijfInToekomst);
                }
                if !stay.gemeenten.contains(gekozen) {
                    return Err(WoonplaatsFout::VoorVerblijfElders {
                        adres: stay.gemeenten.clone(),
                    });
                }
                let before = Adresperiode {
                    gemeente: gekozen.clone(),
                    from: NaiveDate::MIN,
                    until: Some(stay.sinds),
                };
                let stay = Verblijf {
                    from: stay.sinds,
                    until: None,
                };
                (vec![before], Some(stay))
            }
        };
        let found = woonplaats(&adressen, verblijf.as_ref(), day);
        let text = match &verblijf {
            None => format!("Het woonadres ligt in {naam}: {naam} beslist en betaalt."),
            Some(stay) => format!(
                "De jeugdige verblijft sinds {} elders en woonde vlak daarvoor in {naam}: {naam} beslist en betaalt.",
                short_date(stay.from)
            ),
        };
        match found.gemeente {
            Some(g) if &g == gekozen => Ok(Reason {
                text,
                ..found.reason
            }),
            _ => Err(WoonplaatsFout::AdresElders {
                adres: self.adres.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(code: &str) -> Gemeentecode {
        Gemeentecode::parse(code).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_chosen_gemeente_must_be_the_woonplaats() {
        let amersfoort = g("0307");
        let soest = g("0342");
        let at_home = MeldingWoonplaats {
            adres: vec![amersfoort.clone()],
            verblijf: None,
        };
        let reason = at_home
            .toets(&amersfoort, "Amersfoort", day(2026, 11, 2))
            .unwrap();
        assert_eq!(reason.code, "WOONPLAATS");
        assert_eq!(
            reason.text,
            "Het woonadres ligt in Amersfoort: Amersfoort beslist en betaalt."
        );
        assert_eq!(
            at_home.toets(&soest, "Soest", day(2026, 11, 2)),
            Err(WoonplaatsFout::AdresElders {
                adres: vec![amersfoort.clone()]
            })
        );
        // Staying in Soest since May; before that the youth lived in Amersfoort.
        let staying = MeldingWoonplaats {
            adres: vec![soest.clone()],
            verblijf: Some(VerblijfVoor {
                sinds: day(2026, 5, 1),
                gemeenten: vec![amersfoort.clone()],
            }),
        };
        let reason = staying
            .toets(&amersfoort, "Amersfoort", day(2026, 11, 2))
            .unwrap();
        assert_eq!(
            reason.text,
            "De jeugdige verblijft sinds 01-05-2026 elders en woonde vlak daarvoor in Amersfoort: Amersfoort beslist en betaalt."
        );
        assert_eq!(
            staying.toets(&soest, "Soest", day(2026, 11, 2)),
            Err(WoonplaatsFout::VoorVerblijfElders {
                adres: vec![amersfoort]
            })
        );
        assert_eq!(
            staying.toets(&g("0307"), "Amersfoort", day(2026, 4, 1)),
            Err(WoonplaatsFout::VerblijfInToekomst)
        );
    }
}
