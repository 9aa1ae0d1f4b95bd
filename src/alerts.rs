//! Alerts: a new urgent escalation, an escalation or callback past its SLA. Every alert is a row
//! first (so the in-app banner and the alert list keep it whatever happens to the desktop
//! notification), then an [`Event::AlertRaised`] the shell turns into a native notification.
//!
//! An alert is written with two texts by the module that knows what it is about (escalations,
//! the SLA sweep): the app's says what, how old and who by first name; the desktop's says what and
//! how old only. A desktop notification leaves the desk (the OS lock screen, the notification
//! history), so [`for_desktop`] names no one unless the owner allowed first names there
//! (`clinic.desktop_alert_names`, off by default), and never while the desk is signed out or
//! locked. Neither text holds a surname, a phone number or anything clinical.
//!
//! This module knows nothing of escalations or callbacks: the modules above it raise alerts.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::{Ctx, Desk, Write};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;

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

/// An alert as the app shows it (the bell's list, the banner): with who, by first name.
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

/// An alert to raise, as the module that knows its subject words it.
pub(crate) struct NewAlert {
    pub kind: AlertKind,
    pub entity: &'static str,
    pub entity_id: i64,
    pub urgent: bool,
    /// What happened ("Urgent escalation"), shown everywhere.
    pub title: String,
    /// What, how old and who by first name: the app's text.
    pub body: String,
    /// The same without who: the desktop's text unless the owner allowed first names there.
    pub desktop_body: String,
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

/// Stores an alert in the change's transaction and queues its [`Event::AlertRaised`]. The caller
/// writes the audit entry for what made it (an escalation created, an SLA breached).
pub(crate) fn raise(w: &mut Write<'_>, a: NewAlert) -> Result<Alert> {
    let conn = w.conn();
    conn.execute(
        "INSERT INTO alert (kind, entity, entity_id, urgent, title, body, desktop_body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![a.kind.as_str(), a.entity, a.entity_id, a.urgent, a.title, a.body, a.desktop_body, w.now],
    )?;
    let alert = load(conn, conn.last_insert_rowid())?;
    w.publish(Event::AlertRaised { alert_id: alert.id });
    Ok(alert)
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
    conn.query_row(&format!("{SELECT_ALERT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Alert {id} was not found.")))
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
    ctx.read(Action::WorkQueues, |conn, _, _| {
        let mut stmt = conn.prepare_cached(&format!(
            "{SELECT_ALERT} WHERE created_at >= ?1 ORDER BY created_at DESC, id DESC LIMIT 200"
        ))?;
        let alerts = stmt.query_map([ctx.now - 7 * 86_400], from_row)?.collect::<rusqlite::Result<_>>()?;
        let unseen = conn.query_row("SELECT COUNT(*) FROM alert WHERE seen_at IS NULL", [], |r| r.get(0))?;
        Ok(AlertList { alerts, unseen, urgent_open: count_urgent_open(conn)? })
    })
}

/// An alert by id (to open what it points at).
pub fn get(ctx: &Ctx, id: i64) -> Result<Alert> {
    ctx.read(Action::WorkQueues, |conn, _, _| load(conn, id))
}

/// Marks alerts seen (all unseen ones when `alert_ids` is empty), audited in one transaction.
/// Seen is shared by the desk (the unseen count is everyone's), so it takes the right to work
/// the queues, like reading the list.
pub fn mark_seen(ctx: &Ctx, req: MarkSeenRequest) -> Result<()> {
    // Looked at first, so marking what is already seen is an answer, not a change to audit.
    let any_unseen = ctx.read(Action::WorkQueues, |conn, _, _| {
        if req.alert_ids.is_empty() {
            return Ok(conn.query_row("SELECT EXISTS(SELECT 1 FROM alert WHERE seen_at IS NULL)", [], |r| r.get(0))?);
        }
        let mut stmt = conn.prepare_cached("SELECT EXISTS(SELECT 1 FROM alert WHERE id = ?1 AND seen_at IS NULL)")?;
        for id in &req.alert_ids {
            if stmt.query_row([id], |r| r.get(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    })?;
    if !any_unseen {
        return Ok(());
    }
    ctx.write(Action::WorkQueues, |w, _, _| {
        let changed = if req.alert_ids.is_empty() {
            w.conn().execute("UPDATE alert SET seen_at = ?1 WHERE seen_at IS NULL", [w.now])?
        } else {
            let mut stmt =
                w.conn().prepare_cached("UPDATE alert SET seen_at = ?2 WHERE id = ?1 AND seen_at IS NULL")?;
            let mut n = 0;
            for id in &req.alert_ids {
                n += stmt.execute(params![id, w.now])?;
            }
            n
        };
        if changed == 0 {
            // Seen at another desk meanwhile.
            w.nothing_changed();
            return Ok(());
        }
        let entity_id = if req.alert_ids.is_empty() {
            "all".to_owned()
        } else {
            req.alert_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        };
        w.audit("alert.seen", "alert", entity_id, format!("{changed} alert(s) marked seen"))?;
        w.publish(Event::AlertsChanged);
        Ok(())
    })
}

/// Open urgent items: what the tray icon counts. Only a number, so the tray shows it whoever is
/// signed in, or no one.
pub fn urgent_open(desk: &Desk) -> Result<i64> {
    let conn = desk.reader()?;
    count_urgent_open(&conn)
}

fn count_urgent_open(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row("SELECT COUNT(*) FROM escalation WHERE status = 'open' AND severity = 'urgent'", [], |r| r.get(0))?)
}

/// Records whether the desktop notification reached a daemon (called by the shell's notifier),
/// audited as the system. A failure keeps the reason; the alert itself stays in the list either
/// way.
pub fn record_delivery(desk: &Desk, alert_id: i64, result: std::result::Result<(), String>, now: i64) -> Result<()> {
    desk.system_write(now, |w| {
        let changed = match &result {
            Ok(()) => w.conn().execute(
                "UPDATE alert SET delivered_at = ?2, delivery_error = NULL WHERE id = ?1",
                params![alert_id, w.now],
            )?,
            Err(reason) => {
                w.conn().execute("UPDATE alert SET delivery_error = ?2 WHERE id = ?1", params![alert_id, reason])?
            }
        };
        if changed == 0 {
            return Err(Error::NotFound(format!("Alert {alert_id} was not found.")));
        }
        match &result {
            Ok(()) => w.audit("alert.delivered", "alert", alert_id, "shown as a desktop notification")?,
            Err(reason) => w.audit(
                "alert.delivery_failed",
                "alert",
                alert_id,
                format!("desktop notification not shown: {reason}"),
            )?,
        };
        w.publish(Event::AlertsChanged);
        Ok(())
    })
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

    /// Whether an alert (urgent or not) becomes a desktop notification at this setting.
    pub fn admits(self, urgent: bool) -> bool {
        match self {
            DesktopAlerts::All => true,
            DesktopAlerts::UrgentOnly => urgent,
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
    ctx.read_signed_in(|conn, caller, _| preferences_of(conn, caller.staff_id))
}

/// Sets the signed-in person's own quiet settings. Every role may (it is their own desk alerts),
/// so this needs a session rather than an entry in the role table.
pub fn set_preferences(ctx: &Ctx, req: AlertPreferences) -> Result<AlertPreferences> {
    ctx.write_signed_in(|w, caller, _| {
        w.conn().execute(
            "INSERT INTO staff_preference (staff_id, desktop_alerts) VALUES (?1, ?2)
             ON CONFLICT (staff_id) DO UPDATE SET desktop_alerts = excluded.desktop_alerts",
            params![caller.staff_id, req.desktop_alerts.as_str()],
        )?;
        w.audit(
            "staff.alert_preferences_changed",
            "staff",
            caller.staff_id,
            format!("desktop alerts: {}", req.desktop_alerts.as_str()),
        )?;
        preferences_of(w.conn(), caller.staff_id)
    })
}

/// An alert as a desktop notification shows it. It leaves the desk (the OS lock screen, the
/// notification history), so it is made only by [`for_desktop`]. Not a wire type: the shell
/// hands it to the notification service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopAlert {
    pub alert_id: i64,
    pub urgent: bool,
    pub title: String,
    pub body: String,
    /// What the notification's "Open" goes to: "escalation", "callback_task", or "alert" (the
    /// alert list, when the alert itself could not be read).
    pub entity: String,
    pub entity_id: i64,
}

impl DesktopAlert {
    fn of(alert: Alert, body: String) -> DesktopAlert {
        DesktopAlert {
            alert_id: alert.id,
            urgent: alert.urgent,
            title: alert.title,
            body,
            entity: alert.entity,
            entity_id: alert.entity_id,
        }
    }

    /// What the desk shows when the core cannot say what an alert is (its database failed): that
    /// there is one, staying until someone looks. A desk must not go silent.
    pub fn unreadable(alert_id: i64) -> DesktopAlert {
        DesktopAlert {
            alert_id,
            urgent: true,
            title: "New alert".into(),
            body: "Open Frontdesk to see what it is about.".into(),
            entity: "alert".into(),
            entity_id: alert_id,
        }
    }
}

/// A desktop notification's body while nobody is signed in at the desk, or the desk is locked.
pub const SIGNED_OUT_BODY: &str = "Sign in to Frontdesk to see who and open it.";

/// A desktop notification's body, with names off, for an alert stored before alerts kept a
/// desktop text (migration 0008).
pub const NAMELESS_BODY: &str = "Open Frontdesk to see who.";

/// Whether the owner allowed first names in desktop notifications (Settings).
fn names_on_desktop(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT desktop_alert_names FROM clinic WHERE id = 1", [], |r| r.get(0))?)
}

/// The desktop text of an alert, if it was stored with one.
fn desktop_body(conn: &Connection, alert_id: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT desktop_body FROM alert WHERE id = ?1", [alert_id], |r| r.get(0))?)
}

/// What this desk's desktop notification says for an alert, or None when the person signed in
/// here turned such alerts off.
///
/// - Signed in and at the desk: what happened and how old; who by first name only if the owner
///   allowed names on the desktop.
/// - Nobody signed in: the desk must not go silent, but the screen may face the waiting room, so
///   it says what happened, not who (the app shows the rest once someone signs in).
/// - Locked (now or by idleness), or deactivated since signing in: as if signed out; a locked
///   person's choice of which alerts to get still applies.
pub fn for_desktop(ctx: &Ctx, alert_id: i64) -> Result<Option<DesktopAlert>> {
    let here = ctx.read_signed_in(|conn, caller, _| {
        let alert = load(conn, alert_id)?;
        if !preferences_of(conn, caller.staff_id)?.desktop_alerts.admits(alert.urgent) {
            return Ok(None);
        }
        // A support person outside a session that lets them see patients is never shown a name.
        let body = if names_on_desktop(conn)?
            && (caller.role != crate::roles::Role::Support || caller.may(Action::ViewPatient))
        {
            alert.body.clone()
        } else {
            desktop_body(conn, alert_id)?.unwrap_or_else(|| NAMELESS_BODY.to_owned())
        };
        Ok(Some(DesktopAlert::of(alert, body)))
    });
    match here {
        Err(Error::NotSignedIn | Error::SessionLocked) => {}
        answer => return answer,
    }
    let conn = ctx.desk.reader()?;
    let alert = load(&conn, alert_id)?;
    // The session is still there when it is locked; `read_signed_in` has dropped a deactivated one.
    let locked = ctx.token.and_then(|t| ctx.desk.sessions().get(t).map(|s| s.staff_id));
    if let Some(staff_id) = locked {
        if !preferences_of(&conn, staff_id)?.desktop_alerts.admits(alert.urgent) {
            return Ok(None);
        }
    }
    Ok(Some(DesktopAlert::of(alert, SIGNED_OUT_BODY.to_owned())))
}
