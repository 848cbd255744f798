//! Whole-program tests of the `jeugdroute` binary, and the workspace's
//! architecture rules. One test binary for the crate, one module per concern.

mod architecture;
mod cli;
