/**
 * The conversations of the local Direct Line, in memory and bounded: at most `maxConversations`
 * at a time, at most `maxQueued` activities each (the oldest are dropped), and conversations
 * nobody asked about for `idleMs` are swept away. Each activity gets a sequence number; the
 * watermark a client sends back is the last number it has seen.
 *
 * This state lives in one process: several instances behind a load balancer need Azure Direct
 * Line or sticky sessions.
 */
import type { Activity } from 'botbuilder';

export interface ActivityGroup {
  readonly activities: Activity[];
  /** The sequence number of the newest activity the client now has, as a string. */
  readonly watermark: string;
}

export type Listener = (group: ActivityGroup) => void;

export class Conversation {
  /** Sequence number of the newest activity (0 = none yet). */
  private seq = 0;
  private readonly queue: Array<{ seq: number; activity: Activity }> = [];
  private readonly listeners = new Set<Listener>();
  private turns: Promise<unknown> = Promise.resolve();
  lastSeenAt: number;
  /** Set once the conversation's start (and the welcome) has been sent to the bot. */
  started = false;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly createdAt: number,
    readonly locale: string | undefined,
    private readonly maxQueued: number,
  ) {
    this.lastSeenAt = createdAt;
  }

  /** Adds an activity for the client: gives it its id and sequence number, tells the listeners. */
  append(activity: Activity, now: number): Activity {
    const seq = ++this.seq;
    const stored = { ...activity, id: `${this.id}.${String(seq).padStart(7, '0')}`, timestamp: new Date(now) } as Activity;
    this.queue.push({ seq, activity: stored });
    while (this.queue.length > this.maxQueued) this.queue.shift();
    const group: ActivityGroup = { activities: [stored], watermark: String(seq) };
    for (const l of this.listeners) {
      try {
        l(group);
      } catch {
        // a listener that fails (a closed socket) must not stop the others
      }
    }
    return stored;
  }

  /** The activities after a watermark ('' or undefined = from the start). */
  after(watermark: number): ActivityGroup {
    return { activities: this.queue.filter((q) => q.seq > watermark).map((q) => q.activity), watermark: String(this.seq) };
  }

  get queued(): number {
    return this.queue.length;
  }

  get lastSeq(): number {
    return this.seq;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Runs turns of this conversation one after the other, as a channel delivers them. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turns.then(work, work);
    this.turns = run.catch(() => undefined);
    return run;
  }
}

export interface StoreOptions {
  readonly maxConversations: number;
  readonly maxQueued: number;
  readonly idleMs: number;
  /** A conversation older than this is removed even when busy (no token can still reach it). */
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly removedListeners = new Set<(c: Conversation) => void>();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: StoreOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.conversations.size;
  }

  /** A new conversation, or null when the store is full. */
  create(id: string, userId: string, locale: string | undefined): Conversation | null {
    const existing = this.conversations.get(id);
    if (existing) return existing;
    if (this.conversations.size >= this.options.maxConversations) {
      this.sweep();
      if (this.conversations.size >= this.options.maxConversations) return null;
    }
    const c = new Conversation(id, userId, this.now(), locale, this.options.maxQueued);
    this.conversations.set(id, c);
    return c;
  }

  /** The conversation, marked as seen now. */
  get(id: string): Conversation | undefined {
    const c = this.conversations.get(id);
    if (c) c.lastSeenAt = this.now();
    return c;
  }

  appendNow(c: Conversation, activity: Activity): Activity {
    return c.append(activity, this.now());
  }

  onRemoved(listener: (c: Conversation) => void): void {
    this.removedListeners.add(listener);
  }

  /** Removes idle and too old conversations; returns how many went. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [id, c] of this.conversations) {
      if (now - c.lastSeenAt >= this.options.idleMs || now - c.createdAt >= this.options.maxAgeMs) {
        this.conversations.delete(id);
        removed++;
        for (const l of this.removedListeners) l(c);
      }
    }
    return removed;
  }

  /** Sweeps every `intervalMs` on a timer that does not keep the process alive. */
  startSweeping(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
