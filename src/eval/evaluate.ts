/**
 * Scores matchers on the labelled test questions: accuracy in scope (by language and kind of
 * variation), rejection out of scope, latency, confusions, worst misses and the threshold curve.
 */
import type { Lang } from '../knowledge/types';
import { OUT_OF_SCOPE, type LabelledQuestion } from '../knowledge/testSet';
import type { Thresholds } from '../nlu/matcher';
import type { PreparedKnowledge } from '../nlu/knowledgeIndex';
import { understand } from '../nlu/understand';
import type { ComparedMatcher } from './peers';

export interface Prediction {
  readonly test: LabelledQuestion;
  /** What the matcher would answer with; null = it falls back. */
  readonly id: string | null;
  readonly score: number;
  readonly ms: number;
  /** Ours only: the best candidate whatever the decision, and how it decided. */
  readonly top?: { readonly id: string; readonly score: number; readonly second: number };
  readonly decision?: string;
}

export interface Tally {
  total: number;
  hits: number;
}

export interface Metrics {
  readonly name: string;
  readonly inScope: Tally;
  readonly byLang: Record<Lang, Tally>;
  readonly byKind: Record<string, Tally>;
  readonly rejection: Tally;
  readonly rejectionByKind: Record<string, Tally>;
  readonly answeredDirectly?: Tally;
  /** The held-out set (knowledge/tests/heldout-*.yaml), written after tuning: the honest figure. */
  readonly heldOut: { readonly inScope: Tally; readonly rejection: Tally };
  readonly p50: number;
  readonly p99: number;
  readonly predictions: readonly Prediction[];
}

export function rate(t: Tally): number {
  return t.total ? t.hits / t.total : 0;
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function add(map: Record<string, Tally>, key: string, hit: boolean): void {
  const t = (map[key] ??= { total: 0, hits: 0 });
  t.total++;
  if (hit) t.hits++;
}

/** The labelled id, or one of the ids that answer it just as well. */
export function isRight(test: LabelledQuestion, id: string | null): boolean {
  return id !== null && (id === test.expect || (test.alsoRight ?? []).includes(id));
}

export function score(name: string, predictions: readonly Prediction[]): Metrics {
  const inScope: Tally = { total: 0, hits: 0 };
  const rejection: Tally = { total: 0, hits: 0 };
  const direct: Tally = { total: 0, hits: 0 };
  const byLang: Record<Lang, Tally> = { nl: { total: 0, hits: 0 }, en: { total: 0, hits: 0 } };
  const byKind: Record<string, Tally> = {};
  const rejectionByKind: Record<string, Tally> = {};
  const heldOut = { inScope: { total: 0, hits: 0 }, rejection: { total: 0, hits: 0 } };
  for (const p of predictions) {
    if (/(^|\/)heldout-[^/]*$/.test(p.test.file)) {
      const t = p.test.expect === OUT_OF_SCOPE ? heldOut.rejection : heldOut.inScope;
      t.total++;
      if (p.test.expect === OUT_OF_SCOPE ? p.id === null : isRight(p.test, p.id)) t.hits++;
    }
    if (p.test.expect === OUT_OF_SCOPE) {
      const rejected = p.id === null;
      rejection.total++;
      if (rejected) rejection.hits++;
      add(rejectionByKind, p.test.kind, rejected);
    } else {
      const hit = isRight(p.test, p.id);
      inScope.total++;
      if (hit) inScope.hits++;
      byLang[p.test.lang].total++;
      if (hit) byLang[p.test.lang].hits++;
      add(byKind, p.test.kind, hit);
      direct.total++;
      if (hit && p.decision === 'answer') direct.hits++;
    }
  }
  const ms = predictions.map((p) => p.ms);
  return {
    name,
    inScope,
    byLang,
    byKind,
    rejection,
    rejectionByKind,
    answeredDirectly: predictions.some((p) => p.decision) ? direct : undefined,
    heldOut,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    predictions,
  };
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs our understanding over the tests — the matcher, the entities and the routing the bot
 * itself follows — with a warm-up pass first, so latency is not the JIT's. Latency is the
 * matcher's alone (the target); the entities are timed by the benchmark.
 */
export function predictOurs(prepared: PreparedKnowledge, tests: readonly LabelledQuestion[]): Prediction[] {
  for (const t of tests) prepared.matcher.match(t.q);
  return tests.map((test) => {
    const locale = test.lang === 'nl' ? 'nl-NL' : 'en-US';
    const t0 = now();
    prepared.matcher.match(test.q, { locale });
    const ms = now() - t0;
    const u = understand(prepared, test.q, locale, null);
    const r = u.match;
    const top = r.candidates[0];
    const id = u.target?.id ?? (r.decision === 'disambiguate' ? (r.choices[0]?.id ?? null) : null);
    return {
      test,
      id,
      score: top?.score ?? 0,
      ms,
      top: top ? { id: u.target?.id ?? top.id, score: top.score, second: r.candidates[1]?.score ?? 0 } : undefined,
      decision: u.target ? 'answer' : r.decision,
    };
  });
}

export async function predictPeer(peer: ComparedMatcher, tests: readonly LabelledQuestion[]): Promise<Prediction[]> {
  for (const t of tests.slice(0, 30)) await peer.match(t.q, t.lang);
  const out: Prediction[] = [];
  for (const test of tests) {
    const t0 = now();
    const r = await peer.match(test.q, test.lang);
    out.push({ test, id: r.id, score: r.score, ms: now() - t0 });
  }
  return out;
}

export interface CurvePoint {
  readonly threshold: number;
  readonly accuracy: number;
  readonly rejection: number;
}

/**
 * How in-scope accuracy and out-of-scope rejection move with the lowest score the bot acts on
 * (below it: fallback). The margin rule is left out: this is the curve to pick thresholds by.
 */
export function thresholdCurve(predictions: readonly Prediction[], from = 0.2, to = 0.8, step = 0.05): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let t = from; t <= to + 1e-9; t += step) {
    let acc = 0;
    let inScope = 0;
    let rej = 0;
    let oos = 0;
    for (const p of predictions) {
      const s = p.top?.score ?? 0;
      if (p.test.expect === OUT_OF_SCOPE) {
        oos++;
        if (s < t) rej++;
      } else {
        inScope++;
        if (s >= t && isRight(p.test, p.top?.id ?? null)) acc++;
      }
    }
    points.push({ threshold: Math.round(t * 100) / 100, accuracy: inScope ? acc / inScope : 0, rejection: oos ? rej / oos : 0 });
  }
  return points;
}

export function confusions(predictions: readonly Prediction[]): Array<{ expected: string; got: string; count: number }> {
  const counts = new Map<string, number>();
  for (const p of predictions) {
    if (p.id === p.test.expect || (p.test.expect !== OUT_OF_SCOPE && isRight(p.test, p.id))) continue;
    const key = `${p.test.expect}\u0000${p.id ?? 'fallback'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([k, count]) => {
      const [expected, got] = k.split('\u0000') as [string, string];
      return { expected, got, count };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
}

/** Wrong answers, the most confident first (those hurt users most). */
export function worstMisses(predictions: readonly Prediction[], n = 10): Prediction[] {
  return predictions
    .filter((p) => (p.test.expect === OUT_OF_SCOPE ? p.id !== null : !isRight(p.test, p.id)))
    .sort((a, b) => (b.id ? b.score + 1 : b.score) - (a.id ? a.score + 1 : a.score))
    .slice(0, n);
}

export function passesFloors(m: Metrics, floors: { accuracy: number; rejection: number }): boolean {
  return rate(m.inScope) >= floors.accuracy && rate(m.rejection) >= floors.rejection;
}

export type { Thresholds };
