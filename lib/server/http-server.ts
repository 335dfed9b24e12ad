import http from 'node:http';
import { reportError } from '@/lib/engine/observability/error-counter';
import { matchApiRoute, serveApi } from './api-router';
import { createClientAddress, createProxyTrust } from './client-address';
import { matchMetricsRoute } from './handlers/prometheus';
import { CLIENT_REGION_HEADER } from './client-region';
import { matchHubPath } from './hf/hub-path';
import { hubError } from './hf/hub-errors';
import { serveHub } from './hf/serve-hub';
import { SECURITY_HEADERS } from './security-headers';
import { applyIdleTimeout, serverOptions, serverTimeoutsFromEnv, type ServerTimeouts } from './server-timeouts';

async function sendHubError(res: http.ServerResponse, message: string): Promise<void> {
  const answer = hubError(400, 'BadRequest', message);
  res.statusCode = answer.status;
  for (const [k, v] of answer.headers) res.setHeader(k, v);
  res.end(Buffer.from(await answer.arrayBuffer()));
}

type Fallback = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export type HttpServerOptions = {
  /** Everything outside /api/v1 (Next's pages and server actions on the origin). */
  fallback: Fallback;
  timeouts?: ServerTimeouts;
  /** The route matcher (a read-only server passes its subset of the table). */
  match?: typeof matchApiRoute;
  /** Serve the Hugging Face Hub read API (lib/server/hf); on by default where the full route table is. */
  hub?: boolean;
};

/**
 * The node:http server every role runs: security headers, the client address, /api/v1 through
 * the one route table, /metrics (Prometheus), the rest to the fallback; idle and header timeouts; errors reported.
 */
export function createHttpServer(opts: HttpServerOptions): http.Server {
  const timeouts = opts.timeouts ?? serverTimeoutsFromEnv();
  const clientAddressOf = createClientAddress(process.env.TORSH_TRUST_PROXY);
  const fromTrustedProxy = createProxyTrust(process.env.TORSH_TRUST_PROXY);
  const hub = opts.hub ?? opts.match === undefined;
  const server = http.createServer(serverOptions(timeouts), (req, res) => {
    // The client address the wrappers audit and rate-limit: the socket's, or the right-most
    // address not set by a trusted proxy (TORSH_TRUST_PROXY). Clients cannot spoof either header.
    req.headers['x-forwarded-for'] = clientAddressOf(req) ?? '';
    delete req.headers['x-real-ip'];
    // The client's region is taken only from a trusted proxy or edge in front (TORSH_TRUST_PROXY).
    if (!fromTrustedProxy(req)) delete req.headers[CLIENT_REGION_HEADER];
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const isApi = pathname === '/api/v1' || pathname.startsWith('/api/v1/');
    const hubMatch = hub && !isApi ? matchHubPath(req.method ?? 'GET', pathname) : null;
    const served = isApi
      ? serveApi(req, res, pathname, opts.match)
      : pathname === '/metrics'
        ? serveApi(req, res, pathname, matchMetricsRoute)
        : hubMatch?.ok
          ? serveHub(req, res, hubMatch.request)
          : hubMatch
            ? sendHubError(res, hubMatch.message)
            : opts.fallback(req, res);
    served.catch((err) => {
      reportError('http.request', err, { method: req.method, path: pathname });
      res.destroy();
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT') reportError('http.client', err);
    if (socket.writable && err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    else if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  applyIdleTimeout(server, timeouts);
  return server;
}
