//! The beschikking: the gemeente's written decision on a request for youth care.
//!
//! A family has a right to a decision it can read, keep and contest. This module
//! turns the facts of a decision into the *content* of that letter, a [`Brief`]:
//! who it is for, what was decided, why, and how to object. It decides nothing
//! about layout and does no I/O; the app renders a `Brief` to PDF. The date of the
//! letter is a field, never read from a clock, so the same facts always give the
//! same letter.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::{Aanbieder, Gemeente, Gezin, Intensiteit, Jeugdige, Productcode, is_working_day};

/// Everything a decision on youth care needs to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeschikkingGegevens {
    /// The gemeente that decides (and pays), by the woonplaatsbeginsel.
    pub gemeente: Gemeente,
    /// The decision's reference, quoted in questions and in a bezwaarschrift.
    pub kenmerk: String,
    /// The date of the letter.
    pub date: NaiveDate,
    /// When the help was asked for (the melding or aanvraag).
    pub request_date: NaiveDate,
    pub jeugdige: Jeugdige,
    /// The household the letter is sent to.
    pub gezin: Gezin,
    /// The product allocated, e.g. the arrangement code `50H22`.
    pub productcode: Productcode,
    /// What the code means: the arrangement's name in the catalogue.
    pub arrangement_name: String,
    pub intensiteit: Intensiteit,
    /// First day of the help.
    pub start_date: NaiveDate,
    /// Last day of the help (inclusive).
    pub end_date: NaiveDate,
    pub aanbieder: Aanbieder,
    /// Why the gemeente decides this, one plain-language sentence each.
    pub reasons: Vec<String>,
    /// How to reach the gemeente with questions, as a sentence (e.g. "Bel ons op
    /// 14 033."); a general line is used when empty.
    pub contact: String,
}

/// Why no letter can be made from these facts. Each message names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BeschikkingError {
    #[error(
        "einddatum: de hulp kan niet eindigen ({}) voordat zij begint ({})",
        dutch_date(*end),
        dutch_date(*start)
    )]
    EndBeforeStart { start: NaiveDate, end: NaiveDate },
    #[error(
        "aanvraagdatum: de aanvraag ({}) is van na de datum van de brief ({})",
        dutch_date(*request),
        dutch_date(*letter)
    )]
    RequestAfterLetter {
        request: NaiveDate,
        letter: NaiveDate,
    },
    #[error("redenen: een besluit noemt minstens één reden, en geen lege")]
    NoReasons,
    #[error("kenmerk: een besluit heeft een kenmerk")]
    NoKenmerk,
}

/// The content of a letter, ready to be laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    /// The sender as shown at the top, e.g. "Gemeente Amersfoort".
    pub sender: String,
    /// The address block, line by line.
    pub addressee: Vec<String>,
    /// E.g. "Amersfoort, 24 november 2026".
    pub place_and_date: String,
    pub kenmerk: String,
    pub subject: String,
    /// E.g. "Beste ouder of verzorger,".
    pub salutation: String,
    pub sections: Vec<Section>,
    /// The greeting and the signature, line by line.
    pub closing: Vec<String>,
}

/// A part of the letter under its own heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// An item of a bulleted list.
    Item(String),
    /// A labelled fact, e.g. "Periode: …".
    Field {
        label: String,
        value: String,
    },
}

impl Brief {
    /// The whole letter as plain text, in reading order.
    pub fn text(&self) -> String {
        let mut lines = vec![self.sender.clone(), String::new()];
        lines.extend(self.addressee.iter().cloned());
        lines.push(String::new());
        lines.push(self.place_and_date.clone());
        lines.push(format!("Kenmerk: {}", self.kenmerk));
        lines.push(format!("Onderwerp: {}", self.subject));
        lines.push(String::new());
        lines.push(self.salutation.clone());
        for section in &self.sections {
            lines.push(String::new());
            lines.push(section.heading.clone());
            lines.extend(section.blocks.iter().map(Block::text));
        }
        lines.push(String::new());
        lines.extend(self.closing.iter().cloned());
        lines.join("\n")
    }
}

impl Block {
    /// The block as one line of plain text.
    pub fn text(&self) -> String {
        match self {
            Block::Paragraph(text) => text.clone(),
            Block::Item(text) => format!("- {text}"),
            Block::Field { label, value } => format!("{label}: {value}"),
        }
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date the Dutch way: "22 november 2026".
pub fn dutch_date(date: NaiveDate) -> String {
    let month = MONTHS.get(date.month0() as usize).copied().unwrap_or("");
    format!("{} {month} {}", date.day(), date.year())
}

/// The last day on which a bezwaarschrift against a letter of `date` is in time.
///
/// Rule (national, Awb art. 6:7 and 6:8): six weeks, starting the day after the
/// decision is made known; we count from the date of the letter, which is never
/// later than that. Rule (national, Algemene termijnenwet art. 1): a term that ends
/// on a Saturday, Sunday or public holiday runs on to the next working day.
pub fn bezwaar_deadline(date: NaiveDate) -> NaiveDate {
    let mut last = date
        .checked_add_days(Days::new(42))
        .unwrap_or(NaiveDate::MAX);
    while !is_working_day(last) {
        match last.succ_opt() {
            Some(next) => last = next,
            None => break,
        }
    }
    last
}

/// Rule: domain (client route, actors) — a youth of 16 or older acts for itself,
/// so the letter is addressed to the youth; a younger one's to its parents.
fn acts_for_itself(jeugdige: &Jeugdige, on: NaiveDate) -> bool {
    jeugdige
        .birth_date
        .checked_add_months(Months::new(16 * 12))
        .is_some_and(|sixteenth| sixteenth <= on)
}

impl BeschikkingGegevens {
    /// The letter for this decision, or why it cannot be written.
    pub fn brief(&self) -> Result<Brief, BeschikkingError> {
        self.check()?;
        let gemeente = &self.gemeente.name;
        let own = acts_for_itself(&self.jeugdige, self.date);
        Ok(Brief {
            sender: format!("Gemeente {gemeente}"),
            addressee: self.addressee(own),
            place_and_date: format!("{gemeente}, {}", dutch_date(self.date)),
            kenmerk: self.kenmerk.trim().to_owned(),
            subject: "Besluit over jeugdhulp".to_owned(),
            salutation: if own {
                format!("Beste {},", self.full_name())
            } else {
                "Beste ouder of verzorger,".to_owned()
            },
            sections: vec![
                self.aanvraag(own),
                self.besluit(own),
                self.waarom(),
                self.bezwaar(),
                self.vragen(),
            ],
            closing: vec![
                "Met vriendelijke groet,".to_owned(),
                format!("het college van burgemeester en wethouders van {gemeente}"),
            ],
        })
    }

    fn check(&self) -> Result<(), BeschikkingError> {
        if self.kenmerk.trim().is_empty() {
            return Err(BeschikkingError::NoKenmerk);
        }
        if self.end_date < self.start_date {
            return Err(BeschikkingError::EndBeforeStart {
                start: self.start_date,
                end: self.end_date,
            });
        }
        if self.request_date > self.date {
            return Err(BeschikkingError::RequestAfterLetter {
                request: self.request_date,
                letter: self.date,
            });
        }
        // Rule (national, Awb art. 3:46): a decision rests on stated reasons.
        if self.reasons.is_empty() || self.reasons.iter().any(|r| r.trim().is_empty()) {
            return Err(BeschikkingError::NoReasons);
        }
        Ok(())
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.jeugdige.first_names, self.jeugdige.surname)
    }

    fn addressee(&self, own: bool) -> Vec<String> {
        let gezin = &self.gezin;
        let mut lines = Vec::new();
        if !own {
            lines.push("De ouder(s) of verzorger(s) van".to_owned());
        }
        lines.push(self.full_name());
        lines.push(format!("{} {}", gezin.street, gezin.house_number));
        lines.push(format!("{}  {}", gezin.postcode, gezin.city.to_uppercase()));
        lines
    }

    fn aanvraag(&self, own: bool) -> Section {
        let asked = if own {
            format!(
                "Op {} is jeugdhulp voor u aangevraagd.",
                dutch_date(self.request_date)
            )
        } else {
            format!(
                "Op {} heeft u jeugdhulp aangevraagd voor {}, geboren op {}.",
                dutch_date(self.request_date),
                self.full_name(),
                dutch_date(self.jeugdige.birth_date)
            )
        };
        section(
            "Uw aanvraag",
            vec![
                Block::Paragraph(asked),
                paragraph(
                    "Wij hebben de aanvraag bekeken. In deze brief leest u wat wij besluiten en waarom.",
                ),
            ],
        )
    }

    fn besluit(&self, own: bool) -> Section {
        let who = if own {
            "u".to_owned()
        } else {
            self.full_name()
        };
        let start = dutch_date(self.start_date);
        let end = dutch_date(self.end_date);
        let aanbieder = &self.aanbieder;
        section(
            "Ons besluit",
            vec![
                Block::Paragraph(format!("Wij geven {who} jeugdhulp. Het gaat om deze hulp:")),
                field("Soort hulp", &self.arrangement_name),
                field("Productcode", self.productcode.as_str()),
                field("Intensiteit", self.intensiteit.label()),
                field("Periode", &format!("{start} tot en met {end}")),
                field(
                    "Aanbieder",
                    &format!("{} in {}", aanbieder.name, aanbieder.city),
                ),
                paragraph(
                    "De intensiteit zegt hoe ver het doel nog weg is, en dus hoeveel hulp er nodig is.",
                ),
                Block::Paragraph(format!(
                    "Wij laten {} weten dat de hulp mag beginnen. Op {end} wordt de hulp beëindigd. \
                     Is er daarna nog hulp nodig? Neem dan ruim voor die datum contact met ons op.",
                    aanbieder.name
                )),
                // Rule: seed 002, client route step 11 — the warranty of 4 months.
                paragraph(
                    "Komen de problemen binnen 4 maanden na het einde van de hulp terug? Dan helpt dezelfde aanbieder opnieuw.",
                ),
            ],
        )
    }

    fn waarom(&self) -> Section {
        let mut blocks = vec![paragraph("Wij besluiten dit om deze redenen:")];
        blocks.extend(
            self.reasons
                .iter()
                .map(|r| Block::Item(r.trim().to_owned())),
        );
        blocks.push(Block::Paragraph(format!(
            "Wij nemen dit besluit op grond van de Jeugdwet en de verordening jeugdhulp van de gemeente {}.",
            self.gemeente.name
        )));
        section("Waarom wij zo besluiten", blocks)
    }

    // Rule (national, Awb art. 6:5, 6:7, 6:16 and 8:81): what a bezwaarschrift
    // contains, its six weeks, that it does not stop the decision, and the
    // voorlopige voorziening.
    fn bezwaar(&self) -> Section {
        let gemeente = &self.gemeente.name;
        section(
            "Bezwaar maken",
            vec![
                paragraph(
                    "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat kost niets.",
                ),
                Block::Paragraph(format!(
                    "Stuur binnen zes weken na de datum van deze brief een brief naar het college van \
                     burgemeester en wethouders van de gemeente {gemeente}. Zo’n brief heet een \
                     bezwaarschrift. Uw bezwaarschrift moet uiterlijk op {} bij ons zijn.",
                    dutch_date(bezwaar_deadline(self.date))
                )),
                paragraph("Zet in uw bezwaarschrift:"),
                item("uw naam en adres;"),
                item("de datum;"),
                Block::Item(format!(
                    "over welk besluit het gaat: noem het kenmerk {} of stuur een kopie van deze brief mee;",
                    self.kenmerk.trim()
                )),
                item("waarom u het niet eens bent met het besluit;"),
                item("uw handtekening."),
                paragraph(
                    "Ook als u bezwaar maakt, blijft dit besluit gelden. Is uw situatie zo dringend dat u niet kunt wachten op onze beslissing over uw bezwaar? Dan kunt u de voorzieningenrechter van de rechtbank vragen om een voorlopige voorziening: een snelle beslissing voor de tussentijd. Dat kan als u ook bezwaar heeft gemaakt. Voor een verzoek aan de rechter betaalt u griffierecht.",
                ),
            ],
        )
    }

    fn vragen(&self) -> Section {
        let contact = if self.contact.trim().is_empty() {
            format!(
                "Neem dan contact op met de gemeente {}.",
                self.gemeente.name
            )
        } else {
            self.contact.trim().to_owned()
        };
        section(
            "Vragen",
            vec![Block::Paragraph(format!(
                "Heeft u vragen over deze brief? {contact} Noem daarbij het kenmerk {}.",
                self.kenmerk.trim()
            ))],
        )
    }
}

fn section(heading: &str, blocks: Vec<Block>) -> Section {
    Section {
        heading: heading.to_owned(),
        blocks,
    }
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(text.to_owned())
}

fn item(text: &str) -> Block {
    Block::Item(text.to_owned())
}

fn field(label: &str, value: &str) -> Block {
    Block::Field {
        label: label.to_owned(),
        value: value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use super::*;
    use crate::{AgbCode, Bsn, Gemeentecode};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn gegevens() -> BeschikkingGegevens {
        let code = Gemeentecode::parse("0307").unwrap();
        BeschikkingGegevens {
            gemeente: Gemeente {
                code: code.clone(),
                name: "Amersfoort".into(),
                contact: None,
            },
            kenmerk: "JR-2026-000123".into(),
            date: d(2026, 11, 24),
            request_date: d(2026, 10, 5),
            jeugdige: Jeugdige {
                bsn: Bsn::parse("999990019").unwrap(),
                first_names: "Noë".into(),
                surname: "de Vries".into(),
                birth_date: d(2014, 5, 4),
                gemeente: code.clone(),
                geslacht: crate::Geslacht::Onbekend,
            },
            gezin: Gezin {
                surname: "De Vries".into(),
                street: "Kamp".into(),
                house_number: "12".into(),
                postcode: "3811 AB".into(),
                city: "Amersfoort".into(),
                gemeente: code,
            },
            productcode: Productcode::parse("50H22").unwrap(),
            arrangement_name: "Opvoedvaardigheden van ouders schieten tekort".into(),
            intensiteit: Intensiteit::Midden,
            start_date: d(2026, 12, 1),
            end_date: d(2027, 11, 30),
            aanbieder: Aanbieder {
                agb: AgbCode::parse("98000001").unwrap(),
                name: "Jeugdhulp Eemland".into(),
                city: "Amersfoort".into(),
            },
            reasons: vec![
                "De ouders willen leren hoe zij rust en regelmaat in huis brengen.".into(),
                "Hulp van het lokale team was niet genoeg.".into(),
            ],
            contact: "Bel ons op 14 033.".into(),
        }
    }

    #[test]
    fn dutch_dates_name_the_month() {
        assert_eq!(dutch_date(d(2026, 11, 22)), "22 november 2026");
        assert_eq!(dutch_date(d(2027, 3, 1)), "1 maart 2027");
    }

    #[test]
    fn the_letter_names_the_decided_help() {
        let text = gegevens().brief().unwrap().text();
        for expected in [
            "Gemeente Amersfoort",
            "Amersfoort, 24 november 2026",
            "Kenmerk: JR-2026-000123",
            "Besluit over jeugdhulp",
            "Soort hulp: Opvoedvaardigheden van ouders schieten tekort",
            "Productcode: 50H22",
            "Intensiteit: Midden",
            "Periode: 1 december 2026 tot en met 30 november 2027",
            "Aanbieder: Jeugdhulp Eemland in Amersfoort",
            "Op 30 november 2027 wordt de hulp beëindigd.",
            "Op 5 oktober 2026 heeft u jeugdhulp aangevraagd voor Noë de Vries, geboren op 4 mei 2014.",
            "Bel ons op 14 033.",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
    }

    #[test]
    fn every_reason_is_in_the_letter_as_an_item() {
        let brief = gegevens().brief().unwrap();
        let waarom = brief
            .sections
            .iter()
            .find(|s| s.heading == "Waarom wij zo besluiten")
            .unwrap();
        for reason in gegevens().reasons {
            assert!(waarom.blocks.contains(&Block::Item(reason)));
        }
    }

    #[test]
    fn the_legal_remedy_gives_six_weeks_the_college_and_the_voorlopige_voorziening() {
        let text = gegevens().brief().unwrap().text();
        for expected in [
            "binnen zes weken na de datum van deze brief",
            "college van burgemeester en wethouders van de gemeente Amersfoort",
            "uiterlijk op 5 januari 2027",
            "- uw naam en adres;",
            "- de datum;",
            "noem het kenmerk JR-2026-000123",
            "- waarom u het niet eens bent met het besluit;",
            "- uw handtekening.",
            "voorlopige voorziening",
        ] {
            assert!(text.contains(expected), "missing {expected:?}");
        }
    }

    #[test]
    fn the_bezwaar_term_is_six_weeks_and_moves_off_a_weekend_or_holiday() {
        // Tuesday 24 November 2026 + 42 days: Tuesday 5 January 2027.
        assert_eq!(bezwaar_deadline(d(2026, 11, 24)), d(2027, 1, 5));
        // Sunday 3 January 2027 moves to Monday 4 January.
        assert_eq!(bezwaar_deadline(d(2026, 11, 22)), d(2027, 1, 4));
        // Friday 13 November 2026 + 42 days is Christmas Day: on to Monday 28 December.
        assert_eq!(bezwaar_deadline(d(2026, 11, 13)), d(2026, 12, 28));
    }

    #[test]
    fn a_youth_of_sixteen_gets_the_letter_itself() {
        let mut g = gegevens();
        assert_eq!(
            g.brief().unwrap().addressee[0],
            "De ouder(s) of verzorger(s) van"
        );
        g.jeugdige.birth_date = d(2010, 11, 24);
        let brief = g.brief().unwrap();
        assert_eq!(
            brief.addressee,
            ["Noë de Vries", "Kamp 12", "3811 AB  AMERSFOORT"]
        );
        assert_eq!(brief.salutation, "Beste Noë de Vries,");
        assert!(brief.text().contains("Wij geven u jeugdhulp."));
        g.jeugdige.birth_date = d(2010, 11, 25);
        assert_eq!(g.brief().unwrap().salutation, "Beste ouder of verzorger,");
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let mut g = gegevens();
        g.end_date = d(2026, 11, 30);
        let err = g.brief().unwrap_err();
        assert_eq!(
            err,
            BeschikkingError::EndBeforeStart {
                start: d(2026, 12, 1),
                end: d(2026, 11, 30)
            }
        );
        assert_eq!(
            err.to_string(),
            "einddatum: de hulp kan niet eindigen (30 november 2026) voordat zij begint (1 december 2026)"
        );
        g.end_date = g.start_date;
        assert!(g.brief().is_ok(), "one day of help is a period");
    }

    #[test]
    fn a_decision_without_reasons_kenmerk_or_with_a_later_request_is_refused() {
        let mut g = gegevens();
        g.reasons.clear();
        assert_eq!(g.brief(), Err(BeschikkingError::NoReasons));
        g.reasons = vec!["  ".into()];
        assert_eq!(g.brief(), Err(BeschikkingError::NoReasons));

        let mut g = gegevens();
        g.kenmerk = " ".into();
        assert_eq!(g.brief(), Err(BeschikkingError::NoKenmerk));

        let mut g = gegevens();
        g.request_date = d(2026, 11, 25);
        assert!(matches!(
            g.brief(),
            Err(BeschikkingError::RequestAfterLetter { .. })
        ));
    }

    #[test]
    fn without_a_contact_line_the_letter_points_to_the_gemeente() {
        let mut g = gegevens();
        g.contact.clear();
        let text = g.brief().unwrap().text();
        assert!(text.contains("Neem dan contact op met de gemeente Amersfoort. Noem daarbij het kenmerk JR-2026-000123."));
    }
}
