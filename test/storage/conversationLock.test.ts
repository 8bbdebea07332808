import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '../../src/storage/blobStore';
import { StorageConflictError, type Store } from '../../src/storage/contract';
import { ConversationBusyError, ConversationLockMiddleware } from '../../src/storage/conversationLock';
import { MemoryStore } from '../../src/storage/memoryStore';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { startAzurite, type Azurite } from '../support/azurite';
import { counterBot, runAll, storedCounter } from '../support/counterBot';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { memoryLogger } from '../support/testConfig';

const logger = memoryLogger().logger;
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-lock-'));
  dirs.push(d);
  return d;
};

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function lock(store: Store, options: { ttlMs?: number; waitMs?: number } = {}) {
  return new ConversationLockMiddleware({ leases: store, ttlMs: options.ttlMs ?? 15_000, waitMs: options.waitMs ?? 30_000, logger });
}

/** Two "instances" of the bot (own store connection, own lock middleware) on one shared backend. */
const backends: Array<[string, () => Promise<[Store, Store]>]> = [
  ['SQLite', async () => {
    const dir = tempDir();
    return [new SqliteStore(dir), new SqliteStore(dir)];
  }],
  ['Azure Blob (Azurite)', async () => {
    const container = `lock-${Math.random().toString(36).slice(2, 10)}`;
    const open = () => new BlobStore({ connectionString: azurite.connectionString, container, timeoutMs: 5000 });
    return [open(), open()];
  }],
];

describe.each(backends)('concurrent turns of one conversation on %s', (_name, open) => {
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    [a, b] = await open();
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('two simultaneous messages: both updates land', async () => {
    const one = counterBot(a, { middleware: [lock(a)] });
    const two = counterBot(b, { middleware: [lock(b)] });
    const { ok, errors } = await runAll([() => one.turn('pair'), () => two.turn('pair')]);
    expect(errors).toEqual([]);
    expect(ok).toBe(2);
    expect(await storedCounter(a, 'pair')).toBe(2);
  });

  it('20 concurrent turns over two instances: the counter ends at 20, and some turns waited', async () => {
    const lockA = lock(a);
    const lockB = lock(b);
    const one = counterBot(a, { middleware: [lockA] });
    const two = counterBot(b, { middleware: [lockB] });
    const { ok, errors } = await runAll(Array.from({ length: 20 }, (_, i) => () => (i % 2 ? one : two).turn('twenty')));
    expect(errors).toEqual([]);
    expect(ok).toBe(20);
    expect(await storedCounter(b, 'twenty')).toBe(20);
    expect(lockA.stats.waited + lockB.stats.waited).toBeGreaterThan(0);
    expect(lockA.stats.turns + lockB.stats.turns).toBe(20);
  });

  it('without the lock, eTag-checked state raises conflicts instead of losing updates', async () => {
    const one = counterBot(a);
    const two = counterBot(b);
    const { ok, errors } = await runAll(Array.from({ length: 20 }, (_, i) => () => (i % 2 ? one : two).turn('unlocked')));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof StorageConflictError)).toBe(true);
    // Every turn that did not fail is counted: nothing was lost silently.
    expect(await storedCounter(a, 'unlocked')).toBe(ok);
  });

  it('other conversations do not wait for each other', async () => {
    const lockA = lock(a);
    const one = counterBot(a, { middleware: [lockA], delayMs: 50 });
    const { errors } = await runAll(Array.from({ length: 6 }, (_, i) => () => one.turn(`solo-${i}`)));
    expect(errors).toEqual([]);
    expect(lockA.stats.waited).toBe(0);
  });
});

describe('ConversationLockMiddleware', () => {
  it('serialises turns across processes on one SQLite file (2 processes × 10 turns → 20)', async () => {
    const dir = tempDir();
    const worker = path.join(__dirname, '..', 'support', 'counterWorker.js');
    const startAt = String(Date.now() + 1500);
    const run = () =>
      new Promise<{ ok: number; errors: string[] }>((resolve, reject) => {
        const child = spawn(process.execPath, [worker, dir, 'cross', '10', startAt], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker ${child.pid} exited ${code}: ${err}`))));
      });
    const results = await Promise.all([run(), run()]);
    expect(results).toEqual([{ ok: 10, errors: [] }, { ok: 10, errors: [] }]);
    const store = new SqliteStore(dir);
    try {
      expect(await storedCounter(store, 'cross')).toBe(20);
    } finally {
      await store.close();
    }
  });

  it('takes over the lease of a crashed process once it expires', async () => {
    const store = new MemoryStore();
    expect(await store.acquireLease('test/conversations/orphan', 300)).not.toBeNull(); // never released
    const started = Date.now();
    const bot = counterBot(store, { middleware: [lock(store, { ttlMs: 300, waitMs: 5000 })] });
    await bot.turn('orphan');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await storedCounter(store, 'orphan')).toBe(1);
  });

  it('gives up after LOCK_WAIT_MS with ConversationBusyError (and runs nothing)', async () => {
    const store = new MemoryStore();
    await store.acquireLease('test/conversations/busy', 10_000);
    const bot = counterBot(store, { middleware: [lock(store, { waitMs: 200 })] });
    await expect(bot.turn('busy')).rejects.toBeInstanceOf(ConversationBusyError);
    await expect(bot.turn('busy')).rejects.toThrow(/conversation "test\/conversations\/busy" is busy.*raise LOCK_WAIT_MS/);
    expect(await storedCounter(store, 'busy')).toBe(0);
  });

  it('renews the lease while a slow turn runs, so a second turn waits for it to finish', async () => {
    const store = new MemoryStore();
    const middleware = lock(store, { ttlMs: 150, waitMs: 5000 });
    const order: string[] = [];
    const adapter = new LoopbackAdapter();
    adapter.use(middleware);
    const slow = adapter.turn({ conversation: { id: 'slow' } as never }, async () => {
      order.push('slow start');
      await new Promise((r) => setTimeout(r, 600)); // four TTLs
      order.push('slow end');
    });
    await new Promise((r) => setTimeout(r, 50));
    const quick = adapter.turn({ conversation: { id: 'slow' } as never }, async () => {
      order.push('quick');
    });
    await Promise.all([slow, quick]);
    expect(order).toEqual(['slow start', 'slow end', 'quick']);
  });

  it('releases the lease when the turn fails', async () => {
    const store = new MemoryStore();
    const adapter = new LoopbackAdapter();
    adapter.use(lock(store, { waitMs: 200 }));
    await expect(adapter.turn({ conversation: { id: 'boom' } as never }, async () => {
      throw new Error('bot failed');
    })).rejects.toThrow('bot failed');
    expect(await store.acquireLease('test/conversations/boom', 1000)).not.toBeNull();
  });
});
