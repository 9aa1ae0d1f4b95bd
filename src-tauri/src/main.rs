//! The Frontdesk desktop shell: parses the command line, opens the clinic's data directory,
//! creates the window and forwards core events to every window. All logic lives in the core.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use frontdesk_desktop::{commands, Shell};
use tauri::{Emitter, Manager};

struct Args {
    data_dir: Option<PathBuf>,
    demo: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { data_dir: None, demo: false };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--demo" => args.demo = true,
            "--data-dir" => {
                args.data_dir =
                    Some(it.next().ok_or("--data-dir needs a directory, e.g. --data-dir ~/frontdesk-data")?.into())
            }
            s if s.starts_with("--data-dir=") => args.data_dir = Some(s["--data-dir=".len()..].into()),
            "--help" | "-h" => {
                println!("frontdesk [--data-dir <dir>] [--demo]\n\n  --data-dir <dir>  where the clinic database lives (default: the OS app-data directory)\n  --demo            seed the demo clinic into an empty data directory");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}; try --help")),
        }
    }
    Ok(args)
}

fn main() {
    let started = std::time::Instant::now();
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("frontdesk: {e}");
            std::process::exit(2);
        }
    };
    let context = tauri::generate_context!("../tauri.conf.json");
    let data_dir = args.data_dir.clone().or_else(|| default_data_dir(&context.config().identifier));
    let Some(data_dir) = data_dir else {
        eprintln!("frontdesk: no app-data directory could be found; pass --data-dir <dir>");
        std::process::exit(2);
    };
    let shell = match Shell::open(&data_dir, args.demo, started) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("frontdesk: cannot open the clinic database in {}: {e}", data_dir.display());
            std::process::exit(1);
        }
    };

    let instance_id = frontdesk_desktop::instance_id(&context.config().identifier, &data_dir);
    tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id)
                .callback(|app, _args, _cwd| {
                    if let Some(w) = app.get_webview_window("main") {
                        let _ = w.unminimize();
                        let _ = w.show();
                        let _ = w.set_focus();
                    }
                })
                .build(),
        )
        .manage(shell.clone())
        .invoke_handler(commands::handler())
        .setup(move |app| {
            let handle = app.handle().clone();
            shell.desk.events.subscribe(move |event| {
                // Every window gets every event, so two windows never disagree.
                if let Err(e) = handle.emit("frontdesk://event", event) {
                    eprintln!("frontdesk: could not forward an event to the windows: {e}");
                }
            });
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::App("index.html".into()))
                .title("Frontdesk")
                .inner_size(1280.0, 800.0)
                .min_inner_size(960.0, 600.0)
                .build()?;
            Ok(())
        })
        .run(context)
        .unwrap_or_else(|e| {
            eprintln!("frontdesk: the window could not start: {e}");
            std::process::exit(1);
        });
}

fn default_data_dir(identifier: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join(identifier))
}
