//! One typed configuration, read once at start-up from defaults, an optional TOML
//! file and `JEUGDROUTE_*` environment variables (through clap), and passed down.
//! Later layers win: defaults < file < environment < command-line flags.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use jeugdroute_app::DatabaseUrl;
use serde::Deserialize;

use crate::cli::Cli;

/// The settings a command runs with. `Debug` hides secrets (the database password).
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database: DatabaseUrl,
    pub data_dir: PathBuf,
    pub log: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database", &self.database.redacted())
            .field("data_dir", &self.data_dir)
            .field("log", &self.log)
            .finish()
    }
}

/// The optional TOML file: every key may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bestand {
    addr: Option<SocketAddr>,
    database: Option<String>,
    data_dir: Option<PathBuf>,
    log: Option<String>,
}

/// A configuration that cannot be used; the message says which setting and why.
#[derive(Debug)]
pub struct Ongeldig(pub String);

impl fmt::Display for Ongeldig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const STANDAARD_ADRES: &str = "127.0.0.1:8080";
pub const STANDAARD_LOG: &str = "info,sqlx=warn";

impl Config {
    /// Builds the configuration from the parsed command line (which already holds
    /// the environment) and the file it names, if any. `database` and `addr` are
    /// the command's own flags.
    pub fn laden(
        cli: &Cli,
        database: Option<&str>,
        addr: Option<SocketAddr>,
    ) -> Result<Config, Ongeldig> {
        let bestand = match &cli.config {
            Some(pad) => lees_bestand(pad)?,
            None => Bestand::default(),
        };
        let data_dir = cli
            .data_dir
            .clone()
            .or(bestand.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database = match database.map(str::to_owned).or(bestand.database) {
            Some(url) => url
                .parse()
                .map_err(|e| Ongeldig(format!("--database: {e}")))?,
            None => DatabaseUrl::sqlite(data_dir.join("jeugdroute.sqlite")),
        };
        let standaard_adres = STANDAARD_ADRES
            .parse()
            .map_err(|_| Ongeldig("intern: standaardadres".into()))?;
        Ok(Config {
            addr: addr.or(bestand.addr).unwrap_or(standaard_adres),
            database,
            data_dir,
            log: cli
                .log
                .clone()
                .or(bestand.log)
                .unwrap_or_else(|| STANDAARD_LOG.to_owned()),
        })
    }
}

fn lees_bestand(pad: &Path) -> Result<Bestand, Ongeldig> {
    let tekst = std::fs::read_to_string(pad).map_err(|e| {
        Ongeldig(format!(
            "configuratiebestand {} kan niet gelezen worden: {e}",
            pad.display()
        ))
    })?;
    toml::from_str(&tekst).map_err(|e| {
        Ongeldig(format!(
            "configuratiebestand {}: {}",
            pad.display(),
            e.message()
        ))
    })
}
