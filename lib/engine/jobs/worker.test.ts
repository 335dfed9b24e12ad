import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { getJob } from './list-jobs';
import { cancelJob } from './manage-jobs';
import { createSqliteQueue } from './sqlite-queue';
import type { JobContext, JobHandler } from './types';
import { startWorker, type Worker } from './worker';

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
let worker: Worker | null = null;

beforeEach(async () => {
  clock = manualClock(Date.UTC(2026, 0, 1));
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  await engine.cleanup();
});

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function jobEvents(): { ok: number; dims: string }[] {
  engine.metrics.flush();
  return engine.db.$client.prepare(`SELECT ok, dims FROM metric_events WHERE series = 'job' ORDER BY id`).all() as { ok: number; dims: string }[];
}

describe('worker', () => {
  it('runs a job, completes it with its result and records a job run', async () => {
    const { id } = createSqliteQueue(engine).enqueue('echo', { x: 1 });
    worker = startWorker(engine, [{ kind: 'echo', run: async ({ job }) => ({ got: job.payload }) }], { manual: true });
    await worker.tick();
    expect(getJob(engine, id)).toMatchObject({ state: 'succeeded', attempts: 1 });
    const row = engine.db.$client.prepare('SELECT result FROM jobs WHERE id = ?').get(id) as { result: string };
    expect(JSON.parse(row.result)).toEqual({ got: { x: 1 } });
    expect(jobEvents()).toHaveLength(1);
    expect(jobEvents()[0].ok).toBe(1);
  });

  it('records a failed attempt with its error, then retries after the backoff', async () => {
    let calls = 0;
    const { id } = createSqliteQueue(engine).enqueue('flaky', null, { maxAttempts: 2 });
    const handler: JobHandler = {
      kind: 'flaky',
      run: async () => {
        if (++calls === 1) throw new Error('disk on fire');
        return 'ok';
      },
    };
    worker = startWorker(engine, [handler], { manual: true });
    await worker.tick();
    const failed = getJob(engine, id);
    expect(failed).toMatchObject({ state: 'failed', lastError: 'disk on fire' });
    await worker.tick();
    expect(calls).toBe(1); // not before its run-at
    clock.set(failed.runAt);
    await worker.tick();
    expect(getJob(engine, id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(jobEvents().map((e) => e.ok)).toEqual([0, 1]);
  });

  it('a job that keeps failing ends dead with its last error', async () => {
    const { id } = createSqliteQueue(engine).enqueue('broken', null, { maxAttempts: 3 });
    let n = 0;
    worker = startWorker(engine, [{ kind: 'broken', run: async () => { throw new Error(`attempt ${++n} failed`); } }], { manual: true });
    for (let i = 0; i < 5; i++) {
      clock.set(Math.max(clock.now(), getJob(engine, id).runAt));
      await worker.tick();
    }
    expect(n).toBe(3);
    expect(getJob(engine, id)).toMatchObject({ state: 'dead', attempts: 3, lastError: 'attempt 3 failed' });
  });

  it('an idempotency key enqueued twice runs once', async () => {
    const queue = createSqliteQueue(engine);
    let runs = 0;
    worker = startWorker(engine, [{ kind: 'once', run: async () => void runs++ }], { manual: true });
    expect(queue.enqueue('once', 1, { idempotencyKey: 'k-1' }).created).toBe(true);
    expect(queue.enqueue('once', 2, { idempotencyKey: 'k-1' }).created).toBe(false);
    await worker.tick();
    expect(queue.enqueue('once', 3, { idempotencyKey: 'k-1' }).created).toBe(false); // also after it ran
    await worker.tick();
    expect(runs).toBe(1);
  });

  it('runs no more jobs at once than its concurrency', async () => {
    const queue = createSqliteQueue(engine);
    for (let i = 0; i < 5; i++) queue.enqueue('slow', i);
    const gate = deferred();
    let active = 0;
    let peak = 0;
    worker = startWorker(engine, [{ kind: 'slow', run: async () => { peak = Math.max(peak, ++active); await gate.promise; active--; } }], { manual: true, concurrency: 2 });
    const tick = worker.tick();
    await Promise.resolve();
    expect(active).toBe(2);
    gate.resolve();
    await tick;
    expect(peak).toBe(2);
    await worker.tick();
    await worker.tick();
    expect(engine.db.$client.prepare(`SELECT count(*) AS n FROM jobs WHERE state = 'succeeded'`).get()).toEqual({ n: 5 });
  });

  it('cancel stops a running job: its next heartbeat fails, its signal aborts and its end is not recorded', async () => {
    const { id } = createSqliteQueue(engine).enqueue('long', null);
    const started = deferred<JobContext>();
    const step = deferred();
    let sawAbort = false;
    worker = startWorker(
      engine,
      [
        {
          kind: 'long',
          run: async (ctx) => {
            started.resolve(ctx);
            await step.promise;
            ctx.progress({ done: 1, total: 10 });
            sawAbort = ctx.signal.aborted;
            ctx.signal.throwIfAborted();
            return 'finished anyway';
          },
        },
      ],
      { manual: true },
    );
    const tick = worker.tick();
    const ctx = await started.promise;
    expect(ctx.signal.aborted).toBe(false);
    expect(cancelJob(engine, id).state).toBe('cancelled');
    step.resolve();
    await tick;
    expect(sawAbort).toBe(true);
    expect(getJob(engine, id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect(jobEvents().map((e) => e.ok)).toEqual([0]);
  });

  it('reports progress through heartbeats', async () => {
    const { id } = createSqliteQueue(engine).enqueue('steps', null);
    const half = deferred();
    const go = deferred();
    worker = startWorker(engine, [{ kind: 'steps', run: async (ctx) => { ctx.progress({ done: 5, total: 10, message: 'halfway' }); half.resolve(); await go.promise; } }], { manual: true });
    const tick = worker.tick();
    await half.promise;
    expect(getJob(engine, id).progress).toEqual({ done: 5, total: 10, message: 'halfway' });
    go.resolve();
    await tick;
  });
});
