import { BlobStore, leaseSeconds } from '../../src/storage/blobStore';
import { startAzurite, type Azurite } from '../support/azurite';
import { storeContract } from './storeContract';

let azurite: Azurite;
let n = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

const open = (container = `contract-${++n}-${process.pid}`) => new BlobStore({ connectionString: azurite.connectionString, container, timeoutMs: 3000 });

storeContract('BlobStore (Azurite)', {
  open: async () => open(),
  reopen: async (store) => {
    const container = /container "([^"]+)"/.exec(store.description)![1]!;
    await store.close();
    return open(container);
  },
});

describe('BlobStore', () => {
  it('names the container and endpoint in its description, never the key', () => {
    const store = open('described');
    expect(store.description).toBe(`Azure Blob Storage, container "described" at http://127.0.0.1:${azurite.port}/devstoreaccount1`);
    expect(store.description).not.toMatch(/AccountKey|Eby8/);
  });

  it('creates its container on first use', async () => {
    const store = open(`fresh-${process.pid}`);
    await store.write({ k: { n: 1 } });
    expect((await store.read(['k'])).k!.n).toBe(1);
  });

  it('turns BlobsStorage\'s plain eTag error into a StorageConflictError for the key', async () => {
    const a = open('shared-conflict');
    const b = open('shared-conflict');
    await a.write({ 'webchat/conversations/c': { n: 1 } });
    const seen = (await b.read(['webchat/conversations/c']))['webchat/conversations/c']!;
    await a.write({ 'webchat/conversations/c': { ...seen, n: 2 } });
    await expect(b.write({ 'webchat/conversations/c': { ...seen, n: 3 } })).rejects.toMatchObject({ name: 'StorageConflictError', key: 'webchat/conversations/c' });
  });

  it('keeps Azure\'s lease bounds: 15 to 60 seconds', () => {
    expect(leaseSeconds(1)).toBe(15);
    expect(leaseSeconds(20_000)).toBe(20);
    expect(leaseSeconds(120_000)).toBe(60);
  });
});
