//! Support sessions on a real clinic file: asking, approving, denying, ending, expiring, the
//! clinic's switch, and what a support account sees with no session, with a `schedule` session
//! and with a `schedule_and_patients` one — down to the audit rows that carry the session id.

mod common;

use common::*;
use frontdesk::roles::Action;
use frontdesk::schedule::{AppointmentRequest, DayRequest, SetStatusRequest};
use frontdesk::status::Status;
use frontdesk::support::{
    SupportAccess, SupportAccessRequest, SupportDecision, SupportRequest, SupportScope, SupportSessionRef,
    SupportStatus,
};
use frontdesk::{ApiError, Desk, Error, ErrorCode, SessionToken};

/// The demo clinic with a long idle lock (the tests move the clock through a session), its owner
/// and a support account, both signed in at [`NOW`].
fn support_desk() -> (tempfile::TempDir, Desk, SessionToken, SessionToken) {
    let (dir, desk) = demo_desk();
    desk.db().execute("UPDATE clinic SET idle_lock_minutes = 240", []).unwrap();
    let owner = sign_in(&desk, "owner", "frontdesk-owner", NOW);
    let support = add_staff(&desk, "vendor1", "support");
    (dir, desk, owner, support)
}

fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> ErrorCode {
    ApiError::from(r.expect_err("expected a refusal")).code
}

fn ask(minutes: i64, scope: SupportScope) -> SupportRequest {
    SupportRequest { reason: "Reminders were not sent since Monday".into(), minutes, scope }
}

fn request(desk: &Desk, support: &SessionToken, minutes: i64, scope: SupportScope) -> i64 {
    frontdesk::support::request(&ctx(desk, Some(support), NOW), ask(minutes, scope)).expect("request a session").id
}

fn approve(desk: &Desk, owner: &SessionToken, id: i64, now: i64) -> frontdesk::support::SupportSession {
    frontdesk::support::decide(&ctx(desk, Some(owner), now), SupportDecision { id, approve: true, deny_reason: None })
        .expect("approve")
}

fn status_at(desk: &Desk, owner: &SessionToken, id: i64, now: i64) -> SupportStatus {
    let desk_view = frontdesk::support::support_desk(&ctx(desk, Some(owner), now)).unwrap();
    desk_view.sessions.into_iter().find(|s| s.id == id).expect("the session is listed").status
}

fn some_appointment(desk: &Desk) -> (i64, i64) {
    desk.db()
        .query_row(
            "SELECT id, patient_id FROM appointment WHERE status = 'booked' ORDER BY starts_at LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn a_request_needs_a_reason_and_between_15_and_480_minutes() {
    let (_dir, desk, _owner, support) = support_desk();
    let c = ctx(&desk, Some(&support), NOW);
    let cases: &[(&str, i64, Option<&str>)] = &[
        ("", 60, Some("reason")),
        ("   ", 60, Some("reason")),
        (&"x".repeat(501), 60, Some("reason")),
        ("Sync stuck", 14, Some("minutes")),
        ("Sync stuck", 0, Some("minutes")),
        ("Sync stuck", -30, Some("minutes")),
        ("Sync stuck", 481, Some("minutes")),
        ("Sync stuck", 15, None),
        ("Sync stuck", 480, None),
    ];
    let audits = audit_count(&desk);
    for (reason, minutes, field) in cases {
        let r = frontdesk::support::request(
            &c,
            SupportRequest { reason: (*reason).into(), minutes: *minutes, scope: SupportScope::Schedule },
        );
        match field {
            Some(field) => {
                let e = ApiError::from(r.unwrap_err());
                assert_eq!(e.code, ErrorCode::InvalidInput, "{minutes} min / {reason:?}: {}", e.message);
                assert_eq!(e.field.as_deref(), Some(*field), "the error names the field to fix: {}", e.message);
                assert_eq!(audit_count(&desk), audits, "a refused request writes nothing");
            }
            None => {
                let s = r.unwrap_or_else(|e| panic!("{minutes} minutes is allowed: {e}"));
                assert_eq!((s.status, s.minutes), (SupportStatus::Requested, *minutes));
                // Withdraw it, so the next case may ask again.
                frontdesk::support::end_own(&c).unwrap();
            }
        }
    }
    let e = ApiError::from(
        frontdesk::support::request(
            &c,
            SupportRequest { reason: "x".into(), minutes: 481, scope: SupportScope::Schedule },
        )
        .unwrap_err(),
    );
    assert!(e.message.contains("15") && e.message.contains("480"), "the message says the range: {}", e.message);
}

#[test]
fn one_request_or_session_at_a_time_and_only_support_asks() {
    let (_dir, desk, owner, support) = support_desk();
    let id = request(&desk, &support, 60, SupportScope::Schedule);
    let c = ctx(&desk, Some(&support), NOW);
    assert_eq!(code(frontdesk::support::request(&c, ask(30, SupportScope::Schedule))), ErrorCode::Conflict);
    approve(&desk, &owner, id, NOW);
    assert_eq!(
        code(frontdesk::support::request(&c, ask(30, SupportScope::Schedule))),
        ErrorCode::Conflict,
        "a running session blocks a second one"
    );
    // Owners approve; they never ask. Receptionists do neither.
    let reception = add_staff(&desk, "reception9", "receptionist");
    assert_eq!(
        code(frontdesk::support::request(&ctx(&desk, Some(&owner), NOW), ask(30, SupportScope::Schedule))),
        ErrorCode::Forbidden
    );
    let r = ctx(&desk, Some(&reception), NOW);
    assert_eq!(code(frontdesk::support::support_desk(&r)), ErrorCode::Forbidden);
    assert_eq!(code(frontdesk::support::end(&r, SupportSessionRef { id })), ErrorCode::Forbidden);
    assert_eq!(code(frontdesk::support::history(&r, SupportSessionRef { id })), ErrorCode::Forbidden);
    assert_eq!(
        code(frontdesk::support::set_access(&r, SupportAccessRequest { access: SupportAccess::Off })),
        ErrorCode::Forbidden
    );
}

#[test]
fn an_approved_session_starts_at_once_runs_its_length_and_expires_by_itself() {
    let (_dir, desk, owner, support) = support_desk();
    let id = request(&desk, &support, 30, SupportScope::Schedule);
    assert_eq!(status_at(&desk, &owner, id, NOW), SupportStatus::Requested);
    let s_ctx = |now| ctx(&desk, Some(&support), now);
    assert_eq!(
        code(frontdesk::schedule::day(&s_ctx(NOW), DayRequest::default())),
        ErrorCode::SupportSessionRequired,
        "a request waiting for a decision grants nothing"
    );

    let approved_at = NOW + 120;
    let s = approve(&desk, &owner, id, approved_at);
    assert_eq!(s.status, SupportStatus::Approved);
    assert_eq!((s.starts_at, s.expires_at), (Some(approved_at), Some(approved_at + 30 * 60)));
    assert_eq!(s.decided_by_name.as_deref(), Some("Neha Kapoor"));

    let last_second = approved_at + 30 * 60 - 1;
    frontdesk::schedule::day(&s_ctx(last_second), DayRequest::default()).expect("inside the session");
    assert_eq!(status_at(&desk, &owner, id, last_second), SupportStatus::Approved);

    let expiry = approved_at + 30 * 60;
    assert_eq!(status_at(&desk, &owner, id, expiry), SupportStatus::Expired, "expiry is a comparison with now");
    assert_eq!(
        code(frontdesk::schedule::day(&s_ctx(expiry), DayRequest::default())),
        ErrorCode::SupportSessionRequired,
        "after expiry support is refused again, with no job having run"
    );
    assert!(
        frontdesk::support::active(&ctx(&desk, Some(&owner), expiry)).unwrap().is_empty(),
        "no banner after expiry"
    );
    assert_eq!(
        code(frontdesk::support::end(&ctx(&desk, Some(&owner), expiry), SupportSessionRef { id })),
        ErrorCode::Conflict,
        "an expired session cannot be ended"
    );
    // Once it expired, a new request may be made.
    frontdesk::support::request(&s_ctx(expiry), ask(15, SupportScope::Schedule)).expect("ask again after expiry");
}

#[test]
fn a_denied_request_says_why_and_grants_nothing() {
    let (_dir, desk, owner, support) = support_desk();
    let id = request(&desk, &support, 60, SupportScope::ScheduleAndPatients);
    let o = ctx(&desk, Some(&owner), NOW);
    let denied = frontdesk::support::decide(
        &o,
        SupportDecision { id, approve: false, deny_reason: Some("  Not during clinic hours  ".into()) },
    )
    .unwrap();
    assert_eq!(denied.status, SupportStatus::Denied);
    assert_eq!(denied.deny_reason.as_deref(), Some("Not during clinic hours"));
    assert_eq!(denied.starts_at, None);
    assert_eq!(
        code(frontdesk::support::decide(&o, SupportDecision { id, approve: true, deny_reason: None })),
        ErrorCode::Conflict,
        "a decision is made once"
    );
    let s = ctx(&desk, Some(&support), NOW);
    let mine = frontdesk::support::mine(&s).unwrap();
    assert_eq!(mine.latest.map(|l| l.status), Some(SupportStatus::Denied), "the support person sees the answer");
    assert_eq!(code(frontdesk::schedule::day(&s, DayRequest::default())), ErrorCode::SupportSessionRequired);
    let summary: String = desk
        .db()
        .query_row("SELECT summary FROM audit_event WHERE action = 'support.denied'", [], |r| r.get(0))
        .unwrap();
    assert!(!summary.contains("clinic hours"), "free text stays out of the audit log: {summary}");
}

#[test]
fn a_session_ends_early_by_the_owner_or_by_the_support_person() {
    let (_dir, desk, owner, support) = support_desk();
    let id = request(&desk, &support, 120, SupportScope::Schedule);
    approve(&desk, &owner, id, NOW);
    let ended = frontdesk::support::end(&ctx(&desk, Some(&owner), NOW + 60), SupportSessionRef { id }).unwrap();
    assert_eq!((ended.status, ended.ended_at), (SupportStatus::Ended, Some(NOW + 60)));
    assert_eq!(ended.ended_by_name.as_deref(), Some("Neha Kapoor"));
    let s = ctx(&desk, Some(&support), NOW + 61);
    assert_eq!(code(frontdesk::schedule::day(&s, DayRequest::default())), ErrorCode::SupportSessionRequired);

    // The support person ends their own.
    let id = frontdesk::support::request(&s, ask(60, SupportScope::Schedule)).unwrap().id;
    approve(&desk, &owner, id, NOW + 62);
    let s = ctx(&desk, Some(&support), NOW + 90);
    frontdesk::schedule::day(&s, DayRequest::default()).expect("inside the session");
    let mine = frontdesk::support::end_own(&s).unwrap();
    assert_eq!((mine.id, mine.status), (id, SupportStatus::Ended));
    assert_eq!(code(frontdesk::schedule::day(&s, DayRequest::default())), ErrorCode::SupportSessionRequired);
    assert_eq!(code(frontdesk::support::end_own(&s)), ErrorCode::Conflict, "nothing left to end");

    // Withdrawing a request still waiting.
    let id = frontdesk::support::request(&s, ask(60, SupportScope::Schedule)).unwrap().id;
    frontdesk::support::end_own(&s).unwrap();
    assert_eq!(status_at(&desk, &owner, id, NOW + 90), SupportStatus::Ended);
    assert_eq!(
        code(frontdesk::support::decide(
            &ctx(&desk, Some(&owner), NOW + 91),
            SupportDecision { id, approve: true, deny_reason: None }
        )),
        ErrorCode::Conflict,
        "a withdrawn request cannot be approved"
    );
}

#[test]
fn turning_support_access_off_refuses_requests_and_closes_what_is_open() {
    let (_dir, desk, owner, support) = support_desk();
    let other = add_staff(&desk, "vendor2", "support");
    let running = request(&desk, &support, 60, SupportScope::Schedule);
    approve(&desk, &owner, running, NOW);
    let waiting = request(&desk, &other, 60, SupportScope::Schedule);

    let o = ctx(&desk, Some(&owner), NOW + 10);
    frontdesk::support::set_access(&o, SupportAccessRequest { access: SupportAccess::Off }).unwrap();
    let view = frontdesk::support::support_desk(&o).unwrap();
    assert_eq!(view.access, SupportAccess::Off);
    assert_eq!(status_at(&desk, &owner, running, NOW + 10), SupportStatus::Ended, "off ends the running session");
    assert_eq!(status_at(&desk, &owner, waiting, NOW + 10), SupportStatus::Denied, "off denies the waiting request");

    let s = ctx(&desk, Some(&support), NOW + 20);
    assert_eq!(code(frontdesk::schedule::day(&s, DayRequest::default())), ErrorCode::SupportSessionRequired);
    let e = ApiError::from(frontdesk::support::request(&s, ask(60, SupportScope::Schedule)).unwrap_err());
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("turned support access off"), "the refusal says why: {}", e.message);
    assert_eq!(frontdesk::support::mine(&s).unwrap().access, SupportAccess::Off, "the support screen can say so first");

    // Setting it again to what it is changes nothing and audits nothing.
    let audits = audit_count(&desk);
    frontdesk::support::set_access(&o, SupportAccessRequest { access: SupportAccess::Off }).unwrap();
    assert_eq!(audit_count(&desk), audits);
    frontdesk::support::set_access(&o, SupportAccessRequest { access: SupportAccess::Ask }).unwrap();
    frontdesk::support::request(&s, ask(60, SupportScope::Schedule)).expect("back on: requests are taken");
}

/// Every function that shows clinic or patient data refuses a support account with no session,
/// with the code that tells the window to show the Support screen instead.
#[test]
fn without_a_session_a_support_account_sees_no_patient_data_at_all() {
    let (_dir, desk, owner, support) = support_desk();
    let (appointment_id, patient_id) = some_appointment(&desk);
    let s = ctx(&desk, Some(&support), NOW);
    let refused: Vec<(&str, ErrorCode)> = vec![
        ("day", code(frontdesk::schedule::day(&s, DayRequest::default()))),
        ("appointment", code(frontdesk::schedule::appointment(&s, AppointmentRequest { appointment_id }))),
        (
            "patient_record",
            code(frontdesk::patients::patient_record(&s, frontdesk::patients::PatientRequest { patient_id })),
        ),
        (
            "search",
            code(frontdesk::search::search(&s, frontdesk::search::SearchRequest { query: "a".into(), limit: None })),
        ),
        ("registration_reviews", code(frontdesk::patients::registration_reviews(&s))),
        ("work_waiting", code(frontdesk::work::work_waiting(&s))),
        ("waitlist", code(frontdesk::waitlist::waitlist(&s))),
        ("walk_ins", code(frontdesk::booking::walk_ins(&s))),
        ("booking_options", code(frontdesk::booking::booking_options(&s))),
        (
            "callback_queue",
            code(frontdesk::callbacks::callback_queue(
                &s,
                frontdesk::callbacks::CallbackListRequest { include_closed: true },
            )),
        ),
        (
            "escalations",
            code(frontdesk::escalations::list(
                &s,
                frontdesk::escalations::EscalationListRequest { include_resolved: true },
            )),
        ),
        ("alerts", code(frontdesk::alerts::list(&s))),
        ("verify_audit", code(frontdesk::compliance::verify_chain(&s))),
        (
            "set_status",
            code(frontdesk::schedule::set_status(
                &s,
                SetStatusRequest { appointment_id, status: Status::Arrived, confirmed: true },
            )),
        ),
    ];
    for (what, c) in refused {
        assert_eq!(c, ErrorCode::SupportSessionRequired, "{what}: support without a session must be refused");
    }
    // What stays open: who they are, asking, their own request, the banner.
    let me = frontdesk::session::current(&s).unwrap();
    assert_eq!(me.permissions, vec![Action::RequestSupportAccess], "the window shapes itself from this");
    frontdesk::support::mine(&s).unwrap();
    frontdesk::support::active(&s).unwrap();
    let e = frontdesk::schedule::day(&s, DayRequest::default()).unwrap_err();
    assert!(e.to_string().contains("Request a session"), "the refusal says what to do: {e}");
    drop(owner);
}

#[test]
fn a_schedule_session_shows_the_schedules_shape_but_no_patient() {
    let (_dir, desk, owner, support) = support_desk();
    let (appointment_id, patient_id) = some_appointment(&desk);
    let id = request(&desk, &support, 60, SupportScope::Schedule);
    approve(&desk, &owner, id, NOW);
    let s = ctx(&desk, Some(&support), NOW + 60);

    let me = frontdesk::session::current(&s).unwrap();
    assert_eq!(me.permissions, vec![Action::ViewSchedule, Action::RequestSupportAccess]);
    let day = frontdesk::schedule::day(&s, DayRequest::default()).unwrap();
    assert!(!day.appointments.is_empty(), "the demo day has appointments");
    assert!(
        day.appointments.iter().all(|a| a.patient_name.starts_with("Patient #") && a.reason.is_empty()),
        "the schedule's shape only: no names, no reasons"
    );
    assert!(!day.can_update, "a session never changes anything");
    let detail = frontdesk::schedule::appointment(&s, AppointmentRequest { appointment_id }).unwrap();
    assert!(detail.patient.is_none() && detail.booking.caller_name.is_empty(), "no patient card, no caller");
    assert_eq!(
        code(frontdesk::patients::patient_record(&s, frontdesk::patients::PatientRequest { patient_id })),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(frontdesk::search::search(&s, frontdesk::search::SearchRequest { query: "a".into(), limit: None })),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(frontdesk::schedule::set_status(
            &s,
            SetStatusRequest { appointment_id, status: Status::Arrived, confirmed: true }
        )),
        ErrorCode::Forbidden
    );
    // Work waiting is a schedule read: it answers, with no queues, reviews or names.
    let w = frontdesk::work::work_waiting(&s).expect("work waiting in a schedule session");
    assert!(w.reviews.is_empty() && w.callbacks.is_empty() && w.escalations.is_empty(), "no queues, no reviews");
    assert!(w.unconfirmed_tomorrow.iter().all(|a| a.patient_name.starts_with("Patient #")));
}

#[test]
fn a_patients_session_opens_records_read_only_and_every_read_carries_the_session_id() {
    let (_dir, desk, owner, support) = support_desk();
    let (appointment_id, patient_id) = some_appointment(&desk);
    let reception = add_staff(&desk, "reception9", "receptionist");
    let id = request(&desk, &support, 60, SupportScope::ScheduleAndPatients);
    approve(&desk, &owner, id, NOW);
    let s = ctx(&desk, Some(&support), NOW + 60);

    let record = frontdesk::patients::patient_record(&s, frontdesk::patients::PatientRequest { patient_id })
        .expect("inside a schedule_and_patients session");
    assert!(!record.can_edit, "read-only: the window hides editing");
    let day = frontdesk::schedule::day(&s, DayRequest::default()).unwrap();
    assert!(day.appointments.iter().any(|a| !a.patient_name.starts_with("Patient #")), "names are shown");
    frontdesk::schedule::appointment(&s, AppointmentRequest { appointment_id }).unwrap();
    // A colleague reading the same record at the same time is not part of the session.
    frontdesk::patients::patient_record(
        &ctx(&desk, Some(&reception), NOW + 60),
        frontdesk::patients::PatientRequest { patient_id },
    )
    .unwrap();
    assert_eq!(
        code(frontdesk::patients::add_patient_note(
            &s,
            frontdesk::patients::AddNoteRequest { patient_id, body: "x".into() }
        )),
        ErrorCode::Forbidden,
        "a session never changes anything"
    );
    assert_eq!(
        code(frontdesk::schedule::set_status(
            &s,
            SetStatusRequest { appointment_id, status: Status::Arrived, confirmed: true }
        )),
        ErrorCode::Forbidden
    );

    desk.flush_reads().unwrap();
    let support_id: i64 =
        desk.db().query_row("SELECT id FROM staff WHERE username = 'vendor1'", [], |r| r.get(0)).unwrap();
    let tagged: Option<i64> = desk
        .db()
        .query_row(
            "SELECT support_session_id FROM audit_event
             WHERE action = 'patient.viewed' AND entity_id = ?1 AND actor_staff_id = ?2",
            rusqlite::params![patient_id.to_string(), support_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tagged, Some(id), "the read of the record carries the session id");
    let untagged: Option<i64> = desk
        .db()
        .query_row(
            "SELECT support_session_id FROM audit_event WHERE action = 'patient.viewed' AND actor_role = 'receptionist'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(untagged, None, "a colleague's read is not the session's");
    let head = desk.audit_head().unwrap();
    let verified = frontdesk::audit::verify(&desk.db(), Some(&head)).unwrap();
    assert_eq!(verified.first_broken_seq, None, "the tagged rows chain like any other");

    // The owner's history of the session: its lifecycle and what happened in it, in order.
    let history = frontdesk::support::history(&ctx(&desk, Some(&owner), NOW + 120), SupportSessionRef { id }).unwrap();
    let actions: Vec<&str> = history.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(&actions[..2], ["support.requested", "support.approved"], "{actions:?}");
    assert!(actions.contains(&"patient.viewed"), "{actions:?}");
    assert!(actions.contains(&"patient.viewed_with_appointment"), "{actions:?}");
    assert!(
        history.events.iter().filter(|e| e.in_session).all(|e| e.actor_role == "support"),
        "only the support person's rows carry the session"
    );
    assert_eq!(history.session.events, history.events.iter().filter(|e| e.in_session).count() as i64);
}

#[test]
fn reads_not_yet_written_appear_in_the_history_at_once() {
    let (_dir, desk, owner, support) = support_desk();
    let (_, patient_id) = some_appointment(&desk);
    let id = request(&desk, &support, 60, SupportScope::ScheduleAndPatients);
    approve(&desk, &owner, id, NOW);
    frontdesk::patients::patient_record(
        &ctx(&desk, Some(&support), NOW + 5),
        frontdesk::patients::PatientRequest { patient_id },
    )
    .unwrap();
    // No flush here: the history writes the waiting reads first.
    let history = frontdesk::support::history(&ctx(&desk, Some(&owner), NOW + 6), SupportSessionRef { id }).unwrap();
    assert!(
        history.events.iter().any(|e| e.action == "patient.viewed" && e.entity_id == patient_id.to_string()),
        "the owner never misses a read that is still batched"
    );
}

#[test]
fn everyone_signed_in_sees_the_banner_while_a_session_runs() {
    let (_dir, desk, owner, support) = support_desk();
    let reception = add_staff(&desk, "reception9", "receptionist");
    let doctor = add_staff(&desk, "doctor9", "doctor");
    let id = request(&desk, &support, 45, SupportScope::Schedule);
    for t in [&owner, &reception, &doctor, &support] {
        assert!(frontdesk::support::active(&ctx(&desk, Some(t), NOW)).unwrap().is_empty(), "a request is no banner");
    }
    approve(&desk, &owner, id, NOW);
    for t in [&owner, &reception, &doctor, &support] {
        let banners = frontdesk::support::active(&ctx(&desk, Some(t), NOW + 1)).unwrap();
        assert_eq!(banners.len(), 1);
        let b = &banners[0];
        assert_eq!((b.id, b.staff_name.as_str(), b.expires_at), (id, "vendor1", NOW + 45 * 60));
        assert_eq!(b.reason, "Reminders were not sent since Monday");
        assert_eq!(b.scope, SupportScope::Schedule);
    }
    assert_eq!(code(frontdesk::support::active(&ctx(&desk, None, NOW))), ErrorCode::NotSignedIn);
    frontdesk::support::end(&ctx(&desk, Some(&owner), NOW + 2), SupportSessionRef { id }).unwrap();
    assert!(frontdesk::support::active(&ctx(&desk, Some(&reception), NOW + 3)).unwrap().is_empty());
}

#[test]
fn every_support_change_is_audited_and_published() {
    let (_dir, desk, owner, support) = support_desk();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    desk.events.subscribe(move |e| {
        if let frontdesk::events::Event::SupportSessionChanged { id } = e {
            sink.lock().unwrap().push(*id);
        }
    });
    let id = request(&desk, &support, 60, SupportScope::Schedule);
    approve(&desk, &owner, id, NOW);
    frontdesk::support::end(&ctx(&desk, Some(&owner), NOW + 1), SupportSessionRef { id }).unwrap();
    assert_eq!(*seen.lock().unwrap(), vec![id, id, id]);
    let actions: Vec<String> = {
        let db = desk.db();
        let mut stmt = db
            .prepare("SELECT action FROM audit_event WHERE entity = 'support_session' AND entity_id = ?1 ORDER BY seq")
            .unwrap();
        let rows = stmt.query_map([id.to_string()], |r| r.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(actions, ["support.requested", "support.approved", "support.ended"]);
}

/// The one rule, as data: what each scope grants, and that no session grants a change.
#[test]
fn a_scope_grants_reads_only() {
    assert_eq!(SupportScope::Schedule.grants(), [Action::ViewSchedule]);
    assert_eq!(SupportScope::ScheduleAndPatients.grants(), [Action::ViewSchedule, Action::ViewPatient]);
    for scope in SupportScope::ALL {
        assert!(scope.grants().iter().all(|a| !a.is_change()), "{scope:?} must never grant a change");
    }
    for action in Action::ALL {
        assert_eq!(
            SupportScope::allows(None, action),
            action == Action::RequestSupportAccess,
            "without a session only asking is allowed ({action:?})"
        );
    }
}
