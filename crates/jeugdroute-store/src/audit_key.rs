//! What makes the audit log tamper-evident beyond the database: the secret key
//! of its MACs (a file, never a row) and the witness, an append-only file outside
//! the database to which the head of the chain is written after each commit. Whoever
//! can write the database but not these files cannot forge a record, and cannot
//! remove the newest records unnoticed.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::{DatabaseUrl, Result, StoreError};

/// The length of an audit key, in bytes (BLAKE2b takes keys up to 64 bytes).
pub const AUDIT_KEY_BYTES: usize = 32;

/// The file names used in a data folder when nothing else is configured.
pub const DEFAULT_KEY_FILE: &str = "audit.sleutel";
pub const DEFAULT_WITNESS_FILE: &str = "audit-getuige.log";

/// The secret key of the audit MACs. `Debug` never shows it.
#[derive(Clone)]
pub struct AuditKey([u8; AUDIT_KEY_BYTES]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(<geheim>)")
    }
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> StoreError {
    StoreError::Audit(format!("{}: {what}: {e}", path.display()))
}

impl AuditKey {
    /// A key from its bytes (tests, and keys kept elsewhere).
    pub fn from_bytes(bytes: [u8; AUDIT_KEY_BYTES]) -> AuditKey {
        AuditKey(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// A key from its 64 hexadecimal characters.
    pub fn from_hex(text: &str) -> Option<AuditKey> {
        let text = text.trim();
        if text.len() != AUDIT_KEY_BYTES * 2 || !text.is_ascii() {
            return None;
        }
        let mut key = [0u8; AUDIT_KEY_BYTES];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(AuditKey(key))
    }

    /// Reads the key file; it must exist.
    pub fn read(path: &Path) -> Result<AuditKey> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| io_error(path, "de auditsleutel kan niet gelezen worden", &e))?;
        AuditKey::from_hex(&text).ok_or_else(|| {
            StoreError::Audit(format!(
                "{}: dit is geen auditsleutel (verwacht: {} hexadecimale tekens)",
                path.display(),
                AUDIT_KEY_BYTES * 2
            ))
        })
    }

    /// Reads the key file, or makes a new random key there (mode 0600) when the
    /// file does not exist yet.
    pub fn read_or_generate(path: &Path) -> Result<AuditKey> {
        if path.exists() {
            return AuditKey::read(path);
        }
        let mut key = [0u8; AUDIT_KEY_BYTES];
        getrandom::fill(&mut key)
            .map_err(|e| StoreError::Audit(format!("geen toeval voor de auditsleutel: {e}")))?;
        let key = AuditKey(key);
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| io_error(folder, "map maken mislukt", &e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .map_err(|e| io_error(path, "de auditsleutel kan niet gemaakt worden", &e))?;
        let hex: String = key.0.iter().map(|b| format!("{b:02x}")).collect();
        file.write_all(format!("{hex}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error(path, "de auditsleutel kan niet geschreven worden", &e))?;
        tracing::warn!(path = %path.display(), "new audit key generated: keep a copy off-site");
        Ok(key)
    }
}

/// The head of the chain: the newest record's id, MAC and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub id: i64,
    pub mac: String,
    pub occurred_at: DateTime<Utc>,
}

impl std::fmt::Display for ChainHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.id,
            self.mac,
            self.occurred_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        )
    }
}

impl ChainHead {
    fn parse(line: &str) -> Option<ChainHead> {
        let mut parts = line.split_whitespace();
        let id = parts.next()?.parse().ok()?;
        let mac = parts.next()?.to_owned();
        let occurred_at = DateTime::parse_from_rfc3339(parts.next()?)
            .ok()?
            .with_timezone(&Utc);
        Some(ChainHead {
            id,
            mac,
            occurred_at,
        })
    }
}

/// The witness file: one line per commit that appended records, `id mac time`.
#[derive(Debug)]
pub struct Witness {
    path: PathBuf,
    /// Keeps this process's lines whole and in order of writing.
    lock: Mutex<()>,
}

/// How many bytes at the end of the witness are read for its newest line: enough
/// for hundreds of lines, so lines written out of order by concurrent commits on
/// PostgreSQL are still compared by id.
const WITNESS_TAIL: u64 = 64 * 1024;

impl Witness {
    pub fn new(path: PathBuf) -> Witness {
        Witness {
            path,
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the head after a commit, synced to disk.
    pub fn append(&self, head: &ChainHead) -> Result<()> {
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(folder) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| io_error(folder, "map maken mislukt", &e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(|e| io_error(&self.path, "de getuige kan niet geopend worden", &e))?;
        file.write_all(format!("{head}\n").as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| io_error(&self.path, "de getuige kan niet geschreven worden", &e))
    }

    /// The witnessed head with the highest id, or `None` for an empty or missing file.
    pub fn newest(&self) -> Result<Option<ChainHead>> {
        let mut file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(io_error(
                    &self.path,
                    "de getuige kan niet gelezen worden",
                    &e,
                ));
            }
        };
        let read = |file: &mut std::fs::File| -> std::io::Result<String> {
            let len = file.metadata()?.len();
            file.seek(SeekFrom::Start(len.saturating_sub(WITNESS_TAIL)))?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        };
        let tail = read(&mut file)
            .map_err(|e| io_error(&self.path, "de getuige kan niet gelezen worden", &e))?;
        Ok(tail
            .lines()
            .filter_map(ChainHead::parse)
            .max_by_key(|h| h.id))
    }
}

/// The key and witness the store chains audit records with.
#[derive(Debug)]
pub struct AuditSetup {
    pub key: AuditKey,
    pub witness: Witness,
}

impl AuditSetup {
    /// The key and witness a database uses when nothing else is configured: the
    /// key file in [`AuditSetup::default_folder`] (made on first use), the
    /// witness from [`AuditSetup::default_witness`].
    pub fn for_database(url: &DatabaseUrl) -> Result<AuditSetup> {
        let folder = AuditSetup::default_folder(url);
        Ok(AuditSetup {
            key: AuditKey::read_or_generate(&folder.join(DEFAULT_KEY_FILE))?,
            witness: Witness::new(AuditSetup::default_witness(url, &folder)),
        })
    }

    /// The witness of a database by default: beside an SQLite file, named after
    /// it (`jeugdroute.getuige`), so two databases in one folder never share one;
    /// for PostgreSQL `audit-getuige.log` in `folder`.
    pub fn default_witness(url: &DatabaseUrl, folder: &Path) -> PathBuf {
        match url {
            DatabaseUrl::Sqlite(path) => path.with_extension("getuige"),
            DatabaseUrl::Postgres(_) => folder.join(DEFAULT_WITNESS_FILE),
        }
    }

    /// The folder of the key when nothing is configured: beside an SQLite file;
    /// for PostgreSQL a folder in the system's temporary folder named after the
    /// database URL (tests and tools; the `jeugdroute` command always passes its
    /// data folder).
    pub fn default_folder(url: &DatabaseUrl) -> PathBuf {
        match url {
            DatabaseUrl::Sqlite(path) => path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            DatabaseUrl::Postgres(url) => {
                use blake2::Digest;
                let digest = blake2::Blake2b::<blake2::digest::consts::U16>::digest(url.as_bytes());
                let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                std::env::temp_dir().join(format!("jeugdroute-audit-{name}"))
            }
        }
    }
}
