//! Booking without double-booking, against real SQLite files: slot computation (templates,
//! holidays and leave, durations, daylight saving), the collision guarantee (including two
//! processes racing for the same slot), reschedule atomicity, cancellations, walk-ins and the
//! wait list.

mod common;

use common::*;
use frontdesk::booking::{self, BookRequest, CancelRequest, RescheduleRequest, SlotQuery, TimeOfDay, WalkInRequest};
use frontdesk::status::{Source, Status};
use frontdesk::waitlist::{self, WaitlistAddRequest, WaitlistBookRequest};
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

fn book_req(patient_id: i64, doctor_id: i64, branch_id: i64, service_id: i64, starts_at: i64) -> BookRequest {
    BookRequest {
        patient_id,
        caller_name: "Rohan Sharma".into(),
        caller_relationship: "spouse".into(),
        doctor_id,
        branch_id,
        service_id,
        starts_at,
        reason: "Fever for two days".into(),
        source: Source::Phone,
        referral: String::new(),
        notes: String::new(),
        follow_up: false,
        follow_up_on: None,
    }
}

fn book(desk: &Desk, token: &SessionToken, req: BookRequest) -> Result<frontdesk::schedule::AppointmentRow, ApiError> {
    booking::book(&ctx(desk, Some(token), NOW), req).map_err(ApiError::from)
}

fn starts(desk: &Desk, token: &SessionToken, q: SlotQuery) -> Vec<String> {
    booking::free_slots(&ctx(desk, Some(token), NOW), q)
        .unwrap()
        .slots
        .into_iter()
        .map(|s| format!("{} {}", s.doctor_id, s.start_local))
        .collect()
}

fn day(date: &str, doctor_id: i64, service_id: i64) -> SlotQuery {
    SlotQuery {
        service_id,
        doctor_id: Some(doctor_id),
        from_date: Some(date.into()),
        to_date: Some(date.into()),
        ..SlotQuery::default()
    }
}

fn count_appointments(desk: &Desk) -> i64 {
    desk.db().query_row("SELECT COUNT(*) FROM appointment", [], |r| r.get(0)).unwrap()
}

#[test]
fn slots_come_from_the_template_minus_booked_time() {
    let (_dir, desk, token) = booking_desk();
    let tuesday = starts(&desk, &token, day("2026-11-24", 1, 1));
    assert_eq!(tuesday.len(), 12, "09:00–12:00 in 15-minute visits: {tuesday:?}");
    assert_eq!(tuesday.first().map(String::as_str), Some("1 09:00"));
    assert_eq!(tuesday.last().map(String::as_str), Some("1 11:45"));

    book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-24", "09:30"))).unwrap();
    let after = starts(&desk, &token, day("2026-11-24", 1, 1));
    assert!(!after.contains(&"1 09:30".to_owned()), "a booked slot is not offered again");
    assert_eq!(after.len(), 11);

    // A 30-minute visit never straddles the booked 09:30–09:45.
    let long = starts(&desk, &token, day("2026-11-24", 1, 2));
    assert_eq!(long[..2], ["1 09:00".to_owned(), "1 09:45".to_owned()], "{long:?}");
    assert!(long.iter().all(|s| s != "1 09:15"), "09:15–09:45 would overlap the 09:30 booking");
}

#[test]
fn today_offers_only_what_is_still_ahead() {
    let (_dir, desk, token) = booking_desk();
    // NOW is Monday 10:00.
    let today = starts(&desk, &token, day("2026-11-23", 1, 1));
    assert_eq!(today.first().map(String::as_str), Some("1 10:00"), "{today:?}");
    let e = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-23", "09:15"))).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidInput, Some("starts_at")),
        "past times are refused: {}",
        e.message
    );
    assert!(e.message.contains("passed"), "{}", e.message);
}

#[test]
fn holidays_and_leave_remove_slots_and_refuse_bookings() {
    let (_dir, desk, token) = booking_desk();
    desk.db()
        .execute_batch(
            "INSERT INTO availability_exception (doctor_id, kind, starts_on, ends_on, reason) VALUES (1, 'leave', '2026-11-25', '2026-11-26', 'Conference');
             INSERT INTO availability_exception (doctor_id, kind, starts_on, ends_on, reason) VALUES (NULL, 'holiday', '2026-11-27', '2026-11-27', 'Holiday');",
        )
        .unwrap();
    assert!(starts(&desk, &token, day("2026-11-25", 1, 1)).is_empty(), "no slots while on leave");
    assert!(starts(&desk, &token, day("2026-11-27", 1, 1)).is_empty(), "no slots on a clinic holiday");
    let e = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-25", "09:00"))).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
    // Outside the doctor's hours.
    let e = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-24", "13:00"))).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("starts_at")), "{}", e.message);
    // At a branch the doctor does not work at.
    let e = book(&desk, &token, book_req(1, 1, 2, 1, toronto("2026-11-24", "09:00"))).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("branch_id"), "{}", e.message);
}

#[test]
fn slots_keep_local_wall_time_across_a_daylight_saving_change() {
    let (_dir, desk, _) = booking_desk();
    let token = sign_in(&desk, OWNER.0, OWNER.1, toronto("2026-03-01", "08:00"));
    let at = |date: &str| {
        booking::free_slots(&ctx(&desk, Some(&token), toronto("2026-03-01", "08:00")), day(date, 1, 1)).unwrap().slots
    };
    let before = at("2026-03-06"); // Friday, EST (UTC-5)
    let after = at("2026-03-09"); // Monday, EDT (UTC-4)
    assert_eq!(before[0].start_local, "09:00");
    assert_eq!(after[0].start_local, "09:00");
    assert_eq!(before[0].starts_at % 86_400, 14 * 3600, "09:00 EST is 14:00 UTC");
    assert_eq!(after[0].starts_at % 86_400, 13 * 3600, "09:00 EDT is 13:00 UTC");
    assert!(
        before.iter().chain(&after).all(|s| s.ends_at - s.starts_at == 900),
        "every slot lasts the service's 15 minutes"
    );
}

#[test]
fn neither_a_doctor_nor_a_patient_is_ever_double_booked() {
    let (_dir, desk, token) = booking_desk();
    let nine = toronto("2026-11-24", "09:00");
    book(&desk, &token, book_req(1, 1, 1, 1, nine)).unwrap();
    let before = count_appointments(&desk);

    let e = book(&desk, &token, book_req(2, 1, 1, 1, nine)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("taken") && e.message.contains("nothing was booked"), "{}", e.message);

    // Overlapping, not identical: a 30-minute visit from 08:50 is outside hours; from 09:10 it overlaps? It
    // starts inside the first visit (09:00–09:15).
    let e = book(&desk, &token, book_req(2, 1, 1, 2, toronto("2026-11-24", "09:10"))).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);

    // The same patient with another doctor at the same time.
    let e = book(&desk, &token, book_req(1, 2, 1, 1, nine)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("the patient has appointment"), "{}", e.message);
    assert_eq!(count_appointments(&desk), before, "refused bookings write nothing");

    // A cancelled appointment frees its slot.
    let first: i64 = desk.db().query_row("SELECT id FROM appointment", [], |r| r.get(0)).unwrap();
    booking::cancel(
        &ctx(&desk, Some(&token), NOW),
        CancelRequest { appointment_id: first, reason: "Called to cancel".into() },
    )
    .unwrap();
    book(&desk, &token, book_req(2, 1, 1, 1, nine)).expect("the freed slot can be booked again");
}

#[test]
fn the_booking_form_is_validated_field_by_field() {
    let (_dir, desk, token) = booking_desk();
    let at = toronto("2026-11-24", "09:00");
    let cases: Vec<(BookRequest, &str)> = vec![
        (BookRequest { reason: "  ".into(), ..book_req(1, 1, 1, 1, at) }, "reason"),
        (BookRequest { caller_relationship: "boss".into(), ..book_req(1, 1, 1, 1, at) }, "caller_relationship"),
        (BookRequest { follow_up: true, follow_up_on: None, ..book_req(1, 1, 1, 1, at) }, "follow_up_on"),
        (
            BookRequest { follow_up: true, follow_up_on: Some("2020-01-01".into()), ..book_req(1, 1, 1, 1, at) },
            "follow_up_on",
        ),
        (book_req(999, 1, 1, 1, at), "patient_id"),
        (book_req(1, 99, 1, 1, at), "doctor_id"),
        (book_req(1, 1, 1, 99, at), "service_id"),
    ];
    for (req, field) in cases {
        let e = book(&desk, &token, req).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some(field)), "{}", e.message);
    }
    assert_eq!(count_appointments(&desk), 0);
    let ok = book(
        &desk,
        &token,
        BookRequest { follow_up: true, follow_up_on: Some("2026-12-24".into()), ..book_req(1, 1, 1, 1, at) },
    )
    .unwrap();
    assert_eq!(ok.status, Status::Booked);
    let audit: String = desk
        .db()
        .query_row(
            "SELECT action FROM audit_event WHERE entity = 'appointment' AND entity_id = ?1",
            [ok.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, "appointment.booked");
}

#[test]
fn find_earliest_understands_how_people_name_doctors() {
    let (_dir, desk, token) = booking_desk();
    let earliest = |q: SlotQuery| booking::find_earliest(&ctx(&desk, Some(&token), NOW), q).map_err(ApiError::from);
    for name in ["Dr. Chen", "chen", "dr chen", "Anita", "DR. ANITA CHEN"] {
        let r = earliest(SlotQuery { service_id: 1, doctor: Some(name.into()), ..SlotQuery::default() }).unwrap();
        assert_eq!(r.slots[0].doctor_id, 1, "{name} is Dr. Anita Chen");
        assert_eq!(r.slots[0].start_local, "10:00", "the earliest is today at 10:00 (now)");
    }
    let e =
        earliest(SlotQuery { service_id: 1, doctor: Some("Dr. Nobody".into()), ..SlotQuery::default() }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("doctor"));

    let r =
        earliest(SlotQuery { service_id: 1, time_of_day: Some(TimeOfDay::Afternoon), ..SlotQuery::default() }).unwrap();
    assert_eq!((r.slots[0].doctor_id, r.slots[0].branch_id, r.slots[0].start_local.as_str()), (2, 2, "14:00"));

    let r = earliest(SlotQuery { service_id: 1, department: Some("cardio".into()), ..SlotQuery::default() }).unwrap();
    assert!(r.slots.iter().all(|s| s.doctor_id == 2));

    // Past start dates are clamped to today; excluded dates are skipped.
    let r = earliest(SlotQuery {
        service_id: 1,
        doctor_id: Some(1),
        from_date: Some("2026-01-01".into()),
        exclude_dates: vec!["2026-11-23".into()],
        ..SlotQuery::default()
    })
    .unwrap();
    assert_eq!(r.searched_from, "2026-11-23");
    assert_eq!((r.slots[0].date.as_str(), r.slots[0].start_local.as_str()), ("2026-11-24", "09:00"));
    assert_eq!(r.slots.len(), 5);
}

#[test]
fn rescheduling_books_the_new_slot_first_or_changes_nothing() {
    let (_dir, desk, token) = booking_desk();
    let a = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-24", "09:00"))).unwrap();
    book(&desk, &token, book_req(2, 1, 1, 1, toronto("2026-11-24", "09:15"))).unwrap();
    let before = count_appointments(&desk);

    let taken = booking::reschedule(
        &ctx(&desk, Some(&token), NOW),
        RescheduleRequest {
            appointment_id: a.id,
            doctor_id: 1,
            branch_id: 1,
            starts_at: toronto("2026-11-24", "09:15"),
            service_id: None,
        },
    )
    .map_err(ApiError::from)
    .unwrap_err();
    assert_eq!(taken.code, ErrorCode::Conflict, "{}", taken.message);
    assert_eq!(count_appointments(&desk), before, "a failed move books nothing");
    let status: String =
        desk.db().query_row("SELECT status FROM appointment WHERE id = ?1", [a.id], |r| r.get(0)).unwrap();
    assert_eq!(status, "booked", "a failed move leaves the original untouched");

    // Moving by a few minutes may overlap the appointment's own old time.
    let moved = booking::reschedule(
        &ctx(&desk, Some(&token), NOW),
        RescheduleRequest {
            appointment_id: a.id,
            doctor_id: 1,
            branch_id: 1,
            starts_at: toronto("2026-11-24", "09:30"),
            service_id: Some(2),
        },
    )
    .unwrap();
    let new = moved.new_appointment.unwrap();
    assert_eq!(moved.appointment.status, Status::Rescheduled);
    assert_eq!((new.status, new.start_local.as_str(), new.end_local.as_str()), (Status::Booked, "09:30", "10:00"));
    assert_eq!(new.reason, a.reason, "the booking details move with it");
    let link: Option<i64> =
        desk.db().query_row("SELECT rescheduled_to FROM appointment WHERE id = ?1", [a.id], |r| r.get(0)).unwrap();
    assert_eq!(link, Some(new.id));
    let again = starts(&desk, &token, day("2026-11-24", 1, 1));
    assert!(again.contains(&"1 09:00".to_owned()), "the old slot is free again: {again:?}");
}

#[test]
fn cancelling_needs_a_reason_and_offers_the_slot_to_the_wait_list() {
    let (_dir, desk, token) = booking_desk();
    let a = book(&desk, &token, book_req(1, 1, 1, 1, toronto("2026-11-24", "09:00"))).unwrap();
    let add = |patient_id: i64, doctor_id: Option<i64>, urgent: bool, tod: TimeOfDay, at: i64| {
        waitlist::add_to_waitlist(
            &ctx(&desk, Some(&token), at),
            WaitlistAddRequest {
                patient_id,
                doctor_id,
                branch_id: None,
                service_id: None,
                weekdays: vec![],
                time_of_day: tod,
                urgent,
                note: String::new(),
            },
        )
        .unwrap()
    };
    let _other_doctor = add(4, Some(2), true, TimeOfDay::Any, NOW - 500);
    let oldest = add(2, Some(1), false, TimeOfDay::Any, NOW - 400);
    let urgent = add(3, None, true, TimeOfDay::Morning, NOW - 100);
    // Someone waiting for a 30-minute new-patient visit: a 15-minute slot is too short for them.
    desk.db()
        .execute_batch(
            "INSERT INTO patient (id, given_name, family_name, created_at, updated_at) VALUES (5, 'Noah', 'Gagnon', 0, 0)",
        )
        .unwrap();
    let too_long = waitlist::add_to_waitlist(
        &ctx(&desk, Some(&token), NOW - 600),
        WaitlistAddRequest {
            patient_id: 5,
            doctor_id: None,
            branch_id: None,
            service_id: Some(2),
            weekdays: vec![],
            time_of_day: TimeOfDay::Any,
            urgent: true,
            note: String::new(),
        },
    )
    .unwrap();
    let e = booking::cancel(&ctx(&desk, Some(&token), NOW), CancelRequest { appointment_id: a.id, reason: " ".into() })
        .map_err(ApiError::from)
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));

    let change = booking::cancel(
        &ctx(&desk, Some(&token), NOW),
        CancelRequest { appointment_id: a.id, reason: "Feeling better".into() },
    )
    .unwrap();
    assert_eq!(change.appointment.status, Status::Cancelled);
    let ids: Vec<i64> = change.offers.iter().map(|o| o.entry.id).collect();
    assert_eq!(
        ids,
        vec![urgent.id, oldest.id],
        "urgent first, then the longest waiting; those wanting another doctor or a longer visit are not offered"
    );
    assert!(!ids.contains(&too_long.id));

    let freed = change.freed.unwrap();
    let booked = booking::book_from_waitlist(
        &ctx(&desk, Some(&token), NOW),
        WaitlistBookRequest {
            entry_id: urgent.id,
            doctor_id: freed.doctor_id,
            branch_id: freed.branch_id,
            service_id: 1,
            starts_at: freed.starts_at,
        },
    )
    .unwrap();
    assert_eq!((booked.patient_id, booked.start_local.as_str()), (3, "09:00"));
    let open: Vec<i64> = waitlist::waitlist(&ctx(&desk, Some(&token), NOW)).unwrap().iter().map(|e| e.id).collect();
    assert!(!open.contains(&urgent.id), "a booked entry leaves the wait list");
    let again = booking::book_from_waitlist(
        &ctx(&desk, Some(&token), NOW),
        WaitlistBookRequest {
            entry_id: urgent.id,
            doctor_id: 1,
            branch_id: 1,
            service_id: 1,
            starts_at: toronto("2026-11-24", "10:00"),
        },
    );
    assert_eq!(again.err().map(|e| ApiError::from(e).code), Some(ErrorCode::NotFound));
}

#[test]
fn walk_ins_get_the_next_free_minute_or_wait_untimed() {
    let (_dir, desk, token) = booking_desk();
    let walk = |patient_id: i64| {
        booking::walk_in(
            &ctx(&desk, Some(&token), NOW + 60),
            WalkInRequest {
                patient_id,
                branch_id: 1,
                doctor_id: Some(1),
                service_id: 2,
                reason: "Sprained ankle".into(),
            },
        )
        .unwrap()
    };
    let first = walk(1);
    let a = first.appointment.expect("Dr. Chen is free after 10:00");
    assert_eq!((a.status, a.source, a.start_local.as_str()), (Status::Arrived, Source::WalkIn, "10:05"));
    assert_eq!(a.arrived_at, Some(NOW + 60));
    // Fill the rest of the morning, then the next walk-in waits untimed.
    for (i, hhmm) in ["10:35", "11:05"].iter().enumerate() {
        book(&desk, &token, book_req(2 + i as i64, 1, 1, 2, toronto("2026-11-23", hhmm))).unwrap();
    }
    book(&desk, &token, book_req(4, 1, 1, 1, toronto("2026-11-23", "11:35"))).unwrap();
    let second = walk(4);
    assert!(second.appointment.is_none(), "no 30-minute gap is left today");
    let queued = second.queued.expect("queued untimed");
    assert_eq!(queued.patient_id, 4);
    assert_eq!(booking::walk_ins(&ctx(&desk, Some(&token), NOW)).unwrap().len(), 1);
    booking::walk_in_done(
        &ctx(&desk, Some(&token), NOW),
        booking::WalkInDoneRequest { walk_in_id: queued.id, outcome: booking::WalkInOutcome::Left },
    )
    .unwrap();
    assert!(
        booking::walk_ins(&ctx(&desk, Some(&token), NOW)).unwrap().is_empty(),
        "a walk-in who left is off the list"
    );
}

/// Two processes (two desks) race to book the same slots, hundreds of rounds: every round ends
/// with exactly one booking and one clear refusal. The rounds are held in lockstep by a barrier
/// (this process releases both desks at once, after both said they are ready), and the test checks
/// that the two bookings were in flight at the same time — otherwise it would prove nothing.
#[test]
fn two_processes_booking_the_same_slot_get_exactly_one_booking() {
    use std::io::{BufRead, BufReader, Write};
    const ROUNDS: i64 = 300;
    if let Ok(spec) = std::env::var("FRONTDESK_RACE_CHILD") {
        return race_child(&spec);
    }
    let (dir, desk, _) = booking_desk();
    // Every day of the week, all day, so 300 ten-minute rounds fit.
    desk.db()
        .execute_batch(
            "INSERT INTO service (id, code, name, duration_minutes) VALUES (3, 'TEN', 'Ten minutes', 10);
             DELETE FROM availability_template WHERE doctor_id = 1;
             INSERT INTO availability_template (doctor_id, branch_id, weekday, start_minute, end_minute)
               SELECT 1, 1, value, 0, 1440 FROM json_each('[0,1,2,3,4,5,6]');",
        )
        .unwrap();
    drop(desk);
    let first_slot = toronto("2026-11-24", "00:00");
    let mut children: Vec<_> = [1, 2]
        .iter()
        .map(|patient| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "two_processes_booking_the_same_slot_get_exactly_one_booking",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("FRONTDESK_RACE_CHILD", format!("{}|{patient}|{first_slot}|{ROUNDS}", dir.path().display()))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::inherit())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut inputs: Vec<_> = children.iter_mut().map(|c| c.stdin.take().unwrap()).collect();
    let mut outputs: Vec<_> = children.iter_mut().map(|c| BufReader::new(c.stdout.take().unwrap())).collect();
    // What follows `word` in the next line a desk prints with it (the harness prints lines too).
    let next = |out: &mut BufReader<std::process::ChildStdout>, word: &str| -> Vec<String> {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(out.read_line(&mut line).unwrap() > 0, "a racing desk stopped before '{word}'");
            // The harness's "test … … " has no newline, so a report may follow it on one line.
            if let Some(at) = line.find(word) {
                return line[at + word.len()..].split_whitespace().map(str::to_owned).collect();
            }
        }
    };
    let (mut booked_total, mut overlapped) = (0, 0);
    for round in 0..ROUNDS {
        for out in outputs.iter_mut() {
            assert_eq!(next(out, "race-ready")[0], round.to_string());
        }
        // The barrier: both desks are waiting; release them together.
        for input in inputs.iter_mut() {
            input.write_all(b"go\n").unwrap();
            input.flush().unwrap();
        }
        let done: Vec<(u128, u128, bool)> = outputs
            .iter_mut()
            .map(|out| {
                let f = next(out, "race-done");
                (f[1].parse().unwrap(), f[2].parse().unwrap(), f[3] == "booked")
            })
            .collect();
        booked_total += done.iter().filter(|d| d.2).count() as i64;
        assert_eq!(done.iter().filter(|d| d.2).count(), 1, "round {round}: exactly one desk books the slot");
        // In flight together: each started before the other finished.
        if done[0].0 < done[1].1 && done[1].0 < done[0].1 {
            overlapped += 1;
        }
    }
    drop(inputs);
    for child in children {
        assert!(child.wait_with_output().unwrap().status.success(), "a racing desk failed");
    }
    println!("race: {overlapped} of {ROUNDS} rounds had both bookings in flight at once");
    assert!(
        overlapped * 10 >= ROUNDS * 8,
        "only {overlapped} of {ROUNDS} rounds overlapped: the race did not race, so it proves nothing"
    );
    let desk = Desk::open(dir.path()).unwrap();
    let per_slot: Vec<i64> = {
        let conn = desk.db();
        let mut stmt = conn
            .prepare("SELECT COUNT(*) FROM appointment WHERE doctor_id = 1 AND starts_at >= ?1 GROUP BY starts_at ORDER BY starts_at")
            .unwrap();
        stmt.query_map([first_slot], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(per_slot.len() as i64, ROUNDS, "every round booked its slot");
    assert!(per_slot.iter().all(|n| *n == 1), "a slot was double-booked: {per_slot:?}");
    assert_eq!(booked_total, ROUNDS, "the desks' own counts agree: one success per round");
}

/// One racing desk: for each round, says it is ready, waits for the barrier's "go" on stdin,
/// books, and reports when its booking started and ended (wall-clock nanoseconds, one machine).
fn race_child(spec: &str) {
    use std::io::BufRead;
    let parts: Vec<&str> = spec.split('|').collect();
    let (dir, patient, first, rounds): (&str, i64, i64, i64) =
        (parts[0], parts[1].parse().unwrap(), parts[2].parse().unwrap(), parts[3].parse().unwrap());
    let desk = Desk::open(std::path::Path::new(dir)).unwrap();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    let nanos = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let mut go = std::io::stdin().lock().lines();
    let say = |line: String| {
        use std::io::Write;
        // Flushed at once: the barrier waits for it, and a pipe may be block-buffered.
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").unwrap();
        out.flush().unwrap();
    };
    for round in 0..rounds {
        say(format!("race-ready {round}"));
        go.next().expect("the barrier's go").unwrap();
        let started = nanos();
        let result = booking::book(&ctx(&desk, Some(&token), NOW), book_req(patient, 1, 1, 3, first + round * 600));
        let ended = nanos();
        let outcome = match result {
            Ok(_) => "booked",
            Err(e) => {
                let e = ApiError::from(e);
                assert_eq!(
                    e.code,
                    ErrorCode::Conflict,
                    "the loser must get a clear conflict, not a storage error: {}",
                    e.message
                );
                "refused"
            }
        };
        say(format!("race-done {round} {started} {ended} {outcome}"));
    }
}
