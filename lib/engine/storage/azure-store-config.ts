import { AppError } from '../errors';
import { createAzureBlobStore } from './azure-blob-store';
import type { BlobStore } from './blob-store';
import { stagingDir } from './temp-staging';

/** Azure's container rule: 3–63 of a-z, 0-9 and single hyphens, starting and ending alphanumeric. */
const CONTAINER_RE = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

export type AzureStorageSpec = { container: string; prefix: string };

/** `azure://<container>[/<prefix>]` → container and key prefix (without surrounding slashes). */
export function parseAzureStorageUrl(spec: string): AzureStorageSpec {
  const m = /^azure:\/\/([^/]+)(?:\/(.*))?$/.exec(spec.trim());
  if (!m || !CONTAINER_RE.test(m[1])) {
    throw new AppError(
      'INVALID_INPUT',
      `TORSH_STORAGE=${spec} is not azure://<container>[/<prefix>] with a valid container name (3-63 lowercase letters, digits and hyphens)`,
    );
  }
  return { container: m[1], prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/**
 * The blob store for `TORSH_STORAGE=azure://…`: credentials from TORSH_AZURE_CONNECTION_STRING,
 * staged temp files under `<dataDir>/tmp/blob-staging` (as for S3; same disk as resumable uploads, so they link).
 */
export function azureBlobStoreFromEnv(spec: string, env: Record<string, string | undefined>, dataDir: string): BlobStore {
  const { container, prefix } = parseAzureStorageUrl(spec);
  const connectionString = env.TORSH_AZURE_CONNECTION_STRING;
  if (!connectionString) {
    throw new AppError('INVALID_INPUT', `TORSH_STORAGE=${spec} needs TORSH_AZURE_CONNECTION_STRING (the storage account's connection string)`);
  }
  return createAzureBlobStore({ connectionString, container, prefix, tempDir: stagingDir(dataDir) });
}
