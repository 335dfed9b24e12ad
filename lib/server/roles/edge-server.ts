import { createReadStream, openSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { EdgeCache, isCacheable, replayHeaders, type CacheFill, type EntryMeta, type FillLead } from '@/lib/engine/edge-cache';
import { reportError } from '@/lib/engine/observability/error-counter';
import { SECURITY_HEADERS } from '../security-headers';
import { applyIdleTimeout, serverOptions, serverTimeoutsFromEnv } from '../server-timeouts';
import { APP_VERSION } from '../version';
import { purge } from './edge/admin';
import { meter, sendError, sendJson, sendObject } from './edge/respond';
import { createUpstream, endToEnd, forwardHeaders } from './edge/upstream';
import { closeServer, listenOn } from './origin-api-server';
import type { EdgeOptions, RunningRole } from './role-types';

/** Only downloads of an exact version can be `public` without `no-cache` at the origin. */
const DOWNLOAD = /^\/api\/v1\/packages\/([^/]+)\/([^/]+)\/download$/;

/**
 * The cache key of a download request: the canonical path of the name and version it names, so
 * spellings of one object (percent-encoding) share an entry. A query string (the origin's
 * `?redirect=1`, or anything a client invents to bust the cache) passes through uncached: no
 * client can fill the cache with variants of one object or evict others with them.
 */
function cacheTarget(url: string, pathname: string): { key: string; name: string; version: string } | null {
  const m = DOWNLOAD.exec(pathname);
  if (!m || url.length !== pathname.length) return null;
  try {
    const [name, version] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    return { key: `/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/download`, name, version };
  } catch {
    return null;
  }
}

export type EdgeCounters = { requests: number; hits: number; misses: number; bytes_from_cache: number; bytes_from_origin: number };

/**
 * The edge role: a pull-through cache in front of an origin (or a mirror), its own node:http
 * server with no database. Downloads the origin marks `public` are cached on disk and served
 * from there (X-Cache: HIT); everything else under /api/v1 passes through with the client's
 * Authorization (X-Cache: MISS). See docs/ARCHITECTURE.md "Edge".
 */
export async function startEdgeServer(opts: EdgeOptions): Promise<RunningRole> {
  const cache = await EdgeCache.open({
    dir: path.join(opts.dataDir, 'cache'),
    maxBytes: opts.cacheSizeBytes,
    onFillError: (key, err) => reportError('edge.fill', err, { key }),
  });
  const upstream = createUpstream(opts.origin);
  const counters: EdgeCounters = { requests: 0, hits: 0, misses: 0, bytes_from_cache: 0, bytes_from_origin: 0 };
  const startedAt = Date.now();
  let active = 0;
  const fromCache = (n: number) => (counters.bytes_from_cache += n);
  const fromOrigin = (n: number) => (counters.bytes_from_origin += n);

  /** Relay an origin answer as it is (minus hop-by-hop headers), streaming. */
  function relay(req: http.IncomingMessage, up: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(up.statusCode ?? 502, { ...endToEnd(up.headers), 'x-cache': 'MISS' });
    pipeline(up, meter(fromOrigin), res, (err) => {
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') reportError('edge.relay', err, { url: req.url });
    });
  }

  async function passThrough(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let up: http.IncomingMessage;
    try {
      up = await upstream.request(req.method!, req.url!, forwardHeaders(req, { wholeObject: false }));
    } catch (err) {
      fromOrigin(unreachable(res, err));
      return;
    }
    relay(req, up, res);
  }

  function unreachable(res: http.ServerResponse, err: unknown): number {
    reportError('edge.origin', err, { origin: opts.origin });
    return sendError(res, 502, 'EDGE_ORIGIN_UNREACHABLE', `the origin ${opts.origin} did not answer: ${(err as Error).message}`);
  }

  const serveFill = (req: http.IncomingMessage, res: http.ServerResponse, fill: CacheFill) =>
    sendObject(req, res, { headers: fill.head.headers, size: fill.size, open: (s, e) => fill.reader(s, e) }, fromOrigin);

  /**
   * The first miss for a key: fetch the whole object. A cacheable answer becomes a fill that
   * this client (and any that joined) stream from; anything else goes back to this client only.
   */
  async function leadMiss(req: http.IncomingMessage, res: http.ServerResponse, lead: FillLead, name: string, version: string): Promise<void> {
    let up: http.IncomingMessage;
    try {
      up = await upstream.request('GET', req.url!, forwardHeaders(req, { wholeObject: true }));
    } catch (err) {
      lead.decline();
      fromOrigin(unreachable(res, err));
      return;
    }
    if (!isCacheable(up.statusCode ?? 0, up.headers['cache-control'])) {
      lead.decline();
      const own = ['range', 'if-range', 'if-none-match', 'if-modified-since'].some((h) => req.headers[h] !== undefined);
      if (!own) return relay(req, up, res);
      // The client's own Range or validators apply: ask again with them.
      up.destroy();
      return passThrough(req, res);
    }
    const length = Number(up.headers['content-length']);
    const headers = replayHeaders(up.headers);
    let fill: CacheFill;
    try {
      fill = await lead.begin({ name, version: headers['x-torsh-version'] ?? version, size: Number.isSafeInteger(length) && length >= 0 ? length : null, headers }, up);
    } catch (err) {
      up.destroy();
      reportError('edge.fill', err, { url: req.url });
      fromOrigin(sendError(res, 500, 'INTERNAL', 'the edge could not open a cache file; the server log has details'));
      return;
    }
    serveFill(req, res, fill);
  }

  /**
   * A stored entry. Its file is opened synchronously, in the tick of the lookup: an entry in the
   * index has its file, and an eviction or purge removes it only later (the descriptor keeps the bytes).
   */
  function serveHit(req: http.IncomingMessage, res: http.ServerResponse, hit: { meta: EntryMeta; path: string }): void {
    counters.hits++;
    res.setHeader('x-cache', 'HIT');
    const open = (start: number, end: number | null) => createReadStream(hit.path, { fd: openSync(hit.path, 'r'), start, end: end ?? undefined, highWaterMark: 1 << 20 });
    sendObject(req, res, { headers: hit.meta.headers, size: hit.meta.size, open }, fromCache);
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    counters.requests++;
    const target = cacheTarget(req.url!, pathname);
    if (target && req.method === 'HEAD') {
      const hit = cache.lookup(target.key);
      if (hit) return serveHit(req, res, hit);
    }
    if (!target || req.method !== 'GET') {
      counters.misses++;
      return passThrough(req, res);
    }
    const got = cache.acquire(target.key);
    if (got.kind === 'hit') return serveHit(req, res, got);
    counters.misses++;
    if (got.kind === 'wait') {
      const fill = await got.fill;
      return fill ? serveFill(req, res, fill) : passThrough(req, res);
    }
    return leadMiss(req, res, got.lead, target.name, target.version);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (pathname === '/api/v1/health' && read) {
      await cache.flushed();
      const { entries, bytes, max_bytes } = cache.counts();
      sendJson(res, 200, { status: 'ok', role: 'edge', version: APP_VERSION, origin: opts.origin, cache: { entries, bytes, max_bytes }, load: { active_requests: active } });
      return;
    }
    if (pathname === '/api/v1/cache/stats' && read) {
      await cache.flushed();
      const { entries, bytes, max_bytes, evictions } = cache.counts();
      sendJson(res, 200, { ...counters, evictions, entries, bytes, max_bytes, started_at: startedAt });
      return;
    }
    if (pathname === '/api/v1/cache/purge') {
      if (req.method === 'POST') return purge(req, res, cache, opts.purgeToken);
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`, { allow: 'POST' });
      return;
    }
    if (pathname !== '/api/v1' && !pathname.startsWith('/api/v1/')) {
      sendError(res, 404, 'ROUTE_NOT_FOUND', 'this is an edge cache (torsh serve --role edge): it serves /api/v1 only');
      return;
    }
    if (!read) {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `an edge cache is read-only: ${req.method} is not allowed`, { allow: 'GET, HEAD', connection: 'close' });
      return;
    }
    return proxy(req, res, pathname);
  }

  const timeouts = serverTimeoutsFromEnv();
  const server = http.createServer(serverOptions(timeouts), (req, res) => {
    active++;
    res.once('close', () => active--);
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    res.setHeader('x-cache', 'MISS');
    handle(req, res).catch((err) => {
      reportError('edge.request', err, { method: req.method, url: req.url });
      sendError(res, 500, 'INTERNAL', 'internal error; the server log has details');
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  applyIdleTimeout(server, timeouts);
  const { url, port } = await listenOn(server, opts.port, opts.host);
  return {
    url,
    port,
    async close() {
      await closeServer(server);
      upstream.close();
      await cache.idle();
    },
  };
}
