/** The `replication.check` job: real probes (folder, S3 behind a proxy that stops), state machine, readings, gauges. */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replicas } from '@/db/schema';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { SERIES } from '../metrics/metric-event';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { checkNodes, checkNodesSchedule, pruneNodeCheckJobs } from './check-nodes';
import { addNode } from './manage-nodes';
import { nodeCheckConfig, type NodeCheckConfig } from './node-check-config';
import { nodeRow } from './node-registry';
import { listNodeViews } from './node-views';
import { probeNode } from './probe-node';
import { seedNode } from './test-support/seed-node';
import type { NodeStorage } from './types';

const CONFIG: NodeCheckConfig = { intervalS: 2, degradedMs: 1000, flapThreshold: 2, probeTimeoutMs: 1500 };

let dir: string;
let s3: S3rverHandle;
let clock: ReturnType<typeof manualClock>;
let engine: Awaited<ReturnType<typeof tempEngine>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-check-nodes-'));
  s3 = await startS3rver();
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  clock = manualClock(Date.UTC(2026, 10, 30, 12));
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(async () => {
  await engine.cleanup();
});

/** Gauge readings of one node, oldest first. */
function gauge(series: string, node: string): number[] {
  engine.metrics.flush();
  return (engine.db.$client.prepare('SELECT value FROM metric_events WHERE series = ? AND dims = ? ORDER BY id').all(series, `n:${node}`) as { value: number }[]).map((r) => r.value);
}

/** A TCP proxy in front of a server that can stop (refusing connections) and come back on the same port. */
async function stoppableProxy(target: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const start = (port: number) =>
    new Promise<number>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve((server!.address() as net.AddressInfo).port));
    });
  const port = await start(0);
  return {
    port,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
    async resume() {
      await start(port);
    },
  };
}

async function check(n = 1) {
  let last: Awaited<ReturnType<typeof checkNodes>> | null = null;
  for (let i = 0; i < n; i++) {
    clock.advance(CONFIG.intervalS * 1000);
    last = await checkNodes(engine, { config: CONFIG });
  }
  return last!;
}

describe('checkNodes', () => {
  it('a folder node that becomes unwritable goes unhealthy after 2 failed probes, and healthy again after 2 good ones', async () => {
    const folder = path.join(dir, 'flaky');
    await addNode(engine, { id: 'flaky', region: 'eu', backend: { type: 'local', path: folder } });
    expect(await check()).toEqual({ checked: 1, states: { healthy: 1, degraded: 0, unhealthy: 0 }, changed: [] });

    await rename(folder, `${folder}.away`);
    await writeFile(folder, 'not a folder');
    expect((await check()).changed).toEqual([]);
    expect(nodeRow(engine, 'flaky')).toMatchObject({ state: 'healthy', pendingState: 'unhealthy', pendingCount: 1, lastError: expect.stringMatching(/folder is not writable.*ENOTDIR/) });
    expect((await check()).changed).toEqual([{ id: 'flaky', from: 'healthy', to: 'unhealthy' }]);
    expect(nodeRow(engine, 'flaky')).toMatchObject({ state: 'unhealthy', stateChangedAt: clock.now(), lastCheckAt: clock.now() });

    await rm(folder);
    await rename(`${folder}.away`, folder);
    await check();
    expect(nodeRow(engine, 'flaky')).toMatchObject({ state: 'unhealthy', pendingState: 'healthy', pendingCount: 1, lastError: null });
    expect((await check()).changed).toEqual([{ id: 'flaky', from: 'unhealthy', to: 'healthy' }]);
    expect(gauge(SERIES.replicationUp, 'flaky')).toEqual([1, 1, 0, 0, 1]);
  });

  it('a folder node that is unwritable at its first check recovers when the folder comes back (a failed mkdir is not remembered)', async () => {
    const folder = path.join(dir, 'late');
    await addNode(engine, { id: 'late', region: 'eu', backend: { type: 'local', path: folder } });
    await rm(folder, { recursive: true });
    await writeFile(folder, 'in the way');
    await check(2);
    expect(nodeRow(engine, 'late').state).toBe('unhealthy');
    await rm(folder);
    await check(2);
    expect(nodeRow(engine, 'late')).toMatchObject({ state: 'healthy', lastError: null });
  });

  it('an S3 node whose server stops goes unhealthy, and comes back healthy when it answers again', async () => {
    const proxy = await stoppableProxy(Number(new URL(s3.endpoint).port));
    try {
      await addNode(engine, {
        id: 's3-node',
        region: 'us',
        backend: { type: 's3', endpoint: `http://127.0.0.1:${proxy.port}`, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: 'check' },
      });
      await check();
      await proxy.stop();
      await check(2);
      const down = nodeRow(engine, 's3-node');
      expect(down.state).toBe('unhealthy');
      expect(down.lastError).toMatch(/unreachable|ECONNREFUSED/);
      expect(down.lastError).not.toContain('S3RVER:');
      await proxy.resume();
      await check(2);
      expect(nodeRow(engine, 's3-node')).toMatchObject({ state: 'healthy', lastError: null });
      expect(gauge(SERIES.replicationUp, 's3-node')).toEqual([1, 1, 0, 0, 1]);
      expect(gauge(SERIES.replicationLatencyMs, 's3-node')).toHaveLength(3);
    } finally {
      await proxy.stop().catch(() => {});
    }
  }, 30_000);

  it('records lag, backlog and used bytes per node; a slow node goes degraded', async () => {
    seedNode(engine, 'n1');
    seedNode(engine, 'n2');
    const now = clock.now();
    const row = (nodeId: string, version: string, state: 'pending' | 'present' | 'deleting', size: number, committedAt: number) => ({
      nodeId,
      name: 'resnet',
      version,
      digest: 'a'.repeat(64),
      size,
      state,
      seq: 1,
      committedAt,
      updatedAt: now,
    });
    engine.db
      .insert(replicas)
      .values([row('n1', '1.0.0', 'present', 100, now - 60_000), row('n1', '1.1.0', 'pending', 40, now - 5_000), row('n1', '0.9.0', 'deleting', 7, now - 1_000), row('n2', '1.0.0', 'present', 100, now)])
      .run();
    // Both seeded folders do not exist and cannot be created: stub the probe (n1 slow, n2 fast).
    const probe = async (s: NodeStorage) => ({ ok: true as const, latencyMs: s.nodeId === 'n1' ? 5000 : 3, error: null });
    for (let i = 0; i < 2; i++) {
      clock.advance(2000);
      await checkNodes(engine, { config: CONFIG, probe });
    }
    expect(nodeRow(engine, 'n1')).toMatchObject({ state: 'degraded', usedBytes: 100, lastLatencyMs: 5000 });
    expect(nodeRow(engine, 'n2')).toMatchObject({ state: 'healthy', usedBytes: 100 });
    expect(gauge(SERIES.replicationLagMs, 'n1')).toEqual([7_000, 9_000]);
    expect(gauge(SERIES.replicationLagMs, 'n2')).toEqual([0, 0]);
    expect(gauge(SERIES.replicationBacklogOps, 'n1')).toEqual([2, 2]);
    expect(gauge(SERIES.replicationBacklogBytes, 'n1')).toEqual([40, 40]);
    expect(gauge(SERIES.replicationUp, 'n1')).toEqual([1, 0.5]);
    const views = listNodeViews(engine);
    expect(views.find((v) => v.id === 'n1')).toMatchObject({ backlog_ops: 2, backlog_bytes: 40, lag_ms: 9_000, used_bytes: 100, state: 'degraded' });
  });

  it('prunes its own succeeded job rows after an hour, and runs every TORSH_REPLICATION_CHECK_INTERVAL_S seconds', () => {
    const queue = createSqliteQueue(engine);
    const job = queue.enqueue('replication.check', {});
    queue.claim('w', ['replication.check'], 60_000);
    queue.complete(job.id, 'w');
    expect(pruneNodeCheckJobs(engine)).toBe(0);
    clock.advance(3_600_001);
    expect(pruneNodeCheckJobs(engine)).toBe(1);
    expect(checkNodesSchedule({})).toEqual({ name: 'replication.check', cron: '*/15 * * * * *', kind: 'replication.check' });
    expect(checkNodesSchedule({ TORSH_REPLICATION_CHECK_INTERVAL_S: '2' }).cron).toBe('*/2 * * * * *');
    expect(nodeCheckConfig({ TORSH_REPLICATION_CHECK_INTERVAL_S: '600' }).intervalS).toBe(59);
    expect(nodeCheckConfig({ TORSH_REPLICATION_CHECK_INTERVAL_S: '2' }).probeTimeoutMs).toBe(1800);
  });
});

describe('probeNode', () => {
  const fake = (over: Partial<NodeStorage['blobs']>): NodeStorage => ({ nodeId: 'f', kind: 'local', blobs: over as NodeStorage['blobs'], refs: {} as NodeStorage['refs'] });

  it('fails a node that does not finish the round trip in time', async () => {
    const r = await probeNode(fake({ put: () => new Promise(() => {}) }), 50);
    expect(r).toEqual({ ok: false, latencyMs: null, error: 'writing a probe object got no answer within 50 ms' });
  });

  it('fails a node that returns other bytes, and removes its probe object', async () => {
    const { Readable } = await import('node:stream');
    let deleted = false;
    const r = await probeNode(
      fake({
        put: async () => ({ digest: 'b'.repeat(64), size: 64 }),
        get: async () => Readable.from([Buffer.alloc(64)]),
        delete: async () => (deleted = true),
      }),
      1000,
    );
    expect(r).toMatchObject({ ok: false, error: 'reading the probe object back failed: the probe object read back differs from what was written' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(deleted).toBe(true);
  });
});
