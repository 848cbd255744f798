//! Signing in and out. A session is a random token in the user's cookie; the
//! database keeps only its hash, with the CSRF token its forms must carry. After
//! a few failed attempts for a user name further attempts are refused for a
//! while, whatever the password, so passwords cannot be guessed at speed.

use std::sync::LazyLock;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use chrono::Duration;
use jeugdroute_domain::User;
use jeugdroute_store::NewAuditRecord;

use crate::{App, AppError, passwords};

/// Failed attempts per user name within [`FAILURE_WINDOW`] before sign-in is refused.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// The window over which failed attempts count, and so how long a lock lasts.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// A working day: after this a user signs in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(9);

/// A hash of no one's password: checked when the user name is unknown, so that an
/// unknown name takes as long as a wrong password and names cannot be probed.
static UNKNOWN_USER_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| passwords::hash("onbekende gebruiker").ok());

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

impl App {
    /// Starts a session when the name exists, the account is active, the password
    /// is right and the name is not locked by failed attempts. A refusal never
    /// says which of these failed. Every attempt is audit-logged.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        source: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let locked =
            tx.sign_in_failures(username, now - FAILURE_WINDOW).await? >= MAX_FAILED_SIGN_INS;
        let account = tx.account(username).await?;
        let matches = match &account {
            Some(account) => passwords::verify(password, &account.password_hash),
            None => {
                if let Some(hash) = UNKNOWN_USER_HASH.as_deref() {
                    passwords::verify(password, hash);
                }
                false
            }
        };
        let user = account
            .filter(|a| a.active && matches && !locked)
            .map(|a| a.user);
        let mut record = NewAuditRecord {
            occurred_at: now,
            actor: username,
            role: user.as_ref().map(|u| u.role.as_str()),
            on_behalf_of: None,
            event: "aanmelden",
            jeugdige_id: None,
            casus_id: None,
            purpose: "aanmelden",
            outcome: "gelukt",
            source,
            jeugdigen: &[],
        };
        let Some(user) = user else {
            record.outcome = "geweigerd";
            tx.record_sign_in_failure(username, now).await?;
            tx.append_audit(&record).await?;
            tx.commit().await?;
            return Err(if locked {
                AppError::TooManyAttempts
            } else {
                AppError::SignInRefused
            });
        };
        let token = random_token()?;
        let csrf_token = random_token()?;
        tx.clear_sign_in_failures(username).await?;
        tx.insert_session(
            &token_hash(&token),
            username,
            &csrf_token,
            now,
            now + SESSION_LIFETIME,
        )
        .await?;
        tx.append_audit(&record).await?;
        tx.commit().await?;
        Ok(SignedIn {
            token,
            current: Current { user, csrf_token },
        })
    }

    /// The user of a live session, or `None` for an unknown, ended or expired one.
    pub async fn session(&self, token: &str) -> Result<Option<Current>, AppError> {
        let mut tx = self.store.begin().await?;
        let Some(session) = tx.session(&token_hash(token), self.now()).await? else {
            return Ok(None);
        };
        let Some(account) = tx.account(&session.username).await? else {
            return Ok(None);
        };
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
}
