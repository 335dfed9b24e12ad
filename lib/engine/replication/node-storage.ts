import path from 'node:path';
import { createAzureBlobStore, azureContainerClient, azureStorageFailure } from '../storage/azure-blob-store';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { createS3BlobStore, createS3Client, normalizePrefix } from '../storage/s3-blob-store';
import { stagingDir } from '../storage/temp-staging';
import { createAzureRefStore } from './azure-ref-store';
import { createLocalRefStore } from './local-ref-store';
import { createS3RefStore } from './s3-ref-store';
import type { NodeBackendInput, NodeBackendPublic, NodeBackendSecret, NodeStorage } from './types';

/** A connection string's `Key=Value;…` pairs (the values of AccountName and BlobEndpoint are not secret). */
function connectionStringField(cs: string, field: string): string | null {
  for (const part of cs.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim().toLowerCase() === field.toLowerCase()) return part.slice(i + 1).trim() || null;
  }
  return null;
}

/** Split what an admin posted into what may be shown and what must stay secret. */
export function splitBackend(input: NodeBackendInput): { backend: NodeBackendPublic; secret: NodeBackendSecret | null } {
  switch (input.type) {
    case 'local':
      return { backend: { type: 'local', path: path.resolve(input.path) }, secret: null };
    case 's3':
      return {
        backend: {
          type: 's3',
          endpoint: input.endpoint ?? null,
          bucket: input.bucket,
          region: input.region ?? 'us-east-1',
          // S3-compatible servers mostly want path-style addressing: the default when an endpoint is given.
          force_path_style: input.force_path_style ?? Boolean(input.endpoint),
          prefix: normalizePrefix(input.prefix),
          access_key_id: input.access_key_id ?? null,
        },
        secret: input.secret_access_key ? { secret_access_key: input.secret_access_key } : null,
      };
    case 'azure':
      return {
        backend: {
          type: 'azure',
          container: input.container,
          prefix: normalizePrefix(input.prefix),
          account: connectionStringField(input.connection_string, 'AccountName'),
          blob_endpoint: connectionStringField(input.connection_string, 'BlobEndpoint'),
        },
        secret: { connection_string: input.connection_string },
      };
  }
}

export type NodeStorageSpec = { id: string; backend: NodeBackendPublic; secret: NodeBackendSecret | null };

/** SDK attempts per request: a node that does not answer fails its operation (jobs retry) rather than stalling it. */
const NODE_MAX_ATTEMPTS = 2;

/**
 * The storage of one node: its blobs (the same BlobStore implementations as the primary store)
 * and its refs. Local nodes: `<path>/blobs/aa/bb/<sha256>`, `<path>/refs/…`; S3 and Azure:
 * `<prefix>blobs/…` and `<prefix>refs/…`. Staging for object stores happens under the data dir.
 */
export function openNodeStorage(spec: NodeStorageSpec, dataDir: string): NodeStorage {
  const b = spec.backend;
  switch (b.type) {
    case 'local':
      return { nodeId: spec.id, kind: 'local', blobs: createLocalBlobStore(path.join(b.path, 'blobs')), refs: createLocalRefStore(b.path) };
    case 's3': {
      const credentials =
        b.access_key_id && spec.secret?.secret_access_key
          ? { accessKeyId: b.access_key_id, secretAccessKey: spec.secret.secret_access_key }
          : undefined;
      const opts = {
        bucket: b.bucket,
        prefix: b.prefix,
        endpoint: b.endpoint ?? undefined,
        region: b.region,
        forcePathStyle: b.force_path_style,
        credentials,
        maxAttempts: NODE_MAX_ATTEMPTS,
        tempDir: stagingDir(dataDir),
      };
      return {
        nodeId: spec.id,
        kind: 's3',
        blobs: createS3BlobStore(opts),
        refs: createS3RefStore(createS3Client(opts), { bucket: b.bucket, prefix: b.prefix, endpoint: opts.endpoint }),
      };
    }
    case 'azure': {
      const opts = {
        connectionString: spec.secret?.connection_string ?? '',
        container: b.container,
        prefix: b.prefix,
        tempDir: stagingDir(dataDir),
        retryOptions: { maxTries: NODE_MAX_ATTEMPTS, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 },
      };
      const container = azureContainerClient(opts);
      const where = `Azure Blob storage (account ${container.accountName || 'unknown'}, container ${b.container})`;
      return {
        nodeId: spec.id,
        kind: 'azure',
        blobs: createAzureBlobStore(opts),
        refs: createAzureRefStore(container, {
          prefix: b.prefix,
          fail: (err, action) => azureStorageFailure(where, { account: container.accountName || 'unknown', container: b.container }, err, action),
        }),
      };
    }
  }
}
