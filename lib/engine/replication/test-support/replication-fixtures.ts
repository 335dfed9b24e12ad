import { eq } from 'drizzle-orm';
import { replicas, replicationNodes, type ReplicaRow } from '@/db/schema';
import type { Engine } from '../../engine';
import { startWorker } from '../../jobs/worker';
import { splitBackend } from '../node-storage';
import { nodeRow, storageFor } from '../node-registry';
import { PUBLISH_JOB_HANDLERS } from '../replication-jobs';
import { getReplicationConfig, storeReplicationConfig } from '../replication-config';
import type { NodeBackendInput, NodeRef, NodeState, ReplicationConfig } from '../types';

/** A node row as an admin's add would leave it (without the probe: tests register nodes directly). */
export function insertNode(
  engine: Engine,
  n: { id: string; region: string; priority?: number; capacity_bytes?: number | null; state?: NodeState; latencyMs?: number; backend: NodeBackendInput },
): void {
  const { backend, secret } = splitBackend(n.backend);
  const now = engine.now();
  engine.db
    .insert(replicationNodes)
    .values({
      id: n.id,
      region: n.region,
      priority: n.priority ?? 100,
      capacityBytes: n.capacity_bytes ?? null,
      backendType: backend.type,
      backend: JSON.stringify(backend),
      secret: secret ? JSON.stringify(secret) : null,
      state: n.state ?? 'healthy',
      lastLatencyMs: n.latencyMs ?? null,
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .run();
}

export function setNodeState(engine: Engine, id: string, state: NodeState): void {
  engine.db.update(replicationNodes).set({ state }).where(eq(replicationNodes.id, id)).run();
}

export function configure(engine: Engine, patch: Partial<ReplicationConfig>): void {
  storeReplicationConfig(engine, { ...getReplicationConfig(engine), ...patch });
}

export function replicaRows(engine: Engine, name?: string): ReplicaRow[] {
  const rows = engine.db.select().from(replicas).all();
  return rows.filter((r) => name === undefined || r.name === name).sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.version.localeCompare(b.version));
}

/** Every ref the node holds (read from the node itself). */
export async function nodeRefs(engine: Engine, id: string): Promise<NodeRef[]> {
  const out: NodeRef[] = [];
  for await (const ref of storageFor(engine, nodeRow(engine, id)).refs.list()) out.push(ref);
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The node's copy of a blob, whole. */
export async function nodeBlob(engine: Engine, id: string, digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await storageFor(engine, nodeRow(engine, id)).blobs.get(digest)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function primaryBlob(engine: Engine, digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await engine.blobs.get(digest)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}


/** Run replication jobs until none is due now (a manual worker: the test's clock decides retries). */
export async function drainReplicationJobs(engine: Engine): Promise<void> {
  const worker = startWorker(engine, PUBLISH_JOB_HANDLERS, { manual: true, concurrency: 4 });
  try {
    for (let i = 0; i < 100; i++) {
      const due = (
        engine.db.$client
          .prepare(`SELECT count(*) AS n FROM jobs WHERE kind = 'replication.apply' AND state IN ('queued', 'failed') AND run_at <= ?`)
          .get(engine.now()) as { n: number }
      ).n;
      if (due === 0) return;
      await worker.tick();
    }
    throw new Error('replication jobs still due after 100 ticks');
  } finally {
    await worker.stop();
  }
}
