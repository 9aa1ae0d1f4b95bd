//! Staff and roles: the staff directory, accounts created and edited by owners and admins,
//! deactivation (which ends the person's sessions at once), unlocking, temporary passwords and
//! the person's own password change, and each role's access profile, read from the one
//! permission table in `roles.rs`.
//!
//! Rules kept here, inside each change's transaction: only an owner makes someone an owner or
//! changes an owner's account; the clinic always keeps one active owner; nobody deactivates
//! themselves; a doctor on the schedule is linked to at most one doctor account. Audit entries
//! name ids, roles, usernames and which fields changed, never a password or a hash.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::{Caller, Ctx};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::password::{hash_password, password_matches, validate_password};
use crate::roles::{allowed, Action, Role};
use crate::session::{count_wrong_password, session_info, SessionInfo};
use crate::settings::{validate_email, validate_username};

/// The longest display name accepted (a name, not a paragraph).
const MAX_NAME_CHARS: usize = 80;

/// One staff account as the directory shows it. No password material ever leaves the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffMember {
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    /// Locked out after too many wrong passwords, until the lockout ends or someone unlocks it.
    pub locked: bool,
    /// Holds a temporary password: must choose their own at the next sign-in.
    pub must_change_password: bool,
    /// The doctor on the schedule this account is, for doctor accounts.
    pub doctor_id: Option<i64>,
    pub doctor_name: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// How many accounts hold a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RoleCount {
    pub role: Role,
    pub active: i64,
    pub total: i64,
}

/// Everyone on the staff, active first, and the count of every role (all seven, zeros included).
#[derive(Debug, Clone, Serialize, TS)]
pub struct StaffDirectory {
    pub staff: Vec<StaffMember>,
    pub counts: Vec<RoleCount>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CreateStaffRequest {
    pub display_name: String,
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    /// Given to the person; they must replace it at their first sign-in.
    pub temporary_password: String,
    /// For a doctor account: the doctor on the schedule it is (not yet linked to anyone).
    pub doctor_id: Option<i64>,
}

/// The account's details as the edit form sends them back (all of them, changed or not).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateStaffRequest {
    pub staff_id: i64,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    /// The doctor on the schedule this account is (doctor accounts only); `None` unlinks.
    pub doctor_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetStaffActiveRequest {
    pub staff_id: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct StaffRef {
    pub staff_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResetPasswordRequest {
    pub staff_id: i64,
    pub temporary_password: String,
}

/// The signed-in person changing their own password.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AccessProfileRequest {
    pub role: Role,
}

/// What a role may do: every action, allowed or not, from the one permission table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccessProfile {
    pub role: Role,
    /// One sentence on what the role is for.
    pub description: String,
    /// Every action, in [`Action::ALL`]'s order.
    pub actions: Vec<ActionAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActionAccess {
    pub action: Action,
    pub description: String,
    pub allowed: bool,
}

const MEMBER_SELECT: &str = "SELECT s.id, s.username, s.display_name, s.email, s.role, s.active, s.locked_until,
        s.must_change_password, s.created_at, d.id, d.display_name
 FROM staff s LEFT JOIN doctor d ON d.staff_id = s.id";

fn member_of_row(r: &rusqlite::Row<'_>, now: i64) -> rusqlite::Result<StaffMember> {
    let role: String = r.get(4)?;
    // The schema's CHECK allows only the seven roles; anything else is a damaged row.
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, "unknown role".into())
    })?;
    let locked_until: Option<i64> = r.get(6)?;
    Ok(StaffMember {
        staff_id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        email: r.get(3)?,
        role,
        active: r.get(5)?,
        locked: locked_until.is_some_and(|until| until > now),
        must_change_password: r.get(7)?,
        created_at: r.get(8)?,
        doctor_id: r.get(9)?,
        doctor_name: r.get(10)?,
    })
}

/// One account as the directory shows it; `NotFound` if there is no such account.
fn member(conn: &Connection, staff_id: i64, now: i64) -> Result<StaffMember> {
    conn.query_row(&format!("{MEMBER_SELECT} WHERE s.id = ?1"), [staff_id], |r| member_of_row(r, now))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("There is no staff account {staff_id}. Refresh the staff list.")))
}

/// Every staff account, active first then by name, with the count of each role (owner, admin).
pub fn list_staff(ctx: &Ctx) -> Result<StaffDirectory> {
    ctx.read(Action::ManageStaff, |conn, _, _| {
        let mut stmt =
            conn.prepare(&format!("{MEMBER_SELECT} ORDER BY s.active DESC, s.display_name COLLATE NOCASE, s.id"))?;
        let rows = stmt.query_map([], |r| member_of_row(r, ctx.now))?;
        let staff = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let counts = Role::ALL
            .into_iter()
            .map(|role| {
                let of_role = staff.iter().filter(|m| m.role == role);
                RoleCount {
                    role,
                    active: of_role.clone().filter(|m| m.active).count() as i64,
                    total: of_role.count() as i64,
                }
            })
            .collect();
        Ok(StaffDirectory { staff, counts })
    })
}

/// Refuses, before a password is hashed, a caller the unit of work would refuse anyway, so a
/// role without `ManageStaff` is told so first (and costs no argon2 run).
fn may_manage_staff(ctx: &Ctx) -> Result<Caller> {
    ctx.read(Action::ManageStaff, |_, caller, _| Ok(caller.clone()))
}

fn validate_name(raw: &str) -> Result<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::invalid("display_name", "Enter the person's name as colleagues should see it."));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "display_name",
            format!("Keep the name under {MAX_NAME_CHARS} characters (it has {chars})."),
        ));
    }
    Ok(name)
}

/// Only an owner makes someone an owner, or changes an owner's account.
fn refuse_unless_owner(caller: &Caller, what: &str) -> Result<()> {
    if caller.role == Role::Owner {
        Ok(())
    } else {
        Err(Error::Forbidden { role: caller.role.as_str().to_owned(), action: what.to_owned() })
    }
}

/// Refuses a change that would leave the clinic with no active owner: `staff_id` (an active
/// owner) is about to stop being one. Read inside the change's `IMMEDIATE` transaction, so two
/// desks cannot each remove "the other" owner.
fn keep_an_owner(conn: &Connection, staff_id: i64, what: &str) -> Result<()> {
    let others: i64 = conn.query_row(
        "SELECT COUNT(*) FROM staff WHERE role = 'owner' AND active = 1 AND id <> ?1",
        [staff_id],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(Error::Conflict(format!(
            "This is the clinic's last active owner, so it cannot be {what}. Make someone else owner first, then try again."
        )));
    }
    Ok(())
}

/// A doctor account's link to a doctor on the schedule: only doctor accounts are linked, the
/// doctor must exist, and nobody else may already be linked to them.
fn check_doctor_link(conn: &Connection, role: Role, doctor_id: Option<i64>, staff_id: Option<i64>) -> Result<()> {
    let Some(doctor_id) = doctor_id else { return Ok(()) };
    if role != Role::Doctor {
        return Err(Error::invalid(
            "doctor_id",
            "Only a doctor account can be linked to a doctor on the schedule. Choose the doctor role, or leave the doctor empty.",
        ));
    }
    let linked: Option<(Option<i64>, Option<String>)> = conn
        .query_row(
            "SELECT d.staff_id, s.username FROM doctor d LEFT JOIN staff s ON s.id = d.staff_id WHERE d.id = ?1",
            [doctor_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match linked {
        None => Err(Error::invalid(
            "doctor_id",
            format!("There is no doctor {doctor_id} on the schedule. Pick one from the list, or add the doctor first."),
        )),
        Some((Some(other), username)) if Some(other) != staff_id => Err(Error::invalid(
            "doctor_id",
            format!(
                "That doctor is already linked to the account \"{}\". Unlink it there first, or pick another doctor.",
                username.unwrap_or_default()
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// Links `staff_id` to exactly `doctor_id` (or to no doctor).
fn set_doctor_link(conn: &Connection, staff_id: i64, doctor_id: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE doctor SET staff_id = NULL WHERE staff_id = ?1 AND id IS NOT ?2",
        params![staff_id, doctor_id],
    )?;
    if let Some(doctor_id) = doctor_id {
        conn.execute("UPDATE doctor SET staff_id = ?1 WHERE id = ?2", params![staff_id, doctor_id])?;
    }
    Ok(())
}

fn or_none(id: Option<i64>) -> String {
    id.map_or_else(|| "none".to_owned(), |id| id.to_string())
}

/// Creates an account with a temporary password, which the person must replace at their first
/// sign-in (owner, admin; only an owner creates an owner).
pub fn create_staff(ctx: &Ctx, req: CreateStaffRequest) -> Result<StaffMember> {
    let caller = may_manage_staff(ctx)?;
    if req.role == Role::Owner {
        refuse_unless_owner(&caller, "make someone an owner")?;
    }
    let display_name = validate_name(&req.display_name)?;
    let username = validate_username(&req.username, "username")?;
    let email = validate_email(req.email.as_deref(), "email")?;
    validate_password(&req.temporary_password, "temporary_password")?;
    // Hashing takes a moment; do it before taking the writer.
    let hash = hash_password(&req.temporary_password)?;
    ctx.write(Action::ManageStaff, |w, caller, _| {
        if req.role == Role::Owner {
            refuse_unless_owner(caller, "make someone an owner")?;
        }
        let taken: bool =
            w.conn().query_row("SELECT EXISTS(SELECT 1 FROM staff WHERE username = ?1)", [&username], |r| r.get(0))?;
        if taken {
            return Err(Error::invalid(
                "username",
                format!("The username \"{username}\" is already taken (perhaps by a deactivated account). Choose another one."),
            ));
        }
        check_doctor_link(w.conn(), req.role, req.doctor_id, None)?;
        w.conn().execute(
            "INSERT INTO staff (username, display_name, email, role, password_hash, must_change_password, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
            params![username, display_name, email, req.role.as_str(), hash, w.now],
        )?;
        let staff_id = w.conn().last_insert_rowid();
        set_doctor_link(w.conn(), staff_id, req.doctor_id)?;
        w.audit(
            "staff.created",
            "staff",
            staff_id,
            format!(
                "username {username}, role {}, doctor_id {}; temporary password, to change at the first sign-in",
                req.role.as_str(),
                or_none(req.doctor_id)
            ),
        )?;
        w.publish(Event::StaffChanged { staff_id });
        member(w.conn(), staff_id, w.now)
    })
}

/// Changes an account's name, email, role and doctor link (owner, admin). An admin cannot change
/// an owner's account or make someone an owner; the last active owner keeps the role.
pub fn update_staff(ctx: &Ctx, req: UpdateStaffRequest) -> Result<StaffMember> {
    ctx.write(Action::ManageStaff, |w, caller, _| {
        let display_name = validate_name(&req.display_name)?;
        let email = validate_email(req.email.as_deref(), "email")?;
        let before = member(w.conn(), req.staff_id, w.now)?;
        if before.role == Role::Owner {
            refuse_unless_owner(caller, "change an owner's account")?;
        }
        if req.role == Role::Owner && before.role != Role::Owner {
            refuse_unless_owner(caller, "make someone an owner")?;
        }
        if before.role == Role::Owner && req.role != Role::Owner && before.active {
            keep_an_owner(w.conn(), req.staff_id, "given another role")?;
        }
        check_doctor_link(w.conn(), req.role, req.doctor_id, Some(req.staff_id))?;
        let mut changed = Vec::new();
        if display_name != before.display_name {
            changed.push("display_name".to_owned());
        }
        if email != before.email {
            changed.push("email".to_owned());
        }
        if req.doctor_id != before.doctor_id {
            changed.push(format!("doctor_id {} → {}", or_none(before.doctor_id), or_none(req.doctor_id)));
        }
        let role_changed = req.role != before.role;
        if changed.is_empty() && !role_changed {
            w.nothing_changed();
            return Ok(before);
        }
        w.conn().execute(
            "UPDATE staff SET display_name = ?2, email = ?3, role = ?4 WHERE id = ?1",
            params![req.staff_id, display_name, email, req.role.as_str()],
        )?;
        set_doctor_link(w.conn(), req.staff_id, req.doctor_id)?;
        if role_changed {
            w.audit(
                "staff.role_changed",
                "staff",
                req.staff_id,
                format!("username {}: role {} → {}", before.username, before.role.as_str(), req.role.as_str()),
            )?;
        }
        if !changed.is_empty() {
            w.audit(
                "staff.updated",
                "staff",
                req.staff_id,
                format!("username {}: changed {}", before.username, changed.join(", ")),
            )?;
        }
        w.publish(Event::StaffChanged { staff_id: req.staff_id });
        member(w.conn(), req.staff_id, w.now)
    })
}

/// Deactivates or reactivates an account (owner, admin). A deactivated person's sessions on this
/// desk end at once, and any other session of theirs is refused at its next call. Nobody
/// deactivates themselves, and the last active owner stays active.
pub fn set_staff_active(ctx: &Ctx, req: SetStaffActiveRequest) -> Result<StaffMember> {
    ctx.write(Action::ManageStaff, |w, caller, _| {
        let before = member(w.conn(), req.staff_id, w.now)?;
        if before.role == Role::Owner {
            refuse_unless_owner(caller, "change an owner's account")?;
        }
        if before.active == req.active {
            w.nothing_changed();
            return Ok(before);
        }
        if !req.active {
            if before.role == Role::Owner {
                keep_an_owner(w.conn(), req.staff_id, "deactivated")?;
            }
            if req.staff_id == caller.staff_id {
                return Err(Error::Conflict(
                    "You cannot deactivate your own account. Ask another owner or admin to do it.".into(),
                ));
            }
        }
        w.conn().execute("UPDATE staff SET active = ?2 WHERE id = ?1", params![req.staff_id, req.active])?;
        if req.active {
            w.audit(
                "staff.reactivated",
                "staff",
                req.staff_id,
                format!("username {}: active false → true", before.username),
            )?;
        } else {
            let ended = ctx.desk.end_sessions_of(req.staff_id);
            w.audit(
                "staff.deactivated",
                "staff",
                req.staff_id,
                format!("username {}: active true → false; {ended} session(s) on this desk ended", before.username),
            )?;
        }
        w.publish(Event::StaffChanged { staff_id: req.staff_id });
        member(w.conn(), req.staff_id, w.now)
    })
}

/// Lifts a lockout after too many wrong passwords and clears the count (owner, admin).
pub fn unlock_staff(ctx: &Ctx, req: StaffRef) -> Result<StaffMember> {
    ctx.write(Action::ManageStaff, |w, caller, _| {
        let before = member(w.conn(), req.staff_id, w.now)?;
        if before.role == Role::Owner {
            refuse_unless_owner(caller, "change an owner's account")?;
        }
        let (failed, locked_until): (i64, Option<i64>) = w.conn().query_row(
            "SELECT failed_attempts, locked_until FROM staff WHERE id = ?1",
            [req.staff_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if failed == 0 && locked_until.is_none() {
            w.nothing_changed();
            return Ok(before);
        }
        w.conn().execute("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1", [req.staff_id])?;
        w.audit(
            "staff.unlocked",
            "staff",
            req.staff_id,
            format!("username {}: failed_attempts {failed} → 0, locked {} → false", before.username, before.locked),
        )?;
        w.publish(Event::StaffChanged { staff_id: req.staff_id });
        member(w.conn(), req.staff_id, w.now)
    })
}

/// Gives an account a temporary password (owner, admin): it must be changed at the next sign-in,
/// the account is unlocked, and the person's sessions on this desk end.
pub fn reset_password(ctx: &Ctx, req: ResetPasswordRequest) -> Result<StaffMember> {
    let caller = may_manage_staff(ctx)?;
    if req.staff_id == caller.staff_id {
        return Err(Error::invalid(
            "staff_id",
            "To change your own password, use Change password; a reset is for someone else's account.",
        ));
    }
    validate_password(&req.temporary_password, "temporary_password")?;
    // Hashing takes a moment; do it before taking the writer.
    let hash = hash_password(&req.temporary_password)?;
    ctx.write(Action::ManageStaff, |w, caller, _| {
        let before = member(w.conn(), req.staff_id, w.now)?;
        if before.role == Role::Owner {
            refuse_unless_owner(caller, "change an owner's account")?;
        }
        w.conn().execute(
            "UPDATE staff SET password_hash = ?2, must_change_password = 1, failed_attempts = 0, locked_until = NULL
             WHERE id = ?1",
            params![req.staff_id, hash],
        )?;
        let ended = ctx.desk.end_sessions_of(req.staff_id);
        w.audit(
            "staff.password_reset",
            "staff",
            req.staff_id,
            format!(
                "username {}: temporary password set, to change at the next sign-in; unlocked; {ended} session(s) on this desk ended",
                before.username
            ),
        )?;
        w.publish(Event::StaffChanged { staff_id: req.staff_id });
        member(w.conn(), req.staff_id, w.now)
    })
}

/// How a password change ended, decided in one unit of work.
enum Change {
    Changed(Box<SessionInfo>),
    WrongPassword { locked: bool },
}

/// The signed-in person replaces their password (a temporary one included). The current password
/// is checked as at sign-in: wrong ones count towards the lockout, and a lockout ends the session.
/// Returns the session as it is now, with `must_change_password` cleared.
pub fn change_password(ctx: &Ctx, req: ChangePasswordRequest) -> Result<SessionInfo> {
    let (staff_id, hash_then) = ctx.read_for_password_change(|conn, caller, _| {
        let hash: String =
            conn.query_row("SELECT password_hash FROM staff WHERE id = ?1", [caller.staff_id], |r| r.get(0))?;
        Ok((caller.staff_id, hash))
    })?;
    if req.current_password.is_empty() {
        return Err(Error::invalid(
            "current_password",
            "Enter your current password (the temporary one, if you were given one).",
        ));
    }
    validate_password(&req.new_password, "new_password")?;
    if req.new_password == req.current_password {
        return Err(Error::invalid("new_password", "Choose a new password that differs from the current one."));
    }
    // Both argon2 runs happen outside every lock, as at sign-in.
    let current_ok = password_matches(&req.current_password, &hash_then);
    let new_hash = if current_ok { Some(hash_password(&req.new_password)?) } else { None };
    let outcome = ctx.write_for_password_change(|w, caller, _| {
        let (hash_now, failed, had_temporary): (String, i64, bool) = w.conn().query_row(
            "SELECT password_hash, failed_attempts, must_change_password FROM staff WHERE id = ?1",
            [caller.staff_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if caller.staff_id != staff_id || hash_now != hash_then {
            return Err(Error::Conflict(
                "Your password was changed meanwhile (by you at another desk, or by an owner or admin). Sign out and sign in again."
                    .into(),
            ));
        }
        let Some(new_hash) = &new_hash else {
            let locked = count_wrong_password(w, staff_id, failed, "staff.password_change_refused")?;
            if locked {
                let ended = ctx.desk.end_sessions_of(staff_id);
                w.audit("session.ended", "staff", staff_id, format!("{ended} session(s) on this desk ended by the lockout"))?;
            }
            return Ok(Change::WrongPassword { locked });
        };
        w.conn().execute(
            "UPDATE staff SET password_hash = ?2, must_change_password = 0, failed_attempts = 0 WHERE id = ?1",
            params![staff_id, new_hash],
        )?;
        w.audit(
            "staff.password_changed",
            "staff",
            staff_id,
            if had_temporary { "own password chosen, replacing a temporary one" } else { "own password changed" },
        )?;
        w.publish(Event::StaffChanged { staff_id });
        Ok(Change::Changed(Box::new(session_info(w.conn(), staff_id, w.now)?)))
    })?;
    match outcome {
        Change::Changed(info) => Ok(*info),
        Change::WrongPassword { locked: false } => Err(Error::invalid(
            "current_password",
            "That is not your current password. After 5 wrong passwords the account is locked for 15 minutes.",
        )),
        Change::WrongPassword { locked: true } => Err(Error::invalid(
            "current_password",
            "That is not your current password, and that was the 5th wrong one: the account is locked for 15 minutes and you were signed out. Sign in again after that.",
        )),
    }
}

/// What `role` may do, action by action, from the one permission table. Owners and admins may
/// read any role's; everyone else their own.
pub fn access_profile(ctx: &Ctx, req: AccessProfileRequest) -> Result<AccessProfile> {
    ctx.read_signed_in(|_, caller, _| {
        if req.role != caller.role {
            // Outside an approved session a support account is told that first, as everywhere.
            caller.refuse_support_without_session()?;
        }
        if req.role != caller.role && !caller.may(Action::ManageStaff) {
            return Err(Error::Forbidden {
                role: caller.role.as_str().to_owned(),
                action: "see another role's access".to_owned(),
            });
        }
        Ok(profile_of(req.role))
    })
}

fn profile_of(role: Role) -> AccessProfile {
    AccessProfile {
        role,
        description: role.description().to_owned(),
        actions: Action::ALL
            .into_iter()
            .map(|action| ActionAccess {
                action,
                description: action.description().to_owned(),
                allowed: allowed(role, action),
            })
            .collect(),
    }
}
