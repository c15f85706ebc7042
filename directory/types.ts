/**
 * The staff directory's words: a person as the directory resolves them, a role they hold, the
 * attributes processes read, a change and its version.
 */

/** Every process: a role granted with no process applies in all of them. */
export const EVERY_PROCESS = '*';

/** What processes read about a person or a person in a role: flat, scalar values only. */
export type Attributes = Readonly<Record<string, string | number | boolean>>;

/** A role a person holds, in one process or in every process (`'*'`). */
export interface RoleGrant {
  role: string;
  process: string;
  /** Attributes of the person in this role (an approval limit as a manager); over the person's own. */
  attributes: Attributes;
}

/** A person as the directory knows them at `directoryVersion`. */
export interface StaffPerson {
  id: string;
  name: string;
  active: boolean;
  team: string | null;
  phone: string | null;
  skills: string[];
  roles: RoleGrant[];
  attributes: Attributes;
  /** The directory version this answer was read at: a later assertion names it. */
  directoryVersion: number;
}

/** Who makes a change and why; both are kept with the version it makes. */
export interface ChangeAuthor {
  by: string;
  reason: string;
}

export type ChangeKind = 'person-added' | 'person-updated' | 'role-granted' | 'role-updated' | 'role-revoked';

/** One row of the audit: what a version changed about one person or one of their roles. */
export interface DirectoryChange {
  personId: string;
  change: ChangeKind;
  role?: string;
  process?: string;
  before?: unknown;
  after?: unknown;
}

/** One version of the directory: who, when, why, and what it changed. */
export interface DirectoryVersion {
  version: number;
  kind: 'import' | 'grant' | 'revoke' | 'migration';
  changedBy: string;
  reason: string;
  source: string | null;
  changedAt: string;
  changes: DirectoryChange[];
}

/** What a change left: the version it made (the current one when it changed nothing) and what it changed. */
export interface ChangeResult {
  directoryVersion: number;
  /** False when the directory already said all of it: no version was made. */
  changed: boolean;
  changes: DirectoryChange[];
}

/** A role name as processes declare it (`team-lead`); a process name as `definitions/` names it. */
export const roleNamePattern = /^[a-z][a-z0-9-]*$/;
export const processNamePattern = /^[a-z][a-z0-9-]*$/;
/** A person id: what an identity provider's subject usually is (`li.na`, `T-001`, `li.na@example.com`). */
export const personIdPattern = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
export const attributeNamePattern = /^[a-z][A-Za-z0-9]*$/;

/**
 * The approval limit that applies to a person acting in a role for a process: the role's own
 * (`approvalLimit` on the grant) over the person's; undefined when neither sets one.
 */
export function approvalLimit(person: Pick<StaffPerson, 'roles' | 'attributes'>, role: string, process: string): number | undefined {
  const grants = person.roles.filter((g) => g.role === role && (g.process === process || g.process === EVERY_PROCESS));
  // The grant for this process speaks before the grant for every process.
  grants.sort((a, b) => Number(a.process === EVERY_PROCESS) - Number(b.process === EVERY_PROCESS));
  for (const grant of grants) {
    const limit = grant.attributes.approvalLimit;
    if (typeof limit === 'number') return limit;
  }
  const own = person.attributes.approvalLimit;
  return typeof own === 'number' ? own : undefined;
}

/** Whether `grant` applies in `process` (its own process, or every process). */
export function appliesIn(grant: Pick<RoleGrant, 'process'>, process: string): boolean {
  return grant.process === EVERY_PROCESS || grant.process === process;
}

/** `manager` (every process) or `team-lead@repair`: how files and the CLI write a role. */
export function roleLabel(grant: Pick<RoleGrant, 'role' | 'process'>): string {
  return grant.process === EVERY_PROCESS ? grant.role : `${grant.role}@${grant.process}`;
}
