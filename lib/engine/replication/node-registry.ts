import { asc, eq } from 'drizzle-orm';
import { replicationNodes, type ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { openNodeStorage } from './node-storage';
import type { NodeBackendPublic, NodeBackendSecret, NodeStorage } from './types';

/** Every node, by priority then id. */
export function nodeRows(engine: Engine): ReplicationNodeRow[] {
  return engine.db.select().from(replicationNodes).orderBy(asc(replicationNodes.priority), asc(replicationNodes.id)).all();
}

/** One node; REPLICATION_NODE_NOT_FOUND when there is none with this id. */
export function nodeRow(engine: Engine, id: string): ReplicationNodeRow {
  const row = engine.db.select().from(replicationNodes).where(eq(replicationNodes.id, id)).get();
  if (!row) throw new AppError('REPLICATION_NODE_NOT_FOUND', `no replication node "${id}"`);
  return row;
}

// SDK clients keep connection pools: one storage per node and configuration, per process.
const opened = new Map<string, { stamp: number; storage: NodeStorage }>();

/** The node's storage (reused while the node's row is unchanged). */
export function storageFor(engine: Engine, row: ReplicationNodeRow): NodeStorage {
  const key = `${engine.dataDir}\u0000${row.id}`;
  const hit = opened.get(key);
  if (hit && hit.stamp === row.updatedAt) return hit.storage;
  const storage = openNodeStorage(
    {
      id: row.id,
      backend: JSON.parse(row.backend) as NodeBackendPublic,
      secret: row.secret ? (JSON.parse(row.secret) as NodeBackendSecret) : null,
    },
    engine.dataDir,
  );
  opened.set(key, { stamp: row.updatedAt, storage });
  return storage;
}
