//! Benchmark: a refused sign-in costs the same whatever the username names (unknown, wrong
//! password, locked, deactivated), so timing cannot tell which accounts exist; and how long a
//! sign-in holds the writer (hashing happens outside it).
//! Prints one line per figure: `figure: <name> <value> <unit>`.
//!
//!   cargo bench -p frontdesk --bench sign_in
//!
//! Target: every refusal's median within 10% of the unknown-username median.

use std::time::Instant;

use frontdesk::session::SignInRequest;
use frontdesk::{Ctx, Desk};

const NOW: i64 = 1_795_446_000;
const RUNS: usize = 25;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    frontdesk::demo::seed_if_empty(&desk, NOW).unwrap();
    desk.db().execute("UPDATE staff SET active = 0 WHERE username = 'reception2'", []).unwrap();
    desk.db().execute("UPDATE staff SET locked_until = ?1 WHERE username = 'admin'", [NOW + 10 * 24 * 3600]).unwrap();
    let time = |username: &str, password: &str, now: i64| {
        let ctx = Ctx { desk: &desk, token: None, now };
        let t = Instant::now();
        let r =
            frontdesk::session::sign_in(&ctx, SignInRequest { username: username.into(), password: password.into() });
        let ms = t.elapsed().as_secs_f64() * 1e3;
        (ms, r.is_ok())
    };
    let cases = [
        ("unknown_username", "nobody-at-all", "some-password"),
        ("wrong_password", "reception", "wrong-password"),
        ("locked_account", "admin", "frontdesk-admin"),
        ("deactivated_account", "reception2", "frontdesk-demo"),
    ];
    // Interleaved, so a warming cache or a busy moment falls on every case alike.
    let mut runs: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for i in 0..RUNS {
        for (k, (name, user, pass)) in cases.iter().enumerate() {
            // Wrong passwords lock after five; reset the count so every run is a plain failure.
            desk.db().execute("UPDATE staff SET failed_attempts = 0 WHERE username = 'reception'", []).unwrap();
            let (ms, ok) = time(user, pass, NOW + (i * cases.len() + k) as i64);
            assert!(!ok, "{name} must be refused");
            runs[k].push(ms);
        }
    }
    let mut figures = Vec::new();
    for ((name, _, _), r) in cases.iter().zip(runs) {
        let m = median(r);
        println!("figure: sign_in_refused_{name} {m:.2} ms");
        figures.push(m);
    }
    let spread = figures.iter().map(|m| (m / figures[0] - 1.0).abs()).fold(0.0, f64::max);
    println!("figure: sign_in_refusal_spread {:.1} %", spread * 100.0);
    let ok: Vec<f64> = (0..RUNS).map(|i| time("reception", "frontdesk-demo", NOW + 100 + i as i64).0).collect();
    println!("figure: sign_in_success {:.2} ms", median(ok));

    // How long a sign-in holds the writer: a one-row write waits for it.
    let waits: Vec<f64> = (0..RUNS)
        .map(|i| {
            std::thread::scope(|s| {
                s.spawn(|| time("reception", "wrong-password", NOW + 200 + i as i64));
                std::thread::sleep(std::time::Duration::from_millis(2));
                let t = Instant::now();
                desk.db().execute("UPDATE staff SET failed_attempts = 0 WHERE username = 'reception'", []).unwrap();
                t.elapsed().as_secs_f64() * 1e3
            })
        })
        .collect();
    println!("figure: writer_wait_during_sign_in {:.3} ms", median(waits));
}
