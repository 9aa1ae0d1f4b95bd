//! Signing in: argon2id hashes, five failures lock for fifteen minutes, deactivated staff are
//! refused at once (open sessions included), the idle lock, and every role × action pair.

mod common;

use common::*;
use frontdesk::roles::{allowed, Action, Role};
use frontdesk::schedule::{DayRequest, SetStatusRequest};
use frontdesk::session::{SignInRequest, UnlockRequest};
use frontdesk::status::Status;
use frontdesk::{ApiError, ErrorCode};

fn code(e: frontdesk::Error) -> ErrorCode {
    ApiError::from(e).code
}

fn try_sign_in(desk: &frontdesk::Desk, user: &str, pass: &str, now: i64) -> Result<frontdesk::SessionToken, ErrorCode> {
    frontdesk::session::sign_in(&ctx(desk, None, now), SignInRequest { username: user.into(), password: pass.into() })
        .map(|(t, _)| t)
        .map_err(code)
}

#[test]
fn passwords_are_stored_as_argon2id_hashes() {
    let (_dir, desk) = set_up_desk();
    let hash: String =
        desk.db().query_row("SELECT password_hash FROM staff WHERE username = 'owner'", [], |r| r.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$"), "passwords must be argon2id hashes, got {hash}");
    assert!(!hash.contains(OWNER.1));
}

#[test]
fn five_failures_lock_the_account_for_fifteen_minutes() {
    let (_dir, desk) = set_up_desk();
    for attempt in 1..=5 {
        assert_eq!(try_sign_in(&desk, "owner", "wrong", NOW + attempt).err(), Some(ErrorCode::BadCredentials));
    }
    assert_eq!(
        try_sign_in(&desk, "owner", OWNER.1, NOW + 60).err(),
        Some(ErrorCode::BadCredentials),
        "even the right password is refused during the lockout"
    );
    let locked_attempts: i64 = desk
        .db()
        .query_row("SELECT COUNT(*) FROM audit_event WHERE action = 'session.sign_in_while_locked'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(locked_attempts, 1, "an attempt during the lockout is audited");
    assert!(try_sign_in(&desk, "owner", OWNER.1, NOW + 5 + 15 * 60).is_ok(), "the lockout ends after 15 minutes");
}

#[test]
fn every_refusal_answers_the_same_whoever_the_username_names() {
    let (_dir, desk) = demo_desk();
    // A locked account and a deactivated one beside an unknown name and a wrong password.
    for i in 0..5 {
        let _ = try_sign_in(&desk, "admin", "wrong", NOW + i);
    }
    desk.db().execute("UPDATE staff SET active = 0 WHERE username = 'reception2'", []).unwrap();
    let answer = |user: &str, pass: &str| {
        let e = frontdesk::session::sign_in(
            &ctx(&desk, None, NOW + 30),
            SignInRequest { username: user.into(), password: pass.into() },
        )
        .err()
        .unwrap();
        let api = ApiError::from(e);
        (api.code, api.message, api.field)
    };
    let unknown = answer("nobody-here", "whatever-password");
    assert_eq!(unknown.0, ErrorCode::BadCredentials);
    assert_eq!(answer("reception", "wrong-password"), unknown, "a wrong password");
    assert_eq!(answer("admin", "frontdesk-admin"), unknown, "a locked account, even with its password");
    assert_eq!(answer("reception2", "frontdesk-demo"), unknown, "a deactivated account, even with its password");
    assert!(unknown.1.contains("locked"), "the one answer still tells a locked-out person why: {}", unknown.1);
}

#[test]
fn password_hashes_use_at_least_the_owasp_argon2id_parameters() {
    let (_dir, desk) = set_up_desk();
    let hash: String =
        desk.db().query_row("SELECT password_hash FROM staff WHERE username = 'owner'", [], |r| r.get(0)).unwrap();
    // $argon2id$v=19$m=19456,t=2,p=1$salt$hash
    let params = hash.split('$').nth(3).unwrap();
    let value =
        |k: &str| -> u32 { params.split(',').find_map(|p| p.strip_prefix(&format!("{k}="))).unwrap().parse().unwrap() };
    assert!(value("m") >= 19 * 1024 && value("t") >= 2 && value("p") >= 1, "{params}");
}

#[test]
fn signing_in_again_ends_the_previous_session() {
    let (_dir, desk) = demo_desk();
    let first = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    // Someone else signs in at the same desk (the shell passes the desk's current token).
    let (second, _) = frontdesk::session::sign_in(
        &ctx(&desk, Some(&first), NOW + 1),
        SignInRequest { username: "owner".into(), password: "frontdesk-owner".into() },
    )
    .unwrap();
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&first), NOW + 2), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::NotSignedIn, "the previous person's session ended");
    // The same person signing in again elsewhere on this desk: their older session ends too.
    let third = sign_in(&desk, "owner", "frontdesk-owner", NOW + 3);
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&second), NOW + 4), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::NotSignedIn, "no orphan live sessions");
    assert!(frontdesk::schedule::day(&ctx(&desk, Some(&third), NOW + 4), DayRequest::default()).is_ok());
}

#[test]
fn a_success_resets_the_failure_count() {
    let (_dir, desk) = set_up_desk();
    for i in 0..4 {
        let _ = try_sign_in(&desk, "owner", "wrong", NOW + i);
    }
    assert!(try_sign_in(&desk, "owner", OWNER.1, NOW + 10).is_ok());
    for i in 0..4 {
        assert_eq!(try_sign_in(&desk, "owner", "wrong", NOW + 20 + i).err(), Some(ErrorCode::BadCredentials));
    }
}

#[test]
fn unknown_usernames_get_the_same_answer_as_wrong_passwords() {
    let (_dir, desk) = set_up_desk();
    assert_eq!(try_sign_in(&desk, "nobody", "whatever", NOW).err(), Some(ErrorCode::BadCredentials));
}

#[test]
fn deactivated_staff_are_refused_at_once_including_open_sessions() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    assert!(frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).is_ok());
    desk.db().execute("UPDATE staff SET active = 0 WHERE username = 'reception'", []).unwrap();
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW + 1), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::NotSignedIn, "an open session of a deactivated person must stop working at once");
    assert_eq!(try_sign_in(&desk, "reception", "frontdesk-demo", NOW + 2).err(), Some(ErrorCode::BadCredentials));
}

#[test]
fn the_desk_locks_after_the_idle_period_and_unlocks_with_the_password() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let idle = 10 * 60; // the default idle_lock_minutes
    assert!(frontdesk::session::touch(&ctx(&desk, Some(&token), NOW + idle - 1)).is_ok(), "activity keeps it open");
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW + 2 * idle), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::SessionLocked);
    let wrong = frontdesk::session::unlock(
        &ctx(&desk, Some(&token), NOW + 2 * idle),
        UnlockRequest { password: "nope".into() },
    );
    assert_eq!(wrong.err().map(code), Some(ErrorCode::BadCredentials));
    let info = frontdesk::session::unlock(
        &ctx(&desk, Some(&token), NOW + 2 * idle),
        UnlockRequest { password: "frontdesk-demo".into() },
    )
    .expect("unlock with the right password");
    assert_eq!(info.username, "reception");
    assert!(frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW + 2 * idle + 5), DayRequest::default()).is_ok());
}

#[test]
fn background_reads_do_not_keep_an_unattended_desk_unlocked() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let idle = 10 * 60;
    // The window refreshes the schedule on its own (events from other desks) while nobody is there.
    assert!(frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW + idle - 5), DayRequest::default()).is_ok());
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW + idle + 5), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::SessionLocked, "reads must not count as a person's activity");
}

#[test]
fn the_screens_refreshing_their_queues_and_alerts_do_not_keep_a_desk_unlocked() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let idle = 10 * 60;
    // Everything an unattended window refreshes by itself, again and again, until just before
    // the idle period ends.
    for minute in (1..10).map(|m| NOW + m * 60 - 5) {
        let c = ctx(&desk, Some(&token), minute);
        frontdesk::work::work_waiting(&c).unwrap();
        frontdesk::callbacks::callback_queue(&c, Default::default()).unwrap();
        frontdesk::escalations::list(&c, Default::default()).unwrap();
        frontdesk::alerts::list(&c).unwrap();
        frontdesk::alerts::preferences(&c).unwrap();
        frontdesk::patients::registration_reviews(&c).unwrap();
        frontdesk::booking::walk_ins(&c).unwrap();
        frontdesk::waitlist::waitlist(&c).unwrap();
        frontdesk::session::current(&c).unwrap();
    }
    let e = frontdesk::work::work_waiting(&ctx(&desk, Some(&token), NOW + idle + 5)).err().unwrap();
    assert_eq!(code(e), ErrorCode::SessionLocked, "only a person's input and changes are activity");
}

#[test]
fn an_explicit_lock_applies_at_once() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    frontdesk::session::lock(&ctx(&desk, Some(&token), NOW)).unwrap();
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW + 1), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::SessionLocked);
}

#[test]
fn signing_out_ends_the_session() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    frontdesk::session::sign_out(&ctx(&desk, Some(&token), NOW)).unwrap();
    let e = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).err().unwrap();
    assert_eq!(code(e), ErrorCode::NotSignedIn);
}

/// The whole permission table, written out so any change to it is a deliberate diff.
#[test]
fn every_role_and_action_pair_is_as_designed() {
    use Action::*;
    let expected: &[(Role, &[Action])] = &[
        (
            Role::Owner,
            &[
                ViewSchedule,
                UpdateAppointmentStatus,
                ViewPatient,
                EditPatient,
                MergePatients,
                BookAppointment,
                WorkQueues,
                ViewAudit,
                ManageSettings,
                ManageStaff,
                ManagePractice,
                ImportPatients,
                ManageSupportAccess,
            ],
        ),
        (
            Role::Admin,
            &[
                ViewSchedule,
                UpdateAppointmentStatus,
                ViewPatient,
                EditPatient,
                MergePatients,
                BookAppointment,
                WorkQueues,
                ViewAudit,
                ManageSettings,
                ManageStaff,
                ManagePractice,
                ImportPatients,
                ManageSupportAccess,
            ],
        ),
        (
            Role::Receptionist,
            &[ViewSchedule, UpdateAppointmentStatus, ViewPatient, EditPatient, BookAppointment, WorkQueues],
        ),
        (Role::Doctor, &[ViewSchedule, UpdateAppointmentStatus, ViewPatient]),
        (Role::Reviewer, &[ViewSchedule, ViewPatient, WorkQueues]),
        (Role::Operations, &[ViewSchedule, ViewAudit]),
        (Role::Support, &[ViewSchedule, RequestSupportAccess]),
    ];
    for role in Role::ALL {
        let row = expected.iter().find(|(r, _)| *r == role).expect("every role has a row").1;
        for action in Action::ALL {
            assert_eq!(allowed(role, action), row.contains(&action), "{role:?} × {action:?}");
        }
    }
}

#[test]
fn the_core_refuses_what_the_role_does_not_allow() {
    let (_dir, desk) = demo_desk();
    let hash = frontdesk::session::hash_password("support-pass-123").unwrap();
    desk.db()
        .execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES ('support1', 'Sam Support', 'support', ?1, 0)",
            [hash],
        )
        .unwrap();
    let token = sign_in(&desk, "support1", "support-pass-123", NOW);
    // Inside an approved `schedule` support session (without one, support sees nothing at all:
    // tests/support.rs).
    desk.db()
        .execute(
            "INSERT INTO support_session (staff_id, reason, scope, minutes, requested_at, decision, decided_at, starts_at, expires_at)
             SELECT id, 'checking the schedule', 'schedule', 60, ?1, 'approved', ?1, ?1, ?1 + 3600 FROM staff WHERE username = 'support1'",
            [NOW],
        )
        .unwrap();
    let id: i64 =
        desk.db().query_row("SELECT id FROM appointment WHERE status = 'booked' LIMIT 1", [], |r| r.get(0)).unwrap();
    let e = frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed: true },
    )
    .err()
    .unwrap();
    assert_eq!(code(e), ErrorCode::Forbidden, "support may not change appointments, whatever the UI shows");
    let view = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).unwrap();
    assert!(
        view.appointments.iter().all(|a| a.patient_name.starts_with("Patient #") && a.reason.is_empty()),
        "a role without patient access sees ids, never names or reasons"
    );
    let e = frontdesk::compliance::verify_chain(&ctx(&desk, Some(&token), NOW)).err().unwrap();
    assert_eq!(code(e), ErrorCode::Forbidden);
}

/// "Their patients", exactly: a doctor's account moves the appointments of the doctor on the
/// schedule it is linked to, and no one else's; unlinked, none. The day view says which.
#[test]
fn a_doctor_moves_only_their_own_patients() {
    let (_dir, desk) = demo_desk();
    let token = add_staff(&desk, "drlinked", "doctor");
    let staff_id: i64 =
        desk.db().query_row("SELECT id FROM staff WHERE username = 'drlinked'", [], |r| r.get(0)).unwrap();
    let booked = |doctor: &str| -> (i64, i64) {
        desk.db()
            .query_row(
                &format!("SELECT id, doctor_id FROM appointment WHERE status = 'booked' AND doctor_id {doctor} ORDER BY id LIMIT 1"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    let (mine, my_doctor) = booked("IS NOT NULL");
    let (theirs, _) = booked(&format!("<> {my_doctor}"));
    let arrive = |id: i64| {
        frontdesk::schedule::set_status(
            &ctx(&desk, Some(&token), NOW),
            SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed: true },
        )
    };

    // Not linked yet: nothing of theirs to move, and the day view is read-only.
    let e = ApiError::from(arrive(mine).unwrap_err());
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("not linked to a doctor"), "{}", e.message);
    let view = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).unwrap();
    assert!(!view.can_update);

    desk.db().execute("UPDATE doctor SET staff_id = ?1 WHERE id = ?2", [staff_id, my_doctor]).unwrap();
    let view = frontdesk::schedule::day(&ctx(&desk, Some(&token), NOW), DayRequest::default()).unwrap();
    assert_eq!((view.can_update, view.only_doctor_id), (true, Some(my_doctor)));
    let e = ApiError::from(arrive(theirs).unwrap_err());
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("another doctor"), "{}", e.message);
    let status: String =
        desk.db().query_row("SELECT status FROM appointment WHERE id = ?1", [theirs], |r| r.get(0)).unwrap();
    assert_eq!(status, "booked", "refused means unchanged");
    assert_eq!(arrive(mine).expect("their own patient").status, Status::Arrived);

    // Everyone else with the action moves any appointment, and is told so by an empty scope.
    let desk_token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let view = frontdesk::schedule::day(&ctx(&desk, Some(&desk_token), NOW), DayRequest::default()).unwrap();
    assert_eq!((view.can_update, view.only_doctor_id), (true, None));
}
