-- The staff directory (docs/operators.md "Staff directory"): the people who act on cases, the
-- roles each holds (for one process or everywhere), their team, skills and the attributes
-- processes use (an approval limit). Every change is one directory version with who made it,
-- when and why, and one row per thing it changed, so a later assertion about a person can name
-- the version it was resolved against. Technicians were a table of their own (0002); they are
-- now people holding the `technician` role, and `technicians` is a view over the directory so
-- the dispatch and the records keep reading what they read.

-- Each change of the directory: versions 1, 2, 3... with no gaps (taken under a lock, never
-- from a sequence, so a rolled-back change leaves no hole).
CREATE TABLE staff_directory_versions (
  version      bigint PRIMARY KEY CHECK (version >= 1),
  kind         text NOT NULL CHECK (kind IN ('import', 'grant', 'revoke', 'migration')),
  changed_by   text NOT NULL CHECK (changed_by <> ''),
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  source       text,
  changed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  person_id    text PRIMARY KEY CHECK (person_id ~ '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$'),
  name         text NOT NULL CHECK (btrim(name) <> ''),
  active       boolean NOT NULL DEFAULT true,
  team         text,
  phone        text,
  skills       text[] NOT NULL DEFAULT '{}',
  -- What processes read about the person (`approvalLimit`...): a flat object of scalars.
  attributes   jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
  -- The directory version that last changed this person or their roles.
  version      bigint NOT NULL REFERENCES staff_directory_versions (version)
);
CREATE INDEX staff_skills ON staff USING gin (skills);
CREATE INDEX staff_team ON staff (team);

-- A role a person holds, in one process (its name) or in every process ('*').
CREATE TABLE staff_roles (
  person_id    text NOT NULL REFERENCES staff (person_id),
  role         text NOT NULL CHECK (role ~ '^[a-z][a-z0-9-]*$'),
  process      text NOT NULL CHECK (process = '*' OR process ~ '^[a-z][a-z0-9-]*$'),
  -- Attributes of the person in this role (an approval limit as a manager), over the person's own.
  attributes   jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
  granted_in   bigint NOT NULL REFERENCES staff_directory_versions (version),
  PRIMARY KEY (person_id, role, process)
);
CREATE INDEX staff_roles_role ON staff_roles (role, process);

-- What each version changed, one row per person or role touched, with before and after.
CREATE TABLE staff_changes (
  version      bigint NOT NULL REFERENCES staff_directory_versions (version),
  seq          integer NOT NULL CHECK (seq >= 1),
  person_id    text NOT NULL,
  change       text NOT NULL CHECK (change IN ('person-added', 'person-updated', 'role-granted', 'role-updated', 'role-revoked')),
  role         text,
  process      text,
  before       jsonb,
  after        jsonb,
  PRIMARY KEY (version, seq),
  CHECK ((change LIKE 'role-%') = (role IS NOT NULL AND process IS NOT NULL))
);
CREATE INDEX staff_changes_person ON staff_changes (person_id, version);

-- The technicians move into the directory as version 1 (when there are any).
INSERT INTO staff_directory_versions (version, kind, changed_by, reason, source)
SELECT 1, 'migration', 'migration 0006_staff', 'technicians moved into the staff directory', 'technicians'
WHERE EXISTS (SELECT 1 FROM technicians);

INSERT INTO staff (person_id, name, active, team, phone, skills, version)
SELECT technician_id, name, active, 'repair', phone, skills, 1 FROM technicians;

INSERT INTO staff_roles (person_id, role, process, granted_in)
SELECT technician_id, 'technician', '*', 1 FROM technicians;

INSERT INTO staff_changes (version, seq, person_id, change, role, process, after)
SELECT 1, row_number() OVER (ORDER BY technician_id, kind)::int, technician_id, change, role, process, after
FROM (
  SELECT technician_id, 1 AS kind, 'person-added' AS change, NULL AS role, NULL AS process,
         jsonb_build_object('name', name, 'active', active, 'team', 'repair', 'phone', phone, 'skills', to_jsonb(skills), 'attributes', '{}'::jsonb) AS after
    FROM technicians
  UNION ALL
  SELECT technician_id, 2, 'role-granted', 'technician', '*', jsonb_build_object('attributes', '{}'::jsonb) FROM technicians
) moved;

-- The records that named a technician now name a person of the directory.
ALTER TABLE work_orders DROP CONSTRAINT work_orders_technician_id_fkey,
  ADD CONSTRAINT work_orders_technician_id_fkey FOREIGN KEY (technician_id) REFERENCES staff (person_id);
ALTER TABLE dispatches DROP CONSTRAINT dispatches_technician_id_fkey,
  ADD CONSTRAINT dispatches_technician_id_fkey FOREIGN KEY (technician_id) REFERENCES staff (person_id);
ALTER TABLE repairs DROP CONSTRAINT repairs_technician_id_fkey,
  ADD CONSTRAINT repairs_technician_id_fkey FOREIGN KEY (technician_id) REFERENCES staff (person_id);

DROP TABLE technicians;

-- The repair team as the dispatch reads it: the people holding the `technician` role (in any
-- process). Read-only: the team is changed with `aftercare staff import|grant|revoke`.
CREATE VIEW technicians AS
SELECT s.person_id AS technician_id, s.name, s.phone, s.skills, s.active
  FROM staff s
 WHERE EXISTS (SELECT 1 FROM staff_roles r WHERE r.person_id = s.person_id AND r.role = 'technician');

-- Writing through the view would bypass the directory's versions and audit: refuse it, saying
-- where the team is kept.
CREATE FUNCTION technicians_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'technicians is a view of the staff directory: change the repair team with `npx aftercare staff import|grant|revoke` (the technician role)';
END $$;
CREATE TRIGGER technicians_read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON technicians
  FOR EACH ROW EXECUTE FUNCTION technicians_read_only();
