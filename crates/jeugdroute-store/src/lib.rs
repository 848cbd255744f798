//! The only crate with SQL. One concrete [`Store`] keeps Jeugdroute's data on
//! SQLite (the embedded default) or PostgreSQL (production), chosen by the URL.
//!
//! Every query is written once, in SQL both backends understand, and runs inside a
//! [`Tx`]: a use case opens one transaction, does its reads and writes (including
//! the audit record) and commits, so a multi-row change is never half-written.
//! Each backend has its own migrations with its own column types (PostgreSQL keeps
//! real `DATE`, `TIMESTAMPTZ` and `BIGINT` columns).

mod account;
mod audit;
mod audit_key;
mod balie;
mod behandeling;
mod bulk;
mod declaratie;
mod deel;
mod dossier;
mod error;
mod garantie;
mod gezin;
mod inbox;
mod kader;
mod messages;
mod onderaannemer;
mod ontvangen;
mod regio;
mod route;
mod session;
mod store;
#[cfg(feature = "test-support")]
pub mod testing;
mod transport;
mod url;
mod verzoek;
mod voortgang;
mod werklijst;
mod wijziging;

pub use account::Account;
pub use audit::{
    AuditCheck, AuditFault, AuditQuery, AuditRecord, AuditVerification, NewAuditRecord,
};
pub use audit_key::{
    AUDIT_KEY_BYTES, AuditKey, AuditSetup, ChainHead, DEFAULT_KEY_FILE, DEFAULT_WITNESS_FILE,
    Witness,
};
pub use balie::{BerichtFilter, Grenzen, InboxRegel, OpenTermijnen, OutboxRegel, Uitgaand};
pub use behandeling::{Behandeling, OpgeslagenBehandelplan};
pub use bulk::{MassaCasus, MassaIds, MassaToewijzing};
pub use declaratie::{Declaratie, Prestatie};
pub use deel::Deel;
pub use dossier::Correctie;
pub use error::StoreError;
pub use garantie::{EerdereHulp, GarantieRegel, Garantiezaak};
pub use gezin::{BekendeJeugdige, Casus, NewCasus};
pub use inbox::{
    Claimed, ClientToewijzingen, Closing, Incoming, Levering, NewIncoming, Outcome, Partijsoort,
};
pub use messages::{Outgoing, OutgoingMessage};
pub use onderaannemer::{OnderaannemerRegel, Onderaannemerschap, Onderaanneming};
pub use ontvangen::{
    AanbiederBericht, AanbiederPrestatie, NewAanbiederBericht, OntvangenAntwoord,
    OntvangenToewijzing,
};
pub use route::{
    CaseMessage, GemetenIntake, GemetenWacht, NewBeschikking, Toewijzing, ToewijzingLine,
};
pub use session::{FailureCount, Session, SignInFailures};
pub use store::{Backend, Store, Tx};
pub use transport::{Export, GgkFout, NewGgkFout, Uitweg};
pub use url::DatabaseUrl;
pub use verzoek::{
    NieuwVerzoek, Verzoek, VerzoekAfgehandeld, VerzoekAntwoord, VerzoekProduct, VerzoekReferentie,
};
pub use voortgang::{NieuweVoortgang, VOORTGANG_MAX, Voortgang};
pub use werklijst::{CasusFilter, CasusLine, PAGINA_MAX, ZOEKDEEL_MIN};
pub use wijziging::ToewijzingWijziging;

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
