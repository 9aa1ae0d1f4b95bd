//! The audit log: append-only and hash-chained, with its head kept outside the database.
//!
//! - In the file, triggers refuse UPDATE and DELETE, and refuse any INSERT that is not the next
//!   number chained to the current last row (so no gap, no `INSERT OR REPLACE` over an old row).
//!   Every row carries the previous row's hash and a SHA-256 over that and its own content.
//! - Outside the file, the [`Head`] (how many rows, the last hash) is kept sealed with an HMAC
//!   whose key is not in the database file. Editing, deleting or recomputing rows behind the
//!   app's back (triggers dropped, file patched) is found by [`verify`]: an edited row, a missing
//!   number, a deleted tail, or a chain recomputed after an edit (it no longer ends where the head
//!   says).
//!
//! Summaries carry ids and field names, never PHI (names, phones, birth dates, transcripts).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use hmac::{KeyInit, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The hash the first row chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it. `staff_id` is `None` for the system itself (first-run setup, demo seeding).
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff_id: Option<i64>,
    pub role: String,
    /// The support session this happens in (a support person's reads and actions), if any.
    pub support_session_id: Option<i64>,
}

impl Actor {
    pub fn system() -> Self {
        Actor { staff_id: None, role: "system".into(), support_session_id: None }
    }

    /// A staff member acting outside any support session.
    pub fn staff(staff_id: i64, role: impl Into<String>) -> Self {
        Actor { staff_id: Some(staff_id), role: role.into(), support_session_id: None }
    }
}

/// One audit event to append.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub summary: String,
}

/// Appends an event inside the caller's transaction, so the change and its audit commit together.
/// Returns its number and hash (the chain's new head).
pub fn record(conn: &Connection, at: i64, actor: &Actor, entry: Entry<'_>) -> Result<(i64, String)> {
    let prev: String = conn
        .query_row("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let seq: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_event", [], |r| r.get(0))?;
    let row = Row {
        seq,
        at,
        actor_staff_id: actor.staff_id,
        actor_role: actor.role.clone(),
        action: entry.action.to_owned(),
        entity: entry.entity.to_owned(),
        entity_id: entry.entity_id,
        summary: entry.summary,
        prev_hash: prev,
        hash: String::new(),
        support_session_id: actor.support_session_id,
    };
    let hash = row.compute_hash();
    conn.execute(
        "INSERT INTO audit_event (seq, at, actor_staff_id, actor_role, action, entity, entity_id, summary, prev_hash, hash, support_session_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            row.seq, row.at, row.actor_staff_id, row.actor_role, row.action, row.entity,
            row.entity_id, row.summary, row.prev_hash, hash, row.support_session_id
        ],
    )?;
    Ok((seq, hash))
}

/// An audit row as stored.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Row {
    pub seq: i64,
    pub at: i64,
    pub actor_staff_id: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
    /// The support session it happened in, if any.
    pub support_session_id: Option<i64>,
}

impl Row {
    /// The row's hash as the chain computes it (public: anyone may recompute a chain to check it).
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        // Length-prefix every field so no two different rows can serialise to the same bytes.
        let fields: [&str; 7] = [
            &self.prev_hash,
            &self.actor_role,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.summary,
            &self.actor_staff_id.map(|id| id.to_string()).unwrap_or_default(),
        ];
        h.update(self.seq.to_le_bytes());
        h.update(self.at.to_le_bytes());
        for f in fields {
            h.update((f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        // Only when there is one, so rows from before support sessions keep their hashes.
        if let Some(id) = self.support_session_id {
            h.update(b"support_session");
            h.update(id.to_le_bytes());
        }
        hex::encode(h.finalize())
    }

    /// A row as read with [`SELECT_ROW`].
    pub fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor_staff_id: r.get(2)?,
            actor_role: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            summary: r.get(7)?,
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
            support_session_id: r.get(10)?,
        })
    }
}

/// The columns of [`Row`], in order, for [`Row::from_sql`].
pub const SELECT_ROW: &str =
    "SELECT seq, at, actor_staff_id, actor_role, action, entity, entity_id, summary, prev_hash, hash, support_session_id FROM audit_event";

/// The result of walking the chain and comparing its end with the sealed head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Verification {
    pub rows_checked: i64,
    /// The first row whose link or content does not match (edited, or inserted behind the app).
    pub first_broken_seq: Option<i64>,
    /// The first number missing from the sequence: a row deleted from the middle.
    pub first_missing_seq: Option<i64>,
    /// Rows the head recorded that are gone from the end: `[first, last]` deleted.
    pub missing_tail: Option<(i64, i64)>,
    /// The chain does not end where the sealed head says, though no row is missing: it was
    /// rewritten and recomputed, or the head itself was tampered with.
    pub head_mismatch: bool,
    /// Nothing found.
    pub intact: bool,
    /// What was found, in a sentence for the person checking.
    pub summary: String,
}

/// Walks the whole chain, compares its end with `head` (the sealed head kept outside the file;
/// `None` when there is none yet), and reports the first problem of each kind.
pub fn verify(conn: &Connection, head: Option<&Head>) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("{SELECT_ROW} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut checked = 0;
    let mut first_broken = None;
    let mut first_missing = None;
    while let Some(r) = rows.next()? {
        let row = Row::from_sql(r)?;
        checked += 1;
        if row.seq != expected_seq && first_missing.is_none() {
            first_missing = Some(expected_seq);
        }
        if (row.prev_hash != prev || row.compute_hash() != row.hash)
            && first_broken.is_none()
            && first_missing.is_none()
        {
            first_broken = Some(row.seq);
        }
        expected_seq = row.seq + 1;
        prev = row.hash;
    }
    let last_seq = expected_seq - 1;
    let mut missing_tail = None;
    let mut head_mismatch = false;
    if let Some(head) = head {
        if head.count > last_seq {
            missing_tail = Some((last_seq + 1, head.count));
        } else if head.count > 0 {
            let at_head: Option<String> =
                conn.query_row("SELECT hash FROM audit_event WHERE seq = ?1", [head.count], |r| r.get(0)).optional()?;
            head_mismatch = at_head.as_deref() != Some(head.hash.as_str());
        }
    }
    let summary = match (first_missing, first_broken, missing_tail, head_mismatch) {
        (Some(n), ..) => format!("Row {n} of the audit log was deleted; the rows after it cannot be trusted."),
        (None, Some(n), ..) => format!("Row {n} of the audit log was changed after it was written."),
        (None, None, Some((a, b)), _) => {
            format!("The last {} row(s) of the audit log ({a}–{b}) were deleted.", b - a + 1)
        }
        (None, None, None, true) => {
            "The audit log no longer ends where this desk sealed it: it was rewritten and its hashes recomputed."
                .to_owned()
        }
        (None, None, None, false) => format!("All {checked} rows of the audit log are intact."),
    };
    Ok(Verification {
        rows_checked: checked,
        intact: first_broken.is_none() && first_missing.is_none() && missing_tail.is_none() && !head_mismatch,
        first_broken_seq: first_broken,
        first_missing_seq: first_missing,
        missing_tail,
        head_mismatch,
        summary,
    })
}

/// The chain's end as this desk last committed it: how many rows, and the last row's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub count: i64,
    pub hash: String,
}

type HmacSha256 = hmac::Hmac<Sha256>;

/// Keeps the [`Head`] outside the database file, sealed with an HMAC-SHA256 whose 32-byte key is
/// in a separate file (mode 0600) beside it — not in the database. (Until the OS keychain holds
/// the key, see ARCHITECTURE.md: this protects against edits to the database file, not against
/// someone who can also read the key file.) Several processes may write one clinic: the head only
/// ever moves forward, under an exclusive file lock.
pub struct HeadStore {
    head: PathBuf,
    key: Vec<u8>,
}

impl HeadStore {
    /// Opens the head kept for the database at `db_path`. The first time (no key and no record
    /// of one: a new clinic, or one from before the head existed) a key is made, its making is
    /// written to the log itself (`audit.key_created`) and the chain's end is sealed. From then on
    /// a missing key is tampering (the log says there was one), and so is a missing head.
    pub fn open(db_path: &Path, conn: &Connection) -> Result<HeadStore> {
        let [head, key_path, _] = head_files(db_path);
        let damaged = || Error::Tampered(format!("the audit key {} is damaged", key_path.display()));
        match std::fs::read(&key_path) {
            Ok(key) if key.len() == 32 => return Ok(HeadStore { head, key }),
            Ok(_) => return Err(damaged()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        let had_key: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM audit_event WHERE action = 'audit.key_created')", [], |r| {
                r.get(0)
            })?;
        if had_key {
            return Err(Error::Tampered(format!("the audit key {} was deleted", key_path.display())));
        }
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key).map_err(|e| Error::Internal(format!("no randomness for the audit key: {e}")))?;
        if !create_private(&key_path, &key)? {
            // Another Frontdesk on this clinic made it a moment ago: use theirs.
            let key = std::fs::read(&key_path)?;
            return if key.len() == 32 { Ok(HeadStore { head, key }) } else { Err(damaged()) };
        }
        let store = HeadStore { head, key };
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        // The core is not given the time when a desk opens; the row is dated with the last event's.
        let (count, last_at): (i64, i64) =
            tx.query_row("SELECT COUNT(*), COALESCE(MAX(at), 0) FROM audit_event", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let (seq, hash) = record(
            &tx,
            last_at,
            &Actor::system(),
            Entry {
                action: "audit.key_created",
                entity: "audit",
                entity_id: "head".into(),
                summary: format!("the audit log is sealed from here on ({count} earlier rows)"),
            },
        )?;
        tx.commit()?;
        store.write(seq, &hash)?;
        Ok(store)
    }

    fn seal(&self, count: i64, hash: &str) -> String {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("frontdesk audit head v1\n{count}\n{hash}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The sealed head; an error if it was deleted or its seal does not match.
    pub fn load(&self) -> Result<Head> {
        let text = match std::fs::read_to_string(&self.head) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Tampered(format!("the audit head {} was deleted", self.head.display())))
            }
            Err(e) => return Err(e.into()),
        };
        let mut parts = text.split_whitespace();
        let (Some(count), Some(hash), Some(seal)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::Tampered(format!("the audit head {} is damaged", self.head.display())));
        };
        let count: i64 =
            count.parse().map_err(|_| Error::Tampered(format!("the audit head {} is damaged", self.head.display())))?;
        if self.seal(count, hash) != seal {
            return Err(Error::Tampered(format!(
                "the audit head {} was changed outside Frontdesk",
                self.head.display()
            )));
        }
        Ok(Head { count, hash: hash.to_owned() })
    }

    /// Records that the chain now ends at `count` with `hash`; never moves the head backwards,
    /// and never replaces a head that was deleted or does not match its seal: that is evidence,
    /// and every verification keeps reporting it.
    pub fn advance(&self, count: i64, hash: &str) -> Result<()> {
        let lock_path = self.head.with_extension(LOCK_EXTENSION);
        let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
        set_private(&lock_path)?;
        lock.lock()?;
        if self.load()?.count >= count {
            return Ok(());
        }
        self.write(count, hash)
    }

    /// Writes the sealed head durably: to a new file, synced, renamed over the old one.
    fn write(&self, count: i64, hash: &str) -> Result<()> {
        let tmp = self.head.with_extension("audit-head-new");
        write_private(&tmp, format!("{count} {hash} {}\n", self.seal(count, hash)).as_bytes())?;
        std::fs::rename(&tmp, &self.head)?;
        if let Some(dir) = self.head.parent() {
            // The rename itself survives a power cut only once the directory is synced.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

const LOCK_EXTENSION: &str = "audit-head-lock";

/// The files kept beside the database at `db_path` for its audit head: the sealed head, its key,
/// and the lock its writers take.
pub(crate) fn head_files(db_path: &Path) -> [PathBuf; 3] {
    [db_path.with_extension("audit-head"), db_path.with_extension("audit-key"), db_path.with_extension(LOCK_EXTENSION)]
}

/// Creates a file only its owner can read, failing (false) if it exists; synced to disk.
fn create_private(path: &Path, bytes: &[u8]) -> Result<bool> {
    match write_synced(path, bytes, private_options().create_new(true)) {
        Ok(()) => Ok(true),
        Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes a file only its owner can read (0600 on Unix), replacing what was there; synced to disk.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_synced(path, bytes, private_options().create(true).truncate(true))?;
    // An existing file keeps its old mode through `open`: make it private too.
    set_private(path)
}

fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

fn write_synced(path: &Path, bytes: &[u8], options: &std::fs::OpenOptions) -> Result<()> {
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// Makes an existing file readable by its owner only (0600 on Unix).
pub(crate) fn set_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    let _ = path;
    Ok(())
}

/// The history of one entity, newest first.
pub fn for_entity(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(&format!("{SELECT_ROW} WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC"))?;
    let rows = stmt.query_map(params![entity, entity_id], Row::from_sql)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
