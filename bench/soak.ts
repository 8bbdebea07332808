/**
 * `npm run soak`: many conversations at once for a minute against our bot, over loopback, after a
 * warm-up — does it hold? Our bot runs as a child process on the embedded defaults (state in
 * SQLite in a temp folder, rate limits off: all the load comes from one address), replies go to a
 * capture server in this process (the activities' serviceUrl, as a channel's connector).
 *
 * Checks: no request failed; every answered message got its reply at the capture server (a reply
 * whose replyToId is the message's id); p99 latency within a bound; RSS after the run at most a
 * few MB above RSS after the warm-up. The live heap after each full GC is reported beside RSS (a
 * leak shows there first). Prints a summary, writes bench/results/soak.json, exits 1 when a check
 * fails and 2 when the soak could not run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { numberOption, parseOptions } from './bench';
import { startOurs, type FullGc } from './bots';
import { BenchContext } from './context';
import { liveHeap, loadQuestions } from './e2e';
import { keepAliveAgent, runLoad, startCaptureServer } from './load';
import { killAllNow, rssMb, stopAll } from './processes';
import { percentile, round } from './stats';

export const HELP = `Usage: npm run soak [-- options]

Runs our bot as a child process on 127.0.0.1 and keeps many conversations busy at once (each a
virtual user who waits for the answer before the next message), first for a warm-up, then for the
soak itself. Prints a summary, writes bench/results/soak.json.

Checks (exit 1 when one fails, 2 when the soak could not run):
  errors      every message answered with HTTP 200
  delivered   every answered message got its reply at the serviceUrl (replyToId = message id)
  p99         p99 latency of the soak at most --p99-ms
  memory      RSS at the end at most --rss-growth-mb above RSS after the warm-up

Options:
  --conversations <n>   Conversations at once (default 32)
  --seconds <n>         Length of the soak (default 60)
  --warmup <n>          Seconds of the same load before RSS is first read (default 20)
  --p99-ms <n>          Bound of the p99 latency (default 1000)
  --rss-growth-mb <n>   Bound of the RSS growth after the warm-up (default 20)
  --node-flags=<flags>  Node flags for the bot after those of npm start (which win otherwise),
                        e.g. --node-flags=--max-old-space-size=512
  --out <file>          Results file (default bench/results/soak.json)
  -h, --help            This text
`;

export interface SoakOptions {
  readonly conversations: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly p99Ms: number;
  readonly rssGrowthMb: number;
  readonly nodeFlags: readonly string[];
  readonly out: string;
}

export function parseSoakOptions(argv: readonly string[], repo: string): SoakOptions | { help: true } | { error: string } {
  try {
    const { values: v } = parseArgs({
      args: [...argv],
      options: {
        conversations: { type: 'string' },
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        'p99-ms': { type: 'string' },
        'rss-growth-mb': { type: 'string' },
        'node-flags': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (v.help) return { help: true };
    return {
      conversations: numberOption('conversations', v.conversations, 32, 1, 512),
      seconds: numberOption('seconds', v.seconds, 60, 1, 3600),
      warmupSeconds: numberOption('warmup', v.warmup, 20, 1, 600),
      p99Ms: numberOption('p99-ms', v['p99-ms'], 1000, 1, 60000),
      rssGrowthMb: numberOption('rss-growth-mb', v['rss-growth-mb'], 20, 0, 100000),
      nodeFlags: (v['node-flags'] ?? '').split(/\s+/).filter(Boolean),
      out: path.resolve(v.out ?? path.join(repo, 'bench/results/soak.json')),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export interface SoakInterval {
  /** Seconds since the soak (not the warm-up) began, at the end of the interval. */
  readonly atSeconds: number;
  readonly messages: number;
  readonly p99Ms: number | null;
  readonly rssMb: number | null;
}

export interface SoakResult {
  readonly options: Omit<SoakOptions, 'out'>;
  readonly machine: { readonly cores: number; readonly node: string };
  readonly messages: number;
  readonly messagesPerSecond: number;
  readonly errors: number;
  readonly firstError: string | null;
  /** Answered messages without a reply at the capture server. */
  readonly undelivered: number;
  readonly replies: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly rssAfterWarmupMb: number | null;
  readonly rssEndMb: number | null;
  readonly rssPeakMb: number | null;
  readonly liveHeap: ReturnType<typeof liveHeap>;
  readonly intervals: readonly SoakInterval[];
}

export interface SoakCheck {
  readonly id: 'errors' | 'delivered' | 'p99' | 'memory';
  readonly what: string;
  readonly actual: string;
  readonly ok: boolean;
}

export function soakChecks(r: SoakResult): SoakCheck[] {
  const growth = r.rssEndMb !== null && r.rssAfterWarmupMb !== null ? r.rssEndMb - r.rssAfterWarmupMb : null;
  return [
    { id: 'errors', what: 'every message answered with HTTP 200', actual: r.errors ? `${r.errors} failed; first: ${r.firstError}` : `0 of ${r.messages} failed`, ok: r.errors === 0 && r.messages > 0 },
    { id: 'delivered', what: 'every answered message got its reply', actual: `${r.undelivered} without a reply; ${r.replies} replies to ${r.messages} messages`, ok: r.undelivered === 0 && r.messages > 0 },
    { id: 'p99', what: `p99 latency ≤ ${r.options.p99Ms} ms`, actual: r.p99Ms === null ? '—' : `${r.p99Ms} ms (p50 ${r.p50Ms} ms, max ${r.maxMs} ms)`, ok: r.p99Ms !== null && r.p99Ms <= r.options.p99Ms },
    {
      id: 'memory',
      what: `RSS growth after the warm-up ≤ ${r.options.rssGrowthMb} MB`,
      actual: growth === null ? 'not measured (no /proc here)' : `${round(growth, 1)} MB (${r.rssAfterWarmupMb} → ${r.rssEndMb} MB, peak ${r.rssPeakMb} MB)`,
      ok: growth !== null && growth <= r.options.rssGrowthMb,
    },
  ];
}

export function formatSoak(r: SoakResult, checks: readonly SoakCheck[]): string {
  const lines = [
    `Soak: ${r.options.conversations} conversations for ${r.options.seconds} s after a ${r.options.warmupSeconds} s warm-up; ${r.machine.cores} cores, Node ${r.machine.node}${r.options.nodeFlags.length ? `, bot flags ${r.options.nodeFlags.join(' ')}` : ''}`,
    `${r.messages} messages (${r.messagesPerSecond} a second), ${r.replies} replies; live heap after full GCs ${r.liveHeap.firstMb ?? '—'} → ${r.liveHeap.lastMb ?? '—'} MB (max ${r.liveHeap.maxMb ?? '—'} MB, ${r.liveHeap.fullGcs} full GCs)`,
    '',
    '  seconds  messages      p99     RSS',
    ...r.intervals.map((i) => `  ${String(i.atSeconds).padStart(7)}  ${String(i.messages).padStart(8)}  ${(i.p99Ms === null ? '—' : `${i.p99Ms} ms`).padStart(7)}  ${i.rssMb === null ? '—' : `${i.rssMb} MB`}`),
    '',
    ...checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.what}: ${c.actual}`),
  ];
  return lines.join('\n');
}

const INTERVAL_SECONDS = 10;

export async function runSoak(o: SoakOptions, repo: string, write: (line: string) => void): Promise<SoakResult> {
  const benchOptions = parseOptions([], repo);
  if ('help' in benchOptions || 'error' in benchOptions) throw new Error('the benchmark defaults did not parse');
  const ctx = new BenchContext(benchOptions, repo, write);
  const capture = await startCaptureServer();
  const agent = keepAliveAgent();
  const fullGcs: FullGc[] = [];
  try {
    ctx.progress('soak: starting our bot');
    const bot = await startOurs(ctx, { name: 'our bot', fullGcs, nodeFlags: o.nodeFlags });
    const questions = loadQuestions(ctx);
    let offset = 0;
    const load = (seconds: number, onAnswered?: (id: string) => void) =>
      runLoad({ port: bot.port, agent, concurrency: o.conversations, durationMs: seconds * 1000, mode: 'serviceUrl', serviceUrl: capture.url, questions, conversationPrefix: 'soak', offset: (offset += 131), onAnswered });

    ctx.progress(`soak: warm-up, ${o.warmupSeconds} s`);
    const warm = await load(o.warmupSeconds);
    if (warm.errors) throw new Error(`${warm.errors} error(s) during the warm-up: ${warm.firstError}`);
    const rssAfterWarmup = rssMb(bot.pid);
    const soakStart = performance.now();

    capture.track(true);
    const answered: string[] = [];
    const latencies: number[] = [];
    const intervals: SoakInterval[] = [];
    let errors = 0;
    let firstError: string | null = null;
    let rssPeak = rssAfterWarmup;
    for (let done = 0; done < o.seconds; ) {
      const seconds = Math.min(INTERVAL_SECONDS, o.seconds - done);
      const r = await load(seconds, (id) => answered.push(id));
      done += seconds;
      errors += r.errors;
      firstError ??= r.firstError;
      latencies.push(...r.latencies);
      const rss = rssMb(bot.pid);
      if (rss > rssPeak) rssPeak = rss;
      intervals.push({ atSeconds: done, messages: r.completed, p99Ms: round(percentile(r.latencies, 99), 1), rssMb: round(rss, 1) });
      ctx.progress(`soak: ${done} of ${o.seconds} s: ${r.completed} messages, p99 ${round(percentile(r.latencies, 99), 1)} ms, ${r.errors} errors, RSS ${round(rss, 1)} MB`);
    }
    const soakSeconds = (performance.now() - soakStart) / 1000;
    // A reply is sent before the HTTP answer of its message: all are in once the last answer is.
    const repliesTo = capture.repliesTo();
    const undelivered = answered.filter((id) => !repliesTo.get(id)).length;
    const replies = [...repliesTo.values()].reduce((a, b) => a + b, 0);
    capture.track(false);
    const rssEnd = rssMb(bot.pid);
    return {
      options: { conversations: o.conversations, seconds: o.seconds, warmupSeconds: o.warmupSeconds, p99Ms: o.p99Ms, rssGrowthMb: o.rssGrowthMb, nodeFlags: o.nodeFlags },
      machine: { cores: os.cpus().length, node: process.version },
      messages: answered.length,
      messagesPerSecond: round(latencies.length / soakSeconds, 1)!,
      errors,
      firstError,
      undelivered,
      replies,
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(Math.max(...latencies), 1),
      rssAfterWarmupMb: round(rssAfterWarmup, 1),
      rssEndMb: round(rssEnd, 1),
      rssPeakMb: round(Math.max(rssPeak, rssEnd), 1),
      liveHeap: liveHeap(fullGcs.filter((g) => g.at >= soakStart)),
      intervals,
    };
  } finally {
    agent.destroy();
    await capture.close();
    await stopAll();
    ctx.cleanup();
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const repo = path.resolve(__dirname, '../..');
  const o = parseSoakOptions(argv, repo);
  if ('help' in o) {
    process.stdout.write(HELP);
    return 0;
  }
  if ('error' in o) {
    process.stderr.write(`${o.error}\n\n${HELP}`);
    return 2;
  }
  // Bounded whatever happens: the warm-up, the soak and a minute for starting and stopping.
  const guard = setTimeout(() => {
    process.stderr.write('soak: took too long; stopping everything\n');
    killAllNow();
    process.exit(2);
  }, (o.warmupSeconds + o.seconds + 60) * 1000);
  guard.unref();
  const stop = () => {
    killAllNow();
    process.exit(2);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const result = await runSoak(o, repo, (l) => process.stderr.write(`${l}\n`));
  const checks = soakChecks(result);
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, `${JSON.stringify({ ...result, checks }, null, 2)}\n`);
  process.stdout.write(`${formatSoak(result, checks)}\n`);
  clearTimeout(guard);
  return checks.every((c) => c.ok) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`soak: ${(e as Error).message}\n`);
      killAllNow();
      process.exit(2);
    },
  );
}
