//! The `jeugdroute` binary run as a person or a script would: real processes,
//! real files, a real HTTP client, and PostgreSQL when the test server is named.

use std::path::Path;
use std::process::{ExitStatus, Output, Stdio};
use std::time::Duration;

use jeugdroute_store::testing::TestDatabase;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{ChildStdout, Command};

const GEMEENTEN: [&str; 7] = [
    "Amersfoort",
    "Baarn",
    "Bunschoten",
    "Eemnes",
    "Leusden",
    "Soest",
    "Woudenberg",
];
const WACHTTIJD: Duration = Duration::from_secs(60);

/// The binary, started in `map` with no `JEUGDROUTE_*` settings from outside.
fn jeugdroute(map: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jeugdroute"));
    command.current_dir(map).kill_on_drop(true);
    for (naam, _) in std::env::vars().filter(|(n, _)| n.starts_with("JEUGDROUTE_")) {
        command.env_remove(naam);
    }
    command
}

async fn uitvoeren(command: &mut Command) -> Output {
    tokio::time::timeout(WACHTTIJD, command.output())
        .await
        .expect("command timed out")
        .unwrap()
}

fn tekst(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running `jeugdroute serve`.
struct Server {
    child: tokio::process::Child,
    adres: String,
    uitvoer: Lines<BufReader<ChildStdout>>,
    eerste_regels: Vec<String>,
}

impl Server {
    async fn start(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut uitvoer = BufReader::new(child.stdout.take().unwrap()).lines();
        let eerste = tokio::time::timeout(WACHTTIJD, uitvoer.next_line())
            .await
            .expect("no start line")
            .unwrap();
        let eerste = eerste.unwrap_or_else(|| panic!("serve stopped: {:?}", child.try_wait()));
        let adres = eerste
            .strip_prefix("Jeugdroute draait op ")
            .unwrap_or_else(|| panic!("unexpected first line: {eerste}"))
            .trim_end_matches('/')
            .to_owned();
        Server {
            child,
            adres,
            uitvoer,
            eerste_regels: vec![eerste],
        }
    }

    async fn regels(&mut self, aantal: usize) -> &[String] {
        while self.eerste_regels.len() < aantal {
            let regel = self.uitvoer.next_line().await.unwrap().unwrap();
            self.eerste_regels.push(regel);
        }
        &self.eerste_regels
    }

    async fn get(&self, pad: &str) -> (u16, String) {
        let antwoord = reqwest::get(format!("{}{pad}", self.adres)).await.unwrap();
        (antwoord.status().as_u16(), antwoord.text().await.unwrap())
    }

    /// Sends SIGTERM, as a service manager does, and waits for the exit.
    async fn stop(mut self) -> (ExitStatus, String) {
        let pid = self.child.id().unwrap().to_string();
        let kill = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(kill.success());
        let status = tokio::time::timeout(WACHTTIJD, self.child.wait())
            .await
            .expect("no exit after SIGTERM")
            .unwrap();
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut log)
                .await
                .unwrap();
        }
        (status, log)
    }
}

fn bevat_alle_gemeenten(html: &str) -> bool {
    GEMEENTEN
        .iter()
        .all(|g| html.contains(&format!("<tr><td>{g}</td>")))
}

#[tokio::test]
async fn serve_demo_serves_the_region_and_stops_cleanly_on_sigterm() {
    let map = tempfile::tempdir().unwrap();
    let mut command = jeugdroute(map.path());
    command.args(["serve", "--demo", "--addr", "127.0.0.1:0"]);
    let mut server = Server::start(command).await;

    let regels = server.regels(8).await.join("\n");
    assert!(
        regels.contains("wachtwoord voor allemaal: demo"),
        "{regels}"
    );
    for account in [
        "medewerker.amersfoort",
        "medewerker.soest",
        "gi.medewerker",
        "aanbieder.demo",
        "beleid",
        "beheer",
    ] {
        assert!(
            regels.contains(account),
            "{account} not announced:\n{regels}"
        );
    }
    assert_eq!(server.get("/healthz").await, (200, "ok".to_owned()));
    assert_eq!(server.get("/readyz").await.0, 200);
    let (status, html) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(bevat_alle_gemeenten(&html), "{html}");
    assert!(
        map.path().join("data/demo.sqlite").exists(),
        "the demo database lives in the data folder"
    );

    let (status, log) = server.stop().await;
    assert!(status.success(), "exit after SIGTERM: {status:?}\n{log}");
    assert!(log.contains("shutdown signal received"), "{log}");
}

#[tokio::test]
async fn serve_demo_starts_fresh_every_time() {
    let map = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(map.path().join("data")).unwrap();
    std::fs::write(map.path().join("data/demo.sqlite"), b"not a database").unwrap();
    let mut command = jeugdroute(map.path());
    command.args(["serve", "--demo", "--addr", "127.0.0.1:0"]);
    let server = Server::start(command).await;
    assert!(bevat_alle_gemeenten(&server.get("/").await.1));
    assert!(server.stop().await.0.success());
}

#[tokio::test]
async fn unusable_databases_and_flags_are_refused_with_exit_code_2() {
    let map = tempfile::tempdir().unwrap();
    for args in [
        vec!["serve", "--database", "mysql://root@localhost/jr"],
        vec!["migrate", "--database", "data.sqlite"],
        vec!["demo", "--database", "sqlite://"],
    ] {
        let uit = uitvoeren(jeugdroute(map.path()).args(&args)).await;
        assert_eq!(uit.status.code(), Some(2), "{args:?}");
        let fout = tekst(&uit.stderr);
        assert!(
            fout.contains("--database: onbekende database-URL"),
            "{args:?}: {fout}"
        );
        assert!(
            fout.contains("sqlite://PAD") && fout.contains("postgres://"),
            "{fout}"
        );
    }
    let uit = uitvoeren(jeugdroute(map.path()).args([
        "serve",
        "--demo",
        "--database",
        "sqlite://x.sqlite",
    ]))
    .await;
    assert_eq!(uit.status.code(), Some(2));
    assert!(tekst(&uit.stderr).contains("'--demo' cannot be used with '--database <URL>'"));
    let uit = uitvoeren(jeugdroute(map.path()).args(["migrate", "--log", "info,,=="])).await;
    assert_eq!(uit.status.code(), Some(2));
    assert!(
        tekst(&uit.stderr).contains("--log:"),
        "{}",
        tekst(&uit.stderr)
    );
    assert!(
        !map.path().join("data").exists(),
        "a refused command writes nothing"
    );
}

#[tokio::test]
async fn a_database_password_never_reaches_the_output() {
    let map = tempfile::tempdir().unwrap();
    let uit = uitvoeren(jeugdroute(map.path()).args([
        "migrate",
        "--database",
        "postgres://jr:GeheimWachtwoord@127.0.0.1:1/jr",
    ]))
    .await;
    assert_eq!(
        uit.status.code(),
        Some(1),
        "an unreachable server is a runtime failure"
    );
    let alles = format!("{}{}", tekst(&uit.stdout), tekst(&uit.stderr));
    assert!(
        alles.contains("postgres://jr:***@127.0.0.1:1/jr"),
        "{alles}"
    );
    assert!(!alles.contains("GeheimWachtwoord"), "{alles}");
}

#[tokio::test]
async fn settings_come_from_file_then_environment_then_flags() {
    let map = tempfile::tempdir().unwrap();
    let bestand = map.path().join("jeugdroute.toml");
    std::fs::write(
        &bestand,
        "database = \"sqlite://uit-bestand.sqlite\"\nlog = \"warn\"\n",
    )
    .unwrap();
    let config = bestand.to_str().unwrap();

    let uit = uitvoeren(jeugdroute(map.path()).args(["migrate", "--config", config])).await;
    assert!(uit.status.success(), "{}", tekst(&uit.stderr));
    assert!(map.path().join("uit-bestand.sqlite").exists());

    let uit = uitvoeren(
        jeugdroute(map.path())
            .args(["migrate"])
            .env("JEUGDROUTE_CONFIG", config)
            .env("JEUGDROUTE_DATABASE", "sqlite://uit-env.sqlite"),
    )
    .await;
    assert!(uit.status.success(), "{}", tekst(&uit.stderr));
    assert!(
        map.path().join("uit-env.sqlite").exists(),
        "the environment wins over the file"
    );

    let uit = uitvoeren(
        jeugdroute(map.path())
            .args(["migrate", "--database", "sqlite://uit-vlag.sqlite"])
            .env("JEUGDROUTE_DATABASE", "sqlite://uit-env-2.sqlite"),
    )
    .await;
    assert!(uit.status.success());
    assert!(
        map.path().join("uit-vlag.sqlite").exists(),
        "a flag wins over the environment"
    );
    assert!(!map.path().join("uit-env-2.sqlite").exists());

    std::fs::write(&bestand, "databank = \"sqlite://x\"\n").unwrap();
    let uit = uitvoeren(jeugdroute(map.path()).args(["migrate", "--config", config])).await;
    assert_eq!(uit.status.code(), Some(2));
    assert!(
        tekst(&uit.stderr).contains("databank"),
        "{}",
        tekst(&uit.stderr)
    );
}

/// `migrate`, then `demo` twice, then `serve` from the same database.
async fn migrate_demo_serve(map: &Path, database: &str) {
    let uit = uitvoeren(jeugdroute(map).args(["migrate", "--database", database])).await;
    assert!(uit.status.success(), "{}", tekst(&uit.stderr));
    assert!(tekst(&uit.stdout).contains("Databaseschema is bijgewerkt"));

    let uit = uitvoeren(jeugdroute(map).args(["demo", "--database", database])).await;
    assert!(uit.status.success(), "{}", tekst(&uit.stderr));
    assert!(
        tekst(&uit.stdout).starts_with("Demoregio geladen: 7 gemeenten, 12 aanbieders"),
        "{}",
        tekst(&uit.stdout)
    );

    let uit = uitvoeren(jeugdroute(map).args(["demo", "--database", database])).await;
    assert!(uit.status.success());
    assert_eq!(
        tekst(&uit.stdout),
        "De demoregio stond er al; er is niets veranderd.\n"
    );

    let mut command = jeugdroute(map);
    command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("JEUGDROUTE_DATABASE", database);
    let server = Server::start(command).await;
    assert_eq!(server.get("/readyz").await.0, 200);
    assert!(bevat_alle_gemeenten(&server.get("/").await.1));
    assert!(server.stop().await.0.success());
}

#[tokio::test]
async fn migrate_and_demo_on_sqlite_then_serve_from_it() {
    let map = tempfile::tempdir().unwrap();
    migrate_demo_serve(map.path(), "sqlite://regio.sqlite").await;
}

#[tokio::test]
async fn migrate_and_demo_on_postgres_then_serve_from_it() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let map = tempfile::tempdir().unwrap();
    let jeugdroute_store::DatabaseUrl::Postgres(url) = &db.url else {
        unreachable!()
    };
    migrate_demo_serve(map.path(), url).await;
    db.drop_database().await.unwrap();
}
