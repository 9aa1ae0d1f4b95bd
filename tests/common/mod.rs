//! Shared set-up for the core's integration tests: a real clinic database in a temporary directory.
#![allow(dead_code)]

use frontdesk::session::SignInRequest;
use frontdesk::settings::SetupRequest;
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
    frontdesk::settings::setup(
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

/// A small clinic for booking tests, on top of [`set_up_desk`]:
/// - branch 1 "Main", branch 2 "East";
/// - doctor 1 "Dr. Anita Chen" (Family Medicine, Main): Monday–Friday 09:00–12:00;
/// - doctor 2 "Dr. Vikram Rao" (Cardiology, Main and East): Monday 14:00–17:00 at East, Tuesday 09:00–12:00 at Main;
/// - service 1 "Consultation" 15 min, service 2 "New patient visit" 30 min;
/// - patients 1–4.
///
/// The idle lock is set to its maximum (4 hours) so tests can move the clock through an afternoon.
/// Returns the owner's session token (owners may book).
pub fn booking_desk() -> (TempDir, Desk, SessionToken) {
    let (dir, desk) = set_up_desk();
    desk.db()
        .execute_batch(
            "UPDATE clinic SET idle_lock_minutes = 240;
             INSERT INTO branch (id, name) VALUES (1, 'Main'), (2, 'East');
             INSERT INTO doctor (id, display_name, department) VALUES (1, 'Dr. Anita Chen', 'Family Medicine'), (2, 'Dr. Vikram Rao', 'Cardiology');
             INSERT INTO doctor_branch VALUES (1, 1), (2, 1), (2, 2);
             INSERT INTO availability_template (doctor_id, branch_id, weekday, start_minute, end_minute) VALUES
               (1, 1, 0, 540, 720), (1, 1, 1, 540, 720), (1, 1, 2, 540, 720), (1, 1, 3, 540, 720), (1, 1, 4, 540, 720),
               (2, 2, 0, 840, 1020), (2, 1, 1, 540, 720);
             INSERT INTO service (id, code, name, duration_minutes) VALUES (1, 'CONS', 'Consultation', 15), (2, 'NEWP', 'New patient visit', 30);
             INSERT INTO patient (id, given_name, family_name, date_of_birth, created_at, updated_at) VALUES
               (1, 'Priya', 'Sharma', '1988-04-02', 0, 0), (2, 'Liam', 'Tremblay', '1975-10-11', 0, 0),
               (3, 'Aarav', 'Patel', '2015-01-20', 0, 0), (4, 'Emma', 'Roy', '1990-06-30', 0, 0);
             INSERT INTO patient_phone (patient_id, e164, is_primary) VALUES
               (1, '+919845012345', 1), (2, '+16045551234', 1), (3, '+919845012345', 1), (4, '+14165550199', 1);",
        )
        .expect("booking fixture");
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    (dir, desk, token)
}

/// Unix seconds of a wall-clock time in Toronto.
pub fn toronto(date: &str, hhmm: &str) -> i64 {
    use chrono::TimeZone;
    let tz: chrono_tz::Tz = "America/Toronto".parse().unwrap();
    let naive = chrono::NaiveDateTime::parse_from_str(&format!("{date} {hhmm}"), "%Y-%m-%d %H:%M").unwrap();
    tz.from_local_datetime(&naive).earliest().unwrap().timestamp()
}

/// A registration with only what the desk must type (SMS consent given).
pub fn patient_request(
    given: &str,
    family: &str,
    dob: Option<&str>,
    phone: &str,
) -> frontdesk::patients::CreatePatientRequest {
    frontdesk::patients::CreatePatientRequest {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob.map(Into::into),
        sex: "female".into(),
        phone: phone.into(),
        phone_relationship: None,
        email: None,
        mrn: None,
        health_card: None,
        preferred_language: None,
        consent_sms: true,
        consent_whatsapp: false,
        consent_email: false,
        address: Default::default(),
    }
}

/// A missed call typed in at the desk from `number` at `at`, on the main line.
pub fn missed_call(c: &Ctx, number: &str, at: i64) -> frontdesk::callbacks::CallbackTask {
    frontdesk::callbacks::record_missed_call(
        c,
        frontdesk::callbacks::MissedCallRequest {
            caller_number: number.into(),
            at: Some(at),
            line: "Main line".into(),
            branch_id: None,
            source: frontdesk::callbacks::CallSource::Staff,
        },
    )
    .unwrap_or_else(|e| panic!("missed call from {number}: {e}"))
}

/// A set-up clinic (region CA, Toronto) with a branch, a doctor and a service, the idle lock at
/// its maximum so a test can move the clock, and the owner signed in.
pub fn owner_desk() -> (TempDir, Desk, SessionToken) {
    let (dir, desk) = set_up_desk();
    desk.db()
        .execute_batch(
            "UPDATE clinic SET idle_lock_minutes = 240;
             INSERT INTO branch (id, name) VALUES (1, 'Main');
             INSERT INTO doctor (id, display_name, department) VALUES (1, 'Dr. Anita Chen', 'Family Medicine');
             INSERT INTO service (id, code, name, duration_minutes) VALUES (1, 'CONS', 'Consultation', 15);",
        )
        .unwrap();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    (dir, desk, token)
}

/// A staff account with `role`, signed in.
pub fn add_staff(desk: &Desk, username: &str, role: &str) -> SessionToken {
    let hash = frontdesk::session::hash_password("staff-pass-123").unwrap();
    desk.db()
        .execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES (?1, ?1, ?2, ?3, 0)",
            rusqlite::params![username, role, hash],
        )
        .unwrap();
    sign_in(desk, username, "staff-pass-123", NOW)
}

/// The edit form as the window fills it from the record: every field as stored, the version the
/// record had.
pub fn edit_form(desk: &Desk, token: &SessionToken, patient_id: i64) -> frontdesk::patients::UpdatePatientRequest {
    let d = frontdesk::patients::patient_record(
        &ctx(desk, Some(token), NOW),
        frontdesk::patients::PatientRequest { patient_id },
    )
    .unwrap()
    .details;
    frontdesk::patients::UpdatePatientRequest {
        patient_id,
        version: d.version,
        given_name: d.given_name,
        family_name: d.family_name,
        date_of_birth: d.date_of_birth,
        sex: d.sex,
        phones: d
            .phones
            .into_iter()
            .map(|p| frontdesk::patients::PhoneInput {
                id: Some(p.id),
                number: p.display,
                label: Some(p.label),
                relationship: Some(p.relationship),
            })
            .collect(),
        email: d.email,
        mrn: d.mrn,
        health_card: d.health_card,
        preferred_language: d.preferred_language,
        address: d.address,
        consent_sms: d.consent_sms,
        consent_whatsapp: d.consent_whatsapp,
        consent_email: d.consent_email,
    }
}
