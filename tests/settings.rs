//! Clinic settings: the owner sets the idle lock, waiting-room thresholds and the callback and
//! escalation SLAs; the queues use them at once; bad values are refused by field and change
//! nothing; a receptionist cannot change them.

mod common;

use common::*;
use frontdesk::callbacks::{self, CallbackListRequest};
use frontdesk::escalations::{self, Category, EscalationRequest, EscalationSource, Severity};
use frontdesk::settings::{self as clinic, SettingsRequest};
use frontdesk::{session, ApiError, ErrorCode};

fn settings(callback: i64, urgent: i64, high: i64, normal: i64) -> SettingsRequest {
    SettingsRequest {
        idle_lock_minutes: 30,
        wait_amber_minutes: 15,
        wait_red_minutes: 30,
        callback_sla_minutes: callback,
        escalation_sla_urgent_minutes: urgent,
        escalation_sla_high_minutes: high,
        escalation_sla_normal_minutes: normal,
        languages: vec!["en".into(), "fr".into()],
        desktop_alert_names: false,
    }
}

#[test]
fn only_the_owner_lets_desktop_notifications_show_names() {
    let (_dir, desk) = demo_desk();
    let admin = sign_in(&desk, "admin", "frontdesk-admin", NOW);
    let a = ctx(&desk, Some(&admin), NOW);
    assert!(!session::current(&a).unwrap().desktop_alert_names, "off by default: names leave the desk");
    let e = ApiError::from(
        clinic::update_settings(&a, SettingsRequest { desktop_alert_names: true, ..settings(60, 5, 30, 240) })
            .unwrap_err(),
    );
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("desktop_alert_names")), "{}", e.message);
    clinic::update_settings(&a, settings(60, 5, 30, 240)).expect("an admin still saves the rest");
    let owner = sign_in(&desk, "owner", "frontdesk-owner", NOW + 1);
    let o = ctx(&desk, Some(&owner), NOW + 1);
    clinic::update_settings(&o, SettingsRequest { desktop_alert_names: true, ..settings(60, 5, 30, 240) }).unwrap();
    assert!(session::current(&o).unwrap().desktop_alert_names);
}

#[test]
fn the_owner_sets_the_slas_and_the_queues_use_them() {
    let (_dir, desk) = set_up_desk();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    let c = ctx(&desk, Some(&token), NOW);
    let before = session::current(&c).unwrap();
    assert_eq!(
        (
            before.callback_sla_minutes,
            before.escalation_sla_urgent_minutes,
            before.escalation_sla_high_minutes,
            before.escalation_sla_normal_minutes
        ),
        (15, 5, 30, 240),
        "the defaults"
    );

    clinic::update_settings(&c, settings(10, 2, 20, 120)).unwrap();
    let after = session::current(&c).unwrap();
    assert_eq!(
        (
            after.idle_lock_minutes,
            after.callback_sla_minutes,
            after.escalation_sla_urgent_minutes,
            after.escalation_sla_high_minutes,
            after.escalation_sla_normal_minutes
        ),
        (30, 10, 2, 20, 120)
    );

    missed_call(&c, "(604) 555-1234", NOW - 60);
    let queue = callbacks::callback_queue(&c, CallbackListRequest::default()).unwrap();
    assert_eq!(queue.sla_minutes, 10, "the callback queue runs on the new SLA");

    escalations::create(
        &c,
        EscalationRequest {
            category: Category::BillingDispute,
            severity: Severity::High,
            source: EscalationSource::Staff,
            summary: "Disputes a no-show fee".into(),
            patient_id: None,
            caller_name: "Liam".into(),
            caller_number: None,
            call_ref: None,
        },
    )
    .unwrap();
    let list = escalations::list(&c, escalations::EscalationListRequest::default()).unwrap();
    assert_eq!(list[0].due_at - list[0].created_at, 20 * 60, "a high escalation is due within the high SLA");
}

#[test]
fn bad_sla_values_are_refused_by_field_and_change_nothing() {
    let (_dir, desk) = set_up_desk();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    let c = ctx(&desk, Some(&token), NOW);
    let audited = audit_count(&desk);
    for (req, field) in [
        (settings(0, 5, 30, 240), "callback_sla_minutes"),
        (settings(15, 0, 30, 240), "escalation_sla_urgent_minutes"),
        (settings(15, 10, 5, 240), "escalation_sla_high_minutes"),
        (settings(15, 5, 30, 20), "escalation_sla_normal_minutes"),
        (settings(15, 5, 30, 20_000), "escalation_sla_normal_minutes"),
        (SettingsRequest { languages: vec![], ..settings(15, 5, 30, 240) }, "languages"),
        (SettingsRequest { languages: vec!["english".into()], ..settings(15, 5, 30, 240) }, "languages"),
    ] {
        let e = ApiError::from(clinic::update_settings(&c, req).unwrap_err());
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some(field)), "{}", e.message);
        assert!(!e.message.is_empty());
    }
    assert_eq!(session::current(&c).unwrap().callback_sla_minutes, 15, "nothing saved");
    assert_eq!(session::current(&c).unwrap().languages, ["en", "fr"], "a Canadian clinic starts with en, fr");
    assert_eq!(audit_count(&desk), audited, "nothing audited for a refused change");
}

#[test]
fn the_clinic_languages_lead_the_patient_form_and_set_the_default() {
    let (_dir, desk) = set_up_desk();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    let c = ctx(&desk, Some(&token), NOW);
    let mut req = settings(15, 5, 30, 240);
    req.languages = vec![" PA ".into(), "en".into(), "pa".into(), "hi".into()];
    clinic::update_settings(&c, req).unwrap();
    assert_eq!(
        session::current(&c).unwrap().languages,
        ["pa", "en", "hi"],
        "trimmed, lower-cased, no repeats, in order"
    );
    let summary: String = desk
        .db()
        .query_row(
            "SELECT summary FROM audit_event WHERE action = 'clinic.settings_changed' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(summary.contains("languages=pa,en,hi"), "{summary}");

    let created =
        frontdesk::patients::create_patient(&c, patient_request("Gurpreet", "Sandhu", None, "604 555 0142")).unwrap();
    let language: String = desk
        .db()
        .query_row("SELECT preferred_language FROM patient WHERE id = ?1", [created.patient_id], |r| r.get(0))
        .unwrap();
    assert_eq!(language, "pa", "no language picked: the desk's first");
}

#[test]
fn a_receptionist_cannot_change_settings() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let c = ctx(&desk, Some(&token), NOW);
    let e = ApiError::from(clinic::update_settings(&c, settings(10, 2, 20, 120)).unwrap_err());
    assert_eq!(e.code, ErrorCode::Forbidden, "{}", e.message);
}
