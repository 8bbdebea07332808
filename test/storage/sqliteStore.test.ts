import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore, SQLITE_FILE } from '../../src/storage/sqliteStore';
import { storeContract } from './storeContract';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-sqlite-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

storeContract('SqliteStore', {
  open: async () => new SqliteStore(tempDir()),
  reopen: async (store) => {
    const dir = path.dirname((store as SqliteStore).file);
    await store.close();
    return new SqliteStore(dir);
  },
  shortLeaseMs: 150,
});

describe('SqliteStore', () => {
  it('creates the data folder, and uses WAL with a busy timeout (safe for several processes)', async () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const store = new SqliteStore(dir);
    await store.close();
    expect(fs.existsSync(path.join(dir, SQLITE_FILE))).toBe(true);
    const db = new Database(path.join(dir, SQLITE_FILE));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    expect(store.description).toBe(`SQLite (WAL) at ${path.join(dir, SQLITE_FILE)}`);
  });

  it('sees another connection\'s writes and eTags at once (two processes on one machine)', async () => {
    const dir = tempDir();
    const a = new SqliteStore(dir);
    const b = new SqliteStore(dir);
    try {
      await a.write({ k: { n: 1 } });
      const seen = (await b.read(['k'])).k!;
      expect(seen.n).toBe(1);
      await b.write({ k: { ...seen, n: 2 } });
      await expect(a.write({ k: { ...seen, n: 3 } })).rejects.toThrow(/Storage conflict on "k"/);
      expect(await a.acquireLease('l', 5000)).not.toBeNull();
      expect(await b.acquireLease('l', 5000)).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes all items of one write or none of them', async () => {
    const store = new SqliteStore(tempDir());
    try {
      await store.write({ a: { n: 1 } });
      const a = (await store.read(['a'])).a!;
      await store.write({ a: { n: 2 } });
      await expect(store.write({ b: { n: 1 }, a: { ...a, n: 3 } })).rejects.toThrow(/conflict/);
      expect(await store.read(['b'])).toEqual({});
    } finally {
      await store.close();
    }
  });

  it('says which folder to fix when the data folder cannot be created', () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => new SqliteStore(path.join(file, 'data'))).toThrow(/Cannot create the data folder .*set DATA_DIR to a folder the bot may write to/);
  });
});
