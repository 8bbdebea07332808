/**
 * The bot's InsightsSink on the configured store. A call redacts the text, queues a record and
 * returns at once: the records are written in small batches after the turn, never on the reply
 * path, and a failure is logged, never thrown into the turn. While the store is unreachable the
 * records wait in memory (up to `maxQueued`, the oldest dropped first) and are written when it is
 * back.
 */
import type { Logger } from 'pino';
import type { InsightsSink } from '../../dialogs/mainDialog';
import type { RecordStore, StoredRecord } from '../storage/contract';
import { StorageUnavailableError } from '../storage/storeHealth';
import { pseudonym, type FeedbackData, type QuestionData } from './records';
import { redact } from './redact';

export interface InsightsWriterOptions {
  readonly store: RecordStore;
  readonly logger: Logger;
  /** Records are written this long after the first one was queued (ms). */
  readonly flushDelayMs?: number;
  /** After a failed write, try again after this long (ms). */
  readonly retryDelayMs?: number;
  readonly maxQueued?: number;
  readonly now?: () => Date;
}

export interface InsightsWriterStats {
  written: number;
  dropped: number;
  failedWrites: number;
}

type QuestionEvent = Parameters<InsightsSink['question']>[0];
type FeedbackEvent = Parameters<InsightsSink['feedback']>[0];

export class InsightsWriter implements InsightsSink {
  readonly stats: InsightsWriterStats = { written: 0, dropped: 0, failedWrites: 0 };
  private queue: StoredRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;
  private failing = false;
  private closed = false;
  private readonly flushDelayMs: number;
  private readonly retryDelayMs: number;
  private readonly maxQueued: number;
  private readonly now: () => Date;

  constructor(private readonly options: InsightsWriterOptions) {
    this.flushDelayMs = options.flushDelayMs ?? 200;
    this.retryDelayMs = options.retryDelayMs ?? 5000;
    this.maxQueued = options.maxQueued ?? 5000;
    this.now = options.now ?? (() => new Date());
  }

  async question(e: QuestionEvent): Promise<void> {
    this.safely('question', () => {
      const data: QuestionData = {
        text: redact(e.text),
        lang: e.lang,
        decision: e.decision,
        candidates: e.candidates.slice(0, 5).map((c) => ({ id: c.id, score: Math.round(c.score * 1000) / 1000 })),
        conversation: pseudonym(e.conversationId),
      };
      this.enqueue({ kind: 'question', at: this.now().toISOString(), data: { ...data } });
    });
  }

  async feedback(e: FeedbackEvent): Promise<void> {
    this.safely('feedback', () => {
      const data: FeedbackData = { entryId: e.entryId, vote: e.vote, lang: e.lang, conversation: pseudonym(e.conversationId) };
      this.enqueue({ kind: 'feedback', at: this.now().toISOString(), data: { ...data } });
    });
  }

  /** Queues a record that is already redacted (transcripts). */
  enqueue(record: StoredRecord): void {
    if (this.closed) return;
    this.queue.push(record);
    if (this.queue.length > this.maxQueued) {
      const over = this.queue.length - this.maxQueued;
      this.queue.splice(0, over);
      this.stats.dropped += over;
    }
    this.schedule(this.failing ? this.retryDelayMs : this.flushDelayMs, !this.failing);
  }

  /** Writes everything queued now (tests, shutdown). Never throws. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    while (this.queue.length) {
      this.flushing = this.writeBatch().finally(() => (this.flushing = null));
      if (!(await this.flushing)) return;
    }
  }

  /** Writes what is queued and stops taking records. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes up to 500 queued records; false when the store refused them (they stay queued). */
  private async writeBatch(): Promise<boolean> {
    const batch = this.queue.splice(0, 500);
    try {
      await this.options.store.appendRecords(batch);
      this.stats.written += batch.length;
      if (this.failing) this.options.logger.info({ written: batch.length }, 'insights are written again');
      this.failing = false;
      return true;
    } catch (e) {
      this.stats.failedWrites++;
      this.queue.unshift(...batch);
      if (this.queue.length > this.maxQueued) {
        const over = this.queue.length - this.maxQueued;
        this.queue.splice(0, over);
        this.stats.dropped += over;
      }
      if (!this.failing) {
        // StorageUnavailableError: the store's outage is logged once by its breaker already.
        const log = e instanceof StorageUnavailableError ? this.options.logger.debug.bind(this.options.logger) : this.options.logger.warn.bind(this.options.logger);
        log({ err: e, queued: this.queue.length }, `could not write insights; keeping up to ${this.maxQueued} in memory and trying again every ${this.retryDelayMs / 1000} s`);
      }
      this.failing = true;
      this.schedule(this.retryDelayMs, false);
      return false;
    }
  }

  private schedule(ms: number, keepAlive: boolean): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    // A pending write keeps the process alive a moment; a retry while the store is down does not.
    if (!keepAlive) this.timer.unref?.();
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.options.logger.warn({ err: e }, `could not record a ${what} for the editors' insights`);
    }
  }
}
