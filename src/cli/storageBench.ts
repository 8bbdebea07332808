/**
 * Measures the configured store: `node dist/src/cli/storageBench.js [--writes <n>] [--turns <n>]`.
 * State read/write latency (eTag-checked, as the bot saves), lease take/release, a batch of
 * insights, and N concurrent turns of one conversation through the conversation lock (how long
 * turns wait). Uses a scratch SQLite folder (or, with STORAGE=blob, a scratch container), never
 * the bot's own data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BotAdapter, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import type { StorageConfig } from '../config';
import { CheckedConversationState } from '../storage/checkedState';
import type { Store } from '../storage/contract';
import { ConversationLockMiddleware } from '../storage/conversationLock';
import { openStore } from '../storage/factory';
import { createLogger } from '../log/logger';
import { readConfig } from './common';

class BenchAdapter extends BotAdapter {
  async sendActivities(_c: TurnContext, a: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return a.map(() => ({ id: 'x' }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}
  run(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${s[s.length - 1]!.toFixed(2)} ms (n=${s.length})`;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function benchStore(store: Store, options: { writes: number; turns: number; workMs: number }, out: (line: string) => void): Promise<void> {
  const writes: number[] = [];
  const reads: number[] = [];
  let item = { n: 0, memory: { lang: 'nl', lastEntryId: 'cobot-cost' }, eTag: undefined as string | undefined };
  for (let i = 0; i < options.writes; i++) {
    writes.push(await time(() => store.write({ 'bench/conversations/w/': { ...item, n: i } })));
    reads.push(await time(async () => (item = (await store.read(['bench/conversations/w/']))['bench/conversations/w/'] as typeof item)));
  }
  out(`state write (eTag-checked): ${stats(writes)}`);
  out(`state read:                 ${stats(reads)}`);

  const leases: number[] = [];
  for (let i = 0; i < Math.min(200, options.writes); i++) {
    leases.push(await time(async () => store.releaseLease((await store.acquireLease(`bench/conversations/l${i}`, 15_000))!)));
  }
  out(`lease take + release:       ${stats(leases)}`);

  const batch = Array.from({ length: 100 }, (_, i) => ({ kind: 'question' as const, at: new Date().toISOString(), data: { text: `question ${i}`, lang: 'nl', decision: 'fallback', candidates: [] } }));
  const appends: number[] = [];
  for (let i = 0; i < 10; i++) appends.push(await time(() => store.appendRecords(batch)));
  out(`insights, batch of 100:     ${stats(appends)}`);

  const lock = new ConversationLockMiddleware({ leases: store, ttlMs: 15_000, waitMs: 60_000, logger: createLogger({ level: 'silent' }) });
  const state = new CheckedConversationState(store);
  const counter = state.createProperty<number>('n');
  const adapter = new BenchAdapter();
  adapter.use(lock);
  const waits: number[] = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.turns }, (_, i) => {
      const queued = Date.now();
      return adapter.run({ type: 'message', id: `t${i}`, channelId: 'bench', conversation: { id: 'busy' } as Activity['conversation'], from: { id: 'u' } as Activity['from'], recipient: { id: 'b' } as Activity['recipient'] }, async (ctx) => {
        waits.push(Date.now() - queued);
        const n = await counter.get(ctx, 0);
        await new Promise((r) => setTimeout(r, options.workMs));
        await counter.set(ctx, n + 1);
        await state.saveChanges(ctx);
      });
    }),
  );
  const key = 'bench/conversations/busy/';
  const final = ((await store.read([key]))[key] as { n?: number } | undefined)?.n;
  out(`${options.turns} concurrent turns of one conversation (${options.workMs} ms of work each): all done in ${Date.now() - started} ms, counter ${final}; wait for the lock: ${stats(waits)}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { writes: { type: 'string' }, turns: { type: 'string' } } });
  const config = readConfig((l) => process.stderr.write(`${l}\n`));
  if (!config) return 2;
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-bench-'));
  const scratch: StorageConfig = { ...config.storage, dataDir: scratchDir, blobContainer: `bench-${Date.now()}` };
  const store = openStore(scratch);
  process.stdout.write(`${store.description} (scratch), Node ${process.version}\n`);
  try {
    await benchStore(store, { writes: Number(values.writes ?? 2000), turns: Number(values.turns ?? 20), workMs: 20 }, (l) => process.stdout.write(`${l}\n`));
  } finally {
    await store.close();
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
