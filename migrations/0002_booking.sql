-- 0002: booking fields (seed 000 US-4), walk-ins and the wait list.

ALTER TABLE appointment ADD COLUMN caller_name TEXT NOT NULL DEFAULT '';
-- The caller's relationship to the patient: 'self' when the patient called.
ALTER TABLE appointment ADD COLUMN caller_relationship TEXT NOT NULL DEFAULT 'self';
ALTER TABLE appointment ADD COLUMN referral TEXT NOT NULL DEFAULT '';
ALTER TABLE appointment ADD COLUMN follow_up_on TEXT;
ALTER TABLE appointment ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE appointment ADD COLUMN rescheduled_to INTEGER REFERENCES appointment(id);
ALTER TABLE appointment ADD COLUMN booked_by INTEGER REFERENCES staff(id);

-- Walk-ins that could not be given a timed slot wait here, untimed, in arrival order.
CREATE TABLE walk_in (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    branch_id       INTEGER NOT NULL REFERENCES branch(id),
    doctor_id       INTEGER REFERENCES doctor(id),
    service_id      INTEGER NOT NULL REFERENCES service(id),
    reason          TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','booked','left')),
    appointment_id  INTEGER REFERENCES appointment(id),
    arrived_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX walk_in_status ON walk_in(status, arrived_at);

-- Patients waiting for an earlier or any slot. weekdays is a bit mask, Monday = 1 << 0.
CREATE TABLE waitlist_entry (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    doctor_id       INTEGER REFERENCES doctor(id),
    branch_id       INTEGER REFERENCES branch(id),
    service_id      INTEGER REFERENCES service(id),
    weekdays        INTEGER NOT NULL DEFAULT 127 CHECK (weekdays BETWEEN 1 AND 127),
    time_of_day     TEXT    NOT NULL DEFAULT 'any' CHECK (time_of_day IN ('any','morning','afternoon')),
    urgent          INTEGER NOT NULL DEFAULT 0,
    note            TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','booked','removed')),
    appointment_id  INTEGER REFERENCES appointment(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX waitlist_entry_open ON waitlist_entry(status, urgent DESC, created_at);
