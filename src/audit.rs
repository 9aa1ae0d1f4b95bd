//! The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained. Every row
//! carries the previous row's hash and a SHA-256 over that and its own content, so any edit made
//! behind the app's back (triggers dropped, file patched) breaks the chain at the first changed row.
//!
//! Summaries carry ids and field names, never PHI (names, phones, birth dates, transcripts).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::Result;

/// The hash the first row chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it. `staff_id` is `None` for the system itself (first-run setup, demo seeding).
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff_id: Option<i64>,
    pub role: String,
}

impl Actor {
    pub fn system() -> Self {
        Actor { staff_id: None, role: "system".into() }
    }
}

/// One audit event to append.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub summary: String,
}

/// Appends an event inside the caller's transaction, so the change and its audit commit together.
pub fn record(conn: &Connection, at: i64, actor: &Actor, entry: Entry<'_>) -> Result<i64> {
    let prev: String = conn
        .query_row("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let seq: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_event", [], |r| r.get(0))?;
    let row = Row {
        seq,
        at,
        actor_staff_id: actor.staff_id,
        actor_role: actor.role.clone(),
        action: entry.action.to_owned(),
        entity: entry.entity.to_owned(),
        entity_id: entry.entity_id,
        summary: entry.summary,
        prev_hash: prev,
        hash: String::new(),
    };
    let hash = row.compute_hash();
    conn.execute(
        "INSERT INTO audit_event (seq, at, actor_staff_id, actor_role, action, entity, entity_id, summary, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            row.seq, row.at, row.actor_staff_id, row.actor_role, row.action, row.entity,
            row.entity_id, row.summary, row.prev_hash, hash
        ],
    )?;
    Ok(seq)
}

/// An audit row as stored.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Row {
    pub seq: i64,
    pub at: i64,
    pub actor_staff_id: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Row {
    fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        // Length-prefix every field so no two different rows can serialise to the same bytes.
        let fields: [&str; 7] = [
            &self.prev_hash,
            &self.actor_role,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.summary,
            &self.actor_staff_id.map(|id| id.to_string()).unwrap_or_default(),
        ];
        h.update(self.seq.to_le_bytes());
        h.update(self.at.to_le_bytes());
        for f in fields {
            h.update((f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        hex::encode(h.finalize())
    }

    fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor_staff_id: r.get(2)?,
            actor_role: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            summary: r.get(7)?,
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
        })
    }
}

const SELECT_ROW: &str =
    "SELECT seq, at, actor_staff_id, actor_role, action, entity, entity_id, summary, prev_hash, hash FROM audit_event";

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Verification {
    pub rows_checked: i64,
    /// The first row whose link or content does not match, if any.
    pub first_broken_seq: Option<i64>,
}

/// Walks the whole chain and reports the first broken link.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("{SELECT_ROW} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut checked = 0;
    while let Some(r) = rows.next()? {
        let row = Row::from_sql(r)?;
        checked += 1;
        if row.prev_hash != prev || row.compute_hash() != row.hash {
            return Ok(Verification { rows_checked: checked, first_broken_seq: Some(row.seq) });
        }
        prev = row.hash;
    }
    Ok(Verification { rows_checked: checked, first_broken_seq: None })
}

/// The history of one entity, newest first.
pub fn for_entity(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(&format!("{SELECT_ROW} WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC"))?;
    let rows = stmt.query_map(params![entity, entity_id], Row::from_sql)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
