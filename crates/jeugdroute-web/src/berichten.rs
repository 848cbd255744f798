//! The message desk ("Berichten") for a berichtenbeheerder or the beheerder:
//! the inbox and the outbox with their filters and pages, one message with its
//! XML and what answered it, and the same as JSON under `/api/v1/berichten/…`.
//! And the API of a provider's own system: `POST /api/v1/berichten` with an iJw
//! message (answered with the retour at once), `GET /api/v1/berichten?na=…`
//! and `POST /api/v1/berichten/{id}/ontvangen`.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jeugdroute_app::{
    Aanlevering, AppError, BERICHTEN_PAGINA, BerichtenZoek, Bevinding, OntvangenBericht,
    OntvangenDetail, RetourcodeUitleg, Termijn, VerzondenBericht, VerzondenDetail,
};
use jeugdroute_domain::rfc3339;

use crate::AppState;
use crate::auth::{ApiUser, Signed};
use crate::casus::render;
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::schema;

/// Which box a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bak {
    Ontvangen,
    Verzonden,
}

impl Bak {
    fn pad(self) -> &'static str {
        match self {
            Bak::Ontvangen => "/berichten",
            Bak::Verzonden => "/berichten/verzonden",
        }
    }

    fn statussen(self) -> &'static [&'static str] {
        match self {
            Bak::Ontvangen => &["ontvangen", "verwerkt", "afgekeurd", "onleesbaar", "dubbel"],
            Bak::Verzonden => &["wachtend", "verzonden", "goedgekeurd", "afgekeurd"],
        }
    }
}

/// The message types a filter offers.
const SOORTEN: [&str; 14] = [
    "JW301", "JW302", "JW305", "JW306", "JW307", "JW308", "JW315", "JW316", "JW317", "JW318",
    "JW319", "JW320", "JW323", "JW325",
];

#[derive(Template)]
#[template(path = "berichten.html")]
struct BerichtenPage {
    layout: Layout,
    bak: Bak,
    zoek: BerichtenZoek,
    fouten: Vec<jeugdroute_app::FieldError>,
    ontvangen: Vec<OntvangenBericht>,
    verzonden: Vec<VerzondenBericht>,
    /// The query of the next page, when there is one.
    volgende: Option<String>,
}

impl BerichtenPage {
    fn status(&self) -> &str {
        self.zoek.status.as_deref().unwrap_or("")
    }

    fn soort(&self) -> &str {
        self.zoek.soort.as_deref().unwrap_or("")
    }

    fn soorten(&self) -> &'static [&'static str] {
        &SOORTEN
    }
}

#[derive(Template)]
#[template(path = "bericht_ontvangen.html")]
struct OntvangenPage {
    layout: Layout,
    detail: OntvangenDetail,
}

#[derive(Template)]
#[template(path = "bericht_verzonden.html")]
struct VerzondenPage {
    layout: Layout,
    detail: VerzondenDetail,
}

/// A page's state in words.
pub(crate) fn status_label(state: &str) -> &'static str {
    match state {
        "ontvangen" => "Wacht op verwerking",
        "verwerkt" => "Verwerkt",
        "afgekeurd" => "Afgekeurd",
        "onleesbaar" => "Onleesbaar",
        "dubbel" => "Dubbel ontvangen",
        "wachtend" => "Wacht op verzending",
        "verzonden" => "Verzonden",
        "goedgekeurd" => "Retour: goedgekeurd",
        _ => "Onbekend",
    }
}

/// Where an outgoing message stands.
pub(crate) fn uitgaand_status(b: &VerzondenBericht) -> &'static str {
    match (b.regel.retour_state.as_deref(), b.regel.sent_at) {
        (Some("goedgekeurd"), _) => "goedgekeurd",
        (Some(_), _) => "afgekeurd",
        (None, None) => "wachtend",
        (None, Some(_)) => "verzonden",
    }
}

/// The number to give as `voor` for the next page: the last one of a full page.
fn volgende(laatste: Option<i64>, aantal: usize) -> Option<i64> {
    (i64::try_from(aantal).ok() == Some(BERICHTEN_PAGINA))
        .then_some(laatste)
        .flatten()
}

fn zoek_of(query: Result<Query<BerichtenZoek>, QueryRejection>) -> Result<BerichtenZoek, AppError> {
    query.map(|Query(zoek)| zoek).map_err(|_| {
        AppError::Invalid(
            "onleesbare zoekvraag: geef elk filter hoogstens één keer, en 'voor' als een getal"
                .into(),
        )
    })
}

fn query_van(zoek: &BerichtenZoek, voor: i64) -> String {
    let mut delen = Vec::new();
    for (naam, waarde) in [("status", &zoek.status), ("soort", &zoek.soort)] {
        if let Some(w) = waarde.as_deref().filter(|w| !w.is_empty()) {
            // The filters are checked against fixed lists: letters and digits only.
            delen.push(format!("{naam}={w}"));
        }
    }
    delen.push(format!("voor={voor}"));
    delen.join("&")
}

async fn bak_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    query: Result<Query<BerichtenZoek>, QueryRejection>,
    bak: Bak,
) -> Result<Response, WebError> {
    let zoek = zoek_of(query).map_err(|e| WebError::from_app(&e, headers))?;
    let actor = &signed.actor;
    let mut page = BerichtenPage {
        layout: signed.layout(),
        bak,
        zoek: zoek.clone(),
        fouten: Vec::new(),
        ontvangen: Vec::new(),
        verzonden: Vec::new(),
        volgende: None,
    };
    let result = match bak {
        Bak::Ontvangen => state.app.berichten_ontvangen(actor, &zoek).await.map(|b| {
            page.volgende =
                volgende(b.last().map(|x| x.regel.id), b.len()).map(|v| query_van(&zoek, v));
            page.ontvangen = b;
        }),
        Bak::Verzonden => state.app.berichten_verzonden(actor, &zoek).await.map(|b| {
            page.volgende =
                volgende(b.last().map(|x| x.regel.id), b.len()).map(|v| query_van(&zoek, v));
            page.verzonden = b;
        }),
    };
    let status = match result {
        Ok(()) => StatusCode::OK,
        Err(AppError::Fields(fouten)) => {
            page.fouten = fouten;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(WebError::from_app(&e, headers)),
    };
    Ok((status, render(&page, headers)?).into_response())
}

/// `GET /berichten`: the received messages, newest first, with filters.
pub(crate) async fn ontvangen(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    query: Result<Query<BerichtenZoek>, QueryRejection>,
) -> Result<Response, WebError> {
    bak_page(&state, &signed, &headers, query, Bak::Ontvangen).await
}

/// `GET /berichten/verzonden`: the outgoing messages, newest first, with filters.
pub(crate) async fn verzonden(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    query: Result<Query<BerichtenZoek>, QueryRejection>,
) -> Result<Response, WebError> {
    bak_page(&state, &signed, &headers, query, Bak::Verzonden).await
}

/// A message number in a path; anything else is not found.
fn nummer(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>().map_err(|_| AppError::NotFound)
}

/// `GET /berichten/ontvangen/{id}`: one received message.
pub(crate) async fn ontvangen_bericht(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let error = |e| WebError::from_app(&e, &headers);
    let id = nummer(&id).map_err(error)?;
    let detail = state
        .app
        .bericht_ontvangen_bekijken(&signed.actor, id)
        .await
        .map_err(error)?;
    let page = OntvangenPage {
        layout: signed.layout(),
        detail,
    };
    Ok(render(&page, &headers)?.into_response())
}

/// `GET /berichten/verzonden/{id}`: one outgoing message.
pub(crate) async fn verzonden_bericht(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let error = |e| WebError::from_app(&e, &headers);
    let id = nummer(&id).map_err(error)?;
    let detail = state
        .app
        .bericht_verzonden_bekijken(&signed.actor, id)
        .await
        .map_err(error)?;
    let page = VerzondenPage {
        layout: signed.layout(),
        detail,
    };
    Ok(render(&page, &headers)?.into_response())
}

fn bevinding(b: &Bevinding) -> schema::BerichtBevinding {
    schema::BerichtBevinding {
        regel: b.regel.clone(),
        code: b.code.clone(),
        element: b.element.clone(),
        melding: b.melding.clone(),
    }
}

fn retourcodes(codes: &[RetourcodeUitleg]) -> Vec<schema::Retourcode> {
    codes
        .iter()
        .map(|c| schema::Retourcode {
            code: c.code.clone(),
            uitleg: c.uitleg.to_owned(),
        })
        .collect()
}

fn termijnen(termijnen: &[Termijn]) -> Vec<schema::BerichtTermijn> {
    termijnen.iter().map(termijn).collect()
}

/// A message deadline as the API shows it.
pub(crate) fn termijn(t: &Termijn) -> schema::BerichtTermijn {
    let soort = (t.soort.key(), t.soort.omschrijving());
    schema::BerichtTermijn::van(soort, t.uiterlijk, t.stand)
}

fn ontvangen_json(b: &OntvangenBericht) -> schema::BerichtOntvangen {
    let r = &b.regel;
    schema::BerichtOntvangen {
        id: r.id,
        kanaal: r.channel.clone(),
        berichtsoort: r.berichtsoort.clone(),
        afzender: r.sender.clone(),
        ontvanger: r.receiver.clone(),
        identificatie: r.identificatie.clone(),
        status: r.state.clone(),
        reden: r.reason.clone(),
        bevindingen: b.bevindingen.iter().map(bevinding).collect(),
        retourcodes: retourcodes(&b.codes),
        casus: r.casus_id,
        ontvangen_op: rfc3339(r.received_at),
        verwerkt_op: r.processed_at.map(rfc3339),
        retour: r.retour_id,
        termijnen: termijnen(&b.termijnen),
    }
}

fn verzonden_json(b: &VerzondenBericht) -> schema::BerichtVerzonden {
    let r = &b.regel;
    schema::BerichtVerzonden {
        id: r.id,
        berichtsoort: r.berichtsoort.clone(),
        afzender: r.sender.clone(),
        ontvanger: r.receiver.clone(),
        identificatie: r.identificatie.clone(),
        status: uitgaand_status(b),
        casus: r.casus_id,
        antwoord_op: r.answers_id,
        aangemaakt_op: rfc3339(r.created_at),
        verzonden_op: r.sent_at.map(rfc3339),
        retour: r.retour_inbox_id,
        ontvangst_bevestigd_op: r.acknowledged_at.map(rfc3339),
        termijnen: termijnen(&b.termijnen),
    }
}

/// The received messages of your gemeenten, 50 a page, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/berichten/inbox",
    tag = "berichten",
    params(
        ("status" = Option<String>, Query, description = "Alleen berichten met deze status.", pattern = "^(ontvangen|verwerkt|afgekeurd|onleesbaar|dubbel)?$"),
        ("soort" = Option<String>, Query, description = "Alleen deze berichtsoort, zoals JW305.", max_length = 5),
        ("voor" = Option<i64>, Query, description = "Alleen berichten met een kleiner nummer: 'volgende' van de vorige pagina.", minimum = 1),
    ),
    responses(
        (status = 200, description = "Een pagina ontvangen berichten", body = schema::BerichtenOntvangen),
        (status = 400, description = "Onleesbare zoekvraag", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (berichtenbeheerder of beheerder)", body = schema::Fout),
        (status = 422, description = "Een filter klopt niet", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_inbox(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<BerichtenZoek>, QueryRejection>,
) -> Result<Json<schema::BerichtenOntvangen>, ApiError> {
    let error = |e| ApiError::from_app(&e, &headers);
    let zoek = zoek_of(query).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let berichten = state
        .app
        .berichten_ontvangen(&user.actor, &zoek)
        .await
        .map_err(error)?;
    Ok(Json(schema::BerichtenOntvangen {
        volgende: volgende(berichten.last().map(|b| b.regel.id), berichten.len()),
        berichten: berichten.iter().map(ontvangen_json).collect(),
    }))
}

/// The outgoing messages from or to your gemeenten, 50 a page, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/berichten/outbox",
    tag = "berichten",
    params(
        ("status" = Option<String>, Query, description = "Alleen berichten met deze status.", pattern = "^(wachtend|verzonden|goedgekeurd|afgekeurd)?$"),
        ("soort" = Option<String>, Query, description = "Alleen deze berichtsoort, zoals JW301.", max_length = 5),
        ("voor" = Option<i64>, Query, description = "Alleen berichten met een kleiner nummer: 'volgende' van de vorige pagina.", minimum = 1),
    ),
    responses(
        (status = 200, description = "Een pagina verzonden berichten", body = schema::BerichtenVerzonden),
        (status = 400, description = "Onleesbare zoekvraag", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (berichtenbeheerder of beheerder)", body = schema::Fout),
        (status = 422, description = "Een filter klopt niet", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_outbox(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<BerichtenZoek>, QueryRejection>,
) -> Result<Json<schema::BerichtenVerzonden>, ApiError> {
    let error = |e| ApiError::from_app(&e, &headers);
    let zoek = zoek_of(query).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let berichten = state
        .app
        .berichten_verzonden(&user.actor, &zoek)
        .await
        .map_err(error)?;
    Ok(Json(schema::BerichtenVerzonden {
        volgende: volgende(berichten.last().map(|b| b.regel.id), berichten.len()),
        berichten: berichten.iter().map(verzonden_json).collect(),
    }))
}

/// One received message with its XML and our answers.
#[utoipa::path(
    get,
    path = "/api/v1/berichten/inbox/{id}",
    tag = "berichten",
    params(("id" = i64, Path, description = "Het nummer van het ontvangen bericht.")),
    responses(
        (status = 200, description = "Het bericht", body = schema::BerichtOntvangenDetail),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (berichtenbeheerder of beheerder)", body = schema::Fout),
        (status = 404, description = "Niet gevonden, of niet van uw gemeenten", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_inbox_bericht(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<schema::BerichtOntvangenDetail>, ApiError> {
    let error = |e| ApiError::from_app(&e, &headers);
    let id = nummer(&id).map_err(error)?;
    let d = state
        .app
        .bericht_ontvangen_bekijken(&user.actor, id)
        .await
        .map_err(error)?;
    Ok(Json(schema::BerichtOntvangenDetail {
        bericht: ontvangen_json(&d.bericht),
        xml: d.xml,
        antwoorden: d.antwoorden.iter().map(verzonden_json).collect(),
    }))
}

/// One outgoing message with its XML, the message it answers and the retour on it.
#[utoipa::path(
    get,
    path = "/api/v1/berichten/outbox/{id}",
    tag = "berichten",
    params(("id" = i64, Path, description = "Het nummer van het verzonden bericht.")),
    responses(
        (status = 200, description = "Het bericht", body = schema::BerichtVerzondenDetail),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (berichtenbeheerder of beheerder)", body = schema::Fout),
        (status = 404, description = "Niet gevonden, of niet van of aan uw gemeenten", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_outbox_bericht(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<schema::BerichtVerzondenDetail>, ApiError> {
    let error = |e| ApiError::from_app(&e, &headers);
    let id = nummer(&id).map_err(error)?;
    let d = state
        .app
        .bericht_verzonden_bekijken(&user.actor, id)
        .await
        .map_err(error)?;
    let (retour, retour_codes) = match &d.retour {
        Some((r, codes)) => (Some(ontvangen_json(r)), retourcodes(codes)),
        None => (None, Vec::new()),
    };
    Ok(Json(schema::BerichtVerzondenDetail {
        bericht: verzonden_json(&d.bericht),
        retourcodes: retourcodes(&d.codes),
        vraag: d.vraag.as_ref().map(ontvangen_json),
        retour,
        retour_codes,
        xml: d.xml,
    }))
}

/// Whether a request's body is XML by its Content-Type.
fn is_xml(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim();
            v.eq_ignore_ascii_case("application/xml") || v.eq_ignore_ascii_case("text/xml")
        })
}

/// A provider's own system posts an iJw message sent in its AGB code's name:
/// it is kept, checked at the four levels, applied and answered at once.
#[utoipa::path(
    post,
    path = "/api/v1/berichten",
    tag = "berichten",
    request_body(content = String, content_type = "application/xml", description = "Een iJw 3.2-bericht (ten hoogste 25 MB), met uw eigen AGB-code als afzender."),
    responses(
        (status = 200, description = "Verwerkt of afgekeurd: het retourbericht (of bij een JW323 de JW325)", body = String, content_type = "application/xml"),
        (status = 204, description = "Verwerkt; dit bericht krijgt geen antwoord (zoals een retourbericht op ons bericht)"),
        (status = 400, description = "Geen inhoud", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (aanbieder), of de afzender is niet uw AGB-code: er is niets opgeslagen", body = schema::Fout),
        (status = 413, description = "Het bericht is groter dan 25 MB", body = schema::Fout),
        (status = 415, description = "Geen Content-Type: application/xml", body = schema::Fout),
        (status = 422, description = "Geen leesbaar iJw 3.2-bericht: de reden in 'fout', elke bevinding in 'velden'", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_aanleveren(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let error = |e| ApiError::from_app(&e, &headers);
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "het bericht is groter dan 25 MB (iJw-regel OP179)",
            )
        } else {
            ApiError::bad_request("de inhoud kon niet worden gelezen")
        }
    })?;
    if !is_xml(&headers) {
        return Err(ApiError::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "stuur het bericht als XML, met de header Content-Type: application/xml",
        ));
    }
    if body.is_empty() {
        return Err(ApiError::bad_request("stuur een iJw-bericht als inhoud"));
    }
    match state
        .app
        .bericht_aanleveren(&user.actor, &body)
        .await
        .map_err(error)?
    {
        Aanlevering::Beantwoord {
            antwoord: Some(xml),
            ..
        } => Ok((
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            xml,
        )
            .into_response()),
        Aanlevering::Beantwoord { antwoord: None, .. } => {
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        Aanlevering::Onleesbaar {
            reden, bevindingen, ..
        } => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(schema::Fout {
                fout: format!("geen leesbaar iJw 3.2-bericht: {reden}"),
                velden: bevindingen
                    .iter()
                    .map(|b| schema::Veldfout {
                        veld: if b.element.is_empty() {
                            b.regel.clone()
                        } else {
                            b.element.clone()
                        },
                        melding: format!("{}: {}", b.regel, b.melding),
                    })
                    .collect(),
                verzoek: None,
                open_casussen: None,
            }),
        )
            .into_response()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Cursor {
    na: Option<i64>,
}

/// The outgoing messages addressed to your AGB code after the cursor, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/berichten",
    tag = "berichten",
    params(("na" = Option<i64>, Query, description = "Alleen berichten met een groter nummer: 'volgende' van de vorige keer (begin met 0).", minimum = 0)),
    responses(
        (status = 200, description = "Ten hoogste 100 berichten, oudste eerst", body = schema::UitgaandeBerichten),
        (status = 400, description = "Onleesbare zoekvraag", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (aanbieder)", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_ophalen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<Cursor>, QueryRejection>,
) -> Result<Json<schema::UitgaandeBerichten>, ApiError> {
    let Query(cursor) = query.map_err(|_| {
        ApiError::bad_request("onleesbare zoekvraag: geef 'na' hoogstens één keer, als een getal")
    })?;
    let na = cursor.na.unwrap_or(0).max(0);
    let berichten = state
        .app
        .berichten_ophalen(&user.actor, na)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(schema::UitgaandeBerichten {
        volgende: berichten.last().map_or(na, |b| b.regel.id),
        berichten: berichten
            .into_iter()
            .map(|b| schema::UitgaandBericht {
                id: b.regel.id,
                berichtsoort: b.regel.berichtsoort,
                afzender: b.regel.sender,
                identificatie: b.regel.identificatie,
                aangemaakt_op: rfc3339(b.regel.created_at),
                ontvangst_bevestigd_op: b.regel.acknowledged_at.map(rfc3339),
                xml: b.body,
            })
            .collect(),
    }))
}

/// Confirms that your own system received an outgoing message addressed to you.
#[utoipa::path(
    post,
    path = "/api/v1/berichten/{id}/ontvangen",
    tag = "berichten",
    params(("id" = i64, Path, description = "Het nummer uit GET /api/v1/berichten.")),
    responses(
        (status = 200, description = "Ontvangst vastgelegd (de eerste bevestiging telt)", body = schema::Ontvangstbevestiging),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol (aanbieder), of met de sessiecookie zonder X-CSRF-Token", body = schema::Fout),
        (status = 404, description = "Niet gevonden, of niet aan u gericht", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_ontvangen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<schema::Ontvangstbevestiging>, ApiError> {
    let error = |e| ApiError::from_app(&e, &headers);
    let id = nummer(&id).map_err(error)?;
    let regel = state
        .app
        .bericht_ontvangst_bevestigen(&user.actor, id)
        .await
        .map_err(error)?;
    let bevestigd = regel
        .acknowledged_at
        .ok_or_else(|| ApiError::internal(&"acknowledgement not stored"))?;
    Ok(Json(schema::Ontvangstbevestiging {
        id: regel.id,
        ontvangst_bevestigd_op: rfc3339(bevestigd),
    }))
}
