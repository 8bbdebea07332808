/**
 * A store that never takes the bot down with it: every call goes through the StoreHealth
 * breaker. While the store is unreachable, state reads find nothing and state writes are
 * skipped (the bot goes on stateless), a lease is granted without the store (the turn runs
 * unguarded, which is harmless when nothing can be saved), and insights calls throw
 * StorageUnavailableError so that their caller can keep the records and try later.
 *
 * Once a turn was let down, its later writes are skipped too, even if the store came back in the
 * meantime: a turn that started from empty state must not overwrite the real one.
 */
import { StorageUnavailableError, type StoreHealth } from './storeHealth';
import type { Lease, RecordKind, Store, StoredRecord, StoreItems } from './contract';

/** A lease granted while the store was unreachable: it guards nothing. */
export interface UnguardedLease extends Lease {
  readonly unguarded: true;
}

export function isUnguarded(lease: Lease): lease is UnguardedLease {
  return (lease as Partial<UnguardedLease>).unguarded === true;
}

export class ResilientStore implements Store {
  readonly description: string;

  constructor(
    readonly inner: Store,
    readonly health: StoreHealth,
  ) {
    this.description = inner.description;
  }

  private turnLetDown(): boolean {
    return this.health.currentTurn()?.degraded === true;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (this.turnLetDown()) return {};
    const r = await this.health.attempt('reading state', () => this.inner.read(keys));
    return r.ok ? r.value : {};
  }

  async write(changes: StoreItems): Promise<void> {
    if (this.turnLetDown()) return;
    await this.health.attempt('writing state', () => this.inner.write(changes));
  }

  async delete(keys: string[]): Promise<void> {
    if (this.turnLetDown()) return;
    await this.health.attempt('deleting state', () => this.inner.delete(keys));
  }

  async purgeState(before: Date): Promise<number> {
    return this.must('purging old state', () => this.inner.purgeState(before));
  }

  async acquireLease(name: string, ttlMs: number): Promise<Lease | null> {
    const r = await this.health.attempt('taking a conversation lock', () => this.inner.acquireLease(name, ttlMs));
    if (r.ok) return r.value;
    const unguarded: UnguardedLease = { name, token: '', unguarded: true };
    return unguarded;
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
    if (isUnguarded(lease)) return true;
    const r = await this.health.attempt('renewing a conversation lock', () => this.inner.renewLease(lease, ttlMs));
    return r.ok && r.value;
  }

  async releaseLease(lease: Lease): Promise<void> {
    if (isUnguarded(lease)) return;
    // Released outside the turn's marks: a failure here cannot lose this turn's state any more.
    await this.health.attempt('releasing a conversation lock', () => this.inner.releaseLease(lease), { markTurn: false });
  }

  async appendRecords(records: readonly StoredRecord[]): Promise<void> {
    await this.must('writing insights', () => this.inner.appendRecords(records));
  }

  async listRecords(kind: RecordKind, options?: { since?: Date }): Promise<StoredRecord[]> {
    return this.must(`reading ${kind} records`, () => this.inner.listRecords(kind, options));
  }

  async purgeRecords(before: Date): Promise<Record<RecordKind, number>> {
    return this.must('purging old insights', () => this.inner.purgeRecords(before));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async must<T>(what: string, op: () => Promise<T>): Promise<T> {
    const r = await this.health.attempt(what, op, { markTurn: false });
    if (!r.ok) throw new StorageUnavailableError(what, this.health.cause ?? undefined);
    return r.value;
  }
}
