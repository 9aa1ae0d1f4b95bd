-- 0018: where each day's audit rows lie in the log, so a date range with no other filter is a
-- short walk down the log instead of a read of every row in the range.
--
-- Rows are appended nearly in time order, not exactly: reads are written in batches with the time
-- they happened, and a batch kept through a failed write can be older still. So a range's rows
-- are not one run of seq numbers found from `at` alone. For every UTC day (at / 86400) this table
-- keeps the lowest and highest seq of the rows stamped that day; the rows of any date range lie
-- between the lowest and highest seq of the days it touches, whatever the disorder. The trigger
-- keeps it true for every insert, by any path.
CREATE TABLE audit_day (
    day     INTEGER PRIMARY KEY,
    min_seq INTEGER NOT NULL,
    max_seq INTEGER NOT NULL
) STRICT;

INSERT INTO audit_day (day, min_seq, max_seq)
SELECT at / 86400, MIN(seq), MAX(seq) FROM audit_event GROUP BY at / 86400;

CREATE TRIGGER audit_day_after_insert AFTER INSERT ON audit_event
BEGIN
    INSERT INTO audit_day (day, min_seq, max_seq) VALUES (NEW.at / 86400, NEW.seq, NEW.seq)
    ON CONFLICT (day) DO UPDATE SET min_seq = MIN(min_seq, excluded.min_seq), max_seq = MAX(max_seq, excluded.max_seq);
END;
