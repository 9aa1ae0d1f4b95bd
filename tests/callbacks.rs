//! The callback queue and escalations, against real SQLite files: dedup of repeat missed calls
//! across number formats, FIFO, atomic "assign next to me" across two connections, the SLA clock
//! (time passed in), attempts and statuses, urgent escalations and their alerts, breaches alerting
//! once.

mod common;

use common::*;
use frontdesk::alerts::{self, AlertKind, AlertPreferences, DesktopAlerts};
use frontdesk::callbacks::{
    self, CallOutcome, CallSource, CallbackAttemptRequest, CallbackListRequest, CallbackStatus, MissedCallRequest,
};
use frontdesk::escalations::{
    self, Category, EscalationListRequest, EscalationRef, EscalationRequest, EscalationSource,
    ResolveEscalationRequest, Severity,
};
use frontdesk::events::Event;
use frontdesk::patients::{patient_record, PatientRequest};
use frontdesk::sla;
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

fn missed(desk: &Desk, token: &SessionToken, number: &str, at: i64) -> callbacks::CallbackTask {
    missed_call(&ctx(desk, Some(token), NOW.max(at)), number, at)
}

fn queue(desk: &Desk, token: &SessionToken, now: i64) -> Vec<callbacks::CallbackTask> {
    callbacks::callback_queue(&ctx(desk, Some(token), now), CallbackListRequest::default()).unwrap().tasks
}

#[test]
fn a_repeat_call_from_the_same_number_in_any_format_updates_one_task() {
    let (_dir, desk, token) = booking_desk();
    let a = missed(&desk, &token, "(604) 555-1234", NOW - 600);
    let b = missed(&desk, &token, "+1 604-555-1234", NOW - 60);
    assert_eq!(a.id, b.id, "the same caller must not fill the queue with duplicates");
    assert_eq!((b.missed_count, b.first_missed_at, b.last_missed_at), (2, NOW - 600, NOW - 60));
    assert_eq!(b.patient_id, Some(2), "a known patient is linked by phone");
    assert_eq!(queue(&desk, &token, NOW).len(), 1);

    let e = callbacks::record_missed_call(
        &ctx(&desk, Some(&token), NOW),
        MissedCallRequest {
            caller_number: "12".into(),
            at: None,
            line: String::new(),
            branch_id: None,
            source: CallSource::Staff,
        },
    )
    .map_err(ApiError::from)
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("caller_number"), "{}", e.message);

    // The branch that was called is kept; one that does not exist is refused and adds nothing.
    let branch_call = |branch_id| {
        callbacks::record_missed_call(
            &ctx(&desk, Some(&token), NOW),
            MissedCallRequest {
                caller_number: "+91 98450 77777".into(),
                at: None,
                line: "Branch line".into(),
                branch_id: Some(branch_id),
                source: CallSource::Staff,
            },
        )
        .map_err(ApiError::from)
    };
    let e = branch_call(999).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("branch_id")), "{}", e.message);
    assert_eq!(queue(&desk, &token, NOW).len(), 1, "a refused call adds nothing");
    let t = branch_call(1).unwrap();
    assert_eq!(t.branch_id, Some(1));
}

#[test]
fn the_queue_is_first_in_first_out_and_a_closed_task_lets_a_new_one_open() {
    let (_dir, desk, token) = booking_desk();
    let late = missed(&desk, &token, "416 555 0199", NOW - 60);
    let early = missed(&desk, &token, "+91 98450 12345", NOW - 900);
    let ids: Vec<i64> = queue(&desk, &token, NOW).iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![early.id, late.id], "oldest missed call first");
    let shared = &queue(&desk, &token, NOW)[0];
    assert!(
        shared.patient_name.as_deref().unwrap_or("").contains("other"),
        "a family number says so: {:?}",
        shared.patient_name
    );

    let attempt = |task_id: i64, outcome: CallOutcome| {
        callbacks::log_attempt(
            &ctx(&desk, Some(&token), NOW),
            CallbackAttemptRequest { task_id, outcome, note: "Left message".into() },
        )
        .map_err(ApiError::from)
    };
    assert_eq!(
        attempt(early.id, CallOutcome::NoAnswer).unwrap().status,
        CallbackStatus::Attempted,
        "no answer keeps it open"
    );
    let done = attempt(early.id, CallOutcome::Reached).unwrap();
    assert_eq!(done.status, CallbackStatus::Completed);
    assert_eq!(done.attempts.len(), 2, "every attempt is logged");
    assert_eq!(
        attempt(early.id, CallOutcome::Reached).unwrap_err().code,
        ErrorCode::Conflict,
        "a closed task takes no attempts"
    );
    assert_eq!(attempt(late.id, CallOutcome::WrongNumber).unwrap().status, CallbackStatus::WrongNumber);
    assert!(queue(&desk, &token, NOW).is_empty());

    let again = missed(&desk, &token, "+91 98450-12345", NOW);
    assert_ne!(again.id, early.id, "after a callback is closed, a new missed call opens a new task");
    let conn = desk.db();
    let history = callbacks::callbacks_of_patient(&conn, &frontdesk::clinic::load(&conn).unwrap(), 1).unwrap();
    assert_eq!(history.len(), 2, "the patient's record shows their callback history");
    drop(conn);

    // The patient record (Patient 360) carries the same history, newest first, with attempts.
    let record = patient_record(&ctx(&desk, Some(&token), NOW), PatientRequest { patient_id: 1 }).unwrap();
    let tasks: Vec<(i64, CallbackStatus, usize)> =
        record.callbacks.iter().map(|t| (t.id, t.status, t.attempts.len())).collect();
    assert_eq!(
        tasks,
        vec![(again.id, CallbackStatus::Pending, 0), (early.id, CallbackStatus::Completed, 2)],
        "the record shows every missed call from the patient's numbers and how it was handled"
    );
    let closed = &record.callbacks[1];
    assert_eq!((closed.missed_count, closed.first_missed_at), (1, NOW - 900));
    assert_eq!(closed.assigned_name.as_deref(), Some("Olive Owner"), "whoever logged the attempt took the task");
    let attempts: Vec<(CallOutcome, &str, Option<&str>)> =
        closed.attempts.iter().map(|a| (a.outcome, a.note.as_str(), a.staff_name.as_deref())).collect();
    assert_eq!(
        attempts,
        vec![
            (CallOutcome::Reached, "Left message", Some("Olive Owner")),
            (CallOutcome::NoAnswer, "Left message", Some("Olive Owner"))
        ],
        "attempts newest first, with who made them"
    );

    // A doctor may read the record but not work the queues, so the core leaves the history out.
    let hash = frontdesk::session::hash_password("doctor-pass-123").unwrap();
    desk.db()
        .execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES ('doc', 'Dr. Doc', 'doctor', ?1, 0)",
            [hash],
        )
        .unwrap();
    let doctor = sign_in(&desk, "doc", "doctor-pass-123", NOW);
    let record = patient_record(&ctx(&desk, Some(&doctor), NOW), PatientRequest { patient_id: 1 }).unwrap();
    assert!(record.callbacks.is_empty(), "roles are checked in the core, not only hidden in the UI");
}

#[test]
fn two_desks_pressing_assign_next_at_once_get_different_tasks() {
    let (dir, desk, token) = booking_desk();
    for (i, n) in ["416 555 0101", "416 555 0102", "416 555 0103", "416 555 0104"].iter().enumerate() {
        missed(&desk, &token, n, NOW - 1000 + i as i64);
    }
    // A second staff member on a second desk (its own connection to the same file).
    let hash = frontdesk::session::hash_password("second-desk-pass").unwrap();
    desk.db()
        .execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES ('desk2', 'Second Desk', 'receptionist', ?1, 0)",
            [hash],
        )
        .unwrap();
    let other = Desk::open(dir.path()).unwrap();
    let other_token = sign_in(&other, "desk2", "second-desk-pass", NOW);
    let barrier = std::sync::Barrier::new(2);
    let (mine, theirs) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            barrier.wait();
            (0..2)
                .map(|_| callbacks::assign_next_to_me(&ctx(&desk, Some(&token), NOW)).unwrap().unwrap().id)
                .collect::<Vec<_>>()
        });
        let b = s.spawn(|| {
            barrier.wait();
            (0..2)
                .map(|_| callbacks::assign_next_to_me(&ctx(&other, Some(&other_token), NOW)).unwrap().unwrap().id)
                .collect::<Vec<_>>()
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    let mut all: Vec<i64> = mine.iter().chain(&theirs).copied().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "no task was handed to both desks: {mine:?} {theirs:?}");
    assert!(
        callbacks::assign_next_to_me(&ctx(&desk, Some(&token), NOW)).unwrap().is_none(),
        "an empty queue hands out nothing"
    );
}

#[test]
fn a_callback_past_its_sla_alerts_once() {
    let (_dir, desk, token) = booking_desk();
    let seen: std::sync::Arc<std::sync::Mutex<Vec<Event>>> = Default::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let t = missed(&desk, &token, "(604) 555-1234", NOW);
    assert_eq!(t.due_at, NOW + 15 * 60, "the default SLA is 15 minutes");
    assert!(sla::sweep(&desk, NOW + 14 * 60).unwrap().is_empty(), "not yet due");
    let raised = sla::sweep(&desk, NOW + 16 * 60).unwrap();
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::CallbackBreach);
    assert!(
        raised[0].body.contains("16 min") && raised[0].body.contains("Liam"),
        "what and how old, first name only: {}",
        raised[0].body
    );
    assert!(
        !raised[0].body.contains("Tremblay") && !raised[0].body.contains("555"),
        "no surname or phone in an alert: {}",
        raised[0].body
    );
    assert!(sla::sweep(&desk, NOW + 30 * 60).unwrap().is_empty(), "a breach alerts once");
    assert!(seen.lock().unwrap().iter().any(|e| *e == Event::AlertRaised { alert_id: raised[0].id }));
    let actions: Vec<String> = frontdesk::audit::for_entity(&desk.db(), "callback_task", &t.id.to_string())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.iter().any(|a| a == "callback.sla_breached"), "the breach is audited: {actions:?}");
}

fn escalation(category: Category, severity: Severity) -> EscalationRequest {
    EscalationRequest {
        category,
        severity,
        source: EscalationSource::VoiceAgent,
        summary: "Caller reports chest pain since the morning".into(),
        patient_id: None,
        caller_name: "Priya Sharma".into(),
        caller_number: Some("+91 98450 12345".into()),
        call_ref: Some("call_123".into()),
    }
}

#[test]
fn urgent_symptoms_are_always_urgent_and_alert_at_once() {
    let (_dir, desk, token) = booking_desk();
    let seen: std::sync::Arc<std::sync::Mutex<Vec<Event>>> = Default::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let e = escalations::create(&ctx(&desk, Some(&token), NOW), escalation(Category::UrgentSymptoms, Severity::Normal))
        .unwrap();
    assert_eq!(e.severity, Severity::Urgent, "urgent symptoms are urgent whatever the source said");
    assert_eq!(e.patient_id, Some(1), "a known caller is linked by phone");
    let alert_id = seen
        .lock()
        .unwrap()
        .iter()
        .find_map(|ev| match ev {
            Event::AlertRaised { alert_id } => Some(*alert_id),
            _ => None,
        })
        .expect("a new urgent escalation raises an alert");
    let alert = alerts::get(&ctx(&desk, Some(&token), NOW), alert_id).unwrap();
    assert_eq!(alert.title, "Urgent escalation");
    assert_eq!(alert.body, "Urgent symptoms · Priya · raised just now", "in the app: what, who by first name, how old");
    assert_eq!(alerts::urgent_open(&desk).unwrap(), 1, "the tray counts it");

    let normal =
        escalations::create(&ctx(&desk, Some(&token), NOW), escalation(Category::BillingDispute, Severity::Normal))
            .unwrap();
    assert_eq!(normal.severity, Severity::Normal);
    let listed: Vec<i64> = escalations::list(&ctx(&desk, Some(&token), NOW), EscalationListRequest::default())
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, vec![e.id, normal.id], "most severe first");

    let bad = escalations::create(
        &ctx(&desk, Some(&token), NOW),
        EscalationRequest { summary: " ".into(), ..escalation(Category::AngryCaller, Severity::High) },
    )
    .map_err(ApiError::from)
    .unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("summary"));
}

#[test]
fn escalations_resolve_reopen_and_breach_once_per_sla_clock() {
    let (_dir, desk, token) = booking_desk();
    let c = |now: i64| ctx(&desk, Some(&token), now);
    let e = escalations::create(&c(NOW), escalation(Category::AngryCaller, Severity::High)).unwrap();
    assert_eq!(e.due_at, NOW + 30 * 60, "high severity: 30 minutes");
    let e = escalations::take(&c(NOW), EscalationRef { escalation_id: e.id }).unwrap();
    assert_eq!(e.owner_name.as_deref(), Some("Olive Owner"));
    let breaches = sla::sweep(&desk, NOW + 31 * 60).unwrap();
    assert_eq!(breaches.len(), 1);
    assert_eq!(breaches[0].kind, AlertKind::EscalationBreach);
    assert_eq!(breaches[0].body, "Angry caller · Priya · open 31 min");
    assert!(sla::sweep(&desk, NOW + 40 * 60).unwrap().is_empty(), "once");

    let err = escalations::resolve(&c(NOW), ResolveEscalationRequest { escalation_id: e.id, outcome: "".into() })
        .map_err(ApiError::from)
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("outcome"));
    let done = escalations::resolve(
        &c(NOW + 41 * 60),
        ResolveEscalationRequest { escalation_id: e.id, outcome: "Called back, refund explained".into() },
    )
    .unwrap();
    assert!(!done.open);
    let reopened = escalations::reopen(&c(NOW + 50 * 60), EscalationRef { escalation_id: e.id }).unwrap();
    assert!(reopened.open);
    assert_eq!(reopened.due_at, NOW + 80 * 60, "reopening starts a new SLA clock");
    assert_eq!(sla::sweep(&desk, NOW + 81 * 60).unwrap().len(), 1, "and may breach again");
    let actions: Vec<String> = frontdesk::audit::for_entity(&desk.db(), "escalation", &e.id.to_string())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for a in [
        "escalation.created",
        "escalation.taken",
        "escalation.resolved",
        "escalation.reopened",
        "escalation.sla_breached",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} is audited: {actions:?}");
    }
}

#[test]
fn alerts_keep_their_delivery_result_and_quiet_settings_apply_per_person() {
    let (_dir, desk, token) = booking_desk();
    escalations::create(&ctx(&desk, Some(&token), NOW), escalation(Category::UrgentSymptoms, Severity::Urgent))
        .unwrap();
    let list = alerts::list(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert_eq!((list.alerts.len(), list.unseen, list.urgent_open), (1, 1, 1));
    let alert = list.alerts[0].clone();
    alerts::record_delivery(&desk, alert.id, Err("org.freedesktop.DBus.Error.ServiceUnknown".into()), NOW).unwrap();
    let after = alerts::list(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert_eq!(after.alerts.len(), 1, "a failed desktop notification loses nothing: the alert stays in the list");
    assert!(after.alerts[0].delivery_error.as_deref().unwrap_or("").contains("ServiceUnknown"));
    alerts::record_delivery(&desk, alert.id, Ok(()), NOW + 1).unwrap();
    let actions: Vec<String> = frontdesk::audit::for_entity(&desk.db(), "alert", &alert.id.to_string())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        ["alert.delivered", "alert.delivery_failed"],
        "every change is audited (newest first), the desk's own delivery records too"
    );

    let shown = alerts::for_desktop(&ctx(&desk, Some(&token), NOW), alert.id).unwrap().expect("alerts are on");
    assert_eq!((shown.alert_id, shown.title.as_str()), (alert.id, alert.title.as_str()), "signed in: what happened");
    assert!(!shown.body.contains("Priya"), "…but by default not who: {}", shown.body);
    assert_eq!(
        (shown.entity.as_str(), shown.entity_id),
        ("escalation", alert.entity_id),
        "Open goes to the escalation"
    );
    alerts::set_preferences(&ctx(&desk, Some(&token), NOW), AlertPreferences { desktop_alerts: DesktopAlerts::None })
        .unwrap();
    assert!(
        alerts::for_desktop(&ctx(&desk, Some(&token), NOW), alert.id).unwrap().is_none(),
        "quiet means no desktop notification"
    );
    let signed_out = alerts::for_desktop(&ctx(&desk, None, NOW), alert.id)
        .unwrap()
        .expect("with nobody signed in the desk still alerts");
    assert_eq!(signed_out.title, alert.title, "what happened");
    assert_eq!(signed_out.body, alerts::SIGNED_OUT_BODY, "…but not who, to a signed-out screen");
    assert_eq!(signed_out.alert_id, alert.id);

    // Locked: the person's choice still applies, and the alert does not say who, names allowed or not.
    alerts::set_preferences(&ctx(&desk, Some(&token), NOW), AlertPreferences { desktop_alerts: DesktopAlerts::All })
        .unwrap();
    allow_names_on_desktop(&desk);
    frontdesk::session::lock(&ctx(&desk, Some(&token), NOW)).unwrap();
    let locked = alerts::for_desktop(&ctx(&desk, Some(&token), NOW), alert.id).unwrap().expect("alerts are on");
    assert_eq!(locked.body, alerts::SIGNED_OUT_BODY, "a locked screen does not say who");
    frontdesk::session::unlock(
        &ctx(&desk, Some(&token), NOW),
        frontdesk::session::UnlockRequest { password: OWNER.1.into() },
    )
    .unwrap();
    alerts::mark_seen(&ctx(&desk, Some(&token), NOW), alerts::MarkSeenRequest { alert_ids: vec![] }).unwrap();
    assert_eq!(alerts::list(&ctx(&desk, Some(&token), NOW)).unwrap().unseen, 0);
    let audited = audit_count(&desk);
    alerts::mark_seen(&ctx(&desk, Some(&token), NOW), alerts::MarkSeenRequest { alert_ids: vec![alert.id] }).unwrap();
    assert_eq!(audit_count(&desk), audited, "marking seen what is already seen changes nothing");
}

/// What the owner's Settings does when they allow first names on the desktop (tests/settings.rs
/// checks that only the owner may).
fn allow_names_on_desktop(desk: &Desk) {
    desk.db().execute("UPDATE clinic SET desktop_alert_names = 1 WHERE id = 1", []).unwrap();
}

#[test]
fn a_desktop_notification_names_no_one_unless_the_owner_allows_it() {
    let (_dir, desk, token) = booking_desk();
    let c = ctx(&desk, Some(&token), NOW);
    escalations::create(&c, escalation(Category::UrgentSymptoms, Severity::Urgent)).unwrap();
    missed(&desk, &token, "(604) 555-1234", NOW - 20 * 60);
    sla::sweep(&desk, NOW).unwrap();
    let raised = alerts::list(&c).unwrap().alerts;
    assert_eq!(raised.len(), 2, "an urgent escalation and a late callback: {raised:?}");
    for (alert, name) in raised.iter().map(|a| (a, if a.kind == AlertKind::CallbackBreach { "Liam" } else { "Priya" }))
    {
        assert!(alert.body.contains(name), "the app's alert says who: {}", alert.body);
        let shown = alerts::for_desktop(&c, alert.id).unwrap().expect("alerts are on");
        assert_eq!(shown.title, alert.title, "the desktop says what happened");
        assert!(
            !shown.body.contains(name),
            "the OS lock screen and notification history leave the desk: no name by default: {}",
            shown.body
        );
    }

    allow_names_on_desktop(&desk);
    for alert in &raised {
        let shown = alerts::for_desktop(&c, alert.id).unwrap().expect("alerts are on");
        assert_eq!(shown.body, alert.body, "with the owner's leave, the desktop says who as the app does");
    }
}

#[test]
fn work_waiting_puts_the_most_urgent_first() {
    let (_dir, desk, token) = booking_desk();
    missed(&desk, &token, "(604) 555-1234", NOW - 300);
    escalations::create(&ctx(&desk, Some(&token), NOW), escalation(Category::BillingDispute, Severity::Normal))
        .unwrap();
    escalations::create(&ctx(&desk, Some(&token), NOW), escalation(Category::UrgentSymptoms, Severity::Normal))
        .unwrap();
    frontdesk::booking::book(
        &ctx(&desk, Some(&token), NOW),
        frontdesk::booking::BookRequest {
            patient_id: 4,
            caller_name: String::new(),
            caller_relationship: "self".into(),
            doctor_id: 1,
            branch_id: 1,
            service_id: 1,
            starts_at: toronto("2026-11-24", "09:00"),
            reason: "Check-up".into(),
            source: frontdesk::status::Source::Phone,
            referral: String::new(),
            notes: String::new(),
            follow_up: false,
            follow_up_on: None,
        },
    )
    .unwrap();
    let w = frontdesk::work::work_waiting(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert_eq!(w.escalations[0].severity, Severity::Urgent);
    assert_eq!(w.callbacks.len(), 1);
    assert_eq!(w.unconfirmed_tomorrow.len(), 1, "tomorrow's booked-but-unconfirmed visit needs a call");
    assert_eq!(w.tomorrow, "2026-11-24");
}
