/**
 * Acting for people, as configured: the actor keys (AFTERCARE_ACTOR_KEYS_FILE), the identity
 * provider whose tokens prove who a person is (AFTERCARE_IDENTITY_*), or on one machine the
 * local dev key that stands in for it, and the staff directory in PostgreSQL. `aftercare dev`
 * creates the dev keys on first start, private to their owner, beside the codec keys.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ActorIssuer } from '../client/acting.js';
import { ActorKeySet } from '../client/actor-keys.js';
import { devIdentityVerifier, JwtIdentityVerifier, newDevIdentityKey, readDevIdentityKey, type DevIdentityKey, type IdentityVerifier } from '../client/identity.js';
import { StaffDirectory } from '../directory/index.js';
import type { TrustedKey } from '../workflows/actor-assertion.js';
import type { AftercareConfig } from './config.js';

const shown = (file: string) => path.relative(process.cwd(), file) || file;

/** Creates the dev actor key set and dev identity key when they do not exist yet. */
export async function ensureDevActingKeys(config: AftercareConfig, log: (message: string) => void): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  if (!existsSync(config.actorKeysFile)) {
    await writePrivate(config.actorKeysFile, ActorKeySet.create(`actors-${day}`).toJson());
    log(`created the key that signs who acts on cases: ${shown(config.actorKeysFile)}`);
  }
  if (!hasIdentityProvider(config) && !existsSync(config.devIdentityKeyFile)) {
    await writePrivate(config.devIdentityKeyFile, `${JSON.stringify(newDevIdentityKey(`dev-identity-${day}`), null, 2)}\n`);
    log(`created the local dev identity key (stands in for an identity provider on this machine): ${shown(config.devIdentityKeyFile)}`);
  }
}

async function writePrivate(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.writeFile(file, text, { mode: 0o600, flag: 'wx' });
}

export function hasIdentityProvider(config: AftercareConfig): boolean {
  const { jwksUrl, publicKey, publicKeyFile } = config.identity;
  return Boolean(jwksUrl || publicKey || publicKeyFile);
}

/** The actor key set, or undefined when the file does not exist. */
export async function configuredActorKeys(config: AftercareConfig): Promise<ActorKeySet | undefined> {
  return existsSync(config.actorKeysFile) ? ActorKeySet.read(config.actorKeysFile) : undefined;
}

/** The public keys new cases trust, or undefined without a key set. */
export async function configuredTrustedKeys(config: AftercareConfig): Promise<TrustedKey[] | undefined> {
  return (await configuredActorKeys(config))?.trustedKeys();
}

/** The identity provider's verifier, or the dev key's; undefined when neither is configured. */
export async function configuredIdentity(config: AftercareConfig): Promise<IdentityVerifier | undefined> {
  const { jwksUrl, publicKey, publicKeyFile, issuer, audience, subjectClaim } = config.identity;
  if (hasIdentityProvider(config)) {
    const key = publicKey ?? (publicKeyFile ? await fs.readFile(publicKeyFile, 'utf8') : undefined);
    return JwtIdentityVerifier.create({ ...(jwksUrl ? { jwksUrl } : {}), ...(key ? { publicKey: key } : {}), ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}), ...(subjectClaim ? { subjectClaim } : {}) });
  }
  const dev = await devIdentityKey(config);
  return dev ? devIdentityVerifier(dev) : undefined;
}

/** The local dev identity key, when there is no identity provider and the key file exists. */
export async function devIdentityKey(config: AftercareConfig): Promise<DevIdentityKey | undefined> {
  if (hasIdentityProvider(config) || !existsSync(config.devIdentityKeyFile)) return undefined;
  return readDevIdentityKey(config.devIdentityKeyFile);
}

/** Everything acting for people needs, or a sentence saying what is missing. */
export async function configuredActing(config: AftercareConfig, pool: pg.Pool): Promise<ActorIssuer | string> {
  const keys = await configuredActorKeys(config);
  if (!keys) return `no actor keys: ${shown(config.actorKeysFile)} does not exist (set AFTERCARE_ACTOR_KEYS_FILE, or run \`npm start\` once to create the dev keys)`;
  const identity = await configuredIdentity(config);
  if (!identity) return 'no identity provider: set AFTERCARE_IDENTITY_JWKS_URL or AFTERCARE_IDENTITY_PUBLIC_KEY (or run `npm start` once to create the local dev identity key)';
  return new ActorIssuer({ identity, directory: new StaffDirectory(pool), keys });
}
