//! The frame of every page: the header with the signed-in user, the menu of what
//! their role may do, and the sign-out form with its CSRF token.

use jeugdroute_app::{Current, UseCase, allowed};
use jeugdroute_domain::Role;

/// One menu item.
#[derive(Debug, Clone)]
pub(crate) struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The signed-in user as the header shows them.
#[derive(Debug, Clone)]
pub(crate) struct UserBar {
    pub name: String,
    pub role: &'static str,
    pub nav: Vec<NavItem>,
}

/// What `base.html` needs.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub banner: String,
    pub user: Option<UserBar>,
    /// The session's CSRF token, for the sign-out form.
    pub csrf: String,
}

const MENU: [(UseCase, &str, &str); 7] = [
    (UseCase::Werkvoorraad, "/werkvoorraad", "Werkvoorraad"),
    (UseCase::Verzoeken, "/verzoeken", "Verzoeken"),
    (UseCase::Toewijzingen, "/werkvoorraad", "Toewijzingen"),
    (UseCase::NieuweMelding, "/meldingen/nieuw", "Nieuwe melding"),
    (UseCase::Aanbiedergids, "/aanbieders", "Aanbieders"),
    (UseCase::Berichtenbalie, "/berichten", "Berichten"),
    (UseCase::AuditZoeken, "/beheer/audit", "Auditlog"),
];

impl Layout {
    pub(crate) fn anonymous() -> Layout {
        Layout {
            banner: "Toegang tot jeugdhulp".into(),
            user: None,
            csrf: String::new(),
        }
    }

    pub(crate) fn signed(current: &Current) -> Layout {
        let role: Role = current.user.role;
        Layout {
            banner: "Toegang tot jeugdhulp".into(),
            user: Some(UserBar {
                name: current.user.display_name.clone(),
                role: role.label(),
                nav: MENU
                    .iter()
                    .filter(|(use_case, _, _)| allowed(role, *use_case))
                    .map(|&(_, href, label)| NavItem { href, label })
                    .collect(),
            }),
            csrf: current.csrf_token.clone(),
        }
    }
}
