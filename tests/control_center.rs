//! The settings control center on a real clinic file: the clinic's profile changed and audited
//! with before/after values, a time-zone change asked about when appointments are booked ahead,
//! the retention window listing patients for review (never deleting them), the AI-safety rules,
//! and the recent configuration changes.

mod common;

use common::*;
use frontdesk::control_center::{self, ClinicProfileRequest};
use frontdesk::{ApiError, ErrorCode};

fn profile(name: &str, zone: &str, retention_days: i64) -> ClinicProfileRequest {
    ClinicProfileRequest {
        clinic_name: name.into(),
        timezone: zone.into(),
        phone_region: "CA".into(),
        retention_days,
        confirmed: false,
    }
}

#[test]
fn the_profile_is_changed_checked_and_audited() {
    let (_dir, desk, owner) = owner_desk();
    let c = ctx(&desk, Some(&owner), NOW);
    let before = control_center::control_center(&c).unwrap();
    assert_eq!((before.timezone.as_str(), before.retention_days), ("America/Toronto", 365));

    let refusals = [
        (profile("  ", "America/Toronto", 365), "clinic_name"),
        (profile("Lakeshore", "Mars/Olympus", 365), "timezone"),
        (profile("Lakeshore", "America/Toronto", 7), "retention_days"),
        (
            ClinicProfileRequest { phone_region: "ZZ".into(), ..profile("Lakeshore", "America/Toronto", 365) },
            "phone_region",
        ),
    ];
    for (req, field) in refusals {
        let e = ApiError::from(control_center::update_clinic_profile(&c, req).unwrap_err());
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some(field)), "{}", e.message);
    }
    assert_eq!(control_center::control_center(&c).unwrap().clinic_name, before.clinic_name, "nothing saved");

    control_center::update_clinic_profile(&c, profile("Lakeshore Family Clinic", "America/Toronto", 730)).unwrap();
    let after = control_center::control_center(&c).unwrap();
    assert_eq!((after.clinic_name.as_str(), after.retention_days), ("Lakeshore Family Clinic", 730));
    let last = &after.recent_changes[0];
    assert_eq!(last.action, "clinic.profile_changed");
    assert!(last.summary.contains("retention_days 365 → 730") && last.summary.contains("Lakeshore Family Clinic"));
    assert!(after.ai_safety_rules.iter().any(|r| r.contains("No diagnosis")));

    // A receptionist neither reads nor changes it.
    let desk_token = add_staff(&desk, "rita", "receptionist");
    let rc = ctx(&desk, Some(&desk_token), NOW);
    assert_eq!(ApiError::from(control_center::control_center(&rc).unwrap_err()).code, ErrorCode::Forbidden);
    let e = control_center::update_clinic_profile(&rc, profile("Mine now", "America/Toronto", 365)).unwrap_err();
    assert_eq!(ApiError::from(e).code, ErrorCode::Forbidden);
}

#[test]
fn a_new_time_zone_is_asked_about_when_appointments_are_booked_ahead() {
    let (_dir, desk) = demo_desk();
    let owner = sign_in(&desk, "owner", "frontdesk-owner", NOW);
    let c = ctx(&desk, Some(&owner), NOW);
    let current = control_center::control_center(&c).unwrap();
    let to = if current.timezone == "Asia/Kolkata" { "America/Toronto" } else { "Asia/Kolkata" };
    let req = ClinicProfileRequest {
        phone_region: current.phone_region.clone(),
        ..profile(&current.clinic_name, to, current.retention_days)
    };
    let e = ApiError::from(control_center::update_clinic_profile(&c, req.clone()).unwrap_err());
    assert_eq!(e.code, ErrorCode::NeedsConfirmation);
    assert!(e.message.contains("booked appointment"), "{}", e.message);
    assert_eq!(control_center::control_center(&c).unwrap().timezone, current.timezone, "asked, not saved");

    control_center::update_clinic_profile(&c, ClinicProfileRequest { confirmed: true, ..req }).unwrap();
    assert_eq!(control_center::control_center(&c).unwrap().timezone, to);
}

#[test]
fn the_retention_window_lists_patients_not_seen_and_deletes_nothing() {
    let (_dir, desk, owner) = owner_desk();
    let c = ctx(&desk, Some(&owner), NOW);
    let year = 365 * 86_400;
    desk.db()
        .execute_batch(&format!(
            "INSERT INTO patient (id, given_name, family_name, created_at, updated_at) VALUES
                (1, 'Old', 'Record', {old}, {old}),
                (2, 'Recent', 'Change', {old}, {recent}),
                (3, 'Old', 'Booked', {old}, {old});
             INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, created_at, updated_at)
                VALUES (3, 1, 1, 1, {recent}, {recent} + 900, 'completed', 'phone', {recent}, {recent});",
            old = NOW - 2 * year,
            recent = NOW - 30 * 86_400,
        ))
        .unwrap();
    assert_eq!(control_center::control_center(&c).unwrap().retention_candidates, 1);
    control_center::update_clinic_profile(
        &c,
        ClinicProfileRequest { retention_days: 3 * 365, ..profile("Harbour Clinic", "America/Toronto", 365) },
    )
    .unwrap();
    assert_eq!(control_center::control_center(&c).unwrap().retention_candidates, 0);
    let patients: i64 = desk.db().query_row("SELECT COUNT(*) FROM patient", [], |r| r.get(0)).unwrap();
    assert_eq!(patients, 3, "a review list, never a deletion");
}

#[test]
fn saving_the_profile_unchanged_changes_nothing() {
    let (_dir, desk, owner) = owner_desk();
    let c = ctx(&desk, Some(&owner), NOW);
    let now = control_center::control_center(&c).unwrap();
    let before = audit_count(&desk);
    control_center::update_clinic_profile(
        &c,
        ClinicProfileRequest {
            phone_region: now.phone_region.clone(),
            ..profile(&now.clinic_name, &now.timezone, now.retention_days)
        },
    )
    .expect("an unchanged form saves");
    assert_eq!(audit_count(&desk), before, "no change, no audit row");
}
