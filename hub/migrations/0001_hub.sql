-- The hub's first schema: clinics, the desks enrolled in them, and one-time enrolment codes.
-- A desk's credential and an enrolment code are stored only as SHA-256 hashes.

CREATE TABLE clinic (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (length(btrim(name)) > 0),
    -- IANA zone, e.g. "Asia/Kolkata".
    timezone    text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE desk (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id       bigint NOT NULL REFERENCES clinic (id),
    name            text NOT NULL CHECK (length(btrim(name)) > 0),
    credential_hash bytea NOT NULL UNIQUE CHECK (length(credential_hash) = 32),
    enrolled_at     timestamptz NOT NULL DEFAULT now(),
    -- Set once; a revoked desk is refused on its next request.
    revoked_at      timestamptz,
    last_seen_at    timestamptz
);
CREATE INDEX desk_by_clinic ON desk (clinic_id);

CREATE TABLE enrolment_code (
    code_hash   bytea PRIMARY KEY CHECK (length(code_hash) = 32),
    clinic_id   bigint NOT NULL REFERENCES clinic (id),
    -- The name the desk will carry ("Front desk 2"), chosen when the code is made.
    desk_name   text NOT NULL CHECK (length(btrim(desk_name)) > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- Set when a desk exchanged the code; a code works once.
    used_at     timestamptz,
    desk_id     bigint REFERENCES desk (id),
    CHECK ((used_at IS NULL) = (desk_id IS NULL))
);
CREATE INDEX enrolment_code_by_clinic ON enrolment_code (clinic_id);
