import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { listJobs } from './list-jobs';
import { listSchedules, nextCronRun, runDueSchedules, upsertSchedule } from './schedules';
import { createSqliteQueue } from './sqlite-queue';
import { startWorker } from './worker';

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);
const MIN = 60_000;

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(() => engine.cleanup());

describe('schedules', () => {
  it.each([
    ['*/5 * * * *', T0, Date.UTC(2026, 0, 1, 0, 5)],
    ['7 * * * *', T0, Date.UTC(2026, 0, 1, 0, 7)],
    ['7 * * * *', Date.UTC(2026, 0, 1, 0, 7), Date.UTC(2026, 0, 1, 1, 7)],
    ['0 3 * * *', T0, Date.UTC(2026, 0, 1, 3)],
  ])('%s after %i is %i (UTC, strictly after)', (cron, from, next) => {
    expect(nextCronRun(cron, from)).toBe(next);
  });

  it('refuses an invalid cron expression with a clear error', () => {
    expect(() => upsertSchedule(engine, { name: 'bad', cron: 'every tuesday', kind: 'k' })).toThrow(AppError);
    expect(() => createSqliteQueue(engine).schedule('bad', '61 * * * *', 'k')).toThrow(/Invalid cron expression "61 \* \* \* \*"/);
    expect(listSchedules(engine)).toEqual([]);
  });

  it('fires on time with a fake clock, and not before', async () => {
    const runs: number[] = [];
    const worker = startWorker(engine, [{ kind: 'tick', run: async () => void runs.push(clock.now()) }], {
      manual: true,
      schedules: [{ name: 'every-5', cron: '*/5 * * * *', kind: 'tick', payload: { p: 1 } }],
    });
    const due = Date.UTC(2026, 0, 1, 0, 5);
    clock.set(due - 1);
    await worker.tick();
    expect(runs).toEqual([]);
    clock.set(due);
    await worker.tick();
    expect(runs).toEqual([due]);
    await worker.tick();
    expect(runs).toEqual([due]);
    const [job] = listJobs(engine).jobs;
    expect(job).toMatchObject({ kind: 'tick', payload: { p: 1 }, scheduleName: 'every-5', idempotencyKey: `schedule:every-5:${due}` });
    expect(listSchedules(engine)[0]).toMatchObject({ nextRunAt: due + 5 * MIN, lastRunAt: due, lastJobId: job.id });
    clock.set(due + 5 * MIN);
    await worker.tick();
    expect(runs).toEqual([due, due + 5 * MIN]);
    await worker.stop();
  });

  it('two processes ticking at the same time enqueue a due run once', () => {
    const a = createSqliteQueue(engine);
    const b = createSqliteQueue(engine);
    a.schedule('hourly', '0 * * * *', 'k');
    clock.set(Date.UTC(2026, 0, 1, 1));
    // b reads the due schedule before a moves it: the idempotency key still makes it one job
    const stale = engine.db.$client.prepare('SELECT next_run_at FROM job_schedules').get();
    expect(runDueSchedules(engine, a)).toHaveLength(1);
    engine.db.$client.prepare('UPDATE job_schedules SET next_run_at = ?').run((stale as { next_run_at: number }).next_run_at);
    expect(runDueSchedules(engine, b)).toHaveLength(0);
    expect(listJobs(engine).total).toBe(1);
  });

  it('a restart keeps the next run; a changed expression moves it', () => {
    upsertSchedule(engine, { name: 's', cron: '0 * * * *', kind: 'k' });
    clock.advance(10 * MIN);
    upsertSchedule(engine, { name: 's', cron: '0 * * * *', kind: 'k' });
    expect(listSchedules(engine)[0].nextRunAt).toBe(Date.UTC(2026, 0, 1, 1));
    upsertSchedule(engine, { name: 's', cron: '30 * * * *', kind: 'k' });
    expect(listSchedules(engine)[0].nextRunAt).toBe(Date.UTC(2026, 0, 1, 0, 30));
  });

  it('after a long outage a missed schedule fires once, then resumes after now', () => {
    const q = createSqliteQueue(engine);
    q.schedule('min', '* * * * *', 'k');
    clock.set(T0 + 3 * 3_600_000);
    expect(runDueSchedules(engine, q)).toHaveLength(1);
    expect(runDueSchedules(engine, q)).toHaveLength(0);
    expect(listSchedules(engine)[0].nextRunAt).toBe(Date.UTC(2026, 0, 1, 3, 1));
  });
});
