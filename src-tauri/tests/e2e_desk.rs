//! End to end, in the real window: the small frictions of a busy morning. A new booking never
//! carries the previous caller (B starts empty and offers the unfinished booking by name); an
//! arrival on another day is asked about, and "No" changes nothing; new alerts take one line; a
//! new clinic's owner types a city for the time zone and is signed in at once.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::webdriver::{app, one_window, Driver, Session};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_secs(15);

fn value_of(s: &Session, name: &str) -> Value {
    s.execute(
        "const el = document.querySelector(`[data-testid=booking-form] [name=\"${arguments[0]}\"]`); return el ? el.value : null;",
        vec![json!(name)],
    )
}

fn set_field(s: &Session, name: &str, value: &str) {
    support::desk::set_field(s, "[data-testid=booking-form]", name, value);
}

/// Presses B on Today with the focus on the schedule (not in a field).
fn press_book(s: &Session) {
    s.execute("document.activeElement?.blur(); document.querySelector('[data-testid=today]')?.focus?.();", vec![]);
    s.press("b");
    s.wait_for("[data-testid=booking-form]", SHORT);
}

/// The demo clinic, signed in as the receptionist, on Today.
fn demo_today(driver: &Driver, data_dir: &str) -> Session {
    let s = Session::start(driver, app(), &["--data-dir", data_dir, "--demo"]);
    s.sign_in("reception", "frontdesk-demo");
    s.wait_for("[data-testid=work-waiting]", LONG);
    let nav = s.wait_for("[data-testid=nav-today]", SHORT);
    s.click(&nav);
    s.wait_for("[data-testid=today] [data-testid=appt]", LONG);
    s
}

#[test]
fn b_starts_an_empty_booking_and_offers_the_unfinished_one_by_name() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = demo_today(&driver, &data_dir);

    // The first caller: a name and a complaint, then a refused submit (no service, no time).
    press_book(&s);
    set_field(&s, "caller_name", "Marguerite Firstcaller");
    set_field(&s, "reason", "sore throat");
    let book = s.wait_for("[data-testid=book-submit]", SHORT);
    s.click(&book);
    s.wait_until(
        "the refused submit to show what is missing",
        "return document.querySelector('[data-testid=booking-form] [data-testid^=field-error], [data-testid=booking-error]') ? true : null;",
        vec![],
        SHORT,
    );
    s.press("\u{E00C}"); // Esc: the panel closes, the draft is kept
    s.wait_until(
        "the booking panel to close",
        "return document.querySelector('[data-testid=booking-form]') ? null : true;",
        vec![],
        SHORT,
    );

    // The next caller: B opens an empty form, and offers the first caller's booking by name.
    press_book(&s);
    assert_eq!(value_of(&s, "caller_name"), json!(""), "a new booking starts empty");
    assert_eq!(value_of(&s, "reason"), json!(""), "the previous complaint is not reused");
    let errors = s.find_all("[data-testid=booking-form] [data-testid^=field-error], [data-testid=booking-error]");
    assert!(errors.is_empty(), "no stale error from the previous caller");
    let offer = s.wait_for("[data-testid=resume-draft]", SHORT);
    assert_eq!(s.attribute(&offer, "data-label").as_deref(), Some("Marguerite Firstcaller"));
    assert!(s.text(&offer).contains("Resume the booking for Marguerite Firstcaller"), "{}", s.text(&offer));

    // Typing goes into the new booking only.
    let reason = s.wait_for("[data-testid=booking-form] [name=reason]", SHORT);
    s.type_into(&reason, "fever");
    assert_eq!(value_of(&s, "reason"), json!("fever"));
    set_field(&s, "caller_name", "Second Caller");
    let shot = s.save_screenshot_named("booking-resume-offer");
    assert!(shot.exists());

    // Resume: the first booking comes back whole; the second waits on the shelf in its place.
    let yes = s.wait_for(
        "[data-testid=resume-draft][data-label=\"Marguerite Firstcaller\"] [data-testid=resume-draft-yes]",
        SHORT,
    );
    s.click(&yes);
    s.wait_until(
        "the first caller's booking to be back",
        "const el = document.querySelector('[data-testid=booking-form] [name=caller_name]'); return el && el.value === 'Marguerite Firstcaller' ? true : null;",
        vec![],
        SHORT,
    );
    assert_eq!(value_of(&s, "reason"), json!("sore throat"));
    let errors = s.find_all("[data-testid=booking-form] [data-testid^=field-error], [data-testid=booking-error]");
    assert!(errors.is_empty(), "the resumed booking comes back without its stale error");
    let offers = s.find_all("[data-testid=resume-draft]");
    assert_eq!(offers.len(), 1, "the second caller's booking is offered in turn");
    assert_eq!(s.attribute(&offers[0], "data-label").as_deref(), Some("Second Caller"));

    // Discard removes the offer for good.
    let discard = s.wait_for("[data-testid=resume-draft] [data-testid=resume-draft-discard]", SHORT);
    s.click(&discard);
    s.wait_until(
        "the offer to go",
        "return document.querySelector('[data-testid=resume-draft]') ? null : true;",
        vec![],
        SHORT,
    );
}

fn card_status(s: &Session, id: &str) -> Value {
    s.execute(
        "const el = document.querySelector(`[data-testid=appt][data-appt-id=\"${arguments[0]}\"]`); return el ? el.dataset.status : null;",
        vec![json!(id)],
    )
}

#[test]
fn an_arrival_on_another_day_is_asked_about_and_no_changes_nothing() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = demo_today(&driver, &data_dir);

    // A later day's schedule (the next day the clinic works): that patient is at the desk today.
    let mut found = None;
    for _ in 0..5 {
        let shown = s.execute("return document.querySelector('[data-testid=date-picker]').dataset.value;", vec![]);
        s.execute("document.activeElement?.blur();", vec![]);
        s.press("]");
        s.wait_until(
            "the next day to load",
            "const d = document.querySelector('[data-testid=date-picker]').dataset.value;
             return d !== arguments[0] && !document.querySelector('[data-testid=today] .loading') ? d : null;",
            vec![shown],
            SHORT,
        );
        std::thread::sleep(Duration::from_millis(400));
        let id = s.execute(
            "const el = [...document.querySelectorAll('[data-testid=appt]')].find(e => ['booked','confirmed'].includes(e.dataset.status) && Number(e.dataset.startsAt) > Date.now() / 1000 + 6 * 3600);
             return el ? el.dataset.apptId : null;",
            vec![],
        );
        if let Some(id) = id.as_str() {
            found = Some(id.to_owned());
            break;
        }
    }
    let id = found.expect("a booked appointment on one of the next working days");
    let before = card_status(&s, &id);
    s.click_on(&format!("[data-testid=appt][data-appt-id=\"{id}\"]"));
    s.press("a");
    let msg = s.wait_for("[data-testid=confirm-message]", SHORT);
    let text = s.text(&msg);
    assert!(text.contains("not today") && text.contains("arrived anyway"), "the question says why: {text}");
    s.save_screenshot_named("arrival-question");

    // "No, go back": nothing changes, and the focus is back on the card for the next key.
    s.click_on("[data-testid=confirm-no]");
    let focused = s.wait_until(
        "the dialog to close and the focus to return to the card",
        "if (document.querySelector('[data-testid=confirm-dialog]')) return null;
         return document.activeElement?.dataset?.apptId || null;",
        vec![],
        SHORT,
    );
    assert_eq!(focused, json!(id), "the focus returns to the appointment");
    assert_eq!(card_status(&s, &id), before, "no means no change");
    let desk = frontdesk::Desk::open(data.path()).unwrap();
    let stored: String = desk
        .db()
        .query_row("SELECT status FROM appointment WHERE id = ?1", [id.parse::<i64>().unwrap()], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, "arrived");
    drop(desk);

    // Asked again and confirmed: arrived.
    s.press("a");
    s.click_on("[data-testid=confirm-yes]");
    s.wait_until(
        "the card to show arrived once confirmed",
        "const el = document.querySelector(`[data-testid=appt][data-appt-id=\"${arguments[0]}\"]`); return el && el.dataset.status === 'arrived' ? true : null;",
        vec![json!(id)],
        SHORT,
    );
}

#[test]
fn new_alerts_take_one_line_with_their_count_and_open_the_list() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = demo_today(&driver, &data_dir);

    // Three urgent escalations raised at the desk, through the window's own command.
    for i in 0..3 {
        s.invoke(
            "create_escalation",
            json!({"req": {"category": "urgent_symptoms", "severity": "urgent", "source": "staff",
                   "summary": format!("Caller reports chest pain {i}"), "patient_id": null, "caller_name": "",
                   "caller_number": null, "call_ref": null}}),
        )
        .expect("an urgent escalation");
    }
    let count = s.wait_until(
        "one alert line counting the three new alerts",
        "const b = document.querySelectorAll('[data-testid=alert-banner]');
         return b.length === 1 && b[0].dataset.count === '3' ? [b.length, b[0].getBoundingClientRect().height] : null;",
        vec![],
        LONG,
    );
    assert!(count[1].as_f64().unwrap() <= 40.0, "one line, not a stack: {count}");
    let strip = s.wait_for("[data-testid=alert-banner]", SHORT);
    assert_eq!(s.attribute(&strip, "data-urgent").as_deref(), Some("true"));
    s.save_screenshot_named("alert-strip");

    // "+2 more" opens the alerts list; an urgent alert stays on the line until it is seen.
    let more = s.wait_for("[data-testid=alert-banner-more]", SHORT);
    assert!(s.text(&more).contains("+2"), "{}", s.text(&more));
    s.click(&more);
    s.wait_for("[data-testid=alert-item]", SHORT);
    s.press("\u{E00C}");
    s.click_on("[data-testid=alert-banner-dismiss]");
    s.wait_until(
        "the line to move on to the next unseen alert",
        "const b = document.querySelector('[data-testid=alert-banner]'); return b && b.dataset.count === '2' ? true : null;",
        vec![],
        SHORT,
    );
}

#[test]
fn a_new_clinic_picks_its_zone_by_city_and_the_owner_is_signed_in_at_once() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir]);
    s.wait_for("[data-testid=setup-form]", LONG);

    let name = s.wait_for("#setup-clinic_name", SHORT);
    s.type_into(&name, "Harbour Street Clinic");
    let zone = s.wait_for("#setup-timezone", SHORT);
    s.clear(&zone);
    s.type_into(&zone, "toron");
    // Every typed key has reached the field before a match is picked (a late key would re-open
    // the search over the pick).
    s.wait_until(
        "the typed city",
        "return document.querySelector('#setup-timezone').value === 'toron' ? true : null;",
        vec![],
        SHORT,
    );
    s.click_on("[data-testid=zone-matches] [data-zone=\"America/Toronto\"]");
    s.wait_until(
        "the picked zone to show by its city",
        "return document.querySelector('#setup-timezone').value === 'Toronto (America)' ? true : null;",
        vec![],
        SHORT,
    );
    let region = s.execute("return document.querySelector('#setup-phone_region').value;", vec![]);
    assert_eq!(region, json!("CA"), "the phone region follows the zone");
    for (field, value) in [
        ("#setup-owner_name", "Nadia Owner"),
        ("#setup-owner_username", "nadia"),
        ("#setup-owner_password", "harbour-street-2026"),
        ("#setup-confirm_password", "harbour-street-2026"),
    ] {
        let e = s.wait_for(field, SHORT);
        s.type_into(&e, value);
    }
    s.click_on("[data-testid=setup-form] [type=submit]");
    // Straight into the clinic: no sign-in form asking for what was just typed.
    let landed = s.wait_until(
        "the owner to land in the clinic",
        "if (document.querySelector('[data-testid=signin-form]')) return 'signin';
         return document.querySelector('[data-testid=frame]') ? 'frame' : null;",
        vec![],
        LONG,
    );
    if landed != json!("frame") {
        let shot = s.save_screenshot_named("setup-landed-on-signin");
        let text = s.execute("return document.body.innerText;", vec![]);
        panic!("the owner was not signed in after creating the clinic ({}): {text}", shot.display());
    }
    let desk = frontdesk::Desk::open(data.path()).unwrap();
    let tz: String = desk.db().query_row("SELECT timezone FROM clinic", [], |r| r.get(0)).unwrap();
    assert_eq!(tz, "America/Toronto");
}

#[test]
fn a_day_of_thousands_is_drawn_a_window_at_a_time_and_the_keyboard_reaches_every_card() {
    let _window = one_window();
    let data = tempfile::tempdir().expect("temp data dir");
    let data_dir = data.path().to_str().unwrap().to_owned();
    {
        // A large clinic over the coming week: its weekdays hold thousands of appointments.
        let desk = frontdesk::Desk::open(data.path()).unwrap();
        let config = frontdesk::demo::Config {
            days_before: 0,
            days_after: 6,
            staff_accounts: true,
            ..frontdesk::demo::Config::large()
        };
        frontdesk::demo::seed(&mut desk.db(), &config, frontdesk_desktop::now()).unwrap();
    }
    let driver = Driver::start();
    let s = Session::start(&driver, app(), &["--data-dir", &data_dir, "--demo"]);
    s.sign_in("reception", "frontdesk-demo");
    s.wait_for("[data-testid=work-waiting]", LONG);
    s.click_on("[data-testid=nav-today]");

    // The first day (today or later) that is big: the board is windowed.
    let mut big = false;
    for _ in 0..7 {
        s.wait_for("[data-testid=today] [data-testid=appt], [data-testid=empty-state]", LONG);
        let windowed = s.execute(
            "const g = document.querySelector('[data-testid=today] .grid'); return g ? g.dataset.windowed : null;",
            vec![],
        );
        if windowed == json!("true") {
            big = true;
            break;
        }
        let shown = s.execute("return document.querySelector('[data-testid=date-picker]').dataset.value;", vec![]);
        s.execute("document.activeElement?.blur();", vec![]);
        s.press("]");
        s.wait_until(
            "the next day",
            "return document.querySelector('[data-testid=date-picker]').dataset.value !== arguments[0] ? true : null;",
            vec![shown],
            SHORT,
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    assert!(big, "a day of the large clinic is windowed");
    let counts = s.execute(
        "const total = Number(document.querySelector('[data-testid=today] .total').textContent.replace(/\\D+/g, ''));
         return [document.querySelectorAll('[data-testid=appt]').length, total];",
        vec![],
    );
    let (drawn, total) = (counts[0].as_u64().unwrap(), counts[1].as_u64().unwrap());
    assert!(total > 1000 && drawn < total / 4, "only a window of the day is drawn: {drawn} of {total}");
    s.save_screenshot_named("today-windowed");

    // Down a column past the end of what was first drawn, one key at a time: every card is
    // reached in order and the board follows.
    let first = s.wait_for("[data-testid=doctor-column] [data-testid=appt]", SHORT);
    s.click(&first);
    s.press("\u{E00C}"); // Esc closes the drawer the click opened; the card keeps the focus
    let mut last_start = 0_i64;
    for step in 0..40 {
        let at = s.execute(
            "const a = document.activeElement; return a && a.dataset.testid === 'appt' ? Number(a.dataset.startsAt) : null;",
            vec![],
        );
        let starts = at.as_i64().unwrap_or_else(|| panic!("step {step}: the focus left the cards"));
        assert!(starts >= last_start, "step {step}: the next card is later in the column");
        last_start = starts;
        s.press("\u{E015}"); // ArrowDown
    }
    let scrolled = s.execute("return document.querySelector('[data-testid=today] .grid').scrollTop;", vec![]);
    assert!(scrolled.as_f64().unwrap() > 200.0, "the board followed the keyboard: {scrolled}");
    let still = s.execute("return document.querySelectorAll('[data-testid=appt]').length;", vec![]);
    assert!(still.as_u64().unwrap() < total / 4, "still a window after scrolling: {still}");
}
