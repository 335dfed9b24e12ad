import type { Engine } from '../engine';
import type { BlobStore } from '../storage/blob-store';
import type { NodeStorage } from './types';

export type ReplicaTarget = { name: string; version: string; digest: string; size: number; yanked: boolean };

/**
 * Make one node hold one version: stream the blob from `source` (the primary store unless a
 * healthy replica is given) into the node's store, which hashes it on the way and refuses other
 * bytes (DIGEST_MISMATCH) or fewer (UPLOAD_ABORTED); then write the ref that exposes the version.
 * A blob already on the node with the right size is not sent again. Returns the bytes sent.
 */
export async function writeReplica(
  engine: Engine,
  node: NodeStorage,
  r: ReplicaTarget,
  opts: { source?: BlobStore; writtenAt?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const source = opts.source ?? engine.blobs;
  const held = await node.blobs.stat(r.digest);
  let sent = 0;
  if (!held || held.size !== r.size) {
    const body = await source.get(r.digest);
    opts.signal?.addEventListener('abort', () => body.destroy(new Error('replication cancelled')), { once: true });
    await node.blobs.put(body, { expectedDigest: r.digest, expectedSize: r.size });
    sent = r.size;
  }
  await node.refs.put({ name: r.name, version: r.version, digest: r.digest, size: r.size, yanked: r.yanked, written_at: opts.writtenAt ?? engine.now() });
  return sent;
}
