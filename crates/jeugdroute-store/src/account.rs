//! User accounts: who may sign in, with which role and scope. The password is
//! stored only as a hash made by the application layer.

use jeugdroute_domain::{AgbCode, Gemeentecode, Role, User};

use crate::store::on_tx;
use crate::{Result, Tx};

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    aanbieder_agb: Option<String>,
    gi_agb: Option<String>,
    active: bool,
}

/// A stored account: the user, the password hash to check a sign-in against, and
/// whether the account may sign in.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    pub password_hash: String,
    pub active: bool,
}

impl Tx {
    /// Inserts the account with its gemeenten unless the user name exists.
    pub async fn insert_user(&mut self, user: &User, password_hash: &str) -> Result<bool> {
        let id: Option<i64> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "INSERT INTO account (username, display_name, password_hash, role, aanbieder_agb, gi_agb) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(password_hash)
            .bind(user.role.as_str())
            .bind(user.aanbieder.as_ref().map(AgbCode::as_str))
            .bind(user.gi.as_ref().map(AgbCode::as_str))
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some(id) = id else { return Ok(false) };
        for gemeente in &user.gemeenten {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO account_gemeente (account_id, gemeente_code) VALUES ($1, $2)",
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
    pub async fn account(&mut self, username: &str) -> Result<Option<Account>> {
        let row: Option<AccountRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT id, username, display_name, password_hash, role, aanbieder_agb, gi_agb, active \
                 FROM account WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        let codes: Vec<String> = on_tx!(self, |conn| {
            sqlx::query_scalar("SELECT gemeente_code FROM account_gemeente WHERE account_id = $1 ORDER BY gemeente_code")
                .bind(row.id)
                .fetch_all(&mut *conn)
                .await?
        });
        let user = User {
            username: row.username,
            display_name: row.display_name,
            role: row.role.parse::<Role>()?,
            gemeenten: codes
                .iter()
                .map(|c| Gemeentecode::parse(c))
                .collect::<Result<_, _>>()?,
            aanbieder: row
                .aanbieder_agb
                .as_deref()
                .map(AgbCode::parse)
                .transpose()?,
            gi: row.gi_agb.as_deref().map(AgbCode::parse).transpose()?,
        };
        Ok(Some(Account {
            user,
            password_hash: row.password_hash,
            active: row.active,
        }))
    }
}
