-- 0011: staff administration. An account given a temporary password (a new account, or a reset
-- by an owner or admin) must choose its own before it can do anything else; a doctor on the
-- schedule is linked to at most one staff account (doctor.staff_id, from 0001, was never set
-- before this migration, so no existing row can break the index).
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX doctor_staff ON doctor(staff_id) WHERE staff_id IS NOT NULL;
