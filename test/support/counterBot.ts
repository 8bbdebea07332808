/**
 * The smallest bot that shows a lost update: each turn reads a counter from conversation state,
 * waits a moment, and saves the counter plus one. Run N turns of one conversation at once: with
 * the lock the counter ends at N; without it, plain state ends lower without a word, and
 * eTag-checked state throws a StorageConflictError for every turn it could not save.
 */
import { ConversationState, type BotState, type Middleware, type Storage, type TurnContext } from 'botbuilder';
import { CheckedConversationState } from '../../src/storage/checkedState';
import { LoopbackAdapter } from './loopbackAdapter';

export interface CounterBot {
  readonly adapter: LoopbackAdapter;
  readonly state: BotState;
  /** Runs one turn of the conversation; rejects with the turn's error. */
  turn(conversationId: string): Promise<void>;
}

export function counterBot(storage: Storage, options: { middleware?: Middleware[]; checked?: boolean; delayMs?: number } = {}): CounterBot {
  const state = options.checked === false ? new ConversationState(storage) : new CheckedConversationState(storage);
  const counter = state.createProperty<{ n: number }>('counter');
  const adapter = new LoopbackAdapter();
  for (const m of options.middleware ?? []) adapter.use(m);
  const logic = async (context: TurnContext) => {
    const c = await counter.get(context, { n: 0 });
    const seen = c.n;
    await new Promise((r) => setTimeout(r, options.delayMs ?? 20));
    c.n = seen + 1;
    await state.saveChanges(context);
  };
  return {
    adapter,
    state,
    turn: async (conversationId) => {
      await adapter.turn({ conversation: { id: conversationId } as never, text: 'count' }, logic);
    },
  };
}

/** The counter as stored for a conversation of the loopback channel. */
export async function storedCounter(storage: Storage, conversationId: string): Promise<number> {
  const key = `test/conversations/${conversationId}/`;
  const item = (await storage.read([key]))[key] as { counter?: { n: number } } | undefined;
  return item?.counter?.n ?? 0;
}

/** Runs all turns at once; returns how many succeeded and the errors of the others. */
export async function runAll(turns: Array<() => Promise<void>>): Promise<{ ok: number; errors: unknown[] }> {
  const results = await Promise.allSettled(turns.map((t) => t()));
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
  };
}
