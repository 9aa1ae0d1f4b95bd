//! The demo clinic and the large-clinic generator. Deterministic: the same seed and the same
//! "now" give the same clinic, so screenshots and benchmarks are repeatable.
//!
//! Realism matters more than volume: Indian and Canadian names and phone numbers, families sharing
//! one mobile, doctors with weekly templates (mornings, afternoons, a Sunday clinic), a holiday and a
//! leave, past days mostly completed with no-shows and cancellations, today half-done.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, Connection, TransactionBehavior};

use crate::audit::{self, Actor, Entry};
use crate::error::{Error, Result};
use crate::password::hash_password;
use crate::schedule::{day_bounds, local_date};
use crate::settings::{insert_clinic, validate_clinic};

/// The shape of a generated clinic.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub clinic_name: String,
    pub timezone: String,
    pub phone_region: String,
    pub branches: usize,
    pub doctors: usize,
    pub patients: usize,
    /// Days of appointments before and after today.
    pub days_before: i64,
    pub days_after: i64,
    /// Share of template time that is booked (0..1).
    pub fill: f64,
    /// Create the demo staff accounts (with their argon2 hashes; slow-ish by design).
    pub staff_accounts: bool,
}

impl Config {
    /// The clinic `--demo` seeds: 2 branches, 8 doctors, 5,000 patients, 6 weeks around today.
    pub fn demo() -> Config {
        Config {
            seed: 20_260_522,
            clinic_name: "Maple & Lotus Family Clinic".into(),
            timezone: "America/Toronto".into(),
            phone_region: "CA".into(),
            branches: 2,
            doctors: 8,
            patients: 5_000,
            days_before: 21,
            days_after: 21,
            fill: 0.8,
            staff_accounts: true,
        }
    }

    /// A large clinic for benchmarks: 100,000 patients and about 1,000,000 appointments.
    pub fn large() -> Config {
        Config {
            seed: 7,
            clinic_name: "Benchmark Health Network".into(),
            branches: 6,
            doctors: 150,
            patients: 100_000,
            days_before: 360,
            days_after: 180,
            fill: 0.85,
            staff_accounts: false,
            ..Config::demo()
        }
    }

    /// A patient registry of 1,000,000 for the search benchmark, with only a week of appointments
    /// so that it generates in reasonable time.
    pub fn million_patients() -> Config {
        Config {
            seed: 11,
            clinic_name: "Benchmark Patient Registry".into(),
            branches: 2,
            doctors: 20,
            patients: 1_000_000,
            days_before: 3,
            days_after: 3,
            fill: 0.85,
            staff_accounts: false,
            ..Config::demo()
        }
    }
}

/// The demo accounts, shown on the sign-in screen of the demo clinic only.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    ("owner", "Neha Kapoor", "owner", "frontdesk-owner"),
    ("admin", "Daniel Roy", "admin", "frontdesk-admin"),
    ("reception", "Simran Gill", "receptionist", "frontdesk-demo"),
    ("reception2", "Olivia Tremblay", "receptionist", "frontdesk-demo"),
];

/// The demo clinic's accounts as its sign-in screen lists them.
pub fn accounts() -> Vec<crate::settings::DemoAccount> {
    DEMO_ACCOUNTS
        .iter()
        .map(|(username, display_name, role, password)| crate::settings::DemoAccount {
            username: (*username).into(),
            display_name: (*display_name).into(),
            role: (*role).into(),
            password: (*password).into(),
        })
        .collect()
}

const BRANCHES: &[(&str, &str)] = &[
    ("Brampton – Queen St", "110 Queen St W, Brampton ON"),
    ("Mississauga – Hurontario", "4300 Hurontario St, Mississauga ON"),
    ("Toronto – Danforth", "620 Danforth Ave, Toronto ON"),
    ("Scarborough – Markham Rd", "1200 Markham Rd, Scarborough ON"),
    ("Surrey – King George", "13450 King George Blvd, Surrey BC"),
    ("Vancouver – Main St", "3200 Main St, Vancouver BC"),
];

const DOCTORS: &[(&str, &str)] = &[
    ("Dr. Anita Chen", "Family Medicine"),
    ("Dr. Rajiv Malhotra", "Internal Medicine"),
    ("Dr. Sarah Thompson", "Pediatrics"),
    ("Dr. Harjit Sidhu", "Family Medicine"),
    ("Dr. Marie Tremblay", "Dermatology"),
    ("Dr. Vikram Rao", "Cardiology"),
    ("Dr. Emily Wong", "Obstetrics & Gynecology"),
    ("Dr. Arjun Nair", "Orthopedics"),
];

const SERVICES: &[(&str, &str, i64)] = &[
    ("CONS", "Consultation", 15),
    ("NEWP", "New patient visit", 30),
    ("FU", "Follow-up", 10),
    ("PHYS", "Annual physical", 30),
    ("VACC", "Vaccination", 10),
    ("PROC", "Minor procedure", 45),
    ("ECG", "ECG", 20),
];

const GIVEN_IN: &[&str] = &[
    "Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Rahul", "Deepika", "Sanjay", "Meera",
    "Amit", "Pooja", "Harpreet", "Gurpreet", "Manpreet", "Simran", "Rajesh", "Sunita", "Ishaan", "Diya", "Karan",
    "Nisha", "Aditya", "Lakshmi", "Farhan", "Zara", "Jaspreet", "Navneet",
];
const FAMILY_IN: &[&str] = &[
    "Sharma", "Patel", "Singh", "Gill", "Sandhu", "Reddy", "Iyer", "Nair", "Gupta", "Kumar", "Mehta", "Joshi",
    "Dhillon", "Grewal", "Chopra", "Bhatia", "Kaur", "Desai", "Menon", "Rao",
];
const GIVEN_CA: &[&str] = &[
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "William",
    "Charlotte",
    "Benjamin",
    "Ava",
    "Lucas",
    "Amelia",
    "Ethan",
    "Sophie",
    "Jacob",
    "Chloe",
    "Owen",
    "Émilie",
    "Mathieu",
    "Nathan",
    "Hannah",
    "Gabriel",
    "Léa",
    "Jack",
];
const FAMILY_CA: &[&str] = &[
    "Smith",
    "Tremblay",
    "Roy",
    "Gagnon",
    "Brown",
    "Wilson",
    "MacDonald",
    "Campbell",
    "Martin",
    "Lee",
    "Chen",
    "Wong",
    "Taylor",
    "Anderson",
    "Bouchard",
    "Côté",
    "Fraser",
    "Morrison",
    "Nguyen",
    "Li",
];
const REASONS: &[&str] = &[
    "Fever and cough",
    "Follow-up on blood work",
    "Back pain",
    "Prescription renewal",
    "Annual physical",
    "Skin rash",
    "Child vaccination",
    "Blood pressure check",
    "Diabetes review",
    "Ear pain",
    "Knee pain",
    "Prenatal visit",
    "Headaches",
    "Sore throat",
    "Travel vaccination",
    "Chest discomfort follow-up",
];
const CA_AREA: &[&str] = &["416", "647", "437", "905", "289", "365", "604", "778"];

/// What was generated, for the benchmark's printout.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub patients: usize,
    pub appointments: usize,
}

/// Seeds a generated clinic into an empty database. Refused when a clinic already exists.
pub fn seed(conn: &mut Connection, config: &Config, now: i64) -> Result<Summary> {
    let clinic = validate_clinic(&config.clinic_name, &config.timezone, &config.phone_region)?;
    let tz = clinic.timezone;
    let mut rng = fastrand::Rng::with_seed(config.seed);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM clinic)", [], |r| r.get(0))?;
    if exists {
        return Err(Error::AlreadySetUp);
    }
    insert_clinic(&tx, &clinic, true, now)?;
    // The demo desk serves Canadian and Indian families: the languages its patients speak.
    tx.execute("UPDATE clinic SET languages = 'en,fr,hi,pa' WHERE id = 1", [])?;

    // Staff.
    if config.staff_accounts {
        for (username, name, role, password) in DEMO_ACCOUNTS {
            tx.execute(
                "INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![username, name, role, hash_password(password)?, now],
            )?;
        }
    }

    // Branches, services.
    let branch_count = config.branches.clamp(1, BRANCHES.len());
    for (name, address) in &BRANCHES[..branch_count] {
        tx.execute("INSERT INTO branch (name, address) VALUES (?1, ?2)", params![name, address])?;
    }
    for (code, name, minutes) in SERVICES {
        tx.execute(
            "INSERT INTO service (code, name, duration_minutes) VALUES (?1, ?2, ?3)",
            params![code, name, minutes],
        )?;
    }

    // Doctors, each with a home branch and a weekly template; every third works a second branch
    // one day a week, and doctors 0 and 3 run a Sunday morning clinic.
    struct Shift {
        doctor: i64,
        branch: i64,
        weekday: u32,
        start: i64,
        end: i64,
    }
    let mut shifts: Vec<Shift> = Vec::new();
    for d in 0..config.doctors {
        let (name, department) = if d < DOCTORS.len() {
            (DOCTORS[d].0.to_owned(), DOCTORS[d].1.to_owned())
        } else {
            let given = if d % 2 == 0 { GIVEN_IN[d % GIVEN_IN.len()] } else { GIVEN_CA[d % GIVEN_CA.len()] };
            let family =
                if d % 2 == 0 { FAMILY_IN[(d / 3) % FAMILY_IN.len()] } else { FAMILY_CA[(d / 3) % FAMILY_CA.len()] };
            (format!("Dr. {given} {family} ({d})"), DOCTORS[d % DOCTORS.len()].1.to_owned())
        };
        tx.execute("INSERT INTO doctor (display_name, department) VALUES (?1, ?2)", params![name, department])?;
        let doctor = tx.last_insert_rowid();
        let home = (d % branch_count) as i64 + 1;
        let other = ((d + 1) % branch_count) as i64 + 1;
        tx.execute("INSERT INTO doctor_branch (doctor_id, branch_id) VALUES (?1, ?2)", params![doctor, home])?;
        let second_branch = d % 3 == 0 && other != home;
        if second_branch {
            tx.execute("INSERT INTO doctor_branch (doctor_id, branch_id) VALUES (?1, ?2)", params![doctor, other])?;
        }
        let day_off = (d % 5) as u32; // one weekday off, Mon..Fri
        for weekday in 0..6u32 {
            if weekday == day_off {
                continue;
            }
            let branch = if second_branch && weekday == 5 { other } else { home };
            if weekday == 5 {
                shifts.push(Shift { doctor, branch, weekday, start: 9 * 60, end: 13 * 60 });
            } else {
                shifts.push(Shift { doctor, branch, weekday, start: 9 * 60, end: 13 * 60 });
                shifts.push(Shift {
                    doctor,
                    branch,
                    weekday,
                    start: 14 * 60,
                    end: 17 * 60 + if d % 2 == 0 { 0 } else { 60 },
                });
            }
        }
        if d % 8 == 0 || d % 8 == 3 {
            shifts.push(Shift { doctor, branch: home, weekday: 6, start: 9 * 60, end: 13 * 60 });
        }
    }
    {
        let mut stmt = tx.prepare(
            "INSERT INTO availability_template (doctor_id, branch_id, weekday, start_minute, end_minute) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for s in &shifts {
            stmt.execute(params![s.doctor, s.branch, s.weekday, s.start, s.end])?;
        }
    }

    // A clinic holiday a week and a half ahead and one doctor's leave next week.
    let today = local_date(tz, now);
    let holiday = today + Duration::days(10);
    let leave_from = today + Duration::days(3);
    let leave_to = today + Duration::days(5);
    tx.execute(
        "INSERT INTO availability_exception (doctor_id, branch_id, kind, starts_on, ends_on, reason) VALUES (NULL, NULL, 'holiday', ?1, ?1, 'Clinic holiday')",
        [holiday.to_string()],
    )?;
    tx.execute(
        "INSERT INTO availability_exception (doctor_id, branch_id, kind, starts_on, ends_on, reason) VALUES (2, NULL, 'leave', ?1, ?2, 'Conference')",
        params![leave_from.to_string(), leave_to.to_string()],
    )?;

    // Patients.
    let region = crate::phone::region(&config.phone_region)?;
    let mut phones: Vec<String> = Vec::with_capacity(config.patients);
    {
        let mut p_stmt = tx.prepare(
            "INSERT INTO patient (given_name, family_name, date_of_birth, sex, email, mrn, health_card, preferred_language,
                                  consent_sms, consent_whatsapp, consent_email, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        )?;
        let mut ph_stmt = tx.prepare(
            "INSERT INTO patient_phone (patient_id, e164, label, is_primary, relationship, display)
             VALUES (?1, ?2, ?3, 1, ?4, ?5)",
        )?;
        let mut last_family = String::new();
        // Relationships and look-alike registrations draw from their own generator, so the rest of
        // the clinic is the same as without them.
        let mut extra = fastrand::Rng::with_seed(config.seed ^ 0x5eed_d0b1);
        let clinic_row = crate::clinic::load(&tx)?;
        let look_alikes = look_alike_slots(config.patients);
        // The date of birth of whoever holds the phone that family members share.
        let mut holder_dob = today;
        for i in 0..config.patients {
            let indian = rng.f64() < 0.55;
            // One in eight patients is family of the previous one and shares their mobile.
            let family_member = i > 0 && rng.u8(..8) == 0;
            let given =
                if indian { GIVEN_IN[rng.usize(..GIVEN_IN.len())] } else { GIVEN_CA[rng.usize(..GIVEN_CA.len())] };
            let family = if family_member {
                last_family.clone()
            } else if indian {
                FAMILY_IN[rng.usize(..FAMILY_IN.len())].to_owned()
            } else {
                FAMILY_CA[rng.usize(..FAMILY_CA.len())].to_owned()
            };
            let age_days = rng.i64(1..(90 * 365));
            let dob = today - Duration::days(age_days);
            let sex = if rng.bool() { "female" } else { "male" };
            let phone = if family_member {
                phones[i - 1].clone()
            } else if indian && rng.u8(..10) == 0 {
                // Family abroad: an Indian mobile.
                format!("+91{}{:09}", [9, 8, 7, 6][rng.usize(..4)], rng.u32(..1_000_000_000))
            } else {
                format!("+1{}{}{:06}", CA_AREA[rng.usize(..CA_AREA.len())], rng.u32(2..10), rng.u32(..1_000_000))
            };
            let email = (rng.u8(..10) < 6)
                .then(|| format!("{}.{}{}@example.com", ascii_lower(given), ascii_lower(&family), rng.u16(1..100)));
            let mrn = format!("MRN{:07}", 100_000 + i);
            let health_card = (rng.u8(..10) < 8).then(|| {
                format!(
                    "{:010}{}{}",
                    rng.u64(1_000_000_000..10_000_000_000),
                    (b'A' + rng.u8(..26)) as char,
                    (b'A' + rng.u8(..26)) as char
                )
            });
            let language =
                if indian { ["en", "hi", "pa", "en"][rng.usize(..4)] } else { ["en", "en", "fr"][rng.usize(..3)] };
            let relationship = if family_member {
                family_relationship(&mut extra, holder_dob, dob)
            } else {
                holder_dob = dob;
                "self"
            };
            let (consent_sms, consent_whatsapp) = (rng.u8(..10) < 8, rng.u8(..10) < 6);
            if let Some(kind) = look_alikes.iter().position(|slot| *slot == i) {
                // Someone registered again: the same person with a slip of the keyboard.
                let original = extra.usize(i.saturating_sub(400)..i);
                let look_alike = look_alike(&tx, &mut extra, kind, original as i64 + 1, &phones[original], today)?;
                let registered_at = now - 3_600 * (kind as i64 * 23 + extra.i64(1..20));
                p_stmt.execute(params![
                    look_alike.given,
                    look_alike.family,
                    look_alike.dob,
                    sex,
                    Option::<String>::None,
                    mrn,
                    look_alike.health_card,
                    language,
                    consent_sms,
                    consent_whatsapp,
                    false,
                    registered_at
                ])?;
                let id = tx.last_insert_rowid();
                let shown = crate::phone::format(&look_alike.phone, region);
                ph_stmt.execute(params![id, look_alike.phone, "mobile", "self", shown])?;
                crate::patients::screen_registration(&tx, &clinic_row, id, registered_at)?;
                last_family = look_alike.family;
                phones.push(look_alike.phone);
                continue;
            }
            p_stmt.execute(params![
                given,
                family,
                dob.to_string(),
                sex,
                email,
                mrn,
                health_card,
                language,
                consent_sms,
                consent_whatsapp,
                email.is_some(),
                now
            ])?;
            let id = tx.last_insert_rowid();
            ph_stmt.execute(params![id, phone, "mobile", relationship, crate::phone::format(&phone, region)])?;
            last_family = family;
            phones.push(phone);
        }
    }
    crate::search::index_pending_names(&tx)?;

    // Appointments, day by day through the template, never overlapping for a doctor or a patient
    // (the schema refuses either since migration 0006).
    let mut appointments = 0usize;
    let mut patient_busy: std::collections::HashMap<i64, Vec<(i64, i64)>> = std::collections::HashMap::new();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO appointment (patient_id, doctor_id, branch_id, service_id, starts_at, ends_at, status, source,
                                      reason, notes, arrived_at, in_room_at, completed_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
        )?;
        for offset in -config.days_before..=config.days_after {
            let date: NaiveDate = today + Duration::days(offset);
            if date == holiday {
                continue;
            }
            let weekday = date.weekday().num_days_from_monday();
            let (midnight, _) = day_bounds(tz, date);
            for s in shifts.iter().filter(|s| s.weekday == weekday) {
                if s.doctor == 2 && date >= leave_from && date <= leave_to {
                    continue;
                }
                let mut minute = s.start;
                while minute < s.end {
                    let (service, duration) = pick_service(&mut rng);
                    if minute + duration > s.end {
                        break;
                    }
                    if rng.f64() >= config.fill {
                        minute += 10;
                        continue;
                    }
                    // Local wall time → UTC; a DST gap shifts by the offset, which is fine for demo data.
                    let starts_at = midnight + minute * 60;
                    let ends_at = starts_at + duration * 60;
                    let free = |p: &i64, busy: &std::collections::HashMap<i64, Vec<(i64, i64)>>| {
                        busy.get(p).is_none_or(|b| b.iter().all(|(s, e)| *e <= starts_at || *s >= ends_at))
                    };
                    let Some(patient) =
                        (0..8).map(|_| rng.i64(1..=config.patients as i64)).find(|p| free(p, &patient_busy))
                    else {
                        minute += duration;
                        continue;
                    };
                    patient_busy.entry(patient).or_default().push((starts_at, ends_at));
                    let visit = visit_state(&mut rng, starts_at, ends_at, now, offset);
                    let source = ["phone", "phone", "phone", "walk_in", "voice_agent", "online"][rng.usize(..6)];
                    let reason = REASONS[rng.usize(..REASONS.len())];
                    let notes = if rng.u8(..12) == 0 { "Prefers a female interpreter" } else { "" };
                    stmt.execute(params![
                        patient,
                        s.doctor,
                        s.branch,
                        service,
                        starts_at,
                        ends_at,
                        visit.status,
                        source,
                        reason,
                        notes,
                        visit.arrived_at,
                        visit.in_room_at,
                        visit.completed_at,
                        starts_at - 86_400 * rng.i64(1..30)
                    ])?;
                    appointments += 1;
                    minute += duration;
                }
            }
        }
    }

    // The afternoon's missed calls (one caller tried twice) and the voice agent's escalations.
    {
        let mut stmt = tx.prepare(
            "INSERT INTO callback_task (caller_e164, line, patient_id, source, first_missed_at, last_missed_at, missed_count,
                                        created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?6)",
        )?;
        let lines = ["Main line", "Brampton front desk", "Mississauga front desk"];
        for (i, minutes_ago) in [38_i64, 21, 12, 7, 3].into_iter().enumerate() {
            let known = i % 4 != 3;
            let (phone, patient) = if known {
                let p = rng.usize(..phones.len());
                (phones[p].clone(), Some(p as i64 + 1))
            } else {
                (
                    format!("+1{}{}{:06}", CA_AREA[rng.usize(..CA_AREA.len())], rng.u32(2..10), rng.u32(..1_000_000)),
                    None,
                )
            };
            let count = if i == 1 { 2 } else { 1 };
            stmt.execute(params![
                phone,
                lines[i % lines.len()],
                patient,
                ["telephony", "voice_agent", "staff"][i % 3],
                now - minutes_ago * 60,
                now - (minutes_ago - 2 * (count - 1)) * 60,
                count
            ])?;
        }
        let mut stmt = tx.prepare(
            "INSERT INTO escalation (category, severity, source, summary, patient_id, caller_name, call_ref, sla_started_at, created_at, updated_at)
             VALUES (?1, ?2, 'voice_agent', ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
        )?;
        let cases: [(&str, &str, &str, i64); 4] = [
            ("urgent_symptoms", "urgent", "Caller says her father has had chest tightness since the morning and asked for the earliest slot. Agent advised emergency services and escalated.", 4),
            ("billing_dispute", "high", "Caller disputes a charge for a missed appointment last week and wants to speak to the manager.", 26),
            ("unknown_question", "normal", "Caller asked whether the clinic offers travel vaccinations for Kenya; no approved answer in the FAQ library.", 55),
            ("low_confidence", "normal", "Call transcript unclear (background noise); the caller may want to reschedule with Dr. Chen.", 130),
        ];
        for (i, (category, severity, summary, minutes_ago)) in cases.into_iter().enumerate() {
            let patient = rng.i64(1..=config.patients as i64);
            let given: String =
                tx.query_row("SELECT given_name FROM patient WHERE id = ?1", [patient], |r| r.get(0))?;
            stmt.execute(params![
                category,
                severity,
                summary,
                patient,
                given,
                format!("call_demo_{i}"),
                now - minutes_ago * 60
            ])?;
        }
    }

    // A wait list: patients hoping for an earlier slot, a few urgent, waiting from days to weeks.
    {
        let mut stmt = tx.prepare(
            "INSERT INTO waitlist_entry (patient_id, doctor_id, branch_id, weekdays, time_of_day, urgent, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        )?;
        let notes =
            ["Wants an earlier slot", "Can come at short notice", "After school only", "Follow-up on test results", ""];
        for i in 0..config.patients.min(8) as i64 {
            let doctor = (rng.u8(..3) > 0).then(|| rng.i64(1..=config.doctors as i64));
            let weekdays = if rng.bool() { 127 } else { 0b0011111 };
            let time_of_day = ["any", "morning", "afternoon"][rng.usize(..3)];
            stmt.execute(params![
                rng.i64(1..=config.patients as i64),
                doctor,
                Option::<i64>::None,
                weekdays,
                time_of_day,
                i % 3 == 0,
                notes[rng.usize(..notes.len())],
                now - 3_600 * rng.i64(2..500)
            ])?;
        }
    }

    audit::record(
        &tx,
        now,
        &Actor::system(),
        Entry {
            action: "clinic.demo_seeded",
            entity: "clinic",
            entity_id: "1".into(),
            summary: format!(
                "demo clinic seeded: seed {}, {} patients, {appointments} appointments",
                config.seed, config.patients
            ),
        },
    )?;
    tx.commit()?;
    Ok(Summary { patients: config.patients, appointments })
}

/// Where in the patient list the look-alike registrations go: six, spread out, in clinics big
/// enough to have someone to look like.
fn look_alike_slots(patients: usize) -> Vec<usize> {
    if patients < 500 {
        return Vec::new();
    }
    (1..=6).map(|k| patients * k / 7).collect()
}

/// A family member's relationship to the holder of the phone they share, from their ages.
fn family_relationship(rng: &mut fastrand::Rng, holder_dob: NaiveDate, dob: NaiveDate) -> &'static str {
    let years_younger = (dob - holder_dob).num_days() / 365;
    if years_younger >= 16 {
        "child"
    } else if years_younger <= -16 {
        "parent"
    } else if rng.bool() {
        "spouse"
    } else {
        "sibling"
    }
}

/// A second registration of an existing patient, as it happens at a busy desk.
struct LookAlike {
    given: String,
    family: String,
    dob: Option<String>,
    phone: String,
    health_card: Option<String>,
}

/// Builds the `kind`-th look-alike of patient `original`: the same phone with a doubled or a
/// dropped letter, the same birthday with a typo in the surname, the same phone with the day and
/// month swapped, the same birthday and name on a new phone, the same health card.
fn look_alike(
    conn: &Connection,
    rng: &mut fastrand::Rng,
    kind: usize,
    original: i64,
    original_phone: &str,
    today: NaiveDate,
) -> Result<LookAlike> {
    let (given, family, dob, health_card): (String, String, Option<String>, Option<String>) = conn.query_row(
        "SELECT given_name, family_name, date_of_birth, health_card FROM patient WHERE id = ?1",
        [original],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let doubled = |s: &str| format!("{s}{}", s.chars().last().unwrap_or('a'));
    let dropped = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() < 5 {
            doubled(s)
        } else {
            let at = chars.len() / 2;
            chars.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, c)| c).collect()
        }
    };
    let new_phone = format!("+1{}{}{:06}", CA_AREA[rng.usize(..CA_AREA.len())], rng.u32(2..10), rng.u32(..1_000_000));
    let swapped_dob = dob.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map(|d| {
        let swapped = NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).filter(|s| *s != d && *s <= today);
        swapped.unwrap_or(d + Duration::days(1)).to_string()
    });
    let same = |phone: String, dob: Option<String>| LookAlike {
        given: given.clone(),
        family: family.clone(),
        dob,
        phone,
        health_card: None,
    };
    Ok(match kind {
        0 => LookAlike { given: doubled(&given), dob: None, ..same(original_phone.to_owned(), None) },
        1 => LookAlike { family: dropped(&family), ..same(new_phone, dob.clone()) },
        2 => same(original_phone.to_owned(), swapped_dob),
        3 => LookAlike { given: dropped(&given), ..same(original_phone.to_owned(), None) },
        4 => same(new_phone, dob.clone()),
        _ => match health_card {
            Some(card) => LookAlike { given: doubled(&given), health_card: Some(card), ..same(new_phone, None) },
            None => same(original_phone.to_owned(), None),
        },
    })
}

fn ascii_lower(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase()
}

fn pick_service(rng: &mut fastrand::Rng) -> (i64, i64) {
    // Consultations and follow-ups dominate a family clinic's day.
    let i = match rng.u8(..20) {
        0..=7 => 0,
        8..=10 => 1,
        11..=14 => 2,
        15..=16 => 3,
        17 => 4,
        18 => 5,
        _ => 6,
    };
    (i as i64 + 1, SERVICES[i].2)
}

struct Visit {
    status: &'static str,
    arrived_at: Option<i64>,
    in_room_at: Option<i64>,
    completed_at: Option<i64>,
}

/// How far along a visit is, given when it is relative to now.
fn visit_state(rng: &mut fastrand::Rng, starts_at: i64, ends_at: i64, now: i64, day_offset: i64) -> Visit {
    let roll = rng.u8(..100);
    let arrived = starts_at - 60 * rng.i64(0..15);
    let in_room = starts_at + 60 * rng.i64(0..20);
    let done = |status| Visit { status, arrived_at: None, in_room_at: None, completed_at: None };
    if starts_at > now {
        // Future (and later today): booked or confirmed, a few cancelled.
        return match roll {
            0..=4 => done("cancelled"),
            5..=54 => done("booked"),
            _ => done("confirmed"),
        };
    }
    if day_offset == 0 && now - starts_at < 3_600 {
        // Within the last hour: people in the waiting room and in with the doctor.
        return match roll {
            0..=34 => {
                Visit { status: "arrived", arrived_at: Some(arrived.min(now)), in_room_at: None, completed_at: None }
            }
            35..=69 => Visit {
                status: "in_room",
                arrived_at: Some(arrived.min(now)),
                in_room_at: Some(in_room.min(now)),
                completed_at: None,
            },
            70..=89 => done("confirmed"),
            _ => done("no_show"),
        };
    }
    let completed = Visit {
        status: "completed",
        arrived_at: Some(arrived),
        in_room_at: Some(in_room),
        completed_at: Some(in_room.max(ends_at).min(now)),
    };
    if day_offset == 0 {
        // Today, earlier: mostly completed, some not yet closed out by the desk.
        return match roll {
            0..=59 => completed,
            60..=71 => done("confirmed"),
            72..=79 => done("booked"),
            80..=89 => done("no_show"),
            _ => done("cancelled"),
        };
    }
    match roll {
        0..=81 => completed,
        82..=89 => done("no_show"),
        90..=96 => done("cancelled"),
        _ => done("rescheduled"),
    }
}

/// Seeds the demo clinic when the desk holds no clinic yet; returns whether it seeded.
/// An existing clinic (demo or real) is never touched.
pub fn seed_if_empty(desk: &crate::Desk, now: i64) -> Result<bool> {
    let mut conn = desk.db();
    let exists: bool = conn.query_row("SELECT EXISTS(SELECT 1 FROM clinic)", [], |r| r.get(0))?;
    if exists {
        return Ok(false);
    }
    seed(&mut conn, &Config::demo(), now)?;
    drop(conn);
    desk.events.publish(crate::events::Event::ClinicSetUp);
    Ok(true)
}
