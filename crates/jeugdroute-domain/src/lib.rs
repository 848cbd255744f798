//! The pure core of Jeugdroute: the words and rules of Dutch youth care access and
//! allocation, as types that can only hold valid values.
//!
//! This crate does no I/O, reads no clock and no environment: "today" and every
//! other fact from the outside world is a parameter. That keeps every rule
//! testable in isolation and explainable to an auditor. The dependency rule is
//! enforced by `crates/jeugdroute/tests/it/architecture.rs`.

mod gezin;
mod ids;
mod product;
mod regio;
mod role;
mod user;

pub use gezin::{Gezin, Jeugdige};
pub use ids::{AgbCode, Bsn, Gemeentecode, ParseError};
pub use product::{Productcategorie, Productcode};
pub use regio::{Aanbieder, Contract, Gemeente, Regio};
pub use role::Role;
pub use user::User;
