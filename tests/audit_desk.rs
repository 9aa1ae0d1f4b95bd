//! The audit desk on a real clinic file: every filter narrows to exactly the rows it names,
//! keyset paging has no gaps or repeats, a date range means days in the clinic's zone, one
//! record's history, the chain's verification says plainly what was edited or cut off, the CSV
//! export is written privately with a header and is itself audited, and only roles with
//! `ViewAudit` get in.

mod common;

use common::*;
use frontdesk::audit::{self, Actor, Entry};
use frontdesk::audit_desk::{
    audit_filters, audit_page, entity_history, export_audit_csv, AuditExportRequest, AuditPage, AuditQuery,
    EntityHistoryRequest,
};
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

fn code<T: std::fmt::Debug>(r: frontdesk::Result<T>) -> ErrorCode {
    ApiError::from(r.expect_err("the call must be refused")).code
}

/// One row as the test wrote it, to filter in Rust and compare.
#[derive(Debug, Clone)]
struct Written {
    seq: i64,
    at: i64,
    staff: Option<i64>,
    role: String,
    action: String,
    entity: String,
    entity_id: String,
    session: Option<i64>,
}

struct Fixture {
    _dir: tempfile::TempDir,
    desk: Desk,
    owner: SessionToken,
    rows: Vec<Written>,
}

impl Fixture {
    fn ctx(&self) -> frontdesk::Ctx<'_> {
        ctx(&self.desk, Some(&self.owner), NOW)
    }

    /// Every row through `q`, page by page (the cursor followed to the end).
    fn all_pages(&self, mut q: AuditQuery) -> Vec<i64> {
        let mut seqs = Vec::new();
        loop {
            let page = audit_page(&self.ctx(), q.clone()).unwrap();
            seqs.extend(page.rows.iter().map(|r| r.seq));
            match page.next_before_seq {
                Some(next) => q.before_seq = Some(next),
                None => return seqs,
            }
        }
    }

    /// The rows `keep` selects, newest first: what every filter must return.
    fn expect(&self, keep: impl Fn(&Written) -> bool) -> Vec<i64> {
        let mut seqs: Vec<i64> = self.rows.iter().filter(|r| keep(r)).map(|r| r.seq).collect();
        seqs.sort_unstable_by(|a, b| b.cmp(a));
        seqs
    }
}

const ACTIONS: &[(&str, &str)] = &[
    ("patient.viewed", "patient"),
    ("patient.updated", "patient"),
    ("appointment.booked", "appointment"),
    ("appointment.status_changed", "appointment"),
    ("callback.created", "callback"),
    ("staff.updated", "staff"),
];

/// A set-up clinic with an operations person (2), a receptionist (3) and a support person (4),
/// and 300 rows written over Friday 20 – Sunday 22 November 2026 (Toronto), a few of them in
/// support session 7, then every row of the log read back.
fn fixture() -> Fixture {
    let (dir, desk, owner) = owner_desk();
    add_staff(&desk, "opal", "operations");
    add_staff(&desk, "rita", "receptionist");
    add_staff(&desk, "sam", "support");
    {
        let conn = desk.db();
        let start = toronto("2026-11-20", "08:00");
        for i in 0..300i64 {
            let staff = 1 + i % 4;
            let role = ["owner", "operations", "receptionist", "support"][(staff - 1) as usize];
            let (action, entity) = ACTIONS[(i as usize * 7) % ACTIONS.len()];
            let actor = Actor {
                staff_id: Some(staff),
                role: role.into(),
                support_session_id: (staff == 4 && i % 3 == 0).then_some(7),
            };
            let at = start + i * 20 * 60; // every 20 minutes: 100 hours, to Tuesday noon
            audit::record(
                &conn,
                at,
                &actor,
                Entry { action, entity, entity_id: (i % 5 + 1).to_string(), summary: format!("test row {i}") },
            )
            .unwrap();
        }
    }
    let rows = {
        let conn = desk.db();
        let mut stmt = conn
            .prepare("SELECT seq, at, actor_staff_id, actor_role, action, entity, entity_id, support_session_id FROM audit_event")
            .unwrap();
        stmt.query_map([], |r| {
            Ok(Written {
                seq: r.get(0)?,
                at: r.get(1)?,
                staff: r.get(2)?,
                role: r.get(3)?,
                action: r.get(4)?,
                entity: r.get(5)?,
                entity_id: r.get(6)?,
                session: r.get(7)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    Fixture { _dir: dir, desk, owner, rows }
}

#[test]
fn each_filter_narrows_to_exactly_its_rows() {
    let f = fixture();
    let q = AuditQuery::default;
    assert_eq!(f.all_pages(q()), f.expect(|_| true), "no filter: the whole log, newest first");
    assert_eq!(f.all_pages(AuditQuery { staff_id: Some(3), ..q() }), f.expect(|r| r.staff == Some(3)));
    assert_eq!(
        f.all_pages(AuditQuery { role: Some("operations".into()), ..q() }),
        f.expect(|r| r.role == "operations")
    );
    assert_eq!(f.all_pages(AuditQuery { role: Some("system".into()), ..q() }), f.expect(|r| r.role == "system"));
    assert_eq!(
        f.all_pages(AuditQuery { action: Some("appointment.booked".into()), ..q() }),
        f.expect(|r| r.action == "appointment.booked")
    );
    assert_eq!(
        f.all_pages(AuditQuery { action: Some("appointment.".into()), ..q() }),
        f.expect(|r| r.action.starts_with("appointment.")),
        "an action prefix takes every action under it"
    );
    assert_eq!(
        f.all_pages(AuditQuery { entity: Some("callback".into()), ..q() }),
        f.expect(|r| r.entity == "callback")
    );
    assert_eq!(
        f.all_pages(AuditQuery { entity: Some("patient".into()), entity_id: Some("3".into()), ..q() }),
        f.expect(|r| r.entity == "patient" && r.entity_id == "3")
    );
    assert_eq!(f.all_pages(AuditQuery { support_session_id: Some(7), ..q() }), f.expect(|r| r.session == Some(7)));
    assert!(!f.expect(|r| r.session == Some(7)).is_empty());
    // Combined: AND.
    assert_eq!(
        f.all_pages(AuditQuery {
            staff_id: Some(2),
            action: Some("patient.".into()),
            from: Some("2026-11-21".into()),
            to: Some("2026-11-22".into()),
            ..q()
        }),
        f.expect(|r| r.staff == Some(2)
            && r.action.starts_with("patient.")
            && r.at >= toronto("2026-11-21", "00:00")
            && r.at < toronto("2026-11-23", "00:00"))
    );
    // A filter that matches nothing is an empty page, not an error.
    let none = audit_page(&f.ctx(), AuditQuery { action: Some("nothing.here".into()), ..q() }).unwrap();
    assert!(none.rows.is_empty() && none.next_before_seq.is_none());
}

#[test]
fn rows_carry_the_actors_name_and_a_local_time() {
    let f = fixture();
    let page = audit_page(&f.ctx(), AuditQuery { staff_id: Some(1), limit: Some(200), ..Default::default() }).unwrap();
    let row = page.rows.iter().find(|r| r.at == toronto("2026-11-20", "08:00")).expect("the first test row");
    assert_eq!(row.actor_name.as_deref(), Some("Olive Owner"));
    assert_eq!(row.when, "Fri Nov 20, 2026 08:00", "the clinic's zone and its way of writing dates");
    let system = audit_page(&f.ctx(), AuditQuery { role: Some("system".into()), ..Default::default() }).unwrap();
    assert!(system.rows.iter().all(|r| r.actor_name.is_none() && r.actor_staff_id.is_none()));
}

#[test]
fn paging_by_cursor_has_no_gaps_or_repeats() {
    let f = fixture();
    let mut seen = Vec::new();
    let mut q = AuditQuery { limit: Some(7), ..Default::default() };
    let mut pages = 0;
    loop {
        let page: AuditPage = audit_page(&f.ctx(), q.clone()).unwrap();
        assert!(page.rows.len() <= 7);
        assert!(page.rows.windows(2).all(|w| w[0].seq > w[1].seq), "newest first within a page");
        seen.extend(page.rows.iter().map(|r| r.seq));
        pages += 1;
        match page.next_before_seq {
            Some(next) => {
                assert_eq!(Some(next), page.rows.last().map(|r| r.seq));
                q.before_seq = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(seen, f.expect(|_| true), "every row exactly once, in order");
    assert_eq!(pages, f.rows.len().div_ceil(7));
    // The default page is 50 rows; more than 200 is refused with what to do.
    assert_eq!(audit_page(&f.ctx(), AuditQuery::default()).unwrap().rows.len(), 50);
    assert_eq!(
        code(audit_page(&f.ctx(), AuditQuery { limit: Some(500), ..Default::default() })),
        ErrorCode::InvalidInput
    );
}

#[test]
fn a_date_range_is_whole_days_in_the_clinics_zone() {
    let f = fixture();
    let day = |from: &str, to: &str| {
        f.all_pages(AuditQuery { from: Some(from.into()), to: Some(to.into()), ..Default::default() })
    };
    let saturday = day("2026-11-21", "2026-11-21");
    let (start, end) = (toronto("2026-11-21", "00:00"), toronto("2026-11-22", "00:00"));
    assert_eq!(saturday, f.expect(|r| r.at >= start && r.at < end));
    assert_eq!(saturday.len(), 72, "a row every 20 minutes, Toronto midnight to midnight");
    // 23:40 Saturday in Toronto is Sunday in UTC, and still Saturday's.
    let late = f.rows.iter().find(|r| r.at == toronto("2026-11-21", "23:40")).unwrap();
    assert!(saturday.contains(&late.seq));
    // Open-ended ranges.
    let since = f.all_pages(AuditQuery { from: Some("2026-11-22".into()), ..Default::default() });
    assert_eq!(since, f.expect(|r| r.at >= end));
    let until = f.all_pages(AuditQuery { to: Some("2026-11-20".into()), ..Default::default() });
    assert_eq!(until, f.expect(|r| r.at < toronto("2026-11-21", "00:00")));
    // Bad dates say what to type.
    let bad = audit_page(&f.ctx(), AuditQuery { from: Some("21/11/2026".into()), ..Default::default() });
    let e = ApiError::from(bad.unwrap_err());
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("from")));
    assert!(e.message.contains("2026-05-04"), "{}", e.message);
    let backwards = audit_page(
        &f.ctx(),
        AuditQuery { from: Some("2026-11-22".into()), to: Some("2026-11-21".into()), ..Default::default() },
    );
    assert_eq!(ApiError::from(backwards.unwrap_err()).field.as_deref(), Some("to"));
}

#[test]
fn a_date_range_finds_rows_written_out_of_time_order() {
    // Reads are written in batches with the time they happened, and a batch kept through a failed
    // write is older still: rows at the end of the log can be stamped days earlier.
    let mut f = fixture();
    let late = [toronto("2026-11-20", "09:10"), toronto("2026-11-21", "12:05"), toronto("2026-11-18", "07:00")];
    {
        let conn = f.desk.db();
        for at in late {
            let actor = Actor { staff_id: Some(3), role: "receptionist".into(), support_session_id: None };
            let (seq, _) = audit::record(
                &conn,
                at,
                &actor,
                Entry { action: "patient.viewed", entity: "patient", entity_id: "9".into(), summary: "read".into() },
            )
            .unwrap();
            f.rows.push(Written {
                seq,
                at,
                staff: Some(3),
                role: "receptionist".into(),
                action: "patient.viewed".into(),
                entity: "patient".into(),
                entity_id: "9".into(),
                session: None,
            });
        }
    }
    for (from, to) in [
        ("2026-11-20", "2026-11-20"),
        ("2026-11-21", "2026-11-21"),
        ("2026-11-18", "2026-11-18"),
        ("2026-11-17", "2026-11-19"),
    ] {
        let (start, end) = (toronto(from, "00:00"), toronto(to, "00:00") + 86_400);
        let got = f.all_pages(AuditQuery { from: Some(from.into()), to: Some(to.into()), ..Default::default() });
        let want = f.expect(|r| r.at >= start && r.at < end);
        assert_eq!(got, want, "{from} to {to}");
        assert!(late.iter().any(|at| *at >= start && *at < end), "each range holds one late row");
    }
    // A range with no rows at all is an empty page, not an error.
    let none = f.all_pages(AuditQuery {
        from: Some("2025-01-01".into()),
        to: Some("2025-01-31".into()),
        ..Default::default()
    });
    assert!(none.is_empty());
}

#[test]
fn an_entitys_history_is_every_row_about_it() {
    let f = fixture();
    let history = entity_history(
        &f.ctx(),
        EntityHistoryRequest { entity: "appointment".into(), entity_id: "2".into(), before_seq: None },
    )
    .unwrap();
    let seqs: Vec<i64> = history.rows.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, f.expect(|r| r.entity == "appointment" && r.entity_id == "2"));
    assert!(!seqs.is_empty());
    let e = audit_page(&f.ctx(), AuditQuery { entity_id: Some("2".into()), ..Default::default() }).unwrap_err();
    assert_eq!(ApiError::from(e).field.as_deref(), Some("entity"), "a record number needs its kind");
}

#[test]
fn the_filter_bar_offers_people_roles_and_what_the_log_holds() {
    let f = fixture();
    let choices = audit_filters(&f.ctx()).unwrap();
    let names: Vec<&str> = choices.people.iter().map(|p| p.display_name.as_str()).collect();
    assert!(names.contains(&"Olive Owner") && names.contains(&"rita"), "{names:?}");
    assert!(choices.roles.iter().any(|r| r == "system") && choices.roles.iter().any(|r| r == "owner"));
    let mut actions: Vec<String> = f.rows.iter().map(|r| r.action.clone()).collect();
    actions.sort();
    actions.dedup();
    assert_eq!(choices.actions, actions, "every action present, once, in order");
    let mut entities: Vec<String> = f.rows.iter().map(|r| r.entity.clone()).collect();
    entities.sort();
    entities.dedup();
    assert_eq!(choices.entities, entities);
}

/// The owner exports a day, so the sealed head is past every test row.
fn seal(f: &Fixture) {
    export_audit_csv(&f.ctx(), AuditExportRequest { from: "2026-11-20".into(), to: "2026-11-20".into() }).unwrap();
}

#[test]
fn verification_says_plainly_which_row_was_edited() {
    let f = fixture();
    seal(&f);
    let ok = frontdesk::compliance::verify_chain(&f.ctx()).unwrap();
    assert!(ok.intact, "{}", ok.summary);
    assert!(ok.summary.contains(&format!("All {} rows", ok.rows_checked)), "{}", ok.summary);
    f.desk
        .db()
        .execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET summary = 'edited' WHERE seq = 40;")
        .unwrap();
    let v = frontdesk::compliance::verify_chain(&f.ctx()).unwrap();
    assert!(!v.intact);
    assert_eq!(v.first_broken_seq, Some(40));
    assert_eq!(v.summary, "Row 40 of the audit log was changed after it was written.");
}

#[test]
fn verification_says_plainly_that_the_tail_was_cut_off() {
    let f = fixture();
    seal(&f);
    let last: i64 = f.desk.db().query_row("SELECT MAX(seq) FROM audit_event", [], |r| r.get(0)).unwrap();
    f.desk
        .db()
        .execute_batch(&format!(
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq > {};",
            last - 3
        ))
        .unwrap();
    let v = frontdesk::compliance::verify_chain(&f.ctx()).unwrap();
    assert!(!v.intact);
    assert_eq!(v.missing_tail, Some((last - 2, last)));
    assert!(v.summary.contains("The last 3 row(s)"), "{}", v.summary);
}

#[test]
fn an_export_writes_a_private_csv_with_a_header_and_is_audited() {
    let f = fixture();
    let before = audit_count(&f.desk);
    let export =
        export_audit_csv(&f.ctx(), AuditExportRequest { from: "2026-11-21".into(), to: "2026-11-22".into() }).unwrap();
    let in_range =
        f.expect(|r| r.at >= toronto("2026-11-21", "00:00") && r.at < toronto("2026-11-23", "00:00")).len() as i64;
    assert_eq!(export.rows, in_range);
    let path = std::path::Path::new(&export.path);
    assert_eq!(path.parent().unwrap(), f._dir.path().join("exports"), "in the data directory's exports folder");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    }
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..4], ["seq", "at_unix", "when_local", "actor_staff_id"]);
    assert!(header.contains(&"hash".to_owned()) && header.contains(&"prev_hash".to_owned()));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as i64, in_range);
    let seqs: Vec<i64> = records.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "oldest first");
    // The export itself is in the log, with the range and the count and nothing else.
    assert_eq!(audit_count(&f.desk), before + 1);
    let page =
        audit_page(&f.ctx(), AuditQuery { action: Some("audit.exported".into()), ..Default::default() }).unwrap();
    let row = &page.rows[0];
    assert_eq!((row.actor_staff_id, row.entity.as_str()), (Some(1), "audit"));
    assert_eq!(row.summary, format!("exported audit rows of 2026-11-21 to 2026-11-22 as CSV ({in_range} rows)"));
    assert!(export.path.ends_with(&format!("audit-2026-11-21-to-2026-11-22-{}.csv", row.seq)));
    // A second export of the same range is a second file.
    let again =
        export_audit_csv(&f.ctx(), AuditExportRequest { from: "2026-11-21".into(), to: "2026-11-22".into() }).unwrap();
    assert_ne!(again.path, export.path);
    // Bad ranges are refused before anything is written.
    let count = audit_count(&f.desk);
    let e = export_audit_csv(&f.ctx(), AuditExportRequest { from: "2026-11-22".into(), to: "2026-11-01".into() });
    assert_eq!(code(e), ErrorCode::InvalidInput);
    assert_eq!(audit_count(&f.desk), count);
}

#[test]
fn only_roles_that_view_the_audit_log_get_in() {
    let f = fixture();
    let operations = sign_in(&f.desk, "opal", "staff-pass-123", NOW);
    let ops = ctx(&f.desk, Some(&operations), NOW);
    assert!(!audit_page(&ops, AuditQuery::default()).unwrap().rows.is_empty());
    export_audit_csv(&ops, AuditExportRequest { from: "2026-11-21".into(), to: "2026-11-21".into() }).unwrap();
    // Support staff are refused too (outside a session they are asked for one first; inside
    // one, their role still has no `ViewAudit`).
    let sam = sign_in(&f.desk, "sam", "staff-pass-123", NOW);
    let support = ctx(&f.desk, Some(&sam), NOW);
    assert!(audit_page(&support, AuditQuery::default()).is_err());
    assert!(
        export_audit_csv(&support, AuditExportRequest { from: "2026-11-21".into(), to: "2026-11-21".into() }).is_err()
    );
    for (user, role) in [("rita", "receptionist"), ("dora", "doctor"), ("rev", "reviewer")] {
        let token = if role == "doctor" || role == "reviewer" {
            add_staff(&f.desk, user, role)
        } else {
            sign_in(&f.desk, user, "staff-pass-123", NOW)
        };
        let c = ctx(&f.desk, Some(&token), NOW);
        assert_eq!(code(audit_page(&c, AuditQuery::default())), ErrorCode::Forbidden, "{role}");
        assert_eq!(code(audit_filters(&c)), ErrorCode::Forbidden, "{role}");
        assert_eq!(
            code(entity_history(
                &c,
                EntityHistoryRequest { entity: "patient".into(), entity_id: "1".into(), before_seq: None }
            )),
            ErrorCode::Forbidden,
            "{role}"
        );
        let count = audit_count(&f.desk);
        let e = export_audit_csv(&c, AuditExportRequest { from: "2026-11-21".into(), to: "2026-11-21".into() });
        assert_eq!(code(e), ErrorCode::Forbidden, "{role}");
        assert_eq!(audit_count(&f.desk), count, "a refused export writes nothing");
        assert_eq!(code(frontdesk::compliance::verify_chain(&c)), ErrorCode::Forbidden, "{role}");
    }
    assert_eq!(code(audit_page(&ctx(&f.desk, None, NOW), AuditQuery::default())), ErrorCode::NotSignedIn);
}
