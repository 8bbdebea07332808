/**
 * `npm run bench`: the benchmark. Bounded in time, loopback only; starts what it needs and stops
 * it by pid; prints one table and writes bench/results/latest.json. `-- --help` explains.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BenchContext, PARTS, type BenchOptions, type PartName, type SizeSpec } from './context';
import { runE2E } from './e2e';
import { runStartup } from './startup';
import { runMatcher } from './matcherBench';
import { runAccuracy } from './accuracy';
import { cpuTicks, formatReport, goals, machine, othersShare, spreadNotes, type BenchResults } from './report';
import { killAllNow, stopAll } from './processes';

export const HELP = `Usage: npm run bench [-- options]

Measures the bot on this machine and prints one table; writes bench/results/latest.json.
Everything runs on 127.0.0.1; child processes are started on free ports and stopped by pid.
The whole run stays within --budget seconds (default 220; with the build before it, under 4 min).

Parts (in this order):
  e2e       Messages per second and p50/p99 latency through POST /api/messages, over the
            Bot Framework protocol, for our bot (node dist/src/index.js) and a bare echo bot
            on the same botbuilder + restify stack (bench/echoBot.ts), interleaved round by
            round, at each concurrency; replies to a capture server (serviceUrl) and with
            deliveryMode expectReplies. Also our bot's RSS after warm-up and after 30 s of load.
  startup   Process start → ready (/healthz) for both bots; hot reload after an edit of an
            answer (a copy of knowledge/ in a temp folder).
  matcher   Per-query p50/p99 and build time of ours, ours without the classifier, NLP.js and
            fuse.js, on the shipped knowledge and on synthetic knowledge of 1k, 10k, 100k
            questions made from the real vocabulary. Peers that would not fit the budget are
            skipped with an estimate.
  accuracy  npm run kb -- eval --peer-sample 150 (ours, NLP.js, fuse.js): the headline rows.

Options:
  --only <parts>         Comma-separated subset, e.g. --only e2e,matcher
  --quick                Short rounds, small sizes, ours-only accuracy (about a minute)
  --check                Compare with the goals; exit 1 when one is missed (for people, not CI)
  --budget <seconds>     Time budget of the run (default 220; --quick 90)
  --out <file>           Results file (default bench/results/latest.json)
  --sizes <list>         Matcher knowledge sizes (default shipped,1000,10000,100000;
                         --quick shipped,1000,10000)
  --concurrency <list>   e2e virtual users (default 1,8,32)
  --rounds <n>           e2e rounds per case and bot (default 3; --quick 1)
  --window <ms>          e2e measuring window of one round (default 1250; --quick 500)
  --load <seconds>       Load on our bot before RSS is read again (default 30; --quick 5)
  --peer-sample <n>      accuracy: questions the peers are scored on (default 150)
  --no-peers             Leave NLP.js and fuse.js out (matcher and accuracy)
  --synthetic-answers    Synthetic entries get answers too (swapped like their questions):
                         slower to build and to match; not in the default run
  -h, --help             Show this text

Goals (--check): ours/echo msg/s ≥ 0.9 at every concurrency and delivery mode; matcher p99
≤ 1 ms on the shipped knowledge and ≤ 10 ms at 100k questions, growing sublinearly; RSS ≤ 200 MB
and no growth (≤ 20 MB) under load; kb eval above its floors.

Run it on a quiet machine (check uptime): other processes change every figure.
`;

/** A numeric option's value: the fallback when absent; throws a one-line message when out of range. */
export function numberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} ${JSON.stringify(raw)}: use a number from ${min} to ${max}`);
  return n;
}

export function parseOptions(argv: readonly string[], repo: string): BenchOptions | { help: true } | { error: string } {
  let v;
  try {
    v = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        only: { type: 'string' },
        quick: { type: 'boolean' },
        check: { type: 'boolean' },
        budget: { type: 'string' },
        out: { type: 'string' },
        sizes: { type: 'string' },
        concurrency: { type: 'string' },
        rounds: { type: 'string' },
        window: { type: 'string' },
        load: { type: 'string' },
        'peer-sample': { type: 'string' },
        'no-peers': { type: 'boolean' },
        'synthetic-answers': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (v.help) return { help: true };
  const quick = Boolean(v.quick);
  try {
    const only = v.only ? v.only.split(',').map((s) => s.trim()).filter(Boolean) : [...PARTS];
    const unknown = only.filter((p) => !PARTS.includes(p as PartName));
    if (unknown.length) throw new Error(`--only: unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
    const sizes: SizeSpec[] = (v.sizes ?? (quick ? 'shipped,1000,10000' : 'shipped,1000,10000,100000')).split(',').map((s) => {
      const t = s.trim().toLowerCase();
      if (t === 'shipped') return 'shipped' as const;
      const n = Number(t.replace(/k$/, '000'));
      if (!Number.isInteger(n) || n < 10 || n > 1_000_000) throw new Error(`--sizes: "${s}" is not "shipped" or a number of questions from 10 to 1000000`);
      return n;
    });
    const concurrency = (v.concurrency ?? '1,8,32').split(',').map((s) => numberOption('concurrency', s.trim(), 1, 1, 256));
    return {
      only: PARTS.filter((p) => only.includes(p)),
      quick,
      check: Boolean(v.check),
      budgetSeconds: numberOption('budget', v.budget, quick ? 90 : 220, 10, 3600),
      out: path.resolve(v.out ?? path.join(repo, 'bench/results/latest.json')),
      sizes,
      concurrency,
      rounds: numberOption('rounds', v.rounds, quick ? 1 : 3, 1, 20),
      windowMs: numberOption('window', v.window, quick ? 500 : 1250, 100, 60000),
      loadSeconds: numberOption('load', v.load, quick ? 5 : 30, 1, 600),
      peerSample: numberOption('peer-sample', v['peer-sample'], 150, 10, 100000),
      peers: !v['no-peers'],
      syntheticAnswers: Boolean(v['synthetic-answers']),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Planned seconds per part (full run; --quick), and the least a part gets to run at all. */
const PLAN: Record<PartName, { full: number; quick: number; min: number }> = {
  e2e: { full: 62, quick: 20, min: 8 },
  startup: { full: 22, quick: 12, min: 8 },
  matcher: { full: 55, quick: 25, min: 5 },
  accuracy: { full: 60, quick: 15, min: 10 },
};

export async function main(argv: readonly string[]): Promise<number> {
  const repo = path.resolve(__dirname, '../..');
  const parsed = parseOptions(argv, repo);
  if ('help' in parsed) {
    process.stdout.write(HELP);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n\n${HELP}`);
    return 2;
  }
  const options = parsed;
  for (const f of ['dist/src/index.js', 'dist/bench/echoBot.js', 'dist/src/cli/kb.js']) {
    if (!fs.existsSync(path.join(repo, f))) {
      process.stderr.write(`${f} is missing: build first (npm run bench builds; or npm run build).\n`);
      return 2;
    }
  }
  const ticksAtStart = cpuTicks();
  const ctx = new BenchContext(options, repo);
  const results: BenchResults = {
    schema: 1,
    startedAt: ctx.startedAt.toISOString(),
    finishedAt: null,
    seconds: null,
    machine: machine(),
    options: { ...options, out: path.relative(repo, options.out) },
    e2e: null,
    matcher: null,
    startup: null,
    memory: null,
    accuracy: null,
    goals: [],
    notes: ctx.notes,
    errors: [],
  };
  const m = results.machine;
  ctx.progress(`benchmark: ${options.only.join(', ')}${options.quick ? ' (quick)' : ''}; budget ${options.budgetSeconds} s; ${m.cores} × ${m.cpuModel}, Node ${m.node}; load average ${m.loadAverage.start.join(' / ')}`);

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the child processes…\n`);
    void stopAll().finally(() => {
      ctx.cleanup();
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAllNow);
  // The last guard of the budget: whatever runs, the benchmark ends.
  const guard = setTimeout(() => {
    process.stderr.write(`The benchmark overran its budget of ${options.budgetSeconds} s by 30 s: stopping.\n`);
    void stopAll().finally(() => {
      ctx.cleanup();
      process.exit(2);
    });
  }, (options.budgetSeconds + 30) * 1000);
  guard.unref();

  try {
    const selected = options.only;
    for (const [i, part] of selected.entries()) {
      const later = selected.slice(i + 1).reduce((a, p) => a + PLAN[p].min + (options.quick ? PLAN[p].quick : PLAN[p].full) * 0.8, 0);
      const planned = options.quick ? PLAN[part].quick : PLAN[part].full;
      const budget = part === selected[selected.length - 1] ? ctx.remaining() - 3 : Math.min(planned * 1.25, ctx.remaining() - later);
      if (budget < PLAN[part].min) {
        ctx.note(`${part}: skipped, ${Math.max(0, Math.round(budget))} s of the budget left`);
        ctx.progress(`${part}: skipped (time budget)`);
        continue;
      }
      try {
        if (part === 'e2e') {
          results.e2e = await runE2E(ctx, budget);
          results.memory = results.e2e.memory;
        } else if (part === 'startup') {
          results.startup = await runStartup(ctx, budget, { memory: !selected.includes('e2e') });
          results.memory ??= results.startup.memory;
        } else if (part === 'matcher') results.matcher = await runMatcher(ctx, budget);
        else results.accuracy = await runAccuracy(ctx, budget);
      } catch (e) {
        const message = (e as Error).message;
        results.errors.push({ part, message });
        ctx.progress(`${part}: FAILED: ${message}`);
      }
    }
  } finally {
    await stopAll();
    ctx.cleanup();
  }
  results.finishedAt = new Date().toISOString();
  results.seconds = Math.round(ctx.elapsedSeconds() * 10) / 10;
  (results.machine.loadAverage as { end: number[] | null }).end = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const others = othersShare(ticksAtStart, cpuTicks(), ctx.elapsedSeconds(), m.cores);
  (results.machine as { othersCpuShare: number | null }).othersCpuShare = others === null ? null : Math.round(others * 1000) / 1000;
  if (others !== null && others > 0.1) ctx.note(`other processes used ${(others * 100).toFixed(0)}% of the machine's CPU during the run: the figures are lower and noisier than on a quiet machine`);
  results.notes.push(...spreadNotes(results));
  results.goals = goals(results);
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatReport(results)}\n`);
  ctx.progress(`results written to ${path.relative(process.cwd(), options.out) || options.out}`);
  clearTimeout(guard);
  if (results.errors.length) return 2;
  if (options.check && results.goals.some((g) => g.ok === false)) return 1;
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      killAllNow();
      process.exit(2);
    },
  );
}
