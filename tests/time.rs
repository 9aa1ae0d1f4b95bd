//! Time that is true: shifts, slots and labels on the daylight-saving transition days of
//! America/Vancouver and Europe/London (and the same days in Asia/Kolkata, which has none), and
//! instants from the window bounded before any arithmetic.

mod common;

use chrono::NaiveDate;
use chrono_tz::Tz;
use frontdesk::booking::{BookRequest, RescheduleRequest, SlotQuery, WalkInRequest};
use frontdesk::clock::{self, check_date, check_instant, end_of, shift_end, shift_start, wall_label};
use frontdesk::schedule::DayRequest;
use frontdesk::settings::SetupRequest;
use frontdesk::status::Source;
use frontdesk::{ApiError, Ctx, Desk, ErrorCode, SessionToken};
use proptest::prelude::*;
use tempfile::TempDir;

fn utc(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const NOW: i64 = 1_795_446_000; // 2026-11-23
/// 2026-01-01 00:00 UTC: before every transition day tested.
const NEW_YEAR: i64 = 1_767_225_600;

/// (zone, day, shift start minute, shift end minute, real start, real end)
const SHIFTS: &[(&str, &str, i64, i64, &str, &str)] = &[
    // Spring forward: 02:00 → 03:00. The shift is an hour shorter in real time.
    ("America/Vancouver", "2026-03-08", 60, 300, "2026-03-08T09:00:00Z", "2026-03-08T12:00:00Z"),
    // A shift that would start inside the gap starts when the gap ends (03:00 PDT).
    ("America/Vancouver", "2026-03-08", 150, 300, "2026-03-08T10:00:00Z", "2026-03-08T12:00:00Z"),
    // Fall back: 02:00 → 01:00. The shift works the repeated hour twice: an hour longer.
    ("America/Vancouver", "2026-11-01", 0, 180, "2026-11-01T07:00:00Z", "2026-11-01T11:00:00Z"),
    // A shift ending inside the repeated hour ends at its second pass.
    ("America/Vancouver", "2026-11-01", 0, 90, "2026-11-01T07:00:00Z", "2026-11-01T09:30:00Z"),
    // A shift ending at 24:00 ends at the next midnight.
    ("America/Vancouver", "2026-11-02", 1080, 1440, "2026-11-03T02:00:00Z", "2026-11-03T08:00:00Z"),
    ("Europe/London", "2026-03-29", 0, 240, "2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z"),
    ("Europe/London", "2026-10-25", 0, 240, "2026-10-24T23:00:00Z", "2026-10-25T04:00:00Z"),
    ("Europe/London", "2026-10-25", 1200, 1440, "2026-10-25T20:00:00Z", "2026-10-26T00:00:00Z"),
    // No daylight saving: the same days are ordinary.
    ("Asia/Kolkata", "2026-03-08", 60, 300, "2026-03-07T19:30:00Z", "2026-03-07T23:30:00Z"),
    ("Asia/Kolkata", "2026-11-01", 0, 180, "2026-10-31T18:30:00Z", "2026-10-31T21:30:00Z"),
    ("Asia/Kolkata", "2026-11-01", 1260, 1440, "2026-11-01T15:30:00Z", "2026-11-01T18:30:00Z"),
];

#[test]
fn shifts_start_and_end_in_real_time_on_transition_days() {
    for (zone, date, start, end, real_start, real_end) in SHIFTS {
        let tz: Tz = zone.parse().unwrap();
        let d = day(date);
        assert_eq!(shift_start(tz, d, *start), Some(utc(real_start)), "{zone} {date} start {start}");
        assert_eq!(shift_end(tz, d, *end), Some(utc(real_end)), "{zone} {date} end {end}");
    }
}

/// (zone, instant, label)
const LABELS: &[(&str, &str, &str)] = &[
    ("America/Vancouver", "2026-11-01T08:30:00Z", "01:30 PDT"),
    ("America/Vancouver", "2026-11-01T09:30:00Z", "01:30 PST"),
    ("America/Vancouver", "2026-11-01T10:00:00Z", "02:00"),
    ("America/Vancouver", "2026-03-08T10:00:00Z", "03:00"),
    ("America/Vancouver", "2026-03-08T09:59:00Z", "01:59"),
    ("Europe/London", "2026-10-25T00:30:00Z", "01:30 BST"),
    ("Europe/London", "2026-10-25T01:30:00Z", "01:30 GMT"),
    ("Europe/London", "2026-03-29T01:00:00Z", "02:00"),
    ("Asia/Kolkata", "2026-11-01T03:30:00Z", "09:00"),
];

#[test]
fn the_repeated_autumn_hour_is_labelled_unambiguously() {
    for (zone, at, label) in LABELS {
        let tz: Tz = zone.parse().unwrap();
        assert_eq!(wall_label(tz, utc(at)), *label, "{zone} {at}");
    }
}

#[test]
fn instants_and_dates_from_the_window_are_bounded() {
    let code = |r: frontdesk::Result<i64>| r.map_err(|e| ApiError::from(e).code);
    assert_eq!(code(check_instant(NOW + 3600, NOW, "starts_at")), Ok(NOW + 3600));
    for bad in [i64::MIN, -1, 0, clock::EARLIEST - 1, NOW + 6 * 366 * 86_400, i64::MAX] {
        assert_eq!(code(check_instant(bad, NOW, "starts_at")), Err(ErrorCode::InvalidInput), "{bad}");
    }
    let e = ApiError::from(check_instant(i64::MAX, NOW, "starts_at").unwrap_err());
    assert_eq!(e.field.as_deref(), Some("starts_at"));
    assert!(e.message.contains("2000") && e.message.contains("year"), "{}", e.message);
    assert!(check_date(day("1999-12-31"), NOW, "date").is_err());
    assert!(check_date(day("2040-01-01"), NOW, "date").is_err());
    assert!(check_date(day("2027-06-01"), NOW, "date").is_ok());
    // Lengths: a day at most; no overflow whatever comes in.
    assert_eq!(end_of(NOW, 15, "service").unwrap(), NOW + 900);
    for bad in [0, -5, 1441, i64::MAX, i64::MIN] {
        assert!(end_of(NOW, bad, "service").is_err(), "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// Slots through the booking engine, on the transition days.

/// A clinic in `zone` with one doctor working `start`–`end` (minutes) every day at one branch, a
/// 30-minute service (1), a 15-minute one (2), and two patients. Signed in as the owner.
fn clinic_in(zone: &str, start: i64, end: i64) -> (TempDir, Desk, SessionToken) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    frontdesk::settings::setup(
        &Ctx { desk: &desk, token: None, now: NEW_YEAR },
        SetupRequest {
            clinic_name: "Zone Clinic".into(),
            timezone: zone.into(),
            phone_region: "CA".into(),
            owner_name: "Olive Owner".into(),
            owner_username: "owner".into(),
            owner_password: "correct horse battery".into(),
        },
    )
    .unwrap();
    let templates: Vec<String> = (0..7).map(|d| format!("(1, 1, {d}, {start}, {end})")).collect();
    desk.db()
        .execute_batch(&format!(
            "UPDATE clinic SET idle_lock_minutes = 240;
             INSERT INTO branch (id, name) VALUES (1, 'Main');
             INSERT INTO doctor (id, display_name, department) VALUES (1, 'Dr. Night', 'Family Medicine');
             INSERT INTO doctor_branch VALUES (1, 1);
             INSERT INTO availability_template (doctor_id, branch_id, weekday, start_minute, end_minute) VALUES {};
             INSERT INTO service (id, code, name, duration_minutes) VALUES (1, 'LONG', 'Visit', 30), (2, 'SHORT', 'Quick', 15);
             INSERT INTO patient (id, given_name, family_name, created_at, updated_at) VALUES (1, 'Ana', 'One', 0, 0), (2, 'Ben', 'Two', 0, 0);",
            templates.join(", ")
        ))
        .unwrap();
    let token = frontdesk::session::sign_in(
        &Ctx { desk: &desk, token: None, now: NEW_YEAR },
        frontdesk::session::SignInRequest { username: "owner".into(), password: "correct horse battery".into() },
    )
    .unwrap()
    .0;
    (dir, desk, token)
}

fn slots_on(desk: &Desk, token: &SessionToken, date: &str, service: i64) -> Vec<frontdesk::booking::Slot> {
    frontdesk::booking::free_slots(
        &Ctx { desk, token: Some(token), now: NEW_YEAR },
        SlotQuery {
            service_id: service,
            from_date: Some(date.into()),
            to_date: Some(date.into()),
            ..SlotQuery::default()
        },
    )
    .unwrap()
    .slots
}

/// (zone, day, shift start, shift end, the slots' start labels, 30-minute service)
const SLOT_DAYS: &[(&str, &str, i64, i64, &[&str])] = &[
    // Spring forward at 02:00: 02:00–03:00 does not exist; the shift is three real hours.
    ("America/Vancouver", "2026-03-08", 0, 240, &["00:00", "00:30", "01:00", "01:30", "03:00", "03:30"]),
    // Fall back at 02:00: 01:00–02:00 happens twice, and both passes are offered, labelled.
    (
        "America/Vancouver",
        "2026-11-01",
        0,
        240,
        &["00:00", "00:30", "01:00 PDT", "01:30 PDT", "01:00 PST", "01:30 PST", "02:00", "02:30", "03:00", "03:30"],
    ),
    ("Europe/London", "2026-03-29", 0, 240, &["00:00", "00:30", "02:00", "02:30", "03:00", "03:30"]),
    (
        "Europe/London",
        "2026-10-25",
        0,
        180,
        &["00:00", "00:30", "01:00 BST", "01:30 BST", "01:00 GMT", "01:30 GMT", "02:00", "02:30"],
    ),
    ("Asia/Kolkata", "2026-03-08", 0, 240, &["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]),
    ("Asia/Kolkata", "2026-11-01", 0, 120, &["00:00", "00:30", "01:00", "01:30"]),
    // A shift ending at 24:00 offers its last slot, which ends at the next midnight.
    ("America/Vancouver", "2026-11-02", 1320, 1440, &["22:00", "22:30", "23:00", "23:30"]),
    ("Europe/London", "2026-10-25", 1320, 1440, &["22:00", "22:30", "23:00", "23:30"]),
    ("Asia/Kolkata", "2026-11-01", 1320, 1440, &["22:00", "22:30", "23:00", "23:30"]),
];

#[test]
fn slots_on_transition_days_last_their_length_and_are_labelled_unambiguously() {
    for (zone, date, start, end, labels) in SLOT_DAYS {
        let (_dir, desk, token) = clinic_in(zone, *start, *end);
        let slots = slots_on(&desk, &token, date, 1);
        let shown: Vec<&str> = slots.iter().map(|s| s.start_local.as_str()).collect();
        assert_eq!(&shown, labels, "{zone} {date}");
        for s in &slots {
            assert_eq!(
                s.ends_at - s.starts_at,
                30 * 60,
                "{zone} {date} {}: stored length is the service's",
                s.start_local
            );
            assert_eq!(s.date, *date, "{zone}: a slot belongs to its shift's day");
        }
        for pair in slots.windows(2) {
            assert!(pair[0].ends_at <= pair[1].starts_at, "{zone} {date}: slots never overlap in real time");
        }
        // Every slot offered can be booked (one patient a slot; they are back to back).
        let ctx = Ctx { desk: &desk, token: Some(&token), now: NEW_YEAR };
        for (i, s) in slots.iter().enumerate() {
            desk.db()
                .execute(
                    "INSERT INTO patient (given_name, family_name, created_at, updated_at) VALUES ('P', ?1, 0, 0)",
                    [format!("Slot{i}")],
                )
                .unwrap();
            let patient = desk.db().last_insert_rowid();
            frontdesk::booking::book(&ctx, booking(patient, 1, s.starts_at))
                .unwrap_or_else(|e| panic!("{zone} {date} {}: offered but refused: {e}", s.start_local));
        }
    }
    // The 15-minute service on the autumn day, the shift ending inside the repeated hour's first
    // pass as written (01:30), so its last slots are the second pass.
    let (_dir, desk, token) = clinic_in("America/Vancouver", 0, 90);
    let ctx = Ctx { desk: &desk, token: Some(&token), now: NEW_YEAR };
    for s in slots_on(&desk, &token, "2026-11-01", 2) {
        frontdesk::booking::book(&ctx, booking(1, 2, s.starts_at))
            .unwrap_or_else(|e| panic!("{}: offered but refused: {e}", s.start_local));
        desk.db().execute("UPDATE appointment SET status = 'cancelled'", []).unwrap();
    }
}

fn booking(patient_id: i64, service_id: i64, starts_at: i64) -> BookRequest {
    BookRequest {
        patient_id,
        caller_name: String::new(),
        caller_relationship: "self".into(),
        doctor_id: 1,
        branch_id: 1,
        service_id,
        starts_at,
        reason: "check-up".into(),
        source: Source::Phone,
        referral: String::new(),
        notes: String::new(),
        follow_up: false,
        follow_up_on: None,
    }
}

#[test]
fn the_second_pass_of_the_autumn_hour_books_and_shows_as_itself() {
    let (_dir, desk, token) = clinic_in("America/Vancouver", 0, 240);
    let slots = slots_on(&desk, &token, "2026-11-01", 1);
    let second = slots.iter().find(|s| s.start_local == "01:30 PST").expect("the second 01:30 is offered");
    let first = slots.iter().find(|s| s.start_local == "01:30 PDT").expect("and the first");
    assert_eq!(second.starts_at - first.starts_at, 3600, "an hour apart in real time");
    let ctx = Ctx { desk: &desk, token: Some(&token), now: NEW_YEAR };
    let book = |patient: i64, starts_at: i64| frontdesk::booking::book(&ctx, booking(patient, 1, starts_at));
    let a = book(1, first.starts_at).unwrap();
    let b = book(2, second.starts_at).expect("the same wall-clock time an hour later is free");
    // Half an hour after 01:30 PDT the clocks have gone back: it ends at 01:00 PST.
    assert_eq!(
        (a.end_local.as_str(), b.start_local.as_str(), b.end_local.as_str()),
        ("01:00 PST", "01:30 PST", "02:00")
    );
    let day = frontdesk::schedule::day(&ctx, DayRequest { date: Some("2026-11-01".into()), branch_id: None }).unwrap();
    let shown: Vec<&str> = day.appointments.iter().map(|a| a.start_local.as_str()).collect();
    assert_eq!(shown, ["01:30 PDT", "01:30 PST"], "the day view tells them apart");
}

// ---------------------------------------------------------------------------------------------
// Arbitrary instants, dates and lengths: no panic, and every refusal is one the person can act on.

fn acceptable(e: frontdesk::Error) -> Result<(), TestCaseError> {
    let api = ApiError::from(e);
    prop_assert!(
        matches!(api.code, ErrorCode::InvalidInput | ErrorCode::Conflict | ErrorCode::NotFound),
        "a refusal must be the person's to fix, not {:?}: {}",
        api.code,
        api.message
    );
    prop_assert!(!api.message.is_empty());
    Ok(())
}

fn instant() -> impl Strategy<Value = i64> {
    prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN), (NEW_YEAR - 400 * 86_400..NEW_YEAR + 8 * 366 * 86_400),]
}

fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (-300_000i32..300_000, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (1990i32..2040, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        ".*".prop_map(|s: String| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn booking_and_slots_take_any_instant_without_panicking(
        starts_at in instant(),
        length in prop_oneof![any::<i64>(), -10i64..2000],
        from in date_text(),
        to in date_text(),
        day in date_text(),
    ) {
        let (_dir, desk, token) = clinic_in("America/Vancouver", 0, 1440);
        // A service of any length the schema allows (5 minutes to 8 hours).
        let _ = desk.db().execute("UPDATE service SET duration_minutes = ?1 WHERE id = 2", [length]);
        let ctx = Ctx { desk: &desk, token: Some(&token), now: NEW_YEAR };
        for service_id in [1, 2] {
            let q = SlotQuery {
                service_id,
                from_date: Some(from.clone()),
                to_date: Some(to.clone()),
                limit: Some(3),
                ..SlotQuery::default()
            };
            if let Err(e) = frontdesk::booking::free_slots(&ctx, q.clone()) { acceptable(e)?; }
            if let Err(e) = frontdesk::booking::find_earliest(&ctx, q) { acceptable(e)?; }
            let req = BookRequest { follow_up: true, follow_up_on: Some(day.clone()), ..booking(1, service_id, starts_at) };
            match frontdesk::booking::book(&ctx, req) {
                Ok(a) => {
                    prop_assert!(a.ends_at > a.starts_at);
                    let moved = frontdesk::booking::reschedule(&ctx, RescheduleRequest {
                        appointment_id: a.id,
                        doctor_id: 1,
                        branch_id: 1,
                        starts_at: starts_at.wrapping_add(length.wrapping_mul(60)),
                        service_id: Some(service_id),
                    });
                    if let Err(e) = moved { acceptable(e)?; }
                }
                Err(e) => acceptable(e)?,
            }
            let walk = frontdesk::booking::walk_in(&ctx, WalkInRequest {
                patient_id: 2, branch_id: 1, doctor_id: None, service_id, reason: String::new(),
            });
            if let Err(e) = walk { acceptable(e)?; }
        }
        if let Err(e) = frontdesk::schedule::day(&ctx, DayRequest { date: Some(day), branch_id: None }) {
            acceptable(e)?;
        }
        let late = Ctx { desk: &desk, token: Some(&token), now: NEW_YEAR + 60 };
        let missed = frontdesk::callbacks::record_missed_call(&late, frontdesk::callbacks::MissedCallRequest {
            caller_number: "+1 604 555 0101".into(),
            at: Some(starts_at),
            line: String::new(),
            branch_id: None,
            source: frontdesk::callbacks::CallSource::Staff,
        });
        if let Err(e) = missed { acceptable(e)?; }
    }
}

#[test]
fn a_date_is_written_one_way_in_the_order_of_the_clinics_region() {
    use frontdesk::clock::{birth_date_label, date_label, DateOrder};
    let d = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    assert_eq!(DateOrder::of_region("IN"), DateOrder::DayFirst);
    assert_eq!(DateOrder::of_region("GB"), DateOrder::DayFirst);
    assert_eq!(DateOrder::of_region("US"), DateOrder::MonthFirst);
    assert_eq!(DateOrder::of_region("CA"), DateOrder::MonthFirst);
    assert_eq!(date_label(DateOrder::DayFirst, d), "Tue 8 Dec 2026");
    assert_eq!(date_label(DateOrder::MonthFirst, d), "Tue Dec 8, 2026");
    assert_eq!(birth_date_label(DateOrder::DayFirst, NaiveDate::from_ymd_opt(1984, 1, 31).unwrap()), "31 Jan 1984");
    assert_eq!(birth_date_label(DateOrder::MonthFirst, NaiveDate::from_ymd_opt(1984, 1, 31).unwrap()), "Jan 31, 1984");
}
