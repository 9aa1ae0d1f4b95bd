-- 0017: the clinic's retention window. Patients not seen within it are listed for a person to
-- review (Settings → Retention); nothing is deleted automatically.
ALTER TABLE clinic ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 365;
