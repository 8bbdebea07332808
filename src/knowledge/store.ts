/**
 * Holds the current knowledge snapshot and replaces it atomically when an editor saves a file.
 * A broken edit never replaces a good snapshot: the last good one keeps serving and the
 * problems are reported (with file:line:col) through the `onReport` callback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledge, type LoadOptions } from './loader';
import type { KnowledgeData, Problem } from './types';

export interface Snapshot<T> {
  readonly version: string;
  readonly loadedAt: Date;
  readonly data: KnowledgeData;
  /** What the `prepare` function built from the data (the matcher index, for one). */
  readonly prepared: T;
}

export interface ReloadReport {
  readonly ok: boolean;
  readonly version: string;
  readonly problems: readonly Problem[];
  /** True when the files had not changed and nothing was rebuilt. */
  readonly unchanged?: boolean;
  readonly ms: number;
}

export interface StoreOptions<T> extends LoadOptions {
  readonly dir: string;
  /** Builds what the bot needs from valid data; `version` is the hash of the files' contents. */
  readonly prepare: (data: KnowledgeData, version: string) => T;
  readonly onReport?: (report: ReloadReport) => void;
}

export class KnowledgeLoadError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`the knowledge base has ${problems.filter((p) => p.severity === 'error').length} error(s)`);
    this.name = 'KnowledgeLoadError';
  }
}

export class KnowledgeStore<T> {
  private snapshot: Snapshot<T> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastSignature = '';
  private pendingSignature = '';

  constructor(private readonly options: StoreOptions<T>) {}

  /** Loads the first snapshot; throws KnowledgeLoadError when the files have errors. */
  init(): Snapshot<T> {
    const report = this.reload();
    if (!report.ok || !this.snapshot) throw new KnowledgeLoadError(report.problems);
    this.lastSignature = this.signature();
    return this.snapshot;
  }

  current(): Snapshot<T> {
    if (!this.snapshot) throw new Error('KnowledgeStore.current() called before init()');
    return this.snapshot;
  }

  /** Loads, validates and prepares the files; swaps the snapshot only when all is well. */
  reload(): ReloadReport {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    const result = loadKnowledge(this.options.dir, this.options);
    let report: ReloadReport;
    if (!result.data) {
      report = { ok: false, version: result.version, problems: result.problems, ms: ms() };
    } else if (this.snapshot && this.snapshot.version === result.version) {
      report = { ok: true, version: result.version, problems: result.problems, unchanged: true, ms: ms() };
    } else {
      try {
        const prepared = this.options.prepare(result.data, result.version);
        this.snapshot = Object.freeze({ version: result.version, loadedAt: new Date(), data: result.data, prepared });
        report = { ok: true, version: result.version, problems: result.problems, ms: ms() };
      } catch (e) {
        const problem: Problem = { file: this.options.dir, line: 1, col: 1, severity: 'error', message: `could not build the matcher: ${(e as Error).message}` };
        report = { ok: false, version: result.version, problems: [...result.problems, problem], ms: ms() };
      }
    }
    this.options.onReport?.(report);
    return report;
  }

  /**
   * Checks the folder every `intervalMs` and reloads once a change has settled (the file list,
   * sizes and modification times are the same on two checks in a row), so a half-written file
   * is not read mid-save. Deleting the folder keeps the last good snapshot.
   */
  watch(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private poll(): void {
    let sig: string;
    try {
      sig = this.signature();
    } catch {
      sig = 'unreadable';
    }
    if (sig === this.lastSignature) {
      this.pendingSignature = '';
      return;
    }
    if (sig !== this.pendingSignature) {
      this.pendingSignature = sig; // changed: wait one more tick for the save to settle
      return;
    }
    this.lastSignature = sig;
    this.pendingSignature = '';
    this.reload();
  }

  /** File names, sizes and modification times of everything under the folder. */
  private signature(): string {
    const parts: string[] = [];
    const walk = (d: string) => {
      for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, ent.name);
        if (ent.isDirectory()) walk(p);
        else if (/\.(ya?ml|json)$/.test(ent.name)) {
          const st = fs.statSync(p);
          parts.push(`${p}:${st.size}:${st.mtimeMs}`);
        }
      }
    };
    try {
      walk(this.options.dir);
    } catch (e) {
      return `error:${(e as NodeJS.ErrnoException).code ?? 'unknown'}`;
    }
    return parts.sort().join('|');
  }
}
