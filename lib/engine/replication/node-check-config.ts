/** Node health-check thresholds and cadence (env, read when a check runs so tests and operators can change them). */
export type NodeCheckConfig = {
  /** Seconds between checks (the `replication.check` schedule), 1–59. */
  intervalS: number;
  /** A probe round trip slower than this (ms) makes the node degraded. */
  degradedMs: number;
  /** Consecutive probes that must agree before a node's state changes (no flapping). */
  flapThreshold: number;
  /** One probe's timeout (ms): a node that does not finish the round trip in time failed it. */
  probeTimeoutMs: number;
};

/** Adding a node waits this long for its probe (an interactive request, not a scheduled check). */
export const ADD_PROBE_TIMEOUT_MS = 15_000;

function intEnv(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

export function nodeCheckConfig(env: Record<string, string | undefined> = process.env): NodeCheckConfig {
  const intervalS = intEnv(env.TORSH_REPLICATION_CHECK_INTERVAL_S, 15, 1, 59);
  return {
    intervalS,
    degradedMs: intEnv(env.TORSH_REPLICATION_DEGRADED_MS, 2000, 1, 600_000),
    flapThreshold: intEnv(env.TORSH_REPLICATION_FLAP_THRESHOLD, 2, 1, 100),
    // A probe ends before the next check starts.
    probeTimeoutMs: Math.max(500, Math.min(10_000, intervalS * 1000 - 200)),
  };
}
