//! The iJw 3.2 message standard of the Jeugdwet (Zorginstituut Nederland), on its
//! own: gemeenten and care providers exchange these messages to allocate, start,
//! stop and declare youth care.
//!
//! The crate knows nothing of Jeugdroute and does no I/O beyond what a caller
//! hands it, so providers and other systems can use it as well.
//!
//! [`decode`] reads bytes in four steps — [`xml::read`] (a hardened parser into an
//! element tree: one quick scan for plain XML, quick-xml for anything else),
//! [`Berichtsoort::of_root`] (which message), [`schema::check`]
//! (structure and values, as the official XSD) and the typed model of [`types`] —
//! and [`encode`] writes a typed message as canonical XML.
//!
//! [`envelop`] wraps a message in the StUF-GGk envelope of the gemeenten's
//! knooppunt (`Di01`, `Du01`) and reads envelopes and its error messages (`Fo01`).

pub mod codec;
mod condities;
pub mod envelop;
mod history;
mod kop;
mod message;
mod report;
mod retour;
mod rules;
pub mod schema;
#[rustfmt::skip]
pub mod types;
mod voorbeeld;
pub mod xml;

pub use history::{
    History, KnownAllocation, KnownDeclaratie, KnownDelivery, KnownPrestatie, KnownRequest,
    PrestatieStatus, check_against,
};
pub use kop::{Kop, kop};
pub use message::{BASISSCHEMA_NAMESPACE, Berichtsoort, UnknownMessage, UnknownRoot};
pub use report::{Finding, Report, validate};
pub use retour::{NoRetour, RetourId, answer_to, retour};
pub use types::Bericht;
pub use voorbeeld::voorbeeld;

/// Why bytes are not a message this crate can work with, by the step that refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeFailure {
    #[error("{0}")]
    Read(#[from] xml::ReadError),
    #[error("{0}")]
    Root(#[from] UnknownRoot),
    #[error("het bericht voldoet niet aan het XSD van {soort}: {} fout(en)", findings.len())]
    Schema {
        soort: Berichtsoort,
        findings: Vec<schema::SchemaFinding>,
    },
    #[error("{0}")]
    Value(#[from] codec::DecodeError),
}

/// Reads, identifies, schema-checks and decodes a message.
pub fn decode(bytes: &[u8]) -> Result<Bericht, DecodeFailure> {
    let (soort, root) = schema_checked(bytes)?;
    Ok(Bericht::decode_root(soort, &root)?)
}

/// The steps [`decode`] and [`validate`] share: read, identify, check the schema.
pub(crate) fn schema_checked(bytes: &[u8]) -> Result<(Berichtsoort, xml::Element), DecodeFailure> {
    let root = xml::read(bytes)?;
    let soort = Berichtsoort::of_root(&root)?;
    let findings = schema::check(soort, &root);
    if !findings.is_empty() {
        return Err(DecodeFailure::Schema { soort, findings });
    }
    Ok((soort, root))
}

/// Writes a message as canonical XML; the same message always gives the same bytes.
pub fn encode(bericht: &Bericht) -> String {
    xml::write(&bericht.encode_root())
}
