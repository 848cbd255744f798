//! The access worker's cases: registering a melding, the worklist, and one case.
//! Each use case checks access first, then reads or writes the client's data and
//! its audit record in one transaction — a refusal is audit-logged as well.

use chrono::{DateTime, NaiveDate, Utc};
use jeugdroute_domain::{
    AgbCode, Bsn, DeadlineStatus, Fase, Gemeentecode, Geslacht, Gezin, Grond, IntakeDeadline,
    Jeugdige, Kader, Melding, MeldingWoonplaats, Ouder, Role, Urgentie, VerblijfVoor, Verwijzer,
    WoonplaatsFout, xml_tekst,
};
use jeugdroute_store::{
    BekendeJeugdige, Casus, CasusFilter, CasusLine, NewAuditRecord, NewCasus, PAGINA_MAX,
    ZOEKDEEL_MIN,
};

use crate::access::{Actor, UseCase, allowed, covers};
use crate::grenzen::{self, Veld};
use crate::{App, AppError, FieldError};

/// A melding as a form or the JSON API hands it in: text, checked here.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NieuweMelding {
    pub bsn: String,
    pub voornamen: String,
    pub achternaam: String,
    /// `JJJJ-MM-DD`.
    pub geboortedatum: String,
    /// `onbekend`, `man` or `vrouw` (the JW301 carries it).
    pub geslacht: String,
    /// CBS code of the gemeente that decides (woonplaatsbeginsel).
    pub gemeente: String,
    pub straat: String,
    pub huisnummer: String,
    pub postcode: String,
    pub woonplaats: String,
    /// For a youth who stays elsewhere (verblijf): since when (`JJJJ-MM-DD`)…
    pub verblijf_sinds: String,
    /// …and the postcode of the address just before the stay.
    pub postcode_voor_verblijf: String,
    /// The family's question, in their own words.
    pub vraag: String,
    pub ouders: Vec<NieuweOuder>,
    pub vindplaats: String,
    /// COD327 code, e.g. `02` for the huisarts.
    pub verwijzer: String,
    pub verwijzer_naam: String,
    /// `regulier`, `urgent` or `crisis`.
    pub urgentie: String,
    /// `vrijwillig`, or the ground of the forced framework (`ondertoezichtstelling`,
    /// `voogdij`, `jeugdreclassering`, `verwijzing-gi`).
    pub kader: String,
    /// The AGB code of the GI that holds the regie in the forced framework.
    pub gi: String,
    /// Open a second case although the youth has an open one in this gemeente.
    pub tweede_casus: bool,
}

/// A parent or carer as the melding names them; a line left empty is skipped.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NieuweOuder {
    pub naam: String,
    pub telefoon: String,
    pub email: String,
    pub gezag: bool,
}

/// The most parents and carers one melding records.
pub const MAX_OUDERS: usize = 4;

/// One case with its youth, as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasusView {
    pub casus: Casus,
    pub jeugdige: Jeugdige,
    /// The parents and carers recorded at the melding.
    pub ouders: Vec<Ouder>,
}

/// What the worklist is narrowed to. None of it is personal data, so it may
/// travel in a URL; a search by name or BSN never does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WerkvoorraadFilter {
    pub fase: Option<Fase>,
    /// One of the user's gemeenten; another gives an empty list.
    pub gemeente: Option<Gemeentecode>,
    pub urgentie: Option<Urgentie>,
    /// Only cases whose intake deadline is near or past.
    pub alleen_signaal: bool,
}

impl WerkvoorraadFilter {
    /// The phases the store narrows to (`None`: every phase): the chosen one,
    /// and for "only with a signal" the phases in which a case can wait for its
    /// intake.
    fn phases(&self) -> Option<Vec<Fase>> {
        (self.fase.is_some() || self.alleen_signaal).then(|| {
            Fase::ALL
                .into_iter()
                .filter(|f| self.fase.is_none_or(|chosen| chosen == *f))
                .filter(|f| !self.alleen_signaal || IntakeDeadline::can_be_awaited(*f))
                .collect()
        })
    }
}

/// Where a case's intake deadline stands on the day the worklist is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signaal {
    pub deadline: IntakeDeadline,
    pub status: DeadlineStatus,
}

impl Signaal {
    /// Whether the worklist should draw attention to it.
    pub fn flagged(&self) -> bool {
        self.status != DeadlineStatus::OnTime
    }
}

/// A page of the worklist, and where the next page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Werkvoorraad {
    /// At most fifty lines, newest first.
    pub regels: Vec<WerkvoorraadRegel>,
    /// The cursor of the next page (the id of the last case on this one), when
    /// there are older cases.
    pub volgende: Option<i64>,
}

/// A line of the worklist: the case, its youth's name and its signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WerkvoorraadRegel {
    pub casus: Casus,
    pub first_names: String,
    pub surname: String,
    pub signaal: Option<Signaal>,
    /// A message of the case (a JW301) was refused by the receiver: act on it.
    pub bericht_afgekeurd: bool,
}

impl WerkvoorraadRegel {
    fn of(line: CasusLine, today: NaiveDate) -> Result<WerkvoorraadRegel, AppError> {
        let signaal =
            IntakeDeadline::awaited(line.casus.phase, line.match_date).map(|deadline| Signaal {
                deadline,
                status: deadline.status(today),
            });
        Ok(WerkvoorraadRegel {
            casus: line.casus,
            first_names: line.first_names,
            surname: line.surname,
            signaal,
            bericht_afgekeurd: line.bericht_afgekeurd,
        })
    }
}

/// Collects every field error, so the form can show them all at once.
#[derive(Default)]
pub(crate) struct Check(Vec<FieldError>);

impl Check {
    pub(crate) fn required(&mut self, veld: &Veld, value: &str) -> String {
        let value = self.optional(veld, value);
        if value.is_empty() {
            self.fail(veld.naam, "Vul dit veld in.");
        }
        value
    }

    /// Text that may be left empty: trimmed, at most the field's maximum, and
    /// nothing an iJw message could not carry (every stored text passes here).
    pub(crate) fn optional(&mut self, veld: &Veld, value: &str) -> String {
        let value = value.trim();
        if value.chars().nth(veld.max).is_some() {
            self.fail(veld.naam, veld.te_lang());
            return String::new();
        }
        match xml_tekst(veld.naam, value) {
            Ok(value) => value,
            Err(e) => {
                self.fail(veld.naam, e.message);
                String::new()
            }
        }
    }

    pub(crate) fn parsed<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.fail(field, e.to_string())).ok()
    }

    pub(crate) fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Every failure so far, as one error; none is `Ok`.
    pub(crate) fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Fields(self.0))
        }
    }
}

/// A Dutch postcode: four digits (the first not 0), an optional space, two capitals.
pub(crate) fn postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_uppercase();
    let (digits, letters) = compact.split_at_checked(4)?;
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
        && letters.len() == 2
        && letters.chars().all(|c| c.is_ascii_uppercase());
    ok.then(|| format!("{digits} {letters}"))
}

/// A melding checked field by field: what it says of the youth, the household,
/// the parents, the question and the stay, ready for the checks that need data.
pub(crate) struct Gecontroleerd {
    gezin: Gezin,
    jeugdige: Jeugdige,
    melding: Melding,
    ouders: Vec<Ouder>,
    /// The stay, if recorded: since when, and the postcode area before it.
    verblijf: Option<(NaiveDate, u16)>,
}

/// The four-digit area of a checked postcode (`3811 AB` → 3811).
fn pc4(postcode: &str) -> u16 {
    postcode.get(..4).and_then(|d| d.parse().ok()).unwrap_or(0)
}

fn datum(c: &mut Check, field: &'static str, value: &str, today: NaiveDate) -> Option<NaiveDate> {
    c.parsed(
        field,
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
            .map_err(|_| "Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2014-05-21.")
            .and_then(|d| {
                if d > today {
                    Err("Deze datum ligt in de toekomst.")
                } else {
                    Ok(d)
                }
            }),
    )
}

impl NieuweMelding {
    /// The melding field by field, or every field that is wrong.
    pub(crate) fn check(&self, actor: &Actor, today: NaiveDate) -> Result<Gecontroleerd, AppError> {
        let mut c = Check::default();
        let bsn = c.parsed("bsn", Bsn::parse(self.bsn.trim()).map_err(|e| e.message));
        let first_names = c.required(&grenzen::VOORNAMEN, &self.voornamen);
        let surname = c.required(&grenzen::ACHTERNAAM, &self.achternaam);
        let birth_date = datum(&mut c, "geboortedatum", &self.geboortedatum, today);
        let geslacht = if self.geslacht.trim().is_empty() {
            Some(Geslacht::Onbekend)
        } else {
            c.parsed(
                "geslacht",
                self.geslacht
                    .trim()
                    .parse::<Geslacht>()
                    .map_err(|e| e.message),
            )
        };
        let gemeente = c.parsed(
            "gemeente",
            Gemeentecode::parse(self.gemeente.trim()).map_err(|e| e.message),
        );
        let street = c.required(&grenzen::STRAAT, &self.straat);
        let house_number = c.required(&grenzen::HUISNUMMER, &self.huisnummer);
        let number: String = house_number
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !house_number.is_empty()
            && (number.is_empty() || number.starts_with('0') || number.len() > 5)
        {
            c.fail(
                "huisnummer",
                "Een huisnummer begint met een getal van 1 tot 99999, zoals 12 of 12a.",
            );
        }
        let postcode = c.parsed(
            "postcode",
            postcode(&self.postcode).ok_or("Geef een Nederlandse postcode, zoals 3811 AB."),
        );
        let city = c.required(&grenzen::WOONPLAATS, &self.woonplaats);
        let verblijf = self.verblijf(&mut c, today);
        let vraag = c.required(&grenzen::VRAAG, &self.vraag);
        let ouders = self.ouders(&mut c);
        let vindplaats = c.required(&grenzen::VINDPLAATS, &self.vindplaats);
        let (verwijzer, verwijzer_naam) = self.verwijzing(&mut c);
        let urgentie = c.parsed(
            "urgentie",
            self.urgentie
                .trim()
                .parse::<Urgentie>()
                .map_err(|e| e.message),
        );
        let kader = self.kader(&mut c, actor);
        match (
            bsn,
            birth_date,
            geslacht,
            gemeente,
            postcode,
            verwijzer,
            urgentie,
            kader,
            verblijf,
            c.0.is_empty(),
        ) {
            (
                Some(bsn),
                Some(birth_date),
                Some(geslacht),
                Some(gemeente),
                Some(postcode),
                Some(verwijzer),
                Some(urgentie),
                Some(kader),
                Some(verblijf),
                true,
            ) => Ok(Gecontroleerd {
                gezin: Gezin {
                    surname: surname.clone(),
                    street,
                    house_number,
                    postcode,
                    city,
                    gemeente: gemeente.clone(),
                },
                jeugdige: Jeugdige {
                    bsn,
                    first_names,
                    surname,
                    birth_date,
                    gemeente,
                    geslacht,
                },
                melding: Melding {
                    vraag,
                    vindplaats,
                    verwijzer,
                    verwijzer_naam,
                    urgentie,
                    kader,
                },
                ouders,
                verblijf,
            }),
            _ => Err(AppError::Fields(c.0)),
        }
    }

    /// The stay, when either of its fields is filled in: both are then needed.
    fn verblijf(&self, c: &mut Check, today: NaiveDate) -> Option<Option<(NaiveDate, u16)>> {
        if self.verblijf_sinds.trim().is_empty() && self.postcode_voor_verblijf.trim().is_empty() {
            return Some(None);
        }
        let sinds = datum(c, "verblijf_sinds", &self.verblijf_sinds, today);
        let voor = c.parsed(
            "postcode_voor_verblijf",
            postcode(&self.postcode_voor_verblijf)
                .ok_or("Geef de postcode van het adres vlak voor het verblijf, zoals 3811 AB."),
        );
        Some(Some((sinds?, pc4(&voor?))))
    }

    /// Who refers, with the name a huisarts, jeugdarts, GI or specialist needs.
    fn verwijzing(&self, c: &mut Check) -> (Option<Verwijzer>, Option<String>) {
        let verwijzer = c.parsed(
            "verwijzer",
            self.verwijzer
                .trim()
                .parse::<Verwijzer>()
                .map_err(|e| e.message),
        );
        let naam = Some(c.optional(&grenzen::VERWIJZER_NAAM, &self.verwijzer_naam))
            .filter(|n| !n.is_empty());
        if verwijzer.is_some_and(Verwijzer::needs_name) && naam.is_none() {
            c.fail("verwijzer_naam", "Noem de verwijzer bij naam of AGB-code.");
        }
        (verwijzer, naam)
    }

    /// What a correction of the melding may change — the family's question,
    /// where it came in, who refers, and the parents — checked like the melding,
    /// with the reason of the correction.
    pub(crate) fn correctie(
        &self,
        melding: &Melding,
        reden: &str,
    ) -> Result<(Melding, Vec<Ouder>, String), AppError> {
        let mut c = Check::default();
        let vraag = c.required(&grenzen::VRAAG, &self.vraag);
        let vindplaats = c.required(&grenzen::VINDPLAATS, &self.vindplaats);
        let (verwijzer, verwijzer_naam) = self.verwijzing(&mut c);
        let ouders = self.ouders(&mut c);
        let reden = c.required(&grenzen::REDEN, reden);
        c.finish()?;
        let verwijzer = verwijzer.ok_or_else(|| anyhow::anyhow!("checked verwijzer missing"))?;
        Ok((
            Melding {
                vraag,
                vindplaats,
                verwijzer,
                verwijzer_naam,
                ..melding.clone()
            },
            ouders,
            reden,
        ))
    }

    /// The parents and carers named, at most [`MAX_OUDERS`]; lines without a
    /// name are skipped.
    fn ouders(&self, c: &mut Check) -> Vec<Ouder> {
        if self.ouders.len() > MAX_OUDERS {
            c.fail(
                "ouders",
                format!("Noem hoogstens {MAX_OUDERS} ouders of verzorgers."),
            );
            return Vec::new();
        }
        let mut ouders = Vec::new();
        for ouder in &self.ouders {
            let naam = c.optional(&grenzen::OUDER_NAAM, &ouder.naam);
            let telefoon = c.optional(&grenzen::OUDER_TELEFOON, &ouder.telefoon);
            let email = c.optional(&grenzen::OUDER_EMAIL, &ouder.email);
            if naam.is_empty() {
                if !telefoon.is_empty() || !email.is_empty() || ouder.gezag {
                    c.fail("ouders", "Vul bij elke ouder of verzorger een naam in.");
                }
                continue;
            }
            if !telefoon.is_empty()
                && !telefoon
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch))
            {
                c.fail(
                    "ouders",
                    format!("Het telefoonnummer van {naam} bevat tekens die geen cijfers zijn."),
                );
            }
            if !email.is_empty()
                && !email
                    .split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
            {
                c.fail(
                    "ouders",
                    format!("Het e-mailadres van {naam} klopt niet, zoals naam@voorbeeld.nl."),
                );
            }
            ouders.push(Ouder {
                naam,
                telefoon: Some(telefoon).filter(|t| !t.is_empty()),
                email: Some(email).filter(|e| !e.is_empty()),
                gezag: ouder.gezag,
            });
        }
        ouders
    }

    /// The framework of the case. A GI worker registers only in the forced
    /// framework of its own GI.
    fn kader(&self, c: &mut Check, actor: &Actor) -> Option<Kader> {
        let key = self.kader.trim();
        let kader = if key.is_empty() || key == "vrijwillig" {
            Kader::Vrijwillig
        } else {
            let grond = c.parsed(
                "kader",
                key.parse::<Grond>()
                    .map_err(|_| "Kies vrijwillig of de grond van het gedwongen kader."),
            )?;
            let gi = c.parsed(
                "gi",
                AgbCode::parse(self.gi.trim())
                    .map_err(|_| "Kies de gecertificeerde instelling die de regie heeft."),
            )?;
            Kader::Gedwongen { grond, gi }
        };
        if let Some(own) = &actor.user.gi
            && kader.gi() != Some(own)
        {
            c.fail(
                "kader",
                "Als GI-medewerker meldt u alleen in het gedwongen kader van uw eigen GI.",
            );
        }
        Some(kader)
    }
}

fn field_error(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![FieldError {
        field,
        message: message.into(),
    }])
}

/// Where a known youth's record and the melding disagree on who it is. Names
/// are compared without regard to case or extra spaces.
fn identiteit_verschillen(bekend: &Jeugdige, nieuw: &Jeugdige) -> Vec<FieldError> {
    let same = |a: &str, b: &str| {
        let norm = |t: &str| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        norm(a) == norm(b)
    };
    let mut fouten = Vec::new();
    let mut differs = |field: &'static str, what: &str| {
        fouten.push(FieldError {
            field,
            message: format!(
                "Dit BSN is bij uw gemeente bekend met een andere {what}. Controleer het BSN en de {what}; kloppen de bekende gegevens niet, laat ze dan eerst corrigeren."
            ),
        });
    };
    if !same(&bekend.first_names, &nieuw.first_names) {
        differs("voornamen", "voornaam");
    }
    if !same(&bekend.surname, &nieuw.surname) {
        differs("achternaam", "achternaam");
    }
    if bekend.birth_date != nieuw.birth_date {
        differs("geboortedatum", "geboortedatum");
    }
    fouten
}

/// Rule: woonplaatsbeginsel (Jeugdwet art. 1.1) — the chosen gemeente must be
/// where the youth lives, or during a stay where it lived just before; the
/// region's postcode areas say which gemeente an address lies in. Answers the
/// reason that decided it, kept with the case.
async fn woonplaats_toetsen(
    tx: &mut jeugdroute_store::Tx,
    m: &Gecontroleerd,
    today: NaiveDate,
) -> Result<String, AppError> {
    let adres = tx.gemeenten_van_pc4(pc4(&m.gezin.postcode)).await?;
    let verblijf = match m.verblijf {
        Some((sinds, voor)) => Some(VerblijfVoor {
            sinds,
            gemeenten: tx.gemeenten_van_pc4(voor).await?,
        }),
        None => None,
    };
    let gekozen = &m.gezin.gemeente;
    let namen = tx.gemeenten().await?;
    let naam = |codes: &[Gemeentecode]| {
        let found: Vec<&str> = namen
            .iter()
            .filter(|g| codes.contains(&g.code))
            .map(|g| g.name.as_str())
            .collect();
        if found.is_empty() {
            "een gemeente buiten de regio".to_owned()
        } else {
            found.join(" en ")
        }
    };
    let toets = MeldingWoonplaats { adres, verblijf }.toets(
        gekozen,
        &naam(std::slice::from_ref(gekozen)),
        today,
    );
    match toets {
        Ok(reason) => Ok(reason.text),
        Err(WoonplaatsFout::AdresElders { adres }) => Err(field_error(
            "gemeente",
            format!(
                "Het adres ligt in {}, niet in {}. Kies de gemeente van het adres. Verblijft de jeugdige elders (bij een aanbieder of pleeggezin), vul dan in sinds wanneer en de postcode van het adres vlak daarvoor.",
                naam(&adres),
                naam(std::slice::from_ref(gekozen))
            ),
        )),
        Err(WoonplaatsFout::VoorVerblijfElders { adres }) => Err(field_error(
            "postcode_voor_verblijf",
            format!(
                "Het adres vlak voor het verblijf ligt in {}, niet in {}: die gemeente beslist.",
                naam(&adres),
                naam(std::slice::from_ref(gekozen))
            ),
        )),
        Err(WoonplaatsFout::VerblijfInToekomst) => Err(field_error(
            "verblijf_sinds",
            "Het verblijf kan niet na vandaag beginnen.",
        )),
    }
}

/// The audit record of one use case on one client.
pub(crate) fn record<'a>(
    actor: &'a Actor,
    event: &'a str,
    purpose: &'a str,
    outcome: &'a str,
    now: DateTime<Utc>,
) -> NewAuditRecord<'a> {
    NewAuditRecord {
        occurred_at: now,
        actor: &actor.user.username,
        role: Some(actor.user.role.as_str()),
        // A provider acts for its organisation; a worker for the gemeente of the
        // case (see `over_casus`).
        on_behalf_of: actor.user.aanbieder.as_ref().map(AgbCode::as_str),
        event,
        jeugdige_id: None,
        casus_id: None,
        purpose,
        outcome,
        source: actor.source.as_deref(),
        jeugdigen: &[],
    }
}

/// The audit record of a use case on one case: its youth, the case, and — when
/// the worker acts for the case's gemeente — that gemeente, on whose behalf the
/// client's data is processed (NEN 7513: "namens wie").
pub(crate) fn over_casus<'a>(
    actor: &Actor,
    casus: &'a Casus,
    record: NewAuditRecord<'a>,
) -> NewAuditRecord<'a> {
    NewAuditRecord {
        jeugdige_id: Some(casus.jeugdige_id),
        casus_id: Some(casus.id),
        on_behalf_of: covers(&actor.user, &casus.gemeente, &casus.melding.kader)
            .then(|| casus.gemeente.as_str())
            .or(record.on_behalf_of),
        ..record
    }
}

/// The one audit record of a list shown: every client on it by `jeugdigen`;
/// a list of one case also names that case, as a record about one case does.
pub(crate) fn list_record<'a>(
    casussen: &[&Casus],
    jeugdigen: &'a [i64],
    record: NewAuditRecord<'a>,
) -> NewAuditRecord<'a> {
    match casussen {
        [casus] => NewAuditRecord {
            jeugdige_id: Some(casus.jeugdige_id),
            casus_id: Some(casus.id),
            jeugdigen,
            ..record
        },
        _ => NewAuditRecord {
            jeugdigen,
            ..record
        },
    }
}

/// On whose behalf a worker saw a list: the gemeenten of the cases it acts
/// for, in order, joined by commas; `None` when it acts for none of them.
fn on_behalf_of_list(actor: &Actor, casussen: &[&Casus]) -> Option<String> {
    let mut gemeenten: Vec<&str> = casussen
        .iter()
        .filter(|c| covers(&actor.user, &c.gemeente, &c.melding.kader))
        .map(|c| c.gemeente.as_str())
        .collect();
    gemeenten.sort_unstable();
    gemeenten.dedup();
    (!gemeenten.is_empty()).then(|| gemeenten.join(","))
}

impl App {
    /// Refuses a use case the actor's role may not run. The refusal is logged in a
    /// transaction of its own, so it stays when the use case's work is dropped.
    pub async fn require(
        &self,
        actor: &Actor,
        use_case: UseCase,
        event: &str,
    ) -> Result<(), AppError> {
        if allowed(actor.user.role, use_case) {
            return Ok(());
        }
        Err(self.refuse(actor, event).await)
    }

    /// Logs a refused use case in a transaction of its own and answers
    /// [`AppError::Forbidden`] (or the error that kept it from being logged).
    pub(crate) async fn refuse(&self, actor: &Actor, event: &str) -> AppError {
        let logged = async {
            let mut tx = self.store.begin().await?;
            tx.append_audit(&record(
                actor,
                event,
                "toegang geweigerd",
                "geweigerd",
                self.now(),
            ))
            .await?;
            tx.commit().await
        };
        match logged.await {
            Ok(()) => AppError::Forbidden,
            Err(e) => e.into(),
        }
    }

    /// Registers a melding and opens its case, for a gemeente (and framework)
    /// the worker works for. The youth is looked up by BSN in that gemeente's
    /// own records only: a youth known elsewhere is never shown or linked, and
    /// the melding makes what this gemeente needs from what the worker typed.
    /// A known BSN with another name or birth date is refused; an open case of
    /// the youth needs [`NieuweMelding::tweede_casus`]. Every identity check is
    /// audit-logged, a refusal too.
    pub async fn nieuwe_melding(
        &self,
        actor: &Actor,
        melding: &NieuweMelding,
    ) -> Result<i64, AppError> {
        let now = self.now();
        self.require(actor, UseCase::NieuweMelding, "casus.aanmaken")
            .await?;
        let m = melding.check(actor, jeugdroute_domain::amsterdam_today(now))?;
        let gemeente = m.gezin.gemeente.clone();
        if !covers(&actor.user, &gemeente, &m.melding.kader) {
            return Err(field_error("gemeente", "U werkt niet voor deze gemeente."));
        }
        let mut tx = self.store.begin().await?;
        let woonplaats_regel =
            woonplaats_toetsen(&mut tx, &m, jeugdroute_domain::amsterdam_today(now)).await?;
        // Rule: within the worker's own gemeenten a known BSN is the same child.
        for elders in actor.user.gemeenten.iter().filter(|g| **g != gemeente) {
            if let Some(bekend) = tx.bekende_jeugdige(elders, &m.jeugdige.bsn).await? {
                let verschillen = identiteit_verschillen(&bekend.jeugdige, &m.jeugdige);
                if !verschillen.is_empty() {
                    drop(tx);
                    return Err(self
                        .bsn_geweigerd(actor, &bekend, AppError::Fields(verschillen))
                        .await);
                }
            }
        }
        let mut bekend = tx.bekende_jeugdige(&gemeente, &m.jeugdige.bsn).await?;
        let mut nieuw = None;
        if bekend.is_none() {
            let gezin_id = tx.ensure_gezin(&m.gezin).await?;
            nieuw = tx.insert_jeugdige(gezin_id, &m.jeugdige).await?;
            if nieuw.is_none() {
                // A melding of the same youth committed first: compare with it.
                bekend = tx.bekende_jeugdige(&gemeente, &m.jeugdige.bsn).await?;
            }
        }
        let (jeugdige_id, uitkomst) = match (nieuw, bekend) {
            (Some(id), _) => (id, "nieuwe jeugdige"),
            (None, Some(bekend)) => {
                tx = self
                    .bekende_toetsen(tx, actor, &bekend, &m, melding.tweede_casus)
                    .await?;
                (bekend.id, "bekende jeugdige")
            }
            (None, None) => return Err(anyhow::anyhow!("youth vanished during the melding").into()),
        };
        let casus_id = tx
            .insert_casus(&NewCasus {
                jeugdige_id,
                gemeente: &gemeente,
                phase: Fase::Melding,
                melding: &m.melding,
                woonplaats_regel: &woonplaats_regel,
                ouders: &m.ouders,
                at: now,
            })
            .await?;
        let over = |event, purpose, outcome| NewAuditRecord {
            jeugdige_id: Some(jeugdige_id),
            casus_id: Some(casus_id),
            on_behalf_of: Some(gemeente.as_str()),
            ..record(actor, event, purpose, outcome, now)
        };
        tx.append_audit(&over(
            "jeugdige.bsn-controle",
            "melding vastleggen",
            uitkomst,
        ))
        .await?;
        tx.append_audit(&over("casus.aanmaken", "melding vastleggen", "gelukt"))
            .await?;
        tx.commit().await?;
        Ok(casus_id)
    }

    /// Refuses a melding whose BSN is known with another name or birth date.
    async fn bsn_geweigerd(
        &self,
        actor: &Actor,
        bekend: &BekendeJeugdige,
        error: AppError,
    ) -> AppError {
        self.weiger(
            actor,
            bekend,
            "geweigerd: andere naam of geboortedatum",
            error,
        )
        .await
    }

    /// Logs a refused identity check in a transaction of its own and answers
    /// `error` (or the error that kept it from being logged).
    async fn weiger(
        &self,
        actor: &Actor,
        bekend: &BekendeJeugdige,
        outcome: &str,
        error: AppError,
    ) -> AppError {
        let logged = async {
            let mut log = self.store.begin().await?;
            log.append_audit(&NewAuditRecord {
                jeugdige_id: Some(bekend.id),
                on_behalf_of: Some(bekend.jeugdige.gemeente.as_str()),
                ..record(
                    actor,
                    "jeugdige.bsn-controle",
                    "melding vastleggen",
                    outcome,
                    self.now(),
                )
            })
            .await?;
            log.commit().await
        };
        match logged.await {
            Ok(()) => error,
            Err(e) => e.into(),
        }
    }

    /// Checks a melding against the youth this gemeente already knows by the
    /// BSN: the same name and birth date, and no open case unless a second one
    /// is confirmed. A family that moved within the gemeente gets its new
    /// address. A refusal ends the melding's transaction (which would hold the
    /// write lock) and is audit-logged in a transaction of its own.
    async fn bekende_toetsen(
        &self,
        mut tx: jeugdroute_store::Tx,
        actor: &Actor,
        bekend: &BekendeJeugdige,
        m: &Gecontroleerd,
        tweede_casus: bool,
    ) -> Result<jeugdroute_store::Tx, AppError> {
        let verschillen = identiteit_verschillen(&bekend.jeugdige, &m.jeugdige);
        // Only the open cases this worker may see are named.
        let open: Vec<i64> = bekend
            .open_casussen
            .iter()
            .filter(|c| covers(&actor.user, &c.gemeente, &c.melding.kader))
            .map(|c| c.id)
            .collect();
        let weigering = if !verschillen.is_empty() {
            Some((
                "geweigerd: andere naam of geboortedatum",
                AppError::Fields(verschillen),
            ))
        } else if !open.is_empty() && !tweede_casus {
            Some((
                "geweigerd: open casus, niet bevestigd",
                AppError::OpenCasus(open),
            ))
        } else {
            None
        };
        if let Some((outcome, error)) = weigering {
            drop(tx);
            return Err(self.weiger(actor, bekend, outcome, error).await);
        }
        if tx.gezin_of(bekend.id).await? != m.gezin {
            let gezin_id = tx.ensure_gezin(&m.gezin).await?;
            tx.set_gezin(bekend.id, gezin_id).await?;
        }
        Ok(tx)
    }

    /// One case, when the actor may see it; otherwise [`AppError::NotFound`], the
    /// same answer as for a case that does not exist.
    pub async fn casus(&self, actor: &Actor, id: i64) -> Result<CasusView, AppError> {
        self.require(actor, UseCase::CasusBekijken, "casus.bekijken")
            .await?;
        let (mut tx, casus) = self.gedekte_casus(actor, id, "casus.bekijken").await?;
        let jeugdige = tx.jeugdige(casus.jeugdige_id).await?;
        let ouders = tx.ouders(casus.id).await?;
        tx.commit().await?;
        Ok(CasusView {
            casus,
            jeugdige,
            ouders,
        })
    }

    /// The case `id` when the actor's gemeenten and framework cover it, the
    /// look audit-logged under `event`, in the transaction that checked it. A
    /// case not covered is not found: the refusal is committed and the youth's
    /// data is never read.
    pub(crate) async fn gedekte_casus(
        &self,
        actor: &Actor,
        id: i64,
        event: &str,
    ) -> Result<(jeugdroute_store::Tx, Casus), AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let casus = match tx.casus(id).await {
            Ok(casus) => casus,
            Err(jeugdroute_store::StoreError::NotFound(_)) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let seen = covers(&actor.user, &casus.gemeente, &casus.melding.kader);
        let outcome = if seen { "gelukt" } else { "geweigerd" };
        tx.append_audit(&over_casus(
            actor,
            &casus,
            record(actor, event, "zorgtoewijzing", outcome, now),
        ))
        .await?;
        if !seen {
            tx.commit().await?;
            return Err(AppError::NotFound);
        }
        Ok((tx, casus))
    }

    /// A page of the actor's worklist: the cases of their gemeenten, newest
    /// first, older than the case `voor` when it is given, narrowed by `filter`,
    /// each with its intake signal on `today`. `zoek` is a BSN (nine digits) or
    /// part of a name of at least three characters. The page is audit-logged
    /// as one record naming every youth on it.
    pub async fn werkvoorraad(
        &self,
        actor: &Actor,
        zoek: Option<&str>,
        filter: &WerkvoorraadFilter,
        voor: Option<i64>,
        today: NaiveDate,
    ) -> Result<Werkvoorraad, AppError> {
        let now = self.now();
        self.require(actor, UseCase::Werkvoorraad, "werkvoorraad.bekijken")
            .await?;
        let mut c = Check::default();
        let zoek = zoek
            .map(|z| c.optional(&grenzen::ZOEK, z))
            .filter(|z| !z.is_empty());
        let bsn = zoek.as_deref().and_then(|z| Bsn::parse(z).ok());
        if bsn.is_none()
            && zoek
                .as_ref()
                .is_some_and(|z| z.chars().count() < ZOEKDEEL_MIN)
        {
            c.fail(
                grenzen::ZOEK.naam,
                "Typ minstens drie tekens van de naam, of een BSN van negen cijfers.",
            );
        }
        c.finish()?;
        let zoek = zoek.as_deref();
        let mut tx = self.store.begin().await?;
        let gemeenten: Vec<Gemeentecode> = actor
            .user
            .gemeenten
            .iter()
            .filter(|g| filter.gemeente.as_ref().is_none_or(|f| f == *g))
            .cloned()
            .collect();
        let phases = filter.phases();
        // A GI worker's list holds only the forced cases of its own GI; without
        // a GI, nothing.
        let gi = match (actor.user.role, &actor.user.gi) {
            (Role::GiMedewerker, None) => return Ok(Werkvoorraad::default()),
            (Role::GiMedewerker, Some(gi)) => Some(gi),
            _ => None,
        };
        let mut lines = tx
            .casussen(&CasusFilter {
                gemeenten: &gemeenten,
                gi,
                bsn: bsn.as_ref(),
                name: zoek.filter(|_| bsn.is_none()),
                phases: phases.as_deref(),
                urgentie: filter.urgentie,
                matched_by: filter
                    .alleen_signaal
                    .then(|| IntakeDeadline::flagged_if_matched_by(today)),
                before: voor,
                limit: PAGINA_MAX + 1,
            })
            .await?;
        // One line more than a page was asked for: it says there is a next page.
        let volgende = if lines.len() > PAGINA_MAX as usize {
            lines.truncate(PAGINA_MAX as usize);
            lines.last().map(|l| l.casus.id)
        } else {
            None
        };
        let regels = lines
            .into_iter()
            .map(|line| WerkvoorraadRegel::of(line, today))
            .collect::<Result<Vec<_>, _>>()?;
        let event = if zoek.is_some() {
            "casus.zoeken"
        } else {
            "werkvoorraad.bekijken"
        };
        let jeugdigen: Vec<i64> = regels.iter().map(|r| r.casus.jeugdige_id).collect();
        let casussen: Vec<&Casus> = regels.iter().map(|r| &r.casus).collect();
        let gemeenten = on_behalf_of_list(actor, &casussen);
        tx.append_audit(&list_record(
            &casussen,
            &jeugdigen,
            NewAuditRecord {
                on_behalf_of: gemeenten.as_deref(),
                ..record(actor, event, "werkvoorraad", "gelukt", now)
            },
        ))
        .await?;
        tx.commit().await?;
        Ok(Werkvoorraad { regels, volgende })
    }
}
