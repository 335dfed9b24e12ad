import { countFiringAlerts } from '../alerts/list-alerts';
import { lastSuccessSamples, repositoryBytesSamples } from '../backup/server/backup-metrics';
import { edgeHitRatios } from '../cdn/edge-hit-ratio';
import type { Engine } from '../engine';
import { nodeBacklogBytesSamples, nodeBacklogOpsSamples, nodeLagSamples, nodeUpSamples } from '../replication/node-gauges';

/** One labelled reading of a gauge. */
export type GaugeSample = { labels: Record<string, string>; value: number };

/**
 * A gauge read from the database when Prometheus scrapes (cheap, indexed queries only: a
 * scrape may come every few seconds). `read` returns one number, or one sample per label set.
 */
export type DbGauge = {
  name: string;
  help: string;
  labelNames?: readonly string[];
  read: (engine: Engine) => number | GaugeSample[];
};

const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'] as const;

function scalar(engine: Engine, sql: string): number {
  const row = engine.db.$client.prepare(sql).pluck().get() as number | null | undefined;
  return Number(row ?? 0);
}

type MirrorGaugeRow = { id: number; url: string; region: string; state: string; lag_changes: number | null };

function mirrorRows(engine: Engine): MirrorGaugeRow[] {
  return engine.db.$client.prepare('SELECT id, url, region, state, lag_changes FROM mirrors ORDER BY id').all() as MirrorGaugeRow[];
}

/** 1 healthy, 0.5 degraded, 0 unhealthy (as the `mirror.up` series), labelled by the mirror's URL. */
function mirrorUp(engine: Engine): GaugeSample[] {
  const value: Record<string, number> = { healthy: 1, degraded: 0.5, unhealthy: 0 };
  return mirrorRows(engine).map((m) => ({ labels: { mirror: m.url, region: m.region }, value: value[m.state] ?? 0 }));
}

function mirrorLagChanges(engine: Engine): GaugeSample[] {
  return mirrorRows(engine)
    .filter((m) => m.lag_changes !== null)
    .map((m) => ({ labels: { mirror: m.url }, value: m.lag_changes! }));
}

function jobsByState(engine: Engine): GaugeSample[] {
  const rows = engine.db.$client.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
  const counts = new Map(rows.map((r) => [r.state, r.n]));
  // Every state is exported, zero included, so a rate or an alert never sees a series vanish.
  return [...new Set([...JOB_STATES, ...counts.keys()])].map((state) => ({ labels: { state }, value: counts.get(state) ?? 0 }));
}

/**
 * The gauges /metrics exports. Adding one is one entry here (later areas: mirror up, cache hit
 * ratio, replication lag); docs/OPERATIONS.md lists them.
 */
export const DB_GAUGES: DbGauge[] = [
  { name: 'torsh_storage_bytes', help: 'Bytes of package data stored (sum of every version size)', read: (e) => scalar(e, 'SELECT sum(size) FROM versions') },
  { name: 'torsh_packages', help: 'Packages in the registry', read: (e) => scalar(e, 'SELECT count(*) FROM packages') },
  { name: 'torsh_versions', help: 'Package versions in the registry', read: (e) => scalar(e, 'SELECT count(*) FROM versions') },
  { name: 'torsh_jobs', help: 'Jobs in the queue by state', labelNames: ['state'], read: jobsByState },
  // The metrics store's own cost (the benchmark reads these to report what recording costs downloads).
  { name: 'torsh_metrics_events_written', help: 'Metric events written by this process since it started', read: (e) => e.metrics.stats().events },
  { name: 'torsh_metrics_write_seconds', help: 'Seconds this process spent in metric write transactions since it started', read: (e) => e.metrics.stats().writeMs / 1000 },
  { name: 'torsh_metrics_record_seconds', help: 'Seconds this process spent queueing metric events (Prometheus counters included) since it started', read: (e) => e.metrics.stats().addMs / 1000 },
  { name: 'torsh_alerts_firing', help: 'Alert rules currently firing', read: countFiringAlerts },
  {
    name: 'torsh_edge_hit_ratio',
    help: 'Each registered edge cache: hits / requests over its counters at the last collection (since the edge started; 0 before its first request)',
    labelNames: ['edge', 'region'],
    read: edgeHitRatios,
  },
  { name: 'torsh_mirror_up', help: 'Mirror health by the last checks: 1 healthy, 0.5 degraded, 0 unhealthy', labelNames: ['mirror', 'region'], read: mirrorUp },
  { name: 'torsh_mirror_lag_changes', help: 'Changes a mirror is behind this origin, at its last successful check', labelNames: ['mirror'], read: mirrorLagChanges },
  { name: 'torsh_replication_node_up', help: 'Replication node health by the last checks: 1 healthy, 0.5 degraded, 0 unhealthy', labelNames: ['node', 'region'], read: nodeUpSamples },
  { name: 'torsh_replication_lag_seconds', help: 'Age of the oldest replication operation a node has not applied yet (0 when caught up)', labelNames: ['node'], read: nodeLagSamples },
  { name: 'torsh_replication_backlog_operations', help: 'Replication operations (writes and deletes) a node has not applied yet', labelNames: ['node'], read: nodeBacklogOpsSamples },
  { name: 'torsh_replication_backlog_bytes', help: 'Bytes of replica writes a node has not applied yet', labelNames: ['node'], read: nodeBacklogBytesSamples },
  {
    name: 'torsh_backup_last_success_timestamp_seconds',
    help: 'When the last registry backup into each backup repository succeeded (seconds since the epoch; 0: never)',
    labelNames: ['repository'],
    read: lastSuccessSamples,
  },
  { name: 'torsh_backup_repository_bytes', help: 'Bytes a backup repository takes in its storage, measured after its last job', labelNames: ['repository'], read: repositoryBytesSamples },
];
