import { eq } from 'drizzle-orm';
import { edges } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import type { JobContext, JobQueue } from '../jobs/types';
import { EdgeRequestError, postEdgePurge, type PurgeResult, type PurgeTarget } from './edge-client';
import { edgeRow } from './manage-edges';

export const CDN_PURGE_JOB = 'cdn.purge';
/** Attempts of an automatic purge (the queue's backoff spaces them out over several minutes). */
export const CDN_PURGE_MAX_ATTEMPTS = 8;
/** Changes this recent are swept again by each collection, in case a purge was never enqueued. */
export const PURGE_SWEEP_MS = 10 * 60_000;

export type PurgeJobPayload = { edge_id: number; target: PurgeTarget; seq?: number; reason?: string };

export function describeTarget(target: PurgeTarget): string {
  if ('all' in target) return 'everything';
  return target.version ? `${target.name}@${target.version}` : `${target.name} (every version)`;
}

/** Purge one edge now (the API and the CDN page): the edge's answer, or EDGE_PURGE_FAILED saying why. */
export async function purgeEdgeNow(engine: Engine, id: number, target: PurgeTarget): Promise<{ edge_id: number; target: string } & PurgeResult> {
  const row = edgeRow(engine, id);
  try {
    const res = await postEdgePurge(row.url, row.purgeToken, target);
    return { edge_id: id, target: describeTarget(target), ...res };
  } catch (err) {
    if (!(err instanceof EdgeRequestError)) throw err;
    const hint = err.status === 401 || err.status === 403 ? ' (the purge token registered for it is no longer accepted: edit the edge)' : '';
    throw new AppError('EDGE_PURGE_FAILED', `purging ${describeTarget(target)} on ${row.url} failed: ${err.message}${hint}`);
  }
}

/** The `cdn.purge` job: one automatic purge of one edge, retried by the queue while it fails. */
export async function runPurgeJob(ctx: Pick<JobContext, 'engine' | 'job' | 'signal'>): Promise<unknown> {
  const payload = ctx.job.payload as PurgeJobPayload;
  const row = ctx.engine.db.select().from(edges).where(eq(edges.id, payload.edge_id)).get();
  if (!row) return { skipped: 'the edge was removed' };
  const res = await postEdgePurge(row.url, row.purgeToken, payload.target, ctx.signal);
  return { edge_id: row.id, target: describeTarget(payload.target), ...res };
}

type ChangeRow = { seq: number; kind: string; name: string; version: string | null; data: string | null };

/** What a change makes stale in an edge's cache: the version's answers, or the whole package's. */
export function purgeTargetOf(change: ChangeRow): PurgeTarget | null {
  if (change.kind === 'yank' || change.kind === 'unyank') return change.version ? { name: change.name, version: change.version } : { name: change.name };
  if (change.kind === 'visibility') return { name: change.name };
  if (change.kind === 'delete') {
    const data = change.data ? (JSON.parse(change.data) as { package_deleted?: boolean }) : {};
    return data.package_deleted || !change.version ? { name: change.name } : { name: change.name, version: change.version };
  }
  return null;
}

/** The newest change's sequence number (0 when none). */
export function changeHead(engine: Engine): number {
  return (engine.db.$client.prepare('SELECT coalesce(max(seq), 0) FROM changes').pluck().get() as number) ?? 0;
}

function enqueueFor(engine: Engine, queue: Pick<JobQueue, 'enqueue'>, rows: ChangeRow[]): number {
  if (rows.length === 0) return 0;
  const edgeIds = engine.db.select({ id: edges.id }).from(edges).all().map((e) => e.id);
  let created = 0;
  for (const change of rows) {
    const target = purgeTargetOf(change);
    if (!target) continue;
    for (const id of edgeIds) {
      const payload: PurgeJobPayload = { edge_id: id, target, seq: change.seq, reason: change.kind };
      const job = queue.enqueue(CDN_PURGE_JOB, payload, { maxAttempts: CDN_PURGE_MAX_ATTEMPTS, idempotencyKey: `cdn.purge:e${id}:c${change.seq}` });
      if (job.created) created++;
    }
  }
  return created;
}

const KINDS = `('yank', 'unyank', 'delete', 'visibility')`;

/**
 * Enqueue a `cdn.purge` job per edge for each yank, unyank, delete or visibility change after
 * `afterSeq` (the guard calls this after every successful mutation with the head it read before
 * it). One job per edge and change (idempotency key), so a change seen twice is purged once.
 */
export function enqueueChangePurges(engine: Engine, queue: Pick<JobQueue, 'enqueue'>, afterSeq: number): number {
  const rows = engine.db.$client.prepare(`SELECT seq, kind, name, version, data FROM changes WHERE seq > ? AND kind IN ${KINDS} ORDER BY seq`).all(afterSeq) as ChangeRow[];
  return enqueueFor(engine, queue, rows);
}

/** The safety net each collection runs: the recent changes again (a process that died between commit and enqueue). */
export function sweepRecentChangePurges(engine: Engine, queue: Pick<JobQueue, 'enqueue'>): number {
  const rows = engine.db.$client
    .prepare(`SELECT seq, kind, name, version, data FROM changes WHERE created_at >= ? AND kind IN ${KINDS} ORDER BY seq`)
    .all(engine.now() - PURGE_SWEEP_MS) as ChangeRow[];
  return enqueueFor(engine, queue, rows);
}
