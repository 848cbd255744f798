//! The `jeugdroute` command: a thin `main` that parses the command line, reads the
//! configuration once, sets up logging and hands over to one of the commands.
//! Exit codes: 0 done, 1 failed while running, 2 unusable arguments or settings.

mod bepaal;
mod cli;
mod config;
mod ijw_cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use jeugdroute_app::{App, DEMO_PASSWORD, DatabaseUrl, DemoRegio, DemoReport};

use crate::cli::{Cli, Command};
use crate::config::{Config, ConfigError};

/// Why a command stopped.
pub(crate) enum Stop {
    /// The arguments or settings cannot be used (exit 2).
    Usage(ConfigError),
    /// Something failed while running (exit 1).
    Failed(anyhow::Error),
    /// The command ran and its answer is "no", already printed (exit 1).
    Rejected,
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Self {
        Stop::Failed(e)
    }
}

impl From<ConfigError> for Stop {
    fn from(e: ConfigError) -> Self {
        Stop::Usage(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (code, message) = match run(&cli) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Stop::Rejected) => return ExitCode::from(1),
        Err(Stop::Usage(e)) => (2, format!("fout: {e}")),
        Err(Stop::Failed(e)) => (1, format!("fout: {e:#}")),
    };
    let _ = writeln!(std::io::stderr(), "{message}");
    ExitCode::from(code)
}

fn run(cli: &Cli) -> Result<(), Stop> {
    let (database, addr, public_url) = match &cli.command {
        Command::Serve(args) => (
            args.database.database.as_deref(),
            args.addr,
            args.public_url.as_deref(),
        ),
        Command::Migrate(args) | Command::Demo(args) => (args.database.as_deref(), None, None),
        Command::Bepaal(_) | Command::Ijw(_) => (None, None, None),
    };
    let mut config = Config::load(cli, database, addr, public_url)?;
    logging(&config.log)?;
    match &cli.command {
        Command::Bepaal(args) => {
            let text = bepaal::bepaal(&config.catalogue, args).map_err(ConfigError)?;
            say(text);
            return Ok(());
        }
        Command::Ijw(args) => return ijw_cli::run(args),
        _ => {}
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        match &cli.command {
            Command::Serve(args) => {
                if args.demo {
                    if database.is_some() {
                        tracing::warn!(
                            "demo mode uses its own fresh SQLite database, not the configured one"
                        );
                    }
                    config.database = fresh_demo_database(&config)?;
                }
                serve(&config, args.demo).await
            }
            Command::Migrate(_) => migrate(&config).await,
            Command::Demo(_) => demo(&config).await,
            Command::Bepaal(_) | Command::Ijw(_) => Ok(()),
        }
    })
}

fn logging(filter: &str) -> Result<(), Stop> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .map_err(|e| ConfigError(format!("--log: '{filter}' is geen geldig logfilter: {e}")))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    Ok(())
}

/// Prints a line for the person at the terminal; a closed stdout is no failure.
pub(crate) fn say(line: impl std::fmt::Display) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

async fn open(config: &Config) -> anyhow::Result<App> {
    tracing::info!(?config, "opening the database");
    App::open_with_catalogue(&config.database, config.catalogue.clone())
        .await
        .with_context(|| format!("database {} openen", config.database))
}

async fn migrate(config: &Config) -> Result<(), Stop> {
    let app = open(config).await?;
    app.close().await;
    say(format_args!(
        "Databaseschema is bijgewerkt: {}",
        config.database
    ));
    Ok(())
}

async fn demo(config: &Config) -> Result<(), Stop> {
    let app = open(config).await?;
    let report = app.load_demo().await.context("demoregio laden")?;
    app.close().await;
    say(report_text(&report));
    Ok(())
}

fn report_text(v: &DemoReport) -> String {
    if v.is_empty() {
        return "De demoregio stond er al; er is niets veranderd.".to_owned();
    }
    format!(
        "Demoregio geladen: {} gemeenten, {} aanbieders, {} contractregels, {} jeugdigen, {} accounts, {} casussen.",
        v.gemeenten, v.aanbieders, v.contracten, v.jeugdigen, v.accounts, v.casussen
    )
}

/// `serve --demo` always starts from an empty SQLite file in the data folder.
fn fresh_demo_database(config: &Config) -> Result<DatabaseUrl, Stop> {
    let path = config.data_dir.join("demo.sqlite");
    for extension in ["sqlite", "sqlite-wal", "sqlite-shm"] {
        let file = path.with_extension(extension);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(anyhow::anyhow!("{} verwijderen: {e}", file.display()).into()),
        }
    }
    Ok(DatabaseUrl::sqlite(path))
}

async fn serve(config: &Config, demo: bool) -> Result<(), Stop> {
    let app = open(config).await?;
    if demo {
        let report = app.load_demo().await.context("demoregio laden")?;
        tracing::info!(?report, "demo region loaded");
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("luisteren op {}", config.addr))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    say(format_args!("Jeugdroute draait op http://{addr}/"));
    if demo {
        print_demo_accounts(&app)?;
    }
    tracing::info!(%addr, "serving");
    let settings = jeugdroute_web::Settings {
        public_url: config.public_url.clone(),
    };
    jeugdroute_web::serve(listener, app.clone(), settings, shutdown_signal())
        .await
        .context("serving HTTP")?;
    app.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn print_demo_accounts(app: &App) -> Result<(), Stop> {
    let demo = DemoRegio::embedded(app.catalogue()).context("demoregio lezen")?;
    say(format_args!(
        "Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):"
    ));
    for account in &demo.accounts {
        let g = &account.user;
        say(format_args!("  {:<24} {}", g.username, g.role.label()));
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received; finishing running requests");
}
