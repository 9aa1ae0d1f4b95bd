//! The one search box: names in part, in any order and with a typo; phone numbers however they
//! are typed; MRNs and health cards; appointment numbers; merged records never shown.

mod common;

use common::*;
use frontdesk::search::{SearchRequest, SearchResults};
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};
use tempfile::TempDir;

/// A small clinic (region CA, Toronto) whose patients were written straight into the tables, as
/// any writer may; the search must not depend on who registered them.
///
/// 1 Priya Sharma (+91 98450 12345, MRN0000101, health card 1234567890AB), 2 Rohan Sharma (her son,
/// same phone), 3 Liam Tremblay (+1 604 555 1234), 4 Émilie Côté, 5 Rohan Mehta, 6 Rohan Mehra,
/// 7 Priyanka Shah, 8 "Priya Sharmah" merged into 1 (MRN0000108). Appointment 1234: Priya with
/// Dr. Anita Chen on Tuesday 24 November 09:30.
fn search_desk() -> (TempDir, Desk, SessionToken) {
    let (dir, desk) = set_up_desk();
    desk.db()
        .execute_batch(&format!(
            "INSERT INTO branch (id, name) VALUES (1, 'Main');
             INSERT INTO doctor (id, display_name, department) VALUES (1, 'Dr. Anita Chen', 'Family Medicine');
             INSERT INTO service (id, code, name, duration_minutes) VALUES (1, 'CONS', 'Consultation', 15);
             INSERT INTO patient (id, given_name, family_name, date_of_birth, sex, mrn, health_card, created_at, updated_at) VALUES
               (1, 'Priya', 'Sharma', '1988-04-02', 'female', 'MRN0000101', '1234567890AB', 0, 0),
               (2, 'Rohan', 'Sharma', '2015-01-20', 'male', 'MRN0000102', NULL, 0, 0),
               (3, 'Liam', 'Tremblay', '1975-10-11', 'male', 'MRN0000103', NULL, 0, 0),
               (4, 'Émilie', 'Côté', '1990-06-30', 'female', 'MRN0000104', NULL, 0, 0),
               (5, 'Rohan', 'Mehta', '1979-02-14', 'male', NULL, NULL, 0, 0),
               (6, 'Rohan', 'Mehra', '1981-07-09', 'male', NULL, NULL, 0, 0),
               (7, 'Priyanka', 'Shah', '1993-12-01', 'female', NULL, NULL, 0, 0);
             INSERT INTO patient (id, given_name, family_name, date_of_birth, sex, mrn, merged_into, created_at, updated_at)
               VALUES (8, 'Priya', 'Sharmah', '1988-04-02', 'female', 'MRN0000108', 1, 0, 0);
             INSERT INTO patient_phone (patient_id, e164, is_primary, relationship) VALUES
               (1, '+919845012345', 1, 'self'), (2, '+919845012345', 1, 'child'), (3, '+16045551234', 1, 'self'),
               (4, '+14165550199', 1, 'self'), (5, '+14165550123', 1, 'self'), (6, '+14165550456', 1, 'self'),
               (7, '+14165550789', 1, 'self');
             INSERT INTO appointment (id, patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source, created_at, updated_at)
               VALUES (1234, 1, 1, 1, 1, {start}, {end}, 'booked', 'phone', 0, 0);",
            start = toronto("2026-11-24", "09:30"),
            end = toronto("2026-11-24", "09:45"),
        ))
        .expect("search fixture");
    let token = sign_in(&desk, OWNER.0, OWNER.1, NOW);
    (dir, desk, token)
}

fn search(desk: &Desk, token: &SessionToken, query: &str) -> SearchResults {
    frontdesk::search::search(&ctx(desk, Some(token), NOW), SearchRequest { query: query.into(), limit: None })
        .unwrap_or_else(|e| panic!("search {query:?}: {e}"))
}

fn ids(r: &SearchResults) -> Vec<i64> {
    r.patients.iter().map(|p| p.id).collect()
}

#[test]
fn names_match_in_part_in_any_order_and_with_one_typo() {
    let (_dir, desk, token) = search_desk();
    // (typed, the patients expected in this order, what the first one matched on)
    let cases: &[(&str, &[i64], &str)] = &[
        ("Priya Sharma", &[1], "name"),
        ("pri sha", &[7, 1], "name"),
        ("sha pri", &[7, 1], "name"),
        ("sharma", &[1, 2], "name"),
        ("SHARMA rohan", &[2], "name"),
        ("Sharmaa", &[1, 2], "name (close match)"),
        ("Priyaa", &[1], "name (close match)"),
        ("Priya Sharmaa", &[1], "name (close match)"),
        ("Shamra", &[1, 2], "name (close match)"),
        ("cote", &[4], "name"),
        ("Côté Émilie", &[4], "name"),
        ("emiliee", &[4], "name (close match)"),
    ];
    for (query, expected, matched) in cases {
        let r = search(&desk, &token, query);
        assert_eq!(&ids(&r), expected, "{query:?} must find exactly these patients, best first: {:?}", r.patients);
        assert_eq!(r.patients[0].matched, *matched, "{query:?} must say why it matched");
    }
}

#[test]
fn phone_numbers_match_however_they_are_typed() {
    let (_dir, desk, token) = search_desk();
    // The clinic's region is CA; an Indian number typed the Indian way must still be found.
    let cases: &[(&str, &[i64])] = &[
        ("+91 98450 12345", &[1, 2]),
        ("098450-12345", &[1, 2]),
        ("9845012345", &[1, 2]),
        ("0091 98450 12345", &[1, 2]),
        ("(604) 555-1234", &[3]),
        ("604.555.1234", &[3]),
        ("1-604-555-1234", &[3]),
        ("555-1234", &[3]),
        ("(905) 555-1234", &[]),
    ];
    for (query, expected) in cases {
        let r = search(&desk, &token, query);
        assert_eq!(&ids(&r), expected, "phone search {query:?}");
        assert!(r.patients.iter().all(|p| p.matched == "phone"), "{query:?} matched on the phone: {:?}", r.patients);
    }
    let r = search(&desk, &token, "098450-12345");
    assert_eq!(r.patients[0].phone.as_deref(), Some("+91 98450 12345"), "a foreign number is shown internationally");
    let r = search(&desk, &token, "6045551234");
    assert_eq!(r.patients[0].phone.as_deref(), Some("(604) 555-1234"), "a local number is shown the local way");
}

#[test]
fn identifiers_and_appointment_numbers_are_found() {
    let (_dir, desk, token) = search_desk();
    let cases: &[(&str, &[i64], &str)] = &[
        ("MRN0000101", &[1], "MRN"),
        ("mrn0000101", &[1], "MRN"),
        // By prefix, in name order: Côté, Sharma, Sharma, Tremblay.
        ("MRN000010", &[4, 1, 2, 3], "MRN"),
        ("1234567890ab", &[1], "health card"),
        ("1234-567-890-AB", &[1], "health card"),
        ("1234567890", &[1], "health card"),
        // The merged record's MRN leads to the record it was merged into.
        ("MRN0000108", &[1], "MRN"),
        // The MRN's number, as people read it out: no prefix, no leading zeros.
        ("101", &[1], "MRN"),
        ("0000103", &[3], "MRN"),
        ("mrn 104", &[4], "MRN"),
        ("108", &[1], "MRN"),
    ];
    for (query, expected, matched) in cases {
        let r = search(&desk, &token, query);
        assert_eq!(&ids(&r), expected, "identifier search {query:?}");
        assert_eq!(r.patients[0].matched, *matched, "{query:?}");
    }

    for query in ["#1234", "A1234", "a1234", "1234"] {
        let r = search(&desk, &token, query);
        assert_eq!(r.appointments.len(), 1, "{query:?} is appointment 1234");
        let a = &r.appointments[0];
        assert_eq!(
            (a.id, a.patient_name.as_str(), a.date.as_str(), a.start_local.as_str(), a.doctor_name.as_str()),
            (1234, "Priya Sharma", "2026-11-24", "09:30", "Dr. Anita Chen"),
            "the appointment is shown in the clinic's zone"
        );
    }
    assert!(search(&desk, &token, "#99").appointments.is_empty(), "an unknown number finds nothing");
}

#[test]
fn a_hit_carries_what_the_desk_needs_to_pick_the_right_person() {
    let (_dir, desk, token) = search_desk();
    let r = search(&desk, &token, "priya sharma");
    let p = &r.patients[0];
    assert_eq!((p.id, p.name.as_str(), p.age, p.sex.as_str()), (1, "Priya Sharma", Some(38), "female"));
    assert_eq!(p.mrn.as_deref(), Some("MRN0000101"));
    assert_eq!(p.phone.as_deref(), Some("+91 98450 12345"));
    assert_eq!(
        p.next_appointment.as_deref(),
        Some("Tue Nov 24, 2026 09:30 · Dr. Anita Chen"),
        "the next visit tells the desk whether the caller is already booked"
    );
    assert_eq!(r.query, "priya sharma", "the answer names its query so a search-as-you-type box can drop stale ones");
}

#[test]
fn names_in_devanagari_are_found_by_word_and_prefix() {
    let (_dir, desk, token) = search_desk();
    desk.db()
        .execute(
            "INSERT INTO patient (given_name, family_name, created_at, updated_at) VALUES ('प्रिया', 'शर्मा', 0, 0)",
            [],
        )
        .unwrap();
    for query in ["प्रिया", "शर्मा प्रिया", "शर्"] {
        let r = search(&desk, &token, query);
        assert_eq!(ids(&r), vec![9], "{query:?}: a name typed in its own script is found like any other");
    }
}

#[test]
fn merged_records_never_appear() {
    let (_dir, desk, token) = search_desk();
    for query in ["sharmah", "Priya Sharmah", "priya"] {
        let r = search(&desk, &token, query);
        assert!(!ids(&r).contains(&8), "{query:?}: a merged record must never be offered: {:?}", r.patients);
    }
    // Merging an existing record takes it out of the name index at once.
    desk.db().execute("UPDATE patient SET merged_into = 5 WHERE id = 6", []).unwrap();
    let r = search(&desk, &token, "mehra");
    assert!(!ids(&r).contains(&6), "a record merged after indexing disappears from search: {:?}", r.patients);
}

#[test]
fn exact_matches_come_before_prefixes_and_close_matches_then_by_name() {
    let (_dir, desk, token) = search_desk();
    let r = search(&desk, &token, "mehta");
    assert_eq!(ids(&r), vec![5, 6], "Mehta exactly before Mehra (one letter off)");
    assert_eq!((r.patients[0].matched.as_str(), r.patients[1].matched.as_str()), ("name", "name (close match)"));

    let r = search(&desk, &token, "rohan");
    assert_eq!(ids(&r), vec![6, 5, 2], "equally good matches are in name order: Mehra, Mehta, Sharma");

    let r = search(&desk, &token, "priya");
    assert_eq!(ids(&r), vec![1, 7], "the whole word Priya before the prefix of Priyanka");

    let limited = frontdesk::search::search(
        &ctx(&desk, Some(&token), NOW),
        SearchRequest { query: "rohan".into(), limit: Some(2) },
    )
    .unwrap();
    assert_eq!(ids(&limited), vec![6, 5]);
    assert!(limited.more_patients, "the desk is told there is more, so they type more");
    assert!(!r.more_patients);
}

#[test]
fn typo_tolerance_covers_names_indexed_by_a_registration_too() {
    let (_dir, desk, token) = search_desk();
    // Registering someone folds every queued name into the typo index.
    frontdesk::patients::create_patient(
        &ctx(&desk, Some(&token), NOW),
        patient_request("Gurpreet", "Dhillon", None, "416 555 0333"),
    )
    .unwrap();
    let pending: i64 = desk.db().query_row("SELECT COUNT(*) FROM name_term_pending", [], |r| r.get(0)).unwrap();
    assert_eq!(pending, 0, "the registration indexed every queued name");
    for (query, expected) in [("Dhilon", 9), ("Sharmaa", 1), ("Tremblya", 3)] {
        let r = search(&desk, &token, query);
        assert_eq!(r.patients.first().map(|p| p.id), Some(expected), "{query:?} after indexing");
    }
}

#[test]
fn a_clinic_upgraded_from_before_search_finds_its_existing_patients() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(frontdesk::desk::DB_FILE);
    let old = frontdesk::store::open_with(&path, &frontdesk::store::MIGRATIONS[..2]).unwrap();
    old.execute_batch(
        "INSERT INTO clinic (id, name, timezone, phone_region, created_at) VALUES (1, 'Old Clinic', 'America/Toronto', 'CA', 0);
         INSERT INTO patient (id, given_name, family_name, created_at, updated_at) VALUES (1, 'Harpreet', 'Sandhu', 0, 0);
         INSERT INTO patient_phone (patient_id, e164, is_primary) VALUES (1, '+14165550142', 1);",
    )
    .unwrap();
    drop(old);
    let conn = frontdesk::store::open(&path).unwrap();
    let clinic = frontdesk::clinic::load(&conn).unwrap();
    for (query, matched) in [("sandhu", "name"), ("Harpret", "name (close match)"), ("416-555-0142", "phone")] {
        let r = frontdesk::search::search_in(&conn, &clinic, NOW, query, 20).unwrap();
        assert_eq!(
            r.patients.iter().map(|p| (p.id, p.matched.as_str())).collect::<Vec<_>>(),
            vec![(1, matched)],
            "{query:?}: patients registered before the upgrade are searchable at once"
        );
    }
}

#[test]
fn an_empty_query_is_not_an_error_and_roles_are_checked() {
    let (_dir, desk, token) = search_desk();
    for query in ["", "   "] {
        let r = search(&desk, &token, query);
        assert!(r.patients.is_empty() && r.appointments.is_empty(), "nothing typed, nothing shown");
    }
    let r = search(&desk, &token, "zzzz qqqq");
    assert!(r.patients.is_empty(), "no match is an empty list (the UI offers to create the patient)");

    let e = frontdesk::search::search(
        &ctx(&desk, Some(&token), NOW),
        SearchRequest { query: "x".repeat(201), limit: None },
    )
    .unwrap_err();
    assert_eq!(ApiError::from(e).field.as_deref(), Some("query"));

    let hash = frontdesk::session::hash_password("support-pass-123").unwrap();
    desk.db()
        .execute(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES ('support1', 'Sam Support', 'support', ?1, 0)",
            [hash],
        )
        .unwrap();
    let support = sign_in(&desk, "support1", "support-pass-123", NOW);
    let e = frontdesk::search::search(
        &ctx(&desk, Some(&support), NOW),
        SearchRequest { query: "priya".into(), limit: None },
    )
    .unwrap_err();
    assert_eq!(
        ApiError::from(e).code,
        ErrorCode::SupportSessionRequired,
        "support never sees patient names without an approved session"
    );
}

/// Inserts patients straight into the tables, as the fixture does: `(given, family, phone)`.
fn add_patients(desk: &Desk, patients: &[(String, String, Option<&str>)]) {
    let conn = desk.db();
    for (given, family, phone) in patients {
        conn.execute(
            "INSERT INTO patient (given_name, family_name, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
            [given, family],
        )
        .unwrap();
        if let Some(e164) = phone {
            conn.execute(
                "INSERT INTO patient_phone (patient_id, e164, is_primary) VALUES (?1, ?2, 1)",
                rusqlite::params![conn.last_insert_rowid(), e164],
            )
            .unwrap();
        }
    }
}

/// Family names that sort the other way round from the order they are registered in: "Fzz…",
/// "Fzy…", …, so a page in registration order is not already in name order.
fn families_backwards(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("Q{}{}", (b'z' - (i / 26) as u8) as char, (b'z' - (i % 26) as u8) as char)).collect()
}

fn search_limit(desk: &Desk, token: &SessionToken, query: &str, limit: u32) -> SearchResults {
    frontdesk::search::search(&ctx(desk, Some(token), NOW), SearchRequest { query: query.into(), limit: Some(limit) })
        .unwrap_or_else(|e| panic!("search {query:?}: {e}"))
}

fn in_name_order(r: &SearchResults) -> bool {
    let names: Vec<String> = r.patients.iter().map(|p| frontdesk::search::fold(&p.name)).collect();
    names.windows(2).all(|w| w[0] <= w[1])
}

#[test]
fn a_short_prefix_over_many_matches_gives_a_page_in_name_order_and_says_there_is_more() {
    let (_dir, desk, token) = search_desk();
    let farhans: Vec<(String, String, Option<&str>)> =
        families_backwards(60).into_iter().map(|f| ("Farhan".to_owned(), f, None)).collect();
    add_patients(&desk, &farhans);

    for query in ["F", "fa", "Far", "farh", "Farha"] {
        let r = search(&desk, &token, query);
        assert_eq!(r.patients.len(), 20, "{query:?}: one page of the 60 Farhans");
        assert!(r.more_patients, "{query:?}: the desk is told to type more");
        assert!(in_name_order(&r), "{query:?}: the page is in name order: {:?}", r.patients);
        assert!(r.patients.iter().all(|p| p.matched == "name" && p.name.starts_with("Farhan ")), "{query:?}");
    }
    // Asked for more than there are: all of them, in name order, and nothing more.
    let all = search_limit(&desk, &token, "fa", 100);
    assert_eq!(all.patients.len(), 60);
    assert!(!all.more_patients && in_name_order(&all));

    // Whole words fill the page before any prefix: 30 people whose family name is the word "Fa".
    let fas: Vec<(String, String, Option<&str>)> =
        families_backwards(30).into_iter().map(|g| (g, "Fa".to_owned(), None)).collect();
    add_patients(&desk, &fas);
    let r = search(&desk, &token, "fa");
    assert_eq!(r.patients.len(), 20);
    assert!(r.more_patients);
    assert!(r.patients.iter().all(|p| p.name.ends_with(" Fa")), "exact matches first: {:?}", r.patients);
    assert!(in_name_order(&r), "{:?}", r.patients);
    let r = search_limit(&desk, &token, "fa", 40);
    let names: Vec<&str> = r.patients.iter().map(|p| p.name.as_str()).collect();
    assert!(names[..30].iter().all(|n| n.ends_with(" Fa")), "the 30 whole-word matches, then prefixes: {names:?}");
    assert!(names[30..].iter().all(|n| n.starts_with("Farhan ")), "{names:?}");
}

#[test]
fn every_key_typed_gets_the_answer_for_its_own_text() {
    let (_dir, desk, token) = search_desk();
    let typed = "Priya Sharma";
    for (at, c) in typed.char_indices() {
        let query = &typed[..at + c.len_utf8()];
        let r = search(&desk, &token, query);
        assert_eq!(r.query, query, "the answer names the text it is for, trailing space and all");
        assert!(ids(&r).contains(&1), "{query:?} still finds Priya Sharma: {:?}", r.patients);
        assert!(!r.more_patients, "{query:?}");
    }
    // On the way: "Pri" and "Priya S" find Priyanka Shah too; Priya herself is first once her
    // whole given name is typed.
    assert_eq!(ids(&search(&desk, &token, "Pri")), vec![7, 1], "prefixes only, in name order: Shah, Sharma");
    assert_eq!(ids(&search(&desk, &token, "Priya S")), vec![7, 1]);
    assert_eq!(ids(&search(&desk, &token, "Priya Sharma")), vec![1]);
}

#[test]
fn a_placeholder_number_shared_by_hundreds_gives_one_page_and_says_there_is_more() {
    let (_dir, desk, token) = search_desk();
    let placeholder = Some("+14160000000");
    let walk_ins: Vec<(String, String, Option<&str>)> = families_backwards(frontdesk::search::MAX_PHONE_ROWS + 50)
        .into_iter()
        .map(|f| ("Walk".into(), f, placeholder))
        .collect();
    add_patients(&desk, &walk_ins);
    for query in ["416-000-0000", "(416) 000-0000", "4160000000"] {
        let r = search(&desk, &token, query);
        assert_eq!(r.patients.len(), 20, "{query:?}");
        assert!(r.more_patients, "{query:?}: more share the number than are looked at");
        assert!(r.patients.iter().all(|p| p.matched == "phone"), "{query:?}");
        assert!(in_name_order(&r), "{query:?}: {:?}", r.patients);
    }
    // A number a few share is still found in full.
    let r = search(&desk, &token, "+91 98450 12345");
    assert_eq!((ids(&r), r.more_patients), (vec![1, 2], false));
}
