-- 0013: an audit row says which support session it happened in (NULL outside one).
--
-- A support person's reads and actions carry the session the owner approved, so "what happened
-- in this session" is one indexed lookup. Rows written before this migration have NULL, and
-- their hash is unchanged (the hash covers the session only when there is one: src/audit.rs).
ALTER TABLE audit_event ADD COLUMN support_session_id INTEGER;
CREATE INDEX audit_event_support_session ON audit_event(support_session_id) WHERE support_session_id IS NOT NULL;
