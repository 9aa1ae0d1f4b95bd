//! The desk's log, for support: `tracing` events written to a file in the OS log directory (kept
//! to a few files of bounded size, each 0600 in a 0700 directory: it sits next to patient data)
//! and to the terminal. Events carry ids, codes and counts as fields, never names, phones, birth
//! dates, notes, passwords or a person's error message (`frontdesk::Error::log_detail` says what
//! an error may add); `tests/logs.rs` plants a canary patient and reads every file back.
//! "Copy diagnostics" in the user menu sends the version, the directories and the log's tail.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use frontdesk::{Ctx, ErrorCode};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::{format, FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

use crate::Shell;

/// The current file; older ones are `frontdesk.log.1` (the newest) to `frontdesk.log.4`.
pub const FILE_NAME: &str = "frontdesk.log";
/// A file is rotated once it would grow past this.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// Files kept, the current one included: at most 25 MB of log.
pub const KEPT_FILES: usize = 5;
/// How much of the log "Copy diagnostics" sends.
pub const TAIL_LINES: usize = 200;

/// The directory the log is written to, once [`init`] opened its file.
static DIR: OnceLock<PathBuf> = OnceLock::new();

/// Where the log goes when neither `--log-dir` nor `FRONTDESK_LOG_DIR` says: beside a data
/// directory the person chose (its `logs` folder, so two clinics' or two tests' logs never mix),
/// otherwise the OS log directory of `app_name` (the identifier; the demo's is `<identifier>.demo`)
/// as Tauri's `app_log_dir` finds it: `~/Library/Logs/<app_name>` on macOS, the app-data
/// directory's `logs` folder elsewhere (which is the default data directory's).
pub fn default_dir(data_dir: &Path, app_name: &str, data_dir_chosen: bool) -> PathBuf {
    #[cfg(target_os = "macos")]
    if !data_dir_chosen {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join("Library/Logs").join(app_name);
        }
    }
    let _ = (app_name, data_dir_chosen);
    data_dir.join("logs")
}

/// Starts logging to `dir` (created 0700 if missing; made 0700 when it is our own, not one given
/// with `--log-dir`) and to the terminal. If the file cannot be opened the terminal still gets
/// every event, and the reason is its first line. Call once, before the window.
pub fn init(dir: &Path, ours: bool) {
    let file = RotatingFile::open(dir, MAX_FILE_BYTES, KEPT_FILES).and_then(|f| {
        if ours {
            frontdesk::store::restrict_dir(dir).map_err(io::Error::other)?;
        }
        Ok(f)
    });
    // Ours at INFO; other crates only when something is wrong (their debug output may carry a
    // notification's text or a D-Bus message).
    let filter = Targets::new()
        .with_default(tracing::Level::WARN)
        .with_target("frontdesk", tracing::Level::INFO)
        .with_target("frontdesk_desktop", tracing::Level::INFO);
    let terminal = tracing_subscriber::fmt::layer().with_ansi(false).event_format(Terminal).with_writer(io::stderr);
    let registry = tracing_subscriber::registry().with(filter).with(terminal);
    match file {
        Ok(file) => {
            let to_file = tracing_subscriber::fmt::layer().with_ansi(false).with_writer(Mutex::new(file));
            let _ = registry.with(to_file).try_init();
            let _ = DIR.set(dir.to_owned());
        }
        Err(e) => {
            let _ = registry.try_init();
            tracing::warn!(dir = %dir.display(), error = %e, "the log file cannot be written; logging to the terminal only");
        }
    }
}

/// The log directory in use, if the file could be opened.
pub fn dir() -> Option<&'static Path> {
    DIR.get().map(PathBuf::as_path)
}

/// Logs a command that did not succeed, by its code and what [`frontdesk::Error::log_detail`]
/// allows: a person's refusal at INFO (it is the desk working), a failure of the desk at ERROR.
pub fn command_failed(command: &'static str, e: &frontdesk::Error) {
    let code = e.code();
    let detail = e.log_detail();
    if matches!(code, ErrorCode::Storage | ErrorCode::Tampered | ErrorCode::Internal) {
        tracing::error!(command, ?code, detail = detail.as_deref(), "command failed");
    } else if matches!(code, ErrorCode::NotSignedIn | ErrorCode::SessionLocked | ErrorCode::NeedsConfirmation) {
        // The window asks these to learn where to go (every start asks who is signed in), and a
        // question is not a refusal: not worth a line each.
        tracing::debug!(command, ?code, "command answered");
    } else {
        tracing::info!(command, ?code, detail = detail.as_deref(), "command refused");
    }
}

/// The text "Copy diagnostics" puts on the clipboard: version, OS, directories, the database's
/// schema version, who asked (staff id and role) and the log's last lines. Anyone signed in.
pub fn diagnostics(shell: &Shell, ctx: &Ctx) -> frontdesk::Result<String> {
    let (schema, staff_id, role) = ctx.read_signed_in(|conn, caller, _| {
        // The log's lines are the clinic's workings: a support person reads them only inside an
        // approved session, like everything else.
        caller.refuse_support_without_session()?;
        let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok((schema, caller.staff_id, caller.role))
    })?;
    let db = shell.desk.path();
    let mut text = format!(
        "Frontdesk {version}\nOS: {os}\nData directory: {data}\nDatabase schema: {schema} (this version writes {known})\n\
         Asked by: staff {staff_id} ({role})\n",
        version = env!("CARGO_PKG_VERSION"),
        os = os_name(),
        data = db.parent().unwrap_or(db).display(),
        known = frontdesk::store::schema_version(),
        role = role.as_str(),
    );
    match dir() {
        Some(dir) => {
            text += &format!("Log directory: {}\n\nLast {TAIL_LINES} lines of the log:\n", dir.display());
            match tail(dir, TAIL_LINES) {
                Ok(lines) => text += &lines,
                Err(e) => text += &format!("(the log could not be read: {e})\n"),
            }
        }
        None => text += "Log directory: none (the log file could not be opened; see the terminal)\n",
    }
    Ok(text)
}

/// The OS by name and version where it says (`/etc/os-release`), with its kind and architecture.
fn os_name() -> String {
    let kind = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim_matches('"').to_owned()));
    match pretty {
        Some(name) => format!("{name} ({kind})"),
        None => kind,
    }
}

/// The last `lines` lines of the log in `dir`, reaching into the previous file when the current
/// one is young.
pub fn tail(dir: &Path, lines: usize) -> io::Result<String> {
    let mut kept: Vec<String> = Vec::new();
    for (i, path) in (0..KEPT_FILES).map(|i| file_path(dir, i)).enumerate() {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound && i > 0 => break,
            Err(e) => return Err(e),
        };
        let mut older: Vec<String> = text.lines().map(str::to_owned).collect();
        older.append(&mut kept);
        kept = older;
        if kept.len() >= lines {
            break;
        }
    }
    let start = kept.len().saturating_sub(lines);
    Ok(kept[start..].iter().map(|l| format!("{l}\n")).collect())
}

/// `frontdesk.log` for 0, `frontdesk.log.<n>` for the older ones.
fn file_path(dir: &Path, n: usize) -> PathBuf {
    if n == 0 {
        dir.join(FILE_NAME)
    } else {
        dir.join(format!("{FILE_NAME}.{n}"))
    }
}

/// The terminal's form of an event: `frontdesk: <message> key=value…`, as the desk's lines have
/// always looked (scripts and the start-up benchmark read them).
struct Terminal;

impl<S, N> FormatEvent<S, N> for Terminal
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        write!(writer, "frontdesk: ")?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// A log file that starts over once it would pass `max_bytes`, keeping `kept` files in all
/// (`frontdesk.log`, then `.1` the newest to `.<kept-1>` the oldest). Every file is created 0600.
/// Several processes may append to one (a second start that hands off to the first): each
/// writes whole lines with `O_APPEND`.
pub struct RotatingFile {
    dir: PathBuf,
    max_bytes: u64,
    kept: usize,
    file: File,
    len: u64,
}

impl RotatingFile {
    pub fn open(dir: &Path, max_bytes: u64, kept: usize) -> io::Result<RotatingFile> {
        frontdesk::store::create_private_dir(dir).map_err(io::Error::other)?;
        let file = open_private(&file_path(dir, 0))?;
        let len = file.metadata()?.len();
        Ok(RotatingFile { dir: dir.to_owned(), max_bytes, kept: kept.max(1), file, len })
    }

    fn rotate(&mut self) -> io::Result<()> {
        // The oldest goes, each other moves one older, and a new current file starts.
        for n in (1..self.kept).rev() {
            match std::fs::rename(file_path(&self.dir, n - 1), file_path(&self.dir, n)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        if self.kept == 1 {
            std::fs::remove_file(file_path(&self.dir, 0))?;
        }
        // Files past the cap (a larger cap before) go too.
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            let name = entry.file_name();
            let n = name.to_str().and_then(|s| s.strip_prefix(FILE_NAME)?.strip_prefix('.')?.parse::<usize>().ok());
            if n.is_some_and(|n| n >= self.kept) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        self.file = open_private(&file_path(&self.dir, 0))?;
        self.len = self.file.metadata()?.len();
        Ok(())
    }

    fn make_room(&mut self, incoming: usize) -> io::Result<()> {
        if self.len > 0 && self.len + incoming as u64 > self.max_bytes {
            self.rotate()?;
        }
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.make_room(buf.len())?;
        let n = self.file.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    /// One event is one `write_all`: it lands whole in one file.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.make_room(buf.len())?;
        self.file.write_all(buf)?;
        self.len += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Opens `path` for appending, created 0600 (and made 0600 if an older one was wider).
fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}
