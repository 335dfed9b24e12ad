import path from 'node:path';
import type { BlobStore } from './blob-store';
import { createLocalBlobStore } from './local-blob-store';

/**
 * blobStoreFromEnv for short-lived processes (`torsh backup create`): the default local store
 * without importing store-from-config, which loads the S3 and Azure SDKs (about a second).
 */
export async function loadBlobStoreFromEnv(env: Record<string, string | undefined>, dataDir: string): Promise<BlobStore> {
  if ((env.TORSH_STORAGE?.trim() || 'file:') === 'file:') return createLocalBlobStore(path.join(path.resolve(dataDir), 'blobs'));
  return (await import('./store-from-config')).blobStoreFromEnv(env, dataDir);
}
