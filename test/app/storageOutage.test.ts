/**
 * The real bot (createBotCore with STORAGE=blob) while Azure Blob Storage goes away and comes
 * back: Azurite is killed mid-conversation and started again on the same port.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { createBotCore, type BotCore } from '../../src/app';
import { BlobStore } from '../../src/storage/blobStore';
import { startAzurite, type Azurite } from '../support/azurite';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { memoryLogger, testConfig } from '../support/testConfig';

const NOTICE = /technical problem I can't remember this conversation|technische storing kan ik dit gesprek/;

function bot(azurite: Azurite, container: string) {
  const mem = memoryLogger('debug');
  const core: BotCore = createBotCore(
    testConfig({ STORAGE: 'blob', STORAGE_BLOB_CONNECTION_STRING: azurite.connectionString, STORAGE_BLOB_CONTAINER: container, STORAGE_RETRY_MS: '300', STORAGE_TIMEOUT_MS: '2000' }),
    mem.logger,
  );
  const adapter = new LoopbackAdapter();
  adapter.onTurnError = core.adapterErrorHandler;
  core.middleware.forEach((m) => adapter.use(m));
  const logic = (c: TurnContext) => core.bot.run(c);
  /** A message; `text: ''` asks for the menu, whose language shows what the bot remembers. */
  const say = async (conversation: string, text: string) => {
    const replies = await adapter.turn({ conversation: { id: conversation } as never, text, locale: 'nl-NL' }, logic);
    return replies.filter((r: Partial<Activity>) => r.type === 'message');
  };
  const stateOf = async (conversation: string) => {
    const raw = new BlobStore({ connectionString: azurite.connectionString, container, timeoutMs: 2000 });
    const key = `test/conversations/${conversation}/`;
    return ((await raw.read([key]))[key] as { memory?: { lang?: string } } | undefined)?.memory;
  };
  const logged = (re: RegExp) => mem.lines().filter((l) => re.test(l.msg));
  return { core, mem, say, stateOf, logged };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the bot during a storage outage', () => {
  let azurite: Azurite;
  afterEach(async () => {
    await azurite.stop();
  });

  it('goes on without memory, tells each conversation once, logs the cause once, and recovers by itself (in-memory Azurite)', async () => {
    azurite = await startAzurite();
    const { core, say, stateOf, logged } = bot(azurite, 'outage');
    try {
      // Before: the conversation's language is remembered.
      const first = await say('o-1', 'What is a digital twin?');
      expect(first[0]!.locale).toBe('en-US');
      expect(await stateOf('o-1')).toMatchObject({ lang: 'en' });
      expect((await say('o-1', ''))[0]!.locale).toBe('en-US');

      await azurite.stop('SIGKILL');

      // During: answers still come, with the notice once, before the first reply.
      const during = await say('o-1', 'What is a digital twin?');
      expect(during.map((m) => NOTICE.test(m.text ?? ''))).toEqual([true, false]);
      expect(during[0]!.locale).toBe('en-US');
      expect(during[1]!.text).toMatch(/digital twin/i);
      expect((await say('o-1', 'What is a digital twin?')).some((m) => NOTICE.test(m.text ?? ''))).toBe(false);
      // The memory is gone for now: the menu comes in the channel's language.
      const forgotten = await say('o-1', '');
      expect(forgotten[0]!.locale).toBe('nl-NL');
      expect(forgotten.some((m) => NOTICE.test(m.text ?? ''))).toBe(false);
      // Another conversation is told too, once.
      expect((await say('o-2', 'Wat is een cobot?')).filter((m) => NOTICE.test(m.text ?? ''))).toHaveLength(1);
      expect(core.storage!.health.degraded).toBe(true);
      expect(logged(/storage unreachable/)).toHaveLength(1);
      expect(logged(/turn failed/)).toHaveLength(0);

      await azurite.start(); // same port, empty (in memory)
      await pause(400); // STORAGE_RETRY_MS=300: the next call probes the store

      // After: remembered again, no notice; the container is created afresh.
      const after = await say('o-1', 'What is a digital twin?');
      expect(after.some((m) => NOTICE.test(m.text ?? ''))).toBe(false);
      expect(core.storage!.health.degraded).toBe(false);
      expect(logged(/storage is reachable again/)).toHaveLength(1);
      expect(await stateOf('o-1')).toMatchObject({ lang: 'en' });
      expect((await say('o-1', ''))[0]!.locale).toBe('en-US');
    } finally {
      await core.close();
      core.store.stop();
    }
  });

  it('reads the conversation from before the outage again once the store is back (Azurite on disk)', async () => {
    azurite = await startAzurite({ persist: true });
    const { core, say } = bot(azurite, 'outage-disk');
    try {
      await say('d-1', 'What is a digital twin?');
      await azurite.stop('SIGTERM'); // Azurite writes its on-disk index only now and then: a clean stop keeps it
      expect((await say('d-1', ''))[0]!.locale).toBe('nl-NL'); // nothing remembered while it is down
      await azurite.start();
      await pause(400);
      const back = await say('d-1', '');
      expect(back[0]!.locale).toBe('en-US'); // the English of before the outage
      expect(back.some((m) => NOTICE.test(m.text ?? ''))).toBe(false);
    } finally {
      await core.close();
      core.store.stop();
    }
  });
});
