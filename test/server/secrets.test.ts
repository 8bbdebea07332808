/**
 * Secrets never leave the bot: two real bot processes (node dist/src/index.js) run with every
 * secret set to a recognisable value — MicrosoftAppPassword, DIRECTLINE_TOKEN_SECRET,
 * DIRECTLINE_SECRET and a STORAGE_BLOB_CONNECTION_STRING with an AccountKey — and with Azure
 * Direct Line and the blob store at a closed port of 127.0.0.1. They are driven through normal
 * turns and every error path there is (failed authentication, unreachable Azure and storage, bad
 * requests, 404s, 429s, /healthz); then everything each process wrote and every response body is
 * searched for each secret, the AccountKey alone included (also URL-encoded).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { startBotProcess, type BotProcess } from '../support/botProcess';
import { freePort } from '../support/azurite';
import { call, type Grant } from '../support/directLineClient';
import { channelToken, teamsMessage, TEST_APP_ID } from '../support/botFramework';

const ACCOUNT_KEY = Buffer.from('SIA-account-key+secret/value-7c41e9!').toString('base64');
const SECRETS = {
  MicrosoftAppPassword: 'SIA-app-password-3f9c1e7a-value',
  DIRECTLINE_TOKEN_SECRET: 'SIA-local-token-secret-0d8e2b5c4f1a9e7d6c3b',
  DIRECTLINE_SECRET: 'SIA-azure-directline-secret-5b2d-value',
};

const bodies: string[] = [];
const processes: BotProcess[] = [];
const dirs: string[] = [];

async function record(url: string, init: Parameters<typeof call>[1] = {}) {
  const r = await call(url, init);
  bodies.push(`${init.method ?? 'GET'} ${url} ${r.status} ${[...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${r.text}`);
  return r;
}

function secretsOf(connectionString: string): Array<[string, string]> {
  return [
    ...Object.entries(SECRETS),
    ['STORAGE_BLOB_CONNECTION_STRING', connectionString],
    ['the AccountKey', ACCOUNT_KEY],
    ['the AccountKey, URL-encoded', encodeURIComponent(ACCOUNT_KEY)],
    ['the AccountKey, decoded', Buffer.from(ACCOUNT_KEY, 'base64').toString('utf8')],
  ];
}

let connectionString = '';

beforeAll(async () => {
  const closed = await freePort();
  connectionString = `DefaultEndpointsProtocol=http;AccountName=siaaccount;AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${closed}/siaaccount;`;
});

afterAll(async () => {
  for (const p of processes) await p.kill9();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<BotProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-secrets-'));
  dirs.push(dataDir);
  const bot = await startBotProcess({
    DATA_DIR: dataDir,
    MicrosoftAppId: TEST_APP_ID,
    MicrosoftAppType: 'MultiTenant',
    STORAGE: 'blob',
    STORAGE_BLOB_CONNECTION_STRING: connectionString,
    STORAGE_TIMEOUT_MS: '500',
    ...SECRETS,
    ...env,
  });
  processes.push(bot);
  return bot;
}

/** No secret in the text; and nothing even tried to write one (the logger's mask was never needed). */
function expectNoSecret(where: string, text: string): void {
  expect(text).not.toContain('[redacted]');
  for (const [name, value] of secretsOf(connectionString)) {
    if (text.includes(value)) throw new Error(`${name} appears in ${where}:\n${text.slice(Math.max(0, text.indexOf(value) - 300), text.indexOf(value) + value.length + 100)}`);
  }
}

const activity = (conversationId: string) => teamsMessage(conversationId, { serviceUrl: 'https://smba.trafficmanager.net/emea/' });

describe('secrets', () => {
  it('never reach the output or a response of a bot with Azure Direct Line and Teams settings', async () => {
    const closed = await freePort();
    const bot = await start({ DIRECTLINE_ENDPOINT: `http://127.0.0.1:${closed}/v3/directline`, RATE_LIMIT_TOKENS_PER_MINUTE: '2', RATE_LIMIT_IP_PER_MINUTE: '12' });
    const u = bot.url;
    const key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = channelToken(key);
    const expired = channelToken(key, { expiresIn: -3600 });

    expect((await record(`${u}/healthz`)).status).toBe(200);
    expect((await record(`${u}/`)).status).toBe(200);
    expect((await record(`${u}/api/webchat/config`)).status).toBe(200);
    // The Azure token exchange while Azure cannot be reached: 502, twice; then the token limit.
    expect((await record(`${u}/api/directline/token`, { method: 'POST' })).status).toBe(502);
    expect((await record(`${u}/api/directline/token`, { method: 'POST' })).status).toBe(502);
    expect((await record(`${u}/api/directline/token`, { method: 'POST' })).status).toBe(429);
    // /api/messages: no token, a forged one (no network for the keys: 503; with one: 401), an expired one.
    expect((await record(`${u}/api/messages`, { method: 'POST', body: activity('c-1') })).status).toBe(401);
    expect([401, 503]).toContain((await record(`${u}/api/messages`, { method: 'POST', body: activity('c-2'), headers: { authorization: `Bearer ${forged}` } })).status);
    expect((await record(`${u}/api/messages`, { method: 'POST', body: activity('c-3'), headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
    expect((await record(`${u}/api/messages`, { method: 'POST', body: '{"type": "message", ', headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` } })).status).toBe(400);
    expect((await record(`${u}/api/messages`, { method: 'POST', body: 'x'.repeat(300_000), headers: { 'content-type': 'application/json' } })).status).toBe(413);
    // 404s: the local Direct Line is off in Azure mode, and an unknown path.
    expect((await record(`${u}/v3/directline/tokens/generate`, { method: 'POST' })).status).toBe(404);
    expect((await record(`${u}/no/such/path?secret=1`)).status).toBe(404);
    // Enough refused requests from this address: 429.
    let status = 0;
    for (let i = 0; i < 15 && status !== 429; i++) status = (await record(`${u}/api/messages`, { method: 'POST', body: activity('c-4') })).status;
    expect(status).toBe(429);
    expect((await record(`${u}/healthz`)).status).toBe(200);
    // The storage (blob at a closed port) has failed by now: the retention at start-up tried it.
    await bot.waitForLog((l) => l.level === 'warn' || l.level === 'error', 15_000);

    expect(await bot.stop()).toBe(0);
    expect(bot.logs().length).toBeGreaterThan(5);
    expectNoSecret('the output of the Azure-mode bot', bot.output());
    expectNoSecret('a response body', bodies.join('\n\n'));
  }, 120_000);

  it('never reach the output or a response of a bot with its own Direct Line, in turns and failures', async () => {
    // Without DIRECTLINE_SECRET (Azure mode would switch the bot's own Direct Line off).
    // The store is tried again 100 ms after a failure, so that the turns meet it down, too.
    const bot = await start({ DIRECTLINE_SECRET: '', RATE_LIMIT_CONVERSATION_PER_MINUTE: '5', STORAGE_RETRY_MS: '100' });
    const u = bot.url;
    const dl = `${u}/v3/directline`;
    const generated = await record(`${dl}/tokens/generate`, { method: 'POST' });
    const g = generated.json as Grant;
    expect((await record(`${dl}/conversations`, { method: 'POST', token: g.token, body: { locale: 'nl-NL' } })).status).toBe(201);
    const say = (text: string) => record(`${dl}/conversations/${g.conversationId}/activities`, { method: 'POST', token: g.token, body: { type: 'message', text, from: { id: 'x' } } });
    expect((await say('Wat is een cobot?')).status).toBe(200);
    // The replies, while the store is down (the bot answers, and says it cannot remember).
    let replies: any[] = [];
    for (let i = 0; i < 100 && replies.filter((a) => a.from?.role === 'bot').length < 2; i++) {
      replies = (await record(`${dl}/conversations/${g.conversationId}/activities`, { token: g.token })).json.activities;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(replies.filter((a) => a.from?.role === 'bot').length).toBeGreaterThanOrEqual(2);
    expect((await record(`${dl}/tokens/refresh`, { method: 'POST', token: g.token })).status).toBe(200);
    // Failures: a forged token, another secret's token, a bad activity, an unknown conversation, too many messages.
    const [h, p] = g.token.split('.');
    expect((await record(`${dl}/conversations/${g.conversationId}/activities`, { token: `${h}.${p}.forged` })).status).toBe(401);
    const foreign = jwt.sign({ conv: g.conversationId, user: 'u', oit: 1, exp: 9_999_999_999 }, 'another-secret-of-at-least-32-characters', { issuer: 'smart-industry-advisor/directline', audience: 'directline:conversation' });
    expect((await record(`${dl}/conversations/${g.conversationId}/activities`, { token: foreign })).status).toBe(401);
    expect((await record(`${dl}/conversations/${g.conversationId}/activities`, { method: 'POST', token: g.token, body: { type: 'message', text: 42 } })).status).toBe(400);
    expect((await record(`${dl}/conversations/${g.conversationId}/activities?watermark=abc`, { token: g.token })).status).toBe(400);
    expect((await record(`${dl}/conversations/${'x'.repeat(22)}/activities`, { token: g.token })).status).toBe(403);
    expect((await record(`${u}/directline-connector/v3/conversations/${g.conversationId}/activities`, { method: 'POST', token: SECRETS.DIRECTLINE_TOKEN_SECRET, body: { type: 'message' } })).status).toBe(401);
    let status = 0;
    for (let i = 0; i < 8 && status !== 429; i++) status = (await say(`nog een vraag ${i}`)).status;
    expect(status).toBe(429);
    expect((await record(`${u}/api/messages`, { method: 'POST', body: activity('c-5') })).status).toBe(401);
    expect((await record(`${u}/healthz`)).status).toBe(200);

    expect(await bot.stop()).toBe(0);
    expect(bot.output()).toMatch(/Azure Blob Storage/); // the store's trouble was logged (without its key)
    expectNoSecret('the output of the local-Direct-Line bot', bot.output());
    expectNoSecret('a response body', bodies.join('\n\n'));
  }, 120_000);
});
