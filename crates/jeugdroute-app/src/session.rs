//! Signing in and out. A session is a random token in the user's cookie; the
//! database keeps only its hash, with the CSRF token its forms must carry. A
//! session ends when signed out, after [`SESSION_LIFETIME`], or after
//! [`SESSION_IDLE`] without use; its last use is written at most once per
//! [`TOUCH_INTERVAL`], so reading pages does not write on every request.
//!
//! A sign-in checks the input's size first (nothing longer than
//! [`MAX_GEBRUIKERSNAAM`] / [`MAX_WACHTWOORD`] is hashed, stored or logged), then
//! the back-off of `sign_in_limit`, then the password off the async workers
//! (`passwords::Gate`), and only then writes the outcome in one short
//! transaction. No transaction is open while a password is hashed.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use chrono::{DateTime, Duration, Utc};
use jeugdroute_domain::User;
use jeugdroute_store::NewAuditRecord;

use crate::sign_in_limit::{FAILURE_WINDOW, held_back};
use crate::{App, AppError, FieldError};

/// A working day: after this a user signs in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(9);
/// A session not used for this long has ended.
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// The last use of a session is written at most this often.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);
/// The longest user name a sign-in accepts, in characters.
pub const MAX_GEBRUIKERSNAAM: usize = 100;
/// The longest password a sign-in accepts, in characters.
pub const MAX_WACHTWOORD: usize = 1024;

/// A new session: the token for the cookie (shown only now) and who it is for.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub current: Current,
}

/// The signed-in user of a request and the CSRF token their forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub user: User,
    pub csrf_token: String,
}

/// 32 random bytes from the operating system, in hex: session and CSRF tokens.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps of a session token.
fn token_hash(token: &str) -> String {
    hex(&Blake2b::<U32>::digest(token.as_bytes()))
}

/// Refuses a user name or password too long to be checked, naming the field.
fn check_bounds(username: &str, password: &str) -> Result<(), AppError> {
    let too_long = |field: &'static str, max: usize| FieldError {
        field,
        message: format!("mag hoogstens {max} tekens lang zijn"),
    };
    let mut fields = Vec::new();
    if username.chars().count() > MAX_GEBRUIKERSNAAM {
        fields.push(too_long("gebruikersnaam", MAX_GEBRUIKERSNAAM));
    }
    if password.chars().count() > MAX_WACHTWOORD {
        fields.push(too_long("wachtwoord", MAX_WACHTWOORD));
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::Fields(fields))
    }
}

/// The audit record of a sign-in that reached the password check.
fn sign_in_record<'a>(
    now: DateTime<Utc>,
    username: &'a str,
    user: Option<&'a User>,
    source: Option<&'a str>,
) -> NewAuditRecord<'a> {
    NewAuditRecord {
        occurred_at: now,
        actor: username,
        role: user.map(|u| u.role.as_str()),
        on_behalf_of: None,
        event: "aanmelden",
        jeugdige_id: None,
        casus_id: None,
        purpose: "aanmelden",
        outcome: if user.is_some() {
            "gelukt"
        } else {
            "geweigerd"
        },
        source,
        jeugdigen: &[],
    }
}

impl App {
    /// Starts a session when the name exists, the account is active, the password
    /// is right and neither the source nor the name is held back by failed
    /// attempts (see `sign_in_limit`). A refusal never says which of these failed.
    /// Every attempt that reaches the password check is audit-logged; one that is
    /// too long or held back is refused before anything is hashed or written.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        source: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        check_bounds(username, password)?;
        let now = self.now();
        let key = source.unwrap_or("");
        let mut tx = self.store.begin().await?;
        let failures = tx
            .sign_in_failures(username, key, now - FAILURE_WINDOW)
            .await?;
        if held_back(&failures, now) {
            return Err(AppError::TooManyAttempts);
        }
        let account = tx.account(username).await?;
        drop(tx);
        let stored = account.as_ref().map(|a| a.password_hash.clone());
        let matches = self.passwords.verify(password.to_owned(), stored).await?;
        let user = account.filter(|a| a.active && matches).map(|a| a.user);
        let mut tx = self.store.begin().await?;
        tx.append_audit(&sign_in_record(now, username, user.as_ref(), source))
            .await?;
        let Some(user) = user else {
            tx.prune_sign_in_failures(now - FAILURE_WINDOW).await?;
            tx.record_sign_in_failure(username, key, now).await?;
            tx.commit().await?;
            return Err(AppError::SignInRefused);
        };
        let token = random_token()?;
        let csrf_token = random_token()?;
        tx.clear_sign_in_failures(username, key).await?;
        tx.insert_session(
            &token_hash(&token),
            username,
            &csrf_token,
            now,
            now + SESSION_LIFETIME,
        )
        .await?;
        tx.commit().await?;
        Ok(SignedIn {
            token,
            current: Current { user, csrf_token },
        })
    }

    /// The user of a live session, or `None` for an unknown, ended, expired or
    /// idle one. Marks the session used when its last use is a minute old.
    pub async fn session(&self, token: &str) -> Result<Option<Current>, AppError> {
        let now = self.now();
        let hash = token_hash(token);
        let mut tx = self.store.begin().await?;
        let Some(session) = tx.session(&hash, now, now - SESSION_IDLE).await? else {
            return Ok(None);
        };
        let Some(account) = tx.account(&session.username).await? else {
            return Ok(None);
        };
        if now - session.last_used_at >= TOUCH_INTERVAL {
            tx.touch_session(&hash, now).await?;
            tx.commit().await?;
        }
        Ok(Some(Current {
            user: account.user,
            csrf_token: session.csrf_token,
        }))
    }

    /// Ends the session (and clears expired ones).
    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        tx.delete_session(&token_hash(token), self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of the user whose session this is ("overal afmelden"):
    /// other browsers and API tokens as well as this one.
    pub async fn sign_out_everywhere(&self, token: &str) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        tx.delete_sessions_of_account(&token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }
}
