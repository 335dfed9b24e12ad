import type { Engine } from '../engine';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead' | 'cancelled';

export type Job = {
  id: number;
  kind: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  leaseUntil: number | null;
  workerId: string | null;
  progress: JobProgress | null;
  lastError: string | null;
  /** What the handler returned (a verify report, a prune report…); null until it succeeds. */
  result?: unknown;
  idempotencyKey: string | null;
  scheduleName: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
};

export type JobProgress = { done: number; total: number | null; message?: string };

export type EnqueueOptions = {
  /** Not before this time (ms since the epoch); default now. */
  runAt?: number;
  /** Attempts before the job is dead (default 5). */
  maxAttempts?: number;
  /** A second enqueue with the same key returns the first job instead of adding one. */
  idempotencyKey?: string;
  priority?: number;
};

/**
 * The queue's whole interface (lib/engine/jobs/sqlite-queue.ts implements it on SQLite); a
 * PostgreSQL queue (pg-boss, graphile-worker) can stand in for it when several origins share a
 * database (docs/ARCHITECTURE.md says how).
 */
export type JobQueue = {
  enqueue(kind: string, payload: unknown, opts?: EnqueueOptions): { id: number; created: boolean };
  /** Take the next due job of these kinds, with a lease until now + leaseMs; null when none is due. */
  claim(workerId: string, kinds: readonly string[], leaseMs: number): Job | null;
  /** Extend the lease (and record progress); false when the job is no longer this worker's (lease lost, cancelled). */
  heartbeat(jobId: number, workerId: string, leaseMs: number, progress?: JobProgress): boolean;
  complete(jobId: number, workerId: string, result?: unknown): boolean;
  /** Record a failed attempt: queued again after backoff with jitter, or dead when out of attempts. */
  fail(jobId: number, workerId: string, error: string): boolean;
  /** Create or update a recurring schedule (cron expression, UTC). */
  schedule(name: string, cron: string, kind: string, payload?: unknown): void;
};

/** What a job handler gets: the engine, the job, and a heartbeat that also reports progress. */
export type JobContext = {
  engine: Engine;
  job: Job;
  progress(p: JobProgress): void;
  /** Aborted when the lease is lost or the job is cancelled: stop early. */
  signal: AbortSignal;
};

export type JobHandler = {
  kind: string;
  run(ctx: JobContext): Promise<unknown>;
  /** Lease per attempt (renewed by heartbeats while it runs); default 60 s. */
  leaseMs?: number;
  maxAttempts?: number;
};

/** A recurring job the registry schedules at start (housekeeping, alert evaluation…). */
export type JobScheduleSpec = { name: string; cron: string; kind: string; payload?: unknown };
