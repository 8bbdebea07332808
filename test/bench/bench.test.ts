/**
 * The benchmark's pure helpers, the synthetic knowledge, and a very short smoke run of one part
 * (the JSON it writes). No timing assertions: the benchmark reports, `npm run bench -- --check` judges.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evenSample, growthExponent, median, pairedRatio, percentile, ratio, seededShuffle, spread, summarize } from '../../bench/stats';
import { isContentWord, questionCount, realVocabulary, syntheticDocs } from '../../bench/synthetic';
import { parseEvalTable } from '../../bench/accuracy';
import { editAnswer } from '../../bench/startup';
import { oursMatcher } from '../../bench/matcherBench';
import { parseFullGc, startNodeFlags } from '../../bench/bots';
import { parseOptions } from '../../bench/bench';
import { packageOf, topFunctions } from '../../bench/cpuProfile';
import { loadKnowledge } from '../../src/knowledge/loader';
import { matchDocs, prepareKnowledge } from '../../src/nlu/knowledgeIndex';
import { EntityRecognizer } from '../../src/nlu/entities';
import { normalize, tokenize } from '../../src/nlu/normalize';
import { copyKnowledge, KNOWLEDGE, REPO, testConfig } from '../support/testConfig';
import { runNode } from '../support/run';

const data = loadKnowledge(KNOWLEDGE).data!;
const { docs } = matchDocs(data);

describe('bench statistics', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 99)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([1, 2, 3, 4])).toEqual({ n: 4, p50: 2, p99: 4, mean: 2.5, max: 4 });
  });

  it('gives ratios, the median of paired ratios, and the spread of rounds', () => {
    expect(ratio(90, 100)).toBeCloseTo(0.9);
    expect(ratio(5, 0)).toBeNaN();
    // Rounds paired A/B: ratios 0.5, 0.8, 1.0 → median 0.8 (not the ratio of the medians).
    expect(pairedRatio([50, 80, 200], [100, 100, 200])).toBeCloseTo(0.8);
    expect(spread([100, 110, 120]).wide).toBe(false);
    expect(spread([100, 200]).wide).toBe(true);
    expect(spread([100, 200]).factor).toBe(2);
  });

  it('reads how a time grows with size', () => {
    expect(growthExponent(1000, 1, 10000, 10)).toBeCloseTo(1); // linear
    expect(growthExponent(1000, 1, 10000, Math.sqrt(10))).toBeCloseTo(0.5); // sublinear
    expect(growthExponent(1000, 0, 10000, 1)).toBeNaN();
  });

  it('samples evenly and shuffles repeatably', () => {
    expect(evenSample(10, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(evenSample(3, 5)).toEqual([0, 1, 2]);
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(seededShuffle(items, 7)).toEqual(seededShuffle(items, 7));
    expect(seededShuffle(items, 7)).not.toEqual(items);
    expect([...seededShuffle(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('synthetic knowledge', () => {
  it('has exactly the questions asked for, in ⌈n / perEntry⌉ entries with distinct ids', () => {
    for (const n of [1, 95, 1000]) {
      const syn = syntheticDocs(docs, n, { perEntry: 10 });
      expect(questionCount(syn)).toBe(n);
      expect(syn).toHaveLength(Math.ceil(n / 10));
      expect(new Set(syn.map((d) => d.id)).size).toBe(syn.length);
    }
    const syn = syntheticDocs(docs, 1000, { perEntry: 10 });
    expect(syn.every((d) => d.questions.nl.length === 5 && d.questions.en.length === 5)).toBe(true);
  });

  it('uses the real vocabulary of each language, and swaps words', () => {
    const vocab = realVocabulary(docs);
    const syn = syntheticDocs(docs, 2000);
    let swapped = 0;
    const real = new Set(docs.flatMap((d) => [...d.questions.nl, ...d.questions.en]).map((q) => tokenize(normalize(q)).join(' ')));
    for (const d of syn) {
      for (const lang of ['nl', 'en'] as const) {
        for (const q of d.questions[lang]) {
          for (const w of tokenize(q)) if (isContentWord(w)) expect(vocab.words[lang].has(w)).toBe(true);
          if (!real.has(q)) swapped++;
        }
      }
    }
    expect(swapped).toBeGreaterThan(1000); // most questions are new combinations of real words
    expect(vocab.words.nl.has('cobot')).toBe(true);
    expect(vocab.words.nl.size).toBeGreaterThan(500);
  });

  it('is repeatable with a seed, different with another, and the real questions without swapping', () => {
    expect(syntheticDocs(docs, 300, { seed: 1 })).toEqual(syntheticDocs(docs, 300, { seed: 1 }));
    expect(syntheticDocs(docs, 300, { seed: 1 })).not.toEqual(syntheticDocs(docs, 300, { seed: 2 }));
    const real = new Set(docs.flatMap((d) => [...d.questions.nl, ...d.questions.en]).map((q) => tokenize(normalize(q)).join(' ')));
    for (const d of syntheticDocs(docs, 200, { swap: 0 })) for (const q of [...d.questions.nl, ...d.questions.en]) expect(real.has(q)).toBe(true);
  });

  it('gives answers only when asked', () => {
    expect(syntheticDocs(docs, 50)[0]!.context).toBeUndefined();
    expect(syntheticDocs(docs, 50, { context: true })[0]!.context?.nl.length).toBeGreaterThan(20);
  });
});

describe('bench matcher', () => {
  it('builds ours as the bot does (src/nlu/knowledgeIndex.ts): the same answers', () => {
    const c = testConfig();
    const thresholds = { answer: c.answerThreshold, margin: c.answerMargin, disambiguate: c.disambiguateThreshold };
    const bot = prepareKnowledge(data, thresholds).matcher;
    const ours = oursMatcher(docs, { dir: KNOWLEDGE, data, docs, tests: [], thresholds }, new EntityRecognizer(data), true);
    for (const q of ['wat kost een cobot?', 'How do I start with predictive maintenance?', 'subsidie voor een robot in Limburg', 'mijn kat is ziek']) {
      expect(ours.match(q).candidates).toEqual(bot.match(q).candidates);
    }
  });
});

describe('bench helpers', () => {
  it('reads the headline rows of kb eval', () => {
    const stdout = [
      'Evaluating 699 labelled questions…',
      '',
      '                                                ours          NLP.js         fuse.js',
      '-----------------------------------  ---------------  --------------  --------------',
      'in scope, all                        85.7% (473/552)  65.5% (78/119)  42.0% (50/119)',
      '  Dutch                              84.8% (235/277)   59.3% (32/54)   35.2% (19/54)',
      '  compound                             86.8% (33/38)     50.0% (4/8)     37.5% (3/8)',
      'out of scope rejected                88.4% (130/147)    29.0% (9/31)     9.7% (3/31)',
      'latency p50 (ms)                               0.281           0.223         208.667',
      '',
      'In scope counts…',
      'PASS ours: 85.7% in scope (floor 83%), 88.4% out of scope rejected (floor 85%)',
    ].join('\n');
    const t = parseEvalTable(stdout);
    expect(t.matchers).toEqual(['ours', 'NLP.js', 'fuse.js']);
    expect(t.rows).toEqual([
      { label: 'in scope, all', cells: ['85.7% (473/552)', '65.5% (78/119)', '42.0% (50/119)'] },
      { label: 'Dutch', cells: ['84.8% (235/277)', '59.3% (32/54)', '35.2% (19/54)'] },
      { label: 'out of scope rejected', cells: ['88.4% (130/147)', '29.0% (9/31)', '9.7% (3/31)'] },
      { label: 'latency p50 (ms)', cells: ['0.281', '0.223', '208.667'] },
    ]);
    expect(t.verdict).toMatch(/^PASS ours:/);
  });

  it('edits an answer of a knowledge copy so that it still loads, with a new version', () => {
    const dir = copyKnowledge();
    try {
      const before = loadKnowledge(dir);
      const where = editAnswer(dir, 1);
      expect(where).toMatch(/^qna\/.+\.ya?ml:\d+$/);
      const after = loadKnowledge(dir);
      expect(after.data).not.toBeNull();
      expect(after.version).not.toBe(before.version);
      expect(after.problems.filter((p) => p.severity === 'error')).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the live heap from V8's --trace-gc lines of full collections only", () => {
    expect(parseFullGc('[12043:0x6b8e000]    21583 ms: Mark-Compact 217.3 (238.6) -> 67.5 (192.6) MB, 23.65 / 0.09 ms  (+ 19.3 ms in 32 steps)')).toEqual({ beforeMb: 217.3, afterMb: 67.5 });
    expect(parseFullGc('[1:0x1]  900 ms: Mark-Compact (reduce) 70.1 (80.0) -> 65.2 (75.0) MB, pooled: 0 MB, 12.1 / 0.00 ms')).toEqual({ beforeMb: 70.1, afterMb: 65.2 });
    expect(parseFullGc('[1:0x1]  901 ms: Scavenge 30.2 (40.0) -> 20.1 (40.0) MB, 1.2 / 0.0 ms')).toBeNull();
  });

  it('parses the options, and refuses unknown parts and sizes', () => {
    const o = parseOptions(['--only', 'matcher,e2e', '--quick', '--sizes', 'shipped,2k'], REPO);
    expect(o).toMatchObject({ only: ['e2e', 'matcher'], quick: true, sizes: ['shipped', 2000], rounds: 1 });
    expect(parseOptions(['--only', 'speed'], REPO)).toEqual({ error: expect.stringContaining('unknown part') });
    expect(parseOptions(['--sizes', 'huge'], REPO)).toEqual({ error: expect.stringContaining('--sizes') });
    expect(parseOptions(['--help'], REPO)).toEqual({ help: true });
  });
});

describe('cpu profile summary', () => {
  // root → main → match → rank (leaf), and main → build (leaf): 3 samples in rank, 1 in match, 2 in build.
  const frame = (functionName: string, url = 'file:///repo/dist/src/nlu/matcher.js', lineNumber = 0) => ({ functionName, url, lineNumber });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2] },
      { id: 2, callFrame: frame('main', 'file:///repo/dist/bench/bench.js'), children: [3, 5] },
      { id: 3, callFrame: frame('match', undefined, 260), children: [4] },
      { id: 4, callFrame: frame('rank', undefined, 315) },
      { id: 5, callFrame: frame('IntentClassifier', 'file:///repo/node_modules/some-pkg/lib/x.js', 27) },
    ],
    samples: [4, 4, 3, 5, 4, 5],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('ranks functions by self time, also inside one function only', () => {
    const all = topFunctions(profile, { root: '/repo' });
    expect(all.totalMs).toBe(6);
    expect(all.functions.map((f) => [f.name, f.selfMs])).toEqual([['rank', 3], ['IntentClassifier', 2], ['match', 1]]);
    expect(all.functions[0]!.where).toBe('dist/src/nlu/matcher.js:316');
    const inside = topFunctions(profile, { root: '/repo', under: 'match' });
    expect(inside.functions.map((f) => [f.name, f.share])).toEqual([['rank', 0.75], ['match', 0.25]]);
    expect(topFunctions(profile, { root: '/repo', under: 'nlu/matcher.js:match' }).totalMs).toBe(4);
    expect(topFunctions(profile, { root: '/repo', under: 'eval/peers.js:match' }).totalMs).toBe(0);
    expect(topFunctions(profile, { root: '/repo', skipMs: 3 }).totalMs).toBe(4);
  });

  it('sums self time by package', () => {
    const byPackage = topFunctions(profile, { root: '/repo', byPackage: true });
    expect(byPackage.functions.map((f) => [f.name, f.selfMs])).toEqual([['ours: src/nlu', 4], ['some-pkg', 2]]);
    expect(packageOf('node:internal/streams:12', 'x')).toBe('node: (Node.js internals)');
    expect(packageOf('@azure/core-client/dist/x.js:3', 'y')).toBe('@azure/core-client');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

describe('npm run bench (smoke)', () => {
  it('runs the matcher part on a tiny synthetic size and writes the results as documented', async () => {
    const script = path.join(REPO, 'dist/bench/bench.js');
    if (!fs.existsSync(script)) throw new Error('dist/bench/bench.js is missing: npm test builds it (npm run build)');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sia-bench-test-')), 'results.json');
    const r = await runNode([script, '--only', 'matcher', '--quick', '--sizes', '300', '--out', out], { timeoutMs: 55000 });
    expect(r.stderr).toContain('matcher: 300 synthetic');
    expect(r.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json).toMatchObject({
      schema: 1,
      startedAt: expect.any(String),
      seconds: expect.any(Number),
      machine: { cores: expect.any(Number), cpuModel: expect.any(String), node: process.version, os: expect.any(String) },
      e2e: null,
      startup: null,
      accuracy: null,
      errors: [],
      goals: expect.any(Array),
    });
    const [size] = json.matcher.sizes;
    expect(size).toMatchObject({ label: '300 synthetic', synthetic: true, questions: 300, entries: 30 });
    for (const name of ['ours', 'oursIndexOnly', 'nlpjs', 'fuse']) {
      const run = size.runs[name];
      expect(run).toBeDefined();
      if (run.skipped) expect(run.skipped).toEqual(expect.any(String));
      else expect(run).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number), buildMs: expect.any(Number), queries: expect.any(Number) });
    }
    expect(size.runs.oursIndexOnly.skipped).toBeUndefined();
    expect(json.matcher.queries).toBeGreaterThan(600);
    expect(json.matcher.synthetic).toMatchObject({ perEntry: 10, swap: 0.5 });
    expect(r.stdout).toMatch(/^part +case +who/m);
    expect(r.stdout).toContain('300 synthetic');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});

describe('the bot as npm start starts it', () => {
  it('takes the node flags of the start script, and none when it has none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-start-'));
    try {
      const write = (start: string) => fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
      write('npm run build --silent && node --max-old-space-size=256 --enable-source-maps dist/src/index.js');
      expect(startNodeFlags(dir)).toEqual(['--max-old-space-size=256', '--enable-source-maps']);
      write('npm run build --silent && node dist/src/index.js');
      expect(startNodeFlags(dir)).toEqual([]);
      // The repository's own start script: the benchmark and the soak measure the bot with its cap.
      expect(startNodeFlags(REPO)).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
