//! One typed configuration, read once at start-up from defaults, an optional TOML
//! file and `JEUGDROUTE_*` environment variables (through clap), and passed down.
//! The regional catalogue is part of it: read and checked once, at start-up.
//! Later layers win: defaults < file < environment < command-line flags.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use jeugdroute_app::{
    AuditKey, AuditSetup, DatabaseUrl, Witness, default_catalogue, parse_catalogue,
};
use jeugdroute_domain::Catalogue;
use jeugdroute_web::PublicUrl;
use serde::Deserialize;

use crate::cli::Cli;

/// The settings a command runs with. `Debug` hides secrets (the database password).
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// The regional catalogue: the default one, or the region's own file.
    pub catalogue: Catalogue,
    pub database: DatabaseUrl,
    /// The owner's connection for migrations, when the application's own role
    /// may not change the schema.
    pub migration_database: Option<DatabaseUrl>,
    pub data_dir: PathBuf,
    pub log: String,
    /// The audit key file as configured; `None`: `audit.sleutel` in the data folder.
    pub audit_key: Option<PathBuf>,
    /// The witness file as configured; `None`: the database's default.
    pub audit_witness: Option<PathBuf>,
    /// The address people use (`--public-url`); https brings `__Host-` cookies,
    /// `Secure` and HSTS. None: plain HTTP, as the demo.
    pub public_url: Option<PublicUrl>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("catalogue", &self.catalogue.version)
            .field("database", &self.database.redacted())
            .field(
                "migration_database",
                &self.migration_database.as_ref().map(DatabaseUrl::redacted),
            )
            .field("data_dir", &self.data_dir)
            .field("audit_key", &self.audit_key)
            .field("audit_witness", &self.audit_witness)
            .field("log", &self.log)
            .field(
                "public_url",
                &self.public_url.as_ref().map(PublicUrl::origin),
            )
            .finish()
    }
}

/// The optional TOML file: every key may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    addr: Option<SocketAddr>,
    catalogus: Option<PathBuf>,
    database: Option<String>,
    data_dir: Option<PathBuf>,
    log: Option<String>,
    migratie_database: Option<String>,
    audit_sleutel: Option<PathBuf>,
    audit_getuige: Option<PathBuf>,
    public_url: Option<String>,
}

/// A configuration that cannot be used; the message says which setting and why.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_LOG: &str = "info,sqlx=warn";

impl Config {
    /// Builds the configuration from the parsed command line (which already holds
    /// the environment) and the file it names, if any. `database`, `addr` and
    /// `public_url` are the command's own flags.
    pub fn load(
        cli: &Cli,
        database: Option<&str>,
        migration_database: Option<&str>,
        addr: Option<SocketAddr>,
        public_url: Option<&str>,
    ) -> Result<Config, ConfigError> {
        let file = match &cli.config {
            Some(path) => read_settings_file(path)?,
            None => FileSettings::default(),
        };
        let data_dir = cli
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database = match database.map(str::to_owned).or(file.database) {
            Some(url) => url
                .parse()
                .map_err(|e| ConfigError(format!("--database: {e}")))?,
            None => DatabaseUrl::sqlite(data_dir.join("jeugdroute.sqlite")),
        };
        let migration_database = match migration_database
            .map(str::to_owned)
            .or(file.migratie_database)
        {
            Some(url) => Some(
                url.parse()
                    .map_err(|e| ConfigError(format!("--migratie-database: {e}")))?,
            ),
            None => None,
        };
        let default_addr = DEFAULT_ADDR
            .parse()
            .map_err(|_| ConfigError("intern: standaardadres".into()))?;
        let catalogue = match cli.catalogus.as_ref().or(file.catalogus.as_ref()) {
            Some(path) => read_catalogue(path)?,
            None => default_catalogue().map_err(|e| ConfigError(format!("intern: {e}")))?,
        };
        let public_url = match public_url.map(str::to_owned).or(file.public_url) {
            Some(url) => Some(
                url.parse()
                    .map_err(|e| ConfigError(format!("--public-url: {e}")))?,
            ),
            None => None,
        };
        Ok(Config {
            public_url,
            addr: addr.or(file.addr).unwrap_or(default_addr),
            catalogue,
            database,
            migration_database,
            data_dir,
            audit_key: cli.audit_sleutel.clone().or(file.audit_sleutel),
            audit_witness: cli.audit_getuige.clone().or(file.audit_getuige),
            log: cli
                .log
                .clone()
                .or(file.log)
                .unwrap_or_else(|| DEFAULT_LOG.to_owned()),
        })
    }
}

impl Config {
    /// The audit key and witness for the configured database: a configured key
    /// file must exist (a missing one is never replaced by a new key, which would
    /// make the chain unverifiable); the data folder's key is made on first start.
    pub fn audit_setup(&self) -> Result<AuditSetup, ConfigError> {
        let key = match &self.audit_key {
            Some(path) => AuditKey::read(path),
            None => {
                AuditKey::read_or_generate(&self.data_dir.join(jeugdroute_app::DEFAULT_KEY_FILE))
            }
        }
        .map_err(|e| ConfigError(format!("--audit-sleutel: {e}")))?;
        let witness = self
            .audit_witness
            .clone()
            .unwrap_or_else(|| AuditSetup::default_witness(&self.database, &self.data_dir));
        Ok(AuditSetup {
            key,
            witness: Witness::new(witness),
        })
    }
}

fn read_catalogue(path: &Path) -> Result<Catalogue, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "--catalogus: {} kan niet gelezen worden: {e}",
            path.display()
        ))
    })?;
    parse_catalogue(&text).map_err(|e| ConfigError(format!("--catalogus {}: {e}", path.display())))
}

fn read_settings_file(path: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "configuratiebestand {} kan niet gelezen worden: {e}",
            path.display()
        ))
    })?;
    toml::from_str(&text).map_err(|e| {
        ConfigError(format!(
            "configuratiebestand {}: {}",
            path.display(),
            e.message()
        ))
    })
}
