//! The demo clinic is deterministic and realistic; `--demo` never touches an existing clinic.

mod common;

use common::*;
use frontdesk::demo::{seed, seed_if_empty, Config};

fn fingerprint(desk: &frontdesk::Desk) -> (i64, i64, i64, String) {
    let conn = desk.db();
    let patients: i64 = conn.query_row("SELECT COUNT(*) FROM patient", [], |r| r.get(0)).unwrap();
    let appts: i64 = conn.query_row("SELECT COUNT(*) FROM appointment", [], |r| r.get(0)).unwrap();
    let checksum: i64 = conn
        .query_row("SELECT SUM(starts_at % 1000003 + patient_id * 7 + doctor_id) FROM appointment", [], |r| r.get(0))
        .unwrap();
    let statuses: String = conn
        .query_row("SELECT group_concat(status || ':' || n) FROM (SELECT status, COUNT(*) n FROM appointment GROUP BY status ORDER BY status)", [], |r| r.get(0))
        .unwrap();
    (patients, appts, checksum, statuses)
}

#[test]
fn the_demo_clinic_is_deterministic_and_clinic_sized() {
    let (_a, one) = demo_desk();
    let (_b, two) = demo_desk();
    let f = fingerprint(&one);
    assert_eq!(f, fingerprint(&two), "the same seed and day must give the same clinic");
    assert_eq!(f.0, 5_000);
    assert!((2_500..8_000).contains(&f.1), "6 weeks of 8 doctors: {} appointments", f.1);
    for s in ["completed", "no_show", "cancelled", "booked", "confirmed"] {
        assert!(f.3.contains(s), "the demo has {s} visits: {}", f.3);
    }
    let conn = one.db();
    let branches: i64 = conn.query_row("SELECT COUNT(*) FROM branch", [], |r| r.get(0)).unwrap();
    let doctors: i64 = conn.query_row("SELECT COUNT(*) FROM doctor", [], |r| r.get(0)).unwrap();
    assert_eq!((branches, doctors), (2, 8));
    // No doctor is ever double-booked, not even in generated data.
    let overlaps: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM appointment a JOIN appointment b
               ON a.doctor_id = b.doctor_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(overlaps, 0);
}

#[test]
fn demo_phone_numbers_are_valid_e164_and_some_families_share_one() {
    let (_dir, desk) = demo_desk();
    let conn = desk.db();
    let mut stmt = conn.prepare("SELECT e164 FROM patient_phone").unwrap();
    let phones: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let ca = frontdesk::phone::region("CA").unwrap();
    for p in phones.iter().step_by(37) {
        assert_eq!(&frontdesk::phone::normalise(p, ca, "phone").unwrap(), p, "{p} must be a valid E.164 number");
    }
    assert!(phones.iter().any(|p| p.starts_with("+91")), "some patients have Indian mobiles");
    let shared: i64 = conn
        .query_row("SELECT COUNT(*) FROM (SELECT e164 FROM patient_phone GROUP BY e164 HAVING COUNT(*) > 1)", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(shared > 100, "families share one mobile: {shared}");
}

#[test]
fn demo_seeding_never_touches_an_existing_clinic() {
    let (_dir, desk) = set_up_desk();
    assert!(!seed_if_empty(&desk, NOW).unwrap(), "--demo on a real clinic must do nothing");
    let patients: i64 = desk.db().query_row("SELECT COUNT(*) FROM patient", [], |r| r.get(0)).unwrap();
    assert_eq!(patients, 0);
    let mut conn = desk.db();
    assert!(seed(&mut conn, &Config::demo(), NOW).is_err(), "seeding over a clinic is refused");
}
