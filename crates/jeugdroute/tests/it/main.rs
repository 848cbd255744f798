//! Whole-program tests of the `jeugdroute` binary, and the workspace's
//! architecture rules. One test binary for the crate, one module per concern.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod architecture;
mod berichten;
mod cli;
mod massa;
