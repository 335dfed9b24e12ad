/** The replication API over real HTTP: nodes (probed on real s3rver and Azurite), config, override, stats, /metrics; secrets never leave. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replicas } from '@/db/schema';
import { closedPort } from '@/lib/engine/mirrors/test-support/health-server';
import { checkNodes } from '@/lib/engine/replication/check-nodes';
import { azuriteConnectionString, startAzurite, type Azurite } from '@/lib/engine/storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '@/lib/engine/storage/test-support/s3rver';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { collectOutput } from '../test-support/collect-output';
import { jsonApi } from '../test-support/json-api';
import { parsePromText, promtool, sampleValue } from '../test-support/promtool';

let t: ApiTestServer;
let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let admin: string;
let viewer: string;
let maintainer: string;
const stderr: string[] = [];
const stdout: string[] = [];

// Values that must never appear in a response, an audit row or a log line.
const S3_SECRET = 'S3-SECRET-never-shown-0123456789';
const AZURE_KEY = Buffer.from('azure-key-never-shown-0123456789abcdef').toString('base64');

const { api, responses } = jsonApi(() => t.url);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-repl-api-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
  t = await startApiTestServer();
  admin = (await t.user('root', ['admin'])).token;
  viewer = (await t.user('vi', ['viewer'])).token;
  maintainer = (await t.user('maint', ['maintainer'])).token;
  await publishSample(t.engine, 'resnet', '1.0.0');
  collectOutput(stderr, stdout);
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const s3Node = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  region: 'us-east',
  backend: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: S3_SECRET, prefix: id, ...extra },
});
const azNode = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  region: 'ap-south',
  backend: { type: 'azure', connection_string: az.connectionString, container: az.container, prefix: id, ...extra },
});

describe('nodes', () => {
  it('adds a folder, an S3 and an Azure node: 201, healthy, no secrets, no-store', async () => {
    const local = await api('POST', '/replication/nodes', { token: admin, body: { id: 'disk-1', region: 'eu-west', priority: 1, backend: { type: 'local', path: path.join(dir, 'disk-1') } } });
    expect(local.status).toBe(201);
    expect(local.headers.get('cache-control')).toBe('no-store');
    expect(local.json).toMatchObject({ id: 'disk-1', region: 'eu-west', priority: 1, state: 'healthy', backlog_ops: 0, lag_ms: 0 });
    const s = await api('POST', '/replication/nodes', { token: admin, body: s3Node('s3-1') });
    expect(s.status).toBe(201);
    expect(s.json.backend).toMatchObject({ type: 's3', bucket: s3.bucket, access_key_id: 'S3RVER', prefix: 's3-1/' });
    const a = await api('POST', '/replication/nodes', { token: admin, body: azNode('az-1') });
    expect(a.status).toBe(201);
    expect(a.json.backend).toEqual({ type: 'azure', container: az.container, prefix: 'az-1/', account: 'devstoreaccount1', blob_endpoint: `http://127.0.0.1:${az.port}/devstoreaccount1` });
    const list = await api('GET', '/replication/nodes', { token: admin });
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.json.nodes.map((n: { id: string }) => n.id)).toEqual(['disk-1', 'az-1', 's3-1']);
  }, 30_000);

  it('refuses what fails its probe with 422 and a clear message; nothing stored', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    const cases: [unknown, RegExp][] = [
      [s3Node('bad-1', { access_key_id: 'WRONG' }), /refused the credentials/],
      [s3Node('bad-2', { bucket: 'missing-bucket' }), /bucket "missing-bucket".*does not exist/],
      [s3Node('bad-3', { endpoint: `http://127.0.0.1:${await closedPort()}` }), /unreachable/],
      [azNode('bad-4', { connection_string: azuriteConnectionString(az.port, AZURE_KEY) }), /account key or credentials were rejected/],
      [azNode('bad-5', { container: 'missing-container' }), /container does not exist/],
      [azNode('bad-6', { connection_string: azuriteConnectionString(await closedPort(), AZURE_KEY) }), /could not be reached/],
      [{ id: 'bad-7', region: 'eu', backend: { type: 'local', path: path.join(file, 'node') } }, /folder is not writable/],
    ];
    for (const [body, reason] of cases) {
      const res = await api('POST', '/replication/nodes', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.error).toMatchObject({ code: 'REPLICATION_NODE_UNAVAILABLE', message: expect.stringMatching(reason) });
    }
    expect((await api('GET', '/replication/nodes', { token: admin })).json.nodes).toHaveLength(3);
  }, 60_000);

  it('validates strictly: unknown keys, bad names, half credentials, relative paths are 400', async () => {
    const bad: unknown[] = [
      { ...s3Node('v-1'), extra: 1 },
      { ...s3Node('v-2'), backend: { ...s3Node('v-2').backend, secret: 'x' } },
      s3Node('v-3', { bucket: 'Bad_Bucket' }),
      s3Node('v-4', { secret_access_key: undefined }),
      s3Node('v-5', { endpoint: 'ftp://x' }),
      s3Node('v-6', { endpoint: `http://user:${S3_SECRET}@127.0.0.1:1` }),
      azNode('v-7', { container: 'a--b' }),
      azNode('v-8', { connection_string: 'x'.repeat(5000) }),
      { id: 'v-9', region: 'eu', backend: { type: 'local', path: 'relative/dir' } },
      { id: 'Bad Id', region: 'eu', backend: { type: 'local', path: '/tmp/x' } },
      { id: 'v-10', region: 'eu', backend: { type: 'ftp', path: '/tmp/x' } },
      { id: 'v-11', region: 'eu', priority: -1, backend: { type: 'local', path: '/tmp/x' } },
      { id: 'v-12', region: 'eu', capacity_bytes: 0, backend: { type: 'local', path: '/tmp/x' } },
    ];
    for (const body of bad) {
      const res = await api('POST', '/replication/nodes', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
    }
  });

  it('409 for an existing id; PATCH edits; DELETE removes (404 after)', async () => {
    const dup = await api('POST', '/replication/nodes', { token: admin, body: s3Node('s3-1') });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('REPLICATION_NODE_EXISTS');
    await api('POST', '/replication/nodes', { token: admin, body: { id: 'gone', region: 'eu', backend: { type: 'local', path: path.join(dir, 'gone') } } });
    const patched = await api('PATCH', '/replication/nodes/gone', { token: admin, body: { priority: 9, capacity_bytes: 1024 } });
    expect(patched.json).toMatchObject({ id: 'gone', priority: 9, capacity_bytes: 1024 });
    expect((await api('PATCH', '/replication/nodes/gone', { token: admin, body: { backend: { type: 'local', path: '/x' } } })).status).toBe(400);
    const del = await api('DELETE', '/replication/nodes/gone', { token: admin });
    expect(del.json).toEqual({ deleted: 'gone' });
    expect((await api('DELETE', '/replication/nodes/gone', { token: admin })).json.error.code).toBe('REPLICATION_NODE_NOT_FOUND');
  });
});

describe('config and override', () => {
  it('GET answers {config, nodes}; PUT refuses strong above the usable nodes and warns for eventual', async () => {
    const got = await api('GET', '/replication/config', { token: admin });
    expect(got.json.config).toMatchObject({ consistency: 'eventual', replication_factor: 0 });
    expect(got.json.nodes).toHaveLength(3);
    const strong = await api('PUT', '/replication/config', { token: admin, body: { consistency: 'strong', replication_factor: 4 } });
    expect(strong.status).toBe(422);
    expect(strong.json.error).toMatchObject({ code: 'REPLICATION_FACTOR_UNSATISFIABLE', message: expect.stringMatching(/replication_factor 4 is more than the 3 usable/) });
    const eventual = await api('PUT', '/replication/config', { token: admin, body: { consistency: 'eventual', replication_factor: 4 } });
    expect(eventual.status).toBe(200);
    expect(eventual.json).toMatchObject({ config: { consistency: 'eventual', replication_factor: 4 }, warnings: [expect.stringMatching(/under-replicated/)] });
    const ok = await api('PUT', '/replication/config', { token: admin, body: { consistency: 'quorum', replication_factor: 2, auto_failover: false, sync_interval_secs: 30 } });
    expect(ok.json).toEqual({ config: { consistency: 'quorum', replication_factor: 2, auto_failover: false, sync_interval_secs: 30, conflict_strategy: 'last_write_wins' }, warnings: [] });
    for (const body of [{ replication_factor: 17 }, { sync_interval_secs: 4 }, { consistency: 'fast' }, { bogus: true }]) {
      expect((await api('PUT', '/replication/config', { token: admin, body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('the package override: read by whoever reads the package, set by ManageReplication, null clears', async () => {
    const read = await api('GET', '/packages/resnet/replication', { token: viewer });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ name: 'resnet', override: { consistency: null, replication_factor: null }, effective: { consistency: 'quorum', replication_factor: 2 } });
    const set = await api('PUT', '/packages/resnet/replication', { token: admin, body: { consistency: 'strong', replication_factor: 3 } });
    expect(set.json).toMatchObject({ override: { consistency: 'strong', replication_factor: 3 }, effective: { consistency: 'strong', replication_factor: 3 } });
    expect((await api('PUT', '/packages/resnet/replication', { token: admin, body: { replication_factor: 9 } })).json.error.code).toBe('REPLICATION_FACTOR_UNSATISFIABLE');
    const cleared = await api('PUT', '/packages/resnet/replication', { token: admin, body: { consistency: null, replication_factor: null } });
    expect(cleared.json.override).toEqual({ consistency: null, replication_factor: null });
    expect((await api('GET', '/packages/nope/replication', { token: admin })).status).toBe(404);
    expect((await api('PUT', '/packages/resnet/replication', { token: maintainer, body: { consistency: 'eventual' } })).status).toBe(403);
  });
});

describe('authorization', () => {
  it('a token without ManageReplication gets 403 on every mutation and on nodes/config reads; ViewStats reads stats', async () => {
    const calls: [string, string, unknown?][] = [
      ['POST', '/replication/nodes', s3Node('x-1')],
      ['PATCH', '/replication/nodes/s3-1', { priority: 1 }],
      ['DELETE', '/replication/nodes/s3-1'],
      ['PUT', '/replication/config', { replication_factor: 1 }],
      ['PUT', '/packages/resnet/replication', { consistency: 'eventual' }],
      ['GET', '/replication/nodes'],
      ['GET', '/replication/config'],
    ];
    for (const token of [viewer, maintainer]) {
      for (const [method, p, body] of calls) {
        const res = await api(method, p, { token, body });
        expect(res.status, `${method} ${p}`).toBe(403);
      }
    }
    for (const [method, p, body] of calls) expect((await api(method, p, { body })).status, `${method} ${p}`).toBe(401);
    const stats = await api('GET', '/replication/stats', { token: viewer });
    expect(stats.status).toBe(200);
    expect(stats.headers.get('cache-control')).toBe('no-store');
    expect(stats.json).toMatchObject({ total_nodes: 3, healthy_nodes: 3, active_conflicts: 0 });
    expect((await api('GET', '/replication/stats')).status).toBe(401);
    const bad = await api('GET', `/replication/stats?from=10&to=5`, { token: viewer });
    expect(bad.status).toBe(400);
  });
});

describe('/metrics', () => {
  it('exports up, lag and backlog per node, and stays promtool-clean', async () => {
    const now = t.engine.now();
    t.engine.db
      .insert(replicas)
      .values({ nodeId: 's3-1', name: 'resnet', version: '1.0.0', digest: 'a'.repeat(64), size: 123, state: 'pending', seq: 1, committedAt: now - 4_000, updatedAt: now })
      .run();
    await checkNodes(t.engine);
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } });
    const text = await res.text();
    const samples = parsePromText(text);
    expect(sampleValue(samples, 'torsh_replication_node_up', { node: 'disk-1', region: 'eu-west' })).toBe(1);
    expect(sampleValue(samples, 'torsh_replication_backlog_operations', { node: 's3-1' })).toBe(1);
    expect(sampleValue(samples, 'torsh_replication_backlog_bytes', { node: 's3-1' })).toBe(123);
    expect(sampleValue(samples, 'torsh_replication_backlog_operations', { node: 'az-1' })).toBe(0);
    expect(sampleValue(samples, 'torsh_replication_lag_seconds', { node: 's3-1' })).toBeGreaterThanOrEqual(4);
    expect(sampleValue(samples, 'torsh_replication_lag_seconds', { node: 'disk-1' })).toBe(0);
    const check = promtool(['check', 'metrics'], text);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('secrets', () => {
  it('appear in no response, audit row or log line', async () => {
    const audit = t.engine.db.all<{ action: string; target: string | null; result: string }>(sql`SELECT action, target, result FROM audit_events WHERE action LIKE 'replication.%'`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['replication.node.add', 'replication.node.update', 'replication.node.remove', 'replication.config', 'replication.package']));
    expect(audit.find((a) => a.action === 'replication.node.add' && a.result === 'ok')?.target).toBe('node disk-1 (local)');
    const everything = JSON.stringify(t.engine.db.all(sql`SELECT * FROM audit_events`)) + responses.join('\n') + stderr.join('') + stdout.join('');
    for (const secret of [S3_SECRET, AZURE_KEY, az.connectionString, 'AccountKey=']) expect(everything).not.toContain(secret);
    // The secrets are stored (the node needs them), in their own column only.
    const row = t.engine.db.get<{ backend: string; secret: string }>(sql`SELECT backend, secret FROM replication_nodes WHERE id = 's3-1'`);
    expect(row!.backend).not.toContain(S3_SECRET);
    expect(JSON.parse(row!.secret)).toEqual({ secret_access_key: S3_SECRET });
  });
});
