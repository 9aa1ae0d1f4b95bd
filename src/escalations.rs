//! Escalations: the human-loop tasks the voice agent (or staff, or a message) raises when a person
//! must take over — urgent symptoms, angry callers, billing disputes, unknown questions,
//! low-confidence calls, tool failures, report reviews, registration help (seeds 001, 002).
//!
//! Urgent symptoms are always severity urgent, whatever the source said. A new urgent escalation
//! raises an alert in the same transaction; this module words escalations' alerts (the SLA sweep
//! raises the breaches with [`new_alert`]).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alerts::{self, AlertKind, NewAlert};
use crate::clinic::Clinic;
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    UrgentSymptoms,
    AngryCaller,
    BillingDispute,
    UnknownQuestion,
    LowConfidence,
    ToolFailure,
    ReportReview,
    RegistrationHelp,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::UrgentSymptoms,
        Category::AngryCaller,
        Category::BillingDispute,
        Category::UnknownQuestion,
        Category::LowConfidence,
        Category::ToolFailure,
        Category::ReportReview,
        Category::RegistrationHelp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::UrgentSymptoms => "urgent_symptoms",
            Category::AngryCaller => "angry_caller",
            Category::BillingDispute => "billing_dispute",
            Category::UnknownQuestion => "unknown_question",
            Category::LowConfidence => "low_confidence",
            Category::ToolFailure => "tool_failure",
            Category::ReportReview => "report_review",
            Category::RegistrationHelp => "registration_help",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::UrgentSymptoms => "Urgent symptoms",
            Category::AngryCaller => "Angry caller",
            Category::BillingDispute => "Billing dispute",
            Category::UnknownQuestion => "Unknown question",
            Category::LowConfidence => "Low-confidence call",
            Category::ToolFailure => "Tool failure",
            Category::ReportReview => "Report review",
            Category::RegistrationHelp => "Registration help",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Urgent,
    High,
    Normal,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Urgent => "urgent",
            Severity::High => "high",
            Severity::Normal => "normal",
        }
    }

    pub fn parse(s: &str) -> Severity {
        match s {
            "urgent" => Severity::Urgent,
            "high" => Severity::High,
            _ => Severity::Normal,
        }
    }
}

/// The one rule no source may override: urgent symptoms are urgent.
pub fn effective_severity(category: Category, requested: Severity) -> Severity {
    if category == Category::UrgentSymptoms {
        Severity::Urgent
    } else {
        requested
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EscalationSource {
    VoiceAgent,
    Staff,
    Message,
}

impl EscalationSource {
    fn as_str(self) -> &'static str {
        match self {
            EscalationSource::VoiceAgent => "voice_agent",
            EscalationSource::Staff => "staff",
            EscalationSource::Message => "message",
        }
    }

    fn parse(s: &str) -> EscalationSource {
        match s {
            "voice_agent" => EscalationSource::VoiceAgent,
            "message" => EscalationSource::Message,
            _ => EscalationSource::Staff,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EscalationRequest {
    pub category: Category,
    pub severity: Severity,
    pub source: EscalationSource,
    /// What happened, in a sentence or two.
    pub summary: String,
    pub patient_id: Option<i64>,
    pub caller_name: String,
    /// The caller's number in any format, if known.
    pub caller_number: Option<String>,
    /// The voice agent's call id, if any.
    pub call_ref: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct EscalationNote {
    pub at: i64,
    pub staff_name: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Escalation {
    pub id: i64,
    pub category: Category,
    pub category_label: String,
    pub severity: Severity,
    pub source: EscalationSource,
    pub summary: String,
    pub patient_id: Option<i64>,
    pub patient_name: Option<String>,
    pub caller_name: String,
    pub caller_display: Option<String>,
    pub call_ref: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub open: bool,
    pub outcome: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    /// When the severity's SLA runs out (from creation, or the latest reopening).
    pub due_at: i64,
    pub notes: Vec<EscalationNote>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EscalationRef {
    pub escalation_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EscalationNoteRequest {
    pub escalation_id: i64,
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResolveEscalationRequest {
    pub escalation_id: i64,
    /// What was done: "Called back, booked same-day with Dr. Chen", "Advised to call 911".
    pub outcome: String,
}

#[derive(Debug, Clone, Deserialize, TS, Default)]
pub struct EscalationListRequest {
    /// Include the last 7 days' resolved escalations after the open ones.
    pub include_resolved: bool,
}

const SELECT_ESCALATION: &str = "
    SELECT e.id, e.category, e.severity, e.source, e.summary, e.patient_id,
           (SELECT p.given_name || ' ' || p.family_name FROM patient p WHERE p.id = e.patient_id),
           e.caller_name, e.caller_e164, e.call_ref, e.owner_id, s.display_name, e.status, e.outcome, e.created_at, e.resolved_at,
           e.sla_started_at,
           CASE e.severity WHEN 'urgent' THEN c.escalation_sla_urgent_minutes WHEN 'high' THEN c.escalation_sla_high_minutes
                ELSE c.escalation_sla_normal_minutes END
    FROM escalation e JOIN clinic c ON c.id = 1 LEFT JOIN staff s ON s.id = e.owner_id";

fn from_row(r: &rusqlite::Row<'_>, clinic: &Clinic) -> rusqlite::Result<Escalation> {
    let category: String = r.get(1)?;
    let category = Category::parse(&category).unwrap_or(Category::UnknownQuestion);
    let severity: String = r.get(2)?;
    let source: String = r.get(3)?;
    let e164: Option<String> = r.get(8)?;
    let status: String = r.get(12)?;
    let created_at: i64 = r.get(14)?;
    let sla_started_at: i64 = r.get(16)?;
    let sla: i64 = r.get(17)?;
    Ok(Escalation {
        id: r.get(0)?,
        category,
        category_label: category.label().to_owned(),
        severity: Severity::parse(&severity),
        source: EscalationSource::parse(&source),
        summary: r.get(4)?,
        patient_id: r.get(5)?,
        patient_name: r.get(6)?,
        caller_name: r.get(7)?,
        caller_display: e164.map(|e| crate::phone::display(&e, clinic.phone_region)),
        call_ref: r.get(9)?,
        owner_id: r.get(10)?,
        owner_name: r.get(11)?,
        open: status == "open",
        outcome: r.get(13)?,
        created_at,
        resolved_at: r.get(15)?,
        due_at: sla_started_at + sla * 60,
        notes: Vec::new(),
    })
}

pub(crate) fn load(conn: &Connection, clinic: &Clinic, id: i64) -> Result<Escalation> {
    let mut e = conn
        .query_row(&format!("{SELECT_ESCALATION} WHERE e.id = ?1"), [id], |r| from_row(r, clinic))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Escalation {id} was not found. Refresh the list.")))?;
    let mut stmt = conn.prepare_cached(
        "SELECT n.at, s.display_name, n.body FROM escalation_note n LEFT JOIN staff s ON s.id = n.staff_id
         WHERE n.escalation_id = ?1 ORDER BY n.at DESC, n.id DESC",
    )?;
    e.notes = stmt
        .query_map([id], |r| Ok(EscalationNote { at: r.get(0)?, staff_name: r.get(1)?, body: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(e)
}

/// The first name only: an alert names no one further.
fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or("").to_owned()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The alert for an escalation (`kind`: new and urgent, or past its SLA), as of `now`: what, who
/// by first name (the patient's, else the caller's) in the app, and how long it has waited.
pub(crate) fn new_alert(kind: AlertKind, e: &Escalation, now: i64) -> NewAlert {
    let who = e.patient_name.as_deref().or(Some(e.caller_name.as_str()).filter(|s| !s.is_empty())).map(first_name);
    let (title, waited) = match kind {
        AlertKind::UrgentEscalation => ("Urgent escalation".to_owned(), "raised"),
        _ => (format!("{} escalation past its SLA", capitalise(e.severity.as_str())), "open"),
    };
    let body = |who: &str| format!("{}{who} · {waited} {}", e.category_label, alerts::age(now - e.created_at));
    NewAlert {
        kind,
        entity: "escalation",
        entity_id: e.id,
        urgent: e.severity == Severity::Urgent,
        title,
        body: body(&who.map(|w| format!(" · {w}")).unwrap_or_default()),
        desktop_body: body(""),
    }
}

/// Raises an escalation. Staff create them from the UI; the voice-agent and hub connectors will
/// call this same function. A new urgent one raises an alert in the same transaction.
pub fn create(ctx: &Ctx, req: EscalationRequest) -> Result<Escalation> {
    let summary = req.summary.trim();
    if summary.is_empty() {
        return Err(Error::invalid(
            "summary",
            "Say what happened in a sentence (e.g. \"caller reports chest pain since morning\").",
        ));
    }
    if summary.chars().count() > 2000 {
        return Err(Error::invalid("summary", "Keep the summary under 2,000 characters."));
    }
    let severity = effective_severity(req.category, req.severity);
    ctx.write(Action::WorkQueues, |w, _, clinic| {
        let e164 = match req.caller_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(n) => Some(crate::phone::normalise(n, clinic.phone_region, "caller_number")?),
            None => None,
        };
        let patient_id = match req.patient_id {
            Some(id) => {
                let exists: bool =
                    w.conn().query_row("SELECT EXISTS(SELECT 1 FROM patient WHERE id = ?1)", [id], |r| r.get(0))?;
                if !exists {
                    return Err(Error::invalid(
                        "patient_id",
                        "That patient was not found. Search again or leave it empty.",
                    ));
                }
                Some(id)
            }
            // Link a known caller by phone, as a missed call is: the holder of the number first,
            // never a record merged into another.
            None => match &e164 {
                Some(n) => w
                    .conn()
                    .query_row(
                        "SELECT ph.patient_id FROM patient_phone ph JOIN patient p ON p.id = ph.patient_id
                         WHERE ph.e164 = ?1 AND p.merged_into IS NULL
                         ORDER BY ph.relationship != 'self', ph.is_primary DESC, ph.id LIMIT 1",
                        [n],
                        |r| r.get(0),
                    )
                    .optional()?,
                None => None,
            },
        };
        w.conn().execute(
            "INSERT INTO escalation (category, severity, source, summary, patient_id, caller_name, caller_e164, call_ref,
                                     sla_started_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9)",
            params![
                req.category.as_str(),
                severity.as_str(),
                req.source.as_str(),
                summary,
                patient_id,
                req.caller_name.trim(),
                e164,
                req.call_ref,
                w.now
            ],
        )?;
        let id = w.conn().last_insert_rowid();
        w.audit(
            "escalation.created",
            "escalation",
            id,
            format!("{} / {} from {}", req.category.as_str(), severity.as_str(), req.source.as_str()),
        )?;
        w.publish(Event::EscalationsChanged);
        let escalation = load(w.conn(), clinic, id)?;
        if severity == Severity::Urgent {
            let now = w.now;
            alerts::raise(w, new_alert(AlertKind::UrgentEscalation, &escalation, now))?;
        }
        Ok(escalation)
    })
}

/// Open escalations: most severe first, then oldest.
pub fn list(ctx: &Ctx, req: EscalationListRequest) -> Result<Vec<Escalation>> {
    ctx.read(Action::WorkQueues, |conn, _, clinic| list_in(conn, clinic, ctx.now, req.include_resolved))
}

/// [`list`] on an open connection, for screens that gather several queues in one read.
pub(crate) fn list_in(conn: &Connection, clinic: &Clinic, now: i64, include_resolved: bool) -> Result<Vec<Escalation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_ESCALATION} WHERE e.status = 'open' OR (?1 AND e.resolved_at >= ?2)
         ORDER BY e.status != 'open', CASE e.severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, e.created_at, e.id"
    ))?;
    let ids: Vec<i64> =
        stmt.query_map(params![include_resolved, now - 7 * 86_400], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| load(conn, clinic, id)).collect()
}

pub fn get(ctx: &Ctx, req: EscalationRef) -> Result<Escalation> {
    ctx.read(Action::WorkQueues, |conn, _, clinic| load(conn, clinic, req.escalation_id))
}

/// One change to an existing escalation: `apply` gets the transaction's connection, who is doing
/// it, the escalation as it is and the time, and returns the audit summary.
fn change(
    ctx: &Ctx,
    id: i64,
    action: &'static str,
    apply: impl FnOnce(&Connection, i64, &Escalation, i64) -> Result<String>,
) -> Result<Escalation> {
    ctx.write(Action::WorkQueues, |w, caller, clinic| {
        let current = load(w.conn(), clinic, id)?;
        let summary = apply(w.conn(), caller.staff_id, &current, w.now)?;
        w.audit(action, "escalation", id, summary)?;
        w.publish(Event::EscalationsChanged);
        load(w.conn(), clinic, id)
    })
}

/// Takes ownership of an escalation ("I'm on it").
pub fn take(ctx: &Ctx, req: EscalationRef) -> Result<Escalation> {
    change(ctx, req.escalation_id, "escalation.taken", |conn, staff, e, now| {
        if !e.open {
            return Err(Error::Conflict("This escalation is resolved. Reopen it first.".into()));
        }
        conn.execute("UPDATE escalation SET owner_id = ?2, updated_at = ?3 WHERE id = ?1", params![e.id, staff, now])?;
        Ok(format!("owner staff {staff}"))
    })
}

pub fn add_note(ctx: &Ctx, req: EscalationNoteRequest) -> Result<Escalation> {
    let body = req.body.trim().to_owned();
    if body.is_empty() || body.chars().count() > 2000 {
        return Err(Error::invalid("body", "Write the note (up to 2,000 characters)."));
    }
    change(ctx, req.escalation_id, "escalation.note_added", move |conn, staff, e, now| {
        conn.execute(
            "INSERT INTO escalation_note (escalation_id, staff_id, body, at) VALUES (?1, ?2, ?3, ?4)",
            params![e.id, staff, body, now],
        )?;
        Ok(format!("note {}", conn.last_insert_rowid()))
    })
}

pub fn resolve(ctx: &Ctx, req: ResolveEscalationRequest) -> Result<Escalation> {
    let outcome = req.outcome.trim().to_owned();
    if outcome.is_empty() {
        return Err(Error::invalid("outcome", "Say how it was resolved (e.g. \"called back, booked same day\")."));
    }
    change(ctx, req.escalation_id, "escalation.resolved", move |conn, staff, e, now| {
        if !e.open {
            return Err(Error::Conflict("This escalation is already resolved.".into()));
        }
        conn.execute(
            "UPDATE escalation SET status = 'resolved', outcome = ?2, resolved_at = ?3, resolved_by = ?4,
                    owner_id = COALESCE(owner_id, ?4), updated_at = ?3 WHERE id = ?1",
            params![e.id, outcome, now, staff],
        )?;
        Ok("resolved".into())
    })
}

pub fn reopen(ctx: &Ctx, req: EscalationRef) -> Result<Escalation> {
    change(ctx, req.escalation_id, "escalation.reopened", |conn, _staff, e, now| {
        if e.open {
            return Err(Error::Conflict("This escalation is already open.".into()));
        }
        // A reopened escalation starts a new SLA clock and may alert again.
        conn.execute(
            "UPDATE escalation SET status = 'open', resolved_at = NULL, resolved_by = NULL, breach_alerted_at = NULL,
                    sla_started_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![e.id, now],
        )?;
        Ok("reopened".into())
    })
}
