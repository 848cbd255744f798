//! The iJw 3.2 message standard of the Jeugdwet (Zorginstituut Nederland), on its
//! own: gemeenten and care providers exchange these messages to allocate, start,
//! stop and declare youth care.
//!
//! The crate knows nothing of Jeugdroute and does no I/O beyond what a caller
//! hands it, so providers and other systems can use it as well.
//!
//! Reading starts with [`xml::read`], a hardened parser into an element tree, and
//! [`Berichtsoort::of_root`], which tells the message type from the root element.

mod message;
pub mod schema;
pub mod xml;

pub use message::{BASISSCHEMA_NAMESPACE, Berichtsoort, UnknownMessage, UnknownRoot};
