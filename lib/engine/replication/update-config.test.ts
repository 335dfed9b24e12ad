/** The global config (refused for strong, warned for the others) and the per-package override. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine } from '../test-support/temp-engine';
import { publishSample } from '../test-support/registry-fixtures';
import { getPackageReplication, setPackageReplication } from './package-override';
import { effectiveReplication, getReplicationConfig } from './replication-config';
import { seedNode } from './test-support/seed-node';
import { DEFAULT_REPLICATION_CONFIG } from './types';
import { factorCheck, updateReplicationConfig } from './update-config';

let engine: Awaited<ReturnType<typeof tempEngine>>;
beforeEach(async () => {
  engine = await tempEngine();
  seedNode(engine, 'a');
  seedNode(engine, 'b', { state: 'degraded' });
  seedNode(engine, 'c', { state: 'unhealthy' });
});
afterEach(async () => {
  await engine.cleanup();
});

const syncJobs = () => Number(engine.db.$client.prepare(`SELECT count(*) FROM jobs WHERE kind = 'replication.sync'`).pluck().get());

describe('factorCheck', () => {
  it.each([
    ['strong', 2, 2, false, 0],
    ['strong', 3, 2, true, 0],
    ['eventual', 3, 2, false, 1],
    ['causal', 5, 2, false, 1],
    ['quorum', 3, 2, false, 1],
    ['quorum', 4, 2, false, 1],
    ['quorum', 1, 2, false, 0],
    ['eventual', 0, 0, false, 0],
  ] as const)('%s with factor %i on %i usable nodes: refused %s, %i warnings', (consistency, factor, usable, refused, warnings) => {
    const r = factorCheck(consistency, factor, usable);
    expect(r.refuse !== null).toBe(refused);
    expect(r.warnings).toHaveLength(warnings);
  });

  it('says when a quorum cannot be reached at all', () => {
    expect(factorCheck('quorum', 5, 2).warnings[0]).toMatch(/fewer than a quorum \(3\): publishes fail/);
    expect(factorCheck('quorum', 3, 2).warnings[0]).toMatch(/under-replicated/);
  });
});

describe('updateReplicationConfig', () => {
  it('stores a change, merges over the stored config and enqueues a sync when placement changes', () => {
    expect(getReplicationConfig(engine)).toEqual(DEFAULT_REPLICATION_CONFIG);
    const r = updateReplicationConfig(engine, { consistency: 'quorum', replication_factor: 2 });
    expect(r).toEqual({ config: { ...DEFAULT_REPLICATION_CONFIG, consistency: 'quorum', replication_factor: 2 }, warnings: [] });
    expect(syncJobs()).toBe(1);
    updateReplicationConfig(engine, { sync_interval_secs: 60, auto_failover: false, conflict_strategy: 'manual' });
    expect(getReplicationConfig(engine)).toEqual({ consistency: 'quorum', replication_factor: 2, auto_failover: false, sync_interval_secs: 60, conflict_strategy: 'manual' });
    expect(syncJobs()).toBe(1);
  });

  it('refuses strong with a factor above the usable (healthy or degraded) nodes; nothing changes', () => {
    expect(() => updateReplicationConfig(engine, { consistency: 'strong', replication_factor: 3 })).toThrow(
      expect.objectContaining({ code: 'REPLICATION_FACTOR_UNSATISFIABLE', message: expect.stringMatching(/replication_factor 3 is more than the 2 usable/) }),
    );
    expect(getReplicationConfig(engine)).toEqual(DEFAULT_REPLICATION_CONFIG);
    expect(updateReplicationConfig(engine, { consistency: 'strong', replication_factor: 2 }).warnings).toEqual([]);
  });

  it('stores eventual, quorum and causal with a factor above the nodes, with a warning', () => {
    for (const consistency of ['eventual', 'quorum', 'causal'] as const) {
      const r = updateReplicationConfig(engine, { consistency, replication_factor: 3 });
      expect(r.config).toMatchObject({ consistency, replication_factor: 3 });
      expect(r.warnings).toEqual([expect.stringMatching(/replication_factor 3 is more than the 2 usable/)]);
    }
  });

  it('does not block an unrelated change when nodes went down under a strong config', () => {
    updateReplicationConfig(engine, { consistency: 'strong', replication_factor: 2 });
    engine.db.$client.prepare(`UPDATE replication_nodes SET state = 'unhealthy' WHERE id = 'a'`).run();
    const r = updateReplicationConfig(engine, { sync_interval_secs: 10 });
    expect(r.config.sync_interval_secs).toBe(10);
    expect(r.warnings).toEqual([expect.stringMatching(/at strong consistency every publish would fail/)]);
  });
});

describe('package override', () => {
  it('sets, reads and clears per field; effective values follow', async () => {
    await publishSample(engine, 'resnet', '1.0.0');
    updateReplicationConfig(engine, { consistency: 'eventual', replication_factor: 1 });
    expect(getPackageReplication(engine, 'resnet')).toEqual({
      name: 'resnet',
      override: { consistency: null, replication_factor: null },
      effective: { consistency: 'eventual', replication_factor: 1 },
      warnings: [],
    });
    const set = setPackageReplication(engine, 'resnet', { consistency: 'strong', replication_factor: 2 });
    expect(set).toMatchObject({ override: { consistency: 'strong', replication_factor: 2 }, effective: { consistency: 'strong', replication_factor: 2 } });
    expect(effectiveReplication(engine, 'resnet')).toEqual({ consistency: 'strong', replication_factor: 2, overridden: true });
    // An absent field stays; null clears one.
    expect(setPackageReplication(engine, 'resnet', { replication_factor: null })).toMatchObject({
      override: { consistency: 'strong', replication_factor: null },
      effective: { consistency: 'strong', replication_factor: 1 },
    });
    setPackageReplication(engine, 'resnet', { consistency: null });
    expect(effectiveReplication(engine, 'resnet')).toEqual({ consistency: 'eventual', replication_factor: 1, overridden: false });
    expect(engine.db.$client.prepare('SELECT count(*) FROM package_replication').pluck().get()).toBe(0);
  });

  it('refuses strong above the usable nodes, warns for the others, and a missing package is 404', async () => {
    await publishSample(engine, 'resnet', '1.0.0');
    expect(() => setPackageReplication(engine, 'resnet', { consistency: 'strong', replication_factor: 3 })).toThrow(
      expect.objectContaining({ code: 'REPLICATION_FACTOR_UNSATISFIABLE', message: expect.stringMatching(/^resnet: replication_factor 3/) }),
    );
    expect(getPackageReplication(engine, 'resnet').override).toEqual({ consistency: null, replication_factor: null });
    expect(setPackageReplication(engine, 'resnet', { consistency: 'quorum', replication_factor: 3 }).warnings).toHaveLength(1);
    expect(() => getPackageReplication(engine, 'nope')).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(() => setPackageReplication(engine, 'nope', { consistency: 'eventual' })).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
  });
});
