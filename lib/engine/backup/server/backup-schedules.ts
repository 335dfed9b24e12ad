import type { Engine } from '../../engine';
import { upsertSchedule } from '../../jobs/schedules';
import { BACKUP_JOBS } from '../types';
import { findRepositoryRow, rowScheduleTags } from './repository-rows';
import type { CreateBackupPayload } from './job-payloads';

/** The queue schedule of a repository's scheduled backups. */
export const scheduleName = (repositoryId: string) => `backup:${repositoryId}`;

/** Create, update or drop the repository's schedule to match its row (after every save, and at worker start). */
export function syncBackupSchedule(engine: Engine, repositoryId: string): void {
  const row = findRepositoryRow(engine, repositoryId);
  if (!row?.scheduleCron) {
    engine.db.$client.prepare('DELETE FROM job_schedules WHERE name = ?').run(scheduleName(repositoryId));
    return;
  }
  const payload: CreateBackupPayload = { repo: row.id, tags: rowScheduleTags(row), description: null, recovery_point: null, package: null };
  upsertSchedule(engine, { name: scheduleName(row.id), cron: row.scheduleCron, kind: BACKUP_JOBS.create, payload });
}

/** Every repository's schedule, and none for repositories that are gone. */
export function syncBackupSchedules(engine: Engine): void {
  const sqlite = engine.db.$client;
  const ids = sqlite.prepare('SELECT id FROM backup_repositories').pluck().all() as string[];
  const scheduled = sqlite.prepare(`SELECT name FROM job_schedules WHERE name LIKE 'backup:%'`).pluck().all() as string[];
  for (const name of scheduled) {
    if (!ids.includes(name.slice('backup:'.length))) sqlite.prepare('DELETE FROM job_schedules WHERE name = ?').run(name);
  }
  for (const id of ids) syncBackupSchedule(engine, id);
}
