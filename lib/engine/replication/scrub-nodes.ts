import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { blobHolds, jobs, replicas, settings, type ReplicaRow, type ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import type { JobHandler, JobProgress, JobScheduleSpec } from '../jobs/types';
import { recordConflict } from './conflicts';
import { nodeInventory, refId, type NodeInventory } from './node-inventory';
import { nodeRows, storageFor } from './node-registry';
import { restoreFromReplicas } from './replica-sources';
import { getReplicationConfig } from './replication-config';
import { autoResolve, blobSource } from './resolve-conflict';
import { REPLICATION_JOBS, type NodeStorage } from './types';
import { writeReplica } from './write-replica';

export type NodeScrubReport = {
  id: string;
  /** name@versions examined (refs on the node and replicas rows for it). */
  checked: number;
  /** Present replicas whose ref or blob was missing on the node. */
  missing: number;
  /** Blobs whose bytes hash to another digest than their name. */
  mismatched: number;
  /** Refs and blobs nothing in the catalogue needs (removed). */
  extra: number;
  /** Refs naming another digest than the catalogue (ledger entries, new or still open). */
  conflicts: number;
  /** Copies written back (missing or damaged) and conflicts resolved by the strategy. */
  repaired: number;
  errors: string[];
};

export type PrimaryScrubReport = { checked: number; missing: number; repaired: number; errors: string[] };

export type ScrubReport = { started_at: number; finished_at: number; primary: PrimaryScrubReport; nodes: NodeScrubReport[] };

export type ScrubOptions = { onProgress?: (p: JobProgress) => void; signal?: AbortSignal };

type CatalogueEntry = { digest: string; size: number; yanked: boolean; publishedAt: number };

const MAX_ERRORS = 20;

function catalogue(engine: Engine): Map<string, CatalogueEntry> {
  const rows = engine.db.all<{ name: string; version: string; digest: string; size: number; yanked: number; published_at: number }>(
    sql`SELECT p.name AS name, v.version AS version, v.digest AS digest, v.size AS size, v.yanked AS yanked, v.published_at AS published_at
        FROM versions v JOIN packages p ON p.id = v.package_id`,
  );
  return new Map(rows.map((r) => [refId(r.name, r.version), { digest: r.digest, size: r.size, yanked: r.yanked === 1, publishedAt: r.published_at }]));
}

const message = (err: unknown) => (err as Error)?.message ?? String(err);

function pushError(errors: string[], text: string): void {
  if (errors.length < MAX_ERRORS) errors.push(text);
}

/** Whether a publish in progress holds this digest (its replicas may be written before its rows exist). */
function heldByPublish(engine: Engine, digest: string): boolean {
  return (
    engine.db
      .select({ id: blobHolds.id })
      .from(blobHolds)
      .where(and(eq(blobHolds.digest, digest), gt(blobHolds.expiresAt, engine.now())))
      .get() !== undefined
  );
}

/** Whether the catalogue or this node's replicas know name@version right now (it may have been published since the scrub began). */
function knownNow(engine: Engine, nodeId: string, name: string, version: string): boolean {
  return (
    engine.db.get<{ known: number }>(sql`
      SELECT EXISTS (SELECT 1 FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = ${name} AND v.version = ${version})
          OR EXISTS (SELECT 1 FROM replicas WHERE node_id = ${nodeId} AND name = ${name} AND version = ${version}) AS known`).known === 1
  );
}

/** Whether a replicas row for this node names this digest right now (asked again right before a removal). */
function rowNeeds(engine: Engine, nodeId: string, digest: string): boolean {
  return engine.db.select({ id: replicas.id }).from(replicas).where(and(eq(replicas.nodeId, nodeId), eq(replicas.digest, digest))).get() !== undefined;
}

/** Every version's blob in the primary store: a missing (or wrongly sized) one is fetched from a healthy node. */
async function scrubPrimary(engine: Engine, cat: Map<string, CatalogueEntry>, signal?: AbortSignal): Promise<PrimaryScrubReport> {
  const report: PrimaryScrubReport = { checked: 0, missing: 0, repaired: 0, errors: [] };
  const seen = new Set<string>();
  for (const [id, v] of cat) {
    if (seen.has(v.digest)) continue;
    seen.add(v.digest);
    signal?.throwIfAborted();
    report.checked++;
    let held;
    try {
      held = await engine.blobs.stat(v.digest);
    } catch (err) {
      pushError(report.errors, `primary: ${id}: ${message(err)}`);
      continue;
    }
    if (held && held.size === v.size) continue;
    report.missing++;
    try {
      await restoreFromReplicas(engine, v, { signal });
      report.repaired++;
    } catch (err) {
      pushError(report.errors, `primary: ${id}: ${message(err)}`);
    }
  }
  return report;
}

/** Replace a damaged or missing blob on a node from the primary (or another node), verified. */
async function rewriteBlob(engine: Engine, row: ReplicationNodeRow, node: NodeStorage, blob: { digest: string; size: number }): Promise<void> {
  const source = await blobSource(engine, blob, row.id);
  await node.blobs.put(await source.get(blob.digest), { expectedDigest: blob.digest, expectedSize: blob.size });
}

async function scrubNode(engine: Engine, row: ReplicationNodeRow, cat: Map<string, CatalogueEntry>, opts: ScrubOptions & { progress: (m: string) => void }): Promise<NodeScrubReport> {
  const report: NodeScrubReport = { id: row.id, checked: 0, missing: 0, mismatched: 0, extra: 0, conflicts: 0, repaired: 0, errors: [] };
  const fail = (what: string, err: unknown) => pushError(report.errors, `${what}: ${message(err)}`);
  let node: NodeStorage;
  let inv: NodeInventory;
  try {
    node = storageFor(engine, row);
    inv = await nodeInventory(node, { signal: opts.signal, onBlob: (n) => n % 50 === 0 && opts.progress(`${row.id}: ${n} blobs hashed`) });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    fail(`node ${row.id} unreachable`, err);
    return report;
  }
  const rows = new Map<string, ReplicaRow>(
    engine.db
      .select()
      .from(replicas)
      .where(eq(replicas.nodeId, row.id))
      .all()
      .map((r) => [refId(r.name, r.version), r]),
  );
  const strategy = getReplicationConfig(engine).conflict_strategy;
  /** Damaged blobs the passes over refs and rows already counted (and repaired, or reported). */
  const handled = new Set<string>();
  const conflicts: Parameters<typeof autoResolve>[1][] = [];
  const checkedIds = new Set<string>();

  for (const [id, ref] of inv.refs) {
    opts.signal?.throwIfAborted();
    checkedIds.add(id);
    const c = cat.get(id);
    const r = rows.get(id);
    if (!c && !r) {
      try {
        if (knownNow(engine, row.id, ref.name, ref.version) || heldByPublish(engine, ref.digest)) continue;
        await node.refs.delete(ref.name, ref.version);
        inv.refs.delete(id);
        report.extra++;
      } catch (err) {
        fail(`extra ref ${id}`, err);
      }
      continue;
    }
    // A pending (or deleting) row means the node is known to be behind: its apply job rewrites it.
    if (c && ref.digest !== c.digest && (!r || r.state === 'present')) {
      const { row: conflict, created } = recordConflict(engine, {
        name: ref.name,
        version: ref.version,
        nodeId: row.id,
        catalogue: { digest: c.digest, writtenAt: c.publishedAt },
        node: { digest: ref.digest, writtenAt: ref.written_at },
        strategy,
      });
      report.conflicts++;
      conflicts.push(conflict);
      if (created) opts.progress(`${row.id}: conflict on ${id}`);
      continue;
    }
    if (!r || r.state !== 'present') continue;
    const blob = inv.blobs.get(ref.digest);
    if (blob?.ok && blob.size === ref.size && ref.yanked === r.yanked) continue;
    if (!blob) report.missing++;
    else if (!blob.ok || blob.size !== ref.size) {
      report.mismatched++;
      handled.add(ref.digest);
    }
    try {
      if (!blob || !blob.ok || blob.size !== ref.size) {
        await rewriteBlob(engine, row, node, { digest: ref.digest, size: ref.size });
        inv.blobs.set(ref.digest, { size: ref.size, ok: true });
      }
      if (ref.yanked !== r.yanked) await node.refs.put({ ...ref, yanked: r.yanked });
      report.repaired++;
    } catch (err) {
      fail(`repair ${id}`, err);
    }
  }

  // Present rows whose ref is gone: the node lost the copy.
  for (const [id, r] of rows) {
    if (r.state !== 'present' || inv.refs.has(id)) continue;
    opts.signal?.throwIfAborted();
    checkedIds.add(id);
    report.missing++;
    const blob = inv.blobs.get(r.digest);
    try {
      if (blob && !blob.ok && !handled.has(r.digest)) {
        report.mismatched++;
        handled.add(r.digest);
        await rewriteBlob(engine, row, node, r);
      }
      await writeReplica(engine, node, r, { source: await blobSource(engine, r, row.id), signal: opts.signal });
      inv.blobs.set(r.digest, { size: r.size, ok: true });
      report.repaired++;
    } catch (err) {
      fail(`repair ${id}`, err);
    }
  }
  for (const id of rows.keys()) checkedIds.add(id);
  report.checked = checkedIds.size;

  // Blobs: damaged ones something else needs (a pending row, a conflicting ref) are replaced too,
  // since an apply job keeps a same-sized copy; blobs no row or remaining ref names (a conflicting
  // copy stays until resolved) are removed, unless a row or a publish in progress claims them
  // right before the removal.
  const sizes = new Map<string, number>();
  for (const r of rows.values()) sizes.set(r.digest, r.size);
  for (const ref of inv.refs.values()) if (!sizes.has(ref.digest)) sizes.set(ref.digest, ref.size);
  for (const [digest, b] of inv.blobs) {
    opts.signal?.throwIfAborted();
    try {
      if (!sizes.has(digest)) {
        if (await node.blobs.delete(digest, () => rowNeeds(engine, row.id, digest) || heldByPublish(engine, digest))) report.extra++;
      } else if (!b.ok && !handled.has(digest)) {
        report.mismatched++;
        await rewriteBlob(engine, row, node, { digest, size: sizes.get(digest)! });
        report.repaired++;
      }
    } catch (err) {
      fail(`blob sha256:${digest.slice(0, 12)}`, err);
    }
  }

  for (const c of conflicts) {
    if (c.state !== 'open') continue;
    const out = await autoResolve(engine, c, strategy);
    if (out.resolved) report.repaired++;
    else if (strategy !== 'manual') fail(`conflict ${c.id} (${c.name}@${c.version}) stays open`, new Error(out.reason));
  }
  return report;
}

/**
 * Anti-entropy: compare every node's inventory (refs, and blobs re-hashed) with the catalogue
 * and repair what diverges; check the primary store holds every version's blob. A node that
 * cannot be reached is reported, not fatal. The job's result is this report.
 */
export async function scrubNodes(engine: Engine, opts: ScrubOptions = {}): Promise<ScrubReport> {
  const startedAt = engine.now();
  const nodes = nodeRows(engine);
  const total = nodes.length + 1;
  let done = 0;
  const progress = (msg: string) => opts.onProgress?.({ done, total, message: msg });
  const cat = catalogue(engine);
  progress('primary store');
  const primary = await scrubPrimary(engine, cat, opts.signal);
  done++;
  const reports: NodeScrubReport[] = [];
  for (const row of nodes) {
    progress(`node ${row.id}`);
    reports.push(await scrubNode(engine, row, cat, { ...opts, progress }));
    done++;
  }
  progress('done');
  const report: ScrubReport = { started_at: startedAt, finished_at: engine.now(), primary, nodes: reports };
  const value = JSON.stringify(report);
  engine.db
    .insert(settings)
    .values({ key: LAST_SCRUB_KEY, value, updatedAt: report.finished_at })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: report.finished_at } })
    .run();
  return report;
}

/** The last finished scrub's report (settings key `replication.scrub.last`). */
const LAST_SCRUB_KEY = 'replication.scrub.last';

export type ScrubStatus = {
  /** The queued or running scrub, with its progress. */
  active: { job_id: number; state: 'queued' | 'running'; progress: JobProgress | null } | null;
  last: ScrubReport | null;
};

/** GET /api/v1/replication/scrub: the scrub in progress (if any) and the last report. */
export function scrubStatus(engine: Engine): ScrubStatus {
  const job = activeScrub(engine);
  const row = engine.db.select().from(settings).where(eq(settings.key, LAST_SCRUB_KEY)).get();
  return {
    active: job ? { job_id: job.id, state: job.state as 'queued' | 'running', progress: job.progress ? (JSON.parse(job.progress) as JobProgress) : null } : null,
    last: row ? (JSON.parse(row.value) as ScrubReport) : null,
  };
}

function activeScrub(engine: Engine) {
  return engine.db
    .select({ id: jobs.id, state: jobs.state, progress: jobs.progress })
    .from(jobs)
    .where(and(eq(jobs.kind, REPLICATION_JOBS.scrub), inArray(jobs.state, ['queued', 'running'])))
    .orderBy(jobs.id)
    .get();
}

export const SCRUB_JOB_HANDLER: JobHandler = {
  kind: REPLICATION_JOBS.scrub,
  // A failed scrub is not retried: the next scheduled or on-demand run starts over.
  maxAttempts: 1,
  leaseMs: 120_000,
  run: ({ engine, progress, signal }) => scrubNodes(engine, { onProgress: progress, signal }),
};

export const DEFAULT_SCRUB_CRON = '0 3 * * *';

/** Daily at 03:00 UTC unless TORSH_REPLICATION_SCRUB_CRON says otherwise. */
export function scrubSchedules(env: Record<string, string | undefined> = process.env): JobScheduleSpec[] {
  return [{ name: REPLICATION_JOBS.scrub, cron: env.TORSH_REPLICATION_SCRUB_CRON?.trim() || DEFAULT_SCRUB_CRON, kind: REPLICATION_JOBS.scrub }];
}

/** Start a scrub now (POST /api/v1/replication/scrub): the queued or running one when there is one. */
export function startScrub(engine: Engine): { job_id: number } {
  const active = activeScrub(engine);
  if (active) return { job_id: active.id };
  return { job_id: createSqliteQueue(engine).enqueue(REPLICATION_JOBS.scrub, {}, { maxAttempts: SCRUB_JOB_HANDLER.maxAttempts }).id };
}
