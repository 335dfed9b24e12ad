import path from 'node:path';
import { AppError } from '../errors';
import type { NodeBackendPublic } from '../replication/types';

/**
 * Where a backend keeps its bytes, as a comparable key: `local:/abs/path/`,
 * `s3:endpoint:bucket/prefix/`, `azure:endpoint:container/prefix/` (prefixes as splitBackend
 * normalised them). Replication nodes and backup repositories use it to refuse two of them, or
 * one and the data directory, in one place.
 */
export function locationKey(b: NodeBackendPublic): string {
  switch (b.type) {
    case 'local':
      return `local:${path.resolve(b.path)}/`;
    case 's3':
      return `s3:${b.endpoint ?? 'aws'}:${b.bucket}/${b.prefix}`;
    case 'azure':
      return `azure:${b.blob_endpoint ?? b.account ?? '?'}:${b.container}/${b.prefix}`;
  }
}

/**
 * A local folder inside the registry's data directory, or holding it, is refused (INVALID_INPUT on
 * `backend.path`): copies must live outside what they copy. `advice` ends the message.
 */
export function assertOutsideDataDir(dataDir: string, backend: NodeBackendPublic, advice: string): void {
  if (backend.type !== 'local') return;
  const data = `${path.resolve(dataDir)}/`;
  const folder = `${path.resolve(backend.path)}/`;
  if (folder.startsWith(data) || data.startsWith(folder)) {
    throw new AppError('INVALID_INPUT', `the folder ${backend.path} overlaps the registry's data directory: ${advice}`, { field: 'backend.path' });
  }
}
