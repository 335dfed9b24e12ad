import type { Engine } from '../engine';
import { readSync } from './mirror-state';

export type MirrorFeedStatus = {
  position: number;
  head: number;
  lag_changes: number;
  lag_seconds: number;
  last_contact_at: number | null;
  caught_up_at: number | null;
  upstream_reachable: boolean;
};

export type MirrorHoldings = { bytes_held: number; packages: number; versions: number };

/**
 * Where the mirror stands on its upstream's feed. lag_seconds is 0 while it is caught up and
 * in contact; otherwise the time since it last was caught up (since it started, if never).
 */
export function mirrorFeedStatus(engine: Engine, upstream: string, live: { reachable: boolean; startedAt: number }): MirrorFeedStatus {
  const row = readSync(engine, upstream);
  const caughtUp = live.reachable && row.position >= row.head;
  const since = row.caughtUpAt ?? live.startedAt;
  return {
    position: row.position,
    head: row.head,
    lag_changes: Math.max(0, row.head - row.position),
    lag_seconds: caughtUp ? 0 : Math.max(0, (engine.now() - since) / 1000),
    last_contact_at: row.lastContactAt,
    caught_up_at: row.caughtUpAt,
    upstream_reachable: live.reachable,
  };
}

/** What the mirror holds: each distinct blob counted once. */
export function mirrorHoldings(engine: Engine): MirrorHoldings {
  const sqlite = engine.db.$client;
  const bytes = sqlite.prepare('SELECT coalesce(sum(size), 0) AS b FROM (SELECT max(size) AS size FROM versions GROUP BY digest)').get() as { b: number };
  const counts = sqlite.prepare('SELECT (SELECT count(*) FROM packages) AS p, (SELECT count(*) FROM versions) AS v').get() as { p: number; v: number };
  return { bytes_held: bytes.b, packages: counts.p, versions: counts.v };
}
