import { NOT_STORED, StorageConflictError, type Store } from '../../src/storage/contract';
import { ConversationLockMiddleware } from '../../src/storage/conversationLock';
import { MemoryStore } from '../../src/storage/memoryStore';
import { isUnguarded, ResilientStore } from '../../src/storage/resilientStore';
import { StorageTurnMiddleware, storageFailedThisTurn, takeStorageNotice } from '../../src/storage/storageTurn';
import { StorageUnavailableError, StoreHealth } from '../../src/storage/storeHealth';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { counterBot, storedCounter } from '../support/counterBot';
import { memoryLogger } from '../support/testConfig';

/** A MemoryStore that can be unplugged: while down, every call fails like a refused connection. */
function flaky(): { store: Store; calls: () => number; down: (d: boolean) => void; hang: (h: boolean) => void } {
  const inner = new MemoryStore();
  let down = false;
  let hang = false;
  let calls = 0;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'close') return v;
      return (...args: unknown[]) => {
        calls++;
        if (hang) return new Promise(() => undefined);
        if (down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:10000'));
        return v.apply(target, args);
      };
    },
  });
  return { store, calls: () => calls, down: (d) => (down = d), hang: (h) => (hang = h) };
}

function setup(options: { timeoutMs?: number } = {}) {
  const mem = memoryLogger('debug');
  let clock = 1_000_000;
  const health = new StoreHealth({ storeName: 'the test store', timeoutMs: options.timeoutMs ?? 1000, retryMs: 5000, logger: mem.logger, now: () => clock });
  const f = flaky();
  const store = new ResilientStore(f.store, health);
  return { mem, health, store, f, advance: (ms: number) => (clock += ms) };
}

const errors = (mem: ReturnType<typeof memoryLogger>) => mem.lines().filter((l) => l.level === 'error');

describe('ResilientStore and StoreHealth (the breaker)', () => {
  it('passes calls through while the store is healthy', async () => {
    const { store, health } = setup();
    await store.write({ k: { n: 1 } });
    expect((await store.read(['k'])).k!.n).toBe(1);
    expect(health.degraded).toBe(false);
  });

  it('goes stateless when the store fails: reads find nothing, writes are skipped, the cause is logged once', async () => {
    const { store, health, f, mem } = setup();
    await store.write({ k: { n: 1 } });
    f.down(true);
    expect(await store.read(['k'])).toEqual({});
    await store.write({ k: { n: 2 } });
    await store.delete(['k']);
    expect(health.degraded).toBe(true);
    expect(health.cause).toMatch(/ECONNREFUSED/);
    const logged = errors(mem);
    expect(logged).toHaveLength(1);
    expect(logged[0].msg).toMatch(/storage unreachable \(connect ECONNREFUSED .*\); the bot goes on without remembering conversations and tries the store again every 5 s\. Check that the test store is up and reachable\./);
    // While the breaker is open the store is not even tried.
    expect(f.calls()).toBe(2); // the healthy write, then the failed read; nothing after
  });

  it('tries again after STORAGE_RETRY_MS and recovers by itself, logging it once', async () => {
    const { store, health, f, mem, advance } = setup();
    await store.write({ k: { n: 1 } });
    f.down(true);
    await store.read(['k']);
    advance(5001);
    await store.read(['k']); // a probe: still down
    expect(health.degraded).toBe(true);
    expect(errors(mem)).toHaveLength(1);
    f.down(false);
    await store.read(['k']); // within the next retry window: not tried
    expect(health.degraded).toBe(true);
    advance(5001);
    expect((await store.read(['k'])).k!.n).toBe(1);
    expect(health.degraded).toBe(false);
    expect(mem.lines().filter((l) => /storage is reachable again after 10 s/.test(l.msg))).toHaveLength(1);
    expect(health.outages).toBe(1);
  });

  it('treats a conflict as the answer of a healthy store', async () => {
    const { store, health } = setup();
    await store.write({ k: { n: 1 } });
    await expect(store.write({ k: { n: 2, eTag: NOT_STORED } })).rejects.toBeInstanceOf(StorageConflictError);
    expect(health.degraded).toBe(false);
  });

  it('counts a call that hangs longer than STORAGE_TIMEOUT_MS as a failure', async () => {
    const { store, health, f, mem } = setup({ timeoutMs: 100 });
    f.hang(true);
    expect(await store.read(['k'])).toEqual({});
    expect(health.degraded).toBe(true);
    expect(errors(mem)[0].msg).toMatch(/reading state took longer than 100 ms \(STORAGE_TIMEOUT_MS\)/);
  });

  it('marks exactly the turn that was let down, and skips its later writes even after recovery', async () => {
    const { store, health, f, advance } = setup();
    await health.runTurn('test/conversations/a', async (turn) => {
      f.down(true);
      expect(await store.read(['k'])).toEqual({});
      expect(turn.degraded).toBe(true);
      f.down(false);
      advance(6000);
      await store.write({ k: { n: 'from a turn that started empty' } });
    });
    expect(await store.read(['k'])).toEqual({});
    await health.runTurn('test/conversations/b', async (turn) => {
      await store.write({ k: { n: 1 } });
      expect(turn.degraded).toBe(false);
    });
    expect((await store.read(['k'])).k!.n).toBe(1);
  });

  it('grants an unguarded lease while the store is down, so turns go on', async () => {
    const { store, f } = setup();
    f.down(true);
    const lease = await store.acquireLease('test/conversations/x', 1000);
    expect(lease && isUnguarded(lease)).toBe(true);
    expect(await store.renewLease(lease!, 1000)).toBe(true);
    await store.releaseLease(lease!);
  });

  it('refuses insights calls with StorageUnavailableError, so their caller can keep the records', async () => {
    const { store, f } = setup();
    f.down(true);
    await expect(store.appendRecords([{ kind: 'question', at: new Date().toISOString(), data: {} }])).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(store.listRecords('question')).rejects.toThrow(/storage unavailable for reading question records: connect ECONNREFUSED/);
  });
});

describe('StorageTurnMiddleware: telling the user once', () => {
  function bot() {
    const ctx = setup();
    const adapter = new LoopbackAdapter();
    adapter.use(new StorageTurnMiddleware({ health: ctx.health, notice: () => 'NOTICE' }));
    adapter.use(new ConversationLockMiddleware({ leases: ctx.store, ttlMs: 1000, waitMs: 1000, logger: ctx.mem.logger }));
    const state = counterBot(ctx.store).state;
    const n = state.createProperty<number>('n');
    const logic = async (c: Parameters<Parameters<LoopbackAdapter['turn']>[1]>[0]) => {
      const v = await n.get(c, 0);
      await n.set(c, v + 1);
      await c.sendActivity(`count ${v + 1}`);
      await state.saveChanges(c);
    };
    const say = async (conversation: string) => (await adapter.turn({ conversation: { id: conversation } as never }, logic)).map((a) => a.text);
    return { ...ctx, say };
  }

  it('sends the notice before the first reply, once per conversation per outage', async () => {
    const { f, say, advance } = bot();
    expect(await say('a')).toEqual(['count 1']);
    f.down(true);
    expect(await say('a')).toEqual(['NOTICE', 'count 1']);
    expect(await say('a')).toEqual(['count 1']);
    expect(await say('b')).toEqual(['NOTICE', 'count 1']);
    f.down(false);
    advance(6000);
    expect(await say('a')).toEqual(['count 2']); // remembered again: the state from before the outage
    f.down(true);
    advance(1);
    expect(await say('a')).toEqual(['NOTICE', 'count 1']); // a new outage: told again
  });

  it('sends it after the replies when only the save at the end failed', async () => {
    const ctx = setup();
    const adapter = new LoopbackAdapter();
    adapter.use(new StorageTurnMiddleware({ health: ctx.health, notice: () => 'NOTICE' }));
    const state = counterBot(ctx.store).state;
    const n = state.createProperty<number>('n');
    const sent = await adapter.turn({ conversation: { id: 'd' } as never }, async (c) => {
      await n.set(c, (await n.get(c, 0)) + 1); // the read works
      await c.sendActivity('answer');
      ctx.f.down(true); // the save does not
      await state.saveChanges(c);
      expect(storageFailedThisTurn(c)).toBe(true);
    });
    expect(sent.map((a) => a.text)).toEqual(['answer', 'NOTICE']);
  });

  it('lets the bot take the notice itself (then the middleware stays quiet)', async () => {
    const ctx = setup();
    const adapter = new LoopbackAdapter();
    adapter.use(new StorageTurnMiddleware({ health: ctx.health, notice: () => 'NOTICE' }));
    ctx.f.down(true);
    const sent = await adapter.turn({ conversation: { id: 'e' } as never }, async (c) => {
      await ctx.store.read(['x']);
      expect(storageFailedThisTurn(c)).toBe(true);
      if (takeStorageNotice(c)) await c.sendActivity('my own words');
      expect(takeStorageNotice(c)).toBe(false);
      await c.sendActivity('answer');
    });
    expect(sent.map((a) => a.text)).toEqual(['my own words', 'answer']);
  });

  it('says nothing on turns storage did not let down', async () => {
    const ctx = setup();
    const adapter = new LoopbackAdapter();
    adapter.use(new StorageTurnMiddleware({ health: ctx.health, notice: () => 'NOTICE' }));
    const sent = await adapter.turn({ conversation: { id: 'f' } as never }, async (c) => {
      await ctx.store.read(['x']);
      expect(storageFailedThisTurn(c)).toBe(false);
      await c.sendActivity('answer');
    });
    expect(sent.map((a) => a.text)).toEqual(['answer']);
    expect(await storedCounter(ctx.store, 'f')).toBe(0);
  });
});
