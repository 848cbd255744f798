//! The page form of `Formulier::Wachttijd`, from any bytes: decoded as axum's
//! `Form` decodes it, then checked as its handler checks it before the database.
#![no_main]

use jeugdroute_web::fuzzing::{Formulier, formulier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| formulier(Formulier::Wachttijd, bytes));
