//! The clinic as the core uses it: its row (name, zone, phone region, thresholds, languages) and
//! the language codes it serves. Below the desk: every read and write starts by loading it.

use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// A language code as typed ("EN", " pa "): two or three letters, returned lower-cased; otherwise
/// an error naming `field`. Used for the clinic's languages and a patient's preferred one.
pub(crate) fn language_code(raw: &str, field: &'static str) -> Result<String> {
    let code = raw.trim().to_ascii_lowercase();
    if !(2..=3).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(Error::invalid(
            field,
            format!("\"{code}\" is not a language code. Use a two-letter code such as en, fr, hi or pa."),
        ));
    }
    Ok(code)
}

/// Checks a list of language codes: 1 to 12 codes of two or three letters, no repeats.
/// Returns them lower-cased, in the order given.
pub(crate) fn validate_languages(raw: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for code in raw {
        let code = language_code(code, "languages")?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err(Error::invalid("languages", "Pick at least one language the desk speaks with patients."));
    }
    if out.len() > 12 {
        return Err(Error::invalid("languages", "Pick at most 12 languages; the patient form lists them first."));
    }
    Ok(out)
}

/// The languages a new clinic starts with, from its phone region (changed in Settings).
pub(crate) fn default_languages(region: &str) -> &'static str {
    match region {
        "IN" => "en,hi",
        "CA" => "en,fr",
        _ => "en",
    }
}

/// The stored, comma-separated language list as codes; English when the list is empty.
pub(crate) fn split_languages(stored: &str) -> Vec<String> {
    let codes: Vec<String> = stored.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect();
    if codes.is_empty() {
        vec!["en".to_owned()]
    } else {
        codes
    }
}

/// The clinic row as the core uses it.
#[derive(Debug, Clone)]
pub struct Clinic {
    pub name: String,
    pub timezone: Tz,
    pub phone_region: phonenumber::country::Id,
    pub wait_amber_minutes: i64,
    pub wait_red_minutes: i64,
    /// The languages the desk serves patients in, most used first (never empty).
    pub languages: Vec<String>,
}

impl Clinic {
    /// How dates are written for this clinic (from its region).
    pub fn date_order(&self) -> crate::clock::DateOrder {
        crate::clock::DateOrder::of_region(self.phone_region.as_ref())
    }

    /// A date as this clinic writes it ("Tue 8 Dec 2026").
    pub fn date_label(&self, date: chrono::NaiveDate) -> String {
        crate::clock::date_label(self.date_order(), date)
    }
}

pub fn load(conn: &Connection) -> Result<Clinic> {
    let row: Option<(String, String, String, i64, i64, String)> = conn
        .query_row(
            "SELECT name, timezone, phone_region, wait_amber_minutes, wait_red_minutes, languages FROM clinic WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (name, tz, region, amber, red, languages) = row.ok_or(Error::NotSetUp)?;
    Ok(Clinic {
        name,
        timezone: tz.parse().map_err(|_| Error::Internal(format!("stored time zone {tz} is unknown")))?,
        phone_region: crate::phone::region(&region)?,
        wait_amber_minutes: amber,
        wait_red_minutes: red,
        languages: split_languages(&languages),
    })
}
