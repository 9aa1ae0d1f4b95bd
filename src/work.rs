//! "Work waiting": the home screen that merges what needs a person now, most urgent first —
//! open escalations by severity and age, callbacks by age, registration reviews, and tomorrow's
//! appointments nobody has confirmed yet.

use chrono::Duration;
use serde::Serialize;
use ts_rs::TS;

use crate::callbacks::{self, CallbackListRequest, CallbackTask};
use crate::clinic;
use crate::desk::Ctx;
use crate::error::Result;
use crate::escalations::{self, Escalation, EscalationListRequest};
use crate::roles::{allowed, Action};
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

pub fn work_waiting(ctx: &Ctx) -> Result<WorkWaiting> {
    let (role, clinic) = {
        let conn = ctx.desk.db();
        let caller = ctx.authorize(&conn, Action::ViewSchedule)?;
        (caller.role, clinic::load(&conn)?)
    };
    let queues = allowed(role, Action::WorkQueues);
    let escalations = if queues { escalations::list(ctx, EscalationListRequest::default())? } else { Vec::new() };
    let (callbacks, callback_sla_minutes) = if queues {
        let q = callbacks::callback_queue(ctx, CallbackListRequest::default())?;
        (q.tasks, q.sla_minutes)
    } else {
        (Vec::new(), 0)
    };
    let conn = ctx.desk.db();
    let reviews = if allowed(role, Action::ViewPatient) {
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
        rows.collect::<rusqlite::Result<_>>()?
    } else {
        Vec::new()
    };
    let tomorrow = local_date(clinic.timezone, ctx.now) + Duration::days(1);
    let day = schedule::day_view(&conn, &clinic, tomorrow, None, allowed(role, Action::ViewPatient))?;
    let unconfirmed_tomorrow = day.appointments.into_iter().filter(|a| a.status == Status::Booked).collect();
    Ok(WorkWaiting {
        escalations,
        callbacks,
        callback_sla_minutes,
        reviews,
        unconfirmed_tomorrow,
        tomorrow: tomorrow.to_string(),
    })
}
