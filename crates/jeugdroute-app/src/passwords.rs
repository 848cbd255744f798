//! Password hashing with Argon2id (the OWASP-recommended choice), in the PHC
//! string format so the parameters travel with the hash.
//!
//! Checking a password is deliberately slow (tens of milliseconds of CPU), so it
//! runs on tokio's blocking threads, never on the async workers that serve other
//! requests, and never inside a database transaction. [`Gate`] bounds how many
//! checks run at once (half the cores, at least one) and how many may wait; a
//! check beyond that is refused at once ([`AppError::Busy`]) rather than queued.

use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::AppError;

/// Checks that may wait for a free hashing thread, beyond those running.
const WAITING: usize = 32;

/// A hash of no one's password: checked when the user name is unknown, so that an
/// unknown name takes as long as a wrong password and names cannot be probed.
static UNKNOWN_USER_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash("onbekende gebruiker").ok());

/// The bound on concurrent password checks; clones share it.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    /// Running plus waiting checks.
    admitted: Arc<Semaphore>,
    /// Running checks.
    running: Arc<Semaphore>,
}

impl Gate {
    pub(crate) fn new() -> Gate {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Gate::with_limits((cores / 2).max(1), WAITING)
    }

    fn with_limits(running: usize, waiting: usize) -> Gate {
        Gate {
            admitted: Arc::new(Semaphore::new(running + waiting)),
            running: Arc::new(Semaphore::new(running)),
        }
    }

    /// Whether `password` matches `stored`; with no stored hash (an unknown user)
    /// a dummy hash is checked and the answer is no. Busy when too many checks
    /// are running and waiting already.
    pub(crate) async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, AppError> {
        let admitted = Arc::clone(&self.admitted)
            .try_acquire_owned()
            .map_err(|_| AppError::Busy)?;
        let running = Arc::clone(&self.running)
            .acquire_owned()
            .await
            .map_err(|_| AppError::Busy)?;
        // The permits move into the task: a client that gives up does not free
        // a thread that is still hashing.
        let check = tokio::task::spawn_blocking(move || {
            let _permits = (admitted, running);
            match stored {
                Some(stored) => verify(&password, &stored),
                None => {
                    if let Some(dummy) = UNKNOWN_USER_HASH.as_deref() {
                        verify(&password, dummy);
                    }
                    false
                }
            }
        });
        check
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("password check failed: {e}")))
    }
}

/// Hashes a password with a fresh random salt.
pub(crate) fn hash(password: &str) -> anyhow::Result<String> {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored hash; a malformed hash never matches.
pub(crate) fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_checks_only_its_own_password() {
        let first = hash("demo").unwrap();
        let second = hash("demo").unwrap();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("demo", &first));
        assert!(!verify("Demo", &first));
        assert!(!verify("demo", "geen hash"));
    }

    /// A check beyond the running and waiting ones is refused at once, not queued.
    #[tokio::test]
    async fn a_full_gate_answers_busy_at_once() {
        let gate = Gate::with_limits(1, 1);
        let stored = hash("demo").ok();
        let held = Arc::clone(&gate.admitted)
            .try_acquire_many_owned(2)
            .unwrap();
        let started = std::time::Instant::now();
        let busy = gate.verify("demo".into(), stored.clone()).await;
        assert!(matches!(busy, Err(AppError::Busy)), "{busy:?}");
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        drop(held);
        assert!(gate.verify("demo".into(), stored).await.unwrap());
        assert!(!gate.verify("demo".into(), None).await.unwrap());
    }
}
