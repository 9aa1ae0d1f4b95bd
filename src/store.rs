//! The local store: one SQLite file per clinic, opened with WAL, foreign keys and a busy timeout,
//! and migrated at open from the numbered SQL files in `migrations/`, all in one transaction.
//!
//! The data directory is created readable by its owner only (0700) and the database file 0600
//! (SQLite gives its `-wal` and `-shm` files the database's mode). After migrating, every open
//! checks that the schema's triggers — the audit log's append-only chain, the appointment
//! overlap guard — are exactly the ones the migrations created, and refuses a file whose
//! protection was dropped or replaced.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

/// The migrations, in order. Append only: never edit one that has landed.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_booking.sql"),
    include_str!("../migrations/0003_patients.sql"),
    include_str!("../migrations/0004_callbacks.sql"),
    include_str!("../migrations/0005_phone_display.sql"),
    include_str!("../migrations/0006_appointment_holds.sql"),
    include_str!("../migrations/0007_merge_undo.sql"),
    include_str!("../migrations/0008_audit_chain.sql"),
    include_str!("../migrations/0009_patient_edit.sql"),
    include_str!("../migrations/0010_mrn_number.sql"),
    include_str!("../migrations/0011_staff_admin.sql"),
    include_str!("../migrations/0012_practice.sql"),
    include_str!("../migrations/0013_audit_support_session.sql"),
    include_str!("../migrations/0014_audit_desk.sql"),
    include_str!("../migrations/0015_support_sessions.sql"),
    include_str!("../migrations/0016_import.sql"),
    include_str!("../migrations/0017_retention.sql"),
    include_str!("../migrations/0018_audit_days.sql"),
    include_str!("../migrations/0019_registry_version.sql"),
];

/// The schema version this binary writes (`PRAGMA user_version`).
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Opens (creating if needed) the clinic database at `path` and brings it up to date.
pub fn open(path: &Path) -> Result<Connection> {
    open_with(path, MIGRATIONS)
}

/// Opens a read-only connection to an existing, migrated clinic database (the desk's reader
/// pool). `query_only` makes any write on it fail, so a read path cannot change data by mistake.
pub fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16384;
         PRAGMA mmap_size = 268435456;
         PRAGMA query_only = ON;",
    )?;
    Ok(conn)
}

/// Opens with an explicit migration set; tests use it to build databases of earlier versions.
pub fn open_with(path: &Path, migrations: &[&str]) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    if path.exists() {
        // A clinic from before files were private (or copied in with a wider mode).
        crate::audit::set_private(path)?;
    } else {
        // Created here, 0600, so SQLite's journal files inherit a private mode too.
        crate::audit::write_private(path, &[])?;
    }
    // Its journal, the audit head and its key likewise.
    let journal = ["-wal", "-shm"].map(|suffix| std::path::PathBuf::from(format!("{}{suffix}", path.display())));
    for file in journal.iter().chain(&crate::audit::head_files(path)) {
        if file.exists() {
            crate::audit::set_private(file)?;
        }
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -32768;
         PRAGMA mmap_size = 268435456;",
    )?;
    migrate(&mut conn, path, migrations)?;
    check_protection(&conn, migrations)?;
    Ok(conn)
}

/// Creates the data directory (and its parents) with mode 0700 on Unix; an existing directory is
/// left as it is (it may be one the person chose for more than Frontdesk).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

/// Makes a directory readable by its owner only (0700 on Unix): the app's own default data
/// directory on every start, so a clinic from before this was the rule becomes private too.
pub fn restrict_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    let _ = dir;
    Ok(())
}

/// The triggers `migrations` create, as SQLite stores them (`name`, `sql`), from a scratch
/// in-memory database.
fn expected_triggers(migrations: &[&str]) -> Result<Vec<(String, String)>> {
    let mut scratch = Connection::open_in_memory()?;
    let tx = scratch.transaction()?;
    for sql in migrations {
        tx.execute_batch(sql)?;
    }
    let triggers = triggers_of(&tx)?;
    tx.rollback()?;
    Ok(triggers)
}

fn triggers_of(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Refuses a database whose triggers differ from the migrations': one dropped (the audit log
/// could be edited), replaced by a weaker one, or added behind the app's back.
fn check_protection(conn: &Connection, migrations: &[&str]) -> Result<()> {
    static CURRENT: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let expected = if migrations.len() == MIGRATIONS.len() {
        match CURRENT.get() {
            Some(t) => t.clone(),
            None => {
                let t = expected_triggers(MIGRATIONS)?;
                CURRENT.get_or_init(|| t).clone()
            }
        }
    } else {
        expected_triggers(migrations)?
    };
    let found = triggers_of(conn)?;
    if let Some((name, _)) = expected.iter().find(|e| !found.contains(e)) {
        let what = if found.iter().any(|(n, _)| n == name) { "was replaced" } else { "was removed" };
        return Err(Error::Tampered(format!("its safeguard {name} {what}")));
    }
    if let Some((name, _)) = found.iter().find(|f| !expected.contains(f)) {
        return Err(Error::Tampered(format!("it holds a trigger Frontdesk did not create ({name})")));
    }
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path, migrations: &[&str]) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = migrations.len() as i64;
    if found > known {
        return Err(Error::NewerDatabase { path: path.display().to_string(), found, known });
    }
    for sql in &migrations[found as usize..] {
        tx.execute_batch(sql)?;
    }
    // user_version cannot take a bound parameter; `known` is our own integer.
    tx.execute_batch(&format!("PRAGMA user_version = {known}"))?;
    tx.commit()?;
    Ok(())
}
