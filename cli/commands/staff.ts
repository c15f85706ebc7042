import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createPool } from '../../database/postgres.js';
import {
  DirectoryError, EVERY_PROCESS, roleLabel, StaffDirectory,
  type Attributes, type ChangeResult, type DirectoryChange, type DirectoryVersion, type StaffPerson,
} from '../../directory/index.js';
import { embeddedDatabaseUrl } from '../../reports/index.js';
import { readConfig } from '../../worker/config.js';
import { parse, printJson, UsageError, type Command } from '../io.js';

const help = `aftercare staff import <file.yaml|file.csv> [--reason R]
aftercare staff list [--process P] [--role R] [--active] [--json]
aftercare staff show <person> [--json]
aftercare staff grant <person> <role> [--process P] [--approval-limit N] --reason R
aftercare staff revoke <person> <role> [--process P] --reason R
aftercare staff history [--person P] [--limit N] [--json]

The staff directory: who the people are, the roles each holds (in one process, or in every
process when --process is left out), their team, skills and approval limits. Every change is a
new directory version, kept with who made it (--by, default your login name), when and why.

import   the file is the truth for each person it lists: their name, team, skills, attributes,
         active flag and exactly the roles it gives (others they held are revoked); people
         not in the file stay as they are. A file with any problem is refused whole, each
         problem with its line. Formats: docs/operators.md "Staff directory".
list     people by id with their roles (--process: the roles that apply in it; --role: only
         those holding it; --active: only active people)
show     one person as the directory resolves them
grant    give a role; with --approval-limit the limit of the person in that role
revoke   take a role away (the grant for --process P, or the one for every process)
history  the versions, newest first, and what each changed

Reads DATABASE_URL, or the embedded PostgreSQL that \`npm start\` runs.`;

const options = {
  process: { type: 'string' },
  role: { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  person: { type: 'string' },
  limit: { type: 'string' },
  'approval-limit': { type: 'string' },
  active: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parse<typeof options>>['values'];

/** Which options each subcommand takes, and how many arguments. */
const shapes: Record<string, { args: string[]; options: (keyof typeof options)[] }> = {
  import: { args: ['<file>'], options: ['reason', 'by', 'json'] },
  list: { args: [], options: ['process', 'role', 'active', 'json'] },
  show: { args: ['<person>'], options: ['json'] },
  grant: { args: ['<person>', '<role>'], options: ['process', 'approval-limit', 'reason', 'by', 'json'] },
  revoke: { args: ['<person>', '<role>'], options: ['process', 'reason', 'by', 'json'] },
  history: { args: [], options: ['person', 'limit', 'json'] },
};

export const staffCommand: Command = async (argv) => {
  const { values, positionals } = parse(argv, options, help);
  const [sub, ...args] = positionals;
  const shape = sub ? shapes[sub] : undefined;
  if (!sub || !shape) throw new UsageError(`${sub ? `unknown subcommand \`${sub}\`` : 'what to do?'}: ${Object.keys(shapes).join(', ')}\n\n${help}`);
  if (args.length !== shape.args.length) {
    throw new UsageError(`staff ${sub} takes ${shape.args.length === 0 ? 'no arguments' : shape.args.join(' ')}${args.length > shape.args.length ? ` (unexpected \`${args[shape.args.length]}\`)` : ''}\n\n${help}`);
  }
  for (const name of Object.keys(values) as (keyof typeof options)[]) {
    if (!shape.options.includes(name)) throw new UsageError(`--${name} does not belong to \`staff ${sub}\` (it takes ${shape.options.map((o) => `--${o}`).join(', ') || 'no options'})`);
  }
  for (const name of ['process', 'role', 'reason', 'by', 'person'] as const) {
    if (values[name] !== undefined && values[name].trim() === '') throw new UsageError(`--${name} needs a value`);
  }
  if ((sub === 'grant' || sub === 'revoke') && values.reason === undefined) throw new UsageError(`staff ${sub} needs --reason "why" (it is kept with the change)`);

  const pool = await connect();
  if (!pool) return 1;
  const directory = new StaffDirectory(pool);
  const author = { by: values.by ?? loginName(), reason: values.reason ?? '' };
  try {
    switch (sub) {
      case 'import': {
        const file = args[0] as string;
        const result = await directory.importStaff(path.resolve(file), { ...author, reason: values.reason ?? `imported ${path.basename(file)}` });
        if (values.json) printJson(result);
        else console.log(result.changed ? `imported ${path.basename(file)}: directory version ${result.directoryVersion} (${summary(result.changes)})` : `${path.basename(file)}: the directory already says all of it (version ${result.directoryVersion}); nothing changed`);
        return 0;
      }
      case 'list': {
        const listed = await directory.list({ ...(values.process ? { process: values.process } : {}), ...(values.role ? { role: values.role } : {}), activeOnly: values.active ?? false });
        if (values.json) printJson(listed);
        else console.log(renderList(listed.directoryVersion, listed.people));
        return 0;
      }
      case 'show': {
        const person = await directory.resolve(args[0] as string);
        if (!person) {
          const version = await directory.version();
          console.error(`aftercare staff show: PERSON_UNKNOWN no person \`${args[0]}\` in the staff directory (version ${version})`);
          return 1;
        }
        if (values.json) printJson(person);
        else console.log(renderPerson(person));
        return 0;
      }
      case 'grant': {
        const [person, role] = args as [string, string];
        const limit = values['approval-limit'];
        let attributes: Attributes | undefined;
        if (limit !== undefined) {
          if (!/^\d+(\.\d{1,2})?$/.test(limit)) throw new UsageError(`--approval-limit ${limit} is not an amount: give a number of 0 or more, e.g. 5000`);
          attributes = { approvalLimit: Number(limit) };
        }
        const result = await directory.grant(person, role, { ...(values.process ? { process: values.process } : {}), ...(attributes ? { attributes } : {}) }, author);
        return reportChange(result, values, `${result.changes[0]?.change === 'role-updated' ? 'changed' : 'granted'} ${roleLabel({ role, process: values.process ?? EVERY_PROCESS })}${limit !== undefined ? ` (approval limit ${limit})` : ''} ${result.changes[0]?.change === 'role-updated' ? 'of' : 'to'} ${person}`);
      }
      case 'revoke': {
        const [person, role] = args as [string, string];
        const result = await directory.revoke(person, role, values.process ? { process: values.process } : {}, author);
        return reportChange(result, values, `revoked ${roleLabel({ role, process: values.process ?? EVERY_PROCESS })} from ${person}`);
      }
      case 'history': {
        if (values.limit !== undefined && !/^[1-9]\d*$/.test(values.limit)) throw new UsageError(`--limit ${values.limit} is not a count: give a whole number, e.g. 20`);
        const versions = await directory.history({ ...(values.person ? { personId: values.person } : {}), ...(values.limit ? { limit: Number(values.limit) } : {}) });
        if (values.json) printJson(versions);
        else console.log(renderHistory(versions));
        return 0;
      }
    }
    return 2;
  } catch (error) {
    if (error instanceof DirectoryError) {
      console.error(`aftercare staff ${sub}: ${error.code} ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await pool.end();
  }
};

function reportChange(result: ChangeResult, values: Values, done: string): number {
  if (values.json) printJson(result);
  else console.log(`${done}: directory version ${result.directoryVersion}`);
  return 0;
}

/** Until people sign in (issue 10's verified actors), a change is kept with the login name of whoever typed it. */
function loginName(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

async function connect(): Promise<pg.Pool | undefined> {
  const config = readConfig();
  const pool = createPool(config.databaseUrl ?? embeddedDatabaseUrl(config));
  try {
    const found = await pool.query<{ t: string | null }>(`SELECT to_regclass('staff_directory_versions')::text AS t`);
    if (found.rows[0]?.t) return pool;
    console.error('aftercare staff: the database has no staff directory yet: run `npx aftercare migrate` (with DATABASE_URL) or start `npm start`, which migrates');
  } catch (error) {
    const reason = (error as Error).message || String(error);
    console.error(
      config.databaseUrl
        ? `aftercare staff: cannot connect to the PostgreSQL at DATABASE_URL (${reason}): check that it is running and the URL is right`
        : `aftercare staff: the embedded PostgreSQL is not running on 127.0.0.1:${config.postgresPort} (${reason}): start it with \`npm start\` (or \`npx aftercare dev\`) in another terminal, or set DATABASE_URL to your PostgreSQL`,
    );
  }
  await pool.end();
  return undefined;
}

function summary(changes: readonly DirectoryChange[]): string {
  const words: [DirectoryChange['change'], string, string][] = [
    ['person-added', 'person added', 'people added'],
    ['person-updated', 'person updated', 'people updated'],
    ['role-granted', 'role granted', 'roles granted'],
    ['role-updated', 'role changed', 'roles changed'],
    ['role-revoked', 'role revoked', 'roles revoked'],
  ];
  return words.map(([kind, one, many]) => [changes.filter((c) => c.change === kind).length, one, many] as const).filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`).join(', ');
}

const attributeText = (attributes: Attributes) => Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(' ');
const grantText = (person: StaffPerson) => person.roles.map((g) => roleLabel(g) + (Object.keys(g.attributes).length ? ` (${attributeText(g.attributes)})` : '')).join(', ');

function renderList(version: number, people: readonly StaffPerson[]): string {
  const header = ['id', 'name', 'active', 'team', 'roles', 'skills', 'attributes'];
  const rows = people.map((p) => [p.id, p.name, p.active ? 'yes' : 'no', p.team ?? '-', grantText(p) || '-', p.skills.join(', ') || '-', attributeText(p.attributes) || '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [`staff directory version ${version}: ${people.length === 1 ? '1 person' : `${people.length} people`}`, '', line(header), ...rows.map(line)].join('\n');
}

function renderPerson(p: StaffPerson): string {
  return [
    `${p.id}  ${p.name}${p.active ? '' : '  (not active)'}`,
    `  team        ${p.team ?? '-'}`,
    `  roles       ${grantText(p) || '-'}`,
    `  skills      ${p.skills.join(', ') || '-'}`,
    `  attributes  ${attributeText(p.attributes) || '-'}`,
    ...(p.phone ? [`  phone       ${p.phone}`] : []),
    `  as of staff directory version ${p.directoryVersion}`,
  ].join('\n');
}

function renderHistory(versions: readonly DirectoryVersion[]): string {
  if (versions.length === 0) return 'the staff directory has no versions yet';
  return versions
    .map((v) => [
      `version ${v.version}  ${v.changedAt}  ${v.kind}${v.source ? ` ${v.source}` : ''}  by ${v.changedBy}: ${v.reason}`,
      ...v.changes.map((c) => `  ${c.personId}  ${c.change}${c.role ? ` ${roleLabel({ role: c.role, process: c.process ?? EVERY_PROCESS })}` : ''}`),
    ].join('\n'))
    .join('\n');
}
