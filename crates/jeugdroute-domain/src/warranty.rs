//! The warranty (garantie): when a youth's problems come back within four months
//! after the end of an allocation, the same hoofdaannemer is responsible again,
//! without a new procurement.

use chrono::{Months, NaiveDate};

use crate::AgbCode;

/// An allocation that has ended, with its hoofdaannemer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedToewijzing {
    pub hoofdaannemer: AgbCode,
    pub einddatum: NaiveDate,
}

/// The warranty that applies to a new request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Garantie {
    pub hoofdaannemer: AgbCode,
    /// The last day of the warranty period.
    pub until: NaiveDate,
}

/// Rule: domain.md step 11 — the last day of the warranty after help that
/// ended on `einde`: four months on (the month's last day where it is shorter).
pub fn garantie_tot(einde: NaiveDate) -> Option<NaiveDate> {
    einde.checked_add_months(Months::new(4))
}

/// Rule: domain.md step 11 — a new request for the same youth on a day after the
/// end of an allocation and at most 4 months after it goes back to the same
/// hoofdaannemer. With several, the most recently ended allocation counts.
pub fn warranty(ended: &[EndedToewijzing], request: NaiveDate) -> Option<Garantie> {
    ended
        .iter()
        .filter_map(|t| {
            let until = garantie_tot(t.einddatum)?;
            (t.einddatum < request && request <= until).then_some((t, until))
        })
        .max_by_key(|(t, _)| t.einddatum)
        .map(|(t, until)| Garantie {
            hoofdaannemer: t.hoofdaannemer.clone(),
            until,
        })
}
