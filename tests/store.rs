//! The store opens real SQLite files: pragmas, migrations (every earlier version upgrades), and a
//! database from a newer version is refused with a message that says what to do.

use frontdesk::store::{open, open_with, schema_version, MIGRATIONS};
use frontdesk::ErrorCode;

#[test]
fn every_earlier_schema_upgrades_to_the_current_one() {
    for k in 0..=MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clinic.sqlite3");
        drop(open_with(&path, &MIGRATIONS[..k]).expect("create at an earlier version"));
        let conn = open(&path).unwrap_or_else(|e| panic!("upgrading from version {k} must work: {e}"));
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, schema_version(), "after upgrading from {k} the schema must be current");
        let tables: i64 = conn
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='appointment'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 1, "the upgraded database must have the appointment table");
    }
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    let conn = open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 999").unwrap();
    drop(conn);
    let err = open(&path).expect_err("a newer database must be refused");
    assert_eq!(frontdesk::ApiError::from(err).code, ErrorCode::Storage);
    let err = open(&path).err().unwrap();
    let message = err.to_string();
    assert!(message.contains("newer version") && message.contains("999"), "the message must say why: {message}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 999, "refusing must not modify the newer database");
}

#[test]
fn connections_use_wal_and_enforce_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let conn = open(&dir.path().join("clinic.sqlite3")).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let err = conn.execute(
        "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, created_at, updated_at)
         VALUES (42, 42, 42, 42, 0, 60, 'booked', 'phone', 0, 0)",
        [],
    );
    assert!(err.is_err(), "an appointment for a patient that does not exist must be refused");
}

#[test]
fn the_core_does_not_depend_on_tauri() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["tree", "-p", "frontdesk", "-e", "normal,build", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.lines().any(|l| l.starts_with("frontdesk ")), "cargo tree must list the core itself");
    let tauri: Vec<&str> =
        tree.lines().filter(|l| l.starts_with("tauri") || l.starts_with("wry") || l.starts_with("webkit")).collect();
    assert!(tauri.is_empty(), "the core must stay free of Tauri and the WebView so it runs headless: {tauri:?}");
}
