/**
 * The in-memory store (STORAGE=memory, tests): the full contract, nothing survives the process.
 */
import { randomUUID } from 'node:crypto';
import {
  checkETag,
  emptyCounts,
  type Lease,
  type RecordKind,
  type Store,
  type StoredRecord,
  type StoreItems,
} from './contract';

export class MemoryStore implements Store {
  readonly description = 'memory (nothing survives a restart; for tests)';
  private readonly items = new Map<string, { json: string; eTag: string; updatedAt: number }>();
  private readonly leases = new Map<string, { token: string; expiresAt: number }>();
  private records: StoredRecord[] = [];
  private seq = 0;

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) out[key] = { ...JSON.parse(item.json), eTag: item.eTag };
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    // Check every item first so that a conflict writes nothing.
    for (const [key, item] of Object.entries(changes)) checkETag(key, item?.eTag, this.items.get(key)?.eTag);
    for (const [key, item] of Object.entries(changes)) {
      const { eTag: _ignored, ...rest } = (item ?? {}) as Record<string, unknown>;
      this.items.set(key, { json: JSON.stringify(rest), eTag: String(++this.seq), updatedAt: Date.now() });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
  }

  async purgeState(before: Date): Promise<number> {
    let n = 0;
    for (const [key, item] of this.items) {
      if (item.updatedAt < before.getTime()) {
        this.items.delete(key);
        n++;
      }
    }
    return n;
  }

  async acquireLease(name: string, ttlMs: number): Promise<Lease | null> {
    const now = Date.now();
    const held = this.leases.get(name);
    if (held && held.expiresAt > now) return null;
    const token = randomUUID();
    this.leases.set(name, { token, expiresAt: now + ttlMs });
    return { name, token };
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
    const held = this.leases.get(lease.name);
    if (!held || held.token !== lease.token) return false;
    held.expiresAt = Date.now() + ttlMs;
    return true;
  }

  async releaseLease(lease: Lease): Promise<void> {
    if (this.leases.get(lease.name)?.token === lease.token) this.leases.delete(lease.name);
  }

  async appendRecords(records: readonly StoredRecord[]): Promise<void> {
    this.records.push(...records.map((r) => JSON.parse(JSON.stringify(r)) as StoredRecord));
  }

  async listRecords(kind: RecordKind, options: { since?: Date } = {}): Promise<StoredRecord[]> {
    const since = options.since?.toISOString() ?? '';
    return this.records.filter((r) => r.kind === kind && r.at >= since).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  async purgeRecords(before: Date): Promise<Record<RecordKind, number>> {
    const cutoff = before.toISOString();
    const counts = emptyCounts();
    this.records = this.records.filter((r) => {
      if (r.at >= cutoff) return true;
      counts[r.kind]++;
      return false;
    });
    return counts;
  }

  async close(): Promise<void> {}
}
