-- 0005: a patient's phone as the clinic shows it, formatted once when it is saved. Formatting
-- costs 10–30 µs a number (libphonenumber matches the number against every region sharing its
-- country code), which was half of a name search with a page of results. NULL for numbers saved
-- before this version: readers format those as they go (`phone::shown`).

ALTER TABLE patient_phone ADD COLUMN display TEXT;
