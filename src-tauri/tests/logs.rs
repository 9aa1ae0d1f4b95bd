//! The log keeps ids, never patient data or secrets. A canary patient (name, phone, birth date,
//! note, a password typed wrong) is planted in a clinic, the real app is driven through the real
//! window over everything that touches them — sign-in refused then accepted, search, the record,
//! a note, a booking and a refused double booking, an urgent escalation naming them, a refused
//! registration, "Copy diagnostics" — and then every log file is read back: the canaries are in
//! none of them, while the ids and codes of what happened are. Also: the files are 0600 and
//! rotation keeps at most the files it is given.

mod support;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use frontdesk_desktop::logs::{self, RotatingFile};
use serde_json::json;
use support::webdriver::{app, Driver, Session};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_secs(15);

const GIVEN: &str = "Zqxcanary";
const FAMILY: &str = "Vbncanary";
const PHONE: &str = "250 555 0143";
const DOB: &str = "1931-02-17";
const NOTE: &str = "Notecanary prefers mornings";
const WRONG_PASSWORD: &str = "Pwcanary-wrong-7731";

/// What must never be in a log file, in every spelling the desk might have written it.
const CANARIES: &[&str] = &[
    GIVEN,
    FAMILY,
    "zqxcanary",
    "vbncanary",
    "5550143",
    "555-0143",
    "555 0143",
    DOB,
    "17/02/1931",
    "02/17/1931",
    "Feb 17, 1931",
    "Notecanary",
    "Pwcanary",
    "frontdesk-demo",
];

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn log_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    files
}

#[test]
#[cfg(unix)]
fn the_log_file_is_private_and_rotation_keeps_at_most_the_files_it_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    // A file left by a larger cap before is cleared at the first rotation.
    let mut log = RotatingFile::open(&dir, 200, 3).unwrap();
    std::fs::write(dir.join("frontdesk.log.7"), "old").unwrap();
    assert_eq!(mode(&dir), 0o700, "the log directory sits next to patient data: its owner only");
    assert_eq!(mode(&dir.join(logs::FILE_NAME)), 0o600, "a log file is its owner's only");

    for i in 0..50 {
        log.write_all(format!("line {i:03} {}\n", "x".repeat(48)).as_bytes()).unwrap();
    }
    log.flush().unwrap();
    let files = log_files(&dir);
    let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["frontdesk.log", "frontdesk.log.1", "frontdesk.log.2"],
        "rotation keeps the current file and two older ones, nothing more"
    );
    for f in &files {
        assert_eq!(mode(f), 0o600, "every rotated file is created private: {}", f.display());
        assert!(std::fs::metadata(f).unwrap().len() <= 200, "no file grows past its cap: {}", f.display());
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.lines().all(|l| l.len() == 57), "an event is never split across files: {text}");
    }
    let current = std::fs::read_to_string(dir.join(logs::FILE_NAME)).unwrap();
    assert!(current.ends_with(&format!("line 049 {}\n", "x".repeat(48))), "the newest line is in the current file");

    // The tail reaches into the previous file when the current one is short, oldest first.
    let tail = logs::tail(&dir, 5).unwrap();
    let numbers: Vec<&str> = tail.lines().map(|l| &l[5..8]).collect();
    assert_eq!(numbers, ["045", "046", "047", "048", "049"], "{tail}");

    // A file an older version left readable by others is made private when opened.
    let wide = tmp.path().join("wide");
    std::fs::create_dir(&wide).unwrap();
    std::fs::write(wide.join(logs::FILE_NAME), "x\n").unwrap();
    std::fs::set_permissions(wide.join(logs::FILE_NAME), std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    drop(RotatingFile::open(&wide, 200, 3).unwrap());
    assert_eq!(mode(&wide.join(logs::FILE_NAME)), 0o600);
}

/// The demo clinic, seeded here, with the canary patient registered by the receptionist.
fn clinic_with_canary(data_dir: &Path) -> i64 {
    let shell = frontdesk_desktop::Shell::open(data_dir, true, Instant::now()).expect("seed the demo clinic");
    let now = frontdesk_desktop::now();
    let ctx = |token| frontdesk::Ctx { desk: &shell.desk, token, now };
    let (token, _) = frontdesk::session::sign_in(
        &ctx(None),
        frontdesk::session::SignInRequest { username: "reception".into(), password: "frontdesk-demo".into() },
    )
    .unwrap();
    let created = frontdesk::patients::create_patient(
        &ctx(Some(&token)),
        frontdesk::patients::CreatePatientRequest {
            given_name: GIVEN.into(),
            family_name: FAMILY.into(),
            date_of_birth: Some(DOB.into()),
            sex: "female".into(),
            phone: PHONE.into(),
            phone_relationship: None,
            email: None,
            mrn: None,
            health_card: None,
            preferred_language: None,
            consent_sms: true,
            consent_whatsapp: false,
            consent_email: false,
            address: Default::default(),
        },
    )
    .expect("register the canary patient");
    created.patient_id
}

/// Everything in the log directory, every file.
fn all_logs(dir: &Path) -> String {
    log_files(dir).iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect()
}

fn wait_for_log(dir: &Path, what: &str, found: impl Fn(&str) -> bool, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let text = all_logs(dir);
        if found(&text) {
            return text;
        }
        assert!(Instant::now() < deadline, "the log never showed {what}:\n{text}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn assert_no_canary(text: &str, where_: &str) {
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "{where_} holds {canary:?}: a log leaves the clinic (support, backups), so it may carry ids only, never \
             a patient's details or a password:\n{text}"
        );
    }
}

#[test]
fn the_log_names_no_patient_and_no_password_but_every_id() {
    let data = tempfile::tempdir().expect("temp data dir");
    let log_tmp = tempfile::tempdir().expect("temp log dir");
    let log_dir = log_tmp.path().join("logs");
    let patient_id = clinic_with_canary(data.path());
    let driver = Driver::start();
    let s = Session::start(
        &driver,
        app(),
        &["--data-dir", data.path().to_str().unwrap(), "--demo", "--log-dir", log_dir.to_str().unwrap()],
    );

    // A password typed wrong (its text a canary), then the right one.
    s.sign_in("reception", WRONG_PASSWORD);
    s.wait_for("[data-testid=form-error]", LONG);
    s.sign_in("reception", "frontdesk-demo");
    s.wait_for("[data-testid=work-waiting]", LONG);

    // Search by name and by phone, open the record, add a note.
    for query in [GIVEN, PHONE] {
        let found = s.invoke("search", json!({"req": {"query": query, "limit": null}})).expect("search");
        assert!(
            found["patients"].as_array().unwrap().iter().any(|p| p["id"] == json!(patient_id)),
            "the canary patient is found by {query}: {found}"
        );
    }
    s.invoke("patient_record", json!({"req": {"patient_id": patient_id}})).expect("the record opens");
    s.invoke("add_patient_note", json!({"req": {"patient_id": patient_id, "body": NOTE}})).expect("a note");

    // Book the earliest slot for them, then the same slot again: refused, naming who holds it.
    let options = s.invoke("booking_options", json!({})).expect("booking options");
    let service_id = options["services"][0]["id"].clone();
    let slots = s
        .invoke(
            "find_earliest",
            json!({"req": {"service_id": service_id, "doctor_id": null, "doctor": null, "department": null,
               "branch_id": null, "time_of_day": null, "from_date": null, "to_date": null,
               "exclude_dates": [], "limit": 1}}),
        )
        .expect("find earliest");
    let slot = &slots["slots"][0];
    let book = json!({"req": {"patient_id": patient_id, "caller_name": format!("{GIVEN} {FAMILY}"),
        "caller_relationship": "self", "doctor_id": slot["doctor_id"], "branch_id": slot["branch_id"],
        "service_id": service_id, "starts_at": slot["starts_at"], "reason": format!("{NOTE} checkup"),
        "source": "phone", "referral": "", "notes": NOTE, "follow_up": false, "follow_up_on": null}});
    s.invoke("book_appointment", book.clone()).expect("the first booking is taken");
    let refused = s.invoke("book_appointment", book).expect_err("a double booking is refused");
    assert_eq!(refused["code"], json!("conflict"), "{refused}");

    // A registration refused for its birth date, typed as the canary's name.
    let refused = s
        .invoke(
            "create_patient",
            json!({"req": {"given_name": GIVEN, "family_name": FAMILY, "date_of_birth": GIVEN, "sex": "female",
               "phone": PHONE, "phone_relationship": null, "email": null, "mrn": null, "health_card": null,
               "preferred_language": null, "consent_sms": false, "consent_whatsapp": false, "consent_email": false}}),
        )
        .expect_err("a birth date that is a name is refused");
    assert_eq!(refused["code"], json!("invalid_input"), "{refused}");

    // An urgent escalation that names them: an alert, shown on the desktop (or not) by id.
    let escalation = s
        .invoke(
            "create_escalation",
            json!({"req": {"category": "urgent_symptoms", "severity": "urgent", "source": "staff",
               "summary": format!("{GIVEN} {FAMILY} reports chest pain, call back on {PHONE}"),
               "patient_id": patient_id, "caller_name": format!("{GIVEN} {FAMILY}"),
               "caller_number": PHONE, "call_ref": null}}),
        )
        .expect("an urgent escalation");
    let escalation_id = escalation["id"].as_i64().expect("the escalation's id");
    let alerts = s.invoke("alerts", json!({})).expect("the alert list");
    let alert_id = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["entity"] == json!("escalation") && a["entity_id"] == json!(escalation_id))
        .and_then(|a| a["id"].as_i64())
        .unwrap_or_else(|| panic!("the urgent escalation raised an alert: {alerts}"));
    wait_for_log(
        &log_dir,
        "the desktop alert's outcome by its id",
        |t| t.lines().any(|l| l.contains("desktop alert") && l.contains(&format!("alert_id={alert_id}"))),
        LONG,
    );

    // "Copy diagnostics" from the user menu, with the clipboard the page sees standing in for
    // the system's.
    s.execute(
        "window.__copied = null;
         Object.defineProperty(navigator, 'clipboard', {configurable: true,
           value: {writeText: (t) => { window.__copied = t; return Promise.resolve(); }}});
         return true;",
        vec![],
    );
    let menu = s.wait_for("[data-testid=user-menu]", SHORT);
    s.click(&menu);
    let copy = s.wait_for("[data-testid=copy-diagnostics]", SHORT);
    s.click(&copy);
    s.wait_until(
        "the toast saying the diagnostics were copied",
        "return [...document.querySelectorAll('[data-testid=toast]')].some(t => t.textContent.includes('Diagnostics copied')) || null;",
        vec![],
        SHORT,
    );
    let copied = s.execute("return window.__copied;", vec![]);
    let copied = copied.as_str().expect("the diagnostics reached the clipboard");
    for part in [
        format!("Frontdesk {}", env!("CARGO_PKG_VERSION")),
        "OS: ".to_owned(),
        format!("Data directory: {}", data.path().display()),
        format!("Database schema: {}", frontdesk::store::schema_version()),
        format!("Log directory: {}", log_dir.display()),
        "signed in".to_owned(),
    ] {
        assert!(copied.contains(&part), "the diagnostics give {part:?}:\n{copied}");
    }
    assert_no_canary(copied, "the diagnostics");

    // Where the page may not copy at all, the text is shown, selected, to copy by hand.
    s.execute(
        "Object.defineProperty(navigator, 'clipboard', {configurable: true,
           value: {writeText: () => Promise.reject(new Error('refused'))}});
         document.execCommand = () => false;
         return true;",
        vec![],
    );
    let menu = s.wait_for("[data-testid=user-menu]", SHORT);
    s.click(&menu);
    let copy = s.wait_for("[data-testid=copy-diagnostics]", SHORT);
    s.click(&copy);
    let selected = s.wait_until(
        "the diagnostics shown selected",
        "const t = document.querySelector('[data-testid=diagnostics-dialog] [data-testid=diagnostics-text]');
         return t && t.value.includes('Log directory') && t.selectionStart === 0 && t.selectionEnd === t.value.length ? true : null;",
        vec![],
        SHORT,
    );
    assert_eq!(selected, json!(true));
    s.press("\u{E00C}");

    // The reads of the canary's record reach the audit log on the shell's 20-second timer.
    wait_for_log(&log_dir, "the batch of reads written", |t| t.contains("reads of patient data written"), LONG);
    s.invoke("sign_out", json!({})).expect("sign out");
    let text = wait_for_log(&log_dir, "the sign-out", |t| t.contains("signed out"), SHORT);
    drop(s);

    for file in log_files(&log_dir) {
        assert_eq!(mode(&file), 0o600, "{} is its owner's only", file.display());
    }
    assert!(!data.path().join("logs").exists(), "--log-dir puts the log there, not beside the clinic");
    assert_no_canary(&text, "the log");
    let expected = [
        "Frontdesk starting".to_owned(),
        "mode=\"demo\"".to_owned(),
        "command=\"sign_in\" code=BadCredentials".to_owned(),
        "signed in staff_id=".to_owned(),
        "command=\"book_appointment\" code=Conflict".to_owned(),
        "command=\"create_patient\" code=InvalidInput detail=\"field date_of_birth\"".to_owned(),
        format!("alert raised alert_id={alert_id}"),
        "reads of patient data written to the audit log rows=".to_owned(),
        "signed out staff_id=".to_owned(),
    ];
    for line in &expected {
        assert!(
            text.contains(line.as_str()),
            "the log says what happened, by id and code: {line:?} is missing:\n{text}"
        );
    }
}
