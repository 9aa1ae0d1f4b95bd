//! Booking without double-booking: free slots from the doctors' weekly templates minus holidays,
//! leave and booked time; booking, rescheduling (the new slot checked first, the old released and
//! the new taken in the same transaction), cancelling with a reason, walk-ins, booking a
//! wait-listed patient, and "find the earliest slot".
//!
//! The guarantee: a doctor never holds two overlapping appointments and neither does a patient.
//! The check ([`schedule::first_clash`], the same one a status change runs) and the write happen
//! in one unit of work (`Ctx::write`, a `BEGIN IMMEDIATE` transaction), which SQLite serialises
//! across connections and processes, so two desks pressing "Book" at once get one booking and one
//! clear refusal. The schema refuses an overlap as well (migration 0006), whatever code writes it.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clinic::Clinic;
use crate::clock;
use crate::desk::{Caller, Ctx, Write};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;
use crate::schedule::{self, branch_name, local_date, parse_date, AppointmentRow, Hold, LONGEST_HOLD};
// The slot and time-of-day types live with the schedule (the wait list uses them too); they stay
// nameable here, where the booking form's wire types are.
pub use crate::schedule::{Slot, TimeOfDay};
use crate::status::{can_move, Source, Status, HOLDS_TIME};
use crate::waitlist::{self, WaitlistBookRequest, WaitlistOffer};

/// Slots are offered on a five-minute grid from the start of each shift.
const GRID_MINUTES: i64 = 5;

/// What to look for. Every filter is optional except the service (it sets the length).
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SlotQuery {
    pub service_id: i64,
    pub doctor_id: Option<i64>,
    /// A doctor's name as people say it: "Dr. Chen", "chen", "anita".
    pub doctor: Option<String>,
    pub department: Option<String>,
    pub branch_id: Option<i64>,
    pub time_of_day: Option<TimeOfDay>,
    /// `YYYY-MM-DD`; a past date is clamped to today. Default: today.
    pub from_date: Option<String>,
    /// `YYYY-MM-DD`, inclusive. Default: 60 days after `from_date` (the same day for `free_slots`).
    pub to_date: Option<String>,
    pub exclude_dates: Vec<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SlotList {
    pub slots: Vec<Slot>,
    /// The dates actually searched (after clamping a past start to today).
    pub searched_from: String,
    pub searched_to: String,
    pub timezone: String,
}

/// Everything the booking form offers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BookingOptions {
    pub branches: Vec<schedule::Branch>,
    pub departments: Vec<String>,
    pub doctors: Vec<DoctorOption>,
    pub services: Vec<ServiceOption>,
    pub relationships: Vec<String>,
    pub timezone: String,
    pub today: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DoctorOption {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub branch_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ServiceOption {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub duration_minutes: i64,
}

/// The appointment form of seed 000 US-4.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BookRequest {
    pub patient_id: i64,
    /// Who is on the phone; empty for walk-ins and when the patient calls.
    pub caller_name: String,
    /// The caller's relationship to the patient ("self" when the patient called).
    pub caller_relationship: String,
    pub doctor_id: i64,
    pub branch_id: i64,
    pub service_id: i64,
    pub starts_at: i64,
    /// The chief complaint.
    pub reason: String,
    pub source: Source,
    /// Source or referral details ("Dr. Rao's referral", "Google", "newspaper").
    pub referral: String,
    pub notes: String,
    pub follow_up: bool,
    /// `YYYY-MM-DD`, when `follow_up` is set.
    pub follow_up_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct RescheduleRequest {
    pub appointment_id: i64,
    pub doctor_id: i64,
    pub branch_id: i64,
    pub starts_at: i64,
    /// A different service (length); the current one when absent.
    pub service_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CancelRequest {
    pub appointment_id: i64,
    pub reason: String,
}

/// The result of a change that freed a slot: who on the wait list fits it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SlotChange {
    pub appointment: AppointmentRow,
    /// The new appointment, for a reschedule.
    pub new_appointment: Option<AppointmentRow>,
    pub freed: Option<Slot>,
    /// The service of the released appointment: the default for booking an offer into the slot.
    pub freed_service_id: Option<i64>,
    pub offers: Vec<WaitlistOffer>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct WalkInRequest {
    pub patient_id: i64,
    pub branch_id: i64,
    /// A particular doctor; the first free doctor at the branch when absent.
    pub doctor_id: Option<i64>,
    pub service_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WalkIn {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub branch_id: i64,
    pub doctor_id: Option<i64>,
    pub service_name: String,
    pub reason: String,
    pub arrived_at: i64,
}

/// A walk-in gets the next free minute today, or an untimed place on the walk-in list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WalkInResult {
    pub appointment: Option<AppointmentRow>,
    pub queued: Option<WalkIn>,
}

// ---------------------------------------------------------------------------------------------
// Reading the clinic's shape.

struct DoctorRow {
    id: i64,
    name: String,
    department: String,
}

struct Shift {
    branch_id: i64,
    weekday: u32,
    start: i64,
    end: i64,
    /// The grid its free slots start on, in minutes from the shift's start.
    slot: i64,
}

/// One doctor's shifts and busy intervals over the searched range.
struct DoctorCalendar {
    doctor: DoctorRow,
    shifts: Vec<Shift>,
    busy: Vec<(i64, i64)>,
}

struct Closure {
    kind: String,
    doctor_id: Option<i64>,
    branch_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
}

impl Closure {
    fn covers(&self, doctor: i64, branch: i64, date: NaiveDate) -> bool {
        self.from <= date
            && date <= self.to
            && self.doctor_id.is_none_or(|d| d == doctor)
            && self.branch_id.is_none_or(|b| b == branch)
    }
}

fn closures(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Closure>> {
    let mut stmt = conn.prepare_cached(
        "SELECT doctor_id, branch_id, starts_on, ends_on, kind FROM availability_exception WHERE starts_on <= ?2 AND ends_on >= ?1",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        let (a, b): (String, String) = (r.get(2)?, r.get(3)?);
        Ok((r.get(0)?, r.get(1)?, a, b, r.get(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (doctor_id, branch_id, a, b, kind) = row?;
        if let (Ok(from), Ok(to)) =
            (NaiveDate::parse_from_str(&a, "%Y-%m-%d"), NaiveDate::parse_from_str(&b, "%Y-%m-%d"))
        {
            out.push(Closure { kind, doctor_id, branch_id, from, to });
        }
    }
    Ok(out)
}

fn shifts_of(conn: &Connection, doctor_id: i64) -> Result<Vec<Shift>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.branch_id, t.weekday, t.start_minute, t.end_minute, t.slot_minutes FROM availability_template t
         JOIN branch b ON b.id = t.branch_id AND b.active = 1
         WHERE t.doctor_id = ?1 ORDER BY t.weekday, t.start_minute",
    )?;
    let rows = stmt.query_map([doctor_id], |r| {
        Ok(Shift { branch_id: r.get(0)?, weekday: r.get(1)?, start: r.get(2)?, end: r.get(3)?, slot: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Busy intervals of one doctor in `[from, to)`, sorted.
fn busy_of(conn: &Connection, doctor_id: i64, from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT starts_at, ends_at FROM appointment
         WHERE doctor_id = ?1 AND starts_at < ?3 AND ends_at > ?2 AND status IN {HOLDS_TIME} ORDER BY starts_at"
    ))?;
    let rows = stmt.query_map(params![doctor_id, from - LONGEST_HOLD, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn service(conn: &Connection, id: i64) -> Result<ServiceOption> {
    conn.query_row("SELECT id, code, name, duration_minutes FROM service WHERE id = ?1 AND active = 1", [id], |r| {
        Ok(ServiceOption { id: r.get(0)?, code: r.get(1)?, name: r.get(2)?, duration_minutes: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| Error::invalid("service_id", "Pick a service from the list."))
}

/// Lower-case name tokens without titles and punctuation: "Dr. Anita Chen" → ["anita", "chen"].
fn name_tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .filter(|t| !matches!(t.as_str(), "dr" | "doctor" | "doc"))
        .collect()
}

/// Whether a spoken doctor name ("Dr. Chen", "chen", "anita c") picks this doctor.
pub fn doctor_name_matches(query: &str, doctor_name: &str) -> bool {
    let q = name_tokens(query);
    let d = name_tokens(doctor_name);
    !q.is_empty() && q.iter().all(|t| d.iter().any(|n| n.starts_with(t.as_str())))
}

fn candidate_doctors(conn: &Connection, q: &SlotQuery) -> Result<Vec<DoctorRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.display_name, d.department FROM doctor d
         WHERE d.active = 1 AND (?1 IS NULL OR d.id = ?1)
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM doctor_branch db WHERE db.doctor_id = d.id AND db.branch_id = ?2))
         ORDER BY d.display_name",
    )?;
    let all: Vec<DoctorRow> = stmt
        .query_map(params![q.doctor_id, q.branch_id], |r| {
            Ok(DoctorRow { id: r.get(0)?, name: r.get(1)?, department: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let name = q.doctor.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let department = q.department.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    let picked: Vec<DoctorRow> = all
        .into_iter()
        .filter(|d| name.is_none_or(|n| doctor_name_matches(n, &d.name)))
        .filter(|d| department.as_ref().is_none_or(|dep| d.department.to_lowercase().contains(dep.as_str())))
        .collect();
    if picked.is_empty() {
        if let Some(n) = name {
            return Err(Error::invalid(
                "doctor",
                format!("No doctor matches \"{n}\". Check the spelling, or leave the doctor empty to search everyone."),
            ));
        }
        if let Some(dep) = &department {
            return Err(Error::invalid(
                "department",
                format!("No doctor works in \"{dep}\". Pick a department from the list."),
            ));
        }
    }
    Ok(picked)
}

struct Resolved {
    from: NaiveDate,
    to: NaiveDate,
    excluded: Vec<NaiveDate>,
    duration: i64,
    time_of_day: TimeOfDay,
    limit: usize,
}

fn resolve(
    q: &SlotQuery,
    clinic: &Clinic,
    conn: &Connection,
    now: i64,
    default_days: i64,
    default_limit: usize,
) -> Result<Resolved> {
    let today = local_date(clinic.timezone, now);
    let from = match q.from_date.as_deref().filter(|s| !s.trim().is_empty()) {
        // Searching from a past date starts today: the past has no free slots.
        Some(d) => clock::check_date(parse_date(d, "from_date")?, now, "from_date")?.max(today),
        None => today,
    };
    let to = match q.to_date.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(d) => clock::check_date(parse_date(d, "to_date")?, now, "to_date")?,
        None => from + Duration::days(default_days.clamp(0, 366)),
    };
    if to < from {
        return Err(Error::invalid("to_date", "The end date is before the start date. Pick a later end date."));
    }
    if (to - from).num_days() > 366 {
        return Err(Error::invalid("to_date", "Search at most a year at a time."));
    }
    let excluded = q.exclude_dates.iter().map(|d| parse_date(d, "exclude_dates")).collect::<Result<_>>()?;
    let duration = service(conn, q.service_id)?.duration_minutes;
    // A length stored out of range (by hand, or an import) must not reach the arithmetic.
    clock::end_of(0, duration, "service_id")?;
    Ok(Resolved {
        from,
        to,
        excluded,
        duration,
        time_of_day: q.time_of_day.unwrap_or_default(),
        limit: q.limit.map(|l| l.clamp(1, 1000) as usize).unwrap_or(default_limit),
    })
}

/// The free slots matching `q`, earliest first, at most `r.limit`.
fn compute_slots(conn: &Connection, clinic: &Clinic, q: &SlotQuery, r: &Resolved, now: i64) -> Result<Vec<Slot>> {
    let tz = clinic.timezone;
    let doctors = candidate_doctors(conn, q)?;
    let closed = closures(conn, r.from, r.to)?;
    let range_start = schedule::day_bounds(tz, r.from).0;
    let range_end = schedule::day_bounds(tz, r.to).1;
    let mut branch_names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let per_doctor: Vec<DoctorCalendar> = doctors
        .into_iter()
        .map(|d| {
            let shifts: Vec<Shift> =
                shifts_of(conn, d.id)?.into_iter().filter(|s| q.branch_id.is_none_or(|b| b == s.branch_id)).collect();
            let busy = busy_of(conn, d.id, range_start, range_end)?;
            Ok(DoctorCalendar { doctor: d, shifts, busy })
        })
        .collect::<Result<_>>()?;

    let mut slots = Vec::new();
    let mut date = r.from;
    while date <= r.to {
        if !r.excluded.contains(&date) {
            let weekday = date.weekday().num_days_from_monday();
            for DoctorCalendar { doctor, shifts, busy } in &per_doctor {
                for shift in shifts.iter().filter(|s| s.weekday == weekday) {
                    if closed.iter().any(|c| c.covers(doctor.id, shift.branch_id, date)) {
                        continue;
                    }
                    // Laid out in real time between the shift's real start and end, so a slot
                    // lasts its service's length even across a daylight-saving change.
                    let (Some(shift_from), Some(shift_to)) =
                        (clock::shift_start(tz, date, shift.start), clock::shift_end(tz, date, shift.end))
                    else {
                        continue;
                    };
                    let (step, length) = (shift.slot.max(1) * 60, r.duration * 60);
                    let mut starts_at = shift_from;
                    while starts_at + length <= shift_to {
                        let ends_at = starts_at + length;
                        let minute = clock::local_minute(tz, starts_at).map_or(0, |(_, m)| m);
                        let clash = busy.iter().any(|(s, e)| *s < ends_at && *e > starts_at);
                        if !r.time_of_day.admits(minute) || starts_at < now || clash {
                            starts_at += step;
                            continue;
                        }
                        let branch_name = match branch_names.get(&shift.branch_id) {
                            Some(n) => n.clone(),
                            None => {
                                let n = branch_name(conn, shift.branch_id)?;
                                branch_names.insert(shift.branch_id, n.clone());
                                n
                            }
                        };
                        slots.push(Slot {
                            doctor_id: doctor.id,
                            doctor_name: doctor.name.clone(),
                            department: doctor.department.clone(),
                            branch_id: shift.branch_id,
                            branch_name,
                            starts_at,
                            ends_at,
                            date: date.to_string(),
                            start_local: clock::wall_label(tz, starts_at),
                            end_local: clock::wall_label(tz, ends_at),
                        });
                        // Offer back-to-back slots rather than every overlapping start, on the
                        // shift's grid.
                        starts_at = shift_from + (ends_at - shift_from + step - 1) / step * step;
                    }
                }
            }
            // Later days only hold later slots: stop once this day filled the request.
            if slots.len() >= r.limit {
                break;
            }
        }
        date += Duration::days(1);
    }
    slots.sort_by(|a, b| (a.starts_at, &a.doctor_name).cmp(&(b.starts_at, &b.doctor_name)));
    slots.truncate(r.limit);
    Ok(slots)
}

fn slot_list(clinic: &Clinic, r: &Resolved, slots: Vec<Slot>) -> SlotList {
    SlotList {
        slots,
        searched_from: r.from.to_string(),
        searched_to: r.to.to_string(),
        timezone: clinic.timezone.name().to_owned(),
    }
}

/// Every free slot in a date range (default: one day), for the slot picker.
pub fn free_slots(ctx: &Ctx, q: SlotQuery) -> Result<SlotList> {
    ctx.read(Action::ViewSchedule, |conn, _, clinic| {
        let r = resolve(&q, clinic, conn, ctx.now, 0, 500)?;
        let slots = compute_slots(conn, clinic, &q, &r, ctx.now)?;
        Ok(slot_list(clinic, &r, slots))
    })
}

/// The earliest free slots (default: 5 within 60 days) for the filters given.
pub fn find_earliest(ctx: &Ctx, q: SlotQuery) -> Result<SlotList> {
    ctx.read(Action::ViewSchedule, |conn, _, clinic| {
        let r = resolve(&q, clinic, conn, ctx.now, 60, 5)?;
        let slots = compute_slots(conn, clinic, &q, &r, ctx.now)?;
        Ok(slot_list(clinic, &r, slots))
    })
}

/// Branches, departments, doctors and services for the booking form.
pub fn booking_options(ctx: &Ctx) -> Result<BookingOptions> {
    ctx.read(Action::ViewSchedule, |conn, _, clinic| {
        let mut stmt = conn.prepare_cached("SELECT id, name FROM branch WHERE active = 1 ORDER BY name")?;
        let branches = stmt
            .query_map([], |r| Ok(schedule::Branch { id: r.get(0)?, name: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT d.id, d.display_name, d.department, (SELECT group_concat(branch_id) FROM doctor_branch WHERE doctor_id = d.id)
             FROM doctor d WHERE d.active = 1 ORDER BY d.display_name",
        )?;
        let doctors: Vec<DoctorOption> = stmt
            .query_map([], |r| {
                let ids: Option<String> = r.get(3)?;
                Ok(DoctorOption {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    department: r.get(2)?,
                    branch_ids: ids.unwrap_or_default().split(',').filter_map(|s| s.parse().ok()).collect(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut departments: Vec<String> = doctors.iter().map(|d| d.department.clone()).collect();
        departments.sort();
        departments.dedup();
        let mut stmt = conn
            .prepare_cached("SELECT id, code, name, duration_minutes FROM service WHERE active = 1 ORDER BY name")?;
        let services = stmt
            .query_map([], |r| {
                Ok(ServiceOption { id: r.get(0)?, code: r.get(1)?, name: r.get(2)?, duration_minutes: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(BookingOptions {
            branches,
            departments,
            doctors,
            services,
            relationships: RELATIONSHIPS.iter().map(|s| (*s).to_owned()).collect(),
            timezone: clinic.timezone.name().to_owned(),
            today: local_date(clinic.timezone, ctx.now).to_string(),
        })
    })
}

/// The caller's relationship to the patient, as the form offers it.
pub const RELATIONSHIPS: &[&str] = &["self", "parent", "child", "spouse", "sibling", "relative", "caregiver", "other"];

/// Why the doctor cannot see a patient at `[starts_at, ends_at)` at `branch_id` — the field to fix
/// and a sentence — or `None` when they can: an active doctor who works at that open branch,
/// inside their hours that day, not on leave, training or a holiday. The one rule for booking
/// ([`check_hold`]) and for the appointments a change of hours or a closure leaves to rebook
/// (`practice`).
pub(crate) fn unavailable(
    conn: &Connection,
    clinic: &Clinic,
    doctor_id: i64,
    branch_id: i64,
    starts_at: i64,
    ends_at: i64,
) -> Result<Option<(&'static str, String)>> {
    let tz = clinic.timezone;
    let doctor: Option<(String, bool)> = conn
        .query_row("SELECT display_name, active FROM doctor WHERE id = ?1", [doctor_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((doctor_name, true)) = doctor else {
        return Ok(Some(("doctor_id", "That doctor is not taking appointments. Pick a doctor from the list.".into())));
    };
    let branch: Option<(String, bool)> = conn
        .query_row("SELECT name, active FROM branch WHERE id = ?1", [branch_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((branch_name, true)) = branch else {
        return Ok(Some(("branch_id", "That branch is closed to bookings. Pick another branch.".into())));
    };
    let works_here: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM doctor_branch WHERE doctor_id = ?1 AND branch_id = ?2)",
        params![doctor_id, branch_id],
        |r| r.get(0),
    )?;
    if !works_here {
        return Ok(Some((
            "branch_id",
            format!("{doctor_name} does not work at {branch_name}. Pick another branch or doctor."),
        )));
    }
    // Hours are compared as real instants, the way the free slots were laid out
    // (`clock::shift_start`/`shift_end`), so a slot offered on a daylight-saving day can be booked.
    let Some((date, _)) = clock::local_minute(tz, starts_at) else {
        return Ok(Some(("starts_at", "That time is out of range. Pick one of the free slots offered.".into())));
    };
    let mut stmt = conn.prepare_cached(
        "SELECT start_minute, end_minute FROM availability_template WHERE doctor_id = ?1 AND branch_id = ?2 AND weekday = ?3",
    )?;
    let shifts: Vec<(i64, i64)> = stmt
        .query_map(params![doctor_id, branch_id, date.weekday().num_days_from_monday()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let in_template = shifts.iter().any(|&(start, end)| {
        let (from, to) = (clock::shift_start(tz, date, start), clock::shift_end(tz, date, end));
        from.is_some_and(|f| f <= starts_at) && to.is_some_and(|t| ends_at <= t)
    });
    if !in_template {
        return Ok(Some((
            "starts_at",
            format!(
                "{doctor_name} is not working at {branch_name} at {} on {}. Pick one of the free slots offered.",
                clock::wall_label(tz, starts_at),
                clinic.date_label(date)
            ),
        )));
    }
    if let Some(c) = closures(conn, date, date)?.into_iter().find(|c| c.covers(doctor_id, branch_id, date)) {
        let why = match c.kind.as_str() {
            "leave" => format!("{doctor_name} is on leave"),
            "training" => format!("{doctor_name} is away for training"),
            _ if c.branch_id.is_some() => format!("{branch_name} is closed for a holiday"),
            _ => "the clinic is closed for a holiday".to_owned(),
        };
        return Ok(Some(("starts_at", format!("On {} {why}. Pick another day.", clinic.date_label(date)))));
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// The guarantee.

/// Checks that `hold` may be written at `branch_id`: a future time, inside the doctor's hours at
/// that branch, not on leave or a holiday, for a patient who exists, with both calendars free
/// ([`schedule::first_clash`]). Runs inside the writing transaction.
fn check_hold(conn: &Connection, clinic: &Clinic, hold: &Hold, branch_id: i64, now: i64) -> Result<()> {
    let tz = clinic.timezone;
    if hold.starts_at < now {
        return Err(Error::invalid(
            "starts_at",
            format!(
                "{} {} has already passed. Pick a later time; past appointments cannot be booked.",
                local_date(tz, hold.starts_at),
                clock::wall_label(tz, hold.starts_at)
            ),
        ));
    }
    let patient: Option<Option<i64>> =
        conn.query_row("SELECT merged_into FROM patient WHERE id = ?1", [hold.patient_id], |r| r.get(0)).optional()?;
    match patient {
        None => {
            return Err(Error::invalid(
                "patient_id",
                "Pick the patient first (search by name or phone, or create them).",
            ))
        }
        Some(Some(kept)) => {
            return Err(Error::invalid(
                "patient_id",
                format!("This record was merged into patient #{kept}. Open that record and book there."),
            ))
        }
        Some(None) => {}
    }
    if let Some((field, message)) = unavailable(conn, clinic, hold.doctor_id, branch_id, hold.starts_at, hold.ends_at)?
    {
        return Err(Error::invalid(field, message));
    }

    if let Some(clash) = schedule::first_clash(conn, hold)? {
        let whose = clash.whose(clinic, hold);
        return Err(Error::Conflict(if clash.doctor_id == hold.doctor_id {
            format!("That slot is taken: {whose}. Pick another slot; nothing was booked.")
        } else {
            format!(
                "This slot cannot be booked: {whose}. A patient cannot be in two places at once; pick another time."
            )
        }));
    }
    Ok(())
}

fn clean(s: &str, max: usize, field: &'static str) -> Result<String> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(Error::invalid(field, format!("Keep this under {max} characters.")));
    }
    Ok(t.to_owned())
}

struct NewAppointment<'a> {
    patient_id: i64,
    doctor_id: i64,
    branch_id: i64,
    service_id: i64,
    starts_at: i64,
    ends_at: i64,
    status: Status,
    source: Source,
    reason: &'a str,
    notes: &'a str,
    caller_name: &'a str,
    caller_relationship: &'a str,
    referral: &'a str,
    follow_up_on: Option<&'a str>,
    arrived_at: Option<i64>,
}

fn insert_appointment(conn: &Connection, a: &NewAppointment<'_>, caller: &Caller, now: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, reason, notes,
                                  caller_name, caller_relationship, referral, follow_up_on, arrived_at, booked_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
        params![
            a.patient_id, a.doctor_id, a.branch_id, a.service_id, a.starts_at, a.ends_at, a.status.as_str(), a.source.as_str(),
            a.reason, a.notes, a.caller_name, a.caller_relationship, a.referral, a.follow_up_on, a.arrived_at, caller.staff_id, now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Books inside the caller's unit of work: validates the form, checks the hold, writes the
/// appointment and its audit entry and queues its event. Shared by booking, the wait list and
/// walk-ins.
/// A service for new patients only is refused to a patient who has been seen before, and one for
/// returning patients to a patient who has not (seen = a completed visit).
fn check_new_patient_rule(conn: &Connection, service_id: i64, patient_id: i64) -> Result<()> {
    let (rule, name): (String, String) =
        conn.query_row("SELECT new_patient_rule, name FROM service WHERE id = ?1", [service_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if rule == "any" {
        return Ok(());
    }
    let seen: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM appointment WHERE patient_id = ?1 AND status = 'completed')",
        [patient_id],
        |r| r.get(0),
    )?;
    match (rule.as_str(), seen) {
        ("new_only", true) => Err(Error::invalid(
            "service_id",
            format!("{name} is for new patients, and this patient has been seen before. Pick a follow-up service."),
        )),
        ("returning_only", false) => Err(Error::invalid(
            "service_id",
            format!(
                "{name} is for returning patients, and this patient has not been seen yet. Pick a new-patient service."
            ),
        )),
        _ => Ok(()),
    }
}

fn book_in(w: &mut Write<'_>, clinic: &Clinic, caller: &Caller, req: &BookRequest) -> Result<AppointmentRow> {
    let now = w.now;
    let caller_name = clean(&req.caller_name, 120, "caller_name")?;
    let relationship = req.caller_relationship.trim().to_lowercase();
    let relationship = if relationship.is_empty() { "self".to_owned() } else { relationship };
    if !RELATIONSHIPS.contains(&relationship.as_str()) {
        return Err(Error::invalid(
            "caller_relationship",
            format!("Pick the caller's relationship: {}.", RELATIONSHIPS.join(", ")),
        ));
    }
    let reason = clean(&req.reason, 500, "reason")?;
    if reason.is_empty() && req.source != Source::WalkIn {
        return Err(Error::invalid(
            "reason",
            "Enter the chief complaint, in the caller's words (e.g. \"fever for two days\").",
        ));
    }
    let notes = clean(&req.notes, 2000, "notes")?;
    let referral = clean(&req.referral, 200, "referral")?;
    let follow_up_on = match (req.follow_up, req.follow_up_on.as_deref().filter(|s| !s.trim().is_empty())) {
        (false, _) => None,
        (true, None) => return Err(Error::invalid("follow_up_on", "Pick the follow-up date, or untick follow-up.")),
        (true, Some(d)) => {
            let date = clock::check_date(parse_date(d, "follow_up_on")?, now, "follow_up_on")?;
            if date < local_date(clinic.timezone, now) {
                return Err(Error::invalid("follow_up_on", "The follow-up date has passed. Pick today or later."));
            }
            Some(date.to_string())
        }
    };
    let service = service(w.conn(), req.service_id)?;
    clock::check_instant(req.starts_at, now, "starts_at")?;
    let ends_at = clock::end_of(req.starts_at, service.duration_minutes, "service_id")?;
    let hold =
        Hold { doctor_id: req.doctor_id, patient_id: req.patient_id, starts_at: req.starts_at, ends_at, own: None };
    check_hold(w.conn(), clinic, &hold, req.branch_id, now)?;
    check_new_patient_rule(w.conn(), req.service_id, req.patient_id)?;
    let walk_in = req.source == Source::WalkIn;
    let id = insert_appointment(
        w.conn(),
        &NewAppointment {
            patient_id: req.patient_id,
            doctor_id: req.doctor_id,
            branch_id: req.branch_id,
            service_id: req.service_id,
            starts_at: req.starts_at,
            ends_at,
            // A walk-in is standing at the desk: they have arrived.
            status: if walk_in { Status::Arrived } else { Status::Booked },
            source: req.source,
            reason: &reason,
            notes: &notes,
            caller_name: &caller_name,
            caller_relationship: &relationship,
            referral: &referral,
            follow_up_on: follow_up_on.as_deref(),
            arrived_at: walk_in.then_some(now),
        },
        caller,
        now,
    )?;
    w.audit(
        "appointment.booked",
        "appointment",
        id,
        format!(
            "patient {} with doctor {} at branch {}, service {}, source {}",
            req.patient_id,
            req.doctor_id,
            req.branch_id,
            req.service_id,
            req.source.as_str()
        ),
    )?;
    let row = schedule::load_row(w.conn(), clinic.timezone, id, caller.may(Action::ViewPatient))?;
    w.publish(Event::AppointmentChanged {
        appointment_id: row.id,
        date: local_date(clinic.timezone, row.starts_at).to_string(),
    });
    Ok(row)
}

/// Books an appointment. Refused, with nothing written, if either calendar is taken.
pub fn book(ctx: &Ctx, req: BookRequest) -> Result<AppointmentRow> {
    ctx.write(Action::BookAppointment, |w, caller, clinic| book_in(w, clinic, caller, &req))
}

/// Books the chosen wait-listed patient and closes their entry, in one unit of work.
pub fn book_from_waitlist(ctx: &Ctx, req: WaitlistBookRequest) -> Result<AppointmentRow> {
    ctx.write(Action::BookAppointment, |w, caller, clinic| {
        let (patient_id, note) = waitlist::open_entry(w.conn(), req.entry_id)?;
        let row = book_in(
            w,
            clinic,
            caller,
            &BookRequest {
                patient_id,
                caller_name: String::new(),
                caller_relationship: "self".into(),
                doctor_id: req.doctor_id,
                branch_id: req.branch_id,
                service_id: req.service_id,
                starts_at: req.starts_at,
                reason: if note.is_empty() { "From the wait list".into() } else { note },
                source: Source::Phone,
                referral: "wait list".into(),
                notes: String::new(),
                follow_up: false,
                follow_up_on: None,
            },
        )?;
        waitlist::close_as_booked(w, req.entry_id, row.id)?;
        Ok(row)
    })
}

/// The slot `row` held, and who on the wait list fits it now, read in the change's transaction.
fn freed(conn: &Connection, clinic: &Clinic, row: &AppointmentRow, now: i64) -> Result<(Slot, Vec<WaitlistOffer>)> {
    let slot = schedule::slot_at(conn, clinic.timezone, row.doctor_id, row.branch_id, (row.starts_at, row.ends_at))?;
    let offers = waitlist::offers_for(conn, clinic, &slot, now)?;
    Ok((slot, offers))
}

/// Moves an appointment: the new slot is booked and the old one released in the same unit of
/// work. If the new slot is gone, nothing changes and the error says so.
pub fn reschedule(ctx: &Ctx, req: RescheduleRequest) -> Result<SlotChange> {
    ctx.write(Action::BookAppointment, |w, caller, clinic| {
        let tz = clinic.timezone;
        let now = w.now;
        let old = schedule::load_row(w.conn(), tz, req.appointment_id, true)?;
        if !can_move(old.status, Status::Rescheduled) {
            return Err(Error::Conflict(format!(
                "This appointment is {}; only booked or confirmed appointments can be moved. Book a new one instead.",
                old.status.label()
            )));
        }
        let (service_id, caller_name, relationship, referral, follow_up_on): (i64, String, String, String, Option<String>) =
            w.conn().query_row(
                "SELECT service_id, caller_name, caller_relationship, referral, follow_up_on FROM appointment WHERE id = ?1",
                [old.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        let service = service(w.conn(), req.service_id.unwrap_or(service_id))?;
        clock::check_instant(req.starts_at, w.now, "starts_at")?;
        let ends_at = clock::end_of(req.starts_at, service.duration_minutes, "service_id")?;
        if (req.doctor_id, req.branch_id, req.starts_at, ends_at)
            == (old.doctor_id, old.branch_id, old.starts_at, old.ends_at)
        {
            return Err(Error::invalid("starts_at", "That is the appointment's current slot. Pick a different one."));
        }
        let hold = Hold {
            doctor_id: req.doctor_id,
            patient_id: old.patient_id,
            starts_at: req.starts_at,
            ends_at,
            own: Some(old.id),
        };
        check_hold(w.conn(), clinic, &hold, req.branch_id, now)?;
        // The old time is released before the new one is taken: a move by a few minutes overlaps
        // it, and the schema refuses two overlapping appointments that hold time (0006).
        schedule::move_to(w.conn(), clinic, &old, Status::Rescheduled, now)?;
        let new_id = insert_appointment(
            w.conn(),
            &NewAppointment {
                patient_id: old.patient_id,
                doctor_id: req.doctor_id,
                branch_id: req.branch_id,
                service_id: service.id,
                starts_at: req.starts_at,
                ends_at,
                status: if old.status == Status::Confirmed { Status::Confirmed } else { Status::Booked },
                source: old.source,
                reason: &old.reason,
                notes: &old.notes,
                caller_name: &caller_name,
                caller_relationship: &relationship,
                referral: &referral,
                follow_up_on: follow_up_on.as_deref(),
                arrived_at: None,
            },
            caller,
            now,
        )?;
        w.conn().execute("UPDATE appointment SET rescheduled_to = ?2 WHERE id = ?1", params![old.id, new_id])?;
        w.audit(
            "appointment.rescheduled",
            "appointment",
            old.id,
            format!("{} → rescheduled, moved to appointment {new_id}", old.status.as_str()),
        )?;
        w.audit("appointment.booked", "appointment", new_id, format!("rescheduled from appointment {}", old.id))?;
        let show_patient = caller.may(Action::ViewPatient);
        let old_row = schedule::load_row(w.conn(), tz, old.id, show_patient)?;
        let new_row = schedule::load_row(w.conn(), tz, new_id, show_patient)?;
        let (slot, offers) = freed(w.conn(), clinic, &old_row, now)?;
        for row in [&old_row, &new_row] {
            w.publish(Event::AppointmentChanged {
                appointment_id: row.id,
                date: local_date(tz, row.starts_at).to_string(),
            });
        }
        Ok(SlotChange {
            appointment: old_row,
            new_appointment: Some(new_row),
            freed: Some(slot),
            freed_service_id: Some(service_id),
            offers,
        })
    })
}

/// Cancels an appointment with a reason; returns who on the wait list fits the freed slot.
pub fn cancel(ctx: &Ctx, req: CancelRequest) -> Result<SlotChange> {
    let reason = clean(&req.reason, 300, "reason")?;
    if reason.is_empty() {
        return Err(Error::invalid("reason", "Say why it is cancelled (e.g. \"patient called, feeling better\")."));
    }
    ctx.write(Action::BookAppointment, |w, caller, clinic| {
        let tz = clinic.timezone;
        let old = schedule::load_row(w.conn(), tz, req.appointment_id, true)?;
        if !can_move(old.status, Status::Cancelled) {
            return Err(Error::Conflict(format!(
                "This appointment is {}; it cannot be cancelled.",
                old.status.label()
            )));
        }
        schedule::move_to(w.conn(), clinic, &old, Status::Cancelled, w.now)?;
        w.conn().execute("UPDATE appointment SET cancel_reason = ?2 WHERE id = ?1", params![old.id, reason])?;
        w.audit("appointment.cancelled", "appointment", old.id, format!("{} → cancelled", old.status.as_str()))?;
        let row = schedule::load_row(w.conn(), tz, old.id, caller.may(Action::ViewPatient))?;
        let (slot, offers) = freed(w.conn(), clinic, &row, w.now)?;
        let service_id: i64 =
            w.conn().query_row("SELECT service_id FROM appointment WHERE id = ?1", [old.id], |r| r.get(0))?;
        w.publish(Event::AppointmentChanged {
            appointment_id: row.id,
            date: local_date(tz, row.starts_at).to_string(),
        });
        Ok(SlotChange {
            appointment: row,
            new_appointment: None,
            freed: Some(slot),
            freed_service_id: Some(service_id),
            offers,
        })
    })
}

/// How many of the day's next free slots a walk-in is tried against before queueing untimed
/// (a slot may clash with the patient's own booking later today).
const WALK_IN_CANDIDATES: u32 = 20;

/// A walk-in: the next free minute today with the doctor (or the first free doctor at the
/// branch) when the patient is free then too, marked arrived; when there is none, an untimed
/// place on the walk-in list.
pub fn walk_in(ctx: &Ctx, req: WalkInRequest) -> Result<WalkInResult> {
    let reason = clean(&req.reason, 500, "reason")?;
    ctx.write(Action::BookAppointment, |w, caller, clinic| {
        let now = w.now;
        branch_name(w.conn(), req.branch_id)?;
        // Start at the next grid minute from now.
        let grid = GRID_MINUTES * 60;
        let from = (now + grid - 1) / grid * grid;
        let q = SlotQuery {
            service_id: req.service_id,
            doctor_id: req.doctor_id,
            branch_id: Some(req.branch_id),
            limit: Some(WALK_IN_CANDIDATES),
            ..SlotQuery::default()
        };
        let r = resolve(&q, clinic, w.conn(), now, 0, 1)?;
        let mut slot = None;
        for candidate in compute_slots(w.conn(), clinic, &q, &r, from)? {
            let hold = Hold {
                doctor_id: candidate.doctor_id,
                patient_id: req.patient_id,
                starts_at: candidate.starts_at,
                ends_at: candidate.ends_at,
                own: None,
            };
            if schedule::first_clash(w.conn(), &hold)?.is_none() {
                slot = Some(candidate);
                break;
            }
        }
        if let Some(slot) = slot {
            let row = book_in(
                w,
                clinic,
                caller,
                &BookRequest {
                    patient_id: req.patient_id,
                    caller_name: String::new(),
                    caller_relationship: "self".into(),
                    doctor_id: slot.doctor_id,
                    branch_id: slot.branch_id,
                    service_id: req.service_id,
                    starts_at: slot.starts_at,
                    reason: reason.clone(),
                    source: Source::WalkIn,
                    referral: String::new(),
                    notes: String::new(),
                    follow_up: false,
                    follow_up_on: None,
                },
            )?;
            return Ok(WalkInResult { appointment: Some(row), queued: None });
        }
        let exists: bool =
            w.conn().query_row("SELECT EXISTS(SELECT 1 FROM patient WHERE id = ?1)", [req.patient_id], |r| r.get(0))?;
        if !exists {
            return Err(Error::invalid(
                "patient_id",
                "Pick the patient first (search by name or phone, or create them).",
            ));
        }
        service(w.conn(), req.service_id)?;
        w.conn().execute(
            "INSERT INTO walk_in (patient_id, branch_id, doctor_id, service_id, reason, arrived_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![req.patient_id, req.branch_id, req.doctor_id, req.service_id, reason, now],
        )?;
        let id = w.conn().last_insert_rowid();
        w.audit(
            "walk_in.queued",
            "walk_in",
            id,
            format!("patient {} at branch {}, no free slot today", req.patient_id, req.branch_id),
        )?;
        w.publish(Event::WalkInsChanged);
        let queued = walk_ins_in(w.conn(), Some(id))?.into_iter().next();
        Ok(WalkInResult { appointment: None, queued })
    })
}

fn walk_ins_in(conn: &Connection, only: Option<i64>) -> Result<Vec<WalkIn>> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.patient_id, p.given_name || ' ' || p.family_name, w.branch_id, w.doctor_id, s.name, w.reason, w.arrived_at
         FROM walk_in w JOIN patient p ON p.id = w.patient_id JOIN service s ON s.id = w.service_id
         WHERE w.status = 'waiting' AND (?1 IS NULL OR w.id = ?1) ORDER BY w.arrived_at, w.id",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok(WalkIn {
            id: r.get(0)?,
            patient_id: r.get(1)?,
            patient_name: r.get(2)?,
            branch_id: r.get(3)?,
            doctor_id: r.get(4)?,
            service_name: r.get(5)?,
            reason: r.get(6)?,
            arrived_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WalkInOutcome {
    /// Booked into a slot that freed up (or seen between appointments).
    Seen,
    /// Left without being seen.
    Left,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct WalkInDoneRequest {
    pub walk_in_id: i64,
    pub outcome: WalkInOutcome,
}

/// Takes a walk-in off the untimed list: seen, or left without being seen.
pub fn walk_in_done(ctx: &Ctx, req: WalkInDoneRequest) -> Result<()> {
    ctx.write(Action::BookAppointment, |w, _, _| {
        let status = match req.outcome {
            WalkInOutcome::Seen => "booked",
            WalkInOutcome::Left => "left",
        };
        let n = w.conn().execute(
            "UPDATE walk_in SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'waiting'",
            params![req.walk_in_id, status, w.now],
        )?;
        if n == 0 {
            return Err(Error::NotFound("That walk-in is no longer waiting. Refresh the list.".into()));
        }
        w.audit("walk_in.done", "walk_in", req.walk_in_id, format!("walk-in {status}"))?;
        w.publish(Event::WalkInsChanged);
        Ok(())
    })
}

/// The untimed walk-in list, in arrival order.
pub fn walk_ins(ctx: &Ctx) -> Result<Vec<WalkIn>> {
    ctx.read(Action::ViewPatient, |conn, _, _| walk_ins_in(conn, None))
}
