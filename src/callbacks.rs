//! The missed-call callback queue (seed 000 US-7): one function takes a missed call from any
//! source (typed in by staff today, the telephony connector later); a second missed call from the
//! same number while its task is open updates that task (count, latest time) instead of adding a
//! row. Oldest first; "assign next to me" hands out the oldest unassigned task atomically.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clinic::Clinic;
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallbackStatus {
    /// Waiting for someone to call back.
    Pending,
    /// Called back without reaching them; still open.
    Attempted,
    Completed,
    /// Invalid or unreachable number.
    Unreachable,
    WrongNumber,
}

impl CallbackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackStatus::Pending => "pending",
            CallbackStatus::Attempted => "attempted",
            CallbackStatus::Completed => "completed",
            CallbackStatus::Unreachable => "unreachable",
            CallbackStatus::WrongNumber => "wrong_number",
        }
    }

    pub fn parse(s: &str) -> CallbackStatus {
        match s {
            "attempted" => CallbackStatus::Attempted,
            "completed" => CallbackStatus::Completed,
            "unreachable" => CallbackStatus::Unreachable,
            "wrong_number" => CallbackStatus::WrongNumber,
            _ => CallbackStatus::Pending,
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, CallbackStatus::Pending | CallbackStatus::Attempted)
    }
}

/// What happened when staff called back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    Reached,
    NoAnswer,
    Busy,
    Voicemail,
    WrongNumber,
    Invalid,
}

impl CallOutcome {
    fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Reached => "reached",
            CallOutcome::NoAnswer => "no_answer",
            CallOutcome::Busy => "busy",
            CallOutcome::Voicemail => "voicemail",
            CallOutcome::WrongNumber => "wrong_number",
            CallOutcome::Invalid => "invalid",
        }
    }

    /// The task's status after an attempt with this outcome.
    fn resulting_status(self) -> CallbackStatus {
        match self {
            CallOutcome::Reached => CallbackStatus::Completed,
            CallOutcome::NoAnswer | CallOutcome::Busy | CallOutcome::Voicemail => CallbackStatus::Attempted,
            CallOutcome::WrongNumber => CallbackStatus::WrongNumber,
            CallOutcome::Invalid => CallbackStatus::Unreachable,
        }
    }
}

/// Where a missed call came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum CallSource {
    #[default]
    Staff,
    Telephony,
    VoiceAgent,
}

impl CallSource {
    fn as_str(self) -> &'static str {
        match self {
            CallSource::Staff => "staff",
            CallSource::Telephony => "telephony",
            CallSource::VoiceAgent => "voice_agent",
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MissedCallRequest {
    /// The caller's number in any format; normalised with the clinic's region.
    pub caller_number: String,
    /// When the call was missed (unix seconds); now when absent.
    pub at: Option<i64>,
    /// The clinic number that was called (which line / campaign).
    pub line: String,
    pub branch_id: Option<i64>,
    pub source: CallSource,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CallbackAttempt {
    pub at: i64,
    pub staff_name: Option<String>,
    pub outcome: CallOutcome,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CallbackTask {
    pub id: i64,
    pub caller_e164: String,
    pub caller_display: String,
    pub line: String,
    pub branch_id: Option<i64>,
    pub patient_id: Option<i64>,
    /// The known patient's name (or "Name + 2 others" when a family shares the number).
    pub patient_name: Option<String>,
    pub first_missed_at: i64,
    pub last_missed_at: i64,
    pub missed_count: i64,
    pub status: CallbackStatus,
    pub assigned_to: Option<i64>,
    pub assigned_name: Option<String>,
    /// When the SLA runs out (first missed + the clinic's callback SLA).
    pub due_at: i64,
    pub attempts: Vec<CallbackAttempt>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CallbackRequest {
    pub task_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CallbackAttemptRequest {
    pub task_id: i64,
    pub outcome: CallOutcome,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, TS, Default)]
pub struct CallbackListRequest {
    /// Include closed tasks (completed, unreachable, wrong number) of the last 7 days.
    pub include_closed: bool,
}

/// The callback queue, oldest first, with the SLA the UI counts down against.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CallbackQueue {
    pub tasks: Vec<CallbackTask>,
    pub sla_minutes: i64,
}

fn sla_minutes(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT callback_sla_minutes FROM clinic WHERE id = 1", [], |r| r.get(0))?)
}

const SELECT_TASK: &str = "
    SELECT t.id, t.caller_e164, t.line, t.branch_id, t.patient_id,
           (SELECT p.given_name || ' ' || p.family_name FROM patient p WHERE p.id = t.patient_id),
           (SELECT COUNT(*) FROM patient_phone ph WHERE ph.e164 = t.caller_e164) - 1,
           t.first_missed_at, t.last_missed_at, t.missed_count, t.status, t.assigned_to, s.display_name
    FROM callback_task t LEFT JOIN staff s ON s.id = t.assigned_to";

fn task_from_row(r: &rusqlite::Row<'_>, clinic: &Clinic, sla: i64) -> rusqlite::Result<CallbackTask> {
    let e164: String = r.get(1)?;
    let name: Option<String> = r.get(5)?;
    let others: i64 = r.get(6)?;
    let status: String = r.get(10)?;
    let first: i64 = r.get(7)?;
    Ok(CallbackTask {
        id: r.get(0)?,
        caller_display: crate::phone::display(&e164, clinic.phone_region),
        caller_e164: e164,
        line: r.get(2)?,
        branch_id: r.get(3)?,
        patient_id: r.get(4)?,
        patient_name: name.map(|n| if others > 0 { format!("{n} + {others} other(s) on this number") } else { n }),
        first_missed_at: first,
        last_missed_at: r.get(8)?,
        missed_count: r.get(9)?,
        status: CallbackStatus::parse(&status),
        assigned_to: r.get(11)?,
        assigned_name: r.get(12)?,
        due_at: first + sla * 60,
        attempts: Vec::new(),
    })
}

fn attempts_of(conn: &Connection, task_id: i64) -> Result<Vec<CallbackAttempt>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, s.display_name, a.outcome, a.note FROM callback_attempt a LEFT JOIN staff s ON s.id = a.staff_id
         WHERE a.task_id = ?1 ORDER BY a.at DESC, a.id DESC",
    )?;
    let rows = stmt.query_map([task_id], |r| {
        let outcome: String = r.get(2)?;
        Ok(CallbackAttempt {
            at: r.get(0)?,
            staff_name: r.get(1)?,
            outcome: match outcome.as_str() {
                "reached" => CallOutcome::Reached,
                "busy" => CallOutcome::Busy,
                "voicemail" => CallOutcome::Voicemail,
                "wrong_number" => CallOutcome::WrongNumber,
                "invalid" => CallOutcome::Invalid,
                _ => CallOutcome::NoAnswer,
            },
            note: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn load_task(conn: &Connection, clinic: &Clinic, id: i64) -> Result<CallbackTask> {
    let sla = sla_minutes(conn)?;
    let mut task = conn
        .query_row(&format!("{SELECT_TASK} WHERE t.id = ?1"), [id], |r| task_from_row(r, clinic, sla))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Callback task {id} was not found. Refresh the queue.")))?;
    task.attempts = attempts_of(conn, id)?;
    Ok(task)
}

/// A branch the clinic has open, for a missed call's line (refused when unknown or closed).
fn check_branch(conn: &Connection, id: i64) -> Result<()> {
    let open: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM branch WHERE id = ?1 AND active = 1)", [id], |r| r.get(0))?;
    if !open {
        return Err(Error::invalid("branch_id", "Pick a branch from the list."));
    }
    Ok(())
}

/// Records a missed call. A second call from the same number while its task is open updates
/// that task (count and latest time) instead of adding a row. Returns the task.
pub fn record_missed_call(ctx: &Ctx, req: MissedCallRequest) -> Result<CallbackTask> {
    ctx.write(Action::WorkQueues, |w, _, clinic| {
        let e164 = crate::phone::normalise(&req.caller_number, clinic.phone_region, "caller_number")?;
        let at = crate::clock::check_instant(req.at.unwrap_or(w.now), w.now, "at")?;
        if at > w.now + 300 {
            return Err(Error::invalid("at", "The missed call's time is in the future. Check the time."));
        }
        let line = req.line.trim();
        if let Some(branch) = req.branch_id {
            check_branch(w.conn(), branch)?;
        }
        let open: Option<i64> = w
            .conn()
            .query_row(
                "SELECT id FROM callback_task WHERE caller_e164 = ?1 AND status IN ('pending','attempted')",
                [&e164],
                |r| r.get(0),
            )
            .optional()?;
        let (id, action) = match open {
            Some(id) => {
                w.conn().execute(
                    "UPDATE callback_task SET missed_count = missed_count + 1, last_missed_at = MAX(last_missed_at, ?2),
                            first_missed_at = MIN(first_missed_at, ?2), updated_at = ?3 WHERE id = ?1",
                    params![id, at, w.now],
                )?;
                (id, "callback.missed_again")
            }
            None => {
                // A known patient is linked by phone (the first registered holder of the number).
                let patient: Option<i64> = w
                    .conn()
                    .query_row(
                        "SELECT ph.patient_id FROM patient_phone ph JOIN patient p ON p.id = ph.patient_id
                         WHERE ph.e164 = ?1 AND p.merged_into IS NULL ORDER BY ph.relationship != 'self', ph.is_primary DESC, ph.id LIMIT 1",
                        [&e164],
                        |r| r.get(0),
                    )
                    .optional()?;
                w.conn().execute(
                    "INSERT INTO callback_task (caller_e164, line, branch_id, patient_id, source, first_missed_at, last_missed_at, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7)",
                    params![e164, line, req.branch_id, patient, req.source.as_str(), at, w.now],
                )?;
                (w.conn().last_insert_rowid(), "callback.missed")
            }
        };
        w.audit(action, "callback_task", id, format!("missed call recorded from source {}", req.source.as_str()))?;
        w.publish(Event::CallbacksChanged);
        load_task(w.conn(), clinic, id)
    })
}

/// The queue: open tasks oldest first (optionally the last week's closed ones after them).
pub fn callback_queue(ctx: &Ctx, req: CallbackListRequest) -> Result<CallbackQueue> {
    ctx.read(Action::WorkQueues, |conn, _, clinic| queue_in(conn, clinic, ctx.now, req.include_closed))
}

/// [`callback_queue`] on an open connection, for screens that gather several queues in one read.
pub(crate) fn queue_in(conn: &Connection, clinic: &Clinic, now: i64, include_closed: bool) -> Result<CallbackQueue> {
    let sla = sla_minutes(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_TASK} WHERE t.status IN ('pending','attempted') OR (?1 AND t.closed_at >= ?2)
         ORDER BY t.status NOT IN ('pending','attempted'), t.first_missed_at, t.id"
    ))?;
    let mut tasks: Vec<CallbackTask> = stmt
        .query_map(params![include_closed, now - 7 * 86_400], |r| task_from_row(r, clinic, sla))?
        .collect::<rusqlite::Result<_>>()?;
    for t in &mut tasks {
        t.attempts = attempts_of(conn, t.id)?;
    }
    Ok(CallbackQueue { tasks, sla_minutes: sla })
}

const NEXT_UNASSIGNED: &str =
    "SELECT id FROM callback_task WHERE status IN ('pending','attempted') AND assigned_to IS NULL
     ORDER BY first_missed_at, id LIMIT 1";

/// Hands the oldest unassigned open task to the caller. Atomic: two desks pressing it at once
/// get different tasks. `None` when nothing is waiting.
pub fn assign_next_to_me(ctx: &Ctx) -> Result<Option<CallbackTask>> {
    // Looked at first, so an empty queue is an answer rather than a change with nothing to audit.
    let waiting = ctx.read(Action::WorkQueues, |conn, _, _| {
        Ok(conn.query_row(NEXT_UNASSIGNED, [], |r| r.get::<_, i64>(0)).optional()?)
    })?;
    if waiting.is_none() {
        return Ok(None);
    }
    ctx.write(Action::WorkQueues, |w, caller, clinic| {
        // Inside the write lock the oldest task may be another one by now, or none at all.
        let id: i64 = w.conn().query_row(NEXT_UNASSIGNED, [], |r| r.get(0)).optional()?.ok_or_else(|| {
            Error::Conflict("The last waiting callback was just taken at another desk. Nothing is waiting now.".into())
        })?;
        w.conn().execute(
            "UPDATE callback_task SET assigned_to = ?2, assigned_at = ?3, updated_at = ?3 WHERE id = ?1 AND assigned_to IS NULL",
            params![id, caller.staff_id, w.now],
        )?;
        w.audit("callback.assigned", "callback_task", id, format!("assigned to staff {}", caller.staff_id))?;
        w.publish(Event::CallbacksChanged);
        load_task(w.conn(), clinic, id).map(Some)
    })
}

/// Logs a callback attempt; the outcome moves the task (reached → completed, no answer →
/// attempted, wrong number, invalid → unreachable).
pub fn log_attempt(ctx: &Ctx, req: CallbackAttemptRequest) -> Result<CallbackTask> {
    let note = req.note.trim();
    if note.chars().count() > 1000 {
        return Err(Error::invalid("note", "Keep the note under 1,000 characters."));
    }
    ctx.write(Action::WorkQueues, |w, caller, clinic| {
        let task = load_task(w.conn(), clinic, req.task_id)?;
        if !task.status.is_open() {
            return Err(Error::Conflict(format!(
                "This callback is already closed ({}). A new missed call from the number opens a new task.",
                task.status.as_str().replace('_', " ")
            )));
        }
        let status = req.outcome.resulting_status();
        w.conn().execute(
            "INSERT INTO callback_attempt (task_id, staff_id, at, outcome, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![req.task_id, caller.staff_id, w.now, req.outcome.as_str(), note],
        )?;
        w.conn().execute(
            "UPDATE callback_task SET status = ?2, closed_at = ?3, updated_at = ?4,
                    assigned_to = COALESCE(assigned_to, ?5), assigned_at = COALESCE(assigned_at, ?4) WHERE id = ?1",
            params![req.task_id, status.as_str(), (!status.is_open()).then_some(w.now), w.now, caller.staff_id],
        )?;
        w.audit(
            "callback.attempted",
            "callback_task",
            req.task_id,
            format!("outcome {} → {}", req.outcome.as_str(), status.as_str()),
        )?;
        w.publish(Event::CallbacksChanged);
        load_task(w.conn(), clinic, req.task_id)
    })
}

/// One task with its attempts.
pub fn callback_task(ctx: &Ctx, req: CallbackRequest) -> Result<CallbackTask> {
    ctx.read(Action::WorkQueues, |conn, _, clinic| load_task(conn, clinic, req.task_id))
}

/// The callback history of a patient (for the patient record).
pub fn callbacks_of_patient(conn: &Connection, clinic: &Clinic, patient_id: i64) -> Result<Vec<CallbackTask>> {
    let sla = sla_minutes(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_TASK} WHERE t.patient_id = ?1 OR t.caller_e164 IN (SELECT e164 FROM patient_phone WHERE patient_id = ?1)
         ORDER BY t.first_missed_at DESC LIMIT 50"
    ))?;
    let mut tasks: Vec<CallbackTask> =
        stmt.query_map([patient_id], |r| task_from_row(r, clinic, sla))?.collect::<rusqlite::Result<_>>()?;
    for t in &mut tasks {
        t.attempts = attempts_of(conn, t.id)?;
    }
    Ok(tasks)
}
