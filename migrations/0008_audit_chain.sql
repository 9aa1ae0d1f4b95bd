-- 0008: the audit log numbers its rows without gaps, and desktop alerts that name no one.
--
-- An insert must be the next number and chain to the current last row: no gap can be left, no
-- row slipped in between, and `INSERT OR REPLACE` cannot overwrite an old row (its number is
-- not the next one). UPDATE and DELETE are refused since 0001. The chain's end is also sealed
-- outside the file (see src/audit.rs), so a deleted tail or a recomputed chain is found.
CREATE TRIGGER audit_event_next_in_chain BEFORE INSERT ON audit_event
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_event)
  OR NEW.prev_hash IS NOT COALESCE(
       (SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1),
       '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'audit_event: only the next row of the chain may be added'); END;

-- Desktop notifications leave the desk (OS lock screen, notification history): by default they
-- say what happened, not who. An owner may allow first names.
ALTER TABLE clinic ADD COLUMN desktop_alert_names INTEGER NOT NULL DEFAULT 0;

-- What a desktop notification says with names off ("Urgent symptoms · raised just now"); the
-- in-app text (`body`) keeps the first name. NULL for alerts raised before this migration.
ALTER TABLE alert ADD COLUMN desktop_body TEXT;
