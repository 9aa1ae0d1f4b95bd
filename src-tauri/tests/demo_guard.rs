//! The demo clinic's passwords are public, so a clinic must never run on it by accident: opening a
//! data directory that holds the demo without `--demo` is refused with what to do instead.

use std::time::Instant;

use frontdesk_desktop::Shell;

#[test]
fn a_demo_clinic_is_opened_only_with_demo() {
    let dir = tempfile::tempdir().unwrap();
    drop(Shell::open(dir.path(), true, Instant::now()).expect("--demo seeds an empty directory"));
    let e = Shell::open(dir.path(), false, Instant::now()).err().expect("refused without --demo");
    let message = e.to_string();
    assert!(message.contains("demo clinic") && message.contains("--data-dir"), "{message}");
    assert!(Shell::open(dir.path(), true, Instant::now()).is_ok(), "with --demo it opens as before");
}

#[test]
fn a_real_clinic_is_never_seeded_with_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    {
        let desk = frontdesk::Desk::open(dir.path()).unwrap();
        frontdesk::settings::setup(
            &frontdesk::Ctx { desk: &desk, token: None, now: frontdesk_desktop::now() },
            frontdesk::settings::SetupRequest {
                clinic_name: "Real Clinic".into(),
                timezone: "America/Toronto".into(),
                phone_region: "CA".into(),
                owner_name: "Owner".into(),
                owner_username: "owner".into(),
                owner_password: "a real password".into(),
            },
        )
        .unwrap();
    }
    let shell = Shell::open(dir.path(), true, Instant::now()).unwrap();
    let status = frontdesk::settings::setup_status(&frontdesk::Ctx {
        desk: &shell.desk,
        token: None,
        now: frontdesk_desktop::now(),
    })
    .unwrap();
    assert!(!status.demo, "--demo never touches an existing clinic");
}
