/**
 * Part 4, accuracy: `kb eval` (ours, NLP.js, fuse.js) as a child process, and its headline rows,
 * so that speed is never bought with wrong answers.
 */
import path from 'node:path';
import type { BenchContext } from './context';
import { runToEnd } from './processes';
import { round } from './stats';

export interface AccuracyResult {
  readonly command: string;
  readonly peerSample: number | null;
  readonly oursOnly: boolean;
  readonly exitCode: number | null;
  /** kb eval's own verdict: ours above the accuracy and rejection floors. */
  readonly pass: boolean;
  readonly verdict: string;
  readonly matchers: readonly string[];
  /** Headline rows: label → one cell per matcher, as kb eval prints them. */
  readonly rows: ReadonlyArray<{ readonly label: string; readonly cells: readonly string[] }>;
  readonly seconds: number | null;
}

export const HEADLINE_ROWS: readonly string[] = [
  'in scope, all',
  'Dutch',
  'English',
  'out of scope rejected',
  'held-out set: in scope',
  'held-out set: out of scope rejected',
  'latency p50 (ms)',
  'latency p99 (ms)',
];

/** The headline rows of kb eval's table (columns are separated by two or more spaces). */
export function parseEvalTable(stdout: string): { matchers: string[]; rows: Array<{ label: string; cells: string[] }>; verdict: string } {
  const lines = stdout.split('\n');
  const dash = lines.findIndex((l) => /^-{5,}(\s+-+)+\s*$/.test(l));
  const matchers = dash > 0 ? lines[dash - 1]!.trim().split(/\s{2,}/) : [];
  const rows: Array<{ label: string; cells: string[] }> = [];
  for (const line of dash > 0 ? lines.slice(dash + 1) : []) {
    if (!line.trim()) break;
    const parts = line.trim().split(/\s{2,}/);
    const label = parts[0]!;
    if (HEADLINE_ROWS.includes(label)) rows.push({ label, cells: parts.slice(1) });
  }
  const verdict = lines.find((l) => /^(PASS|FAIL) ours:/.test(l)) ?? '';
  return { matchers, rows, verdict };
}

/**
 * Roughly what `kb eval` costs, in seconds: ours on every question, NLP.js's training, fuse.js on
 * the sample. From what the matcher part measured on this machine when it ran; else a cautious guess.
 */
export function evalCostSeconds(peerSample: number | null, measured: { nlpTrainMs?: number; fuseQueryMs?: number } = {}): number {
  if (peerSample === null) return 12;
  if (measured.nlpTrainMs !== undefined && measured.fuseQueryMs !== undefined) {
    return 1.15 * (10 + measured.nlpTrainMs / 1000 + (peerSample * 1.5 * measured.fuseQueryMs) / 1000);
  }
  return 30 + 0.35 * peerSample;
}

export async function runAccuracy(ctx: BenchContext, partBudgetSeconds: number): Promise<AccuracyResult> {
  // --quick and --no-peers: ours only (seconds); otherwise the peers on --peer-sample questions.
  let sample: number | null = ctx.options.peers && !ctx.options.quick ? ctx.options.peerSample : null;
  const cost = (n: number | null) => evalCostSeconds(n, ctx.peerCosts);
  if (sample !== null && cost(sample) > partBudgetSeconds) {
    let fit = sample;
    while (fit > 0 && cost(fit) > partBudgetSeconds) fit -= 5;
    if (fit >= 30) {
      ctx.note(`accuracy: the peers on ${fit} questions instead of ${sample} (time budget)`);
      sample = fit;
    } else {
      ctx.note('accuracy: ours only, the peers left out (time budget)');
      sample = null;
    }
  }
  const args = [path.join(ctx.repo, 'dist/src/cli/kb.js'), 'eval', ...(sample === null ? ['--ours-only'] : ['--peer-sample', String(sample)])];
  const command = `node dist/src/cli/kb.js ${args.slice(1).join(' ')}`;
  ctx.progress(`accuracy: ${command}`);
  const r = await runToEnd(args, { cwd: ctx.repo, env: ctx.childEnv({ KNOWLEDGE_DIR: ctx.knowledgeDir, LOG_LEVEL: 'warn' }), timeoutMs: Math.max(20, partBudgetSeconds + 15) * 1000 });
  if (r.timedOut) throw new Error(`${command} did not finish within the time budget`);
  const parsed = parseEvalTable(r.stdout);
  if (!parsed.rows.length) throw new Error(`${command} printed no table (exit ${r.code}):\n${(r.stderr || r.stdout).slice(-800)}`);
  const verdict = parsed.verdict || (r.stderr.split('\n').find((l) => /^(PASS|FAIL) ours:/.test(l)) ?? '');
  ctx.progress(`accuracy: ${verdict || `exit ${r.code}`}`);
  return {
    command,
    peerSample: sample,
    oursOnly: sample === null,
    exitCode: r.code,
    pass: r.code === 0,
    verdict,
    matchers: parsed.matchers,
    rows: parsed.rows,
    seconds: round(r.ms / 1000, 1),
  };
}
