/**
 * Azure Direct Line: the server exchanges DIRECTLINE_SECRET for a conversation token, against a
 * local fake of Direct Line's token API that checks the Authorization header.
 */
import http from 'node:http';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { startApp, type App } from '../../../src/app';
import { memoryLogger, testConfig } from '../../support/testConfig';

const SECRET = 'azure-direct-line-secret-value-123456';

interface FakeDirectLine {
  readonly endpoint: string;
  readonly requests: Array<{ method: string; url: string; authorization?: string; body: any }>;
  status: number;
  close(): Promise<void>;
}

async function fakeDirectLine(): Promise<FakeDirectLine> {
  const requests: FakeDirectLine['requests'] = [];
  const fake = { status: 200 } as { status: number };
  let n = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: any = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      if (req.method !== 'POST' || req.url !== '/v3/directline/tokens/generate') {
        res.writeHead(404);
        res.end();
        return;
      }
      if (req.headers.authorization !== `Bearer ${SECRET}`) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'Invalid secret' } }));
        return;
      }
      if (fake.status !== 200) {
        res.writeHead(fake.status);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ conversationId: `azure-conv-${++n}`, token: `azure-token-${n}`, expires_in: 3600 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/directline`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

let fake: FakeDirectLine;
let app: App;
const mem = memoryLogger('debug');

beforeAll(async () => {
  fake = await fakeDirectLine();
  app = await startApp(testConfig({ DIRECTLINE_SECRET: SECRET, DIRECTLINE_ENDPOINT: fake.endpoint }), mem.logger);
});

afterAll(async () => {
  await app.stop();
  await fake.close();
});

const tokenUrl = () => `http://127.0.0.1:${app.port}/api/directline/token`;

describe('POST /api/directline/token', () => {
  beforeEach(() => {
    fake.status = 200;
    fake.requests.length = 0;
  });

  it('exchanges the secret server-side for a conversation token of a fresh user', async () => {
    const res = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ token: 'azure-token-1', conversationId: 'azure-conv-1', expires_in: 3600 });
    expect(text).not.toContain(SECRET);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', url: '/v3/directline/tokens/generate', authorization: `Bearer ${SECRET}`, body: { user: { id: expect.stringMatching(/^dl_[A-Za-z0-9_-]{22,}$/) } } });
    const second = await (await fetch(tokenUrl(), { method: 'POST' })).json();
    expect((second as any).conversationId).toBe('azure-conv-2');
    expect(fake.requests[1]!.body.user.id).not.toBe(fake.requests[0]!.body.user.id);
  });

  it('answers 502 without details when Azure refuses or fails, and logs what to do, never the secret', async () => {
    fake.status = 500;
    const failed = await fetch(tokenUrl(), { method: 'POST' });
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ error: { code: 'BadGateway', message: 'The chat service did not give a token; try again in a minute.' } });
    expect(mem.lines().find((l) => l.msg === 'no Direct Line token for the web chat')).toMatchObject({ upstreamStatus: 500 });
    expect(mem.text()).not.toContain(SECRET);
  });

  it('says clearly in the log when Azure refuses the secret', async () => {
    const wrong = await startApp(testConfig({ DIRECTLINE_SECRET: 'a-wrong-secret-value', DIRECTLINE_ENDPOINT: fake.endpoint }), mem.logger);
    try {
      const res = await fetch(`http://127.0.0.1:${wrong.port}/api/directline/token`, { method: 'POST' });
      expect(res.status).toBe(502);
      const line = mem.lines().filter((l) => l.msg === 'no Direct Line token for the web chat').pop();
      expect(line).toMatchObject({ upstreamStatus: 403, reason: expect.stringMatching(/refused DIRECTLINE_SECRET \(HTTP 403\): copy a secret key of the Direct Line channel/) });
      expect(mem.text()).not.toContain('a-wrong-secret-value');
    } finally {
      await wrong.stop();
    }
  });

  it('answers 502 when Azure cannot be reached', async () => {
    const closed = await fakeDirectLine();
    await closed.close();
    const offline = await startApp(testConfig({ DIRECTLINE_SECRET: SECRET, DIRECTLINE_ENDPOINT: closed.endpoint }), mem.logger);
    try {
      const res = await fetch(`http://127.0.0.1:${offline.port}/api/directline/token`, { method: 'POST' });
      expect(res.status).toBe(502);
      expect(mem.lines().filter((l) => l.msg === 'no Direct Line token for the web chat').pop().reason).toMatch(/could not reach Azure Direct Line/);
    } finally {
      await offline.stop();
    }
  });
});

describe('the page in Azure mode', () => {
  it('is told to use Azure Direct Line, and the local Direct Line is off', async () => {
    const config: any = await (await fetch(`http://127.0.0.1:${app.port}/api/webchat/config`)).json();
    expect(config).toMatchObject({ mode: 'azure', domain: fake.endpoint, tokenUrl: 'api/directline/token', webSocket: true });
    const local = await fetch(`http://127.0.0.1:${app.port}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(local.status).toBe(404);
    const page = await fetch(`http://127.0.0.1:${app.port}/`);
    const csp = page.headers.get('content-security-policy')!;
    const origin = new URL(fake.endpoint).origin;
    expect(csp).toContain(`connect-src 'self' ${origin} ${origin.replace('http', 'ws')}`);
  });

  it('answers WebSocket upgrades with 404 instead of leaving them open', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${app.port}/v3/directline/conversations/abcdefghijklmnopqrstuvwx/stream?t=x`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
      ws.once('error', reject);
    });
    expect(status).toBe(404);
  });
});
