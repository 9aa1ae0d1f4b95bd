//! First-run setup (the clinic and its owner account) and the clinic's settings (owner, admin).

use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clinic::{default_languages, validate_languages};
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::password::{hash_password, validate_password};
use crate::roles::{Action, Role};

/// What the window needs before anyone signs in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SetupStatus {
    pub needs_setup: bool,
    pub clinic_name: Option<String>,
    /// True for the demo clinic; the sign-in screen then shows the demo accounts.
    pub demo: bool,
    /// Time zones to offer in the setup form (IANA names); empty once the clinic is set up.
    pub timezones: Vec<String>,
    /// The machine's own zone, the form's default (filled by the shell, which asks the OS).
    pub machine_timezone: Option<String>,
    /// The demo clinic's published accounts (empty for a real clinic).
    pub demo_accounts: Vec<DemoAccount>,
}

/// A demo account, shown on the demo clinic's sign-in screen so anyone can try it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetupRequest {
    pub clinic_name: String,
    pub timezone: String,
    /// Default phone region, a two-letter country code (IN, CA).
    pub phone_region: String,
    pub owner_name: String,
    pub owner_username: String,
    pub owner_password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SettingsRequest {
    pub idle_lock_minutes: i64,
    pub wait_amber_minutes: i64,
    pub wait_red_minutes: i64,
    /// Call a missed caller back within this long of their first missed call.
    pub callback_sla_minutes: i64,
    /// Pick up an escalation within this long, by severity (urgent ≤ high ≤ normal).
    pub escalation_sla_urgent_minutes: i64,
    pub escalation_sla_high_minutes: i64,
    pub escalation_sla_normal_minutes: i64,
    /// The languages the desk can serve patients in (two- or three-letter codes, most used
    /// first); the patient form offers them first and defaults to the first.
    pub languages: Vec<String>,
    /// Whether desktop notifications may show a first name. They appear on the OS lock screen
    /// and stay in its history, so they say only what happened unless the owner allows names.
    /// Only the owner may change it.
    pub desktop_alert_names: bool,
}

fn validate_settings(req: &SettingsRequest) -> Result<()> {
    if !(1..=240).contains(&req.idle_lock_minutes) {
        return Err(Error::invalid("idle_lock_minutes", "Choose an idle lock between 1 and 240 minutes."));
    }
    if !(1..=600).contains(&req.wait_amber_minutes) {
        return Err(Error::invalid("wait_amber_minutes", "Choose an amber wait threshold between 1 and 600 minutes."));
    }
    if req.wait_red_minutes <= req.wait_amber_minutes || req.wait_red_minutes > 600 {
        return Err(Error::invalid(
            "wait_red_minutes",
            "The red wait threshold must be longer than the amber one (and at most 600 minutes).",
        ));
    }
    if !(1..=1440).contains(&req.callback_sla_minutes) {
        return Err(Error::invalid(
            "callback_sla_minutes",
            "Choose a callback time between 1 minute and 1,440 minutes (a day).",
        ));
    }
    if !(1..=240).contains(&req.escalation_sla_urgent_minutes) {
        return Err(Error::invalid(
            "escalation_sla_urgent_minutes",
            "Choose a pick-up time for urgent escalations between 1 and 240 minutes.",
        ));
    }
    if req.escalation_sla_high_minutes < req.escalation_sla_urgent_minutes || req.escalation_sla_high_minutes > 1440 {
        return Err(Error::invalid(
            "escalation_sla_high_minutes",
            "High escalations can wait at least as long as urgent ones and at most 1,440 minutes.",
        ));
    }
    if req.escalation_sla_normal_minutes < req.escalation_sla_high_minutes || req.escalation_sla_normal_minutes > 10_080
    {
        return Err(Error::invalid(
            "escalation_sla_normal_minutes",
            "Normal escalations can wait at least as long as high ones and at most 10,080 minutes (a week).",
        ));
    }
    Ok(())
}

/// What the sign-in screen needs to know before anyone signs in. The demo clinic's accounts are
/// not the core's business: the shell that seeded it (`--demo`) fills `demo_accounts`.
pub fn setup_status(ctx: &Ctx) -> Result<SetupStatus> {
    let conn = ctx.desk.reader()?;
    let row: Option<(String, bool)> = conn
        .query_row("SELECT name, is_demo FROM clinic WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let needs_setup = row.is_none();
    Ok(SetupStatus {
        needs_setup,
        demo: row.as_ref().is_some_and(|r| r.1),
        demo_accounts: Vec::new(),
        machine_timezone: None,
        clinic_name: row.map(|r| r.0),
        // Only the setup form needs the ~600 zone names; skip them on every other start.
        timezones: if needs_setup { zone_names() } else { Vec::new() },
    })
}

/// Every time-zone name, for the pickers (first-run setup, the clinic's profile).
pub(crate) fn zone_names() -> Vec<String> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().to_owned()).collect()
}

/// Validated first-run input.
pub(crate) struct NewClinic {
    pub name: String,
    pub timezone: Tz,
    pub phone_region: String,
}

pub(crate) fn validate_clinic(name: &str, timezone: &str, region: &str) -> Result<NewClinic> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("clinic_name", "Enter the clinic's name."));
    }
    let tz: Tz = timezone.trim().parse().map_err(|_| {
        Error::invalid(
            "timezone",
            format!("\"{timezone}\" is not a time zone. Pick one from the list, e.g. Asia/Kolkata or America/Toronto."),
        )
    })?;
    let region_id = crate::phone::region(region)?;
    Ok(NewClinic { name: name.to_owned(), timezone: tz, phone_region: region_id.as_ref().to_owned() })
}

pub(crate) fn validate_username(username: &str, field: &'static str) -> Result<String> {
    let u = username.trim().to_lowercase();
    let ok_chars = u.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if u.len() < 3 || u.len() > 40 || !ok_chars {
        return Err(Error::invalid(
            field,
            "Use 3 to 40 letters, digits, dots, dashes or underscores for the username.",
        ));
    }
    Ok(u)
}

/// An email address typed into a form (a patient's, a staff member's): trimmed, `None` when left
/// empty, refused on `field` unless it looks like name@example.com.
pub(crate) fn validate_email(raw: Option<&str>, field: &'static str) -> Result<Option<String>> {
    let Some(e) = raw.map(str::trim).filter(|e| !e.is_empty()) else { return Ok(None) };
    let valid = e.len() <= 254
        && !e.contains(char::is_whitespace)
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    if !valid {
        return Err(Error::invalid(field, format!("\"{e}\" is not an email address. Use the form name@example.com.")));
    }
    Ok(Some(e.to_owned()))
}

/// Inserts the clinic row. The caller audits it within its transaction.
pub(crate) fn insert_clinic(conn: &Connection, clinic: &NewClinic, demo: bool, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO clinic (id, name, timezone, phone_region, languages, is_demo, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            clinic.name,
            clinic.timezone.name(),
            clinic.phone_region,
            default_languages(&clinic.phone_region),
            demo,
            now
        ],
    )?;
    Ok(())
}

/// First run: creates the clinic and its owner account. Refused once a clinic exists.
pub fn setup(ctx: &Ctx, req: SetupRequest) -> Result<()> {
    let clinic = validate_clinic(&req.clinic_name, &req.timezone, &req.phone_region)?;
    let owner_name = req.owner_name.trim();
    if owner_name.is_empty() {
        return Err(Error::invalid("owner_name", "Enter the owner's name."));
    }
    let username = validate_username(&req.owner_username, "owner_username")?;
    validate_password(&req.owner_password, "owner_password")?;
    // Hashing takes a moment; do it before taking the writer.
    let hash = hash_password(&req.owner_password)?;
    ctx.desk.system_write(ctx.now, |w| {
        let exists: bool = w.conn().query_row("SELECT EXISTS(SELECT 1 FROM clinic)", [], |r| r.get(0))?;
        if exists {
            return Err(Error::AlreadySetUp);
        }
        insert_clinic(w.conn(), &clinic, false, w.now)?;
        w.conn().execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES (?1, ?2, 'owner', ?3, ?4)",
            params![username, owner_name, hash, w.now],
        )?;
        let owner_id = w.conn().last_insert_rowid();
        w.audit(
            "clinic.setup",
            "clinic",
            1,
            format!(
                "clinic created (zone {}, region {}), owner staff {owner_id}",
                clinic.timezone.name(),
                clinic.phone_region
            ),
        )?;
        w.publish(Event::ClinicSetUp);
        Ok(())
    })
}

/// Changes the clinic's operating settings (owner and admin).
pub fn update_settings(ctx: &Ctx, req: SettingsRequest) -> Result<()> {
    validate_settings(&req)?;
    let languages = validate_languages(&req.languages)?.join(",");
    ctx.write(Action::ManageSettings, |w, caller, _| {
        let names_now: bool =
            w.conn().query_row("SELECT desktop_alert_names FROM clinic WHERE id = 1", [], |r| r.get(0))?;
        if names_now != req.desktop_alert_names && caller.role != Role::Owner {
            return Err(Error::invalid(
                "desktop_alert_names",
                "Only the clinic owner can choose whether desktop notifications show names. Leave it as it is, or ask the owner.",
            ));
        }
        w.conn().execute(
            "UPDATE clinic SET idle_lock_minutes = ?1, wait_amber_minutes = ?2, wait_red_minutes = ?3,
                    callback_sla_minutes = ?4, escalation_sla_urgent_minutes = ?5,
                    escalation_sla_high_minutes = ?6, escalation_sla_normal_minutes = ?7, languages = ?8,
                desktop_alert_names = ?9
             WHERE id = 1",
            params![
                req.idle_lock_minutes,
                req.wait_amber_minutes,
                req.wait_red_minutes,
                req.callback_sla_minutes,
                req.escalation_sla_urgent_minutes,
                req.escalation_sla_high_minutes,
                req.escalation_sla_normal_minutes,
                languages,
                req.desktop_alert_names
            ],
        )?;
        w.audit(
            "clinic.settings_changed",
            "clinic",
            1,
            format!(
                "idle_lock_minutes={}, wait_amber_minutes={}, wait_red_minutes={}, callback_sla_minutes={}, \
                 escalation_sla_minutes={}/{}/{}, languages={}, desktop_alert_names={}",
                req.idle_lock_minutes,
                req.wait_amber_minutes,
                req.wait_red_minutes,
                req.callback_sla_minutes,
                req.escalation_sla_urgent_minutes,
                req.escalation_sla_high_minutes,
                req.escalation_sla_normal_minutes,
                languages,
                req.desktop_alert_names
            ),
        )?;
        w.publish(Event::ClinicChanged);
        Ok(())
    })
}
