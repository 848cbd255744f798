//! The JSON API under `/api/v1`: the same use cases as the pages, for the
//! systems of gemeenten and providers. Input is read strictly (unknown fields and
//! values that are not text are refused by name), errors are JSON naming the
//! field, and the contract is the OpenAPI document at `/api/v1/openapi.json`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jeugdroute_app::{
    AanbiederKeuze, CasusView, FieldError, GarantieRegel, Garantiezaak, Invoer, NieuweMelding,
    OnderaannemerRegel, OpenVerzoek, ToegewezenCasus, Verloop, Voortgang, Werkregel,
    WerkvoorraadFilter, WerkvoorraadRegel,
};
use jeugdroute_domain::{
    DeadlineStatus, Evaluatie, Fase, Gemeentecode, Outcome, PlanResultaat, amsterdam_today, rfc3339,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::aanbieder::for_provider;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::{AppState, openapi, schema};

/// Reads a JSON body: it must fit the component schema `schema` of the OpenAPI
/// document (every field that does not is named, 422), and is then read as `T`
/// with `null` counting as absent.
pub(crate) fn read_body<T: DeserializeOwned>(body: &Bytes, schema: &str) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("geen geldige JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::bad_request("verwacht een JSON-object"));
    }
    let errors = openapi::check(schema, &value);
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    serde_path_to_error::deserialize(without_nulls(value)).map_err(|e| {
        let field = e.path().to_string();
        ApiError::bad_request(format!("onleesbare invoer bij '{field}': {}", e.inner()))
    })
}

/// A value with every `null` field of its objects left out, and whole numbers
/// written as 2.0 read as 2.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        // JSON Schema counts 2.0 as an integer; serde reads it only as 2.
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        other => other,
    }
}

/// A number in a path (a case, an allocation); anything else is not found.
pub(crate) fn number(text: &str, headers: &HeaderMap) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .map_err(|_| ApiError::from_app(&jeugdroute_app::AppError::NotFound, headers))
}

/// A mirror enum from a domain key; a key the mirror lacks is an internal error.
pub(crate) fn mirrored<T: DeserializeOwned>(key: &str) -> Result<T, ApiError> {
    serde_json::from_value(Value::String(key.to_owned()))
        .map_err(|e| ApiError::internal(&format_args!("no API value for '{key}': {e}")))
}

/// A provider to choose from at match en intake, with its waiting time and,
/// when that is longer than the intake deadline, the warning.
pub(crate) fn keuze(k: &AanbiederKeuze) -> schema::AanbiederKeuze {
    schema::AanbiederKeuze {
        agb: k.aanbieder.agb.as_str().to_owned(),
        naam: k.aanbieder.name.clone(),
        plaats: k.aanbieder.city.clone(),
        gemeten_wachttijd: k.gemeten.as_ref().map(schema::GemetenWachttijd::of),
        gemeten_wachttijd_intake: (k.gemeten_intake.as_ref()).map(schema::GemetenWachttijd::of),
        wachttijd_weken: k.gemeld.weken,
        opnamestop: k.gemeld.opnamestop,
        wachttijd_gemeld_op: k.gemeld.gemeld_op.map(rfc3339),
        waarschuwing: k.waarschuwing.map(|w| schema::Wachttijdwaarschuwing {
            wachttijd_weken: w.wachttijd_weken,
            intaketermijn_weken: w.intake_weken,
            tekst: w.message(),
        }),
        garantiezaken: k.garantiezaken,
    }
}

/// The dossier as the API shows it.
fn dossier(d: &jeugdroute_domain::Dossier) -> Result<schema::Dossier, ApiError> {
    Ok(schema::Dossier {
        vraagverheldering: d
            .vraagverheldering
            .as_ref()
            .map(|v| -> Result<_, ApiError> {
                Ok(schema::VraagverhelderingInfo {
                    opvoedsituatie: mirrored(v.opvoedsituatie.key())?,
                    leefgebieden: v
                        .leefgebieden
                        .iter()
                        .map(|l| mirrored(l.key()))
                        .collect::<Result<_, _>>()?,
                    netwerk: v.netwerk.clone(),
                    vraag: v.vraag.clone(),
                })
            })
            .transpose()?,
        gezinsanalyse: d
            .gezinsanalyse
            .as_ref()
            .map(|g| -> Result<_, ApiError> {
                Ok(schema::GezinsanalyseInfo {
                    behoefte: mirrored(g.behoefte.key())?,
                    vrij_toegankelijk: g.vrij_toegankelijk.clone(),
                })
            })
            .transpose()?,
        plan: d
            .plan
            .as_ref()
            .map(|p| -> Result<_, ApiError> {
                Ok(schema::PlanInfo {
                    regie: mirrored(p.regie.key())?,
                    familiegroepsplan: p.familiegroepsplan,
                    resultaten: p
                        .resultaten
                        .iter()
                        .map(resultaat)
                        .collect::<Result<_, ApiError>>()?,
                })
            })
            .transpose()?,
        bemiddeling: d
            .bemiddeling
            .as_ref()
            .map(|b| -> Result<_, ApiError> {
                Ok(schema::BemiddelingInfo {
                    arrangement: b.arrangement,
                    arrangement_naam: b.arrangement_name.clone(),
                    intensiteit: mirrored(b.intensiteit.key())?,
                    productcode: b.productcode.as_str().to_owned(),
                    redenen: b.reasons.clone(),
                    catalogus: b.catalogue_version.clone(),
                })
            })
            .transpose()?,
        match_en_intake: d
            .match_en_intake
            .as_ref()
            .map(|m| -> Result<_, ApiError> {
                Ok(schema::MatchInfo {
                    aanbieder: m.aanbieder.as_str().to_owned(),
                    aanbieder_naam: m.aanbieder_name.clone(),
                    gekozen_door: mirrored(m.gekozen_door.key())?,
                    match_datum: m.match_date,
                    intake_datum: m.intake_date,
                    ingangsdatum: m.start_date,
                    einddatum: m.end_date,
                })
            })
            .transpose()?,
        beschikking: d.beschikking.as_ref().map(|b| schema::BeschikkingInfo {
            kenmerk: b.kenmerk.clone(),
            datum: b.decided_on,
        }),
        evaluatie: d.evaluatie.as_ref().map(evaluatie).transpose()?,
    })
}

/// The evaluation that closed the help.
pub(crate) fn evaluatie(e: &Evaluatie) -> Result<schema::EvaluatieInfo, ApiError> {
    let reden = schema::RedenEinde::ALL
        .iter()
        .find(|r| r.code() == e.reden().key())
        .copied()
        .ok_or_else(|| ApiError::internal(&format_args!("no API reason {}", e.reden().key())))?;
    Ok(schema::EvaluatieInfo {
        oordelen: (e.oordelen().iter())
            .map(|o| {
                Ok(schema::ResultaatOordeel {
                    oordeel: mirrored(o.oordeel.key())?,
                    gezin: Some(o.gezin.clone()).filter(|g| !g.is_empty()),
                })
            })
            .collect::<Result<_, ApiError>>()?,
        reden_einde: reden,
        einddatum: e.einddatum(),
        garantie_tot: e.garantie_tot(),
    })
}

/// A progress note.
pub(crate) fn voortgang(v: &Voortgang) -> schema::VoortgangInfo {
    schema::VoortgangInfo {
        auteur: v.auteur.clone(),
        namens: v.namens.clone(),
        aanbieder: v.aanbieder_agb.clone(),
        tekst: v.tekst.clone(),
        geschreven_op: rfc3339(v.geschreven_op),
    }
}

/// The whole case file: the melding, the youth and parents, every step, the
/// dossier, the allocations and their changes, the messages, and the providers
/// to choose from at match en intake. Moments are Dutch local time.
fn casus_file(view: &CasusView, verloop: &Verloop) -> Result<schema::Casus, ApiError> {
    let CasusView {
        casus,
        jeugdige,
        ouders,
    } = view;
    let fase = |f: Fase| mirrored::<schema::Fase>(f.key());
    Ok(schema::Casus {
        id: casus.id,
        gemeente: casus.gemeente.as_str().to_owned(),
        fase: fase(casus.phase)?,
        melding: schema::MeldingInfo {
            vraag: casus.melding.vraag.clone(),
            vindplaats: casus.melding.vindplaats.clone(),
            verwijzer: casus.melding.verwijzer.code().to_owned(),
            verwijzer_naam: casus.melding.verwijzer_naam.clone(),
            urgentie: mirrored(casus.melding.urgentie.key())?,
            kader: casus
                .melding
                .kader
                .grond()
                .map_or("vrijwillig", |g| g.key())
                .to_owned(),
            gi: casus.melding.kader.gi().map(|gi| gi.as_str().to_owned()),
        },
        woonplaats_regel: casus.woonplaats_regel.clone(),
        jeugdige: schema::Jeugdige {
            bsn: jeugdige.bsn.as_str().to_owned(),
            voornamen: jeugdige.first_names.clone(),
            achternaam: jeugdige.surname.clone(),
            geboortedatum: jeugdige.birth_date,
            geslacht: mirrored(jeugdige.geslacht.key())?,
        },
        ouders: ouders
            .iter()
            .map(|o| schema::Ouder {
                naam: o.naam.clone(),
                telefoon: o.telefoon.clone(),
                email: o.email.clone(),
                gezag: o.gezag,
            })
            .collect(),
        aangemaakt: rfc3339(casus.created_at),
        gewijzigd: rfc3339(casus.updated_at),
        stappen: verloop
            .steps
            .iter()
            .map(|t| {
                Ok(schema::Stapinfo {
                    van: fase(t.from)?,
                    naar: fase(t.to)?,
                    door: t.by.clone(),
                    op: rfc3339(t.at),
                    reden: t.reason.clone(),
                })
            })
            .collect::<Result<_, ApiError>>()?,
        dossier: dossier(&verloop.dossier)?,
        correcties: verloop
            .correcties
            .iter()
            .map(|c| {
                Ok(schema::CorrectieInfo {
                    stap: fase(c.stap)?,
                    reden: c.reden.clone(),
                    door: c.username.clone(),
                    op: rfc3339(c.at),
                })
            })
            .collect::<Result<_, ApiError>>()?,
        beoordeling: verloop.beoordeling.map(|b| schema::BeoordelingInfo {
            start: b.start,
            signaal: b.signal,
            uiterlijk: b.due,
        }),
        toewijzingen: verloop
            .toewijzingen
            .iter()
            .map(|t| schema::ToewijzingInfo {
                toewijzingnummer: t.nummer,
                aanbieder: t.aanbieder.as_str().to_owned(),
                productcode: t.productcode.as_str().to_owned(),
                ingangsdatum: t.start_date,
                einddatum: t.end_date,
                versie: t.versie,
                reden_wijziging: t.reden_wijziging.clone(),
                aangemaakt: rfc3339(t.created_at),
            })
            .collect(),
        wijzigingen: verloop
            .wijzigingen
            .iter()
            .map(|w| schema::WijzigingInfo {
                toewijzingnummer: w.nummer,
                versie: w.versie,
                reden_wijziging: w.reden_wijziging.clone(),
                einddatum_was: w.einddatum_was,
                einddatum: w.einddatum,
                toelichting: w.toelichting.clone(),
                door: w.username.clone(),
                bericht_identificatie: w.bericht_identificatie.clone(),
                aangemaakt: rfc3339(w.created_at),
            })
            .collect(),
        berichten: verloop
            .messages
            .iter()
            .map(|m| schema::Bericht {
                id: m.id,
                berichtsoort: m.message.berichtsoort.clone(),
                afzender: m.message.sender.clone(),
                ontvanger: m.message.receiver.clone(),
                aangemaakt: rfc3339(m.created_at),
                retour: m.retour_state.clone(),
                xml: m.message.body.clone(),
            })
            .collect(),
        aanbieders: verloop.keuze.iter().map(keuze).collect(),
        behandelingen: (verloop.behandelingen.iter())
            .map(crate::behandeling::api_behandeling)
            .collect(),
        voortgang: verloop.voortgang.iter().map(voortgang).collect(),
        garantie: verloop.garantie.as_ref().map(garantie),
        garantievoorstel: verloop
            .garantievoorstel
            .as_ref()
            .map(|g| schema::GarantieInfo {
                eerdere_casus: g.eerdere_casus,
                aanbieder: g.aanbieder.agb.as_str().to_owned(),
                einddatum: g.einddatum,
                garantie_tot: g.garantie_tot,
                teruggelegd_op: None,
            }),
        onderaannemers: (verloop.onderaannemers.iter())
            .map(crate::onderaannemer::info)
            .collect(),
    })
}

/// A line of a case of `gemeente` about a youth, with nothing else yet.
fn kale_regel(id: i64, gemeente: &str, jeugdige: schema::JeugdigeKort) -> schema::Casusregel {
    schema::Casusregel {
        id,
        gemeente: gemeente.to_owned(),
        fase: None,
        urgentie: None,
        jeugdige,
        signaal: None,
        bericht_afgekeurd: false,
        aangemaakt: None,
        toewijzingnummer: None,
        productcode: None,
        ingangsdatum: None,
        einddatum: None,
        garantie_van: None,
        hoofdaannemer: None,
        termijnen: Vec::new(),
    }
}

fn kort(
    voornamen: &str,
    achternaam: &str,
    geboortedatum: Option<chrono::NaiveDate>,
) -> schema::JeugdigeKort {
    schema::JeugdigeKort {
        voornamen: voornamen.to_owned(),
        achternaam: achternaam.to_owned(),
        geboortedatum,
    }
}

/// A line of the worklist as the API shows it.
fn regel(regel: &WerkvoorraadRegel) -> Result<schema::Casusregel, ApiError> {
    let jeugdige = kort(&regel.first_names, &regel.surname, None);
    Ok(schema::Casusregel {
        fase: Some(mirrored(regel.casus.phase.key())?),
        urgentie: Some(mirrored(regel.casus.melding.urgentie.key())?),
        signaal: regel.signaal.map(|s| schema::Signaal {
            intake_uiterlijk: s.deadline.due,
            status: match s.status {
                DeadlineStatus::OnTime => "op-tijd",
                DeadlineStatus::Signal => "signaal",
                DeadlineStatus::Overdue => "verlopen",
            },
        }),
        bericht_afgekeurd: regel.bericht_afgekeurd,
        aangemaakt: Some(rfc3339(regel.casus.created_at)),
        ..kale_regel(regel.casus.id, regel.casus.gemeente.as_str(), jeugdige)
    })
}

/// A line of a provider's worklist as the API shows it.
fn toewijzing_regel(regel: &Werkregel) -> schema::Casusregel {
    let (line, t) = (&regel.line, &regel.line.toewijzing);
    let jeugdige = kort(&line.first_names, &line.surname, Some(line.birth_date));
    schema::Casusregel {
        toewijzingnummer: Some(t.nummer),
        productcode: Some(t.productcode.as_str().to_owned()),
        ingangsdatum: Some(t.start_date),
        einddatum: Some(t.end_date),
        termijnen: (regel.termijnen.iter())
            .map(|o| {
                let soort = (o.termijn.key(), o.termijn.omschrijving());
                schema::BerichtTermijn::van(soort, o.uiterlijk, o.stand)
            })
            .collect(),
        ..kale_regel(t.casus_id, t.gemeente.as_str(), jeugdige)
    }
}

/// A warranty case on a provider's worklist as the API shows it.
fn garantie_regel(g: &GarantieRegel) -> schema::Casusregel {
    let jeugdige = kort(&g.first_names, &g.surname, Some(g.birth_date));
    schema::Casusregel {
        garantie_van: Some(g.zaak.eerdere_casus_id),
        ..kale_regel(g.zaak.casus_id, &g.gemeente_code, jeugdige)
    }
}

/// An allocation the provider helps with as onderaannemer, as the API shows it.
fn onderaanneming_regel(o: &OnderaannemerRegel) -> schema::Casusregel {
    let (a, jeugdige) = (&o.onderaanneming, kort(&o.first_names, &o.surname, None));
    schema::Casusregel {
        toewijzingnummer: Some(a.toewijzing_nummer),
        ingangsdatum: Some(o.start_date),
        einddatum: Some(o.end_date),
        hoofdaannemer: Some(a.hoofdaannemer_agb.clone()),
        ..kale_regel(a.casus_id, &a.gemeente_code, jeugdige)
    }
}

/// A provider's open request as the API shows it.
fn eigen_verzoek(o: &OpenVerzoek) -> schema::EigenVerzoek {
    let v = &o.verzoek;
    schema::EigenVerzoek {
        berichtsoort: v.soort.clone(),
        gemeente: v.gemeente_code.clone(),
        voornamen: v.voornamen.clone(),
        achternaam: v.geslachtsnaam.clone(),
        geboortedatum: v.geboortedatum,
        ontvangen: v.received_on,
        termijn: crate::berichten::termijn(&o.termijn),
    }
}

/// A case's warranty as the API shows it.
pub(crate) fn garantie(g: &Garantiezaak) -> schema::GarantieInfo {
    schema::GarantieInfo {
        eerdere_casus: g.eerdere_casus_id,
        aanbieder: g.aanbieder_agb.clone(),
        einddatum: g.einddatum,
        garantie_tot: g.garantie_tot,
        teruggelegd_op: Some(rfc3339(g.teruggelegd_op)),
    }
}

/// A case as the provider it was allocated to sees it.
fn toegewezen(casus: &ToegewezenCasus) -> Result<schema::ToegewezenCasus, ApiError> {
    Ok(schema::ToegewezenCasus {
        id: casus.casus_id,
        gemeente: casus.gemeente.as_str().to_owned(),
        jeugdige: schema::JeugdigeKort {
            voornamen: casus.first_names.clone(),
            achternaam: casus.surname.clone(),
            geboortedatum: Some(casus.birth_date),
        },
        toewijzingen: casus
            .hulp
            .iter()
            .map(|h| {
                Ok(schema::ToegewezenHulp {
                    toewijzingnummer: h.toewijzing.nummer,
                    productcode: h.toewijzing.productcode.as_str().to_owned(),
                    arrangement: h.arrangement.clone(),
                    intensiteit: h.intensiteit.map(|i| mirrored(i.key())).transpose()?,
                    ingangsdatum: h.toewijzing.start_date,
                    einddatum: h.toewijzing.end_date,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        jw301: casus.jw301,
        resultaten: casus
            .resultaten
            .iter()
            .map(resultaat)
            .collect::<Result<_, ApiError>>()?,
        behandeling: casus
            .behandeling
            .as_ref()
            .map(crate::behandeling::api_behandeling),
        fase: mirrored(casus.fase.key())?,
        fase_sinds: casus.fase_sinds.map(rfc3339),
        voortgang: casus.voortgang.iter().map(voortgang).collect(),
        evaluatie: casus.evaluatie.as_ref().map(evaluatie).transpose()?,
        garantie: casus.garantie.as_ref().map(garantie),
        onderaannemers: (casus.onderaannemers.iter())
            .map(crate::onderaannemer::info)
            .collect(),
    })
}

/// A result of the perspectiefplan.
fn resultaat(r: &PlanResultaat) -> Result<schema::ResultaatInfo, ApiError> {
    Ok(schema::ResultaatInfo {
        leefgebied: mirrored(r.leefgebied.key())?,
        omschrijving: r.omschrijving.clone(),
    })
}

/// The query of the worklist; every filter given must be valid.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Filter {
    fase: Option<String>,
    gemeente: Option<String>,
    urgentie: Option<String>,
    signaal: Option<String>,
    voor: Option<String>,
}

impl Filter {
    /// The filter, and the cursor of the page asked for.
    pub(crate) fn check(self) -> Result<(WerkvoorraadFilter, Option<i64>), ApiError> {
        let mut errors = Vec::new();
        let mut refuse = |field: &'static str, message: &str| {
            errors.push(FieldError {
                field,
                message: message.to_owned(),
            });
        };
        let fase = self.fase.as_deref().and_then(|f| f.parse().ok());
        if self.fase.is_some() && fase.is_none() {
            refuse("fase", "Kies een stap van de cliëntroute.");
        }
        let gemeente = self
            .gemeente
            .as_deref()
            .and_then(|g| Gemeentecode::parse(g).ok());
        if self.gemeente.is_some() && gemeente.is_none() {
            refuse("gemeente", "Geef de CBS-code van vier cijfers.");
        }
        let urgentie = self.urgentie.as_deref().and_then(|u| u.parse().ok());
        if self.urgentie.is_some() && urgentie.is_none() {
            refuse("urgentie", "Kies regulier, urgent of crisis.");
        }
        let alleen_signaal = match self.signaal.as_deref() {
            None | Some("nee") => false,
            Some("ja") => true,
            Some(_) => {
                refuse("signaal", "Geef ja of nee.");
                false
            }
        };
        let voor = self
            .voor
            .as_deref()
            .map(|n| n.parse::<i64>().ok().filter(|n| *n > 0));
        if voor.is_some_and(|v| v.is_none()) {
            refuse(
                "voor",
                "Geef het nummer uit 'volgende' van de vorige pagina (een positief getal).",
            );
        }
        if !errors.is_empty() {
            return Err(ApiError::fields(errors));
        }
        let filter = WerkvoorraadFilter {
            fase,
            gemeente,
            urgentie,
            alleen_signaal,
        };
        Ok((filter, voor.flatten()))
    }
}

/// The worklist with the filters of the query, or for a provider the cases
/// allocated to it.
#[utoipa::path(
    get,
    path = "/api/v1/casussen",
    tag = "casussen",
    params(
        ("fase" = Option<schema::Fase>, Query, description = "Alleen casussen in deze stap."),
        ("gemeente" = Option<String>, Query, description = "Alleen deze gemeente (CBS-code van vier cijfers), een van uw eigen.", max_length = 4, pattern = "^[0-9]{4}$"),
        ("urgentie" = Option<schema::Urgentie>, Query, description = "Alleen deze urgentie."),
        ("signaal" = Option<String>, Query, description = "ja: alleen casussen waarvan de intaketermijn bijna of al verlopen is.", pattern = "^(ja|nee)$"),
        ("voor" = Option<i64>, Query, description = "De volgende pagina: de waarde van 'volgende' uit het vorige antwoord.", minimum = 1),
    ),
    responses(
        (status = 200, description = "Een pagina van de werkvoorraad (hoogstens 50 casussen, nieuwste eerst), of voor een aanbieder de toewijzingen", body = schema::Casussen),
        (status = 400, description = "Onleesbare zoekvraag, zoals een filter dat twee keer voorkomt", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 422, description = "Een filter klopt niet", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn casussen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    query: Result<Query<Filter>, QueryRejection>,
) -> Result<Json<schema::Casussen>, ApiError> {
    let Query(filter) = query.map_err(|_| {
        ApiError::bad_request("onleesbare zoekvraag: geef elk filter hoogstens één keer")
    })?;
    let (filter, voor) = filter.check()?;
    let app_error = |e| ApiError::from_app(&e, &headers);
    let (casussen, verzoeken, volgende) = if for_provider(&user.actor) {
        let werklijst = state
            .app
            .toewijzingen(&user.actor)
            .await
            .map_err(app_error)?;
        let regels = (werklijst.toewijzingen.iter().map(toewijzing_regel))
            .chain(werklijst.garanties.iter().map(garantie_regel))
            .chain(werklijst.onderaanneming.iter().map(onderaanneming_regel))
            .collect();
        let verzoeken = werklijst.verzoeken.iter().map(eigen_verzoek).collect();
        (regels, verzoeken, None)
    } else {
        let today = amsterdam_today(chrono::Utc::now());
        let pagina = state
            .app
            .werkvoorraad(&user.actor, None, &filter, voor, today)
            .await
            .map_err(app_error)?;
        let regels = pagina.regels.iter().map(regel).collect::<Result<_, _>>()?;
        (regels, Vec::new(), pagina.volgende)
    };
    Ok(Json(schema::Casussen {
        casussen,
        verzoeken,
        volgende,
    }))
}

/// A melding; answers 201 with the new case file.
#[utoipa::path(
    post,
    path = "/api/v1/casussen",
    tag = "casussen",
    request_body = schema::Melding,
    responses(
        (status = 201, description = "De nieuwe casus", body = schema::Casus,
            headers(("location" = String, description = "/api/v1/casussen/{id}"))),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 409, description = "De jeugdige heeft in deze gemeente al een open casus (zie open_casussen); bevestig met tweede_casus", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, elk met de reden", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn casus_aanmaken(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let melding: NieuweMelding = read_body(&body, "Melding")?;
    let app_error = |e| ApiError::from_app(&e, &headers);
    let id = state
        .app
        .nieuwe_melding(&user.actor, &melding)
        .await
        .map_err(app_error)?;
    let view = state.app.casus(&user.actor, id).await.map_err(app_error)?;
    let verloop = state
        .app
        .verloop(&user.actor, &view)
        .await
        .map_err(app_error)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/casussen/{id}"))],
        Json(casus_file(&view, &verloop)?),
    )
        .into_response())
}

/// The case file of a worker's case; for a provider, the allocation to it.
#[utoipa::path(
    get,
    path = "/api/v1/casussen/{id}",
    tag = "casussen",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    responses(
        (status = 200, description = "Het hele casusdossier (medewerker) of de toewijzing (aanbieder)", body = schema::Casusdossier),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn casus(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<schema::Casusdossier>, ApiError> {
    let id = number(&id, &headers)?;
    let app_error = |e| ApiError::from_app(&e, &headers);
    if for_provider(&user.actor) {
        let casus = state.app.toegewezen_casus(&user.actor, id).await;
        return Ok(Json(schema::Casusdossier::Toegewezen(Box::new(
            toegewezen(&casus.map_err(app_error)?)?,
        ))));
    }
    let view = state.app.casus(&user.actor, id).await.map_err(app_error)?;
    let verloop = state
        .app
        .verloop(&user.actor, &view)
        .await
        .map_err(app_error)?;
    Ok(Json(schema::Casusdossier::Casus(Box::new(casus_file(
        &view, &verloop,
    )?))))
}

/// Takes the next step of the case's route with its typed answers: the same use
/// case as the case page's form. Answers the case file as it now stands.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/stap",
    tag = "casussen",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::Stap,
    responses(
        (status = 200, description = "De stap is gezet; het casusdossier zoals het nu is", body = schema::Casus),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of de casus staat inmiddels bij een andere stap", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets opgeslagen", body = schema::Fout),
    )
)]
pub(crate) async fn stap(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<schema::Casus>, ApiError> {
    let id = number(&id, &headers)?;
    let stap: schema::Stap = read_body(&body, "Stap")?;
    let app_error = |e| ApiError::from_app(&e, &headers);
    state
        .app
        .stap(&user.actor, id, &stap.invoer())
        .await
        .map_err(app_error)?;
    case_file_of(&state, &user, id, &headers).await
}

/// The case file as it stands after a change, for the one who changed it.
async fn case_file_of(
    state: &AppState,
    user: &ApiUser,
    id: i64,
    headers: &HeaderMap,
) -> Result<Json<schema::Casus>, ApiError> {
    let app_error = |e| ApiError::from_app(&e, headers);
    let view = state.app.casus(&user.actor, id).await.map_err(app_error)?;
    let verloop = state
        .app
        .verloop(&user.actor, &view)
        .await
        .map_err(app_error)?;
    Ok(Json(casus_file(&view, &verloop)?))
}

/// Corrects an earlier step of the case (before the beschikking) with its typed
/// answers and a reason: the same use case as the case page's correction form.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/correcties",
    tag = "casussen",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::Correctie,
    responses(
        (status = 200, description = "De stap is gecorrigeerd; het casusdossier zoals het nu is", body = schema::Casus),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of de stap is niet (meer) te corrigeren", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets opgeslagen", body = schema::Fout),
    )
)]
pub(crate) async fn correctie(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<schema::Casus>, ApiError> {
    let id = number(&id, &headers)?;
    let correctie: schema::Correctie = read_body(&body, "Correctie")?;
    let mut invoer = correctie.stap.invoer();
    let stap = invoer
        .remove("fase")
        .and_then(|f| f.parse::<Fase>().ok())
        .ok_or_else(|| ApiError::bad_request("onbekende stap"))?;
    invoer.insert("reden".into(), correctie.reden);
    let app_error = |e| ApiError::from_app(&e, &headers);
    state
        .app
        .corrigeren(&user.actor, id, stap, &invoer)
        .await
        .map_err(app_error)?;
    case_file_of(&state, &user, id, &headers).await
}

/// The melding as a correction of it reads: the reason, and the melding's
/// fields that may change (the rest stays as it is).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct MeldingCorrectieInvoer {
    pub(crate) reden: String,
    #[serde(flatten)]
    pub(crate) melding: NieuweMelding,
}

/// Corrects the melding of a case (before the beschikking): the family's
/// question, where it came in, who refers and the parents, with a reason.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/melding",
    tag = "casussen",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    request_body = schema::MeldingCorrectie,
    responses(
        (status = 200, description = "De melding is gecorrigeerd; het casusdossier zoals het nu is", body = schema::Casus),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Bestaat niet, of buiten uw bereik", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of de melding is niet meer te corrigeren", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets opgeslagen", body = schema::Fout),
    )
)]
pub(crate) async fn melding_correctie(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<schema::Casus>, ApiError> {
    let id = number(&id, &headers)?;
    let invoer: MeldingCorrectieInvoer = read_body(&body, "MeldingCorrectie")?;
    state
        .app
        .melding_corrigeren(&user.actor, id, &invoer.melding, &invoer.reden)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    case_file_of(&state, &user, id, &headers).await
}

/// The newest JW301 of the case, as XML.
#[utoipa::path(
    get,
    path = "/api/v1/casussen/{id}/jw301",
    tag = "casussen",
    params(("id" = i64, Path, description = "Het nummer van de casus")),
    responses(
        (status = 200, description = "De nieuwste JW301", content_type = "application/xml", body = String),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol", body = schema::Fout),
        (status = 404, description = "Bestaat niet, buiten uw bereik, of nog niet toegewezen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn jw301(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = number(&id, &headers)?;
    let xml = state
        .app
        .jw301_van(&user.actor, id)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(crate::casus::xml_response(xml))
}

/// The live determination of an arrangement code for the answers of the
/// bemiddeling form, with its reasons; the form asks it while the worker chooses.
#[utoipa::path(
    post,
    path = "/api/v1/bepaling",
    tag = "bemiddeling",
    request_body = schema::BepalingVraag,
    responses(
        (status = 200, description = "De uitkomst met alle redenen", body = schema::Bepaling),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn bepaling(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<schema::Bepaling>, ApiError> {
    let invoer: Invoer = read_body(&body, "BepalingVraag")?;
    let d = state
        .app
        .bepalen(&user.actor, &invoer)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(schema::Bepaling {
        arrangement: d.arrangement,
        arrangement_naam: d.arrangement_name.clone(),
        intensiteit: mirrored(d.intensiteit.key())?,
        intensiteit_naam: d.intensiteit.label().to_owned(),
        uitkomst: match d.outcome {
            Outcome::Code(_) => schema::Uitkomst::Code,
            Outcome::Segment3 => schema::Uitkomst::Segment3,
            Outcome::SegmentCheckNeeded => schema::Uitkomst::SegmentcheckNodig,
        },
        code: d.code().map(|c| c.as_str().to_owned()),
        redenen: d
            .reasons
            .iter()
            .map(|r| schema::Grondslag {
                code: r.code.to_owned(),
                tekst: r.text.clone(),
                bron: r.source.to_owned(),
            })
            .collect(),
        catalogus: d.catalogue_version.clone(),
    }))
}

/// An intensity proposal from the guidelines of step 4 that fit the family.
#[utoipa::path(
    post,
    path = "/api/v1/voorstel",
    tag = "bemiddeling",
    request_body = schema::VoorstelVraag,
    responses(
        (status = 200, description = "Het voorstel; null als er niets is aangevinkt", body = Option<schema::Voorstel>),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 422, description = "Onbekende richtlijnen", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = schema::Fout),
    )
)]
pub(crate) async fn voorstel(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Option<schema::Voorstel>>, ApiError> {
    let invoer: Invoer = read_body(&body, "VoorstelVraag")?;
    let ticked: Vec<&str> = invoer
        .get("richtlijnen")
        .map_or("", String::as_str)
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect();
    let suggestion = state
        .app
        .voorstellen(&user.actor, &ticked)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    let Some(s) = suggestion else {
        return Ok(Json(None));
    };
    Ok(Json(Some(schema::Voorstel {
        intensiteit: s.proposal.map(|i| mirrored(i.key())).transpose()?,
        uitleg: s.explanation.clone(),
        scores: s
            .scores
            .iter()
            .map(|g| {
                Ok(schema::Score {
                    intensiteit: mirrored(g.intensiteit.key())?,
                    aangevinkt: g.ticked as u64,
                    totaal: g.total as u64,
                })
            })
            .collect::<Result<_, ApiError>>()?,
    })))
}

/// Changes a sent allocation (intrekken, verwijderen, correctie); answers the
/// new version and its JW301's identificatie.
#[utoipa::path(
    post,
    path = "/api/v1/casussen/{id}/toewijzingen/{nummer}",
    tag = "casussen",
    params(
        ("id" = i64, Path, description = "Het nummer van de casus"),
        ("nummer" = i64, Path, description = "Het toewijzingnummer"),
    ),
    request_body = schema::ToewijzingWijziging,
    responses(
        (status = 200, description = "De nieuwe versie; de JW301 staat klaar voor de aanbieder", body = schema::Toewijzingsversie),
        (status = 400, description = "Geen JSON-object", body = schema::Fout),
        (status = 401, description = "Niet aangemeld", body = schema::Fout),
        (status = 403, description = "Niet voor uw rol, of zonder X-CSRF-Token bij de sessiecookie", body = schema::Fout),
        (status = 404, description = "Casus of toewijzing bestaat niet, of buiten uw bereik", body = schema::Fout),
        (status = 422, description = "Velden die niet kloppen, of de toewijzing is intussen gewijzigd", body = schema::Fout),
        (status = 500, description = "Fout aan onze kant; er is niets opgeslagen", body = schema::Fout),
    )
)]
pub(crate) async fn toewijzing_wijzigen(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path((id, nummer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<schema::Toewijzingsversie>, ApiError> {
    let (id, nummer) = (number(&id, &headers)?, number(&nummer, &headers)?);
    let invoer: Invoer = read_body(&body, "ToewijzingWijziging")?;
    let w = state
        .app
        .toewijzing_wijzigen(&user.actor, id, nummer, &invoer)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    Ok(Json(schema::Toewijzingsversie {
        toewijzingnummer: w.nummer,
        versie: w.versie,
        reden_wijziging: w.reden_wijziging.clone(),
        einddatum: w.einddatum,
        bericht_identificatie: w.bericht_identificatie,
        jw301: format!("/api/v1/casussen/{id}/jw301"),
    }))
}

/// The contract of this API, generated from the code.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "api",
    security(()),
    responses((status = 200, description = "Het OpenAPI-document (3.1)", content_type = "application/json", body = Object))
)]
pub(crate) async fn openapi() -> Json<&'static Value> {
    Json(openapi::document())
}
