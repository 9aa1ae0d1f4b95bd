-- 0009: a patient's details can be corrected. The record gains an address (the fields clinics
-- ask for at registration: street, city, province or state, postal code) and a version that an
-- edit form carries back, so a form loaded before someone else's change is refused rather than
-- overwriting it. Every corrected value is kept before and after (`patient_edit`, one row per
-- field), tied to the edit's audit row: the log names only which fields changed, and the values —
-- PHI — stay here, with the record.

ALTER TABLE patient ADD COLUMN address_line TEXT;
ALTER TABLE patient ADD COLUMN city TEXT;
ALTER TABLE patient ADD COLUMN region TEXT;
ALTER TABLE patient ADD COLUMN postal_code TEXT;
-- Goes up by one with every edit and merge of the record (`patients::update_patient`).
ALTER TABLE patient ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The value columns have no declared type on purpose (as in patient_merge_move): each value is kept
-- exactly as it was stored. `phones` is the whole list as JSON, primary first.
CREATE TABLE patient_edit (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patient(id),
    audit_seq   INTEGER NOT NULL REFERENCES audit_event(seq),
    at          INTEGER NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    field       TEXT    NOT NULL,
    before,
    after
);
CREATE INDEX patient_edit_patient ON patient_edit(patient_id, at);

-- An edit screens the patient again and skips pairs a person already decided: the reviews of
-- one patient, whatever their status, are a seek.
CREATE INDEX registration_review_patient ON registration_review(patient_id);
