/**
 * Acting for a person: the client verifies the person's token, reads who they are and which
 * roles they hold in the staff directory, and signs an actor assertion for exactly the one
 * request it is about to send (workflows/actor-assertion.ts). The case checks the assertion
 * again, so the client is a convenience for honest callers, not the gate.
 */
import { randomUUID } from 'node:crypto';
import { appliesIn, approvalLimit, type StaffPerson } from '../directory/types.js';
import type { SignedActor, TrustedKey } from '../workflows/actor-assertion.js';
import type { ActorKeySet } from './actor-keys.js';
import { ActorRefusedError } from './errors.js';
import type { IdentityVerifier } from './identity.js';

/** Who acts: the person's token from the company's identity provider and, optionally, which of their roles they act in. */
export interface ActAs {
  token: string;
  /** One of the person's roles in the process; by default the case picks among all they hold there. */
  role?: string;
}

/** Where people are looked up: the staff directory in PostgreSQL (`StaffDirectory`), or what a test runner stands in for it. */
export interface PersonDirectory {
  resolve(personId: string): Promise<StaffPerson | undefined>;
}

/** How long an assertion lives: it is made for one request, just before it is sent. */
export const ASSERTION_LIFETIME_MS = 2 * 60_000;

export interface ActingOptions {
  identity: IdentityVerifier;
  directory: PersonDirectory;
  keys: ActorKeySet;
  /** The clock assertions are stamped with (tests on the time-skipping server pass its clock). */
  now?: () => number | Promise<number>;
}

/** What an assertion is for. */
export interface AssertionFor {
  process: string;
  /** The roles the process declares: a person's other roles are not sent (undefined: the client has not loaded the definition; all are sent and the case decides). */
  processRoles?: readonly string[];
  caseId: string;
  update: string;
  requestId: string;
  digest: string;
}

export class ActorIssuer {
  constructor(private readonly options: ActingOptions) {}

  /** The public keys a new case trusts. */
  trustedKeys(): TrustedKey[] {
    return this.options.keys.trustedKeys();
  }

  async now(): Promise<number> {
    return (await this.options.now?.()) ?? Date.now();
  }

  /** The person a token names, as the directory knows them; refusals are `ActorRefusedError`. */
  async person(token: string): Promise<{ person: StaffPerson; tokenId: string }> {
    if (typeof token !== 'string' || token === '') throw new ActorRefusedError('TOKEN_INVALID', 'no token: act with the token your identity provider gave the person (`actor: { token }`)');
    const identity = await this.options.identity.verify(token, new Date(await this.now()));
    const person = await this.options.directory.resolve(identity.subject);
    if (!person) throw new ActorRefusedError('PERSON_UNKNOWN', `${identity.subject} is not in the staff directory; add them (\`aftercare staff import\`) before they act on cases`);
    if (!person.active) throw new ActorRefusedError('PERSON_INACTIVE', `${identity.subject} (${person.name}) is no longer active in the staff directory`);
    return { person, tokenId: identity.tokenId };
  }

  /** Signs an assertion that `actAs`'s person makes the request `what`. */
  async issue(actAs: ActAs, what: AssertionFor): Promise<SignedActor> {
    const { person, tokenId } = await this.person(actAs?.token);
    const held = [...new Set(person.roles.filter((grant) => appliesIn(grant, what.process)).map((grant) => grant.role))];
    let roles: string[];
    if (actAs.role !== undefined) {
      if (!held.includes(actAs.role)) {
        throw new ActorRefusedError('ROLE_NOT_HELD', `${person.id} (${person.name}) does not hold role \`${actAs.role}\` in process \`${what.process}\`; they hold ${held.length > 0 ? held.map((r) => `\`${r}\``).join(', ') : 'no role there'}`);
      }
      roles = [actAs.role];
    } else {
      const declared = what.processRoles;
      roles = declared ? held.filter((role) => declared.includes(role)) : held;
      if (roles.length === 0) {
        throw new ActorRefusedError('ROLE_NOT_HELD', `${person.id} (${person.name}) holds no role of process \`${what.process}\`${declared ? ` (its roles: ${declared.map((r) => `\`${r}\``).join(', ')})` : ''}`);
      }
    }
    const limits = Object.fromEntries(roles.flatMap((role) => {
      const limit = approvalLimit(person, role, what.process);
      return limit === undefined ? [] : [[role, limit]];
    }));
    const now = await this.now();
    const iat = Math.floor(now / 1000);
    return this.options.keys.sign({
      sub: person.id,
      name: person.name,
      roles,
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      process: what.process,
      caseId: what.caseId,
      update: what.update,
      requestId: what.requestId,
      digest: what.digest,
      dv: person.directoryVersion,
      tid: tokenId,
      iat,
      exp: iat + ASSERTION_LIFETIME_MS / 1000,
      jti: randomUUID(),
    });
  }
}
