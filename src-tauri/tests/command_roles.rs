//! Every IPC command with every role, compared with the role table. The commands come from the
//! command table (`commands::specs()`, run through `commands::dispatch` exactly as the window
//! invokes them); what each one needs is the reviewed data file `tests/command_roles.toml`; which
//! role has that is `roles::allowed`. A role lacking the action must be answered `forbidden`, a
//! role having it must not be; `signed_in` and `public` commands forbid no one; every command that
//! is not public answers `not_signed_in` when no one is signed in. The whole matrix is printed
//! (`--nocapture`) and every mismatch listed before the test fails.
//!
//! Support is tried twice. Without a support session, every command that needs an action other
//! than `request_support_access` must answer `support_session_required` (as must the `signed_in`
//! commands marked `support_needs_session`): a support account sees no clinic data at all. Inside
//! an approved `schedule_and_patients` session, what `roles::SupportScope::grants` gives (and
//! asking) must answer, everything else `forbidden`.
//!
//! Each command runs on a fresh copy of one seeded demo clinic (with an account per role), so a
//! command that signs out, locks, closes a branch or deactivates someone changes nothing for the
//! next one; each role signs in through `dispatch("sign_in", …)` right before its call.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use frontdesk::roles::{allowed, Action, Role, SupportScope};
use frontdesk::{ApiError, ErrorCode};
use frontdesk_desktop::commands::{dispatch, specs};
use frontdesk_desktop::Shell;
use serde::Deserialize;
use serde_json::{json, Value};

/// The password of every account the test makes (one per role).
const PASSWORD: &str = "matrix password 1";

fn data_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/command_roles.toml")
}

/// One command's entry in the data file, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    needs: String,
    req: Option<String>,
    #[serde(default)]
    support_needs_session: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Public,
    SignedIn,
    Action(Action),
}

impl Needs {
    fn parse(s: &str) -> Option<Needs> {
        match s {
            "public" => Some(Needs::Public),
            "signed_in" => Some(Needs::SignedIn),
            _ => serde_json::from_value(json!(s)).ok().map(Needs::Action),
        }
    }

    fn label(self) -> String {
        match self {
            Needs::Public => "public".into(),
            Needs::SignedIn => "signed_in".into(),
            Needs::Action(a) => serde_json::to_value(a).unwrap().as_str().unwrap().to_owned(),
        }
    }
}

/// Who calls: a role (support without a session), or support inside an approved session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Role(Role),
    SupportInSession,
}

impl Who {
    fn label(self) -> &'static str {
        match self {
            Who::Role(role) => role.as_str(),
            Who::SupportInSession => "support in a schedule_and_patients session",
        }
    }
}

/// The scope of the session support is tried in the second time.
const MATRIX_SCOPE: SupportScope = SupportScope::ScheduleAndPatients;

/// How a call may be answered as far as authorisation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Past authorisation (the command may still refuse the sample request).
    Allowed,
    Forbidden,
    /// A support account with no approved session.
    SessionRequired,
}

impl Verdict {
    fn of(answer: &Answer) -> Verdict {
        if is(answer, ErrorCode::Forbidden) {
            Verdict::Forbidden
        } else if is(answer, ErrorCode::SupportSessionRequired) {
            Verdict::SessionRequired
        } else {
            Verdict::Allowed
        }
    }

    fn label(self) -> &'static str {
        match self {
            Verdict::Allowed => "not refused",
            Verdict::Forbidden => "forbidden",
            Verdict::SessionRequired => "support_session_required",
        }
    }
}

/// What the data file and the role table say `who` must get from `case`.
fn expected(case: &Case, who: Who) -> Verdict {
    let allow = |yes: bool| if yes { Verdict::Allowed } else { Verdict::Forbidden };
    match (case.needs, who) {
        (Needs::Public, _) => Verdict::Allowed,
        (Needs::SignedIn, Who::Role(Role::Support)) if case.support_needs_session => Verdict::SessionRequired,
        (Needs::SignedIn, _) => Verdict::Allowed,
        (Needs::Action(a), Who::Role(Role::Support)) => {
            if SupportScope::allows(None, a) {
                Verdict::Allowed
            } else {
                Verdict::SessionRequired
            }
        }
        (Needs::Action(a), Who::Role(role)) => allow(allowed(role, a)),
        (Needs::Action(a), Who::SupportInSession) => allow(SupportScope::allows(Some(MATRIX_SCOPE), a)),
    }
}

/// A command as the test runs it: its name, what it needs, its invoke arguments.
struct Case {
    name: &'static str,
    needs: Needs,
    args: Value,
    support_needs_session: bool,
}

/// Reads the data file against the command table: every command has exactly one entry, with a
/// request exactly when the command takes one. Panics with everything to fix.
fn cases() -> Vec<Case> {
    let path = data_file();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut entries: BTreeMap<String, Entry> =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid: {e}", path.display()));
    let mut problems = Vec::new();
    let mut cases = Vec::new();
    for spec in specs() {
        let Some(entry) = entries.remove(spec.name) else {
            problems.push(format!(
                "`{}` is a command but has no entry: add [{}] with `needs` (an action, \"signed_in\" or \"public\"){}",
                spec.name,
                spec.name,
                if spec.request.is_some() { " and a sample `req`" } else { "" }
            ));
            continue;
        };
        let Some(needs) = Needs::parse(&entry.needs) else {
            problems.push(format!(
                "[{}] needs = {:?} is neither \"public\", \"signed_in\" nor an action of roles::Action in snake_case",
                spec.name, entry.needs
            ));
            continue;
        };
        let args = match (&spec.request, &entry.req) {
            (Some(ty), None) => {
                problems.push(format!("[{}] takes a request ({ty}): add a sample `req`", spec.name));
                continue;
            }
            (None, Some(_)) => {
                problems.push(format!("[{}] takes no request: remove its `req`", spec.name));
                continue;
            }
            (None, None) => json!({}),
            (Some(_), Some(req)) => match serde_json::from_str::<Value>(req) {
                Ok(req) => json!({ "req": req }),
                Err(e) => {
                    problems.push(format!("[{}] req is not JSON: {e}", spec.name));
                    continue;
                }
            },
        };
        if entry.support_needs_session && needs != Needs::SignedIn {
            problems.push(format!(
                "[{}] support_needs_session is only for \"signed_in\" commands: a command that needs an action is refused to support outside a session anyway",
                spec.name
            ));
            continue;
        }
        cases.push(Case { name: spec.name, needs, args, support_needs_session: entry.support_needs_session });
    }
    for name in entries.keys() {
        problems.push(format!("[{name}] is in the data file but there is no such command any more: remove it"));
    }
    assert!(problems.is_empty(), "{} does not match the command table:\n  {}", path.display(), problems.join("\n  "));
    cases
}

fn username(role: Role) -> String {
    format!("matrix-{}", role.as_str())
}

/// The demo clinic with one account per role (password [`PASSWORD`], no temporary password left
/// to change), seeded once into `dir` and closed, ready to copy.
fn seed_template(dir: &Path) {
    let shell = Shell::open(dir, true, Instant::now()).expect("seed the demo clinic");
    let now = frontdesk_desktop::now();
    let ctx = |token| frontdesk::Ctx { desk: &shell.desk, token, now };
    let (_, _, _, owner_password) =
        frontdesk::demo::DEMO_ACCOUNTS.iter().find(|a| a.2 == "owner").expect("the demo has an owner");
    let (owner, _) = frontdesk::session::sign_in(
        &ctx(None),
        frontdesk::session::SignInRequest { username: "owner".into(), password: (*owner_password).into() },
    )
    .expect("the demo owner signs in");
    for role in Role::ALL {
        frontdesk::staff::create_staff(
            &ctx(Some(&owner)),
            frontdesk::staff::CreateStaffRequest {
                display_name: format!("Matrix {}", role.as_str()),
                username: username(role),
                email: None,
                role,
                temporary_password: PASSWORD.into(),
                // A doctor account is a doctor on the schedule, as in a real clinic.
                doctor_id: (role == Role::Doctor).then_some(1),
            },
        )
        .unwrap_or_else(|e| panic!("create the {} account: {e}", role.as_str()));
    }
    // New accounts must choose their own password first; the test's own accounts skip that.
    let cleared = shell
        .desk
        .db()
        .execute("UPDATE staff SET must_change_password = 0 WHERE username LIKE 'matrix-%'", [])
        .unwrap();
    assert_eq!(cleared, Role::ALL.len());
    frontdesk::session::sign_out(&ctx(Some(&owner))).unwrap();
}

/// A fresh desk on a copy of the template (closed, so its files are the whole clinic).
fn fresh_desk(template: &Path) -> (tempfile::TempDir, Shell) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(template).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let shell = Shell::open(dir.path(), true, Instant::now()).expect("open a copy of the template");
    (dir, shell)
}

/// What one call answered: `None` for success, else the error.
type Answer = Option<ApiError>;

fn call(shell: &Shell, name: &str, args: &Value) -> Answer {
    dispatch(shell, name, args.clone()).unwrap_or_else(|| panic!("dispatch knows no command `{name}`")).err()
}

/// The answers of one command: with no one signed in, then as each role of [`Role::ALL`] (support
/// without a support session), then as support inside an approved session.
struct Row {
    no_session: Answer,
    roles: Vec<Answer>,
    support_in_session: Answer,
}

/// Every caller of a row with its answer.
fn answers(row: &Row) -> impl Iterator<Item = (Who, &Answer)> {
    Role::ALL
        .into_iter()
        .map(Who::Role)
        .zip(&row.roles)
        .chain(std::iter::once((Who::SupportInSession, &row.support_in_session)))
}

/// Gives the matrix's support account an approved session of [`MATRIX_SCOPE`], running now.
fn open_support_session(shell: &Shell) {
    let now = frontdesk_desktop::now();
    // Test data written straight into the file (the values are the test's own constants).
    let sql = format!(
        "INSERT INTO support_session (staff_id, reason, scope, minutes, requested_at, decision, decided_at, starts_at, expires_at)
         SELECT id, 'the command matrix', '{scope}', 60, {at}, 'approved', {at}, {at}, {at} + 3600 FROM staff WHERE username = '{user}'",
        scope = MATRIX_SCOPE.as_str(),
        at = now - 1,
        user = username(Role::Support),
    );
    let opened = shell.desk.db().execute(&sql, []).unwrap();
    assert_eq!(opened, 1, "the support account exists");
}

fn run(case: &Case, template: &Path) -> Row {
    let (_dir, shell) = fresh_desk(template);
    let no_session = call(&shell, case.name, &case.args);
    let as_role = |role: Role| {
        // A sign-in ends the desk's previous session: start from none, as the sign-in screen does.
        shell.set_token(None);
        let sign_in = json!({ "req": { "username": username(role), "password": PASSWORD } });
        if let Some(e) = call(&shell, "sign_in", &sign_in) {
            panic!("{} could not sign in before `{}`: {e}", role.as_str(), case.name);
        }
        call(&shell, case.name, &case.args)
    };
    let roles = Role::ALL.into_iter().map(as_role).collect();
    open_support_session(&shell);
    let support_in_session = as_role(Role::Support);
    Row { no_session, roles, support_in_session }
}

fn code(answer: &Answer) -> String {
    match answer {
        None => "ok".into(),
        Some(e) => serde_json::to_value(e.code).unwrap().as_str().unwrap().to_owned(),
    }
}

fn is(answer: &Answer, c: ErrorCode) -> bool {
    answer.as_ref().is_some_and(|e| e.code == c)
}

/// What is wrong with one answer given as `who` (a role, support in a session, or no one), if anything.
fn problem(case: &Case, caller: Option<Who>, answer: &Answer) -> Option<String> {
    let who = caller.map_or("with no session", Who::label);
    let got = || match answer {
        None => "ok".to_owned(),
        Some(e) => format!("{} ({})", code(answer), e.message),
    };
    if let Some(e) = answer.as_ref().filter(|e| e.message.starts_with("invalid args `req`")) {
        return Some(format!("{}: its sample `req` does not deserialise: {}", case.name, e.message));
    }
    if [ErrorCode::Internal, ErrorCode::Storage, ErrorCode::Tampered].into_iter().any(|c| is(answer, c)) {
        return Some(format!("{} {who}: answered {}", case.name, got()));
    }
    let Some(caller) = caller else {
        return match case.needs {
            Needs::Public if is(answer, ErrorCode::NotSignedIn) || is(answer, ErrorCode::Forbidden) => {
                Some(format!("{} is public but with no session answered {}", case.name, got()))
            }
            Needs::Public => None,
            _ if is(answer, ErrorCode::NotSignedIn) => None,
            _ => Some(format!("{} needs {} but with no session answered {}", case.name, case.needs.label(), got())),
        };
    };
    if [ErrorCode::NotSignedIn, ErrorCode::SessionLocked, ErrorCode::PasswordChangeRequired]
        .into_iter()
        .any(|c| is(answer, c))
    {
        return Some(format!("{} as {who}: the session did not reach the command, answered {}", case.name, got()));
    }
    let (want, got_verdict) = (expected(case, caller), Verdict::of(answer));
    (want != got_verdict).then(|| {
        format!(
            "{} as {who}: answered {}, but it needs {}{}: expected {}",
            case.name,
            got(),
            case.needs.label(),
            if case.support_needs_session { " (support only in a session)" } else { "" },
            want.label()
        )
    })
}

fn print_matrix(cases: &[Case], rows: &[Row]) -> String {
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let flag = |bad: bool| if bad { "!" } else { " " };
    let mut out = format!("{:width$}  {:26} {:17}", "command", "needs", "no session");
    for role in Role::ALL {
        let _ = write!(out, " {:^12}", role.as_str());
    }
    let _ = write!(out, " {:^12}", "support+sess");
    out.push('\n');
    for (case, row) in cases.iter().zip(rows) {
        let no_session = format!("{}{}", code(&row.no_session), flag(problem(case, None, &row.no_session).is_some()));
        let _ = write!(out, "{:width$}  {:26} {:17}", case.name, case.needs.label(), no_session);
        for (who, answer) in answers(row) {
            let glyph = match Verdict::of(answer) {
                Verdict::Allowed => "✓",
                Verdict::Forbidden => "✗",
                Verdict::SessionRequired => "⊘",
            };
            let _ = write!(out, " {glyph:>6}{}     ", flag(problem(case, Some(who), answer).is_some()));
        }
        out.push('\n');
    }
    out.push_str(
        "✓ not forbidden (the command may still refuse the sample request), ✗ forbidden, ⊘ support_session_required \
         (support without an approved session), ! disagrees with the data file; `support` is without a support \
         session, `support+sess` inside an approved schedule_and_patients one\n",
    );
    out
}

#[test]
fn every_command_answers_every_role_as_the_role_table_says() {
    let started = Instant::now();
    let cases = cases();
    let template = tempfile::tempdir().unwrap();
    seed_template(template.path());

    // Fresh desks in parallel: each call signs in once per role (an argon2 verification).
    let next = AtomicUsize::new(0);
    let rows: Mutex<Vec<Option<Row>>> = Mutex::new((0..cases.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let row = run(case, template.path());
                rows.lock().unwrap()[i] = Some(row);
            });
        }
    });
    let rows: Vec<Row> = rows.into_inner().unwrap().into_iter().map(|r| r.expect("every command ran")).collect();

    println!("{}", print_matrix(&cases, &rows));
    let mut problems = Vec::new();
    for (case, row) in cases.iter().zip(&rows) {
        problems.extend(problem(case, None, &row.no_session));
        for (who, answer) in answers(row) {
            problems.extend(problem(case, Some(who), answer));
        }
    }
    // A sample that does not deserialise is the same problem for every role: say it once.
    problems.dedup();
    println!(
        "{} commands × {} roles (+ support inside a session) in {:.1} s",
        cases.len(),
        Role::ALL.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{} answer(s) disagree with {} and the role table (fix the core, or the data file after review):\n  {}",
        problems.len(),
        data_file().display(),
        problems.join("\n  ")
    );
}

/// `dispatch` reads `req` as Tauri does and says so in its words; an unknown name is `None`.
#[test]
fn dispatch_reads_the_request_as_tauri_does() {
    let dir = tempfile::tempdir().unwrap();
    let shell = Shell::open(dir.path(), false, Instant::now()).unwrap();
    assert!(dispatch(&shell, "no_such_command", json!({})).is_none());

    let missing = dispatch(&shell, "search", json!({})).unwrap().unwrap_err();
    assert_eq!(missing.code, ErrorCode::InvalidInput);
    assert_eq!(missing.message, "invalid args `req` for command `search`: command search missing required key req");

    let wrong = dispatch(&shell, "search", json!({ "req": { "query": 7 } })).unwrap().unwrap_err();
    assert_eq!(wrong.code, ErrorCode::InvalidInput);
    assert!(wrong.message.starts_with("invalid args `req` for command `search`: invalid type"), "{}", wrong.message);

    // A command with no request ignores the arguments; the answer is the JSON the window gets.
    let status = dispatch(&shell, "setup_status", json!({ "req": 1 })).unwrap().unwrap();
    assert_eq!(status["needs_setup"], json!(true));
    // The core's refusals come through as they are.
    let refused = dispatch(&shell, "day_schedule", json!({ "req": {} })).unwrap().unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotSignedIn);
}
