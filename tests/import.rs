//! Bringing patients in from another system's CSV export, on a real clinic file: what exports
//! look like (a byte-order mark, Windows line endings, quoted commas and newlines, Devanagari and
//! accented names), a file that is not UTF-8 refused with what to do, rows refused with their
//! reasons, look-alikes sent to the registration review queue by registration's own scoring, all
//! or nothing, no duplicates on a second import, the saved mapping, and the role check.

mod common;

use common::*;
use frontdesk::import::{self, ColumnMapping, DateFormat, ImportResult, Preview, PreviewRequest, Upload};
use frontdesk::search::SearchRequest;
use frontdesk::{ApiError, Desk, ErrorCode, SessionToken};

/// The header most exports here have, and its mapping.
const HEADER: &str = "Chart No,First Name,Last Name,DOB,Gender,Mobile,Email,Notes";

fn mapping() -> ColumnMapping {
    ColumnMapping {
        mrn: Some(0),
        given_name: Some(1),
        family_name: Some(2),
        date_of_birth: Some(3),
        sex: Some(4),
        phone: Some(5),
        email: Some(6),
        ..Default::default()
    }
}

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for r in rows {
        text.push_str("\r\n");
        text.push_str(r);
    }
    text.push_str("\r\n");
    text.into_bytes()
}

fn upload(desk: &Desk, token: &SessionToken, bytes: &[u8]) -> Upload {
    import::upload(&ctx(desk, Some(token), NOW), "legacy.csv", bytes).expect("upload")
}

fn preview(desk: &Desk, token: &SessionToken, upload_id: i64, mapping: ColumnMapping) -> Preview {
    import::preview(&ctx(desk, Some(token), NOW), PreviewRequest { upload_id, mapping, date_format: DateFormat::Iso })
        .expect("preview")
}

fn commit(desk: &Desk, token: &SessionToken, upload_id: i64) -> frontdesk::Result<ImportResult> {
    import::commit(
        &ctx(desk, Some(token), NOW),
        PreviewRequest { upload_id, mapping: mapping(), date_format: DateFormat::Iso },
    )
}

fn patients(desk: &Desk) -> i64 {
    desk.db().query_row("SELECT COUNT(*) FROM patient", [], |r| r.get(0)).unwrap()
}

fn found(desk: &Desk, token: &SessionToken, query: &str) -> Vec<String> {
    frontdesk::search::search(&ctx(desk, Some(token), NOW), SearchRequest { query: query.into(), limit: None })
        .unwrap()
        .patients
        .into_iter()
        .map(|p| p.name)
        .collect()
}

fn refusal(r: frontdesk::Result<impl std::fmt::Debug>) -> ApiError {
    ApiError::from(r.expect_err("must be refused"))
}

#[test]
fn an_excel_export_with_bom_crlf_quotes_and_any_script_comes_in_whole_and_searchable() {
    let (_dir, desk, token) = owner_desk();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(csv(&[
        "A-1,Émilie,Côté,1990-05-17,F,(416) 555-0101,emilie@example.com,\"Prefers mornings, calls back\"",
        "A-2,प्रिया,शर्मा,1985-11-02,female,+91 98450 12345,,\"Line one\r\nline two, with a comma\"",
        "A-3,\"Jean, Jr.\",O'Brien,1970-01-01,M,416-555-0103,,",
        "A-4,Zoë,Müller-Lüdenscheidt,2001-02-28,,4165550104,,\"He said \"\"hello\"\"\"",
    ]));
    let up = upload(&desk, &token, &bytes);
    assert_eq!(up.header[0], "Chart No", "the byte-order mark is not part of the first column's name");
    assert_eq!(up.row_count, 4, "a quoted newline is inside a row, not a new row");
    assert_eq!(up.delimiter, ",");
    assert_eq!(up.suggested, mapping(), "the header's English names map themselves");
    assert_eq!(up.sample_rows[1][7], "Line one\r\nline two, with a comma");

    let p = preview(&desk, &token, up.upload_id, up.suggested.clone());
    assert_eq!((p.clean, p.review, p.refused, p.already_imported), (4, 0, 0, 0), "{p:?}");
    let done = commit(&desk, &token, up.upload_id).unwrap();
    assert_eq!(done.imported, 4);

    let names: Vec<(String, String)> = desk
        .db()
        .prepare("SELECT given_name, family_name FROM patient ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        names,
        [("Émilie", "Côté"), ("प्रिया", "शर्मा"), ("Jean, Jr.", "O'Brien"), ("Zoë", "Müller-Lüdenscheidt")]
            .map(|(g, f)| (g.to_owned(), f.to_owned())),
        "names survive byte for byte"
    );
    for (query, who) in [
        ("Côté", "Émilie Côté"),
        ("cote emilie", "Émilie Côté"),
        ("शर्मा", "प्रिया शर्मा"),
        ("muller", "Zoë Müller-Lüdenscheidt"),
        ("416 555 0103", "Jean, Jr. O'Brien"),
    ] {
        assert!(found(&desk, &token, query).iter().any(|n| n == who), "{query:?} must find {who}");
    }
    // Typos too: the typo index was brought up to date by the import.
    assert!(found(&desk, &token, "Cotte").iter().any(|n| n == "Émilie Côté"), "a typo finds an imported name");
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_what_to_do() {
    let (_dir, desk, token) = owner_desk();
    // "Émilie Côté" as Excel's plain "CSV" writes it on Windows: Windows-1252 / Latin-1.
    let latin1 = b"First Name,Last Name,Mobile\r\n\xC9milie,C\xF4t\xE9,4165550101\r\n";
    let e = refusal(import::upload(&ctx(&desk, Some(&token), NOW), "legacy.csv", latin1));
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.field.as_deref(), Some("file"));
    assert!(e.message.contains("not UTF-8"), "says what is wrong: {}", e.message);
    assert!(e.message.contains("CSV UTF-8"), "says what to do: {}", e.message);
    assert!(e.message.contains("line 2"), "says where: {}", e.message);

    for (bytes, words) in [
        (&b""[..], "empty"),
        (&b"\xEF\xBB\xBF \r\n"[..], "empty"),
        (&b"First Name,Last Name,Mobile\r\n"[..], "no patients"),
        (&b"\xFF\xFEF\x00"[..], "UTF-16"),
    ] {
        let e = refusal(import::upload(&ctx(&desk, Some(&token), NOW), "x.csv", bytes));
        assert!(e.message.contains(words), "{words}: {}", e.message);
    }
    assert_eq!(patients(&desk), 0);
}

#[test]
fn refused_rows_say_why_and_the_rest_come_in() {
    let (_dir, desk, token) = owner_desk();
    let up = upload(
        &desk,
        &token,
        &csv(&[
            "B-1,,Tremblay,1980-01-01,F,4165550101,,",
            "B-2,Liam,Tremblay,2023-02-30,M,4165550102,,",
            "B-3,Noah,Brown,1980-01-01,M,12,,",
            "B-4,Ava,Singh,1980-01-01,F,,,",
            "B-5,Olivia,Martin,2090-01-01,F,4165550105,,",
            "B-6,Ethan,Roy,1980-01-01,M,4165550106,not-an-email,",
            "B-7,Mia,Gagnon,1981-03-04,F,4165550107,,",
        ]),
    );
    let p = preview(&desk, &token, up.upload_id, mapping());
    assert_eq!((p.clean, p.refused), (1, 6), "{p:?}");
    let reason = |row: u32| p.refused_rows.iter().find(|r| r.row == row).unwrap_or_else(|| panic!("row {row}: {p:?}"));
    // Spreadsheet row numbers: the header is row 1.
    assert_eq!(reason(2).reason, "No given (first) name.");
    assert!(reason(3).reason.contains("not a real date"), "{:?}", reason(3));
    assert_eq!(reason(3).field.as_deref(), Some("date_of_birth"));
    assert!(reason(4).reason.contains("\"12\""), "the bad phone is quoted: {:?}", reason(4));
    assert_eq!(reason(4).field.as_deref(), Some("phone"));
    assert_eq!(reason(5).reason, "No phone number.");
    assert!(reason(6).reason.contains("in the future"), "{:?}", reason(6));
    assert_eq!(reason(7).field.as_deref(), Some("email"));
    assert_eq!(reason(4).name, "Noah Brown", "the person sees whose row it is");

    let done = commit(&desk, &token, up.upload_id).unwrap();
    assert_eq!((done.imported, done.refused), (1, 6));
    assert_eq!(patients(&desk), 1, "only the clean row");

    // Without a name column nothing can be read.
    let up = upload(&desk, &token, &csv(&["C-1,Zara,Khan,1980-01-01,F,4165550111,,"]));
    let no_name = ColumnMapping { given_name: None, ..mapping() };
    let e = refusal(import::preview(
        &ctx(&desk, Some(&token), NOW),
        PreviewRequest { upload_id: up.upload_id, mapping: no_name, date_format: DateFormat::Iso },
    ));
    assert_eq!(e.field.as_deref(), Some("mapping"));
    assert!(e.message.contains("name"), "{}", e.message);
}

#[test]
fn look_alikes_of_registered_patients_and_of_each_other_go_to_the_review_queue() {
    let (_dir, desk, token) = owner_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let priya = frontdesk::patients::create_patient(
        &c,
        patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"),
    )
    .unwrap()
    .patient_id;
    let up = upload(
        &desk,
        &token,
        &csv(&[
            // Priya again, as the old system had her.
            "D-1,Priya,Sharma,1988-04-02,F,+91 98450 12345,,",
            "D-2,Liam,Tremblay,1975-06-30,M,4165550102,,",
            // Noah twice in the old system, once with a typo and the day and month swapped.
            "D-3,Noah,Brown,1990-03-04,M,6045551234,,",
            "D-4,Noha,Brown,1990-04-03,M,6045551234,,",
            // His sister on the family phone: a candidate, but not a likely duplicate.
            "D-5,Emma,Brown,2012-09-09,F,6045551234,,",
        ]),
    );
    let p = preview(&desk, &token, up.upload_id, mapping());
    assert_eq!((p.clean, p.review, p.refused), (3, 2, 0), "{p:?}");
    let rows: Vec<u32> = p.review_rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, [2, 5], "Priya (row 2) and the second Noah (row 5): {p:?}");
    assert!(p.review_rows[0].reason.contains(&format!("patient #{priya}")), "{:?}", p.review_rows[0]);
    assert!(p.review_rows[1].reason.contains("row 4 of this file"), "{:?}", p.review_rows[1]);

    let done = commit(&desk, &token, up.upload_id).unwrap();
    assert_eq!((done.imported, done.review), (3, 2));
    assert_eq!(patients(&desk), 6, "review rows come in as patients, to be worked in the queue");
    let reviews = frontdesk::patients::registration_reviews(&c).unwrap();
    assert_eq!(reviews.len(), 2, "one registration review per review row: {reviews:?}");
    let names: Vec<(&str, Vec<&str>)> = reviews
        .iter()
        .map(|r| (r.patient.name.as_str(), r.candidates.iter().map(|c| c.name.as_str()).collect()))
        .collect();
    assert!(names.contains(&("Priya Sharma", vec!["Priya Sharma"])), "{names:?}");
    assert!(names.contains(&("Noha Brown", vec!["Noah Brown"])), "{names:?}");
}

#[test]
fn a_patient_registered_between_preview_and_commit_is_screened_against() {
    // The commit reuses the preview's screening only while the registry is unchanged: here a
    // receptionist registers one of the file's people at the desk in between.
    let (_dir, desk, token) = owner_desk();
    let c = ctx(&desk, Some(&token), NOW);
    let up = upload(
        &desk,
        &token,
        &csv(&["D-1,Priya,Sharma,1988-04-02,F,+91 98450 12345,,", "D-2,Liam,Tremblay,1975-06-30,M,4165550102,,"]),
    );
    let p = preview(&desk, &token, up.upload_id, mapping());
    assert_eq!((p.clean, p.review), (2, 0), "{p:?}");
    let priya = frontdesk::patients::create_patient(
        &c,
        patient_request("Priya", "Sharma", Some("1988-04-02"), "+91 98450 12345"),
    )
    .unwrap()
    .patient_id;
    let done = commit(&desk, &token, up.upload_id).unwrap();
    assert_eq!((done.imported, done.review), (1, 1), "Priya is now a look-alike: {done:?}");
    let reviews = frontdesk::patients::registration_reviews(&c).unwrap();
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    assert_eq!(reviews[0].candidates.iter().map(|c| c.patient_id).collect::<Vec<_>>(), [priya]);

    // An edit counts too: Liam's phone corrected at the desk after the preview of a file that
    // has him under that phone.
    let up = upload(&desk, &token, &csv(&["D-9,William,Tremblay,1975-06-30,M,4165550199,,"]));
    let p = preview(&desk, &token, up.upload_id, mapping());
    assert_eq!((p.clean, p.review), (1, 0), "{p:?}");
    let liam: i64 = desk.db().query_row("SELECT id FROM patient WHERE given_name = 'Liam'", [], |r| r.get(0)).unwrap();
    desk.db().execute("UPDATE patient_phone SET e164 = '+14165550199' WHERE patient_id = ?1", [liam]).unwrap();
    let done = commit(&desk, &token, up.upload_id).unwrap();
    assert_eq!((done.imported, done.review), (0, 1), "same family name, birth date and phone: {done:?}");
}

#[test]
fn a_failure_midway_imports_nothing() {
    let (_dir, desk, token) = owner_desk();
    let before = audit_count(&desk);
    let up = upload(
        &desk,
        &token,
        &csv(&[
            "E-1,Ava,Singh,1980-01-01,F,4165550101,,",
            "E-2,Boom,Fails,1980-01-01,F,4165550102,,",
            "E-3,Mia,Gagnon,1980-01-01,F,4165550103,,",
        ]),
    );
    // A failure on the second row, after the first is written (temporary: this connection only).
    desk.db()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_midway AFTER INSERT ON patient WHEN new.given_name = 'Boom'
             BEGIN SELECT RAISE(ABORT, 'disk full (forced by the test)'); END;",
        )
        .unwrap();
    assert_eq!(preview(&desk, &token, up.upload_id, mapping()).clean, 3);
    let e = refusal(commit(&desk, &token, up.upload_id));
    assert_eq!(e.code, ErrorCode::Storage);
    assert_eq!(patients(&desk), 0, "all or nothing: the first row must not stay behind");
    let kept: i64 = desk.db().query_row("SELECT COUNT(*) FROM import_row", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 0, "no source keys either, or the retry would skip rows never imported");
    let batches: i64 = desk.db().query_row("SELECT COUNT(*) FROM import_batch", [], |r| r.get(0)).unwrap();
    assert_eq!(batches, 0);
    // The upload and its mapping are kept: only the mapping's save was added to the log.
    assert_eq!(audit_count(&desk), before + 2, "upload and mapping saved; nothing of the failed commit");

    desk.db().execute_batch("DROP TRIGGER temp.fail_midway").unwrap();
    assert_eq!(commit(&desk, &token, up.upload_id).unwrap().imported, 3, "the same upload imports once fixed");
}

#[test]
fn importing_the_same_file_again_creates_no_duplicates() {
    let (_dir, desk, token) = owner_desk();
    let rows = [
        "F-1,Ava,Singh,1980-01-01,F,4165550101,,",
        "F-2,Mia,Gagnon,1981-02-03,F,4165550102,,",
        "F-3,,Nameless,1981-02-03,F,4165550103,,",
    ];
    let first = upload(&desk, &token, &csv(&rows));
    preview(&desk, &token, first.upload_id, mapping());
    assert_eq!(commit(&desk, &token, first.upload_id).unwrap().imported, 2);
    let e = refusal(commit(&desk, &token, first.upload_id));
    assert_eq!(e.code, ErrorCode::Conflict, "an upload imports once: {e:?}");

    let again = upload(&desk, &token, &csv(&rows));
    let p = preview(&desk, &token, again.upload_id, mapping());
    assert_eq!((p.clean, p.review, p.already_imported, p.refused), (0, 0, 2, 1), "{p:?}");
    let done = commit(&desk, &token, again.upload_id).unwrap();
    assert_eq!((done.imported, done.already_imported), (0, 2));
    assert_eq!(patients(&desk), 2, "no duplicates");

    // Without an MRN column the key is the row's identifying fields.
    let no_mrn = ColumnMapping { mrn: None, ..mapping() };
    for _ in 0..2 {
        let up = upload(&desk, &token, &csv(&["G-1,Zara,Khan,1979-12-31,F,4165550199,,"]));
        import::commit(
            &ctx(&desk, Some(&token), NOW),
            PreviewRequest { upload_id: up.upload_id, mapping: no_mrn.clone(), date_format: DateFormat::Iso },
        )
        .unwrap();
    }
    assert_eq!(patients(&desk), 3, "the second import of Zara's row is skipped");

    let history = import::history(&ctx(&desk, Some(&token), NOW)).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!((history[2].imported, history[2].already_imported), (0, 2), "newest first: {history:?}");
    assert_eq!(history[3].imported_by, "Olive Owner");
}

#[test]
fn the_mapping_is_saved_for_the_next_file_with_the_same_header() {
    let (_dir, desk, token) = owner_desk();
    let file = b"Col A;Col B;Col C;Col D\r\nAva;Singh;4165550101;01/02/1980\r\n".to_vec();
    let up = upload(&desk, &token, &file);
    assert_eq!(up.delimiter, ";");
    assert!(!up.from_saved_mapping);
    assert_eq!(up.suggested, ColumnMapping::default(), "nothing to guess from these names");
    let chosen = ColumnMapping {
        given_name: Some(0),
        family_name: Some(1),
        phone: Some(2),
        date_of_birth: Some(3),
        ..Default::default()
    };
    import::preview(
        &ctx(&desk, Some(&token), NOW),
        PreviewRequest { upload_id: up.upload_id, mapping: chosen.clone(), date_format: DateFormat::DayFirst },
    )
    .unwrap();
    let next = upload(&desk, &token, &file);
    assert!(next.from_saved_mapping);
    assert_eq!((next.suggested, next.date_format), (chosen, DateFormat::DayFirst));
}

#[test]
fn only_roles_that_import_patients_may_use_any_step() {
    let (_dir, desk, owner) = owner_desk();
    let up = upload(&desk, &owner, &csv(&["H-1,Ava,Singh,1980-01-01,F,4165550101,,"]));
    for role in ["receptionist", "doctor", "reviewer", "operations"] {
        let token = add_staff(&desk, role, role);
        let c = ctx(&desk, Some(&token), NOW);
        let req = PreviewRequest { upload_id: up.upload_id, mapping: mapping(), date_format: DateFormat::Iso };
        assert_eq!(refusal(import::upload(&c, "x.csv", &csv(&[]))).code, ErrorCode::Forbidden, "{role} upload");
        assert_eq!(refusal(import::preview(&c, req.clone())).code, ErrorCode::Forbidden, "{role} preview");
        assert_eq!(refusal(import::commit(&c, req)).code, ErrorCode::Forbidden, "{role} commit");
        assert_eq!(refusal(import::history(&c)).code, ErrorCode::Forbidden, "{role} history");
    }
    assert_eq!(patients(&desk), 0);
}
