import { eq, sql } from 'drizzle-orm';
import { backupRepositories, backupSnapshots, type BackupRepositoryRow } from '@/db/schema';
import type { Engine } from '../../engine';
import { AppError } from '../../errors';
import type { NodeBackendPublic, NodeBackendSecret } from '../../replication/types';
import type { RetentionPolicy } from '../types';
import type { PasswordSource } from './password-source';

/** A configured repository as the API returns it: no secret, no password (only where it is read from). */
export type RepositoryView = {
  id: string;
  description: string | null;
  backend: NodeBackendPublic;
  password_source: PasswordSource;
  repo_uid: string;
  schedule_cron: string | null;
  schedule_tags: string[];
  retention: RetentionPolicyView | null;
  last_run_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  stored_bytes: number;
  snapshot_count: number;
  /** Sum of the snapshots' logical sizes. */
  logical_bytes: number;
  /** logical_bytes / stored_bytes; null while nothing is stored. */
  dedup_ratio: number | null;
  created_at: number;
};

export type RetentionPolicyView = {
  keep_last?: number;
  keep_within?: string;
  keep_daily?: number;
  keep_weekly?: number;
  keep_monthly?: number;
  keep_yearly?: number;
  keep_tags?: string[];
};

export function repositoryRow(engine: Engine, id: string): BackupRepositoryRow {
  const row = engine.db.select().from(backupRepositories).where(eq(backupRepositories.id, id)).get();
  if (!row) throw new AppError('BACKUP_REPO_NOT_FOUND', `no backup repository "${id}"`);
  return row;
}

export function findRepositoryRow(engine: Engine, id: string): BackupRepositoryRow | undefined {
  return engine.db.select().from(backupRepositories).where(eq(backupRepositories.id, id)).get();
}

export const rowBackend = (row: BackupRepositoryRow) => JSON.parse(row.backend) as NodeBackendPublic;
export const rowSecret = (row: BackupRepositoryRow) => (row.secret ? (JSON.parse(row.secret) as NodeBackendSecret) : null);
export const rowPasswordSource = (row: BackupRepositoryRow) => JSON.parse(row.passwordSource) as PasswordSource;
export const rowRetention = (row: BackupRepositoryRow) => (row.retention ? (JSON.parse(row.retention) as RetentionPolicy) : null);
export const rowScheduleTags = (row: BackupRepositoryRow) => JSON.parse(row.scheduleTags) as string[];

export function retentionView(p: RetentionPolicy | null): RetentionPolicyView | null {
  if (!p) return null;
  const v: RetentionPolicyView = {};
  if (p.keepLast !== undefined) v.keep_last = p.keepLast;
  if (p.keepWithin !== undefined) v.keep_within = p.keepWithin;
  if (p.keepDaily !== undefined) v.keep_daily = p.keepDaily;
  if (p.keepWeekly !== undefined) v.keep_weekly = p.keepWeekly;
  if (p.keepMonthly !== undefined) v.keep_monthly = p.keepMonthly;
  if (p.keepYearly !== undefined) v.keep_yearly = p.keepYearly;
  if (p.keepTags !== undefined) v.keep_tags = p.keepTags;
  return v;
}

type SnapshotTotals = { repository_id: string; n: number; logical: number | null };

function toView(row: BackupRepositoryRow, totals: SnapshotTotals | undefined): RepositoryView {
  const logical = totals?.logical ?? 0;
  return {
    id: row.id,
    description: row.description,
    backend: rowBackend(row),
    password_source: rowPasswordSource(row),
    repo_uid: row.repoUid,
    schedule_cron: row.scheduleCron,
    schedule_tags: rowScheduleTags(row),
    retention: retentionView(rowRetention(row)),
    last_run_at: row.lastRunAt,
    last_success_at: row.lastSuccessAt,
    last_error: row.lastError,
    stored_bytes: row.storedBytes,
    snapshot_count: totals?.n ?? 0,
    logical_bytes: logical,
    dedup_ratio: row.storedBytes > 0 ? logical / row.storedBytes : null,
    created_at: row.createdAt,
  };
}

/** One grouped pass over the snapshot cache (not the repositories themselves). */
function totals(engine: Engine, id?: string): Map<string, SnapshotTotals> {
  const rows = engine.db.all<SnapshotTotals>(
    sql`SELECT repository_id, count(*) AS n, sum(logical_bytes) AS logical FROM ${backupSnapshots} ${id === undefined ? sql`` : sql`WHERE repository_id = ${id}`} GROUP BY repository_id`,
  );
  return new Map(rows.map((r) => [r.repository_id, r]));
}

export function listRepositoryViews(engine: Engine): RepositoryView[] {
  const t = totals(engine);
  return engine.db
    .select()
    .from(backupRepositories)
    .orderBy(backupRepositories.id)
    .all()
    .map((r) => toView(r, t.get(r.id)));
}

export function getRepositoryView(engine: Engine, id: string): RepositoryView {
  return toView(repositoryRow(engine, id), totals(engine, id).get(id));
}
