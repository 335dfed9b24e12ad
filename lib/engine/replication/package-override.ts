import { eq } from 'drizzle-orm';
import { packageReplication } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { findPackageRow } from '../registry/find-version';
import { enqueueSync } from './enqueue-sync';
import { effectiveReplication, getReplicationConfig } from './replication-config';
import type { Consistency } from './types';
import { factorCheck, usableNodeCount } from './update-config';

export type PackageReplicationOverride = { consistency: Consistency | null; replication_factor: number | null };

/** A package's override (null fields follow the global config) and what it replicates with. */
export type PackageReplicationView = {
  name: string;
  override: PackageReplicationOverride;
  effective: { consistency: Consistency; replication_factor: number };
  warnings: string[];
};

function overrideOf(engine: Engine, packageId: number): PackageReplicationOverride {
  const row = engine.db.select().from(packageReplication).where(eq(packageReplication.packageId, packageId)).get();
  return { consistency: row?.consistency ?? null, replication_factor: row?.replicationFactor ?? null };
}

function viewOf(engine: Engine, name: string, packageId: number, warnings: string[]): PackageReplicationView {
  const e = effectiveReplication(engine, name);
  return { name, override: overrideOf(engine, packageId), effective: { consistency: e.consistency, replication_factor: e.replication_factor }, warnings };
}

export function getPackageReplication(engine: Engine, name: string): PackageReplicationView {
  const pkg = findPackageRow(engine, name);
  return viewOf(engine, name, pkg.id, []);
}

/**
 * Set a package's override: a value replaces, null clears (the global config applies), an absent
 * field stays. Strong with more replicas than usable nodes is refused as for the global config.
 */
export function setPackageReplication(engine: Engine, name: string, input: Partial<PackageReplicationOverride>): PackageReplicationView {
  const pkg = findPackageRow(engine, name);
  const current = overrideOf(engine, pkg.id);
  const next: PackageReplicationOverride = {
    consistency: input.consistency === undefined ? current.consistency : input.consistency,
    replication_factor: input.replication_factor === undefined ? current.replication_factor : input.replication_factor,
  };
  const global = getReplicationConfig(engine);
  const check = factorCheck(next.consistency ?? global.consistency, next.replication_factor ?? global.replication_factor, usableNodeCount(engine));
  if (check.refuse) throw new AppError('REPLICATION_FACTOR_UNSATISFIABLE', `${name}: ${check.refuse}`, { field: 'replication_factor' });
  const now = engine.now();
  if (next.consistency === null && next.replication_factor === null) {
    engine.db.delete(packageReplication).where(eq(packageReplication.packageId, pkg.id)).run();
  } else {
    const values = { consistency: next.consistency, replicationFactor: next.replication_factor, updatedAt: now };
    engine.db
      .insert(packageReplication)
      .values({ packageId: pkg.id, ...values })
      .onConflictDoUpdate({ target: packageReplication.packageId, set: values })
      .run();
  }
  if (next.consistency !== current.consistency || next.replication_factor !== current.replication_factor) enqueueSync(engine);
  return viewOf(engine, name, pkg.id, check.warnings);
}
