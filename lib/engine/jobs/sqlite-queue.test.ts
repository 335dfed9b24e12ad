import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { backoffMs } from './backoff';
import { getJob } from './list-jobs';
import { createSqliteQueue } from './sqlite-queue';
import type { JobQueue } from './types';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

let engine: TestEngine;
let clock: ReturnType<typeof manualClock>;
let queue: JobQueue;
const T0 = Date.UTC(2026, 0, 1);

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
  queue = createSqliteQueue(engine, { backoff: { baseMs: 1_000, capMs: 60_000, jitter: 'equal', random: () => 0.5 } });
});
afterEach(() => engine.cleanup());

describe('sqlite job queue', () => {
  it('claims a due job once, with a lease, and completes it for the lease holder only', () => {
    const { id, created } = queue.enqueue('k', { a: 1 });
    expect(created).toBe(true);
    const job = queue.claim('w1', ['k'], 30_000)!;
    expect(job).toMatchObject({ id, kind: 'k', payload: { a: 1 }, state: 'running', attempts: 1, workerId: 'w1', leaseUntil: T0 + 30_000 });
    expect(queue.claim('w2', ['k'], 30_000)).toBeNull();
    expect(queue.complete(id, 'w2', 'x')).toBe(false);
    expect(queue.complete(id, 'w1', { ok: true })).toBe(true);
    expect(getJob(engine, id)).toMatchObject({ state: 'succeeded', finishedAt: T0, leaseUntil: null });
    expect(queue.complete(id, 'w1')).toBe(false);
  });

  it('does not claim a job before its run-at, nor one of another kind', () => {
    queue.enqueue('k', null, { runAt: T0 + 5_000 });
    expect(queue.claim('w', ['other'], 1_000)).toBeNull();
    expect(queue.claim('w', ['k'], 1_000)).toBeNull();
    clock.advance(5_000);
    expect(queue.claim('w', ['k'], 1_000)?.kind).toBe('k');
  });

  it('claims by priority, then run-at', () => {
    const low = queue.enqueue('k', 'low').id;
    const high = queue.enqueue('k', 'high', { priority: 5 }).id;
    expect(queue.claim('w', ['k'], 1_000)?.id).toBe(high);
    expect(queue.claim('w', ['k'], 1_000)?.id).toBe(low);
  });

  it('an idempotency key enqueued twice gives one job', () => {
    const first = queue.enqueue('k', 1, { idempotencyKey: 'once' });
    const second = queue.enqueue('k', 2, { idempotencyKey: 'once' });
    expect(second).toEqual({ id: first.id, created: false });
    expect(queue.claim('w', ['k'], 1_000)?.payload).toBe(1);
    expect(queue.claim('w', ['k'], 1_000)).toBeNull();
  });

  it('a worker whose lease ran out loses the job: its heartbeat, complete and fail are refused', () => {
    const { id } = queue.enqueue('k', null);
    queue.claim('w1', ['k'], 10_000);
    expect(queue.heartbeat(id, 'w1', 10_000, { done: 1, total: 2 })).toBe(true);
    expect(getJob(engine, id)).toMatchObject({ leaseUntil: T0 + 10_000, progress: { done: 1, total: 2 } });
    clock.advance(10_001);
    const again = queue.claim('w2', ['k'], 10_000)!;
    expect(again).toMatchObject({ id, attempts: 2, workerId: 'w2' });
    expect(again.lastError).toMatch(/lease expired: worker w1/);
    expect(queue.heartbeat(id, 'w1', 10_000)).toBe(false);
    expect(queue.complete(id, 'w1')).toBe(false);
    expect(queue.fail(id, 'w1', 'late')).toBe(false);
    expect(queue.heartbeat(id, 'w2', 10_000)).toBe(true);
  });

  it('retries back off exponentially within the jitter bounds', () => {
    const delays: number[] = [];
    for (const r of [0, 0.999]) {
      const q = createSqliteQueue(engine, { backoff: { baseMs: 1_000, capMs: 60_000, jitter: 'equal', random: () => r } });
      const { id } = q.enqueue(`k${r}`, null, { maxAttempts: 9 });
      let last = clock.now();
      for (let attempt = 1; attempt <= 8; attempt++) {
        clock.set(getJob(engine, id).runAt);
        const job = q.claim('w', [`k${r}`], 1_000)!;
        expect(job.attempts).toBe(attempt);
        last = clock.now();
        expect(q.fail(id, 'w', `boom ${attempt}`)).toBe(true);
        const failed = getJob(engine, id);
        expect(failed.state).toBe('failed');
        const delay = failed.runAt - last;
        const exp = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
        expect(delay).toBeGreaterThanOrEqual(exp / 2);
        expect(delay).toBeLessThanOrEqual(exp);
        expect(q.claim('w', [`k${r}`], 1_000)).toBeNull(); // not before its run-at
        delays.push(delay);
      }
    }
    // pinned jitter: equal jitter at r = 0 is exactly half of 1 s, 2 s, 4 s … capped at 60 s
    expect(delays.slice(0, 8)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('full jitter stays within [0, exponential delay]', () => {
    for (const r of [0, 0.25, 0.999]) {
      for (let a = 1; a <= 12; a++) {
        const d = backoffMs(a, { baseMs: 1_000, capMs: 3_600_000, jitter: 'full', random: () => r });
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(3_600_000, 1_000 * 2 ** (a - 1)));
      }
    }
  });

  it('a job that keeps failing ends dead with its last error', () => {
    const { id } = queue.enqueue('k', null, { maxAttempts: 3 });
    for (let i = 1; i <= 3; i++) {
      clock.set(getJob(engine, id).runAt);
      expect(queue.claim('w', ['k'], 1_000)?.attempts).toBe(i);
      queue.fail(id, 'w', `failure ${i}`);
    }
    expect(getJob(engine, id)).toMatchObject({ state: 'dead', attempts: 3, lastError: 'failure 3', finishedAt: clock.now() });
    clock.advance(10 * 3_600_000);
    expect(queue.claim('w', ['k'], 1_000)).toBeNull();
  });

  it('a worker that dies on the last attempt leaves a dead job, not an endless one', () => {
    const { id } = queue.enqueue('k', null, { maxAttempts: 1 });
    queue.claim('w1', ['k'], 1_000);
    clock.advance(1_001);
    expect(queue.claim('w2', ['k'], 1_000)).toBeNull();
    expect(getJob(engine, id)).toMatchObject({ state: 'dead', attempts: 1 });
    expect(getJob(engine, id).lastError).toMatch(/lease expired/);
  });

  it('bounds the error message it keeps', () => {
    const { id } = queue.enqueue('k', null, { maxAttempts: 1 });
    queue.claim('w', ['k'], 1_000);
    queue.fail(id, 'w', 'x'.repeat(100_000));
    expect(getJob(engine, id).lastError!.length).toBeLessThanOrEqual(2_000);
  });
});
