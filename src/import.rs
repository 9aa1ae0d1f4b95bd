//! Bringing patients in from another system's CSV export (the migration hub): upload → map the
//! columns → preview → import.
//!
//! [`upload`] checks that the file is UTF-8 text (a byte-order mark is dropped; anything else is
//! refused with what to do: save it as "CSV UTF-8"), sniffs the delimiter (`,` `;` or a tab),
//! stages the text and suggests a mapping: the one saved for the same header, else one read from
//! the header's names. [`preview`] reads every row the way [`commit`] will and counts them: clean,
//! to review (a likely duplicate of a registered patient or of an earlier row, scored exactly as
//! registration screens a look-alike: `patients::score_pair`), refused (with the reason: no name,
//! a date that does not exist, a phone that is not a number…) and already imported. [`commit`]
//! imports the clean and review rows in one transaction — all or nothing — and opens a
//! registration review for each review row through `patients::screen_registration`, as a
//! look-alike registration does, so they are worked in the Registrations queue.
//!
//! Every row is validated by registration's own validator (`patients::validate_new_patient`) and
//! written by its own writer (`patients::insert_patient`). Each imported row keeps a source key
//! (`import_row`: the MRN when that column is mapped, else a hash of the folded name, date of
//! birth, phone and health card), so importing the same file again creates nothing new.
//!
//! Duplicate screening at 100,000 rows cannot ask SQLite ~100 questions a row as registration
//! does (the dates one slip away are ~90 lookups), so the preview holds the registry in memory —
//! by phone, health card, date of birth and folded name — and finds every pair that can reach the
//! review threshold: a shared phone or card, the same date of birth, or the same name (the only
//! way a close date of birth reaches it). Each pair is then scored by registration's own rule.
//! Rows are screened in file order, each against the registry and the rows before it, exactly as
//! if they had been registered one after another; commit opens each review with the pairs found
//! (`patients::open_review`, the writer registration's screening uses). Registration's own SQL
//! screening would cost ~5 ms a review row at 100,000 patients (every close date of birth is a
//! lookup, every candidate a summary): half a minute for a file with a few thousand look-alikes.
//!
//! Audit: one `import.committed` row for the batch (counts and ids, no PHI) and the
//! `registration_review.opened` row of each review, as registration writes it. There is no
//! `patient.created` row per imported patient: an audit row costs ~130 µs with the audit desk's
//! indexes (13 s at 100,000 rows, most of the budget), and `import_row` already answers "where
//! did this record come from" — its patient, batch (who, when) and the batch's audit row.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use base64::Engine as _;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::clinic::Clinic;
use crate::clock::DateOrder;
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::patients::{self, CreatePatientRequest, NewPatient, Signals, REVIEW_THRESHOLD};
use crate::roles::Action;
use crate::schedule::local_date;
use crate::search;

/// The largest file accepted (about 600,000 rows of a typical export).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Rows shown under the header when mapping.
const SAMPLE_ROWS: usize = 5;
/// Refused and review rows listed by a preview (all are counted).
pub const LISTED_ROWS: usize = 200;
/// Progress is published every this many rows.
const PROGRESS_EVERY: u32 = 2_000;

// ---------------------------------------------------------------------------------------------
// Wire types.

/// Which column (0-based) of the file holds each field; `None` when the file has no such column.
/// A name comes from `full_name` ("Priya Sharma", "Sharma, Priya") or from given and family names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnMapping {
    pub full_name: Option<u32>,
    pub given_name: Option<u32>,
    pub family_name: Option<u32>,
    pub date_of_birth: Option<u32>,
    pub sex: Option<u32>,
    pub phone: Option<u32>,
    pub email: Option<u32>,
    /// The other system's MRN or chart number: kept as the patient's MRN, and the row's source key.
    pub mrn: Option<u32>,
    pub health_card: Option<u32>,
    pub preferred_language: Option<u32>,
}

/// How the file writes dates of birth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 1988-04-02 (also accepted under the other two: a four-digit year first is never ambiguous).
    #[default]
    Iso,
    /// 02/04/1988, 2-4-1988, 02.04.1988.
    DayFirst,
    /// 04/02/1988.
    MonthFirst,
}

impl DateFormat {
    fn as_str(self) -> &'static str {
        match self {
            DateFormat::Iso => "iso",
            DateFormat::DayFirst => "day_first",
            DateFormat::MonthFirst => "month_first",
        }
    }

    fn parse(s: &str) -> DateFormat {
        match s {
            "day_first" => DateFormat::DayFirst,
            "month_first" => DateFormat::MonthFirst,
            _ => DateFormat::Iso,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UploadRequest {
    pub file_name: String,
    /// The file's bytes, base64 (a `data:…;base64,` prefix is allowed): the window reads the file
    /// with a file input, and the bytes must reach the core untouched so that an encoding other
    /// than UTF-8 is told apart rather than silently replaced.
    pub content_base64: String,
}

/// A staged file, ready to map.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Upload {
    pub upload_id: i64,
    pub file_name: String,
    /// ",", ";" or "\t".
    pub delimiter: String,
    pub header: Vec<String>,
    /// The first few rows, cell by cell, for the mapping screen.
    pub sample_rows: Vec<Vec<String>>,
    /// Data rows (blank lines are not counted).
    pub row_count: u32,
    pub suggested: ColumnMapping,
    pub date_format: DateFormat,
    /// True when the suggestion is the mapping saved the last time a file with this header was
    /// previewed.
    pub from_saved_mapping: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PreviewRequest {
    pub upload_id: i64,
    pub mapping: ColumnMapping,
    pub date_format: DateFormat,
}

/// A refused row or a row to review, as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowIssue {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: u32,
    /// The row's name as read (may be empty: "no name" is a reason).
    pub name: String,
    /// The field the reason is about, for a refused row.
    pub field: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Preview {
    pub upload_id: i64,
    pub total: u32,
    /// Imported as they are.
    pub clean: u32,
    /// Imported, each with a registration review to work in Registrations.
    pub review: u32,
    /// Not imported; each listed with its reason.
    pub refused: u32,
    /// Already brought in by an earlier import; skipped.
    pub already_imported: u32,
    /// The first [`LISTED_ROWS`] refused rows.
    pub refused_rows: Vec<RowIssue>,
    /// The first [`LISTED_ROWS`] rows to review.
    pub review_rows: Vec<RowIssue>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportResult {
    pub batch_id: i64,
    pub total: u32,
    pub imported: u32,
    pub review: u32,
    pub refused: u32,
    pub already_imported: u32,
}

/// One past import.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportBatch {
    pub id: i64,
    pub file_name: String,
    /// Unix seconds.
    pub imported_at: i64,
    pub imported_by: String,
    pub total: u32,
    pub imported: u32,
    pub review: u32,
    pub refused: u32,
    pub already_imported: u32,
}

// ---------------------------------------------------------------------------------------------
// Reading the file.

/// A staged file, parsed.
struct Table {
    header: Vec<String>,
    /// (spreadsheet row number, cells), blank rows left out.
    rows: Vec<(u32, csv::StringRecord)>,
}

/// The file's text: UTF-8 with its byte-order mark dropped, or a refusal that says what to do.
fn text_of(bytes: &[u8]) -> Result<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid("file", "The file is empty. Export the patients again and choose that file."));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::invalid(
            "file",
            "This file is saved as UTF-16 (\"Unicode text\"), not UTF-8. Open it in Excel or LibreOffice, save it as \"CSV UTF-8 (comma delimited)\", and upload that file.",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Error::invalid(
            "file",
            format!(
                "This file is not UTF-8 text (line {line} has the byte 0x{:02X}): it was probably saved as Windows-1252 or Latin-1, as Excel's plain \"CSV\" does, so accented and Devanagari names would be garbled. Open it in Excel or LibreOffice, save it as \"CSV UTF-8 (comma delimited)\", and upload that file.",
                bytes[at]
            ),
        )
    })
}

/// The delimiter the first line uses most: `,`, `;` or a tab (quoted text not counted).
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], std::cmp::Reverse(*i))).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

fn parse_table(text: &str, delimiter: u8) -> Result<Table> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(text.as_bytes());
    let bad = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        Error::invalid(
            "file",
            format!("Line {line} of the file could not be read as CSV. Check the file and export it again."),
        )
    };
    let header: Vec<String> = reader.headers().map_err(bad)?.iter().map(|h| h.trim().to_owned()).collect();
    if header.iter().all(String::is_empty) {
        return Err(Error::invalid("file", "The file has no header row. Its first line must name the columns."));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut number = 1u32;
    while reader.read_record(&mut record).map_err(bad)? {
        number += 1;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((number, std::mem::take(&mut record)));
    }
    Ok(Table { header, rows })
}

/// The header as a key for its saved mapping: cells trimmed, lower-cased, joined.
fn header_key(header: &[String]) -> String {
    header.iter().map(|h| h.trim().to_lowercase()).collect::<Vec<_>>().join("\u{1f}")
}

/// A mapping read from the header's names (English, as exports name them).
fn suggest(header: &[String]) -> ColumnMapping {
    let folded: Vec<String> =
        header.iter().map(|h| h.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect()).collect();
    let mut used = HashSet::new();
    let mut find = |exact: &[&str], contains: &[&str]| -> Option<u32> {
        let hit = folded
            .iter()
            .enumerate()
            .find(|(i, h)| !used.contains(i) && exact.contains(&h.as_str()))
            .or_else(|| {
                folded.iter().enumerate().find(|(i, h)| !used.contains(i) && contains.iter().any(|c| h.contains(c)))
            })
            .map(|(i, _)| i)?;
        used.insert(hit);
        Some(hit as u32)
    };
    // Most specific first: "patient first name" is a given name, not a full name.
    let given_name = find(&["firstname", "givenname", "fname", "first", "given", "forename"], &["first", "given"]);
    let family_name =
        find(&["lastname", "familyname", "surname", "lname", "last", "family"], &["last", "surname", "family"]);
    let date_of_birth = find(&["dob", "dateofbirth", "birthdate", "birthday", "born"], &["birth", "dob"]);
    let mrn =
        find(&["mrn", "chartno", "chartnumber", "chart", "medicalrecordnumber", "recordnumber"], &["mrn", "chart"]);
    let health_card =
        find(&["healthcard", "hcn", "ohip", "phn", "healthcardnumber", "healthnumber"], &["healthcard", "ohip"]);
    let phone = find(
        &["phone", "mobile", "cell", "telephone", "tel", "phonenumber", "mobilenumber", "cellphone"],
        &["mobile", "phone", "cell"],
    );
    let email = find(&["email", "emailaddress", "mail"], &["email"]);
    let sex = find(&["sex", "gender"], &["gender", "sex"]);
    let preferred_language = find(&["language", "preferredlanguage", "lang"], &["language"]);
    let full_name = if given_name.is_none() && family_name.is_none() {
        find(&["name", "fullname", "patientname", "patient"], &["name"])
    } else {
        None
    };
    ColumnMapping {
        full_name,
        given_name,
        family_name,
        date_of_birth,
        sex,
        phone,
        email,
        mrn,
        health_card,
        preferred_language,
    }
}

/// The date format the first rows' dates of birth show, else the clinic's own order.
fn suggest_date_format(table: &Table, mapping: &ColumnMapping, order: DateOrder) -> DateFormat {
    let default = match order {
        DateOrder::DayFirst => DateFormat::DayFirst,
        DateOrder::MonthFirst => DateFormat::MonthFirst,
    };
    let Some(col) = mapping.date_of_birth else { return default };
    let mut iso = 0;
    let mut others = 0;
    for (_, row) in table.rows.iter().take(500) {
        let parts = date_parts(row.get(col as usize).unwrap_or(""));
        match parts {
            Some((a, _, _)) if a > 31 => iso += 1,
            Some((a, b, _)) => {
                others += 1;
                if a > 12 && b <= 12 {
                    return DateFormat::DayFirst;
                }
                if b > 12 && a <= 12 {
                    return DateFormat::MonthFirst;
                }
            }
            None => {}
        }
    }
    if iso > 0 && others == 0 {
        DateFormat::Iso
    } else {
        default
    }
}

/// The three numbers of a date ("1988-04-02", "02/04/1988", "2.4.1988 00:00"), a time dropped.
fn date_parts(raw: &str) -> Option<(u32, u32, u32)> {
    let date = raw.trim().split([' ', 'T']).next()?;
    let mut parts = date.split(['-', '/', '.']);
    let a = parts.next()?.trim().parse().ok()?;
    let b = parts.next()?.trim().parse().ok()?;
    let c = parts.next()?.trim().parse().ok()?;
    parts.next().is_none().then_some((a, b, c))
}

/// A date of birth as `YYYY-MM-DD`, or why it cannot be read.
fn read_date(raw: &str, format: DateFormat) -> std::result::Result<Option<String>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let (a, b, c) = date_parts(raw)
        .ok_or_else(|| format!("\"{raw}\" is not a date. Dates of birth must look like {}.", example(format)))?;
    let (y, m, d) = if raw.split([' ', 'T']).next().unwrap_or("").split(['-', '/', '.']).next().map(str::len) == Some(4)
    {
        (a, b, c)
    } else {
        match format {
            DateFormat::DayFirst => (c, b, a),
            DateFormat::MonthFirst => (c, a, b),
            DateFormat::Iso => {
                return Err(format!(
                    "\"{raw}\" is not written year first. Choose the file's date format (day first or month first) and preview again."
                ))
            }
        }
    };
    if y < 1000 {
        return Err(format!("\"{raw}\" has a two-digit year. Export dates of birth with four-digit years."));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .map(|date| Some(date.to_string()))
        .ok_or_else(|| format!("\"{raw}\" is not a real date (there is no such day). Check the date of birth."))
}

fn example(format: DateFormat) -> &'static str {
    match format {
        DateFormat::Iso => "1988-04-02",
        DateFormat::DayFirst => "02/04/1988 (day first)",
        DateFormat::MonthFirst => "04/02/1988 (month first)",
    }
}

/// The values other systems write for sex, as registration's choices.
fn read_sex(raw: &str) -> String {
    let v = raw.trim().to_lowercase();
    match v.as_str() {
        "" | "u" | "unknown" | "?" | "not known" | "unspecified" => "unknown",
        "f" | "female" | "w" | "woman" | "girl" => "female",
        "m" | "male" | "man" | "boy" => "male",
        "o" | "x" | "other" | "non-binary" | "nonbinary" => "other",
        _ => raw.trim(),
    }
    .to_owned()
}

/// Language names other systems write, as codes; anything else goes to the validator as it is.
fn read_language(raw: &str) -> Option<String> {
    let v = raw.trim().to_lowercase();
    let code = match v.as_str() {
        "" => return None,
        "english" => "en",
        "french" | "français" | "francais" => "fr",
        "hindi" | "हिन्दी" | "हिंदी" => "hi",
        "punjabi" | "panjabi" => "pa",
        "tamil" => "ta",
        "telugu" => "te",
        "kannada" => "kn",
        "malayalam" => "ml",
        "marathi" => "mr",
        "bengali" | "bangla" => "bn",
        "gujarati" => "gu",
        "urdu" => "ur",
        "spanish" => "es",
        "chinese" | "mandarin" => "zh",
        "cantonese" => "yue",
        "arabic" => "ar",
        "tagalog" | "filipino" => "tl",
        _ => return Some(raw.trim().to_owned()),
    };
    Some(code.to_owned())
}

/// "Priya Sharma" → ("Priya", "Sharma"); "Sharma, Priya" → ("Priya", "Sharma"); one word → given.
fn split_full_name(raw: &str) -> (String, String) {
    if let Some((family, given)) = raw.split_once(',') {
        return (given.trim().to_owned(), family.trim().to_owned());
    }
    let words: Vec<&str> = raw.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => (rest.join(" "), (*last).to_owned()),
        _ => (raw.trim().to_owned(), String::new()),
    }
}

// ---------------------------------------------------------------------------------------------
// Planning: what each row will become.

/// Someone a row may duplicate: a registered patient or an earlier row of the file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Patient(i64),
    Row(u32),
}

struct Person {
    who: Who,
    given: String,
    family: String,
    dob: Option<NaiveDate>,
}

/// The registry in memory, indexed the ways a duplicate can reach the review threshold.
#[derive(Default)]
struct Registry {
    people: Vec<Person>,
    by_phone: FxHashMap<String, Vec<u32>>,
    by_card: FxHashMap<String, Vec<u32>>,
    by_dob: FxHashMap<NaiveDate, Vec<u32>>,
    /// The folded full name in both word orders (registration's "same name" either way round).
    by_name: FxHashMap<String, Vec<u32>>,
    /// Every MRN in use (merged records keep theirs), to the record holding it.
    mrns: FxHashMap<String, Who>,
}

/// The folded words of a name, as `patients::name_similarity` compares them.
fn folded(given: &str, family: &str) -> String {
    [search::name_words(given), search::name_words(family)].concat().join(" ")
}

impl Registry {
    /// Everyone registered and not merged away.
    fn load(conn: &Connection) -> Result<Registry> {
        let mut reg = Registry::default();
        let mut index: FxHashMap<i64, u32> = FxHashMap::default();
        let mut stmt = conn.prepare(
            "SELECT id, given_name, family_name, date_of_birth, health_card FROM patient WHERE merged_into IS NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let dob: Option<String> = r.get(3)?;
            let card: Option<String> = r.get(4)?;
            let i = reg.add(Who::Patient(id), r.get(1)?, r.get(2)?, dob.and_then(|d| d.parse().ok()));
            if let Some(card) = card {
                reg.by_card.entry(card.to_ascii_uppercase()).or_default().push(i);
            }
            index.insert(id, i);
        }
        let mut stmt = conn.prepare("SELECT DISTINCT patient_id, e164 FROM patient_phone")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = index.get(&r.get::<_, i64>(0)?) {
                reg.by_phone.entry(r.get(1)?).or_default().push(*i);
            }
        }
        let mut stmt = conn.prepare("SELECT mrn, COALESCE(merged_into, id) FROM patient WHERE mrn IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            reg.mrns.insert(r.get::<_, String>(0)?.to_ascii_uppercase(), Who::Patient(r.get(1)?));
        }
        Ok(reg)
    }

    fn add(&mut self, who: Who, given: String, family: String, dob: Option<NaiveDate>) -> u32 {
        let i = self.people.len() as u32;
        let (g, f) = (search::name_words(&given), search::name_words(&family));
        let (ab, ba) = ([&g[..], &f[..]].concat().join(" "), [&f[..], &g[..]].concat().join(" "));
        if ba != ab {
            self.by_name.entry(ba).or_default().push(i);
        }
        self.by_name.entry(ab).or_default().push(i);
        if let Some(d) = dob {
            self.by_dob.entry(d).or_default().push(i);
        }
        self.people.push(Person { who, given, family, dob });
        i
    }

    fn add_row(&mut self, row: u32, new: &NewPatient) {
        let i = self.add(Who::Row(row), new.given_name.clone(), new.family_name.clone(), new.date_of_birth);
        self.by_phone.entry(new.e164.clone()).or_default().push(i);
        if let Some(card) = &new.health_card {
            self.by_card.entry(card.clone()).or_default().push(i);
        }
        if let Some(mrn) = &new.mrn {
            self.mrns.insert(mrn.clone(), Who::Row(row));
        }
    }

    /// Everyone `new` scores at least the review threshold against, best first: registration's
    /// screening, over the pairs that can reach the threshold (see the module's doc).
    fn likely(&self, new: &NewPatient) -> Vec<(u32, i64, Vec<String>)> {
        #[derive(Default)]
        struct Pair {
            signals: Signals,
            /// Found under the row's own folded name: registration's "same name" (similarity 1).
            same_name: bool,
        }
        let mut pairs: FxHashMap<u32, Pair> = FxHashMap::default();
        for i in self.by_phone.get(&new.e164).into_iter().flatten() {
            pairs.entry(*i).or_default().signals.phone = true;
        }
        if let Some(card) = &new.health_card {
            for i in self.by_card.get(card).into_iter().flatten() {
                pairs.entry(*i).or_default().signals.health_card = true;
            }
        }
        if let Some(dob) = new.date_of_birth {
            for i in self.by_dob.get(&dob).into_iter().flatten() {
                pairs.entry(*i).or_default().signals.date_of_birth = true;
            }
        }
        // A namesake sharing nothing else reaches the threshold only with a close date of birth
        // (40 + 15); common names have thousands of namesakes, so only those are kept.
        for i in self.by_name.get(&folded(&new.given_name, &new.family_name)).into_iter().flatten() {
            if let Some(pair) = pairs.get_mut(i) {
                pair.same_name = true;
            } else if let (Some(mine), Some(theirs)) = (new.date_of_birth, self.people[*i as usize].dob) {
                if patients::one_slip_apart(mine, theirs) {
                    pairs.insert(*i, Pair { same_name: true, ..Default::default() });
                }
            }
        }
        let mut out = Vec::new();
        for (i, mut pair) in pairs {
            let s = &mut pair.signals;
            let person = &self.people[i as usize];
            let both_dates = new.date_of_birth.is_some() && person.dob.is_some();
            if let (Some(mine), Some(theirs)) = (new.date_of_birth, person.dob) {
                s.close_date_of_birth = !s.date_of_birth && patients::one_slip_apart(mine, theirs);
            }
            let similarity = if pair.same_name {
                1.0
            } else {
                patients::name_similarity((&new.given_name, &new.family_name), (&person.given, &person.family))
            };
            if let Some((score, reasons)) = patients::score_pair(s, similarity, both_dates) {
                if score >= REVIEW_THRESHOLD {
                    out.push((i, score, reasons));
                }
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

enum Outcome {
    Clean,
    /// Why, and the likely duplicates: (who, score, reasons), best first.
    Review {
        reason: String,
        likely: Vec<(Who, i64, String)>,
    },
    Refused {
        field: Option<&'static str>,
        reason: String,
    },
    AlreadyImported,
}

struct RowPlan {
    row: u32,
    name: String,
    outcome: Outcome,
    /// The validated patient of a clean or review row, and its source key.
    new: Option<(NewPatient, String)>,
}

/// The identifying fields of a row as one key: the MRN when the file has one, else a hash.
fn source_key(new: &NewPatient) -> String {
    if let Some(mrn) = &new.mrn {
        return format!("mrn:{mrn}");
    }
    let mut h = Sha256::new();
    for part in [
        folded(&new.given_name, &new.family_name),
        new.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        new.e164.clone(),
        new.health_card.clone().unwrap_or_default(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    format!("sha256:{}", hex::encode(h.finalize()))
}

fn check_mapping(mapping: &ColumnMapping, columns: usize) -> Result<()> {
    let has_name = mapping.full_name.is_some() || (mapping.given_name.is_some() && mapping.family_name.is_some());
    if !has_name {
        return Err(Error::invalid(
            "mapping",
            "Map the patient's name: a Full name column, or both a Given name and a Family name column.",
        ));
    }
    if mapping.phone.is_none() {
        return Err(Error::invalid(
            "mapping",
            "Map the phone column: every patient needs a phone number to be registered.",
        ));
    }
    let all = [
        mapping.full_name,
        mapping.given_name,
        mapping.family_name,
        mapping.date_of_birth,
        mapping.sex,
        mapping.phone,
        mapping.email,
        mapping.mrn,
        mapping.health_card,
        mapping.preferred_language,
    ];
    let mut seen = HashSet::new();
    for col in all.into_iter().flatten() {
        if col as usize >= columns {
            return Err(Error::invalid("mapping", format!("The file has {columns} columns; map only those.")));
        }
        if !seen.insert(col) {
            return Err(Error::invalid("mapping", "Each column can be mapped to one field only."));
        }
    }
    Ok(())
}

/// Why a row is refused, in the words of an import ("no given name" rather than "Enter …").
fn refusal(e: Error, cell_empty: impl Fn(&str) -> bool) -> (Option<&'static str>, String) {
    match e {
        Error::Invalid { field, message } => {
            let reason = match field {
                "given_name" if cell_empty(field) => "No given (first) name.".to_owned(),
                "family_name" if cell_empty(field) => "No family name (surname).".to_owned(),
                "phone" if cell_empty(field) => "No phone number.".to_owned(),
                _ => message,
            };
            (Some(field), reason)
        }
        other => (None, other.to_string()),
    }
}

/// One row read and validated: everything that does not depend on the database.
struct ReadRow {
    name: String,
    read: std::result::Result<(NewPatient, String), (Option<&'static str>, String)>,
}

/// Reads and validates one row as registration would (no database: rows are read in parallel).
fn read_row(
    record: &csv::StringRecord,
    mapping: &ColumnMapping,
    format: DateFormat,
    clinic: &Clinic,
    today: NaiveDate,
) -> ReadRow {
    let cell = |col: Option<u32>| col.and_then(|c| record.get(c as usize)).map(str::trim).unwrap_or("");
    let (given, family) = match mapping.full_name {
        Some(c) if mapping.given_name.is_none() || cell(mapping.given_name).is_empty() => {
            split_full_name(cell(Some(c)))
        }
        _ => (cell(mapping.given_name).to_owned(), cell(mapping.family_name).to_owned()),
    };
    let name = format!("{given} {family}").trim().to_owned();
    let dob = match read_date(cell(mapping.date_of_birth), format) {
        Ok(d) => d,
        Err(reason) => return ReadRow { name, read: Err((Some("date_of_birth"), reason)) },
    };
    let text = |col: Option<u32>| Some(cell(col).to_owned()).filter(|s| !s.is_empty());
    let req = CreatePatientRequest {
        given_name: given,
        family_name: family,
        date_of_birth: dob,
        sex: read_sex(cell(mapping.sex)),
        phone: cell(mapping.phone).to_owned(),
        phone_relationship: None,
        email: text(mapping.email),
        mrn: text(mapping.mrn),
        health_card: text(mapping.health_card),
        preferred_language: read_language(cell(mapping.preferred_language)),
        // Consent to messages is not carried over: another system's consent is not this
        // clinic's record of it. Staff ask again.
        consent_sms: false,
        consent_whatsapp: false,
        consent_email: false,
        address: patients::Address::default(),
    };
    let read = match patients::validate_new_patient(&req, clinic, today) {
        Ok(new) => {
            let key = source_key(&new);
            Ok((new, key))
        }
        Err(e) => {
            let empty = |field: &str| match field {
                "given_name" => req.given_name.trim().is_empty(),
                "family_name" => req.family_name.trim().is_empty(),
                "phone" => req.phone.trim().is_empty(),
                _ => false,
            };
            Err(refusal(e, empty))
        }
    };
    ReadRow { name, read }
}

/// Reads and validates every row (libphonenumber is most of the cost, ~40 µs a row). One thread:
/// `phonenumber` keeps its regular expressions behind one global lock, so more threads only
/// queue on it (measured: two threads were 20% slower than one on this machine).
fn read_rows(
    clinic: &Clinic,
    today: NaiveDate,
    table: &Table,
    mapping: &ColumnMapping,
    format: DateFormat,
    progress: &mut impl FnMut(u32),
) -> Result<Vec<ReadRow>> {
    let mut read = Vec::with_capacity(table.rows.len());
    for (done, (_, record)) in table.rows.iter().enumerate() {
        if (done as u32).is_multiple_of(PROGRESS_EVERY) {
            progress(done as u32);
        }
        read.push(read_row(record, mapping, format, clinic, today));
    }
    Ok(read)
}

/// The last preview's work, kept for its commit. Reading is a pure function of the file, the
/// mapping and the clinic's region, languages and date, all in `key` (with the clinic file's path,
/// since one process may open several desks). The plans are the rows screened against the
/// registry at `registry_version` (migration 0019): still true while that number has not moved.
/// One entry: the next preview replaces it, a commit takes it.
struct LastPreview {
    key: String,
    read: Vec<ReadRow>,
    registry_version: i64,
    plans: Vec<RowPlan>,
}

static LAST_PREVIEW: std::sync::Mutex<Option<LastPreview>> = std::sync::Mutex::new(None);

fn registry_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT n FROM registry_version WHERE id = 1", [], |r| r.get(0))?)
}

fn read_key(
    ctx: &Ctx,
    clinic: &Clinic,
    today: NaiveDate,
    upload_id: i64,
    mapping: &ColumnMapping,
    format: DateFormat,
) -> String {
    format!(
        "{}|{upload_id}|{mapping:?}|{}|{}|{:?}|{today}",
        ctx.desk.path().display(),
        format.as_str(),
        clinic.phone_region.as_ref(),
        clinic.languages
    )
}

/// What each row will become, against the registry as it is now, in file order: each row is
/// screened against the registry and the rows before it.
fn plan(conn: &Connection, table: &Table, read: &[ReadRow], mut progress: impl FnMut(u32)) -> Result<Vec<RowPlan>> {
    let mut registry = Registry::load(conn)?;
    let imported: FxHashSet<String> = {
        let mut stmt = conn.prepare("SELECT source_key FROM import_row")?;
        let keys = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        keys
    };
    let mut keys_in_file: FxHashMap<String, u32> = FxHashMap::default();
    let mut plans = Vec::with_capacity(table.rows.len());
    for ((row, _), ReadRow { name, read }) in table.rows.iter().zip(read) {
        let row = *row;
        let name = name.clone();
        let refused =
            |name: String, field, reason| RowPlan { row, name, outcome: Outcome::Refused { field, reason }, new: None };
        let (new, key) = match read {
            Ok((new, key)) => (new.clone(), key.clone()),
            Err((field, reason)) => {
                plans.push(refused(name, *field, reason.clone()));
                continue;
            }
        };
        if imported.contains(&key) {
            plans.push(RowPlan { row, name, outcome: Outcome::AlreadyImported, new: None });
            continue;
        }
        if let Some(first) = keys_in_file.get(&key) {
            let reason = format!(
                "Repeats row {first} (same name, date of birth, phone and identifiers); imported once, from row {first}."
            );
            plans.push(refused(name, None, reason));
            continue;
        }
        if let Some(mrn) = &new.mrn {
            let taken = match registry.mrns.get(mrn) {
                Some(Who::Patient(id)) => {
                    Some(format!("MRN {mrn} already belongs to patient #{id}. Check the number in the file."))
                }
                Some(Who::Row(other)) => Some(format!("MRN {mrn} is also on row {other} of this file.")),
                None => None,
            };
            if let Some(reason) = taken {
                plans.push(refused(name, Some("mrn"), reason));
                continue;
            }
        }
        let likely = registry.likely(&new);
        let outcome = match likely.first() {
            None => Outcome::Clean,
            Some((i, score, reasons)) => {
                let person = &registry.people[*i as usize];
                let whom = match person.who {
                    Who::Patient(id) => format!("{} {} (patient #{id})", person.given, person.family),
                    Who::Row(r) => format!("{} {} (row {r} of this file)", person.given, person.family),
                };
                let more = match likely.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                };
                Outcome::Review {
                    reason: format!("Looks like {whom}{more}: {} (score {score}).", reasons.join(", ")),
                    likely: likely
                        .iter()
                        .map(|(i, s, r)| (registry.people[*i as usize].who, *s, r.join(", ")))
                        .collect(),
                }
            }
        };
        registry.add_row(row, &new);
        keys_in_file.insert(key.clone(), row);
        plans.push(RowPlan { row, name, outcome, new: Some((new, key)) });
    }
    progress(table.rows.len() as u32);
    Ok(plans)
}

fn preview_of(upload_id: i64, plans: &[RowPlan]) -> Preview {
    let mut p = Preview {
        upload_id,
        total: plans.len() as u32,
        clean: 0,
        review: 0,
        refused: 0,
        already_imported: 0,
        refused_rows: Vec::new(),
        review_rows: Vec::new(),
    };
    for plan in plans {
        let issue = |field: Option<&str>, reason: &str| RowIssue {
            row: plan.row,
            name: plan.name.clone(),
            field: field.map(str::to_owned),
            reason: reason.to_owned(),
        };
        match &plan.outcome {
            Outcome::Clean => p.clean += 1,
            Outcome::AlreadyImported => p.already_imported += 1,
            Outcome::Review { reason, .. } => {
                p.review += 1;
                if p.review_rows.len() < LISTED_ROWS {
                    p.review_rows.push(issue(None, reason));
                }
            }
            Outcome::Refused { field, reason } => {
                p.refused += 1;
                if p.refused_rows.len() < LISTED_ROWS {
                    p.refused_rows.push(issue(*field, reason));
                }
            }
        }
    }
    p
}

// ---------------------------------------------------------------------------------------------
// The calls.

/// A staged upload as stored.
struct Staged {
    file_name: String,
    delimiter: u8,
    header_key: String,
    content: String,
    batch_id: Option<i64>,
}

fn load_upload(conn: &Connection, upload_id: i64) -> Result<Staged> {
    let staged = conn
        .query_row(
            "SELECT file_name, delimiter, header_key, content, batch_id FROM import_upload WHERE id = ?1",
            [upload_id],
            |r| {
                Ok(Staged {
                    file_name: r.get(0)?,
                    delimiter: r.get::<_, String>(1)?.bytes().next().unwrap_or(b','),
                    header_key: r.get(2)?,
                    content: r.get(3)?,
                    batch_id: r.get(4)?,
                })
            },
        )
        .optional()?;
    let staged =
        staged.ok_or_else(|| Error::NotFound(format!("Upload #{upload_id} was not found. Choose the file again.")))?;
    if let Some(batch) = staged.batch_id {
        return Err(Error::Conflict(format!(
            "This upload was already imported (import #{batch}). To bring in rows added since, choose the file again: rows already imported are skipped."
        )));
    }
    Ok(staged)
}

/// [`upload`] for the window: the file's bytes as base64.
pub fn upload_base64(ctx: &Ctx, req: UploadRequest) -> Result<Upload> {
    let encoded = match req.content_base64.find("base64,") {
        Some(i) if req.content_base64.starts_with("data:") => &req.content_base64[i + "base64,".len()..],
        _ => req.content_base64.as_str(),
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Error::invalid("file", "The file did not arrive whole. Choose it again."))?;
    upload(ctx, &req.file_name, &bytes)
}

/// Stages a CSV file: checks it is UTF-8 text, finds its delimiter and header, and suggests a
/// mapping (the one saved for this header, else one read from the header's names).
pub fn upload(ctx: &Ctx, file_name: &str, bytes: &[u8]) -> Result<Upload> {
    let file_name: String = file_name.trim().chars().take(200).collect();
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::invalid(
            "file",
            format!(
                "The file is larger than {} MB. Split it into smaller files and import each.",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    ctx.write(Action::ImportPatients, |w, caller, clinic| {
        let text = text_of(bytes)?;
        let delimiter = sniff_delimiter(text);
        let table = parse_table(text, delimiter)?;
        if table.rows.is_empty() {
            return Err(Error::invalid("file", "The file has a header but no patients in it."));
        }
        let key = header_key(&table.header);
        let saved: Option<(String, String)> = w
            .conn()
            .query_row("SELECT mapping, date_format FROM import_mapping WHERE header_key = ?1", [&key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let saved = saved.and_then(|(m, f)| {
            let mapping: ColumnMapping = serde_json::from_str(&m).ok()?;
            check_mapping(&mapping, table.header.len()).ok()?;
            Some((mapping, DateFormat::parse(&f)))
        });
        let from_saved_mapping = saved.is_some();
        let (suggested, date_format) = saved.unwrap_or_else(|| {
            let m = suggest(&table.header);
            let f = suggest_date_format(&table, &m, clinic.date_order());
            (m, f)
        });
        w.conn().execute(
            "INSERT INTO import_upload (file_name, delimiter, header_key, content, row_count, uploaded_by, uploaded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                file_name,
                (delimiter as char).to_string(),
                key,
                text,
                table.rows.len() as i64,
                caller.staff_id,
                w.now
            ],
        )?;
        let upload_id = w.conn().last_insert_rowid();
        // Counts only: a file's name can be a patient's.
        w.audit(
            "import.uploaded",
            "import_upload",
            upload_id,
            format!("rows {}; columns {}", table.rows.len(), table.header.len()),
        )?;
        let sample_rows =
            table.rows.iter().take(SAMPLE_ROWS).map(|(_, r)| r.iter().map(str::to_owned).collect()).collect();
        Ok(Upload {
            upload_id,
            file_name: file_name.clone(),
            delimiter: (delimiter as char).to_string(),
            header: table.header,
            sample_rows,
            row_count: table.rows.len() as u32,
            suggested,
            date_format,
            from_saved_mapping,
        })
    })
}

/// Counts what importing the upload with this mapping would do, lists the refused rows and the
/// rows to review with their reasons, and saves the mapping for the next file with this header.
pub fn preview(ctx: &Ctx, req: PreviewRequest) -> Result<Preview> {
    let (preview, header_key) = ctx.read(Action::ImportPatients, |conn, _, clinic| {
        let staged = load_upload(conn, req.upload_id)?;
        let table = parse_table(&staged.content, staged.delimiter)?;
        let total = table.rows.len() as u32;
        check_mapping(&req.mapping, table.header.len())?;
        let today = local_date(clinic.timezone, ctx.now);
        let publish = |done| ctx.desk.events.publish(Event::ImportProgress { upload_id: req.upload_id, done, total });
        let read = read_rows(clinic, today, &table, &req.mapping, req.date_format, &mut |done| publish(done * 3 / 4))?;
        // Read before the registry is: a change in between makes the commit screen again.
        let registry_version = registry_version(conn)?;
        let plans = plan(conn, &table, &read, |done| publish(total * 3 / 4 + done / 4))?;
        let key = read_key(ctx, clinic, today, req.upload_id, &req.mapping, req.date_format);
        let preview = preview_of(req.upload_id, &plans);
        *LAST_PREVIEW.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(LastPreview { key, read, registry_version, plans });
        Ok((preview, staged.header_key))
    })?;
    save_mapping(ctx, &header_key, &req.mapping, req.date_format)?;
    Ok(preview)
}

/// Saves the mapping for files with this header (nothing is written when it is already saved).
fn save_mapping(ctx: &Ctx, header_key: &str, mapping: &ColumnMapping, format: DateFormat) -> Result<()> {
    let json = serde_json::to_string(mapping).map_err(|e| Error::Internal(format!("mapping as JSON: {e}")))?;
    ctx.write(Action::ImportPatients, |w, caller, _| {
        let same: Option<i64> = w
            .conn()
            .query_row(
                "SELECT 1 FROM import_mapping WHERE header_key = ?1 AND mapping = ?2 AND date_format = ?3",
                params![header_key, json, format.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        if same.is_some() {
            w.nothing_changed();
            return Ok(());
        }
        w.conn().execute(
            "INSERT OR REPLACE INTO import_mapping (header_key, mapping, date_format, saved_by, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![header_key, json, format.as_str(), caller.staff_id, w.now],
        )?;
        w.audit("import.mapping_saved", "import_mapping", "header", "column mapping saved")?;
        Ok(())
    })
}

/// Imports the upload's clean rows and its review rows — each review row as a patient with a
/// registration review, as a look-alike registration is — in one transaction: all or nothing.
/// Refused and already imported rows are left out.
pub fn commit(ctx: &Ctx, req: PreviewRequest) -> Result<ImportResult> {
    ctx.write(Action::ImportPatients, |w, caller, clinic| {
        let staged = load_upload(w.conn(), req.upload_id)?;
        let table = parse_table(&staged.content, staged.delimiter)?;
        let total = table.rows.len() as u32;
        let publish = |done: u32| ctx.desk.events.publish(Event::ImportProgress { upload_id: req.upload_id, done, total });
        // Reading the rows is the first half of the bar, writing them the second.
        check_mapping(&req.mapping, table.header.len())?;
        let today = local_date(clinic.timezone, w.now);
        let key = read_key(ctx, clinic, today, req.upload_id, &req.mapping, req.date_format);
        let cached = {
            let mut last = LAST_PREVIEW.lock().unwrap_or_else(|e| e.into_inner());
            match last.take() {
                Some(p) if p.key == key && p.read.len() == table.rows.len() => Some(p),
                other => {
                    *last = other;
                    None
                }
            }
        };
        let plans = match cached {
            // Nothing the screening reads has changed since the preview: its plans stand.
            Some(p) if p.registry_version == registry_version(w.conn())? => p.plans,
            Some(p) => plan(w.conn(), &table, &p.read, |done| publish(total / 4 + done / 4))?,
            None => {
                let read = read_rows(clinic, today, &table, &req.mapping, req.date_format, &mut |done| publish(done / 4))?;
                plan(w.conn(), &table, &read, |done| publish(total / 4 + done / 4))?
            }
        };
        let counts = preview_of(req.upload_id, &plans);
        w.conn().execute(
            "INSERT INTO import_batch (file_name, total_rows, imported, review, refused, already_imported, imported_by, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                staged.file_name,
                counts.total,
                counts.clean,
                counts.review,
                counts.refused,
                counts.already_imported,
                caller.staff_id,
                w.now
            ],
        )?;
        let batch_id = w.conn().last_insert_rowid();
        w.audit(
            "import.committed",
            "import_batch",
            batch_id,
            format!(
                "upload {}; rows {}; imported {}; review {}; refused {}; already imported {}",
                req.upload_id, counts.total, counts.clean, counts.review, counts.refused, counts.already_imported
            ),
        )?;
        // One transaction of ~100,000 patients touches ~100 MB of pages (rows, indexes, the name
        // index); with the desk's 32 MB cache SQLite spills and rewrites pages mid-transaction.
        w.conn().execute_batch("PRAGMA cache_size = -262144")?;
        let mut reviews = 0u32;
        let mut row_ids: FxHashMap<u32, i64> = FxHashMap::default();
        for (done, plan) in plans.iter().enumerate() {
            if (done as u32).is_multiple_of(PROGRESS_EVERY) {
                publish(total / 2 + done as u32 / 2);
            }
            let Some((new, key)) = &plan.new else { continue };
            let patient_id = patients::insert_patient(w.conn(), new, [false; 3], &Default::default(), w.now)?;
            w.conn()
                .prepare_cached("INSERT INTO import_row (source_key, patient_id, batch_id) VALUES (?1, ?2, ?3)")?
                .execute(params![key, patient_id, batch_id])?;
            row_ids.insert(plan.row, patient_id);
            if let Outcome::Review { likely, .. } = &plan.outcome {
                // Opened as registration opens one, with the pairs its scoring found (the ones
                // `screen_registration` would find: see the module's doc).
                let likely: Vec<(i64, i64, String)> = likely
                    .iter()
                    .filter_map(|(who, score, reasons)| {
                        let id = match who {
                            Who::Patient(id) => *id,
                            Who::Row(row) => *row_ids.get(row)?,
                        };
                        Some((id, *score, reasons.clone()))
                    })
                    .collect();
                let review_id = patients::open_review(w.conn(), patient_id, w.now, &likely)?;
                reviews += 1;
                let candidates =
                    likely.iter().map(|(id, score, _)| format!("{id} (score {score})")).collect::<Vec<_>>().join(", ");
                w.audit(
                    "registration_review.opened",
                    "registration_review",
                    review_id,
                    format!("patient {patient_id}; candidates {candidates}"),
                )?;
            }
        }
        if reviews != counts.review {
            // A review row whose likely duplicates were not written: a bug, and the counts the
            // person was shown would be wrong. Nothing is saved.
            return Err(Error::Internal(format!(
                "import planned {} reviews but screening opened {reviews}",
                counts.review
            )));
        }
        search::index_pending_names(w.conn())?;
        w.conn().execute_batch("PRAGMA cache_size = -32768")?;
        w.conn().execute(
            "UPDATE import_upload SET content = '', batch_id = ?1 WHERE id = ?2",
            params![batch_id, req.upload_id],
        )?;
        publish(total);
        w.publish(Event::ReviewsChanged);
        Ok(ImportResult {
            batch_id,
            total: counts.total,
            imported: counts.clean,
            review: counts.review,
            refused: counts.refused,
            already_imported: counts.already_imported,
        })
    })
}

/// Past imports, newest first.
pub fn history(ctx: &Ctx) -> Result<Vec<ImportBatch>> {
    ctx.read(Action::ImportPatients, |conn, _, _| {
        let mut stmt = conn.prepare(
            "SELECT b.id, b.file_name, b.imported_at, COALESCE(s.display_name, ''), b.total_rows, b.imported,
                    b.review, b.refused, b.already_imported
             FROM import_batch b LEFT JOIN staff s ON s.id = b.imported_by
             ORDER BY b.id DESC LIMIT 200",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ImportBatch {
                id: r.get(0)?,
                file_name: r.get(1)?,
                imported_at: r.get(2)?,
                imported_by: r.get(3)?,
                total: r.get(4)?,
                imported: r.get(5)?,
                review: r.get(6)?,
                refused: r.get(7)?,
                already_imported: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_the_files_order_and_impossible_ones_refused() {
        let ok = |raw, f| read_date(raw, f).unwrap();
        assert_eq!(ok("1988-04-02", DateFormat::Iso).as_deref(), Some("1988-04-02"));
        assert_eq!(ok("1988-04-02", DateFormat::DayFirst).as_deref(), Some("1988-04-02"));
        assert_eq!(ok("02/04/1988", DateFormat::DayFirst).as_deref(), Some("1988-04-02"));
        assert_eq!(ok("04/02/1988", DateFormat::MonthFirst).as_deref(), Some("1988-04-02"));
        assert_eq!(ok("2.4.1988 00:00", DateFormat::DayFirst).as_deref(), Some("1988-04-02"));
        assert_eq!(ok("", DateFormat::Iso), None);
        assert!(read_date("2023-02-30", DateFormat::Iso).unwrap_err().contains("not a real date"));
        assert!(read_date("02/04/88", DateFormat::DayFirst).unwrap_err().contains("two-digit year"));
        assert!(read_date("soon", DateFormat::Iso).unwrap_err().contains("not a date"));
    }

    #[test]
    fn headers_in_english_are_mapped() {
        let h = |cells: &[&str]| suggest(&cells.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let m = h(&["First Name", "Last Name", "DOB", "Gender", "Mobile", "E-mail", "Chart No", "OHIP", "Language"]);
        assert_eq!(
            m,
            ColumnMapping {
                full_name: None,
                given_name: Some(0),
                family_name: Some(1),
                date_of_birth: Some(2),
                sex: Some(3),
                phone: Some(4),
                email: Some(5),
                mrn: Some(6),
                health_card: Some(7),
                preferred_language: Some(8),
            }
        );
        let m = h(&["Patient Name", "Date of Birth", "Phone Number", "MRN"]);
        assert_eq!((m.full_name, m.date_of_birth, m.phone, m.mrn), (Some(0), Some(1), Some(2), Some(3)));
    }

    #[test]
    fn the_delimiter_is_the_one_the_header_uses() {
        assert_eq!(sniff_delimiter("a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter("a;b;\"c,d\"\r\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("name"), b',');
    }

    #[test]
    fn full_names_split_either_way() {
        assert_eq!(split_full_name("Priya Sharma"), ("Priya".into(), "Sharma".into()));
        assert_eq!(split_full_name("Sharma, Priya"), ("Priya".into(), "Sharma".into()));
        assert_eq!(split_full_name("Mary Ann Lee"), ("Mary Ann".into(), "Lee".into()));
        assert_eq!(split_full_name("Cher"), ("Cher".into(), String::new()));
    }
}
