//! The `jeugdroute` command: a thin `main` that parses the command line, reads the
//! configuration once, sets up logging and hands over to one of the commands.
//! Exit codes: 0 done, 1 failed while running, 2 unusable arguments or settings.

mod bepaal;
mod berichten_cli;
mod cli;
mod config;
mod ijw_cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use jeugdroute_app::{App, DEMO_PASSWORD, DatabaseUrl, DemoRegio, DemoReport};

use crate::cli::{AuditCommand, Cli, Command, DemoArgs};
use crate::config::{Config, ConfigError};

/// mimalloc rather than the system's allocator: reading a message allocates
/// for every element, and a server for every request (see the manifest).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // The iJw codec uses no settings, no logging and no runtime: a batch of
    // thousands of files should not wait for them, nor fail on them.
    if let Command::Ijw(args) = &cli.command {
        return ijw_cli::run(args);
    }
    let (database, addr, public_url) = match &cli.command {
        Command::Serve(args) => (Some(&args.database), args.addr, args.public_url.as_deref()),
        Command::Migrate(args) => (Some(&args.database), None, None),
        Command::Audit(args) => (Some(&args.database), None, None),
        Command::Berichten(args) => (Some(&args.database), None, None),
        Command::Demo(args) => (Some(&args.database), None, None),
        Command::Bepaal(_) | Command::Ijw(_) => (None, None, None),
    };
    let migration = database.and_then(|d| d.migratie_database.as_deref());
    let database = database.and_then(|d| d.database.as_deref());
    let mut config = Config::load(cli, database, migration, addr, public_url)?;
    logging(&config.log)?;
    if let Command::Bepaal(args) = &cli.command {
        let text = bepaal::bepaal(&config.catalogue, args).map_err(ConfigError)?;
        say(text);
        return Ok(());
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
            Command::Migrate(args) => migrate(&config, args.app_rol.as_deref()).await,
            Command::Demo(args) => demo(&config, args).await,
            Command::Audit(args) => audit(&config, &args.command).await,
            Command::Berichten(args) => berichten_cli::run(&config, &args.command).await,
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

pub(crate) async fn open(config: &Config) -> Result<App, Stop> {
    tracing::info!(?config, "opening the database");
    let audit = config.audit_setup()?;
    Ok(App::open_with(
        &config.database,
        config.catalogue.clone(),
        audit,
        config.migration_database.as_ref(),
    )
    .await
    .with_context(|| format!("database {} openen", config.database))?)
}

/// Migrates over the migration connection when one is configured, else over
/// the database's own; with `app_rol`, then grants that role its rights.
async fn migrate(config: &Config, app_rol: Option<&str>) -> Result<(), Stop> {
    let owner = config
        .migration_database
        .as_ref()
        .unwrap_or(&config.database);
    jeugdroute_app::migrate(owner)
        .await
        .with_context(|| format!("database {owner} migreren"))?;
    say(format_args!("Databaseschema is bijgewerkt: {owner}"));
    if let Some(role) = app_rol {
        jeugdroute_app::grant_app_role(owner, role)
            .await
            .map_err(|e| ConfigError(format!("{e}")))?;
        say(format_args!(
            "Rol {role} mag alles op de gewone tabellen, en op het auditlog alleen toevoegen en lezen."
        ));
    }
    Ok(())
}

/// `jeugdroute audit verifieer` and `jeugdroute audit anker`.
async fn audit(config: &Config, command: &AuditCommand) -> Result<(), Stop> {
    let app = open(config).await?;
    let outcome = match command {
        AuditCommand::Verifieer => verifieer(&app).await,
        AuditCommand::Anker => anker(&app).await,
    };
    app.close().await;
    outcome
}

async fn verifieer(app: &App) -> Result<(), Stop> {
    let check = app
        .audit_verifieren_geheel()
        .await
        .context("auditlog controleren")?;
    match (check.first_bad_id, &check.reason) {
        (Some(id), reason) => {
            say(format_args!(
                "Het auditlog is NIET compleet: regel {id} klopt niet: {}. {} regels ervoor zijn in orde.",
                reason.as_deref().unwrap_or("onbekende reden"),
                check.checked
            ));
            Err(Stop::Rejected)
        }
        (None, _) => {
            say(format_args!(
                "Het auditlog is compleet: {} regels gecontroleerd tegen sleutel en getuige{}.",
                check.checked,
                check
                    .up_to_id
                    .map(|id| format!(", tot en met regel {id}"))
                    .unwrap_or_default()
            ));
            Ok(())
        }
    }
}

async fn anker(app: &App) -> Result<(), Stop> {
    match app
        .audit_anker()
        .await
        .context("kop van het auditlog lezen")?
    {
        Some(head) => say(format_args!(
            "Auditlog-anker (bewaar dit buiten deze server): regel {} MAC {} tijd {}",
            head.id,
            head.mac,
            jeugdroute_domain::moment_seconds(head.occurred_at)
        )),
        None => say("Het auditlog is nog leeg: er is geen anker."),
    }
    Ok(())
}

/// At start-up: the records since the last checkpoint verified. Tampering found
/// does not stop the service (youth care goes on); it is logged as an error,
/// kept as the last verification and shown on the beheerder's page.
async fn check_audit_at_start(app: &App) -> Result<(), Stop> {
    let check = app
        .audit_verifieren_sinds_controle()
        .await
        .context("auditlog controleren bij het starten")?;
    match (check.first_bad_id, &check.reason) {
        (Some(id), reason) => tracing::error!(
            first_bad_record = id,
            reason = reason.as_deref().unwrap_or(""),
            "THE AUDIT LOG DOES NOT VERIFY: records changed, forged or removed outside the application; run `jeugdroute audit verifieer` and inform the data protection officer"
        ),
        (None, _) => tracing::info!(
            checked = check.checked,
            up_to = check.up_to_id,
            "audit log verified since the last checkpoint"
        ),
    }
    Ok(())
}

async fn demo(config: &Config, args: &DemoArgs) -> Result<(), Stop> {
    let app = open(config).await?;
    let report = app.load_demo().await.context("demoregio laden")?;
    say(report_text(&report));
    if let Some(aantal) = args.casussen {
        let started = std::time::Instant::now();
        let added = app
            .massa_casussen(aantal, args.seed, |done| {
                let _ = write!(std::io::stderr(), "\r{}", voortgang(done, aantal, started));
            })
            .await
            .context("casussen toevoegen")?;
        let _ = writeln!(std::io::stderr());
        let seconds = started.elapsed().as_secs_f64();
        say(format_args!(
            "{added} casussen toegevoegd in {seconds:.1} s ({:.0} per seconde).",
            per_second(added, seconds)
        ));
    }
    app.close().await;
    Ok(())
}

/// The progress line of `demo --casussen`: done of all, and the pace so far.
fn voortgang(done: u64, aantal: u64, started: std::time::Instant) -> String {
    let seconds = started.elapsed().as_secs_f64();
    format!(
        "{done} van {aantal} casussen ({:.0} per seconde)",
        per_second(done, seconds)
    )
}

#[allow(
    clippy::cast_precision_loss,
    reason = "a rate shown to people, far below 2^52"
)]
fn per_second(done: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        done as f64 / seconds
    } else {
        0.0
    }
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
    for extension in ["sqlite", "sqlite-wal", "sqlite-shm", "getuige"] {
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
    check_audit_at_start(&app).await?;
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
        ..jeugdroute_web::Settings::default()
    };
    // The exchange runs beside the web server and stops with it.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let exchange = tokio::spawn({
        let app = app.clone();
        async move { app.berichten_lus(stopped).await }
    });
    let signal = {
        let stop = stop.clone();
        async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        }
    };
    let served = jeugdroute_web::serve(listener, app.clone(), settings, signal).await;
    let _ = stop.send(true);
    if let Err(e) = exchange.await {
        tracing::error!(error = %e, "the message loop ended abnormally");
    }
    served.context("serving HTTP")?;
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
