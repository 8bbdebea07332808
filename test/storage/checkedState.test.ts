import { ConversationState, type TurnContext } from 'botbuilder';
import { CheckedConversationState, CheckedUserState } from '../../src/storage/checkedState';
import { StorageConflictError } from '../../src/storage/contract';
import { MemoryStore } from '../../src/storage/memoryStore';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { counterBot, runAll, storedCounter } from '../support/counterBot';

const KEY = 'test/conversations/c1/'; // ConversationState's key ends with its (empty) namespace

/** Runs `logic` as one turn of conversation c1. */
function turn(logic: (context: TurnContext) => Promise<void>, from = 'user-1') {
  return new LoopbackAdapter().turn({ conversation: { id: 'c1' } as never, from: { id: from, role: 'user' } as never }, logic);
}

describe('CheckedConversationState', () => {
  it('reads and saves like ConversationState from turn to turn', async () => {
    const store = new MemoryStore();
    const state = new CheckedConversationState(store);
    const memory = state.createProperty<{ lang?: string }>('memory');
    await turn(async (ctx) => {
      (await memory.get(ctx, {})).lang = 'en';
      await state.saveChanges(ctx);
    });
    await turn(async (ctx) => {
      expect((await memory.get(ctx, {})).lang).toBe('en');
      (await memory.get(ctx, {})).lang = 'nl';
      await state.saveChanges(ctx);
    });
    expect((await store.read([KEY]))[KEY]!.memory).toEqual({ lang: 'nl' });
  });

  it('does not write when nothing changed', async () => {
    const store = new MemoryStore();
    const write = jest.spyOn(store, 'write');
    const state = new CheckedConversationState(store);
    const memory = state.createProperty<{ lang?: string }>('memory');
    await turn(async (ctx) => {
      await memory.get(ctx, {});
      await state.saveChanges(ctx);
    });
    expect(write).toHaveBeenCalledTimes(1); // the default object was new
    await turn(async (ctx) => {
      await memory.get(ctx, {});
      await state.saveChanges(ctx);
    });
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('raises a StorageConflictError when another turn saved in between, and keeps that turn\'s update', async () => {
    const store = new MemoryStore();
    const state = new CheckedConversationState(store);
    const n = state.createProperty<number>('n');
    await turn(async (ctx) => {
      await n.set(ctx, 1);
      await state.saveChanges(ctx);
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = turn(async (ctx) => {
      const v = await n.get(ctx, 0);
      await gate; // another turn saves meanwhile
      await n.set(ctx, v + 10);
      await state.saveChanges(ctx);
    });
    await turn(async (ctx) => {
      await n.set(ctx, (await n.get(ctx, 0)) + 1);
      await state.saveChanges(ctx);
    });
    release();
    await expect(slow).rejects.toBeInstanceOf(StorageConflictError);
    expect((await store.read([KEY]))[KEY]!.n).toBe(2);
  });

  it('lets only one of two first turns of a new conversation create its state', async () => {
    const store = new MemoryStore();
    const bot = counterBot(store, { delayMs: 30 });
    const { ok, errors } = await runAll([() => bot.turn('c1'), () => bot.turn('c1')]);
    expect(ok).toBe(1);
    expect(errors).toEqual([expect.any(StorageConflictError)]);
    expect(await storedCounter(store, 'c1')).toBe(1);
  });

  it('saves twice in one turn, checking that nobody wrote in between', async () => {
    const store = new MemoryStore();
    const state = new CheckedConversationState(store);
    const n = state.createProperty<number>('n');
    await turn(async (ctx) => {
      await n.set(ctx, 1);
      await state.saveChanges(ctx);
      await n.set(ctx, 2);
      await state.saveChanges(ctx);
    });
    expect((await store.read([KEY]))[KEY]!.n).toBe(2);
    await expect(
      turn(async (ctx) => {
        await n.set(ctx, 3);
        await state.saveChanges(ctx);
        await store.write({ [KEY]: { n: 99 } }); // another turn, unconditionally
        await n.set(ctx, 4);
        await state.saveChanges(ctx);
      }),
    ).rejects.toThrow(/another turn changed it after this turn saved it/);
    expect((await store.read([KEY]))[KEY]!.n).toBe(99);
  });

  it('saves after delete and after clear', async () => {
    const store = new MemoryStore();
    const state = new CheckedConversationState(store);
    const n = state.createProperty<number>('n');
    await turn(async (ctx) => {
      await n.set(ctx, 1);
      await state.saveChanges(ctx);
      await state.delete(ctx);
      await n.set(ctx, 5);
      await state.saveChanges(ctx);
    });
    expect((await store.read([KEY]))[KEY]!.n).toBe(5);
    await turn(async (ctx) => {
      await n.get(ctx);
      await state.clear(ctx);
      await state.saveChanges(ctx);
    });
    expect((await store.read([KEY]))[KEY]).toEqual({ eTag: expect.any(String) });
  });

  it('plain ConversationState, by contrast, loses updates without a word (why this class exists)', async () => {
    const store = new MemoryStore();
    const bot = counterBot(store, { checked: false, delayMs: 20 });
    const { ok, errors } = await runAll(Array.from({ length: 10 }, () => () => bot.turn('c1')));
    expect(errors).toEqual([]);
    expect(ok).toBe(10);
    expect(await storedCounter(store, 'c1')).toBeLessThan(10);
  });
});

describe('CheckedUserState', () => {
  it('checks user state the same way (two conversations of one user)', async () => {
    const store = new MemoryStore();
    const state = new CheckedUserState(store);
    const visits = state.createProperty<number>('visits');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = turn(async (ctx) => {
      const v = await visits.get(ctx, 0);
      await gate;
      await visits.set(ctx, v + 1);
      await state.saveChanges(ctx);
    });
    await turn(async (ctx) => {
      await visits.set(ctx, (await visits.get(ctx, 0)) + 1);
      await state.saveChanges(ctx);
    });
    release();
    await expect(a).rejects.toBeInstanceOf(StorageConflictError);
    expect((await store.read(['test/users/user-1/']))['test/users/user-1/']!.visits).toBe(1);
    expect(new ConversationState(store)).toBeDefined();
  });
});
