/** The scrub, conflict and failover surface over real HTTP: start a scrub, list and resolve conflicts, a download that fails over. */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { storeReplicationConfig } from '@/lib/engine/replication/replication-config';
import { scrubNodes } from '@/lib/engine/replication/scrub-nodes';
import { seedNode, seedReplica, versionOf } from '@/lib/engine/replication/test-support/replica-fixtures';
import { DEFAULT_REPLICATION_CONFIG, REPLICATION_JOBS, type NodeStorage } from '@/lib/engine/replication/types';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';

let t: ApiTestServer;
let admin: string;
let viewer: string;
let node: NodeStorage;

type Opts = { token?: string | null; body?: unknown; headers?: Record<string, string> };
function api(method: string, p: string, o: Opts = {}) {
  const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.headers ?? {}) };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${t.url}/api/v1${p}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
}

beforeAll(async () => {
  t = await startApiTestServer();
  admin = (await t.user('alice', ['admin'])).token;
  viewer = (await t.user('vic', ['viewer'])).token;
  node = seedNode(t.engine, 'local', { type: 'local', path: path.join(t.engine.dataDir, 'replica-node') });
});
afterAll(async () => {
  await t.close();
});

describe('replication scrub and conflicts API', () => {
  it('POST /replication/scrub: 202 {job_id}, the same job while it is queued; ManageReplication only', async () => {
    expect((await api('POST', '/replication/scrub', { token: viewer })).status).toBe(403);
    const first = await api('POST', '/replication/scrub', { token: admin });
    expect(first.status).toBe(202);
    const { job_id } = await first.json();
    expect(job_id).toBeGreaterThan(0);
    expect(await (await api('POST', '/replication/scrub', { token: admin })).json()).toEqual({ job_id });
    const job = t.engine.db.get<{ kind: string }>(sql`SELECT kind FROM jobs WHERE id = ${job_id}`);
    expect(job.kind).toBe(REPLICATION_JOBS.scrub);
    expect((await api('GET', '/replication/scrub', { token: viewer })).status).toBe(403);
    const status = await api('GET', '/replication/scrub', { token: admin });
    expect(status.headers.get('cache-control')).toBe('private, no-store');
    expect(await status.json()).toEqual({ active: { job_id, state: 'queued', progress: null }, last: null });
  });

  it('lists a conflict, resolves it as the admin (audited with the name), refuses a second resolution', async () => {
    storeReplicationConfig(t.engine, { ...DEFAULT_REPLICATION_CONFIG, conflict_strategy: 'manual' });
    await publishSample(t.engine, 'resnet', '1.0.0');
    await seedReplica(t.engine, 'local', 'resnet', '1.0.0');
    const other = await readFile(await writeSamplePackage({ name: 'resnet', version: '1.0.0', description: 'the other one', dir: os.tmpdir() }));
    const blob = await node.blobs.put(Readable.from([other]));
    await node.refs.put({ name: 'resnet', version: '1.0.0', digest: blob.digest, size: blob.size, yanked: false, written_at: Date.now() + 60_000 });
    await scrubNodes(t.engine);
    const { last } = await (await api('GET', '/replication/scrub', { token: admin })).json();
    expect(last.nodes).toEqual([expect.objectContaining({ id: 'local', conflicts: 1, errors: [] })]);

    expect((await api('GET', '/replication/conflicts', { token: viewer })).status).toBe(403);
    const res = await api('GET', '/replication/conflicts?state=open&page=1&per_page=10', { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const page = await res.json();
    expect(page).toMatchObject({ total: 1, page: 1, per_page: 10 });
    const c = page.conflicts[0];
    expect(c).toMatchObject({ name: 'resnet', version: '1.0.0', node_id: 'local', state: 'open', node: { digest: blob.digest } });
    expect((await api('GET', '/replication/conflicts?state=bogus', { token: admin })).status).toBe(400);

    const bad = await api('POST', `/replication/conflicts/${c.id}/resolve`, { token: admin, body: { winner_digest: 'c'.repeat(64) } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_INPUT');
    expect((await api('POST', '/replication/conflicts/9999/resolve', { token: admin, body: { winner_digest: blob.digest } })).status).toBe(404);

    const ok = await api('POST', `/replication/conflicts/${c.id}/resolve`, { token: admin, body: { winner_digest: `sha256:${blob.digest}` } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).conflict).toMatchObject({ state: 'resolved', winner_digest: blob.digest, resolved_by: 'alice' });
    expect(versionOf(t.engine, 'resnet', '1.0.0').digest).toBe(blob.digest);
    const dl = await api('GET', '/packages/resnet/1.0.0/download', { token: admin });
    expect(Buffer.from(await dl.arrayBuffer()).equals(other)).toBe(true);

    const again = await api('POST', `/replication/conflicts/${c.id}/resolve`, { token: admin, body: { winner_digest: blob.digest } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('CONFLICT_RESOLVED');
    const audit = t.engine.db.all<{ actor: string; result: string; error_code: string | null; target: string }>(
      sql`SELECT actor, result, error_code, target FROM audit_events WHERE action = 'replication.conflict.resolve' ORDER BY id`,
    );
    expect(audit.map((a) => [a.actor, a.result, a.error_code])).toEqual([
      ['token:alice/test', 'error', 'INVALID_INPUT'],
      ['token:alice/test', 'error', 'CONFLICT_NOT_FOUND'],
      ['token:alice/test', 'ok', null],
      ['token:alice/test', 'error', 'CONFLICT_RESOLVED'],
    ]);
    expect(audit[2].target).toBe(`conflict ${c.id}: winner ${blob.digest}`);
  });

  it('a download whose primary blob is gone is served from the node, with Range, and the primary is repaired', async () => {
    await publishSample(t.engine, 'bert', '1.0.0');
    await seedReplica(t.engine, 'local', 'bert', '1.0.0');
    const v = versionOf(t.engine, 'bert', '1.0.0');
    const whole = Buffer.from(await (await api('GET', '/packages/bert/1.0.0/download', { token: admin })).arrayBuffer());
    expect(await t.engine.blobs.delete(v.digest)).toBe(true);
    const res = await api('GET', '/packages/bert/1.0.0/download', { token: admin, headers: { range: 'bytes=5-49' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(5, 50))).toBe(true);
    expect(await t.engine.blobs.stat(v.digest)).toEqual({ digest: v.digest, size: v.size });
  });
});
