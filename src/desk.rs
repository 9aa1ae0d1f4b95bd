//! The desk: one open clinic database, the sessions signed in on this machine and the event bus.
//! Every API function receives a [`Ctx`] (the desk, the caller's session token, the time) and
//! starts with [`Ctx::authorize`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension};

use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::events::{Event, EventBus};
use crate::roles::{allowed, Action, Role};

/// The file name of the clinic database inside the data directory.
pub const DB_FILE: &str = "clinic.sqlite3";

/// An opaque handle to a signed-in session. It never leaves the process: the shell keeps it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionToken(pub(crate) String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub staff_id: i64,
    pub last_active: i64,
    pub locked: bool,
}

pub struct Desk {
    db: Mutex<Connection>,
    pub(crate) sessions: Mutex<HashMap<SessionToken, Session>>,
    pub events: EventBus,
    path: PathBuf,
}

impl Desk {
    /// Opens the clinic database in `data_dir`, creating and migrating it as needed.
    pub fn open(data_dir: &Path) -> Result<Desk> {
        let path = data_dir.join(DB_FILE);
        let conn = crate::store::open(&path)?;
        Ok(Desk { db: Mutex::new(conn), sessions: Mutex::default(), events: EventBus::default(), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database connection. Held for one request; never across a publish.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written transaction behind
        // (SQLite rolls back), so a poisoned lock is safe to reuse.
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn sessions(&self) -> MutexGuard<'_, HashMap<SessionToken, Session>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn publish(&self, event: Event) {
        self.events.publish(event);
    }
}

/// The context of one call: the desk, who is calling, and the time (passed in, never read inside).
pub struct Ctx<'a> {
    pub desk: &'a Desk,
    pub token: Option<&'a SessionToken>,
    /// Unix seconds.
    pub now: i64,
}

/// The signed-in person an action is performed as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub staff_id: i64,
    pub role: Role,
    pub display_name: String,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor { staff_id: Some(self.staff_id), role: self.role.as_str().to_owned() }
    }
}

impl Ctx<'_> {
    /// Checks that a live, unlocked session of an active staff member whose role allows `action`
    /// is calling; a change also counts as activity for the idle lock.
    pub fn authorize(&self, conn: &Connection, action: Action) -> Result<Caller> {
        let caller = self.check_session(conn, action.is_change())?;
        if !allowed(caller.role, action) {
            return Err(Error::Forbidden { role: caller.role.as_str().to_owned(), action: action.as_str().to_owned() });
        }
        Ok(caller)
    }

    /// Records activity for the idle lock (the person is at the desk) and returns who it is.
    pub fn record_activity(&self, conn: &Connection) -> Result<Caller> {
        self.check_session(conn, true)
    }

    /// Checks there is a live, unlocked session, for helpers any role may use; not activity.
    pub fn signed_in_check(&self, conn: &Connection) -> Result<Caller> {
        self.check_session(conn, false)
    }

    fn check_session(&self, conn: &Connection, activity: bool) -> Result<Caller> {
        let token = self.token.ok_or(Error::NotSignedIn)?;
        let idle_minutes: i64 = conn
            .query_row("SELECT idle_lock_minutes FROM clinic WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotSetUp)?;
        let staff_id = {
            let mut sessions = self.desk.sessions();
            let session = sessions.get_mut(token).ok_or(Error::NotSignedIn)?;
            if session.locked || self.now - session.last_active > idle_minutes * 60 {
                session.locked = true;
                return Err(Error::SessionLocked);
            }
            if activity {
                session.last_active = self.now;
            }
            session.staff_id
        };
        // Re-read the staff row on every call: a deactivation or role change applies at once.
        let row: Option<(String, String, bool)> = conn
            .query_row("SELECT role, display_name, active FROM staff WHERE id = ?1", [staff_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match row {
            Some((role, display_name, true)) => {
                let role =
                    Role::parse(&role).ok_or_else(|| Error::Internal(format!("unknown role in staff {staff_id}")))?;
                Ok(Caller { staff_id, role, display_name })
            }
            _ => {
                self.desk.sessions().remove(token);
                Err(Error::NotSignedIn)
            }
        }
    }
}
