//! The attack set of the security review (issue 12), as black-box tests against a
//! running server, each on both backends where it touches the database. Every test
//! here was written to fail before its defence existed; `docs/security.md` names
//! the threat each one proves defended.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

#[path = "../support/mod.rs"]
mod support;

mod aanmelden;
mod audit;
mod grenzen;
mod overig;
