//! One search box for everything the front desk types: names (any part, any order, one typo),
//! phone numbers in any format, MRNs and health-card numbers, and appointment numbers.
//!
//! Names go through the FTS5 index `patient_fts` in three tiers, each a bounded query in index
//! order: whole words, then word prefixes, then close matches (words within one edit of what was
//! typed, found in the `name_term` deletion index). Phones go through the last seven digits of the
//! stored E.164 number and a longer suffix check, so the clinic's region never matters. Merged
//! records are not in the name index, and identifier and phone matches lead to the kept record.
//!
//! Ranking, which the search box promises (`tests/search.rs`):
//! - tiers: exact (a whole name word for every typed word, a phone, an MRN or health card, an
//!   MRN's number) before prefix (every typed word starts a name word, an identifier's prefix)
//!   before close (a typed word of three letters or more one edit from a name word); a patient
//!   found several ways is shown once, at the best tier;
//! - within a tier, by family name, then given name (folded: case and accents ignored), then id;
//! - `more_patients` when more match than the page shows: type more to narrow it down. The page is
//!   then the first matches found in index order (registration order for names), put in name
//!   order: a page, not the alphabetical start of every match.
//!
//! Search as you type asks on every key, so each question costs a bounded amount whatever was
//! typed: every lookup seeks an index with a `LIMIT` of one page plus one (the extra row tells
//! "more" without counting); a lower tier is asked only while the page is not full; the close
//! tier only for words of three letters or more, and only while the page is not full; at most
//! [`MAX_PHONE_ROWS`] records behind one number (a placeholder number the desk gives everyone
//! without a phone) and [`MAX_PENDING_NAMES`] names not yet in the typo index are looked at. The
//! remaining cost that grows with the registry is FTS5's for a word prefix longer than its prefix
//! indexes (three letters): the index entries of every word starting so ("shar" → all Sharmas),
//! about 1 ms per 25,000 patients who have such a word (`benches/search.rs`).

use std::collections::{BTreeSet, HashSet};

use chrono::DateTime;
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::clinic::Clinic;
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::roles::Action;
use crate::schedule::{age_on, day_bounds, local_date};
use crate::status::Status;

/// Results shown when the request does not say how many.
pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;
const MAX_QUERY_CHARS: usize = 200;
/// Words beyond this many add nothing a person would type to find someone.
const MAX_NAME_TOKENS: usize = 6;
/// Typed words at least this long may be a typo of a name word ("Lii" for "Li", "Raoo" for
/// "Rao"); shorter ones are within one edit of too much.
const MIN_TYPO_CHARS: usize = 3;
/// Records looked at behind one phone number. Families share a number (a handful); a clinic that
/// registers everyone without a phone under one placeholder number would otherwise have every
/// such record fetched and sorted on each key. Beyond this the page says there are more.
pub const MAX_PHONE_ROWS: usize = 200;
/// Names registered since the typo index was last brought up to date (normally none: every
/// registration folds the queue) read by one search. A clinic upgraded from before search queues
/// every patient until its next registration; meanwhile a typo finds the names indexed so far
/// and the first of the queue, and exact and prefix matches find everyone.
pub const MAX_PENDING_NAMES: usize = 500;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SearchRequest {
    /// Whatever was typed: a name, a phone number, an MRN or health-card number, `#1234`.
    pub query: String,
    /// At most this many patients (default 20, at most 100).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PatientHit {
    pub id: i64,
    pub name: String,
    pub age: Option<i64>,
    pub sex: String,
    /// The matched phone for a phone search, else the primary phone, as the clinic writes it.
    pub phone: Option<String>,
    pub mrn: Option<String>,
    /// What matched: "name", "name (close match)", "phone", "MRN" or "health card".
    pub matched: String,
    /// The next booked visit, e.g. "Tue 24 Nov 2026 09:30 · Dr. Anita Chen", in the clinic's zone.
    pub next_appointment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppointmentHit {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    /// `YYYY-MM-DD` in the clinic's zone.
    pub date: String,
    /// `HH:MM` in the clinic's zone.
    pub start_local: String,
    pub doctor_name: String,
    pub status: Status,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct SearchResults {
    /// The query these results answer, so a search-as-you-type box can drop stale answers.
    pub query: String,
    /// Best match first: exact, then prefix, then close matches; by name within each.
    pub patients: Vec<PatientHit>,
    pub appointments: Vec<AppointmentHit>,
    /// True when more patients match than were returned: type more to narrow it down.
    pub more_patients: bool,
}

/// Searches patients and appointments for whatever the front desk typed.
pub fn search(ctx: &Ctx, req: SearchRequest) -> Result<SearchResults> {
    ctx.read(Action::ViewPatient, |conn, caller, clinic| {
        let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Error::invalid("limit", format!("Ask for between 1 and {MAX_LIMIT} results.")));
        }
        if req.query.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "query",
                format!(
                    "Type at most {MAX_QUERY_CHARS} characters: a name, a phone number, an MRN or an appointment number."
                ),
            ));
        }
        let results = search_in(conn, clinic, ctx.now, &req.query, limit as usize)?;
        ctx.note_read(caller, "patient.listed", "patient", results.patients.iter().map(|p| p.id));
        Ok(results)
    })
}

/// What the typed text could be. Several readings may apply ("4165550199" is a phone number and
/// could be a health-card number); each is looked up and the results are ranked together.
#[derive(Debug, Default, PartialEq, Eq)]
struct Reading {
    name_tokens: Vec<String>,
    /// All digits of a phone-like query (7 or more digits, only phone punctuation).
    phone_digits: Option<String>,
    /// An MRN or health-card number, without spaces and dashes.
    identifier: Option<String>,
    /// The number of an MRN typed without its prefix or leading zeros ("101", "mrn 101" for
    /// MRN0000101).
    mrn_number: Option<String>,
    appointment_id: Option<i64>,
}

fn read_query(q: &str) -> Reading {
    let mut reading = Reading::default();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = q.chars().all(|c| c.is_ascii_digit() || " +-().\u{2010}\u{2011}/".contains(c));
    if phone_like && (7..=18).contains(&digits.len()) {
        reading.phone_digits = Some(digits.clone());
    }
    let compact: String = q.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if compact.len() >= 4
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact.contains(|c: char| c.is_ascii_digit())
    {
        reading.identifier = Some(compact.clone());
    }
    let letters = compact.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if !letters.is_empty() && letters.len() <= 12 && letters.chars().all(|c| c.is_ascii_digit()) {
        let number = letters.trim_start_matches('0');
        if !number.is_empty() {
            reading.mrn_number = Some(number.to_owned());
        }
    }
    let id_text = q.strip_prefix('#').or_else(|| q.strip_prefix(['a', 'A'])).unwrap_or(q);
    if !id_text.is_empty() && id_text.len() <= 12 && id_text.chars().all(|c| c.is_ascii_digit()) {
        // "#1234" and "A1234" are appointment numbers at any length; bare numbers only while short,
        // since longer ones are phone numbers.
        if id_text.len() < q.len() || id_text.len() <= 7 {
            reading.appointment_id = id_text.parse().ok();
        }
    }
    // Words with digits are identifiers, not names.
    reading.name_tokens =
        name_words(q).into_iter().filter(|w| !w.chars().any(|c| c.is_ascii_digit())).take(MAX_NAME_TOKENS).collect();
    reading
}

/// Lower-cases and removes Latin diacritics ("Côté" → "cote"), as the FTS5 tokenizer does. Marks
/// that are part of a script (Devanagari vowel signs) stay.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // Nothing to decompose or drop: the common case, without the normalisation passes.
        return s.to_ascii_lowercase();
    }
    fold_unicode(s)
}

fn fold_unicode(s: &str) -> String {
    s.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).flat_map(char::to_lowercase).nfc().collect()
}

/// The folded words of a name or query. Words break at spaces and punctuation, as in the FTS5
/// tokenizer; a word it splits further (at Devanagari vowel signs) is quoted as a phrase, which
/// matches the same way.
pub fn name_words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How well a patient matched; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Exact,
    Prefix,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matched {
    Name,
    Phone,
    Mrn,
    HealthCard,
}

struct Candidate {
    id: i64,
    tier: Tier,
    matched: Matched,
    /// The phone that matched, for a phone search, with its stored display.
    phone: Option<(String, Option<String>)>,
}

/// The search itself, on an open connection; [`search`] checks the session first.
pub fn search_in(conn: &Connection, clinic: &Clinic, now: i64, query: &str, limit: usize) -> Result<SearchResults> {
    let q = query.trim();
    let mut results = SearchResults { query: query.to_owned(), ..SearchResults::default() };
    if q.is_empty() {
        return Ok(results);
    }
    let reading = read_query(q);
    let mut found: Vec<Candidate> = Vec::new();
    // Each lookup fetches one more than the page so "more" can be told without counting.
    let page = limit + 1;

    let mut more_numbers = false;
    if let Some(digits) = &reading.phone_digits {
        more_numbers = phone_matches(conn, digits, &mut found)?;
    }
    if let Some(identifier) = &reading.identifier {
        identifier_matches(conn, identifier, page, &mut found)?;
    }
    if let Some(number) = &reading.mrn_number {
        let mut by_number = conn.prepare_cached(MRN_NUMBER)?;
        for id in by_number.query_map(params![number, page as i64], |r| r.get::<_, i64>(0))? {
            found.push(Candidate { id: id?, tier: Tier::Exact, matched: Matched::Mrn, phone: None });
        }
    }
    if !reading.name_tokens.is_empty() {
        name_matches(conn, &reading.name_tokens, page, &mut found)?;
    }

    // Best tier first; within a tier, by name. Each id once, at its best tier.
    let mut seen = HashSet::new();
    let mut ranked = Vec::with_capacity(found.len());
    let mut stmt = conn.prepare_cached(PATIENT_ROW)?;
    found.sort_by_key(|c| c.tier);
    for c in found {
        if !seen.insert(c.id) {
            continue;
        }
        let row = stmt
            .query_row([c.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()?;
        if let Some((given, family, dob, sex, mrn)) = row {
            let key = (c.tier, fold(&family), fold(&given), c.id);
            ranked.push((key, c, given, family, dob, sex, mrn));
        }
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    results.more_patients = ranked.len() > limit || more_numbers;
    ranked.truncate(limit);

    let tz = clinic.timezone;
    let today = local_date(tz, now);
    let (today_start, _) = day_bounds(tz, today);
    let mut primary_phone = conn.prepare_cached(PRIMARY_PHONE)?;
    let mut next_visit = conn.prepare_cached(NEXT_VISIT)?;
    for (_, c, given, family, dob, sex, mrn) in ranked {
        let phone = match c.phone {
            Some(p) => Some(p),
            None => primary_phone.query_row([c.id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?))).optional()?,
        };
        let next = next_visit
            .query_row(params![c.id, today_start], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .optional()?
            .map(|(at, doctor)| format!("{} · {doctor}", visit_time(clinic, at)));
        results.patients.push(PatientHit {
            id: c.id,
            name: full_name(&given, &family),
            age: age_on(dob, today),
            sex,
            phone: phone.map(|(e164, display)| crate::phone::shown(&e164, display, clinic.phone_region)),
            mrn,
            matched: match (c.matched, c.tier) {
                (Matched::Name, Tier::Close) => "name (close match)",
                (Matched::Name, _) => "name",
                (Matched::Phone, _) => "phone",
                (Matched::Mrn, _) => "MRN",
                (Matched::HealthCard, _) => "health card",
            }
            .to_owned(),
            next_appointment: next,
        });
    }

    if let Some(id) = reading.appointment_id {
        results.appointments = appointment_matches(conn, tz, id)?;
    }
    Ok(results)
}

pub(crate) fn full_name(given: &str, family: &str) -> String {
    if family.is_empty() {
        given.to_owned()
    } else {
        format!("{given} {family}")
    }
}

/// "Tue 24 Nov 2026 09:30" (the clinic's date order, its zone).
pub(crate) fn visit_time(clinic: &Clinic, at: i64) -> String {
    let local = DateTime::from_timestamp(at, 0).unwrap_or_default().with_timezone(&clinic.timezone);
    format!("{} {}", clinic.date_label(local.date_naive()), crate::clock::wall_label(clinic.timezone, at))
}

const PATIENT_ROW: &str =
    "SELECT given_name, family_name, date_of_birth, sex, mrn FROM patient WHERE id = ?1 AND merged_into IS NULL";
const PRIMARY_PHONE: &str =
    "SELECT e164, display FROM patient_phone WHERE patient_id = ?1 ORDER BY is_primary DESC, id LIMIT 1";
const NEXT_VISIT: &str = "SELECT a.starts_at, d.display_name FROM appointment a JOIN doctor d ON d.id = a.doctor_id
     WHERE a.patient_id = ?1 AND a.starts_at >= ?2 AND a.status IN ('booked','confirmed','arrived')
     ORDER BY a.starts_at LIMIT 1";
const APPOINTMENT: &str =
    "SELECT a.id, a.patient_id, p.given_name, p.family_name, a.starts_at, d.display_name, a.status
     FROM appointment a JOIN patient p ON p.id = a.patient_id JOIN doctor d ON d.id = a.doctor_id
     WHERE a.id = ?1";
const PHONE_TAIL: &str =
    "SELECT pp.patient_id, pp.e164, pp.display FROM patient_phone pp JOIN patient p ON p.id = pp.patient_id
     WHERE pp.tail7 = ?1 AND p.merged_into IS NULL LIMIT ?2";
// A merged record's identifier leads to the record it was merged into.
const MRN_EXACT: &str = "SELECT COALESCE(merged_into, id) FROM patient WHERE mrn = ?1 COLLATE NOCASE";
const CARD_EXACT: &str = "SELECT COALESCE(merged_into, id) FROM patient WHERE health_card = ?1 COLLATE NOCASE";
/// The MRN's number: the expression of migration 0010's index, written the same so it is used.
const MRN_NUMBER: &str = "SELECT COALESCE(merged_into, id) FROM patient
     WHERE ltrim(ltrim(upper(mrn), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_/. '), '0') = ?1 AND mrn IS NOT NULL LIMIT ?2";

const MRN_PREFIX: &str = "SELECT COALESCE(merged_into, id) FROM patient
     WHERE mrn >= ?1 COLLATE NOCASE AND mrn < ?2 COLLATE NOCASE AND mrn <> ?1 COLLATE NOCASE
     ORDER BY mrn COLLATE NOCASE LIMIT ?3";
const CARD_PREFIX: &str = "SELECT COALESCE(merged_into, id) FROM patient
     WHERE health_card >= ?1 COLLATE NOCASE AND health_card < ?2 COLLATE NOCASE AND health_card <> ?1 COLLATE NOCASE
     ORDER BY health_card COLLATE NOCASE LIMIT ?3";
const NAME_FTS: &str = "SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?1 LIMIT ?2";
const NAME_TERM: &str = "SELECT term FROM name_term WHERE variant = ?1";
/// The queue of names the typo index does not hold yet, in queue order, at most `?1`.
const PENDING_NAMES: &str = "SELECT p.given_name, p.family_name FROM name_term_pending q
     JOIN patient p ON p.id = q.patient_id LIMIT ?1";

/// Numbers whose last seven digits match, confirmed on the longer common suffix: "098450-12345"
/// (a trunk zero), "+91 98450 12345" and "9845012345" all find +919845012345. True when more
/// than [`MAX_PHONE_ROWS`] records end in those seven digits (only the first were looked at).
fn phone_matches(conn: &Connection, digits: &str, found: &mut Vec<Candidate>) -> Result<bool> {
    let typed = digits.trim_start_matches('0');
    let tail = &digits[digits.len() - 7..];
    let mut stmt = conn.prepare_cached(PHONE_TAIL)?;
    let rows = stmt.query_map(params![tail, MAX_PHONE_ROWS as i64 + 1], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?))
    })?;
    for (n, row) in rows.enumerate() {
        if n == MAX_PHONE_ROWS {
            return Ok(true);
        }
        let (id, e164, display) = row?;
        let stored: String = e164.chars().filter(char::is_ascii_digit).collect();
        // Either the typed digits end the stored number (no or a local prefix) or the stored
        // number ends the typed digits (an international access code such as 011 or 00 in front).
        if stored.ends_with(typed) || typed.ends_with(&stored) {
            found.push(Candidate { id, tier: Tier::Exact, matched: Matched::Phone, phone: Some((e164, display)) });
        }
    }
    Ok(false)
}

/// MRN exactly or by prefix; health-card number exactly, or by prefix when long enough to be
/// the number without its version code. A merged record's identifier leads to the kept record.
fn identifier_matches(conn: &Connection, identifier: &str, page: usize, found: &mut Vec<Candidate>) -> Result<()> {
    let lower = identifier.to_ascii_lowercase();
    // Two lookups rather than one with OR: each is a seek in its own index, whatever the planner
    // makes of an OR across two columns.
    for (sql, matched) in [(MRN_EXACT, Matched::Mrn), (CARD_EXACT, Matched::HealthCard)] {
        let mut exact = conn.prepare_cached(sql)?;
        for id in exact.query_map([&lower], |r| r.get::<_, i64>(0))? {
            found.push(Candidate { id: id?, tier: Tier::Exact, matched, phone: None });
        }
    }
    // Lower-case bounds compare correctly under NOCASE (which folds to lower case), and every
    // identifier starting with the prefix sorts below the prefix with its last byte raised.
    let Some(upper) = raise_last_byte(&lower) else { return Ok(()) };
    let mut by_prefix = conn.prepare_cached(MRN_PREFIX)?;
    for id in by_prefix.query_map(params![lower, upper, page as i64], |r| r.get::<_, i64>(0))? {
        found.push(Candidate { id: id?, tier: Tier::Prefix, matched: Matched::Mrn, phone: None });
    }
    if identifier.len() >= 8 {
        let mut card_prefix = conn.prepare_cached(CARD_PREFIX)?;
        for id in card_prefix.query_map(params![lower, upper, page as i64], |r| r.get::<_, i64>(0))? {
            found.push(Candidate { id: id?, tier: Tier::Prefix, matched: Matched::HealthCard, phone: None });
        }
    }
    Ok(())
}

fn raise_last_byte(s: &str) -> Option<String> {
    let mut bytes = s.as_bytes().to_vec();
    let last = bytes.last_mut()?;
    if *last >= 0x7e {
        return None;
    }
    *last += 1;
    String::from_utf8(bytes).ok()
}

/// Names in three tiers, each at most `page` rows in index order: every typed word as a whole
/// word; as a word prefix; and, while the page is not full, with words within one edit.
fn name_matches(conn: &Connection, tokens: &[String], page: usize, found: &mut Vec<Candidate>) -> Result<()> {
    let quoted: Vec<String> = tokens.iter().map(|t| format!("\"{t}\"")).collect();
    let exact = quoted.join(" ");
    let prefix = quoted.iter().map(|t| format!("{t}*")).collect::<Vec<_>>().join(" ");
    let before = found.len();
    fts_ids(conn, &exact, page, Tier::Exact, found)?;
    if found.len() - before < page {
        fts_ids(conn, &prefix, page, Tier::Prefix, found)?;
    }
    let distinct: HashSet<i64> = found[before..].iter().map(|c| c.id).collect();
    if distinct.len() >= page {
        return Ok(());
    }
    let mut any_correction = false;
    let mut groups = Vec::with_capacity(tokens.len());
    // Read once for all the typed words, and only when one of them is long enough for a typo.
    let pending =
        if tokens.iter().any(|t| t.chars().count() >= MIN_TYPO_CHARS) { pending_words(conn)? } else { BTreeSet::new() };
    for (t, q) in tokens.iter().zip(&quoted) {
        let mut alternatives = vec![format!("{q}*")];
        for c in corrections(conn, t, &pending)? {
            any_correction = true;
            alternatives.push(format!("\"{c}\""));
        }
        groups.push(format!("({})", alternatives.join(" OR ")));
    }
    if any_correction {
        fts_ids(conn, &groups.join(" AND "), page + distinct.len(), Tier::Close, found)?;
    }
    Ok(())
}

fn fts_ids(conn: &Connection, fts_query: &str, limit: usize, tier: Tier, found: &mut Vec<Candidate>) -> Result<()> {
    let mut stmt = conn.prepare_cached(NAME_FTS)?;
    for id in stmt.query_map(params![fts_query, limit as i64], |r| r.get::<_, i64>(0))? {
        found.push(Candidate { id: id?, tier, matched: Matched::Name, phone: None });
    }
    Ok(())
}

/// Name words within one edit (insertion, deletion, substitution or swap of neighbours) of
/// `token`, from the typo index and the words of `pending` names it does not hold yet.
fn corrections(conn: &Connection, token: &str, pending: &BTreeSet<String>) -> Result<Vec<String>> {
    if token.chars().count() < MIN_TYPO_CHARS {
        return Ok(Vec::new());
    }
    let mut terms = BTreeSet::new();
    let mut stmt = conn.prepare_cached(NAME_TERM)?;
    for variant in std::iter::once(token.to_owned()).chain(deletions(token)) {
        for term in stmt.query_map([&variant], |r| r.get::<_, String>(0))? {
            terms.insert(term?);
        }
    }
    let near = |t: &&String| strsim::osa_distance(t, token) == 1;
    Ok(terms.iter().chain(pending).filter(near).cloned().collect::<BTreeSet<_>>().into_iter().collect())
}

/// The words of names registered since the last write that indexed them (normally none), at most
/// [`MAX_PENDING_NAMES`] names.
fn pending_words(conn: &Connection) -> Result<BTreeSet<String>> {
    let mut words = BTreeSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut stmt = conn.prepare_cached(PENDING_NAMES)?;
    let mut rows = stmt.query([MAX_PENDING_NAMES as i64])?;
    while let Some(r) = rows.next()? {
        for i in 0..2 {
            let name = r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?;
            // The same names come back again and again; fold each one once.
            if !seen.contains(name) {
                seen.insert(name.to_owned());
                words.extend(name_words(name));
            }
        }
    }
    Ok(words)
}

/// The word with each one of its letters left out.
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len()).map(move |i| chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect())
}

/// Folds the names of patients registered or renamed since the last call into the typo index.
/// Runs inside the caller's write transaction.
pub(crate) fn index_pending_names(conn: &Connection) -> Result<()> {
    let mut raw_seen: HashSet<String> = HashSet::new();
    let mut words: BTreeSet<String> = BTreeSet::new();
    {
        let mut stmt = conn.prepare(
            "SELECT p.given_name, p.family_name FROM name_term_pending q JOIN patient p ON p.id = q.patient_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for i in 0..2 {
                let name = r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?;
                // Large clinics repeat the same names thousands of times; fold each one once.
                if !raw_seen.contains(name) {
                    raw_seen.insert(name.to_owned());
                    words.extend(name_words(name));
                }
            }
        }
    }
    let mut insert = conn.prepare_cached("INSERT OR IGNORE INTO name_term (variant, term) VALUES (?1, ?2)")?;
    for w in &words {
        insert.execute([w, w])?;
        if w.chars().count() >= MIN_TYPO_CHARS {
            for d in deletions(w) {
                insert.execute([&d, w])?;
            }
        }
    }
    conn.execute("DELETE FROM name_term_pending", [])?;
    Ok(())
}

fn appointment_matches(conn: &Connection, tz: Tz, id: i64) -> Result<Vec<AppointmentHit>> {
    let mut stmt = conn.prepare_cached(APPOINTMENT)?;
    let rows = stmt.query_map([id], |r| {
        let starts_at: i64 = r.get(4)?;
        let status: String = r.get(6)?;
        let local = DateTime::from_timestamp(starts_at, 0).unwrap_or_default().with_timezone(&tz);
        Ok(AppointmentHit {
            id: r.get(0)?,
            patient_id: r.get(1)?,
            patient_name: full_name(&r.get::<_, String>(2)?, &r.get::<_, String>(3)?),
            date: local.date_naive().to_string(),
            start_local: local.format("%H:%M").to_string(),
            doctor_name: r.get(5)?,
            status: Status::parse(&status).unwrap_or(Status::Booked),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_fold_is_the_unicode_fold() {
        for s in ["Smith", "O'BRIEN-Jones", "  mary ann  ", "MRN0100123", "a\tB\u{7f}", "", "Zoe, ZOE; zoe."] {
            assert_eq!(fold(s), fold_unicode(s), "{s:?}");
        }
        // Every ASCII character, one at a time.
        for b in 0u8..128 {
            let s = (b as char).to_string();
            assert_eq!(fold(&s), fold_unicode(&s), "{b}");
        }
    }

    #[test]
    fn queries_are_read_as_what_a_person_meant() {
        let r = |q: &str| read_query(q);
        // (typed, phone digits, identifier, appointment number, name words)
        type Case = (&'static str, Option<&'static str>, Option<&'static str>, Option<i64>, &'static [&'static str]);
        let cases: &[Case] = &[
            ("pri sha", None, None, None, &["pri", "sha"]),
            ("Côté, Émilie", None, None, None, &["cote", "emilie"]),
            ("+91 98450 12345", Some("919845012345"), None, None, &[]),
            ("098450-12345", Some("09845012345"), Some("09845012345"), None, &[]),
            ("(604) 555-1234", Some("6045551234"), None, None, &[]),
            ("9845012345", Some("9845012345"), Some("9845012345"), None, &[]),
            ("MRN0100123", None, Some("MRN0100123"), None, &[]),
            ("#1234", None, None, Some(1234), &[]),
            ("A1234", None, Some("A1234"), Some(1234), &[]),
            ("1234", None, Some("1234"), Some(1234), &[]),
            ("12", None, None, Some(12), &[]),
        ];
        for (q, phone, identifier, appointment, names) in cases {
            let got = r(q);
            assert_eq!(got.phone_digits.as_deref(), *phone, "phone reading of {q:?}");
            assert_eq!(got.identifier.as_deref(), *identifier, "identifier reading of {q:?}");
            assert_eq!(got.appointment_id, *appointment, "appointment reading of {q:?}");
            assert_eq!(got.name_tokens, names.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "names in {q:?}");
        }
        // An MRN's number: its digits without the prefix and leading zeros.
        for (q, number) in [
            ("101", Some("101")),
            ("0000101", Some("101")),
            ("MRN 0101", Some("101")),
            ("mrn0100443", Some("100443")),
            ("000", None),
            ("pri", None),
            ("98450 12345", Some("9845012345")),
        ] {
            assert_eq!(r(q).mrn_number.as_deref(), number, "MRN number of {q:?}");
        }
    }

    #[test]
    fn every_lookup_seeks_an_index_and_never_scans_the_patients() {
        // A scan costs ~80 ms at a million patients; the budget for a key is a few ms.
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("plan.sqlite3")).unwrap();
        let plan_of = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let params = vec!["x"; stmt.parameter_count()];
            stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let every_lookup = [
            PHONE_TAIL,
            MRN_EXACT,
            MRN_NUMBER,
            CARD_EXACT,
            MRN_PREFIX,
            CARD_PREFIX,
            NAME_FTS,
            NAME_TERM,
            PATIENT_ROW,
            PRIMARY_PHONE,
            NEXT_VISIT,
            APPOINTMENT,
        ];
        for sql in every_lookup {
            let plan = plan_of(sql);
            assert!(
                plan.iter().all(|step| !step.starts_with("SCAN") || step.contains("VIRTUAL TABLE")),
                "{sql}\nmust seek an index, not scan: {plan:?}"
            );
            // Sorting means reading every match first: only the per-patient lookups sort (the few
            // rows of one patient), and nothing sorts a list of patients.
            assert!(
                plan.iter().all(|step| !step.contains("TEMP B-TREE") || [PRIMARY_PHONE, NEXT_VISIT].contains(&sql)),
                "{sql}\nmust read in index order: {plan:?}"
            );
        }
        // The one scan: the queue of names not yet in the typo index (normally empty), bounded,
        // each name then found by its patient's id.
        let plan = plan_of(PENDING_NAMES);
        assert!(PENDING_NAMES.contains("LIMIT ?1"), "the queue is read a bounded number of rows at a time");
        assert!(
            plan.iter().all(|step| !step.starts_with("SCAN") || step.starts_with("SCAN q")),
            "{PENDING_NAMES}\nscans nothing but the queue: {plan:?}"
        );
        // Phones stop at a bound too, and every list of patients asks for one page plus one.
        assert!(PHONE_TAIL.ends_with("LIMIT ?2"));
        for sql in [MRN_NUMBER, MRN_PREFIX, CARD_PREFIX, NAME_FTS] {
            assert!(sql.contains("LIMIT ?"), "{sql}\nasks for a page, not every match");
        }
    }

    #[test]
    fn deletions_leave_out_each_letter_once() {
        assert_eq!(deletions("abc").collect::<Vec<_>>(), vec!["bc", "ac", "ab"]);
        assert_eq!(raise_last_byte("mrn01").as_deref(), Some("mrn02"));
    }
}
