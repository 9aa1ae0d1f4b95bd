//! Benchmark: bringing in 100,000 patients from another system's CSV export on a fresh clinic,
//! as the window does it — `import::upload` (the file's bytes), `import::preview` (every row
//! validated and screened for duplicates), `import::commit` (one transaction) — then the search
//! box over the imported registry.
//!
//! The file is what exports look like: a byte-order mark, Windows line endings, quoted fields,
//! Canadian and Indian names (some accented, some in Devanagari), phones in several formats, a
//! chart-number column, a few percent of rows to refuse (no name, a date that does not exist, a
//! phone that is not one) and of look-alikes (the same person entered twice with a slip).
//! Prints `figure: <name> <value> <unit>` lines.
//!
//!   cargo bench -p frontdesk --bench import
//!
//! Target: upload + preview + commit ≤ 20 s in all; search p95 after the import within the search
//! box's budget at 100,000 patients (≤ 2 ms, `benches/search.rs`).

use std::fmt::Write as _;
use std::time::Instant;

use frontdesk::import::{self, DateFormat, PreviewRequest};
use frontdesk::search::SearchRequest;
use frontdesk::settings::SetupRequest;
use frontdesk::{Ctx, Desk};

const NOW: i64 = 1_795_446_000; // Monday 2026-11-23 10:00 Toronto
const SAMPLES: usize = 300;

const GIVEN: &[&str] = &[
    "Priya",
    "Aarav",
    "Ananya",
    "Rohan",
    "Farhan",
    "Harpreet",
    "Gurpreet",
    "Simran",
    "Arjun",
    "Kavya",
    "Liam",
    "Noah",
    "Olivia",
    "Emma",
    "Mia",
    "Lucas",
    "Chloé",
    "Émilie",
    "Zoë",
    "François",
    "Hélène",
    "José",
    "Søren",
    "Amélie",
    "प्रिया",
    "राहुल",
    "अनन्या",
    "Wei",
    "Mei",
    "Jun",
    "Fatima",
    "Omar",
    "Aisha",
    "Yusuf",
    "Sofia",
    "Mateo",
];
const FAMILY: &[&str] = &[
    "Sharma",
    "Patel",
    "Singh",
    "Gill",
    "Kumar",
    "Rao",
    "Iyer",
    "Nair",
    "Reddy",
    "Chen",
    "Li",
    "Wang",
    "Nguyen",
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Lévesque",
    "Brown",
    "Smith",
    "Martin",
    "Wilson",
    "Müller",
    "O'Brien",
    "शर्मा",
    "वर्मा",
    "Khan",
    "Ahmed",
    "García",
    "López",
];

/// `IMPORT_BENCH_ROWS` makes a smaller file (for a quick look); the figure's name stays `100k`.
fn rows() -> usize {
    std::env::var("IMPORT_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The export, and how many of its rows are meant to be refused and to be reviewed.
fn export() -> (Vec<u8>, usize, usize) {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut text = String::from("\u{feff}Chart No,First Name,Last Name,Date of Birth,Gender,Mobile,Email,Notes\r\n");
    let mut bad = 0;
    let mut alike = 0;
    let mut last = (String::new(), String::new(), String::new(), String::new());
    for i in 0..rows() {
        let mut given = GIVEN[rng.usize(..GIVEN.len())].to_owned();
        let mut family = FAMILY[rng.usize(..FAMILY.len())].to_owned();
        let mut dob = format!("{:04}-{:02}-{:02}", rng.i32(1935..2024), rng.u32(1..13), rng.u32(1..29));
        // Unique numbers, written the ways exports write them.
        let n = 2_000_000 + i as u32 * 7;
        let area = ["416", "647", "905", "604", "778", "514"][i % 6];
        let mut phone = match i % 4 {
            0 => format!("({area}) {}-{:04}", 200 + n / 10_000 % 800, n % 10_000),
            1 => format!("{area}-{}-{:04}", 200 + n / 10_000 % 800, n % 10_000),
            2 => format!("+1 {area} {} {:04}", 200 + n / 10_000 % 800, n % 10_000),
            _ => format!("{area}{}{:04}", 200 + n / 10_000 % 800, n % 10_000),
        };
        match rng.u32(..1000) {
            // About 3% refused: no name, a date that does not exist, a phone that is not one.
            0..=9 => {
                given.clear();
                bad += 1;
            }
            10..=19 => {
                dob = format!("{}-02-30", rng.i32(1950..2020));
                bad += 1;
            }
            20..=29 => {
                phone = format!("{}", rng.u32(10..9999));
                bad += 1;
            }
            // About 2% the previous row's person again, with a slip: a look-alike to review.
            30..=49 if !last.0.is_empty() => {
                (given, family, dob, phone) = last.clone();
                given.push('a');
                alike += 1;
            }
            _ => {}
        }
        let email = if rng.u8(..10) < 5 { format!("p{i}@example.com") } else { String::new() };
        let sex = ["F", "M", "female", "male", ""][rng.usize(..5)];
        let notes = if rng.u8(..10) == 0 { "\"Allergic to penicillin, latex\"" } else { "" };
        let _ = write!(text, "C{i:07},{given},{family},{dob},{sex},{phone},{email},{notes}\r\n");
        last = (given, family, dob, phone);
    }
    (text.into_bytes(), bad, alike)
}

fn main() {
    let t = Instant::now();
    let (file, bad, alike) = export();
    println!("figure: import_file_rows {} count", rows());
    println!("figure: import_file_size {:.1} MB", file.len() as f64 / 1e6);
    println!("(generated in {:.1} s; ~{bad} rows to refuse, ~{alike} look-alikes)", t.elapsed().as_secs_f64());

    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    frontdesk::settings::setup(
        &Ctx { desk: &desk, token: None, now: NOW },
        SetupRequest {
            clinic_name: "Bench Clinic".into(),
            timezone: "America/Toronto".into(),
            phone_region: "CA".into(),
            owner_name: "Bench Owner".into(),
            owner_username: "owner".into(),
            owner_password: "benchmark-password".into(),
        },
    )
    .unwrap();
    let (token, _) = frontdesk::session::sign_in(
        &Ctx { desk: &desk, token: None, now: NOW },
        frontdesk::session::SignInRequest { username: "owner".into(), password: "benchmark-password".into() },
    )
    .unwrap();
    let ctx = Ctx { desk: &desk, token: Some(&token), now: NOW };
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = progress.clone();
    desk.events.subscribe(move |e| {
        if matches!(e, frontdesk::events::Event::ImportProgress { .. }) {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    });

    let total = Instant::now();
    let t = Instant::now();
    let up = import::upload(&ctx, "legacy.csv", &file).unwrap();
    let upload_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let req = PreviewRequest { upload_id: up.upload_id, mapping: up.suggested.clone(), date_format: DateFormat::Iso };
    let preview = import::preview(&ctx, req.clone()).unwrap();
    let preview_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let done = import::commit(&ctx, req).unwrap();
    let commit_s = t.elapsed().as_secs_f64();
    let total_s = total.elapsed().as_secs_f64();
    println!(
        "(preview: {} clean, {} review, {} refused; imported {} + {} to review; {} progress events)",
        preview.clean,
        preview.review,
        preview.refused,
        done.imported,
        done.review,
        progress.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert_eq!(done.imported + done.review + done.refused, rows() as u32, "every row is accounted for");
    println!("figure: import_upload {upload_s:.2} s");
    println!("figure: import_preview {preview_s:.2} s");
    println!("figure: import_commit {commit_s:.2} s");
    println!("figure: import_100k_total {total_s:.2} s");

    // Importing the same file again: everything is already there.
    let t = Instant::now();
    let again = import::upload(&ctx, "legacy.csv", &file).unwrap();
    let req =
        PreviewRequest { upload_id: again.upload_id, mapping: again.suggested.clone(), date_format: DateFormat::Iso };
    let second = import::commit(&ctx, req).unwrap();
    assert_eq!((second.imported, second.review), (0, 0), "a second import creates nothing");
    println!("figure: import_again_total {:.2} s", t.elapsed().as_secs_f64());

    // The search box over what was imported, as in benches/search.rs: a name prefix, two words, a
    // typo, a phone as typed, the chart number.
    let mut rng = fastrand::Rng::with_seed(3);
    let patients: i64 = desk.db().query_row("SELECT COUNT(*) FROM patient", [], |r| r.get(0)).unwrap();
    let mut all = Vec::new();
    for _ in 0..SAMPLES {
        let id = rng.i64(1..=patients);
        let (given, family, mrn, e164): (String, String, String, String) = desk
            .db()
            .query_row(
                "SELECT p.given_name, p.family_name, p.mrn, ph.e164 FROM patient p JOIN patient_phone ph ON ph.patient_id = p.id WHERE p.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        let prefix: String = family.chars().take(3).collect();
        let typo = format!("{family}{}", family.chars().last().unwrap());
        for query in [prefix.clone(), format!("{given} {prefix}"), typo, e164[2..].to_owned(), mrn] {
            let t = Instant::now();
            let r = frontdesk::search::search(&ctx, SearchRequest { query, limit: None }).unwrap();
            all.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(r);
        }
    }
    all.sort_by(f64::total_cmp);
    println!("figure: search_after_import_median {:.3} ms", percentile(&all, 0.5));
    println!("figure: search_after_import_p95 {:.3} ms", percentile(&all, 0.95));
}
