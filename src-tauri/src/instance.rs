//! One running Frontdesk per data directory (per clinic database). The single-instance plugin
//! owns a D-Bus name per directory; a second start hands its arguments to the owner, which
//! brings its window forward, and quits.
//!
//! The plugin alone fails a start made while the previous Frontdesk is still closing: the name
//! is still held, the hand-off gets "disconnected without replying", and the new window never
//! opens ("click the icon again"). [`hand_off`] runs first and tells the two cases apart.

use std::path::Path;
use std::time::{Duration, Instant};

/// The single-instance id of a data directory: of its canonical path (symbolic links and ".."
/// resolved), so create the directory first — every spelling of it then names one instance.
pub fn id(identifier: &str, data_dir: &Path) -> String {
    let dir = data_dir.canonicalize().unwrap_or_else(|_| data_dir.to_path_buf());
    // FNV-1a: a short, stable, dependency-free tag; D-Bus name elements may not start with a digit.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in dir.to_string_lossy().bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{identifier}.d{h:016x}")
}

/// What became of a start, as far as other instances go.
#[derive(Debug, PartialEq, Eq)]
pub enum HandOff {
    /// No Frontdesk has this directory open (or one closed while this start waited): go on.
    Free,
    /// A running Frontdesk took the arguments and brings its window forward: quit.
    Forwarded,
    /// There is no session bus to ask: go on (the plugin launches normally too).
    NoBus,
    /// The owner neither answered nor went away within the patience: go on and let the plugin
    /// report it.
    Stuck,
}

/// Hands this start to a running Frontdesk for the same directory, or, when the one holding the
/// name is closing (it drops the hand-off), waits up to `patience` for it to be gone.
#[cfg(target_os = "linux")]
pub fn hand_off(instance_id: &str, patience: Duration) -> HandOff {
    use zbus::blocking::{connection::Builder, fdo::DBusProxy};
    use zbus::names::BusName;

    // The plugin's names (tauri-plugin-single-instance 2.5, linux.rs): "<id>.SingleInstance",
    // served at that name as a path, on interface "org.SingleInstance.DBus".
    let name = format!("{instance_id}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    // A hung owner never answers, and a D-Bus call waits for ever by default.
    let Ok(conn) = Builder::session().and_then(|b| b.method_timeout(Duration::from_secs(2)).build()) else {
        return HandOff::NoBus;
    };
    let Ok(bus) = DBusProxy::new(&conn) else { return HandOff::NoBus };
    let Ok(bus_name) = BusName::try_from(name.as_str()) else { return HandOff::Free };
    let argv: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cwd = std::env::current_dir().unwrap_or_default().to_string_lossy().into_owned();
    let deadline = Instant::now() + patience;
    loop {
        match bus.name_has_owner(bus_name.clone()) {
            Ok(false) => return HandOff::Free,
            Ok(true) => {}
            Err(_) => return HandOff::NoBus,
        }
        let forwarded = conn.call_method(
            Some(bus_name.clone()),
            path.as_str(),
            Some("org.SingleInstance.DBus"),
            "ExecuteCallback",
            &(&argv, &cwd),
        );
        if forwarded.is_ok() {
            // An app that is closing can still take the hand-off after its window is gone: only
            // quit if it is still there a moment later.
            std::thread::sleep(Duration::from_millis(200));
            if bus.name_has_owner(bus_name.clone()).unwrap_or(true) {
                return HandOff::Forwarded;
            }
            continue;
        }
        if Instant::now() >= deadline {
            return HandOff::Stuck;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(not(target_os = "linux"))]
pub fn hand_off(_instance_id: &str, _patience: Duration) -> HandOff {
    HandOff::NoBus
}
