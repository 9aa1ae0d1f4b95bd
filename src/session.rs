//! Signing in and out, the lockout after failed attempts, and the idle lock.
//! Passwords are hashed with argon2id; five failures lock the account for fifteen minutes.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::Actor;
use crate::desk::{Caller, Ctx, Session, SessionToken, Write};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::password::{decoy_hash, password_matches};
pub use crate::password::{hash_password, validate_password, MIN_PASSWORD_LEN};
use crate::roles::{Action, Role};

pub const MAX_FAILED_ATTEMPTS: i64 = 5;
pub const LOCKOUT_SECONDS: i64 = 15 * 60;
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UnlockRequest {
    pub password: String,
}

/// Who is signed in, and what they may do; the UI shapes itself from this.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionInfo {
    pub staff_id: i64,
    pub display_name: String,
    pub username: String,
    pub role: Role,
    pub permissions: Vec<Action>,
    /// Signed in with a temporary password: the window asks for a new one, and every other
    /// command is refused with `password_change_required` until it is changed.
    pub must_change_password: bool,
    pub clinic_name: String,
    pub timezone: String,
    pub phone_region: String,
    /// How dates are written at this clinic (the window formats every date with it).
    pub date_order: crate::clock::DateOrder,
    pub idle_lock_minutes: i64,
    pub wait_amber_minutes: i64,
    pub wait_red_minutes: i64,
    pub callback_sla_minutes: i64,
    pub escalation_sla_urgent_minutes: i64,
    pub escalation_sla_high_minutes: i64,
    pub escalation_sla_normal_minutes: i64,
    /// The languages the desk serves patients in, most used first (never empty).
    pub languages: Vec<String>,
    /// Whether desktop notifications may show a first name (the owner's choice in Settings).
    pub desktop_alert_names: bool,
}

struct StaffLogin {
    id: i64,
    role: String,
    password_hash: String,
    active: bool,
    failed_attempts: i64,
    locked_until: Option<i64>,
}

/// How a sign-in attempt ended, decided and recorded inside one unit of work.
enum Attempt {
    SignedIn { staff_id: i64 },
    Refused,
}

/// Signs in on this desk. Returns the token the shell keeps, and the session's description.
///
/// Every refusal answers the same ([`Error::BadCredentials`]), in the same time, whether the
/// username is unknown, the password wrong, the account locked or deactivated: the password is
/// checked exactly once, against a decoy hash when there is no such account, so nobody at a
/// desk can find out which usernames exist. The check runs before the writer is taken, so
/// guessing at one desk never holds up another's work. Signing in ends the desk's previous
/// session and the person's other sessions on this desk.
pub fn sign_in(ctx: &Ctx, req: SignInRequest) -> Result<(SessionToken, SessionInfo)> {
    let username = req.username.trim().to_lowercase();
    if username.is_empty() {
        return Err(Error::invalid("username", "Enter your username."));
    }
    if req.password.is_empty() {
        return Err(Error::invalid("password", "Enter your password."));
    }
    let read = |conn: &Connection| -> Result<Option<StaffLogin>> {
        Ok(conn
            .query_row(
                "SELECT id, role, password_hash, active, failed_attempts, locked_until FROM staff WHERE username = ?1",
                [&username],
                |r| {
                    Ok(StaffLogin {
                        id: r.get(0)?,
                        role: r.get(1)?,
                        password_hash: r.get(2)?,
                        active: r.get(3)?,
                        failed_attempts: r.get(4)?,
                        locked_until: r.get(5)?,
                    })
                },
            )
            .optional()?)
    };
    let seen = {
        let conn = ctx.desk.reader()?;
        ensure_set_up(&conn)?;
        read(&conn)?
    };
    let password_ok = password_matches(&req.password, seen.as_ref().map_or(decoy_hash(), |s| s.password_hash.as_str()));
    let actor = seen.as_ref().map_or_else(Actor::system, |s| Actor::staff(s.id, s.role.clone()));
    let now = ctx.now;
    let attempt = ctx.desk.write_as(now, actor, |w| {
        // Decide on the row as it is now: another desk may have changed it meanwhile.
        let staff = read(w.conn())?.filter(|s| seen.as_ref().is_some_and(|seen| seen.id == s.id));
        let Some(staff) = staff else {
            w.audit("session.sign_in_failed", "staff", "unknown", "unknown username")?;
            return Ok(Attempt::Refused);
        };
        if staff.locked_until.is_some_and(|until| until > now) {
            w.audit("session.sign_in_while_locked", "staff", staff.id, "attempt during the lockout")?;
            return Ok(Attempt::Refused);
        }
        if !staff.active {
            w.audit("session.sign_in_refused", "staff", staff.id, "account deactivated")?;
            return Ok(Attempt::Refused);
        }
        if !password_ok {
            count_wrong_password(w, staff.id, staff.failed_attempts, "session.sign_in_failed")?;
            return Ok(Attempt::Refused);
        }
        w.conn().execute("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1", [staff.id])?;
        w.audit("session.sign_in", "staff", staff.id, "signed in")?;
        // No orphan sessions: the desk's previous one (whoever it was) and this person's others end.
        let ended: Vec<i64> = {
            let mut sessions = ctx.desk.sessions();
            let mut ended = Vec::new();
            if let Some(previous) = ctx.token.and_then(|t| sessions.remove(t)) {
                ended.push(previous.staff_id);
            }
            sessions.retain(|_, s| {
                let keep = s.staff_id != staff.id;
                if !keep {
                    ended.push(s.staff_id);
                }
                keep
            });
            ended
        };
        for staff_id in ended {
            w.audit("session.ended", "staff", staff_id, "ended by a new sign-in at this desk")?;
        }
        w.publish(Event::SessionChanged { signed_in: true, locked: false });
        Ok(Attempt::SignedIn { staff_id: staff.id })
    })?;
    let Attempt::SignedIn { staff_id } = attempt else {
        return Err(Error::BadCredentials);
    };
    let token = SessionToken(hex::encode(argon2::password_hash::generate_salt()));
    ctx.desk.sessions().insert(token.clone(), Session { staff_id, last_active: now, locked: false });
    let conn = ctx.desk.reader()?;
    let info = session_info(&conn, staff_id, now)?;
    Ok((token, info))
}

/// Ends the session (if any). Always succeeds: signing out twice is not an error.
pub fn sign_out(ctx: &Ctx) -> Result<()> {
    let Some(token) = ctx.token else { return Ok(()) };
    let Some(session) = ctx.desk.sessions().remove(token) else { return Ok(()) };
    let role: Option<String> = ctx
        .desk
        .reader()?
        .query_row("SELECT role FROM staff WHERE id = ?1", [session.staff_id], |r| r.get(0))
        .optional()?;
    let actor = Actor::staff(session.staff_id, role.unwrap_or_default());
    ctx.desk.write_as(ctx.now, actor, |w| {
        w.audit("session.sign_out", "staff", session.staff_id, "signed out")?;
        w.publish(Event::SessionChanged { signed_in: false, locked: false });
        Ok(())
    })
}

/// Locks the desk now (the UI calls this when its idle timer fires, or on Ctrl+L).
pub fn lock(ctx: &Ctx) -> Result<()> {
    let token = ctx.token.ok_or(Error::NotSignedIn)?;
    if let Some(s) = ctx.desk.sessions().get_mut(token) {
        s.locked = true;
    }
    ctx.desk.events.publish(Event::SessionChanged { signed_in: true, locked: true });
    Ok(())
}

/// Unlocks a locked session with the same person's password. Failures count towards the lockout.
pub fn unlock(ctx: &Ctx, req: UnlockRequest) -> Result<SessionInfo> {
    let token = ctx.token.ok_or(Error::NotSignedIn)?;
    let staff_id = ctx.desk.sessions().get(token).map(|s| s.staff_id).ok_or(Error::NotSignedIn)?;
    let username: String =
        ctx.desk.reader()?.query_row("SELECT username FROM staff WHERE id = ?1", [staff_id], |r| r.get(0))?;
    // Reuse the sign-in path so lockout, deactivation and audit behave identically.
    let (new_token, info) = sign_in(ctx, SignInRequest { username, password: req.password }).map_err(|e| match e {
        Error::BadCredentials => Error::WrongPassword,
        e => e,
    })?;
    let mut sessions = ctx.desk.sessions();
    let session = sessions.remove(&new_token).ok_or_else(|| Error::Internal("session vanished".into()))?;
    sessions.insert(token.clone(), session);
    Ok(info)
}

/// Counts a wrong password against an account, in the unit of work that checked it: the
/// [`MAX_FAILED_ATTEMPTS`]th in a row locks the account for fifteen minutes. `failed_action` is
/// the audit action of a failure that does not lock. Returns whether the account is now locked.
pub(crate) fn count_wrong_password(
    w: &mut Write<'_>,
    staff_id: i64,
    failed_so_far: i64,
    failed_action: &str,
) -> Result<bool> {
    let failures = failed_so_far + 1;
    if failures >= MAX_FAILED_ATTEMPTS {
        w.conn().execute(
            "UPDATE staff SET failed_attempts = 0, locked_until = ?2 WHERE id = ?1",
            params![staff_id, w.now + LOCKOUT_SECONDS],
        )?;
        w.audit(
            "staff.locked_out",
            "staff",
            staff_id,
            format!("{MAX_FAILED_ATTEMPTS} wrong passwords in a row; locked for 15 minutes"),
        )?;
        Ok(true)
    } else {
        w.conn().execute("UPDATE staff SET failed_attempts = ?2 WHERE id = ?1", params![staff_id, failures])?;
        w.audit(failed_action, "staff", staff_id, format!("wrong password (attempt {failures})"))?;
        Ok(false)
    }
}

/// Who is signed in. Does not count as activity.
pub fn current(ctx: &Ctx) -> Result<SessionInfo> {
    let token = ctx.token.ok_or(Error::NotSignedIn)?;
    let conn = ctx.desk.reader()?;
    let staff_id = {
        let sessions = ctx.desk.sessions();
        let s = sessions.get(token).ok_or(Error::NotSignedIn)?;
        if s.locked {
            return Err(Error::SessionLocked);
        }
        s.staff_id
    };
    session_info(&conn, staff_id, ctx.now)
}

/// Records activity (keyboard or mouse in the window) so the idle lock does not fire mid-work.
pub fn touch(ctx: &Ctx) -> Result<()> {
    ctx.record_activity().map(|_: Caller| ())
}

fn ensure_set_up(conn: &Connection) -> Result<()> {
    let set_up: bool = conn.query_row("SELECT EXISTS(SELECT 1 FROM clinic)", [], |r| r.get(0))?;
    if set_up {
        Ok(())
    } else {
        Err(Error::NotSetUp)
    }
}

/// Who `staff_id` is and what they may do at `now` (a support person's permissions are their
/// running session's, none without one: `desk::permissions_at`).
pub(crate) fn session_info(conn: &Connection, staff_id: i64, now: i64) -> Result<SessionInfo> {
    let info = conn.query_row(
        "SELECT s.id, s.display_name, s.username, s.role, c.name, c.timezone, c.phone_region,
                c.idle_lock_minutes, c.wait_amber_minutes, c.wait_red_minutes, c.callback_sla_minutes,
                c.escalation_sla_urgent_minutes, c.escalation_sla_high_minutes, c.escalation_sla_normal_minutes,
                c.languages, c.desktop_alert_names, s.must_change_password
         FROM staff s, clinic c WHERE s.id = ?1 AND c.id = 1",
        [staff_id],
        |r| {
            let role: String = r.get(3)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                role,
                r.get(4)?,
                r.get(5)?,
                r.get::<_, String>(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                [r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?],
                r.get::<_, String>(14)?,
                r.get::<_, bool>(15)?,
                r.get::<_, bool>(16)?,
            ))
        },
    )?;
    let role = Role::parse(&info.3).ok_or_else(|| Error::Internal("unknown role".into()))?;
    Ok(SessionInfo {
        staff_id: info.0,
        display_name: info.1,
        username: info.2,
        role,
        permissions: crate::desk::permissions_at(conn, staff_id, role, now)?,
        must_change_password: info.13,
        clinic_name: info.4,
        timezone: info.5,
        date_order: crate::clock::DateOrder::of_region(&info.6),
        phone_region: info.6,
        idle_lock_minutes: info.7,
        wait_amber_minutes: info.8,
        wait_red_minutes: info.9,
        callback_sla_minutes: info.10[0],
        escalation_sla_urgent_minutes: info.10[1],
        escalation_sla_high_minutes: info.10[2],
        escalation_sla_normal_minutes: info.10[3],
        languages: crate::clinic::split_languages(&info.11),
        desktop_alert_names: info.12,
    })
}
