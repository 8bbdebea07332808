/**
 * A bounded, deterministic fuzz test of the local Direct Line (/v3/directline) on the real server
 * (in this process, on 127.0.0.1): generated requests (test/support/directLineFuzzCases.ts, one
 * fixed seed) to tokens/generate and refresh, conversations, activities (GET and POST), upload
 * and wrong methods, with odd tokens, bodies, content types, watermarks and conversation ids,
 * eight at a time, each with a timeout; a few WebSocket upgrades with bad stream URLs; and, in
 * between, real conversations that must get their answers. Every answer must be a 2xx or a
 * clear 4xx with a message, carry no stack trace or file path, and a token of one conversation
 * must never read or write another. Afterwards the server still answers /healthz.
 */
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { startApp, type App } from '../../../src/app';
import { DirectLineTokens } from '../../../src/channels/directline/tokens';
import { directLineFuzzCases, type DlConversation, type DlFuzzRequest } from '../../support/directLineFuzzCases';
import { botMessages, call, DirectLineTestClient, type DlActivity } from '../../support/directLineClient';
import { memoryLogger, testConfig } from '../../support/testConfig';
import { STACK_LEAKS } from '../../support/leaks';

const SEED = 20_261_129;
const REQUESTS = 1_600;
const SESSIONS = 24;
const CONCURRENCY = 8;
const TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = 120_000;
const SECRET = 'fuzz-secret-for-direct-line-tokens-0123456789';
const MARKER = 'FUZZ-CROSS-CONVERSATION-MARKER';

/** What no response body may hold: the stack leaks of every fuzz test, an indented stack line, a source path. */
const LEAKS: readonly RegExp[] = [...STACK_LEAKS, /^ {4}at /m, /\bsrc\/[\w/.-]+\.(?:ts|js)\b/];

let app: App;
let base: string;
let dl: DirectLineTestClient;
const logs = memoryLogger('info');
const consoleErrors: string[] = [];
let consoleSpy: jest.SpyInstance;

beforeAll(async () => {
  consoleSpy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args.map(String).join(' ')));
  app = await startApp(testConfig({ DIRECTLINE_TOKEN_SECRET: SECRET }), logs.logger);
  base = `http://127.0.0.1:${app.port}`;
  dl = new DirectLineTestClient(base);
});

afterAll(async () => {
  await app?.stop();
  consoleSpy?.mockRestore();
});

interface Outcome {
  readonly label: string;
  readonly status: number;
  readonly ms: number;
  readonly problems: readonly string[];
}

function leaks(text: string): string[] {
  return LEAKS.filter((l) => l.test(text)).map((l) => `the body leaks ${l}: ${text.slice(0, 200)}`);
}

/** Everything wrong with one answer (empty when it is as designed). */
function check(r: DlFuzzRequest, status: number, text: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}: ${text.slice(0, 160)}`);
  if (!r.expect.includes(status)) problems.push(`status ${status}, expected ${r.expect.join(' or ')}: ${text.slice(0, 160)}`);
  if (r.foreign && status >= 200 && status < 300) problems.push(`a token of another conversation got ${status}`);
  problems.push(...leaks(text));
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = undefined;
  }
  // Node's own parser answers an oversized header block with a bare 431, before the app; HEAD has no body.
  if (status >= 400 && status < 500 && status !== 431 && r.method !== 'HEAD') {
    const message = json?.error?.message ?? json?.message ?? (json === undefined ? text : '');
    if (typeof message !== 'string' || !message.trim()) problems.push(`a ${status} without a message: ${text.slice(0, 120)}`);
  }
  if (status >= 200 && status < 300 && r.method !== 'HEAD' && text && json === undefined) problems.push(`a ${status} whose body is not JSON: ${text.slice(0, 120)}`);
  return problems;
}

async function runOne(r: DlFuzzRequest, out: Outcome[]): Promise<void> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    const problems = check(r, res.status, text);
    out.push({ label: r.label, status: res.status, ms: performance.now() - started, problems: problems.length ? [`${r.method} ${r.path.slice(0, 160)}`, ...problems] : [] });
  } catch (e) {
    out.push({ label: r.label, status: 0, ms: performance.now() - started, problems: [`no answer: ${(e as Error).name} ${(e as Error).message} ${String((e as { cause?: unknown }).cause ?? '')}`] });
  }
}

/** A real conversation: token, start, a question, polling until the answer. Each step counts as a request. */
async function runSession(i: number, out: Outcome[], replies: string[]): Promise<void> {
  const [question, topic] = ([['Wat is een cobot?', /cobot/i], ['Hoe begin ik met predictive maintenance?', /onderhoud|maintenance|machine/i], ['What is a cobot?', /cobot/i]] as const)[i % 3]!;
  const step = async <T>(label: string, work: () => Promise<{ status: number; text: string; value: T }>, ok: number[]): Promise<T | null> => {
    const started = performance.now();
    try {
      const r = await work();
      const problems = [...leaks(r.text), ...(ok.includes(r.status) ? [] : [`status ${r.status}: ${r.text.slice(0, 160)}`])];
      out.push({ label: `session/${label}`, status: r.status, ms: performance.now() - started, problems });
      return problems.length ? null : r.value;
    } catch (e) {
      out.push({ label: `session/${label}`, status: 0, ms: performance.now() - started, problems: [`no answer: ${(e as Error).message}`] });
      return null;
    }
  };
  const g = await step('generate', async () => {
    const r = await call(`${dl.domain}/tokens/generate`, { method: 'POST', body: {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: r.status, text: r.text, value: r.json as DlConversation };
  }, [200]);
  if (!g) return;
  const locale = i % 3 === 2 ? 'en-US' : 'nl-NL';
  if (!(await step('start', async () => {
    const r = await dl.start(g.token, locale);
    return { status: r.status, text: r.text, value: true };
  }, [201]))) return;
  const posted = await step('post', async () => {
    const r = await dl.say(g.conversationId, g.token, question);
    return { status: r.status, text: r.text, value: r.json as { id: string } };
  }, [200]);
  if (!posted) return;
  const deadline = Date.now() + 12_000;
  let watermark = '';
  for (;;) {
    const page = await step('poll', async () => {
      const r = await dl.activities(g.conversationId, g.token, watermark);
      return { status: r.status, text: r.text, value: r.json as { activities: DlActivity[]; watermark: string } };
    }, [200]);
    if (!page) return;
    watermark = page.watermark;
    const answer = botMessages(page.activities).find((a) => a.replyToId === posted.id);
    if (answer) {
      const text = (answer.text ?? '').trim();
      if (!topic.test(text)) out.push({ label: 'session/answer', status: 200, ms: 0, problems: [`the answer to "${question}" is off topic: ${text.slice(0, 120)}`] });
      else replies.push(text);
      return;
    }
    if (Date.now() > deadline) {
      out.push({ label: 'session/answer', status: 0, ms: 12_000, problems: [`no answer to "${question}" within 12 s`] });
      return;
    }
    await new Promise((res) => setTimeout(res, 40));
  }
}

/** The status of a WebSocket upgrade that must be refused (0 = no answer in time; -1 = it opened). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: TIMEOUT_MS });
    const timer = setTimeout(() => (ws.terminate(), resolve(0)), TIMEOUT_MS);
    ws.once('open', () => (clearTimeout(timer), ws.close(), resolve(-1)));
    ws.once('unexpected-response', (_req, res) => (clearTimeout(timer), res.resume(), resolve(res.statusCode ?? 0)));
    ws.once('error', () => (clearTimeout(timer), resolve(0)));
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('the local Direct Line under generated input', () => {
  let own: DlConversation & { streamUrl: string };
  let other: DlConversation;
  let otherBefore: DlActivity[];

  it(`answers ${REQUESTS}+ generated requests (seed ${SEED}) with 2xx or a clear 4xx, no leaks, while real conversations get their answers`, async () => {
    const o = await dl.open();
    own = { conversationId: o.conversationId, token: o.token, streamUrl: o.streamUrl! };
    const ot = await dl.open();
    other = { conversationId: ot.conversationId, token: ot.token };
    otherBefore = (await dl.pollUntil(other.conversationId, other.token, '', (a) => botMessages(a).length > 0)).activities;
    const claims = JSON.parse(Buffer.from(own.token.split('.')[1]!, 'base64url').toString()) as { user: string; oit: number; exp: number };
    const past = new DirectLineTokens({ secret: SECRET, ttlSeconds: 1200, maxLifetimeSeconds: 86_400, now: () => Date.now() - 7_200_000 });
    const foreign = new DirectLineTokens({ secret: 'another-secret-of-another-server-0123456789', ttlSeconds: 1800, maxLifetimeSeconds: 86_400 });
    const streamToken = new URL(own.streamUrl).searchParams.get('t')!;
    const cases = directLineFuzzCases(SEED, REQUESTS, {
      own,
      other,
      expired: past.issue(own.conversationId, claims.user).token,
      wrongSecret: foreign.issue(own.conversationId, claims.user).token,
      algNone: jwt.sign({ conv: own.conversationId, user: claims.user, oit: claims.oit, exp: claims.exp }, '', { algorithm: 'none', issuer: 'smart-industry-advisor/directline', audience: 'directline:conversation' }),
      streamToken,
      marker: MARKER,
      maxBodyBytes: testConfig().maxBodyBytes,
    });

    // The tasks: fuzz requests, with a real conversation every so often, and the WebSocket attempts.
    const outcomes: Outcome[] = [];
    const replies: string[] = [];
    const tasks: Array<() => Promise<void>> = cases.map((c) => () => runOne(c, outcomes));
    const every = Math.floor(tasks.length / SESSIONS);
    for (let i = SESSIONS - 1; i >= 0; i--) tasks.splice(i * every, 0, () => runSession(i, outcomes, replies));
    const wsBase = own.streamUrl.split('?')[0]!;
    const otherStream = wsBase.replace(own.conversationId, other.conversationId);
    const pastStream = past.streamToken({ conversationId: own.conversationId, userId: claims.user, chainStartedAt: claims.oit - 7200, expiresAt: claims.exp - 7200 });
    const upgrades: Array<[string, string, number[]]> = [
      ['ws/no-token', wsBase, [401]],
      ['ws/garbage-token', `${wsBase}?t=abc.def.ghi`, [401]],
      ['ws/conversation-token', `${wsBase}?t=${own.token}`, [401]],
      ['ws/wrong-secret', `${wsBase}?t=${foreign.streamToken({ conversationId: own.conversationId, userId: claims.user, chainStartedAt: claims.oit, expiresAt: claims.exp })}`, [401]],
      ['ws/expired', `${wsBase}?t=${pastStream}`, [401]],
      ['ws/other-conversation', `${otherStream}?t=${streamToken}`, [403]],
      ['ws/huge-token', `${wsBase}?t=${'x'.repeat(8000)}`, [401]],
      ['ws/traversal', `${wsBase.replace(own.conversationId, '..%2F..%2Fhealthz')}?t=${streamToken}`, [404]],
      ['ws/odd-watermark', `${wsBase}?t=${'x'}&watermark=-1`, [401]],
    ];
    upgrades.forEach(([label, url, expect], i) =>
      tasks.splice(Math.floor(((i + 1) * tasks.length) / (upgrades.length + 1)), 0, async () => {
        const started = performance.now();
        const status = await upgradeStatus(url);
        outcomes.push({ label, status, ms: performance.now() - started, problems: expect.includes(status) ? [] : [`upgrade answered ${status === -1 ? 'by opening' : status}, expected ${expect.join(' or ')}`] });
      }),
    );

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < tasks.length) await tasks[next++]!();
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const byKind = new Map<string, number>();
    for (const o of outcomes) {
      const kind = o.label.split('/').slice(0, 2).join('/');
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const failed = outcomes.filter((o) => o.problems.length);
    console.log(
      `directline fuzz: seed ${SEED}, ${outcomes.length} requests in ${seconds.toFixed(1)} s (concurrency ${CONCURRENCY}); ` +
        `status ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ')}; ` +
        `p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(0)} ms; ` +
        `${replies.length}/${SESSIONS} sessions answered; ${failed.length} with problems\n` +
        `cases: ${[...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );

    expect(outcomes.length).toBeGreaterThanOrEqual(REQUESTS);
    expect(cases.filter((c) => c.foreign).length).toBeGreaterThan(100);
    for (const s of [200, 400, 401, 403, 404, 413, 415]) expect(byStatus.get(s) ?? 0).toBeGreaterThan(0);
    expect(failed.slice(0, 15).map((o) => `${o.label} → ${o.status}: ${o.problems.join('; ')}`)).toEqual([]);
    expect(replies).toHaveLength(SESSIONS);
  }, RUN_TIMEOUT_MS);

  it('let no token of one conversation read or write another', async () => {
    const after = await dl.activities(other.conversationId, other.token, '');
    expect(after.status).toBe(200);
    expect(after.text).not.toContain(MARKER);
    expect(after.json.activities.map((a) => a.id)).toEqual(otherBefore.map((a) => a.id));
    // And the own conversation's token still cannot read it.
    const foreign = await dl.activities(other.conversationId, own.token, '');
    expect(foreign.status).toBe(403);
    expect(foreign.json.error?.code).toBe('Forbidden');
  });

  it('still answers /healthz and a real conversation afterwards', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const g = await dl.open();
    const w = await dl.pollUntil(g.conversationId, g.token, '', (a) => botMessages(a).length > 0);
    const posted = await dl.say(g.conversationId, g.token, 'Wat is een cobot?');
    expect(posted.status).toBe(200);
    const r = await dl.pollUntil(g.conversationId, g.token, w.watermark, (a) => botMessages(a).some((m) => m.replyToId === posted.json.id));
    expect(botMessages(r.activities)[0]!.text).toMatch(/cobot/i);
  });

  it('logged no failed turn and no server error', () => {
    const bad = logs.lines().filter((l) => l.level >= 50 || l.level === 'error' || l.level === 'fatal' || l.msg === 'turn failed' || l.msg === 'request failed');
    expect(bad.map((l) => `${l.msg}: ${l.err?.message ?? ''}`).slice(0, 10)).toEqual([]);
    expect(consoleErrors.slice(0, 5)).toEqual([]);
  });
});
