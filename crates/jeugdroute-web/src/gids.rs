//! The provider directory (`/aanbieders`, `GET /api/v1/aanbieders`): the
//! providers the region contracted, searched by arrangement code, name or place
//! and opnamestop, each with its measured and reported waiting time. No client's
//! data: for workers and policy staff.

use askama::Template;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jeugdroute_app::{AppError, FieldError, Gids, GidsZoek};
use jeugdroute_domain::Productcode;

use crate::AppState;
use crate::auth::{ApiUser, Signed};
use crate::beheer::encode;
use crate::casus::{fout_in, render};
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::schema;

/// The directory's query, as typed; every part may be left out.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct GidsQuery {
    code: Option<String>,
    zoek: String,
    zonder_opnamestop: Option<String>,
    pagina: Option<String>,
}

/// How a query's values are read: the page's form sends its empty fields and
/// the typed text as it is; the API takes a filter with a value or not at all,
/// exactly as its document describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lezing {
    Formulier,
    Api,
}

impl GidsQuery {
    /// A value of the query: none when absent (or, from the form, empty).
    fn waarde<'a>(&self, value: &'a Option<String>, lezing: Lezing) -> Option<&'a str> {
        let value = value.as_deref()?;
        match lezing {
            Lezing::Formulier => Some(value.trim()).filter(|v| !v.is_empty()),
            Lezing::Api => Some(value),
        }
    }

    /// The search, or every part that is wrong.
    pub(crate) fn zoek(&self, lezing: Lezing) -> Result<GidsZoek, Vec<FieldError>> {
        let mut fouten = Vec::new();
        let mut fout = |field: &'static str, message: &str| {
            fouten.push(FieldError {
                field,
                message: message.into(),
            });
        };
        let code = self.waarde(&self.code, lezing).and_then(|c| {
            let parsed = Productcode::parse(&c.to_ascii_uppercase()).ok();
            if parsed.is_none() {
                fout(
                    "code",
                    "Arrangementcode: geef 1 tot 5 letters of cijfers, zoals 50H12.",
                );
            }
            parsed
        });
        let zonder_opnamestop = match self.waarde(&self.zonder_opnamestop, lezing) {
            None | Some("nee") => false,
            Some("ja") => true,
            Some(_) => {
                fout("zonder_opnamestop", "Zonder opnamestop: geef ja of nee.");
                false
            }
        };
        let pagina = match self.waarde(&self.pagina, lezing) {
            None => 1,
            Some(p) => match p.parse::<usize>() {
                Ok(n) if p.bytes().all(|b| b.is_ascii_digit()) && (1..=10_000).contains(&n) => n,
                _ => {
                    fout("pagina", "Pagina: geef een nummer van 1 tot en met 10000.");
                    1
                }
            },
        };
        if !fouten.is_empty() {
            return Err(fouten);
        }
        Ok(GidsZoek {
            code,
            zoek: self.zoek.clone(),
            zonder_opnamestop,
            pagina,
        })
    }

    /// The code as typed, for the form.
    fn code(&self) -> &str {
        self.code.as_deref().unwrap_or_default()
    }

    /// Whether the form asked to leave out providers with an opnamestop.
    fn zonder_opnamestop(&self) -> bool {
        self.zonder_opnamestop.as_deref() == Some("ja")
    }

    /// The query without the page, for the paging links.
    fn filters(&self) -> String {
        [
            ("code", self.code().trim()),
            ("zoek", self.zoek.trim()),
            (
                "zonder_opnamestop",
                self.zonder_opnamestop.as_deref().unwrap_or_default().trim(),
            ),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[derive(Template)]
#[template(path = "aanbieders.html")]
struct GidsPage {
    layout: Layout,
    query: GidsQuery,
    filters: String,
    gids: Option<Gids>,
    fouten: Vec<FieldError>,
}

impl GidsPage {
    fn fout(&self, field: &str) -> Option<&str> {
        fout_in(&self.fouten, field)
    }
}

/// `GET /aanbieders`: the directory, searched by the query.
pub(crate) async fn aanbieders(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Query(query): Query<GidsQuery>,
) -> Result<Response, WebError> {
    let result = match query.zoek(Lezing::Formulier) {
        Ok(zoek) => state.app.aanbiedergids(&signed.actor, &zoek).await,
        Err(fouten) => Err(AppError::Fields(fouten)),
    };
    let (status, gids, fouten) = match result {
        Ok(gids) => (StatusCode::OK, Some(gids), Vec::new()),
        Err(AppError::Fields(fouten)) => (StatusCode::UNPROCESSABLE_ENTITY, None, fouten),
        Err(e) => return Err(WebError::from_app(&e, &headers)),
    };
    let page = GidsPage {
        layout: signed.layout(),
        filters: query.filters(),
        query,
        gids,
        fouten,
    };
    Ok((status, render(&page, &headers)?).into_response())
}

/// The contracted providers, those taking new clients first; with a code, by
/// the shortest expected wait (measured where measured), with the waiting time
/// measured for that code; a page of 25.
#[utoipa::path(
    get,
    path = "/api/v1/aanbieders",
    tag = "aanbieders",
    params(
        ("code" = Option<String>, Query, description = "Alleen aanbieders met een contract voor deze arrangementcode, met hun gemeten wachttijd daarvoor.", max_length = 5, pattern = "^[0-9A-Za-z]{1,5}$"),
        ("zoek" = Option<String>, Query, description = "Een deel van de naam of de plaats.", max_length = 100),
        ("zonder_opnamestop" = Option<String>, Query, description = "ja: laat aanbieders met een opnamestop weg.", pattern = "^(ja|nee)$"),
        ("pagina" = Option<i64>, Query, description = "Van 1 tot en met 10000.", minimum = 1, maximum = 10000),
    ),
    responses(
        (status = 200, description = "Een pagina van de aanbiedergids", body = schema::Aanbiedergids),
        (status = 400, description = "Onleesbare zoekvraag, zoals een filter dat twee keer voorkomt", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 422, description = "Een filter klopt niet", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_aanbieders(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<GidsQuery>, QueryRejection>,
) -> Result<Json<schema::Aanbiedergids>, ApiError> {
    let Query(query) = query.map_err(|_| {
        ApiError::bad_request("onleesbare zoekvraag: geef elk filter hoogstens één keer")
    })?;
    let zoek = query.zoek(Lezing::Api).map_err(ApiError::fields)?;
    let gids = state
        .app
        .aanbiedergids(&user.actor, &zoek)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(schema::Aanbiedergids {
        totaal: gids.totaal,
        pagina: gids.pagina,
        paginas: gids.paginas(),
        aanbieders: gids
            .regels
            .iter()
            .map(|r| schema::GidsAanbieder {
                aanbieder: crate::api::keuze(&r.keuze),
                codes: r.codes.iter().map(|c| c.as_str().to_owned()).collect(),
            })
            .collect(),
    }))
}
