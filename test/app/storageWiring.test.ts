/**
 * The composition root wires the storage layer: the configured store, eTag-checked state, the
 * storage scope and lock middleware, the insights on the store, transcripts only when asked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TranscriptLoggerMiddleware, type TurnContext } from 'botbuilder';
import { createBotCore, startApp } from '../../src/app';
import { CheckedConversationState } from '../../src/storage/checkedState';
import { ConversationLockMiddleware } from '../../src/storage/conversationLock';
import { StorageTurnMiddleware } from '../../src/storage/storageTurn';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { memoryLogger, testConfig } from '../support/testConfig';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sia-wiring-'));

describe('createBotCore and storage', () => {
  it('uses SQLite in DATA_DIR by default, says so in the log, and keeps the bot\'s state and insights there', async () => {
    const dir = tmp();
    const mem = memoryLogger();
    const core = createBotCore(testConfig({ STORAGE: 'sqlite', DATA_DIR: dir }), mem.logger);
    expect(core.conversationState).toBeInstanceOf(CheckedConversationState);
    expect(core.middleware.map((m) => m.constructor)).toEqual([StorageTurnMiddleware, ConversationLockMiddleware]);
    expect(mem.lines().find((l) => l.storage === 'sqlite')?.msg).toBe(`storage: SQLite (WAL) at ${path.join(dir, 'advisor.sqlite')}`);

    const adapter = new LoopbackAdapter();
    core.middleware.forEach((m) => adapter.use(m));
    const logic = (c: TurnContext) => core.bot.run(c);
    await adapter.turn({ conversation: { id: 'w1' } as never, text: 'What is a digital twin?' }, logic);
    await adapter.turn({ conversation: { id: 'w1' } as never, text: 'blorp fizzbang, my name is John Smith' }, logic);
    await core.close();
    core.store.stop();

    const store = new SqliteStore(dir);
    try {
      const state = (await store.read(['test/conversations/w1/']))['test/conversations/w1/'] as any;
      expect(state.memory.lang).toBe('en');
      const [q] = await store.listRecords('question');
      expect(q!.data).toMatchObject({ text: 'blorp fizzbang, my name is [name]', decision: 'fallback', lang: 'en' });
    } finally {
      await store.close();
    }
  });

  it('adds the redacting transcript logger only with TRANSCRIPTS=on', async () => {
    const off = createBotCore(testConfig(), memoryLogger().logger);
    expect(off.middleware.some((m) => m instanceof TranscriptLoggerMiddleware)).toBe(false);
    await off.close();
    off.store.stop();
    const mem = memoryLogger();
    const on = createBotCore(testConfig({ TRANSCRIPTS: 'on' }), mem.logger);
    expect(on.middleware[on.middleware.length - 1]).toBeInstanceOf(TranscriptLoggerMiddleware);
    expect(mem.lines().some((l) => /TRANSCRIPTS=on: redacted transcripts are kept for 90 days/.test(l.msg))).toBe(true);
    await on.close();
    on.store.stop();
  });

  it('logs that a multi-instance deployment needs Azure Direct Line or sticky sessions with STORAGE=blob', async () => {
    const mem = memoryLogger();
    const core = createBotCore(testConfig({ STORAGE: 'blob', STORAGE_BLOB_CONNECTION_STRING: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;' }), mem.logger);
    expect(mem.lines().find((l) => l.storage === 'blob')?.msg).toBe('storage: Azure Blob Storage, container "smart-industry-advisor" at http://127.0.0.1:9/devstoreaccount1');
    expect(mem.lines().some((l) => /several instances, the web widget needs Azure Direct Line or sticky sessions/.test(l.msg))).toBe(true);
    await core.close();
    core.store.stop();
  });

  it('startApp purges old insights at start-up and closes the store on stop', async () => {
    const dir = tmp();
    const seed = new SqliteStore(dir);
    await seed.appendRecords([{ kind: 'question', at: '2020-01-01T00:00:00.000Z', data: { text: 'old' } }]);
    await seed.close();
    const mem = memoryLogger();
    const app = await startApp(testConfig({ STORAGE: 'sqlite', DATA_DIR: dir }), mem.logger);
    try {
      const deadline = Date.now() + 5000;
      while (!mem.lines().some((l) => /Deleted 1 question/.test(l.msg)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(mem.lines().some((l) => /Deleted 1 question/.test(l.msg))).toBe(true);
    } finally {
      await app.stop();
    }
    const after = new SqliteStore(dir);
    expect(await after.listRecords('question')).toEqual([]);
    await after.close();
  });

  it('keeps redacted transcripts of real HTTP conversations with TRANSCRIPTS=on (user and bot sides)', async () => {
    const dir = tmp();
    const app = await startApp(testConfig({ STORAGE: 'sqlite', DATA_DIR: dir, TRANSCRIPTS: 'on' }), memoryLogger().logger);
    try {
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: 'tr-1' }, from: { id: 'u-1', name: 'Jan de Vries' }, recipient: { id: 'bot' }, locale: 'nl-NL', text: 'Hoi, ik ben Jan de Vries. Wat is een cobot?' }),
      });
      expect(res.status).toBe(200);
    } finally {
      await app.stop(); // writes what is queued
    }
    const store = new SqliteStore(dir);
    try {
      const lines = (await store.listRecords('transcript')).map((r) => r.data);
      expect(lines[0]).toMatchObject({ role: 'user', text: 'Hoi, ik ben [name]. Wat is een cobot?' });
      expect(lines.slice(1).length).toBeGreaterThan(0);
      expect(lines.slice(1).every((l) => l.role === 'bot')).toBe(true);
      expect(JSON.stringify(lines)).not.toMatch(/Jan|u-1|tr-1/);
    } finally {
      await store.close();
    }
  });
});
