import { and, eq } from 'drizzle-orm';
import { replicas, type ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { storageFor } from './node-registry';
import { planReplicas, type ReplicaPlan } from './plan-replicas';
import { redactSecrets } from './probe-node';
import type { Consistency, NodeBackendSecret, NodeStorage } from './types';
import { stageOnStores } from './fan-out-blob';
import type { ReplicaTarget } from './write-replica';

/** One write made before the publish was acknowledged (recorded as a replication.op once it commits). */
export type SyncWrite = { node: string; ok: boolean; bytes: number; durableAt: number | null; error: string | null };

export type PublishReplication = {
  consistency: Consistency;
  /** The rows to insert with the version row: durable copies (durableAt set) are present, the rest pending. */
  replicas: { nodeId: string; durableAt: number | null }[];
  /** The synchronous writes finished when the publish was acknowledged. */
  writes: SyncWrite[];
  /** The version was not registered after all: remove what was written (refs, and blobs this publish sent). */
  rollback(): Promise<void>;
};

/** A storage error's message, short; storage errors name buckets and folders, and the node's secrets are redacted besides. */
export function errorText(err: unknown, node?: Pick<ReplicationNodeRow, 'secret'>): string {
  const raw = err instanceof Error ? err.message || err.name : String(err);
  const text = redactSecrets(raw, node?.secret ? (JSON.parse(node.secret) as NodeBackendSecret) : null);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function digestNeeded(engine: Engine, nodeId: string, digest: string): boolean {
  return Boolean(engine.db.select({ id: replicas.id }).from(replicas).where(and(eq(replicas.nodeId, nodeId), eq(replicas.digest, digest))).get());
}

/**
 * Send the blob to every node that lacks it: one read of the primary, hashed once, fanned out to
 * the nodes' stagers (fan-out-blob.ts); each node's copy commits (fsync + rename, or upload) only
 * after that hash matched. One promise per node, in order: the bytes sent (0 when the node held
 * the blob already), or why that node failed; a source that does not match fails every node.
 */
function sendBlobs(engine: Engine, nodes: readonly NodeStorage[], r: ReplicaTarget): Promise<number>[] {
  const staging = (async () => {
    const held = await Promise.all(nodes.map((n) => n.blobs.stat(r.digest).then((h) => Boolean(h && h.size === r.size), () => false)));
    const needing = nodes.filter((_, i) => !held[i]);
    const stages = needing.length === 0 ? [] : await stageOnStores(engine.blobs, needing.map((n) => n.blobs), r);
    return nodes.map((n) => (held[nodes.indexOf(n)] ? null : stages[needing.indexOf(n)]));
  })();
  staging.catch(() => {});
  return nodes.map(async (_, i) => {
    const stage = (await staging)[i];
    if (stage === null) return 0;
    if ('error' in stage) throw stage.error;
    try {
      await stage.staged.commit();
    } finally {
      await stage.staged.discard();
    }
    return r.size;
  });
}

/** Remove the version's ref from these nodes, and the blob where this publish sent it and no row needs it. */
async function undo(engine: Engine, nodes: readonly ReplicationNodeRow[], r: ReplicaTarget, sent: ReadonlySet<string>): Promise<void> {
  await Promise.allSettled(
    nodes.map(async (n) => {
      const storage = storageFor(engine, n);
      await storage.refs.delete(r.name, r.version);
      if (sent.has(n.id)) await storage.blobs.delete(r.digest, () => digestNeeded(engine, n.id, r.digest));
    }),
  );
}

function failure(plan: ReplicaPlan, r: ReplicaTarget, writes: readonly SyncWrite[]): AppError {
  const failed = writes.filter((w) => !w.ok).map((w) => `${w.node}: ${w.error}`);
  const ok = writes.filter((w) => w.ok).length;
  return new AppError(
    'REPLICATION_FAILED',
    `${plan.consistency} replication of ${r.name}@${r.version} needs ${plan.required} durable replica(s), got ${ok}; failed on ${failed.join('; ') || 'no node'}. The version was not published`,
  );
}

/**
 * Strong: every placed node must hold a durable, verified copy. All blobs first, in parallel;
 * then all refs; if any step fails, the refs written are deleted (and the blobs sent), so the
 * version is exposed nowhere.
 */
async function writeAll(engine: Engine, plan: ReplicaPlan, r: ReplicaTarget): Promise<PublishReplication> {
  const sent = new Set<string>();
  const writes: SyncWrite[] = plan.sync.map((n) => ({ node: n.id, ok: false, bytes: 0, durableAt: null, error: null }));
  const blobs = await Promise.allSettled(
    sendBlobs(engine, plan.sync.map((n) => storageFor(engine, n)), r).map(async (p, i) => {
      const bytes = await p;
      writes[i].bytes = bytes;
      if (bytes > 0) sent.add(plan.sync[i].id);
    }),
  );
  blobs.forEach((b, i) => b.status === 'rejected' && (writes[i].error = errorText(b.reason, plan.sync[i])));
  if (blobs.some((b) => b.status === 'rejected')) {
    await Promise.allSettled(plan.sync.filter((n) => sent.has(n.id)).map((n) => storageFor(engine, n).blobs.delete(r.digest, () => digestNeeded(engine, n.id, r.digest))));
    throw failure(plan, r, writes);
  }
  const writtenAt = engine.now();
  const refs = await Promise.allSettled(
    plan.sync.map((n) => storageFor(engine, n).refs.put({ name: r.name, version: r.version, digest: r.digest, size: r.size, yanked: r.yanked, written_at: writtenAt })),
  );
  refs.forEach((s, i) => {
    writes[i].ok = s.status === 'fulfilled';
    writes[i].error = s.status === 'rejected' ? errorText(s.reason, plan.sync[i]) : null;
    writes[i].durableAt = s.status === 'fulfilled' ? engine.now() : null;
  });
  const rollback = () => undo(engine, plan.sync, r, sent);
  if (refs.some((s) => s.status === 'rejected')) {
    await rollback();
    throw failure(plan, r, writes);
  }
  return {
    consistency: plan.consistency,
    replicas: writes.map((w) => ({ nodeId: w.node, durableAt: w.durableAt })),
    writes,
    rollback,
  };
}

/**
 * Quorum: write to every placed node in parallel and return once a majority is durable. The
 * writes still running carry on by themselves; their rows are pending with apply jobs (applying
 * is idempotent: a blob already there is not sent again).
 */
async function writeMajority(engine: Engine, plan: ReplicaPlan, r: ReplicaTarget): Promise<PublishReplication> {
  const results: (SyncWrite | undefined)[] = plan.sync.map(() => undefined);
  let reached: () => void;
  const decided = new Promise<void>((resolve) => (reached = resolve));
  const check = () => {
    const done = results.filter(Boolean) as SyncWrite[];
    const ok = done.filter((w) => w.ok).length;
    if (ok >= plan.required || done.length - ok > plan.sync.length - plan.required || done.length === plan.sync.length) reached();
  };
  const storages = plan.sync.map((n) => storageFor(engine, n));
  const blobs = sendBlobs(engine, storages, r);
  const all = Promise.all(
    plan.sync.map(async (n, i) => {
      try {
        const bytes = await blobs[i];
        await storages[i].refs.put({ name: r.name, version: r.version, digest: r.digest, size: r.size, yanked: r.yanked, written_at: engine.now() });
        results[i] = { node: n.id, ok: true, bytes, durableAt: engine.now(), error: null };
      } catch (err) {
        results[i] = { node: n.id, ok: false, bytes: 0, durableAt: null, error: errorText(err, n) };
      }
      check();
    }),
  );
  await decided;
  const writes = results.filter(Boolean).map((w) => ({ ...w! }));
  const rollback = async () => {
    await all;
    const sent = new Set(results.filter((w) => w && w.bytes > 0).map((w) => w!.node));
    await undo(engine, plan.sync, r, sent);
  };
  if (writes.filter((w) => w.ok).length < plan.required) {
    await rollback();
    throw failure(plan, r, writes);
  }
  const durable = new Map(writes.filter((w) => w.ok).map((w) => [w.node, w.durableAt]));
  return {
    consistency: plan.consistency,
    replicas: [...plan.sync, ...plan.async].map((n) => ({ nodeId: n.id, durableAt: durable.get(n.id) ?? null })),
    writes,
    rollback,
  };
}

/**
 * The replication part of a publish, run after the primary blob is durable and before the version
 * row commits. Eventual and causal write nothing here: every placed node gets a pending row.
 * Quorum waits for a majority of the factor, strong for all of it; when that cannot be had the
 * publish fails with REPLICATION_FAILED and the version is exposed on no node.
 */
export async function replicateOnPublish(engine: Engine, r: ReplicaTarget): Promise<PublishReplication> {
  const plan = planReplicas(engine, r.name, r.size);
  if (plan.sync.length === 0) {
    return { consistency: plan.consistency, replicas: plan.async.map((n) => ({ nodeId: n.id, durableAt: null })), writes: [], rollback: async () => {} };
  }
  return plan.consistency === 'strong' ? writeAll(engine, plan, r) : writeMajority(engine, plan, r);
}
