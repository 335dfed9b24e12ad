import { describe, expect, it } from 'vitest';
import { statsDelta, type EdgeSnapshot } from './stats-delta';

const snap = (requests: number, hits: number, bytesCache: number, startedAt: number | string | null = 1): EdgeSnapshot => ({
  requests,
  hits,
  misses: requests - hits,
  bytes_from_cache: bytesCache,
  bytes_from_origin: 0,
  evictions: 0,
  started_at: startedAt,
});

describe('statsDelta', () => {
  it.each([
    { why: 'first reading is a baseline', prev: null, next: snap(10, 5, 100), want: null },
    { why: 'counters grew', prev: snap(10, 5, 100), next: snap(15, 9, 180), want: { requests: 5, hits: 4, misses: 1, bytes_from_cache: 80, restarted: false } },
    { why: 'no traffic', prev: snap(10, 5, 100), next: snap(10, 5, 100), want: { requests: 0, hits: 0, misses: 0, bytes_from_cache: 0, restarted: false } },
    { why: 'a counter went down: restarted, delta is the new value', prev: snap(10, 5, 100), next: snap(3, 1, 40), want: { requests: 3, hits: 1, misses: 2, bytes_from_cache: 40, restarted: true } },
    { why: 'new started_at with higher counters: restarted', prev: snap(10, 5, 100, 1), next: snap(12, 6, 120, 2), want: { requests: 12, hits: 6, misses: 6, bytes_from_cache: 120, restarted: true } },
    { why: 'started_at as a string, unchanged', prev: snap(1, 1, 1, '2026-11-30T12:00:00Z'), next: snap(2, 2, 2, '2026-11-30T12:00:00Z'), want: { requests: 1, hits: 1, misses: 0, bytes_from_cache: 1, restarted: false } },
    { why: 'no started_at: only a drop tells a restart', prev: snap(10, 5, 100, null), next: snap(11, 5, 100, null), want: { requests: 1, hits: 0, misses: 1, bytes_from_cache: 0, restarted: false } },
    { why: 'restart to exactly zero', prev: snap(10, 5, 100), next: snap(0, 0, 0), want: { requests: 0, hits: 0, misses: 0, bytes_from_cache: 0, restarted: true } },
  ])('$why', ({ prev, next, want }) => {
    const got = statsDelta(prev, next);
    if (want === null) return expect(got).toBeNull();
    const { restarted, ...counters } = want;
    expect(got?.restarted).toBe(restarted);
    expect(got?.deltas).toMatchObject(counters);
  });
});
