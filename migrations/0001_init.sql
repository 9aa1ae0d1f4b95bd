-- 0001: the foundation. Clinic, branches, staff, doctors and their availability, services,
-- patients, appointments and the append-only, hash-chained audit log.
-- Times are INTEGER unix seconds (UTC); calendar dates are TEXT 'YYYY-MM-DD' in the clinic's zone.

CREATE TABLE clinic (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT    NOT NULL,
    timezone            TEXT    NOT NULL,
    phone_region        TEXT    NOT NULL,
    languages           TEXT    NOT NULL DEFAULT 'en',
    idle_lock_minutes   INTEGER NOT NULL DEFAULT 10 CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    wait_amber_minutes  INTEGER NOT NULL DEFAULT 15,
    wait_red_minutes    INTEGER NOT NULL DEFAULT 30,
    is_demo             INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);

CREATE TABLE branch (
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL UNIQUE,
    address  TEXT    NOT NULL DEFAULT '',
    phone    TEXT,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id               INTEGER PRIMARY KEY,
    username         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name     TEXT    NOT NULL,
    email            TEXT,
    role             TEXT    NOT NULL CHECK (role IN
                        ('owner','admin','receptionist','doctor','reviewer','operations','support')),
    password_hash    TEXT    NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     INTEGER,
    created_at       INTEGER NOT NULL
);

CREATE TABLE doctor (
    id            INTEGER PRIMARY KEY,
    staff_id      INTEGER REFERENCES staff(id),
    display_name  TEXT    NOT NULL,
    department    TEXT    NOT NULL,
    specialties   TEXT    NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE doctor_branch (
    doctor_id  INTEGER NOT NULL REFERENCES doctor(id),
    branch_id  INTEGER NOT NULL REFERENCES branch(id),
    PRIMARY KEY (doctor_id, branch_id)
) WITHOUT ROWID;

-- Weekly template: weekday 0 = Monday. Minutes from local midnight.
CREATE TABLE availability_template (
    id            INTEGER PRIMARY KEY,
    doctor_id     INTEGER NOT NULL REFERENCES doctor(id),
    branch_id     INTEGER NOT NULL REFERENCES branch(id),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute  INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute    INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (end_minute > start_minute)
);
CREATE INDEX availability_template_doctor ON availability_template(doctor_id, weekday);

-- Leave (one doctor) or holiday (doctor_id NULL: the whole clinic or one branch).
CREATE TABLE availability_exception (
    id         INTEGER PRIMARY KEY,
    doctor_id  INTEGER REFERENCES doctor(id),
    branch_id  INTEGER REFERENCES branch(id),
    kind       TEXT    NOT NULL CHECK (kind IN ('leave','holiday')),
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    CHECK (ends_on >= starts_on)
);

CREATE TABLE service (
    id                INTEGER PRIMARY KEY,
    code              TEXT    NOT NULL UNIQUE,
    name              TEXT    NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    active            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE patient (
    id                  INTEGER PRIMARY KEY,
    given_name          TEXT    NOT NULL,
    family_name         TEXT    NOT NULL,
    date_of_birth       TEXT,
    sex                 TEXT    NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female','male','other','unknown')),
    email               TEXT,
    mrn                 TEXT    UNIQUE,
    health_card         TEXT,
    preferred_language  TEXT    NOT NULL DEFAULT 'en',
    consent_sms         INTEGER NOT NULL DEFAULT 0,
    consent_whatsapp    INTEGER NOT NULL DEFAULT 0,
    consent_email       INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE patient_phone (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patient(id),
    e164        TEXT    NOT NULL,
    label       TEXT    NOT NULL DEFAULT 'mobile',
    is_primary  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX patient_phone_e164 ON patient_phone(e164);
CREATE INDEX patient_phone_patient ON patient_phone(patient_id);

CREATE TABLE appointment (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patient(id),
    doctor_id     INTEGER NOT NULL REFERENCES doctor(id),
    branch_id     INTEGER NOT NULL REFERENCES branch(id),
    service_id    INTEGER NOT NULL REFERENCES service(id),
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN
                    ('booked','confirmed','arrived','in_room','completed','no_show','cancelled','rescheduled')),
    source        TEXT    NOT NULL CHECK (source IN ('phone','walk_in','voice_agent','online','emr')),
    reason        TEXT    NOT NULL DEFAULT '',
    notes         TEXT    NOT NULL DEFAULT '',
    arrived_at    INTEGER,
    in_room_at    INTEGER,
    completed_at  INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
-- (starts_at, doctor_id) is the day view's order, so it reads in index order with no sort.
CREATE INDEX appointment_starts ON appointment(starts_at, doctor_id);
CREATE INDEX appointment_doctor_starts ON appointment(doctor_id, starts_at);
CREATE INDEX appointment_patient_starts ON appointment(patient_id, starts_at);

-- Append-only and hash-chained: hash = SHA-256(prev_hash, this row's content).
CREATE TABLE audit_event (
    seq             INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    actor_staff_id  INTEGER,
    actor_role      TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    entity          TEXT    NOT NULL,
    entity_id       TEXT    NOT NULL,
    summary         TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event(entity, entity_id);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
