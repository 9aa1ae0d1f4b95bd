//! Benchmark: an urgent escalation raised in the running app → the desktop notification accepted
//! by the notification daemon.
//!   cargo bench -p frontdesk-desktop --bench alert
//!
//! The real path: the release app on the demo clinic, signed in as the receptionist (desktop
//! alerts on, the default), driven by WebDriver. The page calls the `create_escalation` IPC command
//! (category urgent_symptoms, which is always urgent) and records `performance.timeOrigin +
//! performance.now()` just before; the core stores the escalation and its alert and publishes the
//! event; the shell's subscriber starts its thread and notify-rust sends `Notify` over D-Bus. The
//! daemon is this bench's own minimal org.freedesktop.Notifications server on a private session
//! bus, which records the wall-clock time (SystemTime) when `Notify` arrives and answers. The
//! difference is the figure: the first escalation (the notifier's first connection), then median
//! and p95 over 30 more. Both clocks are the machine's wall clock; the bench checks the page's
//! against its own through WebDriver and prints the offset it saw.
//!
//! Starts its own dbus-daemon always, and Xvfb when there is no display.

mod support;

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use frontdesk::demo::Config;
use serde_json::json;
use support::{percentile, webdriver};

const RUNS: usize = 30;

/// The notification daemon: takes every notification and notes when it arrived.
struct Daemon {
    arrived: mpsc::Sender<f64>,
    next_id: u32,
}

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1e3
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Daemon {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        _summary: String,
        _body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let _ = self.arrived.send(epoch_ms(SystemTime::now()));
        self.next_id += 1;
        self.next_id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("frontdesk-bench".into(), "frontdesk".into(), "1".into(), "1.2".into())
    }

    fn close_notification(&self, _id: u32) {}
}

fn main() {
    let _xvfb = support::ensure_display();
    let _bus = support::private_session_bus();
    let (tx, arrived) = mpsc::channel();
    let _daemon = zbus::blocking::connection::Builder::session()
        .and_then(|b| b.name("org.freedesktop.Notifications"))
        .and_then(|b| b.serve_at("/org/freedesktop/Notifications", Daemon { arrived: tx, next_id: 0 }))
        .and_then(|b| b.build())
        .expect("the bench's notification daemon on the private bus");

    let (dir, _) = support::seeded_dir(&Config::demo());
    let driver = webdriver::Driver::start();
    let s = support::start_app(&driver, dir.path());
    support::sign_in(&s, "reception", "frontdesk-demo");

    // The page's clock is the machine's wall clock: `performance.timeOrigin + performance.now()`
    // against `Date.now()` (gettimeofday, whole ms) in the page, many times.
    let spread = s.execute(
        "let lo = Infinity, hi = -Infinity;
         for (let i = 0; i < 2000; i++) {
           const d = performance.timeOrigin + performance.now() - Date.now();
           lo = Math.min(lo, d); hi = Math.max(hi, d);
         }
         return [lo, hi];",
        vec![],
    );
    println!(
        "figure: alert_page_clock_minus_date_now {:.2}..{:.2} ms (0..1 when the page's high-resolution time is the wall clock)",
        spread[0].as_f64().unwrap(),
        spread[1].as_f64().unwrap()
    );

    let mut times = Vec::new();
    let mut commands = Vec::new();
    for i in 0..=RUNS {
        while arrived.try_recv().is_ok() {}
        let req = json!({
            "category": "urgent_symptoms",
            "severity": "normal",
            "source": "voice_agent",
            "summary": format!("Benchmark escalation {i}: caller reports chest pain"),
            "patient_id": null,
            "caller_name": "",
            "caller_number": null,
            "call_ref": null,
        });
        let sent = s
            .execute(
                "window.__benchAnswered = null;
                 const t0 = performance.timeOrigin + performance.now();
                 window.__TAURI_INTERNALS__.invoke('create_escalation', { req: arguments[0] })
                   .then(() => { window.__benchAnswered = performance.timeOrigin + performance.now() - t0; })
                   .catch((e) => { window.__benchError = JSON.stringify(e); });
                 return t0;",
                vec![req],
            )
            .as_f64()
            .unwrap();
        let at = arrived.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| {
            let err = s.execute("return window.__benchError || null;", vec![]);
            panic!("escalation {i} never reached the notification daemon (command error: {err})")
        });
        let ms = at - sent;
        let answered = s.wait_until("the command's answer", "return window.__benchAnswered;", vec![], support::LONG);
        commands.push(answered.as_f64().unwrap());
        if i == 0 {
            println!("figure: alert_to_daemon_first {ms:.2} ms");
        } else {
            times.push(ms);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(s);
    drop(driver);
    times.sort_by(f64::total_cmp);
    println!("figure: alert_to_daemon_median {:.2} ms", percentile(&times, 0.5));
    println!("figure: alert_to_daemon_p95 {:.2} ms", percentile(&times, 0.95));
    println!("figure: alert_to_daemon_max {:.2} ms", percentile(&times, 1.0));
    // For reading the figure: the command's own round trip in the page (the core's write, with its
    // fsyncs and the sealed audit head, and the IPC both ways), which the path above includes.
    commands.sort_by(f64::total_cmp);
    println!("figure: alert_command_round_trip_median {:.2} ms", percentile(&commands, 0.5));
    println!("figure: alert_command_round_trip_p95 {:.2} ms", percentile(&commands, 0.95));
}
