//! Shared set-up for the core's integration tests: a real clinic database in a temporary directory.
#![allow(dead_code)]

use frontdesk::clinic::SetupRequest;
use frontdesk::session::SignInRequest;
use frontdesk::{Ctx, Desk, SessionToken};
use tempfile::TempDir;

/// Monday 2026-11-23 10:00 in Toronto (15:00 UTC).
pub const NOW: i64 = 1_795_446_000;

pub const OWNER: (&str, &str) = ("owner", "correct horse battery");

pub fn ctx<'a>(desk: &'a Desk, token: Option<&'a SessionToken>, now: i64) -> Ctx<'a> {
    Ctx { desk, token, now }
}

/// An empty desk on a fresh database file.
pub fn empty_desk() -> (TempDir, Desk) {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(dir.path()).expect("open desk");
    (dir, desk)
}

/// A desk with a clinic set up through first-run setup (owner only).
pub fn set_up_desk() -> (TempDir, Desk) {
    let (dir, desk) = empty_desk();
    frontdesk::clinic::setup(
        &ctx(&desk, None, NOW),
        SetupRequest {
            clinic_name: "Test Clinic".into(),
            timezone: "America/Toronto".into(),
            phone_region: "CA".into(),
            owner_name: "Olive Owner".into(),
            owner_username: OWNER.0.into(),
            owner_password: OWNER.1.into(),
        },
    )
    .expect("first-run setup");
    (dir, desk)
}

/// A desk holding the demo clinic, seeded as of [`NOW`].
pub fn demo_desk() -> (TempDir, Desk) {
    let (dir, desk) = empty_desk();
    assert!(frontdesk::demo::seed_if_empty(&desk, NOW).expect("seed demo"));
    (dir, desk)
}

pub fn sign_in(desk: &Desk, username: &str, password: &str, now: i64) -> SessionToken {
    frontdesk::session::sign_in(
        &ctx(desk, None, now),
        SignInRequest { username: username.into(), password: password.into() },
    )
    .unwrap_or_else(|e| panic!("sign in as {username}: {e}"))
    .0
}

pub fn audit_count(desk: &Desk) -> i64 {
    desk.db().query_row("SELECT COUNT(*) FROM audit_event", [], |r| r.get(0)).unwrap()
}
