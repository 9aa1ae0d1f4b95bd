//! The wait list: patients who want an earlier (or any) slot, with their preferences. When a slot
//! frees (a cancellation, a reschedule, a no-show released) the desk is offered the patients who
//! fit it, urgent first, then whoever has waited longest, and books the chosen one in one step
//! (`booking::book_from_waitlist`, which takes the entry through [`open_entry`] and
//! [`close_as_booked`]).

use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clinic::Clinic;
use crate::desk::{Ctx, Write};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;
use crate::schedule::{self, local_date, Hold, Slot, TimeOfDay};

#[derive(Debug, Clone, Deserialize, TS)]
pub struct WaitlistAddRequest {
    pub patient_id: i64,
    pub doctor_id: Option<i64>,
    pub branch_id: Option<i64>,
    pub service_id: Option<i64>,
    /// Acceptable weekdays, 0 = Monday … 6 = Sunday; empty means any day.
    pub weekdays: Vec<u8>,
    pub time_of_day: TimeOfDay,
    pub urgent: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WaitlistEntry {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub phone: Option<String>,
    pub doctor_id: Option<i64>,
    pub doctor_name: Option<String>,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub service_id: Option<i64>,
    pub weekdays: Vec<u8>,
    pub time_of_day: TimeOfDay,
    pub urgent: bool,
    pub note: String,
    pub created_at: i64,
}

/// A wait-listed patient who fits a freed slot.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WaitlistOffer {
    pub entry: WaitlistEntry,
    /// Why they fit, e.g. "wants Dr. Chen · mornings · urgent".
    pub fits: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct WaitlistRemoveRequest {
    pub entry_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct WaitlistOffersRequest {
    pub doctor_id: i64,
    pub branch_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// Books a wait-listed patient into a slot and closes their entry, in one transaction.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct WaitlistBookRequest {
    pub entry_id: i64,
    pub doctor_id: i64,
    pub branch_id: i64,
    pub service_id: i64,
    pub starts_at: i64,
}

fn mask_of(weekdays: &[u8]) -> Result<i64> {
    if weekdays.is_empty() {
        return Ok(127);
    }
    let mut mask = 0;
    for d in weekdays {
        if *d > 6 {
            return Err(Error::invalid("weekdays", "Days are 0 (Monday) to 6 (Sunday)."));
        }
        mask |= 1 << d;
    }
    Ok(mask)
}

fn days_of(mask: i64) -> Vec<u8> {
    if mask == 127 {
        return Vec::new();
    }
    (0..7u8).filter(|d| mask & (1 << d) != 0).collect()
}

const SELECT_ENTRY: &str = "
    SELECT w.id, w.patient_id, p.given_name || ' ' || p.family_name, ph.e164,
           w.doctor_id, d.display_name, w.branch_id, b.name, w.service_id, w.weekdays, w.time_of_day, w.urgent, w.note, w.created_at,
           ph.display
    FROM waitlist_entry w
    JOIN patient p ON p.id = w.patient_id
    LEFT JOIN patient_phone ph ON ph.id =
        (SELECT id FROM patient_phone WHERE patient_id = w.patient_id ORDER BY is_primary DESC, id LIMIT 1)
    LEFT JOIN doctor d ON d.id = w.doctor_id
    LEFT JOIN branch b ON b.id = w.branch_id";

fn entry_from_row(r: &rusqlite::Row<'_>, clinic: &Clinic) -> rusqlite::Result<WaitlistEntry> {
    let phone: Option<String> = r.get(3)?;
    let display: Option<String> = r.get(14)?;
    let tod: String = r.get(10)?;
    Ok(WaitlistEntry {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        patient_name: r.get(2)?,
        phone: phone.map(|p| crate::phone::shown(&p, display, clinic.phone_region)),
        doctor_id: r.get(4)?,
        doctor_name: r.get(5)?,
        branch_id: r.get(6)?,
        branch_name: r.get(7)?,
        service_id: r.get(8)?,
        weekdays: days_of(r.get(9)?),
        time_of_day: TimeOfDay::parse(&tod),
        urgent: r.get(11)?,
        note: r.get(12)?,
        created_at: r.get(13)?,
    })
}

fn open_entries(conn: &Connection, clinic: &Clinic) -> Result<Vec<WaitlistEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_ENTRY} WHERE w.status = 'waiting' ORDER BY w.urgent DESC, w.created_at, w.id"
    ))?;
    let rows = stmt.query_map([], |r| entry_from_row(r, clinic))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The open wait list, urgent first, then oldest.
pub fn waitlist(ctx: &Ctx) -> Result<Vec<WaitlistEntry>> {
    ctx.read(Action::ViewPatient, |conn, _, clinic| open_entries(conn, clinic))
}

pub fn add_to_waitlist(ctx: &Ctx, req: WaitlistAddRequest) -> Result<WaitlistEntry> {
    let mask = mask_of(&req.weekdays)?;
    let note = req.note.trim();
    if note.chars().count() > 500 {
        return Err(Error::invalid("note", "Keep the note under 500 characters."));
    }
    ctx.write(Action::BookAppointment, |w, _, clinic| {
        let exists: bool =
            w.conn().query_row("SELECT EXISTS(SELECT 1 FROM patient WHERE id = ?1)", [req.patient_id], |r| r.get(0))?;
        if !exists {
            return Err(Error::invalid("patient_id", "Pick the patient first (search by name or phone)."));
        }
        let already: Option<i64> = w
            .conn()
            .query_row(
                "SELECT id FROM waitlist_entry WHERE patient_id = ?1 AND status = 'waiting' LIMIT 1",
                [req.patient_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = already {
            return Err(Error::Conflict(format!(
                "This patient is already on the wait list (entry #{id}). Edit or remove that entry instead."
            )));
        }
        w.conn().execute(
            "INSERT INTO waitlist_entry (patient_id, doctor_id, branch_id, service_id, weekdays, time_of_day, urgent, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![req.patient_id, req.doctor_id, req.branch_id, req.service_id, mask, req.time_of_day.as_str(), req.urgent, note, w.now],
        )?;
        let id = w.conn().last_insert_rowid();
        w.audit(
            "waitlist.added",
            "waitlist_entry",
            id,
            format!("patient {}{}", req.patient_id, if req.urgent { ", urgent" } else { "" }),
        )?;
        w.publish(Event::WaitlistChanged);
        Ok(w.conn().query_row(&format!("{SELECT_ENTRY} WHERE w.id = ?1"), [id], |r| entry_from_row(r, clinic))?)
    })
}

pub fn remove_from_waitlist(ctx: &Ctx, req: WaitlistRemoveRequest) -> Result<()> {
    ctx.write(Action::BookAppointment, |w, _, _| {
        let n = w.conn().execute(
            "UPDATE waitlist_entry SET status = 'removed', updated_at = ?2 WHERE id = ?1 AND status = 'waiting'",
            params![req.entry_id, w.now],
        )?;
        if n == 0 {
            return Err(Error::NotFound("That wait-list entry is no longer open. Refresh the wait list.".into()));
        }
        let summary = if req.reason.trim().is_empty() { "removed" } else { "removed with a reason" };
        w.audit("waitlist.removed", "waitlist_entry", req.entry_id, summary)?;
        w.publish(Event::WaitlistChanged);
        Ok(())
    })
}

/// Whether `entry` fits `slot`: doctor, branch, the wanted service fits in the slot's length,
/// weekday, time of day, and the patient is free.
fn fits(conn: &Connection, clinic: &Clinic, entry: &WaitlistEntry, slot: &Slot) -> Result<Option<String>> {
    if entry.doctor_id.is_some_and(|d| d != slot.doctor_id) || entry.branch_id.is_some_and(|b| b != slot.branch_id) {
        return Ok(None);
    }
    let service: Option<(String, i64)> = match entry.service_id {
        Some(id) => conn
            .query_row("SELECT name, duration_minutes FROM service WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        None => None,
    };
    if service.as_ref().is_some_and(|(_, minutes)| minutes * 60 > slot.ends_at - slot.starts_at) {
        return Ok(None);
    }
    let date = local_date(clinic.timezone, slot.starts_at);
    let weekday = date.weekday().num_days_from_monday() as u8;
    if !entry.weekdays.is_empty() && !entry.weekdays.contains(&weekday) {
        return Ok(None);
    }
    let (h, m) = slot.start_local.split_once(':').unwrap_or(("0", "0"));
    let minute = h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0);
    if !entry.time_of_day.admits(minute) {
        return Ok(None);
    }
    // The same calendar check booking runs: the doctor is still free then and so is the patient.
    let hold = Hold {
        doctor_id: slot.doctor_id,
        patient_id: entry.patient_id,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        own: None,
    };
    if schedule::first_clash(conn, &hold)?.is_some() {
        return Ok(None);
    }
    let mut why = Vec::new();
    if entry.urgent {
        why.push("urgent".to_owned());
    }
    why.push(match &entry.doctor_name {
        Some(d) => format!("wants {d}"),
        None => "any doctor".to_owned(),
    });
    if let Some((name, _)) = service {
        why.push(name);
    }
    if entry.time_of_day != TimeOfDay::Any {
        why.push(format!("{}s", entry.time_of_day.as_str()));
    }
    Ok(Some(why.join(" · ")))
}

/// The wait-listed patients who fit a freed slot: urgent first, then oldest.
pub(crate) fn offers_for(conn: &Connection, clinic: &Clinic, slot: &Slot, now: i64) -> Result<Vec<WaitlistOffer>> {
    if slot.starts_at < now {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in open_entries(conn, clinic)? {
        if let Some(fits) = fits(conn, clinic, &entry, slot)? {
            out.push(WaitlistOffer { entry, fits });
        }
    }
    Ok(out)
}

/// Offers for a slot the desk picked (e.g. after marking a no-show).
pub fn waitlist_offers(ctx: &Ctx, req: WaitlistOffersRequest) -> Result<Vec<WaitlistOffer>> {
    ctx.read(Action::ViewPatient, |conn, _, clinic| {
        let starts_at = crate::clock::check_instant(req.starts_at, ctx.now, "starts_at")?;
        let ends_at = crate::clock::check_instant(req.ends_at, ctx.now, "ends_at")?;
        if ends_at <= starts_at || ends_at - starts_at > schedule::LONGEST_HOLD {
            return Err(Error::invalid("ends_at", "The slot's end must come after its start, within a day."));
        }
        let slot = schedule::slot_at(conn, clinic.timezone, req.doctor_id, req.branch_id, (starts_at, ends_at))?;
        offers_for(conn, clinic, &slot, ctx.now)
    })
}

/// The patient and note of an open entry, for booking it; refused once it was booked or removed.
pub(crate) fn open_entry(conn: &Connection, entry_id: i64) -> Result<(i64, String)> {
    conn.query_row(
        "SELECT patient_id, note FROM waitlist_entry WHERE id = ?1 AND status = 'waiting'",
        [entry_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| {
        Error::NotFound("That wait-list entry is no longer open (booked or removed by someone else). Refresh.".into())
    })
}

/// Closes an entry as booked into `appointment_id`, in the booking's unit of work.
pub(crate) fn close_as_booked(w: &mut Write<'_>, entry_id: i64, appointment_id: i64) -> Result<()> {
    w.conn().execute(
        "UPDATE waitlist_entry SET status = 'booked', appointment_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![entry_id, appointment_id, w.now],
    )?;
    w.audit("waitlist.booked", "waitlist_entry", entry_id, format!("booked as appointment {appointment_id}"))?;
    w.publish(Event::WaitlistChanged);
    Ok(())
}
