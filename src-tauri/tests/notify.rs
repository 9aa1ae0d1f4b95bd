//! Native alerts, for real: the test command runs this on a private D-Bus session bus where the
//! dunst notification daemon is started on demand, and checks that the alert reached the daemon
//! with its summary and body, and that the core recorded the delivery.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

fn dunst_history() -> String {
    let out = Command::new("dunstctl").arg("history").output().expect("run dunstctl (scripts/setup.sh installs dunst)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_urgent_escalation_reaches_the_notification_daemon() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() && std::env::var_os("DISPLAY").is_some(),
        "this test needs a private session bus and a display for the notification daemon: run it through scripts/test.sh \
         (xvfb-run … dbus-run-session -- cargo test)"
    );
    let (_dir, shell, alert) = support::alerts::shell_with_urgent_alert();
    assert_eq!(alert.title, "Urgent escalation");
    assert_eq!(alert.body, "Urgent symptoms · Priya · raised just now", "what and how old, a first name at most");

    let handle = frontdesk_desktop::deliver_alert(&shell, &alert).expect("the notification daemon accepted the alert");
    drop(handle);
    // Close it so dunst moves it to its history, then read the history.
    let _ = Command::new("dunstctl").arg("close-all").status();
    let deadline = Instant::now() + Duration::from_secs(10);
    let history = loop {
        let h = dunst_history();
        if h.contains(&alert.title) || Instant::now() > deadline {
            break h;
        }
        std::thread::sleep(Duration::from_millis(100));
        let _ = Command::new("dunstctl").arg("close-all").status();
    };
    assert!(history.contains("Urgent escalation"), "the daemon must have received the summary: {history}");
    assert!(history.contains("Urgent symptoms · Priya · raised just now"), "…and the body: {history}");
    assert!(history.contains("Frontdesk"), "…from Frontdesk: {history}");
    assert!(!history.contains("Sharma") && !history.contains("98450"), "no surname or phone in a desktop alert");

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

    // Signed out, the desk still alerts, but says what happened, not who.
    shell.set_token(None);
    let named_before = dunst_history().matches("Priya").count();
    let handle = frontdesk_desktop::deliver_alert(&shell, &alert).expect("the daemon accepted the signed-out alert");
    drop(handle);
    let deadline = Instant::now() + Duration::from_secs(10);
    let history = loop {
        let _ = Command::new("dunstctl").arg("close-all").status();
        let h = dunst_history();
        if h.contains(frontdesk::alerts::SIGNED_OUT_BODY) || Instant::now() > deadline {
            break h;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(history.contains(frontdesk::alerts::SIGNED_OUT_BODY), "a signed-out desk says to sign in: {history}");
    assert_eq!(history.matches("Priya").count(), named_before, "…and names no one: {history}");
}
