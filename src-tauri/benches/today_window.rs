//! Benchmark: switching the day on Today in the real window of a large clinic.
//!   cargo bench -p frontdesk-desktop --bench today_window
//!
//! The release app on a generated clinic of 150 doctors at 6 branches (the large benchmark clinic
//! over three weeks), signed in as the receptionist, on Today with all branches. The day is
//! switched with the keyboard (`]` next day, `[` previous day) between two weekdays that each hold
//! ≥ 2,000 appointments, and the page measures the key's event → the new day's rows painted
//! (afterPaint in ui/src/lib/app/timings.ts; the series "day-switch" kept by Today.svelte). Median and
//! p95 over 20 switches. Next to it, the day's command alone as the page calls it (no rendering).
//!
//! Target: ≤ 50 ms. Needs a display and a session bus; starts Xvfb and a dbus-daemon when there
//! are none.

mod support;

use std::time::{Duration, Instant};

use frontdesk::demo::Config;
use support::{webdriver, LONG};

const SWITCHES: usize = 20;

fn main() {
    let _xvfb = support::ensure_display();
    let _bus = support::ensure_session_bus();

    let config = Config { days_before: 10, days_after: 10, staff_accounts: true, ..Config::large() };
    let t = Instant::now();
    let (dir, summary) = support::seeded_dir(&config);
    println!("figure: today_window_generation {:.1} s", t.elapsed().as_secs_f64());
    println!("figure: today_window_appointments {} count", summary.appointments);

    // Two neighbouring weekdays from today on, both with ≥ 2,000 appointments.
    let desk = frontdesk::Desk::open(dir.path()).unwrap();
    let per_day: Vec<(String, i64)> = {
        let conn = desk.db();
        let clinic = frontdesk::clinic::load(&conn).unwrap();
        let today = chrono::Utc::now().with_timezone(&clinic.timezone).date_naive();
        (0..10)
            .map(|d| {
                let date = today + chrono::Duration::days(d);
                let (start, end) = frontdesk::schedule::day_bounds(clinic.timezone, date);
                let n: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM appointment WHERE starts_at >= ?1 AND starts_at < ?2",
                        [start, end],
                        |r| r.get(0),
                    )
                    .unwrap();
                (date.to_string(), n)
            })
            .collect()
    };
    drop(desk);
    let first = (0..per_day.len() - 1)
        .find(|&i| per_day[i].1 >= 2000 && per_day[i + 1].1 >= 2000)
        .unwrap_or_else(|| panic!("no two neighbouring days with ≥ 2,000 appointments: {per_day:?}"));
    let (a, b) = (&per_day[first], &per_day[first + 1]);
    println!("days switched between: {} ({} appointments) and {} ({} appointments)", a.0, a.1, b.0, b.1);
    println!("figure: today_window_appointments_per_day {} count", a.1.min(b.1));

    let driver = webdriver::Driver::start();
    let s = support::start_app(&driver, dir.path());
    support::sign_in(&s, "reception", "frontdesk-demo");
    support::open_today(&s);
    // To the first of the two days, one key per day.
    for _ in 0..first {
        let n = support::samples(&s, "day-switch").len();
        s.press("]");
        assert!(support::wait_for_samples(&s, "day-switch", n, LONG), "the next day never painted");
    }
    let rows = s.wait_until(
        "the first day's rows",
        "return document.querySelectorAll('[data-testid=appt]').length;",
        vec![],
        LONG,
    );
    println!("rows on screen on {}: {rows}", a.0);
    std::thread::sleep(Duration::from_millis(500));

    let before = support::samples(&s, "day-switch").len();
    for i in 0..SWITCHES {
        let n = support::samples(&s, "day-switch").len();
        s.press(if i % 2 == 0 { "]" } else { "[" });
        assert!(support::wait_for_samples(&s, "day-switch", n, LONG), "switch {i} never painted");
        std::thread::sleep(Duration::from_millis(300));
    }
    let all = support::samples(&s, "day-switch");
    // Where the time goes: the key → the day's answer in the page, → the new rows in the DOM.
    for series in ["day-fetched", "day-dom", "day-frame"] {
        let v: Vec<f64> = support::samples(&s, series).into_iter().rev().take(SWITCHES).collect();
        if !v.is_empty() {
            let mut v = v;
            v.sort_by(f64::total_cmp);
            println!("figure: today_window_{}_median {:.2} ms", series.replace('-', "_"), v[v.len() / 2]);
        }
    }

    // For reading the figure: the same day's command alone, as the page calls it (the core, the
    // JSON and the IPC both ways, the answer parsed), without rendering.
    let mut ipc = Vec::new();
    for i in 0..10 {
        let date = if i % 2 == 0 { &b.0 } else { &a.0 };
        s.execute(
            "window.__benchDay = null;
             const t0 = performance.now();
             window.__TAURI_INTERNALS__.invoke('day_schedule', { req: { date: arguments[0], branch_id: null } })
               .then((d) => { window.__benchDay = [performance.now() - t0, d.appointments.length]; });",
            vec![serde_json::json!(date)],
        );
        let v = s.wait_until("the day's answer", "return window.__benchDay;", vec![], LONG);
        ipc.push(v[0].as_f64().unwrap());
    }
    drop(s);
    drop(driver);
    support::report("today_window_day_switch", all[before..].to_vec());
    support::report("today_window_day_command_in_page", ipc);
}
