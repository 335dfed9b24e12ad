import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import next from 'next';
import { getReadyEngine } from './engine';
import { SECURITY_HEADERS } from './security-headers';
import { matchFastRoute, matchNodeRoute } from './fast-routes';
import { attachNodeBody, nodeBodyOf } from './node-streams';

export type OriginOptions = { dir: string; port: number; hostname?: string; dev?: boolean };

/** After an early error answer, read (and drop) at most this much of the unread upload. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Swallow the rest of an upload the handler answered early (409, 413, 422…), so the client
 * reads the JSON error instead of a connection reset. Past the limit the connection is closed.
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
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT_BYTES) finish(false);
    };
    const timer = setTimeout(() => finish(false), DRAIN_TIMEOUT_MS);
    req.on('data', onData);
    req.once('end', () => finish(true));
    req.once('close', () => finish(req.complete));
    req.resume();
  });
}

function toWebRequest(req: IncomingMessage, body: Readable): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const webReq = new Request(url, { method: req.method, headers });
  attachNodeBody(webReq, body);
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
  await pipeline(node ?? Readable.fromWeb(response.body as NodeWebStream<Uint8Array>), res);
}

async function serveFast(req: IncomingMessage, res: ServerResponse, route: NonNullable<ReturnType<typeof matchFastRoute>>) {
  // The handler reads a pass-through, so a handler that stops reading (or destroys its stream)
  // never tears down the socket: the answer below still reaches the client.
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  req.pipe(body);
  req.once('aborted', () => body.destroy(new Error('client aborted the upload')));
  req.once('close', () => {
    if (!req.complete) body.destroy(new Error('client closed the connection mid-upload'));
  });
  try {
    const response = await route.handler(toWebRequest(req, body), { params: Promise.resolve(route.params) });
    if (!req.complete && req.method === 'PUT') {
      req.unpipe(body);
      body.destroy();
      res.setHeader('connection', 'close');
      const drained = await drainRequest(req);
      if (!drained && !req.destroyed) {
        await sendWebResponse(res, response, req.method);
        req.destroy();
        return;
      }
    }
    await sendWebResponse(res, response, req.method ?? 'GET');
  } catch {
    // Client went away mid-transfer; the handler has already recorded what happened.
    res.destroy();
  }
}

/**
 * The origin process: Next.js for pages, server actions and most of /api/v1, and node:http
 * directly for the routes that move package bytes (see fast-routes.ts).
 */
export async function startOrigin(opts: OriginOptions): Promise<http.Server> {
  await getReadyEngine(); // migrations, built-in roles and the first admin before taking traffic
  const app = next({ dev: opts.dev ?? false, dir: opts.dir, port: opts.port, hostname: opts.hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trustProxy = process.env.TORSH_TRUST_PROXY === '1';
  const server = http.createServer((req, res) => {
    // The client address the wrappers audit: the socket's, unless a trusted proxy sets it.
    if (!trustProxy || !req.headers['x-forwarded-for']) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
    // Set before Next runs: Next keeps headers already present on the response.
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    const pathname = (req.url ?? '/').split('?')[0];
    const nodeRoute = matchNodeRoute(req.method ?? 'GET', pathname);
    if (nodeRoute) {
      void nodeRoute(req, res);
      return;
    }
    const fast = matchFastRoute(req.method ?? 'GET', pathname);
    if (fast) {
      void serveFast(req, res, fast);
      return;
    }
    void handle(req, res);
  });
  server.requestTimeout = 0; // multi-GB uploads take longer than Node's 300 s default
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.hostname, resolve));
  return server;
}
