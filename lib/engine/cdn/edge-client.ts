import { AppError } from '../errors';

/** How long a probe, a stats read or a purge may take before the edge counts as not answering. */
export const EDGE_TIMEOUT_MS = 5_000;

/** The counters an edge answers at GET /api/v1/cache/stats (cumulative since it started). */
export type EdgeStats = {
  requests: number;
  hits: number;
  misses: number;
  bytes_from_cache: number;
  bytes_from_origin: number;
  evictions: number;
  entries: number;
  bytes: number;
  max_bytes: number;
  started_at: number | string | null;
};

/** What a purge names: one version, one package, or everything. */
export type PurgeTarget = { name: string; version?: string } | { all: true };

export type PurgeResult = { purged: number; bytes: number };

/** An edge URL as stored: http(s), no trailing slash, no query or fragment. */
export function normalizeEdgeUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new AppError('INVALID_INPUT', `"${raw}" is not a URL (e.g. http://edge-eu.example:8081)`, { field: 'url' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('INVALID_INPUT', 'edge URLs are http:// or https://', { field: 'url' });
  if (u.username || u.password) throw new AppError('INVALID_INPUT', 'an edge URL carries no user or password (the purge token is its own field)', { field: 'url' });
  if (u.search || u.hash) throw new AppError('INVALID_INPUT', 'an edge URL has no query or fragment', { field: 'url' });
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The words for a fetch that got no HTTP answer (refused, DNS, timeout…). */
function reasonOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${EDGE_TIMEOUT_MS / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** A failed exchange with an edge: `status` null when no HTTP answer came at all. */
export class EdgeRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'EdgeRequestError';
  }
}

async function request(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const timeout = AbortSignal.timeout(EDGE_TIMEOUT_MS);
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (err) {
    throw new EdgeRequestError(`${url}: ${reasonOf(err)}`, null);
  }
}

async function readJson(res: Response, url: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new EdgeRequestError(`${url} answered HTTP ${res.status} with a body that is not JSON`, res.status);
  }
}

/** GET /api/v1/health: the parsed answer, whatever role it claims (the caller checks). */
export async function fetchEdgeHealth(base: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const url = `${base}/api/v1/health`;
  const res = await request(url, { headers: { accept: 'application/json' } }, signal);
  if (!res.ok) {
    await res.body?.cancel();
    throw new EdgeRequestError(`${url} answered HTTP ${res.status}`, res.status);
  }
  const body = await readJson(res, url);
  if (!body || typeof body !== 'object') throw new EdgeRequestError(`${url} did not answer a JSON object`, res.status);
  return body as Record<string, unknown>;
}

const COUNTERS = ['requests', 'hits', 'misses', 'bytes_from_cache', 'bytes_from_origin', 'evictions'] as const;

/** GET /api/v1/cache/stats, checked: every counter a finite number ≥ 0. */
export async function fetchEdgeStats(base: string, signal?: AbortSignal): Promise<EdgeStats> {
  const url = `${base}/api/v1/cache/stats`;
  const res = await request(url, { headers: { accept: 'application/json' } }, signal);
  if (!res.ok) {
    await res.body?.cancel();
    throw new EdgeRequestError(`${url} answered HTTP ${res.status}`, res.status);
  }
  const body = (await readJson(res, url)) as Record<string, unknown>;
  for (const k of COUNTERS) {
    const v = body?.[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new EdgeRequestError(`${url}: "${k}" is not a counter`, res.status);
  }
  const num = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : 0);
  return {
    requests: num('requests'),
    hits: num('hits'),
    misses: num('misses'),
    bytes_from_cache: num('bytes_from_cache'),
    bytes_from_origin: num('bytes_from_origin'),
    evictions: num('evictions'),
    entries: num('entries'),
    bytes: num('bytes'),
    max_bytes: num('max_bytes'),
    started_at: typeof body.started_at === 'number' || typeof body.started_at === 'string' ? body.started_at : null,
  };
}

/** POST /api/v1/cache/purge with the edge's token (sent in this header only, never logged). */
export async function postEdgePurge(base: string, token: string, target: PurgeTarget, signal?: AbortSignal): Promise<PurgeResult> {
  const url = `${base}/api/v1/cache/purge`;
  const res = await request(
    url,
    { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(target) },
    signal,
  );
  if (!res.ok) {
    const body = (await readJson(res, url).catch(() => null)) as { error?: { message?: string } } | null;
    const why = body?.error?.message ? `: ${body.error.message}` : '';
    throw new EdgeRequestError(`${url} answered HTTP ${res.status}${why}`, res.status);
  }
  const body = (await readJson(res, url)) as Partial<PurgeResult>;
  return { purged: Number(body.purged ?? 0), bytes: Number(body.bytes ?? 0) };
}
