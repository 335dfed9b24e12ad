import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdnJobHandlers } from '@/lib/engine/cdn/cdn-jobs';
import { CDN_PURGE_JOB } from '@/lib/engine/cdn/purge-edge';
import { startContractEdge, deadUrl } from '@/lib/engine/cdn/test-support/contract-edge';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { startWorker } from '@/lib/engine/jobs/worker';
import { jobQueue } from '../jobs';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { parsePromText } from '../test-support/promtool';

const TOKEN = 'edge-purge-token-5d1e0b';

let t: ApiTestServer;
let edge: Awaited<ReturnType<typeof startContractEdge>>;
let admin: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startApiTestServer();
  edge = await startContractEdge({ purgeToken: TOKEN });
  admin = await t.user('cdn-admin', ['admin']);
  viewer = await t.user('cdn-viewer', ['viewer']);
});

afterAll(async () => {
  await edge?.close();
  await t?.close();
});

const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  fetch(`${t.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? admin.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });

describe('edges API', () => {
  let id: number;

  it('refuses unreachable URLs and wrong purge tokens with clear 422s', async () => {
    const dead = await api('/api/v1/edges', { method: 'POST', body: { url: await deadUrl(), region: 'eu-west', purge_token: TOKEN } });
    expect(dead.status).toBe(422);
    expect((await dead.json()).error).toMatchObject({ code: 'EDGE_UNREACHABLE', message: expect.stringContaining('could not reach') });
    const wrong = await api('/api/v1/edges', { method: 'POST', body: { url: edge.url, region: 'eu-west', purge_token: 'guess-123' } });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error.code).toBe('EDGE_PURGE_TOKEN_REJECTED');
    const bad = await api('/api/v1/edges', { method: 'POST', body: { url: edge.url, region: 'EU WEST', purge_token: TOKEN } });
    expect(bad.status).toBe(400);
  });

  it('registers, lists and edits an edge (ManageCdn only), the token only ever "set"', async () => {
    const res = await api('/api/v1/edges', { method: 'POST', body: { url: edge.url, region: 'eu-west', provider: 'self-hosted', purge_token: TOKEN } });
    expect(res.status).toBe(201);
    const created = await res.json();
    id = created.id;
    expect(created).toMatchObject({ url: edge.url, state: 'healthy', purge_token: 'set' });
    const listText = await (await api('/api/v1/edges')).text();
    expect(listText).toContain(edge.url);
    expect(listText).not.toContain(TOKEN);
    expect((await api('/api/v1/edges', { token: viewer.token })).status).toBe(403);
    const patched = await api(`/api/v1/edges/${id}`, { method: 'PATCH', body: { region: 'eu-central', purge_token: TOKEN } });
    expect(patched.status).toBe(200);
    const patchedText = await patched.text();
    expect(patchedText).toContain('eu-central');
    expect(patchedText).not.toContain(TOKEN);
  });

  it('purges through the edge with its token', async () => {
    const res = await api(`/api/v1/edges/${id}/purge`, { method: 'POST', body: { name: 'resnet', version: '1.0.0' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ edge_id: id, purged: 1, target: 'resnet@1.0.0' });
    expect(edge.state.purges.at(-1)).toEqual({ authorization: `Bearer ${TOKEN}`, body: { name: 'resnet', version: '1.0.0' } });
    expect((await api(`/api/v1/edges/${id}/purge`, { method: 'POST', body: {} })).status).toBe(400);
    expect((await api(`/api/v1/edges/${id}/purge`, { method: 'POST', body: { all: true }, token: viewer.token })).status).toBe(403);
  });

  it('purges every edge automatically after a yank, as durable jobs', async () => {
    const body = await readFile(await writeSamplePackage({ name: 'cdn-auto', version: '1.0.0' }));
    expect((await fetch(`${t.url}/api/v1/packages/cdn-auto/1.0.0`, { method: 'PUT', headers: { authorization: `Bearer ${admin.token}` }, body })).status).toBe(201);
    expect((await api('/api/v1/packages/cdn-auto/1.0.0/yank', { method: 'POST' })).status).toBe(200);
    const queued = t.engine.db.$client.prepare('SELECT payload FROM jobs WHERE kind = ?').pluck().all(CDN_PURGE_JOB) as string[];
    expect(queued.map((p) => JSON.parse(p))).toEqual([expect.objectContaining({ edge_id: id, target: { name: 'cdn-auto', version: '1.0.0' }, reason: 'yank' })]);
    const worker = startWorker(t.engine, cdnJobHandlers(jobQueue), { manual: true });
    await worker.tick();
    await worker.stop();
    expect(edge.state.purges.at(-1)?.body).toEqual({ name: 'cdn-auto', version: '1.0.0' });
  });

  it('purges the whole package after a visibility change and after a package delete', async () => {
    const before = t.engine.db.$client.prepare('SELECT coalesce(max(id), 0) FROM jobs').pluck().get() as number;
    expect((await api('/api/v1/packages/cdn-auto/access', { method: 'PATCH', body: { visibility: 'private' } })).status).toBe(200);
    expect((await api('/api/v1/packages/cdn-auto', { method: 'DELETE' })).status).toBe(200);
    const jobs = t.engine.db.$client.prepare('SELECT payload FROM jobs WHERE kind = ? AND id > ? ORDER BY id').pluck().all(CDN_PURGE_JOB, before) as string[];
    expect(jobs.map((p) => JSON.parse(p))).toEqual([
      expect.objectContaining({ target: { name: 'cdn-auto' }, reason: 'visibility' }),
      expect.objectContaining({ target: { name: 'cdn-auto' }, reason: 'delete' }),
    ]);
  });

  it('never writes the purge token to the audit log or the jobs', async () => {
    const jobs = t.engine.db.$client.prepare(`SELECT payload, result, last_error FROM jobs WHERE kind LIKE 'cdn.%'`).all();
    expect(jobs.length).toBeGreaterThan(0);
    expect(JSON.stringify(jobs)).not.toContain(TOKEN);
    const rows = t.engine.db.$client.prepare(`SELECT action, target FROM audit_events WHERE action LIKE 'edge.%'`).all() as { action: string; target: string }[];
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['edge.register', 'edge.update', 'edge.purge']));
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    expect(JSON.stringify(rows)).not.toContain('guess-123');
  });

  it('exports the hit ratio to /metrics and the traffic read model', async () => {
    edge.state.counters = { requests: 10, hits: 8, misses: 2, bytes_from_cache: 800, bytes_from_origin: 200, evictions: 0 };
    const { collectEdgeStats } = await import('@/lib/engine/cdn/collect-edge-stats');
    await collectEdgeStats(t.engine);
    const samples = parsePromText(await (await api('/metrics')).text());
    expect(samples.find((s) => s.name === 'torsh_edge_hit_ratio')).toMatchObject({ labels: { edge: edge.url, region: 'eu-central' }, value: 0.8 });
    const traffic = await (await api('/api/v1/cdn/traffic')).json();
    expect(traffic.overall.totals).toMatchObject({ requests: 10, hits: 8, hit_rate: 0.8, bytes_from_cache: 800, bytes_from_origin: 200 });
    expect(traffic.edges).toHaveLength(1);
    const viewerTraffic = await (await api('/api/v1/cdn/traffic', { token: viewer.token })).json();
    expect(viewerTraffic.edges).toEqual([]);
    expect((await api(`/api/v1/metrics/series?series=edge.hits&dim=e:${id}`, { token: viewer.token })).status).toBe(403);
    expect((await api(`/api/v1/metrics/series?series=edge.hits&dim=e:${id}`)).status).toBe(200);
  });

  it('removes an edge', async () => {
    expect((await api(`/api/v1/edges/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(`/api/v1/edges/${id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
