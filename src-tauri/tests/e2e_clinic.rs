//! End to end, in the real window, from an empty data directory (no demo):
//! - the owner creates the clinic and follows the setup checklist — a branch, a doctor with hours,
//!   a service, a receptionist account — imports a CSV of patients whose look-alike row goes to
//!   registration review, then signs out; the receptionist signs in with the
//!   temporary password, must choose their own, finds the patient and books them; has no staff
//!   screen; is signed out at once when the owner deactivates them from another desk. Then the
//!   owner puts the doctor on leave over that appointment: the window lists it before saving and,
//!   once confirmed, under "To rebook"; the audit desk shows that appointment's history, verifies
//!   the chain and exports the log.
//! - a support session is requested, approved, used (the read is audited with the session's id)
//!   and expires.

mod support;

use std::time::Duration;

use serde_json::json;
use support::desk::{book_earliest, click_hover_control, search_for, set_field};
use support::webdriver::{app, one_window, Driver, Session};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_secs(15);

fn type_in(s: &Session, css: &str, text: &str) {
    let e = s.wait_for(css, SHORT);
    s.clear(&e);
    s.type_into(&e, text);
}

/// Waits until no dialog is open (a form closed after saving).
fn dialogs_closed(s: &Session, what: &str) {
    s.wait_until(what, "return document.querySelector('[aria-modal=\"true\"]') ? null : true;", vec![], SHORT);
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A screenshot of the window, which must be saved: from WebDriver, or from the X display on the
/// few screens where WebKitWebDriver's snapshot times out (the stranded-appointments dialog, the
/// Support screen, the import's result) while the window goes on answering clicks and scripts.
fn shot(s: &Session, name: &str) {
    assert!(s.save_screenshot_named(name).exists(), "screenshot {name}");
}

fn create_clinic(s: &Session) {
    s.wait_for("[data-testid=setup-form]", LONG);
    type_in(s, "#setup-clinic_name", "Harbour Street Clinic");
    let zone = s.wait_for("#setup-timezone", SHORT);
    s.clear(&zone);
    s.type_into(&zone, "toron");
    s.wait_until(
        "the typed city",
        "return document.querySelector('#setup-timezone').value === 'toron' ? true : null;",
        vec![],
        SHORT,
    );
    s.click_on("[data-testid=zone-matches] [data-zone=\"America/Toronto\"]");
    for (field, value) in [
        ("#setup-owner_name", "Nadia Owner"),
        ("#setup-owner_username", "nadia"),
        ("#setup-owner_password", "harbour-street-2026"),
        ("#setup-confirm_password", "harbour-street-2026"),
    ] {
        type_in(s, field, value);
    }
    s.click_on("[data-testid=setup-form] [type=submit]");
    s.wait_for("[data-testid=frame]", LONG);
}

#[test]
fn an_empty_clinic_is_set_up_in_the_window_and_its_receptionist_books_the_first_patient() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir]);
    create_clinic(&s);

    // The checklist on the owner's home: nothing done yet.
    s.wait_for("[data-testid=setup-checklist]", LONG);
    shot(&s, "setup-checklist");
    s.click_on("[data-testid=checklist-go-branches]");
    s.wait_for("[data-testid=practice]", SHORT);

    // 1. A branch, with the number patients call.
    s.click_on("[data-testid=add-branch]");
    set_field(&s, "[data-testid=branch-form]", "name", "Harbour");
    set_field(&s, "[data-testid=branch-form]", "address", "12 Harbour St, Toronto");
    set_field(&s, "[data-testid=branch-form]", "phone", "416 555 0100");
    shot(&s, "practice-branch-form");
    s.click_on("[data-testid=save-branch]");
    dialogs_closed(&s, "the branch form to close");
    s.wait_for("[data-testid=branch-row]", SHORT);
    let row = s.text(&s.wait_for("[data-testid=branch-row]", SHORT));
    assert!(row.contains("Harbour") && row.contains("(416) 555-0100"), "branch row: {row}");

    // 2. A doctor there; saving goes straight on to the doctor's hours (Mon–Fri mornings).
    s.click_on("[data-testid=practice-tab-doctors]");
    s.click_on("[data-testid=add-doctor]");
    set_field(&s, "[data-testid=doctor-form]", "name", "Dr. Kavya Mehta");
    set_field(&s, "[data-testid=doctor-form]", "department", "General medicine");
    s.click_on("[data-testid=save-doctor]");
    s.wait_for("[data-testid=hours-form] [data-testid=hours-row]", SHORT);
    shot(&s, "practice-hours-form");
    s.click_on("[data-testid=save-hours]");
    dialogs_closed(&s, "the hours form to close");
    let doctor = s.text(&s.wait_for("[data-testid=doctor-row]", SHORT));
    assert!(doctor.contains("Mon 09:00–13:00"), "doctor row: {doctor}");
    shot(&s, "practice-doctors");

    // 3. A service.
    s.click_on("[data-testid=practice-tab-services]");
    s.click_on("[data-testid=add-service]");
    set_field(&s, "[data-testid=service-form]", "code", "GP-15");
    set_field(&s, "[data-testid=service-form]", "name", "General consultation");
    set_field(&s, "[data-testid=service-form]", "duration_minutes", "15");
    s.click_on("[data-testid=save-service]");
    dialogs_closed(&s, "the service form to close");
    s.wait_for("[data-testid=service-row]", SHORT);

    // 4. A receptionist account with a temporary password.
    s.click_on("[data-testid=nav-staff]");
    s.wait_for("[data-testid=staff-screen]", SHORT);
    s.click_on("[data-testid=add-staff]");
    set_field(&s, "[data-testid=staff-form]", "display_name", "Ravi Desk");
    set_field(&s, "[data-testid=staff-form]", "username", "ravi");
    set_field(&s, "[data-testid=staff-form]", "role", "receptionist");
    set_field(&s, "[data-testid=staff-form]", "temporary_password", "temporary-pass-42");
    shot(&s, "staff-form");
    s.click_on("[data-testid=save-staff]");
    // The temporary password is handed over once, in person.
    let handed = s.text(&s.wait_for("[data-testid=handover-password]", SHORT));
    assert_eq!(handed, "temporary-pass-42");
    shot(&s, "staff-handover");
    s.click_on("[data-testid=handover-done]");
    dialogs_closed(&s, "the hand-over to close");
    s.wait_for("[data-testid=staff-row][data-username=\"ravi\"]", SHORT);
    shot(&s, "staff-directory");

    // 5. Patients brought in from the old system's CSV export: two clean rows, one that looks
    // like the first (it goes to registration review), one without a name (refused).
    s.click_on("[data-testid=nav-import]");
    s.wait_for("[data-testid=import-screen]", SHORT);
    let csv = "\u{feff}First name,Last name,Date of birth,Sex,Phone,Email\r\n\
               Asha,Verma,1980-02-03,female,416 555 0111,\r\n\
               Kiran,Shah,1991-11-12,male,416 555 0122,\r\n\
               Asha,Varma,1980-02-03,female,(416) 555-0111,\r\n\
               ,,1970-01-01,male,416 555 0199,\r\n";
    s.wait_until(
        "the file input to take the export",
        "const input = document.querySelector('[data-testid=import-file]');
         if (!input) return null;
         const dt = new DataTransfer();
         dt.items.add(new File([arguments[0]], 'old-system-patients.csv', {type: 'text/csv'}));
         input.files = dt.files;
         input.dispatchEvent(new Event('change', {bubbles: true}));
         return true;",
        vec![json!(csv)],
        SHORT,
    );
    s.wait_for("[data-testid=import-mapping]", SHORT);
    shot(&s, "import-mapping");
    // Brought to the middle of the screen, clear of the toasts stacked at the bottom.
    s.execute("document.querySelector('[data-testid=import-preview]').scrollIntoView({block: 'center'});", vec![]);
    s.click_on("[data-testid=import-preview]");
    let count = |what: &str| s.text(&s.wait_for(&format!("[data-testid=import-{what}-count]"), LONG));
    assert_eq!((count("clean"), count("review"), count("refused")), ("2".into(), "1".into(), "1".into()));
    shot(&s, "import-preview");
    // Brought to the middle of the screen, clear of the toasts stacked at the bottom.
    s.execute("document.querySelector('[data-testid=import-commit]').scrollIntoView({block: 'center'});", vec![]);
    s.click_on("[data-testid=import-commit]");
    s.wait_for("[data-testid=import-done]", LONG);
    shot(&s, "import-done");
    let patient: i64 = frontdesk::Desk::open(data.path())
        .unwrap()
        .db()
        .query_row("SELECT id FROM patient WHERE given_name = 'Asha' AND family_name = 'Verma'", [], |r| r.get(0))
        .expect("Asha Verma imported");
    let in_review: i64 = frontdesk::Desk::open(data.path())
        .unwrap()
        .db()
        .query_row("SELECT COUNT(*) FROM registration_review WHERE status = 'open'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(in_review, 1, "the look-alike waits in the registration review queue");
    s.click_on("[data-testid=nav-practice]");
    s.wait_until(
        "the checklist to be done",
        "return document.querySelector('[data-testid=setup-checklist]') ? null : true;",
        vec![],
        SHORT,
    );
    shot(&s, "practice-done");

    // The owner signs out; the receptionist signs in with the temporary password and must
    // choose their own before anything else.
    s.invoke("sign_out", json!({})).expect("sign out");
    s.wait_for("[data-testid=signin-form]", LONG);
    s.sign_in("ravi", "temporary-pass-42");
    s.wait_for("[data-testid=change-password-form]", LONG);
    shot(&s, "change-password");
    set_field(&s, "[data-testid=change-password-form]", "current_password", "temporary-pass-42");
    set_field(&s, "[data-testid=change-password-form]", "new_password", "ravi-own-pass-2026");
    set_field(&s, "[data-testid=change-password-form]", "confirm_password", "ravi-own-pass-2026");
    s.click_on("[data-testid=save-password]");
    s.wait_for("[data-testid=frame]", LONG);
    assert!(
        s.execute("return !document.querySelector('[data-testid=nav-staff]');", vec![]) == json!(true),
        "a receptionist has no staff screen"
    );

    // Finds Asha by her phone typed another way and books the earliest consultation.
    search_for(&s, "4165550111", patient);
    click_hover_control(
        &s,
        &format!("[data-testid=search-patient][data-patient-id=\"{patient}\"] [data-testid=search-book]"),
    );
    let (starts_at, doctor) = book_earliest(&s, "General consultation", "Cough for a week");
    s.wait_until(
        "the booking form to close after booking",
        "return !document.querySelector('[data-testid=booking-form]');",
        vec![],
        SHORT,
    );
    let desk = frontdesk::Desk::open(data.path()).unwrap();
    let (appt, status, by): (i64, String, String) = desk
        .db()
        .query_row(
            "SELECT a.id, a.status, s.username FROM appointment a JOIN staff s ON s.id = a.booked_by
             WHERE a.patient_id = ?1 AND a.starts_at = ?2 AND a.doctor_id = ?3",
            [patient, starts_at, doctor],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the booking is in the clinic file");
    drop(desk);
    assert_eq!((status.as_str(), by.as_str()), ("booked", "ravi"));

    // A receptionist has no staff screen, and the core refuses its commands whatever the window shows.
    let refused = s.invoke("staff_directory", json!({})).expect_err("a receptionist is refused the directory");
    assert_eq!(refused["code"], "forbidden", "{refused}");

    // The owner deactivates Ravi from another desk while he is signed in here: his next step in
    // this window lands on the sign-in screen, and he cannot sign in again.
    {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let now = unix_now();
        let owner = frontdesk::session::sign_in(
            &frontdesk::desk::Ctx { desk: &desk, token: None, now },
            frontdesk::session::SignInRequest { username: "nadia".into(), password: "harbour-street-2026".into() },
        )
        .expect("the owner signs in at the other desk")
        .0;
        let ravi: i64 = desk.db().query_row("SELECT id FROM staff WHERE username = 'ravi'", [], |r| r.get(0)).unwrap();
        frontdesk::staff::set_staff_active(
            &frontdesk::desk::Ctx { desk: &desk, token: Some(&owner), now },
            frontdesk::staff::SetStaffActiveRequest { staff_id: ravi, active: false },
        )
        .expect("deactivate Ravi");
    }
    s.click_on("[data-testid=nav-today]");
    s.wait_for("[data-testid=signin-form]", LONG);
    shot(&s, "deactivated-signed-out");
    s.sign_in("ravi", "ravi-own-pass-2026");
    let refusal = s.text(&s.wait_for("[data-testid=signin-form] [data-testid=form-error]", SHORT));
    assert!(refusal.contains("Wrong username or password"), "{refusal}");

    // The owner puts the doctor on leave over that day: the window lists the appointment first.
    s.sign_in("nadia", "harbour-street-2026");
    s.click_on("[data-testid=nav-practice]");
    s.click_on("[data-testid=practice-tab-exceptions]");
    s.click_on("[data-testid=add-exception]");
    let day = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let clinic = frontdesk::clinic::load(&desk.db()).unwrap();
        frontdesk::schedule::local_date(clinic.timezone, starts_at).to_string()
    };
    set_field(&s, "[data-testid=exception-form]", "kind", "leave");
    set_field(&s, "[data-testid=exception-form]", "starts_on", &day);
    set_field(&s, "[data-testid=exception-form]", "ends_on", &day);
    s.wait_until(
        "both days read by the form",
        "return [...document.querySelectorAll('[data-testid=exception-form] [data-value]')]
             .filter(e => e.dataset.value === arguments[0]).length === 2 ? true : null;",
        vec![json!(day)],
        SHORT,
    );
    s.click_on("[data-testid=save-exception]");
    let row = s.text(&s.wait_for("[data-testid=stranded-dialog] [data-testid=stranded-row]", SHORT));
    assert!(row.contains("Asha Verma") && row.contains("on leave"), "stranded row: {row}");
    // No screenshot of this dialog: WebKitWebDriver's snapshot of it times out (deterministically,
    // here), while the window goes on answering clicks; the To-rebook list is shot below.
    s.click_on("[data-testid=stranded-go]");
    dialogs_closed(&s, "the leave to be saved");
    s.click_on("[data-testid=practice-tab-rebook]");
    let rebook = s.wait_for("[data-testid=rebook-row]", SHORT);
    assert!(s.text(&rebook).contains("Asha Verma"));
    shot(&s, "practice-rebook");
    let listed: i64 = frontdesk::Desk::open(data.path())
        .unwrap()
        .db()
        .query_row("SELECT appointment_id FROM rebook_needed", [], |r| r.get(0))
        .unwrap();
    assert_eq!(listed, appt);

    // The audit desk: the appointment's history, the chain verified, the log exported for review.
    s.click_on("[data-testid=nav-audit]");
    s.wait_for("[data-testid=audit-row]", LONG);
    s.wait_until(
        "the record filter to offer appointments",
        "const sel = document.querySelector('[data-testid=audit-filter-entity]');
         if (!sel || ![...sel.options].some(o => o.value === 'appointment')) return null;
         sel.value = 'appointment';
         sel.dispatchEvent(new Event('change', {bubbles: true}));
         return true;",
        vec![],
        SHORT,
    );
    s.wait_until(
        "only appointment rows",
        "const rows = [...document.querySelectorAll('[data-testid=audit-row]')];
         return rows.length && rows.every(r => r.textContent.includes('appointment')) ? true : null;",
        vec![],
        SHORT,
    );
    shot(&s, "audit-desk");
    s.click_on("[data-testid=audit-row] [data-testid=audit-entity]");
    s.wait_for("[data-testid=audit-history] [data-testid=audit-history-row]", SHORT);
    s.click_on("[data-testid=audit-verify]");
    let verdict = s.wait_for("[data-testid=audit-verify-result][data-intact=true]", LONG);
    assert!(!s.text(&verdict).is_empty());
    let today = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let clinic = frontdesk::clinic::load(&desk.db()).unwrap();
        frontdesk::schedule::local_date(clinic.timezone, unix_now())
    };
    type_in(&s, "[data-testid=audit-filter-from]", &(today - chrono::Days::new(1)).to_string());
    type_in(&s, "[data-testid=audit-filter-to]", &today.to_string());
    s.click_on("[data-testid=audit-export]");
    let path = s.text(&s.wait_for("[data-testid=audit-export-path]", LONG));
    let exported = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("the export at {path}: {e}"));
    assert!(exported.lines().count() > 1, "a header and rows");
    shot(&s, "audit-exported");
}

/// A support session, end to end in the window: a support account sees nothing and can only ask;
/// the owner approves; inside the session the banner shows to everyone, the support person opens
/// a patient's record and that read is in the audit log with the session's id; once it expires
/// the support person is back to asking.
#[test]
fn a_support_session_is_requested_approved_used_and_expires() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir]);
    create_clinic(&s);
    s.wait_for("[data-testid=setup-checklist]", LONG);

    // The owner creates the support account (through the window's command) and a patient.
    s.invoke(
        "create_staff",
        json!({"req": {"display_name": "Sam Vendor", "username": "sam", "email": null, "role": "support",
                       "temporary_password": "vendor-temp-pass-1", "doctor_id": null}}),
    )
    .expect("create the support account");
    let patient = s
        .invoke(
            "create_patient",
            json!({"req": {
                "given_name": "Meera", "family_name": "Iyer", "date_of_birth": "1975-06-07", "sex": "female",
                "phone": "416 555 0133", "phone_relationship": null, "email": null, "mrn": null,
                "health_card": null, "preferred_language": null, "consent_sms": false,
                "consent_whatsapp": false, "consent_email": false,
                "address": {"line1": "", "line2": "", "city": "", "region": "", "postal_code": ""}
            }}),
        )
        .expect("register a patient")["patient_id"]
        .as_i64()
        .unwrap();
    s.invoke("sign_out", json!({})).expect("sign out");

    // Sam signs in, chooses a password, and lands on the Support screen with nothing else open.
    s.sign_in("sam", "vendor-temp-pass-1");
    s.wait_for("[data-testid=change-password-form]", LONG);
    set_field(&s, "[data-testid=change-password-form]", "current_password", "vendor-temp-pass-1");
    set_field(&s, "[data-testid=change-password-form]", "new_password", "vendor-own-pass-2026");
    set_field(&s, "[data-testid=change-password-form]", "confirm_password", "vendor-own-pass-2026");
    s.click_on("[data-testid=save-password]");
    s.wait_for("[data-testid=support-request-form]", LONG);
    let refused = s.invoke("patient_record", json!({"req": {"patient_id": patient}})).expect_err("no session");
    assert_eq!(refused["code"], "support_session_required", "{refused}");
    set_field(&s, "[data-testid=support-request-form]", "reason", "Ticket 4411: the day view is slow to open");
    set_field(&s, "[data-testid=support-request-form]", "minutes", "30");
    set_field(&s, "[data-testid=support-request-form]", "scope", "schedule_and_patients");
    s.click_on("[data-testid=support-request-form] [name=reason]");
    shot(&s, "support-request");
    s.click_on("[data-testid=request-support]");
    s.wait_for("[data-testid=my-support-state]", SHORT);
    s.invoke("sign_out", json!({})).expect("sign out");

    // The owner approves it on the Support screen.
    s.sign_in("nadia", "harbour-street-2026");
    s.click_on("[data-testid=nav-support]");
    s.wait_for("[data-testid=support-pending]", LONG);
    shot(&s, "support-pending");
    s.click_on("[data-testid=support-approve]");
    let asked = s.text(&s.wait_for("[data-testid=confirm-message]", SHORT));
    assert!(asked.contains("Sam Vendor") && asked.contains("30 minutes"), "{asked}");
    s.click_on("[data-testid=confirm-yes]");
    s.wait_for("[data-testid=support-running]", SHORT);
    s.wait_for("[data-testid=support-banner]", SHORT);
    shot(&s, "support-approved");
    s.invoke("sign_out", json!({})).expect("sign out");

    // Inside the session: the banner, and the patient's record opens; the read carries the session.
    s.sign_in("sam", "vendor-own-pass-2026");
    s.wait_for("[data-testid=support-banner]", LONG);
    let record = s.invoke("patient_record", json!({"req": {"patient_id": patient}})).expect("inside the session");
    assert!(record.to_string().contains("Meera"), "the record is readable inside the session");
    shot(&s, "support-in-session");
    let (session_id, read_in_session) = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let id: i64 = desk.db().query_row("SELECT id FROM support_session", [], |r| r.get(0)).unwrap();
        (id, desk)
    };
    // Reads are written in batches (every 20 s, and when the app closes): wait for this one.
    let deadline = std::time::Instant::now() + Duration::from_secs(45);
    loop {
        let n: i64 = read_in_session
            .db()
            .query_row(
                "SELECT COUNT(*) FROM audit_event WHERE entity = 'patient' AND entity_id = ?1 AND support_session_id = ?2",
                (patient.to_string(), session_id),
                |r| r.get(0),
            )
            .unwrap();
        if n > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no audit row of the read with support session {session_id}");
        std::thread::sleep(Duration::from_millis(500));
    }

    // The session runs out (its clock moved past the end here): patient data is refused again,
    // the banner goes, and the Support screen says to ask again.
    let now = unix_now();
    read_in_session
        .db()
        .execute(
            "UPDATE support_session SET starts_at = ?1, expires_at = ?2 WHERE id = ?3",
            (now - 1800, now - 5, session_id),
        )
        .unwrap();
    drop(read_in_session);
    let refused = s.invoke("patient_record", json!({"req": {"patient_id": patient}})).expect_err("expired");
    assert_eq!(refused["code"], "support_session_required", "{refused}");
    // Opening the Support screen reads the session again: the banner goes and Sam is back to asking.
    s.click_on("[data-testid=nav-support]");
    s.wait_for("[data-testid=support-request-form]", LONG);
    s.wait_until(
        "the banner to go",
        "return document.querySelector('[data-testid=support-banner]') ? null : true;",
        vec![],
        LONG,
    );
    shot(&s, "support-expired");
}
