-- 0016: bringing patients in from another system's CSV export (the migration hub).
--
-- An upload is staged here as UTF-8 text until it is imported (its text is then emptied: the
-- patients are in `patient`, and a copy of the legacy file inside the clinic database would be
-- PHI kept for nothing). A mapping is saved per header, so the next export from the same system
-- is mapped for the person. Each import is a batch with its counts, and every row it brought in
-- is remembered by a source key, so importing the same file again creates no duplicates.

CREATE TABLE import_batch (
    id                INTEGER PRIMARY KEY,
    file_name         TEXT    NOT NULL,
    total_rows        INTEGER NOT NULL,
    imported          INTEGER NOT NULL,
    review            INTEGER NOT NULL,
    refused           INTEGER NOT NULL,
    already_imported  INTEGER NOT NULL,
    imported_by       INTEGER NOT NULL REFERENCES staff(id),
    imported_at       INTEGER NOT NULL
);

CREATE TABLE import_upload (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT    NOT NULL,
    -- ',', ';' or a tab, as sniffed from the first line.
    delimiter    TEXT    NOT NULL CHECK (delimiter IN (',', ';', char(9))),
    -- The header's cells, folded and joined: the key of the saved mapping.
    header_key   TEXT    NOT NULL,
    -- The file as UTF-8 text without its byte-order mark; '' once imported.
    content      TEXT    NOT NULL,
    row_count    INTEGER NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES staff(id),
    uploaded_at  INTEGER NOT NULL,
    batch_id     INTEGER REFERENCES import_batch(id)
);

CREATE TABLE import_mapping (
    header_key   TEXT PRIMARY KEY,
    -- The column of each target field, as JSON (`import::ColumnMapping`).
    mapping      TEXT    NOT NULL,
    date_format  TEXT    NOT NULL CHECK (date_format IN ('iso', 'day_first', 'month_first')),
    saved_by     INTEGER NOT NULL REFERENCES staff(id),
    saved_at     INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per patient an import created: 'mrn:<MRN>' when the file's MRN (chart number) column
-- was mapped, else 'sha256:<hash of the folded name, date of birth, phone and health card>'.
-- `patient_id` is deliberately not a foreign key: a merge keeps the record it names as a
-- tombstone, and the key must keep answering "already imported" whatever happens to it later.
CREATE TABLE import_row (
    source_key  TEXT    PRIMARY KEY,
    patient_id  INTEGER NOT NULL,
    batch_id    INTEGER NOT NULL REFERENCES import_batch(id)
) WITHOUT ROWID;
CREATE INDEX import_row_batch ON import_row(batch_id);
-- "Where did this record come from": an imported patient's batch (who imported it, when).
CREATE INDEX import_row_patient ON import_row(patient_id);
