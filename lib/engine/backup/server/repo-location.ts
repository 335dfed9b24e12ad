import path from 'node:path';
import { normalizePrefix } from '../../storage/s3-blob-store';
import type { NodeBackendPublic, NodeBackendSecret } from '../../replication/types';
import type { RepoLocation } from '../types';

/** RepoLocation prefixes carry no trailing slash (`backups`, `a/b`); replication keeps them with one. */
const repoPrefix = (p: string) => normalizePrefix(p).replace(/\/+$/, '');

/** A configured repository's place (public part and secrets, as replication nodes keep them) as the repository layer takes it. */
export function toRepoLocation(backend: NodeBackendPublic, secret: NodeBackendSecret | null): RepoLocation {
  switch (backend.type) {
    case 'local':
      return { type: 'local', path: path.resolve(backend.path) };
    case 's3':
      return {
        type: 's3',
        bucket: backend.bucket,
        prefix: repoPrefix(backend.prefix),
        endpoint: backend.endpoint,
        region: backend.region,
        forcePathStyle: backend.force_path_style,
        accessKeyId: backend.access_key_id,
        secretAccessKey: secret?.secret_access_key ?? null,
      };
    case 'azure':
      return { type: 'azure', container: backend.container, prefix: repoPrefix(backend.prefix), connectionString: secret?.connection_string ?? '' };
  }
}

/** Two repositories' location keys (storage/backend-location): folders overlap when one holds the other; object-store places only when equal or one prefix holds the other. */
export function locationsOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
