//! Registering patients, screening look-alike registrations, the patient record, notes, and the
//! review queue that merges duplicates or keeps them apart, on real database files.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use frontdesk::escalations::{Category, EscalationRequest, EscalationSource, Severity};
use frontdesk::events::Event;
use frontdesk::patients::{
    AddNoteRequest, CreatePatientRequest, CreatedPatient, PatientRequest, ResolveReviewRequest, ReviewDecision,
};
use frontdesk::search::SearchRequest;
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};
use tempfile::TempDir;

fn create(desk: &Desk, token: &SessionToken, req: CreatePatientRequest) -> CreatedPatient {
    frontdesk::patients::create_patient(&ctx(desk, Some(token), NOW), req).unwrap_or_else(|e| panic!("create: {e}"))
}

/// A set-up clinic (region CA) with a branch, a doctor and a service for appointments, and the
/// owner signed in.
fn patient_desk() -> (TempDir, Desk, SessionToken) {
    let (dir, desk) = set_up_desk();
    desk.db()
        .execute_batch(
            "INSERT INTO branch (id, name) VALUES (1, 'Main');
             INSERT INTO doctor (id, display_name, department) VALUES (1, 'Dr. Anita Chen', 'Family Medicine');
             INSERT INTO service (id, code, name, duration_minutes) VALUES (1, 'CONS', 'Consultation', 15);",
        )
        .unwrap();
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    (dir, desk, token)
}

fn book(desk: &Desk, patient_id: i64, date: &str, hhmm: &str, status: &str) -> i64 {
    book_with(desk, 1, patient_id, date, hhmm, status)
}

fn book_with(desk: &Desk, doctor_id: i64, patient_id: i64, date: &str, hhmm: &str, status: &str) -> i64 {
    let start = toronto(date, hhmm);
    desk.db()
        .execute(
            "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, reason, created_at, updated_at)
             VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, 'phone', 'Check-up', 0, 0)",
            rusqlite::params![patient_id, doctor_id, start, start + 900, status],
        )
        .unwrap();
    desk.db().last_insert_rowid()
}

fn count(desk: &Desk, sql: &str) -> i64 {
    desk.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn bad_registrations_name_the_field_to_fix_and_write_nothing() {
    let (_dir, desk, token) = patient_desk();
    let mut first = patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345");
    first.mrn = Some("MRN-77".into());
    create(&desk, &token, first);
    let (patients, audits) = (count(&desk, "SELECT COUNT(*) FROM patient"), audit_count(&desk));

    type Change = fn(&mut CreatePatientRequest);
    let cases: &[(Change, &str, &str)] = &[
        (|r| r.given_name = "  ".into(), "given_name", "given"),
        (|r| r.family_name = String::new(), "family_name", "family name"),
        (|r| r.date_of_birth = Some("2027-01-01".into()), "date_of_birth", "future"),
        (|r| r.date_of_birth = Some("02/04/1988".into()), "date_of_birth", "2026-05-04"),
        (|r| r.sex = "f".into(), "sex", "female, male, other, unknown"),
        (|r| r.phone = String::new(), "phone", "Enter a phone number"),
        (|r| r.phone = "12".into(), "phone", "12"),
        (|r| r.phone_relationship = Some("cousin".into()), "phone_relationship", "spouse"),
        (|r| r.email = Some("priya@".into()), "email", "name@example.com"),
        (|r| r.mrn = Some("mrn-77".into()), "mrn", "already belongs to patient #1"),
        (|r| r.mrn = Some("MRN 77!".into()), "mrn", "letters, digits"),
        (|r| r.health_card = Some("!!".into()), "health_card", "health-card number"),
        (|r| r.preferred_language = Some("english".into()), "preferred_language", "two-letter"),
    ];
    for (change, field, says) in cases {
        let mut req = patient_request("Asha", "Rao", Some("1990-01-01"), "416 555 0100");
        change(&mut req);
        let e = frontdesk::patients::create_patient(&ctx(&desk, Some(&token), NOW), req).unwrap_err();
        let api = ApiError::from(e);
        assert_eq!(
            (api.code, api.field.as_deref()),
            (ErrorCode::InvalidInput, Some(*field)),
            "the form highlights the field to fix: {}",
            api.message
        );
        assert!(api.message.contains(says), "the message says what to type ({says}): {}", api.message);
    }
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM patient"), patients, "a refused registration writes no patient");
    assert_eq!(audit_count(&desk), audits, "a refused registration writes no audit event");
}

#[test]
fn a_registration_is_stored_normalised_and_audited_without_phi() {
    let (_dir, desk, token) = patient_desk();
    let seen: Arc<Mutex<Vec<Event>>> = Arc::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let mut req = patient_request("  Émilie ", " Côté", Some("1990-06-30"), "(416) 555-0199");
    req.health_card = Some("1234-567-890-ab".into());
    req.mrn = Some("mrn0042".into());
    req.email = Some("emilie@example.com".into());
    req.preferred_language = Some("FR".into());
    req.address = frontdesk::patients::Address {
        address_line: Some("  12  Rue Saint-Paul ".into()),
        city: Some("Montréal".into()),
        region: Some("QC".into()),
        postal_code: Some("h2y 1z2".into()),
    };
    let created = create(&desk, &token, req);
    assert_eq!((created.review_id, created.candidates.len()), (None, 0), "a first registration has no look-alikes");

    let record = frontdesk::patients::patient_record(
        &ctx(&desk, Some(&token), NOW),
        PatientRequest { patient_id: created.patient_id },
    )
    .unwrap();
    let card = &record.card;
    assert_eq!(card.name, "Émilie Côté");
    assert_eq!(card.phones[0].e164, "+14165550199", "phones are stored in E.164");
    assert_eq!(card.phones[0].relationship, "self");
    assert_eq!(card.health_card.as_deref(), Some("1234567890AB"), "health cards are stored bare");
    assert_eq!(card.mrn.as_deref(), Some("MRN0042"));
    assert_eq!(card.preferred_language, "fr");
    assert!(record.consent_sms && !record.consent_whatsapp && !record.consent_email);
    let a = &record.details.address;
    assert_eq!(
        (a.address_line.as_deref(), a.city.as_deref(), a.region.as_deref(), a.postal_code.as_deref()),
        (Some("12 Rue Saint-Paul"), Some("Montréal"), Some("QC"), Some("H2Y 1Z2")),
        "the address is kept, tidied"
    );

    let conn = desk.db();
    let summary: String =
        conn.query_row("SELECT summary FROM audit_event WHERE action = 'patient.created'", [], |r| r.get(0)).unwrap();
    for phi in ["milie", "Côté", "1990", "0199", "1234567890", "Saint-Paul", "H2Y"] {
        assert!(!summary.contains(phi), "audit summaries carry ids, never PHI ({phi}): {summary}");
    }
    drop(conn);
    assert!(seen.lock().unwrap().contains(&Event::PatientChanged { patient_id: created.patient_id }));
}

#[test]
fn look_alike_registrations_are_scored_and_open_a_review() {
    let (_dir, desk, token) = patient_desk();
    let mut priya = patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345");
    priya.health_card = Some("1234567890AB".into());
    let priya = create(&desk, &token, priya).patient_id;

    // (registration, candidate 1's expected score and reasons, whether a review opens)
    let cases: Vec<(CreatePatientRequest, i64, &[&str], bool)> = vec![
        (patient_request("Priyaa", "Sharma", None, "+91 98450-12345"), 60, &["same phone", "similar name"], true),
        // Day and month swapped on the same phone: the same person typed in again.
        (
            patient_request("Priya", "Sharma", Some("1988-02-04"), "+919845012345"),
            90,
            &["same phone", "close date of birth", "same name"],
            true,
        ),
        // One digit off on another phone: still worth a look.
        (
            patient_request("Priya", "Sharma", Some("1988-04-03"), "416 555 0103"),
            55,
            &["close date of birth", "same name"],
            true,
        ),
        (
            patient_request("Priya", "Shrma", Some("1988-04-02"), "416 555 0100"),
            55,
            &["same date of birth", "similar name"],
            true,
        ),
        (
            patient_request("Priya", "Sharma", Some("1988-04-02"), "416 555 0101"),
            70,
            &["same date of birth", "same name"],
            true,
        ),
        (
            CreatePatientRequest {
                health_card: Some("1234 567 890 AB".into()),
                ..patient_request("Priyaa", "Sharma", None, "416 555 0102")
            },
            85,
            &["same health card", "similar name"],
            true,
        ),
        // Her son on the family phone: a candidate (the reviewer sees the family) but no review.
        (
            CreatePatientRequest {
                phone_relationship: Some("child".into()),
                ..patient_request("Rohan", "Sharma", Some("2015-01-20"), "+91 98450 12345")
            },
            15,
            &["same phone"],
            false,
        ),
    ];
    for (req, score, reasons, opens) in cases {
        let label = format!("{} {} {:?}", req.given_name, req.family_name, req.date_of_birth);
        let created = create(&desk, &token, req);
        let c = created
            .candidates
            .iter()
            .find(|c| c.patient_id == priya)
            .unwrap_or_else(|| panic!("{label}: Priya must be a candidate: {:?}", created.candidates));
        let got: Vec<&str> = c.reasons.iter().map(String::as_str).collect();
        assert_eq!((c.score, got.as_slice()), (score, reasons), "{label}: the score explains itself");
        assert_eq!(
            created.review_id.is_some(),
            opens,
            "{label}: a review opens at {}",
            frontdesk::patients::REVIEW_THRESHOLD
        );
        // Take this registration out again so the next case is compared with Priya alone.
        desk.db().execute("UPDATE patient SET merged_into = ?1 WHERE id = ?2", [priya, created.patient_id]).unwrap();
        desk.db().execute("DELETE FROM patient_phone WHERE patient_id = ?1", [created.patient_id]).unwrap();
    }

    let reviews = frontdesk::patients::registration_reviews(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert_eq!(reviews.len(), 6, "one open review per look-alike");
    let first = &reviews[0];
    assert_eq!(first.patient.name, "Priyaa Sharma", "oldest first");
    assert_eq!(first.candidates[0].name, "Priya Sharma");
    assert_eq!(first.candidates[0].phone.as_deref(), Some("+91 98450 12345"));
    assert_eq!(first.candidates[0].date_of_birth.as_deref(), Some("1988-04-02"));
    let opened: i64 = count(&desk, "SELECT COUNT(*) FROM audit_event WHERE action = 'registration_review.opened'");
    assert_eq!(opened, 6, "opening a review is audited");

    // A birthday a slip away from Priya's is nothing without a close name.
    let stranger = create(&desk, &token, patient_request("Meera", "Iyer", Some("1988-04-03"), "416 555 0104"));
    assert!(
        stranger.candidates.iter().all(|c| c.patient_id != priya),
        "a close birthday alone is no sign: {:?}",
        stranger.candidates
    );
}

#[test]
fn distinct_closes_the_review_and_keeps_both_records() {
    let (_dir, desk, token) = patient_desk();
    let priya =
        create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345")).patient_id;
    let twin = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let review_id = twin.review_id.expect("a look-alike opens a review");
    let record =
        frontdesk::patients::patient_record(&ctx(&desk, Some(&token), NOW), PatientRequest { patient_id: priya })
            .unwrap();
    assert_eq!(record.open_review.map(|r| r.id), Some(review_id), "the record shows the review it is part of");

    let resolved = frontdesk::patients::resolve_review(
        &ctx(&desk, Some(&token), NOW),
        ResolveReviewRequest { review_id, decision: ReviewDecision::Distinct, keep_patient_id: None },
    )
    .unwrap();
    assert_eq!(resolved.merged_patient_id, None);
    assert!(frontdesk::patients::registration_reviews(&ctx(&desk, Some(&token), NOW)).unwrap().is_empty());
    let status: String =
        desk.db().query_row("SELECT status FROM registration_review WHERE id = ?1", [review_id], |r| r.get(0)).unwrap();
    assert_eq!(status, "distinct");
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM patient WHERE merged_into IS NOT NULL"), 0, "both records stay");
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM audit_event WHERE action = 'registration_review.distinct'"), 1);

    let e = frontdesk::patients::resolve_review(
        &ctx(&desk, Some(&token), NOW),
        ResolveReviewRequest { review_id, decision: ReviewDecision::Merge, keep_patient_id: None },
    )
    .unwrap_err();
    assert_eq!(ApiError::from(e).code, ErrorCode::Conflict, "a resolved review cannot be resolved again");
}

#[test]
fn merging_moves_everything_to_the_kept_record_and_leaves_a_tombstone() {
    let (_dir, desk, token) = patient_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let mut original = patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345");
    original.mrn = Some("MRN0001".into());
    let kept = create(&desk, &token, original).patient_id;
    let mut again = patient_request("Priyaa", "Sharma", None, "+91 98450 12345");
    again.health_card = Some("1234567890AB".into());
    let duplicate = create(&desk, &token, again);
    let merged = duplicate.patient_id;
    desk.db()
        .execute(
            "INSERT INTO patient_phone (patient_id, e164, label, is_primary) VALUES (?1, '+14165550111', 'work', 0)",
            [merged],
        )
        .unwrap();
    let past = book(&desk, kept, "2026-10-05", "09:00", "completed");
    let upcoming = book(&desk, merged, "2026-11-30", "10:00", "booked");
    let old = book(&desk, merged, "2026-09-01", "11:00", "completed");
    frontdesk::patients::add_patient_note(&c, AddNoteRequest { patient_id: merged, body: "Prefers Hindi".into() })
        .unwrap();
    frontdesk::patients::add_patient_note(
        &c,
        AddNoteRequest { patient_id: kept, body: "Allergic to penicillin".into() },
    )
    .unwrap();
    desk.db()
        .execute("INSERT INTO waitlist_entry (patient_id, created_at, updated_at) VALUES (?1, 0, 0)", [merged])
        .unwrap();
    // A missed call from the number only the duplicate has links to it, and so does an escalation.
    let callback = missed_call(&c, "416 555 0111", NOW - 600);
    assert_eq!(callback.patient_id, Some(merged), "the missed call is linked to the duplicate by phone");
    let escalation = frontdesk::escalations::create(
        &c,
        EscalationRequest {
            category: Category::BillingDispute,
            severity: Severity::Normal,
            source: EscalationSource::Staff,
            summary: "Disputes the invoice for the last visit".into(),
            patient_id: Some(merged),
            caller_name: "Priyaa".into(),
            caller_number: None,
            call_ref: None,
        },
    )
    .unwrap();

    let seen: Arc<Mutex<Vec<Event>>> = Arc::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let resolved = frontdesk::patients::resolve_review(
        &c,
        ResolveReviewRequest {
            review_id: duplicate.review_id.unwrap(),
            decision: ReviewDecision::Merge,
            keep_patient_id: None,
        },
    )
    .unwrap();
    assert_eq!(
        (resolved.kept_patient_id, resolved.merged_patient_id),
        (Some(kept), Some(merged)),
        "by default the existing record is kept and the new registration merged into it"
    );
    assert_eq!((resolved.appointments_moved, resolved.notes_moved, resolved.phones_moved), (2, 1, 1));

    let record = frontdesk::patients::patient_record(&c, PatientRequest { patient_id: kept }).unwrap();
    assert_eq!(record.upcoming.iter().map(|v| v.id).collect::<Vec<_>>(), vec![upcoming]);
    assert_eq!(record.past.iter().map(|v| v.id).collect::<Vec<_>>(), vec![past, old], "newest first");
    assert_eq!(record.notes.len(), 2, "notes from both records");
    assert_eq!(record.notes[0].author_name, "Olive Owner");
    let phones: Vec<&str> = record.card.phones.iter().map(|p| p.e164.as_str()).collect();
    assert_eq!(phones, vec!["+919845012345", "+14165550111"], "the shared number once, the other one added");
    assert_eq!(record.card.health_card.as_deref(), Some("1234567890AB"), "identifiers the kept record lacked");
    assert_eq!(record.card.date_of_birth.as_deref(), Some("1988-04-02"), "the kept record's own data wins");
    assert_eq!(count(&desk, &format!("SELECT COUNT(*) FROM waitlist_entry WHERE patient_id = {kept}")), 1);
    assert!(record.open_review.is_none());
    assert_eq!(
        count(&desk, &format!("SELECT patient_id FROM callback_task WHERE id = {}", callback.id)),
        kept,
        "a callback task must not point to a tombstone"
    );
    assert_eq!(
        count(&desk, &format!("SELECT patient_id FROM escalation WHERE id = {}", escalation.id)),
        kept,
        "an escalation must not point to a tombstone"
    );
    assert_eq!(
        record.callbacks.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![callback.id],
        "the kept record shows the duplicate's callback history"
    );

    let tomb = frontdesk::patients::patient_record(&c, PatientRequest { patient_id: merged }).unwrap();
    assert_eq!(tomb.merged_into, Some(kept), "the merged record points to the kept one, so the UI can redirect");
    assert!(tomb.upcoming.is_empty() && tomb.past.is_empty() && tomb.notes.is_empty());
    let results = frontdesk::search::search(&c, SearchRequest { query: "Priyaa Sharma".into(), limit: None }).unwrap();
    assert!(results.patients.iter().all(|p| p.id != merged), "the merged record is gone from search");
    assert_eq!(results.patients.first().map(|p| p.id), Some(kept));

    for id in [kept, merged] {
        let actions: Vec<String> = frontdesk::audit::for_entity(&desk.db(), "patient", &id.to_string())
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert!(
            actions.iter().any(|a| a.starts_with("patient.merge")),
            "the merge is in both patients' histories: {actions:?}"
        );
    }
    let head = desk.audit_head().ok();
    assert!(
        frontdesk::audit::verify(&desk.db(), head.as_ref()).unwrap().intact,
        "the merge keeps the audit chain whole"
    );
    let events = seen.lock().unwrap();
    assert!(events.contains(&Event::PatientChanged { patient_id: kept }));
    assert!(events.contains(&Event::ReviewsChanged));
    assert!(
        events.contains(&Event::CallbacksChanged) && events.contains(&Event::EscalationsChanged),
        "the queues show the moved tasks under the kept patient's name"
    );
    assert!(
        events.contains(&Event::AppointmentChanged { appointment_id: upcoming, date: "2026-11-30".into() }),
        "the day view of an upcoming appointment shows the kept patient's name"
    );
    drop(events);

    let e = frontdesk::patients::add_patient_note(&c, AddNoteRequest { patient_id: merged, body: "late".into() })
        .unwrap_err();
    assert_eq!(ApiError::from(e).code, ErrorCode::Conflict, "notes go to the kept record, not the tombstone");
}

#[test]
fn merges_that_cannot_be_right_are_refused_and_change_nothing() {
    let (_dir, desk, token) = patient_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let priya =
        create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345")).patient_id;
    let twin = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345"));
    let review_id = twin.review_id.unwrap();
    let other = create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234")).patient_id;
    let audits = audit_count(&desk);
    let merge = |keep: Option<i64>| {
        frontdesk::patients::resolve_review(
            &c,
            ResolveReviewRequest { review_id, decision: ReviewDecision::Merge, keep_patient_id: keep },
        )
        .map_err(ApiError::from)
        .unwrap_err()
    };

    let e = merge(Some(other));
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("keep_patient_id")), "{}", e.message);

    // Both records booked at the same time (with two doctors): one must be cancelled first.
    let a = book(&desk, priya, "2026-11-30", "10:00", "booked");
    desk.db()
        .execute_batch("INSERT INTO doctor (id, display_name, department) VALUES (2, 'Dr. Vikram Rao', 'Cardiology')")
        .unwrap();
    let b = book_with(&desk, 2, twin.patient_id, "2026-11-30", "10:05", "confirmed");
    let e = merge(None);
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains(&format!("#{a}")) && e.message.contains(&format!("#{b}")), "{}", e.message);
    desk.db().execute("UPDATE appointment SET status = 'cancelled' WHERE id = ?1", [b]).unwrap();

    // A candidate that was merged elsewhere meanwhile (written behind the app's back) is refused.
    desk.db().execute("UPDATE patient SET merged_into = ?1 WHERE id = ?2", [other, priya]).unwrap();
    let e = merge(None);
    assert_eq!(e.code, ErrorCode::Conflict, "nothing is merged into a tombstone: {}", e.message);
    desk.db().execute("UPDATE patient SET merged_into = NULL WHERE id = ?1", [priya]).unwrap();

    // A review listing the patient as its own candidate cannot merge it into itself.
    desk.db()
        .execute(
            "INSERT INTO review_candidate (review_id, candidate_id, score, reasons) VALUES (?1, ?2, 99, 'same phone')",
            [review_id, twin.patient_id],
        )
        .unwrap();
    let e = merge(Some(twin.patient_id));
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
    desk.db().execute("DELETE FROM review_candidate WHERE candidate_id = ?1", [twin.patient_id]).unwrap();

    assert_eq!(audit_count(&desk), audits, "refused merges write nothing");
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM patient WHERE merged_into IS NOT NULL"), 0);
    assert_eq!(count(&desk, &format!("SELECT COUNT(*) FROM appointment WHERE patient_id = {priya}")), 1);

    // Keeping the new registration instead merges the old record into it.
    let resolved = frontdesk::patients::resolve_review(
        &c,
        ResolveReviewRequest { review_id, decision: ReviewDecision::Merge, keep_patient_id: Some(twin.patient_id) },
    )
    .unwrap();
    assert_eq!((resolved.kept_patient_id, resolved.merged_patient_id), (Some(twin.patient_id), Some(priya)));
}

#[test]
fn notes_are_kept_short_and_newest_first() {
    let (_dir, desk, token) = patient_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let id = create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234")).patient_id;
    for (body, field_error) in [("", true), ("   ", true), (&*"x".repeat(2001), true), (&*"x".repeat(2000), false)] {
        let r = frontdesk::patients::add_patient_note(&c, AddNoteRequest { patient_id: id, body: body.to_owned() });
        match r {
            Err(e) => {
                assert!(field_error, "a {}-character note is fine", body.len());
                assert_eq!(ApiError::from(e).field.as_deref(), Some("body"));
            }
            Ok(_) => assert!(!field_error, "a {}-character note must be refused", body.len()),
        }
    }
    let later = ctx(&desk, Some(&token), NOW + 60);
    let note =
        frontdesk::patients::add_patient_note(&later, AddNoteRequest { patient_id: id, body: " Called back ".into() })
            .unwrap();
    assert_eq!(note.body, "Called back");
    let record = frontdesk::patients::patient_record(&c, PatientRequest { patient_id: id }).unwrap();
    assert_eq!(record.notes[0].id, note.id, "newest first");
    let summary: String = desk
        .db()
        .query_row("SELECT summary FROM audit_event WHERE action = 'patient.note_added' ORDER BY seq DESC", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(summary, format!("note {}", note.id), "the audit names the note, never its text");
    let e =
        frontdesk::patients::add_patient_note(&c, AddNoteRequest { patient_id: 9999, body: "x".into() }).unwrap_err();
    assert_eq!(ApiError::from(e).code, ErrorCode::NotFound);
}

#[test]
fn the_record_shows_family_on_the_same_phone() {
    let (_dir, desk, token) = patient_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let mother =
        create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345")).patient_id;
    let son = create(
        &desk,
        &token,
        CreatePatientRequest {
            phone_relationship: Some("child".into()),
            sex: "male".into(),
            ..patient_request("Rohan", "Sharma", Some("2015-01-20"), "+91 98450 12345")
        },
    )
    .patient_id;
    create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234"));
    let record = frontdesk::patients::patient_record(&c, PatientRequest { patient_id: mother }).unwrap();
    assert_eq!(record.shared_phone.len(), 1, "only the family on her number");
    let s = &record.shared_phone[0];
    assert_eq!(
        (s.patient_id, s.name.as_str(), s.age, s.relationship.as_str(), s.phone.as_str()),
        (son, "Rohan Sharma", Some(11), "child", "+91 98450 12345")
    );
    let e = frontdesk::patients::patient_record(&c, PatientRequest { patient_id: 9999 }).unwrap_err();
    assert_eq!(ApiError::from(e).code, ErrorCode::NotFound);
}

#[test]
fn roles_decide_who_sees_and_who_changes_patients() {
    let (_dir, desk, token) = patient_desk();
    let id = create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234")).patient_id;
    let support = add_staff(&desk, "support1", "support");
    let doctor = add_staff(&desk, "doctor1", "doctor");
    let audits = audit_count(&desk);
    let patients = count(&desk, "SELECT COUNT(*) FROM patient");

    let s = ctx(&desk, Some(&support), NOW);
    let refused = |r: Result<(), frontdesk::Error>, what: &str, code: ErrorCode| {
        assert_eq!(ApiError::from(r.unwrap_err()).code, code, "{what} must be refused");
    };
    // Without an approved support session, a support account is refused before its role is asked.
    let forbidden = |r, what: &str| {
        let code = if what.starts_with("support") { ErrorCode::SupportSessionRequired } else { ErrorCode::Forbidden };
        refused(r, what, code)
    };
    forbidden(
        frontdesk::patients::create_patient(&s, patient_request("A", "B", None, "604 555 0000")).map(|_| ()),
        "support registering",
    );
    forbidden(
        frontdesk::patients::patient_record(&s, PatientRequest { patient_id: id }).map(|_| ()),
        "support reading a record",
    );
    forbidden(frontdesk::patients::registration_reviews(&s).map(|_| ()), "support reading reviews");
    forbidden(
        frontdesk::patients::add_patient_note(&s, AddNoteRequest { patient_id: id, body: "x".into() }).map(|_| ()),
        "support adding a note",
    );

    let d = ctx(&desk, Some(&doctor), NOW);
    let record = frontdesk::patients::patient_record(&d, PatientRequest { patient_id: id }).unwrap();
    assert!(!record.can_edit, "the UI hides what the core refuses");
    forbidden(
        frontdesk::patients::add_patient_note(&d, AddNoteRequest { patient_id: id, body: "x".into() }).map(|_| ()),
        "a doctor changing the front desk's record",
    );
    forbidden(
        frontdesk::patients::resolve_review(
            &d,
            ResolveReviewRequest { review_id: 1, decision: ReviewDecision::Distinct, keep_patient_id: None },
        )
        .map(|_| ()),
        "a doctor resolving a review",
    );
    assert_eq!(audit_count(&desk), audits, "refusals write nothing");
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM patient"), patients);
}

#[test]
fn reading_a_record_searching_and_listing_reviews_leave_a_trace_in_the_audit_log() {
    let (_dir, desk, token) = patient_desk();
    let doctor = add_staff(&desk, "doctor1", "doctor");
    let priya =
        create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345")).patient_id;
    let twin = create(&desk, &token, patient_request("Priyaa", "Sharma", None, "+91 98450 12345")).patient_id;
    let d = ctx(&desk, Some(&doctor), NOW);
    frontdesk::patients::patient_record(&d, PatientRequest { patient_id: priya }).unwrap();
    frontdesk::search::search(&d, SearchRequest { query: "sharma".into(), limit: None }).unwrap();
    frontdesk::patients::registration_reviews(&d).unwrap();
    desk.flush_reads().unwrap();
    let reads: Vec<(String, String, String)> = {
        let conn = desk.db();
        let mut stmt = conn
            .prepare(
                "SELECT action, entity_id, summary FROM audit_event
                 WHERE actor_staff_id = (SELECT id FROM staff WHERE username = 'doctor1') AND entity = 'patient'
                 ORDER BY action, CAST(entity_id AS INTEGER)",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let read = |action: &str, id: i64| (action.to_owned(), id.to_string(), "read".to_owned());
    assert_eq!(
        reads,
        vec![read("patient.listed", priya), read("patient.listed", twin), read("patient.viewed", priya)],
        "who saw which patient is in the log (once per kind of read), as that person"
    );
}

#[test]
fn the_demo_clinic_has_families_with_relationships_and_open_reviews() {
    let (_dir, desk) = demo_desk();
    let token = sign_in(&desk, "reception", "frontdesk-demo", NOW);
    let reviews = frontdesk::patients::registration_reviews(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert!((4..=8).contains(&reviews.len()), "the review queue is not empty in the demo: {}", reviews.len());
    assert!(reviews.windows(2).all(|w| w[0].created_at <= w[1].created_at), "oldest first");
    for r in &reviews {
        assert!(!r.candidates.is_empty(), "review {} lists who it may duplicate", r.id);
        assert!(r.candidates.iter().all(|c| c.score >= 50), "{:?}", r.candidates);
    }
    let relationships: Vec<(String, i64)> = {
        let conn = desk.db();
        let mut stmt = conn
            .prepare("SELECT relationship, COUNT(*) FROM patient_phone GROUP BY relationship ORDER BY relationship")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    for kind in ["child", "parent", "self", "sibling", "spouse"] {
        assert!(relationships.iter().any(|(k, n)| k == kind && *n > 0), "the demo has {kind}: {relationships:?}");
    }
    let pending = count(&desk, "SELECT COUNT(*) FROM name_term_pending");
    assert_eq!(pending, 0, "the demo's names are in the typo index");
}

#[test]
fn a_phone_is_formatted_once_when_saved_and_older_rows_are_formatted_when_shown() {
    let (_dir, desk, token) = patient_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let local = create(&desk, &token, patient_request("Liam", "Tremblay", None, "604 555 1234")).patient_id;
    let abroad = create(&desk, &token, patient_request("Priya", "Sharma", None, "+91 98450 12345")).patient_id;
    let stored = |id: i64| -> Option<String> {
        desk.db().query_row("SELECT display FROM patient_phone WHERE patient_id = ?1", [id], |r| r.get(0)).unwrap()
    };
    assert_eq!(stored(local).as_deref(), Some("(604) 555-1234"), "the clinic's own region: national");
    assert_eq!(stored(abroad).as_deref(), Some("+91 98450 12345"), "elsewhere: international");

    // A number saved before displays were stored (migration 0005) shows the same, formatted as read.
    desk.db().execute("UPDATE patient_phone SET display = NULL", []).unwrap();
    let record = frontdesk::patients::patient_record(&c, PatientRequest { patient_id: local }).unwrap();
    assert_eq!(record.card.phones[0].display, "(604) 555-1234");
    let hits = frontdesk::search::search(&c, SearchRequest { query: "Tremblay".into(), limit: None }).unwrap();
    assert_eq!(hits.patients[0].phone.as_deref(), Some("(604) 555-1234"));
    let by_phone = frontdesk::search::search(&c, SearchRequest { query: "98450 12345".into(), limit: None }).unwrap();
    assert_eq!(by_phone.patients[0].phone.as_deref(), Some("+91 98450 12345"));

    // …and the app fills them in, a batch at a time, in the background.
    let mut after = 0;
    let mut batches = 0;
    let audits = audit_count(&desk);
    while let Some(next) = frontdesk::patients::fill_phone_displays(&desk, NOW, after, 1).unwrap() {
        after = next;
        batches += 1;
    }
    assert_eq!(batches, 2, "one phone a batch");
    assert_eq!(stored(local).as_deref(), Some("(604) 555-1234"));
    assert_eq!(stored(abroad).as_deref(), Some("+91 98450 12345"));
    assert_eq!(frontdesk::patients::fill_phone_displays(&desk, NOW, 0, 500).unwrap(), None, "nothing left to do");
    assert_eq!(
        count(
            &desk,
            "SELECT COUNT(*) FROM audit_event WHERE action = 'patient_phone.displays_filled' AND actor_role = 'system'"
        ),
        2,
        "every change is audited, the system's too: one entry a batch"
    );
    assert_eq!(audit_count(&desk), audits + 2);
}

#[test]
fn the_demo_clinic_stores_every_phone_as_the_clinic_shows_it() {
    let (_dir, desk) = demo_desk();
    let conn = desk.db();
    let region = frontdesk::clinic::load(&conn).unwrap().phone_region;
    let mut stmt = conn.prepare("SELECT e164, display FROM patient_phone").unwrap();
    let rows: Vec<(String, Option<String>)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert!(rows.len() > 1000);
    for (e164, display) in rows {
        assert_eq!(display.as_deref(), Some(frontdesk::phone::format(&e164, region).as_str()), "{e164}");
    }
}
