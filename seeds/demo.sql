-- Demo data for a fresh dev environment and the tests: a parts shelf as a stock-take found it
-- (the people, the repair team among them, are in seeds/staff.yaml, imported with it). NOT a
-- migration: a company's own database gets its staff and parts from its own lists. Applied by
-- worker/seed.ts only to a database that has neither staff nor parts yet (`npm start` on its
-- embedded PostgreSQL, the test databases, `npx aftercare migrate --demo-data`).

-- Opening stock: the parts group's latest stock-take, entered as opening balances (movement
-- kind `opening`, migrations/0005_opening_balance.sql) so that the book is the sum of its
-- movements from the first day, and the monthly report does not count the shelf as the month's
-- movements.
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
SELECT 'opening:' || part_no, part_no, 'opening', quantity, quantity, 'good', 'opening stock-take', 'stock-take 2026-11'
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
