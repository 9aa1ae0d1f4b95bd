//! The clinic's practice, set up by its own owners and admins: branches (the numbers patients
//! call, opening hours, open or closed), doctors (departments, branches) and their weekly hours
//! with a slot length, exceptions (leave, training, holidays) and services.
//!
//! A change that would leave booked appointments outside a doctor's hours — new hours, leave, a
//! holiday, a closed branch, a doctor taken off a branch — is answered first with those
//! appointments and saved only when confirmed; they are then listed to rebook ([`to_rebook`])
//! until each is moved or cancelled. Whether an appointment still fits is decided by the booking
//! rule itself ([`booking::unavailable`]), never by a second copy of it.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::booking;
use crate::clinic::Clinic;
use crate::clock;
use crate::desk::{Ctx, Write};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::phone;
use crate::roles::Action;
use crate::schedule::{day_bounds, local_date, parse_date};

// ---------------------------------------------------------------------------------------------
// Wire types.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BranchStatus {
    Active,
    TemporarilyClosed,
    PermanentlyClosed,
}

impl BranchStatus {
    fn as_str(self) -> &'static str {
        match self {
            BranchStatus::Active => "active",
            BranchStatus::TemporarilyClosed => "temporarily_closed",
            BranchStatus::PermanentlyClosed => "permanently_closed",
        }
    }

    fn parse(s: &str) -> BranchStatus {
        match s {
            "temporarily_closed" => BranchStatus::TemporarilyClosed,
            "permanently_closed" => BranchStatus::PermanentlyClosed,
            _ => BranchStatus::Active,
        }
    }
}

/// A time range on one weekday (0 = Monday), `HH:MM` in the clinic's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeeklyHours {
    pub weekday: u8,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BranchPhone {
    /// As typed in a request; E.164 in an answer.
    pub phone: String,
    /// How the clinic's region writes it (answers only).
    #[serde(default)]
    pub display: String,
    /// "Main", "Appointments", "Lab"…
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BranchDetail {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub status: BranchStatus,
    pub phones: Vec<BranchPhone>,
    pub hours: Vec<WeeklyHours>,
    /// Active doctors who work here.
    pub doctors: i64,
    /// Booked or confirmed appointments from now on.
    pub upcoming_appointments: i64,
}

/// A doctor's session at a branch: free slots start every `slot_minutes` from `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoctorHours {
    pub branch_id: i64,
    pub weekday: u8,
    pub start: String,
    pub end: String,
    pub slot_minutes: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DoctorDetail {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub specialties: String,
    pub active: bool,
    pub branch_ids: Vec<i64>,
    pub hours: Vec<DoctorHours>,
    /// The staff account that signs in as this doctor, if any.
    pub staff_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NewPatientRule {
    /// Anyone may be booked for it.
    Any,
    /// Only patients never seen before (no completed visit).
    NewOnly,
    /// Only patients seen before.
    ReturningOnly,
}

impl NewPatientRule {
    fn as_str(self) -> &'static str {
        match self {
            NewPatientRule::Any => "any",
            NewPatientRule::NewOnly => "new_only",
            NewPatientRule::ReturningOnly => "returning_only",
        }
    }

    fn parse(s: &str) -> NewPatientRule {
        match s {
            "new_only" => NewPatientRule::NewOnly,
            "returning_only" => NewPatientRule::ReturningOnly,
            _ => NewPatientRule::Any,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ServiceDetail {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub duration_minutes: i64,
    pub department: String,
    pub new_patient_rule: NewPatientRule,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    Leave,
    Training,
    Holiday,
}

impl ExceptionKind {
    fn as_str(self) -> &'static str {
        match self {
            ExceptionKind::Leave => "leave",
            ExceptionKind::Training => "training",
            ExceptionKind::Holiday => "holiday",
        }
    }

    fn parse(s: &str) -> ExceptionKind {
        match s {
            "leave" => ExceptionKind::Leave,
            "training" => ExceptionKind::Training,
            _ => ExceptionKind::Holiday,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExceptionRow {
    pub id: i64,
    pub kind: ExceptionKind,
    pub doctor_id: Option<i64>,
    pub branch_id: Option<i64>,
    /// "Dr. Rao: leave", "Clinic holiday", "Lakeshore closed".
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
}

/// A booked appointment a change leaves outside the doctor's hours.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AffectedAppointment {
    pub appointment_id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub doctor_name: String,
    pub branch_name: String,
    /// `YYYY-MM-DD` in the clinic's zone.
    pub date: String,
    pub date_label: String,
    pub start_local: String,
    /// Why it no longer fits, as the booking form would say it.
    pub reason: String,
}

/// What a change that can affect booked appointments did: saved, or — when it would leave some
/// outside the doctor's hours and was not confirmed — not saved, with those appointments.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeOutcome {
    pub saved: bool,
    /// The record saved (a new branch, doctor or exception).
    pub id: Option<i64>,
    pub affected: Vec<AffectedAppointment>,
}

/// How far the first-run checklist has come. `done` when every step has at least one record.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SetupChecklist {
    pub branches: i64,
    pub doctors: i64,
    pub doctors_with_hours: i64,
    pub services: i64,
    /// Active accounts other than owners.
    pub staff: i64,
    pub patients: i64,
    pub dismissed: bool,
    pub done: bool,
}

/// Everything the practice screens show, in one answer.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Practice {
    pub branches: Vec<BranchDetail>,
    pub doctors: Vec<DoctorDetail>,
    pub services: Vec<ServiceDetail>,
    /// Exceptions that end today or later.
    pub exceptions: Vec<ExceptionRow>,
    /// Departments in use, for the pickers.
    pub departments: Vec<String>,
    pub to_rebook: Vec<AffectedAppointment>,
    pub checklist: SetupChecklist,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveBranchRequest {
    /// Absent for a new branch.
    pub id: Option<i64>,
    pub name: String,
    pub address: String,
    pub phones: Vec<BranchPhone>,
    pub hours: Vec<WeeklyHours>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct BranchStatusRequest {
    pub branch_id: i64,
    pub status: BranchStatus,
    /// Go ahead although booked appointments will have to be rebooked.
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveDoctorRequest {
    pub id: Option<i64>,
    pub name: String,
    pub department: String,
    #[serde(default)]
    pub specialties: String,
    pub branch_ids: Vec<i64>,
    pub active: bool,
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct DoctorHoursRequest {
    pub doctor_id: i64,
    /// The doctor's whole week; replaces what was there.
    pub hours: Vec<DoctorHours>,
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AddExceptionRequest {
    pub kind: ExceptionKind,
    /// Leave and training: the doctor. A holiday: none.
    pub doctor_id: Option<i64>,
    /// A holiday at one branch; the whole clinic when absent.
    pub branch_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExceptionRequest {
    pub exception_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveServiceRequest {
    pub id: Option<i64>,
    pub code: String,
    pub name: String,
    pub duration_minutes: i64,
    #[serde(default)]
    pub department: String,
    pub new_patient_rule: NewPatientRule,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChecklistRequest {
    pub dismissed: bool,
}

// ---------------------------------------------------------------------------------------------
// Reads.

/// The practice screens' answer (owner and admin).
pub fn practice(ctx: &Ctx) -> Result<Practice> {
    ctx.read(Action::ManagePractice, |conn, _, clinic| {
        Ok(Practice {
            branches: branches(conn, clinic, ctx.now)?,
            doctors: doctors(conn)?,
            services: services(conn)?,
            exceptions: exceptions(conn, local_date(clinic.timezone, ctx.now))?,
            departments: departments(conn)?,
            to_rebook: rebook_list(conn, clinic, ctx.now)?,
            checklist: checklist_in(conn)?,
        })
    })
}

/// Booked appointments a change left outside their doctor's hours, earliest first (whoever
/// books may rebook them).
pub fn to_rebook(ctx: &Ctx) -> Result<Vec<AffectedAppointment>> {
    ctx.read(Action::BookAppointment, |conn, _, clinic| rebook_list(conn, clinic, ctx.now))
}

/// The first-run checklist (owner and admin).
pub fn checklist(ctx: &Ctx) -> Result<SetupChecklist> {
    ctx.read(Action::ManagePractice, |conn, _, _| checklist_in(conn))
}

fn branches(conn: &Connection, clinic: &Clinic, now: i64) -> Result<Vec<BranchDetail>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.id, b.name, b.address, b.status,
                (SELECT count(*) FROM doctor_branch db JOIN doctor d ON d.id = db.doctor_id
                 WHERE db.branch_id = b.id AND d.active = 1),
                (SELECT count(*) FROM appointment a
                 WHERE a.branch_id = b.id AND a.starts_at >= ?1 AND a.status IN ('booked', 'confirmed'))
         FROM branch b ORDER BY b.status <> 'active', b.name",
    )?;
    let rows: Vec<(i64, String, String, String, i64, i64)> = stmt
        .query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut phones = conn.prepare_cached("SELECT phone, label FROM branch_phone WHERE branch_id = ?1 ORDER BY id")?;
    let mut hours = conn.prepare_cached(
        "SELECT weekday, open_minute, close_minute FROM branch_hours WHERE branch_id = ?1 ORDER BY weekday, open_minute",
    )?;
    rows.into_iter()
        .map(|(id, name, address, status, doctors, upcoming_appointments)| {
            let phones = phones
                .query_map([id], |r| {
                    let (phone, label): (String, String) = (r.get(0)?, r.get(1)?);
                    Ok(BranchPhone { display: phone::display(&phone, clinic.phone_region), phone, label })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let hours = hours
                .query_map([id], |r| {
                    Ok(WeeklyHours { weekday: r.get(0)?, start: hhmm(r.get(1)?), end: hhmm(r.get(2)?) })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(BranchDetail {
                id,
                name,
                address,
                status: BranchStatus::parse(&status),
                phones,
                hours,
                doctors,
                upcoming_appointments,
            })
        })
        .collect()
}

fn doctors(conn: &Connection) -> Result<Vec<DoctorDetail>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, display_name, department, specialties, active, staff_id FROM doctor ORDER BY active DESC, display_name",
    )?;
    let rows: Vec<(i64, String, String, String, bool, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut branches = conn.prepare_cached(
        "SELECT db.branch_id FROM doctor_branch db JOIN branch b ON b.id = db.branch_id WHERE db.doctor_id = ?1 ORDER BY b.name",
    )?;
    rows.into_iter()
        .map(|(id, name, department, specialties, active, staff_id)| {
            let branch_ids = branches.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(DoctorDetail {
                id,
                name,
                department,
                specialties,
                active,
                branch_ids,
                hours: doctor_hours(conn, id)?,
                staff_id,
            })
        })
        .collect()
}

fn doctor_hours(conn: &Connection, doctor_id: i64) -> Result<Vec<DoctorHours>> {
    let mut stmt = conn.prepare_cached(
        "SELECT branch_id, weekday, start_minute, end_minute, slot_minutes FROM availability_template
         WHERE doctor_id = ?1 ORDER BY weekday, start_minute",
    )?;
    let rows = stmt.query_map([doctor_id], |r| {
        Ok(DoctorHours {
            branch_id: r.get(0)?,
            weekday: r.get(1)?,
            start: hhmm(r.get(2)?),
            end: hhmm(r.get(3)?),
            slot_minutes: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn services(conn: &Connection) -> Result<Vec<ServiceDetail>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name, duration_minutes, department, new_patient_rule, active FROM service
         ORDER BY active DESC, name",
    )?;
    let rows = stmt.query_map([], |r| {
        let rule: String = r.get(5)?;
        Ok(ServiceDetail {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            duration_minutes: r.get(3)?,
            department: r.get(4)?,
            new_patient_rule: NewPatientRule::parse(&rule),
            active: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn exceptions(conn: &Connection, today: NaiveDate) -> Result<Vec<ExceptionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.kind, e.doctor_id, e.branch_id, d.display_name, b.name, e.starts_on, e.ends_on, e.reason
         FROM availability_exception e
         LEFT JOIN doctor d ON d.id = e.doctor_id LEFT JOIN branch b ON b.id = e.branch_id
         WHERE e.ends_on >= ?1 ORDER BY e.starts_on, e.id",
    )?;
    let rows = stmt.query_map([today.to_string()], |r| {
        let kind = ExceptionKind::parse(&r.get::<_, String>(1)?);
        let (doctor, branch): (Option<String>, Option<String>) = (r.get(4)?, r.get(5)?);
        let label = match (kind, doctor, branch) {
            (ExceptionKind::Leave, Some(d), _) => format!("{d}: leave"),
            (ExceptionKind::Training, Some(d), _) => format!("{d}: training"),
            (_, _, Some(b)) => format!("{b} closed"),
            _ => "Clinic holiday".to_owned(),
        };
        Ok(ExceptionRow {
            id: r.get(0)?,
            kind,
            doctor_id: r.get(2)?,
            branch_id: r.get(3)?,
            label,
            starts_on: r.get(6)?,
            ends_on: r.get(7)?,
            reason: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn departments(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT department FROM doctor WHERE department <> '' UNION SELECT department FROM service WHERE department <> ''
         ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn checklist_in(conn: &Connection) -> Result<SetupChecklist> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let branches = count("SELECT count(*) FROM branch WHERE active = 1")?;
    let doctors = count("SELECT count(*) FROM doctor WHERE active = 1")?;
    let doctors_with_hours = count(
        "SELECT count(*) FROM doctor d WHERE d.active = 1
           AND EXISTS (SELECT 1 FROM availability_template t WHERE t.doctor_id = d.id)",
    )?;
    let services = count("SELECT count(*) FROM service WHERE active = 1")?;
    let staff = count("SELECT count(*) FROM staff WHERE active = 1 AND role <> 'owner'")?;
    let patients = count("SELECT count(*) FROM (SELECT 1 FROM patient LIMIT 1)")?;
    let dismissed: bool = conn.query_row("SELECT checklist_dismissed FROM clinic WHERE id = 1", [], |r| r.get(0))?;
    let done = branches > 0 && doctors_with_hours > 0 && services > 0 && staff > 0 && patients > 0;
    Ok(SetupChecklist { branches, doctors, doctors_with_hours, services, staff, patients, dismissed, done })
}

// ---------------------------------------------------------------------------------------------
// Changes.

/// Adds or changes a branch: its name, address, the numbers patients call and its opening hours.
pub fn save_branch(ctx: &Ctx, req: SaveBranchRequest) -> Result<i64> {
    let name = text(&req.name, 80, "name", "Enter the branch's name, e.g. \"Lakeshore\".")?;
    let address = optional_text(&req.address, 300, "address")?;
    let hours = req
        .hours
        .iter()
        .map(|h| Ok((weekday(h.weekday)?, minute(&h.start, "hours", false)?, minute(&h.end, "hours", true)?)))
        .collect::<Result<Vec<_>>>()?;
    check_week(hours.iter().map(|&(d, s, e)| (d, s, e)), "hours", "Opening hours")?;
    ctx.write(Action::ManagePractice, |w, _, clinic| {
        let mut phones: Vec<(String, String)> = Vec::new();
        for p in req.phones.iter().filter(|p| !p.phone.trim().is_empty()) {
            let e164 = phone::normalise(&p.phone, clinic.phone_region, "phones")?;
            if phones.iter().any(|(x, _)| *x == e164) {
                return Err(Error::invalid("phones", format!("{} is listed twice. Remove one.", p.phone.trim())));
            }
            phones.push((e164, optional_text(&p.label, 40, "phones")?));
        }
        let taken: Option<i64> = w
            .conn()
            .query_row(
                "SELECT id FROM branch WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
                params![name, req.id],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(Error::invalid("name", format!("A branch is already called \"{name}\". Pick another name.")));
        }
        let id = match req.id {
            Some(id) => {
                let n = w.conn().execute(
                    "UPDATE branch SET name = ?2, address = ?3, phone = ?4 WHERE id = ?1",
                    params![id, name, address, phones.first().map(|p| &p.0)],
                )?;
                if n == 0 {
                    return Err(Error::NotFound("That branch no longer exists. Reopen the branches list.".into()));
                }
                id
            }
            None => {
                w.conn().execute(
                    "INSERT INTO branch (name, address, phone) VALUES (?1, ?2, ?3)",
                    params![name, address, phones.first().map(|p| &p.0)],
                )?;
                w.conn().last_insert_rowid()
            }
        };
        w.conn().execute("DELETE FROM branch_phone WHERE branch_id = ?1", [id])?;
        for (e164, label) in &phones {
            let elsewhere: Option<String> = w
                .conn()
                .query_row(
                    "SELECT b.name FROM branch_phone p JOIN branch b ON b.id = p.branch_id WHERE p.phone = ?1",
                    [e164],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = elsewhere {
                return Err(Error::invalid(
                    "phones",
                    format!(
                        "{} already rings at {other}; one number routes calls to one branch. Remove it there first.",
                        phone::display(e164, clinic.phone_region)
                    ),
                ));
            }
            w.conn().execute(
                "INSERT INTO branch_phone (phone, branch_id, label) VALUES (?1, ?2, ?3)",
                params![e164, id, label],
            )?;
        }
        w.conn().execute("DELETE FROM branch_hours WHERE branch_id = ?1", [id])?;
        for (day, open, close) in &hours {
            w.conn().execute(
                "INSERT INTO branch_hours (branch_id, weekday, open_minute, close_minute) VALUES (?1, ?2, ?3, ?4)",
                params![id, day, open, close],
            )?;
        }
        w.audit(
            if req.id.is_some() { "branch.updated" } else { "branch.created" },
            "branch",
            id,
            format!("branch {id}: {} phone number(s), {} opening-hour range(s)", phones.len(), hours.len()),
        )?;
        w.publish(Event::PracticeChanged);
        Ok(id)
    })
}

/// Opens or closes a branch. A closed branch takes no bookings; its booked appointments are
/// shown first and, once confirmed, listed to rebook.
pub fn set_branch_status(ctx: &Ctx, req: BranchStatusRequest) -> Result<ChangeOutcome> {
    ctx.write(Action::ManagePractice, |w, _, clinic| {
        let before: String = w
            .conn()
            .query_row("SELECT status FROM branch WHERE id = ?1", [req.branch_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound("That branch no longer exists. Reopen the branches list.".into()))?;
        if before == req.status.as_str() {
            w.nothing_changed();
            return Ok(ChangeOutcome { saved: true, id: Some(req.branch_id), affected: Vec::new() });
        }
        w.conn().execute(
            "UPDATE branch SET status = ?2, active = (?2 = 'active') WHERE id = ?1",
            params![req.branch_id, req.status.as_str()],
        )?;
        let scope = Scope { branch_id: Some(req.branch_id), ..Scope::default() };
        settle(w, clinic, scope, req.confirmed, Some(req.branch_id), |w, affected| {
            w.audit(
                "branch.status_changed",
                "branch",
                req.branch_id,
                format!(
                    "branch {}: {before} → {}, {affected} appointment(s) to rebook",
                    req.branch_id,
                    req.status.as_str()
                ),
            )
        })
    })
}

/// Adds or changes a doctor: name, department, specialties, branches, active. Taking a doctor off
/// a branch removes their hours there.
pub fn save_doctor(ctx: &Ctx, req: SaveDoctorRequest) -> Result<ChangeOutcome> {
    let name = text(&req.name, 80, "name", "Enter the doctor's name as patients know it, e.g. \"Dr. Anita Rao\".")?;
    let department = text(&req.department, 80, "department", "Enter the department, e.g. \"General medicine\".")?;
    let specialties = optional_text(&req.specialties, 200, "specialties")?;
    if req.branch_ids.is_empty() {
        return Err(Error::invalid("branch_ids", "Pick at least one branch where the doctor sees patients."));
    }
    ctx.write(Action::ManagePractice, |w, _, clinic| {
        for b in &req.branch_ids {
            let exists: bool =
                w.conn().query_row("SELECT EXISTS(SELECT 1 FROM branch WHERE id = ?1)", [b], |r| r.get(0))?;
            if !exists {
                return Err(Error::invalid("branch_ids", "A branch picked no longer exists. Pick again."));
            }
        }
        let id = match req.id {
            Some(id) => {
                let n = w.conn().execute(
                    "UPDATE doctor SET display_name = ?2, department = ?3, specialties = ?4, active = ?5 WHERE id = ?1",
                    params![id, name, department, specialties, req.active],
                )?;
                if n == 0 {
                    return Err(Error::NotFound("That doctor no longer exists. Reopen the doctors list.".into()));
                }
                id
            }
            None => {
                w.conn().execute(
                    "INSERT INTO doctor (display_name, department, specialties, active) VALUES (?1, ?2, ?3, ?4)",
                    params![name, department, specialties, req.active],
                )?;
                w.conn().last_insert_rowid()
            }
        };
        let keep = serde_json::to_string(&req.branch_ids).map_err(|e| Error::Internal(e.to_string()))?;
        w.conn().execute(
            "DELETE FROM doctor_branch WHERE doctor_id = ?1 AND branch_id NOT IN (SELECT value FROM json_each(?2))",
            params![id, keep],
        )?;
        w.conn().execute(
            "DELETE FROM availability_template WHERE doctor_id = ?1 AND branch_id NOT IN (SELECT value FROM json_each(?2))",
            params![id, keep],
        )?;
        for b in &req.branch_ids {
            w.conn()
                .execute("INSERT OR IGNORE INTO doctor_branch (doctor_id, branch_id) VALUES (?1, ?2)", params![id, b])?;
        }
        let scope = Scope { doctor_id: Some(id), ..Scope::default() };
        let created = req.id.is_none();
        settle(w, clinic, scope, req.confirmed, Some(id), |w, affected| {
            w.audit(
                if created { "doctor.created" } else { "doctor.updated" },
                "doctor",
                id,
                format!(
                    "doctor {id}: active={}, branches {:?}, {affected} appointment(s) to rebook",
                    req.active, req.branch_ids
                ),
            )
        })
    })
}

/// Replaces a doctor's weekly hours (several sessions a day allowed, each with its slot length).
pub fn save_doctor_hours(ctx: &Ctx, req: DoctorHoursRequest) -> Result<ChangeOutcome> {
    let mut rows = Vec::with_capacity(req.hours.len());
    for h in &req.hours {
        if !(5..=240).contains(&h.slot_minutes) {
            return Err(Error::invalid("hours", "A slot lasts 5 to 240 minutes. Fix the slot length."));
        }
        rows.push((
            h.branch_id,
            weekday(h.weekday)?,
            minute(&h.start, "hours", false)?,
            minute(&h.end, "hours", true)?,
            h.slot_minutes,
        ));
    }
    // A doctor is in one place at a time: no two sessions overlap, whatever the branch.
    check_week(rows.iter().map(|&(_, d, s, e, _)| (d, s, e)), "hours", "The doctor's sessions")?;
    ctx.write(Action::ManagePractice, |w, _, clinic| {
        let exists: bool =
            w.conn().query_row("SELECT EXISTS(SELECT 1 FROM doctor WHERE id = ?1)", [req.doctor_id], |r| r.get(0))?;
        if !exists {
            return Err(Error::NotFound("That doctor no longer exists. Reopen the doctors list.".into()));
        }
        for (branch_id, ..) in &rows {
            let works: bool = w.conn().query_row(
                "SELECT EXISTS(SELECT 1 FROM doctor_branch WHERE doctor_id = ?1 AND branch_id = ?2)",
                params![req.doctor_id, branch_id],
                |r| r.get(0),
            )?;
            if !works {
                return Err(Error::invalid(
                    "hours",
                    "Hours are set at a branch the doctor does not work at. Add the branch to the doctor first.",
                ));
            }
        }
        w.conn().execute("DELETE FROM availability_template WHERE doctor_id = ?1", [req.doctor_id])?;
        for (branch_id, day, start, end, slot) in &rows {
            w.conn().execute(
                "INSERT INTO availability_template (doctor_id, branch_id, weekday, start_minute, end_minute, slot_minutes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![req.doctor_id, branch_id, day, start, end, slot],
            )?;
        }
        let scope = Scope { doctor_id: Some(req.doctor_id), ..Scope::default() };
        settle(w, clinic, scope, req.confirmed, Some(req.doctor_id), |w, affected| {
            w.audit(
                "doctor.hours_changed",
                "doctor",
                req.doctor_id,
                format!("doctor {}: {} weekly session(s), {affected} appointment(s) to rebook", req.doctor_id, rows.len()),
            )
        })
    })
}

/// Adds leave or training for a doctor, or a holiday for the clinic or one branch.
pub fn add_exception(ctx: &Ctx, req: AddExceptionRequest) -> Result<ChangeOutcome> {
    let reason = optional_text(&req.reason, 200, "reason")?;
    let from = parse_date(&req.starts_on, "starts_on")?;
    let to = parse_date(&req.ends_on, "ends_on")?;
    if to < from {
        return Err(Error::invalid("ends_on", "The last day is before the first. Pick a later last day."));
    }
    if (to - from).num_days() > 366 {
        return Err(Error::invalid(
            "ends_on",
            "An exception lasts at most a year. Split it, or deactivate the doctor.",
        ));
    }
    match (req.kind, req.doctor_id) {
        (ExceptionKind::Holiday, Some(_)) => {
            return Err(Error::invalid(
                "doctor_id",
                "A holiday closes the clinic or a branch; for one doctor use leave.",
            ))
        }
        (ExceptionKind::Leave | ExceptionKind::Training, None) => {
            return Err(Error::invalid("doctor_id", "Pick the doctor who is away."))
        }
        _ => {}
    }
    ctx.write(Action::ManagePractice, |w, _, clinic| {
        clock::check_date(from, w.now, "starts_on")?;
        clock::check_date(to, w.now, "ends_on")?;
        if let Some(d) = req.doctor_id {
            let exists: bool =
                w.conn().query_row("SELECT EXISTS(SELECT 1 FROM doctor WHERE id = ?1)", [d], |r| r.get(0))?;
            if !exists {
                return Err(Error::invalid("doctor_id", "That doctor no longer exists. Pick again."));
            }
        }
        if let Some(b) = req.branch_id {
            let exists: bool =
                w.conn().query_row("SELECT EXISTS(SELECT 1 FROM branch WHERE id = ?1)", [b], |r| r.get(0))?;
            if !exists {
                return Err(Error::invalid("branch_id", "That branch no longer exists. Pick again."));
            }
        }
        w.conn().execute(
            "INSERT INTO availability_exception (doctor_id, branch_id, kind, starts_on, ends_on, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![req.doctor_id, req.branch_id, req.kind.as_str(), from.to_string(), to.to_string(), reason],
        )?;
        let id = w.conn().last_insert_rowid();
        let scope = Scope { doctor_id: req.doctor_id, branch_id: req.branch_id, dates: Some((from, to)) };
        settle(w, clinic, scope, req.confirmed, Some(id), |w, affected| {
            w.audit(
                "availability.exception_added",
                "availability_exception",
                id,
                format!(
                    "{} from {from} to {to}, doctor {:?}, branch {:?}, {affected} appointment(s) to rebook",
                    req.kind.as_str(),
                    req.doctor_id,
                    req.branch_id
                ),
            )
        })
    })
}

/// Removes an exception (the time becomes bookable again).
pub fn remove_exception(ctx: &Ctx, req: ExceptionRequest) -> Result<()> {
    ctx.write(Action::ManagePractice, |w, _, _| {
        let n = w.conn().execute("DELETE FROM availability_exception WHERE id = ?1", [req.exception_id])?;
        if n == 0 {
            return Err(Error::NotFound("That exception was already removed.".into()));
        }
        w.audit(
            "availability.exception_removed",
            "availability_exception",
            req.exception_id,
            format!("exception {} removed", req.exception_id),
        )?;
        w.publish(Event::PracticeChanged);
        Ok(())
    })
}

/// Adds or changes a service: code, name, length, department, who may book it, active.
pub fn save_service(ctx: &Ctx, req: SaveServiceRequest) -> Result<i64> {
    let code = req.code.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(Error::invalid(
            "code",
            "Enter a short code of letters, digits and dashes (at most 16), e.g. \"GP-15\".",
        ));
    }
    let name = text(&req.name, 80, "name", "Enter the service's name, e.g. \"General consultation\".")?;
    let department = optional_text(&req.department, 80, "department")?;
    if !(5..=480).contains(&req.duration_minutes) {
        return Err(Error::invalid("duration_minutes", "A service lasts 5 to 480 minutes. Fix the length."));
    }
    ctx.write(Action::ManagePractice, |w, _, _| {
        let taken: Option<String> = w
            .conn()
            .query_row("SELECT name FROM service WHERE code = ?1 AND id IS NOT ?2", params![code, req.id], |r| r.get(0))
            .optional()?;
        if let Some(other) = taken {
            return Err(Error::invalid(
                "code",
                format!("{code} is already the code of \"{other}\". Pick another code."),
            ));
        }
        let id = match req.id {
            Some(id) => {
                let n = w.conn().execute(
                    "UPDATE service SET code = ?2, name = ?3, duration_minutes = ?4, department = ?5,
                            new_patient_rule = ?6, active = ?7 WHERE id = ?1",
                    params![
                        id,
                        code,
                        name,
                        req.duration_minutes,
                        department,
                        req.new_patient_rule.as_str(),
                        req.active
                    ],
                )?;
                if n == 0 {
                    return Err(Error::NotFound("That service no longer exists. Reopen the services list.".into()));
                }
                id
            }
            None => {
                w.conn().execute(
                    "INSERT INTO service (code, name, duration_minutes, department, new_patient_rule, active)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![code, name, req.duration_minutes, department, req.new_patient_rule.as_str(), req.active],
                )?;
                w.conn().last_insert_rowid()
            }
        };
        w.audit(
            if req.id.is_some() { "service.updated" } else { "service.created" },
            "service",
            id,
            format!(
                "service {id}: code {code}, {} min, rule {}, active={}",
                req.duration_minutes,
                req.new_patient_rule.as_str(),
                req.active
            ),
        )?;
        w.publish(Event::PracticeChanged);
        Ok(id)
    })
}

/// Hides or shows the first-run checklist on the owner's home.
pub fn set_checklist_dismissed(ctx: &Ctx, req: ChecklistRequest) -> Result<()> {
    ctx.write(Action::ManagePractice, |w, _, _| {
        w.conn().execute("UPDATE clinic SET checklist_dismissed = ?1 WHERE id = 1", [req.dismissed])?;
        w.audit(
            "clinic.checklist",
            "clinic",
            1,
            if req.dismissed { "setup checklist dismissed" } else { "setup checklist shown" },
        )?;
        w.publish(Event::PracticeChanged);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Booked appointments a change leaves behind.

/// Which booked appointments a change can touch: a doctor's, a branch's, over some days.
#[derive(Default)]
struct Scope {
    doctor_id: Option<i64>,
    branch_id: Option<i64>,
    dates: Option<(NaiveDate, NaiveDate)>,
}

/// At most this many affected appointments are listed in an answer (the rest are still saved to
/// rebook).
const AFFECTED_SHOWN: usize = 500;

/// Ends a change that can strand booked appointments: with none stranded, or when confirmed, it
/// is audited, the stranded ones are listed to rebook and the change is saved; otherwise it is
/// rolled back and the answer lists them.
fn settle(
    w: &mut Write<'_>,
    clinic: &Clinic,
    scope: Scope,
    confirmed: bool,
    id: Option<i64>,
    audit: impl FnOnce(&mut Write<'_>, usize) -> Result<i64>,
) -> Result<ChangeOutcome> {
    let mut affected = stranded(w.conn(), clinic, w.now, &scope)?;
    if !affected.is_empty() && !confirmed {
        w.nothing_changed();
        affected.truncate(AFFECTED_SHOWN);
        return Ok(ChangeOutcome { saved: false, id: None, affected });
    }
    for a in &affected {
        w.conn().execute(
            "INSERT INTO rebook_needed (appointment_id, reason, since) VALUES (?1, ?2, ?3)
             ON CONFLICT (appointment_id) DO UPDATE SET reason = excluded.reason",
            params![a.appointment_id, a.reason, w.now],
        )?;
    }
    audit(w, affected.len())?;
    w.publish(Event::PracticeChanged);
    affected.truncate(AFFECTED_SHOWN);
    Ok(ChangeOutcome { saved: true, id, affected })
}

/// The booked appointments in `scope`, from now on, that the booking rule would now refuse.
fn stranded(conn: &Connection, clinic: &Clinic, now: i64, scope: &Scope) -> Result<Vec<AffectedAppointment>> {
    let (from, to) = match scope.dates {
        Some((a, b)) => (day_bounds(clinic.timezone, a).0.max(now), day_bounds(clinic.timezone, b).1),
        None => (now, i64::MAX),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT a.id FROM appointment a
         WHERE a.status IN ('booked', 'confirmed') AND a.starts_at >= ?1 AND a.starts_at < ?2
           AND (?3 IS NULL OR a.doctor_id = ?3) AND (?4 IS NULL OR a.branch_id = ?4)
         ORDER BY a.starts_at",
    )?;
    let ids: Vec<i64> = stmt
        .query_map(params![from, to, scope.doctor_id, scope.branch_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(a) = still_stranded(conn, clinic, id)? {
            out.push(a);
        }
    }
    Ok(out)
}

/// The appointment, with why it can no longer take place as booked; `None` if it still fits.
fn still_stranded(conn: &Connection, clinic: &Clinic, appointment_id: i64) -> Result<Option<AffectedAppointment>> {
    let row: (i64, String, i64, String, i64, String, i64, i64) = conn.query_row(
        "SELECT a.patient_id, p.given_name || ' ' || p.family_name, a.doctor_id, d.display_name,
                a.branch_id, b.name, a.starts_at, a.ends_at
         FROM appointment a JOIN patient p ON p.id = a.patient_id JOIN doctor d ON d.id = a.doctor_id
         JOIN branch b ON b.id = a.branch_id WHERE a.id = ?1",
        [appointment_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
    )?;
    let (patient_id, patient_name, doctor_id, doctor_name, branch_id, branch_name, starts_at, ends_at) = row;
    let Some((_, reason)) = booking::unavailable(conn, clinic, doctor_id, branch_id, starts_at, ends_at)? else {
        return Ok(None);
    };
    let date = local_date(clinic.timezone, starts_at);
    Ok(Some(AffectedAppointment {
        appointment_id,
        patient_id,
        patient_name,
        doctor_name,
        branch_name,
        date: date.to_string(),
        date_label: clinic.date_label(date),
        start_local: clock::wall_label(clinic.timezone, starts_at),
        reason,
    }))
}

/// The listed appointments still booked, still ahead and still outside their doctor's hours.
fn rebook_list(conn: &Connection, clinic: &Clinic, now: i64) -> Result<Vec<AffectedAppointment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.appointment_id FROM rebook_needed r JOIN appointment a ON a.id = r.appointment_id
         WHERE a.status IN ('booked', 'confirmed') AND a.starts_at >= ?1 ORDER BY a.starts_at LIMIT ?2",
    )?;
    let ids: Vec<i64> =
        stmt.query_map(params![now, AFFECTED_SHOWN as i64], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(a) = still_stranded(conn, clinic, id)? {
            out.push(a);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Validation.

fn text(raw: &str, max: usize, field: &'static str, empty: &str) -> Result<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Error::invalid(field, empty));
    }
    optional_text(t, max, field)
}

fn optional_text(raw: &str, max: usize, field: &'static str) -> Result<String> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(Error::invalid(field, format!("Keep it to {max} characters.")));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(field, "Remove the line breaks and tabs."));
    }
    Ok(t.to_owned())
}

fn weekday(d: u8) -> Result<i64> {
    if d > 6 {
        return Err(Error::invalid("hours", "Pick a weekday from Monday to Sunday."));
    }
    Ok(d as i64)
}

/// "9:00", "09:30", "17" → minutes from midnight; "24:00" only as an end.
fn minute(raw: &str, field: &'static str, is_end: bool) -> Result<i64> {
    let t = raw.trim();
    let (h, m) = t.split_once(':').unwrap_or((t, "0"));
    let parsed = h.trim().parse::<i64>().ok().zip(m.trim().parse::<i64>().ok());
    match parsed {
        Some((h, m)) if (0..=23).contains(&h) && (0..=59).contains(&m) => Ok(h * 60 + m),
        Some((24, 0)) if is_end => Ok(1440),
        _ => Err(Error::invalid(
            field,
            format!("\"{t}\" is not a time of day. Use 24-hour time such as 09:00 or 17:30."),
        )),
    }
}

fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Each range ends after it starts, and no two on the same weekday overlap.
fn check_week(ranges: impl Iterator<Item = (i64, i64, i64)>, field: &'static str, what: &str) -> Result<()> {
    let mut seen: Vec<(i64, i64, i64)> = Vec::new();
    for (day, start, end) in ranges {
        if end <= start {
            return Err(Error::invalid(
                field,
                format!(
                    "{what} on {} end at {} before they start at {}. Fix the times.",
                    day_name(day),
                    hhmm(end),
                    hhmm(start)
                ),
            ));
        }
        if let Some(&(_, s, e)) = seen.iter().find(|(d, s, e)| *d == day && *s < end && start < *e) {
            return Err(Error::invalid(
                field,
                format!(
                    "{what} on {} overlap: {}–{} and {}–{}. Make them follow each other.",
                    day_name(day),
                    hhmm(s),
                    hhmm(e),
                    hhmm(start),
                    hhmm(end)
                ),
            ));
        }
        seen.push((day, start, end));
    }
    Ok(())
}

fn day_name(day: i64) -> &'static str {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][day.clamp(0, 6) as usize]
}
