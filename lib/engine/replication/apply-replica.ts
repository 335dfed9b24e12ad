import { and, asc, eq, lt, ne, sql } from 'drizzle-orm';
import { replicas, replicationNodes, type ReplicaRow } from '@/db/schema';
import type { Engine } from '../engine';
import { nodeRow, storageFor } from './node-registry';
import { recordReplicationOp } from './record-replication-op';
import type { ApplyPayload } from './replica-rows';
import { errorText } from './replicate-on-publish';
import { effectiveReplication } from './replication-config';
import type { NodeStorage } from './types';
import { writeReplica } from './write-replica';

export type ApplyOutcome = { outcome: 'written' | 'deleted' | 'superseded' | 'present' | 'gone'; bytes: number; applied: number };

// One apply at a time per node and package in this process: causal order, and no two writes of one ref racing.
const locks = new Map<string, Promise<unknown>>();

async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (locks.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

function findRow(engine: Engine, p: ApplyPayload): ReplicaRow | undefined {
  return engine.db
    .select()
    .from(replicas)
    .where(and(eq(replicas.nodeId, p.node), eq(replicas.name, p.name), eq(replicas.version, p.version)))
    .get();
}

/** Bytes of the node's present replicas (as node-views.ts counts them). */
function refreshUsedBytes(engine: Engine, node: string): void {
  engine.db.run(sql`UPDATE replication_nodes SET used_bytes = (
      SELECT coalesce(sum(size), 0) FROM replicas WHERE node_id = ${node} AND state = 'present')
    WHERE id = ${node}`);
}

function recordFailure(engine: Engine, row: ReplicaRow, err: unknown): void {
  const node = engine.db.select({ secret: replicationNodes.secret }).from(replicationNodes).where(eq(replicationNodes.id, row.nodeId)).get();
  const message = errorText(err, node);
  engine.db
    .update(replicas)
    .set({ attempts: sql`${replicas.attempts} + 1`, lastError: message, updatedAt: engine.now() })
    .where(eq(replicas.id, row.id))
    .run();
  recordReplicationOp(engine, row.nodeId, { ok: false, lagMs: null, bytes: 0, detail: { error: message, version: `${row.name}@${row.version}` } });
}

/** Write the blob (unless held) and the ref, then mark the row present unless it changed meanwhile. */
async function writeOne(engine: Engine, storage: NodeStorage, row: ReplicaRow, signal?: AbortSignal): Promise<ApplyOutcome> {
  let bytes: number;
  try {
    bytes = await writeReplica(engine, storage, row, { signal });
  } catch (err) {
    recordFailure(engine, row, err);
    throw err;
  }
  const now = engine.now();
  const changed = engine.db.transaction((tx) => {
    const res = tx
      .update(replicas)
      .set({ state: 'present', durableAt: now, lastError: null, updatedAt: now })
      .where(and(eq(replicas.id, row.id), eq(replicas.state, 'pending'), eq(replicas.updatedAt, row.updatedAt)))
      .run();
    refreshUsedBytes(engine, row.nodeId);
    return res.changes;
  });
  recordReplicationOp(engine, row.nodeId, { ok: true, lagMs: now - row.committedAt, bytes });
  // A yank or delete landed while the bytes were on their way: its own job applies it.
  return { outcome: changed === 1 ? 'written' : 'superseded', bytes, applied: 1 };
}

/** Delete the ref, then the blob unless another row of the node needs the digest, then the row. */
async function deleteOne(engine: Engine, storage: NodeStorage, row: ReplicaRow): Promise<ApplyOutcome> {
  const needed = () =>
    Boolean(
      engine.db
        .select({ id: replicas.id })
        .from(replicas)
        .where(and(eq(replicas.nodeId, row.nodeId), eq(replicas.digest, row.digest), ne(replicas.id, row.id)))
        .get(),
    );
  try {
    await storage.refs.delete(row.name, row.version);
    if (!needed()) await storage.blobs.delete(row.digest, needed);
  } catch (err) {
    recordFailure(engine, row, err);
    throw err;
  }
  const now = engine.now();
  engine.db.transaction((tx) => {
    tx.delete(replicas).where(and(eq(replicas.id, row.id), eq(replicas.state, 'deleting'))).run();
    refreshUsedBytes(engine, row.nodeId);
  });
  recordReplicationOp(engine, row.nodeId, { ok: true, lagMs: now - row.committedAt, bytes: 0 });
  return { outcome: 'deleted', bytes: 0, applied: 1 };
}

/**
 * The `replication.apply` job: make one node match one replicas row. pending → the blob streamed
 * from the primary and the ref written → present (durable_at, used bytes, a replication.op event);
 * deleting → the ref and then the blob go → the row goes. A failure counts an attempt, keeps the
 * error on the row, records an error op and rethrows (the queue retries with backoff). Under
 * causal consistency the node's earlier pending rows of the package are applied first, in publish
 * order, so a node never exposes a version before those published before it.
 */
export async function applyReplica(engine: Engine, p: ApplyPayload, signal?: AbortSignal): Promise<ApplyOutcome> {
  return withLock(`${engine.dataDir}\u0000${p.node}\u0000${p.name}`, async () => {
    const row = findRow(engine, p);
    if (!row) return { outcome: 'gone', bytes: 0, applied: 0 };
    if (row.state === 'present') return { outcome: 'present', bytes: 0, applied: 0 };
    const storage = storageFor(engine, nodeRow(engine, p.node));
    if (row.state === 'deleting') return deleteOne(engine, storage, row);
    let bytes = 0;
    let applied = 0;
    if (effectiveReplication(engine, p.name).consistency === 'causal') {
      const earlier = engine.db
        .select()
        .from(replicas)
        .where(and(eq(replicas.nodeId, p.node), eq(replicas.name, p.name), eq(replicas.state, 'pending'), lt(replicas.seq, row.seq)))
        .orderBy(asc(replicas.seq))
        .all();
      for (const e of earlier) {
        signal?.throwIfAborted();
        const done = await writeOne(engine, storage, e, signal);
        bytes += done.bytes;
        applied += 1;
      }
    }
    const done = await writeOne(engine, storage, findRow(engine, p) ?? row, signal);
    return { ...done, bytes: bytes + done.bytes, applied: applied + 1 };
  });
}
