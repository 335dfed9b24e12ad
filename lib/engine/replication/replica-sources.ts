import { sql } from 'drizzle-orm';
import type { ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { nodeRows, storageFor } from './node-registry';

/**
 * Nodes that should hold `digest` (a `present` replicas row) and are not unhealthy: healthy
 * before degraded, then by priority (lower first), then by last measured latency.
 */
export function replicaSources(engine: Engine, digest: string, opts: { exclude?: string } = {}): ReplicationNodeRow[] {
  const holders = new Set(
    engine.db.all<{ node_id: string }>(sql`SELECT DISTINCT node_id FROM replicas WHERE digest = ${digest} AND state = 'present'`).map((r) => r.node_id),
  );
  const rank = (s: ReplicationNodeRow['state']) => (s === 'healthy' ? 0 : 1);
  return nodeRows(engine)
    .filter((n) => holders.has(n.id) && n.state !== 'unhealthy' && n.id !== opts.exclude)
    .sort(
      (a, b) =>
        rank(a.state) - rank(b.state) ||
        a.priority - b.priority ||
        (a.lastLatencyMs ?? Number.POSITIVE_INFINITY) - (b.lastLatencyMs ?? Number.POSITIVE_INFINITY) ||
        a.id.localeCompare(b.id),
    );
}

/**
 * Copy a blob into the primary store from the best node that holds it, verified against the
 * digest and size on the way (a node whose copy is damaged or unreachable is skipped for the
 * next). Returns the node it came from; REPLICATION_FAILED when none could supply it.
 */
export async function restoreFromReplicas(
  engine: Engine,
  blob: { digest: string; size: number },
  opts: { exclude?: string; signal?: AbortSignal } = {},
): Promise<string> {
  const failures: string[] = [];
  for (const row of replicaSources(engine, blob.digest, opts)) {
    opts.signal?.throwIfAborted();
    try {
      const node = storageFor(engine, row);
      await engine.blobs.put(await node.blobs.get(blob.digest), { expectedDigest: blob.digest, expectedSize: blob.size });
      return row.id;
    } catch (err) {
      failures.push(`${row.id}: ${(err as Error).message}`);
    }
  }
  throw new AppError(
    'REPLICATION_FAILED',
    failures.length === 0
      ? `no healthy replication node holds sha256:${blob.digest}`
      : `no replication node could supply sha256:${blob.digest} (${failures.join('; ')})`,
  );
}
