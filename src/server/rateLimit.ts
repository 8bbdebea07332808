/**
 * Rate limits as token buckets, one per key (a client address, a conversation): `perMinute`
 * requests a minute, in bursts of at most `perMinute`, refilled evenly over the minute. Pure: the
 * clock is passed in and nothing runs in the background.
 *
 * Memory is bounded: a bucket that has filled up again is the same as no bucket, so such buckets
 * are swept (at most once a minute, on use); and when `maxKeys` keys are tracked, the one used
 * least recently is dropped (it starts again with a full budget: the price of the bound).
 */

export interface RateLimitOptions {
  /** Requests a minute per key; 0 = no limit. */
  readonly perMinute: number;
  /** The most keys tracked at once (default 10000). */
  readonly maxKeys?: number;
  /** Milliseconds since the epoch (tests pass a clock). */
  readonly now?: () => number;
}

export type Verdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Whole seconds until the key may make its next request (at least 1). */
      readonly retryAfterSeconds: number;
      /** True for the first refusal since the key's last allowed request (log that one, not every one). */
      readonly first: boolean;
    };

interface Bucket {
  tokens: number;
  at: number;
  refused: boolean;
}

const ALLOWED: Verdict = Object.freeze({ ok: true });
export const DEFAULT_MAX_KEYS = 10_000;
const SWEEP_EVERY_MS = 60_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  /** Tokens per millisecond. */
  private readonly rate: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.perMinute) || options.perMinute < 0) throw new Error('perMinute must be a whole number, 0 or more');
    this.capacity = options.perMinute;
    this.rate = options.perMinute / 60_000;
    this.maxKeys = Math.max(1, options.maxKeys ?? DEFAULT_MAX_KEYS);
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Keys tracked right now. */
  get size(): number {
    return this.buckets.size;
  }

  /** Counts one request of the key. */
  take(key: string): Verdict {
    return this.check(key, true);
  }

  /** Whether the key may make a request now, without counting one. */
  peek(key: string): Verdict {
    return this.check(key, false);
  }

  private check(key: string, consume: boolean): Verdict {
    if (!this.enabled) return ALLOWED;
    const now = this.now();
    this.sweep(now);
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.rate);
      bucket.at = now;
      // Most recently used last: the first key of the map is the one to drop when full.
      this.buckets.delete(key);
      this.buckets.set(key, bucket);
    } else {
      if (!consume) return ALLOWED;
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.capacity, at: now, refused: false };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      if (consume) {
        bucket.tokens -= 1;
        bucket.refused = false;
      }
      return ALLOWED;
    }
    const first = consume && !bucket.refused;
    if (consume) bucket.refused = true;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate / 1000)), first };
  }

  /** Drops the buckets that have filled up again. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [key, b] of this.buckets) {
      if (b.tokens + Math.max(0, now - b.at) * this.rate >= this.capacity) this.buckets.delete(key);
    }
  }
}
