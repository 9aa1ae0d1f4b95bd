-- 0005: a patient's phone as the clinic shows it, formatted once when it is saved. Formatting
-- costs 10–30 µs a number (libphonenumber matches the number against every region sharing its
-- country code), which was half of a name search with a page of results. NULL for numbers saved
-- before this version: readers format those as they go (`phone::shown`).

ALTER TABLE patient_phone ADD COLUMN display TEXT;
-- The ones still to format, for the background fill (`patients::fill_phone_displays`): empty on a
-- clinic created by this version, so the check at every start is a seek, not a scan of the phones.
CREATE INDEX patient_phone_no_display ON patient_phone(id) WHERE display IS NULL;
