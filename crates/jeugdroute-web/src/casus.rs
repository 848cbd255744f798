//! The access worker's pages: the worklist with its search (sent by POST, so a
//! BSN never appears in a URL), the melding form, and one case.

use std::borrow::Borrow;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use jeugdroute_app::{
    AppError, CasusView, FieldError, Invoer, NieuweMelding, NieuweOuder, Signaal, Toewijzing,
    ToewijzingWijziging, UseCase, Verloop, WerkvoorraadFilter, bepaling, corrigeerbaar, invoer_van,
    richtlijnen, voorstel,
};
use jeugdroute_domain::{
    Behoefte, Catalogue, DeadlineStatus, Determination, Fase, Gemeente, Gemeentecode, Geslacht, Gi,
    Grond, IntakeDeadline, Intensiteit, Leefgebied, MatchProposal, Oordeel, Opvoedsituatie, Ouder,
    PlanResultaat, RedenEinde, RedenWijziging, Suggestion, Urgentie, Verwijzer, Wijzigingsoort,
    amsterdam_today, short_date,
};

use crate::AppState;
use crate::auth::Signed;
use crate::error::WebError;
use crate::layout::Layout;

/// Renders a page template or fails as an internal error.
pub(crate) fn render(page: &impl Template, headers: &HeaderMap) -> Result<Html<String>, WebError> {
    page.render()
        .map(Html)
        .map_err(|e| WebError::internal(&e, headers))
}

/// The message of the error on `field`, for the text beside that field.
pub(crate) fn fout_in<'a>(fouten: &'a [FieldError], field: &str) -> Option<&'a str> {
    fouten
        .iter()
        .find(|f| f.field == field)
        .map(|f| f.message.as_str())
}

/// The gemeenten of the region, for names beside codes (no personal data).
pub(crate) async fn gemeenten(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Vec<Gemeente>, WebError> {
    Ok(state
        .app
        .regio_overview()
        .await
        .map_err(|e| WebError::from_app(&e, headers))?
        .map(|o| o.gemeenten)
        .unwrap_or_default())
}

pub(crate) fn gemeente_name(gemeenten: &[Gemeente], code: &str) -> String {
    gemeenten
        .iter()
        .find(|g| g.code.as_str() == code)
        .map_or_else(|| code.to_owned(), |g| g.name.clone())
}

/// One row of the worklist.
pub(crate) struct Row {
    id: i64,
    name: String,
    gemeente: String,
    fase: &'static str,
    urgentie: Urgentie,
    ontvangen: String,
    signaal: Option<SignaalCel>,
    bericht_afgekeurd: bool,
}

/// The signal of a row in words, with a badge when it needs attention: never
/// by colour alone.
pub(crate) struct SignaalCel {
    /// The badge's modifier class and its text.
    badge: Option<(&'static str, &'static str)>,
    tekst: String,
}

impl SignaalCel {
    fn of(signaal: &Signaal) -> SignaalCel {
        let due = short_date(signaal.deadline.due);
        let (badge, tekst) = match signaal.status {
            DeadlineStatus::OnTime => (None, format!("Intake uiterlijk {due}")),
            DeadlineStatus::Signal => (
                Some(("signaal", "Intake bijna te laat")),
                format!("Intake uiterlijk {due}"),
            ),
            DeadlineStatus::Overdue => (
                Some(("verlopen", "Termijn verlopen")),
                format!("Intake had uiterlijk {due} moeten zijn"),
            ),
        };
        SignaalCel { badge, tekst }
    }
}

#[derive(Template)]
#[template(path = "werkvoorraad.html")]
struct WerkvoorraadPage {
    layout: Layout,
    zoek: String,
    filter: FilterForm,
    /// The user's own gemeenten, the only ones to filter on.
    gemeenten: Vec<Gemeente>,
    rows: Vec<Row>,
    /// The cursor of the next page, when there are older cases.
    volgende: Option<i64>,
}

/// One select of the filter form: its name, label, "all" option, the value
/// chosen and the options as (value, text).
pub(crate) struct Keuzelijst {
    name: &'static str,
    label: &'static str,
    alle: &'static str,
    gekozen: String,
    opties: Vec<(String, String)>,
}

impl WerkvoorraadPage {
    fn keuzelijsten(&self) -> [Keuzelijst; 3] {
        let opties = |pairs: &mut dyn Iterator<Item = (&str, &str)>| {
            pairs.map(|(v, t)| (v.to_owned(), t.to_owned())).collect()
        };
        [
            Keuzelijst {
                name: "fase",
                label: "Stap",
                alle: "Alle stappen",
                gekozen: self.filter.fase.clone(),
                opties: opties(&mut Fase::ALL.iter().map(|f| (f.key(), f.label()))),
            },
            Keuzelijst {
                name: "gemeente",
                label: "Gemeente",
                alle: "Al mijn gemeenten",
                gekozen: self.filter.gemeente.clone(),
                opties: opties(
                    &mut self
                        .gemeenten
                        .iter()
                        .map(|g| (g.code.as_str(), g.name.as_str())),
                ),
            },
            Keuzelijst {
                name: "urgentie",
                label: "Urgentie",
                alle: "Alle",
                gekozen: self.filter.urgentie.clone(),
                opties: opties(&mut Urgentie::ALL.iter().map(|u| (u.key(), u.label()))),
            },
        ]
    }
}

/// The worklist's filters as the GET form sends them; none is personal data.
/// A value that is not one of the options is read as "all".
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct FilterForm {
    fase: String,
    gemeente: String,
    urgentie: String,
    signaal: String,
    /// The page: cases older than this one (the cursor, not personal data).
    voor: String,
}

impl FilterForm {
    pub(crate) fn filter(&self) -> WerkvoorraadFilter {
        WerkvoorraadFilter {
            fase: self.fase.parse().ok(),
            gemeente: Gemeentecode::parse(&self.gemeente).ok(),
            urgentie: self.urgentie.parse().ok(),
            alleen_signaal: !self.signaal.is_empty(),
        }
    }

    fn is_set(&self) -> bool {
        self.filter() != WerkvoorraadFilter::default()
    }

    /// The cursor asked for; anything but a positive number is the first page.
    fn voor(&self) -> Option<i64> {
        self.voor.parse().ok().filter(|v| *v > 0)
    }

    /// The valid filters as a query string ending in `&`, for the link to the
    /// next page: only known keys and digits, so nothing needs escaping.
    fn query(&self) -> String {
        let f = self.filter();
        let mut query = String::new();
        let mut add = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                query.push_str(&format!("{name}={value}&"));
            }
        };
        add("fase", f.fase.map(|x| x.key()));
        add("gemeente", f.gemeente.as_ref().map(Gemeentecode::as_str));
        add("urgentie", f.urgentie.map(|x| x.key()));
        add("signaal", f.alleen_signaal.then_some("ja"));
        query
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ZoekForm {
    csrf: String,
    zoek: String,
    #[serde(flatten)]
    pub(crate) filter: FilterForm,
}

async fn werkvoorraad_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    zoek: &str,
    filter: FilterForm,
) -> Result<Html<String>, WebError> {
    let pagina = state
        .app
        .werkvoorraad(
            &signed.actor,
            Some(zoek),
            &filter.filter(),
            filter.voor(),
            amsterdam_today(Utc::now()),
        )
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let gemeenten = gemeenten(state, headers).await?;
    let rows = pagina
        .regels
        .into_iter()
        .map(|regel| Row {
            id: regel.casus.id,
            name: format!("{} {}", regel.first_names, regel.surname),
            gemeente: gemeente_name(&gemeenten, regel.casus.gemeente.as_str()),
            fase: regel.casus.phase.label(),
            urgentie: regel.casus.melding.urgentie,
            ontvangen: short_date(amsterdam_today(regel.casus.created_at)),
            signaal: regel.signaal.as_ref().map(SignaalCel::of),
            bericht_afgekeurd: regel.bericht_afgekeurd,
        })
        .collect();
    let page = WerkvoorraadPage {
        layout: signed.layout(),
        zoek: zoek.to_owned(),
        filter,
        gemeenten: own(gemeenten, signed),
        rows,
        volgende: pagina.volgende,
    };
    render(&page, headers)
}

/// The gemeenten of the region the user works for.
fn own(gemeenten: Vec<Gemeente>, signed: &Signed) -> Vec<Gemeente> {
    gemeenten
        .into_iter()
        .filter(|g| signed.current.user.gemeenten.contains(&g.code))
        .collect()
}

/// `GET /werkvoorraad`: the user's cases, newest first, with the filters of
/// the query; a provider's worklist for a provider.
pub(crate) async fn werkvoorraad(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Query(filter): Query<FilterForm>,
) -> Result<Html<String>, WebError> {
    if crate::aanbieder::for_provider(&signed.actor) {
        return crate::aanbieder::toewijzingen(&state, &signed, &headers).await;
    }
    werkvoorraad_page(&state, &signed, &headers, "", filter).await
}

/// `POST /werkvoorraad`: the worklist searched by BSN or name.
pub(crate) async fn werkvoorraad_zoeken(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<ZoekForm>,
) -> Result<Html<String>, WebError> {
    signed.check_csrf(&form.csrf)?;
    werkvoorraad_page(&state, &signed, &headers, &form.zoek, form.filter).await
}

#[derive(Template)]
#[template(path = "melding.html")]
struct MeldingPage {
    layout: Layout,
    melding: NieuweMelding,
    fouten: Vec<FieldError>,
    gemeenten: Vec<Gemeente>,
    gis: Vec<Gi>,
    /// Open cases of the youth, when the melding was refused for them.
    open_casussen: Vec<i64>,
}

impl MeldingPage {
    /// The error of one field, for the message beside it.
    fn fout(&self, field: &str) -> Option<&str> {
        fout_in(&self.fouten, field)
    }

    fn verwijzers(&self) -> &'static [Verwijzer] {
        &Verwijzer::ALL
    }

    fn urgenties(&self) -> &'static [Urgentie] {
        &Urgentie::ALL
    }

    fn geslachten(&self) -> &'static [Geslacht] {
        Geslacht::ALL
    }

    fn gronden(&self) -> &'static [Grond] {
        Grond::ALL
    }

    /// The form's lines for parents and carers: those typed, and empty ones up
    /// to [`OUDER_REGELS`].
    fn ouder_regels(&self) -> Vec<(usize, NieuweOuder)> {
        (1..=OUDER_REGELS)
            .map(|i| {
                let ouder = self.melding.ouders.get(i - 1).cloned().unwrap_or_default();
                (i, ouder)
            })
            .collect()
    }
}

/// How many parents or carers the melding form offers lines for.
const OUDER_REGELS: usize = 2;

/// The melding form as the browser sends it: flat text fields, the parents as
/// `ouder_1_naam` … and ticked boxes as present.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct MeldingForm {
    csrf: String,
    bsn: String,
    voornamen: String,
    achternaam: String,
    geboortedatum: String,
    geslacht: String,
    gemeente: String,
    straat: String,
    huisnummer: String,
    postcode: String,
    woonplaats: String,
    verblijf_sinds: String,
    postcode_voor_verblijf: String,
    vraag: String,
    ouder_1_naam: String,
    ouder_1_telefoon: String,
    ouder_1_email: String,
    ouder_1_gezag: Option<String>,
    ouder_2_naam: String,
    ouder_2_telefoon: String,
    ouder_2_email: String,
    ouder_2_gezag: Option<String>,
    vindplaats: String,
    verwijzer: String,
    verwijzer_naam: String,
    urgentie: String,
    kader: String,
    gi: String,
    tweede_casus: Option<String>,
    /// Only when the melding is corrected: why.
    pub(crate) reden: String,
}

impl MeldingForm {
    pub(crate) fn melding(self) -> NieuweMelding {
        let ouder = |naam, telefoon, email, gezag: Option<String>| NieuweOuder {
            naam,
            telefoon,
            email,
            gezag: gezag.is_some(),
        };
        NieuweMelding {
            bsn: self.bsn,
            voornamen: self.voornamen,
            achternaam: self.achternaam,
            geboortedatum: self.geboortedatum,
            geslacht: self.geslacht,
            gemeente: self.gemeente,
            straat: self.straat,
            huisnummer: self.huisnummer,
            postcode: self.postcode,
            woonplaats: self.woonplaats,
            verblijf_sinds: self.verblijf_sinds,
            postcode_voor_verblijf: self.postcode_voor_verblijf,
            vraag: self.vraag,
            ouders: vec![
                ouder(
                    self.ouder_1_naam,
                    self.ouder_1_telefoon,
                    self.ouder_1_email,
                    self.ouder_1_gezag,
                ),
                ouder(
                    self.ouder_2_naam,
                    self.ouder_2_telefoon,
                    self.ouder_2_email,
                    self.ouder_2_gezag,
                ),
            ],
            vindplaats: self.vindplaats,
            verwijzer: self.verwijzer,
            verwijzer_naam: self.verwijzer_naam,
            urgentie: self.urgentie,
            kader: self.kader,
            gi: self.gi,
            tweede_casus: self.tweede_casus.is_some(),
        }
    }
}

async fn melding_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    melding: NieuweMelding,
    fouten: Vec<FieldError>,
    open_casussen: Vec<i64>,
) -> Result<Html<String>, WebError> {
    let overview = state
        .app
        .regio_overview()
        .await
        .map_err(|e| WebError::from_app(&e, headers))?;
    let (gemeenten, gis) = overview.map(|o| (o.gemeenten, o.gis)).unwrap_or_default();
    let page = MeldingPage {
        layout: signed.layout(),
        melding,
        fouten,
        gemeenten: own(gemeenten, signed),
        gis,
        open_casussen,
    };
    render(&page, headers)
}

/// `GET /meldingen/nieuw`: the empty melding form.
pub(crate) async fn nieuwe_melding(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    state
        .app
        .require(&signed.actor, UseCase::NieuweMelding, "melding.formulier")
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    let melding = NieuweMelding {
        urgentie: Urgentie::Regulier.key().into(),
        // A GI worker registers in the forced framework of its own GI.
        gi: signed
            .actor
            .user
            .gi
            .as_ref()
            .map(|gi| gi.as_str().to_owned())
            .unwrap_or_default(),
        ..NieuweMelding::default()
    };
    Ok(
        melding_page(&state, &signed, &headers, melding, Vec::new(), Vec::new())
            .await?
            .into_response(),
    )
}

/// `POST /meldingen/nieuw`: registers the melding and opens its case, or shows
/// the form again with every field error.
pub(crate) async fn melding_opslaan(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<MeldingForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    let melding = form.melding();
    let (status, fouten, open) = match state.app.nieuwe_melding(&signed.actor, &melding).await {
        Ok(id) => return Ok(Redirect::to(&format!("/casussen/{id}")).into_response()),
        Err(AppError::Fields(fouten)) => (StatusCode::UNPROCESSABLE_ENTITY, fouten, Vec::new()),
        Err(AppError::OpenCasus(open)) => (
            StatusCode::CONFLICT,
            vec![crate::error::open_casus_fout(&open)],
            open,
        ),
        Err(e) => return Err(WebError::from_app(&e, &headers)),
    };
    let page = melding_page(&state, &signed, &headers, melding, fouten, open).await?;
    Ok((status, page).into_response())
}

#[derive(Template)]
#[template(path = "casus.html")]
struct CasusPage {
    layout: Layout,
    view: CasusView,
    verloop: Verloop,
    gemeente: String,
    invoer: Invoer,
    fouten: Vec<FieldError>,
    bepaling: Option<Determination>,
    /// The intensity proposal from the ticked guidelines of step 4.
    voorstel: Option<Suggestion>,
    catalogue: Catalogue,
    intake: Option<IntakeDeadline>,
    /// The GI that holds the regie in the forced framework.
    gi_naam: Option<String>,
    /// The step whose correction form was sent back with errors.
    correctie: Option<Fase>,
}

impl CasusPage {
    fn gi_naam(&self) -> Option<&str> {
        self.gi_naam.as_deref()
    }

    /// Whether the assessment after crisis help is overdue today.
    fn beoordeling_te_laat(&self) -> bool {
        self.verloop
            .beoordeling
            .is_some_and(|b| b.status(amsterdam_today(Utc::now())) == DeadlineStatus::Overdue)
    }

    /// Whether the page offers a correction of this step.
    fn corrigeerbaar(&self, stap: impl Borrow<Fase>) -> bool {
        corrigeerbaar(self.view.casus.phase, *stap.borrow())
    }

    fn correctie_open(&self, stap: impl Borrow<Fase>) -> bool {
        self.correctie == Some(*stap.borrow())
    }

    /// The error of a correction's reason, in the form that was sent.
    fn correctie_fout(&self, stap: impl Borrow<Fase>) -> Option<&str> {
        self.correctie
            .filter(|c| c == stap.borrow())
            .and_then(|_| self.fout("reden"))
    }

    /// The error of a field of the melding's correction form, when that was sent.
    fn melding_fout(&self, field: &str) -> Option<&str> {
        self.correctie
            .filter(|c| *c == Fase::Melding)
            .and_then(|_| self.fout(field))
    }

    /// Line `i` (from 1) of the parents in the melding's correction form.
    fn melding_ouder(&self, i: &usize) -> Ouder {
        self.view
            .ouders
            .get(i.saturating_sub(1))
            .cloned()
            .unwrap_or(Ouder {
                naam: String::new(),
                telefoon: None,
                email: None,
                gezag: false,
            })
    }

    fn alle_verwijzers(&self) -> &'static [Verwijzer] {
        &Verwijzer::ALL
    }

    /// The name of a provider of this case (the one matched), else its code.
    fn aanbieder_naam(&self, agb: &str) -> String {
        self.verloop
            .dossier
            .match_en_intake
            .as_ref()
            .filter(|m| m.aanbieder.as_str() == agb)
            .map_or_else(|| agb.to_owned(), |m| m.aanbieder_name.clone())
    }

    /// Result `n` (from 1) of the perspectiefplan, as a goal names it.
    fn plan_resultaat(&self, n: &usize) -> &str {
        let resultaten = self.verloop.dossier.plan.as_ref().map(|p| &p.resultaten);
        n.checked_sub(1)
            .and_then(|i| resultaten.and_then(|r| r.get(i)))
            .map_or("", |r| r.omschrijving.as_str())
    }

    fn fout(&self, field: &str) -> Option<&str> {
        fout_in(&self.fouten, field)
    }

    fn waarde(&self, field: &str) -> &str {
        self.invoer.get(field).map_or("", String::as_str)
    }

    fn aangevinkt(&self, field: &str) -> bool {
        self.invoer.get(field).is_some_and(|v| !v.is_empty())
    }

    fn opvoedsituaties(&self) -> &'static [Opvoedsituatie] {
        Opvoedsituatie::ALL
    }

    fn leefgebieden(&self) -> &'static [Leefgebied] {
        Leefgebied::ALL
    }

    fn oordelen(&self) -> &'static [Oordeel] {
        Oordeel::ALL
    }

    fn redenen_einde(&self) -> &'static [RedenEinde] {
        RedenEinde::ALL
    }

    /// The results of the perspectiefplan, numbered from 1, which the
    /// evaluation judges.
    fn plan_resultaten(&self) -> Vec<(usize, &PlanResultaat)> {
        let resultaten = self.verloop.dossier.plan.as_ref().map(|p| &p.resultaten);
        (1..).zip(resultaten.into_iter().flatten()).collect()
    }

    /// How the help ended and until when the warranty runs, in words.
    fn afsluiting(&self) -> Option<String> {
        let e = self.verloop.dossier.evaluatie.as_ref()?;
        Some(crate::tijd::afsluiting(e))
    }

    fn voortgang_open(&self) -> bool {
        jeugdroute_app::voortgang_open(self.view.casus.phase)
    }

    /// Since when the case is at its step: its last step, else its melding.
    fn fase_sinds(&self) -> String {
        let at = self
            .verloop
            .steps
            .last()
            .map_or(self.view.casus.created_at, |s| s.at);
        crate::tijd::tijdstip(&at)
    }

    fn behoeften(&self) -> &'static [Behoefte] {
        Behoefte::ALL
    }

    fn intensiteiten(&self) -> &'static [Intensiteit] {
        &Intensiteit::ALL
    }

    /// The intensities that need the segment check (step 5a), e.g. "zwaar en chronisch".
    fn segment_check_names(&self) -> String {
        let names: Vec<String> = self
            .catalogue
            .intensiteiten()
            .iter()
            .filter(|r| r.segment_check)
            .map(|r| r.name.to_lowercase())
            .collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} en {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    fn wijzigingsoorten(&self) -> &'static [Wijzigingsoort] {
        Wijzigingsoort::ALL
    }

    fn redenen_intrekken(&self) -> &'static [RedenWijziging] {
        &RedenWijziging::INTREKKEN
    }

    /// The heading of the error summary: which form was not taken.
    fn fouten_kop(&self) -> &'static str {
        if self.invoer.contains_key("soort") {
            "De wijziging is nog niet verstuurd"
        } else {
            "Deze stap is nog niet opgeslagen"
        }
    }

    /// The allocation the change form is for: the newest, unless it was removed.
    fn te_wijzigen(&self) -> Option<&Toewijzing> {
        self.verloop
            .toewijzingen
            .last()
            .filter(|t| t.reden_wijziging.as_deref() != Some(RedenWijziging::Verwijderd.code()))
    }

    /// The change a message in the outbox carried, if it was one.
    fn wijziging_van(&self, outbox_id: &i64) -> Option<&ToewijzingWijziging> {
        self.verloop
            .wijzigingen
            .iter()
            .find(|w| w.outbox_id == *outbox_id)
    }

    /// A JZ002 code with its meaning, as people read it.
    fn reden(&self, code: &str) -> String {
        code.parse::<RedenWijziging>()
            .map_or_else(|_| code.to_owned(), |r| format!("{code} {}", r.label()))
    }
}

/// The dates the match form proposes today (the Dutch date): working days, as
/// the domain's [`MatchProposal`] says.
fn proposal() -> MatchProposal {
    MatchProposal::on(amsterdam_today(Utc::now()))
}

/// What a case's forms start with: the proposed dates of the match (help for a
/// year from its start), and the current Einddatum of the allocation for the
/// change form.
fn defaults(fase: Fase, verloop: &Verloop) -> Invoer {
    let p = proposal();
    // Crisis help starts today; regular help on the proposed start.
    let start = if fase == Fase::Melding {
        amsterdam_today(Utc::now())
    } else {
        p.start_date
    };
    let mut invoer: Invoer = [
        ("match_datum", p.match_date),
        ("intake_datum", p.intake_date),
        ("ingangsdatum", start),
        ("einddatum", p.start_date + chrono::Days::new(364)),
    ]
    .into_iter()
    .map(|(k, d)| (k.to_owned(), d.to_string()))
    .collect();
    if let Some(t) = verloop.toewijzingen.last() {
        invoer.insert("einddatum".into(), t.end_date.to_string());
        invoer.insert(
            "reden".into(),
            RedenWijziging::HerbeoordelingVerkorting.code().into(),
        );
    }
    invoer
}

/// A number in a path (a case, an allocation); anything else is not found.
pub(crate) fn case_id(id: &str) -> Result<i64, WebError> {
    id.parse::<i64>().map_err(|_| WebError::not_found())
}

async fn casus_page(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    id: i64,
    invoer: Invoer,
    mut fouten: Vec<FieldError>,
    bepaling: Option<Determination>,
) -> Result<Html<String>, WebError> {
    let app_error = |e| WebError::from_app(&e, headers);
    let view = state
        .app
        .casus(&signed.actor, id)
        .await
        .map_err(app_error)?;
    let verloop = state
        .app
        .verloop(&signed.actor, &view)
        .await
        .map_err(app_error)?;
    let (gemeenten, gis) = state
        .app
        .regio_overview()
        .await
        .map_err(app_error)?
        .map(|o| (o.gemeenten, o.gis))
        .unwrap_or_default();
    let gi_naam = view.casus.melding.kader.gi().map(|agb| {
        gis.iter()
            .find(|g| &g.agb == agb)
            .map_or_else(|| agb.to_string(), |g| g.name.clone())
    });
    // A form sent back keeps what was typed; otherwise the forms start from
    // the proposals and from what the dossier recorded (for corrections).
    let correctie = invoer
        .get("stap")
        .and_then(|stap| stap.parse::<Fase>().ok());
    let invoer = if invoer.is_empty() {
        let mut start = defaults(view.casus.phase, &verloop);
        start.extend(invoer_van(&verloop.dossier));
        start
    } else {
        invoer
    };
    let intake = NaiveDate::parse_from_str(
        invoer.get("match_datum").map_or("", String::as_str),
        "%Y-%m-%d",
    )
    .ok()
    .or_else(|| Some(proposal().match_date))
    .map(IntakeDeadline::after_match);
    let voorstel = match voorstel(&state.app, &richtlijnen(&invoer)) {
        Ok(voorstel) => voorstel,
        Err(AppError::Fields(f)) => {
            fouten.extend(f);
            None
        }
        Err(e) => return Err(app_error(e)),
    };
    let page = CasusPage {
        layout: signed.layout(),
        gemeente: gemeente_name(&gemeenten, view.casus.gemeente.as_str()),
        view,
        verloop,
        invoer,
        fouten,
        bepaling,
        voorstel,
        catalogue: state.app.catalogue().clone(),
        intake,
        gi_naam,
        correctie,
    };
    render(&page, headers)
}

/// `GET /casussen/{id}`: one case with its route and the form of its current
/// step (for a provider: what was allocated to it), or "not found" for a case
/// out of reach.
pub(crate) async fn casus(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    if crate::aanbieder::for_provider(&signed.actor) {
        return crate::behandeling::casus(&state, &signed, &headers, case_id(&id)?).await;
    }
    casus_page(
        &state,
        &signed,
        &headers,
        case_id(&id)?,
        Invoer::new(),
        Vec::new(),
        None,
    )
    .await
}

/// `POST /casussen/{id}/stap`: the form of the current step. With
/// `actie=bepalen` it only shows the determination (bemiddeling, without
/// JavaScript); otherwise it takes the step, or shows the form with its errors.
pub(crate) async fn stap(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let id = case_id(&id)?;
    if invoer.get("actie").map(String::as_str) == Some("bepalen") {
        let (bepaling, fouten) = match bepaling(&state.app, &invoer) {
            Ok(d) => (Some(d), Vec::new()),
            Err(AppError::Fields(f)) => (None, f),
            Err(e) => return Err(WebError::from_app(&e, &headers)),
        };
        return Ok(
            casus_page(&state, &signed, &headers, id, invoer, fouten, bepaling)
                .await?
                .into_response(),
        );
    }
    let result = state.app.stap(&signed.actor, id, &invoer).await.map(|_| ());
    answer(&state, &signed, &headers, id, invoer, result).await
}

/// `POST /casussen/{id}/correctie`: corrects an earlier step (form field
/// `stap`) with its fields and a reason, or shows the page again with the errors.
pub(crate) async fn correctie(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let id = case_id(&id)?;
    let stap = invoer
        .get("stap")
        .and_then(|stap| stap.parse::<Fase>().ok())
        .ok_or_else(|| {
            WebError::from_app(
                &AppError::Invalid("geef de stap die u corrigeert".into()),
                &headers,
            )
        })?;
    let result = state.app.corrigeren(&signed.actor, id, stap, &invoer).await;
    answer(&state, &signed, &headers, id, invoer, result).await
}

/// `POST /casussen/{id}/melding`: corrects the melding (its question, where it
/// came in, who refers, the parents) with a reason, or shows the page again.
pub(crate) async fn melding_correctie(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<MeldingForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    let id = case_id(&id)?;
    let reden = form.reden.clone();
    let melding = form.melding();
    let result = state
        .app
        .melding_corrigeren(&signed.actor, id, &melding, &reden)
        .await;
    let invoer: Invoer = [("stap".to_owned(), Fase::Melding.key().to_owned())].into();
    answer(&state, &signed, &headers, id, invoer, result).await
}

/// After a form of the case page: back to the case, or the page again with the
/// form's field errors.
pub(crate) async fn answer(
    state: &AppState,
    signed: &Signed,
    headers: &HeaderMap,
    id: i64,
    invoer: Invoer,
    result: Result<(), AppError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/casussen/{id}")).into_response()),
        Err(AppError::Fields(fouten)) => {
            let bepaling = bepaling(&state.app, &invoer).ok();
            let page = casus_page(state, signed, headers, id, invoer, fouten, bepaling).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(WebError::from_app(&e, headers)),
    }
}

/// `POST /casussen/{id}/toewijzing/{nummer}`: changes a sent allocation
/// (intrekken, verwijderen, administratieve correctie) with a new JW301.
pub(crate) async fn toewijzing_wijzigen(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path((id, nummer)): Path<(String, String)>,
    Form(invoer): Form<Invoer>,
) -> Result<Response, WebError> {
    signed.check_csrf(invoer.get("csrf").map_or("", String::as_str))?;
    let (id, nummer) = (case_id(&id)?, case_id(&nummer)?);
    let result = state
        .app
        .toewijzing_wijzigen(&signed.actor, id, nummer, &invoer)
        .await
        .map(|_| ());
    answer(&state, &signed, &headers, id, invoer, result).await
}

/// `GET /casussen/{id}/beschikking.pdf`: the decision letter (audit-logged).
pub(crate) async fn beschikking_pdf(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (kenmerk, pdf) = state
        .app
        .beschikking_downloaden(&signed.actor, case_id(&id)?)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"beschikking-{kenmerk}.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

/// `GET /casussen/{id}/jw301.xml`: the allocation message as sent.
pub(crate) async fn jw301(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let xml = state
        .app
        .jw301_van(&signed.actor, case_id(&id)?)
        .await
        .map_err(|e| WebError::from_app(&e, &headers))?;
    Ok(xml_response(xml))
}

/// An iJw message as a response.
pub(crate) fn xml_response(xml: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        xml,
    )
        .into_response()
}
