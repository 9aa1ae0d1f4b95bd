//! One Frontdesk per data directory, on a real session bus (the test command runs under
//! `dbus-run-session` and Xvfb): a second start hands off to the running app and quits; a start
//! made while the previous app is still closing waits for it instead of failing.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use frontdesk_desktop::instance::{self, HandOff};
use zbus::blocking::{fdo::DBusProxy, Connection};
use zbus::names::BusName;

const IDENTIFIER: &str = "online.frontdesk.desk";

fn session_bus() -> Connection {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() && std::env::var_os("DISPLAY").is_some(),
        "this test needs a private session bus and a display: run it through scripts/test.sh \
         (xvfb-run … dbus-run-session -- cargo test)"
    );
    Connection::session().expect("the session bus")
}

fn owned(conn: &Connection, name: &str) -> bool {
    DBusProxy::new(conn).unwrap().name_has_owner(BusName::try_from(name).unwrap()).unwrap()
}

fn wait_until(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_second_start_on_the_same_directory_brings_the_running_one_forward_and_quits() {
    let bus = session_bus();
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let name = format!("{}.SingleInstance", instance::id(IDENTIFIER, data.path()));
    let app = Path::new(env!("CARGO_BIN_EXE_frontdesk"));

    let mut first = Command::new(app)
        .args(["--data-dir", dir, "--demo"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the app");
    wait_until("the first app to own its single-instance name", Duration::from_secs(60), || owned(&bus, &name));

    let started = Instant::now();
    let second = Command::new(app).args(["--data-dir", dir]).output().expect("start a second app");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "the second start quits cleanly: {said}");
    assert!(said.contains("already open"), "…and says why: {said}");
    assert!(started.elapsed() < Duration::from_secs(10), "the hand-off is quick: {:?}", started.elapsed());
    assert!(first.try_wait().unwrap().is_none(), "the first app keeps running");

    let _ = Command::new("kill").args(["-TERM", &first.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while first.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = first.kill();
    let _ = first.wait();
}

/// Holds the name like an app that is closing: it answers nothing, then goes.
fn closing_owner(name: &str) -> Connection {
    zbus::blocking::connection::Builder::session().unwrap().name(name.to_owned()).unwrap().build().unwrap()
}

#[test]
fn a_start_while_the_previous_app_is_still_closing_waits_for_it() {
    let bus = session_bus();
    let data = tempfile::tempdir().unwrap();
    let id = instance::id(IDENTIFIER, data.path());
    let name = format!("{id}.SingleInstance");

    let owner = closing_owner(&name);
    assert!(owned(&bus, &name));
    let gone = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        drop(owner);
    });
    let started = Instant::now();
    assert_eq!(instance::hand_off(&id, Duration::from_secs(10)), HandOff::Free, "once the old app is gone, start");
    assert!(started.elapsed() >= Duration::from_millis(300), "it waited for the old app: {:?}", started.elapsed());
    gone.join().unwrap();

    // One that never goes: give up after the patience, and say so.
    let _stuck = closing_owner(&name);
    let started = Instant::now();
    assert_eq!(instance::hand_off(&id, Duration::from_millis(300)), HandOff::Stuck);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_start_with_nothing_running_goes_on_at_once() {
    let _bus = session_bus();
    let data = tempfile::tempdir().unwrap();
    let started = Instant::now();
    assert_eq!(instance::hand_off(&instance::id(IDENTIFIER, data.path()), Duration::from_secs(5)), HandOff::Free);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn every_spelling_of_a_directory_names_one_instance() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("clinic");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&dir, parent.path().join("link")).unwrap();
    let id = instance::id(IDENTIFIER, &dir);
    assert_eq!(id, instance::id(IDENTIFIER, &parent.path().join("link")), "through a symbolic link");
    assert_eq!(id, instance::id(IDENTIFIER, &dir.join("..").join("clinic")), "with ..");
    assert_ne!(id, instance::id(IDENTIFIER, parent.path()), "another directory, another instance");
}
