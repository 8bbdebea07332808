/**
 * The storage contract every store implements (SQLite, Azure Blob, memory):
 *
 * - **State** is botbuilder's `Storage` (read, write, delete) with eTag optimistic concurrency.
 *   Every write gives the item a new eTag. A write whose item carries an eTag other than `'*'`
 *   (or none) succeeds only when it matches the stored item's eTag; `NOT_STORED` succeeds only
 *   when nothing is stored under the key. Otherwise the write throws a `StorageConflictError`
 *   and changes nothing.
 * - **Leases** serialise the turns of one conversation across processes and instances.
 * - **Records** are dated, append-only entries (the editors' question log, feedback,
 *   transcripts) that can be listed and purged by age.
 */
import type { Storage } from 'botbuilder';

export type { Storage, StoreItems } from 'botbuilder';

/** The eTag that means "write only if nothing is stored under this key yet". */
export const NOT_STORED = '(not stored)';

/** A write lost the optimistic-concurrency race: someone else wrote the item first. */
export class StorageConflictError extends Error {
  readonly key: string;
  constructor(key: string, detail = 'it was changed by another turn since it was read') {
    super(`Storage conflict on "${key}": ${detail}. Nothing was written; read the item again and retry.`);
    this.name = 'StorageConflictError';
    this.key = key;
  }
}

export function isStorageConflict(e: unknown): e is StorageConflictError {
  return e instanceof StorageConflictError;
}

/** True when a write carrying this eTag must not be checked against the stored one. */
export function isUnconditional(eTag: unknown): boolean {
  return eTag === undefined || eTag === null || eTag === '' || eTag === '*';
}

/** Throws a StorageConflictError unless a write carrying `eTag` may replace an item stored with `stored`. */
export function checkETag(key: string, eTag: unknown, stored: string | undefined): void {
  if (isUnconditional(eTag)) return;
  if (eTag === NOT_STORED) {
    if (stored !== undefined) throw new StorageConflictError(key, 'it was created by another turn meanwhile');
    return;
  }
  if (stored === undefined) throw new StorageConflictError(key, 'it was deleted since it was read');
  if (stored !== eTag) throw new StorageConflictError(key);
}

/** A held lease: the proof needed to renew and release it. */
export interface Lease {
  readonly name: string;
  readonly token: string;
}

export interface LeaseStore {
  /** Takes the lease for `ttlMs` when nobody holds it (or the holder's lease expired); null when it is taken. */
  acquireLease(name: string, ttlMs: number): Promise<Lease | null>;
  /** Extends a held lease by `ttlMs`; false when it was lost (expired and taken by someone else). */
  renewLease(lease: Lease, ttlMs: number): Promise<boolean>;
  /** Gives a lease up; a lease that was lost meanwhile is left alone. */
  releaseLease(lease: Lease): Promise<void>;
}

/** The kinds of dated records the stores keep. */
export type RecordKind = 'question' | 'feedback' | 'transcript';

export interface StoredRecord {
  readonly kind: RecordKind;
  /** ISO 8601 timestamp (UTC). */
  readonly at: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface RecordStore {
  /** Appends records (one batch; the store may write them in one go). */
  appendRecords(records: readonly StoredRecord[]): Promise<void>;
  /** Records of one kind, oldest first, optionally only those at or after `since`. */
  listRecords(kind: RecordKind, options?: { since?: Date }): Promise<StoredRecord[]>;
  /** Deletes every record older than `before`; returns how many of each kind went. */
  purgeRecords(before: Date): Promise<Record<RecordKind, number>>;
}

/** One backend: state, leases and records, plus a name for the logs and a way to close it. */
export interface Store extends Storage, LeaseStore, RecordStore {
  /** Deletes conversation and user state not written since `before`; returns how many items went. */
  purgeState(before: Date): Promise<number>;
  /** For the start-up log, e.g. "SQLite (WAL) at /srv/bot/data/advisor.sqlite". */
  readonly description: string;
  close(): Promise<void>;
}

export const RECORD_KINDS: readonly RecordKind[] = ['question', 'feedback', 'transcript'];

export function emptyCounts(): Record<RecordKind, number> {
  return { question: 0, feedback: 0, transcript: 0 };
}
