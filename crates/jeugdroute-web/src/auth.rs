//! Who is asking: the session cookie (or, for API clients, a bearer token), the
//! CSRF check on every form, and signing in and out.
//!
//! The cookie holds a random token; only its hash is in the database. It is
//! `HttpOnly` and `SameSite=Strict`; when the configured public URL is https it
//! is also `Secure` and named with the `__Host-` prefix (never decided by a
//! request header). Every form carries the session's CSRF token; the sign-in
//! form, which has no session yet, carries a token that must match a short-lived
//! cookie of its own. `POST /api/v1/login` takes only JSON and refuses a browser
//! request from another origin, so no page elsewhere can sign a browser in.
//! Signing out ends this session (`/afmelden`, `POST /api/v1/afmelden`) or every
//! session of the user (`/afmelden/overal`, `POST /api/v1/afmelden/overal`).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts, OptionalFromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use jeugdroute_app::{
    Actor, AppError, Current, DEMO_PASSWORD, DemoAccount, MAX_GEBRUIKERSNAAM, random_token,
};

use crate::AppState;
use crate::error::{ApiError, WebError};
use crate::layout::Layout;
use crate::settings::Settings;

pub(crate) const SESSION_COOKIE: &str = "jeugdroute_sessie";
const SIGN_IN_COOKIE: &str = "jeugdroute_aanmelden";

/// The value of one cookie of the request.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value; an empty value with `max_age` 0 removes the cookie.
/// Over TLS (by configuration) the name has the `__Host-` prefix and `Secure`.
fn set_cookie(settings: &Settings, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if settings.https() { "; Secure" } else { "" };
    let name = settings.cookie_name(name);
    let text =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A signed-in user of a page, with the actor the use cases need.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub current: Current,
    pub actor: Actor,
}

impl Signed {
    /// Refuses a form whose CSRF token is not this session's.
    pub(crate) fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if same_token(token, &self.current.csrf_token) {
            Ok(())
        } else {
            Err(WebError::csrf())
        }
    }

    /// The header and footer of a page for this user.
    pub(crate) fn layout(&self) -> Layout {
        Layout::signed(&self.current)
    }
}

/// Where a request came from, for the audit log.
fn source(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// The session token of a request: its bearer token, else its session cookie;
/// with whether it came from the cookie (which needs a CSRF check on changes).
fn session_token<'a>(settings: &Settings, headers: &'a HeaderMap) -> Option<(&'a str, bool)> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match bearer {
        Some(token) => Some((token, false)),
        None => cookie(headers, &settings.cookie_name(SESSION_COOKIE)).map(|t| (t, true)),
    }
}

/// The session of a request, from its cookie or its bearer token. Returns the
/// user and whether the token came from the cookie (which needs a CSRF check).
async fn session_of(state: &AppState, parts: &Parts) -> Result<Option<(Current, bool)>, AppError> {
    let Some((token, from_cookie)) = session_token(&state.settings, &parts.headers) else {
        return Ok(None);
    };
    Ok(state.app.session(token).await?.map(|c| (c, from_cookie)))
}

impl<S> FromRequestParts<S> for Signed
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        match session_of(&state, parts).await {
            Ok(Some((current, _))) => Ok(Signed {
                actor: Actor {
                    user: current.user.clone(),
                    source: source(parts),
                },
                current,
            }),
            Ok(None) => Err(Redirect::to("/aanmelden").into_response()),
            Err(e) => Err(WebError::from_app(&e, &parts.headers).into_response()),
        }
    }
}

/// On pages anyone may see: the user when signed in.
impl<S> OptionalFromRequestParts<S> for Signed
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <Signed as FromRequestParts<S>>::from_request_parts(parts, state).await {
            Ok(signed) => Ok(Some(signed)),
            Err(rejection) if rejection.status().is_redirection() => Ok(None),
            Err(rejection) => Err(rejection),
        }
    }
}

/// A signed-in API client. A request authenticated by the browser's cookie must
/// also send the session's CSRF token in `X-CSRF-Token` when it changes data.
#[derive(Debug, Clone)]
pub(crate) struct ApiUser {
    pub actor: Actor,
}

impl<S> FromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let (current, from_cookie) = session_of(&state, parts)
            .await
            .map_err(|e| ApiError::from_app(&e, &parts.headers))?
            .ok_or_else(ApiError::unauthenticated)?;
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if from_cookie && !parts.method.is_safe() && !same_token(sent, &current.csrf_token) {
            return Err(ApiError::csrf());
        }
        Ok(ApiUser {
            actor: Actor {
                user: current.user,
                source: source(parts),
            },
        })
    }
}

#[derive(Template)]
#[template(path = "aanmelden.html")]
struct SignInPage<'a> {
    layout: Layout,
    csrf: &'a str,
    gebruikersnaam: &'a str,
    fout: Option<String>,
    /// In demo mode: the accounts to try, all with the demo password.
    demo: &'a [DemoAccount],
    demo_password: &'a str,
}

/// The sign-in form, with a fresh token in the form and in a cookie.
pub(crate) async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    sign_in_form(&state, &headers, "", None, StatusCode::OK)
}

fn sign_in_form(
    state: &AppState,
    headers: &HeaderMap,
    gebruikersnaam: &str,
    fout: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let csrf = random_token().map_err(|e| WebError::from_app(&e, headers))?;
    let page = SignInPage {
        layout: Layout::anonymous(),
        csrf: &csrf,
        gebruikersnaam,
        fout,
        demo: state.app.demo_accounts(),
        demo_password: DEMO_PASSWORD,
    };
    let html = page.render().map_err(|e| WebError::internal(&e, headers))?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            set_cookie(&state.settings, SIGN_IN_COOKIE, &csrf, 3600),
        )],
        Html(html),
    )
        .into_response())
}

/// A user name and password, from the form or the API.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Credentials {
    gebruikersnaam: String,
    wachtwoord: String,
}

impl Credentials {
    /// Starts a session, with the client's address for the audit log.
    async fn sign_in(
        &self,
        state: &AppState,
        addr: SocketAddr,
    ) -> Result<jeugdroute_app::SignedIn, AppError> {
        let source = addr.ip().to_string();
        state
            .app
            .sign_in(self.gebruikersnaam.trim(), &self.wachtwoord, Some(&source))
            .await
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    credentials: Credentials,
}

/// Signs in from the form; on success to the worklist, else the form again.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let settings = &state.settings;
    let expected = cookie(&headers, &settings.cookie_name(SIGN_IN_COOKIE)).unwrap_or("");
    if !same_token(&form.csrf, expected) {
        return Err(WebError::csrf());
    }
    match form.credentials.sign_in(&state, addr).await {
        Ok(signed_in) => Ok((
            AppendHeaders([
                (
                    header::SET_COOKIE,
                    set_cookie(settings, SESSION_COOKIE, &signed_in.token, SESSION_MAX_AGE),
                ),
                (
                    header::SET_COOKIE,
                    set_cookie(settings, SIGN_IN_COOKIE, "", 0),
                ),
            ]),
            Redirect::to(home(&signed_in.current)),
        )
            .into_response()),
        Err(
            e @ (AppError::SignInRefused
            | AppError::TooManyAttempts
            | AppError::Busy
            | AppError::Fields(_)),
        ) => {
            let status = WebError::from_app(&e, &headers).status();
            let name = form.credentials.gebruikersnaam.trim();
            // A name too long to check is not echoed back either.
            let name = if name.chars().count() > MAX_GEBRUIKERSNAAM {
                ""
            } else {
                name
            };
            sign_in_form(&state, &headers, name, Some(e.to_string()), status)
        }
        Err(e) => Err(WebError::from_app(&e, &headers)),
    }
}

const SESSION_MAX_AGE: i64 = jeugdroute_app::SESSION_LIFETIME.num_seconds();

/// Where a user starts after signing in.
fn home(current: &Current) -> &'static str {
    use jeugdroute_domain::Role;
    match current.user.role {
        Role::Toegangsmedewerker | Role::GiMedewerker => "/werkvoorraad",
        Role::Beheerder => "/beheer/audit",
        Role::Berichtenbeheerder => "/berichten",
        Role::Aanbieder | Role::Beleidsmedewerker => "/",
    }
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Which sessions a sign-out ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// This session only.
    This,
    /// Every session of the user: other browsers and API tokens too.
    Everywhere,
}

impl Scope {
    async fn end(self, state: &AppState, token: &str) -> Result<(), AppError> {
        match self {
            Scope::This => state.app.sign_out(token).await,
            Scope::Everywhere => state.app.sign_out_everywhere(token).await,
        }
    }
}

/// Signs out of this session (`/afmelden`) and removes the cookie.
pub(crate) async fn sign_out(
    state: State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    form: Form<CsrfForm>,
) -> Result<Response, WebError> {
    sign_out_form(state, signed, headers, form, Scope::This).await
}

/// "Overal afmelden" (`/afmelden/overal`): ends every session of the user.
pub(crate) async fn sign_out_everywhere(
    state: State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    form: Form<CsrfForm>,
) -> Result<Response, WebError> {
    sign_out_form(state, signed, headers, form, Scope::Everywhere).await
}

async fn sign_out_form(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
    scope: Scope,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    if let Some(token) = cookie(&headers, &state.settings.cookie_name(SESSION_COOKIE)) {
        scope
            .end(&state, token)
            .await
            .map_err(|e| WebError::from_app(&e, &headers))?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state.settings, SESSION_COOKIE, "", 0),
        )],
        Redirect::to("/aanmelden"),
    )
        .into_response())
}

/// `POST /api/v1/afmelden`: ends the session of this request's token (bearer
/// or cookie), which is from then on refused.
#[utoipa::path(
    post,
    path = "/api/v1/afmelden",
    tag = "api",
    responses(
        (status = 204, description = "Afgemeld: dit token werkt niet meer"),
        (status = 401, description = "Niet aangemeld", body = crate::schema::Fout),
        (status = 403, description = "Met de sessiecookie zonder X-CSRF-Token", body = crate::schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = crate::schema::Fout),
    )
)]
pub(crate) async fn api_sign_out(
    State(state): State<AppState>,
    _user: ApiUser,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    api_sign_out_with(&state, &headers, Scope::This).await
}

/// `POST /api/v1/afmelden/overal`: ends every session of the user, in every
/// browser and for every API token.
#[utoipa::path(
    post,
    path = "/api/v1/afmelden/overal",
    tag = "api",
    responses(
        (status = 204, description = "Overal afgemeld: geen enkel token of sessie van deze gebruiker werkt nog"),
        (status = 401, description = "Niet aangemeld", body = crate::schema::Fout),
        (status = 403, description = "Met de sessiecookie zonder X-CSRF-Token", body = crate::schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = crate::schema::Fout),
    )
)]
pub(crate) async fn api_sign_out_everywhere(
    State(state): State<AppState>,
    _user: ApiUser,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    api_sign_out_with(&state, &headers, Scope::Everywhere).await
}

async fn api_sign_out_with(
    state: &AppState,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<Response, ApiError> {
    if let Some((token, _)) = session_token(&state.settings, headers) {
        scope
            .end(state, token)
            .await
            .map_err(|e| ApiError::from_app(&e, headers))?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            set_cookie(&state.settings, SESSION_COOKIE, "", 0),
        )],
    )
        .into_response())
}

/// Refuses a login that is not JSON (415), or that a page of another origin
/// made a browser send (403): no form or script elsewhere can sign a browser in.
fn check_login_request(settings: &Settings, headers: &HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::not_json());
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match origin.to_str() {
        Ok(origin) if settings.is_own_origin(origin, host) => Ok(()),
        _ => Err(ApiError::foreign_origin()),
    }
}

/// `POST /api/v1/login`: a session for an API client. The answer carries the
/// token (send it as `Authorization: Bearer …`) and sets the cookie too.
#[utoipa::path(
    post,
    path = "/api/v1/login",
    tag = "api",
    security(()),
    request_body = crate::schema::Login,
    responses(
        (status = 200, description = "Aangemeld: stuur het token mee als Authorization: Bearer", body = crate::schema::Sessie),
        (status = 400, description = "Geen JSON-object", body = crate::schema::Fout),
        (status = 401, description = "Onbekende gebruikersnaam of verkeerd wachtwoord", body = crate::schema::Fout),
        (status = 403, description = "Verzoek van een andere website (Origin)", body = crate::schema::Fout),
        (status = 415, description = "Geen Content-Type: application/json", body = crate::schema::Fout),
        (status = 422, description = "Velden die niet kloppen", body = crate::schema::Fout),
        (status = 429, description = "Te veel pogingen vanaf dit adres of voor deze naam; wacht even (Retry-After)", body = crate::schema::Fout),
        (status = 500, description = "Fout aan onze kant", body = crate::schema::Fout),
        (status = 503, description = "Het is nu te druk; probeer het over enkele seconden opnieuw", body = crate::schema::Fout),
    )
)]
pub(crate) async fn api_login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    check_login_request(&state.settings, &headers)?;
    let login: Credentials = crate::api::read_body(&body, "Login")?;
    let signed_in = login
        .sign_in(&state, addr)
        .await
        .map_err(|e| ApiError::from_app(&e, &headers))?;
    let user = &signed_in.current.user;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(
                &state.settings,
                SESSION_COOKIE,
                &signed_in.token,
                SESSION_MAX_AGE,
            ),
        )],
        Json(crate::schema::Sessie {
            token: signed_in.token.clone(),
            csrf_token: signed_in.current.csrf_token.clone(),
            gebruikersnaam: user.username.clone(),
            rol: user.role.as_str(),
            verloopt_over_seconden: SESSION_MAX_AGE,
        }),
    )
        .into_response())
}
