/**
 * The staff directory in PostgreSQL (migrations/0006_staff.sql): who the people are, which roles
 * each holds, and every change as a numbered version with who made it and why. Changes are
 * serialised by one lock, so versions are 1, 2, 3... in the order they were made, and a read
 * (`resolve`, `list`) gives the version it saw in the same snapshot as the data.
 */
import type pg from 'pg';
import { inTransaction } from '../database/postgres.js';
import { DirectoryError, didYouMean } from './errors.js';
import { readStaffFile, sortedKeys, compareGrants, checkAttributes, type StaffEntry, type StaffFile } from './staff-file.js';
import {
  EVERY_PROCESS, processNamePattern, roleLabel, roleNamePattern, appliesIn,
  type Attributes, type ChangeAuthor, type ChangeResult, type DirectoryChange, type DirectoryVersion, type RoleGrant, type StaffPerson,
} from './types.js';

interface PersonRow {
  person_id: string;
  name: string;
  active: boolean;
  team: string | null;
  phone: string | null;
  skills: string[];
  attributes: Attributes;
  roles: { role: string; process: string; attributes: Attributes }[];
  directory_version: string;
}

/** The people with their roles, in one statement: one snapshot, one directory version. */
const peopleQuery = (where: string) => `
  SELECT s.person_id, s.name, s.active, s.team, s.phone, s.skills, s.attributes,
         coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'process', r.process, 'attributes', r.attributes) ORDER BY r.role, r.process)
                     FROM staff_roles r WHERE r.person_id = s.person_id), '[]'::jsonb) AS roles,
         (SELECT coalesce(max(version), 0) FROM staff_directory_versions) AS directory_version
    FROM staff s
   WHERE ${where}
   ORDER BY s.person_id`;

const versionQuery = 'SELECT coalesce(max(version), 0) AS v FROM staff_directory_versions';

export interface ListFilter {
  /** Only people holding a role that applies in this process; their roles limited to those. */
  process?: string;
  /** Only people holding this role (in `process` when given). */
  role?: string;
  /** Only people who are active (default: everyone, with their `active` flag). */
  activeOnly?: boolean;
}

export interface GrantOptions {
  /** The process the role is for; every process when omitted. */
  process?: string;
  /** Attributes of the person in this role (`{ approvalLimit: 20000 }`); a grant of a held role with other attributes changes them. */
  attributes?: Attributes;
}

/** Reads and changes the staff directory in the database `pool` connects to. */
export class StaffDirectory {
  constructor(private readonly pool: pg.Pool) {}

  /** The person `personId` with their roles and attributes, or undefined when the directory has no such person. */
  async resolve(personId: string): Promise<StaffPerson | undefined> {
    const { rows } = await this.pool.query<PersonRow>(peopleQuery('s.person_id = $1'), [personId]);
    return rows[0] ? toPerson(rows[0]) : undefined;
  }

  /** The current directory version (0 before the first change). */
  async version(): Promise<number> {
    return Number((await this.pool.query<{ v: string }>(versionQuery)).rows[0]?.v ?? 0);
  }

  /** The people by id (filtered by role and process), with the directory version they were read at. */
  async list(filter: ListFilter = {}): Promise<{ directoryVersion: number; people: StaffPerson[] }> {
    if (filter.process !== undefined) checkProcess(filter.process);
    if (filter.role !== undefined) checkRole(filter.role);
    const params: unknown[] = [];
    const conditions = [filter.activeOnly ? 's.active' : 'true'];
    if (filter.role !== undefined || filter.process !== undefined) {
      params.push(filter.role ?? null, filter.process ?? null);
      conditions.push(`EXISTS (SELECT 1 FROM staff_roles r WHERE r.person_id = s.person_id AND ($1::text IS NULL OR r.role = $1) AND ($2::text IS NULL OR r.process IN ($2, '*')))`);
    }
    const [versionRow, { rows }] = await inSnapshot(this.pool, async (client) => [
      (await client.query<{ v: string }>(versionQuery)).rows[0],
      await client.query<PersonRow>(peopleQuery(conditions.join(' AND ')), params),
    ] as const);
    const people = rows.map(toPerson).map((person) => (filter.process === undefined ? person : { ...person, roles: person.roles.filter((g) => appliesIn(g, filter.process as string)) }));
    return { directoryVersion: Number(versionRow?.v ?? 0), people };
  }

  /**
   * Imports a staff file (a path, or one read with readStaffFile): for each person in it the
   * file is the truth — their name, team, skills, attributes and active flag, and exactly the
   * roles it lists (roles they held that it omits are revoked). People not in the file are left
   * as they are; nobody is deleted (records name them): give `active: false` instead. One
   * version for the whole file; none when the directory already says all of it.
   */
  async importStaff(file: string | StaffFile, author: ChangeAuthor): Promise<ChangeResult> {
    const staff = typeof file === 'string' ? await readStaffFile(file) : file;
    return inTransaction(this.pool, (client) => importStaffWithin(client, staff, author));
  }

  /** Gives `personId` the role (in `options.process`, or everywhere); refused when they hold it already. */
  async grant(personId: string, role: string, options: GrantOptions, author: ChangeAuthor): Promise<ChangeResult> {
    const process = options.process ?? EVERY_PROCESS;
    checkRole(role);
    checkProcess(process);
    checkAuthor(author);
    const attributes = options.attributes === undefined ? undefined : checkedAttributes(options.attributes);
    return this.change('grant', author, null, async (client) => {
      const person = await this.known(client, personId);
      const held = person.roles.find((g) => g.role === role && g.process === process);
      const everywhere = person.roles.find((g) => g.role === role && g.process === EVERY_PROCESS);
      if (held && (attributes === undefined || sameJson(held.attributes, attributes))) {
        throw new DirectoryError('ROLE_ALREADY_HELD', `${personId} already holds ${roleLabel(held)}${Object.keys(held.attributes).length ? ` (${JSON.stringify(held.attributes)})` : ''}: nothing to grant`);
      }
      if (!held && everywhere && process !== EVERY_PROCESS) {
        throw new DirectoryError('ROLE_ALREADY_HELD', `${personId} already holds ${role} in every process, so in ${process} too: nothing to grant`);
      }
      const grant = { role, process, attributes: attributes ?? {} };
      return held ? [{ personId, change: 'role-updated', role, process, before: { attributes: held.attributes }, after: { attributes: grant.attributes } }] : [{ personId, change: 'role-granted', role, process, after: { attributes: grant.attributes } }];
    });
  }

  /** Takes the role (in `process`, or the grant for every process) from `personId`; refused when they do not hold it so. */
  async revoke(personId: string, role: string, options: { process?: string }, author: ChangeAuthor): Promise<ChangeResult> {
    const process = options.process ?? EVERY_PROCESS;
    checkRole(role);
    checkProcess(process);
    checkAuthor(author);
    return this.change('revoke', author, null, async (client) => {
      const person = await this.known(client, personId);
      const held = person.roles.find((g) => g.role === role && g.process === process);
      if (!held) {
        const sameRole = person.roles.filter((g) => g.role === role);
        const holds = person.roles.length ? `holds ${person.roles.map(roleLabel).join(', ')}` : 'holds no role';
        const hint = sameRole.length === 0
          ? ''
          : sameRole.some((g) => g.process === EVERY_PROCESS)
            ? `: ${role} is held in every process; revoke it without --process`
            : `: give --process ${sameRole.map((g) => g.process).join(' or --process ')}`;
        throw new DirectoryError('ROLE_NOT_HELD', `${personId} does not hold ${roleLabel({ role, process })} (${holds})${hint}`);
      }
      return [{ personId, change: 'role-revoked', role, process, before: { attributes: held.attributes } }];
    });
  }

  /** The versions (newest first), with what each changed; only those touching `personId` when given. */
  async history(options: { personId?: string; limit?: number } = {}): Promise<DirectoryVersion[]> {
    const limit = options.limit ?? 50;
    const versions = await this.pool.query<{ version: string; kind: DirectoryVersion['kind']; changed_by: string; reason: string; source: string | null; changed_at: Date }>(
      `SELECT v.version, v.kind, v.changed_by, v.reason, v.source, v.changed_at FROM staff_directory_versions v
        WHERE $1::text IS NULL OR EXISTS (SELECT 1 FROM staff_changes c WHERE c.version = v.version AND c.person_id = $1)
        ORDER BY v.version DESC LIMIT $2`,
      [options.personId ?? null, limit],
    );
    const numbers = versions.rows.map((v) => v.version);
    const changes = await this.pool.query<{ version: string; person_id: string; change: DirectoryChange['change']; role: string | null; process: string | null; before: unknown; after: unknown }>(
      `SELECT version, person_id, change, role, process, before, after FROM staff_changes
        WHERE version = ANY($1::bigint[]) AND ($2::text IS NULL OR person_id = $2) ORDER BY version, seq`,
      [numbers, options.personId ?? null],
    );
    return versions.rows.map((v) => ({
      version: Number(v.version),
      kind: v.kind,
      changedBy: v.changed_by,
      reason: v.reason,
      source: v.source,
      changedAt: v.changed_at.toISOString(),
      changes: changes.rows.filter((c) => c.version === v.version).map((c) => ({
        personId: c.person_id,
        change: c.change,
        ...(c.role !== null ? { role: c.role } : {}),
        ...(c.process !== null ? { process: c.process } : {}),
        ...(c.before !== null ? { before: c.before } : {}),
        ...(c.after !== null ? { after: c.after } : {}),
      })),
    }));
  }

  private async known(client: pg.ClientBase, personId: string): Promise<StaffPerson> {
    const row = (await client.query<PersonRow>(peopleQuery('s.person_id = $1'), [personId])).rows[0];
    if (row) return toPerson(row);
    const ids = (await client.query<{ person_id: string }>('SELECT person_id FROM staff')).rows.map((r) => r.person_id);
    throw new DirectoryError('PERSON_UNKNOWN', `no person \`${personId}\` in the staff directory${didYouMean(personId, ids)}: add them with \`aftercare staff import\``);
  }

  private change(kind: DirectoryVersion['kind'], author: ChangeAuthor, source: string | null, plan: (client: pg.ClientBase) => Promise<DirectoryChange[]>): Promise<ChangeResult> {
    return inTransaction(this.pool, (client) => changeWithin(client, kind, author, source, plan));
  }
}

/**
 * Imports `staff` in the caller's transaction on `client` (the demo seed loads the directory
 * and the parts shelf in one): StaffDirectory.importStaff without its own transaction.
 */
export async function importStaffWithin(client: pg.ClientBase, staff: StaffFile, author: ChangeAuthor): Promise<ChangeResult> {
  checkAuthor(author);
  return changeWithin(client, 'import', author, staff.source, async () => {
    const ids = staff.people.map((p) => p.id);
    const current = new Map((await client.query<PersonRow>(peopleQuery('s.person_id = ANY($1)'), [ids])).rows.map((row) => [row.person_id, toPerson(row)]));
    return staff.people.flatMap((entry) => differences(current.get(entry.id), entry));
  });
}

/**
 * One change of the directory: under the directory's lock, `plan` says what changes; when
 * anything does, the next version is recorded with its author and reason, and applied.
 */
async function changeWithin(client: pg.ClientBase, kind: DirectoryVersion['kind'], author: ChangeAuthor, source: string | null, plan: (client: pg.ClientBase) => Promise<DirectoryChange[]>): Promise<ChangeResult> {
  await lockDirectory(client);
  const changes = await plan(client);
  const current = Number((await client.query<{ v: string }>(versionQuery)).rows[0]?.v ?? 0);
  if (changes.length === 0) return { directoryVersion: current, changed: false, changes };
  const version = current + 1;
  await client.query('INSERT INTO staff_directory_versions (version, kind, changed_by, reason, source) VALUES ($1, $2, $3, $4, $5)', [version, kind, author.by.trim(), author.reason.trim(), source]);
  let seq = 0;
  for (const change of changes) {
    await apply(client, change, version);
    await client.query(
      'INSERT INTO staff_changes (version, seq, person_id, change, role, process, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [version, ++seq, change.personId, change.change, change.role ?? null, change.process ?? null, json(change.before), json(change.after)],
    );
  }
  return { directoryVersion: version, changed: true, changes };
}

/** Serialises every change of the directory (and the demo seed, worker/seed.ts). */
export async function lockDirectory(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('aftercare-staff-directory', 0))`);
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

async function apply(client: pg.ClientBase, change: DirectoryChange, version: number): Promise<void> {
  const after = change.after as (Omit<StaffEntry, 'line' | 'id' | 'roles'> & { attributes: Attributes }) | undefined;
  switch (change.change) {
    case 'person-added':
    case 'person-updated': {
      const person = after as Omit<StaffEntry, 'line' | 'id' | 'roles'>;
      await client.query(
        `INSERT INTO staff (person_id, name, active, team, phone, skills, attributes, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (person_id) DO UPDATE SET name = excluded.name, active = excluded.active, team = excluded.team, phone = excluded.phone,
           skills = excluded.skills, attributes = excluded.attributes, version = excluded.version`,
        [change.personId, person.name, person.active, person.team, person.phone, person.skills, JSON.stringify(person.attributes), version],
      );
      return;
    }
    case 'role-granted':
      await client.query('INSERT INTO staff_roles (person_id, role, process, attributes, granted_in) VALUES ($1, $2, $3, $4, $5)', [change.personId, change.role, change.process, JSON.stringify(after?.attributes ?? {}), version]);
      break;
    case 'role-updated':
      await client.query('UPDATE staff_roles SET attributes = $4 WHERE person_id = $1 AND role = $2 AND process = $3', [change.personId, change.role, change.process, JSON.stringify(after?.attributes ?? {})]);
      break;
    case 'role-revoked':
      await client.query('DELETE FROM staff_roles WHERE person_id = $1 AND role = $2 AND process = $3', [change.personId, change.role, change.process]);
      break;
  }
  await client.query('UPDATE staff SET version = $2 WHERE person_id = $1', [change.personId, version]);
}

/** What importing `entry` changes about the person the directory has now (`current`). */
function differences(current: StaffPerson | undefined, entry: StaffEntry): DirectoryChange[] {
  const personId = entry.id;
  const wanted = { name: entry.name, active: entry.active, team: entry.team, phone: entry.phone, skills: entry.skills, attributes: entry.attributes };
  const changes: DirectoryChange[] = [];
  if (!current) changes.push({ personId, change: 'person-added', after: wanted });
  else {
    const had = { name: current.name, active: current.active, team: current.team, phone: current.phone, skills: current.skills, attributes: current.attributes };
    if (!sameJson(had, wanted)) changes.push({ personId, change: 'person-updated', before: had, after: wanted });
  }
  const held = current?.roles ?? [];
  for (const grant of held) {
    if (!entry.roles.some((r) => r.role === grant.role && r.process === grant.process)) changes.push({ personId, change: 'role-revoked', role: grant.role, process: grant.process, before: { attributes: grant.attributes } });
  }
  for (const grant of entry.roles) {
    const had = held.find((r) => r.role === grant.role && r.process === grant.process);
    if (!had) changes.push({ personId, change: 'role-granted', role: grant.role, process: grant.process, after: { attributes: grant.attributes } });
    else if (!sameJson(had.attributes, grant.attributes)) changes.push({ personId, change: 'role-updated', role: grant.role, process: grant.process, before: { attributes: had.attributes }, after: { attributes: grant.attributes } });
  }
  return changes;
}

function toPerson(row: PersonRow): StaffPerson {
  return {
    id: row.person_id,
    name: row.name,
    active: row.active,
    team: row.team,
    phone: row.phone,
    skills: [...row.skills].sort(),
    roles: row.roles.map((g): RoleGrant => ({ role: g.role, process: g.process, attributes: sortedKeys(g.attributes) })).sort(compareGrants),
    attributes: sortedKeys(row.attributes),
    directoryVersion: Number(row.directory_version),
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkRole(role: string): void {
  if (!roleNamePattern.test(role)) throw new DirectoryError('CHANGE_INVALID', `\`${role}\` is not a role name: lower-case letters, digits and \`-\`, as the definitions declare it (\`team-lead\`)`);
}

function checkProcess(process: string): void {
  if (process !== EVERY_PROCESS && !processNamePattern.test(process)) throw new DirectoryError('CHANGE_INVALID', `\`${process}\` is not a process name (\`repair\`); leave the process out for every process`);
}

function checkAuthor(author: ChangeAuthor): void {
  if (!author.reason || author.reason.trim() === '') throw new DirectoryError('CHANGE_INVALID', 'a change of the staff directory needs a reason (--reason "...")');
  if (!author.by || author.by.trim() === '') throw new DirectoryError('CHANGE_INVALID', 'a change of the staff directory needs who makes it');
}

function checkedAttributes(attributes: Attributes): Attributes {
  const problems: { line: number; message: string }[] = [];
  const checked = checkAttributes(attributes, 'the role\'s attributes', 0, problems);
  if (!checked) throw new DirectoryError('CHANGE_INVALID', problems.map((p) => p.message).join('; '));
  return checked;
}

/** A read-only transaction that sees one snapshot for all its statements. */
const inSnapshot = <T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>) => inTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
