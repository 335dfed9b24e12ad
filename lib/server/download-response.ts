import { pipeline } from 'node:stream';
import type { Engine } from '@/lib/engine/engine';
import { openDownload, recordDownload, type DownloadEvent, type DownloadTarget } from '@/lib/engine/registry';
import { reportError } from '@/lib/engine/observability/error-counter';
import { meter } from './byte-meter';
import { etagMatches, parseRange } from './http-range';
import { streamResponse } from './node-streams';

type Meta = {
  clientAddr: string | null;
  userId?: number | null;
  region?: string | null;
  /** How the request named the version: an exact version, or `latest` / a channel, which move. */
  ref?: string;
};

/**
 * Only public packages may sit in shared caches (nginx, CDNs, edges); others are per-user. A
 * public package asked for by a name that moves (`latest`, a channel) may be kept but must be
 * revalidated (by ETag) each time.
 */
function cacheControl(visibility: string, moving: boolean): string {
  if (visibility !== 'public') return 'private, no-cache';
  return moving ? 'public, no-cache' : 'public, max-age=31536000, immutable';
}

/**
 * The HTTP side of a package download: validators (ETag / If-None-Match / If-Range), caching
 * headers, Range → 206 / 416, and one download event per response, written when the body ends.
 */
export async function downloadResponse(engine: Engine, target: DownloadTarget, req: Request, meta: Meta): Promise<Response> {
  const { row, pkg } = target;
  const etag = `"sha256:${row.digest}"`;
  const started = Date.now();
  const record = (ev: Omit<DownloadEvent, 'durationMs' | 'clientAddr'>) =>
    recordDownload(engine, target, { ...ev, durationMs: Date.now() - started, clientAddr: meta.clientAddr, userId: meta.userId, region: meta.region });

  const headers = new Headers({
    ETag: etag,
    'Cache-Control': cacheControl(pkg.visibility, meta.ref !== undefined && meta.ref !== row.version),
    'Accept-Ranges': 'bytes',
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${pkg.name}-${row.version}.torshpkg"`,
    'X-Torsh-Digest': `sha256:${row.digest}`,
    'X-Torsh-Version': row.version,
  });
  if (pkg.visibility !== 'public') headers.set('Vary', 'Authorization, Cookie');
  if (row.yanked) headers.set('X-Torsh-Yanked', 'true');

  if (etagMatches(req.headers.get('if-none-match'), etag)) {
    record({ status: 304, bytesSent: 0, isRange: false, completed: true });
    return new Response(null, { status: 304, headers });
  }

  // If-Range with another validator means "my partial copy is stale: send it all".
  const ifRange = req.headers.get('if-range');
  const rangeHeader = ifRange && ifRange !== etag ? null : req.headers.get('range');
  const range = parseRange(rangeHeader, row.size);
  if (range.kind === 'unsatisfiable') {
    record({ status: 416, bytesSent: 0, isRange: true, completed: true });
    return Response.json(
      { error: { code: 'RANGE_NOT_SATISFIABLE', message: `the range is outside the ${row.size}-byte package` } },
      { status: 416, headers: { 'Content-Range': `bytes */${row.size}` } },
    );
  }

  const status = range.kind === 'range' ? 206 : 200;
  const length = range.kind === 'range' ? range.range.end - range.range.start + 1 : row.size;
  headers.set('Content-Length', String(length));
  if (range.kind === 'range') headers.set('Content-Range', `bytes ${range.range.start}-${range.range.end}/${row.size}`);
  if (req.method === 'HEAD') return new Response(null, { status, headers });

  const source = await openDownload(engine, target, range.kind === 'range' ? range.range : undefined);
  const counted = meter((bytesSent, completed) => record({ status, bytesSent, isRange: range.kind === 'range', completed }));
  pipeline(source, counted, (err) => {
    if (err) reportError('download.stream', err, { package: pkg.name, version: row.version, digest: row.digest });
  });
  return streamResponse(counted, { status, headers });
}
