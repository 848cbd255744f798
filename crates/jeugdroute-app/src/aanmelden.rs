//! Checking a user name and password against the stored account.

use std::sync::LazyLock;

use jeugdroute_domain::Gebruiker;

use crate::{App, AppError, wachtwoord};

/// A hash of no one's password: checked when the user name is unknown, so that an
/// unknown name takes as long as a wrong password and names cannot be probed.
static ONBEKEND: LazyLock<Option<String>> =
    LazyLock::new(|| wachtwoord::hash("onbekende gebruiker").ok());

impl App {
    /// The user, when the name exists, the account is active and the password is
    /// right; `None` otherwise, without saying which of these failed.
    pub async fn aanmelden(
        &self,
        gebruikersnaam: &str,
        wachtwoord: &str,
    ) -> Result<Option<Gebruiker>, AppError> {
        let mut tx = self.store.begin().await?;
        let account = tx.account(gebruikersnaam).await?;
        drop(tx);
        let Some(account) = account else {
            if let Some(hash) = ONBEKEND.as_deref() {
                wachtwoord::klopt(wachtwoord, hash);
            }
            return Ok(None);
        };
        let klopt = wachtwoord::klopt(wachtwoord, &account.wachtwoord_hash);
        Ok((klopt && account.actief).then_some(account.gebruiker))
    }
}
