import { DialogTestClient } from 'botbuilder-testing';
import { ConversationState, MemoryStorage, type TurnContext, UserState } from 'botbuilder';
import { MainDialog, type ConversationMemory, type UserProfile } from '../../dialogs/mainDialog';
import { setTurnRequest } from '../../dialogs/turnRequest';
import { buildTurnRequest } from '../../src/bot/advisorBot';
import { InsightsWriter } from '../../src/insights/insightsWriter';
import { pseudonym } from '../../src/insights/records';
import type { RecordStore, Store } from '../../src/storage/contract';
import { MemoryStore } from '../../src/storage/memoryStore';
import { ResilientStore } from '../../src/storage/resilientStore';
import { StoreHealth } from '../../src/storage/storeHealth';
import { shippedSnapshot } from '../support/dialogHarness';
import { memoryLogger } from '../support/testConfig';

const event = { text: 'Ik ben Jan de Vries, bel 06-12345678: wat kost een robotlas-cel?', lang: 'nl' as const, decision: 'fallback', candidates: [{ id: 'cobot-cost', score: 0.2345678 }, { id: 'a', score: 0.1 }, { id: 'b', score: 0.1 }, { id: 'c', score: 0.1 }, { id: 'd', score: 0.1 }, { id: 'e', score: 0.05 }], conversationId: 'webchat-conv-42' };

describe('InsightsWriter (the InsightsSink on the store)', () => {
  it('stores questions redacted, with language, date, decision and candidates; the conversation only as a pseudonym', async () => {
    const store = new MemoryStore();
    const writer = new InsightsWriter({ store, logger: memoryLogger().logger, now: () => new Date('2026-05-04T03:02:01.000Z') });
    await writer.question(event);
    await writer.flush();
    expect(await store.listRecords('question')).toEqual([
      {
        kind: 'question',
        at: '2026-05-04T03:02:01.000Z',
        data: {
          text: 'Ik ben [name], bel [phone]: wat kost een robotlas-cel?',
          lang: 'nl',
          decision: 'fallback',
          candidates: [{ id: 'cobot-cost', score: 0.235 }, { id: 'a', score: 0.1 }, { id: 'b', score: 0.1 }, { id: 'c', score: 0.1 }, { id: 'd', score: 0.1 }],
          conversation: pseudonym('webchat-conv-42'),
        },
      },
    ]);
    expect(pseudonym('webchat-conv-42')).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(await store.listRecords('question'))).not.toMatch(/Jan|12345678|webchat-conv-42/);
    await writer.close();
  });

  it('accepts any decision name (near-miss) and stores feedback per entry', async () => {
    const store = new MemoryStore();
    const writer = new InsightsWriter({ store, logger: memoryLogger().logger });
    await writer.question({ ...event, decision: 'near-miss' });
    await writer.feedback({ entryId: 'cobot-cost', vote: 'down', lang: 'en', conversationId: 'c' });
    await writer.close();
    expect((await store.listRecords('question'))[0]!.data.decision).toBe('near-miss');
    expect((await store.listRecords('feedback'))[0]!.data).toEqual({ entryId: 'cobot-cost', vote: 'down', lang: 'en', conversation: pseudonym('c') });
  });

  it('returns before anything is written: the write happens after the turn', async () => {
    let release!: () => void;
    const slow: RecordStore = {
      appendRecords: () => new Promise<void>((r) => (release = r)),
      listRecords: async () => [],
      purgeRecords: async () => ({ question: 0, feedback: 0, transcript: 0 }),
    };
    const writer = new InsightsWriter({ store: slow, logger: memoryLogger().logger, flushDelayMs: 0 });
    await writer.question(event); // resolves although the store has not answered
    expect(writer.queued).toBe(1);
    const flushed = writer.flush();
    await new Promise((r) => setImmediate(r));
    release();
    await flushed;
    expect(writer.stats.written).toBe(1);
  });

  it('never throws into the turn: a failing store is logged, and the records wait', async () => {
    const failing: RecordStore = {
      appendRecords: async () => {
        throw new Error('disk full');
      },
      listRecords: async () => [],
      purgeRecords: async () => ({ question: 0, feedback: 0, transcript: 0 }),
    };
    const mem = memoryLogger();
    const writer = new InsightsWriter({ store: failing, logger: mem.logger, maxQueued: 3 });
    for (let i = 0; i < 5; i++) await expect(writer.question(event)).resolves.toBeUndefined();
    await writer.flush();
    await writer.flush();
    expect(writer.queued).toBe(3);
    expect(writer.stats.dropped).toBe(2);
    expect(mem.lines().filter((l) => /could not write insights/.test(l.msg))).toHaveLength(1);
    await writer.close();
  });

  it('is fed by the real MainDialog: a fallback turn is logged (redacted) with its candidates', async () => {
    const store = new MemoryStore();
    const writer = new InsightsWriter({ store, logger: memoryLogger().logger });
    const conversationState = new ConversationState(new MemoryStorage());
    const memory = conversationState.createProperty<ConversationMemory>('memory');
    const profile = new UserState(new MemoryStorage()).createProperty<UserProfile>('profile');
    const snapshot = shippedSnapshot();
    const dialog = new MainDialog({ memory, profile, insights: writer });
    const prepare = {
      onTurn: async (context: TurnContext, next: () => Promise<void>) => {
        setTurnRequest(context, await buildTurnRequest(context, { knowledge: () => snapshot, memory, maxMessageChars: 2000 }));
        await next();
      },
    };
    const client = new DialogTestClient('test', dialog, undefined, [prepare], conversationState);
    await client.sendActivity('blorp fizzbang, mail me op jan@example.nl');
    await writer.close();
    const [q] = await store.listRecords('question');
    expect(q!.data).toMatchObject({ text: 'blorp fizzbang, mail me op [email]', decision: 'fallback', lang: expect.stringMatching(/^(nl|en)$/) });
    expect(Array.isArray(q!.data.candidates)).toBe(true);
  });
});

describe('InsightsWriter during a storage outage', () => {
  function flakyStore(): { store: Store; down: (d: boolean) => void } {
    const inner = new MemoryStore();
    let down = false;
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function' || prop === 'close') return v;
        return (...args: unknown[]) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : v.apply(target, args));
      },
    });
    return { store, down: (d) => (down = d) };
  }
  function setup() {
    let clock = 0;
    const mem = memoryLogger('debug');
    const health = new StoreHealth({ storeName: 'test', timeoutMs: 1000, retryMs: 5000, logger: mem.logger, now: () => clock });
    const f = flakyStore();
    return { store: new ResilientStore(f.store, health), f, advance: (ms: number) => (clock += ms) };
  }

  it('keeps insights in memory while the store is down and writes them when it is back', async () => {
    const { store, f, advance } = setup();
    const mem = memoryLogger('debug');
    const writer = new InsightsWriter({ store, logger: mem.logger, retryDelayMs: 60_000 });
    f.down(true);
    await writer.question({ text: 'waar vind ik een fieldlab', lang: 'nl', decision: 'fallback', candidates: [], conversationId: 'c' });
    await writer.flush();
    expect(writer.queued).toBe(1);
    f.down(false);
    advance(6000);
    await writer.flush();
    expect(writer.queued).toBe(0);
    expect((await store.listRecords('question')).map((r) => r.data.text)).toEqual(['waar vind ik een fieldlab']);
    expect(mem.lines().some((l) => /insights are written again/.test(l.msg))).toBe(true);
    await writer.close();
  });
});
