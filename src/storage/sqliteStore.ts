/**
 * The embedded default store: one SQLite database (better-sqlite3) in WAL mode in the data
 * folder. Several processes on one machine may share it: writers wait for each other up to the
 * busy timeout, readers never wait. A committed write survives a crash of the process (kill -9);
 * `synchronous=NORMAL` may lose the last commits on a power failure, never corrupt the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  checkETag,
  emptyCounts,
  RECORD_KINDS,
  type Lease,
  type RecordKind,
  type Store,
  type StoredRecord,
  type StoreItems,
} from './contract';

export const SQLITE_FILE = 'advisor.sqlite';

/** How long a writer waits for another process's write to finish before failing (ms). */
const BUSY_TIMEOUT_MS = 2000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state (
  key        TEXT PRIMARY KEY,
  etag       TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS state_updated_at ON state(updated_at);
CREATE TABLE IF NOT EXISTS leases (
  name       TEXT PRIMARY KEY,
  token      TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  at   TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_kind_at ON records(kind, at);
CREATE INDEX IF NOT EXISTS records_at ON records(at);
`;

function newETag(): string {
  return randomBytes(9).toString('base64url');
}

export class SqliteStore implements Store {
  readonly description: string;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmt;

  /** Opens (and creates when missing) the database in `dataDir`. */
  constructor(dataDir: string) {
    try {
      fs.mkdirSync(dataDir, { recursive: true });
    } catch (e) {
      throw new Error(`Cannot create the data folder ${dataDir} (${(e as Error).message}); set DATA_DIR to a folder the bot may write to.`);
    }
    this.file = path.join(dataDir, SQLITE_FILE);
    try {
      this.db = new Database(this.file);
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
    } catch (e) {
      throw new Error(`Cannot open the SQLite database ${this.file} (${(e as Error).message}); check that DATA_DIR is writable and the file is not damaged.`);
    }
    this.description = `SQLite (WAL) at ${this.file}`;
    this.stmt = {
      read: this.db.prepare<[string], { etag: string; value: string }>('SELECT etag, value FROM state WHERE key = ?'),
      etag: this.db.prepare<[string], { etag: string }>('SELECT etag FROM state WHERE key = ?'),
      upsert: this.db.prepare<[string, string, string, number]>(
        'INSERT INTO state (key, etag, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at',
      ),
      delete: this.db.prepare<[string]>('DELETE FROM state WHERE key = ?'),
      purgeState: this.db.prepare<[number]>('DELETE FROM state WHERE updated_at < ?'),
      lease: this.db.prepare<[string], { token: string; expires_at: number }>('SELECT token, expires_at FROM leases WHERE name = ?'),
      takeLease: this.db.prepare<[string, string, number]>(
        'INSERT INTO leases (name, token, expires_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at',
      ),
      renewLease: this.db.prepare<[number, string, string, number]>('UPDATE leases SET expires_at = ? WHERE name = ? AND token = ? AND expires_at > ?'),
      releaseLease: this.db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND token = ?'),
      insertRecord: this.db.prepare<[string, string, string]>('INSERT INTO records (kind, at, data) VALUES (?, ?, ?)'),
      listRecords: this.db.prepare<[string, string], { kind: RecordKind; at: string; data: string }>(
        'SELECT kind, at, data FROM records WHERE kind = ? AND at >= ? ORDER BY at, id',
      ),
      purgeRecords: this.db.prepare<[string, string]>('DELETE FROM records WHERE kind = ? AND at < ?'),
    };
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const row = this.stmt.read.get(key);
      if (row) out[key] = { ...JSON.parse(row.value), eTag: row.etag };
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (!entries.length) return;
    const now = Date.now();
    // One IMMEDIATE transaction: the eTag checks and the writes see no other writer in between,
    // and a conflict on any item rolls back all of them.
    this.db
      .transaction(() => {
        for (const [key, item] of entries) {
          checkETag(key, item?.eTag, this.stmt.etag.get(key)?.etag);
          const { eTag: _ignored, ...rest } = (item ?? {}) as Record<string, unknown>;
          this.stmt.upsert.run(key, newETag(), JSON.stringify(rest), now);
        }
      })
      .immediate();
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => keys.forEach((k) => this.stmt.delete.run(k))).immediate();
  }

  async purgeState(before: Date): Promise<number> {
    return this.stmt.purgeState.run(before.getTime()).changes;
  }

  async acquireLease(name: string, ttlMs: number): Promise<Lease | null> {
    return this.db
      .transaction((): Lease | null => {
        const now = Date.now();
        const held = this.stmt.lease.get(name);
        if (held && held.expires_at > now) return null;
        const token = newETag();
        this.stmt.takeLease.run(name, token, now + ttlMs);
        return { name, token };
      })
      .immediate();
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return this.stmt.renewLease.run(now + ttlMs, lease.name, lease.token, now).changes === 1;
  }

  async releaseLease(lease: Lease): Promise<void> {
    this.stmt.releaseLease.run(lease.name, lease.token);
  }

  async appendRecords(records: readonly StoredRecord[]): Promise<void> {
    if (!records.length) return;
    this.db
      .transaction(() => {
        for (const r of records) this.stmt.insertRecord.run(r.kind, r.at, JSON.stringify(r.data));
      })
      .immediate();
  }

  async listRecords(kind: RecordKind, options: { since?: Date } = {}): Promise<StoredRecord[]> {
    return this.stmt.listRecords.all(kind, options.since?.toISOString() ?? '').map((r) => ({ kind: r.kind, at: r.at, data: JSON.parse(r.data) }));
  }

  async purgeRecords(before: Date): Promise<Record<RecordKind, number>> {
    const cutoff = before.toISOString();
    const counts = emptyCounts();
    this.db
      .transaction(() => {
        for (const kind of RECORD_KINDS) counts[kind] = this.stmt.purgeRecords.run(kind, cutoff).changes;
      })
      .immediate();
    return counts;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
