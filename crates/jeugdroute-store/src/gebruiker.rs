//! User accounts: who may sign in, with which role and scope. The password is
//! stored only as a hash made by the application layer.

use jeugdroute_domain::{AgbCode, Gebruiker, Gemeentecode, Rol};

use crate::store::on_tx;
use crate::{Result, Tx};

#[derive(sqlx::FromRow)]
struct GebruikerRij {
    id: i64,
    gebruikersnaam: String,
    weergavenaam: String,
    wachtwoord_hash: String,
    rol: String,
    aanbieder_agb: Option<String>,
    actief: bool,
}

/// A stored account: the user, the password hash to check a sign-in against, and
/// whether the account may sign in.
#[derive(Debug, Clone)]
pub struct Account {
    pub gebruiker: Gebruiker,
    pub wachtwoord_hash: String,
    pub actief: bool,
}

impl Tx {
    /// Inserts the account with its gemeenten unless the user name exists.
    pub async fn gebruiker_vastleggen(
        &mut self,
        gebruiker: &Gebruiker,
        wachtwoord_hash: &str,
    ) -> Result<bool> {
        let id: Option<i64> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "INSERT INTO gebruiker (gebruikersnaam, weergavenaam, wachtwoord_hash, rol, aanbieder_agb) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(&gebruiker.gebruikersnaam)
            .bind(&gebruiker.weergavenaam)
            .bind(wachtwoord_hash)
            .bind(gebruiker.rol.as_str())
            .bind(gebruiker.aanbieder.as_ref().map(AgbCode::as_str))
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some(id) = id else { return Ok(false) };
        for gemeente in &gebruiker.gemeenten {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO gebruiker_gemeente (gebruiker_id, gemeente_code) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(gemeente.as_str())
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(true)
    }

    /// The account with this user name, if any.
    pub async fn account(&mut self, gebruikersnaam: &str) -> Result<Option<Account>> {
        let rij: Option<GebruikerRij> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, gebruikersnaam, weergavenaam, wachtwoord_hash, rol, aanbieder_agb, actief \
                 FROM gebruiker WHERE gebruikersnaam = $1",
            )
            .bind(gebruikersnaam)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some(rij) = rij else { return Ok(None) };
        let codes: Vec<String> = on_tx!(self, |conn| {
            sqlx::query_scalar("SELECT gemeente_code FROM gebruiker_gemeente WHERE gebruiker_id = $1 ORDER BY gemeente_code")
                .bind(rij.id)
                .fetch_all(&mut *conn)
                .await?
        });
        let gebruiker = Gebruiker {
            gebruikersnaam: rij.gebruikersnaam,
            weergavenaam: rij.weergavenaam,
            rol: rij.rol.parse::<Rol>()?,
            gemeenten: codes
                .iter()
                .map(|c| Gemeentecode::parse(c))
                .collect::<Result<_, _>>()?,
            aanbieder: rij
                .aanbieder_agb
                .as_deref()
                .map(AgbCode::parse)
                .transpose()?,
        };
        Ok(Some(Account {
            gebruiker,
            wachtwoord_hash: rij.wachtwoord_hash,
            actief: rij.actief,
        }))
    }
}
