/**
 * Verified actors. A person acts on a case only through a signed actor assertion: a compact
 * JWS (EdDSA, Ed25519) that the client issues after it verified the person's token and read
 * their roles in the staff directory. The case checks it in its Update validators, so a request
 * that reaches Temporal by any other path — a forged role, an edited, expired or replayed
 * assertion, an assertion made for another request — is refused before it is written to the
 * history. Only public keys travel with a case: checking a signature needs no secret, and the
 * workflow sandbox can do it with the pure-JS `@noble/curves`.
 *
 * Key rotation: a case trusts the keys it was opened with (`TrustedKey`). A newer key reaches a
 * running case as an *endorsement*: a small JWS, signed by a key the case already trusts, that
 * names the new key. The client sends the endorsements of its signing key with every request;
 * the case takes the endorsed key into its trust (so the chain is needed once per case).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson, isObject } from '../dsl/json.js';
import { Rejection } from './rejection.js';

/** The JWS `typ` of an actor assertion and of a key endorsement. */
export const ASSERTION_TYPE = 'aftercare-actor+jwt';
export const ENDORSEMENT_TYPE = 'aftercare-key+jwt';

/** Clocks of the client and the worker may differ by this much. */
export const CLOCK_LEEWAY_MS = 30_000;
/** The longest an assertion may live: it is made for one request, just before sending it. */
export const MAX_ASSERTION_LIFETIME_MS = 10 * 60_000;

/** A public key a case trusts: its id and the raw 32-byte Ed25519 key, base64url. */
export interface TrustedKey {
  kid: string;
  key: string;
}

/** What a request carries as its actor: the assertion and the endorsements of its key. */
export interface SignedActor {
  assertion: string;
  endorsements?: string[];
}

/** The claims of an actor assertion: who acts, in which roles, for which request. */
export interface ActorClaims {
  /** The person's id in the staff directory (the token's subject). */
  sub: string;
  name?: string;
  /** The roles the person acts in for this request: one they chose, or all they hold in the process. */
  roles: string[];
  /** Approval limits of the person in those roles (`approvalLimit` in the directory). */
  limits?: Record<string, number>;
  process: string;
  caseId: string;
  /** The Update this assertion is for (`completeTask`, `claimTask`...). */
  update: string;
  requestId: string;
  /** `requestDigest` of the request. */
  digest: string;
  /** The directory version the roles were read at. */
  dv: number;
  /** The id of the person's token the client verified (its `jti`, or a digest of it). */
  tid: string;
  /** Issued at and expiry, in seconds (JWT NumericDate). */
  iat: number;
  exp: number;
  /** The assertion's own id: used once. */
  jti: string;
}

/** The person acting, as a case knows them once it checked (or, for an old case, was told). */
export interface Acting {
  id: string;
  /** The roles they act in; the task decides which one applies. */
  roles: string[];
  name?: string;
  limits?: Record<string, number>;
  /** Present for a verified person: the token and directory version their assertion names. */
  tokenId?: string;
  directoryVersion?: number;
  /** The assertion's id and expiry (ms), remembered so that it is used once. */
  assertionId?: string;
  expiresAt?: number;
}

/** The digest an assertion binds: SHA-256 of the request's canonical JSON without its actor and identity. */
export function requestDigest(request: object): string {
  const { actor: _actor, requestId: _requestId, digest: _digest, ...content } = request as Record<string, unknown>;
  return toHex(sha256(utf8(canonicalJson(content))));
}

export function isSignedActor(actor: unknown): actor is SignedActor {
  return isObject(actor) && typeof actor.assertion === 'string';
}

interface Jws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

const unverified = (why: string) => new Rejection('ACTOR_UNVERIFIED', `the actor is not verified: ${why}; act through the Aftercare client with a token of your identity provider`);

function parseJws(token: string, type: string): Jws {
  const parts = token.split('.');
  if (parts.length !== 3) throw unverified(`a ${type} is a compact JWS (three parts separated by dots)`);
  const [header, payload] = [parts[0]!, parts[1]!].map((part) => {
    const value: unknown = JSON.parse(fromUtf8(base64urlDecode(part)));
    if (!isObject(value)) throw unverified(`the ${type} is malformed`);
    return value;
  }) as [Record<string, unknown>, Record<string, unknown>];
  if (header.alg !== 'EdDSA' || header.typ !== type || typeof header.kid !== 'string') throw unverified(`the ${type} must be signed with EdDSA (Ed25519), typ \`${type}\`, and name its key (\`kid\`)`);
  return { header, payload, signingInput: utf8(`${parts[0]}.${parts[1]}`), signature: base64urlDecode(parts[2]!) };
}

function parse(token: string, type: string): Jws {
  try {
    return parseJws(token, type);
  } catch (error) {
    if (error instanceof Rejection) throw error;
    throw unverified(`the ${type} cannot be read`);
  }
}

function signedBy(jws: Jws, key: string): boolean {
  try {
    return ed25519.verify(jws.signature, jws.signingInput, base64urlDecode(key));
  } catch {
    return false;
  }
}

/**
 * The keys `trust` leads to through `endorsements`: each endorsement signed by a key already
 * trusted adds the key it names. Returns only the keys added.
 */
export function endorsedKeys(trust: readonly TrustedKey[], endorsements: readonly string[]): TrustedKey[] {
  const known = new Map(trust.map((key) => [key.kid, key.key]));
  const added: TrustedKey[] = [];
  const pending = endorsements.map((token) => parse(token, ENDORSEMENT_TYPE));
  for (let progress = true; progress; ) {
    progress = false;
    for (const jws of [...pending]) {
      const signer = known.get(String(jws.header.kid));
      const { kid, key } = jws.payload;
      if (typeof kid === 'string' && known.has(kid)) {
        pending.splice(pending.indexOf(jws), 1);
        continue;
      }
      if (signer === undefined || typeof kid !== 'string' || typeof key !== 'string' || !signedBy(jws, signer)) continue;
      pending.splice(pending.indexOf(jws), 1);
      known.set(kid, key);
      added.push({ kid, key });
      progress = true;
    }
  }
  return added;
}

/** What a request's assertion must match. */
export interface AssertionContext {
  trust: readonly TrustedKey[];
  caseId: string;
  update: string;
  request: Readonly<Record<string, unknown>>;
  /** Assertion ids already used on this case, with their expiry (ms). */
  used: Readonly<Record<string, number>>;
  now: number;
}

/**
 * Checks a signed actor for a request and returns the person acting, with the keys its
 * endorsements added. Throws a `Rejection`: ACTOR_UNVERIFIED (no assertion, an unknown key, a
 * signature that does not match), ASSERTION_EXPIRED, ASSERTION_NOT_FOR_REQUEST (made for another
 * case, Update or request), ASSERTION_REPLAYED (already used).
 */
export function verifyActor(actor: unknown, context: AssertionContext): { acting: Acting; newKeys: TrustedKey[] } {
  if (!isSignedActor(actor)) throw unverified('the request carries no signed actor assertion (a role named by the caller is not accepted)');
  const newKeys = endorsedKeys(context.trust, Array.isArray(actor.endorsements) ? actor.endorsements.filter((e): e is string => typeof e === 'string') : []);
  const jws = parse(actor.assertion, ASSERTION_TYPE);
  const kid = String(jws.header.kid);
  const key = [...context.trust, ...newKeys].find((k) => k.kid === kid);
  if (!key) throw unverified(`it is signed with key \`${kid}\`, which case ${context.caseId} does not trust (its keys: ${context.trust.map((k) => `\`${k.kid}\``).join(', ') || 'none'})`);
  if (!signedBy(jws, key.key)) throw unverified(`its signature does not match key \`${kid}\` (was it changed after signing?)`);
  const claims = claimsOf(jws.payload);
  const { now } = context;
  const issuedAt = claims.iat * 1000;
  const expiresAt = claims.exp * 1000;
  if (issuedAt > now + CLOCK_LEEWAY_MS || expiresAt - issuedAt > MAX_ASSERTION_LIFETIME_MS) {
    throw new Rejection('ASSERTION_EXPIRED', `the actor assertion of ${claims.sub} is not valid now: issued ${iso(issuedAt)}, expiring ${iso(expiresAt)} (an assertion lives at most ${MAX_ASSERTION_LIFETIME_MS / 60_000} minutes); send the request again through the client`);
  }
  if (expiresAt + CLOCK_LEEWAY_MS < now) {
    throw new Rejection('ASSERTION_EXPIRED', `the actor assertion of ${claims.sub} expired at ${iso(expiresAt)}; send the request again through the client, which makes a new one`);
  }
  const wrong = [
    claims.caseId !== context.caseId && `case ${claims.caseId}`,
    claims.update !== context.update && `\`${claims.update}\``,
    (claims.requestId !== context.request.requestId || claims.digest !== context.request.digest || claims.digest !== requestDigest(context.request)) && 'another request',
  ].filter((w): w is string => typeof w === 'string');
  if (wrong.length > 0) {
    throw new Rejection('ASSERTION_NOT_FOR_REQUEST', `the actor assertion of ${claims.sub} was made for ${wrong.join(', ')}, not for this \`${context.update}\` request on case ${context.caseId}; an assertion is good for one request only`);
  }
  if (context.used[claims.jti] !== undefined) {
    throw new Rejection('ASSERTION_REPLAYED', `the actor assertion \`${claims.jti}\` of ${claims.sub} was already used on case ${context.caseId}; an assertion is good for one request only`);
  }
  return { acting: actingOf(claims), newKeys };
}

function claimsOf(payload: Record<string, unknown>): ActorClaims {
  const strings = ['sub', 'process', 'caseId', 'update', 'requestId', 'digest', 'tid', 'jti'] as const;
  const numbers = ['dv', 'iat', 'exp'] as const;
  const bad = [
    ...strings.filter((k) => typeof payload[k] !== 'string' || payload[k] === ''),
    ...numbers.filter((k) => typeof payload[k] !== 'number' || !Number.isFinite(payload[k])),
    ...(Array.isArray(payload.roles) && payload.roles.every((r) => typeof r === 'string') ? [] : ['roles']),
  ];
  if (bad.length > 0) throw unverified(`its claims are incomplete (${bad.join(', ')})`);
  return payload as unknown as ActorClaims;
}

function actingOf(claims: ActorClaims): Acting {
  return {
    id: claims.sub,
    roles: claims.roles,
    ...(claims.name ? { name: claims.name } : {}),
    ...(isObject(claims.limits) ? { limits: claims.limits } : {}),
    tokenId: claims.tid,
    directoryVersion: claims.dv,
    assertionId: claims.jti,
    expiresAt: claims.exp * 1000,
  };
}

/**
 * The person a request names, read without checking the signature: what an Update handler uses,
 * after the validator checked it (handlers also run on replay, where validators do not). A case
 * opened before actors were verified has no trusted keys and took the caller's word
 * (`{ id, role }`).
 */
export function presentedActing(actor: unknown): Acting {
  if (isSignedActor(actor)) return actingOf(claimsOf(parse(actor.assertion, ASSERTION_TYPE).payload));
  const claimed = actor as { id?: unknown; role?: unknown; name?: unknown } | undefined;
  if (!claimed || typeof claimed.id !== 'string' || claimed.id.trim() === '' || typeof claimed.role !== 'string' || claimed.role.trim() === '') {
    throw new Rejection('REQUEST_INVALID', 'the request must name the actor: a signed actor assertion (or, on a case opened before actors were verified, `actor: { id, role }`)');
  }
  return { id: claimed.id, roles: [claimed.role], ...(typeof claimed.name === 'string' ? { name: claimed.name } : {}) };
}

/** Assertion ids still worth remembering: those not yet expired (an expired one is refused anyway). */
export function rememberAssertion(used: Readonly<Record<string, number>> | undefined, acting: Acting, now: number): Record<string, number> | undefined {
  if (acting.assertionId === undefined || acting.expiresAt === undefined) return used ? { ...used } : undefined;
  const kept = Object.fromEntries(Object.entries(used ?? {}).filter(([, expiresAt]) => expiresAt + CLOCK_LEEWAY_MS >= now));
  kept[acting.assertionId] = acting.expiresAt;
  return kept;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

// Encodings, without Node's Buffer (not in the workflow sandbox).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

export function base64urlDecode(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const char of clean) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error('not base64url');
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 255;
      buffer &= (1 << bits) - 1;
    }
  }
  return out;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
