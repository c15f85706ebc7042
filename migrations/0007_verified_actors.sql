-- The audit trail names verified people: with the person (`actor`), the id of the token the
-- client verified for them and the staff-directory version their roles were read at. NULL for
-- rows written before actors were verified, for the engine's own events, and for cases opened
-- before then (they took the caller's word for who acted).
ALTER TABLE case_events ADD COLUMN actor_token text;
ALTER TABLE case_events ADD COLUMN directory_version bigint;
