//! The audit log is append-only, numbered without gaps and hash-chained, and its end is sealed
//! outside the file: an edit, a deleted middle row, a deleted tail, a recomputed chain, a dropped
//! trigger and an `INSERT OR REPLACE` are each caught.

mod common;

use common::*;
use frontdesk::audit::{self, verify};
use frontdesk::schedule::SetStatusRequest;
use frontdesk::status::Status;
use frontdesk::{ApiError, Desk, ErrorCode};

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
            SetStatusRequest { appointment_id: *id, status: Status::Arrived, confirmed: true },
        )
        .unwrap();
    }
    let conn = desk.db();
    let ok = verify(&conn, None).unwrap();
    assert_eq!(ok.first_broken_seq, None, "a chain written only by the core must verify");
    assert!(ok.rows_checked >= 5, "seed, sign-in and three status changes must all be audited");

    // Someone with file access drops the guard and rewrites history.
    conn.execute_batch(
        "DROP TRIGGER audit_event_no_update;
         UPDATE audit_event SET summary = 'booked → booked' WHERE seq = 3;",
    )
    .unwrap();
    let broken = verify(&conn, None).unwrap();
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
        SetStatusRequest { appointment_id: id, status: Status::NoShow, confirmed: true },
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
        SetStatusRequest { appointment_id: id, status: Status::Completed, confirmed: true },
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
        SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed: true },
    )
    .unwrap();
    let conn = desk.db();
    let mut stmt = conn.prepare("SELECT summary FROM audit_event").unwrap();
    for summary in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        let s = summary.unwrap();
        assert!(!s.contains(&given) || !s.contains(&family), "audit summaries must not carry patient names: {s}");
    }
}

/// A demo desk with a few changes made through the core, so the sealed head is past the seed.
fn audited_desk() -> (tempfile::TempDir, Desk) {
    let (dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let ids: Vec<i64> = {
        let conn = desk.db();
        let mut stmt = conn.prepare("SELECT id FROM appointment WHERE status = 'booked' ORDER BY id LIMIT 4").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    for id in ids {
        frontdesk::schedule::set_status(
            &ctx(&desk, Some(&token), NOW),
            SetStatusRequest { appointment_id: id, status: Status::Arrived, confirmed: true },
        )
        .unwrap();
    }
    (dir, desk)
}

fn owner_verification(desk: &Desk) -> audit::Verification {
    let conn = desk.db();
    let head = desk.audit_head().ok();
    verify(&conn, head.as_ref()).unwrap()
}

fn last_seq(desk: &Desk) -> i64 {
    desk.db().query_row("SELECT MAX(seq) FROM audit_event", [], |r| r.get(0)).unwrap()
}

#[test]
fn an_untouched_log_verifies_against_its_sealed_head() {
    let (_dir, desk) = audited_desk();
    let v = owner_verification(&desk);
    assert!(v.intact, "{v:?}");
    assert_eq!(desk.audit_head().unwrap().count, last_seq(&desk), "every commit moves the sealed head");
}

#[test]
fn an_edited_row_is_named() {
    let (_dir, desk) = audited_desk();
    desk.db()
        .execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET summary = 'x' WHERE seq = 4;")
        .unwrap();
    let v = owner_verification(&desk);
    assert_eq!(v.first_broken_seq, Some(4));
    assert!(!v.intact && v.summary.contains("Row 4"), "{}", v.summary);
}

#[test]
fn a_deleted_middle_row_is_named_as_missing() {
    let (_dir, desk) = audited_desk();
    desk.db().execute_batch("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 5;").unwrap();
    let v = owner_verification(&desk);
    assert_eq!(v.first_missing_seq, Some(5), "{v:?}");
    assert!(v.summary.contains("Row 5") && v.summary.contains("deleted"), "{}", v.summary);
}

#[test]
fn a_deleted_tail_is_found_through_the_sealed_head() {
    let (_dir, desk) = audited_desk();
    let last = last_seq(&desk);
    desk.db()
        .execute_batch(&format!(
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq > {};",
            last - 2
        ))
        .unwrap();
    let inside = verify(&desk.db(), None).unwrap();
    assert!(inside.intact, "without the head the shortened chain looks whole: that is why the head exists");
    let v = owner_verification(&desk);
    assert_eq!(v.missing_tail, Some((last - 1, last)), "{v:?}");
    assert!(v.summary.contains("last 2 row"), "{}", v.summary);
}

#[test]
fn a_chain_recomputed_after_an_edit_is_found() {
    let (_dir, desk) = audited_desk();
    {
        let conn = desk.db();
        conn.execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET summary = 'x' WHERE seq = 3;")
            .unwrap();
        // Recompute every hash from the edited row on, as a careful forger would.
        let mut stmt = conn.prepare(&format!("{} ORDER BY seq", audit::SELECT_ROW)).unwrap();
        let mut rows: Vec<audit::Row> = stmt.query_map([], audit::Row::from_sql).unwrap().map(Result::unwrap).collect();
        let mut prev = audit::GENESIS.to_owned();
        for row in &mut rows {
            row.prev_hash = prev.clone();
            row.hash = row.compute_hash();
            conn.execute(
                "UPDATE audit_event SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
                (row.seq, &row.prev_hash, &row.hash),
            )
            .unwrap();
            prev = row.hash.clone();
        }
    }
    assert!(verify(&desk.db(), None).unwrap().intact, "the recomputed chain is consistent in itself");
    let v = owner_verification(&desk);
    assert!(v.head_mismatch && !v.intact, "{v:?}");
    assert!(v.summary.contains("recomputed"), "{}", v.summary);
}

#[test]
fn a_forged_or_deleted_head_is_reported() {
    let (dir, desk) = audited_desk();
    let head_file = dir.path().join("clinic.audit-head");
    let text = std::fs::read_to_string(&head_file).unwrap();
    let forged = text.replacen(&last_seq(&desk).to_string(), "3", 1);
    std::fs::write(&head_file, forged).unwrap();
    let e = desk.audit_head().unwrap_err();
    assert_eq!(ApiError::from(e).code, ErrorCode::Tampered);
    // Later changes do not paper over it: a forged head is kept as evidence, not re-sealed.
    let token = sign_in(&desk, "owner", "frontdesk-owner", NOW + 10);
    frontdesk::session::sign_out(&ctx(&desk, Some(&token), NOW + 11)).unwrap();
    assert_eq!(ApiError::from(desk.audit_head().unwrap_err()).code, ErrorCode::Tampered, "still reported after writes");
    std::fs::remove_file(&head_file).unwrap();
    let e = desk.audit_head().unwrap_err();
    assert!(e.to_string().contains("deleted"), "{e}");
    sign_in(&desk, "owner", "frontdesk-owner", NOW + 12);
    assert!(desk.audit_head().is_err(), "a deleted head is not re-created by the next change");
}

#[test]
fn a_deleted_key_is_tampering_not_a_fresh_start() {
    let (dir, desk) = audited_desk();
    drop(desk);
    std::fs::remove_file(dir.path().join("clinic.audit-key")).unwrap();
    std::fs::remove_file(dir.path().join("clinic.audit-head")).unwrap();
    let e = Desk::open(dir.path()).err().expect("refused");
    assert_eq!(ApiError::from(e).code, ErrorCode::Tampered);
}

#[test]
fn the_database_refuses_rows_out_of_sequence_and_replacements() {
    let (_dir, desk) = audited_desk();
    let conn = desk.db();
    let last = desk_ref(&conn);
    let head: String = conn.query_row("SELECT hash FROM audit_event WHERE seq = ?1", [last], |r| r.get(0)).unwrap();
    let insert = |seq: i64, prev: &str, verb: &str| {
        conn.execute(
            &format!(
                "{verb} INTO audit_event (seq, at, actor_staff_id, actor_role, action, entity, entity_id, summary, prev_hash, hash)
                 VALUES (?1, 0, NULL, 'system', 'forged', 'x', '1', 'forged', ?2, 'h')"
            ),
            (seq, prev),
        )
    };
    assert!(insert(last + 2, &head, "INSERT").is_err(), "a gap in the numbering is refused");
    assert!(insert(last + 1, audit::GENESIS, "INSERT").is_err(), "a row that does not chain to the head is refused");
    assert!(insert(2, &head, "INSERT OR REPLACE").is_err(), "INSERT OR REPLACE over an old row is refused");
    assert!(insert(last, &head, "REPLACE").is_err(), "REPLACE over the last row is refused");
}

fn desk_ref(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT MAX(seq) FROM audit_event", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_database_whose_safeguards_were_dropped_is_not_opened() {
    for attack in [
        "DROP TRIGGER audit_event_no_delete",
        "DROP TRIGGER audit_event_next_in_chain",
        "DROP TRIGGER audit_event_no_update; CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event WHEN 0 BEGIN SELECT 1; END",
        "CREATE TRIGGER sneaky AFTER INSERT ON audit_event BEGIN SELECT 1; END",
    ] {
        let (dir, desk) = audited_desk();
        desk.db().execute_batch(attack).unwrap();
        drop(desk);
        let e = Desk::open(dir.path()).err().unwrap_or_else(|| panic!("opened after: {attack}"));
        let message = e.to_string();
        assert_eq!(ApiError::from(e).code, ErrorCode::Tampered, "{attack}");
        assert!(message.contains("will not open") && message.contains("backup"), "says what happened and what to do: {message}");
    }
}

#[cfg(unix)]
#[test]
fn the_data_directory_and_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("clinic");
    let desk = Desk::open(&dir).unwrap();
    drop(desk);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "data directory");
    for f in std::fs::read_dir(&dir).unwrap() {
        let p = f.unwrap().path();
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}

#[test]
fn opening_an_appointment_records_who_saw_the_patient_in_a_batch() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let (id, patient): (i64, i64) = desk
        .db()
        .query_row("SELECT id, patient_id FROM appointment WHERE status = 'booked' LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let before = audit_count(&desk);
    for _ in 0..3 {
        frontdesk::schedule::appointment(
            &ctx(&desk, Some(&token), NOW),
            frontdesk::schedule::AppointmentRequest { appointment_id: id },
        )
        .unwrap();
    }
    assert_eq!(audit_count(&desk), before, "reads are batched: the drawer opening writes nothing by itself");
    desk.flush_reads().unwrap();
    let rows = audit::for_entity(&desk.db(), "patient", &patient.to_string()).unwrap();
    let viewed: Vec<_> = rows.iter().filter(|r| r.action == "patient.viewed_with_appointment").collect();
    assert_eq!(viewed.len(), 1, "once per person and record in a batch, however often it was opened");
    assert_eq!(viewed[0].actor_role, "receptionist");
    assert!(owner_verification(&desk).intact, "the batch is part of the chain and sealed");
}
