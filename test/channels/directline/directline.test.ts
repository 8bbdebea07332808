/**
 * The local Direct Line against the real server on a free port: tokens, conversations, polling
 * with a watermark, the bot's replies through the connector endpoint, isolation of
 * conversations, bounds, CORS and the WebSocket stream.
 */
import WebSocket from 'ws';
import { startApp, type App } from '../../../src/app';
import { DirectLineTokens } from '../../../src/channels/directline/tokens';
import { memoryLogger, testConfig } from '../../support/testConfig';
import { botMessages, call, DirectLineTestClient, type DlActivity } from '../../support/directLineClient';

const SECRET = 'test-secret-for-direct-line-tokens-0123456789';
let app: App;
let dl: DirectLineTestClient;
const mem = memoryLogger();

beforeAll(async () => {
  app = await startApp(
    testConfig({ DIRECTLINE_TOKEN_SECRET: SECRET, ALLOWED_ORIGINS: 'https://shop.example.nl', DIRECTLINE_MAX_QUEUED_ACTIVITIES: '12' }),
    mem.logger,
  );
  dl = new DirectLineTestClient(`http://127.0.0.1:${app.port}`);
});

afterAll(async () => {
  await app.stop();
});

describe('tokens', () => {
  it('generates a token bound to a new, unguessable conversation and user', async () => {
    const a = await dl.generate();
    const b = await dl.generate();
    expect(a.conversationId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(a.conversationId).not.toBe(b.conversationId);
    expect(a.expires_in).toBe(1800);
    const claims = JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ conv: a.conversationId, user: expect.stringMatching(/^dl_[A-Za-z0-9_-]{22,}$/) });
    expect(claims.exp - claims.iat).toBe(1800);
  });

  it('refreshes a token for the same conversation and user', async () => {
    const g = await dl.generate();
    const r = await call(`${dl.domain}/tokens/refresh`, { method: 'POST', token: g.token });
    expect(r.status).toBe(200);
    expect(r.json.conversationId).toBe(g.conversationId);
    const before = JSON.parse(Buffer.from(g.token.split('.')[1]!, 'base64url').toString());
    const after = JSON.parse(Buffer.from(r.json.token.split('.')[1]!, 'base64url').toString());
    expect(after.user).toBe(before.user);
    expect(after.oit).toBe(before.oit);
  });

  it('refuses a missing, forged or expired token', async () => {
    const none = await call(`${dl.domain}/tokens/refresh`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.json.error.message).toMatch(/Authorization: Bearer/);

    const g = await dl.generate();
    const [h, p] = g.token.split('.');
    const forged = await call(`${dl.domain}/conversations`, { method: 'POST', token: `${h}.${p}.AAAA`, body: {} });
    expect(forged.status).toBe(401);

    const past = new DirectLineTokens({ secret: SECRET, ttlSeconds: 60, maxLifetimeSeconds: 3600, now: () => Date.now() - 3_600_000 });
    const expired = past.issue(g.conversationId, 'dl_someone-with-an-old-token');
    for (const r of [
      await call(`${dl.domain}/conversations`, { method: 'POST', token: expired.token, body: {} }),
      await call(`${dl.domain}/tokens/refresh`, { method: 'POST', token: expired.token }),
      await dl.activities(g.conversationId, expired.token),
    ]) {
      expect(r.status).toBe(403);
      expect(r.json.error!.message).toMatch(/expired/);
    }
  });
});

describe('token lifetime and scope', () => {
  /** A token of this server's secret whose chain began `ageSeconds` ago, valid for `leftSeconds` more. */
  function oldToken(conversationId: string, ageSeconds: number, leftSeconds: number) {
    const then = Date.now() - ageSeconds * 1000;
    const minted = new DirectLineTokens({ secret: SECRET, ttlSeconds: ageSeconds + leftSeconds, maxLifetimeSeconds: ageSeconds + leftSeconds, now: () => then });
    return minted.issue(conversationId, 'dl_user-with-an-old-token').token;
  }

  it('refuses an expired token with 403 on every endpoint of its own conversation', async () => {
    const g = await dl.open();
    const expired = oldToken(g.conversationId, 3600, -60);
    const conversation = `${dl.domain}/conversations/${g.conversationId}`;
    const answers = [
      await call(`${dl.domain}/conversations`, { method: 'POST', token: expired, body: {} }),
      await call(`${dl.domain}/tokens/refresh`, { method: 'POST', token: expired }),
      await call(conversation, { token: expired }),
      await call(`${conversation}/activities`, { token: expired }),
      await call(`${conversation}/activities`, { method: 'POST', token: expired, body: { type: 'message', text: 'hallo' } }),
      await call(`${conversation}/upload`, { method: 'POST', token: expired, body: {} }),
    ];
    expect(answers.map((r) => [r.status, r.json.error!.code])).toEqual(Array(6).fill([403, 'TokenExpired']));
    const mine = await dl.activities(g.conversationId, g.token);
    expect(mine.json.activities.some((a: DlActivity) => a.text === 'hallo')).toBe(false);
  });

  it('refuses an expired stream URL with 401', async () => {
    const g = await dl.open();
    const past = new DirectLineTokens({ secret: SECRET, ttlSeconds: 1800, maxLifetimeSeconds: 86400, now: () => Date.now() - 600_000 });
    const t = past.streamToken({ conversationId: g.conversationId, userId: 'dl_x', chainStartedAt: Math.floor(Date.now() / 1000) - 600, expiresAt: Math.floor(Date.now() / 1000) + 1200 });
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(g.streamUrl!.replace(/t=[^&]+/, `t=${t}`));
      ws.once('open', () => reject(new Error('an expired stream URL was accepted')));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', reject);
    });
    expect(status).toBe(401);
  });

  it('never refreshes past DIRECTLINE_TOKEN_MAX_LIFETIME_SECONDS from the first token', async () => {
    const g = await dl.generate();
    // A chain that began 86300 s ago: 100 s of the default 24 hours are left.
    const nearEnd = oldToken(g.conversationId, 86_300, 100);
    const r = await call(`${dl.domain}/tokens/refresh`, { method: 'POST', token: nearEnd });
    expect(r.status).toBe(200);
    expect(r.json.expires_in).toBeLessThanOrEqual(100);
    const before = JSON.parse(Buffer.from(nearEnd.split('.')[1]!, 'base64url').toString());
    const after = JSON.parse(Buffer.from(r.json.token.split('.')[1]!, 'base64url').toString());
    expect(after.oit).toBe(before.oit);
    expect(after.exp).toBeLessThanOrEqual(before.oit + 86_400);
    // Once the chain has run out, the token is expired and refreshing it is refused.
    const ended = oldToken(g.conversationId, 86_500, -100);
    expect((await call(`${dl.domain}/tokens/refresh`, { method: 'POST', token: ended })).status).toBe(403);
  });

  it('does not take a stream token for the REST endpoints, nor a conversation token for the stream', async () => {
    const g = await dl.open();
    const streamToken = new URL(g.streamUrl!).searchParams.get('t')!;
    expect((await dl.activities(g.conversationId, streamToken)).status).toBe(401);
    expect((await call(`${dl.domain}/tokens/refresh`, { method: 'POST', token: streamToken })).status).toBe(401);
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(g.streamUrl!.replace(/t=[^&]+/, `t=${g.token}`));
      ws.once('open', () => reject(new Error('a conversation token opened the stream')));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', reject);
    });
    expect(status).toBe(401);
  });
});

describe('a conversation', () => {
  it('starts with the welcome, exactly once, and answers a message with the watermark moving on', async () => {
    const g = await dl.generate();
    const started = await dl.start(g.token, 'nl-NL');
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ conversationId: g.conversationId, token: g.token, expires_in: expect.any(Number) });
    expect(started.json.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${app.port}/v3/directline/conversations/${g.conversationId}/stream\\?t=`));
    // Starting again (a reconnecting client) does not welcome twice.
    expect((await dl.start(g.token, 'nl-NL')).status).toBe(200);

    const first = await dl.pollUntil(g.conversationId, g.token, '', (a) => botMessages(a).length > 0);
    expect(typeof first.watermark).toBe('string');
    const welcome = botMessages(first.activities);
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.text).toMatch(/Smart Industry Adviseur/);
    expect(welcome[0]!.locale).toBe('nl-NL');
    expect(welcome[0]!.from).toMatchObject({ id: 'smart-industry-advisor', role: 'bot' });

    const posted = await dl.say(g.conversationId, g.token, 'Hoe begin ik met voorspellend onderhoud?', 'client-1');
    expect(posted.status).toBe(200);
    expect(posted.json.id).toEqual(expect.any(String));

    const next = await dl.pollUntil(g.conversationId, g.token, first.watermark, (a) => botMessages(a).length > 0);
    // Only newer activities: the echo of the user's message, then the answer.
    expect(next.activities.map((a) => a.type)).not.toContain('conversationUpdate');
    const echo = next.activities[0]!;
    expect(echo).toMatchObject({ id: posted.json.id, type: 'message', text: 'Hoe begin ik met voorspellend onderhoud?', channelData: { clientActivityID: 'client-1' } });
    const claims = JSON.parse(Buffer.from(g.token.split('.')[1]!, 'base64url').toString());
    expect(echo.from).toEqual({ id: claims.user, role: 'user' }); // the token's user, not what the client said
    const answer = botMessages(next.activities)[0]!;
    expect(answer.replyToId).toBe(posted.json.id);
    expect(answer.text).toMatch(/onderhoud|machine/i);
    expect(answer.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(Number(next.watermark)).toBeGreaterThan(Number(first.watermark));
    expect(next.activities.some((a) => a.type === 'trace')).toBe(false);

    const again = await dl.activities(g.conversationId, g.token, next.watermark);
    expect(again.json).toEqual({ activities: [], watermark: next.watermark });

    const all = await dl.activities(g.conversationId, g.token, '');
    expect(botMessages(all.json.activities).filter((a) => /Smart Industry Adviseur/.test(a.text ?? ''))).toHaveLength(1);
  });

  it('welcomes in English when the conversation starts with an English locale', async () => {
    const g = await dl.open('en-US');
    const first = await dl.pollUntil(g.conversationId, g.token, '', (a) => botMessages(a).length > 0);
    expect(botMessages(first.activities)[0]!.text).toMatch(/Hello! I am the \*\*Smart Industry Advisor\*\*/);
  });

  it('runs a card button (a message with a value) like any other message', async () => {
    const g = await dl.open();
    const w = await dl.pollUntil(g.conversationId, g.token, '', (a) => botMessages(a).length > 0);
    const posted = await dl.post(g.conversationId, g.token, { type: 'message', value: { sia: 'open', id: 'cobot-what', lang: 'nl' }, channelData: { clientActivityID: 'btn' } });
    expect(posted.status).toBe(200);
    const r = await dl.pollUntil(g.conversationId, g.token, w.watermark, (a) => botMessages(a).length > 0);
    expect(botMessages(r.activities)[0]!.text).toMatch(/cobot/i);
  });

  it('refuses what a client may not send, with a message', async () => {
    const g = await dl.open();
    for (const body of [{ type: 'conversationUpdate' }, { type: 'message', text: { a: 1 } }, { type: 'message', text: 'x', attachments: [{ contentType: 'image/png', contentUrl: 'http://x' }] }, []]) {
      const r = await dl.post(g.conversationId, g.token, body as Record<string, unknown>);
      expect(r.status).toBe(400);
      expect(r.json.error!.message).toEqual(expect.any(String));
      expect(r.text).not.toMatch(/\bat \S+ \(|node_modules/);
    }
    const bad = await dl.activities(g.conversationId, g.token, 'abc');
    expect(bad.status).toBe(400);
  });

  it('refuses an activity nested too deep, so that polling the conversation keeps working (found by the fuzz test)', async () => {
    const g = await dl.open();
    // JSON.parse takes this; JSON.stringify of it overflows the stack, and every poll answered 500.
    const deep = `{"type":"message","value":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const r = await call(`${dl.domain}/conversations/${g.conversationId}/activities`, { method: 'POST', token: g.token, body: deep, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json.error!.message).toMatch(/levels deep/);
    // A card value of a few levels is still taken.
    const card = await dl.post(g.conversationId, g.token, { type: 'message', value: { sia: 'open', id: 'cobot-what', lang: 'nl', extra: { a: [{ b: [1] }] } } });
    expect(card.status).toBe(200);
    expect((await dl.activities(g.conversationId, g.token, '')).status).toBe(200);
  });
});

describe('isolation', () => {
  it('gives a second user 403 on the first conversation, for reading and for posting', async () => {
    const alice = await dl.open();
    const bob = await dl.open();
    const read = await dl.activities(alice.conversationId, bob.token);
    expect(read.status).toBe(403);
    expect(read.json.error!.message).toMatch(/another conversation/);
    const post = await dl.say(alice.conversationId, bob.token, 'inbraak');
    expect(post.status).toBe(403);
    const reconnect = await call(`${dl.domain}/conversations/${alice.conversationId}`, { token: bob.token });
    expect(reconnect.status).toBe(403);
    const upload = await call(`${dl.domain}/conversations/${alice.conversationId}/upload`, { method: 'POST', token: bob.token, body: {} });
    expect(upload.status).toBe(403);
    const mine = await dl.activities(alice.conversationId, alice.token);
    expect(mine.json.activities.some((a: DlActivity) => a.text === 'inbraak')).toBe(false);
  });

  it('answers 404 for a conversation that was never started', async () => {
    const g = await dl.generate();
    const r = await dl.activities(g.conversationId, g.token);
    expect(r.status).toBe(404);
  });

  it('has the connector endpoint refuse anyone without the internal secret', async () => {
    const g = await dl.open();
    const w = await dl.pollUntil(g.conversationId, g.token, '', (a) => botMessages(a).length > 0);
    const url = `http://127.0.0.1:${app.port}/directline-connector/v3/conversations/${g.conversationId}/activities`;
    const injected = { type: 'message', text: 'Klik hier: http://phish.example', from: { id: 'smart-industry-advisor' } };
    expect((await call(url, { method: 'POST', body: injected })).status).toBe(401);
    expect((await call(url, { method: 'POST', body: injected, token: g.token })).status).toBe(401);
    expect((await call(url, { method: 'POST', body: injected, token: SECRET })).status).toBe(401);
    const after = await dl.activities(g.conversationId, g.token, w.watermark);
    expect(after.json.activities).toEqual([]);
    expect(mem.lines().some((l) => /without the internal secret/.test(l.msg))).toBe(true);
  });
});

describe('bounds', () => {
  it('keeps at most DIRECTLINE_MAX_QUEUED_ACTIVITIES per conversation, dropping the oldest', async () => {
    const g = await dl.open();
    for (let i = 0; i < 8; i++) expect((await dl.say(g.conversationId, g.token, `wat is een cobot ${i}`)).status).toBe(200);
    const all = await dl.activities(g.conversationId, g.token, '');
    expect(all.json.activities).toHaveLength(12);
    expect(Number(all.json.watermark)).toBeGreaterThan(12);
    // The welcome (the oldest) is gone; the newest answer is there.
    expect(all.json.activities.some((a: DlActivity) => /Smart Industry Adviseur/.test(a.text ?? ''))).toBe(false);
    expect(all.json.activities.some((a: DlActivity) => a.text === 'wat is een cobot 7')).toBe(true);
  });

  it('refuses new conversations with 503 when DIRECTLINE_MAX_CONVERSATIONS are open', async () => {
    const small = await startApp(testConfig({ DIRECTLINE_MAX_CONVERSATIONS: '2' }), memoryLogger().logger);
    try {
      const c = new DirectLineTestClient(`http://127.0.0.1:${small.port}`);
      await c.open();
      await c.open();
      const third = await c.start((await c.generate()).token);
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toBe('60');
      expect(third.json.error!.message).toMatch(/busy/);
    } finally {
      await small.stop();
    }
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${dl.domain}/tokens/generate`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('answers preflights only for the page itself and ALLOWED_ORIGINS', async () => {
    const allowed = await preflight('https://shop.example.nl');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.nl');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);

    const self = await preflight(`http://127.0.0.1:${app.port}`);
    expect(self.headers.get('access-control-allow-origin')).toBe(`http://127.0.0.1:${app.port}`);

    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses token requests a browser makes from another origin, and sends no CORS headers without an Origin', async () => {
    const foreign = await call(`${dl.domain}/tokens/generate`, { method: 'POST', body: {}, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.message).toMatch(/ALLOWED_ORIGINS/);
    const listed = await call(`${dl.domain}/tokens/generate`, { method: 'POST', body: {}, headers: { origin: 'https://shop.example.nl' } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://shop.example.nl');
    const plain = await call(`${dl.domain}/tokens/generate`, { method: 'POST', body: {} });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('WebSocket stream', () => {
  function connect(url: string, origin?: string): Promise<{ ws: WebSocket; groups: Array<{ activities: DlActivity[]; watermark: string }> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, origin ? { origin } : {});
      const groups: Array<{ activities: DlActivity[]; watermark: string }> = [];
      ws.on('message', (data) => groups.push(JSON.parse(String(data))));
      ws.once('open', () => resolve({ ws, groups }));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  async function until(check: () => boolean, ms = 10000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('sends the backlog and then every new activity as {activities, watermark}', async () => {
    const g = await dl.open();
    const { ws, groups } = await connect(g.streamUrl!);
    try {
      await until(() => groups.some((gr) => botMessages(gr.activities).length > 0));
      expect(groups[0]!.watermark).toEqual(expect.any(String));
      ws.send(''); // the client's keep-alive is accepted
      const posted = await dl.say(g.conversationId, g.token, 'Wat is een digital twin?', 'ws-1');
      await until(() => groups.flatMap((gr) => gr.activities).some((a) => a.replyToId === posted.json.id));
      const streamed = groups.flatMap((gr) => gr.activities);
      expect(streamed.find((a) => a.id === posted.json.id)!.channelData).toEqual({ clientActivityID: 'ws-1' });
      const watermarks = groups.map((gr) => Number(gr.watermark));
      expect([...watermarks].sort((a, b) => a - b)).toEqual(watermarks);
    } finally {
      ws.close();
    }
  });

  it('gives a reconnecting client a fresh stream URL that starts after its watermark', async () => {
    const g = await dl.open();
    const w = await dl.pollUntil(g.conversationId, g.token, '', (a) => botMessages(a).length > 0);
    const r = await call(`${dl.domain}/conversations/${g.conversationId}?watermark=${w.watermark}`, { token: g.token });
    expect(r.status).toBe(200);
    expect(r.json.streamUrl).toContain(`watermark=${w.watermark}`);
    const { ws, groups } = await connect(r.json.streamUrl);
    try {
      await dl.say(g.conversationId, g.token, 'cobot');
      await until(() => groups.some((gr) => botMessages(gr.activities).length > 0));
      expect(groups.flatMap((gr) => gr.activities).some((a) => /Smart Industry Adviseur/.test(a.text ?? ''))).toBe(false);
    } finally {
      ws.close();
    }
  });

  it('closes open streams when the server stops, so stopping does not hang', async () => {
    const other = await startApp(testConfig(), memoryLogger().logger);
    const c = new DirectLineTestClient(`http://127.0.0.1:${other.port}`);
    const g = await c.open();
    const { ws } = await connect(g.streamUrl!);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await other.stop();
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('refuses a stream URL of another conversation, a bad token and a foreign origin', async () => {
    const a = await dl.open();
    const b = await dl.open();
    const t = new URL(a.streamUrl!).searchParams.get('t');
    const wrong = b.streamUrl!.replace(/t=[^&]+/, `t=${t}`);
    await expect(connect(wrong)).rejects.toThrow('HTTP 403');
    await expect(connect(a.streamUrl!.replace(/t=[^&]+/, 't=nonsense'))).rejects.toThrow('HTTP 401');
    await expect(connect(a.streamUrl!, 'https://evil.example')).rejects.toThrow('HTTP 403');
    const ok = await connect(a.streamUrl!, 'https://shop.example.nl');
    ok.ws.close();
  });
});
