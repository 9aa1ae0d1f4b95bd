-- 0003: patient search (FTS5), phone tails, notes, registration review and merges.

-- The patient's relationship to the holder of the phone (families share one mobile).
ALTER TABLE patient_phone ADD COLUMN relationship TEXT NOT NULL DEFAULT 'self'
    CHECK (relationship IN ('self','spouse','child','parent','sibling','other'));
-- The last seven digits find a number however it is typed ("098450-12345", "+91 98450 12345",
-- "(604) 555-1234") without knowing the caller's region; search then checks the longer suffix.
ALTER TABLE patient_phone ADD COLUMN tail7 TEXT GENERATED ALWAYS AS (substr(e164, -7)) VIRTUAL;
CREATE INDEX patient_phone_tail7 ON patient_phone(tail7);

-- A merged record is a tombstone pointing to the record that was kept.
ALTER TABLE patient ADD COLUMN merged_into INTEGER REFERENCES patient(id);
-- Identifiers are looked up case-insensitively, exactly or by prefix, in index order.
CREATE INDEX patient_mrn_nocase ON patient(mrn COLLATE NOCASE);
CREATE INDEX patient_health_card_nocase ON patient(health_card COLLATE NOCASE);
-- Duplicate detection compares a new registration with everyone born the same day.
CREATE INDEX patient_date_of_birth ON patient(date_of_birth);

-- Names, searchable by any word in any order and by prefix. External content: the text lives in
-- `patient`; the triggers below keep the index in step and leave merged records out of it.
CREATE VIRTUAL TABLE patient_fts USING fts5(
    given_name, family_name,
    content = 'patient', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO patient_fts (rowid, given_name, family_name)
    SELECT id, given_name, family_name FROM patient WHERE merged_into IS NULL;

CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient WHEN new.merged_into IS NULL
BEGIN
    INSERT INTO patient_fts (rowid, given_name, family_name) VALUES (new.id, new.given_name, new.family_name);
END;
CREATE TRIGGER patient_fts_delete AFTER DELETE ON patient WHEN old.merged_into IS NULL
BEGIN
    INSERT INTO patient_fts (patient_fts, rowid, given_name, family_name)
        VALUES ('delete', old.id, old.given_name, old.family_name);
END;
CREATE TRIGGER patient_fts_update AFTER UPDATE OF given_name, family_name, merged_into ON patient
BEGIN
    INSERT INTO patient_fts (patient_fts, rowid, given_name, family_name)
        SELECT 'delete', old.id, old.given_name, old.family_name WHERE old.merged_into IS NULL;
    INSERT INTO patient_fts (rowid, given_name, family_name)
        SELECT new.id, new.given_name, new.family_name WHERE new.merged_into IS NULL;
END;

-- Typo tolerance: every name word (lower-cased, without diacritics) under itself and under each
-- of its one-letter deletions, so words within one edit of a typed word are a few index lookups
-- away. Words are folded in Rust (`search::fold`); the triggers only queue the patients whose
-- names changed, and the core folds the queue inside its next write (search reads the queue too).
CREATE TABLE name_term (
    variant  TEXT NOT NULL,
    term     TEXT NOT NULL,
    PRIMARY KEY (variant, term)
) WITHOUT ROWID;
CREATE TABLE name_term_pending (
    patient_id  INTEGER PRIMARY KEY
);
INSERT INTO name_term_pending (patient_id) SELECT id FROM patient;
CREATE TRIGGER name_term_pending_insert AFTER INSERT ON patient
BEGIN
    INSERT OR IGNORE INTO name_term_pending (patient_id) VALUES (new.id);
END;
CREATE TRIGGER name_term_pending_update AFTER UPDATE OF given_name, family_name ON patient
BEGIN
    INSERT OR IGNORE INTO name_term_pending (patient_id) VALUES (new.id);
END;

CREATE TABLE patient_note (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patient(id),
    body             TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    author_staff_id  INTEGER NOT NULL REFERENCES staff(id),
    created_at       INTEGER NOT NULL
);
CREATE INDEX patient_note_patient ON patient_note(patient_id, created_at);

-- A registration that looks like someone already registered waits here for a person to decide:
-- families legitimately share a phone, so nothing is merged automatically.
CREATE TABLE registration_review (
    id           INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL REFERENCES patient(id),
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','merged','distinct')),
    created_at   INTEGER NOT NULL,
    resolved_at  INTEGER,
    resolved_by  INTEGER REFERENCES staff(id),
    CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX registration_review_status ON registration_review(status, created_at);
CREATE UNIQUE INDEX registration_review_one_open ON registration_review(patient_id) WHERE status = 'open';

CREATE TABLE review_candidate (
    review_id     INTEGER NOT NULL REFERENCES registration_review(id),
    candidate_id  INTEGER NOT NULL REFERENCES patient(id),
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    -- Comma-separated, e.g. 'same phone, similar name'.
    reasons       TEXT    NOT NULL,
    PRIMARY KEY (review_id, candidate_id)
) WITHOUT ROWID;
CREATE INDEX review_candidate_candidate ON review_candidate(candidate_id);
