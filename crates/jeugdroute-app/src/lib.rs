//! The use cases of Jeugdroute, shared by the web interface and the command line.
//!
//! A use case loads what it needs from the store, asks the domain crate to decide,
//! saves the result together with its audit record in one transaction, and
//! answers in domain terms. Nothing here knows HTTP or HTML.

mod demo;
mod error;
mod overview;
mod passwords;
mod sign_in;

pub use demo::{DEMO_PASSWORD, DemoAccount, DemoRegio, DemoReport};
pub use error::AppError;
pub use jeugdroute_store::DatabaseUrl;
pub use overview::RegioOverview;

use jeugdroute_store::Store;

/// The application: every use case is a method on it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
}

impl App {
    /// Connects to the database and applies pending migrations.
    pub async fn open(url: &DatabaseUrl) -> Result<App, AppError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(App { store })
    }

    /// Whether the database answers (readiness).
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }

    /// Closes the database connections; used at shutdown.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// Row counts per table, for operators.
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, AppError> {
        let mut tx = self.store.begin().await?;
        Ok(tx.row_counts().await?)
    }
}
