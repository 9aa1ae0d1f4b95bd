//! The day's schedule: one column per doctor, the appointments in the clinic's zone, counts by
//! status, and the status changes the front desk makes all day (arrived, in room, completed...).
//!
//! Below the wait list and booking, this module owns the two rules every appointment change
//! shares: [`first_clash`], the one check that a doctor's and a patient's calendars are free, and
//! [`move_to`], the one place an appointment's status is written, which runs that check whenever
//! a status change makes an appointment hold its time again.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clinic::{self, Clinic};
use crate::desk::{Caller, Ctx};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::{Action, Role};
use crate::status::{can_move, next_statuses, Source, Status, HOLDS_TIME};

/// The longest an appointment that holds time may last. Migration 0006 refuses a longer one, so
/// an appointment overlapping `[starts_at, ends_at)` starts after `starts_at - LONGEST_HOLD` and
/// a calendar check reads one short index range.
pub(crate) const LONGEST_HOLD: i64 = 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    #[default]
    Any,
    /// Starting before 12:00 in the clinic's zone.
    Morning,
    /// Starting at 12:00 or later.
    Afternoon,
}

impl TimeOfDay {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeOfDay::Any => "any",
            TimeOfDay::Morning => "morning",
            TimeOfDay::Afternoon => "afternoon",
        }
    }

    pub fn parse(s: &str) -> TimeOfDay {
        match s {
            "morning" => TimeOfDay::Morning,
            "afternoon" => TimeOfDay::Afternoon,
            _ => TimeOfDay::Any,
        }
    }

    pub(crate) fn admits(self, local_minute: i64) -> bool {
        match self {
            TimeOfDay::Any => true,
            TimeOfDay::Morning => local_minute < 12 * 60,
            TimeOfDay::Afternoon => local_minute >= 12 * 60,
        }
    }
}

/// A doctor's time at a branch: a free slot to book, or the time an appointment gave back.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
pub struct Slot {
    pub doctor_id: i64,
    pub doctor_name: String,
    pub department: String,
    pub branch_id: i64,
    pub branch_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// `YYYY-MM-DD` in the clinic's zone.
    pub date: String,
    pub start_local: String,
    pub end_local: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct DayRequest {
    /// `YYYY-MM-DD` in the clinic's zone; today when absent.
    pub date: Option<String>,
    /// Only this branch; all branches when absent.
    pub branch_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Branch {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DoctorColumn {
    pub id: i64,
    pub name: String,
    pub department: String,
    /// Working hours that day, e.g. "09:00–13:00, 14:00–17:00"; empty when not scheduled.
    pub hours: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AppointmentRow {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub patient_age: Option<i64>,
    pub doctor_id: i64,
    pub branch_id: i64,
    pub service_code: String,
    pub service_name: String,
    /// Unix seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    /// `HH:MM` in the clinic's zone.
    pub start_local: String,
    pub end_local: String,
    pub status: Status,
    pub source: Source,
    pub reason: String,
    pub notes: String,
    pub arrived_at: Option<i64>,
    pub in_room_at: Option<i64>,
    pub completed_at: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct StatusCounts {
    pub booked: i64,
    pub confirmed: i64,
    pub arrived: i64,
    pub in_room: i64,
    pub completed: i64,
    pub no_show: i64,
    pub cancelled: i64,
    pub rescheduled: i64,
}

impl StatusCounts {
    fn add(&mut self, s: Status, n: i64) {
        *match s {
            Status::Booked => &mut self.booked,
            Status::Confirmed => &mut self.confirmed,
            Status::Arrived => &mut self.arrived,
            Status::InRoom => &mut self.in_room,
            Status::Completed => &mut self.completed,
            Status::NoShow => &mut self.no_show,
            Status::Cancelled => &mut self.cancelled,
            Status::Rescheduled => &mut self.rescheduled,
        } += n;
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DayView {
    /// `YYYY-MM-DD` in the clinic's zone.
    pub date: String,
    pub today: String,
    pub timezone: String,
    /// The zone's abbreviation that day, e.g. "IST" or "EST".
    pub zone_label: String,
    pub branches: Vec<Branch>,
    pub branch_id: Option<i64>,
    pub doctors: Vec<DoctorColumn>,
    pub appointments: Vec<AppointmentRow>,
    pub counts: StatusCounts,
    /// Holidays and leave that day ("Clinic holiday", "Dr. Rao on leave: Conference").
    pub notices: Vec<String>,
    pub wait_amber_minutes: i64,
    pub wait_red_minutes: i64,
    /// True when the caller's role may change statuses.
    pub can_update: bool,
    /// A doctor's account: statuses may be changed only on this doctor's appointments (their
    /// patients). `None` for every other role.
    pub only_doctor_id: Option<i64>,
}

/// The local calendar day of `at` in `tz`.
pub fn local_date(tz: Tz, at: i64) -> NaiveDate {
    DateTime::from_timestamp(at, 0).unwrap_or_default().with_timezone(&tz).date_naive()
}

/// The UTC bounds `[start, end)` of a local day, correct across daylight-saving changes.
pub fn day_bounds(tz: Tz, date: NaiveDate) -> (i64, i64) {
    let start_of = |d: NaiveDate| -> i64 {
        let midnight = d.and_time(NaiveTime::MIN);
        // Midnight may not exist (zones that jump at 00:00); take the first instant of the day.
        match tz.from_local_datetime(&midnight).earliest() {
            Some(t) => t.timestamp(),
            None => tz
                .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
                .map(|t| t.timestamp())
                .unwrap_or(0),
        }
    };
    let next = date.succ_opt().unwrap_or(date);
    (start_of(date), start_of(next))
}

/// Formats instants as local wall-clock `HH:MM`. Within one day the zone's offset is almost
/// always constant, so the day view computes it once instead of once per row; on the rare day
/// with a daylight-saving change it falls back to the full zone lookup.
#[derive(Clone, Copy)]
struct LocalClock {
    tz: Tz,
    fixed_offset: Option<i64>,
    /// The local day every instant formatted by this clock falls on, when known.
    day: Option<NaiveDate>,
}

impl LocalClock {
    fn any_day(tz: Tz) -> LocalClock {
        LocalClock { tz, fixed_offset: None, day: None }
    }

    fn for_day(tz: Tz, day: NaiveDate, (start, end): (i64, i64)) -> LocalClock {
        let offset = |at: i64| {
            use chrono::Offset;
            tz.offset_from_utc_datetime(&DateTime::from_timestamp(at, 0).unwrap_or_default().naive_utc())
                .fix()
                .local_minus_utc()
        };
        let (a, b) = (offset(start), offset(end - 1));
        LocalClock { tz, fixed_offset: (a == b).then_some(i64::from(a)), day: Some(day) }
    }

    fn hhmm(self, at: i64) -> String {
        match self.fixed_offset {
            Some(offset) => {
                let minutes = (at + offset).rem_euclid(86_400) / 60;
                let mut s = String::with_capacity(5);
                let (h, m) = (minutes / 60, minutes % 60);
                for d in [h / 10, h % 10] {
                    s.push(char::from(b'0' + d as u8));
                }
                s.push(':');
                for d in [m / 10, m % 10] {
                    s.push(char::from(b'0' + d as u8));
                }
                s
            }
            // A day with a daylight-saving change: the repeated hour is labelled with its zone.
            None => crate::clock::wall_label(self.tz, at),
        }
    }
}

pub(crate) fn parse_date(s: &str, field: &'static str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("\"{s}\" is not a date. Use the form 2026-05-04.")))
}

pub(crate) fn age_on(dob: Option<String>, on: NaiveDate) -> Option<i64> {
    age_on_str(dob.as_deref(), on)
}

/// [`age_on`] for a borrowed `YYYY-MM-DD` (the day view reads it straight from the row).
fn age_on_str(dob: Option<&str>, on: NaiveDate) -> Option<i64> {
    let dob = dob?;
    // Stored dates are always `YYYY-MM-DD`; read the digits directly (a format-string parse per row
    // was a measurable part of a 2,000-row day).
    let num = |range: std::ops::Range<usize>| dob.get(range)?.parse::<u32>().ok();
    let dob = match (dob.len(), dob.as_bytes().get(4), dob.as_bytes().get(7)) {
        (10, Some(b'-'), Some(b'-')) => NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?,
        _ => NaiveDate::parse_from_str(dob, "%Y-%m-%d").ok()?,
    };
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    Some(i64::from(years.max(0)))
}

const SELECT_APPOINTMENT: &str = "
    SELECT a.id, a.patient_id, p.given_name, p.family_name, p.date_of_birth, a.doctor_id, a.branch_id,
           s.code, s.name, a.starts_at, a.ends_at, a.status, a.source, a.reason, a.notes,
           a.arrived_at, a.in_room_at, a.completed_at
    FROM appointment a
    JOIN patient p ON p.id = a.patient_id
    JOIN service s ON s.id = a.service_id";

fn appointment_from_row(
    r: &rusqlite::Row<'_>,
    clock: LocalClock,
    show_patient: bool,
) -> rusqlite::Result<AppointmentRow> {
    let tz = clock.tz;
    let id: i64 = r.get(0)?;
    let patient_id: i64 = r.get(1)?;
    let starts_at: i64 = r.get(9)?;
    let ends_at: i64 = r.get(10)?;
    let status = Status::parse(r.get_ref(11)?.as_str()?).unwrap_or(Status::Booked);
    let source = Source::parse(r.get_ref(12)?.as_str()?).unwrap_or(Source::Phone);
    let (patient_name, patient_age) = if show_patient {
        let given = r.get_ref(2)?.as_str()?;
        let family = r.get_ref(3)?.as_str()?;
        let on = clock.day.unwrap_or_else(|| local_date(tz, starts_at));
        (format!("{given} {family}"), age_on_str(r.get_ref(4)?.as_str_or_null()?, on))
    } else {
        (format!("Patient #{patient_id}"), None)
    };
    Ok(AppointmentRow {
        id,
        patient_id,
        patient_name,
        patient_age,
        doctor_id: r.get(5)?,
        branch_id: r.get(6)?,
        service_code: r.get(7)?,
        service_name: r.get(8)?,
        starts_at,
        ends_at,
        start_local: clock.hhmm(starts_at),
        end_local: clock.hhmm(ends_at),
        status,
        source,
        reason: if show_patient { r.get(13)? } else { String::new() },
        notes: if show_patient { r.get(14)? } else { String::new() },
        arrived_at: r.get(15)?,
        in_room_at: r.get(16)?,
        completed_at: r.get(17)?,
    })
}

/// The schedule of one local day.
pub fn day(ctx: &Ctx, req: DayRequest) -> Result<DayView> {
    ctx.read(Action::ViewSchedule, |conn, caller, clinic| {
        let today = local_date(clinic.timezone, ctx.now);
        let date = match req.date.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => crate::clock::check_date(parse_date(d, "date")?, ctx.now, "date")?,
            None => today,
        };
        let view = day_view(conn, clinic, date, req.branch_id, caller.may(Action::ViewPatient))?;
        let (can_update, only_doctor_id) = match status_scope(conn, caller)? {
            StatusScope::Any => (true, None),
            StatusScope::Doctor(id) => (true, Some(id)),
            StatusScope::Nothing => (false, None),
        };
        Ok(DayView { today: today.to_string(), can_update, only_doctor_id, ..view })
    })
}

/// Today's appointments by status, all branches: the frame's open count, without the day's rows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TodayCounts {
    /// `YYYY-MM-DD` in the clinic's zone.
    pub today: String,
    pub counts: StatusCounts,
}

/// Today's counts by status (what [`day`] reports as `counts` for today and all branches), read
/// with one indexed count instead of the day's rows.
pub fn today_counts(ctx: &Ctx) -> Result<TodayCounts> {
    ctx.read(Action::ViewSchedule, |conn, _, clinic| {
        let today = local_date(clinic.timezone, ctx.now);
        let (start, end) = day_bounds(clinic.timezone, today);
        let mut stmt = conn.prepare_cached(
            "SELECT status, COUNT(*) FROM appointment WHERE starts_at >= ?1 AND starts_at < ?2 GROUP BY status",
        )?;
        let mut counts = StatusCounts::default();
        let mut rows = stmt.query([start, end])?;
        while let Some(r) = rows.next()? {
            let (status, n): (String, i64) = (r.get(0)?, r.get(1)?);
            if let Some(s) = Status::parse(&status) {
                counts.add(s, n);
            }
        }
        Ok(TodayCounts { today: today.to_string(), counts })
    })
}

/// Whose appointments a caller may move through their status.
enum StatusScope {
    Any,
    /// A doctor: only the appointments of the doctor on the schedule their account is linked to.
    Doctor(i64),
    Nothing,
}

/// "Their patients" in the role table, exactly: a doctor's account moves the appointments of the
/// doctor it is linked to (Staff → "Doctor on the schedule"), and no one else's; an account not
/// linked to a doctor moves none. Every other role with the action moves any appointment.
fn status_scope(conn: &Connection, caller: &Caller) -> Result<StatusScope> {
    if !caller.may(Action::UpdateAppointmentStatus) {
        return Ok(StatusScope::Nothing);
    }
    if caller.role != Role::Doctor {
        return Ok(StatusScope::Any);
    }
    let linked: Option<i64> =
        conn.query_row("SELECT id FROM doctor WHERE staff_id = ?1", [caller.staff_id], |r| r.get(0)).optional()?;
    Ok(linked.map_or(StatusScope::Nothing, StatusScope::Doctor))
}

/// Refuses a status change the caller may not make on this appointment (see [`status_scope`]).
fn check_status_scope(conn: &Connection, caller: &Caller, appointment: &AppointmentRow) -> Result<()> {
    match status_scope(conn, caller)? {
        StatusScope::Any => Ok(()),
        StatusScope::Doctor(id) if id == appointment.doctor_id => Ok(()),
        StatusScope::Doctor(_) => Err(Error::NotTheirPatient(
            "Doctors move only their own patients through the visit; this appointment is with another doctor. Ask the front desk."
                .into(),
        )),
        StatusScope::Nothing => Err(Error::NotTheirPatient(
            "Your account is not linked to a doctor on the schedule, so there are no patients of yours to move. Ask the clinic owner or an admin to link it in Staff."
                .into(),
        )),
    }
}

/// The query behind [`day`], without the session; the benchmark measures it.
pub fn day_view(
    conn: &Connection,
    clinic: &clinic::Clinic,
    date: NaiveDate,
    branch_id: Option<i64>,
    show_patient: bool,
) -> Result<DayView> {
    let tz = clinic.timezone;
    let (start, end) = day_bounds(tz, date);
    let clock = LocalClock::for_day(tz, date, (start, end));

    let mut stmt = conn.prepare_cached("SELECT id, name FROM branch WHERE active = 1 ORDER BY name")?;
    let branches: Vec<Branch> =
        stmt.query_map([], |r| Ok(Branch { id: r.get(0)?, name: r.get(1)? }))?.collect::<rusqlite::Result<_>>()?;
    if let Some(b) = branch_id {
        if !branches.iter().any(|x| x.id == b) {
            return Err(Error::invalid("branch_id", "That branch does not exist or is closed. Pick another branch."));
        }
    }

    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_APPOINTMENT} WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND (?3 IS NULL OR a.branch_id = ?3)
         ORDER BY a.starts_at, a.doctor_id"
    ))?;
    let appointments: Vec<AppointmentRow> = stmt
        .query_map(params![start, end, branch_id], |r| appointment_from_row(r, clock, show_patient))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = StatusCounts::default();
    for a in &appointments {
        counts.add(a.status, 1);
    }

    // Doctors working that weekday at the branch, plus any with appointments that day.
    let weekday = date.weekday().num_days_from_monday() as i64;
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.display_name, d.department,
                (SELECT group_concat(printf('%02d:%02d–%02d:%02d', t.start_minute / 60, t.start_minute % 60,
                                             t.end_minute / 60, t.end_minute % 60), ', ')
                 FROM (SELECT * FROM availability_template t
                       WHERE t.doctor_id = d.id AND t.weekday = ?1 AND (?2 IS NULL OR t.branch_id = ?2)
                       ORDER BY t.start_minute) t)
         FROM doctor d WHERE d.active = 1 ORDER BY d.display_name",
    )?;
    let all: Vec<(i64, String, String, Option<String>)> = stmt
        .query_map(params![weekday, branch_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let doctors = all
        .into_iter()
        .filter(|(id, _, _, hours)| hours.is_some() || appointments.iter().any(|a| a.doctor_id == *id))
        .map(|(id, name, department, hours)| DoctorColumn { id, name, department, hours: hours.unwrap_or_default() })
        .collect();

    let mut stmt = conn.prepare_cached(
        "SELECT e.kind, e.reason, d.display_name, b.name FROM availability_exception e
         LEFT JOIN doctor d ON d.id = e.doctor_id LEFT JOIN branch b ON b.id = e.branch_id
         WHERE e.starts_on <= ?1 AND e.ends_on >= ?1 AND (?2 IS NULL OR e.branch_id IS NULL OR e.branch_id = ?2)
         ORDER BY e.doctor_id IS NOT NULL, d.display_name",
    )?;
    let notices = stmt
        .query_map(params![date.to_string(), branch_id], |r| {
            let (kind, reason): (String, String) = (r.get(0)?, r.get(1)?);
            let (doctor, branch): (Option<String>, Option<String>) = (r.get(2)?, r.get(3)?);
            let what = match (kind.as_str(), doctor, branch) {
                ("leave", Some(d), _) => format!("{d} on leave"),
                (_, _, Some(b)) => format!("{b} closed"),
                _ => "Clinic closed".to_owned(),
            };
            Ok(if reason.is_empty() { what } else { format!("{what}: {reason}") })
        })?
        .collect::<rusqlite::Result<_>>()?;

    Ok(DayView {
        date: date.to_string(),
        today: String::new(),
        timezone: tz.name().to_owned(),
        zone_label: tz
            .from_utc_datetime(&DateTime::<Utc>::from_timestamp(start + 12 * 3600, 0).unwrap_or_default().naive_utc())
            .format("%Z")
            .to_string(),
        branches,
        branch_id,
        doctors,
        appointments,
        counts,
        notices,
        wait_amber_minutes: clinic.wait_amber_minutes,
        wait_red_minutes: clinic.wait_red_minutes,
        can_update: false,
        only_doctor_id: None,
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AppointmentRequest {
    pub appointment_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetStatusRequest {
    pub appointment_id: i64,
    pub status: Status,
    /// The person answered "yes" to an unusual arrival (another day, or hours early).
    #[serde(default)]
    pub confirmed: bool,
}

/// How early an arrival may be before the desk asks whether it is the right patient and day.
pub const EARLY_ARRIVAL_MINUTES: i64 = 60;

#[derive(Debug, Clone, Serialize, TS)]
pub struct PhoneRow {
    pub e164: String,
    /// As people in the clinic's region write it.
    pub display: String,
    pub label: String,
    /// The patient's relationship to the phone's holder: self, spouse, child, parent, sibling, other.
    pub relationship: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PatientCard {
    pub id: i64,
    pub name: String,
    pub date_of_birth: Option<String>,
    pub age: Option<i64>,
    pub sex: String,
    pub phones: Vec<PhoneRow>,
    pub email: Option<String>,
    pub mrn: Option<String>,
    pub health_card: Option<String>,
    pub preferred_language: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct HistoryEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub summary: String,
}

/// How the appointment was booked (seed 000 US-4) and what became of it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BookingInfo {
    pub caller_name: String,
    pub caller_relationship: String,
    pub referral: String,
    pub follow_up_on: Option<String>,
    pub cancel_reason: String,
    /// The appointment this one was moved to.
    pub rescheduled_to: Option<i64>,
    /// The appointment this one was moved from.
    pub rescheduled_from: Option<i64>,
    pub booked_by: Option<String>,
    pub booked_at: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AppointmentDetail {
    pub appointment: AppointmentRow,
    pub booking: BookingInfo,
    pub date: String,
    pub doctor_name: String,
    pub branch_name: String,
    pub patient: Option<PatientCard>,
    pub history: Vec<HistoryEntry>,
}

/// One appointment row (for modules that change appointments).
pub(crate) fn load_row(conn: &Connection, tz: Tz, id: i64, show_patient: bool) -> Result<AppointmentRow> {
    conn.query_row(&format!("{SELECT_APPOINTMENT} WHERE a.id = ?1"), [id], |r| {
        appointment_from_row(r, LocalClock::any_day(tz), show_patient)
    })
    .optional()?
    .ok_or_else(|| {
        Error::NotFound(format!("Appointment {id} was not found. It may have been removed; refresh the schedule."))
    })
}

/// One appointment with its patient card and change history, for the details drawer.
pub fn appointment(ctx: &Ctx, req: AppointmentRequest) -> Result<AppointmentDetail> {
    ctx.read(Action::ViewSchedule, |conn, caller, clinic| {
        let tz = clinic.timezone;
        let show_patient = caller.may(Action::ViewPatient);
        let appointment = load_row(conn, tz, req.appointment_id, show_patient)?;
        let (doctor_name, branch_name): (String, String) = conn.query_row(
            "SELECT d.display_name, b.name FROM doctor d, branch b WHERE d.id = ?1 AND b.id = ?2",
            params![appointment.doctor_id, appointment.branch_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let date = local_date(tz, appointment.starts_at);
        let patient = if show_patient { Some(patient_card(conn, clinic, appointment.patient_id, date)?) } else { None };
        if show_patient {
            // The details drawer shows who the patient is: a read of patient data, audited.
            ctx.note_read(caller, "patient.viewed_with_appointment", "patient", [appointment.patient_id]);
        }
        let mut stmt = conn.prepare_cached(
            "SELECT e.at, COALESCE(s.display_name, e.actor_role), e.action, e.summary
             FROM audit_event e LEFT JOIN staff s ON s.id = e.actor_staff_id
             WHERE e.entity = 'appointment' AND e.entity_id = ?1 ORDER BY e.seq DESC LIMIT 50",
        )?;
        let history = stmt
            .query_map([req.appointment_id.to_string()], |r| {
                Ok(HistoryEntry { at: r.get(0)?, actor: r.get(1)?, action: r.get(2)?, summary: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let booking = conn.query_row(
            "SELECT a.caller_name, a.caller_relationship, a.referral, a.follow_up_on, a.cancel_reason, a.rescheduled_to,
                    (SELECT id FROM appointment f WHERE f.rescheduled_to = a.id), s.display_name, a.created_at
             FROM appointment a LEFT JOIN staff s ON s.id = a.booked_by WHERE a.id = ?1",
            [req.appointment_id],
            |r| {
                Ok(BookingInfo {
                    caller_name: if show_patient { r.get(0)? } else { String::new() },
                    caller_relationship: r.get(1)?,
                    referral: r.get(2)?,
                    follow_up_on: r.get(3)?,
                    cancel_reason: r.get(4)?,
                    rescheduled_to: r.get(5)?,
                    rescheduled_from: r.get(6)?,
                    booked_by: r.get(7)?,
                    booked_at: r.get(8)?,
                })
            },
        )?;
        Ok(AppointmentDetail {
            appointment,
            booking,
            date: date.to_string(),
            doctor_name,
            branch_name,
            patient,
            history,
        })
    })
}

pub(crate) fn patient_card(conn: &Connection, clinic: &clinic::Clinic, id: i64, on: NaiveDate) -> Result<PatientCard> {
    let mut card = conn.query_row(
        "SELECT id, given_name || ' ' || family_name, date_of_birth, sex, email, mrn, health_card, preferred_language
         FROM patient WHERE id = ?1",
        [id],
        |r| {
            let dob: Option<String> = r.get(2)?;
            Ok(PatientCard {
                id: r.get(0)?,
                name: r.get(1)?,
                age: age_on(dob.clone(), on),
                date_of_birth: dob,
                sex: r.get(3)?,
                phones: Vec::new(),
                email: r.get(4)?,
                mrn: r.get(5)?,
                health_card: r.get(6)?,
                preferred_language: r.get(7)?,
            })
        },
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT e164, label, relationship, display FROM patient_phone WHERE patient_id = ?1 ORDER BY is_primary DESC, id",
    )?;
    card.phones = stmt
        .query_map([id], |r| {
            let e164: String = r.get(0)?;
            Ok(PhoneRow {
                display: crate::phone::shown(&e164, r.get(3)?, clinic.phone_region),
                e164,
                label: r.get(1)?,
                relationship: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(card)
}

/// Moves an appointment to a new status, recording arrival / in-room / completion times.
pub fn set_status(ctx: &Ctx, req: SetStatusRequest) -> Result<AppointmentRow> {
    // Marking what is already so changes nothing, and a change must write an audit entry: answer
    // it from a read.
    let current = ctx.read(Action::UpdateAppointmentStatus, |conn, caller, clinic| {
        let row = load_row(conn, clinic.timezone, req.appointment_id, caller.may(Action::ViewPatient))?;
        check_status_scope(conn, caller, &row)?;
        Ok(row)
    })?;
    if current.status == req.status {
        return Ok(current);
    }
    // Cancelling needs a reason and rescheduling a new slot; both may offer the freed slot to the
    // wait list. They have their own commands, so nothing skips those steps.
    match req.status {
        Status::Cancelled => {
            return Err(Error::invalid(
                "status",
                "Use Cancel on the appointment: it asks for the reason and offers the slot to the wait list.",
            ))
        }
        Status::Rescheduled => {
            return Err(Error::invalid(
                "status",
                "Use Reschedule on the appointment: it books the new slot before releasing this one.",
            ))
        }
        _ => {}
    }
    ctx.write(Action::UpdateAppointmentStatus, |w, caller, clinic| {
        let tz = clinic.timezone;
        let current = load_row(w.conn(), tz, req.appointment_id, true)?;
        check_status_scope(w.conn(), caller, &current)?;
        if !req.confirmed {
            unusual_arrival(clinic, &current, req.status, w.now)?;
        }
        move_to(w.conn(), clinic, &current, req.status, w.now)?;
        w.audit(
            "appointment.status_changed",
            "appointment",
            current.id,
            format!("{} → {}", current.status.as_str(), req.status.as_str()),
        )?;
        let updated = load_row(w.conn(), tz, current.id, caller.may(Action::ViewPatient))?;
        w.publish(Event::AppointmentChanged {
            appointment_id: updated.id,
            date: local_date(tz, updated.starts_at).to_string(),
        });
        Ok(updated)
    })
}

/// Asks before marking a patient arrived for an appointment on another day, or more than
/// [`EARLY_ARRIVAL_MINUTES`] before it starts: the usual sign of the wrong patient or the wrong row.
/// Arriving late is never questioned.
fn unusual_arrival(clinic: &Clinic, current: &AppointmentRow, to: Status, now: i64) -> Result<()> {
    let arriving = current.arrived_at.is_none() && matches!(to, Status::Arrived | Status::InRoom);
    if !arriving {
        return Ok(());
    }
    let tz = clinic.timezone;
    let (day, today) = (local_date(tz, current.starts_at), local_date(tz, now));
    let at = crate::clock::wall_label(tz, current.starts_at);
    if day != today {
        return Err(Error::NeedsConfirmation(format!(
            "This appointment is on {} at {at}, not today ({}). Mark the patient arrived anyway?",
            clinic.date_label(day),
            clinic.date_label(today)
        )));
    }
    let early = (current.starts_at - now) / 60;
    if early > EARLY_ARRIVAL_MINUTES {
        let (h, m) = (early / 60, early % 60);
        let ahead = if h == 0 { format!("{m} min") } else { format!("{h} h {m:02} min") };
        return Err(Error::NeedsConfirmation(format!(
            "This appointment is at {at}, {ahead} from now. Mark the patient arrived now anyway?"
        )));
    }
    Ok(())
}

/// Moves `current` to the status `to`: the one place an appointment's status is written, inside
/// the caller's transaction. It refuses a move the status cycle does not allow, and a move that
/// makes the appointment hold its time again (a no-show who turns up after all) once that time
/// was given to someone else or the patient was booked elsewhere meanwhile. Being in the past is
/// no reason to refuse: a patient may arrive late. Arrival, in-room and completion times follow
/// the visit; moving back (an undo) clears the later ones so wait times stay honest.
pub(crate) fn move_to(
    conn: &Connection,
    clinic: &Clinic,
    current: &AppointmentRow,
    to: Status,
    now: i64,
) -> Result<()> {
    if !can_move(current.status, to) {
        let allowed: Vec<&str> = next_statuses(current.status).iter().map(|s| s.label()).collect();
        return Err(Error::Conflict(format!(
            "This appointment is {}; it cannot be marked {}. {}",
            current.status.label(),
            to.label(),
            if allowed.is_empty() {
                "It is closed; book a new appointment instead.".to_owned()
            } else {
                format!("It can be marked: {}.", allowed.join(", "))
            }
        )));
    }
    if to.holds_time() && !current.status.holds_time() {
        let hold = Hold {
            doctor_id: current.doctor_id,
            patient_id: current.patient_id,
            starts_at: current.starts_at,
            ends_at: current.ends_at,
            own: Some(current.id),
        };
        if let Some(clash) = first_clash(conn, &hold)? {
            let whose = clash.whose(clinic, &hold);
            let whose = if clash.doctor_id == current.doctor_id { format!("{whose} in its time") } else { whose };
            return Err(Error::Conflict(format!(
                "This appointment cannot be marked {}: since it was marked {}, {whose}. Book a new slot, or add them as a walk-in.",
                to.label(),
                current.status.label()
            )));
        }
    }
    let (arrived, in_room, completed) = match to {
        Status::Arrived => (Some(current.arrived_at.unwrap_or(now)), None, None),
        Status::InRoom => (Some(current.arrived_at.unwrap_or(now)), Some(current.in_room_at.unwrap_or(now)), None),
        Status::Completed => (current.arrived_at, current.in_room_at, Some(now)),
        _ => (None, None, None),
    };
    conn.execute(
        "UPDATE appointment SET status = ?2, arrived_at = ?3, in_room_at = ?4, completed_at = ?5, updated_at = ?6 WHERE id = ?1",
        params![current.id, to.as_str(), arrived, in_room, completed, now],
    )?;
    Ok(())
}

/// The time an appointment holds, or would hold, on two calendars: its doctor's and its patient's.
pub(crate) struct Hold {
    pub doctor_id: i64,
    pub patient_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// The appointment itself, when it is already written (a move, a status change): it never
    /// collides with itself.
    pub own: Option<i64>,
}

/// An appointment that holds time where a [`Hold`] would.
pub(crate) struct Clash {
    pub id: i64,
    pub doctor_id: i64,
    pub doctor_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

impl Clash {
    /// Whose calendar is taken and by what, for a refusal: "Dr. X has appointment #12
    /// 09:00–09:15" when it is the doctor of `hold`, otherwise "the patient has appointment #12
    /// with Dr. Y 09:00–09:15 on Tue 24 Nov 2026".
    pub(crate) fn whose(&self, clinic: &Clinic, hold: &Hold) -> String {
        let tz = clinic.timezone;
        let clock = LocalClock::any_day(tz);
        let (from, until) = (clock.hhmm(self.starts_at), clock.hhmm(self.ends_at));
        if self.doctor_id == hold.doctor_id {
            format!("{} has appointment #{} {from}–{until}", self.doctor_name, self.id)
        } else {
            format!(
                "the patient has appointment #{} with {} {from}–{until} on {}",
                self.id,
                self.doctor_name,
                clinic.date_label(local_date(tz, self.starts_at))
            )
        }
    }
}

/// The first appointment holding time that overlaps `hold` on the doctor's calendar, or else on
/// the patient's. This is the collision check: every write that makes time held (booking,
/// rescheduling, a walk-in, the wait list, [`move_to`]) runs it in its own transaction, so the
/// check and the write cannot be separated; migration 0006's triggers refuse the same overlap
/// should any code path forget.
pub(crate) fn first_clash(conn: &Connection, hold: &Hold) -> Result<Option<Clash>> {
    for column in ["doctor_id", "patient_id"] {
        let owner = if column == "doctor_id" { hold.doctor_id } else { hold.patient_id };
        // The lower bound on starts_at keeps the read to a short range of the (owner, starts_at)
        // index; see LONGEST_HOLD.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT a.id, a.doctor_id, d.display_name, a.starts_at, a.ends_at
             FROM appointment a JOIN doctor d ON d.id = a.doctor_id
             WHERE a.{column} = ?1 AND a.starts_at > ?2 - {LONGEST_HOLD} AND a.starts_at < ?3 AND a.ends_at > ?2
               AND a.status IN {HOLDS_TIME} AND a.id IS NOT ?4
             ORDER BY a.starts_at LIMIT 1"
        ))?;
        let clash = stmt
            .query_row(params![owner, hold.starts_at, hold.ends_at, hold.own], |r| {
                Ok(Clash {
                    id: r.get(0)?,
                    doctor_id: r.get(1)?,
                    doctor_name: r.get(2)?,
                    starts_at: r.get(3)?,
                    ends_at: r.get(4)?,
                })
            })
            .optional()?;
        if clash.is_some() {
            return Ok(clash);
        }
    }
    Ok(None)
}

/// An active branch's name; an invalid `branch_id` otherwise.
pub(crate) fn branch_name(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row("SELECT name FROM branch WHERE id = ?1 AND active = 1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::invalid("branch_id", "Pick a branch from the list."))
}

/// The slot `[starts_at, ends_at)` of a doctor at a branch, named for the desk.
pub(crate) fn slot_at(
    conn: &Connection,
    tz: Tz,
    doctor_id: i64,
    branch_id: i64,
    (starts_at, ends_at): (i64, i64),
) -> Result<Slot> {
    let (doctor_name, department): (String, String) = conn
        .query_row("SELECT display_name, department FROM doctor WHERE id = ?1", [doctor_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| Error::invalid("doctor_id", "Pick a doctor from the list."))?;
    let clock = LocalClock::any_day(tz);
    Ok(Slot {
        doctor_id,
        doctor_name,
        department,
        branch_id,
        // A branch closed since keeps its appointments; the slot just goes unnamed.
        branch_name: branch_name(conn, branch_id).unwrap_or_default(),
        starts_at,
        ends_at,
        date: local_date(tz, starts_at).to_string(),
        start_local: clock.hhmm(starts_at),
        end_local: clock.hhmm(ends_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_whole_years_up_to_the_birthday() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(age_on_str(Some("2000-11-23"), on), Some(26), "on the birthday");
        assert_eq!(age_on_str(Some("2000-11-24"), on), Some(25), "the day before it");
        assert_eq!(age_on_str(Some("2024-02-29"), on), Some(2));
        assert_eq!(age_on_str(Some("2027-01-01"), on), Some(0), "a future date is never a negative age");
        assert_eq!(age_on_str(Some("2000-13-01"), on), None, "not a date");
        assert_eq!(age_on_str(Some("junk"), on), None);
        assert_eq!(age_on_str(None, on), None);
        assert_eq!(age_on(Some("1988-04-02".into()), on), Some(38));
    }
}
