import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobContext } from '../jobs/types';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { REPLICATION_JOB_HANDLERS, replicationSchedules } from './replication-jobs';
import { configure } from './test-support/replication-fixtures';
import { REPLICATION_JOBS } from './types';

let engine: Awaited<ReturnType<typeof tempEngine>>;
const clock = manualClock(1_700_000_000_000);

beforeEach(async () => {
  engine = await tempEngine({}, { clock: clock.now });
  configure(engine, { sync_interval_secs: 30 });
});
afterEach(async () => {
  await engine.cleanup();
});

function runSync(scheduleName: string | null): Promise<unknown> {
  const handler = REPLICATION_JOB_HANDLERS.find((h) => h.kind === REPLICATION_JOBS.sync)!;
  const job = { id: 1, kind: REPLICATION_JOBS.sync, payload: {}, scheduleName } as Job;
  return handler.run({ engine, job, progress: () => {}, signal: new AbortController().signal } as JobContext);
}

describe('replication jobs', () => {
  it('registers every replication kind and schedules sync, check and scrub', () => {
    expect(REPLICATION_JOB_HANDLERS.map((h) => h.kind).sort()).toEqual(Object.values(REPLICATION_JOBS).sort());
    expect(replicationSchedules({}).map((s) => s.kind).sort()).toEqual([REPLICATION_JOBS.check, REPLICATION_JOBS.scrub, REPLICATION_JOBS.sync].sort());
  });

  it('a scheduled sync acts once per sync_interval_secs; one enqueued for a change acts at once', async () => {
    expect(await runSync(REPLICATION_JOBS.sync)).toMatchObject({ acted: true });
    clock.advance(29_000);
    expect(await runSync(REPLICATION_JOBS.sync)).toMatchObject({ acted: false });
    expect(await runSync(null)).toMatchObject({ acted: true });
    clock.advance(30_000);
    expect(await runSync(REPLICATION_JOBS.sync)).toMatchObject({ acted: true });
  });
});
