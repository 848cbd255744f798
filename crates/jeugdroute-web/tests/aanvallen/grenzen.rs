//! Attacks with oversized, malformed or slow input, and what the answers may reveal or leave cached.

use std::time::{Duration, Instant};

use jeugdroute_app::App;
use jeugdroute_store::testing::TestDatabase;
use jeugdroute_web::ServeSettings;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// A server with the given transport limits in front of a fresh SQLite database.
async fn serve_with(settings: ServeSettings) -> (String, TestDatabase) {
    let db = TestDatabase::sqlite();
    let app = App::open(&db.url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(jeugdroute_web::serve_with(
        listener,
        app,
        settings,
        std::future::pending(),
    ));
    (addr, db)
}

/// Whether the server has closed this connection (what it may have sent first
/// is read and dropped).
fn closed(stream: &TcpStream) -> bool {
    let mut buf = [0_u8; 1024];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// 500 connections that send half a request head, a byte at a time, do not stop
/// `/healthz` from answering at once, and each is closed after the header-read
/// timeout (before the fix they stayed open for good).
#[tokio::test]
async fn slow_request_heads_do_not_hold_the_server() {
    let timeout = Duration::from_secs(2);
    let (addr, _db) = serve_with(ServeSettings {
        header_read_timeout: timeout,
        ..ServeSettings::default()
    })
    .await;
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..500 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: jeugdroute\r\nX-Langzaam: ")
            .await
            .unwrap();
        slow.push(stream);
    }
    let asked = Instant::now();
    let healthz = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(healthz.status(), reqwest::StatusCode::OK);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "/healthz took {:?} beside 500 slow connections",
        asked.elapsed()
    );
    assert!(
        slow.iter().all(|s| !closed(s)),
        "the slow connections are still open while /healthz answers"
    );
    // Keep sending a byte now and then, as a slow client does, until all are closed.
    while !slow.is_empty() && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let mut open = Vec::new();
        for mut stream in slow {
            if !closed(&stream) && stream.write_all(b"a").await.is_ok() {
                open.push(stream);
            }
        }
        slow = open;
        if !slow.is_empty() {
            assert!(
                started.elapsed() < timeout * 4,
                "{} slow connections still open after {:?}",
                slow.len(),
                started.elapsed()
            );
        }
    }
    assert!(slow.is_empty());
    assert!(
        started.elapsed() >= timeout,
        "closed only after the header-read timeout"
    );
}
