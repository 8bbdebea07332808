import jwt from 'jsonwebtoken';
import { bearerToken, DirectLineTokens } from '../../../src/channels/directline/tokens';

const SECRET = 'x'.repeat(40);

function clock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => void (now += seconds * 1000) };
}

describe('DirectLineTokens', () => {
  it('binds a token to one conversation and user, with the configured lifetime', () => {
    const c = clock();
    const tokens = new DirectLineTokens({ secret: SECRET, ttlSeconds: 1800, maxLifetimeSeconds: 86400, now: c.now });
    const grant = tokens.issue('conv-a', 'dl_user-a');
    expect(grant.expiresIn).toBe(1800);
    const v = tokens.verify(grant.token);
    expect(v).toEqual({ ok: true, claims: { conversationId: 'conv-a', userId: 'dl_user-a', chainStartedAt: c.now() / 1000, expiresAt: c.now() / 1000 + 1800 } });
    c.advance(1800);
    expect(tokens.verify(grant.token)).toMatchObject({ ok: false, problem: 'expired' });
  });

  it('refreshes within the chain, and never past the maximum lifetime from the first token', () => {
    const c = clock();
    const tokens = new DirectLineTokens({ secret: SECRET, ttlSeconds: 1800, maxLifetimeSeconds: 3600, now: c.now });
    let token = tokens.issue('conv-a', 'dl_user-a').token;
    c.advance(1500);
    const r1 = tokens.refresh(token);
    if (!r1.ok) throw new Error(r1.message);
    expect(r1.grant.expiresIn).toBe(1800);
    token = r1.grant.token;
    c.advance(1500); // 3000 s into the chain: only 600 s are left
    const r2 = tokens.refresh(token);
    if (!r2.ok) throw new Error(r2.message);
    expect(r2.grant.expiresIn).toBe(600);
    c.advance(600);
    expect(tokens.refresh(r2.grant.token)).toMatchObject({ ok: false, problem: 'expired' });
  });

  it('refuses tokens signed with another secret, other token kinds and garbage', () => {
    const tokens = new DirectLineTokens({ secret: SECRET, ttlSeconds: 60, maxLifetimeSeconds: 60 });
    const other = new DirectLineTokens({ secret: 'y'.repeat(40), ttlSeconds: 60, maxLifetimeSeconds: 60 });
    expect(tokens.verify(other.issue('c', 'u').token)).toMatchObject({ ok: false, problem: 'invalid' });
    expect(tokens.verify(undefined)).toMatchObject({ ok: false, problem: 'missing' });
    expect(tokens.verify('abc.def.ghi')).toMatchObject({ ok: false, problem: 'invalid' });
    // A stream token is not a conversation token, and the other way round.
    const claims = (tokens.verify(tokens.issue('c', 'u').token) as { claims: any }).claims;
    expect(tokens.verify(tokens.streamToken(claims))).toMatchObject({ ok: false, problem: 'invalid' });
    expect(tokens.verifyStreamToken(tokens.issue('c', 'u').token)).toMatchObject({ ok: false, problem: 'invalid' });
    expect(tokens.verifyStreamToken(tokens.streamToken(claims))).toMatchObject({ ok: true, claims: { conversationId: 'c' } });
    // "alg: none" and a foreign HMAC are refused.
    const unsigned = jwt.sign({ conv: 'c', user: 'u', oit: 1, exp: 9999999999 }, '', { algorithm: 'none' });
    expect(tokens.verify(unsigned)).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => new DirectLineTokens({ secret: 'short', ttlSeconds: 60, maxLifetimeSeconds: 60 })).toThrow(/32/);
  });

  it('reads the token of an Authorization header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer  abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
