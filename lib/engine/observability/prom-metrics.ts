import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Engine } from '../engine';
import { SERIES, type MetricEvent } from '../metrics/metric-event';
import type { MetricsWriter } from '../metrics/metrics-writer';
import { promRegistry, reportError } from './error-counter';
import { DB_GAUGES } from './prom-gauges';

const registers = [promRegistry];

// Seconds; 2 s is a bucket edge so "p95 download time above 2 s" is exact.
const TRANSFER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const downloads = new Counter({ name: 'torsh_downloads_total', help: 'Download responses by HTTP status (200 full, 206 range, 304, 416)', labelNames: ['status'] as const, registers });
const downloadBytes = new Counter({ name: 'torsh_download_bytes_total', help: 'Package bytes sent by downloads', registers });
const downloadDuration = new Histogram({ name: 'torsh_download_duration_seconds', help: 'Time from request to the last byte of a download', buckets: TRANSFER_BUCKETS, registers });
const publishes = new Counter({ name: 'torsh_publishes_total', help: 'Publish attempts by result (ok, refused: a 4xx, error: a server failure)', labelNames: ['result'] as const, registers });
const publishDuration = new Histogram({ name: 'torsh_publish_duration_seconds', help: 'Time to receive, check and store a published package', buckets: TRANSFER_BUCKETS, registers });
const httpRequests = new Counter({
  name: 'torsh_http_requests_total',
  help: 'API requests by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  registers,
});
const httpDuration = new Histogram({
  name: 'torsh_http_request_duration_seconds',
  help: 'API request time by route pattern and method',
  labelNames: ['route', 'method'] as const,
  buckets: REQUEST_BUCKETS,
  registers,
});
const jobRuns = new Counter({ name: 'torsh_job_runs_total', help: 'Job runs by kind and result (succeeded, failed)', labelNames: ['kind', 'result'] as const, registers });

/**
 * Labelled children, looked up once per label set: prom-client hashes the label object on every
 * inc/observe otherwise, which measured as most of the cost of recording an event. The label sets
 * are bounded (statuses, route patterns, job kinds).
 */
const children = new Map<string, { inc(n?: number): void; observe(v: number): void }>();
function child(key: string, make: () => { inc?(n?: number): void; observe?(v: number): void }) {
  let c = children.get(key);
  if (!c) children.set(key, (c = make() as { inc(n?: number): void; observe(v: number): void }));
  return c;
}

function dim(ev: MetricEvent, prefix: string): string | undefined {
  return ev.dims?.find((d) => d.startsWith(prefix))?.slice(prefix.length);
}

function observe(ev: MetricEvent): void {
  const seconds = ev.value !== null && Number.isFinite(ev.value) ? ev.value / 1000 : null;
  switch (ev.series) {
    case SERIES.download:
      child(`d ${ev.status}`, () => downloads.labels(String(ev.status ?? 0))).inc();
      downloadBytes.inc(ev.bytes ?? 0);
      if (seconds !== null) downloadDuration.observe(seconds);
      return;
    case SERIES.publish:
      publishes.inc({ result: ev.ok ? 'ok' : ev.error ? 'error' : 'refused' });
      if (seconds !== null) publishDuration.observe(seconds);
      return;
    case SERIES.api: {
      // 'route:GET /api/v1/packages/:name': the route table's pattern, never the raw path.
      const [method, route] = (dim(ev, 'route:') ?? '? (unknown)').split(' ', 2);
      child(`r ${method} ${route} ${ev.status}`, () => httpRequests.labels(route, method, String(ev.status ?? 0))).inc();
      if (seconds !== null) child(`h ${method} ${route}`, () => httpDuration.labels(route, method)).observe(seconds);
      return;
    }
    case SERIES.job:
      jobRuns.inc({ kind: dim(ev, 'kind:') ?? 'unknown', result: ev.ok ? 'succeeded' : 'failed' });
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
