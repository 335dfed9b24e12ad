import type http from 'node:http';
import { pipeline, Transform, type Readable } from 'node:stream';
import { reportError } from '@/lib/engine/observability/error-counter';
import { etagMatches, parseRange } from '@/lib/server/http-range';

/** Counts body bytes as they go to the client. */
export function meter(count: (n: number) => void): Transform {
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      count(chunk.length);
      done(null, chunk);
    },
  });
}

/** A JSON answer; returns its body size for the counters. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): number {
  const text = JSON.stringify(body);
  const length = Buffer.byteLength(text);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': length, 'cache-control': 'no-store', ...headers });
  res.end(text);
  return length;
}

export function sendError(res: http.ServerResponse, status: number, code: string, message: string, headers: http.OutgoingHttpHeaders = {}): number {
  if (res.headersSent) {
    res.destroy();
    return 0;
  }
  return sendJson(res, status, { error: { code, message } }, headers);
}

export type CachedObject = {
  /** The origin's replayable headers (lower-case names). */
  headers: Record<string, string>;
  /** Null while unknown (an origin answer without Content-Length still arriving): no Range then. */
  size: number | null;
  open(start: number, end: number | null): Readable;
};

/**
 * Answer a GET or HEAD from a cached object or a fill in progress: If-None-Match → 304,
 * Range → 206 / 416 (If-Range with another validator → the whole object), else 200.
 */
export function sendObject(req: http.IncomingMessage, res: http.ServerResponse, obj: CachedObject, count: (n: number) => void): void {
  const etag = obj.headers.etag;
  const headers: http.OutgoingHttpHeaders = { ...obj.headers, 'accept-ranges': 'bytes' };
  if (etag && etagMatches(req.headers['if-none-match'] ?? null, etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const ifRange = req.headers['if-range'];
  const rangeHeader = (ifRange && ifRange !== etag) || obj.size === null ? null : (req.headers.range ?? null);
  const range = obj.size === null ? ({ kind: 'none' } as const) : parseRange(rangeHeader, obj.size);
  if (range.kind === 'unsatisfiable') {
    count(sendError(res, 416, 'RANGE_NOT_SATISFIABLE', `the range is outside the ${obj.size}-byte object`, { 'content-range': `bytes */${obj.size}` }));
    return;
  }
  const start = range.kind === 'range' ? range.range.start : 0;
  const end = range.kind === 'range' ? range.range.end : null;
  if (range.kind === 'range') headers['content-range'] = `bytes ${start}-${end}/${obj.size}`;
  if (obj.size !== null) headers['content-length'] = end !== null ? end - start + 1 : obj.size;
  res.writeHead(range.kind === 'range' ? 206 : 200, headers);
  if (req.method === 'HEAD' || obj.size === 0) {
    res.end();
    return;
  }
  // Counted from the source's own 'data' events rather than through a Transform: one stream hop
  // less on the hit path (measured: see bench/RESULTS.md, Distribution).
  const body = obj.open(start, end);
  body.on('data', (chunk: Buffer) => count(chunk.length));
  pipeline(body, res, (err) => {
    // A client hanging up is not an error; a failed fill or a read error is.
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') reportError('edge.stream', err, { url: req.url });
  });
}
