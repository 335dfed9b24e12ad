import type { Readable } from 'node:stream';
import type { Engine } from '@/lib/engine/engine';
import { openDownload, recordDownload, type DownloadEvent, type DownloadTarget } from '@/lib/engine/registry';
import { etagMatches, parseRange } from './http-range';

type Meta = { clientAddr: string | null; userAgent: string | null };

/**
 * Wrap a node stream as a web stream that reports how it ended: every byte delivered
 * (completed) or cancelled by the client (aborted), with the bytes actually handed over.
 */
function meteredStream(source: Readable, onEnd: (bytesSent: number, completed: boolean) => void): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  let sent = 0;
  let ended = false;
  const end = (completed: boolean) => {
    if (ended) return;
    ended = true;
    onEnd(sent, completed);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await it.next();
          if (done) {
            end(true);
            controller.close();
            return;
          }
          sent += value.length;
          controller.enqueue(value as Buffer);
        } catch (err) {
          end(false);
          controller.error(err);
        }
      },
      cancel() {
        source.destroy();
        end(false);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The HTTP side of a package download: validators (ETag / If-None-Match), caching headers,
 * Range → 206 / 416, and one download event per response, written when the body ends.
 */
export async function downloadResponse(engine: Engine, target: DownloadTarget, req: Request, meta: Meta): Promise<Response> {
  const { row, pkg } = target;
  const etag = `"sha256:${row.digest}"`;
  const started = Date.now();
  const record = (ev: Omit<DownloadEvent, 'durationMs' | 'clientAddr' | 'userAgent'>) =>
    recordDownload(engine, target, { ...ev, durationMs: Date.now() - started, ...meta });

  const headers = new Headers({
    ETag: etag,
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Accept-Ranges': 'bytes',
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${pkg.name}-${row.version}.torshpkg"`,
    'X-Torsh-Digest': `sha256:${row.digest}`,
  });
  if (row.yanked) headers.set('X-Torsh-Yanked', 'true');

  if (etagMatches(req.headers.get('if-none-match'), etag)) {
    record({ status: 304, bytesSent: 0, isRange: false, completed: true });
    return new Response(null, { status: 304, headers });
  }

  // If-Range with a different validator means "the file changed, send it all".
  const ifRange = req.headers.get('if-range');
  const rangeHeader = ifRange && ifRange !== etag ? null : req.headers.get('range');
  const range = parseRange(rangeHeader, row.size);
  if (range.kind === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${row.size}`);
    record({ status: 416, bytesSent: 0, isRange: true, completed: true });
    return Response.json(
      { error: { code: 'RANGE_NOT_SATISFIABLE', message: `range is outside the ${row.size}-byte package` } },
      { status: 416, headers: { 'Content-Range': `bytes */${row.size}` } },
    );
  }

  const isHead = req.method === 'HEAD';
  const status = range.kind === 'range' ? 206 : 200;
  const length = range.kind === 'range' ? range.range.end - range.range.start + 1 : row.size;
  headers.set('Content-Length', String(length));
  if (range.kind === 'range') headers.set('Content-Range', `bytes ${range.range.start}-${range.range.end}/${row.size}`);
  if (isHead) return new Response(null, { status, headers });

  const source = await openDownload(engine, target, range.kind === 'range' ? range.range : undefined);
  const body = meteredStream(source, (bytesSent, completed) =>
    record({ status, bytesSent, isRange: range.kind === 'range', completed }),
  );
  return new Response(body, { status, headers });
}
