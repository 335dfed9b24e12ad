import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { AppError } from '@/lib/engine/errors';
import { recordApiEvent } from '@/lib/engine/metrics/record';
import { reportError } from '@/lib/engine/observability/error-counter';
import { API_ROUTES, type ApiRoute } from './api-routes';
import { getEngine } from './engine';
import { httpStatusOf } from './http-status';
import { headersFromNode } from './node-headers';
import { attachNodeBody, nodeBodyOf } from './node-streams';
import { toErrorBody } from './to-error-body';

type Compiled = { route: ApiRoute; re: RegExp; keys: string[] };

function compile(route: ApiRoute): Compiled {
  const keys: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { route, re: new RegExp(`^${source}/?$`), keys };
}

export type ApiMatch =
  | { kind: 'route'; route: ApiRoute; params: Record<string, string> }
  | { kind: 'error'; code: 'ROUTE_NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'INVALID_INPUT'; message: string; allow?: string };

/** Build a matcher over a route table (the origin's, or a mirror's read-only subset). */
export function createApiMatcher(routes: ApiRoute[]): (method: string, pathname: string) => ApiMatch {
  const compiled = routes.map(compile);
  return (method, pathname) => {
    const allowed: string[] = [];
    for (const c of compiled) {
      const m = c.re.exec(pathname);
      if (!m) continue;
      // HEAD is answered by the GET handler (without a body) where no HEAD row exists.
      const fits = c.route.method === method || (method === 'HEAD' && c.route.method === 'GET' && !compiled.some((o) => o.route.method === 'HEAD' && o.re.test(pathname)));
      if (!fits) {
        allowed.push(c.route.method);
        continue;
      }
      try {
        return { kind: 'route', route: c.route, params: Object.fromEntries(c.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])])) };
      } catch {
        return { kind: 'error', code: 'INVALID_INPUT', message: 'the path holds malformed percent-encoding' };
      }
    }
    if (allowed.length > 0) return { kind: 'error', code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use ${allowed.join(', ')}`, allow: allowed.join(', ') };
    return { kind: 'error', code: 'ROUTE_NOT_FOUND', message: `no API route ${pathname}` };
  };
}

export const matchApiRoute = createApiMatcher(API_ROUTES);

/** After an early error answer, read (and drop) at most this much of the unread upload. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_IDLE_MS = 5_000;

/**
 * Swallow the rest of an upload the handler answered early, up to a limit and while bytes keep
 * coming; false when the connection must be closed instead.
 */
function drainRequest(req: IncomingMessage): Promise<boolean> {
  if (req.complete || req.destroyed) return Promise.resolve(req.complete);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), DRAIN_IDLE_MS);
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT_BYTES) return finish(false);
      timer.refresh();
    };
    req.on('data', onData);
    req.once('end', () => finish(true));
    req.once('close', () => finish(req.complete));
    req.resume();
  });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What a handler sees of the request: method, URL and headers, the body as a node stream
 * (node-streams.ts). Handlers are written against web Request, but building an undici Request
 * (URL parsing, an AbortSignal, a body stream) per API call was measured to cost more than the
 * handler itself under load, and to grow the heap; this is the part handlers use.
 */
function toWebRequest(req: IncomingMessage, body: Readable | null): Request {
  const light = { method: req.method ?? 'GET', url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, headers: headersFromNode(req.headers), body: null };
  const webReq = light as unknown as Request;
  if (body) attachNodeBody(webReq, body);
  return webReq;
}

async function sendWebResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  res.statusCode = response.status;
  for (const [k, v] of response.headers) {
    if (k === 'set-cookie') continue;
    res.setHeader(k, v);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const node = nodeBodyOf(response);
  if (method === 'HEAD' || (!node && !response.body)) {
    node?.destroy();
    res.end();
    return;
  }
  if (node) return pipeline(node, res);
  if (!response.headers.has('content-length')) {
    // Small JSON bodies: one buffer and a Content-Length, no stream machinery.
    const buf = Buffer.from(await response.arrayBuffer());
    res.setHeader('content-length', buf.length);
    res.end(buf);
    return;
  }
  await pipeline(Readable.fromWeb(response.body as NodeWebStream<Uint8Array>), res);
}

function sendError(res: ServerResponse, code: Parameters<typeof httpStatusOf>[0], message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(httpStatusOf(code), { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...extra });
  res.end(body);
}

/**
 * One API request event in the metrics store when the answer is done (or the client went away):
 * the route's pattern, never the raw path, so the number of series stays bounded.
 */
export function measureApiRequest(res: ServerResponse, method: string, route: string): void {
  const started = performance.now();
  res.once('close', () => {
    try {
      recordApiEvent(getEngine(), {
        method,
        route,
        status: res.writableFinished ? res.statusCode : 499,
        durationMs: performance.now() - started,
        bytes: Number(res.getHeader('content-length') ?? 0) || 0,
      });
    } catch (err) {
      reportError('metrics.api', err);
    }
  });
}

/**
 * Serve one /api/v1 request: match the route table, hand node req/res to node handlers (tus),
 * or run the web handler with the request body as a node stream and write its answer.
 */
export async function serveApi(req: IncomingMessage, res: ServerResponse, pathname: string, match = matchApiRoute): Promise<void> {
  const method = req.method ?? 'GET';
  const found = match(method, pathname);
  measureApiRequest(res, method, found.kind === 'route' ? found.route.path : '(unmatched)');
  if (found.kind === 'error') {
    req.resume();
    sendError(res, found.code, found.message, found.allow ? { allow: found.allow } : {});
    return;
  }
  const { route, params } = found;
  if (route.node) return route.node(req, res, params);

  // The handler reads a pass-through, so a handler that stops reading (or destroys its stream)
  // never tears down the socket: the answer below still reaches the client.
  let body: PassThrough | null = null;
  if (BODY_METHODS.has(method)) {
    body = new PassThrough({ highWaterMark: 1 << 20 });
    req.pipe(body);
    req.once('aborted', () => body!.destroy(new Error('client aborted the upload')));
    req.once('close', () => {
      if (!req.complete) body!.destroy(new Error('client closed the connection mid-upload'));
    });
  } else {
    req.resume();
  }
  try {
    const response = await route.handler(toWebRequest(req, body), { params: Promise.resolve(params) });
    if (body && !req.complete) {
      req.unpipe(body);
      body.destroy();
      if (response.status < 400) {
        // A success whose last bytes are still in flight: answer once the request has ended.
        if (!(await drainRequest(req))) return void req.destroy();
        return await sendWebResponse(res, response, method);
      }
      // Refused before the body was read (401, 403, 409, 413…): answer now, then swallow a
      // bounded rest of the body so the client reads the answer instead of a reset.
      await sendWebResponse(res, response, method);
      if (!(await drainRequest(req))) req.destroy();
      return;
    }
    await sendWebResponse(res, response, method);
  } catch (err) {
    reportError('api.response', err, { method, route: route.path });
    if (!res.headersSent) {
      const e = toErrorBody(err instanceof AppError ? err : new AppError('INTERNAL', 'internal error'));
      sendError(res, e.code, e.message);
      return;
    }
    res.destroy();
  }
}
