//! Benchmark: the search box through `search::search` (session check included, as the UI calls
//! it) at 100,000 and at 1,000,000 patients, over a mix of what the front desk types: a name
//! prefix, two words, a typo, a phone number in three formats and an MRN. Next to it, the bare
//! FTS5 query for the same name lookups. Prints `figure: <name> <value> <unit>` lines.
//!
//!   cargo bench -p frontdesk --bench search
//!
//! Targets: p95 ≤ 2 ms at 100,000 patients, ≤ 10 ms at 1,000,000.

use std::time::Instant;

use frontdesk::demo::{seed, Config};
use frontdesk::search::SearchRequest;
use frontdesk::{Ctx, Desk};

const NOW: i64 = 1_795_446_000; // Monday 2026-11-23 10:00 Toronto
const SAMPLES: usize = 300;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// The queries of one sampled patient, by kind.
fn queries(desk: &Desk, id: i64) -> Vec<(&'static str, String)> {
    let conn = desk.db();
    let (given, family, mrn, e164): (String, String, String, String) = conn
        .query_row(
            "SELECT p.given_name, p.family_name, p.mrn, ph.e164 FROM patient p JOIN patient_phone ph ON ph.patient_id = p.id
             WHERE p.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let ca = frontdesk::phone::region("CA").unwrap();
    let national = frontdesk::phone::display(&e164, ca);
    // A Canadian number shown as people abroad write it, an Indian one as people in India do.
    let other = frontdesk::phone::display(&e164, frontdesk::phone::region("IN").unwrap());
    let digits: String = national.chars().filter(char::is_ascii_digit).collect();
    let prefix: String = family.chars().take(3).collect();
    let typo = format!("{family}{}", family.chars().last().unwrap());
    vec![
        ("name_prefix", prefix.clone()),
        ("two_words", format!("{given} {prefix}")),
        ("typo", typo),
        ("phone_national", national),
        ("phone_international", other),
        ("phone_digits", digits),
        ("mrn", mrn),
    ]
}

fn measure(label: &str, config: &Config) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let t = Instant::now();
    let summary = seed(&mut desk.db(), config, NOW).unwrap();
    println!("figure: search_{label}_generation {:.1} s", t.elapsed().as_secs_f64());
    println!("figure: search_{label}_patients {} count", summary.patients);
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

    let mut rng = fastrand::Rng::with_seed(3);
    let mut all = Vec::new();
    let mut by_kind: Vec<(&str, Vec<f64>)> = Vec::new();
    let mut raw = Vec::new();
    let mut empty = 0usize;
    for _ in 0..SAMPLES {
        let id = rng.i64(1..=summary.patients as i64);
        for (kind, query) in queries(&desk, id) {
            let t = Instant::now();
            let r = frontdesk::search::search(&ctx, SearchRequest { query: query.clone(), limit: None }).unwrap();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if r.patients.is_empty() {
                empty += 1;
            }
            all.push(ms);
            match by_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, v)) => v.push(ms),
                None => by_kind.push((kind, vec![ms])),
            }
            if kind == "name_prefix" || kind == "two_words" {
                // The same name lookup as bare FTS5 SQL: the first page of prefix matches.
                let fts: String = frontdesk::search::name_words(&query)
                    .iter()
                    .map(|w| format!("\"{w}\"*"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let conn = desk.db();
                let mut stmt =
                    conn.prepare_cached("SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?1 LIMIT 21").unwrap();
                let t = Instant::now();
                let n = stmt.query_map([&fts], |r| r.get::<_, i64>(0)).unwrap().count();
                raw.push(t.elapsed().as_secs_f64() * 1e3);
                std::hint::black_box(n);
            }
        }
    }
    all.sort_by(f64::total_cmp);
    raw.sort_by(f64::total_cmp);
    println!("figure: search_{label}_median {:.3} ms", percentile(&all, 0.5));
    println!("figure: search_{label}_p95 {:.3} ms", percentile(&all, 0.95));
    println!("figure: search_{label}_max {:.3} ms", percentile(&all, 1.0));
    for (kind, mut v) in by_kind {
        v.sort_by(f64::total_cmp);
        println!("figure: search_{label}_{kind}_median {:.3} ms", percentile(&v, 0.5));
        println!("figure: search_{label}_{kind}_p95 {:.3} ms", percentile(&v, 0.95));
    }
    println!("figure: search_{label}_raw_fts_name_median {:.3} ms", percentile(&raw, 0.5));
    println!("figure: search_{label}_raw_fts_name_p95 {:.3} ms", percentile(&raw, 0.95));
    println!("figure: search_{label}_queries {} count", all.len());
    println!("figure: search_{label}_queries_without_a_patient {empty} count");
}

fn main() {
    measure("100k", &Config::large());
    measure("1m", &Config::million_patients());
}
