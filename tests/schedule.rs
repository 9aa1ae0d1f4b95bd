//! The day's schedule and the status cycle, against the demo clinic in a real database file.

mod common;

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use common::*;
use frontdesk::events::Event;
use frontdesk::schedule::{day_bounds, AppointmentRequest, DayRequest, SetStatusRequest};
use frontdesk::status::{can_move, Status};
use frontdesk::{ApiError, ErrorCode};

#[test]
fn the_status_cycle_allows_exactly_the_front_desk_moves() {
    use Status::*;
    let allowed = [
        (Booked, Confirmed),
        (Booked, Arrived),
        (Booked, NoShow),
        (Booked, Cancelled),
        (Booked, Rescheduled),
        (Confirmed, Booked),
        (Confirmed, Arrived),
        (Confirmed, NoShow),
        (Confirmed, Cancelled),
        (Confirmed, Rescheduled),
        (Arrived, InRoom),
        (Arrived, Completed),
        (Arrived, Confirmed),
        (Arrived, NoShow),
        (InRoom, Completed),
        (InRoom, Arrived),
        (NoShow, Arrived),
        (NoShow, Booked),
    ];
    for from in Status::ALL {
        for to in Status::ALL {
            assert_eq!(can_move(from, to), allowed.contains(&(from, to)), "{from:?} → {to:?}");
        }
    }
}

#[test]
fn local_days_have_the_right_length_across_daylight_saving_changes() {
    let tz: chrono_tz::Tz = "America/Toronto".parse().unwrap();
    let len = |d: &str| {
        let (a, b) = day_bounds(tz, NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        (b - a) / 3600
    };
    assert_eq!(len("2026-11-23"), 24);
    assert_eq!(len("2026-03-08"), 23, "spring forward: the day has 23 hours");
    assert_eq!(len("2026-11-01"), 25, "fall back: the day has 25 hours");
    let kolkata: chrono_tz::Tz = "Asia/Kolkata".parse().unwrap();
    let (start, _) = day_bounds(kolkata, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    assert_eq!(start, 1_795_372_200, "midnight IST is 18:30 UTC the day before");
}

#[test]
fn today_shows_one_column_per_working_doctor_and_counts_by_status() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let view = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).unwrap();
    assert_eq!(view.date, "2026-11-23");
    assert_eq!(view.today, "2026-11-23");
    assert_eq!(view.branches.len(), 2);
    assert!(view.doctors.len() >= 5, "most of the 8 doctors work on a Monday: {}", view.doctors.len());
    assert!(view.appointments.len() > 40, "a busy Monday: {}", view.appointments.len());
    let c = &view.counts;
    let total = c.booked + c.confirmed + c.arrived + c.in_room + c.completed + c.no_show + c.cancelled + c.rescheduled;
    assert_eq!(total as usize, view.appointments.len(), "counts add up to the listed appointments");
    assert!(c.completed > 0 && c.booked + c.confirmed > 0, "at 10:00 some visits are done and some are to come");
    // The frame's count of today, read without the rows, is the same.
    let today = frontdesk::schedule::today_counts(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert_eq!(today.today, view.today);
    assert_eq!(format!("{:?}", today.counts), format!("{c:?}"));
    assert!(view.appointments.windows(2).all(|w| w[0].starts_at <= w[1].starts_at), "sorted by time");
    let first = &view.appointments[0];
    assert!(first.start_local.as_str() >= "09:00", "times are shown in the clinic's zone: {}", first.start_local);
    for a in &view.appointments {
        assert!(view.doctors.iter().any(|d| d.id == a.doctor_id), "every appointment has its doctor's column");
    }

    // The branch filter narrows both the appointments and the columns.
    let branch = view.branches[0].id;
    let one =
        frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest { date: None, branch_id: Some(branch) })
            .unwrap();
    assert!(one.appointments.iter().all(|a| a.branch_id == branch));
    assert!(one.appointments.len() < view.appointments.len());

    // A bad date says how to write one.
    let e = frontdesk::schedule::day(
        &ctx(&desk, Some(&token), NOW),
        DayRequest { date: Some("23/11/2026".into()), branch_id: None },
    )
    .err()
    .unwrap();
    let api = ApiError::from(e);
    assert_eq!((api.code, api.field.as_deref()), (ErrorCode::InvalidInput, Some("date")));
}

#[test]
fn arriving_records_the_time_and_publishes_an_event_after_commit() {
    let (_dir, desk) = demo_desk();
    let seen: Arc<Mutex<Vec<Event>>> = Arc::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let view = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).unwrap();
    let target =
        view.appointments.iter().find(|a| a.status == Status::Confirmed || a.status == Status::Booked).unwrap();

    let row = frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW + 30),
        SetStatusRequest { appointment_id: target.id, status: Status::Arrived, confirmed: true },
    )
    .unwrap();
    assert_eq!(row.status, Status::Arrived);
    assert_eq!(row.arrived_at, Some(NOW + 30), "the arrival time is recorded so the wait can be shown");
    assert!(frontdesk::status::next_statuses(row.status).contains(&Status::InRoom));
    assert!(seen
        .lock()
        .unwrap()
        .contains(&Event::AppointmentChanged { appointment_id: target.id, date: "2026-11-23".into() }));

    let row = frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW + 600),
        SetStatusRequest { appointment_id: target.id, status: Status::InRoom, confirmed: true },
    )
    .unwrap();
    assert_eq!((row.arrived_at, row.in_room_at), (Some(NOW + 30), Some(NOW + 600)));

    // It persists: a new desk on the same file sees it.
    let detail = frontdesk::schedule::appointment(
        &ctx(&desk, Some(&token), NOW + 601),
        AppointmentRequest { appointment_id: target.id },
    )
    .unwrap();
    assert_eq!(detail.appointment.status, Status::InRoom);
    assert!(detail.patient.is_some());
    assert_eq!(detail.history.len(), 2, "both changes are in the appointment's history");
}

#[test]
fn an_illegal_move_is_refused_with_the_allowed_ones_and_changes_nothing() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let id: i64 =
        desk.db().query_row("SELECT id FROM appointment WHERE status = 'cancelled' LIMIT 1", [], |r| r.get(0)).unwrap();
    let e = frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed: true },
    )
    .err()
    .unwrap();
    let api = ApiError::from(e);
    assert_eq!(api.code, ErrorCode::Conflict);
    assert!(api.message.contains("cancelled") && api.message.contains("book a new appointment"), "{}", api.message);
    let status: String =
        desk.db().query_row("SELECT status FROM appointment WHERE id = ?1", [id], |r| r.get(0)).unwrap();
    assert_eq!(status, "cancelled");

    let e = frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: 99_999_999, status: Status::Arrived, confirmed: true },
    )
    .err()
    .unwrap();
    assert_eq!(ApiError::from(e).code, ErrorCode::NotFound);
}

#[test]
fn cancelling_and_rescheduling_go_through_their_own_commands() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let id: i64 =
        desk.db().query_row("SELECT id FROM appointment WHERE status = 'booked' LIMIT 1", [], |r| r.get(0)).unwrap();
    for status in [Status::Cancelled, Status::Rescheduled] {
        let e = frontdesk::schedule::set_status(
            &ctx(&desk, Some(&token), NOW),
            SetStatusRequest { appointment_id: id, status, confirmed: true },
        )
        .err()
        .unwrap();
        let api = ApiError::from(e);
        assert_eq!((api.code, api.field.as_deref()), (ErrorCode::InvalidInput, Some("status")), "{}", api.message);
    }
}

#[test]
fn holidays_and_leave_are_named_on_their_days() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let day = |date: &str| {
        frontdesk::schedule::day(
            &ctx(&desk, Some(&token), NOW),
            DayRequest { date: Some(date.into()), branch_id: None },
        )
        .unwrap()
    };
    // The demo puts a clinic holiday ten days ahead and Dr. Rajiv Malhotra's leave 3–5 days ahead.
    let holiday = day("2026-12-03");
    assert_eq!(holiday.notices, vec!["Clinic closed: Clinic holiday".to_owned()]);
    assert!(holiday.appointments.is_empty(), "nothing is booked on a clinic holiday");
    let leave = day("2026-11-26");
    assert!(leave.notices.iter().any(|n| n.starts_with("Dr. Rajiv Malhotra on leave")), "{:?}", leave.notices);
    assert!(day("2026-11-23").notices.is_empty());
}

#[test]
fn changes_survive_reopening_the_database() {
    let (dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let id: i64 =
        desk.db().query_row("SELECT id FROM appointment WHERE status = 'booked' LIMIT 1", [], |r| r.get(0)).unwrap();
    frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed: true },
    )
    .unwrap();
    drop(desk);
    let desk = frontdesk::Desk::open(dir.path()).unwrap();
    let status: String =
        desk.db().query_row("SELECT status FROM appointment WHERE id = ?1", [id], |r| r.get(0)).unwrap();
    assert_eq!(status, "arrived");
}

#[test]
fn an_arrival_on_another_day_or_hours_early_is_asked_not_assumed() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let status_of = |id: i64| -> String {
        desk.db().query_row("SELECT status FROM appointment WHERE id = ?1", [id], |r| r.get(0)).unwrap()
    };
    let arrive = |id: i64, confirmed: bool| {
        frontdesk::schedule::set_status(
            &ctx(&desk, Some(&token), NOW),
            SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed },
        )
    };
    let (today_start, today_end) =
        day_bounds(chrono_tz::America::Toronto, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let pick = |sql: &str| -> i64 { desk.db().query_row(sql, [today_start, today_end, NOW], |r| r.get(0)).unwrap() };

    // Tomorrow's patient at the desk today: asked, with both days named, and nothing changes.
    let tomorrow = pick(
        "SELECT id FROM appointment WHERE status IN ('booked','confirmed') AND starts_at >= ?2 + 3600 AND ?1 <= ?3 ORDER BY starts_at LIMIT 1",
    );
    let api = ApiError::from(arrive(tomorrow, false).unwrap_err());
    assert_eq!(api.code, ErrorCode::NeedsConfirmation, "{}", api.message);
    assert!(api.message.contains("not today") && api.message.contains("Mon Nov 23, 2026"), "{}", api.message);
    assert_ne!(status_of(tomorrow), "arrived", "a question changes nothing");
    assert_eq!(arrive(tomorrow, true).unwrap().status, Status::Arrived, "confirmed, it is done");

    // Later today, more than an hour ahead: asked with how far ahead.
    let later = pick(
        "SELECT id FROM appointment WHERE status IN ('booked','confirmed') AND starts_at >= ?3 + 2 * 3600 AND starts_at < ?2 AND ?1 <= ?3 ORDER BY starts_at LIMIT 1",
    );
    let api = ApiError::from(arrive(later, false).unwrap_err());
    assert_eq!(api.code, ErrorCode::NeedsConfirmation);
    assert!(api.message.contains("from now"), "{}", api.message);
    assert_ne!(status_of(later), "arrived");

    // Within the hour, or late: no question.
    let soon = pick(
        "SELECT id FROM appointment WHERE status IN ('booked','confirmed') AND starts_at BETWEEN ?3 - 3 * 3600 AND ?3 + 3000 AND starts_at >= ?1 AND ?2 > 0 ORDER BY starts_at LIMIT 1",
    );
    assert_eq!(arrive(soon, false).unwrap().status, Status::Arrived);
}
