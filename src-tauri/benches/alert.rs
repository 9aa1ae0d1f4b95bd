//! Benchmark: from the core's alert event to the desktop notification accepted by the daemon.
//!   cargo bench -p frontdesk-desktop --bench alert
//! Starts its own private D-Bus session bus (the dunst daemon is activated on it) and, without a
//! display, its own Xvfb. Prints `figure:` lines: the first alert (includes starting the daemon),
//! then median and p95 over 30 more.

#[path = "../tests/support/alerts.rs"]
#[allow(dead_code)]
mod alerts;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontdesk::events::Event;

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let mut guards = Vec::new();
    if std::env::var_os("DISPLAY").is_none() {
        let n = 170 + std::process::id() % 50;
        guards.push(Kill(
            Command::new("Xvfb")
                .args([format!(":{n}"), "-screen".into(), "0".into(), "1280x800x24".into()])
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb"),
        ));
        std::env::set_var("DISPLAY", format!(":{n}"));
        std::thread::sleep(Duration::from_millis(500));
    }
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-daemon (scripts/setup.sh installs dbus)");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().unwrap()).read_line(&mut address).unwrap();
    guards.push(Kill(bus));
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());

    let (_dir, shell, first) = alerts::shell_with_urgent_alert();
    let shell = Arc::new(shell);
    let t = Instant::now();
    frontdesk_desktop::deliver_alert(&shell, first.id).expect("the daemon accepted the first alert");
    println!("figure: alert_to_daemon_first {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    // Every later alert: measured from the moment the core publishes it.
    let times: Arc<Mutex<Vec<f64>>> = Arc::default();
    let sink = times.clone();
    let notifier = shell.clone();
    shell.desk.events.subscribe(move |e| {
        if let Event::AlertRaised { alert_id } = e {
            let t = Instant::now();
            if frontdesk_desktop::deliver_alert(&notifier, *alert_id).is_some() {
                sink.lock().unwrap().push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    });
    let now = frontdesk_desktop::now();
    let ctx = |token| frontdesk::Ctx { desk: &shell.desk, token, now };
    let (token, _) = frontdesk::session::sign_in(
        &ctx(None),
        frontdesk::session::SignInRequest { username: alerts::OWNER.0.into(), password: alerts::OWNER.1.into() },
    )
    .unwrap();
    for i in 0..30 {
        frontdesk::escalations::create(
            &ctx(Some(&token)),
            frontdesk::escalations::EscalationRequest {
                category: frontdesk::escalations::Category::UrgentSymptoms,
                severity: frontdesk::escalations::Severity::Urgent,
                source: frontdesk::escalations::EscalationSource::VoiceAgent,
                summary: format!("Benchmark escalation {i}"),
                patient_id: None,
                caller_name: String::new(),
                caller_number: None,
                call_ref: None,
            },
        )
        .unwrap();
    }
    let mut v = times.lock().unwrap().clone();
    assert_eq!(v.len(), 30, "every alert reached the daemon");
    v.sort_by(f64::total_cmp);
    println!("figure: alert_to_daemon_median {:.2} ms", v[v.len() / 2]);
    println!("figure: alert_to_daemon_p95 {:.2} ms", v[(v.len() as f64 * 0.95) as usize - 1]);
}
