//! Benchmark: what Frontdesk costs in memory over a bare Tauri window.
//!   cargo bench -p frontdesk-desktop --bench memory
//!
//! In one run, one after the other, under the same WebDriver: a bare Tauri 2 window showing a tiny
//! HTML page (this bench re-executed with `--bare-window`: the same Tauri, the same WebKitGTK, no
//! Frontdesk), then the release Frontdesk on the demo clinic, signed in as the receptionist, on
//! Today. Each is measured once its memory has settled (sampled every 500 ms; within 1 MB for 2 s,
//! after at least 5 s): PSS, the sum of `Pss` in /proc/<pid>/smaps_rollup over the whole process
//! tree (the app and the WebKit web and network processes it starts). PSS counts a shared page
//! once across the processes that map it, so the two trees are comparable. Prints both and the
//! difference.
//!
//! Target: difference ≤ 60 MB. Needs a display and a session bus; starts Xvfb and a dbus-daemon
//! when there are none.

mod support;

use std::time::{Duration, Instant};

use frontdesk::demo::Config;
use support::webdriver;

fn main() {
    if std::env::args().any(|a| a == "--bare-window") {
        support::bare_window();
        return;
    }
    let _xvfb = support::ensure_display();
    let _bus = support::ensure_session_bus();
    let driver = webdriver::Driver::start();

    // The bare window.
    let token = format!("bare-{}", std::process::id());
    let me = std::env::current_exe().unwrap();
    let s = webdriver::Session::start(&driver, &me, &["--bare-window", &token]);
    s.wait_until(
        "the bare page",
        "return document.body && document.body.textContent.includes('Bare');",
        vec![],
        support::LONG,
    );
    let pid = one_pid(&token);
    let (bare, names) = support::settled_pss_mb(pid);
    println!("bare window processes: {}", names.join(", "));
    drop(s);
    wait_gone(&token);

    // Frontdesk, signed in, on Today.
    let (dir, _) = support::seeded_dir(&Config::demo());
    let s = support::start_app(&driver, dir.path());
    support::sign_in(&s, "reception", "frontdesk-demo");
    support::open_today(&s);
    let arg = dir.path().to_str().unwrap().to_owned();
    let pid = one_pid(&arg);
    let (app, names) = support::settled_pss_mb(pid);
    println!("frontdesk processes: {}", names.join(", "));
    drop(s);
    wait_gone(&arg);
    drop(driver);

    println!("figure: memory_bare_window_pss {bare:.1} MB");
    println!("figure: memory_frontdesk_today_pss {app:.1} MB");
    println!("figure: memory_frontdesk_over_bare {:.1} MB", app - bare);
}

/// The one process whose command line holds `arg`.
fn one_pid(arg: &str) -> u32 {
    let pids = support::pids_with_arg(arg);
    assert_eq!(pids.len(), 1, "expected one process started with {arg}, found {pids:?}");
    pids[0]
}

fn wait_gone(arg: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !support::pids_with_arg(arg).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}
