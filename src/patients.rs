//! Patients: registration with duplicate screening, the patient record (Patient 360), notes, and
//! the review queue where a person decides whether a look-alike registration is the same patient
//! (merge) or someone else (distinct). Families share phones and surnames, so nothing is merged
//! without a person deciding, and a merge records everything it changes so that an owner or admin
//! can undo it exactly ([`unmerge`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::types::{ToSql, Value};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::callbacks::{self, CallbackTask};
use crate::clinic::{self, Clinic};
use crate::desk::{Ctx, Desk, Write};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::phone;
use crate::roles::Action;
use crate::schedule::{age_on, local_date, parse_date, patient_card, PatientCard};
use crate::search::{self, full_name};
use crate::settings::validate_email;
use crate::status::{Status, HOLDS_TIME};

/// A candidate scoring at least this opens a registration review.
pub const REVIEW_THRESHOLD: i64 = 50;
pub const MAX_NOTE_CHARS: usize = 2000;
const MAX_NAME_CHARS: usize = 100;
/// The most past visits the record shows; older ones stay in the database.
const PAST_VISITS: i64 = 50;

pub const SEXES: [&str; 4] = ["female", "male", "other", "unknown"];
pub const RELATIONSHIPS: [&str; 6] = ["self", "spouse", "child", "parent", "sibling", "other"];

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CreatePatientRequest {
    pub given_name: String,
    pub family_name: String,
    /// `YYYY-MM-DD`, not in the future.
    pub date_of_birth: Option<String>,
    /// "female", "male", "other" or "unknown".
    pub sex: String,
    /// Any format; numbers without a country code are read in the clinic's region.
    pub phone: String,
    /// The patient's relationship to the phone's holder ("self" when absent): self, spouse, child,
    /// parent, sibling, other.
    pub phone_relationship: Option<String>,
    pub email: Option<String>,
    pub mrn: Option<String>,
    pub health_card: Option<String>,
    /// A language code such as "en", "fr", "hi", "pa" ("en" when absent).
    pub preferred_language: Option<String>,
    pub consent_sms: bool,
    pub consent_whatsapp: bool,
    pub consent_email: bool,
    /// Where they live (every part optional).
    #[serde(default)]
    pub address: Address,
}

/// A registered patient who may be the same person as another record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DuplicateCandidate {
    pub patient_id: i64,
    pub name: String,
    pub age: Option<i64>,
    pub date_of_birth: Option<String>,
    /// The primary phone, as the clinic writes it.
    pub phone: Option<String>,
    /// 0–100; a review opens at 50.
    pub score: i64,
    /// What they share: "same phone", "same date of birth", "same name", "similar name", "same health card".
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CreatedPatient {
    pub patient_id: i64,
    /// The registration review opened because the patient looks like someone already registered.
    pub review_id: Option<i64>,
    /// Everyone the new patient shares a phone, a health card or a birthday-and-name with, best first.
    pub candidates: Vec<DuplicateCandidate>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PatientRequest {
    pub patient_id: i64,
}

/// One visit in the patient record.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Visit {
    pub id: i64,
    /// `YYYY-MM-DD` in the clinic's zone.
    pub date: String,
    /// `HH:MM` in the clinic's zone.
    pub start_local: String,
    pub doctor_name: String,
    pub branch_name: String,
    pub service_name: String,
    pub status: Status,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PatientNote {
    pub id: i64,
    pub patient_id: i64,
    pub body: String,
    pub author_name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// Someone else on one of the patient's phones (a family member, usually).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SharedPhonePerson {
    pub patient_id: i64,
    pub name: String,
    pub age: Option<i64>,
    /// Their relationship to the phone's holder: self, spouse, child, parent, sibling, other.
    pub relationship: String,
    /// The shared number, as the clinic writes it.
    pub phone: String,
}

/// Everything about one patient on one screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Patient360 {
    pub card: PatientCard,
    pub consent_sms: bool,
    pub consent_whatsapp: bool,
    pub consent_email: bool,
    /// Unix seconds.
    pub registered_at: i64,
    /// From now on (and visits in progress), soonest first.
    pub upcoming: Vec<Visit>,
    /// Most recent first, at most 50.
    pub past: Vec<Visit>,
    /// Newest first.
    pub notes: Vec<PatientNote>,
    pub shared_phone: Vec<SharedPhonePerson>,
    /// An open registration review this patient is part of.
    pub open_review: Option<RegistrationReview>,
    /// Missed calls from the patient's numbers and their callbacks (status, attempts), newest
    /// first, at most 50. Empty when the caller may not work the callback queue.
    pub callbacks: Vec<CallbackTask>,
    /// Set when this record was merged into another; show that one instead.
    pub merged_into: Option<i64>,
    /// The merges this record took part in (kept, or merged away), newest first, undone ones
    /// included: what "Undo merge" is offered for.
    pub merges: Vec<MergeSummary>,
    /// The details as the edit form loads them (the address is shown from here).
    pub details: PatientDetails,
    /// Corrections of the details, newest first, at most 50: who, when, which fields.
    pub edits: Vec<PatientEdit>,
    /// Whether the caller may add notes, correct the details and resolve reviews.
    pub can_edit: bool,
    /// Whether the caller may merge records and undo merges.
    pub can_merge: bool,
}

/// One merge as the patient record shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeSummary {
    pub merge_id: i64,
    /// The other record of the merge.
    pub other_patient_id: i64,
    /// True when this record was kept (the other was merged into it), false when this record is
    /// the one merged away.
    pub kept_this: bool,
    /// Unix seconds.
    pub merged_at: i64,
    pub merged_by_name: Option<String>,
    /// Unix seconds; set once the merge was undone (it cannot be undone twice).
    pub undone_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AddNoteRequest {
    pub patient_id: i64,
    pub body: String,
}

/// The registration under review.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReviewPatient {
    pub patient_id: i64,
    pub name: String,
    pub age: Option<i64>,
    pub date_of_birth: Option<String>,
    pub sex: String,
    pub phone: Option<String>,
    pub mrn: Option<String>,
    /// Unix seconds.
    pub registered_at: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RegistrationReview {
    pub id: i64,
    /// Unix seconds.
    pub created_at: i64,
    pub patient: ReviewPatient,
    /// Best first.
    pub candidates: Vec<DuplicateCandidate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The same person: merge the two records into the one kept.
    Merge,
    /// Different people (family sharing a phone, a namesake): keep both.
    Distinct,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResolveReviewRequest {
    pub review_id: i64,
    pub decision: ReviewDecision,
    /// For a merge: the record to keep, the new registration or one of its candidates. When
    /// absent, the best candidate is kept and the new registration is merged into it.
    pub keep_patient_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ResolvedReview {
    pub review_id: i64,
    pub decision: ReviewDecision,
    pub kept_patient_id: Option<i64>,
    pub merged_patient_id: Option<i64>,
    /// The merge, for [`unmerge`] ("Undo").
    pub merge_id: Option<i64>,
    pub appointments_moved: i64,
    pub notes_moved: i64,
    pub phones_moved: i64,
}

/// A validated registration (a form's, or an imported row's: `import` validates each row with
/// [`validate_new_patient`] too).
#[derive(Clone)]
pub(crate) struct NewPatient {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub sex: &'static str,
    pub e164: String,
    /// The phone as the clinic writes it, formatted here from the one parse of the number
    /// (libphonenumber's parse is most of a row's cost when the importer reads 100,000).
    pub phone_display: String,
    pub relationship: &'static str,
    pub email: Option<String>,
    pub mrn: Option<String>,
    pub health_card: Option<String>,
    pub preferred_language: String,
}

fn validate_name(raw: &str, field: &'static str, what: &str) -> Result<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::invalid(field, format!("Enter the patient's {what}.")));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(field, format!("Keep the {what} under {MAX_NAME_CHARS} characters.")));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(Error::invalid(field, format!("\"{name}\" is not a name. Type the patient's {what} in letters.")));
    }
    Ok(name)
}

fn one_of(raw: &str, allowed: &'static [&'static str], field: &'static str) -> Result<&'static str> {
    let v = raw.trim().to_ascii_lowercase();
    allowed.iter().copied().find(|a| *a == v).ok_or_else(|| {
        Error::invalid(
            field,
            format!("\"{}\" is not one of the choices. Pick one of: {}.", raw.trim(), allowed.join(", ")),
        )
    })
}

fn optional(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Health-card numbers are written with spaces and dashes ("1234-567-890-AB"); store them bare.
pub fn normalise_health_card(raw: &str) -> Result<String> {
    let card: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect::<String>().to_ascii_uppercase();
    if !(4..=20).contains(&card.len()) || !card.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "health_card",
            format!("\"{}\" is not a health-card number. Type the letters and digits on the card.", raw.trim()),
        ));
    }
    Ok(card)
}

pub(crate) fn validate_new_patient(
    req: &CreatePatientRequest,
    clinic: &Clinic,
    today: NaiveDate,
) -> Result<NewPatient> {
    let given_name = validate_name(&req.given_name, "given_name", "given (first) name")?;
    let family_name = validate_name(&req.family_name, "family_name", "family name (surname)")?;
    let date_of_birth = validate_date_of_birth(&req.date_of_birth, clinic, today)?;
    let sex = one_of(&req.sex, &SEXES, "sex")?;
    let (e164, phone_display) = crate::phone::normalise_and_format(&req.phone, clinic.phone_region, "phone")?;
    let relationship = validate_relationship(&req.phone_relationship, "phone_relationship")?;
    let email = validate_email(req.email.as_deref(), "email")?;
    let mrn = validate_mrn(&req.mrn)?;
    let health_card = optional(&req.health_card).map(normalise_health_card).transpose()?;
    let preferred_language = match optional(&req.preferred_language) {
        None => clinic.languages[0].clone(),
        Some(l) => clinic::language_code(l, "preferred_language")?,
    };
    Ok(NewPatient {
        given_name,
        family_name,
        date_of_birth,
        sex,
        e164,
        phone_display,
        relationship,
        email,
        mrn,
        health_card,
        preferred_language,
    })
}

/// A date of birth: `YYYY-MM-DD`, not after `today` and not more than 130 years before it.
fn validate_date_of_birth(raw: &Option<String>, clinic: &Clinic, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let Some(d) = optional(raw) else { return Ok(None) };
    let dob = parse_date(d, "date_of_birth")?;
    let shown = || crate::clock::birth_date_label(clinic.date_order(), dob);
    if dob > today {
        return Err(Error::invalid("date_of_birth", format!("{} is in the future. Check the year of birth.", shown())));
    }
    if today.years_since(dob).unwrap_or(0) > 130 {
        return Err(Error::invalid(
            "date_of_birth",
            format!("{} is more than 130 years ago. Check the year of birth.", shown()),
        ));
    }
    Ok(Some(dob))
}

/// The patient's relationship to a phone's holder ("self" when not given).
fn validate_relationship(raw: &Option<String>, field: &'static str) -> Result<&'static str> {
    match optional(raw) {
        None => Ok("self"),
        Some(r) => one_of(r, &RELATIONSHIPS, field),
    }
}

fn validate_mrn(raw: &Option<String>) -> Result<Option<String>> {
    let Some(m) = optional(raw) else { return Ok(None) };
    if m.len() > 32 || !m.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Error::invalid(
            "mrn",
            format!("\"{m}\" is not an MRN. Use up to 32 letters, digits and dashes, as printed on the chart."),
        ));
    }
    Ok(Some(m.to_ascii_uppercase()))
}

/// Refuses an MRN another record (other than `except`) already holds; `instead` says what to do.
fn ensure_mrn_free(conn: &Connection, mrn: &str, except: Option<i64>, instead: &str) -> Result<()> {
    let holder: Option<i64> = conn
        .query_row(
            "SELECT COALESCE(merged_into, id) FROM patient WHERE mrn = ?1 COLLATE NOCASE AND id IS NOT ?2",
            params![mrn, except],
            |r| r.get(0),
        )
        .optional()?;
    match holder {
        Some(holder) => Err(Error::invalid(
            "mrn",
            format!("MRN {mrn} already belongs to patient #{holder}. Check the number, or {instead}."),
        )),
        None => Ok(()),
    }
}

/// Registers a patient and screens the registration against everyone already registered.
pub fn create_patient(ctx: &Ctx, req: CreatePatientRequest) -> Result<CreatedPatient> {
    ctx.write(Action::EditPatient, |w, _, clinic| {
        let today = local_date(clinic.timezone, w.now);
        let new = validate_new_patient(&req, clinic, today)?;
        let address = validate_address(&req.address)?;
        if let Some(mrn) = &new.mrn {
            ensure_mrn_free(w.conn(), mrn, None, "open that patient instead of registering again")?;
        }
        let consents = [req.consent_sms, req.consent_whatsapp, req.consent_email];
        let patient_id = insert_patient(w.conn(), &new, consents, &address, w.now)?;
        search::index_pending_names(w.conn())?;
        let screening = screen_registration(w.conn(), clinic, patient_id, w.now)?;
        w.audit(
            "patient.created",
            "patient",
            patient_id,
            format!(
                "registered; consents sms={} whatsapp={} email={}",
                req.consent_sms, req.consent_whatsapp, req.consent_email
            ),
        )?;
        w.publish(Event::PatientChanged { patient_id });
        if let Some(review_id) = screening.review_id {
            w.audit(
                "registration_review.opened",
                "registration_review",
                review_id,
                format!("patient {patient_id}; candidates {}", candidate_summary(&screening.candidates)),
            )?;
            w.publish(Event::ReviewsChanged);
        }
        Ok(CreatedPatient { patient_id, review_id: screening.review_id, candidates: screening.candidates })
    })
}

/// Writes a validated registration: the patient row (the triggers index its name for search)
/// and its phone as the primary mobile, formatted once for display. Registration and the
/// importer both write patients through it; the caller folds the typo index
/// (`search::index_pending_names`) once its rows are in.
pub(crate) fn insert_patient(
    conn: &Connection,
    new: &NewPatient,
    [consent_sms, consent_whatsapp, consent_email]: [bool; 3],
    address: &Address,
    now: i64,
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO patient (given_name, family_name, date_of_birth, sex, email, mrn, health_card, preferred_language,
                              consent_sms, consent_whatsapp, consent_email, created_at, updated_at,
                              address_line, city, region, postal_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16)",
    )?;
    stmt.execute(params![
        new.given_name,
        new.family_name,
        new.date_of_birth.map(|d| d.to_string()),
        new.sex,
        new.email,
        new.mrn,
        new.health_card,
        new.preferred_language,
        consent_sms,
        consent_whatsapp,
        consent_email,
        now,
        address.address_line,
        address.city,
        address.region,
        address.postal_code
    ])?;
    let patient_id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO patient_phone (patient_id, e164, label, is_primary, relationship, display)
         VALUES (?1, ?2, 'mobile', 1, ?3, ?4)",
    )?
    .execute(params![patient_id, new.e164, new.relationship, new.phone_display])?;
    Ok(patient_id)
}

/// "12 (score 85), 40 (score 60)": ids and scores only, for audit summaries.
pub(crate) fn candidate_summary(candidates: &[DuplicateCandidate]) -> String {
    candidates
        .iter()
        .filter(|c| c.score >= REVIEW_THRESHOLD)
        .map(|c| format!("{} (score {})", c.patient_id, c.score))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The outcome of screening one registration.
pub(crate) struct Screening {
    pub review_id: Option<i64>,
    pub candidates: Vec<DuplicateCandidate>,
}

/// What a registration shares with one other patient.
#[derive(Default)]
pub(crate) struct Signals {
    pub phone: bool,
    pub health_card: bool,
    pub date_of_birth: bool,
    /// A date of birth one slip of the keyboard away: day and month swapped, one digit changed,
    /// or two neighbouring digits swapped ("1988-04-02" / "1988-02-04" / "1988-04-03" / "1898-04-02").
    pub close_date_of_birth: bool,
}

/// The dates one typing slip away from `dob` (see [`Signals::close_date_of_birth`]), each a real date.
pub(crate) fn dates_one_slip_away(dob: NaiveDate) -> BTreeSet<NaiveDate> {
    let digits: Vec<u8> = dob.format("%Y%m%d").to_string().into_bytes();
    let parse =
        |d: &[u8]| -> Option<NaiveDate> { NaiveDate::parse_from_str(std::str::from_utf8(d).ok()?, "%Y%m%d").ok() };
    let mut close = BTreeSet::new();
    for i in 0..digits.len() {
        for c in b'0'..=b'9' {
            let mut d = digits.clone();
            d[i] = c;
            close.extend(parse(&d));
        }
        if i + 1 < digits.len() {
            let mut d = digits.clone();
            d.swap(i, i + 1);
            close.extend(parse(&d));
        }
    }
    close.extend(NaiveDate::from_ymd_opt(dob.year(), dob.day(), dob.month()));
    close.remove(&dob);
    close
}

/// Whether `b` is one typing slip away from `a`: `dates_one_slip_away(a).contains(&b)` without
/// building the set (the importer asks it for every namesake; `tests::one_slip_apart_is_the_set`
/// checks the two agree).
pub(crate) fn one_slip_apart(a: NaiveDate, b: NaiveDate) -> bool {
    if a == b {
        return false;
    }
    if NaiveDate::from_ymd_opt(a.year(), a.day(), a.month()) == Some(b) {
        return true;
    }
    // The digits of "%Y%m%d" without formatting (the importer asks this for every namesake).
    let digits = |d: NaiveDate| -> Option<[u8; 8]> {
        let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let mut n = year * 10_000 + d.month() * 100 + d.day();
        let mut out = [0u8; 8];
        for slot in out.iter_mut().rev() {
            *slot = (n % 10) as u8;
            n /= 10;
        }
        Some(out)
    };
    let (Some(x), Some(y)) = (digits(a), digits(b)) else {
        return dates_one_slip_away(a).contains(&b);
    };
    let diff: Vec<usize> = (0..8).filter(|i| x[*i] != y[*i]).collect();
    match diff[..] {
        [_] => true,
        [i, j] => j == i + 1 && x[i] == y[j] && x[j] == y[i],
        _ => false,
    }
}

/// Finds the patients a registration may duplicate and, when one scores at least
/// [`REVIEW_THRESHOLD`], opens a registration review listing those that do. Runs inside the
/// caller's transaction; registration and the demo seed both use it.
///
/// Candidates share a phone, the health card, or the date of birth (or one a typing slip away)
/// with a close name. The score adds up what they share: health card 60, phone 35, date of birth
/// 30 (a close one 15), the same name 40 or a similar one 25; two known dates of birth that are
/// neither the same nor close take 20 off (a sibling on the family phone).
pub(crate) fn screen_registration(conn: &Connection, clinic: &Clinic, patient_id: i64, now: i64) -> Result<Screening> {
    let (given, family, dob, health_card): (String, String, Option<String>, Option<String>) = conn.query_row(
        "SELECT given_name, family_name, date_of_birth, health_card FROM patient WHERE id = ?1",
        [patient_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut signals: BTreeMap<i64, Signals> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT o.patient_id FROM patient_phone mine
         JOIN patient_phone o ON o.e164 = mine.e164 AND o.patient_id <> mine.patient_id
         JOIN patient p ON p.id = o.patient_id
         WHERE mine.patient_id = ?1 AND p.merged_into IS NULL",
    )?;
    for id in stmt.query_map([patient_id], |r| r.get::<_, i64>(0))? {
        signals.entry(id?).or_default().phone = true;
    }
    if let Some(card) = &health_card {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM patient WHERE health_card = ?1 COLLATE NOCASE AND id <> ?2 AND merged_into IS NULL",
        )?;
        for id in stmt.query_map(params![card, patient_id], |r| r.get::<_, i64>(0))? {
            signals.entry(id?).or_default().health_card = true;
        }
    }
    if let Some(dob) = &dob {
        let mut stmt = conn
            .prepare_cached("SELECT id FROM patient WHERE date_of_birth = ?1 AND id <> ?2 AND merged_into IS NULL")?;
        for id in stmt.query_map(params![dob, patient_id], |r| r.get::<_, i64>(0))? {
            signals.entry(id?).or_default().date_of_birth = true;
        }
        if let Ok(exact) = NaiveDate::parse_from_str(dob, "%Y-%m-%d") {
            for close in dates_one_slip_away(exact) {
                for id in stmt.query_map(params![close.to_string(), patient_id], |r| r.get::<_, i64>(0))? {
                    signals.entry(id?).or_default().close_date_of_birth = true;
                }
            }
        }
    }

    let today = local_date(clinic.timezone, now);
    let mut candidates = Vec::new();
    for (id, s) in signals {
        let c = summary(conn, clinic, id, today)?;
        let (c_given, c_family): (String, String) =
            conn.query_row("SELECT given_name, family_name FROM patient WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let similarity = name_similarity((&given, &family), (&c_given, &c_family));
        let both_dates = dob.is_some() && c.date_of_birth.is_some();
        let Some((score, reasons)) = score_pair(&s, similarity, both_dates) else { continue };
        candidates.push(DuplicateCandidate {
            patient_id: id,
            name: c.name,
            age: c.age,
            date_of_birth: c.date_of_birth,
            phone: c.phone,
            score,
            reasons,
        });
    }
    candidates.sort_by(|a, b| b.score.cmp(&a.score).then(a.patient_id.cmp(&b.patient_id)));

    // A pair already put to a person — decided distinct, or listed in the other record's review —
    // is not asked about again. (Only an edit screens a patient twice; a new registration has
    // no such pairs.)
    let mut settled = conn.prepare_cached(
        "SELECT c.candidate_id FROM registration_review r JOIN review_candidate c ON c.review_id = r.id
          WHERE r.patient_id = ?1 AND r.status = 'distinct'
         UNION
         SELECT r.patient_id FROM review_candidate c JOIN registration_review r ON r.id = c.review_id
          WHERE c.candidate_id = ?1 AND r.status IN ('open', 'distinct')",
    )?;
    let settled: BTreeSet<i64> = settled.query_map([patient_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let likely: Vec<&DuplicateCandidate> =
        candidates.iter().filter(|c| c.score >= REVIEW_THRESHOLD && !settled.contains(&c.patient_id)).collect();
    if likely.is_empty() {
        return Ok(Screening { review_id: None, candidates });
    }
    let likely: Vec<(i64, i64, String)> =
        likely.iter().map(|c| (c.patient_id, c.score, c.reasons.join(", "))).collect();
    let review_id = open_review(conn, patient_id, now, &likely)?;
    Ok(Screening { review_id: Some(review_id), candidates })
}

/// Opens (or adds to) the registration review of `patient_id` with its likely duplicates
/// `(candidate, score, reasons)`. Screening writes its reviews through it; so does the importer,
/// whose preview scored the same pairs with [`score_pair`].
pub(crate) fn open_review(conn: &Connection, patient_id: i64, now: i64, likely: &[(i64, i64, String)]) -> Result<i64> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM registration_review WHERE patient_id = ?1 AND status = 'open'")?
        .query_row([patient_id], |r| r.get(0))
        .optional()?;
    let review_id = match existing {
        Some(id) => id,
        None => {
            conn.prepare_cached("INSERT INTO registration_review (patient_id, created_at) VALUES (?1, ?2)")?
                .execute(params![patient_id, now])?;
            conn.last_insert_rowid()
        }
    };
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO review_candidate (review_id, candidate_id, score, reasons) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (candidate, score, reasons) in likely {
        insert.execute(params![review_id, candidate, score, reasons])?;
    }
    Ok(review_id)
}

/// The score (0–100) and reasons of one pair, from what they share and how alike their names are
/// ([`name_similarity`]); `None` when they share only a birthday (or nearly) without close names,
/// which is no sign at all. `both_dates` is whether both dates of birth are known. Registration
/// screening and the importer's preview score every pair with it.
pub(crate) fn score_pair(s: &Signals, similarity: f64, both_dates: bool) -> Option<(i64, Vec<String>)> {
    let same_name = similarity >= 1.0;
    let similar_name = !same_name && similarity >= SIMILAR_NAME;
    if !s.phone && !s.health_card && !same_name && !similar_name {
        return None;
    }
    let mut score = 0;
    let mut reasons = Vec::new();
    for (present, points, reason) in [
        (s.health_card, 60, "same health card"),
        (s.phone, 35, "same phone"),
        (s.date_of_birth, 30, "same date of birth"),
        (s.close_date_of_birth, 15, "close date of birth"),
        (same_name, 40, "same name"),
        (similar_name, 25, "similar name"),
    ] {
        if present {
            score += points;
            reasons.push(reason.to_owned());
        }
    }
    if both_dates && !s.date_of_birth && !s.close_date_of_birth {
        score -= 20;
    }
    Some((score.clamp(0, 100), reasons))
}

/// Jaro-Winkler similarity from which two full names count as "similar" (one typo or a doubled
/// letter in a first name, "Priya"/"Priyaa"), above what siblings on one phone usually reach.
const SIMILAR_NAME: f64 = 0.9;

/// How alike two names are (1.0 = the same after folding case and accents), in either word order.
pub(crate) fn name_similarity(a: (&str, &str), b: (&str, &str)) -> f64 {
    let words = |given: &str, family: &str| -> String {
        [search::name_words(given), search::name_words(family)].concat().join(" ")
    };
    let a_full = words(a.0, a.1);
    let b_full = words(b.0, b.1);
    let b_swapped = words(b.1, b.0);
    if a_full == b_full || a_full == b_swapped {
        return 1.0;
    }
    strsim::jaro_winkler(&a_full, &b_full).max(strsim::jaro_winkler(&a_full, &b_swapped)).min(0.999)
}

/// One patient as a review shows them.
fn summary(conn: &Connection, clinic: &Clinic, id: i64, today: NaiveDate) -> Result<ReviewPatient> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.given_name, p.family_name, p.date_of_birth, p.sex, p.mrn, p.created_at,
                ph.e164, ph.display
         FROM patient p
         LEFT JOIN patient_phone ph ON ph.id =
             (SELECT id FROM patient_phone WHERE patient_id = p.id ORDER BY is_primary DESC, id LIMIT 1)
         WHERE p.id = ?1",
    )?;
    let row = stmt
        .query_row([id], |r| {
            let dob: Option<String> = r.get(2)?;
            let e164: Option<String> = r.get(6)?;
            let display: Option<String> = r.get(7)?;
            Ok(ReviewPatient {
                patient_id: id,
                name: full_name(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?),
                age: age_on(dob.clone(), today),
                date_of_birth: dob,
                sex: r.get(3)?,
                phone: e164.map(|e| crate::phone::shown(&e, display, clinic.phone_region)),
                mrn: r.get(4)?,
                registered_at: r.get(5)?,
            })
        })
        .optional()?;
    row.ok_or_else(|| patient_not_found(id))
}

fn patient_not_found(id: i64) -> Error {
    Error::NotFound(format!("Patient #{id} was not found. Search again by name or phone."))
}

/// The whole record of one patient: card, consents, visits, notes, family on the same phone, and
/// the merges it took part in.
pub fn patient_record(ctx: &Ctx, req: PatientRequest) -> Result<Patient360> {
    ctx.read(Action::ViewPatient, |conn, caller, clinic| {
        let tz = clinic.timezone;
        let today = local_date(tz, ctx.now);
        let id = req.patient_id;
        let (consent_sms, consent_whatsapp, consent_email, registered_at, merged_into): (
            bool,
            bool,
            bool,
            i64,
            Option<i64>,
        ) = conn
            .query_row(
                "SELECT consent_sms, consent_whatsapp, consent_email, created_at, merged_into FROM patient WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?
            .ok_or_else(|| patient_not_found(id))?;
        let card = patient_card(conn, clinic, id, today)?;

        // A visit in progress counts as upcoming: it is what the desk is dealing with now.
        let visits = |upcoming: bool| -> Result<Vec<Visit>> {
            let sql = format!(
                "SELECT a.id, a.starts_at, d.display_name, b.name, s.name, a.status, a.reason
                 FROM appointment a JOIN doctor d ON d.id = a.doctor_id JOIN branch b ON b.id = a.branch_id
                 JOIN service s ON s.id = a.service_id
                 WHERE a.patient_id = ?1 AND {} (a.starts_at >= ?2 OR a.status IN ('arrived','in_room'))
                 ORDER BY a.starts_at {} LIMIT ?3",
                if upcoming { "" } else { "NOT" },
                if upcoming { "ASC" } else { "DESC" }
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![id, ctx.now, if upcoming { 200 } else { PAST_VISITS }], |r| {
                let starts_at: i64 = r.get(1)?;
                let local = chrono::DateTime::from_timestamp(starts_at, 0).unwrap_or_default().with_timezone(&tz);
                let status: String = r.get(5)?;
                Ok(Visit {
                    id: r.get(0)?,
                    date: local.date_naive().to_string(),
                    start_local: local.format("%H:%M").to_string(),
                    doctor_name: r.get(2)?,
                    branch_name: r.get(3)?,
                    service_name: r.get(4)?,
                    status: Status::parse(&status).unwrap_or(Status::Booked),
                    reason: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let upcoming = visits(true)?;
        let past = visits(false)?;

        let mut stmt = conn.prepare_cached(
            "SELECT n.id, n.body, s.display_name, n.created_at FROM patient_note n JOIN staff s ON s.id = n.author_staff_id
             WHERE n.patient_id = ?1 ORDER BY n.created_at DESC, n.id DESC LIMIT 200",
        )?;
        let notes = stmt
            .query_map([id], |r| {
                Ok(PatientNote {
                    id: r.get(0)?,
                    patient_id: id,
                    body: r.get(1)?,
                    author_name: r.get(2)?,
                    created_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = conn.prepare_cached(
            "SELECT o.patient_id, p.given_name, p.family_name, p.date_of_birth, o.relationship, o.e164, o.display
             FROM patient_phone mine
             JOIN patient_phone o ON o.e164 = mine.e164 AND o.patient_id <> mine.patient_id
             JOIN patient p ON p.id = o.patient_id
             WHERE mine.patient_id = ?1 AND p.merged_into IS NULL
             GROUP BY o.patient_id ORDER BY p.family_name, p.given_name, o.patient_id",
        )?;
        let shared_phone = stmt
            .query_map([id], |r| {
                let e164: String = r.get(5)?;
                Ok(SharedPhonePerson {
                    patient_id: r.get(0)?,
                    name: full_name(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?),
                    age: age_on(r.get(3)?, today),
                    relationship: r.get(4)?,
                    phone: crate::phone::shown(&e164, r.get(6)?, clinic.phone_region),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let open_review_id: Option<i64> = conn
            .query_row(
                "SELECT id FROM registration_review WHERE status = 'open'
                   AND (patient_id = ?1 OR id IN (SELECT review_id FROM review_candidate WHERE candidate_id = ?1))
                 ORDER BY created_at, id LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let open_review = open_review_id.map(|r| load_review(conn, clinic, today, r)).transpose()?;
        // The callback history belongs to the queues: only those who work them see it here.
        let callbacks = if caller.may(Action::WorkQueues) {
            callbacks::callbacks_of_patient(conn, clinic, id)?
        } else {
            Vec::new()
        };

        ctx.note_read(caller, "patient.viewed", "patient", [id]);
        Ok(Patient360 {
            card,
            consent_sms,
            consent_whatsapp,
            consent_email,
            registered_at,
            upcoming,
            past,
            notes,
            shared_phone,
            open_review,
            callbacks,
            merged_into,
            merges: merges_of(conn, id)?,
            details: patient_details(conn, clinic, id)?,
            edits: edits_of(conn, id)?,
            can_edit: caller.may(Action::EditPatient),
            can_merge: caller.may(Action::MergePatients),
        })
    })
}

/// The merges a patient took part in, newest first, undone ones included.
fn merges_of(conn: &Connection, patient_id: i64) -> Result<Vec<MergeSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.kept_id, m.merged_id, m.merged_at, s.display_name, m.undone_at
         FROM patient_merge m LEFT JOIN staff s ON s.id = m.merged_by
         WHERE m.kept_id = ?1 OR m.merged_id = ?1 ORDER BY m.merged_at DESC, m.id DESC",
    )?;
    let rows = stmt.query_map([patient_id], |r| {
        let (kept, merged): (i64, i64) = (r.get(1)?, r.get(2)?);
        Ok(MergeSummary {
            merge_id: r.get(0)?,
            kept_this: kept == patient_id,
            other_patient_id: if kept == patient_id { merged } else { kept },
            merged_at: r.get(3)?,
            merged_by_name: r.get(4)?,
            undone_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a note to a patient's record.
pub fn add_patient_note(ctx: &Ctx, req: AddNoteRequest) -> Result<PatientNote> {
    ctx.write(Action::EditPatient, |w, caller, _| {
        let body = req.body.trim();
        if body.is_empty() {
            return Err(Error::invalid("body", "Type the note first."));
        }
        let chars = body.chars().count();
        if chars > MAX_NOTE_CHARS {
            return Err(Error::invalid(
                "body",
                format!("Keep the note under {MAX_NOTE_CHARS} characters (it has {chars}). Split it into two notes."),
            ));
        }
        let merged_into: Option<i64> = w
            .conn()
            .query_row("SELECT merged_into FROM patient WHERE id = ?1", [req.patient_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| patient_not_found(req.patient_id))?;
        if let Some(kept) = merged_into {
            return Err(Error::Conflict(format!(
                "Patient #{} was merged into patient #{kept}. Open that record and add the note there.",
                req.patient_id
            )));
        }
        w.conn().execute(
            "INSERT INTO patient_note (patient_id, body, author_staff_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![req.patient_id, body, caller.staff_id, w.now],
        )?;
        let note_id = w.conn().last_insert_rowid();
        w.audit("patient.note_added", "patient", req.patient_id, format!("note {note_id}"))?;
        w.publish(Event::PatientChanged { patient_id: req.patient_id });
        Ok(PatientNote {
            id: note_id,
            patient_id: req.patient_id,
            body: body.to_owned(),
            author_name: caller.display_name.clone(),
            created_at: w.now,
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Correcting a patient's details.

/// The most phones one record keeps (a merge brings the other record's along).
const MAX_PHONES: usize = 10;
/// The field an error about the n-th phone of an edit names (`phones.0` is the primary).
const PHONE_FIELDS: [&str; MAX_PHONES] = [
    "phones.0", "phones.1", "phones.2", "phones.3", "phones.4", "phones.5", "phones.6", "phones.7", "phones.8",
    "phones.9",
];
pub const PHONE_LABELS: [&str; 4] = ["mobile", "home", "work", "other"];
const MAX_ADDRESS_LINE_CHARS: usize = 200;
const MAX_PLACE_CHARS: usize = 100;

/// A postal address, as clinics take it at registration; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Address {
    /// Street and number, flat or unit.
    pub address_line: Option<String>,
    pub city: Option<String>,
    /// Province or state.
    pub region: Option<String>,
    pub postal_code: Option<String>,
}

/// One phone of an edit.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PhoneInput {
    /// The stored phone this row corrects (`PatientDetails.phones[].id`); null for a number added.
    pub id: Option<i64>,
    /// Any format; numbers without a country code are read in the clinic's region.
    pub number: String,
    /// mobile, home, work or other ("mobile" when absent).
    pub label: Option<String>,
    /// The patient's relationship to the phone's holder ("self" when absent): self, spouse,
    /// child, parent, sibling, other.
    pub relationship: Option<String>,
}

/// A correction of a patient's details: the whole form, as loaded and then changed.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdatePatientRequest {
    pub patient_id: i64,
    /// `PatientDetails.version` as the form was loaded: the edit is refused if the record
    /// changed since.
    pub version: i64,
    pub given_name: String,
    pub family_name: String,
    /// `YYYY-MM-DD`, not in the future; null when not known.
    pub date_of_birth: Option<String>,
    /// "female", "male", "other" or "unknown".
    pub sex: String,
    /// Every phone the record keeps, the primary first (at least one); a stored phone left out
    /// is removed.
    pub phones: Vec<PhoneInput>,
    pub email: Option<String>,
    pub mrn: Option<String>,
    pub health_card: Option<String>,
    /// A language code such as "en", "fr", "hi", "pa".
    pub preferred_language: String,
    pub address: Address,
    pub consent_sms: bool,
    pub consent_whatsapp: bool,
    pub consent_email: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdatedPatient {
    pub patient_id: i64,
    /// The record's version now: what the next edit carries.
    pub version: i64,
    /// The fields changed (`family_name`, `phones`, `postal_code`, …); empty when the form
    /// changed nothing (then nothing was written).
    pub changed: Vec<String>,
    /// The open registration review the edited patient was screened into: they now look like
    /// someone already registered.
    pub review_id: Option<i64>,
    /// Everyone the edited patient shares a phone, a health card or a birthday-and-name with,
    /// best first. Screened again only when a name, the date of birth, the health card or the
    /// phones changed; empty otherwise.
    pub candidates: Vec<DuplicateCandidate>,
}

/// A stored phone as the edit form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DetailPhone {
    pub id: i64,
    pub e164: String,
    /// As the clinic writes it.
    pub display: String,
    pub label: String,
    pub relationship: String,
}

/// A patient's details as the edit form loads them (and the record shows the address).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PatientDetails {
    /// Carried back in [`UpdatePatientRequest::version`].
    pub version: i64,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub sex: String,
    /// The primary first.
    pub phones: Vec<DetailPhone>,
    pub email: Option<String>,
    pub mrn: Option<String>,
    pub health_card: Option<String>,
    pub preferred_language: String,
    pub address: Address,
    pub consent_sms: bool,
    pub consent_whatsapp: bool,
    pub consent_email: bool,
}

/// One correction of the record as its history shows it: who, when and which fields. The values
/// before and after stay in the database (`patient_edit`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PatientEdit {
    /// Unix seconds.
    pub at: i64,
    pub staff_name: Option<String>,
    /// `given_name`, `phones`, `postal_code`, … in the form's order.
    pub fields: Vec<String>,
}

/// The patient's own columns an edit may change, in the form's order (phones come after `sex`).
/// Names are spliced into SQL: only these.
const EDITED_COLUMNS: [&str; 15] = [
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "email",
    "mrn",
    "health_card",
    "preferred_language",
    "address_line",
    "city",
    "region",
    "postal_code",
    "consent_sms",
    "consent_whatsapp",
    "consent_email",
];

/// The fields whose change can make a patient look like someone else (what the screening reads).
const SCREENED_FIELDS: [&str; 5] = ["given_name", "family_name", "date_of_birth", "health_card", "phones"];

/// A validated phone of an edit.
#[derive(Debug, Clone)]
struct ValidPhone {
    id: Option<i64>,
    e164: String,
    label: String,
    relationship: &'static str,
}

/// A validated edit: the patient's columns ([`EDITED_COLUMNS`], in order) and the phones.
struct Edited {
    columns: Vec<Value>,
    phones: Vec<ValidPhone>,
}

/// One field an edit changes, with its value before and after.
struct FieldChange {
    field: &'static str,
    before: Value,
    after: Value,
}

fn optional_text(raw: &Option<String>, field: &'static str, what: &str, max: usize) -> Result<Option<String>> {
    let Some(text) = optional(raw) else { return Ok(None) };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = text.chars().count();
    if chars > max {
        return Err(Error::invalid(field, format!("Keep the {what} under {max} characters (it has {chars}).")));
    }
    Ok(Some(text))
}

/// An address with its parts tidied (spaces collapsed, postal codes upper-cased) and checked.
fn validate_address(a: &Address) -> Result<Address> {
    let address_line = optional_text(&a.address_line, "address_line", "street address", MAX_ADDRESS_LINE_CHARS)?;
    let city = optional_text(&a.city, "city", "city", MAX_PLACE_CHARS)?;
    if let Some(c) = &city {
        if !c.chars().any(char::is_alphabetic) {
            return Err(Error::invalid("city", format!("\"{c}\" is not a city. Type the city or town in letters.")));
        }
    }
    let region = optional_text(&a.region, "region", "province or state", MAX_PLACE_CHARS)?;
    let postal_code = match optional_text(&a.postal_code, "postal_code", "postal code", 12)? {
        None => None,
        Some(p) => {
            if p.len() < 3 || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
                return Err(Error::invalid(
                    "postal_code",
                    format!("\"{p}\" is not a postal code. Type it as written on mail, e.g. V6C 3C3 or 560001."),
                ));
            }
            Some(p.to_ascii_uppercase())
        }
    };
    Ok(Address { address_line, city, region, postal_code })
}

/// Checks every field of an edit with the rules registration uses.
fn validate_edit(req: &UpdatePatientRequest, clinic: &Clinic, today: NaiveDate) -> Result<Edited> {
    let given_name = validate_name(&req.given_name, "given_name", "given (first) name")?;
    let family_name = validate_name(&req.family_name, "family_name", "family name (surname)")?;
    let date_of_birth = validate_date_of_birth(&req.date_of_birth, clinic, today)?;
    let sex = one_of(&req.sex, &SEXES, "sex")?;
    if req.phones.is_empty() {
        return Err(Error::invalid(
            PHONE_FIELDS[0],
            "Enter a phone number: the desk needs one way to reach the patient.",
        ));
    }
    if req.phones.len() > MAX_PHONES {
        return Err(Error::invalid(
            PHONE_FIELDS[MAX_PHONES - 1],
            format!("Keep at most {MAX_PHONES} phone numbers; remove the ones no longer used."),
        ));
    }
    let mut phones: Vec<ValidPhone> = Vec::with_capacity(req.phones.len());
    for (p, field) in req.phones.iter().zip(PHONE_FIELDS) {
        let e164 = phone::normalise(&p.number, clinic.phone_region, field)?;
        if phones.iter().any(|q| q.e164 == e164) {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is already listed above. Remove one of the two rows.",
                    phone::display(&e164, clinic.phone_region)
                ),
            ));
        }
        if p.id.is_some() && phones.iter().any(|q| q.id == p.id) {
            return Err(Error::invalid(field, "This phone is listed twice. Reload the record and edit it again."));
        }
        let label = match optional(&p.label) {
            None => "mobile",
            Some(l) => one_of(l, &PHONE_LABELS, field)?,
        };
        let relationship = validate_relationship(&p.relationship, field)?;
        phones.push(ValidPhone { id: p.id, e164, label: label.to_owned(), relationship });
    }
    let email = validate_email(req.email.as_deref(), "email")?;
    let mrn = validate_mrn(&req.mrn)?;
    let health_card = optional(&req.health_card).map(normalise_health_card).transpose()?;
    let preferred_language = clinic::language_code(&req.preferred_language, "preferred_language")?;
    let address = validate_address(&req.address)?;
    let text = |v: Option<String>| v.map(Value::Text).unwrap_or(Value::Null);
    let columns = vec![
        Value::Text(given_name),
        Value::Text(family_name),
        text(date_of_birth.map(|d| d.to_string())),
        Value::Text(sex.to_owned()),
        text(email),
        text(mrn),
        text(health_card),
        Value::Text(preferred_language),
        text(address.address_line),
        text(address.city),
        text(address.region),
        text(address.postal_code),
        Value::Integer(req.consent_sms.into()),
        Value::Integer(req.consent_whatsapp.into()),
        Value::Integer(req.consent_email.into()),
    ];
    Ok(Edited { columns, phones })
}

/// A stored phone of the record being edited.
struct StoredPhone {
    id: i64,
    e164: String,
    label: String,
    relationship: String,
    is_primary: bool,
    display: Option<String>,
}

/// The record's phones, the primary first (as the record and the edit form list them).
fn stored_phones(conn: &Connection, patient_id: i64) -> Result<Vec<StoredPhone>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, e164, label, relationship, is_primary, display FROM patient_phone
         WHERE patient_id = ?1 ORDER BY is_primary DESC, id",
    )?;
    let rows = stmt.query_map([patient_id], |r| {
        Ok(StoredPhone {
            id: r.get(0)?,
            e164: r.get(1)?,
            label: r.get(2)?,
            relationship: r.get(3)?,
            is_primary: r.get(4)?,
            display: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A list of phones as an edit records it: JSON, primary first, E.164 with label and relationship.
fn phones_json<'a>(phones: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Value {
    let list: Vec<serde_json::Value> = phones
        .map(|(e164, label, relationship)| serde_json::json!({"number": e164, "label": label, "relationship": relationship}))
        .collect();
    Value::Text(serde_json::Value::Array(list).to_string())
}

/// Where an edit's phones land: each listed phone with the stored row it corrects (`id`; none for
/// a new row), in the order the record will list them — the primary, then stored rows by id, then
/// new ones — and the stored rows it removes.
struct PhonePlan {
    phones: Vec<ValidPhone>,
    removed: Vec<i64>,
}

/// Lays an edit's phones over the stored ones. A number typed in again that the record already
/// has takes its stored row back rather than becoming a second one.
fn plan_phones(stored: &[StoredPhone], wanted: &[ValidPhone]) -> Result<PhonePlan> {
    let mut phones: Vec<ValidPhone> = wanted.to_vec();
    if let Some(id) = phones.iter().filter_map(|p| p.id).find(|id| !stored.iter().any(|s| s.id == *id)) {
        return Err(Error::Conflict(format!(
            "Phone #{id} is no longer on this record: someone else changed the patient's phones. Reload the record, then make your change again."
        )));
    }
    for i in 0..phones.len() {
        if phones[i].id.is_none() {
            let taken = |id: i64| phones.iter().any(|p| p.id == Some(id));
            phones[i].id = stored.iter().find(|s| s.e164 == phones[i].e164 && !taken(s.id)).map(|s| s.id);
        }
    }
    let removed: Vec<i64> =
        stored.iter().map(|s| s.id).filter(|id| !phones.iter().any(|p| p.id == Some(*id))).collect();
    if phones.len() > 1 {
        phones[1..].sort_by_key(|p| (p.id.is_none(), p.id.unwrap_or(0)));
    }
    Ok(PhonePlan { phones, removed })
}

/// Writes the planned phones: removes the rows left out, corrects the rows listed (the display
/// formatted again when the number changed), adds the new ones; the first is the primary.
fn write_phones(
    conn: &Connection,
    clinic: &Clinic,
    patient_id: i64,
    stored: &[StoredPhone],
    plan: &PhonePlan,
) -> Result<()> {
    for id in &plan.removed {
        conn.execute("DELETE FROM patient_phone WHERE id = ?1", [id])?;
    }
    for (i, p) in plan.phones.iter().enumerate() {
        let primary = i == 0;
        match p.id.and_then(|id| stored.iter().find(|s| s.id == id)) {
            Some(s) => {
                if s.e164 == p.e164 && s.label == p.label && s.relationship == p.relationship && s.is_primary == primary
                {
                    continue;
                }
                let display = if s.e164 == p.e164 && s.display.is_some() {
                    s.display.clone()
                } else {
                    Some(phone::format(&p.e164, clinic.phone_region))
                };
                conn.execute(
                    "UPDATE patient_phone SET e164 = ?2, label = ?3, relationship = ?4, is_primary = ?5, display = ?6
                     WHERE id = ?1",
                    params![s.id, p.e164, p.label, p.relationship, primary, display],
                )?;
            }
            None => {
                conn.execute(
                    "INSERT INTO patient_phone (patient_id, e164, label, is_primary, relationship, display)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        patient_id,
                        p.e164,
                        p.label,
                        primary,
                        p.relationship,
                        phone::format(&p.e164, clinic.phone_region)
                    ],
                )?;
            }
        }
    }
    Ok(())
}

/// The audit summary of an edit: which fields changed, never their values ("changed family
/// name, phones, address; SMS consent withdrawn; version 4"). Consents say which way they went,
/// as registration's entry does.
fn edit_summary(changes: &[FieldChange], version: i64) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut consents: Vec<String> = Vec::new();
    for c in changes {
        let word = match c.field {
            "consent_sms" | "consent_whatsapp" | "consent_email" => {
                let channel = match c.field {
                    "consent_sms" => "SMS",
                    "consent_whatsapp" => "WhatsApp",
                    _ => "email",
                };
                let way = if c.after == Value::Integer(1) { "given" } else { "withdrawn" };
                consents.push(format!("{channel} consent {way}"));
                continue;
            }
            "given_name" => "given name",
            "family_name" => "family name",
            "date_of_birth" => "date of birth",
            "mrn" => "MRN",
            "health_card" => "health card",
            "preferred_language" => "preferred language",
            "address_line" | "city" | "region" | "postal_code" => "address",
            other => other,
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if !words.is_empty() {
        parts.push(format!("changed {}", words.join(", ")));
    }
    parts.extend(consents);
    parts.push(format!("version {version}"));
    parts.join("; ")
}

/// Corrects a patient's details: names, date of birth, sex, phones, email, identifiers,
/// language, address and consents, in one change. The form carries the record's version back,
/// and a record changed since is refused (reload and edit again). Every changed value is kept
/// before and after (`patient_edit`) under the edit's audit entry, whose summary names only the
/// fields. A change to what makes two records look alike (names, date of birth, health card,
/// phones) runs the registration's duplicate screening again, which may open a review.
pub fn update_patient(ctx: &Ctx, req: UpdatePatientRequest) -> Result<UpdatedPatient> {
    ctx.write(Action::EditPatient, |w, caller, clinic| {
        let id = req.patient_id;
        let select = format!("SELECT version, merged_into, {} FROM patient WHERE id = ?1", EDITED_COLUMNS.join(", "));
        let (version, merged_into, before): (i64, Option<i64>, Vec<Value>) = w
            .conn()
            .query_row(&select, [id], |r| {
                Ok((r.get(0)?, r.get(1)?, (0..EDITED_COLUMNS.len()).map(|i| r.get(i + 2)).collect::<rusqlite::Result<_>>()?))
            })
            .optional()?
            .ok_or_else(|| patient_not_found(id))?;
        if let Some(kept) = merged_into {
            return Err(Error::Conflict(format!(
                "Patient #{id} was merged into patient #{kept}. Open that record and correct the details there."
            )));
        }
        if version != req.version {
            return Err(Error::Conflict(format!(
                "Someone else changed patient #{id}'s details after you opened the form. Nothing was saved: reload the record to see their change, then make yours again."
            )));
        }
        let today = local_date(clinic.timezone, w.now);
        let edited = validate_edit(&req, clinic, today)?;
        let stored = stored_phones(w.conn(), id)?;
        let plan = plan_phones(&stored, &edited.phones)?;

        // In the form's order: the phones come after sex.
        let mut changes: Vec<FieldChange> = EDITED_COLUMNS
            .iter()
            .zip(&before)
            .zip(&edited.columns)
            .filter(|((_, old), new)| old != new)
            .map(|((field, old), new)| FieldChange { field, before: old.clone(), after: new.clone() })
            .collect();
        let old_phones = phones_json(stored.iter().map(|s| (s.e164.as_str(), s.label.as_str(), s.relationship.as_str())));
        let new_phones = phones_json(plan.phones.iter().map(|p| (p.e164.as_str(), p.label.as_str(), p.relationship)));
        if old_phones != new_phones {
            let at = changes.iter().take_while(|c| EDITED_COLUMNS[..4].contains(&c.field)).count();
            changes.insert(at, FieldChange { field: "phones", before: old_phones, after: new_phones });
        }
        if changes.is_empty() {
            w.nothing_changed();
            return Ok(UpdatedPatient { patient_id: id, version, changed: Vec::new(), review_id: None, candidates: Vec::new() });
        }
        if let Some(Value::Text(mrn)) = changes.iter().find(|c| c.field == "mrn").map(|c| &c.after) {
            ensure_mrn_free(w.conn(), mrn, Some(id), "if both records are the same person, have them merged")?;
        }

        let columns: Vec<&FieldChange> = changes.iter().filter(|c| c.field != "phones").collect();
        let assignments: Vec<String> =
            columns.iter().enumerate().map(|(i, c)| format!("{} = ?{}", c.field, i + 3)).collect();
        let mut values: Vec<&dyn ToSql> = vec![&id, &w.now];
        values.extend(columns.iter().map(|c| &c.after as &dyn ToSql));
        let set = assignments.iter().map(|a| format!("{a}, ")).collect::<String>();
        w.conn().execute(
            &format!("UPDATE patient SET {set}version = version + 1, updated_at = ?2 WHERE id = ?1"),
            values.as_slice(),
        )?;
        if changes.iter().any(|c| c.field == "phones") {
            write_phones(w.conn(), clinic, id, &stored, &plan)?;
        }
        if changes.iter().any(|c| matches!(c.field, "given_name" | "family_name")) {
            search::index_pending_names(w.conn())?;
        }

        let version = version + 1;
        let seq = w.audit("patient.edited", "patient", id, edit_summary(&changes, version))?;
        {
            let mut insert = w.conn().prepare_cached(
                "INSERT INTO patient_edit (patient_id, audit_seq, at, staff_id, field, before, after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for c in &changes {
                insert.execute(params![id, seq, w.now, caller.staff_id, c.field, c.before, c.after])?;
            }
        }
        w.publish(Event::PatientChanged { patient_id: id });
        // Day views from today on show the patient's name with each appointment.
        let appointments: Vec<(i64, i64)> = w
            .conn()
            .prepare_cached("SELECT id, starts_at FROM appointment WHERE patient_id = ?1 AND starts_at >= ?2")?
            .query_map(params![id, w.now - 86_400], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        publish_moved(w, clinic, &Moved { appointments, ..Moved::default() });

        let (review_id, candidates) = if changes.iter().any(|c| SCREENED_FIELDS.contains(&c.field)) {
            let open_before: Option<i64> = w
                .conn()
                .query_row(
                    "SELECT id FROM registration_review WHERE patient_id = ?1 AND status = 'open'",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let screening = screen_registration(w.conn(), clinic, id, w.now)?;
            if let Some(review_id) = screening.review_id {
                let (action, what) = if open_before == Some(review_id) {
                    ("registration_review.updated", "screened again after an edit")
                } else {
                    ("registration_review.opened", "after an edit")
                };
                // The look-alikes the review lists (a pair decided before is reported, not listed).
                let listed: BTreeSet<i64> = w
                    .conn()
                    .prepare_cached("SELECT candidate_id FROM review_candidate WHERE review_id = ?1")?
                    .query_map([review_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let in_review: Vec<DuplicateCandidate> =
                    screening.candidates.iter().filter(|c| listed.contains(&c.patient_id)).cloned().collect();
                w.audit(
                    action,
                    "registration_review",
                    review_id,
                    format!("patient {id} {what}; candidates {}", candidate_summary(&in_review)),
                )?;
                w.publish(Event::ReviewsChanged);
            }
            (screening.review_id, screening.candidates)
        } else {
            (None, Vec::new())
        };
        Ok(UpdatedPatient {
            patient_id: id,
            version,
            changed: changes.iter().map(|c| c.field.to_owned()).collect(),
            review_id,
            candidates,
        })
    })
}

/// The record's details as the edit form loads them.
fn patient_details(conn: &Connection, clinic: &Clinic, id: i64) -> Result<PatientDetails> {
    let mut details = conn
        .query_row(
            "SELECT version, given_name, family_name, date_of_birth, sex, email, mrn, health_card, preferred_language,
                    address_line, city, region, postal_code, consent_sms, consent_whatsapp, consent_email
             FROM patient WHERE id = ?1",
            [id],
            |r| {
                Ok(PatientDetails {
                    version: r.get(0)?,
                    given_name: r.get(1)?,
                    family_name: r.get(2)?,
                    date_of_birth: r.get(3)?,
                    sex: r.get(4)?,
                    phones: Vec::new(),
                    email: r.get(5)?,
                    mrn: r.get(6)?,
                    health_card: r.get(7)?,
                    preferred_language: r.get(8)?,
                    address: Address {
                        address_line: r.get(9)?,
                        city: r.get(10)?,
                        region: r.get(11)?,
                        postal_code: r.get(12)?,
                    },
                    consent_sms: r.get(13)?,
                    consent_whatsapp: r.get(14)?,
                    consent_email: r.get(15)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| patient_not_found(id))?;
    details.phones = stored_phones(conn, id)?
        .into_iter()
        .map(|s| DetailPhone {
            id: s.id,
            display: phone::shown(&s.e164, s.display, clinic.phone_region),
            e164: s.e164,
            label: s.label,
            relationship: s.relationship,
        })
        .collect();
    Ok(details)
}

/// The record's corrections, newest first (at most 50): who, when and which fields.
fn edits_of(conn: &Connection, patient_id: i64) -> Result<Vec<PatientEdit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.audit_seq, e.at, s.display_name, e.field FROM patient_edit e LEFT JOIN staff s ON s.id = e.staff_id
         WHERE e.patient_id = ?1 ORDER BY e.audit_seq DESC, e.id LIMIT 1000",
    )?;
    let mut rows = stmt.query([patient_id])?;
    let mut edits: Vec<(i64, PatientEdit)> = Vec::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let field: String = r.get(3)?;
        if let Some((_, edit)) = edits.last_mut().filter(|(last, _)| *last == seq) {
            edit.fields.push(field);
        } else if edits.len() < 50 {
            edits.push((seq, PatientEdit { at: r.get(1)?, staff_name: r.get(2)?, fields: vec![field] }));
        } else {
            break;
        }
    }
    Ok(edits.into_iter().map(|(_, e)| e).collect())
}

/// The open registration reviews, oldest first.
pub fn registration_reviews(ctx: &Ctx) -> Result<Vec<RegistrationReview>> {
    ctx.read(Action::ViewPatient, |conn, caller, clinic| {
        let today = local_date(clinic.timezone, ctx.now);
        let mut stmt =
            conn.prepare_cached("SELECT id FROM registration_review WHERE status = 'open' ORDER BY created_at, id")?;
        let ids: Vec<i64> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let reviews: Vec<RegistrationReview> =
            ids.into_iter().map(|id| load_review(conn, clinic, today, id)).collect::<Result<_>>()?;
        let shown = reviews
            .iter()
            .flat_map(|r| std::iter::once(r.patient.patient_id).chain(r.candidates.iter().map(|c| c.patient_id)));
        ctx.note_read(caller, "patient.listed", "patient", shown);
        Ok(reviews)
    })
}

fn load_review(conn: &Connection, clinic: &Clinic, today: NaiveDate, review_id: i64) -> Result<RegistrationReview> {
    let (patient_id, created_at): (i64, i64) =
        conn.query_row("SELECT patient_id, created_at FROM registration_review WHERE id = ?1", [review_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT candidate_id, score, reasons FROM review_candidate WHERE review_id = ?1 ORDER BY score DESC, candidate_id",
    )?;
    let rows: Vec<(i64, i64, String)> =
        stmt.query_map([review_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut candidates = Vec::with_capacity(rows.len());
    for (id, score, reasons) in rows {
        let c = summary(conn, clinic, id, today)?;
        candidates.push(DuplicateCandidate {
            patient_id: id,
            name: c.name,
            age: c.age,
            date_of_birth: c.date_of_birth,
            phone: c.phone,
            score,
            reasons: reasons.split(", ").filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        });
    }
    Ok(RegistrationReview { id: review_id, created_at, patient: summary(conn, clinic, patient_id, today)?, candidates })
}

/// Closes a registration review: `distinct` keeps both records; `merge` moves everything of one
/// record to the other and leaves a tombstone pointing to the record kept. Marking records
/// distinct is part of reviewing; merging them needs [`Action::MergePatients`].
pub fn resolve_review(ctx: &Ctx, req: ResolveReviewRequest) -> Result<ResolvedReview> {
    let action = match req.decision {
        ReviewDecision::Merge => Action::MergePatients,
        ReviewDecision::Distinct => Action::EditPatient,
    };
    ctx.write(action, |w, caller, clinic| {
        let (subject, status): (i64, String) = w
            .conn()
            .query_row("SELECT patient_id, status FROM registration_review WHERE id = ?1", [req.review_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or_else(|| {
                Error::NotFound(format!("Registration review {} was not found. Refresh the review list.", req.review_id))
            })?;
        if status != "open" {
            return Err(Error::Conflict(format!(
                "Registration review {} was already resolved ({status}). Refresh the review list.",
                req.review_id
            )));
        }
        let candidates: Vec<i64> = w
            .conn()
            .prepare_cached(
                "SELECT candidate_id FROM review_candidate WHERE review_id = ?1 ORDER BY score DESC, candidate_id",
            )?
            .query_map([req.review_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let resolved = match req.decision {
            ReviewDecision::Distinct => {
                w.conn().execute(
                    "UPDATE registration_review SET status = 'distinct', resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
                    params![req.review_id, w.now, caller.staff_id],
                )?;
                w.audit(
                    "registration_review.distinct",
                    "registration_review",
                    req.review_id,
                    format!(
                        "patient {subject} is not candidate(s) {}",
                        candidates.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                    ),
                )?;
                // The record no longer shows an open review.
                w.publish(Event::PatientChanged { patient_id: subject });
                ResolvedReview {
                    review_id: req.review_id,
                    decision: req.decision,
                    kept_patient_id: None,
                    merged_patient_id: None,
                    merge_id: None,
                    appointments_moved: 0,
                    notes_moved: 0,
                    phones_moved: 0,
                }
            }
            ReviewDecision::Merge => {
                let keep = match req.keep_patient_id {
                    Some(k) => k,
                    None => *candidates.first().ok_or_else(|| {
                        Error::invalid(
                            "keep_patient_id",
                            "This review has no candidates left. Mark it distinct instead.",
                        )
                    })?,
                };
                let merged = if keep == subject {
                    match candidates.as_slice() {
                        [only] => *only,
                        _ => {
                            return Err(Error::invalid(
                                "keep_patient_id",
                                "This registration looks like several patients. Choose which existing patient to keep; the new registration is merged into it.",
                            ))
                        }
                    }
                } else if candidates.contains(&keep) {
                    subject
                } else {
                    return Err(Error::invalid(
                        "keep_patient_id",
                        format!(
                            "Patient #{keep} is not part of this review. Keep the new registration or one of its candidates."
                        ),
                    ));
                };
                let (log, moved) = merge_patients(w.conn(), keep, merged, Some(req.review_id), caller.staff_id, w.now)?;
                log.set(
                    w.conn(),
                    "registration_review",
                    req.review_id,
                    &[
                        ("status", Value::Text("merged".into())),
                        ("resolved_at", w.now.into()),
                        ("resolved_by", caller.staff_id.into()),
                    ],
                )?;
                settle_other_reviews(w.conn(), &log, keep, merged)?;
                let summary = format!(
                    "merge {}: {} appointment(s), {} note(s), {} phone(s), {} callback(s), {} escalation(s) moved; review {}",
                    log.merge_id,
                    moved.appointments.len(),
                    moved.notes,
                    moved.phones,
                    moved.callbacks,
                    moved.escalations,
                    req.review_id
                );
                w.audit("patient.merged", "patient", merged, format!("merged into patient {keep}; {summary}"))?;
                w.audit(
                    "patient.merge_kept",
                    "patient",
                    keep,
                    format!("patient {merged} merged into this record; {summary}"),
                )?;
                w.audit(
                    "registration_review.merged",
                    "registration_review",
                    req.review_id,
                    format!("patient {merged} merged into patient {keep} (merge {})", log.merge_id),
                )?;
                w.publish(Event::PatientChanged { patient_id: merged });
                w.publish(Event::PatientChanged { patient_id: keep });
                publish_moved(w, clinic, &moved);
                ResolvedReview {
                    review_id: req.review_id,
                    decision: req.decision,
                    kept_patient_id: Some(keep),
                    merged_patient_id: Some(merged),
                    merge_id: Some(log.merge_id),
                    appointments_moved: moved.appointments.len() as i64,
                    notes_moved: moved.notes,
                    phones_moved: moved.phones,
                }
            }
        };
        w.publish(Event::ReviewsChanged);
        Ok(resolved)
    })
}

/// Other open reviews about the merged record now concern the kept one (once), and a review of
/// the kept record no longer lists the kept record itself.
fn settle_other_reviews(conn: &Connection, log: &MergeLog, keep: i64, merged: i64) -> Result<()> {
    let reviews: Vec<(i64, bool)> = conn
        .prepare_cached(
            "SELECT c.review_id, EXISTS(SELECT 1 FROM review_candidate k WHERE k.review_id = c.review_id AND k.candidate_id = ?2)
             FROM review_candidate c JOIN registration_review r ON r.id = c.review_id
             WHERE c.candidate_id = ?1 AND r.status = 'open' ORDER BY c.review_id",
        )?
        .query_map([merged, keep], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (review_id, lists_keep) in reviews {
        if lists_keep {
            log.remove_candidate(conn, review_id, merged)?;
        } else {
            log.repoint_candidate(conn, review_id, merged, keep)?;
        }
    }
    let themselves: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT c.review_id, c.candidate_id FROM review_candidate c JOIN registration_review r ON r.id = c.review_id
             WHERE r.status = 'open' AND r.patient_id = c.candidate_id ORDER BY c.review_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (review_id, candidate_id) in themselves {
        log.remove_candidate(conn, review_id, candidate_id)?;
    }
    Ok(())
}

/// What a merge or its undo moved, by kind.
#[derive(Default)]
struct Moved {
    /// (id, starts_at) of each appointment moved.
    appointments: Vec<(i64, i64)>,
    notes: i64,
    phones: i64,
    callbacks: i64,
    escalations: i64,
    waitlist: i64,
    walk_ins: i64,
}

/// The events for the views that show moved rows under a patient's name.
fn publish_moved(w: &mut Write<'_>, clinic: &Clinic, moved: &Moved) {
    let today = local_date(clinic.timezone, w.now);
    for &(appointment_id, starts_at) in &moved.appointments {
        // Day views of today and later show the patient's name; older days are history.
        let date = local_date(clinic.timezone, starts_at);
        if date >= today {
            w.publish(Event::AppointmentChanged { appointment_id, date: date.to_string() });
        }
    }
    for (count, event) in [
        (moved.callbacks, Event::CallbacksChanged),
        (moved.escalations, Event::EscalationsChanged),
        (moved.waitlist, Event::WaitlistChanged),
        (moved.walk_ins, Event::WalkInsChanged),
    ] {
        if count > 0 {
            w.publish(event);
        }
    }
}

/// Moves everything of `merged` to `keep` and leaves `merged` as a tombstone pointing to it,
/// recording every value it changes and every row it removes (see [`MergeLog`]).
fn merge_patients(
    conn: &Connection,
    keep: i64,
    merged: i64,
    review_id: Option<i64>,
    staff_id: i64,
    now: i64,
) -> Result<(MergeLog, Moved)> {
    if keep == merged {
        return Err(Error::invalid(
            "keep_patient_id",
            "A patient cannot be merged into itself. Pick the other record.",
        ));
    }
    for id in [keep, merged] {
        let merged_into: Option<i64> = conn
            .query_row("SELECT merged_into FROM patient WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| patient_not_found(id))?;
        if let Some(other) = merged_into {
            return Err(Error::Conflict(format!(
                "Patient #{id} was already merged into patient #{other}. Refresh the review list; nothing was merged."
            )));
        }
    }
    // A patient is never in two places at once, past visits included (migration 0006 refuses
    // it): two records booked at the same time must be sorted out (one cancelled) before they
    // become one patient.
    let clash: Option<(i64, i64)> = conn
        .query_row(
            &format!(
                "SELECT a.id, b.id FROM appointment a JOIN appointment b
                   ON b.patient_id = ?2 AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at
                 WHERE a.patient_id = ?1 AND a.status IN {HOLDS_TIME} AND b.status IN {HOLDS_TIME} LIMIT 1"
            ),
            params![keep, merged],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((a, b)) = clash {
        return Err(Error::Conflict(format!(
            "Appointments #{a} and #{b} are at the same time, and one patient cannot be in two places; nothing was merged. If one is still booked or confirmed, cancel it and merge again. If both are recorded as attended, the desk cannot correct that: add a note to both records and tell the clinic owner."
        )));
    }

    conn.execute(
        "INSERT INTO patient_merge (kept_id, merged_id, review_id, merged_at, merged_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![keep, merged, review_id, now, staff_id],
    )?;
    let log = MergeLog { merge_id: conn.last_insert_rowid() };
    let ids_of = |sql: &str| -> Result<Vec<i64>> {
        Ok(conn.prepare_cached(sql)?.query_map([merged], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    };
    let to_keep = |table: &'static str, ids: &[i64], stamped: bool| -> Result<i64> {
        for &id in ids {
            if stamped {
                log.set(conn, table, id, &[("patient_id", keep.into()), ("updated_at", now.into())])?;
            } else {
                log.set(conn, table, id, &[("patient_id", keep.into())])?;
            }
        }
        Ok(ids.len() as i64)
    };

    let appointments: Vec<(i64, i64)> = conn
        .prepare_cached("SELECT id, starts_at FROM appointment WHERE patient_id = ?1 ORDER BY starts_at, id")?
        .query_map([merged], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    to_keep("appointment", &appointments.iter().map(|a| a.0).collect::<Vec<_>>(), true)?;
    let notes =
        to_keep("patient_note", &ids_of("SELECT id FROM patient_note WHERE patient_id = ?1 ORDER BY id")?, false)?;
    // waitlist: entries and untimed walk-ins (migration 0002) follow the patient too.
    let waitlist =
        to_keep("waitlist_entry", &ids_of("SELECT id FROM waitlist_entry WHERE patient_id = ?1 ORDER BY id")?, true)?;
    let walk_ins = to_keep("walk_in", &ids_of("SELECT id FROM walk_in WHERE patient_id = ?1 ORDER BY id")?, true)?;
    // callbacks: missed-call tasks and escalations (migration 0004) follow the patient too, so
    // the kept record shows its whole callback history and no task points to a tombstone.
    let callbacks =
        to_keep("callback_task", &ids_of("SELECT id FROM callback_task WHERE patient_id = ?1 ORDER BY id")?, true)?;
    let escalations =
        to_keep("escalation", &ids_of("SELECT id FROM escalation WHERE patient_id = ?1 ORDER BY id")?, true)?;
    // Corrections of the merged record's details (migration 0009) are part of the kept record's history now.
    to_keep("patient_edit", &ids_of("SELECT id FROM patient_edit WHERE patient_id = ?1 ORDER BY id")?, false)?;

    // Phones: the same number twice is one phone; the kept record's primary stays primary.
    let duplicates = conn
        .prepare_cached(
            "SELECT id FROM patient_phone WHERE patient_id = ?2
               AND e164 IN (SELECT e164 FROM patient_phone WHERE patient_id = ?1) ORDER BY id",
        )?
        .query_map([keep, merged], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for id in duplicates {
        log.remove(conn, "patient_phone", id)?;
    }
    let keep_has_primary: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM patient_phone WHERE patient_id = ?1 AND is_primary)",
        [keep],
        |r| r.get(0),
    )?;
    let phones: Vec<(i64, bool)> = conn
        .prepare_cached("SELECT id, is_primary FROM patient_phone WHERE patient_id = ?1 ORDER BY id")?
        .query_map([merged], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for &(id, primary) in &phones {
        let primary = primary && !keep_has_primary;
        log.set(conn, "patient_phone", id, &[("patient_id", keep.into()), ("is_primary", i64::from(primary).into())])?;
    }

    // Identifiers the kept record lacks come from the merged one (the MRN is unique, so it moves).
    let identifiers = |id: i64| -> Result<[Value; 4]> {
        Ok(conn.query_row("SELECT date_of_birth, email, health_card, mrn FROM patient WHERE id = ?1", [id], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
        })?)
    };
    let [k_dob, k_email, k_card, k_mrn] = identifiers(keep)?;
    // The kept record changes: an edit form loaded before the merge must be reloaded.
    let k_version: i64 = conn.query_row("SELECT version FROM patient WHERE id = ?1", [keep], |r| r.get(0))?;
    let [m_dob, m_email, m_card, m_mrn] = identifiers(merged)?;
    let or = |kept: Value, other: Value| if kept == Value::Null { other } else { kept };
    if k_mrn == Value::Null && m_mrn != Value::Null {
        log.set(conn, "patient", merged, &[("mrn", Value::Null)])?;
    }
    log.set(
        conn,
        "patient",
        keep,
        &[
            ("date_of_birth", or(k_dob, m_dob)),
            ("email", or(k_email, m_email)),
            ("health_card", or(k_card, m_card)),
            ("mrn", or(k_mrn, m_mrn)),
            ("updated_at", now.into()),
            ("version", (k_version + 1).into()),
        ],
    )?;
    // The tombstone leaves the name index (trigger); earlier tombstones now point to the kept record.
    for id in ids_of("SELECT id FROM patient WHERE merged_into = ?1 ORDER BY id")? {
        log.set(conn, "patient", id, &[("merged_into", keep.into())])?;
    }
    log.set(conn, "patient", merged, &[("merged_into", keep.into()), ("updated_at", now.into())])?;
    // An open review of the merged record is settled by the merge.
    for id in ids_of("SELECT id FROM registration_review WHERE patient_id = ?1 AND status = 'open'")? {
        log.set(
            conn,
            "registration_review",
            id,
            &[("status", Value::Text("merged".into())), ("resolved_at", now.into())],
        )?;
    }
    let moved = Moved { appointments, notes, phones: phones.len() as i64, callbacks, escalations, waitlist, walk_ins };
    Ok((log, moved))
}

// ---------------------------------------------------------------------------------------------
// The merge log, and undoing a merge.

/// Every table and column a merge may change. An undo writes only these: the names are read back
/// from the database and spliced into SQL, so anything else there is refused.
const MERGE_COLUMNS: &[(&str, &[&str])] = &[
    ("appointment", &["patient_id", "updated_at"]),
    ("patient_note", &["patient_id"]),
    ("waitlist_entry", &["patient_id", "updated_at"]),
    ("walk_in", &["patient_id", "updated_at"]),
    ("callback_task", &["patient_id", "updated_at"]),
    ("escalation", &["patient_id", "updated_at"]),
    ("patient_phone", &["patient_id", "is_primary"]),
    ("patient", &["merged_into", "mrn", "date_of_birth", "email", "health_card", "updated_at", "version"]),
    ("patient_edit", &["patient_id"]),
    ("registration_review", &["status", "resolved_at", "resolved_by"]),
    ("review_candidate", &["candidate_id"]),
];

/// The columns that say whose a row is (or, for a review, whether it is decided). An undo is exact
/// only while each still holds what the merge wrote; the other columns (timestamps, the primary
/// flag, identifiers the kept record took over) are put back when untouched since the merge and
/// otherwise keep their later value, which records something that really happened since.
const OWNER_COLUMNS: &[&str] = &["patient_id", "merged_into", "candidate_id", "status"];

/// Records what one merge changes as it changes it (`patient_merge_move`, migration 0007), in the
/// merge's transaction, so [`unmerge`] can put both records back exactly.
struct MergeLog {
    merge_id: i64,
}

impl MergeLog {
    /// Sets columns of the row `id` of `table` in one statement, recording each value it changes.
    /// Values that already hold are neither written nor recorded.
    fn set(&self, conn: &Connection, table: &'static str, id: i64, values: &[(&'static str, Value)]) -> Result<()> {
        let columns: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
        let old: Vec<Value> =
            conn.query_row(&format!("SELECT {} FROM {table} WHERE id = ?1", columns.join(", ")), [id], |r| {
                (0..columns.len()).map(|i| r.get(i)).collect()
            })?;
        let changed: Vec<(&str, &Value, &Value)> = values
            .iter()
            .zip(&old)
            .filter(|((_, new), old)| new != *old)
            .map(|((c, new), old)| (*c, old, new))
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let assignments: Vec<String> =
            changed.iter().enumerate().map(|(i, (c, _, _))| format!("{c} = ?{}", i + 2)).collect();
        let mut params: Vec<&dyn ToSql> = vec![&id];
        params.extend(changed.iter().map(|(_, _, new)| *new as &dyn ToSql));
        conn.execute(&format!("UPDATE {table} SET {} WHERE id = ?1", assignments.join(", ")), params.as_slice())?;
        for (column, old, new) in changed {
            self.record_change(conn, table, id, column, old, new)?;
        }
        Ok(())
    }

    /// Points the candidate row (`review_id`, `from`) at `to` instead.
    fn repoint_candidate(&self, conn: &Connection, review_id: i64, from: i64, to: i64) -> Result<()> {
        conn.execute(
            "UPDATE review_candidate SET candidate_id = ?3 WHERE review_id = ?1 AND candidate_id = ?2",
            params![review_id, from, to],
        )?;
        self.record_change(conn, "review_candidate", review_id, "candidate_id", &Value::from(from), &Value::from(to))
    }

    /// Removes the row `id` of `table`, recording it whole.
    fn remove(&self, conn: &Connection, table: &'static str, id: i64) -> Result<()> {
        let row = stored_row(conn, table, "id = ?1", &[&id])?;
        conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        self.record_removal(conn, table, id, &row)
    }

    /// Removes the candidate row (`review_id`, `candidate_id`), recording it whole.
    fn remove_candidate(&self, conn: &Connection, review_id: i64, candidate_id: i64) -> Result<()> {
        let filter = "review_id = ?1 AND candidate_id = ?2";
        let row = stored_row(conn, "review_candidate", filter, &[&review_id, &candidate_id])?;
        conn.execute(&format!("DELETE FROM review_candidate WHERE {filter}"), [review_id, candidate_id])?;
        self.record_removal(conn, "review_candidate", review_id, &row)
    }

    fn record_change(
        &self,
        conn: &Connection,
        table: &str,
        row_id: i64,
        column: &str,
        old: &Value,
        new: &Value,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO patient_merge_move (merge_id, table_name, row_id, column_name, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![self.merge_id, table, row_id, column, old, new],
        )?;
        Ok(())
    }

    fn record_removal(
        &self,
        conn: &Connection,
        table: &str,
        row_id: i64,
        row: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO patient_merge_move (merge_id, table_name, row_id, removed_row) VALUES (?1, ?2, ?3, ?4)",
            params![self.merge_id, table, row_id, serde_json::Value::Object(row.clone()).to_string()],
        )?;
        Ok(())
    }
}

/// The columns of `table` a row can be written with (generated columns such as
/// `patient_phone.tail7` are computed, not stored).
fn stored_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// One row of `table` (found by `filter`) as a JSON object of its stored columns, every column
/// included, so a later migration's columns are kept too.
fn stored_row(
    conn: &Connection,
    table: &str,
    filter: &str,
    key: &[&dyn ToSql],
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let columns = stored_columns(conn, table)?;
    let values: Vec<Value> =
        conn.query_row(&format!("SELECT {} FROM {table} WHERE {filter}", columns.join(", ")), key, |r| {
            (0..columns.len()).map(|i| r.get(i)).collect()
        })?;
    columns
        .into_iter()
        .zip(values)
        .map(|(c, v)| {
            let json = match v {
                Value::Null => serde_json::Value::Null,
                Value::Integer(i) => i.into(),
                Value::Real(f) => f.into(),
                Value::Text(t) => t.into(),
                Value::Blob(_) => {
                    return Err(Error::Internal(format!("{table}.{c} holds bytes, which a merge cannot record")))
                }
            };
            Ok((c, json))
        })
        .collect()
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UnmergeRequest {
    pub merge_id: i64,
}

/// A merge undone: both records are patients of their own again.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Unmerged {
    pub merge_id: i64,
    pub kept_patient_id: i64,
    /// The record the merge had folded into the kept one.
    pub restored_patient_id: i64,
    /// Appointments returned, with any booked since the merge in place of one of them (a
    /// reschedule, a wait-list entry or walk-in given a slot).
    pub appointments_returned: i64,
    pub notes_returned: i64,
    pub phones_returned: i64,
    /// The registration review the merge decided, open again for a new decision.
    pub reopened_review_id: Option<i64>,
}

/// One merge as recorded.
struct MergeRecord {
    kept: i64,
    merged: i64,
    review_id: Option<i64>,
    merged_at: i64,
    undone_at: Option<i64>,
}

/// Undoes a merge: the merged record is a patient of its own again, with everything the merge
/// moved (appointments, notes, phones, the wait list, callbacks, escalations, its identifiers)
/// and the phones it removed; the kept record is as it was before; the review that decided the
/// merge is open again. Refused, changing nothing, when that can no longer be done exactly.
pub fn unmerge(ctx: &Ctx, req: UnmergeRequest) -> Result<Unmerged> {
    ctx.write(Action::MergePatients, |w, caller, clinic| {
        let merge_id = req.merge_id;
        let m = w
            .conn()
            .query_row(
                "SELECT kept_id, merged_id, review_id, merged_at, undone_at FROM patient_merge WHERE id = ?1",
                [merge_id],
                |r| {
                    Ok(MergeRecord {
                        kept: r.get(0)?,
                        merged: r.get(1)?,
                        review_id: r.get(2)?,
                        merged_at: r.get(3)?,
                        undone_at: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| {
                Error::NotFound(format!("Merge #{merge_id} was not found. Refresh the patient record."))
            })?;
        if m.undone_at.is_some() {
            return Err(Error::Conflict(format!(
                "Merge #{merge_id} was already undone: patients #{} and #{} are separate records. Refresh the patient record.",
                m.merged, m.kept
            )));
        }
        // Merges stack: the kept record may itself have been merged away since. That one comes
        // off first, or this undo would hand rows to a tombstone.
        let later: Option<(Option<i64>, i64)> = w
            .conn()
            .query_row(
                "SELECT m.id, p.merged_into FROM patient p
                 LEFT JOIN patient_merge m ON m.merged_id = p.id AND m.undone_at IS NULL
                 WHERE p.id = ?1 AND p.merged_into IS NOT NULL ORDER BY m.id DESC LIMIT 1",
                [m.kept],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((later_id, into)) = later {
            let undo_first = match later_id {
                Some(id) => format!("Undo that merge (#{id}) first, then this one"),
                None => "That was not a merge Frontdesk recorded; ask support".to_owned(),
            };
            return Err(Error::Conflict(format!(
                "Patient #{} was merged into patient #{into} after this merge. {undo_first}; nothing was changed.",
                m.kept
            )));
        }

        let version_of = |conn: &Connection| -> Result<i64> {
            Ok(conn.query_row("SELECT version FROM patient WHERE id = ?1", [m.kept], |r| r.get(0))?)
        };
        let kept_version = version_of(w.conn())?;
        let mut returned = undo_moves(w.conn(), merge_id, m.kept)?;
        // The kept record goes back to its version from before the merge when nothing changed it
        // since; otherwise it changes again now, so an edit form loaded before the undo is refused.
        if version_of(w.conn())? == kept_version {
            w.conn().execute("UPDATE patient SET version = version + 1 WHERE id = ?1", [m.kept])?;
        }
        let follow_ons = return_follow_ons(w.conn(), &returned, &m, w.now)?;
        returned.moved.appointments.extend(follow_ons.iter().copied());
        w.conn().execute(
            "UPDATE patient_merge SET undone_at = ?2, undone_by = ?3 WHERE id = ?1",
            params![merge_id, w.now, caller.staff_id],
        )?;

        let moved = &returned.moved;
        let summary = format!(
            "merge {merge_id} undone: {} appointment(s) ({} booked since the merge), {} note(s), {} phone(s), {} callback(s), {} escalation(s) returned",
            moved.appointments.len(),
            follow_ons.len(),
            moved.notes,
            moved.phones,
            moved.callbacks,
            moved.escalations,
        );
        w.audit("patient.unmerged", "patient", m.merged, format!("separated from patient {} again; {summary}", m.kept))?;
        w.audit("patient.merge_undone", "patient", m.kept, format!("patient {} restored; {summary}", m.merged))?;
        for &review_id in &returned.reopened_reviews {
            w.audit("registration_review.reopened", "registration_review", review_id, format!("merge {merge_id} undone"))?;
        }
        w.publish(Event::PatientChanged { patient_id: m.merged });
        w.publish(Event::PatientChanged { patient_id: m.kept });
        publish_moved(w, clinic, &returned.moved);
        // The review that decided the merge is open again, and other reviews list the merged
        // record again where the merge had put the kept one.
        w.publish(Event::ReviewsChanged);
        Ok(Unmerged {
            merge_id,
            kept_patient_id: m.kept,
            restored_patient_id: m.merged,
            appointments_returned: returned.moved.appointments.len() as i64,
            notes_returned: returned.moved.notes,
            phones_returned: returned.moved.phones,
            reopened_review_id: m.review_id.filter(|r| returned.reopened_reviews.contains(r)),
        })
    })
}

/// What an undo gave back.
#[derive(Default)]
struct Returned {
    moved: Moved,
    /// Wait-list entries and walk-ins returned, whose bookings may follow them.
    waitlist_ids: Vec<i64>,
    walk_in_ids: Vec<i64>,
    reopened_reviews: Vec<i64>,
}

/// One recorded step of a merge, undone as a unit: the columns one statement changed in one row,
/// or one row removed.
enum Step {
    Change { table: String, row_id: i64, columns: Vec<(String, Value, Value)> },
    Removal { table: String, row: String },
}

/// Puts back, newest first, every value the merge changed and every row it removed. Refuses
/// (the caller's transaction then rolls back whatever was put back already) when a row's owner
/// is no longer what the merge made it.
fn undo_moves(conn: &Connection, merge_id: i64, kept: i64) -> Result<Returned> {
    let mut stmt = conn.prepare_cached(
        "SELECT table_name, row_id, column_name, old_value, new_value, removed_row
         FROM patient_merge_move WHERE merge_id = ?1 ORDER BY id DESC",
    )?;
    let mut rows = stmt.query([merge_id])?;
    let mut steps: Vec<Step> = Vec::new();
    while let Some(r) = rows.next()? {
        let (table, row_id): (String, i64) = (r.get(0)?, r.get(1)?);
        match r.get::<_, Option<String>>(2)? {
            None => steps.push(Step::Removal { table, row: r.get(5)? }),
            Some(column) => {
                let (old, new): (Value, Value) = (r.get(3)?, r.get(4)?);
                // Consecutive changes of one row were one statement (or two in a row, such as a
                // review the merge closed and then signed): they go back in one statement too,
                // so a row never passes through a state its CHECK constraints refuse.
                if let Some(Step::Change { table: t, row_id: id, columns }) = steps.last_mut() {
                    if *t == table && *id == row_id && table != "review_candidate" {
                        match columns.iter_mut().find(|(c, _, _)| *c == column) {
                            // Seen newest first: the earlier change holds the value from before.
                            Some(entry) => entry.1 = old,
                            None => columns.push((column, old, new)),
                        }
                        continue;
                    }
                }
                steps.push(Step::Change { table, row_id, columns: vec![(column, old, new)] });
            }
        }
    }
    drop(rows);
    drop(stmt);

    let mut returned = Returned::default();
    for step in steps {
        match step {
            Step::Change { table, row_id, columns } => {
                undo_change(conn, merge_id, kept, &table, row_id, &columns)?;
                let owner_returned = columns.iter().any(|(c, _, _)| c == "patient_id");
                match table.as_str() {
                    "appointment" if owner_returned => {
                        let starts_at: i64 =
                            conn.query_row("SELECT starts_at FROM appointment WHERE id = ?1", [row_id], |r| r.get(0))?;
                        returned.moved.appointments.push((row_id, starts_at));
                    }
                    "patient_note" if owner_returned => returned.moved.notes += 1,
                    "patient_phone" if owner_returned => returned.moved.phones += 1,
                    "callback_task" if owner_returned => returned.moved.callbacks += 1,
                    "escalation" if owner_returned => returned.moved.escalations += 1,
                    "waitlist_entry" if owner_returned => {
                        returned.moved.waitlist += 1;
                        returned.waitlist_ids.push(row_id);
                    }
                    "walk_in" if owner_returned => {
                        returned.moved.walk_ins += 1;
                        returned.walk_in_ids.push(row_id);
                    }
                    "registration_review"
                        if columns.iter().any(|(c, old, _)| c == "status" && *old == Value::Text("open".into())) =>
                    {
                        returned.reopened_reviews.push(row_id);
                    }
                    _ => {}
                }
            }
            Step::Removal { table, row } => {
                reinsert(conn, &table, &row)?;
                if table == "patient_phone" {
                    returned.moved.phones += 1;
                }
            }
        }
    }
    returned.moved.appointments.sort_by_key(|&(id, starts_at)| (starts_at, id));
    returned.reopened_reviews.sort_unstable();
    Ok(returned)
}

/// Puts back one step's columns of one row; see [`OWNER_COLUMNS`] for what must still hold.
fn undo_change(
    conn: &Connection,
    merge_id: i64,
    kept: i64,
    table: &str,
    row_id: i64,
    columns: &[(String, Value, Value)],
) -> Result<()> {
    let known = MERGE_COLUMNS.iter().find(|(t, _)| *t == table).map(|(_, c)| *c).unwrap_or_default();
    if let Some((c, _, _)) = columns.iter().find(|(c, _, _)| !known.contains(&c.as_str())) {
        return Err(Error::Internal(format!(
            "merge {merge_id} records a change to {table}.{c}, which merges never make"
        )));
    }
    let what = row_name(table, row_id);
    if table == "review_candidate" {
        // The row is found by its review and the candidate the merge wrote.
        let (_, old, new) = &columns[0];
        let n = conn.execute(
            "UPDATE review_candidate SET candidate_id = ?3 WHERE review_id = ?1 AND candidate_id = ?2",
            params![row_id, new, old],
        )?;
        if n == 0 {
            return Err(not_exact(merge_id, kept, format!("{what} no longer lists patient #{kept}")));
        }
        return Ok(());
    }
    let names: Vec<&str> = columns.iter().map(|(c, _, _)| c.as_str()).collect();
    let current: Vec<Value> = conn
        .query_row(&format!("SELECT {} FROM {table} WHERE id = ?1", names.join(", ")), [row_id], |r| {
            (0..names.len()).map(|i| r.get(i)).collect()
        })
        .optional()?
        .ok_or_else(|| not_exact(merge_id, kept, format!("{what} was removed after the merge")))?;
    let mut restore: Vec<(&str, &Value)> = Vec::new();
    for ((column, old, new), now) in columns.iter().zip(&current) {
        if now == new {
            restore.push((column.as_str(), old));
        } else if OWNER_COLUMNS.contains(&column.as_str()) {
            let change = match (column.as_str(), now) {
                ("status", _) => "was decided again".to_owned(),
                (_, Value::Integer(other)) => format!("belongs to patient #{other} now, not #{kept}"),
                _ => "belongs to no patient now".to_owned(),
            };
            return Err(not_exact(merge_id, kept, format!("{what} {change}")));
        }
    }
    if restore.is_empty() {
        return Ok(());
    }
    let assignments: Vec<String> = restore.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 2)).collect();
    let mut params: Vec<&dyn ToSql> = vec![&row_id];
    params.extend(restore.iter().map(|(_, v)| *v as &dyn ToSql));
    conn.execute(&format!("UPDATE {table} SET {} WHERE id = ?1", assignments.join(", ")), params.as_slice()).map_err(
        |e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => not_exact(
                merge_id,
                kept,
                format!(
                    "{what} cannot take back its {} from before the merge (another record holds the same now)",
                    restore.iter().map(|(c, _)| c.replace('_', " ")).collect::<Vec<_>>().join(", ")
                ),
            ),
            _ => e.into(),
        },
    )?;
    Ok(())
}

/// Re-inserts a row the merge removed, with its id. A phone's id is referenced nowhere else, so
/// when a new phone took it since (SQLite reuses the highest id once freed) the phone comes back
/// under a new one rather than not at all.
fn reinsert(conn: &Connection, table: &str, row: &str) -> Result<()> {
    if !MERGE_COLUMNS.iter().any(|(t, _)| *t == table) {
        return Err(Error::Internal(format!("a merge records a removed {table} row, which merges never remove")));
    }
    let serde_json::Value::Object(mut row) = serde_json::from_str(row)
        .map_err(|e| Error::Internal(format!("a recorded {table} row cannot be read back: {e}")))?
    else {
        return Err(Error::Internal(format!("a recorded {table} row is not an object")));
    };
    let stored = stored_columns(conn, table)?;
    if let Some(c) = row.keys().find(|c| !stored.contains(c)) {
        return Err(Error::Internal(format!("a recorded {table} row has a column {c} the table does not")));
    }
    if table == "patient_phone" {
        let id = row.get("id").and_then(serde_json::Value::as_i64).unwrap_or_default();
        let taken: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM patient_phone WHERE id = ?1)", [id], |r| r.get(0))?;
        if taken {
            row.remove("id");
        }
    }
    let values: Vec<Value> = row
        .values()
        .map(|v| match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Number(n) => {
                n.as_i64().map(Value::Integer).unwrap_or_else(|| Value::Real(n.as_f64().unwrap_or_default()))
            }
            serde_json::Value::String(s) => Value::Text(s.clone()),
            other => Value::Text(other.to_string()),
        })
        .collect();
    let columns: Vec<&str> = row.keys().map(String::as_str).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    conn.execute(
        &format!("INSERT INTO {table} ({}) VALUES ({})", columns.join(", "), placeholders.join(", ")),
        rusqlite::params_from_iter(values),
    )?;
    Ok(())
}

/// Appointments booked since the merge in place of a returned one — its reschedule, or the slot a
/// returned wait-list entry or walk-in was given — are the same visit of the same person: they go
/// back with it (and their own reschedules with them). Returns them as (id, starts_at).
fn return_follow_ons(conn: &Connection, returned: &Returned, m: &MergeRecord, now: i64) -> Result<Vec<(i64, i64)>> {
    let mut seen: BTreeSet<i64> = returned.moved.appointments.iter().map(|a| a.0).collect();
    let mut next: Vec<i64> = Vec::new();
    let mut follow = |sql: &str, ids: &mut dyn Iterator<Item = i64>| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        for id in ids {
            if let Some(a) = stmt.query_row([id], |r| r.get::<_, Option<i64>>(0))? {
                next.push(a);
            }
        }
        Ok(())
    };
    follow("SELECT rescheduled_to FROM appointment WHERE id = ?1", &mut seen.clone().into_iter())?;
    follow("SELECT appointment_id FROM waitlist_entry WHERE id = ?1", &mut returned.waitlist_ids.iter().copied())?;
    follow("SELECT appointment_id FROM walk_in WHERE id = ?1", &mut returned.walk_in_ids.iter().copied())?;
    let mut follow_ons = Vec::new();
    while let Some(id) = next.pop() {
        if !seen.insert(id) {
            continue;
        }
        let row: Option<(i64, i64, i64, Option<i64>)> = conn
            .query_row(
                "SELECT patient_id, created_at, starts_at, rescheduled_to FROM appointment WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((patient_id, created_at, starts_at, rescheduled_to)) = row else { continue };
        if patient_id != m.kept || created_at < m.merged_at {
            continue;
        }
        conn.execute(
            "UPDATE appointment SET patient_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, m.merged, now],
        )?;
        follow_ons.push((id, starts_at));
        next.extend(rescheduled_to);
    }
    Ok(follow_ons)
}

/// "Appointment #12", "Phone #3", "The candidate list of review #4".
fn row_name(table: &str, id: i64) -> String {
    let noun = match table {
        "appointment" => "Appointment",
        "patient_note" => "Note",
        "waitlist_entry" => "Wait-list entry",
        "walk_in" => "Walk-in",
        "callback_task" => "Callback task",
        "escalation" => "Escalation",
        "patient_phone" => "Phone",
        "patient" => "Patient",
        "patient_edit" => "Correction",
        "registration_review" => "Registration review",
        "review_candidate" => return format!("The candidate list of registration review #{id}"),
        other => other,
    };
    format!("{noun} #{id}")
}

fn not_exact(merge_id: i64, kept: i64, what_changed: String) -> Error {
    Error::Conflict(format!(
        "Merge #{merge_id} cannot be undone exactly: {what_changed}. Nothing was changed. If patient #{kept} was merged again since, undo that merge first; otherwise ask support to look at merge #{merge_id}."
    ))
}

const PHONES_TO_FORMAT: &str =
    "SELECT id, e164 FROM patient_phone WHERE id > ?1 AND display IS NULL ORDER BY id LIMIT ?2";

/// Formats phones saved before displays were stored (migration 0005), a batch of those after
/// `after_id` at a time, so lists and search stop formatting them as they read. Returns where the
/// next batch starts, or None when none are left. Formatting happens outside the write lock; each
/// batch is one change by the system with one audit entry (ids only: the phones are derived
/// data, and an upgrade may hold a hundred thousand of them).
pub fn fill_phone_displays(desk: &Desk, now: i64, after_id: i64, batch: usize) -> Result<Option<i64>> {
    let (region, rows) = {
        let conn = desk.reader()?;
        let Some(region) = clinic::load(&conn).ok().map(|c| c.phone_region) else { return Ok(None) };
        let mut stmt = conn.prepare_cached(PHONES_TO_FORMAT)?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params![after_id, batch as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        (region, rows)
    };
    let (Some(&(first, _)), Some(&(last, _))) = (rows.first(), rows.last()) else { return Ok(None) };
    let shown: Vec<(i64, String)> =
        rows.into_iter().map(|(id, e164)| (id, crate::phone::format(&e164, region))).collect();
    desk.system_write(now, |w| {
        let mut filled = 0;
        {
            let mut update =
                w.conn().prepare_cached("UPDATE patient_phone SET display = ?2 WHERE id = ?1 AND display IS NULL")?;
            for (id, display) in &shown {
                filled += update.execute(params![id, display])?;
            }
        }
        w.audit(
            "patient_phone.displays_filled",
            "patient_phone",
            format!("{first}..{last}"),
            format!("{filled} of {} stored phone(s) given their display form", shown.len()),
        )
    })?;
    Ok(Some(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slip_apart_is_the_set() {
        let start = NaiveDate::from_ymd_opt(1987, 12, 20).unwrap();
        let days: Vec<NaiveDate> = (0..800).map(|d| start + chrono::Duration::days(d)).collect();
        let mut close = 0;
        for a in days.iter().step_by(7) {
            let set = dates_one_slip_away(*a);
            for b in &days {
                assert_eq!(one_slip_apart(*a, *b), set.contains(b), "{a} / {b}");
            }
            for b in &set {
                assert!(one_slip_apart(*a, *b), "{a} / {b}");
                close += 1;
            }
        }
        assert!(close > 1000, "the check saw real slips");
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_fill_at_every_start_seeks_the_phones_left_to_format_and_never_scans_them_all() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("plan.sqlite3")).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {PHONES_TO_FORMAT}"))
            .unwrap()
            .query_map(params![0, 500], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(plan.iter().any(|step| step.contains("patient_phone_no_display")), "{plan:?}");
    }

    #[test]
    fn one_slip_covers_swapped_day_and_month_a_wrong_digit_and_neighbours_swapped() {
        let close = dates_one_slip_away(date("1988-04-02"));
        for near in ["1988-02-04", "1988-04-03", "1988-04-12", "1989-04-02", "1898-04-02", "1988-04-20"] {
            assert!(close.contains(&date(near)), "{near} is one slip from 1988-04-02");
        }
        for far in ["1988-04-02", "1988-05-03", "1990-04-02", "1988-06-22"] {
            assert!(!close.contains(&date(far)), "{far} is not one slip from 1988-04-02");
        }
        assert!(close.iter().all(|d| d.year() > 0), "only real dates");
        // 31 February and friends are not dates: nothing invalid is produced.
        assert!(!dates_one_slip_away(date("2001-01-31")).is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// A phone form's preview.

#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct PhoneCheckRequest {
    pub text: String,
}

#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct PhoneCheck {
    pub e164: String,
    /// As people in the clinic's region write it.
    pub display: String,
}

/// Shows a phone form what a typed number will be saved as, before saving.
pub fn check_phone(ctx: &Ctx, req: PhoneCheckRequest) -> Result<PhoneCheck> {
    ctx.read_signed_in(|_, _, clinic| {
        let e164 = phone::normalise(&req.text, clinic.phone_region, "phone")?;
        Ok(PhoneCheck { display: phone::display(&e164, clinic.phone_region), e164 })
    })
}
