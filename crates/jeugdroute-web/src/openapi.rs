//! The OpenAPI document of `/api/v1`, generated from the handlers' annotations
//! and the types of `crate::schema` — never written by hand — and the check of
//! every request body against it: a body the document refuses is refused by
//! name (422) before anything reads it.

use std::sync::OnceLock;

use jeugdroute_app::FieldError;
use serde_json::{Map, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::schema;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jeugdroute API",
        version = "1",
        description = "De use cases van de toegang tot jeugdhulp voor systemen van gemeenten en aanbieders. Meld u aan met POST /api/v1/login en stuur het token mee als 'Authorization: Bearer <token>'. Wie in plaats daarvan de sessiecookie gebruikt, stuurt bij wijzigingen het csrf_token mee in de header X-CSRF-Token. Elke inzage en wijziging wordt gelogd. Afmelden met POST /api/v1/afmelden (dit token) of POST /api/v1/afmelden/overal (alle sessies); een sessie verloopt na 30 minuten zonder gebruik en na 9 uur. Fouten zijn JSON (Fout): 400 onleesbare JSON, 401 niet aangemeld, 403 niet toegestaan voor uw rol (of bij aanmelden: een andere website), 404 niet gevonden of buiten uw bereik, 409 al een open casus, 413 inhoud groter dan 64 KiB (een iJw-bericht: 25 MB), 414 adres met zoekvraag langer dan 2048 bytes, 415 geen JSON, 422 velden die niet kloppen, 429 te veel aanmeldpogingen, 500 een fout aan onze kant met het verzoeknummer, 503 te druk."
    ),
    paths(
        crate::auth::api_login,
        crate::auth::api_sign_out,
        crate::auth::api_sign_out_everywhere,
        api::casussen,
        api::casus_aanmaken,
        api::casus,
        api::stap,
        api::correctie,
        api::melding_correctie,
        api::jw301,
        api::toewijzing_wijzigen,
        api::bepaling,
        api::voorstel,
        crate::verzoek::api_verzoeken,
        crate::verzoek::api_verzoek,
        crate::verzoek::api_beantwoorden,
        crate::beheer::api_audit,
        crate::beheer::api_verifieren,
        crate::beheer::api_csv,
        crate::berichten::api_aanleveren,
        crate::berichten::api_ophalen,
        crate::berichten::api_ontvangen,
        crate::berichten::api_inbox,
        crate::berichten::api_inbox_bericht,
        crate::berichten::api_outbox,
        crate::berichten::api_outbox_bericht,
        crate::aanbieder::api_toewijzing,
        crate::aanbieder::api_start,
        crate::aanbieder::api_stop,
        crate::aanbieder::api_verzoek_om_toewijzing,
        crate::aanbieder::api_verzoek_om_wijziging,
        crate::aanbieder::api_declaratie,
        crate::aanbieder::api_verwijdering,
        crate::aanbieder::api_wachttijd,
        crate::aanbieder::api_wachttijd_melden,
        crate::gids::api_aanbieders,
        crate::behandeling::api_reactie,
        crate::behandeling::api_intake,
        crate::behandeling::api_behandelplan,
        crate::voortgang::api_schrijven,
        crate::onderaannemer::api_pagina,
        crate::onderaannemer::api_toevoegen,
        crate::onderaannemer::api_beeindigen,
        api::openapi,
    ),
    components(schemas(schema::Fout)),
    modifiers(&Bearer),
    security(("bearer" = [])),
)]
struct ApiDoc;

/// The bearer token of `POST /api/v1/login`.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as JSON, made once.
pub(crate) fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
        close_steps(&mut document);
        bounded_answers(&mut document);
        document
    })
}

/// The step's shapes are closed like every other request object (serde's
/// `deny_unknown_fields` on the tagged enum does not reach the variants' schemas).
fn close_steps(document: &mut Value) {
    let shapes = document
        .pointer_mut("/components/schemas/Stap/oneOf")
        .and_then(Value::as_array_mut);
    for shape in shapes.into_iter().flatten() {
        if let Value::Object(shape) = shape {
            shape.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
}

/// The answers of the request bounds (`crate::grenzen`), which no handler
/// gives itself: 414 on every operation, 413 on each that takes a body.
fn bounded_answers(document: &mut Value) {
    let answer = |description: &str| {
        serde_json::json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}}
        })
    };
    let paths = document.get_mut("paths").and_then(Value::as_object_mut);
    let operations = paths
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    for operation in operations {
        let has_body = operation.get("requestBody").is_some();
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        responses.insert(
            "414".into(),
            answer("Het adres met de zoekvraag is langer dan 2048 bytes"),
        );
        if has_body {
            // An operation with a larger bound (an iJw message) states its own.
            responses
                .entry("413")
                .or_insert_with(|| answer("De inhoud is groter dan 64 KiB"));
        }
    }
}

/// The schema of a component by name.
fn component(name: &str) -> Option<&'static Value> {
    document().pointer(&format!("/components/schemas/{name}"))
}

/// Checks `value` against the component schema `name`; every field that does
/// not fit is named, its message in Dutch. A nested field is reported under its
/// top-level field, with its path in the message (`ouders[1].gezag: …`).
pub(crate) fn check(name: &str, value: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match component(name) {
        Some(schema) => walk(schema, value, &Place::top(), &mut errors),
        None => errors.push(("(onbekend)", format!("het schema {name} ontbreekt"))),
    }
    errors
        .into_iter()
        .map(|(field, message)| FieldError { field, message })
        .collect()
}

/// Where in the body a value is: its top-level field and its path.
#[derive(Debug, Clone)]
struct Place {
    field: &'static str,
    path: String,
}

impl Place {
    fn top() -> Place {
        Place {
            field: "(onbekend)",
            path: String::new(),
        }
    }

    fn child(&self, key: &'static str) -> Place {
        if self.path.is_empty() {
            Place {
                field: key,
                path: key.to_owned(),
            }
        } else {
            Place {
                field: self.field,
                path: format!("{}.{key}", self.path),
            }
        }
    }

    fn item(&self, i: usize) -> Place {
        Place {
            field: self.field,
            path: format!("{}[{i}]", self.path),
        }
    }

    /// The message, with the path when it is deeper than the field.
    fn say(&self, message: impl Into<String>) -> (&'static str, String) {
        let message = message.into();
        if self.path.contains(['.', '[']) {
            (self.field, format!("{}: {message}", self.path))
        } else {
            (self.field, message)
        }
    }
}

fn resolve(schema: &'static Value) -> &'static Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/components/schemas/")
            .and_then(component)
            .unwrap_or(schema),
        None => schema,
    }
}

fn fits_type(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => {
            value.is_i64()
                || value.is_u64()
                || value
                    .as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() < 1e15)
        }
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn hint(kinds: &[&str]) -> String {
    let words: Vec<&str> = kinds
        .iter()
        .filter(|k| **k != "null")
        .map(|k| match *k {
            "string" => "tekst",
            "boolean" => "true of false",
            "integer" => "een geheel getal",
            "number" => "een getal",
            "array" => "een lijst",
            "object" => "een JSON-object",
            other => other,
        })
        .collect();
    format!("geef dit veld als {}", words.join(" of "))
}

type Errors = Vec<(&'static str, String)>;

fn walk(schema: &'static Value, value: &Value, place: &Place, errors: &mut Errors) {
    let schema = resolve(schema);
    if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
        one_of(choices, value, place, errors);
        return;
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk(part, value, place, errors);
    }
    let kinds: Vec<&str> = match schema.get("type") {
        Some(Value::String(k)) => vec![k.as_str()],
        Some(Value::Array(ks)) => ks.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !kinds.is_empty() && !kinds.iter().any(|k| fits_type(k, value)) {
        errors.push(place.say(hint(&kinds)));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        let names: Vec<String> = allowed
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        errors.push(place.say(format!("kies een van: {}", names.join(", "))));
        return;
    }
    let limit = |key: &str| schema.get(key).and_then(Value::as_f64);
    match value {
        Value::String(text) => {
            let length = text.chars().count() as f64;
            if limit("maxLength").is_some_and(|max| length > max) {
                errors.push(place.say(format!(
                    "te lang: hoogstens {} tekens",
                    limit("maxLength").unwrap_or_default()
                )));
            }
            if limit("minLength").is_some_and(|min| length < min) {
                errors.push(place.say("vul dit veld in"));
            }
            if schema.get("format").and_then(Value::as_str) == Some("date")
                && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err()
            {
                errors.push(place.say("geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-12-01"));
            }
        }
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            if let Some(min) = limit("minimum").filter(|min| n < *min) {
                errors.push(place.say(format!("te klein: minstens {min}")));
            }
            if let Some(max) = limit("maximum").filter(|max| n > *max) {
                errors.push(place.say(format!("te groot: hoogstens {max}")));
            }
        }
        Value::Array(items) => {
            let count = items.len() as f64;
            if let Some(max) = limit("maxItems").filter(|max| count > *max) {
                errors.push(place.say(format!("te veel: hoogstens {max}")));
            }
            if let Some(min) = limit("minItems").filter(|min| count < *min) {
                errors.push(place.say(format!("te weinig: minstens {min}")));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    walk(item_schema, item, &place.item(i), errors);
                }
            }
        }
        Value::Object(object) => fields(schema, object, place, errors),
        _ => {}
    }
}

/// The fields of an object: each known one checked, every required one
/// present, none unknown (the document's objects are closed).
fn fields(schema: &'static Value, object: &Map<String, Value>, place: &Place, errors: &mut Errors) {
    let properties = schema.get("properties").and_then(Value::as_object);
    for (key, value) in object {
        match properties.and_then(|p| p.get_key_value(key)) {
            Some((name, property)) => walk(property, value, &place.child(name.as_str()), errors),
            None => errors.push(match place.path.is_empty() {
                true => ("(onbekend)", format!("onbekend veld '{key}'")),
                false => place.say(format!("onbekend veld '{key}'")),
            }),
        }
    }
    for required in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !object.contains_key(required) {
            let name = properties
                .and_then(|p| p.get_key_value(required))
                .map_or("(onbekend)", |(k, _)| k.as_str());
            errors.push(place.child(name).say("vul dit veld in"));
        }
    }
}

/// One of several shapes: the one that fits; otherwise the errors of the one
/// the body names by its tag (`fase`), or of the closest.
fn one_of(choices: &'static [Value], value: &Value, place: &Place, errors: &mut Errors) {
    let mut tried: Vec<(bool, Errors)> = Vec::new();
    for choice in choices {
        let mut found = Errors::new();
        walk(choice, value, place, &mut found);
        if found.is_empty() {
            return;
        }
        let tagged = resolve(choice)
            .pointer("/properties/fase/enum")
            .and_then(Value::as_array)
            .zip(value.get("fase"))
            .is_some_and(|(tags, tag)| tags.contains(tag));
        tried.push((tagged, found));
    }
    let tags: Vec<&str> = choices
        .iter()
        .filter_map(|c| resolve(c).pointer("/properties/fase/enum/0"))
        .filter_map(Value::as_str)
        .collect();
    if let Some((_, found)) = tried.iter().find(|(tagged, _)| *tagged) {
        errors.extend(found.iter().cloned());
    } else if !tags.is_empty() {
        errors.push(
            place
                .child("fase")
                .say(format!("kies een van: {}", tags.join(", "))),
        );
    } else if let Some((_, found)) = tried.iter().min_by_key(|(_, f)| f.len()) {
        errors.extend(found.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test")]
    use super::*;

    /// Every route the router serves under `/api/v1`, with each method, is in
    /// the generated document, and the document names no route it lacks.
    #[test]
    fn every_api_route_is_in_the_document() {
        let source = include_str!("lib.rs");
        let mut routed = Vec::new();
        for chunk in source.split(".route(").skip(1) {
            let chunk = chunk.split(".fallback(").next().unwrap();
            let path = chunk.split('"').nth(1).unwrap();
            if !path.starts_with("/api/v1") {
                continue;
            }
            for method in ["get", "post", "put", "patch", "delete"] {
                if chunk.contains(&format!("{method}(")) {
                    routed.push(format!("{method} {path}"));
                }
            }
        }
        let mut documented: Vec<String> = document()["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(move |method| format!("{method} {path}"))
            })
            .collect();
        routed.sort();
        documented.sort();
        assert_eq!(routed, documented);
        assert!(routed.len() >= 10, "{routed:?}");
    }

    /// Every operation answers its errors with the error schema, documents the
    /// statuses its guard can give, and needs the bearer token except sign-in
    /// and the document itself.
    #[test]
    fn every_operation_documents_its_answers() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let responses = op["responses"].as_object().unwrap();
                let open = path == "/api/v1/login" || path == "/api/v1/openapi.json";
                if !open {
                    for status in ["401", "403", "500"] {
                        assert!(responses.contains_key(status), "{method} {path} {status}");
                    }
                }
                assert!(responses.contains_key("414"), "{method} {path} 414");
                // A POST with a body documents what a bad body gets; signing
                // out, verifying the audit log, acknowledging a message and
                // removing a provider's message take none.
                let bodiless = path.starts_with("/api/v1/afmelden")
                    || path.ends_with("/audit/verificatie")
                    || path.ends_with("/ontvangen")
                    || path.ends_with("/verwijdering");
                if method == "post" && !bodiless {
                    for status in ["400", "413", "422"] {
                        assert!(responses.contains_key(status), "{method} {path} {status}");
                    }
                    assert!(op["requestBody"].is_object(), "{method} {path}");
                }
                for (status, response) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert_eq!(
                            response["content"]["application/json"]["schema"]["$ref"],
                            "#/components/schemas/Fout",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }

    /// Every `maxLength` the document gives a property, by property name.
    fn max_lengths(value: &Value, found: &mut Vec<(String, u64)>) {
        match value {
            Value::Object(object) => {
                if let Some(Value::Object(properties)) = object.get("properties") {
                    for (name, property) in properties {
                        if let Some(max) = property["maxLength"].as_u64() {
                            found.push((name.clone(), max));
                        }
                    }
                }
                object.values().for_each(|v| max_lengths(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| max_lengths(v, found)),
            _ => {}
        }
    }

    /// The document promises the maxima the application enforces
    /// (`jeugdroute_app::grenzen`), wherever a field of that name appears.
    #[test]
    fn the_document_states_the_applications_maxima() {
        use jeugdroute_app::grenzen::*;
        let mut found = Vec::new();
        max_lengths(document(), &mut found);
        let fields = [
            ("voornamen", VOORNAMEN),
            ("achternaam", ACHTERNAAM),
            ("straat", STRAAT),
            ("huisnummer", HUISNUMMER),
            ("woonplaats", WOONPLAATS),
            ("vraag", VRAAG),
            ("vindplaats", VINDPLAATS),
            ("verwijzer_naam", VERWIJZER_NAAM),
            ("naam", OUDER_NAAM),
            ("telefoon", OUDER_TELEFOON),
            ("email", OUDER_EMAIL),
            ("netwerk", NETWERK),
            ("vrij_toegankelijk", VRIJ_TOEGANKELIJK),
            ("omschrijving", RESULTATEN[0]),
            ("reden", REDEN),
            ("toelichting", TOELICHTING),
            ("beknopt_plan", BEKNOPT_PLAN),
            ("activiteiten", ACTIVITEITEN),
            ("hoe_vaak", FREQUENTIE),
            ("voortgang", VOORTGANG),
            ("gezin", GEZIN_OORDEEL),
        ];
        for (property, veld) in fields {
            let maxima: Vec<u64> = found
                .iter()
                .filter(|(name, _)| name == property)
                .map(|(_, max)| *max)
                .collect();
            assert!(!maxima.is_empty(), "{property} has no maxLength");
            assert!(
                maxima.iter().all(|m| *m == veld.max as u64),
                "{property}: {maxima:?}, the application allows {}",
                veld.max
            );
        }
    }

    /// The login's documented lengths are the ones the application enforces.
    #[test]
    fn the_login_lengths_are_the_applications() {
        let login = &document()["components"]["schemas"]["Login"]["properties"];
        assert_eq!(
            login["gebruikersnaam"]["maxLength"],
            jeugdroute_app::MAX_GEBRUIKERSNAAM
        );
        assert_eq!(
            login["wachtwoord"]["maxLength"],
            jeugdroute_app::MAX_WACHTWOORD
        );
        let responses = &document()["paths"]["/api/v1/login"]["post"]["responses"];
        for status in ["403", "415", "429", "503"] {
            assert!(responses[status].is_object(), "{status}");
        }
    }

    /// The checker refuses what the schema refuses, naming the field.
    #[test]
    fn the_check_names_each_field() {
        let names = |value: Value| -> Vec<String> {
            check("Stap", &value)
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect()
        };
        assert_eq!(
            names(
                serde_json::json!({"fase": "bemiddeling", "arrangement": "twee", "intensiteit": "midden"})
            ),
            ["arrangement: geef dit veld als een geheel getal"]
        );
        assert_eq!(
            names(
                serde_json::json!({"fase": "bemiddeling", "arrangement": 10, "intensiteit": "heel"})
            ),
            [
                "arrangement: te groot: hoogstens 9",
                "intensiteit: kies een van: licht, midden, zwaar, doorlopend, chronisch"
            ]
        );
        assert_eq!(
            names(
                serde_json::json!({"fase": "vraagverheldering", "opvoedsituatie": "nood", "leefgebieden": "opvoeding", "netwerk": "oma", "vraag": "rust"})
            ),
            ["leefgebieden: geef dit veld als een lijst"]
        );
        assert_eq!(
            names(serde_json::json!({"fase": "later"})),
            [
                "fase: kies een van: melding, crisishulp, garantie, vraagverheldering, vraagduiding, plan, bemiddeling, match-en-intake, beschikking, toewijzing, uitvoering, evaluatie"
            ]
        );
        assert_eq!(
            names(serde_json::json!({"fase": "beschikking", "akkoord": true})),
            ["(onbekend): onbekend veld 'akkoord'"]
        );
        assert!(names(serde_json::json!({"fase": "bemiddeling", "arrangement": 2.0, "intensiteit": "midden"})).is_empty());
    }
}
