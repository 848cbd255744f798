//! The `ijw` crate from the outside: the public example messages beside the
//! checkout (`../shared/ijw/examples`), the hardening of the reader, and property
//! tests that feed it arbitrary and mutated bytes.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::PathBuf;

use ijw::xml::{self, MAX_DEPTH, MAX_INPUT_BYTES, ReadError};
use ijw::{Berichtsoort, UnknownRoot};
use proptest::prelude::*;

// The rule texts of ../shared/ijw/regels, one module per kind (docs/ijw-regels.md).
mod envelop;
mod regels_cd;
mod regels_kruis;
mod regels_tr;

/// `../shared/ijw` beside the checkout. Without it the tests that need it say so
/// and pass; with `CI=true` its absence is a failure.
#[allow(clippy::print_stderr, reason = "a skipped check says so")]
pub(crate) fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ijw");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing, but CI=true",
        dir.display()
    );
    eprintln!("{} not found beside the checkout: skipping", dir.display());
    None
}

fn example(name: &str) -> Option<Vec<u8>> {
    shared().map(|dir| std::fs::read(dir.join("examples/ijw-3.2").join(name)).unwrap())
}

fn count(element: &xml::Element) -> usize {
    1 + element.children.iter().map(count).sum::<usize>()
}

#[test]
fn every_public_example_reads_and_names_its_message() {
    for soort in Berichtsoort::ALL {
        let Some(bytes) = example(&format!("{}.xml", soort.name())) else {
            return;
        };
        let root = xml::read(&bytes).unwrap_or_else(|e| panic!("{soort}: {e}"));
        assert_eq!(Berichtsoort::of_root(&root), Ok(soort));
        let header = root.children.first().unwrap();
        assert_eq!(
            (header.name.as_str(), header.namespace.as_str()),
            ("Header", soort.namespace().as_str())
        );
        let code = header.children_named("BerichtCode").next().unwrap();
        assert_eq!(code.text, soort.code().to_string(), "{soort}");
        assert!(count(&root) > 10, "{soort}");
    }
}

#[test]
fn the_reader_keeps_namespaces_text_and_lines() {
    let doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a:Bericht xmlns:a=\"urn:a\" xmlns=\"urn:d\">\n  \
               <Tekst>x &amp; y &#233; <![CDATA[<z>]]></Tekst>\n  <a:Leeg/>\n</a:Bericht>";
    let root = xml::read(doc.as_bytes()).unwrap();
    assert_eq!(
        (root.namespace.as_str(), root.name.as_str(), root.line),
        ("urn:a", "Bericht", 2)
    );
    let tekst = &root.children[0];
    assert_eq!(
        (tekst.namespace.as_str(), tekst.text.as_str(), tekst.line),
        ("urn:d", "x & y é <z>", 3)
    );
    assert_eq!(
        (
            root.children[1].name.as_str(),
            root.children[1].text.as_str()
        ),
        ("Leeg", "")
    );
    assert!(
        root.text.is_empty(),
        "layout whitespace between elements is dropped"
    );
}

#[test]
fn another_release_or_another_document_is_named_as_such() {
    let root =
        xml::read(b"<Bericht xmlns=\"http://www.istandaarden.nl/ijw/3_0/jw301/schema\"/>").unwrap();
    assert!(matches!(
        Berichtsoort::of_root(&root),
        Err(UnknownRoot::OtherRelease(_))
    ));
    let root = xml::read(b"<Factuur/>").unwrap();
    assert_eq!(
        Berichtsoort::of_root(&root),
        Err(UnknownRoot::NotBericht("Factuur".into()))
    );
    if let Some(dir) = shared() {
        let old = std::fs::read(dir.join("examples/ijw-3.0-comm_server/jw301.xml")).unwrap();
        let root = xml::read(&old).unwrap();
        let err = Berichtsoort::of_root(&root).unwrap_err();
        assert!(err.to_string().contains("alleen iJw 3.2"), "{err}");
    }
}

fn refused(doc: &[u8]) -> ReadError {
    xml::read(doc).unwrap_err()
}

#[test]
fn dtds_and_entities_are_refused_so_nothing_is_fetched_or_expanded() {
    let laughs = b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><a>&lol2;</a>";
    assert_eq!(refused(laughs), ReadError::Doctype { line: 1 });
    let external = b"<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<a>&x;</a>";
    assert!(matches!(refused(external), ReadError::Doctype { .. }));
    assert_eq!(
        refused(b"<a>\n&nbsp;</a>"),
        ReadError::Entity {
            line: 2,
            name: "nbsp".into()
        }
    );
    assert!(matches!(refused(b"<a>&#0;</a>"), ReadError::Syntax { .. }));
}

#[test]
fn size_depth_and_shape_are_limited() {
    let big = vec![b' '; MAX_INPUT_BYTES + 1];
    assert_eq!(refused(&big), ReadError::TooLarge(MAX_INPUT_BYTES + 1));
    let deep = format!(
        "{}{}",
        "<a>".repeat(MAX_DEPTH + 1),
        "</a>".repeat(MAX_DEPTH + 1)
    );
    assert!(matches!(
        refused(deep.as_bytes()),
        ReadError::TooDeep { .. }
    ));
    let ok_depth = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
    assert!(xml::read(ok_depth.as_bytes()).is_ok());
    assert_eq!(refused(b""), ReadError::Empty);
    assert_eq!(refused(b"\xff\xfe<a/>"), ReadError::NotUtf8);
    assert_eq!(
        refused(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"),
        ReadError::Encoding {
            line: 1,
            encoding: "ISO-8859-1".into()
        }
    );
    assert!(matches!(
        refused(b"<a>tekst<b/></a>"),
        ReadError::MixedContent { .. }
    ));
    assert!(matches!(refused(b"<a/><b/>"), ReadError::SecondRoot { .. }));
    assert!(matches!(
        refused(b"tekst<a/>"),
        ReadError::TextOutsideRoot { .. }
    ));
    assert!(matches!(
        refused(b"<x:a/>"),
        ReadError::UnknownPrefix { .. }
    ));
    assert!(matches!(refused(b"<a><b></a>"), ReadError::Syntax { .. }));
    assert!(matches!(refused(b"<a><b>"), ReadError::Syntax { .. }));
    assert!(matches!(
        refused(b"<a x='1' x='2'/>"),
        ReadError::Syntax { .. }
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Arbitrary bytes: an answer, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = xml::read(&bytes);
    }

    /// Valid messages with a few bytes changed, removed or inserted: still no panic,
    /// and whatever still reads keeps its root.
    #[test]
    fn mutated_examples_never_panic(
        which in 0usize..14,
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let soort = Berichtsoort::ALL[which];
        let Some(mut bytes) = example(&format!("{}.xml", soort.name())) else { return Ok(()) };
        for (at, byte, kind) in edits {
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        if let Ok(root) = xml::read(&bytes) {
            let _ = Berichtsoort::of_root(&root);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Whatever text and namespace an element tree holds, the writer makes
    /// well-formed XML that reads back to the same text (a character XML cannot
    /// carry replaced by U+FFFD).
    #[test]
    fn anything_written_reads_back(text in any::<String>(), namespace in any::<String>()) {
        let root = xml::Element {
            namespace: namespace.clone().into(),
            name: "Bericht".into(),
            children: vec![xml::Element {
                namespace: namespace.into(),
                name: "Tekst".into(),
                text: text.clone(),
                ..xml::Element::default()
            }],
            ..xml::Element::default()
        };
        let written = xml::write(&root);
        let read = xml::read(written.as_bytes());
        prop_assert!(read.is_ok(), "{written:?}: {read:?}");
        let expected: String = text
            .chars()
            .map(|c| if matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}') { c } else { '\u{FFFD}' })
            .collect();
        prop_assert_eq!(&read.unwrap().children[0].text, &expected);
    }
}

/// `xmllint`, when installed. Without it the agreement test says so and passes;
/// with `CI=true` its absence is a failure (`.ci/run` installs libxml2-utils).
#[allow(clippy::print_stderr, reason = "a skipped check says so")]
fn xmllint() -> bool {
    let found = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "xmllint is missing, but CI=true"
        );
        eprintln!("xmllint not installed: skipping the agreement test");
    }
    found
}

/// Every way the agreement test changes a valid message: each value replaced by
/// something suspicious, each element removed or doubled.
fn mutants(root: &xml::Element) -> Vec<xml::Element> {
    fn paths(element: &xml::Element, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        for (i, child) in element.children.iter().enumerate() {
            here.push(i);
            out.push(here.clone());
            paths(child, here, out);
            here.pop();
        }
    }
    fn at<'a>(root: &'a mut xml::Element, path: &[usize]) -> &'a mut xml::Element {
        path.iter().fold(root, |e, i| &mut e.children[*i])
    }
    fn get<'a>(root: &'a xml::Element, path: &[usize]) -> &'a xml::Element {
        path.iter().fold(root, |e, i| &e.children[*i])
    }
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let mut out = Vec::new();
    for path in all {
        let (last, parent) = path.split_last().unwrap();
        let mut removed = root.clone();
        at(&mut removed, parent).children.remove(*last);
        out.push(removed);
        let mut doubled = root.clone();
        let copy = at(&mut doubled, &path).clone();
        at(&mut doubled, parent).children.insert(*last, copy);
        out.push(doubled);
        let target = get(root, &path);
        if target.children.is_empty() {
            let original = target.text.clone();
            for value in [
                String::new(),
                " ".to_owned(),
                "x".to_owned(),
                "-1".to_owned(),
                "2027-02-30".to_owned(),
                "10:61:00".to_owned(),
                format!(" {original}"),
                format!("{original}0"),
                format!("{original}{}", "9".repeat(40)),
            ] {
                let mut changed = root.clone();
                at(&mut changed, &path).text = value;
                out.push(changed);
            }
        }
    }
    out
}

/// The crate's schema verdict on a document.
fn crate_says_valid(bytes: &[u8]) -> bool {
    let Ok(root) = xml::read(bytes) else {
        return false;
    };
    let Ok(soort) = Berichtsoort::of_root(&root) else {
        return false;
    };
    ijw::schema::check(soort, &root).is_empty()
}

#[test]
fn the_schema_check_agrees_with_xmllint_on_examples_and_their_mutants() {
    let Some(shared) = shared() else { return };
    if !xmllint() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ijw-agreement-{}", std::process::id()));
    let (mut checked, mut valid) = (0, 0);
    for soort in Berichtsoort::ALL {
        let original = std::fs::read(
            shared
                .join("examples/ijw-3.2")
                .join(format!("{}.xml", soort.name())),
        )
        .unwrap();
        let root = xml::read(&original).unwrap();
        let folder = dir.join(soort.name());
        std::fs::create_dir_all(&folder).unwrap();
        let mut files = vec![(folder.join("origineel.xml"), original.clone())];
        files.push((folder.join("canoniek.xml"), xml::write(&root).into_bytes()));
        files.push((
            folder.join("voorbeeld.xml"),
            ijw::encode(&ijw::voorbeeld(soort)).into_bytes(),
        ));
        // The retours this crate builds for the requests this message answers.
        for request in Berichtsoort::ALL
            .into_iter()
            .filter(|r| ijw::answer_to(*r) == Some(soort))
        {
            let request = ijw::voorbeeld(request);
            let class = format!(
                "Bericht/{}",
                xml::read(ijw::encode(&request).as_bytes())
                    .unwrap()
                    .children[1]
                    .name
            );
            for (name, findings) in [
                ("retour-leeg", vec![]),
                ("retour-klasse", vec![finding(&class, "9019")]),
            ] {
                let retour = ijw::retour(&request, &findings, retour_id()).unwrap();
                files.push((
                    folder.join(format!("{name}.xml")),
                    ijw::encode(&retour).into_bytes(),
                ));
            }
        }
        for (i, mutant) in mutants(&root).iter().enumerate() {
            files.push((
                folder.join(format!("m{i:05}.xml")),
                xml::write(mutant).into_bytes(),
            ));
        }
        for (path, bytes) in &files {
            std::fs::write(path, bytes).unwrap();
        }
        let schema = shared.join(format!(
            "xsd/ijw-3.2/{}.xsd",
            soort.name().to_ascii_lowercase()
        ));
        let output = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(&schema)
            .args(files.iter().map(|(p, _)| p))
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&output.stderr);
        let mut disagreements = Vec::new();
        for (path, bytes) in &files {
            let name = path.display().to_string();
            let lint_valid = report.contains(&format!("{name} validates"));
            assert!(
                lint_valid
                    || report.contains(&format!("{name} fails to validate"))
                    || report.contains(&name),
                "no verdict for {name}"
            );
            valid += usize::from(lint_valid);
            if lint_valid != crate_says_valid(bytes) {
                disagreements.push(format!(
                    "{name}: xmllint {lint_valid}, crate {}",
                    !lint_valid
                ));
            }
            checked += 1;
        }
        assert!(
            disagreements.is_empty(),
            "{soort}: {} disagreements, e.g.\n{}",
            disagreements.len(),
            disagreements
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Both verdicts must occur plenty of times, or the comparison proves little.
    assert!(
        valid > 500 && checked - valid > 2_000,
        "{checked} documents, {valid} valid"
    );
}

/// The committed schema tables and typed model are what the generator makes of
/// the official schemas today.
#[test]
#[allow(clippy::print_stderr, reason = "a skipped check says so")]
fn the_generated_code_is_up_to_date() {
    let Some(shared) = shared() else { return };
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    for (mode, file) in [
        ("tables", "crates/ijw/src/schema/tables.rs"),
        ("types", "crates/ijw/src/types.rs"),
    ] {
        let output = std::process::Command::new("python3")
            .arg(workspace.join("tools/ijw_schema.py"))
            .arg(shared.join("xsd/ijw-3.2"))
            .arg(mode)
            .output();
        let Ok(output) = output else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "python3 is missing, but CI=true"
            );
            eprintln!("python3 not installed: skipping the generator check");
            return;
        };
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let committed = std::fs::read_to_string(workspace.join(file)).unwrap();
        assert!(
            committed == String::from_utf8_lossy(&output.stdout),
            "{file} is stale: run python3 tools/ijw_schema.py ../shared/ijw/xsd/ijw-3.2 {mode} > {file}"
        );
    }
}

#[test]
fn every_valid_example_decodes_and_reencodes_to_its_canonical_form() {
    let mut round_trips = 0;
    for soort in Berichtsoort::ALL {
        let Some(bytes) = example(&format!("{}.xml", soort.name())) else {
            return;
        };
        let canonical = xml::write(&xml::read(&bytes).unwrap());
        match ijw::decode(&bytes) {
            Ok(bericht) => {
                assert_eq!(bericht.soort(), soort);
                let encoded = ijw::encode(&bericht);
                assert_eq!(
                    encoded, canonical,
                    "{soort}: re-encoding must give the canonical form"
                );
                assert_eq!(
                    ijw::decode(encoded.as_bytes()).unwrap(),
                    bericht,
                    "{soort}: decode(encode(x)) == x"
                );
                round_trips += 1;
            }
            // The two public examples the schema refuses (see shared/ijw/examples/README.md).
            Err(ijw::DecodeFailure::Schema { .. })
                if matches!(soort, Berichtsoort::Jw315 | Berichtsoort::Jw318) => {}
            Err(e) => panic!("{soort}: {e}"),
        }
    }
    assert!(
        round_trips == 12 || shared().is_none(),
        "{round_trips} round trips"
    );
}

#[test]
fn a_typed_message_reads_like_the_standard() {
    let Some(bytes) = example("JW301.xml") else {
        return;
    };
    let ijw::Bericht::Jw301(bericht) = ijw::decode(&bytes).unwrap() else {
        panic!("not a JW301")
    };
    assert_eq!(bericht.header.afzender, "0384");
    assert_eq!(bericht.client.bsn, "999900006");
    assert_eq!(
        bericht.client.geslacht,
        ijw::types::codes::Geslacht::Mannelijk
    );
    let product = &bericht.client.toegewezen_producten.toegewezen_product[0];
    assert!(product.toewijzing_nummer > 0);
    assert_eq!(
        "9".parse::<ijw::types::codes::Geslacht>()
            .unwrap_err()
            .to_string(),
        "'9' is geen code uit codelijst LDT_Geslacht"
    );
}

/// Edits one element's text (by local name, nth occurrence) in a message tree.
fn set_text(root: &mut xml::Element, name: &str, nth: usize, text: &str) {
    fn visit(e: &mut xml::Element, name: &str, seen: &mut usize, nth: usize, text: &str) -> bool {
        if e.name == name {
            if *seen == nth {
                e.text = text.to_owned();
                return true;
            }
            *seen += 1;
        }
        e.children
            .iter_mut()
            .any(|c| visit(c, name, seen, nth, text))
    }
    assert!(visit(root, name, &mut 0, nth, text), "no {name} #{nth}");
}

/// `(rule, element)` of every finding, for compact assertions.
fn rules_of(bytes: &[u8]) -> Vec<(String, String)> {
    let report = ijw::validate(bytes);
    report
        .findings
        .into_iter()
        .map(|f| (f.rule, f.element))
        .collect()
}

#[test]
fn the_valid_examples_pass_every_in_message_rule() {
    for soort in Berichtsoort::ALL {
        let Some(bytes) = example(&format!("{}.xml", soort.name())) else {
            return;
        };
        let report = ijw::validate(&bytes);
        if matches!(soort, Berichtsoort::Jw315 | Berichtsoort::Jw318) {
            assert!(
                report.findings.iter().all(|f| f.rule == "XSD") && !report.is_valid(),
                "{soort}"
            );
        } else if soort == Berichtsoort::Jw317 {
            // The public JW317 asks for a new product ending (2024-02-28) before it starts (2026-11-01).
            let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
            assert_eq!(rules, ["CS003"], "{soort}");
        } else if soort == Berichtsoort::Jw323 {
            // The public example declares prestatie RN004 twice for the same client
            // (April and March): a duplicate class, which TR101 refuses.
            let found: Vec<(&str, &str)> = report
                .findings
                .iter()
                .map(|f| (f.rule.as_str(), f.element.as_str()))
                .collect();
            assert_eq!(
                found,
                [(
                    "TR101",
                    "Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[3]"
                )],
                "{soort}"
            );
        } else {
            assert!(report.is_valid(), "{soort}: {:?}", report.findings);
        }
    }
}

#[test]
fn each_in_message_rule_catches_its_own_mistake_with_retour_code_0001() {
    let Some(bytes) = example("JW301.xml") else {
        return;
    };
    let original = xml::read(&bytes).unwrap();
    let broken = |edit: &dyn Fn(&mut xml::Element)| {
        let mut root = original.clone();
        edit(&mut root);
        xml::write(&root).into_bytes()
    };
    let check = |edit: &dyn Fn(&mut xml::Element), rule: &str| {
        let bytes = broken(edit);
        let report = ijw::validate(&bytes);
        let found: Vec<&ijw::Finding> = report.findings.iter().filter(|f| f.rule == rule).collect();
        assert!(
            !found.is_empty(),
            "{rule} not reported: {:?}",
            report.findings
        );
        assert!(found.iter().all(|f| f.code == Some("0001")), "{rule}");
    };
    check(&|r| set_text(r, "Bsn", 0, "999900007"), "CS002");
    check(&|r| set_text(r, "Einddatum", 0, "2020-01-01"), "CS003");
    check(&|r| set_text(r, "Postcode", 0, "999XX"), "CS089");
    check(&|r| set_text(r, "NaamGebruik", 0, "6"), "CS318");
    check(
        &|r| {
            let communicatie = r.children[1]
                .children
                .iter_mut()
                .find(|c| c.name == "Communicatie")
                .unwrap();
            communicatie.children.retain(|c| c.name != "Taal");
        },
        "CD007",
    );
    assert_eq!(
        rules_of(&bytes),
        Vec::<(String, String)>::new(),
        "the original passes"
    );
}

#[test]
fn the_conditions_of_an_allocated_product_are_enforced() {
    use ijw::types::codes::{Frequentie, RedenWijziging};
    let Some(bytes) = example("JW301.xml") else {
        return;
    };
    let ijw::Bericht::Jw301(original) = ijw::decode(&bytes).unwrap() else {
        panic!("not a JW301")
    };
    let check_all = |expected: &[&str],
                     edit: &dyn Fn(&mut ijw::types::jw301::ToegewezenProduct)| {
        let mut bericht = original.clone();
        edit(&mut bericht.client.toegewezen_producten.toegewezen_product[0]);
        let report = ijw::validate(ijw::encode(&ijw::Bericht::Jw301(bericht)).as_bytes());
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, expected, "{:?}", report.findings);
        assert_eq!(
            report.findings[0].element,
            "Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]"
        );
    };
    let check = |rule: &str, edit: &dyn Fn(&mut ijw::types::jw301::ToegewezenProduct)| {
        check_all(&[rule], edit);
    };
    check("CS336", &|p| {
        p.reden_wijziging = Some(RedenWijziging::AdministratieveCorrectieVervallen);
    });
    check("CS335", &|p| {
        p.reden_wijziging = Some(RedenWijziging::Verwijderd);
    });
    check("CD041", &|p| p.omvang = None);
    check("CD078", &|p| p.budget = Some(100_000));
    check("CD076", &|p| p.einddatum = None);
    // Without its code the first allocation covers all of category 55, so it now
    // also overlaps the second allocation, which has a code in that category.
    check_all(&["CD080", "TR302"], &|p| {
        p.product.as_mut().unwrap().code = None;
    });
    // A generic allocation (no Product) overlaps every other allocation too.
    check_all(&["CD079", "TR302"], &|p| {
        p.product = None;
        p.omvang = None;
    });
    check("CD075", &|p| {
        p.omvang = None;
        p.budget = Some(50_000);
        p.einddatum = None;
    });
    let mut budget_only = original.clone();
    let product = &mut budget_only.client.toegewezen_producten.toegewezen_product[0];
    (product.omvang, product.budget) = (None, Some(50_000));
    assert!(
        ijw::validate(ijw::encode(&ijw::Bericht::Jw301(budget_only)).as_bytes()).is_valid(),
        "Budget with Einddatum and Product is fine"
    );
    let mut per_month = original.clone();
    let product = &mut per_month.client.toegewezen_producten.toegewezen_product[0];
    product.omvang.as_mut().unwrap().frequentie = Frequentie::PerMaand;
    product.einddatum = None;
    assert!(
        ijw::validate(ijw::encode(&ijw::Bericht::Jw301(per_month)).as_bytes()).is_valid(),
        "no Einddatum needed per month"
    );
}

#[test]
fn allocations_of_the_same_product_may_not_overlap() {
    let Some(bytes) = example("JW301.xml") else {
        return;
    };
    let ijw::Bericht::Jw301(original) = ijw::decode(&bytes).unwrap() else {
        panic!("not a JW301")
    };
    let with_second = |start: &str, code: Option<&str>| {
        let mut bericht = original.clone();
        let producten = &mut bericht.client.toegewezen_producten.toegewezen_product;
        let mut second = producten[0].clone();
        second.toewijzing_nummer = 424_242;
        second.ingangsdatum = start.parse().unwrap();
        second.einddatum = Some("2026-12-31".parse().unwrap());
        second.product.as_mut().unwrap().code = code.map(str::to_owned);
        if code.is_none() {
            (second.omvang, second.budget) = (None, Some(10_000));
        }
        producten.push(second);
        let report = ijw::validate(ijw::encode(&ijw::Bericht::Jw301(bericht)).as_bytes());
        report
            .findings
            .iter()
            .map(|f| f.rule.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        with_second("2026-07-14", Some("55A11")),
        ["TR302"],
        "the last day overlaps"
    );
    assert!(
        with_second("2026-07-15", Some("55A11")).is_empty(),
        "the next day does not"
    );
    assert!(
        with_second("2026-05-01", Some("55A99")).is_empty(),
        "another code may overlap"
    );
    assert_eq!(
        with_second("2026-05-01", None),
        ["TR302"],
        "a category allocation overlaps both coded allocations of category 55, and is named once"
    );
}

#[test]
fn every_message_has_a_valid_example_of_our_own() {
    for soort in Berichtsoort::ALL {
        let bericht = ijw::voorbeeld(soort);
        assert_eq!(bericht.soort(), soort);
        let xml = ijw::encode(&bericht);
        let report = ijw::validate(xml.as_bytes());
        assert!(report.is_valid(), "{soort}: {:?}\n{xml}", report.findings);
        assert_eq!(
            report.bericht.as_ref(),
            Some(&bericht),
            "{soort} decodes to itself"
        );
    }
}

/// Our own examples, committed as golden files in canonical form
/// (`crates/ijw/voorbeelden/`). `UPDATE_GOLDEN=1 cargo test` rewrites them after a
/// deliberate change.
#[test]
fn our_examples_are_golden_files_that_round_trip_byte_for_byte() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voorbeelden");
    for soort in Berichtsoort::ALL {
        let path = dir.join(format!("{}.xml", soort.name()));
        let encoded = ijw::encode(&ijw::voorbeeld(soort));
        if std::env::var("UPDATE_GOLDEN").is_ok() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &encoded).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap();
        assert!(
            golden == encoded,
            "{} differs from the example; UPDATE_GOLDEN=1 after a deliberate change",
            path.display()
        );
        let decoded = ijw::decode(golden.as_bytes()).unwrap();
        assert_eq!(
            ijw::encode(&decoded),
            golden,
            "{soort}: decode and encode give the same bytes"
        );
    }
}

pub(crate) fn retour_id() -> ijw::RetourId<'static> {
    ijw::RetourId {
        identificatie: "RET000000001",
        // After November, so a declaration answer on November's prestaties may list them (TR137).
        dagtekening: "2026-12-08".parse().unwrap(),
    }
}

fn finding(element: &str, code: &'static str) -> ijw::Finding {
    ijw::Finding {
        code: Some(code),
        rule: "TR".into(),
        element: element.into(),
        line: 0,
        message: String::new(),
    }
}

/// The canonical XML of a retour, after checking it at every level.
fn checked(bericht: &ijw::Bericht) -> String {
    let xml = ijw::encode(bericht);
    let report = ijw::validate(xml.as_bytes());
    assert!(report.is_valid(), "{:?}\n{xml}", report.findings);
    xml
}

#[test]
fn a_message_without_findings_gets_a_retour_with_the_header_only() {
    for soort in Berichtsoort::ALL {
        let request = ijw::voorbeeld(soort);
        let Some(answer) = ijw::answer_to(soort) else {
            assert!(matches!(
                ijw::retour(&request, &[], retour_id()),
                Err(ijw::NoRetour::NotARequest(_))
            ));
            continue;
        };
        let retour = ijw::retour(&request, &[], retour_id()).unwrap();
        assert_eq!(retour.soort(), answer);
        let xml = checked(&retour);
        let root = xml::read(xml.as_bytes()).unwrap();
        if let ijw::Bericht::Jw325(answer) = &retour {
            use ijw::types::codes::RetourCode;
            // IV087: approved in full — header 0200, the answer 8001, granted = submitted.
            assert_eq!(answer.header.retour_codes.retour_code, [RetourCode::R0200]);
            let antwoord = answer.declaratie_antwoord.as_ref().unwrap();
            assert_eq!(antwoord.retour_codes.retour_code, [RetourCode::R8001]);
            assert_eq!(
                antwoord.totaal_toegekend_bedrag,
                antwoord.totaal_ingediend_bedrag
            );
            assert_eq!(antwoord.totaal_ingediend_bedrag.totaal_bedrag, 75_000);
            assert!(antwoord.clienten.is_none(), "no prestaties listed");
            assert!(
                xml.contains("<jw325:Afzender>0307</jw325:Afzender>"),
                "the answer comes from the gemeente"
            );
        } else {
            assert_eq!(root.children.len(), 1, "{answer}: header only");
            assert!(
                !xml.contains("RetourCode"),
                "{answer}: no codes when all is well"
            );
            let request_xml = ijw::encode(&request);
            let sender = |x: &str| {
                x.split("Afzender>")
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_owned()
            };
            assert_eq!(
                sender(&xml),
                sender(&request_xml),
                "{answer}: Afzender is not swapped"
            );
            assert!(xml.contains(&format!("BerichtCode>{}<", answer.code())));
            assert!(
                xml.contains("IdentificatieRetour>RET000000001<")
                    && xml.contains("DagtekeningRetour>2026-12-08<")
            );
        }
    }
}

#[test]
fn a_rule_within_the_message_gives_the_header_only_with_0001() {
    let request = ijw::voorbeeld(Berichtsoort::Jw301);
    let mut xml = ijw::encode(&request);
    xml = xml.replacen("999990019", "999990018", 1);
    let report = ijw::validate(xml.as_bytes());
    assert_eq!(report.findings[0].rule, "CS002");
    let retour = ijw::retour(
        report.bericht.as_ref().unwrap(),
        &report.findings,
        retour_id(),
    )
    .unwrap();
    let xml = checked(&retour);
    assert!(xml.contains("<jw302:RetourCode>0001</jw302:RetourCode>"));
    assert!(!xml.contains("<jw302:Client>"), "header only");
}

#[test]
fn a_failing_class_gives_the_client_with_every_class_coded() {
    let request = ijw::voorbeeld(Berichtsoort::Jw305);
    let findings = [finding(
        "Bericht/Client/StartProducten/StartProduct",
        "9019",
    )];
    let xml = checked(&ijw::retour(&request, &findings, retour_id()).unwrap());
    let codes: Vec<&str> = xml
        .lines()
        .filter(|l| l.contains("<jw306:RetourCode>"))
        .map(str::trim)
        .collect();
    assert_eq!(
        codes,
        [
            "<jw306:RetourCode>0200</jw306:RetourCode>",
            "<jw306:RetourCode>9019</jw306:RetourCode>",
            "<jw306:RetourCode>0200</jw306:RetourCode>"
        ],
        "header 0200, the start product its own code, the client (coded after its classes) 0200 (iJw §8.2):\n{xml}"
    );
    assert!(xml.contains("<jw306:Bsn>999990019</jw306:Bsn>"));

    let header = [finding("Bericht/Header", "8848")];
    let xml = checked(&ijw::retour(&request, &header, retour_id()).unwrap());
    assert!(
        xml.contains("<jw306:RetourCode>8848</jw306:RetourCode>")
            && !xml.contains("<jw306:Client>")
    );

    let no_code = ijw::Finding {
        code: None,
        ..finding("Bericht", "0001")
    };
    assert!(matches!(
        ijw::retour(&request, &[no_code], retour_id()),
        Err(ijw::NoRetour::NoCode(_))
    ));
}

/// Our JW323 example with a second client: Sam's prestatie of € 750,00 and two of
/// € 400,00 and € 100,00 (credit) for Noor, € 1.050,00 in all.
fn declaration_of_two_clients() -> ijw::Bericht {
    use ijw::types::{basis, codes};
    let ijw::Bericht::Jw323(mut declaratie) = ijw::voorbeeld(Berichtsoort::Jw323) else {
        panic!("JW323")
    };
    let clients = &mut declaratie.declaratie.clienten.client;
    let mut noor = clients[0].clone();
    noor.bsn = "999990020".into();
    let first = &mut noor.prestaties.prestatie[0];
    first.product_referentie.referentie_nummer = "P2026110002".into();
    first.toewijzing_nummer = 20_260_002;
    (first.geleverd_volume, first.ingediend_bedrag.bedrag) = (8, 40_000);
    first.product_tarief = Some(5_000);
    let mut credit = first.clone();
    credit.product_referentie = basis::Referentie {
        referentie_nummer: "P2026110003".into(),
        vorig_referentie_nummer: Some("P2026100007".into()),
    };
    credit.product_periode = basis::GeslotenPeriode {
        begindatum: "2026-10-01".parse().unwrap(),
        einddatum: "2026-10-31".parse().unwrap(),
    };
    (credit.geleverd_volume, credit.ingediend_bedrag.bedrag) = (2, 10_000);
    credit.ingediend_bedrag.debet_credit = codes::DebetCredit::Credit;
    noor.prestaties.prestatie.push(credit);
    clients.push(noor);
    declaratie.declaratie.totaal_ingediend_bedrag.totaal_bedrag = 105_000;
    let request = ijw::Bericht::Jw323(declaratie);
    let report = ijw::validate(ijw::encode(&request).as_bytes());
    assert!(report.is_valid(), "{:?}", report.findings);
    request
}

/// The JW325 answering `declaratie` with `findings`, checked at every level.
fn declaration_answer(
    declaratie: &ijw::Bericht,
    findings: &[ijw::Finding],
) -> ijw::types::jw325::Bericht {
    let ijw::Bericht::Jw325(answer) = ijw::retour(declaratie, findings, retour_id()).unwrap()
    else {
        panic!("JW325")
    };
    checked(&ijw::Bericht::Jw325(answer.clone()));
    answer
}

#[test]
fn a_declaration_answer_lists_rejected_prestaties_and_the_granted_total() {
    use ijw::types::codes::RetourCode;
    let request = declaration_of_two_clients();
    let noor = "Bericht/Declaratie/Clienten/Client[2]";

    // Partly approved: Noor's credit is rejected; the rest is granted (IV087, TR342).
    let answer = declaration_answer(
        &request,
        &[finding(&format!("{noor}/Prestaties/Prestatie[2]"), "8017")],
    );
    assert_eq!(answer.header.retour_codes.retour_code, [RetourCode::R0200]);
    let antwoord = answer.declaratie_antwoord.unwrap();
    assert_eq!(antwoord.retour_codes.retour_code, [RetourCode::R0200]);
    assert_eq!(antwoord.totaal_ingediend_bedrag.totaal_bedrag, 105_000);
    assert_eq!(
        antwoord.totaal_toegekend_bedrag.totaal_bedrag, 115_000,
        "TR342: the rejected credit of € 100,00 is not granted"
    );
    let clients = antwoord.clienten.unwrap().client;
    assert_eq!(
        clients.len(),
        1,
        "only the client with a rejected prestatie"
    );
    assert_eq!(
        (
            clients[0].bsn.as_str(),
            clients[0].retour_codes.retour_code.as_slice()
        ),
        ("999990020", [RetourCode::R0200].as_slice())
    );
    let rejected = &clients[0].prestaties.prestatie;
    assert_eq!(
        rejected
            .iter()
            .map(|p| (
                p.product_referentie.referentie_nummer.as_str(),
                p.retour_codes.retour_code.as_slice()
            ))
            .collect::<Vec<_>>(),
        [("P2026110003", [RetourCode::R8017].as_slice())]
    );

    // A finding on a client: the client with its code, all its prestaties unjudged (0233).
    let answer = declaration_answer(&request, &[finding(noor, "8187")]);
    let antwoord = answer.declaratie_antwoord.unwrap();
    assert_eq!(
        antwoord.totaal_toegekend_bedrag.totaal_bedrag, 75_000,
        "only Sam's prestatie is granted"
    );
    let clients = antwoord.clienten.unwrap().client;
    assert_eq!(clients[0].retour_codes.retour_code, [RetourCode::R8187]);
    assert!(
        clients[0]
            .prestaties
            .prestatie
            .iter()
            .all(|p| p.retour_codes.retour_code == [RetourCode::R0233])
            && clients[0].prestaties.prestatie.len() == 2
    );

    // Every prestatie rejected: nothing granted, all listed.
    let all = [
        finding(
            "Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie",
            "9338",
        ),
        finding(&format!("{noor}/Prestaties/Prestatie[1]"), "9338"),
        finding(&format!("{noor}/Prestaties/Prestatie[2]"), "9338"),
    ];
    let antwoord = declaration_answer(&request, &all)
        .declaratie_antwoord
        .unwrap();
    assert_eq!(antwoord.retour_codes.retour_code, [RetourCode::R0200]);
    assert_eq!(antwoord.totaal_toegekend_bedrag.totaal_bedrag, 0);
    assert_eq!(antwoord.clienten.unwrap().client.len(), 2);

    // Approved in full: header 0200, the answer 8001, granted = submitted, nothing listed.
    let antwoord = declaration_answer(&request, &[])
        .declaratie_antwoord
        .unwrap();
    assert_eq!(antwoord.retour_codes.retour_code, [RetourCode::R8001]);
    assert_eq!(
        antwoord.totaal_toegekend_bedrag,
        antwoord.totaal_ingediend_bedrag
    );
    assert!(antwoord.clienten.is_none());
}

#[test]
fn a_rejected_declaration_grants_nothing_and_a_broken_one_gets_the_header_only() {
    use ijw::types::codes::RetourCode;
    let request = declaration_of_two_clients();
    // The Declaratie class itself (a DeclaratieNummer used before): its code on the
    // answer, nothing granted, no prestaties judged (IV087).
    let answer = declaration_answer(&request, &[finding("Bericht/Declaratie", "9333")]);
    assert_eq!(answer.header.retour_codes.retour_code, [RetourCode::R0200]);
    let antwoord = answer.declaratie_antwoord.unwrap();
    assert_eq!(antwoord.retour_codes.retour_code, [RetourCode::R9333]);
    assert_eq!(antwoord.totaal_toegekend_bedrag.totaal_bedrag, 0);
    assert!(antwoord.clienten.is_none());

    // A header finding: the header only, with its code.
    let answer = declaration_answer(&request, &[finding("Bericht/Header", "9056")]);
    assert_eq!(answer.header.retour_codes.retour_code, [RetourCode::R9056]);
    assert!(answer.declaratie_antwoord.is_none());

    // A rule within the message: the header only, with 0001.
    let mut xml = ijw::encode(&request);
    xml = xml.replacen("<ijw:TotaalBedrag>105000<", "<ijw:TotaalBedrag>105001<", 1);
    let report = ijw::validate(xml.as_bytes());
    assert_eq!(report.findings[0].rule, "TR358");
    let answer = declaration_answer(report.bericht.as_ref().unwrap(), &report.findings);
    assert_eq!(answer.header.retour_codes.retour_code, [RetourCode::R0001]);
    assert!(answer.declaratie_antwoord.is_none());
}

/// One golden invalid message per rule within a message, in
/// `crates/ijw/voorbeelden/ongeldig/RULE.xml`: each breaks exactly that rule of
/// our JW301 example, and the crate reports exactly that rule with code 0001.
#[test]
fn every_rule_within_a_message_has_a_golden_invalid_example() {
    use ijw::types::codes::{NaamGebruik, RedenWijziging};
    use ijw::types::jw301;
    type Edit = fn(&mut jw301::Bericht);
    let edits: [(&str, Edit); 14] = [
        ("CS002", |b| b.client.bsn = "999990018".into()),
        ("CS003", |b| {
            b.client.toegewezen_producten.toegewezen_product[0].einddatum =
                Some("2026-10-31".parse().unwrap());
        }),
        ("CS089", |b| {
            b.client.contactgegevens.contact[0]
                .adres
                .as_mut()
                .unwrap()
                .postcode = Some("0812AB".into());
        }),
        ("CS318", |b| {
            b.client.naam.naam_gebruik = NaamGebruik::NietNatuurlijkPersoon;
        }),
        ("CD007", |b| {
            b.client.communicatie.as_mut().unwrap().taal = None;
        }),
        ("CD041", |b| {
            b.client.toegewezen_producten.toegewezen_product[0].omvang = None;
        }),
        ("CD075", |b| {
            let p = &mut b.client.toegewezen_producten.toegewezen_product[0];
            (p.omvang, p.budget, p.einddatum) = (None, Some(50_000), None);
        }),
        ("CD076", |b| {
            b.client.toegewezen_producten.toegewezen_product[0].einddatum = None;
        }),
        ("CD078", |b| {
            b.client.toegewezen_producten.toegewezen_product[0].budget = Some(50_000);
        }),
        ("CD079", |b| {
            let p = &mut b.client.toegewezen_producten.toegewezen_product[0];
            (p.product, p.omvang) = (None, None);
        }),
        ("CD080", |b| {
            b.client.toegewezen_producten.toegewezen_product[0]
                .product
                .as_mut()
                .unwrap()
                .code = None;
        }),
        ("CS335", |b| {
            b.client.toegewezen_producten.toegewezen_product[0].reden_wijziging =
                Some(RedenWijziging::Verwijderd);
        }),
        ("CS336", |b| {
            b.client.toegewezen_producten.toegewezen_product[0].reden_wijziging =
                Some(RedenWijziging::AdministratieveCorrectieVervallen);
        }),
        ("TR302", |b| {
            let producten = &mut b.client.toegewezen_producten.toegewezen_product;
            let mut second = producten[0].clone();
            second.toewijzing_nummer += 1;
            producten.push(second);
        }),
    ];
    for (rule, edit) in edits {
        let ijw::Bericht::Jw301(mut bericht) = ijw::voorbeeld(Berichtsoort::Jw301) else {
            panic!("JW301")
        };
        edit(&mut bericht);
        check_golden_invalid(rule, &ijw::Bericht::Jw301(bericht));
    }
    other_golden_invalid_examples();
}

/// Writes (with `UPDATE_GOLDEN`) and checks `voorbeelden/ongeldig/NAME.xml`: the
/// crate reports exactly the rule NAME starts with (`TR101` for `TR101-JW323`,
/// one example per message type), with code 0001.
pub(crate) fn check_golden_invalid(name: &str, bericht: &ijw::Bericht) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voorbeelden/ongeldig");
    let path = dir.join(format!("{name}.xml"));
    let rule = name.split('-').next().unwrap_or(name);
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, ijw::encode(bericht)).unwrap();
    }
    let golden = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = ijw::validate(&golden);
    let found: Vec<(&str, Option<&str>)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.code))
        .collect();
    assert_eq!(found, [(rule, Some("0001"))], "{}", path.display());
}

/// The rules on contacts (JW301), referrers and decisions (JW315) and answers (JW319).
fn other_golden_invalid_examples() {
    use ijw::types::codes::{AdresSoort, RedenAfwijzingVerzoek, TypeVerwijzer, VerzoekAntwoord};
    use ijw::types::{basis, jw319};
    let jw301 = |edit: &dyn Fn(&mut ijw::types::jw301::Bericht)| {
        let ijw::Bericht::Jw301(mut b) = ijw::voorbeeld(Berichtsoort::Jw301) else {
            panic!("JW301")
        };
        edit(&mut b);
        ijw::Bericht::Jw301(b)
    };
    check_golden_invalid(
        "CD034",
        &jw301(&|b| {
            let contact = &mut b.client.relaties.as_mut().unwrap().relatie[0].contact;
            contact.adres = None;
        }),
    );
    check_golden_invalid(
        "CD009",
        &jw301(&|b| {
            b.client.relaties.as_mut().unwrap().relatie[0]
                .contact
                .periode = Some(basis::OpenPeriode {
                begindatum: Some("2026-11-01".parse().unwrap()),
                einddatum: None,
            });
        }),
    );
    check_golden_invalid(
        "TR006",
        &jw301(&|b| {
            // A BRP address keeps its postcode (CD034); an address abroad needs no Huis (CD025).
            let contact = &mut b.client.relaties.as_mut().unwrap().relatie[0].contact;
            contact.telefoon = None;
            let adres = contact.adres.as_mut().unwrap();
            (adres.huis, adres.land_code) = (None, Some(ijw::types::codes::LandCode::Be));
        }),
    );
    check_golden_invalid(
        "TR061",
        &jw301(&|b| {
            let contact = &mut b.client.contactgegevens.contact[0];
            (contact.soort, contact.adres) = (AdresSoort::TijdelijkVerblijfadres, None);
        }),
    );
    let jw315 = |edit: &dyn Fn(&mut ijw::types::jw315::AangevraagdProduct)| {
        let ijw::Bericht::Jw315(mut b) = ijw::voorbeeld(Berichtsoort::Jw315) else {
            panic!("JW315")
        };
        edit(&mut b.client.aangevraagde_producten.aangevraagd_product[0]);
        ijw::Bericht::Jw315(b)
    };
    check_golden_invalid("CD043", &jw315(&|p| p.beschikking_nummer = Some(1234)));
    check_golden_invalid(
        "CD067",
        &jw315(&|p| (p.verwijzer.naam, p.verwijzer.zorgverlener_code) = (None, None)),
    );
    check_golden_invalid(
        "CD068",
        &jw315(&|p| p.verwijzer.r#type = TypeVerwijzer::Gemeente),
    );
    let jw319 = |edit: &dyn Fn(&mut jw319::Antwoord)| {
        let ijw::Bericht::Jw319(mut b) = ijw::voorbeeld(Berichtsoort::Jw319) else {
            panic!("JW319")
        };
        edit(&mut b.antwoord);
        ijw::Bericht::Jw319(b)
    };
    check_golden_invalid(
        "CD085",
        &jw319(&|a| a.verzoek_antwoord = VerzoekAntwoord::VerzoekAfgewezen),
    );
    check_golden_invalid(
        "CD086",
        &jw319(&|a| a.reden_afwijzing_verzoek = Some(RedenAfwijzingVerzoek::GeenContract)),
    );
    use ijw::types::codes::{DebetCredit, StatusAanlevering};
    let jw323 = |edit: &dyn Fn(&mut ijw::types::jw323::Declaratie)| {
        let ijw::Bericht::Jw323(mut b) = ijw::voorbeeld(Berichtsoort::Jw323) else {
            panic!("JW323")
        };
        edit(&mut b.declaratie);
        ijw::Bericht::Jw323(b)
    };
    check_golden_invalid(
        "TR358",
        &jw323(&|d| d.totaal_ingediend_bedrag.totaal_bedrag = 70_000),
    );
    check_golden_invalid(
        "CD087",
        &jw323(&|d| d.clienten.client[0].prestaties.prestatie[0].product_tarief = None),
    );
    check_golden_invalid(
        "CD060",
        &jw323(&|d| {
            d.clienten.client[0].prestaties.prestatie[0]
                .product_referentie
                .vorig_referentie_nummer = Some("P2026100001".into());
        }),
    );
    check_golden_invalid(
        "CS325",
        &jw323(&|d| {
            let p = &mut d.clienten.client[0].prestaties.prestatie[0];
            (
                p.geleverd_volume,
                p.ingediend_bedrag.bedrag,
                p.ingediend_bedrag.debet_credit,
            ) = (0, 0, DebetCredit::Credit);
            p.product_referentie.vorig_referentie_nummer = Some("P2026100001".into());
            d.totaal_ingediend_bedrag.totaal_bedrag = 0;
        }),
    );
    let ijw::Bericht::Jw305(mut start) = ijw::voorbeeld(Berichtsoort::Jw305) else {
        panic!("JW305")
    };
    start.client.start_producten.start_product[0].status_aanlevering =
        StatusAanlevering::GewijzigdeAanlevering;
    check_golden_invalid("CS058", &ijw::Bericht::Jw305(start));
    check_golden_invalid(
        "TR377",
        &jw319(&|a| {
            a.verzoek_antwoord = VerzoekAntwoord::VerzoekAfgewezen;
            a.reden_afwijzing_verzoek = Some(RedenAfwijzingVerzoek::Woonplaatsbeginsel);
        }),
    );
}

#[test]
fn any_prefix_or_a_default_namespace_reads_the_same() {
    for soort in Berichtsoort::ALL {
        let bericht = ijw::voorbeeld(soort);
        let canonical = ijw::encode(&bericht);
        let own = soort.name().to_ascii_lowercase();
        // The message's own namespace as the default, the basisschema under another prefix.
        let rewritten = canonical
            .replace(&format!("xmlns:{own}="), "xmlns=")
            .replace(&format!("<{own}:"), "<")
            .replace(&format!("</{own}:"), "</")
            .replace("xmlns:ijw=", "xmlns:basis=")
            .replace("<ijw:", "<basis:")
            .replace("</ijw:", "</basis:");
        assert_ne!(rewritten, canonical);
        assert_eq!(
            ijw::decode(rewritten.as_bytes()).unwrap(),
            bericht,
            "{soort}"
        );
        assert_eq!(
            ijw::encode(&ijw::decode(rewritten.as_bytes()).unwrap()),
            canonical,
            "{soort}: written canonically again"
        );
    }
    // A prefix bound to the wrong namespace is not the same element.
    let wrong = ijw::encode(&ijw::voorbeeld(Berichtsoort::Jw305)).replace(
        "xmlns:ijw=\"http://www.istandaarden.nl/ijw/3_2/basisschema/schema\"",
        "xmlns:ijw=\"http://www.istandaarden.nl/iwmo/3_2/basisschema/schema\"",
    );
    assert!(matches!(
        ijw::decode(wrong.as_bytes()),
        Err(ijw::DecodeFailure::Schema { .. })
    ));
}

/// The corpus of `tests/welgevormd/`: `goed_*` is well-formed XML 1.0, `fout_*` is
/// not, `streng_*` is well-formed but refused by design (a DTD, mixed content, and
/// what the XML namespaces recommendation forbids).
fn welgevormd_corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/welgevormd");
    let mut cases: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    cases.sort();
    cases
}

/// `xmllint --noout` on a file: does libxml2 find it well-formed?
fn xmllint_accepts(path: &std::path::Path) -> bool {
    std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(path)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn the_reader_refuses_what_xml_forbids_and_agrees_with_xmllint() {
    let cases = welgevormd_corpus();
    assert!(cases.len() > 60, "the corpus is missing");
    let lint = xmllint();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/welgevormd");
    let mut wrong = Vec::new();
    for (name, bytes) in &cases {
        let ours = xml::read(bytes);
        let well_formed = !name.starts_with("fout_");
        let accepted = name.starts_with("goed_");
        if ours.is_ok() != accepted {
            wrong.push(format!("{name}: ijw says {ours:?}"));
        }
        if lint && xmllint_accepts(&dir.join(name)) != well_formed {
            wrong.push(format!("{name}: xmllint disagrees with the name"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
