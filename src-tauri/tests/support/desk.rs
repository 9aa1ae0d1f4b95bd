//! What the end-to-end tests do at the desk the way a person would: fill a field, search,
//! book the earliest slot.

use std::time::Duration;

use serde_json::json;

use super::webdriver::Session;

const SHORT: Duration = Duration::from_secs(15);

/// Sets a form control by name inside `scope` the way a person would change it, firing the
/// events Svelte listens to.
/// Waits for the field first: a dialog opened by the previous click may still be rendering.
pub fn set_field(s: &Session, scope: &str, name: &str, value: &str) {
    s.wait_until(
        &format!("a field {name} in {scope}"),
        "const el = document.querySelector(`${arguments[0]} [name=\"${arguments[1]}\"]`);
         if (!el) return null;
         el.value = arguments[2];
         el.dispatchEvent(new Event('input', {bubbles: true}));
         el.dispatchEvent(new Event('change', {bubbles: true}));
         return true;",
        vec![json!(scope), json!(name), json!(value)],
        SHORT,
    );
}

/// Finds the earliest slots: opens the form's "Find earliest" section and presses its button.
pub fn find_earliest(s: &Session) {
    let ok = s.execute(
        "const b = document.querySelector('[data-testid=find-earliest]'); if (!b) return false;
         const d = b.closest('details'); if (d) d.open = true; return true;",
        vec![],
    );
    assert_eq!(ok, json!(true), "the booking form has a Find earliest section");
    s.click_on("[data-testid=find-earliest]");
}

/// Clicks a control that only shows on hover (e.g. a result row's Book button).
pub fn click_hover_control(s: &Session, css: &str) {
    s.wait_for(css, SHORT);
    let ok = s.execute(
        "const el = document.querySelector(arguments[0]); if (!el) return false; el.click(); return true;",
        vec![json!(css)],
    );
    assert_eq!(ok, json!(true), "{css} is missing");
}

/// Opens search from the top bar, types `query`, and waits for patient `id` among the results.
pub fn search_for(s: &Session, query: &str, id: i64) {
    s.click_on("[data-testid=topbar-search]");
    let input = s.wait_for("[data-testid=search-input]", SHORT);
    s.clear(&input);
    s.type_into(&input, query);
    s.wait_for(&format!("[data-testid=search-patient][data-patient-id=\"{id}\"]"), SHORT);
}

/// Books the earliest slot of the service whose name contains `service` for the patient whose
/// booking form is open; returns (starts_at, doctor_id).
pub fn book_earliest(s: &Session, service: &str, reason: &str) -> (i64, i64) {
    s.wait_for("[data-testid=booking-form]", SHORT);
    let service = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=booking-form] [name=service_id] option')].find(o => o.textContent.includes(arguments[0]))?.value;",
            vec![json!(service)],
        )
        .as_str()
        .unwrap_or_else(|| panic!("a {service} service in the booking form"))
        .to_owned();
    set_field(s, "[data-testid=booking-form]", "service_id", &service);
    find_earliest(s);
    let slot = s.wait_for("[data-testid=earliest-results] [data-testid=slot]", SHORT);
    let starts: i64 = s.attribute(&slot, "data-starts-at").unwrap().parse().unwrap();
    let doctor: i64 = s.attribute(&slot, "data-doctor-id").unwrap().parse().unwrap();
    s.click(&slot);
    set_field(s, "[data-testid=booking-form]", "reason", reason);
    s.click_on("[data-testid=book-submit]");
    (starts, doctor)
}
