//! Support sessions: the software vendor's support staff (role `support`) ask for a time-boxed
//! session with a reason, a scope and a length; an owner or admin approves or denies it; an
//! approved session starts at once, runs for the minutes asked, ends by itself and can be ended
//! early (by an owner, an admin or the support person). Everyone signed in at the clinic sees a
//! banner while one runs, and the owner sees every session's history with what happened in it.
//!
//! What a support person may do is decided in the desk's check on every call
//! (`desk::Ctx::check`): without a running session nothing but asking for one; inside one what
//! its scope grants (`roles::SupportScope::grants`, the one rule), never a change. Every audit
//! row a support person causes inside a session, reads of patient records included, carries the
//! session's id. A session's status is not stored: it follows from its timestamps and the time
//! of the question ([`status`]), so expiry needs no background job.
//!
//! The reason is the support person's own words: shown to the clinic on the banner and the
//! support screen, never copied into the audit log (it may name a patient).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::{Caller, Ctx};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;
pub use crate::roles::SupportScope;

/// The shortest and longest session one may ask for, in minutes.
pub const MIN_MINUTES: i64 = 15;
pub const MAX_MINUTES: i64 = 480;
/// The longest reason (and deny reason) accepted.
const MAX_REASON_CHARS: usize = 500;
/// How many past sessions the owner's history lists.
const HISTORY_LIMIT: i64 = 200;

// ---------------------------------------------------------------------------------------------
// Wire types.

/// Whether the clinic takes support requests at all (the owner's choice on the Support screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SupportAccess {
    /// Support may ask; every session needs an owner's or admin's approval (the default).
    Ask,
    /// Requests are refused; turning it off ends a running session and denies waiting requests.
    Off,
}

impl SupportAccess {
    fn as_str(self) -> &'static str {
        match self {
            SupportAccess::Ask => "ask",
            SupportAccess::Off => "off",
        }
    }

    fn parse(s: &str) -> SupportAccess {
        if s == "off" {
            SupportAccess::Off
        } else {
            SupportAccess::Ask
        }
    }
}

/// Where a session stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SupportStatus {
    /// Waiting for an owner's or admin's decision.
    Requested,
    /// Approved and running: the support person sees what its scope allows.
    Approved,
    Denied,
    /// Ended early, or withdrawn before a decision.
    Ended,
    /// Ran its full length.
    Expired,
}

/// One support session as the Support screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SupportSession {
    pub id: i64,
    /// The support person.
    pub staff_id: i64,
    pub staff_name: String,
    pub reason: String,
    pub scope: SupportScope,
    /// The length asked for (and, once approved, given).
    pub minutes: i64,
    /// At the time of the question.
    pub status: SupportStatus,
    /// Unix seconds, like every time below.
    pub requested_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub deny_reason: Option<String>,
    pub starts_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub ended_by_name: Option<String>,
    pub ended_at: Option<i64>,
    /// How many audit rows carry this session (the support person's reads and actions in it).
    pub events: i64,
}

/// A running session as the banner shows it to everyone signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SupportBanner {
    pub id: i64,
    /// The support person (their own window says "you").
    pub staff_id: i64,
    pub staff_name: String,
    pub reason: String,
    pub scope: SupportScope,
    pub starts_at: i64,
    pub expires_at: i64,
}

/// The owner's Support screen: the setting and every session, newest first (waiting requests and
/// the running session are among them, by status).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SupportDesk {
    pub access: SupportAccess,
    pub sessions: Vec<SupportSession>,
}

/// The support person's Support screen: whether the clinic takes requests, and their latest
/// request or session (whatever its status), if any.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MySupport {
    pub access: SupportAccess,
    pub latest: Option<SupportSession>,
}

/// What happened in one session: its own lifecycle (requested, approved, ended …) and every audit
/// row the support person caused in it, in order.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SupportSessionHistory {
    pub session: SupportSession,
    pub events: Vec<SupportEvent>,
}

/// One audit row of a session's history (ids and field names, never PHI: as the log holds them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SupportEvent {
    pub seq: i64,
    pub at: i64,
    pub actor_name: Option<String>,
    pub actor_role: String,
    /// e.g. `patient.viewed`, `support.approved`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    /// Whether the row carries the session id (done inside it), rather than being about it.
    pub in_session: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupportRequest {
    /// What the support person needs to investigate, for the owner to decide on.
    pub reason: String,
    /// 15 to 480.
    pub minutes: i64,
    pub scope: SupportScope,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupportDecision {
    pub id: i64,
    pub approve: bool,
    /// Optional words for the support person when denying.
    pub deny_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupportSessionRef {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupportAccessRequest {
    pub access: SupportAccess,
}

// ---------------------------------------------------------------------------------------------
// Status and rows.

/// A session's status at `now`, from its stored timestamps: ended (or withdrawn) once `ended_at`
/// is set; requested until decided; denied; approved while `now < expires_at`, expired after.
pub fn status(decision: Option<&str>, expires_at: Option<i64>, ended_at: Option<i64>, now: i64) -> SupportStatus {
    match (decision, ended_at) {
        (Some("denied"), _) => SupportStatus::Denied,
        (_, Some(_)) => SupportStatus::Ended,
        (None, None) => SupportStatus::Requested,
        (Some(_), None) if expires_at.is_some_and(|e| now < e) => SupportStatus::Approved,
        (Some(_), None) => SupportStatus::Expired,
    }
}

const SESSION_SELECT: &str = "SELECT s.id, s.staff_id, st.display_name, s.reason, s.scope, s.minutes, s.requested_at,
        s.decision, dec.display_name, s.decided_at, s.deny_reason, s.starts_at, s.expires_at,
        en.display_name, s.ended_at,
        (SELECT COUNT(*) FROM audit_event a WHERE a.support_session_id = s.id)
 FROM support_session s
 JOIN staff st ON st.id = s.staff_id
 LEFT JOIN staff dec ON dec.id = s.decided_by
 LEFT JOIN staff en ON en.id = s.ended_by";

fn session_of_row(r: &Row<'_>, now: i64) -> rusqlite::Result<SupportSession> {
    let scope: String = r.get(4)?;
    let scope = SupportScope::parse(&scope).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, "unknown support scope".into())
    })?;
    let decision: Option<String> = r.get(7)?;
    let expires_at: Option<i64> = r.get(12)?;
    let ended_at: Option<i64> = r.get(14)?;
    Ok(SupportSession {
        id: r.get(0)?,
        staff_id: r.get(1)?,
        staff_name: r.get(2)?,
        reason: r.get(3)?,
        scope,
        minutes: r.get(5)?,
        status: status(decision.as_deref(), expires_at, ended_at, now),
        requested_at: r.get(6)?,
        decided_by_name: r.get(8)?,
        decided_at: r.get(9)?,
        deny_reason: r.get(10)?,
        starts_at: r.get(11)?,
        expires_at,
        ended_by_name: r.get(13)?,
        ended_at,
        events: r.get(15)?,
    })
}

fn session(conn: &Connection, id: i64, now: i64) -> Result<SupportSession> {
    conn.query_row(&format!("{SESSION_SELECT} WHERE s.id = ?1"), [id], |r| session_of_row(r, now))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("There is no support session {id}. Refresh the Support screen.")))
}

fn access_of(conn: &Connection) -> Result<SupportAccess> {
    let access: String = conn.query_row("SELECT support_access FROM clinic WHERE id = 1", [], |r| r.get(0))?;
    Ok(SupportAccess::parse(&access))
}

/// The support person's request waiting for a decision, or their running session, if any.
fn open_session_of(conn: &Connection, staff_id: i64, now: i64) -> Result<Option<SupportSession>> {
    let mut stmt = conn.prepare(&format!(
        "{SESSION_SELECT}
         WHERE s.staff_id = ?1 AND s.ended_at IS NULL
           AND (s.decision IS NULL OR (s.decision = 'approved' AND ?2 < s.expires_at))
         ORDER BY s.id DESC LIMIT 1"
    ))?;
    Ok(stmt.query_row(params![staff_id, now], |r| session_of_row(r, now)).optional()?)
}

fn validate_reason(raw: &str, field: &'static str, required: bool) -> Result<Option<String>> {
    let reason = raw.trim();
    if reason.is_empty() {
        if required {
            return Err(Error::invalid(
                field,
                "Say what you need to look into, so the owner can decide (e.g. \"Reminders not sent since Monday\").",
            ));
        }
        return Ok(None);
    }
    let chars = reason.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(Error::invalid(
            field,
            format!("Keep the reason under {MAX_REASON_CHARS} characters (it has {chars})."),
        ));
    }
    Ok(Some(reason.to_owned()))
}

fn validate_minutes(minutes: i64) -> Result<()> {
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return Err(Error::invalid(
            "minutes",
            format!(
                "Ask for between {MIN_MINUTES} minutes and 8 hours ({MAX_MINUTES} minutes); {minutes} is outside that. \
                 Ask again later if the work takes longer."
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The support person's side.

/// A support person asks for a session (support only). Refused when the clinic turned support
/// access off, or while they already have a request waiting or a session running.
pub fn request(ctx: &Ctx, req: SupportRequest) -> Result<SupportSession> {
    let reason = validate_reason(&req.reason, "reason", true)?.unwrap_or_default();
    validate_minutes(req.minutes)?;
    ctx.write(Action::RequestSupportAccess, |w, caller, _| {
        if access_of(w.conn())? == SupportAccess::Off {
            return Err(Error::Conflict(
                "The clinic owner turned support access off, so requests are not taken. Ask the clinic to turn it back on (Support screen) if they want your help."
                    .into(),
            ));
        }
        if let Some(open) = open_session_of(w.conn(), caller.staff_id, w.now)? {
            return Err(Error::Conflict(match open.status {
                SupportStatus::Requested => "You already have a request waiting for the owner's decision. Wait for it, or withdraw it first.".to_owned(),
                _ => "You already have a support session running. End it first if you need a different one.".to_owned(),
            }));
        }
        w.conn().execute(
            "INSERT INTO support_session (staff_id, reason, scope, minutes, requested_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![caller.staff_id, reason, req.scope.as_str(), req.minutes, w.now],
        )?;
        let id = w.conn().last_insert_rowid();
        w.audit(
            "support.requested",
            "support_session",
            id,
            format!("scope {}, {} minutes (reason kept with the session)", req.scope.as_str(), req.minutes),
        )?;
        w.publish(Event::SupportSessionChanged { id });
        session(w.conn(), id, w.now)
    })
}

/// The support person's own latest request or session and whether the clinic takes requests
/// (support only; works without a session: it is how they learn where they stand).
pub fn mine(ctx: &Ctx) -> Result<MySupport> {
    ctx.read(Action::RequestSupportAccess, |conn, caller, _| {
        let latest = conn
            .query_row(
                &format!("{SESSION_SELECT} WHERE s.staff_id = ?1 ORDER BY s.id DESC LIMIT 1"),
                [caller.staff_id],
                |r| session_of_row(r, ctx.now),
            )
            .optional()?;
        Ok(MySupport { access: access_of(conn)?, latest })
    })
}

/// The support person ends their running session early, or withdraws the request still waiting.
pub fn end_own(ctx: &Ctx) -> Result<SupportSession> {
    ctx.write(Action::RequestSupportAccess, |w, caller, _| {
        let Some(open) = open_session_of(w.conn(), caller.staff_id, w.now)? else {
            return Err(Error::Conflict(
                "You have no request waiting and no session running, so there is nothing to end.".into(),
            ));
        };
        end_in(w, caller, &open)
    })
}

// ---------------------------------------------------------------------------------------------
// The owner's and admin's side.

/// Approves or denies a waiting request (owner, admin). Approving starts the session now, for
/// the minutes asked.
pub fn decide(ctx: &Ctx, req: SupportDecision) -> Result<SupportSession> {
    let deny_reason = if req.approve {
        None
    } else {
        validate_reason(req.deny_reason.as_deref().unwrap_or(""), "deny_reason", false)?
    };
    ctx.write(Action::ManageSupportAccess, |w, caller, _| {
        let before = session(w.conn(), req.id, w.now)?;
        if before.status != SupportStatus::Requested {
            return Err(Error::Conflict(format!(
                "This request was already {}. Refresh the Support screen.",
                status_words(before.status)
            )));
        }
        if req.approve {
            if access_of(w.conn())? == SupportAccess::Off {
                return Err(Error::Conflict(
                    "Support access is turned off. Turn it back on (\"Ask me each time\") before approving a session.".into(),
                ));
            }
            let expires_at = w.now + before.minutes * 60;
            w.conn().execute(
                "UPDATE support_session SET decision = 'approved', decided_by = ?2, decided_at = ?3, starts_at = ?3, expires_at = ?4
                 WHERE id = ?1",
                params![req.id, caller.staff_id, w.now, expires_at],
            )?;
            w.audit(
                "support.approved",
                "support_session",
                req.id,
                format!(
                    "support staff {}, scope {}, {} minutes, until {expires_at}",
                    before.staff_id,
                    before.scope.as_str(),
                    before.minutes
                ),
            )?;
        } else {
            w.conn().execute(
                "UPDATE support_session SET decision = 'denied', decided_by = ?2, decided_at = ?3, deny_reason = ?4 WHERE id = ?1",
                params![req.id, caller.staff_id, w.now, deny_reason],
            )?;
            w.audit(
                "support.denied",
                "support_session",
                req.id,
                format!(
                    "support staff {}, {}",
                    before.staff_id,
                    if deny_reason.is_some() { "with a reason" } else { "no reason given" }
                ),
            )?;
        }
        w.publish(Event::SupportSessionChanged { id: req.id });
        session(w.conn(), req.id, w.now)
    })
}

/// Ends a running session early (owner, admin); the support person sees nothing from the next call.
pub fn end(ctx: &Ctx, req: SupportSessionRef) -> Result<SupportSession> {
    ctx.write(Action::ManageSupportAccess, |w, caller, _| {
        let before = session(w.conn(), req.id, w.now)?;
        if before.status != SupportStatus::Approved {
            return Err(Error::Conflict(format!(
                "This session is not running (it was {}). Refresh the Support screen.",
                status_words(before.status)
            )));
        }
        end_in(w, caller, &before)
    })
}

fn end_in(w: &mut crate::desk::Write<'_>, caller: &Caller, open: &SupportSession) -> Result<SupportSession> {
    w.conn().execute(
        "UPDATE support_session SET ended_by = ?2, ended_at = ?3 WHERE id = ?1",
        params![open.id, caller.staff_id, w.now],
    )?;
    let (action, summary) = if open.status == SupportStatus::Requested {
        ("support.withdrawn", "request withdrawn before a decision".to_owned())
    } else {
        (
            "support.ended",
            format!("ended early by staff {}, before {}", caller.staff_id, open.expires_at.unwrap_or_default()),
        )
    };
    w.audit(action, "support_session", open.id, summary)?;
    w.publish(Event::SupportSessionChanged { id: open.id });
    session(w.conn(), open.id, w.now)
}

fn status_words(status: SupportStatus) -> &'static str {
    match status {
        SupportStatus::Requested => "waiting for a decision",
        SupportStatus::Approved => "approved and running",
        SupportStatus::Denied => "denied",
        SupportStatus::Ended => "ended",
        SupportStatus::Expired => "expired",
    }
}

/// The setting and every session, newest first (owner, admin).
pub fn support_desk(ctx: &Ctx) -> Result<SupportDesk> {
    ctx.read(Action::ManageSupportAccess, |conn, _, _| {
        let mut stmt = conn.prepare(&format!("{SESSION_SELECT} ORDER BY s.id DESC LIMIT ?1"))?;
        let sessions =
            stmt.query_map([HISTORY_LIMIT], |r| session_of_row(r, ctx.now))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(SupportDesk { access: access_of(conn)?, sessions })
    })
}

/// One session and everything that happened in it (owner, admin): its lifecycle rows and every
/// audit row carrying its id, reads of patient records included (the reads still waiting in
/// memory are written first, so the list is complete).
pub fn history(ctx: &Ctx, req: SupportSessionRef) -> Result<SupportSessionHistory> {
    ctx.read(Action::ManageSupportAccess, |_, _, _| Ok(()))?;
    ctx.desk.flush_reads()?;
    ctx.read(Action::ManageSupportAccess, |conn, _, _| {
        let session = session(conn, req.id, ctx.now)?;
        let mut stmt = conn.prepare(
            "SELECT a.seq, a.at, st.display_name, a.actor_role, a.action, a.entity, a.entity_id, a.summary,
                    a.support_session_id IS NOT NULL
             FROM audit_event a LEFT JOIN staff st ON st.id = a.actor_staff_id
             WHERE a.support_session_id = ?1
             UNION
             SELECT a.seq, a.at, st.display_name, a.actor_role, a.action, a.entity, a.entity_id, a.summary,
                    a.support_session_id IS NOT NULL
             FROM audit_event a LEFT JOIN staff st ON st.id = a.actor_staff_id
             WHERE a.entity = 'support_session' AND a.entity_id = CAST(?1 AS TEXT)
             ORDER BY 1",
        )?;
        let events = stmt
            .query_map([req.id], |r| {
                Ok(SupportEvent {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor_name: r.get(2)?,
                    actor_role: r.get(3)?,
                    action: r.get(4)?,
                    entity: r.get(5)?,
                    entity_id: r.get(6)?,
                    summary: r.get(7)?,
                    in_session: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(SupportSessionHistory { session, events })
    })
}

/// Sets whether the clinic takes support requests (owner, admin). Turning it off ends a running
/// session and denies the requests waiting, each audited.
pub fn set_access(ctx: &Ctx, req: SupportAccessRequest) -> Result<()> {
    ctx.write(Action::ManageSupportAccess, |w, caller, _| {
        let before = access_of(w.conn())?;
        if before == req.access {
            w.nothing_changed();
            return Ok(());
        }
        w.conn().execute("UPDATE clinic SET support_access = ?1 WHERE id = 1", [req.access.as_str()])?;
        w.audit(
            "support.access_changed",
            "clinic",
            1,
            format!("support_access {} → {}", before.as_str(), req.access.as_str()),
        )?;
        if req.access == SupportAccess::Off {
            let open: Vec<(i64, Option<String>)> = {
                let mut stmt = w.conn().prepare(
                    "SELECT id, decision FROM support_session
                     WHERE ended_at IS NULL AND (decision IS NULL OR (decision = 'approved' AND ?1 < expires_at))",
                )?;
                let rows = stmt.query_map([w.now], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            for (id, decision) in open {
                if decision.is_none() {
                    w.conn().execute(
                        "UPDATE support_session SET decision = 'denied', decided_by = ?2, decided_at = ?3, deny_reason = ?4 WHERE id = ?1",
                        params![id, caller.staff_id, w.now, "Support access was turned off."],
                    )?;
                    w.audit("support.denied", "support_session", id, "support access turned off")?;
                } else {
                    w.conn().execute(
                        "UPDATE support_session SET ended_by = ?2, ended_at = ?3 WHERE id = ?1",
                        params![id, caller.staff_id, w.now],
                    )?;
                    w.audit("support.ended", "support_session", id, "support access turned off")?;
                }
                w.publish(Event::SupportSessionChanged { id });
            }
        }
        w.publish(Event::SupportSessionChanged { id: 0 });
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Everyone's side.

/// The sessions running now, for the banner every signed-in person sees (usually none or one).
pub fn active(ctx: &Ctx) -> Result<Vec<SupportBanner>> {
    ctx.read_signed_in(|conn, _, _| {
        let mut stmt = conn.prepare(
            "SELECT s.id, st.display_name, s.reason, s.scope, s.starts_at, s.expires_at, s.staff_id
             FROM support_session s JOIN staff st ON st.id = s.staff_id
             WHERE s.decision = 'approved' AND s.ended_at IS NULL AND s.starts_at <= ?1 AND ?1 < s.expires_at
             ORDER BY s.expires_at",
        )?;
        let rows = stmt.query_map([ctx.now], |r| {
            let scope: String = r.get(3)?;
            Ok(SupportBanner {
                id: r.get(0)?,
                staff_id: r.get(6)?,
                staff_name: r.get(1)?,
                reason: r.get(2)?,
                scope: SupportScope::parse(&scope).unwrap_or(SupportScope::Schedule),
                starts_at: r.get(4)?,
                expires_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}
