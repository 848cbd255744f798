//! The provider's pages: the cases allocated to its AGB code, and of one case
//! only what the help needs (who, what, when, and the JW301). The same paths as
//! the access worker's pages, so a provider's links and bookmarks look alike; the
//! application decides what each role may see.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, Months, NaiveDate};
use jeugdroute_app::{
    AanbiederBericht, Actor, AppError, DeclaratieInvoer, EigenWachttijd, FieldError, GarantieRegel,
    Invoer, OmvangInvoer, OnderaannemerRegel, OntvangenHulp, OpenVerzoek, PrestatieInvoer,
    StartInvoer, StopInvoer, Toewijzingsleutel, UseCase, VerzoekOmToewijzingInvoer,
    VerzoekOmWijzigingInvoer, WachttijdInvoer, Werklijst, Werkregel, allowed,
};
use jeugdroute_domain::{GemetenWachttijd, Productcode, rfc3339};

use crate::AppState;
use crate::api::read_body;
use crate::auth::{ApiUser, Signed};
use crate::casus::{gemeente_name, gemeenten, render};
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::schema;

/// Whether the user works with allocations rather than whole files.
pub(crate) fn for_provider(actor: &Actor) -> bool {
    allowed(actor.user.role, UseCase::Toewijzingen)
}

/// One row of the provider's worklist.
/// A line of the worklist with the name of its gemeente.
struct Row<T> {
    regel: T,
    gemeente: String,
}

#[derive(Template)]
#[template(path = "toewijzingen.html")]
struct ToewijzingenPage {
    layout: Layout,
    rows: Vec<Row<Werkregel>>,
    /// Cases sent back to the provider under the warranty of earlier help.
    garanties: Vec<GarantieRegel>,
    /// Allocations it helps with as onderaannemer.
    onderaanneming: Vec<OnderaannemerRegel>,
    /// Its requests the gemeente has yet to answer.
    verzoeken: Vec<Row<OpenVerzoek>>,
    /// What the provider last reported of its waiting time, and what was
    /// measured.
    eigen: EigenWachttijd,
    fouten: Vec<FieldError>,
    invoer: Invoer,
}

impl ToewijzingenPage {
    /// The codes with a measured wait of either kind, in order.
    fn gemeten_codes(&self) -> Vec<&Productcode> {
        let mut codes: Vec<&Productcode> = (self.eigen.gemeten.iter())
            .chain(&self.eigen.gemeten_intake)
            .map(|(code, _)| code)
            .collect();
        codes.sort_by_key(|c| c.as_str());
        codes.dedup();
        codes
    }

    fn start_van(&self, code: &Productcode) -> Option<&GemetenWachttijd> {
        (self.eigen.gemeten.iter())
            .find(|(c, _)| c == code)
            .map(|(_, g)| g)
    }

    fn intake_van(&self, code: &Productcode) -> Option<&GemetenWachttijd> {
        (self.eigen.gemeten_intake.iter())
            .find(|(c, _)| c == code)
            .map(|(_, g)| g)
    }

    /// The expected wait as the form shows it: as typed after an error, else
    /// as last reported.
    fn weken(&self) -> String {
        match self.invoer.get("wachttijd_weken") {
            Some(typed) => typed.clone(),
            None => self
                .eigen
                .melding
                .weken
                .map(|w| w.to_string())
                .unwrap_or_default(),
        }
    }

    /// Whether the opnamestop box is ticked: as sent after an error, else as
    /// last reported.
    fn opnamestop(&self) -> bool {
        if self.fouten.is_empty() {
            self.eigen.melding.opnamestop
        } else {
            self.invoer.get("opnamestop").is_some_and(|v| v == "ja")
        }
    }
}

/// The provider's worklist: every allocation to it, newest first, and its
/// waiting time as it reported it.
pub(crate) async fn toewijzingen(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
) -> Result<Html<String>, WebError> {
    werklijst(state, signed, headers, Vec::new(), Invoer::new()).await
}

async fn werklijst(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    fouten: Vec<FieldError>,
    invoer: Invoer,
) -> Result<Html<String>, WebError> {
    let app_error = |e: AppError| WebError::from_app(&e, headers);
    let Werklijst {
        toewijzingen: lines,
        garanties,
        onderaanneming,
        verzoeken,
    } = state
        .app
        .toewijzingen(&signed.actor)
        .await
        .map_err(app_error)?;
    let eigen = state
        .app
        .eigen_wachttijd(&signed.actor)
        .await
        .map_err(app_error)?;
    let gemeenten = gemeenten(state, headers).await?;
    let rows = lines
        .into_iter()
        .map(|regel| Row {
            gemeente: gemeente_name(&gemeenten, regel.line.toewijzing.gemeente.as_str()),
            regel,
        })
        .collect();
    let verzoeken = verzoeken
        .into_iter()
        .map(|regel| Row {
            gemeente: gemeente_name(&gemeenten, &regel.verzoek.gemeente_code),
            regel,
        })
        .collect();
    render(
        &ToewijzingenPage {
            layout: signed.layout(),
            garanties,
            onderaanneming,
            verzoeken,
            rows,
            eigen,
            fouten,
            invoer,
        },
        headers,
    )
}

/// The report of the form: the weeks as a number (empty for none), the
/// opnamestop as a ticked box. The number is read whole: text beyond a number
/// is refused, never cut off (the body's size bounds it).
pub(crate) fn wachttijd_invoer(invoer: &Invoer) -> Result<WachttijdInvoer, Vec<FieldError>> {
    let weken = invoer.get("wachttijd_weken").map_or("", |v| v.trim());
    let wachttijd_weken = if weken.is_empty() {
        None
    } else {
        Some(weken.parse::<i64>().map_err(|_| {
            vec![FieldError {
                field: "wachttijd_weken",
                message: "Verwachte wachttijd: geef een aantal weken in cijfers, of laat het leeg."
                    .to_owned(),
            }]
        })?)
    };
    Ok(WachttijdInvoer {
        wachttijd_weken,
        opnamestop: invoer.get("opnamestop").is_some_and(|v| v == "ja"),
    })
}

/// `POST /aanbieder/wachttijd`: the provider reports its expected wait and
/// opnamestop, then back to its worklist; or the worklist again with the error.
pub(crate) async fn wachttijd_melden(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let result = match wachttijd_invoer(&invoer) {
        Ok(melding) => state.app.wachttijd_melden(&signed.actor, &melding).await,
        Err(fouten) => Err(AppError::Fields(fouten)),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/werkvoorraad").into_response()),
        Err(AppError::Fields(fouten)) => {
            let page = werklijst(&state, &signed, &headers, fouten, invoer).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(WebError::from_app(&e, &headers)),
    }
}

/// The provider's report and measured waits as the API shows them.
fn api_melding(eigen: &EigenWachttijd) -> schema::Wachttijdmelding {
    let m = &eigen.melding;
    schema::Wachttijdmelding {
        wachttijd_weken: m.weken,
        opnamestop: m.opnamestop,
        gemeld_op: m.gemeld_op.map(rfc3339),
        gemeten: per_code(&eigen.gemeten),
        gemeten_intake: per_code(&eigen.gemeten_intake),
    }
}

fn per_code(gemeten: &[(Productcode, GemetenWachttijd)]) -> Vec<schema::GemetenPerCode> {
    (gemeten.iter())
        .map(|(code, g)| schema::GemetenPerCode {
            code: code.as_str().to_owned(),
            wachttijd: schema::GemetenWachttijd::of(g),
        })
        .collect()
}

/// What the provider last reported of its waiting time, and its waiting time
/// as measured per arrangement code.
#[utoipa::path(
    get,
    path = "/api/v1/aanbieder/wachttijd",
    tag = "aanbieder",
    responses(
        (status = 200, description = "De gemelde wachttijd en opnamestop", body = schema::Wachttijdmelding),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_wachttijd(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
) -> Result<Json<schema::Wachttijdmelding>, ApiError> {
    let eigen = state
        .app
        .eigen_wachttijd(&user.actor)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(api_melding(&eigen)))
}

/// Reports the provider's expected wait for a new client and whether it takes
/// new clients at all (opnamestop); shown beside its measured waiting time
/// wherever a provider is chosen.
#[utoipa::path(
    put,
    path = "/api/v1/aanbieder/wachttijd",
    tag = "aanbieder",
    request_body = schema::WachttijdMelden,
    responses(
        (status = 200, description = "Gemeld", body = schema::Wachttijdmelding),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets gemeld", body = schema::Fout),
    )
)]
pub(crate) async fn api_wachttijd_melden(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<schema::Wachttijdmelding>, ApiError> {
    let b: schema::WachttijdMelden = read_body(&body, "WachttijdMelden")?;
    let invoer = WachttijdInvoer {
        wachttijd_weken: b.wachttijd_weken,
        opnamestop: b.opnamestop,
    };
    let app_error = |e: AppError| ApiError::from_app(&e, &headers);
    state
        .app
        .wachttijd_melden(&user.actor, &invoer)
        .await
        .map_err(app_error)?;
    let eigen = state
        .app
        .eigen_wachttijd(&user.actor)
        .await
        .map_err(app_error)?;
    Ok(Json(api_melding(&eigen)))
}

// The provider's side of the exchange: one allocation it received, with what it
// wrote and got about it, and the forms (and JSON calls) that write its
// messages. The application decides what the provider may see and write; an
// allocation of another provider is not found.

/// `{gemeente}/{nummer}` of an allocation, as the paths carry it.
fn sleutel_van(gemeente: &str, nummer: &str) -> Option<Toewijzingsleutel> {
    let gemeente_ok = gemeente.len() == 4 && gemeente.chars().all(|c| c.is_ascii_digit());
    let nummer = nummer.parse::<i64>().ok()?;
    gemeente_ok.then(|| Toewijzingsleutel {
        gemeente: gemeente.to_owned(),
        toewijzingnummer: nummer,
    })
}

/// What each form of the allocation page writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actie {
    Start,
    Stop,
    VerzoekOmToewijzing,
    VerzoekOmWijziging,
    Declaratie,
}

impl Actie {
    fn of(path: &str) -> Option<Actie> {
        Some(match path {
            "start" => Actie::Start,
            "stop" => Actie::Stop,
            "verzoek-om-toewijzing" => Actie::VerzoekOmToewijzing,
            "verzoek-om-wijziging" => Actie::VerzoekOmWijziging,
            "declaratie" => Actie::Declaratie,
            _ => return None,
        })
    }
}

#[derive(Template)]
#[template(path = "aanbieder_toewijzing.html")]
struct ToewijzingPage {
    layout: Layout,
    gemeente: String,
    sleutel: Toewijzingsleutel,
    hulp: OntvangenHulp,
    fouten: Vec<FieldError>,
    invoer: Invoer,
}

impl ToewijzingPage {
    /// A field as the provider typed it, to show the form again.
    fn waarde(&self, veld: &str) -> &str {
        self.invoer.get(veld).map_or("", String::as_str)
    }

    /// The allocation's page, where its forms post to.
    fn basis(&self) -> String {
        format!(
            "/toewijzingen/{}/{}",
            self.sleutel.gemeente, self.sleutel.toewijzingnummer
        )
    }

    /// Dutch words for a message's state.
    fn stand(b: &AanbiederBericht) -> &'static str {
        match (b.sent_at.is_some(), b.retour_state.as_deref()) {
            (_, Some("goedgekeurd")) => "goedgekeurd",
            (_, Some(_)) => "afgekeurd",
            (true, None) => "verzonden, wacht op antwoord",
            (false, None) => "klaar om te verzenden",
        }
    }

    fn bedrag(cents: &i64) -> String {
        format!("€ {},{:02}", cents / 100, (cents % 100).abs())
    }
}

async fn toewijzing_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    sleutel: Toewijzingsleutel,
    fouten: Vec<FieldError>,
    invoer: Invoer,
) -> Result<Html<String>, WebError> {
    let hulp = state
        .app
        .ontvangen_toewijzing(&signed.actor, &sleutel)
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let gemeenten = gemeenten(state, headers).await?;
    render(
        &ToewijzingPage {
            layout: signed.layout(),
            gemeente: gemeente_name(&gemeenten, &sleutel.gemeente),
            sleutel,
            hulp,
            fouten,
            invoer,
        },
        headers,
    )
}

/// `GET /toewijzingen/{gemeente}/{nummer}`: one allocation the provider received.
pub(crate) async fn toewijzing(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path((gemeente, nummer)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let sleutel = sleutel_van(&gemeente, &nummer).ok_or_else(WebError::not_found)?;
    toewijzing_page(
        &state,
        &signed,
        &headers,
        sleutel,
        Vec::new(),
        Invoer::new(),
    )
    .await
}

/// `POST /toewijzingen/{gemeente}/{nummer}/{actie}`: writes the provider's
/// message, then back to the allocation; or the page again with the errors.
pub(crate) async fn toewijzing_actie(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path((gemeente, nummer, actie)): Path<(String, String, String)>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let sleutel = sleutel_van(&gemeente, &nummer).ok_or_else(WebError::not_found)?;
    let actie = Actie::of(&actie).ok_or_else(WebError::not_found)?;
    let result = match formulier(actie, &sleutel, &invoer) {
        Ok(bericht) => bericht.schrijf(&state, &signed.actor).await,
        Err(fouten) => Err(AppError::Fields(fouten)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/toewijzingen/{}/{}",
            sleutel.gemeente, sleutel.toewijzingnummer
        ))
        .into_response()),
        Err(AppError::Fields(fouten)) => {
            let page = toewijzing_page(&state, &signed, &headers, sleutel, fouten, invoer).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(WebError::from_app(&e, &headers)),
    }
}

/// `POST /aanbieder/berichten/{id}/verwijdering`: removes an earlier start or
/// stop (StatusAanlevering 3), then back to its allocation.
pub(crate) async fn verwijdering(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let id = id.parse::<i64>().map_err(|_| WebError::not_found())?;
    let bericht = state
        .app
        .aanbieder_verwijderen(&signed.actor, id)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    Ok(Redirect::to(&format!(
        "/toewijzingen/{}/{}",
        bericht.gemeente_code,
        bericht.toewijzing_nummer.unwrap_or_default()
    ))
    .into_response())
}

/// A provider's message as the application takes it.
enum Schrijf {
    Start(StartInvoer),
    Stop(StopInvoer),
    Vot(VerzoekOmToewijzingInvoer),
    Vow(VerzoekOmWijzigingInvoer),
    Declaratie(DeclaratieInvoer),
}

impl Schrijf {
    async fn schrijf(&self, state: &AppState, actor: &Actor) -> Result<AanbiederBericht, AppError> {
        let app = &state.app;
        match self {
            Schrijf::Start(i) => app.aanbieder_start(actor, i).await,
            Schrijf::Stop(i) => app.aanbieder_stop(actor, i).await,
            Schrijf::Vot(i) => app.verzoek_om_toewijzing(actor, i).await,
            Schrijf::Vow(i) => app.verzoek_om_wijziging(actor, i).await,
            Schrijf::Declaratie(i) => app.declareren(actor, i).await,
        }
    }
}

/// Reads a form's fields, every error by field.
pub(crate) struct Velden<'a> {
    pub invoer: &'a Invoer,
    pub fouten: Vec<FieldError>,
}

impl Velden<'_> {
    /// A field as typed, without the spaces around it. Whole: text cut short
    /// could turn a wrong value into a valid one (the body's size bounds it, and
    /// the application checks every value as it does for the JSON API).
    fn tekst(&self, veld: &str) -> String {
        self.invoer.get(veld).map_or("", |v| v.trim()).to_owned()
    }

    pub(crate) fn datum(&mut self, veld: &'static str, label: &str) -> Option<NaiveDate> {
        let text = self.tekst(veld);
        let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.fouten.push(FieldError {
                field: veld,
                message: format!("{label}: geef een datum als JJJJ-MM-DD."),
            });
        }
        parsed
    }

    fn optionele_datum(&mut self, veld: &'static str, label: &str) -> Option<NaiveDate> {
        if self.tekst(veld).is_empty() {
            return None;
        }
        self.datum(veld, label)
    }

    fn getal(&mut self, veld: &'static str, label: &str) -> i64 {
        match self.tekst(veld).parse::<i64>() {
            Ok(n) if (1..=99_999_999).contains(&n) => n,
            _ => {
                self.fouten.push(FieldError {
                    field: veld,
                    message: format!("{label}: geef een geheel getal van 1 tot en met 99999999."),
                });
                0
            }
        }
    }

    fn omvang(&mut self) -> OmvangInvoer {
        OmvangInvoer {
            volume: self.getal("volume", "Volume"),
            eenheid: self.tekst("eenheid"),
            frequentie: self.tekst("frequentie"),
        }
    }
}

/// A form of the allocation page as the application's input.
fn formulier(
    actie: Actie,
    sleutel: &Toewijzingsleutel,
    invoer: &Invoer,
) -> Result<Schrijf, Vec<FieldError>> {
    let mut v = Velden {
        invoer,
        fouten: Vec::new(),
    };
    let toewijzing = sleutel.clone();
    let schrijf = match actie {
        Actie::Start => v.datum("begindatum", "Begindatum").map(|begindatum| {
            Schrijf::Start(StartInvoer {
                toewijzing,
                begindatum,
            })
        }),
        Actie::Stop => {
            let begindatum = v.datum("begindatum", "Begindatum van de start");
            let einddatum = v.datum("einddatum", "Einddatum");
            let reden = v.tekst("reden_beeindiging");
            begindatum.zip(einddatum).map(|(begindatum, einddatum)| {
                Schrijf::Stop(StopInvoer {
                    toewijzing,
                    begindatum,
                    einddatum,
                    reden,
                })
            })
        }
        Actie::VerzoekOmToewijzing => {
            let ingangsdatum = v.datum("ingangsdatum", "Ingangsdatum");
            let einddatum = v.optionele_datum("einddatum", "Einddatum");
            let omvang = v.omvang();
            let productcode = Some(v.tekst("productcode")).filter(|c| !c.is_empty());
            ingangsdatum.map(|ingangsdatum| {
                Schrijf::Vot(VerzoekOmToewijzingInvoer {
                    toewijzing,
                    productcategorie: v.tekst("productcategorie"),
                    productcode,
                    ingangsdatum,
                    einddatum,
                    omvang,
                    verwijzer: v.tekst("verwijzer"),
                })
            })
        }
        Actie::VerzoekOmWijziging => {
            let ingangsdatum = v.datum("ingangsdatum", "Gewenste ingangsdatum");
            let einddatum = v.optionele_datum("einddatum", "Einddatum");
            let omvang = (!v.tekst("volume").is_empty()).then(|| v.omvang());
            ingangsdatum.map(|ingangsdatum| {
                Schrijf::Vow(VerzoekOmWijzigingInvoer {
                    toewijzing,
                    reden: v.tekst("reden_verzoek"),
                    ingangsdatum,
                    einddatum,
                    omvang,
                })
            })
        }
        Actie::Declaratie => {
            let begindatum = v.datum("begindatum", "Begindatum");
            let einddatum = v.datum("einddatum", "Einddatum");
            let volume = v.getal("volume", "Volume");
            let tarief = v.getal("tarief", "Tarief");
            begindatum.zip(einddatum).map(|(begindatum, einddatum)| {
                // The form declares this allocation over the month of the period.
                Schrijf::Declaratie(DeclaratieInvoer {
                    gemeente: toewijzing.gemeente.clone(),
                    begindatum: begindatum.with_day(1).unwrap_or(begindatum),
                    einddatum: last_of_month(einddatum),
                    prestaties: vec![PrestatieInvoer {
                        toewijzingnummer: toewijzing.toewijzingnummer,
                        begindatum,
                        einddatum,
                        volume,
                        tarief,
                    }],
                })
            })
        }
    };
    match schrijf {
        Some(s) if v.fouten.is_empty() => Ok(s),
        _ => Err(v.fouten),
    }
}

/// The last day of the month of `date`.
fn last_of_month(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(Months::new(1))
        .and_then(|d| d.with_day(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

// The same as JSON.

fn api_sleutel(
    gemeente: &str,
    nummer: &str,
    headers: &HeaderMap,
) -> Result<Toewijzingsleutel, ApiError> {
    sleutel_van(gemeente, nummer).ok_or_else(|| ApiError::from_app(&AppError::NotFound, headers))
}

fn api_bericht(b: &AanbiederBericht) -> schema::AanbiederBericht {
    schema::AanbiederBericht {
        id: b.id,
        berichtsoort: b.berichtsoort.clone(),
        identificatie: b.identificatie.clone(),
        toewijzingnummer: b.toewijzing_nummer,
        referentie_aanbieder: b.referentie_aanbieder.clone(),
        declaratienummer: b.declaratie_nummer.clone(),
        ingediend_bedrag: b.ingediend_bedrag,
        verwijdert: b.verwijdert_id,
        aangemaakt: rfc3339(b.created_at),
        verzonden: b.sent_at.map(rfc3339),
        retour: b.retour_state.clone(),
    }
}

async fn api_schrijf(
    state: &AppState,
    user: &ApiUser,
    headers: &HeaderMap,
    schrijf: Schrijf,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let bericht = schrijf
        .schrijf(state, &user.actor)
        .await
        .map_err(|e| ApiError::from_app(&e, headers))?;
    Ok(Json(api_bericht(&bericht)))
}

fn omvang_van(o: schema::Omvang) -> OmvangInvoer {
    OmvangInvoer {
        volume: o.volume,
        eenheid: o.eenheid,
        frequentie: o.frequentie,
    }
}

/// One allocation the provider received, with every version, what it wrote
/// about it and the answers it got.
#[utoipa::path(
    get,
    path = "/api/v1/toewijzingen/{gemeente}/{nummer}",
    tag = "aanbieder",
    params(
        ("gemeente" = String, Path, description = "CBS-code van de gemeente die toewees"),
        ("nummer" = i64, Path, description = "Het ToewijzingNummer"),
    ),
    responses(
        (status = 200, description = "De ontvangen toewijzing", body = schema::OntvangenToewijzing),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of niet aan u toegewezen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn api_toewijzing(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((gemeente, nummer)): Path<(String, String)>,
) -> Result<Json<schema::OntvangenToewijzing>, ApiError> {
    let sleutel = api_sleutel(&gemeente, &nummer, &headers)?;
    let hulp = state
        .app
        .ontvangen_toewijzing(&user.actor, &sleutel)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    let actueel = hulp
        .actueel()
        .ok_or_else(|| ApiError::from_app(&AppError::NotFound, &headers))?;
    Ok(Json(schema::OntvangenToewijzing {
        gemeente: sleutel.gemeente.clone(),
        toewijzingnummer: sleutel.toewijzingnummer,
        naam: actueel.naam.clone(),
        geboortedatum: actueel.geboortedatum,
        versies: hulp
            .versies
            .iter()
            .map(|v| schema::OntvangenVersie {
                toewijzingsdatum: v.toewijzingsdatum,
                toewijzingstijd: v.toewijzingstijd.format("%H:%M:%S").to_string(),
                ingangsdatum: v.ingangsdatum,
                einddatum: v.einddatum,
                productcategorie: v.product_categorie.clone(),
                productcode: v.product_code.clone(),
                reden_wijziging: v.reden_wijziging.clone(),
                volume: v.volume,
                eenheid: v.eenheid.clone(),
                frequentie: v.frequentie.clone(),
                referentie_aanbieder: v.referentie_aanbieder.clone(),
            })
            .collect(),
        berichten: hulp.berichten.iter().map(api_bericht).collect(),
        antwoorden: hulp
            .antwoorden
            .iter()
            .map(|a| schema::OntvangenAntwoord {
                bericht: a.bericht_id,
                berichtsoort: a.berichtsoort.clone(),
                verzoek_antwoord: a.verzoek_antwoord.clone(),
                reden_afwijzing: a.reden_afwijzing.clone(),
                woonplaats_gemeente: a.woonplaats_gemeente.clone(),
                retourcodes: a.retour_codes.clone(),
                toegekend_bedrag: a.toegekend_bedrag,
            })
            .collect(),
        prestaties: hulp
            .prestaties
            .iter()
            .map(|p| schema::GedeclareerdePrestatie {
                bericht: p.bericht_id,
                referentienummer: p.referentie_nummer.clone(),
                begindatum: p.begindatum,
                einddatum: p.einddatum,
                volume: p.geleverd_volume,
                bedrag: p.bedrag,
                status: p.status.clone(),
                retourcodes: p.retour_codes.clone(),
            })
            .collect(),
    }))
}

/// Reports the start of care (JW305) on an allocation the provider received.
#[utoipa::path(
    post,
    path = "/api/v1/toewijzingen/{gemeente}/{nummer}/start",
    tag = "aanbieder",
    params(
        ("gemeente" = String, Path, description = "CBS-code van de gemeente die toewees"),
        ("nummer" = i64, Path, description = "Het ToewijzingNummer"),
    ),
    request_body = schema::AanbiederStart,
    responses(
        (status = 200, description = "De JW305 staat klaar voor de gemeente", body = schema::AanbiederBericht),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of niet aan u toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of een regel van iJw die het bericht afkeurt", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = schema::Fout),
    )
)]
pub(crate) async fn api_start(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((gemeente, nummer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let toewijzing = api_sleutel(&gemeente, &nummer, &headers)?;
    let b: schema::AanbiederStart = read_body(&body, "AanbiederStart")?;
    let invoer = StartInvoer {
        toewijzing,
        begindatum: b.begindatum,
    };
    api_schrijf(&state, &user, &headers, Schrijf::Start(invoer)).await
}

/// Reports the end of care (JW307) on an allocation the provider received;
/// reason 20 is a temporary stop.
#[utoipa::path(
    post,
    path = "/api/v1/toewijzingen/{gemeente}/{nummer}/stop",
    tag = "aanbieder",
    params(
        ("gemeente" = String, Path, description = "CBS-code van de gemeente die toewees"),
        ("nummer" = i64, Path, description = "Het ToewijzingNummer"),
    ),
    request_body = schema::AanbiederStop,
    responses(
        (status = 200, description = "De JW307 staat klaar voor de gemeente", body = schema::AanbiederBericht),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of niet aan u toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of een regel van iJw die het bericht afkeurt", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = schema::Fout),
    )
)]
pub(crate) async fn api_stop(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((gemeente, nummer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let toewijzing = api_sleutel(&gemeente, &nummer, &headers)?;
    let b: schema::AanbiederStop = read_body(&body, "AanbiederStop")?;
    let invoer = StopInvoer {
        toewijzing,
        begindatum: b.begindatum,
        einddatum: b.einddatum,
        reden: b.reden_beeindiging,
    };
    api_schrijf(&state, &user, &headers, Schrijf::Stop(invoer)).await
}

/// Asks the gemeente for a new allocation (JW315) for the client of an
/// allocation the provider received.
#[utoipa::path(
    post,
    path = "/api/v1/toewijzingen/{gemeente}/{nummer}/verzoek-om-toewijzing",
    tag = "aanbieder",
    params(
        ("gemeente" = String, Path, description = "CBS-code van de gemeente die toewees"),
        ("nummer" = i64, Path, description = "Het ToewijzingNummer"),
    ),
    request_body = schema::VerzoekOmToewijzing,
    responses(
        (status = 200, description = "De JW315 staat klaar voor de gemeente", body = schema::AanbiederBericht),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of niet aan u toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of een regel van iJw die het bericht afkeurt", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = schema::Fout),
    )
)]
pub(crate) async fn api_verzoek_om_toewijzing(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((gemeente, nummer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let toewijzing = api_sleutel(&gemeente, &nummer, &headers)?;
    let b: schema::VerzoekOmToewijzing = read_body(&body, "VerzoekOmToewijzing")?;
    let invoer = VerzoekOmToewijzingInvoer {
        toewijzing,
        productcategorie: b.productcategorie,
        productcode: b.productcode,
        ingangsdatum: b.ingangsdatum,
        einddatum: b.einddatum,
        omvang: omvang_van(b.omvang),
        verwijzer: b.verwijzer,
    };
    api_schrijf(&state, &user, &headers, Schrijf::Vot(invoer)).await
}

/// Asks the gemeente to change an allocation the provider received (JW317).
#[utoipa::path(
    post,
    path = "/api/v1/toewijzingen/{gemeente}/{nummer}/verzoek-om-wijziging",
    tag = "aanbieder",
    params(
        ("gemeente" = String, Path, description = "CBS-code van de gemeente die toewees"),
        ("nummer" = i64, Path, description = "Het ToewijzingNummer"),
    ),
    request_body = schema::VerzoekOmWijziging,
    responses(
        (status = 200, description = "De JW317 staat klaar voor de gemeente", body = schema::AanbiederBericht),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of niet aan u toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of een regel van iJw die het bericht afkeurt", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = schema::Fout),
    )
)]
pub(crate) async fn api_verzoek_om_wijziging(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((gemeente, nummer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let toewijzing = api_sleutel(&gemeente, &nummer, &headers)?;
    let b: schema::VerzoekOmWijziging = read_body(&body, "VerzoekOmWijziging")?;
    let invoer = VerzoekOmWijzigingInvoer {
        toewijzing,
        reden: b.reden_verzoek,
        ingangsdatum: b.ingangsdatum,
        einddatum: b.einddatum,
        omvang: b.omvang.map(omvang_van),
    };
    api_schrijf(&state, &user, &headers, Schrijf::Vow(invoer)).await
}

/// Declares what the provider delivered to a gemeente's clients (JW323).
#[utoipa::path(
    post,
    path = "/api/v1/declaraties",
    tag = "aanbieder",
    request_body = schema::Declaratie,
    responses(
        (status = 200, description = "De JW323 staat klaar voor de gemeente", body = schema::AanbiederBericht),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Een toewijzing bestaat niet, of is niet aan u toegewezen", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of een regel van iJw die het bericht afkeurt", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = schema::Fout),
    )
)]
pub(crate) async fn api_declaratie(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let b: schema::Declaratie = read_body(&body, "Declaratie")?;
    let invoer = DeclaratieInvoer {
        gemeente: b.gemeente,
        begindatum: b.begindatum,
        einddatum: b.einddatum,
        prestaties: b
            .prestaties
            .into_iter()
            .map(|p| PrestatieInvoer {
                toewijzingnummer: p.toewijzingnummer,
                begindatum: p.begindatum,
                einddatum: p.einddatum,
                volume: p.volume,
                tarief: p.tarief,
            })
            .collect(),
    };
    api_schrijf(&state, &user, &headers, Schrijf::Declaratie(invoer)).await
}

/// Removes a start or stop the provider sent earlier (the same message with
/// StatusAanlevering 3).
#[utoipa::path(
    post,
    path = "/api/v1/aanbieder/berichten/{id}/verwijdering",
    tag = "aanbieder",
    params(("id" = i64, Path, description = "Het nummer van het eigen bericht (start of stop)")),
    responses(
        (status = 200, description = "De verwijdering staat klaar voor de gemeente", body = schema::AanbiederBericht),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of niet van u", body = schema::Fout),
        (status = 422, description = "Al verwijderd, zelf een verwijdering, of afgekeurd", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets verstuurd", body = schema::Fout),
    )
)]
pub(crate) async fn api_verwijdering(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<schema::AanbiederBericht>, ApiError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| ApiError::from_app(&AppError::NotFound, &headers))?;
    let bericht = state
        .app
        .aanbieder_verwijderen(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(api_bericht(&bericht)))
}
