/**
 * Who acts in a scenario. Requests go the way production's do — a token, an actor assertion
 * signed for the request, the case's own check of it — with keys made for the run, and a
 * directory in which the person a scenario names holds every role of the processes: a scenario
 * tests the process (its roles, assignees, four eyes, approval limits written in the scenario's
 * `role:`), not the company's staff directory, and owners write people as they like
 * (`as: li.na`, or by default `a-<role>`).
 */
import { ActorIssuer, type ActAs, type PersonDirectory } from '../client/acting.js';
import { ActorKeySet } from '../client/actor-keys.js';
import { devIdentityVerifier, devToken, newDevIdentityKey } from '../client/identity.js';
import type { DefinitionRegistry } from '../dsl/load/registry.js';
import type { StaffPerson } from '../directory/types.js';

/** The run's stand-in identity provider: a key made for this run, never written anywhere. */
const identityKey = newDevIdentityKey('scenarios');
const actorKeys = ActorKeySet.create('scenarios');

/** Tokens outlive any scenario: the time-skipping server's clock runs weeks ahead, or starts in the past. */
const CENTURY_S = 100 * 365 * 86_400;

/** The person a scenario names, acting in `role`. */
export function scenarioPerson(personId: string, role: string): ActAs {
  return { token: devToken(identityKey, personId, { now: new Date(0), lifetimeSeconds: CENTURY_S + Math.floor(Date.now() / 1000) }), role };
}

/** A directory in which anyone holds every role of the registry's processes (the developers' process tests use it too). */
export function anyoneHoldsEveryRole(registry: DefinitionRegistry): PersonDirectory {
  const roles = [...new Set(registry.processes().flatMap((process) => Object.keys(registry.get(process).compiled.roles)))];
  return {
    async resolve(id: string): Promise<StaffPerson> {
      return { id, name: id, active: true, team: null, phone: null, skills: [], roles: roles.map((role) => ({ role, process: '*', attributes: {} })), attributes: {}, directoryVersion: 1 };
    },
  };
}

/** Acting for the people of a scenario, on a server whose clock `now` reads. */
export async function scenarioActing(registry: DefinitionRegistry, now: () => Promise<number>): Promise<ActorIssuer> {
  return new ActorIssuer({ identity: await devIdentityVerifier(identityKey), directory: anyoneHoldsEveryRole(registry), keys: actorKeys, now });
}
