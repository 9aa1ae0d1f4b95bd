//! The dunst notification daemon the test command runs on the private session bus.

use std::process::Command;
use std::time::{Duration, Instant};

/// What dunst has shown and closed (`dunstctl history`, JSON).
pub fn history() -> String {
    let out = Command::new("dunstctl").arg("history").output().expect("run dunstctl (scripts/setup.sh installs dunst)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Closes what the daemon shows so it lands in the history, then waits (up to `timeout`) for
/// `needle` there; returns the history either way, for the assertion's message.
pub fn history_with(needle: &str, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let _ = Command::new("dunstctl").arg("close-all").status();
        let h = history();
        if h.contains(needle) || Instant::now() > deadline {
            return h;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
