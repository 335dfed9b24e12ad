import type http from 'node:http';

export type ServerTimeouts = {
  /** A client must send its whole request head within this (slow-header defence). */
  headersTimeoutMs: number;
  /** A socket with no bytes moving either way for this long is closed (slow-body defence). */
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
};

function ms(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive number of milliseconds`);
  return n;
}

export function serverTimeoutsFromEnv(): ServerTimeouts {
  return {
    headersTimeoutMs: ms('TORSH_HEADERS_TIMEOUT_MS', 20_000),
    idleTimeoutMs: ms('TORSH_IDLE_TIMEOUT_MS', 120_000),
    keepAliveTimeoutMs: 5_000,
  };
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Options for http.createServer: no total request time, a deadline for the request head. */
export function serverOptions(t: ServerTimeouts): http.ServerOptions {
  return {
    requestTimeout: 0, // a multi-GB upload may take an hour
    headersTimeout: t.headersTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // Node checks header deadlines on this interval: keep it well below the deadline.
    connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(t.headersTimeoutMs / 4))),
  };
}

/**
 * An idle timeout on every socket (no bytes moving either way). While the server itself works
 * on a fully received upload (validating a large package), the client is not idle: the timer is
 * off until the answer is finished.
 */
export function applyIdleTimeout(server: http.Server, t: ServerTimeouts): void {
  server.timeout = t.idleTimeoutMs;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!BODY_METHODS.has(req.method ?? '')) return;
    const socket = req.socket;
    req.once('end', () => socket.setTimeout(0));
    res.once('finish', () => socket.setTimeout(t.idleTimeoutMs));
  });
}
