-- Cases and their audit trail: who did what, when.
-- One row per case; a case is recorded once, whatever the retries (case_id is the key).
CREATE TABLE cases (
  case_id        text PRIMARY KEY,
  process        text NOT NULL,
  version        integer NOT NULL CHECK (version >= 1),
  customer_id    text,
  summary        text,
  input          jsonb NOT NULL DEFAULT '{}'::jsonb,
  opened_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_process_opened ON cases (process, opened_at);
CREATE INDEX cases_customer ON cases (customer_id);

-- Every side effect an activity performs is logged here under its idempotency key
-- (<caseId>:<stepId>:<visit>), so a retried or replayed step writes one row, not two.
CREATE TABLE case_events (
  event_key      text PRIMARY KEY,
  case_id        text NOT NULL,
  step_id        text NOT NULL,
  event_type     text NOT NULL,
  actor          text,
  detail         jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case ON case_events (case_id, recorded_at);
