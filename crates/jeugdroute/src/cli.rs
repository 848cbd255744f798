//! The command line as typed: parsed by clap, checked into a `Config` afterwards.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Jeugdroute: toegang tot jeugdhulp, van eerste vraag tot toewijzing.
#[derive(Debug, Parser)]
#[command(name = "jeugdroute", version, about, long_about = None)]
pub struct Cli {
    /// Optioneel configuratiebestand (TOML) met addr, database, data_dir en log.
    #[arg(long, global = true, env = "JEUGDROUTE_CONFIG", value_name = "BESTAND")]
    pub config: Option<PathBuf>,

    /// Map voor de gegevens (de SQLite-database als er geen --database is).
    #[arg(long, global = true, env = "JEUGDROUTE_DATA_DIR", value_name = "MAP")]
    pub data_dir: Option<PathBuf>,

    /// Welke logregels getoond worden, bijvoorbeeld "info" of "debug,sqlx=warn".
    #[arg(long, global = true, env = "JEUGDROUTE_LOG", value_name = "FILTER")]
    pub log: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start de webapplicatie.
    Serve(ServeArgs),
    /// Breng het databaseschema bij (de webapplicatie doet dit ook bij het starten).
    Migrate(DatabaseArgs),
    /// Laad de demoregio (regio Amersfoort) in een bestaande database. Twee keer laden verandert niets.
    Demo(DatabaseArgs),
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// sqlite://PAD of postgres://GEBRUIKER@HOST:POORT/DATABASE (standaard: een SQLite-bestand in de datamap).
    #[arg(
        long,
        env = "JEUGDROUTE_DATABASE",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Adres en poort om op te luisteren.
    #[arg(long, env = "JEUGDROUTE_ADDR", value_name = "ADRES:POORT")]
    pub addr: Option<SocketAddr>,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Start op een nieuwe SQLite-database met de demoregio en demo-accounts (wachtwoord "demo").
    /// Een ingestelde database wordt dan niet gebruikt.
    #[arg(long)]
    pub demo: bool,
}
