//! End to end, in the real window: the release of the app as a receptionist meets it. Starts the
//! built binary through `tauri-driver` + `WebKitWebDriver` on a fresh data directory with `--demo`,
//! signs in, works today's schedule, quits, starts again and checks the work was kept.
//! Screenshots land in `target/screenshots/` for review.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use support::desk::{book_earliest, click_hover_control, find_earliest, search_for, set_field};
use support::webdriver::{app, one_window, Driver, Session};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_secs(15);

/// A receptionist lands on "Work waiting"; Today is one click away in the side bar.
fn open_today(s: &Session) {
    s.wait_for("[data-testid=work-waiting]", LONG);
    let nav = s.wait_for("[data-testid=nav-today]", SHORT);
    s.click(&nav);
    s.wait_for("[data-testid=today]", LONG);
}

fn status_of(s: &Session, id: &str) -> Value {
    s.execute(
        "const el = document.querySelector(`[data-testid=appt][data-appt-id=\"${arguments[0]}\"]`); return el ? el.dataset.status : null;",
        vec![json!(id)],
    )
}

#[test]
fn a_receptionist_signs_in_marks_an_arrival_and_it_survives_a_restart() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();

    // First start: the demo clinic is seeded into the empty directory.
    let arrived_id = {
        let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
        s.sign_in("reception", "frontdesk-demo");
        open_today(&s);
        s.wait_for("[data-testid=doctor-column]", LONG);
        s.wait_for("[data-testid=appt]", LONG);

        // The counts bar agrees with the cards on screen.
        let counts = s.execute(
            "const n = (st) => Number((document.querySelector(`[data-testid=count-${st}]`)?.textContent || '').replace(/\\D+/g, '') || 0);
             const cards = document.querySelectorAll('[data-testid=appt]').length;
             const total = ['booked','confirmed','arrived','in_room','completed','no_show','cancelled','rescheduled'].map(n).reduce((a, b) => a + b, 0);
             return [cards, total];",
            vec![],
        );
        assert_eq!(counts[0], counts[1], "the status counts must add up to the appointments shown: {counts}");

        // Pick an appointment that can be marked arrived (one due within the hour, or late, when
        // there is one: an arrival hours early is asked about first), open it, and press A.
        let id = s
            .execute(
                "const can = [...document.querySelectorAll('[data-testid=appt]')].filter(e => ['booked','confirmed','no_show'].includes(e.dataset.status));
                 const soon = can.find(e => Number(e.dataset.startsAt) <= Date.now() / 1000 + 3000);
                 const el = soon || can[0];
                 return el ? el.dataset.apptId : null;",
                vec![],
            )
            .as_str()
            .expect("today's demo schedule has an appointment that can be marked arrived")
            .to_owned();
        let card = s.wait_for(&format!("[data-testid=appt][data-appt-id=\"{id}\"]"), SHORT);
        s.click(&card);
        s.wait_for("[data-testid=drawer]", SHORT);
        s.press("a");
        // Before the clinic opens every appointment is hours ahead: the desk asks, and we say yes.
        let asked = s.wait_until(
            "the card to show arrived, or the desk to ask about an early arrival",
            "const el = document.querySelector(`[data-testid=appt][data-appt-id=\"${arguments[0]}\"]`);
             if (el && el.dataset.status === 'arrived') return 'arrived';
             return document.querySelector('[data-testid=confirm-yes]') ? 'asked' : null;",
            vec![json!(id)],
            SHORT,
        );
        if asked == json!("asked") {
            s.click_on("[data-testid=confirm-yes]");
        }
        s.wait_until(
            "the card to show arrived after pressing A",
            "const el = document.querySelector(`[data-testid=appt][data-appt-id=\"${arguments[0]}\"]`); return el && el.dataset.status === 'arrived';",
            vec![json!(id)],
            SHORT,
        );

        // An illegal move gets a clear refusal, not a silent no-op: a completed visit cannot be a no-show.
        let done = s.execute(
            "const el = [...document.querySelectorAll('[data-testid=appt]')].find(e => e.dataset.status === 'completed'); return el ? el.dataset.apptId : null;",
            vec![],
        );
        if let Some(done) = done.as_str() {
            let card = s.wait_for(&format!("[data-testid=appt][data-appt-id=\"{done}\"]"), SHORT);
            s.click(&card);
            s.press("n");
            let text = s.wait_until(
                "a toast explaining why a completed visit cannot be a no-show",
                "return [...document.querySelectorAll('[data-testid=toast]')].map(t => t.textContent.toLowerCase()).find(t => t.includes('no-show')) || null;",
                vec![],
                SHORT,
            );
            assert!(text.as_str().unwrap_or_default().contains("completed"), "the refusal must say why: {text}");
            assert_eq!(status_of(&s, done), json!("completed"), "a refused change must not change the card");
        }

        // Back on the arrived one, for the screenshot.
        let card = s.wait_for(&format!("[data-testid=appt][data-appt-id=\"{id}\"]"), SHORT);
        s.click(&card);
        s.wait_for("[data-testid=drawer]", SHORT);
        std::thread::sleep(Duration::from_millis(400));
        let shot = s.save_screenshot_named("today");
        assert!(
            std::fs::metadata(&shot).map(|m| m.len() > 10_000).unwrap_or(false),
            "a screenshot of Today must be saved at {}",
            shot.display()
        );
        id
    };
    // The session is deleted here: the app quits.
    std::thread::sleep(Duration::from_millis(500));

    // Second start on the same directory: no reseed, wrong password refused, the arrival kept.
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
    s.sign_in("reception", "not-the-password");
    let err = s.wait_for("[data-testid=form-error]", SHORT);
    let message = s.text(&err);
    assert!(message.contains("Wrong username or password"), "a failed sign-in must say what went wrong: {message}");
    s.sign_in("reception", "frontdesk-demo");
    open_today(&s);
    s.wait_for(&format!("[data-testid=appt][data-appt-id=\"{arrived_id}\"]"), LONG);
    assert_eq!(
        status_of(&s, &arrived_id),
        json!("arrived"),
        "the arrival marked before the restart must still be there"
    );
    let shot = s.save_screenshot_named("today-after-restart");
    assert!(shot.exists());
}

/// Opens an appointment's drawer by typing "#id" over the previous query (the search selects it
/// on opening) and pressing Enter at once, as a receptionist would: Enter acts on the answer for
/// "#id", not on the previous query's rows still on screen while it loads.
fn open_appointment(s: &Session, id: i64) {
    s.click_on("[data-testid=topbar-search]");
    let input = s.wait_for("[data-testid=search-input]", SHORT);
    s.type_into(&input, &format!("#{id}\u{E007}"));
    // The drawer may already show it (after a reschedule it follows the new appointment): wait
    // for the search to close too.
    s.wait_until(
        "the search to open the appointment and close",
        "return !document.querySelector('[data-testid=search]');",
        vec![],
        SHORT,
    );
    s.wait_for(&format!("[data-testid=drawer][data-appt-id=\"{id}\"]"), SHORT);
}

/// The appointment of `patient` at `starts_at`, read from the clinic file the app writes.
fn appointment_at(data_dir: &Path, patient: i64, starts_at: i64) -> Option<(i64, String, i64)> {
    let desk = frontdesk::Desk::open(data_dir).unwrap();
    let conn = desk.db();
    conn.query_row(
        "SELECT id, status, branch_id FROM appointment WHERE patient_id = ?1 AND starts_at = ?2 ORDER BY id DESC LIMIT 1",
        [patient, starts_at],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .ok()
}

#[test]
fn booking_refuses_a_double_booking_reschedules_and_offers_a_cancelled_slot_to_the_wait_list() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
    s.sign_in("reception", "frontdesk-demo");
    s.wait_for("[data-testid=frame]", LONG);

    // Three demo patients: one with a Canadian mobile (searched by phone in another format),
    // one to try the same slot, one on the wait list.
    let (first, phone, second, second_name, waiting, waiting_name) = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let conn = desk.db();
        let (first, phone): (i64, String) = conn
            .query_row(
                "SELECT p.id, ph.e164 FROM patient p JOIN patient_phone ph ON ph.patient_id = p.id
                 WHERE ph.e164 LIKE '+1%' AND (SELECT COUNT(*) FROM patient_phone x WHERE x.e164 = ph.e164) = 1
                 ORDER BY p.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let (second, second_name): (i64, String) = conn
            .query_row(
                "SELECT id, given_name || ' ' || family_name FROM patient WHERE id > ?1 + 10 ORDER BY id LIMIT 1",
                [first],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let (waiting, waiting_name): (i64, String) = conn
            .query_row(
                "SELECT id, given_name || ' ' || family_name FROM patient WHERE id > ?1 + 20 ORDER BY id LIMIT 1",
                [first],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        (first, phone, second, second_name, waiting, waiting_name)
    };
    // "+16045551234" typed as "604.555.1234".
    let digits = &phone[2..];
    let typed = format!("{}.{}.{}", &digits[..3], &digits[3..6], &digits[6..]);

    // Find the patient by phone, book the earliest follow-up.
    search_for(&s, &typed, first);
    click_hover_control(
        &s,
        &format!("[data-testid=search-patient][data-patient-id=\"{first}\"] [data-testid=search-book]"),
    );
    let (starts_at, doctor) = book_earliest(&s, "Follow-up", "Follow-up on blood work");
    s.wait_until(
        "the booking form to close after booking",
        "return !document.querySelector('[data-testid=booking-form]');",
        vec![],
        SHORT,
    );
    let (booked_id, status, branch) =
        appointment_at(data.path(), first, starts_at).expect("the appointment is in the clinic file");
    assert_eq!(status, "booked");

    // Another patient, the same doctor, date and time typed by hand: a clear refusal.
    search_for(&s, &second_name, second);
    click_hover_control(
        &s,
        &format!("[data-testid=search-patient][data-patient-id=\"{second}\"] [data-testid=search-book]"),
    );
    s.wait_for("[data-testid=booking-form]", SHORT);
    let local = s.execute(
        "const f = new Intl.DateTimeFormat('en-GB', {timeZone: 'America/Toronto', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
         const p = Object.fromEntries(f.formatToParts(new Date(arguments[0] * 1000)).map(x => [x.type, x.value]));
         return [`${p.year}-${p.month}-${p.day}`, `${p.hour}:${p.minute}`];",
        vec![json!(starts_at)],
    );
    let service = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=booking-form] [name=service_id] option')].find(o => o.textContent.includes('Follow-up'))?.value;",
            vec![],
        )
        .as_str()
        .unwrap()
        .to_owned();
    set_field(&s, "[data-testid=booking-form]", "service_id", &service);
    set_field(&s, "[data-testid=booking-form]", "branch_id", &branch.to_string());
    set_field(&s, "[data-testid=booking-form]", "doctor_id", &doctor.to_string());
    set_field(&s, "[data-testid=booking-form]", "date", local[0].as_str().unwrap());
    set_field(&s, "[data-testid=booking-form]", "time", local[1].as_str().unwrap());
    set_field(&s, "[data-testid=booking-form]", "reason", "Sore throat");
    s.click_on("[data-testid=book-submit]");
    let refusal = s.wait_for("[data-testid=booking-error]", SHORT);
    let text = s.text(&refusal);
    assert!(
        text.contains("taken") && text.contains("nothing was booked"),
        "the refusal must say the slot is taken: {text}"
    );
    assert!(appointment_at(data.path(), second, starts_at).is_none(), "nothing was booked for the second patient");
    s.save_screenshot_named("booking-refused");
    s.press("\u{E00C}"); // Escape closes the form (the draft is kept).
    s.wait_until(
        "Escape to close the booking form",
        "return !document.querySelector('[data-testid=booking-form]');",
        vec![],
        SHORT,
    );

    // Open the first appointment by its id, reschedule it to the earliest other slot.
    open_appointment(&s, booked_id);
    s.click_on("[data-testid=reschedule]");
    s.wait_for("[data-testid=booking-form][data-mode=reschedule]", SHORT);
    find_earliest(&s);
    let other = s.wait_until(
        "an earliest slot other than the current one",
        "const b = [...document.querySelectorAll('[data-testid=earliest-results] [data-testid=slot]')].find(e => e.dataset.startsAt !== String(arguments[0]));
         if (!b) return null; b.click(); return b.dataset.startsAt;",
        vec![json!(starts_at)],
        SHORT,
    );
    let new_starts: i64 = other.as_str().unwrap().parse().unwrap();
    s.click_on("[data-testid=book-submit]");
    s.wait_until(
        "the reschedule to be saved",
        "return !document.querySelector('[data-testid=booking-form]');",
        vec![],
        SHORT,
    );
    // The released slot may fit someone on the demo clinic's wait list (it depends on the time of
    // day the test runs): the offer is real, and "Not now" keeps the slot free.
    if s.find_all("[data-testid=waitlist-offers]").into_iter().next().is_some() {
        s.click_on("[data-testid=offers-dismiss]");
    }
    let (_, old_status, _) = appointment_at(data.path(), first, starts_at).unwrap();
    assert_eq!(old_status, "rescheduled", "the old slot is released");
    let (new_id, new_status, _) = appointment_at(data.path(), first, new_starts).expect("the new appointment exists");
    assert_eq!(new_status, "booked");

    // Someone is waiting for any slot; cancelling the new appointment offers it to them.
    {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let now = frontdesk_desktop::now();
        let (token, _) = frontdesk::session::sign_in(
            &frontdesk::Ctx { desk: &desk, token: None, now },
            frontdesk::session::SignInRequest { username: "reception2".into(), password: "frontdesk-demo".into() },
        )
        .unwrap();
        frontdesk::waitlist::add_to_waitlist(
            &frontdesk::Ctx { desk: &desk, token: Some(&token), now },
            frontdesk::waitlist::WaitlistAddRequest {
                patient_id: waiting,
                doctor_id: None,
                branch_id: None,
                service_id: None,
                weekdays: vec![],
                time_of_day: frontdesk::booking::TimeOfDay::Any,
                urgent: true,
                note: "Any time, short notice".into(),
            },
        )
        .unwrap();
    }
    open_appointment(&s, new_id);
    s.click_on("[data-testid=cancel-appointment]");
    set_field(&s, "body", "cancel_reason", "Patient called: feeling better");
    s.click_on("[data-testid=confirm-cancel]");
    s.wait_for("[data-testid=waitlist-offers]", SHORT);
    let offered = s.wait_until(
        "the wait-listed patient to be offered the freed slot",
        "return [...document.querySelectorAll('[data-testid=waitlist-offer]')].map(e => e.textContent).find(t => t.includes(arguments[0])) || null;",
        vec![json!(waiting_name)],
        SHORT,
    );
    assert!(offered.as_str().unwrap().contains(&waiting_name));
    s.save_screenshot_named("waitlist-offer");
    let (_, cancelled, _) = appointment_at(data.path(), first, new_starts).unwrap();
    assert_eq!(cancelled, "cancelled");

    // "Not now": the dialog opened from the cancel dialog, which is gone; the focus comes back to
    // the screen (not the page body), so the keyboard goes on working without a click.
    s.click_on("[data-testid=offers-dismiss]");
    let focus = s.wait_until(
        "the focus to come back to the screen after the offer dialog",
        "if (document.querySelector('[aria-modal=\"true\"]')) return null;
         const a = document.activeElement;
         return a && a !== document.body && a.closest('main, aside') ? (a.dataset.testid || a.tagName) : null;",
        vec![],
        SHORT,
    );
    assert!(focus.is_string(), "focus after the wait-list offer dialog: {focus}");
}

/// What the tray icon shows now, asked of the running app the way the window asks it.
fn tray_status(s: &Session) -> String {
    s.invoke("tray_status", json!({})).expect("the tray status").as_str().unwrap_or_default().to_owned()
}

fn urgent_count(label: &str) -> u64 {
    label.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn missed_calls_collapse_into_one_callback_and_an_urgent_escalation_reaches_the_daemon_and_the_tray() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
    s.sign_in("reception", "frontdesk-demo");
    s.wait_for("[data-testid=work-waiting]", LONG);

    // Two missed calls from one number, typed two ways: one task, count 2.
    s.click_on("[data-testid=nav-callbacks]");
    s.wait_for("[data-testid=callbacks]", LONG);
    // A demo patient's own mobile (no one else on it), so the task links to their record.
    let (patient, e164): (i64, String) = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let conn = desk.db();
        conn.query_row(
            "SELECT ph.patient_id, ph.e164 FROM patient_phone ph
             WHERE ph.e164 LIKE '+1%' AND (SELECT COUNT(*) FROM patient_phone x WHERE x.e164 = ph.e164) = 1
               AND NOT EXISTS (SELECT 1 FROM callback_task t WHERE t.caller_e164 = ph.e164)
             ORDER BY ph.patient_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let e164 = e164.as_str();
    let (area, exchange, line) = (&e164[2..5], &e164[5..8], &e164[8..]);
    let typed_ways = [format!("({area}) {exchange}-{line}"), format!("+1 {area} {exchange} {line}")];
    let open_tasks = |data: &Path| -> Vec<(i64, i64)> {
        let desk = frontdesk::Desk::open(data).unwrap();
        let conn = desk.db();
        let mut q = conn
            .prepare(
                "SELECT id, missed_count FROM callback_task
                 WHERE caller_e164 = ?1 AND status IN ('pending','attempted') ORDER BY id",
            )
            .unwrap();
        q.query_map([e164], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    assert!(open_tasks(data.path()).is_empty(), "the demo has no open callback for the test number");
    for typed in &typed_ways {
        set_field(&s, "[data-testid=missed-call-form]", "caller_number", typed);
        s.click_on("[data-testid=missed-call-submit]");
        s.wait_until(
            "the missed call to be added and the form cleared",
            "const el = document.querySelector('[data-testid=missed-call-form] [name=caller_number]'); return el && el.value === '' ? true : null;",
            vec![],
            SHORT,
        );
    }
    let tasks = open_tasks(data.path());
    assert_eq!(tasks.len(), 1, "two missed calls from one number are one callback task: {tasks:?}");
    let (task, count) = tasks[0];
    assert_eq!(count, 2);
    let row = format!("[data-testid=callback-row][data-task-id=\"{task}\"]");
    s.wait_until(
        "one row for the number with a count of 2",
        "const rows = document.querySelectorAll(arguments[0]); return rows.length === 1 && rows[0].dataset.count === '2' ? true : null;",
        vec![json!(row)],
        SHORT,
    );

    // "Assign next to me" hands out the oldest unassigned task first; ours is the newest, so it
    // comes after the demo's waiting ones.
    let assigned_to_me = |data: &Path| -> bool {
        let desk = frontdesk::Desk::open(data).unwrap();
        let conn = desk.db();
        conn.query_row(
            "SELECT t.assigned_to = s.id FROM callback_task t, staff s WHERE t.id = ?1 AND s.username = 'reception'",
            [task],
            |r| r.get::<_, Option<bool>>(0),
        )
        .unwrap()
        .unwrap_or(false)
    };
    let mut presses = 0;
    while !assigned_to_me(data.path()) {
        presses += 1;
        assert!(presses <= 12, "assign next never reached the new task");
        let open_before = s
            .execute("return document.querySelector('[data-testid=callback-drawer]')?.dataset.taskId ?? null;", vec![]);
        s.click_on("[data-testid=assign-next]");
        // The drawer may still show the task the previous press opened: wait for the next one.
        let drawer = s.wait_until(
            "the assigned task to open in the drawer",
            "const d = document.querySelector('[data-testid=callback-drawer]'); return d && d.dataset.taskId !== arguments[0] ? d.dataset.taskId : null;",
            vec![open_before],
            SHORT,
        );
        let shown: i64 = drawer.as_str().map(|v| v.parse().unwrap()).unwrap_or_else(|| drawer.as_i64().unwrap());
        s.wait_until(
            "the assignment to be saved",
            "return document.querySelector('[data-testid=assign-next]').disabled ? null : true;",
            vec![],
            SHORT,
        );
        if shown == task {
            break;
        }
    }
    assert!(assigned_to_me(data.path()), "the new task is assigned to the receptionist");
    s.wait_for(&format!("[data-testid=callback-drawer][data-task-id=\"{task}\"]"), SHORT);

    // Attempt (no answer: still open), then reach the caller (completed).
    set_field(&s, "[data-testid=log-attempt]", "note", "Rang twice, no voicemail");
    s.click_on("[data-testid=outcome-no_answer]");
    s.wait_until(
        "the task to show callback attempted",
        "const r = document.querySelector(arguments[0]); return r && r.dataset.status === 'attempted' ? true : null;",
        vec![json!(row)],
        SHORT,
    );
    s.wait_for("[data-testid=callback-attempt][data-outcome=no_answer]", SHORT);
    s.click_on("[data-testid=outcome-reached]");
    s.wait_for("[data-testid=callback-closed]", SHORT);
    let (status, attempts): (String, i64) = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let conn = desk.db();
        conn.query_row(
            "SELECT status, (SELECT COUNT(*) FROM callback_attempt WHERE task_id = t.id) FROM callback_task t WHERE id = ?1",
            [task],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!((status.as_str(), attempts), ("completed", 2), "both attempts are logged and the task is completed");
    s.save_screenshot_named("callbacks");

    // The caller is a known patient: their record shows this callback with both attempts.
    s.click_on("[data-testid=callback-open-patient]");
    let entry = s.wait_for(
        &format!("[data-testid=patient-callbacks] [data-testid=patient-callback][data-task-id=\"{task}\"]"),
        LONG,
    );
    let text = s.text(&entry);
    assert!(text.contains("Rang twice"), "the record lists the attempts with their notes: {text}");
    assert_eq!(
        s.execute("return document.querySelector('[data-testid=patient-record]')?.dataset.patientId ?? null;", vec![]),
        json!(patient.to_string()),
        "the record opened is the caller's"
    );
    s.save_screenshot_named("patient-callbacks");

    // An urgent escalation raised at the desk: the daemon shows it, the tray count goes up.
    let before = urgent_count(&tray_status(&s));
    s.click_on("[data-testid=nav-escalations]");
    s.wait_for("[data-testid=escalations]", LONG);
    s.click_on("[data-testid=new-escalation]");
    s.wait_for("[data-testid=escalation-form]", SHORT);
    set_field(&s, "[data-testid=escalation-form]", "category", "urgent_symptoms");
    s.wait_for("[data-testid=severity-forced]", SHORT);
    set_field(&s, "[data-testid=escalation-form]", "summary", "Caller reports chest pain and breathlessness");
    set_field(&s, "[data-testid=escalation-form]", "caller_name", "Zubin Testwala");
    s.click_on("[data-testid=escalation-submit]");
    s.wait_until(
        "the new urgent escalation in the list",
        "return [...document.querySelectorAll('[data-testid=escalation-row]')].some(r => r.dataset.severity === 'urgent' && r.textContent.includes('chest pain')) ? true : null;",
        vec![],
        SHORT,
    );
    let history = support::dunst::history_with("Urgent symptoms", LONG);
    assert!(history.contains("Urgent escalation"), "the daemon received the alert's summary: {history}");
    // The desktop notification leaves the desk (lock screen, history): what happened, not who,
    // unless the owner allows first names; the in-app alert keeps the name.
    assert!(
        !history.contains("Zubin") && !history.contains("Testwala"),
        "no name in a desktop alert by default: {history}"
    );
    let after = tray_status(&s);
    assert_eq!(urgent_count(&after), before + 1, "the tray counts the new urgent item: {after:?}");
    s.save_screenshot_named("escalations");
}

/// An owner merges a look-alike registration into the existing record, then undoes the merge from
/// the patient record: both records are patients of their own again, and the review is back.
#[test]
fn an_owner_merges_a_duplicate_and_undoes_it_from_the_patient_record() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
    s.sign_in("owner", "frontdesk-owner");
    s.click_on("[data-testid=nav-reviews]");
    s.wait_for("[data-testid=reviews]", LONG);
    let candidate = s.wait_for("[data-testid=review] [data-testid=review-candidate]", SHORT);
    let kept: i64 = s.attribute(&candidate, "data-patient-id").unwrap().parse().unwrap();
    let name = s
        .execute(
            "return document.querySelector(`[data-testid=review-candidate][data-patient-id=\"${arguments[0]}\"] .pname button`).textContent.trim();",
            vec![json!(kept)],
        )
        .as_str()
        .unwrap()
        .to_owned();
    let reviews_before = s.find_all("[data-testid=review]").len();
    s.click_on(&format!("[data-testid=review-candidate][data-patient-id=\"{kept}\"] [data-testid=review-merge]"));
    s.wait_for("[data-testid=merge-dialog]", SHORT);
    s.click_on("[data-testid=confirm-merge]");
    s.wait_until(
        "the merged review to leave the list",
        "return document.querySelectorAll('[data-testid=review]').length === arguments[0] - 1 ? true : null;",
        vec![json!(reviews_before)],
        SHORT,
    );

    // The kept record lists the merge; the owner undoes it (two clicks: undo, then confirm).
    search_for(&s, &name, kept);
    s.click_on(&format!("[data-testid=search-patient][data-patient-id=\"{kept}\"]"));
    s.wait_for(&format!("[data-testid=patient-record][data-patient-id=\"{kept}\"]"), SHORT);
    s.wait_for("[data-testid=merges] [data-testid=merge]", SHORT);
    s.save_screenshot_named("merge-recorded");
    s.click_on("[data-testid=undo-merge]");
    s.wait_until(
        "the undo button to ask for confirmation",
        "const b = document.querySelector('[data-testid=undo-merge]'); return b && b.textContent.includes('Confirm') ? true : null;",
        vec![],
        SHORT,
    );
    s.click_on("[data-testid=undo-merge]");
    s.wait_until(
        "the merge to show as undone",
        "const m = document.querySelector('[data-testid=merges] [data-testid=merge]'); return m && m.textContent.includes('undone') && !document.querySelector('[data-testid=undo-merge]') ? true : null;",
        vec![],
        SHORT,
    );
    s.click_on("[data-testid=nav-reviews]");
    s.wait_until(
        "the review to be open again",
        "return document.querySelectorAll('[data-testid=review]').length === arguments[0] ? true : null;",
        vec![json!(reviews_before)],
        SHORT,
    );
    s.save_screenshot_named("merge-undone");
    let desk = frontdesk::Desk::open(data.path()).unwrap();
    let tombstones: i64 =
        desk.db().query_row("SELECT COUNT(*) FROM patient WHERE merged_into = ?1", [kept], |r| r.get(0)).unwrap();
    assert_eq!(tombstones, 0, "no record is merged into the kept one any more");
}

/// A receptionist corrects a patient's phone and adds the address from the patient record: E
/// opens the form filled in, Ctrl+Enter saves, the record shows the new values at once, and the
/// change is audited by field name with its values kept before and after.
#[test]
fn a_receptionist_corrects_a_patients_phone_and_address_from_the_record() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
    s.sign_in("reception", "frontdesk-demo");
    s.wait_for("[data-testid=work-waiting]", LONG);

    // A patient nobody looks like (so the edit saves without opening a review), with one phone,
    // and a number nobody has.
    let (patient, name, old_e164, e164) = {
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let conn = desk.db();
        let (id, name, old): (i64, String, String) = conn
            .query_row(
                "SELECT p.id, p.given_name || ' ' || p.family_name, ph.e164 FROM patient p
                   JOIN patient_phone ph ON ph.patient_id = p.id
                 WHERE p.merged_into IS NULL
                   AND (SELECT COUNT(*) FROM patient_phone WHERE patient_id = p.id) = 1
                   AND NOT EXISTS (SELECT 1 FROM patient_phone o WHERE o.e164 = ph.e164 AND o.patient_id <> p.id)
                   AND NOT EXISTS (SELECT 1 FROM registration_review r WHERE r.patient_id = p.id)
                   AND NOT EXISTS (SELECT 1 FROM review_candidate c WHERE c.candidate_id = p.id)
                 ORDER BY p.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("a demo patient without look-alikes");
        let free = (142..200)
            .map(|n| format!("+1604555{n:04}"))
            .find(|e| {
                conn.query_row("SELECT NOT EXISTS(SELECT 1 FROM patient_phone WHERE e164 = ?1)", [e], |r| r.get(0))
                    .unwrap()
            })
            .expect("a free number");
        (id, name, old, free)
    };

    search_for(&s, &name, patient);
    s.click_on(&format!("[data-testid=search-patient][data-patient-id=\"{patient}\"]"));
    s.wait_for(&format!("[data-testid=patient-record][data-patient-id=\"{patient}\"]"), SHORT);
    s.wait_for("[data-testid=edit-patient]", SHORT);
    s.wait_until(
        "the search to close",
        "return !document.querySelector('[data-testid=search]') ? true : null;",
        vec![],
        SHORT,
    );
    // E, as the record's other single-letter keys work, opens the form filled in.
    s.execute("document.activeElement && document.activeElement.blur && document.activeElement.blur();", vec![]);
    s.press("e");
    let form = "[data-testid=patient-edit-form]";
    s.wait_for(form, SHORT);
    let given = s
        .execute(&format!("return document.querySelector('{form} [name=given_name]').value;"), vec![])
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(name.starts_with(&given), "the form is filled from the record: {given:?} / {name:?}");

    let national = &e164[2..];
    let typed = format!("{} {} {}", &national[..3], &national[3..6], &national[6..]);
    set_field(&s, form, "phone-0", &typed);
    set_field(&s, form, "address_line", "12 Main St, Unit 4");
    set_field(&s, form, "city", "Brampton");
    set_field(&s, form, "region", "ON");
    set_field(&s, form, "postal_code", "l6v 1a1");
    s.wait_for(&format!("{form} [data-testid=phone-preview]"), SHORT);
    s.save_screenshot_named("patient-edit-form");
    // Ctrl+Enter saves from any field.
    let city = s.wait_for(&format!("{form} [name=city]"), SHORT);
    s.type_into(&city, "\u{E009}\u{E007}\u{E000}");
    s.wait_until(
        "the form to save and close",
        "return !document.querySelector('[data-testid=patient-edit-form]') ? true : null;",
        vec![],
        SHORT,
    );
    s.wait_until(
        "the record to show the new address and number",
        "const a = document.querySelector('[data-testid=patient-address]');
         const phones = [...document.querySelectorAll('[data-testid=patient-record] .phone')].map(p => p.getAttribute('title'));
         return a && a.textContent.includes('12 Main St, Unit 4') && a.textContent.includes('L6V 1A1') && phones.includes(arguments[0]) ? true : null;",
        vec![json!(e164)],
        SHORT,
    );
    s.wait_for("[data-testid=edits] [data-testid=edit]", SHORT);
    s.save_screenshot_named("patient-edited");

    let desk = frontdesk::Desk::open(data.path()).unwrap();
    let conn = desk.db();
    let summary: String = conn
        .query_row(
            "SELECT summary FROM audit_event WHERE action = 'patient.edited' AND entity_id = ?1",
            [patient.to_string()],
            |r| r.get(0),
        )
        .expect("the edit is audited");
    assert!(summary.contains("phones") && summary.contains("address"), "the entry names the fields: {summary}");
    for phi in [&e164[2..], &old_e164[old_e164.len() - 4..], "Main", "L6V"] {
        assert!(!summary.contains(phi), "and never their values ({phi}): {summary}");
    }
    let fields: Vec<String> = conn
        .prepare("SELECT field FROM patient_edit WHERE patient_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([patient], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        fields,
        ["phones", "address_line", "city", "region", "postal_code"],
        "each value is kept before and after"
    );
    let stored: (String, i64) = conn
        .query_row("SELECT e164, is_primary FROM patient_phone WHERE patient_id = ?1", [patient], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(stored, (e164.clone(), 1), "the corrected number replaced the old one as the primary");
}
