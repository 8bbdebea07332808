import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { purgeExpired, retentionCutoff, startRetention } from '../../src/insights/retention';
import { runPurge } from '../../src/cli/purge';
import { MemoryStore } from '../../src/storage/memoryStore';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { memoryLogger, testConfig, waitUntil } from '../support/testConfig';
import { runNode } from '../support/run';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

async function seeded() {
  const store = new MemoryStore();
  await store.appendRecords([
    { kind: 'question', at: daysAgo(200), data: { text: 'very old' } },
    { kind: 'question', at: daysAgo(91), data: { text: 'just too old' } },
    { kind: 'question', at: daysAgo(89), data: { text: 'kept' } },
    { kind: 'feedback', at: daysAgo(120), data: { entryId: 'e', vote: 'up' } },
    { kind: 'transcript', at: daysAgo(95), data: { text: 'hi' } },
    { kind: 'transcript', at: daysAgo(1), data: { text: 'hello' } },
  ]);
  return store;
}

describe('retention', () => {
  it('cuts off at the retention period', () => {
    expect(retentionCutoff(90, NOW).toISOString()).toBe('2026-04-01T12:00:00.000Z');
  });

  it('purges questions, feedback and transcripts older than the period, and keeps the rest', async () => {
    const store = await seeded();
    const r = await purgeExpired(store, 90, NOW);
    expect(r.records).toEqual({ question: 2, feedback: 1, transcript: 1 });
    expect((await store.listRecords('question')).map((x) => x.data.text)).toEqual(['kept']);
    expect((await store.listRecords('transcript')).map((x) => x.data.text)).toEqual(['hello']);
  });

  it('runPurge reports what went, naming the setting', async () => {
    const store = await seeded();
    const out: string[] = [];
    const code = await runPurge(testConfig({ INSIGHTS_RETENTION_DAYS: '90' }), { out: (l) => out.push(l), err: (l) => out.push(`ERR ${l}`) }, { store, now: NOW });
    expect(code).toBe(0);
    expect(out).toEqual(['Deleted 2 question(s), 1 feedback vote(s), 1 transcript line(s) from before 2026-04-01, and 0 conversation/user state(s) unused since then. (INSIGHTS_RETENTION_DAYS=90)']);
  });

  it('runPurge says what to check when the store cannot be read', async () => {
    const store = await seeded();
    store.purgeRecords = async () => {
      throw new Error('container not found');
    };
    const err: string[] = [];
    expect(await runPurge(testConfig(), { out: () => undefined, err: (l) => err.push(l) }, { store })).toBe(1);
    expect(err[0]).toBe('Could not purge (container not found). Check STORAGE and its settings in .env, and that the store is reachable.');
  });

  it('runs at start-up and logs what it deleted', async () => {
    const store = new MemoryStore();
    await store.appendRecords([{ kind: 'question', at: '2020-01-01T00:00:00.000Z', data: {} }]);
    const mem = memoryLogger();
    const stop = startRetention(store, 90, mem.logger);
    try {
      await waitUntil(() => mem.lines().some((l) => /Deleted 1 question/.test(l.msg)));
      expect(await store.listRecords('question')).toEqual([]);
    } finally {
      stop();
    }
  });

  it('has its own entry point: kb purge on the configured SQLite store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-purge-'));
    const store = new SqliteStore(dir);
    await store.appendRecords([
      { kind: 'question', at: '2020-01-01T00:00:00.000Z', data: { text: 'old' } },
      { kind: 'question', at: new Date().toISOString(), data: { text: 'new' } },
    ]);
    await store.close();
    const r = await runNode(['dist/src/cli/kb.js', 'purge'], { env: { STORAGE: 'sqlite', DATA_DIR: dir, INSIGHTS_RETENTION_DAYS: '30' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Deleted 1 question\(s\), 0 feedback vote\(s\), 0 transcript line\(s\) from before \d{4}-\d{2}-\d{2}, and 0 conversation\/user state\(s\) unused since then\. \(INSIGHTS_RETENTION_DAYS=30\)\n$/);
    const again = new SqliteStore(dir);
    expect((await again.listRecords('question')).map((x) => x.data.text)).toEqual(['new']);
    await again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
