-- The audit trail records when each thing happened, not only when the row was written: the
-- engine writes the people's actions (a task completed, claimed or handed on, a case opened,
-- cancelled or closed) in batches, a moment after they happen. NULL for rows written by the
-- activities themselves, whose recorded_at is the time of the action.
ALTER TABLE case_events ADD COLUMN occurred_at timestamptz;
