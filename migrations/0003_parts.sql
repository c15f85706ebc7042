-- The parts ledger, shipments, refunds and disposals (domain brief §3–§4): "every receipt,
-- issue, count and disposal recorded so that book and shelf agree".
--
-- How the database keeps the book honest (docs/parts-ledger.md):
--   * stock_movements is append-only; inserting a movement is the ONLY way the book
--     (parts_stock.on_hand) changes: a trigger applies each movement's delta;
--   * on_hand >= 0 and the flagged quantities never exceed it (CHECKs), so an issue or a
--     disposal larger than the shelf fails inside the transaction that tried it;
--   * a deferred constraint trigger re-checks at commit that on_hand equals the sum of the
--     part's movements, so no hand-made UPDATE can drift the book away from its history;
--   * every write is keyed by the step's idempotency key (<caseId>:<stepId>:<visit>), never
--     by the attempt, so a retry, a crash after commit or a replay writes nothing twice.

CREATE TABLE parts (
  part_no        text PRIMARY KEY,
  name           text NOT NULL,
  category       text NOT NULL CHECK (category IN ('part', 'product')),
  spec           text,
  unit_cost      numeric(12, 2) NOT NULL CHECK (unit_cost >= 0),
  -- Valuable or scarce parts need the manager's approval before they are issued (§2.6).
  valuable       boolean NOT NULL DEFAULT false,
  scarce         boolean NOT NULL DEFAULT false,
  -- Storage by category with labels (§4): the shelf label.
  location       text
);

-- The book: one row per part. Units flagged damaged, expired or obsolete stay on hand (they
-- are on the shelf) until disposed of; they cannot be issued. The periodic check reads them.
CREATE TABLE parts_stock (
  part_no        text PRIMARY KEY REFERENCES parts (part_no),
  on_hand        integer NOT NULL DEFAULT 0 CONSTRAINT book_not_negative CHECK (on_hand >= 0),
  damaged        integer NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  expired        integer NOT NULL DEFAULT 0 CHECK (expired >= 0),
  obsolete       integer NOT NULL DEFAULT 0 CHECK (obsolete >= 0),
  -- Shelf life of the batch on hand, for parts that age (gaskets, sealants); informative.
  expires_on     date,
  counted_at     timestamptz,
  CONSTRAINT flagged_within_on_hand CHECK (damaged + expired + obsolete <= on_hand)
);

-- The ledger: every receipt, issue, return, disposal and stock-take adjustment. `quantity`
-- is the units moved (always positive, what reports add up per kind); `delta` is its signed
-- effect on the book, fixed by the kind.
CREATE TABLE stock_movements (
  movement_id    bigserial PRIMARY KEY,
  movement_key   text NOT NULL UNIQUE,
  part_no        text NOT NULL REFERENCES parts (part_no),
  kind           text NOT NULL CHECK (kind IN ('receipt', 'issue', 'return', 'disposal', 'adjustment')),
  quantity       integer NOT NULL CHECK (quantity > 0),
  delta          integer NOT NULL,
  condition      text CHECK (condition IN ('good', 'damaged')),
  reason         text,
  case_id        text,
  reference      text,
  moved_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT delta_matches_kind CHECK (
    CASE kind
      WHEN 'receipt' THEN delta = quantity
      WHEN 'return' THEN delta = quantity
      WHEN 'issue' THEN delta = -quantity
      WHEN 'disposal' THEN delta = -quantity
      ELSE abs(delta) = quantity
    END)
);
CREATE INDEX stock_movements_part ON stock_movements (part_no, moved_at);
CREATE INDEX stock_movements_case ON stock_movements (case_id);
CREATE INDEX stock_movements_kind_moved ON stock_movements (kind, moved_at);

CREATE FUNCTION stock_movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Not INSERT ... ON CONFLICT: its proposed row (on_hand = delta) would fail the CHECKs
  -- for every issue before the conflict is seen. A part's first movement creates its book row.
  UPDATE parts_stock SET on_hand = on_hand + NEW.delta WHERE part_no = NEW.part_no;
  IF NOT FOUND THEN
    INSERT INTO parts_stock (part_no, on_hand) VALUES (NEW.part_no, NEW.delta);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER stock_movements_apply AFTER INSERT ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_movements_apply();

-- History is not rewritten: a wrong movement is corrected by an adjustment, not an edit.
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movements is append-only: correct movement % with an adjustment', OLD.movement_key
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();

-- Book == sum of movements, checked at commit for every part whose book changed.
CREATE FUNCTION parts_stock_matches_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ledger integer;
  book integer;
BEGIN
  SELECT on_hand INTO book FROM parts_stock WHERE part_no = NEW.part_no;
  SELECT coalesce(sum(delta), 0) INTO ledger FROM stock_movements WHERE part_no = NEW.part_no;
  IF book IS DISTINCT FROM ledger THEN
    RAISE EXCEPTION 'book and ledger disagree for part %: on hand %, movements sum to %', NEW.part_no, book, ledger
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER parts_stock_matches_ledger AFTER INSERT OR UPDATE OF on_hand ON parts_stock
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION parts_stock_matches_ledger();

-- Parcels: outbound replacements we ship, inbound returns logistics signs for.
CREATE SEQUENCE shipment_numbers;
CREATE TABLE shipments (
  shipment_id     text PRIMARY KEY,
  shipment_key    text NOT NULL UNIQUE,
  direction       text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  case_id         text NOT NULL,
  part_no         text REFERENCES parts (part_no),
  quantity        integer CHECK (quantity > 0),
  customer_id     text,
  customer_name   text,
  address         text,
  carrier         text,
  tracking_number text,
  description     text,
  condition       text,
  signed_by       text,
  status          text NOT NULL CHECK (status IN ('shipped', 'delivered', 'failed', 'received')),
  status_note     text,
  shipped_at      timestamptz,
  received_at     timestamptz,
  status_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT outbound_has_goods CHECK (direction <> 'outbound' OR (part_no IS NOT NULL AND quantity IS NOT NULL AND address IS NOT NULL))
);
CREATE INDEX shipments_case ON shipments (case_id);
CREATE INDEX shipments_tracking ON shipments (tracking_number);

-- Exactly one refund per case (case_id UNIQUE); refund_key says which step visit made it.
CREATE SEQUENCE refund_numbers;
CREATE TABLE refunds (
  refund_id       text PRIMARY KEY,
  refund_key      text NOT NULL UNIQUE,
  case_id         text NOT NULL UNIQUE,
  order_id        text NOT NULL,
  amount          numeric(12, 2) NOT NULL CHECK (amount > 0),
  currency        text NOT NULL DEFAULT 'CNY' CHECK (currency ~ '^[A-Z]{3}$'),
  payment_method  text NOT NULL,
  refunded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE disposal_numbers;
CREATE TABLE disposals (
  disposal_id     text PRIMARY KEY,
  disposal_key    text NOT NULL UNIQUE,
  case_id         text NOT NULL,
  method          text NOT NULL CHECK (method IN ('scrap-sale', 'recycling')),
  proceeds        numeric(12, 2) NOT NULL CHECK (proceeds >= 0),
  currency        text NOT NULL DEFAULT 'CNY',
  lines           jsonb NOT NULL,
  disposed_at     timestamptz NOT NULL DEFAULT now()
);

