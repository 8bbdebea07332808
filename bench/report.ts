/** The results file, the goals, and the one table the benchmark prints. */
import fs from 'node:fs';
import os from 'node:os';
import type { AccuracyResult } from './accuracy';
import type { E2EResult, MemoryResult } from './e2e';
import { E2E_GOAL_RATIO, RSS_GOAL_MB, RSS_GROWTH_LIMIT_MB } from './e2e';
import { MATCHER_LABELS, type MatcherName, type MatcherResult, type SizeResult } from './matcherBench';
import type { StartupResult } from './startup';

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly os: string;
  readonly memoryGb: number;
  /** 1, 5 and 15 minute load averages when the run started and ended. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] | null };
  /**
   * The share of the machine's CPU (all cores) that other processes used during the run: the
   * machine's busy time (/proc/stat) minus this process's and its children's (/proc/self/stat).
   * Linux only; null elsewhere.
   */
  readonly othersCpuShare: number | null;
}

/** CPU ticks (1/100 s): the whole machine's busy time, and this process's with its reaped children. */
export interface CpuTicks {
  readonly busy: number;
  readonly own: number;
}

export function cpuTicks(): CpuTicks | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
    // /proc/self/stat: after "(comm)", fields 14-17 are utime, stime, cutime, cstime.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return Number.isFinite(busy) && Number.isFinite(own) ? { busy, own } : null;
  } catch {
    return null;
  }
}

/** Others' share of all cores between two snapshots `seconds` apart. */
export function othersShare(a: CpuTicks | null, b: CpuTicks | null, seconds: number, cores: number): number | null {
  if (!a || !b || seconds <= 0 || cores <= 0) return null;
  const others = Math.max(0, b.busy - a.busy - (b.own - a.own));
  return Math.min(1, others / (seconds * 100 * cores));
}

export interface Goal {
  readonly id: string;
  readonly goal: string;
  readonly actual: string;
  /** null: not measured in this run. */
  readonly ok: boolean | null;
}

export interface BenchResults {
  readonly schema: 1;
  readonly startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  readonly machine: Machine;
  readonly options: Record<string, unknown>;
  e2e: E2EResult | null;
  matcher: MatcherResult | null;
  startup: StartupResult | null;
  memory: MemoryResult | null;
  accuracy: AccuracyResult | null;
  goals: Goal[];
  notes: string[];
  errors: Array<{ part: string; message: string }>;
}

function osName(): string {
  let distro = '';
  try {
    distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    // not Linux
  }
  return `${os.type()} ${os.release()} ${os.arch()}${distro ? ` (${distro})` : ''}`;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: osName(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: { start: os.loadavg().map((x) => Math.round(x * 100) / 100), end: null },
    othersCpuShare: null,
  };
}

const fmt = (x: number | null | undefined, digits = 2) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const ms = (x: number | null | undefined) => (x == null ? '—' : x >= 100 ? `${Math.round(x).toLocaleString('en-US')} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(3)} ms`);
const mb = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x)} MB`);
const count = (n: number) => n.toLocaleString('en-US');

function sizeBySynthetic(m: MatcherResult, questions: number): SizeResult | undefined {
  return m.sizes.find((s) => s.synthetic && s.questions === questions);
}

export function goals(r: BenchResults): Goal[] {
  const out: Goal[] = [];
  if (r.e2e) {
    for (const c of r.e2e.cases) {
      out.push({ id: `e2e-ratio-${c.mode}-c${c.concurrency}`, goal: `ours/echo msg/s ≥ ${E2E_GOAL_RATIO} at c=${c.concurrency} (${c.mode})`, actual: fmt(c.ratio), ok: c.ratio == null ? null : c.ratio >= E2E_GOAL_RATIO });
    }
  }
  if (r.matcher) {
    const shipped = r.matcher.sizes.find((s) => !s.synthetic);
    const p = shipped?.runs.ours?.p99;
    out.push({ id: 'matcher-p99-shipped', goal: 'ours p99 ≤ 1 ms on the shipped knowledge', actual: ms(p), ok: p == null ? null : p <= 1 });
    const big = sizeBySynthetic(r.matcher, 100000);
    const full = big?.runs.ours;
    const idx = big?.runs.oursIndexOnly;
    const used = full?.p99 != null ? full : idx;
    const label = full?.p99 != null ? '' : ` (index only; as built it would take ${full?.skipped ?? '?'})`;
    out.push({ id: 'matcher-p99-100k', goal: 'ours p99 ≤ 10 ms at 100k questions', actual: used?.p99 != null ? `${ms(used.p99)}${label}` : '—', ok: used?.p99 == null ? null : used.p99 <= 10 });
    for (const name of ['ours', 'oursIndexOnly'] as MatcherName[]) {
      const steps = r.matcher.growth[name];
      if (!steps?.length) continue;
      const worst = Math.max(...steps.map((s) => s.p50Exponent ?? -Infinity));
      out.push({
        id: `matcher-growth-${name}`,
        goal: `${MATCHER_LABELS[name]}: p50 grows sublinearly with the questions (k < 1 in time ∝ size^k)`,
        actual: steps.map((s) => `${count(s.from)}→${count(s.to)}: k=${fmt(s.p50Exponent)}`).join(', '),
        ok: Number.isFinite(worst) ? worst < 1 : null,
      });
    }
  }
  const mem = r.memory;
  if (mem) {
    out.push({ id: 'rss-max', goal: `RSS ≤ ${RSS_GOAL_MB} MB with the shipped knowledge, after ${mem.loadSeconds} s of load`, actual: mb(mem.rssAfterLoadMb), ok: mem.rssAfterLoadMb == null ? null : mem.rssAfterLoadMb <= RSS_GOAL_MB });
    out.push({ id: 'rss-growth', goal: `no RSS growth under load (≤ ${RSS_GROWTH_LIMIT_MB} MB over warm-up)`, actual: mem.growthMb == null ? '—' : `${mem.growthMb >= 0 ? '+' : ''}${mem.growthMb.toFixed(1)} MB`, ok: mem.growthMb == null ? null : mem.growthMb <= RSS_GROWTH_LIMIT_MB });
  }
  if (r.accuracy) out.push({ id: 'accuracy-floors', goal: 'kb eval: ours above its accuracy and rejection floors', actual: r.accuracy.verdict || `exit ${r.accuracy.exitCode}`, ok: r.accuracy.pass });
  return out;
}

type Row = [part: string, what: string, who: string, value: string, p50: string, p99: string, compared: string, goal: string];

const mark = (ok: boolean | null) => (ok === null ? '' : ok ? ' ✓' : ' ✗');

export function tableRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const goalOf = (id: string) => r.goals.find((g) => g.id === id);
  if (r.e2e) {
    for (const c of r.e2e.cases) {
      const g = goalOf(`e2e-ratio-${c.mode}-c${c.concurrency}`);
      const what = `c=${c.concurrency} ${c.mode}`;
      rows.push(['e2e', what, 'ours', `${fmt(c.ours.messagesPerSecond, 0)} msg/s`, ms(c.ours.p50), ms(c.ours.p99), `${fmt(c.ratio)} × echo`, g ? `≥ ${E2E_GOAL_RATIO}${mark(g.ok)}` : '']);
      rows.push(['', '', 'echo', `${fmt(c.echo.messagesPerSecond, 0)} msg/s`, ms(c.echo.p50), ms(c.echo.p99), '', '']);
    }
  }
  if (r.matcher) {
    const order: MatcherName[] = ['ours', 'oursIndexOnly', 'oursUnderstand', 'nlpjs', 'fuse'];
    for (const s of r.matcher.sizes) {
      let first = true;
      for (const name of order) {
        const run = s.runs[name];
        if (!run) continue;
        const what = first ? `${s.label}: ${count(s.questions)} q, ${count(s.entries)} entries` : '';
        let goal = '';
        if (name === 'ours' && !s.synthetic) goal = `p99 ≤ 1 ms${mark(goalOf('matcher-p99-shipped')?.ok ?? null)}`;
        if (s.synthetic && s.questions === 100000 && (name === 'ours' ? run.p99 != null : name === 'oursIndexOnly' && s.runs.ours?.p99 == null)) goal = `p99 ≤ 10 ms${mark(goalOf('matcher-p99-100k')?.ok ?? null)}`;
        if (run.skipped) rows.push([first ? 'matcher' : '', what, MATCHER_LABELS[name], `skipped: would take ${run.skipped}`, '', '', '', goal]);
        else {
          const build = run.builds ? `${name === 'nlpjs' ? 'train' : 'build'} ${ms(run.buildMs)}` : 'no build';
          const n = name === 'fuse' ? `${run.queries} queries` : `${run.queries} q × ${run.rounds}`;
          rows.push([first ? 'matcher' : '', what, MATCHER_LABELS[name], build, ms(run.p50), ms(run.p99), n, goal]);
        }
        first = false;
      }
    }
    for (const [name, steps] of Object.entries(r.matcher.growth) as Array<[MatcherName, NonNullable<MatcherResult['growth'][MatcherName]>]>) {
      const g = goalOf(`matcher-growth-${name}`);
      rows.push(['', 'growth, synthetic sizes', MATCHER_LABELS[name], 'time ∝ size^k', steps.map((s) => `k=${fmt(s.p50Exponent)}`).join(' '), steps.map((s) => `k=${fmt(s.p99Exponent)}`).join(' '), steps.map((s) => `${count(s.from / 1000)}k→${count(s.to / 1000)}k`).join(' '), g ? `k < 1${mark(g.ok)}` : '']);
    }
  }
  if (r.startup) {
    const s = r.startup;
    rows.push(['start-up', 'start → ready (/healthz)', 'ours', `${ms(s.ours.medianMs)} (median of ${s.ours.samplesMs.length})`, '', '', `echo ${ms(s.echo.medianMs)}`, '']);
    rows.push(['', `hot reload after an edit`, 'ours', `${ms(s.reload.medianMs)} (median of ${s.reload.samplesMs.length})`, '', '', `incl. ${s.reload.pollMs} ms polls`, '']);
  }
  if (r.memory) {
    const m = r.memory;
    rows.push([r.startup ? '' : 'memory', 'RSS after warm-up', 'ours', mb(m.rssAfterWarmupMb), '', '', '', '']);
    rows.push(['', `RSS after ${m.loadSeconds} s of load`, 'ours', `${mb(m.rssAfterLoadMb)} (peak ${mb(m.peakRssMb)})`, '', '', `${m.growthMb != null && m.growthMb >= 0 ? '+' : ''}${fmt(m.growthMb, 1)} MB`, `≤ ${RSS_GOAL_MB} MB${mark(goalOf('rss-max')?.ok ?? null)}, growth ≤ ${RSS_GROWTH_LIMIT_MB}${mark(goalOf('rss-growth')?.ok ?? null)}`]);
    const h = m.liveHeap;
    rows.push(['', 'live heap after full GCs', 'ours', h.fullGcs ? `${mb(h.firstMb)} → ${mb(h.lastMb)}` : 'no full GC during the load', '', '', h.fullGcs ? `${h.fullGcs} full GCs, max ${mb(h.maxMb)}` : '', '']);
  }
  if (r.accuracy) {
    const a = r.accuracy;
    a.rows.forEach((row, i) => {
      const peers = a.matchers.slice(1).map((m, j) => `${m} ${row.cells[j + 1] ?? '—'}`).join('; ');
      rows.push([i === 0 ? 'accuracy' : '', row.label, a.matchers[0] ?? 'ours', row.cells[0] ?? '—', '', '', peers, i === 0 ? `floors${mark(a.pass)}` : '']);
    });
  }
  for (const e of r.errors) rows.push([e.part, 'FAILED', '', e.message.split('\n')[0]!.slice(0, 120), '', '', '', '']);
  return rows;
}

export function formatTable(rows: readonly Row[]): string {
  const header: Row = ['part', 'case', 'who', 'value', 'p50', 'p99', 'compared / n', 'goal'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  const right = new Set([4, 5]);
  const line = (r: Row) => r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), sep];
  let prev = '';
  for (const r of rows) {
    if (r[0] && prev && r[0] !== prev) out.push(sep);
    if (r[0]) prev = r[0];
    out.push(line(r));
  }
  return out.join('\n');
}

export function formatReport(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`Smart Industry Advisor benchmark, ${r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
  out.push(`machine: ${m.cores} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.os}`);
  out.push(`load average (1/5/15 min): ${m.loadAverage.start.join(' / ')} at the start, ${m.loadAverage.end?.join(' / ') ?? '—'} at the end; other processes used ${m.othersCpuShare == null ? '—' : `${(m.othersCpuShare * 100).toFixed(0)}%`} of the CPU during the run${r.seconds != null ? `, which took ${Math.round(r.seconds)} s` : ''}`);
  out.push('');
  out.push(formatTable(tableRows(r)));
  const notes = [...r.notes];
  const missed = r.goals.filter((g) => g.ok === false);
  const met = r.goals.filter((g) => g.ok === true);
  out.push('');
  out.push(`Goals: ${met.length} met, ${missed.length} missed${r.goals.some((g) => g.ok === null) ? `, ${r.goals.filter((g) => g.ok === null).length} not measured` : ''}.${missed.length ? ' Missed: ' + missed.map((g) => `${g.goal} (${g.actual})`).join('; ') + '.' : ''}`);
  if (notes.length) {
    out.push('Notes:');
    for (const n of notes) out.push(`  - ${n}`);
  }
  return out.join('\n');
}

/** Notes on rounds that differ widely (the median is quoted, but the reader should know). */
export function spreadNotes(r: BenchResults): string[] {
  const notes: string[] = [];
  const e2e: string[] = [];
  for (const c of r.e2e?.cases ?? []) {
    for (const [who, s] of [['ours', c.ours], ['echo', c.echo]] as const) {
      if (s.spread.wide) {
        const mps = s.rounds.map((x) => x.messagesPerSecond ?? 0);
        e2e.push(`c=${c.concurrency} ${c.mode} ${who} ${Math.round(Math.min(...mps))}–${Math.round(Math.max(...mps))}`);
      }
    }
  }
  if (e2e.length) notes.push(`e2e rounds that differ widely (max > 1.25 × min msg/s; the median is quoted): ${e2e.join(', ')}`);
  const matcher: string[] = [];
  for (const s of r.matcher?.sizes ?? []) {
    for (const [name, run] of Object.entries(s.runs)) if (run?.wide) matcher.push(`${s.label} ${MATCHER_LABELS[name as MatcherName]}`);
  }
  if (matcher.length) notes.push(`matcher rounds whose p50 differ by more than 25% (the median is quoted): ${matcher.join(', ')}`);
  if (r.startup?.ours.wide) notes.push(`start-up of our bot: the starts differ widely (${r.startup.ours.samplesMs.join(', ')} ms)`);
  if (r.startup?.reload.wide) notes.push(`hot reload: the reloads differ widely (${r.startup.reload.samplesMs.join(', ')} ms)`);
  return notes;
}
