//! Who may do what: every use case asks here first, and what is not allowed here
//! is refused (deny by default). A case outside the user's scope is answered as
//! "not found", never with its content, and the refusal is audit-logged.
//!
//! Three scopes exist: the gemeenten an access worker works for (the whole file
//! of their cases); for a GI worker, within those gemeenten only the cases in the
//! forced framework of its own GI (never a voluntary family); and the AGB code of
//! a provider (only what was allocated to it: who, what and when, and the JW301).
//! The message desk has its own: the gemeenten a berichtenbeheerder works for
//! (every party for the beheerder), and for a provider's system its AGB code.

use jeugdroute_domain::{AgbCode, Gemeentecode, Kader, Role, User};

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
    /// A provider's worklist: the cases allocated to it.
    Toewijzingen,
    /// A provider's view of one case allocated to it, and its JW301.
    ToewijzingBekijken,
    /// The message desk: the iJw messages in and out of the user's gemeenten.
    Berichtenbalie,
    /// A provider's own system exchanging iJw messages through the API.
    BerichtenUitwisselen,
    /// Answering the providers' requests (JW315, JW317) to the gemeente: work
    /// of the gemeente's access team, not of a GI, whose cases are forced.
    Verzoeken,
    /// A provider reporting its expected waiting time and opnamestop.
    WachttijdMelden,
    /// Writing how the help goes: the provider of a case and its local team.
    Voortgang,
    /// A provider's own part of a case allocated to it: its answer to the
    /// allocation, the intake, the beknopt plan and the behandelplan.
    Behandelen,
    /// The directory of contracted providers with their waiting times: no
    /// client's data, for whoever chooses or steers.
    Aanbiedergids,
}

impl UseCase {
    pub const ALL: [UseCase; 15] = [
        UseCase::Werkvoorraad,
        UseCase::NieuweMelding,
        UseCase::CasusBekijken,
        UseCase::StapZetten,
        UseCase::ToewijzingWijzigen,
        UseCase::AuditZoeken,
        UseCase::Toewijzingen,
        UseCase::ToewijzingBekijken,
        UseCase::Berichtenbalie,
        UseCase::BerichtenUitwisselen,
        UseCase::Verzoeken,
        UseCase::WachttijdMelden,
        UseCase::Behandelen,
        UseCase::Voortgang,
        UseCase::Aanbiedergids,
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
        UseCase::Verzoeken => role == Role::Toegangsmedewerker,
        UseCase::Voortgang => matches!(
            role,
            Role::Aanbieder | Role::Toegangsmedewerker | Role::GiMedewerker
        ),
        UseCase::AuditZoeken => role == Role::Beheerder,
        UseCase::Toewijzingen
        | UseCase::ToewijzingBekijken
        | UseCase::BerichtenUitwisselen
        | UseCase::WachttijdMelden
        | UseCase::Behandelen => role == Role::Aanbieder,
        UseCase::Berichtenbalie => matches!(role, Role::Berichtenbeheerder | Role::Beheerder),
        UseCase::Aanbiedergids => matches!(
            role,
            Role::Toegangsmedewerker | Role::GiMedewerker | Role::Beleidsmedewerker
        ),
    }
}

/// Whether a user may see (or open) a case of this gemeente in this framework:
/// an access worker every case of the gemeenten they work for; a GI worker only
/// the cases in the forced framework of its own GI there.
pub fn covers(user: &User, gemeente: &Gemeentecode, kader: &Kader) -> bool {
    user.gemeenten.contains(gemeente)
        && match user.role {
            Role::Toegangsmedewerker => true,
            Role::GiMedewerker => user.gi.is_some() && kader.gi() == user.gi.as_ref(),
            Role::Aanbieder
            | Role::Beleidsmedewerker
            | Role::Beheerder
            | Role::Berichtenbeheerder => false,
        }
}

/// The parties whose messages a user sees on the message desk: the gemeenten a
/// berichtenbeheerder works for, every party for the beheerder (`None`), and
/// for any other role none.
pub fn berichten_van(user: &User) -> Option<Vec<String>> {
    match user.role {
        Role::Beheerder => None,
        Role::Berichtenbeheerder => Some(
            user.gemeenten
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
        ),
        Role::Toegangsmedewerker
        | Role::GiMedewerker
        | Role::Aanbieder
        | Role::Beleidsmedewerker => Some(Vec::new()),
    }
}

/// Whether a user works for this provider, and so may see what was allocated
/// to it. (Requests for allocation, JW315, are not received yet.)
pub fn provides(user: &User, aanbieder: &AgbCode) -> bool {
    user.role == Role::Aanbieder && user.aanbieder.as_ref() == Some(aanbieder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, aanbieder: Option<&str>) -> User {
        User {
            username: "u".into(),
            display_name: "U".into(),
            role,
            gemeenten: vec![Gemeentecode::parse("0307").unwrap()],
            aanbieder: aanbieder.map(|a| AgbCode::parse(a).unwrap()),
            gi: (role == Role::GiMedewerker).then(|| AgbCode::parse("98991001").unwrap()),
        }
    }

    #[test]
    fn a_gi_worker_sees_only_the_forced_cases_of_its_own_gi() {
        let amersfoort = Gemeentecode::parse("0307").unwrap();
        let gedwongen = |gi: &str| Kader::Gedwongen {
            grond: jeugdroute_domain::Grond::Ondertoezichtstelling,
            gi: AgbCode::parse(gi).unwrap(),
        };
        let gi = user(Role::GiMedewerker, None);
        assert!(covers(&gi, &amersfoort, &gedwongen("98991001")));
        assert!(
            !covers(&gi, &amersfoort, &gedwongen("98991002")),
            "another GI"
        );
        assert!(
            !covers(&gi, &amersfoort, &Kader::Vrijwillig),
            "a voluntary family"
        );
        let soest = Gemeentecode::parse("0342").unwrap();
        assert!(
            !covers(&gi, &soest, &gedwongen("98991001")),
            "another gemeente"
        );
        let without_gi = User { gi: None, ..gi };
        assert!(!covers(&without_gi, &amersfoort, &gedwongen("98991001")));
        let worker = user(Role::Toegangsmedewerker, None);
        assert!(covers(&worker, &amersfoort, &Kader::Vrijwillig));
        assert!(covers(&worker, &amersfoort, &gedwongen("98991002")));
        assert!(!covers(&worker, &soest, &Kader::Vrijwillig));
    }

    #[test]
    fn a_provider_sees_only_what_was_allocated_to_its_own_agb_code() {
        let eem = AgbCode::parse("98990011").unwrap();
        let other = AgbCode::parse("98990022").unwrap();
        let gemeente = Gemeentecode::parse("0307").unwrap();
        let aanbieder = user(Role::Aanbieder, Some("98990011"));
        assert!(provides(&aanbieder, &eem));
        assert!(!provides(&aanbieder, &other));
        assert!(
            !covers(&aanbieder, &gemeente, &Kader::Vrijwillig),
            "never a gemeente's file"
        );
        let worker = user(Role::Toegangsmedewerker, None);
        assert!(!provides(&worker, &eem));
        for use_case in UseCase::ALL {
            let provider_case = matches!(
                use_case,
                UseCase::Toewijzingen
                    | UseCase::ToewijzingBekijken
                    | UseCase::BerichtenUitwisselen
                    | UseCase::WachttijdMelden
                    | UseCase::Behandelen
                    | UseCase::Voortgang
            );
            assert_eq!(
                allowed(Role::Aanbieder, use_case),
                provider_case,
                "{use_case:?}"
            );
        }
    }

    #[test]
    fn only_a_provider_reports_its_waiting_time() {
        for role in Role::ALL {
            assert_eq!(
                allowed(role, UseCase::WachttijdMelden),
                role == Role::Aanbieder,
                "{role}"
            );
        }
    }

    #[test]
    fn requests_are_answered_by_the_access_team_only() {
        for role in Role::ALL {
            assert_eq!(
                allowed(role, UseCase::Verzoeken),
                role == Role::Toegangsmedewerker,
                "{role}"
            );
        }
    }

    #[test]
    fn the_message_desk_is_for_the_berichtenbeheerder_and_the_beheerder_only() {
        for role in Role::ALL {
            assert_eq!(
                allowed(role, UseCase::Berichtenbalie),
                matches!(role, Role::Berichtenbeheerder | Role::Beheerder),
                "{role}"
            );
        }
        let desk = user(Role::Berichtenbeheerder, None);
        assert_eq!(berichten_van(&desk), Some(vec!["0307".to_owned()]));
        assert_eq!(berichten_van(&user(Role::Beheerder, None)), None);
        assert_eq!(
            berichten_van(&user(Role::Toegangsmedewerker, None)),
            Some(Vec::new())
        );
        let amersfoort = Gemeentecode::parse("0307").unwrap();
        assert!(
            !covers(&desk, &amersfoort, &Kader::Vrijwillig),
            "messages, never a case file"
        );
    }
}
