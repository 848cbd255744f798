//! The demo's cases: a few hundred fictional cases over the last eighteen months,
//! in every phase the route reaches, so that the worklist, the provider's pages
//! and the GI's list show work from the first click.
//!
//! Every case is made through the use cases a worker uses — `nieuwe_melding`,
//! `stap` with the step's form, `toewijzing_wijzigen` — on an `App` whose clock
//! the generator moves along the case's history. Nothing is written to a table
//! directly, so the cases stay valid however the store keeps a step's facts, and
//! every step has its audit record like any other. The actor is a generator
//! account per gemeente (`demo.<gemeente>`, a toegangsmedewerker of that gemeente
//! only) that cannot sign in.
//!
//! The cases are the same on every load for the same "now": a fixed seed and a
//! small pseudo-random generator of our own (SplitMix64). Our own so the demo
//! cannot change under a dependency's update; ten lines need no crate. Every
//! message is delivered and processed as the case makes it, as the running
//! message loop would; the providers' side of the history is in [`spoor`].

mod spoor;

pub(crate) use spoor::generator_user as aanbieder_generator_user;

use std::collections::BTreeSet;

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};
use jeugdroute_domain::{
    AgbCode, Bsn, Fase, Gemeente, Gemeentecode, Jeugdige, Leefgebied, Outcome, RedenWijziging,
    Role, User, amsterdam_today,
};

use crate::{Actor, App, AppError, Clock, DemoRegio, Invoer, NieuweMelding, NieuweOuder, bepaling};

/// The seed of the demo's cases.
const SEED: u64 = 0x4a52_2026_0011_0011;

/// The seed of the providers' work on them: a stream of its own, so that the
/// cases are the same with or without it.
const SPOOR_SEED: u64 = 0x4a52_2026_0014_0014;

/// How many cases the demo makes.
pub(crate) const AANTAL: usize = 300;

/// How far back the cases go: eighteen months.
const DAGEN: u64 = 548;

/// The GI whose worker (`gi.medewerker`) sees the forced cases.
const GI: &str = "98991001";

/// The provider of the `aanbieder.demo` account.
const DE_EEM: &str = "98990011";

/// The "password" of a generator account: not a hash, so it never matches.
const GEEN_WACHTWOORD: &str = "!geen-aanmelding: demogenerator";

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same everywhere.
/// The load generator (`massa.rs`) draws from it too.
#[derive(Debug, Clone)]
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `from..=to`.
    pub(crate) fn range(&mut self, from: u64, to: u64) -> u64 {
        from + self.next() % (to.saturating_sub(from) + 1)
    }

    pub(crate) fn percent(&mut self, chance: u64) -> bool {
        self.next() % 100 < chance
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let n = u64::try_from(items.len()).ok().filter(|n| *n > 0)?;
        items.get(usize::try_from(self.next() % n).ok()?)
    }

    /// An index by weight.
    pub(crate) fn weighted(&mut self, weights: impl Iterator<Item = u64> + Clone) -> usize {
        let mut roll = self.next() % weights.clone().sum::<u64>().max(1);
        for (i, w) in weights.enumerate() {
            if roll < w {
                return i;
            }
            roll -= w;
        }
        0
    }
}

/// The phase a generated case ends in, and how many of each.
const VERDELING: [(Fase, u64); 9] = [
    (Fase::Melding, 20),
    (Fase::Vraagverheldering, 20),
    (Fase::Vraagduiding, 20),
    (Fase::Plan, 20),
    (Fase::Bemiddeling, 20),
    (Fase::MatchEnIntake, 20),
    (Fase::Beschikking, 25),
    (Fase::Toewijzing, 105),
    (Fase::Afgesloten, 50),
];

/// Cases per gemeente, roughly by size (CBS code, weight).
const GEMEENTEN: [(&str, u64); 7] = [
    ("0307", 110),
    ("0308", 30),
    ("0313", 30),
    ("0317", 15),
    ("0327", 35),
    ("0342", 55),
    ("0351", 25),
];

const VOORNAMEN: [(&str, &str); 40] = [
    ("Liam", "man"),
    ("Emma", "vrouw"),
    ("Noah", "man"),
    ("Julia", "vrouw"),
    ("Lucas", "man"),
    ("Mila", "vrouw"),
    ("Finn", "man"),
    ("Tess", "vrouw"),
    ("Levi", "man"),
    ("Sophie", "vrouw"),
    ("Mees", "man"),
    ("Zoë", "vrouw"),
    ("Sem", "man"),
    ("Sara", "vrouw"),
    ("Luuk", "man"),
    ("Yara", "vrouw"),
    ("Milan", "man"),
    ("Evi", "vrouw"),
    ("Jesse", "man"),
    ("Lotte", "vrouw"),
    ("Bram", "man"),
    ("Saar", "vrouw"),
    ("Thijs", "man"),
    ("Fenna", "vrouw"),
    ("Ruben", "man"),
    ("Lina", "vrouw"),
    ("Mohamed", "man"),
    ("Amira", "vrouw"),
    ("Ayoub", "man"),
    ("Hiba", "vrouw"),
    ("Mats", "man"),
    ("Roos", "vrouw"),
    ("Jayden", "man"),
    ("Nina", "vrouw"),
    ("Stijn", "man"),
    ("Isa", "vrouw"),
    ("Gijs", "man"),
    ("Fleur", "vrouw"),
    ("Kian", "man"),
    ("Maud", "vrouw"),
];

pub(crate) const ACHTERNAMEN: [&str; 36] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "Yilmaz",
    "El Amrani",
    "Koelewijn",
    "Hartog",
    "Schouten",
    "Willems",
];

const OUDERNAMEN: [&str; 16] = [
    "Anna", "Marieke", "Fatima", "Linda", "Sanne", "Esther", "Karin", "Naima", "Peter", "Mark",
    "Dennis", "Hassan", "Jeroen", "Erik", "Bas", "Martijn",
];

const STRATEN: [&str; 12] = [
    "Kerkstraat",
    "Dorpsstraat",
    "Julianalaan",
    "Eikenlaan",
    "Molenweg",
    "Beukenlaan",
    "Schoolstraat",
    "Wilhelminastraat",
    "Prinses Irenelaan",
    "Vogelweide",
    "Populierenlaan",
    "Zandweg",
];

const VRAGEN: [&str; 12] = [
    "Ons kind gaat al weken niet meer naar school en zit veel op zijn kamer.",
    "Thuis is er veel ruzie; wij weten niet meer hoe we met de woedebuien omgaan.",
    "Onze dochter slaapt slecht en is erg angstig sinds de scheiding.",
    "De school maakt zich zorgen over concentratie en gedrag in de klas.",
    "Wij willen hulp bij de opvoeding nu er een baby bij is gekomen.",
    "Ons kind heeft autisme en loopt vast in de overgang naar de middelbare school.",
    "De huisarts denkt aan een depressie; ons kind praat niet meer met ons.",
    "Er zijn zorgen over alcohol en blowen en over nieuwe vrienden.",
    "Na het overlijden van opa gaat het thuis niet goed met ons kind.",
    "Wij zijn overbelast: de zorg voor ons kind met een beperking is te zwaar.",
    "Ons kind is gepest en durft niet meer naar sport of school.",
    "De wijkagent meldt dat ons kind betrokken was bij een vernieling.",
];

const VINDPLAATSEN: [&str; 6] = [
    "school",
    "huisartsenpraktijk",
    "consultatiebureau",
    "wijkteam",
    "sportvereniging",
    "telefonisch bij de gemeente",
];

const NETWERKEN: [&str; 5] = [
    "Oma helpt twee middagen per week; de buren zijn betrokken.",
    "Het gezin heeft weinig netwerk in de buurt; een tante denkt mee.",
    "De mentor op school en de trainer van de voetbalclub steunen.",
    "Vader en moeder wonen apart en overleggen goed over de kinderen.",
    "Een vriendin van moeder vangt de kinderen soms op.",
];

const VRIJ_TOEGANKELIJK: [&str; 4] = [
    "Het schoolmaatschappelijk werk is al betrokken geweest; dat is niet genoeg.",
    "Opvoedondersteuning van het wijkteam is geprobeerd; de problemen blijven.",
    "Een cursus voor ouders is gevolgd; er is meer nodig.",
    "De praktijkondersteuner van de huisarts verwijst door.",
];

const RESULTATEN: [&str; 8] = [
    "gaat weer elke dag naar school",
    "kan zijn boosheid op een veilige manier uiten",
    "slaapt weer de hele nacht door",
    "heeft weer contact met vrienden",
    "voelt zich thuis veilig",
    "heeft een vaste dagbesteding",
    "en ouders hebben samen een dagritme",
    "weet bij wie hij of zij terecht kan",
];

/// What one case will be: who, where, how far along the route.
#[derive(Debug)]
struct Opzet {
    gemeente: Gemeentecode,
    doel: Fase,
    /// The help was withdrawn earlier than allocated (only at toewijzing).
    intrekken: bool,
    /// In the forced framework of the GI `gi.medewerker` works for.
    gedwongen: bool,
    urgentie: &'static str,
    /// Days between the steps, melding first.
    gaps: Vec<u64>,
    /// Days since the last step.
    age: u64,
}

/// The moment of the load: no case has a step after it.
#[derive(Debug, Clone, Copy)]
struct Laden(DateTime<Utc>);

/// The regular route's steps, each taken by a form, in order.
const REGULIER: [Fase; 7] = [
    Fase::Melding,
    Fase::Vraagverheldering,
    Fase::Vraagduiding,
    Fase::Plan,
    Fase::Bemiddeling,
    Fase::MatchEnIntake,
    Fase::Beschikking,
];

/// The steps of the route in order, and how many a case takes to reach `doel`.
fn stappen(doel: Fase) -> usize {
    match doel {
        Fase::Melding => 0,
        Fase::Vraagverheldering => 1,
        Fase::Vraagduiding => 2,
        Fase::Plan => 3,
        Fase::Bemiddeling => 4,
        Fase::MatchEnIntake => 5,
        Fase::Beschikking => 6,
        // Afgesloten after behoefte A: melding, vraagverheldering, vraagduiding.
        Fase::Afgesloten => 3,
        _ => 7,
    }
}

fn opzet(rng: &mut Rng, doel: Fase) -> Result<Opzet, AppError> {
    let weights: Vec<u64> = GEMEENTEN.iter().map(|(_, w)| *w).collect();
    let (code, _) = GEMEENTEN
        .get(rng.weighted(weights.iter().copied()))
        .ok_or_else(|| internal("gemeente"))?;
    let gemeente = Gemeentecode::parse(code).map_err(|e| internal(e.message))?;
    let urgentie = match rng.next() % 100 {
        0..5 => "crisis",
        5..20 => "urgent",
        _ => "regulier",
    };
    let crisis = urgentie == "crisis";
    let gedwongen = rng.percent(10) && doel != Fase::Afgesloten;
    // Days between the steps, melding first; a crisis moves within days.
    let spans: [(u64, u64); 7] = [(1, 5), (5, 14), (5, 14), (3, 10), (2, 7), (3, 14), (1, 5)];
    let gaps = spans
        .iter()
        .take(stappen(doel))
        .map(|(from, to)| {
            if crisis {
                rng.range(0, 1)
            } else {
                rng.range(*from, *to)
            }
        })
        .collect::<Vec<_>>();
    let total: u64 = gaps.iter().sum();
    let room = DAGEN.saturating_sub(total).max(1);
    let age = match doel {
        // Open work is recent: it waits days or weeks, not months.
        Fase::Melding
        | Fase::Vraagverheldering
        | Fase::Vraagduiding
        | Fase::Plan
        | Fase::Bemiddeling
        | Fase::MatchEnIntake => rng.range(1, 20),
        // Some decisions wait long for their intake: a signal in the worklist.
        Fase::Beschikking if rng.percent(40) => rng.range(21, 35),
        Fase::Beschikking => rng.range(1, 14),
        _ => rng.range(1, room),
    };
    Ok(Opzet {
        gemeente,
        doel,
        intrekken: doel == Fase::Toewijzing && rng.percent(15),
        gedwongen,
        urgentie,
        gaps,
        age,
    })
}

fn internal(what: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("demo cases: {what}"))
}

/// The instants of a case's melding and steps: each on its own working day's
/// time (UTC 07:00 to 15:30), later steps later on the same day.
fn momenten(
    now: DateTime<Utc>,
    opzet: &Opzet,
    rng: &mut Rng,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let today = now.date_naive();
    let total: u64 = opzet.gaps.iter().sum();
    let mut day = today
        .checked_sub_days(Days::new(opzet.age + total))
        .ok_or_else(|| internal("date"))?;
    let mut days = vec![day];
    for gap in &opzet.gaps {
        day = day
            .checked_add_days(Days::new(*gap))
            .ok_or_else(|| internal("date"))?;
        days.push(day);
    }
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            let minutes = 7 * 60 + 50 * i64::try_from(i).unwrap_or(0) + rng_minutes(rng);
            let midnight = d.and_hms_opt(0, 0, 0).ok_or_else(|| internal("time"))?;
            Ok(Utc.from_utc_datetime(&midnight) + Duration::minutes(minutes))
        })
        .collect()
}

fn rng_minutes(rng: &mut Rng) -> i64 {
    i64::try_from(rng.range(0, 40)).unwrap_or(0)
}

/// Test BSNs for generated youth: from 999500000 on, every number that passes
/// the 11-proef and is not one of the region file's own youth.
struct Bsns {
    next: u32,
    taken: BTreeSet<String>,
}

impl Bsns {
    fn take(&mut self) -> Result<Bsn, AppError> {
        while self.next < 999_999_999 {
            let candidate = self.next.to_string();
            self.next += 1;
            if self.taken.contains(&candidate) {
                continue;
            }
            if let Ok(bsn) = Bsn::parse(&candidate) {
                self.taken.insert(candidate);
                return Ok(bsn);
            }
        }
        Err(internal("no test BSN left"))
    }
}

/// The generator account that registers and moves a gemeente's demo cases.
pub(crate) fn generator_user(gemeente: &Gemeente) -> User {
    User {
        username: format!("demo.{}", gemeente.name.to_lowercase().replace(' ', "-")),
        display_name: format!("Demogegevens {}", gemeente.name),
        role: Role::Toegangsmedewerker,
        gemeenten: vec![gemeente.code.clone()],
        aanbieder: None,
        gi: None,
    }
}

/// The stored "password" of a generator account: it never matches.
pub(crate) fn generator_password() -> &'static str {
    GEEN_WACHTWOORD
}

/// One youth for a case: a family from the region file (only for cases that
/// end closed, so a new melding for them in the demo story finds no open case)
/// or a generated one.
struct Kind {
    jeugdige: Jeugdige,
    street: String,
    house_number: String,
    postcode: String,
    city: String,
}

impl App {
    /// Makes the demo's cases when the database has none; answers how many it
    /// made. `now` is the moment of the load: the cases lie in the eighteen
    /// months before it.
    pub(crate) async fn demo_casussen(
        &self,
        demo: &DemoRegio,
        now: DateTime<Utc>,
    ) -> Result<usize, AppError> {
        let casussen = self
            .row_counts()
            .await?
            .into_iter()
            .find(|(table, _)| *table == "casus")
            .map_or(0, |(_, n)| n);
        if casussen > 0 {
            return Ok(0);
        }
        let clock = Clock::at(now);
        let app = self.with_clock(clock.clone());
        let mut rng = Rng(SEED);
        let mut spoor_rng = Rng(SPOOR_SEED);
        let mut bsns = Bsns {
            next: 999_500_000,
            taken: demo
                .gezinnen
                .iter()
                .flat_map(|(_, j)| j.iter().map(|j| j.bsn.as_str().to_owned()))
                .collect(),
        };
        let mut families: Vec<Kind> = demo
            .gezinnen
            .iter()
            .flat_map(|(gezin, jeugdigen)| {
                jeugdigen.iter().map(|j| Kind {
                    jeugdige: j.clone(),
                    street: gezin.street.clone(),
                    house_number: gezin.house_number.clone(),
                    postcode: gezin.postcode.clone(),
                    city: gezin.city.clone(),
                })
            })
            .collect();
        families.reverse();
        let doelen: Vec<u64> = VERDELING.iter().map(|(_, n)| *n).collect();
        let mut made = 0;
        for _ in 0..AANTAL {
            let (doel, _) = VERDELING
                .get(rng.weighted(doelen.iter().copied()))
                .ok_or_else(|| internal("verdeling"))?;
            let mut o = opzet(&mut rng, *doel)?;
            let kind = match families.last() {
                Some(k) if o.doel == Fase::Afgesloten => {
                    o.gemeente = k.jeugdige.gemeente.clone();
                    families.pop().ok_or_else(|| internal("family"))?
                }
                _ => self.kind(demo, &o, now, &mut rng, &mut bsns)?,
            };
            let gemeente = demo
                .gemeenten
                .iter()
                .find(|g| g.code == o.gemeente)
                .ok_or_else(|| internal("gemeente"))?;
            let actor = Actor {
                user: generator_user(gemeente),
                source: None,
            };
            let momenten = momenten(now, &o, &mut rng)?;
            let id = app
                .demo_casus(demo, &clock, &actor, &o, &kind, &momenten, &mut rng)
                .await?;
            if o.intrekken {
                app.demo_intrekken(&clock, &actor, id, &momenten, Laden(now), &mut rng)
                    .await?;
                app.demo_bezorgen().await?;
            }
            let sent = momenten.last().ok_or_else(|| internal("moment"))?;
            if o.doel == Fase::Toewijzing
                && !o.intrekken
                && now - *sent < Duration::days(spoor::SPOOR_DAGEN)
            {
                app.demo_spoor(
                    &clock,
                    &actor,
                    id,
                    &demo.aanbieders,
                    Laden(now),
                    &mut spoor_rng,
                )
                .await?;
            }
            made += 1;
        }
        Ok(made)
    }

    /// A generated youth of the case's gemeente, at an address in its postcode areas.
    fn kind(
        &self,
        demo: &DemoRegio,
        o: &Opzet,
        now: DateTime<Utc>,
        rng: &mut Rng,
        bsns: &mut Bsns,
    ) -> Result<Kind, AppError> {
        let (first_names, geslacht) = rng.pick(&VOORNAMEN).ok_or_else(|| internal("name"))?;
        let surname = rng.pick(&ACHTERNAMEN).ok_or_else(|| internal("name"))?;
        let areas: Vec<u16> = demo
            .postcodegebieden
            .iter()
            .filter(|(_, g)| *g == o.gemeente)
            .map(|(pc4, _)| *pc4)
            .collect();
        let pc4 = rng.pick(&areas).ok_or_else(|| internal("postcode"))?;
        let letters = b"ABCEGHJKLMNPRTVWXZ";
        let mut letter = || {
            rng.pick(letters)
                .map(|b| char::from(*b))
                .ok_or_else(|| internal("postcode"))
        };
        let postcode = format!("{pc4} {}{}", letter()?, letter()?);
        let city = demo
            .gemeenten
            .iter()
            .find(|g| g.code == o.gemeente)
            .and_then(|g| g.contact.as_ref().map(|c| c.city.clone()))
            .ok_or_else(|| internal("city"))?;
        // Born before the earliest melding: 0 to 16 years before the 18 months.
        let birth_date = amsterdam_today(now)
            .checked_sub_days(Days::new(DAGEN + rng.range(30, 16 * 365)))
            .ok_or_else(|| internal("birth date"))?;
        let house = rng.range(1, 180);
        let house_number = if rng.percent(10) {
            format!("{house}a")
        } else {
            house.to_string()
        };
        Ok(Kind {
            jeugdige: Jeugdige {
                bsn: bsns.take()?,
                first_names: (*first_names).to_owned(),
                surname: (*surname).to_owned(),
                birth_date,
                gemeente: o.gemeente.clone(),
                geslacht: geslacht.parse().map_err(|_| internal("geslacht"))?,
            },
            street: rng
                .pick(&STRATEN)
                .ok_or_else(|| internal("street"))?
                .to_string(),
            house_number,
            postcode,
            city,
        })
    }

    /// One case: its melding and its steps up to its phase, each at its moment.
    #[allow(clippy::too_many_arguments, reason = "one case's whole context")]
    async fn demo_casus(
        &self,
        demo: &DemoRegio,
        clock: &Clock,
        actor: &Actor,
        o: &Opzet,
        kind: &Kind,
        momenten: &[DateTime<Utc>],
        rng: &mut Rng,
    ) -> Result<i64, AppError> {
        let mut at = momenten.iter().copied();
        let mut next = || at.next().ok_or_else(|| internal("moment"));
        let j = &kind.jeugdige;
        let vraag = rng.pick(&VRAGEN).ok_or_else(|| internal("vraag"))?;
        let tweede_ouder = rng.percent(60);
        let ouder = |rng: &mut Rng| -> Result<NieuweOuder, AppError> {
            let naam = rng.pick(&OUDERNAMEN).ok_or_else(|| internal("ouder"))?;
            Ok(NieuweOuder {
                naam: format!("{naam} {}", j.surname),
                telefoon: String::new(),
                email: format!(
                    "{}.{}@gezin.example",
                    naam.to_lowercase(),
                    j.surname.to_lowercase().replace(' ', "")
                ),
                gezag: true,
            })
        };
        let mut ouders = vec![ouder(rng)?];
        if tweede_ouder {
            ouders.push(ouder(rng)?);
        }
        let verwijzer = if o.gedwongen {
            "04"
        } else {
            *rng.pick(&["01", "02", "03", "06"])
                .ok_or_else(|| internal("verwijzer"))?
        };
        let verwijzer_naam = match verwijzer {
            "04" => "Jeugdbescherming Eemland",
            "02" => "Huisartsenpraktijk De Linde",
            "03" => "Jeugdarts GGD regio Utrecht",
            _ => "",
        };
        let melding = NieuweMelding {
            bsn: j.bsn.as_str().to_owned(),
            voornamen: j.first_names.clone(),
            achternaam: j.surname.clone(),
            geboortedatum: j.birth_date.to_string(),
            geslacht: j.geslacht.key().to_owned(),
            gemeente: o.gemeente.as_str().to_owned(),
            straat: kind.street.clone(),
            huisnummer: kind.house_number.clone(),
            postcode: kind.postcode.clone(),
            woonplaats: kind.city.clone(),
            vraag: (*vraag).to_owned(),
            ouders,
            vindplaats: (*rng
                .pick(&VINDPLAATSEN)
                .ok_or_else(|| internal("vindplaats"))?)
            .to_owned(),
            verwijzer: verwijzer.to_owned(),
            verwijzer_naam: verwijzer_naam.to_owned(),
            urgentie: o.urgentie.to_owned(),
            kader: if o.gedwongen {
                "ondertoezichtstelling".to_owned()
            } else {
                "vrijwillig".to_owned()
            },
            gi: if o.gedwongen {
                GI.to_owned()
            } else {
                String::new()
            },
            ..NieuweMelding::default()
        };
        clock.set(next()?);
        let id = self.nieuwe_melding(actor, &melding).await?;

        let mut leefgebieden: Vec<Leefgebied> = Vec::new();
        let mut code = String::new();
        // A crisis that gets help at once: crisis help, the beschikking, and
        // (once allocated) the assessment up to the plan, then uitvoering.
        let crisishulp =
            o.urgentie == "crisis" && matches!(o.doel, Fase::Beschikking | Fase::Toewijzing);
        let route: Vec<Fase> = if crisishulp {
            let mut route = vec![Fase::Melding, Fase::Beschikking];
            if o.doel == Fase::Toewijzing {
                route.extend([
                    Fase::Toewijzing,
                    Fase::Vraagverheldering,
                    Fase::Vraagduiding,
                    Fase::Plan,
                ]);
            }
            route
        } else {
            REGULIER.iter().copied().take(stappen(o.doel)).collect()
        };
        let mut last = None;
        for fase in route {
            let mut invoer = Invoer::new();
            invoer.insert("fase".into(), fase.key().into());
            let moment = next()?;
            last = Some(moment);
            match fase {
                Fase::Melding if crisishulp => {
                    invoer.insert("actie".into(), "crisishulp".into());
                    invoer.insert("aanbieder".into(), DE_EEM.into());
                    invoer.insert("ingangsdatum".into(), amsterdam_today(moment).to_string());
                }
                Fase::Vraagverheldering => {
                    let situatie = if o.urgentie == "crisis" {
                        "crisis"
                    } else {
                        *rng.pick(&["vragen", "spanning", "verhoogde-spanning", "nood"])
                            .ok_or_else(|| internal("opvoedsituatie"))?
                    };
                    invoer.insert("opvoedsituatie".into(), situatie.into());
                    for _ in 0..rng.range(1, 3) {
                        let l = *rng
                            .pick(Leefgebied::ALL)
                            .ok_or_else(|| internal("leefgebied"))?;
                        if !leefgebieden.contains(&l) {
                            leefgebieden.push(l);
                        }
                        invoer.insert(format!("leefgebied_{}", l.key()), "ja".into());
                    }
                    invoer.insert(
                        "netwerk".into(),
                        (*rng.pick(&NETWERKEN).ok_or_else(|| internal("netwerk"))?).into(),
                    );
                    invoer.insert("vraag".into(), (*vraag).into());
                }
                Fase::Vraagduiding => {
                    let behoefte = if o.doel == Fase::Afgesloten {
                        "a"
                    } else if rng.percent(75) {
                        "b"
                    } else {
                        "c"
                    };
                    invoer.insert("behoefte".into(), behoefte.into());
                    invoer.insert(
                        "vrij_toegankelijk".into(),
                        (*rng
                            .pick(&VRIJ_TOEGANKELIJK)
                            .ok_or_else(|| internal("vrij"))?)
                        .into(),
                    );
                }
                Fase::Plan => {
                    let gi = o.gedwongen;
                    invoer.insert("regie".into(), if gi { "gi" } else { "gezin" }.into());
                    if !gi && rng.percent(15) {
                        invoer.insert("familiegroepsplan".into(), "ja".into());
                    }
                    for (n, l) in leefgebieden.iter().take(3).enumerate() {
                        let resultaat =
                            rng.pick(&RESULTATEN).ok_or_else(|| internal("resultaat"))?;
                        invoer.insert(
                            format!("resultaat_{}", n + 1),
                            format!("{} {resultaat}", j.first_names),
                        );
                        invoer.insert(format!("resultaat_{}_leefgebied", n + 1), l.key().into());
                    }
                }
                Fase::Bemiddeling => {
                    // Arrangements 1, 2 and 4 are the most asked for (and those
                    // Jeugdhulp De Eem is contracted for).
                    let arrangement = *rng
                        .pick(&[1_u8, 2, 4, 1, 2, 4, 3, 5, 6, 7, 8, 9])
                        .ok_or_else(|| internal("arrangement"))?;
                    let intensiteit = *rng
                        .pick(&[
                            "licht",
                            "midden",
                            "midden",
                            "zwaar",
                            "doorlopend",
                            "chronisch",
                        ])
                        .ok_or_else(|| internal("intensiteit"))?;
                    invoer.insert("arrangement".into(), arrangement.to_string());
                    invoer.insert("intensiteit".into(), intensiteit.into());
                    if matches!(intensiteit, "zwaar" | "chronisch") {
                        // Step 5a answered: mostly none of the segment-3
                        // conditions applies; sometimes the treatment hours
                        // make it segment 3, with a product of the region's list.
                        invoer.insert("segment_beantwoord".into(), "ja".into());
                        if rng.percent(30) {
                            invoer.insert("behandeling_uren".into(), "90".into());
                            let product = rng
                                .pick(self.catalogue().segment3_producten())
                                .ok_or_else(|| internal("segment 3"))?;
                            invoer.insert("segment3_product".into(), product.code.as_str().into());
                            code = product.code.as_str().to_owned();
                        }
                    }
                    if let Outcome::Code(c) = bepaling(self, &invoer)?.outcome {
                        code = c.as_str().to_owned();
                    }
                }
                Fase::MatchEnIntake => {
                    let contracted: Vec<&AgbCode> = demo
                        .contracten
                        .iter()
                        .filter(|c| c.productcode.as_str() == code)
                        .map(|c| &c.aanbieder)
                        .collect();
                    let eem = contracted.iter().find(|a| a.as_str() == DE_EEM);
                    let aanbieder = match eem {
                        Some(eem) if rng.percent(60) => eem,
                        _ => rng.pick(&contracted).ok_or_else(|| internal("aanbieder"))?,
                    };
                    let match_datum = amsterdam_today(moment);
                    let intake = add(match_datum, rng.range(5, 27))?;
                    let start = add(intake, rng.range(0, 7))?;
                    let months = if rng.percent(50) { 6 } else { 12 };
                    let end = start
                        .checked_add_months(chrono::Months::new(months))
                        .and_then(|d| d.pred_opt())
                        .ok_or_else(|| internal("einddatum"))?;
                    invoer.insert("aanbieder".into(), aanbieder.as_str().into());
                    invoer.insert("match_datum".into(), match_datum.to_string());
                    invoer.insert("intake_datum".into(), intake.to_string());
                    invoer.insert("ingangsdatum".into(), start.to_string());
                    invoer.insert("einddatum".into(), end.to_string());
                }
                Fase::Beschikking => {
                    invoer.insert("akkoord".into(), "ja".into());
                }
                _ => {}
            }
            clock.set(moment);
            self.stap(actor, id, &invoer).await?;
        }
        self.demo_bezorgen().await?;
        // Rule: after the toewijzing the help starts: allocations sent more than
        // two weeks before the load are in uitvoering (not withdrawn ones, whose
        // change follows later).
        if o.doel == Fase::Toewijzing && !crisishulp && !o.intrekken && o.age > 14 {
            let moment = last.ok_or_else(|| internal("moment"))? + Duration::days(14);
            clock.set(moment);
            let invoer: Invoer = [("fase".to_owned(), Fase::Toewijzing.key().to_owned())].into();
            self.stap(actor, id, &invoer).await?;
        }
        Ok(id)
    }

    /// Withdraws a case's allocation from a date within its period, some days
    /// after it was sent (and before "now").
    async fn demo_intrekken(
        &self,
        clock: &Clock,
        actor: &Actor,
        id: i64,
        momenten: &[DateTime<Utc>],
        Laden(now): Laden,
        rng: &mut Rng,
    ) -> Result<(), AppError> {
        let sent = *momenten.last().ok_or_else(|| internal("moment"))?;
        let view = self.casus(actor, id).await?;
        let verloop = self.verloop(actor, &view).await?;
        let t = verloop
            .toewijzingen
            .first()
            .ok_or_else(|| internal("toewijzing"))?;
        // Some days after sending, never after the load's "now".
        let days = (now - sent).num_days().max(0);
        let later = i64::try_from(rng.range(1, 60)).unwrap_or(1).min(days);
        let at = (sent + Duration::days(later)).min(now - Duration::minutes(5));
        let einddatum = add(t.start_date, rng.range(20, 90))?
            .min(t.end_date.pred_opt().unwrap_or(t.start_date));
        let redenen: Vec<&str> = RedenWijziging::INTREKKEN
            .into_iter()
            .filter(|r| *r != RedenWijziging::ClientOverleden)
            .map(RedenWijziging::code)
            .collect();
        let mut invoer = Invoer::new();
        invoer.insert("soort".into(), "intrekken".into());
        invoer.insert("einddatum".into(), einddatum.to_string());
        invoer.insert(
            "reden".into(),
            (*rng.pick(&redenen).ok_or_else(|| internal("reden"))?).into(),
        );
        invoer.insert(
            "toelichting".into(),
            "Het gezin en de aanbieder zijn het eens: de hulp stopt eerder.".into(),
        );
        invoer.insert("versie".into(), t.versie.to_string());
        clock.set(at.max(sent + Duration::minutes(5)));
        self.toewijzing_wijzigen(actor, id, t.nummer, &invoer)
            .await?;
        Ok(())
    }
}

fn add(date: NaiveDate, days: u64) -> Result<NaiveDate, AppError> {
    date.checked_add_days(Days::new(days))
        .ok_or_else(|| internal("date"))
}
