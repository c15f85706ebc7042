-- Opening balances: the stock a part had when its ledger began (a stock-take entered as the
-- first movements, so that the book is the sum of its movements from the first day). Until
-- now they were `adjustment` movements, and the monthly report counted a whole shelf as the
-- month's movements (issue 16). Their own kind lets the report leave them out of "what moved".
-- An opening balance adds to the book, like a receipt.
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_kind_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_kind_check
  CHECK (kind IN ('opening', 'receipt', 'issue', 'return', 'disposal', 'adjustment'));
ALTER TABLE stock_movements DROP CONSTRAINT delta_matches_kind;
ALTER TABLE stock_movements ADD CONSTRAINT delta_matches_kind CHECK (
  CASE kind
    WHEN 'opening' THEN delta = quantity
    WHEN 'receipt' THEN delta = quantity
    WHEN 'return' THEN delta = quantity
    WHEN 'issue' THEN delta = -quantity
    WHEN 'disposal' THEN delta = -quantity
    ELSE abs(delta) = quantity
  END);

-- The demo data's opening stock-take (seeds/demo.sql before this migration) becomes what it
-- always was, opening balances. Only its kind changes: quantity and delta stay, so the book and
-- the sum of the movements are untouched. The ledger is append-only (a trigger refuses any
-- UPDATE); this one reclassification is made by the migration, inside its transaction, and
-- matches only the rows the demo seed wrote (its keys, reason and reference, no case).
ALTER TABLE stock_movements DISABLE TRIGGER stock_movements_append_only;
UPDATE stock_movements SET kind = 'opening'
 WHERE kind = 'adjustment' AND movement_key LIKE 'opening:%' AND reason = 'opening stock-take'
   AND reference = 'stock-take 2026-11' AND case_id IS NULL AND delta = quantity;
ALTER TABLE stock_movements ENABLE TRIGGER stock_movements_append_only;
