//! The settings control center's owner-facing parts beyond the operating settings
//! (`settings::update_settings`): the clinic's profile (name, time zone, phone region), its
//! retention window with the patients it lists for review, the AI-safety rules every connector
//! follows (read-only), and the recent configuration changes from the audit log.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::Action;
use crate::settings::validate_clinic;

/// The shortest and longest retention windows the clinic may choose (a month; ten years).
pub const RETENTION_DAYS: std::ops::RangeInclusive<i64> = 30..=3650;

/// What the AI voice agent and the messaging connectors may never do, as the clinic's staff
/// should read it. Fixed by the product: no setting turns them off.
pub const AI_SAFETY_RULES: [&str; 4] = [
    "No diagnosis, prescription, report interpretation or emergency decision: the agent books, \
     reminds and answers approved questions only.",
    "Only approved FAQ answers, booking, reminder, report-ready, feedback and consent-safe service \
     messages are sent.",
    "Urgent symptoms, angry callers, billing disputes, unknown questions and low-confidence calls \
     are escalated to a person at the desk.",
    "Messages go only to patients who consented to that channel.",
];

/// The entities whose changes are the clinic's configuration (not its day-to-day work).
const CONFIGURATION_ENTITIES: &str = "'clinic', 'branch', 'doctor', 'service', 'exception', 'staff', 'support_session'";

#[derive(Debug, Clone, Serialize, TS)]
pub struct ControlCenter {
    pub clinic_name: String,
    pub timezone: String,
    /// Every zone name, for the time-zone picker.
    pub timezones: Vec<String>,
    pub phone_region: String,
    pub retention_days: i64,
    /// Patients not seen (no appointment, no change to their record) within the retention window:
    /// candidates for a person to review. Nothing is deleted automatically.
    pub retention_candidates: i64,
    pub ai_safety_rules: Vec<String>,
    /// The latest configuration changes, newest first.
    pub recent_changes: Vec<ConfigChange>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConfigChange {
    pub seq: i64,
    /// When, in the clinic's zone ("Thu 3 Dec 2026 14:05").
    pub at_label: String,
    /// Who (their name), or "Frontdesk" for the system.
    pub actor: String,
    pub action: String,
    pub summary: String,
}

/// The clinic's profile as the form sends it back.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ClinicProfileRequest {
    pub clinic_name: String,
    pub timezone: String,
    pub phone_region: String,
    pub retention_days: i64,
    /// A time-zone change with appointments booked ahead was shown and confirmed.
    pub confirmed: bool,
}

/// The control center's read (owner and admin).
pub fn control_center(ctx: &Ctx) -> Result<ControlCenter> {
    ctx.read(Action::ManageSettings, |conn, _, clinic| {
        let retention_days: i64 = conn.query_row("SELECT retention_days FROM clinic WHERE id = 1", [], |r| r.get(0))?;
        let retention_candidates = retention_candidates(conn, ctx.now, retention_days)?;
        let mut stmt = conn.prepare(&format!(
            "SELECT a.seq, a.at, COALESCE(s.display_name, 'Frontdesk'), a.action, a.summary
             FROM audit_event a LEFT JOIN staff s ON s.id = a.actor_staff_id
             WHERE a.entity IN ({CONFIGURATION_ENTITIES}) AND a.action NOT LIKE '%.viewed'
             ORDER BY a.seq DESC LIMIT 12"
        ))?;
        let recent_changes = stmt
            .query_map([], |r| {
                let at: i64 = r.get(1)?;
                Ok(ConfigChange {
                    seq: r.get(0)?,
                    at_label: format!(
                        "{} {}",
                        clinic.date_label(crate::schedule::local_date(clinic.timezone, at)),
                        crate::clock::wall_label(clinic.timezone, at)
                    ),
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    summary: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ControlCenter {
            clinic_name: clinic.name.clone(),
            timezone: clinic.timezone.name().to_owned(),
            timezones: crate::settings::zone_names(),
            phone_region: clinic.phone_region.as_ref().to_owned(),
            retention_days,
            retention_candidates,
            ai_safety_rules: AI_SAFETY_RULES.iter().map(|r| (*r).to_owned()).collect(),
            recent_changes,
        })
    })
}

/// Patients with no appointment starting within the window and no change to their record in it.
fn retention_candidates(conn: &Connection, now: i64, retention_days: i64) -> Result<i64> {
    let since = now - retention_days * 86_400;
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM patient p
         WHERE p.merged_into IS NULL AND p.updated_at < ?1
           AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id AND a.starts_at >= ?1)",
        [since],
        |r| r.get(0),
    )?)
}

/// Changes the clinic's name, time zone, phone region and retention window (owner and admin).
/// A new time zone moves the local time every booked appointment shows; with appointments booked
/// from now on, it is asked about first ([`Error::NeedsConfirmation`]).
pub fn update_clinic_profile(ctx: &Ctx, req: ClinicProfileRequest) -> Result<()> {
    let profile = validate_clinic(&req.clinic_name, &req.timezone, &req.phone_region)?;
    if !RETENTION_DAYS.contains(&req.retention_days) {
        return Err(Error::invalid(
            "retention_days",
            format!(
                "Choose a retention window between {} days and {} days (ten years).",
                RETENTION_DAYS.start(),
                RETENTION_DAYS.end()
            ),
        ));
    }
    // Saving the form unchanged is not a change: nothing to write, nothing to audit.
    let unchanged = ctx.read(Action::ManageSettings, |conn, _, clinic| {
        let retention: i64 = conn.query_row("SELECT retention_days FROM clinic WHERE id = 1", [], |r| r.get(0))?;
        Ok(profile.name == clinic.name
            && profile.timezone == clinic.timezone
            && profile.phone_region == clinic.phone_region.as_ref()
            && req.retention_days == retention)
    })?;
    if unchanged {
        return Ok(());
    }
    ctx.write(Action::ManageSettings, |w, _, clinic| {
        let retention_before: i64 =
            w.conn().query_row("SELECT retention_days FROM clinic WHERE id = 1", [], |r| r.get(0))?;
        let zone_changes = profile.timezone != clinic.timezone;
        if zone_changes && !req.confirmed {
            let ahead: i64 = w.conn().query_row(
                "SELECT COUNT(*) FROM appointment WHERE starts_at >= ?1 AND status IN ('booked', 'confirmed')",
                [w.now],
                |r| r.get(0),
            )?;
            if ahead > 0 {
                return Err(Error::NeedsConfirmation(format!(
                    "{ahead} booked appointment{s} from now on will show at {their} local time in {new} instead of {old}: \
                     the instant each was booked for stays the same. Doctors' weekly hours stay as written. \
                     Change the time zone anyway?",
                    s = if ahead == 1 { "" } else { "s" },
                    their = if ahead == 1 { "its" } else { "their" },
                    new = profile.timezone.name(),
                    old = clinic.timezone.name(),
                )));
            }
        }
        let mut changed = Vec::new();
        if profile.name != clinic.name {
            // The name is the clinic's, not a patient's: it may be said in the audit log.
            changed.push(format!("name \"{}\" → \"{}\"", clinic.name, profile.name));
        }
        if zone_changes {
            changed.push(format!("timezone {} → {}", clinic.timezone.name(), profile.timezone.name()));
        }
        if profile.phone_region != clinic.phone_region.as_ref() {
            changed.push(format!("phone_region {} → {}", clinic.phone_region.as_ref(), profile.phone_region));
        }
        if req.retention_days != retention_before {
            changed.push(format!("retention_days {retention_before} → {}", req.retention_days));
        }
        if changed.is_empty() {
            return Err(Error::Conflict("Someone saved these same values a moment ago; nothing to change.".into()));
        }
        w.conn().execute(
            "UPDATE clinic SET name = ?1, timezone = ?2, phone_region = ?3, retention_days = ?4 WHERE id = 1",
            params![profile.name, profile.timezone.name(), profile.phone_region, req.retention_days],
        )?;
        w.audit("clinic.profile_changed", "clinic", 1, changed.join(", "))?;
        w.publish(Event::ClinicChanged);
        Ok(())
    })
}
