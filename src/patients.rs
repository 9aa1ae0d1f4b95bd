//! Patients: registration with duplicate screening, the patient record (Patient 360), notes, and
//! the review queue where a person decides whether a look-alike registration is the same patient
//! (merge) or someone else (distinct). Families share phones and surnames, so nothing is merged
//! without a person deciding.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Entry};
use crate::callbacks::{self, CallbackTask};
use crate::phone;
use crate::clinic::{self, Clinic};
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::roles::{allowed, Action};
use crate::schedule::{age_on, local_date, parse_date, patient_card, PatientCard};
use crate::search::{self, full_name};
use crate::status::Status;

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
    /// Whether the caller may add notes and resolve reviews.
    pub can_edit: bool,
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
    pub appointments_moved: i64,
    pub notes_moved: i64,
    pub phones_moved: i64,
}

/// A validated registration.
struct NewPatient {
    given_name: String,
    family_name: String,
    date_of_birth: Option<NaiveDate>,
    sex: &'static str,
    e164: String,
    relationship: &'static str,
    email: Option<String>,
    mrn: Option<String>,
    health_card: Option<String>,
    preferred_language: String,
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

fn validate_new_patient(req: &CreatePatientRequest, clinic: &Clinic, today: NaiveDate) -> Result<NewPatient> {
    let given_name = validate_name(&req.given_name, "given_name", "given (first) name")?;
    let family_name = validate_name(&req.family_name, "family_name", "family name (surname)")?;
    let date_of_birth = match optional(&req.date_of_birth) {
        None => None,
        Some(d) => {
            let dob = parse_date(d, "date_of_birth")?;
            if dob > today {
                return Err(Error::invalid(
                    "date_of_birth",
                    format!("{dob} is in the future. Check the year of birth."),
                ));
            }
            if today.years_since(dob).unwrap_or(0) > 130 {
                return Err(Error::invalid(
                    "date_of_birth",
                    format!("{dob} is more than 130 years ago. Check the year of birth."),
                ));
            }
            Some(dob)
        }
    };
    let sex = one_of(&req.sex, &SEXES, "sex")?;
    let e164 = crate::phone::normalise(&req.phone, clinic.phone_region, "phone")?;
    let relationship = match optional(&req.phone_relationship) {
        None => "self",
        Some(r) => one_of(r, &RELATIONSHIPS, "phone_relationship")?,
    };
    let email = match optional(&req.email) {
        None => None,
        Some(e) => {
            let valid = e.len() <= 254
                && !e.contains(char::is_whitespace)
                && e.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
                });
            if !valid {
                return Err(Error::invalid(
                    "email",
                    format!("\"{e}\" is not an email address. Use the form name@example.com."),
                ));
            }
            Some(e.to_owned())
        }
    };
    let mrn = match optional(&req.mrn) {
        None => None,
        Some(m) => {
            if m.len() > 32 || !m.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(Error::invalid(
                    "mrn",
                    format!("\"{m}\" is not an MRN. Use up to 32 letters, digits and dashes, as printed on the chart."),
                ));
            }
            Some(m.to_ascii_uppercase())
        }
    };
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
        relationship,
        email,
        mrn,
        health_card,
        preferred_language,
    })
}

/// Registers a patient and screens the registration against everyone already registered.
pub fn create_patient(ctx: &Ctx, req: CreatePatientRequest) -> Result<CreatedPatient> {
    let mut conn = ctx.desk.db();
    let caller = ctx.authorize(&conn, Action::EditPatient)?;
    let clinic = clinic::load(&conn)?;
    let today = local_date(clinic.timezone, ctx.now);
    let new = validate_new_patient(&req, &clinic, today)?;

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(mrn) = &new.mrn {
        let holder: Option<i64> = tx
            .query_row("SELECT COALESCE(merged_into, id) FROM patient WHERE mrn = ?1 COLLATE NOCASE", [mrn], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(holder) = holder {
            return Err(Error::invalid(
                "mrn",
                format!(
                    "MRN {mrn} already belongs to patient #{holder}. Check the number, or open that patient instead of registering again."
                ),
            ));
        }
    }
    tx.execute(
        "INSERT INTO patient (given_name, family_name, date_of_birth, sex, email, mrn, health_card, preferred_language,
                              consent_sms, consent_whatsapp, consent_email, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            new.given_name,
            new.family_name,
            new.date_of_birth.map(|d| d.to_string()),
            new.sex,
            new.email,
            new.mrn,
            new.health_card,
            new.preferred_language,
            req.consent_sms,
            req.consent_whatsapp,
            req.consent_email,
            ctx.now
        ],
    )?;
    let patient_id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO patient_phone (patient_id, e164, label, is_primary, relationship, display)
         VALUES (?1, ?2, 'mobile', 1, ?3, ?4)",
        params![patient_id, new.e164, new.relationship, crate::phone::format(&new.e164, clinic.phone_region)],
    )?;
    search::index_pending_names(&tx)?;
    let screening = screen_registration(&tx, &clinic, patient_id, ctx.now)?;
    let actor = caller.actor();
    audit::record(
        &tx,
        ctx.now,
        &actor,
        Entry {
            action: "patient.created",
            entity: "patient",
            entity_id: patient_id.to_string(),
            summary: format!(
                "registered; consents sms={} whatsapp={} email={}",
                req.consent_sms, req.consent_whatsapp, req.consent_email
            ),
        },
    )?;
    if let Some(review_id) = screening.review_id {
        audit::record(
            &tx,
            ctx.now,
            &actor,
            Entry {
                action: "registration_review.opened",
                entity: "registration_review",
                entity_id: review_id.to_string(),
                summary: format!("patient {patient_id}; candidates {}", candidate_summary(&screening.candidates)),
            },
        )?;
    }
    tx.commit()?;
    drop(conn);
    ctx.desk.publish(Event::PatientChanged { patient_id });
    if screening.review_id.is_some() {
        ctx.desk.publish(Event::ReviewsChanged);
    }
    Ok(CreatedPatient { patient_id, review_id: screening.review_id, candidates: screening.candidates })
}

/// "12 (score 85), 40 (score 60)": ids and scores only, for audit summaries.
fn candidate_summary(candidates: &[DuplicateCandidate]) -> String {
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
struct Signals {
    phone: bool,
    health_card: bool,
    date_of_birth: bool,
    /// A date of birth one slip of the keyboard away: day and month swapped, one digit changed,
    /// or two neighbouring digits swapped ("1988-04-02" / "1988-02-04" / "1988-04-03" / "1898-04-02").
    close_date_of_birth: bool,
}

/// The dates one typing slip away from `dob` (see [`Signals::close_date_of_birth`]), each a real date.
fn dates_one_slip_away(dob: NaiveDate) -> BTreeSet<NaiveDate> {
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
        let same_name = similarity >= 1.0;
        let similar_name = !same_name && similarity >= SIMILAR_NAME;
        // Sharing only a birthday (or nearly) is no sign at all unless the names are close too.
        if !s.phone && !s.health_card && !same_name && !similar_name {
            continue;
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
        if dob.is_some() && c.date_of_birth.is_some() && !s.date_of_birth && !s.close_date_of_birth {
            score -= 20;
        }
        candidates.push(DuplicateCandidate {
            patient_id: id,
            name: c.name,
            age: c.age,
            date_of_birth: c.date_of_birth,
            phone: c.phone,
            score: score.clamp(0, 100),
            reasons,
        });
    }
    candidates.sort_by(|a, b| b.score.cmp(&a.score).then(a.patient_id.cmp(&b.patient_id)));

    let likely: Vec<&DuplicateCandidate> = candidates.iter().filter(|c| c.score >= REVIEW_THRESHOLD).collect();
    if likely.is_empty() {
        return Ok(Screening { review_id: None, candidates });
    }
    let existing: Option<i64> = conn
        .query_row("SELECT id FROM registration_review WHERE patient_id = ?1 AND status = 'open'", [patient_id], |r| {
            r.get(0)
        })
        .optional()?;
    let review_id = match existing {
        Some(id) => id,
        None => {
            conn.execute(
                "INSERT INTO registration_review (patient_id, created_at) VALUES (?1, ?2)",
                params![patient_id, now],
            )?;
            conn.last_insert_rowid()
        }
    };
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO review_candidate (review_id, candidate_id, score, reasons) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for c in likely {
        insert.execute(params![review_id, c.patient_id, c.score, c.reasons.join(", ")])?;
    }
    Ok(Screening { review_id: Some(review_id), candidates })
}

/// Jaro-Winkler similarity from which two full names count as "similar" (one typo or a doubled
/// letter in a first name, "Priya"/"Priyaa"), above what siblings on one phone usually reach.
const SIMILAR_NAME: f64 = 0.9;

/// How alike two names are (1.0 = the same after folding case and accents), in either word order.
fn name_similarity(a: (&str, &str), b: (&str, &str)) -> f64 {
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

/// The whole record of one patient: card, consents, visits, notes, family on the same phone.
pub fn patient_record(ctx: &Ctx, req: PatientRequest) -> Result<Patient360> {
    let conn = ctx.desk.db();
    let caller = ctx.authorize(&conn, Action::ViewPatient)?;
    let clinic = clinic::load(&conn)?;
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
    let card = patient_card(&conn, &clinic, id, today)?;

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
    let open_review = open_review_id.map(|r| load_review(&conn, &clinic, today, r)).transpose()?;
    // The callback history belongs to the queues: only those who work them see it here.
    let callbacks = if allowed(caller.role, Action::WorkQueues) {
        callbacks::callbacks_of_patient(&conn, &clinic, id)?
    } else {
        Vec::new()
    };

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
        can_edit: allowed(caller.role, Action::EditPatient),
    })
}

/// Adds a note to a patient's record.
pub fn add_patient_note(ctx: &Ctx, req: AddNoteRequest) -> Result<PatientNote> {
    let mut conn = ctx.desk.db();
    let caller = ctx.authorize(&conn, Action::EditPatient)?;
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let merged_into: Option<i64> = tx
        .query_row("SELECT merged_into FROM patient WHERE id = ?1", [req.patient_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| patient_not_found(req.patient_id))?;
    if let Some(kept) = merged_into {
        return Err(Error::Conflict(format!(
            "Patient #{} was merged into patient #{kept}. Open that record and add the note there.",
            req.patient_id
        )));
    }
    tx.execute(
        "INSERT INTO patient_note (patient_id, body, author_staff_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![req.patient_id, body, caller.staff_id, ctx.now],
    )?;
    let note_id = tx.last_insert_rowid();
    audit::record(
        &tx,
        ctx.now,
        &caller.actor(),
        Entry {
            action: "patient.note_added",
            entity: "patient",
            entity_id: req.patient_id.to_string(),
            summary: format!("note {note_id}"),
        },
    )?;
    tx.commit()?;
    drop(conn);
    ctx.desk.publish(Event::PatientChanged { patient_id: req.patient_id });
    Ok(PatientNote {
        id: note_id,
        patient_id: req.patient_id,
        body: body.to_owned(),
        author_name: caller.display_name,
        created_at: ctx.now,
    })
}

/// The open registration reviews, oldest first.
pub fn registration_reviews(ctx: &Ctx) -> Result<Vec<RegistrationReview>> {
    let conn = ctx.desk.db();
    ctx.authorize(&conn, Action::ViewPatient)?;
    let clinic = clinic::load(&conn)?;
    let today = local_date(clinic.timezone, ctx.now);
    let mut stmt =
        conn.prepare_cached("SELECT id FROM registration_review WHERE status = 'open' ORDER BY created_at, id")?;
    let ids: Vec<i64> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| load_review(&conn, &clinic, today, id)).collect()
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
/// record to the other and leaves a tombstone pointing to the record kept.
pub fn resolve_review(ctx: &Ctx, req: ResolveReviewRequest) -> Result<ResolvedReview> {
    let mut conn = ctx.desk.db();
    let caller = ctx.authorize(&conn, Action::EditPatient)?;
    let clinic = clinic::load(&conn)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (subject, status): (i64, String) = tx
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
    let mut stmt = tx.prepare_cached(
        "SELECT candidate_id FROM review_candidate WHERE review_id = ?1 ORDER BY score DESC, candidate_id",
    )?;
    let candidates: Vec<i64> = stmt.query_map([req.review_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let actor = caller.actor();

    let mut resolved = ResolvedReview {
        review_id: req.review_id,
        decision: req.decision,
        kept_patient_id: None,
        merged_patient_id: None,
        appointments_moved: 0,
        notes_moved: 0,
        phones_moved: 0,
    };
    let mut moved_appointments = Vec::new();
    let (mut moved_callbacks, mut moved_escalations) = (false, false);
    match req.decision {
        ReviewDecision::Distinct => {
            close_review(&tx, req.review_id, "distinct", ctx.now, caller.staff_id)?;
            audit::record(
                &tx,
                ctx.now,
                &actor,
                Entry {
                    action: "registration_review.distinct",
                    entity: "registration_review",
                    entity_id: req.review_id.to_string(),
                    summary: format!(
                        "patient {subject} is not candidate(s) {}",
                        candidates.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                    ),
                },
            )?;
        }
        ReviewDecision::Merge => {
            let keep = match req.keep_patient_id {
                Some(k) => k,
                None => *candidates.first().ok_or_else(|| {
                    Error::invalid("keep_patient_id", "This review has no candidates left. Mark it distinct instead.")
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
                    format!("Patient #{keep} is not part of this review. Keep the new registration or one of its candidates."),
                ));
            };
            let moved = merge_patients(&tx, keep, merged, ctx.now)?;
            close_review(&tx, req.review_id, "merged", ctx.now, caller.staff_id)?;
            // Other open reviews about the merged record now concern the kept one.
            tx.execute(
                "UPDATE OR IGNORE review_candidate SET candidate_id = ?1
                 WHERE candidate_id = ?2 AND review_id IN (SELECT id FROM registration_review WHERE status = 'open')",
                params![keep, merged],
            )?;
            tx.execute(
                "DELETE FROM review_candidate WHERE candidate_id = ?1
                   AND review_id IN (SELECT id FROM registration_review WHERE status = 'open')",
                [merged],
            )?;
            tx.execute(
                "DELETE FROM review_candidate WHERE review_id IN
                   (SELECT id FROM registration_review WHERE status = 'open' AND patient_id = review_candidate.candidate_id)",
                [],
            )?;
            let summary = format!(
                "{} appointment(s), {} note(s), {} phone(s), {} callback(s), {} escalation(s) moved; review {}",
                moved.appointments.len(),
                moved.notes,
                moved.phones,
                moved.callbacks,
                moved.escalations,
                req.review_id
            );
            audit::record(
                &tx,
                ctx.now,
                &actor,
                Entry {
                    action: "patient.merged",
                    entity: "patient",
                    entity_id: merged.to_string(),
                    summary: format!("merged into patient {keep}: {summary}"),
                },
            )?;
            audit::record(
                &tx,
                ctx.now,
                &actor,
                Entry {
                    action: "patient.merge_kept",
                    entity: "patient",
                    entity_id: keep.to_string(),
                    summary: format!("patient {merged} merged into this record: {summary}"),
                },
            )?;
            audit::record(
                &tx,
                ctx.now,
                &actor,
                Entry {
                    action: "registration_review.merged",
                    entity: "registration_review",
                    entity_id: req.review_id.to_string(),
                    summary: format!("patient {merged} merged into patient {keep}"),
                },
            )?;
            resolved.kept_patient_id = Some(keep);
            resolved.merged_patient_id = Some(merged);
            resolved.appointments_moved = moved.appointments.len() as i64;
            resolved.notes_moved = moved.notes;
            resolved.phones_moved = moved.phones;
            moved_appointments = moved.appointments;
            (moved_callbacks, moved_escalations) = (moved.callbacks > 0, moved.escalations > 0);
        }
    }
    tx.commit()?;
    drop(conn);
    match (resolved.kept_patient_id, resolved.merged_patient_id) {
        (Some(keep), Some(merged)) => {
            ctx.desk.publish(Event::PatientChanged { patient_id: merged });
            ctx.desk.publish(Event::PatientChanged { patient_id: keep });
        }
        // The record no longer shows an open review.
        _ => ctx.desk.publish(Event::PatientChanged { patient_id: subject }),
    }
    let today = local_date(clinic.timezone, ctx.now);
    for (appointment_id, starts_at) in moved_appointments {
        // Day views of today and later show the patient's name; older days are history.
        let date = local_date(clinic.timezone, starts_at);
        if date >= today {
            ctx.desk.publish(Event::AppointmentChanged { appointment_id, date: date.to_string() });
        }
    }
    // The queues show the patient's name; moved tasks now show the kept record's.
    if moved_callbacks {
        ctx.desk.publish(Event::CallbacksChanged);
    }
    if moved_escalations {
        ctx.desk.publish(Event::EscalationsChanged);
    }
    ctx.desk.publish(Event::ReviewsChanged);
    Ok(resolved)
}

fn close_review(conn: &Connection, review_id: i64, status: &str, now: i64, staff_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE registration_review SET status = ?2, resolved_at = ?3, resolved_by = ?4 WHERE id = ?1",
        params![review_id, status, now, staff_id],
    )?;
    Ok(())
}

struct Moved {
    /// (id, starts_at) of each appointment moved.
    appointments: Vec<(i64, i64)>,
    notes: i64,
    phones: i64,
    callbacks: i64,
    escalations: i64,
}

/// Moves everything of `merged` to `keep` and leaves `merged` as a tombstone pointing to it.
fn merge_patients(conn: &Connection, keep: i64, merged: i64, now: i64) -> Result<Moved> {
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
    // A patient is never in two places at once; two records booked at the same time must be
    // sorted out (one cancelled) before they become one patient.
    let clash: Option<(i64, i64)> = conn
        .query_row(
            &format!(
                "SELECT a.id, b.id FROM appointment a JOIN appointment b
                   ON b.patient_id = ?2 AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at
                 WHERE a.patient_id = ?1 AND a.ends_at > ?3 AND b.ends_at > ?3
                   AND a.status IN {holds} AND b.status IN {holds} LIMIT 1",
                holds = crate::booking::HOLDS_TIME
            ),
            params![keep, merged, now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((a, b)) = clash {
        return Err(Error::Conflict(format!(
            "Appointments #{a} and #{b} are at the same time. Cancel the duplicate booking first; nothing was merged."
        )));
    }

    let mut stmt =
        conn.prepare_cached("SELECT id, starts_at FROM appointment WHERE patient_id = ?1 ORDER BY starts_at")?;
    let appointments: Vec<(i64, i64)> =
        stmt.query_map([merged], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    conn.execute(
        "UPDATE appointment SET patient_id = ?1, updated_at = ?3 WHERE patient_id = ?2",
        params![keep, merged, now],
    )?;
    let notes = conn.execute("UPDATE patient_note SET patient_id = ?1 WHERE patient_id = ?2", params![keep, merged])?;
    // waitlist: entries and untimed walk-ins (migration 0002) follow the patient too.
    conn.execute(
        "UPDATE waitlist_entry SET patient_id = ?1, updated_at = ?3 WHERE patient_id = ?2",
        params![keep, merged, now],
    )?;
    conn.execute(
        "UPDATE walk_in SET patient_id = ?1, updated_at = ?3 WHERE patient_id = ?2",
        params![keep, merged, now],
    )?;
    // callbacks: missed-call tasks and escalations (migration 0004) follow the patient too, so
    // the kept record shows its whole callback history and no task points to a tombstone.
    let callbacks = conn.execute(
        "UPDATE callback_task SET patient_id = ?1, updated_at = ?3 WHERE patient_id = ?2",
        params![keep, merged, now],
    )?;
    let escalations = conn.execute(
        "UPDATE escalation SET patient_id = ?1, updated_at = ?3 WHERE patient_id = ?2",
        params![keep, merged, now],
    )?;
    // Phones: the same number twice is one phone; the kept record's primary stays primary.
    conn.execute(
        "DELETE FROM patient_phone WHERE patient_id = ?2 AND e164 IN (SELECT e164 FROM patient_phone WHERE patient_id = ?1)",
        params![keep, merged],
    )?;
    let keep_has_primary: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM patient_phone WHERE patient_id = ?1 AND is_primary)",
        [keep],
        |r| r.get(0),
    )?;
    let phones = conn.execute(
        "UPDATE patient_phone SET patient_id = ?1, is_primary = is_primary AND NOT ?3 WHERE patient_id = ?2",
        params![keep, merged, keep_has_primary],
    )?;
    // Identifiers the kept record lacks come from the merged one (the MRN is unique, so it moves).
    conn.execute(
        "UPDATE patient SET
            date_of_birth = COALESCE(date_of_birth, (SELECT date_of_birth FROM patient WHERE id = ?2)),
            email = COALESCE(email, (SELECT email FROM patient WHERE id = ?2)),
            health_card = COALESCE(health_card, (SELECT health_card FROM patient WHERE id = ?2)),
            updated_at = ?3
         WHERE id = ?1",
        params![keep, merged, now],
    )?;
    let kept_has_mrn: bool =
        conn.query_row("SELECT mrn IS NOT NULL FROM patient WHERE id = ?1", [keep], |r| r.get(0))?;
    if !kept_has_mrn {
        let mrn: Option<String> = conn.query_row("SELECT mrn FROM patient WHERE id = ?1", [merged], |r| r.get(0))?;
        if mrn.is_some() {
            conn.execute("UPDATE patient SET mrn = NULL WHERE id = ?1", [merged])?;
            conn.execute("UPDATE patient SET mrn = ?2 WHERE id = ?1", params![keep, mrn])?;
        }
    }
    // The tombstone leaves the name index (trigger); earlier tombstones now point to the kept record.
    conn.execute("UPDATE patient SET merged_into = ?1 WHERE merged_into = ?2", params![keep, merged])?;
    conn.execute("UPDATE patient SET merged_into = ?1, updated_at = ?3 WHERE id = ?2", params![keep, merged, now])?;
    // An open review of the merged record is settled by the merge.
    conn.execute(
        "UPDATE registration_review SET status = 'merged', resolved_at = ?2 WHERE patient_id = ?1 AND status = 'open'",
        params![merged, now],
    )?;
    Ok(Moved {
        appointments,
        notes: notes as i64,
        phones: phones as i64,
        callbacks: callbacks as i64,
        escalations: escalations as i64,
    })
}

const PHONES_TO_FORMAT: &str =
    "SELECT id, e164 FROM patient_phone WHERE id > ?1 AND display IS NULL ORDER BY id LIMIT ?2";

/// Formats phones saved before displays were stored (migration 0005), a batch of those after
/// `after_id` at a time, so lists and search stop formatting them as they read. Returns where the
/// next batch starts, or None when none are left. Formatting happens outside the database lock;
/// this is derived data, not a change anyone made, so no audit event.
pub fn fill_phone_displays(desk: &crate::Desk, after_id: i64, batch: usize) -> Result<Option<i64>> {
    let (region, rows) = {
        let conn = desk.db();
        let Some(region) = clinic::load(&conn).ok().map(|c| c.phone_region) else { return Ok(None) };
        let mut stmt = conn.prepare_cached(PHONES_TO_FORMAT)?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params![after_id, batch as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        (region, rows)
    };
    let Some(&(last, _)) = rows.last() else { return Ok(None) };
    let shown: Vec<(i64, String)> =
        rows.into_iter().map(|(id, e164)| (id, crate::phone::format(&e164, region))).collect();
    let mut conn = desk.db();
    let tx = conn.transaction()?;
    {
        let mut update =
            tx.prepare_cached("UPDATE patient_phone SET display = ?2 WHERE id = ?1 AND display IS NULL")?;
        for (id, display) in &shown {
            update.execute(params![id, display])?;
        }
    }
    tx.commit()?;
    Ok(Some(last))
}

#[cfg(test)]
mod tests {
    use super::*;

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
