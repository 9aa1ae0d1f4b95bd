//! The SLA clock: open callbacks and escalations past their pick-up time raise one alert each,
//! once per SLA clock (a reopened escalation starts a new one). The shell runs [`sweep`] on a
//! timer with the time passed in; the desk makes the change by itself, audited as the system.
//!
//! Above callbacks, alerts and escalations: the one module that knows all three, so none of them
//! needs to know another above it.

use rusqlite::{params, Connection};

use crate::alerts::{self, age, Alert, AlertKind, NewAlert};
use crate::desk::Desk;
use crate::error::Result;
use crate::escalations;

/// An open callback past its SLA that has not alerted yet.
struct LateCallback {
    id: i64,
    first_missed_at: i64,
    missed_count: i64,
    /// The linked patient's first name, if any.
    given_name: Option<String>,
}

/// What is past its SLA and has not alerted yet.
struct Due {
    callback_sla_minutes: i64,
    callbacks: Vec<LateCallback>,
    /// Escalations, oldest SLA clock first.
    escalations: Vec<i64>,
}

fn due(conn: &Connection, now: i64) -> Result<Due> {
    let callback_sla_minutes: i64 =
        conn.query_row("SELECT callback_sla_minutes FROM clinic WHERE id = 1", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.first_missed_at, t.missed_count, (SELECT given_name FROM patient p WHERE p.id = t.patient_id)
         FROM callback_task t WHERE t.status IN ('pending','attempted') AND t.breach_alerted_at IS NULL
           AND t.first_missed_at + ?1 * 60 <= ?2 ORDER BY t.first_missed_at",
    )?;
    let callbacks = stmt
        .query_map(params![callback_sla_minutes, now], |r| {
            Ok(LateCallback {
                id: r.get(0)?,
                first_missed_at: r.get(1)?,
                missed_count: r.get(2)?,
                given_name: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT e.id FROM escalation e JOIN clinic c ON c.id = 1
         WHERE e.status = 'open' AND e.breach_alerted_at IS NULL
           AND e.sla_started_at + 60 * CASE e.severity WHEN 'urgent' THEN c.escalation_sla_urgent_minutes
                 WHEN 'high' THEN c.escalation_sla_high_minutes ELSE c.escalation_sla_normal_minutes END <= ?1
         ORDER BY e.sla_started_at",
    )?;
    let escalations = stmt.query_map([now], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(Due { callback_sla_minutes, callbacks, escalations })
}

impl Due {
    fn is_empty(&self) -> bool {
        self.callbacks.is_empty() && self.escalations.is_empty()
    }
}

/// A callback's breach alert: how long the caller has waited, against the SLA; in the app, who
/// by first name when the number belongs to a patient.
fn callback_alert(c: &LateCallback, sla_minutes: i64, now: i64) -> NewAlert {
    let calls = if c.missed_count > 1 { format!(" ({} calls)", c.missed_count) } else { String::new() };
    let body =
        |who: &str| format!("Missed call{who}{calls} waiting {} (SLA {sla_minutes} min)", age(now - c.first_missed_at));
    NewAlert {
        kind: AlertKind::CallbackBreach,
        entity: "callback_task",
        entity_id: c.id,
        urgent: false,
        title: "Callback past its SLA".into(),
        body: body(&c.given_name.as_deref().map(|g| format!(" from {g}")).unwrap_or_default()),
        desktop_body: body(""),
    }
}

/// Finds SLA breaches (open callbacks and escalations past due that have not alerted yet), raises
/// one alert each and audits each breach, in one change. Returns the alerts raised.
pub fn sweep(desk: &Desk, now: i64) -> Result<Vec<Alert>> {
    // A look through a reader first: most sweeps find nothing, and then take no write lock.
    let nothing = {
        let conn = desk.reader()?;
        let set_up: bool = conn.query_row("SELECT EXISTS(SELECT 1 FROM clinic)", [], |r| r.get(0))?;
        !set_up || due(&conn, now)?.is_empty()
    };
    if nothing {
        return Ok(Vec::new());
    }
    desk.system_write(now, |w| {
        let due = due(w.conn(), now)?;
        if due.is_empty() {
            // Another desk's sweep got there first.
            w.nothing_changed();
            return Ok(Vec::new());
        }
        let clinic = crate::clinic::load(w.conn())?;
        let mut raised = Vec::new();
        let sla = due.callback_sla_minutes;
        for c in &due.callbacks {
            w.conn().execute("UPDATE callback_task SET breach_alerted_at = ?2 WHERE id = ?1", params![c.id, now])?;
            raised.push(alerts::raise(w, callback_alert(c, sla, now))?);
            w.audit("callback.sla_breached", "callback_task", c.id, format!("open past the {sla}-minute SLA"))?;
        }
        for &id in &due.escalations {
            w.conn().execute("UPDATE escalation SET breach_alerted_at = ?2 WHERE id = ?1", params![id, now])?;
            let e = escalations::load(w.conn(), &clinic, id)?;
            raised.push(alerts::raise(w, escalations::new_alert(AlertKind::EscalationBreach, &e, now))?);
            w.audit(
                "escalation.sla_breached",
                "escalation",
                id,
                format!("{} escalation open past its SLA", e.severity.as_str()),
            )?;
        }
        Ok(raised)
    })
}
