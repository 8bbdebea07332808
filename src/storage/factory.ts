/**
 * The store the configuration asks for: SQLite in DATA_DIR (default), Azure Blob Storage
 * (STORAGE=blob) or memory (STORAGE=memory, tests), wrapped so that an unreachable store
 * degrades the bot instead of failing it.
 */
import type { Logger } from 'pino';
import type { StorageConfig, StorageKind } from '../config';
import type { BlobStore as BlobStoreClass } from './blobStore';
import type { Store } from './contract';
import { MemoryStore } from './memoryStore';
import { ResilientStore } from './resilientStore';
import { SqliteStore } from './sqliteStore';
import { StoreHealth } from './storeHealth';

/** The raw store (no breaker): for commands that should fail loudly, such as `report` and `purge`. */
export function openStore(config: StorageConfig): Store {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteStore(config.dataDir);
    case 'blob': {
      // Loaded only when asked for: the Azure SDK adds a third of a second to every start.
      const { BlobStore } = require('./blobStore') as { BlobStore: typeof BlobStoreClass };
      return new BlobStore({ connectionString: config.blobConnectionString, container: config.blobContainer, timeoutMs: config.timeoutMs });
    }
    case 'memory':
      return new MemoryStore();
  }
}

export interface StorageBundle {
  readonly kind: StorageKind;
  /** The store behind the breaker: what the bot uses. */
  readonly store: ResilientStore;
  readonly health: StoreHealth;
  close(): Promise<void>;
}

export function createStorage(config: StorageConfig, logger: Logger): StorageBundle {
  const raw = openStore(config);
  const health = new StoreHealth({
    storeName: config.kind === 'blob' ? 'Azure Blob Storage' : config.kind === 'sqlite' ? 'the SQLite database' : 'memory storage',
    timeoutMs: config.timeoutMs,
    retryMs: config.retryMs,
    logger,
  });
  const store = new ResilientStore(raw, health);
  return { kind: config.kind, store, health, close: () => raw.close() };
}
