/**
 * Conversation and user state that never lose an update silently.
 *
 * botbuilder's BotState.saveChanges writes with eTag '*' (last writer wins): when two turns of
 * one conversation run at once, the later save wipes out the earlier one without a word. These
 * subclasses write with the eTag they read (NOT_STORED when there was nothing), so a lost race
 * throws a StorageConflictError instead. The conversation lock (conversationLock.ts) makes such
 * races rare; this makes any that remain loud.
 *
 * A second save in the same turn first checks that the stored item is still the one this turn
 * wrote (stores do not hand back the new eTag) and then writes with its eTag.
 */
import { calculateChangeHash, ConversationState, UserState, type BotState, type Storage, type TurnContext } from 'botbuilder';
import { NOT_STORED, StorageConflictError } from './contract';

interface Version {
  /** The state object this version describes (clear() replaces the object). */
  readonly state: object;
  /** Hash of the state as read or last written. */
  readonly hash: string;
  /** eTag of the stored item as read, undefined when nothing was stored (or unknown after a write). */
  readonly eTag: string | undefined;
  /** True after this turn wrote: the next write must first check the store still holds our write. */
  readonly written: boolean;
}

type StateWithTag = Record<string, unknown> & { eTag?: string };

interface StateInternals {
  readonly storage: Storage;
  storageKey(context: TurnContext): string | Promise<string>;
}

/** The shared logic of the checked states. */
class VersionTracker {
  private readonly slot = Symbol('checkedState.version');

  constructor(private readonly owner: StateInternals & { get(context: TurnContext): object | undefined }) {}

  /** Call after BotState.load when it actually read the store. */
  remember(context: TurnContext, state: StateWithTag): void {
    const eTag = typeof state.eTag === 'string' && state.eTag ? state.eTag : undefined;
    context.turnState.set(this.slot, { state, hash: calculateChangeHash(state), eTag, written: false } satisfies Version);
  }

  forget(context: TurnContext): void {
    context.turnState.set(this.slot, undefined);
  }

  async save(context: TurnContext, force: boolean): Promise<void> {
    const state = this.owner.get(context) as StateWithTag | undefined;
    const version = context.turnState.get(this.slot) as Version | undefined;
    const current = state ?? {};
    const hash = calculateChangeHash(current);
    if (!force && (!state || (version && version.state === state && version.hash === hash))) return;

    const storage = this.owner.storage;
    const key = await this.owner.storageKey(context);
    let eTag: string;
    if (version && !version.written) {
      eTag = version.eTag ?? NOT_STORED;
    } else {
      // Never read in this turn (a blind write), or written before in this turn: ask the store.
      const stored = (await storage.read([key]))[key] as StateWithTag | undefined;
      if (version?.written && (!stored || calculateChangeHash(stored) !== version.hash)) {
        throw new StorageConflictError(key, 'another turn changed it after this turn saved it');
      }
      eTag = stored?.eTag ?? NOT_STORED;
    }
    const item: StateWithTag = { ...current, eTag };
    await storage.write({ [key]: item });
    // The cached object keeps the eTag of the last read (botbuilder would set '*' on it).
    context.turnState.set(this.slot, { state: current, hash, eTag: undefined, written: true } satisfies Version);
  }
}

/** A BotState subclass such as ConversationState or UserState (a mixin's base takes any arguments). */
type StateClass = new (...args: any[]) => BotState;

/** `Base` whose saves are checked against the eTag read in this turn. */
function checked<B extends StateClass>(Base: B) {
  return class extends Base {
    private readonly tracker = new VersionTracker(this as unknown as StateInternals & InstanceType<B>);

    override async load(context: TurnContext, force = false): Promise<any> {
      const fromStore = force || this.get(context) === undefined;
      const state = await super.load(context, force);
      if (fromStore) this.tracker.remember(context, state);
      return state;
    }

    override saveChanges(context: TurnContext, force = false): Promise<void> {
      return this.tracker.save(context, force);
    }

    override async delete(context: TurnContext): Promise<void> {
      await super.delete(context);
      this.tracker.forget(context);
    }
  };
}

/** ConversationState whose saves are checked against the eTag read in this turn. */
export class CheckedConversationState extends checked(ConversationState) {}

/** UserState whose saves are checked against the eTag read in this turn. */
export class CheckedUserState extends checked(UserState) {}
