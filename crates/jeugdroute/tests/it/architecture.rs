//! The dependency rules of ARCHITECTURE.md, checked against every crate's
//! `Cargo.toml`: each crate may depend only on what its allow-list names, so the
//! pure crates (`jeugdroute-domain`, `ijw`) can never gain async, I/O, SQL, HTTP or
//! template dependencies, and internal edges only point inward.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Tools any crate may use in its tests.
const TEST_TOOLS: &[&str] = &["expect-test", "proptest", "tempfile"];

/// What each crate may depend on ([dependencies] and [build-dependencies]), and
/// what its tests may use on top of that ([dev-dependencies]).
fn regels() -> BTreeMap<&'static str, (Vec<&'static str>, Vec<&'static str>)> {
    BTreeMap::from([
        (
            "jeugdroute-domain",
            (vec!["chrono", "serde", "thiserror"], vec![]),
        ),
        (
            "ijw",
            (vec!["chrono", "quick-xml", "serde", "thiserror"], vec![]),
        ),
        (
            "jeugdroute-store",
            (
                vec![
                    "jeugdroute-domain",
                    "chrono",
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
                    "chrono",
                    "serde",
                    "thiserror",
                    "toml",
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
                    "serde",
                    "serde_json",
                    "tokio",
                    "tower",
                    "tower-http",
                    "tracing",
                ],
                vec!["jeugdroute-store", "reqwest"],
            ),
        ),
        (
            "jeugdroute",
            (
                vec![
                    "jeugdroute-app",
                    "jeugdroute-web",
                    "anyhow",
                    "clap",
                    "serde",
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
fn namen(manifest: &toml::Table, tabel: &str) -> Vec<String> {
    let Some(deps) = manifest.get(tabel).and_then(|t| t.as_table()) else {
        return vec![];
    };
    deps.iter()
        .map(|(naam, spec)| {
            spec.get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(naam)
                .to_owned()
        })
        .collect()
}

/// Every dependency of `krat` that its rules do not allow, as readable lines.
fn overtredingen(krat: &str, manifest: &str) -> Vec<String> {
    let regels = regels();
    let Some((toegestaan, test)) = regels.get(krat) else {
        return vec![format!(
            "{krat}: no dependency rule; add one to tests/it/architecture.rs"
        )];
    };
    let manifest: toml::Table = toml::from_str(manifest).unwrap();
    let mut fout = Vec::new();
    for tabel in ["dependencies", "build-dependencies"] {
        for naam in namen(&manifest, tabel) {
            if !toegestaan.contains(&naam.as_str()) {
                fout.push(format!("{krat}: [{tabel}] {naam} is not allowed"));
            }
        }
    }
    for naam in namen(&manifest, "dev-dependencies") {
        let ok = toegestaan.contains(&naam.as_str())
            || test.contains(&naam.as_str())
            || TEST_TOOLS.contains(&naam.as_str());
        if !ok {
            fout.push(format!("{krat}: [dev-dependencies] {naam} is not allowed"));
        }
    }
    fout
}

fn crates_map() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifest_van(krat: &str) -> String {
    std::fs::read_to_string(crates_map().join(krat).join("Cargo.toml")).unwrap()
}

#[test]
fn every_crate_keeps_to_its_allowed_dependencies() {
    let mut gezien = Vec::new();
    let mut fout = Vec::new();
    for entry in std::fs::read_dir(crates_map()).unwrap() {
        let map = entry.unwrap().path();
        if !map.join("Cargo.toml").exists() {
            continue;
        }
        let manifest = std::fs::read_to_string(map.join("Cargo.toml")).unwrap();
        let tabel: toml::Table = toml::from_str(&manifest).unwrap();
        let krat = tabel["package"]["name"].as_str().unwrap().to_owned();
        fout.extend(overtredingen(&krat, &manifest));
        gezien.push(krat);
    }
    assert!(
        fout.is_empty(),
        "dependency rules broken:\n{}",
        fout.join("\n")
    );
    gezien.sort();
    let mut verwacht: Vec<&str> = regels().into_keys().collect();
    verwacht.sort_unstable();
    assert_eq!(
        gezien, verwacht,
        "every crate in crates/ has a rule, and every rule a crate"
    );
}

#[test]
fn the_rule_catches_sqlx_in_the_domain_crate() {
    let domain = manifest_van("jeugdroute-domain");
    let met_sqlx = domain.replace(
        "[dependencies]\n",
        "[dependencies]\nsqlx.workspace = true\n",
    );
    assert_ne!(domain, met_sqlx);
    assert_eq!(
        overtredingen("jeugdroute-domain", &met_sqlx),
        ["jeugdroute-domain: [dependencies] sqlx is not allowed"]
    );
    let hernoemd = domain.replace(
        "[dependencies]\n",
        "[dependencies]\ndb = { package = \"tokio\", version = \"1\" }\n",
    );
    assert_eq!(
        overtredingen("jeugdroute-domain", &hernoemd),
        ["jeugdroute-domain: [dependencies] tokio is not allowed"]
    );
}

#[test]
fn the_rule_catches_an_outward_edge_between_internal_crates() {
    let store = manifest_van("jeugdroute-store");
    let met_app = store.replace(
        "[dependencies]\n",
        "[dependencies]\njeugdroute-app.workspace = true\n",
    );
    assert_eq!(
        overtredingen("jeugdroute-store", &met_app),
        ["jeugdroute-store: [dependencies] jeugdroute-app is not allowed"]
    );
    let ijw = manifest_van("ijw");
    let met_domain = ijw.replace(
        "[dependencies]\n",
        "[dependencies]\njeugdroute-domain.workspace = true\n",
    );
    assert_eq!(
        overtredingen("ijw", &met_domain),
        ["ijw: [dependencies] jeugdroute-domain is not allowed"]
    );
}
