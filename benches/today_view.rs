//! Benchmark: the Today view's query on a large clinic, and demo generation.
//! Prints one line per figure: `figure: <name> <value> <unit>`.
//!
//!   cargo bench -p frontdesk --bench today_view
//!
//! Also the whole command as the window calls it: `schedule::day` with a signed-in receptionist
//! (session check, clinic load, the query on a pooled reader) and the answer serialised to JSON.
//!
//! Targets: today view ≤ 10 ms at 1,000,000 appointments (median and p95); the whole command's
//! p95 ≤ 10 ms.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use frontdesk::demo::{seed, Config};
use frontdesk::schedule::DayRequest;
use frontdesk::{Ctx, Desk};

const NOW: i64 = 1_795_446_000; // Monday 2026-11-23 10:00 Toronto

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    // Demo generation, as `--demo` does it on first run.
    let dir = tempfile::tempdir().unwrap();
    let mut conn = frontdesk::store::open(&dir.path().join("demo.sqlite3")).unwrap();
    let t = Instant::now();
    let demo = seed(&mut conn, &Config::demo(), NOW).unwrap();
    println!("figure: demo_generation {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    println!("figure: demo_appointments {} count", demo.appointments);
    drop(conn);

    // The large clinic, in a desk (the whole command needs its sessions and reader pool).
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let path = desk.path().to_owned();
    let t = Instant::now();
    let large = seed(&mut desk.db(), &Config::large(), NOW).unwrap();
    println!("figure: large_generation {:.1} s", t.elapsed().as_secs_f64());
    println!("figure: large_appointments {} count", large.appointments);
    println!("figure: large_patients {} count", large.patients);
    // Measured at rest, as a desk is during the day: the generation's ~1 GB of writes checkpointed
    // and flushed first, so its write-back does not land in the timings.
    desk.db().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let _ = std::process::Command::new("sync").status();
    std::thread::sleep(std::time::Duration::from_secs(2));

    // Query on a freshly opened connection (as the app would after start), over many days.
    let conn = frontdesk::store::open(&path).unwrap();
    let clinic = frontdesk::clinic::load(&conn).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut rng = fastrand::Rng::with_seed(1);
    let mut all = Vec::new();
    let mut branch = Vec::new();
    let mut rows = 0usize;
    for i in 0..400 {
        let date = today + Duration::days(rng.i64(-300..150));
        let t = Instant::now();
        let view = frontdesk::schedule::day_view(&conn, &clinic, date, None, true).unwrap();
        all.push(t.elapsed().as_secs_f64() * 1e3);
        rows += view.appointments.len();
        let t = Instant::now();
        let b = Some((i % 6) as i64 + 1);
        frontdesk::schedule::day_view(&conn, &clinic, date, b, true).unwrap();
        branch.push(t.elapsed().as_secs_f64() * 1e3);
    }
    // The bare SQL for the same rows, for comparison: what the mapping and formatting add.
    let mut raw = Vec::new();
    let mut stmt = conn
        .prepare(
            "SELECT a.id, a.patient_id, p.given_name, p.family_name, p.date_of_birth, a.doctor_id, a.branch_id,
                    s.code, s.name, a.starts_at, a.ends_at, a.status, a.source, a.reason, a.notes,
                    a.arrived_at, a.in_room_at, a.completed_at
             FROM appointment a JOIN patient p ON p.id = a.patient_id JOIN service s ON s.id = a.service_id
             WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY a.starts_at, a.doctor_id",
        )
        .unwrap();
    for _ in 0..400 {
        let date = today + Duration::days(rng.i64(-300..150));
        let (start, end) = frontdesk::schedule::day_bounds(clinic.timezone, date);
        let t = Instant::now();
        let mut rows = stmt.query([start, end]).unwrap();
        let mut n = 0;
        while let Some(r) = rows.next().unwrap() {
            let _: i64 = r.get(0).unwrap();
            n += 1;
        }
        std::hint::black_box(n);
        raw.push(t.elapsed().as_secs_f64() * 1e3);
    }
    raw.sort_by(f64::total_cmp);
    println!("figure: today_view_raw_sql_median {:.2} ms", percentile(&raw, 0.5));
    all.sort_by(f64::total_cmp);
    branch.sort_by(f64::total_cmp);
    println!("figure: today_view_rows_per_day {} count", rows / 400);
    println!("figure: today_view_all_branches_median {:.2} ms", percentile(&all, 0.5));
    println!("figure: today_view_all_branches_p95 {:.2} ms", percentile(&all, 0.95));
    println!("figure: today_view_one_branch_median {:.2} ms", percentile(&branch, 0.5));
    println!("figure: today_view_one_branch_p95 {:.2} ms", percentile(&branch, 0.95));

    // The whole command, as the window calls it: a receptionist's session, all branches, the
    // answer serialised for the IPC.
    let hash = frontdesk::session::hash_password("benchmark-password").unwrap();
    desk.db()
        .execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES ('bench', 'Bench', 'receptionist', ?1, 0)",
            [hash],
        )
        .unwrap();
    let (token, _) = frontdesk::session::sign_in(
        &Ctx { desk: &desk, token: None, now: NOW },
        frontdesk::session::SignInRequest { username: "bench".into(), password: "benchmark-password".into() },
    )
    .unwrap();
    let ctx = Ctx { desk: &desk, token: Some(&token), now: NOW };
    let mut whole = Vec::new();
    let mut bytes = 0usize;
    for _ in 0..400 {
        let date = today + Duration::days(rng.i64(-300..150));
        let t = Instant::now();
        let view =
            frontdesk::schedule::day(&ctx, DayRequest { date: Some(date.to_string()), branch_id: None }).unwrap();
        let json = serde_json::to_vec(&view).unwrap();
        whole.push(t.elapsed().as_secs_f64() * 1e3);
        bytes += json.len();
    }
    whole.sort_by(f64::total_cmp);
    println!("figure: today_command_json_bytes_per_day {} bytes", bytes / 400);
    println!("figure: today_command_all_branches_median {:.2} ms", percentile(&whole, 0.5));
    println!("figure: today_command_all_branches_p95 {:.2} ms", percentile(&whole, 0.95));
}
