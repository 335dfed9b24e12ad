/** ReplicationStatistics from table counts and the `replication.op` rollups. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replicas, replicationConflicts } from '@/db/schema';
import { bootstrapAccounts } from '../access/bootstrap';
import { ANONYMOUS } from '../actor';
import { SERIES } from '../metrics/metric-event';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { userActor } from '../test-support/registry-fixtures';
import { replicationSettings, replicationStats, replicationStatsFor } from './replication-stats';
import { seedNode } from './test-support/seed-node';
import { DEFAULT_REPLICATION_CONFIG } from './types';

const T0 = Date.UTC(2026, 10, 30, 12);
let clock: ReturnType<typeof manualClock>;
let engine: Awaited<ReturnType<typeof tempEngine>>;

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(async () => {
  await engine.cleanup();
});

function op(at: number, node: string, m: { ok: boolean; lagMs?: number; bytes: number }) {
  engine.metrics.add({ series: SERIES.replicationOp, at, value: m.ok ? (m.lagMs ?? 0) : null, bytes: m.bytes, ok: m.ok, error: !m.ok, dims: [`n:${node}`] });
}

describe('replicationStats', () => {
  it('is all zeros with nothing replicated, over the last 24 hours', () => {
    expect(replicationStats(engine)).toEqual({
      total_nodes: 0,
      healthy_nodes: 0,
      total_replicas: 0,
      successful_operations: 0,
      failed_operations: 0,
      active_conflicts: 0,
      average_lag_ms: null,
      bandwidth_bytes_per_sec: 0,
      from: T0 - 86_400_000,
      to: T0,
    });
  });

  it('counts nodes, replicas and open conflicts; operations, mean lag and bandwidth come from the op events in the window', () => {
    seedNode(engine, 'a');
    seedNode(engine, 'b', { state: 'degraded' });
    seedNode(engine, 'c', { state: 'unhealthy' });
    const r = (nodeId: string, version: string, state: 'pending' | 'present') => ({
      nodeId,
      name: 'resnet',
      version,
      digest: 'c'.repeat(64),
      size: 10,
      state,
      seq: 1,
      committedAt: T0,
      updatedAt: T0,
    });
    engine.db.insert(replicas).values([r('a', '1.0.0', 'present'), r('b', '1.0.0', 'present'), r('a', '1.1.0', 'present'), r('c', '1.0.0', 'pending')]).run();
    const conflict = (state: 'open' | 'resolved') => ({
      name: 'resnet',
      version: '1.0.0',
      nodeId: 'a',
      catalogueDigest: 'c'.repeat(64),
      catalogueWrittenAt: T0,
      nodeDigest: 'd'.repeat(64),
      nodeWrittenAt: T0,
      detectedAt: T0,
      strategy: 'manual' as const,
      state,
    });
    engine.db.insert(replicationConflicts).values([conflict('open'), conflict('open'), conflict('resolved')]).run();

    op(T0 - 2 * 3_600_000, 'a', { ok: true, lagMs: 100, bytes: 1_000_000 });
    op(T0 - 3_600_000 + 5_000, 'b', { ok: true, lagMs: 300, bytes: 2_000_000 });
    op(T0 - 60_000, 'c', { ok: false, bytes: 0 });
    // Outside the window: not counted.
    op(T0 - 2 * 86_400_000, 'a', { ok: true, lagMs: 99_999, bytes: 5_000_000 });

    const s = replicationStats(engine);
    expect(s).toMatchObject({
      total_nodes: 3,
      healthy_nodes: 1,
      total_replicas: 3,
      successful_operations: 2,
      failed_operations: 1,
      active_conflicts: 2,
      average_lag_ms: 200,
      bandwidth_bytes_per_sec: Math.round((3_000_000 / 86_400) * 10) / 10,
    });
    // A narrower window: the last hour holds one success and the failure.
    expect(replicationStats(engine, { from: T0 - 3_600_000, to: T0 })).toMatchObject({ successful_operations: 1, failed_operations: 1, average_lag_ms: 300, bandwidth_bytes_per_sec: 555.6 });
  });

  it('answers ManageReplication or ViewStats holders only', async () => {
    await bootstrapAccounts(engine, undefined);
    const viewer = await userActor(engine, 'vi', ['viewer']);
    expect(replicationStatsFor(engine, viewer).total_nodes).toBe(0);
    expect(() => replicationStatsFor(engine, ANONYMOUS)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    const none = { ...viewer, permissions: new Set<never>() };
    expect(() => replicationStatsFor(engine, none)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    const ops = { ...viewer, permissions: new Set(['ManageReplication'] as const) };
    expect(replicationStatsFor(engine, ops as never).total_nodes).toBe(0);
  });
});

describe('replicationSettings', () => {
  it('is the config and every node', () => {
    seedNode(engine, 'a');
    const s = replicationSettings(engine);
    expect(s.config).toEqual(DEFAULT_REPLICATION_CONFIG);
    expect(s.nodes.map((n) => n.id)).toEqual(['a']);
  });
});
