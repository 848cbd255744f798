//! What a request's body or query goes through before a handler reaches the
//! database, given as bytes: each form decoded the way axum's `Form` and `Query`
//! decode it (serde_urlencoded), each JSON body the way the API's `read_body`
//! reads it (schema check, then the typed value), and then the same conversion
//! and checks the handler runs. The entry points of the fuzz targets in `fuzz/`,
//! behind the `fuzzing` feature; a panic is the bug, a refusal is fine.

use std::sync::OnceLock;

use jeugdroute_app::{Invoer, NieuweMelding, VerzoekBeantwoorden, fuzzing as app};
use jeugdroute_domain::Catalogue;
use serde::de::DeserializeOwned;

use crate::aanbieder::wachttijd_invoer;
use crate::api::{Filter, MeldingCorrectieInvoer, read_body};
use crate::auth::{Credentials, CsrfForm, SignInForm};
use crate::beheer::AuditForm;
use crate::casus::{FilterForm, MeldingForm, ZoekForm};
use crate::gids::{GidsQuery, Lezing};
use crate::schema;

/// The form types of the pages, one fuzz target each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formulier {
    /// `POST /aanmelden`.
    Aanmelden,
    /// `POST /afmelden`: only the CSRF token.
    Afmelden,
    /// `POST /beheer/audit`.
    Audit,
    /// `POST /werkvoorraad` (the search) and the query of `GET /werkvoorraad`.
    Zoeken,
    /// `POST /meldingen/nieuw` and `POST /casussen/{id}/melding`.
    Melding,
    /// `POST /casussen/{id}/stap`, `/correctie` and `/toewijzing/{nummer}`.
    Stap,
    /// `POST /aanbieder/wachttijd`: a provider's expected wait and opnamestop.
    Wachttijd,
    /// `POST /casussen/{id}/behandeling/{reactie,intake,behandelplan}`: the
    /// provider's answer, intake and behandelplan.
    Behandeling,
}

/// Decodes `bytes` as the form `soort` and checks it as its handler would.
pub fn formulier(soort: Formulier, bytes: &[u8]) {
    match soort {
        Formulier::Aanmelden => {
            let _ = form::<SignInForm>(bytes);
        }
        Formulier::Afmelden => {
            let _ = form::<CsrfForm>(bytes);
        }
        Formulier::Audit => {
            let _ = form::<AuditForm>(bytes);
        }
        Formulier::Zoeken => {
            if let Some(zoek) = form::<ZoekForm>(bytes) {
                let _ = zoek.filter.filter();
            }
            if let Some(filter) = form::<FilterForm>(bytes) {
                let _ = filter.filter();
            }
        }
        Formulier::Melding => {
            if let Some(melding) = form::<MeldingForm>(bytes) {
                let reden = melding.reden.clone();
                let melding = melding.melding();
                let _ = app::melding(&melding);
                let _ = app::melding_correctie(&melding, &reden);
            }
        }
        Formulier::Stap => {
            if let Some(invoer) = form::<Invoer>(bytes) {
                stap(&invoer);
            }
        }
        Formulier::Wachttijd => {
            if let Some(invoer) = form::<Invoer>(bytes) {
                let _ = wachttijd_invoer(&invoer);
            }
        }
        Formulier::Behandeling => {
            if let Some(invoer) = form::<Invoer>(bytes) {
                crate::behandeling::lezen(&invoer);
            }
        }
    }
}

/// The JSON bodies and the query of the API, by the schema that checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Login,
    Melding,
    Stap,
    Correctie,
    MeldingCorrectie,
    BepalingVraag,
    VoorstelVraag,
    ToewijzingWijziging,
    /// The query of `GET /api/v1/casussen`.
    Filter,
    /// A worker's answer to a provider's request.
    VerzoekAntwoord,
    /// The bodies of a provider's messages on an allocation: start, stop,
    /// request for an allocation, request for a change, declaration.
    AanbiederStart,
    AanbiederStop,
    VerzoekOmToewijzing,
    VerzoekOmWijziging,
    Declaratie,
    /// A provider's report of its expected wait and opnamestop.
    Wachttijd,
    /// The query of `GET /api/v1/aanbieders` and of the page `/aanbieders`.
    Gids,
    /// The provider's part of a case: its answer, intake and behandelplan;
    /// a progress note of either side; an onderaannemer registered or ended.
    Reactie,
    Intake,
    Behandelplan,
    Voortgang,
    Onderaannemer,
    OnderaannemerEinde,
}

impl Api {
    pub const ALL: [Api; 23] = [
        Api::Login,
        Api::Melding,
        Api::Stap,
        Api::Correctie,
        Api::MeldingCorrectie,
        Api::BepalingVraag,
        Api::VoorstelVraag,
        Api::ToewijzingWijziging,
        Api::Filter,
        Api::VerzoekAntwoord,
        Api::AanbiederStart,
        Api::AanbiederStop,
        Api::VerzoekOmToewijzing,
        Api::VerzoekOmWijziging,
        Api::Declaratie,
        Api::Wachttijd,
        Api::Gids,
        Api::Reactie,
        Api::Intake,
        Api::Behandelplan,
        Api::Voortgang,
        Api::Onderaannemer,
        Api::OnderaannemerEinde,
    ];
}

/// Reads `bytes` as the API body (or query) `soort` and checks it as its
/// handler would.
pub fn api(soort: Api, bytes: &[u8]) {
    let body = axum::body::Bytes::copy_from_slice(bytes);
    match soort {
        Api::Login => {
            let _ = read_body::<Credentials>(&body, "Login");
        }
        Api::Melding => {
            if let Ok(melding) = read_body::<NieuweMelding>(&body, "Melding") {
                let _ = app::melding(&melding);
            }
        }
        Api::Stap => {
            if let Ok(gevraagd) = read_body::<schema::Stap>(&body, "Stap") {
                stap(&gevraagd.invoer());
            }
        }
        Api::Correctie => {
            if let Ok(correctie) = read_body::<schema::Correctie>(&body, "Correctie") {
                let mut invoer = correctie.stap.invoer();
                invoer.insert("reden".into(), correctie.reden);
                stap(&invoer);
            }
        }
        Api::MeldingCorrectie => {
            if let Ok(invoer) = read_body::<MeldingCorrectieInvoer>(&body, "MeldingCorrectie") {
                let _ = app::melding_correctie(&invoer.melding, &invoer.reden);
            }
        }
        Api::BepalingVraag | Api::VoorstelVraag | Api::ToewijzingWijziging => {
            let schema = match soort {
                Api::BepalingVraag => "BepalingVraag",
                Api::VoorstelVraag => "VoorstelVraag",
                _ => "ToewijzingWijziging",
            };
            if let Ok(invoer) = read_body::<Invoer>(&body, schema) {
                stap(&invoer);
            }
        }
        Api::VerzoekAntwoord => {
            if let Ok(invoer) = read_body::<VerzoekBeantwoorden>(&body, "VerzoekAntwoordVraag") {
                let _ = app::verzoek_antwoord(&invoer);
            }
        }
        Api::AanbiederStart => {
            let _ = read_body::<schema::AanbiederStart>(&body, "AanbiederStart");
        }
        Api::AanbiederStop => {
            let _ = read_body::<schema::AanbiederStop>(&body, "AanbiederStop");
        }
        Api::VerzoekOmToewijzing => {
            let _ = read_body::<schema::VerzoekOmToewijzing>(&body, "VerzoekOmToewijzing");
        }
        Api::VerzoekOmWijziging => {
            let _ = read_body::<schema::VerzoekOmWijziging>(&body, "VerzoekOmWijziging");
        }
        Api::Declaratie => {
            let _ = read_body::<schema::Declaratie>(&body, "Declaratie");
        }
        Api::Wachttijd => {
            let _ = read_body::<schema::WachttijdMelden>(&body, "WachttijdMelden");
        }
        Api::Reactie => {
            let _ = read_body::<schema::ReactieGeven>(&body, "ReactieGeven");
        }
        Api::Intake => {
            let _ = read_body::<schema::IntakeRegistreren>(&body, "IntakeRegistreren");
        }
        Api::Behandelplan => {
            let _ = read_body::<schema::BehandelplanOpslaan>(&body, "BehandelplanOpslaan");
        }
        Api::Voortgang => {
            let _ = read_body::<schema::VoortgangSchrijven>(&body, "VoortgangSchrijven");
        }
        Api::Onderaannemer => {
            let _ = read_body::<schema::OnderaannemerToevoegen>(&body, "OnderaannemerToevoegen");
        }
        Api::OnderaannemerEinde => {
            let _ = read_body::<schema::OnderaannemerBeeindigen>(&body, "OnderaannemerBeeindigen");
        }
        Api::Gids => {
            if let Some(query) = form::<GidsQuery>(bytes) {
                let _ = query.zoek(Lezing::Formulier);
                let _ = query.zoek(Lezing::Api);
            }
        }
        Api::Filter => {
            if let Some(filter) = form::<Filter>(bytes) {
                let _ = filter.check();
            }
        }
    }
}

/// A form as axum's `Form` and `Query` read it.
fn form<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_urlencoded::from_bytes(bytes).ok()
}

/// The default catalogue, read once: the product reads it once at start too.
fn catalogue() -> Option<&'static Catalogue> {
    static CATALOGUE: OnceLock<Option<Catalogue>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| jeugdroute_app::default_catalogue().ok())
        .as_ref()
}

/// The checks of a step's, correction's or allocation change's form.
fn stap(invoer: &Invoer) {
    if let Some(catalogue) = catalogue() {
        let _ = app::stap(catalogue, invoer);
    }
    let _ = app::toewijzing_wijziging(invoer);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry point takes empty, junk and plausible input without panicking.
    #[test]
    fn every_entry_point_takes_any_bytes() {
        let inputs: [&[u8]; 8] = [
            b"",
            b"\xff\xfe%%%&&==",
            b"fase=plan&stap=bemiddeling&arrangement=3&intensiteit=midden&soort=intrekken&einddatum=2026-01-01&reden=05",
            b"{\"gebruikersnaam\":\"a\",\"wachtwoord\":\"b\",\"fase\":\"plan\"}",
            b"{\"soort\":\"correctie\",\"einddatum\":\"2099-12-31\",\"toelichting\":\"x\"}",
            b"wachttijd_weken=99999999999999999999&opnamestop=ja",
            b"code=50%C3%A9H&zoek=%00&zonder_opnamestop=ja&pagina=18446744073709551616",
            b"reactie=probleem&intakedatum=2026-13-01&doel_1_resultaat_99=ja&doel_11_omschrijving=x",
        ];
        for bytes in inputs {
            for soort in [
                Formulier::Aanmelden,
                Formulier::Afmelden,
                Formulier::Audit,
                Formulier::Zoeken,
                Formulier::Melding,
                Formulier::Stap,
                Formulier::Wachttijd,
                Formulier::Behandeling,
            ] {
                formulier(soort, bytes);
            }
            for soort in Api::ALL {
                api(soort, bytes);
            }
        }
    }
}
