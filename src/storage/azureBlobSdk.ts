/**
 * The Azure Storage SDK (@azure/storage-blob) exactly as botbuilder-azure-blobs loads it: the
 * copy resolved from that package's own folder, so both use one SDK version and no second copy
 * is pulled in. BlobsStorage covers read/write/delete; leases, create-if-absent and listing
 * need the SDK's ContainerClient directly.
 */
import { createRequire } from 'node:module';
import type * as AzureBlob from '@azure/storage-blob';

const requireFromBlobs = createRequire(require.resolve('botbuilder-azure-blobs'));

export const azureBlob = requireFromBlobs('@azure/storage-blob') as typeof AzureBlob;

/** Blob key → blob name, exactly as BlobsStorage names its blobs. */
export const sanitizeBlobKey = (requireFromBlobs('./sanitizeBlobKey') as { sanitizeBlobKey(key: string): string }).sanitizeBlobKey;

export type ContainerClient = AzureBlob.ContainerClient;
export type StoragePipelineOptions = AzureBlob.StoragePipelineOptions;

/** The HTTP status of an Azure SDK error (RestError), if it is one. */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function errorCodeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown; details?: { errorCode?: unknown } } | null);
  const code = c?.details?.errorCode ?? c?.code;
  return typeof code === 'string' ? code : undefined;
}
