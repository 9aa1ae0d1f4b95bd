//! The practice set up by the clinic's own people, against real SQLite files: branches with their
//! numbers and hours, doctors and weekly sessions with a slot length, exceptions, services, and
//! the rule that a change never strands booked appointments silently.

mod common;

use common::*;
use frontdesk::booking::{self, BookRequest, CancelRequest, SlotQuery};
use frontdesk::practice::{
    self, AddExceptionRequest, BranchPhone, BranchStatus, BranchStatusRequest, ChecklistRequest, DoctorHours,
    DoctorHoursRequest, ExceptionKind, ExceptionRequest, NewPatientRule, SaveBranchRequest, SaveDoctorRequest,
    SaveServiceRequest, WeeklyHours,
};
use frontdesk::status::Source;
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

/// Monday 30 November 2026, a week after [`NOW`] (Monday 23 November, 10:00 in Toronto).
const MONDAY: &str = "2026-11-30";

fn err<T: std::fmt::Debug>(r: frontdesk::Result<T>) -> ApiError {
    ApiError::from(r.expect_err("expected a refusal"))
}

fn branch_req(name: &str, phones: &[&str]) -> SaveBranchRequest {
    SaveBranchRequest {
        id: None,
        name: name.into(),
        address: "12 Harbour St".into(),
        phones: phones
            .iter()
            .map(|p| BranchPhone { phone: (*p).into(), display: String::new(), label: "Main".into() })
            .collect(),
        hours: (0..5).map(|d| WeeklyHours { weekday: d, start: "8:00".into(), end: "18:00".into() }).collect(),
    }
}

fn doctor_req(name: &str, branch_ids: Vec<i64>) -> SaveDoctorRequest {
    SaveDoctorRequest {
        id: None,
        name: name.into(),
        department: "General medicine".into(),
        specialties: "Diabetes, asthma".into(),
        branch_ids,
        active: true,
        confirmed: false,
    }
}

fn session(branch_id: i64, weekday: u8, start: &str, end: &str, slot: i64) -> DoctorHours {
    DoctorHours { branch_id, weekday, start: start.into(), end: end.into(), slot_minutes: slot }
}

fn service_req(code: &str, minutes: i64, rule: NewPatientRule) -> SaveServiceRequest {
    SaveServiceRequest {
        id: None,
        code: code.into(),
        name: format!("{code} visit"),
        duration_minutes: minutes,
        department: "General medicine".into(),
        new_patient_rule: rule,
        active: true,
    }
}

/// An owner's clinic built only through the practice screens: branch "Harbour", Dr. Mehta there
/// on Mondays 09:00–12:00 with 20-minute slots, a 20-minute consultation, and one patient.
struct Clinic {
    _dir: tempfile::TempDir,
    desk: Desk,
    owner: SessionToken,
    branch: i64,
    doctor: i64,
    service: i64,
    patient: i64,
}

fn clinic() -> Clinic {
    let (dir, desk) = set_up_desk();
    desk.db().execute("UPDATE clinic SET idle_lock_minutes = 240", []).unwrap();
    let owner = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    let c = ctx(&desk, Some(&owner), NOW);
    let branch = practice::save_branch(&c, branch_req("Harbour", &["416 555 0100"])).unwrap();
    let doctor = practice::save_doctor(&c, doctor_req("Dr. Kavya Mehta", vec![branch])).unwrap();
    assert!(doctor.saved);
    let doctor = doctor.id.unwrap();
    let hours = practice::save_doctor_hours(
        &c,
        DoctorHoursRequest {
            doctor_id: doctor,
            hours: vec![session(branch, 0, "09:00", "12:00", 20)],
            confirmed: false,
        },
    )
    .unwrap();
    assert!(hours.saved && hours.affected.is_empty());
    let service = practice::save_service(&c, service_req("CONS-20", 20, NewPatientRule::Any)).unwrap();
    let patient =
        frontdesk::patients::create_patient(&c, patient_request("Asha", "Verma", Some("1980-02-03"), "416 555 0111"))
            .unwrap()
            .patient_id;
    Clinic { _dir: dir, desk, owner, branch, doctor, service, patient }
}

impl Clinic {
    fn ctx(&self) -> frontdesk::Ctx<'_> {
        ctx(&self.desk, Some(&self.owner), NOW)
    }

    fn book_at(&self, hhmm: &str) -> frontdesk::Result<frontdesk::schedule::AppointmentRow> {
        booking::book(
            &self.ctx(),
            BookRequest {
                patient_id: self.patient,
                caller_name: String::new(),
                caller_relationship: "self".into(),
                doctor_id: self.doctor,
                branch_id: self.branch,
                service_id: self.service,
                starts_at: toronto(MONDAY, hhmm),
                reason: "Cough for a week".into(),
                source: Source::Phone,
                referral: String::new(),
                notes: String::new(),
                follow_up: false,
                follow_up_on: None,
            },
        )
    }

    fn slots(&self) -> Vec<String> {
        booking::free_slots(
            &self.ctx(),
            SlotQuery {
                service_id: self.service,
                from_date: Some(MONDAY.into()),
                to_date: Some(MONDAY.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .slots
        .into_iter()
        .map(|s| s.start_local)
        .collect()
    }
}

#[test]
fn a_clinic_set_up_in_the_window_offers_slots_on_the_doctors_grid() {
    let c = clinic();
    assert_eq!(c.slots(), ["09:00", "09:20", "09:40", "10:00", "10:20", "10:40", "11:00", "11:20", "11:40"]);
    let p = practice::practice(&c.ctx()).unwrap();
    assert_eq!(p.branches.len(), 1);
    assert_eq!(p.branches[0].phones[0].phone, "+14165550100", "numbers are stored in E.164");
    assert_eq!(p.branches[0].hours.len(), 5);
    assert_eq!(p.doctors[0].hours, vec![session(c.branch, 0, "09:00", "12:00", 20)]);
    assert_eq!(p.doctors[0].branch_ids, vec![c.branch]);
    assert_eq!(p.services[0].code, "CONS-20");
    assert_eq!(p.departments, vec!["General medicine".to_owned()]);
    let list = &p.checklist;
    assert_eq!((list.branches, list.doctors_with_hours, list.services, list.patients), (1, 1, 1, 1));
    assert!(!list.done, "no staff account yet");
    add_staff(&c.desk, "desk1", "receptionist");
    assert!(practice::checklist(&c.ctx()).unwrap().done);
}

#[test]
fn branches_refuse_a_taken_name_and_a_number_that_rings_elsewhere() {
    let c = clinic();
    let e = err(practice::save_branch(&c.ctx(), branch_req("harbour", &[])));
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("name")));
    let e = err(practice::save_branch(&c.ctx(), branch_req("Lakeshore", &["(416) 555-0100"])));
    assert_eq!(e.field.as_deref(), Some("phones"));
    assert!(e.message.contains("Harbour"), "{}", e.message);
    let e = err(practice::save_branch(&c.ctx(), branch_req("Lakeshore", &["12"])));
    assert_eq!(e.field.as_deref(), Some("phones"));
    let mut bad_hours = branch_req("Lakeshore", &[]);
    bad_hours.hours.push(WeeklyHours { weekday: 0, start: "17:00".into(), end: "20:00".into() });
    let e = err(practice::save_branch(&c.ctx(), bad_hours));
    assert!(e.message.contains("overlap"), "{}", e.message);
    let mut bad_time = branch_req("Lakeshore", &[]);
    bad_time.hours = vec![WeeklyHours { weekday: 2, start: "9am".into(), end: "17:00".into() }];
    assert_eq!(err(practice::save_branch(&c.ctx(), bad_time)).field.as_deref(), Some("hours"));
    // Nothing half-saved by the refusals.
    assert_eq!(practice::practice(&c.ctx()).unwrap().branches.len(), 1);
}

#[test]
fn sessions_may_not_overlap_and_must_be_at_the_doctors_branches() {
    let c = clinic();
    let overlapping = DoctorHoursRequest {
        doctor_id: c.doctor,
        hours: vec![session(c.branch, 0, "09:00", "12:00", 20), session(c.branch, 0, "11:00", "13:00", 15)],
        confirmed: false,
    };
    assert!(err(practice::save_doctor_hours(&c.ctx(), overlapping)).message.contains("overlap"));
    let other = practice::save_branch(&c.ctx(), branch_req("Lakeshore", &[])).unwrap();
    let elsewhere = DoctorHoursRequest {
        doctor_id: c.doctor,
        hours: vec![session(other, 1, "09:00", "12:00", 15)],
        confirmed: false,
    };
    assert_eq!(err(practice::save_doctor_hours(&c.ctx(), elsewhere)).field.as_deref(), Some("hours"));
    // Morning and evening sessions on one day are fine.
    let split = DoctorHoursRequest {
        doctor_id: c.doctor,
        hours: vec![session(c.branch, 0, "09:00", "12:00", 20), session(c.branch, 0, "17:00", "19:00", 30)],
        confirmed: false,
    };
    assert!(practice::save_doctor_hours(&c.ctx(), split).unwrap().saved);
    assert_eq!(c.slots().last().map(String::as_str), Some("18:30"));
}

#[test]
fn shortening_hours_lists_the_stranded_appointment_and_saves_only_when_confirmed() {
    let c = clinic();
    let appt = c.book_at("11:00").unwrap();
    let shorter = |confirmed| DoctorHoursRequest {
        doctor_id: c.doctor,
        hours: vec![session(c.branch, 0, "09:00", "10:30", 20)],
        confirmed,
    };
    let audit_before = audit_count(&c.desk);
    let asked = practice::save_doctor_hours(&c.ctx(), shorter(false)).unwrap();
    assert!(!asked.saved);
    assert_eq!(asked.affected.len(), 1);
    assert_eq!(asked.affected[0].appointment_id, appt.id);
    assert_eq!(asked.affected[0].patient_name, "Asha Verma");
    assert!(asked.affected[0].reason.contains("not working"), "{}", asked.affected[0].reason);
    assert_eq!(audit_count(&c.desk), audit_before, "nothing saved before the answer");
    assert_eq!(practice::practice(&c.ctx()).unwrap().doctors[0].hours[0].end, "12:00");
    assert!(practice::to_rebook(&c.ctx()).unwrap().is_empty());

    let saved = practice::save_doctor_hours(&c.ctx(), shorter(true)).unwrap();
    assert!(saved.saved);
    let list = practice::to_rebook(&c.ctx()).unwrap();
    assert_eq!(list.iter().map(|a| a.appointment_id).collect::<Vec<_>>(), vec![appt.id]);
    // Booking that time again is refused by the same rule that listed it.
    assert_eq!(err(c.book_at("11:00")).field.as_deref(), Some("starts_at"));
    // Once cancelled it leaves the list.
    booking::cancel(&c.ctx(), CancelRequest { appointment_id: appt.id, reason: "Doctor's hours changed".into() })
        .unwrap();
    assert!(practice::to_rebook(&c.ctx()).unwrap().is_empty());
}

#[test]
fn leave_and_holidays_strand_what_they_cover_and_a_removed_exception_reopens_the_day() {
    let c = clinic();
    let appt = c.book_at("09:40").unwrap();
    let leave = |confirmed| AddExceptionRequest {
        kind: ExceptionKind::Training,
        doctor_id: Some(c.doctor),
        branch_id: None,
        starts_on: MONDAY.into(),
        ends_on: "2026-12-02".into(),
        reason: "CME course".into(),
        confirmed,
    };
    let asked = practice::add_exception(&c.ctx(), leave(false)).unwrap();
    assert_eq!((asked.saved, asked.affected.len()), (false, 1));
    assert!(asked.affected[0].reason.contains("training"), "{}", asked.affected[0].reason);
    assert!(practice::practice(&c.ctx()).unwrap().exceptions.is_empty());
    let saved = practice::add_exception(&c.ctx(), leave(true)).unwrap();
    assert!(saved.saved);
    assert!(c.slots().is_empty(), "no slots on a training day");
    assert_eq!(practice::to_rebook(&c.ctx()).unwrap()[0].appointment_id, appt.id);
    practice::remove_exception(&c.ctx(), ExceptionRequest { exception_id: saved.id.unwrap() }).unwrap();
    assert!(!c.slots().is_empty());
    assert!(practice::to_rebook(&c.ctx()).unwrap().is_empty(), "the appointment fits again");

    let e = err(practice::add_exception(
        &c.ctx(),
        AddExceptionRequest { kind: ExceptionKind::Holiday, doctor_id: Some(c.doctor), ..leave(false) },
    ));
    assert_eq!(e.field.as_deref(), Some("doctor_id"));
    let e = err(practice::add_exception(
        &c.ctx(),
        AddExceptionRequest { kind: ExceptionKind::Leave, doctor_id: None, ..leave(false) },
    ));
    assert_eq!(e.field.as_deref(), Some("doctor_id"));
    let e = err(practice::add_exception(
        &c.ctx(),
        AddExceptionRequest { starts_on: "2026-12-05".into(), ends_on: "2026-12-01".into(), ..leave(false) },
    ));
    assert_eq!(e.field.as_deref(), Some("ends_on"));
}

#[test]
fn a_closed_branch_takes_no_bookings_and_lists_its_appointments() {
    let c = clinic();
    let appt = c.book_at("10:00").unwrap();
    let close =
        |confirmed| BranchStatusRequest { branch_id: c.branch, status: BranchStatus::TemporarilyClosed, confirmed };
    let asked = practice::set_branch_status(&c.ctx(), close(false)).unwrap();
    assert_eq!((asked.saved, asked.affected.len()), (false, 1));
    assert!(practice::set_branch_status(&c.ctx(), close(true)).unwrap().saved);
    assert!(c.slots().is_empty());
    let e = err(c.book_at("09:00"));
    assert_eq!(e.field.as_deref(), Some("branch_id"));
    assert_eq!(practice::to_rebook(&c.ctx()).unwrap()[0].appointment_id, appt.id);
    let p = practice::practice(&c.ctx()).unwrap();
    assert_eq!(p.branches[0].status, BranchStatus::TemporarilyClosed);
    // Reopening: bookable again, nothing left to rebook.
    let open = BranchStatusRequest { branch_id: c.branch, status: BranchStatus::Active, confirmed: false };
    assert!(practice::set_branch_status(&c.ctx(), open).unwrap().saved);
    assert!(practice::to_rebook(&c.ctx()).unwrap().is_empty());
    assert!(!c.slots().is_empty());
}

#[test]
fn deactivating_a_doctor_or_taking_them_off_a_branch_asks_first() {
    let c = clinic();
    c.book_at("09:00").unwrap();
    let other = practice::save_branch(&c.ctx(), branch_req("Lakeshore", &[])).unwrap();
    let moved = SaveDoctorRequest { id: Some(c.doctor), ..doctor_req("Dr. Kavya Mehta", vec![other]) };
    let asked = practice::save_doctor(&c.ctx(), moved.clone()).unwrap();
    assert_eq!((asked.saved, asked.affected.len()), (false, 1));
    assert_eq!(practice::practice(&c.ctx()).unwrap().doctors[0].branch_ids, vec![c.branch], "nothing changed");
    let off = SaveDoctorRequest { id: Some(c.doctor), active: false, ..doctor_req("Dr. Kavya Mehta", vec![c.branch]) };
    assert!(!practice::save_doctor(&c.ctx(), off).unwrap().saved);
    let done = practice::save_doctor(&c.ctx(), SaveDoctorRequest { confirmed: true, ..moved }).unwrap();
    assert!(done.saved);
    let p = practice::practice(&c.ctx()).unwrap();
    assert_eq!(p.doctors[0].branch_ids, vec![other]);
    assert!(p.doctors[0].hours.is_empty(), "the hours at the branch left went with it");
    assert_eq!(p.to_rebook.len(), 1);
}

#[test]
fn services_have_unique_codes_and_their_new_patient_rule_is_kept_at_booking() {
    let c = clinic();
    let e = err(practice::save_service(&c.ctx(), service_req("cons-20", 15, NewPatientRule::Any)));
    assert_eq!(e.field.as_deref(), Some("code"));
    assert_eq!(
        err(practice::save_service(&c.ctx(), service_req("X", 2, NewPatientRule::Any))).field.as_deref(),
        Some("duration_minutes")
    );
    assert_eq!(
        err(practice::save_service(&c.ctx(), service_req("A B", 20, NewPatientRule::Any))).field.as_deref(),
        Some("code")
    );
    // The consultation becomes returning-patients-only: Asha has never been seen.
    let mut returning = service_req("CONS-20", 20, NewPatientRule::ReturningOnly);
    returning.id = Some(c.service);
    practice::save_service(&c.ctx(), returning).unwrap();
    let e = err(c.book_at("09:00"));
    assert_eq!(e.field.as_deref(), Some("service_id"));
    assert!(e.message.contains("returning patients"), "{}", e.message);
    let mut new_only = service_req("CONS-20", 20, NewPatientRule::NewOnly);
    new_only.id = Some(c.service);
    practice::save_service(&c.ctx(), new_only).unwrap();
    c.book_at("09:00").unwrap();
}

#[test]
fn only_owners_and_admins_set_up_the_practice_but_the_desk_sees_what_to_rebook() {
    let c = clinic();
    let desk = add_staff(&c.desk, "desk1", "receptionist");
    let rc = ctx(&c.desk, Some(&desk), NOW);
    assert_eq!(err(practice::practice(&rc)).code, ErrorCode::Forbidden);
    assert_eq!(err(practice::save_branch(&rc, branch_req("Lakeshore", &[]))).code, ErrorCode::Forbidden);
    assert_eq!(
        err(practice::save_service(&rc, service_req("NEW", 15, NewPatientRule::Any))).code,
        ErrorCode::Forbidden
    );
    assert_eq!(
        err(practice::set_checklist_dismissed(&rc, ChecklistRequest { dismissed: true })).code,
        ErrorCode::Forbidden
    );
    assert!(practice::to_rebook(&rc).is_ok());
    let admin = add_staff(&c.desk, "admin1", "admin");
    let ac = ctx(&c.desk, Some(&admin), NOW);
    practice::set_checklist_dismissed(&ac, ChecklistRequest { dismissed: true }).unwrap();
    assert!(practice::checklist(&ac).unwrap().dismissed);
}

#[test]
fn every_practice_change_is_audited_without_patient_details() {
    let c = clinic();
    c.book_at("11:00").unwrap();
    let req = DoctorHoursRequest {
        doctor_id: c.doctor,
        hours: vec![session(c.branch, 0, "09:00", "10:00", 20)],
        confirmed: true,
    };
    practice::save_doctor_hours(&c.ctx(), req).unwrap();
    let rows: Vec<(String, String)> = {
        let conn = c.desk.db();
        let mut stmt = conn.prepare("SELECT action, summary FROM audit_event ORDER BY seq").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let actions: Vec<&str> = rows.iter().map(|(a, _)| a.as_str()).collect();
    for want in ["branch.created", "doctor.created", "doctor.hours_changed", "service.created"] {
        assert!(actions.contains(&want), "{want} missing from {actions:?}");
    }
    let last = rows.iter().rev().find(|(a, _)| a == "doctor.hours_changed").unwrap();
    assert!(last.1.contains("1 appointment(s) to rebook"), "{}", last.1);
    for (_, summary) in &rows {
        assert!(!summary.contains("Asha") && !summary.contains("Verma"), "a patient's name in the audit: {summary}");
    }
}
