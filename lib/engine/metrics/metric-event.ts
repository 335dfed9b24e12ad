/** The series the registry records; later areas add their own (mirrors, cache, replication). */
export const SERIES = {
  download: 'download',
  publish: 'publish',
  upload: 'upload',
  api: 'api',
  job: 'job',
  /** Gauge samples, one series per gauge (value = the reading). */
  storageBytes: 'gauge.storage_bytes',
  jobBacklog: 'gauge.job_backlog',
  /** Edge cache counters, recorded as deltas per collection (value = the delta), dim 'e:<edgeId>'. */
  edgeRequests: 'edge.requests',
  edgeHits: 'edge.hits',
  edgeMisses: 'edge.misses',
  edgeBytesCache: 'edge.bytes_cache',
  edgeBytesOrigin: 'edge.bytes_origin',
  edgeEvictions: 'edge.evictions',
  /** Per mirror (dim `m:<id>`), one reading per health check: 1 healthy, 0.5 degraded, 0 unhealthy. */
  mirrorUp: 'mirror.up',
  mirrorLatencyMs: 'mirror.latency_ms',
  mirrorLagChanges: 'mirror.lag_changes',
  /**
   * Per replication node (dim `n:<node id>`), recorded by the check job each interval: up (1
   * healthy, 0.5 degraded, 0 unhealthy), latency_ms (probe round trip), lag_ms (the current lag:
   * age of the node's oldest unapplied operation, 0 when caught up, so it grows while a node is
   * down), backlog_ops / backlog_bytes (unapplied operations and their bytes). op: one event per
   * apply on a node (ok or error; value = publish-commit-to-durable ms, bytes = bytes sent).
   */
  replicationUp: 'replication.up',
  replicationLatencyMs: 'replication.latency_ms',
  replicationLagMs: 'replication.lag_ms',
  replicationBacklogOps: 'replication.backlog_ops',
  replicationBacklogBytes: 'replication.backlog_bytes',
  replicationOp: 'replication.op',
  /**
   * Per backup repository (dim `b:<repository id>`, lib/engine/backup/types.ts BACKUP_SERIES):
   * run, one event per registry backup run (value 1 and ok when it succeeded, 0 and error when
   * it failed: an alert "minimum of ok over 26 h < 1" says no backup succeeded); gauges after
   * every backup, forget and prune: repo_bytes (stored), logical_bytes (all snapshots), dedup_ratio.
   */
  backupRun: 'backup.run',
  backupRepoBytes: 'backup.repo_bytes',
  backupLogicalBytes: 'backup.logical_bytes',
  backupDedupRatio: 'backup.dedup_ratio',
} as const;

/**
 * One measured event. `dims` names the rollups it counts under besides the whole series ('' is
 * always added): 'p:<packageId>', 'v:<versionId>', 'u:<userId>', 'r:<region>', 'route:<METHOD path>',
 * 'kind:<job kind>'…
 */
export type MetricEvent = {
  series: string;
  /** ms since the epoch. */
  at: number;
  /** A duration in ms, or a gauge's reading; null when the event has none. */
  value: number | null;
  bytes?: number;
  status?: number | null;
  /** A success in the series' sense: a full (200) download, a 2xx/3xx answer, a job that succeeded. */
  ok: boolean;
  /** A failure: a 5xx answer, a failed job run. */
  error: boolean;
  dims?: string[];
  /** The client address (downloads), kept with the raw event only. */
  client?: string | null;
  /** What is unusual about this event, kept with the raw event only (not rolled up). */
  detail?: Record<string, unknown>;
};

export const RES_MINUTE = 60_000;
export const RES_HOUR = 3_600_000;
/** Days in UTC: long ranges (30 days) read ~30 rows per dim instead of ~720. */
export const RES_DAY = 86_400_000;
/** All-time totals: one row per series and dim, bucket 0. */
export const RES_TOTAL = 0;
