//! End to end, in the real window: the release of the app as a receptionist meets it. Starts the
//! built binary through `tauri-driver` + `WebKitWebDriver` on a fresh data directory with `--demo`,
//! signs in, works today's schedule, quits, starts again and checks the work was kept.
//! Screenshots land in `target/screenshots/` for review.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use support::webdriver::{Driver, Session};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_secs(15);

fn app() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_frontdesk"))
}

fn sign_in(s: &Session, username: &str, password: &str) {
    let form = s.wait_for("[data-testid=signin-form]", LONG);
    let user = s.wait_for("[data-testid=signin-form] input[name=username]", SHORT);
    let pass = s.wait_for("[data-testid=signin-form] input[name=password]", SHORT);
    s.clear(&user);
    s.type_into(&user, username);
    s.clear(&pass);
    s.type_into(&pass, password);
    let submit = s.find_all("[data-testid=signin-form] [type=submit]").into_iter().next().expect("a sign-in button");
    s.click(&submit);
    let _ = form;
}

fn status_of(s: &Session, id: &str) -> Value {
    s.execute(
        "const el = document.querySelector(`[data-testid=appt][data-appt-id=\"${arguments[0]}\"]`); return el ? el.dataset.status : null;",
        vec![json!(id)],
    )
}

#[test]
fn a_receptionist_signs_in_marks_an_arrival_and_it_survives_a_restart() {
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();

    // First start: the demo clinic is seeded into the empty directory.
    let arrived_id = {
        let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
        sign_in(&s, "reception", "frontdesk-demo");
        s.wait_for("[data-testid=today]", LONG);
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

        // Pick an appointment that can be marked arrived, open it, and press A.
        let id = s
            .execute(
                "const el = [...document.querySelectorAll('[data-testid=appt]')].find(e => ['booked','confirmed','no_show'].includes(e.dataset.status));
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
    sign_in(&s, "reception", "not-the-password");
    let err = s.wait_for("[data-testid=form-error]", SHORT);
    let message = s.text(&err);
    assert!(message.contains("Wrong username or password"), "a failed sign-in must say what went wrong: {message}");
    sign_in(&s, "reception", "frontdesk-demo");
    s.wait_for(&format!("[data-testid=appt][data-appt-id=\"{arrived_id}\"]"), LONG);
    assert_eq!(
        status_of(&s, &arrived_id),
        json!("arrived"),
        "the arrival marked before the restart must still be there"
    );
    let shot = s.save_screenshot_named("today-after-restart");
    assert!(shot.exists());
}
