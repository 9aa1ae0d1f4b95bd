//! Benchmark: the audit desk's first page through each filter at 1,000,000 audit rows.
//! Prints one line per figure: `figure: <name> <value> <unit>`.
//!
//!   cargo bench -p frontdesk --bench audit_desk
//!
//! The clinic: first-run setup, 20 staff of every role, then a million rows appended in one
//! transaction with correctly chained hashes (two years of a busy desk: patient reads, bookings,
//! status changes, callbacks, sign-ins, a few support sessions). Each figure is the whole core
//! call `audit_desk::audit_page` (session check, clinic load, the query, the rows labelled) on a
//! pooled reader, 200 times, with the filter's value varied.
//!
//! Target: the first page ≤ 50 ms (p95) at 1,000,000 rows, through every filter.

use std::time::Instant;

use frontdesk::audit::{Row, GENESIS};
use frontdesk::audit_desk::{audit_page, AuditQuery};
use frontdesk::settings::SetupRequest;
use frontdesk::{Ctx, Desk};

const NOW: i64 = 1_795_446_000; // Monday 2026-11-23 10:00 Toronto
const ROWS: i64 = 1_000_000;
const STAFF: i64 = 20;
const DAYS: i64 = 730;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// (action, entity, share in ‰)
const MIX: &[(&str, &str, u32)] = &[
    ("patient.viewed", "patient", 350),
    ("patient.listed", "patient", 200),
    ("appointment.viewed", "appointment", 100),
    ("appointment.status_changed", "appointment", 120),
    ("appointment.booked", "appointment", 60),
    ("appointment.rescheduled", "appointment", 20),
    ("appointment.cancelled", "appointment", 20),
    ("callback.created", "callback", 30),
    ("callback.attempted", "callback", 30),
    ("session.signed_in", "staff", 40),
    ("session.signed_out", "staff", 20),
    ("patient.updated", "patient", 5),
    ("escalation.created", "escalation", 4),
    ("staff.updated", "staff", 1),
];

fn role_of(staff: i64) -> &'static str {
    match staff {
        1 => "owner",
        2 | 3 => "admin",
        4..=12 => "receptionist",
        13..=16 => "doctor",
        17 => "operations",
        18 => "reviewer",
        _ => "support",
    }
}

fn date(days_ago: i64) -> String {
    chrono::DateTime::from_timestamp(NOW - days_ago * 86_400, 0).unwrap().date_naive().to_string()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    frontdesk::settings::setup(
        &Ctx { desk: &desk, token: None, now: NOW - DAYS * 86_400 - 3600 },
        SetupRequest {
            clinic_name: "Bench Clinic".into(),
            timezone: "America/Toronto".into(),
            phone_region: "CA".into(),
            owner_name: "Olive Owner".into(),
            owner_username: "owner".into(),
            owner_password: "correct horse battery".into(),
        },
    )
    .unwrap();

    let t = Instant::now();
    {
        let mut conn = desk.db();
        let tx = conn.transaction().unwrap();
        for s in 2..=STAFF {
            tx.execute(
                "INSERT INTO staff (id, username, display_name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, 'x', 0)",
                rusqlite::params![s, format!("staff{s}"), format!("Staff Member {s}"), role_of(s)],
            )
            .unwrap();
        }
        let (mut seq, mut prev): (i64, String) = tx
            .query_row("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap_or((0, GENESIS.to_owned()));
        let first_at = NOW - DAYS * 86_400;
        let mut rng = fastrand::Rng::with_seed(7);
        let mut insert = tx
            .prepare(
                "INSERT INTO audit_event (seq, at, actor_staff_id, actor_role, action, entity, entity_id, summary, prev_hash, hash, support_session_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .unwrap();
        let start_seq = seq;
        for i in 0..ROWS {
            seq += 1;
            // Evenly through two years, reads noted up to 20 s before they are written.
            let mut at = first_at + i * (DAYS * 86_400) / ROWS;
            let pick = rng.u32(0..1000);
            let mut acc = 0;
            let (action, entity) = MIX
                .iter()
                .find(|(_, _, share)| {
                    acc += share;
                    pick < acc
                })
                .map(|(a, e, _)| (*a, *e))
                .unwrap_or(("settings.updated", "clinic"));
            if action.ends_with(".viewed") || action.ends_with(".listed") {
                at -= rng.i64(0..20);
            }
            let staff = rng.i64(1..=STAFF);
            let support = (role_of(staff) == "support").then(|| 1 + (i * 40 / ROWS));
            let entity_id = match entity {
                "patient" => rng.i64(1..50_000).to_string(),
                "appointment" => rng.i64(1..200_000).to_string(),
                "staff" => staff.to_string(),
                "clinic" => "1".to_owned(),
                _ => rng.i64(1..20_000).to_string(),
            };
            let summary = if action.ends_with(".viewed") || action.ends_with(".listed") {
                "read".to_owned()
            } else {
                format!("{action} by staff {staff}")
            };
            let mut row = Row {
                seq,
                at,
                actor_staff_id: Some(staff),
                actor_role: role_of(staff).to_owned(),
                action: action.to_owned(),
                entity: entity.to_owned(),
                entity_id,
                summary,
                prev_hash: prev,
                hash: String::new(),
                support_session_id: support,
            };
            row.hash = row.compute_hash();
            insert
                .execute(rusqlite::params![
                    row.seq,
                    row.at,
                    row.actor_staff_id,
                    row.actor_role,
                    row.action,
                    row.entity,
                    row.entity_id,
                    row.summary,
                    row.prev_hash,
                    row.hash,
                    row.support_session_id
                ])
                .unwrap();
            prev = row.hash;
        }
        drop(insert);
        tx.commit().unwrap();
        assert_eq!(seq - start_seq, ROWS);
    }
    println!("figure: audit_generation {:.1} s", t.elapsed().as_secs_f64());
    let total: i64 = desk.db().query_row("SELECT COUNT(*) FROM audit_event", [], |r| r.get(0)).unwrap();
    println!("figure: audit_rows {total} rows");

    let (token, _) = frontdesk::session::sign_in(
        &Ctx { desk: &desk, token: None, now: NOW },
        frontdesk::session::SignInRequest { username: "owner".into(), password: "correct horse battery".into() },
    )
    .unwrap();
    let ctx = Ctx { desk: &desk, token: Some(&token), now: NOW };
    let mut rng = fastrand::Rng::with_seed(11);

    let mut measure = |name: &str, make: &mut dyn FnMut(&mut fastrand::Rng) -> AuditQuery| {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..200 {
            let q = make(&mut rng);
            let t = Instant::now();
            let page = audit_page(&ctx, q).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            rows += page.rows.len();
        }
        times.sort_by(f64::total_cmp);
        println!("figure: {name}_p95 {:.2} ms", percentile(&times, 0.95));
        println!("figure: {name}_median {:.2} ms", percentile(&times, 0.5));
        assert!(rows > 0, "{name}: the filter found nothing");
    };

    measure("audit_first_page", &mut |_| AuditQuery::default());
    measure("audit_deep_page", &mut |r| AuditQuery { before_seq: Some(r.i64(100..ROWS)), ..Default::default() });
    measure("audit_by_person", &mut |r| AuditQuery { staff_id: Some(r.i64(1..=STAFF)), ..Default::default() });
    measure("audit_by_role", &mut |r| AuditQuery {
        role: Some(["operations", "admin", "support", "receptionist"][r.usize(0..4)].into()),
        ..Default::default()
    });
    measure("audit_by_action", &mut |r| AuditQuery {
        action: Some(MIX[r.usize(0..MIX.len())].0.into()),
        ..Default::default()
    });
    measure("audit_by_action_prefix", &mut |r| AuditQuery {
        action: Some(["appointment.", "patient.", "callback.", "session."][r.usize(0..4)].into()),
        ..Default::default()
    });
    measure("audit_by_entity_kind", &mut |r| AuditQuery {
        entity: Some(["patient", "appointment", "callback", "staff", "escalation"][r.usize(0..5)].into()),
        ..Default::default()
    });
    measure("audit_entity_history", &mut |r| AuditQuery {
        entity: Some("patient".into()),
        entity_id: Some(r.i64(1..50_000).to_string()),
        ..Default::default()
    });
    measure("audit_by_support_session", &mut |r| AuditQuery {
        support_session_id: Some(r.i64(1..=40)),
        ..Default::default()
    });
    measure("audit_by_date_week", &mut |r| {
        let end = r.i64(1..DAYS - 7);
        AuditQuery { from: Some(date(end + 6)), to: Some(date(end)), ..Default::default() }
    });
    measure("audit_by_date_year", &mut |r| {
        let end = r.i64(1..DAYS - 365);
        AuditQuery { from: Some(date(end + 364)), to: Some(date(end)), ..Default::default() }
    });
    measure("audit_by_person_and_month", &mut |r| {
        let end = r.i64(1..DAYS - 30);
        AuditQuery {
            staff_id: Some(r.i64(1..=STAFF)),
            from: Some(date(end + 29)),
            to: Some(date(end)),
            ..Default::default()
        }
    });
    measure("audit_by_action_and_month", &mut |r| {
        let end = r.i64(1..DAYS - 30);
        AuditQuery {
            action: Some(MIX[r.usize(0..MIX.len())].0.into()),
            from: Some(date(end + 29)),
            to: Some(date(end)),
            ..Default::default()
        }
    });
    measure("audit_by_person_and_action", &mut |r| AuditQuery {
        staff_id: Some(r.i64(1..=STAFF)),
        action: Some(MIX[r.usize(0..MIX.len())].0.into()),
        ..Default::default()
    });

    let t = Instant::now();
    let filters = frontdesk::audit_desk::audit_filters(&ctx).unwrap();
    println!("figure: audit_filter_choices {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
    assert!(filters.actions.len() >= MIX.len());

    let t = Instant::now();
    let v = frontdesk::compliance::verify_chain(&ctx).unwrap();
    println!("figure: audit_verify_chain {:.2} s", t.elapsed().as_secs_f64());
    assert!(v.intact, "{}", v.summary);

    let t = Instant::now();
    let export = frontdesk::audit_desk::export_audit_csv(
        &ctx,
        frontdesk::audit_desk::AuditExportRequest { from: date(30), to: date(1) },
    )
    .unwrap();
    println!("figure: audit_export_month {:.2} s", t.elapsed().as_secs_f64());
    println!("figure: audit_export_month_rows {} rows", export.rows);
}
