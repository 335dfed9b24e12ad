import { eq } from 'drizzle-orm';
import { replicationNodes, type NodeState, type ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import type { JobHandler, JobScheduleSpec } from '../jobs/types';
import { SERIES } from '../metrics/metric-event';
import { recordGauge } from '../metrics/record';
import { nextState, observedState, UP_VALUE } from '../mirrors/mirror-state';
import { nodeCheckConfig, type NodeCheckConfig } from './node-check-config';
import { storageFor } from './node-registry';
import { currentLagMs, nodeLoads, usedBytesByNode, type NodeLoad } from './node-views';
import { probeNode, redactSecrets, type NodeProbeResult } from './probe-node';
import { REPLICATION_JOBS, type NodeBackendSecret, type NodeStorage } from './types';

export type NodeCheckReport = {
  checked: number;
  states: Record<NodeState, number>;
  changed: { id: string; from: NodeState; to: NodeState }[];
};

export type NodeProbe = (storage: NodeStorage, timeoutMs: number, secret: NodeBackendSecret | null) => Promise<NodeProbeResult>;

const defaultProbe: NodeProbe = (storage, timeoutMs, secret) => probeNode(storage, timeoutMs, { secret });

const EMPTY_LOAD: NodeLoad = { backlogOps: 0, backlogBytes: 0, oldestCommittedAt: null };

async function probeRow(engine: Engine, row: ReplicationNodeRow, config: NodeCheckConfig, probe: NodeProbe): Promise<NodeProbeResult> {
  const secret = row.secret ? (JSON.parse(row.secret) as NodeBackendSecret) : null;
  try {
    return await probe(storageFor(engine, row), config.probeTimeoutMs, secret);
  } catch (err) {
    return { ok: false, latencyMs: null, error: redactSecrets(`the node cannot be opened: ${(err as Error)?.message ?? String(err)}`, secret) };
  }
}

/**
 * The `replication.check` job's body: probe every node at once (each bounded by the probe
 * timeout: write, read back, delete a probe object), then per node the observed state (failed →
 * unhealthy; slower than TORSH_REPLICATION_DEGRADED_MS → degraded), the anti-flapping rule
 * (mirrors' state machine: N agreeing probes change the state), the row's readings and used
 * bytes, and the gauges (dim `n:<id>`): up, latency, current lag, backlog operations and bytes.
 */
export async function checkNodes(engine: Engine, opts: { config?: NodeCheckConfig; probe?: NodeProbe } = {}): Promise<NodeCheckReport> {
  const config = opts.config ?? nodeCheckConfig();
  const probe = opts.probe ?? defaultProbe;
  const rows = engine.db.select().from(replicationNodes).all();
  const results = await Promise.all(rows.map((r) => probeRow(engine, r, config, probe)));
  const loads = nodeLoads(engine);
  const used = usedBytesByNode(engine);
  const now = engine.now();
  const report: NodeCheckReport = { checked: 0, states: { healthy: 0, degraded: 0, unhealthy: 0 }, changed: [] };
  rows.forEach((row, i) => {
    const result = results[i];
    const load = loads.get(row.id) ?? EMPTY_LOAD;
    const observed = observedState({ ok: result.ok, latencyMs: result.latencyMs, lagChanges: null }, { degradedMs: config.degradedMs, degradedLag: 0 });
    const next = nextState(row, observed, config.flapThreshold);
    // updatedAt stays: it keys the node's opened storage (node-registry.ts), which a check does not change.
    const updated = engine.db
      .update(replicationNodes)
      .set({
        state: next.state,
        pendingState: next.pendingState,
        pendingCount: next.pendingCount,
        lastCheckAt: now,
        lastError: result.ok ? null : result.error,
        ...(result.ok ? { lastLatencyMs: result.latencyMs } : {}),
        usedBytes: used.get(row.id) ?? 0,
        ...(next.changed ? { stateChangedAt: now } : {}),
      })
      .where(eq(replicationNodes.id, row.id))
      .run();
    // Removed while it was probed: no readings for a node that is gone.
    if (updated.changes === 0) return;
    const dim = [`n:${row.id}`];
    recordGauge(engine, SERIES.replicationUp, UP_VALUE[next.state], dim);
    if (result.ok) recordGauge(engine, SERIES.replicationLatencyMs, result.latencyMs, dim);
    recordGauge(engine, SERIES.replicationLagMs, currentLagMs(load, now), dim);
    recordGauge(engine, SERIES.replicationBacklogOps, load.backlogOps, dim);
    recordGauge(engine, SERIES.replicationBacklogBytes, load.backlogBytes, dim);
    report.checked += 1;
    report.states[next.state] += 1;
    if (next.changed) report.changed.push({ id: row.id, from: row.state, to: next.state });
  });
  return report;
}

/** Succeeded check runs kept this long on the Jobs page (a check every few seconds would bury other jobs); failed runs stay. */
const CHECK_JOB_RETENTION_MS = 3_600_000;

export function pruneNodeCheckJobs(engine: Engine): number {
  return engine.db.$client
    .prepare(`DELETE FROM jobs WHERE kind = ? AND state = 'succeeded' AND finished_at < ?`)
    .run(REPLICATION_JOBS.check, engine.now() - CHECK_JOB_RETENTION_MS).changes;
}

// A missed check is not retried: the next one is seconds away.
export const CHECK_JOB_HANDLER: JobHandler = {
  kind: REPLICATION_JOBS.check,
  maxAttempts: 1,
  leaseMs: 60_000,
  run: async ({ engine }) => ({ ...(await checkNodes(engine)), prunedJobs: pruneNodeCheckJobs(engine) }),
};

/** Every TORSH_REPLICATION_CHECK_INTERVAL_S seconds (croner's six-field form: seconds first). */
export function checkNodesSchedule(env: Record<string, string | undefined> = process.env): JobScheduleSpec {
  return { name: REPLICATION_JOBS.check, cron: `*/${nodeCheckConfig(env).intervalS} * * * * *`, kind: REPLICATION_JOBS.check };
}
