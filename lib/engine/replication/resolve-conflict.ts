import { and, eq, ne, sql } from 'drizzle-orm';
import { edges, packages, replicas, replicationNodes, replicationConflicts, resources, versions, type ReplicationConflictRow } from '@/db/schema';
import { SYSTEM, type Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { CDN_PURGE_JOB, CDN_PURGE_MAX_ATTEMPTS, type PurgeJobPayload } from '../cdn/purge-edge';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { readPackage } from '../format';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { holdBlob } from '../registry/blob-holds';
import { commitDurably } from '../registry/commit-durably';
import { insertResources } from '../registry/insert-resources';
import { refreshPackageSummary } from '../registry/refresh-package-summary';
import { readEncryptedHeader } from '../security/encryption/files';
import type { BlobStore } from '../storage/blob-store';
import { conflictRow, toConflictView } from './conflicts';
import { storageFor } from './node-registry';
import { replicaSources } from './replica-sources';
import { enqueueApply } from './replica-rows';
import { type ConflictStrategy, type ConflictView, type NodeStorage } from './types';
import { writeReplica } from './write-replica';

export const RESOLVE_AUDIT_ACTION = 'replication.conflict.resolve';

type CatalogueVersion = { id: number; packageId: number; digest: string; size: number; yanked: boolean; encrypted: boolean; publishedAt: number };

function catalogueVersion(engine: Engine, name: string, version: string): CatalogueVersion | undefined {
  return engine.db
    .select({
      id: versions.id,
      packageId: versions.packageId,
      digest: versions.digest,
      size: versions.size,
      yanked: versions.yanked,
      encrypted: versions.encrypted,
      publishedAt: versions.publishedAt,
    })
    .from(versions)
    .innerJoin(packages, eq(packages.id, versions.packageId))
    .where(and(eq(packages.name, name), eq(versions.version, version)))
    .get();
}

/** Which digest a strategy picks (null: manual, an admin decides). Equal times keep the catalogue's copy. */
export function strategyWinner(strategy: ConflictStrategy, c: Pick<ReplicationConflictRow, 'catalogueDigest' | 'catalogueWrittenAt' | 'nodeDigest' | 'nodeWrittenAt'>): string | null {
  switch (strategy) {
    case 'manual':
      return null;
    case 'last_write_wins':
      return c.nodeWrittenAt > c.catalogueWrittenAt ? c.nodeDigest : c.catalogueDigest;
    case 'first_write_wins':
      return c.nodeWrittenAt < c.catalogueWrittenAt ? c.nodeDigest : c.catalogueDigest;
  }
}

/** A store to copy `digest` from onto `exclude`: the primary when it holds it, else the best other node. */
export async function blobSource(engine: Engine, blob: { digest: string; size: number }, exclude: string): Promise<BlobStore> {
  const held = await engine.blobs.stat(blob.digest).catch(() => null);
  if (held && held.size === blob.size) return engine.blobs;
  for (const row of replicaSources(engine, blob.digest, { exclude })) {
    const store = storageFor(engine, row).blobs;
    const there = await store.stat(blob.digest).catch(() => null);
    if (there && there.size === blob.size) return store;
  }
  throw new AppError('REPLICATION_FAILED', `neither the primary store nor a healthy node holds sha256:${blob.digest}`);
}

/** The catalogue's copy wins: the node's ref (and blob) are rewritten to the catalogue's. */
async function catalogueWins(engine: Engine, c: ReplicationConflictRow, node: NodeStorage, cat: CatalogueVersion): Promise<void> {
  const target = { name: c.name, version: c.version, digest: cat.digest, size: cat.size, yanked: cat.yanked };
  await writeReplica(engine, node, target, { source: await blobSource(engine, target, c.nodeId) });
  const now = engine.now();
  engine.db
    .update(replicas)
    .set({ digest: cat.digest, size: cat.size, state: 'present', durableAt: now, lastError: null, updatedAt: now })
    .where(and(eq(replicas.nodeId, c.nodeId), eq(replicas.name, c.name), eq(replicas.version, c.version)))
    .run();
}

/** Validate the node's bytes as this name@version; the error says why they cannot win. */
async function validateCandidate(engine: Engine, file: string, c: ReplicationConflictRow, encrypted: boolean) {
  try {
    if (encrypted) {
      if (!(await readEncryptedHeader(file))) throw new AppError('ENCRYPTED_FORMAT_INVALID', 'not a torsh encrypted package (no TORSHENC header)');
      return null;
    }
    return await readPackage(file, { limits: engine.limits, expect: { name: c.name, version: c.version } });
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `the copy on node ${c.nodeId} cannot win: ${err.message}`, err.details);
    throw err;
  }
}

/**
 * The node's copy wins: its blob is fetched into the primary store (digest verified) and
 * validated as a package of this name@version, then the version row (digest, size, manifest,
 * resources) changes in one transaction and every other node's replica is set pending with the
 * new digest (apply jobs rewrite them). The old signature covered other bytes: it is dropped.
 */
async function nodeWins(engine: Engine, c: ReplicationConflictRow, node: NodeStorage, cat: CatalogueVersion): Promise<void> {
  const ref = await node.refs.get(c.name, c.version);
  if (!ref || ref.digest !== c.nodeDigest) {
    throw new AppError('INVALID_INPUT', `node ${c.nodeId} no longer holds sha256:${c.nodeDigest} for ${c.name}@${c.version}; run a scrub again`);
  }
  const hold = holdBlob(engine);
  try {
    hold.digest(ref.digest);
    const staged = await engine.blobs.stage(await node.blobs.get(ref.digest), { expectedDigest: ref.digest, expectedSize: ref.size, onTempPath: hold.tempFile });
    try {
      const contents = await validateCandidate(engine, staged.path, c, cat.encrypted);
      await staged.commit();
      const now = engine.now();
      commitDurably(engine.db, (tx) => {
        tx.update(versions)
          .set({
            digest: ref.digest,
            size: ref.size,
            ...(contents ? { manifest: contents.manifestJson, formatVersion: contents.manifest.format_version } : {}),
            signature: null,
            signatureKeyId: null,
            signatureStatus: null,
            signatureSigner: null,
          })
          .where(eq(versions.id, cat.id))
          .run();
        if (contents) {
          tx.delete(resources).where(eq(resources.versionId, cat.id)).run();
          insertResources(tx, cat.id, contents.entries);
          refreshPackageSummary(tx, cat.packageId, c.name, now);
        }
        const mine = and(eq(replicas.name, c.name), eq(replicas.version, c.version));
        tx.update(replicas)
          .set({ digest: ref.digest, size: ref.size, state: 'present', durableAt: now, lastError: null, updatedAt: now })
          .where(and(mine, eq(replicas.nodeId, c.nodeId)))
          .run();
        const behind = tx
          .update(replicas)
          .set({ digest: ref.digest, size: ref.size, state: 'pending', attempts: 0, durableAt: null, lastError: null, committedAt: now, updatedAt: now })
          .where(and(mine, ne(replicas.nodeId, c.nodeId), ne(replicas.state, 'deleting')))
          .returning()
          .all();
        // In the transaction (same connection): a crash cannot keep the pending rows and lose their jobs.
        for (const r of behind) enqueueApply(engine, r);
      });
      const queue = createSqliteQueue(engine);
      // Edges cached the old bytes under this name@version: purge them (retried jobs, as for a yank).
      for (const e of engine.db.select({ id: edges.id }).from(edges).all()) {
        const payload: PurgeJobPayload = { edge_id: e.id, target: { name: c.name, version: c.version }, reason: 'replication.conflict' };
        queue.enqueue(CDN_PURGE_JOB, payload, { maxAttempts: CDN_PURGE_MAX_ATTEMPTS });
      }
    } finally {
      await staged.discard();
    }
  } finally {
    hold.release();
  }
}

/**
 * Resolve one open conflict in favour of `winner` (one of its two digests), as `actor`. The
 * bytes move first; the ledger row is marked resolved last, so a failed resolution stays open.
 */
async function applyResolution(engine: Engine, c: ReplicationConflictRow, winner: string, by: string, strategy: ConflictStrategy): Promise<ConflictView> {
  const cat = catalogueVersion(engine, c.name, c.version);
  const row = engine.db.select().from(replicationNodes).where(eq(replicationNodes.id, c.nodeId)).get();
  if (!row) {
    // The node was removed: nothing of it to rewrite, and its copy can no longer be fetched.
    const catalogueSide = cat ? winner === cat.digest : winner === c.catalogueDigest;
    if (!catalogueSide) throw new AppError('REPLICATION_NODE_NOT_FOUND', `node ${c.nodeId} was removed: its copy cannot win`);
    return markResolved(engine, c, winner, by, strategy);
  }
  const node = storageFor(engine, row);
  if (!cat) {
    if (winner !== c.catalogueDigest) throw new AppError('INVALID_INPUT', `${c.name}@${c.version} no longer exists: the node's copy cannot win`);
    // The version was deleted: the catalogue wins by having nothing, so the node's ref goes.
    await node.refs.delete(c.name, c.version);
  } else if (winner === cat.digest) {
    await catalogueWins(engine, c, node, cat);
  } else if (winner === c.nodeDigest) {
    await nodeWins(engine, c, node, cat);
  } else {
    throw new AppError('INVALID_INPUT', `the catalogue's copy of ${c.name}@${c.version} changed since this conflict was detected; run a scrub again`);
  }
  return markResolved(engine, c, winner, by, strategy);
}

function markResolved(engine: Engine, c: ReplicationConflictRow, winner: string, by: string, strategy: ConflictStrategy): ConflictView {
  const now = engine.now();
  // Other nodes' open conflicts that named the winning digest are settled too.
  engine.db
    .update(replicationConflicts)
    .set({ state: 'resolved', winnerDigest: winner, resolvedAt: now, resolvedBy: by, strategy })
    .where(
      and(
        eq(replicationConflicts.state, 'open'),
        eq(replicationConflicts.name, c.name),
        eq(replicationConflicts.version, c.version),
        sql`(${replicationConflicts.id} = ${c.id} OR ${replicationConflicts.nodeDigest} = ${winner})`,
      ),
    )
    .run();
  return toConflictView(conflictRow(engine, c.id));
}

function conflictTarget(c: ReplicationConflictRow, winner: string): string {
  const side = winner === c.nodeDigest ? `node ${c.nodeId}'s copy` : "the catalogue's copy";
  return `conflict ${c.id}: ${c.name}@${c.version} on ${c.nodeId} → ${side} (sha256:${winner.slice(0, 12)})`;
}

/**
 * An admin picks the winner of an open conflict (strategy manual, or any open one).
 * CONFLICT_NOT_FOUND, CONFLICT_RESOLVED, INVALID_INPUT when the digest is neither side; a node
 * copy that is not a valid package of this name@version cannot win (its validation error).
 * Audited by the route or action guard.
 */
export async function resolveConflict(engine: Engine, actor: Actor, id: number, input: { winner_digest: string }): Promise<ConflictView> {
  const c = conflictRow(engine, id);
  if (c.state === 'resolved') throw new AppError('CONFLICT_RESOLVED', `conflict ${id} was resolved by ${c.resolvedBy ?? 'someone'}`);
  const winner = input.winner_digest.replace(/^sha256:/, '').toLowerCase();
  if (winner !== c.catalogueDigest && winner !== c.nodeDigest) {
    throw new AppError('INVALID_INPUT', `winner_digest must be the catalogue's (${c.catalogueDigest}) or the node's (${c.nodeDigest})`, { field: 'winner_digest' });
  }
  return applyResolution(engine, c, winner, actor.name, 'manual');
}

export type AutoResolution = { resolved: true; view: ConflictView } | { resolved: false; reason: string };

/**
 * Resolve an open conflict by a strategy (the scrub calls this); audited as `system`. Manual
 * leaves it open; a failure (e.g. the node's copy is not a valid package) leaves it open too,
 * with the reason returned.
 */
export async function autoResolve(engine: Engine, c: ReplicationConflictRow, strategy: ConflictStrategy): Promise<AutoResolution> {
  const winner = strategyWinner(strategy, c);
  if (winner === null) return { resolved: false, reason: 'manual strategy: an admin picks the winner' };
  const target = `${conflictTarget(c, winner)} by ${strategy}`;
  try {
    const view = await applyResolution(engine, c, winner, SYSTEM.name, strategy);
    recordAudit(engine, { actor: SYSTEM, action: RESOLVE_AUDIT_ACTION, target, result: 'ok', clientAddr: null });
    return { resolved: true, view };
  } catch (err) {
    recordAudit(engine, { actor: SYSTEM, action: RESOLVE_AUDIT_ACTION, target, result: 'error', errorCode: err instanceof AppError ? err.code : 'INTERNAL', clientAddr: null });
    return { resolved: false, reason: (err as Error).message };
  }
}
