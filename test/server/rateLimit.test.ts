/**
 * The rate limits as plain logic, on a test clock: token buckets per key, bounded memory, the
 * client's address with and without trusted proxies, and RequestLimits built from the config.
 */
import type { IncomingMessage } from 'node:http';
import { RateLimiter } from '../../src/server/rateLimit';
import { clientAddress, clientKey, plainAddress } from '../../src/server/clientAddress';
import { RequestLimits } from '../../src/server/requestLimits';
import { memoryLogger, testConfig } from '../support/testConfig';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('allows perMinute requests at once, then refuses with the seconds until the next one', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 6, now: c.now });
    for (let i = 0; i < 6; i++) expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 10, first: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 10, first: false });
    c.advance(4_000);
    expect(limiter.take('a')).toMatchObject({ ok: false, retryAfterSeconds: 6 });
    c.advance(6_000);
    expect(limiter.take('a')).toEqual({ ok: true }); // one request refilled after 10 s
    expect(limiter.take('a')).toMatchObject({ ok: false, first: true }); // a new episode is logged again
  });

  it('keeps keys apart', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 2, now: c.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true);
  });

  it('refills to at most perMinute, however long a key was away', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 3, now: c.now });
    limiter.take('a');
    c.advance(3_600_000);
    const results = Array.from({ length: 4 }, () => limiter.take('a').ok);
    expect(results).toEqual([true, true, true, false]);
  });

  it('peeks without counting', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 1, now: c.now });
    expect(limiter.peek('a').ok).toBe(true);
    expect(limiter.size).toBe(0); // peeking at an unknown key creates nothing
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.peek('a')).toMatchObject({ ok: false, retryAfterSeconds: 60, first: false });
  });

  it('is off at 0: everything passes and nothing is tracked', () => {
    const limiter = new RateLimiter({ perMinute: 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take(`k${i % 7}`).ok).toBe(true);
    expect(limiter.size).toBe(0);
    expect(limiter.enabled).toBe(false);
  });

  it('tracks at most maxKeys, dropping the least recently used', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 1, maxKeys: 100, now: c.now });
    limiter.take('first');
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`key-${i}`);
      if (i % 50 === 0) limiter.take('first'); // used again and again: kept
      expect(limiter.size).toBeLessThanOrEqual(100);
    }
    expect(limiter.take('first').ok).toBe(false); // still tracked, still over its budget
    expect(limiter.take('key-0').ok).toBe(true); // dropped long ago: a fresh budget
  });

  it('sweeps the buckets that have filled up again', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 10, now: c.now });
    for (let i = 0; i < 500; i++) limiter.take(`idle-${i}`);
    expect(limiter.size).toBe(500);
    c.advance(30_000);
    for (let i = 0; i < 10; i++) limiter.take('busy');
    c.advance(31_000); // the idle ones are full again; 'busy' is not
    limiter.take('busy');
    expect(limiter.size).toBe(1);
    expect(limiter.take('busy').ok).toBe(true);
  });

  it('refuses a bad rate', () => {
    expect(() => new RateLimiter({ perMinute: -1 })).toThrow(/perMinute/);
    expect(() => new RateLimiter({ perMinute: 1.5 })).toThrow(/perMinute/);
  });
});

describe('the client address', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['203.0.113.9:51234', '203.0.113.9'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['not-an-address', null],
    ['', null],
  ])('reads %j as %j', (raw, plain) => {
    expect(plainAddress(raw)).toBe(plain);
  });

  it('is the socket address unless proxies are trusted', () => {
    expect(clientAddress('::ffff:10.0.0.5', '198.51.100.7', 0)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
  });

  it('takes X-Forwarded-For only as far back as the trusted proxies reach', () => {
    // The client wrote "6.6.6.6" itself; the one trusted proxy appended the address it saw.
    expect(clientAddress('10.0.0.5', '6.6.6.6, 198.51.100.7', 1)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.5', ['6.6.6.6', '198.51.100.7:4711, 10.0.0.9'], 2)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.5', '198.51.100.7', 3)).toBe('198.51.100.7'); // a shorter chain: its first entry
    expect(clientAddress('10.0.0.5', 'garbage, 198.51.100.7', 2)).toBe('198.51.100.7'); // never a non-address
  });

  it('counts an IPv6 client by its /64 network', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
  });
});

describe('RequestLimits', () => {
  const req = (address: string, forwardedFor?: string) => ({ socket: { remoteAddress: address }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

  it('reads its limits from the config, says what to wait for, and logs the first refusal only', () => {
    const c = clock();
    const mem = memoryLogger();
    const limits = new RequestLimits(testConfig({ RATE_LIMIT_IP_PER_MINUTE: '3', RATE_LIMIT_TOKENS_PER_MINUTE: '2', RATE_LIMIT_CONVERSATION_PER_MINUTE: '1' }).limits, { logger: mem.logger, now: c.now });
    const a = req('198.51.100.7');
    expect([limits.client(a), limits.client(a), limits.client(a)]).toEqual([null, null, null]);
    expect(limits.client(a)).toEqual({ retryAfterSeconds: 20, message: 'Too many requests from your address; try again in 20 seconds.' });
    limits.client(a);
    expect(limits.token(a)).toBeNull(); // a budget of its own
    expect(limits.token(a)).toBeNull();
    expect(limits.token(a)!.message).toBe('Too many new chats from your address; try again in 30 seconds.');
    expect(limits.conversation('conv-1')).toBeNull();
    expect(limits.conversation('conv-1')!.message).toBe('Too many messages in this conversation; wait 60 seconds before sending the next one.');
    expect(limits.conversation('conv-2')).toBeNull();
    const warnings = mem.lines().filter((l) => /rate limit reached/.test(l.msg));
    expect(warnings.map((l) => [l.limit, l.client ?? l.conversationId])).toEqual([
      ['client', '198.51.100.7'],
      ['tokens', '198.51.100.7'],
      ['conversation', 'conv-1'],
    ]);
    expect(warnings[0].msg).toContain('RATE_LIMIT_IP_PER_MINUTE');
  });

  it('believes X-Forwarded-For only with TRUST_PROXY', () => {
    const mem = memoryLogger();
    const direct = new RequestLimits(testConfig({ RATE_LIMIT_IP_PER_MINUTE: '1' }).limits, { logger: mem.logger });
    expect(direct.client(req('10.0.0.5', '198.51.100.1'))).toBeNull();
    expect(direct.client(req('10.0.0.5', '198.51.100.2'))).not.toBeNull(); // a new header is not a new client
    const proxied = new RequestLimits(testConfig({ RATE_LIMIT_IP_PER_MINUTE: '1', TRUST_PROXY: 'on' }).limits, { logger: mem.logger });
    expect(proxied.client(req('10.0.0.5', '198.51.100.1'))).toBeNull();
    expect(proxied.client(req('10.0.0.5', '198.51.100.2'))).toBeNull(); // two clients behind one proxy
    expect(proxied.client(req('10.0.0.5', '198.51.100.1'))).not.toBeNull();
  });

  it('is off where the config says 0', () => {
    const limits = new RequestLimits(testConfig().limits, { logger: memoryLogger().logger });
    for (let i = 0; i < 200; i++) {
      expect(limits.client(req('198.51.100.7'))).toBeNull();
      expect(limits.token(req('198.51.100.7'))).toBeNull();
      expect(limits.conversation('c')).toBeNull();
    }
    expect(limits.trackedKeys).toBe(0);
  });

  it('keeps its memory bounded under a flood of addresses and conversations', () => {
    const limits = new RequestLimits(testConfig({ RATE_LIMIT_IP_PER_MINUTE: '5', RATE_LIMIT_TOKENS_PER_MINUTE: '5', RATE_LIMIT_CONVERSATION_PER_MINUTE: '5' }).limits, { logger: memoryLogger().logger, maxKeys: 50 });
    for (let i = 0; i < 5000; i++) {
      const r = req(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      limits.client(r);
      limits.token(r);
      limits.conversation(`conversation-${i}`);
    }
    expect(limits.trackedKeys).toBeLessThanOrEqual(150);
  });
});
