//! "Work waiting": the home screen that merges what needs a person now, most urgent first —
//! open escalations by severity and age, callbacks by age, registration reviews, and tomorrow's
//! appointments nobody has confirmed yet.

use chrono::Duration;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::callbacks::{self, CallbackTask};
use crate::desk::Ctx;
use crate::error::Result;
use crate::escalations::{self, Escalation};
use crate::roles::Action;
use crate::schedule::{self, local_date, AppointmentRow};
use crate::status::Status;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReviewItem {
    pub review_id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub candidates: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WorkWaiting {
    /// Open escalations: urgent first, then high, then normal; oldest first within each.
    pub escalations: Vec<Escalation>,
    /// Open callbacks, oldest missed call first.
    pub callbacks: Vec<CallbackTask>,
    pub callback_sla_minutes: i64,
    pub reviews: Vec<ReviewItem>,
    /// Tomorrow's appointments still only booked (not confirmed).
    pub unconfirmed_tomorrow: Vec<AppointmentRow>,
    pub tomorrow: String,
}

/// Everything waiting for a person, in one read: the queues (for those who work them), the
/// reviews (for those who see patients) and tomorrow's unconfirmed visits.
pub fn work_waiting(ctx: &Ctx) -> Result<WorkWaiting> {
    ctx.read(Action::ViewSchedule, |conn, caller, clinic| {
        let queues = caller.may(Action::WorkQueues);
        let escalations = if queues { escalations::list_in(conn, clinic, ctx.now, false)? } else { Vec::new() };
        let (callbacks, callback_sla_minutes) = if queues {
            let q = callbacks::queue_in(conn, clinic, ctx.now, false)?;
            (q.tasks, q.sla_minutes)
        } else {
            (Vec::new(), 0)
        };
        let show_patients = caller.may(Action::ViewPatient);
        let reviews = if show_patients { open_reviews(conn)? } else { Vec::new() };
        let tomorrow = local_date(clinic.timezone, ctx.now) + Duration::days(1);
        let day = schedule::day_view(conn, clinic, tomorrow, None, show_patients)?;
        let unconfirmed_tomorrow = day.appointments.into_iter().filter(|a| a.status == Status::Booked).collect();
        Ok(WorkWaiting {
            escalations,
            callbacks,
            callback_sla_minutes,
            reviews,
            unconfirmed_tomorrow,
            tomorrow: tomorrow.to_string(),
        })
    })
}

fn open_reviews(conn: &Connection) -> Result<Vec<ReviewItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.patient_id, p.given_name || ' ' || p.family_name,
                (SELECT COUNT(*) FROM review_candidate c WHERE c.review_id = r.id), r.created_at
         FROM registration_review r JOIN patient p ON p.id = r.patient_id
         WHERE r.status = 'open' ORDER BY r.created_at, r.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ReviewItem {
            review_id: r.get(0)?,
            patient_id: r.get(1)?,
            patient_name: r.get(2)?,
            candidates: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
