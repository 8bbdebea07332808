/**
 * POST /api/messages with an app id (MultiTenant): what a caller without a valid Bot Framework
 * token gets. The real verification of botframework-connector runs against a local OpenID
 * metadata server that publishes one key of the test's own: a token signed with it is accepted,
 * anything else is 401, and signing keys that cannot be fetched are 503 — never a 500, never a
 * stack trace, never the token in the log.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { startApp, type App, type AppOptions } from '../../src/app';
import { classifyAuthFailure, precheckAuthorization, safeReason, withTimeout } from '../../src/server/botAuth';
import { memoryLogger, testConfig, waitUntil } from '../support/testConfig';
import { startCaptureServer } from '../support/captureServer';
import { freePort } from '../support/azurite';
import { BOT_FRAMEWORK_ISSUER, channelToken, teamsMessage, TEST_APP_ID } from '../support/botFramework';

const APP_ID = TEST_APP_ID;
const PASSWORD = 'app-password-value-for-the-auth-test';
const ISSUER = BOT_FRAMEWORK_ISSUER;
const KID = 'test-signing-key';

const trusted = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const token = (claims: Record<string, unknown> = {}, options: { key?: crypto.KeyObject; kid?: string; expiresIn?: number } = {}) =>
  channelToken(options.key ?? trusted.privateKey, { claims, kid: options.kid ?? KID, expiresIn: options.expiresIn });

/** Bot Framework's OpenID metadata and key set, publishing the trusted key only. */
async function openIdServer(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') return res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys` }));
    if (req.url === '/keys') {
      const jwk = trusted.publicKey.export({ format: 'jwk' });
      return res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e, endorsements: ['msteams', 'webchat', 'emulator'] }] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`, hits: () => hits, close: () => new Promise((r) => server.close(() => r())) };
}

/** Public-cloud Bot Framework settings with the OpenID metadata at `metadataUrl`. */
function botFrameworkAuth(metadataUrl: string): AppOptions['botFrameworkAuth'] {
  return {
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
    ToBotFromChannelTokenIssuer: ISSUER,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: true,
  };
}

const AUTH_ENV = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'MultiTenant' };

const activity = (conversationId = `conv-${Math.random().toString(36).slice(2)}`) => teamsMessage(conversationId, { deliveryMode: 'expectReplies', locale: 'en-US' });

async function post(app: App, authorization: string | undefined, body: unknown = activity(), headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }), ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null, headers: res.headers };
}

describe('precheckAuthorization', () => {
  const now = Math.floor(Date.now() / 1000);
  it.each([
    [undefined, /no Authorization header/],
    ['', /no Authorization header/],
    ['Basic dXNlcjpwYXNz', /not "Bearer <token>"/],
    ['bearer abc.def.ghi', /not "Bearer <token>"/],
    ['Bearer  two  spaces', /not "Bearer <token>"/],
    ['Bearer not-a-jwt', /not a JWT/],
    ['Bearer a.b.c', /not a JWT/],
  ])('refuses %j', (header, reason) => {
    const r = precheckAuthorization(header, now);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses an HS256 or unsigned token, one without expiry and an expired one; passes the rest to the verification', () => {
    const hs = jwt.sign({ iss: ISSUER, exp: now + 60 }, 'secret');
    expect(precheckAuthorization(`Bearer ${hs}`, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/signed with "HS256", not RS256/) });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"exp":${now + 60}}`).toString('base64url')}.`;
    expect(precheckAuthorization(`Bearer ${none}`, now)).toMatchObject({ ok: false });
    const noExpiry = jwt.sign({ iss: ISSUER, aud: APP_ID }, trusted.privateKey.export({ type: 'pkcs8', format: 'pem' }), { algorithm: 'RS256', keyid: KID });
    expect(precheckAuthorization(`Bearer ${noExpiry}`, now)).toMatchObject({ ok: false, reason: 'the token has no expiry' });
    expect(precheckAuthorization(`Bearer ${token({}, { expiresIn: -3600 })}`, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the token expired 3\d{3} s ago$/) });
    // Within Bot Framework's five minutes of clock tolerance, the verification decides.
    expect(precheckAuthorization(`Bearer ${token({}, { expiresIn: -60 })}`, now)).toEqual({ ok: true });
    expect(precheckAuthorization(`Bearer ${token({}, { key: attacker.privateKey })}`, now)).toEqual({ ok: true });
  });
});

describe('classifyAuthFailure', () => {
  const withCode = (code: string) => Object.assign(new Error('connect failed'), { code });
  it.each([
    ['a rejected token (AuthenticationError 401)', Object.assign(new Error('Unauthorized. Invalid AppId passed on token: x'), { statusCode: 401 }), 'unauthorized'],
    ['keys not loaded (AuthenticationError 500)', Object.assign(new Error('Failed to load openID config: 500'), { statusCode: 500 }), 'unavailable'],
    ['a bad signature', Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' }), 'unauthorized'],
    ['no DNS (node-fetch)', Object.assign(new Error('request to https://login.botframework.com failed'), { name: 'FetchError', code: 'ENOTFOUND' }), 'unavailable'],
    ['a refused connection', withCode('ECONNREFUSED'), 'unavailable'],
    ['a failed fetch (undici)', Object.assign(new Error('fetch failed'), { cause: { code: 'EAI_AGAIN' } }), 'unavailable'],
    ['a key document that is not JSON', new SyntaxError('Unexpected token < in JSON'), 'unavailable'],
    ['anything else', new TypeError('something else'), 'unauthorized'],
  ])('%s', (_what, err, kind) => {
    expect(classifyAuthFailure(err).kind).toBe(kind);
  });

  it('never repeats a token in its reason', () => {
    const t = token();
    expect(safeReason(new Error(`bad token ${t} here`))).toBe('Error: bad token [token] here');
  });

  it('times out a verification that hangs', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20)).rejects.toThrow(/took longer than 20 ms/);
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
  });
});

describe('POST /api/messages with an app id', () => {
  let keys: Awaited<ReturnType<typeof openIdServer>>;
  let app: App;
  const mem = memoryLogger('debug');
  let consoleOutput = '';
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    keys = await openIdServer();
    app = await startApp(
      testConfig({ ...AUTH_ENV, RATE_LIMIT_IP_PER_MINUTE: '5', RATE_LIMIT_CONVERSATION_PER_MINUTE: '100', TRUST_PROXY: 'on' }),
      mem.logger,
      { botFrameworkAuth: botFrameworkAuth(keys.url) },
    );
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void (consoleOutput += `${args.map(String).join(' ')}\n`)));
    }
  });

  afterAll(async () => {
    for (const s of spies) s.mockRestore();
    await app.stop();
    await keys.close();
  });

  let address = 1;
  const client = () => ({ 'x-forwarded-for': `192.0.2.${address++}` });

  function expectCleanRefusal(r: { status: number; text: string; json: any }, status: number): void {
    expect(r.status).toBe(status);
    expect(r.json).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(r.text).not.toMatch(/\bat .*\(.*:\d+:\d+\)|node_modules|Error:/);
  }

  it('answers a request signed with Bot Framework\'s key (so the refusals below are about the token)', async () => {
    const r = await post(app, `Bearer ${token()}`, activity(), client());
    expect(r.status).toBe(200);
    expect(r.json.activities.find((a: { type: string }) => a.type === 'message').text).toMatch(/cobot/i);
  });

  it('refuses a request without an Authorization header with 401', async () => {
    const r = await post(app, undefined, activity(), client());
    expectCleanRefusal(r, 401);
    expect(r.json.message).toMatch(/no valid Bot Framework token/);
  });

  it('refuses a JWT signed with another key under Bot Framework\'s key id with 401 (the connector alone answers 500)', async () => {
    const forged = token({}, { key: attacker.privateKey });
    const r = await post(app, `Bearer ${forged}`, activity(), client());
    expectCleanRefusal(r, 401);
    const line = mem.lines().filter((l) => /not authenticated as Bot Framework/.test(l.msg)).pop();
    expect(line).toMatchObject({ level: 'warn', reason: expect.stringMatching(/invalid signature/) });
    expect(mem.text()).not.toContain(forged);
  });

  it.each([
    ['an unknown key id', () => token({}, { key: attacker.privateKey, kid: 'made-up' })],
    ['another app id as audience', () => token({ aud: '99999999-2222-3333-4444-555555555555' })],
    ['another issuer', () => token({ iss: 'https://evil.example' })],
    ['an expired token', () => token({}, { expiresIn: -3600 })],
    ['an HS256 token keyed with the public key', () => jwt.sign({ iss: ISSUER, aud: APP_ID, exp: Math.floor(Date.now() / 1000) + 600 }, trusted.publicKey.export({ type: 'spki', format: 'pem' }) as string)],
    ['garbage', () => 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln'],
  ])('refuses %s with 401', async (_what, make) => {
    const t = make();
    const r = await post(app, `Bearer ${t}`, activity(), client());
    expectCleanRefusal(r, 401);
    expect(mem.text()).not.toContain(t);
  });

  it('counts refused requests per address (429 after RATE_LIMIT_IP_PER_MINUTE), never Bot Framework\'s accepted ones', async () => {
    const attackerAddress = client();
    for (let i = 0; i < 5; i++) expect((await post(app, undefined, activity(), attackerAddress)).status).toBe(401);
    const blocked = await post(app, `Bearer ${token()}`, activity(), attackerAddress);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    const channel = client();
    for (let i = 0; i < 8; i++) expect((await post(app, `Bearer ${token()}`, activity(), channel)).status).toBe(200);
  });

  it('checks the token before the body, so a caller without one learns nothing from a 400', async () => {
    expectCleanRefusal(await post(app, undefined, { nonsense: true }, client()), 401);
    expectCleanRefusal(await post(app, `Bearer ${token()}`, { nonsense: true }, client()), 400);
  });

  it('keeps the password out of the log when the bot cannot get its own token to reply (no network)', async () => {
    const capture = await startCaptureServer();
    try {
      const a = teamsMessage(`conv-${Math.random().toString(36).slice(2)}`, { serviceUrl: capture.url });
      const r = await post(app, `Bearer ${token({ serviceurl: capture.url })}`, a, client());
      expect(r.status).toBe(200);
      // The reply needs a token of the app registration from login.microsoftonline.com: unreachable here
      // (or refused: the password is made up), so the turn fails, is logged, and the apology fails too.
      await waitUntil(() => mem.lines().some((l) => l.msg === 'turn failed' && l.conversationId === (a.conversation as { id: string }).id), 30_000);
      expect(mem.text()).not.toContain(PASSWORD);
      expect(consoleOutput).not.toContain(PASSWORD);
    } finally {
      await capture.close();
    }
  }, 60_000);

  it('wrote no token and no password to the console', () => {
    expect(consoleOutput).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(consoleOutput).not.toContain(PASSWORD);
    expect(mem.text()).not.toContain(PASSWORD);
  });
});

describe('POST /api/messages when Bot Framework\'s signing keys cannot be fetched', () => {
  it('answers 503 with Retry-After and a clear message, and logs the cause once, without the token', async () => {
    const closedPort = await freePort();
    const mem = memoryLogger();
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = await startApp(testConfig(AUTH_ENV), mem.logger, { botFrameworkAuth: botFrameworkAuth(`http://127.0.0.1:${closedPort}/openid`) });
    try {
      const t = token();
      const first = await post(app, `Bearer ${t}`);
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('30');
      expect(first.json).toEqual({ code: 'ServiceUnavailable', message: 'The bot cannot verify Bot Framework tokens right now; try again later.' });
      expect((await post(app, `Bearer ${t}`)).status).toBe(503);
      const lines = mem.lines().filter((l) => /cannot verify Bot Framework tokens/.test(l.msg));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', reason: expect.stringMatching(/ECONNREFUSED/) });
      expect(lines[0].msg).toMatch(/login\.botframework\.com/);
      expect(mem.text()).not.toContain(t);
      // Without a token there is nothing to verify: still 401.
      expect((await post(app, undefined)).status).toBe(401);
    } finally {
      errors.mockRestore();
      await app.stop();
    }
  });

  it('never answers 500 with the default Bot Framework settings (offline here: 503; with a network: 401)', async () => {
    const mem = memoryLogger();
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = await startApp(testConfig(AUTH_ENV), mem.logger);
    try {
      const r = await post(app, `Bearer ${token({}, { key: attacker.privateKey })}`);
      expect([401, 503]).toContain(r.status);
      expect(r.text).not.toMatch(/node_modules|\bat /);
    } finally {
      errors.mockRestore();
      await app.stop();
    }
  }, 30_000);
});
