import type { EdgeRow } from '@/db/schema';
import { parseSnapshot } from './stats-delta';

export type EdgeState = EdgeRow['state'];

/** An edge as every answer shows it: the purge token only as "set", never its value. */
export type EdgeView = {
  id: number;
  url: string;
  region: string;
  provider: string;
  purge_token: 'set';
  state: EdgeState;
  /** Collections failed in a row. */
  failures: number;
  last_check_at: number | null;
  last_error: string | null;
  /** The edge's own cumulative counters at the last collection (since it started). */
  counters: { requests: number; hits: number; misses: number; bytes_from_cache: number; bytes_from_origin: number; evictions: number } | null;
  /** From the metrics store over the last hour: hits ÷ requests (0–1), null without requests. */
  hit_rate_1h: number | null;
  requests_1h: number;
  created_at: number;
  updated_at: number;
};

export function toEdgeView(row: EdgeRow, lastHour: { hits: number; requests: number }): EdgeView {
  const snap = parseSnapshot(row.lastStats);
  return {
    id: row.id,
    url: row.url,
    region: row.region,
    provider: row.provider,
    purge_token: 'set',
    state: row.state,
    failures: row.failures,
    last_check_at: row.lastCheckAt,
    last_error: row.lastError,
    counters: snap
      ? {
          requests: snap.requests,
          hits: snap.hits,
          misses: snap.misses,
          bytes_from_cache: snap.bytes_from_cache,
          bytes_from_origin: snap.bytes_from_origin,
          evictions: snap.evictions,
        }
      : null,
    hit_rate_1h: lastHour.requests > 0 ? lastHour.hits / lastHour.requests : null,
    requests_1h: lastHour.requests,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
