//! The case file (dossier): what each step of the route established, as typed
//! facts. The store keeps each fact in a row of its own, so the region can count
//! by arrangement, intensity, behoefte or leefgebied in plain SQL; the app fills
//! and reads it step by step.

use chrono::NaiveDate;

use crate::keyed::keyed;
use crate::{
    AgbCode, Behoefte, Evaluatie, Intensiteit, Leefgebied, Opvoedsituatie, Productcode, Regie,
};

/// Vraagverheldering: the family's question, the parenting situation, where it
/// plays and who stands around the family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vraagverheldering {
    pub opvoedsituatie: Opvoedsituatie,
    pub leefgebieden: Vec<Leefgebied>,
    pub netwerk: String,
    pub vraag: String,
}

/// Vraagduiding and gezinsanalyse: the need, after the free-access help was
/// looked at first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gezinsanalyse {
    pub behoefte: Behoefte,
    /// The free-access help looked at (seed 003), and why it is (not) enough.
    pub vrij_toegankelijk: String,
}

/// One result of the perspectiefplan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanResultaat {
    pub leefgebied: Leefgebied,
    pub omschrijving: String,
}

/// The perspectiefplan as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub regie: Regie,
    pub familiegroepsplan: bool,
    pub resultaten: Vec<PlanResultaat>,
}

/// The determination of the bemiddeling step, with its reasons as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bemiddeling {
    pub arrangement: u8,
    pub arrangement_name: String,
    pub intensiteit: Intensiteit,
    pub productcode: Productcode,
    pub reasons: Vec<String>,
    pub catalogue_version: String,
}

/// Who chose the provider: the family itself, or the family on the worker's advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GekozenDoor {
    #[default]
    Gezin,
    OpAdvies,
}

keyed!(GekozenDoor, "gekozen_door", {
    Gezin => ("gezin", "Het gezin zelf"),
    OpAdvies => ("advies", "Het gezin, op advies van de toegang"),
});

/// The provider matched, the intake agreed, and the period of help asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchEnIntake {
    pub aanbieder: AgbCode,
    pub aanbieder_name: String,
    pub gekozen_door: GekozenDoor,
    pub match_date: NaiveDate,
    pub intake_date: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// The beschikking of a case: its reference and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeschikkingInfo {
    pub kenmerk: String,
    pub decided_on: NaiveDate,
}

/// What the route established so far; a step not taken is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dossier {
    pub vraagverheldering: Option<Vraagverheldering>,
    pub gezinsanalyse: Option<Gezinsanalyse>,
    pub plan: Option<Plan>,
    pub bemiddeling: Option<Bemiddeling>,
    pub match_en_intake: Option<MatchEnIntake>,
    pub beschikking: Option<BeschikkingInfo>,
    /// The evaluation that closed the help.
    pub evaluatie: Option<Evaluatie>,
}
