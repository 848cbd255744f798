//! Sessions of signed-in users and the failed sign-ins that limit password
//! guessing. The application makes the tokens; this module stores only a hash of
//! each session token, never the token itself. A session ends at its expiry or
//! when it has not been used for a while (`last_used_at`, which the application
//! refreshes at most once a minute, so not every request writes).

use chrono::{DateTime, Utc};

use crate::store::on_tx;
use crate::{Result, Tx};

/// A live session: whose it is, the token its forms must carry and when it was
/// last used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

/// Failed sign-ins of one kind within a window: how many, and the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCount {
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

/// What the sign-in back-off needs to know about one attempt's user name and
/// source address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignInFailures {
    /// Failures from this source, for any user name.
    pub by_source: FailureCount,
    /// Failures for this user name, from any source.
    pub by_username: FailureCount,
    /// Failures for this user name from this source.
    pub by_both: i64,
}

impl Tx {
    /// Starts a session for the account with this user name, used now.
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
                "INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at, last_used_at) \
                 SELECT $1, id, $2, $3, $4, $3 FROM account WHERE username = $5",
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

    /// The session with this token hash, if it has not expired, was used after
    /// `idle_since`, and its account is still active.
    pub async fn session(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> Result<Option<Session>> {
        on_tx!(self, |conn| {
            let row: Option<(String, String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
                "SELECT a.username, s.csrf_token, s.expires_at, s.last_used_at FROM session s \
                 JOIN account a ON a.id = s.account_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_used_at > $3 \
                 AND a.active = TRUE",
            )
            .bind(token_hash)
            .bind(now)
            .bind(idle_since)
            .fetch_optional(&mut *conn)
            .await?;
            Ok(
                row.map(|(username, csrf_token, expires_at, last_used_at)| Session {
                    username,
                    csrf_token,
                    expires_at,
                    last_used_at,
                }),
            )
        })
    }

    /// Records that the session was used at `now`.
    pub async fn touch_session(&mut self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("UPDATE session SET last_used_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
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

    /// Ends every session of the account whose session has this token hash
    /// ("overal afmelden"); returns how many ended.
    pub async fn delete_sessions_of_account(&mut self, token_hash: &str) -> Result<u64> {
        on_tx!(self, |conn| {
            Ok(sqlx::query(
                "DELETE FROM session WHERE account_id = \
                 (SELECT account_id FROM session WHERE token_hash = $1)",
            )
            .bind(token_hash)
            .execute(&mut *conn)
            .await?
            .rows_affected())
        })
    }

    /// Records a failed sign-in for a user name from a source address ('' when unknown).
    pub async fn record_sign_in_failure(
        &mut self,
        username: &str,
        source: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO sign_in_failure (username, source, occurred_at) VALUES ($1, $2, $3)",
            )
            .bind(username)
            .bind(source)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Failed sign-ins since `since` by this source, for this user name, and for both.
    pub async fn sign_in_failures(
        &mut self,
        username: &str,
        source: &str,
        since: DateTime<Utc>,
    ) -> Result<SignInFailures> {
        let by_source = self
            .failure_count("source = $1 AND occurred_at > $2", source, since)
            .await?;
        let by_username = self
            .failure_count("username = $1 AND occurred_at > $2", username, since)
            .await?;
        let by_both = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM sign_in_failure \
                 WHERE username = $1 AND source = $2 AND occurred_at > $3",
            )
            .bind(username)
            .bind(source)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?
        });
        Ok(SignInFailures {
            by_source,
            by_username,
            by_both,
        })
    }

    /// Count and latest of the failures matching `condition` (on `$1`, `$2`).
    async fn failure_count(
        &mut self,
        condition: &'static str,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<FailureCount> {
        let sql =
            format!("SELECT COUNT(*), MAX(occurred_at) FROM sign_in_failure WHERE {condition}");
        let sql = sqlx::AssertSqlSafe(sql);
        let (count, last): (i64, Option<DateTime<Utc>>) = on_tx!(self, |conn| {
            sqlx::query_as(sql)
                .bind(key)
                .bind(since)
                .fetch_one(&mut *conn)
                .await?
        });
        Ok(FailureCount { count, last })
    }

    /// Forgets the failures of a user name from one source after that source
    /// signed in with the right password. Failures from elsewhere stay.
    pub async fn clear_sign_in_failures(&mut self, username: &str, source: &str) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query("DELETE FROM sign_in_failure WHERE username = $1 AND source = $2")
                .bind(username)
                .bind(source)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Removes failures older than `before`: they no longer count.
    pub async fn prune_sign_in_failures(&mut self, before: DateTime<Utc>) -> Result<u64> {
        on_tx!(self, |conn| {
            Ok(
                sqlx::query("DELETE FROM sign_in_failure WHERE occurred_at <= $1")
                    .bind(before)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected(),
            )
        })
    }
}
