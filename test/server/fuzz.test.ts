/**
 * A bounded, deterministic fuzz test of POST /api/messages on the real server (in this process,
 * on 127.0.0.1, with the default SQLite store): several thousand generated requests
 * (test/support/fuzzCases.ts, one fixed seed), eight at a time, each with a timeout. Every answer must be a 2xx or a clear 4xx with a message,
 * carry no stack trace or file path, and every reply of the bot must be a non-empty message in
 * Dutch or English that sends no markup of the user's back. Afterwards the bot still answers a
 * normal question, and its log holds no failed turn and no server error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type App } from '../../src/app';
import { loadKnowledge } from '../../src/knowledge/loader';
import type { KnowledgeData } from '../../src/knowledge/types';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { fuzzSessions, type FuzzRequest, type FuzzSession } from '../support/fuzzCases';
import { KNOWLEDGE, memoryLogger, testConfig } from '../support/testConfig';
import { STACK_LEAKS } from '../support/leaks';

const SEED = 20_260_501;
const REQUESTS = 5_000;
const CONCURRENCY = 8;
const TIMEOUT_MS = 15_000;
/** The whole run: about 30 s alone on two cores; the margin is for a machine busy with other suites. */
const RUN_TIMEOUT_MS = 180_000;
const BOT_ID = 'bot-fuzz';

/**
 * What the bot must never send in a message, whatever the user sent: live HTML tags, markdown
 * images, links to script or data URLs, and JavaScript's rendering of an object (a value shown
 * back unchecked). The knowledge has none of these, so any of them is the user's input echoed.
 */
const HOSTILE = /<\/?(?:script|img|iframe|svg|a|style|p|b|i|div|at)\b|!\[[^\]]*\]\(|javascript:|data:text\/html|\[object Object\]/i;

let app: App;
let capture: CaptureServer;
let logs: ReturnType<typeof memoryLogger>;
let knowledge: KnowledgeData;
const consoleErrors: string[] = [];
let consoleSpy: jest.SpyInstance;
let dataDir: string;

beforeAll(async () => {
  knowledge = loadKnowledge(KNOWLEDGE).data!;
  capture = await startCaptureServer();
  logs = memoryLogger('info');
  // botbuilder writes some failures to the console instead of throwing them to our handler.
  consoleSpy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args.map(String).join(' ')));
  // The default store (SQLite), as in production: state, the lock per conversation, insights.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-fuzz-'));
  app = await startApp(testConfig({ STORAGE: 'sqlite', DATA_DIR: dataDir }), logs.logger);
});

afterAll(async () => {
  await app?.stop();
  await capture?.close();
  consoleSpy?.mockRestore();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Outcome {
  readonly request: FuzzRequest;
  readonly status: number;
  readonly ms: number;
  readonly problems: readonly string[];
}

async function send(url: string, r: FuzzRequest): Promise<{ status: number; text: string; ms: number }> {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  const started = performance.now();
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body: r.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

function textOf(a: Record<string, unknown>): string {
  return JSON.stringify({ text: a.text, speak: a.speak, attachments: a.attachments, suggestedActions: a.suggestedActions });
}

/** The bot's own texts a reply is checked against. */
interface Texts {
  readonly apologies: readonly string[];
  /** What a reply must start with, per UI key a case may demand. */
  readonly says: Readonly<Record<NonNullable<FuzzRequest['says']>, readonly string[]>>;
}

/** Everything wrong with one answer (empty when it is as designed). */
function check(r: FuzzRequest, status: number, body: string, texts: Texts): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}`);
  if (!r.expect.includes(status)) problems.push(`status ${status}, expected ${r.expect.join(' or ')}: ${body.slice(0, 160)}`);
  for (const leak of STACK_LEAKS) if (leak.test(body)) problems.push(`the body leaks ${leak}: ${body.slice(0, 200)}`);
  let json: any = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    if (status !== 202 && status !== 201) problems.push(`the body is not JSON: ${body.slice(0, 120)}`);
  }
  if (status >= 400 && status < 500 && (typeof json?.message !== 'string' || !json.message.trim())) problems.push(`a ${status} without a message: ${body.slice(0, 120)}`);
  if (status < 200 || status >= 300) return problems;
  if (r.reply === 'empty') {
    if (body && json && Array.isArray(json.activities) && json.activities.length) problems.push('replies in the body although they went to the serviceUrl');
    return problems;
  }
  if (!json || !Array.isArray(json.activities)) return [...problems, `no activities in the body: ${body.slice(0, 120)}`];
  const activities = json.activities as Record<string, unknown>[];
  const messages = activities.filter((a) => a.type === 'message');
  if (r.reply === 'message' && !messages.length) problems.push(`no reply message (got ${activities.map((a) => a.type).join(', ') || 'nothing'})`);
  for (const m of messages) {
    const text = typeof m.text === 'string' ? m.text.trim() : '';
    const cards = Array.isArray(m.attachments) ? m.attachments.length : 0;
    if (!text && !cards) problems.push('an empty reply message');
    if (m.locale !== 'nl-NL' && m.locale !== 'en-US') problems.push(`a reply in locale ${String(m.locale)}`);
    if (HOSTILE.test(textOf(m))) problems.push(`markup in a reply: ${textOf(m).match(HOSTILE)![0]} in ${textOf(m).slice(0, 200)}`);
    if (texts.apologies.includes(text)) problems.push('the apology of a failed turn');
  }
  if (r.says) {
    const starts = texts.says[r.says];
    if (!messages.some((m) => typeof m.text === 'string' && starts.some((s) => (m.text as string).startsWith(s)))) {
      problems.push(`no "${r.says}" reply (got ${messages.map((m) => JSON.stringify(String(m.text ?? '').slice(0, 60))).join(', ')})`);
    }
  }
  if (r.channelId !== 'emulator' && activities.some((a) => a.type === 'trace')) problems.push(`a trace on channel ${r.channelId}`);
  return problems;
}

async function runOne(request: FuzzRequest, texts: Texts, out: Outcome[]): Promise<void> {
  try {
    const res = await send(app.url, request);
    out.push({ request, status: res.status, ms: res.ms, problems: check(request, res.status, res.text, texts) });
  } catch (e) {
    out.push({ request, status: 0, ms: TIMEOUT_MS, problems: [`no answer: ${(e as Error).name} ${(e as Error).message}`] });
  }
}

async function runSession(session: FuzzSession, texts: Texts, out: Outcome[]): Promise<void> {
  if (session.together) {
    await Promise.all(session.requests.map((r) => runOne(r, texts, out)));
    return;
  }
  for (const request of session.requests) await runOne(request, texts, out);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('POST /api/messages under generated input', () => {
  const outcomes: Outcome[] = [];

  it(`answers ${REQUESTS}+ generated requests (seed ${SEED}) with 2xx or a clear 4xx, no leaks, and replies in nl or en`, async () => {
    const sessions = fuzzSessions({
      seed: SEED,
      requests: REQUESTS,
      vocabulary: {
        questions: knowledge.entries.flatMap((e) => [...e.questions.nl.slice(0, 2), ...e.questions.en.slice(0, 2)]),
        ids: [...knowledge.entries.map((e) => e.id), ...knowledge.tasks.map((t) => t.id), ...knowledge.programs.map((p) => p.id), ...knowledge.fieldlabs.map((f) => f.id), ...knowledge.organisations.map((o) => o.id)],
        themes: knowledge.themes.map((t) => t.id),
        provinces: knowledge.provinces.map((p) => p.id),
        needs: knowledge.needs.map((n) => n.id),
      },
      limits: { maxBodyBytes: testConfig().maxBodyBytes },
      serviceUrl: capture.url,
      botId: BOT_ID,
    });
    const both = (key: string) => [knowledge.ui.strings[key]!.nl.trim(), knowledge.ui.strings[key]!.en.trim()];
    // A text with a {placeholder} is matched up to it.
    const start = (key: string) => both(key).map((t) => t.split('{')[0]!);
    const texts: Texts = { apologies: both('apology'), says: { empty: start('empty'), tooLong: start('tooLong') } };
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < sessions.length) await runSession(sessions[next++]!, texts, outcomes);
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const byKind = new Map<string, number>();
    for (const o of outcomes) {
      const kind = o.request.label.split('/')[0]!;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const failed = outcomes.filter((o) => o.problems.length);
    console.log(
      `fuzz: seed ${SEED}, ${outcomes.length} requests in ${seconds.toFixed(1)} s (concurrency ${CONCURRENCY}); ` +
        `status ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ')}; ` +
        `p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(0)} ms; ${failed.length} with problems\n` +
        `cases: ${[...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );

    expect(outcomes.length).toBeGreaterThanOrEqual(REQUESTS);
    // Every status family the cases are built to reach was reached.
    for (const s of [200, 400, 413, 415]) expect(byStatus.get(s) ?? 0).toBeGreaterThan(0);
    const report = failed.slice(0, 15).map((o) => `${o.request.label}: ${o.problems.join('; ')}\n    body: ${String(o.request.body).slice(0, 160)}`);
    expect(report).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it('still answers a normal question correctly afterwards', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: 'fuzz-after' }, from: { id: 'u' }, recipient: { id: BOT_ID }, locale: 'nl-NL', text: 'Hoe begin ik met predictive maintenance?' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Array<{ type: string; text?: string; value?: { entryId?: string } }> };
    expect(body.activities.find((a) => a.type === 'trace')!.value).toMatchObject({ decision: 'answer', entryId: 'predictive-maintenance-start' });
    const entry = knowledge.entries.find((e) => e.id === 'predictive-maintenance-start')!;
    expect(body.activities.find((a) => a.type === 'message')!.text).toContain(entry.answer.nl.split('\n')[0]!.slice(0, 40));
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('logged no failed turn and no server error (none is expected: turns of one conversation wait for its lock, up to LOCK_WAIT_MS)', () => {
    const bad = logs.lines().filter((l) => l.level === 'error' || l.level === 'fatal' || l.msg === 'turn failed' || l.msg === 'request failed');
    expect(bad.map((l) => `${l.msg}: ${l.err?.message ?? ''}`).slice(0, 10)).toEqual([]);
    expect(consoleErrors.slice(0, 5)).toEqual([]);
  });
});
