/**
 * The keys that sign actor assertions (workflows/actor-assertion.ts). A key set is a JSON file
 * that only the services acting for people hold: Ed25519 keys, the newest one signing, each
 * newer key endorsed by the one before it, so that cases opened under an older key accept the
 * newer one. Cases carry only the public halves.
 *
 * ```json
 * { "current": "actors-2026-12", "keys": [{ "kid": "actors-2026-12", "publicKey": "…", "secretKey": "…", "created": "…" }],
 *   "endorsements": [] }
 * ```
 */
import fs from 'node:fs/promises';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ASSERTION_TYPE, ENDORSEMENT_TYPE, base64urlDecode, base64urlEncode, utf8, type ActorClaims, type SignedActor, type TrustedKey } from '../workflows/actor-assertion.js';

export interface ActorKey {
  kid: string;
  /** Raw Ed25519 keys, base64url: the public key (32 bytes) and the secret key (its 32-byte seed). */
  publicKey: string;
  secretKey?: string;
  created: string;
}

export interface ActorKeyFile {
  /** The key that signs now. */
  current: string;
  keys: ActorKey[];
  /** Each key after the first, endorsed by the key before it (compact JWS). */
  endorsements: string[];
}

const kidPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A compact JWS (EdDSA) of `payload`, signed with `secretKey`. */
export function signJws(header: { typ: string; kid: string }, payload: object, secretKey: string): string {
  const part = (value: object) => base64urlEncode(utf8(JSON.stringify(value)));
  const signingInput = `${part({ alg: 'EdDSA', ...header })}.${part(payload)}`;
  return `${signingInput}.${base64urlEncode(ed25519.sign(utf8(signingInput), base64urlDecode(secretKey)))}`;
}

export function newActorKey(kid: string, now = new Date()): ActorKey {
  if (!kidPattern.test(kid)) throw new Error(`\`${kid}\` cannot be a key id: use 1 to 64 letters, digits, dots, dashes or underscores`);
  const secret = ed25519.utils.randomSecretKey();
  return { kid, publicKey: base64urlEncode(ed25519.getPublicKey(secret)), secretKey: base64urlEncode(secret), created: now.toISOString() };
}

/** The signing keys of a service, read from a key file (`AFTERCARE_ACTOR_KEYS_FILE`). */
export class ActorKeySet {
  private readonly signing: ActorKey & { secretKey: string };

  constructor(readonly file: ActorKeyFile) {
    const current = file.keys.find((key) => key.kid === file.current);
    if (!current) throw new Error(`the actor key set names \`${file.current}\` as its current key, but has no such key`);
    if (!current.secretKey) throw new Error(`the actor key set has only the public half of its current key \`${file.current}\`; it cannot sign`);
    const derived = base64urlEncode(ed25519.getPublicKey(base64urlDecode(current.secretKey)));
    if (derived !== current.publicKey) throw new Error(`the secret key of \`${current.kid}\` does not belong to its public key`);
    this.signing = { ...current, secretKey: current.secretKey };
  }

  static parse(text: string, source: string): ActorKeySet {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Error(`${source} is not JSON: ${(error as Error).message}`);
    }
    const file = data as Partial<ActorKeyFile>;
    if (!file || typeof file.current !== 'string' || !Array.isArray(file.keys) || file.keys.some((k) => typeof k?.kid !== 'string' || typeof k.publicKey !== 'string')) {
      throw new Error(`${source} is not an actor key set: it needs \`current\` and \`keys\` (each with \`kid\` and \`publicKey\`)`);
    }
    try {
      return new ActorKeySet({ current: file.current, keys: file.keys, endorsements: Array.isArray(file.endorsements) ? file.endorsements : [] });
    } catch (error) {
      throw new Error(`${source}: ${(error as Error).message}`);
    }
  }

  static async read(file: string): Promise<ActorKeySet> {
    return ActorKeySet.parse(await fs.readFile(file, 'utf8'), file);
  }

  /** A first key set, with one key. */
  static create(kid: string, now = new Date()): ActorKeySet {
    const key = newActorKey(kid, now);
    return new ActorKeySet({ current: kid, keys: [key], endorsements: [] });
  }

  get currentKid(): string {
    return this.signing.kid;
  }

  /** The public keys a new case trusts: every key of the set. */
  trustedKeys(): TrustedKey[] {
    return this.file.keys.map((key) => ({ kid: key.kid, key: key.publicKey }));
  }

  /**
   * A new key set whose current key is a new key `kid`, endorsed by the current one: cases
   * opened before accept it (the client sends the endorsement with its requests), and new
   * cases trust both. The old secret stays so that the file can be rolled back; drop it with
   * `withoutSecretsBefore` once no one needs it.
   */
  rotate(kid: string, now = new Date()): ActorKeySet {
    if (this.file.keys.some((key) => key.kid === kid)) throw new Error(`the actor key set already has a key \`${kid}\``);
    const key = newActorKey(kid, now);
    const endorsement = signJws({ typ: ENDORSEMENT_TYPE, kid: this.signing.kid }, { kid: key.kid, key: key.publicKey, iat: Math.floor(now.getTime() / 1000) }, this.signing.secretKey);
    return new ActorKeySet({ current: kid, keys: [...this.file.keys, key], endorsements: [...this.file.endorsements, endorsement] });
  }

  /** Signs an assertion with the current key; the endorsements go with it. */
  sign(claims: ActorClaims): SignedActor {
    const assertion = signJws({ typ: ASSERTION_TYPE, kid: this.signing.kid }, claims, this.signing.secretKey);
    return { assertion, ...(this.file.endorsements.length > 0 ? { endorsements: this.file.endorsements } : {}) };
  }

  toJson(): string {
    return `${JSON.stringify(this.file, null, 2)}\n`;
  }
}
