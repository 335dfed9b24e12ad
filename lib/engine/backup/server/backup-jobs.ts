import { eq } from 'drizzle-orm';
import { backupRepositories, type BackupRepositoryRow } from '@/db/schema';
import type { Engine } from '../../engine';
import { AppError } from '../../errors';
import { createSqliteQueue } from '../../jobs/sqlite-queue';
import type { JobContext, JobHandler } from '../../jobs/types';
import { logger } from '../../observability/log';
import { redactSecrets } from '../../replication/probe-node';
import type { NodeBackendSecret } from '../../replication/types';
import { createPackageSnapshot } from '../backup-package';
import { createRegistrySnapshot } from '../create-snapshot';
import { applyRetention, forgetSnapshots } from '../forget';
import { pruneRepository } from '../prune';
import { restorePackage } from '../restore-package';
import { restoreRegistry } from '../restore-registry';
import { BACKUP_JOBS, type BackupRepository, type PruneReport, type Snapshot, type VerifyReport } from '../types';
import { verifyRepository } from '../verify';
import { recordBackupRun, recordRepositoryGauges } from './backup-metrics';
import type { CreateBackupPayload, ForgetPayload, PrunePayload, RestorePayload, VerifyPayload } from './job-payloads';
import { asRepoError, openConfiguredRepository } from './open-configured';
import { findRepositoryRow, rowRetention, rowSecret } from './repository-rows';
import { refreshSnapshotCache } from './snapshot-cache';

/** Long jobs: the worker heartbeats every lease/3 while they run, so a crashed worker's job is taken over within this. */
const BACKUP_LEASE_MS = 120_000;

/** What a job does once its repository is gone (removed while it was queued): nothing, successfully. */
const SKIPPED = { skipped: 'the repository was removed' } as const;

/** Where the registry a server backs up lives (its data directory and primary blob store). */
export const registrySource = (engine: Engine) => ({ dataDir: engine.dataDir, blobs: engine.blobs, now: engine.now });

/** Refresh the snapshot cache and the size gauges; a failure here does not undo the job's work (the next job refreshes again). */
async function refresh(engine: Engine, row: BackupRepositoryRow, repo: BackupRepository): Promise<void> {
  try {
    const { storedBytes } = await refreshSnapshotCache(engine, row.id, repo);
    recordRepositoryGauges(engine, row.id, storedBytes);
  } catch (err) {
    logger.warn({ repository: row.id, err: { message: asRepoError(err, `backup repository "${row.id}"`, rowSecret(row)).message } }, 'backup snapshot cache refresh failed');
  }
}

async function withRepository<T>(ctx: JobContext, repoId: string, run: (repo: BackupRepository, row: BackupRepositoryRow) => Promise<T>): Promise<T | typeof SKIPPED> {
  const row = findRepositoryRow(ctx.engine, repoId);
  if (!row) return SKIPPED;
  const repo = await openConfiguredRepository(row);
  try {
    return await run(repo, row);
  } catch (err) {
    // The job's error is stored and logged: never with a secret of the location in it.
    throw redacted(err, rowSecret(row));
  } finally {
    await refresh(ctx.engine, row, repo);
  }
}

function markRun(engine: Engine, id: string, ok: boolean, error: string | null): void {
  const now = engine.now();
  engine.db
    .update(backupRepositories)
    .set(ok ? { lastRunAt: now, lastSuccessAt: now, lastError: null } : { lastRunAt: now, lastError: error })
    .where(eq(backupRepositories.id, id))
    .run();
}

function redacted(err: unknown, secret: NodeBackendSecret | null): Error {
  if (err instanceof AppError) return new AppError(err.code, redactSecrets(err.message, secret), err.details);
  return new Error(redactSecrets(err instanceof Error ? err.message || err.name : String(err), secret));
}

async function runCreate(ctx: JobContext): Promise<unknown> {
  const p = ctx.job.payload as CreateBackupPayload;
  const row = findRepositoryRow(ctx.engine, p.repo);
  if (!row) return SKIPPED;
  const started = performance.now();
  const isRegistry = p.package === null;
  let snapshot: Snapshot;
  try {
    const result = await withRepository(ctx, p.repo, (repo) => {
      const opts = { tags: p.tags, description: p.description, recoveryPoint: p.recovery_point, onProgress: ctx.progress, signal: ctx.signal };
      return p.package ? createPackageSnapshot(repo, ctx.engine, p.package.name, p.package.version, opts) : createRegistrySnapshot(repo, registrySource(ctx.engine), opts);
    });
    if ('skipped' in result) return SKIPPED;
    snapshot = result;
  } catch (err) {
    // Already without secrets (withRepository, openConfiguredRepository).
    markRun(ctx.engine, p.repo, false, err instanceof Error ? err.message || err.name : String(err));
    if (isRegistry) recordBackupRun(ctx.engine, p.repo, false, performance.now() - started);
    throw err;
  }
  // A package snapshot is not a backup of the registry: only registry runs move last_success_at and the `backup.run` series.
  if (isRegistry) {
    markRun(ctx.engine, p.repo, true, null);
    recordBackupRun(ctx.engine, p.repo, true, performance.now() - started, snapshot.stats.newBytes);
  }
  let forgetJob: number | null = null;
  // A scheduled backup is followed by the repository's retention (forget, then prune).
  if (ctx.job.scheduleName !== null && rowRetention(row)) forgetJob = enqueueBackupJob(ctx.engine, BACKUP_JOBS.forget, { repo: p.repo, policy: null, snapshots: null, prune: true } satisfies ForgetPayload);
  return { snapshot: snapshot.id, kind: snapshot.kind, stats: snapshot.stats, forget_job: forgetJob };
}

async function runVerify(ctx: JobContext): Promise<VerifyReport | typeof SKIPPED> {
  const p = ctx.job.payload as VerifyPayload;
  // A damaged repository is the report's news, not a failed job: the result says what is damaged.
  return withRepository(ctx, p.repo, (repo) => verifyRepository(repo, { readData: p.read_data, onProgress: ctx.progress, signal: ctx.signal }));
}

async function runRestore(ctx: JobContext): Promise<unknown> {
  const p = ctx.job.payload as RestorePayload;
  return withRepository(ctx, p.repo, async (repo) => {
    if (p.target.type === 'directory') {
      return { target: 'directory', path: p.target.path, ...(await restoreRegistry(repo, p.snapshot, p.target.path, { onProgress: ctx.progress, signal: ctx.signal })) };
    }
    const coords = p.target.name && p.target.version ? { name: p.target.name, version: p.target.version } : null;
    return { target: 'package', ...(await restorePackage(repo, ctx.engine, p.snapshot, coords, p.actor)) };
  });
}

async function runForget(ctx: JobContext): Promise<unknown> {
  const p = ctx.job.payload as ForgetPayload;
  return withRepository(ctx, p.repo, async (repo, row) => {
    let removed: string[] = [];
    if (p.snapshots !== null) removed = (await forgetSnapshots(repo, p.snapshots)).removed;
    else {
      const policy = p.policy ?? rowRetention(row);
      // No policy anywhere keeps everything. The plan is made and applied under one exclusive lock.
      if (policy) removed = (await applyRetention(repo, policy, ctx.engine.now())).remove;
    }
    const prune: PruneReport | null = p.prune ? await pruneRepository(repo, { onProgress: ctx.progress, signal: ctx.signal }) : null;
    return { removed, prune };
  });
}

async function runPrune(ctx: JobContext): Promise<unknown> {
  const p = ctx.job.payload as PrunePayload;
  return withRepository(ctx, p.repo, (repo) => pruneRepository(repo, { onProgress: ctx.progress, signal: ctx.signal }));
}

/**
 * The backup job kinds. Lock conflicts (BACKUP_REPO_LOCKED: a prune while a backup runs) and
 * unreachable storage fail the attempt, which the queue retries with backoff.
 */
export const BACKUP_JOB_HANDLERS: JobHandler[] = [
  { kind: BACKUP_JOBS.create, leaseMs: BACKUP_LEASE_MS, maxAttempts: 4, run: runCreate },
  { kind: BACKUP_JOBS.verify, leaseMs: BACKUP_LEASE_MS, maxAttempts: 3, run: runVerify },
  { kind: BACKUP_JOBS.restore, leaseMs: BACKUP_LEASE_MS, maxAttempts: 3, run: runRestore },
  { kind: BACKUP_JOBS.forget, leaseMs: BACKUP_LEASE_MS, maxAttempts: 5, run: runForget },
  { kind: BACKUP_JOBS.prune, leaseMs: BACKUP_LEASE_MS, maxAttempts: 5, run: runPrune },
];

export function enqueueBackupJob(engine: Engine, kind: string, payload: unknown): number {
  const maxAttempts = BACKUP_JOB_HANDLERS.find((h) => h.kind === kind)?.maxAttempts;
  return createSqliteQueue(engine).enqueue(kind, payload, { maxAttempts }).id;
}
