//! One storage story, told against every backend: SQLite always, PostgreSQL when
//! `JEUGDROUTE_TEST_POSTGRES_URL` is set (CI sets it). Each run gets a fresh database.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use chrono::{NaiveDate, TimeZone, Utc};
use jeugdroute_domain::{
    Aanbieder, AgbCode, Bsn, Contract, Fase, Gemeente, Gemeentecode, Gemeentecontact, Geslacht,
    Gezin, Gi, Grond, Jeugdige, Kader, Melding, Ouder, Productcategorie, Productcode, Regio, Role,
    Urgentie, User, Verwijzer,
};
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_store::{
    AuditQuery, AuditSetup, Backend, CasusFilter, CasusLine, Claimed, Closing, DatabaseUrl,
    NewAuditRecord, NewCasus, NewIncoming, Outcome, OutgoingMessage, Store, StoreError,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn gemeente(code: &str, name: &str) -> Gemeente {
    Gemeente {
        code: Gemeentecode::parse(code).unwrap(),
        name: name.into(),
        contact: None,
    }
}

fn contact(city: &str) -> Gemeentecontact {
    Gemeentecontact {
        street: "Raadhuisplein".into(),
        house_number: "1".into(),
        postcode: "3761 AA".into(),
        city: city.into(),
        telefoon: "035 000 03 42".into(),
        email: "jeugd@soest.example".into(),
        signatory_name: "M. Bakker".into(),
        signatory_function: "teamleider Jeugd".into(),
    }
}

fn contract(agb: &str, code: &str, from: NaiveDate, until: Option<NaiveDate>) -> Contract {
    Contract {
        aanbieder: AgbCode::parse(agb).unwrap(),
        productcategorie: Productcategorie::parse("50").unwrap(),
        productcode: Productcode::parse(code).unwrap(),
        start_date: from,
        end_date: until,
        tariff_cents: 310_000,
        unit: "82".into(),
    }
}

async fn story(url: &DatabaseUrl) {
    let store = audited(url).await;
    store.migrate().await.unwrap();
    store.migrate().await.unwrap(); // a second run finds nothing to do
    store.ping().await.unwrap();

    // A region with its gemeenten, providers and contracts; loading twice inserts once.
    let regio = Regio {
        code: "regio-test".into(),
        name: "Regio Test".into(),
    };
    let mut tx = store.begin().await.unwrap();
    assert!(tx.insert_regio(&regio).await.unwrap());
    assert!(!tx.insert_regio(&regio).await.unwrap());
    // Amersfoort first without a contact (as loaded before contacts existed);
    // loading it again with one adds the contact, and a third load changes nothing.
    let mut soest = gemeente("0342", "Soest");
    soest.contact = Some(contact("Soest"));
    for g in [soest.clone(), gemeente("0307", "Amersfoort")] {
        assert!(tx.insert_gemeente(&regio.code, &g).await.unwrap());
    }
    let mut amersfoort = gemeente("0307", "Amersfoort");
    assert_eq!(tx.gemeenten().await.unwrap()[0], amersfoort);
    amersfoort.contact = Some(contact("Amersfoort"));
    assert!(!tx.insert_gemeente(&regio.code, &amersfoort).await.unwrap());
    let mut changed = amersfoort.clone();
    changed.contact = Some(contact("Elders"));
    assert!(!tx.insert_gemeente(&regio.code, &changed).await.unwrap());
    let aanbieder = Aanbieder {
        agb: AgbCode::parse("98000001").unwrap(),
        name: "De Linde".into(),
        city: "Baarn".into(),
    };
    assert!(tx.insert_aanbieder(&aanbieder).await.unwrap());
    let running = contract(
        "98000001",
        "50H22",
        date(2024, 1, 1),
        Some(date(2027, 12, 31)),
    );
    assert!(tx.insert_contract(&regio.code, &running).await.unwrap());
    assert!(!tx.insert_contract(&regio.code, &running).await.unwrap());
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.regio().await.unwrap(), Some(regio.clone()));
    assert_eq!(tx.gemeenten().await.unwrap(), [amersfoort, soest]);
    let names: Vec<String> = tx
        .gemeenten()
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["Amersfoort", "Soest"]);
    assert_eq!(tx.aanbieders().await.unwrap(), vec![aanbieder.clone()]);
    let code = Productcode::parse("50H22").unwrap();
    assert_eq!(
        tx.contracts_for(&code, date(2027, 12, 31)).await.unwrap(),
        vec![running.clone()]
    );
    assert!(
        tx.contracts_for(&code, date(2023, 12, 31))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        tx.contracts_for(&code, date(2028, 1, 1))
            .await
            .unwrap()
            .is_empty()
    );
    drop(tx);

    // A contract for an unknown provider is a conflict, and the transaction that
    // tried it leaves nothing behind.
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.insert_gemeente(&regio.code, &gemeente("0351", "Woudenberg"))
            .await
            .unwrap()
    );
    let err = tx
        .insert_contract(
            &regio.code,
            &contract("98000099", "50H22", date(2024, 1, 1), None),
        )
        .await;
    assert!(matches!(err, Err(StoreError::Conflict { .. })), "{err:?}");
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.gemeenten().await.unwrap().len(),
        2,
        "a rolled-back insert must not persist"
    );

    // Accounts with their scope.
    let worker = User {
        username: "medewerker.soest".into(),
        display_name: "Medewerker Soest".into(),
        role: Role::Toegangsmedewerker,
        gemeenten: vec![
            Gemeentecode::parse("0307").unwrap(),
            Gemeentecode::parse("0342").unwrap(),
        ],
        aanbieder: None,
        gi: None,
    };
    assert!(tx.insert_user(&worker, "$argon2id$test").await.unwrap());
    assert!(!tx.insert_user(&worker, "$argon2id$other").await.unwrap());
    let account = tx.account("medewerker.soest").await.unwrap().unwrap();
    assert_eq!(account.user, worker);
    assert_eq!(account.password_hash, "$argon2id$test");
    assert!(account.active);
    assert!(tx.account("niemand").await.unwrap().is_none());
    tx.commit().await.unwrap();

    // An aanbieder account must name its provider: the schema refuses it otherwise.
    let mut tx = store.begin().await.unwrap();
    let without_agb = User {
        username: "a".into(),
        role: Role::Aanbieder,
        gemeenten: vec![],
        ..worker.clone()
    };
    assert!(matches!(
        tx.insert_user(&without_agb, "h").await,
        Err(StoreError::Conflict { .. })
    ));
    drop(tx);

    // A family, its youth, a case and the audit trail of it.
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    let gezin = Gezin {
        surname: "Jansen".into(),
        street: "Lindelaan".into(),
        house_number: "12".into(),
        postcode: "3812 AB".into(),
        city: "Amersfoort".into(),
        gemeente: Gemeentecode::parse("0307").unwrap(),
    };
    let gezin_id = tx.ensure_gezin(&gezin).await.unwrap();
    assert_eq!(tx.ensure_gezin(&gezin).await.unwrap(), gezin_id);
    let bsn = Bsn::parse("999990019").unwrap();
    let jeugdige = Jeugdige {
        bsn: bsn.clone(),
        first_names: "Sam".into(),
        surname: "Jansen".into(),
        birth_date: date(2014, 5, 21),
        gemeente: Gemeentecode::parse("0307").unwrap(),
        geslacht: Geslacht::Vrouw,
    };
    let jeugdige_id = tx
        .insert_jeugdige(gezin_id, &jeugdige)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tx.insert_jeugdige(gezin_id, &jeugdige).await.unwrap(), None);
    assert_eq!(tx.jeugdige(jeugdige_id).await.unwrap(), jeugdige);
    let bekend = tx
        .bekende_jeugdige(&jeugdige.gemeente, &bsn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((bekend.id, &bekend.jeugdige), (jeugdige_id, &jeugdige));
    // Another gemeente does not know the youth, and keeps a record of its own.
    let soest = Gemeentecode::parse("0342").unwrap();
    assert_eq!(tx.bekende_jeugdige(&soest, &bsn).await.unwrap(), None);
    assert_eq!(
        tx.jeugdige_bekend_in(&[&soest, &jeugdige.gemeente], &bsn)
            .await
            .unwrap(),
        std::slice::from_ref(&jeugdige.gemeente)
    );
    assert!(
        tx.jeugdige_bekend_in(&[&soest], &bsn)
            .await
            .unwrap()
            .is_empty()
    );
    let gezin_soest = Gezin {
        gemeente: soest.clone(),
        ..gezin.clone()
    };
    let gezin_soest_id = tx.ensure_gezin(&gezin_soest).await.unwrap();
    assert_ne!(gezin_soest_id, gezin_id, "households are not shared either");
    let in_soest = Jeugdige {
        // An underscore, to show the name search takes it literally.
        first_names: "Sam_uel".into(),
        gemeente: soest.clone(),
        ..jeugdige.clone()
    };
    let in_soest_id = tx
        .insert_jeugdige(gezin_soest_id, &in_soest)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(in_soest_id, jeugdige_id);
    assert_eq!(
        tx.jeugdige(jeugdige_id).await.unwrap(),
        jeugdige,
        "untouched"
    );
    // Postcode areas and GIs of the region.
    tx.insert_postcodegebied(3812, &jeugdige.gemeente)
        .await
        .unwrap();
    assert_eq!(
        tx.gemeenten_van_pc4(3812).await.unwrap(),
        vec![jeugdige.gemeente.clone()]
    );
    assert!(tx.gemeenten_van_pc4(9999).await.unwrap().is_empty());
    let gi = Gi {
        agb: AgbCode::parse("98991001").unwrap(),
        name: "Jeugdbescherming Eemland".into(),
    };
    assert!(tx.insert_gi(&gi).await.unwrap());
    assert!(!tx.insert_gi(&gi).await.unwrap());
    assert_eq!(tx.gis().await.unwrap(), vec![gi.clone()]);
    assert!(matches!(
        tx.jeugdige(jeugdige_id + 1000).await,
        Err(StoreError::NotFound("jeugdige"))
    ));
    let melding = Melding {
        vraag: "Onze dochter slaapt slecht en wil niet naar school.".into(),
        vindplaats: "school".into(),
        verwijzer: Verwijzer::Huisarts,
        verwijzer_naam: Some("Huisartsenpraktijk De Linde".into()),
        urgentie: Urgentie::Urgent,
        kader: Kader::Vrijwillig,
    };
    let ouders = vec![
        Ouder {
            naam: "Petra Jansen".into(),
            telefoon: Some("033 123 45 67".into()),
            email: Some("petra@voorbeeld.nl".into()),
            gezag: true,
        },
        Ouder {
            naam: "Oma Jansen".into(),
            telefoon: None,
            email: None,
            gezag: false,
        },
    ];
    let casus_id = tx
        .insert_casus(&NewCasus {
            jeugdige_id,
            gemeente: &jeugdige.gemeente,
            phase: Fase::Melding,
            melding: &melding,
            woonplaats_regel: "Het BRP-adres ligt in Amersfoort.",
            ouders: &ouders,
            at: now,
        })
        .await
        .unwrap();
    assert_eq!(tx.ouders(casus_id).await.unwrap(), ouders);
    let forced = Melding {
        kader: Kader::Gedwongen {
            grond: Grond::Ondertoezichtstelling,
            gi: gi.agb.clone(),
        },
        ..melding.clone()
    };
    let forced_id = tx
        .insert_casus(&NewCasus {
            jeugdige_id: in_soest_id,
            gemeente: &soest,
            phase: Fase::Melding,
            melding: &forced,
            woonplaats_regel: "",
            ouders: &[],
            at: now,
        })
        .await
        .unwrap();
    assert_eq!(tx.casus(forced_id).await.unwrap().melding, forced);
    let both = vec![jeugdige.gemeente.clone(), soest.clone()];
    let of_gi = |gi| CasusFilter {
        gemeenten: &both,
        gi,
        limit: 10,
        ..CasusFilter::default()
    };
    let ids = |lines: Vec<CasusLine>| lines.iter().map(|l| l.casus.id).collect::<Vec<_>>();
    assert_eq!(
        ids(tx.casussen(&of_gi(Some(&gi.agb))).await.unwrap()),
        vec![forced_id]
    );
    assert_eq!(
        ids(tx.casussen(&of_gi(None)).await.unwrap()),
        vec![forced_id, casus_id]
    );
    let bekend = tx
        .bekende_jeugdige(&jeugdige.gemeente, &bsn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        bekend
            .open_casussen
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![casus_id]
    );
    let casus = tx.casus(casus_id).await.unwrap();
    assert_eq!(casus.woonplaats_regel, "Het BRP-adres ligt in Amersfoort.");
    assert_eq!(
        (
            casus.jeugdige_id,
            casus.phase,
            casus.created_at,
            &casus.melding
        ),
        (jeugdige_id, Fase::Melding, now, &melding)
    );
    // The worklist: only the gemeenten asked for, by BSN or by part of the name,
    // in the phases and of the urgency asked for.
    let amersfoort = vec![jeugdige.gemeente.clone()];
    let other = vec![Gemeentecode::parse("0342").unwrap()];
    let all = CasusFilter {
        gemeenten: &amersfoort,
        limit: 10,
        ..CasusFilter::default()
    };
    let not_urgentie = Urgentie::ALL
        .into_iter()
        .find(|u| *u != melding.urgentie)
        .unwrap();
    for (filter, expected) in [
        (all, vec![casus_id]),
        (
            CasusFilter {
                gemeenten: &other,
                ..all
            },
            vec![forced_id],
        ),
        (
            CasusFilter {
                gemeenten: &[],
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                bsn: Some(&bsn),
                ..all
            },
            vec![casus_id],
        ),
        (
            CasusFilter {
                name: Some("sam JAN"),
                ..all
            },
            vec![casus_id],
        ),
        (
            CasusFilter {
                name: Some("Pieter"),
                ..all
            },
            vec![],
        ),
        // LIKE's wildcards and its escape character are searched for literally.
        (
            CasusFilter {
                name: Some("%"),
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                name: Some("_"),
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                name: Some("!"),
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                gemeenten: &other,
                name: Some("s%l"),
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                gemeenten: &other,
                name: Some("M_U"),
                ..all
            },
            vec![forced_id],
        ),
        (
            CasusFilter {
                phases: Some(&[Fase::Plan, Fase::Melding]),
                ..all
            },
            vec![casus_id],
        ),
        (
            CasusFilter {
                phases: Some(&[Fase::Plan]),
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                phases: Some(&[]),
                ..all
            },
            vec![],
        ),
        (
            CasusFilter {
                urgentie: Some(melding.urgentie),
                ..all
            },
            vec![casus_id],
        ),
        (
            CasusFilter {
                urgentie: Some(not_urgentie),
                ..all
            },
            vec![],
        ),
    ] {
        let found = tx.casussen(&filter).await.unwrap();
        assert_eq!(
            found.iter().map(|l| l.casus.id).collect::<Vec<_>>(),
            expected,
            "{filter:?}"
        );
    }
    let record = NewAuditRecord {
        occurred_at: now,
        actor: "medewerker.soest",
        role: Some("toegangsmedewerker"),
        on_behalf_of: None,
        event: "casus.aanmaken",
        jeugdige_id: Some(jeugdige_id),
        casus_id: Some(casus_id),
        purpose: "melding vastleggen",
        outcome: "gelukt",
        source: Some("127.0.0.1"),
        jeugdigen: &[],
    };
    tx.append_audit(&record).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let log = tx.audit_for_jeugdige(jeugdige_id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].occurred_at, log[0].event.as_str(), log[0].casus_id),
        (now, "casus.aanmaken", Some(casus_id))
    );
    drop(tx);

    // The audit log is append-only, for the application and for raw SQL alike.
    for attempt in [
        "UPDATE audit_log SET outcome = 'geweigerd'",
        "DELETE FROM audit_log",
    ] {
        let mut tx = store.begin().await.unwrap();
        let err = tx.execute_raw(attempt).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{attempt}: {err}");
    }

    // Outbox and inbox: stored whole, handed out oldest first, marked once done.
    let mut tx = store.begin().await.unwrap();
    let out = OutgoingMessage {
        berichtsoort: "JW301".into(),
        sender: "0307".into(),
        receiver: "98000001".into(),
        casus_id: Some(casus_id),
        body: "<Bericht/>".into(),
        identificatie: Some("JW3010000001".into()),
        answers_id: None,
    };
    let first = tx.enqueue_outbox(&out, now).await.unwrap();
    let second = tx
        .enqueue_outbox(
            &OutgoingMessage {
                casus_id: None,
                ..out.clone()
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        tx.outbox_pending(10)
            .await
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        [first, second]
    );
    tx.mark_outbox_sent(first, now).await.unwrap();
    assert_eq!(tx.outbox_pending(10).await.unwrap().len(), 1);

    let row_counts = tx.row_counts().await.unwrap();
    let count_of = |table: &str| row_counts.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(
        (
            count_of("gemeente"),
            count_of("jeugdige"),
            count_of("audit_log"),
            count_of("outbox")
        ),
        (2, 2, 1, 2)
    );
    tx.commit().await.unwrap();
    store.close().await;
}

jeugdroute_store::backend_tests!(story, audit_chain, sessions, claims);

/// Waiting messages are claimed oldest first, a batch at a time; a message with
/// the bytes of an earlier one that still waits is not claimed before that one is
/// done, so two processes never judge the same bytes at once; and a claim says
/// when the bytes or the Identificatie were seen before.
async fn claims(url: &DatabaseUrl) {
    let store = audited(url).await;
    store.migrate().await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for (body, identificatie) in [(&b"een"[..], "A1"), (b"een", "A1"), (b"twee", "A2")] {
        let digest: [u8; 32] = std::array::from_fn(|i| body[i % body.len()]);
        let message = NewIncoming {
            channel: "api",
            body,
            digest: &digest,
            berichtsoort: Some("JW305"),
            sender: Some("98990011"),
            receiver: Some("0307"),
            identificatie: Some(identificatie),
        };
        ids.push(tx.receive(&message, at).await.unwrap());
    }
    tx.commit().await.unwrap();
    let claimed_ids =
        |claimed: &[Claimed]| claimed.iter().map(|c| c.message.id).collect::<Vec<_>>();

    let mut first = store.begin().await.unwrap();
    let claimed = first.claim_incoming(None, 10).await.unwrap();
    assert_eq!(
        claimed_ids(&claimed),
        [ids[0], ids[2]],
        "the second 'een' waits"
    );
    assert!(!claimed[0].seen_before && !claimed[1].seen_before);
    assert!(claimed[0].identificatie_seen, "the second 'een' has A1 too");
    assert!(!claimed[1].identificatie_seen);
    if store.backend() == Backend::Postgres {
        // Another process meanwhile takes nothing: the first two are held, and
        // the copy waits for the original.
        let mut other = store.begin().await.unwrap();
        assert!(other.claim_incoming(None, 10).await.unwrap().is_empty());
        drop(other);
    }
    // A batch answers and closes its messages together: the answers' ids come
    // back in the order given, whatever order the database returns them in.
    let answer = |answers: i64| OutgoingMessage {
        berichtsoort: "JW306".into(),
        sender: "0307".into(),
        receiver: "98990011".into(),
        casus_id: None,
        body: format!("<retour op {answers}/>"),
        identificatie: Some(format!("R{answers:011}")),
        answers_id: Some(answers),
    };
    let (two, zero) = (answer(ids[2]), answer(ids[0]));
    let answers = [(&two, at), (&zero, at)];
    let retour_ids = first.enqueue_answers(&answers).await.unwrap();
    let closing = |id: i64, state, retour_id| Closing {
        id,
        outcome: Outcome {
            state,
            reason: (state == "afgekeurd").then_some("regel TR071"),
            findings: None,
            retour_id: Some(retour_id),
            casus_id: None,
        },
        at,
    };
    first
        .finish_incoming(&[
            closing(ids[0], "verwerkt", retour_ids[1]),
            closing(ids[2], "afgekeurd", retour_ids[0]),
        ])
        .await
        .unwrap();
    first.commit().await.unwrap();

    let mut read = store.begin_read().await.unwrap();
    for (id, state, reason) in [
        (ids[0], "verwerkt", None),
        (ids[2], "afgekeurd", Some("regel TR071")),
    ] {
        let closed = read.incoming(id).await.unwrap().unwrap();
        assert_eq!(
            (closed.state.as_str(), closed.reason.as_deref()),
            (state, reason)
        );
        assert_eq!(closed.processed_at, Some(at));
        let retour = read
            .uitgaand(closed.retour_id.unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            retour.regel.answers_id,
            Some(id),
            "each answer with its own message"
        );
        assert_eq!(retour.body, format!("<retour op {id}/>"));
    }
    drop(read);

    let mut next = store.begin().await.unwrap();
    let claimed = next.claim_incoming(None, 10).await.unwrap();
    assert_eq!(claimed_ids(&claimed), [ids[1]]);
    assert!(claimed[0].seen_before, "the copy of a message already done");
    drop(next);
    store.close().await;
}

/// A store that chains audit records with the database's default key and witness.
async fn audited(url: &DatabaseUrl) -> Store {
    Store::connect(url)
        .await
        .unwrap()
        .with_audit(AuditSetup::for_database(url).unwrap())
}

/// Every audit record is chained to the one before; a record changed behind the
/// application's back (here: with the triggers taken away) is found.
async fn audit_chain(url: &DatabaseUrl) {
    let store = audited(url).await;
    store.migrate().await.unwrap();
    let base = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    for (i, actor) in ["medewerker.soest", "beheerder", "medewerker.soest"]
        .into_iter()
        .enumerate()
    {
        let record = NewAuditRecord {
            // Nanoseconds are cut to the microseconds both backends keep.
            occurred_at: base + chrono::Duration::nanoseconds(1_000_000_123 * i as i64),
            actor,
            role: Some("toegangsmedewerker"),
            on_behalf_of: None,
            event: "casus.bekijken",
            jeugdige_id: None,
            casus_id: Some(i as i64 + 1),
            purpose: "zorgtoewijzing",
            outcome: "gelukt",
            source: None,
            jeugdigen: &[],
        };
        tx.append_audit(&record).await.unwrap();
    }
    tx.commit().await.unwrap();
    let verified = store.verify_audit(None).await.unwrap();
    assert_eq!((verified.checked, verified.fault), (3, None));
    let mut tx = store.begin().await.unwrap();
    let found = tx
        .search_audit(&AuditQuery {
            actor: Some("medewerker.soest"),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|r| r.casus_id).collect::<Vec<_>>(),
        [Some(3), Some(1)]
    );
    // The first record starts the chain; every hash is 32 bytes in hex.
    assert_eq!(found[1].prev_hash, "");
    assert!(
        found
            .iter()
            .all(|r| r.hash.len() == 64 && r.hash != r.prev_hash)
    );
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    let unguard = match store.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    };
    tx.execute_raw(unguard).await.unwrap();
    tx.execute_raw("UPDATE audit_log SET actor = 'iemand.anders' WHERE casus_id = 2")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let fault = store.verify_audit(None).await.unwrap().fault.unwrap();
    assert_eq!(fault.id, 2);
    store.close().await;
}

/// Sessions are found by their token hash until they expire, go idle or are
/// ended (one, or all of the account's), and failed sign-ins are counted per
/// source, per user name and per both within a window, and pruned by age.
async fn sessions(url: &DatabaseUrl) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let minutes = chrono::Duration::minutes;
    let later = now + chrono::Duration::hours(8);
    let mut tx = store.begin().await.unwrap();
    let user = User {
        gi: None,
        username: "beheer".into(),
        display_name: "Beheer".into(),
        role: Role::Beheerder,
        gemeenten: vec![],
        aanbieder: None,
    };
    assert!(tx.insert_user(&user, "$argon2id$x").await.unwrap());
    tx.insert_session("hash-1", "beheer", "csrf-1", now, later)
        .await
        .unwrap();
    let idle = |at| at - minutes(30);
    let session = tx.session("hash-1", now, idle(now)).await.unwrap().unwrap();
    assert_eq!(
        (session.username.as_str(), session.csrf_token.as_str()),
        ("beheer", "csrf-1")
    );
    assert_eq!(session.last_used_at, now);
    assert_eq!(tx.session("hash-1", later, idle(now)).await.unwrap(), None);
    assert_eq!(tx.session("hash-2", now, idle(now)).await.unwrap(), None);
    // Idle for 30 minutes: ended; used at 20 minutes, it lives on.
    let at = now + minutes(30);
    assert_eq!(tx.session("hash-1", at, idle(at)).await.unwrap(), None);
    tx.touch_session("hash-1", now + minutes(20)).await.unwrap();
    let session = tx.session("hash-1", at, idle(at)).await.unwrap().unwrap();
    assert_eq!(session.last_used_at, now + minutes(20));
    tx.delete_session("hash-1", now).await.unwrap();
    assert_eq!(tx.session("hash-1", now, idle(now)).await.unwrap(), None);
    // Signing out everywhere ends every session of the account, and only those.
    tx.insert_user(
        &User {
            username: "ander".into(),
            ..user.clone()
        },
        "$argon2id$x",
    )
    .await
    .unwrap();
    for (hash, name) in [("a", "beheer"), ("b", "beheer"), ("c", "ander")] {
        tx.insert_session(hash, name, "csrf", now, later)
            .await
            .unwrap();
    }
    assert_eq!(tx.delete_sessions_of_account("b").await.unwrap(), 2);
    assert_eq!(tx.session("a", now, idle(now)).await.unwrap(), None);
    assert!(tx.session("c", now, idle(now)).await.unwrap().is_some());
    assert_eq!(tx.delete_sessions_of_account("b").await.unwrap(), 0);

    for (m, name, source) in [
        (0, "beheer", "192.0.2.1"),
        (10, "beheer", "192.0.2.1"),
        (20, "beheer", "192.0.2.2"),
        (25, "ander", "192.0.2.1"),
    ] {
        tx.record_sign_in_failure(name, source, now + minutes(m))
            .await
            .unwrap();
    }
    let since = now + minutes(5);
    let failures = tx
        .sign_in_failures("beheer", "192.0.2.1", since)
        .await
        .unwrap();
    assert_eq!(failures.by_source.count, 2, "10 and 25, any name");
    assert_eq!(failures.by_source.last, Some(now + minutes(25)));
    assert_eq!(failures.by_username.count, 2, "10 and 20, any source");
    assert_eq!(failures.by_username.last, Some(now + minutes(20)));
    assert_eq!(failures.by_both, 1);
    let none = tx
        .sign_in_failures("niemand", "198.51.100.1", since)
        .await
        .unwrap();
    assert_eq!((none.by_source.count, none.by_source.last), (0, None));
    tx.clear_sign_in_failures("beheer", "192.0.2.1")
        .await
        .unwrap();
    let failures = tx
        .sign_in_failures("beheer", "192.0.2.1", now - minutes(60))
        .await
        .unwrap();
    assert_eq!(
        (
            failures.by_source.count,
            failures.by_username.count,
            failures.by_both
        ),
        (1, 1, 0),
        "only this source's failures for this name are forgotten"
    );
    assert_eq!(
        tx.prune_sign_in_failures(now + minutes(20)).await.unwrap(),
        1
    );
    assert_eq!(
        tx.sign_in_failures("ander", "192.0.2.1", now - minutes(60))
            .await
            .unwrap()
            .by_username
            .count,
        1
    );
    tx.commit().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_durable_commits() {
    let db = TestDatabase::sqlite();
    let store = Store::connect(&db.url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.scalar_text_raw("SELECT journal_mode FROM pragma_journal_mode")
            .await
            .unwrap(),
        "wal"
    );
    // 2 = FULL: every commit is synced to disk before it returns.
    assert_eq!(
        tx.scalar_text_raw("SELECT CAST(synchronous AS TEXT) FROM pragma_synchronous")
            .await
            .unwrap(),
        "2"
    );
    assert_eq!(
        tx.scalar_text_raw("SELECT CAST(foreign_keys AS TEXT) FROM pragma_foreign_keys")
            .await
            .unwrap(),
        "1"
    );
}

jeugdroute_store::backend_tests!(legacy_records_still_verify);

/// Records from before the key (unkeyed hash, `mac_version` 0) still verify,
/// the first keyed record chaining onto the last of them; an unkeyed record
/// after a keyed one is a forgery, and so is an old record edited with its
/// unkeyed hash recomputed.
async fn legacy_records_still_verify(url: &DatabaseUrl) {
    let store = audited(url).await;
    store.migrate().await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let record = |event| NewAuditRecord {
        occurred_at: at,
        actor: "medewerker.soest",
        role: Some("toegangsmedewerker"),
        on_behalf_of: None,
        event,
        jeugdige_id: None,
        casus_id: None,
        purpose: "werkvoorraad",
        outcome: "gelukt",
        source: None,
        jeugdigen: &[],
    };
    let mut tx = store.begin().await.unwrap();
    tx.append_legacy_audit(&record("oud.1")).await.unwrap();
    tx.append_legacy_audit(&record("oud.2")).await.unwrap();
    tx.append_audit(&record("nieuw.3")).await.unwrap();
    tx.commit().await.unwrap();
    let verified = store.verify_audit(None).await.unwrap();
    assert_eq!((verified.checked, verified.fault), (3, None));

    let mut tx = store.begin().await.unwrap();
    tx.append_legacy_audit(&record("vervalst.4")).await.unwrap();
    tx.commit().await.unwrap();
    let fault = store.verify_audit(None).await.unwrap().fault.unwrap();
    assert_eq!(fault.id, 4, "{fault:?}");
    assert!(fault.reason.contains("zonder sleutel"), "{fault:?}");
}
