//! Native alerts, for real: the test command runs this on a private D-Bus session bus where the
//! dunst notification daemon is started on demand, and checks that the alert reached the daemon
//! with its summary and body, and that the core recorded the delivery.

mod support;

use std::time::Duration;

use support::dunst;

#[test]
fn an_urgent_escalation_reaches_the_notification_daemon() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() && std::env::var_os("DISPLAY").is_some(),
        "this test needs a private session bus and a display for the notification daemon: run it through scripts/test.sh \
         (xvfb-run … dbus-run-session -- cargo test)"
    );
    let (_dir, shell, alert) = support::alerts::shell_with_urgent_alert();
    assert_eq!(alert.title, "Urgent escalation");
    assert_eq!(
        alert.body, "Urgent symptoms · Priya · raised just now",
        "in the app: what, how old, a first name at most"
    );

    // By default the desktop says what happened, not who: the OS lock screen and the notification
    // history leave the desk.
    let (shown, handle) =
        frontdesk_desktop::deliver_alert(&shell, alert.id).expect("the notification daemon accepted the alert");
    drop(handle);
    assert_eq!(shown.title, alert.title);
    let history = dunst::history_with(&shown.body, Duration::from_secs(10));
    assert!(history.contains("Urgent escalation"), "the daemon must have received the summary: {history}");
    assert!(history.contains(&shown.body), "…and the body: {history}");
    assert!(history.contains("Frontdesk"), "…from Frontdesk: {history}");
    assert!(!history.contains("Priya"), "…and no name, unless the owner allows it: {history}");

    let token = frontdesk::session::sign_in(
        &frontdesk::Ctx { desk: &shell.desk, token: None, now: frontdesk_desktop::now() },
        frontdesk::session::SignInRequest {
            username: support::alerts::OWNER.0.into(),
            password: support::alerts::OWNER.1.into(),
        },
    )
    .unwrap()
    .0;
    let list = frontdesk::alerts::list(&frontdesk::Ctx {
        desk: &shell.desk,
        token: Some(&token),
        now: frontdesk_desktop::now(),
    })
    .unwrap();
    assert!(
        list.alerts[0].delivered && list.alerts[0].delivery_error.is_none(),
        "the delivery is recorded: {:?}",
        list.alerts[0]
    );
    assert_eq!(list.urgent_open, 1);
    assert_eq!(shell.refresh_tray_label(), "1 urgent", "the tray shows the open urgent item");

    // With the owner's leave, the first name (never the surname or the phone). Signing in above
    // ended the desk's earlier session, so the desk is the new one's.
    shell.set_token(Some(token));
    support::alerts::allow_names_on_desktop(&shell);
    let (_, handle) = frontdesk_desktop::deliver_alert(&shell, alert.id).expect("the daemon accepted the named alert");
    drop(handle);
    let history = dunst::history_with(&alert.body, Duration::from_secs(10));
    assert!(
        history.contains("Urgent symptoms · Priya · raised just now"),
        "names allowed: who by first name: {history}"
    );
    assert!(!history.contains("Sharma") && !history.contains("98450"), "no surname or phone in a desktop alert");

    // Signed out, the desk still alerts, but says what happened, not who, names allowed or not.
    shell.set_token(None);
    let named_before = dunst::history().matches("Priya").count();
    let (_, handle) =
        frontdesk_desktop::deliver_alert(&shell, alert.id).expect("the daemon accepted the signed-out alert");
    drop(handle);
    let history = dunst::history_with(frontdesk::alerts::SIGNED_OUT_BODY, Duration::from_secs(10));
    assert!(history.contains(frontdesk::alerts::SIGNED_OUT_BODY), "a signed-out desk says to sign in: {history}");
    assert_eq!(history.matches("Priya").count(), named_before, "…and names no one: {history}");
}

/// A clinic file whose safeguards were removed is refused at start, and the person is told why
/// on the desktop too (someone who started Frontdesk from a launcher has no terminal).
#[test]
fn a_clinic_that_was_tampered_with_is_refused_at_start_with_a_desktop_message() {
    assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(), "run through scripts/test.sh");
    let dir = tempfile::tempdir().unwrap();
    {
        let desk = frontdesk::Desk::open(dir.path()).unwrap();
        desk.db().execute_batch("DROP TRIGGER audit_event_no_delete").unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["--data-dir", dir.path().to_str().unwrap()])
        .output()
        .expect("start the app");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("audit_event_no_delete was removed") && stderr.contains("backup"), "{stderr}");
    let history = dunst::history_with("could not open the clinic", Duration::from_secs(10));
    assert!(history.contains("audit_event_no_delete was removed"), "the desktop says what happened: {history}");
}
