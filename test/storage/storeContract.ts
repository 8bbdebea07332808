/**
 * The storage contract, as tests every store must pass (SQLite, Azure Blob via Azurite, memory):
 * read/write/delete, eTags and conflicts, leases, dated records.
 */
import { NOT_STORED, isStorageConflict, StorageConflictError, type Store } from '../../src/storage/contract';

export interface ContractSubject {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** The same store opened again (another process or instance would do this), when it persists. */
  reopen?(store: Store): Promise<Store>;
  /** The shortest lease this store supports, in ms (Azure: 15 s, too long to wait for in a test). */
  shortLeaseMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function storeContract(name: string, subject: ContractSubject): void {
  describe(`${name}: the storage contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await subject.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('reads nothing for keys never written', async () => {
      expect(await store.read(['nope/conversations/1', 'nope/users/2'])).toEqual({});
    });

    it('writes and reads back values with an eTag, key by key', async () => {
      await store.write({ 'webchat/conversations/a': { memory: { lang: 'en' } }, 'webchat/users/u': { seen: 3 } });
      const got = await store.read(['webchat/conversations/a', 'webchat/users/u', 'missing']);
      expect(Object.keys(got).sort()).toEqual(['webchat/conversations/a', 'webchat/users/u']);
      expect(got['webchat/conversations/a']).toEqual({ memory: { lang: 'en' }, eTag: expect.any(String) });
      expect(got['webchat/users/u']!.seen).toBe(3);
    });

    it('keeps text, nesting and odd keys intact (Teams ids, accents, emoji)', async () => {
      const key = 'msteams/conversations/a:1Xyz_ab-CD@thread.v2;messageid=17/éé ?#%';
      const value = { text: 'Café “quoted” 👍 ëéè — 日本', list: [1, { deep: [true, null] }], empty: '' };
      await store.write({ [key]: value });
      const { eTag, ...rest } = (await store.read([key]))[key]!;
      expect(rest).toEqual(value);
      expect(eTag).toEqual(expect.any(String));
    });

    it('gives every write a new eTag; an unconditional write ("*" or none) always succeeds', async () => {
      await store.write({ k: { n: 1 } });
      const first = (await store.read(['k'])).k!.eTag;
      await store.write({ k: { n: 2, eTag: '*' } });
      const second = (await store.read(['k'])).k!.eTag;
      await store.write({ k: { n: 3 } });
      const third = (await store.read(['k'])).k!;
      expect(new Set([first, second, third.eTag]).size).toBe(3);
      expect(third.n).toBe(3);
    });

    it('accepts a write with the current eTag and refuses a stale one with a StorageConflictError', async () => {
      await store.write({ k: { n: 1 } });
      const v1 = (await store.read(['k'])).k!;
      await store.write({ k: { ...v1, n: 2 } });
      const v2 = (await store.read(['k'])).k!;
      expect(v2.n).toBe(2);
      let error: unknown;
      try {
        await store.write({ k: { ...v1, n: 99 } }); // v1's eTag is stale now
      } catch (e) {
        error = e;
      }
      expect(isStorageConflict(error)).toBe(true);
      expect((error as StorageConflictError).key).toBe('k');
      expect((error as Error).message).toMatch(/Storage conflict on "k".*read the item again and retry/);
      expect((await store.read(['k'])).k).toEqual(v2);
    });

    it('NOT_STORED creates only: it succeeds on a new key and conflicts when the key exists', async () => {
      await store.write({ fresh: { n: 1, eTag: NOT_STORED } });
      expect((await store.read(['fresh'])).fresh!.n).toBe(1);
      await expect(store.write({ fresh: { n: 2, eTag: NOT_STORED } })).rejects.toBeInstanceOf(StorageConflictError);
      expect((await store.read(['fresh'])).fresh!.n).toBe(1);
    });

    it('refuses a conditional write to a key that is gone', async () => {
      await store.write({ k: { n: 1 } });
      const v1 = (await store.read(['k'])).k!;
      await store.delete(['k']);
      await expect(store.write({ k: { ...v1, n: 2 } })).rejects.toBeInstanceOf(StorageConflictError);
      expect(await store.read(['k'])).toEqual({});
    });

    it('deletes items; deleting a missing key is fine', async () => {
      await store.write({ a: { n: 1 }, b: { n: 2 } });
      await store.delete(['a', 'never-there']);
      expect(Object.keys(await store.read(['a', 'b']))).toEqual(['b']);
    });

    if (subject.reopen) {
      it('keeps what was written when the store is closed and opened again', async () => {
        await store.write({ 'webchat/conversations/p': { memory: { lang: 'nl', lastEntryId: 'cobot-cost' } } });
        await store.appendRecords([{ kind: 'question', at: '2026-01-02T03:04:05.000Z', data: { text: 'q' } }]);
        const before = (await store.read(['webchat/conversations/p']))['webchat/conversations/p'];
        const again = await subject.reopen!(store);
        try {
          expect((await again.read(['webchat/conversations/p']))['webchat/conversations/p']).toEqual(before);
          expect((await again.listRecords('question')).map((r) => r.data.text)).toEqual(['q']);
        } finally {
          if (again !== store) await again.close();
        }
      });
    }

    it('leases: one holder at a time; renew keeps it; release frees it; a stale token cannot release it', async () => {
      const ttl = subject.shortLeaseMs ?? 15_000;
      const a = await store.acquireLease('webchat/conversations/x', ttl);
      expect(a).not.toBeNull();
      expect(await store.acquireLease('webchat/conversations/x', ttl)).toBeNull();
      expect(await store.acquireLease('webchat/conversations/y', ttl)).not.toBeNull(); // other conversations are independent
      expect(await store.renewLease(a!, ttl)).toBe(true);
      await store.releaseLease({ name: a!.name, token: 'not-the-token' });
      expect(await store.acquireLease('webchat/conversations/x', ttl)).toBeNull();
      await store.releaseLease(a!);
      const b = await store.acquireLease('webchat/conversations/x', ttl);
      expect(b).not.toBeNull();
      expect(await store.renewLease(a!, ttl)).toBe(false); // a's lease is gone
      await store.releaseLease(b!);
    });

    if (subject.shortLeaseMs !== undefined && subject.shortLeaseMs < 1000) {
      it('lets a lease expire when its holder stops renewing it (a crashed process)', async () => {
        const ttl = subject.shortLeaseMs!;
        const crashed = await store.acquireLease('c', ttl);
        expect(crashed).not.toBeNull();
        expect(await store.acquireLease('c', ttl)).toBeNull();
        await sleep(ttl + 50);
        const next = await store.acquireLease('c', ttl);
        expect(next).not.toBeNull();
        expect(await store.renewLease(crashed!, ttl)).toBe(false);
      });
    }

    it('records: appends, lists one kind oldest first from a date, purges by age with counts', async () => {
      await store.appendRecords([
        { kind: 'question', at: '2026-03-01T10:00:00.000Z', data: { text: 'new' } },
        { kind: 'question', at: '2025-11-01T10:00:00.000Z', data: { text: 'old' } },
        { kind: 'feedback', at: '2025-10-01T10:00:00.000Z', data: { entryId: 'e', vote: 'down' } },
      ]);
      await store.appendRecords([{ kind: 'transcript', at: '2026-03-02T00:00:00.000Z', data: { text: 'hi 👋' } }]);
      expect((await store.listRecords('question')).map((r) => r.data.text)).toEqual(['old', 'new']);
      expect((await store.listRecords('question', { since: new Date('2026-01-01T00:00:00Z') })).map((r) => r.data.text)).toEqual(['new']);
      expect(await store.listRecords('feedback')).toEqual([{ kind: 'feedback', at: '2025-10-01T10:00:00.000Z', data: { entryId: 'e', vote: 'down' } }]);
      expect(await store.purgeRecords(new Date('2026-01-01T00:00:00Z'))).toEqual({ question: 1, feedback: 1, transcript: 0 });
      expect((await store.listRecords('question')).map((r) => r.data.text)).toEqual(['new']);
      expect(await store.listRecords('feedback')).toEqual([]);
      expect((await store.listRecords('transcript'))[0]!.data.text).toBe('hi 👋');
    });

    it('purges state not written since a date, and keeps newer state', async () => {
      await store.write({ 'webchat/conversations/old': { n: 1 } });
      expect(await store.purgeState(new Date(Date.now() - 60_000))).toBe(0);
      expect(Object.keys(await store.read(['webchat/conversations/old']))).toHaveLength(1);
      expect(await store.purgeState(new Date(Date.now() + 60_000))).toBe(1);
      expect(await store.read(['webchat/conversations/old'])).toEqual({});
    });
  });
}
