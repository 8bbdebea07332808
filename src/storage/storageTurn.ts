/**
 * Runs every turn in the store's scope, so that the turn knows whether storage let it down, and
 * tells the user once per conversation per outage that the bot cannot remember the conversation
 * right now.
 *
 * The bot may ask for itself: `storageFailedThisTurn(context)` says whether a store call of this
 * turn was skipped or failed; `takeStorageNotice(context)` is true once per conversation per
 * outage (the caller then tells the user). When the bot does not take the notice itself, this
 * middleware sends its own: before the first message of the turn when the failure is already
 * known then, otherwise after the turn.
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { conversationLockName } from './conversationLock';
import type { StoreHealth, TurnStorage } from './storeHealth';

const TURN = Symbol('storage.turn');

interface TurnSlot {
  readonly turn: TurnStorage;
  readonly health: StoreHealth;
}

function slot(context: TurnContext): TurnSlot | undefined {
  return context.turnState.get(TURN) as TurnSlot | undefined;
}

/** True when a store call of this turn was skipped or failed: what this turn changes is not kept. */
export function storageFailedThisTurn(context: TurnContext): boolean {
  return slot(context)?.turn.degraded === true;
}

/** True once per conversation per outage, on a turn that storage let down: tell the user now. */
export function takeStorageNotice(context: TurnContext): boolean {
  const s = slot(context);
  return s ? s.health.takeNotice(s.turn) : false;
}

export interface StorageTurnOptions {
  readonly health: StoreHealth;
  /** The notice to send (text or activity); null when the bot tells the user itself. */
  readonly notice: ((context: TurnContext) => string | Partial<Activity>) | null;
}

export class StorageTurnMiddleware implements Middleware {
  constructor(private readonly options: StorageTurnOptions) {}

  onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { health, notice } = this.options;
    return health.runTurn(conversationLockName(context) ?? '', async (turn) => {
      context.turnState.set(TURN, { turn, health } satisfies TurnSlot);
      if (!notice) return next();

      let sending = false;
      const tell = async (ctx: TurnContext) => {
        sending = true;
        try {
          const n = notice(ctx);
          await ctx.sendActivity(typeof n === 'string' ? { type: 'message', text: n } : n);
        } finally {
          sending = false;
        }
      };
      context.onSendActivities(async (ctx, activities, nextSend) => {
        if (!sending && activities.some((a) => a.type === 'message') && health.takeNotice(turn)) await tell(ctx);
        return nextSend();
      });
      await next();
      // The failure showed only at the end (saving the state): say it after the replies.
      if (health.takeNotice(turn)) await tell(context);
    });
  }
}
