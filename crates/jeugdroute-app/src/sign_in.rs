//! Checking a user name and password against the stored account.

use std::sync::LazyLock;

use jeugdroute_domain::User;

use crate::{App, AppError, passwords};

/// A hash of no one's password: checked when the user name is unknown, so that an
/// unknown name takes as long as a wrong password and names cannot be probed.
static UNKNOWN_USER_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| passwords::hash("onbekende gebruiker").ok());

impl App {
    /// The user, when the name exists, the account is active and the password is
    /// right; `None` otherwise, without saying which of these failed.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Option<User>, AppError> {
        let mut tx = self.store.begin().await?;
        let account = tx.account(username).await?;
        drop(tx);
        let Some(account) = account else {
            if let Some(hash) = UNKNOWN_USER_HASH.as_deref() {
                passwords::verify(password, hash);
            }
            return Ok(None);
        };
        let matches = passwords::verify(password, &account.password_hash);
        Ok((matches && account.active).then_some(account.user))
    }
}
