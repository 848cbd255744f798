//! The `jeugdroute` binary run as a person or a script would: real processes,
//! real files, a real HTTP client, and PostgreSQL when the test server is named.
#![allow(
    clippy::expect_used,
    reason = "a timed-out process fails the test with its reason"
)]

use std::path::Path;
use std::process::{ExitStatus, Output, Stdio};
use std::time::Duration;

use jeugdroute_store::DatabaseUrl;
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
const TIMEOUT: Duration = Duration::from_secs(60);

/// The binary, started in `map` with no `JEUGDROUTE_*` settings from outside.
pub(crate) fn jeugdroute(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jeugdroute"));
    command.current_dir(dir).kill_on_drop(true);
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("JEUGDROUTE_")) {
        command.env_remove(name);
    }
    command
}

pub(crate) async fn run_to_end(command: &mut Command) -> Output {
    tokio::time::timeout(TIMEOUT, command.output())
        .await
        .expect("command timed out")
        .unwrap()
}

/// The database as `--database` takes it.
pub(crate) fn database(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running `jeugdroute serve`.
pub(crate) struct Server {
    child: tokio::process::Child,
    pub(crate) addr: String,
    stdout_lines: Lines<BufReader<ChildStdout>>,
    printed: Vec<String>,
}

impl Server {
    pub(crate) async fn start(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout_lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(TIMEOUT, stdout_lines.next_line())
            .await
            .expect("no start line")
            .unwrap();
        let first = first.unwrap_or_else(|| panic!("serve stopped: {:?}", child.try_wait()));
        let addr = first
            .strip_prefix("Jeugdroute draait op ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .trim_end_matches('/')
            .to_owned();
        Server {
            child,
            addr,
            stdout_lines,
            printed: vec![first],
        }
    }

    async fn lines(&mut self, count: usize) -> &[String] {
        while self.printed.len() < count {
            let line = self.stdout_lines.next_line().await.unwrap().unwrap();
            self.printed.push(line);
        }
        &self.printed
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = reqwest::get(format!("{}{path}", self.addr)).await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Sends `signal` (`-TERM` as a service manager does, `-INT` as Ctrl-C does)
    /// and waits for the exit.
    pub(crate) async fn stop(mut self, signal: &str) -> (ExitStatus, String) {
        let pid = self.child.id().unwrap().to_string();
        let kill = Command::new("kill")
            .args([signal, &pid])
            .status()
            .await
            .unwrap();
        assert!(kill.success());
        let status = tokio::time::timeout(TIMEOUT, self.child.wait())
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

fn shows_all_gemeenten(html: &str) -> bool {
    GEMEENTEN
        .iter()
        .all(|g| html.contains(&format!("<tr><td>{g}</td>")))
}

#[tokio::test]
async fn serve_demo_serves_the_region_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = jeugdroute(dir.path());
    command.args(["serve", "--demo", "--addr", "127.0.0.1:0"]);
    let mut server = Server::start(command).await;

    let lines = server.lines(8).await.join("\n");
    assert!(lines.contains("wachtwoord voor allemaal: demo"), "{lines}");
    for account in [
        "medewerker.amersfoort",
        "medewerker.soest",
        "gi.medewerker",
        "aanbieder.demo",
        "beleid",
        "beheer",
    ] {
        assert!(lines.contains(account), "{account} not announced:\n{lines}");
    }
    assert_eq!(server.get("/healthz").await, (200, "ok".to_owned()));
    assert_eq!(server.get("/readyz").await.0, 200);
    let (status, html) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(shows_all_gemeenten(&html), "{html}");
    assert!(
        dir.path().join("data/demo.sqlite").exists(),
        "the demo database lives in the data folder"
    );

    let (status, log) = server.stop("-TERM").await;
    assert!(status.success(), "exit after SIGTERM: {status:?}\n{log}");
    assert!(log.contains("shutdown signal received"), "{log}");
}

#[tokio::test]
async fn serve_demo_starts_fresh_every_time_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/demo.sqlite"), b"not a database").unwrap();
    let mut command = jeugdroute(dir.path());
    // A database configured elsewhere is not touched by demo mode.
    command
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("JEUGDROUTE_DATABASE", "sqlite://elders.sqlite");
    let server = Server::start(command).await;
    assert!(shows_all_gemeenten(&server.get("/").await.1));
    let (status, log) = server.stop("-INT").await;
    assert!(status.success(), "exit after Ctrl-C: {status:?}\n{log}");
    assert!(
        log.contains("demo mode uses its own fresh SQLite database"),
        "{log}"
    );
    assert!(!dir.path().join("elders.sqlite").exists());
}

#[tokio::test]
async fn unusable_databases_and_flags_are_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["serve", "--database", "mysql://root@localhost/jr"],
        vec!["migrate", "--database", "data.sqlite"],
        vec!["demo", "--database", "sqlite://"],
    ] {
        let out = run_to_end(jeugdroute(dir.path()).args(&args)).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("--database: onbekende database-URL"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("sqlite://PAD") && err.contains("postgres://"),
            "{err}"
        );
    }
    let out = run_to_end(jeugdroute(dir.path()).args(["migrate", "--log", "info,,=="])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--log:"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !dir.path().join("data").exists(),
        "a refused command writes nothing"
    );
}

#[tokio::test]
async fn a_database_password_never_reaches_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args([
        "migrate",
        "--database",
        "postgres://jr:GeheimWachtwoord@127.0.0.1:1/jr",
    ]))
    .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unreachable server is a runtime failure"
    );
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("postgres://jr:***@127.0.0.1:1/jr"), "{all}");
    assert!(!all.contains("GeheimWachtwoord"), "{all}");
}

#[tokio::test]
async fn settings_come_from_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jeugdroute.toml");
    std::fs::write(
        &file,
        "database = \"sqlite://uit-bestand.sqlite\"\nlog = \"warn\"\n",
    )
    .unwrap();
    let config = file.to_str().unwrap();

    let out = run_to_end(jeugdroute(dir.path()).args(["migrate", "--config", config])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("uit-bestand.sqlite").exists());

    let out = run_to_end(
        jeugdroute(dir.path())
            .args(["migrate"])
            .env("JEUGDROUTE_CONFIG", config)
            .env("JEUGDROUTE_DATABASE", "sqlite://uit-env.sqlite"),
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        dir.path().join("uit-env.sqlite").exists(),
        "the environment wins over the file"
    );

    let out = run_to_end(
        jeugdroute(dir.path())
            .args(["migrate", "--database", "sqlite://uit-vlag.sqlite"])
            .env("JEUGDROUTE_DATABASE", "sqlite://uit-env-2.sqlite"),
    )
    .await;
    assert!(out.status.success());
    assert!(
        dir.path().join("uit-vlag.sqlite").exists(),
        "a flag wins over the environment"
    );
    assert!(!dir.path().join("uit-env-2.sqlite").exists());

    std::fs::write(&file, "databank = \"sqlite://x\"\n").unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args(["migrate", "--config", config])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("databank"),
        "{}",
        text(&out.stderr)
    );
}

/// `migrate`, then `demo` twice, then `serve` from the same database.
async fn migrate_demo_then_serve(url: &DatabaseUrl) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let database = database(url);
    let database = database.as_str();
    let out = run_to_end(jeugdroute(dir).args(["migrate", "--database", database])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Databaseschema is bijgewerkt"));

    let out = run_to_end(jeugdroute(dir).args(["demo", "--database", database])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Demoregio geladen: 7 gemeenten, 12 aanbieders"),
        "{}",
        text(&out.stdout)
    );

    let out = run_to_end(jeugdroute(dir).args(["demo", "--database", database])).await;
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        "De demoregio stond er al; er is niets veranderd.\n"
    );

    let mut command = jeugdroute(dir);
    command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("JEUGDROUTE_DATABASE", database);
    let server = Server::start(command).await;
    assert_eq!(server.get("/readyz").await.0, 200);
    assert!(shows_all_gemeenten(&server.get("/").await.1));
    assert!(server.stop("-TERM").await.0.success());
    audit_verifieer_and_anker(dir, url, database).await;
}

/// `audit verifieer` exits 0 on the whole chain and `audit anker` prints its
/// head; with the newest records gone (the witness knows a later one) it exits 1
/// naming that record.
async fn audit_verifieer_and_anker(dir: &Path, url: &DatabaseUrl, database: &str) {
    let out =
        run_to_end(jeugdroute(dir).args(["audit", "--database", database, "verifieer"])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).starts_with("Het auditlog is compleet: "),
        "{}",
        text(&out.stdout)
    );

    let out = run_to_end(jeugdroute(dir).args(["audit", "--database", database, "anker"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let anker = text(&out.stdout);
    let fields: Vec<&str> = anker.split_whitespace().collect();
    assert!(anker.starts_with("Auditlog-anker"), "{anker}");
    let regel = fields.iter().position(|f| *f == "regel").unwrap();
    let head: i64 = fields[regel + 1].parse().unwrap();
    assert_eq!(fields[regel + 3].len(), 64, "a 32-byte MAC in hex: {anker}");
    // Read by people: the Dutch date and time, dd-mm-jjjj HH:MM:SS.
    let tijd = fields.iter().position(|f| *f == "tijd").unwrap();
    let when = format!("{} {}", fields[tijd + 1], fields[tijd + 2]);
    assert!(
        chrono::NaiveDateTime::parse_from_str(&when, "%d-%m-%Y %H:%M:%S").is_ok(),
        "{anker}"
    );

    let witness = match url {
        DatabaseUrl::Sqlite(path) => path.with_extension("getuige"),
        DatabaseUrl::Postgres(_) => dir.join("data").join("audit-getuige.log"),
    };
    let mut lines = std::fs::read_to_string(&witness).unwrap();
    let later = head + 7;
    lines.push_str(&format!(
        "{later} {} 2026-01-01T00:00:00.000000Z\n",
        "a".repeat(64)
    ));
    std::fs::write(&witness, lines).unwrap();
    let out =
        run_to_end(jeugdroute(dir).args(["audit", "--database", database, "verifieer"])).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("regel {later} klopt niet")),
        "{}",
        text(&out.stdout)
    );
}

jeugdroute_store::backend_tests!(migrate_demo_then_serve);

/// Runs `jeugdroute bepaal ARGS --json` and returns the parsed object.
async fn bepaal_json(args: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut command = jeugdroute(dir.path());
    command
        .arg("bepaal")
        .args(args.split_whitespace())
        .arg("--json");
    let out = run_to_end(&mut command).await;
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn bepaal_prints_one_json_object_per_determination() {
    let v = bepaal_json("--arrangement 2 --intensiteit midden").await;
    assert_eq!(
        (
            &v["arrangement"],
            &v["intensiteit"],
            &v["code"],
            &v["segment3"],
            &v["segmentcheck_nodig"]
        ),
        (
            &2.into(),
            &"midden".into(),
            &"50H22".into(),
            &false.into(),
            &false.into()
        )
    );
    let codes: Vec<&str> = v["redenen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["ARRANGEMENT", "INTENSITEIT", "GEEN_SEGMENTCHECK", "CODE"]
    );
    assert!(v["redenen"][3]["tekst"].as_str().unwrap().contains("50H22"));

    let v = bepaal_json("--arrangement 5 --intensiteit zwaar").await;
    assert_eq!(
        (&v["code"], &v["segmentcheck_nodig"], &v["segment3"]),
        (&serde_json::Value::Null, &true.into(), &false.into())
    );

    let v = bepaal_json("--arrangement 5 --intensiteit zwaar --behandeluren 75").await;
    assert_eq!(
        (&v["code"], &v["segment3"]),
        (&"50H53".into(), &false.into())
    );
    let v = bepaal_json("--arrangement 5 --intensiteit zwaar --behandeluren 75.5").await;
    assert_eq!(
        (&v["code"], &v["segment3"]),
        (&serde_json::Value::Null, &true.into())
    );
    let v = bepaal_json("--arrangement 9 --intensiteit chronisch --geen-segment3").await;
    assert_eq!(
        (&v["code"], &v["segmentcheck_nodig"]),
        (&"50H95".into(), &false.into())
    );
    for answer in [
        "--intramuraal",
        "--tarief-buiten-segment-2",
        "--begeleidingsuren 110,5",
        "--dagdelen 111",
    ] {
        let v = bepaal_json(&format!("--arrangement 1 --intensiteit zwaar {answer}")).await;
        assert_eq!(v["segment3"], true, "{answer}");
    }
}

#[tokio::test]
async fn bepaal_explains_in_dutch_without_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args([
        "bepaal",
        "--arrangement",
        "3",
        "--intensiteit",
        "Licht",
    ]))
    .await;
    assert!(out.status.success());
    let text = text(&out.stdout);
    assert!(text.starts_with("Arrangement 3 (Ouder met ziekte of beperking), intensiteit Licht\nUitkomst: arrangementscode 50H31\n"), "{text}");
    assert!(text.contains("Catalogus: 7-stappenplan-2018"));
}

#[tokio::test]
async fn bepaal_refuses_bad_input_with_exit_code_2_naming_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    for (args, named) in [
        (
            vec!["--arrangement", "0", "--intensiteit", "licht"],
            "--arrangement",
        ),
        (
            vec!["--arrangement", "10", "--intensiteit", "licht"],
            "--arrangement",
        ),
        (
            vec!["--arrangement", "twee", "--intensiteit", "licht"],
            "--arrangement",
        ),
        (
            vec!["--arrangement", "2", "--intensiteit", "middel"],
            "--intensiteit",
        ),
        (
            vec![
                "--arrangement",
                "2",
                "--intensiteit",
                "zwaar",
                "--behandeluren",
                "-3",
            ],
            "--behandeluren",
        ),
        (
            vec![
                "--arrangement",
                "2",
                "--intensiteit",
                "zwaar",
                "--begeleidingsuren",
                "veel",
            ],
            "--begeleidingsuren",
        ),
        (
            vec![
                "--arrangement",
                "2",
                "--intensiteit",
                "zwaar",
                "--dagdelen",
                "-1",
            ],
            "--dagdelen",
        ),
        (
            vec![
                "--arrangement",
                "2",
                "--intensiteit",
                "zwaar",
                "--geen-segment3",
                "--intramuraal",
            ],
            "--geen-segment3",
        ),
        (vec!["--intensiteit", "zwaar"], "--arrangement"),
    ] {
        let out = run_to_end(
            jeugdroute(dir.path())
                .arg("bepaal")
                .args(&args)
                .arg("--json"),
        )
        .await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(named),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
}

#[tokio::test]
async fn a_region_catalogue_changes_the_determination_and_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let own = jeugdroute_domain::DEFAULT_CATALOGUE
        .replacen(
            "version = \"7-stappenplan-2018\"",
            "version = \"regio-test-1\"",
            1,
        )
        .replacen("behandeling_hours = 75", "behandeling_hours = 80", 1);
    std::fs::write(dir.path().join("catalogus.toml"), own).unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args([
        "bepaal",
        "--catalogus",
        "catalogus.toml",
        "--arrangement",
        "5",
        "--intensiteit",
        "zwaar",
        "--behandeluren",
        "78",
    ]))
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let text_out = text(&out.stdout);
    assert!(
        text_out.contains("Ambulante behandeling van 78 uur is niet meer dan 80 uur."),
        "{text_out}"
    );
    assert!(text_out.contains("Catalogus: regio-test-1"));

    std::fs::write(dir.path().join("kapot.toml"), "version = \"x\"\n").unwrap();
    let out = run_to_end(
        jeugdroute(dir.path())
            .args(["bepaal", "--arrangement", "1", "--intensiteit", "licht"])
            .env("JEUGDROUTE_CATALOGUS", "kapot.toml"),
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--catalogus kapot.toml"),
        "{}",
        text(&out.stderr)
    );
}

/// The public iJw examples beside the checkout, when present (see `ijw` tests).
fn ijw_example(name: &str) -> Option<std::path::PathBuf> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/ijw/examples/ijw-3.2")
        .join(name);
    assert!(
        path.exists() || std::env::var("CI").as_deref() != Ok("true"),
        "{} missing under CI",
        path.display()
    );
    path.exists().then_some(path)
}

#[tokio::test]
async fn ijw_valideer_answers_per_file_with_exit_codes_0_1_2() {
    let (Some(valid), Some(invalid)) = (ijw_example("JW301.xml"), ijw_example("JW315.xml")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run_to_end(
        jeugdroute(dir.path())
            .args(["ijw", "valideer", "--json"])
            .arg(&valid),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["bericht"], &v["geldig"], &v["fouten"]),
        (&"JW301".into(), &true.into(), &serde_json::json!([]))
    );
    assert_eq!(v["bestand"], valid.display().to_string());

    let out = run_to_end(
        jeugdroute(dir.path())
            .args(["ijw", "valideer", "--json"])
            .arg(&valid)
            .arg(&invalid),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = v[1]["fouten"].as_array().unwrap();
    assert_eq!(
        (v.as_array().unwrap().len(), &v[1]["geldig"]),
        (2, &false.into())
    );
    assert!(
        errors
            .iter()
            .all(|e| e["regel"] == "XSD" && e["code"].is_null())
    );
    assert!(
        errors[0]["element"]
            .as_str()
            .unwrap()
            .ends_with("ToewijzingEinddatum")
    );
    assert!(
        errors[0]["melding"]
            .as_str()
            .unwrap()
            .contains("2027-06-31")
    );

    std::fs::write(
        dir.path().join("bsn.xml"),
        std::fs::read_to_string(&valid)
            .unwrap()
            .replacen("999900006", "999900007", 1),
    )
    .unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "valideer", "bsn.xml"])).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("[CS002, retourcode 0001]"),
        "{}",
        text(&out.stdout)
    );

    let out =
        run_to_end(jeugdroute(dir.path()).args(["ijw", "valideer", "bestaat-niet.xml"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bestaat-niet.xml kan niet gelezen worden"));
    // An unreadable file among readable ones: a usage error, and no verdict at all.
    let out =
        run_to_end(jeugdroute(dir.path()).args(["ijw", "valideer", "bsn.xml", "bestaat-niet.xml"]))
            .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "valideer"])).await;
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 12: a 1 GB file was read whole (7 s, 1 GB of memory) before the 25 MB
/// check. The read now stops one byte past the limit, so a sparse 1 GB file is
/// refused after 25 MB, and its whole size is told.
#[tokio::test]
async fn ijw_valideer_refuses_a_huge_file_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("groot.xml")).unwrap();
    file.set_len(1 << 30).unwrap();
    for command in ["valideer", "retour"] {
        // With its address space capped below the file's size, the process can
        // answer only if it never reads the whole file.
        let out = run_to_end(
            Command::new("sh")
                .current_dir(dir.path())
                .kill_on_drop(true)
                .args(["-c", "ulimit -v 786432 && exec \"$0\" \"$@\""])
                .arg(env!("CARGO_BIN_EXE_jeugdroute"))
                .args(["ijw", command, "groot.xml"]),
        )
        .await;
        assert_eq!(
            out.status.code(),
            Some(1),
            "{command}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("1073741824 bytes; het mag hoogstens 25 MB zijn"),
            "{command}: {}",
            text(&out.stdout)
        );
    }
}

#[tokio::test]
async fn ijw_voorbeeld_prints_a_valid_message_of_each_type() {
    let dir = tempfile::tempdir().unwrap();
    for soort in ["JW301", "jw305", "JW323", "JW325"] {
        let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "voorbeeld", soort])).await;
        assert!(out.status.success(), "{soort}: {}", text(&out.stderr));
        let file = dir.path().join(format!("{soort}.xml"));
        std::fs::write(&file, &out.stdout).unwrap();
        let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "valideer"]).arg(&file)).await;
        assert!(out.status.success(), "{soort}: {}", text(&out.stdout));
    }
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "voorbeeld", "JW303"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("'JW303' is geen iJw 3.2-bericht"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn ijw_retour_answers_a_message_and_refuses_one_that_fails_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "voorbeeld", "JW301"])).await;
    std::fs::write(dir.path().join("jw301.xml"), &out.stdout).unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args([
        "ijw",
        "retour",
        "jw301.xml",
        "-o",
        "jw302.xml",
        "--identificatie",
        "R1",
    ]))
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let retour = std::fs::read_to_string(dir.path().join("jw302.xml")).unwrap();
    assert!(
        retour.contains("<jw302:BerichtCode>437</jw302:BerichtCode>")
            && retour.contains("<jw302:IdentificatieRetour>R1<")
    );
    assert!(
        !retour.contains("RetourCode"),
        "a valid message gets a retour without codes"
    );
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "valideer", "jw302.xml"])).await;
    assert!(out.status.success());

    let broken = std::fs::read_to_string(dir.path().join("jw301.xml"))
        .unwrap()
        .replacen("999990019", "999990018", 1);
    std::fs::write(dir.path().join("bsn.xml"), broken).unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "retour", "bsn.xml"])).await;
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("<jw302:RetourCode>0001</jw302:RetourCode>"));

    std::fs::write(
        dir.path().join("xsd.xml"),
        "<Bericht xmlns=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\"/>",
    )
    .unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args(["ijw", "retour", "xsd.xml"])).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("Geen retourbericht"));
    let out = run_to_end(jeugdroute(dir.path()).args([
        "ijw",
        "retour",
        "jw301.xml",
        "--identificatie",
        "VEEL-TE-LANG-ID",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2));
}

/// `--public-url` (or `JEUGDROUTE_PUBLIC_URL`, or `public_url` in the settings
/// file) decides HSTS and the cookies' protection; an unusable one is refused
/// with exit code 2 naming the flag.
#[tokio::test]
async fn the_public_url_comes_from_configuration_and_brings_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_to_end(jeugdroute(dir.path()).args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--public-url",
        "ftp://jeugdroute.example.nl",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--public-url:"),
        "{}",
        text(&out.stderr)
    );

    let file = dir.path().join("jeugdroute.toml");
    std::fs::write(&file, "public_url = \"https://jeugdroute.example.nl\"\n").unwrap();
    for (flag, env) in [
        (None, None),
        (Some("http://127.0.0.1"), Some("https://x.example.nl")),
    ] {
        let mut command = jeugdroute(dir.path());
        command.args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--config",
            file.to_str().unwrap(),
        ]);
        if let Some(env) = env {
            command.env("JEUGDROUTE_PUBLIC_URL", env);
        }
        if let Some(flag) = flag {
            command.args(["--public-url", flag]);
        }
        let server = Server::start(command).await;
        let response = reqwest::get(format!("{}/aanmelden", server.addr))
            .await
            .unwrap();
        let hsts = response
            .headers()
            .get("strict-transport-security")
            .is_some();
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        // From the file: https; the flag (plain http) wins over file and environment.
        assert_eq!(hsts, flag.is_none(), "{flag:?}");
        assert_eq!(cookie.starts_with("__Host-"), flag.is_none(), "{cookie}");
        let (status, log) = server.stop("-TERM").await;
        assert!(status.success(), "{log}");
    }
}
