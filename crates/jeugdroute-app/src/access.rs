//! Who may do what: every use case asks here first, and what is not allowed here
//! is refused (deny by default). A case outside the user's scope is answered as
//! "not found", never with its content, and the refusal is audit-logged.

use jeugdroute_domain::{Gemeentecode, Role, User};

/// The person a use case runs for, and where the request came from; both go into
/// every audit record.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    /// The client's address, when the request came over the network.
    pub source: Option<String>,
}

/// The use cases that touch client data or the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseCase {
    /// The worklist of cases, and searching it.
    Werkvoorraad,
    /// Registering a new melding.
    NieuweMelding,
    /// Viewing one case.
    CasusBekijken,
    /// Taking the next step of a case's route.
    StapZetten,
    /// Changing a sent toewijzing: intrekken, verwijderen, administratieve correctie.
    ToewijzingWijzigen,
    /// Searching the audit log.
    AuditZoeken,
}

impl UseCase {
    pub const ALL: [UseCase; 6] = [
        UseCase::Werkvoorraad,
        UseCase::NieuweMelding,
        UseCase::CasusBekijken,
        UseCase::StapZetten,
        UseCase::ToewijzingWijzigen,
        UseCase::AuditZoeken,
    ];
}

/// Whether a role may run a use case at all. Policy staff see aggregates only and
/// the beheerder sees the audit log, never a client's file.
pub fn allowed(role: Role, use_case: UseCase) -> bool {
    match use_case {
        UseCase::Werkvoorraad
        | UseCase::NieuweMelding
        | UseCase::CasusBekijken
        | UseCase::StapZetten
        | UseCase::ToewijzingWijzigen => {
            matches!(role, Role::Toegangsmedewerker | Role::GiMedewerker)
        }
        UseCase::AuditZoeken => role == Role::Beheerder,
    }
}

/// Whether a user may see the cases of this gemeente: access and GI workers for
/// the gemeenten they work for. (Providers will see what was allocated or
/// requested to them once toewijzingen exist; until then, nothing.)
pub fn covers(user: &User, gemeente: &Gemeentecode) -> bool {
    matches!(user.role, Role::Toegangsmedewerker | Role::GiMedewerker)
        && user.gemeenten.contains(gemeente)
}
