/**
 * Activities the fuzz test found to fail a turn inside botbuilder (an apology and a "turn failed"
 * in the log) although they are only odd, and the trace that reached other channels than the
 * Emulator when the replies came back in the response. Against the real server.
 */
import { startApp, type App } from '../../src/app';
import { loadKnowledge } from '../../src/knowledge/loader';
import { KNOWLEDGE, memoryLogger, testConfig } from '../support/testConfig';

let app: App;
let logs: ReturnType<typeof memoryLogger>;
let seq = 0;
const apology = loadKnowledge(KNOWLEDGE).data!.ui.strings.apology!;

beforeAll(async () => {
  logs = memoryLogger();
  app = await startApp(testConfig(), logs.logger);
});

afterAll(async () => {
  await app.stop();
});

async function turn(more: Record<string, unknown>): Promise<{ status: number; activities: any[] }> {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: `edge-${++seq}` }, from: { id: 'u' }, recipient: { id: 'bot' }, locale: 'en-US', ...more }),
  });
  const body = (await res.json()) as { activities?: any[] };
  return { status: res.status, activities: body.activities ?? [] };
}

const failedTurns = () => logs.lines().filter((l) => l.msg === 'turn failed');
const apologised = (activities: any[]) => activities.some((a) => a.text === apology.en.trim() || a.text === apology.nl.trim());

describe('invokes with a value of the wrong shape', () => {
  it.each([
    ['adaptiveCard/action without an action', { channelId: 'emulator', name: 'adaptiveCard/action', value: 5 }],
    ['Teams application/search with a string value', { channelId: 'msteams', name: 'application/search', value: 'x' }],
    ['Teams fileConsent/invoke without a value', { channelId: 'msteams', name: 'fileConsent/invoke', value: null }],
    ['Teams composeExtension/submitAction without a value', { channelId: 'msteams', name: 'composeExtension/submitAction' }],
  ])('%s: a 400 invoke response, no failed turn', async (_label, more) => {
    const before = failedTurns().length;
    const res = await turn({ type: 'invoke', ...more });
    expect(res.status).toBe(200);
    expect(res.activities).toEqual([expect.objectContaining({ type: 'invokeResponse', value: expect.objectContaining({ status: 400 }) })]);
    expect(apologised(res.activities)).toBe(false);
    expect(failedTurns().length).toBe(before);
  });

  it('still answers a well-formed invoke it does not handle with 501', async () => {
    const res = await turn({ type: 'invoke', name: 'task/fetch', channelId: 'msteams', value: {} });
    expect(res.activities).toEqual([expect.objectContaining({ type: 'invokeResponse', value: expect.objectContaining({ status: 501 }) })]);
  });
});

describe('Teams activities without channelData', () => {
  it.each(['messageUpdate', 'messageDelete'])('%s passes quietly', async (type) => {
    const before = failedTurns().length;
    const res = await turn({ type, channelId: 'msteams' });
    expect(res.status).toBe(200);
    expect(apologised(res.activities)).toBe(false);
    expect(failedTurns().length).toBe(before);
  });
});

describe('the KnowledgeBase trace with replies in the response', () => {
  it('reaches the Emulator', async () => {
    const res = await turn({ channelId: 'emulator', text: 'What is a digital twin?' });
    expect(res.activities.map((a) => a.type)).toContain('trace');
  });

  it.each(['webchat', 'msteams', 'directline'])('does not reach %s', async (channelId) => {
    const res = await turn({ channelId, text: 'What is a digital twin?' });
    expect(res.activities.map((a) => a.type)).toContain('message');
    expect(res.activities.map((a) => a.type)).not.toContain('trace');
  });
});
