//! With no notification service reachable nothing is lost: the alert stays in the app's list
//! with the reason the desktop notification failed. (A separate test binary: it changes the
//! process's D-Bus address.)

mod support;

#[test]
fn without_a_session_bus_the_alert_is_kept_with_the_reason() {
    // No session bus at all: point the address at a socket that does not exist.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/frontdesk-test-bus");
    let (_dir, shell, alert) = support::alerts::shell_with_urgent_alert();
    assert!(frontdesk_desktop::deliver_alert(&shell, alert.id).is_none(), "there is no daemon to show it");

    let now = frontdesk_desktop::now();
    let token = frontdesk::session::sign_in(
        &frontdesk::Ctx { desk: &shell.desk, token: None, now },
        frontdesk::session::SignInRequest {
            username: support::alerts::OWNER.0.into(),
            password: support::alerts::OWNER.1.into(),
        },
    )
    .unwrap()
    .0;
    let list = frontdesk::alerts::list(&frontdesk::Ctx { desk: &shell.desk, token: Some(&token), now }).unwrap();
    assert_eq!(list.alerts.len(), 1, "the alert is kept for the in-app banner and list");
    assert_eq!(list.unseen, 1);
    let a = &list.alerts[0];
    assert!(!a.delivered);
    let reason = a.delivery_error.as_deref().unwrap_or_default();
    assert!(!reason.is_empty(), "the reason the desktop alert failed is recorded");
}
