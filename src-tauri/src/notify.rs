//! Native desktop notifications for alerts, through notify-rust (the freedesktop notification
//! service on D-Bus). When no notification service is reachable nothing is lost: the alert is
//! already stored by the core (the in-app banner and the alert list show it); we only record why
//! the desktop notification failed, and log it with the alert id.

use frontdesk::alerts::DesktopAlert;
use notify_rust::{Notification, Timeout, Urgency};

/// Shows `alert` (as the core worded it for the desktop) as a notification with an "Open" action.
/// Returns once the notification service accepted it (or refused, or could not be reached).
pub fn show(alert: &DesktopAlert) -> Result<notify_rust::NotificationHandle, String> {
    let mut n = Notification::new();
    n.appname("Frontdesk")
        .summary(&alert.title)
        .body(&alert.body)
        .action("default", "Open")
        .urgency(if alert.urgent { Urgency::Critical } else { Urgency::Normal })
        // Urgent alerts stay until someone looks; the rest fade after 15 s (they stay in the app).
        .timeout(if alert.urgent { Timeout::Never } else { Timeout::Milliseconds(15_000) });
    n.show().map_err(|e| e.to_string())
}

/// Tells the person why Frontdesk did not start, on the desktop as well as the terminal: someone
/// who started it from a launcher has no terminal to read. The text carries no patient data.
pub fn show_start_failure(message: &str) {
    let _ = Notification::new()
        .appname("Frontdesk")
        .summary("Frontdesk could not open the clinic")
        .body(message)
        .urgency(Urgency::Critical)
        .timeout(Timeout::Never)
        .show();
}
