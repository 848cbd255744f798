//! Every JSON body and the query of the API, from any bytes: the first byte
//! picks which, the rest is read as the API's `read_body` reads it, then
//! checked as its handler checks it before the database.
#![no_main]

use jeugdroute_web::fuzzing::{Api, api};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some((first, rest)) = bytes.split_first() {
        let soort = Api::ALL[usize::from(*first) % Api::ALL.len()];
        api(soort, rest);
    }
});
