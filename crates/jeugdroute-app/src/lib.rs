//! The use cases of Jeugdroute, shared by the web interface and the command line.
//!
//! A use case loads what it needs from the store, asks the domain crate to decide,
//! saves the result together with its audit record in one transaction, and
//! answers in domain terms. Nothing here knows HTTP or HTML.

mod aanbieder;
mod access;
mod audit;
mod behandeling;
mod berichten;
mod brief;
mod casus;
mod catalogue;
mod clock;
mod correctie;
mod demo;
mod demo_casussen;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod garantie;
mod gids;
pub mod grenzen;
mod massa;
mod onderaannemer;
mod overview;
mod passwords;
mod route;
mod session;
mod sign_in_limit;
mod voortgang;
mod wijziging;

pub use aanbieder::{
    EigenWachttijd, OpenVerzoek, ToegewezenCasus, ToegewezenHulp, WachttijdInvoer, Werklijst,
    Werkregel,
};
pub use access::{Actor, UseCase, allowed, berichten_van, covers, provides};
pub use audit::{AUDIT_EXPORT_LIMIT, AUDIT_PAGE_SIZE, AuditResult, AuditZoek};
pub use behandeling::BehandelplanInvoer;
pub use berichten::{
    Aanlevering, Afhandeling, BERICHTEN_INTERVAL, BERICHTEN_PAGINA, BerichtenZoek,
    Berichtentelling, Bevinding, DeclaratieInvoer, GgkBericht, GgkUitkomst, Kanaal,
    MAX_BERICHT_BYTES, MAX_PRESTATIES, OmvangInvoer, OntvangenBericht, OntvangenDetail,
    OntvangenHulp, PrestatieInvoer, RetourcodeUitleg, Routeringsfout, StartInvoer, StopInvoer,
    Termijn, Toewijzingsleutel, Uitvoer, VERZOEKEN_PAGE_SIZE, Verwerking, VerzoekBeantwoorden,
    VerzoekOmToewijzingInvoer, VerzoekOmWijzigingInvoer, VerzoekView, VerzondenBericht,
    VerzondenDetail, redenen_afwijzing, uitleg, verzoek_termijn,
};
pub use brief::{PdfError, pdf as beschikking_pdf};
pub use casus::{
    CasusView, MAX_OUDERS, NieuweMelding, NieuweOuder, Signaal, Werkvoorraad, WerkvoorraadFilter,
    WerkvoorraadRegel,
};
pub use catalogue::{default_catalogue, parse_catalogue};
pub use clock::Clock;
pub use correctie::{MAX_REDEN, corrigeerbaar, invoer_van};
pub use demo::{DEMO_PASSWORD, DemoAccount, DemoRegio, DemoReport};
pub use error::{AppError, FieldError};
pub use garantie::Garantievoorstel;
pub use gids::{AanbiederKeuze, GIDS_PAGINA, GIDS_ZOEK_MAX, Gids, GidsRegel, GidsZoek};
pub use jeugdroute_store::{
    AanbiederBericht, AanbiederPrestatie, AuditCheck, AuditKey, AuditRecord, AuditSetup,
    AuditVerification, Behandeling, CaseMessage, Casus, CasusLine, ChainHead, DEFAULT_KEY_FILE,
    DatabaseUrl, GarantieRegel, Garantiezaak, InboxRegel, Incoming, OnderaannemerRegel,
    Onderaanneming, OntvangenAntwoord, OntvangenToewijzing, OpgeslagenBehandelplan, OutboxRegel,
    OutgoingMessage, Toewijzing, ToewijzingLine, ToewijzingWijziging, Uitgaand, Uitweg, Verzoek,
    VerzoekAntwoord, VerzoekProduct, Voortgang, Witness,
};
pub use massa::MASSA_PER_TRANSACTIE;
pub use onderaannemer::OnderaannemerCasus;
pub use overview::RegioOverview;
pub use route::{Invoer, Verloop, bepaling, richtlijnen, voorstel};
pub use session::{
    Current, MAX_GEBRUIKERSNAAM, MAX_WACHTWOORD, SESSION_IDLE, SESSION_LIFETIME, SignedIn,
    TOUCH_INTERVAL, random_token,
};
pub use sign_in_limit::{FAILURE_WINDOW, FIRST_DELAY, FREE_FAILURES, MAX_DELAY};
pub use voortgang::voortgang_open;

use std::sync::{Arc, OnceLock};

use jeugdroute_domain::Catalogue;
use jeugdroute_store::Store;

/// The application: every use case is a method on it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    catalogue: Arc<Catalogue>,
    /// The demo accounts, once this process loaded the demo region: the sign-in
    /// page then tells a newcomer how to get in.
    demo_accounts: Arc<OnceLock<Vec<DemoAccount>>>,
    /// What the use cases take as "now": real time, except for the demo
    /// generator and tests (see [`App::with_clock`]).
    clock: Clock,
    /// The bound on concurrent password checks, shared by clones.
    passwords: passwords::Gate,
    /// Wakes the serving process's message loop when a message arrives.
    wekker: berichten::Wekker,
}

impl App {
    /// Connects to the database, applies pending migrations, and uses the default
    /// regional catalogue.
    pub async fn open(url: &DatabaseUrl) -> Result<App, AppError> {
        App::open_with_catalogue(url, default_catalogue()?).await
    }

    /// As [`App::open`], with a region's own catalogue. The audit key and
    /// witness are the database's defaults ([`AuditSetup::for_database`]: beside
    /// an SQLite file; for PostgreSQL in a temporary folder named after the URL).
    pub async fn open_with_catalogue(
        url: &DatabaseUrl,
        catalogue: Catalogue,
    ) -> Result<App, AppError> {
        let audit = AuditSetup::for_database(url)?;
        App::open_with(url, catalogue, audit, None).await
    }

    /// Connects with the audit key and witness given. With `migration_url` the
    /// migrations run over that connection (the schema's owner) and the
    /// application's own connection (`url`, a role that may only add to the audit
    /// log) migrates nothing; without it, `url` migrates.
    pub async fn open_with(
        url: &DatabaseUrl,
        catalogue: Catalogue,
        audit: AuditSetup,
        migration_url: Option<&DatabaseUrl>,
    ) -> Result<App, AppError> {
        match migration_url {
            Some(owner) => migrate(owner).await?,
            None => migrate(url).await?,
        }
        let store = Store::connect(url).await?.with_audit(audit);
        Ok(App {
            store,
            catalogue: Arc::new(catalogue),
            demo_accounts: Arc::default(),
            clock: Clock::System,
            passwords: passwords::Gate::new(),
            wekker: berichten::Wekker::default(),
        })
    }

    /// The store underneath, for tools and tests that must reach it directly.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The same application on another clock: the demo generator sets the
    /// instants of its made-up history, tests a fixed "now".
    #[must_use]
    pub fn with_clock(&self, clock: Clock) -> App {
        App {
            clock,
            ..self.clone()
        }
    }

    /// The instant the use cases take as "now".
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The regional catalogue this installation decides with.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The demo accounts, when this process loaded the demo region; else none.
    pub fn demo_accounts(&self) -> &[DemoAccount] {
        self.demo_accounts.get().map_or(&[], Vec::as_slice)
    }

    /// Whether the database answers (readiness).
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }

    /// Closes the database connections; used at shutdown.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// Row counts per table, for operators.
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, AppError> {
        let mut tx = self.store.begin().await?;
        Ok(tx.row_counts().await?)
    }
}

/// Applies the pending migrations over a connection of its own.
pub async fn migrate(url: &DatabaseUrl) -> Result<(), AppError> {
    let store = Store::connect(url).await?;
    let migrated = store.migrate().await;
    store.close().await;
    Ok(migrated?)
}

/// PostgreSQL: gives the application's role its rights, over the owner's
/// connection `url` (see [`Store::grant_app_role`]).
pub async fn grant_app_role(url: &DatabaseUrl, role: &str) -> Result<(), AppError> {
    let store = Store::connect(url).await?;
    let granted = store.grant_app_role(role).await;
    store.close().await;
    Ok(granted?)
}
