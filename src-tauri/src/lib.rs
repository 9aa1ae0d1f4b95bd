//! The shell's library half: its state and the IPC commands, kept out of `main.rs` so the
//! binding generator (a test) can list the commands without starting a window.

pub mod commands;
pub mod instance;
pub mod logs;
pub mod notify;

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use frontdesk::alerts::DesktopAlert;
use frontdesk::{Ctx, Desk, SessionToken};

/// What the shell keeps: the open desk and the token of whoever is signed in on it.
pub struct Shell {
    pub desk: Desk,
    token: Mutex<Option<SessionToken>>,
    started: Instant,
    /// What the tray icon shows now ("2 urgent" or empty), for the window and the tests.
    tray_label: Mutex<String>,
}

impl Shell {
    /// Opens the data directory; with `demo`, seeds the demo clinic if it holds no clinic yet.
    pub fn open(data_dir: &Path, demo: bool, started: Instant) -> frontdesk::Result<Shell> {
        // While the window starts, load the phone-number metadata the first lists need.
        std::thread::spawn(frontdesk::phone::warm_up);
        let desk = Desk::open(data_dir)?;
        if demo {
            let seeded = frontdesk::demo::seed_if_empty(&desk, now())?;
            if seeded {
                tracing::info!(database = %desk.path().display(), "seeded the demo clinic");
            }
        } else if frontdesk::settings::setup_status(&Ctx { desk: &desk, token: None, now: now() })?.demo {
            // Demo passwords are published: a clinic must never run on them by accident.
            return Err(frontdesk::Error::Conflict(format!(
                "{} holds the demo clinic, whose passwords are public. Start with --demo to try it, or pick another --data-dir for your clinic.",
                data_dir.display()
            )));
        }
        Ok(Shell { desk, token: Mutex::new(None), started, tray_label: Mutex::default() })
    }

    pub(crate) fn ctx<'a>(&'a self, token: Option<&'a SessionToken>) -> Ctx<'a> {
        Ctx { desk: &self.desk, token, now: now() }
    }

    pub(crate) fn token(&self) -> Option<SessionToken> {
        self.token.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Who is signed in at this desk (the sign-in and sign-out commands set it).
    pub fn set_token(&self, token: Option<SessionToken>) {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = token;
    }

    /// What this desk shows on the desktop for an alert (see [`frontdesk::alerts::for_desktop`]).
    /// If the core cannot say, the desk still shows that there is an alert, naming no one.
    pub fn desktop_alert(&self, alert_id: i64) -> Option<DesktopAlert> {
        let token = self.token();
        frontdesk::alerts::for_desktop(&self.ctx(token.as_ref()), alert_id).unwrap_or_else(|e| {
            tracing::warn!(
                alert_id,
                code = ?e.code(),
                detail = e.log_detail().as_deref(),
                "could not read the alert for the desktop; showing that there is one"
            );
            Some(DesktopAlert::unreadable(alert_id))
        })
    }

    /// The tray label for the current number of open urgent items.
    pub fn refresh_tray_label(&self) -> String {
        let n = frontdesk::alerts::urgent_open(&self.desk).unwrap_or(0);
        let label = if n > 0 { format!("{n} urgent") } else { String::new() };
        *self.tray_label.lock().unwrap_or_else(|e| e.into_inner()) = label.clone();
        label
    }

    pub fn tray_label(&self) -> String {
        self.tray_label.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Delivers an alert to the desktop if this desk's person wants it, records the result with the
/// core, and logs (with the alert id only) why a notification could not be shown. The alert is
/// already stored, so a failure loses nothing: the in-app banner and alert list still show it.
/// Returns what was shown and the notification handle to wait for its "Open" action, when one was.
pub fn deliver_alert(shell: &Shell, alert_id: i64) -> Option<(DesktopAlert, notify_rust::NotificationHandle)> {
    let Some(shown) = shell.desktop_alert(alert_id) else {
        tracing::info!(alert_id, "desktop alert not shown: not wanted on this desk (its person's setting)");
        return None;
    };
    let result = notify::show(&shown);
    let delivery = result.as_ref().map(|_| ()).map_err(Clone::clone);
    match &delivery {
        Ok(()) => tracing::info!(alert_id, urgent = shown.urgent, "desktop alert delivered"),
        // The notification service's own words (a D-Bus error): they never carry the alert's text.
        Err(reason) => {
            tracing::warn!(alert_id, %reason, "desktop alert not shown; it stays in the app's alert list")
        }
    }
    if let Err(e) = frontdesk::alerts::record_delivery(&shell.desk, alert_id, delivery, now()) {
        tracing::error!(
            alert_id,
            code = ?e.code(),
            detail = e.log_detail().as_deref(),
            "could not record the desktop alert's delivery"
        );
    }
    result.ok().map(|handle| (shown, handle))
}

/// Unix seconds now. The shell reads the clock; the core is always given the time.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// glibc's allocator, set for a process that stays open all day. By default glibc raises its
/// "large allocation" threshold each time a large block is freed, so after the first sign-in the
/// next password check's 19 MiB (argon2) and each day's JSON answer come from the heap and stay
/// resident; and each thread that allocates gets an arena of its own. Fixed thresholds give large
/// blocks back to the OS when freed, and two arenas are plenty for a desk: ~20 MB less resident in
/// `benches/memory.rs`. Call it first thing in `main`, while the process has one thread.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn tune_allocator() {
    use std::ffi::c_int;
    // From glibc's <malloc.h>.
    const M_TRIM_THRESHOLD: c_int = -1;
    const M_MMAP_THRESHOLD: c_int = -3;
    const M_ARENA_MAX: c_int = -8;
    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }
    // SAFETY: mallopt only sets allocator parameters; called before any other thread exists.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        mallopt(M_TRIM_THRESHOLD, 128 * 1024);
        mallopt(M_ARENA_MAX, 2);
    }
}

/// Elsewhere the system allocator's defaults stand.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune_allocator() {}

/// WebKitGTK draws the window without GPU compositing unless `FRONTDESK_GPU=1`: a front-desk
/// window of lists and forms gains nothing from it, and compositing keeps a texture per layer (the
/// scrolling board, sticky column heads, drawers): ~190 MB more for the same screen in
/// `benches/memory.rs`, and blank windows on some virtual machines' GL drivers. Call it before GTK
/// starts, while the process has one thread.
pub fn software_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("FRONTDESK_GPU").is_none_or(|v| v != "1")
        && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
    {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
