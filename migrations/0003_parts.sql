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

-- Opening stock: the parts group's latest stock-take, entered as adjustments so that the
-- book is the sum of its movements from the first day.
INSERT INTO parts (part_no, name, category, spec, unit_cost, valuable, scarce, location) VALUES
  ('WM-BRG-6204',  'Washing machine drum bearing',             'part',    '6204-2RS, 20x47x14 mm',             18.50, false, false, 'A-01-03'),
  ('WM-BRG-6205',  'Washing machine drum bearing',             'part',    '6205-2RS, 25x52x15 mm',             22.00, false, false, 'A-01-04'),
  ('WM-SEAL-80',   'Washing machine door seal',                'part',    'bellows gasket for WM-80',           65.00, false, false, 'A-02-01'),
  ('WM-CB-80',     'Washing machine control board',            'part',    'main PCB, WM-80 series',            420.00, true,  false, 'B-01-02'),
  ('RF-COMP-320',  'Refrigerator compressor',                  'part',    'R600a, 1/5 HP, RF-320',             780.00, true,  true,  'C-01-01'),
  ('RF-THERM-01',  'Refrigerator thermostat',                  'part',    'mechanical, -26..-14 C',             48.00, false, false, 'C-02-05'),
  ('RF-GASKET-320','Refrigerator door gasket',                 'part',    'magnetic, RF-320 fresh-food door',   55.00, false, false, 'C-02-06'),
  ('TV-MB-55',     'TV main board',                            'part',    '55" 4K main board, TV-55U',         560.00, true,  true,  'D-01-01'),
  ('TV-MB-42',     'TV main board (discontinued 42" series)',  'part',    '42" FHD main board, TV-42F',        310.00, true,  false, 'D-01-02'),
  ('WM-80',        'Washing machine WM-80 (8 kg, front load)', 'product', 'new, boxed',                       2399.00, true,  false, 'P-01'),
  ('RF-320',       'Refrigerator RF-320 (320 L, two doors)',   'product', 'new, boxed',                       3299.00, true,  false, 'P-02'),
  ('TV-55U',       'Television TV-55U (55" 4K)',               'product', 'new, boxed',                       2899.00, true,  false, 'P-03');

INSERT INTO stock_movements (movement_key, part_no, kind, quantity, delta, condition, reason, reference)
SELECT 'opening:' || part_no, part_no, 'adjustment', quantity, quantity, 'good', 'opening stock-take', 'stock-take 2026-11'
FROM (VALUES ('WM-BRG-6204', 40), ('WM-BRG-6205', 24), ('WM-SEAL-80', 15), ('WM-CB-80', 6),
             ('RF-COMP-320', 3), ('RF-THERM-01', 30), ('RF-GASKET-320', 12), ('TV-MB-55', 4),
             ('TV-MB-42', 9), ('WM-80', 5), ('RF-320', 3), ('TV-55U', 2)) AS opening (part_no, quantity);

-- What the stock-take found on the shelf that cannot be issued: crushed bearings and a
-- water-damaged board, seals past their shelf life, main boards for a discontinued series.
UPDATE parts_stock SET damaged = 3, counted_at = now() WHERE part_no = 'WM-BRG-6204';
UPDATE parts_stock SET damaged = 1, counted_at = now() WHERE part_no = 'WM-CB-80';
UPDATE parts_stock SET expired = 4, expires_on = DATE '2026-09-30', counted_at = now() WHERE part_no = 'WM-SEAL-80';
UPDATE parts_stock SET expired = 2, expires_on = DATE '2026-10-31', counted_at = now() WHERE part_no = 'RF-GASKET-320';
UPDATE parts_stock SET obsolete = 9, counted_at = now() WHERE part_no = 'TV-MB-42';
UPDATE parts_stock SET damaged = 1, counted_at = now() WHERE part_no = 'WM-80';
UPDATE parts_stock SET counted_at = now() WHERE counted_at IS NULL;
