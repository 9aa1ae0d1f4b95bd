-- 0015: support sessions. A support person (the software vendor's staff, role `support`) asks
-- for a time-boxed session with a reason and a scope; an owner or admin approves or denies it;
-- an approved session runs from its approval for the minutes asked, and can be ended early.
--
-- The status is never stored: it follows from the timestamps and the time of the question
-- (src/support.rs::status), so a session expires without any background job. The clinic's
-- `support_access` says whether requests are taken at all (`ask`, the default: each one needs
-- an owner's or admin's approval; `off`: refused).
CREATE TABLE support_session (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    -- Why the support person needs access, in their words (shown on the banner; never audited).
    reason       TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    scope        TEXT    NOT NULL CHECK (scope IN ('schedule', 'schedule_and_patients')),
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 480),
    requested_at INTEGER NOT NULL,
    -- 'approved' or 'denied' once an owner or admin decided; NULL while requested.
    decision     TEXT    CHECK (decision IN ('approved', 'denied')),
    decided_by   INTEGER REFERENCES staff(id),
    decided_at   INTEGER,
    deny_reason  TEXT,
    -- Set when approved: the session runs [starts_at, expires_at).
    starts_at    INTEGER,
    expires_at   INTEGER,
    -- Set when ended early (by an owner, an admin or the support person) or withdrawn.
    ended_by     INTEGER REFERENCES staff(id),
    ended_at     INTEGER,
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK ((decision = 'approved') = (starts_at IS NOT NULL AND expires_at IS NOT NULL)),
    CHECK (expires_at IS NULL OR expires_at > starts_at)
);
-- The desk's check on every call of a support person: their sessions, newest first.
CREATE INDEX support_session_staff ON support_session(staff_id, id);
-- At most one request waiting for a decision per person.
CREATE UNIQUE INDEX support_session_one_pending ON support_session(staff_id)
    WHERE decision IS NULL AND ended_at IS NULL;

ALTER TABLE clinic ADD COLUMN support_access TEXT NOT NULL DEFAULT 'ask' CHECK (support_access IN ('ask', 'off'));
