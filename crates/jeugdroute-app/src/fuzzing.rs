//! The checks a use case runs on a worker's form or JSON body before it touches
//! the database, callable without one: the entry points of the fuzz targets in
//! `fuzz/` (behind the `fuzzing` feature, so they are no part of the product's
//! API). Each answers only whether the input was accepted; a panic is the bug.

use chrono::NaiveDate;
use jeugdroute_domain::{
    Catalogue, Fase, Gemeentecode, Kader, Melding, Role, Toewijzingsperiode, Urgentie, User,
    Verwijzer,
};

use crate::route::{Stapfeit, determination, suggestion};
use crate::{Actor, AppError, Invoer, NieuweMelding, richtlijnen};

/// The day the checks take as today: fixed, so that a crash reproduces.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
}

/// A toegangsmedewerker of two gemeenten, as the melding's checks see one.
fn worker() -> Actor {
    Actor {
        user: User {
            username: "fuzz".into(),
            display_name: "Fuzz".into(),
            role: Role::Toegangsmedewerker,
            gemeenten: ["0307", "0342"]
                .into_iter()
                .filter_map(|g| Gemeentecode::parse(g).ok())
                .collect(),
            aanbieder: None,
            gi: None,
        },
        source: None,
    }
}

/// A new melding (form or JSON), checked field by field.
pub fn melding(melding: &NieuweMelding) -> Result<(), AppError> {
    melding.check(&worker(), today()).map(|_| ())
}

/// A correction of the melding with its reason, checked against a recorded one.
pub fn melding_correctie(melding: &NieuweMelding, reden: &str) -> Result<(), AppError> {
    let was = Melding {
        vraag: "Onze dochter slaapt slecht.".into(),
        vindplaats: "school".into(),
        verwijzer: Verwijzer::Huisarts,
        verwijzer_naam: Some("Huisartsenpraktijk".into()),
        urgentie: Urgentie::Regulier,
        kader: Kader::Vrijwillig,
    };
    melding.correctie(&was, reden).map(|_| ())
}

/// A step's form (or a correction's, which names its step in `stap`): the facts
/// of the step, the live determination and the intensity proposal.
pub fn stap(catalogue: &Catalogue, invoer: &Invoer) -> Result<(), AppError> {
    let _ = determination(catalogue, invoer);
    let _ = suggestion(catalogue, &richtlijnen(invoer));
    let fase = ["fase", "stap"]
        .iter()
        .find_map(|key| invoer.get(*key)?.parse::<Fase>().ok())
        .unwrap_or(Fase::Vraagverheldering);
    Stapfeit::uit(catalogue, fase, invoer).map(|_| ())
}

/// A worker's answer to a provider's request, for a youth known and unknown.
pub fn verzoek_antwoord(invoer: &crate::VerzoekBeantwoorden) -> Result<(), AppError> {
    let _ = crate::berichten::verzoek::gecontroleerd(invoer, "0307", false);
    crate::berichten::verzoek::gecontroleerd(invoer, "0307", true).map(|_| ())
}

/// A change of a sent allocation, judged against a period as the domain would.
pub fn toewijzing_wijziging(invoer: &Invoer) -> Result<(), AppError> {
    let (_, wijziging, _) = crate::wijziging::gevraagd(invoer)?;
    let periode = Toewijzingsperiode {
        ingangsdatum: today(),
        einddatum: today() + chrono::Days::new(180),
        verwijderd: false,
        beschikking_tot: today() + chrono::Days::new(365),
    };
    periode
        .wijzig(wijziging)
        .map(|_| ())
        .map_err(|e| AppError::Invalid(e.message))
}
