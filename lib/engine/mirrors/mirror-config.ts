/** Health-check thresholds and cadence (env, read when a check runs so tests and operators can change them). */
export type MirrorCheckConfig = {
  /** A probe slower than this (ms) makes the mirror degraded. */
  degradedMs: number;
  /** A mirror further behind than this many changes is degraded. */
  degradedLag: number;
  /** Consecutive probes that must agree before the state changes (no flapping). */
  flapThreshold: number;
  /** Seconds between checks (the `mirrors.check` schedule), 1–15. */
  intervalS: number;
  /** One probe's timeout (ms): a mirror that does not answer in time failed the probe. */
  probeTimeoutMs: number;
};

function intEnv(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

export function mirrorCheckConfig(env: Record<string, string | undefined> = process.env): MirrorCheckConfig {
  const intervalS = intEnv(env.TORSH_MIRROR_CHECK_INTERVAL_S, 10, 1, 15);
  return {
    degradedMs: intEnv(env.TORSH_MIRROR_DEGRADED_MS, 1000, 1, 600_000),
    degradedLag: intEnv(env.TORSH_MIRROR_DEGRADED_LAG, 100, 0, 1e12),
    flapThreshold: intEnv(env.TORSH_MIRROR_FLAP_THRESHOLD, 2, 1, 100),
    intervalS,
    // A probe must end before the next check starts.
    probeTimeoutMs: Math.min(5_000, intervalS * 1000 - 200),
  };
}

/** How long probe history is kept. */
export const CHECK_HISTORY_MS = 7 * 24 * 3_600_000;
