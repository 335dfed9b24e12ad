import { sql } from 'drizzle-orm';
import { replicas } from '@/db/schema';
import type { Engine } from '../../engine';
import { nodeRow, storageFor } from '../node-registry';
import type { NodeBackendInput, NodeStorage } from '../types';
import { writeReplica } from '../write-replica';
import { insertNode } from './replication-fixtures';

/** A node row inserted directly (no probe), healthy; returns its storage. */
export function seedNode(engine: Engine, id: string, input: NodeBackendInput, opts: { priority?: number; latencyMs?: number; state?: 'healthy' | 'degraded' | 'unhealthy' } = {}): NodeStorage {
  insertNode(engine, { id, region: `region-${id}`, priority: opts.priority, state: opts.state, latencyMs: opts.latencyMs, backend: input });
  return storageFor(engine, nodeRow(engine, id));
}

/** The catalogue's view of name@version (digest, size, yanked). */
export function versionOf(engine: Engine, name: string, version: string): { digest: string; size: number; yanked: boolean; published_at: number } {
  const r = engine.db.get<{ digest: string; size: number; yanked: number; published_at: number }>(
    sql`SELECT v.digest AS digest, v.size AS size, v.yanked AS yanked, v.published_at AS published_at FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = ${name} AND v.version = ${version}`,
  );
  return { digest: r.digest, size: r.size, yanked: r.yanked === 1, published_at: r.published_at };
}

/** A present replica: the node's copy written from the primary (writeReplica) and its replicas row. */
export async function seedReplica(engine: Engine, nodeId: string, name: string, version: string): Promise<void> {
  const v = versionOf(engine, name, version);
  const node = storageFor(engine, nodeRow(engine, nodeId));
  await writeReplica(engine, node, { name, version, digest: v.digest, size: v.size, yanked: v.yanked });
  const now = engine.now();
  engine.db
    .insert(replicas)
    .values({ nodeId, name, version, digest: v.digest, size: v.size, yanked: v.yanked, state: 'present', seq: 1, committedAt: v.published_at, durableAt: now, updatedAt: now })
    .run();
}
