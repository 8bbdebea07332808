/**
 * Retention: questions, feedback and transcripts older than INSIGHTS_RETENTION_DAYS are deleted,
 * and so is conversation and user state that no turn has touched for that long. Run by
 * `purge`, at start-up and once a day while the bot runs.
 */
import type { Logger } from 'pino';
import type { RecordKind, RecordStore, Store } from '../storage/contract';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  readonly cutoff: Date;
  readonly records: Record<RecordKind, number>;
  readonly states: number;
}

export function retentionCutoff(retentionDays: number, now: Date = new Date()): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export async function purgeExpired(store: RecordStore & Pick<Store, 'purgeState'>, retentionDays: number, now: Date = new Date()): Promise<PurgeResult> {
  const cutoff = retentionCutoff(retentionDays, now);
  const records = await store.purgeRecords(cutoff);
  const states = await store.purgeState(cutoff);
  return { cutoff, records, states };
}

export function describePurge(r: PurgeResult): string {
  return `Deleted ${r.records.question} question(s), ${r.records.feedback} feedback vote(s), ${r.records.transcript} transcript line(s) from before ${r.cutoff.toISOString().slice(0, 10)}, and ${r.states} conversation/user state(s) unused since then.`;
}

/** Purges now and then every day; returns a function that stops the daily run. */
export function startRetention(store: RecordStore & Pick<Store, 'purgeState'>, retentionDays: number, logger: Logger): () => void {
  const run = () =>
    purgeExpired(store, retentionDays)
      .then((r) => {
        const total = r.records.question + r.records.feedback + r.records.transcript + r.states;
        if (total) logger.info({ ...r.records, states: r.states, retentionDays }, describePurge(r));
      })
      .catch((e) => logger.warn({ err: e }, `could not purge insights older than ${retentionDays} days; trying again tomorrow (or run "npm run kb -- purge")`));
  void run();
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
