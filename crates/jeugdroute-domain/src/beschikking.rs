//! The beschikking: the gemeente's written decision on a request for youth care.
//!
//! A family has a right to a decision it can read, keep and contest. This module
//! turns the facts of a decision into the *content* of that letter, a [`Brief`]:
//! who it is for, what was decided, why, and how to object. It decides nothing
//! about layout and does no I/O; the app renders a `Brief` to PDF. The date of the
//! letter is a field, never read from a clock, so the same facts always give the
//! same letter.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::{
    Aanbieder, Behoefte, Gemeente, Gemeentecontact, Gezin, Intensiteit, Jeugdige, Opvoedsituatie,
    Ouder, Productcode, Resultaat, is_working_day,
};

/// Everything a decision on youth care needs to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeschikkingGegevens {
    /// The gemeente that decides (and pays), by the woonplaatsbeginsel; its
    /// contact gives the letterhead, the bezwaar address and the signatory.
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
    /// The youth's parents and carers as recorded; the letter goes to those with
    /// gezag. Empty when none are recorded (older cases).
    pub ouders: Vec<Ouder>,
    /// The family's question, in its own words (vraagverheldering).
    pub vraag: String,
    /// What the decision rests on: the assessment, or a crisis.
    pub grondslag: Grondslag,
    /// The product allocated, e.g. the arrangement code `50H22`.
    pub productcode: Productcode,
    /// What the help is called: the arrangement's (or region product's) name.
    pub arrangement_name: String,
    /// First day of the help.
    pub start_date: NaiveDate,
    /// Last day of the help (inclusive).
    pub end_date: NaiveDate,
    pub aanbieder: Aanbieder,
}

/// What a decision rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grondslag {
    /// The assessment was done: the family's situation, need and plan, and the
    /// help chosen with its intensity.
    Beoordeeld(Beoordeling),
    /// Crisis help, which starts before the assessment; the assessment follows
    /// by this day.
    Crisis { beoordeling_uiterlijk: NaiveDate },
}

/// The facts of the assessment a regular decision rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beoordeling {
    /// How the upbringing is going (vraagduiding).
    pub opvoedsituatie: Opvoedsituatie,
    /// The kind of help needed (gezinsanalyse).
    pub behoefte: Behoefte,
    /// The results of the family's perspectiefplan, quoted in the letter.
    pub resultaten: Vec<Resultaat>,
    /// The situation the help is for, in the catalogue's plain words.
    pub arrangement_description: String,
    pub intensiteit: Intensiteit,
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
    #[error("vraag: een besluit noemt de vraag van het gezin, en die ontbreekt")]
    NoVraag,
    #[error(
        "resultaten: een besluit noemt minstens één resultaat uit het plan van het gezin, en geen leeg"
    )]
    NoResultaten,
    #[error("kenmerk: een besluit heeft een kenmerk")]
    NoKenmerk,
    #[error(
        "gemeente: van de gemeente {gemeente} zijn adres, telefoon, e-mail en ondertekenaar niet ingesteld; vul ze aan in de regioconfiguratie"
    )]
    NoContact { gemeente: String },
}

/// The content of a letter, ready to be laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    /// The sender as shown at the top, e.g. "Gemeente Amersfoort".
    pub sender: String,
    /// The sender's postal address, phone and e-mail, line by line.
    pub sender_details: Vec<String>,
    /// The address block, line by line.
    pub addressee: Vec<String>,
    /// The address block of a copy of the same letter for someone else (a youth
    /// of 12 to 15), when there is one; the rendered letter carries that copy.
    pub copy_to: Option<Vec<String>>,
    /// E.g. "Amersfoort, 24 november 2026".
    pub place_and_date: String,
    pub kenmerk: String,
    pub subject: String,
    /// E.g. "Beste ouder of verzorger,".
    pub salutation: String,
    pub sections: Vec<Section>,
    /// The greeting and on whose behalf it is signed, line by line.
    pub closing: Vec<String>,
    /// Who signs (name, function), under room for the signature.
    pub signatory: Vec<String>,
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
        let mut lines = vec![self.sender.clone()];
        lines.extend(self.sender_details.iter().cloned());
        lines.push(String::new());
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
        lines.extend(self.signatory.iter().cloned());
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

/// Someone a letter about a youth is written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// The youth itself.
    Jeugdige,
    /// The parents with gezag, by name.
    Ouders(Vec<String>),
    /// No parent with gezag is recorded: "de ouder(s) of verzorger(s)" of the youth.
    OudersOnbekend,
}

/// Who a letter about a youth goes to, and who gets a copy of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipients {
    pub to: Recipient,
    pub copy: Option<Recipient>,
}

/// Whether the youth born on `birth` is at least `years` old on `on`.
fn is_at_least(birth: NaiveDate, years: u32, on: NaiveDate) -> bool {
    birth
        .checked_add_months(Months::new(years * 12))
        .is_some_and(|birthday| birthday <= on)
}

/// Who a decision about `jeugdige` is written to on the letter date `on`.
///
/// Rule: issue 11 point 9, after the Jeugdwet's age limits for consent (art.
/// 7.3.4): a youth of 16 or older decides on its own help, so the letter goes to
/// the youth; for a youth of 12 to 15 the letter goes to the parents with gezag
/// and the youth gets a copy; a younger youth's letter goes to the parents with
/// gezag alone. Parents without gezag are contacts, not addressees. When no parent
/// with gezag is recorded (older cases), the letter goes to "de ouder(s) of
/// verzorger(s)" at the household's address.
pub fn recipients(jeugdige: &Jeugdige, ouders: &[Ouder], on: NaiveDate) -> Recipients {
    if is_at_least(jeugdige.birth_date, 16, on) {
        return Recipients {
            to: Recipient::Jeugdige,
            copy: None,
        };
    }
    let names: Vec<String> = ouders
        .iter()
        .filter(|o| o.gezag && !o.naam.trim().is_empty())
        .map(|o| o.naam.trim().to_owned())
        .collect();
    let to = if names.is_empty() {
        Recipient::OudersOnbekend
    } else {
        Recipient::Ouders(names)
    };
    let copy = is_at_least(jeugdige.birth_date, 12, on).then_some(Recipient::Jeugdige);
    Recipients { to, copy }
}

/// "A", "A en B", "A, B en C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

/// The opvoedsituatie in the family's words, without the scale's jargon.
fn situatie_in_plain_words(situatie: Opvoedsituatie) -> &'static str {
    match situatie {
        Opvoedsituatie::Opvoedingsvragen => {
            "Er zijn vragen over de opvoeding, maar het lukt thuis meestal goed."
        }
        Opvoedsituatie::Opvoedingsspanning => {
            "De opvoeding geeft soms spanning: het gaat niet altijd zoals u wilt."
        }
        Opvoedsituatie::VerhoogdeOpvoedingsspanning => {
            "De opvoeding geeft vaak spanning, en dat merkt het hele gezin elke dag."
        }
        Opvoedsituatie::Opvoedingsnood => {
            "De opvoeding loopt vast: het gezin kan dit niet meer alleen oplossen."
        }
        Opvoedsituatie::Opvoedingscrisis => {
            "De situatie thuis is zo ernstig dat er meteen hulp nodig is."
        }
    }
}

/// Rule: seed 003 — ordinary help without a decision comes first; specialist help
/// only complements it. The letter says so in the family's words.
fn behoefte_in_plain_words(behoefte: Behoefte) -> &'static str {
    match behoefte {
        Behoefte::LokaalAanbod => {
            "Hulp waarvoor u geen besluit van de gemeente nodig heeft, zoals het lokale team, \
             een cursus of contact met andere ouders, past bij uw vraag. De hulp in deze brief \
             komt daar als aanvulling bij."
        }
        Behoefte::Specialistisch => {
            "Eerst hebben wij gekeken naar hulp waarvoor u geen besluit van de gemeente nodig \
             heeft, zoals het lokale team, een cursus of contact met andere ouders. Die hulp is \
             niet genoeg. Er is hulp van een specialist nodig, voor één duidelijk probleem."
        }
        Behoefte::Hoogspecialistisch => {
            "Eerst hebben wij gekeken naar hulp waarvoor u geen besluit van de gemeente nodig \
             heeft, zoals het lokale team, een cursus of contact met andere ouders. Die hulp is \
             niet genoeg. Er is zeer gespecialiseerde hulp nodig, voor problemen op meer \
             gebieden tegelijk."
        }
    }
}

/// What the intensity means for the family (seed 002, step 4: the distance to
/// the result).
fn intensiteit_in_plain_words(intensiteit: Intensiteit) -> &'static str {
    match intensiteit {
        Intensiteit::Licht => {
            "Dat betekent: het doel is dichtbij, en met korte hulp is het te bereiken."
        }
        Intensiteit::Midden => {
            "Dat betekent: er zijn een paar duidelijke doelen, en daarvoor is een gemiddelde hoeveelheid hulp nodig."
        }
        Intensiteit::Zwaar => {
            "Dat betekent: het doel is nog ver weg, of eerdere hulp was niet genoeg, en daarom is er veel hulp nodig."
        }
        Intensiteit::Doorlopend => {
            "Dat betekent: de hulp gaat lang door, met af en toe contact, zodat het goed blijft gaan."
        }
        Intensiteit::Chronisch => {
            "Dat betekent: de hulp gaat lang door, om vast te houden wat al bereikt is."
        }
    }
}

impl BeschikkingGegevens {
    /// The letter for this decision, or why it cannot be written.
    pub fn brief(&self) -> Result<Brief, BeschikkingError> {
        let contact = self.check()?;
        let gemeente = &self.gemeente.name;
        let recipients = recipients(&self.jeugdige, &self.ouders, self.date);
        let own = recipients.to == Recipient::Jeugdige;
        Ok(Brief {
            sender: format!("Gemeente {gemeente}"),
            sender_details: vec![
                format!("{} {}", contact.street.trim(), contact.house_number.trim()),
                format!("{}  {}", contact.postcode.trim(), contact.city.trim()),
                format!("Telefoon {}", contact.telefoon.trim()),
                format!("E-mail {}", contact.email.trim()),
            ],
            addressee: self.address_block(&recipients.to),
            copy_to: recipients.copy.as_ref().map(|r| self.address_block(r)),
            place_and_date: format!("{gemeente}, {}", dutch_date(self.date)),
            kenmerk: self.kenmerk.trim().to_owned(),
            subject: "Besluit over jeugdhulp".to_owned(),
            salutation: match &recipients.to {
                Recipient::Jeugdige => format!("Beste {},", self.full_name()),
                Recipient::Ouders(names) => format!("Beste {},", and_list(names)),
                Recipient::OudersOnbekend => "Beste ouder of verzorger,".to_owned(),
            },
            sections: vec![
                self.aanvraag(own, recipients.copy.is_some()),
                self.besluit(own),
                self.waarom(own),
                self.bezwaar(contact),
                self.vragen(contact),
            ],
            closing: vec![
                "Met vriendelijke groet,".to_owned(),
                format!("namens het college van burgemeester en wethouders van {gemeente},"),
            ],
            signatory: vec![
                contact.signatory_name.trim().to_owned(),
                contact.signatory_function.trim().to_owned(),
            ],
        })
    }

    fn check(&self) -> Result<&Gemeentecontact, BeschikkingError> {
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
        // Rule (national, Awb art. 3:46): a decision rests on stated reasons; here
        // they are the family's own question and the results of its plan.
        if self.vraag.trim().is_empty() {
            return Err(BeschikkingError::NoVraag);
        }
        if let Grondslag::Beoordeeld(b) = &self.grondslag
            && (b.resultaten.is_empty()
                || b.resultaten
                    .iter()
                    .any(|r| r.omschrijving.trim().is_empty()))
        {
            return Err(BeschikkingError::NoResultaten);
        }
        // Rule: issue 11 point 9 — a letter names the gemeente's address, phone,
        // e-mail and signatory from the region's configuration.
        self.gemeente
            .contact
            .as_ref()
            .ok_or_else(|| BeschikkingError::NoContact {
                gemeente: self.gemeente.name.clone(),
            })
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.jeugdige.first_names, self.jeugdige.surname)
    }

    fn address_block(&self, recipient: &Recipient) -> Vec<String> {
        let gezin = &self.gezin;
        let mut lines = match recipient {
            Recipient::Jeugdige => vec![self.full_name()],
            Recipient::Ouders(names) => vec![and_list(names)],
            Recipient::OudersOnbekend => vec![
                "Aan de ouder(s) of verzorger(s) van".to_owned(),
                self.full_name(),
            ],
        };
        lines.push(format!("{} {}", gezin.street, gezin.house_number));
        lines.push(format!("{}  {}", gezin.postcode, gezin.city.to_uppercase()));
        lines
    }

    fn aanvraag(&self, own: bool, copy: bool) -> Section {
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
        let mut blocks = vec![
            Block::Paragraph(asked),
            paragraph(
                "Wij hebben de aanvraag bekeken. In deze brief leest u wat wij besluiten en waarom.",
            ),
        ];
        if copy {
            blocks.push(Block::Paragraph(format!(
                "{} is 12 jaar of ouder en krijgt daarom een kopie van deze brief.",
                self.full_name()
            )));
        }
        section("Uw aanvraag", blocks)
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
        let mut blocks = vec![
            Block::Paragraph(format!("Wij geven {who} jeugdhulp. Het gaat om deze hulp:")),
            field("Soort hulp", &self.arrangement_name),
            field("Productcode", self.productcode.as_str()),
        ];
        if let Grondslag::Beoordeeld(b) = &self.grondslag {
            blocks.push(field("Intensiteit", b.intensiteit.label()));
        }
        blocks.push(field("Periode", &format!("{start} tot en met {end}")));
        blocks.push(field(
            "Aanbieder",
            &format!("{} in {}", aanbieder.name, aanbieder.city),
        ));
        if matches!(self.grondslag, Grondslag::Beoordeeld(_)) {
            blocks.push(paragraph(
                "De intensiteit zegt hoe ver het doel nog weg is, en dus hoeveel hulp er nodig is.",
            ));
        }
        blocks.push(Block::Paragraph(format!(
            "Wij laten {} weten dat de hulp mag beginnen. Op {end} wordt de hulp beëindigd. \
             Is er daarna nog hulp nodig? Neem dan ruim voor die datum contact met ons op.",
            aanbieder.name
        )));
        // Rule: seed 002, client route step 11 — the warranty of 4 months.
        blocks.push(paragraph(
            "Komen de problemen binnen 4 maanden na het einde van de hulp terug? Dan helpt dezelfde aanbieder opnieuw.",
        ));
        section("Ons besluit", blocks)
    }

    /// The reasons, built from the family's own facts: its question, how the
    /// upbringing goes, the help it needs, the results of its plan, and the help
    /// chosen with its intensity — in plain words.
    fn waarom(&self, own: bool) -> Section {
        let whose = if own { "De" } else { "Uw" };
        let mut blocks = vec![Block::Paragraph(format!(
            "{whose} vraag aan ons was: “{}”",
            self.vraag.trim()
        ))];
        match &self.grondslag {
            Grondslag::Beoordeeld(b) => self.beoordeeld(b, &mut blocks),
            Grondslag::Crisis {
                beoordeling_uiterlijk,
            } => {
                blocks.push(paragraph(
                    "Er is meteen hulp nodig. Daarom begint de crisishulp direct, nog voordat wij samen met u alles hebben besproken.",
                ));
                blocks.push(Block::Paragraph(format!(
                    "Uiterlijk {} hebben wij samen met u gekeken wat er aan de hand is en welke hulp daarna nodig is.",
                    dutch_date(*beoordeling_uiterlijk)
                )));
            }
        }
        blocks.push(Block::Paragraph(format!(
            "Wij nemen dit besluit op grond van de Jeugdwet en de verordening jeugdhulp van de gemeente {}.",
            self.gemeente.name
        )));
        section("Waarom wij zo besluiten", blocks)
    }

    /// The reasons of a decision after the assessment: how the upbringing
    /// goes, the help needed, the plan's results and the help chosen.
    fn beoordeeld(&self, b: &Beoordeling, blocks: &mut Vec<Block>) {
        blocks.push(Block::Paragraph(format!(
            "Wij hebben samen met u gekeken hoe het thuis gaat. {}",
            situatie_in_plain_words(b.opvoedsituatie)
        )));
        blocks.push(paragraph(behoefte_in_plain_words(b.behoefte)));
        blocks.push(paragraph(
            "In het plan van uw gezin staat wat er moet veranderen:",
        ));
        blocks.extend(b.resultaten.iter().map(|r| {
            Block::Item(format!(
                "{}: “{}”",
                r.leefgebied.label(),
                r.omschrijving.trim()
            ))
        }));
        let description = b.arrangement_description.trim();
        blocks.push(Block::Paragraph(if description.is_empty() {
            format!(
                "Daarom kiezen wij de hulp “{}”.",
                self.arrangement_name.trim()
            )
        } else {
            format!(
                "Daarom kiezen wij de hulp “{}”. Die hulp is er voor deze situatie. {description}",
                self.arrangement_name.trim()
            )
        }));
        blocks.push(Block::Paragraph(format!(
            "De intensiteit van de hulp is {}. {}",
            b.intensiteit.label().to_lowercase(),
            intensiteit_in_plain_words(b.intensiteit)
        )));
    }

    // Rule (national, Awb art. 6:5, 6:7, 6:16 and 8:81): what a bezwaarschrift
    // contains, its six weeks, that it does not stop the decision, and the
    // voorlopige voorziening.
    fn bezwaar(&self, contact: &Gemeentecontact) -> Section {
        let gemeente = &self.gemeente.name;
        section(
            "Bezwaar maken",
            vec![
                paragraph(
                    "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat kost niets.",
                ),
                Block::Paragraph(format!(
                    "Stuur binnen zes weken na de datum van deze brief een brief naar het college van \
                     burgemeester en wethouders van de gemeente {gemeente}, {} {}, {}  {}. Zo’n brief \
                     heet een bezwaarschrift. Uw bezwaarschrift moet uiterlijk op {} bij ons zijn.",
                    contact.street.trim(),
                    contact.house_number.trim(),
                    contact.postcode.trim(),
                    contact.city.trim(),
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

    fn vragen(&self, contact: &Gemeentecontact) -> Section {
        section(
            "Vragen",
            vec![Block::Paragraph(format!(
                "Heeft u vragen over deze brief? Bel ons op {} of mail naar {}. Noem daarbij het kenmerk {}.",
                contact.telefoon.trim(),
                contact.email.trim(),
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

    use std::collections::BTreeSet;

    use super::*;
    use crate::{AgbCode, Bsn, Gemeentecode, Leefgebied, ResultaatStatus, Wet};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ouder(naam: &str, gezag: bool) -> Ouder {
        Ouder {
            naam: naam.into(),
            telefoon: None,
            email: None,
            gezag,
        }
    }

    fn resultaat(leefgebied: Leefgebied, omschrijving: &str) -> Resultaat {
        Resultaat {
            omschrijving: omschrijving.into(),
            leefgebied,
            wet: Wet::Jeugdwet,
            status: ResultaatStatus::Open,
        }
    }

    fn resultaten(g: &mut BeschikkingGegevens) -> &mut Vec<Resultaat> {
        match &mut g.grondslag {
            Grondslag::Beoordeeld(b) => &mut b.resultaten,
            Grondslag::Crisis { .. } => panic!("a crisis decision has no plan"),
        }
    }

    #[test]
    fn a_crisis_decision_says_the_help_starts_now_and_when_the_assessment_follows() {
        let mut g = gegevens();
        g.grondslag = Grondslag::Crisis {
            beoordeling_uiterlijk: d(2026, 12, 22),
        };
        g.arrangement_name = "Crisishulp jeugd".into();
        let text = g.brief().unwrap().text();
        assert!(text.contains("begint de crisishulp direct"), "{text}");
        assert!(text.contains("Uiterlijk 22 december 2026"), "{text}");
        assert!(
            !text.contains("Intensiteit"),
            "no intensity for crisis help:\n{text}"
        );
        assert!(!text.contains("In het plan van uw gezin"), "{text}");
    }

    fn gegevens() -> BeschikkingGegevens {
        let code = Gemeentecode::parse("0307").unwrap();
        BeschikkingGegevens {
            gemeente: Gemeente {
                code: code.clone(),
                name: "Amersfoort".into(),
                contact: Some(Gemeentecontact {
                    street: "Stadsring".into(),
                    house_number: "100".into(),
                    postcode: "3811 HP".into(),
                    city: "Amersfoort".into(),
                    telefoon: "033 000 03 07".into(),
                    email: "jeugd@amersfoort.example".into(),
                    signatory_name: "J. de Boer".into(),
                    signatory_function: "teammanager Jeugd".into(),
                }),
            },
            kenmerk: "JR-2026-000123".into(),
            date: d(2026, 11, 24),
            request_date: d(2026, 10, 5),
            jeugdige: Jeugdige {
                bsn: Bsn::parse("999990019").unwrap(),
                first_names: "Noë".into(),
                surname: "de Vries".into(),
                birth_date: d(2016, 5, 4),
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
            ouders: vec![
                ouder("Anna de Vries", true),
                ouder("Mark Jansen", true),
                ouder("Oma de Vries", false),
            ],
            vraag: "Wij willen weer rust in huis, zonder elke avond ruzie.".into(),
            grondslag: Grondslag::Beoordeeld(Beoordeling {
                opvoedsituatie: Opvoedsituatie::VerhoogdeOpvoedingsspanning,
                behoefte: Behoefte::Specialistisch,
                resultaten: vec![
                    resultaat(
                        Leefgebied::Opvoeding,
                        "Er zijn vaste afspraken over bedtijd.",
                    ),
                    resultaat(Leefgebied::Opleiding, "Noë gaat elke dag naar school"),
                ],
                arrangement_description: "De hulp richt zich vooral op de ouders.".into(),
                intensiteit: Intensiteit::Midden,
            }),
            productcode: Productcode::parse("50H22").unwrap(),
            arrangement_name: "Opvoedvaardigheden van ouders schieten tekort".into(),
            start_date: d(2026, 12, 1),
            end_date: d(2027, 11, 30),
            aanbieder: Aanbieder {
                agb: AgbCode::parse("98000001").unwrap(),
                name: "Jeugdhulp Eemland".into(),
                city: "Amersfoort".into(),
            },
        }
    }

    /// The letter's sentences: every line, cut after '.', '?', '!' and ':'.
    fn sentences(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for line in text.lines() {
            let mut current = String::new();
            for c in line.chars() {
                current.push(c);
                if matches!(c, '.' | '?' | '!' | ':') {
                    out.push(std::mem::take(&mut current));
                }
            }
            out.push(current);
        }
        out.into_iter()
            .map(|s| s.trim().trim_start_matches("- ").to_owned())
            .filter(|s| s.chars().any(char::is_alphanumeric))
            .collect()
    }

    fn assert_no_sentence_twice(brief: &Brief) {
        let text = brief.text();
        let mut seen = BTreeSet::new();
        for sentence in sentences(&text) {
            assert!(
                seen.insert(sentence.clone()),
                "{sentence:?} twice in:\n{text}"
            );
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
            "Op 5 oktober 2026 heeft u jeugdhulp aangevraagd voor Noë de Vries, geboren op 4 mei 2016.",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
    }

    #[test]
    fn the_gemeente_contact_gives_letterhead_questions_bezwaar_address_and_signatory() {
        let brief = gegevens().brief().unwrap();
        assert_eq!(
            brief.sender_details,
            [
                "Stadsring 100",
                "3811 HP  Amersfoort",
                "Telefoon 033 000 03 07",
                "E-mail jeugd@amersfoort.example"
            ]
        );
        assert_eq!(
            brief.closing,
            [
                "Met vriendelijke groet,",
                "namens het college van burgemeester en wethouders van Amersfoort,"
            ]
        );
        assert_eq!(brief.signatory, ["J. de Boer", "teammanager Jeugd"]);
        let text = brief.text();
        assert!(text.contains(
            "Bel ons op 033 000 03 07 of mail naar jeugd@amersfoort.example. Noem daarbij het kenmerk JR-2026-000123."
        ));
        assert!(text.contains(
            "burgemeester en wethouders van de gemeente Amersfoort, Stadsring 100, 3811 HP  Amersfoort."
        ));
    }

    #[test]
    fn without_the_gemeente_contact_no_letter_is_made() {
        let mut g = gegevens();
        g.gemeente.contact = None;
        let err = g.brief().unwrap_err();
        assert_eq!(
            err.to_string(),
            "gemeente: van de gemeente Amersfoort zijn adres, telefoon, e-mail en ondertekenaar niet ingesteld; vul ze aan in de regioconfiguratie"
        );
    }

    #[test]
    fn the_reasons_are_the_familys_own_facts_in_plain_words() {
        let brief = gegevens().brief().unwrap();
        let waarom = brief
            .sections
            .iter()
            .find(|s| s.heading == "Waarom wij zo besluiten")
            .unwrap();
        let text: Vec<String> = waarom.blocks.iter().map(Block::text).collect();
        assert_eq!(
            text,
            [
                "Uw vraag aan ons was: “Wij willen weer rust in huis, zonder elke avond ruzie.”",
                "Wij hebben samen met u gekeken hoe het thuis gaat. De opvoeding geeft vaak spanning, en dat merkt het hele gezin elke dag.",
                "Eerst hebben wij gekeken naar hulp waarvoor u geen besluit van de gemeente nodig heeft, zoals het lokale team, een cursus of contact met andere ouders. Die hulp is niet genoeg. Er is hulp van een specialist nodig, voor één duidelijk probleem.",
                "In het plan van uw gezin staat wat er moet veranderen:",
                "- Opvoeding: “Er zijn vaste afspraken over bedtijd.”",
                "- Opleiding en school: “Noë gaat elke dag naar school”",
                "Daarom kiezen wij de hulp “Opvoedvaardigheden van ouders schieten tekort”. Die hulp is er voor deze situatie. De hulp richt zich vooral op de ouders.",
                "De intensiteit van de hulp is midden. Dat betekent: er zijn een paar duidelijke doelen, en daarvoor is een gemiddelde hoeveelheid hulp nodig.",
                "Wij nemen dit besluit op grond van de Jeugdwet en de verordening jeugdhulp van de gemeente Amersfoort.",
            ]
        );
    }

    #[test]
    fn no_letter_uses_the_words_of_the_rule_engine() {
        for situatie in [
            Opvoedsituatie::Opvoedingsvragen,
            Opvoedsituatie::Opvoedingsspanning,
            Opvoedsituatie::VerhoogdeOpvoedingsspanning,
            Opvoedsituatie::Opvoedingsnood,
            Opvoedsituatie::Opvoedingscrisis,
        ] {
            for behoefte in [
                Behoefte::LokaalAanbod,
                Behoefte::Specialistisch,
                Behoefte::Hoogspecialistisch,
            ] {
                for intensiteit in Intensiteit::ALL {
                    let mut g = gegevens();
                    if let Grondslag::Beoordeeld(b) = &mut g.grondslag {
                        b.opvoedsituatie = situatie;
                        b.behoefte = behoefte;
                        b.intensiteit = intensiteit;
                    }
                    let brief = g.brief().unwrap();
                    let text = brief.text().to_lowercase();
                    for jargon in [
                        "codetabel",
                        "segment",
                        "matrix",
                        "catalogus",
                        "arrangementscode",
                        "behoefte",
                        "opvoedsituatie",
                    ] {
                        assert!(!text.contains(jargon), "{jargon:?} in:\n{text}");
                    }
                    assert_no_sentence_twice(&brief);
                }
            }
        }
    }

    #[test]
    fn no_sentence_appears_twice_for_any_addressee() {
        let mut g = gegevens();
        for (birth, ouders) in [
            (d(2016, 5, 4), g.ouders.clone()),
            (d(2013, 5, 4), g.ouders.clone()),
            (d(2013, 5, 4), vec![]),
            (d(2009, 5, 4), g.ouders.clone()),
        ] {
            g.jeugdige.birth_date = birth;
            g.ouders = ouders;
            assert_no_sentence_twice(&g.brief().unwrap());
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
    fn a_child_under_twelve_gets_a_letter_to_the_parents_with_gezag_only() {
        let g = gegevens();
        assert_eq!(
            recipients(&g.jeugdige, &g.ouders, g.date),
            Recipients {
                to: Recipient::Ouders(vec!["Anna de Vries".into(), "Mark Jansen".into()]),
                copy: None
            }
        );
        let brief = g.brief().unwrap();
        assert_eq!(
            brief.addressee,
            [
                "Anna de Vries en Mark Jansen",
                "Kamp 12",
                "3811 AB  AMERSFOORT"
            ]
        );
        assert_eq!(brief.salutation, "Beste Anna de Vries en Mark Jansen,");
        assert_eq!(brief.copy_to, None);
        assert!(!brief.text().contains("kopie van deze brief."));
        assert!(
            !brief.text().contains("Oma"),
            "a parent without gezag is no addressee"
        );
    }

    #[test]
    fn a_youth_of_twelve_to_fifteen_gets_a_copy_of_the_parents_letter() {
        let mut g = gegevens();
        // Twelve on the letter's date, and fifteen the day before sixteen.
        for birth in [d(2014, 11, 24), d(2010, 11, 25)] {
            g.jeugdige.birth_date = birth;
            let r = recipients(&g.jeugdige, &g.ouders, g.date);
            assert_eq!(r.copy, Some(Recipient::Jeugdige), "born {birth}");
            assert!(matches!(r.to, Recipient::Ouders(_)));
            let brief = g.brief().unwrap();
            assert_eq!(
                brief.copy_to.as_deref(),
                Some(
                    &[
                        "Noë de Vries".to_owned(),
                        "Kamp 12".into(),
                        "3811 AB  AMERSFOORT".into()
                    ][..]
                )
            );
            assert!(brief.text().contains(
                "Noë de Vries is 12 jaar of ouder en krijgt daarom een kopie van deze brief."
            ));
        }
        g.jeugdige.birth_date = d(2014, 11, 25);
        assert_eq!(
            recipients(&g.jeugdige, &g.ouders, g.date).copy,
            None,
            "eleven"
        );
    }

    #[test]
    fn a_youth_of_sixteen_gets_the_letter_itself() {
        let mut g = gegevens();
        g.jeugdige.birth_date = d(2010, 11, 24);
        assert_eq!(
            recipients(&g.jeugdige, &g.ouders, g.date),
            Recipients {
                to: Recipient::Jeugdige,
                copy: None
            }
        );
        let brief = g.brief().unwrap();
        assert_eq!(
            brief.addressee,
            ["Noë de Vries", "Kamp 12", "3811 AB  AMERSFOORT"]
        );
        assert_eq!(brief.salutation, "Beste Noë de Vries,");
        let text = brief.text();
        assert!(text.contains("Wij geven u jeugdhulp."));
        assert!(text.contains("De vraag aan ons was:"));
    }

    #[test]
    fn without_a_parent_with_gezag_the_letter_goes_to_the_parents_or_carers_at_home() {
        let mut g = gegevens();
        g.ouders = vec![ouder("Oma de Vries", false), ouder(" ", true)];
        assert_eq!(
            recipients(&g.jeugdige, &g.ouders, g.date).to,
            Recipient::OudersOnbekend
        );
        let brief = g.brief().unwrap();
        assert_eq!(
            brief.addressee,
            [
                "Aan de ouder(s) of verzorger(s) van",
                "Noë de Vries",
                "Kamp 12",
                "3811 AB  AMERSFOORT"
            ]
        );
        assert_eq!(brief.salutation, "Beste ouder of verzorger,");
        g.ouders.clear();
        assert_eq!(
            g.brief().unwrap().addressee[0],
            "Aan de ouder(s) of verzorger(s) van"
        );
    }

    #[test]
    fn three_parents_with_gezag_are_listed() {
        let names = ["A".to_owned(), "B".into(), "C".into()];
        assert_eq!(and_list(&names), "A, B en C");
        assert_eq!(and_list(&names[..1]), "A");
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
    fn a_decision_without_question_results_kenmerk_or_with_a_later_request_is_refused() {
        let mut g = gegevens();
        g.vraag = " ".into();
        assert_eq!(g.brief(), Err(BeschikkingError::NoVraag));

        let mut g = gegevens();
        resultaten(&mut g).clear();
        assert_eq!(g.brief(), Err(BeschikkingError::NoResultaten));
        *resultaten(&mut g) = vec![resultaat(Leefgebied::Wonen, "  ")];
        assert_eq!(g.brief(), Err(BeschikkingError::NoResultaten));

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
}
