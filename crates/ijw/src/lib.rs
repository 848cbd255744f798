//! The iJw 3.2 message standard of the Jeugdwet (Zorginstituut Nederland), on its
//! own: gemeenten and care providers exchange these messages to allocate, start,
//! stop and declare youth care.
//!
//! The crate knows nothing of Jeugdroute and does no I/O beyond what a caller
//! hands it, so providers and other systems can use it as well.

mod message;

pub use message::{Berichtsoort, UnknownMessage};
