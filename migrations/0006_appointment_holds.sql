-- 0006: the schema itself refuses double booking. An appointment that holds time (booked,
-- confirmed, arrived, in room, completed: `status::HOLDS_TIME`) may not overlap another one that
-- holds time for the same doctor or for the same patient. The app checks this before it writes
-- (booking, rescheduling, walk-ins, the wait list, a status change back into a holding status);
-- these triggers make sure that no code path, here or in the clinic hub, writes one anyway.
-- Times are half-open intervals: 09:00–09:15 and 09:15–09:30 do not overlap.
--
-- A holding appointment lasts at most a day (services last at most 8 hours). So an appointment
-- that overlaps [starts_at, ends_at) starts within the day before it, and each check reads one
-- short range of appointment_doctor_starts or appointment_patient_starts (0001), never a
-- doctor's or a patient's whole history.
--
-- An update is checked only when it makes a row hold time or changes the time, doctor or patient
-- of a row that holds time: moving a visit along (arrived → in room) changes nothing about whom
-- it overlaps.
--
-- Every message starts with "Appointment refused: " so that the error conversion can tell the
-- person what happened (a conflict, not a storage failure).

CREATE TRIGGER appointment_holds_insert BEFORE INSERT ON appointment
WHEN NEW.status IN ('booked','confirmed','arrived','in_room','completed')
BEGIN
    SELECT RAISE(ABORT, 'Appointment refused: an appointment lasts at most a day. Nothing was saved; book separate visits.')
    WHERE NEW.ends_at - NEW.starts_at > 86400;
    SELECT RAISE(ABORT, 'Appointment refused: the doctor already has an appointment at that time. Nothing was saved; book a new slot, or add the patient as a walk-in.')
    WHERE EXISTS (
        SELECT 1 FROM appointment o
        WHERE o.doctor_id = NEW.doctor_id
          AND o.starts_at > NEW.starts_at - 86400 AND o.starts_at < NEW.ends_at AND o.ends_at > NEW.starts_at
          AND o.status IN ('booked','confirmed','arrived','in_room','completed'));
    SELECT RAISE(ABORT, 'Appointment refused: the patient already has an appointment at that time. Nothing was saved; book a new slot, or add the patient as a walk-in.')
    WHERE EXISTS (
        SELECT 1 FROM appointment o
        WHERE o.patient_id = NEW.patient_id
          AND o.starts_at > NEW.starts_at - 86400 AND o.starts_at < NEW.ends_at AND o.ends_at > NEW.starts_at
          AND o.status IN ('booked','confirmed','arrived','in_room','completed'));
END;

CREATE TRIGGER appointment_holds_update BEFORE UPDATE OF status, starts_at, ends_at, doctor_id, patient_id ON appointment
WHEN NEW.status IN ('booked','confirmed','arrived','in_room','completed')
 AND (OLD.status NOT IN ('booked','confirmed','arrived','in_room','completed')
      OR NEW.starts_at IS NOT OLD.starts_at OR NEW.ends_at IS NOT OLD.ends_at
      OR NEW.doctor_id IS NOT OLD.doctor_id OR NEW.patient_id IS NOT OLD.patient_id)
BEGIN
    SELECT RAISE(ABORT, 'Appointment refused: an appointment lasts at most a day. Nothing was saved; book separate visits.')
    WHERE NEW.ends_at - NEW.starts_at > 86400;
    SELECT RAISE(ABORT, 'Appointment refused: the doctor already has an appointment at that time. Nothing was saved; book a new slot, or add the patient as a walk-in.')
    WHERE EXISTS (
        SELECT 1 FROM appointment o
        WHERE o.doctor_id = NEW.doctor_id AND o.id <> OLD.id
          AND o.starts_at > NEW.starts_at - 86400 AND o.starts_at < NEW.ends_at AND o.ends_at > NEW.starts_at
          AND o.status IN ('booked','confirmed','arrived','in_room','completed'));
    SELECT RAISE(ABORT, 'Appointment refused: the patient already has an appointment at that time. Nothing was saved; book a new slot, or add the patient as a walk-in.')
    WHERE EXISTS (
        SELECT 1 FROM appointment o
        WHERE o.patient_id = NEW.patient_id AND o.id <> OLD.id
          AND o.starts_at > NEW.starts_at - 86400 AND o.starts_at < NEW.ends_at AND o.ends_at > NEW.starts_at
          AND o.status IN ('booked','confirmed','arrived','in_room','completed'));
END;
