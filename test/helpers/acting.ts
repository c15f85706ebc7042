/**
 * People acting in tests. Every test acts through the real path — a token signed with a dev
 * identity key, verified by the client with jose, an actor assertion signed with a test actor
 * key and checked by the case — with a directory in which anyone holds every role of the
 * processes tests run (`anyoneDirectory`), so that tests of process semantics can name whoever
 * they like. The tests of who may act (test/integration/verified-actors.test.ts) use the real
 * staff directory in PostgreSQL instead.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ActorIssuer, type ActAs, type PersonDirectory } from '../../client/acting.js';
import { ActorKeySet } from '../../client/actor-keys.js';
import { devIdentityVerifier, devToken, type DevIdentityKey } from '../../client/identity.js';
import type { DefinitionRegistry } from '../../dsl/load/registry.js';
import type { StaffPerson } from '../../directory/types.js';
import { base64urlEncode } from '../../workflows/actor-assertion.js';

function newIdentityKey(): DevIdentityKey {
  const secret = ed25519.utils.randomSecretKey();
  return { kid: 'test-identity', publicKey: base64urlEncode(ed25519.getPublicKey(secret)), secretKey: base64urlEncode(secret) };
}

/** The identity key test tokens are signed with, and the actor keys of test clients (one pair per test process). */
export const testIdentityKey = newIdentityKey();
export const testActorKeys = ActorKeySet.create('test-actors');

/** Test tokens outlive any test: the time-skipping server jumps ten years ahead when a test waits on an idle case (its default run timeout). */
const CENTURY_S = 100 * 365 * 86_400;

/** A person of the tests, acting in `role`: their token, and their id for assertions about who did it. */
export function actAs(id: string, role?: string): ActAs & { id: string } {
  return { id, token: devToken(testIdentityKey, id, { lifetimeSeconds: CENTURY_S }), ...(role !== undefined ? { role } : {}) };
}

/** A directory in which anyone holds every role of the registry's processes. */
export function anyoneDirectory(registry: DefinitionRegistry): PersonDirectory {
  const roles = [...new Set(registry.processes().flatMap((process) => Object.keys(registry.get(process).compiled.roles)))];
  return {
    async resolve(id: string): Promise<StaffPerson> {
      return { id, name: id, active: true, team: null, phone: null, skills: [], roles: roles.map((role) => ({ role, process: '*', attributes: {} })), attributes: {}, directoryVersion: 1 };
    },
  };
}

/** What acting for test people needs; `now` is the clock of the server the cases run on. */
export async function testActing(options: { directory: PersonDirectory; now?: () => number | Promise<number>; keys?: ActorKeySet }): Promise<ActorIssuer> {
  return new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory: options.directory, keys: options.keys ?? testActorKeys, ...(options.now ? { now: options.now } : {}) });
}
