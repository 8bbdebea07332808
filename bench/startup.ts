/**
 * Part 3, start-up and reload: process start → ready (knowledge loaded and indexed, port open:
 * GET /healthz answers), for our bot and for the echo bot; a hot reload after an editor's edit
 * (a copy of knowledge/ in a temp folder, an answer changed, /healthz polled until the knowledge
 * version changes); and, when the e2e part did not run, our bot's RSS after warm-up and under load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './context';
import { startEcho, startOurs, type FullGc } from './bots';
import { liveHeap, loadQuestions, type MemoryResult } from './e2e';
import { keepAliveAgent, runLoad, startCaptureServer } from './load';
import { getJson, rssMb, type Child } from './processes';
import { median, round, spread } from './stats';

export interface StartupResult {
  readonly ours: { readonly samplesMs: readonly number[]; readonly medianMs: number | null; readonly wide: boolean };
  readonly echo: { readonly samplesMs: readonly number[]; readonly medianMs: number | null; readonly wide: boolean };
  readonly reload: { readonly samplesMs: readonly number[]; readonly medianMs: number | null; readonly wide: boolean; readonly pollMs: number; readonly edit: string };
  readonly memory: MemoryResult | null;
}

/** The knowledge folder's poll interval when KNOWLEDGE_POLL_MS is not set (src/config). */
const DEFAULT_POLL_MS = 500;

/** Appends a sentence to the first line of the first Dutch answer in knowledge/qna (a copy!). */
export function editAnswer(knowledgeDir: string, n: number): string {
  const qna = path.join(knowledgeDir, 'qna');
  for (const f of fs.readdirSync(qna).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const file = path.join(qna, f);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i + 2 < lines.length; i++) {
      if (/^\s+answer:\s*$/.test(lines[i]!) && /^\s+nl:\s*[|>][-+]?\s*$/.test(lines[i + 1]!) && lines[i + 2]!.trim()) {
        lines[i + 2] = `${lines[i + 2]} Bewerkt ${n}.`;
        fs.writeFileSync(file, lines.join('\n'));
        return `qna/${f}:${i + 3}`;
      }
    }
  }
  throw new Error(`no answer to edit in ${qna}`);
}

async function version(port: number): Promise<string | null> {
  const r = await getJson(port, '/healthz', 1000);
  return r?.status === 200 ? String(r.body?.knowledge?.version ?? '') : null;
}

/** Our bot's RSS after warm-up and after `seconds` of load (concurrency 8), read every few seconds. */
async function measureMemory(ctx: BenchContext, child: Child, seconds: number, fullGcs: readonly FullGc[]): Promise<MemoryResult> {
  const capture = await startCaptureServer();
  const agent = keepAliveAgent();
  const questions = loadQuestions(ctx);
  try {
    await runLoad({ port: child.port, agent, concurrency: 8, durationMs: 2000, mode: 'serviceUrl', serviceUrl: capture.url, questions, conversationPrefix: 'mem-warm' });
    await new Promise((r) => setTimeout(r, 200));
    const loadStart = performance.now();
    const warm = rssMb(child.pid);
    const samples: Array<{ loadSeconds: number; rssMb: number | null }> = [{ loadSeconds: 0, rssMb: round(warm, 1) }];
    let done = 0;
    for (let k = 0; done < seconds * 1000; k++) {
      const ms = Math.min(3000, seconds * 1000 - done);
      await runLoad({ port: child.port, agent, concurrency: 8, durationMs: ms, mode: k % 2 ? 'expectReplies' : 'serviceUrl', serviceUrl: capture.url, questions, conversationPrefix: `mem-${k}`, offset: k * 97 });
      done += ms;
      samples.push({ loadSeconds: round(done / 1000, 1)!, rssMb: round(rssMb(child.pid), 1) });
    }
    await new Promise((r) => setTimeout(r, 200));
    const after = rssMb(child.pid);
    return {
      rssAfterWarmupMb: round(warm, 1),
      rssAfterLoadMb: round(after, 1),
      peakRssMb: round(Math.max(...samples.map((x) => x.rssMb ?? 0)), 1),
      growthMb: round(after - warm, 1),
      liveHeap: liveHeap(fullGcs.filter((g) => g.at >= loadStart)),
      loadSeconds: round(done / 1000, 1)!, samples, measuredOn: 'a bot on a copy of the shipped knowledge (start-up part)' };
  } finally {
    agent.destroy();
    await capture.close();
  }
}

export async function runStartup(ctx: BenchContext, partBudgetSeconds: number, o: { memory: boolean }): Promise<StartupResult> {
  const partEnd = performance.now() + partBudgetSeconds * 1000;
  const left = () => (partEnd - performance.now()) / 1000;
  const wanted = ctx.options.quick ? 1 : 3;
  const reloads: number[] = [];
  let edit = '';
  let memory: MemoryResult | null = null;

  // Hot reload on a copy of the knowledge.
  const copy = path.join(ctx.tmp(), 'knowledge-copy');
  fs.cpSync(ctx.knowledgeDir, copy, { recursive: true });
  ctx.progress('start-up: our bot on a copy of knowledge/ (KNOWLEDGE_DIR), for the hot reload');
  const fullGcs: FullGc[] = [];
  const bot = await startOurs(ctx, { knowledgeDir: copy, name: 'our bot (knowledge copy)', fullGcs: o.memory ? fullGcs : undefined });
  try {
    const first = await version(bot.port);
    if (!first) throw new Error('/healthz of the bot on the knowledge copy has no knowledge version');
    let current: string = first;
    for (let n = 1; n <= wanted; n++) {
      if (n > 1 && left() < 8) {
        ctx.note(`start-up: ${n - 1} reload(s) measured instead of ${wanted} (time budget)`);
        break;
      }
      edit = editAnswer(copy, n);
      const t0 = performance.now();
      let v: string = current;
      while (v === current) {
        if (performance.now() - t0 > 30000) throw new Error(`the knowledge version did not change within 30 s of editing ${edit}`);
        await new Promise((r) => setTimeout(r, 20));
        v = (await version(bot.port)) ?? current;
      }
      reloads.push(performance.now() - t0);
      current = v;
      ctx.progress(`start-up: reload ${n}/${wanted} after editing ${edit}: ${Math.round(reloads[reloads.length - 1]!)} ms`);
    }
    if (o.memory) {
      const seconds = ctx.options.loadSeconds;
      if (left() < seconds + 5) ctx.note('memory: not measured in the start-up part (time budget)');
      else {
        ctx.progress(`start-up: our bot's RSS after warm-up and after ${seconds} s of load`);
        memory = await measureMemory(ctx, bot, seconds, fullGcs);
      }
    }
  } finally {
    await bot.stop();
  }

  // More starts until there are enough samples (the e2e part's starts count too).
  while (ctx.starts.ours.length < wanted && left() > 10) {
    const b = await startOurs(ctx);
    await b.stop();
    ctx.progress(`start-up: our bot ready in ${Math.round(b.readyMs)} ms`);
  }
  while (ctx.starts.echo.length < wanted && left() > 3) {
    const b = await startEcho(ctx);
    await b.stop();
    ctx.progress(`start-up: echo bot ready in ${Math.round(b.readyMs)} ms`);
  }
  const summary = (xs: readonly number[]) => ({ samplesMs: xs.map((x) => round(x, 0)!), medianMs: round(median(xs), 0), wide: spread(xs).wide });
  return {
    ours: summary(ctx.starts.ours),
    echo: summary(ctx.starts.echo),
    reload: { ...summary(reloads), pollMs: DEFAULT_POLL_MS, edit },
    memory,
  };
}
