/**
 * The scale-out store (STORAGE=blob): Azure Blob Storage, shared by every instance of the bot.
 *
 * - State goes through botbuilder-azure-blobs' BlobsStorage (one JSON blob per key, eTag checks
 *   with If-Match). BlobsStorage reports a lost eTag race as a plain Error; here it becomes a
 *   StorageConflictError. It cannot create-if-absent, so a write with NOT_STORED is an upload with
 *   If-None-Match: * through the same SDK, to the blob name BlobsStorage would use.
 * - Leases are Azure blob leases on small lock blobs (`locks/<hash>`): Azure expires them by itself
 *   after 15..60 s when the holder dies.
 * - Records are JSON blobs of one batch each: `insights/<kind>/<day>/<newest>_<count>_<random>.json`,
 *   so that purging by age needs only the names.
 *
 * BlobsStorage remembers a failed container check for good, and a container can vanish (a
 * restarted in-memory Azurite): after any failure the clients are rebuilt, so the store recovers
 * by itself when the service is back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { azureBlob, errorCodeOf, sanitizeBlobKey, statusOf, type ContainerClient, type StoragePipelineOptions } from './azureBlobSdk';
import {
  NOT_STORED,
  StorageConflictError,
  emptyCounts,
  RECORD_KINDS,
  type Lease,
  type RecordKind,
  type Store,
  type StoredRecord,
  type StoreItems,
} from './contract';

export interface BlobStoreOptions {
  readonly connectionString: string;
  readonly container: string;
  /** One HTTP attempt longer than this fails (ms). */
  readonly timeoutMs: number;
}

const INSIGHTS_PREFIX = 'insights/';
const LOCKS_PREFIX = 'locks/';
const LIST_CONCURRENCY = 8;

/** Azure blob leases last 15 to 60 seconds. */
export function leaseSeconds(ttlMs: number): number {
  return Math.min(60, Math.max(15, Math.ceil(ttlMs / 1000)));
}

function isBlobsStorageConflict(e: unknown): boolean {
  return e instanceof Error && /due to eTag conflict/.test(e.message);
}

function safeTime(iso: string): string {
  return iso.replace(/:/g, '-');
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class BlobStore implements Store {
  readonly description: string;
  private readonly pipeline: StoragePipelineOptions;
  private blobs: BlobsStorage | null = null;
  private containerClient: ContainerClient | null = null;
  private containerReady: Promise<unknown> | null = null;

  constructor(private readonly options: BlobStoreOptions) {
    const endpoint = /BlobEndpoint=([^;]+)/i.exec(options.connectionString)?.[1] ?? `account ${/AccountName=([^;]+)/i.exec(options.connectionString)?.[1] ?? '?'}`;
    this.description = `Azure Blob Storage, container "${options.container}" at ${endpoint}`;
    // Fail fast: the SDK's default retries would hold a turn for minutes when the service is down.
    this.pipeline = {
      retryOptions: { maxTries: 2, tryTimeoutInMs: options.timeoutMs, retryDelayInMs: 100, maxRetryDelayInMs: 500 },
    };
  }

  private get state(): BlobsStorage {
    return (this.blobs ??= new BlobsStorage(this.options.connectionString, this.options.container, { storagePipelineOptions: this.pipeline }));
  }

  private get container(): ContainerClient {
    return (this.containerClient ??= new azureBlob.ContainerClient(this.options.connectionString, this.options.container, this.pipeline));
  }

  private async ready(): Promise<ContainerClient> {
    const client = this.container;
    this.containerReady ??= client.createIfNotExists();
    await this.containerReady;
    return client;
  }

  /** After a failure: start afresh (new clients, container checked again). */
  private reset(): void {
    this.blobs = null;
    this.containerClient = null;
    this.containerReady = null;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (!(e instanceof StorageConflictError)) this.reset();
      if (errorCodeOf(e) === 'ContainerNotFound') return op(); // reset() made the next call create it again
      throw e;
    }
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.guard(() => this.state.read(keys));
  }

  async write(changes: StoreItems): Promise<void> {
    // One item at a time, so that a conflict names its key (blob storage has no multi-blob transactions).
    for (const [key, item] of Object.entries(changes)) {
      await this.guard(async () => {
        if (item?.eTag === NOT_STORED) {
          const { eTag: _ignored, ...rest } = item as Record<string, unknown>;
          const body = JSON.stringify(rest);
          try {
            await (await this.ready()).getBlockBlobClient(sanitizeBlobKey(key)).upload(body, Buffer.byteLength(body), {
              conditions: { ifNoneMatch: '*' },
              blobHTTPHeaders: { blobContentType: 'application/json' },
            });
          } catch (e) {
            if (statusOf(e) === 409 || statusOf(e) === 412) throw new StorageConflictError(key, 'it was created by another turn meanwhile');
            throw e;
          }
          return;
        }
        try {
          await this.state.write({ [key]: item });
        } catch (e) {
          if (isBlobsStorageConflict(e)) throw new StorageConflictError(key);
          throw e;
        }
      });
    }
  }

  delete(keys: string[]): Promise<void> {
    return this.guard(() => this.state.delete(keys));
  }

  async purgeState(before: Date): Promise<number> {
    return this.guard(async () => {
      const container = await this.ready();
      const old: string[] = [];
      let states = 0;
      for await (const blob of container.listBlobsFlat()) {
        if (blob.name.startsWith(INSIGHTS_PREFIX)) continue;
        if (blob.properties.lastModified && blob.properties.lastModified < before) {
          old.push(blob.name);
          if (!blob.name.startsWith(LOCKS_PREFIX)) states++;
        }
      }
      // A lock blob whose lease is held refuses deletion: it stays, which is right.
      await mapLimit(old, LIST_CONCURRENCY, (name) => container.deleteBlob(name).catch(() => undefined));
      return states;
    });
  }

  private lockBlob(name: string) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 40);
    return this.container.getBlockBlobClient(`${LOCKS_PREFIX}${hash}`);
  }

  async acquireLease(name: string, ttlMs: number): Promise<Lease | null> {
    return this.guard(async () => {
      await this.ready();
      const blob = this.lockBlob(name);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const { leaseId } = await blob.getBlobLeaseClient().acquireLease(leaseSeconds(ttlMs));
          if (!leaseId) throw new Error(`Azure returned no lease id for the lock of "${name}"`);
          return { name, token: leaseId };
        } catch (e) {
          if (statusOf(e) === 409) return null; // LeaseAlreadyPresent: another turn holds it
          if (statusOf(e) !== 404 || errorCodeOf(e) === 'ContainerNotFound') throw e;
          // First turn of this conversation: create the (empty) lock blob, then take its lease.
          await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch((err) => {
            if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
          });
        }
      }
      throw new Error(`could not create the lock blob for "${name}"`);
    });
  }

  async renewLease(lease: Lease, _ttlMs: number): Promise<boolean> {
    try {
      await this.lockBlob(lease.name).getBlobLeaseClient(lease.token).renewLease();
      return true;
    } catch (e) {
      if (statusOf(e) === 409 || statusOf(e) === 412 || statusOf(e) === 404) return false;
      this.reset();
      throw e;
    }
  }

  async releaseLease(lease: Lease): Promise<void> {
    try {
      await this.lockBlob(lease.name).getBlobLeaseClient(lease.token).releaseLease();
    } catch (e) {
      if (statusOf(e) === 409 || statusOf(e) === 412 || statusOf(e) === 404) return; // lost meanwhile: nothing to give up
      this.reset();
      throw e;
    }
  }

  async appendRecords(records: readonly StoredRecord[]): Promise<void> {
    const groups = new Map<string, StoredRecord[]>();
    for (const r of records) {
      const g = `${r.kind}/${r.at.slice(0, 10)}`;
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    for (const [group, batch] of groups) {
      const newest = batch.reduce((m, r) => (r.at > m ? r.at : m), batch[0]!.at);
      const name = `${INSIGHTS_PREFIX}${group}/${safeTime(newest)}_${batch.length}_${randomBytes(6).toString('hex')}.json`;
      const body = JSON.stringify(batch.map((r) => ({ at: r.at, data: r.data })));
      await this.guard(async () => {
        await (await this.ready()).getBlockBlobClient(name).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
      });
    }
  }

  /** Names of the record blobs of one kind, with the newest time and count their names carry. */
  private async recordBlobs(kind: RecordKind): Promise<Array<{ name: string; day: string; newest: string; count: number }>> {
    const container = await this.ready();
    const out: Array<{ name: string; day: string; newest: string; count: number }> = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${INSIGHTS_PREFIX}${kind}/` })) {
      const m = /\/(\d{4}-\d{2}-\d{2})\/([^_]+)_(\d+)_[0-9a-f]+\.json$/.exec(blob.name);
      if (!m) continue;
      const newest = m[2]!.replace(/T(\d{2})-(\d{2})-(\d{2})/, 'T$1:$2:$3');
      out.push({ name: blob.name, day: m[1]!, newest, count: Number(m[3]) });
    }
    return out;
  }

  async listRecords(kind: RecordKind, options: { since?: Date } = {}): Promise<StoredRecord[]> {
    return this.guard(async () => {
      const since = options.since?.toISOString() ?? '';
      const container = await this.ready();
      const blobs = (await this.recordBlobs(kind)).filter((b) => b.newest >= since);
      const batches = await mapLimit(blobs, LIST_CONCURRENCY, async (b) => {
        const buf = await container.getBlockBlobClient(b.name).downloadToBuffer();
        return JSON.parse(buf.toString('utf8')) as Array<{ at: string; data: Record<string, unknown> }>;
      });
      return batches
        .flat()
        .filter((r) => r.at >= since)
        .map((r) => ({ kind, at: r.at, data: r.data }))
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    });
  }

  async purgeRecords(before: Date): Promise<Record<RecordKind, number>> {
    return this.guard(async () => {
      const cutoff = before.toISOString();
      const container = await this.ready();
      const counts = emptyCounts();
      for (const kind of RECORD_KINDS) {
        // A batch goes when its newest record is older than the cutoff (batches span about a second).
        const old = (await this.recordBlobs(kind)).filter((b) => b.newest < cutoff);
        await mapLimit(old, LIST_CONCURRENCY, (b) => container.deleteBlob(b.name).then(() => undefined).catch((e) => {
          if (statusOf(e) !== 404) throw e;
        }));
        counts[kind] = old.reduce((n, b) => n + b.count, 0);
      }
      return counts;
    });
  }

  async close(): Promise<void> {
    this.reset();
  }
}
