//! Changing an allocation after it was sent (iJw 3.2 §3.2, "Wijzigen / intrekken /
//! verwijderen"). A change keeps the ToewijzingNummer and carries a reason from
//! code list JZ002; this module decides which changes a gemeente may make in place
//! and what each does to the Einddatum, so the application only stores and sends.
//!
//! Lengthening (verlengen, JZ002 04) is deliberately not offered: the allocation
//! carries out a beschikking, and help beyond the beschikking's period needs a new
//! decision (a herbeoordeling with its own bezwaar term) before any message.

use chrono::NaiveDate;

use crate::beschikking::dutch_date;
use crate::keyed::keyed;

/// Why an allocation changed, by its JZ002 code (the key is the code itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedenWijziging {
    HerbeoordelingVerkorting,
    ClientOverleden,
    UitstroomAnderDomein,
    Verhuizing,
    OverstapAndereAanbieder,
    Verwijderd,
    AdministratieveCorrectie,
}

keyed!(RedenWijziging, "reden", {
    HerbeoordelingVerkorting => ("05", "Herbeoordeling: de hulp kan eerder stoppen"),
    ClientOverleden => ("02", "De jeugdige is overleden"),
    UitstroomAnderDomein => ("06", "De jeugdige gaat naar ander domein, zoals Wlz of Wmo"),
    Verhuizing => ("07", "De jeugdige is verhuisd naar een andere gemeente"),
    OverstapAndereAanbieder => ("09", "De jeugdige stapt over naar een andere aanbieder"),
    Verwijderd => ("13", "Verwijderd: verkeerd verstuurd"),
    AdministratieveCorrectie => ("14", "Administratieve correctie"),
});

/// The RedenWijziging of an allocation changed because its provider asked for it.
///
/// Rule: iJw JZ002 — 12 "geïnitieerd door de aanbieder": the JW301s that honour a
/// verzoek om wijziging (JW317).
pub const REDEN_OP_VERZOEK_AANBIEDER: &str = "12";

impl RedenWijziging {
    /// The reasons a gemeente can give for ending an allocation early.
    // Rule: iJw 3.2 JZ002 — 05 for a shorter allocation after a new assessment;
    // 02, 06, 07 and 09 pair with JW307 stop reasons 02, 39, 35 and 38. Reasons 03,
    // 08, 10 and 11 belong to withdraw-and-reallocate (a new ToewijzingNummer), 12
    // answers a provider's JW317, 01 is retired (CS336).
    pub const INTREKKEN: [RedenWijziging; 5] = [
        RedenWijziging::HerbeoordelingVerkorting,
        RedenWijziging::ClientOverleden,
        RedenWijziging::UitstroomAnderDomein,
        RedenWijziging::Verhuizing,
        RedenWijziging::OverstapAndereAanbieder,
    ];

    /// The JZ002 code as it stands in a JW301.
    pub fn code(self) -> &'static str {
        self.key()
    }
}

/// The kind of change the worker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wijzigingsoort {
    Intrekken,
    Verwijderen,
    Correctie,
}

keyed!(Wijzigingsoort, "soort", {
    Intrekken => ("intrekken", "Intrekken per datum: de hulp stopt eerder"),
    Verwijderen => ("verwijderen", "Verwijderen: de toewijzing is verkeerd verstuurd"),
    Correctie => ("correctie", "Administratieve correctie"),
});

/// A change to an allocation, as the worker asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wijziging {
    /// Ends the allocation earlier (intrekken, verkorten).
    Intrekken {
        einddatum: NaiveDate,
        reden: RedenWijziging,
    },
    /// Sent by mistake: the allocation counts as never sent.
    Verwijderen,
    /// Puts right an administrative mistake, with the Einddatum it should have had.
    Correctie { einddatum: NaiveDate },
}

/// An allocation's period as it stands, and how far its beschikking reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toewijzingsperiode {
    pub ingangsdatum: NaiveDate,
    pub einddatum: NaiveDate,
    /// Removed earlier (RedenWijziging 13).
    pub verwijderd: bool,
    /// The last day of the beschikking this allocation carries out.
    pub beschikking_tot: NaiveDate,
}

/// Why a change is refused, naming the form field to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct WijzigingFout {
    pub field: &'static str,
    pub message: String,
}

fn fout(field: &'static str, message: String) -> WijzigingFout {
    WijzigingFout { field, message }
}

impl Toewijzingsperiode {
    /// The new Einddatum and the RedenWijziging of `wijziging`, or why it cannot be
    /// made in place.
    pub fn wijzig(
        &self,
        wijziging: Wijziging,
    ) -> Result<(NaiveDate, RedenWijziging), WijzigingFout> {
        // Rule: iJw 3.2 §3.1 — a removed allocation counts as never sent; there is
        // nothing left to change.
        if self.verwijderd {
            return Err(fout(
                "soort",
                "Deze toewijzing is verwijderd en kan niet meer worden gewijzigd.".into(),
            ));
        }
        match wijziging {
            Wijziging::Intrekken { einddatum, reden } => {
                if !RedenWijziging::INTREKKEN.contains(&reden) {
                    return Err(fout("reden", "Kies een reden voor het intrekken.".into()));
                }
                self.not_before_start(einddatum)?;
                // Rule: iJw 3.2 §3.2 (OP033x1, IV066) — intrekken/verkorten is an
                // earlier Einddatum; a later one is lengthening, which needs a new
                // beschikking here.
                if einddatum >= self.einddatum {
                    return Err(fout(
                        "einddatum",
                        format!(
                            "Kies bij intrekken een einddatum vóór de huidige einddatum ({}). \
                             Langer helpen kan alleen met een nieuwe beschikking.",
                            dutch_date(self.einddatum)
                        ),
                    ));
                }
                Ok((einddatum, reden))
            }
            // Rule: iJw 3.2 CS335 — removal is Einddatum = Ingangsdatum with
            // RedenWijziging 13.
            Wijziging::Verwijderen => Ok((self.ingangsdatum, RedenWijziging::Verwijderd)),
            // Rule: iJw 3.2 CS336 — an administrative correction is 14 (01 is
            // retired); it may not reach beyond the beschikking.
            Wijziging::Correctie { einddatum } => {
                self.not_before_start(einddatum)?;
                if einddatum > self.beschikking_tot {
                    return Err(fout(
                        "einddatum",
                        format!(
                            "De einddatum valt na het einde van de beschikking ({}). \
                             Langer helpen kan alleen met een nieuwe beschikking.",
                            dutch_date(self.beschikking_tot)
                        ),
                    ));
                }
                Ok((einddatum, RedenWijziging::AdministratieveCorrectie))
            }
        }
    }

    /// Rule: iJw 3.2 CS003 — the Einddatum is not before the Ingangsdatum.
    fn not_before_start(&self, einddatum: NaiveDate) -> Result<(), WijzigingFout> {
        if einddatum < self.ingangsdatum {
            return Err(fout(
                "einddatum",
                format!(
                    "De einddatum ligt vóór de ingangsdatum ({}).",
                    dutch_date(self.ingangsdatum)
                ),
            ));
        }
        Ok(())
    }
}
