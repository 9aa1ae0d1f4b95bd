-- 0019: a number that moves whenever anything duplicate screening reads changes: patients (their
-- names, date of birth, health card, MRN, merges), their phones, and the rows already imported.
-- An import's preview screens every row against the registry; its commit may reuse that work only
-- if this number has not moved since, whoever changed what by whichever path.
CREATE TABLE registry_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO registry_version (id, n) VALUES (1, 0);

CREATE TRIGGER registry_version_patient_insert AFTER INSERT ON patient
BEGIN UPDATE registry_version SET n = n + 1; END;
CREATE TRIGGER registry_version_patient_update
AFTER UPDATE OF given_name, family_name, date_of_birth, health_card, mrn, merged_into ON patient
BEGIN UPDATE registry_version SET n = n + 1; END;
CREATE TRIGGER registry_version_patient_delete AFTER DELETE ON patient
BEGIN UPDATE registry_version SET n = n + 1; END;

CREATE TRIGGER registry_version_phone_insert AFTER INSERT ON patient_phone
BEGIN UPDATE registry_version SET n = n + 1; END;
CREATE TRIGGER registry_version_phone_update AFTER UPDATE OF patient_id, e164 ON patient_phone
BEGIN UPDATE registry_version SET n = n + 1; END;
CREATE TRIGGER registry_version_phone_delete AFTER DELETE ON patient_phone
BEGIN UPDATE registry_version SET n = n + 1; END;

CREATE TRIGGER registry_version_import_row_insert AFTER INSERT ON import_row
BEGIN UPDATE registry_version SET n = n + 1; END;
CREATE TRIGGER registry_version_import_row_update AFTER UPDATE ON import_row
BEGIN UPDATE registry_version SET n = n + 1; END;
CREATE TRIGGER registry_version_import_row_delete AFTER DELETE ON import_row
BEGIN UPDATE registry_version SET n = n + 1; END;
