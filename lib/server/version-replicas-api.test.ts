import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { configure, drainReplicationJobs, insertNode, nodeRefs } from '@/lib/engine/replication/test-support/replication-fixtures';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from './test-support/api-test-server';

let t: ApiTestServer;
let dir: string;
let admin: { token: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-replicas-api-'));
  t = await startApiTestServer();
  admin = await t.user('admin-1', ['admin']);
  insertNode(t.engine, { id: 'eu-1', region: 'eu', priority: 1, backend: { type: 'local', path: path.join(dir, 'eu-1') } });
  insertNode(t.engine, { id: 'us-1', region: 'us', priority: 2, backend: { type: 'local', path: path.join(dir, 'us-1') } });
  configure(t.engine, { consistency: 'eventual', replication_factor: 2 });
  await publishSample(t.engine, 'pub', '1.0.0');
  await publishSample(t.engine, 'secret', '1.0.0');
  setVisibility(t.engine, { name: 'secret', visibility: 'private' });
  await drainReplicationJobs(t.engine);
});

afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (p: string, token?: string) => fetch(`${t.url}/api/v1${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /api/v1/packages/{name}/{version}/replicas', () => {
  it('lists the nodes holding the version, by priority, uncached', async () => {
    const res = await get('/packages/pub/1.0.0/replicas');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ name: 'pub', version: '1.0.0', digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) });
    expect(body.replicas).toEqual([
      { node_id: 'eu-1', region: 'eu', node_state: 'healthy', state: 'present', digest: body.digest, durable_at: expect.any(Number), lag_ms: expect.any(Number), last_error: null },
      { node_id: 'us-1', region: 'us', node_state: 'healthy', state: 'present', digest: body.digest, durable_at: expect.any(Number), lag_ms: expect.any(Number), last_error: null },
    ]);
  });

  it('resolves latest and channels like the version route', async () => {
    const res = await get('/packages/pub/latest/replicas');
    expect(res.status).toBe(200);
    expect((await res.json()).version).toBe('1.0.0');
  });

  it('answers 404 for a private package the caller may not see, 200 for one who may', async () => {
    expect((await get('/packages/secret/1.0.0/replicas')).status).toBe(404);
    expect((await get('/packages/secret/1.0.0/replicas', admin.token)).status).toBe(200);
    expect((await get('/packages/pub/9.9.9/replicas')).status).toBe(404);
  });
});

describe('GET /api/v1/packages/{name}/replicas', () => {
  it('answers every version of the package in one read, uncached, and 404 to whoever may not see it', async () => {
    const res = await get('/packages/pub/replicas');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body.name).toBe('pub');
    expect(Object.keys(body.versions)).toEqual(['1.0.0']);
    expect(body.versions['1.0.0'].map((r: { node_id: string; state: string }) => `${r.node_id}:${r.state}`)).toEqual(['eu-1:present', 'us-1:present']);
    expect((await get('/packages/secret/replicas')).status).toBe(404);
    expect((await get('/packages/secret/replicas', admin.token)).status).toBe(200);
    expect((await get('/packages/nope/replicas')).status).toBe(404);
  });

  it('shows the last error of a replica (it names folders and buckets) to ManageReplication holders only', async () => {
    const row = t.engine.db.$client.prepare("SELECT id, last_error FROM replicas WHERE name = 'pub' AND node_id = 'us-1'").get() as { id: number; last_error: string | null };
    t.engine.db.$client.prepare('UPDATE replicas SET last_error = ? WHERE id = ?').run('ENOTDIR: /srv/secret-folder', row.id);
    try {
      const anonymous = await (await get('/packages/pub/replicas')).json();
      expect(anonymous.versions['1.0.0'].map((r: { last_error: string | null }) => r.last_error)).toEqual([null, null]);
      const versionView = await (await get('/packages/pub/1.0.0/replicas')).json();
      expect(JSON.stringify(versionView)).not.toContain('secret-folder');
      const asAdmin = await (await get('/packages/pub/replicas', admin.token)).json();
      expect(asAdmin.versions['1.0.0'][1].last_error).toBe('ENOTDIR: /srv/secret-folder');
    } finally {
      t.engine.db.$client.prepare('UPDATE replicas SET last_error = ? WHERE id = ?').run(row.last_error, row.id);
    }
  });
});

describe('a strong publish that cannot replicate', () => {
  it('answers 503 REPLICATION_FAILED naming the node, and the version is visible nowhere', async () => {
    configure(t.engine, { consistency: 'strong', replication_factor: 2 });
    await rm(path.join(dir, 'us-1'), { recursive: true, force: true });
    await writeFile(path.join(dir, 'us-1'), 'not a folder');
    try {
      const file = await writeSamplePackage({ name: 'pub', version: '2.0.0' });
      const res = await fetch(`${t.url}/api/v1/packages/pub/2.0.0`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/octet-stream' },
        body: await readFile(file),
      });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.error.code).toBe('REPLICATION_FAILED');
      expect(body.error.message).toContain('us-1:');
      expect((await get('/packages/pub/2.0.0', admin.token)).status).toBe(404);
      expect((await nodeRefs(t.engine, 'eu-1')).map((r) => `${r.name}@${r.version}`)).toEqual(['pub@1.0.0', 'secret@1.0.0']);
      const changes = await (await get('/changes?since=0', admin.token)).json();
      expect(changes.changes.filter((c: { version: string }) => c.version === '2.0.0')).toEqual([]);
    } finally {
      await rm(path.join(dir, 'us-1'), { force: true });
      configure(t.engine, { consistency: 'eventual', replication_factor: 2 });
    }
  });
});
