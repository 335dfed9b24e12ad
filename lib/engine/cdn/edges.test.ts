import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { startWorker } from '../jobs/worker';
import { setYanked } from '../registry/yank-version';
import { deleteVersion } from '../registry/delete-version';
import { publishSample } from '../test-support/registry-fixtures';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { CDN_COLLECT_JOB, cdnJobHandlers, cdnSchedules, collectCron } from './cdn-jobs';
import { cdnTraffic } from './cdn-traffic';
import { collectEdgeStats } from './collect-edge-stats';
import { getEdge, listEdges, registerEdge, removeEdge, updateEdge } from './manage-edges';
import { CDN_PURGE_JOB, changeHead, enqueueChangePurges, purgeEdgeNow } from './purge-edge';
import { deadUrl, startContractEdge } from './test-support/contract-edge';

const TOKEN = 'purge-secret-7f3a9c';
const T0 = Date.UTC(2026, 10, 30, 12, 0, 5);

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
let edge: Awaited<ReturnType<typeof startContractEdge>>;

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
  edge = await startContractEdge({ purgeToken: TOKEN });
});

afterEach(async () => {
  await edge.close();
  await engine.cleanup();
});

const input = (over: Partial<{ url: string; purge_token: string }> = {}) => ({ url: edge.url, region: 'eu-west', provider: 'self-hosted', purge_token: TOKEN, ...over });

describe('registering an edge', () => {
  it('probes it, starts healthy, and never shows the purge token', async () => {
    const view = await registerEdge(engine, input({ url: `${edge.url}/` }));
    expect(view).toMatchObject({ url: edge.url, region: 'eu-west', provider: 'self-hosted', state: 'healthy', purge_token: 'set', failures: 0 });
    expect(JSON.stringify(listEdges(engine))).not.toContain(TOKEN);
    expect(edge.state.purges[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses an unreachable URL', async () => {
    await expect(registerEdge(engine, input({ url: await deadUrl() }))).rejects.toMatchObject({ code: 'EDGE_UNREACHABLE', message: expect.stringContaining('could not reach') });
    expect(listEdges(engine)).toEqual([]);
  });

  it('refuses a server that is not an edge', async () => {
    const mirror = await startContractEdge({ purgeToken: TOKEN, role: 'mirror' });
    const web = await startContractEdge({ purgeToken: TOKEN, healthStatus: 404 });
    try {
      await expect(registerEdge(engine, input({ url: mirror.url }))).rejects.toMatchObject({ code: 'EDGE_NOT_AN_EDGE', message: expect.stringContaining('role "mirror"') });
      await expect(registerEdge(engine, input({ url: web.url }))).rejects.toMatchObject({ code: 'EDGE_NOT_AN_EDGE', message: expect.stringContaining('HTTP 404') });
    } finally {
      await mirror.close();
      await web.close();
    }
  });

  it('refuses a wrong purge token, and an edge without one, without echoing the token', async () => {
    const err = await registerEdge(engine, input({ purge_token: 'not-the-token' })).catch((e) => e);
    expect(err).toMatchObject({ code: 'EDGE_PURGE_TOKEN_REJECTED', message: expect.stringContaining('refused this purge token') });
    expect(err.message).not.toContain('not-the-token');
    const tokenless = await startContractEdge({ purgeToken: null });
    try {
      await expect(registerEdge(engine, input({ url: tokenless.url }))).rejects.toMatchObject({ code: 'EDGE_PURGE_TOKEN_REJECTED', message: expect.stringContaining('no purge token configured') });
    } finally {
      await tokenless.close();
    }
    expect(listEdges(engine)).toEqual([]);
  });

  it('refuses a second registration of the same URL; edits re-probe a new token; removal', async () => {
    const view = await registerEdge(engine, input());
    await expect(registerEdge(engine, input())).rejects.toMatchObject({ code: 'EDGE_EXISTS' });
    await expect(updateEdge(engine, view.id, { purge_token: 'wrong' })).rejects.toMatchObject({ code: 'EDGE_PURGE_TOKEN_REJECTED' });
    expect((await updateEdge(engine, view.id, { region: 'us-east', provider: '' })).region).toBe('us-east');
    expect(getEdge(engine, view.id).provider).toBe('torsh-edge');
    expect(removeEdge(engine, view.id)).toEqual({ deleted: view.id });
    expect(() => getEdge(engine, view.id)).toThrow(expect.objectContaining({ code: 'EDGE_NOT_FOUND' }));
  });
});

describe('collecting statistics', () => {
  it('records deltas since the last reading, handles a restart, and turns unhealthy after failures', async () => {
    edge.state.counters = { requests: 100, hits: 60, misses: 40, bytes_from_cache: 6000, bytes_from_origin: 4000, evictions: 0 };
    const { id } = await registerEdge(engine, input()); // baseline: the history before registration is not recorded

    clock.advance(15_000);
    edge.state.counters = { requests: 110, hits: 69, misses: 41, bytes_from_cache: 6900, bytes_from_origin: 4100, evictions: 1 };
    expect(await collectEdgeStats(engine)).toEqual([{ id, ok: true, state: 'healthy', restarted: false }]);

    clock.advance(15_000);
    edge.restart({ requests: 4, hits: 1, misses: 3, bytes_from_cache: 100, bytes_from_origin: 300 });
    expect((await collectEdgeStats(engine))[0]).toMatchObject({ ok: true, restarted: true });

    const range = { from: T0 - 60_000, to: T0 + 120_000 };
    const traffic = cdnTraffic(engine, range, { perEdge: true });
    expect(traffic.overall.totals).toEqual({ requests: 14, hits: 10, hit_rate: 10 / 14, bytes_from_cache: 1000, bytes_from_origin: 400 });
    expect(traffic.edges).toHaveLength(1);
    expect(traffic.edges[0]!.totals.requests).toBe(14);
    expect(cdnTraffic(engine, range, { perEdge: false }).edges).toEqual([]);
    const view = getEdge(engine, id);
    expect(view.requests_1h).toBe(14);
    expect(view.hit_rate_1h).toBeCloseTo(10 / 14);
    expect(view.counters).toMatchObject({ requests: 4, hits: 1 });

    edge.state.down = true;
    clock.advance(15_000);
    expect((await collectEdgeStats(engine))[0]).toMatchObject({ ok: false, state: 'degraded' });
    clock.advance(15_000);
    expect((await collectEdgeStats(engine))[0]).toMatchObject({ ok: false, state: 'unhealthy' });
    expect(getEdge(engine, id)).toMatchObject({ state: 'unhealthy', failures: 2, last_error: expect.any(String) });

    edge.state.down = false;
    clock.advance(15_000);
    expect((await collectEdgeStats(engine))[0]).toMatchObject({ ok: true, state: 'healthy' });
    expect(getEdge(engine, id).failures).toBe(0);
  });

  it('runs as the scheduled cdn.collect job every 15 s by default', async () => {
    expect(collectCron({})).toBe('*/15 * * * * *');
    expect(collectCron({ TORSH_CDN_COLLECT_INTERVAL_S: '5' })).toBe('*/5 * * * * *');
    expect(collectCron({ TORSH_CDN_COLLECT_INTERVAL_S: '120' })).toBe('0 */2 * * * *');
    await registerEdge(engine, input());
    edge.state.counters.requests = 7;
    edge.state.counters.hits = 7;
    const queue = createSqliteQueue(engine);
    const worker = startWorker(engine, cdnJobHandlers(() => queue), { schedules: cdnSchedules({}), manual: true });
    try {
      clock.advance(15_000);
      await worker.tick();
      const run = engine.db.$client.prepare(`SELECT state, result FROM jobs WHERE kind = ?`).get(CDN_COLLECT_JOB) as { state: string; result: string };
      expect(run.state).toBe('succeeded');
      expect(cdnTraffic(engine, { from: T0 - 60_000, to: T0 + 60_000 }, { perEdge: false }).overall.totals.hits).toBe(7);
    } finally {
      await worker.stop();
    }
  });
});

describe('purging', () => {
  it('purges one edge now with its token, and says why when it fails', async () => {
    const { id } = await registerEdge(engine, input());
    expect(await purgeEdgeNow(engine, id, { name: 'resnet', version: '1.0.0' })).toEqual({ edge_id: id, target: 'resnet@1.0.0', purged: 1, bytes: 100 });
    expect(await purgeEdgeNow(engine, id, { all: true })).toMatchObject({ purged: 3, target: 'everything' });
    expect(edge.state.purges.at(-1)).toEqual({ authorization: `Bearer ${TOKEN}`, body: { all: true } });
    edge.state.down = true;
    await expect(purgeEdgeNow(engine, id, { name: 'resnet' })).rejects.toMatchObject({ code: 'EDGE_PURGE_FAILED' });
    await expect(purgeEdgeNow(engine, 999, { name: 'resnet' })).rejects.toMatchObject({ code: 'EDGE_NOT_FOUND' });
  });

  it('enqueues one durable purge per edge for yanks and deletes, once each, and the job purges the edge', async () => {
    const { id } = await registerEdge(engine, input());
    await publishSample(engine, 'resnet', '1.0.0');
    await publishSample(engine, 'resnet', '1.1.0');
    const before = changeHead(engine);
    setYanked(engine, SYSTEM, { name: 'resnet', version: '1.0.0', yanked: true });
    deleteVersion(engine, SYSTEM, { name: 'resnet', version: '1.1.0' });
    const queue = createSqliteQueue(engine);
    expect(enqueueChangePurges(engine, queue, before)).toBe(2);
    expect(enqueueChangePurges(engine, queue, before)).toBe(0);
    const worker = startWorker(engine, cdnJobHandlers(() => queue), { manual: true });
    try {
      await worker.tick();
      await worker.tick();
    } finally {
      await worker.stop();
    }
    const jobs = engine.db.$client.prepare(`SELECT state FROM jobs WHERE kind = ?`).pluck().all(CDN_PURGE_JOB);
    expect(jobs).toEqual(['succeeded', 'succeeded']);
    const bodies = edge.state.purges.map((p) => p.body).slice(1);
    expect(bodies).toEqual(expect.arrayContaining([{ name: 'resnet', version: '1.0.0' }, { name: 'resnet', version: '1.1.0' }]));
    expect(id).toBeGreaterThan(0);
  });

  it('retries a purge while the edge is down, and the collection sweeps changes never enqueued', async () => {
    const { id } = await registerEdge(engine, input());
    await publishSample(engine, 'vit', '2.0.0');
    setYanked(engine, SYSTEM, { name: 'vit', version: '2.0.0', yanked: true });
    const queue = createSqliteQueue(engine);
    edge.state.down = true;
    const worker = startWorker(engine, cdnJobHandlers(() => queue), { schedules: cdnSchedules({}), manual: true });
    try {
      // Nothing enqueued the yank's purge: the scheduled collection finds it in the feed.
      clock.advance(15_000);
      await worker.tick();
      await worker.tick();
      const job = engine.db.$client.prepare(`SELECT state, attempts, last_error, payload FROM jobs WHERE kind = ?`).get(CDN_PURGE_JOB) as { state: string; attempts: number; last_error: string; payload: string };
      expect(JSON.parse(job.payload)).toMatchObject({ edge_id: id, target: { name: 'vit', version: '2.0.0' }, reason: 'yank' });
      expect(job).toMatchObject({ state: 'failed', attempts: 1 });
      expect(job.last_error).toContain(edge.url);
      expect(job.last_error).not.toContain(TOKEN);
      edge.state.down = false;
      clock.advance(10 * 60_000);
      await worker.tick();
      expect(engine.db.$client.prepare(`SELECT state FROM jobs WHERE kind = ?`).pluck().get(CDN_PURGE_JOB)).toBe('succeeded');
      expect(edge.state.purges.at(-1)?.body).toEqual({ name: 'vit', version: '2.0.0' });
    } finally {
      await worker.stop();
    }
  });
});
