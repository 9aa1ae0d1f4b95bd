//! The audit log is append-only and hash-chained; tampering is found at the first changed row.

mod common;

use common::*;
use frontdesk::audit::{self, verify};
use frontdesk::schedule::SetStatusRequest;
use frontdesk::status::Status;

#[test]
fn the_log_refuses_update_and_delete() {
    let (_dir, desk) = set_up_desk();
    let conn = desk.db();
    let upd = conn.execute("UPDATE audit_event SET summary = 'nothing happened' WHERE seq = 1", []);
    assert!(upd.is_err(), "editing an audit event must be refused by the database itself");
    let del = conn.execute("DELETE FROM audit_event", []);
    assert!(del.is_err(), "deleting audit events must be refused by the database itself");
}

#[test]
fn an_intact_chain_verifies_and_a_tampered_row_is_found() {
    let (_dir, desk) = demo_desk();
    // A few real mutations through the core, each auditing itself.
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let ids: Vec<i64> = {
        let conn = desk.db();
        let mut stmt = conn.prepare("SELECT id FROM appointment WHERE status = 'booked' ORDER BY id LIMIT 3").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    for id in &ids {
        frontdesk::schedule::set_status(
            &ctx(&desk, Some(&token), NOW),
            SetStatusRequest { appointment_id: *id, status: Status::Arrived },
        )
        .unwrap();
    }
    let conn = desk.db();
    let ok = verify(&conn).unwrap();
    assert_eq!(ok.first_broken_seq, None, "a chain written only by the core must verify");
    assert!(ok.rows_checked >= 5, "seed, sign-in and three status changes must all be audited");

    // Someone with file access drops the guard and rewrites history.
    conn.execute_batch(
        "DROP TRIGGER audit_event_no_update;
         UPDATE audit_event SET summary = 'booked → booked' WHERE seq = 3;",
    )
    .unwrap();
    let broken = verify(&conn).unwrap();
    assert_eq!(broken.first_broken_seq, Some(3), "verification must point at the first edited row");
}

#[test]
fn a_status_change_and_its_audit_event_commit_together() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let id: i64 =
        desk.db().query_row("SELECT id FROM appointment WHERE status = 'confirmed' LIMIT 1", [], |r| r.get(0)).unwrap();
    let before = audit_count(&desk);
    frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: id, status: Status::NoShow },
    )
    .unwrap();
    assert_eq!(audit_count(&desk), before + 1, "every mutation writes exactly one audit event");
    let rows = audit::for_entity(&desk.db(), "appointment", &id.to_string()).unwrap();
    assert_eq!(rows[0].action, "appointment.status_changed");
    assert_eq!(rows[0].summary, "confirmed → no_show");
    assert_eq!(rows[0].actor_role, "receptionist");

    // A refused change writes nothing at all.
    let before = audit_count(&desk);
    let err = frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: id, status: Status::Completed },
    );
    assert!(err.is_err());
    assert_eq!(audit_count(&desk), before, "a refused change must leave no audit event behind");
}

#[test]
fn audit_summaries_carry_no_patient_details() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let (id, given, family): (i64, String, String) = desk
        .db()
        .query_row(
            "SELECT a.id, p.given_name, p.family_name FROM appointment a JOIN patient p ON p.id = a.patient_id
             WHERE a.status = 'booked' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    frontdesk::schedule::set_status(
        &ctx(&desk, Some(&token), NOW),
        SetStatusRequest { appointment_id: id, status: Status::Arrived },
    )
    .unwrap();
    let conn = desk.db();
    let mut stmt = conn.prepare("SELECT summary FROM audit_event").unwrap();
    for summary in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        let s = summary.unwrap();
        assert!(!s.contains(&given) || !s.contains(&family), "audit summaries must not carry patient names: {s}");
    }
}
