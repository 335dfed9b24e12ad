/**
 * SIGKILL the origin (`torsh serve --role origin`, which runs the job worker) while it replicates
 * to three nodes (a folder, an s3rver bucket, an Azurite container), restart it on the same data
 * dir: the jobs finish, every replica is byte-identical to the primary, nothing is lost or doubled.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine } from '@/lib/engine/engine';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { configure, insertNode, nodeBlob, nodeRefs, primaryBlob, replicaRows } from '@/lib/engine/replication/test-support/replication-fixtures';
import { startAzurite, type Azurite } from '@/lib/engine/storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '@/lib/engine/storage/test-support/s3rver';
import { adminToken, startRole, type RoleProcess } from './test-support/role-process';

const PASSWORD = 'pass-word-123';
const VERSIONS = ['1.0.0', '1.1.0', '1.2.0', '2.0.0'];
const NODES = ['local', 's3', 'azure'];

let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let dataDir: string;
let localPath: string;
let engine: Engine;
let origin: RoleProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-repl-crash-'));
  dataDir = path.join(dir, 'data');
  localPath = path.join(dir, 'node-local');
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
  // The test's own connection to the origin's database (WAL: both read and write safely).
  engine = createEngine({ dataDir });
  insertNode(engine, { id: 'local', region: 'eu', priority: 1, backend: { type: 'local', path: localPath } });
  insertNode(engine, { id: 's3', region: 'us', priority: 2, backend: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER' } });
  insertNode(engine, { id: 'azure', region: 'ap', priority: 3, backend: { type: 'azure', connection_string: az.connectionString, container: az.container } });
  configure(engine, { consistency: 'eventual', replication_factor: 3, sync_interval_secs: 1 });
}, 60_000);

afterAll(async () => {
  await origin?.stop('SIGKILL');
  engine?.close();
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const ENV = { TORSH_ADMIN_PASSWORD: PASSWORD, TORSH_REPLICATION_TEMP_GRACE_S: '2', TORSH_JOBS_CONCURRENCY: '3' };

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${origin?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function counts(): { present: number; total: number; running: number } {
  return engine.db.get<{ present: number; total: number; running: number }>(sql`
    SELECT (SELECT count(*) FROM replicas WHERE state = 'present') AS present, (SELECT count(*) FROM replicas) AS total,
      (SELECT count(*) FROM jobs WHERE kind = 'replication.apply' AND state = 'running') AS running`);
}

async function localTempFiles(): Promise<string[]> {
  const entries = await Promise.all(
    [path.join(localPath, 'blobs', '.tmp'), path.join(localPath, '.tmp'), path.join(dataDir, 'tmp', 'blob-staging')].map((d) =>
      readdir(d).then((names) => names.map((n) => path.join(d, n)), () => [] as string[]),
    ),
  );
  return entries.flat();
}

it('replication survives a SIGKILL of the origin mid-way: after a restart the jobs finish, nothing lost, nothing doubled', async () => {
  origin = await startRole(['--role', 'origin', '--data', dataDir], ENV);
  const token = await adminToken(origin.url, PASSWORD);
  for (const v of VERSIONS) {
    const file = await writeSamplePackage({ name: 'crash-model', version: v, files: [{ path: 'models/model.bin', source: randomBytes(6 * 1024 * 1024) }] });
    const res = await fetch(`${origin.url}/api/v1/packages/crash-model/${v}`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: await readFile(file) });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  // Mid-way: some replica writes are running, not all are done.
  await until('an apply job running', () => counts().running > 0, 30_000, 5);
  expect(counts().present).toBeLessThan(VERSIONS.length * NODES.length);
  await origin.stop('SIGKILL');
  const atKill = counts();
  expect(atKill.total).toBe(VERSIONS.length * NODES.length);
  expect(atKill.present).toBeLessThan(atKill.total);

  origin = await startRole(['--role', 'origin', '--data', dataDir], ENV);
  await until('every replica present', () => counts().present === VERSIONS.length * NODES.length, 90_000, 200);
  await until('temp files of the killed writes swept', async () => (await localTempFiles()).length === 0, 30_000, 200);
  await origin.stop();
  origin = undefined;

  // One row per node@version, all present; one ref per version per node, naming the catalogue's digest.
  const rows = replicaRows(engine, 'crash-model');
  expect(rows.map((r) => `${r.nodeId}@${r.version}:${r.state}`).sort()).toEqual(
    NODES.flatMap((n) => VERSIONS.map((v) => `${n}@${v}:present`)).sort(),
  );
  const digests = new Map(
    engine.db.all<{ version: string; digest: string }>(sql`SELECT version, digest FROM versions`).map((r) => [r.version, r.digest]),
  );
  for (const node of NODES) {
    const refs = await nodeRefs(engine, node);
    expect(refs.map((r) => `${r.version}:${r.digest}`), node).toEqual(VERSIONS.map((v) => `${v}:${digests.get(v)}`));
    for (const v of VERSIONS) {
      const digest = digests.get(v)!;
      expect((await nodeBlob(engine, node, digest)).equals(await primaryBlob(engine, digest)), `${node} ${v}`).toBe(true);
    }
  }
  // The local node holds exactly the four blobs (no duplicate, no stray temp file).
  const localFiles = await readdir(path.join(localPath, 'blobs'), { recursive: true, withFileTypes: true });
  expect(localFiles.filter((e) => e.isFile()).map((e) => e.name).sort()).toEqual([...digests.values()].sort());
  expect(await localTempFiles()).toEqual([]);
  // Every apply job ended; none is left dead or waiting.
  const jobs = engine.db.all<{ state: string; n: number }>(sql`SELECT state, count(*) AS n FROM jobs WHERE kind = 'replication.apply' GROUP BY state`);
  expect(jobs.filter((j) => j.state !== 'succeeded')).toEqual([]);
}, 240_000);
