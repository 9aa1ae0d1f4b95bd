//! The audit desk (`ViewAudit`: owners, admins, operations): the log read newest first through
//! filters (person, role, action, entity, a date range in the clinic's zone, a support session),
//! paged by a keyset cursor (`seq`), one entity's history, and a date range exported as CSV for a
//! compliance review — the export itself recorded in the log. Verifying the chain is
//! `compliance::verify_chain`, whose answer already says plainly what was found.
//!
//! Every filter's first page is one index walk at a million rows (migration 0014): with no date
//! range the one-column index of the filter gives its rows in `seq` order; within a date range
//! the `(value, at)` twin gives the range's rows, and the newest are picked from the index alone
//! (it holds each row's `seq`) before any row is read. A range with no other filter is read
//! whichever way touches fewer rows: down the log from the top, or through the range.
//! An action prefix (`patient.`) is each matching action's page, merged.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clinic::Clinic;
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::roles::{Action, Role};

/// Rows on a page unless the window asks for another number.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most rows one page may hold.
pub const MAX_LIMIT: i64 = 200;
/// The folder of the data directory that exports are written to.
pub const EXPORTS_DIR: &str = "exports";

/// What the audit desk filters by; every field is optional and they combine (AND).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct AuditQuery {
    /// The person who acted.
    pub staff_id: Option<i64>,
    /// Their role at the time (`owner`, `receptionist`, …, or `system` for the desk itself).
    pub role: Option<String>,
    /// An action (`appointment.booked`), or the start of one (`appointment.`).
    pub action: Option<String>,
    /// The kind of record (`patient`, `appointment`, `staff`, …).
    pub entity: Option<String>,
    /// One record of that kind (needs `entity`).
    pub entity_id: Option<String>,
    /// The first day, `YYYY-MM-DD`, in the clinic's zone.
    pub from: Option<String>,
    /// The last day (included), `YYYY-MM-DD`, in the clinic's zone.
    pub to: Option<String>,
    /// Only what happened inside this support session.
    pub support_session_id: Option<i64>,
    /// The cursor: rows older than this number (the previous page's `next_before_seq`).
    pub before_seq: Option<i64>,
    /// Rows per page: 50 unless given, at most 200.
    pub limit: Option<i64>,
}

/// One row of the log as the desk shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditRow {
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// When, in the clinic's zone, as the clinic writes dates: "Mon 23 Nov 2026 10:00".
    pub when: String,
    pub actor_staff_id: Option<i64>,
    /// The person's name now (`None` for the system, or an account since removed).
    pub actor_name: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// Ids and field names only, never patient details.
    pub summary: String,
    pub support_session_id: Option<i64>,
}

/// A page of the log, newest first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Pass as `before_seq` for the next page; `None` when this page is the last.
    pub next_before_seq: Option<i64>,
}

/// A person who may appear in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditPerson {
    pub staff_id: i64,
    pub display_name: String,
    pub role: String,
}

/// What the filter bar offers: the staff, every role, and the actions and kinds of record the
/// log holds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditFilters {
    pub people: Vec<AuditPerson>,
    pub roles: Vec<String>,
    pub actions: Vec<String>,
    pub entities: Vec<String>,
}

/// One record's history.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct EntityHistoryRequest {
    pub entity: String,
    pub entity_id: String,
    /// The cursor, as for [`AuditQuery::before_seq`].
    #[serde(default)]
    pub before_seq: Option<i64>,
}

/// The days to export, in the clinic's zone, both included.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AuditExportRequest {
    pub from: String,
    pub to: String,
}

/// The written export.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditExport {
    /// Where the CSV file was saved.
    pub path: String,
    pub rows: i64,
}

/// The validated filters: values to compare, the `at` bounds `[start, end)` of the date range.
struct Filters {
    staff_id: Option<i64>,
    role: Option<String>,
    /// Each action to include: one for an exact action, every match of a prefix, `None` for all.
    actions: Option<Vec<String>>,
    entity: Option<String>,
    entity_id: Option<String>,
    support_session_id: Option<i64>,
    range: Option<(i64, i64)>,
}

/// A page of the log through the filters, newest first.
pub fn audit_page(ctx: &Ctx, query: AuditQuery) -> Result<AuditPage> {
    ctx.read(Action::ViewAudit, |conn, _, clinic| {
        let limit = match query.limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => return Err(Error::invalid("limit", format!("Ask for 1 to {MAX_LIMIT} rows a page."))),
        };
        let filters = validate(conn, clinic, &query, ctx.now)?;
        page(conn, clinic, &filters, query.before_seq, limit)
    })
}

/// One record's history, newest first, a page at a time.
pub fn entity_history(ctx: &Ctx, req: EntityHistoryRequest) -> Result<AuditPage> {
    audit_page(
        ctx,
        AuditQuery {
            entity: Some(req.entity),
            entity_id: Some(req.entity_id),
            before_seq: req.before_seq,
            limit: Some(MAX_LIMIT),
            ..AuditQuery::default()
        },
    )
}

/// The choices of the filter bar. The actions and kinds of record are found by skipping
/// through their indexes (one seek per distinct value), not by reading the log.
pub fn audit_filters(ctx: &Ctx) -> Result<AuditFilters> {
    ctx.read(Action::ViewAudit, |conn, _, _| {
        let mut stmt =
            conn.prepare("SELECT id, display_name, role FROM staff ORDER BY display_name COLLATE NOCASE, id")?;
        let people = stmt
            .query_map([], |r| Ok(AuditPerson { staff_id: r.get(0)?, display_name: r.get(1)?, role: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let mut roles: Vec<String> = Role::ALL.iter().map(|r| r.as_str().to_owned()).collect();
        roles.push("system".into());
        Ok(AuditFilters {
            people,
            roles,
            actions: distinct(conn, "action", "")?,
            entities: distinct(conn, "entity", "")?,
        })
    })
}

/// Writes the log's rows of the days `from`–`to` (clinic zone) to a CSV file in the data
/// directory's `exports/` folder (0700; the file 0600, as the database: it holds what the rows
/// hold), oldest first, and records the export in the log (the range and the count).
pub fn export_audit_csv(ctx: &Ctx, req: AuditExportRequest) -> Result<AuditExport> {
    let dir = ctx
        .desk
        .path()
        .parent()
        .map(|d| d.join(EXPORTS_DIR))
        .ok_or_else(|| Error::Internal("the database has no data directory".into()))?;
    ctx.write(Action::ViewAudit, |w, _, clinic| {
        let from = parse_day(&req.from, "from", w.now)?;
        let to = parse_day(&req.to, "to", w.now)?;
        if to < from {
            return Err(Error::invalid(
                "to",
                "The last day is before the first. Pick a last day on or after the first.",
            ));
        }
        let (start, end) = range_of(clinic, from, to);
        let rows: i64 = w.conn().query_row(
            "SELECT COUNT(*) FROM audit_event INDEXED BY audit_event_at WHERE at >= ?1 AND at < ?2",
            [start, end],
            |r| r.get(0),
        )?;
        // The export's own row first: its number names the file, so two exports of one range
        // never overwrite each other. If the file cannot be written, the row rolls back with it.
        let seq = w.audit(
            "audit.exported",
            "audit",
            "export",
            format!("exported audit rows of {from} to {to} as CSV ({rows} rows)"),
        )?;
        create_private_dir(&dir)?;
        let path = dir.join(format!("audit-{from}-to-{to}-{seq}.csv"));
        if let Err(e) = write_csv(w.conn(), clinic, &path, start, end) {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(AuditExport { path: path.display().to_string(), rows })
    })
}

fn write_csv(conn: &Connection, clinic: &Clinic, path: &std::path::Path, start: i64, end: i64) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let csv_err = |e: csv::Error| Error::Internal(format!("writing the audit CSV: {e}"));
    out.write_record([
        "seq",
        "at_unix",
        "when_local",
        "actor_staff_id",
        "actor_name",
        "actor_role",
        "action",
        "entity",
        "entity_id",
        "summary",
        "support_session_id",
        "prev_hash",
        "hash",
    ])
    .map_err(csv_err)?;
    let mut stmt = conn.prepare(
        "SELECT a.seq, a.at, a.actor_staff_id, s.display_name, a.actor_role, a.action, a.entity, a.entity_id,
                a.summary, a.support_session_id, a.prev_hash, a.hash
         FROM audit_event a LEFT JOIN staff s ON s.id = a.actor_staff_id
         WHERE a.seq IN (SELECT seq FROM audit_event INDEXED BY audit_event_at WHERE at >= ?1 AND at < ?2)
         ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([start, end])?;
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    while let Some(r) = rows.next()? {
        let at: i64 = r.get(1)?;
        let name: Option<String> = r.get(3)?;
        out.write_record([
            r.get::<_, i64>(0)?.to_string(),
            at.to_string(),
            when(clinic, at),
            opt(r.get(2)?),
            name.unwrap_or_default(),
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            opt(r.get(9)?),
            r.get(10)?,
            r.get(11)?,
        ])
        .map_err(csv_err)?;
    }
    let file = out.into_inner().map_err(|e| Error::Internal(format!("writing the audit CSV: {e}")))?;
    let file = file.into_inner().map_err(|e| Error::Io(e.into_error()))?;
    file.sync_all()?;
    Ok(())
}

/// Creates `dir` (0700) if it is not there.
fn create_private_dir(dir: &std::path::Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

fn parse_day(raw: &str, field: &'static str, now: i64) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("\"{raw}\" is not a date. Use the form 2026-05-04.")))?;
    crate::clock::check_date(date, now, field)
}

/// The instants `[start, end)` of the days `from`–`to` in the clinic's zone.
fn range_of(clinic: &Clinic, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    let start_of = |d: NaiveDate| crate::clock::shift_start(clinic.timezone, d, 0).unwrap_or(0);
    (start_of(from), to.succ_opt().map(start_of).unwrap_or(i64::MAX))
}

fn when(clinic: &Clinic, at: i64) -> String {
    let date = chrono::DateTime::from_timestamp(at, 0).unwrap_or_default().with_timezone(&clinic.timezone).date_naive();
    format!("{} {}", clinic.date_label(date), crate::clock::wall_label(clinic.timezone, at))
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn validate(conn: &Connection, clinic: &Clinic, q: &AuditQuery, now: i64) -> Result<Filters> {
    let role = non_empty(&q.role);
    if let Some(r) = &role {
        if r != "system" && Role::parse(r).is_none() {
            return Err(Error::invalid("role", format!("\"{r}\" is not a role. Pick one from the list.")));
        }
    }
    let entity = non_empty(&q.entity);
    let entity_id = non_empty(&q.entity_id);
    if entity_id.is_some() && entity.is_none() {
        return Err(Error::invalid("entity", "Pick the kind of record as well as its number."));
    }
    let actions = match non_empty(&q.action) {
        None => None,
        Some(a) => {
            let mut found = distinct(conn, "action", &a)?;
            // The exact action first (it may also be the prefix of others).
            if !found.contains(&a) {
                found.insert(0, a);
            }
            Some(found)
        }
    };
    let from = non_empty(&q.from).map(|d| parse_day(&d, "from", now)).transpose()?;
    let to = non_empty(&q.to).map(|d| parse_day(&d, "to", now)).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(Error::invalid(
                "to",
                "The last day is before the first. Pick a last day on or after the first.",
            ));
        }
    }
    let range = match (from, to) {
        (None, None) => None,
        (f, t) => {
            Some((f.map_or(i64::MIN, |f| range_of(clinic, f, f).0), t.map_or(i64::MAX, |t| range_of(clinic, t, t).1)))
        }
    };
    Ok(Filters {
        staff_id: q.staff_id,
        role,
        actions,
        entity,
        entity_id,
        support_session_id: q.support_session_id,
        range,
    })
}

/// The distinct values of `column` (indexed) starting with `prefix`, in order: one index seek per
/// value, however many rows hold each.
fn distinct(conn: &Connection, column: &str, prefix: &str) -> Result<Vec<String>> {
    let sql = format!(
        "WITH RECURSIVE v(x) AS (
           SELECT (SELECT MIN({column}) FROM audit_event WHERE {column} >= ?1)
           UNION ALL
           SELECT (SELECT MIN({column}) FROM audit_event WHERE {column} > v.x) FROM v
           WHERE v.x IS NOT NULL AND substr(v.x, 1, length(?1)) = ?1
         )
         SELECT x FROM v WHERE x IS NOT NULL AND substr(x, 1, length(?1)) = ?1"
    );
    let mut stmt = conn.prepare(&sql)?;
    let out = stmt.query_map([prefix], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

fn page(conn: &Connection, clinic: &Clinic, f: &Filters, before_seq: Option<i64>, limit: i64) -> Result<AuditPage> {
    let before = before_seq.unwrap_or(i64::MAX);
    let mut seqs: Vec<i64> = match &f.actions {
        None => page_seqs(conn, f, None, before, limit + 1)?,
        Some(actions) => {
            // Each action's newest rows, merged: each is one walk down its index.
            let mut all = Vec::new();
            for a in actions {
                all.extend(page_seqs(conn, f, Some(a), before, limit + 1)?);
            }
            all.sort_unstable_by(|a, b| b.cmp(a));
            all.dedup();
            all
        }
    };
    let more = seqs.len() as i64 > limit;
    seqs.truncate(limit as usize);
    let rows = rows_of(conn, clinic, &seqs)?;
    let next_before_seq = if more { rows.last().map(|r| r.seq) } else { None };
    Ok(AuditPage { rows, next_before_seq })
}

/// The numbers of the newest `n` rows before `before` through the filters (`action` one exact
/// action, or none), choosing the index that reads the fewest entries.
fn page_seqs(conn: &Connection, f: &Filters, action: Option<&str>, before: i64, n: i64) -> Result<Vec<i64>> {
    let mut conds: Vec<String> = vec!["seq < ?".into()];
    let mut args: Vec<Value> = vec![Value::Integer(before)];
    // The one-column equality that drives the walk when there is no date range, most selective
    // first, and the `(value, at)` index that serves it within a range.
    let mut driver: Option<(&str, &str)> = None;
    let mut eq = |col: &'static str, v: Value, idx: Option<(&'static str, &'static str)>, conds: &mut Vec<String>| {
        conds.push(format!("{col} = ?"));
        args.push(v);
        if driver.is_none() {
            driver = idx;
        }
    };
    if let (Some(e), Some(id)) = (&f.entity, &f.entity_id) {
        // A single record's rows are few: its index serves any range too.
        eq("entity", Value::Text(e.clone()), Some(("audit_event_entity", "audit_event_entity")), &mut conds);
        eq("entity_id", Value::Text(id.clone()), None, &mut conds);
    }
    if let Some(s) = f.support_session_id {
        eq(
            "support_session_id",
            Value::Integer(s),
            Some(("audit_event_support_session", "audit_event_support_session")),
            &mut conds,
        );
    }
    if let Some(s) = f.staff_id {
        eq("actor_staff_id", Value::Integer(s), Some(("audit_event_actor", "audit_event_actor_at")), &mut conds);
    }
    if let Some(a) = action {
        eq("action", Value::Text(a.to_owned()), Some(("audit_event_action", "audit_event_action_at")), &mut conds);
    }
    if let (Some(e), None) = (&f.entity, &f.entity_id) {
        eq("entity", Value::Text(e.clone()), Some(("audit_event_kind", "audit_event_kind_at")), &mut conds);
    }
    if let Some(r) = &f.role {
        eq("actor_role", Value::Text(r.clone()), Some(("audit_event_role", "audit_event_role_at")), &mut conds);
    }
    let index = match (f.range, driver) {
        (None, Some((walk, _))) => Some(walk),
        (Some(_), Some((_, within))) => Some(within),
        (_, None) => None,
    };
    if let (Some((start, end)), None) = (f.range, driver) {
        // No other filter: walk down the log from the newest row the range can hold, and stop
        // below the oldest (the days' bounds, migration 0018); the rows in between are nearly all
        // the range's own.
        let Some((lo, hi)) = seq_window(conn, start, end)? else { return Ok(Vec::new()) };
        args[0] = Value::Integer(before.min(hi + 1));
        conds.push("seq >= ?".into());
        args.push(Value::Integer(lo));
    }
    if let Some((start, end)) = f.range {
        conds.push("at >= ? AND at < ?".into());
        args.push(Value::Integer(start));
        args.push(Value::Integer(end));
    }
    let indexed = match index {
        Some(i) => format!("INDEXED BY {i}"),
        None => "NOT INDEXED".into(),
    };
    let sql = format!("SELECT seq FROM audit_event {indexed} WHERE {} ORDER BY seq DESC LIMIT ?", conds.join(" AND "));
    args.push(Value::Integer(n));
    let mut stmt = conn.prepare_cached(&sql)?;
    let out = stmt.query_map(params_from_iter(args), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// The lowest and highest seq a row stamped in `[start, end)` can have: the bounds of the UTC
/// days the range touches (`audit_day`, kept by a trigger), or `None` when no row is stamped then.
fn seq_window(conn: &Connection, start: i64, end: i64) -> Result<Option<(i64, i64)>> {
    if end <= start {
        return Ok(None);
    }
    // `/` truncates as SQLite's does, so the days match the trigger's `at / 86400` (and, being
    // monotone, keep first ≤ last).
    let (first_day, last_day) = (start / 86_400, (end - 1) / 86_400);
    let window = conn.query_row(
        "SELECT MIN(min_seq), MAX(max_seq) FROM audit_day WHERE day BETWEEN ?1 AND ?2",
        [first_day, last_day],
        |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
    )?;
    Ok(window)
}

fn rows_of(conn: &Connection, clinic: &Clinic, seqs: &[i64]) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.seq, a.at, a.actor_staff_id, s.display_name, a.actor_role, a.action, a.entity, a.entity_id,
                a.summary, a.support_session_id
         FROM audit_event a LEFT JOIN staff s ON s.id = a.actor_staff_id WHERE a.seq = ?1",
    )?;
    let mut out = Vec::with_capacity(seqs.len());
    for seq in seqs {
        let row = stmt.query_row([seq], |r| {
            let at: i64 = r.get(1)?;
            Ok(AuditRow {
                seq: r.get(0)?,
                at,
                when: when(clinic, at),
                actor_staff_id: r.get(2)?,
                actor_name: r.get(3)?,
                actor_role: r.get(4)?,
                action: r.get(5)?,
                entity: r.get(6)?,
                entity_id: r.get(7)?,
                summary: r.get(8)?,
                support_session_id: r.get(9)?,
            })
        })?;
        out.push(row);
    }
    Ok(out)
}
