//! Staff and roles management on a real clinic file: accounts with temporary passwords that must
//! be changed before anything else, deactivation that ends sessions at once, the last owner kept,
//! owners' accounts out of admins' reach, unlock and reset, doctor links, audit rows without
//! password material, and access profiles read from the one permission table.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use frontdesk::events::Event;
use frontdesk::roles::{allowed, Action, Role};
use frontdesk::schedule::DayRequest;
use frontdesk::session::SignInRequest;
use frontdesk::staff::{
    self, AccessProfileRequest, ChangePasswordRequest, CreateStaffRequest, ResetPasswordRequest, SetStaffActiveRequest,
    StaffMember, StaffRef, UpdateStaffRequest,
};
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

const TEMPORARY: &str = "temporary-pass-1";

fn api(e: frontdesk::Error) -> ApiError {
    ApiError::from(e)
}

fn code<T: std::fmt::Debug>(r: frontdesk::Result<T>) -> ErrorCode {
    api(r.expect_err("the call must be refused")).code
}

fn new_account(username: &str, role: Role) -> CreateStaffRequest {
    CreateStaffRequest {
        display_name: format!("{username} Example"),
        username: username.into(),
        email: None,
        role,
        temporary_password: TEMPORARY.into(),
        doctor_id: None,
    }
}

fn create(desk: &Desk, token: &SessionToken, req: CreateStaffRequest) -> StaffMember {
    let username = req.username.clone();
    staff::create_staff(&ctx(desk, Some(token), NOW), req).unwrap_or_else(|e| panic!("create {username}: {e}"))
}

/// The edit form as the window fills it from the directory row.
fn edit(m: &StaffMember) -> UpdateStaffRequest {
    UpdateStaffRequest {
        staff_id: m.staff_id,
        display_name: m.display_name.clone(),
        email: m.email.clone(),
        role: m.role,
        doctor_id: m.doctor_id,
    }
}

fn try_sign_in(
    desk: &Desk,
    user: &str,
    pass: &str,
    now: i64,
) -> frontdesk::Result<(SessionToken, frontdesk::session::SessionInfo)> {
    frontdesk::session::sign_in(&ctx(desk, None, now), SignInRequest { username: user.into(), password: pass.into() })
}

fn staff_id(desk: &Desk, username: &str) -> i64 {
    desk.db().query_row("SELECT id FROM staff WHERE username = ?1", [username], |r| r.get(0)).unwrap()
}

fn owner_id(desk: &Desk) -> i64 {
    staff_id(desk, OWNER.0)
}

fn member(desk: &Desk, token: &SessionToken, id: i64) -> StaffMember {
    staff::list_staff(&ctx(desk, Some(token), NOW)).unwrap().staff.into_iter().find(|m| m.staff_id == id).unwrap()
}

fn set_active(desk: &Desk, token: &SessionToken, id: i64, active: bool) -> frontdesk::Result<StaffMember> {
    staff::set_staff_active(&ctx(desk, Some(token), NOW), SetStaffActiveRequest { staff_id: id, active })
}

fn audit_rows(desk: &Desk, entity_id: i64) -> Vec<(String, String)> {
    let db = desk.db();
    let mut stmt = db
        .prepare("SELECT action, summary FROM audit_event WHERE entity = 'staff' AND entity_id = ?1 ORDER BY seq")
        .unwrap();
    stmt.query_map([entity_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_new_account_does_nothing_but_change_its_temporary_password_first() {
    let (_dir, desk, owner) = owner_desk();
    let rita = create(&desk, &owner, new_account("rita", Role::Receptionist));
    assert!(rita.must_change_password && rita.active && !rita.locked);

    let (token, info) = try_sign_in(&desk, "rita", TEMPORARY, NOW).expect("the temporary password signs in");
    assert!(info.must_change_password, "the window must know to ask for a new password");
    let c = ctx(&desk, Some(&token), NOW + 1);
    // Everything else is refused, whatever the role would allow, and whichever door it uses.
    assert_eq!(code(frontdesk::schedule::day(&c, DayRequest::default())), ErrorCode::PasswordChangeRequired);
    assert_eq!(code(frontdesk::alerts::preferences(&c)), ErrorCode::PasswordChangeRequired);
    assert_eq!(code(frontdesk::work::work_waiting(&c)), ErrorCode::PasswordChangeRequired);
    assert_eq!(
        code(staff::access_profile(&c, AccessProfileRequest { role: Role::Receptionist })),
        ErrorCode::PasswordChangeRequired
    );
    assert_eq!(
        code(staff::list_staff(&c)),
        ErrorCode::PasswordChangeRequired,
        "the temporary password is asked about before the role"
    );
    let refused = api(frontdesk::schedule::day(&c, DayRequest::default()).unwrap_err());
    assert!(refused.message.contains("temporary password"), "the refusal says why: {}", refused.message);
    // The session itself still answers, and typing keeps the desk from locking meanwhile.
    assert!(frontdesk::session::current(&c).unwrap().must_change_password);
    frontdesk::session::touch(&c).expect("activity is recorded while the new password is typed");

    let change = |current: &str, new: &str| {
        staff::change_password(&c, ChangePasswordRequest { current_password: current.into(), new_password: new.into() })
    };
    let wrong = api(change("not-the-temporary", "rita-own-password").unwrap_err());
    assert_eq!((wrong.code, wrong.field.as_deref()), (ErrorCode::InvalidInput, Some("current_password")));
    let same = api(change(TEMPORARY, TEMPORARY).unwrap_err());
    assert_eq!((same.code, same.field.as_deref()), (ErrorCode::InvalidInput, Some("new_password")));
    assert!(same.message.contains("differs"), "{}", same.message);
    let short = api(change(TEMPORARY, "short").unwrap_err());
    assert_eq!((short.code, short.field.as_deref()), (ErrorCode::InvalidInput, Some("new_password")));

    let info = change(TEMPORARY, "rita-own-password").expect("change the temporary password");
    assert!(!info.must_change_password, "the answer is the session as it is now");
    assert!(frontdesk::schedule::day(&c, DayRequest::default()).is_ok(), "the same session now works");
    assert!(!member(&desk, &owner, rita.staff_id).must_change_password);

    assert_eq!(code(try_sign_in(&desk, "rita", TEMPORARY, NOW + 2)), ErrorCode::BadCredentials);
    let (_, info) = try_sign_in(&desk, "rita", "rita-own-password", NOW + 3).expect("the new password signs in");
    assert!(!info.must_change_password);
}

#[test]
fn wrong_current_passwords_count_towards_the_lockout_and_end_the_session() {
    let (_dir, desk, _owner) = owner_desk();
    let token = add_staff(&desk, "rita", "receptionist");
    let c = ctx(&desk, Some(&token), NOW + 1);
    for attempt in 1..=5 {
        let e = api(staff::change_password(
            &c,
            ChangePasswordRequest {
                current_password: format!("guess-number-{attempt}"),
                new_password: "whatever-new-1".into(),
            },
        )
        .unwrap_err());
        assert_eq!(e.field.as_deref(), Some("current_password"));
    }
    assert_eq!(
        code(frontdesk::schedule::day(&c, DayRequest::default())),
        ErrorCode::NotSignedIn,
        "guessing the password at an unattended desk must end in a lockout, as at sign-in"
    );
    assert_eq!(code(try_sign_in(&desk, "rita", "staff-pass-123", NOW + 2)), ErrorCode::BadCredentials);
}

#[test]
fn deactivating_a_signed_in_receptionist_ends_their_sessions_at_once() {
    let (dir, desk, owner) = owner_desk();
    let rita = add_staff(&desk, "rita", "receptionist");
    let id = staff_id(&desk, "rita");
    // The same person signed in at another desk on the same clinic file (another process).
    let other_desk = Desk::open(dir.path()).unwrap();
    let elsewhere = sign_in(&other_desk, "rita", "staff-pass-123", NOW);
    assert!(frontdesk::schedule::day(&ctx(&desk, Some(&rita), NOW), DayRequest::default()).is_ok());

    let m = set_active(&desk, &owner, id, false).expect("deactivate");
    assert!(!m.active);
    assert_eq!(
        code(frontdesk::schedule::day(&ctx(&desk, Some(&rita), NOW + 1), DayRequest::default())),
        ErrorCode::NotSignedIn,
        "a deactivated person's open session must stop at once"
    );
    assert_eq!(
        code(frontdesk::schedule::day(&ctx(&other_desk, Some(&elsewhere), NOW + 1), DayRequest::default())),
        ErrorCode::NotSignedIn,
        "and at every other desk, at its next call"
    );
    let (action, summary) = audit_rows(&desk, id).pop().unwrap();
    assert_eq!(action, "staff.deactivated");
    assert_eq!(summary, "username rita: active true → false; 1 session(s) on this desk ended");
    assert_eq!(code(try_sign_in(&desk, "rita", "staff-pass-123", NOW + 2)), ErrorCode::BadCredentials);

    set_active(&desk, &owner, id, true).expect("reactivate");
    assert_eq!(audit_rows(&desk, id).pop().unwrap().0, "staff.reactivated");
    assert!(try_sign_in(&desk, "rita", "staff-pass-123", NOW + 3).is_ok(), "a reactivated account signs in again");
}

#[test]
fn nobody_deactivates_themselves() {
    let (_dir, desk, _owner) = owner_desk();
    let admin = add_staff(&desk, "adam", "admin");
    let e = api(set_active(&desk, &admin, staff_id(&desk, "adam"), false).unwrap_err());
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("your own account"), "{}", e.message);
}

#[test]
fn the_last_active_owner_is_never_demoted_or_deactivated() {
    let (_dir, desk, owner) = owner_desk();
    let me = member(&desk, &owner, owner_id(&desk));
    let demote = UpdateStaffRequest { role: Role::Admin, ..edit(&me) };
    for refused in [
        staff::update_staff(&ctx(&desk, Some(&owner), NOW), demote.clone()).map(|_| ()),
        set_active(&desk, &owner, me.staff_id, false).map(|_| ()),
    ] {
        let e = api(refused.unwrap_err());
        assert_eq!(e.code, ErrorCode::Conflict, "a clinic without an active owner cannot be run: {}", e.message);
        assert!(e.message.contains("Make someone else owner first"), "the refusal says what to do: {}", e.message);
    }
    assert_eq!(member(&desk, &owner, me.staff_id).role, Role::Owner);

    // A deactivated second owner does not count.
    let olga = create(&desk, &owner, new_account("olga", Role::Owner));
    set_active(&desk, &owner, olga.staff_id, false).expect("deactivate the second owner");
    assert_eq!(code(staff::update_staff(&ctx(&desk, Some(&owner), NOW), demote.clone())), ErrorCode::Conflict);

    // With a second active owner, either can step down.
    set_active(&desk, &owner, olga.staff_id, true).expect("reactivate the second owner");
    let m = staff::update_staff(&ctx(&desk, Some(&owner), NOW), demote).expect("demote while another owner exists");
    assert_eq!(m.role, Role::Admin);
    assert_eq!(
        audit_rows(&desk, me.staff_id).pop().unwrap(),
        ("staff.role_changed".to_owned(), "username owner: role owner → admin".to_owned())
    );
    // Demoted, the former owner's very next call runs as an admin: no owner's account is theirs to change.
    assert_eq!(code(set_active(&desk, &owner, olga.staff_id, false)), ErrorCode::Forbidden);
}

#[test]
fn an_owner_deactivates_another_owner_when_one_stays() {
    let (_dir, desk, owner) = owner_desk();
    let olga = create(&desk, &owner, new_account("olga", Role::Owner));
    assert!(!set_active(&desk, &owner, olga.staff_id, false).unwrap().active);
}

#[test]
fn an_admin_cannot_touch_an_owner_or_make_one() {
    let (_dir, desk, _owner) = owner_desk();
    let admin = add_staff(&desk, "adam", "admin");
    let c = ctx(&desk, Some(&admin), NOW);
    let owner = member(&desk, &admin, owner_id(&desk));
    let rita = create(&desk, &admin, new_account("rita", Role::Receptionist));
    let before = audit_count(&desk);
    let refusals = [
        (
            "rename an owner",
            staff::update_staff(&c, UpdateStaffRequest { display_name: "Renamed".into(), ..edit(&owner) }).map(|_| ()),
        ),
        (
            "demote an owner",
            staff::update_staff(&c, UpdateStaffRequest { role: Role::Receptionist, ..edit(&owner) }).map(|_| ()),
        ),
        ("deactivate an owner", set_active(&desk, &admin, owner.staff_id, false).map(|_| ())),
        ("unlock an owner", staff::unlock_staff(&c, StaffRef { staff_id: owner.staff_id }).map(|_| ())),
        (
            "reset an owner's password",
            staff::reset_password(
                &c,
                ResetPasswordRequest { staff_id: owner.staff_id, temporary_password: TEMPORARY.into() },
            )
            .map(|_| ()),
        ),
        ("create an owner", staff::create_staff(&c, new_account("olga", Role::Owner)).map(|_| ())),
        (
            "promote to owner",
            staff::update_staff(&c, UpdateStaffRequest { role: Role::Owner, ..edit(&rita) }).map(|_| ()),
        ),
    ];
    for (what, result) in refusals {
        assert_eq!(code(result), ErrorCode::Forbidden, "an admin must not {what}");
    }
    assert_eq!(audit_count(&desk), before, "a refused change writes nothing");
    assert_eq!(member(&desk, &admin, owner.staff_id), owner, "the owner's account is as it was");
    // What an admin may do.
    let m = staff::update_staff(&c, UpdateStaffRequest { role: Role::Admin, ..edit(&rita) }).expect("promote to admin");
    assert_eq!(m.role, Role::Admin);
}

#[test]
fn a_role_change_applies_at_the_next_call() {
    let (_dir, desk, owner) = owner_desk();
    let rita = add_staff(&desk, "rita", "receptionist");
    let c = ctx(&desk, Some(&rita), NOW);
    assert_eq!(code(staff::list_staff(&c)), ErrorCode::Forbidden);
    let m = member(&desk, &owner, staff_id(&desk, "rita"));
    staff::update_staff(&ctx(&desk, Some(&owner), NOW), UpdateStaffRequest { role: Role::Admin, ..edit(&m) }).unwrap();
    assert!(staff::list_staff(&c).is_ok(), "no new sign-in needed: the role is read on every call");
}

#[test]
fn a_receptionist_is_refused_every_staff_command() {
    let (_dir, desk, _owner) = owner_desk();
    let token = add_staff(&desk, "rita", "receptionist");
    let c = ctx(&desk, Some(&token), NOW);
    let rita = staff_id(&desk, "rita");
    let target = UpdateStaffRequest {
        staff_id: rita,
        display_name: "Rita".into(),
        email: None,
        role: Role::Admin,
        doctor_id: None,
    };
    let before = audit_count(&desk);
    let refusals = [
        ("staff_directory", staff::list_staff(&c).map(|_| ())),
        ("create_staff", staff::create_staff(&c, new_account("sam", Role::Receptionist)).map(|_| ())),
        ("update_staff", staff::update_staff(&c, target).map(|_| ())),
        ("set_staff_active", set_active(&desk, &token, owner_id(&desk), false).map(|_| ())),
        ("unlock_staff", staff::unlock_staff(&c, StaffRef { staff_id: rita }).map(|_| ())),
        (
            "reset_staff_password",
            staff::reset_password(
                &c,
                ResetPasswordRequest { staff_id: owner_id(&desk), temporary_password: TEMPORARY.into() },
            )
            .map(|_| ()),
        ),
        (
            "access_profile of another role",
            staff::access_profile(&c, AccessProfileRequest { role: Role::Admin }).map(|_| ()),
        ),
    ];
    for (command, result) in refusals {
        assert_eq!(code(result), ErrorCode::Forbidden, "{command}: the core refuses whatever the window shows");
    }
    assert_eq!(audit_count(&desk), before, "a refused change writes nothing");
    let own = staff::access_profile(&c, AccessProfileRequest { role: Role::Receptionist }).expect("one's own role");
    assert_eq!(own.role, Role::Receptionist);
}

#[test]
fn account_details_are_checked_with_clear_messages() {
    let (_dir, desk, owner) = owner_desk();
    create(&desk, &owner, new_account("rita", Role::Receptionist));
    let c = ctx(&desk, Some(&owner), NOW);
    let cases: &[(&str, CreateStaffRequest, &str, &str)] = &[
        ("the same username", new_account("rita", Role::Admin), "username", "already taken"),
        ("the same username, other case and spaces", new_account(" RITA ", Role::Admin), "username", "already taken"),
        ("a username with spaces inside", new_account("ri ta", Role::Admin), "username", "letters, digits"),
        ("a short username", new_account("ri", Role::Admin), "username", "3 to 40"),
        (
            "no name",
            CreateStaffRequest { display_name: "   ".into(), ..new_account("sam", Role::Admin) },
            "display_name",
            "Enter the person's name",
        ),
        (
            "a bad email",
            CreateStaffRequest { email: Some("sam at clinic".into()), ..new_account("sam", Role::Admin) },
            "email",
            "name@example.com",
        ),
        (
            "a short temporary password",
            CreateStaffRequest { temporary_password: "short".into(), ..new_account("sam", Role::Admin) },
            "temporary_password",
            "at least 10 characters",
        ),
    ];
    for (what, req, field, words) in cases {
        let e = api(staff::create_staff(&c, req.clone()).expect_err(what));
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some(*field)), "{what}");
        assert!(e.message.contains(words), "{what}: the message says what to fix: {}", e.message);
    }
    let sam = create(
        &desk,
        &owner,
        CreateStaffRequest { email: Some(" sam@clinic.example ".into()), ..new_account("Sam.K", Role::Admin) },
    );
    assert_eq!((sam.username.as_str(), sam.email.as_deref()), ("sam.k", Some("sam@clinic.example")));
}

#[test]
fn unlocking_and_resetting_a_password() {
    let (_dir, desk, owner) = owner_desk();
    let rita_token = add_staff(&desk, "rita", "receptionist");
    let rita = staff_id(&desk, "rita");
    for i in 0..5 {
        let _ = try_sign_in(&desk, "rita", "wrong-password", NOW + i);
    }
    assert!(member(&desk, &owner, rita).locked, "the directory shows the lockout");
    assert_eq!(code(try_sign_in(&desk, "rita", "staff-pass-123", NOW + 10)), ErrorCode::BadCredentials);
    let m = staff::unlock_staff(&ctx(&desk, Some(&owner), NOW + 20), StaffRef { staff_id: rita }).expect("unlock");
    assert!(!m.locked);
    assert_eq!(audit_rows(&desk, rita).pop().unwrap().0, "staff.unlocked");
    let rita_token2 = try_sign_in(&desk, "rita", "staff-pass-123", NOW + 30).expect("unlocked: signs in at once").0;
    let _ = rita_token;

    // Locked again, then reset: the reset also unlocks, and ends the open session.
    for i in 0..4 {
        let _ = try_sign_in(&desk, "rita", "wrong-password", NOW + 40 + i);
    }
    let reset = staff::reset_password(
        &ctx(&desk, Some(&owner), NOW + 50),
        ResetPasswordRequest { staff_id: rita, temporary_password: "fresh-temporary-2".into() },
    )
    .expect("reset");
    assert!(reset.must_change_password && !reset.locked);
    assert_eq!(
        code(frontdesk::schedule::day(&ctx(&desk, Some(&rita_token2), NOW + 51), DayRequest::default())),
        ErrorCode::NotSignedIn,
        "a reset ends the person's sessions"
    );
    assert_eq!(code(try_sign_in(&desk, "rita", "staff-pass-123", NOW + 52)), ErrorCode::BadCredentials);
    let (_, info) = try_sign_in(&desk, "rita", "fresh-temporary-2", NOW + 53).expect("the temporary password");
    assert!(info.must_change_password);
    let failed: i64 =
        desk.db().query_row("SELECT failed_attempts FROM staff WHERE id = ?1", [rita], |r| r.get(0)).unwrap();
    assert_eq!(failed, 0, "the four wrong passwords before the reset no longer count");

    // One's own password is changed, not reset.
    let e = api(staff::reset_password(
        &ctx(&desk, Some(&owner), NOW + 60),
        ResetPasswordRequest { staff_id: owner_id(&desk), temporary_password: "fresh-temporary-3".into() },
    )
    .unwrap_err());
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("Change password"), "{}", e.message);
}

#[test]
fn doctor_accounts_link_to_one_doctor_on_the_schedule() {
    let (_dir, desk, owner) = owner_desk();
    let c = ctx(&desk, Some(&owner), NOW);
    let linked_to = |doctor_id: i64| -> Option<i64> {
        desk.db().query_row("SELECT staff_id FROM doctor WHERE id = ?1", [doctor_id], |r| r.get(0)).unwrap()
    };
    let anita = create(&desk, &owner, CreateStaffRequest { doctor_id: Some(1), ..new_account("anita", Role::Doctor) });
    assert_eq!((anita.doctor_id, anita.doctor_name.as_deref()), (Some(1), Some("Dr. Anita Chen")));
    assert_eq!(linked_to(1), Some(anita.staff_id));

    let refusals: &[(&str, CreateStaffRequest, &str)] = &[
        (
            "a doctor linked to someone else",
            CreateStaffRequest { doctor_id: Some(1), ..new_account("imposter", Role::Doctor) },
            "already linked",
        ),
        (
            "a doctor not on the schedule",
            CreateStaffRequest { doctor_id: Some(99), ..new_account("ghost", Role::Doctor) },
            "no doctor 99",
        ),
        (
            "a receptionist linked to a doctor",
            CreateStaffRequest { doctor_id: Some(1), ..new_account("rita", Role::Receptionist) },
            "Only a doctor account",
        ),
    ];
    for (what, req, words) in refusals {
        let e = api(staff::create_staff(&c, req.clone()).expect_err(what));
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("doctor_id")), "{what}");
        assert!(e.message.contains(words), "{what}: {}", e.message);
    }

    // Saving the form unchanged keeps the link; a role change away from doctor must drop it.
    let same = staff::update_staff(&c, edit(&anita)).expect("save unchanged");
    assert_eq!(same, anita);
    let e = api(staff::update_staff(&c, UpdateStaffRequest { role: Role::Receptionist, ..edit(&anita) }).unwrap_err());
    assert_eq!(e.field.as_deref(), Some("doctor_id"));
    let m = staff::update_staff(&c, UpdateStaffRequest { role: Role::Receptionist, doctor_id: None, ..edit(&anita) })
        .expect("unlink and change role");
    assert_eq!((m.role, m.doctor_id), (Role::Receptionist, None));
    assert_eq!(linked_to(1), None);
    assert_eq!(
        audit_rows(&desk, anita.staff_id).pop().unwrap().1,
        "username anita: changed doctor_id 1 → none",
        "the link change is audited by ids"
    );
    // Unlinked, the doctor is free for another account.
    let other = create(&desk, &owner, CreateStaffRequest { doctor_id: Some(1), ..new_account("anita2", Role::Doctor) });
    assert_eq!(linked_to(1), Some(other.staff_id));
}

#[test]
fn audit_rows_hold_ids_roles_and_field_names_never_passwords() {
    let (_dir, desk, owner) = owner_desk();
    let c = ctx(&desk, Some(&owner), NOW);
    let rita = create(
        &desk,
        &owner,
        CreateStaffRequest {
            display_name: "Rita Receptionist".into(),
            email: Some("rita@clinic.example".into()),
            ..new_account("rita", Role::Receptionist)
        },
    );
    staff::update_staff(
        &c,
        UpdateStaffRequest {
            display_name: "Rita R. Receptionist".into(),
            email: Some("rr@clinic.example".into()),
            role: Role::Admin,
            ..edit(&rita)
        },
    )
    .unwrap();
    staff::reset_password(
        &c,
        ResetPasswordRequest { staff_id: rita.staff_id, temporary_password: "second-temporary".into() },
    )
    .unwrap();
    let token = try_sign_in(&desk, "rita", "second-temporary", NOW).unwrap().0;
    staff::change_password(
        &ctx(&desk, Some(&token), NOW),
        ChangePasswordRequest {
            current_password: "second-temporary".into(),
            new_password: "rita-chosen-password".into(),
        },
    )
    .unwrap();

    let rows = audit_rows(&desk, rita.staff_id);
    let expected = [
        ("staff.created", "username rita, role receptionist, doctor_id none; temporary password, to change at the first sign-in"),
        ("staff.role_changed", "username rita: role receptionist → admin"),
        ("staff.updated", "username rita: changed display_name, email"),
        (
            "staff.password_reset",
            "username rita: temporary password set, to change at the next sign-in; unlocked; 0 session(s) on this desk ended",
        ),
        ("session.sign_in", "signed in"),
        ("staff.password_changed", "own password chosen, replacing a temporary one"),
    ];
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, s)| (a.as_str(), s.as_str())).collect();
    assert_eq!(rows, expected);

    let everything: Vec<String> = desk
        .db()
        .prepare("SELECT summary FROM audit_event")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for secret in [TEMPORARY, "second-temporary", "rita-chosen-password", "$argon2", "Rita", "clinic.example"] {
        assert!(
            everything.iter().all(|s| !s.contains(secret)),
            "no audit summary may hold a password, a hash, a name or an email ({secret})"
        );
    }
}

#[test]
fn the_directory_lists_everyone_and_counts_every_role() {
    let (_dir, desk, owner) = owner_desk();
    let rita = create(&desk, &owner, new_account("rita", Role::Receptionist));
    create(&desk, &owner, new_account("ravi", Role::Receptionist));
    set_active(&desk, &owner, rita.staff_id, false).unwrap();
    let dir = staff::list_staff(&ctx(&desk, Some(&owner), NOW)).unwrap();
    assert_eq!(dir.staff.len(), 3);
    assert_eq!(dir.staff.last().map(|m| m.username.as_str()), Some("rita"), "deactivated accounts come last");
    assert_eq!(dir.counts.iter().map(|c| c.role).collect::<Vec<_>>(), Role::ALL, "every role, zeros included");
    let count = |role: Role| dir.counts.iter().find(|c| c.role == role).map(|c| (c.active, c.total)).unwrap();
    assert_eq!(count(Role::Owner), (1, 1));
    assert_eq!(count(Role::Receptionist), (1, 2), "a deactivated account counts in the total only");
    assert_eq!(count(Role::Support), (0, 0));
}

#[test]
fn changes_publish_staff_changed_after_commit() {
    let (_dir, desk, owner) = owner_desk();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    desk.events.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    let rita = create(&desk, &owner, new_account("rita", Role::Receptionist));
    let _ = staff::create_staff(&ctx(&desk, Some(&owner), NOW), new_account("rita", Role::Receptionist));
    assert_eq!(
        *seen.lock().unwrap(),
        [Event::StaffChanged { staff_id: rita.staff_id }],
        "a refused change publishes nothing"
    );
}

#[test]
fn an_access_profile_is_the_permission_table() {
    let (_dir, desk, owner) = owner_desk();
    let c = ctx(&desk, Some(&owner), NOW);
    for role in Role::ALL {
        let profile = staff::access_profile(&c, AccessProfileRequest { role }).unwrap();
        assert_eq!(profile.role, role);
        assert!(profile.description.ends_with('.') && profile.description.len() > 20, "{role:?}: one sentence");
        assert_eq!(profile.actions.iter().map(|a| a.action).collect::<Vec<_>>(), Action::ALL);
        for a in &profile.actions {
            assert_eq!(a.allowed, allowed(role, a.action), "{role:?} × {:?}: the profile must be the table", a.action);
            assert!(a.description.ends_with('.'), "{:?}", a.action);
        }
    }
}
