//! The rules across messages (iJw control levels 3 and 4): a message is judged
//! against what came before it — identifications already used, the allocations
//! in force, starts and stops already reported, requests still open, references
//! already declared. This crate stores nothing, so the caller hands that history
//! in as a [`History`]; each finding names the class it concerns and carries the
//! standard's retour code, ready for [`crate::retour`].
//!
//! The same [`History`] serves both directions: a gemeente judging an incoming
//! JW305, JW307, JW315, JW317 or JW323, and a provider judging an incoming JW301,
//! JW319 or JW325. Every list concerns one pair of gemeente and provider (the
//! receiver and the sender of the message judged), except where a field says
//! otherwise.
//!
//! Three rules of a JW325 (TR337, TR371, TR376) have no retour code in the
//! standard, because a JW325 is not answered: their findings carry `code: None`.
//!
//! Rules of the standard's `berichtoverstijgend` set that this module does not
//! check, and why (docs/ijw-regels.md keeps the full table):
//! - Rule: TR418 (0611) — not machine-checkable: the tariff agreed in the
//!   contract is not in any message.
//! - The parts of TR019, TR318, TR341 and TR379 that need the contract or
//!   knowledge beyond the messages are left out; each says so where it is checked.

mod declaratie;
mod levering;
mod verzoek;
mod volume;

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::NaiveDate;

use crate::Bericht;
use crate::report::Finding;
use crate::types::basis;

/// An allocation (ToegewezenProduct of a JW301) as its latest version stands:
/// one entry per ToewijzingNummer, from the version with the latest
/// Toewijzingsdatum and Toewijzingstijd. Removed allocations (RedenWijziging
/// 13) stay in the list: several rules need to know about them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownAllocation {
    /// The client's BSN (TR019, TR304, TR332, TR349).
    pub bsn: String,
    /// TR019, TR332, TR338, TR350, TR351, TR385 and every rule that looks an
    /// allocation up by its number.
    pub toewijzing_nummer: i64,
    /// Productcategorie (JZ020), e.g. `45`; empty for a generic allocation,
    /// which has no Product (TR019, TR332, TR339, TR361, TR375, TR412).
    pub categorie: String,
    /// Product code; `None` for an allocation of a whole category or a generic
    /// allocation (TR019, TR332, TR340, TR361, TR411, TR412).
    pub code: Option<String>,
    /// Unit of the Omvang (WJ756), when the allocation has one (TR321, TR322,
    /// TR341, TR373).
    pub eenheid: Option<String>,
    /// Volume of the Omvang (TR321, TR322, TR373).
    pub volume: Option<i64>,
    /// Frequentie of the Omvang (WMO757: 1 per dag, 2 per week, 4 per maand,
    /// 6 totaal binnen geldigheidsduur) (TR321, TR322, TR373).
    pub frequentie: Option<String>,
    /// Budget in eurocent (TR369, TR373).
    pub budget: Option<i64>,
    /// TR307, TR321, TR322, TR349, TR357, TR361, TR373, TR387.
    pub ingangsdatum: NaiveDate,
    /// TR308, TR321, TR322, TR349, TR361, TR375, TR388, TR412.
    pub einddatum: Option<NaiveDate>,
    /// RedenWijziging (JZ002) of the latest version: `13` (verwijderd) makes
    /// the allocation count as never sent (TR384), and so does `13` or the
    /// retired `01` with Einddatum equal to Ingangsdatum (TR349).
    pub reden_wijziging: Option<String>,
}

/// A start (JW305 StartProduct) or stop (JW307 StopProduct) received and not
/// removed since (a class removed with StatusAanlevering 3 is left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownDelivery {
    /// Part of the key (TR063, TR071, TR074, TR326, TR382, TR413–TR415).
    pub bsn: String,
    /// Part of the key; `None` for taakgericht care (TR063, TR071, TR074,
    /// TR326, TR382, TR413–TR415).
    pub toewijzing_nummer: Option<i64>,
    /// Product/Categorie as sent, part of the key (TR063, TR071, TR074, TR326,
    /// TR382).
    pub categorie: Option<String>,
    /// Product/Code as sent, part of the key (same rules).
    pub code: Option<String>,
    /// Part of the key (all the rules above).
    pub begindatum: NaiveDate,
    /// Stops only: RedenBeeindiging (JZ588), part of a stop's key; `20` is a
    /// temporary stop (TR063, TR074, TR413, TR415).
    pub reden_beeindiging: Option<String>,
    /// Stops only: Einddatum, part of a stop's key (TR063, TR074, TR414).
    pub einddatum: Option<NaiveDate>,
}

/// A request of the provider: one AangevraagdProduct of a JW315, or a whole
/// JW317, by its ReferentieAanbieder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownRequest {
    /// The client the request is for (TR374, TR379).
    pub bsn: String,
    /// TR347, TR355, TR379 and every rule that looks a request up.
    pub referentie_aanbieder: String,
    /// A JW301 carrying this ReferentieAanbieder has been sent: the request is
    /// honoured (TR359, TR374, TR379).
    pub toegewezen: bool,
    /// VerzoekAntwoord (WJ760) of every JW319 sent on this request, in order:
    /// `1` verzoek afgewezen, `2` aanvraag in onderzoek (TR360, TR365, TR374).
    pub antwoorden: Vec<String>,
}

impl KnownRequest {
    /// Rule: TR374 (9374) — a request is open until it is honoured by a JW301 or
    /// rejected by a JW319, both with its ReferentieAanbieder.
    fn is_open(&self) -> bool {
        !self.toegewezen && !self.antwoorden.iter().any(|a| a == "1")
    }
}

/// A declaration (JW323) sent by the provider. One rejected as a whole (such
/// as with 9333, DeclaratieNummer not unique) counts as not sent: leave it out
/// once its JW325 has been read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownDeclaratie {
    /// Identificatie of the JW323's BerichtIdentificatie (TR337, TR371, TR376).
    pub identificatie: String,
    /// Dagtekening of the JW323's BerichtIdentificatie (TR337).
    pub dagtekening: NaiveDate,
    /// TR333, TR376.
    pub declaratie_nummer: String,
    /// Begindatum of the DeclaratiePeriode (TR318).
    pub begindatum: NaiveDate,
    /// Einddatum of the DeclaratiePeriode (TR318).
    pub einddatum: NaiveDate,
    /// XsdVersie/BasisschemaXsdVersie of the JW323 (TR371).
    pub basisschema_xsd_versie: String,
    /// XsdVersie/BerichtXsdVersie of the JW323 (TR371).
    pub bericht_xsd_versie: String,
}

/// What became of a declared prestatie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrestatieStatus {
    /// Declared, not yet answered in a JW325.
    #[default]
    Ingediend,
    /// Approved: the JW325 did not list it, or listed it without rejection.
    Goedgekeurd,
    /// Rejected in a JW325.
    Afgewezen,
}

/// A prestatie declared in an earlier JW323, with every element as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownPrestatie {
    /// The client's BSN (TR304 on a JW325).
    pub bsn: String,
    /// ProductReferentie/ReferentieNummer (TR314, TR323, TR366, TR385, TR389, TR390).
    pub referentie_nummer: String,
    /// ProductReferentie/VorigReferentieNummer, on a credit (TR367, TR385, TR389, TR390).
    pub vorig_referentie_nummer: Option<String>,
    /// TR322, TR367, TR369, TR385, TR389.
    pub toewijzing_nummer: i64,
    /// ProductCategorie (TR367, TR389).
    pub product_categorie: String,
    /// ProductCode (TR367, TR389).
    pub product_code: String,
    /// Begindatum of the ProductPeriode (TR367, TR389).
    pub begindatum: NaiveDate,
    /// Einddatum of the ProductPeriode (TR367, TR389).
    pub einddatum: NaiveDate,
    /// TR322, TR367.
    pub geleverd_volume: i64,
    /// Eenheid (WJ756) (TR322, TR367).
    pub eenheid: String,
    /// TR367.
    pub product_tarief: Option<i64>,
    /// IngediendBedrag/Bedrag in eurocent (TR367, TR369).
    pub bedrag: i64,
    /// IngediendBedrag/DebetCredit is `C` (TR323, TR367, TR385, TR389, TR390).
    pub credit: bool,
    /// TR322, TR323, TR369, TR385, TR389, TR390: a rejected prestatie counts as
    /// not sent; only an approved debet can be credited.
    pub status: PrestatieStatus,
}

/// What the receiver knows from earlier messages between the same gemeente and
/// provider, in both directions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    /// Identificaties of earlier messages of the same type from the same sender
    /// as the message judged (TR056).
    pub identificaties: Vec<String>,
    /// The allocations of the gemeente to the provider, latest version each.
    /// TR332 is judged within these: a number the gemeente gave to another
    /// provider is not seen.
    pub allocations: Vec<KnownAllocation>,
    /// Starts received (JW305), without the removed ones.
    pub starts: Vec<KnownDelivery>,
    /// Stops received (JW307), without the removed ones.
    pub stops: Vec<KnownDelivery>,
    /// ReferentieAanbieder values already used by this provider (TR347, TR355);
    /// every `requests` entry counts as well.
    pub referenties_aanbieder: Vec<String>,
    /// BSNs with a request (JW315/JW317) that has not been answered yet (TR374);
    /// every open `requests` entry counts as well.
    pub open_requests: Vec<String>,
    /// The provider's requests with what became of them (TR347, TR355, TR359,
    /// TR360, TR365, TR374, TR379).
    pub requests: Vec<KnownRequest>,
    /// DeclaratieNummers already used by this provider (TR333); every
    /// `declaraties` entry counts as well.
    pub declaratienummers: Vec<String>,
    /// The provider's declarations (TR318, TR333, TR337, TR371, TR376).
    pub declaraties: Vec<KnownDeclaratie>,
    /// ReferentieNummers of prestaties already declared (TR314); every
    /// `prestaties` entry counts as well.
    pub prestatie_referenties: Vec<String>,
    /// Prestaties already declared, rejected ones included (TR314, TR322,
    /// TR323, TR366, TR367, TR369, TR385, TR389, TR390).
    pub prestaties: Vec<KnownPrestatie>,
}

/// The history with the lookups the rules make once per item of a message kept in
/// maps. A message may hold thousands of items and the history as many entries; a
/// scan of the history per item would cost their product. Everything else is read
/// from the [`History`] itself.
pub(super) struct Known<'h> {
    history: &'h History,
    /// By ToewijzingNummer, the first of each.
    by_toewijzing_nummer: HashMap<i64, &'h KnownAllocation>,
    /// By the client's BSN.
    by_bsn: HashMap<&'h str, Vec<&'h KnownAllocation>>,
    /// By ReferentieAanbieder, the first of each.
    by_referentie_aanbieder: HashMap<&'h str, &'h KnownRequest>,
    referenties_aanbieder_set: HashSet<&'h str>,
    /// By ReferentieNummer.
    prestaties_by_referentie: HashMap<&'h str, Vec<&'h KnownPrestatie>>,
    /// Credits by the VorigReferentieNummer they credit.
    credits_by_vorig: HashMap<&'h str, Vec<&'h KnownPrestatie>>,
    /// By ToewijzingNummer.
    prestaties_by_toewijzing: HashMap<i64, Vec<&'h KnownPrestatie>>,
    prestatie_referenties_set: HashSet<&'h str>,
    starts_by_allocation: HashMap<levering::Allocation<'h>, Vec<&'h KnownDelivery>>,
    stops_by_allocation: HashMap<levering::Allocation<'h>, Vec<&'h KnownDelivery>>,
}

/// Groups `items` by `key`, keeping their order within each group.
fn grouped<'h, T, K: Eq + Hash>(
    items: &'h [T],
    key: impl Fn(&'h T) -> Option<K>,
) -> HashMap<K, Vec<&'h T>> {
    let mut groups: HashMap<K, Vec<&'h T>> = HashMap::new();
    for item in items {
        if let Some(k) = key(item) {
            groups.entry(k).or_default().push(item);
        }
    }
    groups
}

/// The first of `items` for each `key`.
fn first_of<'h, T, K: Eq + Hash>(items: &'h [T], key: impl Fn(&'h T) -> K) -> HashMap<K, &'h T> {
    let mut firsts = HashMap::new();
    for item in items {
        firsts.entry(key(item)).or_insert(item);
    }
    firsts
}

impl<'h> Known<'h> {
    fn new(history: &'h History) -> Self {
        Known {
            history,
            by_toewijzing_nummer: first_of(&history.allocations, |a| a.toewijzing_nummer),
            by_bsn: grouped(&history.allocations, |a| Some(a.bsn.as_str())),
            by_referentie_aanbieder: first_of(&history.requests, |r| {
                r.referentie_aanbieder.as_str()
            }),
            referenties_aanbieder_set: history
                .referenties_aanbieder
                .iter()
                .map(String::as_str)
                .collect(),
            prestaties_by_referentie: grouped(&history.prestaties, |p| {
                Some(p.referentie_nummer.as_str())
            }),
            credits_by_vorig: grouped(&history.prestaties, |p| {
                p.vorig_referentie_nummer.as_deref().filter(|_| p.credit)
            }),
            prestaties_by_toewijzing: grouped(&history.prestaties, |p| Some(p.toewijzing_nummer)),
            prestatie_referenties_set: history
                .prestatie_referenties
                .iter()
                .map(String::as_str)
                .collect(),
            starts_by_allocation: grouped(&history.starts, |d| Some(levering::Allocation::of(d))),
            stops_by_allocation: grouped(&history.stops, |d| Some(levering::Allocation::of(d))),
        }
    }

    /// The allocation with this number, whichever client it is for.
    fn allocation(&self, nummer: i64) -> Option<&'h KnownAllocation> {
        self.by_toewijzing_nummer.get(&nummer).copied()
    }

    /// The allocations of this client.
    fn allocations_of(&self, bsn: &str) -> &[&'h KnownAllocation] {
        self.by_bsn.get(bsn).map_or(&[], Vec::as_slice)
    }

    /// The request with this ReferentieAanbieder.
    fn request(&self, referentie: &str) -> Option<&'h KnownRequest> {
        self.by_referentie_aanbieder.get(referentie).copied()
    }

    /// Rule: TR347 (9347) — the references the provider has used.
    fn reference_used(&self, referentie: &str) -> bool {
        self.referenties_aanbieder_set.contains(referentie) || self.request(referentie).is_some()
    }

    /// Rule: TR374 (9374) — a request of this client still waits for its answer.
    fn open_request(&self, bsn: &str) -> bool {
        self.open_requests.iter().any(|b| b == bsn)
            || self
                .history
                .requests
                .iter()
                .any(|r| r.bsn == bsn && r.is_open())
    }

    /// The prestaties declared with this ReferentieNummer.
    fn prestaties(&self, referentie: &str) -> &[&'h KnownPrestatie] {
        self.prestaties_by_referentie
            .get(referentie)
            .map_or(&[], Vec::as_slice)
    }

    /// A prestatie with this ReferentieNummer was declared (TR314).
    fn prestatie_declared(&self, referentie: &str) -> bool {
        self.prestatie_referenties_set.contains(referentie)
            || self.prestaties_by_referentie.contains_key(referentie)
    }

    /// The credits of the prestatie with this ReferentieNummer.
    fn credits(&self, referentie: &str) -> &[&'h KnownPrestatie] {
        self.credits_by_vorig
            .get(referentie)
            .map_or(&[], Vec::as_slice)
    }

    /// The prestaties declared on the allocation with this number.
    fn prestaties_of(&self, nummer: i64) -> &[&'h KnownPrestatie] {
        self.prestaties_by_toewijzing
            .get(&nummer)
            .map_or(&[], Vec::as_slice)
    }

    /// The starts received for this allocation.
    fn starts_of<'a>(&'a self, allocation: &levering::Allocation<'a>) -> &'a [&'h KnownDelivery] {
        self.starts_by_allocation
            .get(allocation)
            .map_or(&[], Vec::as_slice)
    }

    /// The stops received for this allocation.
    fn stops_of<'a>(&'a self, allocation: &levering::Allocation<'a>) -> &'a [&'h KnownDelivery] {
        self.stops_by_allocation
            .get(allocation)
            .map_or(&[], Vec::as_slice)
    }

    /// A debet prestatie has a credit that was not rejected (TR385, TR389).
    fn credited(&self, debet: &KnownPrestatie) -> bool {
        self.credits(&debet.referentie_nummer)
            .iter()
            .any(|c| c.status != PrestatieStatus::Afgewezen)
    }
}

impl std::ops::Deref for Known<'_> {
    type Target = History;

    fn deref(&self) -> &History {
        self.history
    }
}

impl KnownAllocation {
    /// Removed (RedenWijziging 13, or the retired 01, with Einddatum equal to
    /// Ingangsdatum): the allocation counts as never sent.
    fn is_removed(&self) -> bool {
        matches!(self.reden_wijziging.as_deref(), Some("13" | "01"))
            && self.einddatum == Some(self.ingangsdatum)
    }

    /// Current on `date`: not removed, and valid on or after that date.
    fn is_current(&self, date: NaiveDate) -> bool {
        !self.is_removed() && self.einddatum.is_none_or(|e| e >= date)
    }

    fn is_generic(&self) -> bool {
        self.categorie.is_empty()
    }
}

/// A finding on a class, with the standard's retour code (`None` where the
/// standard gives none).
fn finding(path: String, code: Option<&'static str>, rule: &str, message: String) -> Finding {
    Finding {
        code,
        rule: rule.to_owned(),
        element: path,
        line: 0,
        message,
    }
}

/// The category and code of a product as strings, `None` without a product.
fn product_of(product: Option<&basis::Product>) -> (Option<String>, Option<String>) {
    match product {
        Some(p) => (Some(p.categorie.code().to_owned()), p.code.clone()),
        None => (None, None),
    }
}

/// The same product for the rules against stacking (TR302, TR361): the same
/// code; the same category when one has no code; anything when one is generic
/// (an empty category).
fn same_product(a: (&str, Option<&str>), b: (&str, Option<&str>)) -> bool {
    if a.0.is_empty() || b.0.is_empty() {
        return true;
    }
    a.0 == b.0 && (a.1.is_none() || b.1.is_none() || a.1 == b.1)
}

/// Two periods (an open end runs forever) share a day.
fn overlap(a: (NaiveDate, Option<NaiveDate>), b: (NaiveDate, Option<NaiveDate>)) -> bool {
    a.1.is_none_or(|end| end >= b.0) && b.1.is_none_or(|end| end >= a.0)
}

/// Judges `bericht` against `history`. Retour messages give no findings.
pub fn check_against(bericht: &Bericht, history: &History) -> Vec<Finding> {
    let history = &Known::new(history);
    let mut findings = Vec::new();
    // Rule: TR056 (9056) — a sender uses an Identificatie once per message type.
    if let Some(id) =
        identificatie(bericht).filter(|id| history.identificaties.iter().any(|k| k == id))
    {
        findings.push(finding(
            "Bericht/Header".to_owned(),
            Some("9056"),
            "TR056",
            format!("Identificatie {id} in BerichtIdentificatie is al eerder gebruikt"),
        ));
    }
    match bericht {
        Bericht::Jw301(b) => findings.extend(verzoek::toewijzing(b, history)),
        Bericht::Jw305(b) => findings.extend(levering::starts(b, history)),
        Bericht::Jw307(b) => findings.extend(levering::stops(b, history)),
        Bericht::Jw315(b) => findings.extend(verzoek::verzoek_om_toewijzing(b, history)),
        Bericht::Jw317(b) => findings.extend(verzoek::verzoek_om_wijziging(b, history)),
        Bericht::Jw319(b) => findings.extend(verzoek::antwoord(b, history)),
        Bericht::Jw323(b) => findings.extend(declaratie::declaratie(b, history)),
        Bericht::Jw325(b) => findings.extend(declaratie::antwoord(b, history)),
        _ => {}
    }
    findings
}

fn identificatie(bericht: &Bericht) -> Option<&str> {
    let id = match bericht {
        Bericht::Jw301(b) => &b.header.bericht_identificatie,
        Bericht::Jw305(b) => &b.header.bericht_identificatie,
        Bericht::Jw307(b) => &b.header.bericht_identificatie,
        Bericht::Jw315(b) => &b.header.bericht_identificatie,
        Bericht::Jw317(b) => &b.header.bericht_identificatie,
        Bericht::Jw319(b) => &b.header.bericht_identificatie,
        Bericht::Jw323(b) => &b.header.bericht_identificatie,
        Bericht::Jw325(b) => &b.header.bericht_identificatie,
        Bericht::Jw302(_)
        | Bericht::Jw306(_)
        | Bericht::Jw308(_)
        | Bericht::Jw316(_)
        | Bericht::Jw318(_)
        | Bericht::Jw320(_) => {
            return None;
        }
    };
    Some(id.identificatie.as_str())
}
