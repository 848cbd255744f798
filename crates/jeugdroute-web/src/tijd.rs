//! Dates and times on a page, for the templates (`{{ crate::tijd::datum(d) }}`):
//! the domain's Dutch formats (`jeugdroute_domain::local_time`: dd-mm-jjjj, and
//! times in Europe/Amsterdam as HH:MM) taking the references askama hands them.

use chrono::{DateTime, NaiveDate, Utc};

/// A date as `05-04-2026`.
pub(crate) fn datum(date: &NaiveDate) -> String {
    jeugdroute_domain::short_date(*date)
}

/// An instant in Dutch local time as `05-04-2026 14:05`.
pub(crate) fn tijdstip(at: &DateTime<Utc>) -> String {
    jeugdroute_domain::moment(*at)
}

/// An instant in Dutch local time to the second, for the audit log.
pub(crate) fn tijdstip_seconden(at: &DateTime<Utc>) -> String {
    jeugdroute_domain::moment_seconds(*at)
}

/// How the help ended and until when the warranty runs, in words, for the
/// worker's and the provider's case page.
pub(crate) fn afsluiting(e: &jeugdroute_domain::Evaluatie) -> String {
    let einde = format!(
        "De hulp eindigde op {}: {}.",
        datum(&e.einddatum()),
        e.reden().label().to_lowercase()
    );
    match e.garantie_tot() {
        Some(tot) => format!(
            "{einde} De garantie loopt tot en met {}: komen de problemen terug, dan is dezelfde hoofdaannemer weer verantwoordelijk.",
            datum(&tot)
        ),
        None => einde,
    }
}
