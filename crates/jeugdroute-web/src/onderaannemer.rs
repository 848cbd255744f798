//! Onderaannemers on the pages and in the API: the hoofdaannemer registers one
//! per allocation on its case page; the onderaannemer has a page of its own
//! (`/onderaanneming/{id}`) with only what the hoofdaannemer shares. The
//! application decides who may see and write what.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Html;
use jeugdroute_app::OnderaannemerCasus;

use crate::AppState;
use crate::api::{number, read_body};
use crate::auth::{ApiUser, Signed};
use crate::casus::{case_id, gemeente_name, gemeenten, render};
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::schema;

#[derive(Template)]
#[template(path = "onderaanneming.html")]
struct OnderaannemingPage {
    layout: Layout,
    casus: OnderaannemerCasus,
    gemeente: String,
}

/// `GET /onderaanneming/{id}`: a case as an onderaannemer of it sees it.
pub(crate) async fn pagina(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let casus = state
        .app
        .onderaannemer_casus(&signed.actor, case_id(&id)?)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let gemeenten = gemeenten(&state, &headers).await?;
    let page = OnderaannemingPage {
        layout: signed.layout(),
        gemeente: gemeente_name(&gemeenten, casus.gemeente.as_str()),
        casus,
    };
    render(&page, &headers)
}

/// A case as an onderaannemer of one of its allocations sees it: the youth, the
/// hoofdaannemer, the period and the goals of the behandelplan.
#[utoipa::path(
    get,
    path = "/api/v1/onderaanneming/{id}",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    responses(
        (status = 200, description = "Wat de hoofdaannemer deelt", body = schema::Onderaanneming),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 404, description = "Geen casus waarbij u onderaannemer bent", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_pagina(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<schema::Onderaanneming>, ApiError> {
    let id = number(&id, &headers)?;
    let c = state
        .app
        .onderaannemer_casus(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(schema::Onderaanneming {
        id: c.casus_id,
        gemeente: c.gemeente.as_str().to_owned(),
        jeugdige: schema::JeugdigeKort {
            voornamen: c.first_names,
            achternaam: c.surname,
            geboortedatum: Some(c.birth_date),
        },
        hoofdaannemer: c.hoofdaannemer.agb.as_str().to_owned(),
        toewijzingen: (c.toewijzingen.iter())
            .map(|(nummer, ingangsdatum, einddatum)| schema::Periode {
                toewijzingnummer: *nummer,
                ingangsdatum: *ingangsdatum,
                einddatum: *einddatum,
            })
            .collect(),
        doelen: (c.doelen.into_iter())
            .map(|d| schema::DoelInfo {
                omschrijving: d.omschrijving,
                resultaten: Vec::new(),
                activiteiten: d.activiteiten,
                hoe_vaak: d.frequentie,
            })
            .collect(),
    }))
}

/// The hoofdaannemer registers an onderaannemer of one of its allocations of
/// the case: a provider contracted by the region for that allocation's code.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/onderaannemers",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::OnderaannemerToevoegen,
    responses(
        (status = 200, description = "Geregistreerd; de onderaannemers van de casus", body = Vec<schema::OnderaannemerInfo>),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Geen casus die aan u is toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets geregistreerd", body = schema::Fout),
    )
)]
pub(crate) async fn api_toevoegen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Vec<schema::OnderaannemerInfo>>, ApiError> {
    let id = number(&id, &headers)?;
    let b: schema::OnderaannemerToevoegen = read_body(&body, "OnderaannemerToevoegen")?;
    let app = &state.app;
    let result =
        (app.onderaannemer_toevoegen(&user.actor, id, b.toewijzingnummer, &b.onderaannemer)).await;
    na_wijziging(&state, &user, &headers, id, result).await
}

/// The hoofdaannemer ends an onderaannemer of one of its allocations of the
/// case, with the reason; it then no longer sees the case.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/onderaannemers/beeindiging",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::OnderaannemerBeeindigen,
    responses(
        (status = 200, description = "Beëindigd; de onderaannemers van de casus", body = Vec<schema::OnderaannemerInfo>),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Geen casus die aan u is toegewezen, of geen onderaannemer (meer) bij die toewijzing", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets veranderd", body = schema::Fout),
    )
)]
pub(crate) async fn api_beeindigen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Vec<schema::OnderaannemerInfo>>, ApiError> {
    let id = number(&id, &headers)?;
    let b: schema::OnderaannemerBeeindigen = read_body(&body, "OnderaannemerBeeindigen")?;
    let app = &state.app;
    let (nummer, agb) = (b.toewijzingnummer, &b.onderaannemer);
    let result = (app.onderaannemer_beeindigen(&user.actor, id, nummer, agb, &b.reden)).await;
    na_wijziging(&state, &user, &headers, id, result).await
}

/// After a change of the onderaannemers: its error, or the case's
/// onderaannemers as they now stand.
async fn na_wijziging(
    state: &AppState,
    user: &ApiUser,
    headers: &HeaderMap,
    id: i64,
    result: Result<(), jeugdroute_app::AppError>,
) -> Result<Json<Vec<schema::OnderaannemerInfo>>, ApiError> {
    let app_error = |e| ApiError::from_app(&e, headers);
    result.map_err(app_error)?;
    let casus = (state.app.toegewezen_casus(&user.actor, id))
        .await
        .map_err(app_error)?;
    Ok(Json(casus.onderaannemers.iter().map(info).collect()))
}

/// An onderaannemer of an allocation, as the API shows it.
pub(crate) fn info(o: &jeugdroute_app::Onderaanneming) -> schema::OnderaannemerInfo {
    schema::OnderaannemerInfo {
        toewijzingnummer: o.toewijzing_nummer,
        onderaannemer: o.onderaannemer_agb.clone(),
        hoofdaannemer: o.hoofdaannemer_agb.clone(),
        geregistreerd_op: jeugdroute_domain::rfc3339(o.geregistreerd_op),
        beeindigd_op: o.beeindigd_op.map(jeugdroute_domain::rfc3339),
        einde_reden: o.einde_reden.clone(),
    }
}
