//! Phone numbers: anything a person types (`098450-12345`, `(604) 555-1234`, `+91 98450 12345`)
//! becomes E.164 using the clinic's default region, through `phonenumber`, a kept port of
//! Google's libphonenumber.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use phonenumber::country::Id;
use phonenumber::Mode;

use crate::error::{Error, Result};

/// Parses a two-letter region code ("IN", "CA").
pub fn region(code: &str) -> Result<Id> {
    code.trim().to_ascii_uppercase().parse::<Id>().map_err(|_| {
        Error::invalid(
            "phone_region",
            format!("\"{code}\" is not a known region. Use a two-letter country code such as IN or CA."),
        )
    })
}

/// Loads libphonenumber's metadata (≈ 130 ms the first time, in release) so the first screen
/// that shows a phone number does not pay for it. The shell calls it on a background thread at
/// start; calling it again costs nothing.
pub fn warm_up() {
    let _ = phonenumber::parse(Some(Id::CA), "+1 604 555 1234").map(|n| n.is_valid());
}

/// Normalises `raw` to E.164 with `region` as the default for numbers without a country code.
pub fn normalise(raw: &str, region: Id, field: &'static str) -> Result<String> {
    Ok(parse_valid(raw, region, field)?.format().mode(Mode::E164).to_string())
}

/// [`normalise`] and [`format`] with one parse of the number (the importer reads 100,000 of them;
/// libphonenumber's parse is most of a number's cost).
pub fn normalise_and_format(raw: &str, region: Id, field: &'static str) -> Result<(String, String)> {
    let number = parse_valid(raw, region, field)?;
    let local = number.country().id() == Some(region);
    let shown = number.format().mode(if local { Mode::National } else { Mode::International }).to_string();
    Ok((number.format().mode(Mode::E164).to_string(), shown))
}

fn parse_valid(raw: &str, region: Id, field: &'static str) -> Result<phonenumber::PhoneNumber> {
    let cleaned = raw.trim();
    if cleaned.is_empty() {
        return Err(Error::invalid(field, "Enter a phone number."));
    }
    let number = phonenumber::parse(Some(region), cleaned).map_err(|_| {
        Error::invalid(
            field,
            format!(
                "\"{cleaned}\" is not a phone number. Type the digits, with the country code if it is not a {} number.",
                region.as_ref()
            ),
        )
    })?;
    if !number.is_valid() {
        return Err(Error::invalid(
            field,
            format!("\"{cleaned}\" is not a valid number. Check the digits (and the country code)."),
        ));
    }
    Ok(number)
}

/// Shows an E.164 number the way people in `region` write it: national format for local
/// numbers, international otherwise. Falls back to the stored text if it does not parse.
///
/// Formatting costs 10–30 µs a number (libphonenumber tries the patterns of every region that
/// shares the country code: 25 for +1), and lists and search results show the same numbers over
/// and over; so the answers are remembered, up to [`SHOWN_CAPACITY`] of them.
pub fn display(e164: &str, region: Id) -> String {
    let key = (region.as_ref().to_owned(), e164.to_owned());
    if let Some(shown) = remembered().get(&key) {
        return shown.clone();
    }
    let formatted = format(e164, region);
    let mut cache = remembered();
    if cache.len() >= SHOWN_CAPACITY {
        cache.clear();
    }
    cache.insert(key, formatted.clone());
    formatted
}

/// How many formatted numbers [`display`] keeps (about 2 MB); past it, it starts over.
const SHOWN_CAPACITY: usize = 20_000;

/// [`display`] without remembering the answer: for numbers formatted once and stored (a
/// patient's phones, `patient_phone.display`).
pub fn format(e164: &str, region: Id) -> String {
    match phonenumber::parse(None, e164) {
        Ok(n) => {
            let local = n.country().id() == Some(region);
            n.format().mode(if local { Mode::National } else { Mode::International }).to_string()
        }
        Err(_) => e164.to_owned(),
    }
}

/// A stored phone as shown: its stored display, or (saved before there was one) formatted now.
pub fn shown(e164: &str, stored: Option<String>, region: Id) -> String {
    stored.unwrap_or_else(|| display(e164, region))
}

fn remembered() -> std::sync::MutexGuard<'static, HashMap<(String, String), String>> {
    static SHOWN: LazyLock<Mutex<HashMap<(String, String), String>>> = LazyLock::new(Mutex::default);
    SHOWN.lock().unwrap_or_else(|e| e.into_inner())
}
