//! Phone numbers in the formats people type become E.164 with the clinic's region.

use frontdesk::phone::{display, normalise, region};

fn check(region_code: &str, raw: &str, expected: &str) {
    let r = region(region_code).unwrap();
    assert_eq!(normalise(raw, r, "phone").unwrap_or_else(|e| panic!("{raw}: {e}")), expected, "{raw} in {region_code}");
}

#[test]
fn the_formats_front_desks_type() {
    let cases = [
        ("IN", "+91 98450 12345", "+919845012345"),
        ("IN", "098450-12345", "+919845012345"),
        ("IN", "9845012345", "+919845012345"),
        ("IN", "+91-98450-12345", "+919845012345"),
        ("CA", "(604) 555-1234", "+16045551234"),
        ("CA", "604.555.1234", "+16045551234"),
        ("CA", "1-604-555-1234", "+16045551234"),
        ("CA", "+91 98450 12345", "+919845012345"),
    ];
    for (r, raw, e164) in cases {
        check(r, raw, e164);
    }
}

#[test]
fn nonsense_is_refused_with_a_message_naming_the_field() {
    let r = region("IN").unwrap();
    for raw in ["", "hello", "12", "+91 12345"] {
        let e = normalise(raw, r, "caller_phone").err().unwrap_or_else(|| panic!("{raw:?} must be refused"));
        assert_eq!(frontdesk::ApiError::from(e).field.as_deref(), Some("caller_phone"));
    }
    assert!(region("XX").is_err(), "an unknown region must be refused");
}

#[test]
fn numbers_display_nationally_at_home_and_internationally_abroad() {
    let ca = region("CA").unwrap();
    assert_eq!(display("+16045551234", ca), "(604) 555-1234");
    assert_eq!(display("+919845012345", ca), "+91 98450 12345");
}
