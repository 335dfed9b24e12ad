import { eq } from 'drizzle-orm';
import { backupRepositories } from '@/db/schema';
import type { Engine } from '../../engine';
import { AppError } from '../../errors';
import { nextCronRun } from '../../jobs/schedules';
import { splitBackend } from '../../replication/node-storage';
import { assertOutsideDataDir, locationKey } from '../../storage/backend-location';
import type { NodeBackendInput, NodeBackendPublic } from '../../replication/types';
import { parseRetentionDuration } from '../retention';
import { initRepository, openRepository } from '../repo/repository';
import { BACKUP_REPO_ID_RE, type BackupRepository, type RetentionPolicy } from '../types';
import { syncBackupSchedule } from './backup-schedules';
import { recordRepositoryGauges } from './backup-metrics';
import { asRepoError, openBackendAt } from './open-configured';
import { assertPasswordSource, readPassword, type PasswordSource } from './password-source';
import { locationsOverlap, toRepoLocation } from './repo-location';
import { findRepositoryRow, getRepositoryView, repositoryRow, rowBackend, type RepositoryView } from './repository-rows';
import { refreshSnapshotCache } from './snapshot-cache';

export type AddRepositoryInput = { id: string; description?: string | null; backend: NodeBackendInput; password_source: PasswordSource; init: boolean };
export type RepositoryPatch = { description?: string | null; schedule_cron?: string | null; schedule_tags?: string[]; retention?: RetentionPolicy | null };

function assertIdFree(engine: Engine, id: string): void {
  if (findRepositoryRow(engine, id)) throw new AppError('BACKUP_REPO_EXISTS', `a backup repository "${id}" is already configured`, { field: 'id' });
}

/** Not inside the data directory it backs up (nor around it), and not where another configured repository is. */
function assertPlaceFree(engine: Engine, backend: NodeBackendPublic): void {
  assertOutsideDataDir(engine.dataDir, backend, 'a backup must live outside what it backs up');
  const key = locationKey(backend);
  for (const row of engine.db.select().from(backupRepositories).all()) {
    if (locationsOverlap(locationKey(rowBackend(row)), key)) {
      throw new AppError('BACKUP_REPO_EXISTS', `backup repository "${row.id}" is already configured there (or around it): give another folder, bucket, container or prefix`, {
        field: 'backend',
      });
    }
  }
}

/**
 * Add a repository: the password is read from its source, then the location is initialised
 * (`init`: BACKUP_REPO_EXISTS when one is already there) or opened with it (BACKUP_REPO_NOT_FOUND,
 * BACKUP_WRONG_PASSWORD). Nothing is stored unless that succeeds; the row keeps the secrets
 * apart from the public backend and never the password.
 */
export async function addRepository(engine: Engine, input: AddRepositoryInput, env: Record<string, string | undefined> = process.env): Promise<RepositoryView> {
  if (!BACKUP_REPO_ID_RE.test(input.id)) throw new AppError('INVALID_INPUT', 'a repository id is 1–63 lowercase letters, digits and "-"', { field: 'id' });
  assertPasswordSource(input.password_source);
  assertIdFree(engine, input.id);
  const { backend, secret } = splitBackend(input.backend);
  assertPlaceFree(engine, backend);
  const password = await readPassword(input.password_source, env);
  const where = `backup repository "${input.id}"`;
  const repoBackend = openBackendAt(toRepoLocation(backend, secret), secret, where);
  let repo: BackupRepository;
  try {
    repo = input.init ? await initRepository(repoBackend, password, { label: `torsh server (${input.id})`, now: engine.now }) : await openRepository(repoBackend, password);
  } catch (err) {
    throw asRepoError(err, where, secret);
  }
  // Opening took time: another add may have taken the id or the place meanwhile.
  assertIdFree(engine, input.id);
  assertPlaceFree(engine, backend);
  const now = engine.now();
  engine.db
    .insert(backupRepositories)
    .values({
      id: input.id,
      description: input.description ?? null,
      backendType: backend.type,
      backend: JSON.stringify(backend),
      secret: secret ? JSON.stringify(secret) : null,
      passwordSource: JSON.stringify(input.password_source),
      repoUid: repo.config.id,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  try {
    const { storedBytes } = await refreshSnapshotCache(engine, input.id, repo);
    recordRepositoryGauges(engine, input.id, storedBytes);
  } catch (err) {
    // Attached, but its snapshots could not be listed (a damaged snapshot file): the next job says why.
    engine.db.update(backupRepositories).set({ lastError: asRepoError(err, where, secret).message }).where(eq(backupRepositories.id, input.id)).run();
  }
  return getRepositoryView(engine, input.id);
}

function assertPolicy(p: RetentionPolicy): void {
  if (p.keepWithin !== undefined) parseRetentionDuration(p.keepWithin);
}

/** Description, schedule (cron, UTC; null: none), the tags of scheduled backups, retention (null: keep everything). The location is fixed. */
export function updateRepository(engine: Engine, id: string, patch: RepositoryPatch): RepositoryView {
  const row = repositoryRow(engine, id);
  if (patch.schedule_cron) {
    try {
      nextCronRun(patch.schedule_cron, engine.now());
    } catch (err) {
      throw new AppError('INVALID_INPUT', `schedule_cron: ${(err as Error).message}`, { field: 'schedule_cron' });
    }
  }
  if (patch.retention) assertPolicy(patch.retention);
  engine.db
    .update(backupRepositories)
    .set({
      description: patch.description === undefined ? row.description : patch.description,
      scheduleCron: patch.schedule_cron === undefined ? row.scheduleCron : patch.schedule_cron,
      scheduleTags: patch.schedule_tags === undefined ? row.scheduleTags : JSON.stringify(patch.schedule_tags),
      retention: patch.retention === undefined ? row.retention : patch.retention === null ? null : JSON.stringify(patch.retention),
      updatedAt: Math.max(engine.now(), row.updatedAt + 1),
    })
    .where(eq(backupRepositories.id, id))
    .run();
  syncBackupSchedule(engine, id);
  return getRepositoryView(engine, id);
}

/** The configuration, its schedule and snapshot cache go; the repository's data stays where it is. */
export function removeRepository(engine: Engine, id: string): void {
  repositoryRow(engine, id);
  engine.db.delete(backupRepositories).where(eq(backupRepositories.id, id)).run();
  syncBackupSchedule(engine, id);
}
