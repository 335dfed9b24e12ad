import { Gauge, collectDefaultMetrics } from 'prom-client';
import type { Engine } from '../engine';
import { SERIES, type MetricEvent } from '../metrics/metric-event';
import type { MetricsWriter } from '../metrics/metrics-writer';
import { promRegistry, reportError } from './error-counter';
import { CounterFamily, HistogramFamily } from './prom-families';
import { DB_GAUGES } from './prom-gauges';

const registers = [promRegistry];

// Seconds; 2 s is a bucket edge so "p95 download time above 2 s" is exact.
const TRANSFER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const NONE = () => ({});
// Cell keys are the label values joined by spaces (a route pattern holds no space; its method is
// the dim's first word), so labels are derived from the key when a cell is created.
const byStatus = (k: string) => ({ status: k });
const byResult = (k: string) => ({ result: k });
const byRoute = (k: string) => {
  const [method, route] = k.split(' ', 2);
  return { route, method };
};
const byRouteStatus = (k: string) => {
  const [method, route, status] = k.split(' ', 3);
  return { route, method, status };
};
const byKindResult = (k: string) => {
  const i = k.lastIndexOf(' ');
  return { kind: k.slice(0, i), result: k.slice(i + 1) };
};

const downloads = new CounterFamily('torsh_downloads_total', 'Download responses by HTTP status (200 full, 206 range, 304, 416)', promRegistry);
const downloadBytes = new CounterFamily('torsh_download_bytes_total', 'Package bytes sent by downloads', promRegistry);
const downloadDuration = new HistogramFamily('torsh_download_duration_seconds', 'Time from request to the last byte of a download', TRANSFER_BUCKETS, promRegistry);
const publishes = new CounterFamily('torsh_publishes_total', 'Publish attempts by result (ok, refused: a 4xx, error: a server failure)', promRegistry);
const publishDuration = new HistogramFamily('torsh_publish_duration_seconds', 'Time to receive, check and store a published package', TRANSFER_BUCKETS, promRegistry);
const httpRequests = new CounterFamily('torsh_http_requests_total', 'API requests by route pattern, method and status', promRegistry);
const httpDuration = new HistogramFamily('torsh_http_request_duration_seconds', 'API request time by route pattern and method', REQUEST_BUCKETS, promRegistry);
const jobRuns = new CounterFamily('torsh_job_runs_total', 'Job runs by kind and result (succeeded, failed)', promRegistry);

function dimValue(ev: MetricEvent, prefix: string): string | undefined {
  return ev.dims?.find((d) => d.startsWith(prefix))?.slice(prefix.length);
}

/** One event into the families: cells found by cheap keys, labels built only for a new cell. */
function observe(ev: MetricEvent): void {
  const seconds = ev.value !== null && Number.isFinite(ev.value) ? ev.value / 1000 : null;
  switch (ev.series) {
    case SERIES.download:
      downloads.inc(String(ev.status ?? 0), byStatus);
      downloadBytes.inc('', NONE, ev.bytes ?? 0);
      if (seconds !== null) downloadDuration.observe('', NONE, seconds);
      return;
    case SERIES.publish:
      publishes.inc(ev.ok ? 'ok' : ev.error ? 'error' : 'refused', byResult);
      if (seconds !== null) publishDuration.observe('', NONE, seconds);
      return;
    case SERIES.api: {
      // 'route:GET /api/v1/packages/:name': the route table's pattern, never the raw path.
      const route = dimValue(ev, 'route:') ?? '? (unknown)';
      httpRequests.inc(`${route} ${ev.status ?? 0}`, byRouteStatus);
      if (seconds !== null) httpDuration.observe(route, byRoute, seconds);
      return;
    }
    case SERIES.job:
      jobRuns.inc(`${dimValue(ev, 'kind:') ?? 'unknown'} ${ev.ok ? 'succeeded' : 'failed'}`, byKindResult);
      return;
  }
}

/** The engine the gauges read at scrape time: the last one registered (the process engine). */
let gaugeEngine: Engine | null = null;

for (const spec of DB_GAUGES) {
  new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers,
    collect() {
      this.reset(); // a failed read exports nothing rather than a stale figure
      if (!gaugeEngine) return;
      try {
        const reading = spec.read(gaugeEngine);
        if (typeof reading === 'number') this.set(reading);
        else for (const s of reading) this.set(s.labels, s.value);
      } catch (err) {
        reportError('metrics.gauge', err, { gauge: spec.name });
      }
    },
  });
}

let processMetrics = false;

/** prom-client's process metrics (CPU, memory, event-loop lag, GC), started once per process. */
function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: promRegistry, prefix: 'torsh_' });
  // Gauges named *_total (promtool's lint refuses them); the same figures exist without the suffix.
  for (const name of ['torsh_nodejs_active_handles_total', 'torsh_nodejs_active_requests_total', 'torsh_nodejs_active_resources_total']) {
    promRegistry.removeSingleMetric(name);
  }
}

const attached = new WeakSet<MetricsWriter>();

/**
 * Feed the Prometheus counters and histograms from the engine's metric events (one listener per
 * metrics writer, however often this is called) and read the gauges from its database.
 */
export function registerPromMetrics(engine: Engine): void {
  collectProcessMetrics();
  gaugeEngine = engine;
  if (attached.has(engine.metrics)) return;
  attached.add(engine.metrics);
  engine.metrics.onEvent((ev) => {
    try {
      observe(ev);
    } catch (err) {
      reportError('metrics.prom', err);
    }
  });
}
