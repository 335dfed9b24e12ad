import type { Engine } from '../engine';
import { AppError } from '../errors';
import { toJob, type RawJobRow } from './job-row';
import type { Job, JobState } from './types';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'];
export const MAX_JOBS_PER_PAGE = 100;

/** `kind`: one kind, or a family by its prefix (`replication.*`). */
export type JobFilter = { state?: JobState; kind?: string; page?: number; perPage?: number };
export type JobPage = { total: number; page: number; perPage: number; jobs: Job[] };
export type JobDepth = { kind: string; state: JobState; count: number };

/** Jobs newest first, filtered by state and kind. */
export function listJobs(engine: Engine, f: JobFilter = {}): JobPage {
  const page = Math.max(1, Math.floor(f.page ?? 1));
  const perPage = Math.min(MAX_JOBS_PER_PAGE, Math.max(1, Math.floor(f.perPage ?? 25)));
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.state) {
    where.push('state = ?');
    args.push(f.state);
  }
  if (f.kind?.endsWith('.*')) {
    where.push("kind LIKE ? ESCAPE '\\'");
    args.push(`${f.kind.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  } else if (f.kind) {
    where.push('kind = ?');
    args.push(f.kind);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const sqlite = engine.db.$client;
  const total = (sqlite.prepare(`SELECT count(*) AS n FROM jobs ${clause}`).get(...args) as { n: number }).n;
  const rows = sqlite
    .prepare(`SELECT * FROM jobs ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...args, perPage, (page - 1) * perPage) as RawJobRow[];
  return { total, page, perPage, jobs: rows.map(toJob) };
}

/** How many jobs each kind has in each state (only the pairs that have any). */
export function jobDepth(engine: Engine): JobDepth[] {
  return engine.db.$client
    .prepare('SELECT kind, state, count(*) AS count FROM jobs GROUP BY kind, state ORDER BY kind, state')
    .all() as JobDepth[];
}

/** Jobs waiting to run (queued, or failed and waiting for their retry). */
export function jobBacklog(engine: Engine): number {
  return (engine.db.$client.prepare(`SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'failed')`).get() as { n: number }).n;
}

export function getJob(engine: Engine, id: number): Job {
  const row = engine.db.$client.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as RawJobRow | undefined;
  if (!row) throw new AppError('JOB_NOT_FOUND', `Job ${id} does not exist`);
  return toJob(row);
}
