/**
 * What every part of the benchmark shares: the options, the repository, the time budget, the
 * progress line, the labelled questions, and the start-up times seen along the way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../src/config';
import { loadKnowledge } from '../src/knowledge/loader';
import { loadTestSet, type LabelledQuestion } from '../src/knowledge/testSet';
import type { KnowledgeData } from '../src/knowledge/types';
import { matchDocs } from '../src/nlu/knowledgeIndex';
import type { MatchDoc, Thresholds } from '../src/nlu/matcher';

export type PartName = 'e2e' | 'startup' | 'matcher' | 'accuracy';
export const PARTS: readonly PartName[] = ['e2e', 'startup', 'matcher', 'accuracy'];

export type SizeSpec = 'shipped' | number;

export interface BenchOptions {
  readonly only: readonly PartName[];
  readonly quick: boolean;
  readonly check: boolean;
  /** Seconds the benchmark may take (the build before it not counted). */
  readonly budgetSeconds: number;
  readonly out: string;
  readonly sizes: readonly SizeSpec[];
  readonly concurrency: readonly number[];
  readonly rounds: number;
  /** One measured window of the e2e part, ms. */
  readonly windowMs: number;
  /** Seconds of load on our bot before its RSS is read again. */
  readonly loadSeconds: number;
  readonly peerSample: number;
  readonly peers: boolean;
  /** Synthetic entries also get their model's answer (swapped) as context. */
  readonly syntheticAnswers: boolean;
}

export interface Knowledge {
  readonly dir: string;
  readonly data: KnowledgeData;
  readonly docs: readonly MatchDoc[];
  readonly tests: readonly LabelledQuestion[];
  readonly thresholds: Thresholds;
}

export class BenchContext {
  readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly deadline: number;
  /** Ready times (ms) of every start of our bot and of the echo bot during the run. */
  readonly starts = { ours: [] as number[], echo: [] as number[] };
  readonly notes: string[] = [];
  /** What the matcher part measured of the peers on the shipped knowledge (sizes the accuracy part's run). */
  readonly peerCosts: { nlpTrainMs?: number; fuseQueryMs?: number } = {};
  private knowledgeCache: Knowledge | null = null;
  private tmpDir: string | null = null;

  constructor(
    readonly options: BenchOptions,
    readonly repo: string,
    private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {
    this.deadline = this.t0 + options.budgetSeconds * 1000;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Seconds left of the budget. */
  remaining(): number {
    return (this.deadline - performance.now()) / 1000;
  }

  progress(line: string): void {
    this.write(`[${this.elapsedSeconds().toFixed(1).padStart(5)} s] ${line}`);
  }

  note(line: string): void {
    this.notes.push(line);
  }

  /** A temp folder of this run: the children's working folder (no .env: the embedded defaults), data, knowledge copies. */
  tmp(): string {
    this.tmpDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sia-bench-'));
    return this.tmpDir;
  }

  cleanup(): void {
    if (this.tmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
    this.tmpDir = null;
  }

  get knowledgeDir(): string {
    return path.join(this.repo, 'knowledge');
  }

  /** The shipped knowledge, what the matcher reaches, and the labelled test questions. */
  knowledge(): Knowledge {
    if (this.knowledgeCache) return this.knowledgeCache;
    const dir = this.knowledgeDir;
    const loaded = loadKnowledge(dir, { displayRoot: this.repo });
    if (!loaded.data) throw new Error(`the knowledge in ${dir} does not load: run npm run kb -- check`);
    const { docs } = matchDocs(loaded.data);
    const set = loadTestSet(dir, new Set(docs.map((d) => d.id)), docs.flatMap((d) => [...d.questions.nl, ...d.questions.en]), this.repo);
    const errors = set.problems.filter((p) => p.severity === 'error');
    if (errors.length) throw new Error(`knowledge/tests has ${errors.length} error(s): run npm run kb -- check`);
    const c = configFromEnv({}, this.repo);
    this.knowledgeCache = {
      dir,
      data: loaded.data,
      docs,
      tests: set.tests,
      thresholds: { answer: c.answerThreshold, margin: c.answerMargin, disambiguate: c.disambiguateThreshold },
    };
    return this.knowledgeCache;
  }

  /** The environment of a child: only what a shell needs, so a developer's settings do not leak in. */
  childEnv(extra: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT']) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    return { ...env, ...extra };
  }
}
