//! The `jeugdroute` command: a thin `main` that parses the command line, reads the
//! configuration once, sets up logging and hands over to one of the commands.
//! Exit codes: 0 done, 1 failed while running, 2 unusable arguments or settings.

mod cli;
mod config;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use jeugdroute_app::{App, DEMO_WACHTWOORD, DatabaseUrl, DemoRegio, DemoVerslag};

use crate::cli::{Cli, Opdracht};
use crate::config::{Config, Ongeldig};

/// Why a command stopped.
enum Stop {
    /// The arguments or settings cannot be used (exit 2).
    Ongeldig(Ongeldig),
    /// Something failed while running (exit 1).
    Mislukt(anyhow::Error),
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Self {
        Stop::Mislukt(e)
    }
}

impl From<Ongeldig> for Stop {
    fn from(e: Ongeldig) -> Self {
        Stop::Ongeldig(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (code, melding) = match run(&cli) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Stop::Ongeldig(e)) => (2, format!("fout: {e}")),
        Err(Stop::Mislukt(e)) => (1, format!("fout: {e:#}")),
    };
    let _ = writeln!(std::io::stderr(), "{melding}");
    ExitCode::from(code)
}

fn run(cli: &Cli) -> Result<(), Stop> {
    let (database, addr) = match &cli.opdracht {
        Opdracht::Serve(args) => (args.database.database.as_deref(), args.addr),
        Opdracht::Migrate(args) | Opdracht::Demo(args) => (args.database.as_deref(), None),
    };
    let mut config = Config::laden(cli, database, addr)?;
    logging(&config.log)?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        match &cli.opdracht {
            Opdracht::Serve(args) => {
                if args.demo {
                    config.database = verse_demodatabase(&config)?;
                }
                serve(&config, args.demo).await
            }
            Opdracht::Migrate(_) => migrate(&config).await,
            Opdracht::Demo(_) => demo(&config).await,
        }
    })
}

fn logging(filter: &str) -> Result<(), Stop> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .map_err(|e| Ongeldig(format!("--log: '{filter}' is geen geldig logfilter: {e}")))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    Ok(())
}

/// Prints a line for the person at the terminal; a closed stdout is no failure.
fn zeg(regel: impl std::fmt::Display) {
    let _ = writeln!(std::io::stdout(), "{regel}");
}

async fn open(config: &Config) -> anyhow::Result<App> {
    tracing::info!(?config, "opening the database");
    App::open(&config.database)
        .await
        .with_context(|| format!("database {} openen", config.database))
}

async fn migrate(config: &Config) -> Result<(), Stop> {
    let app = open(config).await?;
    app.sluiten().await;
    zeg(format_args!(
        "Databaseschema is bijgewerkt: {}",
        config.database
    ));
    Ok(())
}

async fn demo(config: &Config) -> Result<(), Stop> {
    let app = open(config).await?;
    let verslag = app.laad_demo().await.context("demoregio laden")?;
    app.sluiten().await;
    zeg(verslag_tekst(&verslag));
    Ok(())
}

fn verslag_tekst(v: &DemoVerslag) -> String {
    if v.niets_toegevoegd() {
        return "De demoregio stond er al; er is niets veranderd.".to_owned();
    }
    format!(
        "Demoregio geladen: {} gemeenten, {} aanbieders, {} contractregels, {} jeugdigen, {} accounts.",
        v.gemeenten, v.aanbieders, v.contracten, v.jeugdigen, v.accounts
    )
}

/// `serve --demo` always starts from an empty SQLite file in the data folder.
fn verse_demodatabase(config: &Config) -> Result<DatabaseUrl, Stop> {
    let pad = config.data_dir.join("demo.sqlite");
    for extensie in ["sqlite", "sqlite-wal", "sqlite-shm"] {
        let bestand = pad.with_extension(extensie);
        match std::fs::remove_file(&bestand) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(anyhow::anyhow!("{} verwijderen: {e}", bestand.display()).into()),
        }
    }
    Ok(DatabaseUrl::sqlite(pad))
}

async fn serve(config: &Config, demo: bool) -> Result<(), Stop> {
    let app = open(config).await?;
    if demo {
        let verslag = app.laad_demo().await.context("demoregio laden")?;
        tracing::info!(?verslag, "demo region loaded");
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("luisteren op {}", config.addr))?;
    let adres = listener.local_addr().context("reading the bound address")?;
    zeg(format_args!("Jeugdroute draait op http://{adres}/"));
    if demo {
        demo_accounts_tonen()?;
    }
    tracing::info!(%adres, "serving");
    jeugdroute_web::serve(listener, app.clone(), afsluitsignaal())
        .await
        .context("serving HTTP")?;
    app.sluiten().await;
    tracing::info!("stopped");
    Ok(())
}

fn demo_accounts_tonen() -> Result<(), Stop> {
    let demo = DemoRegio::ingebouwd().context("demoregio lezen")?;
    zeg(format_args!(
        "Demo-accounts (wachtwoord voor allemaal: {DEMO_WACHTWOORD}):"
    ));
    for account in &demo.accounts {
        let g = &account.gebruiker;
        zeg(format_args!(
            "  {:<24} {}",
            g.gebruikersnaam,
            g.rol.weergave()
        ));
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn afsluitsignaal() {
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
