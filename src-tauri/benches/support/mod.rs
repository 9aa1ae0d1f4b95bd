//! What the shell's benchmarks share: a display and a session bus when there are none, clinics
//! seeded through the core, the real window driven over WebDriver, percentiles and memory.
#![allow(dead_code)]

#[path = "../../tests/support/webdriver.rs"]
pub mod webdriver;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use webdriver::Session;

pub const LONG: Duration = Duration::from_secs(120);

/// The release (bench profile) build of the app.
pub fn app() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_frontdesk"))
}

/// A child process killed (and reaped) on drop.
pub struct Kill(pub Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on a free display when there is no display (`xvfb-run -a` gives one).
pub fn ensure_display() -> Option<Kill> {
    if std::env::var_os("DISPLAY").is_some() {
        return None;
    }
    let n = (100..400)
        .map(|i| 100 + (std::process::id() + i) % 300)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number");
    let child = Command::new("Xvfb")
        .args([format!(":{n}"), "-screen".into(), "0".into(), "1280x800x24".into(), "-nolisten".into(), "tcp".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("no display and Xvfb could not start: run scripts/setup.sh");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        assert!(Instant::now() < deadline, "Xvfb did not start on :{n}");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::env::set_var("DISPLAY", format!(":{n}"));
    Some(Kill(child))
}

/// A private D-Bus session bus for this process and everything it starts; returns its daemon.
pub fn private_session_bus() -> Kill {
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-daemon (scripts/setup.sh installs dbus)");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().unwrap()).read_line(&mut address).unwrap();
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
    Kill(bus)
}

/// A session bus when there is none (`dbus-run-session` gives one): the app's single-instance
/// check uses it.
pub fn ensure_session_bus() -> Option<Kill> {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none().then(private_session_bus)
}

/// Sorted samples' percentile (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Prints `<name>_median` and `<name>_p95` (and the sample count) for `v`.
pub fn report(name: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    println!("figure: {name}_median {:.2} ms", percentile(&v, 0.5));
    println!("figure: {name}_p95 {:.2} ms", percentile(&v, 0.95));
    println!("figure: {name}_samples {} count", v.len());
}

/// A fresh data directory holding a generated clinic (marked as the demo: the app needs `--demo`),
/// seeded through the core; `config` with `staff_accounts` has the demo's accounts.
pub fn seeded_dir(config: &frontdesk::demo::Config) -> (tempfile::TempDir, frontdesk::demo::Summary) {
    let dir = tempfile::tempdir().unwrap();
    let desk = frontdesk::Desk::open(dir.path()).unwrap();
    let summary = frontdesk::demo::seed(&mut desk.db(), config, frontdesk_desktop::now()).unwrap();
    (dir, summary)
}

/// Starts the app on `dir` (`--demo`) in a WebDriver session.
pub fn start_app(driver: &webdriver::Driver, dir: &Path) -> Session {
    Session::start(driver, app(), &["--data-dir", dir.to_str().unwrap(), "--demo"])
}

/// Signs in through the sign-in screen and waits for the home screen to be painted.
pub fn sign_in(s: &Session, username: &str, password: &str) {
    let user = s.wait_for("[data-testid=signin-form] input[name=username]", LONG);
    let pass = s.wait_for("[data-testid=signin-form] input[name=password]", LONG);
    s.type_into(&user, username);
    s.type_into(&pass, password);
    let submit = s.wait_for("[data-testid=signin-form] [type=submit]", LONG);
    s.click(&submit);
    s.wait_until(
        "the home screen to be painted",
        "const m = window.__frontdeskTimings || {}; return m['home-rendered'] || null;",
        vec![],
        LONG,
    );
}

/// Opens Today from the side bar and waits until a day's appointments are on screen.
pub fn open_today(s: &Session) {
    let nav = s.wait_for("[data-testid=nav-today]", LONG);
    s.click(&nav);
    s.wait_for("[data-testid=appt]", LONG);
}

/// The samples of a series the page keeps (`sample()` in ui/src/lib/app/timings.ts).
pub fn samples(s: &Session, series: &str) -> Vec<f64> {
    let v = s.execute(
        "return ((window.__frontdeskSamples || {})[arguments[0]] || []).slice();",
        vec![Value::String(series.into())],
    );
    v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

/// Waits until the page has more than `n` samples in `series`; false after `timeout`.
pub fn wait_for_samples(s: &Session, series: &str, n: usize, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if samples(s, series).len() > n {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The processes whose command line contains `needle` (excluding this one).
pub fn pids_with_arg(needle: &str) -> Vec<u32> {
    let me = std::process::id();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if pid == me {
            continue;
        }
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        if cmd.split(|b| *b == 0).any(|a| a == needle.as_bytes()) {
            out.push(pid);
        }
    }
    out
}

/// `root` and every process below it.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parent = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse::<u32>().ok()) {
            parent.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parent.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree
}

/// PSS of a process tree in MB (the `Pss:` of each process's smaps_rollup), with each process
/// counted and its own PSS.
pub fn pss_mb(root: u32) -> (f64, Vec<String>) {
    let mut kb = 0u64;
    let mut names = Vec::new();
    for pid in process_tree(root) {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else { continue };
        if let Some(v) = rollup
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
        {
            kb += v;
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            names.push(format!("{} {:.1} MB", name.trim(), v as f64 / 1024.0));
        }
    }
    (kb as f64 / 1024.0, names)
}

/// PSS once it has settled: sampled every 500 ms, settled when the last 2 s stayed within 1 MB
/// (at least 5 s, at most 30 s after the call).
pub fn settled_pss_mb(root: u32) -> (f64, Vec<String>) {
    let start = Instant::now();
    let mut history: Vec<f64> = Vec::new();
    loop {
        let (mb, names) = pss_mb(root);
        history.push(mb);
        let last = &history[history.len().saturating_sub(5)..];
        let spread = last.iter().cloned().fold(f64::MIN, f64::max) - last.iter().cloned().fold(f64::MAX, f64::min);
        if (start.elapsed() >= Duration::from_secs(5) && last.len() == 5 && spread < 1.0)
            || start.elapsed() > Duration::from_secs(30)
        {
            return (mb, names);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The line a bare window prints on stderr once its page has been painted (see [`bare_window`]).
pub const BARE_PAINTED: &str = "bare: painted";

/// A bare Tauri 2 window showing a tiny HTML page: the same Tauri and WebKitGTK as Frontdesk,
/// drawn the same way, nothing of Frontdesk. A bench re-executes itself with `--bare-window` to
/// run it. Once the page's first frame has been painted (the frame after a requestAnimationFrame,
/// as `afterPaint` in ui/src/lib/app/timings.ts) it fetches `bare://localhost/painted`, and the
/// shell prints [`BARE_PAINTED`] on stderr, so a bench can time spawn → painted from outside.
pub fn bare_window() {
    frontdesk_desktop::software_rendering();
    const PAGE: &[u8] = b"<!doctype html><title>Bare</title><p>Bare window</p><script>
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => fetch('bare://localhost/painted');
          ch.port2.postMessage(0);
        });
        </script>";
    tauri::Builder::default()
        .register_uri_scheme_protocol("bare", |_, request| {
            if request.uri().path() == "/painted" {
                eprintln!("{BARE_PAINTED}");
                return tauri::http::Response::builder().body(Vec::new()).unwrap();
            }
            tauri::http::Response::builder().header("Content-Type", "text/html").body(PAGE.to_vec()).unwrap()
        })
        .setup(|app| {
            let url = "bare://localhost/".parse().expect("the bare page's URL");
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::CustomProtocol(url))
                .title("Bare")
                .inner_size(1280.0, 800.0)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the bare window");
}
