/** The mirrors API over real HTTP: add (probed), edit, remove, history, settings, locations, redirect mode. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrors } from '@/db/schema';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { closedPort, startHealthServer, type HealthServer } from '@/lib/engine/mirrors/test-support/health-server';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { rawRequest } from '../test-support/raw-request';

let t: ApiTestServer;
let admin: string;
let maintainer: string;
let a: HealthServer;
let b: HealthServer;

type Opts = { token?: string | null; body?: unknown; headers?: Record<string, string> };
function api(method: string, path: string, o: Opts = {}) {
  const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.headers ?? {}) };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${t.url}/api/v1${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), redirect: 'manual' });
}
const auditActions = () => t.engine.db.all<{ action: string; result: string }>(sql`SELECT action, result FROM audit_events WHERE action LIKE 'mirror.%' ORDER BY id`);

beforeAll(async () => {
  t = await startApiTestServer();
  admin = (await t.user('root', ['admin'])).token;
  maintainer = (await t.user('maint', ['maintainer'])).token;
  a = await startHealthServer();
  b = await startHealthServer();
  a.answer.body = a.mirrorBody(0);
  b.answer.body = b.mirrorBody(0);
});
afterAll(async () => {
  await a.stop();
  await b.stop();
  await t.close();
});

describe('mirrors CRUD', () => {
  let id: number;

  it('adds a mirror that answers as a registry: 201, healthy, audited', async () => {
    const res = await api('POST', '/mirrors', { token: admin, body: { url: `${a.url}/`, region: 'eu-west', priority: 10, weight: 5 } });
    expect(res.status).toBe(201);
    const m = await res.json();
    expect(m).toMatchObject({ url: a.url, region: 'eu-west', priority: 10, weight: 5, state: 'healthy', lag_changes: 0 });
    id = m.id;
    const list = await (await api('GET', '/mirrors', { token: admin })).json();
    expect(list.mirrors.map((x: { id: number }) => x.id)).toEqual([id]);
  });

  it('refuses an unreachable URL and a non-registry, with a clear message; nothing is stored', async () => {
    const down = await api('POST', '/mirrors', { token: admin, body: { url: `http://127.0.0.1:${await closedPort()}`, region: 'eu' } });
    expect(down.status).toBe(422);
    expect((await down.json()).error).toMatchObject({ code: 'MIRROR_UNREACHABLE', message: expect.stringMatching(/is unreachable: ECONNREFUSED/) });

    b.answer.type = 'text/html';
    b.answer.body = '<html>hello</html>';
    const html = await api('POST', '/mirrors', { token: admin, body: { url: b.url, region: 'eu' } });
    expect(html.status).toBe(422);
    expect((await html.json()).error).toMatchObject({ code: 'NOT_A_REGISTRY', message: expect.stringMatching(/not a ToRSh registry.*text\/html/) });
    b.answer.type = 'application/json';
    b.answer.body = b.mirrorBody(0);

    expect((await api('POST', '/mirrors', { token: admin, body: { url: 'ftp://x', region: 'eu' } })).status).toBe(400);
    expect((await api('POST', '/mirrors', { token: admin, body: { url: a.url, region: 'EU West!' } })).status).toBe(400);
    const dup = await api('POST', '/mirrors', { token: admin, body: { url: a.url, region: 'eu' } });
    expect(dup.status).toBe(409);
    expect((await dup.json()).error.code).toBe('MIRROR_EXISTS');
    expect(t.engine.db.select().from(mirrors).all()).toHaveLength(1);
  });

  it('edits region, priority and weight; a new URL is probed first', async () => {
    const res = await api('PATCH', `/mirrors/${id}`, { token: admin, body: { region: 'eu-north', priority: 3 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, region: 'eu-north', priority: 3, weight: 5, url: a.url });
    const bad = await api('PATCH', `/mirrors/${id}`, { token: admin, body: { url: `http://127.0.0.1:${await closedPort()}` } });
    expect(bad.status).toBe(422);
    const moved = await api('PATCH', `/mirrors/${id}`, { token: admin, body: { url: b.url } });
    expect(await moved.json()).toMatchObject({ url: b.url, state: 'healthy' });
    expect((await api('PATCH', '/mirrors/999', { token: admin, body: { priority: 1 } })).status).toBe(404);
  });

  it('lists the probe history, newest first', async () => {
    const res = await api('GET', `/mirrors/${id}/checks?per_page=1`, { token: admin });
    const body = await res.json();
    expect(body).toMatchObject({ total: 2, page: 1, per_page: 1 });
    expect(body.checks[0]).toMatchObject({ mirror_id: id, ok: true, http_status: 200, state: 'healthy' });
  });

  it('needs ManageMirrors for every mirrors route', async () => {
    for (const [method, path, body] of [
      ['GET', '/mirrors', undefined],
      ['POST', '/mirrors', { url: a.url, region: 'eu' }],
      ['PATCH', `/mirrors/${id}`, { priority: 1 }],
      ['DELETE', `/mirrors/${id}`, undefined],
      ['GET', `/mirrors/${id}/checks`, undefined],
      ['GET', '/mirrors/settings', undefined],
      ['PUT', '/mirrors/settings', { strategy: 'weighted' }],
    ] as const) {
      expect((await api(method, path, { body })).status, `${method} ${path} anonymous`).toBe(401);
      expect((await api(method, path, { token: maintainer, body })).status, `${method} ${path} maintainer`).toBe(403);
    }
  });

  it('removes a mirror; every change was audited', async () => {
    expect((await api('DELETE', `/mirrors/${id}`, { token: admin })).status).toBe(200);
    expect((await api('DELETE', `/mirrors/${id}`, { token: admin })).status).toBe(404);
    const rows = auditActions();
    expect(rows.filter((r) => r.result === 'ok').map((r) => r.action)).toEqual(['mirror.add', 'mirror.update', 'mirror.update', 'mirror.remove']);
    expect(rows.some((r) => r.action === 'mirror.add' && r.result === 'error')).toBe(true);
    expect(rows.some((r) => r.result === 'denied')).toBe(true);
  });
});

describe('settings', () => {
  it('stores the strategy and the region ranges; refuses unknown ones', async () => {
    const before = await (await api('GET', '/mirrors/settings', { token: admin })).json();
    expect(before).toMatchObject({ strategy: 'priority', region_ranges: [], checks: { interval_s: 10, degraded_ms: 1000, degraded_lag: 100, flap_threshold: 2 } });
    const res = await api('PUT', '/mirrors/settings', { token: admin, body: { strategy: 'geographic', region_ranges: [{ cidr: '127.0.0.0/8', region: 'lab' }] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ strategy: 'geographic', region_ranges: [{ cidr: '127.0.0.0/8', region: 'lab' }] });
    expect((await api('PUT', '/mirrors/settings', { token: admin, body: { strategy: 'fastest' } })).status).toBe(400);
    expect((await api('PUT', '/mirrors/settings', { token: admin, body: { region_ranges: [{ cidr: '10.0.0.0/40', region: 'x' }] } })).status).toBe(400);
  });
});

describe('GET /api/v1/packages/{name}/{version}/locations', () => {
  let labId: number;
  let euId: number;

  beforeAll(async () => {
    await publishSample(t.engine, 'pub', '1.0.0');
    await publishSample(t.engine, 'priv', '1.0.0');
    setVisibility(t.engine, { name: 'priv', visibility: 'private' });
    a.answer.body = a.mirrorBody(1000);
    b.answer.body = b.mirrorBody(1000);
    labId = (await (await api('POST', '/mirrors', { token: admin, body: { url: a.url, region: 'lab', priority: 50 } })).json()).id;
    euId = (await (await api('POST', '/mirrors', { token: admin, body: { url: b.url, region: 'eu', priority: 1 } })).json()).id;
  });

  it('orders by the client region: ?region=, X-Torsh-Region, else the region ranges by address', async () => {
    const byAddress = await (await api('GET', '/packages/pub/1.0.0/locations')).json();
    expect(byAddress).toMatchObject({ name: 'pub', version: '1.0.0', strategy: 'geographic', region: 'lab' });
    expect(byAddress.locations.map((l: { kind: string; id: number | null }) => [l.kind, l.id])).toEqual([
      ['mirror', labId],
      ['mirror', euId],
      ['origin', null],
    ]);
    expect(byAddress.locations[0].url).toBe(`${a.url}/api/v1/packages/pub/1.0.0/download`);
    expect(byAddress.locations[2].url).toBe(`${t.url}/api/v1/packages/pub/1.0.0/download`);
    const asked = await (await api('GET', '/packages/pub/latest/locations?region=eu')).json();
    expect(asked).toMatchObject({ region: 'eu', version: '1.0.0' });
    expect(asked.locations[0].id).toBe(euId);
    const header = await (await api('GET', '/packages/pub/1.0.0/locations', { headers: { 'x-torsh-region': 'eu' } })).json();
    expect(header.locations[0].id).toBe(euId);
    expect((await api('GET', '/packages/pub/1.0.0/locations?region=Not%20A%20Region')).status).toBe(400);
  });

  it('a private package: 404 to those who may not download it, the origin alone to those who may', async () => {
    expect((await api('GET', '/packages/priv/1.0.0/locations')).status).toBe(404);
    expect((await api('GET', '/packages/priv/1.0.0/locations', { token: maintainer })).status).toBe(404);
    const res = await api('GET', '/packages/priv/1.0.0/locations', { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect((await res.json()).locations.map((l: { kind: string }) => l.kind)).toEqual(['origin']);
  });

  it('uses TORSH_PUBLIC_URL for the origin when set', async () => {
    process.env.TORSH_PUBLIC_URL = 'https://hub.example.test/';
    try {
      const body = await (await api('GET', '/packages/pub/1.0.0/locations', { headers: { host: 'evil.test' } })).json();
      expect(body.locations.at(-1).url).toBe('https://hub.example.test/api/v1/packages/pub/1.0.0/download');
    } finally {
      delete process.env.TORSH_PUBLIC_URL;
    }
  });

  it('redirect mode: ?redirect=1 on download → 302 to the best mirror; bytes from here when none holds it', async () => {
    const res = await api('GET', '/packages/pub/1.0.0/download?redirect=1&region=eu');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${b.url}/api/v1/packages/pub/1.0.0/download`);
    const priv = await api('GET', '/packages/priv/1.0.0/download?redirect=1', { token: admin });
    expect(priv.status).toBe(200);
    expect((await priv.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const direct = await api('GET', '/packages/pub/1.0.0/download');
    expect(direct.status).toBe(200);
    await direct.arrayBuffer();
    // Anything but redirect=1, or a malformed region, is ignored: the bytes from here.
    const odd = await api('GET', '/packages/pub/1.0.0/download?redirect=yes&region=Not%20A%20Region');
    expect(odd.status).toBe(200);
    expect((await odd.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('a Host header that is not a host is a 400 for locations and redirects, and never breaks a plain download', async () => {
    const bad = { host: 'bad host:x' };
    const loc = await rawRequest(t.port, { method: 'GET', path: '/api/v1/packages/pub/1.0.0/locations', headers: bad });
    expect([loc.status, JSON.parse(loc.body).error.code]).toEqual([400, 'INVALID_INPUT']);
    const plain = await rawRequest(t.port, { method: 'GET', path: '/api/v1/packages/pub/1.0.0/download', headers: bad });
    expect(plain.status).toBe(200);
  });
});

describe('mirror figures elsewhere', () => {
  it('the series API shows a mirror dim to ManageMirrors holders only', async () => {
    const now = Date.now();
    const q = `/metrics/series?series=mirror.up&dim=m:1&from=${now - 3_600_000}&to=${now}`;
    expect((await api('GET', q, { token: admin })).status).toBe(200);
    const denied = await api('GET', q, { token: maintainer });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.message).toMatch(/ManageMirrors/);
  });

  it('/metrics exports torsh_mirror_up and torsh_mirror_lag_changes per mirror', async () => {
    const text = await (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(text).toContain(`torsh_mirror_up{mirror="${a.url}",region="lab"} 1`);
    expect(text).toContain(`torsh_mirror_lag_changes{mirror="${b.url}"} 0`);
  });
});

