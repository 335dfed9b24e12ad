import type { Engine } from '../engine';
import { AppError } from '../errors';
import { enqueueSync } from './enqueue-sync';
import { getReplicationConfig, storeReplicationConfig } from './replication-config';
import type { Consistency, ReplicationConfig } from './types';

/** Nodes a replica can be written to now: healthy or degraded (slow but answering); unhealthy ones cannot. */
export function usableNodeCount(engine: Engine): number {
  return Number(engine.db.$client.prepare(`SELECT count(*) FROM replication_nodes WHERE state != 'unhealthy'`).pluck().get());
}

/**
 * Whether `factor` replicas can be placed at `consistency` on `usable` nodes: a refusal (strong
 * needs every replica durable before a publish is acknowledged) or warnings (the others accept
 * publishes and catch up when nodes return).
 */
export function factorCheck(consistency: Consistency, factor: number, usable: number): { refuse: string | null; warnings: string[] } {
  if (factor <= usable) return { refuse: null, warnings: [] };
  const short = `replication_factor ${factor} is more than the ${usable} usable (healthy or degraded) node${usable === 1 ? '' : 's'}`;
  if (consistency === 'strong') {
    return { refuse: `${short}: at strong consistency every publish would fail; add nodes or lower the factor`, warnings: [] };
  }
  if (consistency === 'quorum' && Math.floor(factor / 2) + 1 > usable) {
    return { refuse: null, warnings: [`${short}, fewer than a quorum (${Math.floor(factor / 2) + 1}): publishes fail until more nodes are usable`] };
  }
  return { refuse: null, warnings: [`${short}: versions stay under-replicated until more nodes are usable (${consistency} publishes are still accepted)`] };
}

/**
 * Change the global ReplicationConfig: the fields given replace the stored ones. Strong
 * consistency with more replicas than usable nodes is refused (REPLICATION_FACTOR_UNSATISFIABLE)
 * when the change touches consistency or factor; other levels are stored with warnings. A change
 * of consistency or factor enqueues a `replication.sync` so placement catches up.
 */
export function updateReplicationConfig(engine: Engine, input: Partial<ReplicationConfig>): { config: ReplicationConfig; warnings: string[] } {
  const current = getReplicationConfig(engine);
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<ReplicationConfig>;
  const config: ReplicationConfig = { ...current, ...defined };
  const placementChanged = config.consistency !== current.consistency || config.replication_factor !== current.replication_factor;
  const check = factorCheck(config.consistency, config.replication_factor, usableNodeCount(engine));
  if (check.refuse && (defined.consistency !== undefined || defined.replication_factor !== undefined)) {
    throw new AppError('REPLICATION_FACTOR_UNSATISFIABLE', check.refuse, { field: 'replication_factor' });
  }
  storeReplicationConfig(engine, config);
  if (placementChanged) enqueueSync(engine);
  return { config, warnings: check.refuse ? [check.refuse] : check.warnings };
}
