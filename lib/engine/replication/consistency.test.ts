import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../actor';
import { AppError } from '../errors';
import { SERIES } from '../metrics/metric-event';
import { deleteVersion, getVersion, setYanked } from '../registry';
import { startAzurite, type Azurite } from '../storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { publishSample } from '../test-support/registry-fixtures';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { applyReplica } from './apply-replica';
import { checkNodes } from './check-nodes';
import { nodeRow, storageFor } from './node-registry';
import { syncReplicas } from './sync-replicas';
import {
  configure,
  drainReplicationJobs,
  insertNode,
  nodeBlob,
  nodeRefs,
  primaryBlob,
  replicaRows,
  setNodeState,
} from './test-support/replication-fixtures';
import type { Consistency, NodeStorage } from './types';

let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
let n = 0;
let localPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-consistency-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const NODES = ['local', 's3', 'azure'] as const;

beforeEach(async () => {
  clock = manualClock(1_700_000_000_000);
  engine = await tempEngine({}, { clock: clock.now });
  n += 1;
  localPath = path.join(dir, `local-${n}`);
  insertNode(engine, { id: 'local', region: 'eu', priority: 1, backend: { type: 'local', path: localPath } });
  insertNode(engine, {
    id: 's3',
    region: 'us',
    priority: 2,
    backend: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: `t${n}` },
  });
  insertNode(engine, { id: 'azure', region: 'ap', priority: 3, backend: { type: 'azure', connection_string: az.connectionString, container: az.container, prefix: `t${n}` } });
});
afterEach(async () => {
  await engine.cleanup();
});

/** The local node's folder becomes a regular file: every write to it fails (root ignores chmod). */
async function breakLocal(): Promise<void> {
  await rm(localPath, { recursive: true, force: true });
  await writeFile(localPath, 'not a folder');
}
async function repairLocal(): Promise<void> {
  await rm(localPath, { force: true });
}

/** The check job's run: among its gauges, per node, the age of the oldest unapplied change (0 when caught up). */
async function recordLag(): Promise<void> {
  await checkNodes(engine);
}

function lagReadings(node: string): number[] {
  engine.metrics.flush();
  return engine.db
    .all<{ value: number }>(sql`SELECT value FROM metric_events WHERE series = ${SERIES.replicationLagMs} AND dims = ${`n:${node}`} ORDER BY at, id`)
    .map((r) => r.value);
}

async function expectIdentical(name: string, version: string, nodes: readonly string[] = NODES): Promise<void> {
  const v = getVersion(engine, name, version);
  const digest = v.digest.replace('sha256:', '');
  const primary = await primaryBlob(engine, digest);
  for (const id of nodes) {
    expect((await nodeBlob(engine, id, digest)).equals(primary), `${id} holds the same bytes`).toBe(true);
    expect((await nodeRefs(engine, id)).filter((r) => r.name === name && r.version === version)).toEqual([
      expect.objectContaining({ digest, size: v.size, yanked: v.yanked }),
    ]);
  }
}

function states(name: string): Record<string, string> {
  return Object.fromEntries(replicaRows(engine, name).map((r) => [`${r.nodeId}@${r.version}`, r.state]));
}

const useLevel = (consistency: Consistency, factor = 3) => configure(engine, { consistency, replication_factor: factor });

describe('replication with one node unavailable', () => {
  it('eventual: acknowledged after the primary; replicas by jobs; the broken node catches up when it returns', async () => {
    useLevel('eventual');
    await breakLocal();
    await publishSample(engine, 'resnet', '1.0.0');
    expect(states('resnet')).toEqual({ 'azure@1.0.0': 'pending', 'local@1.0.0': 'pending', 's3@1.0.0': 'pending' });
    expect(await nodeRefs(engine, 's3')).toEqual([]);

    clock.advance(5_000);
    await drainReplicationJobs(engine);
    expect(states('resnet')).toEqual({ 'azure@1.0.0': 'present', 'local@1.0.0': 'pending', 's3@1.0.0': 'present' });
    const local = replicaRows(engine, 'resnet').find((r) => r.nodeId === 'local')!;
    expect(local.attempts).toBe(1);
    expect(local.lastError).toMatch(/ENOTDIR|not a directory|EEXIST/i);
    await expectIdentical('resnet', '1.0.0', ['s3', 'azure']);
    await recordLag();
    expect(lagReadings('local').at(-1)).toBe(5_000);
    expect(lagReadings('s3').at(-1)).toBe(0);

    await repairLocal();
    clock.advance(60_000);
    await drainReplicationJobs(engine);
    expect(states('resnet')).toEqual({ 'azure@1.0.0': 'present', 'local@1.0.0': 'present', 's3@1.0.0': 'present' });
    await expectIdentical('resnet', '1.0.0');
    await recordLag();
    expect(lagReadings('local')).toEqual([5_000, 0]);
    // The apply's own op event carries publish-commit-to-durable.
    engine.metrics.flush();
    const ops = engine.db.all<{ value: number; ok: number; bytes: number }>(
      sql`SELECT value, ok, bytes FROM metric_events WHERE series = ${SERIES.replicationOp} AND dims = 'n:local' ORDER BY at, id`,
    );
    expect(ops.map((o) => o.ok)).toEqual([0, 1]);
    expect(ops[1].value).toBe(65_000);
    expect(ops[1].bytes).toBe(getVersion(engine, 'resnet', '1.0.0').size);
  });

  it('quorum: acknowledged with a majority durable while S3 is down; S3 catches up when it returns', async () => {
    useLevel('quorum');
    await s3.pause();
    try {
      await publishSample(engine, 'bert', '1.0.0');
      expect(states('bert')).toEqual({ 'azure@1.0.0': 'present', 'local@1.0.0': 'present', 's3@1.0.0': 'pending' });
      await expectIdentical('bert', '1.0.0', ['local', 'azure']);
      clock.advance(1_000);
      await drainReplicationJobs(engine);
      expect(states('bert')['s3@1.0.0']).toBe('pending');
      await recordLag();
      expect(lagReadings('s3').at(-1)).toBeGreaterThan(0);
    } finally {
      await s3.restart();
    }
    clock.advance(60_000);
    await drainReplicationJobs(engine);
    expect(states('bert')).toEqual({ 'azure@1.0.0': 'present', 'local@1.0.0': 'present', 's3@1.0.0': 'present' });
    await expectIdentical('bert', '1.0.0');
    await recordLag();
    expect(lagReadings('s3').at(-1)).toBe(0);
  }, 60_000);

  it('quorum: answers once a majority is durable while a slow write carries on; its job finishes it without sending the bytes twice', async () => {
    useLevel('quorum');
    const azure = storageFor(engine, nodeRow(engine, 'azure'));
    const stage = azure.blobs.stage;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let slowWrite: Promise<void> | undefined;
    // The publish fans one read out to every node's stager; Azure's upload (its commit) is the slow part.
    azure.blobs.stage = async (body, opts) => {
      const staged = await stage(body, opts);
      return { ...staged, commit: () => (slowWrite = gate.then(() => staged.commit())) };
    };
    try {
      await publishSample(engine, 'slow', '1.0.0');
      expect(states('slow')).toEqual({ 'azure@1.0.0': 'pending', 'local@1.0.0': 'present', 's3@1.0.0': 'present' });
      expect(await nodeRefs(engine, 'azure')).toEqual([]);
    } finally {
      release();
      azure.blobs.stage = stage;
    }
    await slowWrite;
    await drainReplicationJobs(engine);
    expect(states('slow')).toEqual({ 'azure@1.0.0': 'present', 'local@1.0.0': 'present', 's3@1.0.0': 'present' });
    await expectIdentical('slow', '1.0.0');
    engine.metrics.flush();
    const azureOps = engine.db.all<{ bytes: number }>(sql`SELECT bytes FROM metric_events WHERE series = ${SERIES.replicationOp} AND dims = 'n:azure'`);
    expect(azureOps).toEqual([{ bytes: 0 }]);
  });

  it('quorum: fails when no majority can be durable, and nothing is exposed', async () => {
    useLevel('quorum');
    await breakLocal();
    await s3.pause();
    try {
      await expect(publishSample(engine, 'bert', '2.0.0')).rejects.toMatchObject({ code: 'REPLICATION_FAILED' });
    } finally {
      await s3.restart();
    }
    expect(() => getVersion(engine, 'bert', '2.0.0')).toThrow(AppError);
    expect(await nodeRefs(engine, 'azure')).toEqual([]);
    expect(replicaRows(engine)).toEqual([]);
  }, 60_000);

  it('strong: fails cleanly when Azure is down: 503 REPLICATION_FAILED, no version, no change, no ref anywhere', async () => {
    useLevel('strong');
    await az.pause();
    let err: unknown;
    try {
      await publishSample(engine, 'gpt', '1.0.0').catch((e) => (err = e));
    } finally {
      await az.restart();
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('REPLICATION_FAILED');
    expect((err as AppError).message).toContain('azure:');
    expect((err as AppError).message).not.toContain('Eby8vdM02xNOcq');
    expect(() => getVersion(engine, 'gpt', '1.0.0')).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(engine.db.all(sql`SELECT * FROM changes`)).toEqual([]);
    expect(replicaRows(engine)).toEqual([]);
    expect(engine.db.all(sql`SELECT * FROM jobs`)).toEqual([]);
    for (const id of NODES) expect(await nodeRefs(engine, id), id).toEqual([]);
    // The blobs it sent are gone too.
    for (const id of ['local', 's3']) {
      const blobs: unknown[] = [];
      for await (const b of storageFor(engine, nodeRow(engine, id)).blobs.list()) blobs.push(b);
      expect(blobs, id).toEqual([]);
    }
  }, 60_000);

  it('strong: acknowledged only when every node holds it', async () => {
    useLevel('strong');
    await publishSample(engine, 'gpt', '1.0.0');
    expect(states('gpt')).toEqual({ 'azure@1.0.0': 'present', 'local@1.0.0': 'present', 's3@1.0.0': 'present' });
    await expectIdentical('gpt', '1.0.0');
    expect(engine.db.all(sql`SELECT * FROM jobs`)).toEqual([]);
  });

  it('strong: too few healthy nodes fails fast, before anything is written', async () => {
    useLevel('strong');
    setNodeState(engine, 'azure', 'unhealthy');
    await expect(publishSample(engine, 'gpt', '1.0.0')).rejects.toMatchObject({ code: 'REPLICATION_FAILED', message: expect.stringContaining('azure: unhealthy') });
    for (const id of ['local', 's3']) {
      const blobs: unknown[] = [];
      for await (const b of storageFor(engine, nodeRow(engine, id)).blobs.list()) blobs.push(b);
      expect(blobs, id).toEqual([]);
    }
  });
});

describe('causal order', () => {
  it('a node never exposes v2 before v1, even when v2 is applied first', async () => {
    useLevel('causal');
    await publishSample(engine, 'llama', '1.0.0');
    await publishSample(engine, 'llama', '2.0.0');
    expect(states('llama')).toEqual({
      'azure@1.0.0': 'pending',
      'azure@2.0.0': 'pending',
      'local@1.0.0': 'pending',
      'local@2.0.0': 'pending',
      's3@1.0.0': 'pending',
      's3@2.0.0': 'pending',
    });
    const seen: string[] = [];
    const originals = new Map<string, NodeStorage['refs']['put']>();
    for (const id of NODES) {
      const storage = storageFor(engine, nodeRow(engine, id));
      const put = storage.refs.put;
      originals.set(id, put);
      storage.refs.put = async (ref) => {
        if (ref.version === '2.0.0') expect(await storage.refs.get('llama', '1.0.0'), `${id} holds v1 before v2`).not.toBeNull();
        seen.push(`${id}:${ref.version}`);
        return put(ref);
      };
    }
    try {
      for (const id of NODES) await applyReplica(engine, { node: id, name: 'llama', version: '2.0.0' });
    } finally {
      for (const id of NODES) storageFor(engine, nodeRow(engine, id)).refs.put = originals.get(id)!;
    }
    expect(seen).toEqual(['local:1.0.0', 'local:2.0.0', 's3:1.0.0', 's3:2.0.0', 'azure:1.0.0', 'azure:2.0.0']);
    // v1's own jobs find their work done.
    await drainReplicationJobs(engine);
    expect(Object.values(states('llama')).every((s) => s === 'present')).toBe(true);
    await expectIdentical('llama', '1.0.0');
    await expectIdentical('llama', '2.0.0');
  });
});

describe('causal with one node unavailable', () => {
  it('the broken node gets neither v2 nor v1 while down, both in order once back; the others are unaffected', async () => {
    useLevel('causal');
    await breakLocal();
    await publishSample(engine, 'mistral', '1.0.0');
    await publishSample(engine, 'mistral', '2.0.0');
    // v2's job first everywhere: on the healthy nodes it applies v1 first; on the broken one, nothing.
    for (const id of NODES) await applyReplica(engine, { node: id, name: 'mistral', version: '2.0.0' }).catch(() => undefined);
    expect(states('mistral')).toMatchObject({ 'local@1.0.0': 'pending', 'local@2.0.0': 'pending', 's3@1.0.0': 'present', 's3@2.0.0': 'present' });
    await repairLocal();
    await applyReplica(engine, { node: 'local', name: 'mistral', version: '2.0.0' });
    expect((await nodeRefs(engine, 'local')).map((r) => r.version)).toEqual(['1.0.0', '2.0.0']);
    clock.advance(60_000);
    await drainReplicationJobs(engine);
    expect(new Set(Object.values(states('mistral')))).toEqual(new Set(['present']));
    await expectIdentical('mistral', '1.0.0');
    await expectIdentical('mistral', '2.0.0');
  });
});

describe('yanks and deletes replicate', () => {
  it('a yank rewrites every ref with the flag, an unyank clears it, a delete removes ref and blob', async () => {
    useLevel('quorum');
    await publishSample(engine, 'vit', '1.0.0');
    await drainReplicationJobs(engine);
    await expectIdentical('vit', '1.0.0');

    clock.advance(1_000);
    setYanked(engine, ANONYMOUS, { name: 'vit', version: '1.0.0', yanked: true, reason: 'broken' });
    expect(new Set(Object.values(states('vit')))).toEqual(new Set(['pending']));
    await drainReplicationJobs(engine);
    for (const id of NODES) expect((await nodeRefs(engine, id)).map((r) => r.yanked), id).toEqual([true]);

    clock.advance(1_000);
    setYanked(engine, ANONYMOUS, { name: 'vit', version: '1.0.0', yanked: false });
    await drainReplicationJobs(engine);
    for (const id of NODES) expect((await nodeRefs(engine, id)).map((r) => r.yanked), id).toEqual([false]);

    const digest = getVersion(engine, 'vit', '1.0.0').digest.replace('sha256:', '');
    clock.advance(1_000);
    deleteVersion(engine, ANONYMOUS, { name: 'vit', version: '1.0.0' });
    expect(new Set(Object.values(states('vit')))).toEqual(new Set(['deleting']));
    await drainReplicationJobs(engine);
    expect(replicaRows(engine)).toEqual([]);
    for (const id of NODES) {
      expect(await nodeRefs(engine, id), id).toEqual([]);
      expect(await storageFor(engine, nodeRow(engine, id)).blobs.stat(digest), id).toBeNull();
    }
    expect(engine.db.get<{ used: number }>(sql`SELECT sum(used_bytes) AS used FROM replication_nodes`).used).toBe(0);
  });
});

describe('sync', () => {
  it('re-enqueues replicas whose job died and places replicas on a node added later', async () => {
    useLevel('eventual', 1);
    await breakLocal();
    await publishSample(engine, 'clip', '1.0.0');
    expect(states('clip')).toEqual({ 'local@1.0.0': 'pending' });
    for (let i = 0; i < 8; i++) {
      await drainReplicationJobs(engine);
      clock.advance(3_600_000);
    }
    expect(engine.db.get<{ state: string }>(sql`SELECT state FROM jobs WHERE kind = 'replication.apply'`).state).toBe('dead');
    // While the node is unhealthy its replicas wait; once it is back they are enqueued again.
    setNodeState(engine, 'local', 'unhealthy');
    expect(await syncReplicas(engine)).toEqual({ acted: true, requeued: 0, placed: 0, temp_files_removed: 0 });
    await repairLocal();
    setNodeState(engine, 'local', 'healthy');
    configure(engine, { replication_factor: 2 });
    clock.advance(30_000);
    expect(await syncReplicas(engine)).toEqual({ acted: true, requeued: 1, placed: 1, temp_files_removed: 0 });
    // Acts once per sync_interval_secs.
    expect(await syncReplicas(engine)).toEqual({ acted: false, requeued: 0, placed: 0, temp_files_removed: 0 });
    await drainReplicationJobs(engine);
    expect(states('clip')).toEqual({ 'local@1.0.0': 'present', 's3@1.0.0': 'present' });
    await expectIdentical('clip', '1.0.0', ['local', 's3']);
  });
});
