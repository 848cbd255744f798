//! Processing as a service: deliver to the parties of this installation and
//! process the inbox until nothing moves, once (`jeugdroute berichten verwerk`,
//! for cron) or continuously in the serving process ([`App::berichten_lus`]).
//! Each message is still its own all-or-nothing transaction, so the loop may stop
//! or crash anywhere: what was not committed waits again.

use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use super::Verwerking;
use crate::{App, AppError};

/// How long the serving loop waits when nothing wakes it earlier.
pub const BERICHTEN_INTERVAL: Duration = Duration::from_secs(2);

/// How many messages one round delivers and processes before the loop looks at
/// its stop signal again.
const RONDE: usize = 200;

/// What one run of [`App::berichten_afhandelen`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Afhandeling {
    /// Delivered from the outbox to the inbox of a party of this installation.
    pub bezorgd: usize,
    /// The inbox processed, by outcome.
    pub verwerking: Verwerking,
}

impl std::ops::AddAssign for Verwerking {
    fn add_assign(&mut self, other: Verwerking) {
        self.verwerkt += other.verwerkt;
        self.afgekeurd += other.afgekeurd;
        self.onleesbaar += other.onleesbaar;
        self.dubbel += other.dubbel;
    }
}

/// Wakes the serving loop when a message arrives, so it need not wait for its
/// interval. Cheap to clone; shared by the clones of an [`App`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Wekker(std::sync::Arc<tokio::sync::Notify>);

impl Wekker {
    pub(crate) fn wek(&self) {
        self.0.notify_one();
    }
}

impl App {
    /// Delivers to the parties of this installation and processes the inbox in
    /// rounds until nothing moves; between rounds it stops early when `stop`
    /// says so.
    pub async fn berichten_afhandelen(
        &self,
        stop: Option<&watch::Receiver<bool>>,
    ) -> Result<Afhandeling, AppError> {
        let mut totaal = Afhandeling::default();
        while !stop.is_some_and(|s| *s.borrow()) {
            let bezorgd = self.berichten_bezorgen(RONDE as i64).await?;
            let verwerking = self.berichten_verwerken(RONDE).await?;
            totaal.bezorgd += bezorgd;
            totaal.verwerking += verwerking;
            if bezorgd == 0 && verwerking.totaal() == 0 {
                break;
            }
        }
        Ok(totaal)
    }

    /// The serving process's exchange: [`App::berichten_afhandelen`] now, then
    /// every [`BERICHTEN_INTERVAL`] or as soon as a message arrives, until `stop`
    /// turns true (or its sender is gone). A failed round is logged and tried
    /// again at the next; a message is never half-processed.
    pub async fn berichten_lus(&self, mut stop: watch::Receiver<bool>) {
        loop {
            match self.berichten_afhandelen(Some(&stop)).await {
                Ok(a) if a.bezorgd + a.verwerking.totaal() > 0 => tracing::info!(
                    delivered = a.bezorgd,
                    processed = a.verwerking.verwerkt,
                    refused = a.verwerking.afgekeurd,
                    unreadable = a.verwerking.onleesbaar,
                    duplicate = a.verwerking.dubbel,
                    "messages handled"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "handling messages failed; trying again"),
            }
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                () = self.wekker.0.notified() => {}
                () = tokio::time::sleep(BERICHTEN_INTERVAL) => {}
            }
        }
        tracing::info!("message loop stopped");
    }
}
