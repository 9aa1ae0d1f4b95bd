//! The desk: one open clinic database, the sessions signed in on this machine and the event bus,
//! and the one way anything is read or changed.
//!
//! - [`Ctx::read`] authorises an action and lends a connection from the reader pool, so reads never
//!   queue behind a write (SQLite's WAL lets readers work beside the one writer).
//! - [`Ctx::write`] is the unit of work every change goes through: it takes the one writer,
//!   opens an `IMMEDIATE` transaction (serialised across processes), authorises the action inside
//!   it, loads the clinic, runs the change, refuses to commit a change that wrote no audit entry,
//!   hands the change to the [`Outbox`], commits, and only then publishes the events it collected.
//!   [`Desk::system_write`] is the same unit of work for what the desk does by itself (first-run
//!   setup, the SLA sweep, recording a notification's delivery), audited as the system.
//!
//! Nothing else in the core opens a transaction or writes an audit row (`tests/layers.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::audit::{self, Actor, Entry};
use crate::clinic::{self, Clinic};
use crate::error::{Error, Result};
use crate::events::{Event, EventBus};
use crate::roles::{allowed, Action, Role, SupportScope};

/// The file name of the clinic database inside the data directory.
pub const DB_FILE: &str = "clinic.sqlite3";

/// How many idle reader connections the pool keeps (more are opened under load and closed after).
const IDLE_READERS: usize = 4;

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

/// Where a committed change becomes a numbered command for another system (the clinic hub,
/// issue 12). This is the one place the unit of work hands every change over, inside its
/// transaction, after the change and its audit entries are written.
pub enum Outbox {
    /// This desk's database is the clinic's source of truth: there is no one to send changes to,
    /// and nothing is kept. (Hub mode adds a variant that appends the command to its queue.)
    Native,
}

/// A change as the outbox receives it: what was done (the first audit entry's action, e.g.
/// `appointment.booked`), by whom, when, and the audit entries that describe it, in order.
#[derive(Debug, Clone)]
pub struct Command<'a> {
    pub name: &'a str,
    pub actor: &'a Actor,
    pub at: i64,
    pub audit_seqs: &'a [i64],
}

impl Outbox {
    fn record(&self, _tx: &Transaction<'_>, _command: &Command<'_>) -> Result<()> {
        match self {
            Outbox::Native => Ok(()),
        }
    }
}

pub struct Desk {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    pub(crate) sessions: Mutex<HashMap<SessionToken, Session>>,
    pub events: EventBus,
    outbox: Outbox,
    /// The audit chain's end, sealed outside the database file.
    head: audit::HeadStore,
    /// Patient data people have read, waiting to be written to the audit log in one batch.
    reads: Mutex<ReadLog>,
    path: PathBuf,
}

impl Desk {
    /// Opens the clinic database in `data_dir`, creating and migrating it as needed.
    pub fn open(data_dir: &Path) -> Result<Desk> {
        let path = data_dir.join(DB_FILE);
        let conn = crate::store::open(&path)?;
        let head = audit::HeadStore::open(&path, &conn)?;
        // The decoy hash an unknown username is checked against is made now, off the sign-in
        // path, so the first such attempt costs no more than any other.
        std::thread::spawn(|| {
            crate::password::decoy_hash();
        });
        Ok(Desk {
            head,
            reads: Mutex::default(),
            writer: Mutex::new(conn),
            readers: Mutex::default(),
            sessions: Mutex::default(),
            events: EventBus::default(),
            outbox: Outbox::Native,
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sealed head of the audit chain, as last committed; an error if the sealed file was
    /// altered or deleted.
    pub fn audit_head(&self) -> Result<audit::Head> {
        self.head.load()
    }

    /// The writer connection itself, outside the unit of work: for tests that inspect or damage
    /// the file, benchmarks and the demo seeder. Core modules never call it (`tests/layers.rs`).
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.writer()
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written transaction behind
        // (SQLite rolls back), so a poisoned lock is safe to reuse.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A read connection from the pool; it goes back when dropped.
    pub fn reader(&self) -> Result<Reader<'_>> {
        let pooled = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match pooled {
            Some(c) => c,
            None => crate::store::open_reader(&self.path)?,
        };
        Ok(Reader { conn: Some(conn), desk: self })
    }

    pub(crate) fn sessions(&self) -> MutexGuard<'_, HashMap<SessionToken, Session>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ends every session of `staff_id` on this desk at once (deactivated, password reset);
    /// returns how many there were. Sessions in other processes end at their next call, when the
    /// session check reads the staff row.
    pub(crate) fn end_sessions_of(&self, staff_id: i64) -> usize {
        let mut sessions = self.sessions();
        let before = sessions.len();
        sessions.retain(|_, s| s.staff_id != staff_id);
        before - sessions.len()
    }

    /// A change the desk makes by itself, audited as the system (first-run setup, the SLA sweep,
    /// a notification's delivery). The same unit of work as [`Ctx::write`], without a session.
    pub fn system_write<T>(&self, now: i64, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
        self.write_as(now, Actor::system(), f)
    }

    /// The unit of work for a change made before anyone is signed in, on behalf of `actor`
    /// (a sign-in attempt is recorded as the account it names).
    pub(crate) fn write_as<T>(&self, now: i64, actor: Actor, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = Write::new(tx, now, actor);
        let value = f(&mut w)?;
        let events = w.commit(&self.outbox, &self.head)?;
        drop(conn);
        self.publish_all(events);
        Ok(value)
    }

    fn publish_all(&self, events: Vec<Event>) {
        for e in events {
            self.events.publish(e);
        }
    }
}

/// Who read what: (staff, action, entity, record, support session). The value is the reader's
/// role and when the read was first seen.
type ReadKey = (i64, &'static str, &'static str, i64, Option<i64>);

/// Reads of patient data not yet in the audit log: who read what, first seen when. One entry per
/// person, kind of read and record, however often it was shown meanwhile (a search shows the same
/// patients at every keystroke).
#[derive(Default)]
struct ReadLog {
    seen: std::collections::BTreeMap<ReadKey, (String, i64)>,
    newest: i64,
}

/// After this many distinct reads, the next read writes them to the audit log (the shell's timer
/// normally does it first, every 20 s, off the search box's path).
const READS_PER_BATCH: usize = 5_000;

impl Desk {
    /// Writes the reads of patient data noted since the last batch to the audit log, each as its
    /// reader, in one transaction. The shell calls it on a timer and when it closes; a read also
    /// calls it once [`READS_PER_BATCH`] are waiting.
    pub fn flush_reads(&self) -> Result<()> {
        let (batch, now) = {
            let mut log = self.reads.lock().unwrap_or_else(|e| e.into_inner());
            if log.seen.is_empty() {
                return Ok(());
            }
            (std::mem::take(&mut log.seen), log.newest)
        };
        // One row per person, kind of read and record, so "who saw this patient" is an indexed
        // lookup (`audit::for_entity`); repeated reads within a batch are one row.
        let written = self.write_as(now, Actor::system(), |w| {
            for ((staff_id, action, entity, id, support_session_id), (role, at)) in &batch {
                let actor =
                    Actor { staff_id: Some(*staff_id), role: role.clone(), support_session_id: *support_session_id };
                w.record(&actor, *at, Entry { action, entity, entity_id: id.to_string(), summary: "read".into() })?;
            }
            Ok(())
        });
        if written.is_err() {
            // Kept for the next try rather than lost.
            let mut log = self.reads.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in batch {
                log.seen.entry(k).or_insert(v);
            }
        } else {
            // How many, never whose: the rows themselves are the audit log's.
            tracing::info!(rows = batch.len(), "reads of patient data written to the audit log");
        }
        written
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        // The last reads of the session are kept too. Nothing to report to if it fails.
        let _ = self.flush_reads();
    }
}

/// A pooled read connection (`query_only`): derefs to a [`Connection`].
pub struct Reader<'d> {
    conn: Option<Connection>,
    desk: &'d Desk,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("a reader holds its connection until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut idle = self.desk.readers.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
        }
    }
}

/// One change in progress: the open transaction, the time, who is doing it, the audit entries
/// written and the events to publish after commit. Only [`Ctx::write`] and
/// [`Desk::system_write`] make one; dropping it without commit rolls everything back.
pub struct Write<'c> {
    tx: Transaction<'c>,
    /// Unix seconds, passed in.
    pub now: i64,
    actor: Actor,
    audit_seqs: Vec<i64>,
    /// The chain's end after this change's last audit entry.
    last_hash: String,
    /// The first audit entry's action: the change's name for the outbox.
    name: Option<String>,
    /// Set by [`Write::nothing_changed`]: the work found nothing to do.
    unchanged: bool,
    events: Vec<Event>,
}

impl<'c> Write<'c> {
    fn new(tx: Transaction<'c>, now: i64, actor: Actor) -> Self {
        Write {
            tx,
            now,
            actor,
            audit_seqs: Vec::new(),
            last_hash: String::new(),
            name: None,
            unchanged: false,
            events: Vec::new(),
        }
    }

    /// The transaction's connection: every statement of the change runs on it.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    /// Appends an audit entry for this change, in its transaction. Summaries carry ids and
    /// field names, never PHI.
    pub fn audit(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        summary: impl Into<String>,
    ) -> Result<i64> {
        let actor = self.actor.clone();
        let entry = Entry { action, entity, entity_id: entity_id.to_string(), summary: summary.into() };
        self.record(&actor, self.now, entry)
    }

    /// Appends an audit row as `actor` at `at` and keeps the change's bookkeeping (its rows, the
    /// chain's new end, its name for the outbox). [`Write::audit`] is this for the change's own
    /// actor; the batch of reads records each read as its reader.
    fn record(&mut self, actor: &Actor, at: i64, entry: Entry<'_>) -> Result<i64> {
        let action = entry.action;
        let (seq, hash) = audit::record(&self.tx, at, actor, entry)?;
        self.audit_seqs.push(seq);
        self.last_hash = hash;
        self.name.get_or_insert_with(|| action.to_owned());
        Ok(seq)
    }

    /// Ends this unit of work without a change: what it came to do was already done (by another
    /// desk a moment ago, say). Whatever was written is rolled back and nothing is published.
    /// A change that wrote an audit entry cannot also be "nothing".
    pub fn nothing_changed(&mut self) {
        self.unchanged = true;
    }

    /// Queues an event; it is published only if the change commits.
    pub fn publish(&mut self, event: Event) {
        if !self.events.contains(&event) {
            self.events.push(event);
        }
    }

    /// Writes the outbox command, commits, and moves the sealed audit head forward; returns the
    /// events to publish.
    fn commit(self, outbox: &Outbox, head: &audit::HeadStore) -> Result<Vec<Event>> {
        let Some(name) = &self.name else {
            // Dropping `tx` rolls the change back.
            if self.unchanged {
                return Ok(Vec::new());
            }
            return Err(Error::Internal("a change wrote no audit entry, so it was not saved".into()));
        };
        if self.unchanged {
            return Err(Error::Internal("a change both audited and said it changed nothing; not saved".into()));
        }
        outbox.record(&self.tx, &Command { name, actor: &self.actor, at: self.now, audit_seqs: &self.audit_seqs })?;
        self.tx.commit()?;
        let last_seq = self.audit_seqs.last().copied().unwrap_or_default();
        // The change is saved whatever happens next. A head that could not be written only lags
        // behind the chain, which verification reads as "nothing sealed past here" (never as
        // tampering); the next change writes it again.
        let _ = head.advance(last_seq, &self.last_hash);
        Ok(self.events)
    }
}

/// The context of one call: the desk, who is calling, and the time (passed in, never read inside).
pub struct Ctx<'a> {
    pub desk: &'a Desk,
    pub token: Option<&'a SessionToken>,
    /// Unix seconds.
    pub now: i64,
}

/// What a call needs besides a live, unlocked session of an active staff member.
#[derive(Debug, Clone, Copy)]
enum Need {
    /// A role that allows this action.
    Action(Action),
    /// Anyone signed in.
    SignedIn,
    /// Anyone signed in, even with a temporary password still to change: only for changing it
    /// (and reporting activity, so the desk does not lock while they type it).
    OwnPassword,
}

/// The signed-in person an action is performed as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub staff_id: i64,
    pub role: Role,
    pub display_name: String,
    /// The approved support session a support person is working in, if any: every audit row
    /// they cause carries it.
    pub support_session_id: Option<i64>,
    /// That session's scope: what the support person may see in it (`roles::SupportScope`).
    pub support_scope: Option<SupportScope>,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: Some(self.staff_id),
            role: self.role.as_str().to_owned(),
            support_session_id: self.support_session_id,
        }
    }

    /// Whether this person may take `action` (for showing or hiding parts of an answer): their
    /// role's row in the table, or for a support person what their running session's scope
    /// grants ([`SupportScope::allows`]: nothing without a session).
    pub fn may(&self, action: Action) -> bool {
        if self.role == Role::Support {
            SupportScope::allows(self.support_scope, action)
        } else {
            allowed(self.role, action)
        }
    }

    /// Refuses a support person with no running session. For the few helpers every signed-in
    /// person may use that still show something of the clinic's workings (the diagnostics'
    /// log lines); the rest of a support account's limits are enforced by `Ctx::check`.
    pub fn refuse_support_without_session(&self) -> Result<()> {
        if self.role == Role::Support && self.support_session_id.is_none() {
            return Err(Error::SupportSessionRequired);
        }
        Ok(())
    }
}

impl Ctx<'_> {
    /// Reads as a person whose role allows `action`. Reads are not activity for the idle lock.
    pub fn read<T>(&self, action: Action, f: impl FnOnce(&Connection, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        self.reading(Need::Action(action), f)
    }

    /// Reads as anyone signed in (helpers every role uses: a phone preview, who am I).
    pub fn read_signed_in<T>(&self, f: impl FnOnce(&Connection, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        self.reading(Need::SignedIn, f)
    }

    /// Reads as anyone signed in, even someone who must change a temporary password first: only
    /// `staff::change_password` uses it (`tests/layers.rs`).
    pub fn read_for_password_change<T>(&self, f: impl FnOnce(&Connection, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        self.reading(Need::OwnPassword, f)
    }

    fn reading<T>(&self, need: Need, f: impl FnOnce(&Connection, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        let conn = self.desk.reader()?;
        let caller = self.check(&conn, need, false)?;
        let clinic = clinic::load(&conn)?;
        f(&conn, &caller, &clinic)
    }

    /// The unit of work for a person's change: authorise `action` inside an `IMMEDIATE`
    /// transaction, run `f`, require an audit entry, record the outbox command, commit, then
    /// publish. A refusal anywhere writes nothing and publishes nothing. A change is activity.
    pub fn write<T>(&self, action: Action, f: impl FnOnce(&mut Write<'_>, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        self.unit_of_work(Need::Action(action), f)
    }

    /// [`Ctx::write`] for a change every signed-in person may make to what is their own (their
    /// desktop-alert preference, marking alerts seen at their desk).
    pub fn write_signed_in<T>(&self, f: impl FnOnce(&mut Write<'_>, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        self.unit_of_work(Need::SignedIn, f)
    }

    /// [`Ctx::write_signed_in`] that also admits someone who must change a temporary password
    /// first: only `staff::change_password` uses it (`tests/layers.rs`).
    pub fn write_for_password_change<T>(
        &self,
        f: impl FnOnce(&mut Write<'_>, &Caller, &Clinic) -> Result<T>,
    ) -> Result<T> {
        self.unit_of_work(Need::OwnPassword, f)
    }

    fn unit_of_work<T>(&self, need: Need, f: impl FnOnce(&mut Write<'_>, &Caller, &Clinic) -> Result<T>) -> Result<T> {
        let mut conn = self.desk.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let caller = self.check(&tx, need, true)?;
        let clinic = clinic::load(&tx)?;
        let mut w = Write::new(tx, self.now, caller.actor());
        let value = f(&mut w, &caller, &clinic)?;
        let events = w.commit(&self.desk.outbox, &self.desk.head)?;
        drop(conn);
        self.desk.publish_all(events);
        Ok(value)
    }

    /// Notes that `caller` was shown the records `ids` of `entity` (`action` e.g. `patient.viewed`,
    /// `patient.listed`, `appointment.viewed`): written to the audit log in batches, so that a
    /// support session or a curious colleague leaves a trace without slowing the search box.
    pub fn note_read(
        &self,
        caller: &Caller,
        action: &'static str,
        entity: &'static str,
        ids: impl IntoIterator<Item = i64>,
    ) {
        let full = {
            let mut log = self.desk.reads.lock().unwrap_or_else(|e| e.into_inner());
            for id in ids {
                log.seen
                    .entry((caller.staff_id, action, entity, id, caller.support_session_id))
                    .or_insert_with(|| (caller.role.as_str().to_owned(), self.now));
            }
            log.newest = log.newest.max(self.now);
            log.seen.len() >= READS_PER_BATCH
        };
        // Never from inside a change (this thread may hold the writer): then the timer does it.
        if full && self.desk.writer.try_lock().is_ok() {
            let _ = self.desk.flush_reads();
        }
    }

    /// Records activity (the person is at the desk: a key or a click) and returns who it is.
    pub fn record_activity(&self) -> Result<Caller> {
        let conn = self.desk.reader()?;
        self.check(&conn, Need::OwnPassword, true)
    }

    /// Checks there is a live, unlocked session of an active staff member who has no temporary
    /// password left to change (unless `need` is [`Need::OwnPassword`]) and whose role allows
    /// the action `need` names; `activity` resets the idle clock.
    fn check(&self, conn: &Connection, need: Need, activity: bool) -> Result<Caller> {
        let token = self.token.ok_or(Error::NotSignedIn)?;
        let idle_minutes: i64 = conn
            .query_row("SELECT idle_lock_minutes FROM clinic WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotSetUp)?;
        let staff_id = {
            let mut sessions = self.desk.sessions();
            let session = sessions.get_mut(token).ok_or(Error::NotSignedIn)?;
            if session.locked || self.now.saturating_sub(session.last_active) > idle_minutes.saturating_mul(60) {
                session.locked = true;
                return Err(Error::SessionLocked);
            }
            if activity {
                session.last_active = self.now;
            }
            session.staff_id
        };
        // Re-read the staff row on every call: a deactivation, a role change or a password reset
        // applies at once.
        let row: Option<(String, String, bool, bool)> = conn
            .query_row(
                "SELECT role, display_name, active, must_change_password FROM staff WHERE id = ?1",
                [staff_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let caller = match row {
            Some((_, _, true, true)) if !matches!(need, Need::OwnPassword) => {
                return Err(Error::PasswordChangeRequired);
            }
            Some((role, display_name, true, _)) => {
                let role =
                    Role::parse(&role).ok_or_else(|| Error::Internal(format!("unknown role in staff {staff_id}")))?;
                Caller { staff_id, role, display_name, support_session_id: None, support_scope: None }
            }
            _ => {
                self.desk.sessions().remove(token);
                return Err(Error::NotSignedIn);
            }
        };
        let caller = if caller.role == Role::Support { with_support_session(conn, caller, self.now)? } else { caller };
        if let Need::Action(action) = need {
            if caller.role == Role::Support && caller.support_session_id.is_none() && !caller.may(action) {
                return Err(Error::SupportSessionRequired);
            }
            if !caller.may(action) {
                return Err(Error::Forbidden {
                    role: caller.role.as_str().to_owned(),
                    action: action.as_str().to_owned(),
                });
            }
        }
        Ok(caller)
    }
}

/// What `staff_id`, whose role is `role`, may do at `now`, as [`Caller::may`] decides it: their
/// role's row, or for a support person what their running session's scope grants. For the
/// window's description of the session (it shapes itself from this).
pub(crate) fn permissions_at(conn: &Connection, staff_id: i64, role: Role, now: i64) -> Result<Vec<Action>> {
    let caller = Caller { staff_id, role, display_name: String::new(), support_session_id: None, support_scope: None };
    let caller = if role == Role::Support { with_support_session(conn, caller, now)? } else { caller };
    Ok(Action::ALL.into_iter().filter(|a| caller.may(*a)).collect())
}

/// A support person's running session, looked up on every call: the newest approved session of
/// theirs that has started, has not expired (`now < expires_at`: expiry is a comparison, no job
/// runs) and was not ended. Sets the caller's session id (every audit row they cause carries it)
/// and scope (what [`Caller::may`] allows).
fn with_support_session(conn: &Connection, caller: Caller, now: i64) -> Result<Caller> {
    let running: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, scope FROM support_session
             WHERE staff_id = ?1 AND decision = 'approved' AND ended_at IS NULL AND starts_at <= ?2 AND ?2 < expires_at
             ORDER BY id DESC LIMIT 1",
            rusqlite::params![caller.staff_id, now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, scope)) = running else { return Ok(caller) };
    let scope =
        SupportScope::parse(&scope).ok_or_else(|| Error::Internal(format!("unknown scope in support session {id}")))?;
    Ok(Caller { support_session_id: Some(id), support_scope: Some(scope), ..caller })
}
