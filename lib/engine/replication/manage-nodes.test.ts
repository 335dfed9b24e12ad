/** Adding nodes on each backend (real folder, s3rver, Azurite): probed, refused with a clear reason, nothing stored on failure. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { replicas, replicationNodes } from '@/db/schema';
import { AppError } from '../errors';
import { closedPort } from '../mirrors/test-support/health-server';
import { azuriteConnectionString, startAzurite, type Azurite } from '../storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { tempEngine } from '../test-support/temp-engine';
import { addNode, removeNode, updateNode } from './manage-nodes';
import { listNodeViews } from './node-views';
import type { NodeBackendInput } from './types';

let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let engine: Awaited<ReturnType<typeof tempEngine>>;

// A valid base64 key that is not Azurite's: the request signature is wrong.
const WRONG_AZURE_KEY = Buffer.from('not-the-devstoreaccount1-key-at-all-0123456789').toString('base64');
const S3_SECRET = 'S3RVER';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-nodes-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  engine = await tempEngine();
});
afterEach(async () => {
  await engine.cleanup();
});

const s3Backend = (extra: Partial<Extract<NodeBackendInput, { type: 's3' }>> = {}): NodeBackendInput => ({
  type: 's3',
  endpoint: s3.endpoint,
  bucket: s3.bucket,
  access_key_id: 'S3RVER',
  secret_access_key: S3_SECRET,
  prefix: 'node-a',
  ...extra,
});
const azBackend = (extra: Partial<Extract<NodeBackendInput, { type: 'azure' }>> = {}): NodeBackendInput => ({
  type: 'azure',
  connection_string: az.connectionString,
  container: az.container,
  prefix: 'node-b',
  ...extra,
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('addNode', () => {
  it('adds a folder node (created like mkdir -p), an S3 bucket node and an Azure container node: healthy, no secrets in the view', async () => {
    const folder = path.join(dir, 'deep', 'er', 'node-local');
    const local = await addNode(engine, { id: 'local-1', region: 'eu-west', backend: { type: 'local', path: folder } });
    expect(local).toMatchObject({ id: 'local-1', region: 'eu-west', priority: 100, capacity_bytes: null, state: 'healthy', backlog_ops: 0, lag_ms: 0, used_bytes: 0 });
    expect(local.backend).toEqual({ type: 'local', path: folder });
    expect(local.last_latency_ms).toBeGreaterThan(0);
    expect(existsSync(path.join(folder, 'blobs'))).toBe(true);
    // The probe object was deleted again.
    const files = (await readdir(path.join(folder, 'blobs'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(files).toEqual([]);

    const s3n = await addNode(engine, { id: 's3-1', region: 'us-east', priority: 5, capacity_bytes: 10_000, backend: s3Backend() });
    expect(s3n).toMatchObject({ id: 's3-1', priority: 5, capacity_bytes: 10_000, state: 'healthy' });
    expect(s3n.backend).toEqual({ type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, region: 'us-east-1', force_path_style: true, prefix: 'node-a/', access_key_id: 'S3RVER' });

    const azn = await addNode(engine, { id: 'az-1', region: 'ap-south', backend: azBackend() });
    expect(azn.backend).toEqual({ type: 'azure', container: az.container, prefix: 'node-b/', account: 'devstoreaccount1', blob_endpoint: `http://127.0.0.1:${az.port}/devstoreaccount1` });
    expect(JSON.stringify(listNodeViews(engine))).not.toMatch(/AccountKey|secret_access_key|connection_string/);
    expect(listNodeViews(engine).map((n) => n.id)).toEqual(['s3-1', 'az-1', 'local-1']);
  }, 30_000);

  const cases: [string, () => Promise<NodeBackendInput>, RegExp][] = [
    // s3rver checks the access key id but not v4 signatures: wrong credentials are a key id it does not know (and a secret to keep out of the message).
    [
      'S3 credentials that are wrong',
      async () => s3Backend({ access_key_id: 'WRONGKEY', secret_access_key: 'wrong-secret-value-123' }),
      /refused the credentials \(InvalidAccessKeyId\)/,
    ],
    ['a missing S3 bucket', async () => s3Backend({ bucket: 'no-such-bucket' }), /bucket "no-such-bucket".* does not exist/],
    ['an unreachable S3 endpoint', async () => s3Backend({ endpoint: `http://127.0.0.1:${await closedPort()}` }), /unreachable.*ECONNREFUSED/],
    [
      'an Azure account key that is wrong',
      async () => azBackend({ connection_string: azuriteConnectionString(az.port, WRONG_AZURE_KEY) }),
      /account key or credentials were rejected/,
    ],
    ['a missing Azure container', async () => azBackend({ container: 'no-such-container' }), /container does not exist/],
    [
      'an unreachable Azure endpoint',
      async () => azBackend({ connection_string: azuriteConnectionString(await closedPort(), WRONG_AZURE_KEY) }),
      /could not be reached.*ECONNREFUSED/,
    ],
    [
      'a folder whose parent is a regular file',
      async () => {
        const file = path.join(dir, `a-file-${Math.random()}`);
        await writeFile(file, 'x');
        return { type: 'local', path: path.join(file, 'node') };
      },
      /folder is not writable \(a parent of the folder is a file.*ENOTDIR/,
    ],
  ];

  it.each(cases)('refuses %s: 422 REPLICATION_NODE_UNAVAILABLE, clear message, nothing stored, no secret', async (_what, backend, reason) => {
    const b = await backend();
    const err = await refusal(addNode(engine, { id: 'bad', region: 'eu', backend: b }));
    expect(err.code).toBe('REPLICATION_NODE_UNAVAILABLE');
    expect(err.message).toMatch(/^node "bad" failed its probe: writing a probe object failed: /);
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain('wrong-secret-value-123');
    expect(err.message).not.toContain(WRONG_AZURE_KEY);
    expect(err.message).not.toContain(az.connectionString);
    expect(engine.db.select().from(replicationNodes).all()).toEqual([]);
  }, 30_000);

  it('refuses a connection string that does not parse, without echoing it', async () => {
    const err = await refusal(addNode(engine, { id: 'cs', region: 'eu', backend: { type: 'azure', connection_string: 'AccountName=a;AccountKey=SECRETKEY', container: 'abc' } }));
    expect(err.code).toBe('REPLICATION_NODE_UNAVAILABLE');
    expect(err.message).toMatch(/^node "cs" cannot be opened: the connection string could not be parsed/);
    expect(err.message).not.toContain('SECRETKEY');
    expect(engine.db.select().from(replicationNodes).all()).toEqual([]);
  });

  it('refuses an existing id before probing, and a place another node uses', async () => {
    const folder = path.join(dir, 'dup');
    await addNode(engine, { id: 'n1', region: 'eu', backend: { type: 'local', path: folder } });
    const probe = vi.fn();
    const dup = await refusal(addNode(engine, { id: 'n1', region: 'eu', backend: s3Backend() }, probe));
    expect(dup.code).toBe('REPLICATION_NODE_EXISTS');
    expect(probe).not.toHaveBeenCalled();
    const inside = await refusal(addNode(engine, { id: 'n2', region: 'eu', backend: { type: 'local', path: path.join(folder, 'sub') } }, probe));
    expect(inside).toMatchObject({ code: 'REPLICATION_NODE_EXISTS', message: expect.stringMatching(/node "n1" already stores its data there/) });
    const data = await refusal(addNode(engine, { id: 'n3', region: 'eu', backend: { type: 'local', path: path.join(engine.dataDir, 'x') } }, probe));
    expect(data).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/overlaps the registry's data directory/) });
    expect(probe).not.toHaveBeenCalled();
  });

  it('redacts a secret that a probe error would echo', async () => {
    const secret = 'echoed-secret-0123456789';
    const err = await refusal(
      addNode(engine, { id: 'echo', region: 'eu', backend: s3Backend({ secret_access_key: secret, prefix: 'echo' }) }, async () => ({ ok: false, latencyMs: null, error: `boom ${secret}` })),
    );
    expect(err.message).toBe('node "echo" failed its probe: boom [redacted]');
  });
});

describe('updateNode and removeNode', () => {
  it('edits region, priority and capacity; removing drops its replicas rows and leaves its data in place', async () => {
    const folder = path.join(dir, 'rm-node');
    await addNode(engine, { id: 'rm', region: 'eu', backend: { type: 'local', path: folder } });
    expect(updateNode(engine, 'rm', { region: 'us', priority: 7, capacity_bytes: 1000 })).toMatchObject({ region: 'us', priority: 7, capacity_bytes: 1000 });
    expect(updateNode(engine, 'rm', { capacity_bytes: null })).toMatchObject({ region: 'us', priority: 7, capacity_bytes: null });
    const now = engine.now();
    engine.db
      .insert(replicas)
      .values({ nodeId: 'rm', name: 'p', version: '1.0.0', digest: 'a'.repeat(64), size: 3, state: 'present', seq: 1, committedAt: now, updatedAt: now })
      .run();
    removeNode(engine, 'rm');
    expect(engine.db.select().from(replicas).all()).toEqual([]);
    expect(existsSync(path.join(folder, 'blobs'))).toBe(true);
    expect(() => removeNode(engine, 'rm')).toThrow(expect.objectContaining({ code: 'REPLICATION_NODE_NOT_FOUND' }));
    expect(() => updateNode(engine, 'rm', { priority: 1 })).toThrow(expect.objectContaining({ code: 'REPLICATION_NODE_NOT_FOUND' }));
    // Each change asked placement to catch up (one due sync job covers them all).
    const syncs = engine.db.$client.prepare(`SELECT count(*) FROM jobs WHERE kind = 'replication.sync' AND state = 'queued'`).pluck().get();
    expect(syncs).toBe(1);
  });
});
