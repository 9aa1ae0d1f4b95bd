//! Time as the front desk means it: instants (Unix seconds) from the window, bounded before any
//! arithmetic; a shift's wall-clock hours turned into real instants on a given day, across
//! daylight-saving changes; and local times labelled so that the repeated autumn hour is never
//! ambiguous.
//!
//! Rules (table-tested in `tests/time.rs` on the transition days of America/Vancouver,
//! Europe/London and Asia/Kolkata):
//! - A slot lasts its service's length in real time: its end is its start plus the length.
//! - A shift starts at its first wall-clock minute that exists (a start inside the spring gap
//!   begins when the gap ends) and ends at its last wall-clock minute's *second* pass in the
//!   autumn overlap (a night shift through the repeated hour works it twice), so slots are laid
//!   out in real time between those two instants: across the spring gap the shift is an hour
//!   shorter, across the autumn overlap an hour longer, and no slot starts in time that does not
//!   exist.
//! - A shift ending at 24:00 ends at the next midnight, so its last slot is offered.
//! - A wall-clock time that happens twice that day is labelled with its zone abbreviation
//!   ("01:30 PDT", then "01:30 PST").
//! - A calendar date is written one way everywhere, in the order of the clinic's region:
//!   "Tue 8 Dec 2026" (day first) or "Tue Dec 8, 2026" (month first); a birth date without the
//!   weekday. The window formats with the same rule ([`DateOrder`] comes with the session).

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// The earliest instant Frontdesk accepts from the window: 2000-01-01 00:00 UTC.
pub const EARLIEST: i64 = 946_684_800;

/// How far ahead an appointment, a search or a view may reach: five years.
pub const HORIZON_SECONDS: i64 = 5 * 366 * 86_400;

/// The longest a slot or a service may last: a day.
pub const MAX_MINUTES: i64 = 24 * 60;

/// The latest instant accepted at `now`.
fn latest(now: i64) -> i64 {
    now.clamp(EARLIEST, i64::MAX / 4) + HORIZON_SECONDS
}

/// Checks an instant from the window before anything computes with it: from 2000 up to five
/// years after `now`. The error names `field` and says what to do.
pub fn check_instant(at: i64, now: i64, field: &'static str) -> Result<i64> {
    if (EARLIEST..=latest(now)).contains(&at) {
        Ok(at)
    } else {
        Err(Error::invalid(field, out_of_range(now)))
    }
}

/// Checks a calendar date from the window, with the same range as [`check_instant`].
pub fn check_date(date: NaiveDate, now: i64, field: &'static str) -> Result<NaiveDate> {
    let first = DateTime::from_timestamp(EARLIEST, 0).map(|t| t.date_naive());
    let last = DateTime::from_timestamp(latest(now), 0).map(|t| t.date_naive());
    match (first, last) {
        (Some(first), Some(last)) if (first..=last).contains(&date) => Ok(date),
        _ => Err(Error::invalid(field, out_of_range(now))),
    }
}

fn out_of_range(now: i64) -> String {
    let last_year = DateTime::from_timestamp(latest(now), 0).map_or(2100, |t| t.year());
    format!("That date is outside the range Frontdesk works with (2000 to {last_year}). Check the year.")
}

/// The end of something that starts at `start` and lasts `minutes` of real time. `start` must
/// already be checked; `minutes` is checked here (1 minute to a day).
pub fn end_of(start: i64, minutes: i64, field: &'static str) -> Result<i64> {
    if !(1..=MAX_MINUTES).contains(&minutes) {
        return Err(Error::invalid(field, format!("A length of {minutes} minutes is not possible. Use 1 to 1,440.")));
    }
    start.checked_add(minutes * 60).ok_or_else(|| Error::invalid(field, "That time is out of range."))
}

/// The local calendar day and minute of the day of `at` (0 ≤ minute < 1440).
pub fn local_minute(tz: Tz, at: i64) -> Option<(NaiveDate, i64)> {
    let t = DateTime::from_timestamp(at, 0)?.with_timezone(&tz);
    Some((t.date_naive(), i64::from(t.hour() * 60 + t.minute())))
}

fn wall(date: NaiveDate, minute: i64) -> Option<NaiveDateTime> {
    if !(0..=MAX_MINUTES).contains(&minute) {
        return None;
    }
    // 24:00 is the next day's midnight.
    let (date, minute) = if minute == MAX_MINUTES { (date.succ_opt()?, 0) } else { (date, minute) };
    Some(date.and_time(NaiveTime::from_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0)?))
}

/// The first instant at or after wall-clock `naive` that exists (the end of a spring gap).
fn first_existing(tz: Tz, naive: NaiveDateTime, second_pass: bool) -> Option<i64> {
    // Gaps are at most a few hours; walk forward a minute at a time until the wall clock exists.
    for step in 0..=240 {
        let candidate = naive + Duration::minutes(step);
        match tz.from_local_datetime(&candidate) {
            LocalResult::Single(t) => return Some(t.timestamp()),
            LocalResult::Ambiguous(first, second) => {
                return Some(if second_pass { second.timestamp() } else { first.timestamp() })
            }
            LocalResult::None => continue,
        }
    }
    None
}

/// When a shift that starts at wall-clock `minute` on `date` really starts: the first pass of a
/// repeated time; the end of the gap for a time that does not exist.
pub fn shift_start(tz: Tz, date: NaiveDate, minute: i64) -> Option<i64> {
    first_existing(tz, wall(date, minute)?, false)
}

/// When a shift that ends at wall-clock `minute` on `date` really ends: the second pass of a
/// repeated time; the end of the gap for a time that does not exist; 24:00 is the next midnight.
pub fn shift_end(tz: Tz, date: NaiveDate, minute: i64) -> Option<i64> {
    first_existing(tz, wall(date, minute)?, true)
}

/// `HH:MM` in the clinic's zone, with the zone's abbreviation when that wall-clock time happens
/// twice that day ("01:30 PDT" / "01:30 PST"), so the two passes of the autumn hour differ.
pub fn wall_label(tz: Tz, at: i64) -> String {
    let Some(t) = DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&tz)) else {
        return "--:--".to_owned();
    };
    let hhmm = t.format("%H:%M").to_string();
    match tz.from_local_datetime(&t.naive_local()) {
        LocalResult::Ambiguous(..) => format!("{hhmm} {}", t.format("%Z")),
        _ => hhmm,
    }
}

/// The order a clinic's people write dates in, from its phone region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// "Tue 8 Dec 2026" (most of the world).
    DayFirst,
    /// "Tue Dec 8, 2026" (the United States, Canada, the Philippines).
    MonthFirst,
}

impl DateOrder {
    pub fn of_region(region: &str) -> DateOrder {
        match region {
            "US" | "CA" | "PH" | "PR" | "GU" | "AS" | "VI" | "MP" | "UM" | "FM" | "MH" | "PW" => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar date as people at the desk read it: "Tue 8 Dec 2026" / "Tue Dec 8, 2026".
pub fn date_label(order: DateOrder, date: NaiveDate) -> String {
    format!("{} {}", WEEKDAYS[date.weekday().num_days_from_monday() as usize], birth_date_label(order, date))
}

/// A date without its weekday (dates of birth): "8 Dec 1984" / "Dec 8, 1984".
pub fn birth_date_label(order: DateOrder, date: NaiveDate) -> String {
    let month = MONTHS[date.month0() as usize];
    match order {
        DateOrder::DayFirst => format!("{} {month} {}", date.day(), date.year()),
        DateOrder::MonthFirst => format!("{month} {}, {}", date.day(), date.year()),
    }
}
