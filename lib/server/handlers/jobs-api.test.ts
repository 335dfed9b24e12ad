/** The jobs API over real HTTP: listing, summary, retry and cancel, for admins only, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createSqliteQueue } from '@/lib/engine/jobs/sqlite-queue';
import { getJob } from '@/lib/engine/jobs/list-jobs';
import type { JobView } from '@/lib/engine/jobs/job-view';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';

let t: ApiTestServer;
let admin: { token: string };
let maintainer: { token: string };
const ids: Record<string, number> = {};

const as = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const get = (path: string, token: string | null) => fetch(`${t.url}${path}`, { headers: as(token) });
const post = (path: string, token: string | null) => fetch(`${t.url}${path}`, { method: 'POST', headers: as(token) });

beforeAll(async () => {
  t = await startApiTestServer();
  admin = await t.user('root', ['admin']);
  maintainer = await t.user('maint', ['maintainer']);
  const q = createSqliteQueue(t.engine);
  ids.queued = q.enqueue('mirror.sync', { mirror: 1 }).id;
  ids.dead = q.enqueue('webhook.deliver', { url: 'http://x' }, { maxAttempts: 1 }).id;
  q.claim('w', ['webhook.deliver'], 1_000);
  q.fail(ids.dead, 'w', 'connect ECONNREFUSED 127.0.0.1:9');
  ids.running = q.enqueue('housekeeping.gc', null).id;
  q.claim('w', ['housekeeping.gc'], 60_000);
  q.heartbeat(ids.running, 'w', 60_000, { done: 3, total: 4 });
  for (let i = 0; i < 3; i++) ids[`done${i}`] = q.enqueue('metrics.sample', i).id;
});
afterAll(() => t.close());

describe('GET /api/v1/jobs', () => {
  it('lists jobs newest first with state, attempts, run-at, progress and last error', async () => {
    const res = await get('/api/v1/jobs', admin.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; page: number; per_page: number; jobs: JobView[] };
    expect(body).toMatchObject({ total: 6, page: 1, per_page: 25 });
    expect(body.jobs.map((j) => j.id)).toEqual([...body.jobs.map((j) => j.id)].sort((a, b) => b - a));
    expect(body.jobs.find((j) => j.id === ids.dead)).toMatchObject({ state: 'dead', attempts: 1, max_attempts: 1, last_error: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(body.jobs.find((j) => j.id === ids.running)).toMatchObject({ state: 'running', progress: { done: 3, total: 4 }, worker_id: 'w' });
  });

  it('filters by state and kind and pages', async () => {
    const dead = await (await get('/api/v1/jobs?state=dead', admin.token)).json();
    expect(dead.jobs.map((j: JobView) => j.id)).toEqual([ids.dead]);
    const kind = await (await get('/api/v1/jobs?kind=metrics.sample&per_page=2&page=2', admin.token)).json();
    expect(kind).toMatchObject({ total: 3, page: 2, per_page: 2 });
    expect(kind.jobs.map((j: JobView) => j.id)).toEqual([ids.done0]);
    expect((await get('/api/v1/jobs?state=exploded', admin.token)).status).toBe(400);
  });

  it('needs ManageJobs', async () => {
    expect((await get('/api/v1/jobs', null)).status).toBe(401);
    expect((await get('/api/v1/jobs', maintainer.token)).status).toBe(403);
    expect((await get('/api/v1/jobs/summary', maintainer.token)).status).toBe(403);
  });
});

describe('GET /api/v1/jobs/summary', () => {
  it('gives the depth by kind and state', async () => {
    const res = await get('/api/v1/jobs/summary', admin.token);
    expect(res.status).toBe(200);
    const { depth, schedules } = await res.json();
    expect(depth).toEqual(
      expect.arrayContaining([
        { kind: 'metrics.sample', state: 'queued', count: 3 },
        { kind: 'webhook.deliver', state: 'dead', count: 1 },
        { kind: 'housekeeping.gc', state: 'running', count: 1 },
        { kind: 'mirror.sync', state: 'queued', count: 1 },
      ]),
    );
    expect(depth).toHaveLength(4);
    expect(schedules).toEqual([]);
  });
});

describe('retry and cancel', () => {
  const audits = (action: string) =>
    t.engine.db.all<{ result: string; target: string; error_code: string | null }>(sql`SELECT result, target, error_code FROM audit_events WHERE action = ${action} ORDER BY id`);

  it('retries a dead job: queued again now with its attempts reset', async () => {
    const res = await post(`/api/v1/jobs/${ids.dead}/retry`, admin.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: ids.dead, state: 'queued', attempts: 0 });
    expect(getJob(t.engine, ids.dead).state).toBe('queued');
    expect(audits('job.retry').at(-1)).toMatchObject({ result: 'ok', target: `job#${ids.dead}` });
  });

  it('refuses to retry a job that has not ended (409) and an unknown one (404)', async () => {
    const res = await post(`/api/v1/jobs/${ids.queued}/retry`, admin.token);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('JOB_STATE_INVALID');
    expect((await post('/api/v1/jobs/99999/retry', admin.token)).status).toBe(404);
  });

  it('cancels a running job: its worker loses it', async () => {
    const res = await post(`/api/v1/jobs/${ids.running}/cancel`, admin.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'cancelled' });
    const q = createSqliteQueue(t.engine);
    expect(q.heartbeat(ids.running, 'w', 60_000)).toBe(false);
    expect(q.complete(ids.running, 'w')).toBe(false);
    expect((await post(`/api/v1/jobs/${ids.running}/cancel`, admin.token)).status).toBe(409);
  });

  it('is refused without ManageJobs, and the refusal is audited', async () => {
    expect((await post(`/api/v1/jobs/${ids.queued}/cancel`, maintainer.token)).status).toBe(403);
    expect((await post(`/api/v1/jobs/${ids.queued}/cancel`, null)).status).toBe(401);
    expect(getJob(t.engine, ids.queued).state).toBe('queued');
    expect(audits('job.cancel').map((a) => a.result)).toEqual(expect.arrayContaining(['ok', 'denied']));
  });
});
