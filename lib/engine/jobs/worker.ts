import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Engine } from '../engine';
import { recordJobEvent } from '../metrics/record';
import { runDueSchedules } from './schedules';
import { createSqliteQueue } from './sqlite-queue';
import type { Job, JobHandler, JobProgress, JobQueue, JobScheduleSpec } from './types';

export const DEFAULT_LEASE_MS = 60_000;

export type WorkerOptions = {
  /** Jobs run at once (default 2). */
  concurrency?: number;
  /** How often to look for due jobs and schedules (default 1 s). */
  pollMs?: number;
  workerId?: string;
  /** Recurring jobs to create or update at start. */
  schedules?: readonly JobScheduleSpec[];
  /** Default: the SQLite queue on the engine's database. */
  queue?: JobQueue;
  /** No poll timer: the caller drives the worker with tick() (tests with a fake clock). */
  manual?: boolean;
  /** Called when the worker itself fails (a claim or a schedule tick threw). */
  onError?: (err: unknown) => void;
  /** Called when a handler throws (the attempt is recorded as failed either way). */
  onJobError?: (job: Job, err: unknown) => void;
};

export type Worker = {
  readonly workerId: string;
  /** Stop polling and wait for the running jobs to finish. */
  stop(): Promise<void>;
  /** Fire due schedules, claim what fits and wait until the jobs claimed by this tick have finished. */
  tick(): Promise<void>;
};

export function defaultWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * Run jobs of the handlers' kinds. The handler list is read on every claim, so handlers added to
 * the same array later are picked up. Each running job heartbeats every lease/3 (and whenever it
 * reports progress); a heartbeat that fails (lease lost, job cancelled) aborts its signal.
 */
export function startWorker(engine: Engine, handlers: readonly JobHandler[], opts: WorkerOptions = {}): Worker {
  const queue = opts.queue ?? createSqliteQueue(engine);
  const workerId = opts.workerId ?? defaultWorkerId();
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const pollMs = opts.pollMs ?? 1_000;
  const onError = opts.onError ?? (() => {});
  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const handlerFor = (kind: string) => handlers.find((h) => h.kind === kind);
  for (const s of opts.schedules ?? []) queue.schedule(s.name, s.cron, s.kind, s.payload);

  async function runJob(job: Job, handler: JobHandler): Promise<void> {
    const leaseMs = handler.leaseMs ?? DEFAULT_LEASE_MS;
    const controller = new AbortController();
    let lastProgress: JobProgress | undefined;
    const beat = () => {
      if (!controller.signal.aborted && !queue.heartbeat(job.id, workerId, leaseMs, lastProgress)) {
        controller.abort(new Error(`job ${job.id} lost its lease or was cancelled`));
      }
    };
    if (leaseMs !== DEFAULT_LEASE_MS) beat();
    const heart = setInterval(beat, Math.max(10, Math.floor(leaseMs / 3)));
    heart.unref?.();
    const started = performance.now();
    let ok = false;
    try {
      const result = await handler.run({
        engine,
        job,
        signal: controller.signal,
        progress: (p) => {
          lastProgress = p;
          beat();
        },
      });
      clearInterval(heart);
      ok = queue.complete(job.id, workerId, result);
    } catch (err) {
      clearInterval(heart);
      queue.fail(job.id, workerId, errorMessage(err));
      opts.onJobError?.(job, err);
    } finally {
      clearInterval(heart);
      recordJobEvent(engine, { kind: job.kind, ok, durationMs: performance.now() - started });
    }
  }

  /** Claim jobs while there is room; returns the runs started. */
  function fill(): Promise<void>[] {
    const started: Promise<void>[] = [];
    try {
      runDueSchedules(engine, queue, (kind) => ({ maxAttempts: handlerFor(kind)?.maxAttempts }));
      const kinds = handlers.map((h) => h.kind);
      while (!stopped && running.size < concurrency) {
        const job = queue.claim(workerId, kinds, DEFAULT_LEASE_MS);
        if (!job) break;
        const run = runJob(job, handlerFor(job.kind)!).finally(() => {
          running.delete(run);
          if (!stopped && !opts.manual) schedule(0);
        });
        running.add(run);
        started.push(run);
      }
    } catch (err) {
      onError(err);
    }
    return started;
  }

  function schedule(delay: number): void {
    if (stopped || opts.manual) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fill();
      schedule(pollMs);
    }, delay);
    timer.unref?.();
  }

  schedule(0);

  return {
    workerId,
    async tick() {
      await Promise.all(fill());
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.all([...running]);
    },
  };
}
