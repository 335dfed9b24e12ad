import type { Engine } from '../engine';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { REPLICATION_JOBS } from './types';

/** Ask placement to catch up with a change of nodes or config (a sync already due covers it). */
export function enqueueSync(engine: Engine): number {
  const queued = engine.db.$client
    .prepare(`SELECT id FROM jobs WHERE kind = ? AND state = 'queued' AND run_at <= ? ORDER BY id LIMIT 1`)
    .pluck()
    .get(REPLICATION_JOBS.sync, engine.now()) as number | undefined;
  if (queued !== undefined) return queued;
  return createSqliteQueue(engine).enqueue(REPLICATION_JOBS.sync, {}, { maxAttempts: 3 }).id;
}
