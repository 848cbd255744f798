//! Sessions of signed-in users and the failed sign-ins that limit password
//! guessing. The application makes the tokens; this module stores only a hash of
//! each session token, never the token itself.

use chrono::{DateTime, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// A live session: whose it is and the token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl Tx {
    /// Starts a session for the account with this user name.
    pub async fn insert_session(
        &mut self,
        token_hash: &str,
        username: &str,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at) \
                 SELECT $1, id, $2, $3, $4 FROM account WHERE username = $5",
            )
            .bind(token_hash)
            .bind(csrf_token)
            .bind(now)
            .bind(expires_at)
            .bind(username)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The session with this token hash, if it has not expired and its account is
    /// still active.
    pub async fn session(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>> {
        on_tx!(self, |conn| {
            let row: Option<(String, String, DateTime<Utc>)> = sqlx::query_as(
                "SELECT a.username, s.csrf_token, s.expires_at FROM session s \
                 JOIN account a ON a.id = s.account_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active = TRUE",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?;
            Ok(row.map(|(username, csrf_token, expires_at)| Session {
                username,
                csrf_token,
                expires_at,
            }))
        })
    }

    /// Ends a session (sign-out) and clears every expired one.
    pub async fn delete_session(&mut self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("DELETE FROM session WHERE token_hash = $1 OR expires_at <= $2")
                .bind(token_hash)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    pub async fn record_sign_in_failure(
        &mut self,
        username: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("INSERT INTO sign_in_failure (username, occurred_at) VALUES ($1, $2)")
                .bind(username)
                .bind(at)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Failed sign-ins for this user name since `since`.
    pub async fn sign_in_failures(&mut self, username: &str, since: DateTime<Utc>) -> Result<i64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query_scalar(
                "SELECT COUNT(*) FROM sign_in_failure WHERE username = $1 AND occurred_at > $2",
            )
            .bind(username)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?)
        })
    }

    /// Forgets the failures of a user name after a successful sign-in.
    pub async fn clear_sign_in_failures(&mut self, username: &str) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("DELETE FROM sign_in_failure WHERE username = $1")
                .bind(username)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
