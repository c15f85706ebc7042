/**
 * Signed actor assertions (workflows/actor-assertion.ts), as a case's validator checks them:
 * each way a request can claim to be someone it is not, refused with its code; key rotation by
 * endorsement; the digest that binds an assertion to one request.
 */
import { describe, expect, it } from 'vitest';
import { ActorKeySet, signJws } from '../../../client/actor-keys.js';
import { base64urlDecode, base64urlEncode, requestDigest, verifyActor, type ActorClaims, type AssertionContext, type SignedActor } from '../../../workflows/actor-assertion.js';
import { Rejection } from '../../../workflows/rejection.js';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const keys = ActorKeySet.create('actors-1', new Date(NOW));
const request = { taskId: 'approve#1', outcome: 'approved', data: { note: 'ok' }, requestId: 'r-1' };
const digest = requestDigest(request);

function claims(over: Partial<ActorClaims> = {}): ActorClaims {
  return {
    sub: 'wang.fang',
    name: 'Wang Fang',
    roles: ['manager'],
    process: 'exchange',
    caseId: 'EX-1',
    update: 'completeTask',
    requestId: 'r-1',
    digest,
    dv: 7,
    tid: 'token-1',
    iat: NOW / 1000,
    exp: NOW / 1000 + 120,
    jti: 'assertion-1',
    ...over,
  };
}

function context(over: Partial<AssertionContext> = {}): AssertionContext {
  return { trust: keys.trustedKeys(), caseId: 'EX-1', update: 'completeTask', request: { ...request, digest }, used: {}, now: NOW, ...over };
}

function refusal(actor: unknown, ctx = context()): Rejection {
  try {
    verifyActor(actor, ctx);
  } catch (error) {
    if (error instanceof Rejection) return error;
    throw error;
  }
  throw new Error('expected a Rejection');
}

describe('verifyActor', () => {
  it('accepts an assertion made for the request, and says who acts, with the token and directory version', () => {
    const { acting, newKeys } = verifyActor(keys.sign(claims({ limits: { manager: 5000 } })), context());
    expect(acting).toEqual({ id: 'wang.fang', name: 'Wang Fang', roles: ['manager'], limits: { manager: 5000 }, tokenId: 'token-1', directoryVersion: 7, assertionId: 'assertion-1', expiresAt: NOW + 120_000 });
    expect(newKeys).toEqual([]);
  });

  it('refuses a role named by the caller, with no assertion', () => {
    for (const actor of [{ id: 'anyone', role: 'manager' }, undefined, 'wang.fang', { assertion: 42 }]) {
      expect(refusal(actor).code).toBe('ACTOR_UNVERIFIED');
    }
    expect(refusal({ id: 'anyone', role: 'manager' }).message).toMatch(/a role named by the caller is not accepted/);
  });

  it('refuses a forged role: claims changed after signing no longer match the signature', () => {
    const signed = keys.sign(claims());
    const [header, , signature] = signed.assertion.split('.');
    const forged = base64urlEncode(new TextEncoder().encode(JSON.stringify(claims({ roles: ['director'] }))));
    const error = refusal({ assertion: `${header}.${forged}.${signature}` });
    expect(error).toMatchObject({ code: 'ACTOR_UNVERIFIED' });
    expect(error.message).toMatch(/signature does not match key `actors-1`/);
  });

  it('refuses an assertion signed with a key the case does not trust, naming the keys it does', () => {
    const other = ActorKeySet.create('someone-else');
    const error = refusal(other.sign(claims()));
    expect(error.code).toBe('ACTOR_UNVERIFIED');
    expect(error.message).toContain('signed with key `someone-else`, which case EX-1 does not trust (its keys: `actors-1`)');
  });

  it('refuses an assertion that says it comes from a trusted key but was signed by another', () => {
    const impostor = ActorKeySet.create('actors-1');
    expect(refusal(impostor.sign(claims())).code).toBe('ACTOR_UNVERIFIED');
  });

  it('refuses an expired assertion, one issued in the future, and one that lives too long', () => {
    expect(refusal(keys.sign(claims()), context({ now: NOW + 120_000 + 31_000 }))).toMatchObject({ code: 'ASSERTION_EXPIRED' });
    expect(refusal(keys.sign(claims({ iat: NOW / 1000 + 3600, exp: NOW / 1000 + 3700 }))).code).toBe('ASSERTION_EXPIRED');
    expect(refusal(keys.sign(claims({ exp: NOW / 1000 + 86_400 }))).code).toBe('ASSERTION_EXPIRED');
    // Within the clock leeway of 30 s, it still holds.
    expect(verifyActor(keys.sign(claims()), context({ now: NOW + 120_000 + 29_000 })).acting.id).toBe('wang.fang');
  });

  it('refuses a replayed assertion: one already used on the case', () => {
    expect(refusal(keys.sign(claims()), context({ used: { 'assertion-1': NOW + 120_000 } }))).toMatchObject({ code: 'ASSERTION_REPLAYED' });
  });

  it('refuses an assertion made for another case, another Update or another request', () => {
    expect(refusal(keys.sign(claims({ caseId: 'EX-2' }))).message).toMatch(/was made for case EX-2/);
    expect(refusal(keys.sign(claims({ update: 'cancelCase' }))).message).toMatch(/was made for `cancelCase`/);
    expect(refusal(keys.sign(claims()), context({ request: { ...request, outcome: 'rejected', digest } }))).toMatchObject({ code: 'ASSERTION_NOT_FOR_REQUEST' });
    expect(refusal(keys.sign(claims({ requestId: 'r-2' }))).code).toBe('ASSERTION_NOT_FOR_REQUEST');
  });

  it('refuses an assertion with incomplete claims', () => {
    const { roles: _roles, ...noRoles } = claims();
    expect(refusal(keys.sign(noRoles as ActorClaims)).message).toMatch(/claims are incomplete \(roles\)/);
  });
});

describe('key rotation', () => {
  it('a case opened under the old key accepts the new key, endorsed by the old one, and keeps it', () => {
    const rotated = keys.rotate('actors-2', new Date(NOW));
    const signed: SignedActor = rotated.sign(claims());
    expect(signed.endorsements).toHaveLength(1);
    const { acting, newKeys } = verifyActor(signed, context());
    expect(acting.id).toBe('wang.fang');
    expect(newKeys.map((k) => k.kid)).toEqual(['actors-2']);
    // New cases trust both keys.
    expect(rotated.trustedKeys().map((k) => k.kid)).toEqual(['actors-1', 'actors-2']);
    // Twice rotated: the chain leads from the first key to the third.
    const twice = rotated.rotate('actors-3', new Date(NOW));
    expect(verifyActor(twice.sign(claims()), context()).newKeys.map((k) => k.kid)).toEqual(['actors-2', 'actors-3']);
  });

  it('an endorsement not signed by a trusted key adds nothing', () => {
    const stranger = ActorKeySet.create('stranger').rotate('actors-9', new Date(NOW));
    expect(refusal(stranger.sign(claims())).message).toMatch(/key `actors-9`, which case EX-1 does not trust/);
  });

  it('an endorsement naming a key it was not signed for is refused by its signature', () => {
    const rotated = keys.rotate('actors-2', new Date(NOW));
    const other = ActorKeySet.create('actors-2');
    const endorsement = rotated.sign(claims()).endorsements?.[0] ?? '';
    const [header, payload] = endorsement.split('.');
    const swapped = JSON.parse(new TextDecoder().decode(base64urlDecode(payload ?? '')));
    const forged = signJws({ typ: 'aftercare-key+jwt', kid: 'actors-1' }, { ...swapped, key: other.trustedKeys()[0]?.key }, other.file.keys[0]?.secretKey ?? '');
    expect(header).toBeTruthy();
    expect(refusal({ ...other.sign(claims()), endorsements: [forged] }).code).toBe('ACTOR_UNVERIFIED');
  });
});

describe('requestDigest', () => {
  it('is the same whatever the key order and whoever acts, and differs with the content', () => {
    expect(requestDigest({ outcome: 'approved', taskId: 'approve#1', data: { note: 'ok' }, requestId: 'r-1', actor: { any: 1 } })).toBe(digest);
    expect(requestDigest({ ...request, outcome: 'rejected' })).not.toBe(digest);
  });
});

describe('base64url', () => {
  it('round-trips every length of bytes', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) % 256);
      expect(Array.from(base64urlDecode(base64urlEncode(bytes)))).toEqual(Array.from(bytes));
      expect(base64urlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });
});
