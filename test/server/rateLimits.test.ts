/**
 * The rate limits against the real server: Direct Line tokens, refreshes, messages, polls and
 * stream connects, and the open /api/messages. The server trusts one proxy (TRUST_PROXY=on), so
 * that each test can play clients at addresses of their own with X-Forwarded-For.
 */
import WebSocket from 'ws';
import { startApp, type App } from '../../src/app';
import { memoryLogger, testConfig } from '../support/testConfig';
import { call, type Grant, type HttpResult } from '../support/directLineClient';

const LIMITS = { RATE_LIMIT_IP_PER_MINUTE: '20', RATE_LIMIT_TOKENS_PER_MINUTE: '3', RATE_LIMIT_CONVERSATION_PER_MINUTE: '4', TRUST_PROXY: 'on' };
let app: App;
let base: string;
const mem = memoryLogger();
let nextAddress = 1;
/** A client address no other test uses. */
const newClient = () => `198.51.100.${nextAddress++}`;

beforeAll(async () => {
  app = await startApp(testConfig({ ...LIMITS, ALLOWED_ORIGINS: 'https://shop.example.nl' }), mem.logger);
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app.stop();
});

const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });
const generate = (address: string, headers: Record<string, string> = {}) => call<Grant>(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: from(address, headers) });

function expectTooMany(r: HttpResult, message: RegExp, shape: 'directline' | 'plain' = 'directline'): void {
  expect(r.status).toBe(429);
  const retryAfter = r.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  const body = shape === 'directline' ? r.json.error : r.json;
  expect(body).toEqual({ code: 'TooManyRequests', message: expect.stringMatching(message) });
  expect(body.message).toContain(`${retryAfter} seconds`);
}

async function open(address: string): Promise<Grant> {
  const g = await generate(address);
  expect(g.status).toBe(200);
  const started = await call<Grant>(`${base}/v3/directline/conversations`, { method: 'POST', token: g.json.token, headers: from(address), body: { locale: 'nl-NL' } });
  expect(started.status).toBe(201);
  return started.json;
}

const say = (g: Grant, address: string, text: string) =>
  call(`${base}/v3/directline/conversations/${g.conversationId}/activities`, { method: 'POST', token: g.token, headers: from(address), body: { type: 'message', text, from: { id: 'x' } } });

describe('Direct Line tokens', () => {
  it('gives a client RATE_LIMIT_TOKENS_PER_MINUTE new chats a minute, then 429 with Retry-After', async () => {
    const client = newClient();
    for (let i = 0; i < 3; i++) expect((await generate(client)).status).toBe(200);
    expectTooMany(await generate(client), /^Too many new chats from your address; try again in \d+ seconds\.$/);
    expect((await generate(newClient())).status).toBe(200); // another client is not affected
    expect(mem.lines().some((l) => l.msg.includes('RATE_LIMIT_TOKENS_PER_MINUTE') && l.client === client)).toBe(true);
  });

  it('counts refreshes too, so a stolen token cannot be refreshed without end', async () => {
    const client = newClient();
    const g = await generate(client);
    const refresh = () => call(`${base}/v3/directline/tokens/refresh`, { method: 'POST', token: g.json.token, headers: from(client) });
    expect((await refresh()).status).toBe(200);
    expect((await refresh()).status).toBe(200);
    expectTooMany(await refresh(), /new chats/);
  });

  it('lets a browser on an allowed origin read the 429 and its Retry-After', async () => {
    const client = newClient();
    const origin = { origin: 'https://shop.example.nl' };
    for (let i = 0; i < 3; i++) await generate(client, origin);
    const r = await generate(client, origin);
    expectTooMany(r, /new chats/);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://shop.example.nl');
    expect(r.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
  });
});

describe('a conversation', () => {
  it('takes RATE_LIMIT_CONVERSATION_PER_MINUTE messages a minute (its start included), from whatever address', async () => {
    const g = await open(newClient()); // the start counts as one
    expect((await say(g, newClient(), 'cobot')).status).toBe(200);
    expect((await say(g, newClient(), 'digital twin')).status).toBe(200);
    expect((await say(g, newClient(), 'subsidie')).status).toBe(200);
    const fourth = await say(g, newClient(), 'nog een');
    expectTooMany(fourth, /^Too many messages in this conversation; wait \d+ seconds before sending the next one\.$/);
    // Reading is not limited per conversation, and another conversation of the same client goes on.
    const client = newClient();
    const mine = await open(client);
    expect((await say(mine, client, 'cobot')).status).toBe(200);
    expect((await call(`${base}/v3/directline/conversations/${g.conversationId}/activities`, { token: g.token, headers: from(newClient()) })).status).toBe(200);
  });

  it('counts stream connects, refusing the upgrade with 429 and Retry-After', async () => {
    const client = newClient();
    const g = await open(client);
    const connect = (url: string) =>
      new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
        const ws = new WebSocket(url, { headers: from(client) });
        ws.once('open', () => {
          ws.close();
          resolve({ status: 101 });
        });
        ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string }));
        ws.once('error', reject);
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await connect(g.streamUrl!));
    expect(statuses.map((s) => s.status)).toEqual([101, 101, 101, 429]);
    expect(statuses[3]!.retryAfter).toMatch(/^\d+$/);
  });
});

describe('a client address', () => {
  it('gets RATE_LIMIT_IP_PER_MINUTE requests a minute on the Direct Line, whatever they are', async () => {
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call(`${base}/v3/directline/conversations/abcdefghijklmnopqrstuv/activities`, { headers: from(client) })).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    expectTooMany(await call(`${base}/v3/directline/conversations/abcdefghijklmnopqrstuv/activities`, { headers: from(client) }), /^Too many requests from your address; try again in \d+ seconds\.$/);
    expectTooMany(await generate(client), /from your address/);
    expect((await call(`${base}/v3/directline/conversations/abcdefghijklmnopqrstuv/activities`, { headers: from(newClient()) })).status).toBe(401);
  });

  it('does not limit the page, its files or /healthz', async () => {
    const client = newClient();
    for (let i = 0; i < 25; i++) {
      expect((await call(`${base}/healthz`, { headers: from(client) })).status).toBe(200);
    }
    expect((await call(`${base}/api/webchat/config`, { headers: from(client) })).status).toBe(200);
  });
});

describe('POST /api/messages without an app id', () => {
  const activity = (conversationId: string, text = 'wat is een cobot?') => ({
    type: 'message',
    channelId: 'emulator',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
    from: { id: 'user' },
    recipient: { id: 'bot' },
    locale: 'nl-NL',
    text,
  });
  const post = (address: string, body: unknown) => call(`${base}/api/messages`, { method: 'POST', headers: from(address), body });

  it('limits each client address, whatever it sends', async () => {
    const client = newClient();
    for (let i = 0; i < 20; i++) expect((await post(client, {})).status).toBe(400);
    expectTooMany(await post(client, activity(`c-${client}`)), /^Too many requests from your address/, 'plain');
    expect((await post(newClient(), activity(`c-other-${client}`))).status).toBe(200);
  });

  it('limits each conversation, also when its messages come from many addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(newClient(), activity('one-busy-conversation'))).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expectTooMany(await post(newClient(), activity('one-busy-conversation')), /^Too many messages in this conversation/, 'plain');
  });
});

describe('limits set to 0', () => {
  it('let everything through', async () => {
    const open = await startApp(testConfig({ TRUST_PROXY: 'on' }), memoryLogger().logger);
    try {
      for (let i = 0; i < 40; i++) {
        const r = await call(`http://127.0.0.1:${open.port}/v3/directline/tokens/generate`, { method: 'POST', headers: from('203.0.113.1') });
        expect(r.status).toBe(200);
      }
    } finally {
      await open.stop();
    }
  });
});
