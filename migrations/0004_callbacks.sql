-- 0004: the missed-call callback queue, escalations (human-loop tasks), alerts and per-user
-- alert preferences.

ALTER TABLE clinic ADD COLUMN callback_sla_minutes INTEGER NOT NULL DEFAULT 15;
ALTER TABLE clinic ADD COLUMN escalation_sla_urgent_minutes INTEGER NOT NULL DEFAULT 5;
ALTER TABLE clinic ADD COLUMN escalation_sla_high_minutes INTEGER NOT NULL DEFAULT 30;
ALTER TABLE clinic ADD COLUMN escalation_sla_normal_minutes INTEGER NOT NULL DEFAULT 240;

-- One open task per caller number: a second missed call updates it (count, latest time).
CREATE TABLE callback_task (
    id                 INTEGER PRIMARY KEY,
    caller_e164        TEXT    NOT NULL,
    line               TEXT    NOT NULL DEFAULT '',
    branch_id          INTEGER REFERENCES branch(id),
    patient_id         INTEGER REFERENCES patient(id),
    source             TEXT    NOT NULL DEFAULT 'staff' CHECK (source IN ('staff','telephony','voice_agent')),
    first_missed_at    INTEGER NOT NULL,
    last_missed_at     INTEGER NOT NULL,
    missed_count       INTEGER NOT NULL DEFAULT 1,
    status             TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending','attempted','completed','unreachable','wrong_number')),
    assigned_to        INTEGER REFERENCES staff(id),
    assigned_at        INTEGER,
    breach_alerted_at  INTEGER,
    closed_at          INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX callback_task_one_open_per_number ON callback_task(caller_e164) WHERE status IN ('pending','attempted');
CREATE INDEX callback_task_queue ON callback_task(status, first_missed_at);
CREATE INDEX callback_task_patient ON callback_task(patient_id);

CREATE TABLE callback_attempt (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES callback_task(id),
    staff_id  INTEGER REFERENCES staff(id),
    at        INTEGER NOT NULL,
    outcome   TEXT    NOT NULL CHECK (outcome IN ('reached','no_answer','busy','voicemail','wrong_number','invalid')),
    note      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX callback_attempt_task ON callback_attempt(task_id, at);

CREATE TABLE escalation (
    id                 INTEGER PRIMARY KEY,
    category           TEXT    NOT NULL CHECK (category IN ('urgent_symptoms','angry_caller','billing_dispute',
                                 'unknown_question','low_confidence','tool_failure','report_review','registration_help')),
    severity           TEXT    NOT NULL CHECK (severity IN ('urgent','high','normal')),
    source             TEXT    NOT NULL CHECK (source IN ('voice_agent','staff','message')),
    summary            TEXT    NOT NULL,
    patient_id         INTEGER REFERENCES patient(id),
    caller_name        TEXT    NOT NULL DEFAULT '',
    caller_e164        TEXT,
    call_ref           TEXT,
    owner_id           INTEGER REFERENCES staff(id),
    status             TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
    outcome            TEXT    NOT NULL DEFAULT '',
    resolved_at        INTEGER,
    resolved_by        INTEGER REFERENCES staff(id),
    breach_alerted_at  INTEGER,
    -- The SLA clock: creation, or the latest reopening.
    sla_started_at     INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX escalation_open ON escalation(status, severity, created_at);

CREATE TABLE escalation_note (
    id             INTEGER PRIMARY KEY,
    escalation_id  INTEGER NOT NULL REFERENCES escalation(id),
    staff_id       INTEGER REFERENCES staff(id),
    body           TEXT    NOT NULL,
    at             INTEGER NOT NULL
);

-- Every alert is kept here whether or not the desktop notification reached a daemon.
CREATE TABLE alert (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('urgent_escalation','escalation_breach','callback_breach')),
    entity          TEXT    NOT NULL,
    entity_id       INTEGER NOT NULL,
    urgent          INTEGER NOT NULL DEFAULT 0,
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    seen_at         INTEGER,
    delivered_at    INTEGER,
    delivery_error  TEXT
);
CREATE INDEX alert_unseen ON alert(seen_at, created_at);

CREATE TABLE staff_preference (
    staff_id        INTEGER PRIMARY KEY REFERENCES staff(id),
    -- Which alerts become desktop notifications: all, urgent only, or none (the in-app list keeps all).
    desktop_alerts  TEXT    NOT NULL DEFAULT 'all' CHECK (desktop_alerts IN ('all','urgent','none'))
);
