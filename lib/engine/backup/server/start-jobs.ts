import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../actor';
import type { Engine } from '../../engine';
import { AppError } from '../../errors';
import { toJobView, type JobView } from '../../jobs/job-view';
import { getJob } from '../../jobs/list-jobs';
import { findVersionRow } from '../../registry/find-version';
import { planForget } from '../forget';
import { BACKUP_JOBS, type RetentionPolicy } from '../types';
import { enqueueBackupJob } from './backup-jobs';
import type { CreateBackupPayload, ForgetPayload, RestorePayload, RestoreTarget } from './job-payloads';
import { openConfiguredRepository } from './open-configured';
import { repositoryRow } from './repository-rows';

const jobView = (engine: Engine, id: number): { job: JobView } => ({ job: toJobView(getJob(engine, id)) });

export type StartBackupInput = {
  tags?: string[];
  description?: string | null;
  recovery_point?: { name: string; description?: string | null } | null;
  package?: { name: string; version: string } | null;
};

/** Queue a backup now: the whole registry, or one package version with `package`; a recovery point when named. */
export function startBackup(engine: Engine, id: string, input: StartBackupInput): { job: JobView } {
  repositoryRow(engine, id);
  // A version that is not there is refused now (404), not after the job's attempts.
  if (input.package) findVersionRow(engine, input.package.name, input.package.version);
  const payload: CreateBackupPayload = {
    repo: id,
    tags: input.tags ?? [],
    description: input.description ?? null,
    recovery_point: input.recovery_point ? { name: input.recovery_point.name, description: input.recovery_point.description ?? null } : null,
    package: input.package ?? null,
  };
  return jobView(engine, enqueueBackupJob(engine, BACKUP_JOBS.create, payload));
}

/** Queue a verification: structure only, or every chunk read back with `read_data`. The job's result is the VerifyReport. */
export function startVerify(engine: Engine, id: string, input: { read_data: boolean }): { job: JobView } {
  repositoryRow(engine, id);
  return jobView(engine, enqueueBackupJob(engine, BACKUP_JOBS.verify, { repo: id, read_data: input.read_data }));
}

/** A directory restore goes into a new, empty directory outside the live data directory. */
async function assertRestoreDirectory(engine: Engine, dir: string): Promise<void> {
  if (!path.isAbsolute(dir)) throw new AppError('INVALID_INPUT', 'the target directory is an absolute path', { field: 'target.path' });
  const data = `${path.resolve(engine.dataDir)}/`;
  const target = `${path.resolve(dir)}/`;
  if (target.startsWith(data) || data.startsWith(target)) {
    throw new AppError('INVALID_INPUT', `${dir} overlaps the live data directory: restore into a new directory and start a registry on it`, { field: 'target.path' });
  }
  try {
    if ((await readdir(dir)).length > 0) throw new AppError('BACKUP_RESTORE_TARGET_NOT_EMPTY', `${dir} is not empty: restore into a new or empty directory`, { field: 'target.path' });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppError('INVALID_INPUT', `${dir} cannot be used: ${(err as Error).message}`, { field: 'target.path' });
  }
}

/** Queue a restore: a registry snapshot into a new data directory, or one package version into this registry (as the actor). */
export async function startRestore(engine: Engine, actor: Actor, id: string, input: { snapshot: string; target: RestoreTarget }): Promise<{ job: JobView }> {
  repositoryRow(engine, id);
  const t = input.target;
  if (t.type === 'directory') await assertRestoreDirectory(engine, t.path);
  else if ((t.name === undefined) !== (t.version === undefined)) throw new AppError('INVALID_INPUT', 'give both name and version, or neither', { field: 'target' });
  const payload: RestorePayload = { repo: id, snapshot: input.snapshot, target: t, actor: { userId: actor.userId ?? null, name: actor.name } };
  return jobView(engine, enqueueBackupJob(engine, BACKUP_JOBS.restore, payload));
}

/** Queue forget (by a policy, the repository's own by default, or named snapshots), then prune when asked. */
export function startForget(engine: Engine, id: string, input: { policy?: RetentionPolicy; snapshots?: string[]; prune: boolean }): { job: JobView } {
  repositoryRow(engine, id);
  if (input.policy && input.snapshots) throw new AppError('INVALID_INPUT', 'give a policy or snapshots, not both', { field: 'snapshots' });
  const payload: ForgetPayload = { repo: id, policy: input.policy ?? null, snapshots: input.snapshots ?? null, prune: input.prune };
  return jobView(engine, enqueueBackupJob(engine, BACKUP_JOBS.forget, payload));
}

export function startPrune(engine: Engine, id: string): { job: JobView } {
  repositoryRow(engine, id);
  return jobView(engine, enqueueBackupJob(engine, BACKUP_JOBS.prune, { repo: id }));
}

export type ForgetPlanView = { decisions: { id: string; time: number; keep: boolean; reasons: string[] }[]; remove: string[]; freed_chunks: number; freed_bytes: number };

/** The dry run: which snapshots the policy keeps (and why), which go, and the bytes prune would free after deduplication. Reads the repository now. */
export async function previewRetention(engine: Engine, id: string, policy: RetentionPolicy): Promise<ForgetPlanView> {
  const repo = await openConfiguredRepository(repositoryRow(engine, id));
  const plan = await planForget(repo, policy, engine.now());
  return {
    decisions: plan.decisions.map((d) => ({ id: d.id, time: d.time, keep: d.keep, reasons: d.reasons })),
    remove: plan.remove,
    freed_chunks: plan.freedChunks,
    freed_bytes: plan.freedBytes,
  };
}
