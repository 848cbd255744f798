//! The provider's pages: the cases allocated to its AGB code, and of one case
//! only what the help needs (who, what, when, and the JW301). The same paths as
//! the access worker's pages, so a provider's links and bookmarks look alike; the
//! application decides what each role may see.

use askama::Template;
use axum::http::HeaderMap;
use axum::response::Html;
use jeugdroute_app::{Actor, ToegewezenCasus, ToewijzingLine, UseCase, allowed};

use crate::AppState;
use crate::auth::Signed;
use crate::casus::{gemeente_name, gemeenten, render};
use crate::error::WebError;
use crate::layout::Layout;

/// Whether the user works with allocations rather than whole files.
pub(crate) fn for_provider(actor: &Actor) -> bool {
    allowed(actor.user.role, UseCase::Toewijzingen)
}

/// One row of the provider's worklist.
struct Row {
    line: ToewijzingLine,
    gemeente: String,
}

#[derive(Template)]
#[template(path = "toewijzingen.html")]
struct ToewijzingenPage {
    layout: Layout,
    rows: Vec<Row>,
}

/// The provider's worklist: every allocation to it, newest first.
pub(crate) async fn toewijzingen(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
) -> Result<Html<String>, WebError> {
    let lines = state
        .app
        .toewijzingen(&signed.actor)
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let gemeenten = gemeenten(state, headers).await?;
    let rows = lines
        .into_iter()
        .map(|line| Row {
            gemeente: gemeente_name(&gemeenten, line.toewijzing.gemeente.as_str()),
            line,
        })
        .collect();
    render(
        &ToewijzingenPage {
            layout: signed.layout(),
            rows,
        },
        headers,
    )
}

#[derive(Template)]
#[template(path = "toegewezen_casus.html")]
struct CasusPage {
    layout: Layout,
    casus: ToegewezenCasus,
    gemeente: String,
}

/// One case allocated to the provider, read-only.
pub(crate) async fn casus(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    id: i64,
) -> Result<Html<String>, WebError> {
    let casus = state
        .app
        .toegewezen_casus(&signed.actor, id)
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let gemeenten = gemeenten(state, headers).await?;
    let page = CasusPage {
        layout: signed.layout(),
        gemeente: gemeente_name(&gemeenten, casus.gemeente.as_str()),
        casus,
    };
    render(&page, headers)
}
