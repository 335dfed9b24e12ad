import { eq, sql } from 'drizzle-orm';
import { settings } from '@/db/schema';
import type { Engine } from '../engine';
import { DEFAULT_REPLICATION_CONFIG, type Consistency, type ReplicationConfig } from './types';

export const REPLICATION_CONFIG_KEY = 'replication.config';

/** The global ReplicationConfig (settings key `replication.config`; defaults for missing fields). */
export function getReplicationConfig(engine: Engine): ReplicationConfig {
  const row = engine.db.select().from(settings).where(eq(settings.key, REPLICATION_CONFIG_KEY)).get();
  const stored = row ? (JSON.parse(row.value) as Partial<ReplicationConfig>) : {};
  return { ...DEFAULT_REPLICATION_CONFIG, ...stored };
}

/** Store a validated config (callers validate: lib/validations/replication.ts). */
export function storeReplicationConfig(engine: Engine, config: ReplicationConfig): void {
  const value = JSON.stringify(config);
  const now = engine.now();
  engine.db
    .insert(settings)
    .values({ key: REPLICATION_CONFIG_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run();
}

export type EffectiveReplication = { consistency: Consistency; replication_factor: number; overridden: boolean };

/** The consistency and factor one package replicates with: its override where set, else the global config. */
export function effectiveReplication(engine: Engine, packageName: string, config = getReplicationConfig(engine)): EffectiveReplication {
  const o = engine.db.get<{ consistency: Consistency | null; factor: number | null } | undefined>(
    sql`SELECT r.consistency AS consistency, r.replication_factor AS factor FROM package_replication r JOIN packages p ON p.id = r.package_id WHERE p.name = ${packageName}`,
  );
  return {
    consistency: o?.consistency ?? config.consistency,
    replication_factor: o?.factor ?? config.replication_factor,
    overridden: Boolean(o && (o.consistency !== null || o.factor !== null)),
  };
}
