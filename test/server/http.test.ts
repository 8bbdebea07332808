/**
 * The real server on a free port, speaking the Bot Framework protocol: activities are POSTed to
 * /api/messages and the replies arrive at a capture server given as serviceUrl.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApp, type App } from '../../src/app';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { copyKnowledge, memoryLogger, testConfig, waitUntil } from '../support/testConfig';

let capture: CaptureServer;
let app: App;
let seq = 0;

function activity(overrides: Record<string, unknown> = {}) {
  const id = `conv-${++seq}`;
  return {
    type: 'message',
    id: `act-${seq}`,
    channelId: 'webchat',
    serviceUrl: capture.url,
    conversation: { id },
    from: { id: 'user-1', name: 'User' },
    recipient: { id: 'bot-1', name: 'Advisor' },
    locale: 'nl-NL',
    ...overrides,
  };
}

async function post(body: unknown, raw?: string, baseUrl = app.url) {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (() => { try { return JSON.parse(text); } catch { return null; } })() : null };
}

beforeAll(async () => {
  capture = await startCaptureServer();
  app = await startApp(testConfig(), memoryLogger().logger);
});

afterAll(async () => {
  await app.stop();
  await capture.close();
});

describe('POST /api/messages', () => {
  it('answers a Dutch question; the reply reaches the serviceUrl (no trace outside the emulator)', async () => {
    const a = activity({ text: 'Hoe begin ik met predictive maintenance?' });
    expect((await post(a)).status).toBe(200);
    const [reply] = await capture.waitFor(a.conversation.id, 1);
    expect(reply!.type).toBe('message');
    expect(reply!.locale).toBe('nl-NL');
    expect(reply!.replyToId).toBe(a.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(capture.forConversation(a.conversation.id).filter((x) => x.type === 'trace')).toEqual([]);
  });

  it('sends the KnowledgeBase trace on the emulator channel with the documented fields', async () => {
    const a = activity({ channelId: 'emulator', text: 'How do I start with predictive maintenance?' });
    await post(a);
    const got = await capture.waitFor(a.conversation.id, 2);
    const trace = got.find((x) => x.type === 'trace')!;
    expect(trace.name).toBe('KnowledgeBase');
    expect(trace.valueType).toEqual(expect.any(String));
    expect(trace.label).toEqual(expect.any(String));
    expect(trace.value).toEqual({
      query: 'How do I start with predictive maintenance?',
      language: 'en',
      decision: 'answer',
      entryId: 'predictive-maintenance-start',
      score: expect.any(Number),
      candidates: expect.arrayContaining([{ id: 'predictive-maintenance-start', score: trace.value.score }]),
    });
    expect(got.find((x) => x.type === 'message')!.locale).toBe('en-US');
  });

  it('falls back on nonsense, with the trace saying so', async () => {
    const a = activity({ channelId: 'emulator', text: 'blorp fizzbang quux' });
    await post(a);
    const got = await capture.waitFor(a.conversation.id, 2);
    expect(got.find((x) => x.type === 'trace')!.value).toMatchObject({ decision: 'fallback', entryId: null });
  });

  it('welcomes a user who joins, but not the bot joining itself', async () => {
    const a = activity({ type: 'conversationUpdate', membersAdded: [{ id: 'bot-1' }] });
    await post(a);
    const b = activity({ type: 'conversationUpdate', membersAdded: [{ id: 'user-1', name: 'User' }], locale: 'en-US' });
    await post(b);
    const [welcome] = await capture.waitFor(b.conversation.id, 1);
    expect(welcome!.text).toMatch(/Smart Industry Advisor/);
    expect(welcome!.attachments![0]!.content.actions ?? welcome!.attachments![0]!.content.body).toBeTruthy();
    expect(capture.forConversation(a.conversation.id)).toEqual([]);
  });

  it('strips the bot\'s Teams @mention before matching', async () => {
    const a = activity({
      channelId: 'emulator',
      text: '<at>Advisor</at> wat is een cobot?',
      entities: [{ type: 'mention', text: '<at>Advisor</at>', mentioned: { id: 'bot-1', name: 'Advisor' } }],
    });
    await post(a);
    const got = await capture.waitFor(a.conversation.id, 2);
    expect(got.find((x) => x.type === 'trace')!.value).toMatchObject({ query: 'wat is een cobot?', entryId: 'cobot-what' });
  });

  it('returns the replies in the body with deliveryMode expectReplies', async () => {
    const a = activity({ deliveryMode: 'expectReplies', serviceUrl: undefined, text: 'What is a digital twin?' });
    const res = await post(a);
    expect(res.status).toBe(200);
    expect(res.json.activities[0].text).toMatch(/digital twin/i);
  });

  it.each([
    ['malformed JSON', undefined, '{"type": "message", '],
    ['a JSON array', [], undefined],
    ['an activity without a type', { channelId: 'x', conversation: { id: 'c' }, serviceUrl: 'http://127.0.0.1:1' }, undefined],
    ['an activity without a conversation', { type: 'message', channelId: 'x', serviceUrl: 'http://127.0.0.1:1' }, undefined],
    ['a serviceUrl that is not a URL', { type: 'message', channelId: 'x', conversation: { id: 'c' }, serviceUrl: 'not a url' }, undefined],
    ['text that is not a string', { type: 'message', channelId: 'x', conversation: { id: 'c' }, serviceUrl: 'http://127.0.0.1:1', text: { a: 1 } }, undefined],
  ])('refuses %s with 400 and a message, no stack trace', async (_label, body, raw) => {
    const res = await post(body, raw);
    expect(res.status).toBe(400);
    expect(res.json.message).toEqual(expect.any(String));
    expect(res.text).not.toMatch(/\bat \S+ \(|node_modules/);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await post(activity({ text: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('accepts activity types it does not handle without replying', async () => {
    const a = activity({ type: 'typing' });
    expect((await post(a)).status).toBe(200);
    const b = activity({ type: 'somethingNew' });
    expect((await post(b)).status).toBe(200);
  });
});

describe('GET /healthz', () => {
  it('reports the knowledge version and entry count', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body).toMatchObject({ status: 'ok', knowledge: { version: expect.stringMatching(/^[0-9a-f]{8}$/), entries: expect.any(Number) } });
    expect(body.knowledge.entries).toBeGreaterThanOrEqual(40);
    expect(body.storage).toEqual({ kind: 'memory', status: 'ok' });
  });
});

describe('faults', () => {
  it('apologises in the user\'s language when a turn fails, logs it with the conversation id, and shows no stack', async () => {
    const mem = memoryLogger();
    const failing = await startApp(testConfig(), mem.logger, {
      insights: {
        feedback: async () => undefined,
        question: async () => {
          throw new Error('insights store exploded');
        },
      },
    });
    try {
      const a = activity({ text: 'zzzz qqqq', locale: 'en-US' });
      expect((await post(a, undefined, failing.url)).status).toBe(200);
      const got = await capture.waitFor(a.conversation.id, 2);
      const apology = got[got.length - 1]!;
      expect(apology.text).toMatch(/Sorry, something went wrong/);
      expect(JSON.stringify(got)).not.toMatch(/insights store exploded|\.js:\d+|\\n\s+at /);
      const logged = mem.lines().find((l) => l.msg === 'turn failed');
      expect(logged).toMatchObject({ conversationId: a.conversation.id, err: { message: 'insights store exploded' } });
    } finally {
      await failing.stop();
    }
  });

  it('keeps answering from the last good knowledge when a file breaks while it runs, and says where', async () => {
    const dir = copyKnowledge();
    const mem = memoryLogger();
    const live = await startApp(testConfig({ KNOWLEDGE_DIR: dir }), mem.logger);
    try {
      const file = path.join(dir, 'qna', 'robots-cobots.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('entries:', 'entries: [broken'));
      await waitUntil(() => mem.lines().some((l) => /NOT reloaded/.test(l.msg)), 15000);
      const report = mem.lines().find((l) => /NOT reloaded/.test(l.msg))!;
      expect(report.errors[0]).toMatch(/robots-cobots\.yaml:\d+:\d+ error: YAML syntax/);
      const a = activity({ deliveryMode: 'expectReplies', text: 'wat is een cobot' });
      const res = await post(a, undefined, live.url);
      expect(res.json.activities[0].text).toMatch(/cobot/i);

      // The whole folder gone: logged, and still answering.
      const lines = mem.lines().length;
      fs.rmSync(dir, { recursive: true, force: true });
      await waitUntil(() => mem.lines().slice(lines).some((l) => /NOT reloaded/.test(l.msg)), 15000);
      expect(mem.lines().slice(lines).find((l) => /NOT reloaded/.test(l.msg))!.errors[0]).toMatch(/knowledge folder does not exist/);
      const again = await post(activity({ deliveryMode: 'expectReplies', text: 'wat is een cobot' }), undefined, live.url);
      expect(again.json.activities[0].text).toMatch(/cobot/i);
    } finally {
      await live.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
