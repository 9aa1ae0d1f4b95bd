//! Undoing a merge, on real database files: a merge records what it moved and what it removed, an
//! owner or admin undoes it from the patient record, and both records come back exactly — every
//! row of every table that references patients, the patient rows and the name index — or the undo
//! is refused and changes nothing.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use common::*;
use frontdesk::events::Event;
use frontdesk::patients::{
    AddNoteRequest, CreatePatientRequest, PatientRequest, ResolveReviewRequest, ResolvedReview, ReviewDecision,
    UnmergeRequest,
};
use frontdesk::search::SearchRequest;
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

fn create(desk: &Desk, token: &SessionToken, req: CreatePatientRequest) -> (i64, Option<i64>) {
    let c = frontdesk::patients::create_patient(&ctx(desk, Some(token), NOW), req).unwrap();
    (c.patient_id, c.review_id)
}

fn book(desk: &Desk, patient_id: i64, date: &str, hhmm: &str, status: &str) -> i64 {
    let start = toronto(date, hhmm);
    desk.db()
        .execute(
            "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, reason, created_at, updated_at)
             VALUES (?1, 1, 1, 1, ?2, ?3, ?4, 'phone', 'Check-up', ?5, ?5)",
            rusqlite::params![patient_id, start, start + 900, status, NOW - 86_400],
        )
        .unwrap();
    desk.db().last_insert_rowid()
}

fn merge(
    desk: &Desk,
    token: &SessionToken,
    at: i64,
    review_id: i64,
    keep: Option<i64>,
) -> Result<ResolvedReview, ApiError> {
    frontdesk::patients::resolve_review(
        &ctx(desk, Some(token), at),
        ResolveReviewRequest { review_id, decision: ReviewDecision::Merge, keep_patient_id: keep },
    )
    .map_err(ApiError::from)
}

fn unmerge(
    desk: &Desk,
    token: &SessionToken,
    at: i64,
    merge_id: i64,
) -> Result<frontdesk::patients::Unmerged, ApiError> {
    frontdesk::patients::unmerge(&ctx(desk, Some(token), at), UnmergeRequest { merge_id }).map_err(ApiError::from)
}

fn count(desk: &Desk, sql: &str) -> i64 {
    desk.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The tables whose rows belong to a patient: every table with a foreign key to `patient`, but
/// the merge log itself (which an undo marks as undone).
fn patient_tables(desk: &Desk) -> Vec<String> {
    let conn = desk.db();
    let mut stmt = conn
        .prepare(
            "SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
               AND EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f WHERE f.\"table\" = 'patient')
               AND m.name NOT IN ('patient_merge', 'patient_merge_move')
             ORDER BY m.name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// Every row of every table that references patients, the patient rows, and the name index (the
/// FTS documents, the typo index and its queue), each row as text, sorted. Audit rows are left
/// out: a merge and its undo add to the log, as they must.
fn snapshot(desk: &Desk) -> BTreeMap<String, Vec<String>> {
    let mut tables = patient_tables(desk);
    tables.extend(["patient", "patient_fts_docsize", "name_term", "name_term_pending"].map(String::from));
    let conn = desk.db();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let width = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let values: Vec<rusqlite::types::Value> = (0..width).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                    Ok(format!("{values:?}"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            (table, rows)
        })
        .collect()
}

fn record(desk: &Desk, token: &SessionToken, patient_id: i64) -> frontdesk::patients::Patient360 {
    frontdesk::patients::patient_record(&ctx(desk, Some(token), NOW + 300), PatientRequest { patient_id }).unwrap()
}

#[test]
fn merge_then_undo_round_trips_every_table_that_references_patients() {
    let (_dir, desk, token) = owner_desk();
    let c = ctx(&desk, Some(&token), NOW);
    // K, the record kept; D, a duplicate registration of her; T, a third registration already
    // merged into D; U and V, later look-alikes whose open reviews list D.
    let (kept, _) = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let mut dup = patient_request("Priyaa", "Sharma", None, "+91 98450 12345");
    dup.mrn = Some("MRN0002".into());
    dup.health_card = Some("1234567890AB".into());
    dup.email = Some("priya@example.com".into());
    let (dup, dup_review) = create(&desk, &token, dup);
    let dup_review = dup_review.expect("a look-alike opens a review");
    let (third, third_review) = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let earlier = merge(&desk, &token, NOW, third_review.unwrap(), Some(dup)).unwrap();
    assert_eq!((earlier.kept_patient_id, earlier.merged_patient_id), (Some(dup), Some(third)));
    let (_, u_review) = create(&desk, &token, patient_request("Priya", "Sharma", None, "+91 98450 12345"));
    let (_, v_review) = create(
        &desk,
        &token,
        CreatePatientRequest {
            health_card: Some("1234 567 890 AB".into()),
            ..patient_request("Priyaa", "Sharma", None, "604 555 0177")
        },
    );
    let lists = |review: i64| -> Vec<i64> {
        let conn = desk.db();
        let mut stmt =
            conn.prepare("SELECT candidate_id FROM review_candidate WHERE review_id = ?1 ORDER BY 1").unwrap();
        stmt.query_map([review], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(lists(u_review.unwrap()), vec![kept, dup], "U's review lists both: D's row goes when D is merged");
    assert_eq!(lists(v_review.unwrap()), vec![dup], "V's review lists D only: it is pointed at K");

    // D's own things: a second phone (her primary), visits, a note, the wait list, a walk-in, a
    // missed call and an escalation.
    desk.db()
        .execute_batch(&format!(
            "UPDATE patient_phone SET is_primary = 0 WHERE patient_id = {dup};
             INSERT INTO patient_phone (patient_id, e164, label, is_primary, relationship, display)
               VALUES ({dup}, '+14165550111', 'work', 1, 'self', '(416) 555-0111');
             INSERT INTO waitlist_entry (patient_id, created_at, updated_at) VALUES ({dup}, {t}, {t});
             INSERT INTO walk_in (patient_id, branch_id, service_id, arrived_at, updated_at) VALUES ({dup}, 1, 1, {t}, {t});
             INSERT INTO escalation (category, severity, source, summary, patient_id, sla_started_at, created_at, updated_at)
               VALUES ('billing_dispute', 'normal', 'staff', 'Disputes an invoice', {dup}, {t}, {t}, {t});",
            t = NOW - 3600
        ))
        .unwrap();
    book(&desk, kept, "2026-10-05", "09:00", "completed");
    let upcoming = book(&desk, dup, "2026-11-30", "10:00", "booked");
    book(&desk, dup, "2026-09-01", "11:00", "completed");
    frontdesk::patients::add_patient_note(&c, AddNoteRequest { patient_id: dup, body: "Prefers Hindi".into() })
        .unwrap();
    let call = missed_call(&c, "416 555 0111", NOW - 600);
    assert_eq!(call.patient_id, Some(dup));
    // A correction of D's details: its before/after rows follow D.
    let mut correction = edit_form(&desk, &token, dup);
    correction.address.city = Some("Brampton".into());
    frontdesk::patients::update_patient(&c, correction).unwrap();

    let tables = patient_tables(&desk);
    for expected in [
        "appointment",
        "callback_task",
        "escalation",
        "patient_edit",
        "patient_note",
        "patient_phone",
        "registration_review",
        "review_candidate",
        "waitlist_entry",
        "walk_in",
    ] {
        assert!(tables.iter().any(|t| t == expected), "{expected} references patients: {tables:?}");
    }
    let before = snapshot(&desk);

    let merged = merge(&desk, &token, NOW + 60, dup_review, None).unwrap();
    assert_eq!((merged.kept_patient_id, merged.merged_patient_id), (Some(kept), Some(dup)));
    let merge_id = merged.merge_id.expect("a merge says which merge it was, for its undo");
    let during = snapshot(&desk);
    for table in tables.iter().chain(&["patient".to_owned()]) {
        assert_ne!(
            before[table], during[table],
            "the merge moves rows of every table that references patients ({table}), so the round trip below proves \
             something; a new table must be added to patients::merge_patients"
        );
    }
    assert_eq!(lists(v_review.unwrap()), vec![kept]);
    let shown = record(&desk, &token, kept);
    assert_eq!(
        shown.merges.iter().map(|m| (m.merge_id, m.other_patient_id, m.kept_this, m.undone_at)).collect::<Vec<_>>(),
        vec![(merge_id, dup, true, None)],
        "the kept record offers the undo"
    );
    let tomb = record(&desk, &token, dup);
    assert_eq!(tomb.merged_into, Some(kept));
    assert_eq!(tomb.merges[0].merge_id, merge_id, "so does the tombstone");
    assert!(!tomb.merges[0].kept_this && shown.can_merge);

    let seen: Arc<Mutex<Vec<Event>>> = Arc::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let audits = audit_count(&desk);
    let undone = unmerge(&desk, &token, NOW + 120, merge_id).unwrap();
    assert_eq!((undone.kept_patient_id, undone.restored_patient_id), (kept, dup));
    assert_eq!((undone.appointments_returned, undone.notes_returned, undone.phones_returned), (2, 1, 2));
    assert_eq!(undone.reopened_review_id, Some(dup_review), "the review is open again for a new decision");

    let after = snapshot(&desk);
    for (table, rows) in &before {
        assert_eq!(rows, &after[table], "undoing the merge gives {table} back exactly as it was before the merge");
    }

    // The name index answers as before: D is found by name and MRN again, and T still leads to D.
    let search = |q: &str| {
        frontdesk::search::search(&ctx(&desk, Some(&token), NOW + 300), SearchRequest { query: q.into(), limit: None })
            .unwrap()
            .patients
            .into_iter()
            .map(|p| p.id)
            .collect::<Vec<_>>()
    };
    assert!(search("Priyaa Sharma").contains(&dup), "the restored record is searchable by name again");
    assert_eq!(search("MRN0002"), vec![dup], "its MRN leads to it, not to the record it was merged into");

    // The undo is audited with ids only, and the chain still verifies.
    let new_audits: Vec<(String, String, String)> = {
        let conn = desk.db();
        let mut stmt =
            conn.prepare("SELECT action, entity_id, summary FROM audit_event WHERE seq > ?1 ORDER BY seq").unwrap();
        stmt.query_map([audits], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let actions: Vec<&str> = new_audits.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(actions, ["patient.unmerged", "patient.merge_undone", "registration_review.reopened"]);
    for (_, _, summary) in &new_audits {
        for phi in ["Priya", "Sharma", "MRN0002", "1234567890", "0111", "example.com"] {
            assert!(!summary.contains(phi), "audit summaries carry ids, never PHI ({phi}): {summary}");
        }
    }
    let head = desk.audit_head().ok();
    assert!(frontdesk::audit::verify(&desk.db(), head.as_ref()).unwrap().intact, "the audit chain verifies after");

    let events = seen.lock().unwrap().clone();
    for e in [
        Event::PatientChanged { patient_id: dup },
        Event::PatientChanged { patient_id: kept },
        Event::AppointmentChanged { appointment_id: upcoming, date: "2026-11-30".into() },
        Event::CallbacksChanged,
        Event::EscalationsChanged,
        Event::WaitlistChanged,
        Event::WalkInsChanged,
        Event::ReviewsChanged,
    ] {
        assert!(events.contains(&e), "views showing moved rows refresh: {e:?} missing from {events:?}");
    }
    let shown = record(&desk, &token, dup);
    assert_eq!(shown.merged_into, None);
    assert_eq!(shown.merges.iter().find(|m| m.merge_id == merge_id).and_then(|m| m.undone_at), Some(NOW + 120));

    // The earlier merge (T into D) can be undone now too, in its turn.
    let first = unmerge(&desk, &token, NOW + 180, earlier.merge_id.unwrap()).unwrap();
    assert_eq!(first.restored_patient_id, third);
    assert_eq!(count(&desk, &format!("SELECT COUNT(*) FROM patient WHERE id = {third} AND merged_into IS NULL")), 1);
}

#[test]
fn only_owners_and_admins_merge_and_undo_receptionists_still_review() {
    let (_dir, desk, owner) = owner_desk();
    let reception = add_staff(&desk, "reception1", "receptionist");
    let admin = add_staff(&desk, "admin1", "admin");
    let (kept, _) = create(&desk, &owner, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let (_, review) = create(&desk, &owner, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let review = review.unwrap();
    let audits = audit_count(&desk);

    let e = merge(&desk, &reception, NOW, review, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "merging needs a role the clinic trusts with it: {}", e.message);
    assert!(e.message.contains("merge"), "the refusal says what was refused: {}", e.message);
    assert_eq!(audit_count(&desk), audits, "a refused merge writes nothing");
    assert!(!record(&desk, &reception, kept).can_merge, "the UI hides what the core refuses");

    let merged = merge(&desk, &admin, NOW, review, None).unwrap();
    let e = unmerge(&desk, &reception, NOW, merged.merge_id.unwrap()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "undoing a merge needs the same trust: {}", e.message);
    unmerge(&desk, &admin, NOW, merged.merge_id.unwrap()).expect("an admin undoes a merge");

    // The review is open again; a receptionist may still decide the two are different people.
    let distinct = frontdesk::patients::resolve_review(
        &ctx(&desk, Some(&reception), NOW),
        ResolveReviewRequest { review_id: review, decision: ReviewDecision::Distinct, keep_patient_id: None },
    )
    .expect("reviewing stays with the front desk");
    assert_eq!(distinct.merge_id, None);
}

#[test]
fn an_undo_is_refused_twice_out_of_order_and_when_it_cannot_be_exact() {
    let (_dir, desk, token) = owner_desk();
    let (a, _) = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let (b, b_review) = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let note = frontdesk::patients::add_patient_note(
        &ctx(&desk, Some(&token), NOW),
        AddNoteRequest { patient_id: b, body: "Prefers mornings".into() },
    )
    .unwrap()
    .id;
    let first = merge(&desk, &token, NOW, b_review.unwrap(), Some(a)).unwrap().merge_id.unwrap();
    let note_owner = || count(&desk, &format!("SELECT patient_id FROM patient_note WHERE id = {note}"));
    assert_eq!(note_owner(), a);

    // The moved note given to someone else behind the app's back: putting it back would not be exact.
    let other = create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234")).0;
    desk.db().execute("UPDATE patient_note SET patient_id = ?1 WHERE id = ?2", [other, note]).unwrap();
    let (snap, audits) = (snapshot(&desk), audit_count(&desk));
    let e = unmerge(&desk, &token, NOW + 60, first).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(
        e.message.contains(&format!("Note #{note}")) && e.message.contains(&format!("patient #{other}")),
        "the refusal names the row and where it is now: {}",
        e.message
    );
    assert!(e.message.contains("Nothing was changed"), "and says nothing happened: {}", e.message);
    assert_eq!(snapshot(&desk), snap, "a refused undo changes nothing");
    assert_eq!(audit_count(&desk), audits, "and audits nothing");
    desk.db().execute("UPDATE patient_note SET patient_id = ?1 WHERE id = ?2", [a, note]).unwrap();

    // Merges stack: when the kept record was merged away since, that merge comes off first.
    let (c, c_review) = create(
        &desk,
        &token,
        CreatePatientRequest {
            mrn: Some("MRN0003".into()),
            ..patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345")
        },
    );
    let second = merge(&desk, &token, NOW + 60, c_review.unwrap(), Some(c)).unwrap();
    assert_eq!(second.merged_patient_id, Some(a));
    let second = second.merge_id.unwrap();
    assert_eq!(note_owner(), c, "the note went on with A into C");
    let e = unmerge(&desk, &token, NOW + 120, first).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains(&format!("#{second}")), "the refusal names the merge to undo first: {}", e.message);

    unmerge(&desk, &token, NOW + 120, second).unwrap();
    assert_eq!(note_owner(), a, "each undo gives back what its own merge moved");
    unmerge(&desk, &token, NOW + 180, first).unwrap();
    assert_eq!(note_owner(), b);
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM patient WHERE merged_into IS NOT NULL"), 0, "three records again");

    let e = unmerge(&desk, &token, NOW + 240, first).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "a merge is undone once: {}", e.message);
    assert!(e.message.contains("already undone"), "{}", e.message);
    let e = unmerge(&desk, &token, NOW + 240, 999).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn a_visit_rebooked_after_the_merge_goes_back_with_the_appointment_it_replaced() {
    let (_dir, desk, token) = owner_desk();
    let (kept, _) = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let (dup, review) = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let moved = book(&desk, dup, "2026-11-30", "10:00", "booked");
    let arrives = book(&desk, dup, "2026-11-23", "10:30", "booked");
    let merge_id = merge(&desk, &token, NOW, review.unwrap(), None).unwrap().merge_id.unwrap();

    // After the merge, as booking and the status cycle write them: the moved visit is rescheduled
    // (a new appointment on the kept record, the old one pointing to it), the other one arrives,
    // and the kept patient books a visit of her own.
    let later = NOW + 600;
    let start = toronto("2026-12-01", "09:00");
    desk.db()
        .execute(
            "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, reason, created_at, updated_at)
             VALUES (?1, 1, 1, 1, ?2, ?3, 'booked', 'phone', 'Check-up', ?4, ?4)",
            rusqlite::params![kept, start, start + 900, later],
        )
        .unwrap();
    let rebooked = desk.db().last_insert_rowid();
    desk.db()
        .execute(
            "UPDATE appointment SET status = 'rescheduled', rescheduled_to = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![moved, rebooked, later],
        )
        .unwrap();
    desk.db()
        .execute(
            "UPDATE appointment SET status = 'arrived', arrived_at = ?2, updated_at = ?2 WHERE id = ?1",
            rusqlite::params![arrives, later],
        )
        .unwrap();
    let own = book(&desk, kept, "2026-12-02", "09:00", "booked");

    let undone = unmerge(&desk, &token, later + 60, merge_id).unwrap();
    assert_eq!(undone.appointments_returned, 3, "both moved visits and the rebooking of one");
    let owner_of = |id: i64| count(&desk, &format!("SELECT patient_id FROM appointment WHERE id = {id}"));
    assert_eq!(
        [owner_of(moved), owner_of(rebooked), owner_of(arrives), owner_of(own)],
        [dup, dup, dup, kept],
        "a visit is never split across two records; what the kept patient booked herself stays hers"
    );
    let (status, updated_at): (String, i64) = desk
        .db()
        .query_row("SELECT status, updated_at FROM appointment WHERE id = ?1", [arrives], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (status.as_str(), updated_at),
        ("arrived", later),
        "what happened to a visit since the merge really happened: the undo keeps it"
    );
}

#[test]
fn a_removed_phone_whose_id_was_taken_since_comes_back_under_a_new_one() {
    let (_dir, desk, token) = owner_desk();
    let (kept, _) = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let (dup, review) = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let removed: i64 = count(&desk, &format!("SELECT id FROM patient_phone WHERE patient_id = {dup}"));
    let merge_id = merge(&desk, &token, NOW, review.unwrap(), None).unwrap().merge_id.unwrap();
    // SQLite hands the freed highest id to the next phone saved.
    let (liam, _) = create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234"));
    assert_eq!(count(&desk, &format!("SELECT patient_id FROM patient_phone WHERE id = {removed}")), liam);

    unmerge(&desk, &token, NOW + 60, merge_id).unwrap();
    let phones_of = |id: i64| -> Vec<String> {
        let conn = desk.db();
        let mut stmt = conn.prepare("SELECT e164 FROM patient_phone WHERE patient_id = ?1 ORDER BY id").unwrap();
        stmt.query_map([id], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(phones_of(dup), ["+919845012345"], "the restored record has its phone back");
    assert_eq!(phones_of(liam), ["+16045551234"], "and nobody else's phone was overwritten");
    assert_eq!(phones_of(kept), ["+919845012345"]);
}
