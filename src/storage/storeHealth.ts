/**
 * Is the store reachable? A circuit breaker shared by every use of one store (state, leases,
 * insights), and the record of which turns it let down.
 *
 * - closed (healthy): every call goes to the store, bounded by a timeout.
 * - A call that fails or times out (a conflict is not a failure: it is the store's answer) opens
 *   the breaker: the cause is logged once for the whole outage, and for `retryMs` no call reaches
 *   the store (reads find nothing, writes are skipped).
 * - After `retryMs` the next call is a probe; when it succeeds the breaker closes, the recovery is
 *   logged, and the bot has its memory back. When it fails, the next probe waits `retryMs` again.
 *
 * Turns run inside a scope (AsyncLocalStorage), so a call that is skipped or fails marks exactly
 * the turn it belongs to as degraded, even with many turns in flight.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import { isStorageConflict } from './contract';

export interface TurnStorage {
  /** channelId/conversationId of the turn. */
  readonly conversation: string;
  /** True once a store call of this turn was skipped or failed: its state will not be kept. */
  degraded: boolean;
}

export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

export class StorageTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms (STORAGE_TIMEOUT_MS)`);
    this.name = 'StorageTimeoutError';
  }
}

/** The store is down and the call was not made (or failed); the cause is in the log. */
export class StorageUnavailableError extends Error {
  constructor(what: string, cause?: string) {
    super(`storage unavailable for ${what}${cause ? `: ${cause}` : ''}; it is retried automatically`);
    this.name = 'StorageUnavailableError';
  }
}

export interface StoreHealthOptions {
  readonly storeName: string;
  readonly timeoutMs: number;
  readonly retryMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface Outage {
  readonly since: number;
  readonly cause: string;
  retryAt: number;
  probing: boolean;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageTimeoutError(what, ms)), ms);
    timer.unref?.();
  });
  promise.catch(() => undefined); // a late failure after the timeout must not go unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class StoreHealth {
  private readonly scope = new AsyncLocalStorage<TurnStorage>();
  private outage: Outage | null = null;
  private readonly told = new Set<string>();
  private readonly now: () => number;
  /** Outages so far (for tests and the health endpoint). */
  outages = 0;

  constructor(private readonly options: StoreHealthOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True while the store is considered unreachable. */
  get degraded(): boolean {
    return this.outage !== null;
  }

  /** Why the store is unreachable (for the health endpoint), or null. */
  get cause(): string | null {
    return this.outage?.cause ?? null;
  }

  /** Runs one turn in its own scope, so that store calls can mark it degraded. */
  runTurn<T>(conversation: string, fn: (turn: TurnStorage) => Promise<T>): Promise<T> {
    const turn: TurnStorage = { conversation, degraded: false };
    return this.scope.run(turn, () => fn(turn));
  }

  /** The turn the current code runs in, if any. */
  currentTurn(): TurnStorage | undefined {
    return this.scope.getStore();
  }

  /**
   * True once per conversation per outage, for a degraded turn: the moment to tell the user that
   * the bot cannot remember the conversation right now.
   */
  takeNotice(turn: TurnStorage): boolean {
    if (!turn.degraded || this.told.has(turn.conversation)) return false;
    this.told.add(turn.conversation);
    return true;
  }

  /**
   * Runs a store call through the breaker. `{ ok: false }` when the store is down or the call
   * failed (the current turn is then marked degraded, unless `markTurn` is false). A conflict is
   * rethrown: it is a healthy store's answer.
   */
  async attempt<T>(what: string, op: () => Promise<T>, options: { markTurn?: boolean } = {}): Promise<Attempt<T>> {
    const turn = options.markTurn === false ? undefined : this.scope.getStore();
    const outage = this.outage;
    if (outage) {
      if (this.now() < outage.retryAt || outage.probing) {
        if (turn) turn.degraded = true;
        return { ok: false };
      }
      outage.probing = true;
    }
    try {
      const value = await withTimeout(Promise.resolve().then(op), this.options.timeoutMs, what);
      this.recovered();
      return { ok: true, value };
    } catch (e) {
      if (isStorageConflict(e)) {
        this.recovered();
        throw e;
      }
      this.failed(what, e);
      if (turn) turn.degraded = true;
      return { ok: false };
    }
  }

  private recovered(): void {
    const outage = this.outage;
    if (!outage) return;
    this.outage = null;
    this.told.clear();
    this.options.logger.info(
      { store: this.options.storeName, downForMs: this.now() - outage.since },
      `storage is reachable again after ${Math.round((this.now() - outage.since) / 1000)} s; conversations are remembered again`,
    );
  }

  private failed(what: string, e: unknown): void {
    const cause = e instanceof Error ? e.message : String(e);
    const now = this.now();
    if (this.outage) {
      this.outage.retryAt = now + this.options.retryMs;
      this.outage.probing = false;
      this.options.logger.debug({ store: this.options.storeName, what, cause }, 'storage still unreachable');
      return;
    }
    this.outage = { since: now, cause, retryAt: now + this.options.retryMs, probing: false };
    this.outages++;
    this.options.logger.error(
      { store: this.options.storeName, what, err: e },
      `storage unreachable (${cause}); the bot goes on without remembering conversations and tries the store again every ${Math.round(this.options.retryMs / 100) / 10} s. Check that ${this.options.storeName} is up and reachable.`,
    );
  }
}
