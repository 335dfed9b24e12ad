import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine } from '../test-support/temp-engine';
import { bucketOf, exactPercentile } from './histogram';
import { RES_HOUR, RES_MINUTE, type MetricEvent } from './metric-event';
import { pruneMetricEvents } from './prune-events';
import { activityBounds } from './activity-bounds';
import { seriesPoints, summarizeRange, topDims, type Summary } from './query-rollups';

let now = 0;
let engine: Awaited<ReturnType<typeof tempEngine>>;

beforeEach(async () => {
  engine = await tempEngine({}, { clock: () => now });
});
afterEach(async () => {
  await engine.cleanup();
});

// 2026-11-30 10:00:00 UTC: an hour boundary.
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

/** A deterministic pseudo-random stream (tests must be repeatable). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function seed(n: number, spanMs: number, seedNo: number): MetricEvent[] {
  const r = rng(seedNo);
  const events: MetricEvent[] = [];
  for (let i = 0; i < n; i++) {
    const status = r() < 0.05 ? 500 : r() < 0.2 ? 206 : 200;
    events.push({
      series: 'download',
      at: T0 - 90 * RES_MINUTE + Math.floor(r() * spanMs),
      // Durations over several decades, some below 1 ms, some zero.
      value: i % 97 === 0 ? 0 : Math.round(10 ** (r() * 4 - 1) * 1000) / 1000,
      bytes: Math.floor(r() * 1_000_000),
      status,
      ok: status === 200,
      error: status >= 500,
      dims: [`p:${1 + (i % 3)}`],
    });
  }
  return events;
}

/** What the rollups must equal: the same figures straight from the raw events of the minutes the range covers. */
function direct(events: MetricEvent[], from: number, to: number, dim = ''): Summary {
  const lo = Math.floor(from / RES_MINUTE) * RES_MINUTE;
  const hi = Math.ceil(to / RES_MINUTE) * RES_MINUTE;
  const inRange = events.filter((e) => e.at >= lo && e.at < hi && (dim === '' || e.dims?.includes(dim)));
  const values = inRange.map((e) => e.value!);
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    count: inRange.length,
    ok: inRange.filter((e) => e.ok).length,
    errors: inRange.filter((e) => e.error).length,
    bytes: inRange.reduce((a, e) => a + (e.bytes ?? 0), 0),
    sum,
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
    mean: values.length ? sum / values.length : null,
    p50: exactPercentile(values, 0.5),
    p95: exactPercentile(values, 0.95),
    p99: exactPercentile(values, 0.99),
  };
}

function expectSame(got: Summary, want: Summary) {
  expect({ count: got.count, ok: got.ok, errors: got.errors, bytes: got.bytes, min: got.min, max: got.max }).toEqual({
    count: want.count,
    ok: want.ok,
    errors: want.errors,
    bytes: want.bytes,
    min: want.min,
    max: want.max,
  });
  expect(got.sum).toBeCloseTo(want.sum, 6);
  if (want.mean === null) expect(got.mean).toBeNull();
  else expect(got.mean).toBeCloseTo(want.mean, 9);
  // Percentiles come from log buckets: the same bucket as the exact nearest-rank percentile.
  for (const p of ['p50', 'p95', 'p99'] as const) {
    if (want[p] === null) expect(got[p]).toBeNull();
    else expect(bucketOf(got[p]!), `${p}: ${got[p]} vs exact ${want[p]}`).toBe(bucketOf(want[p]!));
  }
}

const ingest = (events: MetricEvent[]) => {
  for (const e of events) engine.metrics.add(e);
  engine.metrics.flush();
};

describe('figures of any range come from rollups and equal a direct computation over the raw events', () => {
  const SPAN = 5 * RES_HOUR;
  const cases: { name: string; from: number; to: number; dim?: string }[] = [
    { name: 'one whole minute', from: T0, to: T0 + RES_MINUTE },
    { name: 'one whole hour (hour rollups only)', from: T0, to: T0 + RES_HOUR },
    { name: 'mid-minute edges round out to whole minutes', from: T0 + 15_000, to: T0 + 2 * RES_MINUTE + 1 },
    { name: 'minutes before and after whole hours', from: T0 - 37 * RES_MINUTE, to: T0 + 2 * RES_HOUR + 11 * RES_MINUTE },
    { name: 'across an hour boundary, less than an hour long', from: T0 - 10 * RES_MINUTE, to: T0 + 10 * RES_MINUTE },
    { name: 'the whole seeded span', from: T0 - 2 * RES_HOUR, to: T0 + 4 * RES_HOUR },
    { name: 'one package, across hours', from: T0 - 61 * RES_MINUTE, to: T0 + 3 * RES_HOUR + 1, dim: 'p:2' },
    { name: 'an empty range', from: T0 + 10 * RES_HOUR, to: T0 + 11 * RES_HOUR },
    { name: 'a range ending at its start', from: T0, to: T0 },
  ];

  it.each(cases)('$name', ({ from, to, dim }) => {
    const events = seed(3_000, SPAN, 7);
    ingest(events);
    expectSame(summarizeRange(engine, { series: 'download', dim, from, to }), direct(events, from, to, dim));
  });

  const DAY = 24 * RES_HOUR;
  it.each([
    { name: 'several days: whole days, hours and minutes at both edges', from: T0 - 25 * RES_MINUTE, to: T0 + 2 * DAY + 5 * RES_HOUR + 7 * RES_MINUTE },
    { name: 'exactly one UTC day', from: T0 - 10 * RES_HOUR + DAY, to: T0 - 10 * RES_HOUR + 2 * DAY },
    { name: 'one package across days', from: T0 + 13 * RES_MINUTE, to: T0 + 3 * DAY, dim: 'p:3' },
  ])('$name', ({ from, to, dim }) => {
    const events = seed(4_000, 3 * DAY, 23);
    ingest(events);
    expectSame(summarizeRange(engine, { series: 'download', dim, from, to }), direct(events, from, to, dim));
  });

  it('events of one minute written in several batches merge (count, min, max, histogram)', () => {
    const events = seed(600, RES_MINUTE, 11).map((e) => ({ ...e, at: T0 + (e.at % RES_MINUTE) }));
    for (let i = 0; i < events.length; i += 50) ingest(events.slice(i, i + 50));
    expectSame(summarizeRange(engine, { series: 'download', from: T0, to: T0 + RES_MINUTE }), direct(events, T0, T0 + RES_MINUTE));
  });

  it('stay answerable after the raw events are pruned', () => {
    const events = seed(2_000, SPAN, 3);
    ingest(events);
    const before = summarizeRange(engine, { series: 'download', from: T0 - 2 * RES_HOUR, to: T0 + 4 * RES_HOUR });
    now = T0 + 10 * RES_HOUR;
    expect(pruneMetricEvents(engine, RES_HOUR)).toBe(2_000);
    expect(engine.db.$client.prepare('SELECT count(*) AS n FROM metric_events').get()).toEqual({ n: 0 });
    expect(summarizeRange(engine, { series: 'download', from: T0 - 2 * RES_HOUR, to: T0 + 4 * RES_HOUR })).toEqual(before);
    expectSame(before, direct(events, T0 - 2 * RES_HOUR, T0 + 4 * RES_HOUR));
  });

  it('prunes only what is older than the retention', () => {
    ingest(seed(100, RES_HOUR, 5));
    now = T0;
    // Seeded events lie in [T0 - 90 min, T0 - 30 min): keep the last 60 minutes.
    const kept = engine.db.$client.prepare('SELECT count(*) AS n FROM metric_events WHERE at >= ?').get(T0 - RES_HOUR) as { n: number };
    pruneMetricEvents(engine, RES_HOUR);
    expect(engine.db.$client.prepare('SELECT count(*) AS n FROM metric_events').get()).toEqual(kept);
    expect(kept.n).toBeGreaterThan(0);
  });
});

describe('series points and top dims', () => {
  it('points per step sum to the range total; empty steps are zero', () => {
    const events = seed(1_000, 2 * RES_HOUR, 9);
    ingest(events);
    const from = T0 - 2 * RES_HOUR;
    const to = T0 + RES_HOUR;
    const points = seriesPoints(engine, { series: 'download', from, to, step: 5 * RES_MINUTE });
    expect(points).toHaveLength(36);
    expect(points.reduce((a, p) => a + p.count, 0)).toBe(direct(events, from, to).count);
    expect(points.at(-1)!.count).toBe(0);
    for (const p of points) expect(p.count).toBe(direct(events, p.t, p.t + 5 * RES_MINUTE).count);
    const hourly = seriesPoints(engine, { series: 'download', from, to, step: RES_HOUR });
    expect(hourly.map((p) => p.bytes)).toEqual([0, 1, 2].map((i) => direct(events, from + i * RES_HOUR, from + (i + 1) * RES_HOUR).bytes));
  });

  it('ranks dims of a prefix by a figure over the range', () => {
    const events = seed(900, 3 * RES_HOUR, 13);
    ingest(events);
    const from = T0 - 100 * RES_MINUTE;
    const to = T0 + 77 * RES_MINUTE;
    const top = topDims(engine, { series: 'download', prefix: 'p:', by: 'bytes', limit: 2, from, to });
    const want = ['p:1', 'p:2', 'p:3']
      .map((dim) => ({ dim, bytes: direct(events, from, to, dim).bytes }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 2);
    expect(top.map((t) => ({ dim: t.dim, bytes: t.bytes }))).toEqual(want);
  });

  it('finds the first and last minute with events of each dim, from hour then minute rollups', () => {
    const events = seed(600, 3 * 24 * RES_HOUR, 17);
    ingest(events);
    const ranges = [
      { from: T0 - 30 * RES_MINUTE, to: T0 + 2 * 24 * RES_HOUR + 3 * RES_HOUR + 5 * RES_MINUTE },
      { from: T0 - 100 * RES_MINUTE, to: T0 + 77 * RES_MINUTE },
      { from: T0 - 30 * RES_MINUTE, to: T0 + 10 * RES_MINUTE },
      { from: T0 - 2 * RES_HOUR, to: T0 + 3 * RES_HOUR },
    ];
    for (const range of ranges) {
      const got = activityBounds(engine, ['download'], ['p:1', 'p:2', 'p:9'], range);
      for (const dim of ['p:1', 'p:2']) {
        const lo = Math.floor(range.from / RES_MINUTE) * RES_MINUTE;
        const hi = Math.ceil(range.to / RES_MINUTE) * RES_MINUTE;
        const minutes = events.filter((e) => e.dims!.includes(dim) && e.at >= lo && e.at < hi).map((e) => Math.floor(e.at / RES_MINUTE) * RES_MINUTE);
        expect(got.get(dim)).toEqual({ first: Math.min(...minutes), last: Math.max(...minutes) });
      }
      expect(got.has('p:9')).toBe(false);
    }
  });
});
