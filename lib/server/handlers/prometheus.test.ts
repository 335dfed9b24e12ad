import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { SESSION_COOKIE } from '../session-cookie';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { parsePromText, promtool, sampleValue, type PromSample } from '../test-support/promtool';

const DOCS = path.resolve(__dirname, '..', '..', '..', 'docs');

let t: ApiTestServer;
let admin: { token: string; session: string };
let viewer: { token: string; session: string };
let noStats: { token: string };

beforeAll(async () => {
  t = await startApiTestServer();
  admin = await t.user('admin-1', ['admin']);
  viewer = await t.user('viewer-1', ['viewer']);
  noStats = await t.user('nobody-1', []);
});

afterAll(async () => {
  await t?.close();
});

async function scrape(): Promise<PromSample[]> {
  const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${viewer.token}` } });
  expect(res.status).toBe(200);
  return parsePromText(await res.text());
}

async function publish(name: string, version: string): Promise<{ size: number }> {
  const body = await readFile(await writeSamplePackage({ name, version }));
  const res = await fetch(`${t.url}/api/v1/packages/${name}/${version}`, { method: 'PUT', headers: { authorization: `Bearer ${admin.token}` }, body });
  expect(res.status).toBe(201);
  return (await res.json()) as { size: number };
}

describe('GET /metrics access', () => {
  it('refuses an anonymous scrape with 401', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token without ViewStats with 403', async () => {
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${noStats.token}` } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
  });

  it('serves a ViewStats token (and a ViewStats session) the text format, never cached', async () => {
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${viewer.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('# TYPE torsh_downloads_total counter');
    const bySession = await fetch(`${t.url}/metrics`, { headers: { cookie: `${SESSION_COOKIE}=${viewer.session}` } });
    expect(bySession.status).toBe(200);
  });

  it('serves anyone when TORSH_METRICS_PUBLIC=1, and only then', async () => {
    process.env.TORSH_METRICS_PUBLIC = '1';
    try {
      const res = await fetch(`${t.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('torsh_storage_bytes');
    } finally {
      delete process.env.TORSH_METRICS_PUBLIC;
    }
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
  });

  it('answers other methods with 405 and is not handed to the page fallback', async () => {
    const res = await fetch(`${t.url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${viewer.token}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('the exposition', () => {
  it('parses with promtool and is lint-clean', async () => {
    await publish('lint', '1.0.0');
    await fetch(`${t.url}/api/v1/packages/lint/1.0.0/download`).then((r) => r.arrayBuffer());
    await fetch(`${t.url}/api/v1/packages/none`).then((r) => r.arrayBuffer());
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${viewer.token}` } });
    const text = await res.text();
    const check = promtool(['check', 'metrics'], text);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it('fails promtool on a broken exposition (the check is real)', () => {
    const check = promtool(['check', 'metrics'], '# TYPE x counter\nx{a="1" 1\n');
    expect(check.status).not.toBe(0);
  });

  it('moves the download counters by exactly what was downloaded', async () => {
    const { size } = await publish('counted', '1.0.0');
    const before = await scrape();
    const N = 5;
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${t.url}/api/v1/packages/counted/1.0.0/download`);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(size);
    }
    const downloads = (s: PromSample[]) => sampleValue(s, 'torsh_downloads_total', { status: '200' });
    // Counted synchronously with the metric event, which is recorded as the server's side of the
    // stream ends: that may trail the client's last byte by a moment.
    await vi.waitFor(async () => expect(downloads(await scrape())).toBeGreaterThanOrEqual(downloads(before) + N), { timeout: 5_000 });
    const after = await scrape();
    expect(downloads(after)).toBe(downloads(before) + N);
    expect(sampleValue(after, 'torsh_download_bytes_total')).toBe(sampleValue(before, 'torsh_download_bytes_total') + N * size);
    expect(sampleValue(after, 'torsh_download_duration_seconds_count')).toBe(sampleValue(before, 'torsh_download_duration_seconds_count') + N);
  });

  it('counts a 404 under its route pattern, not the raw path', async () => {
    const labels = { route: '/api/v1/packages/:name', method: 'GET', status: '404' };
    const before = sampleValue(await scrape(), 'torsh_http_requests_total', labels);
    expect((await fetch(`${t.url}/api/v1/packages/missing-one`)).status).toBe(404);
    await vi.waitFor(async () => expect(sampleValue(await scrape(), 'torsh_http_requests_total', labels)).toBe(before + 1), { timeout: 5_000 });
    const after = await scrape();
    expect(after.some((s) => s.labels.route?.includes('missing-one'))).toBe(false);
    expect(sampleValue(after, 'torsh_http_request_duration_seconds_count', { route: '/api/v1/packages/:name', method: 'GET' })).toBeGreaterThan(0);
  });

  it('counts publishes by result', async () => {
    const ok = (s: PromSample[]) => sampleValue(s, 'torsh_publishes_total', { result: 'ok' });
    const refused = (s: PromSample[]) => sampleValue(s, 'torsh_publishes_total', { result: 'refused' });
    const before = await scrape();
    await publish('pubcount', '1.0.0');
    // Refused after the body was read: its manifest names another version than the URL.
    const mismatch = await fetch(`${t.url}/api/v1/packages/pubcount/2.0.0`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin.token}` },
      body: await readFile(await writeSamplePackage({ name: 'pubcount', version: '1.0.0' })),
    });
    expect(mismatch.status).toBe(422);
    const after = await scrape();
    expect(ok(after)).toBe(ok(before) + 1);
    expect(refused(after)).toBe(refused(before) + 1);
  });

  it('reads the gauges from the database at scrape time', async () => {
    const db = t.engine.db.$client;
    const stored = db.prepare('SELECT count(*) AS n, sum(size) AS bytes FROM versions').get() as { n: number; bytes: number };
    const packages = (db.prepare('SELECT count(*) AS n FROM packages').get() as { n: number }).n;
    const now = Date.now();
    const insertJob = db.prepare("INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at) VALUES ('test', '{}', ?, 3, ?, ?)");
    insertJob.run('queued', now, now);
    insertJob.run('queued', now, now);
    insertJob.run('dead', now, now);
    const rule = db
      .prepare(
        "INSERT INTO alert_rules (name, series, stat, kind, threshold, window_ms, severity, created_by, created_at, updated_at) VALUES ('r', 'download', 'p95', 'maximum', 1, 60000, 'warning', 'test', ?, ?)",
      )
      .run(now, now);
    db.prepare("INSERT INTO alert_states (rule_id, state, since) VALUES (?, 'firing', ?)").run(rule.lastInsertRowid, now);

    const s = await scrape();
    expect(sampleValue(s, 'torsh_versions')).toBe(stored.n);
    expect(sampleValue(s, 'torsh_storage_bytes')).toBe(stored.bytes);
    expect(sampleValue(s, 'torsh_packages')).toBe(packages);
    expect(sampleValue(s, 'torsh_jobs', { state: 'queued' })).toBe(2);
    expect(sampleValue(s, 'torsh_jobs', { state: 'dead' })).toBe(1);
    expect(s.some((x) => x.name === 'torsh_jobs' && x.labels.state === 'running' && x.value === 0)).toBe(true);
    expect(sampleValue(s, 'torsh_alerts_firing')).toBe(1);
  });
});

describe('docs/prometheus', () => {
  it('the example rules pass promtool check rules and are the ones docs/OPERATIONS.md shows', async () => {
    const rules = path.join(DOCS, 'prometheus', 'torsh-rules.yml');
    const check = promtool(['check', 'rules', rules]);
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
    const ops = await readFile(path.join(DOCS, 'OPERATIONS.md'), 'utf8');
    expect(ops).toContain((await readFile(rules, 'utf8')).trim());
  });

  it('the example scrape config passes promtool check config and is the one docs/OPERATIONS.md shows', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-prom-'));
    try {
      const config = await readFile(path.join(DOCS, 'prometheus', 'prometheus.yml'), 'utf8');
      const ops = await readFile(path.join(DOCS, 'OPERATIONS.md'), 'utf8');
      expect(ops).toContain(config.trim());
      // promtool wants the token file to exist.
      await writeFile(path.join(dir, 'torsh-token'), 'torsh_x_y\n');
      await writeFile(path.join(dir, 'prometheus.yml'), config.replace('/etc/prometheus/torsh-token', path.join(dir, 'torsh-token')));
      await copyFile(path.join(DOCS, 'prometheus', 'torsh-rules.yml'), path.join(dir, 'torsh-rules.yml'));
      const check = promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
      expect(check.output).toContain('SUCCESS');
      expect(check.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
