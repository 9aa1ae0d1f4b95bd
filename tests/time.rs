//! Time that is true: shifts, slots and labels on the daylight-saving transition days of
//! America/Vancouver and Europe/London (and the same days in Asia/Kolkata, which has none), and
//! instants from the window bounded before any arithmetic.

use chrono::NaiveDate;
use chrono_tz::Tz;
use frontdesk::clock::{self, check_date, check_instant, end_of, shift_end, shift_start, wall_label};
use frontdesk::{ApiError, ErrorCode};

fn utc(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const NOW: i64 = 1_795_446_000; // 2026-11-23

/// (zone, day, shift start minute, shift end minute, real start, real end)
const SHIFTS: &[(&str, &str, i64, i64, &str, &str)] = &[
    // Spring forward: 02:00 → 03:00. The shift is an hour shorter in real time.
    ("America/Vancouver", "2026-03-08", 60, 300, "2026-03-08T09:00:00Z", "2026-03-08T12:00:00Z"),
    // A shift that would start inside the gap starts when the gap ends (03:00 PDT).
    ("America/Vancouver", "2026-03-08", 150, 300, "2026-03-08T10:00:00Z", "2026-03-08T12:00:00Z"),
    // Fall back: 02:00 → 01:00. The shift works the repeated hour twice: an hour longer.
    ("America/Vancouver", "2026-11-01", 0, 180, "2026-11-01T07:00:00Z", "2026-11-01T11:00:00Z"),
    // A shift ending inside the repeated hour ends at its second pass.
    ("America/Vancouver", "2026-11-01", 0, 90, "2026-11-01T07:00:00Z", "2026-11-01T09:30:00Z"),
    // A shift ending at 24:00 ends at the next midnight.
    ("America/Vancouver", "2026-11-02", 1080, 1440, "2026-11-03T02:00:00Z", "2026-11-03T08:00:00Z"),
    ("Europe/London", "2026-03-29", 0, 240, "2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z"),
    ("Europe/London", "2026-10-25", 0, 240, "2026-10-24T23:00:00Z", "2026-10-25T04:00:00Z"),
    ("Europe/London", "2026-10-25", 1200, 1440, "2026-10-25T20:00:00Z", "2026-10-26T00:00:00Z"),
    // No daylight saving: the same days are ordinary.
    ("Asia/Kolkata", "2026-03-08", 60, 300, "2026-03-07T19:30:00Z", "2026-03-07T23:30:00Z"),
    ("Asia/Kolkata", "2026-11-01", 0, 180, "2026-10-31T18:30:00Z", "2026-10-31T21:30:00Z"),
    ("Asia/Kolkata", "2026-11-01", 1260, 1440, "2026-11-01T15:30:00Z", "2026-11-01T18:30:00Z"),
];

#[test]
fn shifts_start_and_end_in_real_time_on_transition_days() {
    for (zone, date, start, end, real_start, real_end) in SHIFTS {
        let tz: Tz = zone.parse().unwrap();
        let d = day(date);
        assert_eq!(shift_start(tz, d, *start), Some(utc(real_start)), "{zone} {date} start {start}");
        assert_eq!(shift_end(tz, d, *end), Some(utc(real_end)), "{zone} {date} end {end}");
    }
}

/// (zone, instant, label)
const LABELS: &[(&str, &str, &str)] = &[
    ("America/Vancouver", "2026-11-01T08:30:00Z", "01:30 PDT"),
    ("America/Vancouver", "2026-11-01T09:30:00Z", "01:30 PST"),
    ("America/Vancouver", "2026-11-01T10:00:00Z", "02:00"),
    ("America/Vancouver", "2026-03-08T10:00:00Z", "03:00"),
    ("America/Vancouver", "2026-03-08T09:59:00Z", "01:59"),
    ("Europe/London", "2026-10-25T00:30:00Z", "01:30 BST"),
    ("Europe/London", "2026-10-25T01:30:00Z", "01:30 GMT"),
    ("Europe/London", "2026-03-29T01:00:00Z", "02:00"),
    ("Asia/Kolkata", "2026-11-01T03:30:00Z", "09:00"),
];

#[test]
fn the_repeated_autumn_hour_is_labelled_unambiguously() {
    for (zone, at, label) in LABELS {
        let tz: Tz = zone.parse().unwrap();
        assert_eq!(wall_label(tz, utc(at)), *label, "{zone} {at}");
    }
}

#[test]
fn instants_and_dates_from_the_window_are_bounded() {
    let code = |r: frontdesk::Result<i64>| r.map_err(|e| ApiError::from(e).code);
    assert_eq!(code(check_instant(NOW + 3600, NOW, "starts_at")), Ok(NOW + 3600));
    for bad in [i64::MIN, -1, 0, clock::EARLIEST - 1, NOW + 6 * 366 * 86_400, i64::MAX] {
        assert_eq!(code(check_instant(bad, NOW, "starts_at")), Err(ErrorCode::InvalidInput), "{bad}");
    }
    let e = ApiError::from(check_instant(i64::MAX, NOW, "starts_at").unwrap_err());
    assert_eq!(e.field.as_deref(), Some("starts_at"));
    assert!(e.message.contains("2000") && e.message.contains("year"), "{}", e.message);
    assert!(check_date(day("1999-12-31"), NOW, "date").is_err());
    assert!(check_date(day("2040-01-01"), NOW, "date").is_err());
    assert!(check_date(day("2027-06-01"), NOW, "date").is_ok());
    // Lengths: a day at most; no overflow whatever comes in.
    assert_eq!(end_of(NOW, 15, "service").unwrap(), NOW + 900);
    for bad in [0, -5, 1441, i64::MAX, i64::MIN] {
        assert!(end_of(NOW, bad, "service").is_err(), "{bad}");
    }
}
