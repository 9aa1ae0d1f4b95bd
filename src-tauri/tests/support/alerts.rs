//! A shell on a fresh clinic with one urgent escalation raised, for the notification tests.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use frontdesk::alerts::Alert;
use frontdesk::events::Event;
use frontdesk_desktop::Shell;

pub const OWNER: (&str, &str) = ("owner", "correct horse battery");

/// Returns the shell (keep the directory alive; the owner is signed in) and the alert the core
/// raised, as the app shows it.
pub fn shell_with_urgent_alert() -> (tempfile::TempDir, Shell, Alert) {
    let dir = tempfile::tempdir().unwrap();
    let shell = Shell::open(dir.path(), false, Instant::now()).unwrap();
    let now = frontdesk_desktop::now();
    let ctx = |token| frontdesk::Ctx { desk: &shell.desk, token, now };
    frontdesk::settings::setup(
        &ctx(None),
        frontdesk::settings::SetupRequest {
            clinic_name: "Alert Clinic".into(),
            timezone: "Asia/Kolkata".into(),
            phone_region: "IN".into(),
            owner_name: "Olive Owner".into(),
            owner_username: OWNER.0.into(),
            owner_password: OWNER.1.into(),
        },
    )
    .unwrap();
    let (token, _) = frontdesk::session::sign_in(
        &ctx(None),
        frontdesk::session::SignInRequest { username: OWNER.0.into(), password: OWNER.1.into() },
    )
    .unwrap();
    // Signed in at this desk, as after the sign-in screen.
    shell.set_token(Some(token.clone()));
    let raised: Arc<Mutex<Option<i64>>> = Arc::default();
    let sink = raised.clone();
    shell.desk.events.subscribe(move |e| {
        if let Event::AlertRaised { alert_id } = e {
            *sink.lock().unwrap() = Some(*alert_id);
        }
    });
    frontdesk::escalations::create(
        &ctx(Some(&token)),
        frontdesk::escalations::EscalationRequest {
            category: frontdesk::escalations::Category::UrgentSymptoms,
            severity: frontdesk::escalations::Severity::Normal,
            source: frontdesk::escalations::EscalationSource::VoiceAgent,
            summary: "Caller reports chest pain since the morning".into(),
            patient_id: None,
            caller_name: "Priya Sharma".into(),
            caller_number: Some("098450-12345".into()),
            call_ref: None,
        },
    )
    .unwrap();
    let alert_id = raised.lock().unwrap().expect("an urgent escalation raises an alert");
    let alert = frontdesk::alerts::get(&ctx(Some(&token)), alert_id).unwrap();
    (dir, shell, alert)
}

/// What the owner's Settings does when they allow first names in desktop notifications.
pub fn allow_names_on_desktop(shell: &Shell) {
    shell.desk.db().execute("UPDATE clinic SET desktop_alert_names = 1 WHERE id = 1", []).unwrap();
}
