/**
 * Retention: `npm run kb -- purge` deletes the
 * questions, feedback and transcripts older than INSIGHTS_RETENTION_DAYS, and the conversation
 * and user state no turn has used for that long. The bot also does this at start-up and daily.
 */
import type { Config } from '../config';
import type { RecordStore, Store } from '../storage/contract';
import { openStore } from '../storage/factory';
import { describePurge, purgeExpired } from '../insights/retention';
import { readConfig } from './common';

export interface PurgeIO {
  out(line: string): void;
  err(line: string): void;
}

export async function runPurge(config: Config, io: PurgeIO, options: { store?: RecordStore & Pick<Store, 'purgeState'>; now?: Date } = {}): Promise<number> {
  let owned: Store | null = null;
  try {
    owned = options.store ? null : openStore(config.storage);
  } catch (e) {
    io.err((e as Error).message);
    return 1;
  }
  const store = options.store ?? owned!;
  try {
    const result = await purgeExpired(store, config.insights.retentionDays, options.now ?? new Date());
    io.out(`${describePurge(result)} (INSIGHTS_RETENTION_DAYS=${config.insights.retentionDays})`);
    return 0;
  } catch (e) {
    io.err(`Could not purge (${(e as Error).message}). Check STORAGE and its settings in .env, and that the store is reachable.`);
    return 1;
  } finally {
    await owned?.close();
  }
}

/** `kb purge`. */
export async function purgeCommand(io: PurgeIO): Promise<number> {
  const config = readConfig(io.err);
  return config ? runPurge(config, io) : 2;
}
