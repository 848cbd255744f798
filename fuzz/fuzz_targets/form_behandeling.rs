//! The page forms of `Formulier::Behandeling` (the provider's answer, intake
//! and behandelplan), from any bytes: decoded as axum's `Form` decodes them,
//! then checked as far as that goes without the case.
#![no_main]

use jeugdroute_web::fuzzing::{Formulier, formulier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| formulier(Formulier::Behandeling, bytes));
