-- The company's records: notifications outbox, SLA events, the case's closing, complaints,
-- follow-ups, warranty checks, product models, technicians, work orders, dispatches, repairs
-- and approvals. Written by the activities in activities/records/ (see docs/records.md).
--
-- Idempotency: every row an activity writes carries a unique key derived from the step's
-- idempotency key (<caseId>:<stepId>:<visit>) or the case id, never from the attempt, so a
-- retry, a crash after the commit or a replay writes nothing twice.
--
-- Human-readable numbers (CP-2026-000042) come from sequences. A sequence value taken by an
-- insert that then meets its unique key is lost: numbers can have gaps, never duplicates.

-- The closing of a case. A reopened case that closes again moves these.
ALTER TABLE cases
  ADD COLUMN closed_at       timestamptz,
  ADD COLUMN outcome         text,
  ADD COLUMN closing_summary text;
CREATE INDEX cases_closed ON cases (closed_at) WHERE closed_at IS NOT NULL;

-- Outbox: `notify` queues, a sender drains (sent_at IS NULL AND not_before has passed).
CREATE TABLE notifications (
  notification_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_key    text NOT NULL UNIQUE,
  case_id             text NOT NULL,
  recipient_role      text,
  recipient_person    text,
  recipient_customer  text,
  channel             text NOT NULL CHECK (channel IN ('internal', 'email', 'sms', 'phone')),
  subject             text NOT NULL,
  body                text NOT NULL,
  not_before          timestamptz,
  queued_at           timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  attempts            integer NOT NULL DEFAULT 0,
  last_error          text,
  CHECK (recipient_role IS NOT NULL OR recipient_person IS NOT NULL OR recipient_customer IS NOT NULL)
);
CREATE INDEX notifications_pending ON notifications ((coalesce(not_before, queued_at)), notification_id) WHERE sent_at IS NULL;
CREATE INDEX notifications_case ON notifications (case_id);

-- Every event of every SLA clock; the SLA report reads the `stopped` rows (met or breached)
-- and the `breached` rows of cycles not yet stopped.
CREATE TABLE sla_events (
  event_key      text PRIMARY KEY,
  case_id        text NOT NULL,
  process        text NOT NULL,
  version        integer NOT NULL,
  clock          text NOT NULL,
  title          text NOT NULL,
  cycle          integer NOT NULL CHECK (cycle >= 1),
  event_type     text NOT NULL CHECK (event_type IN ('started', 'paused', 'resumed', 'warning', 'breached', 'escalated', 'stopped')),
  occurred_at    timestamptz NOT NULL,
  target         text NOT NULL,
  deadline       timestamptz,
  reason         text,
  rung           text,
  result         text CHECK (result IN ('met', 'breached')),
  business_ms    bigint NOT NULL CHECK (business_ms >= 0),
  calendar_ms    bigint NOT NULL CHECK (calendar_ms >= 0),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (event_type <> 'stopped' OR result IS NOT NULL)
);
CREATE INDEX sla_events_process_clock ON sla_events (process, clock, occurred_at);
CREATE INDEX sla_events_cycle ON sla_events (case_id, clock, cycle);

-- Complaints: one per case.
CREATE SEQUENCE complaint_numbers;
CREATE TABLE complaints (
  complaint_id    text PRIMARY KEY DEFAULT ('CP-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('complaint_numbers')::text, 6, '0')),
  case_id         text NOT NULL UNIQUE,
  customer_id     text NOT NULL,
  customer_name   text NOT NULL,
  customer_phone  text,
  channel         text NOT NULL CHECK (channel IN ('phone', 'email', 'chat', 'social-media', 'walk-in')),
  description     text NOT NULL,
  demand          text,
  product_model   text,
  product_serial  text,
  owner           text,
  category        text CHECK (category IN ('general-enquiry', 'record-correction', 'service-quality', 'major-problem')),
  department      text,
  cause           text CHECK (cause IN ('customer', 'company', 'partner')),
  valid           boolean,
  resolution      text,
  outcome         text,
  deadline        timestamptz,
  meeting_owner   text,
  received_at     timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_received ON complaints (received_at);
CREATE INDEX complaints_customer ON complaints (customer_id);

-- Follow-up visits: rounds 1, 2, ... per case; one row per step visit.
CREATE SEQUENCE follow_up_numbers;
CREATE TABLE follow_ups (
  follow_up_id    text PRIMARY KEY DEFAULT ('FU-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('follow_up_numbers')::text, 6, '0')),
  follow_up_key   text NOT NULL UNIQUE,
  case_id         text NOT NULL,
  round           integer NOT NULL CHECK (round >= 1),
  subject         text NOT NULL CHECK (subject IN ('complaint', 'repair', 'exchange', 'return', 'question')),
  satisfied       boolean NOT NULL,
  notes           text,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, round)
);
CREATE INDEX follow_ups_recorded ON follow_ups (recorded_at);

-- Product models seen in warranty checks and work orders: the list repair rates are kept by.
CREATE TABLE product_models (
  model           text PRIMARY KEY,
  first_seen_at   timestamptz NOT NULL DEFAULT now()
);

-- Warranty answers, kept so that a retry after midnight gives the answer first given.
CREATE TABLE warranty_checks (
  check_key        text PRIMARY KEY,
  case_id          text NOT NULL,
  product_model    text NOT NULL REFERENCES product_models (model),
  serial           text,
  purchase_date    date NOT NULL,
  warranty_months  integer NOT NULL CHECK (warranty_months >= 0),
  warranty_ends    date NOT NULL,
  checked_on       date NOT NULL,
  in_warranty      boolean NOT NULL
);
CREATE INDEX warranty_checks_case ON warranty_checks (case_id);

-- Technicians and their skills (the repair team lead keeps the list; seeds/demo.sql has a sample).
CREATE TABLE technicians (
  technician_id   text PRIMARY KEY,
  name            text NOT NULL,
  phone           text,
  skills          text[] NOT NULL CHECK (cardinality(skills) >= 1),
  active          boolean NOT NULL DEFAULT true
);
CREATE INDEX technicians_skills ON technicians USING gin (skills);

-- Repair work orders: one per case.
CREATE SEQUENCE work_order_numbers;
CREATE TABLE work_orders (
  work_order_id     text PRIMARY KEY DEFAULT ('WO-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('work_order_numbers')::text, 6, '0')),
  case_id           text NOT NULL UNIQUE,
  customer_id       text NOT NULL,
  customer_name     text NOT NULL,
  customer_phone    text,
  customer_address  text,
  product_model     text NOT NULL REFERENCES product_models (model),
  product_serial    text,
  fault             text NOT NULL,
  in_warranty       boolean NOT NULL,
  fee               numeric(12, 2) CHECK (fee >= 0),
  skill             text NOT NULL,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'archived', 'declined')),
  technician_id     text REFERENCES technicians (technician_id),
  opened_at         timestamptz NOT NULL DEFAULT now(),
  closed_at         timestamptz,
  close_key         text UNIQUE,
  audit             text,
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX work_orders_open_by_technician ON work_orders (technician_id) WHERE status = 'open';
CREATE INDEX work_orders_model ON work_orders (product_model);

-- Each dispatch of a work order (a re-dispatch is a new row); the answer a retry gets again.
CREATE TABLE dispatches (
  dispatch_key     text PRIMARY KEY,
  work_order_id    text NOT NULL REFERENCES work_orders (work_order_id),
  technician_id    text NOT NULL REFERENCES technicians (technician_id),
  skill            text NOT NULL,
  open_orders      integer NOT NULL CHECK (open_orders >= 1),
  dispatched_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispatches_work_order ON dispatches (work_order_id);

-- Repairs: attempts 1, 2, ... per work order; attempt > 1 is a re-repair.
CREATE SEQUENCE repair_numbers;
CREATE TABLE repairs (
  repair_id        text PRIMARY KEY DEFAULT ('RP-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('repair_numbers')::text, 6, '0')),
  repair_key       text NOT NULL UNIQUE,
  work_order_id    text NOT NULL REFERENCES work_orders (work_order_id),
  case_id          text NOT NULL,
  attempt          integer NOT NULL CHECK (attempt >= 1),
  technician_id    text REFERENCES technicians (technician_id),
  diagnosis        text NOT NULL,
  work             text NOT NULL,
  result           text NOT NULL CHECK (result IN ('fixed', 'not-fixed')),
  parts_used       jsonb NOT NULL DEFAULT '[]'::jsonb,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (work_order_id, attempt)
);
CREATE INDEX repairs_recorded ON repairs (recorded_at);

-- Approvals and rejections by the manager (exchange, return, parts, disposal, resolution, quote).
CREATE SEQUENCE approval_numbers;
CREATE TABLE approvals (
  approval_id      text PRIMARY KEY DEFAULT ('AP-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('approval_numbers')::text, 6, '0')),
  approval_key     text NOT NULL UNIQUE,
  case_id          text NOT NULL,
  subject          text NOT NULL CHECK (subject IN ('exchange', 'return', 'parts-requisition', 'disposal', 'resolution', 'quote')),
  decision         text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  approver_id      text,
  approver_role    text,
  amount           numeric(12, 2) CHECK (amount >= 0),
  note             text,
  decided_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_case ON approvals (case_id);
