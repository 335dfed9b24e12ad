import type { BlobStore } from '../storage/blob-store';

/** The crate's ConsistencyLevel. */
export type Consistency = 'eventual' | 'quorum' | 'strong' | 'causal';
export const CONSISTENCY_LEVELS: readonly Consistency[] = ['eventual', 'quorum', 'strong', 'causal'];

/** The crate's ConflictResolution strategies. */
export type ConflictStrategy = 'last_write_wins' | 'first_write_wins' | 'manual';
export const CONFLICT_STRATEGIES: readonly ConflictStrategy[] = ['last_write_wins', 'first_write_wins', 'manual'];

/** The crate's ReplicationConfig (settings key `replication.config`), plus the conflict strategy. */
export type ReplicationConfig = {
  consistency: Consistency;
  /** Replica nodes per version besides the primary store (0: replication off). */
  replication_factor: number;
  /** Serve a download from a healthy replica when the primary copy is missing or unreadable (and repair the primary). */
  auto_failover: boolean;
  /** How often the sync job re-plans and re-enqueues what is behind (seconds). */
  sync_interval_secs: number;
  conflict_strategy: ConflictStrategy;
};

export const DEFAULT_REPLICATION_CONFIG: ReplicationConfig = {
  consistency: 'eventual',
  replication_factor: 0,
  auto_failover: true,
  sync_interval_secs: 30,
  conflict_strategy: 'last_write_wins',
};

/** What an admin posts for a node's backend (DESIGN §4). */
export type NodeBackendInput =
  | { type: 'local'; path: string }
  | {
      type: 's3';
      endpoint?: string;
      bucket: string;
      region?: string;
      access_key_id?: string;
      secret_access_key?: string;
      force_path_style?: boolean;
      prefix?: string;
    }
  | { type: 'azure'; connection_string: string; container: string; prefix?: string };

/** The backend without its secrets: stored in replication_nodes.backend and returned by the API. */
export type NodeBackendPublic =
  | { type: 'local'; path: string }
  | { type: 's3'; endpoint: string | null; bucket: string; region: string; force_path_style: boolean; prefix: string; access_key_id: string | null }
  /** `account` and `blob_endpoint` are parsed from the connection string (never the key). */
  | { type: 'azure'; container: string; prefix: string; account: string | null; blob_endpoint: string | null };

/** The secrets, stored in replication_nodes.secret: never returned, audited or logged. */
export type NodeBackendSecret = { secret_access_key?: string; connection_string?: string };

/**
 * What a node says about one name@version it holds: a small JSON object beside the blobs
 * (`<prefix>refs/<name>/<version>.json`). A node "exposes" a version when its ref exists;
 * a ref naming another digest than the catalogue is a conflict.
 */
export type NodeRef = {
  name: string;
  version: string;
  digest: string;
  size: number;
  yanked: boolean;
  /** When this copy was written (ms since the epoch): LastWriteWins / FirstWriteWins compare it. */
  written_at: number;
};

/** Named refs on a node. Writes are atomic (a ref is complete or absent). */
export type RefStore = {
  put(ref: NodeRef): Promise<void>;
  get(name: string, version: string): Promise<NodeRef | null>;
  /** True when something was deleted. */
  delete(name: string, version: string): Promise<boolean>;
  list(): AsyncIterable<NodeRef>;
};

/** One replication node's storage: content-addressed blobs and named refs, on one backend. */
export type NodeStorage = {
  readonly nodeId: string;
  readonly kind: 'local' | 's3' | 'azure';
  blobs: BlobStore;
  refs: RefStore;
};

export type NodeState = 'healthy' | 'degraded' | 'unhealthy';

/** A node as the API and pages show it (no secrets). */
export type NodeView = {
  id: string;
  region: string;
  priority: number;
  capacity_bytes: number | null;
  used_bytes: number;
  backend: NodeBackendPublic;
  state: NodeState;
  last_check_at: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  /** Replicas not yet applied on the node (operations and bytes). */
  backlog_ops: number;
  backlog_bytes: number;
  /** Current lag (ms): age of the oldest operation the node has not applied yet, 0 when caught up (grows while the node is down). */
  lag_ms: number | null;
  created_at: number;
};

/** The crate's ReplicationStatistics. */
export type ReplicationStatistics = {
  total_nodes: number;
  healthy_nodes: number;
  total_replicas: number;
  successful_operations: number;
  failed_operations: number;
  active_conflicts: number;
  /** Mean publish-to-durable lag over the window (ms). */
  average_lag_ms: number | null;
  /** Bytes written to nodes per second over the window. */
  bandwidth_bytes_per_sec: number;
  /** The window the figures above cover (ms since the epoch). */
  from: number;
  to: number;
};

/** Which nodes hold one version (`GET /api/v1/packages/{name}/{version}/replicas`). */
export type VersionReplicaView = {
  node_id: string;
  region: string;
  node_state: NodeState;
  state: 'pending' | 'present' | 'deleting';
  digest: string;
  durable_at: number | null;
  lag_ms: number | null;
  last_error: string | null;
};

export type ConflictView = {
  id: number;
  name: string;
  version: string;
  node_id: string;
  catalogue: { digest: string; written_at: number };
  node: { digest: string; written_at: number };
  detected_at: number;
  strategy: ConflictStrategy;
  state: 'open' | 'resolved';
  winner_digest: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
};

/** Job kinds of this area (registered in lib/server/jobs.ts). */
export const REPLICATION_JOBS = {
  /** Make one node match one replicas row: payload `{ node, name, version }`. */
  apply: 'replication.apply',
  /** Probe every node (round trip, latency), record state, lag and backlog gauges. Scheduled. */
  check: 'replication.check',
  /** Re-plan under-replicated versions and re-enqueue replicas whose jobs died. Every sync_interval_secs. */
  sync: 'replication.sync',
  /** Anti-entropy: compare every node's inventory with the catalogue, repair, record conflicts. Scheduled and on demand. */
  scrub: 'replication.scrub',
} as const;

export const NODE_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
