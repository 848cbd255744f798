//! The pure core of Jeugdroute: the words and rules of Dutch youth care access and
//! allocation, as types that can only hold valid values, and the rules of the
//! client route and the 7-step plan as functions that explain themselves.
//!
//! This crate does no I/O, reads no clock and no environment: "today" and every
//! other fact from the outside world is a parameter. That keeps every rule
//! testable in isolation and explainable to an auditor. The dependency rule is
//! enforced by `crates/jeugdroute/tests/it/architecture.rs`.

mod behandeling;
mod berichttermijn;
mod beschikking;
mod catalogue;
mod deadlines;
mod determination;
mod dossier;
mod evaluatie;
mod gezin;
mod hours;
mod ids;
mod intensiteit;
mod keyed;
mod local_time;
mod melding;
mod plan;
mod product;
mod regio;
mod role;
mod route;
mod suggestion;
mod tekst;
mod toewijzing;
mod user;
mod wachttijd;
mod warranty;
mod woonplaats;
mod zorgtermijn;

pub use behandeling::{
    Aanbiederreactie, BEKNOPT_PLAN_MAX_CHARS, Behandelplan, BeknoptPlan, Doel, MAX_DOELEN, Reactie,
    gehouden_intake,
};
pub use berichttermijn::{Berichttermijn, Termijnstand};
pub use beschikking::{
    Beoordeling, BeschikkingError, BeschikkingGegevens, Block, Brief, Grondslag, Recipient,
    Recipients, Section, bezwaar_deadline, dutch_date, recipients,
};
pub use catalogue::{
    Arrangement, ArrangementDefinition, Catalogue, CatalogueDefinition, CatalogueErrors, Crisis,
    CrisisDefinition, DEFAULT_CATALOGUE, Guideline, IntensiteitDefinition, IntensiteitRule,
    ProductDefinition, RegioProduct, Segment3Definition, Segment3Thresholds,
};
pub use deadlines::{
    AnswerDeadline, BeoordelingDeadline, DeadlineStatus, IN_ONDERZOEK_WEKEN, IntakeDeadline,
    MatchProposal, WachttijdWarning, easter, is_working_day, public_holidays, verzoek_deadline,
    working_day_on_or_after, working_day_on_or_before, working_days_after,
};
pub use determination::{
    Determination, DeterminationInput, Outcome, Reason, SegmentAnswers, UnknownArrangement,
};
pub use dossier::{
    Bemiddeling, BeschikkingInfo, Dossier, GekozenDoor, Gezinsanalyse, MatchEnIntake, Plan,
    PlanResultaat, Vraagverheldering,
};
pub use evaluatie::{Evaluatie, Oordeel, RedenEinde, Resultaatoordeel};
pub use gezin::{Geslacht, Gezin, Jeugdige, Ouder};
pub use hours::Hours;
pub use ids::{AgbCode, Bsn, Gemeentecode, ParseError};
pub use intensiteit::Intensiteit;
pub use local_time::{
    amsterdam, amsterdam_day_start, amsterdam_today, clock_time, moment, moment_seconds, rfc3339,
    short_date, toewijzingsmoment, toewijzingsmoment_after,
};
pub use melding::{Gi, Grond, Kader, Melding, Urgentie, Verwijzer};
pub use plan::{
    Behoefte, Leefgebied, Opvoedsituatie, Perspectiefplan, Regie, Resultaat, ResultaatStatus, Wet,
};
pub use product::{Productcategorie, Productcode};
pub use regio::{Aanbieder, Contract, Gemeente, Gemeentecontact, Regio};
pub use role::Role;
pub use route::{Clientroute, Fase, InvalidTransition, Routesoort, Transition};
pub use suggestion::{GuidelineScore, Suggestion, UnknownGuidelines};
pub use tekst::xml_tekst;
pub use toewijzing::{
    REDEN_OP_VERZOEK_AANBIEDER, RedenWijziging, Toewijzingsperiode, Wijziging, WijzigingFout,
    Wijzigingsoort,
};
pub use user::User;
pub use wachttijd::{
    GemetenWachttijd, MAX_WACHTTIJD_WEKEN, WACHTTIJD_VENSTER_DAGEN, Wacht, Wachttijdmelding,
};
pub use warranty::{EndedToewijzing, Garantie, garantie_tot, warranty};
pub use woonplaats::{
    Adresperiode, MeldingWoonplaats, Verblijf, VerblijfVoor, Woonplaats, WoonplaatsFout, woonplaats,
};
pub use zorgtermijn::{Openstaand, Toewijzingsstand, Zorgtermijn};
