/**
 * People acting in tests. Every test acts through the real path — a token signed with a dev
 * identity key, verified by the client with jose, an actor assertion signed with a test actor
 * key and checked by the case — with a directory in which anyone holds every role of the
 * processes tests run (`anyoneDirectory`), so that tests of process semantics can name whoever
 * they like. The tests of who may act (test/integration/verified-actors.test.ts) use the real
 * staff directory in PostgreSQL instead.
 */
import { ActorIssuer, type ActAs, type PersonDirectory } from '../../client/acting.js';
import { ActorKeySet } from '../../client/actor-keys.js';
import { devIdentityVerifier, devToken, newDevIdentityKey } from '../../client/identity.js';
import { anyoneHoldsEveryRole } from '../../scenarios/acting.js';

/** The identity key test tokens are signed with, and the actor keys of test clients (one pair per test process). */
export const testIdentityKey = newDevIdentityKey('test-identity');
export const testActorKeys = ActorKeySet.create('test-actors');

/** Test tokens outlive any test: the time-skipping server jumps ten years ahead when a test waits on an idle case (its default run timeout). */
const CENTURY_S = 100 * 365 * 86_400;

/** A person of the tests, acting in `role`: their token, and their id for assertions about who did it. */
export function actAs(id: string, role?: string): ActAs & { id: string } {
  return { id, token: devToken(testIdentityKey, id, { lifetimeSeconds: CENTURY_S }), ...(role !== undefined ? { role } : {}) };
}

/** A directory in which anyone holds every role of the registry's processes. */
export const anyoneDirectory = anyoneHoldsEveryRole;

/** What acting for test people needs; `now` is the clock of the server the cases run on. */
export async function testActing(options: { directory: PersonDirectory; now?: () => number | Promise<number>; keys?: ActorKeySet }): Promise<ActorIssuer> {
  return new ActorIssuer({ identity: await devIdentityVerifier(testIdentityKey), directory: options.directory, keys: options.keys ?? testActorKeys, ...(options.now ? { now: options.now } : {}) });
}
