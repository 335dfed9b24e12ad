import { sql } from 'drizzle-orm';
import { backupSnapshots } from '@/db/schema';
import type { Engine } from '../../engine';
import { recordGauge } from '../../metrics/record';
import type { GaugeSample } from '../../observability/prom-gauges';
import { BACKUP_SERIES } from '../types';

const dim = (repositoryId: string) => `b:${repositoryId}`;

/** One registry backup run: 1 (ok) when it succeeded, 0 (error) when it failed. */
export function recordBackupRun(engine: Engine, repositoryId: string, ok: boolean, durationMs: number, bytes = 0): void {
  engine.metrics.add({ series: BACKUP_SERIES.run, at: engine.now(), value: ok ? 1 : 0, bytes, ok, error: !ok, dims: [dim(repositoryId)], detail: { duration_ms: Math.round(durationMs) } });
}

/** The repository's size gauges after a run (read from the snapshot cache just refreshed). */
export function recordRepositoryGauges(engine: Engine, repositoryId: string, storedBytes: number): void {
  const logical = Number(
    engine.db.get<{ logical: number | null }>(sql`SELECT sum(logical_bytes) AS logical FROM ${backupSnapshots} WHERE repository_id = ${repositoryId}`)?.logical ?? 0,
  );
  recordGauge(engine, BACKUP_SERIES.repoBytes, storedBytes, [dim(repositoryId)]);
  recordGauge(engine, BACKUP_SERIES.logicalBytes, logical, [dim(repositoryId)]);
  if (storedBytes > 0) recordGauge(engine, BACKUP_SERIES.dedupRatio, logical / storedBytes, [dim(repositoryId)]);
}

type GaugeRow = { id: string; last_success_at: number | null; stored_bytes: number };
const gaugeRows = (engine: Engine) => engine.db.$client.prepare('SELECT id, last_success_at, stored_bytes FROM backup_repositories ORDER BY id').all() as GaugeRow[];

/** 0 for a repository that never had a successful backup, so `time() - x > 26 * 3600` fires for it too. */
export function lastSuccessSamples(engine: Engine): GaugeSample[] {
  return gaugeRows(engine).map((r) => ({ labels: { repository: r.id }, value: (r.last_success_at ?? 0) / 1000 }));
}

export function repositoryBytesSamples(engine: Engine): GaugeSample[] {
  return gaugeRows(engine).map((r) => ({ labels: { repository: r.id }, value: r.stored_bytes }));
}
