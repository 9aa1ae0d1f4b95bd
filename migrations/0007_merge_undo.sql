-- 0007: a merge can be undone. The merge records, in its own transaction, every value it changed
-- (each re-pointed row's owner, and the timestamps, flags and identifiers it rewrote) and every
-- row it removed (a phone both records had, a review candidate the merge made redundant), so an
-- owner or admin can put both records back exactly (`patients::unmerge`).

CREATE TABLE patient_merge (
    id         INTEGER PRIMARY KEY,
    kept_id    INTEGER NOT NULL REFERENCES patient(id),
    merged_id  INTEGER NOT NULL REFERENCES patient(id),
    -- The registration review that decided the merge.
    review_id  INTEGER REFERENCES registration_review(id),
    merged_at  INTEGER NOT NULL,
    merged_by  INTEGER REFERENCES staff(id),
    undone_at  INTEGER,
    undone_by  INTEGER REFERENCES staff(id),
    CHECK (kept_id <> merged_id),
    CHECK ((undone_at IS NULL) = (undone_by IS NULL))
);
CREATE INDEX patient_merge_kept ON patient_merge(kept_id);
CREATE INDEX patient_merge_merged ON patient_merge(merged_id);

-- What one merge changed, in order: either one column of one row (`column_name`, the value before
-- and the value the merge wrote, so an undo can tell a later change from its own), or one row it
-- removed (`removed_row`: every stored column as a JSON object, the id included). `row_id` is the
-- row's id; review_candidate has none, so there it is the review's id and the candidate is the
-- value. The value columns have no declared type on purpose: they keep each value exactly as it
-- was stored (a declared type would turn a health-card number such as '0123456789' into 123456789).
CREATE TABLE patient_merge_move (
    id           INTEGER PRIMARY KEY,
    merge_id     INTEGER NOT NULL REFERENCES patient_merge(id),
    table_name   TEXT    NOT NULL,
    row_id       INTEGER NOT NULL,
    column_name  TEXT,
    old_value,
    new_value,
    removed_row  TEXT,
    CHECK ((column_name IS NULL) <> (removed_row IS NULL))
);
CREATE INDEX patient_merge_move_merge ON patient_merge_move(merge_id, id);
