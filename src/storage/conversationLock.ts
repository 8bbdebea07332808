/**
 * One turn at a time per conversation, across processes and instances.
 *
 * Before the turn, the middleware takes a lease named after the conversation in the configured
 * store (SQLite: a row in `leases` with an expiry, in an IMMEDIATE transaction; Azure: a blob
 * lease on a lock blob). When another turn holds it, it waits and tries again with a growing,
 * jittered pause (cut short when a turn of this process releases it), for at most `waitMs`; then
 * the turn fails with ConversationBusyError rather than run unguarded. The bot saves its state at the end of its run, inside `next()`, so the next turn
 * of the conversation reads what this one wrote. The lease is released after the turn.
 *
 * A lease expires after `ttlMs` unless renewed: while the turn runs it is renewed every third of
 * that, so a process that crashes blocks its conversation for at most `ttlMs`.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Lease, LeaseStore } from './contract';

export class ConversationBusyError extends Error {
  constructor(conversation: string, waitMs: number) {
    super(`conversation "${conversation}" is busy: another turn held its lock for more than ${waitMs} ms, so this message was not processed (raise LOCK_WAIT_MS if turns are this slow)`);
    this.name = 'ConversationBusyError';
  }
}

export interface ConversationLockOptions {
  readonly leases: LeaseStore;
  /** Lifetime of an unrenewed lease (ms). */
  readonly ttlMs: number;
  /** Longest wait for another turn of the same conversation (ms). */
  readonly waitMs: number;
  readonly logger: Logger;
  /** Stop renewing after this long: a turn stuck this long must not block its conversation for good. */
  readonly maxHoldMs?: number;
}

export interface LockStats {
  turns: number;
  /** Turns that had to wait for another turn of their conversation. */
  waited: number;
  /** Time spent taking the lock, waiting included (ms). */
  totalWaitMs: number;
  maxWaitMs: number;
  busy: number;
}

/** The lease name of a turn's conversation (the same scope as ConversationState's key). */
export function conversationLockName(context: TurnContext): string | null {
  const conversation = context.activity?.conversation?.id;
  if (!conversation) return null;
  return `${context.activity.channelId ?? ''}/conversations/${conversation}`;
}


export class ConversationLockMiddleware implements Middleware {
  readonly stats: LockStats = { turns: 0, waited: 0, totalWaitMs: 0, maxWaitMs: 0, busy: 0 };
  /** Turns of this process waiting for a lease: woken as soon as this process releases it. */
  private readonly sleepers = new Map<string, Set<() => void>>();

  constructor(private readonly options: ConversationLockOptions) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const name = conversationLockName(context);
    if (!name) return next();
    const started = Date.now();
    const { lease, retries } = await this.acquire(name);
    const waitedMs = Date.now() - started;
    this.record(waitedMs, retries);
    if (retries > 0) this.options.logger.debug({ conversationId: context.activity.conversation.id, waitedMs }, 'waited for the conversation lock');

    const renewer = this.keepAlive(lease, context.activity.conversation.id);
    try {
      await next();
    } finally {
      clearInterval(renewer);
      try {
        await this.options.leases.releaseLease(lease);
        this.wake(name);
      } catch (e) {
        // It expires by itself after the TTL.
        this.options.logger.warn({ err: e, conversationId: context.activity.conversation.id }, 'could not release the conversation lock; it expires by itself');
      }
    }
  }

  private async acquire(name: string): Promise<{ lease: Lease; retries: number }> {
    const deadline = Date.now() + this.options.waitMs;
    for (let attempt = 0; ; attempt++) {
      const lease = await this.options.leases.acquireLease(name, this.options.ttlMs);
      if (lease) return { lease, retries: attempt };
      const left = deadline - Date.now();
      if (left <= 0) {
        this.stats.busy++;
        throw new ConversationBusyError(name, this.options.waitMs);
      }
      const pause = Math.min(250, 10 * 1.5 ** attempt) * (0.5 + Math.random());
      await this.nap(name, Math.min(pause, left));
    }
  }

  /** Sleeps until the pause is over or a turn of this process releases the lease, whichever is first. */
  private nap(name: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const set = this.sleepers.get(name) ?? new Set<() => void>();
      this.sleepers.set(name, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (!set.size) this.sleepers.delete(name);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private wake(name: string): void {
    for (const done of [...(this.sleepers.get(name) ?? [])]) done();
  }

  private keepAlive(lease: Lease, conversationId: string): NodeJS.Timeout {
    const every = Math.max(50, Math.floor(this.options.ttlMs / 3));
    const until = Date.now() + (this.options.maxHoldMs ?? 10 * 60_000);
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing) return;
      if (Date.now() > until) {
        clearInterval(timer);
        this.options.logger.warn({ conversationId }, 'a turn has held its conversation lock for too long; it is no longer renewed and will expire');
        return;
      }
      renewing = true;
      this.options.leases
        .renewLease(lease, this.options.ttlMs)
        .then((kept) => {
          if (!kept) {
            clearInterval(timer);
            this.options.logger.warn({ conversationId }, 'lost the conversation lock during a slow turn; an overlapping turn will fail with a storage conflict instead of losing an update');
          }
        })
        .catch((e) => this.options.logger.warn({ err: e, conversationId }, 'could not renew the conversation lock'))
        .finally(() => (renewing = false));
    }, every);
    timer.unref?.();
    return timer;
  }

  private record(waitedMs: number, retries: number): void {
    this.stats.turns++;
    if (retries > 0) this.stats.waited++;
    this.stats.totalWaitMs += waitedMs;
    this.stats.maxWaitMs = Math.max(this.stats.maxWaitMs, waitedMs);
  }
}
