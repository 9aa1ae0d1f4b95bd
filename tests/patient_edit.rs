//! Correcting a patient's details, on real database files: every field can be corrected, each
//! change is kept before and after while the audit log names only the fields, a form loaded
//! before someone else's change is refused, the phones stay consistent, and an edit that makes a
//! patient look like someone else opens a registration review.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use frontdesk::events::Event;
use frontdesk::patients::{
    Address, CreatePatientRequest, Patient360, PatientRequest, PhoneInput, ResolveReviewRequest, ReviewDecision,
    UpdatePatientRequest, UpdatedPatient,
};
use frontdesk::search::SearchRequest;
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};
use rusqlite::types::Value;

fn create(desk: &Desk, token: &SessionToken, req: CreatePatientRequest) -> i64 {
    frontdesk::patients::create_patient(&ctx(desk, Some(token), NOW), req)
        .unwrap_or_else(|e| panic!("create: {e}"))
        .patient_id
}

fn record(desk: &Desk, token: &SessionToken, patient_id: i64) -> Patient360 {
    frontdesk::patients::patient_record(&ctx(desk, Some(token), NOW), PatientRequest { patient_id }).unwrap()
}

fn update(desk: &Desk, token: &SessionToken, req: UpdatePatientRequest) -> Result<UpdatedPatient, ApiError> {
    frontdesk::patients::update_patient(&ctx(desk, Some(token), NOW + 60), req).map_err(ApiError::from)
}

fn new_phone(number: &str) -> PhoneInput {
    PhoneInput { id: None, number: number.into(), label: None, relationship: None }
}

fn count(desk: &Desk, sql: &str) -> i64 {
    desk.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The recorded corrections of a patient, oldest first: (audit seq, field, before, after).
fn edit_rows(desk: &Desk, patient_id: i64) -> Vec<(i64, String, Value, Value)> {
    let conn = desk.db();
    let mut stmt = conn
        .prepare("SELECT audit_seq, field, before, after FROM patient_edit WHERE patient_id = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([patient_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

/// The phones table of one patient: (id, e164, label, relationship, is_primary, display).
fn phone_rows(desk: &Desk, patient_id: i64) -> Vec<(i64, String, String, String, bool, Option<String>)> {
    let conn = desk.db();
    let mut stmt = conn
        .prepare(
            "SELECT id, e164, label, relationship, is_primary, display FROM patient_phone WHERE patient_id = ?1 ORDER BY id",
        )
        .unwrap();
    stmt.query_map([patient_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn search_ids(desk: &Desk, token: &SessionToken, q: &str) -> Vec<i64> {
    frontdesk::search::search(&ctx(desk, Some(token), NOW + 120), SearchRequest { query: q.into(), limit: None })
        .unwrap()
        .patients
        .into_iter()
        .map(|p| p.id)
        .collect()
}

#[test]
fn every_field_can_be_corrected_and_each_change_is_kept_before_and_after_without_phi_in_the_log() {
    let (_dir, desk, token) = owner_desk();
    let mut req = patient_request("Emilie", "Cote", Some("1990-06-30"), "(416) 555-0199");
    req.email = Some("emilie@example.com".into());
    let id = create(&desk, &token, req);
    let seen: Arc<Mutex<Vec<Event>>> = Arc::default();
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let audits = audit_count(&desk);

    let mut f = edit_form(&desk, &token, id);
    assert_eq!(f.version, 1, "a record starts at version 1");
    f.given_name = "  Émilie ".into();
    f.family_name = "Côté-Roy".into();
    f.date_of_birth = Some("1990-03-06".into());
    f.sex = "other".into();
    f.phones[0].number = "416 555 0198".into();
    f.email = Some("e.cote@example.org".into());
    f.mrn = Some("mrn-0042".into());
    f.health_card = Some("9876-543-210-ab".into());
    f.preferred_language = "FR".into();
    f.address = Address {
        address_line: Some("  12  Rue   Saint-Denis, apt 4 ".into()),
        city: Some("Montréal".into()),
        region: Some("QC".into()),
        postal_code: Some("h2x 3k8".into()),
    };
    f.consent_sms = false;
    f.consent_whatsapp = true;
    f.consent_email = true;
    let done = update(&desk, &token, f).unwrap();
    let all = [
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "phones",
        "email",
        "mrn",
        "health_card",
        "preferred_language",
        "address_line",
        "city",
        "region",
        "postal_code",
        "consent_sms",
        "consent_whatsapp",
        "consent_email",
    ];
    assert_eq!(done.changed, all, "every field of the form can be corrected, and the answer says which changed");
    assert_eq!(done.version, 2, "the record's version goes up with the edit");
    assert_eq!(done.review_id, None, "nobody else looks like her");

    let r = record(&desk, &token, id);
    assert_eq!(r.card.name, "Émilie Côté-Roy", "names are stored tidied, as at registration");
    assert_eq!(r.card.date_of_birth.as_deref(), Some("1990-03-06"));
    assert_eq!(r.card.sex, "other");
    assert_eq!(r.card.phones[0].e164, "+14165550198");
    assert_eq!(r.card.phones[0].display, "(416) 555-0198", "the new number is formatted when it is saved");
    assert_eq!(r.card.email.as_deref(), Some("e.cote@example.org"));
    assert_eq!(r.card.mrn.as_deref(), Some("MRN-0042"));
    assert_eq!(r.card.health_card.as_deref(), Some("9876543210AB"), "health cards are stored bare");
    assert_eq!(r.card.preferred_language, "fr");
    assert_eq!(
        r.details.address,
        Address {
            address_line: Some("12 Rue Saint-Denis, apt 4".into()),
            city: Some("Montréal".into()),
            region: Some("QC".into()),
            postal_code: Some("H2X 3K8".into()),
        },
        "the address is kept tidied and shown on the record"
    );
    assert!(!r.consent_sms && r.consent_whatsapp && r.consent_email);
    assert_eq!(r.details.version, 2);
    assert_eq!(r.edits.len(), 1, "the record lists its corrections");
    assert_eq!(r.edits[0].fields, all);
    assert_eq!(r.edits[0].staff_name.as_deref(), Some("Olive Owner"), "and who made them");
    assert_eq!(r.edits[0].at, NOW + 60);

    // The values before and after are kept in the database, one row per field, under the audit row.
    let rows = edit_rows(&desk, id);
    let seq: i64 = desk
        .db()
        .query_row(
            "SELECT seq FROM audit_event WHERE action = 'patient.edited' AND entity_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(rows.iter().all(|row| row.0 == seq), "every before/after row points to the edit's audit entry");
    let field = |name: &str| rows.iter().find(|r| r.1 == name).map(|r| (r.2.clone(), r.3.clone())).unwrap();
    assert_eq!(field("given_name"), (text("Emilie"), text("Émilie")));
    assert_eq!(field("family_name"), (text("Cote"), text("Côté-Roy")));
    assert_eq!(field("date_of_birth"), (text("1990-06-30"), text("1990-03-06")));
    assert_eq!(field("email"), (text("emilie@example.com"), text("e.cote@example.org")));
    assert_eq!(field("mrn"), (Value::Null, text("MRN-0042")));
    assert_eq!(field("postal_code"), (Value::Null, text("H2X 3K8")));
    assert_eq!(field("consent_sms"), (Value::Integer(1), Value::Integer(0)));
    let (before, after) = field("phones");
    assert!(
        matches!((&before, &after), (Value::Text(b), Value::Text(a)) if b.contains("+14165550199") && a.contains("+14165550198")),
        "the phones are kept as the whole list before and after: {before:?} → {after:?}"
    );

    // The audit log names the fields, never the values.
    let summary: String =
        desk.db().query_row("SELECT summary FROM audit_event WHERE seq = ?1", [seq], |r| r.get(0)).unwrap();
    assert!(summary.contains("family name") && summary.contains("phones") && summary.contains("address"), "{summary}");
    assert!(summary.contains("SMS consent withdrawn"), "consents say which way they went: {summary}");
    for phi in [
        "Emilie", "milie", "Cote", "Côté", "1990", "0199", "0198", "example", "MRN-", "0042", "9876", "Montr", "Denis",
        "QC", "H2X", "h2x", "fr",
    ] {
        assert!(!summary.contains(phi), "audit summaries name fields, never values ({phi}): {summary}");
    }
    assert_eq!(audit_count(&desk), audits + 1, "one edit, one audit entry");
    let head = desk.audit_head().ok();
    assert!(frontdesk::audit::verify(&desk.db(), head.as_ref()).unwrap().intact, "the audit chain verifies after");

    // The name index follows the new name.
    assert!(search_ids(&desk, &token, "Émilie Roy").contains(&id), "the new name finds her");
    assert!(search_ids(&desk, &token, "416 555 0198").contains(&id), "the new number finds her");
    assert!(!search_ids(&desk, &token, "416 555 0199").contains(&id), "the old number no longer does");
    assert!(seen.lock().unwrap().contains(&Event::PatientChanged { patient_id: id }), "open records refresh");

    // Clearing optional fields is a correction too.
    let mut f = edit_form(&desk, &token, id);
    f.email = None;
    f.date_of_birth = Some(String::new());
    f.address.region = Some("   ".into());
    let done = update(&desk, &token, f).unwrap();
    assert_eq!(done.changed, ["date_of_birth", "email", "region"]);
    let r = record(&desk, &token, id);
    assert_eq!((r.card.email, r.card.date_of_birth, r.details.address.region), (None, None, None));
    assert_eq!(r.edits.len(), 2, "newest first");
    assert_eq!(r.edits[0].fields, ["date_of_birth", "email", "region"]);
}

#[test]
fn an_edit_that_changes_nothing_writes_nothing() {
    let (_dir, desk, token) = owner_desk();
    let id = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let (audits, version) = (audit_count(&desk), record(&desk, &token, id).details.version);
    let mut f = edit_form(&desk, &token, id);
    // Typed differently, the same values.
    f.given_name = " Priya ".into();
    f.phones[0].number = "+91 98450-12345".into();
    f.preferred_language = "EN".into();
    let done = update(&desk, &token, f).unwrap();
    assert!(done.changed.is_empty(), "nothing changed: {:?}", done.changed);
    assert_eq!(done.version, version);
    assert_eq!(audit_count(&desk), audits, "an edit that changes nothing is not audited");
    assert_eq!(record(&desk, &token, id).details.version, version, "nor does it move the version");
    assert!(edit_rows(&desk, id).is_empty());
}

#[test]
fn only_the_roles_that_change_patient_records_may_correct_them() {
    let (_dir, desk, owner) = owner_desk();
    let id = create(&desk, &owner, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let refused: Vec<(&str, SessionToken)> = ["doctor", "support", "reviewer", "operations"]
        .into_iter()
        .map(|role| (role, add_staff(&desk, &format!("{role}1"), role)))
        .collect();
    let audits = audit_count(&desk);
    for (role, token) in refused {
        let mut f = edit_form(&desk, &owner, id);
        f.family_name = "Verma".into();
        let e = update(&desk, &token, f).unwrap_err();
        // A support account without an approved session is refused before its role is asked.
        let refusal = if role == "support" { ErrorCode::SupportSessionRequired } else { ErrorCode::Forbidden };
        assert_eq!(e.code, refusal, "a {role} may not correct a patient's details: {}", e.message);
        if role != "support" && role != "operations" {
            assert!(!record(&desk, &token, id).can_edit, "the window hides what the core refuses ({role})");
        }
    }
    assert_eq!(audit_count(&desk), audits, "a refused edit writes nothing");
    assert_eq!(record(&desk, &owner, id).card.name, "Priya Sharma");

    let reception = add_staff(&desk, "reception1", "receptionist");
    let mut f = edit_form(&desk, &reception, id);
    f.family_name = "Verma".into();
    update(&desk, &reception, f).expect("the front desk corrects details");
    let admin = add_staff(&desk, "admin1", "admin");
    let mut f = edit_form(&desk, &admin, id);
    f.given_name = "Priyanka".into();
    update(&desk, &admin, f).expect("so does an admin");
    assert_eq!(record(&desk, &owner, id).card.name, "Priyanka Verma");
}

#[test]
fn bad_corrections_name_the_field_to_fix_and_write_nothing() {
    let (_dir, desk, token) = owner_desk();
    let mut other = patient_request("Liam", "Tremblay", None, "604 555 1234");
    other.mrn = Some("MRN-77".into());
    let other = create(&desk, &token, other);
    let id = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let (audits, edits) = (audit_count(&desk), count(&desk, "SELECT COUNT(*) FROM patient_edit"));

    type Change = fn(&mut UpdatePatientRequest);
    let cases: &[(Change, &str, &str)] = &[
        (|r| r.given_name = "  ".into(), "given_name", "given"),
        (|r| r.family_name = "123".into(), "family_name", "letters"),
        (|r| r.date_of_birth = Some("2027-01-01".into()), "date_of_birth", "future"),
        (|r| r.date_of_birth = Some("1850-01-01".into()), "date_of_birth", "130 years"),
        (|r| r.date_of_birth = Some("02/04/1988".into()), "date_of_birth", "2026-05-04"),
        (|r| r.sex = "f".into(), "sex", "female, male, other, unknown"),
        (|r| r.phones.clear(), "phones.0", "Enter a phone number"),
        (|r| r.phones[0].number = "12".into(), "phones.0", "12"),
        (|r| r.phones.push(new_phone("98450 1234")), "phones.1", "98450 1234"),
        (|r| r.phones.push(new_phone("+919845012345")), "phones.1", "already listed"),
        (
            |r| r.phones.push(PhoneInput { label: Some("pager".into()), ..new_phone("416 555 0100") }),
            "phones.1",
            "mobile, home, work, other",
        ),
        (
            |r| r.phones.push(PhoneInput { relationship: Some("cousin".into()), ..new_phone("416 555 0100") }),
            "phones.1",
            "spouse",
        ),
        (|r| r.email = Some("priya@".into()), "email", "name@example.com"),
        (|r| r.mrn = Some("mrn-77".into()), "mrn", "already belongs to patient #"),
        (|r| r.mrn = Some("MRN 77!".into()), "mrn", "letters, digits"),
        (|r| r.health_card = Some("!!".into()), "health_card", "health-card number"),
        (|r| r.preferred_language = "english".into(), "preferred_language", "two-letter"),
        (|r| r.address.address_line = Some("x".repeat(201)), "address_line", "under 200"),
        (|r| r.address.city = Some("12345".into()), "city", "letters"),
        (|r| r.address.region = Some("y".repeat(101)), "region", "under 100"),
        (|r| r.address.postal_code = Some("V6C#3C3".into()), "postal_code", "V6C 3C3"),
    ];
    for (change, field, says) in cases {
        let mut req = edit_form(&desk, &token, id);
        change(&mut req);
        let e = update(&desk, &token, req).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidInput, Some(*field)),
            "the form highlights the field to fix: {}",
            e.message
        );
        assert!(e.message.contains(says), "the message says what to type ({says}): {}", e.message);
    }
    let e = {
        let mut req = edit_form(&desk, &token, id);
        req.mrn = Some("mrn-77".into());
        update(&desk, &token, req).unwrap_err()
    };
    assert!(e.message.contains(&format!("patient #{other}")), "the MRN's holder is named: {}", e.message);
    assert_eq!(audit_count(&desk), audits, "a refused edit writes no audit entry");
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM patient_edit"), edits, "nor any before/after row");
    assert_eq!(record(&desk, &token, id).details.version, 1, "nor moves the version");

    let e =
        update(&desk, &token, UpdatePatientRequest { patient_id: 999, ..edit_form(&desk, &token, id) }).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn a_form_loaded_before_someone_elses_change_is_refused_and_their_change_is_kept() {
    let (_dir, desk, token) = owner_desk();
    let reception = add_staff(&desk, "reception1", "receptionist");
    let id = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    // Two people open the form at the same time.
    let mut mine = edit_form(&desk, &token, id);
    let mut theirs = edit_form(&desk, &reception, id);
    theirs.address.city = Some("Toronto".into());
    update(&desk, &reception, theirs).unwrap();

    let audits = audit_count(&desk);
    mine.family_name = "Verma".into();
    let e = update(&desk, &token, mine.clone()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "a stale form must not overwrite the other change: {}", e.message);
    assert!(e.message.contains("reload"), "the refusal says what to do: {}", e.message);
    assert_eq!(audit_count(&desk), audits, "a refused edit writes nothing");
    let r = record(&desk, &token, id);
    assert_eq!(r.details.address.city.as_deref(), Some("Toronto"), "the other person's change is kept");
    assert_eq!(r.card.name, "Priya Sharma");

    // Reloaded, the same correction goes through on top of theirs.
    let mut again = edit_form(&desk, &token, id);
    again.family_name = mine.family_name;
    update(&desk, &token, again).unwrap();
    let r = record(&desk, &token, id);
    assert_eq!((r.card.name.as_str(), r.details.address.city.as_deref()), ("Priya Verma", Some("Toronto")));
    assert_eq!(r.details.version, 3);

    // A record merged away is corrected on the record it was merged into.
    let dup = frontdesk::patients::create_patient(
        &ctx(&desk, Some(&token), NOW),
        patient_request("Priyaa", "Verma", None, "+91 98450 12345"),
    )
    .unwrap();
    let stale = edit_form(&desk, &token, dup.patient_id);
    frontdesk::patients::resolve_review(
        &ctx(&desk, Some(&token), NOW),
        ResolveReviewRequest {
            review_id: dup.review_id.unwrap(),
            decision: ReviewDecision::Merge,
            keep_patient_id: Some(id),
        },
    )
    .unwrap();
    let e = update(&desk, &token, stale).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains(&format!("merged into patient #{id}")), "{}", e.message);
    // The merge changed the kept record too: a form loaded before it must be reloaded.
    let mut before_merge = edit_form(&desk, &token, id);
    before_merge.version = 3;
    assert_eq!(update(&desk, &token, before_merge).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn the_phones_stay_consistent_through_corrections() {
    let (_dir, desk, token) = owner_desk();
    let id = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "416 555 0199"));
    let family = create(
        &desk,
        &token,
        CreatePatientRequest {
            phone_relationship: Some("child".into()),
            ..patient_request("Rohan", "Iyer", Some("2015-01-20"), "+91 98450 12345")
        },
    );
    let original = phone_rows(&desk, id)[0].0;

    // A typo corrected in place keeps the row, formats the number again; a second number is
    // added (the family phone, she is its holder).
    let mut f = edit_form(&desk, &token, id);
    f.phones[0].number = "4165550198".into();
    f.phones.push(PhoneInput { label: Some("home".into()), ..new_phone("+91 98450-12345") });
    let done = update(&desk, &token, f).unwrap();
    assert_eq!(done.changed, ["phones"]);
    let rows = phone_rows(&desk, id);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        (original, "+14165550198".into(), "mobile".into(), "self".into(), true, Some("(416) 555-0198".into()))
    );
    assert_eq!((rows[1].1.as_str(), rows[1].2.as_str(), rows[1].4), ("+919845012345", "home", false));
    assert_eq!(rows[1].5.as_deref(), Some("+91 98450 12345"), "a foreign number is shown internationally");
    let r = record(&desk, &token, id);
    assert_eq!(
        r.shared_phone.iter().map(|p| p.patient_id).collect::<Vec<_>>(),
        vec![family],
        "the family phone is shared now"
    );
    let rf = record(&desk, &token, family);
    assert_eq!(rf.shared_phone.iter().map(|p| p.patient_id).collect::<Vec<_>>(), vec![id], "from both sides");
    assert_eq!(search_ids(&desk, &token, "98450 12345").len(), 2, "search finds both on the shared number");

    // The second number becomes the primary: still one primary, the list in the new order.
    let mut f = edit_form(&desk, &token, id);
    f.phones.swap(0, 1);
    update(&desk, &token, f).unwrap();
    let rows = phone_rows(&desk, id);
    assert_eq!(rows.iter().filter(|r| r.4).count(), 1, "exactly one primary phone");
    assert!(rows.iter().find(|r| r.4).is_some_and(|r| r.1 == "+919845012345"));
    assert_eq!(record(&desk, &token, id).card.phones[0].e164, "+919845012345", "the record lists the primary first");

    // Removing the old number deletes its row; typing a stored number in again reuses its row.
    let mut f = edit_form(&desk, &token, id);
    let kept_row = f.phones[0].id;
    f.phones.truncate(1);
    f.phones[0] = PhoneInput { id: None, ..f.phones[0].clone() };
    let done = update(&desk, &token, f).unwrap();
    assert_eq!(done.changed, ["phones"]);
    let rows = phone_rows(&desk, id);
    assert_eq!(rows.len(), 1);
    assert_eq!((Some(rows[0].0), rows[0].4), (kept_row, true), "the stored row is kept, not added twice");
    assert!(!search_ids(&desk, &token, "416 555 0198").contains(&id), "the removed number no longer finds her");
    assert_eq!(edit_rows(&desk, id).iter().filter(|r| r.1 == "phones").count(), 3, "each phone change is kept");

    // A phone id that is not this record's (a form from before a change) is refused.
    let mut f = edit_form(&desk, &token, id);
    f.phones.push(PhoneInput { id: Some(phone_rows(&desk, family)[0].0), ..new_phone("604 555 0100") });
    assert_eq!(update(&desk, &token, f).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn an_edit_that_makes_a_patient_look_like_another_opens_a_review_once() {
    let (_dir, desk, token) = owner_desk();
    let priya = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let other = create(&desk, &token, patient_request("Asha", "Rao", Some("1975-10-11"), "604 555 1234"));
    let audits = audit_count(&desk);

    // An edit that touches nothing screening reads does not screen.
    let mut f = edit_form(&desk, &token, other);
    f.email = Some("asha@example.com".into());
    let done = update(&desk, &token, f).unwrap();
    assert_eq!((done.review_id, done.candidates.len()), (None, 0));

    // Her name and birthday were typed wrong at registration: corrected, she looks like Priya.
    let mut f = edit_form(&desk, &token, other);
    f.given_name = "Priya".into();
    f.family_name = "Sharma".into();
    f.date_of_birth = Some("1988-04-02".into());
    let done = update(&desk, &token, f).unwrap();
    let review = done.review_id.expect("a look-alike after an edit opens a registration review, as at registration");
    assert_eq!(done.candidates[0].patient_id, priya);
    assert_eq!(done.candidates[0].reasons, ["same date of birth", "same name"]);
    let reviews = frontdesk::patients::registration_reviews(&ctx(&desk, Some(&token), NOW + 60)).unwrap();
    assert_eq!(reviews.iter().map(|r| (r.id, r.patient.patient_id)).collect::<Vec<_>>(), vec![(review, other)]);
    let actions: Vec<String> = {
        let conn = desk.db();
        let mut stmt = conn.prepare("SELECT action FROM audit_event WHERE seq > ?1 ORDER BY seq").unwrap();
        stmt.query_map([audits], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(actions, ["patient.edited", "patient.edited", "registration_review.opened"]);
    assert!(record(&desk, &token, priya).open_review.is_some(), "both records show the review");

    // Edited again while the review is open: the same review, no second one.
    let mut f = edit_form(&desk, &token, other);
    f.phones.push(new_phone("+91 98450 12345"));
    let done = update(&desk, &token, f).unwrap();
    assert_eq!(done.review_id, Some(review), "the open review is updated, not doubled");
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM registration_review"), 1);

    // Once a person decided they are two people, a later edit does not ask again.
    frontdesk::patients::resolve_review(
        &ctx(&desk, Some(&token), NOW + 60),
        ResolveReviewRequest { review_id: review, decision: ReviewDecision::Distinct, keep_patient_id: None },
    )
    .unwrap();
    for who in [other, priya] {
        let mut f = edit_form(&desk, &token, who);
        f.date_of_birth = Some("1988-04-03".into());
        let done = update(&desk, &token, f).unwrap();
        assert_eq!(done.review_id, None, "a pair decided distinct is not put to review again");
        assert!(done.candidates.iter().any(|c| c.patient_id != who), "but the look-alike is still reported");
    }
    assert_eq!(count(&desk, "SELECT COUNT(*) FROM registration_review WHERE status = 'open'"), 0);
}

#[test]
fn the_merged_records_corrections_follow_it_and_come_back_with_the_undo() {
    let (_dir, desk, token) = owner_desk();
    let kept = create(&desk, &token, patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"));
    let dup = frontdesk::patients::create_patient(
        &ctx(&desk, Some(&token), NOW),
        patient_request("Priyaa", "Sharma", None, "+91 98450 12345"),
    )
    .unwrap();
    let mut f = edit_form(&desk, &token, dup.patient_id);
    f.address.city = Some("Brampton".into());
    update(&desk, &token, f).unwrap();
    let merged = frontdesk::patients::resolve_review(
        &ctx(&desk, Some(&token), NOW + 60),
        ResolveReviewRequest {
            review_id: dup.review_id.unwrap(),
            decision: ReviewDecision::Merge,
            keep_patient_id: None,
        },
    )
    .unwrap();
    assert_eq!(record(&desk, &token, kept).edits.len(), 1, "the kept record shows the merged record's corrections");
    assert_eq!(record(&desk, &token, kept).details.version, 2, "a merge changes the kept record's version");

    // Corrected after the merge, then the merge undone: the version moves on, so a form loaded
    // before the undo is refused.
    let mut f = edit_form(&desk, &token, kept);
    f.address.postal_code = Some("L6T 1A1".into());
    update(&desk, &token, f).unwrap();
    let stale = edit_form(&desk, &token, kept);
    frontdesk::patients::unmerge(
        &ctx(&desk, Some(&token), NOW + 120),
        frontdesk::patients::UnmergeRequest { merge_id: merged.merge_id.unwrap() },
    )
    .unwrap();
    assert_eq!(record(&desk, &token, dup.patient_id).edits.len(), 1, "its correction went back with it");
    assert_eq!(record(&desk, &token, kept).edits.len(), 1, "the kept record keeps its own");
    assert_eq!(update(&desk, &token, stale).unwrap_err().code, ErrorCode::Conflict);
}
