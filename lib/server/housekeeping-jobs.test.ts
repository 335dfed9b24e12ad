import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listJobs } from '@/lib/engine/jobs/list-jobs';
import { nextCronRun } from '@/lib/engine/jobs/schedules';
import { createSqliteQueue } from '@/lib/engine/jobs/sqlite-queue';
import { startWorker } from '@/lib/engine/jobs/worker';
import { SERIES } from '@/lib/engine/metrics/metric-event';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { manualClock, tempEngine } from '@/lib/engine/test-support/temp-engine';
import { HOUSEKEEPING_SCHEDULES, storedBytes } from './housekeeping-jobs';
import { JOB_HANDLERS, JOB_SCHEDULES, jobWorkerEnabled } from './jobs';

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(() => engine.cleanup());

function gauges(series: string): number[] {
  engine.metrics.flush();
  return (engine.db.$client.prepare('SELECT value FROM metric_events WHERE series = ? ORDER BY id').all(series) as { value: number }[]).map((r) => r.value);
}

describe('the process job registry', () => {
  it('has a handler for every schedule, valid cron expressions and unique names', () => {
    const kinds = new Set(JOB_HANDLERS.map((h) => h.kind));
    expect(kinds.size).toBe(JOB_HANDLERS.length);
    expect(new Set(JOB_SCHEDULES.map((s) => s.name)).size).toBe(JOB_SCHEDULES.length);
    for (const s of JOB_SCHEDULES) {
      expect(kinds.has(s.kind), s.kind).toBe(true);
      expect(nextCronRun(s.cron, T0)).toBeGreaterThan(T0);
    }
    expect([...kinds]).toEqual(
      expect.arrayContaining(['housekeeping.gc', 'housekeeping.sessions', 'housekeeping.uploads', 'metrics.prune', 'jobs.prune', 'metrics.sample']),
    );
  });

  it('samples storage used and the job backlog every minute', async () => {
    await publishSample(engine, 'gauged', '1.0.0');
    createSqliteQueue(engine).enqueue('someone.elses', null);
    // Housekeeping's schedules only: other per-minute jobs (alert evaluation) would join the backlog.
    const worker = startWorker(engine, JOB_HANDLERS, { manual: true, schedules: HOUSEKEEPING_SCHEDULES });
    await worker.tick();
    expect(gauges(SERIES.storageBytes)).toEqual([]); // not before the minute
    clock.set(Date.UTC(2026, 0, 1, 0, 1));
    await worker.tick();
    expect(gauges(SERIES.storageBytes)).toEqual([storedBytes(engine)]);
    expect(storedBytes(engine)).toBeGreaterThan(0);
    // the job nobody here handles waits in the backlog (the sample job itself is running)
    expect(gauges(SERIES.jobBacklog)).toEqual([1]);
    expect(listJobs(engine, { kind: 'metrics.sample' }).jobs[0]).toMatchObject({ state: 'succeeded', scheduleName: 'metrics.sample' });
    await worker.stop();
  });

  it('runs the hourly housekeeping on its schedule', async () => {
    const worker = startWorker(engine, JOB_HANDLERS, { manual: true, schedules: HOUSEKEEPING_SCHEDULES });
    clock.set(Date.UTC(2026, 0, 1, 0, 59));
    for (let i = 0; i < 4; i++) await worker.tick(); // two at a time (the default concurrency)
    const ran = listJobs(engine, { state: 'succeeded', perPage: 100 }).jobs.map((j) => j.kind);
    expect(ran).toEqual(expect.arrayContaining(['housekeeping.gc', 'housekeeping.sessions', 'housekeeping.uploads', 'metrics.prune']));
    expect(listJobs(engine, { state: 'dead' }).total + listJobs(engine, { state: 'failed' }).total).toBe(0);
    await worker.stop();
  });

  it('TORSH_JOBS_WORKER=0 turns the in-process worker off, as does next build', () => {
    expect(jobWorkerEnabled({})).toBe(true);
    expect(jobWorkerEnabled({ TORSH_JOBS_WORKER: '0' })).toBe(false);
    expect(jobWorkerEnabled({ NEXT_PHASE: 'phase-production-build' })).toBe(false);
  });
});
