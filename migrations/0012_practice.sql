-- The clinic's practice, set up by its own people: branch status, the numbers patients call,
-- opening hours; slot lengths on doctors' hours; training as an exception; services' department
-- and new-patient rule; appointments a change of hours or a closure left to rebook.

-- A branch is active, temporarily closed or permanently closed; `active` (read everywhere a
-- branch is offered) stays true only while it is open.
ALTER TABLE branch ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'temporarily_closed', 'permanently_closed'));
UPDATE branch SET status = 'permanently_closed' WHERE active = 0;

-- The numbers patients call, in E.164; one number routes to one branch.
CREATE TABLE branch_phone (
    id         INTEGER PRIMARY KEY,
    phone      TEXT    NOT NULL UNIQUE,
    branch_id  INTEGER NOT NULL REFERENCES branch(id),
    label      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX branch_phone_branch ON branch_phone(branch_id);
INSERT OR IGNORE INTO branch_phone (phone, branch_id, label)
    SELECT phone, id, 'Main' FROM branch WHERE phone IS NOT NULL AND phone <> '';

-- Opening hours: weekday 0 = Monday, minutes from local midnight; several per day allowed.
CREATE TABLE branch_hours (
    id            INTEGER PRIMARY KEY,
    branch_id     INTEGER NOT NULL REFERENCES branch(id),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    open_minute   INTEGER NOT NULL CHECK (open_minute BETWEEN 0 AND 1439),
    close_minute  INTEGER NOT NULL CHECK (close_minute BETWEEN 1 AND 1440),
    CHECK (close_minute > open_minute)
);
CREATE INDEX branch_hours_branch ON branch_hours(branch_id, weekday);

-- The grid free slots are offered on. Hours saved before this migration keep the 5-minute grid
-- they were searched on.
ALTER TABLE availability_template ADD COLUMN slot_minutes INTEGER NOT NULL DEFAULT 5
    CHECK (slot_minutes BETWEEN 5 AND 240);

-- Exceptions gain 'training' (a doctor away for a course); rebuilt because a CHECK cannot change.
CREATE TABLE availability_exception_new (
    id         INTEGER PRIMARY KEY,
    doctor_id  INTEGER REFERENCES doctor(id),
    branch_id  INTEGER REFERENCES branch(id),
    kind       TEXT    NOT NULL CHECK (kind IN ('leave', 'training', 'holiday')),
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    CHECK (ends_on >= starts_on),
    -- Leave and training are a doctor's; a holiday is the clinic's or one branch's.
    CHECK ((kind = 'holiday') = (doctor_id IS NULL))
);
INSERT INTO availability_exception_new (id, doctor_id, branch_id, kind, starts_on, ends_on, reason)
    SELECT id, doctor_id, branch_id, kind, starts_on, ends_on, reason FROM availability_exception
    WHERE (kind = 'holiday') = (doctor_id IS NULL);
DROP TABLE availability_exception;
ALTER TABLE availability_exception_new RENAME TO availability_exception;
CREATE INDEX availability_exception_dates ON availability_exception(starts_on, ends_on);

-- Services: the department that gives them and who may book them.
ALTER TABLE service ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE service ADD COLUMN new_patient_rule TEXT NOT NULL DEFAULT 'any'
    CHECK (new_patient_rule IN ('any', 'new_only', 'returning_only'));

-- Booked appointments a change left outside the doctor's hours (new hours, leave, a holiday, a
-- closed branch), listed until each is moved or cancelled.
CREATE TABLE rebook_needed (
    appointment_id  INTEGER PRIMARY KEY REFERENCES appointment(id),
    reason          TEXT    NOT NULL,
    since           INTEGER NOT NULL
);

-- The owner's first-run checklist (branches → doctors and hours → services → staff → patients),
-- hidden once dismissed.
ALTER TABLE clinic ADD COLUMN checklist_dismissed INTEGER NOT NULL DEFAULT 0;
