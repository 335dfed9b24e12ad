import http from 'node:http';
import https from 'node:https';

type AnyHeaders = http.IncomingHttpHeaders | http.OutgoingHttpHeaders;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'host']);

/** Headers minus the hop-by-hop ones (RFC 9110 §7.6.1), including any the Connection header names. */
export function endToEnd(headers: AnyHeaders): http.OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value !== undefined && !HOP_BY_HOP.has(lower) && !named.includes(lower)) out[lower] = value;
  }
  return out;
}

const CONDITIONAL = ['range', 'if-range', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'accept-encoding'];

/** What the edge sends its origin for a client's request: end-to-end headers, X-Forwarded-For extended. */
export function forwardHeaders(req: http.IncomingMessage, opts: { wholeObject: boolean }): http.OutgoingHttpHeaders {
  const headers = endToEnd(req.headers);
  const prior = req.headers['x-forwarded-for'];
  const peer = req.socket.remoteAddress ?? 'unknown';
  headers['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${peer}` : peer;
  // A fill needs the whole object as stored at the origin: no range, no validators, no encoding.
  if (opts.wholeObject) for (const name of CONDITIONAL) delete headers[name];
  return headers;
}

export type Upstream = {
  request(method: string, pathAndQuery: string, headers: http.OutgoingHttpHeaders): Promise<http.IncomingMessage>;
  close(): void;
};

/**
 * Requests to the origin over keep-alive connections. A connection with no byte moving for
 * `idleMs` is destroyed, which fails the response body (and so a fill) instead of hanging.
 */
export function createUpstream(origin: string, idleMs = 60_000): Upstream {
  const base = new URL(origin);
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const prefix = base.pathname.replace(/\/+$/, '');
  return {
    request(method, pathAndQuery, headers) {
      return new Promise((resolve, reject) => {
        const req = (secure ? https : http).request(
          { protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, method, path: prefix + pathAndQuery, headers, agent },
          resolve,
        );
        req.setTimeout(idleMs, () => req.destroy(new Error(`no data from the origin for ${idleMs} ms`)));
        req.once('error', reject);
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}
