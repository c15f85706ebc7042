/**
 * Staff files: the directory as a company keeps it, in YAML (seeds/staff.yaml) or CSV (an HR
 * export). Both read into the same entries, checked by the same rules; a file with any problem
 * is refused whole, with every problem and its line, before anything is written.
 *
 * YAML: `people:` a list of { id, name, active?, team?, phone?, skills?, roles?, attributes? };
 * a role is `agent` (every process), `team-lead@repair` (one process), or
 * { role, process?, attributes? }.
 * CSV: a header, then one person a line: id,name,active,team,phone,skills,roles,approval_limit
 * (only id and name required; skills and roles separated by `;`; approval_limit the person's).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { DirectoryError, didYouMean, type StaffFileProblem } from './errors.js';
import { attributeNamePattern, EVERY_PROCESS, personIdPattern, processNamePattern, roleLabel, roleNamePattern, type Attributes, type RoleGrant, type StaffPerson } from './types.js';

/** One person of a staff file, checked: what the directory will say about them after the import. */
export type StaffEntry = Omit<StaffPerson, 'directoryVersion'> & {
  /** The line the person starts on. */
  line: number;
};

export interface StaffFile {
  /** The file's name as the audit keeps it. */
  source: string;
  people: StaffEntry[];
}

export type StaffFileFormat = 'yaml' | 'csv';

const personKeys = ['id', 'name', 'active', 'team', 'phone', 'skills', 'roles', 'attributes'] as const;
const roleKeys = ['role', 'process', 'attributes'] as const;
export const csvColumns = ['id', 'name', 'active', 'team', 'phone', 'skills', 'roles', 'approval_limit'] as const;

/** Where a value of the raw entry is: the line of a key, or of the n-th role. */
interface Lines {
  person: number;
  key(key: string): number;
  role(index: number): number;
}

/** Reads a staff file, its format from its extension (.yaml, .yml, .csv). */
export async function readStaffFile(file: string): Promise<StaffFile> {
  const extension = path.extname(file).toLowerCase();
  const format: StaffFileFormat | undefined = extension === '.csv' ? 'csv' : extension === '.yaml' || extension === '.yml' ? 'yaml' : undefined;
  if (!format) throw new DirectoryError('STAFF_FILE_UNREADABLE', `${file}: a staff file is .yaml, .yml or .csv`);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new DirectoryError('STAFF_FILE_UNREADABLE', `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseStaffFile(text, format, path.basename(file));
}

/** Parses and checks a staff file; throws STAFF_FILE_INVALID with every problem when it has any. */
export function parseStaffFile(text: string, format: StaffFileFormat, source: string): StaffFile {
  const problems: StaffFileProblem[] = [];
  const people = format === 'yaml' ? fromYaml(text, problems) : fromCsv(text, problems);
  const seen = new Map<string, number>();
  for (const person of people) {
    const first = seen.get(person.id);
    if (first !== undefined) problems.push({ line: person.line, message: `person \`${person.id}\` is already listed on line ${first}: give each person once` });
    else seen.set(person.id, person.line);
  }
  if (problems.length === 0 && people.length === 0) problems.push({ line: 1, message: format === 'yaml' ? 'no people: list them under `people:`' : 'no people: give a header line and one person a line' });
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    const listed = problems.map((p) => `  ${source}:${p.line}: ${p.message}`).join('\n');
    throw new DirectoryError('STAFF_FILE_INVALID', `${source} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was imported:\n${listed}`, problems);
  }
  return { source, people };
}

function fromYaml(text: string, problems: StaffFileProblem[]): StaffEntry[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  const lineOf = (node: unknown) => lineAt((node as Node | undefined)?.range?.[0]);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ line: lineAt(error.pos[0]), message: `not valid YAML: ${error.message.split('\n')[0]}` });
    return [];
  }
  const root = doc.contents;
  if (!isMap(root)) {
    problems.push({ line: lineOf(root), message: 'a staff file is a mapping with `people:`, a list of people' });
    return [];
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'people') problems.push({ line: lineOf(pair.key), message: `unknown key \`${key}\`: a staff file has \`people:\` only` });
  }
  const list = root.get('people', true);
  if (!isSeq(list)) {
    problems.push({ line: lineOf(list ?? root), message: '`people:` must be a list of people (`- id: li.na`)' });
    return [];
  }
  const values = (doc.toJS() as { people: unknown[] }).people;
  const people: StaffEntry[] = [];
  list.items.forEach((item, index) => {
    if (!isMap(item)) {
      problems.push({ line: lineOf(item), message: 'a person is a mapping with at least `id` and `name`' });
      return;
    }
    const raw = values[index] as Record<string, unknown>;
    const keyLines = new Map<string, number>();
    for (const pair of item.items) keyLines.set(isScalar(pair.key) ? String(pair.key.value) : '', lineOf(pair.value ?? pair.key));
    const roles = item.get('roles', true);
    const lines: Lines = {
      person: lineOf(item),
      key: (key) => keyLines.get(key) ?? lineOf(item),
      role: (index) => (isSeq(roles) ? lineOf(roles.items[index]) : keyLines.get('roles') ?? lineOf(item)),
    };
    const entry = checkPerson(raw, lines, problems);
    if (entry) people.push(entry);
  });
  return people;
}

function fromCsv(text: string, problems: StaffFileProblem[]): StaffEntry[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { info: true, relax_column_count: true, skip_empty_lines: true, comment: '#', comment_no_infix: true, bom: true, trim: true }) as unknown as typeof rows;
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    problems.push({ line: lines ?? 1, message: `not valid CSV: ${message}` });
    return [];
  }
  const [header, ...records] = rows;
  if (!header) return [];
  const columns = header.record.map((c) => c.toLowerCase());
  let headerOk = true;
  columns.forEach((column, index) => {
    if (!(csvColumns as readonly string[]).includes(column)) {
      headerOk = false;
      problems.push({ line: header.info.lines, message: `unknown column \`${header.record[index]}\`${didYouMean(column, csvColumns)}: the columns are ${csvColumns.join(', ')}` });
    } else if (columns.indexOf(column) !== index) {
      headerOk = false;
      problems.push({ line: header.info.lines, message: `column \`${column}\` is given twice` });
    }
  });
  for (const required of ['id', 'name']) {
    if (!columns.includes(required)) {
      headerOk = false;
      problems.push({ line: header.info.lines, message: `the header has no \`${required}\` column (the columns are ${csvColumns.join(', ')})` });
    }
  }
  if (!headerOk) return [];
  const people: StaffEntry[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    if (record.length !== columns.length) {
      problems.push({ line, message: `${record.length} values for ${columns.length} columns (${columns.join(', ')}): quote a value that holds a comma` });
      continue;
    }
    const cell = (column: string) => {
      const index = columns.indexOf(column);
      return index < 0 || record[index] === '' ? undefined : record[index];
    };
    const list = (column: string) => cell(column)?.split(';').map((s) => s.trim()).filter((s) => s !== '');
    const raw: Record<string, unknown> = { id: cell('id'), name: cell('name') };
    const active = cell('active');
    if (active !== undefined) raw.active = /^(true|yes|1)$/i.test(active) ? true : /^(false|no|0)$/i.test(active) ? false : active;
    for (const column of ['team', 'phone'] as const) if (cell(column) !== undefined) raw[column] = cell(column);
    if (list('skills')) raw.skills = list('skills');
    if (list('roles')) raw.roles = list('roles');
    const limit = cell('approval_limit');
    if (limit !== undefined) raw.attributes = { approvalLimit: /^-?\d+(\.\d+)?$/.test(limit) ? Number(limit) : limit };
    const entry = checkPerson(raw, { person: line, key: () => line, role: () => line }, problems);
    if (entry) people.push(entry);
  }
  return people;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** The checks both formats share; undefined (and problems) when the entry is wrong. */
function checkPerson(raw: Record<string, unknown>, lines: Lines, problems: StaffFileProblem[]): StaffEntry | undefined {
  const before = problems.length;
  const problem = (line: number, message: string) => problems.push({ line, message });
  for (const key of Object.keys(raw)) {
    if (!(personKeys as readonly string[]).includes(key)) problem(lines.key(key), `unknown key \`${key}\`${didYouMean(key, personKeys)}: a person has ${personKeys.join(', ')}`);
  }
  const id = text(raw.id);
  if (id === undefined) problem(lines.person, 'a person needs an `id` (the id they sign in with, e.g. `li.na`)');
  else if (!personIdPattern.test(id)) problem(lines.key('id'), `person id \`${id}\` is not an id: 1 to 128 letters, digits, \`.\`, \`_\`, \`@\`, \`+\` or \`-\`, starting with a letter or digit`);
  const who = id ? `\`${id}\`` : 'the person';
  const name = text(raw.name);
  if (name === undefined) problem(lines.key('name'), `${who} needs a \`name\``);
  if (raw.active !== undefined && typeof raw.active !== 'boolean') problem(lines.key('active'), `\`active\` of ${who} is \`${String(raw.active)}\`: give true or false`);
  for (const key of ['team', 'phone'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string' && typeof raw[key] !== 'number') problem(lines.key(key), `\`${key}\` of ${who} must be a text`);
  }
  const skills: string[] = [];
  if (raw.skills !== undefined && raw.skills !== null) {
    if (!Array.isArray(raw.skills)) problem(lines.key('skills'), `\`skills\` of ${who} must be a list (\`[washing-machine, refrigerator]\`)`);
    else {
      for (const skill of raw.skills) {
        if (typeof skill !== 'string' || !roleNamePattern.test(skill)) problem(lines.key('skills'), `skill \`${String(skill)}\` of ${who} is not a name: lower-case letters, digits and \`-\` (\`washing-machine\`)`);
        else if (!skills.includes(skill)) skills.push(skill);
      }
    }
  }
  const attributes = checkAttributes(raw.attributes, `${who}'s attributes`, lines.key('attributes'), problems);
  const roles: RoleGrant[] = [];
  if (raw.roles !== undefined && raw.roles !== null) {
    if (!Array.isArray(raw.roles)) problem(lines.key('roles'), `\`roles\` of ${who} must be a list (\`[agent, team-lead@repair]\`)`);
    else {
      raw.roles.forEach((value: unknown, index: number) => {
        const grant = checkRole(value, who, lines.role(index), problems);
        if (!grant) return;
        const same = roles.find((r) => r.role === grant.role && r.process === grant.process);
        if (same) problem(lines.role(index), `${who} is given role \`${roleLabel(grant)}\` twice`);
        else roles.push(grant);
      });
    }
  }
  if (problems.length > before || id === undefined || name === undefined) return undefined;
  const optional = (value: unknown) => (value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim());
  return {
    line: lines.person,
    id,
    name,
    active: raw.active === undefined ? true : (raw.active as boolean),
    team: optional(raw.team),
    phone: optional(raw.phone),
    skills: skills.sort(),
    roles: roles.sort(compareGrants),
    attributes: attributes ?? {},
  };
}

function checkRole(value: unknown, who: string, line: number, problems: StaffFileProblem[]): RoleGrant | undefined {
  let role: unknown;
  let process: unknown = EVERY_PROCESS;
  let attributes: Attributes | undefined = {};
  if (typeof value === 'string') {
    const [name, inProcess, ...rest] = value.split('@');
    role = name;
    if (inProcess !== undefined) process = inProcess;
    if (rest.length > 0) process = undefined;
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      if (!(roleKeys as readonly string[]).includes(key)) {
        problems.push({ line, message: `unknown key \`${key}\` in a role of ${who}${didYouMean(key, roleKeys)}: a role has ${roleKeys.join(', ')}` });
        return undefined;
      }
    }
    role = object.role;
    if (object.process !== undefined) process = object.process;
    attributes = checkAttributes(object.attributes, `the attributes of ${who}'s role \`${String(role)}\``, line, problems);
    if (attributes === undefined && object.attributes !== undefined) return undefined;
  } else {
    problems.push({ line, message: `a role of ${who} is \`role\`, \`role@process\` or { role, process, attributes }` });
    return undefined;
  }
  if (typeof role !== 'string' || !roleNamePattern.test(role)) {
    problems.push({ line, message: `role \`${String(role)}\` of ${who} is not a role name: lower-case letters, digits and \`-\`, as the definitions declare it (\`team-lead\`)` });
    return undefined;
  }
  if (typeof process !== 'string' || (process !== EVERY_PROCESS && !processNamePattern.test(process))) {
    problems.push({ line, message: `role \`${role}\` of ${who} names process \`${String(process)}\`: give a process name (\`repair\`) or \`*\` for every process` });
    return undefined;
  }
  return { role, process, attributes: attributes ?? {} };
}

/** Attributes are a flat mapping of names to numbers, texts or booleans; `approvalLimit` is an amount. */
export function checkAttributes(value: unknown, what: string, line: number, problems: StaffFileProblem[]): Attributes | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ line, message: `${what} must be a mapping (\`{ approvalLimit: 5000 }\`)` });
    return undefined;
  }
  const before = problems.length;
  const attributes: Record<string, string | number | boolean> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!attributeNamePattern.test(key)) problems.push({ line, message: `${what}: \`${key}\` is not an attribute name (camelCase letters and digits, \`approvalLimit\`)` });
    else if (key === 'approvalLimit' && (typeof item !== 'number' || !Number.isFinite(item) || item < 0)) problems.push({ line, message: `${what}: \`approvalLimit\` is \`${String(item)}\`: give an amount, a number of 0 or more` });
    else if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') problems.push({ line, message: `${what}: \`${key}\` must be a number, a text or true/false` });
    else attributes[key] = item;
  }
  return problems.length > before ? undefined : sortedKeys(attributes);
}

export function sortedKeys<T>(object: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function compareGrants(a: Pick<RoleGrant, 'role' | 'process'>, b: Pick<RoleGrant, 'role' | 'process'>): number {
  return a.role === b.role ? (a.process < b.process ? -1 : a.process > b.process ? 1 : 0) : a.role < b.role ? -1 : 1;
}
