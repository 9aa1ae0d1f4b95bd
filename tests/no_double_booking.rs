//! No double booking by any route. Every move into a status that holds time (a booking, a
//! reschedule, a walk-in, the wait list, a no-show put back to arrived or booked) passes the same
//! calendar check in the same transaction; the schema refuses an overlap whatever code writes it
//! (migration 0006); and random sequences of everything the desk does never leave two
//! overlapping appointments that hold time for a doctor or a patient.

mod common;

use std::path::Path;

use common::*;
use frontdesk::booking::{self, BookRequest, CancelRequest, RescheduleRequest, WalkInRequest};
use frontdesk::patients::{ResolveReviewRequest, ReviewDecision, UnmergeRequest};
use frontdesk::schedule::{AppointmentRow, SetStatusRequest};
use frontdesk::status::{Source, Status, HOLDS_TIME};
use frontdesk::waitlist::{self, WaitlistAddRequest, WaitlistBookRequest};
use frontdesk::{ApiError, Desk, Error, ErrorCode, SessionToken};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use tempfile::TempDir;

/// Every pair of appointments holding time that overlap for a doctor or a patient, over the
/// whole table. The statuses are spelled out here, not taken from the code under test.
fn overlaps(desk: &Desk) -> Vec<String> {
    let conn = desk.db();
    let mut stmt = conn
        .prepare(
            "SELECT a.id, b.id, CASE WHEN a.doctor_id = b.doctor_id THEN 'doctor' ELSE 'patient' END
             FROM appointment a JOIN appointment b
               ON b.id > a.id AND (b.doctor_id = a.doctor_id OR b.patient_id = a.patient_id)
              AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at
             WHERE a.status IN ('booked','confirmed','arrived','in_room','completed')
               AND b.status IN ('booked','confirmed','arrived','in_room','completed')",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(format!("#{} and #{} ({})", r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn book_req(patient_id: i64, doctor_id: i64, branch_id: i64, service_id: i64, starts_at: i64) -> BookRequest {
    BookRequest {
        patient_id,
        caller_name: String::new(),
        caller_relationship: "self".into(),
        doctor_id,
        branch_id,
        service_id,
        starts_at,
        reason: "Check-up".into(),
        source: Source::Phone,
        referral: String::new(),
        notes: String::new(),
        follow_up: false,
        follow_up_on: None,
    }
}

fn book(desk: &Desk, token: &SessionToken, req: BookRequest) -> AppointmentRow {
    booking::book(&ctx(desk, Some(token), NOW), req).unwrap_or_else(|e| panic!("book: {e}"))
}

fn set_status(desk: &Desk, token: &SessionToken, at: i64, id: i64, status: Status) -> Result<AppointmentRow, ApiError> {
    frontdesk::schedule::set_status(
        &ctx(desk, Some(token), at),
        SetStatusRequest { appointment_id: id, status, confirmed: true },
    )
    .map_err(ApiError::from)
}

fn status_of(desk: &Desk, id: i64) -> String {
    desk.db().query_row("SELECT status FROM appointment WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

/// The refusal of a move back into a status that holds time: a conflict that says what to do instead.
fn assert_refused_with_advice(e: &ApiError) {
    assert_eq!(e.code, ErrorCode::Conflict, "a clear conflict, not a storage error: {}", e.message);
    assert!(
        e.message.contains("Book a new slot") && e.message.contains("walk-in"),
        "the refusal must say what to do instead: {}",
        e.message
    );
}

// ---------------------------------------------------------------------------------------------
// (a) One regression test per route that used to double-book.

#[test]
fn a_no_show_who_turns_up_after_the_slot_was_rebooked_is_refused() {
    let (_dir, desk, token) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    let first = book(&desk, &token, book_req(1, 1, 1, 1, nine));
    set_status(&desk, &token, NOW, first.id, Status::NoShow).unwrap();
    let second = book(&desk, &token, book_req(2, 1, 1, 1, nine));

    for back in [Status::Arrived, Status::Booked] {
        let e = set_status(&desk, &token, NOW + 60, first.id, back).unwrap_err();
        assert_refused_with_advice(&e);
        assert!(e.message.contains(&format!("#{}", second.id)), "it names who holds the time now: {}", e.message);
    }
    assert_eq!(status_of(&desk, first.id), "no_show", "a refused move changes nothing");
    assert!(overlaps(&desk).is_empty(), "Dr. Chen must not hold two visits at 09:00: {:?}", overlaps(&desk));
}

#[test]
fn a_no_show_put_back_after_the_wait_list_took_the_slot_is_refused() {
    let (_dir, desk, token) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    let first = book(&desk, &token, book_req(1, 1, 1, 1, nine));
    set_status(&desk, &token, NOW, first.id, Status::NoShow).unwrap();
    let entry = waitlist::add_to_waitlist(
        &ctx(&desk, Some(&token), NOW),
        WaitlistAddRequest {
            patient_id: 3,
            doctor_id: Some(1),
            branch_id: None,
            service_id: None,
            weekdays: vec![],
            time_of_day: booking::TimeOfDay::Any,
            urgent: false,
            note: String::new(),
        },
    )
    .unwrap();
    let offers = waitlist::waitlist_offers(
        &ctx(&desk, Some(&token), NOW),
        waitlist::WaitlistOffersRequest { doctor_id: 1, branch_id: 1, starts_at: nine, ends_at: nine + 900 },
    )
    .unwrap();
    assert_eq!(offers.iter().map(|o| o.entry.id).collect::<Vec<_>>(), [entry.id], "the no-show's time is offered");
    let taken = booking::book_from_waitlist(
        &ctx(&desk, Some(&token), NOW),
        WaitlistBookRequest { entry_id: entry.id, doctor_id: 1, branch_id: 1, service_id: 1, starts_at: nine },
    )
    .unwrap();

    let e = set_status(&desk, &token, NOW + 60, first.id, Status::Booked).unwrap_err();
    assert_refused_with_advice(&e);
    assert!(e.message.contains(&format!("#{}", taken.id)), "{}", e.message);
    assert!(overlaps(&desk).is_empty(), "{:?}", overlaps(&desk));
}

#[test]
fn a_no_show_put_back_while_the_patient_is_with_another_doctor_is_refused() {
    let (_dir, desk, token) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    let with_chen = book(&desk, &token, book_req(1, 1, 1, 1, nine));
    set_status(&desk, &token, NOW, with_chen.id, Status::NoShow).unwrap();
    // The no-show gave the patient's time back too: booked with Dr. Rao at 09:05 meanwhile.
    let with_rao = book(&desk, &token, book_req(1, 2, 1, 1, nine + 300));

    let e = set_status(&desk, &token, NOW + 60, with_chen.id, Status::Arrived).unwrap_err();
    assert_refused_with_advice(&e);
    assert!(
        e.message.contains("the patient has appointment") && e.message.contains(&format!("#{}", with_rao.id)),
        "it says it is the patient who is elsewhere: {}",
        e.message
    );
    assert!(overlaps(&desk).is_empty(), "Priya must not be in two rooms at once: {:?}", overlaps(&desk));
}

#[test]
fn a_no_show_who_turns_up_after_a_walk_in_took_the_time_is_refused() {
    let (_dir, desk, token) = booking_desk();
    // NOW is Monday 10:00; Dr. Chen works until 12:00.
    let first = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-23", "10:00")));
    set_status(&desk, &token, NOW + 120, first.id, Status::NoShow).unwrap();
    let walk_in = booking::walk_in(
        &ctx(&desk, Some(&token), NOW + 180),
        WalkInRequest { patient_id: 2, branch_id: 1, doctor_id: Some(1), service_id: 1, reason: "Cough".into() },
    )
    .unwrap()
    .appointment
    .expect("the no-show's time is free: the walk-in is seen at once");
    assert_eq!(walk_in.start_local, "10:05", "inside the no-show's 10:00–10:15");

    let e = set_status(&desk, &token, NOW + 300, first.id, Status::Arrived).unwrap_err();
    assert_refused_with_advice(&e);
    assert!(overlaps(&desk).is_empty(), "{:?}", overlaps(&desk));
}

#[test]
fn arriving_late_is_fine_while_the_time_is_still_free() {
    let (_dir, desk, token) = booking_desk();
    let ten_fifteen = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-23", "10:15")));
    let later = toronto("2026-11-23", "10:40");
    set_status(&desk, &token, later, ten_fifteen.id, Status::NoShow).unwrap();
    // The visit is over by the clock; the patient turns up anyway and the doctor sees them.
    let row = set_status(&desk, &token, later + 300, ten_fifteen.id, Status::Arrived)
        .unwrap_or_else(|e| panic!("an appointment in the past is no reason to refuse: {}", e.message));
    assert_eq!((row.status, row.arrived_at), (Status::Arrived, Some(later + 300)));
    // And a slip of the finger is undone: back to no-show, back to booked.
    set_status(&desk, &token, later + 360, ten_fifteen.id, Status::NoShow).unwrap();
    set_status(&desk, &token, later + 420, ten_fifteen.id, Status::Booked).unwrap();
}

#[test]
fn walk_ins_skip_times_when_the_patient_is_booked_elsewhere() {
    let (_dir, desk, token) = booking_desk();
    // Here Dr. Rao also sees patients at Main on Monday mornings; Priya is booked with him at 10:00.
    desk.db()
        .execute(
            "INSERT INTO availability_template (doctor_id, branch_id, weekday, start_minute, end_minute) VALUES (2, 1, 0, 540, 720)",
            [],
        )
        .unwrap();
    let with_rao = book(&desk, &token, book_req(1, 2, 1, 1, toronto("2026-11-23", "10:00")));
    let walk_in = booking::walk_in(
        &ctx(&desk, Some(&token), NOW),
        WalkInRequest { patient_id: 1, branch_id: 1, doctor_id: Some(1), service_id: 1, reason: "Rash".into() },
    )
    .unwrap()
    .appointment
    .expect("a later free time");
    assert!(walk_in.starts_at >= with_rao.ends_at, "not at 10:00, when she is with Dr. Rao: {}", walk_in.start_local);
    assert!(overlaps(&desk).is_empty(), "{:?}", overlaps(&desk));
}

#[test]
fn rescheduling_by_a_few_minutes_releases_the_old_time_first() {
    // The schema refuses two overlapping appointments that hold time even for a moment, so the
    // move must give the old time back before it takes the new one.
    let (_dir, desk, token) = booking_desk();
    let a = book(&desk, &token, book_req(1, 1, 1, 2, toronto("2026-11-24", "09:00")));
    let moved = booking::reschedule(
        &ctx(&desk, Some(&token), NOW),
        RescheduleRequest {
            appointment_id: a.id,
            doctor_id: 1,
            branch_id: 1,
            starts_at: toronto("2026-11-24", "09:10"),
            service_id: None,
        },
    )
    .unwrap();
    assert_eq!(moved.new_appointment.unwrap().start_local, "09:10");
    assert!(overlaps(&desk).is_empty(), "{:?}", overlaps(&desk));
}

#[test]
fn only_the_status_cycle_writes_an_appointments_status() {
    // schedule::move_to runs the calendar check for every move back into a status that holds
    // time; a status written anywhere else would skip it.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut writers = Vec::new();
    for file in std::fs::read_dir(&src).unwrap() {
        let path = file.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for _ in text.matches("UPDATE appointment SET status") {
            writers.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert_eq!(writers, ["schedule.rs"], "only schedule::move_to writes an appointment's status");
}

// ---------------------------------------------------------------------------------------------
// (b) The schema's own guard (migration 0006).

const INSERT: &str = "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, created_at, updated_at)
                      VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, 'phone', 0, 0)";

fn raw_insert(desk: &Desk, patient: i64, doctor: i64, (from, to): (i64, i64), status: &str) -> rusqlite::Result<i64> {
    let conn = desk.db();
    conn.execute(INSERT, rusqlite::params![patient, doctor, from, to, status])?;
    Ok(conn.last_insert_rowid())
}

/// How every refusal by migration 0006's triggers begins.
const SCHEMA_REFUSAL: &str = "Appointment refused: ";

/// The message of a refusal by a trigger; panics on success or on any other error.
fn refusal(result: rusqlite::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(rusqlite::Error::SqliteFailure(e, Some(message))) => {
            assert_eq!(e.code, rusqlite::ErrorCode::ConstraintViolation, "{message}");
            assert!(
                message.starts_with(SCHEMA_REFUSAL),
                "the error conversion recognises the schema's refusals by this prefix: {message}"
            );
            message
        }
        other => panic!("the schema must refuse an overlapping appointment, got {other:?}"),
    }
}

#[test]
fn the_schema_refuses_an_overlapping_insert_for_the_doctor_or_the_patient() {
    let (_dir, desk, _) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    raw_insert(&desk, 1, 1, (nine, nine + 900), "booked").unwrap();

    let doctor = refusal(raw_insert(&desk, 2, 1, (nine + 600, nine + 1500), "confirmed"));
    assert!(doctor.contains("doctor") && doctor.contains("walk-in"), "{doctor}");
    let patient = refusal(raw_insert(&desk, 1, 2, (nine - 600, nine + 60), "arrived"));
    assert!(patient.contains("patient"), "{patient}");
    refusal(raw_insert(&desk, 3, 1, (nine, nine + 900), "completed"));
    refusal(raw_insert(&desk, 3, 2, (nine, nine + 2 * 86_400), "booked"));

    // Half-open intervals: back to back is not an overlap. What does not hold time may overlap.
    raw_insert(&desk, 2, 1, (nine + 900, nine + 1800), "booked").expect("09:15 starts as 09:00–09:15 ends");
    raw_insert(&desk, 2, 1, (nine - 900, nine), "booked").expect("08:45–09:00 ends as 09:00 starts");
    for status in ["cancelled", "no_show", "rescheduled"] {
        raw_insert(&desk, 3, 1, (nine, nine + 900), status).unwrap_or_else(|e| panic!("{status}: {e}"));
    }
    assert!(overlaps(&desk).is_empty(), "{:?}", overlaps(&desk));
}

#[test]
fn a_refusal_by_the_schema_reaches_the_person_as_a_conflict_with_advice() {
    let (_dir, desk, _) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    raw_insert(&desk, 1, 1, (nine, nine + 900), "booked").unwrap();
    let raw = raw_insert(&desk, 2, 1, (nine, nine + 900), "booked").unwrap_err();
    let e = ApiError::from(frontdesk::Error::from(raw));
    assert_eq!(e.code, ErrorCode::Conflict, "not a storage failure: {}", e.message);
    assert!(e.message.contains("book a new slot") && e.message.contains("walk-in"), "{}", e.message);
}

#[test]
fn the_schema_refuses_an_update_that_makes_an_overlap() {
    let (_dir, desk, _) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    let held = raw_insert(&desk, 1, 1, (nine, nine + 900), "booked").unwrap();
    let no_show = raw_insert(&desk, 2, 1, (nine, nine + 900), "no_show").unwrap();
    let later = raw_insert(&desk, 3, 1, (nine + 3600, nine + 4500), "booked").unwrap();
    let other_patient = raw_insert(&desk, 4, 2, (nine, nine + 900), "booked").unwrap();
    let update = |sql: &str, id: i64| desk.db().execute(sql, [id]);

    refusal(update("UPDATE appointment SET status = 'arrived' WHERE id = ?1", no_show));
    refusal(update("UPDATE appointment SET status = 'booked' WHERE id = ?1", no_show));
    refusal(update(
        &format!("UPDATE appointment SET starts_at = {}, ends_at = {} WHERE id = ?1", nine + 600, nine + 1500),
        later,
    ));
    refusal(update("UPDATE appointment SET doctor_id = 1 WHERE id = ?1", other_patient));
    // A merge moves appointments to the kept record: not onto a time it already holds.
    refusal(update("UPDATE appointment SET patient_id = 1 WHERE id = ?1", other_patient));
    assert_eq!(status_of(&desk, no_show), "no_show");

    // Moving a visit along, or changing what does not touch time, is not checked again.
    update("UPDATE appointment SET status = 'arrived' WHERE id = ?1", held).unwrap();
    update("UPDATE appointment SET status = 'in_room', notes = 'x' WHERE id = ?1", held).unwrap();
    update("UPDATE appointment SET status = 'cancelled' WHERE id = ?1", held).unwrap();
    update("UPDATE appointment SET status = 'booked' WHERE id = ?1", no_show).expect("the time is free again");
    assert!(overlaps(&desk).is_empty(), "{:?}", overlaps(&desk));
}

#[test]
fn the_schema_checks_read_short_index_ranges() {
    // The triggers' lookups, as SQLite plans them: one index range each, bounded on both sides,
    // so a check costs the same for a clinic with years of history as for a new one.
    let (_dir, desk, _) = booking_desk();
    let conn = desk.db();
    for (column, index) in [("doctor_id", "appointment_doctor_starts"), ("patient_id", "appointment_patient_starts")] {
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT 1 FROM appointment o WHERE o.{column} = ?1 AND o.id <> ?4
               AND o.starts_at > ?2 - 86400 AND o.starts_at < ?3 AND o.ends_at > ?2 AND o.status IN {HOLDS_TIME}"
        );
        let plan: Vec<String> = conn
            .prepare(&sql)
            .unwrap()
            .query_map(rusqlite::params![1, 0, 900, 0], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join("; ");
        assert!(
            plan.contains(index) && plan.contains("starts_at>? AND starts_at<?"),
            "the {column} check must read a bounded range of {index}: {plan}"
        );
    }
    let migration = include_str!("../migrations/0006_appointment_holds.sql");
    assert_eq!(migration.matches("o.starts_at > NEW.starts_at - 86400 AND o.starts_at < NEW.ends_at").count(), 4);
}

#[test]
fn which_statuses_hold_time_is_spelled_the_same_everywhere() {
    let listed: Vec<String> =
        Status::ALL.iter().filter(|s| s.holds_time()).map(|s| format!("'{}'", s.as_str())).collect();
    assert_eq!(HOLDS_TIME, format!("({})", listed.join(",")), "the SQL list and Status::holds_time agree");
    let migration = include_str!("../migrations/0006_appointment_holds.sql");
    let lists: Vec<&str> = migration.match_indices("IN (").map(|(i, _)| &migration[i + 3..]).collect();
    assert_eq!(lists.len(), 7, "every status test in the triggers is checked");
    for rest in lists {
        let list = &rest[..=rest.find(')').unwrap()];
        assert_eq!(list, HOLDS_TIME, "the triggers hold the same statuses as the code");
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Random sequences of everything the desk does.

/// When an operation happens: Monday from 10:00 (NOW) or Tuesday from 09:00, in 5-minute steps
/// over 45 minutes, so that 15- and 30-minute visits collide often, partly as well as exactly.
#[derive(Debug, Clone, Copy)]
struct At {
    tuesday: bool,
    step: i64,
}

impl At {
    /// The time, and the branch the doctor works at then (Dr. Rao is at East on Monday afternoons).
    fn with(self, doctor: i64) -> (i64, i64) {
        match (self.tuesday, doctor) {
            (true, _) => (toronto("2026-11-24", "09:00") + self.step * 300, 1),
            (false, 2) => (toronto("2026-11-23", "14:00") + self.step * 300, 2),
            (false, _) => (NOW + self.step * 300, 1),
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Book { patient: i64, doctor: i64, at: At, service: i64 },
    Reschedule { pick: usize, doctor: i64, at: At, service: Option<i64> },
    Cancel { pick: usize },
    SetStatus { pick: usize, status: Status },
    AddToWaitlist { patient: i64 },
    BookFromWaitlist { pick: usize, doctor: i64, at: At, service: i64 },
    WalkIn { patient: i64, branch: i64, doctor: Option<i64>, service: i64 },
    Merge { pick: usize, keep_new: bool },
    Unmerge { pick: usize },
}

fn at() -> impl Strategy<Value = At> {
    (any::<bool>(), 0..9i64).prop_map(|(tuesday, step)| At { tuesday, step })
}

fn op() -> impl Strategy<Value = Op> {
    let patient = 1..=6i64;
    let doctor = 1..=2i64;
    let service = 1..=2i64;
    let pick = 0..64usize;
    prop_oneof![
        4 => (patient.clone(), doctor.clone(), at(), service.clone())
            .prop_map(|(patient, doctor, at, service)| Op::Book { patient, doctor, at, service }),
        2 => (pick.clone(), doctor.clone(), at(), proptest::option::of(service.clone()))
            .prop_map(|(pick, doctor, at, service)| Op::Reschedule { pick, doctor, at, service }),
        1 => pick.clone().prop_map(|pick| Op::Cancel { pick }),
        8 => (pick.clone(), status()).prop_map(|(pick, status)| Op::SetStatus { pick, status }),
        1 => patient.clone().prop_map(|patient| Op::AddToWaitlist { patient }),
        2 => (pick.clone(), doctor.clone(), at(), service.clone())
            .prop_map(|(pick, doctor, at, service)| Op::BookFromWaitlist { pick, doctor, at, service }),
        2 => (patient, 1..=2i64, proptest::option::of(doctor), service)
            .prop_map(|(patient, branch, doctor, service)| Op::WalkIn { patient, branch, doctor, service }),
        1 => (pick.clone(), any::<bool>()).prop_map(|(pick, keep_new)| Op::Merge { pick, keep_new }),
        1 => pick.prop_map(|pick| Op::Unmerge { pick }),
    ]
}

/// Any status, the ones of the routes back into holding time (no-show, then arrived or booked)
/// more often than the rest.
fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        3 => proptest::sample::select(vec![Status::NoShow, Status::Arrived, Status::Booked]),
        2 => proptest::sample::select(Status::ALL.to_vec()),
    ]
}

/// The `pick`th id of a table (modulo how many there are), or `None` when it is empty.
fn nth(desk: &Desk, table: &str, pick: usize) -> Option<i64> {
    let conn = desk.db();
    let ids: Vec<i64> = conn
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (!ids.is_empty()).then(|| ids[pick % ids.len()])
}

fn apply(desk: &Desk, token: &SessionToken, op: &Op) -> Result<(), Error> {
    let c = ctx(desk, Some(token), NOW);
    match *op {
        Op::Book { patient, doctor, at, service } => {
            let (starts_at, branch) = at.with(doctor);
            booking::book(&c, book_req(patient, doctor, branch, service, starts_at)).map(drop)
        }
        Op::Reschedule { pick, doctor, at, service } => {
            let Some(appointment_id) = nth(desk, "appointment", pick) else { return Ok(()) };
            let (starts_at, branch_id) = at.with(doctor);
            booking::reschedule(
                &c,
                RescheduleRequest { appointment_id, doctor_id: doctor, branch_id, starts_at, service_id: service },
            )
            .map(drop)
        }
        Op::Cancel { pick } => {
            let Some(appointment_id) = nth(desk, "appointment", pick) else { return Ok(()) };
            booking::cancel(&c, CancelRequest { appointment_id, reason: "Called to cancel".into() }).map(drop)
        }
        Op::SetStatus { pick, status } => {
            let Some(appointment_id) = nth(desk, "appointment", pick) else { return Ok(()) };
            frontdesk::schedule::set_status(&c, SetStatusRequest { appointment_id, status, confirmed: true }).map(drop)
        }
        Op::AddToWaitlist { patient } => waitlist::add_to_waitlist(
            &c,
            WaitlistAddRequest {
                patient_id: patient,
                doctor_id: None,
                branch_id: None,
                service_id: None,
                weekdays: vec![],
                time_of_day: booking::TimeOfDay::Any,
                urgent: false,
                note: String::new(),
            },
        )
        .map(drop),
        Op::BookFromWaitlist { pick, doctor, at, service } => {
            let Some(entry_id) = nth(desk, "waitlist_entry", pick) else { return Ok(()) };
            let (starts_at, branch_id) = at.with(doctor);
            booking::book_from_waitlist(
                &c,
                WaitlistBookRequest { entry_id, doctor_id: doctor, branch_id, service_id: service, starts_at },
            )
            .map(drop)
        }
        Op::WalkIn { patient, branch, doctor, service } => booking::walk_in(
            &c,
            WalkInRequest {
                patient_id: patient,
                branch_id: branch,
                doctor_id: doctor,
                service_id: service,
                reason: String::new(),
            },
        )
        .map(drop),
        Op::Merge { pick, keep_new } => {
            let Some(review_id) = nth(desk, "registration_review", pick) else { return Ok(()) };
            let subject: i64 = desk
                .db()
                .query_row("SELECT patient_id FROM registration_review WHERE id = ?1", [review_id], |r| r.get(0))
                .unwrap();
            frontdesk::patients::resolve_review(
                &c,
                ResolveReviewRequest {
                    review_id,
                    decision: ReviewDecision::Merge,
                    keep_patient_id: keep_new.then_some(subject),
                },
            )
            .map(drop)
        }
        Op::Unmerge { pick } => {
            let Some(merge_id) = nth(desk, "patient_merge", pick) else { return Ok(()) };
            frontdesk::patients::unmerge(&c, UnmergeRequest { merge_id }).map(drop)
        }
    }
}

/// The clinic every case starts from: [`booking_desk`] plus two look-alike registrations (a
/// second Priya Sharma and a second Liam Tremblay, patients 5 and 6), each with an open review
/// that can merge it.
fn template() -> TempDir {
    let (dir, desk, token) = booking_desk();
    for (given, family, phone) in [("Priya", "Sharma", "+91 98450 12345"), ("Liam", "Tremblay", "604 555 1234")] {
        let created = frontdesk::patients::create_patient(
            &ctx(&desk, Some(&token), NOW),
            patient_request(given, family, None, phone),
        )
        .unwrap();
        assert!(created.review_id.is_some(), "{given} {family} is a look-alike with a review to merge");
    }
    drop(desk);
    dir
}

/// A fresh copy of the template clinic (the database and its sealed audit head), with the owner
/// signed in.
fn copy_of(template: &Path) -> (TempDir, Desk, SessionToken) {
    let dir = tempfile::tempdir().unwrap();
    for file in std::fs::read_dir(template).unwrap() {
        let file = file.unwrap().path();
        std::fs::copy(&file, dir.path().join(file.file_name().unwrap())).unwrap();
    }
    let desk = Desk::open(dir.path()).unwrap();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    (dir, desk, token)
}

#[test]
fn no_sequence_of_desk_actions_double_books() {
    let template = template();
    let config = ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() };
    let result = TestRunner::new(config).run(&proptest::collection::vec(op(), 1..40), |ops| {
        let (_dir, desk, token) = copy_of(template.path());
        for (i, op) in ops.iter().enumerate() {
            if let Err(e) = apply(&desk, &token, op) {
                // Refusals are expected; a refusal by the schema (however the error conversion
                // presents it) or a failure means a route wrote without the calendar check that
                // the triggers only back up.
                prop_assert!(
                    !matches!(e, Error::Sqlite(_) | Error::Internal(_)) && !e.to_string().starts_with(SCHEMA_REFUSAL),
                    "step {i} {op:?} failed instead of being refused: {e}"
                );
            }
            let found = overlaps(&desk);
            prop_assert!(found.is_empty(), "after step {i} {op:?}, two appointments hold the same time: {found:?}");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
