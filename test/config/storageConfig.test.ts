import path from 'node:path';
import { ConfigError, configFromEnv, secretValues } from '../../src/config';

const AZURITE = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

describe('config: storage and insights', () => {
  it('defaults to SQLite in ./data, 90 days of insights, transcripts off', () => {
    const c = configFromEnv({}, '/srv/bot');
    expect(c.storage).toEqual({
      kind: 'sqlite',
      dataDir: path.resolve('/srv/bot', 'data'),
      blobConnectionString: '',
      blobContainer: 'smart-industry-advisor',
      timeoutMs: 3000,
      retryMs: 5000,
      lockTtlSeconds: 15,
      lockWaitMs: 10000,
    });
    expect(c.insights).toEqual({ retentionDays: 90, transcripts: false });
    expect(Object.isFrozen(c.storage) && Object.isFrozen(c.insights)).toBe(true);
  });

  it('takes the scale-out store and the other settings from the environment', () => {
    const c = configFromEnv({
      STORAGE: 'Blob', STORAGE_BLOB_CONNECTION_STRING: AZURITE, STORAGE_BLOB_CONTAINER: 'bot-state-2', DATA_DIR: '/var/lib/sia',
      STORAGE_TIMEOUT_MS: '1500', STORAGE_RETRY_MS: '250', LOCK_TTL_SECONDS: '30', LOCK_WAIT_MS: '5000', INSIGHTS_RETENTION_DAYS: '30', TRANSCRIPTS: 'ON',
    });
    expect(c.storage).toMatchObject({ kind: 'blob', blobConnectionString: AZURITE, blobContainer: 'bot-state-2', dataDir: '/var/lib/sia', timeoutMs: 1500, retryMs: 250, lockTtlSeconds: 30, lockWaitMs: 5000 });
    expect(c.insights).toEqual({ retentionDays: 30, transcripts: true });
  });

  it.each([
    [{ STORAGE: 'redis' }, 'STORAGE="redis" is not valid: use one of sqlite, blob, memory.'],
    [{ STORAGE: 'blob' }, 'STORAGE_BLOB_CONNECTION_STRING="" is not valid with STORAGE=blob: set the connection string of the storage account (Azure portal: Storage account > Access keys), or use STORAGE=sqlite.'],
    [{ STORAGE: 'blob', STORAGE_BLOB_CONNECTION_STRING: 'https://x.blob.core.windows.net' }, 'STORAGE_BLOB_CONNECTION_STRING=(hidden) is not valid: use a storage account connection string (with AccountName=... or BlobEndpoint=...).'],
    [{ STORAGE_BLOB_CONTAINER: 'Bot_State' }, 'STORAGE_BLOB_CONTAINER="Bot_State" is not valid: use 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.'],
    [{ LOCK_TTL_SECONDS: '5' }, 'LOCK_TTL_SECONDS="5" is not valid: use a whole number from 15 to 60.'],
    [{ LOCK_WAIT_MS: 'soon' }, 'LOCK_WAIT_MS="soon" is not valid: use a whole number from 100 to 60000.'],
    [{ STORAGE_TIMEOUT_MS: '0' }, 'STORAGE_TIMEOUT_MS="0" is not valid: use a whole number from 100 to 60000.'],
    [{ STORAGE_RETRY_MS: '-1' }, 'STORAGE_RETRY_MS="-1" is not valid: use a whole number from 100 to 300000.'],
    [{ INSIGHTS_RETENTION_DAYS: '0' }, 'INSIGHTS_RETENTION_DAYS="0" is not valid: use a whole number from 1 to 3650.'],
    [{ TRANSCRIPTS: 'yes' }, 'TRANSCRIPTS="yes" is not valid: use one of on, off.'],
  ])('stops on %j with one line naming the variable, value and what is allowed', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(new ConfigError(message));
  });

  it('treats the connection string and its account key as secrets for the logs', () => {
    const c = configFromEnv({ STORAGE: 'blob', STORAGE_BLOB_CONNECTION_STRING: AZURITE });
    expect(secretValues(c)).toEqual(expect.arrayContaining([AZURITE, 'c2VjcmV0LWtleS12YWx1ZQ==']));
  });
});
