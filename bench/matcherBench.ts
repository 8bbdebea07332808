/**
 * Part 2, the matcher: per-query latency and build time on the shipped knowledge and on synthetic
 * knowledge bases (bench/synthetic.ts) of growing size, for ours (src/nlu/matcher.ts, built as
 * src/nlu/knowledgeIndex.ts builds it), ours without the classifier (the index alone), NLP.js and
 * fuse.js (src/eval/peers.ts), all on the same questions and the same queries (the labelled test
 * questions). Steps that would not fit the time budget are skipped with an estimate of their cost.
 */
import type { BenchContext, Knowledge, SizeSpec } from './context';
import { Matcher, type MatchDoc } from '../src/nlu/matcher';
import { EntityRecognizer } from '../src/nlu/entities';
import { MATCHER_DEFAULTS, type MatcherTunables } from '../src/nlu/defaults';
import { prepareKnowledge } from '../src/nlu/knowledgeIndex';
import { understand } from '../src/nlu/understand';
import { buildFuse, trainNlpJs, type ComparedMatcher } from '../src/eval/peers';
import type { LabelledQuestion } from '../src/knowledge/testSet';
import { evenSample, growthExponent, median, percentile, round, spread } from './stats';
import { questionCount, syntheticDocs, type SyntheticOptions } from './synthetic';

export type MatcherName = 'ours' | 'oursIndexOnly' | 'oursUnderstand' | 'nlpjs' | 'fuse';

export const MATCHER_LABELS: Readonly<Record<MatcherName, string>> = {
  ours: 'ours',
  oursIndexOnly: 'ours, index only',
  oursUnderstand: 'ours, understand()',
  nlpjs: 'NLP.js',
  fuse: 'fuse.js',
};

export interface MatcherRun {
  /** Build (index, training) time in ms: the median when built more than once. */
  readonly buildMs: number | null;
  readonly builds: number;
  /** Per-query latency, ms: the medians over the rounds of each round's p50 and p99. */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly queries: number;
  readonly rounds: number;
  readonly wide: boolean;
  /** Why it was not measured, with the estimated cost. */
  readonly skipped?: string;
}

export interface SizeResult {
  readonly label: string;
  readonly synthetic: boolean;
  /** Questions in the knowledge base (as generated; the index leaves out questions without a single term). */
  readonly questions: number;
  readonly entries: number;
  readonly indexedQuestions: number | null;
  readonly runs: Partial<Record<MatcherName, MatcherRun>>;
}

export interface MatcherResult {
  readonly queries: number;
  readonly synthetic: Required<SyntheticOptions>;
  readonly sizes: readonly SizeResult[];
  /** time ∝ size^k between consecutive synthetic sizes, from the p50 (k < 1: sublinear). */
  readonly growth: Partial<Record<MatcherName, ReadonlyArray<{ readonly from: number; readonly to: number; readonly p50Exponent: number | null; readonly p99Exponent: number | null }>>>;
}

export const SYNTHETIC: Required<SyntheticOptions> = { perEntry: 10, swap: 0.5, context: false, seed: 20261129 };

const now = () => performance.now();

export function oursMatcher(docs: readonly MatchDoc[], k: Knowledge, entities: EntityRecognizer, classifier: boolean): Matcher {
  // Exactly as src/nlu/knowledgeIndex.ts prepareKnowledge builds it; without the classifier for the index-only variant.
  const indexOnly: MatcherTunables = { ...MATCHER_DEFAULTS, classifierWeight: 0 };
  return new Matcher(docs, k.data.synonyms, k.thresholds, {
    placeNames: entities.placeNames,
    outOfScope: k.data.outOfScope,
    ...(classifier ? {} : { tunables: indexOnly }),
  });
}

interface Query {
  readonly q: string;
  readonly lang: 'nl' | 'en';
  readonly locale: string;
}

function timeSync(queries: readonly Query[], rounds: number, warm: number, fn: (q: Query) => unknown): { p50: number; p99: number; wide: boolean } {
  for (let i = 0; i < Math.min(warm, queries.length); i++) fn(queries[i]!);
  const p50s: number[] = [];
  const p99s: number[] = [];
  const times = new Float64Array(queries.length);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < queries.length; i++) {
      const t0 = now();
      fn(queries[i]!);
      times[i] = now() - t0;
    }
    const list = Array.from(times);
    p50s.push(percentile(list, 50));
    p99s.push(percentile(list, 99));
  }
  return { p50: median(p50s), p99: median(p99s), wide: spread(p50s).wide };
}

/** The median of the rounds' p50 and p99, and the mean of every query (what a batch of them costs). */
async function timeAsync(queries: readonly Query[], rounds: number, warm: number, fn: (q: Query) => Promise<unknown> | unknown): Promise<{ p50: number; p99: number; mean: number; wide: boolean }> {
  for (let i = 0; i < Math.min(warm, queries.length); i++) await fn(queries[i]!);
  const p50s: number[] = [];
  const p99s: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const times: number[] = [];
    for (const q of queries) {
      const t0 = now();
      await fn(q);
      times.push(now() - t0);
    }
    p50s.push(percentile(times, 50));
    p99s.push(percentile(times, 99));
    total += times.reduce((a, b) => a + b, 0);
  }
  return { p50: median(p50s), p99: median(p99s), mean: total / Math.max(1, rounds * queries.length), wide: spread(p50s).wide };
}

function run(o: { buildMs: readonly number[]; timing: { p50: number; p99: number; wide: boolean }; queries: number; rounds: number }): MatcherRun {
  return { buildMs: round(median(o.buildMs), 1), builds: o.buildMs.length, p50: round(o.timing.p50, 4), p99: round(o.timing.p99, 4), queries: o.queries, rounds: o.rounds, wide: o.timing.wide };
}

function skipped(reason: string): MatcherRun {
  return { buildMs: null, builds: 0, p50: null, p99: null, queries: 0, rounds: 0, wide: false, skipped: reason };
}

const seconds = (ms: number) => (ms >= 10000 ? `${Math.round(ms / 1000).toLocaleString('en-US')} s` : `${(ms / 1000).toFixed(1)} s`);

export async function runMatcher(ctx: BenchContext, partBudgetSeconds: number): Promise<MatcherResult> {
  const o = ctx.options;
  const synOptions: Required<SyntheticOptions> = { ...SYNTHETIC, context: o.syntheticAnswers };
  const partEnd = now() + partBudgetSeconds * 1000;
  const left = () => partEnd - now();
  const k = ctx.knowledge();
  const entities = new EntityRecognizer(k.data);
  const queries: Query[] = k.tests.map((t: LabelledQuestion) => ({ q: t.q, lang: t.lang, locale: t.lang === 'nl' ? 'nl-NL' : 'en-US' }));
  // Caps per step (ms): what one matcher may spend on one size.
  const cap = o.quick ? { oursBuild: 4000, nlpTrain: 5000, fuse: 1000 } : { oursBuild: 20000, nlpTrain: 12000, fuse: 3000 };
  // Cost models, calibrated by every measurement (starting from this machine's order of magnitude).
  let nlpPerPair = 1.5e-5 * 1000; // ms of NLP.js training per (question × entry)
  let fusePerItem = 9e-5 * 1000; // ms of one fuse.js query per indexed question
  // ms of classifier training per (questions × entries)^0.75 (fits 3k and 10k synthetic here: examples × labels, with
  // most labels' updates skipped once training settles)
  let classifierPerPair: number | null = null;
  let indexPerQuestion: number | null = null; // ms of index build per question

  const sizes: SizeResult[] = [];
  const ordered = [...o.sizes].sort((a, b) => (a === 'shipped' ? -1 : b === 'shipped' ? 1 : a - b));
  for (const size of ordered) {
    const synthetic = size !== 'shipped';
    const label = synthetic ? `${(size as number).toLocaleString('en-US')} synthetic` : 'shipped';
    if (synthetic && indexPerQuestion !== null) {
      const est = indexPerQuestion * (size as number) * 1.6 + 3000;
      if (est > left()) {
        ctx.note(`matcher: size ${label} skipped: would take ~${seconds(est)} (time budget)`);
        sizes.push({ label, synthetic, questions: size as number, entries: Math.ceil((size as number) / SYNTHETIC.perEntry), indexedQuestions: null, runs: { ours: skipped(`~${seconds(est)} for this size (time budget)`) } });
        continue;
      }
    }
    let t0 = now();
    const docs: readonly MatchDoc[] = synthetic ? syntheticDocs(k.docs, size as number, synOptions) : k.docs;
    const nq = questionCount(docs);
    const nd = docs.length;
    ctx.progress(`matcher: ${label}: ${nq.toLocaleString('en-US')} questions in ${nd.toLocaleString('en-US')} entries${synthetic ? ` (generated in ${Math.round(now() - t0)} ms)` : ''}`);
    const runs: Partial<Record<MatcherName, MatcherRun>> = {};
    const big = nq > 20000;
    const rounds = o.quick ? (big ? 1 : 2) : big ? 2 : nq > 5000 ? 3 : 5;
    const warm = big ? 150 : queries.length;

    // Ours without the classifier: the index alone (always affordable; also calibrates the next size).
    t0 = now();
    let m: Matcher | null = oursMatcher(docs, k, entities, false);
    const indexMs = now() - t0;
    indexPerQuestion = indexMs / nq;
    const indexedQuestions = m.size.questions;
    runs.oursIndexOnly = run({ buildMs: [indexMs], timing: timeSync(queries, rounds, warm, (q) => m!.match(q.q, { locale: q.locale })), queries: queries.length, rounds });
    ctx.progress(`matcher: ${label}: ours, index only: build ${Math.round(indexMs)} ms, p50 ${runs.oursIndexOnly.p50} ms, p99 ${runs.oursIndexOnly.p99} ms`);
    m = null;

    // Ours as the bot builds it (with the classifier).
    const estFull = classifierPerPair === null ? indexMs * 4 : indexMs + classifierPerPair * (nq * nd) ** 0.75;
    if (synthetic && (estFull > cap.oursBuild || estFull * 1.3 + 2000 > left())) {
      runs.ours = skipped(`~${seconds(estFull)} to build (classifier training)`);
      ctx.progress(`matcher: ${label}: ours skipped: ${runs.ours.skipped}`);
    } else {
      const builds: number[] = [];
      let built: Matcher | null = null;
      const times = synthetic ? (nq > 5000 ? 1 : o.quick ? 1 : 3) : o.quick ? 1 : 3;
      for (let b = 0; b < times; b++) {
        t0 = now();
        built = synthetic ? oursMatcher(docs, k, entities, true) : prepareKnowledge(k.data, k.thresholds).matcher;
        builds.push(now() - t0);
      }
      const full = built!;
      const fullMs = median(builds);
      if (fullMs > indexMs) classifierPerPair = Math.max(classifierPerPair ?? 0, (fullMs - indexMs) / (nq * nd) ** 0.75);
      runs.ours = run({ buildMs: builds, timing: timeSync(queries, rounds, warm, (q) => full.match(q.q, { locale: q.locale })), queries: queries.length, rounds });
      ctx.progress(`matcher: ${label}: ours: build ${Math.round(fullMs)} ms, p50 ${runs.ours.p50} ms, p99 ${runs.ours.p99} ms`);
      if (!synthetic) {
        // What the bot runs per message: the matcher, the entities and the routing (understand()).
        const prepared = prepareKnowledge(k.data, k.thresholds);
        runs.oursUnderstand = run({ buildMs: [], timing: timeSync(queries, rounds, warm, (q) => understand(prepared, q.q, q.locale, null)), queries: queries.length, rounds });
        ctx.progress(`matcher: ${label}: ours, understand(): p50 ${runs.oursUnderstand.p50} ms, p99 ${runs.oursUnderstand.p99} ms`);
      }
    }

    if (o.peers) {
      // NLP.js: training time grows with questions × entries (intents).
      const estNlp = nlpPerPair * nq * nd;
      if (estNlp > cap.nlpTrain || estNlp * 1.3 + 2000 > left()) {
        runs.nlpjs = skipped(`~${seconds(estNlp)} to train`);
        ctx.progress(`matcher: ${label}: NLP.js skipped: ${runs.nlpjs.skipped}`);
      } else {
        t0 = now();
        const nlp: ComparedMatcher = await trainNlpJs(docs);
        const trainMs = now() - t0;
        nlpPerPair = Math.max(nlpPerPair * 0.5, trainMs / (nq * nd));
        const nlpRounds = Math.max(1, Math.min(rounds, 3));
        runs.nlpjs = run({ buildMs: [trainMs], timing: await timeAsync(queries, nlpRounds, 30, (q) => nlp.match(q.q, q.lang)), queries: queries.length, rounds: nlpRounds });
        if (!synthetic) ctx.peerCosts.nlpTrainMs = trainMs;
        ctx.progress(`matcher: ${label}: NLP.js: training ${Math.round(trainMs)} ms, p50 ${runs.nlpjs.p50} ms, p99 ${runs.nlpjs.p99} ms`);
      }

      // fuse.js: every query scans every question; a bounded number of queries.
      const perQuery = fusePerItem * nq;
      const n = Math.min(queries.length, Math.floor(Math.min(cap.fuse, left() - 2000) / perQuery));
      if (n < 5) {
        runs.fuse = skipped(`~${seconds(perQuery)} a query, ~${seconds(perQuery * 25)} for 25`);
        ctx.progress(`matcher: ${label}: fuse.js skipped: ${runs.fuse.skipped}`);
      } else {
        t0 = now();
        const fuse = buildFuse(docs);
        const buildMs = now() - t0;
        const sample = evenSample(queries.length, n).map((i) => queries[i]!);
        const timing = await timeAsync(sample, 1, 2, (q) => fuse.match(q.q, q.lang));
        fusePerItem = Math.max(fusePerItem * 0.5, timing.p50 / nq);
        runs.fuse = run({ buildMs: [buildMs], timing, queries: n, rounds: 1 });
        // The mean, not the median: a long message costs fuse.js many times a short one.
        if (!synthetic) ctx.peerCosts.fuseQueryMs = timing.mean;
        ctx.progress(`matcher: ${label}: fuse.js: ${n} queries, p50 ${runs.fuse.p50} ms, p99 ${runs.fuse.p99} ms`);
      }
    }
    sizes.push({ label, synthetic, questions: nq, entries: nd, indexedQuestions, runs });
  }

  const growth: MatcherResult['growth'] = {};
  const syn = sizes.filter((s) => s.synthetic);
  for (const name of Object.keys(MATCHER_LABELS) as MatcherName[]) {
    const points = syn.filter((s) => s.runs[name]?.p50 != null);
    if (points.length < 2) continue;
    growth[name] = points.slice(1).map((s, i) => {
      const a = points[i]!;
      return {
        from: a.questions,
        to: s.questions,
        p50Exponent: round(growthExponent(a.questions, a.runs[name]!.p50!, s.questions, s.runs[name]!.p50!), 2),
        p99Exponent: round(growthExponent(a.questions, a.runs[name]!.p99!, s.questions, s.runs[name]!.p99!), 2),
      };
    });
  }
  return { queries: queries.length, synthetic: synOptions, sizes, growth };
}

export type { SizeSpec };
