import { sql } from 'drizzle-orm';
import { authorizePackage } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { findPackageRow, resolveVersionRow } from '../registry/find-version';
import { digestRef } from '../registry/views';
import type { NodeState, VersionReplicaView } from './types';

export type VersionReplicas = { name: string; version: string; digest: string; replicas: VersionReplicaView[] };

type Row = {
  version: string;
  node_id: string;
  region: string;
  node_state: NodeState;
  priority: number;
  state: VersionReplicaView['state'];
  digest: string;
  committed_at: number;
  durable_at: number | null;
  last_error: string | null;
};

const SELECT_REPLICAS = sql`
  SELECT r.version AS version, r.node_id AS node_id, n.region AS region, n.state AS node_state, n.priority AS priority, r.state AS state,
    r.digest AS digest, r.committed_at AS committed_at, r.durable_at AS durable_at, r.last_error AS last_error
  FROM replicas r JOIN replication_nodes n ON n.id = r.node_id`;

/**
 * One replica as readers see it. lag_ms: for a present replica, publish (or yank) commit to
 * durable; for one still to apply, how long it has waited so far. The last error names folders,
 * buckets and endpoints: only ManageReplication holders see it.
 */
function toView(r: Row, now: number, showErrors: boolean): VersionReplicaView {
  return {
    node_id: r.node_id,
    region: r.region,
    node_state: r.node_state,
    state: r.state,
    digest: digestRef(r.digest),
    durable_at: r.state === 'present' ? r.durable_at : null,
    lag_ms: r.state === 'present' ? Math.max(0, (r.durable_at ?? r.committed_at) - r.committed_at) : Math.max(0, now - r.committed_at),
    last_error: showErrors ? r.last_error : null,
  };
}

/** Which nodes hold one version (`ref`: an exact version, `latest` or a channel), by node priority. */
export function versionReplicas(engine: Engine, actor: Actor, name: string, ref: string): VersionReplicas {
  authorizePackage(engine, actor, 'ReadMetadata', name);
  const { pkg, row } = resolveVersionRow(engine, name, ref);
  const rows = engine.db.all<Row>(sql`${SELECT_REPLICAS} WHERE r.name = ${pkg.name} AND r.version = ${row.version} ORDER BY n.priority, r.node_id`);
  const now = engine.now();
  const showErrors = actor.permissions.has('ManageReplication');
  return { name: pkg.name, version: row.version, digest: digestRef(row.digest), replicas: rows.map((r) => toView(r, now, showErrors)) };
}

export type PackageReplicas = { name: string; versions: Record<string, VersionReplicaView[]> };

/** Every version's replicas of one package in one read (the package page's Replicas column); versions without any are absent. */
export function packageReplicas(engine: Engine, actor: Actor, name: string): PackageReplicas {
  authorizePackage(engine, actor, 'ReadMetadata', name);
  const pkg = findPackageRow(engine, name);
  const rows = engine.db.all<Row>(sql`${SELECT_REPLICAS} WHERE r.name = ${pkg.name} ORDER BY r.version, n.priority, r.node_id`);
  const now = engine.now();
  const showErrors = actor.permissions.has('ManageReplication');
  const versions: Record<string, VersionReplicaView[]> = {};
  for (const r of rows) (versions[r.version] ??= []).push(toView(r, now, showErrors));
  return { name: pkg.name, versions };
}
