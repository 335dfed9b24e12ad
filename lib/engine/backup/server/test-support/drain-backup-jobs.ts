import type { Engine } from '../../../engine';
import { startWorker } from '../../../jobs/worker';
import { BACKUP_JOB_HANDLERS } from '../backup-jobs';

/** Run backup jobs (and the schedules due) until none is due now: a manual worker, the test's clock decides retries. */
export async function drainBackupJobs(engine: Engine): Promise<void> {
  const worker = startWorker(engine, BACKUP_JOB_HANDLERS, { manual: true, concurrency: 1 });
  try {
    for (let i = 0; i < 50; i++) {
      await worker.tick();
      const due = engine.db.$client
        .prepare(`SELECT count(*) FROM jobs WHERE kind LIKE 'backup.%' AND state IN ('queued', 'failed') AND run_at <= ?`)
        .pluck()
        .get(engine.now()) as number;
      if (due === 0) return;
    }
    throw new Error('backup jobs still due after 50 ticks');
  } finally {
    await worker.stop();
  }
}
