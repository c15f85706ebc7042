/**
 * Who a person is, as the company's identity provider says: services authenticate their users
 * as they already do and pass the user's token (a JWT); the client verifies it with `jose`
 * against the provider's JWKS URL or public key (on one machine: the local dev key that
 * `npm start` creates) before it acts for them.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlEncode } from '../workflows/actor-assertion.js';
import { signJws } from './actor-keys.js';
import { ActorRefusedError } from './errors.js';

/** A person the identity provider vouches for. */
export interface VerifiedIdentity {
  /** The person's id: the token's subject (or the configured claim), as the staff directory knows them. */
  subject: string;
  /** The token's id (`jti`), or a digest of the token when it has none: kept in the audit trail. */
  tokenId: string;
  expiresAt?: Date;
}

export interface IdentityVerifier {
  verify(token: string, now: Date): Promise<VerifiedIdentity>;
}

export interface IdentityOptions {
  /** The identity provider's JWKS URL (`https://idp.example.com/.well-known/jwks.json`). */
  jwksUrl?: string;
  /** Or its public key: PEM (SPKI) text, or a JWK / JWK set as JSON. */
  publicKey?: string;
  /** Required issuer (`iss`) and audience (`aud`) of tokens. */
  issuer?: string;
  audience?: string;
  /** The claim that holds the person's id (default `sub`). */
  subjectClaim?: string;
  /** Signature algorithms accepted (default: the asymmetric ones jose supports: RS256, PS256, ES256, EdDSA...). */
  algorithms?: string[];
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** The issuer and audience of tokens made with the local dev key. */
export const DEV_ISSUER = 'aftercare-dev';
export const DEV_AUDIENCE = 'aftercare';

/** Verifies tokens with `jose`; a token that does not verify is `ActorRefusedError` TOKEN_INVALID or TOKEN_EXPIRED. */
export class JwtIdentityVerifier implements IdentityVerifier {
  private constructor(
    private readonly key: JWTVerifyGetKey | CryptoKey | Uint8Array,
    private readonly options: IdentityOptions,
  ) {}

  static async create(options: IdentityOptions): Promise<JwtIdentityVerifier> {
    if (options.jwksUrl) return new JwtIdentityVerifier(createRemoteJWKSet(new URL(options.jwksUrl)), options);
    const text = options.publicKey?.trim();
    if (!text) throw new Error('the identity provider needs a JWKS URL or a public key (AFTERCARE_IDENTITY_JWKS_URL or AFTERCARE_IDENTITY_PUBLIC_KEY)');
    if (text.startsWith('-----BEGIN')) {
      // A PEM key does not say its algorithm: the first one configured, RS256 by default.
      const alg = options.algorithms?.[0] ?? 'RS256';
      return new JwtIdentityVerifier(await importSPKI(text, alg), options);
    }
    const jwk = JSON.parse(text) as JWK | { keys: JWK[] };
    if ('keys' in jwk) return new JwtIdentityVerifier(createLocalJWKSet(jwk), options);
    return new JwtIdentityVerifier(createLocalJWKSet({ keys: [publicPart(jwk)] }), options);
  }

  async verify(token: string, now: Date): Promise<VerifiedIdentity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        algorithms: this.options.algorithms ?? ASYMMETRIC,
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience ? { audience: this.options.audience } : {}),
        currentDate: now,
        clockTolerance: 30,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new ActorRefusedError('TOKEN_EXPIRED', `the token expired (${error.message}); sign in again`);
      const why = error instanceof errors.JOSEError ? error.message : String((error as Error)?.message ?? error);
      throw new ActorRefusedError('TOKEN_INVALID', `the token was not accepted: ${why}`);
    }
    const claim = this.options.subjectClaim ?? 'sub';
    const subject = payload[claim];
    if (typeof subject !== 'string' || subject === '') throw new ActorRefusedError('TOKEN_INVALID', `the token names no person: it has no \`${claim}\` claim`);
    const tokenId = typeof payload.jti === 'string' && payload.jti !== '' ? payload.jti : `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 24)}`;
    return { subject, tokenId, ...(typeof payload.exp === 'number' ? { expiresAt: new Date(payload.exp * 1000) } : {}) };
  }
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k: _k, ...rest } = jwk;
  return rest;
}

/**
 * The local dev identity key: an Ed25519 key pair that stands in for a company's identity
 * provider on one machine. `npm start` creates it in `.data/`; the CLI signs short tokens with
 * it for `--as <person>`; tests use it too. Never use it for a real deployment.
 */
export interface DevIdentityKey {
  kid: string;
  /** Raw Ed25519 keys, base64url. */
  publicKey: string;
  secretKey: string;
}

/** A new dev identity key (the secret never leaves the file or the process that made it). */
export function newDevIdentityKey(kid: string): DevIdentityKey {
  const secret = ed25519.utils.randomSecretKey();
  return { kid, publicKey: base64urlEncode(ed25519.getPublicKey(secret)), secretKey: base64urlEncode(secret) };
}

export async function readDevIdentityKey(file: string): Promise<DevIdentityKey> {
  const data = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<DevIdentityKey>;
  if (typeof data.kid !== 'string' || typeof data.publicKey !== 'string' || typeof data.secretKey !== 'string') throw new Error(`${file} is not a dev identity key`);
  return data as DevIdentityKey;
}

/** The dev key's public half as a JWK, for `JwtIdentityVerifier` (`publicKey`). */
export function devIdentityJwk(key: DevIdentityKey): string {
  return JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: key.publicKey, kid: key.kid, alg: 'EdDSA' });
}

/** A token for `subject`, signed with the dev key (what a company's identity provider would issue). */
export function devToken(key: DevIdentityKey, subject: string, options: { now?: Date; lifetimeSeconds?: number; jti?: string } = {}): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return signJws({ typ: 'JWT', kid: key.kid }, { iss: DEV_ISSUER, aud: DEV_AUDIENCE, sub: subject, iat, exp: iat + (options.lifetimeSeconds ?? 600), jti: options.jti ?? randomUUID() }, key.secretKey);
}

/** A verifier of dev tokens. */
export function devIdentityVerifier(key: DevIdentityKey): Promise<JwtIdentityVerifier> {
  return JwtIdentityVerifier.create({ publicKey: devIdentityJwk(key), issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['EdDSA', 'Ed25519'] });
}
