//! The Frontdesk desktop shell: parses the command line, opens the clinic's data directory,
//! creates the window and forwards core events to every window. All logic lives in the core.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use frontdesk::events::Event;
use frontdesk_desktop::instance::{self, HandOff};
use frontdesk_desktop::{commands, Shell};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{Emitter, Manager};

struct Args {
    data_dir: Option<PathBuf>,
    demo: bool,
    log_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { data_dir: None, demo: false, log_dir: None };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--demo" => args.demo = true,
            "--data-dir" => {
                args.data_dir =
                    Some(it.next().ok_or("--data-dir needs a directory, e.g. --data-dir ~/frontdesk-data")?.into())
            }
            s if s.starts_with("--data-dir=") => args.data_dir = Some(s["--data-dir=".len()..].into()),
            "--log-dir" => {
                args.log_dir =
                    Some(it.next().ok_or("--log-dir needs a directory, e.g. --log-dir /tmp/frontdesk-logs")?.into())
            }
            s if s.starts_with("--log-dir=") => args.log_dir = Some(s["--log-dir=".len()..].into()),
            "--help" | "-h" => {
                println!("frontdesk [--data-dir <dir>] [--demo] [--log-dir <dir>]\n\n  --data-dir <dir>  where the clinic database lives (default: the OS app-data directory)\n  --demo            the demo clinic, in its own directory (seeded on first run); never your clinic's\n  --log-dir <dir>   where the log is written (also FRONTDESK_LOG_DIR; default: the OS log directory,\n                    or the logs folder of a --data-dir)");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}; try --help")),
        }
    }
    Ok(args)
}

fn main() {
    let started = std::time::Instant::now();
    frontdesk_desktop::tune_allocator();
    frontdesk_desktop::software_rendering();
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("frontdesk: {e}");
            std::process::exit(2);
        }
    };
    let context = tauri::generate_context!("../tauri.conf.json");
    let data_dir = args.data_dir.clone().or_else(|| default_data_dir(&context.config().identifier, args.demo));
    let Some(data_dir) = data_dir else {
        eprintln!("frontdesk: no app-data directory could be found; pass --data-dir <dir>");
        std::process::exit(2);
    };
    // The directory exists before its instance id is taken (the id is of its canonical path); if
    // it cannot be created, opening the clinic below says why.
    let _ = frontdesk::store::create_private_dir(&data_dir);
    if args.data_dir.is_none() {
        // Our own directory: private even if an older version created it world-readable.
        let _ = frontdesk::store::restrict_dir(&data_dir);
    }
    // The log starts before anything else can go wrong; what went wrong before it went to stderr.
    let identifier = &context.config().identifier;
    let given_log_dir = args
        .log_dir
        .clone()
        .or_else(|| std::env::var_os("FRONTDESK_LOG_DIR").filter(|d| !d.is_empty()).map(PathBuf::from));
    let app_name = if args.demo { format!("{identifier}.demo") } else { identifier.clone() };
    let log_dir = given_log_dir
        .clone()
        .unwrap_or_else(|| frontdesk_desktop::logs::default_dir(&data_dir, &app_name, args.data_dir.is_some()));
    frontdesk_desktop::logs::init(&log_dir, given_log_dir.is_none());
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        data_dir = %data_dir.display(),
        log_dir = %log_dir.display(),
        mode = if args.demo { "demo" } else { "clinic" },
        "Frontdesk starting"
    );
    let instance_id = instance::id(identifier, &data_dir);
    match instance::hand_off(&instance_id, Duration::from_secs(5)) {
        HandOff::Forwarded => {
            tracing::info!("this clinic is already open; its window was brought to the front");
            std::process::exit(0);
        }
        HandOff::Stuck => tracing::warn!(
            "the Frontdesk already open for this clinic does not answer; if no window opens, close it and start again"
        ),
        HandOff::Free | HandOff::NoBus => {}
    }
    let shell = match Shell::open(&data_dir, args.demo, started) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            tracing::error!(code = ?e.code(), detail = e.log_detail().as_deref(), "the clinic could not be opened");
            // The whole sentence, with what to do, for the person at the terminal only.
            let message = format!("Cannot open the clinic database in {}: {e}", data_dir.display());
            eprintln!("frontdesk: {message}");
            frontdesk_desktop::notify::show_start_failure(&message);
            std::process::exit(1);
        }
    };

    let exit_shell = shell.clone();
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id)
                .callback(|app, _args, _cwd| focus_main(app))
                .build(),
        )
        .manage(shell.clone())
        .invoke_handler(commands::handler())
        .setup(move |app| {
            // The window first: its web process starts loading the UI while the tray is built.
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::App("index.html".into()))
                .title("Frontdesk")
                .inner_size(1280.0, 800.0)
                .min_inner_size(960.0, 600.0)
                .build()?;
            let tray = build_tray(app)?;
            let handle = app.handle().clone();
            let events_shell = shell.clone();
            shell.desk.events.subscribe(move |event| {
                // Every window gets every event, so two windows never disagree.
                if let Err(e) = handle.emit("frontdesk://event", event) {
                    tracing::error!(error = %e, "could not forward an event to the windows");
                }
                match event {
                    Event::AlertRaised { alert_id } => {
                        tracing::info!(alert_id, "alert raised");
                        notify_desktop(&handle, &events_shell, *alert_id)
                    }
                    Event::EscalationsChanged | Event::ClinicSetUp => update_tray(&tray, &events_shell),
                    _ => {}
                }
            });
            update_tray_now(app, &shell);
            spawn_sla_sweeper(shell.clone());
            spawn_phone_display_fill(shell.clone());
            Ok(())
        })
        .build(context)
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "the window could not start");
            std::process::exit(1);
        });
    app.run(move |_, event| {
        if let tauri::RunEvent::Exit = event {
            // The last reads of patient data go into the audit log before the desk closes.
            if let Err(e) = exit_shell.desk.flush_reads() {
                tracing::error!(code = ?e.code(), detail = e.log_detail().as_deref(), "could not write the last reads to the audit log");
            }
            tracing::info!("Frontdesk closing");
        }
    });
}

/// The tray icon: the number of open urgent items as its label, a menu to bring the window up.
fn build_tray(app: &tauri::App) -> tauri::Result<TrayIcon> {
    let show = MenuItem::with_id(app, "show", "Show Frontdesk", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &quit])?;
    let mut builder =
        TrayIconBuilder::with_id("frontdesk").menu(&menu).tooltip("Frontdesk").on_menu_event(|app, event| match event
            .id()
            .as_ref()
        {
            "show" => focus_main(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)
}

fn update_tray(tray: &TrayIcon, shell: &Shell) {
    let label = shell.refresh_tray_label();
    let shown = (!label.is_empty()).then_some(label.as_str());
    let _ = tray.set_title(shown);
    let _ = tray.set_tooltip(Some(if label.is_empty() {
        "Frontdesk".to_owned()
    } else {
        format!("Frontdesk — {label}")
    }));
}

fn update_tray_now(app: &tauri::App, shell: &Shell) {
    if let Some(tray) = app.tray_by_id("frontdesk") {
        update_tray(&tray, shell);
    }
}

fn focus_main(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// How many shown notifications may have a thread waiting for their "Open" click at once. Urgent
/// ones never time out, so on a long day without anyone clicking, the threads (each with its
/// D-Bus connection) would pile up; past this many, new notifications are shown without a
/// waiter (the in-app banner's Open still works).
const MAX_ACTION_WAITERS: usize = 16;
static ACTION_WAITERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Shows an alert on the desktop as the core words it for this desk (as its person wants it; who
/// only if the owner allows names there, and never while signed out or locked) and records
/// whether the notification service took it. Clicking "Open" brings the window forward on the item.
fn notify_desktop(handle: &tauri::AppHandle, shell: &Arc<Shell>, alert_id: i64) {
    use std::sync::atomic::Ordering;
    let handle = handle.clone();
    let shell = shell.clone();
    std::thread::spawn(move || {
        if let Some((shown, notification)) = frontdesk_desktop::deliver_alert(&shell, alert_id) {
            if ACTION_WAITERS.fetch_add(1, Ordering::SeqCst) >= MAX_ACTION_WAITERS {
                ACTION_WAITERS.fetch_sub(1, Ordering::SeqCst);
                return;
            }
            struct Waiting;
            impl Drop for Waiting {
                fn drop(&mut self) {
                    ACTION_WAITERS.fetch_sub(1, Ordering::SeqCst);
                }
            }
            let _waiting = Waiting;
            notification.wait_for_action(|action| {
                if action == "default" {
                    focus_main(&handle);
                    let _ = handle
                        .emit("frontdesk://open", serde_json::json!({"entity": shown.entity, "id": shown.entity_id}));
                }
            });
        }
    });
}

/// Checks SLAs every 20 seconds (the core raises each breach's alert once), and writes the reads
/// of patient data noted since the last time to the audit log.
fn spawn_sla_sweeper(shell: Arc<Shell>) {
    std::thread::spawn(move || loop {
        match frontdesk::sla::sweep(&shell.desk, frontdesk_desktop::now()) {
            Ok(raised) if !raised.is_empty() => {
                let alert_ids: Vec<i64> = raised.iter().map(|a| a.id).collect();
                tracing::info!(?alert_ids, "SLA sweep: breaches alerted");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(code = ?e.code(), detail = e.log_detail().as_deref(), "the SLA sweep failed"),
        }
        if let Err(e) = shell.desk.flush_reads() {
            tracing::error!(code = ?e.code(), detail = e.log_detail().as_deref(), "could not write recent reads to the audit log");
        }
        std::thread::sleep(std::time::Duration::from_secs(20));
    });
}

/// Formats, in small batches in the background, the phones a clinic saved before displays were
/// stored (an upgrade from before migration 0005); nothing to do on a current clinic.
fn spawn_phone_display_fill(shell: Arc<Shell>) {
    std::thread::spawn(move || {
        let mut after = 0;
        loop {
            match frontdesk::patients::fill_phone_displays(&shell.desk, frontdesk_desktop::now(), after, 500) {
                Ok(Some(next)) => after = next,
                Ok(None) => break,
                Err(e) => {
                    tracing::error!(after, code = ?e.code(), detail = e.log_detail().as_deref(), "formatting stored phones stopped");
                    break;
                }
            }
            // Let the window's own queries in between batches.
            std::thread::sleep(Duration::from_millis(5));
        }
    });
}

/// The OS app-data directory for the clinic; the demo clinic has its own beside it, so a real
/// clinic can never start on demo data or demo passwords.
fn default_data_dir(identifier: &str, demo: bool) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join(if demo { format!("{identifier}.demo") } else { identifier.to_owned() }))
}
