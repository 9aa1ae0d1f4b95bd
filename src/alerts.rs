//! Alerts: a new urgent escalation, an escalation or callback past its SLA. Every alert is a row
//! first (so the in-app banner and the alert list keep it whatever happens to the desktop
//! notification), then an [`Event::Alert`] the shell turns into a native notification. The text
//! says what and how old, never patient details beyond a first name.
//!
//! SLA breaches are found by [`sweep`], which the shell runs on a timer with the time passed in; a
//! breach raises its alert once.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, Entry};
use crate::desk::{Ctx, Desk};
use crate::error::{Error, Result};
use crate::escalations::{self, first_name, Escalation, Severity};
use crate::events::Event;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    UrgentEscalation,
    EscalationBreach,
    CallbackBreach,
}

impl AlertKind {
    fn as_str(self) -> &'static str {
        match self {
            AlertKind::UrgentEscalation => "urgent_escalation",
            AlertKind::EscalationBreach => "escalation_breach",
            AlertKind::CallbackBreach => "callback_breach",
        }
    }

    fn parse(s: &str) -> AlertKind {
        match s {
            "escalation_breach" => AlertKind::EscalationBreach,
            "callback_breach" => AlertKind::CallbackBreach,
            _ => AlertKind::UrgentEscalation,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Alert {
    pub id: i64,
    pub kind: AlertKind,
    /// "escalation" or "callback_task": what clicking the alert opens.
    pub entity: String,
    pub entity_id: i64,
    pub urgent: bool,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub seen: bool,
    pub delivered: bool,
    /// Why the desktop notification could not be shown, if it could not.
    pub delivery_error: Option<String>,
}

pub(crate) struct NewAlert {
    kind: AlertKind,
    entity: &'static str,
    entity_id: i64,
    urgent: bool,
    title: String,
    body: String,
}

/// "just now", "4 min", "2 h 5 min".
pub fn age(seconds: i64) -> String {
    let m = seconds.max(0) / 60;
    match m {
        0 => "just now".into(),
        1..=59 => format!("{m} min"),
        _ => format!("{} h {} min", m / 60, m % 60),
    }
}

impl NewAlert {
    pub(crate) fn for_escalation(kind: AlertKind, e: &Escalation, now: i64) -> NewAlert {
        let who = e.patient_name.as_deref().or(Some(e.caller_name.as_str()).filter(|s| !s.is_empty())).map(first_name);
        let who = who.map(|w| format!(" · {w}")).unwrap_or_default();
        let (title, body) = match kind {
            AlertKind::UrgentEscalation => (
                "Urgent escalation".to_owned(),
                format!("{}{who} · raised {}", e.category_label, age(now - e.created_at)),
            ),
            _ => (
                format!("{} escalation past its SLA", capitalise(e.severity.as_str())),
                format!("{}{who} · open {}", e.category_label, age(now - e.created_at)),
            ),
        };
        NewAlert { kind, entity: "escalation", entity_id: e.id, urgent: e.severity == Severity::Urgent, title, body }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Inserts an alert inside the caller's transaction.
pub(crate) fn raise(conn: &Connection, now: i64, a: NewAlert) -> Result<Alert> {
    conn.execute(
        "INSERT INTO alert (kind, entity, entity_id, urgent, title, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![a.kind.as_str(), a.entity, a.entity_id, a.urgent, a.title, a.body, now],
    )?;
    load(conn, conn.last_insert_rowid())
}

const SELECT_ALERT: &str =
    "SELECT id, kind, entity, entity_id, urgent, title, body, created_at, seen_at, delivered_at, delivery_error FROM alert";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Alert> {
    let kind: String = r.get(1)?;
    let seen: Option<i64> = r.get(8)?;
    let delivered: Option<i64> = r.get(9)?;
    Ok(Alert {
        id: r.get(0)?,
        kind: AlertKind::parse(&kind),
        entity: r.get(2)?,
        entity_id: r.get(3)?,
        urgent: r.get(4)?,
        title: r.get(5)?,
        body: r.get(6)?,
        created_at: r.get(7)?,
        seen: seen.is_some(),
        delivered: delivered.is_some(),
        delivery_error: r.get(10)?,
    })
}

fn load(conn: &Connection, id: i64) -> Result<Alert> {
    Ok(conn.query_row(&format!("{SELECT_ALERT} WHERE id = ?1"), [id], from_row)?)
}

/// Finds SLA breaches (open callbacks and escalations past due that have not alerted yet),
/// raises one alert each, and publishes them. Run by the shell on a timer, with the time passed in.
pub fn sweep(desk: &Desk, now: i64) -> Result<Vec<Alert>> {
    let mut conn = desk.db();
    let set_up: bool = conn.query_row("SELECT EXISTS(SELECT 1 FROM clinic)", [], |r| r.get(0))?;
    if !set_up {
        return Ok(Vec::new());
    }
    let clinic = crate::clinic::load(&conn)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut raised = Vec::new();

    let sla: i64 = tx.query_row("SELECT callback_sla_minutes FROM clinic WHERE id = 1", [], |r| r.get(0))?;
    let due: Vec<(i64, i64, i64, Option<String>)> = {
        let mut stmt = tx.prepare(
            "SELECT t.id, t.first_missed_at, t.missed_count, (SELECT given_name FROM patient p WHERE p.id = t.patient_id)
             FROM callback_task t WHERE t.status IN ('pending','attempted') AND t.breach_alerted_at IS NULL
               AND t.first_missed_at + ?1 * 60 <= ?2 ORDER BY t.first_missed_at",
        )?;
        let rows = stmt.query_map(params![sla, now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, first, count, given) in due {
        tx.execute("UPDATE callback_task SET breach_alerted_at = ?2 WHERE id = ?1", params![id, now])?;
        let who = given.map(|g| format!(" from {g}")).unwrap_or_default();
        let calls = if count > 1 { format!(" ({count} calls)") } else { String::new() };
        raised.push(raise(
            &tx,
            now,
            NewAlert {
                kind: AlertKind::CallbackBreach,
                entity: "callback_task",
                entity_id: id,
                urgent: false,
                title: "Callback past its SLA".into(),
                body: format!("Missed call{who}{calls} waiting {} (SLA {sla} min)", age(now - first)),
            },
        )?);
        audit::record(
            &tx,
            now,
            &Actor::system(),
            Entry {
                action: "callback.sla_breached",
                entity: "callback_task",
                entity_id: id.to_string(),
                summary: format!("open past the {sla}-minute SLA"),
            },
        )?;
    }

    let due: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT e.id FROM escalation e JOIN clinic c ON c.id = 1
             WHERE e.status = 'open' AND e.breach_alerted_at IS NULL
               AND e.sla_started_at + 60 * CASE e.severity WHEN 'urgent' THEN c.escalation_sla_urgent_minutes
                     WHEN 'high' THEN c.escalation_sla_high_minutes ELSE c.escalation_sla_normal_minutes END <= ?1
             ORDER BY e.sla_started_at",
        )?;
        let rows = stmt.query_map([now], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in due {
        tx.execute("UPDATE escalation SET breach_alerted_at = ?2 WHERE id = ?1", params![id, now])?;
        let e = escalations::load(&tx, &clinic, id)?;
        raised.push(raise(&tx, now, NewAlert::for_escalation(AlertKind::EscalationBreach, &e, now))?);
        audit::record(
            &tx,
            now,
            &Actor::system(),
            Entry {
                action: "escalation.sla_breached",
                entity: "escalation",
                entity_id: id.to_string(),
                summary: format!("{} escalation open past its SLA", e.severity.as_str()),
            },
        )?;
    }
    tx.commit()?;
    drop(conn);
    for a in &raised {
        desk.publish(Event::Alert { alert: a.clone() });
    }
    Ok(raised)
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AlertList {
    pub alerts: Vec<Alert>,
    pub unseen: i64,
    /// Open urgent items (urgent escalations), the number the tray shows.
    pub urgent_open: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MarkSeenRequest {
    /// The alerts to mark seen; all unseen ones when empty.
    pub alert_ids: Vec<i64>,
}

/// The latest alerts (last 7 days, newest first) and the unseen count.
pub fn list(ctx: &Ctx) -> Result<AlertList> {
    let conn = ctx.desk.db();
    ctx.authorize(&conn, crate::roles::Action::WorkQueues)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_ALERT} WHERE created_at >= ?1 ORDER BY created_at DESC, id DESC LIMIT 200"
    ))?;
    let alerts = stmt.query_map([ctx.now - 7 * 86_400], from_row)?.collect::<rusqlite::Result<_>>()?;
    let unseen = conn.query_row("SELECT COUNT(*) FROM alert WHERE seen_at IS NULL", [], |r| r.get(0))?;
    Ok(AlertList { alerts, unseen, urgent_open: urgent_open(&conn)? })
}

/// Marks alerts seen (all unseen ones when `alert_ids` is empty), audited in one transaction.
pub fn mark_seen(ctx: &Ctx, req: MarkSeenRequest) -> Result<()> {
    let mut conn = ctx.desk.db();
    let caller = ctx.authorize(&conn, crate::roles::Action::WorkQueues)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let changed = if req.alert_ids.is_empty() {
        tx.execute("UPDATE alert SET seen_at = ?1 WHERE seen_at IS NULL", [ctx.now])?
    } else {
        let mut stmt = tx.prepare_cached("UPDATE alert SET seen_at = ?2 WHERE id = ?1 AND seen_at IS NULL")?;
        let mut n = 0;
        for id in &req.alert_ids {
            n += stmt.execute(params![id, ctx.now])?;
        }
        n
    };
    if changed == 0 {
        return Ok(());
    }
    let entity_id = if req.alert_ids.is_empty() {
        "all".to_owned()
    } else {
        req.alert_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    };
    audit::record(
        &tx,
        ctx.now,
        &caller.actor(),
        Entry { action: "alert.seen", entity: "alert", entity_id, summary: format!("{changed} alert(s) marked seen") },
    )?;
    tx.commit()?;
    drop(conn);
    ctx.desk.publish(Event::AlertsChanged);
    Ok(())
}

/// Open urgent items: what the tray icon counts.
pub fn urgent_open(conn: &Connection) -> Result<i64> {
    let has_table: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = 'escalation')", [], |r| r.get(0))?;
    if !has_table {
        return Ok(0);
    }
    Ok(conn
        .query_row("SELECT COUNT(*) FROM escalation WHERE status = 'open' AND severity = 'urgent'", [], |r| r.get(0))?)
}

/// Records whether the desktop notification reached a daemon (called by the shell's notifier).
/// A failure keeps the reason; the alert itself stays in the list either way.
pub fn record_delivery(desk: &Desk, alert_id: i64, result: std::result::Result<(), String>, now: i64) -> Result<()> {
    let conn = desk.db();
    match result {
        Ok(()) => conn.execute(
            "UPDATE alert SET delivered_at = ?2, delivery_error = NULL WHERE id = ?1",
            params![alert_id, now],
        )?,
        Err(reason) => conn.execute("UPDATE alert SET delivery_error = ?2 WHERE id = ?1", params![alert_id, reason])?,
    };
    drop(conn);
    desk.publish(Event::AlertsChanged);
    Ok(())
}

/// Which alerts become desktop notifications for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DesktopAlerts {
    All,
    UrgentOnly,
    None,
}

impl DesktopAlerts {
    fn as_str(self) -> &'static str {
        match self {
            DesktopAlerts::All => "all",
            DesktopAlerts::UrgentOnly => "urgent",
            DesktopAlerts::None => "none",
        }
    }

    fn parse(s: &str) -> DesktopAlerts {
        match s {
            "urgent" => DesktopAlerts::UrgentOnly,
            "none" => DesktopAlerts::None,
            _ => DesktopAlerts::All,
        }
    }

    pub fn admits(self, alert: &Alert) -> bool {
        match self {
            DesktopAlerts::All => true,
            DesktopAlerts::UrgentOnly => alert.urgent,
            DesktopAlerts::None => false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AlertPreferences {
    pub desktop_alerts: DesktopAlerts,
}

fn preferences_of(conn: &Connection, staff_id: i64) -> Result<AlertPreferences> {
    let level: Option<String> = conn
        .query_row("SELECT desktop_alerts FROM staff_preference WHERE staff_id = ?1", [staff_id], |r| r.get(0))
        .optional()?;
    Ok(AlertPreferences { desktop_alerts: level.map(|l| DesktopAlerts::parse(&l)).unwrap_or(DesktopAlerts::All) })
}

/// The signed-in person's quiet settings.
pub fn preferences(ctx: &Ctx) -> Result<AlertPreferences> {
    let conn = ctx.desk.db();
    let caller = ctx.record_activity()?;
    preferences_of(&conn, caller.staff_id)
}

/// Sets the signed-in person's own quiet settings. Every role may (it is their own desk alerts),
/// so this needs a session rather than an entry in the role table.
pub fn set_preferences(ctx: &Ctx, req: AlertPreferences) -> Result<AlertPreferences> {
    let mut conn = ctx.desk.db();
    let caller = ctx.record_activity()?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO staff_preference (staff_id, desktop_alerts) VALUES (?1, ?2)
         ON CONFLICT (staff_id) DO UPDATE SET desktop_alerts = excluded.desktop_alerts",
        params![caller.staff_id, req.desktop_alerts.as_str()],
    )?;
    audit::record(
        &tx,
        ctx.now,
        &caller.actor(),
        Entry {
            action: "staff.alert_preferences_changed",
            entity: "staff",
            entity_id: caller.staff_id.to_string(),
            summary: format!("desktop alerts: {}", req.desktop_alerts.as_str()),
        },
    )?;
    let saved = preferences_of(&tx, caller.staff_id)?;
    tx.commit()?;
    Ok(saved)
}

/// What this desk's desktop notification says for `alert`, or None when the person signed in
/// here turned such alerts off. With nobody signed in the desk must not go silent; but a signed-out
/// or locked screen may face the waiting room, so it says what happened, not who (the app shows
/// the rest once someone signs in or unlocks).
pub fn for_desktop(ctx: &Ctx, alert: &Alert) -> Result<Option<Alert>> {
    let conn = ctx.desk.db();
    let staff_id = ctx.token.and_then(|t| ctx.desk.sessions().get(t).map(|s| s.staff_id));
    let Some(staff_id) = staff_id else { return Ok(Some(alert.without_who())) };
    if !preferences_of(&conn, staff_id)?.desktop_alerts.admits(alert) {
        return Ok(None);
    }
    // Locked (now or by idleness), or deactivated since signing in: as if signed out.
    Ok(Some(if ctx.signed_in_check(&conn).is_ok() { alert.clone() } else { alert.without_who() }))
}

impl Alert {
    /// The alert as a signed-out or locked desk shows it: what happened, not who.
    pub fn without_who(&self) -> Alert {
        Alert { body: SIGNED_OUT_BODY.to_owned(), ..self.clone() }
    }
}

/// A desktop notification's body while nobody is signed in at the desk, or the desk is locked.
pub const SIGNED_OUT_BODY: &str = "Sign in to Frontdesk to see who and open it.";

/// An alert by id (to open what it points at).
pub fn get(ctx: &Ctx, id: i64) -> Result<Alert> {
    let conn = ctx.desk.db();
    ctx.authorize(&conn, crate::roles::Action::WorkQueues)?;
    conn.query_row(&format!("{SELECT_ALERT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Alert {id} was not found.")))
}
