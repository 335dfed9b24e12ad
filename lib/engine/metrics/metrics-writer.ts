import type { Db } from '@/db';
import { addEncoded, emptyHistogram, encodeHistogram, mergeHistograms, slotOf, type Histogram } from './histogram';
import { RES_DAY, RES_HOUR, RES_MINUTE, RES_TOTAL, type MetricEvent } from './metric-event';

export type MetricsWriter = {
  /** Queue one event; it is written (raw row and rollups) with the next batch. */
  add(ev: MetricEvent): void;
  /** Write every queued event and its rollups in one transaction. */
  flush(): void;
  /** Figures of queued, not yet written events of one series and dim, so a read right after sees them. */
  pending(series: string, dim: string): { count: number; ok: number; bytes: number };
  /** Called synchronously for every event added (the Prometheus counters listen here). */
  onEvent(listener: (ev: MetricEvent) => void): () => void;
  /** What recording has cost so far: events written, batches, ms in write transactions, ms in add() (listeners included). */
  stats(): { events: number; batches: number; writeMs: number; addMs: number };
};

export type Agg = {
  count: number;
  ok: number;
  errors: number;
  bytes: number;
  vsum: number;
  vmin: number | null;
  vmax: number | null;
  hist: Histogram;
};

const FLUSH_AFTER_MS = 250;
const MAX_QUEUED = 2_000;

export function emptyAgg(): Agg {
  return { count: 0, ok: 0, errors: 0, bytes: 0, vsum: 0, vmin: null, vmax: null, hist: emptyHistogram() };
}

/** `histSlot`: the value's histogram slot, computed once per event (not once per rollup it joins). */
export function addEvent(a: Agg, ev: MetricEvent, histSlot = histogramSlot(ev)): void {
  a.count++;
  if (ev.ok) a.ok++;
  if (ev.error) a.errors++;
  a.bytes += ev.bytes ?? 0;
  if (histSlot !== null) {
    const v = ev.value!;
    a.vsum += v;
    a.vmin = a.vmin === null || v < a.vmin ? v : a.vmin;
    a.vmax = a.vmax === null || v > a.vmax ? v : a.vmax;
    a.hist[histSlot]++;
  }
}

function histogramSlot(ev: MetricEvent): number | null {
  return ev.value !== null && Number.isFinite(ev.value) ? slotOf(ev.value) : null;
}

/** A stored rollup row's figures, its histogram in stored form (binary, or '{}' / null for none). */
export type StoredRollup = Omit<Agg, 'hist'> & { hist: Buffer | string | null };

/** Add a stored row into an aggregate, decoding its histogram straight into the aggregate's. */
export function addStored(into: Agg, r: StoredRollup): Agg {
  into.count += r.count;
  into.ok += r.ok;
  into.errors += r.errors;
  into.bytes += r.bytes;
  into.vsum += r.vsum;
  if (r.vmin !== null) into.vmin = into.vmin === null ? r.vmin : Math.min(into.vmin, r.vmin);
  if (r.vmax !== null) into.vmax = into.vmax === null ? r.vmax : Math.max(into.vmax, r.vmax);
  addEncoded(into.hist, r.hist);
  return into;
}

export function mergeAgg(into: Agg, from: Agg): Agg {
  into.count += from.count;
  into.ok += from.ok;
  into.errors += from.errors;
  into.bytes += from.bytes;
  into.vsum += from.vsum;
  if (from.vmin !== null) into.vmin = into.vmin === null ? from.vmin : Math.min(into.vmin, from.vmin);
  if (from.vmax !== null) into.vmax = into.vmax === null ? from.vmax : Math.max(into.vmax, from.vmax);
  mergeHistograms(into.hist, from.hist);
  return into;
}

function dimsOf(ev: MetricEvent): string[] {
  return ['', ...(ev.dims ?? []).filter((d) => d !== '')];
}

/**
 * Metric events are written behind the work they measure, in batches: one transaction per batch
 * inserts the raw rows and folds them into the minute, hour and all-time rollups (read, merge,
 * write per touched rollup row). At most FLUSH_AFTER_MS of events is lost if the process dies.
 */
export function createMetricsWriter(db: Db): MetricsWriter {
  let queue: MetricEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  const totals = { events: 0, batches: 0, writeMs: 0, addMs: 0 };
  const listeners = new Set<(ev: MetricEvent) => void>();
  const sqlite = db.$client;
  const insertEvent = sqlite.prepare(
    'INSERT INTO metric_events (series, at, value, bytes, status, ok, error, dims, client, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const readRollup = sqlite.prepare(
    'SELECT count, ok, errors, bytes, vsum, vmin, vmax, hist FROM metric_rollups WHERE series = ? AND dim = ? AND res = ? AND bucket = ?',
  );
  const writeRollup = sqlite.prepare(
    `INSERT OR REPLACE INTO metric_rollups (series, dim, res, bucket, count, ok, errors, bytes, vsum, vmin, vmax, hist)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  type Entry = { series: string; dim: string; res: number; bucket: number; agg: Agg };
  const entryOf = (aggs: Map<string, Entry>, series: string, dim: string, res: number, bucket: number): Entry => {
    const key = `${series}\u0000${dim}\u0000${res}\u0000${bucket}`;
    let entry = aggs.get(key);
    if (!entry) aggs.set(key, (entry = { series, dim, res, bucket, agg: emptyAgg() }));
    return entry;
  };

  const write = sqlite.transaction((batch: MetricEvent[]) => {
    // Each event joins the minute rollups of its dims; the hour, day and all-time rollups are then
    // folded from those (a batch spans few minutes, so this is far less work than per event).
    const minutes = new Map<string, Entry>();
    for (const ev of batch) {
      const dims = dimsOf(ev);
      insertEvent.run(ev.series, ev.at, ev.value, ev.bytes ?? 0, ev.status ?? null, ev.ok ? 1 : 0, ev.error ? 1 : 0, dims.slice(1).join(' '), ev.client ?? null, ev.detail ? JSON.stringify(ev.detail) : null);
      const bucket = Math.floor(ev.at / RES_MINUTE) * RES_MINUTE;
      const histSlot = histogramSlot(ev);
      for (const dim of dims) addEvent(entryOf(minutes, ev.series, dim, RES_MINUTE, bucket).agg, ev, histSlot);
    }
    const aggs = new Map(minutes);
    for (const m of minutes.values()) {
      mergeAgg(entryOf(aggs, m.series, m.dim, RES_HOUR, Math.floor(m.bucket / RES_HOUR) * RES_HOUR).agg, m.agg);
      mergeAgg(entryOf(aggs, m.series, m.dim, RES_DAY, Math.floor(m.bucket / RES_DAY) * RES_DAY).agg, m.agg);
      mergeAgg(entryOf(aggs, m.series, m.dim, RES_TOTAL, 0).agg, m.agg);
    }
    for (const { series, dim, res, bucket, agg } of aggs.values()) {
      const old = readRollup.get(series, dim, res, bucket) as StoredRollup | undefined;
      const merged = old ? addStored(agg, old) : agg;
      writeRollup.run(series, dim, res, bucket, merged.count, merged.ok, merged.errors, merged.bytes, merged.vsum, merged.vmin, merged.vmax, encodeHistogram(merged.hist));
    }
  });

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const started = performance.now();
    // IMMEDIATE: take the write lock first (waiting up to busy_timeout) rather than fail to upgrade a read when another process writes too.
    write.immediate(batch);
    totals.writeMs += performance.now() - started;
    totals.events += batch.length;
    totals.batches++;
  };

  return {
    add(ev) {
      const started = performance.now();
      queue.push(ev);
      for (const l of listeners) l(ev);
      timer ??= setTimeout(flush, FLUSH_AFTER_MS).unref();
      totals.addMs += performance.now() - started;
      if (queue.length >= MAX_QUEUED) flush();
    },
    flush,
    pending(series, dim) {
      const p = { count: 0, ok: 0, bytes: 0 };
      for (const ev of queue) {
        if (ev.series !== series || (dim !== '' && !ev.dims?.includes(dim))) continue;
        p.count++;
        if (ev.ok) p.ok++;
        p.bytes += ev.bytes ?? 0;
      }
      return p;
    },
    stats: () => ({ ...totals }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
