/**
 * The dashboard read API over real HTTP: real publishes (PUT) and downloads through the router
 * fill the metrics store; the overview, series, report and per-version downloads read its rollups.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { createRole } from '@/lib/engine/access/roles';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';

type Creds = { id: number; token: string; session: string };

let t: ApiTestServer;
let admin: Creds;
let viewer: Creds;
let reader: Creds;
let sizeA: number;

const api = (path: string, as?: Creds, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (as) headers.set('authorization', `Bearer ${as.token}`);
  return fetch(`${t.url}/api/v1${path}`, { ...init, headers });
};
const body = async (res: Response) => ({ status: res.status, json: await res.json() });

async function publish(name: string, version: string): Promise<number> {
  const bytes = await readFile(await writeSamplePackage({ name, version }));
  const res = await api(`/packages/${name}/${version}`, admin, { method: 'PUT', body: bytes });
  expect(res.status).toBe(201);
  return bytes.length;
}

async function download(path: string, as?: Creds, headers: Record<string, string> = {}) {
  const res = await api(`/packages/${path}/download`, as, { headers });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  t = await startApiTestServer();
  admin = await t.user('root', ['admin']);
  viewer = await t.user('view', ['viewer']);
  createRole(t.engine, { name: 'reader-only', permissions: ['ReadMetadata', 'Download'] });
  reader = await t.user('reader', ['reader-only']);
  sizeA = await publish('m-a', '1.0.0');
  await publish('m-a', '1.1.0');
  await publish('m-b', '2.0.0');
  expect(await download('m-a/1.0.0')).toBe(200);
  expect(await download('m-a/1.0.0', viewer)).toBe(200);
  expect(await download('m-a/1.1.0', admin)).toBe(200);
  expect(await download('m-a/1.0.0', undefined, { range: 'bytes=0-9' })).toBe(206);
  expect(await download('m-b/2.0.0')).toBe(200);
  // Every response's event is written when its body ends: wait until the store holds all five.
  await vi.waitFor(async () => expect((await body(await api('/metrics/overview', admin))).json.kpis.download_requests).toBe(5));
});

afterAll(async () => {
  await t?.close();
});

describe('access', () => {
  it.each(['/metrics/overview', '/metrics/series?series=download', '/metrics/report', '/metrics/report?format=csv'])('%s: anonymous 401, no ViewStats 403, viewer 200', async (path) => {
    const anon = await body(await api(path));
    expect(anon.status).toBe(401);
    expect(anon.json.error.code).toBe('UNAUTHENTICATED');
    const denied = await body(await api(path, reader));
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('FORBIDDEN');
    const ok = await api(path, viewer);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('private, no-cache');
  });

  it("one user's series needs ManageUsers: a viewer is refused, an admin sees the user's downloads", async () => {
    const path = `/metrics/series?series=download&dim=u:${viewer.id}&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`;
    const denied = await body(await api(path, viewer));
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('FORBIDDEN');
    const ok = await body(await api(path, admin));
    expect(ok.status).toBe(200);
    expect(ok.json.points.reduce((n: number, p: { ok: number }) => n + p.ok, 0)).toBe(1);
  });

  it('package downloads follow the package statistics rule', async () => {
    expect((await api('/packages/m-a/downloads')).status).toBe(200);
    await publish('m-secret', '1.0.0');
    setVisibility(t.engine, { name: 'm-secret', visibility: 'restricted' });
    expect((await api('/packages/m-secret/downloads')).status).toBe(404);
    expect((await body(await api('/packages/m-secret/downloads', reader))).json.error.code).toBe('FORBIDDEN');
    expect((await api('/packages/m-secret/downloads', viewer)).status).toBe(200);
  });
});

describe('figures from real traffic', () => {
  it('overview: KPIs, points, top packages and the period before', async () => {
    const { status, json } = await body(await api('/metrics/overview', viewer));
    expect(status).toBe(200);
    expect(json.kpis).toMatchObject({ downloads: 4, downloads_previous: 0, download_requests: 5, versions: expect.any(Number), job_backlog: 0, active_alerts: 0 });
    expect(json.kpis.packages).toBeGreaterThanOrEqual(2);
    expect(json.kpis.bytes_served).toBeGreaterThan(3 * sizeA);
    expect(json.kpis.p95_download_ms).not.toBeNull();
    expect(json.kpis.api_requests).toBeGreaterThan(5);
    expect(json.kpis.error_rate).toBe(0);
    expect(json.to - json.from).toBe(86_400_000);
    expect(json.points.reduce((n: number, p: { downloads: number }) => n + p.downloads, 0)).toBe(4);
    expect(json.top_by_downloads.map((p: { name: string; downloads: number }) => [p.name, p.downloads])).toEqual([
      ['m-a', 3],
      ['m-b', 1],
    ]);
    expect(json.top_by_bytes[0].name).toBe('m-a');
  });

  it('a range in the past shows nothing', async () => {
    const to = Date.now() - 10 * 86_400_000;
    const { json } = await body(await api(`/metrics/overview?from=${to - 3_600_000}&to=${to}`, viewer));
    expect(json.kpis).toMatchObject({ downloads: 0, bytes_served: 0, download_requests: 0, p95_download_ms: null, error_rate: null });
    expect(json.top_by_downloads).toEqual([]);
    expect(json.points.every((p: { downloads: number }) => p.downloads === 0)).toBe(true);
  });

  it('series: one dim in points of the asked step', async () => {
    const pkg = t.engine.db.$client.prepare("SELECT id FROM packages WHERE name = 'm-a'").get() as { id: number };
    const from = Date.now() - 3_600_000;
    const { status, json } = await body(await api(`/metrics/series?series=download&dim=p:${pkg.id}&from=${from}&to=${Date.now() + 60_000}&step=300000`, viewer));
    expect(status).toBe(200);
    expect(json.step).toBe(300_000);
    expect(json.points.length).toBeGreaterThanOrEqual(12);
    expect(json.points.reduce((n: number, p: { ok: number }) => n + p.ok, 0)).toBe(3);
    expect(json.points.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(4);
  });

  it('per-version downloads of a package', async () => {
    const { json } = await body(await api('/packages/m-a/downloads', viewer));
    expect(json.versions).toEqual([
      { version: '1.0.0', downloads: 2, requests: 3, bytes: expect.any(Number) },
      { version: '1.1.0', downloads: 1, requests: 1, bytes: expect.any(Number) },
    ]);
    expect(json.lines).toEqual(['1.0.0', '1.1.0']);
    expect(json.points.reduce((n: number, p: Record<string, number>) => n + (p['1.0.0'] ?? 0), 0)).toBe(2);
  });

  it('report: the AnalyticsReport fields; user figures only for ManageUsers', async () => {
    const viewerReport = (await body(await api('/metrics/report', viewer))).json;
    expect(viewerReport).toMatchObject({ total_downloads: 4, total_uploads: 4, total_errors: 0, user_stats: [], top_users: [] });
    expect(viewerReport.top_packages).toEqual([
      ['m-a', 3],
      ['m-b', 1],
    ]);
    const row = viewerReport.package_stats.find((r: { package_id: string; version: string }) => r.package_id === 'm-a' && r.version === '1.0.0');
    expect(row).toMatchObject({ downloads: 2, accesses: 3, uploads: 1, storage_bytes: sizeA, unique_users: null, errors: 0 });
    expect(row.bandwidth_bytes).toBe(2 * sizeA + 10);
    expect(row.last_access).toBeGreaterThan(Date.now() - 3_600_000);
    const adminReport = (await body(await api('/metrics/report', admin))).json;
    const users = Object.fromEntries(adminReport.user_stats.map((u: { user_id: string; downloads: number; uploads: number }) => [u.user_id, [u.downloads, u.uploads]]));
    expect(users).toMatchObject({ root: [1, 4], view: [1, 0] });
    expect(adminReport.top_users).toEqual([
      ['root', 1],
      ['view', 1],
    ]);
  });

  it('report as CSV: a header line and one row per version', async () => {
    const res = await api('/metrics/report?format=csv', viewer);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="torsh-report-.*\.csv"$/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('package_id,version,downloads,uploads,accesses,bandwidth_bytes,avg_download_time,storage_bytes,unique_users,errors,last_access');
    expect(lines.find((l) => l.startsWith('m-a,1.0.0,'))).toMatch(/^m-a,1\.0\.0,2,1,3,\d+,[\d.]+,\d+,,0,\d{4}-\d\d-\d\dT/);
  });
});

describe('bad input', () => {
  const now = Date.now();
  it.each([
    ['/metrics/overview?from=abc', 'non-numeric from'],
    [`/metrics/overview?from=${now}&to=${now - 1000}`, 'from after to'],
    [`/metrics/overview?from=${now - 401 * 86_400_000}&to=${now}`, 'over 400 days'],
    ['/metrics/series?series=nope', 'unknown series'],
    ['/metrics/series?series=download&dim=x:1', 'unknown dim'],
    ['/metrics/series?series=download&step=1000', 'step not whole minutes'],
    [`/metrics/series?series=download&from=${now - 30 * 86_400_000}&to=${now}&step=60000`, 'too many points'],
    ['/metrics/report?format=xml', 'unknown format'],
    ['/packages/m-a/downloads?to=-5', 'negative time'],
  ])('%s (%s) → 400 INVALID_INPUT', async (path) => {
    const { status, json } = await body(await api(path, viewer));
    expect(status).toBe(400);
    expect(json.error.code).toBe('INVALID_INPUT');
  });
});
