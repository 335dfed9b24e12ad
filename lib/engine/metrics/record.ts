import type { Engine } from '../engine';
import { SERIES } from './metric-event';

/** One download response (full, range, 304 or 416), recorded when its body ended. */
export type DownloadMeasure = {
  packageId: number;
  versionId: number;
  userId: number | null;
  status: number;
  bytesSent: number;
  durationMs: number;
  isRange: boolean;
  completed: boolean;
  region: string | null;
  clientAddr: string | null;
  /** The file of the package that was downloaded (Hugging Face Hub route), kept in the event's detail. */
  file?: string;
};

export function recordDownloadEvent(engine: Engine, m: DownloadMeasure): void {
  const dims = [`p:${m.packageId}`, `v:${m.versionId}`];
  if (m.userId !== null) dims.push(`u:${m.userId}`);
  if (m.region) dims.push(`r:${m.region}`);
  engine.metrics.add({
    series: SERIES.download,
    at: engine.now(),
    value: m.durationMs,
    bytes: m.bytesSent,
    status: m.status,
    ok: m.status === 200,
    error: m.status >= 500,
    dims,
    client: m.clientAddr,
    // Most downloads are whole and complete: only the others carry a detail (smaller rows, faster inserts).
    detail:
      m.isRange || !m.completed || m.file !== undefined
        ? { range: m.isRange, completed: m.completed, ...(m.file !== undefined ? { file: m.file } : {}) }
        : undefined,
  });
}

/** One publish attempt: `errorCode` null when it succeeded; refusals (4xx codes) are not errors of the registry. */
export function recordPublishEvent(
  engine: Engine,
  m: { packageId: number | null; userId: number | null; bytes: number; durationMs: number; errorCode: string | null; via: string },
): void {
  const dims: string[] = [`via:${m.via}`];
  if (m.packageId !== null) dims.push(`p:${m.packageId}`);
  if (m.userId !== null) dims.push(`u:${m.userId}`);
  const serverError = m.errorCode === 'INTERNAL' || m.errorCode === 'INSUFFICIENT_STORAGE';
  engine.metrics.add({
    series: SERIES.publish,
    at: engine.now(),
    value: m.durationMs,
    bytes: m.bytes,
    status: null,
    ok: m.errorCode === null,
    error: serverError,
    dims,
    detail: m.errorCode ? { code: m.errorCode } : undefined,
  });
}

export function recordUploadEvent(engine: Engine, m: { userId: number | null; bytes: number; durationMs: number; status: number }): void {
  const dims = m.userId !== null ? [`u:${m.userId}`] : [];
  engine.metrics.add({ series: SERIES.upload, at: engine.now(), value: m.durationMs, bytes: m.bytes, status: m.status, ok: m.status < 400, error: m.status >= 500, dims });
}

/** One /api/v1 answer; `route` is the route table's pattern (never the raw path: bounded cardinality). */
export function recordApiEvent(engine: Engine, m: { method: string; route: string; status: number; durationMs: number; bytes: number }): void {
  engine.metrics.add({
    series: SERIES.api,
    at: engine.now(),
    value: m.durationMs,
    bytes: m.bytes,
    status: m.status,
    ok: m.status < 400,
    error: m.status >= 500,
    dims: [`route:${m.method} ${m.route}`],
  });
}

export function recordJobEvent(engine: Engine, m: { kind: string; ok: boolean; durationMs: number }): void {
  engine.metrics.add({ series: SERIES.job, at: engine.now(), value: m.durationMs, ok: m.ok, error: !m.ok, dims: [`kind:${m.kind}`] });
}

/** A gauge reading (storage used, job backlog…): the series' rollups keep its min, max and mean. */
export function recordGauge(engine: Engine, series: string, value: number, dims: string[] = []): void {
  engine.metrics.add({ series, at: engine.now(), value, ok: true, error: false, dims });
}
