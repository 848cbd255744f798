//! The dependency rules of ARCHITECTURE.md, checked against every crate's
//! `Cargo.toml`: each crate may depend only on what its allow-list names, so the
//! pure crates (`jeugdroute-domain`, `ijw`) can never gain async, I/O, SQL, HTTP or
//! template dependencies, and internal edges only point inward.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Tools any crate may use in its tests.
const TEST_TOOLS: &[&str] = &["criterion", "expect-test", "proptest", "tempfile"];

/// What each crate may depend on ([dependencies] and [build-dependencies]), and
/// what its tests may use on top of that ([dev-dependencies]).
fn rules() -> BTreeMap<&'static str, (Vec<&'static str>, Vec<&'static str>)> {
    BTreeMap::from([
        (
            "jeugdroute-domain",
            (
                vec!["chrono", "chrono-tz", "serde", "thiserror"],
                vec!["toml"],
            ),
        ),
        (
            "ijw",
            (
                vec![
                    "base64",
                    "chrono",
                    "quick-xml",
                    "regex",
                    "serde",
                    "thiserror",
                ],
                vec![],
            ),
        ),
        (
            "jeugdroute-store",
            (
                vec![
                    "jeugdroute-domain",
                    "blake2",
                    "chrono",
                    "getrandom",
                    "serde",
                    "sqlx",
                    "thiserror",
                    "tracing",
                    "uuid",
                ],
                vec!["jeugdroute-store", "tokio"],
            ),
        ),
        (
            "jeugdroute-app",
            (
                vec![
                    "jeugdroute-domain",
                    "jeugdroute-store",
                    "ijw",
                    "anyhow",
                    "argon2",
                    "blake2",
                    "getrandom",
                    "chrono",
                    "krilla",
                    "rustybuzz",
                    "serde",
                    "serde_json",
                    "thiserror",
                    "toml",
                    "tokio",
                    "tracing",
                ],
                vec!["jeugdroute-store", "tokio"],
            ),
        ),
        (
            "jeugdroute-web",
            (
                vec![
                    "jeugdroute-app",
                    "jeugdroute-domain",
                    "askama",
                    "axum",
                    "chrono",
                    "governor",
                    "hyper",
                    "hyper-util",
                    "serde",
                    "serde_json",
                    "serde_path_to_error",
                    // Optional, for the fuzz entry points only (feature `fuzzing`).
                    "serde_urlencoded",
                    "tokio",
                    "tower",
                    "tower-http",
                    "tower_governor",
                    "tracing",
                    "utoipa",
                ],
                vec![
                    "jeugdroute-store",
                    "reqwest",
                    "fantoccini",
                    "hyper-util",
                    "ijw",
                    "tempfile",
                ],
            ),
        ),
        (
            "jeugdroute",
            (
                vec![
                    "ijw",
                    "jeugdroute-app",
                    "jeugdroute-domain",
                    "jeugdroute-web",
                    "anyhow",
                    "chrono",
                    "clap",
                    "mimalloc",
                    "serde",
                    "serde_json",
                    "tokio",
                    "toml",
                    "tracing",
                    "tracing-subscriber",
                ],
                vec!["jeugdroute-store", "reqwest"],
            ),
        ),
    ])
}

/// The dependency names of one table; a renamed dependency counts by its package.
fn names(manifest: &toml::Table, table: &str) -> Vec<String> {
    let Some(deps) = manifest.get(table).and_then(|t| t.as_table()) else {
        return vec![];
    };
    deps.iter()
        .map(|(name, spec)| {
            spec.get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(name)
                .to_owned()
        })
        .collect()
}

/// Every dependency of `krate` that its rules do not allow, as readable lines.
fn violations(krate: &str, manifest: &str) -> Vec<String> {
    let rules = rules();
    let Some((allowed, test)) = rules.get(krate) else {
        return vec![format!(
            "{krate}: no dependency rule; add one to tests/it/architecture.rs"
        )];
    };
    let manifest: toml::Table = toml::from_str(manifest).unwrap();
    let mut err = Vec::new();
    for table in ["dependencies", "build-dependencies"] {
        for name in names(&manifest, table) {
            if !allowed.contains(&name.as_str()) {
                err.push(format!("{krate}: [{table}] {name} is not allowed"));
            }
        }
    }
    for name in names(&manifest, "dev-dependencies") {
        let ok = allowed.contains(&name.as_str())
            || test.contains(&name.as_str())
            || TEST_TOOLS.contains(&name.as_str());
        if !ok {
            err.push(format!("{krate}: [dev-dependencies] {name} is not allowed"));
        }
    }
    err
}

fn crates_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifest_of(krate: &str) -> String {
    std::fs::read_to_string(crates_dir().join(krate).join("Cargo.toml")).unwrap()
}

#[test]
fn every_crate_keeps_to_its_allowed_dependencies() {
    let mut seen = Vec::new();
    let mut err = Vec::new();
    for entry in std::fs::read_dir(crates_dir()).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("Cargo.toml").exists() {
            continue;
        }
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let table: toml::Table = toml::from_str(&manifest).unwrap();
        let krate = table["package"]["name"].as_str().unwrap().to_owned();
        err.extend(violations(&krate, &manifest));
        seen.push(krate);
    }
    assert!(
        err.is_empty(),
        "dependency rules broken:\n{}",
        err.join("\n")
    );
    seen.sort();
    let mut expected: Vec<&str> = rules().into_keys().collect();
    expected.sort_unstable();
    assert_eq!(
        seen, expected,
        "every crate in crates/ has a rule, and every rule a crate"
    );
}

#[test]
fn the_rule_catches_sqlx_in_the_domain_crate() {
    let domain = manifest_of("jeugdroute-domain");
    let with_sqlx = domain.replace(
        "[dependencies]\n",
        "[dependencies]\nsqlx.workspace = true\n",
    );
    assert_ne!(domain, with_sqlx);
    assert_eq!(
        violations("jeugdroute-domain", &with_sqlx),
        ["jeugdroute-domain: [dependencies] sqlx is not allowed"]
    );
    let renamed = domain.replace(
        "[dependencies]\n",
        "[dependencies]\ndb = { package = \"tokio\", version = \"1\" }\n",
    );
    assert_eq!(
        violations("jeugdroute-domain", &renamed),
        ["jeugdroute-domain: [dependencies] tokio is not allowed"]
    );
}

#[test]
fn the_rule_catches_an_outward_edge_between_internal_crates() {
    let store = manifest_of("jeugdroute-store");
    let with_app = store.replace(
        "[dependencies]\n",
        "[dependencies]\njeugdroute-app.workspace = true\n",
    );
    assert_eq!(
        violations("jeugdroute-store", &with_app),
        ["jeugdroute-store: [dependencies] jeugdroute-app is not allowed"]
    );
    let ijw = manifest_of("ijw");
    let with_domain = ijw.replace(
        "[dependencies]\n",
        "[dependencies]\njeugdroute-domain.workspace = true\n",
    );
    assert_eq!(
        violations("ijw", &with_domain),
        ["ijw: [dependencies] jeugdroute-domain is not allowed"]
    );
}
